package tax

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"github.com/zoneledger/zoneledger/ledger"
)

// DatedRate is a rate in force from a calendar date (inclusive) until the
// next entry of its table. Rates are fractions: 0.13 for 13 %.
type DatedRate struct {
	// From is the first calendar date the rate applies to.
	From time.Time
	// Rate is the rate as a fraction.
	Rate decimal.Decimal
}

// DateRange is a closed range of calendar dates, both ends included.
type DateRange struct {
	// From is the first calendar date of the range.
	From time.Time
	// Through is the last calendar date of the range.
	Through time.Time
}

// TaxKind names one of the taxes of a quote.
type TaxKind string

// The tax kinds.
const (
	// TaxDuty is import duty (关税).
	TaxDuty TaxKind = "DUTY"
	// TaxConsumption is consumption tax (消费税).
	TaxConsumption TaxKind = "CONSUMPTION_TAX"
	// TaxVAT is import VAT (进口环节增值税).
	TaxVAT TaxKind = "VAT"
)

// TaxBase says which duty and consumption-tax figures enter the base of the
// taxes computed from them (consumption tax, VAT, 缓税利息).
type TaxBase string

// The tax bases. The public sources (进出口关税条例 (2017) Art. 45, 关税法 Art. 32) does not say which one customs uses.
const (
	// ExactBase uses the exact, unrounded duty and consumption tax, so that
	// every intermediate is exact and each amount is rounded once (DESIGN
	// "Numbers"). The default.
	ExactBase TaxBase = "EXACT"
	// RoundedBase uses the duty and consumption tax as rounded to the fen,
	// i.e. the levied amounts printed on the payment notice.
	RoundedBase TaxBase = "ROUNDED"
)

// InterestBase says which taxes 缓税利息 is charged on.
type InterestBase string

// The interest bases.
const (
	// InterestOnAllTaxes charges interest on all the taxes due on the line,
	// duty + consumption tax + VAT: GACC 公告2009年第13号 gives the formula
	// 应征缓税利息 = 应征税额 × 计息期限 × 缓税利息率 / 360, and 应征税额 is the tax
	// due, not the duty alone. The default.
	InterestOnAllTaxes InterestBase = "ALL_TAXES"
	// InterestOnDuty charges interest on the line's duty only, the reading
	// of the selective-duty texts (财关税〔2016〕40号 as summarised by a third
	// party: "the interest on deferred tariff shall be paid") for the
	// materials option.
	InterestOnDuty InterestBase = "DUTY"
)

// SelectiveBase says which duty enters the consumption-tax and VAT base of a
// domestic sale whose duty is computed on the materials.
type SelectiveBase string

// The selective-duty bases.
const (
	// ChosenDutyInBase puts the duty actually charged (on the materials)
	// into the base. The default.
	ChosenDutyInBase SelectiveBase = "CHOSEN_DUTY"
	// FinishedDutyInBase puts the duty the finished good would bear into
	// the base, as if VAT and consumption tax were computed wholly "on the
	// finished product".
	FinishedDutyInBase SelectiveBase = "FINISHED_GOODS_DUTY"
)

// Settings are the engine's rules that the domain reference leaves dated,
// configurable or unconfirmed. Start from DefaultSettings and change what
// you must; the README lists every setting, its default and its source. An
// empty enum field means its default.
type Settings struct {
	// VATStandard is the standard VAT rate by date (进出口关税条例 / 关税法, VAT and consumption-tax rules; dates
	// UNCONFIRMED): 17 % from 1994-01-01, 16 % from 2018-05-01, 13 % from
	// 2019-04-01.
	VATStandard []DatedRate
	// VATReduced is the lower VAT band by date: 9 % from 2019-04-01, the only
	// value the reference gives; before that date the band has no rate.
	VATReduced []DatedRate

	// TaxBase: exact (default) or rounded duty and consumption tax in the
	// base of the taxes computed from them.
	TaxBase TaxBase

	// CrossBorderSingleLimit is the single-transaction limit of the
	// cross-border retail regime (财关税〔2016〕18号, 〔2018〕49号): 5,000 CNY, inclusive.
	CrossBorderSingleLimit decimal.Decimal
	// CrossBorderAnnualLimit is the personal annual limit: 26,000 CNY,
	// inclusive.
	CrossBorderAnnualLimit decimal.Decimal
	// CrossBorderFactor is the share of statutory VAT and consumption tax
	// charged within the limits: 0.7.
	CrossBorderFactor decimal.Decimal

	// DeMinimis is the per-consignment (一票货物) tax amount at or below
	// which a tax in DeMinimisTaxes is not collected (进出口关税条例 (2017) Art. 45, 关税法 Art. 32): 50 CNY. Zero
	// turns the exemption off. Never applied to cross-border retail.
	DeMinimis decimal.Decimal
	// DeMinimisStrictlyBelow exempts only amounts strictly below
	// DeMinimis. The default (false) reads "50元以下" as including 50, the
	// Chinese legal convention for 以下 (UNCONFIRMED for this article).
	DeMinimisStrictlyBelow bool
	// DeMinimisTaxes are the taxes the exemption applies to, each judged on
	// its own document total: duty only by default (关税条例 Art. 45; the
	// VAT / consumption-tax equivalent is UNCONFIRMED).
	DeMinimisTaxes []TaxKind

	// InterestRates is the 缓税利息 annual rate by date of the tax payment
	// notice (GACC 公告2009年第13号 and 第14号): 0.36 % from 2009-01-01, 0.35 % from 2015-01-01 (both
	// effective dates UNCONFIRMED; the reference gives only the years).
	InterestRates []DatedRate
	// InterestBase: the taxes interest is charged on; all taxes due
	// (应征税额: duty + consumption tax + VAT) by default, as the formula of
	// GACC 公告2009年第13号 reads; InterestOnDuty for duty only.
	InterestBase InterestBase
	// InterestExemptions are ranges of notice dates on which no 缓税利息 is
	// charged: 2020-04-15 through 2022-12-31 by default (GACC 公告2009年第13号 and 第14号; coverage of
	// 2021 and of zone enterprises UNCONFIRMED).
	InterestExemptions []DateRange
	// InterestOnFinishedGoods allows interest days on a domestic sale
	// taxed on the finished good. Default false: the reference's working
	// assumption is that such sales bear no 缓税利息 (GACC 公告2009年第13号 and 第14号), and interest
	// days on such a line are refused.
	InterestOnFinishedGoods bool

	// SelectiveBase: which duty enters the VAT and consumption-tax base
	// when duty is computed on the materials; the chosen (materials) duty
	// by default.
	SelectiveBase SelectiveBase
}

// date builds a calendar date.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// civil returns t's calendar date (in t's own location) as UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return date(y, m, d)
}

// DefaultSettings returns the defaults documented on each Settings field and
// in the README, taken from the domain the tax laws and announcements in customs/tax/README.md.
func DefaultSettings() Settings {
	pct := func(s string) decimal.Decimal { return decimal.RequireFromString(s).Shift(-2) }
	return Settings{
		VATStandard: []DatedRate{
			{From: date(1994, 1, 1), Rate: pct("17")},
			{From: date(2018, 5, 1), Rate: pct("16")},
			{From: date(2019, 4, 1), Rate: pct("13")},
		},
		VATReduced: []DatedRate{
			{From: date(2019, 4, 1), Rate: pct("9")},
		},
		TaxBase:                ExactBase,
		CrossBorderSingleLimit: decimal.NewFromInt(5000),
		CrossBorderAnnualLimit: decimal.NewFromInt(26000),
		CrossBorderFactor:      pct("70"),
		DeMinimis:              decimal.NewFromInt(50),
		DeMinimisTaxes:         []TaxKind{TaxDuty},
		InterestRates: []DatedRate{
			{From: date(2009, 1, 1), Rate: pct("0.36")},
			{From: date(2015, 1, 1), Rate: pct("0.35")},
		},
		InterestBase:       InterestOnAllTaxes,
		InterestExemptions: []DateRange{{From: date(2020, 4, 15), Through: date(2022, 12, 31)}},
		SelectiveBase:      ChosenDutyInBase,
	}
}

// Validate checks every setting. Its error is a *ledger.Error with reason
// ReasonInvalidSettings whose field names the setting, e.g.
// "settings.de_minimis" (the key tax.de_minimis of the zoneledger config
// file).
func (s Settings) Validate() error {
	_, err := s.normalize()
	return err
}

// normalize validates s and returns a copy the engine owns: enums defaulted,
// dates reduced to calendar dates, slices copied.
func (s Settings) normalize() (Settings, error) {
	var err error
	if s.VATStandard, err = normalizeTable(s.VATStandard, "settings.vat_standard"); err != nil {
		return s, err
	}
	if s.VATReduced, err = normalizeTable(s.VATReduced, "settings.vat_reduced"); err != nil {
		return s, err
	}
	if s.InterestRates, err = normalizeTable(s.InterestRates, "settings.interest_rates"); err != nil {
		return s, err
	}
	if s.TaxBase, err = enum(s.TaxBase, ExactBase, "settings.tax_base", ExactBase, RoundedBase); err != nil {
		return s, err
	}
	if s.InterestBase, err = enum(s.InterestBase, InterestOnAllTaxes, "settings.interest_base",
		InterestOnAllTaxes, InterestOnDuty); err != nil {
		return s, err
	}
	if s.SelectiveBase, err = enum(s.SelectiveBase, ChosenDutyInBase, "settings.selective_base",
		ChosenDutyInBase, FinishedDutyInBase); err != nil {
		return s, err
	}
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{
		{"settings.cross_border_single_limit", s.CrossBorderSingleLimit},
		{"settings.cross_border_annual_limit", s.CrossBorderAnnualLimit},
	} {
		if !f.v.IsPositive() {
			return s, ledger.Invalid(ReasonInvalidSettings, f.name, "limit %s must be positive", f.v)
		}
	}
	if s.CrossBorderFactor.IsNegative() || s.CrossBorderFactor.GreaterThan(one) {
		return s, ledger.Invalid(ReasonInvalidSettings, "settings.cross_border_factor",
			"factor %s must be between 0 and 1", s.CrossBorderFactor)
	}
	if s.DeMinimis.IsNegative() {
		return s, ledger.Invalid(ReasonInvalidSettings, "settings.de_minimis", "threshold %s is negative", s.DeMinimis)
	}
	kinds := slices.Clone(s.DeMinimisTaxes)
	for i, k := range kinds {
		field := fmt.Sprintf("settings.de_minimis_taxes[%d]", i)
		if k != TaxDuty && k != TaxConsumption && k != TaxVAT {
			return s, ledger.Invalid(ReasonInvalidSettings, field, "unknown tax kind %q; use DUTY, CONSUMPTION_TAX or VAT", k)
		}
		if slices.Contains(kinds[:i], k) {
			return s, ledger.Invalid(ReasonInvalidSettings, field, "tax kind %s listed twice", k)
		}
	}
	s.DeMinimisTaxes = kinds
	ranges := make([]DateRange, len(s.InterestExemptions))
	for i, r := range s.InterestExemptions {
		r = DateRange{From: civil(r.From), Through: civil(r.Through)}
		if r.From.After(r.Through) {
			return s, ledger.Invalid(ReasonInvalidSettings, fmt.Sprintf("settings.interest_exemptions[%d]", i),
				"range starts %s after it ends %s", r.From.Format(time.DateOnly), r.Through.Format(time.DateOnly))
		}
		ranges[i] = r
	}
	s.InterestExemptions = ranges
	return s, nil
}

// enum defaults an empty value to def and checks it is one of allowed.
func enum[T ~string](v, def T, field string, allowed ...T) (T, error) {
	if v == "" {
		return def, nil
	}
	if !slices.Contains(allowed, v) {
		return v, ledger.Invalid(ReasonInvalidSettings, field, "unknown value %q; use one of %v", v, allowed)
	}
	return v, nil
}

// normalizeTable checks a dated table: dates strictly ascending, rates at
// least 0 and below 1.
func normalizeTable(t []DatedRate, field string) ([]DatedRate, error) {
	out := make([]DatedRate, len(t))
	for i, r := range t {
		f := fmt.Sprintf("%s[%d]", field, i)
		r.From = civil(r.From)
		if r.Rate.IsNegative() || r.Rate.GreaterThanOrEqual(one) {
			return nil, ledger.Invalid(ReasonInvalidSettings, f+".rate",
				"rate %s must be at least 0 and below 1 (rates are fractions: 0.13 for 13 %%)", r.Rate)
		}
		if i > 0 && !r.From.After(out[i-1].From) {
			return nil, ledger.Invalid(ReasonInvalidSettings, f+".from", "dates must be strictly ascending")
		}
		out[i] = r
	}
	return out, nil
}

// rateOn returns the entry of t in force on day, if any.
func rateOn(t []DatedRate, day time.Time) (decimal.Decimal, bool) {
	for i := len(t) - 1; i >= 0; i-- {
		if !t[i].From.After(day) {
			return t[i].Rate, true
		}
	}
	return decimal.Decimal{}, false
}
