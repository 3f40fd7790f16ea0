package tax_test

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// Worked examples for general trade, derived by hand from 进出口关税条例 / 关税法, VAT and consumption-tax rules:
//
//	duty = V × rate + Q × amount per unit
//	CT   = (V + D + S) / (1 − c) × c + S,  S = Q × CT amount per unit
//	VAT  = (V + D + CT) × v
//
// Each amount is rounded half-up to the fen once, from exact intermediates.
// Sample-tariff rows are in testdata/tariff-sample.csv.

func TestGeneralTradeAdValoremDutyAndConsumptionTax(t *testing.T) {
	// Cosmetics 3304990099 on 2019-06-01: row of 2018-07-01, duty 5 %,
	// CT 15 % ad valorem, VAT STANDARD = 13 %. V = 2000.00.
	//   duty = 2000 × 0.05                          = 100.00
	//   CT   = (2000 + 100) / 0.85 × 0.15 = 315/0.85 = 370.588235… → 370.59
	//   VAT  = (2100 + 370.588235…) × 0.13
	//        = 2100 / 0.85 × 0.13 = 273/0.85         = 321.176470… → 321.18
	//   total = 100.00 + 370.59 + 321.18             = 791.77
	q := quote(t, newEngine(t), tax.GeneralTrade, on(2019, 6, 1), goods("3304990099", "2000.00"))
	if q.Rule != tax.RuleGeneralTrade || len(q.Waived) != 0 {
		t.Errorf("rule %s waived %v, want GENERAL_TRADE and nothing waived", q.Rule, q.Waived)
	}
	want := amounts{"100.00", "370.59", "321.18", "0", "791.77"}
	wantLine(t, q.Lines[0], want)
	wantQuote(t, q, want)
	eq(t, "resolved VAT rate", q.Lines[0].Rates.VAT.Rate, "0.13")
	if q.Lines[0].Rates.VAT.Band != tax.StandardBand {
		t.Errorf("VAT band %q, want STANDARD", q.Lines[0].Rates.VAT.Band)
	}
}

func TestGeneralTradeZeroRates(t *testing.T) {
	// Portable computer 8471300000: duty 0, no CT, VAT 13 % (2019-06-01).
	//   VAT = 5999.99 × 0.13 = 779.9987 → 780.00
	q := quote(t, newEngine(t), tax.GeneralTrade, on(2019, 6, 1), goods("8471300000", "5999.99"))
	wantQuote(t, q, amounts{"0", "0", "780.00", "0", "780.00"})

	// Explicit rates, all zero: nothing at all.
	l := goods("8471300000", "5999.99")
	l.Rates = &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem}}
	q = quote(t, newEngine(t), tax.GeneralTrade, on(2019, 6, 1), l)
	wantQuote(t, q, amounts{"0", "0", "0", "0", "0"})
}

func TestSpecificDutyAndConsumptionTaxWithLegalUnits(t *testing.T) {
	// Beer 2203000000: duty SPECIFIC 3 CNY per 095 (升), CT SPECIFIC 250 CNY per
	// 070 (吨), VAT 13 % (2019-06-01). V = 5000.00, 1234.56789 升, 1.23457 吨.
	//   duty = 1234.56789 × 3 = 3703.70367 → 3703.70
	//   CT   = 1.23457 × 250  = 308.6425   → 308.64
	//   VAT  = (5000 + 3703.70367 + 308.6425) × 0.13
	//        = 9012.34617 × 0.13 = 1171.6050021 → 1171.61
	//   total = 3703.70 + 308.64 + 1171.61 = 5183.95
	want := amounts{"3703.70", "308.64", "1171.61", "0", "5183.95"}
	e := newEngine(t)
	l := goods("2203000000", "5000.00")
	l.Quantity, l.Unit, l.Quantity2, l.Unit2 = d("1234.56789"), "095", d("1.23457"), "070"
	wantQuote(t, quote(t, e, tax.GeneralTrade, on(2019, 6, 1), l), want)

	// The units may come in either order: each levy takes its own unit.
	l.Quantity, l.Unit, l.Quantity2, l.Unit2 = d("1.23457"), "070", d("1234.56789"), "095"
	wantQuote(t, quote(t, e, tax.GeneralTrade, on(2019, 6, 1), l), want)

	// No quantity in litres: the duty cannot be computed.
	l.Quantity, l.Unit, l.Quantity2, l.Unit2 = d("1234.56789"), "035", d("1.23457"), "070"
	_, err := e.Quote(tax.Request{Regime: tax.GeneralTrade, Date: on(2019, 6, 1), Lines: []tax.Line{l}})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonUnitMismatch, "lines[0].unit")

	// The litre quantity stated as zero.
	l.Quantity, l.Unit = decimal.Zero, "095"
	_, err = e.Quote(tax.Request{Regime: tax.GeneralTrade, Date: on(2019, 6, 1), Lines: []tax.Line{l}})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonQuantityRequired, "lines[0].quantity")

	// An explicit specific levy with no unit takes the first quantity:
	// 2.5 × 0.8 = 2.00; VAT (10 + 2) × 0.13 = 1.56.
	l = goods("2203000000", "10.00")
	l.Quantity = d("2.5")
	l.Rates = &tax.Rates{
		Duty: tax.Levy{Kind: tax.Specific, Specific: d("0.8")},
		VAT:  tax.VAT{Rate: d("0.13")},
	}
	wantQuote(t, quote(t, newEngine(t, noDeMinimis), tax.GeneralTrade, on(2019, 6, 1), l),
		amounts{"2.00", "0", "1.56", "0", "3.56"})
}

func TestCompoundDuty(t *testing.T) {
	// Camera 8525890000: duty COMPOUND 3 % + 100 CNY per 001 (台), VAT 13 %.
	// V = 8000.00, 2 台.
	//   duty = 8000 × 0.03 + 2 × 100 = 240 + 200 = 440.00
	//   VAT  = (8000 + 440) × 0.13             = 1097.20
	l := goods("8525890000", "8000.00")
	l.Quantity, l.Unit = d("2"), "001"
	q := quote(t, newEngine(t), tax.GeneralTrade, on(2019, 6, 1), l)
	wantQuote(t, q, amounts{"440.00", "0", "1097.20", "0", "1537.20"})
}

func TestCompoundConsumptionTax(t *testing.T) {
	// Whisky 2208300000: duty 5 %, CT COMPOUND 20 % + 1 CNY per 095 (升),
	// VAT 13 %. V = 3000.00, 10.5 升.
	//   duty = 3000 × 0.05                               = 150.00
	//   S    = 10.5 × 1                                   = 10.50
	//   CT   = (3000 + 150 + 10.5) / 0.8 × 0.2 + 10.5
	//        = 3950.625 × 0.2 + 10.5 = 790.125 + 10.5     = 800.625 → 800.63 (half-up)
	//   VAT  = (3000 + 150 + 800.625) × 0.13 = 3950.625 × 0.13 = 513.58125 → 513.58
	//   total = 150.00 + 800.63 + 513.58 = 1464.21
	l := goods("2208300000", "3000.00")
	l.Quantity, l.Unit = d("10.5"), "095"
	q := quote(t, newEngine(t), tax.GeneralTrade, on(2019, 6, 1), l)
	wantQuote(t, q, amounts{"150.00", "800.63", "513.58", "0", "1464.21"})
}

func TestRoundingHalfUpOnceAtTheEnd(t *testing.T) {
	e := newEngine(t, noDeMinimis)
	rates := func(duty, vat string) *tax.Rates {
		return &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d(duty)}, VAT: tax.VAT{Rate: d(vat)}}
	}

	// An exact half fen rounds up: VAT = 100.50 × 0.13 = 13.065 → 13.07
	// (banker's rounding would give 13.06).
	l := goods("8471300000", "100.50")
	l.Rates = rates("0", "0.13")
	wantQuote(t, quote(t, e, tax.GeneralTrade, on(2019, 6, 1), l), amounts{"0", "0", "13.07", "0", "13.07"})

	// Duty 10 %, VAT 13 %, V = 104.65:
	//   duty = 10.465 → 10.47 (half-up)
	//   VAT  = (104.65 + 10.465) × 0.13 = 115.115 × 0.13 = 14.96495 → 14.96
	// Rounding once: 14.96495 is below the half fen. Rounding an intermediate
	// to 4 places first (14.9650) would give 14.97 — wrong.
	l = goods("8471300000", "104.65")
	l.Rates = rates("0.10", "0.13")
	wantQuote(t, quote(t, e, tax.GeneralTrade, on(2019, 6, 1), l), amounts{"10.47", "0", "14.96", "0", "25.43"})

	// With Settings.TaxBase = ROUNDED the VAT base takes the rounded duty:
	//   VAT = (104.65 + 10.47) × 0.13 = 115.12 × 0.13 = 14.9656 → 14.97
	rounded := newEngine(t, noDeMinimis, func(s *tax.Settings) { s.TaxBase = tax.RoundedBase })
	wantQuote(t, quote(t, rounded, tax.GeneralTrade, on(2019, 6, 1), l), amounts{"10.47", "0", "14.97", "0", "25.44"})

	// Two lines: the document totals are sums of the rounded line amounts.
	//   line 1 VAT 13.065 → 13.07; line 2 VAT 13.065 → 13.07; total 26.14
	//   (rounding the exact sum 26.13 would differ).
	a, b := goods("8471300000", "100.50"), goods("8471300000", "100.50")
	a.Rates, b.Rates = rates("0", "0.13"), rates("0", "0.13")
	wantQuote(t, quote(t, e, tax.GeneralTrade, on(2019, 6, 1), a, b), amounts{"0", "0", "26.14", "0", "26.14"})
}

func TestDeMinimis(t *testing.T) {
	// Cosmetics on 2019-06-01 (duty 5 %, CT 15 %, VAT 13 %), V = 1000.00:
	//   duty = 50.00 — "50元以下" includes 50: not collected
	//   CT   = 1050 / 0.85 × 0.15 = 157.5/0.85 = 185.294117… → 185.29
	//   VAT  = 1050 / 0.85 × 0.13 = 136.5/0.85 = 160.588235… → 160.59
	// The waiver does not change the base of CT and VAT.
	e := newEngine(t)
	q := quote(t, e, tax.GeneralTrade, on(2019, 6, 1), goods("3304990099", "1000.00"))
	wantQuote(t, q, amounts{"0", "185.29", "160.59", "0", "345.88"})
	if !slices.Equal(q.Waived, []tax.TaxKind{tax.TaxDuty}) {
		t.Errorf("waived %v, want [DUTY]", q.Waived)
	}

	// Strictly below 50: the duty of exactly 50.00 is collected.
	strict := newEngine(t, func(s *tax.Settings) { s.DeMinimisStrictlyBelow = true })
	q = quote(t, strict, tax.GeneralTrade, on(2019, 6, 1), goods("3304990099", "1000.00"))
	wantQuote(t, q, amounts{"50.00", "185.29", "160.59", "0", "395.88"})

	// V = 1000.20: duty = 50.01, over the threshold.
	//   CT  = 1050.21 × 0.15 / 0.85 = 157.5315/0.85 = 185.331176… → 185.33
	//   VAT = 1050.21 × 0.13 / 0.85 = 136.5273/0.85 = 160.620352… → 160.62
	q = quote(t, e, tax.GeneralTrade, on(2019, 6, 1), goods("3304990099", "1000.20"))
	wantQuote(t, q, amounts{"50.01", "185.33", "160.62", "0", "395.96"})

	// Per consignment (一票货物): two lines of 30.00 duty each make 60.00.
	//   each: duty 600 × 0.05 = 30.00; CT 630 × 0.15/0.85 = 111.176470… → 111.18;
	//   VAT 630 × 0.13/0.85 = 96.352941… → 96.35
	q = quote(t, e, tax.GeneralTrade, on(2019, 6, 1), goods("3304990099", "600.00"), goods("3304990099", "600.00"))
	wantQuote(t, q, amounts{"60.00", "222.36", "192.70", "0", "475.06"})

	// VAT added to the exempt taxes: portable computer V = 100 → VAT 13.00,
	// waived; the zero duty is not reported as waived.
	withVAT := newEngine(t, func(s *tax.Settings) { s.DeMinimisTaxes = []tax.TaxKind{tax.TaxDuty, tax.TaxVAT} })
	q = quote(t, withVAT, tax.GeneralTrade, on(2019, 6, 1), goods("8471300000", "100.00"))
	wantQuote(t, q, amounts{"0", "0", "0", "0", "0"})
	if !slices.Equal(q.Waived, []tax.TaxKind{tax.TaxVAT}) {
		t.Errorf("waived %v, want [VAT]", q.Waived)
	}
}

func TestVATRateAcrossBoundaryDates(t *testing.T) {
	// Portable computer, V = 1000.00, duty 0: VAT = 1000 × rate.
	e := newEngine(t)
	for _, c := range []struct {
		day  string
		want string
	}{
		{"2018-04-30", "170.00"}, // 17 %
		{"2018-05-01", "160.00"}, // 16 % from 2018-05-01
		{"2019-03-31", "160.00"},
		{"2019-04-01", "130.00"}, // 13 % from 2019-04-01
	} {
		day := mustDate(t, c.day)
		q := quote(t, e, tax.GeneralTrade, day, goods("8471300000", "1000.00"))
		eq(t, "VAT on "+c.day, q.VAT, c.want)
	}

	// The date is the calendar date in the time's own location: 2019-04-01
	// 00:30 in Beijing is still 2019-04-01 (UTC: 2019-03-31 16:30).
	beijing := mustLocation(t, "Asia/Shanghai")
	q := quote(t, e, tax.GeneralTrade, on(2019, 4, 1).Add(-7*time.Hour-30*time.Minute).In(beijing), goods("8471300000", "1000.00"))
	eq(t, "VAT just after midnight in Beijing", q.VAT, "130.00")

	// Rice 1006300000 (row from 2019-04-01): duty 1 %, VAT REDUCED = 9 %.
	//   duty = 10.00; VAT = 1010 × 0.09 = 90.90
	q = quote(t, newEngine(t, noDeMinimis), tax.GeneralTrade, on(2019, 4, 1), goods("1006300000", "1000.00"))
	wantQuote(t, q, amounts{"10.00", "0", "90.90", "0", "100.90"})

	// Infant formula 1901101000 states VAT 0.13 explicitly in the tariff.
	//   duty = 200 × 0.15 = 30.00; VAT = 230 × 0.13 = 29.90
	q = quote(t, newEngine(t, noDeMinimis), tax.GeneralTrade, on(2019, 6, 1), goods("1901101000", "200.00"))
	wantQuote(t, q, amounts{"30.00", "0", "29.90", "0", "59.90"})

	// The reference gives the lower band only from 2019-04-01: a REDUCED
	// rate before then is refused, unless the settings add one.
	l := goods("1006300000", "1000.00")
	l.Rates = &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem}, VAT: tax.VAT{Band: tax.ReducedBand}}
	_, err := e.Quote(tax.Request{Regime: tax.GeneralTrade, Date: on(2019, 3, 31), Lines: []tax.Line{l}})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonNoRateOnDate, "lines[0].rates.vat.band")
	e10 := newEngine(t, func(s *tax.Settings) {
		s.VATReduced = append([]tax.DatedRate{{From: on(2018, 5, 1), Rate: d("0.10")}}, s.VATReduced...)
	})
	eq(t, "REDUCED VAT on 2018-06-01 with a 10 % entry",
		quote(t, e10, tax.GeneralTrade, on(2018, 6, 1), l).VAT, "100.00")
}

func TestTariffRowByDateInAQuote(t *testing.T) {
	// Cosmetics on 2016-09-30: row of 2015-01-01, duty 10 %, CT 30 %; VAT 17 %.
	//   duty = 2000 × 0.10 = 200.00
	//   CT   = 2200 / 0.7 × 0.3 = 660/0.7 = 942.857142… → 942.86
	//   VAT  = 2200 / 0.7 × 0.17 = 374/0.7 = 534.285714… → 534.29
	e := newEngine(t)
	q := quote(t, e, tax.GeneralTrade, on(2016, 9, 30), goods("3304990099", "2000.00"))
	wantQuote(t, q, amounts{"200.00", "942.86", "534.29", "0", "1677.15"})

	// On 2016-10-01 the row of 2016-10-01 applies: CT 15 %.
	//   CT  = 2200 / 0.85 × 0.15 = 330/0.85 = 388.235294… → 388.24
	//   VAT = 2200 / 0.85 × 0.17 = 374/0.85 = 440.00
	q = quote(t, e, tax.GeneralTrade, on(2016, 10, 1), goods("3304990099", "2000.00"))
	wantQuote(t, q, amounts{"200.00", "388.24", "440.00", "0", "1028.24"})

	// Before the first row there is no rate.
	_, err := e.Quote(tax.Request{Regime: tax.GeneralTrade, Date: on(2014, 12, 31), Lines: []tax.Line{goods("3304990099", "1.00")}})
	wantErr(t, err, ledger.KindNotFound, tax.ReasonNoTariffRow, "lines[0].hs_code")
}
