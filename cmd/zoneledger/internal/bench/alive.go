package bench

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrServerGone is wrapped by the error Run returns when the server died or
// stopped answering during the run: the bench stops at once instead of
// counting refused calls (or waiting) until its duration is over.
var ErrServerGone = errors.New("the server is gone")

// defaultDeadAfter is how long every call may fail with UNAVAILABLE (or
// time out) before the bench gives the server up.
const defaultDeadAfter = 10 * time.Second

// liveness follows the calls' outcomes: it remembers since when no call has
// succeeded and every failure said the server could not be reached.
type liveness struct {
	failingSince atomic.Int64 // unix nanoseconds; 0 while calls succeed
	last         atomic.Pointer[string]
}

// intercept is a unary client interceptor recording each call's outcome.
func (l *liveness) intercept(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	err := invoker(ctx, method, req, reply, cc, opts...)
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded:
		if errors.Is(ctx.Err(), context.Canceled) {
			return err // the bench itself gave up the call
		}
		l.failingSince.CompareAndSwap(0, time.Now().UnixNano())
		msg := err.Error()
		l.last.Store(&msg)
	case codes.Canceled:
	default:
		l.failingSince.Store(0)
	}
	return err
}

// failingFor reports how long calls have failed to reach the server, and
// the last such failure.
func (l *liveness) failingFor(now time.Time) (time.Duration, string) {
	since := l.failingSince.Load()
	if since == 0 {
		return 0, ""
	}
	msg := ""
	if p := l.last.Load(); p != nil {
		msg = *p
	}
	return now.Sub(time.Unix(0, since)), msg
}

// watch cancels the run with an ErrServerGone cause when the server the
// bench started exits (exited is closed; describe says how), when the
// process pid (0: none to watch) no longer exists, or when every call has
// failed to reach addr for deadAfter. It returns when ctx is done.
func watch(ctx context.Context, cancel context.CancelCauseFunc, l *liveness, addr string, deadAfter time.Duration,
	exited <-chan struct{}, describe func() string, pid int) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-exited:
			cancel(fmt.Errorf("%w: %s", ErrServerGone, describe()))
			return
		case now := <-tick.C:
			if pid > 0 && !processAlive(pid) {
				cancel(fmt.Errorf("%w: the server process %d exited during the bench", ErrServerGone, pid))
				return
			}
			if d, msg := l.failingFor(now); d >= deadAfter {
				cancel(fmt.Errorf("%w: no call to %s has succeeded for %s; the last error: %s", ErrServerGone, addr, d.Round(time.Second), msg))
				return
			}
		}
	}
}
