package ledger

import (
	"context"
	"errors"
	"fmt"
)

// Kind classifies an Error so that transports can map it to their own codes
// (gRPC codes, exit statuses) in one table.
type Kind int

// The kinds of ledger errors.
const (
	// KindInternal is an unexpected failure (database down, bug). Retry later.
	KindInternal Kind = iota
	// KindInvalid is a request that can never succeed as written.
	KindInvalid
	// KindNotFound names a book, item, account or journal that does not exist.
	KindNotFound
	// KindConflict is a clash with existing state: a reused idempotency key
	// with a different body, a book that already exists.
	KindConflict
	// KindFailedPrecondition is a well-formed request the current state
	// refuses: insufficient quantity, a closed period, a journal already
	// reversed.
	KindFailedPrecondition
	// KindUnavailable is a transient failure the caller should retry with the
	// same idempotency key.
	KindUnavailable
	// KindUnauthenticated is a call without valid credentials.
	KindUnauthenticated
	// KindPermissionDenied is a call by a principal not allowed to make it.
	KindPermissionDenied
	// KindResourceExhausted is a call past a documented limit: too large for
	// one call (split it), or more than the server or the principal may have
	// in flight (retry later).
	KindResourceExhausted
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not-found"
	case KindConflict:
		return "conflict"
	case KindFailedPrecondition:
		return "failed-precondition"
	case KindUnavailable:
		return "unavailable"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindPermissionDenied:
		return "permission-denied"
	case KindResourceExhausted:
		return "resource-exhausted"
	default:
		return "internal"
	}
}

// Stable reasons carried by ledger errors. Clients match on these strings;
// never change one once released. Each is declared and documented in the
// API as a value of zoneledger.errors.v1.Reason (a test of ledger/grpcedge
// fails when one is missing).
const (
	ReasonInvalidArgument     = "INVALID_ARGUMENT"
	ReasonMalformedDecimal    = "MALFORMED_DECIMAL"
	ReasonDecimalOutOfRange   = "DECIMAL_OUT_OF_RANGE"
	ReasonNonPositiveQuantity = "NON_POSITIVE_QUANTITY"
	ReasonNegativeValue       = "NEGATIVE_VALUE"
	ReasonTooManyDecimals     = "TOO_MANY_DECIMALS"
	ReasonUnitMismatch        = "UNIT_MISMATCH"
	ReasonUnknownBook         = "UNKNOWN_BOOK"
	ReasonUnknownItem         = "UNKNOWN_ITEM"
	ReasonUnknownAccount      = "UNKNOWN_ACCOUNT"
	ReasonUnknownJournal      = "UNKNOWN_JOURNAL"
	ReasonUnknownLot          = "UNKNOWN_LOT"
	ReasonInsufficient        = "INSUFFICIENT_QUANTITY"
	ReasonIdempotencyMismatch = "IDEMPOTENCY_KEY_REUSED"
	ReasonBookExists          = "BOOK_EXISTS"
	ReasonItemConflict        = "ITEM_CONFLICT"
	ReasonPeriodClosed        = "PERIOD_CLOSED"
	ReasonAlreadyReversed     = "ALREADY_REVERSED"
	ReasonBadPeriod           = "BAD_PERIOD"
	// ReasonDateOutOfRange refuses an effective date before
	// EarliestEffectiveDate or after the zone's today plus the store's
	// horizon.
	ReasonDateOutOfRange   = "EFFECTIVE_DATE_OUT_OF_RANGE"
	ReasonUnavailable      = "UNAVAILABLE"
	ReasonUnauthenticated  = "UNAUTHENTICATED"
	ReasonPermissionDenied = "PERMISSION_DENIED"
	ReasonInternal         = "INTERNAL"
	// ReasonRequestTooLarge: one call carries more than a per-call limit
	// allows; split it.
	ReasonRequestTooLarge = "REQUEST_TOO_LARGE"
	// ReasonInFlightLimit: the caller (or the server) already has as much
	// in flight as it may; retry when earlier calls have finished.
	ReasonInFlightLimit = "IN_FLIGHT_LIMIT"
)

// Error is the ledger's error type. Reason is a stable machine-readable
// string, Field names the request field at fault (e.g. "postings[2].quantity")
// when there is one, and Message tells a person what went wrong and what to do.
type Error struct {
	Kind    Kind
	Reason  string
	Field   string
	Message string
	// Err is the underlying cause, if any.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same reason, so that
// errors.Is(err, &ledger.Error{Reason: ledger.ReasonInsufficient}) works.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Reason == e.Reason
}

// Errorf builds an Error of the given kind and reason about field.
func Errorf(kind Kind, reason, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Reason: reason, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalid is an Errorf of KindInvalid: the request breaks a rule (reason)
// at field, whatever the state.
func Invalid(reason, field, format string, args ...any) error {
	return Errorf(KindInvalid, reason, field, format, args...)
}

// BadArgument is an Invalid with the generic ReasonInvalidArgument: a
// malformed field with no rule of its own.
func BadArgument(field, format string, args ...any) error {
	return Errorf(KindInvalid, ReasonInvalidArgument, field, format, args...)
}

// NotFound is an Errorf of KindNotFound: what field names does not exist
// (or is not the caller's to see).
func NotFound(reason, field, format string, args ...any) error {
	return Errorf(KindNotFound, reason, field, format, args...)
}

// Precondition is an Errorf of KindFailedPrecondition: the request is well
// formed but the state refuses it (reason says which state).
func Precondition(reason, field, format string, args ...any) error {
	return Errorf(KindFailedPrecondition, reason, field, format, args...)
}

// Conflict is an Errorf of KindConflict: the request clashes with what
// exists (a number taken, a different body under a used key).
func Conflict(reason, field, format string, args ...any) error {
	return Errorf(KindConflict, reason, field, format, args...)
}

// Denied is an Errorf of KindPermissionDenied with ReasonPermissionDenied:
// the caller may not do this.
func Denied(format string, args ...any) error {
	return Errorf(KindPermissionDenied, ReasonPermissionDenied, "", format, args...)
}

// AsError returns err as an *Error, wrapping anything else as KindInternal.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Reason: ReasonInternal, Message: "internal error", Err: err}
}

// ReasonOf returns the stable reason of err, or "" when err is nil.
func ReasonOf(err error) string {
	if err == nil {
		return ""
	}
	return AsError(err).Reason
}

// DatabaseError is how a store reports a failure of its own database. It
// passes nil, ledger errors and context errors through, and turns any other
// error into the ledger error that says what to do: UNAVAILABLE (retry) when
// busy(err) — conflicts outlasted the store's retries, nothing was changed —,
// INTERNAL when refused(err) — the database refused a statement —, and
// UNAVAILABLE otherwise: the database could not be reached, so a change in
// flight may or may not have been made. The store supplies busy and refused
// for its driver (package ledger/pgshared/pgtx's Retryable and StatementRefused);
// what names its tables ("the zone's tables").
func DatabaseError(err error, what string, busy, refused func(error) bool) error {
	var le *Error
	if err == nil || errors.As(err, &le) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	switch {
	case busy(err):
		return &Error{Kind: KindUnavailable, Reason: ReasonUnavailable,
			Message: what + " are busy and the change gave up after repeated conflicts; retry", Err: err}
	case refused(err):
		return &Error{Kind: KindInternal, Reason: ReasonInternal, Message: "the database refused a query on " + what, Err: err}
	}
	return &Error{Kind: KindUnavailable, Reason: ReasonUnavailable,
		Message: "could not reach the database; a change in flight may or may not have been made: check, then retry", Err: err}
}
