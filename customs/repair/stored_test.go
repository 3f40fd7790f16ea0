package repair

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestBookDocumentsForEvidence: the repair centre's documents of a book
// (orders with their states) come out for evidence; read again from the
// book's change mark, none comes out until one changes; another
// enterprise does not see the book.
func TestBookDocumentsForEvidence(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "2", false, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
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
	if len(got) != 1 || got[0].Kind != "repair-order" || got[0].No != o.No || got[0].Status != string(o.Status) || got[0].Enterprise != w.e1.Enterprise {
		t.Fatalf("documents %+v", got)
	}
	if again, _ := read(mark); len(again) != 0 {
		t.Fatalf("read again with nothing changed: %+v", again)
	}
	o2, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-2", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	if again, _ := read(mark); len(again) != 1 || again[0].No != o2.No {
		t.Fatalf("read after an order was opened: %+v", again)
	}
	err = w.svc.BookDocumentsChanged(w.ctx, w.e2, w.book, zone.DocMark{}, mark, func(zone.StoredDocument) error { return nil })
	wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
}

// TestDocumentsStoredBeforeTheChangeNumbersAreRead: orders and parts
// records stored as the schema before change numbers had them are read,
// after the migration, from the zero mark up to the book's change mark
// (what the first seal after the upgrade reads), and not again after it.
func TestDocumentsStoredBeforeTheChangeNumbersAreRead(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "2", false, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
	w.must(err)
	for _, sql := range []string{
		`ALTER TABLE rep_orders DROP COLUMN change_seq`,
		`ALTER TABLE rep_parts DROP COLUMN change_seq`,
		`DELETE FROM zone_doc_seqs`,
		`DELETE FROM schema_migrations WHERE component = 'repair' AND version >= 5`,
	} {
		if _, err := w.svc.pool.Exec(w.ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Migrations().Up(w.ctx, w.svc.pool); err != nil {
		t.Fatal(err)
	}
	mark, err := w.zone.ChangeMark(w.ctx, w.book)
	w.must(err)
	var got []zone.StoredDocument
	w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, w.book, zone.DocMark{}, mark, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
	if len(got) != 1 || got[0].No != o.No {
		t.Fatalf("read after the migration: %+v", got)
	}
	got = nil
	w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, w.book, mark, mark, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
	if len(got) != 0 {
		t.Fatalf("read again: %+v", got)
	}
}
