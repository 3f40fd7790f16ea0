package repair

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: the repair centre's documents of a book
// (orders with their states) come out for evidence; another enterprise
// does not see the book.
func TestBookDocumentsForEvidence(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "2", false, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	var got []zone.StoredDocument
	w.must(w.svc.BookDocuments(w.ctx, w.customs, w.book, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
	if len(got) != 1 || got[0].Kind != "repair-order" || got[0].No != o.No || got[0].Status != string(o.Status) || got[0].Enterprise != w.e1.Enterprise {
		t.Fatalf("documents %+v", got)
	}
	err = w.svc.BookDocuments(w.ctx, w.e2, w.book, func(zone.StoredDocument) error { return nil })
	wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}
