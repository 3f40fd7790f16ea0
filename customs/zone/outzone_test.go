package zone_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// outWorld is a world whose book h1 holds 100 notebooks (line 1) and
// 1000 kg of polyethylene (line 2), entered from abroad ten days ago.
func outWorld(t *testing.T, set zone.Settings) (*world, time.Time) {
	t.Helper()
	w := newWorld(t, set)
	today := ledger.DayIn(time.Now(), set.Location)
	for _, e := range []zone.List{entry(w.h1, "IN-1", 1, "100", "500000"), entry(w.h1, "IN-2", 2, "1000", "20000")} {
		e.Date = today.AddDate(0, 0, -10)
		in := w.file(w.e1, e)
		ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + e.InnerNo, Book: in.Book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: in.IO,
			RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
		w.must(err)
		ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "P-" + e.InnerNo + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(in.GrossWeight),
			At: time.Now().AddDate(0, 0, -10)})
		if err != nil || ps.Status != zone.PassPassed {
			t.Fatalf("entry pass: %+v, %v", ps, err)
		}
	}
	return w, today
}

func (w *world) form(p access.Principal, inner string, ft codes.FormType, from, until time.Time) zone.Form {
	w.t.Helper()
	f, err := w.svc.CreateForm(w.ctx, p, zone.Form{InnerNo: inner, Book: w.h1, Type: ft, ValidFrom: from, ValidUntil: until})
	w.must(err)
	return f
}

func outLines(seq int, qty string) []zone.OutZoneLine {
	return []zone.OutZoneLine{{BookSeq: seq, Quantity: d(qty)}}
}

func TestGoodsOutForRepairComeBackInPartsOrAreSold(t *testing.T) {
	w, today := outWorld(t, zone.DefaultSettings())
	f := w.form(w.e1, "FE-1", codes.FormEquipmentRepair, today.AddDate(0, 0, -5), today.AddDate(0, 2, 0))
	out, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "O-1", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut,
		DueBack: today.AddDate(0, 0, 30), Counterparty: "Shanghai Repair Co.", Contract: "C-77", Lines: outLines(1, "10")})
	w.must(err)
	if out.Status != zone.OutZoneOutstanding || !out.Outstanding[1].Equal(d("10")) || out.JournalID == 0 {
		t.Fatalf("out %+v", out)
	}
	// A retry returns the same movement and moves nothing twice.
	again, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "O-1", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut,
		DueBack: today.AddDate(0, 0, 30), Counterparty: "Shanghai Repair Co.", Contract: "C-77", Lines: outLines(1, "10")})
	w.must(err)
	if again.No != out.No {
		t.Fatalf("retry gave %s, want %s", again.No, out.No)
	}
	s := w.stock(w.h1, 1)
	if !s.Bonded.Equal(d("100")) || !s.Available.Equal(d("90")) || !s.OutZone.Equal(d("10")) {
		t.Fatalf("after out %+v", s)
	}
	back := func(inner, qty string) (zone.OutZoneMove, error) {
		return w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: inner, Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: out.No, Lines: outLines(1, qty)})
	}
	_, err = back("B-1", "4")
	w.must(err)
	// More than is still out is refused, and nothing moves.
	le := wantReason(t, func() error { _, err := back("B-2", "7"); return err }(), zone.ReasonOutZoneExceedsSent)
	if le.Field != "lines[0].quantity" {
		t.Fatalf("field %q", le.Field)
	}
	if s := w.stock(w.h1, 1); !s.OutZone.Equal(d("6")) {
		t.Fatalf("after a refused back %+v", s)
	}
	// A line that never went out.
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "B-3", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: out.No, Lines: outLines(2, "1")})
	wantReason(t, err, zone.ReasonOutZoneNotOut)
	// Two are sold outside on request: VAT 13 % on 10,000 (duty 0).
	sale, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "S-1", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneConvert, OutNo: out.No,
		Lines: []zone.OutZoneLine{{BookSeq: 1, Quantity: d("2"), Value: d("10000")}}})
	w.must(err)
	if !sale.Tax.Equal(d("1300")) {
		t.Fatalf("tax %s", sale.Tax)
	}
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || evs[0].ListNo != sale.No || !evs[0].Total.Equal(d("1300")) {
		t.Fatalf("taxable events %+v", evs)
	}
	// Closing the form while goods are out is refused.
	_, err = w.svc.CloseForm(w.ctx, w.e1, f.No)
	wantReason(t, err, zone.ReasonFormGoodsOut)
	_, err = back("B-4", "4")
	w.must(err)
	got, err := w.svc.GetOutZoneMove(w.ctx, w.customs, out.No)
	w.must(err)
	if got.Status != zone.OutZoneSettled || !got.OutstandingTotal().IsZero() {
		t.Fatalf("out movement after all came back %+v", got)
	}
	s = w.stock(w.h1, 1)
	if !s.Bonded.Equal(d("98")) || !s.OutZone.IsZero() {
		t.Fatalf("after all came back %+v", s)
	}
	closed, err := w.svc.CloseForm(w.ctx, w.e1, f.No)
	w.must(err)
	if got, err := w.svc.GetForm(w.ctx, w.customs, f.No); err != nil || closed.Status != zone.FormClosed || got.Status != zone.FormClosed {
		t.Fatalf("closed form %+v, read back %+v, %v", closed, got, err)
	}
	// Nothing moves under a closed form, back included.
	_, err = back("B-5", "1")
	wantReason(t, err, zone.ReasonFormClosed)
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "O-2", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut,
		DueBack: today.AddDate(0, 0, 3), Counterparty: "X", Lines: outLines(1, "1")})
	wantReason(t, err, zone.ReasonFormClosed)
}

func TestOutOfZoneRefusals(t *testing.T) {
	set := zone.DefaultSettings()
	set.OutZoneMaxDays = 30
	w, today := outWorld(t, set)
	f := w.form(w.e1, "FF-1", codes.FormMouldOutsourcing, today.AddDate(0, 0, -5), today.AddDate(0, 2, 0))
	mould := func(inner string, due time.Time, lines []zone.OutZoneLine) error {
		_, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: inner, Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut, DueBack: due, Counterparty: "Mould user", Lines: lines})
		return err
	}
	for name, due := range map[string]time.Time{
		"in the past":                 today.AddDate(0, 0, -1),
		"after the form's last day":   today.AddDate(0, 2, 1),
		"beyond out_zone_max_days=30": today.AddDate(0, 0, 31),
	} {
		le := wantReason(t, mould("O-"+name, due, outLines(1, "1")), zone.ReasonOutZoneDueDate)
		if le.Field != "due_back" {
			t.Fatalf("%s: field %q", name, le.Field)
		}
	}
	// Filed late for goods that went out five days ago: a due-back date
	// before today is refused even though it follows the movement's date.
	_, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "O-late", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut, Date: today.AddDate(0, 0, -5),
		DueBack: today.AddDate(0, 0, -1), Counterparty: "Mould user", Lines: outLines(1, "1")})
	if le := wantReason(t, err, zone.ReasonOutZoneDueDate); le.Field != "due_back" {
		t.Fatalf("field %q", le.Field)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	// More than the book holds: the ledger refuses, nothing is written.
	wantReason(t, mould("O-big", today.AddDate(0, 0, 30), outLines(1, "101")), zone.ReasonInsufficientBonded)
	// A display form moves no goods out and back.
	fc := w.form(w.e1, "FC-1", codes.FormDisplay, today, today.AddDate(0, 1, 0))
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "O-C", Book: w.h1, ApplyNo: fc.No, Kind: zone.OutZoneOut, DueBack: today.AddDate(0, 0, 3), Counterparty: "X", Lines: outLines(1, "1")})
	wantReason(t, err, zone.ReasonNotOutZoneForm)
	w.must(mould("O-1", today.AddDate(0, 0, 30), outLines(1, "5")))
	out, err := w.svc.ListOverdue(w.ctx, w.e1, zone.OverdueQuery{AsOf: today.AddDate(0, 0, 30)})
	w.must(err)
	if len(out.Items) != 0 {
		t.Fatalf("overdue on its due day: %+v", out.Items)
	}
	o1, err := w.svc.ListOverdue(w.ctx, w.customs, zone.OverdueQuery{AsOf: today.AddDate(0, 0, 33)})
	w.must(err)
	if len(o1.Items) != 1 || o1.Items[0].Kind != zone.OverdueMould || o1.Items[0].DaysOverdue != 3 || !o1.Items[0].Quantity.Equal(d("5")) {
		t.Fatalf("overdue %+v", o1.Items)
	}
	moveNo := o1.Items[0].Documents[0]
	// Products come back only from 外发加工.
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "B-P", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: moveNo, Products: outLines(2, "1"), Consumed: outLines(1, "1")})
	wantReason(t, err, zone.ReasonOutsourcingOnly)
	// Converting goods that are not out: an OUT movement of another form.
	f2 := w.form(w.e1, "FD-1", codes.FormEquipmentTesting, today, today.AddDate(0, 1, 0))
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "S-X", Book: w.h1, ApplyNo: f2.No, Kind: zone.OutZoneConvert, OutNo: moveNo,
		Lines: []zone.OutZoneLine{{BookSeq: 1, Quantity: d("1"), Value: d("100")}}})
	le := wantReason(t, err, zone.ReasonOutZoneNotOut)
	if le.Field != "out_no" {
		t.Fatalf("field %q", le.Field)
	}
	// Another enterprise can neither see nor move the goods.
	_, err = w.svc.GetOutZoneMove(w.ctx, w.e2, moveNo)
	wantReason(t, err, zone.ReasonUnknownDocument)
	_, err = w.svc.MoveOutZone(w.ctx, w.e2, zone.OutZoneMove{InnerNo: "B-E2", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: moveNo, Lines: outLines(1, "1")})
	wantReason(t, err, zone.ReasonUnknownBook)
	_, err = w.svc.CloseForm(w.ctx, w.e2, f.No)
	wantReason(t, err, zone.ReasonUnknownDocument)
	if o, err := w.svc.ListOverdue(w.ctx, w.e2, zone.OverdueQuery{AsOf: today.AddDate(0, 0, 33)}); err != nil || len(o.Items) != 0 {
		t.Fatalf("another enterprise sees %+v, %v", o.Items, err)
	}
	_, err = w.svc.ListOverdue(w.ctx, w.e2, zone.OverdueQuery{Book: w.h1})
	wantReason(t, err, zone.ReasonUnknownBook)
	_, err = w.svc.ListOverdue(w.ctx, w.admin, zone.OverdueQuery{})
	wantReason(t, err, ledger.ReasonPermissionDenied)
	// Customs files nothing on an enterprise's book.
	_, err = w.svc.MoveOutZone(w.ctx, w.customs, zone.OutZoneMove{InnerNo: "B-C", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: moveNo, Lines: outLines(1, "1")})
	wantReason(t, err, ledger.ReasonPermissionDenied)
}

func TestOutsourcingComesBackAsProductsAndScrap(t *testing.T) {
	w, today := outWorld(t, zone.DefaultSettings())
	_, err := w.svc.AddBookLines(w.ctx, w.e1, w.h1, []zone.BookLine{
		{Seq: 3, HSCode: "3926909090", Name: "plastic housing", DeclaredUnit: "007", Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: codes.GoodsFinished},
		{Seq: 4, HSCode: "3915100000", Name: "polyethylene scrap", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Type: codes.GoodsMaterial},
	})
	w.must(err)
	f := w.form(w.e1, "FB-1", codes.FormOutsourcing, today.AddDate(0, 0, -1), today.AddDate(0, 3, 0))
	out, err := w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "WF-1", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneOut,
		DueBack: today.AddDate(0, 0, 20), Counterparty: "Kunshan Moulding Ltd", Lines: outLines(2, "100")})
	w.must(err)
	// 80 kg became 500 housings and 4.5 kg scrap; 15 kg come back unused.
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "WF-1-B", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: out.No,
		Lines: outLines(2, "15"), Consumed: outLines(2, "80"),
		Products: []zone.OutZoneLine{{BookSeq: 3, Quantity: d("500")}, {BookSeq: 4, Quantity: d("4.5"), Scrap: true}}})
	w.must(err)
	if s := w.stock(w.h1, 2); !s.Available.Equal(d("915")) || !s.OutZone.Equal(d("5")) || !s.Bonded.Equal(d("920")) {
		t.Fatalf("polyethylene %+v", s)
	}
	if s := w.stock(w.h1, 3); !s.Available.Equal(d("500")) {
		t.Fatalf("housings %+v", s)
	}
	if s := w.stock(w.h1, 4); !s.Available.Equal(d("4.5")) {
		t.Fatalf("scrap %+v", s)
	}
	// Products come back from goods consumed.
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "WF-1-P", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: out.No,
		Products: outLines(3, "1")})
	if le := wantReason(t, err, ledger.ReasonInvalidArgument); le.Field != "consumed" {
		t.Fatalf("field %q", le.Field)
	}
	// Consuming more than is still out is refused.
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "WF-1-C", Book: w.h1, ApplyNo: f.No, Kind: zone.OutZoneBack, OutNo: out.No,
		Consumed: outLines(2, "5.001")})
	le := wantReason(t, err, zone.ReasonOutZoneExceedsSent)
	if le.Field != "consumed[0].quantity" {
		t.Fatalf("field %q", le.Field)
	}
	o, err := w.svc.ListOverdue(w.ctx, w.customs, zone.OverdueQuery{AsOf: today.AddDate(0, 0, 25)})
	w.must(err)
	if len(o.Items) != 1 || o.Items[0].Kind != zone.OverdueOutsourcing || !o.Items[0].Quantity.Equal(d("5")) || o.Items[0].DaysOverdue != 5 ||
		o.Items[0].Documents[0] != out.No || o.Items[0].Documents[1] != f.No || o.Items[0].Enterprise != w.u1 {
		t.Fatalf("overdue %+v", o.Items)
	}
}

// fixedOverdue is an OverdueSource with fixed rows (the repair orders'
// own source is tested in customs/repair).
type fixedOverdue []zone.OverdueItem

func (f fixedOverdue) OverdueItems(_ context.Context, p access.Principal, _ string, _ time.Time) ([]zone.OverdueItem, error) {
	var out []zone.OverdueItem
	for _, it := range f {
		if p.CanRead(it.Enterprise) {
			out = append(out, it)
		}
	}
	return out, nil
}

func TestOneOverdueListingOldestFirstAndPaged(t *testing.T) {
	w, today := outWorld(t, zone.DefaultSettings())
	// Display goods out after the form's last day (today - 1).
	fc := w.form(w.e1, "FC-1", codes.FormDisplay, today.AddDate(0, 0, -10), today.AddDate(0, 0, -1))
	_, err := w.svc.MoveDisplay(w.ctx, w.e1, zone.DisplayMove{InnerNo: "D-1", Book: w.h1, ApplyNo: fc.No, Kind: zone.DisplayOut, Date: today.AddDate(0, 0, -5), Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("3")}}})
	w.must(err)
	// A testing movement due back today + 10.
	fd := w.form(w.e1, "FD-1", codes.FormEquipmentTesting, today, today.AddDate(0, 1, 0))
	_, err = w.svc.MoveOutZone(w.ctx, w.e1, zone.OutZoneMove{InnerNo: "T-1", Book: w.h1, ApplyNo: fd.No, Kind: zone.OutZoneOut, DueBack: today.AddDate(0, 0, 10), Counterparty: "CTI", Lines: outLines(1, "1")})
	w.must(err)
	// A 分送集报 trip, due by the end of its month.
	fa := w.form(w.e1, "FA-1", codes.FormCollective, today, today.AddDate(0, 3, 0))
	sl, err := w.svc.CreateSlip(w.ctx, w.e1, zone.Slip{InnerNo: "S-1", Book: w.h1, ApplyNo: fa.No, IO: codes.Out, Lines: []zone.SlipLine{{BookSeq: 1, Quantity: d("2"), Value: d("5000"), GrossWeight: d("20")}}})
	w.must(err)
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "PS-1", Book: w.h1, Type: codes.PassSecondLine, IO: codes.Out, RelatedType: codes.RelatedSlip,
		RelatedNos: []string{sl.No}, Vehicle: "V1", GrossWeight: d("20")})
	w.must(err)
	_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "ev-s1", Vehicle: "V1", ScaleGross: d("25")})
	w.must(err)
	tripDue := time.Date(today.Year(), today.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	// Goods entered on a 先入区后报关 pass today: due in 14 days; 2 of 6
	// declared.
	pe, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P1", Book: w.h1, Type: codes.PassEnterFirst, IO: codes.In, RelatedType: codes.RelatedBill,
		RelatedNos: []string{"MSKU1234567"}, Vehicle: "V2", GrossWeight: d("100"), Lines: []zone.PassLine{{BookSeq: 1, Quantity: d("6"), Value: d("30000"), Country: "DEU"}}})
	w.must(err)
	_, err = w.svc.RecordGateEvent(w.ctx, w.customs, pe.No, zone.GateEvent{ID: "ev-p1", Vehicle: "V2", ScaleGross: d("100")})
	w.must(err)
	w.file(w.e1, zone.List{InnerNo: "L1", Book: w.h1, Type: codes.ListEnterFirst, IO: codes.In, TradeMode: "5034", EntryPassNos: []string{pe.No},
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("2"), Total: d("10000")}}})
	// A repair order of e1 and one of e2, from the repair centre.
	w.svc.SetOverdueSource(fixedOverdue{
		{Kind: zone.OverdueRepairOrder, Enterprise: w.u1, Book: w.h1, Documents: []string{"WX-1"}, Due: today.AddDate(0, 0, -3)},
		{Kind: zone.OverdueRepairOrder, Enterprise: w.u2, Book: w.t2, Documents: []string{"WX-2"}, Due: today.AddDate(0, 0, -2)},
	})

	asOf := tripDue.AddDate(0, 0, 20)
	if a := today.AddDate(0, 0, 15); a.After(asOf) {
		asOf = a
	}
	var rows []zone.OverdueItem
	q := zone.OverdueQuery{AsOf: asOf, Limit: 2}
	for pages := 0; ; pages++ {
		page, err := w.svc.ListOverdue(w.ctx, w.customs, q)
		w.must(err)
		if len(page.Items) > 2 || pages > 5 {
			t.Fatalf("page of %d rows", len(page.Items))
		}
		rows = append(rows, page.Items...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	kinds := map[zone.OverdueKind]zone.OverdueItem{}
	for i, r := range rows {
		kinds[r.Kind] = r
		if i > 0 && r.Due.Before(rows[i-1].Due) {
			t.Fatalf("row %d due %s after row %d due %s", i, ledger.FormatDate(r.Due), i-1, ledger.FormatDate(rows[i-1].Due))
		}
	}
	if len(rows) != 6 || len(kinds) != 5 {
		t.Fatalf("rows %+v", rows)
	}
	if r := kinds[zone.OverdueDisplay]; r.Documents[0] != fc.No || r.DaysOverdue != int(asOf.Sub(today.AddDate(0, 0, -1)).Hours()/24) {
		t.Fatalf("display row %+v", r)
	}
	if r := kinds[zone.OverdueCollectiveTrip]; r.Documents[0] != sl.No || !r.Due.Equal(tripDue) {
		t.Fatalf("trip row %+v", r)
	}
	if r := kinds[zone.OverdueEnterFirst]; r.Documents[0] != pe.No || !r.Quantity.Equal(d("4")) || !r.Due.Equal(today.AddDate(0, 0, 14)) {
		t.Fatalf("enter-first row %+v", r)
	}
	if r := kinds[zone.OverdueTesting]; !r.Due.Equal(today.AddDate(0, 0, 10)) {
		t.Fatalf("testing row %+v", r)
	}
	// A list filed before lists recorded their claims still declares the
	// first goods of its passes.
	var body string
	w.must(w.store.Pool().QueryRow(w.ctx, `SELECT body FROM zone_documents WHERE kind = 'list' AND inner_no = 'L1'`).Scan(&body))
	var doc map[string]any
	w.must(json.Unmarshal([]byte(body), &doc))
	delete(doc, "EntryClaims")
	b, err := json.Marshal(doc)
	w.must(err)
	if _, err := w.store.Pool().Exec(w.ctx, `UPDATE zone_documents SET body = $1 WHERE kind = 'list' AND inner_no = 'L1'`, string(b)); err != nil {
		t.Fatal(err)
	}
	legacy, err := w.svc.ListOverdue(w.ctx, w.customs, zone.OverdueQuery{AsOf: asOf, Book: w.h1})
	w.must(err)
	for _, r := range legacy.Items {
		if r.Kind == zone.OverdueEnterFirst && !r.Quantity.Equal(d("4")) {
			t.Fatalf("enter-first row with a list without claims %+v", r)
		}
	}
	// The enterprise sees its own five rows; the other enterprise its one.
	mine, err := w.svc.ListOverdue(w.ctx, w.e1, zone.OverdueQuery{AsOf: asOf})
	w.must(err)
	theirs, err := w.svc.ListOverdue(w.ctx, w.e2, zone.OverdueQuery{AsOf: asOf})
	w.must(err)
	if len(mine.Items) != 5 || len(theirs.Items) != 1 || theirs.Items[0].Documents[0] != "WX-2" {
		t.Fatalf("e1 sees %d rows, e2 %+v", len(mine.Items), theirs.Items)
	}
	// Nothing is overdue before any due day.
	early, err := w.svc.ListOverdue(w.ctx, w.customs, zone.OverdueQuery{AsOf: today.AddDate(0, 0, -4)})
	w.must(err)
	if len(early.Items) != 0 {
		t.Fatalf("early %+v", early.Items)
	}
}
