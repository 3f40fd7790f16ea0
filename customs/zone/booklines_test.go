package zone_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestListBookLinesPagesEveryLinesPartNumbersOnce: paging through a book
// of 12 lines, some with many part numbers, some with none, page by page
// at several page sizes, gives every line once, in line order, each with
// exactly its own part numbers in part order, none of another line's or
// another book's (whose part numbers carry the same names).
func TestListBookLinesPagesEveryLinesPartNumbersOnce(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	addLines(t, w, w.h1, 12)
	want := map[int][]string{}
	parts := map[string]int{}
	// Part k goes onto line 1 + (7k mod 12), skipping lines 4 and 9: parts
	// are mapped out of part order and onto the first and last line of
	// each page.
	for k := 1; k <= 300; k++ {
		seq := 1 + (7*k)%12
		if seq == 4 || seq == 9 {
			continue
		}
		name := fmt.Sprintf("PN%04d", k)
		parts[name] = seq
		want[seq] = append(want[seq], name)
	}
	for _, ps := range want {
		slices.Sort(ps)
	}
	w.must(w.svc.MapPartNumbers(w.ctx, w.e1, w.h1, parts))
	w.must(w.svc.MapPartNumbers(w.ctx, w.e2, w.t2, map[string]int{"PN0001": 1, "PN0002": 2, "PN0003": 2}))

	for _, size := range []int{1, 5, 12, 1000} {
		got := map[int][]string{}
		var seqs []int
		after := 0
		for {
			page, err := w.svc.ListBookLines(w.ctx, w.customs, w.h1, after, size)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) > size {
				t.Fatalf("page size %d: a page of %d lines", size, len(page))
			}
			for _, l := range page {
				seqs = append(seqs, l.Seq)
				got[l.Seq] = l.PartNumbers
			}
			if len(page) < size {
				break
			}
			after = page[len(page)-1].Seq
		}
		if wantSeqs := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; !slices.Equal(seqs, wantSeqs) {
			t.Errorf("page size %d: lines %v, want %v", size, seqs, wantSeqs)
		}
		for seq := 1; seq <= 12; seq++ {
			if !slices.Equal(got[seq], want[seq]) {
				t.Errorf("page size %d: line %d has part numbers %v, want %v", size, seq, got[seq], want[seq])
			}
		}
	}
}

// TestListBookLinesReadsOnlyThePagesPartNumbers: on a book mapping 20,000
// part numbers onto 200 lines (100 each), a page of 10 lines reads the
// 1,000 part numbers of its lines, not the book's 20,000, and an empty
// page past the last line reads none (EXPLAIN ANALYZE of every statement
// ListBookLines runs on zone_part_numbers, with its arguments); and each
// line of each page carries exactly its part numbers in part order, as a
// read of the book's whole mapping finds them. The plans are read on
// PostgreSQL only.
func TestListBookLinesReadsOnlyThePagesPartNumbers(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	manyParts(t, w, w.h1, 200, 20000)
	// The other book maps part numbers too, of the same names.
	if _, err := w.store.Pool().Exec(w.ctx, `INSERT INTO zone_part_numbers (book, part, seq, change_seq)
		SELECT $1, 'PN' || lpad(g::TEXT, 6, '0'), 1 + g % 2, g FROM generate_series(1, 2000) AS g`, w.t2); err != nil {
		t.Fatal(err)
	}
	explain := !pgtest.IsCockroachDB()
	if explain {
		vacuum(t, w)
	}

	// The book's whole mapping, each line's part numbers in part order.
	want := map[int][]string{}
	rows, err := w.store.Pool().Query(w.ctx, `SELECT part, seq FROM zone_part_numbers WHERE book = $1 ORDER BY part`, w.h1)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var part string
		var seq int
		if err := rows.Scan(&part, &seq); err != nil {
			t.Fatal(err)
		}
		want[seq] = append(want[seq], part)
	}
	if rows.Close(); rows.Err() != nil {
		t.Fatal(rows.Err())
	}

	// A service on a pool that records the statements it runs.
	rec := &statements{}
	cfg := w.store.Pool().Config().Copy()
	cfg.ConnConfig.Tracer = rec
	traced, err := pgxpool.NewWithConfig(w.ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(traced.Close)
	svc, err := zone.New(traced, w.store, zone.Options{})
	if err != nil {
		t.Fatal(err)
	}

	for _, after := range []int{0, 95, 190, 200} {
		rec.reset()
		page, err := svc.ListBookLines(w.ctx, w.customs, w.h1, after, 10)
		if err != nil {
			t.Fatal(err)
		}
		lines := min(10, 200-after)
		if len(page) != lines {
			t.Fatalf("after line %d: %d lines, want %d", after, len(page), lines)
		}
		parts := 0
		for i, l := range page {
			if l.Seq != after+1+i {
				t.Errorf("after line %d: line %d at %d", after, l.Seq, i)
			}
			if !slices.Equal(l.PartNumbers, want[l.Seq]) {
				t.Errorf("after line %d: line %d has %d part numbers %v…, want %d %v…", after, l.Seq, len(l.PartNumbers), head(l.PartNumbers), len(want[l.Seq]), head(want[l.Seq]))
			}
			parts += len(want[l.Seq])
		}
		if !explain {
			continue
		}
		var read int64
		for _, st := range rec.on("zone_part_numbers") {
			n, scans, plan := pgtest.PlanRead(t, w.store.Pool(), []string{"zone_part_numbers"}, st.sql, st.args...)
			for _, rel := range scans {
				t.Errorf("after line %d: %s scans %s: %s", after, st.sql, rel, plan)
			}
			if n > int64(parts) {
				t.Logf("after line %d: %s read %d rows: %s", after, st.sql, n, plan)
			}
			read += n
		}
		if read > int64(parts) {
			t.Errorf("after line %d: a page of %d lines with %d part numbers read %d rows of zone_part_numbers (the book maps 20,000)", after, lines, parts, read)
		}
	}
}

// addLines registers lines 3 to n of book (newWorld registers 1 and 2),
// each like line 1.
func addLines(t testing.TB, w *world, book string, n int) {
	t.Helper()
	first, err := w.svc.ListBookLines(w.ctx, w.customs, book, 0, 1)
	if err != nil || len(first) != 1 {
		t.Fatalf("line 1 of %s: %v %v", book, first, err)
	}
	var lines []zone.BookLine
	for seq := 3; seq <= n; seq++ {
		l := first[0]
		l.Seq, l.PartNumbers = seq, nil
		lines = append(lines, l)
	}
	if _, err := w.svc.AddBookLines(w.ctx, w.customs, book, lines); err != nil {
		t.Fatal(err)
	}
}

// manyParts gives book n lines and maps parts part numbers onto them,
// parts/n a line, out of part order (part k onto line 1 + 37k mod n, for n
// not a multiple of 37): the lines through the service, the part numbers
// with one INSERT.
func manyParts(t testing.TB, w *world, book string, n, parts int) {
	t.Helper()
	addLines(t, w, book, n)
	if _, err := w.store.Pool().Exec(w.ctx, `INSERT INTO zone_part_numbers (book, part, seq, change_seq)
		SELECT $1, 'PN' || lpad(g::TEXT, 6, '0'), 1 + (37 * g) % $2, $2 + g FROM generate_series(1, $3::INT) AS g`, book, n, parts); err != nil {
		t.Fatal(err)
	}
}

// vacuum brings zone_part_numbers' statistics and visibility map up to
// date, as PostgreSQL's autovacuum does after a bulk insert: the planner
// then plans on the table's contents, and can read an index without the
// rows.
func vacuum(t testing.TB, w *world) {
	t.Helper()
	if _, err := w.store.Pool().Exec(w.ctx, `VACUUM ANALYZE zone_part_numbers`); err != nil {
		t.Fatal(err)
	}
}

// head is the first three of ps, for a failure message.
func head(ps []string) []string { return ps[:min(3, len(ps))] }

// statement is one statement a pool ran, with its arguments.
type statement struct {
	sql  string
	args []any
}

// statements is a pgx.QueryTracer that records the statements run.
type statements struct {
	mu  sync.Mutex
	all []statement
}

// TraceQueryStart records the statement.
func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, statement{d.SQL, d.Args})
	return ctx
}

// TraceQueryEnd does nothing.
func (s *statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (s *statements) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = nil
}

// on is the statements recorded that name table.
func (s *statements) on(table string) []statement {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []statement
	for _, st := range s.all {
		if strings.Contains(st.sql, table) {
			out = append(out, st)
		}
	}
	return out
}

// TestMapPartNumbersTrimsBeforeLookingUp: a part number given with
// surrounding spaces maps, trimmed, onto the line it was given for (it was
// refused as "line 0 is not on the book"); the same part given twice for
// two lines is refused naming it, and nothing is mapped.
func TestMapPartNumbersTrimsBeforeLookingUp(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	addLines(t, w, w.h1, 3)
	w.must(w.svc.MapPartNumbers(w.ctx, w.e1, w.h1, map[string]int{" PN-A ": 2, "PN-B": 3, "PN-C\t": 3, "PN-C": 3}))
	err := w.svc.MapPartNumbers(w.ctx, w.e1, w.h1, map[string]int{"PN-D": 1, " PN-D": 2})
	if e := ledger.AsError(err); e == nil || e.Kind != ledger.KindInvalid || e.Field != "parts[PN-D]" {
		t.Fatalf("the same part for lines 1 and 2: %v", err)
	}
	lines, err := w.svc.ListBookLines(w.ctx, w.customs, w.h1, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int][]string{}
	for _, l := range lines {
		got[l.Seq] = l.PartNumbers
	}
	if !slices.Equal(got[1], nil) || !slices.Equal(got[2], []string{"PN-A"}) || !slices.Equal(got[3], []string{"PN-B", "PN-C"}) {
		t.Fatalf("part numbers by line: %v", got)
	}
}
