package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// BenchmarkPost measures journals per second through the batching write
// path: each journal has two postings (goods arrive from abroad into bonded,
// and the same quantity leaves for the domestic market), so balances never
// run out. "spread" gives each journal one of 1,000 items; "hot" sends every
// journal to one item of one account. Run:
//
//	go test -run '^$' -bench BenchmarkPost -benchtime 20000x ./ledger/pgstore/
//
// ZONELEDGER_BENCH_MAX_WAIT (e.g. 1ms) sets the batcher's MaxWait.
func BenchmarkPost(b *testing.B) {
	for _, workload := range []string{"spread", "hot"} {
		for _, posters := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%s/posters=%d", workload, posters), func(b *testing.B) {
				benchPost(b, workload, posters)
			})
		}
	}
}

func benchPost(b *testing.B, workload string, posters int) {
	wait, _ := time.ParseDuration(os.Getenv("ZONELEDGER_BENCH_MAX_WAIT"))
	s := newStore(b, pgstore.Options{MaxWait: wait})
	postLoad(b, s, posters, workloadOf(workload, benchItems(b, s)))
}

// benchSeq numbers the bench's idempotency keys across runs on one database.
var benchSeq atomic.Int64

// workloadOf returns the journal the n-th poster call sends: goods arrive
// from abroad into bonded and the same quantity leaves for the domestic
// market, for one of the items ("spread") or always the first ("hot").
func workloadOf(workload string, items []ledger.Item) func(n int64) ledger.JournalRequest {
	one := decimal.NewFromInt(1)
	return func(n int64) ledger.JournalRequest {
		item := items[0].Ref()
		if workload == "spread" {
			item = items[n%int64(len(items))].Ref()
		}
		acct := ledger.In(item.Book, "bonded")
		return ledger.JournalRequest{Book: item.Book, IdempotencyKey: fmt.Sprintf("bench-%d", benchSeq.Add(1)), EffectiveDate: day1, Postings: []ledger.Posting{
			{Item: item, From: abroad, To: acct, Quantity: one, Unit: "PCE", Value: one},
			{Item: item, From: acct, To: dom, Quantity: one, Unit: "PCE"},
		}}
	}
}

// postLoad posts b.N journals made by next from posters goroutines and
// reports journals/s and latency percentiles.
func postLoad(b *testing.B, s *pgstore.Store, posters int, next func(n int64) ledger.JournalRequest) {
	ctx := context.Background()
	var seq atomic.Int64
	lat := make([][]time.Duration, posters)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for p := 0; p < posters; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := seq.Add(1)
				if n > int64(b.N) {
					return
				}
				r := next(n)
				t0 := time.Now()
				if _, err := s.Post(ctx, r); err != nil {
					b.Error(err)
					return
				}
				lat[p] = append(lat[p], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "journals/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50_ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99_ms")
	}
}

// BenchmarkPgbenchBaseline runs pgbench's TPC-B (-c 8 -j 2, 15 s) against
// the same embedded PostgreSQL the other benchmarks use, as the yardstick the
// ledger's goals are stated in.
func BenchmarkPgbenchBaseline(b *testing.B) {
	pgbench, err := findPgbench()
	if err != nil {
		b.Skip(err)
	}
	url := pgtest.NewDatabase(b)
	if out, err := exec.Command(pgbench, "-i", "-q", "-s", "10", url).CombinedOutput(); err != nil {
		b.Fatalf("pgbench -i: %v\n%s", err, out)
	}
	b.ResetTimer()
	out, err := exec.Command(pgbench, "-c", "8", "-j", "2", "-T", "15", url).CombinedOutput()
	b.StopTimer()
	if err != nil {
		b.Fatalf("pgbench: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("no tps in pgbench output:\n%s", out)
	}
	tps, _ := decimal.NewFromString(string(m[1]))
	f, _ := tps.Float64()
	b.ReportMetric(f, "tps")
}

// findPgbench looks for pgbench beside the server binaries, then in
// Debian's versioned directories, then on PATH.
func findPgbench() (string, error) {
	if dir, err := embedpg.FindBinaries(); err == nil {
		if p := filepath.Join(dir, "pgbench"); fileExists(p) {
			return p, nil
		}
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench"); len(m) > 0 {
		return m[len(m)-1], nil
	}
	return exec.LookPath("pgbench")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
