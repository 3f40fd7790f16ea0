package ledger_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

func TestWorkingSetAppliesAllOrNothing(t *testing.T) {
	day, _ := ledger.ParseDate("2026-01-05", "d")
	item := ledger.ItemRef{Book: "B", Code: "1"}
	bonded := ledger.In("B", "bonded")
	ws := ledger.NewWorkingSet(1)
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
