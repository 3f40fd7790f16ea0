// Package pgtx runs SERIALIZABLE transactions on PostgreSQL and CockroachDB
// with the retries each engine needs. Every store of zoneledger (the
// ledger's, customs') writes through it, so the retry rules live in one
// place:
//
//   - PostgreSQL: the whole transaction is retried from a new BEGIN on
//     SQLSTATE 40001 (serialization failure), 40P01 (deadlock) and 23505 (a
//     concurrent insert of the same key: the next attempt sees the row),
//     with jittered exponential backoff and a bounded number of attempts;
//     the COMMIT error is checked, so a write refused at COMMIT is retried,
//     never reported as done.
//   - CockroachDB: crdbpgx.ExecuteTx from cockroach-go, with an explicit
//     retry limit. It is never used on PostgreSQL, where it ignores the
//     COMMIT error and would report a rolled-back write as a success.
//
// The function run inside a transaction must have no effects outside the
// database: it may run several times.
package pgtx

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cockroachdb/cockroach-go/v2/crdb"
	crdbpgx "github.com/cockroachdb/cockroach-go/v2/crdb/crdbpgxv5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Engine is a database engine.
type Engine string

// The supported engines.
const (
	PostgreSQL  Engine = "postgresql"
	CockroachDB Engine = "cockroachdb"
)

// DetectEngine tells PostgreSQL from CockroachDB by SELECT version().
func DetectEngine(ctx context.Context, pool *pgxpool.Pool) (Engine, error) {
	var v string
	if err := pool.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil {
		return "", fmt.Errorf("asking the database for its version: %w", err)
	}
	if strings.Contains(v, "CockroachDB") {
		return CockroachDB, nil
	}
	return PostgreSQL, nil
}

// Stage names a point in a transaction where a FaultInjector may fail it.
type Stage string

// The stages a FaultInjector is asked about.
const (
	StageBegin  Stage = "begin"
	StageApply  Stage = "apply"
	StageCommit Stage = "commit"
)

// FaultInjector lets tests fail a transaction at a chosen stage, e.g. with
// a serialization failure at COMMIT. A non-nil error from Fault aborts the
// attempt as if the database had returned it; at StageCommit the
// transaction is rolled back, so the write is really lost, as when
// PostgreSQL refuses a COMMIT.
type FaultInjector interface {
	Fault(stage Stage, attempt int) error
}

// SerializationFailure returns an error that looks exactly like
// PostgreSQL's SQLSTATE 40001, for fault injection.
func SerializationFailure(msg string) error {
	return &pgconn.PgError{Code: "40001", Message: msg}
}

// Retryable reports whether a transaction that failed with err may be run
// again from BEGIN.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "23505":
			return true
		}
	}
	return false
}

// ServerGone reports whether err is PostgreSQL telling that the session
// ended or cannot start because the server is shutting down, restarting or
// recovering (SQLSTATE 57P01-57P03, class 08): the database is unavailable,
// the statement was not at fault.
func ServerGone(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "57P01", "57P02", "57P03":
		return true
	}
	return strings.HasPrefix(pe.Code, "08")
}

// Options configure a Runner.
type Options struct {
	// MaxAttempts bounds how many times a transaction is tried. Default 10.
	MaxAttempts int
	// Faults injects failures, for tests; PostgreSQL only.
	Faults FaultInjector
	// OnRetry is called before each retried attempt (metrics).
	OnRetry func()
	// OnAlone is called before a last attempt that runs alone among the
	// named transactions (see locks.go), for metrics: the only time writes
	// on different books wait for each other.
	OnAlone func()
}

// Runner runs transactions on one pool.
type Runner struct {
	pool   *pgxpool.Pool
	engine Engine
	opts   Options
}

// NewRunner returns a Runner for a pool whose engine is known (see
// DetectEngine).
func NewRunner(pool *pgxpool.Pool, engine Engine, opts Options) (*Runner, error) {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	switch engine {
	case PostgreSQL:
	case CockroachDB:
		if opts.Faults != nil {
			return nil, errors.New("fault injection is only supported on PostgreSQL")
		}
	default:
		return nil, fmt.Errorf("unknown engine %q: use %q or %q", engine, PostgreSQL, CockroachDB)
	}
	return &Runner{pool: pool, engine: engine, opts: opts}, nil
}

// Engine returns the runner's engine.
func (r *Runner) Engine() Engine { return r.engine }

// Run runs fn in a SERIALIZABLE transaction, retrying as the engine
// requires, and returns how many attempts it took.
func (r *Runner) Run(ctx context.Context, fn func(pgx.Tx) error) (attempts int, err error) {
	return r.RunNamed(ctx, nil, fn)
}

// RunNamed is Run for a transaction that learns what it writes as it runs:
// fn adds the names (the ledger's books) to names, and every retried attempt
// first takes their exclusive locks, as RunPipelined's retries do (see
// locks.go), so that it waits for the transactions it lost to instead of
// losing to them again. A nil names is Run.
func (r *Runner) RunNamed(ctx context.Context, names *Names, fn func(pgx.Tx) error) (attempts int, err error) {
	if r.engine == CockroachDB {
		return r.runCockroach(ctx, fn)
	}
	return r.retry(ctx, func(attempt int) error { return r.once(ctx, names, fn, attempt) })
}

// retry runs one attempt after another until one succeeds, one fails for a
// reason a retry cannot help, or MaxAttempts is reached, with jittered
// backoff between attempts.
func (r *Runner) retry(ctx context.Context, once func(attempt int) error) (attempts int, err error) {
	backoff := time.Millisecond
	for attempt := 1; ; attempt++ {
		err := once(attempt)
		if err == nil {
			return attempt, nil
		}
		if !Retryable(err) || attempt >= r.opts.MaxAttempts {
			return attempt, err
		}
		if r.opts.OnRetry != nil {
			r.opts.OnRetry()
		}
		select {
		case <-time.After(backoff/2 + rand.N(backoff)):
		case <-ctx.Done():
			return attempt, ctx.Err()
		}
		if backoff < 100*time.Millisecond {
			backoff *= 2
		}
	}
}

func (r *Runner) once(ctx context.Context, names *Names, fn func(pgx.Tx) error, attempt int) (err error) {
	if err := r.fault(StageBegin, attempt); err != nil {
		return err
	}
	var tx pgx.Tx
	if keys := r.retryLocks(attempt, names.keys()); len(keys) > 0 {
		conn, err := r.pool.Acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		unlock, err := lockSession(ctx, conn, keys)
		if err != nil {
			return err
		}
		defer unlock() // after the deferred ROLLBACK below, if any
		tx, err = conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
		if err != nil {
			return err
		}
	} else if tx, err = r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable}); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := r.fault(StageApply, attempt); err != nil {
		return err
	}
	if err := r.fault(StageCommit, attempt); err != nil {
		return err // rolled back by the deferred call: the write is lost, as on a failed COMMIT
	}
	return tx.Commit(ctx)
}

func (r *Runner) fault(s Stage, attempt int) error {
	if r.opts.Faults == nil {
		return nil
	}
	return r.opts.Faults.Fault(s, attempt)
}

// runCockroach uses ExecuteTx, which implements CockroachDB's client-side
// retry protocol. A unique violation (another node inserted the same key
// first) needs a fresh transaction that sees the other row, so it is
// retried here, a few times.
func (r *Runner) runCockroach(ctx context.Context, fn func(pgx.Tx) error) (int, error) {
	attempts := 0
	var err error
	for round := 0; round < 3; round++ {
		err = crdbpgx.ExecuteTx(crdb.WithMaxRetries(ctx, r.opts.MaxAttempts), r.pool,
			pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
				attempts++
				return fn(tx)
			})
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23505" {
			break
		}
	}
	return attempts, err
}

// Permanent reports whether err carries a database error no retry can
// change: any SQLSTATE but a lost connection (class 08), a transaction
// rollback such as a serialization failure or deadlock (40), insufficient
// resources (53), an operator's intervention such as a shutdown (57) or a
// system error (58). Data exceptions (22, e.g. text PostgreSQL cannot
// store) and integrity violations (23) are permanent. An error without a
// SQLSTATE (a network failure, a cancelled context) is not.
func Permanent(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || len(pe.Code) < 2 {
		return false
	}
	switch pe.Code[:2] {
	case "08", "40", "53", "57", "58":
		return false
	}
	return true
}
