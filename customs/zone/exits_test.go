package zone_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Bonded goods leave for the domestic market taxed, or kept bonded by a
// named counterpart that receives the same quantities; otherwise the list
// is refused with the rule and nothing is reserved.

// wantRefusal fails unless err has the kind, reason and field, and its
// message says each of says.
func wantRefusal(t *testing.T, err error, kind ledger.Kind, reason, field string, says ...string) {
	t.Helper()
	le := wantReason(t, err, reason)
	if le.Kind != kind || le.Field != field {
		t.Fatalf("%v: kind %v field %q, want %v %q", err, le.Kind, le.Field, kind, field)
	}
	for _, s := range says {
		if !strings.Contains(le.Message, s) {
			t.Errorf("message %q does not say %q", le.Message, s)
		}
	}
}

// outLine is 40 notebooks (book line 1) worth 200000.00.
func outLine() []zone.ListLine {
	return []zone.ListLine{{BookSeq: 1, Quantity: d("40"), Total: d("200000"), GrossWeight: d("400"), NetWeight: d("360")}}
}

func TestUntaxedExitToDomesticMarketRefused(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")

	cases := []struct {
		name   string
		l      zone.List
		kind   ledger.Kind
		reason string
		field  string
		says   []string
	}{
		{"1210 ordinary list out", zone.List{InnerNo: "X-1210", Book: w.h1, IO: codes.Out, TradeMode: "1210", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonEcommerceExit, "trade_mode", []string{"1210", "inventory lists", "财关税〔2016〕18号"}},
		{"1210 selective-duty list out", zone.List{InnerNo: "X-1210A", Book: w.h1, Type: codes.ListSelectiveDuty, IO: codes.Out, TradeMode: "1210", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonEcommerceExit, "trade_mode", nil},
		{"9700 list out", zone.List{InnerNo: "X-9700", Book: w.h1, IO: codes.Out, TradeMode: "9700", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonTaxTopUp, "trade_mode", []string{"tax top-up, not a movement", "报关单", "0110"}},
		{"9700 list in", zone.List{InnerNo: "X-9700I", Book: w.h1, IO: codes.In, TradeMode: "9700", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonTaxTopUp, "trade_mode", nil},
		{"5000 with nothing linked", zone.List{InnerNo: "X-5000", Book: w.h1, IO: codes.Out, TradeMode: "5000", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonUntaxedExit, "related_list_no", []string{"rule:", "5000", "关联清单编号", "0110"}},
		{"5100 with nothing linked", zone.List{InnerNo: "X-5100", Book: w.h1, IO: codes.Out, TradeMode: "5100", Lines: outLine()},
			ledger.KindInvalid, zone.ReasonUntaxedExit, "related_list_no", nil},
		{"5300 with only a book linked", zone.List{InnerNo: "X-5300", Book: w.h1, IO: codes.Out, TradeMode: "5300", RelatedBookNo: w.t2, Lines: outLine()},
			ledger.KindInvalid, zone.ReasonUntaxedExit, "related_list_no", nil},
		{"5000 collective list", zone.List{InnerNo: "X-5000C", Book: w.h1, Type: codes.ListCollective, IO: codes.Out, TradeMode: "5000", ApplyNo: "F1", SlipNos: []string{"S1"}},
			ledger.KindInvalid, zone.ReasonUntaxedExit, "trade_mode", []string{"collective"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.svc.CreateList(w.ctx, w.e1, c.l)
			wantRefusal(t, err, c.kind, c.reason, c.field, c.says...)
		})
	}
	// Nothing was filed, nothing reserved.
	ls, err := w.svc.ListLists(w.ctx, w.e1, zone.ListFilter{Book: w.h1})
	w.must(err)
	if len(ls) != 1 {
		t.Fatalf("%d lists on %s, want only the entry list: %+v", len(ls), w.h1, ls)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
}

func TestExitKeptBondedByCounterpartThatReceivesTheSame(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")

	// The receiving book's list comes first: 40 notebooks into T3105W000293
	// from the domestic area.
	recv, err := w.svc.CreateList(w.ctx, w.e2, zone.List{InnerNo: "R-1", Book: w.t2, IO: codes.In, TradeMode: "5000", RelatedBookNo: w.h1, Lines: outLine()})
	w.must(err)
	exit := func(inner, related string, lines []zone.ListLine) zone.List {
		return zone.List{InnerNo: inner, Book: w.h1, IO: codes.Out, TradeMode: "5000", RelatedListNo: related, Lines: lines}
	}

	// A counterpart receiving other quantities, an unknown list, a list
	// that does not keep the goods bonded (an outbound one, one on the
	// same book): refused, nothing reserved.
	fewer := outLine()
	fewer[0].Quantity = d("30")
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-FEWER", recv.No, fewer))
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "lines[0].quantity", "sends 30", "receives 40", recv.No)
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-TWO", recv.No, append(outLine(), outLine()...)))
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "lines")
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-NONE", "QD310526I999999999", outLine()))
	wantRefusal(t, err, ledger.KindNotFound, zone.ReasonUnknownList, "related_list_no")
	none := err.Error()
	// Another enterprise's list that does not name this book is answered
	// as one that does not exist: its quantities are not told.
	other, err := w.svc.CreateList(w.ctx, w.e2, zone.List{InnerNo: "R-OTHER", Book: w.t2, IO: codes.In, TradeMode: "5000", Lines: fewer})
	w.must(err)
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-OTHER", other.No, outLine()))
	wantRefusal(t, err, ledger.KindNotFound, zone.ReasonUnknownList, "related_list_no")
	if got := strings.ReplaceAll(err.Error(), other.No, "QD310526I999999999"); got != none {
		t.Errorf("another enterprise's list: %q; a list that does not exist: %q", got, none)
	}
	own := w.file(w.e1, entry(w.h1, "IN-OWN", 1, "40", "1000"))
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-OWN", own.No, outLine()))
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "related_list_no", "does not keep the goods bonded")
	_, err = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "X-BOOK", Book: w.h1, IO: codes.Out, TradeMode: "5000", RelatedListNo: recv.No, RelatedBookNo: "H31050000009", Lines: outLine()})
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "related_book_no")
	w.wantStock(w.h1, 1, "100", "0", "0")

	// The same quantities: accepted, booked out on a type-3 pass with no
	// taxable event (the goods stay bonded in the receiving book).
	out := w.file(w.e1, exit("X-OK", recv.No, outLine()))
	if out.RelatedBookNo != w.t2 {
		t.Errorf("related book %q, want %s", out.RelatedBookNo, w.t2)
	}
	w.drive(w.e1, out, codes.PassSecondLine, "P-X-OK")
	w.wantStock(w.h1, 1, "60", "0", "0")
	evs, err := w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 0 {
		t.Fatalf("an exit kept bonded made taxable events %+v", evs)
	}

	// One counterpart justifies one exit.
	_, err = w.svc.CreateList(w.ctx, w.e1, exit("X-AGAIN", recv.No, outLine()))
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "related_list_no", out.No)

	// A counterpart deleted after the exit was filed stops its declaration.
	recv2, err := w.svc.CreateList(w.ctx, w.e2, zone.List{InnerNo: "R-2", Book: w.t2, IO: codes.In, TradeMode: "5000", RelatedBookNo: w.h1, Lines: outLine()})
	w.must(err)
	late, err := w.svc.CreateList(w.ctx, w.e1, exit("X-LATE", recv2.No, outLine()))
	w.must(err)
	_, err = w.svc.DeleteList(w.ctx, w.e2, recv2.No)
	w.must(err)
	_, err = w.svc.DeclareList(w.ctx, w.e1, late.No)
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "related_list_no", "deleted")
	w.wantStock(w.h1, 1, "60", "0", "0")

	// An ordinary taxed domestic sale needs no counterpart and is taxed.
	sale := w.file(w.e1, zone.List{InnerNo: "DS-1", Book: w.h1, IO: codes.Out, TradeMode: "0110", DeclarationKind: codes.DeclarationCorresponding, Lines: []zone.ListLine{
		{BookSeq: 1, Quantity: d("2"), Total: d("10000"), GrossWeight: d("20"), NetWeight: d("18")}}})
	w.drive(w.e1, sale, codes.PassSecondLine, "P-DS-1")
	evs, err = w.svc.ListTaxableEvents(w.ctx, w.customs, w.h1, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || evs[0].ListNo != sale.No || evs[0].TradeMode != "0110" || !evs[0].Total.IsPositive() || evs[0].AssessError != "" {
		t.Fatalf("the domestic sale's taxable events: %+v", evs)
	}
	w.wantStock(w.h1, 1, "58", "0", "0")
}

func TestOneCounterpartJustifiesOneExitUnderRace(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	recv, err := w.svc.CreateList(w.ctx, w.e2, zone.List{InnerNo: "R-1", Book: w.t2, IO: codes.In, TradeMode: "5000", RelatedBookNo: w.h1, Lines: outLine()})
	w.must(err)

	// Four exits name the same receiving list at once: one is filed, the
	// others are refused, none fails otherwise.
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: fmt.Sprintf("X-%d", i), Book: w.h1, IO: codes.Out, TradeMode: "5000",
				RelatedListNo: recv.No, Lines: outLine()})
		}()
	}
	wg.Wait()
	filed := 0
	for _, err := range errs {
		if err == nil {
			filed++
			continue
		}
		wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonCounterpartMismatch, "related_list_no", "one counterpart justifies one exit")
	}
	if filed != 1 {
		t.Fatalf("%d exits filed on one receiving list, want 1: %v", filed, errs)
	}
}
