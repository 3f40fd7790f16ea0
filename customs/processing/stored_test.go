package processing

import (
	"encoding/json"
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: the processing centre's documents of a
// book come out in kind, then number order, with their states and bodies
// as stored; another enterprise does not see the book.
func TestBookDocumentsForEvidence(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "10"), {BookSeq: 5, Quantity: d("0.5"), Category: CategoryScrap}}})
	w.must(err)
	d1, err := w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-1", Book: w.book, Reason: "scrap", Lines: []DestroyLine{{BookSeq: 5, Quantity: d("0.5"), Lot: rep.Outputs[1].Lot}}})
	w.must(err)
	var got []zone.StoredDocument
	w.must(w.svc.BookDocuments(w.ctx, w.customs, w.book, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
	var kinds []string
	for _, sd := range got {
		kinds = append(kinds, sd.Kind+" "+sd.No+" "+sd.Status)
		if !json.Valid([]byte(sd.Body)) || sd.Enterprise != w.e1.Enterprise {
			t.Errorf("%s %s: enterprise %q, body %q", sd.Kind, sd.No, sd.Enterprise, sd.Body)
		}
	}
	if len(got) != 3 || got[0].Kind != "consumption-version" || got[1].Kind != "destruction" || got[1].No != d1.No ||
		got[1].Status != string(DestructionRequested) || got[2].Kind != "production-report" || got[2].No != rep.No {
		t.Fatalf("documents %v", kinds)
	}
	err = w.svc.BookDocuments(w.ctx, w.e2, w.book, func(zone.StoredDocument) error { return nil })
	wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}
