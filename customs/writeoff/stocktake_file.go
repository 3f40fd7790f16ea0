package writeoff

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/ledger"
)

// CountFormat is the format of a count file.
type CountFormat string

// The count file formats.
const (
	// FormatCSV is comma-separated text, UTF-8.
	FormatCSV CountFormat = "CSV"
	// FormatXLSX is an Excel workbook; its first sheet is read.
	FormatXLSX CountFormat = "XLSX"
)

// MaxCountRows caps the rows of one count file.
const MaxCountRows = 1_000_000

// The columns of a count file, named on its first row (the header) in any
// order; other columns (a name, a location) are ignored.
const (
	ColumnBookSeq  = "book_seq"
	ColumnStatus   = "status"
	ColumnQuantity = "quantity"
)

// ParseCounts reads a count file: a header row naming the columns
// book_seq, status and quantity, then one row per book line and status
// counted; blank rows are skipped. A row that cannot be read is refused
// with reason ReasonCountFile naming its row (the header is row 1) and
// column; the rows are then checked against the book by ImportStocktake.
// An XLSX file is read row by row from its first sheet.
func ParseCounts(r io.Reader, format CountFormat) ([]Count, error) {
	switch format {
	case FormatCSV:
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		return parseCountRows(func(int) ([]string, int, error) {
			rec, err := cr.Read()
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, ledger.Invalid(ReasonCountFile, fmt.Sprintf("rows[%d]", pe.Line), "row %d: %v", pe.Line, pe.Err)
			}
			if err != nil {
				return nil, 0, err
			}
			line, _ := cr.FieldPos(0) // the file's line: blank lines count
			return rec, line, nil
		})
	case FormatXLSX:
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, ledger.Invalid(ReasonCountFile, "file", "the file is not an XLSX workbook (%v); save it as .xlsx or send CSV", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, ledger.Invalid(ReasonCountFile, "file", "the workbook has no sheet")
		}
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, ledger.Invalid(ReasonCountFile, "file", "reading sheet %q: %v", sheets[0], err)
		}
		defer rows.Close()
		return parseCountRows(func(row int) ([]string, int, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return nil, 0, ledger.Invalid(ReasonCountFile, "file", "reading sheet %q: %v", sheets[0], err)
				}
				return nil, 0, io.EOF
			}
			rec, err := rows.Columns()
			return rec, row, err
		})
	}
	return nil, ledger.BadArgument("format", "%q is neither %s nor %s", format, FormatCSV, FormatXLSX)
}

// parseCountRows reads rows from next until io.EOF; next is given the count of
// rows read so far plus one and returns the row's number in the file.
func parseCountRows(next func(int) ([]string, int, error)) ([]Count, error) {
	col := map[string]int{}
	var out []Count
	for n := 1; ; n++ {
		rec, row, err := next(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n == 1 {
			for i, h := range rec {
				col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
			}
			for _, name := range []string{ColumnBookSeq, ColumnStatus, ColumnQuantity} {
				if _, ok := col[name]; !ok {
					return nil, ledger.Invalid(ReasonCountFile, fmt.Sprintf("rows[%d]", row), "row %d (the header) has no column %q; name the columns %s, %s and %s", row, name, ColumnBookSeq, ColumnStatus, ColumnQuantity)
				}
			}
			continue
		}
		if blankRow(rec) {
			continue
		}
		if len(out) == MaxCountRows {
			return nil, ledger.Invalid(ReasonCountFile, fmt.Sprintf("rows[%d]", row), "row %d: a count file has at most %d rows; split the book's count by status", row, MaxCountRows)
		}
		cell := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		at := func(name string) string {
			letter, _ := excelize.ColumnNumberToName(col[name] + 1)
			return name + " (" + letter + ")"
		}
		ct := Count{Row: row}
		seq, err := strconv.Atoi(cell(ColumnBookSeq))
		if err != nil || seq < 1 {
			return nil, countRowError(row, ColumnBookSeq, "%q is not a book line number; give the line's 备案序号, from 1 (column %s)", cell(ColumnBookSeq), at(ColumnBookSeq))
		}
		ct.BookSeq = seq
		ct.Status = CountStatus(strings.ToUpper(cell(ColumnStatus)))
		if _, ok := countAccounts[ct.Status]; !ok {
			return nil, countRowError(row, ColumnStatus, "%q is neither %s nor %s (column %s)", cell(ColumnStatus), CountBonded, CountNonBonded, at(ColumnStatus))
		}
		q, err := ledger.ParseDecimal(cell(ColumnQuantity), "quantity")
		if err != nil || q.IsNegative() || !q.Equal(q.Truncate(5)) {
			return nil, countRowError(row, ColumnQuantity, "%q is not a quantity at or above zero with at most 5 decimal places (column %s)", cell(ColumnQuantity), at(ColumnQuantity))
		}
		ct.Quantity = q
		out = append(out, ct)
	}
	return out, nil
}

func blankRow(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
