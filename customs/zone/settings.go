package zone

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
)

// Settings are the zone's rules that the sources leave open or that differ
// between zones. DefaultSettings documents each default.
type Settings struct {
	// DirectTransferListType is the 清单类型 code of a 区内直转 list
	// (announcement 2023 No. 185). The reference could not confirm the
	// letter; default codes.DefaultDirectTransferListType ("Z").
	DirectTransferListType codes.ListType
	// WeightTolerance is the fraction by which the weighed goods may differ
	// from the declared gross weight, and the declared pass weights from the
	// bound lists' weights, before a vehicle is held. Default 0.03 (3 %).
	WeightTolerance decimal.Decimal
	// WeightToleranceMinKg is the least tolerance in kg whatever the
	// fraction gives (scales read to tens of kg). Default 20.
	WeightToleranceMinKg decimal.Decimal
	// TwoGates makes the zone a two-gate zone: a pass is released at the
	// first gate and its goods are booked when it passes the second.
	// Default false (one gate).
	TwoGates bool
	// CollectiveDeadlineMonths is how many months after the month of a
	// 分送集报 trip its collective declaration is due, by the month's last
	// day: 0 (default) means by the end of the trip's own month. The
	// reference could not confirm the period (深关公告〔2025〕2号 was cut
	// off); zones set their own.
	CollectiveDeadlineMonths int
	// CollectiveWarnDays is how many days before the deadline a trip counts
	// as nearing it in the pending-trips report. Default 5.
	CollectiveWarnDays int
	// OutZoneMaxDays is the longest an OUT movement of goods out of the zone
	// (testing, repair, moulds, other, 外发加工) may run from the day the
	// goods go out to their due-back date, in days; 0 (default) sets no
	// limit beyond the contract and the form's period. Order 256 replaced
	// the old "60 days plus 30" by the contract's term (reference §2.6); the
	// article text could not be confirmed, so zones may set their own.
	OutZoneMaxDays int
	// EnterFirstDeclareDays is how many days after goods entered on a
	// 先入区后报关 (type-1) pass their list is due: the overdue listing shows
	// goods not declared by then. Default 14, the import declaration period
	// of ordinary goods (reference §2.5); the reference could not confirm a
	// period of its own for 先入区后报关. 0 takes the default.
	EnterFirstDeclareDays int
	// Location is the zone's time zone: business dates of gate events are
	// taken in it. Default Asia/Shanghai (UTC+8).
	Location *time.Location
}

// DefaultSettings returns the documented defaults.
func DefaultSettings() Settings {
	return Settings{
		DirectTransferListType: codes.DefaultDirectTransferListType,
		WeightTolerance:        decimal.RequireFromString("0.03"),
		WeightToleranceMinKg:   decimal.NewFromInt(20),
		CollectiveWarnDays:     5,
		EnterFirstDeclareDays:  14,
		Location:               time.FixedZone("CST", 8*3600),
	}
}

// Validate checks every setting. Its error names the setting by its key in
// the zoneledger config file (cmd/zoneledger/README.md), e.g.
// "weight_tolerance: ...", and says which values are allowed.
func (s Settings) Validate() error {
	_, err := s.normalize()
	return err
}

func (s Settings) normalize() (Settings, error) {
	d := DefaultSettings()
	if s.DirectTransferListType == "" {
		s.DirectTransferListType = d.DirectTransferListType
	}
	if err := codes.CheckDirectTransferListType(s.DirectTransferListType); err != nil {
		return s, fmt.Errorf("direct_transfer_list_type: %w", err)
	}
	if s.WeightTolerance.IsNegative() || s.WeightTolerance.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return s, fmt.Errorf("weight_tolerance: %s must be a fraction in [0, 1), e.g. 0.03 for 3 %%", s.WeightTolerance)
	}
	if s.WeightToleranceMinKg.IsNegative() {
		return s, fmt.Errorf("weight_tolerance_min_kg: %s kg must not be negative", s.WeightToleranceMinKg)
	}
	if s.CollectiveDeadlineMonths < 0 || s.CollectiveDeadlineMonths > 12 {
		return s, fmt.Errorf("collective_deadline_months: %d must be 0 to 12", s.CollectiveDeadlineMonths)
	}
	if s.CollectiveWarnDays < 0 {
		return s, fmt.Errorf("collective_warn_days: %d days must not be negative", s.CollectiveWarnDays)
	}
	if s.OutZoneMaxDays < 0 || s.OutZoneMaxDays > 3660 {
		return s, fmt.Errorf("out_zone_max_days: %d must be 0 (no limit beyond the contract and the form) to 3660 days", s.OutZoneMaxDays)
	}
	if s.EnterFirstDeclareDays == 0 {
		s.EnterFirstDeclareDays = d.EnterFirstDeclareDays
	}
	if s.EnterFirstDeclareDays < 1 || s.EnterFirstDeclareDays > 366 {
		return s, fmt.Errorf("enter_first_declare_days: %d must be 1 to 366 days (0 takes the default, 14)", s.EnterFirstDeclareDays)
	}
	if s.Location == nil {
		s.Location = d.Location
	}
	return s, nil
}

// tolerance is the weight difference allowed against a declared weight.
func (s Settings) tolerance(declared decimal.Decimal) decimal.Decimal {
	t := declared.Abs().Mul(s.WeightTolerance)
	if t.LessThan(s.WeightToleranceMinKg) {
		return s.WeightToleranceMinKg
	}
	return t
}
