package zone_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

func TestDisplayTradingUnderAGuarantee(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	today := ledger.DayIn(time.Now(), zone.DefaultSettings().Location)
	// The goods came in ten days ago: the display below leaves five days ago.
	e := entry(w.h1, "IN-1", 1, "20", "100000")
	e.Date = today.AddDate(0, 0, -10)
	in := w.file(w.e1, e)
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-1", Book: in.Book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: in.IO,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	w.must(err)
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "P-IN-1-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(in.GrossWeight),
		At: time.Now().AddDate(0, 0, -10)})
	if err != nil || ps.Status != zone.PassPassed {
		t.Fatalf("entry pass: %+v, %v", ps, err)
	}
	// Guarantee 2,000 CNY. Laptops (HS 8471300000): duty 0, VAT 13 %.
	f, err := w.svc.CreateForm(w.ctx, w.e1, zone.Form{InnerNo: "FC-1", Book: w.h1, Type: codes.FormDisplay, ValidFrom: today.AddDate(0, 0, -10), ValidUntil: today.AddDate(0, 0, -1), Guarantee: d("2000")})
	w.must(err)
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-OUT", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplayOut, Date: today.AddDate(0, 0, -5), Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("6")}}})
	w.must(err)
	s := w.stock(w.h1, 1)
	if !s.Bonded.Equal(d("20")) || !s.Available.Equal(d("14")) || !s.Display.Equal(d("6")) {
		t.Fatalf("after display out: %+v", s)
	}
	// Sold: 2 at 5,000 each: VAT 1,300.00, covered.
	sale, err := w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-SALE-1", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplaySale, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("2"), Value: d("10000")}}})
	w.must(err)
	if !sale.Tax.Equal(d("1300")) {
		t.Fatalf("tax %s", sale.Tax)
	}
	// One more at 6,000: VAT 780 > 700 left: refused, nothing moves.
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-SALE-2", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplaySale, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("1"), Value: d("6000")}}})
	wantReason(t, err, zone.ReasonGuaranteeExceeded)
	r, err := w.svc.DisplayStatus(w.ctx, w.e1, f.No, time.Time{})
	w.must(err)
	if !r.Available.Equal(d("700")) || len(r.OnDisplay) != 1 || !r.OnDisplay[0].Quantity.Equal(d("4")) || !r.Overdue {
		t.Fatalf("report %+v", r)
	}
	over, err := w.svc.OverdueDisplays(w.ctx, w.customs, "", time.Time{})
	w.must(err)
	if len(over) != 1 || over[0].Form.No != f.No {
		t.Fatalf("overdue %+v", over)
	}
	if over, _ := w.svc.OverdueDisplays(w.ctx, w.e2, "", time.Time{}); len(over) != 0 {
		t.Fatalf("another enterprise sees %d overdue forms", len(over))
	}
	// The period's tax is paid: the guarantee covers the sale now.
	_, err = w.svc.PayDisplayTax(w.ctx, w.e1, f.No, "PAY-1", d("1300"))
	wantReason(t, err, ledger.ReasonPermissionDenied)
	_, err = w.svc.PayDisplayTax(w.ctx, w.customs, f.No, "PAY-1", d("1300.01"))
	wantReason(t, err, zone.ReasonOverPayment)
	_, err = w.svc.PayDisplayTax(w.ctx, w.customs, f.No, "PAY-1", d("1300"))
	w.must(err)
	// The same payment again is harmless; another amount under its number is refused.
	again, err := w.svc.PayDisplayTax(w.ctx, w.customs, f.No, "PAY-1", d("1300"))
	w.must(err)
	if !again.TaxPaid.Equal(d("1300")) {
		t.Fatalf("paid %s after a retried payment", again.TaxPaid)
	}
	_, err = w.svc.PayDisplayTax(w.ctx, w.customs, f.No, "PAY-1", d("1"))
	wantReason(t, err, zone.ReasonDuplicateDocument)
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-SALE-2", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplaySale, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("1"), Value: d("6000")}}})
	w.must(err)
	// Unsold goods come back; more than is out is refused.
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-BACK-X", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplayBack, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("4")}}})
	wantReason(t, err, zone.ReasonInsufficientStock)
	_, err = w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-BACK", Book: w.h1, ApplyNo: f.No, Kind: zone.DisplayBack, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("3")}}})
	w.must(err)
	w.wantStock(w.h1, 1, "17", "0", "0")
	r, err = w.svc.DisplayStatus(w.ctx, w.customs, f.No, time.Time{})
	w.must(err)
	if len(r.OnDisplay) != 0 || r.Overdue || !r.Form.TaxAssessed.Equal(d("2080")) {
		t.Fatalf("after return %+v", r)
	}
	if over, _ := w.svc.OverdueDisplays(w.ctx, w.customs, "", time.Time{}); len(over) != 0 {
		t.Fatalf("overdue after the goods came back: %d", len(over))
	}
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	total := decimal.Zero
	for _, ev := range evs {
		total = total.Add(ev.Total)
	}
	if len(evs) != 2 || !total.Equal(d("2080")) {
		t.Fatalf("taxable events %d total %s", len(evs), total)
	}
}
