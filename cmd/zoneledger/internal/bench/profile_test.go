package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestEcommerceProfile is a diagnostic, skipped unless
// ZONELEDGER_BENCH_PROFILE is set, e.g.
//
//	ZONELEDGER_BENCH_PROFILE=batch=1,clients=16,seconds=10,cpu=/tmp/ecom.cpu \
//	  go test -run TestEcommerceProfile -v -timeout 10m ./cmd/zoneledger/internal/bench
//
// It runs the ecommerce workload against a server in this process on an
// embedded PostgreSQL with pg_stat_statements, writes a CPU profile of the
// load (server and clients: tell them apart by package) to cpu=, and prints
// per order released: the SQL statements executed (by statement, with the
// time PostgreSQL spent in them), the transactions committed and rolled
// back, and the CPU time of this process and of PostgreSQL.
func TestEcommerceProfile(t *testing.T) {
	spec := os.Getenv("ZONELEDGER_BENCH_PROFILE")
	if spec == "" {
		t.Skip("set ZONELEDGER_BENCH_PROFILE=batch=1,clients=16,seconds=10,cpu=FILE to profile the ecommerce workload")
	}
	opt := map[string]string{"batch": "1", "clients": "16", "seconds": "10", "cpu": "", "top": "25"}
	for _, kv := range strings.Split(spec, ",") {
		k, v, _ := strings.Cut(kv, "=")
		if _, ok := opt[k]; !ok {
			t.Fatalf("ZONELEDGER_BENCH_PROFILE: unknown key %q (batch, clients, seconds, cpu, top)", k)
		}
		opt[k] = v
	}
	num := func(k string) int {
		n, err := strconv.Atoi(opt[k])
		if err != nil {
			t.Fatalf("ZONELEDGER_BENCH_PROFILE %s=%q: %v", k, opt[k], err)
		}
		return n
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := pgtest.TempDir(t)
	pglog := &lineLog{}
	pg, err := embedpg.Start(ctx, embedpg.Config{DataDir: filepath.Join(dir, "pg"), Logger: slog.New(pglog), Settings: map[string]string{
		"shared_preload_libraries": "pg_stat_statements", "pg_stat_statements.track": "all", "pg_stat_statements.max": "5000"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	url := pg.URL(embedpg.DefaultDatabase)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		t.Fatal(err)
	}
	s, err := server.Start(ctx, server.Config{DatabaseURL: url, AdminTokenFile: filepath.Join(dir, "admin.token"), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	tok, err := os.ReadFile(s.AdminTokenFile)
	if err != nil {
		t.Fatal(err)
	}

	cfg := Config{Workload: Ecommerce, Clients: num("clients"), Batch: num("batch"), Duration: time.Duration(num("seconds")) * time.Second,
		Warmup: time.Second, Addr: s.Addr, Token: strings.TrimSpace(string(tok))}
	if err := cfg.defaults(); err != nil {
		t.Fatal(err)
	}
	conns := make([]*grpc.ClientConn, cfg.Conns)
	for i := range conns {
		if conns[i], err = grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials())); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
	}
	et, err := setupEcom(ctx, conns[0], cfg.Token, &cfg)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := pool.Exec(ctx, `SELECT pg_stat_statements_reset()`); err != nil {
		t.Fatal(err)
	}
	xacts := func() (commit, rollback int64) {
		if err := pool.QueryRow(ctx, `SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&commit, &rollback); err != nil {
			t.Fatal(err)
		}
		return commit, rollback
	}
	c0, r0 := xacts()
	logFrom := pglog.len()
	self0, pg0 := cpuTicks(os.Getpid()), postgresTicks(pg.PID())
	if opt["cpu"] != "" {
		f, err := os.Create(opt["cpu"])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
	}
	res := &Result{Workload: Ecommerce, Clients: cfg.Clients, Batch: cfg.Batch, DurationS: cfg.Duration.Seconds(), Conns: cfg.Conns,
		Server: "in this process on " + s.Addr + " (profiling)"}
	began := time.Now()
	loadEcom(ctx, &cfg, conns, et, res)
	wall := time.Since(began)
	if opt["cpu"] != "" {
		pprof.StopCPUProfile()
	}
	self1, pg1 := cpuTicks(os.Getpid()), postgresTicks(pg.PID())
	c1, r1 := xacts()
	time.Sleep(600 * time.Millisecond) // pg_stat_statements and the stats collector catch up
	WriteReport(os.Stdout, res)

	n := float64(res.Ecom.Released) // the statistics cover the warm-up and the tail too
	if n == 0 {
		t.Fatal("no order released")
	}
	const hz = 100 // USER_HZ
	fmt.Printf("\nper order released (%d orders in %.1f s, %.0f orders/s over the whole load):\n", res.Ecom.Released, wall.Seconds(), n/wall.Seconds())
	fmt.Printf("  CPU          this process (server + clients) %.2f ms, PostgreSQL %.2f ms\n",
		float64(self1-self0)/hz*1000/n, float64(pg1-pg0)/hz*1000/n)
	fmt.Printf("  transactions %.2f committed, %.3f rolled back\n", float64(c1-c0)/n, float64(r1-r0)/n)
	rows, err := pool.Query(ctx, `SELECT calls, total_exec_time, query FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var total, totalMs float64
	type stmt struct {
		calls, ms float64
		q         string
	}
	var stmts []stmt
	for rows.Next() {
		var calls int64
		var ms float64
		var q string
		if err := rows.Scan(&calls, &ms, &q); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(q, "pg_stat_") {
			continue
		}
		total += float64(calls)
		totalMs += ms
		stmts = append(stmts, stmt{float64(calls), ms, strings.Join(strings.Fields(q), " ")})
	}
	fmt.Printf("  statements   %.1f (PostgreSQL executing them: %.2f ms)\n", total/n, totalMs/n)
	for i, s := range stmts {
		if i == num("top") {
			break
		}
		if len(s.q) > 150 {
			s.q = s.q[:150] + "…"
		}
		fmt.Printf("    %6.2f  %6.3f ms  %s\n", s.calls/n, s.ms/n, s.q)
	}

	// Errors PostgreSQL logged during the load (serialization failures,
	// deadlocks, ...), by message and statement.
	type key struct{ msg, stmt string }
	errs := map[key]int{}
	pending := map[string]string{} // "[pid]" -> the error awaiting its STATEMENT line
	for _, line := range pglog.lines(logFrom) {
		pid := ""
		if i := strings.Index(line, "["); i >= 0 {
			if j := strings.Index(line[i:], "]"); j > 0 {
				pid = line[i : i+j+1]
			}
		}
		if _, m, ok := strings.Cut(line, "ERROR:  "); ok {
			if prev, ok := pending[pid]; ok {
				errs[key{prev, "?"}]++
			}
			pending[pid] = m
		} else if _, st, ok := strings.Cut(line, "STATEMENT:  "); ok {
			if m, ok := pending[pid]; ok {
				errs[key{m, strings.Join(strings.Fields(st), " ")}]++
				delete(pending, pid)
			}
		}
	}
	for _, m := range pending {
		errs[key{m, "?"}]++
	}
	var keys []key
	nerr := 0
	for k, c := range errs {
		keys = append(keys, k)
		nerr += c
	}
	slices.SortFunc(keys, func(a, b key) int { return errs[b] - errs[a] })
	fmt.Printf("  SQL errors   %.2f (PostgreSQL's log)\n", float64(nerr)/n)
	for i, k := range keys {
		if i == 10 {
			break
		}
		st := k.stmt
		if len(st) > 110 {
			st = st[:110] + "…"
		}
		fmt.Printf("    %6.3f  %s\n            in %s\n", float64(errs[k])/n, k.msg, st)
	}
	if err := verifyEcom(ctx, conns[0], et, res.Ecom.tally); err != nil {
		t.Fatal(err)
	}
}

// lineLog is a slog.Handler keeping the messages (PostgreSQL's log lines).
type lineLog struct {
	mu  sync.Mutex
	buf []string
}

func (l *lineLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *lineLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.buf = append(l.buf, r.Message)
	l.mu.Unlock()
	return nil
}
func (l *lineLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *lineLog) WithGroup(string) slog.Handler      { return l }
func (l *lineLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buf)
}
func (l *lineLog) lines(from int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.buf[from:])
}

// cpuTicks is a process's user + system CPU time in clock ticks.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from 3 (state) on
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64) // field 14 utime
	k, _ := strconv.ParseInt(f[12], 10, 64) // field 15 stime
	return u + k
}

// postgresTicks is the CPU time of the postmaster and its live children.
func postgresTicks(postmaster int) int64 {
	total := cpuTicks(postmaster)
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(f) > 1 && f[1] == strconv.Itoa(postmaster) {
			total += cpuTicks(pid)
		}
	}
	return total
}
