package tax

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// TariffHeader is the header of a tariff CSV file, with the columns in the
// documented order. Columns may appear in any order; each must appear
// exactly once.
const TariffHeader = "hs_code,valid_from," +
	"duty_kind,duty_rate,duty_specific,duty_specific_unit," +
	"vat_rate," +
	"consumption_kind,consumption_rate,consumption_specific,consumption_specific_unit," +
	"description"

// tariffColumns are the columns of TariffHeader.
var tariffColumns = strings.Split(TariffHeader, ",")

// Row is one tariff line: the rates of an HS code from a date on.
type Row struct {
	// HSCode is the 10-digit commodity code.
	HSCode string
	// ValidFrom is the first calendar date the row applies to.
	ValidFrom time.Time
	// Rates are the row's rates; VAT may name a band.
	Rates Rates
	// Description is free text.
	Description string
	// Line is the row's line number in its CSV file.
	Line int
}

// Tariff maps HS codes to dated rates. It is immutable once loaded and safe
// for concurrent use.
type Tariff struct {
	rows map[string][]Row // per HS code, ValidFrom ascending
	name string
}

// SampleTariffName is the name of the illustrative sample tariff
// (SampleTariff). Quotes made with it carry this name, so that nobody takes
// them for the customs tariff's.
const SampleTariffName = "zoneledger-sample-ILLUSTRATIVE"

// Name is the tariff's name and version, as the zone gave it (Named), e.g.
// "zone-tariff-2026-01"; every Quote records it. SampleTariffName for the
// sample; empty when the tariff was not named.
func (t *Tariff) Name() string {
	if t == nil {
		return ""
	}
	return t.name
}

// Named returns a copy of t called name (a name and version, e.g.
// "zone-tariff-2026-01"). The rows are shared; both are immutable.
func (t *Tariff) Named(name string) *Tariff {
	c := *t
	c.name = name
	return &c
}

// IsSample reports whether t is the illustrative sample tariff.
func (t *Tariff) IsSample() bool { return t != nil && t.name == SampleTariffName }

//go:embed testdata/tariff-sample.csv
var sampleCSV []byte

// SampleTariff returns the small illustrative tariff embedded in the
// package (testdata/tariff-sample.csv), for demos and tests, named
// SampleTariffName. Its rates are made up; it is not the customs tariff. The Tariff is parsed once and
// shared; it is immutable.
func SampleTariff() *Tariff { return sampleTariff() }

var sampleTariff = sync.OnceValue(func() *Tariff {
	t, err := ParseTariff(bytes.NewReader(sampleCSV))
	if err != nil {
		panic("tax: embedded sample tariff: " + err.Error())
	}
	t.name = SampleTariffName
	return t
})

// Lookup returns the row for hs valid on day: the row with the latest
// ValidFrom on or before day's calendar date.
func (t *Tariff) Lookup(hs string, day time.Time) (Row, bool) {
	if t == nil {
		return Row{}, false
	}
	rows := t.rows[hs]
	day = civil(day)
	for i := len(rows) - 1; i >= 0; i-- {
		if !rows[i].ValidFrom.After(day) {
			return rows[i], true
		}
	}
	return Row{}, false
}

// Rows returns every row, by HS code and then ValidFrom.
func (t *Tariff) Rows() []Row {
	if t == nil {
		return nil
	}
	var out []Row
	for _, rows := range t.rows {
		out = append(out, rows...)
	}
	slices.SortFunc(out, func(a, b Row) int {
		if c := strings.Compare(a.HSCode, b.HSCode); c != 0 {
			return c
		}
		return a.ValidFrom.Compare(b.ValidFrom)
	})
	return out
}

// ParseTariff reads a tariff CSV (format in the package README): a header
// naming the columns of TariffHeader, then one row per (HS code, valid-from date). Lines
// starting with '#' are comments. Every error is a ledger.Error with reason
// ReasonInvalidTariff whose field names the line and column, e.g.
// "line 7, column duty_rate".
func ParseTariff(r io.Reader) (*Tariff, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1 // checked below, with a better message
	header, err := cr.Read()
	if err == io.EOF {
		return nil, ledger.Invalid(ReasonInvalidTariff, "line 1", "the file is empty; it needs the header %s",
			TariffHeader)
	}
	if err != nil {
		return nil, csvError(err)
	}
	hline, _ := cr.FieldPos(0)
	col := make(map[string]int, len(tariffColumns))
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		where := fmt.Sprintf("line %d, column %d", hline, i+1)
		if !slices.Contains(tariffColumns, name) {
			return nil, ledger.Invalid(ReasonInvalidTariff, where, "unknown column %q; the columns are %s",
				name, TariffHeader)
		}
		if _, dup := col[name]; dup {
			return nil, ledger.Invalid(ReasonInvalidTariff, where, "column %q appears twice", name)
		}
		col[name] = i
	}
	for _, name := range tariffColumns {
		if _, ok := col[name]; !ok {
			return nil, ledger.Invalid(ReasonInvalidTariff, fmt.Sprintf("line %d", hline), "missing column %q", name)
		}
	}

	t := &Tariff{rows: map[string][]Row{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, ledger.Invalid(ReasonInvalidTariff, fmt.Sprintf("line %d", line),
				"%d fields, the header has %d", len(rec), len(header))
		}
		row, err := parseRow(rec, col, line)
		if err != nil {
			return nil, err
		}
		rows := t.rows[row.HSCode]
		i, found := slices.BinarySearchFunc(rows, row.ValidFrom, func(r Row, d time.Time) int {
			return r.ValidFrom.Compare(d)
		})
		if found {
			return nil, ledger.Invalid(ReasonInvalidTariff, fmt.Sprintf("line %d, column valid_from", line),
				"%s from %s is already defined on line %d", row.HSCode, row.ValidFrom.Format(time.DateOnly), rows[i].Line)
		}
		t.rows[row.HSCode] = slices.Insert(rows, i, row)
	}
	return t, nil
}

// csvError turns an encoding/csv error into a tariff error naming its line
// and column.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return ledger.Invalid(ReasonInvalidTariff, fmt.Sprintf("line %d, column %d", pe.Line, pe.Column),
			"malformed CSV: %v", pe.Err)
	}
	return ledger.Invalid(ReasonInvalidTariff, "", "reading the tariff: %v", err)
}

// parseRow parses one data record.
func parseRow(rec []string, col map[string]int, line int) (Row, error) {
	get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
	where := func(name string) string { return fmt.Sprintf("line %d, column %s", line, name) }
	num := func(name string) (decimal.Decimal, error) {
		d, err := ledger.ParseOptionalDecimal(get(name), where(name))
		return d, retag(err)
	}

	row := Row{HSCode: get("hs_code"), Description: get("description"), Line: line}
	if !validHS(row.HSCode) {
		return row, ledger.Invalid(ReasonInvalidTariff, where("hs_code"), "HS code %q must be exactly 10 digits", row.HSCode)
	}
	from, err := time.Parse(time.DateOnly, get("valid_from"))
	if err != nil {
		return row, ledger.Invalid(ReasonInvalidTariff, where("valid_from"), "%q is not a date; write YYYY-MM-DD", get("valid_from"))
	}
	row.ValidFrom = from

	levy := func(prefix string, required, consumption bool) (Levy, error) {
		column := func(part string) string {
			if part == "unit" {
				part = "specific_unit"
			}
			return where(prefix + "_" + part)
		}
		l := Levy{Kind: LevyKind(get(prefix + "_kind")), Unit: get(prefix + "_specific_unit")}
		if l.Kind == "" && required {
			return l, ledger.Invalid(ReasonInvalidTariff, column("kind"),
				"missing; use AD_VALOREM, SPECIFIC or COMPOUND (AD_VALOREM with rate 0 for duty-free)")
		}
		var err error
		if l.Rate, err = num(prefix + "_rate"); err != nil {
			return l, err
		}
		if l.Specific, err = num(prefix + "_specific"); err != nil {
			return l, err
		}
		if l.hasRate() && get(prefix+"_rate") == "" {
			return l, ledger.Invalid(ReasonInvalidTariff, column("rate"), "a %s levy needs a rate", l.Kind)
		}
		if l.hasSpecific() {
			if get(prefix+"_specific") == "" {
				return l, ledger.Invalid(ReasonInvalidTariff, column("specific"), "a %s levy needs an amount per unit", l.Kind)
			}
			if l.Unit == "" {
				return l, ledger.Invalid(ReasonInvalidTariff, column("unit"), "a %s levy needs the legal unit", l.Kind)
			}
		}
		return l, retag(validateLevy(l, consumption, column))
	}
	if row.Rates.Duty, err = levy("duty", true, false); err != nil {
		return row, err
	}
	if row.Rates.Consumption, err = levy("consumption", false, true); err != nil {
		return row, err
	}
	switch v := get("vat_rate"); v {
	case string(StandardBand), string(ReducedBand):
		row.Rates.VAT.Band = VATBand(v)
	case "":
		return row, ledger.Invalid(ReasonInvalidTariff, where("vat_rate"), "missing; give a fraction (0.13) or STANDARD or REDUCED")
	default:
		if row.Rates.VAT.Rate, err = num("vat_rate"); err != nil {
			return row, err
		}
		if err := validateVAT(row.Rates.VAT, func(string) string { return where("vat_rate") }); err != nil {
			return row, retag(err)
		}
	}
	return row, nil
}

// retag turns a validation error into a tariff error on the same field.
func retag(err error) error {
	if err == nil {
		return nil
	}
	e := ledger.AsError(err)
	return ledger.Invalid(ReasonInvalidTariff, e.Field, "%s", e.Message)
}

// validHS reports whether s is a 10-digit HS code.
func validHS(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
