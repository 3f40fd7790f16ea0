package bench

// The ecommerce-xml workload: the ecommerce workload's orders, payments
// and waybills sent as the single window's messages, as senders send them
// — each order its own CEB311 message, each payment its CEB411 and each
// waybill its CEB511 — the messages of --batch/3 orders shuffled together
// in one SubmitMessages call. The messages are encoded before the call's
// clock starts: the figure is the server's (decoding, field rules, the
// match and the release).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// ecomMessages encodes each order's documents as a CEB311, a CEB411 and a
// CEB511 message.
func ecomMessages(orders []*ecomOrder) ([][]byte, error) {
	var out [][]byte
	for i := range orders {
		ms, err := ecomOrderMessages(orders[i : i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// ecomOrderMessages encodes the orders' documents as one CEB311, one
// CEB411 and one CEB511 message.
func ecomOrderMessages(orders []*ecomOrder) ([][]byte, error) {
	app := func(kind string, no string) (string, string, string, string) {
		return kind + "-" + no, "1", time.Now().Format("20060102150405"), "2"
	}
	transfer := func(code string) ceb.BaseTransfer {
		return ceb.BaseTransfer{CopCode: code, CopName: code, DxpMode: "DXP", DxpID: "DXPENT0000000001"}
	}
	om := ceb.OrderMessage{GUID: "B311-" + orders[0].no, Version: "1.0", BaseTransfer: transfer("BENCHEBP")}
	pm := ceb.PaymentMessage{GUID: "B411-" + orders[0].no, Version: "1.0", BaseTransfer: transfer("BENCHPAY")}
	wm := ceb.WaybillMessage{GUID: "B511-" + orders[0].no, Version: "1.0", BaseTransfer: transfer("BENCHEXP")}
	for _, o := range orders {
		r, p, w := o.order, o.payment, o.waybill
		h := ceb.OrderHead{OrderType: "I", OrderNo: r.GetOrderNo(), EbpCode: "BENCHEBP", EbpName: "bench platform", EbcCode: r.GetEnterprise(), EbcName: "bench shop",
			GoodsValue: r.GetGoodsValue(), Freight: r.GetFreight(), Discount: r.GetDiscount(), TaxTotal: r.GetTaxTotal(), ActuralPaid: r.GetActualPaid(), Currency: "142",
			BuyerRegNo: r.GetBuyer().GetPhone(), BuyerName: r.GetBuyer().GetName(), BuyerTelephone: r.GetBuyer().GetPhone(), BuyerIDType: "1", BuyerIDNumber: r.GetBuyer().GetIdNumber(),
			Consignee: r.GetConsignee().GetName(), ConsigneeTelephone: r.GetConsignee().GetPhone(), ConsigneeAddress: r.GetConsignee().GetAddress()}
		if h.Discount == "" {
			h.Discount = "0"
		}
		h.GUID, h.AppType, h.AppTime, h.AppStatus = app("O", o.no)
		co := ceb.Order{Head: h}
		for i, l := range r.GetLines() {
			co.Lines = append(co.Lines, ceb.OrderLine{Gnum: fmt.Sprint(i + 1), ItemNo: l.GetItemNo(), ItemName: l.GetName(), Gmodel: "-", Unit: "011",
				Qty: l.GetQuantity(), Price: l.GetPrice(), TotalPrice: l.GetTotal(), Currency: "142", Country: "116"})
		}
		om.Orders = append(om.Orders, co)
		ph := ceb.PaymentHead{PayCode: p.GetPayCode(), PayName: "bench pay", PayTransactionID: p.GetTransactionId(), OrderNo: p.GetOrderNo(),
			EbpCode: "BENCHEBP", EbpName: "bench platform", PayerIDType: "1", PayerIDNumber: p.GetPayer().GetIdNumber(), PayerName: p.GetPayer().GetName(),
			Telephone: p.GetPayer().GetPhone(), AmountPaid: p.GetAmount(), Currency: "142", PayTime: time.Now().Format("20060102150405")}
		ph.GUID, ph.AppType, ph.AppTime, ph.AppStatus = app("P", o.no)
		pm.Payments = append(pm.Payments, ceb.Payment{Head: ph})
		c := w.GetConsignee()
		wh := ceb.WaybillHead{LogisticsCode: w.GetLogisticsCode(), LogisticsName: "bench express", LogisticsNo: w.GetLogisticsNo(), OrderNo: w.GetOrderNo(),
			Freight: r.GetFreight(), InsuredFee: "0", Currency: "142", Weight: "1", PackNo: "1", Consignee: c.GetName(), ConsigneeAddress: c.GetAddress(), ConsigneeTelephone: c.GetPhone()}
		wh.GUID, wh.AppType, wh.AppTime, wh.AppStatus = app("W", o.no)
		wm.Waybills = append(wm.Waybills, ceb.Waybill{Head: wh})
	}
	var out [][]byte
	for _, m := range []any{&om, &pm, &wm} {
		b, err := ceb.Encode(m)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// sendMessages sends the orders' messages in one SubmitMessages call
// and marks the orders answered RELEASED (and refused by none of their
// documents) in ok; t0 is reset once the messages are encoded.
func (w *ecomWorker) sendMessages(c context.Context, ec customsv1.EcommerceServiceClient, rng *rand.Rand, orders []*ecomOrder, ok []bool, t0 *time.Time) {
	msgs, err := ecomMessages(orders)
	if err != nil {
		w.fail("encoding the messages: %v", err)
		return
	}
	rng.Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
	*t0 = time.Now()
	r, err := ec.SubmitMessages(c, &customsv1.SubmitMessagesRequest{Messages: msgs})
	if err != nil {
		w.fail("SubmitMessages: %v", err)
		return
	}
	if len(r.GetResults()) != 3*len(orders) {
		w.fail("SubmitMessages answered %d results for %d documents", len(r.GetResults()), 3*len(orders))
		return
	}
	at := make(map[string]int, len(orders))
	for i, o := range orders {
		at[o.no] = i
	}
	bad := make([]bool, len(orders))
	for _, x := range r.GetResults() {
		i, known := at[x.GetOrderNo()]
		switch {
		case !known:
			w.fail("SubmitMessages answered message %d document %d (%s): %v", x.GetMessage(), x.GetDocument(), x.GetOrderNo(), x.GetError())
		case x.GetError() != nil:
			bad[i] = true
			e := x.GetError()
			w.fail("order %s: %s %s %s: %s", orders[i].no, e.GetCode(), e.GetReason(), e.GetField(), e.GetMessage())
		case released(x.GetOrder()):
			ok[i] = true
		}
	}
	for i := range ok {
		if ok[i] && bad[i] {
			ok[i] = false
		} else if !ok[i] && !bad[i] {
			w.fail("order %s: none of its documents answered RELEASED", orders[i].no)
		}
	}
}
