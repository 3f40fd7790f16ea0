package zone_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Taxable events are quoted per consignment (一票), so the 50-CNY duty
// de-minimis applies to the consignment's total, not to each line.

// dutiableGoods adds three lines to w.h1 whose sample-tariff duty on the
// values below is 30.00 each, and brings 10 of each into the zone:
//
//	3 microwave oven 8516500000, duty 8 %: 375.00 × 0.08 = 30.00
//	4 aluminium sheet 7606125000, duty 6 %: 500.00 × 0.06 = 30.00
//	5 power supply   8504409999, duty 5 %: 600.00 × 0.05 = 30.00
func dutiableGoods(w *world) {
	w.t.Helper()
	_, err := w.svc.AddBookLines(w.ctx, w.e1, w.h1, []zone.BookLine{
		{Seq: 3, HSCode: "8516500000", Name: "microwave oven", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished},
		{Seq: 4, HSCode: "7606125000", Name: "aluminium sheet", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished},
		{Seq: 5, HSCode: "8504409999", Name: "power supply", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished},
	})
	w.must(err)
	in := w.file(w.e1, zone.List{InnerNo: "IN-D", Book: w.h1, IO: codes.In, TradeMode: "5034", Country: "USA", Lines: []zone.ListLine{
		{BookSeq: 3, Quantity: d("10"), Total: d("3750"), GrossWeight: d("100"), NetWeight: d("90")},
		{BookSeq: 4, Quantity: d("10"), Total: d("5000"), GrossWeight: d("100"), NetWeight: d("90")},
		{BookSeq: 5, Quantity: d("10"), Total: d("6000"), GrossWeight: d("100"), NetWeight: d("90")},
	}})
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-D")
}

// threeSaleLines are one of each dutiable line, each owing 30.00 duty.
func threeSaleLines() []zone.ListLine {
	return []zone.ListLine{
		{BookSeq: 3, Quantity: d("1"), Total: d("375.00"), GrossWeight: d("10"), NetWeight: d("9")},
		{BookSeq: 4, Quantity: d("1"), Total: d("500.00"), GrossWeight: d("10"), NetWeight: d("9")},
		{BookSeq: 5, Quantity: d("1"), Total: d("600.00"), GrossWeight: d("10"), NetWeight: d("9")},
	}
}

// wantConsignment checks the events' duty, VAT and total: each line owes
// 30.00 duty (90.00 > 50: collected) and VAT 13 % on value + duty:
// (375 + 30) × 0.13 = 52.65, (500 + 30) × 0.13 = 68.90, (600 + 30) × 0.13 = 81.90.
func wantConsignment(t *testing.T, evs []zone.TaxableEvent) {
	t.Helper()
	if len(evs) != 3 {
		t.Fatalf("%d taxable events, want 3: %+v", len(evs), evs)
	}
	duty, total := decimal.Zero, decimal.Zero
	for i, vat := range []string{"52.65", "68.90", "81.90"} {
		ev := evs[i]
		if ev.AssessError != "" || len(ev.Waived) != 0 || !ev.Duty.Equal(d("30")) || !ev.VAT.Equal(d(vat)) {
			t.Errorf("event %d: duty %s VAT %s waived %v error %q; want duty 30.00, VAT %s", i, ev.Duty, ev.VAT, ev.Waived, ev.AssessError, vat)
		}
		duty, total = duty.Add(ev.Duty), total.Add(ev.Total)
	}
	if !duty.Equal(d("90")) || !total.Equal(d("293.45")) {
		t.Errorf("consignment duty %s total %s, want 90.00 and 293.45", duty, total)
	}
}

func TestListIsOneConsignmentForDeMinimis(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	sale := w.file(w.e1, zone.List{InnerNo: "DS-3", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: threeSaleLines()})
	w.drive(w.e1, sale, codes.PassSecondLine, "P-DS-3")
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	wantConsignment(t, evs)

	// One line alone owes 30.00 ≤ 50: waived, and the event says so.
	one := w.file(w.e1, zone.List{InnerNo: "DS-1", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: threeSaleLines()[:1]})
	w.drive(w.e1, one, codes.PassSecondLine, "P-DS-1")
	evs, err = w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, evs[2].ID, 0)
	w.must(err)
	if len(evs) != 1 || !evs[0].Duty.IsZero() || len(evs[0].Waived) != 1 || evs[0].Waived[0] != "DUTY" || !evs[0].VAT.Equal(d("52.65")) {
		t.Fatalf("a single 30.00 duty: %+v", evs)
	}

	// A consignment with a line the engine cannot tax (book line 2: no
	// tariff row) is not assessed at all, since its de-minimis cannot be
	// judged; each event says why, the line at fault first-hand.
	in := w.file(w.e1, entry(w.h1, "IN-2", 2, "10", "500"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-2")
	mixed := w.file(w.e1, zone.List{InnerNo: "DS-M", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: []zone.ListLine{threeSaleLines()[0], {BookSeq: 2, Quantity: d("1"), Total: d("50"), GrossWeight: d("1"), NetWeight: d("1")}}})
	last := evs[0].ID
	w.drive(w.e1, mixed, codes.PassSecondLine, "P-DS-M")
	evs, err = w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, last, 0)
	w.must(err)
	if len(evs) != 2 || !strings.Contains(evs[1].AssessError, "no tariff row for 3901100000") ||
		!strings.Contains(evs[0].AssessError, "book line 2 cannot be taxed") || !evs[0].Total.IsZero() {
		t.Fatalf("a consignment with an untaxable line: %+v", evs)
	}
}

func TestDisplaySaleIsOneConsignmentForDeMinimis(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	today := ledger.DayIn(time.Now(), zone.DefaultSettings().Location)
	f, err := w.svc.CreateForm(w.ctx, w.e1, zone.Form{InnerNo: "FC-1", Book: w.h1, Type: codes.FormDisplay, ValidFrom: today, ValidUntil: today.AddDate(0, 1, 0), Guarantee: d("1000")})
	w.must(err)
	var out, sold []zone.DisplayLine
	for _, l := range threeSaleLines() {
		out = append(out, zone.DisplayLine{BookSeq: l.BookSeq, Quantity: d("2")})
		sold = append(sold, zone.DisplayLine{BookSeq: l.BookSeq, Quantity: d("1"), Value: l.Total})
	}
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-OUT", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplayOut, Date: today, Lines: out})
	w.must(err)
	sale, err := w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-SALE", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplaySale, Date: today, Lines: sold})
	w.must(err)
	if !sale.Tax.Equal(d("293.45")) {
		t.Errorf("sale tax %s, want 293.45 (duty 90.00 + VAT 203.45)", sale.Tax)
	}
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	wantConsignment(t, evs)
}

func TestPartialShipmentsSumToTheLine(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	// 3 microwaves worth 100.00 leave on three vehicles, one each:
	//   100 × 1/3 = 33.333… → 33.33; 100 × 2/3 = 66.666… → 66.67
	//   parts: 33.33, 66.67 − 33.33 = 33.34, 100.00 − 66.67 = 33.33
	sale := w.file(w.e1, zone.List{InnerNo: "DS-P", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: []zone.ListLine{{BookSeq: 3, Quantity: d("3"), Total: d("100.00"), GrossWeight: d("30"), NetWeight: d("27")}}})
	passOnePerVehicle(t, w, sale.No, codes.PassSecondLine, codes.Out)
	l, err := w.svc.GetList(w.ctx, w.e1, sale.No)
	w.must(err)
	if l.Status != zone.ListCleared {
		t.Fatalf("list is %s after the last vehicle", l.Status)
	}
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 3 {
		t.Fatalf("%d taxable events, want 3", len(evs))
	}
	sum := decimal.Zero
	for i, want := range []string{"33.33", "33.34", "33.33"} {
		if !evs[i].DutiableValue.Equal(d(want)) || !evs[i].Quantity.Equal(d("1")) {
			t.Errorf("part %d: value %s quantity %s, want %s of 1", i+1, evs[i].DutiableValue, evs[i].Quantity, want)
		}
		sum = sum.Add(evs[i].DutiableValue)
	}
	if !sum.Equal(d("100")) {
		t.Errorf("parts sum to %s, want the line's 100.00", sum)
	}
}

func TestPartialEntrySumsToTheLine(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	// 3 units worth 100.00 enter on three vehicles, one each: the lot's
	// value is the line's 100.00 (33.33 + 33.34 + 33.33), not 3 × 33.33.
	in := w.file(w.e1, zone.List{InnerNo: "IN-P", Book: w.h1, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Total: d("100.00"), GrossWeight: d("30"), NetWeight: d("27")}}})
	passOnePerVehicle(t, w, in.No, codes.PassFirstLine, codes.In)
	w.wantStock(w.h1, 1, "3", "0", "0")
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.h1, Account: zone.AccountBonded, ByLot: true})
	w.must(err)
	lot := in.No + "-1"
	var found bool
	for _, h := range hs {
		if h.Lot != lot {
			continue
		}
		found = true
		if !h.Quantity.Equal(d("3")) || !h.Value.Equal(d("100")) {
			t.Errorf("lot %s: %s worth %s, want 3 worth the line's 100.00", lot, h.Quantity, h.Value)
		}
	}
	if !found {
		t.Fatalf("no bonded lot %s in %+v", lot, hs)
	}
}

// passOnePerVehicle passes one unit of the first line of list listNo
// through the gate on each of three vehicles (one list, many vehicles),
// each on a pass of type typ and direction io, and fails unless each
// vehicle passes.
func passOnePerVehicle(t *testing.T, w *world, listNo string, typ codes.PassType, io codes.IOFlag) {
	t.Helper()
	for _, v := range []string{"V1", "V2", "V3"} {
		ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: v, Book: w.h1, Type: typ, Bind: codes.BindOneListManyVehicles, IO: io,
			RelatedType: codes.RelatedList, RelatedNos: []string{listNo}, Vehicle: v, GrossWeight: d("10"), NetWeight: d("9"),
			Lines: []zone.PassLine{{ListSeq: 1, Quantity: d("1"), GrossWeight: d("10"), NetWeight: d("9")}}})
		w.must(err)
		ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: v + "-ev", Vehicle: v, ScaleGross: d("10")})
		w.must(err)
		if ps.Status != zone.PassPassed {
			t.Fatalf("vehicle %s: %s %v", v, ps.Status, ps.HoldReasons)
		}
	}
}

// TestTaxableEventRecordsItsTariff: every taxable event names the tariff it
// was assessed with, in the event and in its row, so events assessed with
// the illustrative sample tariff can be found.
func TestTaxableEventRecordsItsTariff(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	sale := w.file(w.e1, zone.List{InnerNo: "DS-T", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: threeSaleLines()})
	w.drive(w.e1, sale, codes.PassSecondLine, "P-DS-T")
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	wantConsignment(t, evs)
	for i, ev := range evs {
		if ev.Tariff != tax.SampleTariffName {
			t.Errorf("event %d: tariff %q, want %q", i, ev.Tariff, tax.SampleTariffName)
		}
	}
	var n int
	w.must(w.store.Pool().QueryRow(w.ctx, `SELECT count(*) FROM zone_taxable_events WHERE book = $1 AND tariff = $2`,
		w.h1, tax.SampleTariffName).Scan(&n))
	if n != len(evs) {
		t.Errorf("%d rows record the sample tariff, want %d", n, len(evs))
	}
}
