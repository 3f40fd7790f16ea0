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

// csvTable is a CSV file read with a checked header.
type csvTable struct {
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
func openCSV(r io.Reader, name string, known, required []string, allowAttrs bool) (*csvTable, error) {
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
	t := &csvTable{name: name, cols: map[string]int{}, r: cr}
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

// row is one data row.
type row struct {
	t     *csvTable
	cells []string
	line  int
}

// next returns the next row that is not entirely blank, or io.EOF.
func (t *csvTable) next() (*row, error) {
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
			return &row{t: t, cells: rec, line: line}, nil
		}
	}
}

// get returns the cell of a column, "" if the column is absent.
func (r *row) get(col string) string {
	i, ok := r.t.cols[col]
	if !ok {
		return ""
	}
	return r.cells[i]
}

func (r *row) errorf(col, format string, args ...any) error {
	return &Error{File: r.t.name, CSV: true, Line: r.line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (r *row) require(cols ...string) error {
	for _, c := range cols {
		if r.get(c) == "" {
			return r.errorf(c, "is empty; it is required")
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
func (s csvFile) read(data []byte, name string, each func(t *csvTable, rw *row) error) error {
	t, err := openCSV(bytes.NewReader(stripBOM(data)), name, s.known, s.required, s.attrs)
	if err != nil {
		return err
	}
	t.keepBlank = s.keepBlank
	n := 0
	for ; ; n++ {
		rw, err := t.next()
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
func (f firstRows) once(rw *row, col, key, what, more string) error {
	if first, dup := f[key]; dup {
		return rw.errorf(col, "%s already appears on row %d%s", what, first, more)
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
	first map[string]*row
}

// join reports whether rw starts a new document, or why it disagrees with
// the first row of its key.
func (g *groups) join(rw *row) (bool, error) {
	k := rw.get(g.key)
	f, seen := g.first[k]
	if !seen {
		if g.first == nil {
			g.first = map[string]*row{}
		}
		g.first[k] = rw
		return true, nil
	}
	for _, c := range g.head {
		if a, b := f.get(c), rw.get(c); a != b {
			return false, rw.errorf(c, "%q differs from %q on row %d; rows with the same %s %q are one %s and must agree on %s",
				b, a, f.line, g.key, k, g.one, strings.Join(g.head, ", "))
		}
	}
	return false, nil
}

// scale reads a scale cell: the decimal places allowed in quantities, 0 to 5.
func (r *row) scale(col string) (int32, error) {
	n, err := strconv.ParseUint(r.get(col), 10, 32)
	if err != nil || n > 5 {
		return 0, r.errorf(col, "%q is not a scale; write the number of decimal places allowed in quantities, 0 to 5", r.get(col))
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

// CSV is a CSV file read with a checked header, for the readers of other
// packages: OpenCSV, then Next until io.EOF.
type CSV struct{ t *csvTable }

// OpenCSV reads the header, refusing unknown, duplicate and missing
// (required) columns; names match case-insensitively. Errors are *Error
// values naming the file and the row.
func OpenCSV(r io.Reader, name string, known, required []string) (*CSV, error) {
	t, err := openCSV(r, name, known, required, false)
	if err != nil {
		return nil, err
	}
	return &CSV{t: t}, nil
}

// Has reports whether the header names col.
func (c *CSV) Has(col string) bool {
	_, ok := c.t.cols[col]
	return ok
}

// Columns are the header's columns, lower-cased, in the file's order.
func (c *CSV) Columns() []string { return c.t.order }

// Next returns the next row (cells trimmed), or io.EOF after the last.
func (c *CSV) Next() (CSVRow, error) {
	r, err := c.t.next()
	if err != nil {
		return CSVRow{}, err
	}
	return CSVRow{r: r}, nil
}

// CSVRow is one data row of a CSV.
type CSVRow struct{ r *row }

// Get returns the cell of a column, "" if the header lacks it.
func (r CSVRow) Get(col string) string { return r.r.get(col) }

// Line is the row's line in the file.
func (r CSVRow) Line() int { return r.r.line }

// Errorf is an error about the row's cell in col ("" for the whole row).
func (r CSVRow) Errorf(col, format string, args ...any) error {
	return r.r.errorf(col, format, args...)
}
