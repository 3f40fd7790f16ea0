package processing

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// rndWorld is a world whose first enterprise also keeps a bonded R&D book
// (kind RND, the world's lines), which receive fills under 5010; the zone
// book stays as w.zoneBook.
type rndWorld struct {
	*world
	zoneBook string
}

func newRndWorld(t *testing.T, set Settings) rndWorld {
	t.Helper()
	w := newWorld(t, set)
	rw := rndWorld{world: w, zoneBook: w.book}
	w.book, w.inMode = "H31050000003", "5010"
	_, err := w.zone.CreateBook(w.ctx, w.e1, zone.Book{No: w.book, Kind: codes.BookRND, Enterprise: w.e1.Enterprise, CustomsOffice: "3105", Usage: "4"})
	w.must(err)
	_, err = w.zone.AddBookLines(w.ctx, w.e1, w.book, w.lines)
	w.must(err)
	return rw
}

func (w rndWorld) project(code string) Project {
	w.t.Helper()
	pr, err := w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: code, Name: "project " + code, Start: day("2026-01-01")})
	w.must(err)
	return pr
}

// TestRndUsePerProject: R&D materials come in under 5010; each project's
// uses consume the quantities the enterprise reports (no unit
// consumption), make prototypes, samples and scrap as lots of their
// project, and a project's figures are the sum of its own uses only. A
// retried use is booked once; another use under its number is refused.
func TestRndUsePerProject(t *testing.T) {
	w := newRndWorld(t, DefaultSettings())
	lot1 := w.receive(1, "10")
	w.receive(2, "50")
	a, b := w.project("PA"), w.project("PB")
	if a.Status != ProjectOpen || b.Enterprise != w.e1.Enterprise {
		t.Fatalf("projects %+v %+v", a, b)
	}
	use := RndUse{InnerNo: "U-1", Book: w.book, Project: "PA", Materials: []RndMaterial{{BookSeq: 1, Quantity: d("2.125"), Lot: lot1}, {BookSeq: 2, Quantity: d("0.3")}},
		Outputs: []RndOutput{{BookSeq: 4, Quantity: d("1"), Kind: RndPrototype, Value: d("1200.50")}, {BookSeq: 5, Quantity: d("0.00125"), Kind: RndScrap}}}
	u1, err := w.svc.FileRndUse(w.ctx, w.e1, use)
	w.must(err)
	again, err := w.svc.FileRndUse(w.ctx, w.e1, use)
	w.must(err)
	if again.No != u1.No || len(u1.JournalIDs) != 1 || again.JournalIDs[0] != u1.JournalIDs[0] {
		t.Fatalf("retry: %+v then %+v", u1, again)
	}
	if len(u1.Materials[0].Lots) != 1 || u1.Materials[0].Lots[0].Lot != lot1 || u1.Outputs[0].Lot != u1.No+"-1" {
		t.Fatalf("lots: %+v", u1)
	}
	other := use
	other.Materials = []RndMaterial{{BookSeq: 1, Quantity: d("1")}}
	_, err = w.svc.FileRndUse(w.ctx, w.e1, other)
	wantRefusal(t, err, zone.ReasonDuplicateDocument, "inner_no")
	_, err = w.svc.FileRndUse(w.ctx, w.e1, RndUse{InnerNo: "U-2", Book: w.book, Project: "PA", Materials: []RndMaterial{{BookSeq: 1, Quantity: d("0.875")}},
		Outputs: []RndOutput{{BookSeq: 4, Quantity: d("2"), Kind: RndSample}}})
	w.must(err)
	_, err = w.svc.FileRndUse(w.ctx, w.e1, RndUse{InnerNo: "U-3", Book: w.book, Project: "PB", Materials: []RndMaterial{{BookSeq: 2, Quantity: d("7.7")}}})
	w.must(err)
	w.wantBonded(map[int]string{1: "7", 2: "42", 4: "3", 5: "0.00125"})

	got, err := w.svc.GetProject(w.ctx, w.customs, w.book, "PA")
	w.must(err)
	wantTotals(t, "PA consumed", got.Consumed, []LineTotal{{BookSeq: 1, Quantity: d("3")}, {BookSeq: 2, Quantity: d("0.3")}})
	wantTotals(t, "PA made", got.Made, []LineTotal{{BookSeq: 4, Kind: RndPrototype, Quantity: d("1")}, {BookSeq: 4, Kind: RndSample, Quantity: d("2")}, {BookSeq: 5, Kind: RndScrap, Quantity: d("0.00125")}})
	if got.Uses != 2 {
		t.Errorf("PA uses %d, want 2", got.Uses)
	}
	got, err = w.svc.GetProject(w.ctx, w.e1, w.book, "PB")
	w.must(err)
	wantTotals(t, "PB consumed", got.Consumed, []LineTotal{{BookSeq: 2, Quantity: d("7.7")}})
	if _, err := w.svc.GetProject(w.ctx, w.e2, w.book, "PB"); err == nil {
		t.Fatal("another enterprise read the project")
	}

	lots, err := w.store.Lots(w.ctx, ledger.ItemRef{Book: w.book, Code: "4"})
	w.must(err)
	found := 0
	for _, l := range lots {
		if l.Key == u1.Outputs[0].Lot && l.Attributes["category"] == string(RndPrototype) && l.Attributes["project"] == "PA" && l.Attributes["flow"] == FlowProduced {
			found++
		}
	}
	if found != 1 {
		t.Errorf("prototype lot %s: %+v", u1.Outputs[0].Lot, lots)
	}
}

func wantTotals(t *testing.T, what string, got, want []LineTotal) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %+v, want %+v", what, got, want)
	}
	for i := range got {
		if got[i].BookSeq != want[i].BookSeq || got[i].Kind != want[i].Kind || !got[i].Quantity.Equal(want[i].Quantity) {
			t.Errorf("%s[%d]: %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

// TestRndRefusals: every refusal names its reason and field and books
// nothing.
func TestRndRefusals(t *testing.T) {
	w := newRndWorld(t, DefaultSettings())
	w.receive(1, "1")
	w.project("PA")
	_, err := w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: "PA", Name: "another", Start: day("2026-01-01")})
	wantRefusal(t, err, zone.ReasonDuplicateDocument, "project")
	_, err = w.svc.FileProject(w.ctx, w.e1, Project{Book: w.zoneBook, Code: "PZ", Name: "on a zone book"})
	wantRefusal(t, err, ReasonNotRndBook, "book_no")
	_, err = w.svc.FileProject(w.ctx, w.customs, Project{Book: w.book, Code: "PC", Name: "by customs"})
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: "P C", Name: "bad code"})
	wantRefusal(t, err, ledger.ReasonInvalidArgument, "project")
	_, err = w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: "PE", Name: "ends first", Start: day("2026-02-01"), End: day("2026-01-01")})
	wantRefusal(t, err, ledger.ReasonDateOutOfRange, "end")
	_, err = w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: "PT", Name: "term", Start: day("2026-01-01"), End: day("2026-01-31")})
	w.must(err)

	use := func(inner, project string, m RndMaterial, outs ...RndOutput) error {
		_, err := w.svc.FileRndUse(w.ctx, w.e1, RndUse{InnerNo: inner, Book: w.book, Project: project, Materials: []RndMaterial{m}, Outputs: outs})
		return err
	}
	wantRefusal(t, use("U-1", "PA", RndMaterial{BookSeq: 7, Quantity: d("1")}), ReasonWrongLineType, "materials[0].book_seq")
	wantRefusal(t, use("U-2", "PA", RndMaterial{BookSeq: 1, Quantity: d("0.1")}, RndOutput{BookSeq: 7, Quantity: d("1"), Kind: RndPrototype}), ReasonWrongLineType, "outputs[0].book_seq")
	wantRefusal(t, use("U-3", "PA", RndMaterial{BookSeq: 1, Quantity: d("0.1")}, RndOutput{BookSeq: 4, Quantity: d("1"), Kind: "FINISHED"}), ledger.ReasonInvalidArgument, "outputs[0].kind")
	wantRefusal(t, use("U-4", "PA", RndMaterial{BookSeq: 1, Quantity: d("0.0001")}), ledger.ReasonTooManyDecimals, "materials[0].quantity")
	wantRefusal(t, use("U-5", "NOPE", RndMaterial{BookSeq: 1, Quantity: d("0.1")}), ReasonUnknownProject, "project")
	wantRefusal(t, use("U-6", "PA", RndMaterial{BookSeq: 1, Quantity: d("1.001")}, RndOutput{BookSeq: 4, Quantity: d("1"), Kind: RndSample}), zone.ReasonInsufficientBonded, "materials[0].quantity")
	wantRefusal(t, use("U-7", "PT", RndMaterial{BookSeq: 1, Quantity: d("0.1")}), ReasonOutsideProjectTerm, "date")
	_, err = w.svc.CloseProject(w.ctx, w.e1, w.book, "PA")
	w.must(err)
	wantRefusal(t, use("U-8", "PA", RndMaterial{BookSeq: 1, Quantity: d("0.1")}), ReasonProjectClosed, "project")
	w.wantBonded(map[int]string{1: "1", 4: "0"})
	if got, err := w.svc.GetProject(w.ctx, w.e1, w.book, "PA"); err != nil || got.Uses != 0 || got.Project.Status != ProjectClosed {
		t.Fatalf("after refusals: %+v %v", got, err)
	}
}

// TestRndSettings: with processing.rnd_books = any a zone book keeps R&D
// too; with processing.rnd_use_outside_term a use may fall outside its
// project's term.
func TestRndSettings(t *testing.T) {
	set := DefaultSettings()
	set.RndBooks, set.RndUseOutsideTerm = RndBooksAny, true
	w := newRndWorld(t, set)
	_, err := w.svc.FileProject(w.ctx, w.e1, Project{Book: w.zoneBook, Code: "PZ", Name: "on a zone book"})
	w.must(err)
	w.receive(1, "1")
	_, err = w.svc.FileProject(w.ctx, w.e1, Project{Book: w.book, Code: "PT", Name: "term", Start: day("2026-01-01"), End: day("2026-01-31")})
	w.must(err)
	_, err = w.svc.FileRndUse(w.ctx, w.e1, RndUse{InnerNo: "U-1", Book: w.book, Project: "PT", Materials: []RndMaterial{{BookSeq: 1, Quantity: d("0.5")}}})
	w.must(err)
	w.wantBonded(map[int]string{1: "0.5"})
	bad := DefaultSettings()
	bad.RndBooks = "all"
	if err := bad.Check(); err == nil {
		t.Fatal("rnd_books = all accepted")
	}
}

// TestRndOutputsDisposal: R&D outputs and leftovers leave by the paths of
// the book: a prototype destroyed under customs approval, R&D scrap
// re-exported under 0864, leftover materials and a prototype returned
// abroad under 5010, and sold domestically (0644, 0110) as taxable events.
func TestRndOutputsDisposal(t *testing.T) {
	w := newRndWorld(t, DefaultSettings())
	w.receive(1, "5")
	w.project("PA")
	u, err := w.svc.FileRndUse(w.ctx, w.e1, RndUse{InnerNo: "U-1", Book: w.book, Project: "PA", Materials: []RndMaterial{{BookSeq: 1, Quantity: d("3")}},
		Outputs: []RndOutput{{BookSeq: 4, Quantity: d("3"), Kind: RndPrototype}, {BookSeq: 5, Quantity: d("0.5"), Kind: RndScrap}}})
	w.must(err)
	ds, err := w.svc.RequestDestruction(w.ctx, w.e1, Destruction{InnerNo: "D-1", Book: w.book, Reason: "prototype tested to failure", Lines: []DestroyLine{{BookSeq: 4, Quantity: d("1"), Lot: u.Outputs[0].Lot}}})
	w.must(err)
	_, err = w.svc.ApproveDestruction(w.ctx, w.customs, ds.No, "witnessed")
	w.must(err)
	list := func(inner, mode string, seq int, qty string) {
		kind, pass := codes.DeclarationKind(""), codes.PassFirstLine
		if mode == "0110" || mode == "0644" {
			kind, pass = codes.DeclarationCorresponding, codes.PassSecondLine
		}
		l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.Out, TradeMode: mode, Country: "USA", DeclarationKind: kind,
			Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("10"), GrossWeight: d("1"), NetWeight: d("0.5")}}})
		w.must(err)
		l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
		w.must(err)
		l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
		w.must(err)
		ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: pass, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
			RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
		w.must(err)
		ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
		w.must(err)
		if ps.Status != zone.PassPassed {
			t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
		}
	}
	list("X-1", "0864", 5, "0.5")
	list("X-2", "5010", 1, "1")
	list("X-3", "5010", 4, "1")
	list("X-4", "0644", 1, "1")
	list("X-5", "0110", 4, "1")
	w.wantBonded(map[int]string{1: "0", 4: "0", 5: "0"})
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 2 || evs[0].TradeMode != "0644" || evs[0].GoodsCategory != codes.CategorySurplus || evs[1].TradeMode != "0110" || evs[1].GoodsCategory != codes.CategoryFinished {
		t.Fatalf("taxable events %+v", evs)
	}
}

// TestRndConcurrentUsesBookedOnce: uses filed at once, each sent twice at
// the same moment as a client retrying a lost answer would, are each
// booked once: the material goes down by exactly their sum.
func TestRndConcurrentUsesBookedOnce(t *testing.T) {
	w := newRndWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.project("PA")
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	nos := make(chan string, 2*n)
	for i := range n {
		u := RndUse{InnerNo: fmt.Sprintf("C-%d", i), Book: w.book, Project: "PA", Materials: []RndMaterial{{BookSeq: 1, Quantity: d("0.125")}}}
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := w.svc.FileRndUse(w.ctx, w.e1, u)
				if err != nil {
					errs <- err
					return
				}
				nos <- got.No
			}()
		}
	}
	wg.Wait()
	close(errs)
	close(nos)
	for err := range errs {
		t.Error(err)
	}
	distinct := map[string]bool{}
	for no := range nos {
		distinct[no] = true
	}
	if len(distinct) != n {
		t.Errorf("%d distinct uses answered, want %d", len(distinct), n)
	}
	w.wantBonded(map[int]string{1: "97.5"})
	got, err := w.svc.GetProject(w.ctx, w.customs, w.book, "PA")
	w.must(err)
	if got.Uses != n || !got.Consumed[0].Quantity.Equal(d("2.5")) {
		t.Errorf("project %+v", got)
	}
}
