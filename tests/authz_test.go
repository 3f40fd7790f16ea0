package tests

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Books of the authorization tests.
const (
	bookE1 = "H-AUTH-E1"
	bookE2 = "H-AUTH-E2"
)

// authWorld is what the authorization tests run against: E1's and E2's books
// with a few journals, and principals an attacker could harm.
type authWorld struct {
	s  *Server
	a  *Actors
	j1 int64 // a journal of E1's book that can be reversed
	// victimToken is the token id of principal "victim" (enterprise ENT3).
	victimToken string
	// z is the zone's documents of the customs services' cases; nil in
	// the tests that do not call them.
	z *customsAuthWorld
}

func newAuthWorld(t *testing.T) *authWorld {
	s := StartServer(t)
	a := NewActors(t, s)
	EnsureWorld(t, s, a.C, "abroad", "domestic")
	CreateBook(t, s, a.E1, bookE1, ent1, "bonded", "nonbonded")
	CreateBook(t, s, a.E2, bookE2, ent2, "bonded")
	RegisterItems(t, s, a.E1, bookE1, item("1", "KGM", 2), item("2", "PCE", 0))
	RegisterItems(t, s, a.E2, bookE2, item("1", "KGM", 2))
	Post(t, s, a.E1, journal(bookE1, "e1-in", day(-3), move("1", "KGM", "50", "500.00", world("abroad"), acct(bookE1, "bonded"))))
	j1 := Post(t, s, a.E1, journal(bookE1, "e1-out", day(-2), move("1", "KGM", "5", "", acct(bookE1, "bonded"), world("domestic"))))
	Post(t, s, a.E2, journal(bookE2, "e2-in", day(-3), move("1", "KGM", "7", "70.00", world("abroad"), acct(bookE2, "bonded"))))
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "victim", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: ent3})
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "victim2", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: ent3})
	a.Issue(t, s, "victim")
	return &authWorld{s: s, a: a, j1: j1.GetJournalId(), victimToken: a.TokenIDs["victim"]}
}

// methodCase calls one RPC as the holder of a token ("" for none). A server
// stream counts as answered at its first message or its end.
type methodCase func(ctx context.Context, w *authWorld) error

// methodCases has one case per RPC of sweptServices, keyed by full method
// name (the cases of the customs services, zoneledger.customs.v1, are
// customsMethodCases). Every request is valid and aims at E1's data (or at
// zone-wide or admin state), so that a caller who may not make it can only
// be refused for that reason.
func methodCases() map[string]methodCase {
	l := func(w *authWorld) ledgerv1.LedgerServiceClient { return w.s.Ledger() }
	ad := func(w *authWorld) adminv1.AdminServiceClient { return w.s.Admin() }
	e1Journal := func(key string) *ledgerv1.PostJournalRequest {
		return journal(bookE1, key, day(0), move("1", "KGM", "1", "10.00", world("abroad"), acct(bookE1, "bonded")))
	}
	ls := "/zoneledger.ledger.v1.LedgerService/"
	as := "/zoneledger.admin.v1.AdminService/"
	cases := map[string]methodCase{
		ls + "CreateBook": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).CreateBook(ctx, &ledgerv1.CreateBookRequest{BookId: "H-AUTH-NEW", Owner: ent1, Accounts: []string{"bonded"}})
			return err
		},
		ls + "GetBook": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).GetBook(ctx, &ledgerv1.GetBookRequest{BookId: bookE1})
			return err
		},
		ls + "ListBooks": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ListBooks(ctx, &ledgerv1.ListBooksRequest{Owner: ent1})
			return err
		},
		ls + "AddBookAccounts": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).AddBookAccounts(ctx, &ledgerv1.AddBookAccountsRequest{BookId: bookE1, Accounts: []string{"added"}})
			return err
		},
		ls + "RegisterItems": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).RegisterItems(ctx, &ledgerv1.RegisterItemsRequest{BookId: bookE1, Items: []*ledgerv1.Item{item("new", "PCE", 0)}})
			return err
		},
		ls + "ListItems": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ListItems(ctx, &ledgerv1.ListItemsRequest{BookId: bookE1})
			return err
		},
		ls + "EnsureWorldAccounts": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).EnsureWorldAccounts(ctx, &ledgerv1.EnsureWorldAccountsRequest{Names: []string{"consumed"}})
			return err
		},
		ls + "PostJournal": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).PostJournal(ctx, e1Journal("attack-post"))
			return err
		},
		ls + "ReverseJournal": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ReverseJournal(ctx, &ledgerv1.ReverseJournalRequest{BookId: bookE1, JournalId: w.j1, IdempotencyKey: "attack-rev", EffectiveDate: day(0), Reason: "attack"})
			return err
		},
		ls + "PostJournals": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).PostJournals(ctx, &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{e1Journal("attack-batch")}})
			return err
		},
		ls + "GetJournal": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).GetJournal(ctx, &ledgerv1.GetJournalRequest{JournalId: w.j1})
			return err
		},
		ls + "ListJournals": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ListJournals(ctx, &ledgerv1.ListJournalsRequest{BookId: bookE1})
			return err
		},
		ls + "StreamJournals": func(ctx context.Context, w *authWorld) error {
			st, err := l(w).StreamJournals(ctx, &ledgerv1.StreamJournalsRequest{BookId: bookE1})
			if err != nil {
				return err
			}
			_, err = st.Recv()
			if err == io.EOF {
				return nil
			}
			return err
		},
		ls + "GetBalances": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).GetBalances(ctx, &ledgerv1.GetBalancesRequest{BookId: bookE1})
			return err
		},
		ls + "GetDayTotals": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).GetDayTotals(ctx, &ledgerv1.GetDayTotalsRequest{BookId: bookE1, FromDate: day(-30), ToDate: day(0)})
			return err
		},
		ls + "ClosePeriod": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ClosePeriod(ctx, &ledgerv1.ClosePeriodRequest{BookId: bookE1, Through: day(-1), IdempotencyKey: "attack-close"})
			return err
		},
		ls + "ListPeriods": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).ListPeriods(ctx, &ledgerv1.ListPeriodsRequest{BookId: bookE1})
			return err
		},
		ls + "VerifyPeriods": func(ctx context.Context, w *authWorld) error {
			_, err := l(w).VerifyPeriods(ctx, &ledgerv1.VerifyPeriodsRequest{BookId: bookE1})
			return err
		},

		as + "CreatePrincipal": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).CreatePrincipal(ctx, &adminv1.CreatePrincipalRequest{PrincipalId: "intruder", Role: adminv1.Role_ROLE_ADMIN})
			return err
		},
		as + "GetPrincipal": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).GetPrincipal(ctx, &adminv1.GetPrincipalRequest{PrincipalId: "e1"})
			return err
		},
		as + "ListPrincipals": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).ListPrincipals(ctx, &adminv1.ListPrincipalsRequest{})
			return err
		},
		as + "DisablePrincipal": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).DisablePrincipal(ctx, &adminv1.DisablePrincipalRequest{PrincipalId: "victim2"})
			return err
		},
		as + "IssueToken": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).IssueToken(ctx, &adminv1.IssueTokenRequest{PrincipalId: "victim", Description: "stolen"})
			return err
		},
		as + "ListTokens": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).ListTokens(ctx, &adminv1.ListTokensRequest{PrincipalId: "victim"})
			return err
		},
		as + "RevokeToken": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).RevokeToken(ctx, &adminv1.RevokeTokenRequest{TokenId: w.victimToken})
			return err
		},
		as + "WhoAmI": func(ctx context.Context, w *authWorld) error {
			_, err := ad(w).WhoAmI(ctx, &adminv1.WhoAmIRequest{})
			return err
		},
	}
	for m, c := range customsMethodCases() {
		cases[m] = c
	}
	for m, c := range repairMethodCases() {
		cases[m] = c
	}
	for m, c := range writeoffCycleMethodCases() {
		cases[m] = c
	}
	for m, c := range outZoneMethodCases() {
		cases[m] = c
	}
	for m, c := range evidenceMethodCases() {
		cases[m] = c
	}
	for m, c := range balanceMethodCases() {
		cases[m] = c
	}
	for m, c := range listMessageMethodCases() {
		cases[m] = c
	}
	return cases
}

// sweptServices are the services TestAuthorizationEveryMethod sweeps: every
// service the server serves but gRPC health and reflection. serviceMethods
// and servedServices make sure none is left out.
var sweptServices = []grpc.ServiceDesc{
	ledgerv1.LedgerService_ServiceDesc, adminv1.AdminService_ServiceDesc,
	customsv1.TaxService_ServiceDesc, customsv1.BookService_ServiceDesc, customsv1.DeclarationService_ServiceDesc,
	customsv1.GateService_ServiceDesc, customsv1.DisplayService_ServiceDesc, customsv1.EcommerceService_ServiceDesc,
	customsv1.ProcessingService_ServiceDesc, customsv1.RndService_ServiceDesc, customsv1.RepairService_ServiceDesc,
	customsv1.WriteOffService_ServiceDesc,
	customsv1.OutZoneService_ServiceDesc,
}

// serviceMethods lists every RPC of sweptServices from their generated
// service descriptors, as full method names. It fails unless they are
// exactly the services and methods of every zoneledger.* proto file the
// tests link (the proto packages register all their files), so that a
// service added to a proto file cannot go unswept.
func serviceMethods() ([]string, error) {
	var out []string
	for _, sd := range sweptServices {
		for _, m := range sd.Methods {
			out = append(out, "/"+sd.ServiceName+"/"+m.MethodName)
		}
		for _, st := range sd.Streams {
			out = append(out, "/"+sd.ServiceName+"/"+st.StreamName)
		}
	}
	var fromFiles []string
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(string(fd.Package()), "zoneledger.") {
			return true
		}
		for i := 0; i < fd.Services().Len(); i++ {
			svc := fd.Services().Get(i)
			for j := 0; j < svc.Methods().Len(); j++ {
				fromFiles = append(fromFiles, "/"+string(svc.FullName())+"/"+string(svc.Methods().Get(j).Name()))
			}
		}
		return true
	})
	sort.Strings(out)
	sort.Strings(fromFiles)
	if !slices.Equal(out, fromFiles) {
		var missing, extra []string
		for _, m := range fromFiles {
			if !slices.Contains(out, m) {
				missing = append(missing, m)
			}
		}
		for _, m := range out {
			if !slices.Contains(fromFiles, m) {
				extra = append(extra, m)
			}
		}
		return out, fmt.Errorf("the proto files have methods sweptServices lacks: %v (add the service's ServiceDesc to sweptServices "+
			"and a case per method to methodCases); sweptServices has methods the proto files lack: %v", missing, extra)
	}
	return out, nil
}

// servedServices lists the services the server serves, by gRPC reflection,
// but gRPC health and reflection themselves.
func servedServices(t *testing.T, s *Server) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
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
	_ = st.CloseSend()
	var names []string
	for _, svc := range r.GetListServicesResponse().GetService() {
		if n := svc.GetName(); !strings.HasPrefix(n, "grpc.health.") && !strings.HasPrefix(n, "grpc.reflection.") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// adminOnly reports whether an AdminService method is for admins only.
func adminOnly(method string) bool {
	return strings.HasPrefix(method, "/zoneledger.admin.v1.AdminService/") && !strings.HasSuffix(method, "/WhoAmI")
}

func isLedger(method string) bool {
	return strings.HasPrefix(method, "/zoneledger.ledger.v1.LedgerService/")
}

// TestAuthorizationEveryMethod proves for every RPC of every service the
// server serves (sweptServices: it fails when a service or method has no
// case) that a call without valid credentials is UNAUTHENTICATED, that E2
// (and the admin, who reads no enterprise data) cannot touch E1's books,
// that only the admin manages principals and tokens, that in the customs
// services another zone enterprise (and the admin, and a platform not
// linked to E1) cannot touch E1's books, lists, passes, stock, display form,
// e-commerce orders, inventory lists and settlement, that E1 cannot do what
// only customs does (approve, record gate events, record display tax
// payments, register channels, ...) and customs files nothing for E1 — and
// that the refused calls changed nothing.
func TestAuthorizationEveryMethod(t *testing.T) {
	cases := methodCases()
	methods, err := serviceMethods()
	if err != nil {
		t.Error(err)
	}
	for _, m := range methods {
		if cases[m] == nil {
			t.Errorf("no authorization case for %s: add one to methodCases", m)
		}
	}
	for m := range cases {
		if !slices.Contains(methods, m) {
			t.Errorf("methodCases has %s, which the services do not have", m)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	w := newAuthWorld(t)
	// Every service the server serves is swept, even one of a proto package
	// the tests do not link.
	var swept []string
	for _, sd := range sweptServices {
		swept = append(swept, sd.ServiceName)
	}
	sort.Strings(swept)
	if served := servedServices(t, w.s); !slices.Equal(served, swept) {
		t.Fatalf("the server serves %v, the sweep covers %v: add the missing services to sweptServices and their methods to methodCases", served, swept)
	}
	w.z = newCustomsAuthWorld(t, w.s, w.a)
	before := takeSnapshot(t, w)
	call := func(m, tok string) error {
		return cases[m](ctxAs(t, tok), w)
	}
	badCredentials := map[string]func(context.Context) context.Context{
		"no token":               func(ctx context.Context) context.Context { return ctx },
		"unknown token":          func(ctx context.Context) context.Context { return withToken(ctx, "zl_"+strings.Repeat("A", 43)) },
		"malformed token":        func(ctx context.Context) context.Context { return withToken(ctx, "not-a-token") },
		"basic auth":             func(ctx context.Context) context.Context { return withRawAuth(ctx, "Basic ZTE6cGFzc3dvcmQ=") },
		"bearer without a token": func(ctx context.Context) context.Context { return withRawAuth(ctx, "Bearer ") },
		"admin token twice": func(ctx context.Context) context.Context {
			return withRawAuth(withRawAuth(ctx, "Bearer "+w.a.Admin), "Bearer "+w.a.Admin)
		},
		"token with a stray char": func(ctx context.Context) context.Context { return withToken(ctx, w.a.Admin+"x") },
	}
	for _, m := range methods {
		t.Run(strings.TrimPrefix(m, "/zoneledger."), func(t *testing.T) {
			names := make([]string, 0, len(badCredentials))
			for n := range badCredentials {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				err := cases[m](badCredentials[n](ctxAs(t, "")), w)
				wantCode(t, err, codes.Unauthenticated, n)
			}
			if isLedger(m) {
				// Every LedgerService method names E1's book, owner or
				// journal, or is zone-wide (EnsureWorldAccounts).
				wantCode(t, call(m, w.a.E2), codes.PermissionDenied, "E2 on E1's book")
				if !strings.HasSuffix(m, "/EnsureWorldAccounts") {
					wantCode(t, call(m, w.a.Admin), codes.PermissionDenied, "the admin on E1's book")
				}
			}
			if adminOnly(m) {
				wantCode(t, call(m, w.a.E1), codes.PermissionDenied, "an enterprise")
				wantCode(t, call(m, w.a.C), codes.PermissionDenied, "customs")
				wantCode(t, call(m, w.a.P), codes.PermissionDenied, "a platform")
			}
			if isCustoms(m) {
				checkCustomsMethod(t, w, m, call)
			}
		})
	}
	// The one customs listing that names no enterprise shows another
	// enterprise only itself.
	if le, err := w.z.z.books.ListEnterprises(ctxAs(t, w.z.e2.tok), &customsv1.ListEnterprisesRequest{}); err != nil ||
		len(le.GetEnterprises()) != 1 || le.GetEnterprises()[0].GetUscc() != w.z.e2.uscc {
		t.Errorf("ListEnterprises as E2: %v, %v; want only E2", le.GetEnterprises(), err)
	}

	// Cross-book tricks: filing on one's own book but touching E1's.
	lc := w.s.Ledger()
	_, err = lc.PostJournal(ctxAs(t, w.a.E2), &ledgerv1.PostJournalRequest{BookId: bookE2, IdempotencyKey: "sneak-1", EffectiveDate: day(0),
		Document: &ledgerv1.Document{Type: "INVT", Number: "X"},
		Postings: []*ledgerv1.Posting{{ItemCode: "1", ItemBookId: bookE1, Unit: "KGM", Quantity: "1", From: acct(bookE1, "bonded"), To: world("domestic")}}})
	wantCode(t, err, codes.PermissionDenied, "E2 filing on its book a posting out of E1's book")
	_, err = lc.PostJournal(ctxAs(t, w.a.E2), journal(bookE2, "sneak-2", day(0), move("1", "KGM", "1", "", acct(bookE2, "bonded"), acct(bookE1, "bonded"))))
	if code := codeOf(err); code != codes.PermissionDenied && code != codes.InvalidArgument {
		t.Errorf("E2 moving goods into E1's book: %v; want PERMISSION_DENIED (or INVALID_ARGUMENT)", err)
	}
	_, err = lc.ReverseJournal(ctxAs(t, w.a.E2), &ledgerv1.ReverseJournalRequest{BookId: bookE2, JournalId: w.j1, IdempotencyKey: "sneak-3", EffectiveDate: day(0), Reason: "x"})
	wantCode(t, err, codes.PermissionDenied, "E2 reversing E1's journal through its own book")
	_, err = lc.PostJournals(ctxAs(t, w.a.E2), &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{
		journal(bookE2, "sneak-own", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE2, "bonded"))),
		journal(bookE1, "sneak-4", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE1, "bonded"))),
	}})
	wantCode(t, err, codes.PermissionDenied, "E2's batch with one journal on E1's book")
	if lb, err := lc.ListBooks(ctxAs(t, w.a.E2), &ledgerv1.ListBooksRequest{}); err != nil || len(lb.GetBooks()) != 1 || lb.GetBooks()[0].GetBookId() != bookE2 {
		t.Errorf("ListBooks as E2 shows %v (%v); want only %s", lb.GetBooks(), err, bookE2)
	}
	_, err = lc.GetBook(ctxAs(t, w.a.E2), &ledgerv1.GetBookRequest{BookId: "H-DOES-NOT-EXIST"})
	if code := codeOf(err); code != codes.NotFound && code != codes.PermissionDenied {
		t.Errorf("GetBook of a missing book: %v", err)
	}

	after := takeSnapshot(t, w)
	diffSnapshots(t, before, after)

	// Positive controls: the same requests by callers who may make them
	// succeed, so the refusals above were about the caller.
	t.Run("allowed", func(t *testing.T) {
		for _, m := range methods {
			if err := call(m, allowedToken(w, m)); err != nil {
				t.Errorf("%s by an allowed caller: %v", m, err)
			}
		}
		for _, tok := range []string{w.a.E1, w.a.E2, w.a.C, w.a.P} {
			if err := call("/zoneledger.admin.v1.AdminService/WhoAmI", tok); err != nil {
				t.Errorf("WhoAmI: %v", err)
			}
		}
	})
}

// allowedToken is the token of a caller who may make method's case: the
// rightful principal of methodCases.
func allowedToken(w *authWorld, method string) string {
	switch {
	case strings.HasSuffix(method, "/EnsureWorldAccounts"):
		return w.a.C
	case isCustoms(method):
		return customsAllowedToken(w, method)
	case !isLedger(method):
		return w.a.Admin
	}
	return w.a.E1
}

func codeOf(err error) codes.Code { return status.Code(err) }

// withRawAuth adds an authorization header with the literal value v.
func withRawAuth(ctx context.Context, v string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", v)
}

// snapshot is what a refused call must not change.
type snapshot map[string]string

func takeSnapshot(t *testing.T, w *authWorld) snapshot {
	t.Helper()
	lc, ac := w.s.Ledger(), w.s.Admin()
	snap := snapshot{}
	put := func(k string, m proto.Message, err error) {
		if err != nil {
			t.Fatalf("snapshot %s: %v", k, err)
		}
		snap[k] = prototext.Format(m)
	}
	for _, b := range []string{bookE1, bookE2} {
		r1, err := lc.GetBalances(ctxAs(t, w.a.C), &ledgerv1.GetBalancesRequest{BookId: b, ByLot: true})
		put(b+" balances", r1, err)
		r2, err := lc.GetBook(ctxAs(t, w.a.C), &ledgerv1.GetBookRequest{BookId: b})
		put(b+" book", r2, err)
		r3, err := lc.ListItems(ctxAs(t, w.a.C), &ledgerv1.ListItemsRequest{BookId: b})
		put(b+" items", r3, err)
		r4, err := lc.ListPeriods(ctxAs(t, w.a.C), &ledgerv1.ListPeriodsRequest{BookId: b})
		put(b+" periods", r4, err)
		var ids []string
		for _, j := range streamAll(t, w.s, w.a.C, b) {
			ids = append(ids, fmt.Sprintf("%d:%s:%d", j.GetJournalId(), j.GetIdempotencyKey(), j.GetReversedBy()))
		}
		snap[b+" journals"] = strings.Join(ids, ",")
	}
	r5, err := lc.ListBooks(ctxAs(t, w.a.C), &ledgerv1.ListBooksRequest{})
	put("books", r5, err)
	r6, err := lc.EnsureWorldAccounts(ctxAs(t, w.a.C), &ledgerv1.EnsureWorldAccountsRequest{Names: []string{"abroad"}})
	put("world accounts", r6, err)
	r7, err := ac.ListPrincipals(ctxAs(t, w.a.Admin), &adminv1.ListPrincipalsRequest{})
	put("principals", r7, err)
	for _, p := range r7.GetPrincipals() {
		r8, err := ac.ListTokens(ctxAs(t, w.a.Admin), &adminv1.ListTokensRequest{PrincipalId: p.GetPrincipalId()})
		put("tokens of "+p.GetPrincipalId(), r8, err)
	}
	if w.z != nil {
		customsSnapshot(t, w, snap)
	}
	return snap
}

func diffSnapshots(t *testing.T, before, after snapshot) {
	t.Helper()
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		if before[k] != after[k] {
			t.Errorf("refused calls changed %s:\nbefore: %s\nafter:  %s", k, before[k], after[k])
		}
	}
}

// TestCustomsReadsButCannotWrite: customs reads every book but files
// nothing on an enterprise's book.
func TestCustomsReadsButCannotWrite(t *testing.T) {
	w := newAuthWorld(t)
	lc := w.s.Ledger()
	c := w.a.C
	if _, err := lc.GetBalances(ctxAs(t, c), &ledgerv1.GetBalancesRequest{BookId: bookE1}); err != nil {
		t.Errorf("customs GetBalances: %v", err)
	}
	if n := len(streamAll(t, w.s, c, bookE1)); n != 2 {
		t.Errorf("customs streams %d journals of E1's book, want 2", n)
	}
	if _, err := lc.GetJournal(ctxAs(t, c), &ledgerv1.GetJournalRequest{JournalId: w.j1}); err != nil {
		t.Errorf("customs GetJournal: %v", err)
	}
	if lb, err := lc.ListBooks(ctxAs(t, c), &ledgerv1.ListBooksRequest{}); err != nil || len(lb.GetBooks()) != 2 {
		t.Errorf("customs ListBooks: %v, %v; want both books", lb.GetBooks(), err)
	}
	before := balanceMap(t, w.s, c, bookE1)
	_, err := lc.PostJournal(ctxAs(t, c), journal(bookE1, "customs-post", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE1, "bonded"))))
	wantCode(t, err, codes.PermissionDenied, "customs PostJournal on E1's book")
	_, err = lc.PostJournals(ctxAs(t, c), &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{
		journal(bookE1, "customs-batch", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE1, "bonded")))}})
	wantCode(t, err, codes.PermissionDenied, "customs PostJournals on E1's book")
	_, err = lc.ReverseJournal(ctxAs(t, c), &ledgerv1.ReverseJournalRequest{BookId: bookE1, JournalId: w.j1, IdempotencyKey: "customs-rev", EffectiveDate: day(0), Reason: "x"})
	wantCode(t, err, codes.PermissionDenied, "customs ReverseJournal on E1's book")
	_, err = lc.RegisterItems(ctxAs(t, c), &ledgerv1.RegisterItemsRequest{BookId: bookE1, Items: []*ledgerv1.Item{item("c", "PCE", 0)}})
	wantCode(t, err, codes.PermissionDenied, "customs RegisterItems on E1's book")
	_, err = lc.AddBookAccounts(ctxAs(t, c), &ledgerv1.AddBookAccountsRequest{BookId: bookE1, Accounts: []string{"c"}})
	wantCode(t, err, codes.PermissionDenied, "customs AddBookAccounts on E1's book")
	_, err = lc.CreateBook(ctxAs(t, c), &ledgerv1.CreateBookRequest{BookId: "H-CUSTOMS", Owner: ent1})
	wantCode(t, err, codes.PermissionDenied, "customs CreateBook for E1")
	if after := balanceMap(t, w.s, c, bookE1); !mapsEqual(before, after) {
		t.Errorf("balances changed: %v -> %v", before, after)
	}
	if n := len(streamAll(t, w.s, c, bookE1)); n != 2 {
		t.Errorf("E1's book has %d journals after customs' refused writes, want 2", n)
	}
}

// TestPlatformActsForLinkedEnterprisesOnly: platform P, linked to E1,
// files on E1's book and nowhere else.
func TestPlatformActsForLinkedEnterprisesOnly(t *testing.T) {
	w := newAuthWorld(t)
	lc := w.s.Ledger()
	p := w.a.P
	j := Post(t, w.s, p, journal(bookE1, "platform-order-1", day(0), move("1", "KGM", "2", "20.00", world("abroad"), acct(bookE1, "bonded"))))
	if j.GetPrincipal() != "platform" {
		t.Errorf("journal filed by the platform records principal %q", j.GetPrincipal())
	}
	br, err := lc.PostJournals(ctxAs(t, p), &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{
		journal(bookE1, "platform-order-2", day(0), move("1", "KGM", "1", "", acct(bookE1, "bonded"), world("domestic")))}})
	if err != nil || br.GetResults()[0].GetJournal() == nil {
		t.Errorf("platform PostJournals on E1's book: %v, %v", br, err)
	}
	if _, err := lc.GetBalances(ctxAs(t, p), &ledgerv1.GetBalancesRequest{BookId: bookE1}); err != nil {
		t.Errorf("platform reading E1's balances: %v", err)
	}
	if lb, err := lc.ListBooks(ctxAs(t, p), &ledgerv1.ListBooksRequest{}); err != nil || len(lb.GetBooks()) != 1 || lb.GetBooks()[0].GetBookId() != bookE1 {
		t.Errorf("platform ListBooks: %v, %v; want E1's book only", lb.GetBooks(), err)
	}

	before := balanceMap(t, w.s, w.a.C, bookE2)
	_, err = lc.PostJournal(ctxAs(t, p), journal(bookE2, "platform-e2", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE2, "bonded"))))
	wantCode(t, err, codes.PermissionDenied, "platform PostJournal on E2's book")
	_, err = lc.PostJournals(ctxAs(t, p), &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{
		journal(bookE1, "platform-mixed-1", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE1, "bonded"))),
		journal(bookE2, "platform-mixed-2", day(0), move("1", "KGM", "1", "1.00", world("abroad"), acct(bookE2, "bonded"))),
	}})
	wantCode(t, err, codes.PermissionDenied, "platform PostJournals touching E2's book")
	_, err = lc.GetBalances(ctxAs(t, p), &ledgerv1.GetBalancesRequest{BookId: bookE2})
	wantCode(t, err, codes.PermissionDenied, "platform reading E2's balances")
	_, err = lc.ListBooks(ctxAs(t, p), &ledgerv1.ListBooksRequest{Owner: ent2})
	wantCode(t, err, codes.PermissionDenied, "platform listing E2's books")
	_, err = lc.CreateBook(ctxAs(t, p), &ledgerv1.CreateBookRequest{BookId: "H-PLATFORM-E2", Owner: ent2})
	wantCode(t, err, codes.PermissionDenied, "platform creating a book for E2")
	_, err = lc.ClosePeriod(ctxAs(t, p), &ledgerv1.ClosePeriodRequest{BookId: bookE1, Through: day(-1), IdempotencyKey: "p-close"})
	wantCode(t, err, codes.PermissionDenied, "platform closing E1's period")
	if after := balanceMap(t, w.s, w.a.C, bookE2); !mapsEqual(before, after) {
		t.Errorf("E2's balances changed: %v -> %v", before, after)
	}
	// The refused mixed batch recorded nothing, not even its E1 journal.
	for _, j := range streamAll(t, w.s, w.a.C, bookE1) {
		if strings.HasPrefix(j.GetIdempotencyKey(), "platform-mixed") {
			t.Errorf("journal %s of a refused batch was recorded", j.GetIdempotencyKey())
		}
	}
}
