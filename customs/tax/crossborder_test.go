package tax_test

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// Cross-border retail import (财关税〔2016〕18号, 〔2018〕49号): within the single (5,000) and
// annual (26,000) limits duty is 0 and VAT and consumption tax are 70 % of
// the statutory amounts (computed with duty 0); the combined rate is
// (c + v) / (1 − c) × 0.7. All examples on 2019-06-01 (VAT 13 %).

// order quotes a cross-border order.
func order(t *testing.T, e *tax.Engine, annualUsed string, lines ...tax.Line) tax.Quote {
	t.Helper()
	q, err := e.Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: on(2019, 6, 1), Lines: lines, AnnualUsed: d(annualUsed)})
	if err != nil {
		t.Fatalf("Quote: %v", err)
	}
	return q
}

// item is one line of pieces pieces.
func item(hs, value string, pieces int) tax.Line {
	l := goods(hs, value)
	l.Pieces = pieces
	return l
}

func wantRule(t *testing.T, q tax.Quote, rule tax.Rule, waived ...tax.TaxKind) {
	t.Helper()
	if q.Rule != rule {
		t.Errorf("rule %s, want %s", q.Rule, rule)
	}
	if !slices.Equal(q.Waived, waived) {
		t.Errorf("waived %v, want %v", q.Waived, waived)
	}
}

func TestCrossBorderWithinLimits(t *testing.T) {
	e := newEngine(t)

	// Cosmetics (CT 15 %), V = 200.00:
	//   CT  = 200 / 0.85 × 0.15 × 0.7 = 30/0.85 × 0.7 = 24.705882… → 24.71
	//   VAT = (200 + 35.294117…) × 0.13 × 0.7 = 26/0.85 × 0.7 = 21.411764… → 21.41
	//   check: 200 × (0.15 + 0.13) / 0.85 × 0.7 = 46.1176… ≈ 24.71 + 21.41 = 46.12
	// Below 50 CNY, and still charged: no de-minimis in this channel.
	q := order(t, e, "0", item("3304990099", "200.00", 1))
	wantRule(t, q, tax.RuleCrossBorderWithinLimits)
	wantQuote(t, q, amounts{"0", "24.71", "21.41", "0", "46.12"})

	// No consumption tax: 13 % × 0.7 = 9.1 %: 1000 × 0.091 = 91.00.
	q = order(t, e, "0", item("8471300000", "1000.00", 1))
	wantQuote(t, q, amounts{"0", "0", "91.00", "0", "91.00"})

	// Compound consumption tax, whisky V = 300.00, 0.7 升 (duty 0):
	//   S      = 0.7 × 1 = 0.70
	//   CT_st  = (300 + 0.7) / 0.8 × 0.2 + 0.7 = 75.175 + 0.7 = 75.875
	//   CT     = 75.875 × 0.7 = 53.1125 → 53.11
	//   VAT_st = (300 + 75.875) × 0.13 = 48.86375
	//   VAT    = 48.86375 × 0.7 = 34.204625 → 34.20
	w := item("2208300000", "300.00", 1)
	w.Quantity, w.Unit = d("0.7"), "095"
	q = order(t, e, "0", w)
	wantQuote(t, q, amounts{"0", "53.11", "34.20", "0", "87.31"})

	// Exactly the single limit is within it. Cosmetics V = 5000.00:
	//   CT  = 5000 × 0.15 / 0.85 × 0.7 = 750/0.85 × 0.7 = 617.647058… → 617.65
	//   VAT = 5000 × 0.13 / 0.85 × 0.7 = 650/0.85 × 0.7 = 535.294117… → 535.29
	q = order(t, e, "0", item("3304990099", "5000.00", 1))
	wantRule(t, q, tax.RuleCrossBorderWithinLimits)
	wantQuote(t, q, amounts{"0", "617.65", "535.29", "0", "1152.94"})

	// Exactly the annual limit is within it: 25,800 + 200 = 26,000.
	q = order(t, e, "25800.00", item("3304990099", "200.00", 1))
	wantRule(t, q, tax.RuleCrossBorderWithinLimits)
	wantQuote(t, q, amounts{"0", "24.71", "21.41", "0", "46.12"})

	// Several lines within the limit, each line rounded on its own.
	q = order(t, e, "0", item("3304990099", "200.00", 1), item("8471300000", "1000.00", 1))
	wantQuote(t, q, amounts{"0", "24.71", "112.41", "0", "137.12"})
}

func TestCrossBorderOverTheLimits(t *testing.T) {
	e := newEngine(t)

	// One indivisible item over the single limit, within the annual limit:
	// stays in the channel, taxed in full. Cosmetics V = 5000.01:
	//   duty = 5000.01 × 0.05 = 250.0005 → 250.00
	//   CT   = 5250.0105 / 0.85 × 0.15 = 787.501575/0.85 = 926.472441… → 926.47
	//   VAT  = 5250.0105 / 0.85 × 0.13 = 682.501365/0.85 = 802.942782… → 802.94
	full := amounts{"250.00", "926.47", "802.94", "0", "1979.41"}
	q := order(t, e, "0", item("3304990099", "5000.01", 1))
	wantRule(t, q, tax.RuleCrossBorderSingleItemFull)
	wantQuote(t, q, full)

	// Two pieces on the one line: not a single item → general trade, same
	// amounts (duty 250.00 is over the de-minimis threshold).
	q = order(t, e, "0", item("3304990099", "5000.01", 2))
	wantRule(t, q, tax.RuleCrossBorderOverSingleLimit)
	wantQuote(t, q, full)

	// Single item, but the annual total would be 21,000 + 5,000.01 > 26,000:
	// general trade.
	q = order(t, e, "21000.00", item("3304990099", "5000.01", 1))
	wantRule(t, q, tax.RuleCrossBorderOverAnnualLimit)
	wantQuote(t, q, full)

	// Several items over the single limit: general trade.
	//   computer 3000.00: duty 0, VAT 3000 × 0.13 = 390.00
	//   cosmetics 2000.01: duty 100.0005 → 100.00;
	//     CT  = 2100.0105 × 0.15 / 0.85 = 315.001575/0.85 = 370.590088… → 370.59
	//     VAT = 2100.0105 × 0.13 / 0.85 = 273.001365/0.85 = 321.178076… → 321.18
	q = order(t, e, "0", item("8471300000", "3000.00", 1), item("3304990099", "2000.01", 1))
	wantRule(t, q, tax.RuleCrossBorderOverSingleLimit)
	wantQuote(t, q, amounts{"100.00", "370.59", "711.18", "0", "1181.77"})

	// Over the annual limit by one fen: general trade, where the de-minimis
	// rule applies. Cosmetics V = 200.00:
	//   duty = 10.00 → not collected (≤ 50)
	//   CT   = 210 / 0.85 × 0.15 = 31.5/0.85 = 37.058823… → 37.06
	//   VAT  = 210 / 0.85 × 0.13 = 27.3/0.85 = 32.117647… → 32.12
	q = order(t, e, "25800.01", item("3304990099", "200.00", 1))
	wantRule(t, q, tax.RuleCrossBorderOverAnnualLimit, tax.TaxDuty)
	wantQuote(t, q, amounts{"0", "37.06", "32.12", "0", "69.18"})
}

func TestCrossBorderSettings(t *testing.T) {
	// The pre-2019 limits (2,000 / 20,000) and a 50 % factor, as settings.
	e := newEngine(t, func(s *tax.Settings) {
		s.CrossBorderSingleLimit = d("2000")
		s.CrossBorderAnnualLimit = d("20000")
		s.CrossBorderFactor = d("0.5")
	})
	// Computer V = 1000.00: VAT = 1000 × 0.13 × 0.5 = 65.00.
	q := order(t, e, "0", item("8471300000", "1000.00", 1))
	wantQuote(t, q, amounts{"0", "0", "65.00", "0", "65.00"})
	// V = 2000.01, one item: full VAT 2000.01 × 0.13 = 260.0013 → 260.00.
	q = order(t, e, "0", item("8471300000", "2000.01", 1))
	wantRule(t, q, tax.RuleCrossBorderSingleItemFull)
	wantQuote(t, q, amounts{"0", "0", "260.00", "0", "260.00"})
	// 19,000 + 1,000.01 > 20,000.
	q = order(t, e, "19000", item("8471300000", "1000.01", 1))
	wantRule(t, q, tax.RuleCrossBorderOverAnnualLimit)

	// The annual total is for this regime only, and never negative.
	_, err := newEngine(t).Quote(tax.Request{Regime: tax.GeneralTrade, Date: on(2019, 6, 1),
		Lines: []tax.Line{goods("8471300000", "1")}, AnnualUsed: d("1")})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonInvalidAmount, "annual_used")
	_, err = newEngine(t).Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: on(2019, 6, 1),
		Lines: []tax.Line{goods("8471300000", "1")}, AnnualUsed: decimal.NewFromInt(-1)})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonInvalidAmount, "annual_used")
}
