// Package batcher coalesces concurrent requests so that one database
// transaction serves many: the ledger's write path (ledger/pgstore) and the
// e-commerce document intake and releaser (customs/ecommerce) run on it.
package batcher

import (
	"sync"
	"time"
)

// Batcher is a queue with one worker: a single goroutine takes what is
// queued, up to max, and hands it to run. When the previous batch found
// company (the service is busy) it lingers up to wait for more; an idle
// service adds no latency. run must answer every request it is given.
type Batcher[T any] struct {
	queue   chan T
	max     int
	wait    time.Duration
	run     func([]T)
	mu      sync.RWMutex
	closed  bool
	stopped chan struct{}
}

// New starts a Batcher that runs batches of at most max requests,
// lingering up to wait for more when busy (0 or less: never).
func New[T any](max int, wait time.Duration, run func([]T)) *Batcher[T] {
	b := &Batcher[T]{queue: make(chan T, 4*max), max: max, wait: wait, run: run, stopped: make(chan struct{})}
	go b.loop()
	return b
}

// Submit queues items; it reports false, queueing nothing, once the
// Batcher is closed.
func (b *Batcher[T]) Submit(items ...T) bool {
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

// Close stops taking requests and returns once the queued ones are run.
func (b *Batcher[T]) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.queue)
	}
	b.mu.Unlock()
	<-b.stopped
}

func (b *Batcher[T]) loop() {
	defer close(b.stopped)
	busy := false
	for first := range b.queue {
		batch := b.collect([]T{first}, busy)
		busy = len(batch) > 1
		b.run(batch)
	}
}

func (b *Batcher[T]) collect(batch []T, linger bool) []T {
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
