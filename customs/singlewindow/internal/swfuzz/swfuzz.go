// Package swfuzz holds what the fuzz tests of the single-window message
// packages share: seeding a corpus with the testdata fixtures, the check
// that a refusal is a *singlewindow.FieldError with a message, and the
// round trip an accepted message must survive.
package swfuzz

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// hostile are shapes added to every corpus beside the fixtures.
var hostile = []string{
	"", "<", "{", "null",
	"<?xml version=\"1.0\" encoding=\"GBK\"?><Package/>",
	"<!DOCTYPE x [<!ENTITY a \"b\">]><Package>&a;</Package>",
	"<Package></Package><Package/>",
}

// Seed adds every testdata fixture whose name matches pattern to f's
// corpus, and a few hostile shapes beside them.
func Seed(f *testing.F, pattern string) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(names) == 0 {
		f.Fatalf("no fixtures %s: %v", pattern, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range hostile {
		f.Add([]byte(s))
	}
}

// Refusal fails t unless err is a *singlewindow.FieldError with a message
// a user can act on.
func Refusal(t *testing.T, err error) {
	t.Helper()
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("refusal %T %v is not a *singlewindow.FieldError", err, err)
	}
	if fe.Message == "" {
		t.Fatalf("refusal %#v has no message", fe)
	}
}

// RoundTrip encodes v, decodes the result and encodes again: both
// encodings must be equal and the second decode must succeed.
func RoundTrip[T any](t *testing.T, v T, encode func(T) ([]byte, error), decode func([]byte) (T, error)) {
	t.Helper()
	first, err := encode(v)
	if err != nil {
		t.Fatalf("accepted message does not encode: %v", err)
	}
	again, err := decode(first)
	if err != nil {
		t.Fatalf("re-encoded message refused: %v\n%s", err, first)
	}
	second, err := encode(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the message:\n%s\n---\n%s", first, second)
	}
}
