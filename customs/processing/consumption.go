package processing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// Precision limits of a norm's figures.
const (
	// NormPlaces is the most decimal places 净耗, 工艺损耗率 and 保税料件比例
	// may have, and the places a 单耗 that does not terminate is shown to.
	NormPlaces = 9
)

var (
	hundred = decimal.NewFromInt(100)
	zero    = decimal.Zero
)

// Norm is the unit consumption (单耗) of one material line in one unit of a
// finished (or semi-finished) good, as a version declares it.
type Norm struct {
	// MaterialSeq is the material's book line (料件备案序号).
	MaterialSeq int
	// Net is the net consumption (净耗): the quantity of the material, in
	// its line's declared unit, physically embodied in one unit of the
	// good (in the good's declared unit). > 0, at most NormPlaces places.
	Net decimal.Decimal
	// LossPercent is the process loss rate (工艺损耗率) in percent of the
	// material consumed: 0 <= rate < 100.
	LossPercent decimal.Decimal
	// BondedPercent is the bonded share of the material (保税料件比例) in
	// percent, when the good is made partly of non-bonded material:
	// 0 < share <= 100; zero when filing means 100.
	BondedPercent decimal.Decimal
	// UnitConsumption is 单耗 = 净耗 / (1 − 工艺损耗率), derived: exact when
	// the quotient terminates within NormPlaces places, else rounded
	// half-up to NormPlaces places and UnitConsumptionExact is false.
	// Quantities consumed never use this rounded figure: they are computed
	// from Net and LossPercent (Consume).
	UnitConsumption      decimal.Decimal
	UnitConsumptionExact bool
}

// checkNorm validates a norm's figures and derives its 单耗; f is the
// request field of the norm.
func checkNorm(n *Norm, f string) error {
	if !n.Net.IsPositive() {
		return ledger.Invalid(ReasonInvalidNorm, f+".net", "净耗 must be > 0, got %s", n.Net)
	}
	if ledger.Places(n.Net) > NormPlaces {
		return ledger.Invalid(ledger.ReasonTooManyDecimals, f+".net", "净耗 takes at most %d decimal places, got %s", NormPlaces, n.Net)
	}
	if n.LossPercent.IsNegative() || n.LossPercent.GreaterThanOrEqual(hundred) {
		return ledger.Invalid(ReasonLossRateOutOfRange, f+".loss_percent",
			"工艺损耗率 is %s %%; it must be at least 0 and below 100 %% (单耗 = 净耗 / (1 − 工艺损耗率) has no value at 100 %% or more)", n.LossPercent)
	}
	if ledger.Places(n.LossPercent) > NormPlaces {
		return ledger.Invalid(ledger.ReasonTooManyDecimals, f+".loss_percent", "工艺损耗率 takes at most %d decimal places, got %s", NormPlaces, n.LossPercent)
	}
	if n.BondedPercent.IsZero() {
		n.BondedPercent = hundred
	}
	if !n.BondedPercent.IsPositive() || n.BondedPercent.GreaterThan(hundred) {
		return ledger.Invalid(ReasonInvalidNorm, f+".bonded_percent", "保税料件比例 is %s %%; it must be above 0 and at most 100 %% (leave it empty for 100)", n.BondedPercent)
	}
	if ledger.Places(n.BondedPercent) > NormPlaces {
		return ledger.Invalid(ledger.ReasonTooManyDecimals, f+".bonded_percent", "保税料件比例 takes at most %d decimal places, got %s", NormPlaces, n.BondedPercent)
	}
	n.UnitConsumption, n.UnitConsumptionExact = UnitConsumption(n.Net, n.LossPercent)
	return nil
}

// UnitConsumption returns 单耗 = net / (1 − lossPercent / 100): exact (and
// true) when the quotient terminates within NormPlaces decimal places,
// otherwise rounded half-up to NormPlaces places (and false). lossPercent
// must be below 100.
func UnitConsumption(net, lossPercent decimal.Decimal) (decimal.Decimal, bool) {
	num, den := net.Mul(hundred), hundred.Sub(lossPercent)
	q := num.DivRound(den, NormPlaces)
	return q.Truncate(ledger.Places(q)), q.Mul(den).Equal(num)
}

// Consumed is what a cumulative quantity of a good has consumed of one
// material, each figure rounded half-up once to the material line's scale.
type Consumed struct {
	// Bonded is the bonded material consumed:
	// Q × 净耗 × 保税料件比例 / (1 − 工艺损耗率).
	Bonded decimal.Decimal
	// NonBonded is the non-bonded material consumed:
	// Q × 净耗 × (1 − 保税料件比例) / (1 − 工艺损耗率).
	NonBonded decimal.Decimal
	// Loss is the process loss (工艺损耗) of bonded and non-bonded material
	// together: Q × 净耗 × 工艺损耗率 / (1 − 工艺损耗率).
	Loss decimal.Decimal
}

// Sub returns c − o, figure by figure.
func (c Consumed) Sub(o Consumed) Consumed {
	return Consumed{Bonded: c.Bonded.Sub(o.Bonded), NonBonded: c.NonBonded.Sub(o.NonBonded), Loss: c.Loss.Sub(o.Loss)}
}

// Add returns c + o, figure by figure.
func (c Consumed) Add(o Consumed) Consumed {
	return Consumed{Bonded: c.Bonded.Add(o.Bonded), NonBonded: c.NonBonded.Add(o.NonBonded), Loss: c.Loss.Add(o.Loss)}
}

// Consume returns what a cumulative quantity q of the good consumed of the
// norm's material, at the material line's scale. Each figure is one exact
// quotient rounded half-up once, and each grows with q, so a report books
// Consume(before + its quantity) − Consume(before): any number of reports
// consumes, in total, exactly what one report of their sum does.
func (n Norm) Consume(q decimal.Decimal, scale int32) Consumed {
	den := hundred.Sub(n.LossPercent)
	base := q.Mul(n.Net)
	return Consumed{
		Bonded:    base.Mul(n.BondedPercent).DivRound(den, scale),
		NonBonded: base.Mul(hundred.Sub(n.BondedPercent)).DivRound(den, scale),
		Loss:      base.Mul(n.LossPercent).DivRound(den, scale),
	}
}

// String shows the norm as "line 3: 净耗 0.95, 损耗 5 %".
func (n Norm) String() string {
	return fmt.Sprintf("line %d: 净耗 %s, 损耗 %s %%, 保税 %s %%", n.MaterialSeq, n.Net, n.LossPercent, n.BondedPercent)
}
