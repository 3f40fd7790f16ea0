package writeoff

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/evidence"
	"github.com/zoneledger/zoneledger/ledger"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// exportEvidence writes the book's sealed evidence through day as an
// export file, as zonectl evidence export does.
func (w *cycleWorld) exportEvidence(through time.Time) []byte {
	w.t.Helper()
	var buf bytes.Buffer
	w.must(w.ev.Export(w.ctx, w.customs, w.book, through, func(evidence.Sealed) error { return nil },
		func(l evfile.Line) error { return evfile.Write(&buf, l) }))
	return buf.Bytes()
}

// verifyAgainst runs the offline check zonectl verify runs on an export
// and the hex digest kept.
func verifyAgainst(t *testing.T, export []byte, digest string) evfile.Report {
	t.Helper()
	kept, err := hex.DecodeString(digest)
	if err != nil || len(kept) == 0 {
		t.Fatalf("digest %q is not a digest", digest)
	}
	rep, err := evfile.Verify(bytes.NewReader(export), kept)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestCloseSealsTheEvidenceTheStocktakeShows: closing a write-off seals the
// book's evidence through the stocktake date; the export of that period
// verifies offline against the evidence digest the closed stocktake shows,
// and closing again changes nothing.
func TestCloseSealsTheEvidenceTheStocktakeShows(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(3, "10", "2000", w.today())
	w.cycle()
	st := w.notified()
	w.must(cycleErrOf(w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("10")}})))
	st, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if st.EvidenceDigest == "" || !st.EvidenceThrough.Equal(st.Date) {
		t.Fatalf("closed stocktake shows evidence %q through %s, want a digest through %s", st.EvidenceDigest, st.EvidenceThrough, ledger.FormatDate(st.Date))
	}
	all, err := w.ev.List(w.ctx, w.customs, w.book)
	w.must(err)
	if len(all) != 1 || hex.EncodeToString(all[0].Digest) != st.EvidenceDigest || hex.EncodeToString(all[0].LedgerDigest) != st.Digest {
		t.Fatalf("sealed evidence %+v, stocktake %s / %s", all, st.EvidenceDigest, st.Digest)
	}
	export := w.exportEvidence(st.Date)
	if rep := verifyAgainst(t, export, st.EvidenceDigest); !rep.Match {
		t.Fatalf("verify of the closed write-off's export: %v", rep.Problems)
	}
	if !bytes.Contains(export, []byte(`"kind":"stocktake","key":"`+st.No+`"`)) {
		t.Fatalf("the export does not hold stocktake %s", st.No)
	}
	again, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if again.EvidenceDigest != st.EvidenceDigest || again.Digest != st.Digest {
		t.Fatalf("closing again changed the digests: %+v", again)
	}
}

// TestCloseUsesALedgerPeriodClosedThroughTheStocktakeDate: when the book's
// ledger was closed through the stocktake date already (zonectl periods
// close), the write-off closes on that period and seals its evidence and
// the earlier period's, in order.
func TestCloseUsesALedgerPeriodClosedThroughTheStocktakeDate(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(3, "10", "2000", w.today().AddDate(0, 0, -3))
	w.cycle()
	st := w.notified()
	w.must(cycleErrOf(w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("10")}})))
	w.must(cycleErrOf(w.store.ClosePeriod(w.ctx, ledger.ClosePeriodRequest{Book: w.book, Through: w.today().AddDate(0, 0, -2), IdempotencyKey: "month"})))
	p, err := w.store.ClosePeriod(w.ctx, ledger.ClosePeriodRequest{Book: w.book, Through: w.today(), IdempotencyKey: "day"})
	w.must(err)
	st, err = w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if st.Status != StocktakeClosed || st.Digest != hex.EncodeToString(p.Digest) || !st.EvidenceThrough.Equal(w.today()) {
		t.Fatalf("closed stocktake %+v, want the ledger's period through %s", st, ledger.FormatDate(w.today()))
	}
	all, err := w.ev.List(w.ctx, w.customs, w.book)
	w.must(err)
	if len(all) != 2 || hex.EncodeToString(all[1].Digest) != st.EvidenceDigest {
		t.Fatalf("sealed evidence %+v, want both periods, the last %s", all, st.EvidenceDigest)
	}
	if rep := verifyAgainst(t, w.exportEvidence(w.today()), st.EvidenceDigest); !rep.Match {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestCloseAfterEvidenceSealedPastTheStocktakeDate: when the book's
// evidence was sealed through a later day already, the close seals nothing
// again; the stocktake shows the sealed period that covers its date.
func TestCloseAfterEvidenceSealedPastTheStocktakeDate(t *testing.T) {
	w := newCycleWorld(t)
	day := w.today().AddDate(0, 0, -2)
	w.bring(3, "10", "2000", day.AddDate(0, 0, -1))
	w.cycle()
	w.clock = time.Now().AddDate(0, 0, -3)
	st, err := w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-1", day)
	w.must(err)
	w.clock = time.Now()
	w.must(cycleErrOf(w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("10")}})))
	w.must(cycleErrOf(w.store.ClosePeriod(w.ctx, ledger.ClosePeriodRequest{Book: w.book, Through: w.today(), IdempotencyKey: "late"})))
	later, err := w.ev.Seal(w.ctx, w.customs, w.book, w.today())
	w.must(err)
	st, err = w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if st.EvidenceDigest != hex.EncodeToString(later.Digest) || !st.EvidenceThrough.Equal(w.today()) {
		t.Fatalf("closed stocktake shows evidence %s through %s, want the sealed %x through %s", st.EvidenceDigest, st.EvidenceThrough, later.Digest, ledger.FormatDate(w.today()))
	}
	b, err := w.zone.GetBook(w.ctx, w.customs, w.book)
	w.must(err)
	if !b.LastWriteOffDate.Equal(day) {
		t.Fatalf("last write-off date %s, want the stocktake date %s", b.LastWriteOffDate, ledger.FormatDate(day))
	}
	all, err := w.ev.List(w.ctx, w.customs, w.book)
	w.must(err)
	if len(all) != 1 {
		t.Fatalf("sealed evidence %+v, want the one sealed before the close", all)
	}
}

// TestCloseAgainSealsTheEvidenceOfAStocktakeClosedWithout: a stocktake
// closed before the close sealed evidence (its evidence digest empty, no
// evidence sealed) gets its evidence sealed when closed again; its ledger
// digest and closer stay as they were.
func TestCloseAgainSealsTheEvidenceOfAStocktakeClosedWithout(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(3, "10", "2000", w.today())
	w.cycle()
	st := w.notified()
	w.must(cycleErrOf(w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("10")}})))
	closed, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	// As the close left it before it sealed evidence.
	legacy := closed
	legacy.EvidenceDigest, legacy.EvidenceThrough = "", time.Time{}
	w.must(cycleErrOf(w.store.Pool().Exec(w.ctx, `UPDATE writeoff_stocktakes SET body = $2 WHERE no = $1`, st.No, cycleJSON(legacy))))
	w.must(cycleErrOf(w.store.Pool().Exec(w.ctx, `DELETE FROM evid_records`)))
	w.must(cycleErrOf(w.store.Pool().Exec(w.ctx, `DELETE FROM evid_periods`)))
	if got, err := w.cy.GetStocktake(w.ctx, w.e1, st.No); err != nil || got.EvidenceDigest != "" || got.Status != StocktakeClosed {
		t.Fatalf("the legacy stocktake %+v %v", got, err)
	}
	again, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if again.EvidenceDigest == "" || again.Digest != closed.Digest || again.ClosedBy != closed.ClosedBy || !again.EvidenceThrough.Equal(st.Date) {
		t.Fatalf("closing the legacy stocktake again: %+v", again)
	}
	if rep := verifyAgainst(t, w.exportEvidence(st.Date), again.EvidenceDigest); !rep.Match {
		t.Fatalf("verify: %v", rep.Problems)
	}
}
