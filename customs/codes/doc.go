// Package codes holds the customs code lists of a Chinese comprehensive
// bonded zone (综合保税区) and pure validators for them. It has no database,
// no I/O and no floating point; every function is a deterministic check of
// strings and small integers, safe for concurrent use.
//
// Validators return a plain error whose message says what is wrong and what
// is expected (for example `"3105A" is not a 关区代码: expected exactly 4
// digits (e.g. "3105")`). They do not name the request field; callers wrap the error with
// the field at fault.
//
// # What it owns, and where each list comes from
//
// Each list names its public source at its declaration: the 金二 message
// specifications as open-source clients carry them (gx-customs-bridge,
// https://github.com/ronannnn/gx-customs-bridge; data-interface,
// https://github.com/zylee19950505/data-interface) and GACC announcements.
// Items no public source confirmed are marked [UNCONFIRMED].
//
//   - Identifiers (金二 INV101, gx-customs-bridge inv101_models.go header fields, 金二 INV101 line fields, gx-customs-bridge inv101_models.go line fields): the 18-character
//     统一社会信用代码 with its GB 32100-2015 check character (CheckUSCC,
//     USCCCheckChar), the 18-character 居民身份证号码 with its GB 11643-1999
//     check character (CheckIDNumber, IDCheckChar: ISO 7064 MOD 11-2), the
//     10-character 海关编码, the 4-digit 关区代码, the
//     10-digit 商品编码, 3-digit unit, country and currency codes.
//   - Books (金二 book numbers, gx-customs-bridge): the book kinds a zone enterprise keeps (BookKind) and the
//     form of their numbers — H books (区域账册, and the bonded R&D and repair
//     books, which are H books with a usage flag) and TW logistics books such
//     as T3105W000293. Book status, line goods type and the enterprise's
//     customs credit rating are this system's own enumerations.
//   - Trade modes (监管方式, 金二 INV101, gx-customs-bridge inv101_models.go table) and which book prefixes each may be
//     declared on (金二 book numbers, gx-customs-bridge, the CR0000xx validation rules of an open-source
//     declaration client): TradeMode, LookupTradeMode, CheckTradeModeBook.
//   - 保税核注清单 codes (金二 INV101, gx-customs-bridge inv101_models.go): 清单类型 (ListType, including the
//     configurable 区内直转 letter), 进出口标记, 是否报关, 报关类型, 流转类型.
//   - 核放单 codes (金二 SAS121, gx-customs-bridge): 核放单类型, 绑定类型, 关联单证类型, and
//     CheckPassShape for the rules between them.
//   - 业务申报表 business types (金二 业务申报表): FormType.
//
// The flows these codes combine into (the zone flows of GACC 公告2019年第26号) — 一线/二线 entry and exit,
// 内销, 区内流转, 区间结转, 先入区后报关, 分送集报, 非报关, 卡口登记, 区内直转 —
// are enforced by the callers; this package supplies the vocabulary and the
// per-document shape checks.
package codes
