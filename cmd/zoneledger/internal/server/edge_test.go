package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// edge is a gRPC server with the real interceptor chain, the real access
// store on PostgreSQL, and test services behind it.
type edge struct {
	conn   *grpc.ClientConn
	log    *syncBuffer
	tokens map[string]string // principal -> bearer token
}

func newEdge(t *testing.T, cfg Config, register func(*grpc.Server)) *edge {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	a := access.NewStore(pool, access.Options{})
	e := &edge{log: &syncBuffer{}, tokens: map[string]string{}}
	for _, id := range []string{"p1", "p2", "p3"} {
		if _, err := a.CreatePrincipal(ctx, access.Principal{ID: id, Role: access.RoleCustoms}); err != nil {
			t.Fatal(err)
		}
		tok, err := a.IssueToken(ctx, id, "test", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[id] = tok.Token
	}
	log := slog.New(slog.NewTextHandler(e.log, nil))
	grpcedge.SetErrorLogger(log)
	t.Cleanup(func() { grpcedge.SetErrorLogger(nil) })
	srv := grpc.NewServer(interceptorChain(newMetrics(), log, a, cfg)...)
	register(srv)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	e.conn, err = grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.conn.Close() })
	return e
}

func (e *edge) as(principal string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	_ = cancel // the test's calls end well before; vet wants it used
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+e.tokens[principal])
}

// wantInternalWithID checks err is INTERNAL with an error id in its
// message and ErrorInfo, logged in log, and returns the id.
func wantInternalWithID(t *testing.T, err error, log string, what string) string {
	t.Helper()
	st := status.Convert(err)
	id := errorsv1.ErrorIDOf(err)
	if st.Code() != codes.Internal || len(id) != 16 || !strings.HasPrefix(st.Message(), "internal error "+id+";") {
		t.Fatalf("%s: got %v (error id %q), want INTERNAL \"internal error <id>; ...\" with the id in ErrorInfo", what, err, id)
	}
	if !strings.Contains(log, "error_id="+id) {
		t.Errorf("%s: the server's log does not name error id %s:\n%s", what, id, log)
	}
	return id
}

// panicky is a health service whose Check panics for service "boom" and
// whose Watch always panics.
type panicky struct {
	healthpb.UnimplementedHealthServer
}

func (panicky) Check(_ context.Context, r *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if r.GetService() == "boom" {
		var hits []int
		hits[len(r.GetService())]++ // out of range: a real bug's panic
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (panicky) Watch(*healthpb.HealthCheckRequest, grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	panic("a stream handler failed")
}

// TestPanicIsInternalAndServerLives: a handler's panic (unary or stream) is
// answered INTERNAL with an error id, logged with that id and its stack,
// and the server keeps serving.
func TestPanicIsInternalAndServerLives(t *testing.T) {
	e := newEdge(t, Config{}, func(s *grpc.Server) { healthpb.RegisterHealthServer(s, panicky{}) })
	hc := healthpb.NewHealthClient(e.conn)
	for i := range 2 {
		_, err := hc.Check(e.as("p1"), &healthpb.HealthCheckRequest{Service: "boom"})
		id := wantInternalWithID(t, err, e.log.String(), fmt.Sprintf("panicking Check #%d", i))
		if log := e.log.String(); !strings.Contains(log, "edge_test.go") || !strings.Contains(log, "index out of range") {
			t.Errorf("the log of error %s lacks the panic's value and stack:\n%s", id, log)
		}
		if r, err := hc.Check(e.as("p1"), &healthpb.HealthCheckRequest{}); err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("after the panic the server answered %v, %v; want SERVING", r, err)
		}
	}
	w, err := hc.Watch(e.as("p1"), &healthpb.HealthCheckRequest{})
	if err == nil {
		_, err = w.Recv()
	}
	wantInternalWithID(t, err, e.log.String(), "panicking Watch")
}

// fakeLedger answers GetBook with a raw database error and parks
// PostJournal calls until release is closed.
type fakeLedger struct {
	ledgerv1.UnimplementedLedgerServiceServer
	entered chan string
	release chan struct{}
}

func (f *fakeLedger) GetBook(context.Context, *ledgerv1.GetBookRequest) (*ledgerv1.GetBookResponse, error) {
	return nil, errors.New("failed to connect to `user=zoneledger database=zl`: 10.1.2.3:5432 (db.internal): server error: FATAL: password authentication failed (SQLSTATE 28P01)")
}

func (f *fakeLedger) PostJournal(_ context.Context, r *ledgerv1.PostJournalRequest) (*ledgerv1.PostJournalResponse, error) {
	f.entered <- r.GetIdempotencyKey()
	<-f.release
	return &ledgerv1.PostJournalResponse{}, nil
}

// TestRawErrorHidesDatabaseDetail: a handler's raw error reaches the caller
// as INTERNAL with an id, never with the database's host, user or port.
func TestRawErrorHidesDatabaseDetail(t *testing.T) {
	f := &fakeLedger{}
	e := newEdge(t, Config{}, func(s *grpc.Server) { ledgerv1.RegisterLedgerServiceServer(s, f) })
	_, err := ledgerv1.NewLedgerServiceClient(e.conn).GetBook(e.as("p1"), &ledgerv1.GetBookRequest{BookId: "B1"})
	wantInternalWithID(t, err, e.log.String(), "GetBook")
	for _, leak := range []string{"10.1.2.3", "5432", "zoneledger", "db.internal", "SQLSTATE", "password"} {
		if strings.Contains(status.Convert(err).Message(), leak) {
			t.Errorf("the caller read %q in %q", leak, status.Convert(err).Message())
		}
	}
	if !strings.Contains(e.log.String(), "db.internal") {
		t.Errorf("the log lacks the cause:\n%s", e.log.String())
	}
}

// postingsJournal is a valid PostJournalRequest with n postings.
func postingsJournal(key string, n int) *ledgerv1.PostJournalRequest {
	ps := make([]*ledgerv1.Posting, n)
	for i := range ps {
		ps[i] = &ledgerv1.Posting{ItemCode: fmt.Sprint(i % 10), Unit: "PCE", Quantity: "1", Value: "1.00",
			From: &ledgerv1.AccountRef{Name: "abroad"}, To: &ledgerv1.AccountRef{BookId: "B1", Name: "bonded"}}
	}
	return &ledgerv1.PostJournalRequest{BookId: "B1", IdempotencyKey: key, EffectiveDate: "2026-01-02",
		Document: &ledgerv1.Document{Type: "test", Number: key}, Postings: ps}
}

func wantExhausted(t *testing.T, err error, reason, what string, says ...string) {
	t.Helper()
	if status.Code(err) != codes.ResourceExhausted || errorsv1.ReasonOf(err) != reason {
		t.Fatalf("%s: got %v (reason %q), want RESOURCE_EXHAUSTED, reason %s", what, err, errorsv1.ReasonOf(err), reason)
	}
	for _, s := range says {
		if !strings.Contains(status.Convert(err).Message(), s) {
			t.Errorf("%s: message %q does not say %q", what, status.Convert(err).Message(), s)
		}
	}
}

// TestLimits: a call past the per-call limits is refused with
// REQUEST_TOO_LARGE before its handler runs; calls past a principal's or
// the server's in-flight budget are refused with IN_FLIGHT_LIMIT while the
// budget is held, and accepted once it is released.
func TestLimits(t *testing.T) {
	t.Run("per call", func(t *testing.T) {
		f := &fakeLedger{entered: make(chan string, 1), release: make(chan struct{})}
		close(f.release)
		e := newEdge(t, Config{MaxPostingsPerCall: 100}, func(s *grpc.Server) { ledgerv1.RegisterLedgerServiceServer(s, f) })
		lc := ledgerv1.NewLedgerServiceClient(e.conn)
		_, err := lc.PostJournal(e.as("p1"), postingsJournal("k1", 101))
		wantExhausted(t, err, ledger.ReasonRequestTooLarge, "101 postings", "101 postings", "at most 100", "split")
		many := &ledgerv1.PostJournalsRequest{}
		for j := range 100 {
			many.Journals = append(many.Journals, postingsJournal(fmt.Sprint("k", j), 1000))
		}
		_, err = lc.PostJournals(e.as("p1"), many)
		if status.Code(err) != codes.ResourceExhausted { // refused by gRPC from its length, unread
			t.Fatalf("100 x 1000 postings (4.8 MB, above the 2 MiB a principal may have in flight): %v, want RESOURCE_EXHAUSTED", err)
		}
		if len(f.entered) != 0 {
			t.Fatal("a refused call reached its handler")
		}
		if _, err := lc.PostJournal(e.as("p1"), postingsJournal("k2", 100)); err != nil {
			t.Fatalf("a call within the limits: %v", err)
		}
	})
	t.Run("in flight", func(t *testing.T) {
		one := int64(len(mustMarshal(t, postingsJournal("a1", 500))))
		f := &fakeLedger{entered: make(chan string, 8), release: make(chan struct{})}
		// p1 may hold one such call, the server two.
		e := newEdge(t, Config{MaxPrincipalInFlightBytes: one*3/2 + 100, MaxInFlightBytes: one*5/2 + 100},
			func(s *grpc.Server) { ledgerv1.RegisterLedgerServiceServer(s, f) })
		lc := ledgerv1.NewLedgerServiceClient(e.conn)
		var wg sync.WaitGroup
		park := func(who, key string) {
			wg.Go(func() {
				if _, err := lc.PostJournal(e.as(who), postingsJournal(key, 500)); err != nil {
					t.Errorf("parked call %s: %v", key, err)
				}
			})
			if got := <-f.entered; got != key {
				t.Errorf("entered %s, want %s", got, key)
			}
		}
		park("p1", "a1")
		_, err := lc.PostJournal(e.as("p1"), postingsJournal("a2", 500))
		wantExhausted(t, err, ledger.ReasonInFlightLimit, "p1's second call", `"p1"`, "retry")
		park("p2", "b1")
		_, err = lc.PostJournal(e.as("p3"), postingsJournal("c1", 500))
		wantExhausted(t, err, ledger.ReasonInFlightLimit, "a third call on the server", "server", "retry")
		close(f.release)
		wg.Wait()
		if _, err := lc.PostJournal(e.as("p1"), postingsJournal("a3", 500)); err != nil {
			t.Fatalf("p1's call once the budget is free: %v", err)
		}
		if _, err := lc.PostJournal(e.as("p3"), postingsJournal("c2", 500)); err != nil {
			t.Fatalf("p3's call once the budget is free: %v", err)
		}
	})
}

func mustMarshal(t *testing.T, m *ledgerv1.PostJournalRequest) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawCodec sends the bytes it is given, as the client codec of a test that
// puts invalid UTF-8 on the wire (protobuf-go will not marshal it).
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error)   { return v.([]byte), nil }
func (rawCodec) Unmarshal(_ []byte, _ any) error { return nil }
func (rawCodec) Name() string                    { return "proto" }

// TestInvalidUTF8OnTheWireIsInvalidArgument: a string field with invalid
// UTF-8 on the wire, at any depth, is answered INVALID_ARGUMENT naming the
// field, like U+0000, not INTERNAL as gRPC's decoder failing would be; the
// handler never runs.
func TestInvalidUTF8OnTheWireIsInvalidArgument(t *testing.T) {
	f := &fakeLedger{entered: make(chan string, 4), release: make(chan struct{})}
	close(f.release)
	e := newEdge(t, Config{}, func(s *grpc.Server) { ledgerv1.RegisterLedgerServiceServer(s, f) })
	for _, c := range []struct {
		name, field string
		mut         func(r *ledgerv1.PostJournalRequest)
	}{
		{"nested lot", "postings[1].lot", func(r *ledgerv1.PostJournalRequest) { r.Postings[1].Lot = "L\x01\x02\x03" }},
		{"top-level key", "idempotency_key", func(r *ledgerv1.PostJournalRequest) { r.IdempotencyKey = "k\x01\x02\x03" }},
		{"map value", "metadata", func(r *ledgerv1.PostJournalRequest) { r.Metadata = map[string]string{"note": "n\x01\x02\x03"} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := postingsJournal("k", 3)
			c.mut(r)
			b := mustMarshal(t, r)
			b = bytes.Replace(b, []byte{1, 2, 3}, []byte{0xff, 0xfe, 0xfd}, 1) // invalid UTF-8, same length
			err := e.conn.Invoke(e.as("p1"), "/zoneledger.ledger.v1.LedgerService/PostJournal", b, new([]byte), grpc.ForceCodec(rawCodec{}))
			if status.Code(err) != codes.InvalidArgument || errorsv1.FieldOf(err) != c.field || errorsv1.ReasonOf(err) != ledger.ReasonInvalidArgument {
				t.Fatalf("got %v (field %q), want INVALID_ARGUMENT naming %q", err, errorsv1.FieldOf(err), c.field)
			}
		})
	}
	if len(f.entered) != 0 {
		t.Fatal("a handler ran on invalid UTF-8")
	}
	if _, err := ledgerv1.NewLedgerServiceClient(e.conn).PostJournal(e.as("p1"), postingsJournal("good", 3)); err != nil {
		t.Fatalf("a good call after: %v", err)
	}
}
