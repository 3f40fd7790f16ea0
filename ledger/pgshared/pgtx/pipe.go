package pgtx

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pipe is a PostgreSQL transaction whose BEGIN travels in its first batch
// of statements and whose COMMIT in its last, so that a transaction of two
// batches takes two round trips instead of four. A writer that runs one
// transaction after another (the ledger's batcher) waits for every round
// trip; BEGIN and COMMIT alone were a fifth of its cycle.
//
// The COMMIT's error comes back as the last batch's error, so a write that
// did not commit is never reported as done. Get a Pipe from
// Runner.RunPipelined.
type Pipe struct {
	conn    *pgxpool.Conn
	r       *Runner
	attempt int
	names   []string // what the transaction writes (see locks.go)
	begun   bool     // BEGIN queued
	ended   bool     // COMMIT (or ROLLBACK) queued
	fault   error    // injected at StageApply or StageCommit
}

// Conn is the connection the transaction runs on: send its batches here.
func (p *Pipe) Conn() *pgxpool.Conn { return p.conn }

// Begin queues BEGIN ISOLATION LEVEL SERIALIZABLE on b, the transaction's
// first batch, which must still be empty, followed by the shared locks of
// the transaction's names. Once the transaction has begun, Begin does
// nothing, so code that may or may not send the first batch can call it on
// each.
func (p *Pipe) Begin(b *pgx.Batch) {
	if p.begun {
		return
	}
	if b.Len() != 0 {
		panic("pgtx: Pipe.Begin on a batch that already has statements")
	}
	b.Queue(`BEGIN ISOLATION LEVEL SERIALIZABLE`)
	p.r.QueueSharedLocks(b, p.names)
	p.begun = true
}

// Commit queues COMMIT at the end of b, the transaction's last batch. A
// fault injected at StageApply or StageCommit queues ROLLBACK instead and
// fails the attempt, as a failed COMMIT would.
func (p *Pipe) Commit(b *pgx.Batch) {
	p.fault = p.r.fault(StageApply, p.attempt)
	if p.fault == nil {
		p.fault = p.r.fault(StageCommit, p.attempt)
	}
	if p.fault != nil {
		b.Queue(`ROLLBACK`)
	} else {
		b.Queue(`COMMIT`)
	}
	p.ended = true
}

// RunPipelined runs fn in a SERIALIZABLE transaction on PostgreSQL, retried
// as Run retries. names are what the transaction writes (the ledger's
// books): a retried attempt waits for every other transaction on them
// instead of failing on them again (see locks.go). fn queues Begin on its
// first batch and Commit on its last and sends them on p.Conn(); if it
// returns without having queued Commit (it had nothing to write), the
// transaction is committed after it. Like Run's, fn must have no effect
// outside the database.
func (r *Runner) RunPipelined(ctx context.Context, names []string, fn func(p *Pipe) error) (attempts int, err error) {
	if r.engine != PostgreSQL {
		return 0, errors.New("pgtx: pipelined transactions are for PostgreSQL; use Run")
	}
	return r.retry(ctx, func(attempt int) error { return r.oncePipelined(ctx, names, fn, attempt) })
}

func (r *Runner) oncePipelined(ctx context.Context, names []string, fn func(p *Pipe) error, attempt int) (err error) {
	if err := r.fault(StageBegin, attempt); err != nil {
		return err
	}
	conn, err := r.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if keys := r.retryLocks(attempt, lockKeys(names)); len(keys) > 0 {
		unlock, err := lockSession(ctx, conn, keys)
		if err != nil {
			return err
		}
		defer unlock() // after the ROLLBACK below, if any
	}
	p := &Pipe{conn: conn, r: r, attempt: attempt, names: names}
	defer func() {
		// A batch that failed before its COMMIT left the transaction open
		// (aborted): end it, so that the pool keeps the connection rather
		// than closing it.
		if pc := conn.Conn().PgConn(); !pc.IsClosed() && pc.TxStatus() != 'I' {
			_, _ = conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	if err := fn(p); err != nil {
		return err
	}
	if p.fault != nil {
		return p.fault // rolled back in the batch: the write is lost, as on a failed COMMIT
	}
	if !p.begun {
		return errors.New("pgtx: the pipelined transaction's function never began it (call Pipe.Begin on its first batch)")
	}
	if p.ended {
		return nil
	}
	b := &pgx.Batch{}
	p.Commit(b)
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return p.fault
}
