package embedpg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the PostgreSQL superuser of a cluster made by Start.
const Superuser = "postgres"

// DefaultDatabase is the database Start creates when it is missing.
const DefaultDatabase = "zoneledger"

// DefaultStartTimeout bounds Start when its context has no deadline. Start
// otherwise waits as long as its context allows, since crash recovery after
// an unclean stop can take a while.
const DefaultStartTimeout = 2 * time.Minute

// DefaultPort is the port number of the server's unix socket
// (.s.PGSQL.5432) when Config.Port is 0. The server listens on no TCP port;
// the socket is in a private directory, so the number clashes with nothing.
const DefaultPort = 5432

// StopTimeout is how long Stop waits for a fast shutdown before it kills the
// server, unless its context ends first.
const StopTimeout = 60 * time.Second

// ErrDatabaseExists is returned (wrapped) by CreateDatabase when the
// database already exists.
var ErrDatabaseExists = errors.New("database already exists")

// Config says where and how to run the server.
type Config struct {
	// DataDir is the cluster's directory. When it is missing or empty, Start
	// creates a new cluster there; otherwise it must hold one. Required.
	DataDir string
	// Port is the number in the name of the server's unix socket
	// (.s.PGSQL.<Port>); 0 means DefaultPort. The server listens on no TCP
	// address: its only way in is that socket, in a directory only the
	// server's user (and root) can enter.
	Port int
	// BinDir is the directory holding initdb and postgres; empty means
	// FindBinaries.
	BinDir string
	// Settings are extra server settings (postgresql.conf names and values),
	// applied over Start's defaults: shared_buffers=128MB,
	// max_connections=200, fsync=on, synchronous_commit=on,
	// full_page_writes=on. The addresses and the socket directory
	// (listen_addresses, port, unix_socket_directories) and the file
	// locations are Start's and cannot be set here.
	Settings map[string]string
	// Logger receives our progress at Info and the server's log lines at
	// Debug (PANIC lines at Error); nil discards both.
	Logger *slog.Logger
}

// defaultSettings are the server settings Start applies unless
// Config.Settings overrides them.
var defaultSettings = map[string]string{
	"shared_buffers":          "128MB",
	"max_connections":         "200",
	"fsync":                   "on",
	"synchronous_commit":      "on",
	"full_page_writes":        "on",
	"unix_socket_permissions": "0700",
	"cluster_name":            "zoneledger",
}

// reservedSettings are decided by Start: where the server listens and where
// its files are.
var reservedSettings = []string{
	"listen_addresses", "port", "unix_socket_directories",
	"data_directory", "config_file", "hba_file", "ident_file",
}

var settingName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// Instance is a running server started by Start.
type Instance struct {
	dataDir      string
	socketDir    string
	ownSocketDir bool // socketDir is a temporary directory of ours
	port         int
	binDir       string
	settings     map[string]string
	id           *identity
	logger       *slog.Logger

	// mu guards the current postmaster, which Restart replaces.
	mu   sync.Mutex
	proc *postmaster

	stopCalled bool // under mu
	stopOnce   sync.Once
	stopErr    error
}

// postmaster is one run of the server process.
type postmaster struct {
	cmd     *exec.Cmd
	log     *serverLog
	exited  chan struct{} // closed when the postmaster has exited
	exitErr error         // cmd.Wait's result, set before exited is closed
}

// current returns the current postmaster.
func (i *Instance) current() *postmaster {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.proc
}

// Start runs a PostgreSQL server on cfg.DataDir, creating the cluster when
// there is none, and returns once it accepts connections and the database
// DefaultDatabase exists. See the package documentation for what runs as
// whom and what happens when our process dies.
func Start(ctx context.Context, cfg Config) (*Instance, error) {
	began := time.Now()
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.DataDir == "" {
		return nil, errors.New("embedpg: Config.DataDir is empty: set it to the directory that holds (or will hold) the PostgreSQL cluster")
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("embedpg: Config.Port %d is out of range: use 1-65535, or 0 to pick a free port", cfg.Port)
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("embedpg: data directory: %w", err)
	}
	binDir := cfg.BinDir
	if binDir == "" {
		if binDir, err = FindBinaries(); err != nil {
			return nil, fmt.Errorf("embedpg: %w", err)
		}
	} else if err := checkBinDir(binDir); err != nil {
		return nil, fmt.Errorf("embedpg: Config.BinDir: %w: point BinDir at PostgreSQL's bin directory "+
			"(e.g. /usr/lib/postgresql/15/bin) or leave it empty to search; to get the binaries, %s", err, installHint)
	}
	settings, err := serverSettings(cfg.Settings)
	if err != nil {
		return nil, err
	}
	id, err := serverIdentity()
	if err != nil {
		return nil, fmt.Errorf("embedpg: %w", err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultStartTimeout)
		defer cancel()
	}

	if err := prepareDataDir(ctx, dataDir, binDir, id, logger); err != nil {
		return nil, fmt.Errorf("embedpg: %w", err)
	}
	if err := waitForOldPostmaster(ctx, dataDir, logger); err != nil {
		return nil, fmt.Errorf("embedpg: %w", err)
	}
	socketDir, own, err := makeSocketDir(dataDir, id)
	if err != nil {
		return nil, fmt.Errorf("embedpg: %w", err)
	}

	port := cfg.Port
	if port == 0 {
		port = DefaultPort
	}
	inst := &Instance{dataDir: dataDir, socketDir: socketDir, ownSocketDir: own, port: port,
		binDir: binDir, settings: settings, id: id, logger: logger}
	if err := inst.launchRetrying(ctx); err != nil {
		if own {
			os.RemoveAll(socketDir)
		}
		return nil, fmt.Errorf("embedpg: %w", err)
	}
	if err := inst.ensureDatabase(ctx, DefaultDatabase); err != nil {
		_ = inst.Stop(context.Background())
		return nil, fmt.Errorf("embedpg: creating database %s: %w", DefaultDatabase, err)
	}
	logger.Info("embedded PostgreSQL: ready", "dir", dataDir, "socket_dir", socketDir, "pid", inst.PID(),
		"took", time.Since(began).Round(time.Millisecond))
	return inst, nil
}

// launchRetrying launches the postmaster, trying again while the previous
// server's processes are still going away.
func (i *Instance) launchRetrying(ctx context.Context) error {
	for {
		err := i.launch(ctx)
		if err == nil {
			return nil
		}
		var retry *retryableError
		if !errors.As(err, &retry) || ctx.Err() != nil {
			return err
		}
		i.logger.Info("embedded PostgreSQL: retrying start", "reason", retry.reason)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Restart starts the server again after its postmaster exited without Stop
// (it crashed, or someone killed it): PostgreSQL's crash recovery replays
// the write-ahead log, so every committed transaction is there. The server
// keeps its socket and URL, so pools made from URL reconnect by themselves.
// Restart returns an error when the postmaster is still running or Stop was
// called, and when the server does not come back by the end of ctx (or
// DefaultStartTimeout when ctx has no deadline).
func (i *Instance) Restart(ctx context.Context) error {
	select {
	case <-i.current().exited:
	default:
		return fmt.Errorf("embedpg: Restart: PostgreSQL (pid %d) is still running", i.PID())
	}
	if i.stopped() {
		return errors.New("embedpg: Restart: the server was stopped")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultStartTimeout)
		defer cancel()
	}
	began := time.Now()
	if err := waitForOldPostmaster(ctx, i.dataDir, i.logger); err != nil {
		return fmt.Errorf("embedpg: %w", err)
	}
	if err := writeHBA(i.dataDir, i.id); err != nil {
		return fmt.Errorf("embedpg: %w", err)
	}
	if err := i.launchRetrying(ctx); err != nil {
		return fmt.Errorf("embedpg: restarting: %w", err)
	}
	i.logger.Info("embedded PostgreSQL: restarted", "dir", i.dataDir, "pid", i.PID(),
		"took", time.Since(began).Round(time.Millisecond))
	return nil
}

// serverSettings merges the defaults with the caller's settings.
func serverSettings(extra map[string]string) (map[string]string, error) {
	s := maps.Clone(defaultSettings)
	for name, value := range extra {
		name = strings.ToLower(name) // PostgreSQL's setting names ignore case
		if !settingName.MatchString(name) {
			return nil, fmt.Errorf("embedpg: Config.Settings: %q is not a PostgreSQL setting name", name)
		}
		if slices.Contains(reservedSettings, name) {
			hint := "remove it from Settings"
			if name == "port" {
				hint = "set Config.Port instead"
			}
			return nil, fmt.Errorf("embedpg: Config.Settings: %s is decided by embedpg (it listens on a private unix socket only, "+
				"and keeps its files in the data directory): %s", name, hint)
		}
		s[name] = value
	}
	return s, nil
}

// maxSocketDirLen keeps "<dir>/.s.PGSQL.<port>" within the 107 bytes a unix
// socket path may have.
const maxSocketDirLen = 107 - len("/.s.PGSQL.65535")

// makeSocketDir returns the private directory for the server's unix socket:
// the data directory itself (0700, owned by the server's user) when its path
// is short enough, else a new 0700 directory under the temporary directory.
func makeSocketDir(dataDir string, id *identity) (dir string, own bool, err error) {
	if len(dataDir) <= maxSocketDirLen {
		return dataDir, false, nil
	}
	base := os.TempDir()
	if len(base) > maxSocketDirLen-len("/zlpg-0123456789") {
		base = "/tmp"
	}
	dir, err = os.MkdirTemp(base, "zlpg-")
	if err != nil {
		return "", false, fmt.Errorf("creating a socket directory (the data directory's path is too long for a unix socket): %w", err)
	}
	if err := chown(dir, id); err != nil {
		os.RemoveAll(dir)
		return "", false, err
	}
	return dir, true, nil
}

// retryableError is a start failure that may pass when tried again: the
// previous server's processes are still going away.
type retryableError struct {
	reason string
	err    error
}

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// launch starts the postmaster and waits until it accepts connections on its
// private socket. On failure the postmaster is gone.
func (i *Instance) launch(ctx context.Context) error {
	args := []string{"-D", i.dataDir,
		"-c", "listen_addresses=",
		"-c", "port=" + strconv.Itoa(i.port),
		"-c", "unix_socket_directories=" + i.socketDir,
	}
	for _, name := range slices.Sorted(maps.Keys(i.settings)) {
		args = append(args, "-c", name+"="+i.settings[name])
	}
	cmd := exec.Command(filepath.Join(i.binDir, "postgres"), args...)
	cmd.Dir = "/"
	cmd.Env = childEnv()
	cmd.SysProcAttr = sysProcAttr(i.id, syscall.SIGINT)
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("creating the server's log pipe: %w", err)
	}
	// The child writes to the pipe directly, so Wait does not wait for
	// backends that still hold it.
	cmd.Stdout, cmd.Stderr = w, w
	done, err := startChild(cmd)
	w.Close()
	if err != nil {
		r.Close()
		return fmt.Errorf("running postgres: %w", err)
	}
	p := &postmaster{cmd: cmd, log: newServerLog(r, i.logger), exited: make(chan struct{})}
	go func() {
		p.exitErr = <-done
		close(p.exited)
	}()
	i.mu.Lock()
	i.proc = p
	i.mu.Unlock()

	var lastErr error
	for delay := 10 * time.Millisecond; ; delay = min(delay*2, 200*time.Millisecond) {
		conn, err := i.connect(ctx, "postgres")
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		lastErr = err
		select {
		case <-p.exited:
			return i.startFailure(p)
		case <-ctx.Done():
			p.kill()
			return fmt.Errorf("PostgreSQL did not accept connections in time (%w); last attempt: %v; its log:\n%s",
				ctx.Err(), lastErr, p.log.Tail())
		case <-time.After(delay):
		}
	}
}

// startFailure explains why the postmaster exited during start-up.
func (i *Instance) startFailure(p *postmaster) error {
	select { // let the last lines arrive
	case <-p.log.done:
	case <-time.After(2 * time.Second):
	}
	err := fmt.Errorf("PostgreSQL exited during start-up (%v); its log:\n%s", p.exitErr, p.log.Tail())
	switch {
	case p.log.contains("pre-existing shared memory block"), p.log.contains("lock file \"postmaster.pid\" already exists"):
		return &retryableError{reason: "the previous server's processes are still exiting", err: fmt.Errorf("%w\nhint: processes of an earlier server on this data directory are still running: stop them", err)}
	}
	if id, _ := serverIdentity(); id != nil {
		if hint := accessProblem(i.dataDir, id); hint != "" {
			err = fmt.Errorf("%w\nhint: %s", err, hint)
		}
	}
	return err
}

// kill stops a postmaster that failed to come up: SIGINT, then SIGKILL.
func (p *postmaster) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// URL returns the URL of database db on this server, over its private unix
// socket: postgres://postgres@/db?host=SOCKETDIR&port=PORT&sslmode=disable.
// pgx and libpq (psql, pgbench) both read this form. Only the server's OS
// user and root can connect with it: the socket's directory is 0700.
func (i *Instance) URL(db string) string {
	q := url.Values{"host": {i.socketDir}, "port": {strconv.Itoa(i.port)}, "sslmode": {"disable"}}
	return fmt.Sprintf("postgres://%s@/%s?%s", Superuser, url.PathEscape(db), q.Encode())
}

// SocketDir returns the directory of the server's unix socket (0700, owned
// by the server's OS user): the data directory, or a private temporary
// directory when the data directory's path is too long for a socket.
func (i *Instance) SocketDir() string { return i.socketDir }

// Port returns the number in the name of the server's unix socket
// (.s.PGSQL.<port>); the server listens on no TCP port.
func (i *Instance) Port() int { return i.port }

// DataDir returns the absolute path of the cluster's directory.
func (i *Instance) DataDir() string { return i.dataDir }

// PID returns the process id of the current postmaster.
func (i *Instance) PID() int { return i.current().cmd.Process.Pid }

// Done returns a channel that is closed when the current postmaster has
// exited, whether through Stop or not (a crash, or someone killing it).
// After Restart, Done returns the new postmaster's channel.
func (i *Instance) Done() <-chan struct{} { return i.current().exited }

// Err returns why the current postmaster exited (nil for a clean exit);
// meaningful once Done is closed.
func (i *Instance) Err() error {
	p := i.current()
	select {
	case <-p.exited:
		return p.exitErr
	default:
		return nil
	}
}

// LogTail returns the last lines the current postmaster logged.
func (i *Instance) LogTail() string { return i.current().log.Tail() }

// stopped reports whether Stop was called.
func (i *Instance) stopped() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.stopCalled
}

// Stop shuts the server down: SIGINT (fast shutdown: sessions are ended,
// a checkpoint is written), then, when it has not exited within StopTimeout
// or by the end of ctx, SIGKILL. Stop returns an error when it had to kill
// the server (committed data is still safe: the next start recovers it) or
// when the server had already exited on its own. Calling Stop again returns
// the first result.
func (i *Instance) Stop(ctx context.Context) error {
	i.stopOnce.Do(func() {
		i.mu.Lock()
		i.stopCalled = true
		i.mu.Unlock()
		i.stopErr = i.stop(ctx)
	})
	return i.stopErr
}

func (i *Instance) stop(ctx context.Context) error {
	if i.ownSocketDir {
		defer os.RemoveAll(i.socketDir)
	}
	p := i.current()
	select {
	case <-p.exited:
		return fmt.Errorf("embedpg: PostgreSQL (pid %d) had already exited (%v); its log:\n%s", p.cmd.Process.Pid, p.exitErr, p.log.Tail())
	default:
	}
	began := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		i.logger.Warn("embedded PostgreSQL: sending SIGINT failed", "err", err)
	}
	timer := time.NewTimer(StopTimeout)
	defer timer.Stop()
	select {
	case <-p.exited:
		if p.exitErr != nil {
			return fmt.Errorf("embedpg: PostgreSQL exited with %v during shutdown; its log:\n%s", p.exitErr, p.log.Tail())
		}
		i.logger.Info("embedded PostgreSQL: stopped", "took", time.Since(began).Round(time.Millisecond))
		return nil
	case <-ctx.Done():
	case <-timer.C:
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("embedpg: PostgreSQL (pid %d) did not exit even after SIGKILL: check it with ps", p.cmd.Process.Pid)
	}
	return fmt.Errorf("embedpg: PostgreSQL did not shut down within %s and was killed; "+
		"committed data is safe and the next start recovers it", time.Since(began).Round(time.Millisecond))
}

// connect opens a superuser connection to database db over the private unix
// socket, which only this server uses.
func (i *Instance) connect(ctx context.Context, db string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(i.URL(db))
	if err != nil {
		return nil, err
	}
	cfg.Fallbacks = nil
	cfg.ConnectTimeout = 5 * time.Second
	return pgx.ConnectConfig(ctx, cfg)
}

// CreateDatabase creates database name; the error wraps ErrDatabaseExists
// when it already exists.
func (i *Instance) CreateDatabase(ctx context.Context, name string) error {
	if err := checkDatabaseName(name); err != nil {
		return err
	}
	conn, err := i.connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("embedpg: connecting to create database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" {
			return fmt.Errorf("embedpg: creating database %s: %w", name, ErrDatabaseExists)
		}
		return fmt.Errorf("embedpg: creating database %s: %w", name, err)
	}
	return nil
}

// DropDatabase drops database name, ending its open sessions first (WITH
// (FORCE)); dropping a database that does not exist is not an error.
func (i *Instance) DropDatabase(ctx context.Context, name string) error {
	if err := checkDatabaseName(name); err != nil {
		return err
	}
	conn, err := i.connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("embedpg: connecting to drop database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("embedpg: dropping database %s: %w", name, err)
	}
	return nil
}

// ensureDatabase creates database name unless it exists.
func (i *Instance) ensureDatabase(ctx context.Context, name string) error {
	err := i.CreateDatabase(ctx, name)
	if errors.Is(err, ErrDatabaseExists) {
		return nil
	}
	return err
}

// checkDatabaseName refuses names PostgreSQL would reject or truncate.
func checkDatabaseName(name string) error {
	switch {
	case name == "":
		return errors.New("embedpg: the database name is empty")
	case len(name) > 63:
		return fmt.Errorf("embedpg: database name %q is longer than PostgreSQL's 63 bytes: shorten it", name)
	case name == "postgres" || name == "template0" || name == "template1":
		return fmt.Errorf("embedpg: database %q belongs to PostgreSQL: use another name", name)
	}
	for _, r := range name {
		if r == 0 {
			return fmt.Errorf("embedpg: database name %q contains a NUL byte", name)
		}
	}
	return nil
}
