package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// BenchmarkPostBooks is BenchmarkPost's spread workload over several books
// (16 items each), journal n on book n % books, from 64 posters: what
// batches on disjoint books gain from not sharing one lock. Run:
//
//	go test -run '^$' -bench BenchmarkPostBooks -benchtime 5000x ./ledger/pgstore/
//
// ZONELEDGER_BENCH_WRITERS=n sets Options.Writers.
func BenchmarkPostBooks(b *testing.B) {
	writers, _ := strconv.Atoi(os.Getenv("ZONELEDGER_BENCH_WRITERS"))
	for _, books := range []int{1, 8} {
		b.Run(fmt.Sprintf("books=%d", books), func(b *testing.B) {
			m := &countRetries{}
			s := newStore(b, pgstore.Options{Writers: writers, Metrics: m})
			ctx := context.Background()
			var items []ledger.Item
			for k := range books {
				id := fmt.Sprintf("H4601C%06d", k)
				if _, err := s.CreateBook(ctx, ledger.Book{ID: id, Name: "bench book", Owner: "E1", Accounts: []string{"bonded"}}); err != nil {
					b.Fatal(err)
				}
				var its []ledger.Item
				for i := range 16 {
					its = append(its, ledger.Item{Book: id, Code: fmt.Sprintf("SKU%02d", i), Unit: "PCE"})
				}
				if _, err := s.RegisterItems(ctx, its); err != nil {
					b.Fatal(err)
				}
				items = append(items, its...)
			}
			// Item n % len(items) of book (n % len(items)) / 16: consecutive
			// journals alternate over items, and so over books.
			ordered := make([]ledger.Item, 0, len(items))
			for i := range 16 {
				for k := range books {
					ordered = append(ordered, items[k*16+i])
				}
			}
			m.retries.Store(0)
			m.batches.Store(0)
			postLoad(b, s, 64, workloadOf("spread", ordered))
			b.ReportMetric(float64(m.retries.Load()), "retries")
			b.ReportMetric(float64(m.batches.Load()), "batches")
		})
	}
}

// countRetries counts write transactions and their retried attempts.
type countRetries struct{ retries, batches atomic.Int64 }

func (c *countRetries) BatchCommitted(int, int, time.Duration, error) { c.batches.Add(1) }
func (c *countRetries) Retried()                                      { c.retries.Add(1) }
func (c *countRetries) RanAlone()                                     {}
