package ecommerce

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

// PositiveEntry is a line of the positive list (跨境电子商务零售进口商品清单):
// goods whose HS code starts with HSPrefix may be sold; AnnualCap, when
// positive, caps what one person may buy in a calendar year, in the goods'
// first legal unit (e.g. sugar 2 kg, rice 20 kg).
type PositiveEntry struct {
	HSPrefix  string
	AnnualCap decimal.Decimal
	Note      string
}

// Settings are the rules the sources leave to the zone.
type Settings struct {
	// PositiveList is checked on every order line; empty means every HS
	// code is allowed (no check).
	PositiveList []PositiveEntry
	// ReturnApplyDays is how many days after release a return may be
	// applied for (公告2020年第45号: 30).
	ReturnApplyDays int
	// ReturnArriveDays is how many days after release the returned goods
	// must be back in the zone (45). A return whose goods were not received
	// by then lapses (RETURN_LAPSED) and the list's tax is final.
	ReturnArriveDays int
	// PaymentDays is how many days after release the tax must be paid:
	// collected by period between the 31st and the 45th day (公告2018年第194号
	// as summarised in the reference, 财关税〔2016〕18号, 〔2018〕49号): 45.
	PaymentDays int
	// TaxTolerance is how far, in CNY either way, the tax a platform
	// withheld (Order.TaxTotal) may be from the engine's tax before the
	// order is refused with TAX_MISMATCH. Default 0.00: the platform must
	// withhold exactly what the engine computes (each tax of each line
	// rounded half-up to the fen once, the order's tax the sum of those; see
	// the package doc). A zone that lets platforms round per order instead
	// sets a few fen (e.g. 0.01 per tax kind rounded differently). The list
	// and the settlement always carry the engine's tax, never the
	// platform's.
	TaxTolerance decimal.Decimal
	// Location is the zone's time zone for business dates. Default UTC+8.
	Location *time.Location
	// CEB621TrafMode is the transport mode (trafMode) written on CEB621
	// inventory lists: "Y" (保税港区/综合保税区) by default. The reference
	// does not give the code a 综合保税区 warehouse's lists carry
	// (UNCONFIRMED); a zone whose customs want another sets it.
	CEB621TrafMode string
	// CEBDxpID is the data exchange (DXP) id written in the BaseTransfer of
	// CEB621 messages, the one the electronic port gave the zone's
	// declaring system. Empty: the warehouse enterprise's customs code is
	// written in its place; set it before sending messages for real.
	CEBDxpID string
}

// DefaultSettings returns the documented defaults, with no positive list.
func DefaultSettings() Settings {
	return Settings{ReturnApplyDays: 30, ReturnArriveDays: 45, PaymentDays: 45, Location: time.FixedZone("CST", 8*3600), CEB621TrafMode: "Y"}
}

// SamplePositiveList is a small illustrative positive list for demos and
// tests (it is not the customs list): cosmetics, computers, cameras, household
// electric appliances,
// infant formula, rice with a 20 kg annual cap, and sugar with 2 kg.
func SamplePositiveList() []PositiveEntry {
	return []PositiveEntry{
		{HSPrefix: "3304", Note: "美容品或化妆品"},
		{HSPrefix: "8471", Note: "计算机"},
		{HSPrefix: "8525", Note: "摄像机"},
		{HSPrefix: "8516", Note: "家用电热器具"},
		{HSPrefix: "1901", Note: "婴幼儿配方奶粉"},
		{HSPrefix: "1006", AnnualCap: decimal.NewFromInt(20), Note: "大米 (每人每年 20 千克)"},
		{HSPrefix: "1701", AnnualCap: decimal.NewFromInt(2), Note: "食糖 (每人每年 2 千克)"},
	}
}

// Validate checks every setting. Its error names the setting by its key in
// the zoneledger config file (cmd/zoneledger/README.md), e.g.
// "return_arrive_days: ...", and says which values are allowed. Zero day
// counts mean their defaults.
func (s Settings) Validate() error {
	_, err := s.normalize()
	return err
}

func (s Settings) normalize() (Settings, error) {
	d := DefaultSettings()
	if s.ReturnApplyDays == 0 {
		s.ReturnApplyDays = d.ReturnApplyDays
	}
	if s.ReturnArriveDays == 0 {
		s.ReturnArriveDays = d.ReturnArriveDays
	}
	if s.PaymentDays == 0 {
		s.PaymentDays = d.PaymentDays
	}
	if s.ReturnApplyDays < 0 {
		return s, fmt.Errorf("return_apply_days: %d must not be negative", s.ReturnApplyDays)
	}
	if s.ReturnArriveDays < s.ReturnApplyDays {
		return s, fmt.Errorf("return_arrive_days: %d must be no fewer than return_apply_days (%d): goods cannot be due back before the return may be applied for",
			s.ReturnArriveDays, s.ReturnApplyDays)
	}
	if s.PaymentDays < 0 {
		return s, fmt.Errorf("payment_days: %d must not be negative", s.PaymentDays)
	}
	if s.TaxTolerance.IsNegative() || ledger.Places(s.TaxTolerance) > 2 {
		return s, fmt.Errorf("tax_tolerance: %s must be >= 0 CNY, to the fen", s.TaxTolerance)
	}
	for i, e := range s.PositiveList {
		if e.HSPrefix == "" || len(e.HSPrefix) > 10 || strings.Trim(e.HSPrefix, "0123456789") != "" || e.AnnualCap.IsNegative() {
			return s, fmt.Errorf("positive list entry %d (%q): an HS prefix of 1 to 10 digits and a cap >= 0", i+1, e.HSPrefix)
		}
	}
	if s.Location == nil {
		s.Location = d.Location
	}
	if s.CEB621TrafMode == "" {
		s.CEB621TrafMode = d.CEB621TrafMode
	}
	if len(s.CEB621TrafMode) != 1 || strings.Trim(s.CEB621TrafMode, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return s, fmt.Errorf("ceb621_traf_mode: %q must be one customs transport mode code, a digit or a capital letter (e.g. Y)", s.CEB621TrafMode)
	}
	if len(s.CEBDxpID) > 30 {
		return s, fmt.Errorf("ceb_dxp_id: %q is longer than 30 characters", s.CEBDxpID)
	}
	return s, nil
}

// PositiveList returns the positive list the service releases inventory
// lists against (a copy); empty when it runs without one, allowing every
// HS code.
func (s *Service) PositiveList() []PositiveEntry { return slices.Clone(s.set.PositiveList) }

// positive returns the positive-list entry covering an HS code.
func (s Settings) positive(hs string) (PositiveEntry, bool) {
	if len(s.PositiveList) == 0 {
		return PositiveEntry{}, true
	}
	best, found := PositiveEntry{}, false
	for _, e := range s.PositiveList {
		if strings.HasPrefix(hs, e.HSPrefix) && len(e.HSPrefix) > len(best.HSPrefix) {
			best, found = e, true
		}
	}
	return best, found
}

// ParsePositiveList reads a positive list from CSV with the header
// hs_prefix,annual_cap,note: an HS code prefix of 1 to 10 digits, an
// optional per-person annual cap in the goods' first legal unit (a decimal
// string; empty for none), and a free note. Lines starting with # are
// comments.
func ParsePositiveList(r io.Reader) ([]PositiveEntry, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = 3
	cr.TrimLeadingSpace = true
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("positive list: %w", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "hs_prefix,annual_cap,note" {
		return nil, fmt.Errorf("positive list: the first row must be the header hs_prefix,annual_cap,note")
	}
	var out []PositiveEntry
	for i, rec := range recs[1:] {
		e := PositiveEntry{HSPrefix: strings.TrimSpace(rec[0]), Note: rec[2]}
		if c := strings.TrimSpace(rec[1]); c != "" {
			d, err := ledger.ParseDecimal(c, "annual_cap")
			if err != nil {
				return nil, fmt.Errorf("positive list row %d: %v", i+2, err)
			}
			e.AnnualCap = d
		}
		if e.HSPrefix == "" || len(e.HSPrefix) > 10 || strings.Trim(e.HSPrefix, "0123456789") != "" || e.AnnualCap.IsNegative() {
			return nil, fmt.Errorf("positive list row %d: %q is not an HS prefix of 1 to 10 digits with a cap >= 0", i+2, e.HSPrefix)
		}
		out = append(out, e)
	}
	return out, nil
}
