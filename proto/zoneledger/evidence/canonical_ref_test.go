package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// canonicalReference is the canonical encoding written with encoding/json's
// tokenizer: slower, and the reference Canonical must agree with.
func canonicalReference(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var buf bytes.Buffer
	if err := refValue(dec, &buf); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return buf.Bytes(), nil
}

func refValue(dec *json.Decoder, buf *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			type member struct {
				key   string
				value []byte
			}
			var members []member
			for dec.More() {
				tok, err := dec.Token()
				if err != nil {
					return err
				}
				var v bytes.Buffer
				if err := refValue(dec, &v); err != nil {
					return err
				}
				members = append(members, member{tok.(string), v.Bytes()})
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
			slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
			buf.WriteByte('{')
			for i, m := range members {
				if i > 0 {
					if members[i-1].key == m.key {
						return fmt.Errorf("duplicate key")
					}
					buf.WriteByte(',')
				}
				enc := json.NewEncoder(buf)
				enc.SetEscapeHTML(false)
				_ = enc.Encode(m.key)
				buf.Truncate(buf.Len() - 1)
				buf.WriteByte(':')
				buf.Write(m.value)
			}
			buf.WriteByte('}')
			return nil
		case '[':
			buf.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := refValue(dec, buf); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
			buf.WriteByte(']')
			return nil
		}
		return fmt.Errorf("unexpected %q", t)
	case string:
		if m := midnight.FindStringSubmatch(t); m != nil {
			t = m[1]
		}
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(t)
		buf.Truncate(buf.Len() - 1)
	case json.Number:
		if !integer.MatchString(t.String()) {
			return fmt.Errorf("not an integer")
		}
		buf.WriteString(t.String())
	case bool:
		fmt.Fprint(buf, t)
	case nil:
		buf.WriteString("null")
	}
	return nil
}

var canonicalCorpus = []string{
	`{}`, `[]`, `null`, `true`, `"x"`, `0`, `-12`, ` { "b" : [ 1 , { } , [ ] ] , "a" : null } `,
	`{"b":"12.50000","a":{"z":1,"y":[true,null,"2026-03-01T00:00:00Z"]},"c":"<&>"}`,
	`{"s":"tab\there \"q\" back\\slash \u00e9 \ud83d\ude00 \u2028 \u0001"}`,
	`{"清单":"核注","é":"\u6e05"}`, "{\"bad\":\"\xff\xfe\"}", `{"t":"2026-03-01T08:00:00Z","d":"2026-03-01T00:00:00+08:00"}`,
	`{"a":1,"a":2}`, `{"q":12.5}`, `{"q":1e3}`, `{"a":1} x`, `{"a":}`, `[1,]`, `{"a" 1}`, `"unterminated`, `{"a":"\x"}`,
	`{"a":01}`, `{"a":-}`, `tru`, `{"a":[1 2]}`, "{\"c\":\"ctl\x01\"}",
}

// TestCanonicalAgreesWithTheReference: the hand-written parser and the
// tokenizer-based reference give the same bytes, or both refuse.
func TestCanonicalAgreesWithTheReference(t *testing.T) {
	for _, in := range canonicalCorpus {
		checkAgainstReference(t, []byte(in))
	}
}

func FuzzCanonical(f *testing.F) {
	for _, in := range canonicalCorpus {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkAgainstReference(t, in) })
}

func checkAgainstReference(t *testing.T, in []byte) {
	t.Helper()
	got, err := Canonical(in)
	want, refErr := canonicalReference(in)
	if (err == nil) != (refErr == nil) {
		t.Fatalf("Canonical(%q): %q, %v; reference %q, %v", in, got, err, want, refErr)
	}
	if err == nil && !bytes.Equal(got, want) {
		t.Fatalf("Canonical(%q) = %s, reference %s", in, got, want)
	}
}
