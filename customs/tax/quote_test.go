package tax_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

func TestQuoteValidation(t *testing.T) {
	e := newEngine(t)
	day := on(2019, 6, 1)
	ok := goods("8471300000", "1.00")
	withLine := func(mutate func(*tax.Line)) tax.Request {
		l := goods("8471300000", "1.00")
		mutate(&l)
		return tax.Request{Regime: tax.GeneralTrade, Date: day, Lines: []tax.Line{ok, l}}
	}
	withRates := func(r tax.Rates) tax.Request {
		return withLine(func(l *tax.Line) { l.Rates = &r })
	}
	for _, c := range []struct {
		name   string
		req    tax.Request
		kind   ledger.Kind
		reason string
		field  string
	}{
		{"unknown regime", tax.Request{Regime: "BARTER", Date: day, Lines: []tax.Line{ok}},
			ledger.KindInvalid, tax.ReasonInvalidRegime, "regime"},
		{"no date", tax.Request{Regime: tax.GeneralTrade, Lines: []tax.Line{ok}},
			ledger.KindInvalid, tax.ReasonInvalidDate, "date"},
		{"no lines", tax.Request{Regime: tax.GeneralTrade, Date: day},
			ledger.KindInvalid, tax.ReasonNoLines, "lines"},
		{"short HS code", withLine(func(l *tax.Line) { l.HSCode = "847130" }),
			ledger.KindInvalid, tax.ReasonInvalidHSCode, "lines[1].hs_code"},
		{"HS code with letters", withLine(func(l *tax.Line) { l.HSCode = "84713000AB" }),
			ledger.KindInvalid, tax.ReasonInvalidHSCode, "lines[1].hs_code"},
		{"HS code not in the tariff", withLine(func(l *tax.Line) { l.HSCode = "9999999999" }),
			ledger.KindNotFound, tax.ReasonNoTariffRow, "lines[1].hs_code"},
		{"negative value", withLine(func(l *tax.Line) { l.DutiableValue = d("-0.01") }),
			ledger.KindInvalid, tax.ReasonInvalidAmount, "lines[1].dutiable_value"},
		{"value below the fen", withLine(func(l *tax.Line) { l.DutiableValue = d("1.005") }),
			ledger.KindInvalid, tax.ReasonInvalidAmount, "lines[1].dutiable_value"},
		{"negative quantity", withLine(func(l *tax.Line) { l.Quantity = d("-1") }),
			ledger.KindInvalid, tax.ReasonInvalidQuantity, "lines[1].quantity"},
		{"quantity with 6 places", withLine(func(l *tax.Line) { l.Quantity2 = d("0.000001") }),
			ledger.KindInvalid, tax.ReasonInvalidQuantity, "lines[1].quantity2"},
		{"negative pieces", withLine(func(l *tax.Line) { l.Pieces = -1 }),
			ledger.KindInvalid, tax.ReasonInvalidQuantity, "lines[1].pieces"},
		{"unknown levy kind", withRates(tax.Rates{Duty: tax.Levy{Kind: "MIXED"}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.duty.kind"},
		{"negative duty rate", withRates(tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d("-0.1")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.duty.rate"},
		{"rate on a specific levy", withRates(tax.Rates{Duty: tax.Levy{Kind: tax.Specific, Rate: d("0.1")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.duty.rate"},
		{"amount on an ad valorem levy", withRates(tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Specific: d("1")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.duty.specific"},
		{"unit on no levy", withRates(tax.Rates{Consumption: tax.Levy{Unit: "035"}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.consumption.unit"},
		{"consumption rate of 100 %", withRates(tax.Rates{Consumption: tax.Levy{Kind: tax.AdValorem, Rate: d("1")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.consumption.rate"},
		{"VAT of 100 %", withRates(tax.Rates{VAT: tax.VAT{Rate: d("1")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.vat.rate"},
		{"VAT band and rate", withRates(tax.Rates{VAT: tax.VAT{Band: tax.StandardBand, Rate: d("0.13")}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.vat.rate"},
		{"unknown VAT band", withRates(tax.Rates{VAT: tax.VAT{Band: "LUXURY"}}),
			ledger.KindInvalid, tax.ReasonInvalidRate, "lines[1].rates.vat.band"},
		{"standard VAT before 1994", tax.Request{Regime: tax.GeneralTrade, Date: on(1993, 12, 31), Lines: []tax.Line{{
			Goods: tax.Goods{HSCode: "8471300000", DutiableValue: d("1"), Rates: &tax.Rates{VAT: tax.VAT{Band: tax.StandardBand}}}}}},
			ledger.KindInvalid, tax.ReasonNoRateOnDate, "lines[0].rates.vat.band"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.Quote(c.req)
			wantErr(t, err, c.kind, c.reason, c.field)
		})
	}

	// Without a tariff every line must state its rates.
	bare, err := tax.NewEngine(tax.DefaultSettings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bare.Quote(tax.Request{Regime: tax.GeneralTrade, Date: day, Lines: []tax.Line{ok}})
	wantErr(t, err, ledger.KindNotFound, tax.ReasonNoTariffRow, "lines[0].hs_code")
	l := ok
	l.Rates = &tax.Rates{VAT: tax.VAT{Band: tax.StandardBand}}
	q := quote(t, bare, tax.GeneralTrade, day, l)
	eq(t, "VAT without a tariff", q.VAT, "0.13")
}

func TestNewEngineValidatesSettings(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(*tax.Settings)
		field  string
	}{
		{"zero settings", func(s *tax.Settings) { *s = tax.Settings{} }, "settings.cross_border_single_limit"},
		{"VAT dates not ascending", func(s *tax.Settings) { s.VATStandard[2].From = on(2018, 5, 1) }, "settings.vat_standard[2].from"},
		{"VAT rate of 100 %", func(s *tax.Settings) { s.VATReduced[0].Rate = d("1") }, "settings.vat_reduced[0].rate"},
		{"negative interest rate", func(s *tax.Settings) { s.InterestRates[0].Rate = d("-0.0036") }, "settings.interest_rates[0].rate"},
		{"annual limit zero", func(s *tax.Settings) { s.CrossBorderAnnualLimit = decimal.Zero }, "settings.cross_border_annual_limit"},
		{"factor above 1", func(s *tax.Settings) { s.CrossBorderFactor = d("1.5") }, "settings.cross_border_factor"},
		{"negative de-minimis", func(s *tax.Settings) { s.DeMinimis = d("-50") }, "settings.de_minimis"},
		{"unknown tax kind", func(s *tax.Settings) { s.DeMinimisTaxes = []tax.TaxKind{"STAMP"} }, "settings.de_minimis_taxes[0]"},
		{"tax kind twice", func(s *tax.Settings) { s.DeMinimisTaxes = []tax.TaxKind{tax.TaxDuty, tax.TaxDuty} }, "settings.de_minimis_taxes[1]"},
		{"exemption backwards", func(s *tax.Settings) {
			s.InterestExemptions = []tax.DateRange{{From: on(2022, 1, 1), Through: on(2021, 1, 1)}}
		}, "settings.interest_exemptions[0]"},
		{"unknown tax base", func(s *tax.Settings) { s.TaxBase = "LOOSE" }, "settings.tax_base"},
		{"unknown interest base", func(s *tax.Settings) { s.InterestBase = "VAT" }, "settings.interest_base"},
		{"unknown selective base", func(s *tax.Settings) { s.SelectiveBase = "MIXED" }, "settings.selective_base"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := tax.DefaultSettings()
			c.mutate(&s)
			_, err := tax.NewEngine(s, nil)
			wantErr(t, err, ledger.KindInvalid, tax.ReasonInvalidSettings, c.field)
		})
	}

	// Empty enums take their defaults.
	s := tax.DefaultSettings()
	s.TaxBase, s.InterestBase, s.SelectiveBase = "", "", ""
	if _, err := tax.NewEngine(s, nil); err != nil {
		t.Errorf("empty enums: %v", err)
	}
}

func TestEngineOwnsItsSettings(t *testing.T) {
	// Changing the caller's slices after NewEngine does not change the engine.
	s := tax.DefaultSettings()
	e, err := tax.NewEngine(s, tax.SampleTariff())
	if err != nil {
		t.Fatal(err)
	}
	s.VATStandard[2].Rate = d("0.5")
	q := quote(t, e, tax.GeneralTrade, on(2019, 6, 1), goods("8471300000", "1000.00"))
	eq(t, "VAT", q.VAT, "130.00")
}

func TestConcurrentQuotes(t *testing.T) {
	// One engine serves many goroutines; run with -race.
	e := newEngine(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			day := on(2018, 4, 28).Add(time.Duration(i) * 24 * time.Hour)
			q, err := e.Quote(tax.Request{Regime: tax.GeneralTrade, Date: day, Lines: []tax.Line{goods("8471300000", "1000.00")}})
			if err != nil {
				errs <- err
				return
			}
			want := "160.00"
			if day.Before(on(2018, 5, 1)) {
				want = "170.00"
			}
			if !q.VAT.Equal(d(want)) {
				errs <- fmt.Errorf("%s: VAT %s, want %s", day.Format(time.DateOnly), q.VAT, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
