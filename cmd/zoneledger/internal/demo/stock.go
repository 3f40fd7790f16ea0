package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The stock report (BookService/GetStockReport) as the customs centres read,
// check and print it.

// stockColumn is one quantity of a stock report line.
type stockColumn struct {
	Name, Head string
	Get        func(*customsv1.StockLine) string
}

var (
	colBonded     = stockColumn{"bonded", "BONDED", (*customsv1.StockLine).GetBonded}
	colAvailable  = stockColumn{"available", "AVAILABLE", (*customsv1.StockLine).GetAvailable}
	colReserved   = stockColumn{"reserved", "RESERVED", (*customsv1.StockLine).GetReserved}
	colNonBonded  = stockColumn{"non-bonded", "NON-BONDED", (*customsv1.StockLine).GetNonBonded}
	colNBReserved = stockColumn{"non-bonded reserved", "NB-RESERVED", (*customsv1.StockLine).GetNonBondedReserved}
	colInspection = stockColumn{"inspection", "INSPECTION", (*customsv1.StockLine).GetInspection}
	colDisplay    = stockColumn{"display", "DISPLAY", (*customsv1.StockLine).GetDisplay}
	colUndeclared = stockColumn{"undeclared", "UNDECLARED", (*customsv1.StockLine).GetUndeclared}
	// stockColumns are every quantity of a line, all checked.
	stockColumns = []stockColumn{colBonded, colAvailable, colReserved, colNonBonded, colNBReserved, colInspection, colDisplay, colUndeclared}
)

// readStock reads a book's stock report as of asOf ("": now) as customs
// and reports through miss every quantity that differs from want (book
// line → column name → quantity; an absent column is zero).
func readStock(p *play, book, asOf string, want map[int32]map[string]decimal.Decimal, miss func(string, ...any)) []*customsv1.StockLine {
	resp := do(p, "customs-4601", p.c.books.GetStockReport, &customsv1.GetStockReportRequest{BookNo: book, AsOf: asOf})
	if p.err != nil {
		return nil
	}
	when := "now"
	if asOf != "" {
		when = "as of " + asOf
	}
	if resp.GetAsOf() != asOf {
		miss("%s: the stock report %s says it is as of %q", book, when, resp.GetAsOf())
	}
	seen := map[int32]bool{}
	for _, sl := range resp.GetLines() {
		w, ok := want[sl.GetBookSeq()]
		if !ok {
			miss("%s line %d: in the stock report %s, not on the demo's book", book, sl.GetBookSeq(), when)
			continue
		}
		seen[sl.GetBookSeq()] = true
		for _, c := range stockColumns {
			if g, err := decimal.NewFromString(c.Get(sl)); err != nil || !g.Equal(w[c.Name]) {
				miss("%s line %d %s %s: server %q, demo expects %s", book, sl.GetBookSeq(), c.Name, when, c.Get(sl), w[c.Name])
			}
		}
	}
	for seq := range want {
		if !seen[seq] {
			miss("%s line %d: missing from the stock report %s", book, seq, when)
		}
	}
	return resp.GetLines()
}

// printStock prints a book's stock report in the columns given (zero as ·).
func printStock(w io.Writer, b *customsBook, lines []*customsv1.StockLine, cols ...stockColumn) {
	head := []string{"SEQ", "NAME", "UNIT"}
	right := []int{0}
	for i, c := range cols {
		head, right = append(head, c.Head), append(right, 3+i)
	}
	t := newTable(head...).alignRight(right...)
	for _, sl := range lines {
		l := b.line(sl.GetBookSeq())
		row := []string{fmt.Sprint(sl.GetBookSeq()), l.Name, l.Unit + " " + l.UnitName}
		for _, c := range cols {
			s := c.Get(sl)
			if x, err := decimal.NewFromString(s); err == nil && x.IsZero() {
				s = "·"
			} else if err == nil {
				s = x.StringFixed(l.Scale)
			}
			row = append(row, s)
		}
		t.add(row...)
	}
	t.render(w, "  ")
}

// printStockChanges prints, line by line, the columns that differ between
// two stock reports of a book.
func printStockChanges(w io.Writer, b *customsBook, then, now []*customsv1.StockLine, cols ...stockColumn) {
	byLine := map[int32]*customsv1.StockLine{}
	for _, sl := range now {
		byLine[sl.GetBookSeq()] = sl
	}
	for _, t := range then {
		n, l := byLine[t.GetBookSeq()], b.line(t.GetBookSeq())
		var diffs []string
		for _, c := range cols {
			a, _ := decimal.NewFromString(c.Get(t))
			z, _ := decimal.NewFromString(c.Get(n))
			if !a.Equal(z) {
				diffs = append(diffs, fmt.Sprintf("%s %s → %s", c.Name, a.StringFixed(l.Scale), z.StringFixed(l.Scale)))
			}
		}
		if len(diffs) > 0 {
			fmt.Fprintf(w, "    %s line %d %s (%s): %s\n", b.No, l.Seq, l.Short, l.UnitName, strings.Join(diffs, ", "))
		}
	}
}
