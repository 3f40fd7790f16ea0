package tax_test

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// Domestic sale with selective duty (选择性征收关税, https://www.10100.com/article/489747) and 缓税利息 (GACC 公告2009年第13号 and 第14号):
// duty on the finished good or on its imported materials; VAT and
// consumption tax always on the finished good; interest on the materials
// option = tax × days × annual rate / 360.

// microwave is a finished microwave oven (8516500000, duty 8 %) worth
// 10,000.00, made from aluminium sheet (7606125000, duty 6 %) worth 3,000.00
// and a power supply (8504409999, duty 5 %) worth 2,500.50.
func microwave(basis tax.DutyBasis, days int) tax.Line {
	l := goods("8516500000", "10000.00")
	l.DutyBasis = basis
	l.InterestDays = days
	if basis == tax.BasisMaterials {
		l.Materials = []tax.Goods{
			{HSCode: "7606125000", DutiableValue: d("3000.00")},
			{HSCode: "8504409999", DutiableValue: d("2500.50")},
		}
	}
	return l
}

func TestDomesticSaleFinishedGoods(t *testing.T) {
	// 2023-06-01, VAT 13 %:
	//   duty = 10000 × 0.08 = 800.00; VAT = 10800 × 0.13 = 1404.00
	e := newEngine(t)
	for _, basis := range []tax.DutyBasis{"", tax.BasisFinishedGoods} {
		q := quote(t, e, tax.DomesticSale, on(2023, 6, 1), microwave(basis, 0))
		if q.Rule != tax.RuleDomesticSale || q.Lines[0].DutyBasis != tax.BasisFinishedGoods {
			t.Errorf("rule %s basis %s, want DOMESTIC_SALE FINISHED_GOODS", q.Rule, q.Lines[0].DutyBasis)
		}
		wantQuote(t, q, amounts{"800.00", "0", "1404.00", "0", "2204.00"})
	}
}

// dutyOnly sets the 缓税利息 base to the duty alone.
func dutyOnly(s *tax.Settings) { s.InterestBase = tax.InterestOnDuty }

func TestDomesticSaleMaterials(t *testing.T) {
	// 2023-06-01, VAT 13 %, interest 0.35 % (from 2015), 100 days, interest
	// on all taxes due (the default InterestBase, 应征税额):
	//   materials duty = 3000 × 0.06 + 2500.50 × 0.05 = 180 + 125.025 = 305.025 → 305.03
	//   VAT      = (10000 + 305.025) × 0.13 = 1339.65325 → 1339.65
	//   interest = (305.025 + 1339.65325) × 100 × 0.0035 / 360
	//            = 575.6373875 / 360 = 1.598992… → 1.60
	//   total    = 305.03 + 1339.65 + 1.60 = 1646.28
	e := newEngine(t)
	q := quote(t, e, tax.DomesticSale, on(2023, 6, 1), microwave(tax.BasisMaterials, 100))
	wantQuote(t, q, amounts{"305.03", "0", "1339.65", "1.60", "1646.28"})
	lq := q.Lines[0]
	eq(t, "interest rate", lq.InterestRate, "0.0035")
	if lq.DutyBasis != tax.BasisMaterials || lq.InterestExempt || len(lq.Materials) != 2 {
		t.Fatalf("line quote %+v", lq)
	}
	eq(t, "material 0 exact duty", lq.Materials[0].DutyExact, "180")
	eq(t, "material 1 exact duty", lq.Materials[1].DutyExact, "125.025")
	eq(t, "material 1 rate", lq.Materials[1].Duty.Rate, "0.05")

	// Settings.SelectiveBase = FINISHED_GOODS_DUTY: the VAT base takes the
	// finished good's duty (800) while the duty charged stays on materials:
	//   VAT = 10800 × 0.13 = 1404.00
	//   interest = (305.025 + 1404) × 100 × 0.0035 / 360 = 598.15875 / 360 = 1.661552… → 1.66
	//   total = 305.03 + 1404.00 + 1.66 = 1710.69
	fin := newEngine(t, func(s *tax.Settings) { s.SelectiveBase = tax.FinishedDutyInBase })
	q = quote(t, fin, tax.DomesticSale, on(2023, 6, 1), microwave(tax.BasisMaterials, 100))
	wantQuote(t, q, amounts{"305.03", "0", "1404.00", "1.66", "1710.69"})

	// 2016-06-01 with an interest table holding only 0.36 % (from 2009);
	// VAT 17 %:
	//   VAT      = 10305.025 × 0.17 = 1751.85425 → 1751.85
	//   interest = (305.025 + 1751.85425) × 100 × 0.0036 / 360 = 2.05687925 → 2.06
	q = quote(t, newEngine(t, func(s *tax.Settings) {
		s.InterestRates = []tax.DatedRate{{From: on(2009, 1, 1), Rate: d("0.0036")}}
	}), tax.DomesticSale, on(2016, 6, 1), microwave(tax.BasisMaterials, 100))
	wantQuote(t, q, amounts{"305.03", "0", "1751.85", "2.06", "2058.94"})
}

func TestInterestBase(t *testing.T) {
	// The default base is all taxes due (应征税额, GACC 公告2009年第13号);
	// an empty setting means the default too.
	if b := tax.DefaultSettings().InterestBase; b != tax.InterestOnAllTaxes {
		t.Errorf("default interest base %s, want %s", b, tax.InterestOnAllTaxes)
	}
	empty := newEngine(t, func(s *tax.Settings) { s.InterestBase = "" })
	duty := newEngine(t, dutyOnly)

	// The microwave on materials, 2023-06-01, 100 days at 0.35 %:
	//   all taxes: (305.025 + 1339.65325) × 0.35 / 360 = 1.598992… → 1.60
	//   duty only: 305.025 × 0.35 / 360 = 106.75875 / 360 = 0.296552… → 0.30
	for _, c := range []struct {
		name     string
		e        *tax.Engine
		interest string
		total    string
	}{
		{"default", newEngine(t), "1.60", "1646.28"},
		{"empty", empty, "1.60", "1646.28"},
		{"duty only", duty, "0.30", "1644.98"},
	} {
		q := quote(t, c.e, tax.DomesticSale, on(2023, 6, 1), microwave(tax.BasisMaterials, 100))
		wantQuote(t, q, amounts{"305.03", "0", "1339.65", c.interest, c.total})
	}

	// With consumption tax: cosmetics (CT 15 %) worth 1000.00 on
	// 2019-06-01, duty on one material (2 %) worth 400.00, 100 days at
	// 0.35 %, no de-minimis:
	//   D = 8, CT = 151.2 / 0.85 = 177.882352…, VAT = 131.04 / 0.85 = 154.164705…
	//   all taxes: (8 + 282.24 / 0.85) × 0.35 / 360 = 340.047058… × 0.35 / 360
	//              = 0.330601… → 0.33
	//   duty only: 8 × 0.35 / 360 = 0.007777… → 0.01
	cosmetics := goods("3304990099", "1000.00")
	cosmetics.DutyBasis = tax.BasisMaterials
	cosmetics.InterestDays = 100
	cosmetics.Materials = []tax.Goods{{HSCode: "3402900090", DutiableValue: d("400.00"),
		Rates: &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d("0.02")}}}}
	q := quote(t, newEngine(t, noDeMinimis), tax.DomesticSale, on(2019, 6, 1), cosmetics)
	wantQuote(t, q, amounts{"8.00", "177.88", "154.16", "0.33", "340.37"})
	q = quote(t, newEngine(t, noDeMinimis, dutyOnly), tax.DomesticSale, on(2019, 6, 1), cosmetics)
	wantQuote(t, q, amounts{"8.00", "177.88", "154.16", "0.01", "340.05"})

	// With the default de-minimis the 8.00 duty is not collected; interest
	// runs only on the taxes payable:
	//   all taxes: 282.24 / 0.85 × 0.35 / 360 = 0.322823… → 0.32
	//   duty only: nothing payable → 0
	q = quote(t, newEngine(t), tax.DomesticSale, on(2019, 6, 1), cosmetics)
	wantQuote(t, q, amounts{"0", "177.88", "154.16", "0.32", "332.36"})
	q = quote(t, duty, tax.DomesticSale, on(2019, 6, 1), cosmetics)
	wantQuote(t, q, amounts{"0", "177.88", "154.16", "0", "332.04"})
}

func TestDomesticSaleConsumptionTaxOnFinishedGood(t *testing.T) {
	// Cosmetics (duty 5 %, CT 15 %) worth 1000.00 on 2019-06-01, duty on one
	// material (explicit duty 2 %) worth 400.00:
	//   duty = 400 × 0.02 = 8.00
	//   CT   = (1000 + 8) / 0.85 × 0.15 = 151.2/0.85 = 177.882352… → 177.88
	//   VAT  = (1000 + 8) / 0.85 × 0.13 = 131.04/0.85 = 154.164705… → 154.16
	l := goods("3304990099", "1000.00")
	l.DutyBasis = tax.BasisMaterials
	l.Materials = []tax.Goods{{HSCode: "3402900090", DutiableValue: d("400.00"),
		Rates: &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d("0.02")}}}}
	q := quote(t, newEngine(t, noDeMinimis), tax.DomesticSale, on(2019, 6, 1), l)
	wantQuote(t, q, amounts{"8.00", "177.88", "154.16", "0", "340.04"})

	// With the default de-minimis the 8.00 duty is not collected.
	q = quote(t, newEngine(t), tax.DomesticSale, on(2019, 6, 1), l)
	wantQuote(t, q, amounts{"0", "177.88", "154.16", "0", "332.04"})
}

func TestInterestRateTableAndExemptions(t *testing.T) {
	// Interest on the duty alone keeps the figures short; TestInterestBase
	// shows the default base.
	e := newEngine(t, dutyOnly)
	for _, c := range []struct {
		day      time.Time
		interest string
		exempt   bool
	}{
		{on(2020, 4, 14), "0.30", false}, // before the 2020 exemption
		{on(2020, 4, 15), "0", true},     // exempt 2020-04-15 …
		{on(2021, 6, 1), "0", true},
		{on(2022, 12, 31), "0", true}, // … through 2022-12-31
		{on(2023, 1, 1), "0.30", false},
	} {
		q := quote(t, e, tax.DomesticSale, c.day, microwave(tax.BasisMaterials, 100))
		eq(t, "interest on "+c.day.Format(time.DateOnly), q.Interest, c.interest)
		if q.Lines[0].InterestExempt != c.exempt {
			t.Errorf("%s: exempt %v, want %v", c.day.Format(time.DateOnly), q.Lines[0].InterestExempt, c.exempt)
		}
	}

	// No exemptions configured: 2021-06-01 is charged.
	q := quote(t, newEngine(t, dutyOnly, func(s *tax.Settings) { s.InterestExemptions = nil }),
		tax.DomesticSale, on(2021, 6, 1), microwave(tax.BasisMaterials, 100))
	eq(t, "interest without exemptions", q.Interest, "0.30")

	// Zero days: no interest, no rate needed.
	q = quote(t, e, tax.DomesticSale, on(2023, 6, 1), microwave(tax.BasisMaterials, 0))
	eq(t, "interest for 0 days", q.Interest, "0")

	// Before the first rate of the table: refused.
	l := microwave(tax.BasisMaterials, 100)
	l.Rates = &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d("0.08")}, VAT: tax.VAT{Rate: d("0.17")}}
	// The same rates as the sample tariff, stated on the line (the tariff
	// rows start in 2015).
	for i, rate := range []string{"0.06", "0.05"} {
		l.Materials[i].Rates = &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: d(rate)}}
	}
	_, err := e.Quote(tax.Request{Regime: tax.DomesticSale, Date: on(2008, 6, 1), Lines: []tax.Line{l}})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonNoRateOnDate, "lines[0].interest_days")
	// The default table: 0.36 % on 2014-12-31, 0.35 % from 2015-01-01.
	//   305.025 × 100 × 0.0036 / 360 = 0.305025 → 0.31
	//   305.025 × 100 × 0.0035 / 360 = 0.296552… → 0.30
	for day, want := range map[time.Time]string{on(2014, 12, 31): "0.31", on(2015, 1, 1): "0.30"} {
		q := quote(t, e, tax.DomesticSale, day, l)
		eq(t, "interest on "+day.Format(time.DateOnly), q.Interest, want)
	}

	// Interest on a finished-goods sale only when the setting allows it:
	//   800 × 100 × 0.0035 / 360 = 280/360 = 0.777… → 0.78
	_, err = e.Quote(tax.Request{Regime: tax.DomesticSale, Date: on(2023, 6, 1),
		Lines: []tax.Line{microwave(tax.BasisFinishedGoods, 100)}})
	wantErr(t, err, ledger.KindInvalid, tax.ReasonInvalidInterestDays, "lines[0].interest_days")
	q = quote(t, newEngine(t, dutyOnly, func(s *tax.Settings) { s.InterestOnFinishedGoods = true }),
		tax.DomesticSale, on(2023, 6, 1), microwave(tax.BasisFinishedGoods, 100))
	wantQuote(t, q, amounts{"800.00", "0", "1404.00", "0.78", "2204.78"})
}

func TestDomesticSaleErrors(t *testing.T) {
	e := newEngine(t)
	try := func(regime tax.Regime, l tax.Line) error {
		_, err := e.Quote(tax.Request{Regime: regime, Date: on(2023, 6, 1), Lines: []tax.Line{goods("8471300000", "1"), l}})
		return err
	}

	l := microwave(tax.BasisMaterials, 0)
	l.Materials = nil
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonMaterialsRequired, "lines[1].materials")

	l = microwave(tax.BasisMaterials, 0)
	l.DutyBasis = tax.BasisFinishedGoods
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonMaterialsNotAllowed, "lines[1].materials")

	l = microwave(tax.BasisMaterials, 0)
	l.DutyBasis = "BOTH"
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonInvalidDutyBasis, "lines[1].duty_basis")

	l = microwave(tax.BasisMaterials, -1)
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonInvalidInterestDays, "lines[1].interest_days")

	l = microwave(tax.BasisMaterials, 0)
	l.Materials[1].HSCode = "85044099"
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonInvalidHSCode, "lines[1].materials[1].hs_code")

	l = microwave(tax.BasisMaterials, 0)
	l.Materials[0].DutiableValue = d("-3")
	wantErr(t, try(tax.DomesticSale, l), ledger.KindInvalid, tax.ReasonInvalidAmount, "lines[1].materials[0].dutiable_value")

	// The selective basis, materials and interest belong to DOMESTIC_SALE.
	for _, regime := range []tax.Regime{tax.GeneralTrade, tax.CrossBorderRetail} {
		wantErr(t, try(regime, microwave(tax.BasisFinishedGoods, 0)), ledger.KindInvalid, tax.ReasonInvalidDutyBasis, "lines[1].duty_basis")
		l = microwave(tax.BasisMaterials, 0)
		l.DutyBasis = ""
		wantErr(t, try(regime, l), ledger.KindInvalid, tax.ReasonMaterialsNotAllowed, "lines[1].materials")
		wantErr(t, try(regime, microwave("", 5)), ledger.KindInvalid, tax.ReasonInvalidInterestDays, "lines[1].interest_days")
	}
}
