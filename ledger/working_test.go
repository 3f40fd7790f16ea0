package ledger_test

import (
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

func TestWorkingSetAppliesAllOrNothing(t *testing.T) {
	day, _ := ledger.ParseDate("2026-01-05", "d")
	item := ledger.ItemRef{Book: "B", Code: "1"}
	bonded := ledger.In("B", "bonded")
	ws := ledger.NewWorkingSet(1, 0)
	ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
	ws.AddWorldAccount("abroad")
	ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE", Scale: 0})
	ws.LoadPair(ledger.PairKey{Account: bonded, Item: item}, nil)
	in := ledger.JournalRequest{Book: "B", IdempotencyKey: "k1", EffectiveDate: day, Postings: []ledger.Posting{
		{Item: item, From: ledger.World("abroad"), To: bonded, Quantity: decimal.NewFromInt(5), Unit: "PCE", Value: decimal.NewFromInt(50)},
	}}
	if _, err := ws.Apply(in); err != nil {
		t.Fatal(err)
	}
	// Second posting fails: the first must not stick.
	bad := ledger.JournalRequest{Book: "B", IdempotencyKey: "k2", EffectiveDate: day, Postings: []ledger.Posting{
		{Item: item, From: bonded, To: ledger.World("abroad"), Quantity: decimal.NewFromInt(3), Unit: "PCE"},
		{Item: item, From: bonded, To: ledger.World("abroad"), Quantity: decimal.NewFromInt(3), Unit: "PCE"},
	}}
	if _, err := ws.Apply(bad); ledger.ReasonOf(err) != ledger.ReasonInsufficient {
		t.Fatalf("got %v, want insufficient", err)
	}
	if got := ws.Balance(ledger.HoldingKey{Account: bonded, Item: item, Lot: "J1-1"}); !got.Quantity.Equal(decimal.NewFromInt(5)) {
		t.Fatalf("balance %s after a refused journal, want 5", got.Quantity)
	}
	if len(ws.Accepted()) != 1 || ws.NextID() != 2 {
		t.Fatalf("accepted %d journals, next id %d", len(ws.Accepted()), ws.NextID())
	}
	// A replay inside the batch returns the same journal.
	j, err := ws.Apply(in)
	if err != nil || !j.Replayed || j.ID != 1 {
		t.Fatalf("replay gave %+v, %v", j, err)
	}
}

func TestPlaces(t *testing.T) {
	for s, want := range map[string]int32{"1": 0, "1.50": 1, "0.00001": 5, "10.000": 0, "-2.25": 2} {
		if got := ledger.Places(decimal.RequireFromString(s)); got != want {
			t.Errorf("Places(%s) = %d, want %d", s, got, want)
		}
	}
}

// The digests are stored (journals' hashes, sealed periods' chains): a
// change to how they are computed must be a deliberate, versioned one.
func TestHashesAreStable(t *testing.T) {
	day, _ := ledger.ParseDate("2026-01-05", "d")
	j := ledger.Journal{ID: -9223372036854775808, Book: "B", IdempotencyKey: "k", EffectiveDate: day, Metadata: map[string]string{"a": "b", "c": "d"},
		Document: ledger.Document{Type: "t", Number: "n"}, ReversalOf: 12345678901,
		Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: "B", Code: "中文"}, From: ledger.World("abroad"), To: ledger.In("B", "x"),
			Quantity: decimal.RequireFromString("1.500"), Value: decimal.RequireFromString("-3.25"), Unit: "PCE", LotAttributes: map[string]string{"z": "y"},
			Legs: []ledger.Leg{{Lot: "L", Quantity: decimal.RequireFromString("1.5"), Value: decimal.RequireFromString("0")}}}}}
	r := ledger.JournalRequest{Book: "B", IdempotencyKey: "k", EffectiveDate: day, Postings: j.Postings, Metadata: j.Metadata}
	for name, c := range map[string]struct {
		got  []byte
		want string
	}{
		"journal":  {j.ComputeHash(), "6d25ddf00fc04d8905a92a0e51fc5d0f63bc17947433e90a4e215548df5d409b"},
		"request":  {ledger.RequestHash(r), "c9f2819f957885dc2beb112de8786ec4b5d0bacdb500040ef79d024b2baffbae"},
		"reversal": {ledger.ReverseRequestHash(ledger.ReverseRequest{Book: "B", JournalID: 7, EffectiveDate: day, Reason: "r"}), "967bb3936be0b3ecabdeccb0c1ca6d647a1f9afa081e243b70cce5f495437fe2"},
		"period":   {ledger.PeriodDigest([]byte("prev"), "B", time.Time{}, day, [][]byte{[]byte("a"), []byte("bc")}), "de8925a3b9e79f6f1c3b27474ad245b0817fa44ea2756e1a4effb6b7c1036278"},
	} {
		if got := hex.EncodeToString(c.got); got != c.want {
			t.Errorf("%s digest %s, want %s", name, got, c.want)
		}
	}
}

// Lots emptied within a batch leave the pair's open lots, and a lot that is
// filled again (goods returned into the lot they left) is taken from first
// in first out order again.
func TestWorkingSetTakesOldestOpenLotsAfterEmptyingAndRefilling(t *testing.T) {
	day1, _ := ledger.ParseDate("2026-01-05", "d")
	day2, _ := ledger.ParseDate("2026-01-06", "d")
	item := ledger.ItemRef{Book: "B", Code: "1"}
	bonded, abroad := ledger.In("B", "bonded"), ledger.World("abroad")
	n := decimal.NewFromInt
	ws := ledger.NewWorkingSet(10, 4)
	ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
	ws.AddWorldAccount("abroad")
	ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE"})
	ws.AddLot(ledger.Lot{Item: item, Key: "A", EntryDate: day1, JournalID: 1})
	ws.LoadPair(ledger.PairKey{Account: bonded, Item: item}, map[string]ledger.Amount{"A": {Quantity: n(2), Value: n(20)}})
	ws.LoadDaysAfter(ledger.PairKey{Account: bonded, Item: item}, ledger.DaysAfter{After: day2})
	post := func(key string, p ledger.Posting) ledger.Journal {
		t.Helper()
		p.Item, p.Unit = item, "PCE"
		j, err := ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: key, EffectiveDate: day2, Postings: []ledger.Posting{p}})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return j
	}
	post("in", ledger.Posting{From: abroad, To: bonded, Quantity: n(3), Value: n(30)})
	if legs := post("out1", ledger.Posting{From: bonded, To: abroad, Quantity: n(2)}).Postings[0].Legs; len(legs) != 1 || legs[0].Lot != "A" {
		t.Fatalf("first outbound took %+v, want all of lot A", legs)
	}
	post("back", ledger.Posting{From: abroad, To: bonded, Quantity: n(1), Value: n(10), Lot: "A"})
	legs := post("out2", ledger.Posting{From: bonded, To: abroad, Quantity: n(2)}).Postings[0].Legs
	if len(legs) != 2 || legs[0].Lot != "A" || !legs[0].Quantity.Equal(n(1)) || legs[1].Lot != "J10-1" || !legs[1].Quantity.Equal(n(1)) {
		t.Fatalf("second outbound took %+v, want 1 from lot A (oldest, refilled) then 1 from J10-1", legs)
	}
	if got := ws.Balance(ledger.HoldingKey{Account: bonded, Item: item, Lot: "J10-1"}); !got.Quantity.Equal(n(2)) {
		t.Fatalf("J10-1 holds %s, want 2", got.Quantity)
	}
	if _, err := ws.Apply(ledger.JournalRequest{Book: "B", IdempotencyKey: "too-much", EffectiveDate: day2, Postings: []ledger.Posting{
		{Item: item, Unit: "PCE", From: bonded, To: abroad, Quantity: n(3)}}}); ledger.ReasonOf(err) != ledger.ReasonInsufficient {
		t.Fatalf("taking 3 of 2 gave %v, want insufficient", err)
	}
}

// A working set that holds only the oldest lots of a pair (LoadPairPart)
// takes from them in order, and when a take needs more it reports the pair
// as Short and refuses the journal as internal, never as insufficient: only
// a whole view can tell that stock is short.
func TestWorkingSetPartialPairIsNeverInsufficient(t *testing.T) {
	day, _ := ledger.ParseDate("2026-01-05", "d")
	item := ledger.ItemRef{Book: "B", Code: "1"}
	bonded := ledger.In("B", "bonded")
	pair := ledger.PairKey{Account: bonded, Item: item}
	lots := []ledger.Lot{
		{Item: item, Key: "L1", EntryDate: day, JournalID: 1},
		{Item: item, Key: "L2", EntryDate: day, JournalID: 2},
	}
	two := ledger.Amount{Quantity: decimal.NewFromInt(2), Value: decimal.NewFromInt(20)}
	build := func(whole bool) *ledger.WorkingSet {
		ws := ledger.NewWorkingSet(10, 0)
		ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
		ws.AddWorldAccount("abroad")
		ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE", Scale: 0})
		for _, l := range lots {
			ws.AddLot(l)
		}
		ws.AddLot(ledger.Lot{Item: item, Key: "L9", EntryDate: day, JournalID: 9})
		m := map[string]ledger.Amount{"L1": two, "L2": two}
		ws.LoadDaysAfter(pair, ledger.DaysAfter{After: day})
		if whole {
			ws.LoadPair(pair, m)
		} else {
			ws.LoadPairPart(pair, m, lots[1])
		}
		return ws
	}
	out := func(q int64, lot string) ledger.JournalRequest {
		return ledger.JournalRequest{Book: "B", IdempotencyKey: fmt.Sprint("k", q, lot), EffectiveDate: day, Postings: []ledger.Posting{
			{Item: item, From: bonded, To: ledger.World("abroad"), Quantity: decimal.NewFromInt(q), Unit: "PCE", Lot: lot},
		}}
	}

	ws := build(false)
	j, err := ws.Apply(out(3, ""))
	if err != nil || len(j.Postings[0].Legs) != 2 || j.Postings[0].Legs[1].Lot != "L2" {
		t.Fatalf("take of 3 from a partial pair: %+v, %v", j, err)
	}
	if _, err := ws.Apply(out(2, "")); err == nil || ledger.ReasonOf(err) == ledger.ReasonInsufficient || len(ws.Short()) != 1 || ws.Short()[0] != pair {
		t.Fatalf("take past the loaded lots: err %v, short %v; want an internal error and the pair short", err, ws.Short())
	}
	// A lot not loaded cannot be taken by name either, nor judged empty.
	if _, err := ws.Apply(out(1, "L9")); err == nil || ledger.ReasonOf(err) == ledger.ReasonInsufficient {
		t.Fatalf("take by name of a lot not loaded: %v, want an internal error", err)
	}

	ws = build(true)
	if _, err := ws.Apply(out(5, "")); ledger.ReasonOf(err) != ledger.ReasonInsufficient || len(ws.Short()) != 0 {
		t.Fatalf("take of 5 from a whole pair of 4: %v, short %v; want insufficient", err, ws.Short())
	}
	ws.LoadHolding(ledger.HoldingKey{Account: bonded, Item: item, Lot: "L9"}, ledger.Amount{}, false)
	if _, err := ws.Apply(out(1, "L9")); ledger.ReasonOf(err) != ledger.ReasonInsufficient {
		t.Fatalf("take by name from a lot looked up and absent: %v, want insufficient", err)
	}
}

// UseIDs: accepted journals take the given IDs in order, a refused one
// uses none, and a journal past the last ID is refused as internal.
func TestWorkingSetUsesGivenIDs(t *testing.T) {
	day, _ := ledger.ParseDate("2026-01-05", "d")
	item := ledger.ItemRef{Book: "B", Code: "1"}
	bonded := ledger.In("B", "bonded")
	ws := ledger.NewWorkingSet(1, 0)
	ws.UseIDs([]int64{40, 57})
	ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
	ws.AddWorldAccount("abroad")
	ws.AddItem(ledger.Item{Book: "B", Code: "1", Unit: "PCE", Scale: 0})
	ws.LoadPair(ledger.PairKey{Account: bonded, Item: item}, nil)
	in := func(key string, q int64) ledger.JournalRequest {
		return ledger.JournalRequest{Book: "B", IdempotencyKey: key, EffectiveDate: day, Postings: []ledger.Posting{
			{Item: item, From: ledger.World("abroad"), To: bonded, Quantity: decimal.NewFromInt(q), Unit: "PCE", Value: decimal.NewFromInt(q)},
		}}
	}
	if j, err := ws.Apply(in("k1", 1)); err != nil || j.ID != 40 || j.Postings[0].Legs[0].Lot != "J40-1" {
		t.Fatalf("first journal %d (lot %v), %v; want 40 with lot J40-1", j.ID, j.Postings, err)
	}
	if _, err := ws.Apply(in("k2", -1)); err == nil {
		t.Fatal("a negative quantity was accepted")
	}
	if j, err := ws.Apply(in("k3", 2)); err != nil || j.ID != 57 {
		t.Fatalf("third journal %d, %v; want 57 (the refused one takes no ID)", j.ID, err)
	}
	if _, err := ws.Apply(in("k4", 3)); ledger.ReasonOf(err) != ledger.ReasonInternal {
		t.Fatalf("a journal past the given IDs: %v, want an internal error", err)
	}
	if n := len(ws.Accepted()); n != 2 {
		t.Fatalf("%d journals accepted, want 2", n)
	}
}
