package zone_test

import (
	"fmt"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BenchmarkListThroughGate runs the zone's whole path that posts journals,
// one round per iteration: an entry list filed (created, declared,
// approved) and its goods driven in through the first-line gate (a
// journal), then an exit list of part of them declared (the reservation, a
// journal), approved and driven out (the deduction, a journal).
// Figures: customs/zone/README.md.
func BenchmarkListThroughGate(b *testing.B) {
	w := newWorld(b, zone.DefaultSettings())
	i := 0
	round := func() error {
		i++
		in, err := w.svc.CreateList(w.ctx, w.e1, entry(w.h1, fmt.Sprintf("BIN-%d", i), 1, "10", "5000"))
		if err == nil {
			in, err = w.svc.DeclareList(w.ctx, w.e1, in.No)
		}
		if err == nil {
			in, err = w.svc.ApproveList(w.ctx, w.customs, in.No, "")
		}
		if err == nil {
			err = pass(w, in, fmt.Sprintf("BPI-%d", i))
		}
		if err != nil {
			return err
		}
		out, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: fmt.Sprintf("BOUT-%d", i), Book: w.h1, IO: codes.Out, TradeMode: "5034", Country: "JPN",
			Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4"), Total: d("2000"), GrossWeight: d("40"), NetWeight: d("36")}}})
		if err == nil {
			out, err = w.svc.DeclareList(w.ctx, w.e1, out.No)
		}
		if err == nil {
			out, err = w.svc.ApproveList(w.ctx, w.customs, out.No, "")
		}
		if err == nil {
			err = pass(w, out, fmt.Sprintf("BPO-%d", i))
		}
		return err
	}
	for b.Loop() {
		if err := round(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "journals/s")
}

// pass sends a list's goods through the gate on a one-vehicle pass.
func pass(w *world, l zone.List, inner string) error {
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: inner, Book: l.Book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: l.IO,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"),
		GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	if err != nil {
		return err
	}
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	if err != nil {
		return err
	}
	if ps.Status != zone.PassPassed {
		return fmt.Errorf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return nil
}
