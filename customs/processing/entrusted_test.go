package processing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// gateRegistration files a gate registration (核放单 type 5) of the book
// and lets it pass the gate in direction io.
func (w *world) gateRegistration(io codes.IOFlag, what string) string {
	w.t.Helper()
	w.n++
	inner := fmt.Sprintf("GR-%d", w.n)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: inner, Book: w.book, Type: codes.PassGateRegistration, IO: io, Vehicle: "沪A12345",
		VehicleWeight: d("10000"), GrossWeight: d("100"), NetWeight: d("90"), Lines: []zone.PassLine{{Description: what, Quantity: d("1"), Unit: "035"}}})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10100")})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("gate registration %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return ps.No
}

// holding is a line's quantity in a bucket of the book.
func (w *world) holding(account string, seq int) decimal.Decimal {
	w.t.Helper()
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, Account: account, Item: fmt.Sprint(seq)})
	w.must(err)
	q := decimal.Zero
	for _, h := range hs {
		q = q.Add(h.Quantity)
	}
	return q
}

// TestEntrustedProcessing: a domestic firm's materials come in under a gate
// registration and are held apart from the bonded stock; a report for the
// entrustment takes the firm's share of each material from its bucket and
// the bonded share from the bonded stock (written off by the version), and
// makes the products in the firm's bucket; the products go back under a
// gate registration, taxed on the fee plus the bonded materials used, once.
func TestEntrustedProcessing(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100") // bonded, 1,000 CNY: 10 CNY a kg
	client := uscc(t, "91320000MA1K00009")
	e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: client, ClientName: "苏州某电子有限公司"})
	w.must(err)
	again, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: client, ClientName: "苏州某电子有限公司"})
	w.must(err)
	if again.No != e.No {
		t.Fatalf("filed twice: %s then %s", e.No, again.No)
	}
	gr := w.gateRegistration(codes.In, "委托方料件")
	rc, err := w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Reference: gr,
		Lines: []EntrustedLine{{BookSeq: 1, Quantity: d("40"), Value: d("200")}}})
	w.must(err)
	if len(rc.Lines[0].Lots) != 1 || rc.Lines[0].Lots[0].Lot != rc.No+"-1" {
		t.Fatalf("receipt lots %+v", rc.Lines[0].Lots)
	}
	// The same gate registration carries one move only.
	_, err = w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-2", Entrustment: e.No, Reference: gr,
		Lines: []EntrustedLine{{BookSeq: 1, Quantity: d("1")}}})
	wantRefusal(t, err, ReasonEntrustedReference, "reference")
	acct := EntrustedAccount(e.No)
	if got := w.holding(acct, 1); !got.Equal(d("40")) {
		t.Fatalf("firm's material 1: %s, want 40", got)
	}
	w.wantBonded(map[int]string{1: "100"})

	// Good 4: 1 kg of material 1 each (0.8 net, 20 % loss), 60 % bonded.
	_, err = w.svc.PutVersion(w.ctx, w.e1, Version{Book: w.book, FinishedSeq: 4, Version: "1", EffectiveDate: day("2026-01-01"),
		Norms: []Norm{{MaterialSeq: 1, Net: d("0.8"), LossPercent: d("20"), BondedPercent: d("60")}}})
	w.must(err)
	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Entrustment: e.No, Outputs: []Output{out(4, "50")}})
	w.must(err)
	if c := rep.Consumed[0]; !c.Bonded.Equal(d("30")) || !c.NonBonded.Equal(d("20")) {
		t.Fatalf("consumed %+v", c)
	}
	w.wantBonded(map[int]string{1: "70", 4: "0"})
	if got := w.holding(acct, 1); !got.Equal(d("20")) {
		t.Fatalf("firm's material 1 after the report: %s, want 20", got)
	}
	if got := w.holding(acct, 4); !got.Equal(d("50")) {
		t.Fatalf("firm's products: %s, want 50", got)
	}
	e, err = w.svc.GetEntrustment(w.ctx, w.customs, e.No)
	w.must(err)
	if !e.BondedValue.Equal(d("300")) || len(e.Reports) != 1 || len(e.Held) != 2 || e.Held[0].BookSeq != 1 || !e.Held[0].Quantity.Equal(d("20")) ||
		e.Held[1].BookSeq != 4 || !e.Held[1].Quantity.Equal(d("50")) {
		t.Fatalf("entrustment after the report: %+v", e)
	}
	// More of the firm's material than it sent is refused, nothing booked.
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-2", Book: w.book, Entrustment: e.No, Outputs: []Output{out(4, "60")}})
	wantRefusal(t, err, "INSUFFICIENT_STOCK", "outputs[0].non_bonded")
	w.wantBonded(map[int]string{1: "70"})

	// Back to the firm: 30 then 20 products, fees 600 and 400.
	out1 := w.gateRegistration(codes.Out, "委托加工成品")
	_, err = w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-0", Entrustment: e.No, Reference: gr,
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("30"), Value: d("600")}}})
	wantRefusal(t, err, ReasonEntrustedReference, "reference")
	r1, err := w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-1", Entrustment: e.No, Reference: out1,
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("30"), Value: d("600")}}})
	w.must(err)
	r1again, err := w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-1", Entrustment: e.No, Reference: out1,
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("30"), Value: d("600")}}})
	w.must(err)
	if r1again.No != r1.No || len(r1.Events) != 1 || !r1.Lines[0].BondedValue.Equal(d("300")) {
		t.Fatalf("return %+v, again %+v", r1, r1again)
	}
	out2 := w.gateRegistration(codes.Out, "委托加工成品")
	r2, err := w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-2", Entrustment: e.No, Reference: out2,
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("20"), Value: d("400")}}})
	w.must(err)
	if got := w.holding(acct, 4); !got.IsZero() {
		t.Fatalf("firm's products left: %s", got)
	}
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 2 {
		t.Fatalf("taxable events %+v, want 2", evs)
	}
	// Sample tariff, 8471300000: duty 0, VAT 13 %.
	if ev := evs[0]; ev.ListNo != r1.No || !ev.DutiableValue.Equal(d("900")) || ev.AssessError != "" || !ev.VAT.Equal(d("117")) {
		t.Fatalf("first return's event %+v", ev)
	}
	if ev := evs[1]; ev.ListNo != r2.No || !ev.DutiableValue.Equal(d("400")) || !r2.Lines[0].BondedValue.IsZero() {
		t.Fatalf("second return's event %+v (bonded materials taxed twice?)", ev)
	}
}

// TestEntrustedFeeOnly: with processing.entrusted_dutiable = fee, a return
// is taxed on its fee alone.
func TestEntrustedFeeOnly(t *testing.T) {
	set := DefaultSettings()
	set.EntrustedDutiable = DutiableFee
	w := newWorld(t, set)
	w.receive(1, "100")
	e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "某公司"})
	w.must(err)
	_, err = w.svc.PutVersion(w.ctx, w.e1, Version{Book: w.book, FinishedSeq: 4, Version: "1", EffectiveDate: day("2026-01-01"),
		Norms: []Norm{{MaterialSeq: 1, Net: d("1"), LossPercent: d("0")}}})
	w.must(err)
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Entrustment: e.No, Outputs: []Output{out(4, "10")}})
	w.must(err)
	r, err := w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-1", Entrustment: e.No, Reference: w.gateRegistration(codes.Out, "成品"),
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("10"), Value: d("250")}}})
	w.must(err)
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || evs[0].ListNo != r.No || !evs[0].DutiableValue.Equal(d("250")) {
		t.Fatalf("events %+v", evs)
	}
}

// TestEntrustedFromAList: materials that came in on a non-declaration list
// move from the nonbonded bucket into the entrustment's; a list of another
// kind, another enterprise's entrustment and a return via a list are
// refused.
func TestEntrustedFromAList(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	bondedLot := w.receive(1, "10")
	w.receiveNonBonded(t, 1, "5")
	e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "某公司"})
	w.must(err)
	lists, err := w.zone.ListLists(w.ctx, w.e1, zone.ListFilter{Book: w.book})
	w.must(err)
	var nb, bonded string
	for _, l := range lists {
		if l.Flow == zone.FlowNonDeclaredIn {
			nb = l.No
		} else {
			bonded = l.No
		}
	}
	_, err = w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-0", Entrustment: e.No, Via: ViaList, Reference: bonded})
	wantRefusal(t, err, ReasonEntrustedReference, "reference")
	_, err = w.svc.ReceiveEntrusted(w.ctx, w.e2, EntrustedMove{InnerNo: "WR-0", Entrustment: e.No, Via: ViaList, Reference: nb})
	wantRefusal(t, err, zone.ReasonUnknownDocument, "entrustment")
	_, err = w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-0", Entrustment: e.No, Via: ViaList, Reference: nb})
	wantRefusal(t, err, ledger.ReasonInvalidArgument, "via")
	rc, err := w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Via: ViaList, Reference: nb})
	w.must(err)
	if len(rc.Lines) != 1 || !rc.Lines[0].Quantity.Equal(d("5")) {
		t.Fatalf("receipt %+v", rc)
	}
	if s := w.stockLine(1); !s.NonBonded.IsZero() || !s.Bonded.Equal(d("10")) {
		t.Fatalf("material 1: bonded %s, non-bonded %s; want 10, 0", s.Bonded, s.NonBonded)
	}
	if got := w.holding(EntrustedAccount(e.No), 1); !got.Equal(d("5")) {
		t.Fatalf("firm's material 1: %s, want 5", got)
	}
	_ = bondedLot
}

// TestEntrustedGoodsHeldApart: each entrustment's goods are held apart:
// a report for one entrustment cannot use another firm's materials, nor
// the book's own non-bonded stock; with basis ACTUAL the firm's share is
// the report's non_bonded quantity.
func TestEntrustedGoodsHeldApart(t *testing.T) {
	set := DefaultSettings()
	set.NonBondedFrom = NonBondedOnBook
	w := newWorld(t, set)
	w.receive(1, "100")
	w.receiveNonBonded(t, 1, "50")
	file := func(inner, client string) Entrustment {
		e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: inner, Book: w.book, Client: uscc(t, client), ClientName: "firm " + inner})
		w.must(err)
		return e
	}
	a, b := file("WT-A", "91320000MA1K0000A"), file("WT-B", "91320000MA1K0000B")
	_, err := w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-A", Entrustment: a.No, Reference: w.gateRegistration(codes.In, "A's sheet"),
		Lines: []EntrustedLine{{BookSeq: 1, Quantity: d("10")}}})
	w.must(err)
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-B", Book: w.book, Entrustment: b.No, Basis: BasisActual, Outputs: []Output{out(4, "1")},
		Materials: []MaterialUse{{BookSeq: 1, Quantity: d("1"), NonBonded: d("2")}}})
	wantRefusal(t, err, "INSUFFICIENT_STOCK", "materials[0].non_bonded")
	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-A", Book: w.book, Entrustment: a.No, Basis: BasisActual, Outputs: []Output{out(4, "1")},
		Materials: []MaterialUse{{BookSeq: 1, Quantity: d("1"), NonBonded: d("2")}}})
	w.must(err)
	if rep.Entrustment != a.No {
		t.Fatalf("report %+v", rep)
	}
	if got := w.holding(EntrustedAccount(a.No), 1); !got.Equal(d("8")) {
		t.Fatalf("A's sheet: %s, want 8", got)
	}
	if got := w.holding(EntrustedAccount(a.No), 4); !got.Equal(d("1")) {
		t.Fatalf("A's products: %s, want 1", got)
	}
	if s := w.stockLine(1); !s.Bonded.Equal(d("99")) || !s.NonBonded.Equal(d("50")) {
		t.Fatalf("the book's own sheet: bonded %s, non-bonded %s; want 99, 50", s.Bonded, s.NonBonded)
	}
	_, err = w.svc.FileReport(w.ctx, w.e2, Report{InnerNo: "P-X", Book: w.other, Entrustment: a.No, Outputs: []Output{out(4, "1")}})
	wantRefusal(t, err, "UNKNOWN_DOCUMENT", "entrustment")
}

// entrustedRead reads the processing documents of the world's book changed
// after since (BookDocumentsChanged, as a seal does), up to the book's
// change mark now, and returns them as "kind no" with the mark.
func (w *world) entrustedRead(since zone.DocMark) ([]string, map[string]string, zone.DocMark) {
	w.t.Helper()
	upTo, err := w.zone.ChangeMark(w.ctx, w.book)
	w.must(err)
	var keys []string
	bodies := map[string]string{}
	w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, w.book, since, upTo, func(sd zone.StoredDocument) error {
		keys = append(keys, sd.Kind+" "+sd.No)
		bodies[sd.Kind+" "+sd.No] = sd.Body
		return nil
	}))
	return keys, bodies, upTo
}

// TestEntrustedDocumentsForEvidence: entrustments (委托加工) and their moves
// are among the processing documents a seal reads: each as it changes (an
// entrustment filed, a receipt, a report filed for it, a return), only
// the documents that changed, and nothing when nothing changed.
func TestEntrustedDocumentsForEvidence(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, Version{Book: w.book, FinishedSeq: 4, Version: "1", EffectiveDate: day("2026-01-01"),
		Norms: []Norm{{MaterialSeq: 1, Net: d("0.8"), LossPercent: d("20"), BondedPercent: d("60")}}})
	w.must(err)
	_, _, mark := w.entrustedRead(zone.DocMark{})
	want := func(step string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after %s the read gives %q, want %q", step, got, want)
		}
	}
	e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "苏州某电子有限公司"})
	w.must(err)
	got, bodies, next := w.entrustedRead(mark)
	want("an entrustment was filed", got, "entrustment "+e.No)
	if !strings.Contains(bodies["entrustment "+e.No], `"Client":"91320000MA1K00009`) {
		t.Fatalf("entrustment body %s", bodies["entrustment "+e.No])
	}
	mark = next
	_, err = w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "苏州某电子有限公司"})
	w.must(err)
	got, _, mark = w.entrustedRead(mark)
	want("the entrustment was filed again", got)

	rc, err := w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Reference: w.gateRegistration(codes.In, "委托方料件"),
		Lines: []EntrustedLine{{BookSeq: 1, Quantity: d("40"), Value: d("200")}}})
	w.must(err)
	got, _, mark = w.entrustedRead(mark)
	want("a receipt", got, "entrusted-move "+rc.No)

	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Entrustment: e.No, Outputs: []Output{out(4, "50")}})
	w.must(err)
	got, bodies, mark = w.entrustedRead(mark)
	want("a report for the entrustment", got, "consumption-version 4/1", "entrustment "+e.No, "production-report "+rep.No)
	if !strings.Contains(bodies["entrustment "+e.No], `"Reports":["`+rep.No+`"]`) {
		t.Fatalf("the entrustment read after the report: %s", bodies["entrustment "+e.No])
	}

	r1, err := w.svc.ReturnEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WF-1", Entrustment: e.No, Reference: w.gateRegistration(codes.Out, "委托加工成品"),
		Lines: []EntrustedLine{{BookSeq: 4, Quantity: d("30"), Value: d("600")}}})
	w.must(err)
	got, bodies, mark = w.entrustedRead(mark)
	want("a return", got, "entrusted-move "+r1.No, "entrustment "+e.No)
	if !strings.Contains(bodies["entrustment "+e.No], `"BondedTaxed":"300"`) {
		t.Fatalf("the entrustment read after the return: %s", bodies["entrustment "+e.No])
	}
	got, _, _ = w.entrustedRead(mark)
	want("nothing changed", got)
}

// TestEntrustedDocumentsStoredBeforeTheChangeNumbers: entrustments and
// moves stored before they had change numbers, on a book whose documents
// had changed many times since (a seal may have read through that mark),
// get a change number after the book's mark from the migration, so the
// next read (the next seal) gives each of them once; a book that had no
// change number yet gets one.
func TestEntrustedDocumentsStoredBeforeTheChangeNumbers(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	e, err := w.svc.FileEntrustment(w.ctx, w.e1, Entrustment{InnerNo: "WT-1", Book: w.book, Client: uscc(t, "91320000MA1K00009"), ClientName: "某公司"})
	w.must(err)
	rc, err := w.svc.ReceiveEntrusted(w.ctx, w.e1, EntrustedMove{InnerNo: "WR-1", Entrustment: e.No, Reference: w.gateRegistration(codes.In, "委托方料件"),
		Lines: []EntrustedLine{{BookSeq: 1, Quantity: d("40"), Value: d("200")}}})
	w.must(err)
	other, err := w.svc.FileEntrustment(w.ctx, w.e2, Entrustment{InnerNo: "WT-1", Book: w.other, Client: uscc(t, "91320000MA1K00009"), ClientName: "某公司"})
	w.must(err)
	// What a seal before the upgrade read through: every change the book had.
	before, err := w.zone.ChangeMark(w.ctx, w.book)
	w.must(err)
	if before.Seq < 2 {
		t.Fatalf("book %s has change mark %d; the test needs a book changed more than once", w.book, before.Seq)
	}
	for _, sql := range []string{
		`ALTER TABLE proc_entrustments DROP COLUMN change_seq`,
		`ALTER TABLE proc_entrusted_moves DROP COLUMN change_seq`,
		`DELETE FROM zone_doc_seqs WHERE book = '` + w.other + `'`,
		`DELETE FROM schema_migrations WHERE component = 'processing' AND version BETWEEN 24 AND 30`,
	} {
		w.must(errOf(w.svc.pool.Exec(w.ctx, sql)))
	}
	applied, err := Migrations().Up(w.ctx, w.svc.pool)
	w.must(err)
	if len(applied) != 7 {
		t.Fatalf("applied %d migrations, want the 7 of the entrusted change numbers", len(applied))
	}
	got, _, mark := w.entrustedRead(before)
	if fmt.Sprint(got) != fmt.Sprint([]string{"entrusted-move " + rc.No, "entrustment " + e.No}) {
		t.Fatalf("read after the mark before the migration: %q", got)
	}
	if got, _, _ := w.entrustedRead(mark); len(got) != 0 {
		t.Fatalf("read again: %q", got)
	}
	otherMark, err := w.zone.ChangeMark(w.ctx, w.other)
	w.must(err)
	var others []string
	w.must(w.svc.BookDocumentsChanged(w.ctx, w.customs, w.other, zone.DocMark{}, otherMark, func(sd zone.StoredDocument) error {
		others = append(others, sd.Kind+" "+sd.No)
		return nil
	}))
	if fmt.Sprint(others) != fmt.Sprint([]string{"entrustment " + other.No}) {
		t.Fatalf("book %s without a change number before the migration reads %q", w.other, others)
	}
}
