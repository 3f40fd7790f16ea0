// Package taxapi serves the tax engine (customs/tax) over gRPC as
// zoneledger.customs.v1.TaxService: it parses the wire request strictly,
// asks the engine for a quote and returns every amount as a decimal string
// to the fen. Every error is a gRPC status made by grpcedge.Status, with a
// stable reason and the request field at fault, e.g. "lines[2].dutiable_value".
package taxapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Server implements customsv1.TaxServiceServer over a tax.Engine. It holds
// no state of its own and is safe for concurrent use.
type Server struct {
	customsv1.UnimplementedTaxServiceServer
	engine *tax.Engine
}

// NewServer returns a TaxService computing quotes with engine.
func NewServer(engine *tax.Engine) *Server {
	return &Server{engine: engine}
}

// Quote computes the taxes of one document. It reads nothing private, so
// any authenticated principal may call it (authentication is the
// interceptors' job).
func (s *Server) Quote(_ context.Context, r *customsv1.QuoteRequest) (*customsv1.QuoteResponse, error) {
	req, err := RequestFromProto(r)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	q, err := s.engine.Quote(req)
	if err != nil {
		return nil, grpcedge.Status(wireField(err))
	}
	return QuoteToProto(q), nil
}

// regimes maps wire regimes to the engine's; REGIME_UNSPECIFIED and unknown
// values are absent.
var regimes = map[customsv1.Regime]tax.Regime{
	customsv1.Regime_REGIME_GENERAL_TRADE:       tax.GeneralTrade,
	customsv1.Regime_REGIME_CROSS_BORDER_RETAIL: tax.CrossBorderRetail,
	customsv1.Regime_REGIME_DOMESTIC_SALE:       tax.DomesticSale,
}

// bases maps wire duty bases to the engine's; DUTY_BASIS_UNSPECIFIED maps
// to the empty basis (the engine's default).
var bases = map[customsv1.DutyBasis]tax.DutyBasis{
	customsv1.DutyBasis_DUTY_BASIS_UNSPECIFIED:    "",
	customsv1.DutyBasis_DUTY_BASIS_FINISHED_GOODS: tax.BasisFinishedGoods,
	customsv1.DutyBasis_DUTY_BASIS_MATERIALS:      tax.BasisMaterials,
}

var basesBack = map[tax.DutyBasis]customsv1.DutyBasis{
	tax.BasisFinishedGoods: customsv1.DutyBasis_DUTY_BASIS_FINISHED_GOODS,
	tax.BasisMaterials:     customsv1.DutyBasis_DUTY_BASIS_MATERIALS,
}

// RequestFromProto converts a wire request into a tax.Request, parsing every
// decimal and date strictly. Errors are *ledger.Error values naming the wire
// field, e.g. "lines[2].dutiable_value". It does not run the engine's
// checks (negative amounts, places, rate ranges); Quote does.
func RequestFromProto(r *customsv1.QuoteRequest) (tax.Request, error) {
	var out tax.Request
	regime, ok := regimes[r.GetRegime()]
	if !ok {
		return out, ledger.Invalid(tax.ReasonInvalidRegime, "regime",
			"regime %v is not one of REGIME_GENERAL_TRADE, REGIME_CROSS_BORDER_RETAIL, REGIME_DOMESTIC_SALE", r.GetRegime())
	}
	out.Regime = regime
	day, err := ledger.ParseDate(r.GetDate(), "date")
	if err != nil {
		return out, err
	}
	out.Date = day
	if out.AnnualUsed, err = ledger.ParseOptionalDecimal(r.GetAnnualUsed(), "annual_used"); err != nil {
		return out, err
	}
	if len(r.GetLines()) == 0 {
		return out, ledger.Invalid(tax.ReasonNoLines, "lines", "a quote needs at least one line")
	}
	out.Lines = make([]tax.Line, 0, len(r.GetLines()))
	for i, pl := range r.GetLines() {
		l, err := lineFromProto(pl, fmt.Sprintf("lines[%d]", i))
		if err != nil {
			return out, err
		}
		out.Lines = append(out.Lines, l)
	}
	return out, shareCharges(r, &out)
}

// shareCharges adds a cross-border order's freight and insurance to its
// lines' dutiable values, shared as customs shares them when it assesses
// the inventory list (tax.LineValues).
func shareCharges(r *customsv1.QuoteRequest, out *tax.Request) error {
	var charges decimal.Decimal
	for _, c := range []struct{ field, value string }{{"freight", r.GetFreight()}, {"insurance", r.GetInsurance()}} {
		d, err := ledger.ParseOptionalDecimal(c.value, c.field)
		if err != nil {
			return err
		}
		if d.IsNegative() || !d.Equal(d.Round(2)) {
			return ledger.Invalid(tax.ReasonInvalidAmount, c.field, "%s is not an amount in CNY to the fen", c.value)
		}
		if !d.IsZero() && out.Regime != tax.CrossBorderRetail {
			return ledger.BadArgument(c.field,
				"is shared over the lines only under REGIME_CROSS_BORDER_RETAIL; under %v add it to the lines' dutiable_value yourself", r.GetRegime())
		}
		charges = charges.Add(d)
	}
	if charges.IsZero() {
		return nil
	}
	totals := make([]decimal.Decimal, len(out.Lines))
	goods := decimal.Zero
	for i, l := range out.Lines {
		totals[i] = l.DutiableValue
		goods = goods.Add(l.DutiableValue)
	}
	for i, v := range tax.LineValues(goods.Add(charges), totals) {
		out.Lines[i].DutiableValue = v
	}
	return nil
}

func lineFromProto(pl *customsv1.QuoteLine, field string) (tax.Line, error) {
	var l tax.Line
	var err error
	l.HSCode = pl.GetHsCode()
	if l.DutiableValue, err = ledger.ParseDecimal(pl.GetDutiableValue(), field+".dutiable_value"); err != nil {
		return l, err
	}
	if l.Quantity, err = ledger.ParseOptionalDecimal(pl.GetQuantity(), field+".quantity"); err != nil {
		return l, err
	}
	if l.Quantity2, err = ledger.ParseOptionalDecimal(pl.GetQuantity2(), field+".quantity2"); err != nil {
		return l, err
	}
	l.Unit, l.Unit2 = pl.GetUnit(), pl.GetUnit2()
	if l.Rates, err = explicitRates(pl, field); err != nil {
		return l, err
	}
	if l.HSCode == "" {
		if l.Rates == nil {
			return l, ledger.Invalid(tax.ReasonInvalidHSCode, field+".hs_code",
				"give hs_code (rates from the tariff) or explicit duty_rate and vat_rate")
		}
		l.HSCode = noHSCode
	}
	l.Pieces = int(pl.GetPieces())
	basis, ok := bases[pl.GetDutyBasis()]
	if !ok {
		return l, ledger.Invalid(tax.ReasonInvalidDutyBasis, field+".duty_basis",
			"duty basis %v is not one of DUTY_BASIS_FINISHED_GOODS, DUTY_BASIS_MATERIALS", pl.GetDutyBasis())
	}
	l.DutyBasis = basis
	l.InterestDays = int(pl.GetDays())
	for j, pm := range pl.GetMaterials() {
		m, err := materialFromProto(pm, fmt.Sprintf("%s.materials[%d]", field, j))
		if err != nil {
			return l, err
		}
		l.Materials = append(l.Materials, m)
	}
	return l, nil
}

// explicitRates returns the line's explicit ad valorem rates, or nil when it
// states none (the tariff row of its HS code applies).
func explicitRates(pl *customsv1.QuoteLine, field string) (*tax.Rates, error) {
	if pl.GetDutyRate() == "" && pl.GetVatRate() == "" && pl.GetConsumptionTaxRate() == "" {
		return nil, nil
	}
	for _, f := range []struct{ name, v string }{{"duty_rate", pl.GetDutyRate()}, {"vat_rate", pl.GetVatRate()}} {
		if f.v == "" {
			return nil, ledger.Invalid(tax.ReasonInvalidRate, field+"."+f.name,
				"explicit rates need both duty_rate and vat_rate (consumption_tax_rate is optional)")
		}
	}
	duty, err := ledger.ParseDecimal(pl.GetDutyRate(), field+".duty_rate")
	if err != nil {
		return nil, err
	}
	vat, err := ledger.ParseDecimal(pl.GetVatRate(), field+".vat_rate")
	if err != nil {
		return nil, err
	}
	r := &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: duty}, VAT: tax.VAT{Rate: vat}}
	if s := pl.GetConsumptionTaxRate(); s != "" {
		ct, err := ledger.ParseDecimal(s, field+".consumption_tax_rate")
		if err != nil {
			return nil, err
		}
		r.Consumption = tax.Levy{Kind: tax.AdValorem, Rate: ct}
	}
	return r, nil
}

func materialFromProto(pm *customsv1.Material, field string) (tax.Goods, error) {
	var g tax.Goods
	var err error
	g.HSCode = pm.GetHsCode()
	if g.DutiableValue, err = ledger.ParseDecimal(pm.GetDutiableValue(), field+".dutiable_value"); err != nil {
		return g, err
	}
	if g.Quantity, err = ledger.ParseOptionalDecimal(pm.GetQuantity(), field+".quantity"); err != nil {
		return g, err
	}
	g.Unit = pm.GetUnit()
	if s := pm.GetDutyRate(); s != "" {
		r, err := ledger.ParseDecimal(s, field+".duty_rate")
		if err != nil {
			return g, err
		}
		g.Rates = &tax.Rates{Duty: tax.Levy{Kind: tax.AdValorem, Rate: r}}
	}
	if g.HSCode == "" {
		if g.Rates == nil {
			return g, ledger.Invalid(tax.ReasonInvalidHSCode, field+".hs_code",
				"give hs_code (rate from the tariff) or an explicit duty_rate")
		}
		g.HSCode = noHSCode
	}
	return g, nil
}

// noHSCode stands in for the HS code of goods that state explicit rates but
// no code: the engine wants 10 digits on every line, and with explicit rates
// it never looks the code up. Chapter 00 does not exist in the tariff, so the
// stand-in cannot be mistaken for a real code; QuoteToProto blanks it.
const noHSCode = "0000000000"

// engineFields renames the engine's request paths to the wire's: the engine
// names explicit rates "rates.duty.rate" and the interest period
// "interest_days"; the wire has "duty_rate" and "days". Longer names first:
// at one position the first match in this list wins.
var engineFields = strings.NewReplacer(
	".rates.consumption.rate", ".consumption_tax_rate",
	".rates.duty.rate", ".duty_rate",
	".rates.vat.rate", ".vat_rate",
	".rates.consumption", ".consumption_tax_rate",
	".rates.duty", ".duty_rate",
	".rates.vat", ".vat_rate",
	".interest_days", ".days",
)

// wireField returns err with its field renamed to the wire's, when it is a
// *ledger.Error.
func wireField(err error) error {
	var le *ledger.Error
	if !errors.As(err, &le) || le.Field == "" {
		return err
	}
	c := *le
	c.Field = engineFields.Replace(le.Field)
	return &c
}

// QuoteToProto converts a quote to its wire form, every amount to the fen.
func QuoteToProto(q tax.Quote) *customsv1.QuoteResponse {
	out := &customsv1.QuoteResponse{
		Rule:           string(q.Rule),
		Duty:           fen(q.Duty),
		ConsumptionTax: fen(q.ConsumptionTax),
		Vat:            fen(q.VAT),
		Interest:       fen(q.Interest),
		Total:          fen(q.Total),
		Tariff:         q.Tariff,
	}
	for _, k := range q.Waived {
		out.Waived = append(out.Waived, string(k))
	}
	for _, l := range q.Lines {
		out.Lines = append(out.Lines, &customsv1.LineQuote{
			HsCode:         strings.TrimPrefix(l.HSCode, noHSCode),
			Duty:           fen(l.Duty),
			ConsumptionTax: fen(l.ConsumptionTax),
			Vat:            fen(l.VAT),
			Interest:       fen(l.Interest),
			Total:          fen(l.Total),
			DutyBasis:      basesBack[l.DutyBasis],
			VatRate:        l.Rates.VAT.Rate.String(),
			InterestRate:   l.InterestRate.String(),
			InterestExempt: l.InterestExempt,
		})
	}
	return out
}

func fen(d decimal.Decimal) string { return d.StringFixed(ledger.ValueScale) }
