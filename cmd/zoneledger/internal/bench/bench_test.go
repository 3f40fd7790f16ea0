package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// TestRunAgainstServer drives a short load at an in-process server (the
// --addr path) with both call styles and checks the books balance out: every
// journal brings goods in and sends them out again, so no holding remains.
func TestRunAgainstServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, tok, _ := startServer(ctx, t)
	for _, c := range []struct {
		workload string
		batch    int
	}{{Uniform, 1}, {Hot, 1}, {Uniform, 7}} {
		res, err := Run(ctx, Config{Workload: c.workload, Clients: 6, Batch: c.batch, Items: 50,
			Duration: 700 * time.Millisecond, Warmup: 100 * time.Millisecond,
			Addr: s.Addr, Token: tok, ServerPID: os.Getpid()})
		if err != nil {
			t.Fatalf("%s batch %d: %v", c.workload, c.batch, err)
		}
		if res.Journals == 0 || res.Errors != 0 || res.Calls == 0 {
			t.Fatalf("%s batch %d: %+v", c.workload, c.batch, res)
		}
		if c.batch > 1 && res.Journals > res.Calls*int64(c.batch) {
			t.Errorf("batch %d: %d journals in %d calls", c.batch, res.Journals, res.Calls)
		}
		if res.P50Ms <= 0 || res.P99Ms < res.P50Ms || res.ServerPeakRSSMB == nil || *res.ServerPeakRSSMB <= 0 {
			t.Errorf("statistics: %+v", res)
		}

		conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		lc := ledgerv1.NewLedgerServiceClient(conn)
		ectx := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+res.bookToken)
		bal, err := lc.GetBalances(ectx, &ledgerv1.GetBalancesRequest{BookId: res.Book})
		if err != nil {
			t.Fatal(err)
		}
		if len(bal.GetBalances()) != 0 {
			t.Errorf("%s batch %d: the bench book holds %v, want nothing", c.workload, c.batch, bal.GetBalances())
		}
		var n int64
		for tok := ""; ; {
			r, err := lc.ListJournals(ectx, &ledgerv1.ListJournalsRequest{BookId: res.Book, PageSize: 1000, PageToken: tok})
			if err != nil {
				t.Fatal(err)
			}
			n += int64(len(r.GetJournals()))
			if tok = r.GetNextPageToken(); tok == "" {
				break
			}
		}
		if n < res.Journals+res.WarmupJournals {
			t.Errorf("%s batch %d: the book lists %d journals, the bench counted %d + %d in the warm-up", c.workload, c.batch, n, res.Journals, res.WarmupJournals)
		}
		conn.Close()
	}
}

func TestParseStatus(t *testing.T) {
	m, err := parseStatus("Name:\tzoneledger\nVmPeak:\t 2000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\nThreads:\t9\n")
	if err != nil || m.HWM != 81234 || m.RSS != 70000 {
		t.Errorf("parseStatus = %+v, %v", m, err)
	}
	if _, err := parseStatus("Name:\tx\n"); err == nil {
		t.Error("no error without VmRSS/VmHWM")
	}
}

func TestParseTPS(t *testing.T) {
	out := `pgbench (16.4 (Debian 16.4-1))
transaction type: <builtin: TPC-B (sort of)>
number of clients: 8
latency average = 6.1 ms
initial connection time = 12.345 ms
tps = 1309.551234 (without initial connection time)
`
	if tps, err := parseTPS(out); err != nil || tps != 1309.551234 {
		t.Errorf("parseTPS = %v, %v", tps, err)
	}
	if _, err := parseTPS("nothing"); err == nil {
		t.Error("no error without a tps line")
	}
}

// TestStopsWhenTheServerDies: a server that goes away in the middle of a
// long run stops the bench with ErrServerGone (and so a non-zero exit),
// instead of the bench counting refused calls until its duration is over.
func TestStopsWhenTheServerDies(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, tok, stop := startServer(ctx, t)
	logs := &lockedBuffer{}
	go func() {
		// Stop the server once the load is running: the bench says so in
		// its log before it starts the clients.
		for !strings.Contains(logs.String(), "bench: load") {
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		stop()
	}()
	res, err := Run(ctx, Config{Workload: Uniform, Clients: 4, Batch: 1, Items: 10, Duration: 10 * time.Minute, Warmup: 0,
		Addr: s.Addr, Token: tok, DeadAfter: time.Second, Log: logs})
	if !errors.Is(err, ErrServerGone) {
		t.Fatalf("Run after the server stopped: %v, %+v; want ErrServerGone", err, res)
	}
	if !strings.Contains(err.Error(), s.Addr) {
		t.Errorf("the error does not name the server: %v", err)
	}
}

// startServer starts an in-process server (the --addr path) on a fresh
// database and returns it, its admin token, and a stop that stops it once;
// the clean-up calls stop too and waits for a stop begun elsewhere.
func startServer(ctx context.Context, t *testing.T) (*server.Server, string, func()) {
	t.Helper()
	s, err := server.Start(ctx, server.Config{DataDir: pgtest.TempDir(t), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = s.Stop(sctx)
		})
	}
	t.Cleanup(stop)
	tok, err := os.ReadFile(s.AdminTokenFile)
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimSpace(string(tok)), stop
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
