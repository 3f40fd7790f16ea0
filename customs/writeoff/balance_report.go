package writeoff

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/ledger"
)

// BalanceReportFormat is a file format of the balance report.
type BalanceReportFormat string

// The formats the balance report is written in.
const (
	BalanceCSV  BalanceReportFormat = "CSV"
	BalanceXLSX BalanceReportFormat = "XLSX"
)

// ContentType is the MIME type of a report file of the format.
func (f BalanceReportFormat) ContentType() string {
	if f == BalanceXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// FileName is the report file's suggested name.
func (b InventoryBalance) FileName(f BalanceReportFormat) string {
	return fmt.Sprintf("balance-%s-%s-%s.%s", b.Book, ledger.FormatDate(b.From), ledger.FormatDate(b.To), strings.ToLower(string(f)))
}

// BalanceHeader is the header row of the balance report: the line, its
// status, the opening, a quantity and a value column per flow in the order
// of Flows(), the in, out and consumed sums, scrap made and the closing.
func BalanceHeader() []string {
	h := []string{"book_seq", "name", "unit", "goods_type", "status", "opening_quantity", "opening_value"}
	for _, c := range Flows() {
		n := strings.ToLower(string(c.Flow))
		h = append(h, n+"_quantity", n+"_value")
	}
	for _, n := range []string{"in", "out", "consumed", "scrap_made", "closing"} {
		h = append(h, n+"_quantity", n+"_value")
	}
	return h
}

// BalanceRecord is a row of the balance report; every figure is the exact
// decimal text (values to the fen at least).
func BalanceRecord(l BalanceLine) []string {
	r := []string{strconv.Itoa(l.BookSeq), l.Name, l.Unit, string(l.Type), string(l.Status)}
	r = appendAmount(r, l.Opening)
	for _, c := range Flows() {
		a := l.Flow(c.Flow)
		r = appendAmount(r, ledger.Amount{Quantity: a.Quantity, Value: a.Value})
	}
	for _, a := range []ledger.Amount{l.In, l.Out, l.Consumed, l.ScrapMade, l.Closing} {
		r = appendAmount(r, a)
	}
	return r
}

func appendAmount(r []string, a ledger.Amount) []string {
	return append(r, a.Quantity.String(), ledger.FormatMoney(a.Value))
}

// WriteReport writes the balance as a CSV file or an XLSX workbook: a
// header row, then one row per line and status.
func (b InventoryBalance) WriteReport(w io.Writer, f BalanceReportFormat) error {
	rows := make([][]string, 0, len(b.Lines))
	for _, l := range b.Lines {
		rows = append(rows, BalanceRecord(l))
	}
	return WriteTable(w, f, "Balance", BalanceHeader(), rows)
}

// WriteTable writes a report as a CSV file or an XLSX workbook of one
// sheet: the header row, then the rows. The write-off's reports (the
// balance, the differences, the attention list) all go through it. Every
// XLSX cell is text, so no spreadsheet float touches a figure.
func WriteTable(w io.Writer, f BalanceReportFormat, sheet string, header []string, rows [][]string) error {
	switch f {
	case BalanceCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case BalanceXLSX:
		return writeXLSX(w, sheet, header, rows)
	}
	return ledger.BadArgument("format", "write the report as %s or %s, not %q", BalanceCSV, BalanceXLSX, f)
}

// writeXLSX streams the rows into one sheet, every cell text.
func writeXLSX(w io.Writer, sheet string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	put := func(row int, vals []string) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = excelize.Cell{Value: v}
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	}
	if err := put(1, header); err != nil {
		return err
	}
	for i, r := range rows {
		if err := put(i+2, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
