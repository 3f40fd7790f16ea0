// Package input reads the files zonectl sends in bulk: journals (JSON object,
// JSON array, JSON Lines or CSV) and items (CSV). Parsing is strict and
// happens before anything is sent, so a file with a mistake is refused whole,
// with the line, row or column at fault named. Quantities and values stay the
// decimal strings of the file; they are checked, never converted.
package input

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Error is a problem in an input file, with where it is.
type Error struct {
	// File is the file name as given ("-" for standard input).
	File string
	// Line is the 1-based line (JSON) or row (CSV, the header is row 1); 0 if
	// the problem is not on one line.
	Line int
	// Column is the CSV column name; empty for JSON.
	Column string
	// Field is the request field at fault, e.g. "postings[0].quantity"; may be empty.
	Field string
	// Journal is the 1-based position of the journal in the file; 0 if unknown.
	Journal int
	// CSV is true for CSV files: Line is then called a row.
	CSV bool
	// Msg says what is wrong.
	Msg string
}

// Error implements the error interface, e.g.
// `journals.csv: row 4, column "quantity": "1e3" is not a decimal number`.
func (e *Error) Error() string {
	var where []string
	if e.Line > 0 {
		unit := "line"
		if e.CSV {
			unit = "row"
		}
		where = append(where, fmt.Sprintf("%s %d", unit, e.Line))
	}
	if e.Column != "" {
		where = append(where, fmt.Sprintf("column %q", e.Column))
	}
	if e.Journal > 0 && e.Column == "" {
		where = append(where, fmt.Sprintf("journal %d", e.Journal))
	}
	s := e.File
	if len(where) > 0 {
		s += ": " + strings.Join(where, ", ")
	}
	s += ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}

var (
	datePattern      = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	tradeModePattern = regexp.MustCompile(`^[0-9]{4}$`)
	// wirePattern is the API's decimal syntax for quantities and values: no
	// sign, no exponent, no separators.
	wirePattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
)

// checkQuantity checks a posting quantity: a plain decimal greater than zero.
func checkQuantity(s string) string {
	d, msg := Decimal(s)
	if msg != "" {
		return msg
	}
	if !d.IsPositive() {
		return fmt.Sprintf("quantity %q must be greater than zero", s)
	}
	return ""
}

// checkValue checks a posting value: empty (not given) or a plain decimal >= 0.
func checkValue(s string) string {
	if s == "" {
		return ""
	}
	d, msg := Decimal(s)
	if msg != "" {
		return msg
	}
	if d.IsNegative() {
		return fmt.Sprintf("value %q must not be negative", s)
	}
	return ""
}

// Places is the number of decimal places d needs (trailing zeros dropped).
func Places(d decimal.Decimal) int32 {
	s := d.String() // String drops trailing fractional zeros.
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return int32(len(s) - i - 1)
	}
	return 0
}

// Decimal parses a decimal string as the API writes it (digits, an
// optional '.' and fraction; no sign, exponent or separators: wirePattern)
// and says why not when it is not one. It and Places are the client's one
// decimal parser. How many digits the server takes, and how many places an
// item's quantity may have, are the server's to say: it refuses too long a
// number with DECIMAL_OUT_OF_RANGE or TOO_MANY_DECIMALS, naming the field.
func Decimal(s string) (decimal.Decimal, string) {
	if !wirePattern.MatchString(s) {
		if strings.HasPrefix(s, "-") && wirePattern.MatchString(s[1:]) {
			return decimal.Zero, fmt.Sprintf("%q must not be negative", s)
		}
		return decimal.Zero, fmt.Sprintf("%q is not a decimal number; write digits with an optional '.' and fraction, e.g. \"12.5\"", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, fmt.Sprintf("%q is not a decimal number", s)
	}
	return d, ""
}

// checkDate checks an optional YYYY-MM-DD calendar date.
func checkDate(s string) string {
	if s == "" {
		return ""
	}
	if !datePattern.MatchString(s) {
		return fmt.Sprintf("%q is not a date; write YYYY-MM-DD", s)
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Sprintf("%q is not a calendar date", s)
	}
	return ""
}

// checkTradeMode checks an optional 4-digit trade-mode (监管方式) code.
func checkTradeMode(s string) string {
	if s != "" && !tradeModePattern.MatchString(s) {
		return fmt.Sprintf("trade mode %q is not a 4-digit code such as \"5034\"", s)
	}
	return ""
}

// readFile reads a whole input file, without a UTF-8 byte-order mark.
func readFile(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	return stripBOM(data), nil
}

// readAs reads a whole file and hands it to fromCSV or fromJSON by its
// format; Auto (or "") picks it with Detect.
func readAs[T any](r io.Reader, name string, f FileFormat, fromCSV, fromJSON func(data []byte, name string) (T, error)) (T, error) {
	data, err := readFile(r, name)
	if err != nil {
		var zero T
		return zero, err
	}
	if f == "" || f == Auto {
		f = Detect(name, data)
	}
	if f == CSVFormat {
		return fromCSV(data, name)
	}
	return fromJSON(data, name)
}

// stripBOM drops a UTF-8 byte order mark, which spreadsheet programs put at
// the start of exported CSV files.
func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
