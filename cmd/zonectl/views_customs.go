package main

import (
	"fmt"
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

var (
	enterpriseView  = cols[*customsv1.Enterprise]("uscc", "customs_code", "name", "credit_rating", "suspended", "created_at")
	customsBookView = cols[*customsv1.Book]("book_no", "kind", "enterprise", "usage", "customs_office", "status", "write_off_cycle_months", "created_at", "last_write_off_date")
	bookLineView    = cols[*customsv1.BookLine]("book_no", "seq", "hs_code", "name", "spec", "declared_unit", "scale", "legal_unit=legal.unit", "legal_factor=legal.factor",
		"second_unit=second.unit", "second_factor=second.factor", "type", "part_numbers")
	stockView = cols[*customsv1.StockLine]("book_seq", "name", "unit", "bonded", "available", "reserved", "non_bonded", "non_bonded_reserved",
		"inspection", "undeclared", "display", "out_zone")
	listView      = cols[*customsv1.List]("list_no", "inner_no", "book_no", "list_type", "io", "trade_mode", "flow", "status", "len:lines", "gross_weight", "net_weight", "note")
	listLinesView = flat[*customsv1.List]([]string{"list_no", "inner_no", "book_no", "io", "trade_mode", "flow", "status"}, "lines",
		"seq?", "book_seq?", "part_number", "quantity", "unit", "declared_quantity", "declared_unit", "legal_quantity", "unit_price", "total",
		"currency", "cny_value", "country", "gross_weight", "net_weight", "passed", "lots")
	passColumns = []string{"pass_no", "inner_no", "book_no", "pass_type", "bind_type", "io", "related_type", "related_nos",
		"vehicle", "container", "gross_weight", "net_weight", "status", "hold_reasons/; ", "journal_id?", "note"}
	passView       = cols[*customsv1.Pass](passColumns...)
	passEventsView = flat[*customsv1.Pass](passColumns, "events", "event_id", "gate", "event_vehicle=vehicle", "event_container=container",
		"scale_gross", "at", "outcome", "reasons/; ")
	formView      = cols[*customsv1.Form]("form_no", "inner_no", "enterprise", "book_no", "form_type", "valid_from", "valid_until", "guarantee", "note", "created_at")
	slipColumns   = []string{"slip_no", "inner_no", "book_no", "apply_no", "io", "status", "len:lines", "pass_no", "passed_on", "deadline", "list_no"}
	slipView      = cols[*customsv1.Slip](slipColumns...)
	slipLinesView = flat[*customsv1.Slip](slipColumns, "lines", "book_seq?", "quantity", "unit", "value", "line_gross_weight=gross_weight", "line_net_weight=net_weight")
	tripView      = cols[*customsv1.PendingTrip]("slip_no=slip.slip_no", "book_no=slip.book_no", "apply_no=slip.apply_no", "io=slip.io", "pass_no=slip.pass_no",
		"passed_on=slip.passed_on", "deadline=slip.deadline", "days_left", "nearing", "overdue")
	certificateView = flat[*customsv1.Certificate]([]string{"certificate_no", "list_no", "enterprise", "book_no", "issued_at"}, "lots",
		"book_seq?", "lot", "quantity", "entry_list_no", "entry_date", "country")
	taxableView = cols[*customsv1.TaxableEvent]("id?", "book_no", "enterprise", "list_no", "list_seq?", "book_seq?", "hs_code", "quantity", "unit",
		"legal_quantity", "legal_unit", "dutiable_value", "trade_mode", "date", "duty", "consumption_tax", "vat", "total", "rule",
		"assess_error", "waived", "tax_date", "duty_basis", "interest_from", "interest_days", "interest", "interest_rate")
)

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
