package writeoff

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: a book's cycle and stocktakes come out for
// a sealed period's evidence, the stocktake with its status; another
// enterprise does not see the book.
func TestBookDocumentsForEvidence(t *testing.T) {
	w := newCycleWorld(t)
	w.cycle()
	st := w.notified()
	var got []zone.StoredDocument
	w.must(w.cy.BookDocuments(w.ctx, w.customs, w.book, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
	if len(got) != 2 || got[0].Kind != "stocktake" || got[0].No != st.No || got[0].Status != string(st.Status) ||
		got[1].Kind != "write-off-cycle" || got[1].No != w.book || got[1].Enterprise != w.e1.Enterprise {
		t.Fatalf("documents %+v", got)
	}
	err := w.cy.BookDocuments(w.ctx, w.e2, w.book, func(zone.StoredDocument) error { return nil })
	wantCycleRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}
