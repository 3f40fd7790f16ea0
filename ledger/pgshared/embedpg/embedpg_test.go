package embedpg_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

func start(t *testing.T, cfg embedpg.Config) *embedpg.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	inst, err := embedpg.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s on port %d (pid %d)", time.Since(began).Round(time.Millisecond), inst.Port(), inst.PID())
	t.Cleanup(func() { _ = inst.Stop(context.Background()) })
	return inst
}

func stop(t *testing.T, inst *embedpg.Instance) {
	t.Helper()
	began := time.Now()
	if err := inst.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped in %s", time.Since(began).Round(time.Millisecond))
	if alive(inst.PID()) {
		t.Fatalf("postmaster %d still running after Stop", inst.PID())
	}
}

// alive reports whether pid runs (a zombie waiting to be reaped does not).
func alive(pid int) bool {
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if i := strings.LastIndexByte(string(b), ')'); i > 0 && i+2 < len(b) && b[i+2] == 'Z' {
			return false
		}
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// gone waits a while for pid to end: a postmaster removes postmaster.pid
// just before it exits.
func gone(pid int) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return false
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func exec1(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, url, table string) int {
	t.Helper()
	conn := connect(t, url)
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStartStop(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	if want := fmt.Sprintf("postgres://postgres@/zoneledger?host=%s&port=%d&sslmode=disable", url.QueryEscape(dir), inst.Port()); inst.URL("zoneledger") != want {
		t.Errorf("URL = %q, want %q", inst.URL("zoneledger"), want)
	}
	conn := connect(t, inst.URL(embedpg.DefaultDatabase))
	var listen, fsync, maxConn, sb, sock string
	if err := conn.QueryRow(context.Background(),
		"SELECT current_setting('listen_addresses'), current_setting('fsync'), current_setting('max_connections'), current_setting('shared_buffers'), current_setting('unix_socket_directories')",
	).Scan(&listen, &fsync, &maxConn, &sb, &sock); err != nil {
		t.Fatal(err)
	}
	if listen != "" || fsync != "on" || maxConn != "200" || sb != "128MB" || sock != dir {
		t.Errorf("settings: listen_addresses=%s fsync=%s max_connections=%s shared_buffers=%s unix_socket_directories=%s",
			listen, fsync, maxConn, sb, sock)
	}
	hba, err := os.ReadFile(filepath.Join(dir, "pg_hba.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(hba), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "host") && f[len(f)-1] != "reject" {
			t.Errorf("pg_hba.conf lets in more than the socket: %q", line)
		}
	}
	conn.Close(context.Background())
	stop(t, inst)
	select {
	case <-inst.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	if inst.Err() != nil {
		t.Errorf("Err after a clean stop: %v", inst.Err())
	}
	if err := inst.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir, Settings: map[string]string{"max_connections": "50", "work_mem": "8MB"}})
	conn := connect(t, inst.URL("postgres"))
	var maxConn, workMem string
	if err := conn.QueryRow(context.Background(), "SELECT current_setting('max_connections'), current_setting('work_mem')").Scan(&maxConn, &workMem); err != nil {
		t.Fatal(err)
	}
	if maxConn != "50" || workMem != "8MB" {
		t.Errorf("max_connections=%s work_mem=%s, want 50 and 8MB", maxConn, workMem)
	}
}

func TestRestartKeepsData(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	exec1(t, inst.URL("zoneledger"), "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)")
	stop(t, inst)

	inst = start(t, embedpg.Config{DataDir: dir})
	if n := count(t, inst.URL("zoneledger"), "kept"); n != 2 {
		t.Fatalf("%d rows after restart, want 2", n)
	}
}

func TestRestartAfterPostmasterKilled(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	url := inst.URL("zoneledger")
	exec1(t, url, "CREATE TABLE kept (n int)")
	// Hold a session open, as a server under load would.
	conn := connect(t, url)
	for i := range 100 {
		if _, err := conn.Exec(context.Background(), "INSERT INTO kept VALUES ($1)", i); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Kill(inst.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-inst.Done()
	if err := inst.Stop(context.Background()); err == nil {
		t.Error("Stop after the postmaster was killed: no error")
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		t.Fatalf("expected a stale postmaster.pid: %v", err)
	}

	inst = start(t, embedpg.Config{DataDir: dir})
	if n := count(t, inst.URL("zoneledger"), "kept"); n != 100 {
		t.Fatalf("%d rows after the crash, want all 100 acknowledged", n)
	}
}

func TestRestartWhileOldServerShutsDown(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	exec1(t, inst.URL("zoneledger"), "CREATE TABLE kept AS SELECT generate_series(1, 100000) AS n")
	// What the parent-death signal does to an orphaned server: fast shutdown.
	if err := syscall.Kill(inst.PID(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	next := start(t, embedpg.Config{DataDir: dir})
	if !gone(inst.PID()) {
		t.Errorf("old postmaster %d still running", inst.PID())
	}
	if n := count(t, next.URL("zoneledger"), "kept"); n != 100000 {
		t.Fatalf("%d rows, want 100000", n)
	}
}

func TestSecondServerOnSameDataDirRefused(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	_, err := embedpg.Start(context.Background(), embedpg.Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "another PostgreSQL server") || !strings.Contains(err.Error(), strconv.Itoa(inst.PID())) {
		t.Fatalf("second Start on a data directory in use: %v", err)
	}
	t.Log(err)
	exec1(t, inst.URL("zoneledger"), "SELECT 1") // the first one is unharmed
}

// TestParentDeathStopsServer kills (SIGKILL) a process that started a
// server, and checks that the server goes away by itself and that the data
// directory can be started again at once.
func TestParentDeathStopsServer(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "EMBEDPG_HELPER_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var pid int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "READY %d", &pid); err == nil {
			break
		}
	}
	if pid == 0 {
		t.Fatal("the helper did not start a server")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	inst := start(t, embedpg.Config{DataDir: dir}) // waits for the orphan to finish
	if !gone(pid) {
		t.Fatalf("orphaned postmaster %d still running", pid)
	}
	if n := count(t, inst.URL("zoneledger"), "kept"); n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
}

func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("EMBEDPG_HELPER_DIR")
	if dir == "" {
		t.Skip("run by TestParentDeathStopsServer")
	}
	inst, err := embedpg.Start(context.Background(), embedpg.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	exec1(t, inst.URL("zoneledger"), "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2), (3)")
	fmt.Printf("READY %d\n", inst.PID())
	select {} // until killed
}

func TestLongDataDirUsesTempSocketDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), strings.Repeat("long-directory-name-", 5), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	conn := connect(t, inst.URL("postgres"))
	var sock string
	if err := conn.QueryRow(context.Background(), "SELECT current_setting('unix_socket_directories')").Scan(&sock); err != nil {
		t.Fatal(err)
	}
	if sock == dir || len(sock) > 90 {
		t.Fatalf("socket directory %q for data directory of %d bytes", sock, len(dir))
	}
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("socket directory mode %v, want 0700", fi.Mode().Perm())
	}
	conn.Close(context.Background())
	stop(t, inst)
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket directory %s not removed by Stop: %v", sock, err)
	}
}

func TestFixedPort(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	inst := start(t, embedpg.Config{DataDir: filepath.Join(pgtest.TempDir(t), "data"), Port: port})
	if inst.Port() != port {
		t.Fatalf("Port() = %d, want %d", inst.Port(), port)
	}
	exec1(t, inst.URL("zoneledger"), "SELECT 1")
}

func TestCreateDropDatabase(t *testing.T) {
	t.Parallel()
	inst := start(t, embedpg.Config{DataDir: filepath.Join(pgtest.TempDir(t), "data")})
	ctx := context.Background()
	if err := inst.CreateDatabase(ctx, "Other-DB"); err != nil {
		t.Fatal(err)
	}
	if err := inst.CreateDatabase(ctx, "Other-DB"); !errors.Is(err, embedpg.ErrDatabaseExists) {
		t.Fatalf("second CreateDatabase: %v, want ErrDatabaseExists", err)
	}
	conn := connect(t, inst.URL("Other-DB")) // an open session does not stop the drop
	if err := inst.DropDatabase(ctx, "Other-DB"); err != nil {
		t.Fatal(err)
	}
	if err := conn.Ping(ctx); err == nil {
		t.Error("session on a dropped database still works")
	}
	if err := inst.DropDatabase(ctx, "Other-DB"); err != nil {
		t.Fatalf("dropping a missing database: %v", err)
	}
	if err := inst.CreateDatabase(ctx, strings.Repeat("x", 64)); err == nil {
		t.Error("a 64-byte name was accepted")
	}
}

func TestEmptyBinDir(t *testing.T) {
	t.Parallel()
	_, err := embedpg.Start(context.Background(), embedpg.Config{DataDir: filepath.Join(t.TempDir(), "data"), BinDir: t.TempDir()})
	if !errors.Is(err, embedpg.ErrNoBinaries) || !strings.Contains(err.Error(), "apt-get install -y postgresql") {
		t.Fatalf("Start with an empty BinDir: %v", err)
	}
	t.Log(err)
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, cfg := range map[string]embedpg.Config{
		"no data dir":     {},
		"bad port":        {DataDir: "x", Port: 70000},
		"reserved":        {DataDir: "x", Settings: map[string]string{"listen_addresses": "*"}},
		"bad name":        {DataDir: "x", Settings: map[string]string{"a b": "1"}},
		"reserved socket": {DataDir: "x", Settings: map[string]string{"unix_socket_directories": "/tmp"}},
	} {
		if _, err := embedpg.Start(ctx, cfg); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

func TestDataDirNotACluster(t *testing.T) {
	t.Parallel()
	dir := pgtest.TempDir(t)
	if err := os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := embedpg.Start(context.Background(), embedpg.Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Start on a non-empty non-cluster directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatal(err)
	}
}

func TestUnreachableDataDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root runs PostgreSQL as another user")
	}
	t.Parallel()
	_, err := embedpg.Start(context.Background(), embedpg.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	if err == nil || !strings.Contains(err.Error(), "cannot enter") {
		t.Fatalf("Start under a 0700 root directory: %v", err)
	}
	t.Log(err)
}

func TestFindBinaries(t *testing.T) {
	dir, err := embedpg.FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	t.Setenv("PATH", t.TempDir())
	dir, err = embedpg.FindBinaries()
	t.Logf("without PATH: %q, %v", dir, err)
	if err == nil && !strings.HasPrefix(dir, "/usr/lib/postgresql/") {
		t.Errorf("found %s without PATH", dir)
	}
}

// TestStalePidFileOfReusedPid starts a cluster whose postmaster.pid names a
// live process that is not PostgreSQL, as after a reboot or in a new
// container; PostgreSQL alone would refuse to start.
func TestStalePidFileOfReusedPid(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	if err := syscall.Kill(inst.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-inst.Done()
	pidFile := filepath.Join(dir, "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() })
	_, rest, _ := strings.Cut(string(b), "\n")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(sleeper.Process.Pid)+"\n"+rest), 0o600); err != nil {
		t.Fatal(err)
	}
	inst = start(t, embedpg.Config{DataDir: dir})
	exec1(t, inst.URL("zoneledger"), "SELECT 1")
}

// TestRestartInPlace kills the postmaster, as a crash would, and restarts it
// with Restart: the URL stays, a pool made before the crash reconnects, and
// every committed row is there.
func TestRestartInPlace(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	inst := start(t, embedpg.Config{DataDir: dir})
	u := inst.URL("zoneledger")
	exec1(t, u, "CREATE TABLE kept (n int)")
	conn := connect(t, u)
	for i := range 50 {
		if _, err := conn.Exec(context.Background(), "INSERT INTO kept VALUES ($1)", i); err != nil {
			t.Fatal(err)
		}
	}
	if err := inst.Restart(context.Background()); err == nil {
		t.Fatal("Restart of a running server: no error")
	}
	old := inst.PID()
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-inst.Done()
	if err := inst.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	if inst.PID() == old || !alive(inst.PID()) {
		t.Fatalf("after Restart: pid %d (was %d), alive %v", inst.PID(), old, alive(inst.PID()))
	}
	if inst.URL("zoneledger") != u {
		t.Errorf("URL changed on Restart: %s, was %s", inst.URL("zoneledger"), u)
	}
	select {
	case <-inst.Done():
		t.Fatal("Done is closed after Restart")
	default:
	}
	if n := count(t, u, "kept"); n != 50 {
		t.Fatalf("%d rows after the crash and Restart, want all 50 committed", n)
	}
	stop(t, inst)
	if err := inst.Restart(context.Background()); err == nil {
		t.Error("Restart after Stop: no error")
	}
}

// TestOtherUserRefused runs a connection attempt as the OS user nobody,
// over TCP on 127.0.0.1 and over the server's unix socket, and checks that
// both are refused: only the server's own user and root get in.
func TestOtherUserRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the connection attempt as the user nobody (CI runs as root)")
	}
	t.Parallel()
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("looking up the user nobody: %v", err)
	}
	uid, _ := strconv.ParseUint(nobody.Uid, 10, 32)
	gid, _ := strconv.ParseUint(nobody.Gid, 10, 32)

	tmp := pgtest.TempDir(t) // 0711: nobody may pass through
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	inst := start(t, embedpg.Config{DataDir: filepath.Join(tmp, "data"), Port: port})
	exec1(t, inst.URL("zoneledger"), "SELECT 1") // we (root) get in

	// A copy of this test binary that nobody may run.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(tmp, "probe.test")
	if err := os.WriteFile(probe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	tcpURL := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/zoneledger?sslmode=disable", port)
	for _, c := range []struct{ how, url string }{{"tcp", tcpURL}, {"socket", inst.URL("zoneledger")}} {
		cmd := exec.Command(probe, "-test.run=^TestProbeHelper$")
		cmd.Dir = "/"
		cmd.Env = append(os.Environ(), "EMBEDPG_PROBE_URL="+c.url)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		out, err := cmd.CombinedOutput()
		text := string(out)
		switch {
		case strings.Contains(text, "PROBE CONNECTED"):
			t.Errorf("as nobody over %s (%s): connected to the embedded server", c.how, c.url)
		case strings.Contains(text, "PROBE REFUSED"):
			t.Logf("as nobody over %s: refused: %s", c.how, strings.TrimSpace(text[strings.Index(text, "PROBE REFUSED"):]))
		default:
			t.Errorf("as nobody over %s: the probe did not run (%v):\n%s", c.how, err, text)
		}
	}
}

// TestProbeHelper is the connection attempt TestOtherUserRefused runs as
// another OS user.
func TestProbeHelper(t *testing.T) {
	u := os.Getenv("EMBEDPG_PROBE_URL")
	if u == "" {
		t.Skip("run by TestOtherUserRefused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		fmt.Printf("PROBE REFUSED %v\n", err)
		return
	}
	conn.Close(ctx)
	fmt.Println("PROBE CONNECTED")
}

// TestOldClusterLockedDown starts a cluster whose pg_hba.conf trusts
// 127.0.0.1, as clusters made by older versions did: Start rewrites it, and
// the server listens on no TCP address.
func TestOldClusterLockedDown(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(pgtest.TempDir(t), "data")
	stop(t, start(t, embedpg.Config{DataDir: dir}))
	hba := filepath.Join(dir, "pg_hba.conf")
	old := "local all all trust\nhost all all 127.0.0.1/32 trust\n"
	if err := os.WriteFile(hba, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	inst := start(t, embedpg.Config{DataDir: dir})
	b, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "127.0.0.1") || !strings.Contains(string(b), "reject") {
		t.Errorf("pg_hba.conf after Start:\n%s", b)
	}
	conn := connect(t, inst.URL("postgres"))
	var listen string
	var rules int
	if err := conn.QueryRow(context.Background(), "SELECT current_setting('listen_addresses'), (SELECT count(*) FROM pg_hba_file_rules WHERE type LIKE 'host%' AND auth_method <> 'reject')").Scan(&listen, &rules); err != nil {
		t.Fatal(err)
	}
	if listen != "" || rules != 0 {
		t.Errorf("listen_addresses %q and %d host rules that do not reject", listen, rules)
	}
}
