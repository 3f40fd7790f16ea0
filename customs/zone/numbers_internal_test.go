package zone

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestTaxableEventOnOneBookDoesNotWaitForAnother: while a clearance on book
// A that recorded a taxable event is still open, a clearance on book B
// records its own and commits. (Before, both drew their numbers from one
// zone_counters row held until commit, so B waited for A to end.) The two
// numbers differ, and a number drawn by a clearance that rolls back is not
// given again.
func TestTaxableEventOnOneBookDoesNotWaitForAnother(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := Migrations().Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	s := &Service{}
	day := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	event := func(book string) TaxableEvent { return TaxableEvent{Book: book, Enterprise: "E-" + book, Date: day} }

	txA, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = txA.Rollback(ctx) }()
	if err := s.storeTaxable(ctx, txA, event("A"), "clearance-A"); err != nil {
		t.Fatal(err)
	}

	// A is open. B must commit now; the deadline only turns a wait that
	// would last until A ends into a failure.
	bctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err = pgx.BeginFunc(bctx, pool, func(tx pgx.Tx) error {
		return s.storeTaxable(bctx, tx, event("B"), "clearance-B")
	})
	if err != nil {
		t.Fatalf("a taxable event on book B waited for book A's open clearance: %v", err)
	}
	if err := txA.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return s.storeTaxable(ctx, tx, event("A"), "clearance-A")
	}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	rows, err := pool.Query(ctx, `SELECT book, id FROM zone_taxable_events`)
	if err != nil {
		t.Fatal(err)
	}
	var book string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&book, &id}, func() error { ids[book] = id; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids["A"] == ids["B"] || ids["A"] <= ids["B"] {
		t.Fatalf("numbers %v: want two, A's (drawn again after its rollback) after B's", ids)
	}
}

// TestTaxableEventNumbersContinueAfterTheCounter: migration 0029 starts
// the sequence after every number the zone_counters row gave.
func TestTaxableEventNumbersContinueAfterTheCounter(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	set, before := Migrations(), Migrations()
	before.Steps = slices.DeleteFunc(slices.Clone(before.Steps), func(st migrate.Step) bool { return st.Version >= 28 && st.Version <= 29 })
	if _, err := before.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO zone_counters (name, value) VALUES ('taxable-event', 41)`,
		`INSERT INTO zone_taxable_events (id, book, enterprise, source, event_date, body, change_seq) VALUES (40, 'A', 'E', 'S40', DATE '2026-11-11', '{}', 1)`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := set.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return (&Service{}).storeTaxable(ctx, tx, TaxableEvent{Book: "A", Enterprise: "E", Date: time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)}, "S-new")
	}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM zone_taxable_events WHERE source = 'S-new'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != 42 {
		t.Fatalf("the first number after the migration is %d, want 42", id)
	}
}

// TestDocumentNumberOnOneBookDoesNotWaitForAnother: while one enterprise's
// list creation is open after drawing its number, another's list of the
// same kind, office, year and direction draws its own and commits. (Before,
// both drew from one zone_counters row per prefix, office, year and
// direction held until commit.) The numbers keep their form and differ.
func TestDocumentNumberOnOneBookDoesNotWaitForAnother(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := Migrations().Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	txA, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = txA.Rollback(ctx) }()
	a, err := documentNumber(ctx, txA, "QD", "3105", day, "I")
	if err != nil {
		t.Fatal(err)
	}
	bctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var b string
	err = pgx.BeginFunc(bctx, pool, func(tx pgx.Tx) error {
		b, err = documentNumber(bctx, tx, "QD", "3105", day, "I")
		return err
	})
	if err != nil {
		t.Fatalf("a list number for book B waited for book A's open creation: %v", err)
	}
	form := regexp.MustCompile(`^QD310526I[0-9]{9}$`)
	if !form.MatchString(a) || !form.MatchString(b) || a == b {
		t.Fatalf("numbers %q and %q: want two different numbers of the form QD + office + year + I + 9 digits", a, b)
	}
}

// TestDocumentNumbersContinueAfterTheCounters: migration 0031 starts the
// sequence after every number any counter row gave, so none is given again.
func TestDocumentNumbersContinueAfterTheCounters(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	set, before := Migrations(), Migrations()
	before.Steps = slices.DeleteFunc(slices.Clone(before.Steps), func(st migrate.Step) bool { return st.Version >= 30 })
	if _, err := before.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO zone_counters (name, value) VALUES ('QD310526I', 7), ('HF310526E', 1200), ('taxable-event', 99999)`); err != nil {
		t.Fatal(err)
	}
	if _, err := set.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	var no string
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) (err error) {
		no, err = documentNumber(ctx, tx, "QD", "3105", time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), "I")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if no != "QD310526I000001201" {
		t.Fatalf("the first number after the migration is %s, want QD310526I000001201", no)
	}
}
