package repair

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestGoodsLeaveOnListAndPass: goods of a repair order re-exported or
// returned leave only on a zone exit list and its gate pass; the 105号
// refusal holds at the list (its trade mode and line); the goods stay
// in their section until the list is declared, and leave the stock
// report when the pass is through the gate.
func TestGoodsLeaveOnListAndPass(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "1", false, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	_, err = w.svc.RemoveParts(w.ctx, w.e1, o.No, "x1", time.Time{}, []Removed{{BookSeq: 4, Quantity: d("1"), Value: d("100.00")}})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("1"), d("0"))
	w.must(err)
	want := map[string]string{"1 repaired/abroad": "1", "4 old-parts/abroad": "1"}
	check := func(what string) {
		t.Helper()
		if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: stock %v, want %v", what, got, want)
		}
	}

	// No list: the goods cannot leave on a bare document number.
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g0", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("1"), Way: WayReExport, TradeMode: "1371", Reference: "QD-OUT-1"})
	wantRefusal(t, err, zone.ReasonUnknownList, "reference")
	// A list the goods are not on cannot be declared out of bonded either.
	bare := w.exitList(1, "1", "1371", false)
	_, err = w.zone.DeclareList(w.ctx, w.e1, bare)
	if err == nil {
		t.Fatal("a bare exit list was declared out of bonded")
	}
	check("refusals")

	// 105号 at the list: foreign old parts on a list under a mode other
	// than 0864/0865, or on a second-line list, are refused.
	general := w.exitList(4, "1", "1371", false)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p0", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReExport, Reference: general})
	wantRefusal(t, err, ReasonPartsReExportOnly, "trade_mode")
	home := w.exitList(4, "1", "", true)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p1", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReturnDomestic, Reference: home})
	wantRefusal(t, err, ReasonPartsReExportOnly, "way")
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p2", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReExport, TradeMode: "0864", Reference: home})
	wantRefusal(t, err, "INVALID_ARGUMENT", "trade_mode")
	// A list of another quantity does not take the goods.
	two := w.exitList(4, "2", "0864", false)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p3", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReExport, Reference: two})
	wantRefusal(t, err, zone.ReasonWrongStatus, "reference")
	check("refusals at the list")

	// Old parts re-exported under 0864 on a first-line list and pass.
	scrapList := w.exitList(4, "1", "0864", false)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p4", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReExport, Reference: scrapList})
	w.must(err)
	// A retry is the same step; another order's step cannot bind again.
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p4", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("1"), Way: WayReExport, Reference: scrapList})
	w.must(err)
	check("bound, not declared")
	w.leave(scrapList, false)
	delete(want, "4 old-parts/abroad")
	check("old parts out")

	// The repaired engine part re-exported on its own list and pass.
	back := w.exitList(1, "1", "1371", false)
	done, err := w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("1"), Way: WayReExport, Reference: back})
	w.must(err)
	if done.Status != OrderClosed {
		t.Fatalf("order %s after the last goods out", done.Status)
	}
	w.leave(back, false)
	want = map[string]string{}
	check("all out")
	zs, err := w.zone.StockReport(w.ctx, w.customs, w.book, nil)
	w.must(err)
	for _, l := range zs {
		if !l.Bonded.IsZero() || !l.Reserved.IsZero() {
			t.Fatalf("zone stock of line %d: %+v", l.BookSeq, l)
		}
	}
}

// TestDomesticGoodsReturnOnSecondLineList: a domestic customer's repaired
// machine goes back on a second-line list and pass, not a first-line one.
func TestDomesticGoodsReturnOnSecondLineList(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 2, "1", true, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 2, Quantity: d("1")})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("1"), d("0"))
	w.must(err)
	first := w.exitList(2, "1", "1371", false)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g0", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReturnDomestic, Reference: first})
	wantRefusal(t, err, "REPAIR_EXIT_LIST", "reference")
	// An untaxed second-line list of the repair book takes no goods but
	// those bound to it, and a filer cannot name a source bucket.
	unbound := w.exitList(2, "1", "", true)
	_, err = w.zone.DeclareList(w.ctx, w.e1, unbound)
	wantRefusal(t, err, zone.ReasonUntaxedExit, "lines[0]")
	_, err = w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-SRC", Book: w.book, IO: codes.Out, TradeMode: "5000", Country: "CHN",
		Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("1"), Total: d("1000"), Source: Account(SectionRepaired, OriginDomestic)}}})
	wantRefusal(t, err, "INVALID_ARGUMENT", "lines[0].source")
	home := w.exitList(2, "1", "", true)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReturnDomestic, Reference: home})
	w.must(err)
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(map[string]string{"2 repaired/domestic": "1"}) {
		t.Fatalf("before the list is declared: %v", got)
	}
	w.leave(home, true)
	if got := w.stock(nil); len(got) != 0 {
		t.Fatalf("after the pass: %v", got)
	}
}
