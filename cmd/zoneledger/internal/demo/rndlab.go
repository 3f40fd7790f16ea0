package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The R&D lab (section 17): the processing enterprise's bonded R&D book
// (保税研发, kind RND) takes R&D materials from abroad (5010), runs two
// projects, and reports per project what it actually used (no fixed 单耗)
// and the prototypes, samples and scrap it made; its test bench is
// equipment held apart. Every figure printed is the server's answer.

// rndLabBook is the lab's bonded R&D book.
const rndLabBook = "H4601R000230"

var rndLabLines = []*customsv1.BookLine{
	unitLine(1, "7606125000", "铝合金板（研发料件）", "6061 T6", "035", 3, goodsMaterial),
	unitLine(2, "8504409999", "开关电源（研发料件）", "48V 10A", "007", 0, goodsMaterial),
	unitLine(3, "8516500000", "微波炉样机", "变频 1000W", "001", 0, goodsFinished),
	unitLine(4, "9030390000", "电参数测试台（设备）", "PA-3000", "001", 0, goodsEquipment),
}

// RndLabResult is the lab's month as the server answered it.
type RndLabResult struct {
	Book string
	// Uses are the R&D uses as booked; Projects the projects with their
	// totals (GetRndProject).
	Uses     []*customsv1.RndUse
	Projects []*customsv1.GetRndProjectResponse
	Stock    []*customsv1.StockLine
	Calls    int
}

func runRndLab(ctx context.Context, c *client, cast *logisticsCast, year int, month time.Month, days int) (*RndLabResult, error) {
	lc := sceneRun(ctx, c, cast, year, month)
	p, res := lc.p, &RndLabResult{Book: rndLabBook}
	defer func() { res.Calls = lc.res.Calls }()
	rnd := customsv1.NewRndServiceClient(c.conn)
	nd, cu := cast.Nandu.Principal, "customs-4601"
	date := lc.dateOf

	openBook(p, nd, zoneBook(cast, rndLabBook, customsv1.BookKind_BOOK_KIND_RND, "4"), rndLabLines)
	entry := lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-R1", BookNo: rndLabBook, Io: "I", TradeMode: "5010", DeclareFlag: "1",
		DeclarationKind: "2", Country: "DEU", Date: date(1), Lines: []*customsv1.ListLine{
			{BookSeq: 1, Quantity: "80", Total: "4800.00", Currency: "142", GrossWeight: "85", NetWeight: "80"},
			{BookSeq: 2, Quantity: "20", Total: "6000.00", Currency: "142", GrossWeight: "12", NetWeight: "10"},
			{BookSeq: 4, Quantity: "1", Total: "150000.00", Currency: "142", GrossWeight: "300", NetWeight: "280"}}}, true)
	gateOn(lc, entry, "2", "I", "琼A·N0230", 1)

	for _, pr := range []struct{ code, name string }{{"RD-MW-01", "变频微波炉平台"}, {"RD-PS-02", "高效开关电源"}} {
		do(p, nd, rnd.FileRndProject, &customsv1.FileRndProjectRequest{BookNo: rndLabBook, Code: pr.code, Name: pr.name, Start: date(1)})
	}
	uses := []*customsv1.FileRndUseRequest{
		{InnerNo: "NDYF-1", BookNo: rndLabBook, Project: "RD-MW-01", Date: date(max(2, days/3)),
			Materials: []*customsv1.RndMaterial{{BookSeq: 1, Quantity: "24.5"}, {BookSeq: 2, Quantity: "3"}},
			Outputs: []*customsv1.RndOutput{{BookSeq: 3, Quantity: "2", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE},
				{BookSeq: 1, Quantity: "1.75", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_SCRAP}}},
		{InnerNo: "NDYF-2", BookNo: rndLabBook, Project: "RD-PS-02", Date: date(max(3, days/2)),
			Materials: []*customsv1.RndMaterial{{BookSeq: 2, Quantity: "6"}},
			Outputs:   []*customsv1.RndOutput{{BookSeq: 2, Quantity: "2", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_SAMPLE}}},
		{InnerNo: "NDYF-3", BookNo: rndLabBook, Project: "RD-MW-01", Date: date(max(4, days*2/3)),
			Materials: []*customsv1.RndMaterial{{BookSeq: 1, Quantity: "12.25"}, {BookSeq: 2, Quantity: "1"}},
			Outputs:   []*customsv1.RndOutput{{BookSeq: 3, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE}}},
	}
	for _, u := range uses {
		res.Uses = append(res.Uses, do(p, nd, rnd.FileRndUse, u).GetUse())
	}
	for _, code := range []string{"RD-MW-01", "RD-PS-02"} {
		res.Projects = append(res.Projects, do(p, cu, rnd.GetRndProject, &customsv1.GetRndProjectRequest{BookNo: rndLabBook, Code: code}))
	}
	res.Stock = stockReport(p, cu, rndLabBook)
	return res, p.err
}

// printRndLab writes section 17 from the server's answers.
func printRndLab(w io.Writer, rr *RndLabResult) {
	fmt.Fprintf(w, "17. An R&D lab (保税研发): two projects, materials written off by what each actually used\n\n")
	fmt.Fprintf(w, "  Book %s (bonded R&D, kind RND). Uses (FileRndUse), each booked by the materials the lab reports it used:\n\n", rr.Book)
	ut := newTable("use", "project", "date", "used", "made").alignRight()
	for _, u := range rr.Uses {
		var used, made []string
		for _, m := range u.GetMaterials() {
			used = append(used, fmt.Sprintf("%s × line %d", m.GetQuantity(), m.GetBookSeq()))
		}
		for _, o := range u.GetOutputs() {
			made = append(made, fmt.Sprintf("%s × line %d %s", o.GetQuantity(), o.GetBookSeq(), enumShort(o.GetKind().String(), "RND_OUTPUT_KIND_")))
		}
		ut.add(u.GetUseNo(), u.GetProject(), u.GetDate(), strings.Join(used, ", "), strings.Join(made, ", "))
	}
	ut.render(w, "  ")
	fmt.Fprintf(w, "\n  Per project (GetRndProject): what the write-off of the R&D book reports:\n\n")
	pt := newTable("project", "name", "uses", "consumed", "made").alignRight(2)
	for _, p := range rr.Projects {
		var cons, made []string
		for _, t := range p.GetConsumed() {
			cons = append(cons, fmt.Sprintf("line %d: %s", t.GetBookSeq(), t.GetQuantity()))
		}
		for _, t := range p.GetMade() {
			made = append(made, fmt.Sprintf("line %d %s: %s", t.GetBookSeq(), enumShort(t.GetKind().String(), "RND_OUTPUT_KIND_"), t.GetQuantity()))
		}
		pt.add(p.GetProject().GetCode(), p.GetProject().GetName(), fmt.Sprint(p.GetUses()), strings.Join(cons, "; "), strings.Join(made, "; "))
	}
	pt.render(w, "  ")
	fmt.Fprintf(w, "\n  Stock at the end (GetStockReport); line 4, the test bench, is equipment held apart, never consumed:\n\n")
	printBonded(w, rr.Stock)
	fmt.Fprintln(w)
}
