package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The table and CSV columns of the customs messages. Column names are the
// proto field names; enums print as the domain's name (ZONE, DRAFT, HELD),
// decimals as the server sent them. A message with repeated lines (a list, a
// pass's events, a certificate's lots) flattens into one row per element in
// 'get'; the actions and 'list'/'ls' print one row per document.

// enumName is an enum value's name without its prefix; "" when unspecified.
func enumName(s fmt.Stringer, prefix string) string {
	n := strings.TrimPrefix(s.String(), prefix)
	if n == "UNSPECIFIED" {
		return ""
	}
	return n
}

func i32(n int32) string { return strconv.FormatInt(int64(n), 10) }

// seq is a line number, "" when 0 (not given).
func seq(n int32) string {
	if n == 0 {
		return ""
	}
	return i32(n)
}

// lotList renders lot quantities as "lot=qty;lot=qty".
func lotList(ls []*customsv1.LotQuantity) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.GetLot() + "=" + l.GetQuantity()
	}
	return strings.Join(parts, ";")
}

var enterpriseHeader = []string{"uscc", "customs_code", "name", "credit_rating", "suspended", "created_at"}

var enterpriseView = rowView(enterpriseHeader, enterpriseRow)

func enterpriseRow(e *customsv1.Enterprise) []string {
	return []string{e.GetUscc(), e.GetCustomsCode(), e.GetName(), enumName(e.GetCreditRating(), "CREDIT_RATING_"),
		strconv.FormatBool(e.GetSuspended()), ts(e.GetCreatedAt())}
}

var customsBookHeader = []string{"book_no", "kind", "enterprise", "usage", "customs_office", "status", "write_off_cycle_months", "created_at", "last_write_off_date"}

var customsBookView = rowView(customsBookHeader, customsBookRow)

func customsBookRow(b *customsv1.Book) []string {
	return []string{b.GetBookNo(), enumName(b.GetKind(), "BOOK_KIND_"), b.GetEnterprise(), b.GetUsage(), b.GetCustomsOffice(),
		enumName(b.GetStatus(), "BOOK_STATUS_"), i32(b.GetWriteOffCycleMonths()), ts(b.GetCreatedAt()), b.GetLastWriteOffDate()}
}

var bookLineHeader = []string{"book_no", "seq", "hs_code", "name", "spec", "declared_unit", "scale", "legal_unit", "legal_factor",
	"second_unit", "second_factor", "type", "part_numbers"}

func bookLineRow(l *customsv1.BookLine) []string {
	return []string{l.GetBookNo(), i32(l.GetSeq()), l.GetHsCode(), l.GetName(), l.GetSpec(), l.GetDeclaredUnit(), i32(l.GetScale()),
		l.GetLegal().GetUnit(), l.GetLegal().GetFactor(), l.GetSecond().GetUnit(), l.GetSecond().GetFactor(),
		enumName(l.GetType(), "GOODS_TYPE_"), strings.Join(l.GetPartNumbers(), ";")}
}

var stockHeader = []string{"book_seq", "name", "unit", "bonded", "available", "reserved", "non_bonded", "non_bonded_reserved",
	"inspection", "undeclared", "display"}

func stockRow(l *customsv1.StockLine) []string {
	return []string{i32(l.GetBookSeq()), l.GetName(), l.GetUnit(), l.GetBonded(), l.GetAvailable(), l.GetReserved(),
		l.GetNonBonded(), l.GetNonBondedReserved(), l.GetInspection(), l.GetUndeclared(), l.GetDisplay()}
}

var listHeader = []string{"list_no", "inner_no", "book_no", "list_type", "io", "trade_mode", "flow", "status", "lines",
	"gross_weight", "net_weight", "note"}

func listRow(l *customsv1.List) []string {
	return []string{l.GetListNo(), l.GetInnerNo(), l.GetBookNo(), l.GetListType(), l.GetIo(), l.GetTradeMode(), l.GetFlow(),
		enumName(l.GetStatus(), "LIST_STATUS_"), strconv.Itoa(len(l.GetLines())), l.GetGrossWeight(), l.GetNetWeight(), l.GetNote()}
}

// listLinesHeader is a list flattened to one row per line ('list get').
var listLinesHeader = []string{"list_no", "inner_no", "book_no", "io", "trade_mode", "flow", "status", "seq", "book_seq",
	"part_number", "quantity", "unit", "declared_quantity", "declared_unit", "legal_quantity", "unit_price", "total",
	"currency", "cny_value", "country", "gross_weight", "net_weight", "passed", "lots"}

func listLineRows(l *customsv1.List) [][]string {
	head := []string{l.GetListNo(), l.GetInnerNo(), l.GetBookNo(), l.GetIo(), l.GetTradeMode(), l.GetFlow(), enumName(l.GetStatus(), "LIST_STATUS_")}
	return perElement(head, len(listLinesHeader), l.GetLines(), func(_ int, ln *customsv1.ListLine) []string {
		return []string{seq(ln.GetSeq()), seq(ln.GetBookSeq()), ln.GetPartNumber(), ln.GetQuantity(), ln.GetUnit(),
			ln.GetDeclaredQuantity(), ln.GetDeclaredUnit(), ln.GetLegalQuantity(), ln.GetUnitPrice(), ln.GetTotal(), ln.GetCurrency(),
			ln.GetCnyValue(), ln.GetCountry(), ln.GetGrossWeight(), ln.GetNetWeight(), ln.GetPassed(), lotList(ln.GetLots())}
	})
}

var passHeader = []string{"pass_no", "inner_no", "book_no", "pass_type", "bind_type", "io", "related_type", "related_nos",
	"vehicle", "container", "gross_weight", "net_weight", "status", "hold_reasons", "journal_id", "note"}

func passRow(p *customsv1.Pass) []string {
	return []string{p.GetPassNo(), p.GetInnerNo(), p.GetBookNo(), p.GetPassType(), p.GetBindType(), p.GetIo(), p.GetRelatedType(),
		strings.Join(p.GetRelatedNos(), ";"), p.GetVehicle(), p.GetContainer(), p.GetGrossWeight(), p.GetNetWeight(),
		enumName(p.GetStatus(), "PASS_STATUS_"), strings.Join(p.GetHoldReasons(), "; "), id(p.GetJournalId()), p.GetNote()}
}

// passEventsHeader is a pass flattened to one row per gate event ('pass get').
var passEventsHeader = append(append([]string{}, passHeader...),
	"event_id", "gate", "event_vehicle", "event_container", "scale_gross", "at", "outcome", "reasons")

func passEventRows(p *customsv1.Pass) [][]string {
	return perElement(passRow(p), len(passEventsHeader), p.GetEvents(), func(_ int, e *customsv1.GateEvent) []string {
		return []string{e.GetEventId(), i32(e.GetGate()), e.GetVehicle(), e.GetContainer(), e.GetScaleGross(),
			ts(e.GetAt()), e.GetOutcome(), strings.Join(e.GetReasons(), "; ")}
	})
}

var formHeader = []string{"form_no", "inner_no", "enterprise", "book_no", "form_type", "valid_from", "valid_until", "guarantee",
	"note", "created_at"}

func formRow(f *customsv1.Form) []string {
	return []string{f.GetFormNo(), f.GetInnerNo(), f.GetEnterprise(), f.GetBookNo(), f.GetFormType(), f.GetValidFrom(),
		f.GetValidUntil(), f.GetGuarantee(), f.GetNote(), ts(f.GetCreatedAt())}
}

var slipHeader = []string{"slip_no", "inner_no", "book_no", "apply_no", "io", "status", "lines", "pass_no", "passed_on",
	"deadline", "list_no"}

func slipRow(s *customsv1.Slip) []string {
	return []string{s.GetSlipNo(), s.GetInnerNo(), s.GetBookNo(), s.GetApplyNo(), s.GetIo(), enumName(s.GetStatus(), "SLIP_STATUS_"),
		strconv.Itoa(len(s.GetLines())), s.GetPassNo(), s.GetPassedOn(), s.GetDeadline(), s.GetListNo()}
}

// slipLinesHeader is a slip flattened to one row per line ('slip get').
var slipLinesHeader = append(append([]string{}, slipHeader...), "book_seq", "quantity", "unit", "value", "line_gross_weight", "line_net_weight")

func slipLineRows(s *customsv1.Slip) [][]string {
	return perElement(slipRow(s), len(slipLinesHeader), s.GetLines(), func(_ int, l *customsv1.SlipLine) []string {
		return []string{seq(l.GetBookSeq()), l.GetQuantity(), l.GetUnit(), l.GetValue(), l.GetGrossWeight(), l.GetNetWeight()}
	})
}

var tripHeader = []string{"slip_no", "book_no", "apply_no", "io", "pass_no", "passed_on", "deadline", "days_left", "nearing", "overdue"}

func tripRow(t *customsv1.PendingTrip) []string {
	s := t.GetSlip()
	return []string{s.GetSlipNo(), s.GetBookNo(), s.GetApplyNo(), s.GetIo(), s.GetPassNo(), s.GetPassedOn(), s.GetDeadline(),
		i32(t.GetDaysLeft()), strconv.FormatBool(t.GetNearing()), strconv.FormatBool(t.GetOverdue())}
}

// reportHeader is a consumption report flattened to one row per consumed or
// produced line.
var reportHeader = []string{"report_no", "inner_no", "book_no", "purpose", "date", "journal_id", "kind", "book_seq", "quantity",
	"unit", "lot", "value", "lots"}

func reportRows(r *customsv1.ConsumptionReport) [][]string {
	head := []string{r.GetReportNo(), r.GetInnerNo(), r.GetBookNo(), r.GetPurpose(), r.GetDate(), id(r.GetJournalId())}
	var rows [][]string
	for _, c := range r.GetConsumed() {
		rows = append(rows, append(append([]string{}, head...), "consumed", seq(c.GetBookSeq()), c.GetQuantity(), c.GetUnit(),
			c.GetLot(), "", lotList(c.GetLots())))
	}
	for _, p := range r.GetProduced() {
		rows = append(rows, append(append([]string{}, head...), "produced", seq(p.GetBookSeq()), p.GetQuantity(), p.GetUnit(),
			"", p.GetValue(), ""))
	}
	if len(rows) == 0 {
		rows = append(rows, append(head, make([]string, len(reportHeader)-len(head))...))
	}
	return rows
}

// certificateHeader is a certificate flattened to one row per lot.
var certificateHeader = []string{"certificate_no", "list_no", "enterprise", "book_no", "issued_at", "book_seq", "lot",
	"quantity", "entry_list_no", "entry_date", "country"}

func certificateRows(c *customsv1.Certificate) [][]string {
	head := []string{c.GetCertificateNo(), c.GetListNo(), c.GetEnterprise(), c.GetBookNo(), ts(c.GetIssuedAt())}
	return perElement(head, len(certificateHeader), c.GetLots(), func(_ int, l *customsv1.CertifiedLot) []string {
		return []string{seq(l.GetBookSeq()), l.GetLot(), l.GetQuantity(), l.GetEntryListNo(), l.GetEntryDate(), l.GetCountry()}
	})
}

var taxableHeader = []string{"id", "book_no", "enterprise", "list_no", "list_seq", "book_seq", "hs_code", "quantity", "unit",
	"legal_quantity", "legal_unit", "dutiable_value", "trade_mode", "date", "duty", "consumption_tax", "vat", "total", "rule",
	"assess_error", "waived", "tax_date", "duty_basis", "interest_from", "interest_days", "interest", "interest_rate"}

func taxableRow(e *customsv1.TaxableEvent) []string {
	return []string{id(e.GetId()), e.GetBookNo(), e.GetEnterprise(), e.GetListNo(), seq(e.GetListSeq()), seq(e.GetBookSeq()),
		e.GetHsCode(), e.GetQuantity(), e.GetUnit(), e.GetLegalQuantity(), e.GetLegalUnit(), e.GetDutiableValue(),
		e.GetTradeMode(), e.GetDate(), e.GetDuty(), e.GetConsumptionTax(), e.GetVat(), e.GetTotal(), e.GetRule(), e.GetAssessError(),
		strings.Join(e.GetWaived(), ";"), e.GetTaxDate(), e.GetDutyBasis(), e.GetInterestFrom(), i32(e.GetInterestDays()), e.GetInterest(),
		e.GetInterestRate()}
}

// perElement flattens a document into one row per element of one of its
// repeated fields: the document's head columns, then the element's (cols
// gets its 0-based index); one row with the element columns empty when
// there are none. width is the number of columns.
func perElement[E any](head []string, width int, elems []E, cols func(i int, e E) []string) [][]string {
	if len(elems) == 0 {
		return [][]string{append(head, make([]string, width-len(head))...)}
	}
	rows := make([][]string, len(elems))
	for i, e := range elems {
		rows[i] = append(slices.Clone(head), cols(i, e)...)
	}
	return rows
}
