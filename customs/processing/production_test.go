package processing

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// receive brings a material onto the book from abroad (一线入区): a list
// filed, declared, approved and driven through the gate. It returns the
// lot formed.
func (w *world) receive(seq int, qty string) string {
	w.t.Helper()
	return w.receiveB(w.t, seq, qty)
}

func (w *world) receiveB(t testing.TB, seq int, qty string) string {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.n++
	inner := fmt.Sprintf("IN-%d", w.n)
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("1000"), GrossWeight: d("100"), NetWeight: d("90")}}})
	must(err)
	l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	must(err)
	if ps.Status != zone.PassPassed {
		t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	l, err = w.zone.GetList(w.ctx, w.e1, l.No)
	must(err)
	return l.Lines[0].Lots[0].Lot
}

// bonded is a line's bonded quantity on the book.
func (w *world) bonded(seq int) string {
	w.t.Helper()
	r, err := w.zone.StockReport(w.ctx, w.customs, w.book, nil)
	w.must(err)
	for _, l := range r {
		if l.BookSeq == seq {
			return l.Bonded.String()
		}
	}
	w.t.Fatalf("no line %d", seq)
	return ""
}

func out(seq int, qty string) Output { return Output{BookSeq: seq, Quantity: d(qty)} }

// stockOf is the bonded stock of every line named, as "seq=qty" strings.
func (w *world) wantBonded(want map[int]string) {
	w.t.Helper()
	for seq, q := range want {
		if got := w.bonded(seq); !d(got).Equal(d(q)) {
			w.t.Errorf("line %d: bonded %s, want %s", seq, got, q)
		}
	}
}

// TestProductionByVersion: a report of 10 units of the HX good consumes
// 10 × 1 of material 1 and 10 × 2.5 of material 2, records the process
// loss, makes the goods as a lot produced in the zone (not from abroad),
// locks the version, and a retry books nothing again.
func TestProductionByVersion(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	r := Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{{BookSeq: 4, Quantity: d("10"), Value: d("1234.50")}}}
	got, err := w.svc.FileReport(w.ctx, w.e1, r)
	w.must(err)
	w.wantBonded(map[int]string{1: "90", 2: "75", 4: "10"})
	if len(got.Consumed) != 2 || !got.Consumed[0].Bonded.Equal(d("10")) || !got.Consumed[0].Loss.Equal(d("0.5")) ||
		!got.Consumed[1].Bonded.Equal(d("25")) || !got.Consumed[1].Loss.Equal(d("5")) || got.Outputs[0].Version != "1" || len(got.JournalIDs) != 1 {
		t.Fatalf("report %+v", got)
	}
	if len(got.Consumed[0].Lots) != 1 || !got.Consumed[0].Lots[0].Quantity.Equal(d("10")) {
		t.Errorf("material 1 taken from %+v", got.Consumed[0].Lots)
	}
	lots, err := w.store.Lots(w.ctx, ledger.ItemRef{Book: w.book, Code: "4"})
	w.must(err)
	if len(lots) != 1 || lots[0].Key != got.Outputs[0].Lot || lots[0].Attributes["flow"] != FlowProduced || lots[0].Attributes["source_report"] != got.No {
		t.Errorf("lots of the good: %+v", lots)
	}
	again, err := w.svc.FileReport(w.ctx, w.e1, r)
	w.must(err)
	if again.No != got.No || !slices.Equal(again.JournalIDs, got.JournalIDs) {
		t.Errorf("a retry booked again: %s/%v then %s/%v", got.No, got.JournalIDs, again.No, again.JournalIDs)
	}
	w.wantBonded(map[int]string{1: "90", 2: "75", 4: "10"})
	r2 := r
	r2.Outputs = []Output{out(4, "11")}
	_, err = w.svc.FileReport(w.ctx, w.e1, r2)
	wantRefusal(t, err, "DUPLICATE_DOCUMENT_NUMBER", "inner_no")

	v, err := w.svc.GetVersion(w.ctx, w.customs, w.book, 4, "1")
	w.must(err)
	if v.UsedBy != got.No {
		t.Fatalf("version after use: %+v", v)
	}
	changed := hx("1", "2026-01-01")
	changed.Norms[0].Net = d("0.9")
	_, err = w.svc.PutVersion(w.ctx, w.e1, changed)
	wantRefusal(t, err, ReasonVersionLocked, "version")
	// It is superseded only after the last day it was used.
	_, err = w.svc.PutVersion(w.ctx, w.e1, hx("2", ledger.FormatDate(got.Date)))
	wantRefusal(t, err, ReasonVersionDate, "effective_date")
}

// TestProductionNeverNegative: a report that would take a material below
// zero is refused on the field that asked for it, and changes nothing:
// no stock moves, no report is kept, the version stays unused.
func TestProductionNeverNegative(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "20")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "5"), out(4, "5")}})
	wantRefusal(t, err, "INSUFFICIENT_BONDED_STOCK", "outputs[0].quantity")
	w.wantBonded(map[int]string{1: "100", 2: "20", 4: "0"})
	if rs, err := w.svc.ListReports(w.ctx, w.e1, w.book, "", 0); err != nil || len(rs) != 0 {
		t.Fatalf("reports after a refusal: %v %v", rs, err)
	}
	v, err := w.svc.GetVersion(w.ctx, w.e1, w.book, 4, "1")
	w.must(err)
	if v.Locked() {
		t.Errorf("a refused report locked the version: %+v", v)
	}
	// 8 units need exactly the 20 there are.
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "8")}})
	w.must(err)
	w.wantBonded(map[int]string{1: "92", 2: "0", 4: "8"})
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-2", Book: w.book, Basis: BasisActual, Outputs: []Output{out(4, "1")},
		Materials: []MaterialUse{{BookSeq: 1, Quantity: d("1")}, {BookSeq: 2, Quantity: d("0.1")}}})
	wantRefusal(t, err, "INSUFFICIENT_BONDED_STOCK", "materials[1].quantity")
}

// TestProductionNamedLotOrFIFO: a report takes a material from the lot it
// names, otherwise oldest first.
func TestProductionNamedLotOrFIFO(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	first := w.receive(1, "10")
	second := w.receive(1, "10")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	got, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "4")}, Materials: []MaterialUse{{BookSeq: 1, Lot: second}}})
	w.must(err)
	if l := got.Consumed[0].Lots; len(l) != 1 || l[0].Lot != second || !l[0].Quantity.Equal(d("4")) {
		t.Fatalf("named lot: took %+v, want 4 of %s", l, second)
	}
	got, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-2", Book: w.book, Outputs: []Output{out(4, "12")}})
	w.must(err)
	if l := got.Consumed[0].Lots; len(l) != 2 || l[0].Lot != first || !l[0].Quantity.Equal(d("10")) || l[1].Lot != second || !l[1].Quantity.Equal(d("2")) {
		t.Fatalf("FIFO: took %+v, want 10 of %s then 2 of %s", l, first, second)
	}
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-3", Book: w.book, Outputs: []Output{out(4, "1")}, Materials: []MaterialUse{{BookSeq: 1, Lot: "NO-SUCH-LOT"}}})
	if err == nil || ledger.AsError(err).Field != "materials[0].quantity" {
		t.Fatalf("unknown lot: %v", err)
	}
}

// TestProductionActualQuantities: a report on actual consumption books the
// quantities given, with their loss.
func TestProductionActualQuantities(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(5, "10")
	got, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Basis: BasisActual, Outputs: []Output{out(4, "3"), {BookSeq: 6, Quantity: d("1.5")}},
		Materials: []MaterialUse{{BookSeq: 5, Quantity: d("2.12345"), Loss: d("0.00045")}}})
	w.must(err)
	w.wantBonded(map[int]string{5: "7.87655", 4: "3", 6: "1.5"})
	if len(got.Consumed) != 1 || !got.Consumed[0].Loss.Equal(d("0.00045")) {
		t.Fatalf("report %+v", got)
	}
}

// TestProductionRefusals: bad reports are refused with their reason and
// field; only the book's owner files.
func TestProductionRefusals(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-06-01"))
	w.must(err)
	for _, c := range []struct {
		name   string
		r      Report
		reason string
		field  string
	}{
		{"no version in force", Report{Date: day("2026-05-31"), Outputs: []Output{out(4, "1")}}, ReasonNoVersionInForce, "outputs[0].version"},
		{"not the version in force", Report{Outputs: []Output{{BookSeq: 4, Quantity: d("1"), Version: "2"}}}, ReasonNoVersionInForce, "outputs[0].version"},
		{"too many places", Report{Outputs: []Output{out(4, "1.5")}}, ledger.ReasonTooManyDecimals, "outputs[0].quantity"},
		{"zero output", Report{Outputs: []Output{out(4, "0")}}, ledger.ReasonNonPositiveQuantity, "outputs[0].quantity"},
		{"equipment made", Report{Outputs: []Output{out(7, "1")}}, ReasonWrongLineType, "outputs[0].book_seq"},
		{"quantities by version", Report{Outputs: []Output{out(4, "1")}, Materials: []MaterialUse{{BookSeq: 1, Quantity: d("1")}}}, ReasonWrongBasis, "materials[0].quantity"},
		{"actual without materials", Report{Basis: BasisActual, Outputs: []Output{out(4, "1")}}, ReasonWrongBasis, "materials"},
		{"loss above consumption", Report{Basis: BasisActual, Outputs: []Output{out(4, "1")}, Materials: []MaterialUse{{BookSeq: 1, Quantity: d("1"), Loss: d("2")}}}, ledger.ReasonInvalidArgument, "materials[0].loss"},
		{"unknown line", Report{Outputs: []Output{out(99, "1")}}, "LINE_NOT_ON_BOOK", "outputs[0].book_seq"},
		{"future date", Report{Date: day("2099-01-01"), Outputs: []Output{out(4, "1")}}, ledger.ReasonDateOutOfRange, "date"},
	} {
		c.r.InnerNo, c.r.Book = "P-"+c.name, w.book
		_, err := w.svc.FileReport(w.ctx, w.e1, c.r)
		if err == nil {
			t.Fatalf("%s: filed", c.name)
		}
		wantRefusal(t, err, c.reason, c.field)
	}
	_, err = w.svc.FileReport(w.ctx, w.customs, Report{InnerNo: "C-1", Book: w.book, Outputs: []Output{out(4, "1")}})
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.svc.FileReport(w.ctx, w.e2, Report{InnerNo: "E2-1", Book: w.book, Outputs: []Output{out(4, "1")}})
	wantRefusal(t, err, "UNKNOWN_BOOK", "book_no")
	w.wantBonded(map[int]string{1: "100", 2: "100", 4: "0"})
}

// TestProductionNoDriftOnTheBook: 300 reports of one unit under a version
// whose 单耗 does not terminate consume from the book exactly what one
// report of 300 does (Consume(300) at the line's scale); rounding each
// report on its own would have taken 309.300, not 309.278.
func TestProductionNoDriftOnTheBook(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "1000")
	w.receive(2, "1000")
	v := hx("1", "2026-01-01")
	v.Norms[0] = Norm{MaterialSeq: 1, Net: d("1"), LossPercent: d("3")}
	_, err := w.svc.PutVersion(w.ctx, w.e1, v)
	w.must(err)
	for i := range 300 {
		_, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: fmt.Sprintf("P-%d", i), Book: w.book, Outputs: []Output{out(4, "1")}})
		w.must(err)
	}
	w.wantBonded(map[int]string{1: "690.722", 2: "250", 4: "300"})
}

// TestProductionCategories: defects consume by the good's version as the
// good does; scrap and by-products consume nothing more; each lot keeps
// its category, and none of them entered from abroad.
func TestProductionCategories(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	got, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{
		out(4, "8"), {BookSeq: 4, Quantity: d("2"), Category: CategoryDefect},
		{BookSeq: 5, Quantity: d("0.4"), Category: CategoryScrap}, {BookSeq: 6, Quantity: d("1.25"), Category: CategoryByProduct}}})
	w.must(err)
	// 10 goods (8 + 2 defects) consume 10 × 1 of material 1 and 10 × 2.5 of material 2.
	w.wantBonded(map[int]string{1: "90", 2: "75", 4: "10", 5: "0.4", 6: "1.25"})
	want := []Category{CategoryFinished, CategoryDefect, CategoryScrap, CategoryByProduct}
	for i, o := range got.Outputs {
		if o.Category != want[i] {
			t.Errorf("output %d is %s, want %s", i, o.Category, want[i])
		}
		lots, err := w.store.Lots(w.ctx, ledger.ItemRef{Book: w.book, Code: fmt.Sprint(o.BookSeq)})
		w.must(err)
		found := false
		for _, l := range lots {
			if l.Key == o.Lot {
				found = l.Attributes["category"] == string(want[i]) && l.Attributes["flow"] == FlowProduced
			}
		}
		if !found {
			t.Errorf("lot %s of output %d: %+v", o.Lot, i, lots)
		}
	}
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-2", Book: w.book, Outputs: []Output{{BookSeq: 5, Quantity: d("1"), Category: CategoryScrap, Version: "1"}}})
	wantRefusal(t, err, ReasonWrongBasis, "outputs[0].version")
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-3", Book: w.book, Outputs: []Output{{BookSeq: 5, Quantity: d("1"), Category: "WASTE"}}})
	wantRefusal(t, err, ledger.ReasonInvalidArgument, "outputs[0].category")
}

// receiveNonBonded brings non-bonded goods onto the book without a
// declaration (a type-4 pass), beside the bonded.
func (w *world) receiveNonBonded(t testing.TB, seq int, qty string) {
	t.Helper()
	w.n++
	inner := fmt.Sprintf("NB-%d", w.n)
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", DeclareFlag: codes.NotDeclared,
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("100"), GrossWeight: d("10"), NetWeight: d("9")}}})
	w.must(err)
	l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: codes.PassNonDeclared, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
}

// stockLine is a line's stock report.
func (w *world) stockLine(seq int) zone.StockLine {
	w.t.Helper()
	r, err := w.zone.StockReport(w.ctx, w.customs, w.book, nil)
	w.must(err)
	for _, l := range r {
		if l.BookSeq == seq {
			return l
		}
	}
	w.t.Fatalf("no line %d", seq)
	return zone.StockLine{}
}

// TestConcurrentReportsConsumeExactly: reports filed at once on one
// version, each retried once as a client would after a lost answer,
// consume in total exactly what one report of their sum does, and each is
// booked once.
func TestConcurrentReportsConsumeExactly(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "1000")
	w.receive(2, "1000")
	v := hx("1", "2026-01-01")
	v.Norms[0] = Norm{MaterialSeq: 1, Net: d("1"), LossPercent: d("3")}
	_, err := w.svc.PutVersion(w.ctx, w.e1, v)
	w.must(err)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Report{InnerNo: fmt.Sprintf("C-%d", i), Book: w.book, Outputs: []Output{out(4, "1")}}
			for range 2 {
				if _, err := w.svc.FileReport(w.ctx, w.e1, r); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := v.Norms[0].Consume(d("40"), 3)
	w.wantBonded(map[int]string{1: d("1000").Sub(want.Bonded).String(), 2: "900", 4: "40"})
	rs, err := w.svc.ListReports(w.ctx, w.e1, w.book, "", 0)
	w.must(err)
	if len(rs) != n {
		t.Errorf("%d reports booked, want %d", len(rs), n)
	}
}
