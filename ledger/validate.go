package ledger

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Request limits.
const (
	MaxPostings      = 1000
	MaxKeyLength     = 128
	MaxNameLength    = 128
	MaxItemScale     = MaxQuantityScale
	MaxMetadataItems = 64
)

// ValidateName checks an identifier-like string: non-empty, at most
// MaxNameLength characters, no control characters.
func ValidateName(s, field string) error {
	if s == "" {
		return BadArgument(field, "is required")
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return BadArgument(field, "is longer than %d characters", MaxNameLength)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return BadArgument(field, "contains a control character")
		}
	}
	return nil
}

// ValidateBook checks a book definition before it is created.
func ValidateBook(b Book) error {
	if err := ValidateName(b.ID, "book_id"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, a := range b.Accounts {
		if err := ValidateName(a, fmt.Sprintf("accounts[%d]", i)); err != nil {
			return err
		}
		if seen[a] {
			return BadArgument(fmt.Sprintf("accounts[%d]", i), "account %q is listed twice", a)
		}
		seen[a] = true
	}
	return nil
}

// ValidateItem checks an item definition before it is registered.
func ValidateItem(it Item, field string) error {
	if err := ValidateName(it.Book, field+".book_id"); err != nil {
		return err
	}
	if err := ValidateName(it.Code, field+".code"); err != nil {
		return err
	}
	if err := ValidateName(it.Unit, field+".unit"); err != nil {
		return err
	}
	if it.Scale < 0 || it.Scale > MaxItemScale {
		return BadArgument(field+".scale", "must be between 0 and %d, got %d", MaxItemScale, it.Scale)
	}
	return nil
}

// ValidateReverse checks a reversal request's own fields: book, journal,
// idempotency key and effective date.
func ValidateReverse(r ReverseRequest) error {
	if err := ValidateName(r.Book, "book_id"); err != nil {
		return err
	}
	if r.JournalID <= 0 {
		return BadArgument("journal_id", "is required")
	}
	if err := validateKeyAndDate(r.IdempotencyKey, r.EffectiveDate); err != nil {
		return err
	}
	return nil
}

func validateKeyAndDate(key string, day time.Time) error {
	if key == "" {
		return BadArgument("idempotency_key", "is required: choose a unique key per intended journal and reuse it when you retry")
	}
	if len(key) > MaxKeyLength {
		return BadArgument("idempotency_key", "is longer than %d bytes", MaxKeyLength)
	}
	if day.IsZero() {
		return BadArgument("effective_date", "is required (and 0001-01-01 is no date): write the movement's business date, YYYY-MM-DD, on or after %s", FormatDate(EarliestEffectiveDate))
	}
	if day.Before(EarliestEffectiveDate) {
		return Invalid(ReasonDateOutOfRange, "effective_date", "%s is before %s, the earliest date the ledger takes; write the movement's business date (YYYY-MM-DD)",
			FormatDate(day), FormatDate(EarliestEffectiveDate))
	}
	return nil
}

// EarliestEffectiveDate is the earliest effective date the ledger takes:
// the year China's first bonded zone opened (Shanghai Waigaoqiao, 1990).
// An earlier date is a typing error or a placeholder (0001-01-01,
// 1900-01-01), never a movement of goods. The latest date is the zone's
// today plus the store's horizon (WorkingSet.SetLatestDate).
var EarliestEffectiveDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// BusinessDate is a document's business date (业务日期): today when d is
// zero, else d's day, refused (DATE_OUT_OF_RANGE, field "date") unless it
// falls between EarliestEffectiveDate and today. what names the document
// in the message ("a repair order").
func BusinessDate(d, today time.Time, what string) (time.Time, error) {
	if d.IsZero() {
		return today, nil
	}
	d = Day(d)
	if d.Before(EarliestEffectiveDate) || d.After(today) {
		return d, Invalid(ReasonDateOutOfRange, "date", "%s is dated between %s and today (%s), got %s",
			what, FormatDate(EarliestEffectiveDate), FormatDate(today), FormatDate(d))
	}
	return d, nil
}

// ValidateShape checks what can be checked of a journal request without the
// ledger's state: required fields, signs, decimal places of values, posting
// count. Checks against items and accounts happen in WorkingSet.Apply.
func ValidateShape(req JournalRequest) error {
	if err := ValidateName(req.Book, "book_id"); err != nil {
		return err
	}
	if err := validateKeyAndDate(req.IdempotencyKey, req.EffectiveDate); err != nil {
		return err
	}
	if len(req.Metadata) > MaxMetadataItems {
		return BadArgument("metadata", "has more than %d entries", MaxMetadataItems)
	}
	if len(req.Postings) == 0 {
		return BadArgument("postings", "a journal needs at least one posting")
	}
	if len(req.Postings) > MaxPostings {
		return BadArgument("postings", "a journal takes at most %d postings; split it", MaxPostings)
	}
	for i, p := range req.Postings {
		f := fmt.Sprintf("postings[%d]", i)
		if err := ValidateName(p.Item.Code, f+".item_code"); err != nil {
			return err
		}
		if err := ValidateName(p.Item.Book, f+".item_book_id"); err != nil {
			return err
		}
		if err := ValidateName(p.From.Name, f+".from.name"); err != nil {
			return err
		}
		if err := ValidateName(p.To.Name, f+".to.name"); err != nil {
			return err
		}
		if p.From == p.To {
			return BadArgument(f+".to", "goods cannot move from %s to itself", p.From)
		}
		if p.From.IsWorld() && p.To.IsWorld() {
			return BadArgument(f, "a posting must touch at least one book account")
		}
		if p.Quantity.Sign() <= 0 {
			return Invalid(ReasonNonPositiveQuantity, f+".quantity", "must be greater than zero, got %s; to undo a movement, reverse its journal", p.Quantity)
		}
		if p.Value.Sign() < 0 {
			return Invalid(ReasonNegativeValue, f+".value", "must not be negative, got %s", p.Value)
		}
		if Places(p.Value) > ValueScale {
			return Invalid(ReasonTooManyDecimals, f+".value", "money is kept to the fen (2 decimal places), got %s", p.Value)
		}
		if !p.From.IsWorld() && !p.Value.IsZero() {
			return BadArgument(f+".value", "goods leaving a book account move at their carrying value; leave value empty")
		}
		if p.Unit == "" {
			return Invalid(ReasonUnitMismatch, f+".unit", "is required and must be the item's unit")
		}
		if len(p.Legs) != 0 {
			return BadArgument(f+".legs", "are filled in by the ledger; leave them empty")
		}
	}
	return nil
}
