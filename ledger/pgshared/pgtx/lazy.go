package pgtx

import (
	"context"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Lazy is a Runner made on first use: it detects the engine then, unless
// one was given. Stores that are built before their database is reachable
// use it. It is safe for concurrent use.
type Lazy struct {
	pool   *pgxpool.Pool
	engine Engine
	opts   Options

	mu sync.Mutex
	r  *Runner
}

// NewLazy returns a Lazy runner on pool.
func NewLazy(pool *pgxpool.Pool, engine Engine, opts Options) *Lazy {
	return &Lazy{pool: pool, engine: engine, opts: opts}
}

// Run runs fn in a SERIALIZABLE transaction with the engine's retries (see
// Runner.Run). fn's own errors and database errors come back as they are;
// the store tells them apart and classifies the database's (Classify).
func (l *Lazy) Run(ctx context.Context, fn func(pgx.Tx) error) error {
	r, err := l.runner(ctx)
	if err != nil {
		return err
	}
	_, err = r.Run(ctx, fn)
	return err
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

// Failure says what a database error means for the caller.
type Failure int

// The failures Classify tells apart.
const (
	// Busy: conflicts outlasted the retries; the change was not made and
	// may be retried as it is.
	Busy Failure = iota + 1
	// Refused: the database refused a statement (a bug, or a schema the
	// code does not expect); retrying will not help.
	Refused
	// Unreachable: the connection was lost or never made, or the server is
	// shutting down or recovering; a change in flight may or may not have
	// been made.
	Unreachable
)

// String names the failure.
func (f Failure) String() string {
	switch f {
	case Busy:
		return "busy"
	case Refused:
		return "refused"
	case Unreachable:
		return "unreachable"
	}
	return "unknown"
}

// StatementRefused reports whether the database refused a statement (Classify's
// Refused): a bug, or a schema the code does not expect.
func StatementRefused(err error) bool { return Classify(err) == Refused }

// Classify tells what a database error means: Busy, Refused or
// Unreachable. Stores call it on the errors their transactions return that
// are not their own, and translate the answer into their own error type.
func Classify(err error) Failure {
	if Retryable(err) {
		return Busy
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !ServerGone(err) {
		return Refused
	}
	return Unreachable
}
