package codes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Line says which line of the zone a trade mode crosses (GACC 公告2019年第26号).
type Line string

// The lines.
const (
	// LineFirst is 一线: between the zone and abroad (境外).
	LineFirst Line = "FIRST"
	// LineSecond is 二线: between the zone and the domestic area (区外).
	LineSecond Line = "SECOND"
	// LineBonded is a move between bonded places and zones (保税间货物, 1200).
	LineBonded Line = "BONDED"
)

// lineNames maps each line to its Chinese name.
var lineNames = map[Line]string{
	LineFirst:  "一线",
	LineSecond: "二线",
	LineBonded: "保税区域间",
}

// Valid reports whether l is one of the Line constants.
func (l Line) Valid() bool { _, ok := lineNames[l]; return ok }

// Name returns the Chinese name of the line, or "" when l is not valid.
func (l Line) Name() string { return lineNames[l] }

// TradeMode is one 监管方式 (customs trade mode) a zone book may be declared
// under, with the book-prefix rule that applies to it.
type TradeMode struct {
	// Code is the 4-digit 监管方式 code.
	Code string
	// Name is the official short name (简称).
	Name string
	// Line is the line goods cross under this mode.
	Line Line
	// Books lists the book prefixes ("H", "T") the mode may be declared on;
	// empty means any zone book (H or T).
	Books []string
	// Rule is the id of the customs validation rule that enforces Books,
	// e.g. "CR000027", or "" when the reference names none.
	Rule string
	// DomesticSale reports that leaving the zone under this mode is a
	// taxed domestic sale (内销).
	DomesticSale bool
}

// AllowsBookPrefix reports whether a book with prefix p (see BookPrefix) may
// be declared under m: p is in m.Books, or m.Books is empty and p is a zone
// book prefix (H or T).
func (m TradeMode) AllowsBookPrefix(p string) bool {
	if len(m.Books) == 0 {
		return isZoneBookPrefix(p)
	}
	return slices.Contains(m.Books, p)
}

// Book-prefix sets shared by the table rows. They are never handed out:
// LookupTradeMode and TradeModes return copies.
var (
	booksH  = []string{PrefixH}
	booksHT = []string{PrefixH, PrefixT}
)

// tradeModes is the table of trade modes a zone book takes, from the
// reference's 监管方式 table (金二 INV101, gx-customs-bridge inv101_models.go, an open-source copy of the GACC code
// table) and the prefix rules CR0000xx of an open-source declaration client
// (金二 book numbers, gx-customs-bridge). A row whose Books have no rule id states the prefixes a zone
// uses without a rule found in the reference.
var tradeModes = []TradeMode{
	// 0110 一般贸易: domestic sale (内销) declared as general trade; the
	// goods' own book, H or T.
	{Code: "0110", Name: "一般贸易", Line: LineSecond, DomesticSale: true},
	// 0245 来料料件内销: 来料 materials sold domestically.
	{Code: "0245", Name: "来料料件内销", Line: LineSecond, DomesticSale: true},
	// 0444 保区进料成品: 进料 finished goods sold domestically, duty assessed
	// on the finished goods (按成品征税).
	{Code: "0444", Name: "保区进料成品", Line: LineSecond, DomesticSale: true},
	// 0445 保区来料成品: 来料 finished goods sold domestically, duty on the
	// finished goods.
	{Code: "0445", Name: "保区来料成品", Line: LineSecond, DomesticSale: true},
	// 0544 保区进料料件: 进料 finished goods sold domestically, duty assessed
	// on the materials (按料件征税).
	{Code: "0544", Name: "保区进料料件", Line: LineSecond, DomesticSale: true},
	// 0545 保区来料料件: 来料 finished goods sold domestically, duty on the
	// materials.
	{Code: "0545", Name: "保区来料料件", Line: LineSecond, DomesticSale: true},
	// 0644 进料料件内销: 进料 materials sold domestically.
	{Code: "0644", Name: "进料料件内销", Line: LineSecond, DomesticSale: true},
	// 0844 进料边角料内销: 进料 scrap (边角料) sold domestically.
	{Code: "0844", Name: "进料边角料内销", Line: LineSecond, DomesticSale: true},
	// 0845 来料边角料内销: 来料 scrap sold domestically.
	{Code: "0845", Name: "来料边角料内销", Line: LineSecond, DomesticSale: true},
	// 0864 进料边角料复出: 进料 scrap re-exported (also repair scrap,
	// customs-reference §2.1, §6); H book, no rule id in the reference.
	{Code: "0864", Name: "进料边角料复出", Line: LineFirst, Books: booksH},
	// 0865 来料边角料复出: 来料 scrap re-exported; H book, no rule id.
	{Code: "0865", Name: "来料边角料复出", Line: LineFirst, Books: booksH},
	// 1200 保税间货物: goods between customs bonded places and zones (区间
	// 流转/结转 — that it is the inter-zone mode is [UNCONFIRMED], the zone flows of GACC 公告2019年第26号);
	// H or T, no rule id in the reference.
	{Code: "1200", Name: "保税间货物", Line: LineBonded, Books: booksHT},
	// 1210 保税电商: 网购保税进口 (B2B2C bonded mode), the retail exit to
	// domestic buyers; H or T, no rule id in the reference.
	{Code: "1210", Name: "保税电商", Line: LineSecond, Books: booksHT},
	// 1371 保税维修: bonded repair ↔ abroad on an H (repair) book.
	// [UNCONFIRMED]: the code is not in the stored GACC table (金二 INV101, gx-customs-bridge inv101_models.go, open questions).
	{Code: "1371", Name: "保税维修", Line: LineFirst, Books: booksH},
	// 5000 料件进出区: materials between the zone and 区外; rule CR000026
	// allows H or T.
	{Code: "5000", Name: "料件进出区", Line: LineSecond, Books: booksHT, Rule: "CR000026"},
	// 5010 特殊区域研发货物 (the table's 出口加工区研发货物): R&D goods between
	// the zone and abroad (bonded R&D, 国发〔2019〕3号); H book, no rule id in the reference.
	{Code: "5010", Name: "特殊区域研发货物", Line: LineFirst, Books: booksH},
	// 5014 区内来料加工: zone processing (来料) ↔ abroad; rule CR000023
	// (importing, 征免性质 502) requires an H book.
	{Code: "5014", Name: "区内来料加工", Line: LineFirst, Books: booksH, Rule: "CR000023"},
	// 5015 区内进料加工: zone processing (进料) ↔ abroad; H book. The rule id
	// CR000024 is by analogy with CR000023 (5014) — [UNCONFIRMED]: the
	// reference names 5015 among the H-only modes but not its rule id.
	{Code: "5015", Name: "区内进料加工", Line: LineFirst, Books: booksH, Rule: "CR000024"},
	// 5033 区内仓储货物: zone storage ↔ abroad; H or T by analogy with 5034,
	// no rule id in the reference.
	{Code: "5033", Name: "区内仓储货物", Line: LineFirst, Books: booksHT},
	// 5034 区内物流货物: zone logistics ↔ abroad; rule CR000025 allows H or T
	// (a real list on book T3111W000076 uses it, 金二 INV101 line fields, gx-customs-bridge inv101_models.go).
	{Code: "5034", Name: "区内物流货物", Line: LineFirst, Books: booksHT, Rule: "CR000025"},
	// 5100 成品进出区: finished goods between the zone and 区外; rule
	// CR000027 requires an H book.
	{Code: "5100", Name: "成品进出区", Line: LineSecond, Books: booksH, Rule: "CR000027"},
	// 5200 区内边角调出: scrap out of the zone to 区外; H book, no rule id.
	{Code: "5200", Name: "区内边角调出", Line: LineSecond, Books: booksH},
	// 5300 设备进出区: equipment between the zone and 区外; H book, no rule
	// id.
	{Code: "5300", Name: "设备进出区", Line: LineSecond, Books: booksH},
	// 5335 境外设备进区: equipment into the zone from abroad; H book, no rule
	// id.
	{Code: "5335", Name: "境外设备进区", Line: LineFirst, Books: booksH},
	// 5361 区内设备退运: zone equipment returned abroad; H book, no rule id.
	{Code: "5361", Name: "区内设备退运", Line: LineFirst, Books: booksH},
	// 9700 后续补税: later tax top-up. Rule CR000034 allows B, C, E and H
	// books; B, C and E are processing-trade books outside zones, so a zone
	// book must be H.
	{Code: "9700", Name: "后续补税", Line: LineSecond, Books: booksH, Rule: "CR000034"},
}

// tradeModeIndex finds a row of tradeModes by code.
var tradeModeIndex = func() map[string]int {
	idx := make(map[string]int, len(tradeModes))
	for i, m := range tradeModes {
		idx[m.Code] = i
	}
	return idx
}()

// clone returns m with its own copy of Books.
func (m TradeMode) clone() TradeMode {
	m.Books = slices.Clone(m.Books)
	return m
}

// LookupTradeMode returns the zone trade mode with the given 4-digit code
// and true, or the zero TradeMode and false when the code is not a zone
// trade mode known here. The returned value is a copy.
func LookupTradeMode(code string) (TradeMode, bool) {
	i, ok := tradeModeIndex[code]
	if !ok {
		return TradeMode{}, false
	}
	return tradeModes[i].clone(), true
}

// TradeModes returns a copy of every zone trade mode known here, sorted by
// code.
func TradeModes() []TradeMode {
	out := make([]TradeMode, len(tradeModes))
	for i, m := range tradeModes {
		out[i] = m.clone()
	}
	slices.SortFunc(out, func(a, b TradeMode) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// tradeModeCodes lists the known codes, sorted, for error messages.
func tradeModeCodes() string {
	codes := make([]string, len(tradeModes))
	for i, m := range tradeModes {
		codes[i] = m.Code
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// CheckTradeMode checks that code is a zone trade mode known here.
func CheckTradeMode(code string) error {
	if _, ok := tradeModeIndex[code]; ok {
		return nil
	}
	if code == "" {
		return fmt.Errorf("the trade mode (监管方式) is empty: expected a 4-digit zone trade mode, one of %s", tradeModeCodes())
	}
	if len(code) != 4 || !allOf(code, isDigit) {
		return fmt.Errorf("%q is not a trade mode (监管方式): expected 4 digits, a zone trade mode, one of %s", code, tradeModeCodes())
	}
	return fmt.Errorf("trade mode %s is not a zone trade mode (综合保税区 监管方式): expected one of %s", code, tradeModeCodes())
}

// CheckTradeModeBook checks that a document under trade mode mode may be
// declared on the book numbered bookNo, by the book's prefix (BookPrefix).
// An unknown mode is refused with the list of zone trade modes; a prefix the
// mode does not allow is refused naming the rule, e.g. "rule CR000027: trade
// mode 5100 (成品进出区) needs a book whose number starts with H; book
// T3105W000293 does not". It does not check the rest of the book number
// (see CheckBookNumber).
func CheckTradeModeBook(mode, bookNo string) error {
	if err := CheckTradeMode(mode); err != nil {
		return err
	}
	m := tradeModes[tradeModeIndex[mode]]
	if bookNo == "" {
		return fmt.Errorf("trade mode %s (%s) needs a book number; got none", m.Code, m.Name)
	}
	if m.AllowsBookPrefix(BookPrefix(bookNo)) {
		return nil
	}
	rule := ""
	if m.Rule != "" {
		rule = "rule " + m.Rule + ": "
	}
	if len(m.Books) == 0 {
		return fmt.Errorf("%strade mode %s (%s) needs a zone book, whose number starts with H or T; book %s does not", rule, m.Code, m.Name, bookNo)
	}
	return fmt.Errorf("%strade mode %s (%s) needs a book whose number starts with %s; book %s does not", rule, m.Code, m.Name, orList(m.Books), bookNo)
}

// orList joins xs as "a", "a or b", "a, b or c".
func orList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
