package sas

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/internal/swfuzz"
)

// FuzzDecodeINV101 feeds the signed INV101 decoder (FileListMessage)
// arbitrary bytes.
func FuzzDecodeINV101(f *testing.F) {
	swfuzz.Seed(f, "inv101*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, m, err := DecodeINV101(data)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		type msg struct {
			env EnvelopInfo
			m   INV101
		}
		swfuzz.RoundTrip(t, msg{env, m},
			func(v msg) ([]byte, error) { return EncodeINV101(v.env, v.m) },
			func(b []byte) (msg, error) { e, m, err := DecodeINV101(b); return msg{e, m}, err })
	})
}

// FuzzDecodeINV101JSON feeds the JSON form of INV101 arbitrary bytes.
func FuzzDecodeINV101JSON(f *testing.F) {
	swfuzz.Seed(f, "inv101*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeINV101JSON(data)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		swfuzz.RoundTrip(t, m, EncodeINV101JSON, DecodeINV101JSON)
	})
}

// FuzzDecodeINV201 feeds the list receipt decoder (ImportListReceipts)
// arbitrary bytes.
func FuzzDecodeINV201(f *testing.F) {
	swfuzz.Seed(f, "inv201*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, b, err := DecodeINV201(data)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		type msg struct {
			env EnvelopInfo
			b   INV201Body
		}
		swfuzz.RoundTrip(t, msg{env, b},
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
	swfuzz.RoundTrip(t, msg{env, data},
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
	swfuzz.Seed(f, "SAS2[25]1*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := ReceiptType(data); err != nil {
			swfuzz.Refusal(t, err)
		}
		env, d, err := DecodeReceipt[SAS221Data](data, MessageSAS221)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		receiptRoundTrip(t, env, d, MessageSAS221)
	})
}

// FuzzDecodeSAS251 feeds the gate status receipt decoder
// (ImportPassReceipts) arbitrary bytes.
func FuzzDecodeSAS251(f *testing.F) {
	swfuzz.Seed(f, "SAS2[25]1*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		env, d, err := DecodeReceipt[SAS251Data](data, MessageSAS251)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		receiptRoundTrip(t, env, d, MessageSAS251)
	})
}
