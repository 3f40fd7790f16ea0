package grpcedge

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/zoneledger/zoneledger/ledger"
)

// Page sizes of list calls: page_size 0 (or out of range) is
// DefaultPageSize; no page is larger than MaxPageSize.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// PageSize is the number of entries a list call returns for the request's
// page_size: DefaultPageSize for 0 or less, at most MaxPageSize.
func PageSize(n int32) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(int(n), MaxPageSize)
}

// NextPageToken is a list call's next_page_token: empty when the page was
// not full (got < size, so there are no more), else the token of last, the
// key of the page's last entry.
func NextPageToken(got, size int, last string) string {
	if got < size {
		return ""
	}
	return EncodePageToken(last)
}

// EncodePageToken makes the opaque next_page_token of a list call from the
// last key returned; "" stays "" (no more pages).
func EncodePageToken(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// DecodePageToken returns the key a page token carries; "" is the first
// page. A token this server did not issue is refused with INVALID_ARGUMENT
// naming page_token; so is one whose key is not text (not UTF-8, or holding
// NUL), which the server never issues and the database cannot compare.
func DecodePageToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return "", badToken()
	}
	return string(b), nil
}

// DecodeIntPageToken decodes a page token carrying an integer key in
// [0, limit]; "" is the first page (0).
func DecodeIntPageToken(tok string, limit int64) (int64, error) {
	s, err := DecodePageToken(tok)
	if err != nil || s == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > limit {
		return 0, badToken()
	}
	return n, nil
}

func badToken() error {
	return ledger.BadArgument("page_token",
		"is not a token this server issued; pass next_page_token back unchanged")
}
