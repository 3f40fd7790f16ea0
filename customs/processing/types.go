package processing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// Basis is how a production report consumes its materials.
type Basis string

// The consumption bases.
const (
	// BasisVersion: by the 单耗 of the version in force for each good.
	BasisVersion Basis = "VERSION"
	// BasisActual: by the quantities the enterprise reports it actually
	// used (自主核定耗用, 四自一简).
	BasisActual Basis = "ACTUAL"
)

// Journal document type and world accounts of production.
const (
	// DocumentProduction is the ledger document type of a production
	// report's journal.
	DocumentProduction = "PRODUCTION"
	// FlowProduced is the lot attribute "flow" of goods made in the zone:
	// they did not enter from abroad.
	FlowProduced = "PRODUCED"
)

// Report is a production report (生产报告): the enterprise reports, under
// 四自一简, what it made and what that consumed.
type Report struct {
	// No is the zone's number, assigned when filed.
	No string
	// InnerNo is the enterprise's own report number, unique per
	// enterprise: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	// Date is the business date (业务日期); zero when filing means today.
	Date  time.Time
	Basis Basis
	// Entrustment names the 委托加工 contract the report is filed for
	// (FileEntrustment): the non-bonded materials are the domestic firm's,
	// taken from the entrustment's bucket, and the goods made go there;
	// the bonded materials are consumed and written off as any report's.
	// Empty: the enterprise's own production.
	Entrustment string `json:",omitempty"`
	// Outputs are the finished and semi-finished goods made.
	Outputs []Output
	// Materials, with BasisActual, are the materials actually consumed.
	// With BasisVersion they only name the lot a material is taken from
	// (Lot; quantities empty); a material not named is taken oldest lot
	// first (FIFO).
	Materials []MaterialUse
	// Consumed is what the report consumed of each material, by material
	// line. Derived.
	Consumed []ConsumedLine
	// JournalIDs are the ledger journals that booked the report: one, or
	// more when it has more postings than one journal takes.
	JournalIDs []int64
	FiledBy    string
	CreatedAt  time.Time
	// InputHash is a digest of the filing, to tell a retry from another
	// report under the same number.
	InputHash string
}

// Category is what kind of goods a production output is (the goods
// categories of customs-reference §4.4); it is kept on the lot the output
// forms (lot attribute "category").
type Category string

// The categories of goods production makes.
const (
	// CategoryFinished is 成品, the default on a finished line.
	CategoryFinished Category = "FINISHED"
	// CategorySemiFinished is 半成品, the default on a material line.
	CategorySemiFinished Category = "SEMI_FINISHED"
	// CategoryDefect is 残次品: made under the good's version, consuming
	// its materials as the good does.
	CategoryDefect Category = "DEFECT"
	// CategoryScrap is 边角料: the tangible part of the process loss of the
	// materials consumed; it consumes nothing more.
	CategoryScrap Category = "SCRAP"
	// CategoryByProduct is 副产品: made beside the goods; it consumes
	// nothing more.
	CategoryByProduct Category = "BY_PRODUCT"
)

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool {
	switch c {
	case CategoryFinished, CategorySemiFinished, CategoryDefect, CategoryScrap, CategoryByProduct:
		return true
	}
	return false
}

// consumes reports whether goods of the category consume materials by a
// version: finished and semi-finished goods and defects do; scrap and
// by-products come from what those consumed.
func (c Category) consumes() bool { return c != CategoryScrap && c != CategoryByProduct }

// Output is a good a report made: a finished or semi-finished (material)
// line of the book.
type Output struct {
	BookSeq int
	// Quantity is in the line's declared unit, at its scale.
	Quantity decimal.Decimal
	// Value is the carrying value in CNY of the lot formed (>= 0, to the
	// fen); zero when not given.
	Value decimal.Decimal
	// Version is the 单耗版本号 the output consumed by (BasisVersion). Give
	// it to check it; empty means the version in force on the report's
	// date. Filled in.
	Version string
	// Lot is the lot the goods form, named after the report. Derived.
	Lot string
	// Category is what kind of goods they are; empty when filing means
	// FINISHED on a finished line, SEMI_FINISHED on a material line. Scrap
	// and by-products consume nothing by version.
	Category Category
}

// MaterialUse is a material line a report names.
type MaterialUse struct {
	BookSeq int
	// Quantity is the bonded material consumed (BasisActual), in the
	// line's declared unit at its scale.
	Quantity decimal.Decimal
	// NonBonded is the non-bonded material consumed (BasisActual, optional).
	NonBonded decimal.Decimal
	// Loss is the part of Quantity + NonBonded that was process loss
	// (BasisActual, optional).
	Loss decimal.Decimal
	// Lot names the lot the bonded material is taken from; empty: oldest
	// first.
	Lot string
}

// ConsumedLine is what a report consumed of one material.
type ConsumedLine struct {
	BookSeq   int
	Bonded    decimal.Decimal
	NonBonded decimal.Decimal
	// Loss is the process loss (工艺损耗) within Bonded + NonBonded.
	Loss decimal.Decimal
	// Lots are the lots the bonded material was taken from.
	Lots []zone.LotQuantity
}

// totalKey names the cumulative production of one good under one version,
// for one of its materials.
type totalKey struct {
	Finished int
	Version  string
	Material int
}

// total is what production under a version made (Finished) and consumed
// of one material so far.
type total struct {
	Finished decimal.Decimal
	Consumed Consumed
}

// planned is what a report books: per material, what it consumes; per
// (good, version, material), the new totals.
type planned struct {
	consumed map[int]Consumed
	totals   map[totalKey]total
	// firstUse maps a material to the first output that consumed it, for
	// naming the field of a refusal.
	firstUse map[int]int
}

// planByVersion computes what outputs consume by the versions given (the
// version each output consumes by, by output index), from the totals
// before. Each (good, version) is summed over the report first; each
// material then consumes Consume(before + sum) − Consume(before) (Norm.Consume),
// so no rounding accumulates. scale gives each material line's scale.
func planByVersion(outputs []Output, versions []Version, before map[totalKey]total, scale func(int) int32) planned {
	pl := planned{consumed: map[int]Consumed{}, totals: map[totalKey]total{}, firstUse: map[int]int{}}
	type gv struct {
		seq int
		ver string
	}
	sums := map[gv]decimal.Decimal{}
	var order []gv
	byKey := map[gv]Version{}
	for i, o := range outputs {
		k := gv{o.BookSeq, versions[i].Version}
		if _, ok := sums[k]; !ok {
			order = append(order, k)
			byKey[k] = versions[i]
		}
		sums[k] = sums[k].Add(o.Quantity)
		for _, n := range versions[i].Norms {
			if _, ok := pl.firstUse[n.MaterialSeq]; !ok {
				pl.firstUse[n.MaterialSeq] = i
			}
		}
	}
	for _, k := range order {
		for _, n := range byKey[k].Norms {
			tk := totalKey{Finished: k.seq, Version: k.ver, Material: n.MaterialSeq}
			was, ok := before[tk]
			if !ok {
				was = total{Consumed: Consumed{Bonded: zero, NonBonded: zero, Loss: zero}}
			}
			now := total{Finished: was.Finished.Add(sums[k])}
			now.Consumed = n.Consume(now.Finished, scale(n.MaterialSeq))
			pl.totals[tk] = now
			c := pl.consumed[n.MaterialSeq]
			pl.consumed[n.MaterialSeq] = c.Add(now.Consumed.Sub(was.Consumed))
		}
	}
	return pl
}
