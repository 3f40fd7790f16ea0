package customsapi

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	zcodes "github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

func displayRequest() *customsv1.MoveDisplayRequest {
	return &customsv1.MoveDisplayRequest{InnerNo: "D-0001", ApplyNo: "SQC310526X000000001", Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
		Date: "2026-03-05", Lines: []*customsv1.DisplayLine{{BookSeq: 1, Quantity: "2", Value: "10000"}, {BookSeq: 2, Quantity: "0.125", Value: "12.5"}}}
}

// The handlers parse before they touch the domain service (nil here).
func TestDisplayRequestsNameTheirFields(t *testing.T) {
	ctx := enterpriseCtx()
	for _, bad := range []string{"1e3", "1,000", " 7", "7.", "+7"} {
		r := displayRequest()
		r.Lines[1].Quantity = bad
		_, err := NewDisplayServer(nil).MoveDisplay(ctx, r)
		wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[1].quantity")
	}
	r := displayRequest()
	r.Lines[0].Value = "10 000"
	_, err := NewDisplayServer(nil).MoveDisplay(ctx, r)
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[0].value")

	r = displayRequest()
	r.Date = "2026-02-30"
	_, err = NewDisplayServer(nil).MoveDisplay(ctx, r)
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "date")

	r = displayRequest()
	r.Kind = customsv1.DisplayKind(7)
	_, err = NewDisplayServer(nil).MoveDisplay(ctx, r)
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "kind")

	_, err = NewDisplayServer(nil).PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: "SQC1", Amount: "1,300.00"})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "amount")

	_, err = NewDisplayServer(nil).GetDisplayStatus(ctx, &customsv1.GetDisplayStatusRequest{ApplyNo: "SQC1", AsOf: "31.03.2026"})
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "as_of")
}

func TestDisplayNoPrincipalIsUnauthenticated(t *testing.T) {
	for _, call := range []func(context.Context) error{
		func(ctx context.Context) error {
			_, err := NewDisplayServer(nil).MoveDisplay(ctx, displayRequest())
			return err
		},
		func(ctx context.Context) error {
			_, err := NewDisplayServer(nil).PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: "SQC1", Amount: "1"})
			return err
		},
		func(ctx context.Context) error {
			_, err := NewDisplayServer(nil).GetDisplayStatus(ctx, &customsv1.GetDisplayStatusRequest{ApplyNo: "SQC1"})
			return err
		},
	} {
		if err := call(context.Background()); status.Code(err) != codes.Unauthenticated || errorsv1.ReasonOf(err) != ledger.ReasonUnauthenticated {
			t.Errorf("got %v, want UNAUTHENTICATED", err)
		}
	}
}

func TestDisplayMoveInKeepsExactValues(t *testing.T) {
	m, err := displayMoveIn(displayRequest())
	if err != nil {
		t.Fatal(err)
	}
	if m.InnerNo != "D-0001" || m.ApplyNo != "SQC310526X000000001" || m.Kind != zone.DisplaySale || m.Book != "" ||
		!m.Date.Equal(time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)) || len(m.Lines) != 2 {
		t.Fatalf("header not carried over: %+v", m)
	}
	if l := m.Lines[1]; l.BookSeq != 2 || l.Quantity.String() != "0.125" || l.Value.String() != "12.5" {
		t.Errorf("line 2: %+v", l)
	}
	r := displayRequest()
	r.Kind, r.Date, r.Lines[0].Value = customsv1.DisplayKind_DISPLAY_KIND_OUT, "", ""
	if m, err = displayMoveIn(r); err != nil || m.Kind != zone.DisplayOut || !m.Date.IsZero() || !m.Lines[0].Value.IsZero() {
		t.Errorf("optional fields: %+v, %v", m, err)
	}
}

func TestDisplayOutput(t *testing.T) {
	d := decimal.RequireFromString
	day := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	m := displayMoveOut(zone.DisplayMove{No: "ZS310526S000000001", InnerNo: "D-1", Enterprise: "91310000MA1FL0XX0X", Book: "H31050000001",
		ApplyNo: "SQC1", Kind: zone.DisplaySale, Date: day, Lines: []zone.DisplayLine{{BookSeq: 1, Quantity: d("2"), Value: d("10000")}},
		Tax: d("1300"), JournalID: 7})
	if m.GetKind() != customsv1.DisplayKind_DISPLAY_KIND_SALE || m.GetTax() != "1300.00" || m.GetDate() != "2026-03-05" ||
		m.GetMoveNo() != "ZS310526S000000001" || m.GetBookNo() != "H31050000001" || m.GetJournalId() != 7 {
		t.Errorf("move: %v", m)
	}
	if l := m.GetLines()[0]; l.GetBookSeq() != 1 || l.GetQuantity() != "2" || l.GetValue() != "10000.00" {
		t.Errorf("move line: %v", l)
	}

	f := zone.Form{No: "SQC1", Book: "H31050000001", Type: zcodes.FormDisplay, ValidFrom: day, ValidUntil: day.AddDate(0, 1, 0),
		Guarantee: d("2000"), TaxAssessed: d("1300"), TaxPaid: d("500.5")}
	r, err := displayReportOut(zone.DisplayReport{Form: f, Available: f.GuaranteeAvailable(), Overdue: true,
		OnDisplay: []zone.LotQuantity{{Lot: "1", Quantity: d("4")}, {Lot: "12", Quantity: d("0.5")}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.GetGuarantee() != "2000.00" || r.GetTaxAssessed() != "1300.00" || r.GetTaxPaid() != "500.50" || r.GetAvailable() != "1200.50" ||
		!r.GetOverdue() || r.GetForm().GetTaxAssessed() != "1300.00" || r.GetForm().GetTaxPaid() != "500.50" || r.GetForm().GetFormType() != "C" {
		t.Errorf("status: %v", r)
	}
	want := []*customsv1.DisplayHolding{{BookSeq: 1, Quantity: "4"}, {BookSeq: 12, Quantity: "0.5"}}
	if len(r.GetOnDisplay()) != len(want) {
		t.Fatalf("on display: %v", r.GetOnDisplay())
	}
	for i, h := range r.GetOnDisplay() {
		if !proto.Equal(h, want[i]) {
			t.Errorf("on display %d: %v, want %v", i, h, want[i])
		}
	}
	if _, err := displayReportOut(zone.DisplayReport{Form: f, OnDisplay: []zone.LotQuantity{{Lot: "L1", Quantity: d("1")}}}); err == nil {
		t.Error("a holding not named by a book line was converted")
	}
}

func TestApplyNoFieldOnlyForAMissingForm(t *testing.T) {
	nf := ledger.NotFound("UNKNOWN_DOCUMENT", "", "there is no form")
	if le := ledger.AsError(applyNoField(nf)); le.Field != "apply_no" || le.Reason != "UNKNOWN_DOCUMENT" {
		t.Errorf("not found: %+v", le)
	}
	denied := ledger.Denied("not yours")
	if le := ledger.AsError(applyNoField(denied)); le.Field != "" {
		t.Errorf("permission denied got field %q", le.Field)
	}
	named := ledger.NotFound("UNKNOWN_BOOK_LINE", "lines[0].book_seq", "no line")
	if le := ledger.AsError(applyNoField(named)); le.Field != "lines[0].book_seq" {
		t.Errorf("named field replaced: %q", le.Field)
	}
}

// The protovalidate rules of the display requests apply and name the wire
// field.
func TestDisplayValidation(t *testing.T) {
	unary, _ := grpcedge.ValidationInterceptors()
	call := func(req proto.Message) error {
		_, err := unary(enterpriseCtx(), req, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) { return "ok", nil })
		return err
	}
	if err := call(displayRequest()); err != nil {
		t.Fatalf("a valid request was refused: %v", err)
	}
	r := displayRequest()
	r.Kind = customsv1.DisplayKind_DISPLAY_KIND_UNSPECIFIED
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "kind")
	r = displayRequest()
	r.Lines[1].Quantity = "-1"
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines[1].quantity")
	r = displayRequest()
	r.Lines[0].BookSeq = 0
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines[0].book_seq")
	r = displayRequest()
	r.Lines = nil
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines")
	r = displayRequest()
	r.ApplyNo = ""
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "apply_no")

	wantInvalid(t, call(&customsv1.PayDisplayTaxRequest{ApplyNo: "SQC1"}), ledger.ReasonInvalidArgument, "amount")
	wantInvalid(t, call(&customsv1.PayDisplayTaxRequest{ApplyNo: "SQC1", Amount: "-5"}), ledger.ReasonInvalidArgument, "amount")
	wantInvalid(t, call(&customsv1.GetDisplayStatusRequest{ApplyNo: "SQC1", AsOf: "2026/03/31"}), ledger.ReasonInvalidArgument, "as_of")
	if err := call(&customsv1.GetDisplayStatusRequest{ApplyNo: "SQC1"}); err != nil {
		t.Errorf("a status request without as_of was refused: %v", err)
	}
}
