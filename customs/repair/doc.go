// Package repair keeps the testing, repair and remanufacture centre
// (检测维修中心) of a bonded zone on the repair books (保税维修账册) kept
// by package customs/zone.
//
// # Sections
//
// A repair book keeps, beside the zone's buckets, one ledger account per
// section and origin (customs-reference §6): goods awaiting repair
// (待维修), repaired (已维修), unrepairable (无法维修), replaced old and
// bad parts (旧件/坏件) and repair scrap (维修边角料), each apart by the
// origin of the goods — from abroad, from the domestic area, or the
// group's own domestically sold products — and repair parts
// (维修用料件), bonded or domestic. The stock report (StockReport) shows
// every section and origin apart, as of any day.
//
// # Goods in
//
// Goods enter the zone the way every good does, on a verification list
// and its gate pass (package customs/zone): a first-line list from abroad,
// a second-line list from the domestic area. A repair order (Order) then
// takes the goods of one line of that list, by its lot, from the bonded
// bucket into the 待维修 section of the list's origin, in one transaction
// of the ledger's seam with the order.
//
// # Goods out
//
// Goods re-exported or returned to the domestic customer leave on a zone
// exit list and its pass, old parts and scrap of domestic goods on a gate
// registration (卡口登记): the exit step binds them to the document's line
// (zone.Service.BindListLine, BindPassLine), which then names the order,
// and the zone's journal takes them out. When that document will not take
// them out (a list returned or deleted, a registration withdrawn or
// turned back), the zone tells the Service (zone.Service.SetLineReleaser)
// in the same transaction and the order holds the goods again.
//
// Rules, settings and figures: README.md beside this file.
package repair
