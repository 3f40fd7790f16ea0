package ledgerapi_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	"github.com/zoneledger/zoneledger/ledger/ledgerapi"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// allowAll lets every caller do everything, as "tester".
type allowAll struct{}

func (allowAll) Principal(context.Context) (string, error)         { return "tester", nil }
func (allowAll) CanRead(context.Context, string) error             { return nil }
func (allowAll) CanWrite(context.Context, string) error            { return nil }
func (allowAll) CanClose(context.Context, string) error            { return nil }
func (allowAll) CanAdminister(context.Context) error               { return nil }
func (allowAll) ReadScope(context.Context) ([]string, bool, error) { return nil, true, nil }

const book = "H4601A000009"

// serve starts a LedgerService on a fresh database with one book and the
// world account abroad, and returns the store and a client with gRPC's
// default limits.
func serve(t *testing.T) (*pgstore.Store, ledgerv1.LedgerServiceClient) {
	t.Helper()
	ctx := context.Background()
	s, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBook(ctx, ledger.Book{ID: book, Owner: "E1", Accounts: []string{"bonded"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureWorldAccounts(ctx, []string{"abroad"}); err != nil {
		t.Fatal(err)
	}
	lis := bufconn.Listen(1 << 20)
	unary, stream := grpcedge.ValidationInterceptors()
	srv := grpc.NewServer(grpc.UnaryInterceptor(unary), grpc.StreamInterceptor(stream))
	ledgerv1.RegisterLedgerServiceServer(srv, ledgerapi.NewServer(s, allowAll{}))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///ledger", grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return s, ledgerv1.NewLedgerServiceClient(conn)
}

func register(t *testing.T, s *pgstore.Store, code string) ledger.ItemRef {
	t.Helper()
	if _, err := s.RegisterItems(context.Background(), []ledger.Item{{Book: book, Code: code, Unit: "KGM", Scale: 3}}); err != nil {
		t.Fatal(err)
	}
	return ledger.ItemRef{Book: book, Code: code}
}

func wantStatus(t *testing.T, err error, code codes.Code, reason, field, text string) {
	t.Helper()
	if status.Code(err) != code || errorsv1.ReasonOf(err) != reason || errorsv1.FieldOf(err) != field || !strings.Contains(status.Convert(err).Message(), text) {
		t.Fatalf("got %v (reason %q, field %q), want %s, %s on %s mentioning %q", err, errorsv1.ReasonOf(err), errorsv1.FieldOf(err), code, reason, field, text)
	}
}

func posting(from, to *ledgerv1.AccountRef, q, v string) *ledgerv1.Posting {
	return &ledgerv1.Posting{ItemCode: "A", ItemBookId: book, From: from, To: to, Quantity: q, Value: v, Unit: "KGM"}
}

// The report: a back-dated outbound of goods that arrived later,
// and a date of 9999-12-31, were accepted and GetBalances as_of showed
// -3 kg. Now both are refused with their codes, and as_of 0001-01-01 is
// that day, not "now".
func TestLedgerServiceRefusesNegativeAsOfBalancesAndFarDates(t *testing.T) {
	s, c := serve(t)
	register(t, s, "A")
	ctx := context.Background()
	abroad, bonded := &ledgerv1.AccountRef{Name: "abroad"}, &ledgerv1.AccountRef{BookId: book, Name: "bonded"}
	post := func(key, date string, p *ledgerv1.Posting) error {
		_, err := c.PostJournal(ctx, &ledgerv1.PostJournalRequest{BookId: book, IdempotencyKey: key, EffectiveDate: date,
			Document: &ledgerv1.Document{Type: "T", Number: key}, Postings: []*ledgerv1.Posting{p}})
		return err
	}
	if err := post("in", "2026-03-10", posting(abroad, bonded, "10", "100")); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, post("out", "2026-03-05", posting(bonded, abroad, "3", "")), codes.FailedPrecondition, "INSUFFICIENT_QUANTITY", "postings[0].quantity", "end of 2026-03-05")
	wantStatus(t, post("far", "9999-12-31", posting(abroad, bonded, "1", "1")), codes.InvalidArgument, "EFFECTIVE_DATE_OUT_OF_RANGE", "effective_date", "9999-12-31")
	wantStatus(t, post("early", "1900-01-01", posting(abroad, bonded, "1", "1")), codes.InvalidArgument, "EFFECTIVE_DATE_OUT_OF_RANGE", "effective_date", "1990-01-01")
	for asOf, want := range map[string]int{"2026-03-05": 0, "0001-01-01": 0, "2026-03-10": 1, "": 1} {
		r, err := c.GetBalances(ctx, &ledgerv1.GetBalancesRequest{BookId: book, AsOf: asOf})
		if err != nil || len(r.GetBalances()) != want {
			t.Fatalf("as_of %q: %v, %v; want %d balances", asOf, r, err, want)
		}
		for _, b := range r.GetBalances() {
			if decimal.RequireFromString(b.GetQuantity()).IsNegative() {
				t.Fatalf("as_of %q: %v", asOf, b)
			}
		}
	}
	v, err := c.VerifyPeriods(ctx, &ledgerv1.VerifyPeriodsRequest{BookId: book})
	if err != nil || !v.GetOk() || v.GetPeriodsChecked() != 0 {
		t.Fatalf("VerifyPeriods with nothing sealed: %v, %v; want ok with 0 periods checked", v, err)
	}
}

// A default ListJournals page of journals with many postings fits a
// client's default 4 MiB receive limit; paging returns every journal.
func TestListJournalsPagesFitTheDefaultReceiveLimit(t *testing.T) {
	s, c := serve(t)
	code := strings.Repeat("C", 64)
	item := register(t, s, code)
	const journals, postings = 24, 1000
	reqs := make([]ledger.JournalRequest, journals)
	for j := range reqs {
		reqs[j] = ledger.JournalRequest{Book: book, IdempotencyKey: fmt.Sprint("big-", j), EffectiveDate: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Principal: "tester"}
		for p := range postings {
			reqs[j].Postings = append(reqs[j].Postings, ledger.Posting{Item: item, From: ledger.World("abroad"), To: ledger.In(book, "bonded"),
				Quantity: decimal.NewFromInt(1), Unit: "KGM", Value: decimal.NewFromInt(1), Lot: fmt.Sprintf("%s-%03d-%04d", strings.Repeat("L", 80), j, p)})
		}
	}
	for i, r := range s.PostMany(context.Background(), reqs) {
		if r.Err != nil {
			t.Fatalf("journal %d: %v", i, r.Err)
		}
	}
	var got int
	token := ""
	for pages := 0; ; pages++ {
		r, err := c.ListJournals(context.Background(), &ledgerv1.ListJournalsRequest{BookId: book, PageToken: token})
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		got += len(r.GetJournals())
		if token = r.GetNextPageToken(); token == "" {
			if pages == 0 {
				t.Fatalf("%d journals in one page; the test needs them to exceed 4 MiB", got)
			}
			break
		}
	}
	if got != journals {
		t.Fatalf("paged through %d journals, want %d", got, journals)
	}
}

// TestBatchItemInternalErrorHasIDInTheLog: a journal of PostJournals that
// the database refuses (text it cannot store, which only the edge's
// interceptors would have caught) answers what it would have answered
// alone: code INTERNAL, reason INTERNAL, the generic message with an error
// id, and the cause in the log under that id, never in the answer. The
// other journal of the batch is booked.
func TestBatchItemInternalErrorHasIDInTheLog(t *testing.T) {
	var logBuf bytes.Buffer
	grpcedge.SetErrorLogger(slog.New(slog.NewTextHandler(&logBuf, nil)))
	t.Cleanup(func() { grpcedge.SetErrorLogger(nil) })
	s, _ := serve(t)
	register(t, s, "A")
	abroad, bonded := &ledgerv1.AccountRef{Name: "abroad"}, &ledgerv1.AccountRef{BookId: book, Name: "bonded"}
	journal := func(key, docNo string) *ledgerv1.PostJournalRequest {
		return &ledgerv1.PostJournalRequest{BookId: book, IdempotencyKey: key, EffectiveDate: "2026-03-10",
			Document: &ledgerv1.Document{Type: "T", Number: docNo}, Postings: []*ledgerv1.Posting{posting(abroad, bonded, "1", "1")}}
	}
	// The handler itself, without the interceptors that refuse NUL first.
	resp, err := ledgerapi.NewServer(s, allowAll{}).PostJournals(context.Background(), &ledgerv1.PostJournalsRequest{
		Journals: []*ledgerv1.PostJournalRequest{journal("ok", "D1"), journal("bad", "D\x002")}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.GetResults()[0]; r.GetError() != nil || r.GetJournal() == nil {
		t.Fatalf("the good journal: %v", r)
	}
	e := resp.GetResults()[1].GetError()
	if e.GetCode() != "INTERNAL" || e.GetReason() != ledger.ReasonInternal {
		t.Fatalf("the refused journal: %v; want code INTERNAL, reason INTERNAL", e)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(e.GetMessage(), "internal error "), ";")
	if len(id) != 16 || !strings.HasPrefix(e.GetMessage(), "internal error "+id+"; ") {
		t.Fatalf("message %q: want \"internal error <16-digit id>; ...\"", e.GetMessage())
	}
	if strings.Contains(e.GetMessage(), "UTF8") || strings.Contains(e.GetMessage(), "database") {
		t.Errorf("message %q tells the database's cause", e.GetMessage())
	}
	if log := logBuf.String(); !strings.Contains(log, "error_id="+id) || !strings.Contains(log, "UTF8") {
		t.Errorf("the log does not hold the id %s and the cause:\n%s", id, log)
	}
}
