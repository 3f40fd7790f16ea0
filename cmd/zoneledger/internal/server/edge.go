package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"golang.org/x/sync/semaphore"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Defaults of the limits on what calls hold in flight (Config).
const (
	// DefaultMaxPostingsPerCall bounds the postings of one PostJournal or
	// PostJournals call.
	DefaultMaxPostingsPerCall = 20000
	// DefaultMaxInFlightBytes bounds the request bytes (protobuf size) of
	// all the calls the server is handling at once.
	DefaultMaxInFlightBytes = 4 << 20
	// DefaultMaxPrincipalInFlightBytes bounds the request bytes of the
	// calls one principal has in flight at once, and so the size of one
	// call.
	DefaultMaxPrincipalInFlightBytes = 2 << 20
)

// recovery returns the outermost interceptors after metrics: a handler's
// panic is logged with its stack under an error id and answered INTERNAL
// with that id (grpcedge.InternalStatus), and the process lives on; an
// error that is not yet a gRPC status goes through grpcedge.Status, so no
// raw error reaches a caller. They also refuse the messages textCodec
// decoded from invalid UTF-8, before anything else looks at them.
func recovery(log *slog.Logger) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	caught := func(method string, r any) error {
		id := grpcedge.NewErrorID()
		log.Error("handler panicked; answered INTERNAL, serving on", "error_id", id, "method", method,
			"value", fmt.Sprint(r), "stack", string(debug.Stack()))
		return grpcedge.InternalStatus(id)
	}
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (resp any, err error) {
		if err := takeBadUTF8(req); err != nil {
			return nil, err
		}
		defer func() {
			if r := recover(); r != nil {
				resp, err = nil, caught(info.FullMethod, r)
			}
		}()
		resp, err = h(ctx, req)
		return resp, grpcedge.Status(err)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = caught(info.FullMethod, r)
			}
		}()
		return grpcedge.Status(h(srv, &textStream{ss}))
	}
	return unary, stream
}

// textStream refuses each received message textCodec decoded from invalid
// UTF-8.
type textStream struct{ grpc.ServerStream }

func (s *textStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return takeBadUTF8(m)
}

// limiter bounds what calls hold in flight: the postings of one call, the
// request bytes one principal has in flight and the request bytes of the
// whole server. Past a limit, a call is refused at once with
// RESOURCE_EXHAUSTED; nothing waits, so a refused call holds nothing.
type limiter struct {
	maxPostings  int
	maxPrincipal int64
	maxServer    int64
	server       *semaphore.Weighted

	mu         sync.Mutex
	principals map[string]*budget
}

// budget is one principal's in-flight budget; users counts the calls that
// hold or wait for it, so that idle principals' budgets are dropped.
type budget struct {
	sem   *semaphore.Weighted
	users int
}

func newLimiter(cfg Config) *limiter {
	l := &limiter{maxPostings: cfg.MaxPostingsPerCall, maxPrincipal: cfg.MaxPrincipalInFlightBytes,
		maxServer: cfg.MaxInFlightBytes, principals: map[string]*budget{}}
	if l.maxPostings <= 0 {
		l.maxPostings = DefaultMaxPostingsPerCall
	}
	if l.maxServer <= 0 {
		l.maxServer = DefaultMaxInFlightBytes
	}
	if l.maxPrincipal <= 0 {
		l.maxPrincipal = DefaultMaxPrincipalInFlightBytes
	}
	l.maxPrincipal = min(l.maxPrincipal, l.maxServer)
	l.server = semaphore.NewWeighted(l.maxServer)
	return l
}

// checkSize refuses one message too large for any call.
func (l *limiter) checkSize(msg any) (int64, error) {
	m, ok := msg.(proto.Message)
	if !ok {
		return 0, nil
	}
	size := int64(proto.Size(m))
	if size > l.maxPrincipal {
		return 0, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonRequestTooLarge, "",
			"this call carries %d bytes; one call may carry at most %d (--max-principal-in-flight-bytes): split it into smaller calls", size, l.maxPrincipal)
	}
	if n := postings(m); n > l.maxPostings {
		return 0, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonRequestTooLarge, "",
			"this call carries %d postings; one call may carry at most %d (--max-postings-per-call): split it into calls of at most %d postings", n, l.maxPostings, l.maxPostings)
	}
	return size, nil
}

// postings counts the postings of a ledger write request.
func postings(m proto.Message) int {
	switch r := m.(type) {
	case *ledgerv1.PostJournalRequest:
		return len(r.GetPostings())
	case *ledgerv1.PostJournalsRequest:
		n := 0
		for _, j := range r.GetJournals() {
			n += len(j.GetPostings())
		}
		return n
	}
	return 0
}

// acquire takes the call's bytes from its principal's budget and the
// server's, or refuses the call. release gives them back.
func (l *limiter) acquire(ctx context.Context, req any) (release func(), err error) {
	size, err := l.checkSize(req)
	if err != nil || size == 0 {
		return func() {}, err
	}
	who := ""
	if p, ok := access.FromContext(ctx); ok {
		who = p.ID
	}
	l.mu.Lock()
	b := l.principals[who]
	if b == nil {
		b = &budget{sem: semaphore.NewWeighted(l.maxPrincipal)}
		l.principals[who] = b
	}
	b.users++
	l.mu.Unlock()
	drop := func() {
		l.mu.Lock()
		if b.users--; b.users == 0 {
			delete(l.principals, who)
		}
		l.mu.Unlock()
	}
	if !b.sem.TryAcquire(size) {
		drop()
		return nil, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonInFlightLimit, "",
			"principal %q already has calls in flight near its limit of %d request bytes (--max-principal-in-flight-bytes); this call needs %d: retry when earlier calls have been answered, or send smaller calls", who, l.maxPrincipal, size)
	}
	if !l.server.TryAcquire(size) {
		b.sem.Release(size)
		drop()
		return nil, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonInFlightLimit, "",
			"the server is handling its limit of %d request bytes (--max-in-flight-bytes); this call needs %d: retry in a moment, with the same idempotency key", l.maxServer, size)
	}
	return func() {
		l.server.Release(size)
		b.sem.Release(size)
		drop()
	}, nil
}

// maxRecvMsgSize is the largest message gRPC reads: a principal's budget,
// since no larger call could be accepted. gRPC refuses a larger one from
// its length prefix, before reading or decoding it (RESOURCE_EXHAUSTED,
// "grpc: received message larger than max"): decoding is where a large
// call costs most, before any handler runs (cmd/zoneledger/README.md has
// the figures).
func (l *limiter) maxRecvMsgSize() int { return int(l.maxPrincipal) }

// interceptors bound unary calls by the budgets, and each message a stream
// receives by the per-call limits. Install them after authentication (the
// budget is the principal's) and before validation.
func (l *limiter) interceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	unary := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		release, err := l.acquire(ctx, req)
		if err != nil {
			return nil, grpcedge.Status(err)
		}
		defer release()
		return h(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		return h(srv, &limitedStream{ServerStream: ss, l: l})
	}
	return unary, stream
}

type limitedStream struct {
	grpc.ServerStream
	l *limiter
}

func (s *limitedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	_, err := s.l.checkSize(m)
	return grpcedge.Status(err)
}
