// Package migrate applies numbered SQL migrations embedded in the binary.
//
// A component (e.g. "ledger", "customs") owns a set of files named
// NNNN_description.sql, each holding one schema change. Applied versions are
// recorded per component in the table schema_migrations, so components
// migrate independently. Each step runs in its own transaction together with
// its record, so a crash never leaves a change applied but unrecorded.
package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Step is one migration file.
type Step struct {
	Version int
	Name    string
	SQL     string
}

// Status is a step with whether and when it was applied.
type Status struct {
	Step
	Applied   bool
	AppliedAt time.Time
}

// Set is a component's migrations.
type Set struct {
	Component string
	Steps     []Step
}

// MustLoad is Load for migrations embedded in the binary, which are fixed
// at build time: it panics on an error, which every test of the component
// then shows.
func MustLoad(component string, fsys fs.FS, dir string) Set {
	set, err := Load(component, fsys, dir)
	if err != nil {
		panic(err)
	}
	return set
}

// Load reads every NNNN_*.sql file in dir of fsys into a Set, ordered by
// version. It refuses duplicate or malformed version numbers.
func Load(component string, fsys fs.FS, dir string) (Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return Set{}, fmt.Errorf("reading migrations of %s: %w", component, err)
	}
	set := Set{Component: component}
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return Set{}, fmt.Errorf("migration %s of %s: name must start with a positive number and '_'", e.Name(), component)
		}
		if prev, dup := seen[v]; dup {
			return Set{}, fmt.Errorf("migrations %s and %s of %s share version %d", prev, e.Name(), component, v)
		}
		seen[v] = e.Name()
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return Set{}, err
		}
		set.Steps = append(set.Steps, Step{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(set.Steps, func(i, j int) bool { return set.Steps[i].Version < set.Steps[j].Version })
	return set, nil
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    component  TEXT NOT NULL,
    version    INT NOT NULL,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
)`

// Status reports every step of the set and whether it is applied.
func (s Set) Status(ctx context.Context, pool *pgxpool.Pool) ([]Status, error) {
	if _, err := pool.Exec(ctx, createTable); err != nil {
		return nil, fmt.Errorf("creating schema_migrations: %w", err)
	}
	rows, err := pool.Query(ctx, `SELECT version, applied_at FROM schema_migrations WHERE component = $1`, s.Component)
	if err != nil {
		return nil, err
	}
	applied := map[int]time.Time{}
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		applied[v] = at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Status, len(s.Steps))
	for i, st := range s.Steps {
		at, ok := applied[st.Version]
		out[i] = Status{Step: st, Applied: ok, AppliedAt: at}
	}
	return out, nil
}

// Up applies every step not yet applied, in order, and returns those it
// applied.
func (s Set) Up(ctx context.Context, pool *pgxpool.Pool) ([]Step, error) {
	status, err := s.Status(ctx, pool)
	if err != nil {
		return nil, err
	}
	var done []Step
	for _, st := range status {
		if st.Applied {
			continue
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2)`,
				s.Component, st.Version).Scan(&exists); err != nil {
				return err
			}
			if exists { // another process applied it meanwhile
				return nil
			}
			if _, err := tx.Exec(ctx, st.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)`,
				s.Component, st.Version, st.Name)
			return err
		})
		if err != nil {
			return done, fmt.Errorf("applying %s migration %s: %w", s.Component, st.Name, err)
		}
		done = append(done, st.Step)
	}
	return done, nil
}
