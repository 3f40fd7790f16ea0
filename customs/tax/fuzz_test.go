package tax

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParseTariff feeds the tariff CSV parser arbitrary files, seeded with
// the shipped sample: it answers a table or an error, never panics.
func FuzzParseTariff(f *testing.F) {
	sample, err := os.ReadFile("testdata/tariff-sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add([]byte("hs_code,duty_rate\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Add([]byte{0xef, 0xbb, 0xbf, ',', '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseTariff(bytes.NewReader(data))
	})
}
