package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// LogisticsResult is what the logistics centre's month did, for callers
// and tests.
type LogisticsResult struct {
	Calls   int
	Elapsed time.Duration
	// Today is the server's business date when the centre ran: the held
	// vehicle, released by customs, is booked on it (every list is dated on
	// its step's day, 业务日期, and so are the list's journals).
	Today string
	Steps []LogisticsStep
	// MonthEnd is the server's stock report per book as of the month's last
	// day, Stock the same now, both read as customs.
	MonthEnd, Stock map[string][]*customsv1.StockLine
	// Taxable are the TW book's taxable events, with their assessment.
	Taxable []*customsv1.TaxableEvent
	// Pending are the trips not yet declared, as of the last day of the
	// simulated month; PendingToday the same as of the server's today.
	Pending, PendingToday []*customsv1.PendingTrip
	// Held is the pass the gate held, as customs released it.
	Held *customsv1.Pass
	// Refusal is the reason of the refused declaration.
	Refusal, RefusalMessage string
	// EcomExit is the server's refusal of 1210 goods leaving on an
	// ordinary verification list.
	EcomExit CallRefusal
	// Consignment is the multi-line sale whose lines each owe under the
	// 50-CNY duty de-minimis: its taxable events and TaxService/Quote of
	// its lines together, as the server answered.
	Consignment TaxedConsignment
	// Transfers are the intra-zone transfer journals.
	Transfers []ListTransfer
	// Journals are the customs books' journals (both books), by ID.
	Journals map[int64]*ledgerv1.Journal
	// Mismatches lists everything that differs from the demo's own model:
	// stock, taxable events, pending trips, journal dates.
	Mismatches []string
}

// LogisticsStep is one step of the logistics centre as it went.
type LogisticsStep struct {
	N    int
	Day  string // the step's business day in the month
	Kind string
	// Date is the business date of the step's lists, "YYYY-MM-DD": their
	// journals are dated on it.
	Date     string
	Goods    string
	Lists    []string // list numbers (and slip numbers of trips)
	Pass     string
	Gate     string // what the gate did
	Journals []int64
	// GateJournal is the journal the pass booked (0 if none).
	GateJournal int64
	// GateDate is the business date the gate journal must have: the gate
	// event's, or the server's today for a held vehicle released by customs.
	GateDate string
}

// CallRefusal is a call the server refused: its gRPC code, ErrorInfo
// reason and message.
type CallRefusal struct {
	Code, Reason, Message string
}

// TaxedConsignment is one list's taxable events (one consignment, 一票) and
// TaxService/Quote of the same lines together.
type TaxedConsignment struct {
	ListNo string
	Events []*customsv1.TaxableEvent
	Quote  *customsv1.QuoteResponse
}

// ListTransfer is an intra-zone transfer: two lists, one journal.
type ListTransfer struct {
	SellerList, BuyerList string
	Journal               int64
	Goods                 string
}

// logisticsRun drives the customs services for one month.
type logisticsRun struct {
	c          *client
	p          *play // makes the run's calls, counted in res.Calls
	cast       *logisticsCast
	res        *LogisticsResult
	year       int
	month      time.Month
	formNo     string
	trips      map[int]string    // trip number → slip number
	tripGoods  map[int][]lineQty // trip number → goods
	listNos    map[[2]int]string
	counters   map[string]int
	todayStart string
}

func (r *logisticsRun) date(day int) time.Time {
	return time.Date(r.year, r.month, day, 0, 0, 0, 0, zoneLocation)
}

// next numbers an enterprise's own documents: YCQD0001, YCHF0001, ...
func (r *logisticsRun) next(prefix string) string {
	r.counters[prefix]++
	return fmt.Sprintf("%s%s%04d", prefix, r.date(1).Format("0601"), r.counters[prefix])
}

// reasonOf is the ErrorInfo reason of a gRPC error.
func reasonOf(err error) (reason, msg string) {
	st, ok := status.FromError(err)
	if !ok {
		return "", err.Error()
	}
	if info := errorsv1.InfoOf(err); info != nil {
		return info.GetReason(), st.Message()
	}
	return st.Code().String(), st.Message()
}

// runLogistics runs the logistics centre's month. It fails on any call
// that does not answer as planned; differences in the end state are
// collected in res.Mismatches.
func runLogistics(ctx context.Context, c *client, cast *logisticsCast, year int, month time.Month, days int, lastDay string) (*LogisticsResult, error) {
	steps, m, err := planLogistics(cast, days)
	if err != nil {
		return nil, fmt.Errorf("planning the logistics centre: %w", err)
	}
	r := sceneRun(ctx, c, cast, year, month)
	r.trips, r.tripGoods, r.listNos, r.todayStart = map[int]string{}, map[int][]lineQty{}, map[[2]int]string{}, businessDate(time.Now())
	r.res.MonthEnd, r.res.Stock, r.res.Journals = map[string][]*customsv1.StockLine{}, map[string][]*customsv1.StockLine{}, map[int64]*ledgerv1.Journal{}
	r.res.Today = r.todayStart
	// Lists are dated on their days and cannot be dated in the future; and
	// the model takes what customs books today (the held vehicle) to fall
	// after the month. So the simulated days must be over.
	if last := r.date(days).Format("2006-01-02"); last >= r.todayStart {
		return r.res, fmt.Errorf("the logistics centre dates its lists on the days of %s through %s, which must be over; today is %s",
			r.date(1).Format("January 2006"), last, r.todayStart)
	}
	if r.setup(days); r.p.err != nil {
		return r.res, fmt.Errorf("logistics centre, set-up: %w", r.p.err)
	}
	for _, s := range steps {
		if r.step(s); r.p.err != nil {
			return r.res, fmt.Errorf("logistics centre, step %d (%s, day %d): %w", s.N, stepNames[s.Kind], s.Day, r.p.err)
		}
	}
	r.check(m, steps, lastDay)
	return r.res, r.p.err
}

// setup: customs registers the enterprises; each registers its own book
// and lines (自主备案); the logistics enterprise files its 分送集报 form.
func (r *logisticsRun) setup(days int) {
	registerEnterprises(r.p, r.cast.Yecheng, r.cast.Nandu)
	for _, b := range r.cast.Books {
		b.open(r.p)
	}
	// The 分送集报 form covers the month; CreateSlip checks the form against
	// the server's today, so it runs until today too (a form runs at most a year).
	from := r.date(1)
	until := r.date(days)
	if today, _ := time.ParseInLocation("2006-01-02", r.todayStart, zoneLocation); today.After(until) {
		until = today.AddDate(0, 0, 7)
	}
	if until.Sub(from) > 365*24*time.Hour {
		from = until.AddDate(-1, 0, 1)
	}
	inner := r.next("YCSQ")
	f := do(r.p, r.cast.Yecheng.Principal, r.c.decl.CreateForm, &customsv1.CreateFormRequest{InnerNo: inner, BookNo: r.cast.T.No, FormType: "A",
		ValidFrom: from.Format("2006-01-02"), ValidUntil: until.Format("2006-01-02"), Guarantee: "200000.00",
		Note: "分送集报：奶粉分批出区配送至区外经销商，次月前集中申报"})
	r.formNo = f.GetForm().GetFormNo()
}

// listLines builds a list's lines, valued at price and weighed.
func listLines(b *customsBook, qs []lineQty, price func(*bookLine) decimal.Decimal, country string) []*customsv1.ListLine {
	var out []*customsv1.ListLine
	for _, q := range qs {
		l := b.line(q.Seq)
		ln := &customsv1.ListLine{BookSeq: q.Seq, Quantity: q.Qty.String(), Total: amount(q.Qty, price(l)).StringFixed(2), Currency: "142",
			GrossWeight: q.Qty.Mul(l.GrossPer).Round(3).String(), NetWeight: q.Qty.Mul(l.NetPer).Round(3).String()}
		ln.Country = cmp.Or(country, l.Country)
		out = append(out, ln)
	}
	return out
}

func entryPrice(l *bookLine) decimal.Decimal { return l.Price }
func salePrice(l *bookLine) decimal.Decimal  { return l.Sale }

// draft creates a list as who; its business date must be the one filed.
func (r *logisticsRun) draft(who string, req *customsv1.CreateListRequest) *customsv1.List {
	l := do(r.p, who, r.c.decl.CreateList, req).GetList()
	if l.GetDate() != req.GetDate() {
		r.p.fail("list %s was filed for %s, its business date is %s", l.GetListNo(), req.GetDate(), l.GetDate())
	}
	return l
}

// file creates a list, declares it and, unless approve is false, has
// customs approve it.
func (r *logisticsRun) file(who string, req *customsv1.CreateListRequest, approve bool) *customsv1.List {
	l := r.draft(who, req)
	l = do(r.p, who, r.c.decl.DeclareList, &customsv1.DeclareListRequest{ListNo: l.GetListNo()}).GetList()
	if !approve {
		return l
	}
	return do(r.p, "customs-4601", r.c.decl.ApproveList, &customsv1.ApproveListRequest{ListNo: l.GetListNo(), Note: "审核通过"}).GetList()
}

// drive files a pass for the step's vehicle and has the gate record it at
// the step's day; a hold is released by customs after inspection.
func (r *logisticsRun) drive(s plannedStep, out *LogisticsStep, req *customsv1.CreatePassRequest, gross, net decimal.Decimal) {
	req.InnerNo, req.BookNo = r.next(r.cast.Yecheng.Prefix+"HF"), r.cast.T.No
	req.Vehicle, req.Container = s.Vehicle, s.Container
	req.GrossWeight, req.NetWeight = gross.String(), net.String()
	for f, v := range map[*string]decimal.Decimal{&req.VehicleWeight: s.VehicleKg, &req.FrameWeight: s.FrameKg, &req.ContainerWeight: s.ContainerTare} {
		if v.IsPositive() {
			*f = v.String()
		}
	}
	ps := do(r.p, r.cast.Yecheng.Principal, r.c.gate.CreatePass, req).GetPass()
	out.Pass = ps.GetPassNo()
	// The scale: tares plus the goods, give or take a few kg; a held
	// vehicle carries HoldKg more than declared.
	noise := decimal.NewFromInt(int64(s.N*7%13 - 6))
	scale := s.VehicleKg.Add(s.FrameKg).Add(s.ContainerTare).Add(gross).Add(noise).Add(s.HoldKg)
	at := r.date(s.Day).Add(time.Duration(8*60+s.N*37%540) * time.Minute)
	ps = do(r.p, "customs-4601", r.c.gate.RecordGateEvent, &customsv1.RecordGateEventRequest{PassNo: ps.GetPassNo(),
		EventId: fmt.Sprintf("KK1-%s-%03d", at.Format("20060102"), s.N), Gate: 1, Vehicle: s.Vehicle, Container: s.Container,
		ScaleGross: scale.String(), At: timestamppb.New(at)}).GetPass()
	out.GateDate = businessDate(at)
	if r.p.err != nil {
		return
	}
	if s.HoldKg.IsPositive() {
		if ps.GetStatus() != customsv1.PassStatus_PASS_STATUS_HELD || len(ps.GetHoldReasons()) == 0 {
			r.p.fail("pass %s: the scale read %s kg more than declared, yet the gate answered %s", ps.GetPassNo(), s.HoldKg, ps.GetStatus())
			return
		}
		out.Gate = "held " + at.Format("15:04") + " → released"
		note := fmt.Sprintf("开箱查验：多出木托盘及缠绕膜约 %s 千克，货物品名、数量与申报相符，放行", s.HoldKg)
		ps = do(r.p, "customs-4601", r.c.gate.ReleaseHold, &customsv1.ReleaseHoldRequest{PassNo: ps.GetPassNo(), Note: note}).GetPass()
		if r.p.err != nil || ps.GetNote() != note || len(ps.GetHoldReasons()) != 0 {
			r.p.fail("pass %s released: note %q, hold reasons %v; expected the release note and no hold reasons", ps.GetPassNo(), ps.GetNote(), ps.GetHoldReasons())
			return
		}
		evs := ps.GetEvents()
		out.GateDate = businessDate(evs[len(evs)-1].GetAt().AsTime())
		if !r.isToday(out.GateDate) {
			r.p.fail("pass %s was released on %s, not the server's today %s", ps.GetPassNo(), out.GateDate, r.todayStart)
		}
		r.res.Held = ps
	} else {
		out.Gate = "passed " + at.Format("15:04")
	}
	wantPassed(r.p, ps)
	out.GateJournal = ps.GetJournalId()
	out.Journals = append(out.Journals, ps.GetJournalId())
}

// driveLists drives the step's vehicle through the gate on a pass of
// passType carrying the lists (one vehicle, one or several lists), then
// reads the lists again as who: each must be cleared.
func (r *logisticsRun) driveLists(s plannedStep, out *LogisticsStep, who, passType, io string, ls []*customsv1.List) {
	req := &customsv1.CreatePassRequest{PassType: passType, BindType: "2", Io: io, RelatedType: "1"}
	if len(ls) > 1 {
		req.BindType = "1" // 一车多票
	}
	for _, l := range ls {
		req.RelatedNos = append(req.RelatedNos, l.GetListNo())
	}
	gross, net := weights(ls...)
	r.drive(s, out, req, gross, net)
	for i := range ls {
		r.refresh(who, &ls[i])
		wantList(r.p, ls[i], customsv1.ListStatus_LIST_STATUS_CLEARED)
	}
}

func weights(ls ...*customsv1.List) (gross, net decimal.Decimal) {
	for _, l := range ls {
		g, _ := decimal.NewFromString(l.GetGrossWeight())
		n, _ := decimal.NewFromString(l.GetNetWeight())
		gross, net = gross.Add(g), net.Add(n)
	}
	return gross, net
}

// wantList fails the play unless the list is in status st.
func wantList(p *play, l *customsv1.List, st customsv1.ListStatus) {
	if l.GetStatus() != st {
		p.fail("list %s is %s, expected %s", l.GetListNo(), l.GetStatus(), st)
	}
}

func (r *logisticsRun) step(s plannedStep) {
	t, yc, lists := r.cast.T, r.cast.Yecheng.Principal, r.cast.Yecheng.Prefix+"QD"
	// Every list of the step is dated on its day (业务日期), so its own
	// journals fall in the month.
	date := r.date(s.Day).Format("2006-01-02")
	out := LogisticsStep{N: s.N, Day: r.date(s.Day).Format("01-02"), Date: date, Kind: stepNames[s.Kind]}
	var goods []string
	for _, l := range s.Lists {
		goods = append(goods, goodsOf(t, l))
	}
	out.Goods = strings.Join(goods, " + ")
	addJournals := func(ls ...*customsv1.List) {
		for _, l := range ls {
			for _, j := range l.GetJournalIds() {
				if !slices.Contains(out.Journals, j) {
					out.Journals = append(out.Journals, j)
				}
			}
		}
	}
	list := func(l *customsv1.List) {
		out.Lists = append(out.Lists, l.GetListNo())
	}
	switch s.Kind {
	case stepFirstIn, stepFirstOut, stepNonDeclIn, stepNonDeclOut:
		io, flag, pt, price, country := "I", "1", "2", entryPrice, ""
		if s.Kind == stepFirstOut || s.Kind == stepNonDeclOut {
			io, country = "E", s.Country
		}
		if s.Kind == stepNonDeclIn || s.Kind == stepNonDeclOut {
			flag, pt = "2", "4"
		}
		req := &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, Io: io, TradeMode: "5034", DeclareFlag: flag,
			Country: country, Lines: listLines(t, s.Lists[0], price, country), Date: date}
		if flag == "1" {
			req.DeclarationKind = "2"
		}
		l := r.file(yc, req, true)
		list(l)
		ls := []*customsv1.List{l}
		r.driveLists(s, &out, yc, pt, io, ls)
		addJournals(ls...)

	case stepSwitchToBonded, stepSwitchToNonbond:
		io := "I"
		if s.Kind == stepSwitchToNonbond {
			io = "E"
		}
		l := r.file(yc, &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, ListType: "Z", Io: io, TradeMode: "5034",
			DeclarationKind: "2", Lines: listLines(t, s.Lists[0], salePrice, ""), Date: date}, true)
		list(l)
		if s.Clear {
			declNo := fmt.Sprintf("%s%d%s%09d", customsOffice, r.year, map[string]string{"I": "1", "E": "0"}[io], 700000+s.N)
			l = do(r.p, yc, r.c.decl.ClearList, &customsv1.ClearListRequest{ListNo: l.GetListNo(), DeclarationNo: declNo}).GetList()
			wantList(r.p, l, customsv1.ListStatus_LIST_STATUS_CLEARED)
			out.Gate = "ClearList, 报关单 " + declNo
		} else {
			out.Gate = "报关单 not yet released"
		}
		addJournals(l)

	case stepTransfer:
		h := r.cast.H
		seller := r.file(yc, &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, ListType: "6", Io: "E", TradeMode: "5034",
			RelatedBookNo: h.No, Lines: listLines(t, s.Lists[0], func(*bookLine) decimal.Decimal { return h.line(s.Into[0].Seq).Price }, ""), Date: date}, false)
		buyer := r.file(r.cast.Nandu.Principal, &customsv1.CreateListRequest{InnerNo: r.next("NDQD"), BookNo: h.No, ListType: "6", Io: "I", TradeMode: "5015",
			RelatedListNo: seller.GetListNo(), Lines: listLines(h, s.Into, entryPrice, ""), Date: date}, false)
		for _, l := range []**customsv1.List{&seller, &buyer} {
			*l = do(r.p, "customs-4601", r.c.decl.ApproveList, &customsv1.ApproveListRequest{ListNo: (*l).GetListNo(), Note: "区内流转，审核通过"}).GetList()
		}
		r.refresh(yc, &seller)
		for _, l := range []*customsv1.List{seller, buyer} {
			wantList(r.p, l, customsv1.ListStatus_LIST_STATUS_CLEARED)
		}
		sj, bj := seller.GetJournalIds(), buyer.GetJournalIds()
		if len(sj) == 0 || len(bj) == 0 || sj[len(sj)-1] != bj[len(bj)-1] {
			r.p.fail("transfer lists %s and %s were booked by journals %v and %v, expected one journal", seller.GetListNo(), buyer.GetListNo(), sj, bj)
			return
		}
		list(seller)
		list(buyer)
		out.Gate = "both approved → cleared"
		out.Goods += fmt.Sprintf(" → %s line %d", h.No, s.Into[0].Seq)
		r.res.Transfers = append(r.res.Transfers, ListTransfer{SellerList: seller.GetListNo(), BuyerList: buyer.GetListNo(), Journal: sj[len(sj)-1], Goods: out.Goods})
		addJournals(seller, buyer)

	case stepTrip:
		req := &customsv1.CreateSlipRequest{InnerNo: r.next("YCCK"), BookNo: t.No, ApplyNo: r.formNo, Io: "E"}
		gross, net := decimal.Zero, decimal.Zero
		for _, q := range s.Lists[0] {
			l := t.line(q.Seq)
			g, n := q.Qty.Mul(l.GrossPer).Round(3), q.Qty.Mul(l.NetPer).Round(3)
			gross, net = gross.Add(g), net.Add(n)
			req.Lines = append(req.Lines, &customsv1.SlipLine{BookSeq: q.Seq, Quantity: q.Qty.String(), Value: amount(q.Qty, l.Sale).StringFixed(2),
				GrossWeight: g.String(), NetWeight: n.String()})
		}
		sl := do(r.p, yc, r.c.decl.CreateSlip, req).GetSlip()
		out.Lists = append(out.Lists, sl.GetSlipNo())
		r.drive(s, &out, &customsv1.CreatePassRequest{PassType: "3", Io: "E", RelatedType: "2", RelatedNos: []string{sl.GetSlipNo()}}, gross, net)
		r.trips[s.Trip], r.tripGoods[s.Trip] = sl.GetSlipNo(), s.Lists[0]

	case stepCollective:
		var slips []string
		for _, n := range s.Trips {
			slips = append(slips, r.trips[n])
		}
		m := &logisticsModel{cast: r.cast, trips: map[int][]lineQty{}}
		for _, n := range s.Trips {
			m.trips[n] = r.tripGoods[n]
		}
		var lines []*customsv1.ListLine
		var qs []lineQty
		for _, g := range m.collectiveLines(s.Trips) {
			lines = append(lines, &customsv1.ListLine{BookSeq: g.Seq, Quantity: g.Qty.String(), Total: g.Value.StringFixed(2), Currency: "142"})
			qs = append(qs, lineQty{Seq: g.Seq, Qty: g.Qty})
		}
		out.Goods = goodsOf(t, qs) + fmt.Sprintf(" (trips %v)", s.Trips)
		l := r.file(yc, &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, ListType: "1", Io: "E", TradeMode: "0110",
			DeclarationKind: "2", ApplyNo: r.formNo, SlipNos: slips, Lines: lines, Date: date}, true)
		wantList(r.p, l, customsv1.ListStatus_LIST_STATUS_CLEARED)
		list(l)
		out.Gate = fmt.Sprintf("%d slips declared", len(slips))
		r.listNos[[2]int{s.N, 0}] = l.GetListNo()

	case stepSale:
		var ls []*customsv1.List
		for i, qs := range s.Lists {
			l := r.file(yc, &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, Io: "E", TradeMode: "0110", DeclarationKind: "2",
				Lines: listLines(t, qs, salePrice, ""), Date: date}, true)
			r.listNos[[2]int{s.N, i}] = l.GetListNo()
			list(l)
			ls = append(ls, l)
		}
		if s.Gate {
			r.driveLists(s, &out, yc, "3", "E", ls)
		} else {
			out.Gate = "approved, vehicle next month"
		}
		addJournals(ls...)

	case stepEcomExitRefused:
		r.res.EcomExit = refuse(r.p, "a 1210 list out to the domestic market ("+out.Goods+")", reasonEcomExit, yc, r.c.decl.CreateList,
			&customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, Io: "E", TradeMode: "1210",
				DeclarationKind: "2", Lines: listLines(t, s.Lists[0], salePrice, ""), Date: date})
		out.Gate = "refused: " + r.res.EcomExit.Code + " " + r.res.EcomExit.Reason

	case stepSaleRefused:
		l := r.draft(yc, &customsv1.CreateListRequest{InnerNo: r.next(lists), BookNo: t.No, Io: "E", TradeMode: "0110",
			DeclarationKind: "2", Lines: listLines(t, s.Lists[0], salePrice, ""), Date: date})
		list(l)
		refusal := refuse(r.p, "declaring list "+l.GetListNo()+" ("+out.Goods+")", reasonInsufficientBonded, yc, r.c.decl.DeclareList,
			&customsv1.DeclareListRequest{ListNo: l.GetListNo()})
		r.res.Refusal, r.res.RefusalMessage = refusal.Reason, refusal.Message
		l = do(r.p, yc, r.c.decl.DeleteList, &customsv1.DeleteListRequest{ListNo: l.GetListNo()}).GetList()
		wantList(r.p, l, customsv1.ListStatus_LIST_STATUS_DELETED)
		out.Gate = r.res.Refusal + ", deleted"
	}
	slices.Sort(out.Journals)
	r.res.Steps = append(r.res.Steps, out)
}

// reasonInsufficientBonded is what declaring more than the available
// bonded stock answers.
var reasonInsufficientBonded = errorsv1.Reason_INSUFFICIENT_BONDED_STOCK.String()

// reasonEcomExit is what filing 1210 goods out on a verification list
// answers: they leave only on e-commerce inventory lists.
var reasonEcomExit = errorsv1.Reason_ECOMMERCE_EXIT_BY_INVENTORY_LIST.String()

// refresh reads a list again.
func (r *logisticsRun) refresh(who string, l **customsv1.List) {
	if got := do(r.p, who, r.c.decl.GetList, &customsv1.GetListRequest{ListNo: (*l).GetListNo()}).GetList(); got != nil {
		*l = got
	}
}

// check reads the end state as customs and compares it with the model.
func (r *logisticsRun) check(m *logisticsModel, steps []plannedStep, lastDay string) {
	res := r.res
	miss := func(format string, args ...any) {
		res.Mismatches = append(res.Mismatches, fmt.Sprintf(format, args...))
	}

	// The stock report of both books as of the month's last day, and now:
	// the held vehicle released by customs today is the only difference.
	for _, view := range []struct {
		asOf  string
		lines map[string][]*customsv1.StockLine
		model stockBooks
	}{{lastDay, res.MonthEnd, m.monthEnd}, {"", res.Stock, m.stock}} {
		for _, b := range r.cast.Books {
			want := map[int32]map[string]decimal.Decimal{}
			for seq, st := range view.model[b.No] {
				want[seq] = st.columns()
			}
			view.lines[b.No] = readStock(r.p, b.No, view.asOf, want, miss)
		}
	}

	// Taxable events: exactly the expected ones, each assessed as the tax
	// service quotes the same goods.
	res.Taxable = pages(r.p, "customs-4601", r.c.decl.ListTaxableEvents, func(tok string) *customsv1.ListTaxableEventsRequest {
		return &customsv1.ListTaxableEventsRequest{BookNo: r.cast.T.No, PageSize: 1000, PageToken: tok}
	}, (*customsv1.ListTaxableEventsResponse).GetEvents)
	got := map[string]*customsv1.TaxableEvent{}
	byList := map[string][]*customsv1.TaxableEvent{} // each list's events are one consignment (一票)
	for _, ev := range res.Taxable {
		got[fmt.Sprintf("%s/%d", ev.GetListNo(), ev.GetListSeq())] = ev
		byList[ev.GetListNo()] = append(byList[ev.GetListNo()], ev)
	}
	for _, want := range m.taxes {
		no := r.listNos[[2]int{want.Step, want.List}]
		if no == "" { // a 区内直转 list: find it in the step log
			for _, s := range res.Steps {
				if s.N == want.Step {
					no = s.Lists[want.List]
				}
			}
		}
		k := fmt.Sprintf("%s/%d", no, want.ListSeq)
		ev, ok := got[k]
		delete(got, k)
		if !ok {
			miss("taxable event of list %s line %d (step %d): missing", no, want.ListSeq, want.Step)
			continue
		}
		date, dated := r.date(want.Day).Format("2006-01-02"), false
		if want.Late {
			date, dated = "the server's today", r.isToday(ev.GetDate())
		} else {
			dated = ev.GetDate() == date
		}
		qty, _ := decimal.NewFromString(ev.GetQuantity())
		val, _ := decimal.NewFromString(ev.GetDutiableValue())
		if !qty.Equal(want.Qty) || !val.Equal(want.Value) || ev.GetBookSeq() != want.Seq || ev.GetTradeMode() != want.Mode || !dated {
			miss("taxable event %d (list %s line %d): %s of line %d worth %s, %s, on %s; demo expects %s of line %d worth %s, %s, on %s",
				ev.GetId(), no, want.ListSeq, ev.GetQuantity(), ev.GetBookSeq(), ev.GetDutiableValue(), ev.GetTradeMode(), ev.GetDate(),
				want.Qty, want.Seq, want.Value.StringFixed(2), want.Mode, date)
		}
		if err := r.checkAssessment(ev, byList[ev.GetListNo()]); err != nil {
			miss("taxable event %d (list %s line %d): %v", ev.GetId(), no, want.ListSeq, err)
		}
	}
	for _, st := range steps {
		if !st.Consignment {
			continue
		}
		no := r.listNos[[2]int{st.N, 0}]
		q := r.quote(byList[no])
		res.Consignment = TaxedConsignment{ListNo: no, Events: byList[no], Quote: q}
	}
	for k, ev := range got {
		miss("taxable event %d (%s): not expected by the demo", ev.GetId(), k)
	}

	// Pending trips, as of the month's last day and as of today.
	for _, asOf := range []string{lastDay, ""} {
		trips := do(r.p, "customs-4601", r.c.decl.ListPendingTrips, &customsv1.ListPendingTripsRequest{BookNo: r.cast.T.No, AsOf: asOf}).GetTrips()
		if asOf == "" {
			res.PendingToday = trips
			continue
		}
		res.Pending = trips
		// The deadline and the days left are the server's to say; the
		// demo knows which trips it drove, and when.
		var want, have []string
		for _, n := range m.pendingTrips() {
			want = append(want, r.trips[n])
			for _, tr := range trips {
				if tr.GetSlip().GetSlipNo() == r.trips[n] && tr.GetSlip().GetPassedOn() != r.date(m.tday[n]).Format("2006-01-02") {
					miss("pending trip %s: passed %s; the demo drove it on %s", tr.GetSlip().GetSlipNo(), tr.GetSlip().GetPassedOn(), r.date(m.tday[n]).Format("2006-01-02"))
				}
			}
		}
		for _, tr := range trips {
			have = append(have, tr.GetSlip().GetSlipNo())
		}
		sort.Strings(want)
		if !slices.Equal(want, have) {
			miss("pending trips %v, demo expects %v", have, want)
		}
	}

	// The customs books' journals.
	for _, b := range r.cast.Books {
		for _, j := range pages(r.p, "customs-4601", r.c.ledger.ListJournals, func(tok string) *ledgerv1.ListJournalsRequest {
			return &ledgerv1.ListJournalsRequest{BookId: b.No, PageSize: 1000, PageToken: tok}
		}, (*ledgerv1.ListJournalsResponse).GetJournals) {
			res.Journals[j.GetJournalId()] = j
		}
	}

	// Journal dates: every journal of a step is dated on the step's day,
	// its lists' business date; the gate journal of a held vehicle on its
	// release by customs, the server's today.
	for _, s := range res.Steps {
		for _, id := range s.Journals {
			j, ok := res.Journals[id]
			switch {
			case !ok:
				miss("step %d: journal %d is not on the books", s.N, id)
			case id == s.GateJournal && j.GetEffectiveDate() != s.GateDate:
				miss("step %d: gate journal %d is dated %s, the vehicle passed on %s", s.N, id, j.GetEffectiveDate(), s.GateDate)
			case id != s.GateJournal && j.GetEffectiveDate() != s.Date:
				miss("step %d: journal %d (%s) is dated %s, not the lists' business date %s", s.N, id, j.GetIdempotencyKey(), j.GetEffectiveDate(), s.Date)
			}
		}
	}
	// The transfer journals take the goods off one book and put them on the other.
	for _, tr := range res.Transfers {
		j := res.Journals[tr.Journal]
		books := map[string]bool{}
		for _, p := range j.GetPostings() {
			books[p.GetFrom().GetBookId()+">"+p.GetTo().GetBookId()] = true
		}
		if j == nil || !books[r.cast.T.No+">"] || !books[">"+r.cast.H.No] {
			miss("transfer journal %d does not move goods from %s to %s", tr.Journal, r.cast.T.No, r.cast.H.No)
		}
	}
	slices.Sort(res.Mismatches)
}

// isToday: date is the server's business date now, or when the centre
// started (the run may straddle midnight).
func (r *logisticsRun) isToday(date string) bool {
	return date == r.todayStart || date == businessDate(time.Now())
}

// checkAssessment compares an event's assessment with TaxService/Quote of
// its consignment (the events of its list, 一票, in order) on the same date:
// the event equals its line of the quote.
func (r *logisticsRun) checkAssessment(ev *customsv1.TaxableEvent, consignment []*customsv1.TaxableEvent) error {
	if ev.GetAssessError() != "" || ev.GetRule() != "DOMESTIC_SALE" {
		return fmt.Errorf("not assessed: rule %q, %s", ev.GetRule(), ev.GetAssessError())
	}
	at := slices.Index(consignment, ev)
	if at < 0 {
		return fmt.Errorf("event %d is not in its consignment", ev.GetId())
	}
	q := r.quote(consignment)
	if len(q.GetLines()) != len(consignment) {
		return fmt.Errorf("TaxService/Quote answered %d lines for %d", len(q.GetLines()), len(consignment))
	}
	ql := q.GetLines()[at]
	for _, p := range [][2]string{{ev.GetDuty(), ql.GetDuty()}, {ev.GetConsumptionTax(), ql.GetConsumptionTax()}, {ev.GetVat(), ql.GetVat()}, {ev.GetTotal(), ql.GetTotal()}} {
		a, _ := decimal.NewFromString(p[0])
		b, _ := decimal.NewFromString(p[1])
		if !a.Equal(b) {
			return fmt.Errorf("assessed duty/CT/VAT/total %s/%s/%s/%s, TaxService/Quote of its consignment says %s/%s/%s/%s",
				ev.GetDuty(), ev.GetConsumptionTax(), ev.GetVat(), ev.GetTotal(), ql.GetDuty(), ql.GetConsumptionTax(), ql.GetVat(), ql.GetTotal())
		}
	}
	return nil
}

// quote asks TaxService/Quote for a consignment's events together, on the
// first event's date.
func (r *logisticsRun) quote(evs []*customsv1.TaxableEvent) *customsv1.QuoteResponse {
	if len(evs) == 0 {
		r.p.fail("no taxable events to quote")
		return nil
	}
	req := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_DOMESTIC_SALE, Date: evs[0].GetDate()}
	for _, ev := range evs {
		req.Lines = append(req.Lines, &customsv1.QuoteLine{HsCode: ev.GetHsCode(), DutiableValue: ev.GetDutiableValue(), Quantity: ev.GetLegalQuantity(), Unit: ev.GetLegalUnit()})
	}
	return do(r.p, "customs-4601", r.c.tax.Quote, req)
}
