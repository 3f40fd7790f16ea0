package grpcedge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"buf.build/go/protovalidate"
	"github.com/zoneledger/zoneledger/ledger"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

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
