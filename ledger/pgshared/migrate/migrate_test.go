package migrate_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestLoadRefusesBadNames(t *testing.T) {
	for name, files := range map[string]fstest.MapFS{
		"no number":  {"m/create.sql": {Data: []byte("SELECT 1")}},
		"zero":       {"m/0000_x.sql": {Data: []byte("SELECT 1")}},
		"duplicates": {"m/0001_a.sql": {Data: []byte("SELECT 1")}, "m/1_b.sql": {Data: []byte("SELECT 1")}},
	} {
		if _, err := migrate.Load("c", files, "m"); err == nil {
			t.Errorf("%s: loaded", name)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: MustLoad did not panic", name)
				}
			}()
			migrate.MustLoad("c", files, "m")
		}()
	}
	if set := migrate.MustLoad("c", fstest.MapFS{"m/0001_a.sql": {Data: []byte("SELECT 1")}}, "m"); len(set.Steps) != 1 {
		t.Errorf("MustLoad of one file: %d steps", len(set.Steps))
	}
}

func TestUpAppliesOnceInOrderPerComponent(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	fs := fstest.MapFS{
		"m/0002_insert.sql": {Data: []byte("INSERT INTO t (v) VALUES (2)")},
		"m/0001_create.sql": {Data: []byte("CREATE TABLE t (v INT PRIMARY KEY)")},
		"m/README":          {Data: []byte("not a migration")},
	}
	set, err := migrate.Load("one", fs, "m")
	if err != nil {
		t.Fatal(err)
	}
	done, err := set.Up(ctx, pool)
	if err != nil || len(done) != 2 || done[0].Version != 1 {
		t.Fatalf("first Up applied %+v, %v", done, err)
	}
	if done, err = set.Up(ctx, pool); err != nil || len(done) != 0 {
		t.Fatalf("second Up applied %+v, %v", done, err)
	}
	st, err := set.Status(ctx, pool)
	if err != nil || len(st) != 2 || !st[0].Applied || !st[1].Applied {
		t.Fatalf("status %+v, %v", st, err)
	}
	// A failing step stops there, records nothing, and leaves no change.
	bad, _ := migrate.Load("two", fstest.MapFS{
		"m/0001_ok.sql":   {Data: []byte("CREATE TABLE u (v INT)")},
		"m/0002_bad.sql":  {Data: []byte("CREATE TABLE u (v INT)")},
		"m/0003_next.sql": {Data: []byte("CREATE TABLE w (v INT)")},
	}, "m")
	done, err = bad.Up(ctx, pool)
	if err == nil || len(done) != 1 {
		t.Fatalf("bad set applied %+v, %v", done, err)
	}
	st, _ = bad.Status(ctx, pool)
	if !st[0].Applied || st[1].Applied || st[2].Applied {
		t.Fatalf("status after a failed step: %+v", st)
	}
}
