package zone

import (
	"time"

	"github.com/zoneledger/zoneledger/ledger"
)

// The window of business dates the zone takes. A date outside it is a
// typing error (1900-01-01, 2206-03-01), not a movement: the zone's books
// are electronic books of the 金关二期 era, so no document is dated before
// EarliestBusinessDate; a movement is never dated after the zone's today
// (lists, consumption reports, display movements); a business form may
// start at most FormStartsAheadDays after today, and a gate event at most
// a clock skew ahead of the server's clock.
var EarliestBusinessDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// FormStartsAheadDays is how far after the zone's today a business form's
// period (valid_from) may start.
const FormStartsAheadDays = 90

// checkBusinessDate refuses a date before EarliestBusinessDate or after the
// zone's today plus aheadDays, naming field.
func (s *Service) checkBusinessDate(field string, d time.Time, aheadDays int) error {
	if d.Before(EarliestBusinessDate) {
		return ledger.BadArgument(field, "the date %s is before %s, the earliest business date the zone takes; check the year", ledger.FormatDate(d), ledger.FormatDate(EarliestBusinessDate))
	}
	today := s.today()
	if last := today.AddDate(0, 0, aheadDays); d.After(last) {
		if aheadDays == 0 {
			return ledger.BadArgument(field, "the business date %s is in the future: the zone's today is %s", ledger.FormatDate(d), ledger.FormatDate(today))
		}
		return ledger.BadArgument(field, "the date %s is more than %d days after the zone's today %s; the latest it may be is %s", ledger.FormatDate(d), aheadDays, ledger.FormatDate(today), ledger.FormatDate(last))
	}
	return nil
}
