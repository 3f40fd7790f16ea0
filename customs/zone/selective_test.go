package zone_test

import (
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Selective duty (内销选择性征收关税): a 清单类型 A list, and trade modes
// 0544 / 0545, are taxed on the materials their goods consumed, plus
// 缓税利息 from the materials' first import (or the book's last write-off
// date, when later) to the tax date, the list's declaration day.

// clock is a settable clock for the service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// at is 10:00 in the zone (UTC+8) on a day.
func at(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	return t.Add(10 * time.Hour)
}

func date(day string) time.Time {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(err)
	}
	return t
}

// selectiveSale sells 5 microwave ovens (book line 3, value 2500.00)
// declaring the materials they consumed: 5 aluminium sheets (line 4, 6 %)
// worth 2000.00 and 5 power supplies (line 5, 5 %) worth 1000.00.
func selectiveSale(inner string) zone.List {
	return zone.List{InnerNo: inner, Book: "H31050000001", Type: codes.ListSelectiveDuty, IO: codes.Out, TradeMode: "0110",
		DeclarationKind: codes.DeclarationCorresponding, Lines: []zone.ListLine{{BookSeq: 3, Quantity: d("5"), Total: d("2500.00"),
			GrossWeight: d("50"), NetWeight: d("45"), Materials: []zone.MaterialLine{
				{BookSeq: 4, Quantity: d("5"), Value: d("2000.00")},
				{BookSeq: 5, Quantity: d("5"), Value: d("1000.00")},
			}}}}
}

// eventsAfter returns the book's taxable events after id, wanting n.
func (w *world) eventsAfter(id int64, n int) []zone.TaxableEvent {
	w.t.Helper()
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, id, 0)
	w.must(err)
	if len(evs) != n {
		w.t.Fatalf("%d taxable events after %d, want %d: %+v", len(evs), id, n, evs)
	}
	return evs
}

func TestSelectiveListIsTaxedOnItsMaterialsWithInterest(t *testing.T) {
	c := &clock{t: at("2026-03-02")}
	w := newWorldAt(t, zone.DefaultSettings(), c.now)
	dutiableGoods(w) // lines 3, 4, 5 enter from abroad on 2026-03-02

	// The write-off date before the first import changes nothing.
	_, err := w.svc.SetLastWriteOffDate(w.ctx, w.e1, w.h1, date("2026-01-01"))
	w.must(err)

	c.set(at("2026-06-10")) // 100 days after the first import
	sale := w.file(w.e1, selectiveSale("SEL-1"))
	w.drive(w.e1, sale, codes.PassSecondLine, "P-SEL-1")
	ev := w.eventsAfter(0, 1)[0]
	// Duty on the materials: 2000.00 × 6 % + 1000.00 × 5 % = 170.00, not
	// the finished ovens' 2500.00 × 8 % = 200.00. VAT on the finished goods
	// with the chosen duty: (2500 + 170) × 13 % = 347.10. Interest on all
	// taxes (InterestBase ALL_TAXES) for 100 days at 0.35 %:
	// 517.10 × 100 × 0.0035 / 360 = 0.5027… → 0.50.
	if ev.AssessError != "" || ev.DutyBasis != string(tax.BasisMaterials) || !ev.Duty.Equal(d("170")) || !ev.VAT.Equal(d("347.10")) ||
		ev.InterestDays != 100 || !ev.InterestFrom.Equal(date("2026-03-02")) || !ev.InterestRate.Equal(d("0.0035")) ||
		!ev.Interest.Equal(d("0.50")) || !ev.Total.Equal(d("517.60")) {
		t.Fatalf("selective sale: %+v", ev)
	}
	if len(ev.Materials) != 2 || !ev.Materials[0].Duty.Equal(d("120")) || !ev.Materials[1].Duty.Equal(d("50")) ||
		!ev.Materials[0].FirstImport.Equal(date("2026-03-02")) {
		t.Fatalf("materials: %+v", ev.Materials)
	}

	// A write-off on 2026-05-31, later than the first import: the interest
	// runs from it, 10 days: 517.10 × 10 × 0.0035 / 360 = 0.0503 → 0.05.
	b, err := w.svc.SetLastWriteOffDate(w.ctx, w.e1, w.h1, date("2026-05-31"))
	w.must(err)
	if !b.LastWriteOffDate.Equal(date("2026-05-31")) {
		t.Fatalf("book after SetLastWriteOffDate: %+v", b)
	}
	b, err = w.svc.GetBook(w.ctx, w.customs, w.h1)
	w.must(err)
	if !b.LastWriteOffDate.Equal(date("2026-05-31")) {
		t.Fatalf("GetBook: last write-off %v", b.LastWriteOffDate)
	}
	again := w.file(w.e1, selectiveSale("SEL-2"))
	w.drive(w.e1, again, codes.PassSecondLine, "P-SEL-2")
	ev2 := w.eventsAfter(ev.ID, 1)[0]
	if ev2.InterestDays != 10 || !ev2.InterestFrom.Equal(date("2026-05-31")) || !ev2.Interest.Equal(d("0.05")) || !ev2.Duty.Equal(d("170")) {
		t.Fatalf("interest from the write-off date: %+v", ev2)
	}

	// The write-off date is the one in force when the list was declared: a
	// later write-off (after the declaration, before the vehicle leaves)
	// changes nothing for it.
	more := w.file(w.e1, entry(w.h1, "IN-OVENS", 3, "5", "1875"))
	w.drive(w.e1, more, codes.PassFirstLine, "P-IN-OVENS")
	third := w.file(w.e1, selectiveSale("SEL-3"))
	c.set(at("2026-06-12"))
	_, err = w.svc.SetLastWriteOffDate(w.ctx, w.customs, w.h1, date("2026-06-11"))
	w.must(err)
	w.drive(w.e1, third, codes.PassSecondLine, "P-SEL-3")
	ev3 := w.eventsAfter(ev2.ID, 1)[0]
	if ev3.InterestDays != 10 || !ev3.InterestFrom.Equal(date("2026-05-31")) || !ev3.TaxDate.Equal(date("2026-06-10")) || !ev3.Date.Equal(date("2026-06-12")) {
		t.Fatalf("a write-off after the declaration: %+v", ev3)
	}
}

func TestMaterialsAreRequiredExactlyWhereTheDutyIsOnMaterials(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	// 0544 (保区进料料件) is taxed on materials: a line without them is refused.
	l := selectiveSale("M-0544")
	l.Type, l.TradeMode, l.Lines[0].Materials = codes.ListOrdinary, "0544", nil
	_, err := w.svc.CreateList(w.ctx, w.e1, l)
	if le := wantReason(t, err, tax.ReasonMaterialsRequired); le.Field != "lines[0].materials" {
		t.Fatalf("field %q", le.Field)
	}
	// An ordinary domestic sale names no materials.
	l = selectiveSale("M-0110")
	l.Type = codes.ListOrdinary
	_, err = w.svc.CreateList(w.ctx, w.e1, l)
	wantReason(t, err, tax.ReasonMaterialsNotAllowed)
	// A material not on the book.
	l = selectiveSale("M-99")
	l.Lines[0].Materials[1].BookSeq = 99
	_, err = w.svc.CreateList(w.ctx, w.e1, l)
	if le := wantReason(t, err, zone.ReasonLineNotOnBook); le.Field != "lines[0].materials[1].book_seq" {
		t.Fatalf("field %q", le.Field)
	}
	// 0544 with materials is taxed on them.
	l = selectiveSale("M-0544-OK")
	l.Type, l.TradeMode = codes.ListOrdinary, "0544"
	sale := w.file(w.e1, l)
	w.drive(w.e1, sale, codes.PassSecondLine, "P-0544")
	ev := w.eventsAfter(0, 1)[0]
	if ev.AssessError != "" || !ev.Duty.Equal(d("170")) || ev.DutyBasis != string(tax.BasisMaterials) {
		t.Fatalf("0544 sale: %+v", ev)
	}
	// Only the owner or customs sets the write-off date; another
	// enterprise learns nothing of the book.
	_, err = w.svc.SetLastWriteOffDate(w.ctx, w.e2, w.h1, date("2026-01-01"))
	wantReason(t, err, zone.ReasonUnknownBook)
	_, err = w.svc.SetLastWriteOffDate(w.ctx, w.customs, w.h1, date("2026-01-01"))
	w.must(err)
	_, err = w.svc.SetLastWriteOffDate(w.ctx, w.e1, w.h1, time.Now().AddDate(0, 0, 3))
	wantReason(t, err, ledger.ReasonInvalidArgument)
}

func TestRateDateIsTheDeclarationDayNotTheGateDay(t *testing.T) {
	c := &clock{t: at("2018-06-25")}
	w := newWorldAt(t, zone.DefaultSettings(), c.now)
	// Cosmetics: the sample tariff lowers their duty from 10 % to 5 % on
	// 2018-07-01.
	_, err := w.svc.AddBookLines(w.ctx, w.e1, w.h1, []zone.BookLine{
		{Seq: 6, HSCode: "3304990099", Name: "cosmetics", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished}})
	w.must(err)
	in := w.file(w.e1, entry(w.h1, "IN-C", 6, "10", "10000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-C")

	c.set(at("2018-06-28"))
	sale := w.file(w.e1, zone.List{InnerNo: "DS-C", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: []zone.ListLine{{BookSeq: 6, Quantity: d("1"), Total: d("2000.00"), GrossWeight: d("10"), NetWeight: d("9")}}})
	// Declared on 2018-06-28: 2000.00 × 10 % = 200.00; the gate day's 5 %
	// would give 100.00.
	c.set(at("2018-07-02")) // the vehicle leaves four days later
	w.drive(w.e1, sale, codes.PassSecondLine, "P-DS-C")
	ev := w.eventsAfter(0, 1)[0]
	if !ev.Date.Equal(date("2018-07-02")) || !ev.TaxDate.Equal(date("2018-06-28")) || !ev.Duty.Equal(d("200")) {
		t.Fatalf("duty at the declaration day's 10 %%: date %s tax date %s duty %s (%+v)",
			ledger.FormatDate(ev.Date), ledger.FormatDate(ev.TaxDate), ev.Duty, ev)
	}
}

// A selective-duty line leaving on several vehicles: each event takes its
// share of the materials, and the shares sum exactly to the line's.
func TestSelectiveLineOnSeveralVehiclesSplitsItsMaterialsExactly(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	dutiableGoods(w)
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "SEL-3V", Book: w.h1, Type: codes.ListSelectiveDuty, IO: codes.Out, TradeMode: "0110",
		DeclarationKind: codes.DeclarationCorresponding, Lines: []zone.ListLine{{BookSeq: 3, Quantity: d("3"), Total: d("1500.00"),
			GrossWeight: d("30"), NetWeight: d("27"), Materials: []zone.MaterialLine{
				{BookSeq: 4, Quantity: d("3"), Value: d("1000.00")},
				{BookSeq: 5, Quantity: d("3"), Value: d("2000.00")},
			}}}})
	w.must(err)
	_, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	_, err = w.svc.ApproveList(w.ctx, w.customs, l.No, "")
	w.must(err)
	passOnePerVehicle(t, w, l.No, codes.PassSecondLine, codes.Out)
	evs := w.eventsAfter(0, 3)
	// Aluminium 1000.00 in thirds: 333.33, 333.34, 333.33; power supplies
	// 2000.00: 666.67, 666.66, 666.67. Each vehicle is its own consignment:
	// 333.33 × 6 % + 666.67 × 5 % = 53.3333 → 53.33 (over 50: collected).
	wantAl, wantPS := []string{"333.33", "333.34", "333.33"}, []string{"666.67", "666.66", "666.67"}
	al, ps, qty := d("0"), d("0"), d("0")
	for i, ev := range evs {
		if len(ev.Materials) != 2 || !ev.Materials[0].DutiableValue.Equal(d(wantAl[i])) || !ev.Materials[1].DutiableValue.Equal(d(wantPS[i])) ||
			!ev.Duty.Equal(d("53.33")) || ev.AssessError != "" {
			t.Fatalf("vehicle %d: %+v", i+1, ev)
		}
		al, ps = al.Add(ev.Materials[0].DutiableValue), ps.Add(ev.Materials[1].DutiableValue)
		qty = qty.Add(ev.Materials[0].LegalQuantity)
	}
	if !al.Equal(d("1000")) || !ps.Equal(d("2000")) || !qty.Equal(d("3")) {
		t.Fatalf("the shares sum to %s, %s and %s units; want 1000.00, 2000.00 and 3", al, ps, qty)
	}
}
