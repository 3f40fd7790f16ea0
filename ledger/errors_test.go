package ledger

import (
	"errors"
	"testing"
)

// TestErrorConstructorsKeepKindReasonAndField: the constructors every
// customs package builds its refusals with give the kind the gRPC edge maps
// to a code, the stable reason and the field at fault, and format the
// message.
func TestErrorConstructorsKeepKindReasonAndField(t *testing.T) {
	for _, c := range []struct {
		err                    error
		kind                   Kind
		reason, field, message string
	}{
		{Invalid("R1", "f.a", "bad %d", 1), KindInvalid, "R1", "f.a", "bad 1"},
		{BadArgument("f.b", "bad %s", "x"), KindInvalid, ReasonInvalidArgument, "f.b", "bad x"},
		{NotFound("R2", "f.c", "no %q", "y"), KindNotFound, "R2", "f.c", `no "y"`},
		{Precondition("R3", "", "not now"), KindFailedPrecondition, "R3", "", "not now"},
		{Conflict("R4", "f.d", "taken"), KindConflict, "R4", "f.d", "taken"},
		{Denied("not %s", "yours"), KindPermissionDenied, ReasonPermissionDenied, "", "not yours"},
	} {
		var e *Error
		if !errors.As(c.err, &e) {
			t.Fatalf("%v is not an *Error", c.err)
		}
		if e.Kind != c.kind || e.Reason != c.reason || e.Field != c.field || e.Message != c.message {
			t.Errorf("got %v %s %q %q, want %v %s %q %q", e.Kind, e.Reason, e.Field, e.Message, c.kind, c.reason, c.field, c.message)
		}
	}
}
