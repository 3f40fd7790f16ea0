package repair

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestCatalogue: with a catalogue configured, an order opens only for
// goods of a catalogue entry; a group-only entry takes only the group's
// own products; the group's own products need no entry; an entry's
// "may not circulate domestically after repair" flag keeps repaired goods
// from going back to the domestic area, while export stays open.
func TestCatalogue(t *testing.T) {
	set := DefaultSettings()
	set.Catalogue = []CatalogueEntry{
		{Prefix: "8411", Category: "航空航天"},
		{Prefix: "84579", Category: "group only", GroupOnly: true},
		{Prefix: "845710", Category: "数控机床", NoDomesticAfterRepair: true},
	}
	w := newWorldWith(t, set)
	engine := w.receive(w.book, 1, "1", false, false)
	machine := w.receive(w.book, 2, "2", true, false)
	scrap := w.receive(w.book, 5, "1", false, false)
	_, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-0", Book: w.book, List: scrap, BookSeq: 5, Quantity: d("1")})
	wantRefusal(t, err, ReasonNotInCatalogue, "book_seq")
	_, err = w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: engine, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-2", Book: w.book, List: machine, BookSeq: 2, Quantity: d("1")})
	w.must(err)
	if !o.NoDomestic {
		t.Fatalf("the catalogue's flag is not on the order: %+v", o)
	}
	_, err = w.svc.Finish(w.ctx, w.e1, o.No, "f", time.Time{}, d("1"), d("0"))
	w.must(err)
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "x", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReturnDomestic, Reference: "QD-1"})
	wantRefusal(t, err, ReasonNoDomesticCirculation, "way")
	_, err = w.svc.ExitGoods(w.ctx, w.e1, o.No, "y", time.Time{}, Exit{Section: SectionRepaired, BookSeq: 2, Quantity: d("1"), Way: WayReExport, Reference: w.exitList(2, "1", "1371", false)})
	w.must(err)

	set.Catalogue = []CatalogueEntry{{Prefix: "84", Category: "group only", GroupOnly: true}}
	w2 := newWorldWith(t, set)
	m := w2.receive(w2.book, 2, "2", true, false)
	_, err = w2.svc.OpenOrder(w2.ctx, w2.e1, Order{InnerNo: "R-1", Book: w2.book, List: m, BookSeq: 2, Quantity: d("1")})
	wantRefusal(t, err, ReasonNotInCatalogue, "book_seq")
	_, err = w2.svc.OpenOrder(w2.ctx, w2.e1, Order{InnerNo: "R-2", Book: w2.book, List: m, BookSeq: 2, Quantity: d("1"), Group: true})
	w2.must(err)
	set.Catalogue = []CatalogueEntry{{Prefix: "8A"}}
	if set.Validate() == nil {
		t.Fatal("a prefix that is not digits was accepted")
	}
}

// TestEnterpriseMayNotOpen: an enterprise under rectification, or rated
// 失信, cannot open repair orders; lifting the rectification lets it.
func TestEnterpriseMayNotOpen(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "1", false, false)
	err := w.svc.SetRectification(w.ctx, w.e1, w.e1.Enterprise, true, "premises not separated")
	wantRefusal(t, err, "PERMISSION_DENIED", "")
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, true, "premises not separated"))
	_, err = w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	wantRefusal(t, err, ReasonUnderRectification, "book_no")
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, false, ""))
	_, err = w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)

	u3 := uscc(t, "91310000MA1K00003")
	_, err = w.zone.RegisterEnterprise(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, zone.Enterprise{USCC: u3, CustomsCode: "3105960003", Name: "Discredited", Credit: codes.CreditDiscredited})
	w.must(err)
	_, err = w.zone.CreateBook(w.ctx, w.customs, zone.Book{No: "H31050000009", Kind: codes.BookRepair, Enterprise: u3, CustomsOffice: "3105", Usage: "3"})
	w.must(err)
	e3 := access.Principal{ID: "e3", Role: access.RoleEnterprise, Enterprise: u3}
	_, err = w.svc.OpenOrder(w.ctx, e3, Order{InnerNo: "R-1", Book: "H31050000009", List: in, BookSeq: 1, Quantity: d("1")})
	wantRefusal(t, err, zone.ReasonDiscredited, "book_no")
}
