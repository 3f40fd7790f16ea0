package access_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// clock is a settable test clock.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// newPool returns a pool on a fresh, migrated database.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.Pool(t)
	if err := access.NewStore(pool, access.Options{}).Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return pool
}

func newStore(t *testing.T) (*access.Store, *clock, *pgxpool.Pool) {
	t.Helper()
	pool := newPool(t)
	c := newClock()
	return access.NewStore(pool, access.Options{Now: c.Now}), c, pool
}

func mustCreate(t *testing.T, s *access.Store, p access.Principal) access.Principal {
	t.Helper()
	got, err := s.CreatePrincipal(context.Background(), p)
	if err != nil {
		t.Fatalf("CreatePrincipal(%s): %v", p.ID, err)
	}
	return got
}

func mustIssue(t *testing.T, s *access.Store, id string, expires time.Time) access.IssuedToken {
	t.Helper()
	tok, err := s.IssueToken(context.Background(), id, "test", expires)
	if err != nil {
		t.Fatalf("IssueToken(%s): %v", id, err)
	}
	return tok
}

// wantKind fails unless err is a *ledger.Error of kind and reason.
func wantKind(t *testing.T, err error, kind ledger.Kind, reason string) *ledger.Error {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not a *ledger.Error of kind %s", err, err, kind)
	}
	if le.Kind != kind || le.Reason != reason {
		t.Fatalf("error %q: kind %s reason %s, want %s %s", le, le.Kind, le.Reason, kind, reason)
	}
	return le
}

func TestMigrationsLoad(t *testing.T) {
	set := access.Migrations()
	if set.Component != "access" || len(set.Steps) == 0 {
		t.Fatalf("Migrations() = %+v", set)
	}
	for i, st := range set.Steps {
		if st.Version != i+1 {
			t.Errorf("step %s has version %d, want %d", st.Name, st.Version, i+1)
		}
	}
}

func TestPermissionMatrix(t *testing.T) {
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	customs := access.Principal{ID: "cus", Role: access.RoleCustoms}
	ent := access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"}
	plat := access.Principal{ID: "p1", Role: access.RolePlatform, LinkedEnterprises: []string{"ENT1", "ENT3"}}
	disabledEnt := ent
	disabledEnt.Disabled = true
	disabledCustoms := customs
	disabledCustoms.Disabled = true
	noEnterprise := access.Principal{ID: "broken", Role: access.RoleEnterprise} // enterprise role without enterprise
	unknownRole := access.Principal{ID: "x", Role: "auditor", Enterprise: "ENT1", LinkedEnterprises: []string{"ENT1"}}

	tests := []struct {
		name        string
		p           access.Principal
		owner       string
		read, write bool
	}{
		{"admin reads no enterprise", admin, "ENT1", false, false},
		{"customs reads all", customs, "ENT1", true, false},
		{"customs reads another", customs, "ENT2", true, false},
		{"enterprise own", ent, "ENT1", true, true},
		{"enterprise other", ent, "ENT2", false, false},
		{"enterprise prefix is not own", ent, "ENT", false, false},
		{"enterprise case differs", ent, "ent1", false, false},
		{"platform linked", plat, "ENT1", true, true},
		{"platform linked 2", plat, "ENT3", true, true},
		{"platform unlinked", plat, "ENT2", false, false},
		{"disabled enterprise", disabledEnt, "ENT1", false, false},
		{"disabled customs", disabledCustoms, "ENT1", false, false},
		{"empty owner enterprise", noEnterprise, "", false, false},
		{"empty owner customs", customs, "", false, false},
		{"empty owner platform", access.Principal{Role: access.RolePlatform, LinkedEnterprises: []string{""}}, "", false, false},
		{"unknown role", unknownRole, "ENT1", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.CanRead(tt.owner); got != tt.read {
				t.Errorf("CanRead(%q) = %t, want %t", tt.owner, got, tt.read)
			}
			if got := tt.p.CanWrite(tt.owner); got != tt.write {
				t.Errorf("CanWrite(%q) = %t, want %t", tt.owner, got, tt.write)
			}
		})
	}
	if !ent.Is(access.RoleEnterprise) || ent.Is(access.RoleCustoms) {
		t.Error("Is does not compare the role")
	}
}

func TestContext(t *testing.T) {
	if _, ok := access.FromContext(context.Background()); ok {
		t.Fatal("FromContext found a principal in an empty context")
	}
	p := access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"}
	got, ok := access.FromContext(access.WithPrincipal(context.Background(), p))
	if !ok || got.ID != "e1" {
		t.Fatalf("FromContext = %+v, %t", got, ok)
	}
}

func TestCreatePrincipal(t *testing.T) {
	s, c, _ := newStore(t)
	ctx := context.Background()
	p := mustCreate(t, s, access.Principal{ID: "shop", DisplayName: "Shop", Role: access.RolePlatform, LinkedEnterprises: []string{"B", "A", "B"}})
	if !slices.Equal(p.LinkedEnterprises, []string{"A", "B"}) || !p.CreatedAt.Equal(c.Now()) || p.Disabled {
		t.Fatalf("created %+v", p)
	}
	got, err := s.GetPrincipal(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(p) {
		t.Fatalf("GetPrincipal = %+v, want %+v", got, p)
	}
	// Same body again: the existing principal, created at the first time.
	c.Advance(time.Hour)
	again := mustCreate(t, s, access.Principal{ID: "shop", DisplayName: "Shop", Role: access.RolePlatform, LinkedEnterprises: []string{"A", "B"}})
	if fmt.Sprint(again) != fmt.Sprint(p) {
		t.Fatalf("repeated CreatePrincipal = %+v, want %+v", again, p)
	}
	// Different body: conflict naming the field.
	_, err = s.CreatePrincipal(ctx, access.Principal{ID: "shop", DisplayName: "Shop", Role: access.RolePlatform, LinkedEnterprises: []string{"A"}})
	if le := wantKind(t, err, ledger.KindConflict, access.ReasonPrincipalExists); le.Field != "linked_enterprise_ids" {
		t.Errorf("conflict field %q", le.Field)
	}

	invalid := []struct {
		p     access.Principal
		field string
	}{
		{access.Principal{ID: "", Role: access.RoleAdmin}, "principal_id"},
		{access.Principal{ID: "-x", Role: access.RoleAdmin}, "principal_id"},
		{access.Principal{ID: strings.Repeat("a", 65), Role: access.RoleAdmin}, "principal_id"},
		{access.Principal{ID: "x", Role: "root"}, "role"},
		{access.Principal{ID: "x", Role: ""}, "role"},
		{access.Principal{ID: "x", Role: access.RoleEnterprise}, "enterprise_id"},
		{access.Principal{ID: "x", Role: access.RoleEnterprise, Enterprise: "a b"}, "enterprise_id"},
		{access.Principal{ID: "x", Role: access.RoleCustoms, Enterprise: "E"}, "enterprise_id"},
		{access.Principal{ID: "x", Role: access.RoleEnterprise, Enterprise: "E", LinkedEnterprises: []string{"F"}}, "linked_enterprise_ids"},
		{access.Principal{ID: "x", Role: access.RolePlatform, LinkedEnterprises: []string{"F", ""}}, "linked_enterprise_ids[1]"},
		{access.Principal{ID: "x", Role: access.RoleAdmin, DisplayName: strings.Repeat("名", 129)}, "display_name"},
	}
	for _, tt := range invalid {
		_, err := s.CreatePrincipal(ctx, tt.p)
		if le := wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument); le.Field != tt.field {
			t.Errorf("CreatePrincipal(%+v): field %q, want %q (%v)", tt.p, le.Field, tt.field, le)
		}
	}
	_, err = s.GetPrincipal(ctx, "nobody")
	wantKind(t, err, ledger.KindNotFound, access.ReasonUnknownPrincipal)
}

// Concurrent creations of one principal all succeed with the same result:
// the loser of the race retries and finds the winner's row.
func TestCreatePrincipalConcurrent(t *testing.T) {
	s, _, _ := newStore(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.CreatePrincipal(context.Background(), access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("concurrent CreatePrincipal: %v", err)
		}
	}
}

func TestListPrincipals(t *testing.T) {
	s, _, _ := newStore(t)
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("p%02d", i)
		want = append(want, id)
		mustCreate(t, s, access.Principal{ID: id, Role: access.RolePlatform, LinkedEnterprises: []string{fmt.Sprintf("E%d", i)}})
	}
	var got []string
	after := ""
	for {
		page, err := s.ListPrincipals(context.Background(), after, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page {
			got = append(got, p.ID)
			if len(p.LinkedEnterprises) != 1 || p.LinkedEnterprises[0] != "E"+p.ID[2:] {
				t.Errorf("principal %s has links %v", p.ID, p.LinkedEnterprises)
			}
		}
		if len(page) < 3 {
			break
		}
		after = page[len(page)-1].ID
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
}

func TestTokenLifecycle(t *testing.T) {
	s, c, _ := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
	issued := mustIssue(t, s, "e1", time.Time{})
	if !strings.HasPrefix(issued.Token, "zl_") || len(issued.Token) != 3+43 {
		t.Fatalf("token %q does not look like zl_ + base64url(32 bytes)", issued.Token)
	}
	if issued.Principal.ID != "e1" || issued.Info.PrincipalID != "e1" || !issued.Info.ExpiresAt.IsZero() || !issued.Info.Active(c.Now()) {
		t.Fatalf("issued %+v", issued)
	}
	c.Advance(time.Second) // tokens issued in the same microsecond are listed in token ID order
	other := mustIssue(t, s, "e1", time.Time{})
	if other.Token == issued.Token || other.Info.ID == issued.Info.ID {
		t.Fatal("two tokens are the same")
	}

	p, err := s.Authenticate(ctx, issued.Token)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "e1" || !p.CanWrite("ENT1") {
		t.Fatalf("authenticated as %+v", p)
	}
	p, err = s.Authenticate(ctx, issued.Token) // cached
	if err != nil || p.ID != "e1" {
		t.Fatalf("cached Authenticate = %+v, %v", p, err)
	}

	for _, bad := range []string{"", "zl_", "Bearer " + issued.Token, issued.Token + "x", "zl_" + strings.Repeat("A", 43), strings.Replace(issued.Token, "zl_", "zz_", 1), "zl_" + strings.Repeat("*", 43)} {
		_, err := s.Authenticate(ctx, bad)
		wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
	}

	c.Advance(time.Second)
	ts, err := s.ListTokens(ctx, "e1", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].ID != issued.Info.ID || ts[1].ID != other.Info.ID {
		t.Fatalf("ListTokens = %+v", ts)
	}
	page, err := s.ListTokens(ctx, "e1", "", 1)
	if err != nil || len(page) != 1 || page[0].ID != issued.Info.ID {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	page, err = s.ListTokens(ctx, "e1", page[0].ID, 1)
	if err != nil || len(page) != 1 || page[0].ID != other.Info.ID {
		t.Fatalf("second page = %+v, %v", page, err)
	}
	_, err = s.ListTokens(ctx, "e1", "tok_nope", 1)
	wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument)
	_, err = s.ListTokens(ctx, "nobody", "", 1)
	wantKind(t, err, ledger.KindNotFound, access.ReasonUnknownPrincipal)

	revoked, err := s.RevokeToken(ctx, issued.Info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !revoked.RevokedAt.Equal(c.Now()) || revoked.Active(c.Now()) {
		t.Fatalf("revoked %+v", revoked)
	}
	// The revoking process drops its cache entry at once.
	_, err = s.Authenticate(ctx, issued.Token)
	le := wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
	if !strings.Contains(le.Message, "revoked") {
		t.Errorf("message %q does not say the token was revoked", le.Message)
	}
	c.Advance(time.Second)
	again, err := s.RevokeToken(ctx, issued.Info.ID) // idempotent
	if err != nil || !again.RevokedAt.Equal(revoked.RevokedAt) {
		t.Fatalf("second RevokeToken = %+v, %v", again, err)
	}
	if _, err := s.Authenticate(ctx, other.Token); err != nil {
		t.Fatalf("the other token stopped working: %v", err)
	}
	_, err = s.RevokeToken(ctx, "tok_nope")
	wantKind(t, err, ledger.KindNotFound, access.ReasonUnknownToken)

	_, err = s.IssueToken(ctx, "nobody", "", time.Time{})
	wantKind(t, err, ledger.KindNotFound, access.ReasonUnknownPrincipal)
	_, err = s.IssueToken(ctx, "e1", strings.Repeat("d", 257), time.Time{})
	wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument)
}

func TestTokenExpiry(t *testing.T) {
	s, c, _ := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "cus", Role: access.RoleCustoms})
	_, err := s.IssueToken(ctx, "cus", "", c.Now())
	if le := wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument); le.Field != "expires_at" {
		t.Errorf("field %q", le.Field)
	}
	tok := mustIssue(t, s, "cus", c.Now().Add(time.Minute))
	if _, err := s.Authenticate(ctx, tok.Token); err != nil { // now cached
		t.Fatal(err)
	}
	c.Advance(time.Minute - time.Microsecond)
	if _, err := s.Authenticate(ctx, tok.Token); err != nil {
		t.Fatalf("token refused before its expiry: %v", err)
	}
	// Expiry is exact even though the cache entry is younger than its TTL.
	c.Advance(time.Microsecond)
	_, err = s.Authenticate(ctx, tok.Token)
	le := wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
	if !strings.Contains(le.Message, "expired") {
		t.Errorf("message %q does not say the token expired", le.Message)
	}
}

func TestDisablePrincipal(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "root", Role: access.RoleAdmin})
	mustCreate(t, s, access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
	tok := mustIssue(t, s, "e1", time.Time{})
	if _, err := s.Authenticate(ctx, tok.Token); err != nil {
		t.Fatal(err)
	}
	p, err := s.DisablePrincipal(ctx, "e1")
	if err != nil || !p.Disabled {
		t.Fatalf("DisablePrincipal = %+v, %v", p, err)
	}
	_, err = s.Authenticate(ctx, tok.Token)
	le := wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
	if !strings.Contains(le.Message, "disabled") {
		t.Errorf("message %q does not say the principal is disabled", le.Message)
	}
	if p, err := s.DisablePrincipal(ctx, "e1"); err != nil || !p.Disabled { // idempotent
		t.Fatalf("second DisablePrincipal = %+v, %v", p, err)
	}
	_, err = s.IssueToken(ctx, "e1", "", time.Time{})
	wantKind(t, err, ledger.KindFailedPrecondition, access.ReasonPrincipalDisabled)
	_, err = s.DisablePrincipal(ctx, "nobody")
	wantKind(t, err, ledger.KindNotFound, access.ReasonUnknownPrincipal)

	// The last enabled admin cannot be disabled; with a second one it can.
	_, err = s.DisablePrincipal(ctx, "root")
	wantKind(t, err, ledger.KindFailedPrecondition, access.ReasonLastAdmin)
	mustCreate(t, s, access.Principal{ID: "root2", Role: access.RoleAdmin})
	if _, err := s.DisablePrincipal(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	_, err = s.DisablePrincipal(ctx, "root2")
	wantKind(t, err, ledger.KindFailedPrecondition, access.ReasonLastAdmin)
}

// Two admins disabling each other at once: serializable transactions let
// only one through, so one admin always remains.
func TestDisableAdminsConcurrently(t *testing.T) {
	s, _, pool := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "a1", Role: access.RoleAdmin})
	mustCreate(t, s, access.Principal{ID: "a2", Role: access.RoleAdmin})
	var wg sync.WaitGroup
	for _, id := range []string{"a1", "a2"} {
		wg.Go(func() { _, _ = s.DisablePrincipal(ctx, id) })
	}
	wg.Wait()
	var enabled int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM access_principals WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&enabled); err != nil {
		t.Fatal(err)
	}
	if enabled != 1 {
		t.Fatalf("%d enabled admins remain, want 1", enabled)
	}
}

// Another process (a second Store on the same database) keeps accepting a
// revoked token until its cache entry is older than the TTL, as documented.
func TestCacheTTLAcrossProcesses(t *testing.T) {
	pool := newPool(t)
	c := newClock()
	ctx := context.Background()
	a := access.NewStore(pool, access.Options{Now: c.Now, CacheTTL: 5 * time.Second})
	b := access.NewStore(pool, access.Options{Now: c.Now})
	mustCreate(t, b, access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
	tok := mustIssue(t, b, "e1", time.Time{})
	if _, err := a.Authenticate(ctx, tok.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RevokeToken(ctx, tok.Info.ID); err != nil {
		t.Fatal(err)
	}
	c.Advance(4 * time.Second)
	if _, err := a.Authenticate(ctx, tok.Token); err != nil {
		t.Fatalf("within the TTL the other process still accepts the token, as documented; got %v", err)
	}
	c.Advance(time.Second)
	_, err := a.Authenticate(ctx, tok.Token)
	wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)

	// With the cache off, revocation is seen at once.
	nocache := access.NewStore(pool, access.Options{Now: c.Now, CacheTTL: -1})
	tok2 := mustIssue(t, b, "e1", time.Time{})
	if _, err := nocache.Authenticate(ctx, tok2.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := b.DisablePrincipal(ctx, "e1"); err != nil {
		t.Fatal(err)
	}
	_, err = nocache.Authenticate(ctx, tok2.Token)
	wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
}

// Only the SHA-256 of a token reaches the database.
func TestOnlyHashStored(t *testing.T) {
	s, _, pool := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
	tok := mustIssue(t, s, "e1", time.Time{})
	var hash []byte
	var row string
	if err := pool.QueryRow(ctx, `SELECT token_hash, t::TEXT FROM access_tokens t WHERE id = $1`, tok.Info.ID).Scan(&hash, &row); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(tok.Token))
	if string(hash) != string(want[:]) {
		t.Fatalf("token_hash = %x, want SHA-256 %x", hash, want)
	}
	secret := strings.TrimPrefix(tok.Token, "zl_")
	if strings.Contains(row, secret) || strings.Contains(row, secret[:16]) {
		t.Fatalf("the token's secret appears in its row: %s", row)
	}
	var cols []string
	rows, err := pool.Query(ctx, `SELECT column_name FROM information_schema.columns WHERE table_name = 'access_tokens' ORDER BY column_name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if !slices.Equal(cols, []string{"created_at", "description", "expires_at", "id", "principal_id", "request_id", "revoked_at", "token_hash"}) {
		t.Fatalf("access_tokens has columns %v; a new column must not hold the token", cols)
	}
}

func TestBootstrap(t *testing.T) {
	s, _, _ := newStore(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "sub")
	file := filepath.Join(dir, "admin.token")

	created, err := s.Bootstrap(ctx, file)
	if err != nil || !created {
		t.Fatalf("first Bootstrap = %t, %v", created, err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, err := os.Stat(dir); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("token directory: %v, %v; want mode 0700", di.Mode().Perm(), err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.TrimSpace(string(b))
	p, err := s.Authenticate(ctx, first)
	if err != nil || p.ID != access.BootstrapPrincipalID || p.Role != access.RoleAdmin {
		t.Fatalf("the bootstrap token authenticates as %+v, %v", p, err)
	}

	// Every later start: nothing happens.
	for range 2 {
		created, err = s.Bootstrap(ctx, file)
		if err != nil || created {
			t.Fatalf("repeated Bootstrap = %t, %v", created, err)
		}
	}
	if b2, _ := os.ReadFile(file); string(b2) != string(b) {
		t.Fatal("repeated Bootstrap rewrote the token file")
	}
	ts, err := s.ListTokens(ctx, access.BootstrapPrincipalID, "", 0)
	if err != nil || len(ts) != 1 {
		t.Fatalf("admin has tokens %+v, %v; want 1", ts, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the token directory holds %d entries, want only the token file", len(entries))
	}

	// A lost file is replaced with a new token for the same admin.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	created, err = s.Bootstrap(ctx, file)
	if err != nil || !created {
		t.Fatalf("Bootstrap after losing the file = %t, %v", created, err)
	}
	b3, _ := os.ReadFile(file)
	if p, err := s.Authenticate(ctx, strings.TrimSpace(string(b3))); err != nil || p.ID != access.BootstrapPrincipalID {
		t.Fatalf("the new bootstrap token authenticates as %+v, %v", p, err)
	}
	ps, err := s.ListPrincipals(ctx, "", 0)
	if err != nil || len(ps) != 1 {
		t.Fatalf("principals after bootstrap: %+v, %v", ps, err)
	}
}

// Concurrent Bootstraps (two server processes starting on one database)
// make exactly one admin principal.
func TestBootstrapConcurrent(t *testing.T) {
	pool := newPool(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s := access.NewStore(pool, access.Options{})
			_, errs[i] = s.Bootstrap(context.Background(), filepath.Join(dir, fmt.Sprintf("admin%d.token", i)))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ps, err := access.NewStore(pool, access.Options{}).ListPrincipals(context.Background(), "", 0)
	if err != nil || len(ps) != 1 || ps[0].ID != access.BootstrapPrincipalID {
		t.Fatalf("principals: %+v, %v", ps, err)
	}
}

func TestBootstrapWithoutFile(t *testing.T) {
	s, _, _ := newStore(t)
	if _, err := s.Bootstrap(context.Background(), ""); err == nil {
		t.Fatal("Bootstrap with no file succeeded")
	}
}

// TestIssueTokenAsReplacesTheTokenOfARetriedRequest: issuing under a request
// id that was used before for the principal revokes the earlier token (a
// caller whose answer was lost never got it) and issues a new one, so a
// retried call leaves one live token; the earlier token stops
// authenticating at once, even cached. Another principal's request id of
// the same name, or no request id, replaces nothing.
func TestIssueTokenAsReplacesTheTokenOfARetriedRequest(t *testing.T) {
	s, c, _ := newStore(t)
	ctx := context.Background()
	mustCreate(t, s, access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"})
	mustCreate(t, s, access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: "ENT2"})

	first, err := s.IssueTokenAs(ctx, "bridge-1", "e1", "ERP bridge", time.Time{})
	if err != nil || first.Replaced != "" {
		t.Fatalf("first issue: %+v, %v", first, err)
	}
	if _, err := s.Authenticate(ctx, first.Token); err != nil { // now cached
		t.Fatal(err)
	}
	other, err := s.IssueTokenAs(ctx, "bridge-1", "e2", "", time.Time{})
	if err != nil || other.Replaced != "" {
		t.Fatalf("another principal's request id of the same name replaced %q (%v)", other.Replaced, err)
	}
	plain := mustIssue(t, s, "e1", time.Time{})

	c.Advance(time.Second)
	again, err := s.IssueTokenAs(ctx, "bridge-1", "e1", "ERP bridge", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Replaced != first.Info.ID || again.Token == first.Token || again.Info.ID == first.Info.ID {
		t.Fatalf("the retried issue: replaced %q (want %s), same token %v", again.Replaced, first.Info.ID, again.Token == first.Token)
	}
	_, err = s.Authenticate(ctx, first.Token)
	wantKind(t, err, ledger.KindUnauthenticated, ledger.ReasonUnauthenticated)
	for _, tok := range []string{again.Token, other.Token, plain.Token} {
		if _, err := s.Authenticate(ctx, tok); err != nil {
			t.Errorf("a token that was not replaced: %v", err)
		}
	}
	live := 0
	ts, err := s.ListTokens(ctx, "e1", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range ts {
		if ti.RevokedAt.IsZero() {
			live++
		}
	}
	if len(ts) != 3 || live != 2 {
		t.Fatalf("e1 has %d tokens, %d live; want 3, 2 (the retried request's and the plain one)", len(ts), live)
	}
	_, err = s.IssueTokenAs(ctx, "bad id!", "e1", "", time.Time{})
	wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument)
}
