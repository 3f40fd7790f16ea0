package writeoff

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// benchBalanceSize is the book BenchmarkInventoryBalance builds:
// ZONELEDGER_BENCH_BALANCE=postings,lines (default 100000,1000; the
// issue's book is 10000000,10000).
func benchBalanceSize(b *testing.B) (postings, lines int) {
	postings, lines = 100000, 1000
	if v := os.Getenv("ZONELEDGER_BENCH_BALANCE"); v != "" {
		p, l, ok := strings.Cut(v, ",")
		var err1, err2 error
		postings, err1 = strconv.Atoi(p)
		lines, err2 = strconv.Atoi(l)
		if !ok || err1 != nil || err2 != nil || postings < 1 || lines < 1 {
			b.Fatalf("ZONELEDGER_BENCH_BALANCE=%q: write POSTINGS,LINES, e.g. 10000000,10000", v)
		}
	}
	return postings, lines
}

// BenchmarkInventoryBalance times InventoryBalance on a book of many
// postings and lines, over its whole year and over its last month. The
// book's journals and postings are bulk-loaded in SQL (not through the
// write path: it times the read), spread over 365 days and every line,
// one posting each, of every flow the balance shows; the per-day totals
// and the totals by flow (their flows numbered, daily, then monthly and
// quarterly as migrations 0044 and 0046 fill them) are then summed from
// the postings. The README gives the figures. ZONELEDGER_BENCH_EXPLAIN,
// queries separated by ";;", logs their EXPLAIN ANALYZE on the built book.
func BenchmarkInventoryBalance(b *testing.B) {
	postings, lines := benchBalanceSize(b)
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(b), pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(store.Close)
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := zone.Migrations().Up(ctx, store.Pool()); err != nil {
		b.Fatal(err)
	}
	z, err := zone.New(store.Pool(), store, zone.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := z.Start(ctx); err != nil {
		b.Fatal(err)
	}
	u := uscc(b, "91310000MA1K00001")
	e := access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u}
	if _, err := z.RegisterEnterprise(ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, zone.Enterprise{USCC: u, CustomsCode: "3105960001", Name: "Bench"}); err != nil {
		b.Fatal(err)
	}
	book := "H31050000001"
	if _, err := z.CreateBook(ctx, e, zone.Book{No: book, Kind: codes.BookZone, Enterprise: u, CustomsOffice: "3105", Usage: "1"}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for first := 1; first <= lines; first += zone.MaxLinesPerDoc {
		var ls []zone.BookLine
		for seq := first; seq < first+zone.MaxLinesPerDoc && seq <= lines; seq++ {
			ls = append(ls, zone.BookLine{Seq: seq, HSCode: "8471300000", Name: fmt.Sprintf("line %d", seq), DeclaredUnit: "035", Scale: 3,
				Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Type: codes.GoodsMaterial})
		}
		if _, err := z.AddBookLines(ctx, e, book, ls); err != nil {
			b.Fatal(err)
		}
	}
	// Posting n is the k-th of line n %% lines + 1 (k = n / lines), on day
	// 2025-01-01 + (k + 37 * line) %% 365, of flow k %% 12: every line has
	// postings of every flow on consecutive days from a day of its own, and
	// the lines together cover the year.
	gen := fmt.Sprintf(`SELECT n, (n %% %[1]d + 1)::text AS code, date '2025-01-01' + ((n / %[1]d + 37 * (n %% %[1]d)) %% 365) AS day, f.*
		FROM generate_series(1, %[2]d) AS n JOIN (VALUES
			(0, '', 'abroad', '%[3]s', 'bonded', 'PASS', '', 20, 200),
			(1, '', 'domestic', '%[3]s', 'bonded', 'PASS', '', 10, 100),
			(2, '%[3]s', 'bonded', '%[3]s', 'reserved', 'INVT', '5034', 3, 30),
			(3, '%[3]s', 'reserved', '', 'abroad', 'PASS', '', 3, 30),
			(4, '%[3]s', 'bonded', '', 'domestic', 'PASS', '', 2, 20),
			(5, '%[3]s', 'bonded', '', 'consumed', 'PRODUCTION', '', 4, 40),
			(6, '', 'production', '%[3]s', 'bonded', 'PRODUCTION', '', 2, 25),
			(7, '%[3]s', 'bonded', '', 'consumed', 'RND_USE', '', 1, 10),
			(8, '', 'outside', '%[3]s', 'nonbonded', 'PASS', '', 5, 5),
			(9, '%[3]s', 'nonbonded', '', 'outside', 'PASS', '', 2, 2),
			(10, '%[3]s', 'bonded', '', 'zone-transfer', 'INVT', '', 1, 10),
			(11, '', 'other-zone', '%[3]s', 'bonded', 'PASS', '', 1, 10)
		) AS f(k, fb, fn, tb, tn, doc, mode, q, v) ON f.k = (n / %[1]d) %% 12`, lines, postings, book)
	steps := []string{
		`INSERT INTO ledger_journals (id, book, idem_key, request_hash, effective_date, doc_type, doc_number, trade_mode, principal, committed_at, hash)
			SELECT n, '` + book + `', 'bench-' || n, '\x00', day, doc, 'D' || n, mode, 'bench', now(), '\x00' FROM (` + gen + `) g`,
		`INSERT INTO ledger_postings (journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name, quantity, unit, value, leg_lot)
			SELECT n, 0, '` + book + `', code, fb, fn, tb, tn, q, '035', v, 'L' || n FROM (` + gen + `) g`,
		`INSERT INTO ledger_day_totals (account_book, account_name, item_book, item_code, day, quantity_in, quantity_out, value_in, value_out)
			SELECT ab, an, item_book, item_code, day, sum(qi), sum(qo), sum(vi), sum(vo) FROM (
				SELECT p.to_book AS ab, p.to_name AS an, p.item_book, p.item_code, j.effective_date AS day, p.quantity AS qi, 0 AS qo, p.value AS vi, 0 AS vo
				FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
				UNION ALL
				SELECT p.from_book, p.from_name, p.item_book, p.item_code, j.effective_date, 0, p.quantity, 0, p.value
				FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id) m
			GROUP BY ab, an, item_book, item_code, day`,
		`INSERT INTO ledger_flows (id, counter_book, counter_name, doc_type, trade_mode, reversal)
			SELECT nextval('ledger_flow_ids'), cb, cn, doc_type, trade_mode, false FROM (
				SELECT DISTINCT p.from_book AS cb, p.from_name AS cn, j.doc_type, j.trade_mode FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id
				UNION SELECT DISTINCT p.to_book, p.to_name, j.doc_type, j.trade_mode FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id) d`,
		`INSERT INTO ledger_flow_days (account_book, day, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
			SELECT ab, day, an, item_book, item_code, f.id, sum(qi), sum(qo), sum(vi), sum(vo) FROM (
				SELECT p.to_book AS ab, j.effective_date AS day, p.to_name AS an, p.item_book, p.item_code, p.from_book AS cb, p.from_name AS cn,
					j.doc_type, j.trade_mode, p.quantity AS qi, 0 AS qo, p.value AS vi, 0 AS vo
				FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id WHERE p.to_book <> ''
				UNION ALL
				SELECT p.from_book, j.effective_date, p.from_name, p.item_book, p.item_code, p.to_book, p.to_name, j.doc_type, j.trade_mode, 0, p.quantity, 0, p.value
				FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id WHERE p.from_book <> '') m
			JOIN ledger_flows f ON f.counter_book = m.cb AND f.counter_name = m.cn AND f.doc_type = m.doc_type AND f.trade_mode = m.trade_mode AND NOT f.reversal
			GROUP BY ab, day, an, item_book, item_code, f.id`,
		mustReadMigration(b, "0044_flow_months_backfill.sql"),
		mustReadMigration(b, "0046_flow_quarters_backfill.sql"),
		`VACUUM ANALYZE`,
	}
	for _, q := range steps {
		if _, err := store.Pool().Exec(ctx, q); err != nil {
			b.Fatalf("building the book: %v\n%s", err, q)
		}
	}
	var dayRows, flowRows, monthRows int64
	if err := store.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM ledger_day_totals), (SELECT count(*) FROM ledger_flow_days), (SELECT count(*) FROM ledger_flow_months)`).Scan(&dayRows, &flowRows, &monthRows); err != nil {
		b.Fatal(err)
	}
	b.Logf("built a book of %d postings on %d lines in %s: %d per-day totals, %d per-day and %d monthly totals by flow", postings, lines, time.Since(start).Round(time.Second), dayRows, flowRows, monthRows)
	if os.Getenv("ZONELEDGER_BENCH_EXPLAIN") != "" {
		for _, q := range strings.Split(os.Getenv("ZONELEDGER_BENCH_EXPLAIN"), ";;") {
			tx, err := store.Pool().Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '128MB'`); err != nil {
				b.Fatal(err)
			}
			rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+q)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				var l string
				if err := rows.Scan(&l); err != nil {
					b.Fatal(err)
				}
				b.Log(l)
			}
			rows.Close()
			tx.Rollback(ctx)
		}
	}
	bs := NewBalances(z, store)
	for _, p := range []struct {
		name     string
		from, to string
	}{{"year", "2025-01-01", "2025-12-31"}, {"lastmonth", "2025-12-01", "2025-12-31"}, {"firstmonth", "2025-01-01", "2025-01-31"}} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				bal, err := bs.InventoryBalance(ctx, e, book, day(p.from), day(p.to))
				if err != nil {
					b.Fatal(err)
				}
				if len(bal.Lines) != 2*lines {
					b.Fatalf("%d rows, want %d", len(bal.Lines), 2*lines)
				}
			}
		})
	}
}

// mustReadMigration returns the SQL of one of the ledger's migrations,
// without its comment lines.
func mustReadMigration(b *testing.B, name string) string {
	sql, err := os.ReadFile("../../ledger/pgstore/migrations/" + name)
	if err != nil {
		b.Fatal(err)
	}
	var keep []string
	for _, l := range strings.Split(string(sql), "\n") {
		if !strings.HasPrefix(l, "--") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
