package grpcedge

import (
	"errors"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/ledger"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// CodeName returns the canonical name of a gRPC code as google.rpc.Code
// spells it, e.g. "FAILED_PRECONDITION", "CANCELLED": the name batch calls
// put in an item's error (JournalError.code, DocumentError.code).
func CodeName(c codes.Code) string { return code.Code(c).String() }

// ItemError is what one item of a batch call (a journal of PostJournals, a
// document of SubmitDocuments) answers when it is refused: exactly what the
// item would have answered alone. Adapters copy it into their per-item
// error message.
type ItemError struct {
	// Code is the canonical gRPC code name (CodeName), e.g. "FAILED_PRECONDITION".
	Code string
	// Reason is the stable reason (zoneledger.errors.v1.Reason).
	Reason string
	// Field is the request field at fault, relative to the item; "" if none.
	Field string
	// Message says what went wrong and what to do. For an internal error it
	// is the generic message with the error id the cause is logged under,
	// never the cause.
	Message string
}

// Item converts the error that refused one item of a batch into its
// ItemError, through the same table as Status: the same code and reason,
// and for internal and unavailable errors the same error id and log line.
// The message is the error's own message, without the field (the item's
// error names it apart); an internal error's is "internal error <id>; ...".
func Item(err error) ItemError {
	se := Status(err)
	st := status.Convert(se)
	out := ItemError{Code: CodeName(st.Code()), Reason: errorsv1.ReasonOf(se), Field: errorsv1.FieldOf(se), Message: st.Message()}
	var le *ledger.Error
	if errors.As(err, &le) && st.Code() != codes.Internal {
		out.Message = le.Message
		if id := errorsv1.ErrorIDOf(se); id != "" {
			out.Message += " (error id " + id + ")"
		}
	}
	return out
}
