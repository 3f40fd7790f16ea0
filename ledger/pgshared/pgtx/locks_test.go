package pgtx_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// Writers in several processes (here: runners on pools of their own) that
// all update one row conflict on almost every transaction. With the row's
// name given, a transaction's second attempt waits for the others instead
// of failing on them again, so with only two attempts allowed none gives
// up, the counter holds every increment, and no advisory lock outlives its
// transaction.
func TestNamedTransactionsOnOneRowNeverRunOutOfAttempts(t *testing.T) {
	incrementAll(t, func(ctx context.Context, r *pgtx.Runner) error {
		_, err := r.RunPipelined(ctx, []string{"counter"}, func(p *pgtx.Pipe) error {
			b := &pgx.Batch{}
			p.Begin(b)
			b.Queue(`SELECT v FROM counter WHERE k = 1 FOR UPDATE`)
			if err := p.Conn().SendBatch(ctx, b).Close(); err != nil {
				return err
			}
			b = &pgx.Batch{}
			b.Queue(`UPDATE counter SET v = v + 1 WHERE k = 1`)
			p.Commit(b)
			return p.Conn().SendBatch(ctx, b).Close()
		})
		return err
	})
}

// The same for transactions that learn what they write as they run
// (RunNamed, as the ledger's ReadWriteTx does): the retry locks what the
// failed attempt named.
func TestTransactionsThatLearnTheirNamesNeverRunOutOfAttempts(t *testing.T) {
	incrementAll(t, func(ctx context.Context, r *pgtx.Runner) error {
		names := &pgtx.Names{}
		_, err := r.RunNamed(ctx, names, func(tx pgx.Tx) error {
			names.Add("counter")
			b := &pgx.Batch{}
			r.QueueSharedLocks(b, []string{"counter"})
			b.Queue(`UPDATE counter SET v = v + 1 WHERE k = 1`)
			return tx.SendBatch(ctx, b).Close()
		})
		return err
	})
}

// incrementAll runs increment 40 times in each of six runners at once, two
// attempts each, and checks that none gave up, the counter holds every
// increment and no advisory lock is left.
func incrementAll(t *testing.T, increment func(context.Context, *pgtx.Runner) error) {
	if pgtest.IsCockroachDB() {
		t.Skip("name locks are PostgreSQL's (CockroachDB retries its own way)")
	}
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	const processes, perProcess = 6, 40
	var runners []*pgtx.Runner
	var pools []*pgxpool.Pool
	for range processes {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		r, err := pgtx.NewRunner(pool, pgtx.PostgreSQL, pgtx.Options{MaxAttempts: 2})
		if err != nil {
			t.Fatal(err)
		}
		runners, pools = append(runners, r), append(pools, pool)
	}
	if _, err := pools[0].Exec(ctx, `CREATE TABLE counter (k INT PRIMARY KEY, v INT NOT NULL); INSERT INTO counter VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for i, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range perProcess {
				err := increment(ctx, r)
				if err != nil {
					errs <- fmt.Errorf("process %d, increment %d: %v", i, n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var v, held int
	if err := pools[0].QueryRow(ctx, `SELECT v FROM counter WHERE k = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if err := pools[0].QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if !t.Failed() && v != processes*perProcess {
		t.Errorf("counter %d, want %d", v, processes*perProcess)
	}
	if held != 0 {
		t.Errorf("%d advisory locks still held after every transaction ended", held)
	}
}
