package repair

import (
	"fmt"
	"strings"
)

// CatalogueEntry is one entry of a zone's repair catalogue (维修产品目录,
// 商务部 生态环境部 海关总署公告2020年第16号, 2021年第45号, 2024年第7号):
// goods whose HS code starts with Prefix may be repaired in the zone.
type CatalogueEntry struct {
	// Prefix is the HS code prefix, 2 to 10 digits.
	Prefix string
	// Category names the catalogue's category, for people (e.g. "航空航天").
	Category string
	// GroupOnly limits the entry to the group's own products (e.g. B超,
	// 彩超, 无创呼吸机 in 2021年第45号).
	GroupOnly bool
	// NoDomesticAfterRepair: the goods may not circulate in the domestic
	// area after repair (e.g. Pudong's "两头在外" medical devices); they
	// leave only by export.
	NoDomesticAfterRepair bool
}

// Settings are the repair rules the sources leave open
// (customs-reference §6: the in-zone repair period and the zone's
// catalogue are not retrieved; §6.1: whether remanufactured goods may be
// sold domestically is not found).
type Settings struct {
	// RepairPeriodDays is how many days after it opens a repair order
	// shows as overdue. Default 365 (the repair book's longest write-off
	// cycle, §4.1); the in-zone repair period is UNCONFIRMED.
	RepairPeriodDays int
	// Catalogue is the zone's repair catalogue. Empty: not checked (the
	// catalogues' HS lists are not in the reference); with entries, an
	// order opens only for goods of a line whose HS code one matches.
	Catalogue []CatalogueEntry
	// RemanufacturedDomesticSale lets remanufactured goods be sold in the
	// domestic area (taxed, on a domestic-sale list). Default false: the
	// 保税再制造 announcement was not found and the pilot re-exports
	// (customs-reference §6.1, UNCONFIRMED).
	RemanufacturedDomesticSale bool
}

// DefaultSettings returns the documented defaults.
func DefaultSettings() Settings { return Settings{RepairPeriodDays: 365} }

// Validate checks the settings; its error names the setting's key in the
// zoneledger config file.
func (s Settings) Validate() error {
	if s.RepairPeriodDays < 1 || s.RepairPeriodDays > 3660 {
		return fmt.Errorf("repair.period_days: %d is not between 1 and 3660", s.RepairPeriodDays)
	}
	for i, e := range s.Catalogue {
		if len(e.Prefix) < 2 || len(e.Prefix) > 10 || strings.Trim(e.Prefix, "0123456789") != "" {
			return fmt.Errorf("repair.catalogue[%d].prefix: %q is not 2 to 10 digits of an HS code", i, e.Prefix)
		}
	}
	return nil
}

// entry returns the catalogue entry matching an HS code: the longest
// prefix that matches.
func (s Settings) entry(hs string) (CatalogueEntry, bool) {
	var best CatalogueEntry
	found := false
	for _, e := range s.Catalogue {
		if strings.HasPrefix(hs, e.Prefix) && (!found || len(e.Prefix) > len(best.Prefix)) {
			best, found = e, true
		}
	}
	return best, found
}

// The flags of a catalogue entry in its text form.
const (
	flagGroupOnly  = "group-only"
	flagNoDomestic = "no-domestic"
)

// ParseCatalogueEntry reads an entry's text form, as the config file
// writes it: "PREFIX|CATEGORY|FLAGS", where FLAGS is empty or a comma list
// of "group-only" and "no-domestic"; e.g. "845710|数控机床|no-domestic".
func ParseCatalogueEntry(s string) (CatalogueEntry, error) {
	parts := strings.Split(s, "|")
	if len(parts) != 3 {
		return CatalogueEntry{}, fmt.Errorf("%q is not PREFIX|CATEGORY|FLAGS (e.g. \"845710|数控机床|no-domestic\")", s)
	}
	e := CatalogueEntry{Prefix: strings.TrimSpace(parts[0]), Category: strings.TrimSpace(parts[1])}
	for _, f := range strings.Split(parts[2], ",") {
		switch strings.TrimSpace(f) {
		case "":
		case flagGroupOnly:
			e.GroupOnly = true
		case flagNoDomestic:
			e.NoDomesticAfterRepair = true
		default:
			return CatalogueEntry{}, fmt.Errorf("%q: flag %q is neither %q nor %q", s, f, flagGroupOnly, flagNoDomestic)
		}
	}
	return e, nil
}

// String is the entry's text form, which ParseCatalogueEntry reads.
func (e CatalogueEntry) String() string {
	var flags []string
	if e.GroupOnly {
		flags = append(flags, flagGroupOnly)
	}
	if e.NoDomesticAfterRepair {
		flags = append(flags, flagNoDomestic)
	}
	return e.Prefix + "|" + e.Category + "|" + strings.Join(flags, ",")
}
