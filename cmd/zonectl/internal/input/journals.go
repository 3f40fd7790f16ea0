package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Journal is one journal read from a file, with where it came from: Lines
// are the line its JSON object starts on, or its CSV rows, one per posting
// in posting order (Rows["postings"] too, so that Locate names the row of
// the posting a server error names).
type Journal = Doc[*ledgerv1.PostJournalRequest]

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// spans writes sorted numbers compactly: "2-4,7".
func spans(ns []int) string { return Spans(ns, ",") }

// Spans renders line or row numbers as runs joined by sep: "2-4,7".
func Spans(ns []int, sep string) string {
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		} else {
			parts = append(parts, strconv.Itoa(ns[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, sep)
}

// FileFormat is the syntax of a journal file.
type FileFormat string

// The journal file formats.
const (
	// Auto picks JSON or CSV from the file name (.json, .jsonl, .ndjson,
	// .csv), else from the first character ('{' or '[' is JSON).
	Auto FileFormat = "auto"
	// JSONFormat is one PostJournalRequest object in protojson form, an array
	// of them, or JSON Lines (one object per line).
	JSONFormat FileFormat = "json"
	// CSVFormat is one posting per row; rows sharing an idempotency_key form
	// one journal.
	CSVFormat FileFormat = "csv"
)

// ParseFileFormat parses a --format value.
func ParseFileFormat(s string) (FileFormat, error) {
	switch f := FileFormat(strings.ToLower(s)); f {
	case Auto, JSONFormat, CSVFormat:
		return f, nil
	case "jsonl", "ndjson":
		return JSONFormat, nil
	}
	return "", fmt.Errorf("unknown file format %q: use auto, json or csv", s)
}

// ReadJournals reads a journal file. name is used in error messages and, with
// Auto, to pick the format. Nothing is sent; the journals are checked as far
// as a client can (syntax, required fields, decimals, dates).
func ReadJournals(r io.Reader, name string, f FileFormat) ([]Journal, error) {
	js, err := readAs(r, name, f, ParseJournalsCSV, ParseJournalsJSON)
	if err == nil && len(js) == 0 {
		err = &Error{File: name, Msg: "no journals in the file"}
	}
	return js, err
}

// Detect picks a file's format: JSON by the extension .json, .jsonl or
// .ndjson, CSV by .csv, else JSON when the data starts with '{' or '['.
func Detect(name string, data []byte) FileFormat {
	lower := strings.ToLower(name)
	for _, ext := range []string{".json", ".jsonl", ".ndjson"} {
		if strings.HasSuffix(lower, ext) {
			return JSONFormat
		}
	}
	if strings.HasSuffix(lower, ".csv") {
		return CSVFormat
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return JSONFormat
	}
	return CSVFormat
}

// ParseJournalsJSON parses one PostJournalRequest object (protojson: proto
// or JSON field names), a JSON array of them, or a sequence of them (JSON
// Lines). Unknown fields are refused, so a misspelt field is not silently
// dropped; quantities and values must be JSON strings.
func ParseJournalsJSON(data []byte, name string) ([]Journal, error) {
	return jsonDocs[*ledgerv1.PostJournalRequest]{what: "journals", check: checkJournal, numbered: true}.parse(data, name)
}

func jsonSyntax(name string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{File: name, Line: lineAt(data, int(se.Offset)), Msg: "invalid JSON: " + se.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: name, Line: lineAt(data, len(data)), Msg: "invalid JSON: the file ends inside a value"}
	}
	return &Error{File: name, Msg: "invalid JSON: " + err.Error()}
}

// checkJournal checks what the protos cannot state of a journal (a
// calendar date, a 4-digit trade mode, output-only legs) and returns the
// field at fault and why, or "" if nothing is wrong; Validate checks the
// rest.
func checkJournal(r *ledgerv1.PostJournalRequest) (field, msg string) {
	if m := checkDate(r.GetEffectiveDate()); m != "" {
		return "effective_date", m
	}
	if m := checkTradeMode(r.GetDocument().GetTradeMode()); m != "" {
		return "document.trade_mode", m
	}
	for i, p := range r.GetPostings() {
		if len(p.GetLegs()) > 0 {
			return fmt.Sprintf("postings[%d].legs", i), "legs are output only; remove them"
		}
	}
	return "", ""
}

// Journal CSV columns.
const (
	colKey         = "idempotency_key"
	colBook        = "book_id"
	colDate        = "effective_date"
	colDocType     = "doc_type"
	colDocNumber   = "doc_number"
	colTradeMode   = "trade_mode"
	colItemCode    = "item_code"
	colItemBook    = "item_book_id"
	colFromBook    = "from_book"
	colFromAccount = "from_account"
	colToBook      = "to_book"
	colToAccount   = "to_account"
	colQuantity    = "quantity"
	colUnit        = "unit"
	colValue       = "value"
	colLot         = "lot"
)

// JournalCSVColumns are the columns of a journal CSV file, in the documented
// order. RequiredJournalCSVColumns must be present; the others may be left
// out of the header.
var (
	JournalCSVColumns = []string{colKey, colBook, colDate, colDocType, colDocNumber, colTradeMode,
		colItemCode, colFromBook, colFromAccount, colToBook, colToAccount, colQuantity, colUnit, colValue, colLot, colItemBook}
	RequiredJournalCSVColumns = []string{colKey, colBook, colDate, colDocType, colDocNumber,
		colItemCode, colFromAccount, colToAccount, colQuantity, colUnit}
)

// journalLevel are the columns that belong to the journal, not the posting:
// every row of one idempotency_key must repeat the same values.
var journalLevel = []string{colBook, colDate, colDocType, colDocNumber, colTradeMode}

// ParseJournalsCSV parses a journal CSV file: a header naming the columns
// (any order; see JournalCSVColumns), then one posting per row. Rows sharing
// an idempotency_key form one journal, in the order the keys first appear;
// they must agree on book_id, effective_date, doc_type, doc_number and
// trade_mode. An empty from_book or to_book names a world account (abroad,
// domestic, consumed, ...), as in the API.
func ParseJournalsCSV(data []byte, name string) ([]Journal, error) {
	g := groups{key: colKey, one: "journal", head: journalLevel}
	var out []Journal
	byKey := map[string]int{}
	err := csvFile{known: JournalCSVColumns, required: RequiredJournalCSVColumns, cells: RequiredJournalCSVColumns}.
		read(data, name, func(_ *CSV, rw *CSVRow) error {
			key := rw.Get(colKey)
			isNew, err := g.join(rw)
			if err != nil {
				return err
			}
			if isNew {
				if m := checkDate(rw.Get(colDate)); m != "" {
					return rw.Errorf(colDate, "%s", m)
				}
				if m := checkTradeMode(rw.Get(colTradeMode)); m != "" {
					return rw.Errorf(colTradeMode, "%s", m)
				}
				byKey[key] = len(out)
				out = append(out, Journal{Index: len(out) + 1, CSV: true, Rows: map[string][]int{}, Req: &ledgerv1.PostJournalRequest{
					BookId: rw.Get(colBook), IdempotencyKey: key, EffectiveDate: rw.Get(colDate),
					Document: &ledgerv1.Document{Type: rw.Get(colDocType), Number: rw.Get(colDocNumber), TradeMode: rw.Get(colTradeMode)},
				}})
			}
			if m := checkQuantity(rw.Get(colQuantity)); m != "" {
				return rw.Errorf(colQuantity, "%s", m)
			}
			if m := checkValue(rw.Get(colValue)); m != "" {
				return rw.Errorf(colValue, "%s", m)
			}
			from := &ledgerv1.AccountRef{BookId: rw.Get(colFromBook), Name: rw.Get(colFromAccount)}
			to := &ledgerv1.AccountRef{BookId: rw.Get(colToBook), Name: rw.Get(colToAccount)}
			if from.GetBookId() == to.GetBookId() && from.GetName() == to.GetName() {
				return rw.Errorf(colToAccount, "from and to are the same account %q", to.GetName())
			}
			j := &out[byKey[key]]
			j.Req.Postings = append(j.Req.Postings, &ledgerv1.Posting{ItemCode: rw.Get(colItemCode), ItemBookId: rw.Get(colItemBook),
				From: from, To: to, Quantity: rw.Get(colQuantity), Value: rw.Get(colValue), Unit: rw.Get(colUnit), Lot: rw.Get(colLot)})
			j.Lines = append(j.Lines, rw.line)
			j.Rows["postings"] = append(j.Rows["postings"], rw.line)
			return nil
		})
	return out, err
}
