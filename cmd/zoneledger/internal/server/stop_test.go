package server

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// Stop called from two goroutines at once (a test's cleanup and the code
// that stops the server on purpose) stops it once, and both calls return
// when it has stopped.
func TestStopFromTwoGoroutinesAtOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, Config{DataDir: pgtest.TempDir(t), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Stop(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Stop %d: %v", i, err)
		}
	}
	select {
	case err := <-s.Done():
		if err != nil {
			t.Errorf("Done after Stop: %v", err)
		}
	default:
		t.Error("Done has no answer after every Stop returned")
	}
}
