package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// orderDoc is an order's order document, withholding the tax quoted. The
// day's documents come from the outbox's XML messages (ecommerce_day.go);
// only the order document of the order with an identity proof, which
// CEB311 cannot carry, is sent from here.
func (r *salesRun) orderDoc(o *shopOrder, q *customsv1.QuoteResponse) *customsv1.SubmitOrderRequest {
	tax := d(q.GetTotal())
	paid := o.goods().Add(o.Freight).Add(tax).Sub(o.Discount)
	req := &customsv1.SubmitOrderRequest{OrderNo: o.No, Enterprise: r.cast.Yefeng.USCC, Buyer: o.Buyer.person(), Consignee: o.Buyer.consignee(),
		GoodsValue: o.goods().StringFixed(2), TaxTotal: tax.StringFixed(2), ActualPaid: paid.StringFixed(2), IdentityProof: o.Proof}
	if o.Freight.IsPositive() {
		req.Freight = o.Freight.StringFixed(2)
	}
	if o.Discount.IsPositive() {
		req.Discount = o.Discount.StringFixed(2)
	}
	for _, it := range o.Items {
		req.Lines = append(req.Lines, &customsv1.OrderLine{ItemNo: it.SKU.Part, Name: it.SKU.Name, Quantity: it.Qty.String(), Price: it.SKU.Price.StringFixed(2),
			Total: it.total().StringFixed(2)})
	}
	return req
}

// quoteOrder is TaxService/Quote of an order as the platform computes the
// tax it withholds: CROSS_BORDER_RETAIL on today, each line at its total,
// and the order's freight, which the server shares over the lines as
// customs shares it on the inventory list. The platform does not know what
// the buyer bought elsewhere this year, so it states no annual_used.
func (r *salesRun) quoteOrder(o *shopOrder, date string) *customsv1.QuoteResponse {
	return do(r.p, r.cast.Platform.Principal, r.c.tax.Quote, quoteRequest(o, date))
}

// quoteRequest is the TaxService/Quote request of an order on date.
func quoteRequest(o *shopOrder, date string) *customsv1.QuoteRequest {
	req := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: date, Freight: o.Freight.StringFixed(2)}
	for _, it := range o.Items {
		l := it.SKU.Line
		req.Lines = append(req.Lines, &customsv1.QuoteLine{HsCode: l.HS, DutiableValue: it.total().StringFixed(2),
			Quantity: it.Qty.Mul(l.Factor).String(), Unit: l.Legal, Pieces: pieces(it.Qty)})
	}
	return req
}

// ecommerce runs today's orders: quotes, the outbox's messages one per
// call and in batches (SubmitMessages), a return, the orders and lists
// read back, the settlement.
func (r *salesRun) ecommerce() {
	pf := r.cast.Platform.Principal
	today := r.res.Today
	singleFiles, batchFiles, err := dayFiles(r.script)
	if err != nil {
		r.p.fail("%w", err)
		return
	}
	for _, o := range r.script.Orders {
		q := r.quoteOrder(o, today)
		r.res.Orders = append(r.res.Orders, &EcommerceOrder{No: o.No, Buyer: o.Buyer.Name, BuyerID: o.Buyer.ID, Goods: o.describe(), Dutiable: o.dutiable(),
			Quote: q, Expect: o.Expect, Note: o.Note, plan: o, Returned: o.Return})
	}
	if r.p.err != nil {
		return
	}
	check := func(where string, dc shopDoc, want docAnswer, o *customsv1.Order, reason, msg string) {
		so := r.res.Orders[dc.Order]
		gotOrder := o != nil
		if gotOrder != want.Order || reason != want.Reason || (want.Order && o.GetStatus() != want.Status) {
			wantS := "no order yet"
			if want.Order {
				wantS = want.Status.String()
			}
			if want.Reason != "" {
				wantS = "refused " + want.Reason
			}
			r.miss("%s: %c of order %s answered order %t %s, refused %q (%s); the demo expects %s", where, dc.Kind, so.No, gotOrder, o.GetStatus(), reason, msg, wantS)
		}
	}

	// One message per call, in each order's arrival order; the order with
	// an identity proof by SubmitOrder.
	for i, dc := range r.script.Singles {
		so := r.res.Orders[dc.Order]
		var o *customsv1.Order
		reason, msg := "", ""
		if f := singleFiles[i]; f == nil {
			if want := r.script.SingleAnswers[i].Reason; want != "" {
				f := refuse(r.p, fmt.Sprintf("the %c of order %s", dc.Kind, so.No), want, pf, r.c.ecom.SubmitOrder, r.orderDoc(so.plan, so.Quote))
				if reason, msg = f.Reason, f.Message; f.Code != codes.FailedPrecondition.String() {
					r.p.fail("the %c of order %s was refused %s, not FAILED_PRECONDITION", dc.Kind, so.No, f.Code)
				}
			} else {
				o = do(r.p, pf, r.c.ecom.SubmitOrder, r.orderDoc(so.plan, so.Quote)).GetOrder()
			}
			so.API = true
		} else {
			results := do(r.p, pf, r.c.ecom.SubmitMessages, &customsv1.SubmitMessagesRequest{Messages: [][]byte{f.data}}).GetResults()
			if r.p.err != nil || len(results) != 1 {
				r.p.fail("SubmitMessages %s answered %d results for 1 document", f.name, len(results))
				return
			}
			res := results[0]
			o, reason, msg = res.GetOrder(), res.GetError().GetReason(), res.GetError().GetMessage()
			if e := res.GetError(); e != nil && (e.GetCode() != "FAILED_PRECONDITION" || r.script.SingleAnswers[i].Reason != reason) {
				r.p.fail("%s (the %c of order %s): refused %s %s %s: %s", f.name, dc.Kind, so.No, e.GetCode(), e.GetReason(), e.GetField(), e.GetMessage())
				return
			}
		}
		check("one per call", dc, r.script.SingleAnswers[i], o, reason, msg)
		so.Sent = "one per call " + arrow(so.plan.Arrival)
	}
	r.res.Singles = len(r.script.Singles)

	// The batches, as the platform sends them: shuffled, each message
	// answered on its own.
	for bi, docs := range r.script.Batches {
		req := &customsv1.SubmitMessagesRequest{}
		for _, f := range batchFiles[bi] {
			req.Messages = append(req.Messages, f.data)
		}
		results := do(r.p, pf, r.c.ecom.SubmitMessages, req).GetResults()
		if r.p.err != nil || len(results) != len(docs) {
			r.p.fail("SubmitMessages (batch %d) answered %d results for %d messages", bi+1, len(results), len(docs))
			return
		}
		for i, res := range results {
			if int(res.GetMessage()) != i {
				r.p.fail("SubmitMessages (batch %d): result %d answers message %d", bi+1, i, res.GetMessage())
				return
			}
			dc := docs[i]
			if e := res.GetError(); e != nil && e.GetCode() != "FAILED_PRECONDITION" {
				r.miss("batch %d, document %d (%c of order %s): refused %s %s: %s", bi+1, i, dc.Kind, r.res.Orders[dc.Order].No, e.GetCode(), e.GetReason(), e.GetMessage())
			}
			check(fmt.Sprintf("batch %d, document %d", bi+1, i), dc, r.script.BatchAnswers[bi][i], res.GetOrder(), res.GetError().GetReason(), res.GetError().GetMessage())
		}
		arrival := map[int]string{}
		for _, dc := range docs {
			arrival[dc.Order] += string(dc.Kind)
		}
		for n, a := range arrival {
			r.res.Orders[n].Sent = fmt.Sprintf("batch %d, %s", bi+1, arrow(a))
		}
		r.res.Batches = append(r.res.Batches, len(docs))
	}

	// The return: applied for and received today, within the windows.
	for _, so := range r.res.Orders {
		if !so.plan.Return {
			continue
		}
		listNo := "QL" + so.No
		l := do(r.p, pf, r.c.ecom.RequestReturn, &customsv1.RequestReturnRequest{ListNo: listNo}).GetList()
		if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURN_REQUESTED || !r.lc.isToday(l.GetReturnAppliedOn()) {
			r.miss("RequestReturn %s: %s applied on %s; the demo expects RETURN_REQUESTED today", listNo, l.GetStatus(), l.GetReturnAppliedOn())
		}
		// The warehouse keeping the book confirms the goods arrived, not the platform.
		l = do(r.p, r.cast.Yuncang.Principal, r.c.ecom.ReceiveReturn, &customsv1.ReceiveReturnRequest{ListNo: listNo}).GetList()
		if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED || !r.lc.isToday(l.GetReturnedOn()) || l.GetReturnJournalId() == 0 {
			r.miss("ReceiveReturn %s: %s on %s, journal %d; the demo expects RETURNED today with a journal", listNo, l.GetStatus(), l.GetReturnedOn(), l.GetReturnJournalId())
		}
		r.res.Returned = l
	}

	// Every order and list, read back as customs.
	settled := map[string]*EcommerceOrder{}
	for _, so := range r.res.Orders {
		o := do(r.p, "customs-4601", r.c.ecom.GetOrder, &customsv1.GetOrderRequest{OrderNo: so.No}).GetOrder()
		if r.p.err != nil {
			return
		}
		so.Status, so.Reason, so.Message = o.GetStatus(), o.GetReason(), o.GetReasonMessage()
		so.Withheld, so.Paid = o.GetTaxTotal(), o.GetActualPaid()
		if so.Withheld != so.Quote.GetTotal() {
			r.miss("order %s: the platform withheld %s; TaxService/Quote gives %s", so.No, so.Withheld, so.Quote.GetTotal())
		}
		if want := so.plan.Expect; want != "" {
			if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.GetReason() != want || o.GetListNo() != "" {
				r.miss("order %s: %s %s %q; the demo expects REJECTED %s", so.No, o.GetStatus(), o.GetReason(), o.GetListNo(), want)
			}
			continue
		}
		if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED || o.GetReason() != "" || o.GetListNo() != "QL"+so.No || o.GetTaxTotal() != so.Withheld {
			r.miss("order %s: %s %s, list %q, tax %s; the demo expects RELEASED, list QL%s, tax %s", so.No, o.GetStatus(), o.GetReason(), o.GetListNo(), o.GetTaxTotal(), so.No, so.Withheld)
			continue
		}
		if so.List = do(r.p, "customs-4601", r.c.ecom.GetInventoryList, &customsv1.GetInventoryListRequest{ListNo: o.GetListNo()}).GetList(); r.p.err != nil {
			return
		}
		r.checkList(so)
		if !so.plan.Return {
			settled[so.List.GetListNo()] = so
		}
	}
	r.settlement(settled)
}

// arrow shows an arrival order "OPW" as "O→P→W".
func arrow(kinds string) string { return strings.Join(strings.Split(kinds, ""), "→") }

// checkList compares a released order's inventory list with the order and
// its quote: the tax customs assessed equals what TaxService/Quote gave the
// platform.
func (r *salesRun) checkList(so *EcommerceOrder) {
	l, o, q := so.List, so.plan, so.Quote
	status := customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RELEASED
	if o.Return {
		status = customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED
	}
	var lines []string
	for _, ln := range l.GetLines() {
		lines = append(lines, fmt.Sprintf("%s:%d:%s", ln.GetItemNo(), ln.GetBookSeq(), d(ln.GetQuantity())))
	}
	var wantLines []string
	for _, it := range o.Items {
		wantLines = append(wantLines, fmt.Sprintf("%s:%d:%s", it.SKU.Part, it.SKU.Line.Seq, it.Qty))
	}
	if l.GetStatus() != status || !r.lc.isToday(l.GetReleasedOn()) || l.GetJournalId() == 0 || l.GetRule() != q.GetRule() ||
		l.GetTax() != q.GetTotal() || l.GetDuty() != q.GetDuty() || l.GetConsumptionTax() != q.GetConsumptionTax() || l.GetVat() != q.GetVat() ||
		!d(l.GetDutiableValue()).Equal(o.dutiable()) || l.GetGuarantor() != r.cast.Yefeng.USCC || l.GetBookNo() != r.cast.W.No ||
		l.GetPlatform() != r.cast.Platform.Code || l.GetBuyerId() != o.Buyer.ID || !slices.Equal(lines, wantLines) {
		r.miss("inventory list %s: %s, released %s, journal %d, rule %s, tax %s (duty %s, CT %s, VAT %s), dutiable %s, guarantor %s, book %s, lines %v; "+
			"the demo expects %s today, rule %s, tax %s (duty %s, CT %s, VAT %s, TaxService/Quote), dutiable %s, guarantor %s, book %s, lines %v",
			l.GetListNo(), l.GetStatus(), l.GetReleasedOn(), l.GetJournalId(), l.GetRule(), l.GetTax(), l.GetDuty(), l.GetConsumptionTax(), l.GetVat(),
			l.GetDutiableValue(), l.GetGuarantor(), l.GetBookNo(), lines,
			status, q.GetRule(), q.GetTotal(), q.GetDuty(), q.GetConsumptionTax(), q.GetVat(), o.dutiable().StringFixed(2), r.cast.Yefeng.USCC, r.cast.W.No, wantLines)
	}
}

// settlement reads the guarantor's settlement for today as the guarantor's
// own enterprise, with its CSV, and checks both against the released
// lists not returned.
func (r *salesRun) settlement(settled map[string]*EcommerceOrder) {
	from, to := r.res.Today, businessDate(time.Now())
	resp := do(r.p, r.cast.Yefeng.Principal, r.c.ecom.GetSettlement, &customsv1.GetSettlementRequest{Guarantor: r.cast.Yefeng.USCC, FromDate: from, ToDate: to,
		Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV})
	if r.p.err != nil {
		return
	}
	st := resp.GetSettlement()
	r.res.Settlement, r.res.SettlementCSV, r.res.SettlementFile = st, resp.GetFile(), resp.GetFileName()
	want := decimal.Zero
	for _, so := range settled {
		want = want.Add(d(so.Quote.GetTotal()))
	}
	if len(st.GetLines()) != len(settled) || st.GetTax() != want.StringFixed(2) || st.GetGuarantor() != r.cast.Yefeng.USCC {
		r.miss("settlement: %d lists, tax %s; the demo expects %d lists, tax %s (the quotes of the released orders not returned)",
			len(st.GetLines()), st.GetTax(), len(settled), want.StringFixed(2))
	}
	for _, ln := range st.GetLines() {
		so, ok := settled[ln.GetListNo()]
		if !ok {
			r.miss("settlement line %s: not a list the demo expects", ln.GetListNo())
			continue
		}
		// The due date and the ID's masking are the server's rules; the
		// buyer's ID must not be shown in full.
		if ln.GetOrderNo() != so.No || ln.GetTax() != so.Quote.GetTotal() || ln.GetBuyerId() == so.BuyerID || !r.lc.isToday(ln.GetReleasedOn()) ||
			ln.GetDueOn() <= ln.GetReleasedOn() || ln.GetFinal() {
			r.miss("settlement line %s: order %s, buyer %s, released %s, due %s, tax %s, final %t; the demo expects %s, a masked ID, today, later, %s, not final",
				ln.GetListNo(), ln.GetOrderNo(), ln.GetBuyerId(), ln.GetReleasedOn(), ln.GetDueOn(), ln.GetTax(), ln.GetFinal(), so.No, so.Quote.GetTotal())
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(resp.GetFile())).ReadAll()
	if err != nil || resp.GetContentType() != "text/csv" {
		r.miss("settlement CSV (%s, %q): %v", resp.GetFileName(), resp.GetContentType(), err)
		return
	}
	sum := decimal.Zero
	for _, rec := range recs[1 : len(recs)-1] {
		if _, ok := settled[rec[0]]; !ok {
			r.miss("settlement CSV row %v: not a list the demo expects", rec)
		}
		sum = sum.Add(d(rec[8]))
	}
	if last := recs[len(recs)-1]; len(recs) != len(settled)+2 || recs[0][0] != "list_no" || last[0] != "TOTAL" || last[1] != r.cast.Yefeng.USCC ||
		last[8] != want.StringFixed(2) || !sum.Equal(want) {
		r.miss("settlement CSV: %d rows, total row %v, rows summing to %s; the demo expects %d rows and the total %s", len(recs), last, sum, len(settled)+2, want.StringFixed(2))
	}
}
