package processing

import (
	"testing"

	"github.com/zoneledger/zoneledger/ledger"
)

// TestDestruction: the enterprise asks to destroy scrap, nothing moves
// until customs approves; on approval the goods leave the book to the
// world account destroyed, once; a rejected or unknown record moves
// nothing; only customs decides.
func TestDestruction(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "10"), {BookSeq: 5, Quantity: d("0.5"), Category: CategoryScrap}}})
	w.must(err)
	scrap := rep.Outputs[1].Lot
	d1, err := w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-1", Book: w.book, Reason: "scrap of no value", Lines: []DestroyLine{{BookSeq: 5, Quantity: d("0.5"), Lot: scrap}}})
	w.must(err)
	if d1.Status != DestructionRequested {
		t.Fatalf("requested: %+v", d1)
	}
	w.wantBonded(map[int]string{5: "0.5"})
	_, err = w.svc.ApproveDestruction(w.ctx, w.e1, d1.No, "")
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.svc.RequestDestruction(w.ctx, w.customs, Destruction{InnerNo: "D-X", Book: w.book, Reason: "x", Lines: []DestroyLine{{BookSeq: 5, Quantity: d("0.1")}}})
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	got, err := w.svc.ApproveDestruction(w.ctx, w.customs, d1.No, "witnessed")
	w.must(err)
	if got.Status != DestructionApproved || len(got.JournalIDs) != 1 || len(got.Lines[0].Lots) != 1 || got.Lines[0].Lots[0].Lot != scrap {
		t.Fatalf("approved: %+v", got)
	}
	w.wantBonded(map[int]string{5: "0"})
	again, err := w.svc.ApproveDestruction(w.ctx, w.customs, d1.No, "witnessed")
	w.must(err)
	if again.JournalIDs[0] != got.JournalIDs[0] {
		t.Errorf("approved twice: %v then %v", got.JournalIDs, again.JournalIDs)
	}
	_, err = w.svc.RejectDestruction(w.ctx, w.customs, d1.No, "")
	wantRefusal(t, err, "WRONG_STATUS", "destruction_no")

	// More than is there: the approval is refused and the record stays requested.
	d2, err := w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-2", Book: w.book, Reason: "defects", Lines: []DestroyLine{{BookSeq: 4, Quantity: d("11")}}})
	w.must(err)
	_, err = w.svc.ApproveDestruction(w.ctx, w.customs, d2.No, "")
	wantRefusal(t, err, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity")
	if g, err := w.svc.GetDestruction(w.ctx, w.e1, d2.No); err != nil || g.Status != DestructionRequested {
		t.Fatalf("after a refused approval: %+v %v", g, err)
	}
	w.wantBonded(map[int]string{4: "10"})
	r, err := w.svc.RejectDestruction(w.ctx, w.customs, d2.No, "not witnessed")
	w.must(err)
	if r.Status != DestructionRejected {
		t.Fatalf("rejected: %+v", r)
	}
	w.wantBonded(map[int]string{4: "10"})
	_, err = w.svc.GetDestruction(w.ctx, w.e2, d2.No)
	wantRefusal(t, err, "UNKNOWN_DOCUMENT", "destruction_no")
	_, err = w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-1", Book: w.book, Reason: "other", Lines: []DestroyLine{{BookSeq: 5, Quantity: d("0.1")}}})
	wantRefusal(t, err, "DUPLICATE_DOCUMENT_NUMBER", "inner_no")
	_, err = w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-3", Book: w.book, Reason: "x", Lines: []DestroyLine{{BookSeq: 4, Quantity: d("0.5")}}})
	wantRefusal(t, err, ledger.ReasonTooManyDecimals, "lines[0].quantity")
}

// TestNonBondedShare: a good made partly of non-bonded material consumes
// the bonded share (保税料件比例) from the bonded stock; the non-bonded
// share is recorded only (default) or, when the zone keeps it on the
// book, taken from the nonbonded bucket, which cannot go negative either.
func TestNonBondedShare(t *testing.T) {
	for _, from := range []string{NonBondedOutside, NonBondedOnBook} {
		t.Run(from, func(t *testing.T) {
			set := DefaultSettings()
			set.NonBondedFrom = from
			w := newWorld(t, set)
			w.receive(1, "100")
			w.receiveNonBonded(t, 1, "5")
			v := Version{Book: w.book, FinishedSeq: 4, Version: "1", EffectiveDate: day("2026-01-01"),
				Norms: []Norm{{MaterialSeq: 1, Net: d("0.8"), LossPercent: d("20"), BondedPercent: d("60")}}}
			_, err := w.svc.PutVersion(w.ctx, w.e1, v)
			w.must(err)
			// 10 units: 10 × 0.8 / 0.8 = 10 of material 1, 6 bonded and 4 not.
			got, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "10")}})
			w.must(err)
			c := got.Consumed[0]
			if !c.Bonded.Equal(d("6")) || !c.NonBonded.Equal(d("4")) || !c.Loss.Equal(d("2")) {
				t.Fatalf("consumed %+v", c)
			}
			nonbonded := "5"
			if from == NonBondedOnBook {
				nonbonded = "1"
			}
			if s := w.stockLine(1); !s.Bonded.Equal(d("94")) || !s.NonBonded.Equal(d(nonbonded)) {
				t.Fatalf("material 1: bonded %s, non-bonded %s; want 94, %s", s.Bonded, s.NonBonded, nonbonded)
			}
			_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-2", Book: w.book, Outputs: []Output{out(4, "10")}})
			if from == NonBondedOnBook {
				wantRefusal(t, err, "INSUFFICIENT_STOCK", "outputs[0].non_bonded")
				if s := w.stockLine(1); !s.Bonded.Equal(d("94")) {
					t.Fatalf("a refused report moved bonded stock: %s", s.Bonded)
				}
			} else {
				w.must(err)
			}
		})
	}
}
