package pgtx

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger"
)

// Lazy is a Runner made on first use: it detects the engine then, unless
// one was given. Stores that are built before their database is reachable
// use it. It is safe for concurrent use.
type Lazy struct {
	pool   *pgxpool.Pool
	engine Engine
	opts   Options
	what   string

	mu sync.Mutex
	r  *Runner
}

// NewLazy returns a Lazy runner on pool. what names the tables it writes,
// for error messages ("the zone's tables").
func NewLazy(pool *pgxpool.Pool, engine Engine, opts Options, what string) *Lazy {
	return &Lazy{pool: pool, engine: engine, opts: opts, what: what}
}

// Run runs fn in a SERIALIZABLE transaction with the engine's retries (see
// Runner.Run). Database failures come back as ledger errors that say what
// to do (see DescribeError); fn's own errors as they are.
func (l *Lazy) Run(ctx context.Context, fn func(pgx.Tx) error) error {
	r, err := l.runner(ctx)
	if err != nil {
		return DescribeError(err, l.what)
	}
	_, err = r.Run(ctx, fn)
	return DescribeError(err, l.what)
}

func (l *Lazy) runner(ctx context.Context) (*Runner, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.r != nil {
		return l.r, nil
	}
	engine := l.engine
	if engine == "" {
		var err error
		if engine, err = DetectEngine(ctx, l.pool); err != nil {
			return nil, err
		}
	}
	r, err := NewRunner(l.pool, engine, l.opts)
	if err != nil {
		return nil, err
	}
	l.r = r
	return r, nil
}

// DescribeError passes ledger and context errors through and turns
// database failures into ledger errors that say what to do: UNAVAILABLE
// (retry) for conflicts that outlasted the retries and for a lost
// connection, INTERNAL for a statement the database refused. what names
// the tables concerned.
func DescribeError(err error, what string) error {
	var le *ledger.Error
	if err == nil || errors.As(err, &le) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if Retryable(err) {
		return &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
			Message: what + " are busy and the change gave up after repeated conflicts; retry", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !ServerGone(err) {
		return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the database refused a query on " + what, Err: err}
	}
	return &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
		Message: "could not reach the database; a change in flight may or may not have been made: check, then retry", Err: err}
}
