package input

import (
	"fmt"
	"io"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The movement documents of the customs services, read from JSON (the
// request in protojson form) or from a grouped CSV "simple form" (one line
// per row, rows sharing inner_no form one document). Checks here are the ones
// a client can make without the book: formats, required fields, decimals.
// The server checks the rest (trade modes against the book, units against
// the line, stock).

// maxElements is the most lines (consumed, produced) a document may have.
const maxElements = 1000

// Verification list CSV columns.
const (
	colInnerNo         = "inner_no"
	colBookNo          = "book_no"
	colListType        = "list_type"
	colIO              = "io"
	colDeclareFlag     = "declare_flag"
	colDeclarationKind = "declaration_kind"
	colDeclarationNo   = "declaration_no"
	colTransferType    = "transfer_type"
	colRelatedListNo   = "related_list_no"
	colRelatedBookNo   = "related_book_no"
	colApplyNo         = "apply_no"
	colEntryPassNos    = "entry_pass_nos"
	colSlipNos         = "slip_nos"
	colListCountry     = "list_country"
	colExchangeRate    = "exchange_rate"
	colBookSeq         = "book_seq"
	colUnitPrice       = "unit_price"
	colTotal           = "total"
	colCurrency        = "currency"
	colCountry         = "country"
	colGrossWeight     = "gross_weight"
	colNetWeight       = "net_weight"
	colPurpose         = "purpose"
	colReportDate      = "date"
	colKind            = "kind"
)

// ListCSVColumns are the columns of the verification list CSV form, in the
// documented order: the list-level columns, then the line columns.
// RequiredListCSVColumns must be in the header.
var (
	listHeadColumns = []string{colInnerNo, colBookNo, colListType, colIO, colTradeMode, colDeclareFlag, colDeclarationKind,
		colDeclarationNo, colTransferType, colRelatedListNo, colRelatedBookNo, colApplyNo, colEntryPassNos, colSlipNos,
		colListCountry, colExchangeRate}
	listLineColumns = []string{colBookSeq, colPartNumber, colQuantity, colUnit, colUnitPrice, colTotal, colCurrency,
		colCountry, colGrossWeight, colNetWeight, colLot}
	ListCSVColumns         = append(append([]string{}, listHeadColumns...), listLineColumns...)
	RequiredListCSVColumns = []string{colInnerNo, colBookNo, colIO, colTradeMode, colQuantity}
)

// splitNos splits a cell of document numbers separated by ';' (or ',' or
// white space).
func splitNos(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' })
}

// anyCell reports whether the row has a value in one of cols.
func anyCell(rw *CSVRow, cols []string) bool {
	for _, c := range cols {
		if rw.Get(c) != "" {
			return true
		}
	}
	return false
}

var listCSV = csvDocs[*customsv1.CreateListRequest]{
	what: "lists", one: "list", known: ListCSVColumns, required: RequiredListCSVColumns, key: colInnerNo,
	head: listHeadColumns[1:],
	start: func(rw *CSVRow) (*customsv1.CreateListRequest, error) {
		return &customsv1.CreateListRequest{
			InnerNo: rw.Get(colInnerNo), BookNo: rw.Get(colBookNo), ListType: rw.Get(colListType), Io: rw.Get(colIO),
			TradeMode: rw.Get(colTradeMode), DeclareFlag: rw.Get(colDeclareFlag), DeclarationKind: rw.Get(colDeclarationKind),
			DeclarationNo: rw.Get(colDeclarationNo), TransferType: rw.Get(colTransferType), RelatedListNo: rw.Get(colRelatedListNo),
			RelatedBookNo: rw.Get(colRelatedBookNo), ApplyNo: rw.Get(colApplyNo), EntryPassNos: splitNos(rw.Get(colEntryPassNos)),
			SlipNos: splitNos(rw.Get(colSlipNos)), Country: rw.Get(colListCountry), ExchangeRate: rw.Get(colExchangeRate),
		}, nil
	},
	add: func(req *customsv1.CreateListRequest, rw *CSVRow) (string, error) {
		if !anyCell(rw, listLineColumns) {
			return "", nil // a list without lines (a collective list declares its slips)
		}
		seq, err := parseSeq(rw, colBookSeq, false)
		if err != nil {
			return "", err
		}
		req.Lines = append(req.Lines, &customsv1.ListLine{BookSeq: seq, PartNumber: rw.Get(colPartNumber),
			Quantity: rw.Get(colQuantity), Unit: rw.Get(colUnit), UnitPrice: rw.Get(colUnitPrice), Total: rw.Get(colTotal),
			Currency: rw.Get(colCurrency), Country: rw.Get(colCountry), GrossWeight: rw.Get(colGrossWeight),
			NetWeight: rw.Get(colNetWeight), Lot: rw.Get(colLot)})
		return "lines", nil
	},
	check:   CheckList,
	columns: map[string]string{"country": colListCountry, "lines": colQuantity},
}

var listJSON = jsonDocs[*customsv1.CreateListRequest]{what: "lists", check: CheckList, key: "inner_no"}

// ReadLists reads verification lists: CreateListRequest objects in protojson
// form (one, an array or JSON Lines), or the CSV form (ListCSVColumns; rows
// sharing inner_no are the lines of one list).
func ReadLists(r io.Reader, name string, f FileFormat) ([]Doc[*customsv1.CreateListRequest], error) {
	return readDocs(r, name, f, listJSON, &listCSV)
}

// CheckList checks what the protos cannot state of a verification list
// (Validate checks the rest).
func CheckList(r *customsv1.CreateListRequest) (field, msg string) {
	if f, m := firstProblem(fieldCheck{"io", checkIO(r.GetIo())}, fieldCheck{"trade_mode", checkTradeModeRequired(r.GetTradeMode())}); m != "" {
		return f, m
	}
	for i, l := range r.GetLines() {
		f := fmt.Sprintf("lines[%d]", i)
		if l.GetBookSeq() == 0 && l.GetPartNumber() == "" {
			return f + ".book_seq", "give the book line (book_seq) or a mapped part number (part_number)"
		}
		if out := listLineOutputOnly(l); out != "" {
			return f + "." + out, "is output only; remove it"
		}
		if m := checkPositive(l.GetQuantity()); m != "" {
			return f + ".quantity", m
		}
	}
	return "", ""
}

// listLineOutputOnly names an output-only field set on a request line.
func listLineOutputOnly(l *customsv1.ListLine) string {
	switch {
	case l.GetSeq() != 0:
		return "seq"
	case l.GetDeclaredQuantity() != "":
		return "declared_quantity"
	case l.GetDeclaredUnit() != "":
		return "declared_unit"
	case l.GetLegalQuantity() != "":
		return "legal_quantity"
	case l.GetCnyValue() != "":
		return "cny_value"
	case l.GetPassed() != "":
		return "passed"
	case len(l.GetLots()) > 0:
		return "lots"
	}
	return ""
}

func checkTradeModeRequired(s string) string {
	if s == "" {
		return `is required: the 4-digit 监管方式, e.g. "5034"`
	}
	return checkTradeMode(s)
}

func checkOneOf(s string, allowed ...string) string {
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return ""
		}
	}
	return fmt.Sprintf("%q is not allowed; write %s or leave it empty", s, strings.Join(quoteAll(allowed), " or "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Passes: JSON only.

var passJSON = jsonDocs[*customsv1.CreatePassRequest]{what: "passes", check: CheckPass, key: "inner_no"}

// ReadPasses reads gate passes: CreatePassRequest objects in protojson form
// (one, an array or JSON Lines).
func ReadPasses(r io.Reader, name string) ([]Doc[*customsv1.CreatePassRequest], error) {
	return readDocs(r, name, JSONFormat, passJSON, nil)
}

// CheckPass checks what the protos cannot state of a gate pass (the code
// lists, quantities above zero); Validate checks the rest.
func CheckPass(r *customsv1.CreatePassRequest) (field, msg string) {
	if f, m := firstProblem(
		fieldCheck{"pass_type", checkOneOfRequired(r.GetPassType(), "1", "2", "3", "4", "5", "6")},
		fieldCheck{"bind_type", checkOneOf(r.GetBindType(), "1", "2", "3")},
		fieldCheck{"related_type", checkOneOf(r.GetRelatedType(), "1", "2", "3")},
	); m != "" {
		return f, m
	}
	for i, l := range r.GetLines() {
		if m := checkPositive(l.GetQuantity()); m != "" {
			return fmt.Sprintf("lines[%d].quantity", i), m
		}
	}
	return "", ""
}

func checkOneOfRequired(s string, allowed ...string) string {
	if s == "" {
		return "is required; write " + strings.Join(quoteAll(allowed), ", ")
	}
	return checkOneOf(s, allowed...)
}

// Slips.

// SlipCSVColumns are the columns of the slip CSV form; rows sharing inner_no
// are the lines of one slip. RequiredSlipCSVColumns must be in the header
// (apply_no may come from the command line).
var (
	slipHeadColumns        = []string{colInnerNo, colBookNo, colApplyNo, colIO}
	slipLineColumns        = []string{colBookSeq, colQuantity, colUnit, colValue, colGrossWeight, colNetWeight}
	SlipCSVColumns         = append(append([]string{}, slipHeadColumns...), slipLineColumns...)
	RequiredSlipCSVColumns = []string{colInnerNo, colBookNo, colIO, colBookSeq, colQuantity}
)

var slipCSV = csvDocs[*customsv1.CreateSlipRequest]{
	what: "slips", one: "slip", known: SlipCSVColumns, required: RequiredSlipCSVColumns, key: colInnerNo, head: slipHeadColumns[1:],
	start: func(rw *CSVRow) (*customsv1.CreateSlipRequest, error) {
		return &customsv1.CreateSlipRequest{InnerNo: rw.Get(colInnerNo), BookNo: rw.Get(colBookNo), ApplyNo: rw.Get(colApplyNo), Io: rw.Get(colIO)}, nil
	},
	add: func(req *customsv1.CreateSlipRequest, rw *CSVRow) (string, error) {
		seq, err := parseSeq(rw, colBookSeq, true)
		if err != nil {
			return "", err
		}
		req.Lines = append(req.Lines, &customsv1.SlipLine{BookSeq: seq, Quantity: rw.Get(colQuantity), Unit: rw.Get(colUnit),
			Value: rw.Get(colValue), GrossWeight: rw.Get(colGrossWeight), NetWeight: rw.Get(colNetWeight)})
		return "lines", nil
	},
	check: CheckSlip, later: []string{"apply_no"},
}

var slipJSON = jsonDocs[*customsv1.CreateSlipRequest]{what: "slips", check: CheckSlip, later: []string{"apply_no"}, key: "inner_no"}

// ReadSlips reads in/out slips: CreateSlipRequest objects in protojson form
// (one, an array or JSON Lines), or the CSV form (SlipCSVColumns). apply_no
// may be left out when the command line gives it.
func ReadSlips(r io.Reader, name string, f FileFormat) ([]Doc[*customsv1.CreateSlipRequest], error) {
	return readDocs(r, name, f, slipJSON, &slipCSV)
}

// CheckSlip checks what the protos cannot state of an in/out slip
// (quantities above zero); Validate checks the rest.
func CheckSlip(r *customsv1.CreateSlipRequest) (field, msg string) {
	if m := checkIO(r.GetIo()); m != "" {
		return "io", m
	}
	if n := len(r.GetLines()); n == 0 || n > maxElements {
		return "lines", fmt.Sprintf("%d lines; a slip has 1 to %d", n, maxElements)
	}
	for i, l := range r.GetLines() {
		if m := checkPositive(l.GetQuantity()); m != "" {
			return fmt.Sprintf("lines[%d].quantity", i), m
		}
	}
	return "", ""
}

// Consumption reports.

// ConsumptionCSVColumns are the columns of the consumption report CSV form:
// rows sharing inner_no are one report; kind says whether a row is goods
// consumed or produced. RequiredConsumptionCSVColumns must be in the header.
var (
	consumptionHeadColumns        = []string{colInnerNo, colBookNo, colPurpose, colReportDate}
	consumptionLineColumns        = []string{colKind, colBookSeq, colQuantity, colUnit, colLot, colValue}
	ConsumptionCSVColumns         = append(append([]string{}, consumptionHeadColumns...), consumptionLineColumns...)
	RequiredConsumptionCSVColumns = []string{colInnerNo, colBookNo, colKind, colBookSeq, colQuantity}
)

var consumptionCSV = csvDocs[*customsv1.ReportConsumptionRequest]{
	what: "consumption reports", one: "consumption report", known: ConsumptionCSVColumns, required: RequiredConsumptionCSVColumns, key: colInnerNo,
	head: consumptionHeadColumns[1:],
	start: func(rw *CSVRow) (*customsv1.ReportConsumptionRequest, error) {
		return &customsv1.ReportConsumptionRequest{InnerNo: rw.Get(colInnerNo), BookNo: rw.Get(colBookNo),
			Purpose: rw.Get(colPurpose), Date: rw.Get(colReportDate)}, nil
	},
	add: func(req *customsv1.ReportConsumptionRequest, rw *CSVRow) (string, error) {
		if err := rw.require(colKind); err != nil {
			return "", err
		}
		seq, err := parseSeq(rw, colBookSeq, true)
		if err != nil {
			return "", err
		}
		switch strings.ToLower(rw.Get(colKind)) {
		case "consumed":
			if rw.Get(colValue) != "" {
				return "", rw.Errorf(colValue, "is for produced goods only; leave it empty on a consumed row")
			}
			req.Consumed = append(req.Consumed, &customsv1.ConsumedLine{BookSeq: seq, Quantity: rw.Get(colQuantity),
				Unit: rw.Get(colUnit), Lot: rw.Get(colLot)})
			return "consumed", nil
		case "produced":
			if rw.Get(colLot) != "" {
				return "", rw.Errorf(colLot, "is for consumed goods only; produced goods form new lots")
			}
			req.Produced = append(req.Produced, &customsv1.ProducedLine{BookSeq: seq, Quantity: rw.Get(colQuantity),
				Unit: rw.Get(colUnit), Value: rw.Get(colValue)})
			return "produced", nil
		}
		return "", rw.Errorf(colKind, "%q is not a kind; write consumed or produced", rw.Get(colKind))
	},
	check:   CheckConsumption,
	columns: map[string]string{"consumed": colKind},
}

var consumptionJSON = jsonDocs[*customsv1.ReportConsumptionRequest]{what: "consumption reports", check: CheckConsumption, key: "inner_no"}

// ReadConsumption reads consumption reports: ReportConsumptionRequest objects
// in protojson form (one, an array or JSON Lines), or the CSV form
// (ConsumptionCSVColumns).
func ReadConsumption(r io.Reader, name string, f FileFormat) ([]Doc[*customsv1.ReportConsumptionRequest], error) {
	return readDocs(r, name, f, consumptionJSON, &consumptionCSV)
}

// CheckConsumption checks what the protos cannot state of a consumption
// report (calendar dates, quantities above zero, output-only lots);
// Validate checks the rest.
func CheckConsumption(r *customsv1.ReportConsumptionRequest) (field, msg string) {
	if m := checkDate(r.GetDate()); m != "" {
		return "date", m
	}
	if n := len(r.GetConsumed()); n == 0 {
		return "consumed", fmt.Sprintf("%d consumed lines; a report has 1 to %d", n, maxElements)
	}
	for i, c := range r.GetConsumed() {
		f := fmt.Sprintf("consumed[%d]", i)
		if len(c.GetLots()) > 0 {
			return f + ".lots", "is output only; remove it (name one lot with \"lot\")"
		}
		if m := checkPositive(c.GetQuantity()); m != "" {
			return f + ".quantity", m
		}
	}
	for i, p := range r.GetProduced() {
		if m := checkPositive(p.GetQuantity()); m != "" {
			return fmt.Sprintf("produced[%d].quantity", i), m
		}
	}
	return "", ""
}

// Display movements (保税展示交易).

// DisplayCSVColumns are the columns of the display movement CSV form: rows
// sharing inner_no are one movement and agree on apply_no and date.
var DisplayCSVColumns = []string{colInnerNo, colApplyNo, colReportDate, colBookSeq, colQuantity, colValue}

var displayCSV = csvDocs[*customsv1.MoveDisplayRequest]{
	what: "display movements", one: "movement", known: DisplayCSVColumns, required: []string{colInnerNo, colBookSeq, colQuantity},
	key: colInnerNo, head: []string{colApplyNo, colReportDate},
	start: func(rw *CSVRow) (*customsv1.MoveDisplayRequest, error) {
		return &customsv1.MoveDisplayRequest{InnerNo: rw.Get(colInnerNo), ApplyNo: rw.Get(colApplyNo), Date: rw.Get(colReportDate)}, nil
	},
	add: func(req *customsv1.MoveDisplayRequest, rw *CSVRow) (string, error) {
		seq, err := parseSeq(rw, colBookSeq, true)
		if err != nil {
			return "", err
		}
		req.Lines = append(req.Lines, &customsv1.DisplayLine{BookSeq: seq, Quantity: rw.Get(colQuantity), Value: rw.Get(colValue)})
		return "lines", nil
	},
	later: []string{"apply_no", "kind"}, keepBlank: true,
}

var displayJSON = jsonDocs[*customsv1.MoveDisplayRequest]{what: "display movements", later: []string{"apply_no", "kind"}}

// ReadDisplayMoves reads display movements: MoveDisplayRequest objects in
// protojson form (one, an array or JSON Lines; kind and apply_no may be left
// out for the command line to set), or the CSV form (DisplayCSVColumns).
func ReadDisplayMoves(r io.Reader, name string, f FileFormat) ([]Doc[*customsv1.MoveDisplayRequest], error) {
	return readDocs(r, name, f, displayJSON, &displayCSV)
}
