package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The manufacturer's month (section 16): the processing enterprise of the
// logistics centre keeps a third H book on which it imports aluminium
// sheet and power supplies, makes microwave ovens under two unit
// consumption (单耗) versions — version 2 takes over in the middle of the
// month — reports production with its scrap (边角料), exports ovens, sells
// scrap to the domestic market (taxed, 0844) and has customs approve the
// destruction of the rest, its valuable residue sold and taxed. Every
// figure printed is the server's answer; the scene computes none.

// manufacturingBook is the manufacturer's book.
const manufacturingBook = "H4601A000220"

// Its lines: the selective-duty book's two materials and finished good,
// and the scrap the sheet leaves (a material line of its own, 铝边角料).
var manufacturingLines = append(slices.Clip(selectiveLines),
	unitLine(4, "7606125000", "铝边角料", "5052 冲压边角", "035", 3, goodsMaterial))

// ManufacturingResult is the manufacturer's month as the server answered it.
type ManufacturingResult struct {
	Book string
	// Versions are the oven's versions (ListVersions) at the end.
	Versions []*customsv1.Version
	// Reports are the month's production reports as booked.
	Reports []*customsv1.ProductionReport
	// Export is the export list; ScrapSale the scrap sold domestically.
	Export, ScrapSale *customsv1.List
	// Destruction is the scrap destroyed, as approved.
	Destruction *customsv1.Destruction
	// Events are the book's taxable events (ListTaxableEvents).
	Events []*customsv1.TaxableEvent
	// Stock is the book's stock report at the end.
	Stock []*customsv1.StockLine
	Calls int
}

// runManufacturing plays the scene on days of the month.
func runManufacturing(ctx context.Context, c *client, cast *logisticsCast, year int, month time.Month, days int) (*ManufacturingResult, error) {
	lc, proc := sceneRun(ctx, c, cast, year, month), customsv1.NewProcessingServiceClient(c.conn)
	p, res := lc.p, &ManufacturingResult{Book: manufacturingBook}
	defer func() { res.Calls = lc.res.Calls }()
	nd, cu := cast.Nandu.Principal, "customs-4601"
	switchDay := max(3, days/2)
	importDay, firstRun, secondRun, exportDay, scrapDay := 1, max(2, switchDay-2), max(switchDay, days*3/4), max(switchDay+1, days-2), max(switchDay+1, days-1)
	date := lc.dateOf

	openBook(p, nd, zoneBook(cast, manufacturingBook, customsv1.BookKind_BOOK_KIND_ZONE, "1"), manufacturingLines)

	// Materials from abroad (5015 区内进料加工).
	entry := lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-M1", BookNo: manufacturingBook, Io: "I", TradeMode: "5015", DeclareFlag: "1",
		DeclarationKind: "2", Country: "JPN", Date: date(importDay), Lines: []*customsv1.ListLine{
			{BookSeq: 1, Quantity: "1000", Total: "40000.00", Currency: "142", GrossWeight: "1030", NetWeight: "1000"},
			{BookSeq: 2, Quantity: "600", Total: "48000.00", Currency: "142", GrossWeight: "130", NetWeight: "120"}}}, true)
	gateOn(lc, entry, "2", "I", "琼A·N0220", importDay)

	// Two versions of the oven: version 1 from the 1st, version 2 (a
	// thinner sheet, less loss) from switchDay; both declared (单耗申报).
	for _, v := range []struct{ no, from, net, loss string }{{"1", date(1), "1.425", "5"}, {"2", date(switchDay), "1.2", "4"}} {
		do(p, nd, proc.PutVersion, &customsv1.PutVersionRequest{BookNo: manufacturingBook, FinishedSeq: 3, Version: v.no, EffectiveDate: v.from,
			Norms: []*customsv1.Norm{{MaterialSeq: 1, Net: v.net, LossPercent: v.loss}, {MaterialSeq: 2, Net: "1"}}})
		do(p, nd, proc.DeclareVersion, &customsv1.DeclareVersionRequest{BookNo: manufacturingBook, FinishedSeq: 3, Version: v.no})
	}

	// Production before and after the switch, each with the scrap the
	// sheet left.
	for _, run := range []struct {
		inner       string
		day         int
		ovens, crap string
	}{{"NDSC-M1", firstRun, "200", "15"}, {"NDSC-M2", secondRun, "200", "10"}} {
		rep := do(p, nd, proc.FileProductionReport, &customsv1.FileProductionReportRequest{InnerNo: run.inner, BookNo: manufacturingBook, Date: date(run.day),
			Outputs: []*customsv1.ProductionOutput{{BookSeq: 3, Quantity: run.ovens, Value: "0"},
				{BookSeq: 4, Quantity: run.crap, Category: customsv1.ProductionCategory_PRODUCTION_CATEGORY_SCRAP}}})
		res.Reports = append(res.Reports, rep.GetReport())
	}

	// Exports: 300 ovens abroad (5015, E), naming the version in force.
	res.Export = lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-M2", BookNo: manufacturingBook, Io: "E", TradeMode: "5015", DeclareFlag: "1",
		DeclarationKind: "2", Country: "USA", Date: date(exportDay), Lines: []*customsv1.ListLine{
			{BookSeq: 3, Quantity: "300", Total: "135000.00", Currency: "142", GrossWeight: "4200", NetWeight: "3600", ConsumptionVersion: "2"}}}, true)
	gateOn(lc, res.Export, "2", "E", "琼A·N0221", exportDay)

	// Scrap: 15 kg sold to a domestic recycler (0844, taxed as scrap) ...
	res.ScrapSale = lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-M3", BookNo: manufacturingBook, Io: "E", TradeMode: "0844", DeclareFlag: "1",
		DeclarationKind: "2", Date: date(scrapDay), Lines: []*customsv1.ListLine{
			{BookSeq: 4, Quantity: "15", Total: "1650.00", Currency: "142", GrossWeight: "16", NetWeight: "15"}}}, true)
	gateOn(lc, res.ScrapSale, "3", "E", "琼A·N0222", scrapDay)

	// ... and 10 kg destroyed under customs' eye, the residue sold for 960.
	d := do(p, nd, proc.RequestDestruction, &customsv1.RequestDestructionRequest{InnerNo: "NDXH-M1", BookNo: manufacturingBook, Date: date(scrapDay),
		Reason: "油污边角料，无再利用价值", Lines: []*customsv1.DestroyLine{{BookSeq: 4, Quantity: "10"}}, ResidueValue: "960.00", ResidueHsCode: "7606125000"})
	res.Destruction = do(p, cu, proc.ApproveDestruction, &customsv1.ApproveDestructionRequest{DestructionNo: d.GetDestruction().GetDestructionNo(),
		Note: "现场监督销毁"}).GetDestruction()

	// What the server keeps: the versions, the taxable events, the stock.
	res.Versions = do(p, cu, proc.ListVersions, &customsv1.ListVersionsRequest{BookNo: manufacturingBook, FinishedSeq: 3}).GetVersions()
	res.Events = taxableEvents(p, cu, manufacturingBook)
	res.Stock = stockReport(p, cu, manufacturingBook)
	if len(res.Events) != 2 {
		p.fail("the manufacturer's book should have two taxable events (scrap sold, residue sold); the server shows %v", res.Events)
	}
	return res, p.err
}

// printManufacturing writes section 16 from the server's answers.
func printManufacturing(w io.Writer, mr *ManufacturingResult) {
	fmt.Fprintf(w, "16. A manufacturer's month (加工制造): two 单耗 versions, production, exports, scrap sold and scrap destroyed\n\n")
	fmt.Fprintf(w, "  Book %s (南渡江智造). The oven's unit consumption versions (ListVersions); 单耗 = 净耗 / (1 − 工艺损耗率), as the server computed it:\n\n", mr.Book)
	vt := newTable("version", "effective", "status", "material", "net", "loss %", "单耗", "exact", "first used by", "superseded by").alignRight(4, 5, 6)
	for _, v := range mr.Versions {
		for _, n := range v.GetNorms() {
			vt.add(v.GetVersion(), v.GetEffectiveDate(), enumShort(v.GetStatus().String(), "VERSION_STATUS_"), fmt.Sprint(n.GetMaterialSeq()), n.GetNet(),
				n.GetLossPercent(), n.GetUnitConsumption(), fmt.Sprint(n.GetUnitConsumptionExact()), v.GetUsedBy(), v.GetSupersededBy())
		}
	}
	vt.render(w, "  ")
	fmt.Fprintf(w, "\n  Production reports (FileProductionReport): what each made, under which version, and what it consumed (bonded, loss within it):\n\n")
	rt := newTable("report", "date", "made", "category", "version", "lot", "consumed").alignRight(2)
	for _, rep := range mr.Reports {
		var used []string
		for _, cl := range rep.GetConsumed() {
			used = append(used, fmt.Sprintf("line %d: %s (loss %s)", cl.GetBookSeq(), cl.GetBonded(), cl.GetLoss()))
		}
		for i, o := range rep.GetOutputs() {
			cons := ""
			if i == 0 {
				cons = strings.Join(used, "; ")
			}
			rt.add(rep.GetReportNo(), rep.GetDate(), fmt.Sprintf("%s × line %d", o.GetQuantity(), o.GetBookSeq()),
				enumShort(o.GetCategory().String(), "PRODUCTION_CATEGORY_"), o.GetVersion(), o.GetLot(), cons)
		}
	}
	rt.render(w, "  ")
	fmt.Fprintf(w, "\n  Export %s (5015, E): %s ovens abroad, 单耗版本号 %s; scrap sale %s (0844); destruction %s (%s), residue sold for %s.\n",
		mr.Export.GetListNo(), mr.Export.GetLines()[0].GetQuantity(), mr.Export.GetLines()[0].GetConsumptionVersion(), mr.ScrapSale.GetListNo(),
		mr.Destruction.GetDestructionNo(), enumShort(mr.Destruction.GetStatus().String(), "DESTRUCTION_STATUS_"), mr.Destruction.GetResidueValue())
	fmt.Fprintf(w, "\n  Taxable events of %s (ListTaxableEvents): the scrap sold and the destruction's residue, taxed as scrap:\n\n", mr.Book)
	et := newTable("document", "category", "trade mode", "goods", "value", "duty", "VAT", "total").alignRight(4, 5, 6, 7)
	for _, ev := range mr.Events {
		et.add(ev.GetListNo(), enumShort(ev.GetGoodsCategory().String(), "GOODS_CATEGORY_"), ev.GetTradeMode(), ev.GetHsCode()+" × "+ev.GetQuantity(),
			ev.GetDutiableValue(), ev.GetDuty(), ev.GetVat(), ev.GetTotal())
	}
	et.render(w, "  ")
	fmt.Fprintf(w, "\n  Stock at the end (GetStockReport):\n\n")
	printBonded(w, mr.Stock)
	fmt.Fprintln(w)
}

// printBonded prints the bonded quantity of each line of a stock report.
func printBonded(w io.Writer, lines []*customsv1.StockLine) {
	t := newTable("line", "bonded").alignRight(0, 1)
	for _, l := range lines {
		t.add(fmt.Sprint(l.GetBookSeq()), l.GetBonded())
	}
	t.render(w, "  ")
}
