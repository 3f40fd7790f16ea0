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

// Transactions that name different things (the ledger's books) can still
// fail each other under SERIALIZABLE: here each reads the whole table and
// adds a row, a write skew that PostgreSQL refuses for one of every two
// that overlap (and, for the ledger's books, what a shared index page
// causes). With three attempts allowed, none gives up: the last attempt
// runs alone (EveryName), whatever the others name.
func TestTransactionsOnDifferentNamesNeverRunOutOfAttempts(t *testing.T) {
	const add = `INSERT INTO rows SELECT $1, count(*) FROM rows`
	ways := map[string]func(ctx context.Context, r *pgtx.Runner, process int) error{
		"pipelined": func(ctx context.Context, r *pgtx.Runner, process int) error {
			_, err := r.RunPipelined(ctx, []string{fmt.Sprintf("writer-%d", process)}, func(p *pgtx.Pipe) error {
				b := &pgx.Batch{}
				p.Begin(b)
				b.Queue(add, process)
				p.Commit(b)
				return p.Conn().SendBatch(ctx, b).Close()
			})
			return err
		},
		"learning its names": func(ctx context.Context, r *pgtx.Runner, process int) error {
			names := &pgtx.Names{}
			_, err := r.RunNamed(ctx, names, func(tx pgx.Tx) error {
				name := fmt.Sprintf("writer-%d", process)
				names.Add(name)
				b := &pgx.Batch{}
				r.QueueSharedLocks(b, []string{name})
				b.Queue(add, process)
				return tx.SendBatch(ctx, b).Close()
			})
			return err
		},
	}
	for name, work := range ways {
		t.Run(name, func(t *testing.T) {
			pool := runEverywhere(t, 3, `CREATE TABLE rows (process INT NOT NULL, seen INT NOT NULL)`, work)
			var n, distinct int
			if err := pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT seen) FROM rows`).Scan(&n, &distinct); err != nil {
				t.Fatal(err)
			}
			// Serializable: each transaction saw every row committed before it.
			if !t.Failed() && (n != processes*perProcess || distinct != n) {
				t.Errorf("%d rows with %d distinct counts seen, want %d of each", n, distinct, processes*perProcess)
			}
		})
	}
}

// processes and perProcess are how many runners runEverywhere starts and
// how many transactions each runs.
const processes, perProcess = 6, 40

// incrementAll runs increment in every runner of runEverywhere with two
// attempts each, and checks that the counter holds every increment.
func incrementAll(t *testing.T, increment func(context.Context, *pgtx.Runner) error) {
	pool := runEverywhere(t, 2, `CREATE TABLE counter (k INT PRIMARY KEY, v INT NOT NULL); INSERT INTO counter VALUES (1, 0)`,
		func(ctx context.Context, r *pgtx.Runner, _ int) error { return increment(ctx, r) })
	var v int
	if err := pool.QueryRow(context.Background(), `SELECT v FROM counter WHERE k = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if !t.Failed() && v != processes*perProcess {
		t.Errorf("counter %d, want %d", v, processes*perProcess)
	}
}

// runEverywhere runs setup on a new database, then work perProcess times
// in each of processes runners at once (each on a pool of its own, as
// separate server processes would be), maxAttempts attempts each. It fails
// the test if any gave up or an advisory lock outlived its transaction, and
// returns a pool to check the outcome.
func runEverywhere(t *testing.T, maxAttempts int, setup string, work func(ctx context.Context, r *pgtx.Runner, process int) error) *pgxpool.Pool {
	if pgtest.IsCockroachDB() {
		t.Skip("name locks are PostgreSQL's (CockroachDB retries its own way)")
	}
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	var runners []*pgtx.Runner
	var pools []*pgxpool.Pool
	for range processes {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		r, err := pgtx.NewRunner(pool, pgtx.PostgreSQL, pgtx.Options{MaxAttempts: maxAttempts})
		if err != nil {
			t.Fatal(err)
		}
		runners, pools = append(runners, r), append(pools, pool)
	}
	if _, err := pools[0].Exec(ctx, setup); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for i, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range perProcess {
				if err := work(ctx, r, i); err != nil {
					errs <- fmt.Errorf("process %d, transaction %d: %v", i, n, err)
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
	var held int
	if err := pools[0].QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("%d advisory locks still held after every transaction ended", held)
	}
	return pools[0]
}

// failFirst fails the first n attempts of every transaction at BEGIN with a
// serialization failure.
type failFirst int

func (n failFirst) Fault(s pgtx.Stage, attempt int) error {
	if s == pgtx.StageBegin && attempt <= int(n) {
		return pgtx.SerializationFailure("injected")
	}
	return nil
}

// Only a last attempt after two lost ones runs alone: it holds EveryName
// exclusively while it runs, and OnAlone counts it; an earlier retry, or
// the last of two, holds its names' locks only.
func TestOnlyALastAttemptAfterTwoLostRunsAlone(t *testing.T) {
	if pgtest.IsCockroachDB() {
		t.Skip("name locks are PostgreSQL's (CockroachDB retries its own way)")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	const heldAlone = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
		AND classid::int8 = $1 AND objid::int8 = $2 AND mode = 'ExclusiveLock'`
	for _, c := range []struct {
		lost, max  int
		wantAlone  int
		wantLocked int
	}{{2, 3, 1, 1}, {1, 3, 0, 0}, {1, 2, 0, 0}, {2, 10, 0, 0}} {
		var alone int
		r, err := pgtx.NewRunner(pool, pgtx.PostgreSQL, pgtx.Options{MaxAttempts: c.max, Faults: failFirst(c.lost), OnAlone: func() { alone++ }})
		if err != nil {
			t.Fatal(err)
		}
		var locked int
		attempts, err := r.RunPipelined(ctx, []string{"book"}, func(p *pgtx.Pipe) error {
			b := &pgx.Batch{}
			p.Begin(b)
			b.Queue(heldAlone, pgtx.LockClass, pgtx.EveryName).QueryRow(func(row pgx.Row) error { return row.Scan(&locked) })
			p.Commit(b)
			return p.Conn().SendBatch(ctx, b).Close()
		})
		if err != nil && c.lost < c.max {
			t.Fatalf("%d lost of %d: %v", c.lost, c.max, err)
		}
		if err == nil && (attempts != c.lost+1 || alone != c.wantAlone || locked != c.wantLocked) {
			t.Errorf("%d lost of %d attempts: took %d attempts, ran alone %d times, held EveryName %d; want %d, %d, %d",
				c.lost, c.max, attempts, alone, locked, c.lost+1, c.wantAlone, c.wantLocked)
		}
	}
}
