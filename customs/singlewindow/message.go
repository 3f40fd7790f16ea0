// Package singlewindow reads and writes the XML messages of the single
// window (国际贸易单一窗口), the portal through which customs receives trade
// documents and sends its receipts. The message types live in its
// subpackages, one per family: ceb for cross-border e-commerce (CEB311,
// CEB411, CEB511, CEB621 and their receipts), sas for the special customs
// supervision areas (INV101 and INV201 verification lists, SAS121, SAS221
// and SAS251 gate passes). Each message is a struct with encoding/xml tags
// and validate tags (go-playground/validator) carrying the message's own
// field rules; this package holds what they share: a decoder that refuses
// hostile input (Decode), an encoder (Encode), and the translation of a
// broken rule into the element path at fault (Validate, FieldError).
//
// The package imports nothing of the ledger's or of gRPC: it is a rule
// package like the rest of customs/.
package singlewindow

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// MaxMessageBytes is the largest message Decode reads. A batch of orders
// larger than this is sent as several messages.
const MaxMessageBytes = 4 << 20

// MaxDepth is the deepest element nesting Decode accepts; the deepest real
// message nests five or six levels.
const MaxDepth = 32

// Errors Decode returns for input that is not a message it will read. They
// are wrapped in a *FieldError naming where the input broke.
var (
	// ErrTooLarge: the message is larger than MaxMessageBytes.
	ErrTooLarge = errors.New("message too large")
	// ErrDoctype: the message declares a DOCTYPE. Single-window messages
	// never do; refusing it keeps entity declarations (billion laughs,
	// external entities) out entirely.
	ErrDoctype = errors.New("message declares a DOCTYPE")
	// ErrTooDeep: the elements nest deeper than MaxDepth.
	ErrTooDeep = errors.New("message nests too deeply")
	// ErrMalformed: the input is not well-formed XML or does not fit the
	// message type.
	ErrMalformed = errors.New("message is not well-formed")
)

// Decode parses one message from data into v, a pointer to a message type.
// It refuses a message larger than MaxMessageBytes, any DOCTYPE or other
// directive, elements nested deeper than MaxDepth, and anything after the
// root element but whitespace, comments and processing instructions. It
// does not check the message's field rules: call Validate for that.
func Decode(data []byte, v any) error {
	if len(data) > MaxMessageBytes {
		return &FieldError{Rule: "size", Err: ErrTooLarge,
			Message: fmt.Sprintf("the message is %d bytes; send at most %d bytes per message (split the batch)", len(data), MaxMessageBytes)}
	}
	raw := xml.NewDecoder(bytes.NewReader(data))
	raw.Strict = true
	raw.CharsetReader = refuseCharset
	guard := &guardedTokens{d: raw}
	dec := xml.NewTokenDecoder(guard)
	if err := dec.Decode(v); err != nil {
		return guard.fail(err)
	}
	for {
		tok, err := guard.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return guard.fail(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return guard.fail(errors.New("text after the root element"))
			}
		case xml.StartElement:
			return guard.fail(fmt.Errorf("a second root element <%s>: send one message per document", t.Name.Local))
		}
	}
}

// refuseCharset is called for an encoding other than UTF-8: single-window
// messages are UTF-8.
func refuseCharset(label string, _ io.Reader) (io.Reader, error) {
	return nil, fmt.Errorf("encoding %q: messages must be UTF-8", label)
}

// guardedTokens passes tokens through, refusing directives and counting
// depth, and remembers the element path for error messages.
type guardedTokens struct {
	d    *xml.Decoder
	path []string
	err  error
}

func (g *guardedTokens) Token() (xml.Token, error) {
	if g.err != nil {
		return nil, g.err
	}
	tok, err := g.d.Token()
	if err != nil {
		return tok, err
	}
	switch t := tok.(type) {
	case xml.Directive:
		g.err = ErrDoctype
		return nil, g.err
	case xml.StartElement:
		if len(g.path) >= MaxDepth {
			g.err = ErrTooDeep
			return nil, g.err
		}
		g.path = append(g.path, t.Name.Local)
	case xml.EndElement:
		if len(g.path) > 0 {
			g.path = g.path[:len(g.path)-1]
		}
	}
	return tok, nil
}

// fail wraps a decoding error with where it happened.
func (g *guardedTokens) fail(err error) error {
	line, _ := g.d.InputPos()
	fe := &FieldError{Path: joinPath(g.path), Rule: "xml", Err: ErrMalformed}
	switch {
	case errors.Is(err, ErrDoctype):
		fe.Err, fe.Rule = ErrDoctype, "doctype"
		fe.Message = fmt.Sprintf("line %d: a DOCTYPE is not accepted in a single-window message", line)
	case errors.Is(err, ErrTooDeep):
		fe.Err, fe.Rule = ErrTooDeep, "depth"
		fe.Message = fmt.Sprintf("line %d: elements nest deeper than %d levels", line, MaxDepth)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		fe.Message = fmt.Sprintf("line %d: the message ends before its root element is closed", line)
	default:
		fe.Message = fmt.Sprintf("line %d: %v", line, err)
	}
	return fe
}

func joinPath(p []string) string {
	out := ""
	for i, s := range p {
		if i > 0 {
			out += "/"
		}
		out += s
	}
	return out
}

// Encode writes v as a message: the XML declaration, then v indented by
// two spaces, then a newline. The output is stable for equal input, so
// produced messages can be compared with golden files.
func Encode(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
