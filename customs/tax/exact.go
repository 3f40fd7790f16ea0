package tax

import "github.com/shopspring/decimal"

// exact is an exact amount num/den. Tax formulas divide by (1 − consumption
// rate) and by 360 days; keeping the quotient as a fraction of two decimals
// lets every intermediate stay exact, so each tax amount is rounded exactly
// once (DESIGN "Numbers"). den is never zero.
type exact struct{ num, den decimal.Decimal }

var (
	one = decimal.NewFromInt(1)
	// zeroExact is the exact zero.
	zeroExact = exact{decimal.Zero, one}
)

// whole returns d as an exact amount.
func whole(d decimal.Decimal) exact { return exact{d, one} }

// add returns a + b.
func (a exact) add(b exact) exact {
	if a.den.Equal(b.den) {
		return exact{a.num.Add(b.num), a.den}
	}
	return exact{a.num.Mul(b.den).Add(b.num.Mul(a.den)), a.den.Mul(b.den)}
}

// mul returns a × d.
func (a exact) mul(d decimal.Decimal) exact { return exact{a.num.Mul(d), a.den} }

// div returns a / d; d must not be zero.
func (a exact) div(d decimal.Decimal) exact { return exact{a.num, a.den.Mul(d)} }

// fen rounds a half-up (away from zero; amounts are never negative) to the
// fen, exactly: DivRound decides on the true remainder, not on a truncated
// quotient.
func (a exact) fen() decimal.Decimal { return a.num.DivRound(a.den, 2) }
