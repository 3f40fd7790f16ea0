package tax

// Stable reasons of tax errors, carried in ledger.Error.Reason (and, at the
// gRPC edge, in ErrorInfo.reason). Clients match on these strings; never
// change one once released. Every error also names the field at fault, e.g.
// "lines[2].hs_code" or, for the tariff CSV, "line 7, column duty_rate".
const (
	// ReasonInvalidRegime: the regime is not one of the Regime constants.
	ReasonInvalidRegime = "TAX_INVALID_REGIME"
	// ReasonInvalidDate: the quote date is missing.
	ReasonInvalidDate = "TAX_INVALID_DATE"
	// ReasonNoLines: a quote needs at least one line.
	ReasonNoLines = "TAX_NO_LINES"
	// ReasonInvalidHSCode: an HS code is not exactly 10 digits.
	ReasonInvalidHSCode = "TAX_INVALID_HS_CODE"
	// ReasonNoTariffRow: no tariff row for the HS code is valid on the quote
	// date (or the engine has no tariff), and the line states no Rates.
	ReasonNoTariffRow = "TAX_NO_TARIFF_ROW"
	// ReasonInvalidAmount: an amount of money is negative or has more than
	// two decimal places (CNY is kept to the fen).
	ReasonInvalidAmount = "TAX_INVALID_AMOUNT"
	// ReasonInvalidQuantity: a quantity is negative or has more than five
	// decimal places, or a piece count is negative.
	ReasonInvalidQuantity = "TAX_INVALID_QUANTITY"
	// ReasonQuantityRequired: a specific (per-unit) levy applies but the
	// line states no quantity in the levy's unit.
	ReasonQuantityRequired = "TAX_QUANTITY_REQUIRED"
	// ReasonUnitMismatch: a specific levy is per a unit the line does not
	// state a quantity in.
	ReasonUnitMismatch = "TAX_UNIT_MISMATCH"
	// ReasonInvalidRate: a rate or levy is malformed (unknown kind, negative
	// rate, a consumption-tax or VAT rate of 100 % or more, a field that does
	// not belong to the kind).
	ReasonInvalidRate = "TAX_INVALID_RATE"
	// ReasonNoRateOnDate: a dated rate table (VAT band, 缓税利息 rate) has no
	// entry in force on the quote date.
	ReasonNoRateOnDate = "TAX_NO_RATE_ON_DATE"
	// ReasonInvalidDutyBasis: the duty basis is unknown, or given outside
	// DOMESTIC_SALE.
	ReasonInvalidDutyBasis = "TAX_INVALID_DUTY_BASIS"
	// ReasonMaterialsRequired: the MATERIALS duty basis needs at least one
	// material.
	ReasonMaterialsRequired = "TAX_MATERIALS_REQUIRED"
	// ReasonMaterialsNotAllowed: materials are given on a line whose duty is
	// not computed on materials.
	ReasonMaterialsNotAllowed = "TAX_MATERIALS_NOT_ALLOWED"
	// ReasonInvalidInterestDays: interest days are negative, or given where
	// no 缓税利息 is charged.
	ReasonInvalidInterestDays = "TAX_INVALID_INTEREST_DAYS"
	// ReasonInvalidSettings: Settings failed validation in NewEngine.
	ReasonInvalidSettings = "TAX_INVALID_SETTINGS"
	// ReasonInvalidTariff: the tariff CSV is malformed; the field names the
	// line and column.
	ReasonInvalidTariff = "TAX_INVALID_TARIFF"
)
