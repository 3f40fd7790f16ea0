// Package pgtest is zoneledger's one shared test helper for PostgreSQL.
//
// A test package that needs a database calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// The first test that asks for a database starts one embedded PostgreSQL
// server (embedpg) for the whole test binary, with its cluster in a
// temporary directory; Main stops it and removes the directory when the
// tests are done. Each test then gets a fresh database of its own from
// NewDatabase (or Pool), dropped when the test ends, so tests are isolated
// and may run in parallel.
//
// When ZONELEDGER_TEST_DATABASE_URL is set (a postgres:// URL of a
// superuser, or of a user allowed to create databases), no server is
// started: the test databases are created on that server instead.
//
// Migrating a fresh database in every test is slow; CreateTemplate migrates
// one template database once per test binary, and NewDatabaseFromTemplate
// copies it (CREATE DATABASE ... TEMPLATE) instead of migrating again. A new
// database costs a copy either way (PostgreSQL copies template1 too).
//
// Set ZONELEDGER_TEST_PG_LOG=1 to see the embedded server's log on stderr.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
)

// EnvDatabaseURL names the environment variable that points the tests at an
// existing PostgreSQL server instead of an embedded one.
const EnvDatabaseURL = "ZONELEDGER_TEST_DATABASE_URL"

// EnvLog names the environment variable that, when non-empty, sends the
// embedded server's log to stderr.
const EnvLog = "ZONELEDGER_TEST_PG_LOG"

// opTimeout bounds each administrative statement (create, clone, drop).
const opTimeout = time.Minute

var (
	mu         sync.Mutex
	mainCalled bool
	started    bool
	srv        *server
	srvErr     error
	templates  = map[string]*template{}
	dbCounter  atomic.Uint64
)

// server is where the test databases live.
type server struct {
	crdb   *cockroach        // set when the tests run on CockroachDB (COCKROACH_BINARY)
	inst   *embedpg.Instance // nil for an external server
	tmpDir string            // the embedded cluster's temporary directory
	base   *url.URL          // URL of the admin database; its path is replaced per database
	admin  *pgxpool.Pool     // connections for CREATE and DROP DATABASE
}

// template is a database made once by CreateTemplate.
type template struct {
	done chan struct{} // closed when db and err are set
	db   string
	err  error
}

// Main runs the package's tests (m.Run), then stops the embedded server, if
// one was started, and returns the exit code for os.Exit: m.Run's, or 1 when
// stopping the server failed. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// NewDatabase and friends fail the test when Main was not called.
func Main(m *testing.M) int {
	mu.Lock()
	mainCalled = true
	mu.Unlock()
	code := m.Run()
	if err := shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// NewDatabase creates an empty database for the test, drops it (ending its
// sessions, WITH (FORCE)) when the test and its subtests are done, and
// returns its postgres:// URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, "")
}

// NewDatabaseFromTemplate is NewDatabase with a copy of the template made by
// CreateTemplate under the name template.
func NewDatabaseFromTemplate(t testing.TB, template string) string {
	t.Helper()
	mu.Lock()
	tpl := templates[template]
	mu.Unlock()
	if tpl == nil {
		t.Fatalf("pgtest: there is no template %q: call pgtest.CreateTemplate(%q, setup) first (e.g. in TestMain or a sync.Once)", template, template)
	}
	<-tpl.done // a creation may be in progress
	if tpl.err != nil {
		t.Fatalf("pgtest: template %q could not be made: %v", template, tpl.err)
	}
	return newDatabase(t, tpl.db)
}

// Pool returns a pool on a new database of the test's (see NewDatabase),
// closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	dbURL := NewDatabase(t)
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("pgtest: opening a pool on %s: %v", dbURL, err)
	}
	t.Cleanup(pool.Close) // runs before the drop registered by NewDatabase
	return pool
}

// CreateTemplate makes the template database called name: it creates an
// empty database, runs setup with its URL (migrations, fixtures), and keeps
// it for NewDatabaseFromTemplate. The template is made once per test binary:
// later calls with the same name return the first call's result without
// running setup. setup must close its connections before it returns;
// remaining ones are ended. It may be called from TestMain before Main, or
// from tests, concurrently.
func CreateTemplate(name string, setup func(url string) error) error {
	mu.Lock()
	tpl := templates[name]
	if tpl != nil {
		mu.Unlock()
		<-tpl.done
		return tpl.err
	}
	tpl = &template{done: make(chan struct{})}
	templates[name] = tpl
	mu.Unlock()
	defer close(tpl.done)
	tpl.err = fmt.Errorf("the setup of template %q panicked", name) // kept only if it does
	tpl.db, tpl.err = makeTemplate(name, setup)
	return tpl.err
}

// TempDir returns a new temporary directory that PostgreSQL can use as, or
// hold, a data directory even when the tests run as root (PostgreSQL then
// runs as the postgres user, who cannot enter t.TempDir's 0700 directories),
// and removes it when the test ends.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := makeTempDir()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("pgtest: removing %s: %v", dir, err)
		}
	})
	return dir
}

// makeTempDir creates a temporary directory others can pass through (0711)
// but not list.
func makeTempDir() (string, error) {
	dir, err := os.MkdirTemp("", "zoneledger-pgtest-")
	if err != nil {
		return "", fmt.Errorf("creating a temporary directory: %w", err)
	}
	if err := os.Chmod(dir, 0o711); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("making %s searchable: %w", dir, err)
	}
	return dir, nil
}

func newDatabase(t testing.TB, template string) string {
	t.Helper()
	mu.Lock()
	ok := mainCalled
	mu.Unlock()
	if !ok {
		t.Fatalf("pgtest: pgtest.Main was not called: add func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) } to the package's tests")
	}
	s, err := getServer()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := databaseName(t.Name())
	if err := s.create(name, template); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.drop(name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return s.url(name)
}

// databaseName makes a unique database name from a test name: lower-case
// letters, digits and underscores, within PostgreSQL's 63 bytes.
func databaseName(testName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 36 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return fmt.Sprintf("zlt_%s_%08x_%d", strings.Trim(b.String(), "_"), rand.Uint32(), dbCounter.Add(1))
}

// getServer starts the server on first use; a failure is kept and returned
// to every later caller.
func getServer() (*server, error) {
	mu.Lock()
	defer mu.Unlock()
	if !started {
		started = true
		srv, srvErr = startServer()
	}
	return srv, srvErr
}

func startServer() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if bin := os.Getenv(EnvCockroachBinary); bin != "" {
		return startCockroach(ctx, bin)
	}
	if raw := os.Getenv(EnvDatabaseURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("%s must be a postgres:// URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), got %q", EnvDatabaseURL, raw)
		}
		return connectServer(ctx, u, nil, "")
	}
	tmp, err := makeTempDir()
	if err != nil {
		return nil, err
	}
	var logger *slog.Logger
	if os.Getenv(EnvLog) != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	inst, err := embedpg.Start(ctx, embedpg.Config{DataDir: filepath.Join(tmp, "pgdata"), Logger: logger})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("starting the test PostgreSQL server (or set %s to use an existing one): %w", EnvDatabaseURL, err)
	}
	u, err := url.Parse(inst.URL("postgres"))
	if err != nil {
		panic(err) // embedpg makes the URL
	}
	s, err := connectServer(ctx, u, inst, tmp)
	if err != nil {
		_ = inst.Stop(context.Background())
		os.RemoveAll(tmp)
	}
	return s, err
}

func connectServer(ctx context.Context, u *url.URL, inst *embedpg.Instance, tmp string) (*server, error) {
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("parsing the server URL: %w", err)
	}
	cfg.MaxConns = 4
	admin, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		return nil, fmt.Errorf("connecting to the test server %s: %w", u.Redacted(), err)
	}
	return &server{inst: inst, tmpDir: tmp, base: u, admin: admin}, nil
}

// url returns the URL of database db on the server.
func (s *server) url(db string) string {
	u := *s.base
	u.Path = "/" + db
	u.RawPath = ""
	return u.String()
}

// create creates database name, copied from template when it is not "".
func (s *server) create(name, template string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" && s.crdb != nil {
		// CockroachDB has no database templates: make the database and run
		// the template's setup on it.
		if _, err := s.admin.Exec(ctx, sql); err != nil {
			return fmt.Errorf("creating database %s: %w", name, err)
		}
		return s.crdb.setups[template](s.url(name))
	}
	if template != "" {
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := s.admin.Exec(ctx, sql); err != nil {
		return fmt.Errorf("creating database %s: %w", name, err)
	}
	return nil
}

// drop drops database name, ending its sessions.
func (s *server) drop(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	sql := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	if s.crdb != nil {
		sql = "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " CASCADE"
	}
	if _, err := s.admin.Exec(ctx, sql); err != nil {
		return fmt.Errorf("dropping database %s: %w", name, err)
	}
	return nil
}

// makeTemplate creates the template database, runs setup on it, then closes
// it to connections so that it can be copied.
func makeTemplate(name string, setup func(url string) error) (string, error) {
	s, err := getServer()
	if err != nil {
		return "", err
	}
	db := databaseName("tpl_" + name)
	if s.crdb != nil {
		s.crdb.setups[db] = setup
		return db, nil
	}
	if err := s.create(db, ""); err != nil {
		return "", err
	}
	if err := setup(s.url(db)); err != nil {
		return "", errors.Join(fmt.Errorf("setting up template %q: %w", name, err), s.drop(db))
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	ident := pgx.Identifier{db}.Sanitize()
	_, err = s.admin.Exec(ctx, "ALTER DATABASE "+ident+" WITH ALLOW_CONNECTIONS false")
	if err == nil {
		_, err = s.admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", db)
	}
	if err != nil {
		return "", errors.Join(fmt.Errorf("closing template %q to connections: %w", name, err), s.drop(db))
	}
	return db, nil
}

// shutdown drops the templates on an external server, or stops the embedded
// server and removes its files.
func shutdown() error {
	mu.Lock()
	defer mu.Unlock()
	if srv == nil {
		return nil
	}
	s := srv
	srv, srvErr = nil, errors.New("pgtest: the server was stopped (pgtest.Main has returned)")
	var errs []error
	if s.inst == nil {
		for _, tpl := range templates {
			select {
			case <-tpl.done:
			default:
				continue // still being made: Main has returned, nothing waits for it
			}
			if tpl.err == nil && tpl.db != "" {
				errs = append(errs, s.drop(tpl.db))
			}
		}
	}
	s.admin.Close()
	if s.crdb != nil {
		errs = append(errs, s.crdb.stop())
	}
	if s.inst != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		errs = append(errs, s.inst.Stop(ctx))
		if err := os.RemoveAll(s.tmpDir); err != nil {
			errs = append(errs, fmt.Errorf("removing %s: %w", s.tmpDir, err))
		}
	}
	return errors.Join(errs...)
}
