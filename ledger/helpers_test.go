package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDatabaseErrorSaysWhatToDo: a store's database failure becomes
// UNAVAILABLE when busy or unreachable and INTERNAL when a statement was
// refused; the store's own errors and context errors pass through.
func TestDatabaseErrorSaysWhatToDo(t *testing.T) {
	busyErr, refusedErr, goneErr := errors.New("40001"), errors.New("42P01"), errors.New("connection reset")
	busy := func(err error) bool { return errors.Is(err, busyErr) }
	refused := func(err error) bool { return errors.Is(err, refusedErr) }
	own := NotFound(ReasonUnknownBook, "book_id", "no book")
	for _, c := range []struct {
		in       error
		want     Kind
		same     bool
		contains string
	}{
		{in: fmt.Errorf("commit: %w", busyErr), want: KindUnavailable, contains: "the zone's tables are busy"},
		{in: refusedErr, want: KindInternal, contains: "refused a query on the zone's tables"},
		{in: goneErr, want: KindUnavailable, contains: "may or may not have been made"},
		{in: own, same: true},
		{in: context.Canceled, same: true},
		{in: fmt.Errorf("waiting: %w", context.DeadlineExceeded), same: true},
	} {
		got := DatabaseError(c.in, "the zone's tables", busy, refused)
		if c.same {
			if got != c.in {
				t.Errorf("%v: got %v, want it passed through", c.in, got)
			}
			continue
		}
		le := AsError(got)
		if le.Kind != c.want || !errors.Is(got, c.in) || !strings.Contains(le.Message, c.contains) {
			t.Errorf("%v: got %v (kind %v), want kind %v saying %q and wrapping the cause", c.in, got, le.Kind, c.want, c.contains)
		}
	}
	if DatabaseError(nil, "x", busy, refused) != nil {
		t.Error("nil is not passed through")
	}
}

// TestBusinessDate: no date is today; a date after today or before the
// earliest effective date is DATE_OUT_OF_RANGE on field "date".
func TestBusinessDate(t *testing.T) {
	today := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	if d, err := BusinessDate(time.Time{}, today, "a report"); err != nil || !d.Equal(today) {
		t.Errorf("no date: %v, %v; want today", d, err)
	}
	if d, err := BusinessDate(time.Date(2026, 12, 1, 15, 4, 0, 0, time.UTC), today, "a report"); err != nil || !d.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a past day: %v, %v; want its day", d, err)
	}
	for _, d := range []time.Time{today.AddDate(0, 0, 1), time.Date(1989, 12, 31, 0, 0, 0, 0, time.UTC)} {
		_, err := BusinessDate(d, today, "a report")
		if le := AsError(err); err == nil || le.Reason != ReasonDateOutOfRange || le.Field != "date" || !strings.Contains(le.Message, "a report is dated") {
			t.Errorf("%s: %v; want DATE_OUT_OF_RANGE on date naming the document", FormatDate(d), err)
		}
	}
}
