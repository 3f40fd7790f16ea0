package grpcedge

import (
	"context"
	"errors"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/ledger"
)

// ValidationInterceptors check every request message (every message a
// stream receives too) before the handler runs: first the API's text rule
// (wiretext.Check: no string anywhere in it holds U+0000 or invalid UTF-8,
// which PostgreSQL refuses, reason INVALID_ARGUMENT; or a control,
// bidirectional-control or zero-width character, reason
// INVISIBLE_CHARACTER), then its protovalidate rules (reason
// INVALID_ARGUMENT). A failure is answered with
// INVALID_ARGUMENT, the reason, the field in ErrorInfo.metadata["field"]
// and a BadRequest detail; the first bad field is named ("lines[0].lot").
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
		if err := checkText(msg); err != nil {
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
		return ledger.BadArgument("", "invalid request: %v", err)
	}
	// The first violation names the field; the message carries its text and
	// names the fields of any others.
	msg := ve.Violations[0].Proto.GetMessage()
	for _, v := range ve.Violations[1:] {
		msg += "; " + violationField(v) + ": " + v.Proto.GetMessage()
	}
	return ledger.BadArgument(violationField(ve.Violations[0]), "%s", msg)
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
