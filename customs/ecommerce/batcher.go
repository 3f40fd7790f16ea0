package ecommerce

import (
	"sync"
	"time"
)

// batcher coalesces concurrent requests so that one database transaction
// serves many: a single goroutine takes what is queued, up to max, and
// hands it to run. When the previous batch found company (the service is
// busy) it lingers up to wait for more; an idle service adds no latency.
// run answers every request it is given.
type batcher[T any] struct {
	queue   chan T
	max     int
	wait    time.Duration
	run     func([]T)
	mu      sync.RWMutex
	closed  bool
	stopped chan struct{}
}

func newBatcher[T any](max int, wait time.Duration, run func([]T)) *batcher[T] {
	b := &batcher[T]{queue: make(chan T, 4*max), max: max, wait: wait, run: run, stopped: make(chan struct{})}
	go b.loop()
	return b
}

// submit queues items; it reports false, queueing nothing, once the
// batcher is closed.
func (b *batcher[T]) submit(items ...T) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return false
	}
	for _, it := range items {
		b.queue <- it
	}
	return true
}

// close stops taking requests and returns once the queued ones are run.
func (b *batcher[T]) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.queue)
	}
	b.mu.Unlock()
	<-b.stopped
}

func (b *batcher[T]) loop() {
	defer close(b.stopped)
	busy := false
	for first := range b.queue {
		batch := b.collect([]T{first}, busy)
		busy = len(batch) > 1
		b.run(batch)
	}
}

func (b *batcher[T]) collect(batch []T, linger bool) []T {
	var deadline <-chan time.Time
	for len(batch) < b.max {
		select {
		case it, ok := <-b.queue:
			if !ok {
				return batch
			}
			batch = append(batch, it)
			continue
		default:
		}
		if !linger || b.wait <= 0 {
			return batch
		}
		if deadline == nil {
			t := time.NewTimer(b.wait)
			defer t.Stop()
			deadline = t.C
		}
		select {
		case it, ok := <-b.queue:
			if !ok {
				return batch
			}
			batch = append(batch, it)
		case <-deadline:
			return batch
		}
	}
	return batch
}
