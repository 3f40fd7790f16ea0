package tax_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

const header = tax.TariffHeader + "\n"

func TestSampleTariff(t *testing.T) {
	f, err := os.Open("testdata/tariff-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fromFile, err := tax.ParseTariff(f)
	if err != nil {
		t.Fatalf("testdata/tariff-sample.csv: %v", err)
	}
	raw, err := os.ReadFile("testdata/tariff-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "\n"+tax.TariffHeader+"\n") {
		t.Error("the sample's header is not TariffHeader")
	}
	rows := tax.SampleTariff().Rows()
	if len(rows) != 12 || len(fromFile.Rows()) != len(rows) {
		t.Fatalf("sample has %d rows (file %d), want 12", len(rows), len(fromFile.Rows()))
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.HSCode > b.HSCode || (a.HSCode == b.HSCode && !a.ValidFrom.Before(b.ValidFrom)) {
			t.Errorf("Rows not ordered at %d: %s %v, %s %v", i, a.HSCode, a.ValidFrom, b.HSCode, b.ValidFrom)
		}
	}

	beer, ok := tax.SampleTariff().Lookup("2203000000", on(2020, 1, 1))
	if !ok {
		t.Fatal("beer not found")
	}
	if beer.Rates.Duty.Kind != tax.Specific || beer.Rates.Duty.Unit != "095" ||
		beer.Rates.Consumption.Kind != tax.Specific || beer.Rates.Consumption.Unit != "070" ||
		beer.Rates.VAT.Band != tax.StandardBand || !strings.Contains(beer.Description, ", consumption tax") {
		t.Errorf("beer row %+v", beer)
	}
	eq(t, "beer duty per litre", beer.Rates.Duty.Specific, "3")
	eq(t, "beer CT per tonne", beer.Rates.Consumption.Specific, "250")
	formula, _ := tax.SampleTariff().Lookup("1901101000", on(2020, 1, 1))
	if formula.Rates.VAT.Band != "" {
		t.Errorf("explicit VAT parsed as band %q", formula.Rates.VAT.Band)
	}
	eq(t, "explicit VAT", formula.Rates.VAT.Rate, "0.13")
}

func TestTariffLookupByDate(t *testing.T) {
	tariff := tax.SampleTariff()
	// Cosmetics: rows from 2015-01-01 (duty 10 %, CT 30 %), 2016-10-01
	// (10 %, 15 %) and 2018-07-01 (5 %, 15 %); file lines 6, 7, 8.
	for _, c := range []struct {
		day        time.Time
		line       int
		duty, cons string
	}{
		{on(2015, 1, 1), 6, "0.10", "0.30"},
		{on(2016, 9, 30), 6, "0.10", "0.30"},
		{on(2016, 10, 1), 7, "0.10", "0.15"},
		{on(2018, 6, 30), 7, "0.10", "0.15"},
		{on(2018, 7, 1), 8, "0.05", "0.15"},
		{on(2030, 1, 1), 8, "0.05", "0.15"},
		// A time late in the day still selects by calendar date.
		{on(2016, 9, 30).Add(23*time.Hour + 59*time.Minute), 6, "0.10", "0.30"},
	} {
		row, ok := tariff.Lookup("3304990099", c.day)
		if !ok {
			t.Errorf("%v: not found", c.day)
			continue
		}
		if row.Line != c.line {
			t.Errorf("%v: line %d, want %d", c.day, row.Line, c.line)
		}
		eq(t, "duty rate", row.Rates.Duty.Rate, c.duty)
		eq(t, "consumption rate", row.Rates.Consumption.Rate, c.cons)
	}
	if _, ok := tariff.Lookup("3304990099", on(2014, 12, 31)); ok {
		t.Error("found a row before the first valid_from")
	}
	if _, ok := tariff.Lookup("1006300000", on(2019, 3, 31)); ok {
		t.Error("found rice before 2019-04-01")
	}
	if _, ok := tariff.Lookup("0000000000", on(2020, 1, 1)); ok {
		t.Error("found an unknown code")
	}
	var none *tax.Tariff
	if _, ok := none.Lookup("3304990099", on(2020, 1, 1)); ok || none.Rows() != nil {
		t.Error("a nil tariff has rows")
	}
}

func TestParseTariffFlexibleHeader(t *testing.T) {
	// Columns in another order, a byte-order mark, spaces around fields,
	// comments between rows.
	csv := "\ufeffdescription, hs_code,valid_from,vat_rate,duty_kind,duty_rate,duty_specific,duty_specific_unit," +
		"consumption_kind,consumption_rate,consumption_specific,consumption_specific_unit\n" +
		"# a comment\n" +
		"laptop, 8471300000 ,2015-01-01,0.17,AD_VALOREM,0,,,,,,\n" +
		"laptop,8471300000,2019-04-01,STANDARD,AD_VALOREM, 0 ,,,,,,\n"
	tariff, err := tax.ParseTariff(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	row, ok := tariff.Lookup("8471300000", on(2019, 4, 1))
	if !ok || row.Line != 4 || row.Rates.VAT.Band != tax.StandardBand || row.Description != "laptop" {
		t.Errorf("row %+v", row)
	}
	row, _ = tariff.Lookup("8471300000", on(2019, 3, 31))
	eq(t, "VAT of the 2015 row", row.Rates.VAT.Rate, "0.17")
}

func TestParseTariffErrors(t *testing.T) {
	row := "3304990099,2015-01-01,AD_VALOREM,0.10,,,STANDARD,AD_VALOREM,0.30,,,cosmetics\n"
	// with replaces the first occurrence of old in the good row.
	with := func(old, new string) string { return header + strings.Replace(row, old, new, 1) }
	for _, c := range []struct {
		name, csv, field string
	}{
		{"empty file", "", "line 1"},
		{"unknown column", strings.Replace(header, "description", "notes", 1) + row, "line 1, column 12"},
		{"duplicate column", strings.Replace(header, "description", "hs_code", 1) + row, "line 1, column 12"},
		{"missing column", strings.Replace(header, ",description", "", 1), "line 1"},
		{"too few fields", header + "3304990099,2015-01-01\n", "line 2"},
		// encoding/csv reports the byte column of the stray quote.
		{"bare quote", header + `3304990099,2015-01-01,AD_VALOREM,0.10,,,STANDARD,,,,,say "hi"` + "\n", "line 2, column 58"},
		{"short HS code", with("3304990099", "33049900"), "line 2, column hs_code"},
		{"no date", with("2015-01-01", ""), "line 2, column valid_from"},
		{"bad date", with("2015-01-01", "2015-02-30"), "line 2, column valid_from"},
		{"no duty kind", with("AD_VALOREM", ""), "line 2, column duty_kind"},
		{"unknown duty kind", with("AD_VALOREM", "ADVALOREM"), "line 2, column duty_kind"},
		{"percent sign", with("0.10", "10%"), "line 2, column duty_rate"},
		{"exponent", with("0.10", "1e-1"), "line 2, column duty_rate"},
		{"no duty rate", with("0.10", ""), "line 2, column duty_rate"},
		{"negative duty rate", with("0.10", "-0.10"), "line 2, column duty_rate"},
		{"amount on ad valorem duty", with("0.10,,", "0.10,5,"), "line 2, column duty_specific"},
		{"specific duty without amount", with("AD_VALOREM,0.10,,", "SPECIFIC,,,035"), "line 2, column duty_specific"},
		{"specific duty without unit", with("AD_VALOREM,0.10,,", "SPECIFIC,,3,"), "line 2, column duty_specific_unit"},
		{"compound duty without rate", with("AD_VALOREM,0.10,,", "COMPOUND,,3,035"), "line 2, column duty_rate"},
		{"no VAT", with("STANDARD", ""), "line 2, column vat_rate"},
		{"unknown VAT band", with("STANDARD", "HIGH"), "line 2, column vat_rate"},
		{"VAT as percent", with("STANDARD", "13"), "line 2, column vat_rate"},
		{"consumption rate 100 %", with("0.30", "1"), "line 2, column consumption_rate"},
		{"consumption rate without kind", with("AD_VALOREM,0.30", ",0.30"), "line 2, column consumption_rate"},
		{"amount on ad valorem consumption", with("0.30,,,", "0.30,5,,"), "line 2, column consumption_specific"},
		{"unit on ad valorem consumption", with("0.30,,,", "0.30,,035,"), "line 2, column consumption_specific_unit"},
		{"duplicate row", header + row + "# the same again\n" + row, "line 4, column valid_from"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := tax.ParseTariff(strings.NewReader(c.csv))
			wantErr(t, err, ledger.KindInvalid, tax.ReasonInvalidTariff, c.field)
			if err != nil && !strings.Contains(err.Error(), c.field) {
				t.Errorf("message %q does not name %q", err, c.field)
			}
		})
	}
}

// TestQuoteRecordsItsTariff: every quote names the tariff its rates came
// from, so a quote made with the illustrative sample is never taken for one
// made with the customs tariff.
func TestQuoteRecordsItsTariff(t *testing.T) {
	day := on(2019, 6, 1)
	q := quote(t, newEngine(t), tax.GeneralTrade, day, goods("8471300000", "1000.00"))
	if q.Tariff != tax.SampleTariffName || !tax.SampleTariff().IsSample() {
		t.Errorf("quote on the sample tariff: Tariff %q, want %q", q.Tariff, tax.SampleTariffName)
	}
	named := tax.SampleTariff().Named("zone-tariff-2026-01")
	if named.IsSample() || tax.SampleTariff().Name() != tax.SampleTariffName {
		t.Fatalf("Named changed the sample or kept its name: %q, sample %q", named.Name(), tax.SampleTariff().Name())
	}
	e, err := tax.NewEngine(tax.DefaultSettings(), named)
	if err != nil {
		t.Fatal(err)
	}
	q = quote(t, e, tax.GeneralTrade, day, goods("8471300000", "1000.00"))
	if q.Tariff != "zone-tariff-2026-01" {
		t.Errorf("quote on a named tariff: Tariff %q, want zone-tariff-2026-01", q.Tariff)
	}
}
