package zone_test

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// The domain step a pass receipt triggers, as its importer (package
// customs/sasmessage) reads it: approval stores customs' number and
// approves; a passage moves the goods once, through the gate's path,
// however often it is applied; a refused receipt changes nothing.
func TestApplyPassReceiptApprovesAndMovesTheGoodsOnce(t *testing.T) {
	c := &clock{t: at("2025-06-10")}
	w := newWorldAt(t, zone.DefaultSettings(), c.now)
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-1", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	w.must(err)
	const customsNo = "Z3105I250610000000000001"
	base := zone.PassReceipt{CustomsNo: customsNo, CustomsNoField: "no", Enterprise: w.u1, InnerNo: ps.InnerNo, InnerNoField: "inner", ActionField: "action", Said: "the test's receipt"}

	_, _, err = w.svc.ApplyPassReceipt(w.ctx, w.e1, base)
	wantReason(t, err, ledger.ReasonPermissionDenied)
	bad := base
	bad.Action = zone.PassActionDelete + 1
	_, _, err = w.svc.ApplyPassReceipt(w.ctx, w.customs, bad)
	if le := wantReason(t, err, zone.ReasonPassReceiptCode); le.Field != "action" {
		t.Fatalf("field %s", le.Field)
	}
	unknown := base
	unknown.InnerNo, unknown.Action = "NO-SUCH-PASS", zone.PassActionApprove
	_, _, err = w.svc.ApplyPassReceipt(w.ctx, w.customs, unknown)
	if le := wantReason(t, err, zone.ReasonPassReceiptUnknownPass); le.Field != "inner" {
		t.Fatalf("field %s", le.Field)
	}

	approve := base
	approve.Action, approve.Note = zone.PassActionApprove, "ok"
	got, changed, err := w.svc.ApplyPassReceipt(w.ctx, w.customs, approve)
	w.must(err)
	if !changed || got.Status != zone.PassApproved || got.CustomsNo != customsNo || got.Note != "ok" {
		t.Fatalf("approved: %v %+v", changed, got)
	}
	journals := w.journals(w.h1)
	passed := base
	passed.CustomsNo, passed.Action, passed.EventID = "", zone.PassActionPassed, "gate-1"
	passed.FirstGateAt = at("2025-06-10").Add(-30 * time.Minute)
	for i := range 3 {
		got, changed, err = w.svc.ApplyPassReceipt(w.ctx, w.admin, passed)
		w.must(err)
		if got.Status != zone.PassPassed || changed != (i == 0) || len(got.Events) != 1 || got.Events[0].ID != "gate-1" {
			t.Fatalf("passage %d: %v %+v", i+1, changed, got)
		}
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	if n := w.journals(w.h1); n != journals+1 {
		t.Fatalf("%d journals, want %d", n, journals+1)
	}
	// A passage in the future is refused, naming its element.
	late := passed
	late.EventID, late.FirstGateAt, late.FirstGateAtField = "gate-2", at("2025-06-11"), "when"
	p2, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "EMPTY-1", Book: w.h1, Type: codes.PassEmptyVehicle, IO: codes.In, Vehicle: "沪C1"})
	w.must(err)
	late.InnerNo = p2.InnerNo
	_, _, err = w.svc.ApplyPassReceipt(w.ctx, w.customs, late)
	if le := wantReason(t, err, zone.ReasonPassMessageInvalid); le.Field != "when" {
		t.Fatalf("field %s", le.Field)
	}
}
