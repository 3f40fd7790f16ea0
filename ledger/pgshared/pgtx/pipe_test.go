package pgtx_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// pipeRunner gives a runner on a fresh database with one table, t(k, v),
// on one connection, so that a transaction left open would show in the
// next test step.
func pipeRunner(t *testing.T, faults pgtx.FaultInjector) (*pgtx.Runner, *pgxpool.Pool) {
	t.Helper()
	if pgtest.IsCockroachDB() {
		t.Skip("pipelined transactions are PostgreSQL's")
	}
	cfg, err := pgxpool.ParseConfig(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := pool.Exec(context.Background(), `CREATE TABLE t (k INT PRIMARY KEY, v INT NOT NULL CHECK (v >= 0))`); err != nil {
		t.Fatal(err)
	}
	r, err := pgtx.NewRunner(pool, pgtx.PostgreSQL, pgtx.Options{MaxAttempts: 3, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	return r, pool
}

// insert runs one pipelined transaction of two batches: BEGIN with a read,
// then the insert of (k, v) with COMMIT.
func insert(ctx context.Context, r *pgtx.Runner, k, v int) error {
	_, err := r.RunPipelined(ctx, nil, func(p *pgtx.Pipe) error {
		b := &pgx.Batch{}
		p.Begin(b)
		b.Queue(`SELECT count(*) FROM t`)
		if err := p.Conn().SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		b = &pgx.Batch{}
		b.Queue(`INSERT INTO t (k, v) VALUES ($1, $2)`, k, v)
		p.Commit(b)
		return p.Conn().SendBatch(ctx, b).Close()
	})
	return err
}

func count(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPipelinedTransactionCommitsInItsLastBatch(t *testing.T) {
	r, pool := pipeRunner(t, nil)
	ctx := context.Background()
	if err := insert(ctx, r, 1, 10); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
}

// A statement that fails before the COMMIT leaves nothing written and the
// connection outside any transaction, ready for the next one.
func TestPipelinedTransactionFailingMidwayRollsBack(t *testing.T) {
	r, pool := pipeRunner(t, nil)
	ctx := context.Background()
	err := insert(ctx, r, 1, -1) // violates the CHECK, before COMMIT in the same batch
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23514" {
		t.Fatalf("error %v, want the check violation", err)
	}
	if err := insert(ctx, r, 2, 5); err != nil {
		t.Fatalf("the next transaction on the same connection: %v", err)
	}
	if n := count(t, pool); n != 1 {
		t.Fatalf("%d rows, want only the second transaction's", n)
	}
}

// A failure at the COMMIT is retried and, when every attempt fails, reported
// as the error: never as success, with nothing written.
func TestPipelinedCommitFailureIsRetriedAndNeverReportedAsSuccess(t *testing.T) {
	f := &failCommits{n: 1}
	r, pool := pipeRunner(t, f)
	ctx := context.Background()
	if err := insert(ctx, r, 1, 10); err != nil {
		t.Fatalf("one failed commit, then: %v", err)
	}
	if n := count(t, pool); n != 1 || f.hits != 1 {
		t.Fatalf("%d rows after %d injected failures, want 1 row after 1", n, f.hits)
	}
	f.n, f.hits = 1<<30, 0
	err := insert(ctx, r, 2, 10)
	if !pgtx.Retryable(err) || f.hits != 3 {
		t.Fatalf("error %v after %d attempts, want the serialization failure after 3", err, f.hits)
	}
	if n := count(t, pool); n != 1 {
		t.Fatalf("%d rows, want 1: a transaction that never committed wrote", n)
	}
}

// A function with nothing to write may leave the COMMIT to the runner.
func TestPipelinedTransactionWithoutCommitIsCommittedAfter(t *testing.T) {
	r, pool := pipeRunner(t, nil)
	ctx := context.Background()
	_, err := r.RunPipelined(ctx, nil, func(p *pgtx.Pipe) error {
		b := &pgx.Batch{}
		p.Begin(b)
		b.Queue(`INSERT INTO t (k, v) VALUES (7, 7)`)
		return p.Conn().SendBatch(ctx, b).Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	_, err = r.RunPipelined(ctx, nil, func(p *pgtx.Pipe) error { return nil })
	if err == nil {
		t.Fatal("a function that never began its transaction was not told so")
	}
}

// failCommits fails the first n attempts of each transaction at its commit.
type failCommits struct{ n, hits int }

func (f *failCommits) Fault(s pgtx.Stage, attempt int) error {
	if s == pgtx.StageCommit && attempt <= f.n {
		f.hits++
		return pgtx.SerializationFailure("injected at commit")
	}
	return nil
}
