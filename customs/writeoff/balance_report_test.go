package writeoff

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func TestBalanceReportsCarryExactFiguresInCSVAndXLSX(t *testing.T) {
	w := newBalanceWorld(t)
	w.post(w.everyFlow())
	bal, err := w.balances.InventoryBalance(w.ctx, w.e1, w.book, day("2026-11-03"), day("2026-11-05"))
	w.must(err)
	var c bytes.Buffer
	w.must(bal.WriteReport(&c, BalanceCSV))
	rows, err := csv.NewReader(&c).ReadAll()
	w.must(err)
	if len(rows) != len(bal.Lines)+1 || !slices.Equal(rows[0], BalanceHeader()) {
		t.Fatalf("CSV: %d rows, header %v", len(rows), rows[0])
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	for i, r := range rows[1:] {
		if !slices.Equal(r, BalanceRecord(bal.Lines[i])) {
			t.Fatalf("CSV row %d: %v, want %v", i+2, r, BalanceRecord(bal.Lines[i]))
		}
		num := func(name string) decimal.Decimal { return decimal.RequireFromString(r[col(name)]) }
		if sum := num("opening_quantity").Add(num("in_quantity")).Sub(num("out_quantity")).Sub(num("consumed_quantity")); !sum.Equal(num("closing_quantity")) {
			t.Fatalf("CSV row %d: opening + in - out - consumed = %s, closing %s", i+2, sum, r[col("closing_quantity")])
		}
	}
	// line 2 moves decimals: its text must keep them
	if r := rows[3]; r[col("book_seq")] != "2" || r[col("first_line_in_quantity")] != "85" || r[col("consumed_rnd_quantity")] != "25.5" {
		t.Fatalf("line 2 bonded: first_line_in %s, consumed_rnd %s; want 85 and 25.5", r[col("first_line_in_quantity")], r[col("consumed_rnd_quantity")])
	}
	var x bytes.Buffer
	w.must(bal.WriteReport(&x, BalanceXLSX))
	f, err := excelize.OpenReader(&x)
	w.must(err)
	defer f.Close()
	xrows, err := f.GetRows("Balance", excelize.Options{RawCellValue: true})
	w.must(err)
	if len(xrows) != len(rows) {
		t.Fatalf("XLSX: %d rows, CSV %d", len(xrows), len(rows))
	}
	for i := range rows {
		if !slices.Equal(xrows[i], rows[i]) {
			t.Fatalf("XLSX row %d: %v, CSV %v", i+1, xrows[i], rows[i])
		}
	}
	typ, err := f.GetCellType("Balance", "F2")
	w.must(err)
	if typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
		t.Fatalf("XLSX figures must be text cells, F2 is type %v", typ)
	}
}
