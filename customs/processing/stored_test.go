package processing

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: the processing centre's documents of a
// book come out in kind, then number order, with their states and bodies
// as stored; read again from the book's change mark, none comes out until
// one changes, then only that one; another enterprise does not see the
// book.
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
	read := func(since zone.DocMark) ([]zone.StoredDocument, zone.DocMark) {
		t.Helper()
		upTo, err := w.zone.ChangeMark(w.ctx, w.book)
		w.must(err)
		var got []zone.StoredDocument
		w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, w.book, since, upTo, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
		return got, upTo
	}
	got, mark := read(zone.DocMark{})
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
	if again, _ := read(mark); len(again) != 0 {
		t.Fatalf("read again with nothing changed: %+v", again)
	}
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("2", time.Now().AddDate(0, 0, 30).Format("2006-01-02")))
	w.must(err)
	// The new version, and the one it supersedes, changed.
	if again, _ := read(mark); len(again) != 2 || again[0].No != "4/1" || !strings.Contains(again[0].Body, `"SupersededBy":"2"`) || again[1].No != "4/2" {
		t.Fatalf("read after a version was put: %+v", again)
	}
	err = w.svc.BookDocumentsChanged(w.ctx, w.e2, w.book, zone.DocMark{}, mark, func(zone.StoredDocument) error { return nil })
	wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}
