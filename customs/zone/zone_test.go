package zone_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// uscc makes a valid USCC from 17 characters.
func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

type world struct {
	t       testing.TB
	ctx     context.Context
	svc     *zone.Service
	store   *pgstore.Store
	customs access.Principal
	admin   access.Principal
	e1, e2  access.Principal
	u1, u2  string // USCCs
	h1, t2  string // books: e1's H book, e2's T book
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func newWorld(t testing.TB, set zone.Settings) *world {
	t.Helper()
	return newWorldAt(t, set, nil)
}

// newWorldAt is newWorld with the service's clock (nil: time.Now).
func newWorldAt(t testing.TB, set zone.Settings, now func() time.Time) *world {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	store, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	if _, err := pgstore.Migrations().Up(ctx, store.Pool()); err != nil {
		t.Fatal(err)
	}
	if _, err := zone.Migrations().Up(ctx, store.Pool()); err != nil {
		t.Fatal(err)
	}
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	if err != nil {
		t.Fatal(err)
	}
	svc, err := zone.New(store.Pool(), store, zone.Options{Settings: &set, Tax: eng, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, svc: svc, store: store,
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms},
		admin:   access.Principal{ID: "root", Role: access.RoleAdmin},
		u1:      uscc(t, "91310000MA1K00001"), u2: uscc(t, "91310000MA1K00002"),
		h1: "H31050000001", t2: "T3105W000293"}
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: w.u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: w.u2}
	for i, u := range []string{w.u1, w.u2} {
		if _, err := svc.RegisterEnterprise(ctx, w.admin, zone.Enterprise{USCC: u, CustomsCode: "310596000" + string(rune('1'+i)), Name: "Enterprise " + u}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateBook(ctx, w.e1, zone.Book{No: w.h1, Kind: codes.BookZone, Enterprise: w.u1, CustomsOffice: "3105", Usage: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateBook(ctx, w.e2, zone.Book{No: w.t2, Kind: codes.BookLogistics, Enterprise: w.u2, CustomsOffice: "3105"}); err != nil {
		t.Fatal(err)
	}
	lines := []zone.BookLine{
		{Seq: 1, HSCode: "8471300000", Name: "notebook computer", DeclaredUnit: "001", Scale: 0, Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished},
		{Seq: 2, HSCode: "3901100000", Name: "polyethylene", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Second: &zone.LegalUnit{Unit: "070", Factor: d("0.001")}, Type: codes.GoodsMaterial},
	}
	for _, b := range []struct {
		p    access.Principal
		book string
	}{{w.e1, w.h1}, {w.e2, w.t2}} {
		if _, err := svc.AddBookLines(ctx, b.p, b.book, lines); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// wantReason fails unless err is a ledger error with the reason.
func wantReason(t *testing.T, err error, reason string) *ledger.Error {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason {
		t.Fatalf("got %v, want reason %s", err, reason)
	}
	return le
}

// stock returns a line's stock report.
func (w *world) stock(book string, seq int) zone.StockLine {
	w.t.Helper()
	r, err := w.svc.StockReport(w.ctx, w.customs, book, nil)
	w.must(err)
	for _, l := range r {
		if l.BookSeq == seq {
			return l
		}
	}
	w.t.Fatalf("no line %d", seq)
	return zone.StockLine{}
}

func (w *world) wantStock(book string, seq int, bonded, reserved, nonbonded string) {
	w.t.Helper()
	s := w.stock(book, seq)
	if !s.Bonded.Equal(d(bonded)) || !s.Reserved.Equal(d(reserved)) || !s.NonBonded.Equal(d(nonbonded)) {
		w.t.Fatalf("line %d of %s: bonded %s reserved %s nonbonded %s; want %s %s %s", seq, book, s.Bonded, s.Reserved, s.NonBonded, bonded, reserved, nonbonded)
	}
}

// file creates, declares and approves a list.
func (w *world) file(p access.Principal, l zone.List) zone.List {
	w.t.Helper()
	l, err := w.svc.CreateList(w.ctx, p, l)
	w.must(err)
	l, err = w.svc.DeclareList(w.ctx, p, l.No)
	w.must(err)
	l, err = w.svc.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	return l
}

// drive sends a list's goods through the gate on a one-vehicle pass with
// the declared weights and a matching scale reading.
func (w *world) drive(p access.Principal, l zone.List, pt codes.PassType, inner string) zone.Pass {
	w.t.Helper()
	ps, err := w.svc.CreatePass(w.ctx, p, zone.Pass{InnerNo: inner, Book: l.Book, Type: pt, Bind: codes.BindOneListOneVehicle, IO: l.IO,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"),
		GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return ps
}

func entry(book, inner string, seq int, qty, value string) zone.List {
	return zone.List{InnerNo: inner, Book: book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d(value), GrossWeight: d("1000"), NetWeight: d("900")}}}
}

func TestFirstLineReservedThenDeductedAndCertificate(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	w.wantStock(w.h1, 1, "0", "0", "0")
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	w.wantStock(w.h1, 1, "100", "0", "0")
	got, err := w.svc.GetList(w.ctx, w.e1, in.No)
	w.must(err)
	if got.Status != zone.ListCleared {
		t.Fatalf("entry list is %s", got.Status)
	}

	out, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-1", Book: w.h1, IO: codes.Out, TradeMode: "5034", Country: "JPN",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("40"), Total: d("200000"), GrossWeight: d("400"), NetWeight: d("360")}}})
	w.must(err)
	w.wantStock(w.h1, 1, "100", "0", "0")
	out, err = w.svc.DeclareList(w.ctx, w.e1, out.No)
	w.must(err)
	w.wantStock(w.h1, 1, "100", "40", "0")
	_, err = w.svc.RequestCertificate(w.ctx, w.e1, out.No)
	wantReason(t, err, zone.ReasonWrongStatus)
	out, err = w.svc.ApproveList(w.ctx, w.customs, out.No, "")
	w.must(err)
	w.drive(w.e1, out, codes.PassFirstLine, "P-OUT-1")
	w.wantStock(w.h1, 1, "60", "0", "0")
	cert, err := w.svc.RequestCertificate(w.ctx, w.e1, out.No)
	w.must(err)
	if len(cert.Lots) != 1 || cert.Lots[0].EntryListNo != in.No || !cert.Lots[0].Quantity.Equal(d("40")) || cert.Lots[0].Country != "USA" {
		t.Fatalf("certificate %+v", cert)
	}
}

func TestWeightMismatchHeldUntilCustomsReleases(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 2, "5000", "80000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	out := w.file(w.e1, zone.List{InnerNo: "OUT-1", Book: w.h1, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("2000"), Total: d("32000"), GrossWeight: d("2100"), NetWeight: d("2000")}}})
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-OUT-1", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{out.No}, Vehicle: "沪B00001", VehicleWeight: d("9000"), GrossWeight: d("2100"), NetWeight: d("2000")})
	w.must(err)
	// The scale reads 500 kg more goods than declared: 9000 + 2600.
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "ev1", Vehicle: "沪B00001", ScaleGross: d("11600")})
	w.must(err)
	if ps.Status != zone.PassHeld || len(ps.HoldReasons) != 1 {
		t.Fatalf("pass %s %v", ps.Status, ps.HoldReasons)
	}
	w.wantStock(w.h1, 2, "5000", "2000", "0")
	// A resent event changes nothing; a new one is refused while held.
	ps2, err := w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "ev1", Vehicle: "沪B00001", ScaleGross: d("11600")})
	w.must(err)
	if len(ps2.Events) != 1 {
		t.Fatalf("events %d", len(ps2.Events))
	}
	_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "ev2", Vehicle: "沪B00001", ScaleGross: d("11100")})
	wantReason(t, err, zone.ReasonWrongStatus)
	_, err = w.svc.ReleaseHold(w.ctx, w.e1, ps.No, "mine")
	wantReason(t, err, ledger.ReasonPermissionDenied)
	w.wantStock(w.h1, 2, "5000", "2000", "0")
	ps, err = w.svc.ReleaseHold(w.ctx, w.customs, ps.No, "inspected: packing heavier than declared")
	w.must(err)
	if ps.Status != zone.PassPassed {
		t.Fatalf("after release %s", ps.Status)
	}
	w.wantStock(w.h1, 2, "3000", "0", "0")
}

func TestBadFilingsRefusedWithTheRule(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	cases := []struct {
		name   string
		p      access.Principal
		l      zone.List
		reason string
		field  string
	}{
		{"5100 needs an H book", w.e2, zone.List{InnerNo: "X1", Book: w.t2, IO: codes.In, TradeMode: "5100", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("1")}}}, zone.ReasonTradeModeBook, "trade_mode"},
		{"line not on book", w.e1, zone.List{InnerNo: "X2", Book: w.h1, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 9, Quantity: d("1")}}}, zone.ReasonLineNotOnBook, "lines[0].book_seq"},
		{"unit neither declared nor legal", w.e1, zone.List{InnerNo: "X3", Book: w.h1, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("1"), Unit: "007"}}}, zone.ReasonUnitNotOnLine, "lines[0].unit"},
		{"another enterprise's book", w.e1, zone.List{InnerNo: "X4", Book: w.t2, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("1")}}}, zone.ReasonUnknownBook, "book_no"},
		{"unknown trade mode", w.e1, zone.List{InnerNo: "X5", Book: w.h1, IO: codes.In, TradeMode: "9999", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("1")}}}, zone.ReasonUnknownTradeMode, "trade_mode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.svc.CreateList(w.ctx, c.p, c.l)
			le := wantReason(t, err, c.reason)
			if le.Field != c.field {
				t.Fatalf("field %q, want %q", le.Field, c.field)
			}
		})
	}
	// A legal unit converts exactly: 2.5 tonnes (second legal unit 070, factor 0.001) = 2500 kg.
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OK1", Book: w.h1, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("2.5"), Unit: "070"}}})
	w.must(err)
	if !l.Lines[0].DeclaredQuantity.Equal(d("2500")) {
		t.Fatalf("declared %s", l.Lines[0].DeclaredQuantity)
	}
	// Same number, same filing: the same list. Different filing: refused.
	again, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OK1", Book: w.h1, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("2.5"), Unit: "070"}}})
	w.must(err)
	if again.No != l.No {
		t.Fatalf("replay gave %s, want %s", again.No, l.No)
	}
	_, err = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OK1", Book: w.h1, IO: codes.In, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("3")}}})
	wantReason(t, err, zone.ReasonDuplicateListNumber)
	// A suspended book takes nothing.
	_, err = w.svc.SetBookStatus(w.ctx, w.customs, w.h1, codes.BookSuspended)
	w.must(err)
	_, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	wantReason(t, err, zone.ReasonBookNotExecuting)
	_, err = w.svc.CreateList(w.ctx, w.e1, entry(w.h1, "X6", 1, "1", "1"))
	wantReason(t, err, zone.ReasonBookNotExecuting)
	// Only customs approves; an enterprise cannot read another's list, nor
	// learn that it exists.
	_, err = w.svc.ApproveList(w.ctx, w.e1, l.No, "")
	wantReason(t, err, ledger.ReasonPermissionDenied)
	_, err = w.svc.GetList(w.ctx, w.e2, l.No)
	wantReason(t, err, zone.ReasonUnknownList)
}

func TestTwoListsRaceForTheLastUnits(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	var nos [8]string
	for i := range nos {
		l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-" + string(rune('A'+i)), Book: w.h1, IO: codes.Out, TradeMode: "5034",
			Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4"), Total: d("20000")}}})
		w.must(err)
		nos[i] = l.No
	}
	var wg sync.WaitGroup
	errs := make([]error, len(nos))
	for i := range nos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.svc.DeclareList(w.ctx, w.e1, nos[i])
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantReason(t, err, zone.ReasonInsufficientBonded)
	}
	if ok != 2 {
		t.Fatalf("%d declarations went through, want 2 (10 units, 4 each)", ok)
	}
	w.wantStock(w.h1, 1, "10", "8", "0")
}

func TestIntraZoneTransferIsOneJournalAcrossBooks(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 2, "1000", "16000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	out, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "TR-1", Book: w.h1, Type: codes.ListIntraZone, IO: codes.Out, TradeMode: "5034", RelatedBookNo: w.t2,
		Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("400"), Total: d("6400")}}})
	w.must(err)
	out, err = w.svc.DeclareList(w.ctx, w.e1, out.No)
	w.must(err)
	rcv, err := w.svc.CreateList(w.ctx, w.e2, zone.List{InnerNo: "TR-IN-1", Book: w.t2, Type: codes.ListIntraZone, IO: codes.In, TradeMode: "5034", RelatedListNo: out.No,
		Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("400"), Total: d("6400")}}})
	w.must(err)
	_, err = w.svc.DeclareList(w.ctx, w.e2, rcv.No)
	w.must(err)
	_, err = w.svc.ApproveList(w.ctx, w.customs, out.No, "")
	w.must(err)
	w.wantStock(w.h1, 2, "1000", "400", "0")
	w.wantStock(w.t2, 2, "0", "0", "0")
	_, err = w.svc.ApproveList(w.ctx, w.customs, rcv.No, "")
	w.must(err)
	w.wantStock(w.h1, 2, "600", "0", "0")
	w.wantStock(w.t2, 2, "400", "0", "0")
	a, _ := w.svc.GetList(w.ctx, w.e1, out.No)
	b, _ := w.svc.GetList(w.ctx, w.e2, rcv.No)
	if a.Status != zone.ListCleared || b.Status != zone.ListCleared || a.JournalIDs[len(a.JournalIDs)-1] != b.JournalIDs[len(b.JournalIDs)-1] {
		t.Fatalf("sender %s %v, receiver %s %v", a.Status, a.JournalIDs, b.Status, b.JournalIDs)
	}

	// A transfer to a suspended enterprise's book is refused.
	_, err = w.svc.SetEnterpriseSuspended(w.ctx, w.customs, w.u2, true)
	w.must(err)
	_, err = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "TR-2", Book: w.h1, Type: codes.ListIntraZone, IO: codes.Out, TradeMode: "5034", RelatedBookNo: w.t2,
		Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("1")}}})
	le := wantReason(t, err, zone.ReasonEnterpriseSuspended)
	if le.Field != "related_book_no" {
		t.Fatalf("field %s", le.Field)
	}
}

func TestStatusSwitchAndNonBondedCoStorage(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	// Non-bonded goods enter without a declaration on a type-4 pass.
	nb := w.file(w.e2, zone.List{InnerNo: "NB-1", Book: w.t2, IO: codes.In, TradeMode: "5034", DeclareFlag: codes.NotDeclared,
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("50"), Total: d("100000"), GrossWeight: d("500"), NetWeight: d("450")}}})
	w.drive(w.e2, nb, codes.PassNonDeclared, "P-NB-1")
	w.wantStock(w.t2, 1, "0", "0", "50")
	// 区内直转: 20 of them become bonded, through the 待检区.
	sw := w.file(w.e2, zone.List{InnerNo: "SW-1", Book: w.t2, Type: codes.DefaultDirectTransferListType, IO: codes.In, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("20"), Total: d("40000")}}})
	s := w.stock(w.t2, 1)
	if !s.Inspection.Equal(d("20")) || !s.NonBonded.Equal(d("30")) {
		t.Fatalf("during the switch: %+v", s)
	}
	_, err := w.svc.ClearList(w.ctx, w.e2, sw.No, "310520261000000001")
	w.must(err)
	w.wantStock(w.t2, 1, "20", "0", "30")
	// And 5 bonded go back to non-bonded, a taxable event.
	back := w.file(w.e2, zone.List{InnerNo: "SW-2", Book: w.t2, Type: codes.DefaultDirectTransferListType, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("5"), Total: d("10000")}}})
	_, err = w.svc.ClearList(w.ctx, w.e2, back.No, "310520261000000002")
	w.must(err)
	w.wantStock(w.t2, 1, "15", "0", "35")
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.e2, w.t2, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || !evs[0].DutiableValue.Equal(d("10000")) || !evs[0].Quantity.Equal(d("5")) || evs[0].ListNo != back.No {
		t.Fatalf("taxable events %+v", evs)
	}
	// As of yesterday the book was empty.
	r, err := w.svc.StockReport(w.ctx, w.customs, w.t2, new(time.Now().AddDate(0, 0, -2)))
	w.must(err)
	if !r[0].NonBonded.IsZero() || !r[0].Bonded.IsZero() {
		t.Fatalf("as of two days ago: %+v", r[0])
	}
}

func TestSecondLineDomesticSaleIsTaxable(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	sale := w.file(w.e1, zone.List{InnerNo: "DS-1", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding,
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Total: d("18000"), GrossWeight: d("30"), NetWeight: d("27")}}})
	_, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-X", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{sale.No}, Vehicle: "V", GrossWeight: d("30")})
	wantReason(t, err, zone.ReasonPassListMismatch)
	w.drive(w.e1, sale, codes.PassSecondLine, "P-DS-1")
	w.wantStock(w.h1, 1, "7", "0", "0")
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || evs[0].TradeMode != "0110" || !evs[0].DutiableValue.Equal(d("18000")) || evs[0].HSCode != "8471300000" {
		t.Fatalf("taxable events %+v", evs)
	}
}

func TestCollectiveDeclarationOfTrips(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	today := time.Now().UTC().Truncate(24 * time.Hour)
	f, err := w.svc.CreateForm(w.ctx, w.e1, zone.Form{InnerNo: "FA-1", Book: w.h1, Type: codes.FormCollective, ValidFrom: today.AddDate(0, 0, -1), ValidUntil: today.AddDate(0, 3, 0)})
	w.must(err)
	var slips []string
	for i, q := range []string{"2", "3"} {
		sl, err := w.svc.CreateSlip(w.ctx, w.e1, zone.Slip{InnerNo: "S-" + q, Book: w.h1, ApplyNo: f.No, IO: codes.Out, Lines: []zone.SlipLine{{BookSeq: 1, Quantity: d(q), Value: d("5000"), GrossWeight: d("20")}}})
		w.must(err)
		ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "PS-" + q, Book: w.h1, Type: codes.PassSecondLine, IO: codes.Out, RelatedType: codes.RelatedSlip,
			RelatedNos: []string{sl.No}, Vehicle: "V" + q, GrossWeight: d("20")})
		w.must(err)
		ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "e" + q, Vehicle: "V" + q, ScaleGross: d("25")})
		w.must(err)
		if ps.Status != zone.PassPassed {
			t.Fatalf("trip %d: %s %v", i, ps.Status, ps.HoldReasons)
		}
		slips = append(slips, sl.No)
	}
	w.wantStock(w.h1, 1, "5", "0", "0")
	pend, err := w.svc.PendingTrips(w.ctx, w.e1, w.h1, time.Time{})
	w.must(err)
	if len(pend) != 2 {
		t.Fatalf("pending %d", len(pend))
	}
	_, err = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "JB-bad", Book: w.h1, Type: codes.ListCollective, IO: codes.Out, TradeMode: "0110", ApplyNo: f.No, SlipNos: slips,
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4"), Total: d("20000")}}})
	wantReason(t, err, zone.ReasonSlipMismatch)
	w.file(w.e1, zone.List{InnerNo: "JB-1", Book: w.h1, Type: codes.ListCollective, IO: codes.Out, TradeMode: "0110", ApplyNo: f.No, SlipNos: slips,
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("5"), Total: d("25000")}}})
	w.wantStock(w.h1, 1, "5", "0", "0")
	pend, err = w.svc.PendingTrips(w.ctx, w.e1, w.h1, time.Time{})
	w.must(err)
	if len(pend) != 0 {
		t.Fatalf("pending after the collective list: %d", len(pend))
	}
	evs, _ := w.svc.ListTaxableEvents(w.ctx, w.e1, w.h1, time.Time{}, time.Time{}, 0, 0)
	if len(evs) != 1 || !evs[0].Quantity.Equal(d("5")) {
		t.Fatalf("taxable events %+v", evs)
	}
}

func TestEnterFirstDeclareLater(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P1", Book: w.h1, Type: codes.PassEnterFirst, IO: codes.In, RelatedType: codes.RelatedBill,
		RelatedNos: []string{"MSKU1234567"}, Vehicle: "V1", GrossWeight: d("100"), Lines: []zone.PassLine{{BookSeq: 1, Quantity: d("6"), Value: d("30000"), Country: "DEU"}}})
	w.must(err)
	_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "e1", Vehicle: "V1", ScaleGross: d("100")})
	w.must(err)
	s := w.stock(w.h1, 1)
	if !s.Undeclared.Equal(d("6")) || !s.Bonded.IsZero() {
		t.Fatalf("after entry %+v", s)
	}
	l := w.file(w.e1, zone.List{InnerNo: "L1", Book: w.h1, Type: codes.ListEnterFirst, IO: codes.In, TradeMode: "5034", EntryPassNos: []string{ps.No},
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("6"), Total: d("30000")}}})
	if l.Status != zone.ListCleared {
		t.Fatalf("list %s", l.Status)
	}
	w.wantStock(w.h1, 1, "6", "0", "0")
}

func TestCertificateRefusedForConsumedLots(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 2, "100", "1600"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	_, err := w.svc.ReportConsumption(w.ctx, w.e1, zone.ConsumptionReport{InnerNo: "C1", Book: w.h1, Purpose: "简单加工",
		Consumed: []zone.ConsumedLine{{BookSeq: 2, Quantity: d("10")}}})
	w.must(err)
	w.wantStock(w.h1, 2, "90", "0", "0")
	out := w.file(w.e1, zone.List{InnerNo: "OUT", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("50"), GrossWeight: d("55")}}})
	w.drive(w.e1, out, codes.PassFirstLine, "P-OUT")
	_, err = w.svc.RequestCertificate(w.ctx, w.e1, out.No)
	wantReason(t, err, zone.ReasonCertificateRefused)
}
