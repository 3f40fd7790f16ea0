package tests

import (
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// amounts are the taxes of a quote or a line as decimal strings to the fen.
type amounts struct{ duty, ct, vat, interest, total string }

// checkAmounts compares amounts with the expected ones.
func checkAmounts(t *testing.T, what string, got, want amounts) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
}

func quoteAmounts(r *customsv1.QuoteResponse) amounts {
	return amounts{r.GetDuty(), r.GetConsumptionTax(), r.GetVat(), r.GetInterest(), r.GetTotal()}
}

func lineAmounts(l *customsv1.LineQuote) amounts {
	return amounts{l.GetDuty(), l.GetConsumptionTax(), l.GetVat(), l.GetInterest(), l.GetTotal()}
}

// TestTaxQuote calls zoneledger.customs.v1.TaxService/Quote over the wire,
// as an enterprise, on the server's default settings and sample tariff.
func TestTaxQuote(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	c := customsv1.NewTaxServiceClient(s.Conn())

	t.Run("general trade, explicit rates", func(t *testing.T) {
		// V = 1000.00, duty 10 %, consumption tax 15 %, VAT 13 %:
		//   D   = 1000 × 0.10                         = 100.00
		//   CT  = (1000 + 100) / (1 − 0.15) × 0.15
		//       = 165 / 0.85 = 194.117647…            → 194.12
		//   VAT = (1000 + 100 + 194.117647…) × 0.13
		//       = 1294.117647… × 0.13 = 168.235294…   → 168.24
		//   total = 100.00 + 194.12 + 168.24          = 462.36
		// The duty (100.00) is above the 50 CNY de-minimis.
		r, err := c.Quote(ctxAs(t, a.E1), &customsv1.QuoteRequest{
			Regime: customsv1.Regime_REGIME_GENERAL_TRADE,
			Date:   "2024-03-01",
			Lines: []*customsv1.QuoteLine{{
				DutiableValue: "1000.00", Quantity: "10",
				DutyRate: "0.10", ConsumptionTaxRate: "0.15", VatRate: "0.13",
			}},
		})
		if err != nil {
			t.Fatalf("Quote: %v", err)
		}
		want := amounts{"100.00", "194.12", "168.24", "0.00", "462.36"}
		checkAmounts(t, "total", quoteAmounts(r), want)
		if len(r.GetLines()) != 1 {
			t.Fatalf("got %d lines, want 1", len(r.GetLines()))
		}
		checkAmounts(t, "line 0", lineAmounts(r.GetLines()[0]), want)
		if r.GetRule() != "GENERAL_TRADE" {
			t.Errorf("rule %q, want %q", r.GetRule(), "GENERAL_TRADE")
		}
		if hs := r.GetLines()[0].GetHsCode(); hs != "" {
			t.Errorf("line without an HS code answered hs_code %q", hs)
		}
	})

	t.Run("cross-border retail within limits", func(t *testing.T) {
		// Sample tariff 3304990099 (cosmetics) on 2024-03-01: duty 5 %, CT 15 %,
		// VAT STANDARD = 13 %. Order 200.00 ≤ 5000: duty 0, CT and VAT at 70 %
		// of the statutory amounts computed with duty 0:
		//   CT  = 0.7 × 200 / 0.85 × 0.15 = 0.7 × 35.294117… = 24.705882… → 24.71
		//   VAT = 0.7 × (200 + 35.294117…) × 0.13 = 0.7 × 30.588235…
		//       = 21.411764…                                              → 21.41
		//   total = 46.12
		r, err := c.Quote(ctxAs(t, a.E1), &customsv1.QuoteRequest{
			Regime:     customsv1.Regime_REGIME_CROSS_BORDER_RETAIL,
			Date:       "2024-03-01",
			AnnualUsed: "1000.00",
			Lines:      []*customsv1.QuoteLine{{HsCode: "3304990099", DutiableValue: "200.00", Pieces: 2}},
		})
		if err != nil {
			t.Fatalf("Quote: %v", err)
		}
		checkAmounts(t, "total", quoteAmounts(r), amounts{"0.00", "24.71", "21.41", "0.00", "46.12"})
		if r.GetRule() != "CROSS_BORDER_WITHIN_LIMITS" {
			t.Errorf("rule %q, want %q", r.GetRule(), "CROSS_BORDER_WITHIN_LIMITS")
		}
		if l := r.GetLines()[0]; l.GetHsCode() != "3304990099" || l.GetVatRate() != "0.13" {
			t.Errorf("line: hs_code %q vat_rate %q, want 3304990099 and 0.13", l.GetHsCode(), l.GetVatRate())
		}
	})

	t.Run("domestic sale on materials with interest", func(t *testing.T) {
		// Finished good 8516500000 (sample: duty 8 %, VAT STANDARD 13 %, no CT),
		// V = 10000.00, duty on the materials:
		//   aluminium 7606125000 (sample 6 %): 3000.00 × 0.06 = 180.00
		//   a material with an explicit rate:  2000.00 × 0.05 = 100.00
		//   D   = 280.00
		//   VAT = (10000 + 280) × 0.13 = 1336.40
		//   缓税利息 = (D + VAT) × 180 days × 0.35 % / 360 (the default base, 应征税额)
		//           = 1616.40 × 0.0035 / 2 = 2.8287 → 2.83
		//     (2024-03-01 is after the 2020-04-15 … 2022-12-31 exemption)
		//   total = 280.00 + 1336.40 + 2.83 = 1619.23
		r, err := c.Quote(ctxAs(t, a.E1), &customsv1.QuoteRequest{
			Regime: customsv1.Regime_REGIME_DOMESTIC_SALE,
			Date:   "2024-03-01",
			Lines: []*customsv1.QuoteLine{{
				HsCode: "8516500000", DutiableValue: "10000.00", Quantity: "100", Unit: "001",
				DutyBasis: customsv1.DutyBasis_DUTY_BASIS_MATERIALS,
				Materials: []*customsv1.Material{
					{HsCode: "7606125000", DutiableValue: "3000.00"},
					{DutiableValue: "2000.00", DutyRate: "0.05"},
				},
				Days: 180,
			}},
		})
		if err != nil {
			t.Fatalf("Quote: %v", err)
		}
		want := amounts{"280.00", "0.00", "1336.40", "2.83", "1619.23"}
		checkAmounts(t, "total", quoteAmounts(r), want)
		l := r.GetLines()[0]
		checkAmounts(t, "line 0", lineAmounts(l), want)
		if r.GetRule() != "DOMESTIC_SALE" || l.GetDutyBasis() != customsv1.DutyBasis_DUTY_BASIS_MATERIALS ||
			l.GetInterestRate() != "0.0035" || l.GetInterestExempt() {
			t.Errorf("rule %q, basis %v, interest rate %q, exempt %v; want DOMESTIC_SALE, MATERIALS, 0.0035, false",
				r.GetRule(), l.GetDutyBasis(), l.GetInterestRate(), l.GetInterestExempt())
		}
	})

	good := func() *customsv1.QuoteRequest {
		return &customsv1.QuoteRequest{
			Regime: customsv1.Regime_REGIME_GENERAL_TRADE,
			Date:   "2024-03-01",
			Lines: []*customsv1.QuoteLine{
				{HsCode: "8471300000", DutiableValue: "5000.00"},
				{DutiableValue: "100.00", DutyRate: "0.10", VatRate: "0.13"},
			},
		}
	}

	t.Run("unauthenticated", func(t *testing.T) {
		_, err := c.Quote(ctxAs(t, ""), good())
		if wantCode(t, err, codes.Unauthenticated, "Quote without a token") {
			if got := errorsv1.ReasonOf(err); got != errorsv1.Reason_UNAUTHENTICATED.String() {
				t.Errorf("reason %q, want %q", got, errorsv1.Reason_UNAUTHENTICATED.String())
			}
		}
	})

	invalid := []struct {
		name, field, reason string
		edit                func(*customsv1.QuoteRequest)
	}{
		{"bad decimal", "lines[1].dutiable_value", "",
			func(r *customsv1.QuoteRequest) { r.Lines[1].DutiableValue = "1,000.00" }},
		{"bad rate decimal", "lines[1].vat_rate", "",
			func(r *customsv1.QuoteRequest) { r.Lines[1].VatRate = "13%" }},
		{"unknown regime", "regime", "",
			func(r *customsv1.QuoteRequest) { r.Regime = customsv1.Regime(99) }},
		{"unspecified regime", "regime", "",
			func(r *customsv1.QuoteRequest) { r.Regime = customsv1.Regime_REGIME_UNSPECIFIED }},
		{"unknown duty basis", "lines[0].duty_basis", "",
			func(r *customsv1.QuoteRequest) { r.Lines[0].DutyBasis = customsv1.DutyBasis(7) }},
		{"bad date", "date", "",
			func(r *customsv1.QuoteRequest) { r.Date = "1.3.2024" }},
		{"no lines", "lines", "",
			func(r *customsv1.QuoteRequest) { r.Lines = nil }},
		{"neither code nor rates", "lines[1].hs_code", errorsv1.Reason_TAX_INVALID_HS_CODE.String(),
			func(r *customsv1.QuoteRequest) { r.Lines[1].DutyRate, r.Lines[1].VatRate = "", "" }},
		{"vat rate missing", "lines[1].vat_rate", errorsv1.Reason_TAX_INVALID_RATE.String(),
			func(r *customsv1.QuoteRequest) { r.Lines[1].VatRate = "" }},
		{"engine: value below the fen", "lines[0].dutiable_value", errorsv1.Reason_TAX_INVALID_AMOUNT.String(),
			func(r *customsv1.QuoteRequest) { r.Lines[0].DutiableValue = "10.001" }},
		{"engine: negative rate, wire field name", "lines[1].duty_rate", errorsv1.Reason_TAX_INVALID_RATE.String(),
			func(r *customsv1.QuoteRequest) { r.Lines[1].DutyRate = "-0.10" }},
		{"engine: interest days outside DOMESTIC_SALE", "lines[0].days", errorsv1.Reason_TAX_INVALID_INTEREST_DAYS.String(),
			func(r *customsv1.QuoteRequest) { r.Lines[0].Days = 30 }},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			req := good()
			tt.edit(req)
			_, err := c.Quote(ctxAs(t, a.E1), req)
			if !wantCode(t, err, codes.InvalidArgument, tt.name) {
				return
			}
			if got := errorsv1.FieldOf(err); got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
			if tt.reason != "" {
				if got := errorsv1.ReasonOf(err); got != tt.reason {
					t.Errorf("reason %q, want %q (%v)", got, tt.reason, err)
				}
			}
		})
	}

	t.Run("unknown HS code", func(t *testing.T) {
		req := good()
		req.Lines[0].HsCode = "9999999999"
		_, err := c.Quote(ctxAs(t, a.E1), req)
		if wantCode(t, err, codes.NotFound, "unknown HS code") {
			if got, reason := errorsv1.FieldOf(err), errorsv1.ReasonOf(err); got != "lines[0].hs_code" || reason != errorsv1.Reason_TAX_NO_TARIFF_ROW.String() {
				t.Errorf("field %q reason %q, want lines[0].hs_code %s", got, reason, errorsv1.Reason_TAX_NO_TARIFF_ROW.String())
			}
		}
	})
}

// TestServeWithATariffFile starts the server with --tariff: quotes use the
// operator's table, not the sample one.
func TestServeWithATariffFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tariff.csv")
	csv := "hs_code,valid_from,duty_kind,duty_rate,duty_specific,duty_specific_unit,vat_rate,consumption_kind,consumption_rate,consumption_specific,consumption_specific_unit,description\n" +
		"9503000090,2020-01-01,AD_VALOREM,0.20,,,STANDARD,,,,,toys (a rate of this test's own)\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	s := StartServer(t, "--tariff", file)
	a := NewActors(t, s)
	c := customsv1.NewTaxServiceClient(s.Conn())
	// 1000.00 at 20 % duty, VAT 13 % on 1200.00: 200.00 + 156.00.
	r, err := c.Quote(ctxAs(t, a.E1), &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_GENERAL_TRADE, Date: "2024-03-01",
		Lines: []*customsv1.QuoteLine{{HsCode: "9503000090", DutiableValue: "1000.00", Quantity: "1"}}})
	if err != nil {
		t.Fatalf("Quote: %v", err)
	}
	if r.GetDuty() != "200.00" || r.GetVat() != "156.00" {
		t.Fatalf("duty %s vat %s, want 200.00 and 156.00", r.GetDuty(), r.GetVat())
	}
	// The sample tariff's rows are not there.
	_, err = c.Quote(ctxAs(t, a.E1), &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_GENERAL_TRADE, Date: "2024-03-01",
		Lines: []*customsv1.QuoteLine{{HsCode: "8471300000", DutiableValue: "1000.00", Quantity: "1"}}})
	if errorsv1.ReasonOf(err) != errorsv1.Reason_TAX_NO_TARIFF_ROW.String() {
		t.Fatalf("a code only the sample tariff has: %v, want reason %s", err, errorsv1.Reason_TAX_NO_TARIFF_ROW.String())
	}
}
