package customsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// As in convert_test.go, the handlers run with a nil service: every case
// must be refused before the domain is reached.

const testEBC = "91120000MA05E00010"

func platformCtx() context.Context {
	return access.WithPrincipal(context.Background(), access.Principal{ID: "tmall", Role: access.RolePlatform, LinkedEnterprises: []string{testEBC}})
}

func orderRequest() *customsv1.SubmitOrderRequest {
	buyer := &customsv1.Person{Name: "张三", IdNumber: "110101199001010011", Phone: "13800000000"}
	return &customsv1.SubmitOrderRequest{OrderNo: "O-1", Enterprise: testEBC, Buyer: buyer,
		Consignee:  &customsv1.Person{Name: "张三", Phone: "13800000000", Address: "北京市朝阳区1号"},
		GoodsValue: "300.00", Freight: "10", Insurance: "0.5", Discount: "5.25", TaxTotal: "28.26", ActualPaid: "333.01",
		Lines: []*customsv1.OrderLine{
			{ItemNo: "SKU-CREAM", Name: "face cream", Quantity: "2", Price: "100", Total: "200.00"},
			{ItemNo: "SKU-MASK", Quantity: "0.5", Price: "200.0000", Total: "100"},
		}}
}

func paymentRequest() *customsv1.SubmitPaymentRequest {
	return &customsv1.SubmitPaymentRequest{Enterprise: testEBC, OrderNo: "O-1", PayCode: "ALIPAY", TransactionId: "T1",
		Payer: &customsv1.Person{Name: "张三", IdNumber: "110101199001010011"}, Amount: "333.01"}
}

func waybillRequest() *customsv1.SubmitWaybillRequest {
	return &customsv1.SubmitWaybillRequest{Enterprise: testEBC, OrderNo: "O-1", LogisticsNo: "SF1", LogisticsCode: "SF",
		Consignee: &customsv1.Person{Name: "张三", Phone: "13800000000", Address: "北京市朝阳区1号"}}
}

func TestEcommerceBadDecimalsNameTheirFields(t *testing.T) {
	srv := NewEcommerceServer(nil)
	for _, bad := range []string{"1e3", "1,000", " 7", "7.", "+7", "--7", "0x10", "一"} {
		r := orderRequest()
		r.GoodsValue = bad
		_, err := srv.SubmitOrder(platformCtx(), r)
		wantInvalid(t, err, ledger.ReasonMalformedDecimal, "goods_value")
	}
	cases := []struct {
		field string
		bend  func(r *customsv1.SubmitOrderRequest)
	}{
		{"freight", func(r *customsv1.SubmitOrderRequest) { r.Freight = "10.0.0" }},
		{"insurance", func(r *customsv1.SubmitOrderRequest) { r.Insurance = "½" }},
		{"discount", func(r *customsv1.SubmitOrderRequest) { r.Discount = "5-" }},
		{"tax_total", func(r *customsv1.SubmitOrderRequest) { r.TaxTotal = "" }},
		{"actual_paid", func(r *customsv1.SubmitOrderRequest) { r.ActualPaid = "333.01 CNY" }},
		{"lines[1].quantity", func(r *customsv1.SubmitOrderRequest) { r.Lines[1].Quantity = "5e-1" }},
		{"lines[1].price", func(r *customsv1.SubmitOrderRequest) { r.Lines[1].Price = "200,00" }},
		{"lines[0].total", func(r *customsv1.SubmitOrderRequest) { r.Lines[0].Total = "NaN" }},
	}
	for _, c := range cases {
		r := orderRequest()
		c.bend(r)
		_, err := srv.SubmitOrder(platformCtx(), r)
		wantInvalid(t, err, ledger.ReasonMalformedDecimal, c.field)
	}

	p := paymentRequest()
	p.Amount = "333.01元"
	_, err := srv.SubmitPayment(platformCtx(), p)
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "amount")

	p = paymentRequest()
	p.PaidAt = &timestamppb.Timestamp{Seconds: 1, Nanos: 2_000_000_000}
	_, err = srv.SubmitPayment(platformCtx(), p)
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "paid_at")
}

func TestEcommerceInKeepsExactValues(t *testing.T) {
	o, err := orderIn(orderRequest())
	if err != nil {
		t.Fatal(err)
	}
	if o.OrderNo != "O-1" || o.Enterprise != testEBC || o.Buyer.IDNumber != "110101199001010011" || o.Consignee.Address != "北京市朝阳区1号" || len(o.Lines) != 2 {
		t.Fatalf("order not carried over: %+v", o)
	}
	for i, c := range []struct {
		got  fmt.Stringer
		want string
	}{
		{o.GoodsValue, "300"}, {o.Freight, "10"}, {o.Insurance, "0.5"}, {o.Discount, "5.25"}, {o.TaxTotal, "28.26"},
		{o.ActualPaid, "333.01"}, {o.Lines[1].Quantity, "0.5"}, {o.Lines[1].Price, "200"}, {o.Lines[1].Total, "100"},
	} {
		if c.got.String() != c.want {
			t.Errorf("check %d: got %s, want %s", i, c.got, c.want)
		}
	}
	r := orderRequest()
	r.Freight, r.Insurance, r.Discount = "", "", ""
	if o, err = orderIn(r); err != nil || !o.Freight.IsZero() || !o.Insurance.IsZero() || !o.Discount.IsZero() {
		t.Fatalf("empty optional amounts: %v, %+v", err, o)
	}

	paid := time.Date(2026, 11, 11, 0, 1, 2, 0, time.UTC)
	p := paymentRequest()
	p.PaidAt = timestamppb.New(paid)
	ent, pay, err := paymentIn(p)
	if err != nil || ent != testEBC || !pay.PaidAt.Equal(paid) || pay.Amount.String() != "333.01" || pay.Payer.Name != "张三" {
		t.Fatalf("payment: %v %s %+v", err, ent, pay)
	}
}

func TestEcommerceOut(t *testing.T) {
	if orderOut(ecommerce.Order{}) != nil {
		t.Error("no order (a payment before its order) gave an Order")
	}
	o := orderOut(ecommerce.Order{OrderNo: "O-1", Status: ecommerce.OrderRejected, Reason: "TAX_MISMATCH: order O-1 withheld 28.27 tax; the tax is 28.26",
		GoodsValue: decimal.RequireFromString("300"), Lines: []ecommerce.OrderLine{{ItemNo: "A", Quantity: decimal.RequireFromString("0.5"), Price: decimal.RequireFromString("1.25"), Total: decimal.RequireFromString("0.63")}}})
	if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.GetReason() != "TAX_MISMATCH" ||
		o.GetReasonMessage() != "order O-1 withheld 28.27 tax; the tax is 28.26" || o.GetGoodsValue() != "300.00" || o.GetFreight() != "0.00" ||
		o.GetLines()[0].GetQuantity() != "0.5" || o.GetLines()[0].GetPrice() != "1.25" || o.GetLines()[0].GetTotal() != "0.63" {
		t.Errorf("orderOut: %v", o)
	}
	for in, want := range map[string][2]string{
		"":                     {"", ""},
		"no reason here":       {"", "no reason here"},
		"Mixed: case":          {"", "Mixed: case"},
		"OVER_SINGLE_LIMIT: x": {"OVER_SINGLE_LIMIT", "x"},
	} {
		if r, m := splitReason(in); r != want[0] || m != want[1] {
			t.Errorf("splitReason(%q) = %q, %q; want %q", in, r, m, want)
		}
	}
	for _, s := range []ecommerce.ListStatus{ecommerce.ListReleasing, ecommerce.ListReleased, ecommerce.ListReturnRequested, "RETURN_RECEIVING", ecommerce.ListReturned, ecommerce.ListRefused, ecommerce.ListPartlyReturned, ecommerce.ListReturnLapsed} {
		if inventoryListOut(ecommerce.InventoryList{Status: s}).GetStatus() == customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_UNSPECIFIED {
			t.Errorf("list status %s has no wire value", s)
		}
	}
	for _, s := range []string{ecommerce.OrderPending, ecommerce.OrderReleasing, ecommerce.OrderReleased, ecommerce.OrderRejected, ecommerce.OrderCancelled} {
		if orderOut(ecommerce.Order{OrderNo: "x", Status: s}).GetStatus() == customsv1.OrderStatus_ORDER_STATUS_UNSPECIFIED {
			t.Errorf("order status %s has no wire value", s)
		}
	}
	st := ecommerce.Settlement{Guarantor: "TM/ALL 1", From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	if got := settlementFileName(st, "csv"); got != "settlement-TM_ALL_1-2026-11-01-2026-11-30.csv" {
		t.Errorf("file name %q", got)
	}
}

func TestEcommerceBatchRefusedAsAWhole(t *testing.T) {
	srv := NewEcommerceServer(nil)
	docs := func() []*customsv1.EcommerceDocument {
		return []*customsv1.EcommerceDocument{
			{Document: &customsv1.EcommerceDocument_Order{Order: orderRequest()}},
			{Document: &customsv1.EcommerceDocument_Payment{Payment: paymentRequest()}},
			{Document: &customsv1.EcommerceDocument_Waybill{Waybill: waybillRequest()}},
		}
	}
	d := docs()
	d[0].GetOrder().Lines[1].Quantity = "1e2"
	_, err := srv.SubmitDocuments(platformCtx(), &customsv1.SubmitDocumentsRequest{Documents: d})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "documents[0].order.lines[1].quantity")

	d = docs()
	d[1].GetPayment().Amount = "1,0"
	_, err = srv.SubmitDocuments(platformCtx(), &customsv1.SubmitDocumentsRequest{Documents: d})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "documents[1].payment.amount")

	d = append(docs(), &customsv1.EcommerceDocument{})
	_, err = srv.SubmitDocuments(platformCtx(), &customsv1.SubmitDocumentsRequest{Documents: d})
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "documents[3]")

	// One document for an enterprise the platform is not linked to: nothing is submitted.
	d = docs()
	d[2].GetWaybill().Enterprise = "91120000MA05E00029"
	_, err = srv.SubmitDocuments(platformCtx(), &customsv1.SubmitDocumentsRequest{Documents: d})
	if status.Code(err) != codes.PermissionDenied || errorsv1.ReasonOf(err) != ledger.ReasonPermissionDenied || errorsv1.FieldOf(err) != "documents[2].waybill.enterprise" {
		t.Errorf("unlinked enterprise in a batch: %v (field %q)", err, errorsv1.FieldOf(err))
	}
	// Customs files no documents.
	customs := access.WithPrincipal(context.Background(), access.Principal{ID: "c", Role: access.RoleCustoms})
	_, err = srv.SubmitDocuments(customs, &customsv1.SubmitDocumentsRequest{Documents: docs()})
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("customs submitting a batch: %v", err)
	}
	_, err = srv.SubmitDocuments(context.Background(), &customsv1.SubmitDocumentsRequest{Documents: docs()})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("no principal: %v", err)
	}
}

func TestEcommerceDocumentError(t *testing.T) {
	e := documentError(ledger.Precondition(ecommerce.ReasonTaxMismatch, "tax_total", "order O-1 withheld 1.00 tax"))
	if e.GetCode() != "FAILED_PRECONDITION" || e.GetReason() != "TAX_MISMATCH" || e.GetField() != "tax_total" || e.GetMessage() != "order O-1 withheld 1.00 tax" {
		t.Errorf("domain refusal: %v", e)
	}
	e = documentError(ledger.Conflict(ecommerce.ReasonDuplicateDocument, "order_no", "x"))
	if e.GetCode() != "ALREADY_EXISTS" || e.GetReason() != "DUPLICATE_DOCUMENT_NUMBER" {
		t.Errorf("duplicate: %v", e)
	}
	e = documentError(errors.New("pq: secret table details"))
	if e.GetCode() != "INTERNAL" || e.GetReason() != ledger.ReasonInternal ||
		!strings.HasPrefix(e.GetMessage(), "internal error ") || strings.Contains(e.GetMessage(), "secret") {
		t.Errorf("internal error leaks or misnames: %v", e)
	}
	e = documentError(context.DeadlineExceeded)
	if e.GetCode() != "DEADLINE_EXCEEDED" {
		t.Errorf("deadline: %v", e)
	}
	// A cancelled call is named as google.rpc.Code and every other batch
	// (PostJournals, zonectl) names it: CANCELLED, not Go's "Canceled".
	if e = documentError(context.Canceled); e.GetCode() != "CANCELLED" {
		t.Errorf("cancelled: %v", e)
	}
}

func TestEcommerceSettlementRequest(t *testing.T) {
	srv := NewEcommerceServer(nil)
	ctx := access.WithPrincipal(context.Background(), access.Principal{ID: "c", Role: access.RoleCustoms})
	for _, c := range []struct {
		r     *customsv1.GetSettlementRequest
		field string
	}{
		{&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-02-30", ToDate: "2026-03-31"}, "from_date"},
		{&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-03-01", ToDate: "2026/03/31"}, "to_date"},
		{&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-03-01", ToDate: ""}, "to_date"},
		{&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-03-01", ToDate: "2026-03-31", Export: 7}, "export"},
	} {
		_, err := srv.GetSettlement(ctx, c.r)
		wantInvalid(t, err, ledger.ReasonInvalidArgument, c.field)
	}
}

// TestEcommerceValidation runs the server's validation interceptor on the
// e-commerce requests.
func TestEcommerceValidation(t *testing.T) {
	unary, _ := grpcedge.ValidationInterceptors()
	call := func(req proto.Message) error {
		_, err := unary(platformCtx(), req, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) { return "ok", nil })
		return err
	}
	for _, ok := range []proto.Message{orderRequest(), paymentRequest(), waybillRequest(),
		&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-03-01", ToDate: "2026-03-01", Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_XLSX}} {
		if err := call(ok); err != nil {
			t.Fatalf("a valid %T was refused: %v", ok, err)
		}
	}
	r := orderRequest()
	r.Lines[0].Total = "1e3"
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines[0].total")
	r = orderRequest()
	r.Buyer = nil
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "buyer")
	r = orderRequest()
	r.Lines = nil
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines")

	w := waybillRequest()
	w.LogisticsNo = ""
	wantInvalid(t, call(w), ledger.ReasonInvalidArgument, "logistics_no")

	bad := orderRequest()
	bad.GoodsValue = "-300"
	many := make([]*customsv1.EcommerceDocument, 101)
	for i := range many {
		many[i] = &customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Waybill{Waybill: waybillRequest()}}
	}
	wantInvalid(t, call(&customsv1.SubmitDocumentsRequest{Documents: many}), ledger.ReasonInvalidArgument, "documents")
	wantInvalid(t, call(&customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
		{Document: &customsv1.EcommerceDocument_Waybill{Waybill: waybillRequest()}},
		{Document: &customsv1.EcommerceDocument_Order{Order: bad}},
	}}), ledger.ReasonInvalidArgument, "documents[1].order.goods_value")
	if err := call(&customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{{}}}); status.Code(err) != codes.InvalidArgument {
		t.Errorf("an empty document was accepted: %v", err)
	}

	wantInvalid(t, call(&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-04-01", ToDate: "2026-03-01"}), ledger.ReasonInvalidArgument, "to_date")
	wantInvalid(t, call(&customsv1.GetSettlementRequest{Guarantor: "TMALL", FromDate: "2026-03-01", ToDate: "2026-03-31", Export: 5}), ledger.ReasonInvalidArgument, "export")
}

func TestReturnLinesOnTheWire(t *testing.T) {
	lines, err := returnLinesIn([]*customsv1.ReturnLine{{Seq: 2, Quantity: "1.5"}, {Seq: 1, Quantity: "3"}})
	if err != nil || len(lines) != 2 || lines[0].Seq != 2 || !lines[0].Quantity.Equal(decimal.RequireFromString("1.5")) || lines[1].Seq != 1 {
		t.Fatalf("returnLinesIn: %v, %v", lines, err)
	}
	_, err = returnLinesIn([]*customsv1.ReturnLine{{Seq: 1, Quantity: "1"}, {Seq: 2, Quantity: "1e3"}})
	var le *ledger.Error
	if !errors.As(err, &le) || le.Field != "lines[1].quantity" {
		t.Fatalf("a bad quantity gave %v; want an error on lines[1].quantity", err)
	}
	l := inventoryListOut(ecommerce.InventoryList{Status: ecommerce.ListPartlyReturned, Tax: decimal.RequireFromString("100.5"), ReleasedTax: decimal.RequireFromString("201"),
		ReturnLines: []ecommerce.ReturnLine{{Seq: 2, Quantity: decimal.RequireFromString("1")}}})
	if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_PARTLY_RETURNED || l.GetTax() != "100.50" || l.GetReleasedTax() != "201.00" ||
		len(l.GetReturnLines()) != 1 || l.GetReturnLines()[0].GetSeq() != 2 || l.GetReturnLines()[0].GetQuantity() != "1" {
		t.Fatalf("inventoryListOut: %v", l)
	}
	if l := inventoryListOut(ecommerce.InventoryList{Status: ecommerce.ListReleased, Tax: decimal.RequireFromString("7")}); l.GetReleasedTax() != "7.00" {
		t.Fatalf("a list stored before released_tax: %v", l)
	}
}
