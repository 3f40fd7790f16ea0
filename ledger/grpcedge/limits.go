package grpcedge

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/ledger"
)

// Limits are the bounds a Limiter keeps; every field must be set.
type Limits struct {
	// MaxItemsPerCall bounds the items (Items) of one call.
	MaxItemsPerCall int
	// MaxInFlightBytes bounds the request bytes (protobuf size) of all the
	// calls in flight at once.
	MaxInFlightBytes int64
	// MaxPrincipalInFlightBytes bounds the request bytes of the calls one
	// principal has in flight at once, and so the size of one call.
	MaxPrincipalInFlightBytes int64
	// Items counts the items of a request (the postings of a ledger
	// write); ItemNoun names them in refusals ("postings").
	Items    func(proto.Message) int
	ItemNoun string
	// Principal names the caller whose budget a call takes ("" for none).
	Principal func(context.Context) string
}

// Limiter bounds what calls hold in flight: the items of one call, the
// request bytes one principal has in flight and the request bytes of the
// whole server. Past a limit, a call is refused at once with
// RESOURCE_EXHAUSTED; nothing waits, so a refused call holds nothing.
type Limiter struct {
	lim          Limits
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

// NewLimiter returns a limiter of l.
func NewLimiter(l Limits) *Limiter {
	return &Limiter{lim: l, maxPrincipal: min(l.MaxPrincipalInFlightBytes, l.MaxInFlightBytes), maxServer: l.MaxInFlightBytes,
		server: semaphore.NewWeighted(l.MaxInFlightBytes), principals: map[string]*budget{}}
}

// checkSize refuses one message too large for any call.
func (l *Limiter) checkSize(msg any) (int64, error) {
	m, ok := msg.(proto.Message)
	if !ok {
		return 0, nil
	}
	size := int64(proto.Size(m))
	if size > l.maxPrincipal {
		return 0, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonRequestTooLarge, "",
			"this call carries %d bytes; one call may carry at most %d (--max-principal-in-flight-bytes): split it into smaller calls", size, l.maxPrincipal)
	}
	if n, most := l.lim.Items(m), l.lim.MaxItemsPerCall; n > most {
		return 0, ledger.Errorf(ledger.KindResourceExhausted, ledger.ReasonRequestTooLarge, "",
			"this call carries %d %s; one call may carry at most %d (--max-%s-per-call): split it into calls of at most %d %[2]s", n, l.lim.ItemNoun, most, l.lim.ItemNoun, most)
	}
	return size, nil
}

// acquire takes the call's bytes from its principal's budget and the
// server's, or refuses the call. release gives them back.
func (l *Limiter) acquire(ctx context.Context, req any) (release func(), err error) {
	size, err := l.checkSize(req)
	if err != nil || size == 0 {
		return func() {}, err
	}
	who := l.lim.Principal(ctx)
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

// MaxRecvMsgSize is the largest message gRPC reads: a principal's budget,
// since no larger call could be accepted. gRPC refuses a larger one from
// its length prefix, before reading or decoding it (RESOURCE_EXHAUSTED,
// "grpc: received message larger than max"): decoding is where a large
// call costs most, before any handler runs (cmd/zoneledger/README.md has
// the figures).
func (l *Limiter) MaxRecvMsgSize() int { return int(l.maxPrincipal) }

// Interceptors bound unary calls by the budgets, and each message a stream
// receives by the per-call limits. Install them after authentication (the
// budget is the principal's) and before validation.
func (l *Limiter) Interceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	unary := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		release, err := l.acquire(ctx, req)
		if err != nil {
			return nil, Status(err)
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
	l *Limiter
}

func (s *limitedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	_, err := s.l.checkSize(m)
	return Status(err)
}
