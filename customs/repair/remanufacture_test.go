package repair

import (
	"fmt"
	"testing"
	"time"
)

// TestRemanufacture: gearbox cores from abroad go into the cores section
// bonded, come out remanufactured, removed parts and scrap follow the
// repair rules; remanufactured goods leave by re-export, and their
// domestic sale is refused by default; with the setting on they go back
// to the bonded bucket for a taxed domestic-sale list. Cores from the
// domestic area are refused.
func TestRemanufacture(t *testing.T) {
	for _, sale := range []bool{false, true} {
		t.Run(fmt.Sprint("domestic sale ", sale), func(t *testing.T) {
			set := DefaultSettings()
			set.RemanufacturedDomesticSale = sale
			w := newWorldWith(t, set)
			cores := w.receive(w.book, 2, "3", false, false)
			dom := w.receive(w.book, 2, "1", true, false)
			_, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "Z-0", Book: w.book, List: dom, BookSeq: 2, Quantity: d("1"), Remanufacture: true})
			wantRefusal(t, err, ReasonRepairIntake, "list_no")
			o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "Z-1", Book: w.book, List: cores, BookSeq: 2, Quantity: d("3"), Remanufacture: true})
			w.must(err)
			_, err = w.svc.RemoveParts(w.ctx, w.e1, o.No, "x", time.Time{}, []Removed{{BookSeq: 4, Quantity: d("2")}, {BookSeq: 5, Quantity: d("1.5"), Scrap: true}})
			w.must(err)
			_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f", time.Time{}, d("2"), d("1"))
			w.must(err)
			want := map[string]string{"2 remanufactured/abroad": "2", "2 unrepairable/abroad": "1", "4 old-parts/abroad": "2", "5 scrap/abroad": "1.5"}
			if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("stock: got %v, want %v", got, want)
			}
			_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "p", time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d("2"), Way: WayDomesticSale, Reference: "QD-1"})
			wantRefusal(t, err, ReasonPartsReExportOnly, "way")
			_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "r", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReExport, Reference: "QD-1"})
			wantRefusal(t, err, "INVALID_ARGUMENT", "section")
			_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "s", time.Time{}, Exit{Section: SectionRemanufactured, BookSeq: 2, Quantity: d("1"), Way: WayDomesticSale, Reference: "QD-2"})
			if !sale {
				wantRefusal(t, err, ReasonRemanufacturedDomestic, "way")
			} else {
				w.must(err)
				zs, err := w.zone.StockReport(w.ctx, w.customs, w.book, nil)
				w.must(err)
				if !zs[1].Available.Equal(d("2")) { // the refused domestic core stays bonded, the sold goods joined it
					t.Fatalf("sold goods not back in bonded for their list: %+v", zs[1])
				}
			}
			_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "e", time.Time{}, Exit{Section: SectionRemanufactured, BookSeq: 2, Quantity: d("1"), Way: WayReExport, Reference: w.exitList(2, "1", "1371", false)})
			w.must(err)
			if _, err := w.svc.GetOrder(w.ctx, w.customs, o.No); err != nil {
				t.Fatal(err)
			}
		})
	}
}
