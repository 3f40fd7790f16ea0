package taxapi_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/taxapi"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

func newServer(t *testing.T) *taxapi.Server {
	t.Helper()
	e, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	if err != nil {
		t.Fatal(err)
	}
	return taxapi.NewServer(e)
}

// line is a cross-border line at explicit rates (duty 10 %, VAT 13 %,
// consumption tax 15 %), so that every fen of its value shows in its tax.
func line(value string) *customsv1.QuoteLine {
	return &customsv1.QuoteLine{DutiableValue: value, DutyRate: "0.10", VatRate: "0.13", ConsumptionTaxRate: "0.15", Quantity: "1", Unit: "007", Pieces: 1}
}

// TestQuoteSharesFreightAsCustoms: freight and insurance given with a
// cross-border quote are shared over the lines as customs shares them on
// the inventory list (pro rata to the line totals, to the fen, the last
// line taking the rest): 10.00 + 0.50 over three lines of 1.00 is 3.50,
// 3.50, 3.50; 10.00 over them is 3.33, 3.33, 3.34. The quote equals the one
// for the lines with their shares added, so a platform needs no copy of
// the sharing rule.
func TestQuoteSharesFreightAsCustoms(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	quote := func(freight, insurance string, values ...string) *customsv1.QuoteResponse {
		t.Helper()
		r := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: "2026-11-02", Freight: freight, Insurance: insurance}
		for _, v := range values {
			r.Lines = append(r.Lines, line(v))
		}
		q, err := s.Quote(ctx, r)
		if err != nil {
			t.Fatalf("Quote(freight %q, insurance %q, %v): %v", freight, insurance, values, err)
		}
		return q
	}
	for _, c := range []struct {
		freight, insurance string
		shared             []string
	}{
		{"10.00", "", []string{"4.33", "4.33", "4.34"}},
		{"10", "0.50", []string{"4.50", "4.50", "4.50"}},
		{"", "", []string{"1.00", "1.00", "1.00"}},
	} {
		got, want := quote(c.freight, c.insurance, "1.00", "1.00", "1.00"), quote("", "", c.shared...)
		if !proto.Equal(got, want) {
			t.Errorf("freight %q insurance %q:\n got %v\nwant %v (lines %v)", c.freight, c.insurance, got, want, c.shared)
		}
	}
	if a, b := quote("10.00", "", "1.00", "1.00", "1.00"), quote("", "", "4.34", "4.33", "4.33"); proto.Equal(a, b) {
		t.Errorf("the remainder went to the first line, not the last: %v", a)
	}
}

// TestQuoteRefusesChargesItCannotShare: freight outside cross-border
// retail, and freight that is not an amount to the fen, are refused naming
// the field.
func TestQuoteRefusesChargesItCannotShare(t *testing.T) {
	s := newServer(t)
	for _, c := range []struct {
		regime             customsv1.Regime
		freight, insurance string
		field, reason      string
	}{
		{customsv1.Regime_REGIME_GENERAL_TRADE, "10.00", "", "freight", errorsv1.Reason_INVALID_ARGUMENT.String()},
		{customsv1.Regime_REGIME_DOMESTIC_SALE, "", "1.00", "insurance", errorsv1.Reason_INVALID_ARGUMENT.String()},
		{customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, "10.001", "", "freight", errorsv1.Reason_TAX_INVALID_AMOUNT.String()},
		{customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, "", "-1", "insurance", errorsv1.Reason_TAX_INVALID_AMOUNT.String()},
	} {
		_, err := s.Quote(context.Background(), &customsv1.QuoteRequest{Regime: c.regime, Date: "2026-11-02", Freight: c.freight, Insurance: c.insurance,
			Lines: []*customsv1.QuoteLine{line("1.00")}})
		if status.Code(err) != codes.InvalidArgument || errorsv1.FieldOf(err) != c.field || errorsv1.ReasonOf(err) != c.reason {
			t.Errorf("%v freight %q insurance %q: %v (field %q, reason %q), want INVALID_ARGUMENT on %s, %s",
				c.regime, c.freight, c.insurance, err, errorsv1.FieldOf(err), errorsv1.ReasonOf(err), c.field, c.reason)
		}
	}
}
