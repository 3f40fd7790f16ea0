package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// SalesResult is what the sales and service centre did, for callers and
// tests.
type SalesResult struct {
	Calls   int
	Elapsed time.Duration
	// Today is the server's business date when the centre ran: every
	// e-commerce date (release, return, settlement) is today, and so is the
	// display tax payment.
	Today string
	// Entry is the first-line entry of the warehouse's goods.
	Entry LCStep
	// Form is the type-C display-trading form as filed.
	Form  *customsv1.Form
	Moves []SCMove
	// StatusMonthEnd is the form's display status before customs recorded
	// the payment (overdue judged as of the month's last day); StatusNow
	// after it.
	StatusMonthEnd, StatusNow *customsv1.GetDisplayStatusResponse
	PaymentNo                 string
	Payment                   *customsv1.PayDisplayTaxResponse
	// DisplayTaxable are the warehouse book's taxable events: the display
	// sales' lines.
	DisplayTaxable []*customsv1.TaxableEvent
	Orders         []*SCOrder
	// Documents: how many went one per call, and in each batch.
	Singles int
	Batches []int
	// Returned is the returned order's inventory list, as received back.
	Returned *customsv1.InventoryList
	// Settlement is the guarantor's settlement for today, read as the
	// guarantor's own enterprise, with its CSV file.
	Settlement     *customsv1.Settlement
	SettlementCSV  []byte
	SettlementFile string
	// MonthEnd and Stock are the warehouse book's stock report as of the
	// month's last day and now, read as customs.
	MonthEnd, Stock []*customsv1.StockLine
	// Mismatches lists everything that differs from the demo's model.
	Mismatches []string
}

// SCMove is a display movement as it went.
type SCMove struct {
	N      int
	Date   string
	Kind   string
	Goods  string
	Note   string
	MoveNo string
	// Quoted is TaxService/Quote of the sale's lines (DOMESTIC_SALE on its
	// date); Tax what the server assessed.
	Quoted decimal.Decimal
	Tax    string
	// Covered is what the guarantee covered before the movement.
	Covered        decimal.Decimal
	Journal        int64
	Refusal, Field string
	Message        string
}

// SCOrder is an e-commerce order as it went.
type SCOrder struct {
	No        string
	Buyer     string
	Goods     string
	Dutiable  decimal.Decimal
	Quote     *customsv1.QuoteResponse
	Sent      string
	Expect    string
	Note      string
	Status    customsv1.OrderStatus
	Reason    string
	Message   string
	List      *customsv1.InventoryList
	Returned  bool
	BuyerID   string
	Withheld  string // the tax the order withheld
	Paid      string // the order's actual paid
	plan      *scOrder
	documents []*customsv1.EcommerceDocument
}

// scRun drives the centre.
type scRun struct {
	ctx      context.Context
	c        *client
	cast     *scCast
	lc       *lcRun // files the entry list and drives the vehicle
	res      *SalesResult
	year     int
	month    time.Month
	lastDay  string
	script   *scScript
	model    *scModel
	formNo   string
	counters map[string]int
}

func (r *scRun) miss(format string, args ...any) {
	r.res.Mismatches = append(r.res.Mismatches, fmt.Sprintf(format, args...))
}

func (r *scRun) call(who string, fn func(ctx context.Context) error) error {
	ctx, cancel := r.c.as(r.ctx, who)
	defer cancel()
	r.res.Calls++
	return fn(ctx)
}

func (r *scRun) date(day int) string {
	return time.Date(r.year, r.month, day, 0, 0, 0, 0, zoneLocation).Format("2006-01-02")
}

// runSales runs the sales and service centre: the month's entry and
// display trading, then today's payment of the display tax and the day of
// e-commerce. It fails on any call that does not answer as planned;
// differences in the end state are collected in res.Mismatches.
func runSales(ctx context.Context, c *client, cast *scCast, year int, month time.Month, days int, lastDay string) (*SalesResult, error) {
	res := &SalesResult{Today: businessDate(time.Now())}
	actx, cancel := c.as(ctx, "admin")
	pl, err := c.ecom.GetPositiveList(actx, &customsv1.GetPositiveListRequest{})
	cancel()
	if err != nil {
		return res, fmt.Errorf("asking for the zone's positive list: %w", err)
	}
	positive, err := positiveList(pl.GetEntries())
	if err != nil {
		return res, err
	}
	script, model, err := predictSales(cast, positive, year, int(month), days, res.Today)
	if err != nil {
		return res, fmt.Errorf("planning the sales and service centre: %w", err)
	}
	r := &scRun{ctx: ctx, c: c, cast: cast, res: res, year: year, month: month, lastDay: lastDay, script: script, model: model, counters: map[string]int{}}
	if lastDay >= res.Today {
		return res, fmt.Errorf("the sales and service centre dates its movements in %s through %s, which must be over; today is %s", month, lastDay, res.Today)
	}
	r.lc = &lcRun{ctx: ctx, c: c, cast: &lcCast{Yecheng: cast.Yuncang, T: cast.W, Books: []*lcBook{cast.W}}, year: year, month: month,
		counters: map[string]int{}, todayStart: res.Today, res: &LogisticsResult{}}
	steps := []struct {
		what string
		fn   func() error
	}{{"set-up", r.setup}, {"entry", r.entry}, {"display trading", r.display}, {"e-commerce", r.ecommerce}, {"stock report", r.stock}}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			res.Calls += r.lc.res.Calls
			return res, fmt.Errorf("sales and service centre, %s: %w", s.what, err)
		}
	}
	res.Calls += r.lc.res.Calls
	slices.Sort(res.Mismatches)
	return res, nil
}

// setup: customs registers the two enterprises; the warehouse registers its
// book, lines and the shop's part numbers; customs registers the shop's
// channel, with the shop as the guarantor of its tax.
func (r *scRun) setup() error {
	for _, e := range []*lcEnterprise{r.cast.Yuncang, r.cast.Yefeng} {
		if err := r.call("customs-4601", func(ctx context.Context) error {
			_, err := r.c.books.RegisterEnterprise(ctx, &customsv1.RegisterEnterpriseRequest{Uscc: e.USCC, CustomsCode: e.CustomsNo, Name: e.Name,
				CreditRating: customsv1.CreditRating_CREDIT_RATING_GENERAL})
			return err
		}); err != nil {
			return fmt.Errorf("registering enterprise %s: %w", e.Name, err)
		}
	}
	w, yw := r.cast.W, r.cast.Yuncang.Principal
	if err := r.call(yw, func(ctx context.Context) error {
		_, err := r.c.books.CreateBook(ctx, &customsv1.CreateBookRequest{BookNo: w.No, Kind: w.Kind, Enterprise: w.Owner.USCC, CustomsOffice: w.Office, WriteOffCycleMonths: 12})
		return err
	}); err != nil {
		return fmt.Errorf("registering book %s: %w", w.No, err)
	}
	req := &customsv1.AddBookLinesRequest{BookNo: w.No}
	for _, l := range w.Lines {
		req.Lines = append(req.Lines, &customsv1.BookLine{Seq: l.Seq, HsCode: l.HS, Name: l.Name, Spec: l.Spec, DeclaredUnit: l.Unit, Scale: l.Scale,
			Legal: &customsv1.LegalUnit{Unit: l.Legal, Factor: l.Factor.String()}, Type: l.Type})
	}
	if err := r.call(yw, func(ctx context.Context) error { _, err := r.c.books.AddBookLines(ctx, req); return err }); err != nil {
		return fmt.Errorf("registering the lines of %s: %w", w.No, err)
	}
	parts := map[string]int32{}
	for _, s := range r.cast.SKUs {
		parts[s.Part] = s.Line.Seq
	}
	if err := r.call(yw, func(ctx context.Context) error {
		_, err := r.c.books.MapPartNumbers(ctx, &customsv1.MapPartNumbersRequest{BookNo: w.No, Parts: parts})
		return err
	}); err != nil {
		return fmt.Errorf("MapPartNumbers %s: %w", w.No, err)
	}
	ch := &customsv1.RegisterChannelRequest{Enterprise: r.cast.Yefeng.USCC, Name: r.cast.Yefeng.Name, Platform: r.cast.Platform.Code, BookNo: w.No, Guarantor: r.cast.Yefeng.USCC}
	return r.call("customs-4601", func(ctx context.Context) error {
		resp, err := r.c.ecom.RegisterChannel(ctx, ch)
		if err != nil {
			return fmt.Errorf("RegisterChannel: %w", err)
		}
		if g := resp.GetChannel(); g.GetBookNo() != w.No || g.GetGuarantor() != ch.GetGuarantor() || g.GetPlatform() != ch.GetPlatform() {
			return fmt.Errorf("RegisterChannel recorded %v", g)
		}
		return nil
	})
}

// entry brings the goods in from abroad: a first-line list (5034), a
// type-2 pass, the gate.
func (r *scRun) entry() error {
	s := r.script.Entry
	date := r.date(s.Day)
	out := LCStep{N: s.N, Day: date[5:], Date: date, Kind: lcFlowNames[s.Kind], Goods: lcGoods(r.cast.W, s.Lists[0])}
	l, err := r.lc.file(r.cast.Yuncang.Principal, &customsv1.CreateListRequest{InnerNo: r.lc.next("YWQD"), BookNo: r.cast.W.No, Io: "I", TradeMode: "5034",
		DeclareFlag: "1", DeclarationKind: "2", Lines: listLines(r.cast.W, s.Lists[0], entryPrice, ""), Date: date}, true)
	if err != nil {
		return err
	}
	out.Lists = append(out.Lists, l.GetListNo())
	gross, net := weights(l)
	if _, err := r.lc.drive(s, &out, &customsv1.CreatePassRequest{PassType: "2", BindType: "2", Io: "I", RelatedType: "1", RelatedNos: []string{l.GetListNo()}}, gross, net); err != nil {
		return err
	}
	if err := r.lc.refresh(r.cast.Yuncang.Principal, &l); err != nil {
		return err
	}
	if err := wantList(l, customsv1.ListStatus_LIST_STATUS_CLEARED); err != nil {
		return err
	}
	if out.GateDate != date {
		r.miss("entry: the vehicle passed on %s, the demo drove it on %s", out.GateDate, date)
	}
	r.res.Entry = out
	return nil
}

// quoteDisplay is TaxService/Quote of a display sale's lines (DOMESTIC_SALE
// on its date): the tax the sale must be assessed.
func (r *scRun) quoteDisplay(mv scMove, date string) (decimal.Decimal, error) {
	total := decimal.Zero
	for _, q := range mv.Lines {
		l := r.cast.W.line(q.Seq)
		var resp *customsv1.QuoteResponse
		if err := r.call(r.cast.Yuncang.Principal, func(ctx context.Context) error {
			var err error
			resp, err = r.c.tax.Quote(ctx, &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_DOMESTIC_SALE, Date: date,
				Lines: []*customsv1.QuoteLine{{HsCode: l.HS, DutiableValue: amount(q.Qty, l.Sale).StringFixed(2), Quantity: q.Qty.Mul(l.Factor).String(), Unit: l.Legal}}})
			return err
		}); err != nil {
			return total, fmt.Errorf("TaxService/Quote: %w", err)
		}
		total = total.Add(d(resp.GetTotal()))
	}
	return total, nil
}

// display runs the display-trading cycle in the month, then customs records
// the tax paid today.
func (r *scRun) display() error {
	yw, w := r.cast.Yuncang.Principal, r.cast.W
	if err := r.call(yw, func(ctx context.Context) error {
		resp, err := r.c.decl.CreateForm(ctx, &customsv1.CreateFormRequest{InnerNo: r.lc.next("YWSQ"), BookNo: w.No, FormType: "C",
			ValidFrom: r.script.FormFrom, ValidUntil: r.script.FormUntil, Guarantee: r.script.Guarantee.StringFixed(2),
			Note: "保税展示交易：数码相机、威士忌于海口保税展示交易中心展示销售，先销后税，保证金担保"})
		r.res.Form = resp.GetForm()
		return err
	}); err != nil {
		return fmt.Errorf("filing the type-C form: %w", err)
	}
	r.formNo = r.res.Form.GetFormNo()
	assessed, paid := decimal.Zero, decimal.Zero
	for _, mv := range r.script.Display {
		date := r.date(mv.Day)
		var goods []string
		for _, q := range mv.Lines {
			l := w.line(q.Seq)
			goods = append(goods, l.Short+" "+fmtLCQty(l, q.Qty))
		}
		out := SCMove{N: mv.N, Date: date, Kind: strings.TrimPrefix(mv.Kind.String(), "DISPLAY_KIND_"), Goods: strings.Join(goods, ", "), Note: mv.Note,
			Covered: r.script.Guarantee.Sub(assessed.Sub(paid))}
		req := &customsv1.MoveDisplayRequest{InnerNo: r.lc.next("YWZS"), ApplyNo: r.formNo, Kind: mv.Kind, Date: date}
		for _, q := range mv.Lines {
			ln := &customsv1.DisplayLine{BookSeq: q.Seq, Quantity: q.Qty.String()}
			if mv.Kind == customsv1.DisplayKind_DISPLAY_KIND_SALE {
				ln.Value = amount(q.Qty, w.line(q.Seq).Sale).StringFixed(2)
			}
			req.Lines = append(req.Lines, ln)
		}
		if mv.Kind == customsv1.DisplayKind_DISPLAY_KIND_SALE {
			quoted, err := r.quoteDisplay(mv, date)
			if err != nil {
				return err
			}
			out.Quoted = quoted
			// The model's prediction: the tax must fit in what the guarantee
			// still covers.
			refused := quoted.GreaterThan(out.Covered)
			if want := mv.Expect == reasonGuaranteeExceeded; refused != want {
				return fmt.Errorf("display movement %d: the quoted tax %s against %s still covered predicts refused=%t, the script intends %t",
					mv.N, quoted.StringFixed(2), out.Covered.StringFixed(2), refused, want)
			}
		}
		var m *customsv1.DisplayMove
		err := r.call(yw, func(ctx context.Context) error {
			resp, err := r.c.display.MoveDisplay(ctx, req)
			m = resp.GetMove()
			return err
		})
		if mv.Expect != "" {
			if err == nil {
				return fmt.Errorf("display movement %d (%s %s) was accepted as %s; the demo expected %s", mv.N, out.Kind, out.Goods, m.GetMoveNo(), mv.Expect)
			}
			out.Refusal, out.Message = reasonOf(err)
			if out.Refusal != mv.Expect {
				return fmt.Errorf("display movement %d: %w (expected %s)", mv.N, err, mv.Expect)
			}
			r.res.Moves = append(r.res.Moves, out)
			continue
		}
		if err != nil {
			return fmt.Errorf("MoveDisplay %d (%s %s): %w", mv.N, out.Kind, out.Goods, err)
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
	wantStatus := func(st *customsv1.GetDisplayStatusResponse, when string, paid decimal.Decimal, asOf string) {
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
		overdue := len(want) > 0 && asOf > r.script.FormUntil
		if !d(st.GetGuarantee()).Equal(r.script.Guarantee) || !d(st.GetTaxAssessed()).Equal(assessed) || !d(st.GetTaxPaid()).Equal(paid) ||
			!d(st.GetAvailable()).Equal(r.script.Guarantee.Sub(assessed).Add(paid)) || !slices.Equal(held, want) || st.GetOverdue() != overdue {
			r.miss("display status %s: guarantee %s, assessed %s, paid %s, available %s, on display %v, overdue %t; the demo expects %s, %s, %s, %s, %v, %t",
				when, st.GetGuarantee(), st.GetTaxAssessed(), st.GetTaxPaid(), st.GetAvailable(), held, st.GetOverdue(),
				r.script.Guarantee.StringFixed(2), assessed.StringFixed(2), paid.StringFixed(2), r.script.Guarantee.Sub(assessed).Add(paid).StringFixed(2), want, overdue)
		}
	}
	status := func(asOf string) (*customsv1.GetDisplayStatusResponse, error) {
		var st *customsv1.GetDisplayStatusResponse
		err := r.call("customs-4601", func(ctx context.Context) error {
			var err error
			st, err = r.c.display.GetDisplayStatus(ctx, &customsv1.GetDisplayStatusRequest{ApplyNo: r.formNo, AsOf: asOf})
			return err
		})
		return st, err
	}
	st, err := status(r.lastDay)
	if err != nil {
		return fmt.Errorf("GetDisplayStatus: %w", err)
	}
	r.res.StatusMonthEnd = st
	wantStatus(st, "as of "+r.lastDay, decimal.Zero, r.lastDay)

	// Customs records the month's collective payment (today: the payment
	// has no business date); the same payment again changes nothing.
	r.res.PaymentNo = fmt.Sprintf("%s%s%s%08d", customsOffice, r.res.Today[:4], "2", 318001)
	for i := 0; i < 2; i++ {
		var pr *customsv1.PayDisplayTaxResponse
		if err := r.call("customs-4601", func(ctx context.Context) error {
			var err error
			pr, err = r.c.display.PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: r.formNo, Amount: assessed.StringFixed(2), PaymentNo: r.res.PaymentNo})
			return err
		}); err != nil {
			return fmt.Errorf("PayDisplayTax %s: %w", r.res.PaymentNo, err)
		}
		if !d(pr.GetForm().GetTaxPaid()).Equal(assessed) || !d(pr.GetAvailable()).Equal(r.script.Guarantee) {
			r.miss("PayDisplayTax %s (call %d): tax paid %s, available %s; the demo expects %s, %s", r.res.PaymentNo, i+1,
				pr.GetForm().GetTaxPaid(), pr.GetAvailable(), assessed.StringFixed(2), r.script.Guarantee.StringFixed(2))
		}
		r.res.Payment = pr
	}
	paid = assessed
	if st, err = status(""); err != nil {
		return fmt.Errorf("GetDisplayStatus: %w", err)
	}
	r.res.StatusNow = st
	wantStatus(st, "now", paid, businessDate(time.Now()))

	// The sales' taxable events, each as TaxService/Quote assesses it.
	if err := r.call("customs-4601", func(ctx context.Context) error {
		resp, err := r.c.decl.ListTaxableEvents(ctx, &customsv1.ListTaxableEventsRequest{BookNo: w.No, PageSize: 1000})
		r.res.DisplayTaxable = resp.GetEvents()
		return err
	}); err != nil {
		return fmt.Errorf("ListTaxableEvents %s: %w", w.No, err)
	}
	var want, got []string
	for _, mv := range r.script.Display {
		if mv.Kind != customsv1.DisplayKind_DISPLAY_KIND_SALE || mv.Expect != "" {
			continue
		}
		no := r.res.Moves[mv.N-1].MoveNo
		for i, q := range mv.Lines {
			want = append(want, fmt.Sprintf("%s/%d line %d %s worth %s, 0110, %s", no, i+1, q.Seq, q.Qty, amount(q.Qty, w.line(q.Seq).Sale).StringFixed(2), r.date(mv.Day)))
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
	return nil
}

// orderDocs builds an order's three documents, withholding the tax quoted.
func (r *scRun) orderDocs(o *scOrder, q *customsv1.QuoteResponse) (*customsv1.SubmitOrderRequest, *customsv1.SubmitPaymentRequest, *customsv1.SubmitWaybillRequest) {
	ent := r.cast.Yefeng.USCC
	tax := d(q.GetTotal())
	paid := o.goods().Add(o.Freight).Add(tax).Sub(o.Discount)
	req := &customsv1.SubmitOrderRequest{OrderNo: o.No, Enterprise: ent, Buyer: o.Buyer.person(), Consignee: o.Buyer.consignee(),
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
	payer := o.Buyer
	if o.Payer != nil {
		payer = o.Payer
	}
	pay := &customsv1.SubmitPaymentRequest{Enterprise: ent, OrderNo: o.No, PayCode: r.cast.PayCode, TransactionId: fmt.Sprintf("4200%s%06d", strings.ReplaceAll(r.res.Today, "-", ""), o.N*7919%1000000),
		Payer: payer.person(), Amount: paid.Sub(o.PayShort).StringFixed(2)}
	cons := o.Buyer.consignee()
	if o.WrongPhone != "" {
		cons.Phone = o.WrongPhone
	}
	wb := &customsv1.SubmitWaybillRequest{Enterprise: ent, OrderNo: o.No, LogisticsNo: fmt.Sprintf("YT%s%05d", strings.ReplaceAll(r.res.Today, "-", "")[2:], 30000+o.N),
		LogisticsCode: r.cast.LogisticsCode, Consignee: cons}
	return req, pay, wb
}

// quoteOrder is TaxService/Quote of an order as the platform computes the
// tax it withholds: CROSS_BORDER_RETAIL on today, each line at its total,
// and the order's freight, which the server shares over the lines as
// customs shares it on the inventory list. The platform does not know what
// the buyer bought elsewhere this year, so it states no annual_used.
func (r *scRun) quoteOrder(o *scOrder, date string) (*customsv1.QuoteResponse, error) {
	req := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: date, Freight: o.Freight.StringFixed(2)}
	for _, it := range o.Items {
		l := it.SKU.Line
		req.Lines = append(req.Lines, &customsv1.QuoteLine{HsCode: l.HS, DutiableValue: it.total().StringFixed(2),
			Quantity: it.Qty.Mul(l.Factor).String(), Unit: l.Legal, Pieces: pieces(it.Qty)})
	}
	var q *customsv1.QuoteResponse
	err := r.call(r.cast.Platform.Principal, func(ctx context.Context) error {
		var err error
		q, err = r.c.tax.Quote(ctx, req)
		return err
	})
	return q, err
}

// ecommerce runs today's orders: quotes, documents one per call and in
// batches, a return, the orders and lists read back, the settlement.
func (r *scRun) ecommerce() error {
	pf := r.cast.Platform.Principal
	today := r.res.Today
	for _, o := range r.script.Orders {
		q, err := r.quoteOrder(o, today)
		if err != nil {
			return fmt.Errorf("quoting order %s: %w", o.No, err)
		}
		if want := o.limitRule(decimal.Zero); q.GetRule() != want {
			r.miss("order %s: TaxService/Quote classifies it %s; the demo expects %s", o.No, q.GetRule(), want)
		}
		ord, pay, wb := r.orderDocs(o, q)
		so := &SCOrder{No: o.No, Buyer: o.Buyer.Name, BuyerID: o.Buyer.ID, Goods: o.describe(), Dutiable: o.dutiable(), Quote: q, Expect: o.Expect, Note: o.Note,
			Withheld: ord.GetTaxTotal(), Paid: ord.GetActualPaid(), plan: o, Returned: o.Return,
			documents: []*customsv1.EcommerceDocument{
				{Document: &customsv1.EcommerceDocument_Order{Order: ord}},
				{Document: &customsv1.EcommerceDocument_Payment{Payment: pay}},
				{Document: &customsv1.EcommerceDocument_Waybill{Waybill: wb}}}}
		r.res.Orders = append(r.res.Orders, so)
	}
	doc := func(dc scDoc) *customsv1.EcommerceDocument {
		return r.res.Orders[dc.Order].documents[strings.IndexByte("OPW", dc.Kind)]
	}
	check := func(where string, dc scDoc, want scAnswer, o *customsv1.Order, reason, msg string) {
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

	// One document per call, in each order's arrival order.
	for i, dc := range r.script.Singles {
		so := r.res.Orders[dc.Order]
		var o *customsv1.Order
		err := r.call(pf, func(ctx context.Context) error {
			var err error
			switch x := doc(dc).GetDocument().(type) {
			case *customsv1.EcommerceDocument_Order:
				var resp *customsv1.SubmitOrderResponse
				resp, err = r.c.ecom.SubmitOrder(ctx, x.Order)
				o = resp.GetOrder()
			case *customsv1.EcommerceDocument_Payment:
				var resp *customsv1.SubmitPaymentResponse
				resp, err = r.c.ecom.SubmitPayment(ctx, x.Payment)
				o = resp.GetOrder()
			case *customsv1.EcommerceDocument_Waybill:
				var resp *customsv1.SubmitWaybillResponse
				resp, err = r.c.ecom.SubmitWaybill(ctx, x.Waybill)
				o = resp.GetOrder()
			}
			return err
		})
		reason, msg := "", ""
		if err != nil {
			reason, msg = reasonOf(err)
			if want := r.script.SingleAnswers[i].Reason; want == "" || reason != want || status.Code(err) != codes.FailedPrecondition {
				return fmt.Errorf("%c of order %s: %w", dc.Kind, so.No, err)
			}
		}
		check("one per call", dc, r.script.SingleAnswers[i], o, reason, msg)
		so.Sent = "one per call " + arrow(so.plan.Arrival)
	}
	r.res.Singles = len(r.script.Singles)

	// The batches, as the platform sends them: shuffled, each document
	// answered on its own.
	for bi, docs := range r.script.Batches {
		req := &customsv1.SubmitDocumentsRequest{}
		for _, dc := range docs {
			req.Documents = append(req.Documents, doc(dc))
		}
		var resp *customsv1.SubmitDocumentsResponse
		if err := r.call(pf, func(ctx context.Context) error {
			var err error
			resp, err = r.c.ecom.SubmitDocuments(ctx, req)
			return err
		}); err != nil {
			return fmt.Errorf("SubmitDocuments (batch %d, %d documents): %w", bi+1, len(docs), err)
		}
		if len(resp.GetResults()) != len(docs) {
			return fmt.Errorf("SubmitDocuments answered %d results for %d documents", len(resp.GetResults()), len(docs))
		}
		for i, res := range resp.GetResults() {
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
		var l *customsv1.InventoryList
		if err := r.call(pf, func(ctx context.Context) error {
			resp, err := r.c.ecom.RequestReturn(ctx, &customsv1.RequestReturnRequest{ListNo: listNo})
			l = resp.GetList()
			return err
		}); err != nil {
			return fmt.Errorf("RequestReturn %s: %w", listNo, err)
		}
		if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURN_REQUESTED || !r.lc.isToday(l.GetReturnAppliedOn()) {
			r.miss("RequestReturn %s: %s applied on %s; the demo expects RETURN_REQUESTED today", listNo, l.GetStatus(), l.GetReturnAppliedOn())
		}
		// The warehouse keeping the book confirms the goods arrived, not the platform.
		if err := r.call(r.cast.Yuncang.Principal, func(ctx context.Context) error {
			resp, err := r.c.ecom.ReceiveReturn(ctx, &customsv1.ReceiveReturnRequest{ListNo: listNo})
			l = resp.GetList()
			return err
		}); err != nil {
			return fmt.Errorf("ReceiveReturn %s: %w", listNo, err)
		}
		if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED || !r.lc.isToday(l.GetReturnedOn()) || l.GetReturnJournalId() == 0 {
			r.miss("ReceiveReturn %s: %s on %s, journal %d; the demo expects RETURNED today with a journal", listNo, l.GetStatus(), l.GetReturnedOn(), l.GetReturnJournalId())
		}
		r.res.Returned = l
	}

	// Every order and list, read back as customs.
	settled := map[string]*SCOrder{}
	for _, so := range r.res.Orders {
		var o *customsv1.Order
		if err := r.call("customs-4601", func(ctx context.Context) error {
			resp, err := r.c.ecom.GetOrder(ctx, &customsv1.GetOrderRequest{OrderNo: so.No})
			o = resp.GetOrder()
			return err
		}); err != nil {
			return fmt.Errorf("GetOrder %s: %w", so.No, err)
		}
		so.Status, so.Reason, so.Message = o.GetStatus(), o.GetReason(), o.GetReasonMessage()
		want := r.model.outcomes[so.plan.N]
		if want.Reason != "" {
			if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.GetReason() != want.Reason || o.GetListNo() != "" {
				r.miss("order %s: %s %s %q; the demo expects REJECTED %s", so.No, o.GetStatus(), o.GetReason(), o.GetListNo(), want.Reason)
			}
			continue
		}
		if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED || o.GetReason() != "" || o.GetListNo() != "QL"+so.No || o.GetTaxTotal() != so.Withheld {
			r.miss("order %s: %s %s, list %q, tax %s; the demo expects RELEASED, list QL%s, tax %s", so.No, o.GetStatus(), o.GetReason(), o.GetListNo(), o.GetTaxTotal(), so.No, so.Withheld)
			continue
		}
		if err := r.call("customs-4601", func(ctx context.Context) error {
			resp, err := r.c.ecom.GetInventoryList(ctx, &customsv1.GetInventoryListRequest{ListNo: o.GetListNo()})
			so.List = resp.GetList()
			return err
		}); err != nil {
			return fmt.Errorf("GetInventoryList %s: %w", o.GetListNo(), err)
		}
		r.checkList(so, want)
		if !so.plan.Return {
			settled[so.List.GetListNo()] = so
		}
	}
	return r.settlement(settled)
}

// arrow shows an arrival order "OPW" as "O→P→W".
func arrow(kinds string) string { return strings.Join(strings.Split(kinds, ""), "→") }

// checkList compares a released order's inventory list with the order and
// its quote: the tax customs assessed equals what TaxService/Quote gave the
// platform.
func (r *scRun) checkList(so *SCOrder, want scOutcome) {
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
	if l.GetStatus() != status || !r.lc.isToday(l.GetReleasedOn()) || l.GetJournalId() == 0 || l.GetRule() != want.Rule || l.GetRule() != q.GetRule() ||
		l.GetTax() != q.GetTotal() || l.GetDuty() != q.GetDuty() || l.GetConsumptionTax() != q.GetConsumptionTax() || l.GetVat() != q.GetVat() ||
		!d(l.GetDutiableValue()).Equal(o.dutiable()) || l.GetGuarantor() != r.cast.Yefeng.USCC || l.GetBookNo() != r.cast.W.No ||
		l.GetPlatform() != r.cast.Platform.Code || l.GetBuyerId() != o.Buyer.ID || !slices.Equal(lines, wantLines) {
		r.miss("inventory list %s: %s, released %s, journal %d, rule %s, tax %s (duty %s, CT %s, VAT %s), dutiable %s, guarantor %s, book %s, lines %v; "+
			"the demo expects %s today, rule %s, tax %s (duty %s, CT %s, VAT %s, TaxService/Quote), dutiable %s, guarantor %s, book %s, lines %v",
			l.GetListNo(), l.GetStatus(), l.GetReleasedOn(), l.GetJournalId(), l.GetRule(), l.GetTax(), l.GetDuty(), l.GetConsumptionTax(), l.GetVat(),
			l.GetDutiableValue(), l.GetGuarantor(), l.GetBookNo(), lines,
			status, want.Rule, q.GetTotal(), q.GetDuty(), q.GetConsumptionTax(), q.GetVat(), o.dutiable().StringFixed(2), r.cast.Yefeng.USCC, r.cast.W.No, wantLines)
	}
}

// settlement reads the guarantor's settlement for today as the guarantor's
// own enterprise, with its CSV, and checks both against the released
// lists not returned.
func (r *scRun) settlement(settled map[string]*SCOrder) error {
	from, to := r.res.Today, businessDate(time.Now())
	var resp *customsv1.GetSettlementResponse
	if err := r.call(r.cast.Yefeng.Principal, func(ctx context.Context) error {
		var err error
		resp, err = r.c.ecom.GetSettlement(ctx, &customsv1.GetSettlementRequest{Guarantor: r.cast.Yefeng.USCC, FromDate: from, ToDate: to,
			Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV})
		return err
	}); err != nil {
		return fmt.Errorf("GetSettlement as %s: %w", r.cast.Yefeng.Principal, err)
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
		released, _ := time.Parse("2006-01-02", ln.GetReleasedOn())
		if ln.GetOrderNo() != so.No || ln.GetTax() != so.Quote.GetTotal() || ln.GetBuyerId() != masked(so.BuyerID) || !r.lc.isToday(ln.GetReleasedOn()) ||
			ln.GetDueOn() != released.AddDate(0, 0, 45).Format("2006-01-02") || ln.GetFinal() {
			r.miss("settlement line %s: order %s, buyer %s, released %s, due %s, tax %s, final %t; the demo expects %s, %s, today, 45 days later, %s, not final",
				ln.GetListNo(), ln.GetOrderNo(), ln.GetBuyerId(), ln.GetReleasedOn(), ln.GetDueOn(), ln.GetTax(), ln.GetFinal(), so.No, masked(so.BuyerID), so.Quote.GetTotal())
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(resp.GetFile())).ReadAll()
	if err != nil || resp.GetContentType() != "text/csv" {
		r.miss("settlement CSV (%s, %q): %v", resp.GetFileName(), resp.GetContentType(), err)
		return nil
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
	return nil
}

// stock reads the warehouse book's stock report as of the month's last day
// and now, and compares it with the model.
func (r *scRun) stock() error {
	for _, view := range []struct {
		asOf  string
		into  *[]*customsv1.StockLine
		model map[int32]*scStock
	}{{r.lastDay, &r.res.MonthEnd, r.model.monthEnd}, {"", &r.res.Stock, r.model.stock}} {
		var resp *customsv1.GetStockReportResponse
		if err := r.call("customs-4601", func(ctx context.Context) error {
			var err error
			resp, err = r.c.books.GetStockReport(ctx, &customsv1.GetStockReportRequest{BookNo: r.cast.W.No, AsOf: view.asOf})
			return err
		}); err != nil {
			return fmt.Errorf("GetStockReport %s: %w", r.cast.W.No, err)
		}
		*view.into = resp.GetLines()
		when := "now"
		if view.asOf != "" {
			when = "as of " + view.asOf
		}
		if len(resp.GetLines()) != len(view.model) {
			r.miss("%s %s: %d lines in the stock report, the demo has %d", r.cast.W.No, when, len(resp.GetLines()), len(view.model))
		}
		for _, sl := range resp.GetLines() {
			want, ok := view.model[sl.GetBookSeq()]
			if !ok {
				r.miss("%s line %d: not on the demo's book", r.cast.W.No, sl.GetBookSeq())
				continue
			}
			for _, f := range []struct {
				name string
				got  string
				want decimal.Decimal
			}{
				{"bonded", sl.GetBonded(), want.Available.Add(want.Display)}, {"available", sl.GetAvailable(), want.Available}, {"display", sl.GetDisplay(), want.Display},
				{"reserved", sl.GetReserved(), decimal.Zero}, {"non-bonded", sl.GetNonBonded(), decimal.Zero}, {"non-bonded reserved", sl.GetNonBondedReserved(), decimal.Zero},
				{"inspection", sl.GetInspection(), decimal.Zero}, {"undeclared", sl.GetUndeclared(), decimal.Zero},
			} {
				if g, err := decimal.NewFromString(f.got); err != nil || !g.Equal(f.want) {
					r.miss("%s line %d %s %s: server %q, demo expects %s", r.cast.W.No, sl.GetBookSeq(), f.name, when, f.got, f.want)
				}
			}
		}
	}
	return nil
}
