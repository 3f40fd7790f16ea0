package codes

import "fmt"

// PassType is 核放单类型 (PassportTypecd), the type of a gate release slip
// (核放单, 金二 SAS121, gx-customs-bridge). (One client UI shows a 7 两步申报; it is not included.)
type PassType string

// The 核放单类型 codes.
const (
	// PassEnterFirst is 1 先入区后报关: goods enter on the bill of lading
	// (提运单) and are declared later on a 清单类型 3 list.
	PassEnterFirst PassType = "1"
	// PassFirstLine is 2 一线一体化进出区: 一线 entry or exit.
	PassFirstLine PassType = "2"
	// PassSecondLine is 3 二线进出区: 二线 entry or exit.
	PassSecondLine PassType = "3"
	// PassNonDeclared is 4 非报关进出区: goods on a 非报关 核注清单.
	PassNonDeclared PassType = "4"
	// PassGateRegistration is 5 卡口登记货物: goods registered at the gate only
	// (GACC 公告2023年第200号: 基建物资, 办公用品 and the like).
	PassGateRegistration PassType = "5"
	// PassEmptyVehicle is 6 空车进出区: an empty vehicle.
	PassEmptyVehicle PassType = "6"
)

// passTypeNames maps each 核放单类型 to its Chinese name.
var passTypeNames = map[PassType]string{
	PassEnterFirst:       "先入区后报关",
	PassFirstLine:        "一线一体化进出区",
	PassSecondLine:       "二线进出区",
	PassNonDeclared:      "非报关进出区",
	PassGateRegistration: "卡口登记货物",
	PassEmptyVehicle:     "空车进出区",
}

// Valid reports whether t is one of the PassType constants.
func (t PassType) Valid() bool { _, ok := passTypeNames[t]; return ok }

// Name returns the Chinese name of the 核放单类型, or "" when t is not valid.
func (t PassType) Name() string { return passTypeNames[t] }

// BindType is 绑定类型 (BindTypecd) of a 核放单: how vehicles and lists are
// bound.
type BindType string

// The 绑定类型 codes.
const (
	// BindNone is no binding, required for 核放单类型 5 and 6.
	BindNone BindType = ""
	// BindOneVehicleManyLists is 1 一车多票: one vehicle carries one or more
	// lists.
	BindOneVehicleManyLists BindType = "1"
	// BindOneListOneVehicle is 2 一票一车: one list on one vehicle.
	BindOneListOneVehicle BindType = "2"
	// BindOneListManyVehicles is 3 一票多车: one list over several vehicles
	// (one 核放单 per vehicle).
	BindOneListManyVehicles BindType = "3"
)

// bindTypeNames maps each non-empty 绑定类型 to its Chinese name.
var bindTypeNames = map[BindType]string{
	BindOneVehicleManyLists: "一车多票",
	BindOneListOneVehicle:   "一票一车",
	BindOneListManyVehicles: "一票多车",
}

// Valid reports whether b is one of the BindType constants, BindNone
// included.
func (b BindType) Valid() bool { _, ok := bindTypeNames[b]; return ok || b == BindNone }

// Name returns the Chinese name of the 绑定类型, or "" when b is BindNone or
// not valid.
func (b BindType) Name() string { return bindTypeNames[b] }

// RelatedDocType is 关联单证类型 (RltTbTypecd) of a 核放单: the kind of
// document its 关联单证编号 are.
type RelatedDocType string

// The 关联单证类型 codes.
const (
	// RelatedNone is no related document, required for 核放单类型 5 and 6.
	RelatedNone RelatedDocType = ""
	// RelatedList is 1 核注清单.
	RelatedList RelatedDocType = "1"
	// RelatedSlip is 2 出入库单 (分送集报 trips).
	RelatedSlip RelatedDocType = "2"
	// RelatedBill is 3 提运单 (bill of lading, 先入区后报关).
	RelatedBill RelatedDocType = "3"
)

// relatedDocTypeNames maps each non-empty 关联单证类型 to its Chinese name.
var relatedDocTypeNames = map[RelatedDocType]string{
	RelatedList: "核注清单",
	RelatedSlip: "出入库单",
	RelatedBill: "提运单",
}

// Valid reports whether r is one of the RelatedDocType constants,
// RelatedNone included.
func (r RelatedDocType) Valid() bool { _, ok := relatedDocTypeNames[r]; return ok || r == RelatedNone }

// Name returns the Chinese name of the 关联单证类型, or "" when r is
// RelatedNone or not valid.
func (r RelatedDocType) Name() string { return relatedDocTypeNames[r] }

// ruleGateOrEmpty is the 金二 check message quoted for 核放单类型 5 and 6.
const ruleGateOrEmpty = "核放单类型为5或6时：绑定类型、关联单证类型、关联单证编号应为空"

// CheckPassShape enforces the 金二 SAS121, gx-customs-bridge rules between a 核放单's type t, its
// binding type bind, its related document type rel and the number docs of
// related document numbers (关联单证编号):
//
//   - types 5 (卡口登记货物) and 6 (空车进出区): binding, related document type
//     and related documents must all be empty ("核放单类型为5或6时：绑定类型、
//     关联单证类型、关联单证编号应为空");
//   - type 1 (先入区后报关): related document type 3 (提运单), at least one
//     document;
//   - types 2 and 4: related document type 1 (核注清单); type 3: 1 (核注清单)
//     or 2 (出入库单, 分送集报); at least one document;
//   - related document type 1 needs a binding type, 1, 2 or 3;
//   - binding 2 (一票一车) and 3 (一票多车) bind exactly one document; binding
//     1 (一车多票) one or more.
//
// A binding type given with related document type 2 or 3, where it is
// optional, must still fit the count rule.
func CheckPassShape(t PassType, bind BindType, rel RelatedDocType, docs int) error {
	if !t.Valid() {
		return fmt.Errorf("%q is not a 核放单类型: expected 1 先入区后报关, 2 一线一体化进出区, 3 二线进出区, 4 非报关进出区, 5 卡口登记货物 or 6 空车进出区", string(t))
	}
	if !bind.Valid() {
		return fmt.Errorf("%q is not a 绑定类型: expected 1 一车多票, 2 一票一车, 3 一票多车, or none", string(bind))
	}
	if !rel.Valid() {
		return fmt.Errorf("%q is not a 关联单证类型: expected 1 核注清单, 2 出入库单, 3 提运单, or none", string(rel))
	}
	if docs < 0 {
		return fmt.Errorf("the number of 关联单证编号 is %d: expected zero or more", docs)
	}
	pass := fmt.Sprintf("核放单类型 %s (%s)", string(t), t.Name())
	switch t {
	case PassGateRegistration, PassEmptyVehicle:
		if bind != BindNone {
			return fmt.Errorf("%s takes no 绑定类型, got %s (%s): %s", pass, string(bind), bind.Name(), ruleGateOrEmpty)
		}
		if rel != RelatedNone {
			return fmt.Errorf("%s takes no 关联单证类型, got %s (%s): %s", pass, string(rel), rel.Name(), ruleGateOrEmpty)
		}
		if docs != 0 {
			return fmt.Errorf("%s takes no 关联单证编号, got %d: %s", pass, docs, ruleGateOrEmpty)
		}
		return nil
	case PassEnterFirst:
		if rel != RelatedBill {
			return fmt.Errorf("%s needs 关联单证类型 3 (提运单), got %s", pass, describeRel(rel))
		}
	case PassFirstLine, PassNonDeclared:
		if rel != RelatedList {
			return fmt.Errorf("%s needs 关联单证类型 1 (核注清单), got %s", pass, describeRel(rel))
		}
	case PassSecondLine:
		if rel != RelatedList && rel != RelatedSlip {
			return fmt.Errorf("%s needs 关联单证类型 1 (核注清单) or 2 (出入库单, 分送集报), got %s", pass, describeRel(rel))
		}
	}
	if docs < 1 {
		return fmt.Errorf("%s needs at least one 关联单证编号 (%s), got none", pass, rel.Name())
	}
	if rel == RelatedList && bind == BindNone {
		return fmt.Errorf("%s with 关联单证类型 1 (核注清单) needs a 绑定类型: 1 一车多票, 2 一票一车 or 3 一票多车", pass)
	}
	if (bind == BindOneListOneVehicle || bind == BindOneListManyVehicles) && docs != 1 {
		return fmt.Errorf("绑定类型 %s (%s) binds exactly one %s, got %d; several documents on one vehicle take 绑定类型 1 (一车多票)", string(bind), bind.Name(), rel.Name(), docs)
	}
	return nil
}

// describeRel renders a 关联单证类型 for a message: "1 (核注清单)" or "none".
func describeRel(r RelatedDocType) string {
	if r == RelatedNone {
		return "none"
	}
	return fmt.Sprintf("%s (%s)", string(r), r.Name())
}
