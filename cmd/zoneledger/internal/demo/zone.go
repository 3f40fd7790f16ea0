package demo

import (
	"github.com/shopspring/decimal"
)

// The demo zone: a comprehensive bonded zone under customs office 4601 with
// three fictional enterprises, one for each of three of the five centres
// (加工制造, 物流分拨, 研发设计). Names, credit codes and customs codes are
// made up but well-formed; HS codes are ten digits and units are the
// 3-digit customs unit codes (001 台, 007 个, 025 双, 035 千克, 036 克, 142 瓶).

// customsOffice is the 4-digit customs code used in document numbers.
const customsOffice = "4601"

// World accounts the demo uses: goods from and to abroad (一线) and the
// domestic area (二线), materials consumed in production or R&D, finished
// goods made in production, and the clearing account of intra-zone transfers.
var worldAccounts = []string{"abroad", "domestic", "consumed", "production", "zone-transfer"}

// principalDef is a principal the admin creates.
type principalDef struct {
	ID      string
	Name    string
	Role    string // "customs", "enterprise", "platform"
	Ent     *enterprise
	Linked  []*enterprise
	Purpose string
}

// enterprise is a zone enterprise (区内企业).
type enterprise struct {
	USCC       string // 统一社会信用代码, used as the enterprise id (book owner)
	CustomsNo  string // 10-character customs registration code (海关编码)
	Name       string
	Centre     string
	Principal  string
	ShortLabel string
	// Prefix starts the enterprise's own document numbers (YCHF0001, ...).
	Prefix string
}

// principal is the enterprise's principal, which does what purpose says.
func (e *enterprise) principal(purpose string) principalDef {
	return principalDef{ID: e.Principal, Name: e.Name, Role: "enterprise", Ent: e, Purpose: purpose}
}

// bookDef is an electronic account book and its lines.
type bookDef struct {
	ID       string
	Kind     string // H or TW
	Name     string
	Owner    *enterprise
	Accounts []string
	Attrs    map[string]string
	Items    []*itemDef
}

// itemDef is a book line (备案序号) with its goods.
type itemDef struct {
	Book     *bookDef
	Code     string
	Kind     string // 料件, 成品, 非保税
	HS       string
	Name     string
	Unit     string // customs unit code
	UnitName string
	Scale    int32
	// Price is the reference unit price in CNY (at most 4 decimals): the
	// import price, the domestic purchase price or the standard cost.
	Price decimal.Decimal
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// zone is the whole cast.
type zone struct {
	Qiongxin, Huandao, Haiyan *enterprise
	Principals                []principalDef
	H, T, R                   *bookDef // processing H book, logistics TW book, R&D H book
	Books                     []*bookDef
	// bill of materials of finished goods: material → quantity per unit,
	// including the loss rate (单耗 = 净耗 / (1 - 损耗率), rounded).
	BOM map[*itemDef][]bomLine
	// LC is the logistics centre run through the customs services.
	LC *logisticsCast
	// SC is the sales and service centre: display trading and 1210
	// e-commerce through the customs services.
	SC *salesCast
	// RC is the testing, repair and remanufacture centre.
	RC *repairCast
}

type bomLine struct {
	Material *itemDef
	PerUnit  decimal.Decimal
}

func (b *bookDef) item(code string) *itemDef {
	for _, it := range b.Items {
		if it.Code == code {
			return it
		}
	}
	panic("demo: no item " + code + " in book " + b.ID)
}

// line is the book line an item key names.
func (z *zone) line(k itemKey) *itemDef {
	for _, b := range z.Books {
		if b.ID == k.Book {
			return b.item(k.Code)
		}
	}
	panic("demo: no book " + k.Book)
}

func newZone() *zone {
	z := &zone{}
	z.Qiongxin = &enterprise{
		USCC: makeUSCC("460100", "MA5TQX21"), CustomsNo: "4601360021", Name: "海口琼芯智能科技有限公司",
		Centre: "加工制造 processing & manufacturing", Principal: "qiongxin", ShortLabel: "琼芯智能",
	}
	z.Huandao = &enterprise{
		USCC: makeUSCC("460000", "MA5THD34"), CustomsNo: "4601360034", Name: "海南环岛供应链管理有限公司",
		Centre: "物流分拨 logistics & distribution", Principal: "huandao", ShortLabel: "环岛供应链",
	}
	z.Haiyan = &enterprise{
		USCC: makeUSCC("460100", "MA5THY57"), CustomsNo: "4601360057", Name: "海口海研生物科技有限公司",
		Centre: "研发设计 R&D and design", Principal: "haiyan", ShortLabel: "海研生物",
	}

	z.H = &bookDef{
		ID: "H4601A000045", Kind: "H", Name: "琼芯智能 区域账册（加工）", Owner: z.Qiongxin,
		Accounts: []string{"bonded", "wip"},
		Attrs: map[string]string{"kind": "H", "kind_name": "区域账册", "customs": customsOffice,
			"owner_name": z.Qiongxin.Name, "customs_no": z.Qiongxin.CustomsNo, "writeoff_cycle": "monthly"},
	}
	z.H.Items = []*itemDef{
		{Code: "I1", Kind: "料件", HS: "8542319000", Name: "处理器及控制器集成电路（SoC）", Unit: "007", UnitName: "个", Scale: 0, Price: d("38.50")},
		{Code: "I2", Kind: "料件", HS: "8534009000", Name: "印刷电路板", Unit: "007", UnitName: "个", Scale: 0, Price: d("6.20")},
		{Code: "I3", Kind: "料件", HS: "3903300000", Name: "ABS树脂（初级形状）", Unit: "035", UnitName: "千克", Scale: 3, Price: d("14.80")},
		{Code: "I4", Kind: "料件", HS: "8529109090", Name: "天线", Unit: "007", UnitName: "个", Scale: 0, Price: d("1.35")},
		{Code: "I5", Kind: "料件", HS: "4819100000", Name: "瓦楞纸箱（国产）", Unit: "007", UnitName: "个", Scale: 0, Price: d("2.10")},
		{Code: "E1", Kind: "成品", HS: "8517623700", Name: "无线路由器", Unit: "001", UnitName: "台", Scale: 0, Price: d("71.90")},
		{Code: "E2", Kind: "成品", HS: "8517629900", Name: "光网络终端（ONT）", Unit: "001", UnitName: "台", Scale: 0, Price: d("66.40")},
	}

	z.T = &bookDef{
		ID: "T4601W000123", Kind: "TW", Name: "环岛供应链 区域物流账册", Owner: z.Huandao,
		Accounts: []string{"bonded", "awaiting-inspection", "nonbonded"},
		Attrs: map[string]string{"kind": "TW", "kind_name": "区域物流账册", "customs": customsOffice, "bwl_type": "Z 综合保税区",
			"owner_name": z.Huandao.Name, "customs_no": z.Huandao.CustomsNo, "co_storage": "bonded and non-bonded goods (GACC 公告2016年第72号, 公告2023年第185号)"},
	}
	z.T.Items = []*itemDef{
		{Code: "1", Kind: "料件", HS: "2204210000", Name: "葡萄酒（2升及以下容器）", Unit: "142", UnitName: "瓶", Scale: 0, Price: d("68.00")},
		{Code: "2", Kind: "料件", HS: "1901101000", Name: "婴幼儿配方奶粉（零售包装）", Unit: "035", UnitName: "千克", Scale: 3, Price: d("185.00")},
		{Code: "3", Kind: "料件", HS: "3304990099", Name: "护肤品（面霜）", Unit: "035", UnitName: "千克", Scale: 3, Price: d("620.00")},
		{Code: "4", Kind: "料件", HS: "8542319000", Name: "处理器及控制器集成电路", Unit: "007", UnitName: "个", Scale: 0, Price: d("35.60")},
		{Code: "N1", Kind: "非保税", HS: "4015190000", Name: "劳保手套（国产）", Unit: "025", UnitName: "双", Scale: 0, Price: d("3.20")},
		{Code: "N2", Kind: "非保税", HS: "4802569000", Name: "复印纸（国产）", Unit: "035", UnitName: "千克", Scale: 3, Price: d("7.50")},
	}

	z.R = &bookDef{
		ID: "H4601A000102", Kind: "H", Name: "海研生物 区域账册（保税研发）", Owner: z.Haiyan,
		Accounts: []string{"bonded", "in-lab"},
		Attrs: map[string]string{"kind": "H", "kind_name": "区域账册", "customs": customsOffice, "usage": "保税研发 (bonded R&D, 国发〔2019〕3号; model UNCONFIRMED)",
			"owner_name": z.Haiyan.Name, "customs_no": z.Haiyan.CustomsNo, "writeoff": "by actual R&D use (自主核定耗用)"},
	}
	z.R.Items = []*itemDef{
		{Code: "I1", Kind: "料件", HS: "3821000000", Name: "细胞培养基", Unit: "035", UnitName: "千克", Scale: 3, Price: d("1800.00")},
		{Code: "I2", Kind: "料件", HS: "3822190090", Name: "诊断或实验用试剂", Unit: "036", UnitName: "克", Scale: 2, Price: d("35.00")},
		{Code: "I3", Kind: "料件", HS: "3926909090", Name: "一次性移液吸头", Unit: "007", UnitName: "个", Scale: 0, Price: d("0.45")},
	}

	z.Books = []*bookDef{z.H, z.T, z.R}
	for _, b := range z.Books {
		for _, it := range b.Items {
			it.Book = b
		}
	}

	h := z.H
	z.BOM = map[*itemDef][]bomLine{
		// A router: one SoC, one board, 0.185 kg of ABS at 2% loss, two antennas, one carton.
		h.item("E1"): {{h.item("I1"), d("1")}, {h.item("I2"), d("1")}, {h.item("I3"), d("0.1888")}, {h.item("I4"), d("2")}, {h.item("I5"), d("1")}},
		// An ONT: one SoC, one board, 0.150 kg of ABS at 2% loss, one antenna, one carton.
		h.item("E2"): {{h.item("I1"), d("1")}, {h.item("I2"), d("1")}, {h.item("I3"), d("0.1531")}, {h.item("I4"), d("1")}, {h.item("I5"), d("1")}},
	}

	z.Principals = []principalDef{
		{ID: "customs-4601", Name: "海口海关综保区监管科（customs liaison）", Role: "customs", Purpose: "reads every book, closes and verifies periods, keeps world accounts"},
		z.Qiongxin.principal("files its H book"),
		z.Huandao.principal("files its TW book"),
		z.Haiyan.principal("files its R&D book"),
		{ID: "zone-platform", Name: "综保区公共服务平台（zone service platform）", Role: "platform", Linked: []*enterprise{z.Qiongxin, z.Huandao},
			Purpose: "files paired intra-zone transfers (区内流转) for linked enterprises"},
	}
	z.LC = newLogisticsCast()
	z.Principals = append(z.Principals, logisticsPrincipals(z.LC)...)
	z.SC = newSalesCast()
	z.Principals = append(z.Principals, salesPrincipals(z.SC)...)
	z.RC = newRepairCast()
	z.Principals = append(z.Principals, repairPrincipals(z.RC)...)
	return z
}
