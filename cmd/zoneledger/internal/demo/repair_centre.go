package demo

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The testing, repair and remanufacture centre (检测维修中心, section 18),
// run through RepairService with the zone's lists and passes: a repair
// enterprise keeps a bonded repair book (保税维修账册, kind REPAIR) and runs
// three orders from goods in to goods out, each in a file of its own:
// an aircraft-engine part repaired for a foreign airline
// (repair_engine_part.go), a domestic customer's machine repaired and
// returned (repair_domestic_machine.go) and gearboxes remanufactured
// (repair_gearbox.go). Every refusal, trail, list line and stock figure
// printed is the server's answer; the script states the outcome it
// intends, which the answer must equal.

// repairBook is the repair enterprise's bonded repair book.
const repairBook = "H4601A000310"

// The book's lines.
const (
	repairLineFuelControl = 1 // the foreign airline's engine fuel control unit
	repairLineSeals       = 2 // bonded repair parts for it
	repairLineOldPump     = 3 // its replaced gear pump (旧件)
	repairLineMachine     = 4 // the domestic customer's machining centre
	repairLineOldBearing  = 5 // its replaced spindle bearing (旧件)
	repairLineGearbox     = 6 // gearbox cores and remanufactured gearboxes
	repairLineClutch      = 7 // bonded clutch plates for remanufacture
	repairLineScrap       = 8 // repair scrap (维修边角料), kg
	repairLineNewBearing  = 9 // domestic spindle bearings (国产维修用料件)
)

// repairLines are the book's lines.
var repairLines = []*customsv1.BookLine{
	repairLine(repairLineFuelControl, "8411910000", "航空发动机燃油调节器", "CFM56 燃油控制组件", "007", 0, "035", "18.5"),
	repairLine(repairLineSeals, "8484200000", "燃油调节器密封件组件（维修用料件）", "航材", "007", 0, "035", "0.2"),
	repairLine(repairLineOldPump, "8413910000", "燃油齿轮泵组件（旧件）", "拆下的旧件", "007", 0, "035", "3.2"),
	repairLine(repairLineMachine, "8457101000", "立式加工中心", "客户送修", "001", 0, "001", "1"),
	repairLine(repairLineOldBearing, "8482109000", "主轴轴承（旧件）", "拆下的旧件", "007", 0, "035", "4.5"),
	repairLine(repairLineGearbox, "8708409990", "自动变速箱", "再制造胚料 / 再制造品", "001", 0, "035", "85"),
	repairLine(repairLineClutch, "8708930000", "离合器摩擦片（维修用料件）", "航运进口", "007", 0, "035", "0.4"),
	repairLine(repairLineScrap, "7204490000", "维修边角料（废钢铁）", "拆解产生", "035", 3, "035", "1"),
	repairLine(repairLineNewBearing, "8482109000", "主轴轴承（国产维修用料件）", "区外采购", "007", 0, "035", "4.5"),
}

// repairLine is a material line of the repair book whose legal unit is
// legal, factor of its declared unit.
func repairLine(seq int32, hs, name, spec, unit string, scale int32, legal, factor string) *customsv1.BookLine {
	l := unitLine(seq, hs, name, spec, unit, scale, goodsMaterial)
	l.Legal.Unit, l.Legal.Factor = legal, factor
	return l
}

// repairCast is the repair centre's enterprise.
type repairCast struct {
	Hangxiu *customsEnterprise
}

func newRepairCast() *repairCast {
	return &repairCast{Hangxiu: &customsEnterprise{
		USCC: makeUSCC("460100", "MA5TWX96"), CustomsNo: "4601360096",
		Name: "海口琼航检测维修有限公司", Principal: "qionghang", ShortLabel: "琼航维修", Prefix: "WX",
		Centre: "检测维修 testing, repair and remanufacture (RepairService)",
	}}
}

// repairPrincipals are the principals the admin creates for the centre.
func repairPrincipals(c *repairCast) []principalDef {
	return []principalDef{c.Hangxiu.principal("repair centre (REPAIR book " + repairBook + "): repair orders, old parts, remanufacture")}
}

// RepairScene is one repair order from goods in to goods out.
type RepairScene struct {
	Title string
	// Order is the order as customs reads it at the end (its trail).
	Order *customsv1.RepairOrder
	// Notes are what happened on the zone's documents, as the server
	// answered (a list line's source, a list returned, a registration).
	Notes []string
}

// RepairRefusal is a step the server refused, as the scene intended.
type RepairRefusal struct {
	Scene, What, Reason, Message string
}

// RepairResult is the repair centre as the server answered it.
type RepairResult struct {
	Book     string
	Scenes   []*RepairScene
	Refusals []RepairRefusal
	// Finished is the stock as of the day the last order finished, before
	// its goods left; Now the stock at the end.
	Finished *customsv1.GetRepairStockResponse
	Now      *customsv1.GetRepairStockResponse
	// FinishedDay is that day, "YYYY-MM-DD".
	FinishedDay string
	Calls       int
	Mismatches  []string
}

// repairRun runs the centre on days of the month.
type repairRun struct {
	lc   *logisticsRun
	p    *play // lc's
	rc   customsv1.RepairServiceClient
	cast *repairCast
	res  *RepairResult
	days int
}

func runRepair(ctx context.Context, c *client, cast *repairCast, year int, month time.Month, days int) (*RepairResult, error) {
	r := &repairRun{lc: sceneRun(ctx, c, nil, year, month),
		rc: customsv1.NewRepairServiceClient(c.conn), cast: cast, days: days,
		res: &RepairResult{Book: repairBook}}
	r.p = r.lc.p
	defer func() { r.res.Calls = r.lc.res.Calls }()
	e := cast.Hangxiu
	registerEnterprises(r.p, e)
	openBook(r.p, e.Principal, &customsv1.CreateBookRequest{BookNo: repairBook, Kind: customsv1.BookKind_BOOK_KIND_REPAIR,
		Enterprise: e.USCC, CustomsOffice: customsOffice, WriteOffCycleMonths: 12}, repairLines)
	for _, scene := range []func(){r.engineScene, r.machineScene, r.gearboxScene} {
		if scene(); r.p.err != nil {
			return r.res, r.p.err
		}
	}
	r.res.FinishedDay = r.date(r.day(7))
	r.res.Finished = r.stock(r.res.FinishedDay)
	if r.res.Now = r.stock(""); r.p.err != nil {
		return r.res, r.p.err
	}
	// What is left: the repair parts not used, nothing else.
	want := fmt.Sprint([]string{
		fmt.Sprintf("%d PARTS/ABROAD 6", repairLineSeals), fmt.Sprintf("%d PARTS/ABROAD 4", repairLineClutch), fmt.Sprintf("%d PARTS/DOMESTIC 1", repairLineNewBearing)})
	if got := fmt.Sprint(stockCells(r.res.Now)); got != want {
		r.res.Mismatches = append(r.res.Mismatches, fmt.Sprintf("repair stock now: %s; the demo expects %s", got, want))
	}
	for _, s := range r.res.Scenes {
		if s.Order.GetStatus() != "CLOSED" {
			r.res.Mismatches = append(r.res.Mismatches, fmt.Sprintf("order %s (%s) is %s; the demo expects it CLOSED", s.Order.GetOrderNo(), s.Title, s.Order.GetStatus()))
		}
	}
	return r.res, nil
}

// stockCells is every non-zero holding of a stock report, "seq SECTION/ORIGIN qty".
func stockCells(st *customsv1.GetRepairStockResponse) []string {
	var out []string
	for _, l := range st.GetLines() {
		for _, h := range l.GetHoldings() {
			if q := d(h.GetQuantity()); !q.IsZero() {
				out = append(out, fmt.Sprintf("%d %s/%s %s", l.GetBookSeq(), strings.TrimPrefix(h.GetSection().String(), "REPAIR_SECTION_"),
					strings.TrimPrefix(h.GetOrigin().String(), "REPAIR_ORIGIN_"), q))
			}
		}
	}
	return out
}

// today is the day 0: the server's today, for what follows a change the
// server dates today (a list customs returns is released today).
const today = 0

// date is a day of the month, "YYYY-MM-DD", or "" (the server's today)
// for day 0.
func (r *repairRun) date(day int) string {
	if day == today {
		return ""
	}
	return r.lc.date(day).Format(time.DateOnly)
}

// day is the n-th of the scene's days, spread over the month (n from 1).
func (r *repairRun) day(n int) int { return max(1, min(r.days, n*r.days/8)) }

func (r *repairRun) who() string { return r.cast.Hangxiu.Principal }

// repairListLine is a list line of qty of book line seq with its weights.
func repairListLine(seq int32, qty, total, gross, net string) *customsv1.ListLine {
	return &customsv1.ListLine{BookSeq: seq, Quantity: qty, Total: total, Currency: "142", GrossWeight: gross, NetWeight: net}
}

// enter brings goods onto the book on an inbound list under mode
// (first line, or second line for 5000) through the gate on day.
func (r *repairRun) enter(mode, country string, day int, ln *customsv1.ListLine) *customsv1.List {
	l := r.lc.file(r.who(), &customsv1.CreateListRequest{InnerNo: r.lc.next("WXQD"), BookNo: repairBook, Io: "I", TradeMode: mode,
		Country: country, Date: r.date(day), Lines: []*customsv1.ListLine{ln}}, true)
	r.pass(l, "I", day)
	return r.getList(l.GetListNo())
}

// draft files a draft exit list under mode dated day.
func (r *repairRun) draft(mode, country string, day int, lines ...*customsv1.ListLine) *customsv1.List {
	return do(r.p, r.who(), r.lc.c.decl.CreateList, &customsv1.CreateListRequest{InnerNo: r.lc.next("WXQD"), BookNo: repairBook,
		Io: "E", TradeMode: mode, Country: country, Date: r.date(day), Lines: lines}).GetList()
}

// ship files a draft exit list of the one line ln under mode and binds the
// order's goods of section sec to it (exit step key, by way); the list is
// still to be declared.
func (r *repairRun) ship(no, key, mode, country string, day int, sec customsv1.RepairSection, way customsv1.RepairExitWay, ln *customsv1.ListLine) *customsv1.List {
	l := r.draft(mode, country, day, ln)
	r.exit(no, key, day, sec, ln.GetBookSeq(), ln.GetQuantity(), way, l.GetListNo())
	return l
}

// leave declares an exit list, has customs approve it and drives its
// goods out through the gate on day.
func (r *repairRun) leave(no string, day int) *customsv1.List {
	do(r.p, r.who(), r.lc.c.decl.DeclareList, &customsv1.DeclareListRequest{ListNo: no})
	l := do(r.p, "customs-4601", r.lc.c.decl.ApproveList, &customsv1.ApproveListRequest{ListNo: no, Note: "审核通过"}).GetList()
	r.pass(l, "E", day)
	return r.getList(no)
}

func (r *repairRun) getList(no string) *customsv1.List {
	return do(r.p, "customs-4601", r.lc.c.decl.GetList, &customsv1.GetListRequest{ListNo: no}).GetList()
}

// pass drives a list's goods through the gate on one vehicle on day: a
// first-line pass (type 2), or a second-line one (type 3) for 5000.
func (r *repairRun) pass(l *customsv1.List, io string, day int) {
	passType := "2"
	if l.GetTradeMode() == "5000" {
		passType = "3"
	}
	gross, net := weights(l)
	plate := fmt.Sprintf("琼A·W%04d", r.lc.counters["WXHF"]+1)
	ps := do(r.p, r.who(), r.lc.c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: r.lc.next("WXHF"),
		BookNo: repairBook, PassType: passType, BindType: "2", Io: io, RelatedType: "1", RelatedNos: []string{l.GetListNo()}, Vehicle: plate,
		VehicleWeight: "3000", GrossWeight: gross.String(), NetWeight: net.String()}).GetPass()
	r.gate(ps, plate, gross, day)
}

// gate has the gate system record the vehicle of pass ps on day.
func (r *repairRun) gate(ps *customsv1.Pass, plate string, gross decimal.Decimal, day int) {
	req := &customsv1.RecordGateEventRequest{PassNo: ps.GetPassNo(), EventId: "KK1-" + ps.GetInnerNo(), Gate: 1, Vehicle: plate,
		ScaleGross: decimal.NewFromInt(3000).Add(gross).String()}
	if day != today {
		req.At = timestamppb.New(r.lc.date(day).Add(15 * time.Hour))
	}
	wantPassed(r.p, do(r.p, "customs-4601", r.lc.c.gate.RecordGateEvent, req).GetPass())
}

// step is the header of a step of order no on day.
func (r *repairRun) step(no, key string, day int) *customsv1.RepairStepHeader {
	return &customsv1.RepairStepHeader{OrderNo: no, Key: key, Date: r.date(day)}
}

// exitReq is an exit step of order no.
func (r *repairRun) exitReq(no, key string, day int, sec customsv1.RepairSection, seq int32, qty string, way customsv1.RepairExitWay, ref string) *customsv1.ExitRepairGoodsRequest {
	return &customsv1.ExitRepairGoodsRequest{Step: r.step(no, key, day), Section: sec, BookSeq: seq, Quantity: qty, Way: way, Reference: ref}
}

// exit files an exit step of order no.
func (r *repairRun) exit(no, key string, day int, sec customsv1.RepairSection, seq int32, qty string, way customsv1.RepairExitWay, ref string) {
	do(r.p, r.who(), r.rc.ExitRepairGoods, r.exitReq(no, key, day, sec, seq, qty, way, ref))
}

// refused files an exit step the scene expects the server to refuse with
// the reason want (what it attempts), and records the refusal.
func (r *repairRun) refused(scene, what, want string, req *customsv1.ExitRepairGoodsRequest) {
	f := refuse(r.p, scene+": "+what, want, r.who(), r.rc.ExitRepairGoods, req)
	if f.Reason == want {
		r.res.Refusals = append(r.res.Refusals, RepairRefusal{Scene: scene, What: what, Reason: f.Reason, Message: f.Message})
	}
}

// open brings an order's repair parts and goods in on lists under mode
// from country through the gate on the scene's day n, receives the parts
// for repair (inner parts) and opens the order on the goods; it returns the
// order's number.
func (r *repairRun) open(n int, mode, country, parts string, partsLine, goodsLine *customsv1.ListLine, order *customsv1.OpenRepairOrderRequest) string {
	day := r.day(n)
	pl := r.enter(mode, country, day, partsLine)
	do(r.p, r.who(), r.rc.ReceiveRepairParts, &customsv1.ReceiveRepairPartsRequest{InnerNo: parts, BookNo: repairBook, ListNo: pl.GetListNo(),
		BookSeq: partsLine.GetBookSeq(), Quantity: partsLine.GetQuantity(), Date: r.date(day)})
	in := r.enter(mode, country, day, goodsLine)
	order.BookNo, order.ListNo, order.BookSeq, order.Quantity, order.Date = repairBook, in.GetListNo(), goodsLine.GetBookSeq(), goodsLine.GetQuantity(), r.date(day)
	return do(r.p, r.who(), r.rc.OpenRepairOrder, order).GetOrder().GetOrderNo()
}

// work is an order's bench work on the scene's day n: tested (the steps
// keys[0], findings), parts used (keys[1]) and old parts or scrap removed
// (keys[2]); finished (repaired and unrepairable) the day after.
func (r *repairRun) work(no string, n int, keys [3]string, findings string, use *customsv1.RepairPartUse, removed *customsv1.RepairRemoved,
	repaired, unrepairable string) {
	who, day := r.who(), r.day(n)
	do(r.p, who, r.rc.RecordRepairTest, &customsv1.RecordRepairTestRequest{Step: r.step(no, keys[0], day), Findings: findings})
	do(r.p, who, r.rc.ConsumeRepairParts, &customsv1.ConsumeRepairPartsRequest{Step: r.step(no, keys[1], day), Uses: []*customsv1.RepairPartUse{use}})
	do(r.p, who, r.rc.RemoveRepairParts, &customsv1.RemoveRepairPartsRequest{Step: r.step(no, keys[2], day), Removed: []*customsv1.RepairRemoved{removed}})
	do(r.p, who, r.rc.FinishRepair, &customsv1.FinishRepairRequest{Step: r.step(no, "done", r.day(n+1)), Repaired: repaired, Unrepairable: unrepairable})
}

// finish reads the order as customs does and records the scene.
func (r *repairRun) finish(s *RepairScene, no string) {
	s.Order = do(r.p, "customs-4601", r.rc.GetRepairOrder, &customsv1.GetRepairOrderRequest{OrderNo: no}).GetOrder()
	r.res.Scenes = append(r.res.Scenes, s)
}

// boundLine says what a list's (or registration's) line carries, as the
// server shows it.
func boundLine(what, no string, seq int32, source, docType, docNo string) string {
	if source == "" {
		return fmt.Sprintf("%s %s line %d carries no bound goods", what, no, seq)
	}
	return fmt.Sprintf("%s %s line %d: source %s, serves %s %s", what, no, seq, source, docType, docNo)
}

func (r *repairRun) stock(asOf string) *customsv1.GetRepairStockResponse {
	return do(r.p, "customs-4601", r.rc.GetRepairStock, &customsv1.GetRepairStockRequest{BookNo: repairBook, AsOf: asOf})
}

// printRepair writes section 18.
func printRepair(w io.Writer, cast *repairCast, rr *RepairResult) {
	e := cast.Hangxiu
	fmt.Fprintf(w, "18. Testing, repair and remanufacture centre (检测维修中心, RepairService with the zone's lists and passes)\n\n")
	fmt.Fprintf(w, "  %s (%s, principal %s) keeps the bonded repair book %s (REPAIR). Three orders, from goods in to goods out:\n\n", e.Name, e.USCC, e.Principal, rr.Book)
	for i, s := range rr.Scenes {
		o := s.Order
		fmt.Fprintf(w, "  16.%d %s: order %s, line %d × %s from list %s (%s), opened %s, due %s, %s\n", i+1, s.Title, o.GetOrderNo(), o.GetBookSeq(),
			o.GetQuantity(), o.GetListNo(), strings.TrimPrefix(o.GetOrigin().String(), "REPAIR_ORIGIN_"), o.GetDate(), o.GetDue(), o.GetStatus())
		if len(o.GetFindings()) > 0 {
			fmt.Fprintf(w, "       testing (检测): %s\n", strings.Join(o.GetFindings(), "; "))
		}
		t := newTable("STEP", "KIND", "DATE", "JOURNAL", "BY", "DETAIL (as the server keeps it)").alignRight(3)
		for _, st := range o.GetSteps() {
			journal := "-"
			if st.GetJournalId() != 0 {
				journal = fmt.Sprint(st.GetJournalId())
			}
			t.add(cmp.Or(st.GetKey(), "(zone)"), st.GetKind(), st.GetDate(), journal, st.GetFiledBy(), st.GetDetail())
		}
		t.render(w, "       ")
		fmt.Fprintf(w, "       journals of the order (document REPAIR_ORDER %s): %v\n", o.GetOrderNo(), o.GetJournalIds())
		for _, n := range s.Notes {
			fmt.Fprintf(w, "       %s\n", n)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  Refused on purpose, with the rule the server names:\n\n")
	rt := newTable("SCENE", "ATTEMPT", "REASON", "MESSAGE")
	for _, f := range rr.Refusals {
		rt.add(f.Scene, f.What, f.Reason, f.Message)
	}
	rt.render(w, "  ")
	for _, st := range []struct {
		what string
		r    *customsv1.GetRepairStockResponse
	}{{"the day the gearboxes were finished, before they left", rr.Finished}, {"now, every order closed: the repair parts not used", rr.Now}} {
		fmt.Fprintf(w, "\n  Repair stock per section and origin (GetRepairStock as of %s: %s):\n\n", cmp.Or(st.r.GetAsOf(), "now"), st.what)
		t := newTable("LINE", "NAME", "UNIT", "SECTION", "ORIGIN", "QUANTITY").alignRight(0, 5)
		for _, l := range st.r.GetLines() {
			for _, h := range l.GetHoldings() {
				if d(h.GetQuantity()).IsZero() {
					continue
				}
				t.add(fmt.Sprint(l.GetBookSeq()), l.GetName(), l.GetUnit(), strings.TrimPrefix(h.GetSection().String(), "REPAIR_SECTION_"),
					strings.TrimPrefix(h.GetOrigin().String(), "REPAIR_ORIGIN_"), h.GetQuantity())
			}
		}
		t.render(w, "  ")
	}
	fmt.Fprintln(w)
}
