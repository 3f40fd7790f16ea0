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
		_, err := getDoc(ctx, tx, kindList, no, true, &x)
		if err != nil {
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
		var pending []pendingEvent
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
				ev, err := s.taxableEvent(ctx, tx, l, *ln, ln.DeclaredQuantity, j.EffectiveDate, "clear")
				if err != nil {
					return err
				}
				pending = append(pending, ev)
			}
		}
		if err := s.recordConsignment(ctx, tx, pending); err != nil {
			return err
		}
		l.Status, l.ClearedAt = ListCleared, s.clock()
		l.JournalIDs = append(l.JournalIDs, j.ID)
		if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), l); err != nil {
			return err
		}
	}
	return nil
}

// pendingEvent is a taxable event waiting to be assessed with the rest of
// its consignment, and the source that makes it unique.
type pendingEvent struct {
	ev     TaxableEvent
	source string
}

// taxableEvent builds the (unassessed) taxable event for qty of a list line
// leaving bonded status on day; ln.Passed already counts qty. step makes
// its source unique: the same goods are never recorded twice. The event's
// tax date is the list's declaration day (the day its tax formalities were
// done), whatever day the goods leave. A list taxed on its materials gives
// the event its share of the line's materials and the 缓税利息 period: from
// the materials' first import, or the book's last write-off date as it was
// when the list was declared, when later (and not after the tax date), to
// the tax date.
func (s *Service) taxableEvent(ctx context.Context, tx pgx.Tx, l List, ln ListLine, qty decimal.Decimal, day time.Time, step string) (pendingEvent, error) {
	bl, err := loadLine(ctx, tx, l.Book, ln.BookSeq)
	if err != nil {
		return pendingEvent{}, err
	}
	before := ln.Passed.Sub(qty)
	ev := TaxableEvent{
		Book: l.Book, Enterprise: l.Enterprise, ListNo: l.No, ListSeq: ln.Seq, BookSeq: ln.BookSeq, HSCode: bl.HSCode,
		Quantity: qty, Unit: bl.DeclaredUnit, LegalQuantity: qty.Mul(bl.Legal.Factor), LegalUnit: bl.Legal.Unit,
		DutiableValue: partValue(ln.CNYValue, ln.DeclaredQuantity, before, qty), TradeMode: l.TradeMode, Date: day,
		TaxDate: day, GoodsCategory: ln.GoodsCategory,
	}
	if !l.DeclaredAt.IsZero() {
		ev.TaxDate = s.dateOf(l.DeclaredAt)
	}
	if byMaterials(&l) {
		ev.DutyBasis = string(tax.BasisMaterials)
		for _, m := range ln.Materials {
			ev.Materials = append(ev.Materials, EventMaterial{
				BookSeq: m.BookSeq, HSCode: m.HSCode, LegalUnit: m.LegalUnit, FirstImport: m.FirstImport,
				LegalQuantity: partOf(m.LegalQuantity, ln.DeclaredQuantity, before, qty, 5),
				DutiableValue: partValue(m.Value, ln.DeclaredQuantity, before, qty),
			})
			if !m.FirstImport.IsZero() && (ev.InterestFrom.IsZero() || m.FirstImport.Before(ev.InterestFrom)) {
				ev.InterestFrom = m.FirstImport
			}
		}
		if !ev.InterestFrom.IsZero() {
			if w := l.LastWriteOff; !w.IsZero() && w.After(ev.InterestFrom) && !w.After(ev.TaxDate) {
				ev.InterestFrom = w
			}
			ev.InterestDays = max(0, daysBetween(ev.InterestFrom, ev.TaxDate))
		}
	}
	if generalTaxpayerSale(&l) {
		// The bonded part of an 一纳 sale bears 缓税利息 (customs-reference
		// §5.7) from the book's first import, or its last write-off when
		// later (the 电子账册 rule of GACC 公告2009年第14号).
		ev.GeneralTaxpayer, ev.InterestFrom = true, l.FirstImport
		if w := l.LastWriteOff; !w.IsZero() && w.After(ev.InterestFrom) && !w.After(ev.TaxDate) {
			ev.InterestFrom = w
		}
		if !ev.InterestFrom.IsZero() {
			ev.InterestDays = max(0, daysBetween(ev.InterestFrom, ev.TaxDate))
		}
	}
	return pendingEvent{ev: ev, source: l.No + ":" + strconv.Itoa(ln.Seq) + ":" + step}, nil
}

// daysBetween counts the calendar days from one date to another.
func daysBetween(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// partValue is the value of qty of a line of value total and quantity
// declared, before of which passed earlier: the line's value for the
// quantity passed so far less its value for the quantity passed before,
// each in proportion to quantity and rounded half-up to the fen. The parts
// of a line shipped in several parts thus sum exactly to the line's value,
// the last part taking the remainder.
func partValue(total, declared, before, qty decimal.Decimal) decimal.Decimal {
	return partOf(total, declared, before, qty, 2)
}

// partOf is partValue rounded to places decimal places: a material's
// quantity (5 places) or value (2) shared among a line's shipments.
func partOf(total, declared, before, qty decimal.Decimal, places int32) decimal.Decimal {
	upTo := func(q decimal.Decimal) decimal.Decimal {
		if q.GreaterThanOrEqual(declared) {
			return total
		}
		if q.IsZero() {
			return decimal.Zero
		}
		return total.Mul(q).DivRound(declared, places)
	}
	return upTo(before.Add(qty)).Sub(upTo(before))
}

// recordConsignment assesses the taxable events of one consignment (一票:
// one list's lines booked by one gate pass or one clearance) together and
// stores each once per source.
func (s *Service) recordConsignment(ctx context.Context, tx pgx.Tx, pending []pendingEvent) error {
	evs := make([]TaxableEvent, len(pending))
	for i, p := range pending {
		evs[i] = p.ev
	}
	s.assess(evs)
	for i, p := range pending {
		if err := s.storeTaxable(ctx, tx, evs[i], p.source); err != nil {
			return err
		}
	}
	return nil
}

// storeTaxable stores a taxable event once per source.
func (s *Service) storeTaxable(ctx context.Context, tx pgx.Tx, ev TaxableEvent, source string) error {
	day := ev.Date
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM zone_taxable_events WHERE source = $1`, source).Scan(&n); err != nil || n > 0 {
		return err
	}
	// The number comes from a sequence, not a counter row: a row would be
	// held until commit and make taxable clearances on every book queue on
	// it (migration 0028).
	var id int64
	if err := tx.QueryRow(ctx, `SELECT nextval('zone_taxable_event_ids')`).Scan(&id); err != nil {
		return err
	}
	ev.ID = id
	_, err := tx.Exec(ctx, nextChange+`INSERT INTO zone_taxable_events (book, id, enterprise, source, event_date, body, tariff, change_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT seq FROM ch))`,
		ev.Book, id, ev.Enterprise, source, day, mustJSON(ev), ev.Tariff)
	return err
}

// assess computes the taxes of the events of one consignment (一票: one
// list's lines booked together, one display sale) with the engine as one
// request, a domestic sale, so the de-minimis applies to the consignment's
// total of each tax, as Quote does for a document. The events share a tax
// date, the request's date (rate date). An event with materials is taxed on
// them (按料件) with 缓税利息 for its interest days; the others on the goods'
// actual state (按成品). It returns the index of the event at fault when the
// engine refuses one; -1 otherwise.
func (s *Service) assess(evs []TaxableEvent) int {
	fail := func(msg string) {
		for i := range evs {
			evs[i].AssessError = msg
		}
	}
	if len(evs) == 0 {
		return -1
	}
	if s.tax == nil {
		fail("no tax engine configured")
		return -1
	}
	for i := range evs {
		evs[i].Tariff = s.tax.Tariff().Name()
	}
	date := evs[0].TaxDate
	if date.IsZero() {
		date = evs[0].Date
	}
	req := tax.Request{Regime: tax.DomesticSale, Date: date, Lines: make([]tax.Line, len(evs))}
	for i, ev := range evs {
		req.Lines[i] = tax.Line{Goods: tax.Goods{HSCode: ev.HSCode, DutiableValue: ev.DutiableValue, Quantity: ev.LegalQuantity, Unit: ev.LegalUnit}}
		if ev.DutyBasis == string(tax.BasisMaterials) {
			req.Lines[i].DutyBasis, req.Lines[i].InterestDays = tax.BasisMaterials, ev.InterestDays
			for _, m := range ev.Materials {
				req.Lines[i].Materials = append(req.Lines[i].Materials, tax.Goods{HSCode: m.HSCode, DutiableValue: m.DutiableValue, Quantity: m.LegalQuantity, Unit: m.LegalUnit})
			}
		}
		if ev.GeneralTaxpayer {
			req.Lines[i].GeneralTaxpayerSale, req.Lines[i].InterestDays = true, ev.InterestDays
		}
	}
	q, err := s.tax.Quote(req)
	if err != nil {
		at := -1
		var le *ledger.Error
		if errors.As(err, &le) {
			if _, serr := fmt.Sscanf(le.Field, "lines[%d]", &at); serr != nil || at >= len(evs) {
				at = -1
			}
		}
		for i := range evs {
			switch {
			case i == at:
				evs[i].AssessError = le.Message
			case at >= 0:
				evs[i].AssessError = fmt.Sprintf("not assessed: its consignment (一票) is taxed as one, and the event of book line %d cannot be taxed: %s",
					evs[at].BookSeq, le.Message)
			default:
				evs[i].AssessError = err.Error()
			}
		}
		return at
	}
	for i, lq := range q.Lines {
		evs[i].Duty, evs[i].ConsumptionTax, evs[i].VAT, evs[i].Total = lq.Duty, lq.ConsumptionTax, lq.VAT, lq.Total
		evs[i].Interest, evs[i].InterestRate = lq.Interest, lq.InterestRate
		for k, mq := range lq.Materials {
			evs[i].Materials[k].Duty = mq.DutyExact
		}
		evs[i].Rule, evs[i].Waived = string(q.Rule), nil
		for _, k := range q.Waived {
			evs[i].Waived = append(evs[i].Waived, string(k))
		}
	}
	return -1
}

// ListTaxableEvents pages a book's taxable events in ID order, optionally
// within dates.
func (s *Service) ListTaxableEvents(ctx context.Context, p access.Principal, book string, from, to time.Time, afterID int64, limit int) ([]TaxableEvent, error) {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return nil, dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
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
