package input

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// This file holds what the customs document files (verification lists,
// passes, slips, consumption reports, book lines) share: a document read from
// a file with where it came from, the JSON reader (one protojson object, an
// array of them or JSON Lines) and the grouped CSV reader (rows sharing a key
// form one document, as in the journal CSV).

// Doc is one request read from a file, with where it came from.
type Doc[T proto.Message] struct {
	// Req is the request to send.
	Req T
	// Index is the 1-based position of the document in the file.
	Index int
	// Lines are the line the JSON object starts on, or every CSV row of the
	// document in file order.
	Lines []int
	// CSV is true when the document came from a CSV file.
	CSV bool
	// Rows maps a repeated request field ("lines", "consumed", "produced")
	// to the CSV row of each of its elements.
	Rows map[string][]int
	// column maps a request field to its CSV column; nil for JSON.
	column func(field string) string
}

// Source describes where the document is in its file: "line 7", "rows 2-4".
func (d Doc[T]) Source() string {
	if !d.CSV {
		if len(d.Lines) == 0 {
			return fmt.Sprintf("document %d", d.Index)
		}
		return fmt.Sprintf("line %d", d.Lines[0])
	}
	return "row" + plural(len(d.Lines)) + " " + spans(d.Lines)
}

var elementField = regexp.MustCompile(`^([a-z_]+)\[([0-9]+)\]`)

// protoPrefix is the "proto: " protobuf-go puts before its errors (with a
// space or, deliberately at random, a non-breaking space).
var protoPrefix = regexp.MustCompile(`^proto:[\s\x{00a0}]+`)

// Locate narrows Source using the request field the server named: for a CSV
// document, a field under lines[i] (consumed[i], produced[i]) points at the
// row of that element, and the field at its column: `row 4, column "book_seq"`.
func (d Doc[T]) Locate(field string) string {
	if !d.CSV || field == "" {
		return d.Source()
	}
	where := d.Source()
	if row := d.row(field); row > 0 {
		where = fmt.Sprintf("row %d", row)
	}
	if d.column != nil {
		if c := d.column(field); c != "" {
			where += fmt.Sprintf(", column %q", c)
		}
	}
	return where
}

// row is the CSV row of an element field, 0 if the field names none.
func (d Doc[T]) row(field string) int {
	if m := elementField.FindStringSubmatch(field); m != nil {
		if i, err := strconv.Atoi(m[2]); err == nil && i < len(d.Rows[m[1]]) {
			return d.Rows[m[1]][i]
		}
	}
	return 0
}

// checkFunc checks what a client can check of a request and returns the
// field at fault (proto name, e.g. "lines[2].quantity") and why, or "" if
// nothing is wrong.
type checkFunc[T proto.Message] func(T) (field, msg string)

// check runs c, the checks the protos cannot state, then Validate (the
// rules they state); later are fields the command line may still fill.
func check[T proto.Message](c checkFunc[T], req T, later []string) (field, msg string) {
	if c != nil {
		if field, msg := c(req); msg != "" {
			return field, msg
		}
	}
	return Validate(req, later...)
}

// jsonDocs is how to read one kind of request from JSON.
type jsonDocs[T proto.Message] struct {
	what  string // plural noun for messages: "lists"
	check checkFunc[T]
	// key is the field naming the document (inner_no, seq), used to refuse
	// a file that names the same document twice; "": no check.
	key string
	// later are fields the command line may still fill.
	later []string
	// numbered names the object's place in the file in errors ("line 7,
	// journal 7").
	numbered bool
}

// parse reads one object in protojson form (proto or JSON field names), an
// array of them, or JSON Lines. Unknown fields are refused, so a misspelt
// field is not silently dropped; decimals must be JSON strings (protojson
// refuses a number for a string field).
func (s jsonDocs[T]) parse(data []byte, name string) ([]Doc[T], error) {
	var zero T
	typ := zero.ProtoReflect().Type()
	msgName := string(typ.Descriptor().Name())
	key := typ.Descriptor().Fields().ByName(protoreflect.Name(s.key))
	if s.key != "" && key == nil {
		panic(fmt.Sprintf("input: %s has no field %q", msgName, s.key))
	}
	var out []Doc[T]
	seen := map[string]int{}
	err := JSONObjects(data, name, s.what, func(raw json.RawMessage, line int) error {
		fail := func(field, msg string) error {
			e := &Error{File: name, Line: line, Field: field, Msg: msg}
			if s.numbered {
				e.Journal = len(out) + 1
			}
			return e
		}
		if !IsObject(raw) {
			return fail("", "expected a JSON object (a "+msgName+")")
		}
		req := typ.New().Interface().(T)
		if err := protojson.Unmarshal(raw, req); err != nil {
			return fail("", ProtojsonMessage(err))
		}
		if field, msg := check(s.check, req, s.later); msg != "" {
			return fail(field, msg)
		}
		if key != nil {
			k := req.ProtoReflect().Get(key).String()
			if first, dup := seen[k]; dup {
				return fail(s.key, fmt.Sprintf("%q already appears on line %d; each document appears once in a file", k, first))
			}
			seen[k] = line
		}
		out = append(out, Doc[T]{Req: req, Index: len(out) + 1, Lines: []int{line}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Msg: "no " + s.what + " in the file"}
	}
	return out, nil
}

// ProtojsonMessage is a protojson error as a file's reader says it: without
// the "proto:" prefix, and with the hint that decimals are JSON strings.
func ProtojsonMessage(err error) string {
	msg := protoPrefix.ReplaceAllString(err.Error(), "")
	if strings.Contains(msg, "invalid value for string field") {
		msg += `; write decimals as JSON strings, e.g. "12.5"`
	}
	return msg
}

// csvDocs is how to read one kind of request from a grouped CSV file: a
// header, then one line of a document per row; rows sharing the key column
// form one document (in the order the keys first appear; the rows need not be
// adjacent) and must agree on the head columns.
type csvDocs[T proto.Message] struct {
	what     string   // plural noun for messages: "lists"
	one      string   // singular noun: "list"
	known    []string // every column, in the documented order
	required []string // columns the header must name
	key      string   // the column grouping rows into documents
	head     []string // document-level columns, equal on every row of a document
	// start builds a document from its first row.
	start func(rw *CSVRow) (T, error)
	// add adds the row's element to the document and returns the repeated
	// field it went to ("lines"), or "" when the row adds none.
	add   func(req T, rw *CSVRow) (string, error)
	check checkFunc[T]
	// later are fields the command line may still fill.
	later []string
	// keepBlank refuses blank rows (for their empty key) instead of skipping them.
	keepBlank bool
	// columns maps request fields to CSV columns where the names differ
	// ("country" of the list -> "list_country"); an element field
	// ("lines[2].quantity") is looked up as "lines.quantity", then by its
	// last part ("quantity").
	columns map[string]string
}

func (s csvDocs[T]) parse(data []byte, name string) ([]Doc[T], error) {
	g := groups{key: s.key, one: s.one}
	byKey := map[string]int{}
	var out []Doc[T]
	err := csvFile{known: s.known, required: s.required, cells: []string{s.key}, keepBlank: s.keepBlank, what: s.what}.
		read(data, name, func(t *CSV, rw *CSVRow) error {
			if g.head == nil {
				g.head = []string{} // the head columns the header names
				for _, c := range s.head {
					if _, ok := t.cols[c]; ok {
						g.head = append(g.head, c)
					}
				}
			}
			isNew, err := g.join(rw)
			if err != nil {
				return err
			}
			if isNew {
				req, err := s.start(rw)
				if err != nil {
					return err
				}
				byKey[rw.Get(s.key)] = len(out)
				out = append(out, Doc[T]{Req: req, Index: len(out) + 1, CSV: true, Rows: map[string][]int{}, column: s.column})
			}
			d := &out[byKey[rw.Get(s.key)]]
			field, err := s.add(d.Req, rw)
			if err != nil {
				return err
			}
			if field != "" {
				d.Rows[field] = append(d.Rows[field], rw.line)
			}
			d.Lines = append(d.Lines, rw.line)
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, d := range out {
		if field, msg := check(s.check, d.Req, s.later); msg != "" {
			line := d.row(field)
			if line == 0 {
				line = d.Lines[0]
			}
			return nil, &Error{File: name, CSV: true, Line: line, Column: s.column(field), Msg: msg}
		}
	}
	return out, nil
}

// column is the CSV column of a request field.
func (s csvDocs[T]) column(field string) string {
	if c, ok := s.columns[field]; ok {
		return c
	}
	generic := elementField.ReplaceAllString(field, "$1")
	if c, ok := s.columns[generic]; ok {
		return c
	}
	if i := strings.LastIndexByte(generic, '.'); i >= 0 {
		generic = generic[i+1:]
	}
	for _, k := range s.known {
		if k == generic {
			return k
		}
	}
	return ""
}

// readDocs reads a document file in JSON or CSV; with Auto the format is
// picked by the file name, else by the first character. csv may be nil when
// the documents have no CSV form.
func readDocs[T proto.Message](r io.Reader, name string, f FileFormat, js jsonDocs[T], csv *csvDocs[T]) ([]Doc[T], error) {
	fromCSV := func([]byte, string) ([]Doc[T], error) {
		return nil, &Error{File: name, Msg: js.what + " are read from JSON only (--format json)"}
	}
	if csv != nil {
		fromCSV = csv.parse
	} else if f == "" || f == Auto {
		f = JSONFormat
	}
	return readAs(r, name, f, fromCSV, js.parse)
}

// Shared checks. Each returns "" when the value is fine, else why not.

var (
	digits3  = regexp.MustCompile(`^[0-9]{3}$`)
	digits10 = regexp.MustCompile(`^[0-9]{10}$`)
)

// checkPositive checks a quantity: a plain decimal greater than zero.
func checkPositive(s string) string {
	if s == "" {
		return "is required"
	}
	d, msg := Decimal(s)
	if msg != "" {
		return msg
	}
	if !d.IsPositive() {
		return fmt.Sprintf("%q must be greater than zero", s)
	}
	return ""
}

// checkText checks a required or optional text field's length in characters.
func checkText(s string, required bool, max int) string {
	switch {
	case required && strings.TrimSpace(s) == "":
		return "is required"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("is %d characters long; at most %d are allowed", utf8.RuneCountInString(s), max)
	}
	return ""
}

// checkIO checks an in/out flag.
func checkIO(s string) string {
	if s != "I" && s != "E" {
		if s == "" {
			return `is required: "I" into the zone or "E" out of it`
		}
		return fmt.Sprintf(`%q is not an in/out flag; write "I" into the zone or "E" out of it`, s)
	}
	return ""
}

// fieldCheck is one field's check result: msg is "" when the field is fine.
type fieldCheck struct{ field, msg string }

// firstProblem returns the first check that found a problem.
func firstProblem(cs ...fieldCheck) (string, string) {
	for _, c := range cs {
		if c.msg != "" {
			return c.field, c.msg
		}
	}
	return "", ""
}

// parseSeq parses a book line number cell: "" is 0 when optional.
func parseSeq(rw *CSVRow, col string, required bool) (int32, error) {
	s := rw.Get(col)
	if s == "" {
		if required {
			return 0, rw.Errorf(col, "is empty; it is required")
		}
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		return 0, rw.Errorf(col, "%q is not a book line number (备案序号); write a whole number from 1", s)
	}
	return int32(n), nil
}

// Error is a problem the command found in the document after reading it
// (with the command line's values filled in): it names the file, the line
// and field (JSON) or the row and column (CSV) of field.
func (d Doc[T]) Error(file, field, msg string) *Error {
	e := &Error{File: file, Line: d.Lines[0], CSV: d.CSV, Msg: msg}
	if !d.CSV {
		e.Field = field
		return e
	}
	if row := d.row(field); row > 0 {
		e.Line = row
	}
	if d.column != nil {
		e.Column = d.column(field)
	}
	if e.Column == "" && field != "" {
		e.Msg = field + ": " + msg
	}
	return e
}
