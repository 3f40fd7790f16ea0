package bench

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWatchStopsWhenTheServerProcessExits: the exit of the server the bench
// started, or of the --server-pid process, cancels the run with
// ErrServerGone and says which.
func TestWatchStopsWhenTheServerProcessExits(t *testing.T) {
	exited := make(chan struct{})
	close(exited)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go watch(ctx, cancel, &liveness{}, "127.0.0.1:1", time.Hour, exited, func() string { return "zoneledger serve (pid 7) exited" }, 0)
	<-ctx.Done()
	if err := context.Cause(ctx); !errors.Is(err, ErrServerGone) || !strings.Contains(err.Error(), "pid 7") {
		t.Errorf("cause %v", err)
	}

	if runtime.GOOS != "linux" {
		t.Skip("processes are watched through /proc on Linux only")
	}
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skipf("no sleep command: %v", err)
	}
	pid := cmd.Process.Pid
	if !processAlive(pid) {
		t.Fatalf("process %d reported dead while running", pid)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	ctx, cancel = context.WithCancelCause(context.Background())
	defer cancel(nil)
	go watch(ctx, cancel, &liveness{}, "127.0.0.1:1", time.Hour, nil, nil, pid)
	<-ctx.Done()
	if err := context.Cause(ctx); !errors.Is(err, ErrServerGone) || !strings.Contains(err.Error(), "exited during the bench") {
		t.Errorf("cause %v", err)
	}
}
