package ecommerce

import (
	"context"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// matchDocs is the 三单对碰.
func (s *Service) matchDocs(o Order, pay Payment, wb Waybill) error {
	want := o.GoodsValue.Add(o.Freight).Add(o.TaxTotal).Sub(o.Discount)
	if !o.ActualPaid.Equal(want) {
		return ledger.Precondition(ReasonActualPaidMismatch, "actual_paid", "order %s: actual paid %s ≠ goods %s + freight %s + tax %s − discount %s = %s", o.OrderNo, o.ActualPaid, o.GoodsValue, o.Freight, o.TaxTotal, o.Discount, want)
	}
	if !pay.Amount.Equal(o.ActualPaid) {
		return ledger.Precondition(ReasonPaymentMismatch, "amount", "order %s: the payment is %s, the order's actual paid %s", o.OrderNo, pay.Amount, o.ActualPaid)
	}
	if (pay.Payer.IDNumber != o.Buyer.IDNumber || pay.Payer.Name != o.Buyer.Name) && strings.TrimSpace(o.IdentityProof) == "" {
		return ledger.Precondition(ReasonBuyerPayerMismatch, "payer", "order %s: the payer %s is not the buyer %s and no identity proof is attached", o.OrderNo, pay.Payer.Name, o.Buyer.Name)
	}
	c, w := o.Consignee, wb.Consignee
	if c.Name != w.Name || c.Phone != w.Phone || c.Address != w.Address {
		return ledger.Precondition(ReasonConsigneeMismatch, "consignee", "order %s: the consignee differs from waybill %s's (name, phone and address must agree)", o.OrderNo, wb.LogisticsNo)
	}
	return nil
}

// year is a buyer's calendar year of a list.
func (s *Service) year() int { return s.today().Year() }

// resolveLines finds an order's channel and the warehouse book line of
// each order line, and checks the book is open. books remembers, for one
// batch, the books checked and what the check said.
func (s *Service) resolveLines(ctx context.Context, o Order, books map[string]error) (Channel, []zone.BookLine, error) {
	ch, err := s.channel(ctx, o.Enterprise)
	if err != nil {
		return ch, nil, err
	}
	open, checked := books[ch.Book]
	if !checked {
		var b zone.Book
		if b, open = s.zone.BookByNo(ctx, ch.Book); open == nil {
			open = s.zone.CheckOpen(ctx, b, "enterprise")
		}
		books[ch.Book] = open
	}
	if open != nil {
		return ch, nil, open
	}
	out := make([]zone.BookLine, len(o.Lines))
	for i, ol := range o.Lines {
		// A part number's line never changes once mapped: remember it.
		key := ch.Book + "\x00" + ol.ItemNo
		if l, ok := s.lines.Load(key); ok {
			out[i] = l.(zone.BookLine)
			continue
		}
		if out[i], err = s.zone.LineByPart(ctx, ch.Book, ol.ItemNo, fmt.Sprintf("lines[%d].item_no", i)); err != nil {
			return ch, nil, err
		}
		s.lines.Store(key, out[i])
	}
	return ch, out, nil
}

// mask shows an ID number's first 6 and last 4 characters only.
func mask(id string) string {
	if len(id) < 10 {
		return "***"
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}

func isDomain(err error) bool {
	k := ledger.AsError(err).Kind
	return k != ledger.KindInternal && k != ledger.KindUnavailable
}

// counted is what a list counts in its buyer's year: its dutiable value
// under the key "", and under "cap:" + prefix the legal quantity of each
// good the positive list caps, whose entries come back by the same keys.
func (s *Service) counted(l InventoryList) (map[string]decimal.Decimal, map[string]PositiveEntry) {
	count := map[string]decimal.Decimal{"": l.DutiableValue}
	caps := map[string]PositiveEntry{}
	for _, ln := range l.Lines {
		if e, ok := s.set.positive(ln.HSCode); ok && e.AnnualCap.IsPositive() {
			k := "cap:" + e.HSPrefix
			count[k] = count[k].Add(ln.LegalQuantity)
			caps[k] = e
		}
	}
	return count, caps
}
