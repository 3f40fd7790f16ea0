package tests

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// TestReflectionAndHealth: grpcurl and load balancers need no token for
// reflection and health, and reflection lists both zoneledger services.
func TestReflectionAndHealth(t *testing.T) {
	s := StartServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()

	resp, err := healthpb.NewHealthClient(s.Conn()).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health check without a token: %v, %v; want SERVING", resp.GetStatus(), err)
	}

	st, err := reflectionpb.NewServerReflectionClient(s.Conn()).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatalf("ServerReflectionInfo: %v", err)
	}
	if err := st.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatalf("reflection send: %v", err)
	}
	r, err := st.Recv()
	if err != nil {
		t.Fatalf("reflection recv: %v", err)
	}
	var names []string
	for _, svc := range r.GetListServicesResponse().GetService() {
		names = append(names, svc.GetName())
	}
	for _, want := range []string{"zoneledger.ledger.v1.LedgerService", "zoneledger.admin.v1.AdminService", "grpc.health.v1.Health"} {
		if !slices.Contains(names, want) {
			t.Errorf("reflection lists %v; %s is missing", names, want)
		}
	}
	// The schema of a service is available too (grpcurl describe).
	if err := st.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_FileContainingSymbol{
		FileContainingSymbol: "zoneledger.ledger.v1.LedgerService"}}); err != nil {
		t.Fatalf("reflection send: %v", err)
	}
	if r, err := st.Recv(); err != nil || len(r.GetFileDescriptorResponse().GetFileDescriptorProto()) == 0 {
		t.Errorf("reflection of LedgerService's file: %v, %v", r.GetErrorResponse(), err)
	}
	_ = st.CloseSend()

	// Metrics answer on their own loopback address.
	if s.MetricsAddr == "" {
		t.Errorf("no metrics address in the server's log")
	} else {
		hc := &http.Client{Timeout: 10 * time.Second}
		res, err := hc.Get("http://" + s.MetricsAddr + "/metrics")
		if err != nil {
			t.Fatalf("GET /metrics: %v", err)
		}
		body, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "zoneledger_grpc_requests_total") {
			t.Errorf("GET /metrics: %s, body without zoneledger_grpc_requests_total", res.Status)
		}
	}
}

// TestEnterpriseJourney walks through a month of one enterprise's book as
// its users would: the enterprise files, customs reads and seals, the admin
// manages tokens.
func TestEnterpriseJourney(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	lc := s.Ledger()
	const book = "H4601E1J"
	d1, d2, d3 := day(-10), day(-5), day(-1)

	// Customs makes the world accounts; the enterprise sets up its book.
	resp, err := lc.EnsureWorldAccounts(ctxAs(t, a.C), &ledgerv1.EnsureWorldAccountsRequest{Names: []string{"abroad", "domestic", "consumed"}})
	if err != nil || !slices.Contains(resp.GetNames(), "abroad") || !slices.Contains(resp.GetNames(), "domestic") {
		t.Fatalf("EnsureWorldAccounts: %v, %v", resp.GetNames(), err)
	}
	created := CreateBook(t, s, a.E1, book, ent1, "bonded", "nonbonded")
	if created.GetOwner() != ent1 || !slices.Equal(created.GetAccounts(), []string{"bonded", "nonbonded"}) {
		t.Errorf("created book %v", created)
	}
	again := CreateBook(t, s, a.E1, book, ent1, "bonded", "nonbonded") // idempotent
	if again.GetBookId() != book {
		t.Errorf("repeating CreateBook returned %v", again)
	}
	_, err = lc.CreateBook(ctxAs(t, a.E1), &ledgerv1.CreateBookRequest{BookId: book, Name: "other", Owner: ent1, Accounts: []string{"bonded"}})
	wantCode(t, err, codes.AlreadyExists, "CreateBook with the same id and another body")
	if gb, err := lc.GetBook(ctxAs(t, a.E1), &ledgerv1.GetBookRequest{BookId: book}); err != nil || gb.GetBook().GetBookId() != book {
		t.Errorf("GetBook: %v, %v", gb, err)
	}
	if lb, err := lc.ListBooks(ctxAs(t, a.E1), &ledgerv1.ListBooksRequest{}); err != nil || len(lb.GetBooks()) != 1 || lb.GetBooks()[0].GetBookId() != book {
		t.Errorf("ListBooks as E1: %v, %v", lb.GetBooks(), err)
	}

	RegisterItems(t, s, a.E1, book, item("1", "KGM", 3), item("2", "PCE", 0), item("3", "MTR", 2), item("4", "PCE", 0), item("5", "KGM", 5))
	RegisterItems(t, s, a.E1, book, item("1", "KGM", 3)) // re-registering is a no-op
	_, err = lc.RegisterItems(ctxAs(t, a.E1), &ledgerv1.RegisterItemsRequest{BookId: book, Items: []*ledgerv1.Item{item("1", "PCE", 3)}})
	wantCode(t, err, codes.AlreadyExists, "changing an item's unit")
	var codesSeen []string
	tok := ""
	for page := 0; page < 10; page++ {
		li, err := lc.ListItems(ctxAs(t, a.E1), &ledgerv1.ListItemsRequest{BookId: book, PageSize: 2, PageToken: tok})
		if err != nil {
			t.Fatalf("ListItems: %v", err)
		}
		for _, it := range li.GetItems() {
			codesSeen = append(codesSeen, it.GetCode())
		}
		if tok = li.GetNextPageToken(); tok == "" {
			break
		}
	}
	if !slices.Equal(codesSeen, []string{"1", "2", "3", "4", "5"}) {
		t.Errorf("ListItems pages: %v", codesSeen)
	}

	// Goods enter from abroad, some leave for the domestic market.
	in1 := journal(book, "in-1", d1, move("1", "KGM", "100.500", "1005.00", world("abroad"), acct(book, "bonded")))
	j1 := Post(t, s, a.E1, in1)
	if j1.GetJournalId() <= 0 || j1.GetPrincipal() != "e1" || j1.GetEffectiveDate() != d1 || len(j1.GetPostings()[0].GetLegs()) != 1 {
		t.Errorf("journal in-1: %v", j1)
	}
	replay, err := lc.PostJournal(ctxAs(t, a.E1), in1)
	if err != nil || !replay.GetReplayed() || replay.GetJournal().GetJournalId() != j1.GetJournalId() {
		t.Errorf("replaying in-1: %v, %v; want the original journal with replayed", replay, err)
	}
	_, err = lc.PostJournal(ctxAs(t, a.E1), journal(book, "in-1", d1, move("1", "KGM", "100.501", "1005.00", world("abroad"), acct(book, "bonded"))))
	if wantCode(t, err, codes.AlreadyExists, "in-1 with another body") && errorsv1.ReasonOf(err) != "IDEMPOTENCY_KEY_REUSED" {
		t.Errorf("reused key: reason %q", errorsv1.ReasonOf(err))
	}
	j2 := Post(t, s, a.E1, journal(book, "out-1", d2, move("1", "KGM", "20.5", "", acct(book, "bonded"), world("domestic"))))
	if v := j2.GetPostings()[0].GetValue(); !dec(t, v).Equal(dec(t, "205")) {
		t.Errorf("out-1 carries value %s, want 205.00 (20.5 of 100.5 worth 1005)", v)
	}
	_, err = lc.PostJournal(ctxAs(t, a.E1), journal(book, "out-too-much", d2, move("1", "KGM", "1000", "", acct(book, "bonded"), world("domestic"))))
	if wantCode(t, err, codes.FailedPrecondition, "taking more than the book holds") {
		if errorsv1.ReasonOf(err) != "INSUFFICIENT_QUANTITY" || errorsv1.FieldOf(err) != "postings[0].quantity" {
			t.Errorf("insufficient: reason %q field %q", errorsv1.ReasonOf(err), errorsv1.FieldOf(err))
		}
	}

	// A platform-style batch with one refused entry.
	batch := &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{
		journal(book, "b-1", d2, move("2", "PCE", "10", "500", world("abroad"), acct(book, "bonded"))),
		journal(book, "b-2", d2, move("3", "MTR", "7.25", "72.50", world("abroad"), acct(book, "bonded"))),
		journal(book, "b-3", d2, move("2", "PCE", "11", "", acct(book, "bonded"), world("domestic"))), // only 10 held
		journal(book, "b-4", d2, move("2", "PCE", "4", "", acct(book, "bonded"), acct(book, "nonbonded"))),
	}}
	br, err := lc.PostJournals(ctxAs(t, a.E1), batch)
	if err != nil {
		t.Fatalf("PostJournals: %v", err)
	}
	if len(br.GetResults()) != 4 {
		t.Fatalf("PostJournals: %d results for 4 journals", len(br.GetResults()))
	}
	for i, r := range br.GetResults() {
		switch {
		case i == 2:
			if r.GetError() == nil || r.GetJournal() != nil || r.GetError().GetCode() != "FAILED_PRECONDITION" || r.GetError().GetReason() != "INSUFFICIENT_QUANTITY" {
				t.Errorf("batch result %d: %v; want refused with FAILED_PRECONDITION/INSUFFICIENT_QUANTITY", i, r)
			}
		case r.GetError() != nil || r.GetJournal().GetIdempotencyKey() != batch.GetJournals()[i].GetIdempotencyKey():
			t.Errorf("batch result %d: %v; want the journal", i, r)
		}
	}
	br2, err := lc.PostJournals(ctxAs(t, a.E1), batch) // a replay answers the same
	if err != nil || len(br2.GetResults()) != 4 || !br2.GetResults()[0].GetReplayed() ||
		br2.GetResults()[0].GetJournal().GetJournalId() != br.GetResults()[0].GetJournal().GetJournalId() || br2.GetResults()[2].GetError() == nil {
		t.Errorf("replaying the batch: %v, %v", br2, err)
	}

	wantBal := map[string]string{
		"bonded/1": "80|800.00", "bonded/2": "6|300.00", "bonded/3": "7.25|72.50", "nonbonded/2": "4|200.00",
	}
	if got := balanceMap(t, s, a.E1, book); !mapsEqual(got, wantBal) {
		t.Errorf("balances as E1: %v, want %v", got, wantBal)
	}
	asOf, err := lc.GetBalances(ctxAs(t, a.E1), &ledgerv1.GetBalancesRequest{BookId: book, AsOf: d1})
	if err != nil || len(asOf.GetBalances()) != 1 || !dec(t, asOf.GetBalances()[0].GetQuantity()).Equal(dec(t, "100.5")) {
		t.Errorf("balances as of %s: %v, %v; want bonded/1 100.5 only", d1, asOf.GetBalances(), err)
	}
	lots, err := lc.GetBalances(ctxAs(t, a.E1), &ledgerv1.GetBalancesRequest{BookId: book, Account: "bonded", ItemCode: "1", ByLot: true})
	if err != nil || len(lots.GetBalances()) != 1 || lots.GetBalances()[0].GetLot() == "" {
		t.Errorf("balances by lot: %v, %v", lots.GetBalances(), err)
	}
	dt, err := lc.GetDayTotals(ctxAs(t, a.E1), &ledgerv1.GetDayTotalsRequest{BookId: book, Account: "bonded", ItemCode: "1", FromDate: d1, ToDate: day(0)})
	if err != nil {
		t.Fatalf("GetDayTotals: %v", err)
	}
	totals := map[string]string{}
	for _, x := range dt.GetDayTotals() {
		totals[x.GetDay()] = dec(t, x.GetQuantityIn()).String() + "/" + dec(t, x.GetQuantityOut()).String()
	}
	if !mapsEqual(totals, map[string]string{d1: "100.5/0", d2: "0/20.5"}) {
		t.Errorf("day totals of bonded/1: %v", totals)
	}

	// Journals: paged and streamed agree.
	var paged []int64
	tok = ""
	for page := 0; page < 20; page++ {
		lj, err := lc.ListJournals(ctxAs(t, a.E1), &ledgerv1.ListJournalsRequest{BookId: book, PageSize: 2, PageToken: tok})
		if err != nil {
			t.Fatalf("ListJournals: %v", err)
		}
		for _, j := range lj.GetJournals() {
			paged = append(paged, j.GetJournalId())
		}
		if tok = lj.GetNextPageToken(); tok == "" {
			break
		}
	}
	var streamed []int64
	for _, j := range streamAll(t, s, a.E1, book) {
		streamed = append(streamed, j.GetJournalId())
	}
	if len(paged) != 5 || !slices.Equal(paged, streamed) || !slices.IsSorted(paged) {
		t.Errorf("ListJournals pages %v, StreamJournals %v; want the same 5 journals in id order", paged, streamed)
	}
	ranged, err := lc.ListJournals(ctxAs(t, a.E1), &ledgerv1.ListJournalsRequest{BookId: book, FromDate: d2, ToDate: d2})
	if err != nil || len(ranged.GetJournals()) != 4 {
		t.Errorf("ListJournals on %s: %d journals, %v; want 4", d2, len(ranged.GetJournals()), err)
	}
	gj, err := lc.GetJournal(ctxAs(t, a.E1), &ledgerv1.GetJournalRequest{JournalId: j2.GetJournalId()})
	if err != nil || gj.GetJournal().GetIdempotencyKey() != "out-1" {
		t.Errorf("GetJournal: %v, %v", gj, err)
	}

	// A correction: reverse out-1.
	rev := &ledgerv1.ReverseJournalRequest{BookId: book, JournalId: j2.GetJournalId(), IdempotencyKey: "rev-out-1", EffectiveDate: day(0), Reason: "wrong declaration"}
	rr, err := lc.ReverseJournal(ctxAs(t, a.E1), rev)
	if err != nil {
		t.Fatalf("ReverseJournal: %v", err)
	}
	if rr.GetJournal().GetReversalOf() != j2.GetJournalId() {
		t.Errorf("reversal: reversal_of %d, want %d", rr.GetJournal().GetReversalOf(), j2.GetJournalId())
	}
	if rr2, err := lc.ReverseJournal(ctxAs(t, a.E1), rev); err != nil || !rr2.GetReplayed() || rr2.GetJournal().GetJournalId() != rr.GetJournal().GetJournalId() {
		t.Errorf("replaying the reversal: %v, %v", rr2, err)
	}
	_, err = lc.ReverseJournal(ctxAs(t, a.E1), &ledgerv1.ReverseJournalRequest{BookId: book, JournalId: j2.GetJournalId(), IdempotencyKey: "rev-out-1-again", EffectiveDate: day(0), Reason: "again"})
	if wantCode(t, err, codes.FailedPrecondition, "reversing twice") && errorsv1.ReasonOf(err) != "ALREADY_REVERSED" {
		t.Errorf("reversing twice: reason %q", errorsv1.ReasonOf(err))
	}
	if gj, err := lc.GetJournal(ctxAs(t, a.E1), &ledgerv1.GetJournalRequest{JournalId: j2.GetJournalId()}); err != nil || gj.GetJournal().GetReversedBy() != rr.GetJournal().GetJournalId() {
		t.Errorf("reversed journal: reversed_by %d, %v; want %d", gj.GetJournal().GetReversedBy(), err, rr.GetJournal().GetJournalId())
	}
	wantBal["bonded/1"] = "100.5|1005.00"
	if got := balanceMap(t, s, a.E1, book); !mapsEqual(got, wantBal) {
		t.Errorf("balances after the reversal: %v, want %v", got, wantBal)
	}

	// Customs reads the book, seals a period and verifies the seals.
	if got := balanceMap(t, s, a.C, book); !mapsEqual(got, wantBal) {
		t.Errorf("balances as customs: %v, want %v", got, wantBal)
	}
	if lb, err := lc.ListBooks(ctxAs(t, a.C), &ledgerv1.ListBooksRequest{}); err != nil || len(lb.GetBooks()) != 1 {
		t.Errorf("ListBooks as customs: %v, %v", lb.GetBooks(), err)
	}
	if n := len(streamAll(t, s, a.C, book)); n != 6 {
		t.Errorf("customs streams %d journals, want 6", n)
	}
	cp, err := lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: book, Through: d3, IdempotencyKey: "close-1"})
	if err != nil {
		t.Fatalf("ClosePeriod: %v", err)
	}
	if p := cp.GetPeriod(); p.GetJournalCount() != 5 || len(p.GetDigest()) == 0 || p.GetThrough() != d3 {
		t.Errorf("sealed period %v; want 5 journals through %s with a digest", p, d3)
	}
	if cp2, err := lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: book, Through: d3, IdempotencyKey: "close-1"}); err != nil ||
		string(cp2.GetPeriod().GetDigest()) != string(cp.GetPeriod().GetDigest()) {
		t.Errorf("repeating ClosePeriod: %v, %v; want the same period", cp2, err)
	}
	vp, err := lc.VerifyPeriods(ctxAs(t, a.C), &ledgerv1.VerifyPeriodsRequest{BookId: book})
	if err != nil || !vp.GetOk() || len(vp.GetProblems()) != 0 {
		t.Errorf("VerifyPeriods: %v, %v", vp, err)
	}
	if lp, err := lc.ListPeriods(ctxAs(t, a.E1), &ledgerv1.ListPeriodsRequest{BookId: book}); err != nil || len(lp.GetPeriods()) != 1 {
		t.Errorf("ListPeriods: %v, %v", lp, err)
	}
	if gb, err := lc.GetBook(ctxAs(t, a.C), &ledgerv1.GetBookRequest{BookId: book}); err != nil || gb.GetBook().GetClosedThrough() != d3 {
		t.Errorf("book after the close: %v, %v; want closed_through %s", gb, err, d3)
	}
	_, err = lc.PostJournal(ctxAs(t, a.E1), journal(book, "late", d2, move("4", "PCE", "1", "1", world("abroad"), acct(book, "bonded"))))
	if wantCode(t, err, codes.FailedPrecondition, "back-dating into a sealed period") && errorsv1.FieldOf(err) != "effective_date" {
		t.Errorf("back-dating: field %q, want effective_date", errorsv1.FieldOf(err))
	}
	Post(t, s, a.E1, journal(book, "today", day(0), move("4", "PCE", "1", "1", world("abroad"), acct(book, "bonded"))))

	// The admin: principals, a token revoked.
	lp, err := s.Admin().ListPrincipals(ctxAs(t, a.Admin), &adminv1.ListPrincipalsRequest{})
	if err != nil {
		t.Fatalf("ListPrincipals: %v", err)
	}
	var ids []string
	for _, p := range lp.GetPrincipals() {
		ids = append(ids, p.GetPrincipalId())
	}
	for _, want := range []string{"admin", "customs", "e1", "e2", "platform"} {
		if !slices.Contains(ids, want) {
			t.Errorf("ListPrincipals: %v lacks %s", ids, want)
		}
	}
	if w, err := s.Admin().WhoAmI(ctxAs(t, a.E1), &adminv1.WhoAmIRequest{}); err != nil || w.GetPrincipal().GetEnterpriseId() != ent1 || w.GetPrincipal().GetRole() != adminv1.Role_ROLE_ENTERPRISE {
		t.Errorf("WhoAmI as E1: %v, %v", w, err)
	}
	firstID := a.TokenIDs["e1"]
	second := a.Issue(t, s, "e1")
	if _, err := s.Admin().WhoAmI(ctxAs(t, second), &adminv1.WhoAmIRequest{}); err != nil {
		t.Fatalf("WhoAmI with a new token: %v", err)
	}
	lt, err := s.Admin().ListTokens(ctxAs(t, a.Admin), &adminv1.ListTokensRequest{PrincipalId: "e1"})
	if err != nil || len(lt.GetTokens()) != 2 {
		t.Errorf("ListTokens e1: %v, %v; want 2 tokens", lt, err)
	}
	for _, ti := range lt.GetTokens() {
		if strings.Contains(ti.String(), second) {
			t.Errorf("ListTokens shows the secret token")
		}
	}
	rt, err := s.Admin().RevokeToken(ctxAs(t, a.Admin), &adminv1.RevokeTokenRequest{TokenId: firstID})
	if err != nil || rt.GetToken().GetRevokedAt() == nil {
		t.Fatalf("RevokeToken: %v, %v", rt, err)
	}
	_, err = s.Admin().WhoAmI(ctxAs(t, second), &adminv1.WhoAmIRequest{})
	if err != nil {
		t.Errorf("the other token of e1 stopped working: %v", err)
	}
	// The revoked one is refused at once, on every service.
	_, err = lc.GetBalances(ctxAs(t, a.E1), &ledgerv1.GetBalancesRequest{BookId: book})
	wantCode(t, err, codes.Unauthenticated, "GetBalances with a revoked token")
	_, err = s.Admin().WhoAmI(ctxAs(t, a.E1), &adminv1.WhoAmIRequest{})
	wantCode(t, err, codes.Unauthenticated, "WhoAmI with a revoked token")
	_, err = lc.PostJournal(ctxAs(t, a.E1), journal(book, "after-revoke", day(0), move("4", "PCE", "1", "1", world("abroad"), acct(book, "bonded"))))
	wantCode(t, err, codes.Unauthenticated, "PostJournal with a revoked token")

	// A disabled principal's tokens stop working too.
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "e3", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: ent3})
	e3 := a.Issue(t, s, "e3")
	if _, err := s.Admin().WhoAmI(ctxAs(t, e3), &adminv1.WhoAmIRequest{}); err != nil {
		t.Fatalf("WhoAmI e3: %v", err)
	}
	if _, err := s.Admin().DisablePrincipal(ctxAs(t, a.Admin), &adminv1.DisablePrincipalRequest{PrincipalId: "e3"}); err != nil {
		t.Fatalf("DisablePrincipal: %v", err)
	}
	_, err = s.Admin().WhoAmI(ctxAs(t, e3), &adminv1.WhoAmIRequest{})
	wantCode(t, err, codes.Unauthenticated, "WhoAmI of a disabled principal")
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}
