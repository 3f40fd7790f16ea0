package zone

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// clearOnApproval books the lists that pass no gate once approved.
func (s *Service) clearOnApproval(ctx context.Context, tx pgx.Tx, p access.Principal, l List) (*intent, error) {
	switch l.Flow {
	case FlowEnterFirst:
		req := s.journal(l, "clear", p.ID)
		in := &intent{ID: req.IdempotencyKey, Kind: intentClear, Docs: []string{kindList + ":" + l.No}, Actor: p.ID, Date: req.EffectiveDate}
		for i, ln := range l.Lines {
			req.Postings = append(req.Postings, posting(l.Book, ln.BookSeq, AccountEntered, AccountBonded, ln.DeclaredQuantity, "", ln.DeclaredUnit))
			in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
		}
		in.Post = &req
		return in, nil
	case FlowCollectiveOut:
		return nil, s.clearCollective(ctx, tx, l)
	case FlowIntraZoneOut, FlowIntraZoneIn:
		return s.transferIfPaired(ctx, tx, p, l)
	}
	return nil, nil
}

// transferIfPaired books an intra-zone transfer once both its lists are
// approved: one journal takes the sender's reserved goods off its book and
// puts them on the receiver's.
func (s *Service) transferIfPaired(ctx context.Context, tx pgx.Tx, p access.Principal, l List) (*intent, error) {
	var seller, buyer List
	if l.Flow == FlowIntraZoneOut {
		seller = l
		var body string
		err := tx.QueryRow(ctx, `SELECT body FROM zone_documents WHERE kind = $1 AND link = $2 AND status = $3 ORDER BY no LIMIT 1`, kindList, l.No, string(ListApproved)).Scan(&body)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil // the receiver's list is not approved yet
		}
		if err != nil {
			return nil, err
		}
		if err := jsonUnmarshal(body, &buyer); err != nil {
			return nil, err
		}
	} else {
		buyer = l
		if _, err := getDoc(ctx, tx, kindList, l.RelatedListNo, true, &seller); err != nil {
			return nil, err
		}
		if seller.Status != ListApproved {
			return nil, nil
		}
	}
	for _, no := range []string{seller.No, buyer.No} {
		var x List
		row, err := getDoc(ctx, tx, kindList, no, true, &x)
		if err != nil {
			return nil, err
		}
		if err := checkPending(row); err != nil {
			return nil, err
		}
	}
	for _, no := range []string{seller.Book, buyer.Book} {
		b, err := loadBook(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		if err := checkOpen(ctx, tx, b, "list_no"); err != nil {
			return nil, err
		}
	}
	if err := pairLines(seller, buyer); err != nil {
		return nil, err
	}
	req := s.journal(seller, "transfer", p.ID)
	if d := buyer.businessDate(s.today()); d.After(req.EffectiveDate) {
		req.EffectiveDate = d
	}
	req.Metadata["receiving_list"] = buyer.No
	in := &intent{ID: req.IdempotencyKey, Kind: intentClear, Docs: []string{kindList + ":" + seller.No, kindList + ":" + buyer.No}, Actor: p.ID, Date: req.EffectiveDate}
	for i, ln := range seller.Lines {
		for _, lot := range ln.Lots {
			req.Postings = append(req.Postings, posting(seller.Book, ln.BookSeq, AccountReserved, WorldZoneTransfer, lot.Quantity, lot.Lot, ln.DeclaredUnit))
			in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
		}
	}
	for i, ln := range buyer.Lines {
		pst := posting(buyer.Book, ln.BookSeq, WorldZoneTransfer, AccountBonded, ln.DeclaredQuantity, buyer.No+"-"+strconv.Itoa(ln.Seq), ln.DeclaredUnit)
		pst.Value = ln.CNYValue
		pst.LotAttributes = lotAttributes(buyer, ln, FlowIntraZoneIn, req.EffectiveDate)
		pst.LotAttributes["from_book"] = seller.Book
		req.Postings = append(req.Postings, pst)
		in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
	}
	in.Post = &req
	return in, nil
}

// lotAttributes describe a lot formed by a list line.
func lotAttributes(l List, ln ListLine, flow Flow, day time.Time) map[string]string {
	country := ln.Country
	if country == "" {
		country = l.Country
	}
	return map[string]string{
		"flow":           string(flow),
		"source_list":    l.No,
		"source_line":    strconv.Itoa(ln.Seq),
		"entry_date":     ledger.FormatDate(day),
		"country":        country,
		"declared_value": ln.CNYValue.StringFixed(2),
		"enterprise":     l.Enterprise,
	}
}

// finishClear marks the lists of a clearing journal cleared, records the
// lots inbound lines formed, and the taxable events of goods leaving bonded
// status.
func (s *Service) finishClear(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	for _, d := range in.Docs {
		_, no, _ := strings.Cut(d, ":")
		l, _, err := lockListAny(ctx, tx, no)
		if err != nil {
			return err
		}
		// The postings of this list's book, in line order: one per line for
		// inbound lines, one per reserved lot for outbound ones.
		var mine []ledger.Posting
		for _, p := range j.Postings {
			if p.Item.Book == l.Book {
				mine = append(mine, p)
			}
		}
		k := 0
		for i := range l.Lines {
			ln := &l.Lines[i]
			if l.Flow == FlowEnterFirst || l.Flow == FlowIntraZoneIn {
				if k < len(mine) {
					ln.Lots = legsOf(mine[k])
				}
				k++
			}
			ln.Passed = ln.DeclaredQuantity
			if l.Flow == FlowSwitchToNonbond {
				if err := s.recordTaxable(ctx, tx, l, *ln, ln.DeclaredQuantity, j.EffectiveDate, "clear"); err != nil {
					return err
				}
			}
		}
		l.Status, l.ClearedAt = ListCleared, s.clock()
		l.JournalIDs = append(l.JournalIDs, j.ID)
		if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), "", l); err != nil {
			return err
		}
	}
	return nil
}

// recordTaxable stores a taxable event for qty of a list line leaving bonded
// status on day, assessed by the tax engine. source makes it unique: the
// same goods are never recorded twice.
func (s *Service) recordTaxable(ctx context.Context, tx pgx.Tx, l List, ln ListLine, qty decimal.Decimal, day time.Time, step string) error {
	bl, err := loadLine(ctx, tx, l.Book, ln.BookSeq)
	if err != nil {
		return err
	}
	value := ln.CNYValue
	if !qty.Equal(ln.DeclaredQuantity) {
		value = ln.CNYValue.Mul(qty).Div(ln.DeclaredQuantity).Round(2)
	}
	ev := TaxableEvent{
		Book: l.Book, Enterprise: l.Enterprise, ListNo: l.No, ListSeq: ln.Seq, BookSeq: ln.BookSeq, HSCode: bl.HSCode,
		Quantity: qty, Unit: bl.DeclaredUnit, LegalQuantity: qty.Mul(bl.Legal.Factor), LegalUnit: bl.Legal.Unit,
		DutiableValue: value, TradeMode: l.TradeMode, Date: day,
	}
	s.assess(&ev, l)
	return s.storeTaxable(ctx, tx, ev, l.No+":"+strconv.Itoa(ln.Seq)+":"+step)
}

// storeTaxable stores a taxable event once per source.
func (s *Service) storeTaxable(ctx context.Context, tx pgx.Tx, ev TaxableEvent, source string) error {
	day := ev.Date
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM zone_taxable_events WHERE source = $1`, source).Scan(&n); err != nil || n > 0 {
		return err
	}
	id, err := nextNumber(ctx, tx, "taxable-event")
	if err != nil {
		return err
	}
	ev.ID = id
	_, err = tx.Exec(ctx, `INSERT INTO zone_taxable_events (id, book, enterprise, source, event_date, body) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, ev.Book, ev.Enterprise, source, day, mustJSON(ev))
	return err
}

// assess computes the taxes of an event with the engine: a domestic sale
// on the goods' actual state (按成品). Duty on materials (0544/0545) needs
// the materials consumed, which the event does not carry: it is left for a
// quote with the materials.
func (s *Service) assess(ev *TaxableEvent, l List) {
	if s.tax == nil {
		ev.AssessError = "no tax engine configured"
		return
	}
	if ev.TradeMode == "0544" || ev.TradeMode == "0545" {
		ev.AssessError = "duty on the imported materials (按料件) needs the materials consumed; quote it with TaxService/Quote, duty_basis MATERIALS"
		return
	}
	q, err := s.tax.Quote(tax.Request{Regime: tax.DomesticSale, Date: ev.Date, Lines: []tax.Line{{Goods: tax.Goods{
		HSCode: ev.HSCode, DutiableValue: ev.DutiableValue, Quantity: ev.LegalQuantity, Unit: ev.LegalUnit,
	}}}})
	if err != nil {
		ev.AssessError = err.Error()
		return
	}
	ev.Duty, ev.ConsumptionTax, ev.VAT, ev.Total, ev.Rule = q.Duty, q.ConsumptionTax, q.VAT, q.Total, string(q.Rule)
}

// ListTaxableEvents pages a book's taxable events in ID order, optionally
// within dates.
func (s *Service) ListTaxableEvents(ctx context.Context, p access.Principal, book string, from, to time.Time, afterID int64, limit int) ([]TaxableEvent, error) {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return nil, dbError(err)
	}
	if err := hideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM zone_taxable_events WHERE book = $1 AND event_date BETWEEN $2 AND $3 AND id > $4 ORDER BY id LIMIT $5`,
		book, from, to, afterID, pageSize(limit))
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []TaxableEvent
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, dbError(err)
		}
		var ev TaxableEvent
		if err := jsonUnmarshal(body, &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, dbError(rows.Err())
}
