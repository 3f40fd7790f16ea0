package tests

import (
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestEcommerceCEB621OutAndCustomsReturnIn: over gRPC, a released list is
// exported as its CEB621, customs' 退单 receipt for it is imported by
// customs and gives the stock back and the tax up (the settlement no longer
// counts it), the same receipt again changes nothing, and a receipt with a
// status code not in the table is refused naming the element.
func TestEcommerceCEB621OutAndCustomsReturnIn(t *testing.T) {
	e := newEcomEnv(t)
	d := e.order(t, "CEB-1", "0101", "2", "1500")
	var o *customsv1.Order
	for _, doc := range []any{d.order, d.payment, d.waybill} {
		var err error
		if o, err = e.submit(t, e.platform, doc); err != nil {
			t.Fatalf("%T: %v", doc, err)
		}
	}
	l := e.wantReleased(t, o, d)
	e.wantStock(t, e.book, lineNotebook, st{bonded: "98"})

	msg, err := e.ecom.GetInventoryMessage(ctxAs(t, e.platform), &customsv1.GetInventoryMessageRequest{ListNo: l.GetListNo()})
	if err != nil {
		t.Fatalf("GetInventoryMessage: %v", err)
	}
	x := string(msg.GetMessage())
	for _, want := range []string{`<ceb:CEB621Message `, `xmlns:ceb="http://www.chinaport.gov.cn/ceb"`, "<ceb:copNo>" + l.GetListNo() + "</ceb:copNo>",
		"<ceb:emsNo>" + e.book + "</ceb:emsNo>", "<ceb:itemRecordNo>" + skuNotebook + "</ceb:itemRecordNo>", "<ceb:tradeMode>1210</ceb:tradeMode>",
		"<ceb:qty>2</ceb:qty>", "<ceb:price>1500</ceb:price>", "<ceb:totalPrice>3000.00</ceb:totalPrice>"} {
		if !strings.Contains(x, want) {
			t.Errorf("the CEB621 lacks %s:\n%s", want, x)
		}
	}
	if msg.GetFileName() != "CEB621_"+l.GetListNo()+".xml" {
		t.Errorf("file name %q", msg.GetFileName())
	}

	receipt := customsReturnReceipt(l.GetListNo(), "TMALL", e.ebc.uscc)
	for round := range 2 {
		r, err := e.ecom.ImportReceipts(ctxAs(t, e.customs), &customsv1.ImportReceiptsRequest{Messages: [][]byte{receipt}})
		if err != nil {
			t.Fatalf("ImportReceipts: %v", err)
		}
		res := r.GetResults()
		if len(res) != 1 || res[0].GetError() != nil || res[0].GetApplied() != (round == 0) || res[0].GetDuplicate() != (round == 1) {
			t.Fatalf("round %d: %v", round, res)
		}
		got := e.inventoryList(t, e.customs, l.GetListNo())
		if got.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED ||
			got.GetCustomsStatus() != customsv1.InventoryListCustomsStatus_INVENTORY_LIST_CUSTOMS_STATUS_RETURNED ||
			got.GetCustomsStatusCode() != "100" || got.GetCustomsNote() != "退单: 订购人身份信息不符" || got.GetCustomsStatusTime() == nil {
			t.Fatalf("round %d: list %v", round, got)
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: "100"})
		s, err := e.ecom.GetSettlement(ctxAs(t, e.customs), &customsv1.GetSettlementRequest{Guarantor: e.ebc.uscc, FromDate: e.date, ToDate: e.date})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.GetSettlement().GetLines()) != 0 || s.GetSettlement().GetTax() != "0.00" {
			t.Fatalf("round %d: the settlement still counts %v", round, s.GetSettlement())
		}
	}

	bad := strings.Replace(string(receipt), "<ceb:returnStatus>100<", "<ceb:returnStatus>700<", 1)
	r, err := e.ecom.ImportReceipts(ctxAs(t, e.customs), &customsv1.ImportReceiptsRequest{Messages: [][]byte{[]byte(bad)}})
	if err != nil {
		t.Fatal(err)
	}
	if er := r.GetResults()[0].GetError(); er.GetCode() != "INVALID_ARGUMENT" || er.GetReason() != "ECOMMERCE_RECEIPT_UNKNOWN_STATUS" ||
		er.GetField() != "CEB622Message/InventoryReturn[0]/returnStatus" {
		t.Fatalf("a 700 receipt: %v", r.GetResults())
	}
}
