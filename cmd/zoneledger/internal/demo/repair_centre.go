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
	{Seq: repairLineFuelControl, HsCode: "8411910000", Name: "航空发动机燃油调节器", Spec: "CFM56 燃油控制组件", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "18.5"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineSeals, HsCode: "8484200000", Name: "燃油调节器密封件组件（维修用料件）", Spec: "航材", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "0.2"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineOldPump, HsCode: "8413910000", Name: "燃油齿轮泵组件（旧件）", Spec: "拆下的旧件", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "3.2"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineMachine, HsCode: "8457101000", Name: "立式加工中心", Spec: "客户送修", DeclaredUnit: "001", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineOldBearing, HsCode: "8482109000", Name: "主轴轴承（旧件）", Spec: "拆下的旧件", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "4.5"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineGearbox, HsCode: "8708409990", Name: "自动变速箱", Spec: "再制造胚料 / 再制造品", DeclaredUnit: "001", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "85"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineClutch, HsCode: "8708930000", Name: "离合器摩擦片（维修用料件）", Spec: "航运进口", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "0.4"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineScrap, HsCode: "7204490000", Name: "维修边角料（废钢铁）", Spec: "拆解产生", DeclaredUnit: "035", Scale: 3,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "1"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	{Seq: repairLineNewBearing, HsCode: "8482109000", Name: "主轴轴承（国产维修用料件）", Spec: "区外采购", DeclaredUnit: "007", Scale: 0,
		Legal: &customsv1.LegalUnit{Unit: "035", Factor: "4.5"}, Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
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
	rc   customsv1.RepairServiceClient
	cast *repairCast
	res  *RepairResult
	days int
}

func runRepair(ctx context.Context, c *client, cast *repairCast, year int, month time.Month, days int) (*RepairResult, error) {
	r := &repairRun{lc: sceneRun(ctx, c, nil, year, month),
		rc: customsv1.NewRepairServiceClient(c.conn), cast: cast, days: days,
		res: &RepairResult{Book: repairBook}}
	defer func() { r.res.Calls = r.lc.res.Calls }()
	e := cast.Hangxiu
	k := r.lc.caller()
	if err := registerEnterprises(k, e); err != nil {
		return r.res, err
	}
	if err := openBook(k, e.Principal, &customsv1.CreateBookRequest{BookNo: repairBook, Kind: customsv1.BookKind_BOOK_KIND_REPAIR,
		Enterprise: e.USCC, CustomsOffice: customsOffice, WriteOffCycleMonths: 12}, repairLines); err != nil {
		return r.res, err
	}
	for _, scene := range []func() error{r.engineScene, r.machineScene, r.gearboxScene} {
		if err := scene(); err != nil {
			return r.res, err
		}
	}
	var err error
	r.res.FinishedDay = r.date(r.day(7))
	if r.res.Finished, err = r.stock(r.res.FinishedDay); err != nil {
		return r.res, err
	}
	if r.res.Now, err = r.stock(""); err != nil {
		return r.res, err
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
func (r *repairRun) enter(mode, country string, day int, ln *customsv1.ListLine) (*customsv1.List, error) {
	l, err := r.lc.file(r.who(), &customsv1.CreateListRequest{InnerNo: r.lc.next("WXQD"), BookNo: repairBook, Io: "I", TradeMode: mode,
		Country: country, Date: r.date(day), Lines: []*customsv1.ListLine{ln}}, true)
	if err != nil {
		return nil, err
	}
	if err := r.pass(l, "I", day); err != nil {
		return nil, err
	}
	return r.getList(l.GetListNo())
}

// draft files a draft exit list under mode dated day.
func (r *repairRun) draft(mode, country string, day int, lines ...*customsv1.ListLine) (*customsv1.List, error) {
	l, err := listOf(call(r.lc.caller(), r.who(), r.lc.c.decl.CreateList, &customsv1.CreateListRequest{InnerNo: r.lc.next("WXQD"), BookNo: repairBook,
		Io: "E", TradeMode: mode, Country: country, Date: r.date(day), Lines: lines}))
	if err != nil {
		return nil, fmt.Errorf("CreateList: %w", err)
	}
	return l, nil
}

// ship files a draft exit list of the one line ln under mode and binds the
// order's goods of section sec to it (exit step key, by way); the list is
// still to be declared.
func (r *repairRun) ship(no, key, mode, country string, day int, sec customsv1.RepairSection, way customsv1.RepairExitWay, ln *customsv1.ListLine) (*customsv1.List, error) {
	l, err := r.draft(mode, country, day, ln)
	if err != nil {
		return nil, err
	}
	if _, err := r.exit(no, key, day, sec, ln.GetBookSeq(), ln.GetQuantity(), way, l.GetListNo()); err != nil {
		return nil, fmt.Errorf("ExitRepairGoods on %s: %w", l.GetListNo(), err)
	}
	return l, nil
}

// leave declares an exit list, has customs approve it and drives its
// goods out through the gate on day.
func (r *repairRun) leave(no string, day int) (*customsv1.List, error) {
	k := r.lc.caller()
	if _, err := call(k, r.who(), r.lc.c.decl.DeclareList, &customsv1.DeclareListRequest{ListNo: no}); err != nil {
		return nil, fmt.Errorf("DeclareList %s: %w", no, err)
	}
	l, err := listOf(call(k, "customs-4601", r.lc.c.decl.ApproveList, &customsv1.ApproveListRequest{ListNo: no, Note: "审核通过"}))
	if err != nil {
		return nil, fmt.Errorf("ApproveList %s: %w", no, err)
	}
	if err := r.pass(l, "E", day); err != nil {
		return nil, err
	}
	return r.getList(no)
}

func (r *repairRun) getList(no string) (*customsv1.List, error) {
	l, err := listOf(call(r.lc.caller(), "customs-4601", r.lc.c.decl.GetList, &customsv1.GetListRequest{ListNo: no}))
	if err != nil {
		return nil, fmt.Errorf("GetList %s: %w", no, err)
	}
	return l, nil
}

// pass drives a list's goods through the gate on one vehicle on day: a
// first-line pass (type 2), or a second-line one (type 3) for 5000.
func (r *repairRun) pass(l *customsv1.List, io string, day int) error {
	passType := "2"
	if l.GetTradeMode() == "5000" {
		passType = "3"
	}
	gross, net := weights(l)
	plate := fmt.Sprintf("琼A·W%04d", r.lc.counters["WXHF"]+1)
	ps, err := passOf(call(r.lc.caller(), r.who(), r.lc.c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: r.lc.next("WXHF"),
		BookNo: repairBook, PassType: passType, BindType: "2", Io: io, RelatedType: "1", RelatedNos: []string{l.GetListNo()}, Vehicle: plate,
		VehicleWeight: "3000", GrossWeight: gross.String(), NetWeight: net.String()}))
	if err != nil {
		return fmt.Errorf("CreatePass for %s: %w", l.GetListNo(), err)
	}
	return r.gate(ps, plate, gross, day)
}

// gate has the gate system record the vehicle of pass ps on day.
func (r *repairRun) gate(ps *customsv1.Pass, plate string, gross decimal.Decimal, day int) error {
	req := &customsv1.RecordGateEventRequest{PassNo: ps.GetPassNo(), EventId: "KK1-" + ps.GetInnerNo(), Gate: 1, Vehicle: plate,
		ScaleGross: decimal.NewFromInt(3000).Add(gross).String()}
	if day != today {
		req.At = timestamppb.New(r.lc.date(day).Add(15 * time.Hour))
	}
	ps, err := passOf(call(r.lc.caller(), "customs-4601", r.lc.c.gate.RecordGateEvent, req))
	if err != nil {
		return fmt.Errorf("RecordGateEvent %s: %w", ps.GetPassNo(), err)
	}
	if ps.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED {
		return fmt.Errorf("pass %s is %s: %v", ps.GetPassNo(), ps.GetStatus(), ps.GetHoldReasons())
	}
	return nil
}

// step is the header of a step of order no on day.
func (r *repairRun) step(no, key string, day int) *customsv1.RepairStepHeader {
	return &customsv1.RepairStepHeader{OrderNo: no, Key: key, Date: r.date(day)}
}

// exit files an exit step of order no.
func (r *repairRun) exit(no, key string, day int, sec customsv1.RepairSection, seq int32, qty string, way customsv1.RepairExitWay, ref string) (*customsv1.RepairOrder, error) {
	return orderOf(call(r.lc.caller(), r.who(), r.rc.ExitRepairGoods, &customsv1.ExitRepairGoodsRequest{Step: r.step(no, key, day), Section: sec,
		BookSeq: seq, Quantity: qty, Way: way, Reference: ref}))
}

// refused records a refusal the scene intended; anything else fails.
func (r *repairRun) refused(scene, what, want string, err error) error {
	if err == nil {
		return fmt.Errorf("%s: %s was accepted; the demo expected %s", scene, what, want)
	}
	reason, msg := reasonOf(err)
	if reason != want {
		return fmt.Errorf("%s: %s: %w (expected %s)", scene, what, err, want)
	}
	r.res.Refusals = append(r.res.Refusals, RepairRefusal{Scene: scene, What: what, Reason: reason, Message: msg})
	return nil
}

// finish reads the order as customs does and records the scene.
func (r *repairRun) finish(s *RepairScene, no string) error {
	o, err := orderOf(call(r.lc.caller(), "customs-4601", r.rc.GetRepairOrder, &customsv1.GetRepairOrderRequest{OrderNo: no}))
	if err != nil {
		return fmt.Errorf("GetRepairOrder %s: %w", no, err)
	}
	s.Order = o
	r.res.Scenes = append(r.res.Scenes, s)
	return nil
}

// boundLine says what a list's (or registration's) line carries, as the
// server shows it.
func boundLine(what, no string, seq int32, source, docType, docNo string) string {
	if source == "" {
		return fmt.Sprintf("%s %s line %d carries no bound goods", what, no, seq)
	}
	return fmt.Sprintf("%s %s line %d: source %s, serves %s %s", what, no, seq, source, docType, docNo)
}

func (r *repairRun) stock(asOf string) (*customsv1.GetRepairStockResponse, error) {
	st, err := call(r.lc.caller(), "customs-4601", r.rc.GetRepairStock, &customsv1.GetRepairStockRequest{BookNo: repairBook, AsOf: asOf})
	if err != nil {
		return nil, fmt.Errorf("GetRepairStock %s: %w", repairBook, err)
	}
	return st, nil
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
