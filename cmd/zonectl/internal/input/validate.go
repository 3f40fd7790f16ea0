package input

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/zoneledger/zoneledger/proto/zoneledger/wiretext"
)

// Validate checks a request as the server checks it before its handler
// runs: the API's text rule (wiretext.Check: no U+0000, valid UTF-8, no
// control, bidirectional-control or zero-width character), then the
// protovalidate rules the protos declare (required fields, lengths, code
// lists, decimal syntax, element counts). It returns the first field at
// fault (proto name, e.g. "lines[2].quantity") and why, or "" when nothing
// is wrong. Rules only the server can judge (stock, matching, permissions)
// are left to it.
//
// Fields named in later (ones the command line may still fill) are not
// judged.
func Validate(m proto.Message, later ...string) (field, msg string) {
	if f := wiretext.Check(m); f != nil {
		return f.Field, f.Why
	}
	err := protovalidate.Validate(m)
	var ve *protovalidate.ValidationError
	if err == nil || !errors.As(err, &ve) || len(ve.Violations) == 0 {
		if err != nil {
			return "", err.Error()
		}
		return "", ""
	}
	for _, v := range ve.Violations {
		f := protovalidate.FieldPathString(v.Proto.GetField())
		if f == "" {
			// A rule on the message names the field it is about first in its
			// id ("enterprise_id.required").
			name, _, _ := strings.Cut(v.Proto.GetRuleId(), ".")
			if m.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(name)) != nil {
				f = name
			}
		}
		if !slices.Contains(later, f) {
			return f, violationMessage(v)
		}
	}
	return "", ""
}

// violationMessage words a violation the way zonectl's other checks do:
// "is required", `"1e3" is not a decimal number; ...`, `"IN": must be in
// list [I, E]`.
func violationMessage(v *protovalidate.Violation) string {
	msg := strings.TrimPrefix(v.Proto.GetMessage(), "value ")
	s, isString := "", false
	if v.FieldValue.IsValid() && v.FieldDescriptor != nil && v.FieldDescriptor.Kind() == protoreflect.StringKind && !v.FieldDescriptor.IsList() {
		s, isString = v.FieldValue.String(), true
	}
	switch {
	case !isString || s == "" || v.Proto.GetRuleId() == "required":
		return msg
	case v.Proto.GetRuleId() == "string.pattern" && v.RuleValue.IsValid() && v.RuleValue.String() == wirePattern.String():
		_, why := Decimal(s)
		return why
	}
	return fmt.Sprintf("%q: %s", s, msg)
}
