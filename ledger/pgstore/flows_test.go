package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// postFlows posts journals of several flows over three days, one of them
// reversed, and returns nothing: what a period shows is checked by the
// callers.
func postFlows(t *testing.T, s *pgstore.Store) {
	t.Helper()
	ctx := context.Background()
	first := req(day1, in(itemA, "KGM", "10", "100"))
	first.Document = ledger.Document{Type: "INVT", Number: "L1", TradeMode: "5034"}
	mustPost(t, s, first)
	sale := req(day2, move(itemA, "KGM", bonded, dom, "3"))
	sale.Document = ledger.Document{Type: "PASS", Number: "P1"}
	saleJ := mustPost(t, s, sale)
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, inspect, "2")))
	second := req(day3, ledger.Posting{Item: itemA, From: dom, To: bonded, Quantity: d("1"), Unit: "KGM", Value: d("20")})
	second.Document = ledger.Document{Type: "INVT", Number: "L2", TradeMode: "5000"}
	mustPost(t, s, second)
	if _, err := s.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: saleJ.ID, IdempotencyKey: key(), EffectiveDate: day3, Principal: "tester"}); err != nil {
		t.Fatal(err)
	}
}

// flowOf finds one flow of a period.
func flowOf(pt ledger.PeriodTotals, account ledger.AccountRef, counter ledger.AccountRef, docType string, reversal bool) (ledger.FlowTotal, bool) {
	for _, f := range pt.Flows {
		if f.Account == account && f.Counterpart == counter && f.Document.Type == docType && f.Reversal == reversal {
			return f, true
		}
	}
	return ledger.FlowTotal{}, false
}

// checkPeriodCloses checks that opening plus the flows' in less their out
// is each holding's balance as of the period's last day, exactly.
func checkPeriodCloses(t *testing.T, s *pgstore.Store, pt ledger.PeriodTotals, q ledger.PeriodQuery) {
	t.Helper()
	closing := map[ledger.PairKey][2]decimal.Decimal{}
	for _, h := range pt.Opening {
		closing[ledger.PairKey{Account: h.Account, Item: h.Item}] = [2]decimal.Decimal{h.Quantity, h.Value}
	}
	for _, f := range pt.Flows {
		k := ledger.PairKey{Account: f.Account, Item: f.Item}
		c, ok := closing[k]
		if !ok {
			t.Fatalf("flow %+v has no opening row", f)
		}
		closing[k] = [2]decimal.Decimal{c[0].Add(f.QuantityIn).Sub(f.QuantityOut), c[1].Add(f.ValueIn).Sub(f.ValueOut)}
	}
	hs, err := s.Balances(context.Background(), ledger.BalanceQuery{Book: q.Book, AsOf: &q.To})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		k := ledger.PairKey{Account: h.Account, Item: h.Item}
		c := closing[k]
		if !c[0].Equal(h.Quantity) || !c[1].Equal(h.Value) {
			t.Fatalf("%s %s: opening + in - out = %s worth %s, balance as of %s is %s worth %s", h.Account, h.Item, c[0], c[1], ledger.FormatDate(q.To), h.Quantity, h.Value)
		}
		delete(closing, k)
	}
	for k, c := range closing {
		if !c[0].IsZero() || !c[1].IsZero() {
			t.Fatalf("%s %s: the period closes at %s worth %s, but nothing is held as of %s", k.Account, k.Item, c[0], c[1], ledger.FormatDate(q.To))
		}
	}
}

func TestPeriodTotalsSplitMovementsByFlow(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	postFlows(t, s)
	q := ledger.PeriodQuery{Book: book, From: day2, To: day3}
	pt, err := s.PeriodTotals(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(pt.Opening) != 2 || pt.Opening[0].Account != bonded || !pt.Opening[0].Quantity.Equal(d("10")) || !pt.Opening[0].Value.Equal(d("100")) || pt.Opening[0].Unit != "KGM" {
		t.Fatalf("opening %+v, want bonded 10 KGM worth 100 and inspect 0", pt.Opening)
	}
	if pt.Opening[1].Account != inspect || !pt.Opening[1].Quantity.IsZero() {
		t.Fatalf("opening %+v, want a zero row for inspect, which moved in the period", pt.Opening)
	}
	for _, c := range []struct {
		account, counter ledger.AccountRef
		doc              string
		reversal         bool
		qin, qout        string
	}{
		{bonded, dom, "PASS", false, "0", "3"},
		{bonded, dom, "PASS", true, "3", "0"},
		{bonded, inspect, "", false, "0", "2"},
		{inspect, bonded, "", false, "2", "0"},
		{bonded, dom, "INVT", false, "1", "0"},
	} {
		f, ok := flowOf(pt, c.account, c.counter, c.doc, c.reversal)
		if !ok || !f.QuantityIn.Equal(d(c.qin)) || !f.QuantityOut.Equal(d(c.qout)) {
			t.Fatalf("flow %s<->%s %q reversal=%v: %+v (found %v), want in %s out %s", c.account, c.counter, c.doc, c.reversal, f, ok, c.qin, c.qout)
		}
	}
	if f, _ := flowOf(pt, bonded, dom, "INVT", false); f.Document.TradeMode != "5000" || !f.ValueIn.Equal(d("20")) {
		t.Fatalf("second-line in %+v, want trade mode 5000 worth 20", f)
	}
	if _, ok := flowOf(pt, bonded, abroad, "INVT", false); ok {
		t.Fatal("day 1's entry is before the period but shows as a flow")
	}
	checkPeriodCloses(t, s, pt, q)
	checkInvariants(t, s)
}

func TestPeriodTotalsRefuseAPeriodEndingBeforeItStarts(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	_, err := s.PeriodTotals(context.Background(), ledger.PeriodQuery{Book: book, From: day3, To: day2})
	wantReason(t, err, ledger.ReasonInvalidArgument)
	if e, ok := err.(*ledger.Error); !ok || e.Field != "to" {
		t.Fatalf("got %v, want field to", err)
	}
}

func TestMigrationFillsFlowTotalsFromPostings(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	postFlows(t, s)
	q := ledger.PeriodQuery{Book: book, From: day1, To: day3}
	before, err := s.PeriodTotals(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	url := s.Pool().Config().ConnString()
	s.Close()
	old, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	// The database as a server before the totals by flow left it: they
	// are filled from the postings (0033, 0035), then numbered by flow
	// (0040) and moved to the narrow tables (0042, 0044, 0046).
	for _, sql := range []string{`DROP TABLE ledger_flow_days`, `DROP TABLE ledger_flow_months`, `DROP TABLE ledger_flow_quarters`, `DROP TABLE ledger_flows`, `DROP SEQUENCE ledger_flow_ids`, `DELETE FROM schema_migrations WHERE component = 'ledger' AND version >= 32`} {
		if _, err := old.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	old.Close(ctx)
	s, err = pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := s.PeriodTotals(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Flows) != len(before.Flows) || len(after.Flows) == 0 {
		t.Fatalf("after the migration %d flows, before %d", len(after.Flows), len(before.Flows))
	}
	for _, f := range before.Flows {
		g, ok := flowOf(after, f.Account, f.Counterpart, f.Document.Type, f.Reversal)
		if !ok || !g.QuantityIn.Equal(f.QuantityIn) || !g.QuantityOut.Equal(f.QuantityOut) || !g.ValueIn.Equal(f.ValueIn) || !g.ValueOut.Equal(f.ValueOut) {
			t.Fatalf("flow %+v after the migration is %+v", f, g)
		}
	}
	checkPeriodCloses(t, s, after, q)
	checkInvariants(t, s)
}

func TestPeriodTotalsAcrossMonthsAgreeWithBalancesAsOf(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	// Journals on the first, middle and last days of three months, and
	// in the months of the next two quarters.
	for _, day := range []string{"2026-01-01", "2026-01-15", "2026-01-31", "2026-02-01", "2026-02-14", "2026-02-28", "2026-03-01", "2026-03-10", "2026-03-31",
		"2026-04-01", "2026-05-20", "2026-06-30", "2026-07-01", "2026-08-31", "2026-09-15"} {
		mustPost(t, s, req(date(day), in(itemA, "KGM", "10.125", "100.50")))
		mustPost(t, s, req(date(day), move(itemA, "KGM", bonded, dom, "3")))
		mustPost(t, s, req(date(day), move(itemA, "KGM", bonded, inspect, "1.5")))
	}
	for _, p := range [][2]string{
		{"2026-01-01", "2026-03-31"}, {"2026-01-15", "2026-03-10"}, {"2026-02-01", "2026-02-28"}, {"2026-01-31", "2026-02-01"},
		{"2026-02-14", "2026-02-14"}, {"2026-01-02", "2026-02-28"}, {"2026-02-01", "2026-03-30"}, {"2025-12-01", "2026-04-30"},
		{"2025-12-01", "2026-09-30"}, {"2026-02-01", "2026-08-31"}, {"2026-04-01", "2026-06-30"}, {"2026-03-31", "2026-07-01"},
		{"2026-01-15", "2026-09-15"}, {"2026-03-01", "2026-09-30"}, {"2026-01-01", "2026-12-31"},
		// Months covered mostly (read whole, less the days outside) and
		// openings late in a month (its whole month less the days from on).
		{"2026-01-02", "2026-03-31"}, {"2026-01-02", "2026-01-30"}, {"2026-02-28", "2026-08-30"}, {"2026-01-16", "2026-06-29"},
		{"2026-03-30", "2026-03-31"}, {"2026-06-30", "2026-09-14"}, {"2026-02-02", "2026-02-27"},
	} {
		q := ledger.PeriodQuery{Book: book, From: date(p[0]), To: date(p[1])}
		pt, err := s.PeriodTotals(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		checkPeriodCloses(t, s, pt, q)
		var opening decimal.Decimal
		for _, h := range pt.Opening {
			opening = opening.Add(h.Quantity)
		}
		asOf := q.From.AddDate(0, 0, -1)
		hs, err := s.Balances(ctx, ledger.BalanceQuery{Book: book, AsOf: &asOf})
		if err != nil {
			t.Fatal(err)
		}
		var want decimal.Decimal
		for _, h := range hs {
			want = want.Add(h.Quantity)
		}
		if !opening.Equal(want) {
			t.Fatalf("period %v: opening %s, the book held %s the day before", p, opening, want)
		}
	}
	checkInvariants(t, s)
}
