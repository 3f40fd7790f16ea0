package zone_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

func TestReturnedListReleasesItsReservation(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-1", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("7")}}})
	w.must(err)
	_, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	w.wantStock(w.h1, 1, "10", "7", "0")
	_, err = w.svc.ReturnList(w.ctx, w.customs, l.No, "")
	wantReason(t, err, ledger.ReasonInvalidArgument)
	l, err = w.svc.ReturnList(w.ctx, w.customs, l.No, "HS code does not match the goods")
	w.must(err)
	if l.Status != zone.ListReturned {
		t.Fatalf("status %s", l.Status)
	}
	w.wantStock(w.h1, 1, "10", "0", "0")
	_, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	wantReason(t, err, zone.ReasonWrongStatus)
}

func TestOneListManyVehiclesInATwoGateZone(t *testing.T) {
	set := zone.DefaultSettings()
	set.TwoGates = true
	w := newWorld(t, set)
	in := w.file(w.e1, entry(w.h1, "IN-1", 2, "3000", "48000"))
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P1", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "V", GrossWeight: d("1000"), NetWeight: d("900")})
	w.must(err)
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "g1", Gate: 1, Vehicle: "V", ScaleGross: d("1010")})
	w.must(err)
	if ps.Status != zone.PassFirstGate {
		t.Fatalf("after gate 1: %s %v", ps.Status, ps.HoldReasons)
	}
	w.wantStock(w.h1, 2, "0", "0", "0")
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "g2", Gate: 2, Vehicle: "V"})
	w.must(err)
	if ps.Status != zone.PassPassed {
		t.Fatalf("after gate 2: %s", ps.Status)
	}
	w.wantStock(w.h1, 2, "3000", "0", "0")

	out := w.file(w.e1, zone.List{InnerNo: "OUT", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 2, Quantity: d("3000"), GrossWeight: d("3000"), NetWeight: d("3000")}}})
	for i, q := range []string{"1000", "2000"} {
		inner := []string{"V1", "V2"}[i]
		ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: inner, Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListManyVehicles, IO: codes.Out,
			RelatedType: codes.RelatedList, RelatedNos: []string{out.No}, Vehicle: inner, GrossWeight: d(q), NetWeight: d(q),
			Lines: []zone.PassLine{{ListSeq: 1, Quantity: d(q), GrossWeight: d(q), NetWeight: d(q)}}})
		w.must(err)
		_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "a", Gate: 1, Vehicle: inner, ScaleGross: d(q)})
		w.must(err)
		_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "b", Gate: 2, Vehicle: inner})
		w.must(err)
		l, _ := w.svc.GetList(w.ctx, w.e1, out.No)
		want := []zone.ListStatus{zone.ListApproved, zone.ListCleared}[i]
		if l.Status != want {
			t.Fatalf("after vehicle %d the list is %s", i+1, l.Status)
		}
	}
	w.wantStock(w.h1, 2, "0", "0", "0")
	// Nothing is left to carry.
	_, err = w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "V3", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListManyVehicles, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{out.No}, Vehicle: "V3", GrossWeight: d("1"), Lines: []zone.PassLine{{ListSeq: 1, Quantity: d("1")}}})
	wantReason(t, err, zone.ReasonWrongStatus)
}

func TestInterZoneAndGateOnlyPasses(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	_, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "IZ-0", Book: w.h1, IO: codes.Out, TradeMode: "1200", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4")}}})
	wantReason(t, err, ledger.ReasonInvalidArgument)
	iz := w.file(w.e1, zone.List{InnerNo: "IZ-1", Book: w.h1, IO: codes.Out, TradeMode: "1200", TransferType: codes.TransferType("E"), RelatedBookNo: "H22010000009",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4"), GrossWeight: d("40")}}})
	if iz.Flow != zone.FlowInterZoneOut {
		t.Fatalf("flow %s", iz.Flow)
	}
	w.drive(w.e1, iz, codes.PassSecondLine, "P-IZ-1")
	w.wantStock(w.h1, 1, "6", "0", "0")
	// Gate registration and empty vehicles pass with no book effect.
	reg, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "REG", Book: w.h1, Type: codes.PassGateRegistration, IO: codes.In, Vehicle: "R1", GrossWeight: d("300"),
		Lines: []zone.PassLine{{Description: "办公用品", Quantity: d("20")}}})
	w.must(err)
	reg, err = w.svc.RecordGateEvent(w.ctx, w.customs, reg.No, zone.GateEvent{ID: "r", Vehicle: "R1", ScaleGross: d("310")})
	w.must(err)
	empty, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "EMPTY", Book: w.h1, Type: codes.PassEmptyVehicle, IO: codes.Out, Vehicle: "R2", VehicleWeight: d("8000")})
	w.must(err)
	empty, err = w.svc.RecordGateEvent(w.ctx, w.customs, empty.No, zone.GateEvent{ID: "x", Vehicle: "R2", ScaleGross: d("8005")})
	w.must(err)
	if reg.Status != zone.PassPassed || empty.Status != zone.PassPassed {
		t.Fatalf("registration %s, empty %s", reg.Status, empty.Status)
	}
	_, err = w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "BAD", Book: w.h1, Type: codes.PassGateRegistration, Bind: codes.BindOneVehicleManyLists, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{iz.No}, Vehicle: "R3", GrossWeight: d("1")})
	wantReason(t, err, zone.ReasonPassShape)
	w.wantStock(w.h1, 1, "6", "0", "0")
	// A reading from the future is refused.
	_, err = w.svc.RecordGateEvent(w.ctx, w.customs, empty.No, zone.GateEvent{ID: "future", Vehicle: "R2", At: time.Now().Add(time.Hour)})
	if le := wantReason(t, err, ledger.ReasonInvalidArgument); le.Field != "at" {
		t.Fatalf("field %s", le.Field)
	}
	// Only the gate (customs) records gate events.
	_, err = w.svc.RecordGateEvent(w.ctx, w.e1, empty.No, zone.GateEvent{ID: "y", Vehicle: "R2"})
	wantReason(t, err, ledger.ReasonPermissionDenied)
}

func TestDiscreditedEnterpriseGetsNoCollectiveForm(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	u := uscc(t, "91310000MA1K00003")
	_, err := w.svc.RegisterEnterprise(w.ctx, w.customs, zone.Enterprise{USCC: u, CustomsCode: "3105960009", Name: "Bad Co", Credit: codes.CreditDiscredited})
	w.must(err)
	p := access.Principal{ID: "bad", Role: access.RoleEnterprise, Enterprise: u}
	_, err = w.svc.CreateBook(w.ctx, w.customs, zone.Book{No: "H31050000009", Kind: codes.BookZone, Enterprise: u, CustomsOffice: "3105"})
	w.must(err)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	_, err = w.svc.CreateForm(w.ctx, p, zone.Form{InnerNo: "FA", Book: "H31050000009", Type: codes.FormCollective, ValidFrom: today, ValidUntil: today.AddDate(0, 1, 0)})
	wantReason(t, err, zone.ReasonDiscredited)
}

// TestDiscreditedEnterpriseCannotSelfFile: 自主备案 (四自一简) is open only
// to enterprises rated 一般信用 or better (GACC 公告2019年第26号). An
// enterprise rated 失信 can register neither a book nor its lines itself;
// nothing is stored; customs can do both for it.
func TestDiscreditedEnterpriseCannotSelfFile(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	u := uscc(t, "91310000MA1K00003")
	_, err := w.svc.RegisterEnterprise(w.ctx, w.customs, zone.Enterprise{USCC: u, CustomsCode: "3105960009", Name: "Bad Co", Credit: codes.CreditDiscredited})
	w.must(err)
	p := access.Principal{ID: "bad", Role: access.RoleEnterprise, Enterprise: u}
	book := zone.Book{No: "H31050000009", Kind: codes.BookZone, Enterprise: u, CustomsOffice: "3105"}
	_, err = w.svc.CreateBook(w.ctx, p, book)
	le := wantReason(t, err, zone.ReasonDiscredited)
	if le.Kind != ledger.KindFailedPrecondition || le.Field != "enterprise" || !strings.Contains(le.Message, "customs") {
		t.Fatalf("CreateBook by a 失信 enterprise: %v (kind %v, field %q)", err, le.Kind, le.Field)
	}
	_, err = w.svc.GetBook(w.ctx, w.customs, book.No)
	wantReason(t, err, zone.ReasonUnknownBook)

	_, err = w.svc.CreateBook(w.ctx, w.customs, book)
	w.must(err)
	line := []zone.BookLine{{Seq: 1, HSCode: "8471300000", Name: "x", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}}}
	_, err = w.svc.AddBookLines(w.ctx, p, book.No, line)
	if le := wantReason(t, err, zone.ReasonDiscredited); le.Field != "book_no" {
		t.Fatalf("AddBookLines by a 失信 enterprise: field %q", le.Field)
	}
	_, err = w.svc.AddBookLines(w.ctx, w.customs, book.No, line)
	w.must(err)

	// An enterprise of general credit still files its own books.
	g := uscc(t, "91310000MA1K00004")
	_, err = w.svc.RegisterEnterprise(w.ctx, w.customs, zone.Enterprise{USCC: g, CustomsCode: "3105960010", Name: "Good Co", Credit: codes.CreditGeneral})
	w.must(err)
	_, err = w.svc.CreateBook(w.ctx, access.Principal{ID: "good", Role: access.RoleEnterprise, Enterprise: g},
		zone.Book{No: "H31050000010", Kind: codes.BookZone, Enterprise: g, CustomsOffice: "3105"})
	w.must(err)
}

// TestForeignCurrencyListNeedsExchangeRate: a list with a line in a foreign
// currency and no exchange rate is refused whatever its flow (here a
// 一线入区 list, which is not taxable), never booked at zero value; nothing
// is stored, so the same inner number with the rate is then filed and its
// line valued at total × rate.
func TestForeignCurrencyListNeedsExchangeRate(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	l := entry(w.h1, "FX-1", 1, "10", "100")
	l.Lines = append(l.Lines, zone.ListLine{BookSeq: 1, Quantity: d("1"), Total: d("20"), Currency: codes.CurrencyUSD, GrossWeight: d("10"), NetWeight: d("9")})
	_, err := w.svc.CreateList(w.ctx, w.e1, l)
	le := wantReason(t, err, ledger.ReasonInvalidArgument)
	if le.Field != "exchange_rate" || !strings.Contains(le.Message, "502") || !strings.Contains(le.Message, "lines[1]") {
		t.Fatalf("field %q message %q; want exchange_rate naming lines[1] and currency 502", le.Field, le.Message)
	}
	l.ExchangeRate = d("7.1")
	got, err := w.svc.CreateList(w.ctx, w.e1, l)
	w.must(err)
	if !got.Lines[0].CNYValue.Equal(d("100")) || !got.Lines[1].CNYValue.Equal(d("142")) {
		t.Fatalf("CNY values %s, %s; want 100 (CNY line) and 142 (20 USD × 7.1)", got.Lines[0].CNYValue, got.Lines[1].CNYValue)
	}
}

// TestEnterFirstListsCannotClaimTheSameGoods: two 先入区后报关 lists cannot
// declare the same goods of one type-1 pass. A list naming a pass whose
// goods another live list already claims is refused with
// ENTRY_PASS_CLAIMED — even when goods of another pass would let the
// ledger book it — and a deleted list frees its claim.
func TestEnterFirstListsCannotClaimTheSameGoods(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	pass := func(inner, qty string) zone.Pass {
		ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: inner, Book: w.h1, Type: codes.PassEnterFirst, IO: codes.In, RelatedType: codes.RelatedBill,
			RelatedNos: []string{"MSKU" + inner}, Vehicle: "V" + inner, GrossWeight: d("100"), Lines: []zone.PassLine{{BookSeq: 1, Quantity: d(qty), Value: d("1000"), Country: "DEU"}}})
		w.must(err)
		_, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner, Vehicle: "V" + inner, ScaleGross: d("100")})
		w.must(err)
		return ps
	}
	list := func(inner, qty string, passes ...string) zone.List {
		return zone.List{InnerNo: inner, Book: w.h1, Type: codes.ListEnterFirst, IO: codes.In, TradeMode: "5034", EntryPassNos: passes,
			Lines: []zone.ListLine{{BookSeq: 1, Quantity: d(qty), Total: d("100")}}}
	}
	p1, p2 := pass("P1", "6"), pass("P2", "4")
	w.file(w.e1, list("A", "6", p1.No))

	// P1's 6 are A's; the 4 of P2 in the entered bucket must not be booked
	// as P1's.
	_, err := w.svc.CreateList(w.ctx, w.e1, list("B", "4", p1.No))
	le := wantReason(t, err, zone.ReasonEntryPassClaimed)
	if le.Kind != ledger.KindFailedPrecondition || le.Field != "lines[0].quantity" || !strings.Contains(le.Message, p1.No) {
		t.Fatalf("second list on %s: %v (field %q)", p1.No, err, le.Field)
	}

	// A draft claims too: C takes 3 of P2, so D cannot take 2 of it.
	c, err := w.svc.CreateList(w.ctx, w.e1, list("C", "3", p2.No))
	w.must(err)
	_, err = w.svc.CreateList(w.ctx, w.e1, list("D", "2", p1.No, p2.No))
	wantReason(t, err, zone.ReasonEntryPassClaimed)
	// Deleting C frees P2's goods.
	_, err = w.svc.DeleteList(w.ctx, w.e1, c.No)
	w.must(err)
	dl := w.file(w.e1, list("D", "2", p1.No, p2.No))
	if dl.Status != zone.ListCleared {
		t.Fatalf("list D %s", dl.Status)
	}
	w.wantStock(w.h1, 1, "8", "0", "0")
	if s := w.stock(w.h1, 1); !s.Undeclared.Equal(d("2")) {
		t.Fatalf("entered and undeclared %s, want 2", s.Undeclared)
	}
	_, err = w.svc.CreateList(w.ctx, w.e1, list("E", "1", p2.No, p2.No))
	if le := wantReason(t, err, ledger.ReasonInvalidArgument); le.Field != "entry_pass_nos[1]" {
		t.Fatalf("a pass named twice: field %q", le.Field)
	}

	// Lists filed at once for the last goods of a pass: the pass is locked,
	// so exactly as many succeed as the goods allow.
	p3 := pass("P3", "4")
	var wg sync.WaitGroup
	var ok, claimed atomic.Int32
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.svc.CreateList(w.ctx, w.e1, list(fmt.Sprintf("R%d", i), "2", p3.No))
			var le *ledger.Error
			switch {
			case err == nil:
				ok.Add(1)
			case errors.As(err, &le) && le.Reason == zone.ReasonEntryPassClaimed:
				claimed.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("racing list: %v", err)
	}
	if ok.Load() != 2 || claimed.Load() != 6 {
		t.Fatalf("racing lists: %d filed, %d refused as claimed; want 2 and 6", ok.Load(), claimed.Load())
	}
}
