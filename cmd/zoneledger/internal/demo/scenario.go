package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// event is one filing of the month, in the order it is sent.
type event struct {
	Day  int
	Who  string // principal filing it
	Flow string // flow label, for the summary
	What string // human description
	// Journal is a journal to post; Reverse a journal to reverse.
	Journal *ledgerv1.PostJournalRequest
	Reverse *reverseSpec
	// Expect is the refusal reason the demo expects ("" = accepted).
	Expect string
	// Transfer marks an intra-zone transfer.
	Transfer *transferInfo
}

type reverseSpec struct {
	OfKey  string // idempotency key of the journal to reverse
	Book   string
	Key    string
	Date   string
	Reason string
}

type transferInfo struct {
	Qty           decimal.Decimal
	From, To      *itemDef
	SellerInvtNo  string
	BuyerInvtNo   string
	TransferValue decimal.Decimal
}

// Flow labels.
const (
	flowImport     = "一线进境 import from abroad"
	flowExport     = "一线出境 export / re-export"
	flowDomIn      = "二线入区 domestic goods in (bonded)"
	flowDomSale    = "二线出区 domestic sale (内销)"
	flowInspect    = "检验放行 inspection release"
	flowIssue      = "生产领料 issue to production"
	flowProduce    = "生产报告 production report"
	flowTransfer   = "区内流转 intra-zone transfer"
	flowGate       = "卡口登记 non-bonded gate registration"
	flowNonUse     = "非保税耗用 non-bonded goods used"
	flowRndIssue   = "研发领用 issue to the lab"
	flowRndUse     = "研发耗用 R&D usage report"
	flowCorrection = "更正 correction (reversal)"
)

// gen plans the month against the model.
type gen struct {
	z     *zone
	m     *model
	rng   *rand.Rand
	year  int
	month time.Month
	days  int
	yy    string

	seq int // filing order of journals
	// numbers are the last numbers given, by document kind and direction
	// (QDI, QDE: 核注清单; HFI, HFE: passes) and by an enterprise's own
	// prefix and day.
	numbers   map[string]int
	events    []event
	pendingQC []pendingQC // formula waiting for inspection in the TW book
	err       error       // the first filing the model refutes; nothing is planned after it

	// scheduled days of the special filings
	corrDay, refuseWineDay, refuseUnitDay, refuseExportDay, refuseRndDay int
	transferDays                                                         map[int]bool
}

type pendingQC struct {
	day int
	qty decimal.Decimal
}

// planMonth returns the month's filings, planned against m (which ends up
// holding the expected balances).
func planMonth(z *zone, m *model, seed uint64, year int, month time.Month, days int) ([]event, error) {
	g := &gen{
		z: z, m: m, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		year: year, month: month, days: days, yy: fmt.Sprintf("%02d", year%100),
		numbers:      map[string]int{"QDI": 183000, "QDE": 241000, "HFI": 52000, "HFE": 61000},
		transferDays: map[int]bool{},
	}
	frac := func(pct int) int { return monthDay(pct, days) }
	g.corrDay = frac(10)
	g.refuseWineDay = frac(40)
	g.refuseUnitDay = frac(50)
	g.refuseExportDay = frac(60)
	g.refuseRndDay = frac(75)
	for _, td := range []int{5, 12, 19, 26} {
		if td <= days {
			g.transferDays[td] = true
		}
	}
	if len(g.transferDays) == 0 {
		g.transferDays[days] = true // day 1 has no chips yet on a one-day month
	}

	for day := 1; day <= days && g.err == nil; day++ {
		pct := g.activity(day)
		for _, step := range []func(int, int){g.platformDay, g.huandaoDay, g.qiongxinDay, g.haiyanDay} {
			step(day, pct)
		}
	}
	return g.events, g.err
}

// activity is the day's volume in percent of a full working day: the
// National Day holiday (Oct 1-7) is quiet, weekends are slower.
func (g *gen) activity(day int) int {
	if g.month == time.October && day <= 7 {
		return 35
	}
	switch g.date(day).Weekday() {
	case time.Saturday, time.Sunday:
		return 60
	}
	return 100
}

// monthDay is the day of a month of days days that pct percent of it
// reaches, rounded up: at least day 1, at most the last day. Steps are
// scheduled this way so that a shorter month (--days) still has each one.
func monthDay(pct, days int) int { return max(1, min(days, (pct*days+99)/100)) }

func (g *gen) date(day int) time.Time { return time.Date(g.year, g.month, day, 0, 0, 0, 0, time.UTC) }

func (g *gen) dateStr(day int) string { return g.date(day).Format("2006-01-02") }

// between returns a uniform integer in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// scaled returns pct percent of uniform[lo, hi], rounded half up.
func (g *gen) scaled(pct, lo, hi int) int { return (pct*g.between(lo, hi) + 50) / 100 }

// dec returns n * 10^-scale.
func dec(n int, scale int32) decimal.Decimal { return decimal.New(int64(n), -scale) }

// price returns the item's reference price moved by up to ±3%, kept to 4
// decimals (unit prices carry at most 4).
func (g *gen) price(it *itemDef) decimal.Decimal {
	bp := g.between(-300, 300)
	return it.Price.Mul(decimal.New(int64(10000+bp), -4)).Round(4)
}

// amount is quantity × unit price, to the fen.
func amount(q, p decimal.Decimal) decimal.Decimal { return q.Mul(p).Round(2) }

// number is the next customs number of a document kind (QD a 核注清单, HF
// a pass) in direction io (I, E).
func (g *gen) number(kind, io string) string {
	g.numbers[kind+io]++
	return fmt.Sprintf("%s%s%s%s%09d", kind, customsOffice, g.yy, io, g.numbers[kind+io])
}

func (g *gen) invt(io string) string { return g.number("QD", io) }

func (g *gen) gate(io string) string { return g.number("HF", io) }

// internalNo numbers an enterprise's own document (production report,
// material issue, R&D usage report, inspection release).
func (g *gen) internalNo(prefix string, day int) string {
	k := prefix + g.dateStr(day)
	g.numbers[k]++
	return fmt.Sprintf("%s%s-%02d", prefix, g.date(day).Format("20060102"), g.numbers[k])
}

func acct(b *bookDef, name string) acctKey { return acctKey{Book: b.ID, Name: name} }

func world(name string) acctKey { return acctKey{Name: name} }

func ik(it *itemDef) itemKey { return itemKey{Book: it.Book.ID, Code: it.Code} }

// doc is a journal's document.
type doc struct {
	Type, Number, TradeMode string
}

// file plans one journal: it checks it against the model (applying it when
// it is to be accepted) and appends it to the month.
func (g *gen) file(day int, who string, book *bookDef, dc doc, flow, what string, meta map[string]string, moves []move, expect string) {
	if g.err != nil {
		return
	}
	g.seq++
	req := &ledgerv1.PostJournalRequest{
		BookId:         book.ID,
		IdempotencyKey: dc.Number,
		EffectiveDate:  g.dateStr(day),
		Document:       &ledgerv1.Document{Type: dc.Type, Number: dc.Number, TradeMode: dc.TradeMode},
		Metadata:       meta,
	}
	for _, mv := range moves {
		p := &ledgerv1.Posting{
			ItemCode: mv.Item.Code,
			From:     &ledgerv1.AccountRef{BookId: mv.From.Book, Name: mv.From.Name},
			To:       &ledgerv1.AccountRef{BookId: mv.To.Book, Name: mv.To.Name},
			Quantity: mv.Qty.String(),
			Unit:     cmp.Or(mv.Unit, g.z.line(mv.Item).Unit),
		}
		if mv.Item.Book != book.ID {
			p.ItemBookId = mv.Item.Book
		}
		if mv.From.world() {
			p.Value = mv.Val.StringFixed(2)
		}
		req.Postings = append(req.Postings, p)
	}
	switch expect {
	case "":
		if err := g.m.apply(dc.Number, g.seq, day, moves); err != nil {
			g.err = fmt.Errorf("demo scenario: %s on %s (%s) would be refused: %v", dc.Number, g.dateStr(day), what, err)
			return
		}
	case reasonInsufficient:
		if err := g.m.apply(dc.Number, g.seq, day, moves); err == nil {
			g.err = fmt.Errorf("demo scenario: %s on %s (%s) was meant to be refused but fits the stock", dc.Number, g.dateStr(day), what)
			return
		}
	}
	g.events = append(g.events, event{Day: day, Who: who, Flow: flow, What: what, Journal: req, Expect: expect})
}

// Reasons the demo expects for its deliberate refusals (the API's
// errors.v1.Reason names).
var (
	reasonInsufficient = errorsv1.Reason_INSUFFICIENT_QUANTITY.String()
	reasonUnit         = errorsv1.Reason_UNIT_MISMATCH.String()
	reasonClosed       = errorsv1.Reason_PERIOD_CLOSED.String()
)

// single files a one-posting journal.
func (g *gen) single(day int, who string, it *itemDef, from, to acctKey, q, v decimal.Decimal, dc doc, flow, what string, meta map[string]string) {
	g.file(day, who, it.Book, dc, flow, what, meta, []move{{Item: ik(it), From: from, To: to, Qty: q, Val: v}}, "")
}

// overdraw files a one-posting journal of extra more of it than from holds,
// which the server must refuse (INSUFFICIENT_QUANTITY); it reads
// "verb name qty (held have)".
func (g *gen) overdraw(day int, who string, it *itemDef, from, to acctKey, extra string, dc doc, flow, verb, held string, meta map[string]string) {
	have := g.m.qty(from, ik(it))
	q := have.Add(d(extra))
	g.file(day, who, it.Book, dc, flow, fmt.Sprintf("%s %s %s (%s %s)", verb, it.Name, fmtQty(it, q), held, fmtQty(it, have)),
		meta, []move{{Item: ik(it), From: from, To: to, Qty: q}}, reasonInsufficient)
}

func fmtQty(it *itemDef, q decimal.Decimal) string {
	return q.StringFixed(it.Scale) + " " + it.UnitName
}

// topUp is an issue of items from one account to another (to the line, to
// the lab): each item that holds less in to than need says gets refill of
// it, as far as from holds it.
func (g *gen) topUp(items []*itemDef, from, to acctKey, need, refill func(*itemDef) decimal.Decimal) []move {
	var out []move
	for _, it := range items {
		if g.m.qty(to, ik(it)).LessThan(need(it)) {
			if q := decimal.Min(refill(it), g.m.qty(from, ik(it))); q.Sign() > 0 {
				out = append(out, move{Item: ik(it), From: from, To: to, Qty: q})
			}
		}
	}
	return out
}

// ---- the zone platform: intra-zone transfers ----------------------------

func (g *gen) platformDay(day int, _ int) {
	if !g.transferDays[day] {
		return
	}
	seller, buyer := g.z.T.item("4"), g.z.H.item("I1")
	stock := g.m.qty(acct(g.z.T, "bonded"), ik(seller))
	q := decimal.Min(stock.Mul(d("0.4")).Div(d("1000")).Floor().Mul(d("1000")), dec(1000*g.between(4, 7), 0))
	if q.LessThan(d("1000")) {
		return
	}
	price := d("38.50") // contract price between the two enterprises
	val := amount(q, price)
	out, in := g.invt("E"), g.invt("I")
	what := fmt.Sprintf("%s → %s: %s SoC (%s 4 → %s I1), CNY %s", g.z.Huandao.ShortLabel, g.z.Qiongxin.ShortLabel,
		fmtQty(seller, q), g.z.T.ID, g.z.H.ID, val.StringFixed(2))
	meta := map[string]string{
		"invt_type": "6 区内流转", "seller_book": g.z.T.ID, "seller_invt_no": out,
		"buyer_book": g.z.H.ID, "buyer_invt_no": in, "contract_price": price.String(),
	}
	moves := []move{
		{Item: ik(seller), From: acct(g.z.T, "bonded"), To: world("zone-transfer"), Qty: q},
		{Item: ik(buyer), From: world("zone-transfer"), To: acct(g.z.H, "bonded"), Qty: q, Val: val},
	}
	if g.file(day, "zone-platform", g.z.T, doc{"inventory-list", out, ""}, flowTransfer, what, meta, moves, ""); g.err == nil {
		g.events[len(g.events)-1].Transfer = &transferInfo{Qty: q, From: seller, To: buyer, SellerInvtNo: out, BuyerInvtNo: in, TransferValue: val}
	}
}

// ---- 海南环岛供应链: the TW logistics book -------------------------------

func (g *gen) huandaoDay(day int, pct int) {
	z, who := g.z, g.z.Huandao.Principal
	t := z.T
	bonded, qc, nonb := acct(t, "bonded"), acct(t, "awaiting-inspection"), acct(t, "nonbonded")
	wine, formula, cream, ics := t.item("1"), t.item("2"), t.item("3"), t.item("4")

	// Imports from abroad (一线进境, 5034 区内物流货物).
	imp := func(it *itemDef, to acctKey, q decimal.Decimal, origin string) {
		no := g.invt("I")
		val := amount(q, g.price(it))
		meta := map[string]string{"dec_type": "3 进境备案清单", "origin": origin, "transport": "2 水路运输"}
		if to.Name == "awaiting-inspection" {
			meta["inspection"] = "法定检验 (statutory inspection before release)"
		}
		g.single(day, who, it, world("abroad"), to, q, val, doc{"inventory-list", no, "5034"}, flowImport,
			fmt.Sprintf("进境 %s %s from %s", it.Name, fmtQty(it, q), origin), meta)
	}
	if g.m.qty(bonded, ik(wine)).LessThan(d("3000")) {
		imp(wine, bonded, dec(1200*g.between(4, 6), 0), "250 法国")
	}
	pendingFormula := decimal.Zero
	for _, p := range g.pendingQC {
		pendingFormula = pendingFormula.Add(p.qty)
	}
	if g.m.qty(bonded, ik(formula)).Add(pendingFormula).LessThan(d("1500")) {
		q := dec(480*g.between(10, 15), 0)
		imp(formula, qc, q, "609 荷兰")
		g.pendingQC = append(g.pendingQC, pendingQC{day: day, qty: q})
	}
	if day == g.corrDay {
		// A keying error: 3274.500 kg instead of 327.450 kg; the journal is
		// reversed and the list filed again with the right quantity.
		wrong, right := d("3274.500"), d("327.450")
		no := g.invt("I")
		p := g.price(cream)
		g.single(day, who, cream, world("abroad"), bonded, wrong, amount(wrong, p), doc{"inventory-list", no, "5034"}, flowImport,
			fmt.Sprintf("进境 %s %s (keyed wrong)", cream.Name, fmtQty(cream, wrong)), map[string]string{"dec_type": "3 进境备案清单", "origin": "116 日本"})
		revKey := no + "-R"
		g.seq++
		if g.err != nil {
			return
		}
		orig := g.m.created[no][0]
		if err := g.m.apply(revKey, g.seq, day, []move{{Item: orig.Item, From: orig.Acct, To: world("abroad"), Qty: orig.Qty, Lot: &orig.ID}}); err != nil {
			g.err = fmt.Errorf("demo scenario: reversal of %s: %v", no, err)
			return
		}
		g.events = append(g.events, event{Day: day, Who: who, Flow: flowCorrection,
			What: fmt.Sprintf("进境 %s %s, should have been %s", cream.Name, fmtQty(cream, wrong), fmtQty(cream, right)),
			Reverse: &reverseSpec{OfKey: no, Book: t.ID, Key: revKey, Date: g.dateStr(day),
				Reason: fmt.Sprintf("数量录入错误：应为 %s，误录为 %s (quantity keyed wrong)", right.StringFixed(3), wrong.StringFixed(3))}})
		no2 := g.invt("I")
		g.single(day, who, cream, world("abroad"), bonded, right, amount(right, p), doc{"inventory-list", no2, "5034"}, flowImport,
			fmt.Sprintf("进境 %s %s", cream.Name, fmtQty(cream, right)),
			map[string]string{"dec_type": "3 进境备案清单", "origin": "116 日本", "corrects": no})
	} else if g.m.qty(bonded, ik(cream)).LessThan(d("120")) {
		imp(cream, bonded, dec(g.between(300000, 450000), 3), "116 日本")
	}
	if day == 1 || g.m.qty(bonded, ik(ics)).LessThan(d("15000")) {
		imp(ics, bonded, dec(1000*g.between(40, 60), 0), "158 中国台湾")
	}

	// Inspection release (检验放行) of formula that arrived two days ago or more.
	var still []pendingQC
	for _, p := range g.pendingQC {
		if day-p.day < 2 {
			still = append(still, p)
			continue
		}
		no := g.internalNo("JY", day)
		g.single(day, who, formula, qc, bonded, p.qty, decimal.Zero, doc{"inspection-release", no, ""}, flowInspect,
			fmt.Sprintf("放行 %s %s arrived %s", formula.Name, fmtQty(formula, p.qty), g.dateStr(p.day)),
			map[string]string{"arrived": g.dateStr(p.day)})
	}
	g.pendingQC = still

	// Domestic sales (二线出区内销, general trade 0110, taxed on release).
	sell := func(it *itemDef, q decimal.Decimal, buyer string) {
		have := g.m.qty(bonded, ik(it))
		if have.LessThan(q) {
			q = have
		}
		if q.Sign() <= 0 {
			return
		}
		no := g.invt("E")
		g.single(day, who, it, bonded, world("domestic"), q, decimal.Zero, doc{"inventory-list", no, "0110"}, flowDomSale,
			fmt.Sprintf("内销 %s %s to %s", it.Name, fmtQty(it, q), buyer),
			map[string]string{"dec_type": "1 进口报关单 (对应报关)", "buyer": buyer, "tax": "duty + import VAT + consumption tax as applicable"})
	}
	buyers := []string{"广州粤港酒业贸易有限公司", "海口椰城母婴用品有限公司", "三亚免税品分销有限公司", "深圳前海跨境商贸有限公司", "长沙湘江食品贸易有限公司"}
	if day == g.refuseWineDay {
		// A big order keyed against stock that is not there (a whole
		// container sold before it arrived).
		g.overdraw(day, who, wine, bonded, world("domestic"), "6000", doc{"inventory-list", g.invt("E"), "0110"}, flowDomSale, "内销", "stock",
			map[string]string{"dec_type": "1 进口报关单 (对应报关)", "buyer": buyers[0]})
	}
	for range g.scaled(pct, 6, 12) {
		sell(wine, dec(12*g.between(2, 30), 0), buyers[g.rng.IntN(len(buyers))])
	}
	for range g.scaled(pct, 4, 8) {
		sell(formula, dec(24*g.between(1, 6), 0), buyers[g.rng.IntN(len(buyers))])
	}
	for range g.scaled(pct, 2, 4) {
		sell(cream, dec(g.between(2500, 15000), 3), buyers[g.rng.IntN(len(buyers))])
	}
	if day == g.refuseUnitDay {
		// Declared in 个 (007) for a line kept in 千克 (035).
		no := g.invt("E")
		q := d("40")
		g.file(day, who, t, doc{"inventory-list", no, "0110"}, flowDomSale,
			fmt.Sprintf("内销 %s 40 个 (line is kept in 千克)", cream.Name),
			map[string]string{"dec_type": "1 进口报关单 (对应报关)", "buyer": buyers[2]},
			[]move{{Item: ik(cream), From: bonded, To: world("domestic"), Qty: q, Unit: "007"}}, reasonUnit)
	}

	// Re-export of chips to South-East Asia (一线出境, 5034), keeping a reserve
	// for the weekly transfer to 琼芯智能.
	if pct == 100 && g.rng.IntN(2) == 0 && g.m.qty(bonded, ik(ics)).GreaterThan(d("20000")) {
		q := dec(500*g.between(6, 16), 0)
		no := g.invt("E")
		g.single(day, who, ics, bonded, world("abroad"), q, decimal.Zero, doc{"inventory-list", no, "5034"}, flowExport,
			fmt.Sprintf("复出境 %s %s to 越南", ics.Name, fmtQty(ics, q)), map[string]string{"dec_type": "4 出境备案清单", "destination": "141 越南"})
	}

	// Non-bonded goods co-stored in the same warehouse: in by gate
	// registration (卡口登记, GACC 2023 No. 200), used up in the zone.
	if g.rng.IntN(100) < pct {
		it := t.item("N1")
		q := dec(50*g.between(4, 12), 0)
		if g.rng.IntN(2) == 0 {
			it = t.item("N2")
			q = dec(g.between(50000, 200000), 3).Div(d("12.5")).Round(0).Mul(d("12.5")) // 12.5 kg cartons
		}
		no := g.gate("I")
		g.single(day, who, it, world("domestic"), nonb, q, amount(q, it.Price), doc{"gate-registration", no, ""}, flowGate,
			fmt.Sprintf("卡口登记入区 %s %s", it.Name, fmtQty(it, q)), map[string]string{"passport_type": "5 卡口登记货物", "vehicle": fmt.Sprintf("琼A·%05d", g.between(10000, 99999))})
	}
	if day%3 == 0 {
		for _, code := range []string{"N1", "N2"} {
			it := t.item(code)
			have := g.m.qty(nonb, ik(it))
			q := have.Mul(d("0.3")).Round(it.Scale)
			if q.Sign() <= 0 {
				continue
			}
			no := g.internalNo("HY", day)
			g.single(day, who, it, nonb, world("consumed"), q, decimal.Zero, doc{"nonbonded-usage", no, ""}, flowNonUse,
				fmt.Sprintf("领用 %s %s", it.Name, fmtQty(it, q)), nil)
		}
	}
}

// ---- 海口琼芯智能: the H processing book ------------------------------

func (g *gen) qiongxinDay(day int, pct int) {
	z, who := g.z, g.z.Qiongxin.Principal
	h := z.H
	bonded, wip := acct(h, "bonded"), acct(h, "wip")
	e1, e2 := h.item("E1"), h.item("E2")
	materials := []*itemDef{h.item("I1"), h.item("I2"), h.item("I3"), h.item("I4"), h.item("I5")}

	// Material need per day at full rate: 380 routers and 195 ONTs.
	need := func(m *itemDef, routers, onts decimal.Decimal) decimal.Decimal {
		q := decimal.Zero
		for fg, units := range map[*itemDef]decimal.Decimal{e1: routers, e2: onts} {
			for _, l := range z.BOM[fg] {
				if l.Material == m {
					q = q.Add(l.PerUnit.Mul(units))
				}
			}
		}
		return q.Round(m.Scale)
	}
	fullR, fullO := d("380"), d("195")

	// Materials from abroad (5015 区内进料加工货物) when below four days of need;
	// cartons from a domestic supplier (二线入区, 5000 料件进出区).
	lotSize := map[string]int{"I1": 1000, "I2": 500, "I3": 25, "I4": 1000, "I5": 200}
	origins := map[string]string{"I1": "158 中国台湾", "I2": "133 韩国", "I3": "116 日本", "I4": "132 新加坡"}
	for _, m := range materials {
		have := g.m.qty(bonded, ik(m)).Add(g.m.qty(wip, ik(m)))
		daily := need(m, fullR, fullO)
		if have.GreaterThanOrEqual(daily.Mul(d("4"))) {
			continue
		}
		lot := decimal.NewFromInt(int64(lotSize[m.Code]))
		q := daily.Mul(decimal.NewFromInt(int64(g.between(8, 12)))).Div(lot).Ceil().Mul(lot)
		val := amount(q, g.price(m))
		if m.Code == "I5" {
			no := g.invt("I")
			g.single(day, who, m, world("domestic"), bonded, q, val, doc{"inventory-list", no, "5000"}, flowDomIn,
				fmt.Sprintf("二线入区 %s %s", m.Name, fmtQty(m, q)), map[string]string{"dec_type": "2 出口报关单 (对应报关)", "supplier": "海口南洋包装制品有限公司"})
			continue
		}
		no := g.invt("I")
		g.single(day, who, m, world("abroad"), bonded, q, val, doc{"inventory-list", no, "5015"}, flowImport,
			fmt.Sprintf("进境 %s %s from %s", m.Name, fmtQty(m, q), origins[m.Code]),
			map[string]string{"dec_type": "3 进境备案清单", "origin": origins[m.Code], "transport": "5 航空运输"})
	}

	routers := decimal.NewFromInt(int64(g.scaled(pct, 320, 440)))
	onts := decimal.NewFromInt(int64(g.scaled(pct, 150, 240)))

	// Issue to the line (领料) when the line holds less than today's need:
	// three days' worth, or what the bonded stock has.
	issue := g.topUp(materials, bonded, wip, func(m *itemDef) decimal.Decimal { return need(m, routers, onts) },
		func(m *itemDef) decimal.Decimal { return need(m, fullR, fullO).Mul(d("3")) })
	if len(issue) > 0 {
		no := g.internalNo("LL", day)
		g.file(day, who, h, doc{"material-issue", no, ""}, flowIssue, fmt.Sprintf("领料 %d lines to the SMT line", len(issue)),
			map[string]string{"workshop": "SMT-2"}, issue, "")
	}

	// Production report (生产报告): materials consumed by the BOM, finished
	// goods into bonded stock at standard cost. Output is cut to what the
	// line holds.
	for routers.Add(onts).Sign() > 0 {
		ok := true
		for _, m := range materials {
			if g.m.qty(wip, ik(m)).LessThan(need(m, routers, onts)) {
				ok = false
			}
		}
		if ok {
			break
		}
		routers = routers.Mul(d("0.9")).Floor()
		onts = onts.Mul(d("0.9")).Floor()
	}
	if routers.Add(onts).Sign() > 0 {
		var moves []move
		for _, m := range materials {
			moves = append(moves, move{Item: ik(m), From: wip, To: world("consumed"), Qty: need(m, routers, onts)})
		}
		for _, out := range []struct {
			it *itemDef
			q  decimal.Decimal
		}{{e1, routers}, {e2, onts}} {
			if out.q.Sign() > 0 {
				moves = append(moves, move{Item: ik(out.it), From: world("production"), To: bonded, Qty: out.q, Val: amount(out.q, out.it.Price)})
			}
		}
		no := g.internalNo("SC", day)
		g.file(day, who, h, doc{"production-report", no, ""}, flowProduce,
			fmt.Sprintf("生产 %s 台 路由器 + %s 台 ONT", routers, onts), map[string]string{"bom_version": "2026-01", "line": "SMT-2"}, moves, "")
	}

	// Exports of finished goods (一线出境, 5015).
	dests := []string{"141 越南", "136 泰国", "122 马来西亚", "112 印度尼西亚", "129 菲律宾"}
	for range g.scaled(pct, 1, 3) {
		it := e1
		if g.rng.IntN(3) == 0 {
			it = e2
		}
		have := g.m.qty(bonded, ik(it))
		q := have.Mul(decimal.New(int64(g.between(25, 45)), -2)).Div(d("10")).Floor().Mul(d("10"))
		if q.LessThan(d("50")) {
			continue
		}
		no := g.invt("E")
		dest := dests[g.rng.IntN(len(dests))]
		g.single(day, who, it, bonded, world("abroad"), q, decimal.Zero, doc{"inventory-list", no, "5015"}, flowExport,
			fmt.Sprintf("出境 %s %s to %s", it.Name, fmtQty(it, q), dest), map[string]string{"dec_type": "4 出境备案清单", "destination": dest})
	}
	if day == g.refuseExportDay {
		g.overdraw(day, who, e1, bonded, world("abroad"), "5000", doc{"inventory-list", g.invt("E"), "5015"}, flowExport, "出境", "stock",
			map[string]string{"dec_type": "4 出境备案清单", "destination": dests[0]})
	}

	// Domestic sales of finished goods (二线出区内销; 0444 保区进料成品: duty on the finished goods).
	for range g.scaled(pct, 0, 2) {
		have := g.m.qty(bonded, ik(e1))
		q := decimal.Min(have, dec(10*g.between(2, 12), 0))
		if q.Sign() <= 0 {
			continue
		}
		no := g.invt("E")
		g.single(day, who, e1, bonded, world("domestic"), q, decimal.Zero, doc{"inventory-list", no, "0444"}, flowDomSale,
			fmt.Sprintf("内销 %s %s", e1.Name, fmtQty(e1, q)),
			map[string]string{"dec_type": "1 进口报关单 (对应报关)", "buyer": "广东联讯通信设备有限公司", "tax_basis": "按成品征税"})
	}
}

// ---- 海口海研生物: the R&D book --------------------------------------

func (g *gen) haiyanDay(day int, pct int) {
	z, who := g.z, g.z.Haiyan.Principal
	r := z.R
	bonded, lab := acct(r, "bonded"), acct(r, "in-lab")
	media, reagent, tips := r.item("I1"), r.item("I2"), r.item("I3")

	// R&D materials from abroad (5010 特殊区域研发货物).
	type restock struct {
		it     *itemDef
		low    decimal.Decimal
		lo, hi int
		origin string
	}
	for _, rs := range []restock{
		{media, d("12"), 20000, 40000, "502 美国"},
		{reagent, d("1200"), 200000, 500000, "304 德国"},
		{tips, d("8000"), 20, 50, "502 美国"},
	} {
		if g.m.qty(bonded, ik(rs.it)).Add(g.m.qty(lab, ik(rs.it))).GreaterThanOrEqual(rs.low) {
			continue
		}
		var q decimal.Decimal
		switch rs.it.Scale {
		case 0:
			q = dec(1000*g.between(rs.lo, rs.hi), 0)
		default:
			q = dec(g.between(rs.lo, rs.hi), rs.it.Scale)
		}
		no := g.invt("I")
		g.single(day, who, rs.it, world("abroad"), bonded, q, amount(q, g.price(rs.it)), doc{"inventory-list", no, "5010"}, flowImport,
			fmt.Sprintf("进境 %s %s from %s", rs.it.Name, fmtQty(rs.it, q), rs.origin),
			map[string]string{"dec_type": "3 进境备案清单", "origin": rs.origin, "transport": "5 航空运输", "purpose": "保税研发"})
	}

	// Today's use by the lab, and a five-day issue when the lab runs low.
	use := map[*itemDef]decimal.Decimal{
		media:   dec(g.scaled(pct, 400, 2200), 3),
		reagent: dec(g.scaled(pct, 1500, 12000), 2),
		tips:    dec(g.scaled(pct, 300, 1500), 0),
	}
	full := map[*itemDef]decimal.Decimal{media: d("6.5"), reagent: d("340"), tips: d("4500")}
	issue := g.topUp([]*itemDef{media, reagent, tips}, bonded, lab, func(it *itemDef) decimal.Decimal { return use[it] },
		func(it *itemDef) decimal.Decimal { return full[it] })
	if len(issue) > 0 {
		no := g.internalNo("LY", day)
		g.file(day, who, r, doc{"rnd-issue", no, ""}, flowRndIssue, fmt.Sprintf("研发领用 %d lines to lab B-3", len(issue)),
			map[string]string{"project": "HY-2026-07 单抗药物筛选"}, issue, "")
	}
	// Usage report (研发耗用): written off by actual use (自主核定耗用).
	var moves []move
	for _, it := range []*itemDef{media, reagent, tips} {
		if q := decimal.Min(use[it], g.m.qty(lab, ik(it))); q.Sign() > 0 {
			moves = append(moves, move{Item: ik(it), From: lab, To: world("consumed"), Qty: q})
		}
	}
	if len(moves) > 0 {
		no := g.internalNo("YF", day)
		g.file(day, who, r, doc{"rnd-usage-report", no, ""}, flowRndUse, fmt.Sprintf("研发耗用 %d lines (actual use)", len(moves)),
			map[string]string{"project": "HY-2026-07 单抗药物筛选", "basis": "自主核定耗用 (actual use)"}, moves, "")
	}
	if day == g.refuseRndDay {
		g.overdraw(day, who, media, lab, world("consumed"), "50", doc{"rnd-usage-report", g.internalNo("YF", day), ""}, flowRndUse, "研发耗用", "lab holds",
			map[string]string{"project": "HY-2026-07 单抗药物筛选"})
	}
}
