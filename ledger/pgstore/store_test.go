package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const book = "H4601A000001"

var (
	day1 = date("2026-03-01")
	day2 = date("2026-03-02")
	day3 = date("2026-03-03")

	itemA = ledger.ItemRef{Book: book, Code: "A"} // KGM, 3 places
	itemP = ledger.ItemRef{Book: book, Code: "P"} // PCE, whole units

	bonded  = ledger.In(book, "bonded")
	inspect = ledger.In(book, "inspect")
	abroad  = ledger.World("abroad")
	dom     = ledger.World("domestic")
)

func date(s string) time.Time {
	t, err := ledger.ParseDate(s, "date")
	if err != nil {
		panic(err)
	}
	return t
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// newStore opens a store on a fresh, migrated database with one book, two
// items and the world accounts.
func newStore(t testing.TB, opts pgstore.Options) *pgstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := pgstore.Open(ctx, pgtest.NewDatabase(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBook(ctx, ledger.Book{ID: book, Name: "test book", Owner: "E1", Accounts: []string{"bonded", "inspect"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureWorldAccounts(ctx, []string{"abroad", "domestic", "consumed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterItems(ctx, []ledger.Item{
		{Book: book, Code: "A", Unit: "KGM", Scale: 3, Name: "copper wire"},
		{Book: book, Code: "P", Unit: "PCE", Scale: 0, Name: "router"},
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

var keySeq atomic.Int64

func key() string { return fmt.Sprintf("k-%d", keySeq.Add(1)) }

func in(item ledger.ItemRef, unit, qty, value string) ledger.Posting {
	return ledger.Posting{Item: item, From: abroad, To: bonded, Quantity: d(qty), Unit: unit, Value: d(value)}
}

func move(item ledger.ItemRef, unit string, from, to ledger.AccountRef, qty string) ledger.Posting {
	return ledger.Posting{Item: item, From: from, To: to, Quantity: d(qty), Unit: unit}
}

func req(day time.Time, ps ...ledger.Posting) ledger.JournalRequest {
	return ledger.JournalRequest{Book: book, IdempotencyKey: key(), EffectiveDate: day, Principal: "tester", Postings: ps}
}

func mustPost(t testing.TB, s *pgstore.Store, r ledger.JournalRequest) ledger.Journal {
	t.Helper()
	j, err := s.Post(context.Background(), r)
	if err != nil {
		t.Fatalf("post %s: %v", r.IdempotencyKey, err)
	}
	return j
}

// balance returns the current quantity and value of an item in an account.
func balance(t testing.TB, s *pgstore.Store, a ledger.AccountRef, item ledger.ItemRef) (decimal.Decimal, decimal.Decimal) {
	t.Helper()
	hs, err := s.Balances(context.Background(), ledger.BalanceQuery{Book: a.Book, Account: a.Name, Item: item.Code})
	if err != nil {
		t.Fatal(err)
	}
	q, v := decimal.Zero, decimal.Zero
	for _, h := range hs {
		if h.Item == item {
			q, v = q.Add(h.Quantity), v.Add(h.Value)
		}
	}
	return q, v
}

func wantQty(t testing.TB, s *pgstore.Store, a ledger.AccountRef, item ledger.ItemRef, want string) {
	t.Helper()
	if q, _ := balance(t, s, a, item); !q.Equal(d(want)) {
		t.Fatalf("%s %s: quantity %s, want %s", a, item, q, want)
	}
}

func wantReason(t testing.TB, err error, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", reason)
	}
	if got := ledger.ReasonOf(err); got != reason {
		t.Fatalf("got reason %s (%v), want %s", got, err, reason)
	}
}

// journalCount counts stored journals, straight from the table.
func journalCount(t testing.TB, s *pgstore.Store) int {
	t.Helper()
	var n int
	if err := s.Pool().QueryRow(context.Background(), `SELECT count(*) FROM ledger_journals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkInvariants verifies, straight from the tables, that every book
// holding equals the sum of its postings' legs, that no book holding is
// negative, that the per-day totals agree with the holdings and with the
// per-day totals by flow (and those with their monthly and quarterly sums,
// every flow numbered), and that every
// item sums to zero over all accounts (world balances being the sums of
// their per-day totals).
func checkInvariants(t testing.TB, s *pgstore.Store) {
	t.Helper()
	ctx := context.Background()
	count := func(what, sql string) {
		t.Helper()
		var bad int
		if err := s.Pool().QueryRow(ctx, sql).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		if bad != 0 {
			t.Fatalf("%d %s", bad, what)
		}
	}
	count("book holdings differ from the sum of their postings", `
		WITH legs AS (
			SELECT journal_id, posting, lot, quantity, value FROM ledger_legs
			UNION ALL
			SELECT journal_id, idx, leg_lot, quantity, value FROM ledger_postings WHERE leg_lot IS NOT NULL
		), moves AS (
			SELECT p.item_book, p.item_code, p.to_book AS ab, p.to_name AS an, l.lot, l.quantity AS q, l.value AS v
			FROM ledger_postings p JOIN legs l ON l.journal_id = p.journal_id AND l.posting = p.idx WHERE p.to_book <> ''
			UNION ALL
			SELECT p.item_book, p.item_code, p.from_book, p.from_name, l.lot, -l.quantity, -l.value
			FROM ledger_postings p JOIN legs l ON l.journal_id = p.journal_id AND l.posting = p.idx WHERE p.from_book <> ''
		), sums AS (
			SELECT item_book, item_code, ab, an, lot, sum(q) AS q, sum(v) AS v FROM moves GROUP BY 1, 2, 3, 4, 5
		)
		SELECT count(*) FROM sums FULL JOIN ledger_holdings h
			ON h.item_book = sums.item_book AND h.item_code = sums.item_code AND h.account_book = sums.ab AND h.account_name = sums.an AND h.lot = sums.lot
		WHERE COALESCE(sums.q, 0) <> COALESCE(h.quantity, 0) OR COALESCE(sums.v, 0) <> COALESCE(h.value, 0)`)
	count("book holdings are negative or empty", `SELECT count(*) FROM ledger_holdings WHERE quantity < 0 OR value < 0 OR (quantity = 0 AND value = 0)`)
	count("book holdings differ from their per-day totals", `SELECT count(*) FROM
		(SELECT account_book, account_name, item_book, item_code, sum(quantity_in - quantity_out) q, sum(value_in - value_out) v
		 FROM ledger_day_totals WHERE account_book <> '' GROUP BY 1, 2, 3, 4) t
		FULL JOIN (SELECT account_book, account_name, item_book, item_code, sum(quantity) q, sum(value) v FROM ledger_holdings GROUP BY 1, 2, 3, 4) h
		USING (account_book, account_name, item_book, item_code)
		WHERE COALESCE(t.q, 0) <> COALESCE(h.q, 0) OR COALESCE(t.v, 0) <> COALESCE(h.v, 0)`)
	count("totals by flow name flows that are not numbered", `SELECT count(*) FROM
		(SELECT flow FROM ledger_flow_days UNION ALL SELECT flow FROM ledger_flow_months UNION ALL SELECT flow FROM ledger_flow_quarters) t
		WHERE NOT EXISTS (SELECT 1 FROM ledger_flows f WHERE f.id = t.flow)`)
	count("book per-day totals differ from their totals by flow", `SELECT count(*) FROM
		(SELECT account_book, account_name, item_book, item_code, day, sum(quantity_in) qi, sum(quantity_out) qo, sum(value_in) vi, sum(value_out) vo
		 FROM ledger_flow_days GROUP BY 1, 2, 3, 4, 5) f
		FULL JOIN (SELECT * FROM ledger_day_totals WHERE account_book <> '') t USING (account_book, account_name, item_book, item_code, day)
		WHERE COALESCE(f.qi, 0) <> COALESCE(t.quantity_in, 0) OR COALESCE(f.qo, 0) <> COALESCE(t.quantity_out, 0)
		   OR COALESCE(f.vi, 0) <> COALESCE(t.value_in, 0) OR COALESCE(f.vo, 0) <> COALESCE(t.value_out, 0)`)
	count("monthly totals by flow differ from their per-day totals by flow", `SELECT count(*) FROM
		(SELECT account_book, CAST(date_trunc('month', day) AS DATE) AS month, account_name, item_book, item_code, flow,
			sum(quantity_in) qi, sum(quantity_out) qo, sum(value_in) vi, sum(value_out) vo
		 FROM ledger_flow_days GROUP BY 1, 2, 3, 4, 5, 6) f
		FULL JOIN ledger_flow_months m USING (account_book, month, account_name, item_book, item_code, flow)
		WHERE COALESCE(f.qi, 0) <> COALESCE(m.quantity_in, 0) OR COALESCE(f.qo, 0) <> COALESCE(m.quantity_out, 0)
		   OR COALESCE(f.vi, 0) <> COALESCE(m.value_in, 0) OR COALESCE(f.vo, 0) <> COALESCE(m.value_out, 0)`)
	count("quarterly totals by flow differ from their monthly totals by flow", `SELECT count(*) FROM
		(SELECT account_book, CAST(date_trunc('quarter', month) AS DATE) AS quarter, account_name, item_book, item_code, flow,
			sum(quantity_in) qi, sum(quantity_out) qo, sum(value_in) vi, sum(value_out) vo
		 FROM ledger_flow_months GROUP BY 1, 2, 3, 4, 5, 6) m
		FULL JOIN ledger_flow_quarters q USING (account_book, quarter, account_name, item_book, item_code, flow)
		WHERE COALESCE(m.qi, 0) <> COALESCE(q.quantity_in, 0) OR COALESCE(m.qo, 0) <> COALESCE(q.quantity_out, 0)
		   OR COALESCE(m.vi, 0) <> COALESCE(q.value_in, 0) OR COALESCE(m.vo, 0) <> COALESCE(q.value_out, 0)`)
	count("items do not sum to zero across accounts", `SELECT count(*) FROM (
		SELECT item_book, item_code, sum(quantity_in - quantity_out) q, sum(value_in - value_out) v FROM ledger_day_totals GROUP BY 1, 2
		HAVING sum(quantity_in - quantity_out) <> 0 OR sum(value_in - value_out) <> 0) x`)
	count("world per-day totals differ from their postings", `
		WITH moves AS (
			SELECT p.item_book, p.item_code, p.to_name AS an, p.quantity AS q FROM ledger_postings p WHERE p.to_book = ''
			UNION ALL
			SELECT p.item_book, p.item_code, p.from_name, -p.quantity FROM ledger_postings p WHERE p.from_book = ''
		), sums AS (SELECT item_book, item_code, an, sum(q) AS q FROM moves GROUP BY 1, 2, 3)
		SELECT count(*) FROM sums FULL JOIN (SELECT item_book, item_code, account_name AS an, sum(quantity_in - quantity_out) AS q
			FROM ledger_day_totals WHERE account_book = '' GROUP BY 1, 2, 3) t USING (item_book, item_code, an)
		WHERE COALESCE(sums.q, 0) <> COALESCE(t.q, 0)`)
}

func TestPostMovesQuantityAndValue(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	j := mustPost(t, s, req(day1, in(itemA, "KGM", "10.5", "1050.00")))
	if j.ID != 1 || len(j.Postings) != 1 || len(j.Postings[0].Legs) != 1 {
		t.Fatalf("unexpected journal %+v", j)
	}
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, inspect, "0.5")))
	q, v := balance(t, s, bonded, itemA)
	if !q.Equal(d("10")) || !v.Equal(d("1000")) {
		t.Fatalf("bonded: %s / %s, want 10 / 1000", q, v)
	}
	q, v = balance(t, s, inspect, itemA)
	if !q.Equal(d("0.5")) || !v.Equal(d("50")) {
		t.Fatalf("inspect: %s / %s, want 0.5 / 50", q, v)
	}
	got, err := s.GetJournal(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Postings[0].Value.Equal(d("50")) || string(got.Hash) != string(got.ComputeHash()) {
		t.Fatalf("stored journal %+v does not carry its derived value and hash", got)
	}
	checkInvariants(t, s)
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	before := journalCount(t, s)
	other := ledger.ItemRef{Book: book, Code: "nope"}
	cases := []struct {
		name   string
		req    ledger.JournalRequest
		reason string
		field  string
	}{
		{"zero quantity", req(day2, in(itemA, "KGM", "0", "0")), ledger.ReasonNonPositiveQuantity, "postings[0].quantity"},
		{"negative quantity", req(day2, in(itemA, "KGM", "-1", "0")), ledger.ReasonNonPositiveQuantity, "postings[0].quantity"},
		{"unknown item", req(day2, in(other, "KGM", "1", "0")), ledger.ReasonUnknownItem, "postings[0].item_code"},
		{"unknown account", req(day2, move(itemA, "KGM", bonded, ledger.In(book, "attic"), "1")), ledger.ReasonUnknownAccount, "postings[0].to"},
		{"unknown world account", req(day2, move(itemA, "KGM", bonded, ledger.World("moon"), "1")), ledger.ReasonUnknownAccount, "postings[0].to"},
		{"too many decimals", req(day2, in(itemA, "KGM", "1.0001", "1")), ledger.ReasonTooManyDecimals, "postings[0].quantity"},
		{"whole units only", req(day2, in(itemP, "PCE", "1.5", "1")), ledger.ReasonTooManyDecimals, "postings[0].quantity"},
		{"value below the fen", req(day2, in(itemA, "KGM", "1", "0.001")), ledger.ReasonTooManyDecimals, "postings[0].value"},
		{"negative value", req(day2, in(itemA, "KGM", "1", "-5")), ledger.ReasonNegativeValue, "postings[0].value"},
		{"wrong unit", req(day2, in(itemA, "PCE", "1", "1")), ledger.ReasonUnitMismatch, "postings[0].unit"},
		{"mixed units in one journal", req(day2, in(itemA, "KGM", "1", "1"), in(itemA, "TNE", "1", "1")), ledger.ReasonUnitMismatch, "postings[1].unit"},
		{"value out of a book account", req(day2, ledger.Posting{Item: itemA, From: bonded, To: dom, Quantity: d("1"), Unit: "KGM", Value: d("3")}), ledger.ReasonInvalidArgument, "postings[0].value"},
		{"account of another book", req(day2, move(itemA, "KGM", bonded, ledger.In("H000", "bonded"), "1")), ledger.ReasonUnknownAccount, "postings[0].to"},
		{"all or nothing", req(day2, move(itemA, "KGM", bonded, inspect, "4"), move(itemA, "KGM", bonded, dom, "7")), ledger.ReasonInsufficient, "postings[1].quantity"},
		{"no postings", req(day2), ledger.ReasonInvalidArgument, "postings"},
		{"no key", func() ledger.JournalRequest {
			r := req(day2, in(itemA, "KGM", "1", "1"))
			r.IdempotencyKey = ""
			return r
		}(), ledger.ReasonInvalidArgument, "idempotency_key"},
		{"unknown book", func() ledger.JournalRequest { r := req(day2, in(itemA, "KGM", "1", "1")); r.Book = "H999"; return r }(), ledger.ReasonUnknownBook, "book_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Post(context.Background(), c.req)
			wantReason(t, err, c.reason)
			if f := ledger.AsError(err).Field; f != c.field {
				t.Fatalf("field %q, want %q", f, c.field)
			}
		})
	}
	if _, err := ledger.ParseDecimal("1e3", "quantity"); ledger.ReasonOf(err) != ledger.ReasonMalformedDecimal {
		t.Fatalf("1e3 parsed: %v", err)
	}
	if _, err := ledger.ParseDecimal("1,5", "quantity"); ledger.ReasonOf(err) != ledger.ReasonMalformedDecimal {
		t.Fatalf("1,5 parsed: %v", err)
	}
	if after := journalCount(t, s); after != before {
		t.Fatalf("bad input wrote %d journals", after-before)
	}
	wantQty(t, s, bonded, itemA, "10")
	wantQty(t, s, inspect, itemA, "0")
	checkInvariants(t, s)
}

func TestIdempotentReplay(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	r := req(day1, in(itemA, "KGM", "5", "50"))
	first := mustPost(t, s, r)
	again := mustPost(t, s, r)
	if again.ID != first.ID || !again.Replayed || first.Replayed {
		t.Fatalf("replay gave journal %d (replayed=%v), first %d", again.ID, again.Replayed, first.ID)
	}
	changed := r
	changed.Postings = []ledger.Posting{in(itemA, "KGM", "6", "60")}
	_, err := s.Post(context.Background(), changed)
	wantReason(t, err, ledger.ReasonIdempotencyMismatch)
	wantQty(t, s, bonded, itemA, "5")

	// Many concurrent posts with one key: exactly one journal.
	shared := req(day1, in(itemA, "KGM", "1", "10"))
	var wg sync.WaitGroup
	ids := make([]int64, 32)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := s.Post(context.Background(), shared)
			if err != nil {
				t.Error(err)
			}
			ids[i] = j.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent replays returned journals %v", ids)
		}
	}
	wantQty(t, s, bonded, itemA, "6")
	if n := journalCount(t, s); n != 2 {
		t.Fatalf("%d journals, want 2", n)
	}
}

func TestIdempotencyAcrossStores(t *testing.T) {
	// Two stores on one database, as two server processes: one key, one journal.
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	a, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := a.CreateBook(ctx, ledger.Book{ID: book, Owner: "E1", Accounts: []string{"bonded", "inspect"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureWorldAccounts(ctx, []string{"abroad"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RegisterItems(ctx, []ledger.Item{{Book: book, Code: "A", Unit: "KGM", Scale: 3}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		r := req(day1, in(itemA, "KGM", "1", "1"))
		for _, s := range []*pgstore.Store{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Post(ctx, r); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	if n := journalCount(t, a); n != 20 {
		t.Fatalf("%d journals, want 20", n)
	}
	wantQty(t, a, bonded, itemA, "20")
	checkInvariants(t, a)
}

func TestReversal(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemA, "KGM", "4", "40"), in(itemA, "KGM", "6", "66")))
	out := mustPost(t, s, req(day2, move(itemA, "KGM", bonded, dom, "5")))
	if legs := out.Postings[0].Legs; len(legs) != 2 || !legs[0].Quantity.Equal(d("4")) || !legs[1].Value.Equal(d("11")) {
		t.Fatalf("legs %+v, want 4 from the first lot and 1 (11.00) from the second", legs)
	}
	rev, err := s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: out.ID, IdempotencyKey: key(), EffectiveDate: day3, Reason: "filed twice"})
	if err != nil {
		t.Fatal(err)
	}
	if rev.ReversalOf != out.ID {
		t.Fatalf("reversal_of %d, want %d", rev.ReversalOf, out.ID)
	}
	q, v := balance(t, s, bonded, itemA)
	if !q.Equal(d("10")) || !v.Equal(d("106")) {
		t.Fatalf("after reversal bonded holds %s / %s, want 10 / 106", q, v)
	}
	lots, err := s.Balances(ctx, ledger.BalanceQuery{Book: book, Account: "bonded", ByLot: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(lots) != 2 || !lots[0].Quantity.Equal(d("4")) || !lots[1].Quantity.Equal(d("6")) {
		t.Fatalf("lots after reversal %+v, want them restored to 4 and 6", lots)
	}
	_, err = s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: out.ID, IdempotencyKey: key(), EffectiveDate: day3})
	wantReason(t, err, ledger.ReasonAlreadyReversed)
	_, err = s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: 999, IdempotencyKey: key(), EffectiveDate: day3})
	wantReason(t, err, ledger.ReasonUnknownJournal)
	// A reversal is filed on the book of the journal it reverses.
	if _, err := s.CreateBook(ctx, ledger.Book{ID: "H-OTHER", Owner: "E1", Accounts: []string{"bonded"}}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Reverse(ctx, ledger.ReverseRequest{Book: "H-OTHER", JournalID: out.ID, IdempotencyKey: key(), EffectiveDate: day3})
	wantReason(t, err, ledger.ReasonInvalidArgument)

	// A reversal that would take goods that have moved on is refused.
	moved := mustPost(t, s, req(day3, move(itemA, "KGM", bonded, inspect, "10")))
	mustPost(t, s, req(day3, move(itemA, "KGM", inspect, dom, "10")))
	_, err = s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: moved.ID, IdempotencyKey: key(), EffectiveDate: day3})
	wantReason(t, err, ledger.ReasonInsufficient)
	got, err := s.GetJournal(ctx, out.ID)
	if err != nil || got.ReversedBy != rev.ID {
		t.Fatalf("journal %d reversed_by %d (%v), want %d", out.ID, got.ReversedBy, err, rev.ID)
	}
	checkInvariants(t, s)
}

func TestLotsFIFOAndNamed(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	p1 := in(itemP, "PCE", "3", "300")
	p1.Lot, p1.LotAttributes = "L-JP", map[string]string{"origin": "JPN"}
	p2 := in(itemP, "PCE", "3", "330")
	p2.Lot, p2.LotAttributes = "L-DE", map[string]string{"origin": "DEU"}
	mustPost(t, s, req(day2, p2))
	mustPost(t, s, req(day1, p1)) // back-dated: older entry date, so first out
	out := mustPost(t, s, req(day3, move(itemP, "PCE", bonded, dom, "4")))
	legs := out.Postings[0].Legs
	if len(legs) != 2 || legs[0].Lot != "L-JP" || !legs[0].Quantity.Equal(d("3")) || legs[1].Lot != "L-DE" || !legs[1].Value.Equal(d("110")) {
		t.Fatalf("FIFO legs %+v, want 3 of L-JP then 1 (110.00) of L-DE", legs)
	}
	named := move(itemP, "PCE", bonded, inspect, "2")
	named.Lot = "L-DE"
	mustPost(t, s, req(day3, named))
	over := move(itemP, "PCE", inspect, dom, "3")
	over.Lot = "L-DE"
	_, err := s.Post(ctx, req(day3, over))
	wantReason(t, err, ledger.ReasonInsufficient)
	missing := move(itemP, "PCE", inspect, dom, "1")
	missing.Lot = "L-XX"
	_, err = s.Post(ctx, req(day3, missing))
	wantReason(t, err, ledger.ReasonUnknownLot)
	lots, err := s.Lots(ctx, itemP)
	if err != nil {
		t.Fatal(err)
	}
	if len(lots) != 2 || lots[0].Key != "L-JP" || lots[0].Attributes["origin"] != "JPN" {
		t.Fatalf("lots %+v", lots)
	}
	// Unnamed inbound lots get a name from the journal.
	j := mustPost(t, s, req(day3, in(itemP, "PCE", "1", "1")))
	if lot := j.Postings[0].Legs[0].Lot; lot != fmt.Sprintf("J%d-1", j.ID) {
		t.Fatalf("generated lot %q", lot)
	}
	checkInvariants(t, s)
}

func TestAsOfAndDayTotals(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, dom, "3")))
	mustPost(t, s, req(day3, in(itemA, "KGM", "1", "20")))
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, inspect, "2"))) // arrives late, dated day 2
	for _, c := range []struct {
		asOf time.Time
		want string
	}{{day1, "10"}, {day2, "5"}, {day3, "6"}} {
		hs, err := s.Balances(ctx, ledger.BalanceQuery{Book: book, Account: "bonded", AsOf: &c.asOf})
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 1 || !hs[0].Quantity.Equal(d(c.want)) || hs[0].Unit != "KGM" {
			t.Fatalf("as of %s: %+v, want %s KGM", ledger.FormatDate(c.asOf), hs, c.want)
		}
	}
	ts, err := s.DayTotals(ctx, ledger.TotalsQuery{Book: book, Account: "bonded", From: day2, To: day2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || !ts[0].QuantityOut.Equal(d("5")) || !ts[0].QuantityIn.IsZero() || !ts[0].ValueOut.Equal(d("50")) {
		t.Fatalf("day 2 totals %+v, want 5 out worth 50", ts)
	}
	checkInvariants(t, s)
}

func TestClosedPeriodsAreSealed(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, dom, "1")))
	// Nothing sealed yet: no problem, and nothing checked.
	if v, err := s.VerifyPeriods(ctx, book); err != nil || len(v.Problems) != 0 || v.Periods != 0 || v.Journals != 0 {
		t.Fatalf("verify before any close: %+v, %v; want nothing checked", v, err)
	}
	closeReq := func(through time.Time, key string) ledger.ClosePeriodRequest {
		return ledger.ClosePeriodRequest{Book: book, Through: through, IdempotencyKey: key}
	}
	p1, err := s.ClosePeriod(ctx, closeReq(day1, "close-1"))
	if err != nil {
		t.Fatal(err)
	}
	if p1.JournalCount != 1 {
		t.Fatalf("first period sealed %d journals, want 1", p1.JournalCount)
	}
	_, err = s.Post(ctx, req(day1, in(itemA, "KGM", "1", "1")))
	wantReason(t, err, ledger.ReasonPeriodClosed)
	_, err = s.ClosePeriod(ctx, closeReq(day1, "close-again"))
	wantReason(t, err, ledger.ReasonBadPeriod)
	_, err = s.ClosePeriod(ctx, closeReq(time.Now().AddDate(0, 0, 2), "close-future"))
	wantReason(t, err, ledger.ReasonBadPeriod)
	p2, err := s.ClosePeriod(ctx, closeReq(day2, "close-2"))
	if err != nil {
		t.Fatal(err)
	}
	if string(p2.PreviousDigest) != string(p1.Digest) || !p2.From.Equal(day2) {
		t.Fatalf("second period does not chain onto the first: %+v", p2)
	}
	// A retried close returns the period it closed, even after later ones;
	// its key for another day is refused.
	again, err := s.ClosePeriod(ctx, closeReq(day1, "close-1"))
	if err != nil || string(again.Digest) != string(p1.Digest) {
		t.Fatalf("replayed close gave %+v, %v", again, err)
	}
	_, err = s.ClosePeriod(ctx, closeReq(day3, "close-1"))
	wantReason(t, err, ledger.ReasonIdempotencyMismatch)
	// A reversal of a sealed journal must be dated in the open period.
	_, err = s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: 2, IdempotencyKey: key(), EffectiveDate: day2})
	wantReason(t, err, ledger.ReasonPeriodClosed)
	if _, err := s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: 2, IdempotencyKey: key(), EffectiveDate: day3}); err != nil {
		t.Fatal(err)
	}
	if v, err := s.VerifyPeriods(ctx, book); err != nil || len(v.Problems) != 0 || v.Periods != 2 || v.Journals != 2 {
		t.Fatalf("intact history reported %+v, %v; want 2 periods, 2 journals, no problem", v, err)
	}
	// Rewriting history behind the ledger's back is detected.
	if _, err := s.Pool().Exec(ctx, `UPDATE ledger_postings SET quantity = 2 WHERE journal_id = 2`); err != nil {
		t.Fatal(err)
	}
	v, err := s.VerifyPeriods(ctx, book)
	problems := v.Problems
	if err != nil || len(problems) == 0 {
		t.Fatalf("tampering went unnoticed: %v, %v", problems, err)
	}
}

func TestHotAccount(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemP, "PCE", "500", "5000")))
	const posters, each = 64, 100
	var accepted, refused atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < posters; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var r ledger.JournalRequest
				if (g+i)%4 == 0 { // one in four restocks 3; the rest take 1 or 2
					r = req(day2, in(itemP, "PCE", "3", "30"))
				} else {
					r = req(day2, move(itemP, "PCE", bonded, dom, fmt.Sprint(1+(g+i)%2)))
				}
				_, err := s.Post(ctx, r)
				switch {
				case err == nil:
					accepted.Add(1)
				case ledger.ReasonOf(err) == ledger.ReasonInsufficient:
					refused.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if refused.Load() == 0 {
		t.Fatalf("the mix never ran out of stock; the test proves nothing")
	}
	// Replay every accepted journal in commit order: the balance never went
	// below zero and ends where the store says.
	js, err := s.ListJournals(ctx, ledger.JournalFilter{Book: book, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var all []ledger.Journal
	for len(js) > 0 {
		all = append(all, js...)
		js, err = s.ListJournals(ctx, ledger.JournalFilter{Book: book, AfterID: js[len(js)-1].ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
	}
	if int64(len(all)) != accepted.Load()+1 {
		t.Fatalf("%d journals stored, %d acknowledged", len(all), accepted.Load()+1)
	}
	running := decimal.Zero
	for _, j := range all {
		for _, p := range j.Postings {
			if p.To == bonded {
				running = running.Add(p.Quantity)
			} else {
				running = running.Sub(p.Quantity)
			}
		}
		if running.Sign() < 0 {
			t.Fatalf("balance went to %s at journal %d", running, j.ID)
		}
	}
	wantQty(t, s, bonded, itemP, running.String())
	checkInvariants(t, s)
	t.Logf("%d accepted, %d refused for insufficient quantity, final %s", accepted.Load(), refused.Load(), running)
}

// faults fails the first n attempts of every transaction at one stage.
// It is armed once the test's fixtures are in place.
type faults struct {
	stage pgstore.Stage
	n     int
	armed atomic.Bool
	hits  atomic.Int64
}

func (f *faults) Fault(s pgstore.Stage, attempt int) error {
	if f.armed.Load() && s == f.stage && attempt <= f.n {
		f.hits.Add(1)
		return pgstore.SerializationFailure("injected")
	}
	return nil
}

func skipOnCockroach(t *testing.T) {
	if pgtest.IsCockroachDB() {
		t.Skip("fault injection drives PostgreSQL's retry loop; CockroachDB retries inside crdbpgx.ExecuteTx")
	}
}

func TestInjectedSerializationFailuresAreRetried(t *testing.T) {
	skipOnCockroach(t)
	for _, stage := range []pgstore.Stage{pgstore.StageBegin, pgstore.StageApply, pgstore.StageCommit} {
		t.Run(string(stage), func(t *testing.T) {
			f := &faults{stage: stage, n: 2}
			s := newStore(t, pgstore.Options{Faults: f, MaxAttempts: 5})
			f.armed.Store(true)
			j := mustPost(t, s, req(day1, in(itemA, "KGM", "2", "20")))
			if f.hits.Load() != 2 {
				t.Fatalf("%d faults hit, want 2", f.hits.Load())
			}
			if n := journalCount(t, s); n != 1 {
				t.Fatalf("%d journals after retries (id %d), want exactly 1", n, j.ID)
			}
			wantBookSeqs(t, s, book, 1)
			wantQty(t, s, bonded, itemA, "2")
		})
	}
}

func TestCommitFailureIsNeverReportedAsSuccess(t *testing.T) {
	skipOnCockroach(t)
	f := &faults{stage: pgstore.StageCommit, n: 1 << 30}
	s := newStore(t, pgstore.Options{Faults: f, MaxAttempts: 3})
	f.armed.Store(true)
	_, err := s.Post(context.Background(), req(day1, in(itemA, "KGM", "2", "20")))
	wantReason(t, err, ledger.ReasonUnavailable)
	var le *ledger.Error
	if !errors.As(err, &le) || le.Kind != ledger.KindUnavailable {
		t.Fatalf("error %v is not marked retryable", err)
	}
	if n := journalCount(t, s); n != 0 {
		t.Fatalf("a write that never committed left %d journals", n)
	}
	if f.hits.Load() != 3 {
		t.Fatalf("%d attempts, want 3", f.hits.Load())
	}
}

func TestEngineIsDetectedNeverAssumed(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want, wrong := pgstore.PostgreSQL, pgstore.CockroachDB
	if pgtest.IsCockroachDB() {
		want, wrong = wrong, want
	}
	if s.Engine() != want {
		t.Fatalf("engine %s, want %s", s.Engine(), want)
	}
	// Claiming the other engine is refused: CockroachDB's retry helper on
	// PostgreSQL would drop COMMIT errors.
	if other, err := pgstore.Open(ctx, url, pgstore.Options{Engine: wrong}); err == nil {
		other.Close()
		t.Fatalf("opened a %s database as %s", want, wrong)
	}
}

// wantBookSeqs checks that the n journals of book are numbered 1..n in the
// book (book_seq) in the order of their IDs.
func wantBookSeqs(t *testing.T, s *pgstore.Store, book string, n int) {
	t.Helper()
	rows, err := s.Pool().Query(context.Background(), `SELECT book_seq FROM ledger_journal_books WHERE book = $1 ORDER BY journal_id`, book)
	if err != nil {
		t.Fatal(err)
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := s.Pool().QueryRow(context.Background(), `SELECT value FROM ledger_book_seqs WHERE book = $1`, book).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if len(seqs) != n || last != int64(n) {
		t.Fatalf("book %s has %d journals, last number %d; want %d", book, len(seqs), last, n)
	}
	for i, q := range seqs {
		if q != int64(i+1) {
			t.Fatalf("book %s numbers its journals %v in ID order, want 1..%d", book, seqs, n)
		}
	}
}
