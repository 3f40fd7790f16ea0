package repair

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestForeignRepairTrail: an aircraft-engine part from abroad is tested,
// repaired with bonded parts consumed by actual use, its old part and
// scrap go to their own sections; selling the old part domestically is
// refused naming 公告2023年第105号, as is taking it out by gate
// registration or re-exporting it under a mode other than 0864/0865; the
// old part is re-exported under 0864, the scrap destroyed, the part
// re-exported; the order closes and its trail holds every journal.
func TestForeignRepairTrail(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "1", false, false)
	spares := w.receive(w.book, 3, "5", false, false)
	_, err := w.svc.ReceiveParts(w.ctx, w.e1, PartsIntake{InnerNo: "LJ-1", Book: w.book, List: spares, BookSeq: 3, Quantity: d("5")})
	w.must(err)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	if o.Due != o.Date.AddDate(0, 0, 365) {
		t.Fatalf("due %v, opened %v", o.Due, o.Date)
	}
	_, err = w.svc.RecordTest(w.ctx, w.e1, o.No, "t1", time.Time{}, "blade 3 cracked")
	w.must(err)
	_, err = w.svc.ConsumeParts(w.ctx, w.e1, o.No, "c1", time.Time{}, []PartUse{{BookSeq: 3, Quantity: d("2"), Origin: OriginAbroad}})
	w.must(err)
	// A retried step is applied once.
	_, err = w.svc.ConsumeParts(w.ctx, w.e1, o.No, "c1", time.Time{}, []PartUse{{BookSeq: 3, Quantity: d("2"), Origin: OriginAbroad}})
	w.must(err)
	_, err = w.svc.ConsumeParts(w.ctx, w.e1, o.No, "c1", time.Time{}, []PartUse{{BookSeq: 3, Quantity: d("1"), Origin: OriginAbroad}})
	wantRefusal(t, err, zone.ReasonDuplicateDocument, "key")
	_, err = w.svc.ConsumeParts(w.ctx, w.e1, o.No, "c2", time.Time{}, []PartUse{{BookSeq: 3, Quantity: d("4"), Origin: OriginAbroad}})
	wantRefusal(t, err, zone.ReasonInsufficientStock, "uses[0].quantity")
	_, err = w.svc.ConsumeParts(w.ctx, w.e1, o.No, "c3", time.Time{}, []PartUse{{BookSeq: 3, Quantity: d("1"), Origin: OriginDomestic}})
	wantRefusal(t, err, zone.ReasonInsufficientStock, "uses[0].quantity")
	_, err = w.svc.RemoveParts(w.ctx, w.e1, o.No, "x1", time.Time{}, []Removed{{BookSeq: 4, Quantity: d("1"), Value: d("100.00")}, {BookSeq: 5, Quantity: d("0.250"), Scrap: true}})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f0", time.Time{}, d("1"), d("1"))
	wantRefusal(t, err, ReasonOrderQuantity, "repaired")
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("1"), d("0"))
	w.must(err)
	want := map[string]string{"1 repaired/abroad": "1", "3 parts/abroad": "3", "4 old-parts/abroad": "1", "5 scrap/abroad": "0.25"}
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stock: got %v, want %v", got, want)
	}
	old := Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Reference: "QD-OUT-1"}
	for _, c := range []struct {
		way    Way
		mode   string
		reason string
		field  string
	}{
		{WayDomesticSale, "0844", ReasonPartsReExportOnly, "way"},
		{WayGateRegistration, "", ReasonPartsReExportOnly, "way"},
		{WayReturnDomestic, "", ReasonPartsReExportOnly, "way"},
		{WayReExport, "4600", ReasonPartsReExportOnly, "trade_mode"},
	} {
		e := old
		e.Way, e.TradeMode = c.way, c.mode
		_, err := w.svc.ExitGoods(w.ctx, w.e1, o.No, "e-"+string(c.way), time.Time{}, e)
		wantRefusal(t, err, c.reason, c.field)
	}
	goods := Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("1"), Way: WayReturnDomestic, Reference: "QD-OUT-2"}
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g0", time.Time{}, goods)
	wantRefusal(t, err, ReasonExitWay, "way")
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a refusal moved goods: %v", got)
	}
	old.Way, old.TradeMode, old.Reference = WayReExport, "", w.exitList(4, "1", "0864", false)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "e1", time.Time{}, old)
	w.must(err)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "e2", time.Time{}, Exit{Section: SectionScrap, BookSeq: 5, Quantity: d("0.25"), Way: WayDestroy, Reference: "XH-1"})
	w.must(err)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("2"), Way: WayReExport, TradeMode: "4600", Reference: "QD-OUT-3"})
	wantRefusal(t, err, ReasonOrderQuantity, "quantity")
	goods.Way, goods.Reference = WayReExport, w.exitList(1, "1", "1371", false)
	done, err := w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, goods)
	w.must(err)
	// The goods re-exported leave on their lists and passes; the repair
	// book posts no journal of its own for them.
	w.leave(old.Reference, false)
	w.leave(goods.Reference, false)
	if done.Status != OrderClosed || len(done.JournalIDs) != 5 || len(done.Steps) != 7 {
		t.Fatalf("closed: %s, %d journals, %d steps", done.Status, len(done.JournalIDs), len(done.Steps))
	}
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(map[string]string{"3 parts/abroad": "3"}) {
		t.Fatalf("stock after: %v", got)
	}
	// Customs reads the trail: every journal names the order.
	tr, err := w.svc.GetOrder(w.ctx, w.customs, o.No)
	w.must(err)
	for _, id := range tr.JournalIDs {
		j, err := w.svc.ledger.GetJournal(w.ctx, id)
		w.must(err)
		if j.Document.Number != o.No {
			t.Errorf("journal %d books %+v", id, j.Document)
		}
	}
	_, err = w.svc.RecordTest(w.ctx, w.e1, o.No, "t9", time.Time{}, "again")
	wantRefusal(t, err, zone.ReasonWrongStatus, "order_no")
}

// TestDomesticRepairReturns: a domestic customer's machine is repaired
// and returned; its old part leaves by gate registration; had it been
// unrepairable and from the domestic area it may also be exported
// directly. The order shows overdue after the configured period.
func TestDomesticRepairReturns(t *testing.T) {
	set := DefaultSettings()
	set.RepairPeriodDays = 30
	w := newWorldWith(t, set)
	in := w.receive(w.book, 2, "2", true, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 2, Quantity: d("2")})
	w.must(err)
	_, err = w.svc.RemoveParts(w.ctx, w.e1, o.No, "x1", time.Time{}, []Removed{{BookSeq: 4, Quantity: d("1")}})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("1"), d("1"))
	w.must(err)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "e0", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayDomesticSale, Reference: "K-1"})
	wantRefusal(t, err, ReasonExitWay, "way")
	for i, e := range []Exit{
		{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayGateRegistration, Reference: w.registration(4, "1", false)},
		{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReturnDomestic, Reference: w.exitList(2, "1", "", true)},
	} {
		_, err := w.svc.ExitGoods(w.ctx, w.e1, o.No, fmt.Sprintf("e%d", i+1), time.Time{}, e)
		w.must(err)
	}
	day := o.Date // the zone's business date the order was opened on
	late, err := w.svc.ListOverdue(w.ctx, w.customs, w.book, day.AddDate(0, 0, 31))
	w.must(err)
	onTime, err := w.svc.ListOverdue(w.ctx, w.customs, w.book, day.AddDate(0, 0, 30))
	w.must(err)
	if len(late) != 1 || late[0].No != o.No || len(onTime) != 0 {
		t.Fatalf("overdue: %d late, %d on the due day", len(late), len(onTime))
	}
	// Zone-wide: customs sees every book's, an enterprise its own, the
	// admin nothing.
	for _, c := range []struct {
		p    access.Principal
		want int
	}{{w.customs, 1}, {w.e1, 1}, {w.e2, 0}} {
		got, err := w.svc.ListOverdue(w.ctx, c.p, "", day.AddDate(0, 0, 31))
		w.must(err)
		if len(got) != c.want {
			t.Errorf("zone-wide overdue as %s: %d orders, want %d", c.p.ID, len(got), c.want)
		}
	}
	_, err = w.svc.ListOverdue(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, "", day)
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "e3", time.Time{}, Exit{Section: SectionUnrepairable, BookSeq: 2, Quantity: d("1"), Way: WayReExport, Reference: w.exitList(2, "1", "1371", false)})
	w.must(err)
	if late, _ := w.svc.ListOverdue(w.ctx, w.customs, w.book, day.AddDate(0, 0, 31)); len(late) != 0 {
		t.Fatalf("a closed order is overdue: %v", late)
	}
}
