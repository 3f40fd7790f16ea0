// Package customsapi serves the zone's domain services over gRPC as
// zoneledger.customs.v1: customs/zone as BookService (books.go),
// DeclarationService (declarations.go), GateService (gate.go) and
// DisplayService (display.go), and customs/ecommerce as EcommerceService
// (ecommerce.go, ecommerce_convert.go); the package's TaxService is served
// by customs/taxapi. The handlers are thin: they take the authenticated
// caller from the context (access.FromContext), parse the wire request
// strictly (decimals with ledger.ParseDecimal, dates with ledger.ParseDate,
// errors naming the wire field such as "lines[2].quantity"), call the domain
// and convert its answer back. Every error leaves through grpcedge.Status,
// the one error table: domain reasons pass through as ErrorInfo reasons.
//
// On the wire, customs code values stay the short strings of the customs
// documents (list_type "6", io "E", trade_mode "5034"); the statuses and
// classes this system names itself are enums whose value names, without
// their prefix, are the domain's names. Quantities are written as they are;
// money to the fen (more places only if the value has them).
package customsapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// handle runs one call for the authenticated caller and turns any error
// into a gRPC status. renames maps domain field names to the wire's where
// they differ (e.g. a pass's "type" is the wire's "pass_type").
func handle[T any](ctx context.Context, renames map[string]string, fn func(p access.Principal) (T, error)) (T, error) {
	var zero T
	p, ok := access.FromContext(ctx)
	if !ok {
		return zero, grpcedge.Status(ledger.Errorf(ledger.KindUnauthenticated, ledger.ReasonUnauthenticated, "",
			"no authenticated principal: send the metadata \"authorization: Bearer <token>\""))
	}
	out, err := fn(p)
	if err != nil {
		return zero, grpcedge.Status(wireField(err, renames))
	}
	return out, nil
}

// wireField renames the field of a *ledger.Error by renames.
func wireField(err error, renames map[string]string) error {
	var le *ledger.Error
	if len(renames) == 0 || !errors.As(err, &le) {
		return err
	}
	f, ok := renames[le.Field]
	if !ok {
		return err
	}
	c := *le
	c.Field = f
	return &c
}

// Parsing. A parser keeps the first error, so a conversion reads as a list
// of fields and checks the error once.

type parser struct{ err error }

func (ps *parser) dec(s, field string) decimal.Decimal {
	if ps.err != nil {
		return decimal.Zero
	}
	d, err := ledger.ParseDecimal(s, field)
	ps.err = err
	return d
}

func (ps *parser) optDec(s, field string) decimal.Decimal {
	if ps.err != nil {
		return decimal.Zero
	}
	d, err := ledger.ParseOptionalDecimal(s, field)
	ps.err = err
	return d
}

func (ps *parser) optDate(s, field string) time.Time {
	if ps.err != nil || s == "" {
		return time.Time{}
	}
	t, err := ledger.ParseDate(s, field)
	ps.err = err
	return t
}

// enum returns the domain name of a wire enum value (its name without
// prefix), "" for the zero value; a value the schema does not define is
// refused.
func (ps *parser) enum(names map[int32]string, prefix string, v int32, field string) string {
	if ps.err != nil || v == 0 {
		return ""
	}
	n, ok := names[v]
	if !ok {
		ps.err = ledger.BadArgument(field, "%d is not a defined value", v)
		return ""
	}
	return n[len(prefix):]
}

// enumOut is the wire number of a domain name; 0 (unspecified) when the
// schema has no such value.
func enumOut(values map[string]int32, prefix, name string) int32 {
	if name == "" {
		return 0
	}
	return values[prefix+name]
}

// Output helpers.

func qty(d decimal.Decimal) string { return d.String() }

func dateOut(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ledger.FormatDate(t)
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func lotsOut(ls []zone.LotQuantity) []*customsv1.LotQuantity {
	var out []*customsv1.LotQuantity
	for _, l := range ls {
		out = append(out, &customsv1.LotQuantity{Lot: l.Lot, Quantity: qty(l.Quantity), Bucket: l.Bucket})
	}
	return out
}

// Enterprises and books.

func enterpriseIn(r *customsv1.RegisterEnterpriseRequest) (zone.Enterprise, error) {
	var ps parser
	e := zone.Enterprise{USCC: r.GetUscc(), CustomsCode: r.GetCustomsCode(), Name: r.GetName(),
		Credit: codes.CreditRating(ps.enum(customsv1.CreditRating_name, "CREDIT_RATING_", int32(r.GetCreditRating()), "credit_rating"))}
	return e, ps.err
}

func enterpriseOut(e zone.Enterprise) *customsv1.Enterprise {
	return &customsv1.Enterprise{Uscc: e.USCC, CustomsCode: e.CustomsCode, Name: e.Name,
		CreditRating: customsv1.CreditRating(enumOut(customsv1.CreditRating_value, "CREDIT_RATING_", string(e.Credit))),
		Suspended:    e.Suspended, CreatedAt: ts(e.CreatedAt)}
}

func bookIn(r *customsv1.CreateBookRequest) (zone.Book, error) {
	var ps parser
	b := zone.Book{No: r.GetBookNo(), Kind: codes.BookKind(ps.enum(customsv1.BookKind_name, "BOOK_KIND_", int32(r.GetKind()), "kind")),
		Enterprise: r.GetEnterprise(), Usage: r.GetUsage(), CustomsOffice: r.GetCustomsOffice(), WriteOffCycleMonths: int(r.GetWriteOffCycleMonths())}
	return b, ps.err
}

func bookOut(b zone.Book) *customsv1.Book {
	return &customsv1.Book{BookNo: b.No, Kind: customsv1.BookKind(enumOut(customsv1.BookKind_value, "BOOK_KIND_", string(b.Kind))),
		Enterprise: b.Enterprise, Usage: b.Usage, CustomsOffice: b.CustomsOffice,
		Status:              customsv1.BookStatus(enumOut(customsv1.BookStatus_value, "BOOK_STATUS_", string(b.Status))),
		WriteOffCycleMonths: int32(b.WriteOffCycleMonths), CreatedAt: ts(b.CreatedAt), LastWriteOffDate: dateOut(b.LastWriteOffDate),
		GeneralTaxpayer: b.GeneralTaxpayer}
}

func bookStatusIn(s customsv1.BookStatus) (codes.BookStatus, error) {
	var ps parser
	st := codes.BookStatus(ps.enum(customsv1.BookStatus_name, "BOOK_STATUS_", int32(s), "status"))
	return st, ps.err
}

func bookLinesIn(book string, ls []*customsv1.BookLine) ([]zone.BookLine, error) {
	var ps parser
	out := make([]zone.BookLine, len(ls))
	for i, l := range ls {
		f := fmt.Sprintf("lines[%d]", i)
		out[i] = zone.BookLine{Book: book, Seq: int(l.GetSeq()), HSCode: l.GetHsCode(), Name: l.GetName(), Spec: l.GetSpec(),
			DeclaredUnit: l.GetDeclaredUnit(), Scale: l.GetScale(),
			Type: codes.GoodsType(ps.enum(customsv1.GoodsType_name, "GOODS_TYPE_", int32(l.GetType()), f+".type"))}
		if lu := l.GetLegal(); lu != nil {
			out[i].Legal = zone.LegalUnit{Unit: lu.GetUnit(), Factor: ps.dec(lu.GetFactor(), f+".legal.factor")}
		}
		if lu := l.GetSecond(); lu != nil {
			out[i].Second = &zone.LegalUnit{Unit: lu.GetUnit(), Factor: ps.dec(lu.GetFactor(), f+".second.factor")}
		}
	}
	return out, ps.err
}

func bookLineOut(l zone.BookLine) *customsv1.BookLine {
	out := &customsv1.BookLine{BookNo: l.Book, Seq: int32(l.Seq), HsCode: l.HSCode, Name: l.Name, Spec: l.Spec, DeclaredUnit: l.DeclaredUnit,
		Scale: l.Scale, Legal: &customsv1.LegalUnit{Unit: l.Legal.Unit, Factor: qty(l.Legal.Factor)},
		Type: customsv1.GoodsType(enumOut(customsv1.GoodsType_value, "GOODS_TYPE_", string(l.Type))), PartNumbers: l.PartNumbers}
	if l.Second != nil {
		out.Second = &customsv1.LegalUnit{Unit: l.Second.Unit, Factor: qty(l.Second.Factor)}
	}
	return out
}

func stockLineOut(l zone.StockLine) *customsv1.StockLine {
	return &customsv1.StockLine{BookSeq: int32(l.BookSeq), Name: l.Name, Unit: l.Unit, Bonded: qty(l.Bonded), Available: qty(l.Available),
		Reserved: qty(l.Reserved), NonBonded: qty(l.NonBonded), NonBondedReserved: qty(l.NonBondedReserved),
		Inspection: qty(l.Inspection), Undeclared: qty(l.Undeclared), Display: qty(l.Display), OutZone: qty(l.OutZone)}
}

// Lists.

func listIn(r *customsv1.CreateListRequest) (zone.List, error) {
	var ps parser
	l := zone.List{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Type: codes.ListType(r.GetListType()), IO: codes.IOFlag(r.GetIo()),
		TradeMode: r.GetTradeMode(), DeclareFlag: codes.DeclareFlag(r.GetDeclareFlag()), DeclarationKind: codes.DeclarationKind(r.GetDeclarationKind()),
		DeclarationNo: r.GetDeclarationNo(), TransferType: codes.TransferType(r.GetTransferType()), RelatedListNo: r.GetRelatedListNo(),
		RelatedBookNo: r.GetRelatedBookNo(), ApplyNo: r.GetApplyNo(), EntryPassNos: r.GetEntryPassNos(), SlipNos: r.GetSlipNos(),
		Country: r.GetCountry(), ExchangeRate: ps.optDec(r.GetExchangeRate(), "exchange_rate"), Date: ps.optDate(r.GetDate(), "date")}
	for i, ln := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		l.Lines = append(l.Lines, zone.ListLine{BookSeq: int(ln.GetBookSeq()), PartNumber: ln.GetPartNumber(),
			Quantity: ps.dec(ln.GetQuantity(), f+".quantity"), Unit: ln.GetUnit(),
			UnitPrice: ps.optDec(ln.GetUnitPrice(), f+".unit_price"), Total: ps.optDec(ln.GetTotal(), f+".total"),
			Currency: ln.GetCurrency(), Country: ln.GetCountry(),
			GrossWeight: ps.optDec(ln.GetGrossWeight(), f+".gross_weight"), NetWeight: ps.optDec(ln.GetNetWeight(), f+".net_weight"),
			Lot: ln.GetLot(), Materials: materialsIn(&ps, ln.GetMaterials(), f), ConsumptionVersion: ln.GetConsumptionVersion(),
			Source: ln.GetSource(), SourceDocType: ln.GetSourceDocumentType(), SourceDocNo: ln.GetSourceDocumentNo(),
			GoodsCategory: codes.GoodsCategory(ps.enum(customsv1.GoodsCategory_name, "GOODS_CATEGORY_", int32(ln.GetGoodsCategory()), f+".goods_category"))})
	}
	return l, ps.err
}

func materialsIn(ps *parser, ms []*customsv1.ListLineMaterial, f string) []zone.MaterialLine {
	var out []zone.MaterialLine
	for j, m := range ms {
		mf := fmt.Sprintf("%s.materials[%d]", f, j)
		out = append(out, zone.MaterialLine{BookSeq: int(m.GetBookSeq()), Quantity: ps.dec(m.GetQuantity(), mf+".quantity"),
			Value: ps.dec(m.GetValue(), mf+".value")})
	}
	return out
}

func materialsOut(ms []zone.MaterialLine) []*customsv1.ListLineMaterial {
	var out []*customsv1.ListLineMaterial
	for _, m := range ms {
		out = append(out, &customsv1.ListLineMaterial{BookSeq: int32(m.BookSeq), Quantity: qty(m.Quantity), Value: ledger.FormatMoney(m.Value),
			HsCode: m.HSCode, Unit: m.Unit, LegalQuantity: qty(m.LegalQuantity), LegalUnit: m.LegalUnit, FirstImport: dateOut(m.FirstImport)})
	}
	return out
}

func listOut(l zone.List) *customsv1.List {
	out := &customsv1.List{ListNo: l.No, InnerNo: l.InnerNo, Enterprise: l.Enterprise, BookNo: l.Book, ListType: string(l.Type),
		Io: string(l.IO), TradeMode: l.TradeMode, DeclareFlag: string(l.DeclareFlag), DeclarationKind: string(l.DeclarationKind),
		DeclarationNo: l.DeclarationNo, TransferType: string(l.TransferType), RelatedListNo: l.RelatedListNo, RelatedBookNo: l.RelatedBookNo,
		ApplyNo: l.ApplyNo, EntryPassNos: l.EntryPassNos, SlipNos: l.SlipNos, Country: l.Country, ExchangeRate: qty(l.ExchangeRate),
		Flow: string(l.Flow), Status: customsv1.ListStatus(enumOut(customsv1.ListStatus_value, "LIST_STATUS_", string(l.Status))),
		GrossWeight: qty(l.GrossWeight), NetWeight: qty(l.NetWeight), Note: l.Note, FiledBy: l.FiledBy, CreatedAt: ts(l.CreatedAt),
		DeclaredAt: ts(l.DeclaredAt), ApprovedAt: ts(l.ApprovedAt), ApprovedBy: l.ApprovedBy, ClearedAt: ts(l.ClearedAt),
		JournalIds: l.JournalIDs, InputHash: l.InputHash, Date: dateOut(l.Date), Failure: l.Failure,
		CustomsNo: l.CustomsNo, CustomsStage: string(l.CustomsStage)}
	for _, ln := range l.Lines {
		out.Lines = append(out.Lines, &customsv1.ListLine{Seq: int32(ln.Seq), BookSeq: int32(ln.BookSeq), PartNumber: ln.PartNumber,
			Quantity: qty(ln.Quantity), Unit: ln.Unit, DeclaredQuantity: qty(ln.DeclaredQuantity), DeclaredUnit: ln.DeclaredUnit,
			LegalQuantity: qty(ln.LegalQuantity), UnitPrice: qty(ln.UnitPrice), Total: ledger.FormatMoney(ln.Total), Currency: ln.Currency,
			CnyValue: ledger.FormatMoney(ln.CNYValue), Country: ln.Country, GrossWeight: qty(ln.GrossWeight), NetWeight: qty(ln.NetWeight),
			Lot: ln.Lot, Passed: qty(ln.Passed), Lots: lotsOut(ln.Lots), Materials: materialsOut(ln.Materials),
			ConsumptionVersion: ln.ConsumptionVersion, GoodsCategory: goodsCategoryOut(ln.GoodsCategory),
			Source: ln.Source, SourceDocumentType: ln.SourceDocType, SourceDocumentNo: ln.SourceDocNo})
	}
	return out
}

// filterIn is the domain filter of a list call; status is the domain name
// of the wire status ("" for any).
func filterIn(book, enterprise, status, token string, size int32) (zone.ListFilter, error) {
	after, err := grpcedge.DecodePageToken(token)
	return zone.ListFilter{Book: book, Enterprise: enterprise, Status: status, After: after, Limit: grpcedge.PageSize(size)}, err
}

// Forms, slips, trips.

func formIn(r *customsv1.CreateFormRequest) (zone.Form, error) {
	var ps parser
	f := zone.Form{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Type: codes.FormType(r.GetFormType()),
		ValidFrom: ps.optDate(r.GetValidFrom(), "valid_from"), ValidUntil: ps.optDate(r.GetValidUntil(), "valid_until"),
		Guarantee: ps.optDec(r.GetGuarantee(), "guarantee"), Note: r.GetNote()}
	return f, ps.err
}

func formOut(f zone.Form) *customsv1.Form {
	return &customsv1.Form{FormNo: f.No, InnerNo: f.InnerNo, Enterprise: f.Enterprise, BookNo: f.Book, FormType: string(f.Type),
		ValidFrom: dateOut(f.ValidFrom), ValidUntil: dateOut(f.ValidUntil), Guarantee: ledger.FormatMoney(f.Guarantee), Note: f.Note,
		FiledBy: f.FiledBy, CreatedAt: ts(f.CreatedAt), InputHash: f.InputHash, TaxAssessed: ledger.FormatMoney(f.TaxAssessed), TaxPaid: ledger.FormatMoney(f.TaxPaid), Status: formStatus(f)}
}

// formStatus is a form's status; forms filed before forms had one are in
// force.
func formStatus(f zone.Form) string {
	if f.Status == "" {
		return zone.FormFiled
	}
	return f.Status
}

func slipIn(r *customsv1.CreateSlipRequest) (zone.Slip, error) {
	var ps parser
	sl := zone.Slip{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), ApplyNo: r.GetApplyNo(), IO: codes.IOFlag(r.GetIo())}
	for i, ln := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		sl.Lines = append(sl.Lines, zone.SlipLine{BookSeq: int(ln.GetBookSeq()), Quantity: ps.dec(ln.GetQuantity(), f+".quantity"),
			Unit: ln.GetUnit(), Value: ps.optDec(ln.GetValue(), f+".value"),
			GrossWeight: ps.optDec(ln.GetGrossWeight(), f+".gross_weight"), NetWeight: ps.optDec(ln.GetNetWeight(), f+".net_weight")})
	}
	return sl, ps.err
}

func slipOut(sl zone.Slip) *customsv1.Slip {
	out := &customsv1.Slip{SlipNo: sl.No, InnerNo: sl.InnerNo, Enterprise: sl.Enterprise, BookNo: sl.Book, ApplyNo: sl.ApplyNo,
		Io: string(sl.IO), Status: customsv1.SlipStatus(enumOut(customsv1.SlipStatus_value, "SLIP_STATUS_", string(sl.Status))),
		PassNo: sl.PassNo, PassedOn: dateOut(sl.PassedOn), Deadline: dateOut(sl.Deadline), ListNo: sl.ListNo,
		FiledBy: sl.FiledBy, CreatedAt: ts(sl.CreatedAt), InputHash: sl.InputHash}
	for _, ln := range sl.Lines {
		out.Lines = append(out.Lines, &customsv1.SlipLine{BookSeq: int32(ln.BookSeq), Quantity: qty(ln.Quantity), Unit: ln.Unit,
			Value: ledger.FormatMoney(ln.Value), GrossWeight: qty(ln.GrossWeight), NetWeight: qty(ln.NetWeight)})
	}
	return out
}

func tripOut(t zone.PendingTrip) *customsv1.PendingTrip {
	return &customsv1.PendingTrip{Slip: slipOut(t.Slip), DaysLeft: int32(t.DaysLeft), Nearing: t.Nearing, Overdue: t.Overdue}
}

// Consumption, certificates, taxable events.

func reportIn(r *customsv1.ReportConsumptionRequest) (zone.ConsumptionReport, error) {
	var ps parser
	rep := zone.ConsumptionReport{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Purpose: r.GetPurpose(), Date: ps.optDate(r.GetDate(), "date")}
	for i, c := range r.GetConsumed() {
		rep.Consumed = append(rep.Consumed, zone.ConsumedLine{BookSeq: int(c.GetBookSeq()),
			Quantity: ps.dec(c.GetQuantity(), fmt.Sprintf("consumed[%d].quantity", i)), Unit: c.GetUnit(), Lot: c.GetLot()})
	}
	for i, c := range r.GetProduced() {
		f := fmt.Sprintf("produced[%d]", i)
		rep.Produced = append(rep.Produced, zone.ProducedLine{BookSeq: int(c.GetBookSeq()),
			Quantity: ps.dec(c.GetQuantity(), f+".quantity"), Unit: c.GetUnit(), Value: ps.optDec(c.GetValue(), f+".value")})
	}
	return rep, ps.err
}

func reportOut(r zone.ConsumptionReport) *customsv1.ConsumptionReport {
	out := &customsv1.ConsumptionReport{ReportNo: r.No, InnerNo: r.InnerNo, Enterprise: r.Enterprise, BookNo: r.Book, Purpose: r.Purpose,
		Date: dateOut(r.Date), FiledBy: r.FiledBy, JournalId: r.JournalID, CreatedAt: ts(r.CreatedAt), InputHash: r.InputHash}
	for _, c := range r.Consumed {
		out.Consumed = append(out.Consumed, &customsv1.ConsumedLine{BookSeq: int32(c.BookSeq), Quantity: qty(c.Quantity), Unit: c.Unit,
			Lot: c.Lot, Lots: lotsOut(c.Lots)})
	}
	for _, c := range r.Produced {
		out.Produced = append(out.Produced, &customsv1.ProducedLine{BookSeq: int32(c.BookSeq), Quantity: qty(c.Quantity), Unit: c.Unit,
			Value: ledger.FormatMoney(c.Value)})
	}
	return out
}

func certificateOut(c zone.Certificate) *customsv1.Certificate {
	out := &customsv1.Certificate{CertificateNo: c.No, ListNo: c.ListNo, Enterprise: c.Enterprise, BookNo: c.Book, IssuedAt: ts(c.IssuedAt)}
	for _, l := range c.Lots {
		out.Lots = append(out.Lots, &customsv1.CertifiedLot{BookSeq: int32(l.BookSeq), Lot: l.Lot, Quantity: qty(l.Quantity),
			EntryListNo: l.EntryListNo, EntryDate: dateOut(l.EntryDate), Country: l.Country})
	}
	return out
}

func taxableEventOut(e zone.TaxableEvent) *customsv1.TaxableEvent {
	return &customsv1.TaxableEvent{Id: e.ID, BookNo: e.Book, Enterprise: e.Enterprise, ListNo: e.ListNo, ListSeq: int32(e.ListSeq),
		BookSeq: int32(e.BookSeq), HsCode: e.HSCode, Quantity: qty(e.Quantity), Unit: e.Unit, LegalQuantity: qty(e.LegalQuantity),
		LegalUnit: e.LegalUnit, DutiableValue: ledger.FormatMoney(e.DutiableValue), TradeMode: e.TradeMode, Date: dateOut(e.Date),
		Duty: ledger.FormatMoney(e.Duty), ConsumptionTax: ledger.FormatMoney(e.ConsumptionTax), Vat: ledger.FormatMoney(e.VAT), Total: ledger.FormatMoney(e.Total),
		Rule: e.Rule, AssessError: e.AssessError, Waived: e.Waived, Tariff: e.Tariff,
		TaxDate: dateOut(e.TaxDate), DutyBasis: e.DutyBasis, InterestFrom: dateOut(e.InterestFrom), InterestDays: int32(e.InterestDays),
		Interest: ledger.FormatMoney(e.Interest), InterestRate: qty(e.InterestRate), Materials: eventMaterialsOut(e.Materials), GeneralTaxpayer: e.GeneralTaxpayer,
		GoodsCategory: goodsCategoryOut(e.GoodsCategory)}
}

func eventMaterialsOut(ms []zone.EventMaterial) []*customsv1.TaxableEventMaterial {
	var out []*customsv1.TaxableEventMaterial
	for _, m := range ms {
		out = append(out, &customsv1.TaxableEventMaterial{BookSeq: int32(m.BookSeq), HsCode: m.HSCode, LegalQuantity: qty(m.LegalQuantity),
			LegalUnit: m.LegalUnit, DutiableValue: ledger.FormatMoney(m.DutiableValue), FirstImport: dateOut(m.FirstImport), Duty: qty(m.Duty)})
	}
	return out
}

// Passes.

func passIn(r *customsv1.CreatePassRequest) (zone.Pass, error) {
	var ps parser
	p := zone.Pass{InnerNo: r.GetInnerNo(), Book: r.GetBookNo(), Type: codes.PassType(r.GetPassType()), Bind: codes.BindType(r.GetBindType()),
		IO: codes.IOFlag(r.GetIo()), RelatedType: codes.RelatedDocType(r.GetRelatedType()), RelatedNos: r.GetRelatedNos(),
		Vehicle: r.GetVehicle(), VehicleWeight: ps.optDec(r.GetVehicleWeight(), "vehicle_weight"),
		FrameWeight: ps.optDec(r.GetFrameWeight(), "frame_weight"), Container: r.GetContainer(),
		ContainerWeight: ps.optDec(r.GetContainerWeight(), "container_weight"),
		GrossWeight:     ps.optDec(r.GetGrossWeight(), "gross_weight"), NetWeight: ps.optDec(r.GetNetWeight(), "net_weight")}
	for i, ln := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		p.Lines = append(p.Lines, zone.PassLine{ListNo: ln.GetListNo(), ListSeq: int(ln.GetListSeq()), BookSeq: int(ln.GetBookSeq()),
			Description: ln.GetDescription(), Quantity: ps.dec(ln.GetQuantity(), f+".quantity"), Unit: ln.GetUnit(),
			Value: ps.optDec(ln.GetValue(), f+".value"), Country: ln.GetCountry(),
			GrossWeight: ps.optDec(ln.GetGrossWeight(), f+".gross_weight"), NetWeight: ps.optDec(ln.GetNetWeight(), f+".net_weight"),
			Source: ln.GetSource(), SourceDocType: ln.GetSourceDocumentType(), SourceDocNo: ln.GetSourceDocumentNo()})
	}
	return p, ps.err
}

// passRenames maps the domain's pass field names to the wire's.
var passRenames = map[string]string{"type": "pass_type", "bind": "bind_type"}

func gateEventIn(r *customsv1.RecordGateEventRequest) (zone.GateEvent, error) {
	var ps parser
	ev := zone.GateEvent{ID: r.GetEventId(), Gate: int(r.GetGate()), Vehicle: r.GetVehicle(), Container: r.GetContainer(),
		ScaleGross: ps.dec(r.GetScaleGross(), "scale_gross")}
	if at := r.GetAt(); at != nil {
		if err := at.CheckValid(); err != nil && ps.err == nil {
			ps.err = ledger.BadArgument("at", "is not a valid timestamp: %v", err)
		}
		ev.At = at.AsTime()
	}
	return ev, ps.err
}

func passOut(p zone.Pass) *customsv1.Pass {
	out := &customsv1.Pass{PassNo: p.No, InnerNo: p.InnerNo, Enterprise: p.Enterprise, BookNo: p.Book, PassType: string(p.Type),
		BindType: string(p.Bind), Io: string(p.IO), RelatedType: string(p.RelatedType), RelatedNos: p.RelatedNos, Vehicle: p.Vehicle,
		VehicleWeight: qty(p.VehicleWeight), FrameWeight: qty(p.FrameWeight), Container: p.Container,
		ContainerWeight: qty(p.ContainerWeight), GrossWeight: qty(p.GrossWeight), NetWeight: qty(p.NetWeight),
		Status:      customsv1.PassStatus(enumOut(customsv1.PassStatus_value, "PASS_STATUS_", string(p.Status))),
		HoldReasons: p.HoldReasons, Note: p.Note, FiledBy: p.FiledBy, CreatedAt: ts(p.CreatedAt), JournalId: p.JournalID,
		CustomsNo: p.CustomsNo}
	for _, ln := range p.Lines {
		out.Lines = append(out.Lines, &customsv1.PassLine{ListNo: ln.ListNo, ListSeq: int32(ln.ListSeq), BookSeq: int32(ln.BookSeq),
			Description: ln.Description, Quantity: qty(ln.Quantity), Unit: ln.Unit, Value: ledger.FormatMoney(ln.Value), Country: ln.Country,
			GrossWeight: qty(ln.GrossWeight), NetWeight: qty(ln.NetWeight),
			Source: ln.Source, SourceDocumentType: ln.SourceDocType, SourceDocumentNo: ln.SourceDocNo})
	}
	for _, e := range p.Events {
		out.Events = append(out.Events, &customsv1.GateEvent{EventId: e.ID, Gate: int32(e.Gate), Vehicle: e.Vehicle, Container: e.Container,
			ScaleGross: qty(e.ScaleGross), At: ts(e.At), Outcome: e.Outcome, Reasons: e.Reasons})
	}
	return out
}

func goodsCategoryOut(c codes.GoodsCategory) customsv1.GoodsCategory {
	return customsv1.GoodsCategory(enumOut(customsv1.GoodsCategory_value, "GOODS_CATEGORY_", string(c)))
}
