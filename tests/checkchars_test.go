package tests

import (
	"fmt"
	"strings"
)

// The tests make the identifiers they register with their own
// implementations of the national standards' check characters: an oracle
// independent of the server's validators (customs/codes), which the tests
// check from outside.

// usccCharset is the alphabet of a unified social credit code (GB
// 32100-2015): no I, O, S, V, Z; a character's value is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccCheckChar is the GB 32100-2015 check character of the first 17
// characters of a unified social credit code: 31 - Σ value·3^i mod 31, mod 31.
func usccCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("%q: want 17 characters", first17)
	}
	sum, w := 0, 1
	for i := range 17 {
		v := strings.IndexByte(usccCharset, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("%q: %q is not in the code's alphabet", first17, first17[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	return usccCharset[(31-sum%31)%31], nil
}

// idCheckChar is the GB 11643-1999 check character of the first 17 digits
// of a 居民身份证号码: ISO 7064 MOD 11-2.
func idCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("%q: want 17 digits", first17)
	}
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q: %q is not a digit", first17, c)
		}
		w = w * 2 % 11
		sum += int(c-'0') * w
	}
	return "10X98765432"[sum%11], nil
}
