// Package wiretext holds the API's rule for text: every string of a
// request is valid UTF-8 without U+0000, since PostgreSQL stores no other.
// The server refuses a request that breaks it (INVALID_ARGUMENT, reason
// INVALID_ARGUMENT, the field named); clients such as zonectl --dry-run run
// the same function to refuse such a file before sending it.
//
// Hand-written (not generated), in the API module so that the server and
// its clients share one rule and no client imports a server package; see
// proto/README.md. It imports only protobuf.
package wiretext

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Unstorable returns the first string of m, at any depth (nested messages,
// repeated fields, map keys and values, oneofs), that the API refuses
// because PostgreSQL cannot store it (it holds U+0000 or is not valid
// UTF-8): its field path as the API user writes it ("lines[0].lot",
// `metadata["key"]`) and why; or "", "".
func Unstorable(m proto.Message) (field, why string) { return badText(m.ProtoReflect(), "") }

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
