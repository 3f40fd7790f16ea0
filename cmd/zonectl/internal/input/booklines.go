package input

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Book line CSV columns.
const (
	colSeq          = "seq"
	colHSCode       = "hs_code"
	colSpec         = "spec"
	colDeclaredUnit = "declared_unit"
	colLegalUnit    = "legal_unit"
	colLegalFactor  = "legal_factor"
	colSecondUnit   = "second_unit"
	colSecondFactor = "second_factor"
	colType         = "type"
	colPartNumber   = "part_number"
)

// BookLineCSVColumns are the columns of a book line CSV file in the
// documented order; RequiredBookLineCSVColumns must be in the header.
var (
	BookLineCSVColumns = []string{colSeq, colHSCode, colName, colSpec, colDeclaredUnit, colScale,
		colLegalUnit, colLegalFactor, colSecondUnit, colSecondFactor, colType}
	RequiredBookLineCSVColumns = []string{colSeq, colHSCode, colName, colDeclaredUnit, colScale, colLegalUnit, colLegalFactor}
)

// bookLineColumns maps BookLine fields to their CSV columns.
var bookLineColumns = map[string]string{
	"seq": colSeq, "hs_code": colHSCode, "name": colName, "spec": colSpec, "declared_unit": colDeclaredUnit,
	"scale": colScale, "legal": colLegalUnit, "legal.unit": colLegalUnit, "legal.factor": colLegalFactor,
	"second": colSecondUnit, "second.unit": colSecondUnit, "second.factor": colSecondFactor, "type": colType,
}

// BookLineColumn is the CSV column of a BookLine field ("legal.factor" ->
// "legal_factor"); "" if there is none.
func BookLineColumn(field string) string { return bookLineColumns[field] }

// BookLineRow is one book line read from a file.
type BookLineRow struct {
	// Line is the line to register (book_no left empty: the request's book).
	Line *customsv1.BookLine
	// Row is the CSV row (the header is row 1) or the JSON line the object
	// starts on.
	Row int
	// CSV is true for a CSV file.
	CSV bool
}

// Where is "row 4" or "line 4".
func (r BookLineRow) Where() string {
	if r.CSV {
		return fmt.Sprintf("row %d", r.Row)
	}
	return fmt.Sprintf("line %d", r.Row)
}

// goodsTypes are the accepted spellings of a goods type.
var goodsTypes = map[string]customsv1.GoodsType{
	"":          customsv1.GoodsType_GOODS_TYPE_UNSPECIFIED,
	"material":  customsv1.GoodsType_GOODS_TYPE_MATERIAL,
	"料件":        customsv1.GoodsType_GOODS_TYPE_MATERIAL,
	"finished":  customsv1.GoodsType_GOODS_TYPE_FINISHED,
	"成品":        customsv1.GoodsType_GOODS_TYPE_FINISHED,
	"equipment": customsv1.GoodsType_GOODS_TYPE_EQUIPMENT,
	"设备":        customsv1.GoodsType_GOODS_TYPE_EQUIPMENT,
}

// ParseGoodsType reads a goods type: MATERIAL, FINISHED or EQUIPMENT (any
// case, with or without the GOODS_TYPE_ prefix; or 料件, 成品, 设备); empty
// is unspecified, which the server takes as MATERIAL.
func ParseGoodsType(s string) (customsv1.GoodsType, bool) {
	t, ok := goodsTypes[strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "goods_type_")]
	return t, ok
}

// ReadBookLines reads book lines from CSV (header: see BookLineCSVColumns)
// or JSON (BookLine objects in protojson form: one, an array or JSON Lines).
// The whole file is checked; a seq may appear only once.
func ReadBookLines(r io.Reader, name string, f FileFormat) ([]BookLineRow, error) {
	return readAs(r, name, f, parseBookLinesCSV, func(data []byte, name string) ([]BookLineRow, error) {
		docs, err := jsonDocs[*customsv1.BookLine]{what: "book lines", check: CheckBookLine, key: "seq"}.parse(data, name)
		out := make([]BookLineRow, len(docs))
		for i, d := range docs {
			out[i] = BookLineRow{Line: d.Req, Row: d.Lines[0]}
		}
		return out, err
	})
}

func parseBookLinesCSV(data []byte, name string) ([]BookLineRow, error) {
	seen := firstRows{}
	var out []BookLineRow
	err := csvFile{known: BookLineCSVColumns, required: RequiredBookLineCSVColumns, cells: RequiredBookLineCSVColumns, what: "book lines"}.
		read(data, name, func(_ *CSV, rw *CSVRow) error {
			seq, err := parseSeq(rw, colSeq, true)
			if err != nil {
				return err
			}
			if err := seen.once(rw, colSeq, strconv.Itoa(int(seq)), fmt.Sprintf("line %d", seq), ""); err != nil {
				return err
			}
			scale, err := rw.scale(colScale)
			if err != nil {
				return err
			}
			gt, ok := ParseGoodsType(rw.Get(colType))
			if !ok {
				return rw.Errorf(colType, "%q is not a goods type; write MATERIAL, FINISHED or EQUIPMENT (empty: MATERIAL)", rw.Get(colType))
			}
			l := &customsv1.BookLine{Seq: seq, HsCode: rw.Get(colHSCode), Name: rw.Get(colName), Spec: rw.Get(colSpec),
				DeclaredUnit: rw.Get(colDeclaredUnit), Scale: scale, Type: gt,
				Legal: &customsv1.LegalUnit{Unit: rw.Get(colLegalUnit), Factor: rw.Get(colLegalFactor)}}
			if u, f := rw.Get(colSecondUnit), rw.Get(colSecondFactor); u != "" || f != "" {
				if u == "" {
					return rw.Errorf(colSecondUnit, "is empty while second_factor is %q; give both or neither", f)
				}
				if f == "" {
					return rw.Errorf(colSecondFactor, "is empty while second_unit is %q; give both or neither", u)
				}
				l.Second = &customsv1.LegalUnit{Unit: u, Factor: f}
			}
			if field, msg := CheckBookLine(l); msg != "" {
				return rw.Errorf(BookLineColumn(field), "%s", msg)
			}
			out = append(out, BookLineRow{Line: l, Row: rw.line, CSV: true})
			return nil
		})
	return out, err
}

// CheckBookLine checks what the protos cannot state of a book line (or
// state in other words): the seq, the code formats, the legal units and
// their exact factors, output-only fields; Validate checks the rest.
func CheckBookLine(l *customsv1.BookLine) (field, msg string) {
	if l.GetSeq() < 1 {
		return "seq", "is required: the book line number (备案序号), from 1"
	}
	if !digits10.MatchString(l.GetHsCode()) {
		return "hs_code", fmt.Sprintf("%q is not a 10-digit commodity code (商品编码)", l.GetHsCode())
	}
	if !digits3.MatchString(l.GetDeclaredUnit()) {
		return "declared_unit", fmt.Sprintf("%q is not a 3-digit customs unit code, e.g. \"035\" (千克) or \"007\" (个)", l.GetDeclaredUnit())
	}
	if l.GetScale() < 0 || l.GetScale() > 5 {
		return "scale", fmt.Sprintf("%d is not a scale; quantities may have 0 to 5 decimal places", l.GetScale())
	}
	for i, u := range []*customsv1.LegalUnit{l.GetLegal(), l.GetSecond()} {
		if f, m := checkLegalUnit(u, []string{"legal", "second"}[i]); u != nil && m != "" {
			return f, m
		}
	}
	if len(l.GetPartNumbers()) > 0 {
		return "part_numbers", "part numbers are mapped with 'zonectl customs book parts map', not given with the line"
	}
	if l.GetBookNo() != "" {
		return "book_no", "is output only; the book is the command's BOOK argument"
	}
	return "", ""
}

func checkLegalUnit(u *customsv1.LegalUnit, f string) (string, string) {
	if !digits3.MatchString(u.GetUnit()) {
		return f + ".unit", fmt.Sprintf("%q is not a 3-digit customs unit code, e.g. \"035\" (千克)", u.GetUnit())
	}
	if m := checkPositive(u.GetFactor()); m != "" {
		return f + ".factor", "conversion factor: " + m
	}
	if i := strings.IndexByte(u.GetFactor(), '.'); i >= 0 && len(u.GetFactor())-i-1 > 9 {
		return f + ".factor", fmt.Sprintf("%q has more than 9 decimal places", u.GetFactor())
	}
	return "", ""
}

// PartRow is one part number mapping read from a CSV file.
type PartRow struct {
	// Part is the enterprise part number (料号).
	Part string
	// Seq is the book line it maps onto.
	Seq int32
	// Row is the file row (the header is row 1).
	Row int
}

// Part number CSV columns: both required.
var PartCSVColumns = []string{colPartNumber, colSeq}

// ReadPartsCSV reads part number mappings: header part_number,seq, then one
// part per row. A part may appear only once in the file.
func ReadPartsCSV(r io.Reader, name string) ([]PartRow, error) {
	data, err := readFile(r, name)
	if err != nil {
		return nil, err
	}
	seen := firstRows{}
	var out []PartRow
	err = csvFile{known: PartCSVColumns, required: PartCSVColumns, cells: PartCSVColumns, what: "part numbers"}.
		read(data, name, func(_ *CSV, rw *CSVRow) error {
			part := rw.Get(colPartNumber)
			if m := checkText(part, true, 64); m != "" {
				return rw.Errorf(colPartNumber, "%s", m)
			}
			if err := seen.once(rw, colPartNumber, part, fmt.Sprintf("part %q", part), "; a part maps onto one book line"); err != nil {
				return err
			}
			seq, err := parseSeq(rw, colSeq, true)
			if err != nil {
				return err
			}
			out = append(out, PartRow{Part: part, Seq: seq, Row: rw.line})
			return nil
		})
	return out, err
}
