package repair

import (
	"strings"
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
		`DELETE FROM schema_migrations WHERE component = 'repair' AND version BETWEEN 5 AND 11`,
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

// TestRectificationsForEvidence: customs putting an enterprise under
// rectification (整改), and lifting it, is a record of each of the
// enterprise's books, read for evidence after the book's change mark in
// its new state; setting the state it is in again changes nothing.
func TestRectificationsForEvidence(t *testing.T) {
	w := newWorld(t)
	marks := map[string]zone.DocMark{}
	read := func(book string) []zone.StoredDocument {
		t.Helper()
		upTo, err := w.zone.ChangeMark(w.ctx, book)
		w.must(err)
		var got []zone.StoredDocument
		w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, book, marks[book], upTo, func(sd zone.StoredDocument) error {
			if sd.Kind == KindRectification {
				got = append(got, sd)
			}
			return nil
		}))
		marks[book] = upTo
		return got
	}
	books := []string{w.book, w.zoneBk}
	for _, b := range books {
		if got := read(b); len(got) != 0 {
			t.Fatalf("book %s before any rectification: %+v", b, got)
		}
	}
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, true, "premises not separated"))
	var key string
	for _, b := range books {
		got := read(b)
		if len(got) != 1 || got[0].Status != RectificationInForce || got[0].Enterprise != w.e1.Enterprise ||
			!strings.HasPrefix(got[0].No, w.e1.Enterprise+"/") || !strings.Contains(got[0].Body, `"Note":"premises not separated"`) || strings.Contains(got[0].Body, "Lifted") {
			t.Fatalf("book %s after the rectification was set: %+v", b, got)
		}
		key = got[0].No
	}
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, true, "again"))
	for _, b := range books {
		if got := read(b); len(got) != 0 {
			t.Fatalf("book %s after the rectification in force was set again: %+v", b, got)
		}
	}
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, false, ""))
	for _, b := range books {
		got := read(b)
		if len(got) != 1 || got[0].No != key || got[0].Status != RectificationLifted || !strings.Contains(got[0].Body, `"LiftedBy":"officer"`) ||
			!strings.Contains(got[0].Body, `"Note":"premises not separated"`) {
			t.Fatalf("book %s after the rectification was lifted: %+v, want %s LIFTED", b, got, key)
		}
	}
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, false, ""))
	if got := read(w.book); len(got) != 0 {
		t.Fatalf("after lifting a lifted rectification: %+v", got)
	}
}

// TestRectificationsInForceBeforeTheRecordsAreRead: a rectification in
// force when the records were added (only rep_rectifications held it) is,
// after the migration, a record of each of the enterprise's books, read
// after the mark a seal read before the migration.
func TestRectificationsInForceBeforeTheRecordsAreRead(t *testing.T) {
	w := newWorld(t)
	w.must(w.svc.SetRectification(w.ctx, w.customs, w.e1.Enterprise, true, "premises not separated"))
	for _, sql := range []string{
		`DROP TABLE rep_rectification_records`,
		`DELETE FROM schema_migrations WHERE component = 'repair' AND version BETWEEN 12 AND 15`,
	} {
		if _, err := w.svc.pool.Exec(w.ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	books := []string{w.book, w.zoneBk}
	before := map[string]zone.DocMark{}
	for _, b := range books {
		m, err := w.zone.ChangeMark(w.ctx, b)
		w.must(err)
		before[b] = m
	}
	if _, err := Migrations().Up(w.ctx, w.svc.pool); err != nil {
		t.Fatal(err)
	}
	for _, b := range books {
		mark, err := w.zone.ChangeMark(w.ctx, b)
		w.must(err)
		var got []zone.StoredDocument
		w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, b, before[b], mark, func(sd zone.StoredDocument) error { got = append(got, sd); return nil }))
		if len(got) != 1 || got[0].Kind != KindRectification || got[0].Status != RectificationInForce {
			t.Fatalf("book %s after the migration: %+v", b, got)
		}
	}
}
