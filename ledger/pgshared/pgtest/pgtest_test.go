package pgtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func query[T any](t *testing.T, url, sql string, args ...any) T {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var v T
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

func exec(t *testing.T, url, sql string) {
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

// TestIsolation runs parallel tests that create the same table: each has
// its own database, and each database is gone when its test ends.
func TestIsolation(t *testing.T) {
	var mu sync.Mutex
	var names []string
	var some string
	t.Run("group", func(t *testing.T) {
		for _, name := range []string{"a", "b", "c", "d"} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				url := pgtest.NewDatabase(t)
				exec(t, url, "CREATE TABLE t (n int); INSERT INTO t VALUES (1)")
				if n := query[int64](t, url, "SELECT count(*) FROM t"); n != 1 {
					t.Errorf("%d rows, want 1", n)
				}
				db := query[string](t, url, "SELECT current_database()")
				if !strings.HasPrefix(db, "zlt_testisolation_group_"+name+"_") {
					t.Errorf("database name %q", db)
				}
				mu.Lock()
				names = append(names, db)
				some = url
				mu.Unlock()
			})
		}
	})
	if len(names) != 4 {
		t.Fatalf("databases %v", names)
	}
	admin := pgtest.NewDatabase(t)
	for _, db := range names {
		if query[bool](t, admin, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db) {
			t.Errorf("database %s not dropped after its test", db)
		}
	}
	_, err := pgx.Connect(context.Background(), some)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		t.Errorf("connecting to a dropped test database: %v", err)
	}
}

func TestPool(t *testing.T) {
	pool := pgtest.Pool(t)
	var one int
	if err := pool.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1: %d, %v", one, err)
	}
}

// runs numbers the runs of TestTemplate, so -count=N makes new templates.
var runs atomic.Int64

func TestTemplate(t *testing.T) {
	name := fmt.Sprintf("schema%d", runs.Add(1))
	setups := 0
	setup := func(url string) error {
		setups++
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			return err
		}
		// Left open on purpose: CreateTemplate ends leftover sessions.
		_, err = conn.Exec(context.Background(), "CREATE TABLE migrated (n int); INSERT INTO migrated VALUES (1), (2)")
		return err
	}
	if err := pgtest.CreateTemplate(name, setup); err != nil {
		t.Fatal(err)
	}
	if err := pgtest.CreateTemplate(name, setup); err != nil || setups != 1 {
		t.Fatalf("second CreateTemplate: %v, setup ran %d times", err, setups)
	}
	a := pgtest.NewDatabaseFromTemplate(t, name)
	b := pgtest.NewDatabaseFromTemplate(t, name)
	exec(t, a, "INSERT INTO migrated VALUES (3)")
	if n := query[int64](t, a, "SELECT count(*) FROM migrated"); n != 3 {
		t.Errorf("a: %d rows, want 3", n)
	}
	if n := query[int64](t, b, "SELECT count(*) FROM migrated"); n != 2 {
		t.Errorf("b: %d rows, want 2 (the copies are independent)", n)
	}
}

func TestTemplateSetupFails(t *testing.T) {
	err := pgtest.CreateTemplate(fmt.Sprintf("broken%d", runs.Add(1)), func(string) error { return errors.New("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("CreateTemplate with a failing setup: %v", err)
	}
}

func TestUnknownTemplate(t *testing.T) {
	// NewDatabaseFromTemplate fails the test; run it where that is harmless.
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		pgtest.NewDatabaseFromTemplate(ft, "never-created")
	}()
	<-done
	if !ft.failed || !strings.Contains(ft.msg, "CreateTemplate") {
		t.Fatalf("failed=%v msg=%q", ft.failed, ft.msg)
	}
}

// fakeT records a Fatalf and ends its goroutine, like testing.T.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
