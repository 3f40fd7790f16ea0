package demo

import (
	"context"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The steps the scenes after the logistics month share: a book registered
// with its lines, a list's goods through the gate, and the book's stock and
// taxable events read back. Each scene states only what is its own.

// sceneRun is the logistics run a scene files its lists through (file,
// next, its play), on the days of year and month; its calls count in its
// result.
func sceneRun(ctx context.Context, c *client, cast *logisticsCast, year int, month time.Month) *logisticsRun {
	r := &logisticsRun{c: c, cast: cast, year: year, month: month, counters: map[string]int{}, res: &LogisticsResult{}}
	r.p = &play{ctx: ctx, c: c, calls: &r.res.Calls}
	return r
}

// dateOf is day of the run's month as a business date (2006-01-02).
func (r *logisticsRun) dateOf(day int) string { return r.date(day).Format(time.DateOnly) }

// openBook registers a book (CreateBook) and its lines (AddBookLines) as
// who.
func openBook(p *play, who string, book *customsv1.CreateBookRequest, lines []*customsv1.BookLine) {
	do(p, who, p.c.books.CreateBook, book)
	do(p, who, p.c.books.AddBookLines, &customsv1.AddBookLinesRequest{BookNo: book.GetBookNo(), Lines: lines})
}

// registerEnterprises has customs-4601 register the enterprises
// (RegisterEnterprise), each with the credit rating GENERAL.
func registerEnterprises(p *play, es ...*customsEnterprise) {
	for _, e := range es {
		do(p, "customs-4601", p.c.books.RegisterEnterprise, &customsv1.RegisterEnterpriseRequest{Uscc: e.USCC, CustomsCode: e.CustomsNo, Name: e.Name,
			CreditRating: customsv1.CreditRating_CREDIT_RATING_GENERAL})
	}
}

// open registers a cast's book and its lines as the book's owner.
func (b *customsBook) open(p *play) {
	lines := make([]*customsv1.BookLine, 0, len(b.Lines))
	for _, l := range b.Lines {
		lines = append(lines, l.proto())
	}
	openBook(p, b.Owner.Principal, &customsv1.CreateBookRequest{BookNo: b.No, Kind: b.Kind, Enterprise: b.Owner.USCC,
		Usage: b.Usage, CustomsOffice: b.Office, WriteOffCycleMonths: 12}, lines)
}

// proto is the line as AddBookLines takes it.
func (l *bookLine) proto() *customsv1.BookLine {
	return &customsv1.BookLine{Seq: l.Seq, HsCode: l.HS, Name: l.Name, Spec: l.Spec, DeclaredUnit: l.Unit, Scale: l.Scale,
		Legal: &customsv1.LegalUnit{Unit: l.Legal, Factor: l.Factor.String()}, Type: l.Type}
}

// zoneBook is the CreateBook request of a book of the processing
// enterprise (南渡江智造), written off every twelve months.
func zoneBook(cast *logisticsCast, no string, kind customsv1.BookKind, usage string) *customsv1.CreateBookRequest {
	return &customsv1.CreateBookRequest{BookNo: no, Kind: kind, Enterprise: cast.Nandu.USCC, Usage: usage, CustomsOffice: customsOffice, WriteOffCycleMonths: 12}
}

// gateThrough sends a list's goods through the gate on one vehicle of 8
// tonnes: who files the pass (bound to the list alone), customs-4601's gate
// weighs it at the given time, and the pass must be PASSED.
func gateThrough(r *logisticsRun, who string, l *customsv1.List, passType, io, plate string, at time.Time) {
	gross, net := weights(l)
	ps := do(r.p, who, r.c.gate.CreatePass, &customsv1.CreatePassRequest{InnerNo: "NDHF-" + l.GetInnerNo(),
		BookNo: l.GetBookNo(), PassType: passType, BindType: "2", Io: io, RelatedType: "1", RelatedNos: []string{l.GetListNo()}, Vehicle: plate,
		VehicleWeight: "8000", GrossWeight: gross.String(), NetWeight: net.String()}).GetPass()
	ps = do(r.p, "customs-4601", r.c.gate.RecordGateEvent, &customsv1.RecordGateEventRequest{PassNo: ps.GetPassNo(),
		EventId: "KK1-" + l.GetInnerNo(), Gate: 1, Vehicle: plate, ScaleGross: decimal.NewFromInt(8000).Add(gross).String(), At: timestamppb.New(at)}).GetPass()
	wantPassed(r.p, ps)
}

// wantPassed fails the play unless the pass is PASSED.
func wantPassed(p *play, ps *customsv1.Pass) {
	if ps.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED {
		p.fail("pass %s is %s: %v", ps.GetPassNo(), ps.GetStatus(), ps.GetHoldReasons())
	}
}

// gateOn sends a list's goods through the gate as the processing enterprise
// at two in the afternoon of day.
func gateOn(r *logisticsRun, l *customsv1.List, passType, io, plate string, day int) {
	gateThrough(r, r.cast.Nandu.Principal, l, passType, io, plate, r.date(day).Add(14*time.Hour))
}

// stockReport is a book's stock report now (GetStockReport), read as who.
func stockReport(p *play, who, book string) []*customsv1.StockLine {
	return do(p, who, p.c.books.GetStockReport, &customsv1.GetStockReportRequest{BookNo: book}).GetLines()
}

// taxableEvents is a book's taxable events (ListTaxableEvents, up to a
// thousand), read as who.
func taxableEvents(p *play, who, book string) []*customsv1.TaxableEvent {
	return do(p, who, p.c.decl.ListTaxableEvents, &customsv1.ListTaxableEventsRequest{BookNo: book, PageSize: 1000}).GetEvents()
}

// enumShort drops an enum value's prefix.
func enumShort(s, prefix string) string { return strings.TrimPrefix(s, prefix) }

// The goods types of book lines.
const (
	goodsMaterial  = customsv1.GoodsType_GOODS_TYPE_MATERIAL
	goodsFinished  = customsv1.GoodsType_GOODS_TYPE_FINISHED
	goodsEquipment = customsv1.GoodsType_GOODS_TYPE_EQUIPMENT
)

// unitLine is a book line whose legal unit is its declared unit (factor 1).
func unitLine(seq int32, hs, name, spec, unit string, scale int32, typ customsv1.GoodsType) *customsv1.BookLine {
	return &customsv1.BookLine{Seq: seq, HsCode: hs, Name: name, Spec: spec, DeclaredUnit: unit, Scale: scale,
		Legal: &customsv1.LegalUnit{Unit: unit, Factor: "1"}, Type: typ}
}
