package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

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
	Entry LogisticsStep
	// Form is the type-C display-trading form as filed.
	Form  *customsv1.Form
	Moves []DisplayMove
	// StatusMonthEnd is the form's display status before customs recorded
	// the payment (overdue judged as of the month's last day); StatusNow
	// after it.
	StatusMonthEnd, StatusNow *customsv1.GetDisplayStatusResponse
	PaymentNo                 string
	Payment                   *customsv1.PayDisplayTaxResponse
	// DisplayTaxable are the warehouse book's taxable events: the display
	// sales' lines.
	DisplayTaxable []*customsv1.TaxableEvent
	Orders         []*EcommerceOrder
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

// DisplayMove is a display movement as it went.
type DisplayMove struct {
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

// EcommerceOrder is an e-commerce order as it went.
type EcommerceOrder struct {
	No       string
	Buyer    string
	Goods    string
	Dutiable decimal.Decimal
	Quote    *customsv1.QuoteResponse
	Sent     string
	Expect   string
	Note     string
	Status   customsv1.OrderStatus
	Reason   string
	Message  string
	List     *customsv1.InventoryList
	Returned bool
	BuyerID  string
	Withheld string // the tax the order withheld, as the server has it
	Paid     string // the order's actual paid, as the server has it
	// API: the order document went by SubmitOrder, not as a message.
	API  bool
	plan *shopOrder
}

// salesRun drives the centre.
type salesRun struct {
	c       *client
	cast    *salesCast
	lc      *logisticsRun // files the entry list and drives the vehicle
	p       *play         // lc's
	res     *SalesResult
	lastDay string
	script  *salesScript
	model   *salesModel
	formNo  string
}

func (r *salesRun) miss(format string, args ...any) {
	r.res.Mismatches = append(r.res.Mismatches, fmt.Sprintf(format, args...))
}

// runSales runs the sales and service centre: the month's entry and
// display trading, then today's payment of the display tax and the day of
// e-commerce. It fails on any call that does not answer as planned;
// differences in the end state are collected in res.Mismatches.
func runSales(ctx context.Context, c *client, cast *salesCast, year int, month time.Month, days int, lastDay string) (*SalesResult, error) {
	res := &SalesResult{Today: businessDate(time.Now())}
	script, model, err := predictSales(cast, year, int(month), days, ecomOutboxDay)
	if err != nil {
		return res, fmt.Errorf("planning the sales and service centre: %w", err)
	}
	r := &salesRun{c: c, cast: cast, res: res, lastDay: lastDay, script: script, model: model}
	if lastDay >= res.Today {
		return res, fmt.Errorf("the sales and service centre dates its movements in %s through %s, which must be over; today is %s", month, lastDay, res.Today)
	}
	r.lc = sceneRun(ctx, c, &logisticsCast{Yecheng: cast.Yuncang, T: cast.W, Books: []*customsBook{cast.W}}, year, month)
	r.lc.todayStart, r.p = res.Today, r.lc.p
	steps := []struct {
		what string
		fn   func()
	}{{"set-up", r.setup}, {"entry", r.entry}, {"display trading", r.display}, {"e-commerce", r.ecommerce}, {"stock report", r.stock}}
	for _, s := range steps {
		if s.fn(); r.p.err != nil {
			res.Calls = r.lc.res.Calls
			return res, fmt.Errorf("sales and service centre, %s: %w", s.what, r.p.err)
		}
	}
	res.Calls = r.lc.res.Calls
	slices.Sort(res.Mismatches)
	return res, nil
}

// setup: customs registers the two enterprises; the warehouse registers its
// book, lines and the shop's part numbers; customs registers the shop's
// channel, with the shop as the guarantor of its tax.
func (r *salesRun) setup() {
	registerEnterprises(r.p, r.cast.Yuncang, r.cast.Yefeng)
	w, yw := r.cast.W, r.cast.Yuncang.Principal
	w.open(r.p)
	parts := map[string]int32{}
	for _, s := range r.cast.SKUs {
		parts[s.Part] = s.Line.Seq
	}
	do(r.p, yw, r.c.books.MapPartNumbers, &customsv1.MapPartNumbersRequest{BookNo: w.No, Parts: parts})
	ch := &customsv1.RegisterChannelRequest{Enterprise: r.cast.Yefeng.USCC, Name: r.cast.Yefeng.Name, Platform: r.cast.Platform.Code, BookNo: w.No, Guarantor: r.cast.Yefeng.USCC}
	g := do(r.p, "customs-4601", r.c.ecom.RegisterChannel, ch).GetChannel()
	if g.GetBookNo() != w.No || g.GetGuarantor() != ch.GetGuarantor() || g.GetPlatform() != ch.GetPlatform() {
		r.p.fail("RegisterChannel recorded %v", g)
	}
}

// entry brings the goods in from abroad as the logistics centre's steps
// do: a first-line list (5034), a type-2 pass, the gate.
func (r *salesRun) entry() {
	if r.lc.step(r.script.Entry); r.p.err != nil {
		return
	}
	out := r.lc.res.Steps[len(r.lc.res.Steps)-1]
	if out.GateDate != out.Date {
		r.miss("entry: the vehicle passed on %s, the demo drove it on %s", out.GateDate, out.Date)
	}
	r.res.Entry = out
}

// stock reads the warehouse book's stock report as of the month's last day
// and now, and compares it with the model.
func (r *salesRun) stock() {
	for _, view := range []struct {
		asOf  string
		into  *[]*customsv1.StockLine
		model map[int32]*shelfStock
	}{{r.lastDay, &r.res.MonthEnd, r.model.monthEnd}, {"", &r.res.Stock, r.model.stock}} {
		want := map[int32]map[string]decimal.Decimal{}
		for seq, st := range view.model {
			want[seq] = map[string]decimal.Decimal{"bonded": st.Available.Add(st.Display), "available": st.Available, "display": st.Display}
		}
		*view.into = readStock(r.p, r.cast.W.No, view.asOf, want, r.miss)
	}
}
