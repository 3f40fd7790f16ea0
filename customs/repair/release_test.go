package repair

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestReturnedListGivesTheGoodsBackToTheOrder: goods bound to an exit
// list that customs returns (退单) go back to their section and to the
// order, which reopens, shows the return in its trail, and sends them
// out again on a new list.
func TestReturnedListGivesTheGoodsBackToTheOrder(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "1", false, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("1"), d("0"))
	w.must(err)
	first := w.exitList(1, "1", "1371", false)
	o, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("1"), Way: WayReExport, Reference: first})
	w.must(err)
	if o.Status != OrderClosed {
		t.Fatalf("order %s after its goods were bound", o.Status)
	}
	_, err = w.zone.DeclareList(w.ctx, w.e1, first)
	w.must(err)
	returned, err := w.zone.ReturnList(w.ctx, w.customs, first, "wrong consignee")
	w.must(err)

	o, err = w.svc.GetOrder(w.ctx, w.customs, o.No)
	w.must(err)
	if o.Status != OrderOpen || !o.Held[heldKey(SectionRepaired, 1)].Equal(d("1")) {
		t.Fatalf("after the list was returned: order %s, held %v; want OPEN with 1 repaired", o.Status, o.Held)
	}
	last := o.Steps[len(o.Steps)-1]
	if last.Kind != StepListReturned || last.JournalID != returned.JournalIDs[len(returned.JournalIDs)-1] {
		t.Fatalf("last step %+v; want %s with the release journal %v", last, StepListReturned, returned.JournalIDs)
	}
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(map[string]string{"1 repaired/abroad": "1"}) {
		t.Fatalf("stock after the return: %v", got)
	}

	// The goods leave on a new list.
	second := w.exitList(1, "1", "1371", false)
	o, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g2", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 1, Quantity: d("1"), Way: WayReExport, Reference: second})
	w.must(err)
	if o.Status != OrderClosed {
		t.Fatalf("order %s after the goods were bound again", o.Status)
	}
	w.leave(second, false)
	if got := w.stock(nil); len(got) != 0 {
		t.Fatalf("stock after the pass: %v", got)
	}
	// Returning the list again changes nothing.
	_, err = w.zone.ReturnList(w.ctx, w.customs, first, "wrong consignee")
	w.must(err)
	if o2, _ := w.svc.GetOrder(w.ctx, w.customs, o.No); o2.Status != OrderClosed || len(o2.Steps) != len(o.Steps) {
		t.Fatalf("a second return changed the order: %s, %d steps (was %d)", o2.Status, len(o2.Steps), len(o.Steps))
	}
}

// TestCancelledListGivesTheGoodsBackToTheOrder: the enterprise deletes
// (cancels) a draft exit list its goods are bound to; the order holds
// them again and binds them to another list.
func TestCancelledListGivesTheGoodsBackToTheOrder(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 2, "2", true, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 2, Quantity: d("2")})
	w.must(err)
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f1", time.Time{}, d("2"), d("0"))
	w.must(err)
	home := w.exitList(2, "1", "", true)
	o, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g1", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReturnDomestic, Reference: home})
	w.must(err)
	if !o.Held[heldKey(SectionRepaired, 2)].Equal(d("1")) {
		t.Fatalf("held %v after binding 1 of 2", o.Held)
	}
	l, err := w.zone.DeleteList(w.ctx, w.e1, home)
	w.must(err)
	if l.Status != zone.ListDeleted {
		t.Fatalf("list %s", l.Status)
	}
	o, err = w.svc.GetOrder(w.ctx, w.e1, o.No)
	w.must(err)
	if !o.Held[heldKey(SectionRepaired, 2)].Equal(d("2")) || o.Steps[len(o.Steps)-1].Kind != StepListDeleted {
		t.Fatalf("after the list was deleted: held %v, steps %+v", o.Held, o.Steps)
	}
	// Both units now leave on one list of 2.
	both := w.exitList(2, "2", "", true)
	o, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "g2", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("2"), Way: WayReturnDomestic, Reference: both})
	w.must(err)
	if o.Status != OrderClosed {
		t.Fatalf("order %s", o.Status)
	}
	w.leave(both, true)
	if got := w.stock(nil); len(got) != 0 {
		t.Fatalf("stock after the pass: %v", got)
	}
}
