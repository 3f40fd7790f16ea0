package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/writeoff"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Config is the zone's settings file (--config): the rules of customs/zone,
// customs/tax, customs/ecommerce and customs/processing a zone may set
// without rebuilding, and
// the files of its tariff and positive list. Every key, its default and its
// source are in cmd/zoneledger/README.md; zoneledger.sample.toml is a file
// with every key at its default.
type Config struct {
	// TimeZone is the zone's IANA time zone (key time_zone).
	TimeZone string
	// Zone are the settings of customs/zone (table [zone]).
	Zone zone.Settings
	// Tax are the settings of customs/tax (table [tax]).
	Tax tax.Settings
	// TariffFile is the tariff CSV (key tax.tariff_file); empty means the
	// illustrative sample tariff.
	TariffFile string
	// TariffName names the tariff and its version (key tax.tariff_name);
	// empty means the tariff file's base name.
	TariffName string
	// Ecommerce are the settings of customs/ecommerce (table [ecommerce]);
	// its PositiveList is read from PositiveListFile when the server starts.
	Ecommerce ecommerce.Settings
	// PositiveListFile is the positive list CSV (key
	// ecommerce.positive_list_file); empty means the illustrative sample.
	PositiveListFile string
	// Processing are the settings of customs/processing (table
	// [processing]).
	Processing processing.Settings
	// Repair are the settings of customs/repair (table [repair]).
	Repair repair.Settings
	// WriteOff are the settings of customs/writeoff's cycle and stocktake
	// (table [writeoff]).
	WriteOff writeoff.CycleSettings
}

// DefaultConfig is the configuration a server runs with when no file is
// given: every library's documented defaults.
func DefaultConfig() Config {
	return Config{
		TimeZone:   ledger.DefaultTimeZone,
		Zone:       zone.DefaultSettings(),
		Tax:        tax.DefaultSettings(),
		Ecommerce:  ecommerce.DefaultSettings(),
		Processing: processing.DefaultSettings(),
		Repair:     repair.DefaultSettings(),
		WriteOff:   writeoff.DefaultCycleSettings(),
	}
}

// key binds one key of the file to one field of a Config: set parses the
// file's value into the field, get gives the field's value as it is printed.
type key struct {
	name string
	set  func(v any) error
	get  func() any
}

// keys lists every key of the file. To add a setting, add one line here
// (and a row to the table in cmd/zoneledger/README.md and a line to
// zoneledger.sample.toml).
func (c *Config) keys() []key {
	return []key{
		strKey("time_zone", &c.TimeZone),

		strKey("zone.direct_transfer_list_type", &c.Zone.DirectTransferListType),
		decKey("zone.weight_tolerance", &c.Zone.WeightTolerance),
		decKey("zone.weight_tolerance_min_kg", &c.Zone.WeightToleranceMinKg),
		boolKey("zone.two_gates", &c.Zone.TwoGates),
		intKey("zone.collective_deadline_months", &c.Zone.CollectiveDeadlineMonths),
		intKey("zone.collective_warn_days", &c.Zone.CollectiveWarnDays),
		intKey("zone.out_zone_max_days", &c.Zone.OutZoneMaxDays),
		intKey("zone.enter_first_declare_days", &c.Zone.EnterFirstDeclareDays),

		strKey("tax.tariff_file", &c.TariffFile),
		strKey("tax.tariff_name", &c.TariffName),
		ratesKey("tax.vat_standard", &c.Tax.VATStandard),
		ratesKey("tax.vat_reduced", &c.Tax.VATReduced),
		strKey("tax.tax_base", &c.Tax.TaxBase),
		decKey("tax.cross_border_single_limit", &c.Tax.CrossBorderSingleLimit),
		decKey("tax.cross_border_annual_limit", &c.Tax.CrossBorderAnnualLimit),
		decKey("tax.cross_border_factor", &c.Tax.CrossBorderFactor),
		decKey("tax.de_minimis", &c.Tax.DeMinimis),
		boolKey("tax.de_minimis_strictly_below", &c.Tax.DeMinimisStrictlyBelow),
		listKey("tax.de_minimis_taxes", &c.Tax.DeMinimisTaxes),
		ratesKey("tax.interest_rates", &c.Tax.InterestRates),
		strKey("tax.interest_base", &c.Tax.InterestBase),
		rangesKey("tax.interest_exemptions", &c.Tax.InterestExemptions),
		boolKey("tax.interest_on_finished_goods", &c.Tax.InterestOnFinishedGoods),
		strKey("tax.selective_base", &c.Tax.SelectiveBase),

		strKey("ecommerce.positive_list_file", &c.PositiveListFile),
		intKey("ecommerce.return_apply_days", &c.Ecommerce.ReturnApplyDays),
		intKey("ecommerce.return_arrive_days", &c.Ecommerce.ReturnArriveDays),
		intKey("ecommerce.payment_days", &c.Ecommerce.PaymentDays),
		decKey("ecommerce.tax_tolerance", &c.Ecommerce.TaxTolerance),
		strKey("ecommerce.ceb621_traf_mode", &c.Ecommerce.CEB621TrafMode),
		strKey("ecommerce.ceb_dxp_id", &c.Ecommerce.CEBDxpID),

		strKey("processing.nonbonded_from", &c.Processing.NonBondedFrom),
		boolKey("processing.declared_versions_only", &c.Processing.DeclaredVersionsOnly),
		strKey("processing.rnd_books", &c.Processing.RndBooks),
		boolKey("processing.rnd_use_outside_term", &c.Processing.RndUseOutsideTerm),
		strKey("processing.entrusted_dutiable", &c.Processing.EntrustedDutiable),

		intKey("repair.period_days", &c.Repair.RepairPeriodDays),
		catalogueKey("repair.catalogue", &c.Repair.Catalogue),
		boolKey("repair.remanufactured_domestic_sale", &c.Repair.RemanufacturedDomesticSale),

		intKey("writeoff.notice_lead_days", &c.WriteOff.NoticeLeadDays),
		boolKey("writeoff.shortage_by_materials", &c.WriteOff.ShortageByMaterials),
		intKey("writeoff.attention_cycle_days", &c.WriteOff.AttentionCycleDays),
		intKey("writeoff.attention_list_days", &c.WriteOff.AttentionListDays),
	}
}

// sections are the tables of the file, in printing order.
var sections = []string{"zone", "tax", "ecommerce", "processing", "repair", "writeoff"}

// LoadConfig reads the file at path over the defaults. An unknown key, a
// value of the wrong type or a value a library refuses is an error naming
// the key; nothing of a refused file is used.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading the config file: %w", err)
	}
	c, err := ParseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("config file %s: %w", path, err)
	}
	// File names in the file are relative to the file's directory.
	for _, p := range []*string{&c.TariffFile, &c.PositiveListFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(filepath.Dir(path), *p)
		}
	}
	return c, nil
}

// ParseConfig parses a config file's text (TOML) over DefaultConfig and
// validates the result (Validate).
func ParseConfig(data []byte) (Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return Config{}, fmt.Errorf("not valid TOML: %w", err)
	}
	c := DefaultConfig()
	byName := map[string]key{}
	for _, k := range c.keys() {
		byName[k.name] = k
	}
	var leaves []string
	flatten("", raw, func(name string, v any) { leaves = append(leaves, name) })
	sort.Strings(leaves)
	values := map[string]any{}
	flatten("", raw, func(name string, v any) { values[name] = v })
	for _, name := range leaves {
		k, ok := byName[name]
		if !ok {
			return Config{}, fmt.Errorf("unknown key %q%s; the keys are listed in cmd/zoneledger/README.md, and `zoneledger config print` prints them all",
				name, suggest(name, byName))
		}
		if err := k.set(values[name]); err != nil {
			return Config{}, fmt.Errorf("key %s: %w", name, err)
		}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// flatten calls leaf for every key of m that is not a table, with its dotted
// name.
func flatten(prefix string, m map[string]any, leaf func(string, any)) {
	for k, v := range m {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(name, sub, leaf)
			continue
		}
		leaf(name, v)
	}
}

// suggest names a known key in the same table with the same last word, if
// any, as a hint.
func suggest(name string, known map[string]key) string {
	last := name[strings.LastIndex(name, ".")+1:]
	for k := range known {
		if strings.HasSuffix(k, "."+last) || k == last {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return ""
}

// Validate checks every setting with the libraries' own checks and names the
// key at fault.
func (c Config) Validate() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return fmt.Errorf("key time_zone: %q is not an IANA time zone name; give one such as Asia/Shanghai", c.TimeZone)
	}
	if err := c.Zone.Validate(); err != nil {
		return fmt.Errorf("key zone.%w", err)
	}
	if err := c.Tax.Validate(); err != nil {
		e := ledger.AsError(err)
		return fmt.Errorf("key tax.%s: %s", strings.TrimPrefix(e.Field, "settings."), e.Message)
	}
	if err := c.Ecommerce.Validate(); err != nil {
		return fmt.Errorf("key ecommerce.%w", err)
	}
	if err := c.Processing.Check(); err != nil {
		return fmt.Errorf("key %w", err)
	}
	if err := c.Repair.Validate(); err != nil {
		return fmt.Errorf("key %w", err)
	}
	if err := c.WriteOff.Validate(); err != nil {
		return fmt.Errorf("key %w", err)
	}
	if c.TariffName != "" && c.TariffFile == "" {
		return errors.New("key tax.tariff_name: names a tariff file, but tax.tariff_file is not set (the sample tariff keeps its own name)")
	}
	if c.TariffName == tax.SampleTariffName {
		return fmt.Errorf("key tax.tariff_name: %q is the sample tariff's name; give the zone's tariff its own", c.TariffName)
	}
	return nil
}

// Print writes c as a config file (TOML) that ParseConfig reads back to
// the same settings.
func (c Config) Print(w io.Writer) error {
	top := map[string]any{}
	for _, s := range sections {
		top[s] = map[string]any{}
	}
	for _, k := range c.keys() {
		v := k.get()
		if v == nil {
			continue
		}
		if i := strings.IndexByte(k.name, '.'); i >= 0 {
			top[k.name[:i]].(map[string]any)[k.name[i+1:]] = v
		} else {
			top[k.name] = v
		}
	}
	var buf bytes.Buffer
	buf.WriteString("# zoneledger settings (keys, defaults and sources: cmd/zoneledger/README.md)\n")
	if err := toml.NewEncoder(&buf).Encode(top); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// tomlDateLoc is the location the TOML library gives local dates
// (1979-05-27), found by decoding one; a time in it prints as a date.
var tomlDateLoc = sync.OnceValue(func() *time.Location {
	var probe map[string]any
	if _, err := toml.Decode("d = 2000-01-01", &probe); err != nil {
		return time.UTC
	}
	if t, ok := probe["d"].(time.Time); ok {
		return t.Location()
	}
	return time.UTC
})

// tomlDate is t's calendar date as TOML prints it.
func tomlDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, tomlDateLoc())
}

// strKey binds a string key.
func strKey[T ~string](name string, p *T) key {
	return key{name: name,
		set: func(v any) error {
			s, ok := v.(string)
			if !ok {
				return fmt.Errorf("%v is a %s; give a quoted string", v, tomlType(v))
			}
			*p = T(s)
			return nil
		},
		get: func() any { return string(*p) }}
}

// intKey binds an integer key.
func intKey(name string, p *int) key {
	return key{name: name,
		set: func(v any) error {
			n, ok := v.(int64)
			if !ok || int64(int(n)) != n {
				return fmt.Errorf("%v is a %s; give a whole number", v, tomlType(v))
			}
			*p = int(n)
			return nil
		},
		get: func() any { return int64(*p) }}
}

// boolKey binds a true/false key.
func boolKey(name string, p *bool) key {
	return key{name: name,
		set: func(v any) error {
			b, ok := v.(bool)
			if !ok {
				return fmt.Errorf("%v is a %s; give true or false", v, tomlType(v))
			}
			*p = b
			return nil
		},
		get: func() any { return *p }}
}

// decKey binds an exact decimal: a quoted string ("0.03") or a whole
// number. A TOML float (0.03) is refused: it is binary floating point, and
// every amount here is exact.
func decKey(name string, p *decimal.Decimal) key {
	return key{name: name,
		set: func(v any) error {
			d, err := decimalValue(v)
			if err != nil {
				return err
			}
			*p = d
			return nil
		},
		get: func() any { return p.String() }}
}

func decimalValue(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case int64:
		return decimal.NewFromInt(x), nil
	case string:
		d, err := decimal.NewFromString(strings.TrimSpace(x))
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("%q is not a decimal number; write it like \"0.03\"", x)
		}
		return d, nil
	case float64:
		return decimal.Decimal{}, fmt.Errorf("%v is a TOML float, which is not exact; quote it: \"%v\"", x, x)
	default:
		return decimal.Decimal{}, fmt.Errorf("%v is a %s; give a decimal as a quoted string, e.g. \"0.03\"", v, tomlType(v))
	}
}

func dateValue(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		if h, m, sec := x.Clock(); h != 0 || m != 0 || sec != 0 || x.Nanosecond() != 0 {
			return time.Time{}, fmt.Errorf("%s has a time of day; give the date alone, such as 2019-04-01", x.Format(time.RFC3339))
		}
		return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), nil
	case string:
		t, err := time.Parse(time.DateOnly, x)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not a date; write 2019-04-01", x)
		}
		return t, nil
	default:
		return time.Time{}, fmt.Errorf("%v is a %s; give a date such as 2019-04-01", v, tomlType(v))
	}
}

// listKey binds a list of strings, e.g. ["DUTY", "VAT"].
func listKey[T ~string](name string, p *[]T) key {
	return key{name: name,
		set: func(v any) error {
			xs, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%v is a %s; give a list such as [\"DUTY\"]", v, tomlType(v))
			}
			out := make([]T, 0, len(xs))
			for i, x := range xs {
				s, ok := x.(string)
				if !ok {
					return fmt.Errorf("[%d]: %v is a %s; give a quoted string", i, x, tomlType(x))
				}
				out = append(out, T(s))
			}
			*p = out
			return nil
		},
		get: func() any {
			out := make([]string, len(*p))
			for i, s := range *p {
				out[i] = string(s)
			}
			return out
		}}
}

// tables reads a TOML array of tables whose every table has exactly the
// given keys.
func tables(v any, keys ...string) ([]map[string]any, error) {
	var xs []map[string]any
	switch x := v.(type) {
	case []map[string]any:
		xs = x
	case []any:
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("[%d]: %v is a %s; give tables with the keys %s", i, e, tomlType(e), strings.Join(keys, ", "))
			}
			xs = append(xs, m)
		}
	default:
		return nil, fmt.Errorf("%v is a %s; give an array of tables with the keys %s", v, tomlType(v), strings.Join(keys, ", "))
	}
	for i, m := range xs {
		for k := range m {
			if !slices.Contains(keys, k) {
				return nil, fmt.Errorf("[%d]: unknown key %q; the keys are %s", i, k, strings.Join(keys, ", "))
			}
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				return nil, fmt.Errorf("[%d]: missing key %q", i, k)
			}
		}
	}
	return xs, nil
}

// ratesKey binds a dated rate table: [[tax.vat_standard]] from = 2019-04-01,
// rate = "0.13".
func ratesKey(name string, p *[]tax.DatedRate) key {
	return key{name: name,
		set: func(v any) error {
			xs, err := tables(v, "from", "rate")
			if err != nil {
				return err
			}
			out := make([]tax.DatedRate, len(xs))
			for i, m := range xs {
				if out[i].From, err = dateValue(m["from"]); err != nil {
					return fmt.Errorf("[%d].from: %w", i, err)
				}
				if out[i].Rate, err = decimalValue(m["rate"]); err != nil {
					return fmt.Errorf("[%d].rate: %w", i, err)
				}
			}
			*p = out
			return nil
		},
		get: func() any {
			out := make([]map[string]any, len(*p))
			for i, r := range *p {
				out[i] = map[string]any{"from": tomlDate(r.From), "rate": r.Rate.String()}
			}
			return out
		}}
}

// rangesKey binds a list of date ranges: [[tax.interest_exemptions]] from =
// 2020-04-15, through = 2022-12-31.
func rangesKey(name string, p *[]tax.DateRange) key {
	return key{name: name,
		set: func(v any) error {
			xs, err := tables(v, "from", "through")
			if err != nil {
				return err
			}
			out := make([]tax.DateRange, len(xs))
			for i, m := range xs {
				if out[i].From, err = dateValue(m["from"]); err != nil {
					return fmt.Errorf("[%d].from: %w", i, err)
				}
				if out[i].Through, err = dateValue(m["through"]); err != nil {
					return fmt.Errorf("[%d].through: %w", i, err)
				}
			}
			*p = out
			return nil
		},
		get: func() any {
			out := make([]map[string]any, len(*p))
			for i, r := range *p {
				out[i] = map[string]any{"from": tomlDate(r.From), "through": tomlDate(r.Through)}
			}
			return out
		}}
}

// tomlType names a decoded TOML value's type for an error message.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "whole number"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case time.Time:
		return "date"
	case []any, []map[string]any:
		return "list"
	case map[string]any:
		return "table"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the zone's settings",
	}
	var file string
	printCmd := &cobra.Command{
		Use:   "print",
		Short: "Print the effective settings as a config file",
		Long: `Print the settings a server started with --config FILE would use (without
--config: the defaults), every key, in the config file's format (TOML): save
it, edit it and give it to zoneledger serve --config. Keys, defaults and
sources: cmd/zoneledger/README.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := DefaultConfig()
			if file != "" {
				var err error
				if c, err = LoadConfig(file); err != nil {
					return err
				}
			}
			return c.Print(cmd.OutOrStdout())
		},
	}
	printCmd.Flags().StringVar(&file, "config", "", "the settings file to read over the defaults")
	cmd.AddCommand(printCmd)
	return cmd
}

// catalogueKey binds the repair catalogue: a list of entries in their text
// form (repair.ParseCatalogueEntry).
func catalogueKey(name string, p *[]repair.CatalogueEntry) key {
	var texts []string
	inner := listKey(name, &texts)
	return key{name: name,
		set: func(v any) error {
			if err := inner.set(v); err != nil {
				return err
			}
			out := make([]repair.CatalogueEntry, 0, len(texts))
			for i, t := range texts {
				e, err := repair.ParseCatalogueEntry(t)
				if err != nil {
					return fmt.Errorf("[%d]: %w", i, err)
				}
				out = append(out, e)
			}
			*p = out
			return nil
		},
		get: func() any {
			out := make([]string, len(*p))
			for i, e := range *p {
				out[i] = e.String()
			}
			return out
		}}
}
