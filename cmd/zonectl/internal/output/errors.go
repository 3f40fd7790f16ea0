package output

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// CodeName returns the canonical name of a gRPC code as google.rpc.Code
// spells it, e.g. "FAILED_PRECONDITION": the name the server puts in the
// errors of batch items (JournalError.code, DocumentError.code).
func CodeName(c codes.Code) string { return code.Code(c).String() }

// RetryHint is what zonectl tells the user when the server could not be
// reached or did not answer in time.
const RetryHint = "retry the same command: journals resent with the same idempotency keys are booked at most once (already booked ones come back as replayed)"

// ErrorParts are the pieces of an error as zonectl prints it.
type ErrorParts struct {
	// Message is the status message (or the error text for non-gRPC errors).
	Message string
	// Code is the gRPC code name; empty for errors that are not gRPC statuses.
	Code string
	// Reason is the ErrorInfo reason; empty if the server sent none.
	Reason string
	// Field is the request field at fault (ErrorInfo metadata "field", else
	// the first BadRequest field violation); empty if none.
	Field string
	// Hint tells the user what to do next; empty if there is nothing useful to say.
	Hint string
}

// Explain takes an error apart for printing.
func Explain(err error) ErrorParts {
	st, ok := status.FromError(err)
	if !ok || st.Code() == codes.OK {
		return ErrorParts{Message: err.Error()}
	}
	p := ErrorParts{
		Message: message(err, st),
		Code:    CodeName(st.Code()),
		Reason:  errorsv1.ReasonOf(err),
		Field:   errorsv1.FieldOf(err),
	}
	p.Message = TidyMessage(p.Message, p.Field)
	if p.Field == "" {
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
				p.Field = br.GetFieldViolations()[0].GetField()
				break
			}
		}
	}
	switch st.Code() {
	case codes.Unavailable:
		p.Hint = "the server is unreachable or busy (check --addr and --tls); " + RetryHint
	case codes.DeadlineExceeded:
		p.Hint = "no answer within --timeout; the request may or may not have been applied; " + RetryHint
	case codes.Unauthenticated:
		p.Hint = "give a valid token with --token-file, ZONELEDGER_TOKEN_FILE or ZONELEDGER_TOKEN"
	case codes.PermissionDenied:
		p.Hint = "'zonectl whoami' shows which principal and role the token belongs to"
	}
	return p
}

// message is the status message, keeping the context that wrapping added
// ("stopped after 3 of 9 journals: connection refused") without the
// "rpc error: code = ... desc = " noise of the inner error's text.
func message(err error, st *status.Status) string {
	var inner interface {
		error
		GRPCStatus() *status.Status
	}
	if !errors.As(err, &inner) || inner == err {
		return st.Message()
	}
	return strings.Replace(err.Error(), inner.Error(), inner.GRPCStatus().Message(), 1)
}

// TidyMessage drops a repeated field prefix ("book_id: book_id: does not
// match ...") that validation errors can carry.
func TidyMessage(msg, field string) string {
	if field == "" {
		return msg
	}
	prefix := field + ": "
	for strings.Contains(msg, prefix+prefix) {
		msg = strings.Replace(msg, prefix+prefix, prefix, 1)
	}
	return msg
}

// FormatError renders an error for stderr:
//
//	error: <message> (reason=<REASON>, field=<field>)
//	hint: <what to do>
//
// The parenthesis lists only what the server sent; a gRPC error without
// ErrorInfo shows its code instead (code=UNAVAILABLE). The result ends in a
// newline.
func FormatError(err error) string {
	p := Explain(err)
	var b strings.Builder
	b.WriteString("error: ")
	b.WriteString(p.Message)
	var attrs []string
	if p.Reason != "" {
		attrs = append(attrs, "reason="+p.Reason)
	} else if p.Code != "" {
		attrs = append(attrs, "code="+p.Code)
	}
	if p.Field != "" {
		attrs = append(attrs, "field="+p.Field)
	}
	if len(attrs) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(attrs, ", "))
	}
	b.WriteString("\n")
	if p.Hint != "" {
		b.WriteString("hint: " + p.Hint + "\n")
	}
	return b.String()
}
