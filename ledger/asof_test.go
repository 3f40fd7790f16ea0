package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// asOfBook is a working set over book B with item 1 (KGM) in bonded and
// the world account abroad; the pair's stored state is given.
type asOfBook struct {
	t      *testing.T
	ws     *ledger.WorkingSet
	item   ledger.ItemRef
	bonded ledger.AccountRef
	n      int
}

func newAsOfBook(t *testing.T, after time.Time, stored ledger.DaysAfter, lots map[string]ledger.Amount) *asOfBook {
	b := &asOfBook{t: t, ws: ledger.NewWorkingSet(100, 0), item: ledger.ItemRef{Book: "B", Code: "1"}, bonded: ledger.In("B", "bonded")}
	b.ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
	b.ws.AddWorldAccount("abroad")
	b.ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "KGM", Scale: 3})
	pair := ledger.PairKey{Account: b.bonded, Item: b.item}
	for k := range lots {
		b.ws.AddLot(ledger.Lot{Item: b.item, Key: k, EntryDate: after, JournalID: 1})
	}
	b.ws.LoadPair(pair, lots)
	stored.After = after
	b.ws.LoadDaysAfter(pair, stored)
	return b
}

func (b *asOfBook) move(date string, in bool, q int64) (ledger.Journal, error) {
	b.t.Helper()
	day, err := ledger.ParseDate(date, "d")
	if err != nil {
		b.t.Fatal(err)
	}
	b.n++
	p := ledger.Posting{Item: b.item, From: b.bonded, To: ledger.World("abroad"), Quantity: decimal.NewFromInt(q), Unit: "KGM"}
	if in {
		p.From, p.To, p.Value = p.To, p.From, decimal.NewFromInt(10*q)
	}
	return b.ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: "k" + strings.Repeat("x", b.n), EffectiveDate: day, Postings: []ledger.Posting{p}})
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ledger.ParseDate(s, "d")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func kg(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

// Goods that arrived on the 10th (stored) cannot leave on the 5th: the
// account would hold -3 kg at the end of the 5th.
func TestWorkingSetRefusesBackDatedOutboundOfGoodsThatArrivedLater(t *testing.T) {
	b := newAsOfBook(t, mustDate(t, "2026-03-05"), ledger.DaysAfter{HasBalance: true, Balance: ledger.Amount{Quantity: kg(10), Value: kg(100)},
		Days: []ledger.DayTotal{{Day: mustDate(t, "2026-03-10"), QuantityIn: kg(10), ValueIn: kg(100)}}},
		map[string]ledger.Amount{"L": {Quantity: kg(10), Value: kg(100)}})
	_, err := b.move("2026-03-05", false, 3)
	le := ledger.AsError(err)
	if le == nil || le.Reason != ledger.ReasonInsufficient || le.Kind != ledger.KindFailedPrecondition || le.Field != "postings[0].quantity" ||
		!strings.Contains(le.Message, "-3") || !strings.Contains(le.Message, "end of 2026-03-05") {
		t.Fatalf("back-dated outbound gave %v, want INSUFFICIENT_QUANTITY on postings[0].quantity naming -3 at the end of 2026-03-05", err)
	}
	if len(b.ws.Accepted()) != 0 {
		t.Fatalf("a refused journal was accepted")
	}
	// Dated on the day the goods came, it passes.
	if _, err := b.move("2026-03-10", false, 3); err != nil {
		t.Fatalf("outbound on the arrival day: %v", err)
	}
}

// When the goods were there on every day from the journal's date on, a
// back-dated outbound passes, even with later movements stored.
func TestWorkingSetAcceptsBackDatedOutboundWhenStockExistedEveryDay(t *testing.T) {
	// 10 kg held since before the 5th; 4 in on the 10th, 6 out on the 12th: 8 now.
	b := newAsOfBook(t, mustDate(t, "2026-03-05"), ledger.DaysAfter{HasBalance: true, Balance: ledger.Amount{Quantity: kg(8), Value: kg(80)},
		Days: []ledger.DayTotal{
			{Day: mustDate(t, "2026-03-10"), QuantityIn: kg(4), ValueIn: kg(40)},
			{Day: mustDate(t, "2026-03-12"), QuantityOut: kg(6), ValueOut: kg(60)}}},
		map[string]ledger.Amount{"L": {Quantity: kg(8), Value: kg(80)}})
	// Balances: end of 5th 10, 10th 14, 12th 8. Taking 8 on the 5th leaves 2, 6, 0.
	if _, err := b.move("2026-03-05", false, 8); err != nil {
		t.Fatalf("outbound of stock held every day: %v", err)
	}
}

// The journals of one batch count for each other: an inbound dated the
// 10th earlier in the batch does not let a later journal take the goods on
// the 5th, and an outbound on the 12th followed by a back-dated one that
// would leave the 12th negative is refused, while the same batch's own
// earlier stock is taken when it was there.
func TestWorkingSetChecksAsOfAgainstEarlierJournalsOfTheBatch(t *testing.T) {
	b := newAsOfBook(t, mustDate(t, "2026-03-01"), ledger.DaysAfter{HasBalance: true}, nil)
	if _, err := b.move("2026-03-10", true, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := b.move("2026-03-05", false, 3); ledger.ReasonOf(err) != ledger.ReasonInsufficient || !strings.Contains(err.Error(), "end of 2026-03-05") {
		t.Fatalf("taking on the 5th goods that came in the batch on the 10th gave %v", err)
	}
	if _, err := b.move("2026-03-03", true, 5); err != nil { // 5 kg came on the 3rd
		t.Fatal(err)
	}
	if _, err := b.move("2026-03-12", false, 12); err != nil { // 15 held by the 12th
		t.Fatal(err)
	}
	if _, err := b.move("2026-03-15", true, 5); err != nil {
		t.Fatal(err)
	}
	// 8 kg now; end of 5th 5, 10th 15, 12th 3, 15th 8. Taking 4 on the 5th: 1, 11, -1, 4.
	_, err := b.move("2026-03-05", false, 4)
	if ledger.ReasonOf(err) != ledger.ReasonInsufficient || !strings.Contains(err.Error(), "-1") || !strings.Contains(err.Error(), "end of 2026-03-12") {
		t.Fatalf("got %v, want refused naming -1 at the end of 2026-03-12", err)
	}
	if _, err := b.move("2026-03-05", false, 3); err != nil {
		t.Fatalf("taking 3 on the 5th: %v", err)
	}
	if len(b.ws.Accepted()) != 5 {
		t.Fatalf("accepted %d journals, want 5", len(b.ws.Accepted()))
	}
}

// Reversing an inbound that later outbounds depended on is refused when the
// reversal is dated before them: the lot is still there (it was not the one
// taken), but the account would hold less than nothing on their days.
func TestWorkingSetRefusesReversalThatMakesAPastDayNegative(t *testing.T) {
	b := newAsOfBook(t, mustDate(t, "2026-03-01"), ledger.DaysAfter{HasBalance: true}, nil)
	in1, err := b.move("2026-03-02", true, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.move("2026-03-20", true, 10); err != nil {
		t.Fatal(err)
	}
	// 10 out on the 10th, naming the lot of the 20th: the 2nd's 10 kg cover it.
	day10 := mustDate(t, "2026-03-10")
	if _, err := b.ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: "named", EffectiveDate: day10, Postings: []ledger.Posting{
		{Item: b.item, From: b.bonded, To: ledger.World("abroad"), Quantity: kg(10), Unit: "KGM", Lot: "J101-1"}}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.ws.Reverse(ledger.ReverseRequest{Book: "B", JournalID: in1.ID, IdempotencyKey: "rev", EffectiveDate: mustDate(t, "2026-03-05")}, in1)
	if ledger.ReasonOf(err) != ledger.ReasonInsufficient || !strings.Contains(err.Error(), "end of 2026-03-10") {
		t.Fatalf("reversal dated the 5th gave %v, want refused at the end of 2026-03-10", err)
	}
	if _, err := b.ws.Reverse(ledger.ReverseRequest{Book: "B", JournalID: in1.ID, IdempotencyKey: "rev2", EffectiveDate: mustDate(t, "2026-03-20")}, in1); err != nil {
		t.Fatalf("reversal dated the 20th: %v", err)
	}
}

// Effective dates past the latest date the store sets, and before the
// ledger's earliest date, are refused with EFFECTIVE_DATE_OUT_OF_RANGE.
func TestWorkingSetRefusesEffectiveDatesOutOfRange(t *testing.T) {
	b := newAsOfBook(t, mustDate(t, "2026-03-01"), ledger.DaysAfter{HasBalance: true}, nil)
	b.ws.SetLatestDate(mustDate(t, "2026-03-31"))
	for date, want := range map[string]string{"2026-04-01": "after 2026-03-31", "9999-12-31": "after 2026-03-31", "1989-12-31": "before 1990-01-01", "0001-01-02": "before 1990-01-01"} {
		_, err := b.move(date, true, 1)
		le := ledger.AsError(err)
		if le == nil || le.Kind != ledger.KindInvalid || le.Reason != ledger.ReasonDateOutOfRange || le.Field != "effective_date" || !strings.Contains(le.Message, want) {
			t.Errorf("dated %s: %v, want EFFECTIVE_DATE_OUT_OF_RANGE on effective_date, %q", date, err, want)
		}
	}
	if _, err := b.move("2026-03-31", true, 1); err != nil {
		t.Fatalf("dated on the latest day: %v", err)
	}
}
