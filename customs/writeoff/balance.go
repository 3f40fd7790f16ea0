// Package writeoff keeps the write-off (核销) side of the zone's books:
// the bonded inventory balance (保税库存平衡表) of a book over a period, and
// the write-off cycle and stocktake. Rules and figures: README.md beside
// this file.
package writeoff

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// ReasonBalancePeriod: the balance's period is not a period (no first or
// last day, or the last day before the first).
const ReasonBalancePeriod = "BALANCE_PERIOD"

// BalanceStatus is the customs status of goods on a balance row: bonded
// goods on the 底账, or non-bonded goods stored beside them (仓储货物按状态
// 分类监管).
type BalanceStatus string

// The statuses a balance shows apart, each line once per status.
const (
	// BalanceBonded: the book's bonded buckets (available, reserved, on
	// display, in the 待检区, entered and not yet declared, and every
	// section of a repair book).
	BalanceBonded BalanceStatus = "BONDED"
	// BalanceNonBonded: the non-bonded buckets (nonbonded and its reserved
	// part).
	BalanceNonBonded BalanceStatus = "NON_BONDED"
)

// StatusOf returns the status whose balance a bucket of a book counts in.
func StatusOf(account string) BalanceStatus {
	switch account {
	case zone.AccountNonBonded, zone.AccountNonBondedReserved:
		return BalanceNonBonded
	}
	return BalanceBonded
}

// Direction is which column of the balance a flow adds to.
type Direction string

// The columns: opening + in − out − consumed = closing.
const (
	DirectionIn       Direction = "IN"
	DirectionOut      Direction = "OUT"
	DirectionConsumed Direction = "CONSUMED"
)

// Flow is a kind of movement the balance shows in its own column.
type Flow string

// The flows, in the order the balance shows them. A movement is classed by
// where the goods came from or went to (the counterpart bucket of its
// postings) and, where that does not tell, by the document that moved them.
const (
	// FlowFirstLineIn: 一线入区, from abroad (incl. 先入区后报关 entries).
	FlowFirstLineIn Flow = "FIRST_LINE_IN"
	// FlowSecondLineIn: 二线入区, from the domestic area.
	FlowSecondLineIn Flow = "SECOND_LINE_IN"
	// FlowReturnIn: goods returned from the domestic area (e-commerce
	// returns, 退货).
	FlowReturnIn Flow = "RETURN_IN"
	// FlowInterZoneIn: 区间流转, from another zone.
	FlowInterZoneIn Flow = "INTER_ZONE_IN"
	// FlowIntraZoneIn: 区内流转, from another book of the zone.
	FlowIntraZoneIn Flow = "INTRA_ZONE_IN"
	// FlowProduced: made in the zone (production and R&D outputs, incl.
	// scrap, defects and by-products a production report books).
	FlowProduced Flow = "PRODUCED"
	// FlowScrapMade: old and bad parts and repair scrap taken out of goods
	// under repair (维修旧件/边角料).
	FlowScrapMade Flow = "SCRAP_MADE"
	// FlowNonDeclaredIn: 非报关进区 of non-bonded goods.
	FlowNonDeclaredIn Flow = "NON_DECLARED_IN"
	// FlowStatusSwitchIn: from the other status of the same book (区内直转).
	FlowStatusSwitchIn Flow = "STATUS_SWITCH_IN"
	// FlowCorrectionIn: a reversal (冲正) brought goods back.
	FlowCorrectionIn Flow = "CORRECTION_IN"
	// FlowOtherIn: any other movement in.
	FlowOtherIn Flow = "OTHER_IN"

	// FlowFirstLineOut: 一线出区, abroad (export, re-export 复运出境).
	FlowFirstLineOut Flow = "FIRST_LINE_OUT"
	// FlowSecondLineOut: 二线出区 to the domestic area (内销, display
	// sales, 分送集报 trips, repaired goods back to their customer).
	FlowSecondLineOut Flow = "SECOND_LINE_OUT"
	// FlowInterZoneOut: 区间流转, to another zone.
	FlowInterZoneOut Flow = "INTER_ZONE_OUT"
	// FlowIntraZoneOut: 区内流转, to another book of the zone.
	FlowIntraZoneOut Flow = "INTRA_ZONE_OUT"
	// FlowDestroyed: destroyed (销毁).
	FlowDestroyed Flow = "DESTROYED"
	// FlowNonDeclaredOut: 非报关出区 of non-bonded goods.
	FlowNonDeclaredOut Flow = "NON_DECLARED_OUT"
	// FlowStatusSwitchOut: to the other status of the same book (区内直转).
	FlowStatusSwitchOut Flow = "STATUS_SWITCH_OUT"
	// FlowCorrectionOut: a reversal (冲正) took goods back out.
	FlowCorrectionOut Flow = "CORRECTION_OUT"
	// FlowOtherOut: any other movement out.
	FlowOtherOut Flow = "OTHER_OUT"

	// FlowConsumedProduction: consumed by production or simple processing
	// (production and consumption reports).
	FlowConsumedProduction Flow = "CONSUMED_PRODUCTION"
	// FlowConsumedRnd: consumed by bonded R&D (研发耗用).
	FlowConsumedRnd Flow = "CONSUMED_RND"
	// FlowConsumedRepair: repair parts used on repairs.
	FlowConsumedRepair Flow = "CONSUMED_REPAIR"
	// FlowConsumedOther: consumed by any other document.
	FlowConsumedOther Flow = "CONSUMED_OTHER"
)

// Flows lists every flow in the order the balance shows them, with its
// column.
func Flows() []FlowColumn {
	return slices.Clone(flowOrder[:])
}

// FlowColumn is a flow and the column it adds to.
type FlowColumn struct {
	Flow      Flow
	Direction Direction
}

// FlowAmount is what one flow moved of a line in one status.
type FlowAmount struct {
	Flow      Flow
	Direction Direction
	Quantity  decimal.Decimal
	Value     decimal.Decimal
}

// BalanceLine is one book line in one status over the period. Quantities
// are in the line's declared unit, values in CNY; every figure is exact:
// Closing = Opening + In − Out − Consumed, in quantity and in value.
type BalanceLine struct {
	BookSeq int
	Name    string
	Unit    string
	Type    codes.GoodsType
	Status  BalanceStatus
	// Opening is what the status held at the end of the day before the
	// period.
	Opening ledger.Amount
	// Flows are the flows that moved the line in this status, in the
	// order of Flows(); flows that moved nothing are left out.
	Flows []FlowAmount
	// In, Out and Consumed are the sums of the flows of each column.
	In, Out, Consumed ledger.Amount
	// ScrapMade is the part of In that is scrap made (FlowScrapMade).
	ScrapMade ledger.Amount
	// Closing is the theoretical closing balance (理论结余), which is what
	// the ledger holds at the end of the period's last day.
	Closing ledger.Amount
}

// Flow returns what one flow moved of the line (zero when it moved
// nothing).
func (l BalanceLine) Flow(f Flow) FlowAmount {
	for _, a := range l.Flows {
		if a.Flow == f {
			return a
		}
	}
	return FlowAmount{Flow: f, Direction: directionOf(f)}
}

// InventoryBalance is the bonded inventory balance (保税库存平衡表) of a
// book over the days From through To: every line of the book twice, bonded
// and non-bonded, in line order.
type InventoryBalance struct {
	Book     string
	From, To time.Time
	Lines    []BalanceLine
}

// Balances computes inventory balances from the ledger's per-day totals
// (by flow), never from postings. It is safe for concurrent use.
type Balances struct {
	zone   *zone.Service
	ledger ledger.Store
}

// NewBalances returns a Balances reading books and lines from z and the
// goods from store.
func NewBalances(z *zone.Service, store ledger.Store) *Balances {
	return &Balances{zone: z, ledger: store}
}

// InventoryBalance returns a book's balance over the days from through to
// (both included). An enterprise reads only its own books (another's is
// answered as a book that does not exist); customs reads every book.
func (b *Balances) InventoryBalance(ctx context.Context, p access.Principal, book string, from, to time.Time) (InventoryBalance, error) {
	if book == "" {
		return InventoryBalance{}, ledger.BadArgument("book_no", "name the book whose balance to show")
	}
	if from.IsZero() {
		return InventoryBalance{}, ledger.Invalid(ReasonBalancePeriod, "from", "give the period's first day (YYYY-MM-DD)")
	}
	if to.IsZero() {
		return InventoryBalance{}, ledger.Invalid(ReasonBalancePeriod, "to", "give the period's last day (YYYY-MM-DD)")
	}
	if to.Before(from) {
		return InventoryBalance{}, ledger.Invalid(ReasonBalancePeriod, "to",
			"the period ends on %s, before it starts on %s; give a last day on or after the first", ledger.FormatDate(to), ledger.FormatDate(from))
	}
	if _, err := b.zone.GetBook(ctx, p, book); err != nil {
		return InventoryBalance{}, err
	}
	var lines []zone.BookLine
	for after := 0; ; {
		page, err := b.zone.ListBookLines(ctx, p, book, after, zone.MaxPage)
		if err != nil {
			return InventoryBalance{}, err
		}
		lines = append(lines, page...)
		if len(page) < zone.MaxPage {
			break
		}
		after = page[len(page)-1].Seq
	}
	pt, err := b.ledger.PeriodTotals(ctx, ledger.PeriodQuery{Book: book, From: from, To: to})
	if err != nil {
		return InventoryBalance{}, err
	}
	return assembleBalance(book, from, to, lines, pt), nil
}

// balanceKey is a line in one status.
type balanceKey struct {
	seq    int
	status BalanceStatus
}

// balanceSums collects a line's figures in one status: flows[i] is what
// the flow at Flows()[i] moved, if moved[i].
type balanceSums struct {
	opening ledger.Amount
	flows   [len(flowOrder)]ledger.Amount
	moved   [len(flowOrder)]bool
}

// add adds q and v to the flow at index i.
func (s *balanceSums) add(i int, q, v decimal.Decimal) {
	if !s.moved[i] {
		s.flows[i], s.moved[i] = ledger.Amount{Quantity: q, Value: v}, true
		return
	}
	s.flows[i] = addAmount(s.flows[i], q, v)
}

// flowOrder is Flows(); flowIndex the index of each flow in it.
var (
	flowOrder = [...]FlowColumn{
		{FlowFirstLineIn, DirectionIn}, {FlowSecondLineIn, DirectionIn}, {FlowReturnIn, DirectionIn},
		{FlowInterZoneIn, DirectionIn}, {FlowIntraZoneIn, DirectionIn}, {FlowProduced, DirectionIn},
		{FlowScrapMade, DirectionIn}, {FlowNonDeclaredIn, DirectionIn}, {FlowStatusSwitchIn, DirectionIn},
		{FlowCorrectionIn, DirectionIn}, {FlowOtherIn, DirectionIn},
		{FlowFirstLineOut, DirectionOut}, {FlowSecondLineOut, DirectionOut}, {FlowInterZoneOut, DirectionOut},
		{FlowIntraZoneOut, DirectionOut}, {FlowDestroyed, DirectionOut}, {FlowNonDeclaredOut, DirectionOut},
		{FlowStatusSwitchOut, DirectionOut}, {FlowCorrectionOut, DirectionOut}, {FlowOtherOut, DirectionOut},
		{FlowConsumedProduction, DirectionConsumed}, {FlowConsumedRnd, DirectionConsumed},
		{FlowConsumedRepair, DirectionConsumed}, {FlowConsumedOther, DirectionConsumed},
	}
	flowIndex = func() map[Flow]int {
		m := make(map[Flow]int, len(flowOrder))
		for i, c := range flowOrder {
			m[c.Flow] = i
		}
		return m
	}()
)

// assembleBalance turns a period's totals into the balance of lines.
func assembleBalance(book string, from, to time.Time, lines []zone.BookLine, pt ledger.PeriodTotals) InventoryBalance {
	sums := make(map[balanceKey]*balanceSums, 2*len(lines))
	get := func(item ledger.ItemRef, account string) *balanceSums {
		seq, err := strconv.Atoi(item.Code)
		if err != nil || item.Book != book {
			return nil
		}
		k := balanceKey{seq, StatusOf(account)}
		s := sums[k]
		if s == nil {
			s = &balanceSums{}
			sums[k] = s
		}
		return s
	}
	for _, h := range pt.Opening {
		if s := get(h.Item, h.Account.Name); s != nil {
			s.opening = addAmount(s.opening, h.Quantity, h.Value)
		}
	}
	for _, f := range pt.Flows {
		s := get(f.Item, f.Account.Name)
		if s == nil {
			continue
		}
		if f.QuantityIn.Sign() != 0 || f.ValueIn.Sign() != 0 {
			if fl, ok := classifyFlow(book, f, true); ok {
				s.add(flowIndex[fl], f.QuantityIn, f.ValueIn)
			}
		}
		if f.QuantityOut.Sign() != 0 || f.ValueOut.Sign() != 0 {
			if fl, ok := classifyFlow(book, f, false); ok {
				s.add(flowIndex[fl], f.QuantityOut, f.ValueOut)
			}
		}
	}
	out := InventoryBalance{Book: book, From: from, To: to, Lines: make([]BalanceLine, 0, 2*len(lines))}
	for _, l := range lines {
		for _, st := range []BalanceStatus{BalanceBonded, BalanceNonBonded} {
			bl := BalanceLine{BookSeq: l.Seq, Name: l.Name, Unit: l.DeclaredUnit, Type: l.Type, Status: st}
			bl.Opening = zeroAmount()
			bl.In, bl.Out, bl.Consumed, bl.ScrapMade = zeroAmount(), zeroAmount(), zeroAmount(), zeroAmount()
			if s := sums[balanceKey{l.Seq, st}]; s != nil {
				bl.Opening = s.opening
				for i, c := range flowOrder {
					if !s.moved[i] {
						continue
					}
					a := s.flows[i]
					bl.Flows = append(bl.Flows, FlowAmount{Flow: c.Flow, Direction: c.Direction, Quantity: a.Quantity, Value: a.Value})
					switch c.Direction {
					case DirectionIn:
						bl.In = addAmount(bl.In, a.Quantity, a.Value)
					case DirectionOut:
						bl.Out = addAmount(bl.Out, a.Quantity, a.Value)
					case DirectionConsumed:
						bl.Consumed = addAmount(bl.Consumed, a.Quantity, a.Value)
					}
					if c.Flow == FlowScrapMade {
						bl.ScrapMade = a
					}
				}
			}
			bl.Closing = ledger.Amount{
				Quantity: bl.Opening.Quantity.Add(bl.In.Quantity).Sub(bl.Out.Quantity).Sub(bl.Consumed.Quantity),
				Value:    bl.Opening.Value.Add(bl.In.Value).Sub(bl.Out.Value).Sub(bl.Consumed.Value),
			}
			out.Lines = append(out.Lines, bl)
		}
	}
	return out
}

// classifyFlow names the flow of a period total's movement in (in) or out
// of its bucket. Movements between buckets of the same book and status
// (bonded → reserved, goods into a repair section) are no flow of the
// balance: ok is false.
func classifyFlow(book string, f ledger.FlowTotal, in bool) (Flow, bool) {
	pick := func(i, o Flow) (Flow, bool) {
		if in {
			return i, true
		}
		return o, true
	}
	c := f.Counterpart
	if !c.IsWorld() {
		switch {
		case c.Book != book:
			return pick(FlowIntraZoneIn, FlowIntraZoneOut)
		case StatusOf(c.Name) == StatusOf(f.Account.Name):
			return "", false
		}
		return pick(FlowStatusSwitchIn, FlowStatusSwitchOut)
	}
	if f.Reversal {
		return pick(FlowCorrectionIn, FlowCorrectionOut)
	}
	switch c.Name {
	case zone.WorldAbroad:
		return pick(FlowFirstLineIn, FlowFirstLineOut)
	case zone.WorldDomestic:
		if in && f.Document.Type == documentEcommerceReturn {
			return FlowReturnIn, true
		}
		return pick(FlowSecondLineIn, FlowSecondLineOut)
	case zone.WorldOtherZone:
		return pick(FlowInterZoneIn, FlowInterZoneOut)
	case zone.WorldZoneTransfer:
		return pick(FlowIntraZoneIn, FlowIntraZoneOut)
	case zone.WorldOutside:
		return pick(FlowNonDeclaredIn, FlowNonDeclaredOut)
	case zone.WorldProduction:
		return pick(FlowProduced, FlowOtherOut)
	case repair.WorldRemoved:
		return pick(FlowScrapMade, FlowOtherOut)
	case processing.WorldDestroyed:
		return pick(FlowOtherIn, FlowDestroyed)
	case zone.WorldConsumed:
		if in {
			return FlowOtherIn, true
		}
		switch f.Document.Type {
		case processing.DocumentProduction, documentConsumption:
			return FlowConsumedProduction, true
		case processing.DocumentRndUse:
			return FlowConsumedRnd, true
		case repair.DocumentOrder, repair.DocumentParts:
			return FlowConsumedRepair, true
		}
		return FlowConsumedOther, true
	}
	return pick(FlowOtherIn, FlowOtherOut)
}

// The document types customs/zone and customs/ecommerce journal under and
// declare no constant for.
const (
	documentConsumption     = "CONSUMPTION"
	documentEcommerceReturn = "CEB621-RETURN"
)

func directionOf(f Flow) Direction {
	if i, ok := flowIndex[f]; ok {
		return flowOrder[i].Direction
	}
	return ""
}

func zeroAmount() ledger.Amount { return ledger.Amount{Quantity: decimal.Zero, Value: decimal.Zero} }

func addAmount(a ledger.Amount, q, v decimal.Decimal) ledger.Amount {
	return ledger.Amount{Quantity: a.Quantity.Add(q), Value: a.Value.Add(v)}
}
