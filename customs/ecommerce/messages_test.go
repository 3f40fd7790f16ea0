package ecommerce_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/ledger"
)

var transfer = ceb.BaseTransfer{CopCode: "TMALL", CopName: "Tmall", DxpMode: "DXP", DxpID: "DXPENT0000000001"}

// orderXML is a CEB311 message carrying the orders.
func orderXML(t *testing.T, orders ...ecommerce.Order) []byte {
	t.Helper()
	m := ceb.OrderMessage{GUID: "G-311", Version: "1.0", BaseTransfer: transfer}
	for _, o := range orders {
		h := ceb.OrderHead{GUID: "G-" + o.OrderNo, AppType: "1", AppTime: "20261111003000", AppStatus: "2", OrderType: "I", OrderNo: o.OrderNo,
			EbpCode: "TMALL", EbpName: "Tmall", EbcCode: o.Enterprise, EbcName: "Shop",
			GoodsValue: o.GoodsValue.StringFixed(2), Freight: o.Freight.StringFixed(2), Discount: o.Discount.StringFixed(2), TaxTotal: o.TaxTotal.StringFixed(2),
			ActuralPaid: o.ActualPaid.StringFixed(2), Currency: "142", BuyerRegNo: "b1", BuyerName: o.Buyer.Name, BuyerTelephone: o.Buyer.Phone,
			BuyerIDType: "1", BuyerIDNumber: o.Buyer.IDNumber, Consignee: o.Consignee.Name, ConsigneeTelephone: o.Consignee.Phone, ConsigneeAddress: o.Consignee.Address}
		co := ceb.Order{Head: h}
		for i, l := range o.Lines {
			co.Lines = append(co.Lines, ceb.OrderLine{Gnum: fmt.Sprint(i + 1), ItemNo: l.ItemNo, ItemName: "goods", Gmodel: "1", Unit: "011",
				Qty: l.Quantity.String(), Price: l.Price.String(), TotalPrice: l.Total.StringFixed(2), Currency: "142", Country: "116"})
		}
		m.Orders = append(m.Orders, co)
	}
	return encode(t, &m)
}

func paymentXML(t *testing.T, ps ...ecommerce.Payment) []byte {
	t.Helper()
	m := ceb.PaymentMessage{GUID: "G-411", Version: "1.0", BaseTransfer: transfer}
	for _, p := range ps {
		m.Payments = append(m.Payments, ceb.Payment{Head: ceb.PaymentHead{GUID: "GP-" + p.OrderNo, AppType: "1", AppTime: "20261111003100", AppStatus: "2",
			PayCode: p.PayCode, PayName: "Pay", PayTransactionID: p.TransactionID, OrderNo: p.OrderNo, EbpCode: "TMALL", EbpName: "Tmall",
			PayerIDType: "1", PayerIDNumber: p.Payer.IDNumber, PayerName: p.Payer.Name, Telephone: p.Payer.Phone, AmountPaid: p.Amount.StringFixed(2),
			Currency: "142", PayTime: "20261111002900"}})
	}
	return encode(t, &m)
}

func waybillXML(t *testing.T, ws ...ecommerce.Waybill) []byte {
	t.Helper()
	m := ceb.WaybillMessage{GUID: "G-511", Version: "1.0", BaseTransfer: transfer}
	for _, w := range ws {
		m.Waybills = append(m.Waybills, ceb.Waybill{Head: ceb.WaybillHead{GUID: "GW-" + w.OrderNo, AppType: "1", AppTime: "20261111003200", AppStatus: "2",
			LogisticsCode: w.LogisticsCode, LogisticsName: "SF", LogisticsNo: w.LogisticsNo, OrderNo: w.OrderNo, Freight: "10.00", InsuredFee: "0",
			Currency: "142", Weight: "1", PackNo: "1", Consignee: w.Consignee.Name, ConsigneeAddress: w.Consignee.Address, ConsigneeTelephone: w.Consignee.Phone}})
	}
	return encode(t, &m)
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := ceb.Encode(v)
	must(t, err)
	return b
}

func wantElement(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v (field %q), want %s on %s", err, fieldOf(err), reason, field)
	}
}

func fieldOf(err error) string {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le.Field
	}
	return ""
}

// TestMessagesEnterTheMatchLikeDocuments: the three messages of two orders
// in one call release both lists; the same call again changes nothing
// (the documents are their own idempotency keys).
func TestMessagesEnterTheMatchLikeDocuments(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o1, p1, wb1 := w.order("X1", "0011", "SKU-CREAM", "2", "150", "3304990099")
	o2, p2, wb2 := w.order("X2", "0012", "SKU-CREAM", "1", "150", "3304990099")
	msgs := [][]byte{orderXML(t, o1, o2), paymentXML(t, p2, p1), waybillXML(t, wb1, wb2)}
	for round := range 2 {
		res, err := w.svc.SubmitMessages(w.ctx, w.platform, "", msgs)
		must(t, err)
		if len(res) != 6 {
			t.Fatalf("%d results, want 6", len(res))
		}
		want := []struct {
			msg, doc int
			kind, no string
		}{{0, 0, "order", "X1"}, {0, 1, "order", "X2"}, {1, 0, "payment", "X2"}, {1, 1, "payment", "X1"}, {2, 0, "waybill", "X1"}, {2, 1, "waybill", "X2"}}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("round %d result %d: %v", round, i, r.Err)
			}
			if r.Message != want[i].msg || r.Document != want[i].doc || r.Kind != want[i].kind || r.OrderNo != want[i].no {
				t.Fatalf("round %d result %d is %+v, want %+v", round, i, r, want[i])
			}
		}
		for _, i := range []int{4, 5} {
			if res[i].Order.Status != ecommerce.OrderReleased || res[i].Order.ListNo == "" {
				t.Fatalf("round %d: waybill %d answers %s %q, want RELEASED with a list", round, i, res[i].Order.Status, res[i].Order.ListNo)
			}
		}
		if round == 0 && (res[0].Order.Status != ecommerce.OrderPending || res[2].Order.OrderNo != "X2") {
			t.Fatalf("first round: order answers %+v, payment %+v", res[0].Order, res[2].Order)
		}
		if got := w.stock(1); !got.Equal(d("97")) {
			t.Fatalf("round %d: stock %s, want 97", round, got)
		}
	}
	// The same order sent as JSON afterwards is the same document.
	o1.Lines[0].Name = "goods"
	if o, err := w.svc.SubmitOrder(w.ctx, w.platform, o1); err != nil || o.Status != ecommerce.OrderReleased {
		t.Fatalf("the order again as JSON: %v %v", o.Status, err)
	}
}

// TestARefusedMessageChangesNothing: a message that does not parse, or
// breaks a field rule, is answered as a whole with the element path and
// none of its documents is taken; the other messages of the call are.
func TestARefusedMessageChangesNothing(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o1, _, _ := w.order("Y1", "0011", "SKU-CREAM", "1", "150", "3304990099")
	o2, _, _ := w.order("Y2", "0012", "SKU-CREAM", "1", "150", "3304990099")
	o3, _, _ := w.order("Y3", "0013", "SKU-CREAM", "1", "150", "3304990099")
	bad := orderXML(t, o2, o3)
	bad = []byte(replaceNth(string(bad), "<ceb:appType>1</ceb:appType>", "<ceb:appType>7</ceb:appType>", 2))
	res, err := w.svc.SubmitMessages(w.ctx, w.platform, "", [][]byte{orderXML(t, o1), []byte("<ceb:CEB311Message"), bad})
	must(t, err)
	if len(res) != 3 || res[0].Err != nil || res[0].Order.Status != ecommerce.OrderPending {
		t.Fatalf("results %+v", res)
	}
	if res[1].Message != 1 || res[1].Document != -1 {
		t.Fatalf("malformed message answered %+v", res[1])
	}
	wantElement(t, res[1].Err, ecommerce.ReasonMessageMalformed, "messages[1]")
	wantElement(t, res[2].Err, ecommerce.ReasonMessageField, "messages[2]/CEB311Message/Order[1]/OrderHead/appType")
	for _, no := range []string{"Y2", "Y3"} {
		_, err := w.svc.GetOrder(w.ctx, w.customs, no)
		wantReason(t, err, ecommerce.ReasonUnknownOrder)
	}
}

func replaceNth(s, old, new string, n int) string {
	i := 0
	for k := 1; ; k++ {
		j := indexFrom(s, old, i)
		if j < 0 {
			return s
		}
		if k == n {
			return s[:j] + new + s[j+len(old):]
		}
		i = j + len(old)
	}
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestDocumentRefusalsNameTheElement: SubmitDocuments' refusals of a
// document from a message name the element it came from; a draft and a
// delete are refused with their own reasons.
func TestDocumentRefusalsNameTheElement(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o1, p1, _ := w.order("Z1", "0011", "SKU-CREAM", "2", "150", "3304990099")
	o1.Lines[0].Total = d("299")
	o2, _, _ := w.order("Z2", "0012", "SKU-CREAM", "1", "150", "3304990099")
	o3, _, _ := w.order("Z3", "0013", "SKU-CREAM", "1", "150", "3304990099")
	orders := string(orderXML(t, o1, o2, o3))
	orders = replaceNth(orders, "<ceb:appStatus>2</ceb:appStatus>", "<ceb:appStatus>1</ceb:appStatus>", 2)
	orders = replaceNth(orders, "<ceb:appType>1</ceb:appType>", "<ceb:appType>3</ceb:appType>", 3)
	p1.Payer.IDNumber = "110101199001001234"
	res, err := w.svc.SubmitMessages(w.ctx, w.platform, "", [][]byte{[]byte(orders), paymentXML(t, p1)})
	must(t, err)
	if len(res) != 4 {
		t.Fatalf("results %+v", res)
	}
	wantElement(t, res[0].Err, ledger.ReasonInvalidArgument, "messages[0]/CEB311Message/Order[0]/OrderList[0]/totalPrice")
	wantElement(t, res[1].Err, ecommerce.ReasonMessageNotDeclared, "messages[0]/CEB311Message/Order[1]/OrderHead/appStatus")
	wantElement(t, res[2].Err, ecommerce.ReasonMessageDelete, "messages[0]/CEB311Message/Order[2]/OrderHead/appType")
	wantElement(t, res[3].Err, ledger.ReasonInvalidArgument, "messages[1]/CEB411Message/Payment[0]/PaymentHead/payerIdNumber")
}

// TestPaymentsAndWaybillsFindTheirEnterprise: a payment or waybill carries
// no ebcCode; it takes its order's (same call), the call's, or the
// caller's only enterprise, else it is refused.
func TestPaymentsAndWaybillsFindTheirEnterprise(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	_, p1, wb1 := w.order("E1", "0011", "SKU-CREAM", "1", "150", "3304990099")
	two := access.Principal{ID: "two", Role: access.RolePlatform, LinkedEnterprises: []string{w.ebc, "ZZZ"}}
	res, err := w.svc.SubmitMessages(w.ctx, two, "", [][]byte{paymentXML(t, p1)})
	must(t, err)
	wantElement(t, res[0].Err, ecommerce.ReasonMessageEnterprise, "enterprise")
	res, err = w.svc.SubmitMessages(w.ctx, two, w.ebc, [][]byte{paymentXML(t, p1)})
	must(t, err)
	if res[0].Err != nil || res[0].Order.OrderNo != "" {
		t.Fatalf("payment with the call's enterprise: %+v", res[0])
	}
	// The platform linked to one enterprise needs to name none.
	res, err = w.svc.SubmitMessages(w.ctx, w.platform, "", [][]byte{waybillXML(t, wb1)})
	must(t, err)
	if res[0].Err != nil {
		t.Fatalf("waybill of the only enterprise: %v", res[0].Err)
	}
	// A caller not linked to the enterprise is refused as a whole.
	o2, _, _ := w.order("E2", "0012", "SKU-CREAM", "1", "150", "3304990099")
	_, err = w.svc.SubmitMessages(w.ctx, w.other, "", [][]byte{orderXML(t, o2)})
	wantElement(t, err, ledger.ReasonPermissionDenied, "messages[0]/CEB311Message/Order[0]/OrderHead/ebcCode")
	_, err = w.svc.SubmitMessages(w.ctx, w.platform, "", nil)
	wantElement(t, err, ledger.ReasonInvalidArgument, "messages")
	// At most 1,000 documents a call: 1,000 orders and a payment are
	// refused as a whole, and none of the orders is taken.
	many := make([]ecommerce.Order, 1000)
	for i := range many {
		many[i] = o2
		many[i].OrderNo = fmt.Sprintf("M%04d", i)
	}
	_, err = w.svc.SubmitMessages(w.ctx, w.platform, "", [][]byte{orderXML(t, many...), paymentXML(t, p1)})
	wantElement(t, err, ledger.ReasonInvalidArgument, "messages")
	_, err = w.svc.GetOrder(w.ctx, w.customs, "M0000")
	wantReason(t, err, ecommerce.ReasonUnknownOrder)
	_, err = w.svc.SubmitMessages(w.ctx, w.platform, "", make([][]byte, ecommerce.MaxMessages+1))
	wantElement(t, err, ledger.ReasonInvalidArgument, "messages")
}
