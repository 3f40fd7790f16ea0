package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// An aged book is a database with a long history, written in bulk with SQL
// as the engine would have written it journal by journal:
//
//   - history journals in the bench book, one of the 1,000 bench items
//     each, with four postings that take one lot whole through the book and
//     out again (abroad -> bonded -> inspect -> bonded -> domestic), so that
//     each leaves an emptied lot, four postings, a journal-books row and
//     per-day totals over a year of days;
//   - a fat item in another enterprise's book: fat journals of one posting
//     each, every one a lot still open in that book's bonded account.
//
// Nothing is left open in the bench book, so the engine's invariants hold
// (TestAgedBookIsConsistent checks them on a small aged book).
type agedSize struct {
	history int // journals of four postings in the bench book
	fat     int // open lots of the fat item in the other book
}

const (
	fatBook = "H4601A000002"
	fatCode = "FAT"
)

var (
	fatItem   = ledger.ItemRef{Book: fatBook, Code: fatCode}
	fatBonded = ledger.In(fatBook, "bonded")
)

// benchItems registers the 1,000 bench items in the bench book.
func benchItems(t testing.TB, s *pgstore.Store) []ledger.Item {
	t.Helper()
	items := make([]ledger.Item, 1000)
	for i := range items {
		items[i] = ledger.Item{Book: book, Code: fmt.Sprintf("SKU%04d", i), Unit: "PCE"}
	}
	if _, err := s.RegisterItems(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return items
}

// age writes size's history into s's database (which has newStore's book
// and the bench items), then ANALYZEs it.
func age(t testing.TB, s *pgstore.Store, size agedSize) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBook(ctx, ledger.Book{ID: fatBook, Name: "fat book", Owner: "E2", Accounts: []string{"bonded"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterItems(ctx, []ledger.Item{{Book: fatBook, Code: fatCode, Unit: "PCE"}}); err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := s.Pool().QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM ledger_journals`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	h, f := strconv.Itoa(size.history), strconv.Itoa(size.fat)
	base := strconv.FormatInt(last, 10)
	// History journal n (1..h) is id base+n, item SKU(n % 1000), dated
	// 2025-03-01 + n % 365; fat journal n (1..f) is id base+h+n, dated
	// 2026-01-01 + n % 59.
	hist := `SELECT ` + base + ` + n AS id, 'SKU' || lpad((n % 1000)::text, 4, '0') AS code, date '2025-03-01' + (n % 365) AS day
		FROM generate_series(1, ` + h + `) AS n`
	fat := `SELECT ` + base + ` + ` + h + ` + n AS id, date '2026-01-01' + (n % 59) AS day FROM generate_series(1, ` + f + `) AS n`
	steps := []string{
		`INSERT INTO ledger_journals (id, book, idem_key, request_hash, effective_date, doc_type, doc_number, principal, committed_at, hash)
			SELECT id, '` + book + `', 'aged-' || id, decode(md5('r' || id), 'hex'), day, 'aged', id::text, 'aged', now(), decode(md5('h' || id), 'hex')
			FROM (` + hist + `) x`,
		`INSERT INTO ledger_journals (id, book, idem_key, request_hash, effective_date, doc_type, doc_number, principal, committed_at, hash)
			SELECT id, '` + fatBook + `', 'aged-' || id, decode(md5('r' || id), 'hex'), day, 'aged', id::text, 'aged', now(), decode(md5('h' || id), 'hex')
			FROM (` + fat + `) x`,
		`INSERT INTO ledger_postings (journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name, quantity, unit, value, leg_lot)
			SELECT id, s.idx, '` + book + `', code, s.fb, s.fn, s.tb, s.tn, 1, 'PCE', 1, 'J' || id || '-1'
			FROM (` + hist + `) x CROSS JOIN (VALUES
				(0, '', 'abroad', '` + book + `', 'bonded'),
				(1, '` + book + `', 'bonded', '` + book + `', 'inspect'),
				(2, '` + book + `', 'inspect', '` + book + `', 'bonded'),
				(3, '` + book + `', 'bonded', '', 'domestic')) AS s(idx, fb, fn, tb, tn)`,
		`INSERT INTO ledger_postings (journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name, quantity, unit, value, leg_lot)
			SELECT id, 0, '` + fatBook + `', '` + fatCode + `', '', 'abroad', '` + fatBook + `', 'bonded', 1, 'PCE', 1, 'J' || id || '-1' FROM (` + fat + `) x`,
		`INSERT INTO ledger_journal_books (book, journal_id, effective_date, book_seq)
			SELECT '` + book + `', id, day, id - ` + base + ` + (SELECT value FROM ledger_book_seqs WHERE book = '` + book + `') FROM (` + hist + `) x`,
		`INSERT INTO ledger_journal_books (book, journal_id, effective_date, book_seq)
			SELECT '` + fatBook + `', id, day, id - ` + base + ` - ` + h + ` + (SELECT value FROM ledger_book_seqs WHERE book = '` + fatBook + `') FROM (` + fat + `) x`,
		`UPDATE ledger_book_seqs SET value = value + ` + h + ` WHERE book = '` + book + `'`,
		`UPDATE ledger_book_seqs SET value = value + ` + f + ` WHERE book = '` + fatBook + `'`,
		`INSERT INTO ledger_lots (item_book, item_code, lot, entry_date, journal_id) SELECT '` + book + `', code, 'J' || id || '-1', day, id FROM (` + hist + `) x`,
		`INSERT INTO ledger_lots (item_book, item_code, lot, entry_date, journal_id) SELECT '` + fatBook + `', '` + fatCode + `', 'J' || id || '-1', day, id FROM (` + fat + `) x`,
		agedHoldings(fat),
		`INSERT INTO ledger_day_totals (account_book, account_name, item_book, item_code, day, quantity_in, quantity_out, value_in, value_out)
			SELECT a.ab, a.an, '` + book + `', code, day, a.qi * c, a.qo * c, a.qi * c, a.qo * c
			FROM (SELECT code, day, count(*) AS c FROM (` + hist + `) x GROUP BY 1, 2) g CROSS JOIN (VALUES
				('', 'abroad', 0, 1), ('', 'domestic', 1, 0), ('` + book + `', 'bonded', 2, 2), ('` + book + `', 'inspect', 1, 1)) AS a(ab, an, qi, qo)`,
		`INSERT INTO ledger_day_totals (account_book, account_name, item_book, item_code, day, quantity_in, quantity_out, value_in, value_out)
			SELECT a.ab, a.an, '` + fatBook + `', '` + fatCode + `', day, a.qi * c, a.qo * c, a.qi * c, a.qo * c
			FROM (SELECT day, count(*) AS c FROM (` + fat + `) x GROUP BY 1) g CROSS JOIN (VALUES
				('', 'abroad', 0, 1), ('` + fatBook + `', 'bonded', 1, 0)) AS a(ab, an, qi, qo)`,
	}
	steps = append(steps, agedFlowTotals(base)...)
	steps = append(steps,
		`DELETE FROM ledger_flow_months`,
		strings.TrimPrefix(mustMigration("0044_flow_months_backfill.sql"), "-- Fill the monthly totals by flow number from the per-day ones."),
		`DELETE FROM ledger_flow_quarters`,
		strings.TrimPrefix(mustMigration("0046_flow_quarters_backfill.sql"), "-- Fill the quarterly totals by flow number from the monthly ones."),
		`SELECT setval('ledger_journal_ids', `+base+` + `+h+` + `+f+` + 1, false)`,
		`VACUUM ANALYZE`,
	)
	start := time.Now()
	for _, q := range steps {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("aging the database: %v\n%s", err, q)
		}
	}
	t.Logf("aged the database (%d history journals, %d fat lots) in %s", size.history, size.fat, time.Since(start).Round(time.Second))
}

// agedFlowTotals adds the per-day totals by flow of the aged journals (the
// journals after base) from their postings: their flows numbered first.
func agedFlowTotals(base string) []string {
	moves := `SELECT p.to_book AS ab, j.effective_date AS day, p.to_name AS an, p.item_book, p.item_code, p.from_book AS cb, p.from_name AS cn,
				j.doc_type, j.trade_mode, p.quantity AS qi, 0 AS qo, p.value AS vi, 0 AS vo
			FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id WHERE p.journal_id > ` + base + ` AND p.to_book <> ''
			UNION ALL
			SELECT p.from_book, j.effective_date, p.from_name, p.item_book, p.item_code, p.to_book, p.to_name, j.doc_type, j.trade_mode, 0, p.quantity, 0, p.value
			FROM ledger_postings p JOIN ledger_journals j ON j.id = p.journal_id WHERE p.journal_id > ` + base + ` AND p.from_book <> ''`
	return []string{
		`INSERT INTO ledger_flows (id, counter_book, counter_name, doc_type, trade_mode, reversal)
		SELECT nextval('ledger_flow_ids'), cb, cn, doc_type, trade_mode, false FROM (SELECT DISTINCT cb, cn, doc_type, trade_mode FROM (` + moves + `) m) d
		WHERE NOT EXISTS (SELECT 1 FROM ledger_flows f WHERE f.counter_book = d.cb AND f.counter_name = d.cn AND f.doc_type = d.doc_type AND f.trade_mode = d.trade_mode AND NOT f.reversal)`,
		`INSERT INTO ledger_flow_days AS t (account_book, day, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
		SELECT ab, day, an, item_book, item_code, f.id, sum(qi), sum(qo), sum(vi), sum(vo)
		FROM (` + moves + `) m JOIN ledger_flows f ON f.counter_book = m.cb AND f.counter_name = m.cn AND f.doc_type = m.doc_type AND f.trade_mode = m.trade_mode AND NOT f.reversal
		GROUP BY ab, day, an, item_book, item_code, f.id
		ON CONFLICT (account_book, day, account_name, item_book, item_code, flow)
		DO UPDATE SET quantity_in = t.quantity_in + excluded.quantity_in, quantity_out = t.quantity_out + excluded.quantity_out,
		              value_in = t.value_in + excluded.value_in, value_out = t.value_out + excluded.value_out`,
	}
}

// mustMigration returns the SQL of one of the ledger's migrations.
func mustMigration(name string) string {
	sql, err := os.ReadFile(filepath.Join("migrations", name))
	if err != nil {
		panic(err)
	}
	return string(sql)
}

// agedHoldings writes the fat item's open lots.
func agedHoldings(fat string) string {
	return `INSERT INTO ledger_holdings (item_book, item_code, account_book, account_name, lot, quantity, value, entry_date, lot_journal)
		SELECT '` + fatBook + `', '` + fatCode + `', '` + fatBook + `', 'bonded', 'J' || id || '-1', 1, 1, day, id FROM (` + fat + `) x`
}

// TestAgedBookIsConsistent checks that an aged book is what the engine
// would have written: its invariants hold, and journals post on it.
func TestAgedBookIsConsistent(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	items := benchItems(t, s)
	age(t, s, agedSize{history: 3000, fat: 500})
	checkInvariants(t, s)
	wantQty(t, s, fatBonded, fatItem, "500")
	mustPost(t, s, ledger.JournalRequest{Book: fatBook, IdempotencyKey: key(), EffectiveDate: day1, Postings: []ledger.Posting{
		{Item: fatItem, From: abroad, To: fatBonded, Quantity: d("1"), Unit: "PCE", Value: d("1")},
		move(fatItem, "PCE", fatBonded, dom, "2")}})
	wantQty(t, s, fatBonded, fatItem, "499")
	mustPost(t, s, req(day1, in(items[7].Ref(), "PCE", "1", "1"), move(items[7].Ref(), "PCE", bonded, dom, "1")))
	checkInvariants(t, s)
}

// agedEnv reads ZONELEDGER_BENCH_AGED ("history,fat", e.g.
// "2500000,400000"), the size of the aged book BenchmarkAged builds.
func agedEnv(b *testing.B) agedSize {
	size := agedSize{history: 2_500_000, fat: 400_000}
	if v := os.Getenv("ZONELEDGER_BENCH_AGED"); v != "" {
		if _, err := fmt.Sscanf(v, "%d,%d", &size.history, &size.fat); err != nil {
			b.Fatalf("ZONELEDGER_BENCH_AGED=%q: want history,fat journal counts (e.g. 2500000,400000)", v)
		}
	}
	return size
}

// BenchmarkAged compares the write path on a fresh database with the same
// on aged ones (see age), in one run: "fresh", "beside-fat" (only another
// enterprise's item with the fat count of open lots) and "aged" (the whole
// history and the fat item), each with the bench book's spread and hot
// workloads (64 posters), then journals that add a lot to the fat pair and
// take its oldest ("aged/fat", 64 posters and 1, against the same on a
// fresh pair of one open lot). Building the aged book
// takes minutes. Run:
//
//	go test -run '^$' -bench BenchmarkAged -benchtime 20000x -timeout 60m ./ledger/pgstore/
//
// ZONELEDGER_BENCH_AGED=history,fat sets the aged book's size (default
// 2500000,400000: 10M postings, 2.9M lots, 400k of them open in one pair);
// ZONELEDGER_BENCH_ROUNDS=n runs the spread and hot comparisons n times,
// alternating, so that noise shows.
func BenchmarkAged(b *testing.B) {
	size := agedEnv(b)
	rounds, _ := strconv.Atoi(os.Getenv("ZONELEDGER_BENCH_ROUNDS"))
	const posters = 64
	type db struct {
		name  string
		s     *pgstore.Store
		items []ledger.Item
	}
	var dbs []db
	for _, c := range []struct {
		name string
		size agedSize
	}{{"fresh", agedSize{}}, {"beside-fat", agedSize{fat: size.fat}}, {"aged", size}} {
		s := newStore(b, pgstore.Options{})
		items := benchItems(b, s)
		if c.size != (agedSize{}) {
			age(b, s, c.size)
		}
		dbs = append(dbs, db{c.name, s, items})
	}
	for r := 0; r < max(rounds, 1); r++ {
		for _, w := range []string{"spread", "hot"} {
			for _, d := range dbs {
				b.Run(d.name+"/"+w, func(b *testing.B) { postLoad(b, d.s, posters, workloadOf(w, d.items)) })
			}
		}
	}
	aged := dbs[len(dbs)-1].s
	fat := []ledger.Item{{Book: fatBook, Code: fatCode}}
	b.Run("aged/fat", func(b *testing.B) { postLoad(b, aged, posters, workloadOf("hot", fat)) })
	// One at a time: a journal's own cost on a pair of one open lot (each
	// journal adds a lot and empties the older one, as on the fat pair)
	// and on the pair of many.
	fresh := dbs[0]
	one := fresh.items[1:2]
	if _, err := fresh.s.Post(context.Background(), ledger.JournalRequest{Book: book, IdempotencyKey: "onelot", EffectiveDate: day1.AddDate(0, 0, -1),
		Postings: []ledger.Posting{{Item: one[0].Ref(), From: abroad, To: bonded, Quantity: d("1"), Unit: "PCE", Value: d("1")}}}); err != nil {
		b.Fatal(err)
	}
	b.Run("fresh/onelot-1poster", func(b *testing.B) { postLoad(b, fresh.s, 1, workloadOf("hot", one)) })
	b.Run("aged/fat-1poster", func(b *testing.B) { postLoad(b, aged, 1, workloadOf("hot", fat)) })
}
