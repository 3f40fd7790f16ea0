// Package processing keeps the processing centre (加工制造中心) of a bonded
// zone: unit consumption versions (单耗版本) per finished good and the
// production reports that consume materials and make goods, on the books
// kept by package customs/zone.
//
// # Unit consumption
//
// A version (Version) of a finished or semi-finished good's book line
// names, per material line, the net consumption (净耗), the process loss
// rate (工艺损耗率, in percent, below 100) and the bonded share (保税料件比例,
// in percent). Its 单耗 = 净耗 / (1 − 工艺损耗率) (customs-reference §4.3).
// A good's versions take effect one after another, each from its
// effective date; a version is filed (DRAFT), declared (DECLARED), and
// locked once a report used it: a used version is never changed, only
// superseded by a later one.
//
// # Production
//
// A production report (Report) consumes materials by the 单耗 of the
// version in force on its date (BasisVersion) or by the quantities the
// enterprise reports it actually used (BasisActual, 四自一简), and books
// the goods made as lots that did not enter from abroad. Consumption by
// version is cumulative per good, version and material (Norm.Consume): a
// report books what the production to date consumes less what the
// production before it did, each rounded once to the material line's
// scale, so no rounding drifts however the production is split into
// reports. Materials are taken from the named lot or oldest first, and the
// ledger refuses any that would go below zero.
//
// Rules, figures and settings: README.md beside this file.
package processing
