package ledger

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestParseDecimalSaysTheLimit: a well-formed number too long for the
// ledger (29-40 digits and beyond, or more than 12 decimal places) is
// refused as out of range with the real limit, not called "not a decimal
// number"; the longest accepted numbers parse exactly.
func TestParseDecimalSaysTheLimit(t *testing.T) {
	for _, ok := range []string{strings.Repeat("9", 28), "-" + strings.Repeat("9", 28) + "." + strings.Repeat("9", 12), "0.000000000001"} {
		d, err := ParseDecimal(ok, "q")
		if err != nil || d.String() != ok {
			t.Errorf("ParseDecimal(%s) = %s, %v", ok, d, err)
		}
	}
	for _, c := range []struct{ s, says string }{
		{strings.Repeat("1", 29), "29 digits before the decimal point; the ledger accepts at most 28"},
		{strings.Repeat("1", 35) + ".5", "35 digits before the decimal point; the ledger accepts at most 28"},
		{"-" + strings.Repeat("4", 40), "40 digits before the decimal point; the ledger accepts at most 28"},
		{"1." + strings.Repeat("0", 13), "13 decimal places; the ledger accepts at most 12"},
	} {
		_, err := ParseDecimal(c.s, "postings[0].quantity")
		var le *Error
		if !errors.As(err, &le) || le.Reason != ReasonDecimalOutOfRange || le.Field != "postings[0].quantity" || !strings.Contains(le.Message, c.says) {
			t.Errorf("ParseDecimal(%s): %v; want %s saying %q", c.s, err, ReasonDecimalOutOfRange, c.says)
		}
	}
	for _, bad := range []string{"1e40", "1,000", "", "--1", "1.", ".5"} {
		_, err := ParseDecimal(bad, "q")
		var le *Error
		if !errors.As(err, &le) || le.Reason != ReasonMalformedDecimal {
			t.Errorf("ParseDecimal(%q): %v; want %s", bad, err, ReasonMalformedDecimal)
		}
	}
}

func TestFormatMoneyWritesTheFenAndKeepsFinerPlaces(t *testing.T) {
	for in, want := range map[string]string{"12": "12.00", "0": "0.00", "1.5": "1.50", "1.234": "1.234", "-3.1": "-3.10"} {
		if got := FormatMoney(decimal.RequireFromString(in)); got != want {
			t.Errorf("FormatMoney(%s) = %s, want %s", in, got, want)
		}
	}
}
