package repair

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// registration files a gate registration (卡口登记, pass type 5) of the
// repair book carrying qty of book line seq, outbound unless in.
func (w *world) registration(seq int, qty string, in bool) string {
	w.t.Helper()
	w.n++
	io := codes.Out
	if in {
		io = codes.In
	}
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: fmt.Sprintf("K-%d", w.n), Book: w.book, Type: codes.PassGateRegistration, IO: io,
		Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: d("50"), NetWeight: d("40"),
		Lines: []zone.PassLine{{BookSeq: seq, Description: "旧件 old pump", Quantity: d(qty)}}})
	w.must(err)
	return ps.No
}

// TestGateRegistrationNamesTheOrder: old parts of a domestic customer's
// machine leave by gate registration only on a real registration of the
// book (an outbound type-5 pass with a line of the book line and the
// quantity), which then names the order; they leave their section when
// the vehicle passes; a registration withdrawn, or turned back at the
// gate, gives them back.
func TestGateRegistrationNamesTheOrder(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 2, "1", true, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 2, Quantity: d("1")})
	w.must(err)
	_, err = w.svc.RemoveParts(w.ctx, w.e1, o.No, "x1", time.Time{}, []Removed{{BookSeq: 4, Quantity: d("2")}})
	w.must(err)
	exit := func(key, ref, qty string) (Order, error) {
		return w.svc.ExitGoods(w.ctx, w.e1, o.No, key, time.Time{}, Exit{Section: SectionOldParts, BookSeq: 4, Quantity: d(qty), Way: WayGateRegistration, Reference: ref})
	}
	// A bare number, an inbound registration, one of another quantity or
	// book line, a list: refused, nothing moves.
	_, err = exit("k0", "K-1", "1")
	wantRefusal(t, err, zone.ReasonUnknownPass, "reference")
	_, err = exit("k1", w.registration(4, "1", true), "1")
	wantRefusal(t, err, zone.ReasonWrongStatus, "reference")
	_, err = exit("k2", w.registration(4, "2", false), "1")
	wantRefusal(t, err, zone.ReasonWrongStatus, "reference")
	_, err = exit("k3", w.registration(5, "1", false), "1")
	wantRefusal(t, err, zone.ReasonWrongStatus, "reference")
	_, err = exit("k4", w.exitList(4, "1", "", true), "1")
	wantRefusal(t, err, zone.ReasonUnknownPass, "reference")
	want := map[string]string{"2 awaiting/domestic": "1", "4 old-parts/domestic": "2"}
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stock after the refusals: %v, want %v", got, want)
	}
	// The order holds 2: a registration of 3 is more than it holds.
	_, err = exit("k5", w.registration(4, "3", false), "3")
	wantRefusal(t, err, ReasonOrderQuantity, "quantity")

	// A registration of 1: bound, it names the order; the vehicle takes
	// the part out at the gate.
	k := w.registration(4, "1", false)
	o, err = exit("k6", k, "1")
	w.must(err)
	if !o.Held[heldKey(SectionOldParts, 4)].Equal(d("1")) {
		t.Fatalf("held %v", o.Held)
	}
	ps, err := w.zone.GetPass(w.ctx, w.customs, k)
	w.must(err)
	if ln := ps.Lines[0]; ln.SourceDocType != DocumentOrder || ln.SourceDocNo != o.No || ln.Source != Account(SectionOldParts, OriginDomestic) {
		t.Fatalf("the registration's line: %+v", ln)
	}
	if got := w.stock(nil)["4 old-parts/domestic"]; got != "2" {
		t.Fatalf("old parts before the gate: %s", got)
	}
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, k, zone.GateEvent{ID: k + "-ev", Vehicle: "沪A12345", ScaleGross: d("10050")})
	w.must(err)
	if ps.Status != zone.PassPassed || ps.JournalID == 0 {
		t.Fatalf("pass %s, journal %d", ps.Status, ps.JournalID)
	}
	if got := w.stock(nil)["4 old-parts/domestic"]; got != "1" {
		t.Fatalf("old parts after the gate: %s", got)
	}

	// Another registration withdrawn before the gate: the order holds
	// the part again and sends it on a new one.
	k2 := w.registration(4, "1", false)
	_, err = exit("k7", k2, "1")
	w.must(err)
	_, err = w.zone.DeletePass(w.ctx, w.e1, k2)
	w.must(err)
	o, err = w.svc.GetOrder(w.ctx, w.e1, o.No)
	w.must(err)
	if !o.Held[heldKey(SectionOldParts, 4)].Equal(d("1")) || o.Steps[len(o.Steps)-1].Kind != StepPassWithdrawn {
		t.Fatalf("after the registration was withdrawn: held %v, last step %+v", o.Held, o.Steps[len(o.Steps)-1])
	}
	// One held at the gate (the scale says 200 kg more) and turned back
	// by customs: the order holds the part again.
	held := w.registration(4, "1", false)
	_, err = exit("k8", held, "1")
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, held, zone.GateEvent{ID: held + "-ev", Vehicle: "沪A12345", ScaleGross: d("10250")})
	w.must(err)
	if ps.Status != zone.PassHeld {
		t.Fatalf("registration %s at the gate: %s", held, ps.Status)
	}
	_, err = w.zone.RejectHold(w.ctx, w.customs, held, "not the registered goods")
	w.must(err)
	o, err = w.svc.GetOrder(w.ctx, w.e1, o.No)
	w.must(err)
	if !o.Held[heldKey(SectionOldParts, 4)].Equal(d("1")) || o.Steps[len(o.Steps)-1].Kind != StepPassWithdrawn || o.Bindings[len(o.Bindings)-1].Released != string(zone.PassRejected) {
		t.Fatalf("after the vehicle was turned back: held %v, last step %+v, bindings %+v", o.Held, o.Steps[len(o.Steps)-1], o.Bindings)
	}
	k3 := w.registration(4, "1", false)
	_, err = exit("k9", k3, "1")
	w.must(err)
	_, err = w.zone.RecordGateEvent(w.ctx, w.customs, k3, zone.GateEvent{ID: k3 + "-ev", Vehicle: "沪A12345", ScaleGross: d("10050")})
	w.must(err)
	if got := w.stock(nil); fmt.Sprint(got) != fmt.Sprint(map[string]string{"2 awaiting/domestic": "1"}) {
		t.Fatalf("stock at the end: %v", got)
	}
}
