package input

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSV is a CSV file read with a checked header: OpenCSV, then Next until
// io.EOF.
type CSV struct {
	name string
	cols map[string]int
	// order are the header's columns as matched, in the file's order.
	order []string
	r     *csv.Reader
	// keepBlank returns rows whose cells are all empty instead of skipping
	// them.
	keepBlank bool
}

// openCSV reads the header, refusing unknown, duplicate and missing columns.
// Column names are matched case-insensitively. A column named "attr:KEY" is
// accepted when allowAttrs is set.
func openCSV(r io.Reader, name string, known, required []string, allowAttrs bool) (*CSV, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: name, CSV: true, Msg: "the file is empty; the first row must be the header: " + strings.Join(known, ",")}
	}
	if err != nil {
		return nil, csvSyntax(name, err)
	}
	cr.FieldsPerRecord = len(header)
	t := &CSV{name: name, cols: map[string]int{}, r: cr}
	isKnown := map[string]bool{}
	for _, k := range known {
		isKnown[k] = true
	}
	var unknown []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if strings.HasPrefix(h, "attr:") && allowAttrs && len(h) > len("attr:") {
			h = "attr:" + strings.TrimSpace(header[i])[len("attr:"):] // keep the key's case
		} else if !isKnown[h] {
			unknown = append(unknown, fmt.Sprintf("%q", header[i]))
			continue
		}
		if _, dup := t.cols[h]; dup {
			return nil, &Error{File: name, CSV: true, Line: 1, Column: h, Msg: "the column appears twice in the header"}
		}
		t.cols[h] = i
		t.order = append(t.order, h)
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	switch {
	case len(missing) > 0:
		return nil, &Error{File: name, CSV: true, Line: 1, Msg: fmt.Sprintf("missing column%s %s; the header must name at least: %s",
			plural(len(missing)), strings.Join(missing, ", "), strings.Join(required, ","))}
	case len(unknown) > 0:
		return nil, &Error{File: name, CSV: true, Line: 1, Msg: fmt.Sprintf("unknown column%s %s; known columns: %s",
			plural(len(unknown)), strings.Join(unknown, ", "), strings.Join(known, ","))}
	}
	return t, nil
}

// CSVRow is one data row of a CSV, its cells trimmed.
type CSVRow struct {
	t     *CSV
	cells []string
	line  int
}

// Next returns the next row that is not entirely blank (every row with
// keepBlank), or io.EOF after the last.
func (t *CSV) Next() (*CSVRow, error) {
	for {
		rec, err := t.r.Read()
		if err != nil {
			if err == io.EOF {
				return nil, err
			}
			return nil, csvSyntax(t.name, err)
		}
		line, _ := t.r.FieldPos(0)
		blank := true
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] != "" {
				blank = false
			}
		}
		if !blank || t.keepBlank {
			return &CSVRow{t: t, cells: rec, line: line}, nil
		}
	}
}

// Get returns the cell of a column, "" if the header lacks it.
func (r *CSVRow) Get(col string) string {
	i, ok := r.t.cols[col]
	if !ok {
		return ""
	}
	return r.cells[i]
}

// Errorf is an error about the row's cell in col ("" for the whole row).
func (r *CSVRow) Errorf(col, format string, args ...any) error {
	return &Error{File: r.t.name, CSV: true, Line: r.line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (r *CSVRow) require(cols ...string) error {
	for _, c := range cols {
		if r.Get(c) == "" {
			return r.Errorf(c, "is empty; it is required")
		}
	}
	return nil
}

// csvFile is how to read one kind of CSV file: the header's columns, the
// cells every row fills, and the plural noun of what the rows are.
type csvFile struct {
	known, required []string // every column; columns the header must name
	cells           []string // cells every row must fill
	attrs           bool     // accept "attr:KEY" columns
	keepBlank       bool     // hand blank rows to the reader too
	what            string   // "items": a file without rows is refused; "": it is not
}

// read opens the CSV file in data and calls each with every row (blank rows
// skipped unless keepBlank), after checking that the row fills s.cells; it
// stops at the first error.
func (s csvFile) read(data []byte, name string, each func(t *CSV, rw *CSVRow) error) error {
	t, err := openCSV(bytes.NewReader(stripBOM(data)), name, s.known, s.required, s.attrs)
	if err != nil {
		return err
	}
	t.keepBlank = s.keepBlank
	n := 0
	for ; ; n++ {
		rw, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := rw.require(s.cells...); err != nil {
			return err
		}
		if err := each(t, rw); err != nil {
			return err
		}
	}
	if n == 0 && s.what != "" {
		return &Error{File: name, CSV: true, Msg: "no " + s.what + " in the file"}
	}
	return nil
}

// firstRows remembers the row each key of a file first appeared on.
type firstRows map[string]int

// once refuses a key seen on an earlier row, in col: "<what> already
// appears on row N<more>".
func (f firstRows) once(rw *CSVRow, col, key, what, more string) error {
	if first, dup := f[key]; dup {
		return rw.Errorf(col, "%s already appears on row %d%s", what, first, more)
	}
	f[key] = rw.line
	return nil
}

// groups gathers the rows that share a key column into one document (a
// journal, a list): the rows of a key must agree on the head columns.
type groups struct {
	key  string   // the key column: "inner_no"
	one  string   // the document, singular: "list"
	head []string // the columns the rows of a key agree on
	// first are the first row of each key.
	first map[string]*CSVRow
}

// join reports whether rw starts a new document, or why it disagrees with
// the first row of its key.
func (g *groups) join(rw *CSVRow) (bool, error) {
	k := rw.Get(g.key)
	f, seen := g.first[k]
	if !seen {
		if g.first == nil {
			g.first = map[string]*CSVRow{}
		}
		g.first[k] = rw
		return true, nil
	}
	for _, c := range g.head {
		if a, b := f.Get(c), rw.Get(c); a != b {
			return false, rw.Errorf(c, "%q differs from %q on row %d; rows with the same %s %q are one %s and must agree on %s",
				b, a, f.line, g.key, k, g.one, strings.Join(g.head, ", "))
		}
	}
	return false, nil
}

// scale reads a scale cell: the decimal places allowed in quantities, 0 to 5.
func (r *CSVRow) scale(col string) (int32, error) {
	n, err := strconv.ParseUint(r.Get(col), 10, 32)
	if err != nil || n > 5 {
		return 0, r.Errorf(col, "%q is not a scale; write the number of decimal places allowed in quantities, 0 to 5", r.Get(col))
	}
	return int32(n), nil
}

func csvSyntax(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "wrong number of fields: every row needs as many fields as the header"
		}
		return &Error{File: name, CSV: true, Line: pe.Line, Msg: "invalid CSV: " + msg}
	}
	return &Error{File: name, Msg: err.Error()}
}

// OpenCSV reads the header, refusing unknown, duplicate and missing
// (required) columns; names match case-insensitively. Errors are *Error
// values naming the file and the row. Then call Next until io.EOF.
func OpenCSV(r io.Reader, name string, known, required []string) (*CSV, error) {
	return openCSV(r, name, known, required, false)
}

// Has reports whether the header names col.
func (t *CSV) Has(col string) bool {
	_, ok := t.cols[col]
	return ok
}

// Columns are the header's columns, lower-cased, in the file's order.
func (t *CSV) Columns() []string { return t.order }

// Line is the row's line in the file.
func (r *CSVRow) Line() int { return r.line }
