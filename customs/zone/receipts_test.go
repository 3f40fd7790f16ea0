package zone_test

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// receipt is a customs receipt for one of e1's lists.
func (w *world) receipt(customsNo, inner string, st zone.CustomsStage, note string) zone.ListReceipt {
	return zone.ListReceipt{CustomsNo: customsNo, CustomsNoField: "HdeApprResult/businessId", Enterprise: w.u1, EnterpriseField: "BondInvtBsc/bizopEtpsSccd",
		InnerNo: inner, InnerNoField: "BondInvtBsc/etpsInnerInvtNo", Book: w.h1, BookField: "BondInvtBsc/putrecNo",
		Stage: st, Note: note, At: time.Date(2026, 12, 6, 11, 48, 2, 0, time.UTC)}
}

// declaredOut files and declares an outbound list of 40 of line 1 on e1's
// H book, which holds 100.
func (w *world) declaredOut(inner string) zone.List {
	w.t.Helper()
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.h1, IO: codes.Out, TradeMode: "5034", Country: "JPN",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("40"), Total: d("200000"), GrossWeight: d("400"), NetWeight: d("360")}}})
	w.must(err)
	l, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	return l
}

func TestReceiptStoresTheCustomsNumberAndApprovesTheList(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	w.drive(w.e1, w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000")), codes.PassFirstLine, "P-IN-1")
	out := w.declaredOut("OUT-1")
	w.wantStock(w.h1, 1, "100", "40", "0")

	const cno = "QD310526E000000042"
	got, changed, err := w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt(cno, "OUT-1", zone.CustomsPreDeducted, ""))
	w.must(err)
	if !changed || got.No != out.No || got.CustomsNo != cno || got.Status != zone.ListApproved || got.CustomsStage != zone.CustomsPreDeducted || got.ApprovedBy != "officer" {
		t.Fatalf("after the receipt: changed %v, %+v", changed, got)
	}
	// Found by either number, by the enterprise and by customs; listed by the customs number.
	for _, no := range []string{out.No, cno} {
		l, err := w.svc.GetList(w.ctx, w.e1, no)
		if err != nil || l.No != out.No {
			t.Fatalf("GetList(%s): %v %s", no, err, l.No)
		}
	}
	_, err = w.svc.GetList(w.ctx, w.e2, cno)
	wantReason(t, err, zone.ReasonUnknownList)
	ls, err := w.svc.ListLists(w.ctx, w.customs, zone.ListFilter{CustomsNo: cno})
	w.must(err)
	if len(ls) != 1 || ls[0].No != out.No {
		t.Fatalf("ListLists by customs number: %d lists", len(ls))
	}

	// The same receipt again, and an earlier stage after it, change nothing.
	for _, st := range []zone.CustomsStage{zone.CustomsPreDeducted, zone.CustomsApproved} {
		again, changed, err := w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt(cno, "", st, ""))
		w.must(err)
		if changed || again.CustomsStage != zone.CustomsPreDeducted || again.Status != zone.ListApproved {
			t.Fatalf("receipt %s again: changed %v, %s %s", st, changed, again.CustomsStage, again.Status)
		}
	}
	// A later stage is recorded; the goods still leave at the gate.
	l, changed, err := w.svc.ApplyListReceipt(w.ctx, w.admin, w.receipt(cno, "OUT-1", zone.CustomsDeducted, ""))
	w.must(err)
	if !changed || l.CustomsStage != zone.CustomsDeducted || l.Status != zone.ListApproved {
		t.Fatalf("deducted: %v %s %s", changed, l.CustomsStage, l.Status)
	}
	w.wantStock(w.h1, 1, "100", "40", "0")
}

func TestReceiptOfAReturnReleasesTheReservation(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	w.drive(w.e1, w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000")), codes.PassFirstLine, "P-IN-1")
	w.declaredOut("OUT-1")
	w.wantStock(w.h1, 1, "100", "40", "0")
	l, changed, err := w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt("QD310526E000000043", "OUT-1", zone.CustomsReturned, "商品编码申报错误"))
	w.must(err)
	if !changed || l.Status != zone.ListReturned || l.Note != "商品编码申报错误" || l.CustomsNo != "QD310526E000000043" {
		t.Fatalf("returned: %v %+v", changed, l)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	// An approval arriving after the return does not bring the list back.
	l, changed, err = w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt("QD310526E000000043", "OUT-1", zone.CustomsApproved, ""))
	w.must(err)
	if changed || l.Status != zone.ListReturned {
		t.Fatalf("approval after return: %v %s", changed, l.Status)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
}

func TestBadReceiptsAreRefusedAndChangeNothing(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	w.drive(w.e1, w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000")), codes.PassFirstLine, "P-IN-1")
	a := w.declaredOut("OUT-A")
	b := w.declaredOut("OUT-B")
	_, _, err := w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt("QD310526E000000050", "OUT-A", zone.CustomsApproved, ""))
	w.must(err)
	draft, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "DRAFT", Book: w.h1, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("1")}}})
	w.must(err)

	wrongBook := w.receipt("QD310526E000000052", "OUT-B", zone.CustomsApproved, "")
	wrongBook.Book = "H31050000009"
	for _, tc := range []struct {
		name   string
		r      zone.ListReceipt
		reason string
		field  string
	}{
		{"unknown list", w.receipt("QD310526E000000051", "NOPE", zone.CustomsApproved, ""), zone.ReasonReceiptUnknownList, "BondInvtBsc/etpsInnerInvtNo"},
		{"number of another list", w.receipt("QD310526E000000050", "OUT-B", zone.CustomsApproved, ""), zone.ReasonCustomsNoTaken, "HdeApprResult/businessId"},
		{"another number for a list", w.receipt("QD310526E000000059", "OUT-A", zone.CustomsPreDeducted, ""), zone.ReasonCustomsNoTaken, "HdeApprResult/businessId"},
		{"unknown stage", w.receipt("QD310526E000000052", "OUT-B", zone.CustomsStage("7"), ""), zone.ReasonReceiptUnknownCode, "HdeApprResult/businessId"},
		{"other book", wrongBook, zone.ReasonReceiptMismatch, "BondInvtBsc/putrecNo"},
		{"a draft", w.receipt("QD310526E000000053", "DRAFT", zone.CustomsApproved, ""), zone.ReasonWrongStatus, "list_no"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := w.svc.ApplyListReceipt(w.ctx, w.customs, tc.r)
			if le := wantReason(t, err, tc.reason); le.Field != tc.field {
				t.Fatalf("field %q, want %q", le.Field, tc.field)
			}
		})
	}
	_, _, err = w.svc.ApplyListReceipt(w.ctx, w.e1, w.receipt("QD310526E000000052", "OUT-B", zone.CustomsApproved, ""))
	wantReason(t, err, ledger.ReasonPermissionDenied)
	for _, no := range []string{b.No, draft.No} {
		l, err := w.svc.GetList(w.ctx, w.customs, no)
		w.must(err)
		if l.CustomsNo != "" || l.CustomsStage != "" || (l.Status != zone.ListDeclared && l.Status != zone.ListDraft) {
			t.Fatalf("list %s changed by a refused receipt: %+v", no, l)
		}
	}
	if l, _ := w.svc.GetList(w.ctx, w.customs, a.No); l.CustomsNo != "QD310526E000000050" {
		t.Fatalf("list A lost its number: %q", l.CustomsNo)
	}
}

func TestTwoListsRacingForOneCustomsNumberOneWins(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	w.drive(w.e1, w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000")), codes.PassFirstLine, "P-IN-1")
	w.declaredOut("OUT-A")
	w.declaredOut("OUT-B")
	const cno = "QD310526E000000060"
	errs := make(chan error, 2)
	for _, inner := range []string{"OUT-A", "OUT-B"} {
		go func() {
			_, _, err := w.svc.ApplyListReceipt(w.ctx, w.customs, w.receipt(cno, inner, zone.CustomsApproved, ""))
			errs <- err
		}()
	}
	var won, lost int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			won++
		default:
			wantReason(t, err, zone.ReasonCustomsNoTaken)
			lost++
		}
	}
	ls, err := w.svc.ListLists(w.ctx, w.customs, zone.ListFilter{CustomsNo: cno})
	w.must(err)
	if won != 1 || lost != 1 || len(ls) != 1 || ls[0].Status != zone.ListApproved {
		t.Fatalf("won %d, lost %d, lists with the number %d", won, lost, len(ls))
	}
}
