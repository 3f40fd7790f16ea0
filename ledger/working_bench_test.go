package ledger_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// BenchmarkWorkingSetBatch measures the in-memory part of the store's
// serial section for one batch of 40 spread-out journals (pgstore's
// BenchmarkPost/spread workload): load the working set, check and apply
// each journal, and read what the store writes. Reported per journal:
//
//	go test -run '^$' -bench WorkingSetBatch -benchmem ./ledger/
func BenchmarkWorkingSetBatch(b *testing.B) {
	const batch = 40
	day, _ := ledger.ParseDate("2026-01-05", "d")
	bonded := ledger.In("B", "bonded")
	abroad, dom := ledger.World("abroad"), ledger.World("domestic")
	one := decimal.NewFromInt(1)
	items := make([]ledger.Item, batch)
	reqs := make([]ledger.JournalRequest, batch)
	hashes := make([][]byte, batch)
	for i := range reqs {
		items[i] = ledger.Item{Book: "B", Code: fmt.Sprintf("SKU%04d", i), Unit: "PCE"}
		it := items[i].Ref()
		reqs[i] = ledger.JournalRequest{Book: "B", IdempotencyKey: fmt.Sprintf("bench-%d", i), EffectiveDate: day, Postings: []ledger.Posting{
			{Item: it, From: abroad, To: bonded, Quantity: one, Unit: "PCE", Value: one},
			{Item: it, From: bonded, To: dom, Quantity: one, Unit: "PCE"},
		}}
		hashes[i] = ledger.RequestHash(reqs[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ws := ledger.NewWorkingSet(1000, batch)
		ws.AddBook(ledger.Book{ID: "B", Accounts: []string{"bonded"}})
		ws.AddWorldAccount("abroad")
		ws.AddWorldAccount("domestic")
		for i := range items {
			ws.AddItem(items[i])
			ws.LoadPair(ledger.PairKey{Account: bonded, Item: items[i].Ref()}, nil)
			ws.LoadDaysAfter(ledger.PairKey{Account: bonded, Item: items[i].Ref()}, ledger.DaysAfter{After: day})
		}
		for i := range reqs {
			if _, err := ws.ApplyChecked(reqs[i], hashes[i]); err != nil {
				b.Fatal(err)
			}
		}
		for k := range ws.Deltas() {
			_ = ws.Balance(k)
		}
		_ = ws.NewLots()
		_ = ws.DayDeltas()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/journal")
}
