package input

import (
	"bytes"
	"io"
	"slices"
	"strconv"
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
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	t, err := openCSV(bytes.NewReader(stripBOM(data)), name, ItemCSVColumns, RequiredItemCSVColumns, true)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []ItemRow
	for {
		rw, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := rw.require(RequiredItemCSVColumns...); err != nil {
			return nil, err
		}
		code := rw.get(colCode)
		if first, dup := seen[code]; dup {
			return nil, rw.errorf(colCode, "item %q already appears on row %d", code, first)
		}
		seen[code] = rw.line
		scale, err := strconv.ParseUint(rw.get(colScale), 10, 32)
		if err != nil || scale > 5 {
			return nil, rw.errorf(colScale, "%q is not a scale; write the number of decimal places allowed in quantities, 0 to 5", rw.get(colScale))
		}
		it := &ledgerv1.Item{Code: code, Unit: rw.get(colUnit), Scale: uint32(scale), Name: rw.get(colName)}
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
				return nil, rw.errorf(field, "%s", msg)
			}
			return nil, rw.errorf("", "%s: %s", field, msg)
		}
		out = append(out, ItemRow{Item: it, Row: rw.line})
	}
	if len(out) == 0 {
		return nil, &Error{File: name, CSV: true, Msg: "no items in the file"}
	}
	return out, nil
}
