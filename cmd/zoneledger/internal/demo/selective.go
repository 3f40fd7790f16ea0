package demo

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The selective-duty scene (内销选择性征收关税, section 15): the processing
// enterprise of the logistics centre keeps a second H book on which it
// imports two materials, reports their consumption into microwave ovens,
// and sells some ovens to the domestic market on a 清单类型 A list that names
// the materials they consumed. The server taxes the sale on the materials
// (duty at each material's rate) with 缓税利息 from the materials' first
// import, or the book's last write-off date when later, to the list's
// declaration day. The demo prints what the server computed; it computes
// no tax itself.

// selectiveBook is the processing enterprise's second book.
const selectiveBook = "H4601A000210"

// Its lines: two materials and the finished good, with the sample
// tariff's rates noted for the reader (the server applies its tariff).
var selectiveLines = []*customsv1.BookLine{
	unitLine(1, "7606125000", "铝合金板（料件）", "5052 H32", "035", 3, goodsMaterial),
	unitLine(2, "8504409999", "开关电源（料件）", "24V 5A", "007", 0, goodsMaterial),
	unitLine(3, "8516500000", "微波炉（成品）", "20L 700W", "001", 0, goodsFinished),
}

// SelectiveResult is the selective-duty scene as the server answered it.
type SelectiveResult struct {
	Book string
	// Entry is the materials' entry list; Sale the 清单类型 A list.
	Entry, Sale *customsv1.List
	// LastWriteOff is the book's last write-off date as the server keeps it.
	LastWriteOff string
	// Events are the sale's taxable events (ListTaxableEvents).
	Events []*customsv1.TaxableEvent
	Calls  int
}

// runSelective plays the scene on days of the month.
func runSelective(ctx context.Context, c *client, cast *logisticsCast, year int, month time.Month, days int) (*SelectiveResult, error) {
	lc := sceneRun(ctx, c, cast, year, month)
	p, res := lc.p, &SelectiveResult{Book: selectiveBook}
	defer func() { res.Calls = lc.res.Calls }()
	nd := cast.Nandu.Principal
	importDay, produceDay, saleDay := max(2, days/6), max(3, days/2), max(4, days*5/6)

	// The book, its lines, and its last write-off: the end of the month
	// before, earlier than the materials' first import.
	openBook(p, nd, zoneBook(cast, selectiveBook, customsv1.BookKind_BOOK_KIND_ZONE, "1"), selectiveLines)
	b := do(p, nd, c.books.SetLastWriteOffDate, &customsv1.SetLastWriteOffDateRequest{BookNo: selectiveBook, Date: lc.dateOf(0)})
	res.LastWriteOff = b.GetBook().GetLastWriteOffDate()

	// The materials enter from abroad (一线入区, 5015 区内进料加工).
	res.Entry = lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-A1", BookNo: selectiveBook, Io: "I", TradeMode: "5015", DeclareFlag: "1",
		DeclarationKind: "2", Country: "JPN", Date: lc.dateOf(importDay), Lines: []*customsv1.ListLine{
			{BookSeq: 1, Quantity: "600", Total: "24000.00", Currency: "142", GrossWeight: "620", NetWeight: "600"},
			{BookSeq: 2, Quantity: "400", Total: "32000.00", Currency: "142", GrossWeight: "90", NetWeight: "80"}}}, true)
	gateOn(lc, res.Entry, "2", "I", "琼A·N0210", importDay)

	// Production: 400 ovens from 600 kg of sheet and 400 power supplies.
	do(p, nd, c.decl.ReportConsumption, &customsv1.ReportConsumptionRequest{InnerNo: "NDHX-A1", BookNo: selectiveBook, Purpose: "微波炉总装",
		Date: lc.dateOf(produceDay), Consumed: []*customsv1.ConsumedLine{{BookSeq: 1, Quantity: "600"}, {BookSeq: 2, Quantity: "400"}},
		Produced: []*customsv1.ProducedLine{{BookSeq: 3, Quantity: "400", Value: "96000.00"}}})

	// The sale: 120 ovens to the domestic market on a 清单类型 A list naming
	// what they consumed: 180 kg of sheet and 120 power supplies, at their
	// entry values.
	res.Sale = lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-A2", BookNo: selectiveBook, ListType: "A", Io: "E", TradeMode: "0110",
		DeclareFlag: "1", DeclarationKind: "2", Date: lc.dateOf(saleDay), Lines: []*customsv1.ListLine{
			{BookSeq: 3, Quantity: "120", Total: "54000.00", Currency: "142", GrossWeight: "1680", NetWeight: "1440",
				Materials: []*customsv1.ListLineMaterial{{BookSeq: 1, Quantity: "180", Value: "7200.00"}, {BookSeq: 2, Quantity: "120", Value: "9600.00"}}}}}, true)
	gateOn(lc, res.Sale, "3", "E", "琼A·N0211", saleDay)

	res.Events = taxableEvents(p, "customs-4601", selectiveBook)
	if len(res.Events) != 1 || res.Events[0].GetAssessError() != "" || res.Events[0].GetDutyBasis() != "MATERIALS" {
		p.fail("the selective-duty sale should have one event taxed on its materials; the server shows %v", res.Events)
	}
	return res, p.err
}

// printSelective writes section 15: the sale's taxable event as the
// server assessed it.
func printSelective(w io.Writer, sr *SelectiveResult) {
	fmt.Fprintf(w, "15. Selective duty (内销选择性征收关税): a 清单类型 A list taxed on the materials its goods consumed, with 缓税利息\n\n")
	fmt.Fprintf(w, "  Book %s (南渡江智造): materials entered on %s (list %s); last write-off %s; list %s (清单类型 A) sells the finished ovens.\n",
		sr.Book, sr.Entry.GetDate(), sr.Entry.GetListNo(), cmp.Or(sr.LastWriteOff, "never"), sr.Sale.GetListNo())
	fmt.Fprintf(w, "  Taxable events of %s (ListTaxableEvents), as the server computed them. The tax date is the day the list was declared (the\n", sr.Book)
	fmt.Fprintf(w, "  demo declares the month's lists today, dated back to their days), not the gate day: it picks the rates and ends the interest.\n\n")
	t := newTable("list", "line", "goods", "value", "gate day", "tax date", "basis", "duty", "VAT", "interest from", "days", "rate", "interest", "total").alignRight(1, 3, 7, 8, 10, 11, 12, 13)
	for _, ev := range sr.Events {
		t.add(ev.GetListNo(), fmt.Sprint(ev.GetListSeq()), ev.GetHsCode()+" × "+ev.GetQuantity(), ev.GetDutiableValue(), ev.GetDate(), ev.GetTaxDate(),
			ev.GetDutyBasis(), ev.GetDuty(), ev.GetVat(), ev.GetInterestFrom(), fmt.Sprint(ev.GetInterestDays()), ev.GetInterestRate(), ev.GetInterest(), ev.GetTotal())
	}
	t.render(w, "  ")
	fmt.Fprintf(w, "\n  The materials of each event, with the duty on each (exact; the event's duty is their sum rounded once to the fen):\n\n")
	m := newTable("list", "line", "material", "legal qty", "value", "first import", "duty").alignRight(1, 3, 4, 6)
	for _, ev := range sr.Events {
		for _, mat := range ev.GetMaterials() {
			m.add(ev.GetListNo(), fmt.Sprint(ev.GetListSeq()), fmt.Sprintf("%d %s", mat.GetBookSeq(), mat.GetHsCode()),
				mat.GetLegalQuantity()+" "+mat.GetLegalUnit(), mat.GetDutiableValue(), mat.GetFirstImport(), mat.GetDuty())
		}
	}
	m.render(w, "  ")
	fmt.Fprintf(w, "\n  缓税利息 runs from the materials' first import, or the book's last write-off date when later, to the tax date.\n\n")
}
