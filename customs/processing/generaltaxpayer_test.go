package processing

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// receiveOn brings qty of a line onto the book from abroad on a list dated
// on day, the vehicle passing that day: the lot's entry date.
func (w *world) receiveOn(seq int, qty, total string, on time.Time) {
	w.t.Helper()
	w.n++
	inner := "IN-ON-" + string(rune('a'+w.n))
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA", Date: on,
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d(total), GrossWeight: d("100"), NetWeight: d("90")}}})
	w.must(err)
	_, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	_, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10100"), At: on.Add(10 * time.Hour)})
	w.must(err)
}

// sell files, declares, approves and passes out a list of the book.
func (w *world) sell(l zone.List) (zone.List, error) {
	w.t.Helper()
	l, err := w.zone.CreateList(w.ctx, w.e1, l)
	if err != nil {
		return l, err
	}
	if l, err = w.zone.DeclareList(w.ctx, w.e1, l.No); err != nil {
		return l, err
	}
	_, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + l.InnerNo, Book: w.book, Type: codes.PassSecondLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: l.InnerNo + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return w.zone.GetList(w.ctx, w.e1, l.No)
}

// TestGeneralTaxpayerSale: an 一纳 enterprise sells finished goods on a
// 清单类型 9 list; the line takes the oldest lots of the bonded and
// non-bonded stock alike, the bonded part is taxed (duty, VAT, CT and
// 缓税利息 from the book's first import) on its share of the line's value,
// the non-bonded part leaves untaxed. A book customs has not recorded as
// 一纳 is refused the list type.
func TestGeneralTaxpayerSale(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	today := ledger.DayIn(time.Now(), w.zone.Settings().Location)
	first := today.AddDate(0, 0, -90)
	w.receiveOn(4, "10", "1000", first)
	w.receiveNonBonded(t, 4, "5")
	sale := func(inner string, qty, total, lot string) zone.List {
		return zone.List{InnerNo: inner, Book: w.book, IO: codes.Out, Type: codes.ListGeneralTaxpayerSale, TradeMode: "0110",
			Lines: []zone.ListLine{{BookSeq: 4, Quantity: d(qty), Total: d(total), Lot: lot, GrossWeight: d("10"), NetWeight: d("9")}}}
	}
	_, err := w.zone.CreateList(w.ctx, w.e1, sale("S-0", "12", "2400", ""))
	wantRefusal(t, err, zone.ReasonNotGeneralTaxpayer, "list_type")
	bad := sale("S-0", "12", "2400", "")
	bad.TradeMode = "5000"
	bad.IO = codes.In
	_, err = w.zone.CreateList(w.ctx, w.e1, bad)
	wantRefusal(t, err, ledger.ReasonInvalidArgument, "list_type")
	_, err = w.zone.SetGeneralTaxpayer(w.ctx, w.e1, w.book, true)
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	b, err := w.zone.SetGeneralTaxpayer(w.ctx, w.customs, w.book, true)
	w.must(err)
	if !b.GeneralTaxpayer {
		t.Fatalf("book %+v", b)
	}
	if s := w.stockLine(4); !s.Bonded.Equal(d("10")) || !s.NonBonded.Equal(d("5")) {
		t.Fatalf("before the sale: bonded %s, non-bonded %s", s.Bonded, s.NonBonded)
	}
	l, err := w.sell(sale("S-1", "12", "2400", ""))
	w.must(err)
	lots := l.Lines[0].Lots
	if len(lots) != 2 || lots[0].Bucket != "" || !lots[0].Quantity.Equal(d("10")) || lots[1].Bucket != zone.AccountNonBondedReserved || !lots[1].Quantity.Equal(d("2")) {
		t.Fatalf("lots taken %+v", lots)
	}
	if s := w.stockLine(4); !s.Bonded.IsZero() || !s.NonBonded.Equal(d("3")) {
		t.Fatalf("after the sale: bonded %s, non-bonded %s; want 0, 3", s.Bonded, s.NonBonded)
	}
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 {
		t.Fatalf("taxable events %+v, want one", evs)
	}
	ev := evs[0]
	// The bonded 10 of 12 carry 2,000 of the 2,400; the sample tariff has
	// 8471300000 at duty 0, VAT 13 % → 260.00; 缓税利息 for 90 days at
	// 0.35 %: 260 × 90 × 0.0035 / 360 = 0.2275 → 0.23.
	if !ev.GeneralTaxpayer || !ev.Quantity.Equal(d("10")) || !ev.DutiableValue.Equal(d("2000")) || !ev.VAT.Equal(d("260")) ||
		!ev.InterestFrom.Equal(first) || ev.InterestDays != 90 || !ev.Interest.Equal(d("0.23")) || !ev.Total.Equal(d("260.23")) || ev.AssessError != "" {
		t.Fatalf("event %+v", ev)
	}
	// Non-bonded goods named by their lot leave untaxed.
	nb := w.lotIn(4, zone.AccountNonBonded)
	_, err = w.sell(sale("S-2", "3", "600", nb))
	w.must(err)
	evs, err = w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 {
		t.Fatalf("non-bonded goods taxed: %+v", evs[1:])
	}
	if s := w.stockLine(4); !s.NonBonded.IsZero() {
		t.Fatalf("non-bonded left %s", s.NonBonded)
	}
}

// lotIn is the first lot of a line with goods in a bucket.
func (w *world) lotIn(seq int, account string) string {
	w.t.Helper()
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, Account: account, Item: fmt.Sprint(seq), ByLot: true})
	w.must(err)
	for _, h := range hs {
		if h.Quantity.IsPositive() {
			return h.Lot
		}
	}
	w.t.Fatalf("no lot of line %d in %s", seq, account)
	return ""
}
