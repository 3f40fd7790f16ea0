package pgstore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/cockroachdb/cockroach-go/v2/crdb"
	crdbpgx "github.com/cockroachdb/cockroach-go/v2/crdb/crdbpgxv5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Engine is the database engine behind a Store.
type Engine string

// The supported engines.
const (
	PostgreSQL  Engine = "postgresql"
	CockroachDB Engine = "cockroachdb"
)

// Stage names a point in a write transaction where a FaultInjector may fail it.
type Stage string

// The stages a FaultInjector is asked about.
const (
	StageBegin  Stage = "begin"
	StageApply  Stage = "apply"
	StageCommit Stage = "commit"
)

// FaultInjector lets tests fail a write transaction at a chosen stage, e.g.
// with a serialization failure at COMMIT. A non-nil error from Fault aborts
// the attempt as if the database had returned it; at StageCommit the
// transaction is rolled back, so the write is really lost, as when
// PostgreSQL refuses a COMMIT.
type FaultInjector interface {
	Fault(stage Stage, attempt int) error
}

// SerializationFailure returns an error that looks exactly like PostgreSQL's
// SQLSTATE 40001, for fault injection.
func SerializationFailure(msg string) error {
	return &pgconn.PgError{Code: "40001", Message: msg}
}

// retryable reports whether a transaction that failed with err may be run
// again from BEGIN: serialization failures, deadlocks, and unique violations
// (another process inserted the same idempotency key or lot first; the next
// attempt sees its row).
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01", "23505":
			return true
		}
	}
	return false
}

// txRunner runs fn in a SERIALIZABLE transaction, retrying it as the engine
// requires. fn must have no effects outside the transaction.
type txRunner interface {
	run(ctx context.Context, fn func(pgx.Tx) error) (attempts int, err error)
}

// pgRunner retries whole transactions on PostgreSQL: a new BEGIN for every
// attempt, the COMMIT error checked, jittered exponential backoff, bounded
// attempts.
type pgRunner struct {
	pool        *pgxpool.Pool
	maxAttempts int
	faults      FaultInjector
	onRetry     func()
}

func (r *pgRunner) run(ctx context.Context, fn func(pgx.Tx) error) (int, error) {
	backoff := time.Millisecond
	for attempt := 1; ; attempt++ {
		err := r.once(ctx, fn, attempt)
		if err == nil {
			return attempt, nil
		}
		if !retryable(err) || attempt >= r.maxAttempts {
			return attempt, err
		}
		if r.onRetry != nil {
			r.onRetry()
		}
		sleep := backoff/2 + rand.N(backoff)
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return attempt, ctx.Err()
		}
		if backoff < 100*time.Millisecond {
			backoff *= 2
		}
	}
}

func (r *pgRunner) once(ctx context.Context, fn func(pgx.Tx) error, attempt int) (err error) {
	if err := r.fault(StageBegin, attempt); err != nil {
		return err
	}
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
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

func (r *pgRunner) fault(s Stage, attempt int) error {
	if r.faults == nil {
		return nil
	}
	return r.faults.Fault(s, attempt)
}

// crdbRunner uses cockroach-go's ExecuteTx, which implements CockroachDB's
// client-side retry protocol (SAVEPOINT cockroach_restart). It is never used
// on PostgreSQL: there it ignores the COMMIT error and would report a write
// that was rolled back as a success.
type crdbRunner struct {
	pool       *pgxpool.Pool
	maxRetries int
}

func (r *crdbRunner) run(ctx context.Context, fn func(pgx.Tx) error) (int, error) {
	attempts := 0
	var err error
	// ExecuteTx retries serialization failures itself; a unique violation
	// (another node inserted the same idempotency key first) needs a fresh
	// transaction that sees the other row, so it is retried here, a few times.
	for round := 0; round < 3; round++ {
		err = crdbpgx.ExecuteTx(crdb.WithMaxRetries(ctx, r.maxRetries), r.pool,
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
