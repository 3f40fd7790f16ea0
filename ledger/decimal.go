package ledger

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Number limits from the customs data model: quantities carry at most
// MaxQuantityScale decimal places, money is kept to the fen.
const (
	MaxQuantityScale = 5
	ValueScale       = 2
)

// The size of a decimal the ledger accepts in a request: at most
// MaxIntegerDigits digits before the point and MaxFractionDigits after it
// (a quantity then has at most its item's scale, at most MaxQuantityScale;
// an amount at most ValueScale). Sums of many such numbers stay exact: the
// columns are unconstrained NUMERIC.
const (
	MaxIntegerDigits  = 28
	MaxFractionDigits = 12
)

var (
	decimalPattern = regexp.MustCompile(`^-?[0-9]{1,28}(\.[0-9]{1,12})?$`)
	// plainDecimal is decimalPattern without the size limits.
	plainDecimal = regexp.MustCompile(`^-?([0-9]+)(?:\.([0-9]+))?$`)
)

// ParseDecimal parses a plain decimal string ("12", "-0.5", "3.14159") with no
// exponent, no spaces and no thousands separators. field names the request
// field for the error. A number with more than MaxIntegerDigits digits
// before the point or MaxFractionDigits after it is refused as out of range
// (ReasonDecimalOutOfRange), saying the limit.
func ParseDecimal(s, field string) (decimal.Decimal, error) {
	if !decimalPattern.MatchString(s) {
		if m := plainDecimal.FindStringSubmatch(s); m != nil {
			if n := len(m[1]); n > MaxIntegerDigits {
				return decimal.Decimal{}, Invalid(ReasonDecimalOutOfRange, field,
					"the number has %d digits before the decimal point; the ledger accepts at most %d (and at most %d decimal places, fewer for a quantity: its item's scale, 0-%d)",
					n, MaxIntegerDigits, MaxFractionDigits, MaxQuantityScale)
			}
			return decimal.Decimal{}, Invalid(ReasonDecimalOutOfRange, field,
				"the number has %d decimal places; the ledger accepts at most %d (a quantity at most its item's scale, 0-%d; an amount %d)",
				len(m[2]), MaxFractionDigits, MaxQuantityScale, ValueScale)
		}
		return decimal.Decimal{}, Invalid(ReasonMalformedDecimal, field,
			"%q is not a decimal number; write digits with an optional '.' and fraction, e.g. \"12.5\"", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, Invalid(ReasonMalformedDecimal, field, "%q is not a decimal number", s)
	}
	return d, nil
}

// ParseOptionalDecimal is ParseDecimal, with "" meaning zero.
func ParseOptionalDecimal(s, field string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Zero, nil
	}
	return ParseDecimal(s, field)
}

// Places returns the number of decimal places d needs once trailing zeros are
// dropped: Places(1.2500) == 2.
func Places(d decimal.Decimal) int32 {
	s := d.String() // String drops trailing fractional zeros.
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return int32(len(s) - i - 1)
	}
	return 0
}

// FormatMoney writes an amount of money to the fen, never dropping places
// it has: 12 is "12.00", 1.005 stays "1.005".
func FormatMoney(d decimal.Decimal) string {
	if Places(d) <= ValueScale {
		return d.StringFixed(ValueScale)
	}
	return d.String()
}

// RoundValue rounds an amount of money half-up (away from zero) to the fen.
func RoundValue(d decimal.Decimal) decimal.Decimal { return d.Round(ValueScale) }

// dateLayout is the one date format of the ledger: ISO 8601 calendar dates.
const dateLayout = "2006-01-02"

// ParseDate parses a YYYY-MM-DD date into UTC midnight.
func ParseDate(s, field string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, BadArgument(field, "%q is not a date; write YYYY-MM-DD", s)
	}
	return t, nil
}

// FormatDate formats t as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format(dateLayout) }

// Day truncates t to its calendar day in UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DefaultTimeZone is the zone's time zone unless one is configured: every
// Chinese zone keeps Beijing time.
const DefaultTimeZone = "Asia/Shanghai"

// DayIn returns the calendar day of instant t in the zone's time zone loc
// (nil: UTC), in the ledger's form of a date (UTC midnight of that day).
// "Today" is DayIn(time.Now(), loc) everywhere: the ledger's horizon, the
// customs services' business dates, the demo and the bench.
func DayIn(t time.Time, loc *time.Location) time.Time {
	if loc != nil {
		t = t.In(loc)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
