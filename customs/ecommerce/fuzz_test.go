package ecommerce_test

import (
	"bytes"
	"testing"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
)

// FuzzParsePositiveList feeds the positive-list CSV parser arbitrary files:
// it answers entries or an error, never panics, and every entry it answers
// has a prefix of digits and a cap that is not negative.
func FuzzParsePositiveList(f *testing.F) {
	for _, s := range []string{
		"# a zone's list\nhs_prefix,annual_cap,note\n3304,,cosmetics\n1701, 2 ,sugar\n",
		"hs,cap,note\n", "hs_prefix,annual_cap,note\n33A4,,x\n", "hs_prefix,annual_cap,note\n3304,-1,x\n",
		"hs_prefix,annual_cap,note\n3304,1.5e3,x\n", "hs_prefix,annual_cap,note\n\"3304\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ecommerce.ParsePositiveList(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, e := range l {
			for _, c := range e.HSPrefix {
				if c < '0' || c > '9' {
					t.Fatalf("entry %+v: prefix not digits", e)
				}
			}
			if e.AnnualCap.IsNegative() {
				t.Fatalf("entry %+v: negative cap", e)
			}
		}
	})
}
