package codes

import (
	"fmt"
	"unicode/utf8"
)

// BookKind is the kind of electronic account book (电子账册) a zone
// enterprise keeps (金二 book numbers, gx-customs-bridge).
type BookKind string

// The book kinds of a comprehensive bonded zone.
const (
	// BookZone is the 区域账册 (H账册), the zone processing/zone book. Its
	// number is "H" followed by 11 upper-case letters or digits (12
	// characters).
	BookZone BookKind = "ZONE"
	// BookLogistics is the 区域物流账册 (TW账册) of storage and distribution
	// firms. Its number is "T" + the 4-digit customs office + "W" + 6 digits,
	// e.g. T3105W000293 (金二 book numbers, gx-customs-bridge).
	BookLogistics BookKind = "LOGISTICS"
	// BookRND is the 保税研发账册 (bonded R&D book), taken to be an H book
	// (same number form as BookZone) carrying 手册用途 4 = 保税研发.
	// [UNCONFIRMED]: the public sources (the 金二 book fields, gx-customs-bridge; 国发〔2019〕3号) find usage 4 = 保税研发 only
	// in the processing-trade manual list (手册用途); in the special-zone
	// 账册用途 list, 4 means 委内加工. No GACC rule for zone R&D books was
	// found.
	BookRND BookKind = "RND"
	// BookRepair is the 保税维修账册 (bonded repair book): an H book (same
	// number form as BookZone) with 账册用途 3 = 保税维修 (金二 book numbers, gx-customs-bridge, GACC 公告2015年第59号, 公告2023年第105号, 公告2018年第203号).
	BookRepair BookKind = "REPAIR"
)

// bookKindNames maps each book kind to its Chinese name.
var bookKindNames = map[BookKind]string{
	BookZone:      "区域账册",
	BookLogistics: "区域物流账册",
	BookRND:       "保税研发账册",
	BookRepair:    "保税维修账册",
}

// Valid reports whether k is one of the BookKind constants.
func (k BookKind) Valid() bool { _, ok := bookKindNames[k]; return ok }

// Name returns the Chinese name of the book kind, or "" when k is not valid.
func (k BookKind) Name() string { return bookKindNames[k] }

// The book-number prefixes of zone books, as returned by BookPrefix.
const (
	// PrefixH is the prefix of 区域账册 numbers (and of the R&D and repair
	// books, which are H books).
	PrefixH = "H"
	// PrefixT is the prefix of 区域物流账册 (TW) numbers.
	PrefixT = "T"
)

// CheckBookNumber checks that no has the number form of a book of kind k:
// "H" + 11 upper-case letters or digits for BookZone, BookRND and
// BookRepair; "T" + 4 digits + "W" + 6 digits for BookLogistics.
func CheckBookNumber(kind BookKind, no string) error {
	if !kind.Valid() {
		return fmt.Errorf("book kind %q is not known: expected %s, %s, %s or %s", string(kind), BookZone, BookLogistics, BookRND, BookRepair)
	}
	what := fmt.Sprintf("%s (%s) number", kind.Name(), string(kind))
	var expect string
	var ok bool
	switch kind {
	case BookLogistics:
		expect = `expected "T" + the 4-digit customs office + "W" + 6 digits (12 characters), e.g. T3105W000293`
		ok = len(no) == 12 && no[0] == 'T' && allOf(no[1:5], isDigit) && no[5] == 'W' && allOf(no[6:], isDigit)
	default:
		expect = `expected "H" followed by 11 upper-case letters or digits (12 characters)`
		ok = len(no) == 12 && no[0] == 'H' && allOf(no[1:], isDigitOrUpper)
	}
	if no == "" {
		return fmt.Errorf("the %s is empty: %s", what, expect)
	}
	if !ok {
		return fmt.Errorf("%q is not a %s: %s", no, what, expect)
	}
	return nil
}

// BookPrefix returns the prefix that decides which trade modes a book may be
// declared under (金二 book numbers, gx-customs-bridge): "H" for H books, "T" for T…W logistics books, and
// otherwise the number's first character (e.g. "E", "B", "C", "L"); "" for
// an empty number. It does not check the rest of the number.
func BookPrefix(no string) string {
	if no == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(no)
	if r == utf8.RuneError {
		return no[:1]
	}
	return no[:size]
}

// isZoneBookPrefix reports whether p is the prefix of a zone book (H or T).
func isZoneBookPrefix(p string) bool { return p == PrefixH || p == PrefixT }

// BookStatus is this system's execution status of a book. (金二's own
// BLBOOK_PAUSE_MARK list — 0 未开始执行, 1 正常执行, 2 恢复执行, 3 暂停变更,
// 9 已注销, 金二 book numbers, gx-customs-bridge — is finer; these three are what the ledger acts on.)
type BookStatus string

// The book statuses.
const (
	// BookExecuting: the book is in force (正常执行); documents may move it.
	BookExecuting BookStatus = "EXECUTING"
	// BookSuspended: the book is suspended (暂停); no documents may move it.
	BookSuspended BookStatus = "SUSPENDED"
	// BookClosed: the book is cancelled (已注销); it is kept for history only.
	BookClosed BookStatus = "CLOSED"
)

// bookStatusNames maps each book status to its Chinese name.
var bookStatusNames = map[BookStatus]string{
	BookExecuting: "正常执行",
	BookSuspended: "暂停",
	BookClosed:    "已注销",
}

// Valid reports whether s is one of the BookStatus constants.
func (s BookStatus) Valid() bool { _, ok := bookStatusNames[s]; return ok }

// Name returns the Chinese name of the status, or "" when s is not valid.
func (s BookStatus) Name() string { return bookStatusNames[s] }

// GoodsType is the goods type of a book line: 料件 (materials), 成品
// (finished goods) or 设备 (equipment) (金二 INV101 line fields, gx-customs-bridge inv101_models.go; the 金二 料件成品标记 has I/E
// only, equipment being kept on a separate equipment book).
type GoodsType string

// The goods types of a book line.
const (
	// GoodsMaterial is 料件: imported or domestic materials.
	GoodsMaterial GoodsType = "MATERIAL"
	// GoodsFinished is 成品: finished goods.
	GoodsFinished GoodsType = "FINISHED"
	// GoodsEquipment is 设备: equipment used in the zone.
	GoodsEquipment GoodsType = "EQUIPMENT"
)

// goodsTypeNames maps each goods type to its Chinese name.
var goodsTypeNames = map[GoodsType]string{
	GoodsMaterial:  "料件",
	GoodsFinished:  "成品",
	GoodsEquipment: "设备",
}

// Valid reports whether g is one of the GoodsType constants.
func (g GoodsType) Valid() bool { _, ok := goodsTypeNames[g]; return ok }

// Name returns the Chinese name of the goods type, or "" when g is not
// valid.
func (g GoodsType) Name() string { return goodsTypeNames[g] }

// CreditRating is an enterprise's customs credit rating (海关企业信用等级).
// 四自一简 needs 一般信用 or better (GACC 公告2019年第26号).
type CreditRating string

// The customs credit ratings.
const (
	// CreditAdvanced is 高级认证 (AEO advanced certified enterprise).
	CreditAdvanced CreditRating = "ADVANCED"
	// CreditGeneral is 一般信用 (general credit).
	CreditGeneral CreditRating = "GENERAL"
	// CreditDiscredited is 失信 (discredited enterprise).
	CreditDiscredited CreditRating = "DISCREDITED"
)

// creditRatingNames maps each credit rating to its Chinese name.
var creditRatingNames = map[CreditRating]string{
	CreditAdvanced:    "高级认证",
	CreditGeneral:     "一般信用",
	CreditDiscredited: "失信",
}

// Valid reports whether c is one of the CreditRating constants.
func (c CreditRating) Valid() bool { _, ok := creditRatingNames[c]; return ok }

// Name returns the Chinese name of the rating, or "" when c is not valid.
func (c CreditRating) Name() string { return creditRatingNames[c] }
