// Package wiretext holds the API's rule for text. Every string of a
// request, at any depth, must be valid UTF-8 without U+0000 (PostgreSQL
// stores no other) and must not hold a control, bidirectional-control or
// zero-width character (textrule.Refused). The server refuses a request
// that breaks it before any handler runs (INVALID_ARGUMENT; reason
// INVALID_ARGUMENT for text that cannot be stored, INVISIBLE_CHARACTER for
// a refused character; the field named); clients such as zonectl
// --dry-run run the same Check to refuse such a file before sending it.
//
// Hand-written (not generated), in the API module so that the server and
// its clients share one rule and no client imports a server package; see
// proto/README.md. It imports only protobuf.
package wiretext

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/zoneledger/zoneledger/proto/zoneledger/textrule"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Fault is the first string of a request that breaks the API's text rule.
type Fault struct {
	// Field is the string's path as protovalidate writes it
	// ("lines[2].name", `metadata["key"]`).
	Field string
	// Unstorable is set when the string cannot be stored (it holds U+0000
	// or is not valid UTF-8; the API's reason INVALID_ARGUMENT); otherwise
	// it holds a character textrule.Refused names (INVISIBLE_CHARACTER).
	Unstorable bool
	// Why says what is wrong and what to do, for a person.
	Why string
}

// Check returns the first string of m, at any depth (nested messages,
// repeated fields, map keys and values, oneofs, extensions), that breaks
// the API's text rule, or nil. Bytes fields are not text and are left to
// their parsers. For a message it accepts, the walk allocates nothing but
// the views protoreflect makes of repeated and map fields (one per field
// set); the path and the message are built only for a fault.
func Check(m proto.Message) *Fault {
	w := walkers.Get().(*textWalker)
	f := w.message(m.ProtoReflect())
	walkers.Put(w)
	if f == nil {
		return nil
	}
	slices.Reverse(f.steps)
	out := &Fault{Field: strings.Join(f.steps, "."), Unstorable: f.unstorable}
	what := "the value"
	if f.key {
		what = "the key"
	}
	switch {
	case f.unstorable && f.r == 0:
		out.Why = what + " contains the NUL character (U+0000), which cannot be stored: remove it"
	case f.unstorable:
		out.Why = what + " is not valid UTF-8 text: send it UTF-8 encoded"
	default:
		out.Why = fmt.Sprintf("%s holds U+%04X (%s) at character %d: remove it; text sent to zoneledger may not hold control, bidirectional-control or zero-width characters (TAB, LF and CR are allowed)",
			what, f.r, textrule.Refused(f.r), utf8.RuneCountInString(f.s[:f.at])+1)
	}
	return out
}

// textFault is where the walk found a fault: the path from the message to
// the string (built while returning from the walk, so the innermost step
// first), the string, whether it cannot be stored, the refused character
// and its byte offset, and whether the string is a map key.
type textFault struct {
	steps      []string
	s          string
	unstorable bool
	r          rune
	at         int
	key        bool
}

// fault returns what is wrong with s, or nil: text that cannot be stored
// first, then the first refused character.
func fault(s string) *textFault {
	if strings.IndexByte(s, 0) >= 0 {
		return &textFault{s: s, unstorable: true}
	}
	if !utf8.ValidString(s) {
		return &textFault{s: s, unstorable: true, r: utf8.RuneError}
	}
	if at, r := textrule.Index(s); at >= 0 {
		return &textFault{s: s, r: r, at: at}
	}
	return nil
}

// textWalker walks a message's text. Its callbacks are made once, so that
// walking a message does not allocate a closure per message or map.
type textWalker struct {
	onField func(protoreflect.FieldDescriptor, protoreflect.Value) bool
	onEntry func(protoreflect.MapKey, protoreflect.Value) bool
	mapFD   protoreflect.FieldDescriptor // the map onEntry walks
	found   *textFault
}

// walkers keeps textWalkers for reuse.
var walkers = sync.Pool{New: func() any {
	w := &textWalker{}
	w.onField, w.onEntry = w.field, w.entry
	return w
}}

// message returns the first fault among m's strings, or nil.
func (w *textWalker) message(m protoreflect.Message) *textFault {
	w.found = nil
	m.Range(w.onField)
	f := w.found
	w.found = nil
	return f
}

// field is m.Range's callback: it checks the value v of field fd and stops
// the range at a fault (w.found).
func (w *textWalker) field(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
	switch {
	case fd.IsList():
		if !isText(fd) {
			return true
		}
		l := v.List()
		for i := range l.Len() {
			if f := w.value(fd, l.Get(i)); f != nil {
				f.steps = append(f.steps, fieldName(fd)+"["+strconv.Itoa(i)+"]")
				w.found = f
				return false
			}
		}
	case fd.IsMap():
		if fd.MapKey().Kind() != protoreflect.StringKind && !isText(fd.MapValue()) {
			return true
		}
		outer := w.mapFD
		w.mapFD = fd
		v.Map().Range(w.onEntry)
		w.mapFD = outer
		return w.found == nil
	default:
		if f := w.value(fd, v); f != nil {
			f.steps = append(f.steps, fieldName(fd))
			w.found = f
			return false
		}
	}
	return true
}

// entry is the callback of a map's Range (the map of field w.mapFD).
func (w *textWalker) entry(k protoreflect.MapKey, v protoreflect.Value) bool {
	fd := w.mapFD
	var f *textFault
	if fd.MapKey().Kind() == protoreflect.StringKind {
		if f = fault(k.String()); f != nil {
			f.key = true
		}
	}
	if f == nil {
		f = w.value(fd.MapValue(), v) // a map inside the value restores w.mapFD
	}
	if f == nil {
		return true
	}
	f.steps = append(f.steps, fieldName(fd)+"["+mapKey(k)+"]")
	w.found = f
	return false
}

// value checks one value (a list element, a map value or a singular
// field's value) of fd's kind; the caller adds the step to a fault.
func (w *textWalker) value(fd protoreflect.FieldDescriptor, v protoreflect.Value) *textFault {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return fault(v.String())
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return w.message(v.Message())
	}
	return nil
}

// isText reports whether values of fd's kind can hold text (strings, or
// messages, which may).
func isText(fd protoreflect.FieldDescriptor) bool {
	switch fd.Kind() {
	case protoreflect.StringKind, protoreflect.MessageKind, protoreflect.GroupKind:
		return true
	}
	return false
}

// fieldName is fd's name as protovalidate writes it in a field path: the
// field's name, an extension's "[full.name]".
func fieldName(fd protoreflect.FieldDescriptor) string {
	if fd.IsExtension() {
		return fd.TextName()
	}
	return string(fd.Name())
}

// mapKey is a map key as protovalidate writes it in a field path: a string
// quoted (strconv.Quote, so the refused character shows escaped), numbers
// and booleans as they are.
func mapKey(k protoreflect.MapKey) string {
	switch v := k.Interface().(type) {
	case string:
		return strconv.Quote(v)
	default:
		return fmt.Sprint(v)
	}
}
