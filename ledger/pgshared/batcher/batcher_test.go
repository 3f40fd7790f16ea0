package batcher_test

import (
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/batcher"
)

// Concurrent requests are run in batches of at most max, each exactly
// once; Close runs what was queued, and nothing is taken after it.
func TestBatchesRunEveryRequestOnceAndCloseDrains(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]int{}
	largest := 0
	b := batcher.New(8, time.Millisecond, func(batch []int) {
		time.Sleep(time.Millisecond) // let requests pile up
		mu.Lock()
		defer mu.Unlock()
		largest = max(largest, len(batch))
		for _, n := range batch {
			seen[n]++
		}
	})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if !b.Submit(g*100 + i) {
					t.Errorf("request %d refused before Close", g*100+i)
				}
			}
		}()
	}
	wg.Wait()
	b.Close()
	if b.Submit(-1) {
		t.Fatal("a request was taken after Close")
	}
	if len(seen) != 16*50 {
		t.Fatalf("%d requests run, want %d", len(seen), 16*50)
	}
	for n, c := range seen {
		if c != 1 {
			t.Fatalf("request %d run %d times", n, c)
		}
	}
	if largest > 8 {
		t.Fatalf("largest batch %d, want at most 8", largest)
	}
}
