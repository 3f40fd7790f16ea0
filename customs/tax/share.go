package tax

import "github.com/shopspring/decimal"

// LineValues splits a cross-border order's dutiable value over its lines:
// each line's total plus its share of the charges beyond the goods
// (dutiable minus the sum of totals: freight and insurance), pro rata to
// the line totals and rounded half-up to the fen, the last line taking
// what rounding leaves, so that the lines sum exactly to the dutiable
// value. Customs assesses an inventory list's lines on these values, and
// TaxService.Quote shares a request's freight and insurance the same way,
// so a platform's quote and customs' assessment agree to the fen.
func LineValues(dutiable decimal.Decimal, totals []decimal.Decimal) []decimal.Decimal {
	goods := decimal.Zero
	for _, t := range totals {
		goods = goods.Add(t)
	}
	extra := dutiable.Sub(goods)
	out := make([]decimal.Decimal, len(totals))
	allocated := decimal.Zero
	for i, t := range totals {
		share := decimal.Zero
		if goods.IsPositive() {
			share = extra.Mul(t).Div(goods).Round(2)
		}
		if i == len(totals)-1 {
			share = extra.Sub(allocated)
		}
		allocated = allocated.Add(share)
		out[i] = t.Add(share)
	}
	return out
}
