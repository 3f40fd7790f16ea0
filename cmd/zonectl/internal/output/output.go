// Package output prints zonectl results as an aligned text table, as JSON
// (protojson, proto field names) or as CSV. Every value is printed as the
// string the server sent: decimal quantities and amounts are never converted
// to binary floating point.
package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Format is an output format.
type Format string

// The output formats.
const (
	// Table is an aligned text table with an upper-case header (the default).
	Table Format = "table"
	// JSON is protojson with proto field names: one object, or an array for lists.
	JSON Format = "json"
	// CSV is RFC 4180 CSV with a header row; list results only flatten nested data.
	CSV Format = "csv"
)

// Formats lists the accepted format names.
var Formats = []Format{Table, JSON, CSV}

// ParseFormat parses a format name (case-insensitive).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, ok := range Formats {
		if f == ok {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown output format %q: use table, json or csv", s)
}

// jsonOptions marshals messages with the proto field names, the names the
// server uses in error fields and zonectl uses in CSV headers.
var jsonOptions = protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}

// MarshalJSON renders one message as indented JSON. prefix starts every line
// but the first.
func MarshalJSON(m proto.Message, prefix string) ([]byte, error) {
	raw, err := jsonOptions.Marshal(m)
	if err != nil {
		return nil, err
	}
	// protojson output is deliberately not byte-stable; json.Indent rewrites
	// all insignificant white space, so the result is.
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, prefix, "  "); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// List prints a list of results as they arrive: Add each message with its
// rows (one message may flatten into several rows, e.g. a journal into one
// row per posting), then Close. JSON prints the messages as an array; table
// and CSV print the rows under the header.
type List struct {
	w      io.Writer
	format Format
	header []string
	tw     *table
	cw     *csv.Writer
	n      int
	err    error
}

// NewList starts a list with the given column names (snake_case).
func NewList(w io.Writer, f Format, header []string) *List {
	l := &List{w: w, format: f, header: header}
	switch f {
	case CSV:
		l.cw = csv.NewWriter(w)
		l.err = l.cw.Write(header)
	case JSON:
	default:
		l.tw = &table{w: w}
		up := make([]string, len(header))
		for i, h := range header {
			up[i] = strings.ToUpper(h)
		}
		l.err = writeTableRow(l.tw, up)
	}
	return l
}

// Add appends one message and its rows.
func (l *List) Add(m proto.Message, rows ...[]string) error {
	if l.err != nil {
		return l.err
	}
	switch l.format {
	case JSON:
		b, err := MarshalJSON(m, "  ")
		if err != nil {
			l.err = err
			return err
		}
		sep := ",\n  "
		if l.n == 0 {
			sep = "[\n  "
		}
		_, l.err = fmt.Fprintf(l.w, "%s%s", sep, b)
	case CSV:
		for _, r := range rows {
			if l.err = l.cw.Write(r); l.err != nil {
				break
			}
		}
	default:
		for _, r := range rows {
			if l.err = writeTableRow(l.tw, r); l.err != nil {
				break
			}
		}
	}
	l.n++
	return l.err
}

// Len returns the number of messages added.
func (l *List) Len() int { return l.n }

// Close finishes the list and flushes it.
func (l *List) Close() error {
	if l.err != nil {
		return l.err
	}
	switch l.format {
	case JSON:
		if l.n == 0 {
			_, l.err = io.WriteString(l.w, "[]\n")
		} else {
			_, l.err = io.WriteString(l.w, "\n]\n")
		}
	case CSV:
		l.cw.Flush()
		l.err = l.cw.Error()
	default:
		l.err = l.tw.Flush()
	}
	return l.err
}

// One prints a single message: JSON as one object, table and CSV as its rows
// under the header.
func One(w io.Writer, f Format, m proto.Message, header []string, rows ...[]string) error {
	if f == JSON {
		b, err := MarshalJSON(m, "")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	return Rows(w, f, header, rows)
}

// Rows prints a table or CSV that has no proto message behind it (e.g. a
// summary). With JSON it returns an error: callers print JSON themselves.
func Rows(w io.Writer, f Format, header []string, rows [][]string) error {
	if f == JSON {
		return fmt.Errorf("output.Rows: JSON is not a tabular format")
	}
	l := NewList(w, f, header)
	if err := l.Add(nil, rows...); err != nil {
		return err
	}
	return l.Close()
}

// writeTableRow adds one row to the table; tabs and line breaks inside a
// cell would break the alignment, so they become spaces.
func writeTableRow(tw *table, cells []string) error {
	clean := make([]string, len(cells))
	for i, c := range cells {
		clean[i] = strings.Map(func(r rune) rune {
			switch r {
			case '\t', '\n', '\r':
				return ' '
			}
			return r
		}, c)
	}
	tw.rows = append(tw.rows, clean)
	return nil
}

// table aligns its rows' columns by display width, as a terminal shows
// them: a CJK character takes two columns, a combining mark none
// (uniseg.StringWidth). text/tabwriter counts runes, so Chinese names
// pushed the columns after them out of line. Columns are separated by two
// spaces; the last cell of a row is not padded.
type table struct {
	w    io.Writer
	rows [][]string
}

// Flush writes the rows and forgets them.
func (t *table) Flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	t.rows = nil
	_, err := io.WriteString(t.w, b.String())
	return err
}
