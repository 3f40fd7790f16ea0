package evidence

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// zoneRecords returns the export's zone document records (every record
// but the period, its journals and the e-commerce lists), by kind and
// number ("list:…", "pass:…", "taxable-event:…").
func zoneRecords(t testing.TB, export []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range strings.Split(strings.TrimSuffix(string(export), "\n"), "\n") {
		var l evfile.Line
		if err := jsonUnmarshalLine(s, &l); err != nil {
			t.Fatal(err)
		}
		switch l.Kind {
		case evfile.KindPeriod, evfile.KindJournal, evfile.KindEcommerceList:
		default:
			out[l.Kind+":"+l.Key] = string(l.Record)
		}
	}
	return out
}

// sealZone closes the book's ledger period through day, seals its
// evidence, checks the export against the sealed digest, and returns the
// zone document records the seal holds.
func (w *world) sealZone(day time.Time) map[string]string {
	w.t.Helper()
	w.close(day)
	sealed, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
	w.must(err)
	export, _, err := w.export(w.customs, day)
	w.must(err)
	if rep, err := evfile.Verify(bytes.NewReader(export), sealed.Digest); err != nil || !rep.Match {
		w.t.Fatalf("verify of the export through %s: %v %v", ledger.FormatDate(day), rep.Problems, err)
	}
	got := zoneRecords(w.t, export)
	if sealed.Documents != int64(len(got)) {
		w.t.Fatalf("the seal through %s counts %d documents, its export holds %d", ledger.FormatDate(day), sealed.Documents, len(got))
	}
	return got
}

// draft files a draft first-line list of qty on line 1.
func (w *world) draft(inner, qty string) zone.List {
	w.t.Helper()
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d(qty), Total: d("30"), GrossWeight: d("10"), NetWeight: d("9")}}})
	w.must(err)
	return l
}

// taxable records a taxable event another centre's document made, through
// the ledger's seam, and returns its record key.
func (w *world) taxable(source string) string {
	w.t.Helper()
	var id int64
	w.must(w.store.ReadWriteTx(w.ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		ev, err := w.zone.RecordTaxableEvent(ctx, tx, zone.TaxableEvent{Book: w.book, Enterprise: w.e1.Enterprise, ListNo: "XH-1", ListSeq: 1,
			HSCode: "7204490000", Quantity: d("0"), LegalQuantity: d("0"), DutiableValue: d("120.00"), TradeMode: "0400", Date: w.today, TaxDate: w.today}, source)
		id = ev.ID
		return err
	}))
	return zone.KindTaxableEvent + ":" + strconv.FormatInt(id, 10)
}

// statusOf is the "Status" a document record holds.
func statusOf(record string) string {
	_, after, ok := strings.Cut(record, `"Status":"`)
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(after, `"`)
	return s
}

// TestSealRecordsOnlyTheZoneDocumentsChangedSinceThePreviousSeal: the
// book's first seal records every zone document of the book; a seal after
// a seal with no change in between records none; each document-changing
// operation after a seal — a list filed, declared, approved, returned,
// moved by a customs receipt, a pass through the gate, a taxable event —
// puts the document in the next seal in its new state, and the documents
// that did not change are not in it. Reading the seals in order finds
// every document in its state as the zone reads it now, and every export
// verifies.
func TestSealRecordsOnlyTheZoneDocumentsChangedSinceThePreviousSeal(t *testing.T) {
	w := newWorld(t)
	// The ledger's periods are closed through days before today: the
	// journals of today come after them.
	base := w.today.AddDate(0, 0, -30)
	passed := w.receive("10")
	toDeclare, toApprove, toReturn, toReceipt := w.draft("D-1", "1"), w.draft("D-2", "2"), w.draft("D-3", "3"), w.draft("D-4", "4")
	for _, l := range []zone.List{toApprove, toReturn, toReceipt} {
		w.must(errOf(w.zone.DeclareList(w.ctx, w.e1, l.No)))
	}
	event := w.taxable("zone-docs-test:1")
	latest := map[string]string{}
	first := w.sealZone(base.AddDate(0, 0, 1))
	for _, k := range []string{"list:" + passed, "list:" + toDeclare.No, "list:" + toApprove.No, "list:" + toReturn.No, "list:" + toReceipt.No, event} {
		if first[k] == "" {
			t.Errorf("the book's first seal lacks %s; it holds %v", k, slices.Sorted(maps.Keys(first)))
		}
	}
	maps.Copy(latest, first)
	if got := w.sealZone(base.AddDate(0, 0, 2)); len(got) != 0 {
		t.Fatalf("a seal with no zone document changed since the one before holds %d: %v", len(got), slices.Sorted(maps.Keys(got)))
	}

	w.must(errOf(w.zone.DeclareList(w.ctx, w.e1, toDeclare.No)))
	w.must(errOf(w.zone.ApproveList(w.ctx, w.customs, toApprove.No, "ok")))
	w.must(errOf(w.zone.ReturnList(w.ctx, w.customs, toReturn.No, "wrong HS code")))
	_, changed, err := w.zone.ApplyListReceipt(w.ctx, w.customs, zone.ListReceipt{CustomsNo: "QD3105" + toReceipt.No[len(toReceipt.No)-9:], Enterprise: w.e1.Enterprise,
		InnerNo: toReceipt.InnerNo, Book: w.book, Stage: zone.CustomsApproved, At: time.Now()})
	w.must(err)
	if !changed {
		t.Fatalf("the receipt changed nothing")
	}
	through := w.receive("5") // a new list and its pass through the gate
	event2 := w.taxable("zone-docs-test:2")
	got := w.sealZone(base.AddDate(0, 0, 3))
	want := map[string]string{"list:" + toDeclare.No: "DECLARED", "list:" + toApprove.No: "APPROVED", "list:" + toReturn.No: "RETURNED", "list:" + toReceipt.No: "APPROVED",
		"list:" + through: "CLEARED"}
	for k, st := range want {
		if got[k] == "" || statusOf(got[k]) != st {
			t.Errorf("the seal after the changes holds %s as %q, want %s", k, statusOf(got[k]), st)
		}
	}
	if got[event2] == "" {
		t.Errorf("the seal after the changes lacks the new taxable event %s", event2)
	}
	var passes int
	for k, r := range got {
		if strings.HasPrefix(k, "pass:") {
			passes++
			if statusOf(r) != string(zone.PassPassed) {
				t.Errorf("pass %s is sealed %s", k, statusOf(r))
			}
		}
	}
	for _, k := range []string{"list:" + passed, event} {
		if got[k] != "" {
			t.Errorf("the seal after the changes holds %s, which did not change", k)
		}
	}
	if passes != 1 || len(got) != len(want)+2 {
		t.Errorf("the seal after the changes holds %v, want %d lists, the new pass and the new event", slices.Sorted(maps.Keys(got)), len(want))
	}
	maps.Copy(latest, got)
	if got := w.sealZone(base.AddDate(0, 0, 4)); len(got) != 0 {
		t.Fatalf("a seal with no zone document changed since the one before holds %v", slices.Sorted(maps.Keys(got)))
	}

	// The seals in order hold every document as it is now.
	lists, err := w.zone.ListLists(w.ctx, w.customs, zone.ListFilter{Book: w.book})
	w.must(err)
	passList, err := w.zone.ListPasses(w.ctx, w.customs, zone.ListFilter{Book: w.book})
	w.must(err)
	now := map[string]string{}
	for _, l := range lists {
		now["list:"+l.No] = string(l.Status)
	}
	for _, p := range passList {
		now["pass:"+p.No] = string(p.Status)
	}
	for k, st := range now {
		if statusOf(latest[k]) != st {
			t.Errorf("%s reads %s, the seals in order hold %q", k, st, statusOf(latest[k]))
		}
	}
	if len(now) != 8 {
		t.Errorf("the book has %d lists and passes, want 8: %v", len(now), now)
	}
}

// TestZoneDocumentsStoredBeforeTheMigrationAreSealed: documents and
// taxable events stored as the schema before the change numbers had them
// (no change column, no per-book counter) are filled by the migration so
// that the first seal after it records every one of them once more, the
// next none, and a document changed after the migration is in the seal
// after it.
func TestZoneDocumentsStoredBeforeTheMigrationAreSealed(t *testing.T) {
	w := newWorld(t)
	base := w.today.AddDate(0, 0, -30)
	listNo := w.receive("10")
	draft := w.draft("D-1", "1")
	event := w.taxable("zone-docs-test:1")
	for _, sql := range append([]string{
		`DROP TABLE zone_doc_seqs`,
		`ALTER TABLE zone_documents DROP COLUMN change_seq`,
		`ALTER TABLE zone_taxable_events DROP COLUMN change_seq`,
		`DELETE FROM schema_migrations WHERE component = 'zone' AND version BETWEEN 20 AND 27`,
	}, bookRecordsWithoutChangeNumbers...) { // nor on the book's own tables
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	applied, err := zone.Migrations().Up(w.ctx, w.pool)
	w.must(err)
	if len(applied) == 0 {
		t.Fatalf("no zone migration to apply")
	}
	got := w.sealZone(base.AddDate(0, 0, 1))
	for _, k := range []string{"list:" + listNo, "list:" + draft.No, event, "book:" + w.book, "book-line:1", "enterprise:" + w.e1.Enterprise} {
		if got[k] == "" {
			t.Errorf("the first seal after the migration lacks %s; it holds %v", k, slices.Sorted(maps.Keys(got)))
		}
	}
	if len(got) != 7 { // two lists, the pass, the event, the book, its line and its enterprise
		t.Errorf("the first seal after the migration holds %v, want 7 documents", slices.Sorted(maps.Keys(got)))
	}
	if got := w.sealZone(base.AddDate(0, 0, 2)); len(got) != 0 {
		t.Fatalf("the seal after it holds %v, want none", slices.Sorted(maps.Keys(got)))
	}
	w.must(errOf(w.zone.DeclareList(w.ctx, w.e1, draft.No)))
	event2 := w.taxable("zone-docs-test:2")
	got = w.sealZone(base.AddDate(0, 0, 3))
	if len(got) != 2 || statusOf(got["list:"+draft.No]) != "DECLARED" || got[event2] == "" {
		t.Fatalf("the seal after a declaration and an event holds %v, want list %s DECLARED and %s", got, draft.No, event2)
	}
}

// TestAChangeCommittedDuringASealIsInTheNextSeal: a taxable event
// recorded in a transaction still open while a seal reads the book is not
// in that seal (it had not committed) and, once committed, is in the next
// one, though its change number was taken before that seal read.
func TestAChangeCommittedDuringASealIsInTheNextSeal(t *testing.T) {
	w := newWorld(t)
	base := w.today.AddDate(0, 0, -30)
	w.sealZone(base.AddDate(0, 0, 1))
	recorded, release, done := make(chan string), make(chan struct{}), make(chan error)
	go func() {
		done <- w.store.ReadWriteTx(w.ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
			ev, err := w.zone.RecordTaxableEvent(ctx, tx, zone.TaxableEvent{Book: w.book, Enterprise: w.e1.Enterprise, ListNo: "XH-1", ListSeq: 1,
				HSCode: "7204490000", Quantity: d("0"), LegalQuantity: d("0"), DutiableValue: d("120.00"), TradeMode: "0400", Date: w.today, TaxDate: w.today}, "open-during-seal")
			if err != nil {
				close(recorded)
				return err
			}
			recorded <- zone.KindTaxableEvent + ":" + strconv.FormatInt(ev.ID, 10)
			<-release
			return nil
		})
	}()
	open, ok := <-recorded
	if !ok {
		t.Fatal(<-done)
	}
	// The seal reads while the change is open (it waits for no lock).
	got := w.sealZone(base.AddDate(0, 0, 2))
	if got[open] != "" {
		t.Fatalf("the seal holds %s, which had not committed", open)
	}
	close(release)
	w.must(<-done)
	got = w.sealZone(base.AddDate(0, 0, 3))
	if len(got) != 1 || got[open] == "" {
		t.Fatalf("the seal after the open change committed holds %v, want %s", slices.Sorted(maps.Keys(got)), open)
	}
	if got := w.sealZone(base.AddDate(0, 0, 4)); len(got) != 0 {
		t.Fatalf("the seal after that holds %v", slices.Sorted(maps.Keys(got)))
	}
}
