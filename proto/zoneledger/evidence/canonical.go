package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// integer is the only form a JSON number may take in a canonical record:
// quantities, values and rates are exact decimal text in strings.
var integer = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// midnight matches a date written as a timestamp at 00:00 UTC, which the
// canonical form writes as the date alone (YYYY-MM-DD).
var midnight = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})T00:00:00Z$`)

// Canonical returns the canonical encoding of a JSON value (see the
// package documentation): objects with their keys sorted by their UTF-8
// bytes, no insignificant whitespace, strings escaped as Go's encoding/json
// does without HTML escaping, integers only, and a timestamp at midnight UTC
// written as its date. It refuses a number with a fraction or an exponent
// (write exact decimals as strings), a duplicate key and trailing data.
func Canonical(raw []byte) ([]byte, error) {
	p := parser{in: raw}
	var out bytes.Buffer
	out.Grow(len(raw))
	p.ws()
	if err := p.value(&out, 0); err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.in) {
		return nil, fmt.Errorf("data after the JSON value at byte %d", p.i)
	}
	return out.Bytes(), nil
}

// Marshal encodes v with encoding/json and returns its canonical form.
func Marshal(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Canonical(raw)
}

// maxDepth bounds the nesting Canonical reads, as encoding/json does.
const maxDepth = 10000

// parser reads JSON text (RFC 8259) and writes its canonical form.
type parser struct {
	in []byte
	i  int
}

func (p *parser) ws() {
	for p.i < len(p.in) {
		switch p.in[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) fail(what string) error {
	if p.i >= len(p.in) {
		return fmt.Errorf("unexpected end of JSON input: %s", what)
	}
	return fmt.Errorf("invalid character %q at byte %d: %s", p.in[p.i], p.i, what)
}

func (p *parser) value(out *bytes.Buffer, depth int) error {
	if depth > maxDepth {
		return errors.New("JSON nested too deeply")
	}
	if p.i >= len(p.in) {
		return p.fail("expected a value")
	}
	switch c := p.in[p.i]; {
	case c == '{':
		return p.object(out, depth)
	case c == '[':
		p.i++
		out.WriteByte('[')
		p.ws()
		if p.i < len(p.in) && p.in[p.i] == ']' {
			p.i++
			out.WriteByte(']')
			return nil
		}
		for n := 0; ; n++ {
			if n > 0 {
				out.WriteByte(',')
			}
			p.ws()
			if err := p.value(out, depth+1); err != nil {
				return err
			}
			p.ws()
			if p.i < len(p.in) && p.in[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.in) && p.in[p.i] == ']' {
				p.i++
				out.WriteByte(']')
				return nil
			}
			return p.fail("expected , or ] in an array")
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		if len(s) == len("2006-01-02T00:00:00Z") && s[10] == 'T' && midnight.MatchString(s) {
			s = s[:10]
		}
		writeString(out, s)
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.i
		for p.i < len(p.in) && strings.IndexByte("+-.eE0123456789", p.in[p.i]) >= 0 {
			p.i++
		}
		num := string(p.in[start:p.i])
		if !integer.MatchString(num) {
			return fmt.Errorf("number %s is not an integer: write exact decimals as strings", num)
		}
		out.WriteString(num)
		return nil
	}
	for _, lit := range []string{"true", "false", "null"} {
		if bytes.HasPrefix(p.in[p.i:], []byte(lit)) {
			p.i += len(lit)
			out.WriteString(lit)
			return nil
		}
	}
	return p.fail("expected a value")
}

// str reads a string and returns its value; p.in[p.i] is its quote.
func (p *parser) str() (string, error) {
	start := p.i
	p.i++
	escaped := false
	for {
		if p.i >= len(p.in) {
			return "", p.fail("unterminated string")
		}
		c := p.in[p.i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", p.fail("control character in a string")
		}
		if c == '\\' {
			escaped = true
			p.i++
		}
		p.i++
	}
	p.i++
	raw := p.in[start:p.i]
	if !escaped && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string // escapes and invalid UTF-8 are read as encoding/json reads them
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", err
	}
	return s, nil
}

func (p *parser) object(out *bytes.Buffer, depth int) error {
	type member struct {
		key        string
		start, end int
	}
	p.i++ // {
	var members []member
	var values bytes.Buffer
	p.ws()
	if p.i < len(p.in) && p.in[p.i] == '}' {
		p.i++
		out.WriteString("{}")
		return nil
	}
	for {
		p.ws()
		if p.i >= len(p.in) || p.in[p.i] != '"' {
			return p.fail("expected a string key")
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		p.ws()
		if p.i >= len(p.in) || p.in[p.i] != ':' {
			return p.fail("expected : after a key")
		}
		p.i++
		p.ws()
		start := values.Len()
		if err := p.value(&values, depth+1); err != nil {
			return err
		}
		members = append(members, member{key, start, values.Len()})
		p.ws()
		if p.i < len(p.in) && p.in[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.in) && p.in[p.i] == '}' {
			p.i++
			break
		}
		return p.fail("expected , or } in an object")
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	vals := values.Bytes()
	out.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			if members[i-1].key == m.key {
				return fmt.Errorf("key %q appears twice in one object", m.key)
			}
			out.WriteByte(',')
		}
		writeString(out, m.key)
		out.WriteByte(':')
		out.Write(vals[m.start:m.end])
	}
	out.WriteByte('}')
	return nil
}

// writeString writes s as encoding/json does with HTML escaping off: the
// characters it escapes (", \\, control characters, U+2028, U+2029 and
// invalid UTF-8) go through it; any other string is copied as it is.
func writeString(buf *bytes.Buffer, s string) {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Truncate(buf.Len() - 1)
}
