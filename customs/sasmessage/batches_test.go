package sasmessage_test

import (
	"bytes"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/customsapi"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestPassReceiptBatchWithABadMessageAppliesNothing: GateService's
// ImportPassReceipts reads every message before it applies any, like
// ImportListReceipts: a batch whose last message is malformed is refused
// naming it and leaves the pass as it was; the batch sent again with the
// message put right applies each receipt once, and a third time nothing.
func TestPassReceiptBatchWithABadMessageAppliesNothing(t *testing.T) {
	w, _, ps := passWorld(t, false)
	gate := customsapi.NewGateServer(w.svc)
	ctx := access.WithPrincipal(w.ctx, w.customs)
	const cno = "Z3105I250610000000000001"
	approve := sas221(t, w, ps, cno, sas.PassApproved, "")
	passed := sas251(t, w, ps, "M-BATCH", cno, sas.GatePassed, "G1-BATCH", "2025-06-10 09:30:00")
	bad := bytes.Replace(passed, []byte("<stucd>"), []byte("<stucd>9"), 1)
	journals := w.journals(w.h1)
	before, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)

	_, err = gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{approve, passed, bad}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a batch with a bad message: %v, want INVALID_ARGUMENT", err)
	}
	got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	if got.Status != before.Status || got.CustomsNo != "" || w.journals(w.h1) != journals {
		t.Fatalf("the refused batch changed the pass: %s %q, %d journals (was %s, %d)", got.Status, got.CustomsNo, w.journals(w.h1), before.Status, journals)
	}

	fixed := [][]byte{approve, passed, sas251(t, w, ps, "M-BATCH-2", cno, sas.GateApproved, "", "")}
	for round, wantChanged := range []bool{true, false} {
		out, err := gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: fixed})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(out.Results) != 3 || out.Results[0].Changed != wantChanged || out.Results[1].Changed != wantChanged || out.Results[2].Changed {
			t.Fatalf("round %d: %+v", round, out.Results)
		}
		got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
		w.must(err)
		if got.Status != zone.PassPassed || got.CustomsNo != cno || w.journals(w.h1) != journals+1 {
			t.Fatalf("round %d: pass %s %q, %d journals, want PASSED %s, %d", round, got.Status, got.CustomsNo, w.journals(w.h1), cno, journals+1)
		}
	}
}

// TestListReceiptBatchRetriedAppliesNothingTwice: an INV201 batch whose
// second receipt names no list applies the first and stops; the batch
// sent again with the second put right applies only the second, and a
// third time nothing.
func TestListReceiptBatchRetriedAppliesNothingTwice(t *testing.T) {
	w := newWorld(t)
	a, b := w.declared("ERP-BATCH-A"), w.declared("ERP-BATCH-B")
	ra := receipt(t, w, "QD460126I000000031", "ERP-BATCH-A", "1", "0", "", "")
	rb := receipt(t, w, "QD460126I000000032", "ERP-BATCH-B", "1", "0", "", "")
	wrong := receipt(t, w, "QD460126I000000032", "ERP-BATCH-X", "1", "0", "", "")
	_, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{ra, wrong})
	wantReason(t, err, zone.ReasonReceiptUnknownList, "messages[1]/"+sas.INV201Path("BondInvtBsc/etpsInnerInvtNo"))
	for round, want := range [][2]bool{{false, true}, {false, false}} {
		out, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{ra, rb})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if out[0].Changed != want[0] || out[1].Changed != want[1] {
			t.Fatalf("round %d: changed %t %t, want %v", round, out[0].Changed, out[1].Changed, want)
		}
		for _, l := range []zone.List{a, b} {
			got, err := w.zone.GetList(w.ctx, w.ent, l.No)
			if err != nil || got.Status != zone.ListApproved || got.CustomsNo == "" {
				t.Fatalf("round %d: list %s %v %s %q", round, l.No, err, got.Status, got.CustomsNo)
			}
		}
	}
}
