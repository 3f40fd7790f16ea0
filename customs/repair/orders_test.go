package repair

import (
	"fmt"
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestSectionsKeepOriginsApart: goods from abroad, from the domestic area
// and the group's own products, taken into repair, are shown in the
// 待维修 section apart by origin; the bonded bucket gives them up; the
// report as of the day before shows nothing in repair.
func TestSectionsKeepOriginsApart(t *testing.T) {
	w := newWorld(t)
	abroad := w.receive(w.book, 1, "3", false, false)
	dom := w.receive(w.book, 2, "2", true, false)
	grp := w.receive(w.book, 2, "1", true, false)
	for i, o := range []Order{
		{InnerNo: "R-1", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("2")},
		{InnerNo: "R-2", Book: w.book, List: dom, BookSeq: 2, Quantity: d("2")},
		{InnerNo: "R-3", Book: w.book, List: grp, BookSeq: 2, Quantity: d("1"), Group: true},
	} {
		got, err := w.svc.OpenOrder(w.ctx, w.e1, o)
		w.must(err)
		if got.Status != OrderOpen || len(got.JournalIDs) != 1 || got.Lot == "" {
			t.Fatalf("order %d: %+v", i, got)
		}
	}
	want := map[string]string{"1 awaiting/abroad": "2", "2 awaiting/domestic": "2", "2 awaiting/group": "1"}
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stock: got %v, want %v", got, want)
	}
	zs, err := w.zone.StockReport(w.ctx, w.customs, w.book, nil)
	w.must(err)
	if !zs[0].Available.Equal(d("1")) || !zs[1].Available.IsZero() {
		t.Fatalf("bonded left: %+v", zs)
	}
	before := w.svc.today().AddDate(0, 0, -1)
	if got := w.stock(&before); len(got) != 0 {
		t.Fatalf("as of the day before: %v", got)
	}
	// The same order again is the same order; another under its number is refused.
	again, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("2")})
	w.must(err)
	if again.JournalIDs[0] == 0 || w.stock(nil)["1 awaiting/abroad"] != "2" {
		t.Fatalf("again: %+v %v", again, w.stock(nil))
	}
	_, err = w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("1")})
	wantRefusal(t, err, zone.ReasonDuplicateDocument, "inner_no")
	// Customs reads the order; another enterprise does not.
	if _, err := w.svc.GetOrder(w.ctx, w.customs, again.No); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.GetOrder(w.ctx, w.e2, again.No)
	wantRefusal(t, err, zone.ReasonUnknownDocument, "order_no")
}

// TestOpenOrderRefusals: every refusal names its reason and field and
// moves nothing.
func TestOpenOrderRefusals(t *testing.T) {
	w := newWorld(t)
	abroad := w.receive(w.book, 1, "3", false, false)
	approved := w.receive(w.book, 1, "1", false, true)
	other := w.receive(w.zoneBk, 1, "1", false, false)
	cases := []struct {
		o      Order
		reason string
		field  string
	}{
		{Order{InnerNo: "", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("1")}, ledger.ReasonInvalidArgument, "inner_no"},
		{Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("0")}, ledger.ReasonInvalidArgument, "quantity"},
		{Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("0.5")}, ledger.ReasonTooManyDecimals, "quantity"},
		{Order{InnerNo: "X", Book: w.zoneBk, List: other, BookSeq: 1, Quantity: d("1")}, ReasonNotRepairBook, "book_no"},
		{Order{InnerNo: "X", Book: w.book, List: other, BookSeq: 1, Quantity: d("1")}, ReasonRepairIntake, "list_no"},
		{Order{InnerNo: "X", Book: w.book, List: approved, BookSeq: 1, Quantity: d("1")}, ReasonRepairIntake, "list_no"},
		{Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 2, Quantity: d("1")}, ReasonRepairIntake, "book_seq"},
		{Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("1"), Group: true}, ReasonRepairIntake, "group"},
		{Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("4")}, zone.ReasonInsufficientStock, "quantity"},
	}
	for i, c := range cases {
		_, err := w.svc.OpenOrder(w.ctx, w.e1, c.o)
		t.Run(fmt.Sprint(i), func(t *testing.T) { wantRefusal(t, err, c.reason, c.field) })
	}
	if _, err := w.svc.OpenOrder(w.ctx, w.customs, Order{InnerNo: "X", Book: w.book, List: abroad, BookSeq: 1, Quantity: d("1")}); err == nil {
		t.Fatal("customs opened a repair order")
	}
	if got := w.stock(nil); len(got) != 0 {
		t.Fatalf("a refusal moved goods: %v", got)
	}
}
