package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// The out-of-zone scene, played today (the forms' periods and the due-back
// dates run from the server's today): the processing enterprise of the
// logistics centre keeps a third H book with an injection mould and
// aluminium sheet. It sends the mould out to a supplier under a 模具外发
// (type F) form, due back a week from today; and sends sheet to a
// contractor under a 外发加工 (type B) form, which returns stamped housings
// and scrap, consumes most of the sheet, sends some back unused, and buys
// the rest (converted to a domestic sale, taxed by the server). Customs' one overdue listing
// (OutZoneService.ListOverdue), read as of a month after the mould's due
// day, shows the mould. The demo prints what the server answered.

// outzoneBook is the processing enterprise's out-of-zone book.
const outzoneBook = "H4601A000216"

var outzoneLines = []*customsv1.BookLine{
	unitLine(1, "8480719090", "注塑模具（设备）", "外壳模 1出2", "007", 0, goodsEquipment),
	unitLine(2, "7606125000", "铝合金板（料件）", "5052 H32", "035", 3, goodsMaterial),
	unitLine(3, "8516900000", "冲压外壳（成品）", "微波炉外壳", "007", 0, goodsFinished),
	unitLine(4, "7602000090", "铝边角料", "冲压余料", "035", 3, goodsMaterial),
}

// OutZoneResult is the out-of-zone scene as the server answered it.
type OutZoneResult struct {
	Book string
	// MouldForm and OutsourcingForm are the type-F and type-B forms.
	MouldForm, OutsourcingForm *customsv1.Form
	// Moves are the movements in the order filed.
	Moves []*customsv1.OutZoneMove
	// Refused is the reason of the attempt to bring back two moulds.
	Refused string
	// Stock is the book's stock report now.
	Stock []*customsv1.StockLine
	// AsOf is the day the overdue listing was drawn up for; Overdue its
	// rows on the book.
	AsOf    string
	Overdue []*customsv1.OverdueItem
	Calls   int
}

func runOutZone(ctx context.Context, c *client, cast *logisticsCast, today time.Time) (*OutZoneResult, error) {
	lc := sceneRun(ctx, c, cast, today.Year(), today.Month())
	p, res := lc.p, &OutZoneResult{Book: outzoneBook}
	defer func() { res.Calls = lc.res.Calls }()
	nd, officer := cast.Nandu.Principal, "customs-4601"
	after := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }

	openBook(p, nd, zoneBook(cast, outzoneBook, customsv1.BookKind_BOOK_KIND_ZONE, "1"), outzoneLines)
	entry := lc.file(nd, &customsv1.CreateListRequest{InnerNo: "NDQD-W1", BookNo: outzoneBook, Io: "I", TradeMode: "5015", DeclareFlag: "1",
		DeclarationKind: "2", Country: "JPN", Date: after(0), Lines: []*customsv1.ListLine{
			{BookSeq: 1, Quantity: "1", Total: "180000.00", Currency: "142", GrossWeight: "850", NetWeight: "800"},
			{BookSeq: 2, Quantity: "2000", Total: "80000.00", Currency: "142", GrossWeight: "2050", NetWeight: "2000"}}}, true)
	gateThrough(lc, nd, entry, "2", "I", "琼A·N0216", time.Now().Add(-time.Minute))

	form := func(inner, ft string, until string) *customsv1.Form {
		return do(p, nd, c.decl.CreateForm, &customsv1.CreateFormRequest{InnerNo: inner, BookNo: outzoneBook, FormType: ft, ValidFrom: after(0),
			ValidUntil: until}).GetForm()
	}
	res.MouldForm = form("NDSQ-F1", "F", after(60))
	res.OutsourcingForm = form("NDSQ-B1", "B", after(90))
	move := func(req *customsv1.MoveOutZoneRequest) *customsv1.OutZoneMove {
		m := do(p, nd, c.outzone.MoveOutZone, req).GetMove()
		res.Moves = append(res.Moves, m)
		return m
	}
	line := func(seq int32, q string) []*customsv1.OutZoneLine {
		return []*customsv1.OutZoneLine{{BookSeq: seq, Quantity: q}}
	}
	// The mould goes to the supplier who moulds our housings, due back in a week.
	mould := move(&customsv1.MoveOutZoneRequest{InnerNo: "NDWF-F1", ApplyNo: res.MouldForm.GetFormNo(), Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT,
		DueBack: after(7), Counterparty: "东莞精工塑胶制品有限公司", Contract: "HT-MJ-2026-01", Lines: line(1, "1")})
	// 外发加工: 500 kg of sheet to the contractor, due back in 20 days.
	sheet := move(&customsv1.MoveOutZoneRequest{InnerNo: "NDWF-B1", ApplyNo: res.OutsourcingForm.GetFormNo(), Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT,
		DueBack: after(20), Counterparty: "海口椰城五金冲压厂", Contract: "HT-WF-2026-03", Lines: line(2, "500")})
	// Back: 3,200 housings and 12.5 kg of scrap from 400 kg consumed; 60 kg unused.
	move(&customsv1.MoveOutZoneRequest{InnerNo: "NDWB-B1", ApplyNo: res.OutsourcingForm.GetFormNo(), Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK,
		OutNo: sheet.GetMoveNo(), Lines: line(2, "60"), Consumed: line(2, "400"),
		Products: []*customsv1.OutZoneLine{{BookSeq: 3, Quantity: "3200"}, {BookSeq: 4, Quantity: "12.5", Scrap: true}}})
	// The contractor buys the 40 kg left: a domestic sale, taxed.
	move(&customsv1.MoveOutZoneRequest{InnerNo: "NDWC-B1", ApplyNo: res.OutsourcingForm.GetFormNo(), Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT,
		OutNo: sheet.GetMoveNo(), Lines: []*customsv1.OutZoneLine{{BookSeq: 2, Quantity: "40", Value: "1600.00"}}})
	// Two moulds back when one went out: refused.
	res.Refused = refuse(p, "bringing back two moulds when one went out", errorsv1.Reason_OUT_ZONE_EXCEEDS_SENT.String(), nd, c.outzone.MoveOutZone,
		&customsv1.MoveOutZoneRequest{InnerNo: "NDWB-F1", ApplyNo: res.MouldForm.GetFormNo(), Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK,
			OutNo: mould.GetMoveNo(), Lines: line(1, "2")}).Reason
	// Read back the OUT movements as customs, and the stock.
	for i, m := range res.Moves {
		if m.GetKind() == customsv1.OutZoneKind_OUT_ZONE_KIND_OUT {
			res.Moves[i] = do(p, officer, c.outzone.GetOutZoneMove, &customsv1.GetOutZoneMoveRequest{MoveNo: m.GetMoveNo()}).GetMove()
		}
	}
	res.Stock = stockReport(p, officer, outzoneBook)
	res.AsOf = after(37)
	res.Overdue = do(p, officer, c.outzone.ListOverdue, &customsv1.ListOverdueRequest{BookNo: outzoneBook, AsOf: res.AsOf}).GetItems()
	if len(res.Overdue) != 1 || res.Overdue[0].GetKind() != customsv1.OverdueKind_OVERDUE_KIND_MOULD {
		p.fail("the overdue listing of %s should show the mould alone; the server shows %v", outzoneBook, res.Overdue)
	}
	return res, p.err
}

// printOutZone writes the out-of-zone section (19): the movements, the stock,
// and the overdue listing, as the server answered.
func printOutZone(w io.Writer, r *OutZoneResult) {
	fmt.Fprintf(w, "19. Out of the zone and back (OutZoneService): a mould sent out and overdue, a 外发加工 round trip\n\n")
	fmt.Fprintf(w, "  Book %s (南渡江智造): form %s (F 模具外发) and form %s (B 外发加工), valid to %s and %s.\n\n",
		r.Book, r.MouldForm.GetFormNo(), r.OutsourcingForm.GetFormNo(), r.MouldForm.GetValidUntil(), r.OutsourcingForm.GetValidUntil())
	t := newTable("movement", "form", "kind", "date", "due back", "counterparty", "goods", "still out", "tax", "status", "journal").alignRight(8, 10)
	for _, m := range r.Moves {
		var goods, left []string
		for _, l := range m.GetLines() {
			goods = append(goods, fmt.Sprintf("%d×%s", l.GetBookSeq(), l.GetQuantity()))
		}
		for _, l := range m.GetConsumed() {
			goods = append(goods, fmt.Sprintf("used %d×%s", l.GetBookSeq(), l.GetQuantity()))
		}
		for _, l := range m.GetProducts() {
			p := "made"
			if l.GetScrap() {
				p = "scrap"
			}
			goods = append(goods, fmt.Sprintf("%s %d×%s", p, l.GetBookSeq(), l.GetQuantity()))
		}
		for _, l := range m.GetOutstanding() {
			left = append(left, fmt.Sprintf("%d×%s", l.GetBookSeq(), l.GetQuantity()))
		}
		t.add(m.GetMoveNo(), m.GetFormType(), enumShort(m.GetKind().String(), "OUT_ZONE_KIND_"), m.GetDate(), m.GetDueBack(), m.GetCounterparty(),
			strings.Join(goods, ", "), strings.Join(left, ", "), m.GetTax(), m.GetStatus(), fmt.Sprint(m.GetJournalId()))
	}
	t.render(w, "  ")
	fmt.Fprintf(w, "\n  Bringing back 2 moulds when 1 went out: refused, %s.\n\n", r.Refused)
	fmt.Fprintf(w, "  Stock report of %s now (GetStockReport, read as customs-4601): goods out of the zone stay bonded on the book.\n\n", r.Book)
	s := newTable("line", "name", "bonded", "available", "out of the zone").alignRight(0, 2, 3, 4)
	for _, l := range r.Stock {
		s.add(fmt.Sprint(l.GetBookSeq()), l.GetName(), l.GetBonded(), l.GetAvailable(), l.GetOutZone())
	}
	s.render(w, "  ")
	fmt.Fprintf(w, "\n  Customs' overdue listing of %s as of %s (ListOverdue):\n\n", r.Book, r.AsOf)
	o := newTable("due", "days overdue", "kind", "documents", "quantity", "note").alignRight(1, 4)
	for _, it := range r.Overdue {
		o.add(it.GetDue(), fmt.Sprint(it.GetDaysOverdue()), enumShort(it.GetKind().String(), "OVERDUE_KIND_"), strings.Join(it.GetDocuments(), " "), it.GetQuantity(), it.GetNote())
	}
	o.render(w, "  ")
	fmt.Fprintln(w)
}
