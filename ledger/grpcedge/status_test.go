package grpcedge

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// validJournal is a PostJournalRequest that passes protovalidate.
func validJournal() *ledgerv1.PostJournalRequest {
	return &ledgerv1.PostJournalRequest{
		BookId: "B1", IdempotencyKey: "k1", EffectiveDate: "2026-01-02",
		Postings: []*ledgerv1.Posting{{ItemCode: "I1", From: &ledgerv1.AccountRef{Name: "bonded"}, To: &ledgerv1.AccountRef{Name: "shipped"}, Quantity: "1", Unit: "PCS"}},
	}
}

// TestTextCheckRefusesUnstorableText: a string PostgreSQL cannot store
// (U+0000, invalid UTF-8), anywhere in a request, is refused with
// INVALID_ARGUMENT naming the field as the API user writes it, before the
// handler runs; for unary calls and every message of a stream.
func TestTextCheckRefusesUnstorableText(t *testing.T) {
	unary, stream := ValidationInterceptors()
	many := func(mut func(r *ledgerv1.PostJournalsRequest)) proto.Message {
		r := &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{validJournal(), validJournal()}}
		mut(r)
		return r
	}
	cases := []struct {
		name  string
		req   proto.Message
		field string
	}{
		{"list line lot", &customsv1.CreateListRequest{InnerNo: "X1", Lines: []*customsv1.ListLine{{}, {Lot: "L\x00"}}}, "lines[1].lot"},
		{"nested repeated", many(func(r *ledgerv1.PostJournalsRequest) { r.Journals[1].Postings[0].Lot = "L\x00" }), "journals[1].postings[0].lot"},
		{"map value", many(func(r *ledgerv1.PostJournalsRequest) { r.Journals[0].Metadata = map[string]string{"note": "a\x00b"} }), `journals[0].metadata["note"]`},
		{"map key", many(func(r *ledgerv1.PostJournalsRequest) { r.Journals[0].Metadata = map[string]string{"no\x00te": "x"} }), `journals[0].metadata["no\x00te"]`},
		{"invalid UTF-8", many(func(r *ledgerv1.PostJournalsRequest) { r.Journals[0].IdempotencyKey = "k\xff" }), "journals[0].idempotency_key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			_, err := unary(context.Background(), tc.req, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) {
				called = true
				return nil, nil
			})
			wantBadText(t, err, tc.field)
			if called {
				t.Error("the handler ran")
			}
			ss := &oneMsgStream{msg: tc.req}
			err = stream(nil, ss, &grpc.StreamServerInfo{}, func(_ any, s grpc.ServerStream) error {
				return s.RecvMsg(proto.Clone(tc.req))
			})
			wantBadText(t, err, tc.field)
		})
	}
	// Clean text passes the text check (the rules are protovalidate's).
	if err := checkText(many(func(*ledgerv1.PostJournalsRequest) {})); err != nil {
		t.Fatalf("clean text was refused: %v", err)
	}
}

func wantBadText(t *testing.T, err error, field string) {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument || errorsv1.ReasonOf(err) != ledger.ReasonInvalidArgument || errorsv1.FieldOf(err) != field {
		t.Fatalf("got %v (reason %q, field %q), want INVALID_ARGUMENT, reason INVALID_ARGUMENT, field %q", err, errorsv1.ReasonOf(err), errorsv1.FieldOf(err), field)
	}
	var br *errdetails.BadRequest
	for _, d := range st.Details() {
		if b, ok := d.(*errdetails.BadRequest); ok {
			br = b
		}
	}
	if br == nil || len(br.GetFieldViolations()) != 1 || br.GetFieldViolations()[0].GetField() != field {
		t.Fatalf("BadRequest detail = %v, want one violation of %q", br, field)
	}
}

// oneMsgStream is a server stream whose RecvMsg copies msg into the
// destination.
type oneMsgStream struct {
	grpc.ServerStream
	msg proto.Message
}

func (s *oneMsgStream) Context() context.Context { return context.Background() }

func (s *oneMsgStream) RecvMsg(m any) error {
	proto.Reset(m.(proto.Message))
	proto.Merge(m.(proto.Message), s.msg)
	return nil
}

// TestInternalErrorHasIDAndNoDatabaseDetail: a database error answered as
// INTERNAL carries a generic message with an error id (also in
// ErrorInfo.metadata["error_id"]) and nothing of the database's text; the
// id and the full cause are in the server's log. A lost connection
// (UNAVAILABLE) keeps its advice but not the address.
func TestInternalErrorHasIDAndNoDatabaseDetail(t *testing.T) {
	var logBuf bytes.Buffer
	SetErrorLogger(slog.New(slog.NewTextHandler(&logBuf, nil)))
	t.Cleanup(func() { SetErrorLogger(nil) })

	pool := pgtest.Pool(t)
	_, dbErr := pool.Exec(context.Background(), `SELECT $1::text`, "L\x00")
	if dbErr == nil {
		t.Fatal("PostgreSQL stored a NUL")
	}
	err := Status(&ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the database refused a query on the zone's tables", Err: dbErr})
	st := status.Convert(err)
	id := errorsv1.ErrorIDOf(err)
	if st.Code() != codes.Internal || len(id) != 16 {
		t.Fatalf("got %v with error id %q, want INTERNAL with a 16-digit id", err, id)
	}
	if !strings.HasPrefix(st.Message(), "internal error "+id+";") {
		t.Errorf("message %q does not start with \"internal error %s;\"", st.Message(), id)
	}
	for _, leak := range []string{"UTF8", "SQLSTATE", "SELECT", "0x00", "database refused"} {
		if strings.Contains(st.Message(), leak) {
			t.Errorf("message %q leaks %q", st.Message(), leak)
		}
	}
	if log := logBuf.String(); !strings.Contains(log, "error_id="+id) || !strings.Contains(log, "UTF8") {
		t.Errorf("the log does not hold the id and the cause:\n%s", log)
	}
	if again := errorsv1.ErrorIDOf(Status(&ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the database refused a query on x", Err: dbErr})); again == id || again == "" {
		t.Errorf("second error id %q, want a fresh one (first %q)", again, id)
	}

	// A connection refused: UNAVAILABLE, advice kept, address withheld.
	l, lerr := net.Listen("tcp", "127.0.0.1:0")
	if lerr != nil {
		t.Fatal(lerr)
	}
	addr := l.Addr().String()
	l.Close()
	_, connErr := pgx.Connect(context.Background(), "postgres://someone@"+addr+"/db?connect_timeout=5")
	if connErr == nil {
		t.Fatal("connected to a closed port")
	}
	err = Status(&ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable, Message: "could not reach the database; check, then retry", Err: connErr})
	st = status.Convert(err)
	_, port, _ := net.SplitHostPort(addr)
	if st.Code() != codes.Unavailable || strings.Contains(st.Message(), port) || strings.Contains(st.Message(), "someone") || errorsv1.ErrorIDOf(err) == "" {
		t.Errorf("got %v (error id %q), want UNAVAILABLE with an id and neither the port %s nor the user", err, errorsv1.ErrorIDOf(err), port)
	}
	if !strings.Contains(st.Message(), "retry") {
		t.Errorf("message %q lost its advice", st.Message())
	}
}
