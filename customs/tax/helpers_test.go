package tax_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// d parses a decimal literal; tests never use float.
func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// on is a calendar date.
func on(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// newEngine returns an engine on the sample tariff with the default
// settings, changed by each mutator.
func newEngine(t *testing.T, mutate ...func(*tax.Settings)) *tax.Engine {
	t.Helper()
	s := tax.DefaultSettings()
	for _, m := range mutate {
		m(&s)
	}
	e, err := tax.NewEngine(s, tax.SampleTariff())
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}

// noDeMinimis turns the de-minimis exemption off, so that small worked
// examples show every tax.
func noDeMinimis(s *tax.Settings) { s.DeMinimis = decimal.Zero }

// goods builds a line of hs worth value.
func goods(hs, value string) tax.Line {
	return tax.Line{Goods: tax.Goods{HSCode: hs, DutiableValue: d(value)}}
}

// quote runs a quote that must succeed.
func quote(t *testing.T, e *tax.Engine, regime tax.Regime, day time.Time, lines ...tax.Line) tax.Quote {
	t.Helper()
	q, err := e.Quote(tax.Request{Regime: regime, Date: day, Lines: lines})
	if err != nil {
		t.Fatalf("Quote: %v", err)
	}
	return q
}

// amounts are expected amounts as decimal strings: duty, consumption tax,
// VAT, interest, total.
type amounts struct{ duty, ct, vat, interest, total string }

func eq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("%s = %s, want %s", what, got.String(), want)
	}
}

// wantLine checks a line quote's amounts.
func wantLine(t *testing.T, lq tax.LineQuote, want amounts) {
	t.Helper()
	eq(t, "line duty", lq.Duty, want.duty)
	eq(t, "line consumption tax", lq.ConsumptionTax, want.ct)
	eq(t, "line VAT", lq.VAT, want.vat)
	eq(t, "line interest", lq.Interest, want.interest)
	eq(t, "line total", lq.Total, want.total)
}

// wantQuote checks a quote's totals.
func wantQuote(t *testing.T, q tax.Quote, want amounts) {
	t.Helper()
	eq(t, "duty", q.Duty, want.duty)
	eq(t, "consumption tax", q.ConsumptionTax, want.ct)
	eq(t, "VAT", q.VAT, want.vat)
	eq(t, "interest", q.Interest, want.interest)
	eq(t, "total", q.Total, want.total)
}

// wantErr checks that err is a ledger error with kind, reason and field.
func wantErr(t *testing.T, err error, kind ledger.Kind, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) {
		t.Fatalf("error = %v, want a *ledger.Error %s on %q", err, reason, field)
	}
	if le.Kind != kind || le.Reason != reason || le.Field != field {
		t.Errorf("error = {%s %s %q} %q, want {%s %s %q}", le.Kind, le.Reason, le.Field, le.Message, kind, reason, field)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	day, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return day
}

func mustLocation(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}
