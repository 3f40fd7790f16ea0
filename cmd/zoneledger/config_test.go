package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// printed is c as config print writes it. Every key is printed (checked
// below), and a decimal prints as its exact value, so two configs print the
// same exactly when their settings are equal (0.7 and 0.70 being equal).
func printed(t *testing.T, c Config) string {
	t.Helper()
	var out bytes.Buffer
	if err := c.Print(&out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func parse(t *testing.T, text string) (Config, error) {
	t.Helper()
	return ParseConfig([]byte(text))
}

// TestConfigRefusesUnknownKeysNamingThem: a misspelt or misplaced key stops
// the start with its name, never silently leaving the default in force.
func TestConfigRefusesUnknownKeysNamingThem(t *testing.T) {
	for _, c := range []struct{ text, key string }{
		{"[zone]\nweight_tolerence = \"0.05\"\n", `"zone.weight_tolerence"`},
		{"weight_tolerance = \"0.05\"\n", `"weight_tolerance" (did you mean "zone.weight_tolerance"?)`},
		{"[tax]\nde_minimus = \"0\"\n", `"tax.de_minimus"`},
		{"[customs]\nx = 1\n", `"customs.x"`},
		{"[[tax.interest_rates]]\nfrom = 2009-01-01\nrate = \"0.0036\"\nnote = \"x\"\n", `tax.interest_rates: [0]: unknown key "note"`},
	} {
		_, err := parse(t, c.text)
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: got %v, want an error naming %s", c.text, err, c.key)
		}
	}
}

// TestConfigRefusesBadValuesNamingTheKey: a value of the wrong type, one a
// library refuses, or a float where an exact decimal is needed stops the
// start with the key named.
func TestConfigRefusesBadValuesNamingTheKey(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"[zone]\nweight_tolerance = \"1.5\"\n", "key zone.weight_tolerance: 1.5 must be a fraction"},
		{"[zone]\nweight_tolerance = 0.03\n", "key zone.weight_tolerance: 0.03 is a TOML float, which is not exact; quote it"},
		{"[zone]\nweight_tolerance = \"3%\"\n", "key zone.weight_tolerance: \"3%\" is not a decimal"},
		{"[processing]\nnonbonded_from = \"warehouse\"\n", "key processing.nonbonded_from: \"warehouse\" is neither \"outside\" nor \"book\""},
		{"[processing]\nentrusted_dutiable = \"value\"\n", "key processing.entrusted_dutiable: \"value\" is neither \"fee_and_materials\" nor \"fee\""},
		{"[processing]\ndeclared_versions_only = \"yes\"\n", "key processing.declared_versions_only: yes is a string; give true or false"},
		{"[zone]\ntwo_gates = \"yes\"\n", "key zone.two_gates: yes is a string; give true or false"},
		{"[zone]\ncollective_deadline_months = 13\n", "key zone.collective_deadline_months: 13 must be 0 to 12"},
		{"[zone]\ndirect_transfer_list_type = \"zz\"\n", "key zone.direct_transfer_list_type:"},
		{"[tax]\nde_minimis = \"-1\"\n", "key tax.de_minimis: threshold -1 is negative"},
		{"[tax]\ninterest_base = \"PRINCIPAL\"\n", "key tax.interest_base: unknown value \"PRINCIPAL\""},
		{"[tax]\nde_minimis_taxes = [\"DUTY\", \"GST\"]\n", "key tax.de_minimis_taxes[1]: unknown tax kind \"GST\""},
		{"[[tax.vat_standard]]\nfrom = 2019-04-01\nrate = \"0.13\"\n[[tax.vat_standard]]\nfrom = 2018-05-01\nrate = \"0.16\"\n",
			"key tax.vat_standard[1].from: dates must be strictly ascending"},
		{"[[tax.vat_standard]]\nfrom = \"April\"\nrate = \"0.13\"\n", "key tax.vat_standard: [0].from: \"April\" is not a date"},
		{"[[tax.interest_rates]]\nfrom = 2009-01-01T08:00:00\nrate = \"0.0036\"\n", "key tax.interest_rates: [0].from: 2009-01-01T08:00:00Z has a time of day"},
		{"[tax]\ntariff_name = \"zone-2026\"\n", "key tax.tariff_name: names a tariff file, but tax.tariff_file is not set"},
		{"[ecommerce]\nreturn_arrive_days = 10\n", "key ecommerce.return_arrive_days: 10 must be no fewer than return_apply_days (30)"},
		{"[ecommerce]\npayment_days = -1\n", "key ecommerce.payment_days: -1 must not be negative"},
		{"time_zone = \"Mars/Olympus\"\n", "key time_zone: \"Mars/Olympus\" is not an IANA time zone name"},
		{"[zone\n", "not valid TOML"},
	} {
		_, err := parse(t, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant an error containing %q", c.text, err, c.want)
		}
	}
}

// changed is a config with every key off its default.
func changed(t *testing.T) Config {
	t.Helper()
	c := DefaultConfig()
	c.TimeZone = "Asia/Urumqi"
	c.Zone.DirectTransferListType = "Y"
	c.Zone.WeightTolerance = decimal.RequireFromString("0.025")
	c.Zone.WeightToleranceMinKg = decimal.RequireFromString("12.5")
	c.Zone.TwoGates = true
	c.Zone.CollectiveDeadlineMonths = 1
	c.Zone.CollectiveWarnDays = 7
	c.TariffFile, c.TariffName = "/etc/zoneledger/tariff-2026.csv", "zone-tariff-2026-01"
	c.Tax.TaxBase = tax.RoundedBase
	c.Tax.VATStandard = c.Tax.VATStandard[1:]
	c.Tax.VATReduced = nil
	c.Tax.CrossBorderSingleLimit = decimal.RequireFromString("6000")
	c.Tax.CrossBorderAnnualLimit = decimal.RequireFromString("30000.50")
	c.Tax.CrossBorderFactor = decimal.RequireFromString("0.65")
	c.Tax.DeMinimis = decimal.Zero
	c.Tax.DeMinimisStrictlyBelow = true
	c.Tax.DeMinimisTaxes = []tax.TaxKind{tax.TaxDuty, tax.TaxVAT}
	c.Tax.InterestRates = append(c.Tax.InterestRates, tax.DatedRate{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Rate: decimal.RequireFromString("0.00345")})
	c.Tax.InterestBase = tax.InterestOnDuty
	c.Tax.InterestExemptions = []tax.DateRange{{From: time.Date(2020, 4, 15, 0, 0, 0, 0, time.UTC), Through: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC)}}
	c.Tax.InterestOnFinishedGoods = true
	c.Tax.SelectiveBase = tax.FinishedDutyInBase
	c.PositiveListFile = "positive.csv"
	c.Ecommerce.ReturnApplyDays = 20
	c.Ecommerce.ReturnArriveDays = 40
	c.Ecommerce.PaymentDays = 50
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestConfigPrintRoundTrips: what config print writes parses back to the
// same settings, for the defaults and for a config with every key changed.
func TestConfigPrintRoundTrips(t *testing.T) {
	for name, c := range map[string]Config{"defaults": DefaultConfig(), "changed": changed(t)} {
		var out bytes.Buffer
		if err := c.Print(&out); err != nil {
			t.Fatal(err)
		}
		got, err := ParseConfig(out.Bytes())
		if err != nil {
			t.Fatalf("%s: the printed file does not parse: %v\n%s", name, err, out.String())
		}
		if again := printed(t, got); again != out.String() {
			t.Errorf("%s: print then parse gives\n%s\nwant\n%s", name, again, out.String())
		}
		if got.TariffFile != c.TariffFile || got.TimeZone != c.TimeZone || !got.Tax.CrossBorderFactor.Equal(c.Tax.CrossBorderFactor) ||
			!reflect.DeepEqual(got.Tax.DeMinimisTaxes, c.Tax.DeMinimisTaxes) || !reflect.DeepEqual(got.Tax.InterestExemptions, c.Tax.InterestExemptions) {
			t.Errorf("%s: print then parse gives %+v, want %+v", name, got, c)
		}
	}
	// Every key is printed: changing any one of them is visible.
	var out bytes.Buffer
	if err := DefaultConfig().Print(&out); err != nil {
		t.Fatal(err)
	}
	for _, k := range new(Config).keys() {
		last := k.name[strings.LastIndex(k.name, ".")+1:]
		if !strings.Contains(out.String(), last) {
			t.Errorf("config print leaves out %s", k.name)
		}
	}
}

// TestSampleConfigIsDocumented: the committed sample file parses, holds
// every key at its default, and the README documents every key.
func TestSampleConfigIsDocumented(t *testing.T) {
	c, err := LoadConfig("zoneledger.sample.toml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := printed(t, c), printed(t, DefaultConfig()); got != want {
		t.Errorf("the sample file gives\n%s\nwant the defaults\n%s", got, want)
	}
	sample, err := os.ReadFile("zoneledger.sample.toml")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range new(Config).keys() {
		last := k.name[strings.LastIndex(k.name, ".")+1:]
		if !strings.Contains(string(sample), last) {
			t.Errorf("the sample file leaves out %s", k.name)
		}
		if !strings.Contains(string(readme), "`"+k.name+"`") {
			t.Errorf("README.md does not document `%s`", k.name)
		}
	}
}

// TestFlagsWinOverTheFile: --tariff, --positive-list and --time-zone given
// on the command line win over the file; the file's customs rules reach the
// server's Config; names in the file are relative to its directory.
func TestFlagsWinOverTheFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "zone.toml")
	if err := os.WriteFile(file, []byte(`time_zone = "Asia/Urumqi"
[zone]
weight_tolerance = "0.05"
[tax]
tariff_file = "tariff.csv"
tariff_name = "zone-2026"
de_minimis = "0"
[ecommerce]
positive_list_file = "positive.csv"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args                     []string
		tariff, name, pos, where string
	}{
		{[]string{"--config", file}, filepath.Join(dir, "tariff.csv"), "zone-2026", filepath.Join(dir, "positive.csv"), "Asia/Urumqi"},
		{[]string{"--config", file, "--tariff", "/t.csv", "--positive-list", "/p.csv", "--time-zone", "UTC"}, "/t.csv", "", "/p.csv", "UTC"},
	} {
		o := &serveOptions{}
		cmd := newServeCmd(o)
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		if err := o.applyConfig(cmd); err != nil {
			t.Fatal(err)
		}
		got := o.cfg
		if got.TariffFile != c.tariff || got.TariffName != c.name || got.PositiveListFile != c.pos || got.TimeZone != c.where {
			t.Errorf("%v: tariff %q name %q positive list %q time zone %q; want %q %q %q %q", c.args,
				got.TariffFile, got.TariffName, got.PositiveListFile, got.TimeZone, c.tariff, c.name, c.pos, c.where)
		}
		if got.Zone == nil || !got.Zone.WeightTolerance.Equal(decimal.RequireFromString("0.05")) || got.Tax == nil || !got.Tax.DeMinimis.IsZero() {
			t.Errorf("%v: the file's rules did not reach the server's Config: zone %+v tax %+v", c.args, got.Zone, got.Tax)
		}
	}
}

// TestConfigTakesEffectInServedQuote starts the server as serve --config
// would and asks TaxService/Quote for a line owing 30.00 duty: with the
// defaults it is waived (de-minimis 50) and the quote names the sample
// tariff, which the log warns of at start (as of the sample positive list,
// which neither run replaces); with a file setting de_minimis
// "0" and a named tariff file, the duty is charged and the quote names that
// tariff.
func TestConfigTakesEffectInServedQuote(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile("../../customs/tax/testdata/tariff-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tariff.csv"), sample, 0o600); err != nil {
		t.Fatal(err)
	}
	zoneFile := filepath.Join(dir, "zone.toml")
	if err := os.WriteFile(zoneFile, []byte("[tax]\ntariff_file = \"tariff.csv\"\ntariff_name = \"zone-tariff-2026-01\"\nde_minimis = \"0\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// 8516500000 (microwave oven) is 8 % duty in the sample: 375.00 × 0.08 = 30.00.
	req := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_GENERAL_TRADE, Date: "2026-11-02",
		Lines: []*customsv1.QuoteLine{{HsCode: "8516500000", DutiableValue: "375.00", Quantity: "1", Unit: "001"}}}
	for _, c := range []struct {
		args         []string
		duty, tariff string
		waived       bool
		warns        bool
	}{
		{nil, "0.00", tax.SampleTariffName, true, true},
		{[]string{"--config", zoneFile}, "30.00", "zone-tariff-2026-01", false, false},
	} {
		o := &serveOptions{}
		cmd := newServeCmd(o)
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		if err := o.applyConfig(cmd); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		cfg := o.cfg
		cfg.DatabaseURL = pgtest.NewDatabase(t)
		cfg.Listen, cfg.MetricsListen = "127.0.0.1:0", ""
		cfg.AdminTokenFile = filepath.Join(t.TempDir(), "admin.token")
		cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
		ctx := context.Background()
		s, err := server.Start(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		token, err := os.ReadFile(cfg.AdminTokenFile)
		if err != nil {
			t.Fatal(err)
		}
		conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		actx := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+strings.TrimSpace(string(token)))
		q, err := customsv1.NewTaxServiceClient(conn).Quote(actx, req)
		conn.Close()
		if err := s.Stop(ctx); err != nil {
			t.Error(err)
		}
		if err != nil {
			t.Fatalf("%v: Quote: %v", c.args, err)
		}
		if q.GetDuty() != c.duty || (len(q.GetWaived()) > 0) != c.waived || q.GetTariff() != c.tariff {
			t.Errorf("%v: duty %s waived %v tariff %q; want duty %s waived %v tariff %q", c.args,
				q.GetDuty(), q.GetWaived(), q.GetTariff(), c.duty, c.waived, c.tariff)
		}
		for _, sample := range []string{"illustrative sample tariff", "illustrative sample list"} {
			warned := false
			for _, line := range strings.Split(log.String(), "\n") {
				warned = warned || strings.Contains(line, "level=WARN") && strings.Contains(line, sample)
			}
			if want := c.warns || sample == "illustrative sample list"; warned != want {
				t.Errorf("%v: warned of the %s %v, want %v; log:\n%s", c.args, sample, warned, want, log.String())
			}
		}
	}
}
