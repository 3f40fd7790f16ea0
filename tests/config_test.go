package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestServeWithAConfigFile drives the built binary as an operator would: a
// file with a misspelt key, or a bad value, stops serve with the key named;
// config print writes a file serve reads back; a file's de-minimis and
// tariff name take effect in TaxService/Quote.
func TestServeWithAConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ text, want string }{
		{"[zone]\nweight_tolerence = \"0.05\"\n", `unknown key "zone.weight_tolerence"`},
		{"[tax]\nde_minimis = \"-1\"\n", "key tax.de_minimis: threshold -1 is negative"},
	} {
		file := write("bad.toml", c.text)
		out, err := exec.Command(bins.zoneledger, "serve", "--config", file, "--data-dir", filepath.Join(dir, "never"), "--listen", "127.0.0.1:0", "--metrics-listen", "").CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("serve with %q: %v\n%s\nwant a failure naming %q", c.text, err, out, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "never")); err == nil {
			t.Errorf("serve with %q created its data directory before refusing the file", c.text)
		}
	}

	sample, err := os.ReadFile("../customs/tax/testdata/tariff-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	write("tariff.csv", string(sample))
	edited := write("edited.toml", "[tax]\ntariff_file = \"tariff.csv\"\ntariff_name = \"zone-tariff-2026-01\"\nde_minimis = \"0\"\n")
	printed, err := exec.Command(bins.zoneledger, "config", "print", "--config", edited).Output()
	if err != nil {
		t.Fatalf("config print: %v", err)
	}
	if !bytes.Contains(printed, []byte(`de_minimis = "0"`)) || !bytes.Contains(printed, []byte(`weight_tolerance = "0.03"`)) {
		t.Fatalf("config print does not show the file's and the default settings:\n%s", printed)
	}
	file := write("zone.toml", string(printed))

	// 8516500000 (microwave oven) is 8 % duty in the sample: 375.00 × 0.08
	// = 30.00, under the default de-minimis of 50 but charged with 0.
	req := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_GENERAL_TRADE, Date: "2026-11-02",
		Lines: []*customsv1.QuoteLine{{HsCode: "8516500000", DutiableValue: "375.00", Quantity: "1", Unit: "001"}}}
	for _, c := range []struct {
		args         []string
		duty, tariff string
	}{
		{nil, "0.00", sampleTariffName},
		{[]string{"--config", file}, "30.00", "zone-tariff-2026-01"},
	} {
		s := StartServer(t, c.args...)
		a := NewActors(t, s)
		r, err := customsv1.NewTaxServiceClient(s.Conn()).Quote(ctxAs(t, a.E1), req)
		if err != nil {
			t.Fatalf("%v: Quote: %v", c.args, err)
		}
		if r.GetDuty() != c.duty || r.GetTariff() != c.tariff {
			t.Errorf("%v: duty %s tariff %q, want %s and %q", c.args, r.GetDuty(), r.GetTariff(), c.duty, c.tariff)
		}
		warned := strings.Contains(s.log.String(), "illustrative sample tariff")
		if warned != (c.tariff == sampleTariffName) {
			t.Errorf("%v: warned of the sample tariff: %v", c.args, warned)
		}
	}
}

// sampleTariffName is the tariff name QuoteResponse.tariff carries while
// the illustrative sample tariff is in force, as the API documents it
// (customs/v1/tax.proto).
const sampleTariffName = "zoneledger-sample-ILLUSTRATIVE"
