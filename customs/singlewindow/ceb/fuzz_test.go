package ceb

import (
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow/internal/swfuzz"
)

// FuzzDecode feeds the decoder SubmitMessages uses (CEB311, CEB411, CEB511)
// arbitrary bytes: it never panics, every refusal is a FieldError with a
// message, and what it accepts encodes to a message that decodes and
// encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	swfuzz.Seed(f, "ceb[345]11*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		swfuzz.RoundTrip(t, v, Encode, Decode)
	})
}

// FuzzDecodeReceipt does the same for CEB622 receipts (ImportReceipts).
func FuzzDecodeReceipt(f *testing.F) {
	swfuzz.Seed(f, "ceb622*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeReceipt(data)
		if err != nil {
			swfuzz.Refusal(t, err)
			return
		}
		swfuzz.RoundTrip(t, m, EncodeReceipt, DecodeReceipt)
	})
}
