package ledgerapi

import (
	"context"
	"errors"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"

	"github.com/zoneledger/zoneledger/ledger"
)

// ErrorDomain is the ErrorInfo domain of every zoneledger error.
const ErrorDomain = "zoneledger"

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
}

// Status converts any error into a gRPC status error: a *ledger.Error keeps
// its kind's code, its stable reason in ErrorInfo and its field in
// ErrorInfo.metadata["field"] and BadRequest; context errors become
// DEADLINE_EXCEEDED or CANCELED; anything else is INTERNAL with no detail
// leaked. Errors that already are gRPC statuses pass through.
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
	msg := le.Error()
	if le.Kind == ledger.KindInternal {
		msg = "internal error"
	}
	if le.Kind == ledger.KindUnavailable {
		msg = unavailableMessage(le)
	}
	info := &errdetails.ErrorInfo{Reason: le.Reason, Domain: ErrorDomain}
	details := []protoadapt.MessageV1{info}
	if le.Field != "" {
		info.Metadata = map[string]string{"field": le.Field}
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

// unavailableMessage is what a caller is told of an UNAVAILABLE error: what
// to do, without its cause, a driver error that names the database's host,
// port, socket and user.
func unavailableMessage(le *ledger.Error) string {
	msg := le.Message
	if msg == "" {
		msg = "database unavailable, retry"
	}
	if le.Field != "" {
		msg = le.Field + ": " + msg
	}
	return msg
}

// ReasonOf returns the ErrorInfo reason carried by a gRPC status error, or "".
func ReasonOf(err error) string {
	info := errorInfo(err)
	if info == nil {
		return ""
	}
	return info.GetReason()
}

// FieldOf returns the request field a gRPC status error names, or "".
func FieldOf(err error) string {
	info := errorInfo(err)
	if info == nil {
		return ""
	}
	return info.GetMetadata()["field"]
}

func errorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// ValidationInterceptors check every request message against its
// protovalidate rules before the handler runs. A violation is answered with
// INVALID_ARGUMENT, reason INVALID_ARGUMENT and the first violated field.
func ValidationInterceptors() (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	v, err := protovalidate.New()
	if err != nil {
		panic(err) // only fails on malformed built-in rules
	}
	check := func(m any) error {
		msg, ok := m.(proto.Message)
		if !ok {
			return nil
		}
		if err := v.Validate(msg); err != nil {
			return Status(validationError(err))
		}
		return nil
	}
	unary := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if err := check(req); err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		return h(srv, &validatingStream{ServerStream: ss, check: check})
	}
	return unary, stream
}

type validatingStream struct {
	grpc.ServerStream
	check func(any) error
}

func (s *validatingStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return s.check(m)
}

// validationError turns a protovalidate error into a ledger error naming the
// first violated field.
func validationError(err error) error {
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) == 0 {
		return ledger.Errorf(ledger.KindInvalid, ledger.ReasonInvalidArgument, "", "invalid request: %v", err)
	}
	// The first violation names the field; the message carries its text and
	// names the fields of any others.
	msg := ve.Violations[0].Proto.GetMessage()
	for _, v := range ve.Violations[1:] {
		msg += "; " + violationField(v) + ": " + v.Proto.GetMessage()
	}
	return ledger.Errorf(ledger.KindInvalid, ledger.ReasonInvalidArgument, violationField(ve.Violations[0]), "%s", msg)
}

// violationField names the field of a violation. Rules that compare several
// fields sit on the message and carry no field path; their rule IDs start
// with the field they are about (e.g. "enterprise_id.required").
func violationField(v *protovalidate.Violation) string {
	if f := protovalidate.FieldPathString(v.Proto.GetField()); f != "" {
		return f
	}
	id, _, _ := strings.Cut(v.Proto.GetRuleId(), ".")
	return id
}
