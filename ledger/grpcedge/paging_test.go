package grpcedge

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/zoneledger/zoneledger/ledger"
)

// TestPageTokenThatIsNotTextIsRefused: a page token whose bytes are not
// text the database can compare (not UTF-8, or holding NUL) is refused as
// not issued by this server, naming page_token, rather than reaching SQL
// (where PostgreSQL refuses it and the caller got INTERNAL).
func TestPageTokenThatIsNotTextIsRefused(t *testing.T) {
	for name, raw := range map[string][]byte{
		"not UTF-8":        {0xd3, 0x1d},
		"lone byte 0xfb":   {0xfb},
		"NUL":              {'a', 0, 'b'},
		"truncated UTF-8":  {0xe2, 0x9e, 0x2b},
		"invalid and long": {0xf7, 0xdf, 0x7d, 0xf7},
	} {
		tok := base64.RawURLEncoding.EncodeToString(raw)
		_, err := DecodePageToken(tok)
		var le *ledger.Error
		if !errors.As(err, &le) || le.Kind != ledger.KindInvalid || le.Field != "page_token" {
			t.Errorf("%s: DecodePageToken(%q) = %v; want KindInvalid naming page_token", name, tok, err)
		}
		if _, err := DecodeIntPageToken(tok, 1<<40); err == nil {
			t.Errorf("%s: DecodeIntPageToken(%q) accepted it", name, tok)
		}
	}
	// What the server issues still decodes, Chinese text included.
	for _, key := range []string{"H31050000001", "电子账册/1", "42"} {
		got, err := DecodePageToken(EncodePageToken(key))
		if err != nil || got != key {
			t.Errorf("round trip of %q: %q, %v", key, got, err)
		}
	}
}
