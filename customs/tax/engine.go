package tax

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// Regime is the customs regime goods are taxed under.
type Regime string

// The regimes.
const (
	// GeneralTrade is an ordinary import (一般贸易): duty, consumption tax
	// and VAT in full (进出口关税条例 / 关税法, VAT and consumption-tax rules).
	GeneralTrade Regime = "GENERAL_TRADE"
	// CrossBorderRetail is cross-border e-commerce retail import
	// (跨境电商零售进口, 1210 / 9610; 财关税〔2016〕18号, 〔2018〕49号). One Request is one order.
	CrossBorderRetail Regime = "CROSS_BORDER_RETAIL"
	// DomesticSale is a sale out of the zone into the domestic market
	// (内销), with the duty basis chosen per line (选择性征收关税, 选择性征收关税, https://www.10100.com/article/489747).
	DomesticSale Regime = "DOMESTIC_SALE"
)

// DutyBasis is what the duty of a domestic sale is computed on (选择性征收关税, https://www.10100.com/article/489747).
type DutyBasis string

// The duty bases. An empty basis on a DOMESTIC_SALE line means
// BasisFinishedGoods.
const (
	// BasisFinishedGoods computes duty on the finished good's value at its
	// own rate (按成品 / 实际报验状态).
	BasisFinishedGoods DutyBasis = "FINISHED_GOODS"
	// BasisMaterials computes duty on the imported materials' values at
	// their rates (按料件), plus 缓税利息.
	BasisMaterials DutyBasis = "MATERIALS"
)

// Rule says how a quote was taxed.
type Rule string

// The rules a Quote reports.
const (
	// RuleGeneralTrade: a GENERAL_TRADE request, taxed in full.
	RuleGeneralTrade Rule = "GENERAL_TRADE"
	// RuleDomesticSale: a DOMESTIC_SALE request, duty per line on the
	// chosen basis, VAT and consumption tax on the finished good.
	RuleDomesticSale Rule = "DOMESTIC_SALE"
	// RuleCrossBorderWithinLimits: a cross-border order within the single
	// and annual limits: duty 0, VAT and consumption tax at
	// Settings.CrossBorderFactor (70 %) of the statutory amounts.
	RuleCrossBorderWithinLimits Rule = "CROSS_BORDER_WITHIN_LIMITS"
	// RuleCrossBorderSingleItemFull: a cross-border order of one
	// indivisible item (one line, Pieces 1) over the single limit but within
	// the annual limit: it may stay in the channel, and counts toward the
	// annual total, but duty, consumption tax and VAT are charged in full.
	RuleCrossBorderSingleItemFull Rule = "CROSS_BORDER_SINGLE_ITEM_FULL"
	// RuleCrossBorderOverSingleLimit: a cross-border order of several items
	// over the single limit; it must be declared as general trade, and is
	// quoted as such.
	RuleCrossBorderOverSingleLimit Rule = "CROSS_BORDER_OVER_SINGLE_LIMIT"
	// RuleCrossBorderOverAnnualLimit: a cross-border order that would take
	// the buyer's annual total over the annual limit; it must be declared as
	// general trade, and is quoted as such.
	RuleCrossBorderOverAnnualLimit Rule = "CROSS_BORDER_OVER_ANNUAL_LIMIT"
)

// Goods are dutiable goods: a quote line, or a material of one.
type Goods struct {
	// HSCode is the 10-digit commodity code (商品编码).
	HSCode string
	// DutiableValue is the customs value (完税价格) in CNY, to the fen. For
	// cross-border retail: the goods' actual price incl. non-cash
	// deductions, plus freight and insurance allocated to the line (财关税〔2016〕18号, 〔2018〕49号).
	DutiableValue decimal.Decimal
	// Quantity is the first legal quantity (法定第一数量) in Unit.
	Quantity decimal.Decimal
	// Unit is the unit of Quantity (a customs unit code, e.g. "035").
	Unit string
	// Quantity2 is the second legal quantity, in Unit2, if any.
	Quantity2 decimal.Decimal
	// Unit2 is the unit of Quantity2.
	Unit2 string
	// Rates, when set, are used instead of the tariff row for HSCode.
	// For a material only the duty is used.
	Rates *Rates
}

// Line is one line of a quote: goods, and for a domestic sale the duty
// basis, the materials and the 缓税利息 period.
type Line struct {
	Goods
	// Pieces is the number of pieces (件数) in the declared unit. Cross-border
	// retail uses it to tell a single indivisible item (one line, Pieces 1);
	// zero means not stated.
	Pieces int
	// DutyBasis is the domestic-sale duty basis; empty means
	// BasisFinishedGoods. Must be empty in other regimes.
	DutyBasis DutyBasis
	// Materials are the imported materials the finished good consumed, for
	// BasisMaterials: duty is computed on each at its own rate.
	Materials []Goods
	// InterestDays is the 缓税利息 period in days (计息期限: from the
	// book's latest write-off, or its first import, to the tax notice;
	// GACC 公告2009年第13号 and 第14号), for BasisMaterials, or for a
	// GeneralTaxpayerSale.
	InterestDays int
	// GeneralTaxpayerSale says the line is the bonded part of goods a VAT
	// general-taxpayer pilot enterprise (一纳企业) sells to the domestic
	// market (清单类型 9): taxed on the goods' actual state with 缓税利息
	// (customs-reference §5.7), whatever Settings.InterestOnFinishedGoods
	// says of other sales.
	GeneralTaxpayerSale bool
}

// Request asks for the taxes on a document: a declaration, a 清单, a
// cross-border order.
type Request struct {
	// Regime is the regime the goods are taxed under.
	Regime Regime
	// Date is the date of the declaration / tax payment notice (its calendar
	// date in its own location): it selects the tariff rows, VAT rates and
	// the 缓税利息 rate.
	Date time.Time
	// Lines are the document's lines.
	Lines []Line
	// AnnualUsed is, for CROSS_BORDER_RETAIL only, the buyer's cross-border
	// total already counted in the current year before this order, in CNY.
	AnnualUsed decimal.Decimal
}

// MaterialQuote is the duty of one material of a BasisMaterials line.
type MaterialQuote struct {
	// HSCode is the material's commodity code.
	HSCode string
	// Duty is the duty levy applied to the material.
	Duty Levy
	// DutyExact is the material's exact, unrounded duty; the line's duty is
	// the sum of these, rounded once.
	DutyExact decimal.Decimal
}

// LineQuote is the taxes of one line, each rounded half-up to the fen once.
type LineQuote struct {
	// HSCode is the line's commodity code.
	HSCode string
	// Rates are the rates applied, with the VAT band resolved into
	// VAT.Rate.
	Rates Rates
	// DutyBasis is the domestic-sale duty basis applied; empty elsewhere.
	DutyBasis DutyBasis
	// Materials are the material duties of a BasisMaterials line.
	Materials []MaterialQuote
	// Duty is the import duty payable.
	Duty decimal.Decimal
	// ConsumptionTax is the consumption tax payable.
	ConsumptionTax decimal.Decimal
	// VAT is the import VAT payable.
	VAT decimal.Decimal
	// Interest is the 缓税利息 payable.
	Interest decimal.Decimal
	// InterestRate is the annual 缓税利息 rate applied (zero when none is
	// charged).
	InterestRate decimal.Decimal
	// InterestExempt is true when interest days were given but the date
	// falls in Settings.InterestExemptions.
	InterestExempt bool
	// Total is Duty + ConsumptionTax + VAT + Interest.
	Total decimal.Decimal
}

// Quote is the taxes of a document. Its totals are sums of the rounded line
// amounts.
type Quote struct {
	// Regime is the requested regime.
	Regime Regime
	// Date is the calendar date the quote was computed for.
	Date time.Time
	// Rule says how the document was taxed.
	Rule Rule
	// Lines are the line quotes, in request order.
	Lines []LineQuote
	// Duty is the sum of the lines' duty.
	Duty decimal.Decimal
	// ConsumptionTax is the sum of the lines' consumption tax.
	ConsumptionTax decimal.Decimal
	// VAT is the sum of the lines' VAT.
	VAT decimal.Decimal
	// Interest is the sum of the lines' 缓税利息.
	Interest decimal.Decimal
	// Total is the sum of the lines' totals.
	Total decimal.Decimal
	// Waived lists the taxes not collected under the de-minimis rule
	// (Settings.DeMinimis); their amounts are zero in every line.
	Waived []TaxKind
	// Tariff is the name of the tariff the rates were looked up in
	// (Tariff.Name); SampleTariffName while the illustrative sample is in
	// force.
	Tariff string
}

// Engine computes quotes from Settings and a Tariff. It is immutable and
// safe for concurrent use.
type Engine struct {
	s      Settings
	tariff *Tariff
}

// NewEngine validates s and returns an engine looking rates up in t. t may
// be nil when every line states its Rates.
func NewEngine(s Settings, t *Tariff) (*Engine, error) {
	s, err := s.normalize()
	if err != nil {
		return nil, err
	}
	return &Engine{s: s, tariff: t}, nil
}

// Tariff is the tariff the engine looks rates up in; nil when it has none.
func (e *Engine) Tariff() *Tariff { return e.tariff }

// line is a validated line with its rates resolved and its exact duties and
// specific amounts computed.
type line struct {
	Line
	rates     Rates // VAT resolved
	basis     DutyBasis
	materials []MaterialQuote
	// duty is the line's own (finished-good) duty; materialsDuty the sum of
	// the material duties.
	duty, materialsDuty decimal.Decimal
	// ctSpecific is the specific part of the consumption tax (quantity ×
	// amount per unit).
	ctSpecific     decimal.Decimal
	interestRate   decimal.Decimal
	interestExempt bool
}

// taxes are a line's exact amounts payable.
type taxes struct{ duty, ct, vat, interest exact }

// Quote computes the taxes of req. Errors are *ledger.Error values with a
// reason from this package and the field at fault, e.g. "lines[2].hs_code".
func (e *Engine) Quote(req Request) (Quote, error) {
	switch req.Regime {
	case GeneralTrade, CrossBorderRetail, DomesticSale:
	default:
		return Quote{}, ledger.Invalid(ReasonInvalidRegime, "regime",
			"unknown regime %q; use GENERAL_TRADE, CROSS_BORDER_RETAIL or DOMESTIC_SALE", req.Regime)
	}
	if req.Date.IsZero() {
		return Quote{}, ledger.Invalid(ReasonInvalidDate, "date", "the date of the declaration or tax notice is required")
	}
	day := civil(req.Date)
	if len(req.Lines) == 0 {
		return Quote{}, ledger.Invalid(ReasonNoLines, "lines", "a quote needs at least one line")
	}
	if req.Regime == CrossBorderRetail {
		if err := checkAmount(req.AnnualUsed, "annual_used"); err != nil {
			return Quote{}, err
		}
	} else if !req.AnnualUsed.IsZero() {
		return Quote{}, ledger.Invalid(ReasonInvalidAmount, "annual_used", "the annual total applies to CROSS_BORDER_RETAIL only")
	}

	lines := make([]line, len(req.Lines))
	for i, l := range req.Lines {
		var err error
		if lines[i], err = e.prepare(req.Regime, day, l, fmt.Sprintf("lines[%d]", i)); err != nil {
			return Quote{}, err
		}
	}

	rule := RuleGeneralTrade
	switch req.Regime {
	case DomesticSale:
		rule = RuleDomesticSale
	case CrossBorderRetail:
		rule = e.crossBorderRule(req.AnnualUsed, lines)
	}

	ts := make([]taxes, len(lines))
	for i, l := range lines {
		ts[i] = e.taxes(l, rule == RuleCrossBorderWithinLimits)
	}
	q := Quote{Regime: req.Regime, Date: day, Rule: rule, Tariff: e.tariff.Name()}
	if rule != RuleCrossBorderWithinLimits && rule != RuleCrossBorderSingleItemFull {
		q.Waived = e.deMinimis(ts)
	}
	for i, l := range lines {
		if l.InterestDays > 0 && !l.interestExempt {
			ts[i].interest = e.interest(ts[i], l)
		}
	}

	q.Lines = make([]LineQuote, len(lines))
	for i, l := range lines {
		t := ts[i]
		lq := LineQuote{
			HSCode:         l.HSCode,
			Rates:          l.rates,
			DutyBasis:      l.basis,
			Materials:      l.materials,
			Duty:           t.duty.fen(),
			ConsumptionTax: t.ct.fen(),
			VAT:            t.vat.fen(),
			Interest:       t.interest.fen(),
			InterestRate:   l.interestRate,
			InterestExempt: l.interestExempt,
		}
		lq.Total = lq.Duty.Add(lq.ConsumptionTax).Add(lq.VAT).Add(lq.Interest)
		q.Lines[i] = lq
		q.Duty = q.Duty.Add(lq.Duty)
		q.ConsumptionTax = q.ConsumptionTax.Add(lq.ConsumptionTax)
		q.VAT = q.VAT.Add(lq.VAT)
		q.Interest = q.Interest.Add(lq.Interest)
		q.Total = q.Total.Add(lq.Total)
	}
	return q, nil
}

// crossBorderRule classifies a cross-border order (财关税〔2016〕18号, 〔2018〕49号). Limits are
// inclusive: an order of exactly the single limit is within it.
func (e *Engine) crossBorderRule(annualUsed decimal.Decimal, lines []line) Rule {
	order := decimal.Zero
	for _, l := range lines {
		order = order.Add(l.DutiableValue)
	}
	switch {
	case annualUsed.Add(order).GreaterThan(e.s.CrossBorderAnnualLimit):
		return RuleCrossBorderOverAnnualLimit
	case !order.GreaterThan(e.s.CrossBorderSingleLimit):
		return RuleCrossBorderWithinLimits
	case len(lines) == 1 && lines[0].Pieces == 1:
		return RuleCrossBorderSingleItemFull
	default:
		return RuleCrossBorderOverSingleLimit
	}
}

// base returns x as it enters the base of a later tax: exact, or rounded to
// the fen (Settings.TaxBase).
func (e *Engine) base(x exact) exact {
	if e.s.TaxBase == RoundedBase {
		return whole(x.fen())
	}
	return x
}

// taxes computes a line's exact duty, consumption tax and VAT.
//
//	duty = V × r + Q × s                                  (进出口关税条例 / 关税法, VAT and consumption-tax rules; specific / compound)
//	CT   = (V + D + S) × c / (1 − c) + S                   (进出口关税条例 / 关税法, VAT and consumption-tax rules; S = Q × specific, compound)
//	VAT  = (V + D + CT) × v                                (进出口关税条例 / 关税法, VAT and consumption-tax rules)
//
// Within the cross-border limits (preferential) duty is 0 and CT and VAT
// are the statutory amounts (with duty 0) times the cross-border factor.
func (e *Engine) taxes(l line, preferential bool) taxes {
	value := whole(l.DutiableValue)
	var duty, dutyInBase exact
	switch {
	case preferential:
		duty, dutyInBase = zeroExact, zeroExact
	case l.basis == BasisMaterials:
		duty = whole(l.materialsDuty)
		dutyInBase = e.base(duty)
		if e.s.SelectiveBase == FinishedDutyInBase {
			dutyInBase = e.base(whole(l.duty))
		}
	default:
		duty = whole(l.duty)
		dutyInBase = e.base(duty)
	}

	ct := zeroExact
	if l.rates.Consumption.Kind != "" {
		c := l.rates.Consumption.Rate // zero for SPECIFIC
		s := whole(l.ctSpecific)      // zero for AD_VALOREM
		ct = value.add(dutyInBase).add(s).mul(c).div(one.Sub(c)).add(s)
	}
	vat := value.add(dutyInBase).add(e.base(ct)).mul(l.rates.VAT.Rate)

	if preferential {
		f := e.s.CrossBorderFactor
		return taxes{duty: zeroExact, ct: ct.mul(f), vat: vat.mul(f), interest: zeroExact}
	}
	return taxes{duty: duty, ct: ct, vat: vat, interest: zeroExact}
}

// deMinimis zeroes each tax of Settings.DeMinimisTaxes whose document total
// (the sum of the rounded line amounts) is positive and at or below (or,
// with DeMinimisStrictlyBelow, below) Settings.DeMinimis, and returns the
// kinds it zeroed.
func (e *Engine) deMinimis(ts []taxes) []TaxKind {
	if !e.s.DeMinimis.IsPositive() {
		return nil
	}
	var waived []TaxKind
	for _, kind := range e.s.DeMinimisTaxes {
		pick := func(t *taxes) *exact {
			switch kind {
			case TaxDuty:
				return &t.duty
			case TaxConsumption:
				return &t.ct
			default:
				return &t.vat
			}
		}
		total := decimal.Zero
		for i := range ts {
			total = total.Add(pick(&ts[i]).fen())
		}
		c := total.Cmp(e.s.DeMinimis)
		if !total.IsPositive() || c > 0 || (c == 0 && e.s.DeMinimisStrictlyBelow) {
			continue
		}
		for i := range ts {
			*pick(&ts[i]) = zeroExact
		}
		waived = append(waived, kind)
	}
	return waived
}

// interest computes 缓税利息 = tax × days × annual rate / 360 (GACC 公告2009年第13号) on the
// taxes payable after the de-minimis rule: duty, consumption tax and VAT
// (应征税额, the default), or the duty alone (Settings.InterestBase).
func (e *Engine) interest(t taxes, l line) exact {
	b := e.base(t.duty)
	if e.s.InterestBase == InterestOnAllTaxes {
		b = b.add(e.base(t.ct)).add(e.base(t.vat))
	}
	return b.mul(decimal.NewFromInt(int64(l.InterestDays))).mul(l.interestRate).div(decimal.NewFromInt(360))
}

// prepare validates a line for regime, resolves its rates on day and
// computes its exact duties and specific amounts.
func (e *Engine) prepare(regime Regime, day time.Time, in Line, field string) (line, error) {
	l := line{Line: in}
	rates, err := e.checkGoods(day, in.Goods, field)
	if err != nil {
		return l, err
	}
	if l.rates, err = e.resolveVAT(day, rates, in.Rates != nil, field); err != nil {
		return l, err
	}
	if in.Pieces < 0 {
		return l, ledger.Invalid(ReasonInvalidQuantity, field+".pieces", "pieces %d is negative", in.Pieces)
	}
	if in.InterestDays < 0 {
		return l, ledger.Invalid(ReasonInvalidInterestDays, field+".interest_days", "interest days %d is negative", in.InterestDays)
	}
	if l.duty, err = dutyOf(in.Goods, rates.Duty, field); err != nil {
		return l, err
	}
	if l.ctSpecific, err = specificAmount(in.Goods, rates.Consumption, field); err != nil {
		return l, err
	}

	if regime != DomesticSale {
		switch {
		case in.DutyBasis != "":
			return l, ledger.Invalid(ReasonInvalidDutyBasis, field+".duty_basis", "a duty basis applies to DOMESTIC_SALE only")
		case len(in.Materials) > 0:
			return l, ledger.Invalid(ReasonMaterialsNotAllowed, field+".materials", "materials apply to a DOMESTIC_SALE on the MATERIALS basis only")
		case in.InterestDays != 0:
			return l, ledger.Invalid(ReasonInvalidInterestDays, field+".interest_days", "缓税利息 applies to DOMESTIC_SALE only")
		}
		return l, nil
	}

	l.basis = in.DutyBasis
	switch l.basis {
	case "", BasisFinishedGoods:
		l.basis = BasisFinishedGoods
		if len(in.Materials) > 0 {
			return l, ledger.Invalid(ReasonMaterialsNotAllowed, field+".materials", "materials apply to the MATERIALS duty basis only")
		}
		if in.InterestDays != 0 && !e.s.InterestOnFinishedGoods && !in.GeneralTaxpayerSale {
			return l, ledger.Invalid(ReasonInvalidInterestDays, field+".interest_days",
				"no 缓税利息 is charged on a sale taxed on the finished good (Settings.InterestOnFinishedGoods)")
		}
	case BasisMaterials:
		if len(in.Materials) == 0 {
			return l, ledger.Invalid(ReasonMaterialsRequired, field+".materials", "the MATERIALS duty basis needs the materials")
		}
		l.materials = make([]MaterialQuote, len(in.Materials))
		for j, m := range in.Materials {
			mf := fmt.Sprintf("%s.materials[%d]", field, j)
			mr, err := e.checkGoods(day, m, mf)
			if err != nil {
				return l, err
			}
			d, err := dutyOf(m, mr.Duty, mf)
			if err != nil {
				return l, err
			}
			l.materials[j] = MaterialQuote{HSCode: m.HSCode, Duty: mr.Duty, DutyExact: d}
			l.materialsDuty = l.materialsDuty.Add(d)
		}
	default:
		return l, ledger.Invalid(ReasonInvalidDutyBasis, field+".duty_basis",
			"unknown duty basis %q; use FINISHED_GOODS or MATERIALS", in.DutyBasis)
	}

	if in.InterestDays > 0 {
		if slices.ContainsFunc(e.s.InterestExemptions, func(r DateRange) bool {
			return !day.Before(r.From) && !day.After(r.Through)
		}) {
			l.interestExempt = true
		} else if rate, ok := rateOn(e.s.InterestRates, day); ok {
			l.interestRate = rate
		} else {
			return l, ledger.Invalid(ReasonNoRateOnDate, field+".interest_days",
				"no 缓税利息 rate in force on %s (Settings.InterestRates)", day.Format(time.DateOnly))
		}
	}
	return l, nil
}

// checkGoods validates goods and returns their rates: the explicit Rates,
// or the tariff row for the HS code valid on day.
func (e *Engine) checkGoods(day time.Time, g Goods, field string) (Rates, error) {
	if !validHS(g.HSCode) {
		return Rates{}, ledger.Invalid(ReasonInvalidHSCode, field+".hs_code", "HS code %q must be exactly 10 digits", g.HSCode)
	}
	if err := checkAmount(g.DutiableValue, field+".dutiable_value"); err != nil {
		return Rates{}, err
	}
	for _, q := range []struct {
		name string
		v    decimal.Decimal
	}{{"quantity", g.Quantity}, {"quantity2", g.Quantity2}} {
		if q.v.IsNegative() {
			return Rates{}, ledger.Invalid(ReasonInvalidQuantity, field+"."+q.name, "quantity %s is negative", q.v)
		}
		if ledger.Places(q.v) > ledger.MaxQuantityScale {
			return Rates{}, ledger.Invalid(ReasonInvalidQuantity, field+"."+q.name,
				"quantity %s has more than %d decimal places", q.v, ledger.MaxQuantityScale)
		}
	}
	if g.Rates != nil {
		return *g.Rates, validateRates(*g.Rates, field+".rates")
	}
	row, ok := e.tariff.Lookup(g.HSCode, day)
	if !ok {
		return Rates{}, ledger.NotFound(ReasonNoTariffRow, field+".hs_code",
			"no tariff row for %s is valid on %s; load one or state the line's rates", g.HSCode, day.Format(time.DateOnly))
	}
	return row.Rates, nil
}

// resolveVAT fills r.VAT.Rate from the band's dated table.
func (e *Engine) resolveVAT(day time.Time, r Rates, explicit bool, field string) (Rates, error) {
	var table []DatedRate
	switch r.VAT.Band {
	case StandardBand:
		table = e.s.VATStandard
	case ReducedBand:
		table = e.s.VATReduced
	default:
		return r, nil
	}
	rate, ok := rateOn(table, day)
	if !ok {
		f := field + ".hs_code"
		if explicit {
			f = field + ".rates.vat.band"
		}
		return r, ledger.Invalid(ReasonNoRateOnDate, f, "no %s VAT rate in force on %s", r.VAT.Band, day.Format(time.DateOnly))
	}
	r.VAT.Rate = rate
	return r, nil
}

// dutyOf is the exact duty of goods: V × rate + Q × amount per unit.
func dutyOf(g Goods, duty Levy, field string) (decimal.Decimal, error) {
	s, err := specificAmount(g, duty, field)
	if err != nil {
		return s, err
	}
	if duty.hasRate() {
		s = s.Add(g.DutiableValue.Mul(duty.Rate))
	}
	return s, nil
}

// specificAmount is the per-unit part of a levy: the goods' quantity in the
// levy's unit × the amount per unit. A levy naming a unit takes the
// quantity the goods state in that unit (Unit or Unit2); a levy with no
// unit takes Quantity.
func specificAmount(g Goods, l Levy, field string) (decimal.Decimal, error) {
	if !l.hasSpecific() {
		return decimal.Zero, nil
	}
	q, qf := g.Quantity, field+".quantity"
	switch l.Unit {
	case "", g.Unit:
	case g.Unit2:
		q, qf = g.Quantity2, field+".quantity2"
	default:
		return decimal.Zero, ledger.Invalid(ReasonUnitMismatch, field+".unit",
			"the specific levy is per unit %q; state the quantity in that unit (unit %q, unit2 %q)", l.Unit, g.Unit, g.Unit2)
	}
	if !q.IsPositive() {
		return decimal.Zero, ledger.Invalid(ReasonQuantityRequired, qf,
			"a specific levy per unit %q needs a positive quantity", l.Unit)
	}
	return q.Mul(l.Specific), nil
}

// checkAmount checks an amount of money: not negative, at most to the fen.
func checkAmount(d decimal.Decimal, field string) error {
	if d.IsNegative() {
		return ledger.Invalid(ReasonInvalidAmount, field, "amount %s is negative", d)
	}
	if ledger.Places(d) > ledger.ValueScale {
		return ledger.Invalid(ReasonInvalidAmount, field, "amount %s has more than %d decimal places; CNY is kept to the fen", d, ledger.ValueScale)
	}
	return nil
}
