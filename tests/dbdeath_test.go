package tests

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// dbDeathTimeout bounds each wait of the database-death tests: the server
// must notice within it, and come back within it.
const dbDeathTimeout = 60 * time.Second

// PostmasterPID returns the pid of the embedded PostgreSQL's postmaster,
// from postmaster.pid in the cluster directory (<data-dir>/pg, or where
// <data-dir>/pg.location says).
func (s *Server) PostmasterPID() int {
	s.t.Helper()
	dir := filepath.Join(s.DataDir, "pg")
	if b, err := os.ReadFile(filepath.Join(s.DataDir, "pg.location")); err == nil {
		dir = strings.TrimSpace(string(b))
	}
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		s.t.Fatalf("reading the embedded PostgreSQL's postmaster.pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		s.t.Fatalf("postmaster.pid starts with %q", strings.SplitN(string(b), "\n", 2)[0])
	}
	return pid
}

// KillPostmaster SIGKILLs the embedded PostgreSQL's postmaster, as the
// kernel's OOM killer or an operator's kill -9 would, and returns its pid.
func (s *Server) KillPostmaster() int {
	s.t.Helper()
	pid := s.PostmasterPID()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		s.t.Fatalf("kill -KILL %d (the postmaster): %v", pid, err)
	}
	return pid
}

// WaitLog waits until the server's log has a line containing text after the
// first `from` lines, and returns that line.
func (s *Server) WaitLog(from int, text string, within time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for {
		if line, ok := s.log.find(from, text); ok {
			return line
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the server logged no %q within %v; its log:\n%s", text, within, s.log.Tail(40))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// healthWatch follows the health of service ("" for the server) and
// records every status it reports.
type healthWatch struct {
	seen   chan healthpb.HealthCheckResponse_ServingStatus
	cancel context.CancelFunc
}

func watchHealth(t *testing.T, s *Server, service string) *healthWatch {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	st, err := healthpb.NewHealthClient(s.Conn()).Watch(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		cancel()
		t.Fatalf("health Watch %q: %v", service, err)
	}
	w := &healthWatch{seen: make(chan healthpb.HealthCheckResponse_ServingStatus, 64), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		defer close(w.seen)
		for {
			resp, err := st.Recv()
			if err != nil {
				return
			}
			w.seen <- resp.GetStatus()
		}
	}()
	return w
}

// await waits until the watch reports want.
func (w *healthWatch) await(t *testing.T, want healthpb.HealthCheckResponse_ServingStatus, within time.Duration) {
	t.Helper()
	timer := time.NewTimer(within)
	defer timer.Stop()
	for {
		select {
		case got, ok := <-w.seen:
			if !ok {
				t.Fatalf("the health watch ended before it reported %v", want)
			}
			if got == want {
				return
			}
		case <-timer.C:
			t.Fatalf("health did not report %v within %v", want, within)
		}
	}
}

// TestPostmasterKilled SIGKILLs the embedded PostgreSQL under a running
// server: the server logs it at once, reports NOT_SERVING, restarts
// PostgreSQL and reports SERVING again; a write then succeeds, and a journal
// acknowledged before the kill is there exactly once. Calls that fail
// meanwhile are UNAVAILABLE and do not name the database's socket or user.
func TestPostmasterKilled(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	EnsureWorld(t, s, a.C, "abroad")
	CreateBook(t, s, a.E1, "H-PGKILL", ent1, "bonded")
	RegisterItems(t, s, a.E1, "H-PGKILL", item("X1", "PCE", 0))
	before := Post(t, s, a.E1, journal("H-PGKILL", "before-kill", day(0), move("X1", "PCE", "5", "50.00", world("abroad"), acct("H-PGKILL", "bonded"))))

	all, ledgerHealth := &healthWatch{cancel: func() {}}, &healthWatch{cancel: func() {}}
	for round := 1; round <= 2; round++ {
		all.cancel()
		ledgerHealth.cancel()
		all = watchHealth(t, s, "")
		ledgerHealth = watchHealth(t, s, "zoneledger.ledger.v1.LedgerService")
		all.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
		ledgerHealth.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
		logFrom := s.log.len()
		pid := s.KillPostmaster()
		t.Logf("round %d: killed the postmaster (pid %d)", round, pid)

		// A call while the database is down is UNAVAILABLE and names
		// neither the socket directory nor the database user; it may also
		// succeed when the restart was quicker.
		_, err := s.Ledger().PostJournal(ctxAs(t, a.E1), journal("H-PGKILL", "during-"+strconv.Itoa(round), day(0),
			move("X1", "PCE", "1", "10.00", world("abroad"), acct("H-PGKILL", "bonded"))))
		if err != nil {
			if status.Code(err) != codes.Unavailable {
				t.Errorf("round %d: a write while PostgreSQL is down: %v, want UNAVAILABLE", round, err)
			}
			msg := status.Convert(err).Message()
			for _, secret := range []string{s.DataDir, ".s.PGSQL", "user=", "postgres"} {
				if strings.Contains(msg, secret) {
					t.Errorf("round %d: the caller is told %q, which names %q", round, msg, secret)
				}
			}
		}

		line := s.WaitLog(logFrom, "the embedded PostgreSQL exited unexpectedly", dbDeathTimeout)
		if !strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("round %d: the death is logged below ERROR: %s", round, line)
		}
		all.await(t, healthpb.HealthCheckResponse_NOT_SERVING, dbDeathTimeout)
		ledgerHealth.await(t, healthpb.HealthCheckResponse_NOT_SERVING, dbDeathTimeout)
		all.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
		ledgerHealth.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
		if now := s.PostmasterPID(); now == pid {
			t.Fatalf("round %d: SERVING again, but postmaster.pid still names the killed pid %d", round, pid)
		}
		if !s.Alive() {
			t.Fatalf("round %d: the server exited", round)
		}

		after := Post(t, s, a.E1, journal("H-PGKILL", "after-"+strconv.Itoa(round), day(0),
			move("X1", "PCE", "2", "20.00", world("abroad"), acct("H-PGKILL", "bonded"))))
		if after.GetJournalId() <= before.GetJournalId() {
			t.Errorf("round %d: journal after the restart has id %d, not after %d", round, after.GetJournalId(), before.GetJournalId())
		}
	}

	count := map[string]int{}
	for _, j := range streamAll(t, s, a.E1, "H-PGKILL") {
		count[j.GetIdempotencyKey()]++
	}
	for _, key := range []string{"before-kill", "after-1", "after-2"} {
		if count[key] != 1 {
			t.Errorf("journal %s is recorded %d times, want exactly once", key, count[key])
		}
	}
	for _, key := range []string{"during-1", "during-2"} {
		if count[key] > 1 {
			t.Errorf("journal %s is recorded %d times", key, count[key])
		}
	}
	// A retry of the write made before the kill is a replay, not a second journal.
	resp, err := s.Ledger().PostJournal(ctxAs(t, a.E1), journal("H-PGKILL", "before-kill", day(0),
		move("X1", "PCE", "5", "50.00", world("abroad"), acct("H-PGKILL", "bonded"))))
	if err != nil || !resp.GetReplayed() || resp.GetJournal().GetJournalId() != before.GetJournalId() {
		t.Errorf("retrying the journal acknowledged before the kill: %v, replayed %v, id %d (want %d)",
			err, resp.GetReplayed(), resp.GetJournal().GetJournalId(), before.GetJournalId())
	}
	// The health watches stay open: a graceful stop ends them and exits 0
	// after the restarts.
	s.Stop()
}

// TestExternalDatabaseDown checks the watch of an external database: the
// server runs with --database-url on a PostgreSQL the test owns; when that
// PostgreSQL dies the server reports NOT_SERVING (it does not own the
// database, so it only waits), and SERVING again once the database is back.
func TestExternalDatabaseDown(t *testing.T) {
	dir := pgtest.TempDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg, err := embedpg.Start(ctx, embedpg.Config{DataDir: filepath.Join(dir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	s := StartServer(t, "--database-url", pg.URL(embedpg.DefaultDatabase), "--admin-token-file", filepath.Join(dir, "admin.token"))
	a := NewActors(t, s)
	EnsureWorld(t, s, a.C, "abroad")
	CreateBook(t, s, a.E1, "H-EXT", ent1, "bonded")
	RegisterItems(t, s, a.E1, "H-EXT", item("X1", "PCE", 0))
	in := func(key string) *ledgerv1.PostJournalRequest {
		return journal("H-EXT", key, day(0), move("X1", "PCE", "1", "10.00", world("abroad"), acct("H-EXT", "bonded")))
	}
	Post(t, s, a.E1, in("ext-before"))

	all := watchHealth(t, s, "")
	all.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
	logFrom := s.log.len()
	if err := syscall.Kill(pg.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-pg.Done()
	all.await(t, healthpb.HealthCheckResponse_NOT_SERVING, dbDeathTimeout)
	s.WaitLog(logFrom, "the database does not answer", dbDeathTimeout)
	_, err = s.Ledger().PostJournal(ctxAs(t, a.E1), in("ext-during"))
	if status.Code(err) != codes.Unavailable {
		t.Errorf("a write while the external database is down: %v, want UNAVAILABLE", err)
	} else if msg := status.Convert(err).Message(); strings.Contains(msg, dir) || strings.Contains(msg, "user=") || strings.Contains(msg, ".s.PGSQL") {
		t.Errorf("the caller is told %q, which names the database", msg)
	}
	if !s.Alive() {
		t.Fatal("the server exited while the external database was down; it should wait for it")
	}

	if err := pg.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	all.await(t, healthpb.HealthCheckResponse_SERVING, dbDeathTimeout)
	s.WaitLog(logFrom, "the database answers again", dbDeathTimeout)
	Post(t, s, a.E1, in("ext-after"))
	count := map[string]int{}
	for _, j := range streamAll(t, s, a.E1, "H-EXT") {
		count[j.GetIdempotencyKey()]++
	}
	if count["ext-before"] != 1 || count["ext-after"] != 1 || count["ext-during"] != 0 {
		t.Errorf("journals recorded: %v; want ext-before and ext-after once, ext-during (refused) never", count)
	}
	s.Stop()
}

// len returns how many lines the log has.
func (l *serverLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// find returns the first line after the first from lines that contains
// text.
func (l *serverLog) find(from int, text string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines[min(from, len(l.lines)):] {
		if strings.Contains(line, text) {
			return line, true
		}
	}
	return "", false
}

// WaitExit waits for the server process to exit by itself and returns its
// exit error (nil for status 0).
func (s *Server) WaitExit(within time.Duration) error {
	s.t.Helper()
	s.mu.Lock()
	exited := s.exited
	s.mu.Unlock()
	select {
	case <-exited:
	case <-time.After(within):
		s.t.Fatalf("zoneledger did not exit within %v; its log:\n%s", within, s.log.Tail(40))
	}
	s.mu.Lock()
	s.running = false
	err := s.exitErr
	s.mu.Unlock()
	s.closeConn()
	return err
}

// TestPostmasterCrashLoopExits kills the embedded PostgreSQL again each
// time the server has brought it back: at the fifth death within ten
// minutes the server gives up and exits non-zero, for its supervisor to
// act, instead of restarting a database that keeps dying.
func TestPostmasterCrashLoopExits(t *testing.T) {
	s := StartServer(t)
	for death := 1; death <= 5; death++ {
		from := s.log.len()
		pid := s.KillPostmaster()
		if death < 5 {
			s.WaitLog(from, "the database answers again", dbDeathTimeout)
			t.Logf("death %d (pid %d): restarted", death, pid)
		}
	}
	err := s.WaitExit(dbDeathTimeout)
	if err == nil {
		t.Fatal("the server exited with status 0 after giving up on its database; a supervisor would not restart it")
	}
	line, ok := s.log.find(0, "giving up")
	if !ok {
		t.Fatalf("the server exited (%v) without saying it gave up on the database", err)
	}
	t.Logf("exited with %v after: %s", err, line)
}
