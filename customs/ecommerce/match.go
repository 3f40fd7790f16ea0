package ecommerce

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Match matches an order's three documents once all are in and releases
// its inventory list: a refusal marks the order REJECTED with the reason
// and is returned. With a document still missing the order is returned as
// it stands (PENDING). Matching an order already decided returns it.
func (s *Service) Match(ctx context.Context, orderNo string) (Order, error) {
	// One read, outside any transaction, says which documents are in. The
	// payment and the waybill never change once stored, so the bodies read
	// here serve the match; only the order is read again, locked.
	docs, err := s.documents(ctx, orderNo)
	if err != nil || docs.order == nil {
		return Order{}, err
	}
	pre := *docs.order
	switch pre.Status {
	case OrderReleasing:
		// A release a transient failure interrupted: finish it now.
		l, err := loadList(ctx, s.pool, pre.ListNo, false)
		if err != nil {
			return pre, dbError(err)
		}
		if l.Status == ListReleasing {
			if _, err := s.release(ctx, l); err != nil {
				return pre, err
			}
		}
		o, _, err := loadDoc[Order](ctx, s.pool, "order", orderNo)
		return o, err
	case OrderPending:
	default:
		return pre, nil
	}
	if docs.payment == nil || docs.waybill == nil {
		return pre, nil
	}
	// The channel and the book lines are resolved before the transaction,
	// which must not wait for a second connection of the pool.
	ch, lines, lineErr := s.resolveLines(ctx, pre)
	if lineErr != nil && !isDomain(lineErr) {
		return Order{}, lineErr
	}
	var refusal error
	var list *InventoryList
	var out Order
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		refusal, list = nil, nil
		o, ok, err := loadDocForUpdate[Order](ctx, tx, "order", orderNo)
		if err != nil || !ok {
			return err
		}
		out = o
		if o.Status != OrderPending {
			return nil
		}
		if refusal = s.matchDocs(o, *docs.payment, *docs.waybill); refusal == nil && lineErr != nil {
			refusal = lineErr
		}
		if refusal == nil {
			list, refusal, err = s.prepareList(ctx, tx, o, ch, lines)
			if err != nil {
				return err
			}
		}
		if refusal != nil {
			o.Status, o.Reason = OrderRejected, ledger.AsError(refusal).Reason+": "+ledger.AsError(refusal).Message
		} else {
			o.Status, o.ListNo = OrderReleasing, list.No
		}
		out = o
		return saveOrder(ctx, tx, o)
	})
	if err != nil {
		return Order{}, err
	}
	if refusal != nil {
		return Order{}, refusal
	}
	if list == nil {
		return out, nil // decided meanwhile by another call
	}
	finished, err := s.release(ctx, *list)
	if err != nil {
		return Order{}, err
	}
	if !finished {
		// Another call finished the list: answer what it decided.
		o, _, err := loadDoc[Order](ctx, s.pool, "order", orderNo)
		return o, err
	}
	out.Status = OrderReleased
	return out, nil
}

// orderDocs are the documents of an order received so far.
type orderDocs struct {
	order   *Order
	payment *Payment
	waybill *Waybill
}

// documents reads the documents of an order in one query.
func (s *Service) documents(ctx context.Context, orderNo string) (orderDocs, error) {
	var d orderDocs
	rows, err := s.pool.Query(ctx, `SELECT kind, body FROM ecom_documents WHERE order_no = $1 AND kind IN ('order', 'payment', 'waybill')`, orderNo)
	if err != nil {
		return d, dbError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, body string
		if err := rows.Scan(&kind, &body); err != nil {
			return d, dbError(err)
		}
		switch kind {
		case "order":
			d.order = new(Order)
			err = jsonUnmarshal(body, d.order)
		case "payment":
			d.payment = new(Payment)
			err = jsonUnmarshal(body, d.payment)
		case "waybill":
			d.waybill = new(Waybill)
			err = jsonUnmarshal(body, d.waybill)
		}
		if err != nil {
			return d, err
		}
	}
	return d, dbError(rows.Err())
}

// matchDocs is the 三单对碰.
func (s *Service) matchDocs(o Order, pay Payment, wb Waybill) error {
	want := o.GoodsValue.Add(o.Freight).Add(o.TaxTotal).Sub(o.Discount)
	if !o.ActualPaid.Equal(want) {
		return refuse(ReasonActualPaidMismatch, "actual_paid", "order %s: actual paid %s ≠ goods %s + freight %s + tax %s − discount %s = %s", o.OrderNo, o.ActualPaid, o.GoodsValue, o.Freight, o.TaxTotal, o.Discount, want)
	}
	if !pay.Amount.Equal(o.ActualPaid) {
		return refuse(ReasonPaymentMismatch, "amount", "order %s: the payment is %s, the order's actual paid %s", o.OrderNo, pay.Amount, o.ActualPaid)
	}
	if (pay.Payer.IDNumber != o.Buyer.IDNumber || pay.Payer.Name != o.Buyer.Name) && strings.TrimSpace(o.IdentityProof) == "" {
		return refuse(ReasonBuyerPayerMismatch, "payer", "order %s: the payer %s is not the buyer %s and no identity proof is attached", o.OrderNo, pay.Payer.Name, o.Buyer.Name)
	}
	c, w := o.Consignee, wb.Consignee
	if c.Name != w.Name || c.Phone != w.Phone || c.Address != w.Address {
		return refuse(ReasonConsigneeMismatch, "consignee", "order %s: the consignee differs from waybill %s's (name, phone and address must agree)", o.OrderNo, wb.LogisticsNo)
	}
	return nil
}

// year is a buyer's calendar year of a list.
func (s *Service) year() int { return s.today().Year() }

// prepareList builds and stores the list of a matched order: lines on the
// warehouse book, positive list and caps, limits and tax by the engine,
// the buyer's totals counted. A refusal comes back as the second result.
//
// It runs inside the transaction and must not take another connection of
// the pool (a transaction waiting for a second connection while every one
// is held by such transactions would never finish): the channel and the
// book lines are resolved before it.
func (s *Service) prepareList(ctx context.Context, tx pgx.Tx, o Order, ch Channel, lines []zone.BookLine) (*InventoryList, error, error) {
	l := InventoryList{OrderNo: o.OrderNo, Enterprise: o.Enterprise, Platform: ch.Platform, Book: ch.Book, Guarantor: ch.Guarantor, BuyerID: o.Buyer.IDNumber, Status: ListReleasing, CreatedAt: s.clock()}
	l.DutiableValue = o.GoodsValue.Add(o.Freight).Add(o.Insurance)
	extra := o.Freight.Add(o.Insurance)
	req := tax.Request{Regime: tax.CrossBorderRetail, Date: s.today()}
	allocated := decimal.Zero
	for i, ol := range o.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		bl := lines[i]
		if _, ok := s.set.positive(bl.HSCode); !ok {
			return nil, refuse(ReasonNotOnPositiveList, f+".item_no", "SKU %s (HS %s) is not on the cross-border positive list", ol.ItemNo, bl.HSCode), nil
		}
		legal := ol.Quantity.Mul(bl.Legal.Factor)
		share := decimal.Zero
		if o.GoodsValue.IsPositive() {
			share = extra.Mul(ol.Total).Div(o.GoodsValue).Round(2)
		}
		if i == len(o.Lines)-1 {
			share = extra.Sub(allocated)
		}
		allocated = allocated.Add(share)
		pieces := 0
		if ol.Quantity.IsInteger() && ol.Quantity.LessThan(decimal.NewFromInt(1<<30)) {
			pieces = int(ol.Quantity.IntPart())
		}
		req.Lines = append(req.Lines, tax.Line{Goods: tax.Goods{HSCode: bl.HSCode, DutiableValue: ol.Total.Add(share), Quantity: legal, Unit: bl.Legal.Unit}, Pieces: pieces})
		l.Lines = append(l.Lines, ListLine{Seq: i + 1, ItemNo: ol.ItemNo, BookSeq: bl.Seq, HSCode: bl.HSCode, Name: bl.Name, Quantity: ol.Quantity, Unit: bl.DeclaredUnit,
			LegalQuantity: legal, LegalUnit: bl.Legal.Unit, Price: ol.Price, Total: ol.Total})
	}
	// The buyer's year: lock the totals (created at zero when new).
	count, caps := s.counted(l)
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	totals, err := lockTotals(ctx, tx, o.Buyer.IDNumber, s.year(), keys)
	if err != nil {
		return nil, nil, err
	}
	for k, entry := range caps {
		if totals[k].Add(count[k]).GreaterThan(entry.AnnualCap) {
			return nil, refuse(ReasonPersonalCapExceeded, "lines", "buyer %s has bought %s of %s (%s) this year; %s more exceeds the cap of %s", mask(o.Buyer.IDNumber), totals[k], entry.HSPrefix, entry.Note, count[k], entry.AnnualCap), nil
		}
	}
	req.AnnualUsed = totals[""]
	q, err := s.tax.Quote(req)
	if err != nil {
		return nil, err, nil
	}
	switch q.Rule {
	case tax.RuleCrossBorderOverSingleLimit:
		return nil, refuse(ReasonOverSingleLimit, "goods_value", "order %s is worth %s, over the single-transaction limit; declare it as general trade", o.OrderNo, l.DutiableValue), nil
	case tax.RuleCrossBorderOverAnnualLimit:
		return nil, refuse(ReasonOverAnnualLimit, "buyer.id_number", "buyer %s has %s counted this year; %s more exceeds the annual limit; declare it as general trade", mask(o.Buyer.IDNumber), totals[""], l.DutiableValue), nil
	}
	if !q.Total.Equal(o.TaxTotal) {
		return nil, refuse(ReasonTaxMismatch, "tax_total", "order %s withheld %s tax; the tax is %s (duty %s, consumption tax %s, VAT %s, %s)", o.OrderNo, o.TaxTotal, q.Total, q.Duty, q.ConsumptionTax, q.VAT, q.Rule), nil
	}
	l.Duty, l.ConsumptionTax, l.VAT, l.Tax, l.Rule = q.Duty, q.ConsumptionTax, q.VAT, q.Total, string(q.Rule)
	// The list's number is derived from the order's, unique in the zone, so
	// concurrent releases share no counter.
	l.No = "QL" + o.OrderNo
	if err := s.addTotals(ctx, tx, l, 1); err != nil {
		return nil, nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		l.No, l.OrderNo, l.Enterprise, l.Guarantor, l.BuyerID, string(l.Status), mustJSON(l)); err != nil {
		return nil, nil, err
	}
	return &l, nil, nil
}

// resolveLines finds an order's channel and the warehouse book line of
// each order line, and checks the book is open.
func (s *Service) resolveLines(ctx context.Context, o Order) (Channel, []zone.BookLine, error) {
	ch, err := s.channel(ctx, o.Enterprise)
	if err != nil {
		return ch, nil, err
	}
	b, err := s.zone.BookByNo(ctx, ch.Book)
	if err != nil {
		return ch, nil, err
	}
	if err := s.zone.CheckOpen(ctx, b, "enterprise"); err != nil {
		return ch, nil, err
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

func lockTotals(ctx context.Context, tx pgx.Tx, id string, year int, keys []string) (map[string]decimal.Decimal, error) {
	// Creates the missing rows and locks them all, in key order, in one
	// statement; RETURNING gives the totals.
	slices.Sort(keys)
	rows, err := tx.Query(ctx, `INSERT INTO ecom_buyer_totals (id_number, year, key, total)
		SELECT $1, $2, k, 0 FROM unnest($3::text[]) AS k ORDER BY k
		ON CONFLICT (id_number, year, key) DO UPDATE SET total = ecom_buyer_totals.total
		RETURNING key, total`, id, year, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]decimal.Decimal{}
	for rows.Next() {
		var k string
		var t decimal.Decimal
		if err := rows.Scan(&k, &t); err != nil {
			return nil, err
		}
		out[k] = t
	}
	return out, rows.Err()
}

// release deducts a list's goods from the warehouse book and finishes it:
// RELEASED, or, when the stock is short, REFUSED with the buyer's totals
// restored and the order rejected. It reports whether this call finished
// the list (false: another call had).
func (s *Service) release(ctx context.Context, l InventoryList) (bool, error) {
	req := ledger.JournalRequest{Book: l.Book, IdempotencyKey: l.No + ":release", EffectiveDate: s.today(),
		Document: ledger.Document{Type: "CEB621", Number: l.No, TradeMode: "1210"}, Principal: "ecommerce",
		Metadata: map[string]string{"order_no": l.OrderNo, "guarantor": l.Guarantor}}
	for _, ln := range l.Lines {
		req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: l.Book, Code: strconv.Itoa(ln.BookSeq)},
			From: ledger.In(l.Book, zone.AccountBonded), To: ledger.World(zone.WorldDomestic), Quantity: ln.Quantity, Unit: ln.Unit})
	}
	j, perr := s.ledger.Post(ctx, req)
	if perr != nil && !isDomain(perr) {
		return false, perr // the list stays RELEASING; Recover or the next Match finishes it
	}
	finished := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		finished = false
		c := l
		if perr != nil {
			c.Status, c.Reason = ListRefused, ledger.AsError(perr).Message
		} else {
			c.Status, c.ReleasedOn, c.JournalID = ListReleased, j.EffectiveDate, j.ID
		}
		// Finish the list only if it is still releasing: another call may
		// have finished it.
		var released any
		if !c.ReleasedOn.IsZero() {
			released = c.ReleasedOn
		}
		tag, err := tx.Exec(ctx, `UPDATE ecom_lists SET status = $2, released_on = $3, body = $4 WHERE no = $1 AND status = $5`,
			c.No, string(c.Status), released, mustJSON(c), string(ListReleasing))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		finished = true
		o, _, err := loadDocForUpdate[Order](ctx, tx, "order", l.OrderNo)
		if err != nil {
			return err
		}
		if perr != nil {
			if err := s.addTotals(ctx, tx, c, -1); err != nil {
				return err
			}
			o.Status, o.Reason = OrderRejected, ReasonInsufficientStock+": "+ledger.AsError(perr).Message
		} else {
			o.Status = OrderReleased
		}
		return saveOrder(ctx, tx, o)
	})
	if err != nil {
		return false, err
	}
	if perr != nil && finished {
		le := *ledger.AsError(perr)
		if le.Reason == ledger.ReasonInsufficient {
			le.Reason = ReasonInsufficientStock
		}
		return true, &le
	}
	return finished, nil
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

// addTotals adds (sign 1) or takes back (sign −1) what a list counted in
// its buyer's year.
func (s *Service) addTotals(ctx context.Context, tx pgx.Tx, l InventoryList, sign int64) error {
	year := l.CreatedAt.In(s.set.Location).Year()
	add, _ := s.counted(l)
	for k, v := range add {
		if _, err := tx.Exec(ctx, `UPDATE ecom_buyer_totals SET total = total + $4 WHERE id_number = $1 AND year = $2 AND key = $3`, l.BuyerID, year, k, v.Mul(decimal.NewFromInt(sign))); err != nil {
			return err
		}
	}
	return nil
}

func saveList(ctx context.Context, tx pgx.Tx, l InventoryList) error {
	var released any
	if !l.ReleasedOn.IsZero() {
		released = l.ReleasedOn
	}
	_, err := tx.Exec(ctx, `UPDATE ecom_lists SET status = $2, released_on = $3, body = $4 WHERE no = $1`, l.No, string(l.Status), released, mustJSON(l))
	return err
}

// Recover finishes the releases and returns a crash interrupted.
func (s *Service) Recover(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT body FROM ecom_lists WHERE status IN ($1, $2)`, string(ListReleasing), string(listReturnReceiving))
	if err != nil {
		return dbError(err)
	}
	var pending []InventoryList
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return dbError(err)
		}
		var l InventoryList
		if err := jsonUnmarshal(body, &l); err != nil {
			rows.Close()
			return err
		}
		pending = append(pending, l)
	}
	rows.Close()
	for _, l := range pending {
		var err error
		if l.Status == ListReleasing {
			_, err = s.release(ctx, l)
		} else {
			err = s.receive(ctx, l)
		}
		if err != nil && !isDomain(err) {
			return err
		}
	}
	return nil
}
