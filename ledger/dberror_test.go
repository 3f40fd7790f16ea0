package ledger

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestDatabaseErrorSaysWhatToDo: a store's database failure becomes
// UNAVAILABLE when busy or unreachable and INTERNAL when a statement was
// refused; the store's own errors and context errors pass through.
func TestDatabaseErrorSaysWhatToDo(t *testing.T) {
	busyErr, refusedErr, goneErr := errors.New("40001"), errors.New("42P01"), errors.New("connection reset")
	busy := func(err error) bool { return errors.Is(err, busyErr) }
	refused := func(err error) bool { return errors.Is(err, refusedErr) }
	own := Errorf(KindNotFound, ReasonUnknownBook, "book_id", "no book")
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
