package tax

import (
	"github.com/shopspring/decimal"
	"github.com/zoneledger/zoneledger/ledger"
)

// LevyKind says how a duty or a consumption tax is levied.
type LevyKind string

// The levy kinds. The empty kind means no levy (a zero amount).
const (
	// AdValorem (从价) levies Rate on a value.
	AdValorem LevyKind = "AD_VALOREM"
	// Specific (从量) levies Specific CNY per unit of quantity.
	Specific LevyKind = "SPECIFIC"
	// Compound (复合) levies both Rate and Specific.
	Compound LevyKind = "COMPOUND"
)

// Levy is one duty or consumption-tax rate: a kind, an ad valorem rate as a
// fraction (0.05 for 5 %), and a specific amount in CNY per Unit.
type Levy struct {
	// Kind selects which of Rate and Specific apply; empty means no levy.
	Kind LevyKind
	// Rate is the ad valorem rate as a fraction, for AdValorem and Compound.
	Rate decimal.Decimal
	// Specific is the amount in CNY per Unit, for Specific and Compound.
	Specific decimal.Decimal
	// Unit is the legal unit the specific amount is per (a customs unit
	// code such as "035" for 千克, compared as an opaque string). Empty means
	// the line's first legal quantity, whatever its unit.
	Unit string
}

// hasRate reports whether the levy has an ad valorem part.
func (l Levy) hasRate() bool { return l.Kind == AdValorem || l.Kind == Compound }

// hasSpecific reports whether the levy has a per-unit part.
func (l Levy) hasSpecific() bool { return l.Kind == Specific || l.Kind == Compound }

// VATBand names a VAT rate that changes by date (Settings.VATStandard,
// Settings.VATReduced).
type VATBand string

// The VAT bands (domain 进出口关税条例 / 关税法, VAT and consumption-tax rules).
const (
	// StandardBand is the standard rate: 17 % → 16 % → 13 %.
	StandardBand VATBand = "STANDARD"
	// ReducedBand is the lower rate (9 % from 2019-04-01).
	ReducedBand VATBand = "REDUCED"
)

// VAT is an import-VAT rate: either a band resolved by date from Settings, or
// an explicit Rate when Band is empty.
type VAT struct {
	// Band, when set, takes the rate in force on the quote date.
	Band VATBand
	// Rate is the rate as a fraction; with a Band it must be zero on input
	// and is filled with the resolved rate in a LineQuote.
	Rate decimal.Decimal
}

// Rates are the rates of one tariff line: import duty, consumption tax and
// import VAT.
type Rates struct {
	// Duty is the import duty (关税).
	Duty Levy
	// Consumption is the consumption tax (消费税); usually no levy.
	Consumption Levy
	// VAT is the import VAT (进口环节增值税).
	VAT VAT
}

// validateLevy checks a levy's shape. consumption additionally requires the
// ad valorem rate below 100 %, since the composite price divides by 1 − rate.
// name gives the field name of a part: "kind", "rate", "specific" or "unit".
func validateLevy(l Levy, consumption bool, name func(part string) string) error {
	switch l.Kind {
	case "", AdValorem, Specific, Compound:
	default:
		return ledger.Invalid(ReasonInvalidRate, name("kind"),
			"unknown levy kind %q; use AD_VALOREM, SPECIFIC, COMPOUND or empty for none", l.Kind)
	}
	if l.hasRate() {
		if l.Rate.IsNegative() {
			return ledger.Invalid(ReasonInvalidRate, name("rate"), "rate %s is negative", l.Rate)
		}
		if consumption && l.Rate.GreaterThanOrEqual(one) {
			return ledger.Invalid(ReasonInvalidRate, name("rate"),
				"consumption-tax rate %s must be below 1 (rates are fractions: 0.15 for 15 %%)", l.Rate)
		}
	} else if !l.Rate.IsZero() {
		return ledger.Invalid(ReasonInvalidRate, name("rate"), "levy kind %s takes no ad valorem rate", kindName(l.Kind))
	}
	if l.hasSpecific() {
		if l.Specific.IsNegative() {
			return ledger.Invalid(ReasonInvalidRate, name("specific"), "specific amount %s is negative", l.Specific)
		}
	} else {
		if !l.Specific.IsZero() {
			return ledger.Invalid(ReasonInvalidRate, name("specific"), "levy kind %s takes no specific amount", kindName(l.Kind))
		}
		if l.Unit != "" {
			return ledger.Invalid(ReasonInvalidRate, name("unit"), "levy kind %s takes no unit", kindName(l.Kind))
		}
	}
	return nil
}

// kindName names a levy kind in messages.
func kindName(k LevyKind) string {
	if k == "" {
		return "empty (no levy)"
	}
	return string(k)
}

// validateVAT checks a VAT rate's shape; name gives the field name of a
// part: "band" or "rate".
func validateVAT(v VAT, name func(part string) string) error {
	switch v.Band {
	case StandardBand, ReducedBand:
		if !v.Rate.IsZero() {
			return ledger.Invalid(ReasonInvalidRate, name("rate"), "give either a VAT band or a rate, not both")
		}
	case "":
		if v.Rate.IsNegative() || v.Rate.GreaterThanOrEqual(one) {
			return ledger.Invalid(ReasonInvalidRate, name("rate"),
				"VAT rate %s must be at least 0 and below 1 (rates are fractions: 0.13 for 13 %%)", v.Rate)
		}
	default:
		return ledger.Invalid(ReasonInvalidRate, name("band"), "unknown VAT band %q; use STANDARD or REDUCED", v.Band)
	}
	return nil
}

// validateRates checks all three rates.
func validateRates(r Rates, field string) error {
	if err := validateLevy(r.Duty, false, subfield(field+".duty")); err != nil {
		return err
	}
	if err := validateLevy(r.Consumption, true, subfield(field+".consumption")); err != nil {
		return err
	}
	return validateVAT(r.VAT, subfield(field+".vat"))
}

// subfield returns a namer of the parts of field: subfield("x")("rate") is
// "x.rate".
func subfield(field string) func(string) string {
	return func(part string) string { return field + "." + part }
}
