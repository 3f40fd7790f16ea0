package demo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// quoteDisplay is TaxService/Quote of a display sale's lines (DOMESTIC_SALE
// on its date): the tax the sale must be assessed.
func (r *salesRun) quoteDisplay(mv plannedMove, date string) decimal.Decimal {
	total := decimal.Zero
	for _, q := range mv.Lines {
		l := r.cast.W.line(q.Seq)
		resp := do(r.p, r.cast.Yuncang.Principal, r.c.tax.Quote, &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_DOMESTIC_SALE, Date: date,
			Lines: []*customsv1.QuoteLine{{HsCode: l.HS, DutiableValue: amount(q.Qty, l.Sale).StringFixed(2), Quantity: q.Qty.Mul(l.Factor).String(), Unit: l.Legal}}})
		total = total.Add(stockQty(resp.GetTotal()))
	}
	return total
}

// display runs the display-trading cycle in the month, then customs records
// the tax paid today.
func (r *salesRun) display() {
	yw, w := r.cast.Yuncang.Principal, r.cast.W
	r.res.Form = do(r.p, yw, r.c.decl.CreateForm, &customsv1.CreateFormRequest{InnerNo: r.lc.next("YWSQ"), BookNo: w.No, FormType: "C",
		ValidFrom: r.script.FormFrom, ValidUntil: r.script.FormUntil, Guarantee: r.script.Guarantee.StringFixed(2),
		Note: "保税展示交易：数码相机、威士忌于海口保税展示交易中心展示销售，先销后税，保证金担保"}).GetForm()
	r.formNo = r.res.Form.GetFormNo()
	status := func(asOf string) *customsv1.GetDisplayStatusResponse {
		return do(r.p, "customs-4601", r.c.display.GetDisplayStatus, &customsv1.GetDisplayStatusRequest{ApplyNo: r.formNo, AsOf: asOf})
	}
	assessed := decimal.Zero
	for _, mv := range r.script.Display {
		date := r.lc.dateOf(mv.Day)
		var goods []string
		for _, q := range mv.Lines {
			l := w.line(q.Seq)
			goods = append(goods, l.Short+" "+fmtLineQty(l, q.Qty))
		}
		out := DisplayMove{N: mv.N, Date: date, Kind: strings.TrimPrefix(mv.Kind.String(), "DISPLAY_KIND_"), Goods: strings.Join(goods, ", "), Note: mv.Note}
		// What the guarantee still covers is the server's to say.
		out.Covered = stockQty(status("").GetAvailable())
		req := &customsv1.MoveDisplayRequest{InnerNo: r.lc.next("YWZS"), ApplyNo: r.formNo, Kind: mv.Kind, Date: date}
		for _, q := range mv.Lines {
			ln := &customsv1.DisplayLine{BookSeq: q.Seq, Quantity: q.Qty.String()}
			if mv.Kind == customsv1.DisplayKind_DISPLAY_KIND_SALE {
				ln.Value = amount(q.Qty, w.line(q.Seq).Sale).StringFixed(2)
			}
			req.Lines = append(req.Lines, ln)
		}
		if mv.Kind == customsv1.DisplayKind_DISPLAY_KIND_SALE {
			out.Quoted = r.quoteDisplay(mv, date)
		}
		if mv.Expect != "" {
			f := refuse(r.p, fmt.Sprintf("display movement %d (%s %s)", mv.N, out.Kind, out.Goods), mv.Expect, yw, r.c.display.MoveDisplay, req)
			out.Refusal, out.Message = f.Reason, f.Message
			r.res.Moves = append(r.res.Moves, out)
			continue
		}
		m := do(r.p, yw, r.c.display.MoveDisplay, req).GetMove()
		if r.p.err != nil {
			return
		}
		out.MoveNo, out.Tax, out.Journal = m.GetMoveNo(), m.GetTax(), m.GetJournalId()
		if m.GetDate() != date || m.GetJournalId() == 0 || m.GetApplyNo() != r.formNo || !d(m.GetTax()).Equal(out.Quoted) {
			r.miss("display movement %d %s: dated %s, journal %d, tax %s; the demo expects %s, a journal, tax %s (TaxService/Quote)",
				mv.N, m.GetMoveNo(), m.GetDate(), m.GetJournalId(), m.GetTax(), date, out.Quoted.StringFixed(2))
		}
		assessed = assessed.Add(out.Quoted)
		r.res.Moves = append(r.res.Moves, out)
	}

	// The status at the month's end: the tax assessed is unpaid, the
	// guarantee covers that much less; the goods still out are not overdue.
	wantStatus := func(st *customsv1.GetDisplayStatusResponse, when string, paid decimal.Decimal) {
		if r.p.err != nil {
			return
		}
		var held []string
		for _, h := range st.GetOnDisplay() {
			held = append(held, fmt.Sprintf("%d:%s", h.GetBookSeq(), d(h.GetQuantity())))
		}
		var want []string
		for _, l := range w.Lines {
			if q := r.model.onDisplay[l.Seq]; q.IsPositive() {
				want = append(want, fmt.Sprintf("%d:%s", l.Seq, q))
			}
		}
		// What is available and whether goods are overdue are the server's
		// to say; the demo knows its guarantee, the quotes and the payment.
		if !d(st.GetGuarantee()).Equal(r.script.Guarantee) || !d(st.GetTaxAssessed()).Equal(assessed) || !d(st.GetTaxPaid()).Equal(paid) || !slices.Equal(held, want) {
			r.miss("display status %s: guarantee %s, assessed %s, paid %s, on display %v; the demo expects %s, %s, %s, %v",
				when, st.GetGuarantee(), st.GetTaxAssessed(), st.GetTaxPaid(), held, r.script.Guarantee.StringFixed(2), assessed.StringFixed(2), paid.StringFixed(2), want)
		}
	}
	r.res.StatusMonthEnd = status(r.lastDay)
	wantStatus(r.res.StatusMonthEnd, "as of "+r.lastDay, decimal.Zero)

	// Customs records the month's collective payment (today: the payment
	// has no business date); the same payment again changes nothing.
	r.res.PaymentNo = fmt.Sprintf("%s%s%s%08d", customsOffice, r.res.Today[:4], "2", 318001)
	for i := 0; i < 2; i++ {
		pr := do(r.p, "customs-4601", r.c.display.PayDisplayTax, &customsv1.PayDisplayTaxRequest{ApplyNo: r.formNo, Amount: assessed.StringFixed(2), PaymentNo: r.res.PaymentNo})
		if r.p.err == nil && !d(pr.GetForm().GetTaxPaid()).Equal(assessed) {
			r.miss("PayDisplayTax %s (call %d): tax paid %s; the demo expects %s", r.res.PaymentNo, i+1, pr.GetForm().GetTaxPaid(), assessed.StringFixed(2))
		}
		r.res.Payment = pr
	}
	r.res.StatusNow = status("")
	wantStatus(r.res.StatusNow, "now", assessed)

	// The sales' taxable events, each as TaxService/Quote assesses it.
	if r.res.DisplayTaxable = taxableEvents(r.p, "customs-4601", w.No); r.p.err != nil {
		return
	}
	var want, got []string
	for _, mv := range r.script.Display {
		if mv.Kind != customsv1.DisplayKind_DISPLAY_KIND_SALE || mv.Expect != "" {
			continue
		}
		no := r.res.Moves[mv.N-1].MoveNo
		for i, q := range mv.Lines {
			want = append(want, fmt.Sprintf("%s/%d line %d %s worth %s, 0110, %s", no, i+1, q.Seq, q.Qty, amount(q.Qty, w.line(q.Seq).Sale).StringFixed(2), r.lc.dateOf(mv.Day)))
		}
	}
	sale := map[string][]*customsv1.TaxableEvent{} // each sale's events are one consignment (一票)
	for _, ev := range r.res.DisplayTaxable {
		sale[ev.GetListNo()] = append(sale[ev.GetListNo()], ev)
	}
	for _, ev := range r.res.DisplayTaxable {
		got = append(got, fmt.Sprintf("%s/%d line %d %s worth %s, %s, %s", ev.GetListNo(), ev.GetListSeq(), ev.GetBookSeq(), d(ev.GetQuantity()), ev.GetDutiableValue(), ev.GetTradeMode(), ev.GetDate()))
		if err := r.lc.checkAssessment(ev, sale[ev.GetListNo()]); err != nil {
			r.miss("taxable event %d (%s line %d): %v", ev.GetId(), ev.GetListNo(), ev.GetListSeq(), err)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		r.miss("taxable events of %s: %v; the demo expects %v", w.No, got, want)
	}
}
