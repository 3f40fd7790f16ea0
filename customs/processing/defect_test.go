package processing

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestDefectsTaxedAsTheListSays: defects (残次品) made by production sold
// domestically are taxed on their finished state on a 0110 list and on
// the materials they consumed on a 0544 list (清单类型 A), each event
// carrying the category DEFECT.
func TestDefectsTaxedAsTheListSays(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{{BookSeq: 4, Quantity: d("2"), Category: CategoryDefect}}})
	w.must(err)
	sell := func(inner, mode string, typ codes.ListType, mats []zone.MaterialLine) {
		l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.Out, TradeMode: mode, Type: typ, DeclarationKind: codes.DeclarationCorresponding,
			Lines: []zone.ListLine{{BookSeq: 4, Quantity: d("1"), Total: d("500"), GrossWeight: d("1"), NetWeight: d("0.5"), GoodsCategory: codes.CategoryDefect, Materials: mats}}})
		w.must(err)
		l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
		w.must(err)
		l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
		w.must(err)
		ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: codes.PassSecondLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
			RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
		w.must(err)
		_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
		w.must(err)
	}
	sell("S-1", "0110", "", nil)
	sell("S-2", "0544", codes.ListSelectiveDuty, []zone.MaterialLine{{BookSeq: 1, Quantity: d("1"), Value: d("100")}, {BookSeq: 2, Quantity: d("2.5"), Value: d("50")}})
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 2 || evs[0].GoodsCategory != codes.CategoryDefect || evs[0].DutyBasis != "" || evs[1].GoodsCategory != codes.CategoryDefect || evs[1].DutyBasis != "MATERIALS" || len(evs[1].Materials) != 2 {
		t.Fatalf("events %+v", evs)
	}
	w.wantBonded(map[int]string{4: "0"})
}
