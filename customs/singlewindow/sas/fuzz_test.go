package sas

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// seedFixtures adds the testdata fixtures matching pattern to the corpus,
// and a few hostile shapes beside them.
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
		"", "<", "{", "null", "<?xml version=\"1.0\" encoding=\"GBK\"?><Package/>",
		"<!DOCTYPE x [<!ENTITY a \"b\">]><Package>&a;</Package>",
		"<Package></Package><Package/>",
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

// sameAfterRoundTrip encodes v, decodes it with decode and encodes again:
// both encodings must be equal.
func sameAfterRoundTrip[T any](t *testing.T, v T, encode func(T) ([]byte, error), decode func([]byte) (T, error)) {
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

// FuzzDecodeINV101 feeds the signed INV101 decoder (FileListMessage)
// arbitrary bytes.
func FuzzDecodeINV101(f *testing.F) {
	seedFixtures(f, "inv101*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, m, err := DecodeINV101(data)
		if err != nil {
			refusal(t, err)
			return
		}
		type msg struct {
			env EnvelopInfo
			m   INV101
		}
		sameAfterRoundTrip(t, msg{env, m},
			func(v msg) ([]byte, error) { return EncodeINV101(v.env, v.m) },
			func(b []byte) (msg, error) { e, m, err := DecodeINV101(b); return msg{e, m}, err })
	})
}

// FuzzDecodeINV101JSON feeds the JSON form of INV101 arbitrary bytes.
func FuzzDecodeINV101JSON(f *testing.F) {
	seedFixtures(f, "inv101*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeINV101JSON(data)
		if err != nil {
			refusal(t, err)
			return
		}
		sameAfterRoundTrip(t, m, EncodeINV101JSON, DecodeINV101JSON)
	})
}

// FuzzDecodeINV201 feeds the list receipt decoder (ImportListReceipts)
// arbitrary bytes.
func FuzzDecodeINV201(f *testing.F) {
	seedFixtures(f, "inv201*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, b, err := DecodeINV201(data)
		if err != nil {
			refusal(t, err)
			return
		}
		type msg struct {
			env EnvelopInfo
			b   INV201Body
		}
		sameAfterRoundTrip(t, msg{env, b},
			func(v msg) ([]byte, error) { return EncodeINV201(v.env, PocketInfo{}, v.b) },
			func(b []byte) (msg, error) { e, r, err := DecodeINV201(b); return msg{e, r}, err })
	})
}

// receiptRoundTrip is the round trip of a pass receipt through the shared
// envelope: there is no encoder of its own, singlewindow.Encode writes it.
func receiptRoundTrip[T any](t *testing.T, env EnvelopInfo, data T, want string) {
	t.Helper()
	type msg struct {
		env  EnvelopInfo
		data T
	}
	sameAfterRoundTrip(t, msg{env, data},
		func(v msg) ([]byte, error) {
			var r Receipt[T]
			r.Envelope = v.env
			r.Data.Business = v.data
			return singlewindow.Encode(&r)
		},
		func(b []byte) (msg, error) { e, d, err := DecodeReceipt[T](b, want); return msg{e, d}, err })
}

// FuzzDecodeSAS221 feeds the pass approval receipt decoder
// (ImportPassReceipts) arbitrary bytes.
func FuzzDecodeSAS221(f *testing.F) {
	seedFixtures(f, "SAS2[25]1*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ReceiptType(data); err != nil {
			refusal(t, err)
		}
		env, d, err := DecodeReceipt[SAS221Data](data, MessageSAS221)
		if err != nil {
			refusal(t, err)
			return
		}
		receiptRoundTrip(t, env, d, MessageSAS221)
	})
}

// FuzzDecodeSAS251 feeds the gate status receipt decoder
// (ImportPassReceipts) arbitrary bytes.
func FuzzDecodeSAS251(f *testing.F) {
	seedFixtures(f, "SAS2[25]1*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, d, err := DecodeReceipt[SAS251Data](data, MessageSAS251)
		if err != nil {
			refusal(t, err)
			return
		}
		receiptRoundTrip(t, env, d, MessageSAS251)
	})
}
