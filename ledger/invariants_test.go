package ledger_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// One test per invariant the in-memory engine (ledger.WorkingSet) enforces.
// Each one is refused with its kind, reason and field, and a refused journal
// changes nothing the store would write. The as-of invariant (no book
// account below zero at the end of any past day) and the effective-date
// range are in asof_test.go; all-or-nothing over postings, FIFO after a lot
// is refilled and partial pairs are in working_test.go.

// inv is a working set over two books, as a store would load it:
//
//	book B: accounts bonded, nonbonded; items B/1 (PCE, 0 places) and B/2
//	        (KGM, 3 places); lot L1 of B/1 holds 10 PCE worth 100.00 in bonded
//	book C: account bonded; item C/1 (PCE)
//	world:  abroad, domestic
//
// Every book pair is loaded whole, with no per-day totals after invStored.
type inv struct {
	t  *testing.T
	ws *ledger.WorkingSet
}

var (
	invStored = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // the day lot L1 entered
	invDay    = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

	bB1, bB2, cC1    = ledger.ItemRef{Book: "B", Code: "1"}, ledger.ItemRef{Book: "B", Code: "2"}, ledger.ItemRef{Book: "C", Code: "1"}
	bBonded, bNonb   = ledger.In("B", "bonded"), ledger.In("B", "nonbonded")
	cBonded          = ledger.In("C", "bonded")
	wAbroad, wDomest = ledger.World("abroad"), ledger.World("domestic")
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// newInv builds the working set; closedC is book C's ClosedThrough.
func newInv(t *testing.T, closedB, closedC time.Time) *inv {
	t.Helper()
	ws := ledger.NewWorkingSet(100, 0)
	ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded", "nonbonded"}, ClosedThrough: closedB})
	ws.AddBook(ledger.Book{ID: "C", Accounts: []string{"bonded"}, ClosedThrough: closedC})
	ws.AddWorldAccount("abroad")
	ws.AddWorldAccount("domestic")
	ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE", Scale: 0})
	ws.AddItem(ledger.Item{Book: "B", Code: "2", Unit: "KGM", Scale: 3})
	ws.AddItem(ledger.Item{Book: "C", Code: "1", Unit: "PCE", Scale: 0})
	ws.AddLot(ledger.Lot{Item: bB1, Key: "L1", EntryDate: invStored, JournalID: 1})
	for _, p := range []ledger.PairKey{{bBonded, bB1}, {bBonded, bB2}, {bNonb, bB1}, {bNonb, bB2}, {cBonded, cC1}} {
		var lots map[string]ledger.Amount
		if p == (ledger.PairKey{Account: bBonded, Item: bB1}) {
			lots = map[string]ledger.Amount{"L1": {Quantity: d("10"), Value: d("100.00")}}
		}
		ws.LoadPair(p, lots)
		ws.LoadDaysAfter(p, ledger.DaysAfter{After: invStored})
	}
	return &inv{t: t, ws: ws}
}

// in is a posting of n of item from a world account into a book account.
func in(item ledger.ItemRef, from, to ledger.AccountRef, n, value string) ledger.Posting {
	return ledger.Posting{Item: item, From: from, To: to, Quantity: d(n), Value: d(value), Unit: unitOf(item)}
}

// mv is a posting of n of item out of a book account, at its carrying value.
func mv(item ledger.ItemRef, from, to ledger.AccountRef, n string) ledger.Posting {
	return ledger.Posting{Item: item, From: from, To: to, Quantity: d(n), Unit: unitOf(item)}
}

func unitOf(item ledger.ItemRef) string {
	if item == bB2 {
		return "KGM"
	}
	return "PCE"
}

func (v *inv) req(key string, ps ...ledger.Posting) ledger.JournalRequest {
	return ledger.JournalRequest{Book: "B", IdempotencyKey: key, EffectiveDate: invDay, Postings: ps}
}

// ok applies a request that must be accepted.
func (v *inv) ok(r ledger.JournalRequest) ledger.Journal {
	v.t.Helper()
	j, err := v.ws.Apply(r)
	if err != nil {
		v.t.Fatalf("journal %s: %v", r.IdempotencyKey, err)
	}
	return j
}

// state renders everything a store would write after the batch, and the
// balances of the loaded holdings, so that a refused journal can be shown
// to have changed none of it.
func (v *inv) state() string {
	var b strings.Builder
	fmt.Fprintf(&b, "next %d accepted %d\n", v.ws.NextID(), len(v.ws.Accepted()))
	var lines []string
	for k, a := range v.ws.Deltas() {
		lines = append(lines, fmt.Sprintf("delta %v %s %s", k, a.Quantity, a.Value))
	}
	slices.Sort(lines)
	b.WriteString(strings.Join(lines, "\n"))
	for _, t := range v.ws.DayDeltas() {
		fmt.Fprintf(&b, "\nday %v %v %s %s %s %s %s", t.Account, t.Item, ledger.FormatDate(t.Day), t.QuantityIn, t.QuantityOut, t.ValueIn, t.ValueOut)
	}
	for _, l := range v.ws.NewLots() {
		fmt.Fprintf(&b, "\nlot %v %s", l.Item, l.Key)
	}
	fmt.Fprintf(&b, "\nL1 %v", v.ws.Balance(ledger.HoldingKey{Account: bBonded, Item: bB1, Lot: "L1"}))
	return b.String()
}

// refused applies r, which must be refused with kind, reason and field and
// change nothing.
func (v *inv) refused(r ledger.JournalRequest, kind ledger.Kind, reason, field string) *ledger.Error {
	v.t.Helper()
	before := v.state()
	j, err := v.ws.Apply(r)
	le := ledger.AsError(err)
	if le == nil || le.Kind != kind || le.Reason != reason || le.Field != field {
		v.t.Fatalf("journal %s: got %+v, %v; want kind %v, reason %s, field %s", r.IdempotencyKey, j, err, kind, reason, field)
	}
	if after := v.state(); after != before {
		v.t.Fatalf("journal %s was refused (%v) but changed the working set:\nbefore:\n%s\nafter:\n%s", r.IdempotencyKey, err, before, after)
	}
	return le
}

// A book account never holds less than nothing: a take of more than the
// account holds, in one posting, over two postings of one journal or from
// a named lot, is refused as INSUFFICIENT_QUANTITY on the posting that
// runs short; taking exactly what is there is accepted.
func TestInvariantBookAccountNeverBelowZero(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	le := v.refused(v.req("k1", mv(bB1, bBonded, wDomest, "11")), ledger.KindFailedPrecondition, ledger.ReasonInsufficient, "postings[0].quantity")
	if !strings.Contains(le.Message, "holds 10") {
		t.Errorf("message %q does not say what the account holds", le.Message)
	}
	v.refused(v.req("k2", mv(bB1, bBonded, wDomest, "6"), mv(bB1, bBonded, bNonb, "5")), ledger.KindFailedPrecondition, ledger.ReasonInsufficient, "postings[1].quantity")
	named := mv(bB1, bBonded, wDomest, "11")
	named.Lot = "L1"
	v.refused(v.req("k3", named), ledger.KindFailedPrecondition, ledger.ReasonInsufficient, "postings[0].quantity")
	// Goods moved to nonbonded in this batch can leave from there, no more.
	v.ok(v.req("k4", mv(bB1, bBonded, bNonb, "4")))
	v.refused(v.req("k5", mv(bB1, bNonb, wDomest, "5")), ledger.KindFailedPrecondition, ledger.ReasonInsufficient, "postings[0].quantity")
	v.ok(v.req("k6", mv(bB1, bNonb, wDomest, "4"), mv(bB1, bBonded, wDomest, "6")))
	if got := v.ws.Balance(ledger.HoldingKey{Account: bBonded, Item: bB1, Lot: "L1"}); !got.Quantity.IsZero() || !got.Value.IsZero() {
		t.Fatalf("lot L1 holds %v after everything left, want 0 worth 0", got)
	}
}

// Each item sums to zero over all accounts: world accounts carry the other
// side of every posting, in quantity and in value, also when a take splits
// a lot's value and rounds it to the fen.
func TestInvariantEachItemSumsToZeroAcrossAccounts(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	v.ok(v.req("in", in(bB2, wAbroad, bBonded, "3.000", "100.00"), in(bB1, wAbroad, bBonded, "2", "30.00")))
	v.ok(v.req("move", mv(bB2, bBonded, bNonb, "1"), mv(bB1, bBonded, bNonb, "11")))
	v.ok(v.req("out", mv(bB2, bNonb, wDomest, "0.5"), mv(bB1, bNonb, wDomest, "3")))
	sum := map[ledger.ItemRef]ledger.Amount{}
	touched := map[ledger.ItemRef]map[bool]bool{}
	for k, a := range v.ws.Deltas() {
		s := sum[k.Item]
		sum[k.Item] = ledger.Amount{Quantity: s.Quantity.Add(a.Quantity), Value: s.Value.Add(a.Value)}
		if touched[k.Item] == nil {
			touched[k.Item] = map[bool]bool{}
		}
		touched[k.Item][k.Account.IsWorld()] = true
	}
	for _, item := range []ledger.ItemRef{bB1, bB2} {
		if s := sum[item]; !s.Quantity.IsZero() || !s.Value.IsZero() {
			t.Errorf("item %v: the net changes of all accounts sum to %s worth %s, want 0 worth 0", item, s.Quantity, s.Value)
		}
		if !touched[item][true] || !touched[item][false] {
			t.Errorf("item %v: deltas touch world accounts %v, book accounts %v; want both", item, touched[item][true], touched[item][false])
		}
	}
	// Per day too: what came in equals what went out, over all accounts.
	var qIn, qOut, vIn, vOut decimal.Decimal
	for _, dt := range v.ws.DayDeltas() {
		qIn, qOut, vIn, vOut = qIn.Add(dt.QuantityIn), qOut.Add(dt.QuantityOut), vIn.Add(dt.ValueIn), vOut.Add(dt.ValueOut)
	}
	if !qIn.Equal(qOut) || !vIn.Equal(vOut) {
		t.Errorf("day totals: in %s worth %s, out %s worth %s; want equal", qIn, vIn, qOut, vOut)
	}
}

// A journal is all or nothing: when a later posting is refused, an earlier
// inbound posting of the same journal leaves no lot, no balance, no day
// total and no journal number behind.
func TestInvariantJournalIsAllOrNothing(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	v.refused(v.req("k1", in(bB1, wAbroad, bBonded, "5", "50.00"), mv(bB1, bBonded, bNonb, "4"), mv(bB1, bBonded, wDomest, "12")),
		ledger.KindFailedPrecondition, ledger.ReasonInsufficient, "postings[2].quantity")
	v.refused(v.req("k2", in(bB1, wAbroad, bBonded, "5", "50.00"), mv(ledger.ItemRef{Book: "B", Code: "nope"}, bBonded, bNonb, "1")),
		ledger.KindNotFound, ledger.ReasonUnknownItem, "postings[1].item_code")
	// The next accepted journal gets the number the refused ones did not use.
	if j := v.ok(v.req("k3", in(bB1, wAbroad, bBonded, "5", "50.00"))); j.ID != 100 || j.Postings[0].Legs[0].Lot != "J100-1" {
		t.Fatalf("journal after two refusals: id %d, lot %s; want 100, J100-1", j.ID, j.Postings[0].Legs[0].Lot)
	}
}

// An item is counted in one unit and to its number of decimal places.
func TestInvariantUnitAndDecimalPlaces(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	p := in(bB1, wAbroad, bBonded, "1", "1.00")
	p.Unit = "KGM"
	le := v.refused(v.req("unit", in(bB2, wAbroad, bBonded, "1", "1.00"), p), ledger.KindInvalid, ledger.ReasonUnitMismatch, "postings[1].unit")
	if !strings.Contains(le.Message, `"PCE"`) {
		t.Errorf("message %q does not name the item's unit", le.Message)
	}
	v.refused(v.req("pce", in(bB1, wAbroad, bBonded, "1.5", "1.00")), ledger.KindInvalid, ledger.ReasonTooManyDecimals, "postings[0].quantity")
	v.refused(v.req("kgm", in(bB2, wAbroad, bBonded, "1.1255", "1.00")), ledger.KindInvalid, ledger.ReasonTooManyDecimals, "postings[0].quantity")
	v.refused(v.req("out", mv(bB1, bBonded, wDomest, "0.1")), ledger.KindInvalid, ledger.ReasonTooManyDecimals, "postings[0].quantity")
	v.ok(v.req("ok", in(bB2, wAbroad, bBonded, "1.125", "1.00"), in(bB1, wAbroad, bBonded, "1.000", "1.00")))
}

// A journal names only books, items, accounts and lots that exist, and an
// account of the item's own book.
func TestInvariantUnknownNamesAreRefused(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	r := v.req("book", in(bB1, wAbroad, bBonded, "1", "1.00"))
	r.Book = "X"
	v.refused(r, ledger.KindNotFound, ledger.ReasonUnknownBook, "book_id")
	v.refused(v.req("item", in(ledger.ItemRef{Book: "B", Code: "9"}, wAbroad, bBonded, "1", "1.00")), ledger.KindNotFound, ledger.ReasonUnknownItem, "postings[0].item_code")
	v.refused(v.req("to", in(bB1, wAbroad, ledger.In("B", "repaired"), "1", "1.00")), ledger.KindNotFound, ledger.ReasonUnknownAccount, "postings[0].to")
	v.refused(v.req("from", in(bB1, ledger.World("mars"), bBonded, "1", "1.00")), ledger.KindNotFound, ledger.ReasonUnknownAccount, "postings[0].from")
	lot := mv(bB1, bBonded, wDomest, "1")
	lot.Lot = "L7"
	v.refused(v.req("lot", lot), ledger.KindNotFound, ledger.ReasonUnknownLot, "postings[0].lot")
	// Book C's account exists, but item B/1 is counted in book B.
	v.refused(v.req("other", mv(bB1, bBonded, cBonded, "1")), ledger.KindInvalid, ledger.ReasonInvalidArgument, "postings[0].to")
}

// A journal is reversed at most once, on the book it was filed on, and a
// reversal is never itself reversed; the reversal brings goods back into
// the lots they left, at the values they left with.
func TestInvariantReversalOnlyOnce(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	orig := v.ok(v.req("out", mv(bB1, bBonded, wDomest, "3")))
	rev := func(key, book string) ledger.ReverseRequest {
		return ledger.ReverseRequest{Book: book, JournalID: orig.ID, IdempotencyKey: key, EffectiveDate: invDay}
	}
	if _, err := v.ws.Reverse(rev("r-c", "C"), orig); ledger.ReasonOf(err) != ledger.ReasonInvalidArgument || ledger.AsError(err).Field != "book_id" {
		t.Fatalf("reversal filed on another book: %v, want INVALID_ARGUMENT on book_id", err)
	}
	r, err := v.ws.Reverse(rev("r1", "B"), orig)
	if err != nil || r.ReversalOf != orig.ID || r.Postings[0].Legs[0].Lot != "L1" || !r.Postings[0].Value.Equal(d("30")) {
		t.Fatalf("first reversal: %+v, %v; want 3 back into lot L1 worth 30", r, err)
	}
	if got := v.ws.Balance(ledger.HoldingKey{Account: bBonded, Item: bB1, Lot: "L1"}); !got.Quantity.Equal(d("10")) || !got.Value.Equal(d("100")) {
		t.Fatalf("lot L1 after the reversal: %v, want 10 worth 100", got)
	}
	before := v.state()
	for name, c := range map[string]struct {
		key  string
		orig ledger.Journal
		kind ledger.Kind
		want string
	}{
		"again":            {"r2", orig, ledger.KindFailedPrecondition, ledger.ReasonAlreadyReversed},
		"the reversal too": {"r3", r, ledger.KindFailedPrecondition, ledger.ReasonInvalidArgument},
	} {
		req := rev(c.key, "B")
		req.JournalID = c.orig.ID
		_, err := v.ws.Reverse(req, c.orig)
		if le := ledger.AsError(err); le == nil || le.Kind != c.kind || le.Reason != c.want || le.Field != "journal_id" {
			t.Errorf("reversing %s: %v, want %s on journal_id", name, err, c.want)
		}
	}
	if after := v.state(); after != before {
		t.Fatalf("refused reversals changed the working set:\n%s\n%s", before, after)
	}
	// Reversed in an earlier batch: the store says so with MarkReversed.
	stored := ledger.Journal{ID: 7, Book: "B", EffectiveDate: invStored, Postings: []ledger.Posting{{Item: bB1, From: wAbroad, To: bBonded, Quantity: d("1"), Unit: "PCE", Value: d("10"),
		Legs: []ledger.Leg{{Lot: "L1", Quantity: d("1"), Value: d("10")}}}}}
	v.ws.MarkReversed(7, 8)
	if _, err := v.ws.Reverse(ledger.ReverseRequest{Book: "B", JournalID: 7, IdempotencyKey: "r7", EffectiveDate: invDay}, stored); ledger.ReasonOf(err) != ledger.ReasonAlreadyReversed {
		t.Fatalf("reversing a journal the store reports reversed: %v, want ALREADY_REVERSED", err)
	}
}

// An idempotency key names one request within its book: the same request
// again returns the original journal (stored or of this batch) and changes
// nothing; another request under the key is refused as a conflict; the key
// is free in another book.
func TestInvariantIdempotencyKey(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	first := v.req("k", in(bB1, wAbroad, bBonded, "1", "1.00"))
	orig := v.ok(first)
	before := v.state()
	again := v.ok(first)
	if !again.Replayed || again.ID != orig.ID || string(again.Hash) != string(orig.Hash) {
		t.Fatalf("replay: id %d replayed %v, want id %d replayed", again.ID, again.Replayed, orig.ID)
	}
	if after := v.state(); after != before {
		t.Fatalf("a replay changed the working set:\n%s\n%s", before, after)
	}
	le := v.refused(v.req("k", in(bB1, wAbroad, bBonded, "2", "1.00")), ledger.KindConflict, ledger.ReasonIdempotencyMismatch, "idempotency_key")
	if !strings.Contains(le.Message, "new key") {
		t.Errorf("message %q does not tell the caller to use a new key", le.Message)
	}
	rev := ledger.ReverseRequest{Book: "B", JournalID: orig.ID, IdempotencyKey: "k", EffectiveDate: invDay}
	if _, err := v.ws.Reverse(rev, orig); ledger.ReasonOf(err) != ledger.ReasonIdempotencyMismatch {
		t.Fatalf("a reversal under a journal's key: %v, want IDEMPOTENCY_KEY_REUSED", err)
	}
	inC := ledger.JournalRequest{Book: "C", IdempotencyKey: "k", EffectiveDate: invDay, Postings: []ledger.Posting{in(cC1, wAbroad, cBonded, "1", "1.00")}}
	if j := v.ok(inC); j.Replayed {
		t.Fatalf("key k in book C replayed book B's journal %d", j.ID)
	}

	// A journal stored by an earlier batch.
	w := newInv(t, time.Time{}, time.Time{})
	stored := ledger.Journal{ID: 42, Book: "B", IdempotencyKey: "k"}
	w.ws.AddExisting(stored, ledger.RequestHash(first))
	if j := w.ok(first); !j.Replayed || j.ID != 42 {
		t.Fatalf("replay of a stored journal: id %d replayed %v, want 42 replayed", j.ID, j.Replayed)
	}
	w.refused(w.req("k", in(bB1, wAbroad, bBonded, "2", "1.00")), ledger.KindConflict, ledger.ReasonIdempotencyMismatch, "idempotency_key")
}

// A journal dated on or before the last day of a closed period of any book
// it touches is refused as PERIOD_CLOSED; the day after is open.
func TestInvariantClosedPeriodIsSealed(t *testing.T) {
	v := newInv(t, invDay, time.Time{})
	v.refused(v.req("b", in(bB1, wAbroad, bBonded, "1", "1.00")), ledger.KindFailedPrecondition, ledger.ReasonPeriodClosed, "effective_date")
	r := v.req("b-next", in(bB1, wAbroad, bBonded, "1", "1.00"))
	r.EffectiveDate = invDay.AddDate(0, 0, 1)
	v.ok(r)

	// Filed on open book B, but it moves goods of book C, closed.
	w := newInv(t, time.Time{}, invDay)
	le := w.refused(w.req("c", in(cC1, wAbroad, cBonded, "1", "1.00")), ledger.KindFailedPrecondition, ledger.ReasonPeriodClosed, "effective_date")
	if !strings.Contains(le.Message, `"C"`) {
		t.Errorf("message %q does not name the closed book", le.Message)
	}
}

// Values: a caller states the value of goods entering a book from the
// world only (not negative, to the fen); goods leaving a book account move
// at their lots' carrying value, a part of a lot at its share rounded to
// the fen.
func TestInvariantValueRules(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	p := mv(bB1, bBonded, wDomest, "1")
	p.Value = d("5.00")
	v.refused(v.req("stated", p), ledger.KindInvalid, ledger.ReasonInvalidArgument, "postings[0].value")
	v.refused(v.req("neg", in(bB1, wAbroad, bBonded, "1", "-1.00")), ledger.KindInvalid, ledger.ReasonNegativeValue, "postings[0].value")
	v.refused(v.req("fen", in(bB1, wAbroad, bBonded, "1", "1.005")), ledger.KindInvalid, ledger.ReasonTooManyDecimals, "postings[0].value")

	j := v.ok(v.req("three", in(bB2, wAbroad, bBonded, "3", "100.00")))
	lot := j.Postings[0].Legs[0].Lot
	out := v.ok(v.req("third", mv(bB2, bBonded, wDomest, "1")))
	if got := out.Postings[0]; !got.Value.Equal(d("33.33")) || len(got.Legs) != 1 || !got.Legs[0].Value.Equal(d("33.33")) {
		t.Fatalf("a third of a lot worth 100.00 left at %s (legs %+v), want 33.33", got.Value, got.Legs)
	}
	if left := v.ws.Balance(ledger.HoldingKey{Account: bBonded, Item: bB2, Lot: lot}); !left.Quantity.Equal(d("2")) || !left.Value.Equal(d("66.67")) {
		t.Fatalf("lot %s keeps %v, want 2 worth 66.67", lot, left)
	}
	if got := v.ok(v.req("rest", mv(bB2, bBonded, wDomest, "2"))).Postings[0].Value; !got.Equal(d("66.67")) {
		t.Fatalf("the rest of the lot left at %s, want 66.67 (its carrying value)", got)
	}
}

// A take without a lot takes the oldest lots first: by entry date, then
// the journal that made the lot, then its key; a take that names a lot
// takes that lot only.
func TestInvariantLotsFirstInFirstOut(t *testing.T) {
	ws := ledger.NewWorkingSet(100, 0)
	ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
	ws.AddWorldAccount("domestic")
	ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE"})
	day1, day2 := invStored, invStored.AddDate(0, 0, 1)
	// Loaded in an order that is none of the orders checked.
	lots := []ledger.Lot{
		{Item: bB1, Key: "A", EntryDate: day2, JournalID: 1},
		{Item: bB1, Key: "B", EntryDate: day1, JournalID: 5},
		{Item: bB1, Key: "D", EntryDate: day1, JournalID: 3},
		{Item: bB1, Key: "C", EntryDate: day1, JournalID: 3},
		{Item: bB1, Key: "N", EntryDate: day1, JournalID: 2},
	}
	held := map[string]ledger.Amount{}
	for i, l := range lots {
		ws.AddLot(l)
		held[l.Key] = ledger.Amount{Quantity: d("1"), Value: decimal.NewFromInt(int64(10 * (i + 1)))}
	}
	pair := ledger.PairKey{Account: bBonded, Item: bB1}
	ws.LoadPair(pair, held)
	ws.LoadDaysAfter(pair, ledger.DaysAfter{After: invStored})
	named := mv(bB1, bBonded, wDomest, "1")
	named.Lot = "B"
	j, err := ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: "named", EffectiveDate: invDay, Postings: []ledger.Posting{named}})
	if err != nil || len(j.Postings[0].Legs) != 1 || j.Postings[0].Legs[0].Lot != "B" {
		t.Fatalf("take of lot B by name: %+v, %v", j, err)
	}
	j, err = ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: "fifo", EffectiveDate: invDay, Postings: []ledger.Posting{mv(bB1, bBonded, wDomest, "4")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range j.Postings[0].Legs {
		got = append(got, l.Lot)
	}
	if want := []string{"N", "C", "D", "A"}; !slices.Equal(got, want) {
		t.Fatalf("a take of 4 took lots %v, want %v (entry date, then journal, then key)", got, want)
	}
}

// ValidateShape runs inside Apply: a request malformed on its own is
// refused before the working set is consulted, with the field at fault.
func TestInvariantApplyChecksTheRequestShape(t *testing.T) {
	v := newInv(t, time.Time{}, time.Time{})
	withLegs := in(bB1, wAbroad, bBonded, "1", "1.00")
	withLegs.Legs = []ledger.Leg{{Lot: "L1", Quantity: d("1")}}
	noUnit := in(bB1, wAbroad, bBonded, "1", "1.00")
	noUnit.Unit = ""
	for name, c := range map[string]struct {
		p             ledger.Posting
		reason, field string
	}{
		"zero quantity":  {in(bB1, wAbroad, bBonded, "0", "1.00"), ledger.ReasonNonPositiveQuantity, "postings[0].quantity"},
		"to itself":      {mv(bB1, bBonded, bBonded, "1"), ledger.ReasonInvalidArgument, "postings[0].to"},
		"world to world": {in(bB1, wAbroad, wDomest, "1", "1.00"), ledger.ReasonInvalidArgument, "postings[0]"},
		"legs given":     {withLegs, ledger.ReasonInvalidArgument, "postings[0].legs"},
		"no unit":        {noUnit, ledger.ReasonUnitMismatch, "postings[0].unit"},
	} {
		t.Run(name, func(t *testing.T) {
			v.t = t
			v.refused(v.req(name, c.p), ledger.KindInvalid, c.reason, c.field)
		})
	}
	v.t = t
	v.refused(v.req("none"), ledger.KindInvalid, ledger.ReasonInvalidArgument, "postings")
	v.refused(v.req("", in(bB1, wAbroad, bBonded, "1", "1.00")), ledger.KindInvalid, ledger.ReasonInvalidArgument, "idempotency_key")
}
