package evidence

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// withProcessing adds the processing centre to the world: its tables, and
// the evidence service reading its documents as the server's does.
func (w *world) withProcessing() *processing.Service {
	w.t.Helper()
	w.must(errOf(processing.Migrations().Up(w.ctx, w.pool)))
	proc, err := processing.New(w.pool, w.store, w.zone, processing.Options{})
	w.must(err)
	w.must(proc.Start(w.ctx))
	w.svc, err = New(w.pool, w.store, w.zone, []Source{proc}, Options{})
	w.must(err)
	return proc
}

// gateRegistration files a gate registration (核放单 type 5) of the book
// and lets it pass the gate in direction io.
func (w *world) gateRegistration(io codes.IOFlag) string {
	w.t.Helper()
	w.n++
	inner := "GR-" + strings.Repeat("x", w.n)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: inner, Book: w.book, Type: codes.PassGateRegistration, IO: io, Vehicle: "沪A12345",
		VehicleWeight: d("10000"), GrossWeight: d("100"), NetWeight: d("90"), Lines: []zone.PassLine{{Description: "委托方料件", Quantity: d("1"), Unit: "035"}}})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10100")})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("gate registration %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return ps.No
}

// entrustedRecords is the entrustment and entrusted-move records of a
// seal's documents.
func entrustedRecords(docs map[string]string) []string {
	var out []string
	for k := range docs {
		if strings.HasPrefix(k, "entrustment:") || strings.HasPrefix(k, "entrusted-move:") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestSealRecordsEntrustedProcessing: a seal after a 委托加工 entrustment
// is filed holds it; a receipt under it is in the next seal, without the
// entrustment, which did not change; a seal with nothing changed holds
// neither. Every export verifies (sealZone).
func TestSealRecordsEntrustedProcessing(t *testing.T) {
	w := newWorld(t)
	proc := w.withProcessing()
	base := w.today.AddDate(0, 0, -30)
	e, err := proc.FileEntrustment(w.ctx, w.e1, processing.Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "苏州某电子有限公司"})
	w.must(err)
	got := w.sealZone(base.AddDate(0, 0, 1))
	if rec := got["entrustment:"+e.No]; !strings.Contains(rec, `"Client":"`+e.Client+`"`) {
		t.Fatalf("the seal after the entrustment was filed holds %v; its entrustment record: %s", slices.Sorted(maps.Keys(got)), rec)
	}
	if got := w.sealZone(base.AddDate(0, 0, 2)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds %v", slices.Sorted(maps.Keys(got)))
	}
	gr := w.gateRegistration(codes.In)
	rc, err := proc.ReceiveEntrusted(w.ctx, w.e1, processing.EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Reference: gr,
		Lines: []processing.EntrustedLine{{BookSeq: 1, Quantity: d("4"), Value: d("200")}}})
	w.must(err)
	got = w.sealZone(base.AddDate(0, 0, 3))
	if recs := entrustedRecords(got); len(recs) != 1 || recs[0] != "entrusted-move:"+rc.No {
		t.Fatalf("the seal after a receipt holds %v, want the move %s and not the unchanged entrustment", slices.Sorted(maps.Keys(got)), rc.No)
	}
	if got["pass:"+gr] == "" {
		t.Errorf("the seal after a receipt lacks its gate registration %s: %v", gr, slices.Sorted(maps.Keys(got)))
	}
	if got := w.sealZone(base.AddDate(0, 0, 4)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds %v", slices.Sorted(maps.Keys(got)))
	}
}

// TestEntrustedDocumentsStoredBeforeTheMigrationAreSealed: a book sealed
// after the other documents got their change numbers, with an entrustment
// and a receipt stored before theirs (never in any seal): the migration
// numbers them after that seal's mark, so the next seal holds both, and
// the one after neither.
func TestEntrustedDocumentsStoredBeforeTheMigrationAreSealed(t *testing.T) {
	w := newWorld(t)
	proc := w.withProcessing()
	base := w.today.AddDate(0, 0, -30)
	w.receive("10")
	e, err := proc.FileEntrustment(w.ctx, w.e1, processing.Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "某公司"})
	w.must(err)
	rc, err := proc.ReceiveEntrusted(w.ctx, w.e1, processing.EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Reference: w.gateRegistration(codes.In),
		Lines: []processing.EntrustedLine{{BookSeq: 1, Quantity: d("4"), Value: d("200")}}})
	w.must(err)
	// The schema before: no change numbers on the entrusted tables, whose
	// rows the seal then did not read.
	for _, sql := range []string{
		`ALTER TABLE proc_entrustments DROP COLUMN change_seq`,
		`ALTER TABLE proc_entrusted_moves DROP COLUMN change_seq`,
		`DELETE FROM schema_migrations WHERE component = 'processing' AND version BETWEEN 24 AND 30`,
		`CREATE TABLE proc_entrustments_held AS SELECT * FROM proc_entrustments`,
		`CREATE TABLE proc_entrusted_moves_held AS SELECT * FROM proc_entrusted_moves`,
		`DELETE FROM proc_entrusted_moves`,
		`DELETE FROM proc_entrustments`,
		`ALTER TABLE proc_entrustments ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0`,
		`ALTER TABLE proc_entrusted_moves ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0`,
	} {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	sealed := w.sealZone(base.AddDate(0, 0, 1))
	if len(sealed) < 3 || len(entrustedRecords(sealed)) != 0 {
		t.Fatalf("the seal before the migration holds %v", slices.Sorted(maps.Keys(sealed)))
	}
	for _, sql := range []string{
		`ALTER TABLE proc_entrustments DROP COLUMN change_seq`,
		`ALTER TABLE proc_entrusted_moves DROP COLUMN change_seq`,
		`INSERT INTO proc_entrustments SELECT no, enterprise, inner_no, book, body, created_at FROM proc_entrustments_held`,
		`INSERT INTO proc_entrusted_moves SELECT no, enterprise, inner_no, book, entrustment, reference, body, created_at FROM proc_entrusted_moves_held`,
	} {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	w.must(errOf(processing.Migrations().Up(w.ctx, w.pool)))
	got := w.sealZone(base.AddDate(0, 0, 2))
	if recs := entrustedRecords(got); len(recs) != 2 || recs[0] != "entrusted-move:"+rc.No || recs[1] != "entrustment:"+e.No || len(got) != 2 {
		t.Fatalf("the first seal after the migration holds %v, want the move %s and the entrustment %s only", slices.Sorted(maps.Keys(got)), rc.No, e.No)
	}
	if got := w.sealZone(base.AddDate(0, 0, 3)); len(got) != 0 {
		t.Fatalf("the seal after it holds %v", slices.Sorted(maps.Keys(got)))
	}
}
