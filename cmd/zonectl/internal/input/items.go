package input

import (
	"fmt"
	"io"
	"slices"
	"strings"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Item CSV columns.
const (
	colCode  = "code"
	colScale = "scale"
	colName  = "name"
)

// ItemCSVColumns are the columns of an item CSV file; code, unit and scale
// are required. Columns named "attr:KEY" (e.g. "attr:hs_code") become item
// attributes.
var (
	ItemCSVColumns         = []string{colCode, colUnit, colScale, colName}
	RequiredItemCSVColumns = []string{colCode, colUnit, colScale}
)

// ItemRow is one item read from a CSV file.
type ItemRow struct {
	// Item is the item to register (book_id left empty: the request's book).
	Item *ledgerv1.Item
	// Row is the file row (the header is row 1).
	Row int
}

// ReadItemsCSV parses an item CSV file: header code,unit,scale,name (any
// order, name optional), then one item per row. scale is the number of
// decimal places allowed in the item's quantities, 0 to 5. A code may appear
// only once.
func ReadItemsCSV(r io.Reader, name string) ([]ItemRow, error) {
	data, err := readFile(r, name)
	if err != nil {
		return nil, err
	}
	seen := firstRows{}
	var out []ItemRow
	err = csvFile{known: ItemCSVColumns, required: RequiredItemCSVColumns, cells: RequiredItemCSVColumns, attrs: true, what: "items"}.
		read(data, name, func(t *CSV, rw *CSVRow) error {
			code := rw.Get(colCode)
			if err := seen.once(rw, colCode, code, fmt.Sprintf("item %q", code), ""); err != nil {
				return err
			}
			scale, err := rw.scale(colScale)
			if err != nil {
				return err
			}
			it := &ledgerv1.Item{Code: code, Unit: rw.Get(colUnit), Scale: uint32(scale), Name: rw.Get(colName)}
			for col, i := range t.cols {
				if key, ok := strings.CutPrefix(col, "attr:"); ok && rw.cells[i] != "" {
					if it.Attributes == nil {
						it.Attributes = map[string]string{}
					}
					it.Attributes[key] = rw.cells[i]
				}
			}
			if field, msg := Validate(it); msg != "" {
				if slices.Contains(ItemCSVColumns, field) {
					return rw.Errorf(field, "%s", msg)
				}
				return rw.Errorf("", "%s: %s", field, msg)
			}
			out = append(out, ItemRow{Item: it, Row: rw.line})
			return nil
		})
	return out, err
}
