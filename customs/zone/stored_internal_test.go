package zone

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestBookDocumentsChangedReadsOnlyTheBooksChangedDocuments: the evidence
// seal's read of a book's zone documents and taxable events
// (bookDocumentsChangedSQL) reads both tables through their (book, change
// number) indexes, never by a scan: with 3,000 documents and 3,000 events
// of another book and 5 of each of this one, it reads the 10 (no mark),
// then none once nothing changed after the mark.
func TestBookDocumentsChangedReadsOnlyTheBooksChangedDocuments(t *testing.T) {
	pool := explainDatabase(t,
		`INSERT INTO zone_documents (kind, no, enterprise, inner_no, book, status, body, created_at, change_seq)
		SELECT 'list', 'L' || g, 'E', 'I' || g, CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, 'DRAFT', '{}', now(), g
		FROM generate_series(1, 3005) AS g`,
		`INSERT INTO zone_taxable_events (id, book, enterprise, source, event_date, body, change_seq)
		SELECT g, CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, 'E', 'S' || g, DATE '2026-11-11', '{}', g
		FROM generate_series(1, 3005) AS g`,
		`ANALYZE zone_documents`,
		`ANALYZE zone_taxable_events`,
	)
	for _, c := range []struct {
		since int64
		want  int64
	}{{0, 10}, {5, 0}} {
		read, scans, raw := pgtest.PlanRead(t, pool, []string{"zone_documents", "zone_taxable_events"}, bookDocumentsChangedSQL, "MINE", c.since, 3005)
		for _, rel := range scans {
			t.Errorf("since %d: the read scans %s: %s", c.since, rel, raw)
		}
		if read > c.want {
			t.Errorf("since %d: the read of book MINE's %d changed documents touched %d rows: %s", c.since, c.want, read, raw)
		}
	}
}

// TestBookRegistryChangedReadsOnlyTheBooksChangedRecords: the evidence
// seal's read of a book's own records (bookRegistryChangedSQL) reads its
// lines and part numbers through their (book, change number) indexes and
// the book and its enterprise by their keys, never by a scan. Beside 3,000
// books, lines and part numbers of others: a first seal of book MINE (5
// lines and 5 part numbers) reads the book's row (once for the book, once
// for its enterprise), its enterprise and the 10; on book LONG, with a
// history like a manufacturer's (200 lines and 3,000 part numbers mapped
// before the last seal's mark, 5 part numbers after it), a seal reads the
// book's row twice and the 5, then only the book's row, twice, once
// nothing changed after the mark: none of the book's unchanged records.
func TestBookRegistryChangedReadsOnlyTheBooksChangedRecords(t *testing.T) {
	pool := explainDatabase(t,
		`INSERT INTO zone_books (no, enterprise, body, change_seq)
		SELECT CASE g WHEN 1 THEN 'MINE' WHEN 2 THEN 'LONG' ELSE 'OTHER' || g END, 'E', '{"Status":"EXECUTING"}', g FROM generate_series(1, 3005) AS g`,
		// LONG's change numbers: its lines 1–200, its part numbers 201–3205;
		// the last seal's mark is 3200. Its rows go in first, so the tables
		// are in book order and PostgreSQL reads them by plain index scans,
		// whose rows PlanRead counts once (a bitmap scan's, twice).
		`INSERT INTO zone_book_lines (book, seq, body, change_seq)
		SELECT 'LONG', g, '{}', g FROM generate_series(1, 200) AS g`,
		`INSERT INTO zone_part_numbers (book, part, seq, change_seq)
		SELECT 'LONG', 'P' || g, 1 + g % 200, 200 + g FROM generate_series(1, 3005) AS g`,
		`INSERT INTO zone_book_lines (book, seq, body, change_seq)
		SELECT CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, g, '{}', g FROM generate_series(1, 3005) AS g`,
		`INSERT INTO zone_part_numbers (book, part, seq, change_seq)
		SELECT CASE WHEN g <= 5 THEN 'MINE' ELSE 'OTHER' END, 'P' || g, g, g FROM generate_series(1, 3005) AS g`,
		`INSERT INTO zone_enterprises (uscc, customs_code, body, created_at) SELECT 'E', 'C', '{}', now()`,
		`ANALYZE zone_books`,
		`ANALYZE zone_book_lines`,
		`ANALYZE zone_part_numbers`,
	)
	for _, c := range []struct {
		book        string
		since, upTo int64
		want        int64
	}{{"MINE", 0, 3005, 13}, {"LONG", 3200, 3205, 7}, {"LONG", 3205, 3205, 2}} {
		read, scans, raw := pgtest.PlanRead(t, pool, []string{"zone_books", "zone_book_lines", "zone_part_numbers"}, bookRegistryChangedSQL, c.book, c.since, c.upTo)
		for _, rel := range scans {
			t.Errorf("%s since %d: the read scans %s: %s", c.book, c.since, rel, raw)
		}
		if read > c.want {
			t.Errorf("%s since %d: the read of book %s's changed records (%d rows to return) touched %d rows: %s", c.book, c.since, c.book, c.want, read, raw)
		}
	}
}

// explainDatabase is a migrated database for a test of a read's plan,
// filled by setup (each statement run in order); it skips the test on
// CockroachDB, whose EXPLAIN output PlanRead does not read.
func explainDatabase(t *testing.T, setup ...string) *pgxpool.Pool {
	t.Helper()
	if pgtest.IsCockroachDB() {
		t.Skip("reads PostgreSQL's EXPLAIN output")
	}
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := Migrations().Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	for _, sql := range setup {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	return pool
}
