package grpcedge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync/atomic"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/zoneledger/zoneledger/ledger"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// codeOf is the one table that maps error kinds to gRPC codes.
var codeOf = map[ledger.Kind]codes.Code{
	ledger.KindInvalid:            codes.InvalidArgument,
	ledger.KindNotFound:           codes.NotFound,
	ledger.KindConflict:           codes.AlreadyExists,
	ledger.KindFailedPrecondition: codes.FailedPrecondition,
	ledger.KindUnavailable:        codes.Unavailable,
	ledger.KindInternal:           codes.Internal,
	ledger.KindUnauthenticated:    codes.Unauthenticated,
	ledger.KindPermissionDenied:   codes.PermissionDenied,
	ledger.KindResourceExhausted:  codes.ResourceExhausted,
}

// errorLog is where Status writes the cause of internal errors; nil means
// slog.Default().
var errorLog atomic.Pointer[slog.Logger]

// SetErrorLogger sets the logger Status writes the causes of internal and
// unavailable errors to, under the error id the caller gets. The server sets
// its own; the default is slog.Default().
func SetErrorLogger(l *slog.Logger) { errorLog.Store(l) }

func errLogger() *slog.Logger {
	if l := errorLog.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// NewErrorID returns a fresh error id: 16 random hex digits.
func NewErrorID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// InternalMessage is what the caller of a failed call reads for an internal
// error logged under id.
func InternalMessage(id string) string {
	return "internal error " + id + "; the server logged its cause under this id: retry later, and report the id to the operator if it persists"
}

// InternalStatus is the INTERNAL status error for an internal error logged
// under id: the generic InternalMessage, reason INTERNAL and
// ErrorInfo.metadata["error_id"] = id.
func InternalStatus(id string) error {
	st, err := status.New(codes.Internal, InternalMessage(id)).WithDetails(&errdetails.ErrorInfo{
		Reason: ledger.ReasonInternal, Domain: errorsv1.Domain, Metadata: map[string]string{"error_id": id}})
	if err != nil {
		return status.Error(codes.Internal, InternalMessage(id))
	}
	return st.Err()
}

// Status converts any error into a gRPC status error: a *ledger.Error keeps
// its kind's code, its stable reason in ErrorInfo and its field in
// ErrorInfo.metadata["field"] and BadRequest; context errors become
// DEADLINE_EXCEEDED or CANCELED. Errors that already are gRPC statuses pass
// through.
//
// Anything else is INTERNAL: Status logs the full error under a fresh error
// id (SetErrorLogger) and the caller gets only "internal error <id>; ..."
// and the id in ErrorInfo.metadata["error_id"], never the cause (a database
// error names hosts, users and statements). An UNAVAILABLE error's cause (a
// lost connection) is logged and withheld the same way; its message, which
// says to retry, stays.
func Status(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return status.Error(codes.DeadlineExceeded, "deadline exceeded; retry with the same idempotency key")
	}
	if errors.Is(err, context.Canceled) {
		return status.Error(codes.Canceled, "request cancelled")
	}
	le := ledger.AsError(err)
	code, ok := codeOf[le.Kind]
	if !ok {
		code = codes.Internal
	}
	if code == codes.Internal {
		id := NewErrorID()
		errLogger().Error("internal error", "error_id", id, "reason", le.Reason, "err", err.Error())
		return InternalStatus(id)
	}
	if le.Kind == ledger.KindUnavailable && le.Message == "" {
		c := *le
		c.Message = "database unavailable, retry"
		le = &c
	}
	msg := le.Error()
	info := &errdetails.ErrorInfo{Reason: le.Reason, Domain: errorsv1.Domain}
	if le.Err != nil {
		// The cause is for the operator: the caller gets the message and an
		// id to quote.
		id := NewErrorID()
		errLogger().Warn("call failed", "error_id", id, "reason", le.Reason, "err", err.Error())
		msg = (&ledger.Error{Field: le.Field, Message: le.Message}).Error() + " (error id " + id + ")"
		info.Metadata = map[string]string{"error_id": id}
	}
	details := []protoadapt.MessageV1{info}
	if le.Field != "" {
		if info.Metadata == nil {
			info.Metadata = map[string]string{}
		}
		info.Metadata["field"] = le.Field
		if code == codes.InvalidArgument {
			details = append(details, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
				Field: le.Field, Description: le.Message, Reason: le.Reason}}})
		}
	}
	st, derr := status.New(code, msg).WithDetails(details...)
	if derr != nil {
		return status.Error(code, msg)
	}
	return st.Err()
}
