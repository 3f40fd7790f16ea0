package codes

// FormType is the business type (BAPPL_BIZTYPE) of a 业务申报表 (business
// application form, 金二 业务申报表). 核注清单 refer to a form by ApplyNo.
type FormType string

// The 业务申报表 business types.
const (
	// FormCollective is A 分送集报 (distribute first, declare collectively).
	FormCollective FormType = "A"
	// FormOutsourcing is B 外发加工 (processing outsourced outside the zone).
	FormOutsourcing FormType = "B"
	// FormDisplay is C 保税展示交易 (bonded display trading).
	FormDisplay FormType = "C"
	// FormEquipmentTesting is D 设备检测 (equipment tested outside the zone).
	FormEquipmentTesting FormType = "D"
	// FormEquipmentRepair is E 设备维修 (equipment repaired outside the zone).
	FormEquipmentRepair FormType = "E"
	// FormMouldOutsourcing is F 模具外发 (moulds sent outside the zone).
	FormMouldOutsourcing FormType = "F"
	// FormSimpleProcessing is G 简单加工.
	FormSimpleProcessing FormType = "G"
	// FormOther is H 其他业务.
	FormOther FormType = "H"
	// FormGeneralTaxpayer is Y 一纳企业进出区 (VAT general-taxpayer pilot
	// enterprise in/out).
	FormGeneralTaxpayer FormType = "Y"
)

// formTypeNames maps each business type to its Chinese name.
var formTypeNames = map[FormType]string{
	FormCollective:       "分送集报",
	FormOutsourcing:      "外发加工",
	FormDisplay:          "保税展示交易",
	FormEquipmentTesting: "设备检测",
	FormEquipmentRepair:  "设备维修",
	FormMouldOutsourcing: "模具外发",
	FormSimpleProcessing: "简单加工",
	FormOther:            "其他业务",
	FormGeneralTaxpayer:  "一纳企业进出区",
}

// Valid reports whether f is one of the FormType constants.
func (f FormType) Valid() bool { _, ok := formTypeNames[f]; return ok }

// Name returns the Chinese name of the business type, or "" when f is not
// valid.
func (f FormType) Name() string { return formTypeNames[f] }
