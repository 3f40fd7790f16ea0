package ceb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// seedFixtures adds every testdata fixture whose name matches pattern to
// the fuzz corpus, and a few hostile shapes beside them.
func seedFixtures(f *testing.F, pattern string) {
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
	for _, s := range []string{
		"", "<", "<?xml version=\"1.0\" encoding=\"GBK\"?><CEB311Message/>",
		"<!DOCTYPE x [<!ENTITY a \"b\">]><CEB311Message>&a;</CEB311Message>",
		"<CEB622Message></CEB622Message><CEB622Message/>",
	} {
		f.Add([]byte(s))
	}
}

// refusal fails the fuzz run unless err is a *singlewindow.FieldError with
// a message a user can act on.
func refusal(t *testing.T, err error) {
	t.Helper()
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("refusal %T %v is not a *singlewindow.FieldError", err, err)
	}
	if fe.Message == "" {
		t.Fatalf("refusal %#v has no message", fe)
	}
}

// FuzzDecode feeds the decoder SubmitMessages uses (CEB311, CEB411, CEB511)
// arbitrary bytes: it never panics, every refusal is a FieldError with a
// message, and what it accepts encodes to a message that decodes and
// encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	seedFixtures(f, "ceb[345]11*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			refusal(t, err)
			return
		}
		first, err := Encode(v)
		if err != nil {
			t.Fatalf("accepted %T does not encode: %v", v, err)
		}
		again, err := Decode(first)
		if err != nil {
			t.Fatalf("re-encoded message refused: %v\n%s", err, first)
		}
		second, err := Encode(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the message:\n%s\n---\n%s", first, second)
		}
	})
}

// FuzzDecodeReceipt does the same for CEB622 receipts (ImportReceipts).
func FuzzDecodeReceipt(f *testing.F) {
	seedFixtures(f, "ceb622*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeReceipt(data)
		if err != nil {
			refusal(t, err)
			return
		}
		first, err := EncodeReceipt(m)
		if err != nil {
			t.Fatalf("accepted receipt does not encode: %v", err)
		}
		again, err := DecodeReceipt(first)
		if err != nil {
			t.Fatalf("re-encoded receipt refused: %v\n%s", err, first)
		}
		second, err := EncodeReceipt(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the receipt:\n%s\n---\n%s", first, second)
		}
	})
}
