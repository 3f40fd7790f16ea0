package writeoff

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: a book's cycle and stocktakes come out for
// a sealed period's evidence, the stocktake with its status; read again
// from the book's change mark, none comes out until one changes, then
// only that one; another enterprise does not see the book.
func TestBookDocumentsForEvidence(t *testing.T) {
	w := newCycleWorld(t)
	w.cycle()
	st := w.notified()
	read := func(since zone.DocMark) ([]zone.StoredDocument, zone.DocMark) {
		t.Helper()
		upTo, err := w.zone.ChangeMark(w.ctx, w.book)
		w.must(err)
		var got []zone.StoredDocument
		w.must(w.cy.BookDocumentsChanged(w.ctx, w.customs, w.book, since, upTo, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
		return got, upTo
	}
	got, mark := read(zone.DocMark{})
	if len(got) != 2 || got[0].Kind != "stocktake" || got[0].No != st.No || got[0].Status != string(st.Status) ||
		got[1].Kind != "write-off-cycle" || got[1].No != w.book || got[1].Enterprise != w.e1.Enterprise {
		t.Fatalf("documents %+v", got)
	}
	if again, _ := read(mark); len(again) != 0 {
		t.Fatalf("read again with nothing changed: %+v", again)
	}
	w.must(cycleErrOf(w.cy.SetCycle(w.ctx, w.e1, w.book, 6)))
	if again, _ := read(mark); len(again) != 1 || again[0].Kind != "write-off-cycle" {
		t.Fatalf("read after the cycle was set: %+v", again)
	}
	err := w.cy.BookDocumentsChanged(w.ctx, w.e2, w.book, zone.DocMark{}, mark, func(zone.StoredDocument) error { return nil })
	wantCycleRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}
