package codes

import (
	"fmt"
	"strings"
)

// ListType is the 清单类型 (InvtType / BondInvtTypecd) of a 保税核注清单
// (金二 INV101, gx-customs-bridge inv101_models.go). Codes 0–9 come from the 金二 field comments; "A" was added later;
// the letter of 区内直转 (GACC 公告2023年第185号) is [UNCONFIRMED] and is a
// caller's setting (see DefaultDirectTransferListType). There is no code 2.
type ListType string

// The 清单类型 codes with a confirmed letter.
const (
	// ListOrdinary is 0 普通清单, the default.
	ListOrdinary ListType = "0"
	// ListCollective is 1 集报清单: the collective list of 分送集报.
	ListCollective ListType = "1"
	// ListEnterFirst is 3 先入区后报关: enter the zone first, declare later.
	ListEnterFirst ListType = "3"
	// ListSimpleProcessing is 4 简单加工.
	ListSimpleProcessing ListType = "4"
	// ListDisplay is 5 保税展示交易 (bonded display trading).
	ListDisplay ListType = "5"
	// ListIntraZone is 6 区内流转: paired lists moving goods between two
	// books of the same zone.
	ListIntraZone ListType = "6"
	// ListPortLink is 7 区港联动.
	ListPortLink ListType = "7"
	// ListEcommerce is 8 保税电商.
	ListEcommerce ListType = "8"
	// ListGeneralTaxpayerSale is 9 一纳成品内销: domestic sale of finished goods
	// by a VAT general-taxpayer pilot enterprise.
	ListGeneralTaxpayerSale ListType = "9"
	// ListSelectiveDuty is A 选择性征关税 (selective duty on domestic sale).
	ListSelectiveDuty ListType = "A"
)

// DefaultDirectTransferListType is the code used for 区内直转 (announcement
// 2023 No. 185); the real letter is UNCONFIRMED in the reference, so callers
// take it from a setting whose default is this.
const DefaultDirectTransferListType ListType = "Z"

// DirectTransferName is the Chinese name of the 区内直转 list type, whatever
// letter the setting gives it.
const DirectTransferName = "区内直转"

// listTypeNames maps each confirmed 清单类型 code to its Chinese name.
var listTypeNames = map[ListType]string{
	ListOrdinary:            "普通清单",
	ListCollective:          "集报清单",
	ListEnterFirst:          "先入区后报关",
	ListSimpleProcessing:    "简单加工",
	ListDisplay:             "保税展示交易",
	ListIntraZone:           "区内流转",
	ListPortLink:            "区港联动",
	ListEcommerce:           "保税电商",
	ListGeneralTaxpayerSale: "一纳成品内销",
	ListSelectiveDuty:       "选择性征关税",
}

// listTypeOrder lists the confirmed codes in order, for messages.
var listTypeOrder = []ListType{
	ListOrdinary, ListCollective, ListEnterFirst, ListSimpleProcessing, ListDisplay,
	ListIntraZone, ListPortLink, ListEcommerce, ListGeneralTaxpayerSale, ListSelectiveDuty,
}

// Name returns the Chinese name of a confirmed 清单类型 code, or "" for any
// other code — including the 区内直转 letter, which is a setting (use
// ListTypeName to name it too).
func (t ListType) Name() string { return listTypeNames[t] }

// ListTypeName returns the Chinese name of t, naming t DirectTransferName
// when it is the configured 区内直转 letter directTransfer; "" when t is
// not known.
func ListTypeName(t, directTransfer ListType) string {
	if n := t.Name(); n != "" {
		return n
	}
	if t != "" && t == directTransfer {
		return DirectTransferName
	}
	return ""
}

// KnownListType reports whether t is a 清单类型 code: one of the confirmed
// codes, or the configured 区内直转 letter directTransfer (when not empty).
func KnownListType(t ListType, directTransfer ListType) bool {
	return ListTypeName(t, directTransfer) != ""
}

// CheckListType checks that t is a known 清单类型 code (see KnownListType).
func CheckListType(t ListType, directTransfer ListType) error {
	if KnownListType(t, directTransfer) {
		return nil
	}
	var b strings.Builder
	for _, c := range listTypeOrder {
		fmt.Fprintf(&b, "%s %s, ", string(c), c.Name())
	}
	if directTransfer != "" {
		fmt.Fprintf(&b, "%s %s, ", string(directTransfer), DirectTransferName)
	}
	expect := strings.TrimSuffix(b.String(), ", ")
	if t == "" {
		return fmt.Errorf("the 清单类型 is empty: expected one of %s", expect)
	}
	return fmt.Errorf("%q is not a 清单类型: expected one of %s", string(t), expect)
}

// CheckDirectTransferListType checks a setting for the 区内直转 letter: one
// digit or upper-case letter that is not already a confirmed 清单类型 code.
func CheckDirectTransferListType(t ListType) error {
	s := string(t)
	if len(s) != 1 || !isDigitOrUpper(s[0]) {
		return fmt.Errorf("%q cannot be the 区内直转 清单类型: expected one digit or upper-case letter, e.g. %q", s, string(DefaultDirectTransferListType))
	}
	if n := t.Name(); n != "" {
		return fmt.Errorf("%q cannot be the 区内直转 清单类型: it is already %s; expected a digit or upper-case letter that is not already a 清单类型 (0, 1, 3–9, A)", s, n)
	}
	return nil
}

// IOFlag is the 进出口标记 of a 核注清单 (ImpexpMarkcd) and the 进出标志 of a
// 核放单 (IoTypecd): I in, E out.
type IOFlag string

// The in/out flags.
const (
	// In is I: into the zone (进口 / 进区).
	In IOFlag = "I"
	// Out is E: out of the zone (出口 / 出区).
	Out IOFlag = "E"
)

// Valid reports whether f is In or Out.
func (f IOFlag) Valid() bool { return f == In || f == Out }

// Name returns the Chinese name of the flag (进区 / 出区), or "" when f is not
// valid.
func (f IOFlag) Name() string {
	switch f {
	case In:
		return "进区"
	case Out:
		return "出区"
	}
	return ""
}

// DeclareFlag is 是否报关 (DclcusFlag) of a 核注清单: whether a customs
// declaration goes with it.
type DeclareFlag string

// The 是否报关 codes.
const (
	// Declared is 1 报关: a declaration (报关单 / 备案清单) goes with the list.
	Declared DeclareFlag = "1"
	// NotDeclared is 2 非报关: no declaration (non-declaration goods, the zone flows of GACC 公告2019年第26号).
	NotDeclared DeclareFlag = "2"
)

// Valid reports whether f is Declared or NotDeclared.
func (f DeclareFlag) Valid() bool { return f == Declared || f == NotDeclared }

// Name returns the Chinese name of the flag, or "" when f is not valid.
func (f DeclareFlag) Name() string {
	switch f {
	case Declared:
		return "报关"
	case NotDeclared:
		return "非报关"
	}
	return ""
}

// DeclarationKind is 报关类型 (DclcusTypecd) of a 核注清单, filled only when
// 是否报关 is 1.
type DeclarationKind string

// The 报关类型 codes.
const (
	// DeclarationRelated is 1 关联报关: the declaration is the counterpart's
	// (关联报关单编号 and its parties are required).
	DeclarationRelated DeclarationKind = "1"
	// DeclarationCorresponding is 2 对应报关: the list generates its own
	// declaration (对应报关单编号 and 申报单位 are required).
	DeclarationCorresponding DeclarationKind = "2"
)

// Valid reports whether k is DeclarationRelated or DeclarationCorresponding.
func (k DeclarationKind) Valid() bool {
	return k == DeclarationRelated || k == DeclarationCorresponding
}

// Name returns the Chinese name of the kind, or "" when k is not valid.
func (k DeclarationKind) Name() string {
	switch k {
	case DeclarationRelated:
		return "关联报关"
	case DeclarationCorresponding:
		return "对应报关"
	}
	return ""
}

// TransferType is 流转类型 (ListType) of a 核注清单, filled only on transfer
// lists ("非流转类不填写", 金二 INV101, gx-customs-bridge inv101_models.go).
type TransferType string

// The 流转类型 codes.
const (
	// TransferDeepProcessing is A 加工贸易深加工结转.
	TransferDeepProcessing TransferType = "A"
	// TransferLeftover is B 加工贸易余料结转.
	TransferLeftover TransferType = "B"
	// TransferFreeEquipment is C 不作价设备结转.
	TransferFreeEquipment TransferType = "C"
	// TransferInterZoneDeepProcessing is D 区间深加工结转.
	TransferInterZoneDeepProcessing TransferType = "D"
	// TransferInterZoneMaterial is E 区间料件结转.
	TransferInterZoneMaterial TransferType = "E"
)

// transferTypeNames maps each 流转类型 code to its Chinese name.
var transferTypeNames = map[TransferType]string{
	TransferDeepProcessing:          "加工贸易深加工结转",
	TransferLeftover:                "加工贸易余料结转",
	TransferFreeEquipment:           "不作价设备结转",
	TransferInterZoneDeepProcessing: "区间深加工结转",
	TransferInterZoneMaterial:       "区间料件结转",
}

// Valid reports whether t is one of the TransferType constants.
func (t TransferType) Valid() bool { _, ok := transferTypeNames[t]; return ok }

// Name returns the Chinese name of the 流转类型, or "" when t is not valid.
func (t TransferType) Name() string { return transferTypeNames[t] }
