package ledgerapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/reflect/protoreflect"

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
		Reason: ledger.ReasonInternal, Domain: ErrorDomain, Metadata: map[string]string{"error_id": id}})
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
	info := &errdetails.ErrorInfo{Reason: le.Reason, Domain: ErrorDomain}
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

// ErrorIDOf returns the error id a gRPC status error carries in
// ErrorInfo.metadata["error_id"], or "".
func ErrorIDOf(err error) string {
	info := errorInfo(err)
	if info == nil {
		return ""
	}
	return info.GetMetadata()["error_id"]
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

// ValidationInterceptors check every request message (every message a
// stream receives too) before the handler runs: first that all its text can
// be stored (no string anywhere in it contains U+0000 or invalid UTF-8,
// which PostgreSQL refuses), then its protovalidate rules. A failure is
// answered with INVALID_ARGUMENT, reason INVALID_ARGUMENT, the field in
// ErrorInfo.metadata["field"] and a BadRequest detail; the first bad field
// is named ("lines[0].lot").
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
		if err := checkText(msg.ProtoReflect()); err != nil {
			return Status(err)
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

// checkText refuses a request carrying text PostgreSQL cannot store: a
// string (at any depth: nested messages, repeated fields, map keys and
// values, oneofs) that contains the NUL character U+0000 or is not valid
// UTF-8. It names the first such field as the API user writes it
// ("lines[0].lot", `attributes["key"]`).
func checkText(m protoreflect.Message) error {
	field, bad := badText(m, "")
	if field == "" {
		return nil
	}
	return ledger.Errorf(ledger.KindInvalid, ledger.ReasonInvalidArgument, field, "%s", bad)
}

// UnstorableText returns the first string of m, at any depth, that the
// server refuses because PostgreSQL cannot store it (U+0000 or invalid
// UTF-8): its field path ("lines[0].lot") and why; or "", "". Clients
// use it to refuse such a file before sending it.
func UnstorableText(m proto.Message) (field, why string) { return badText(m.ProtoReflect(), "") }

// badText returns the path (under prefix) of the first string field of m
// that PostgreSQL cannot store, and why, or "".
func badText(m protoreflect.Message, prefix string) (field, why string) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		path := prefix + fd.TextName()
		switch {
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len() && field == ""; i++ {
				field, why = badValue(fd, l.Get(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				kp := fmt.Sprintf("%s[%v]", path, k.Interface())
				if fd.MapKey().Kind() == protoreflect.StringKind {
					kp = fmt.Sprintf("%s[%q]", path, k.String())
					if w := textProblem(k.String()); w != "" {
						field, why = path, "a key "+w
						return false
					}
				}
				field, why = badValue(fd.MapValue(), mv, kp)
				return field == ""
			})
		default:
			field, why = badValue(fd, v, path)
		}
		return field == ""
	})
	return field, why
}

// badValue checks one value of field fd found at path.
func badValue(fd protoreflect.FieldDescriptor, v protoreflect.Value, path string) (field, why string) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		if w := textProblem(v.String()); w != "" {
			return path, w
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return badText(v.Message(), path+".")
	}
	return "", ""
}

// textProblem says what is wrong with s as stored text, or "".
func textProblem(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		return "contains the NUL character (U+0000), which cannot be stored: remove it"
	}
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text: send it UTF-8 encoded"
	}
	return ""
}
