package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// bulkJournals writes n journals into book with SQL, as the engine would
// have written them one by one: each moves one router (item P, lot
// "J<id>") from bonded to domestic, like a cross-border order deducted, and
// is dated first + (n % days). Their hashes are then computed from what was
// stored, a page at a time, so that the history verifies. Balances and
// totals are not written: this is history for the period reads only.
func bulkJournals(t testing.TB, s *pgstore.Store, n int, first time.Time, days int) {
	t.Helper()
	ctx := context.Background()
	var last int64
	if err := s.Pool().QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM ledger_journals`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	base := strconv.FormatInt(last, 10)
	series := `SELECT ` + base + ` + n AS id, n, date '` + ledger.FormatDate(first) + `' + (n % ` + strconv.Itoa(days) + `) AS day
		FROM generate_series(1, ` + strconv.Itoa(n) + `) AS n`
	for _, q := range []string{
		`INSERT INTO ledger_journals (id, book, idem_key, request_hash, effective_date, doc_type, doc_number, principal, committed_at, hash)
			SELECT id, '` + book + `', 'bulk-' || id, decode(md5('r' || id), 'hex'), day, 'order', 'CEB' || n, 'platform', now(), '\x'::bytea
			FROM (` + series + `) x`,
		`INSERT INTO ledger_postings (journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name, quantity, unit, value, leg_lot)
			SELECT id, 0, '` + book + `', 'P', '` + book + `', 'bonded', '', 'domestic', 1, 'PCE', 12.5, 'J' || id FROM (` + series + `) x`,
		`INSERT INTO ledger_journal_books (book, journal_id, effective_date, book_seq)
			SELECT '` + book + `', id, day, n + (SELECT value FROM ledger_book_seqs WHERE book = '` + book + `') FROM (` + series + `) x`,
		`UPDATE ledger_book_seqs SET value = value + ` + strconv.Itoa(n) + ` WHERE book = '` + book + `'`,
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	after := last
	for {
		js, err := s.ListJournals(ctx, ledger.JournalFilter{Book: book, AfterID: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(js) == 0 {
			break
		}
		ids, hashes := make([]int64, len(js)), make([][]byte, len(js))
		for i, j := range js {
			ids[i], hashes[i] = j.ID, j.ComputeHash()
		}
		if _, err := s.Pool().Exec(ctx, `UPDATE ledger_journals j SET hash = x.h
			FROM unnest($1::bigint[], $2::bytea[]) AS x(id, h) WHERE j.id = x.id`, ids, hashes); err != nil {
			t.Fatal(err)
		}
		after = js[len(js)-1].ID
	}
	for _, table := range []string{"ledger_journals", "ledger_postings", "ledger_journal_books"} {
		if _, err := s.Pool().Exec(ctx, `ANALYZE `+table); err != nil { // one table each, as CockroachDB takes it
			t.Fatal(err)
		}
	}
}

// peakHeap samples the bytes of heap objects (live and not yet collected)
// every millisecond while it runs; stop ends it and returns the largest
// sample above the heap at start. Sampled, so a rough figure: it tells
// memory that grows with a period from memory bounded by a page.
func peakHeap() (stop func() uint64) {
	const name = "/memory/classes/heap/objects:bytes"
	read := func() uint64 {
		s := []metrics.Sample{{Name: name}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		if peak < base {
			return 0
		}
		return peak - base
	}
}

// BenchmarkPeriod verifies and closes one period of a book with many
// journals (ZONELEDGER_BENCH_PERIOD journals, default 50,000, of one
// posting each over 28 days): "verify" runs VerifyPeriods over the sealed
// period, "close" seals it again (the seal is removed between runs, off the
// clock). Memory is the figure to watch: B/op, and peak-heap-MB, the most
// the heap grew above its size at the start of a run (sampled). Run:
//
//	go test -run '^$' -bench BenchmarkPeriod -benchmem -benchtime 5x ./ledger/pgstore/
func BenchmarkPeriod(b *testing.B) {
	n := 50_000
	if v := os.Getenv("ZONELEDGER_BENCH_PERIOD"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("ZONELEDGER_BENCH_PERIOD=%q: want a journal count (e.g. 50000)", v)
		}
	}
	ctx := context.Background()
	s := newStore(b, pgstore.Options{})
	first := date("2025-01-01")
	through := first.AddDate(0, 0, 27)
	bulkJournals(b, s, n, first, 28)
	sealed, err := s.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: book, Through: through, IdempotencyKey: "bench-close"})
	if err != nil {
		b.Fatal(err)
	}
	if sealed.JournalCount != int64(n) {
		b.Fatalf("sealed %d journals, want %d", sealed.JournalCount, n)
	}
	b.Run(fmt.Sprintf("verify/journals=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		var peak uint64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			stop := peakHeap()
			b.StartTimer()
			v, err := s.VerifyPeriods(ctx, book)
			if err != nil || v.Journals != int64(n) || len(v.Problems) != 0 {
				b.Fatalf("verify: %d journals, problems %v, %v", v.Journals, v.Problems, err)
			}
			b.StopTimer()
			peak = max(peak, stop())
			b.StartTimer()
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
	b.Run(fmt.Sprintf("close/journals=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		var peak uint64
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := s.Pool().Exec(ctx, `DELETE FROM ledger_periods WHERE book = $1`, book); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Pool().Exec(ctx, `UPDATE ledger_books SET closed_through = NULL WHERE id = $1`, book); err != nil {
				b.Fatal(err)
			}
			stop := peakHeap()
			b.StartTimer()
			p, err := s.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: book, Through: through, IdempotencyKey: fmt.Sprintf("bench-close-%d", i)})
			if err != nil || string(p.Digest) != string(sealed.Digest) {
				b.Fatalf("close: %+v, %v; want the digest sealed first", p, err)
			}
			b.StopTimer()
			peak = max(peak, stop())
			b.StartTimer()
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}
