package demo

import (
	"fmt"
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// table prints aligned columns. Widths are terminal cells, so Chinese names
// (two cells a character) line up.
type table struct {
	head  []string
	right []bool // right-align column i
	rows  [][]string
}

func newTable(head ...string) *table {
	t := &table{head: head, right: make([]bool, len(head))}
	return t
}

// alignRight right-aligns the named columns (numbers).
func (t *table) alignRight(cols ...int) *table {
	for _, c := range cols {
		t.right[c] = true
	}
	return t
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) render(w io.Writer, indent string) {
	width := make([]int, len(t.head))
	for i, h := range t.head {
		width[i] = uniseg.StringWidth(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], uniseg.StringWidth(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-uniseg.StringWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i == len(cells)-1 {
				b.WriteString(c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
}
