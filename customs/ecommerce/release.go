package ecommerce

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// releaseReq asks the releaser to match a complete order and release its
// list, or to finish a release that was interrupted.
type releaseReq struct {
	row orderRow
	// known are the row's documents the caller has decoded (nil: decode).
	known [3]any
	out   Order
	err   error
	done  chan struct{}
}

// release hands complete orders to the releaser and waits for them.
func (s *Service) release(ctx context.Context, reqs []*releaseReq) error {
	if !s.releaser.Submit(reqs...) {
		return errStopped
	}
	for _, r := range reqs {
		select {
		case <-r.done:
		case <-ctx.Done():
			return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "",
				"gave up waiting for the order's release; it may still finish: read the order, or send a document again")
		}
	}
	return nil
}

// candidate is one order of a release batch.
type candidate struct {
	row     orderRow
	known   [3]any
	order   Order
	waiters []*releaseReq
	// fail is an error no refusal explains (the database): the order is
	// left as it was and the caller may retry.
	fail error
	// early is a refusal found before the transaction (the documents, the
	// book); draft and taxReq are the list and tax request otherwise.
	early  error
	draft  *InventoryList
	taxReq tax.Request

	// Decided in the transaction.
	rejected error          // the order was rejected for this
	list     *InventoryList // the list released (or refused for stock)
	final    Order          // the order as it stands, when neither
}

// releaseBatch is the releaser's body: the orders of concurrent calls are
// matched, their lists stored and their stock deducted in one ledger
// ReadWriteTx (decide), and their callers answered.
func (s *Service) releaseBatch(reqs []*releaseReq) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	cands := s.candidates(ctx, reqs)
	if err := s.decide(ctx, cands); err != nil {
		for _, c := range cands {
			if c.fail == nil {
				c.fail = dbError(err)
			}
		}
	}
	for _, c := range cands {
		switch {
		case c.fail != nil:
			answer(c.waiters, Order{}, c.fail)
		case c.rejected != nil:
			out := c.order
			out.Status, out.Reason, out.ListNo = OrderRejected, reasonText(c.rejected), ""
			if c.list != nil {
				out.ListNo = c.list.No
			}
			answer(c.waiters, out, c.rejected)
		case c.list != nil:
			out := c.order
			out.Status, out.Reason, out.ListNo = OrderReleased, "", c.list.No
			answer(c.waiters, out, nil)
		default:
			answer(c.waiters, c.final, nil)
		}
	}
}

func answer(waiters []*releaseReq, out Order, err error) {
	for _, w := range waiters {
		w.out, w.err = out, err
		close(w.done)
	}
}

func reasonText(err error) string {
	le := ledger.AsError(err)
	return le.Reason + ": " + le.Message
}

// candidates groups a batch's requests by order and prepares each order's
// list: the three documents matched (三单对碰), the warehouse book open and
// its lines found, positive list and tax request.
func (s *Service) candidates(ctx context.Context, reqs []*releaseReq) []*candidate {
	byNo := map[string]*candidate{}
	var cands []*candidate
	for _, r := range reqs {
		c := byNo[r.row.no]
		if c == nil {
			c = &candidate{row: r.row}
			byNo[r.row.no] = c
			cands = append(cands, c)
		}
		for k, d := range r.known {
			if d != nil {
				c.known[k] = d
			}
		}
		c.waiters = append(c.waiters, r)
	}
	books := map[string]error{}
	for _, c := range cands {
		var err error
		if c.order, err = c.row.orderWith(c.known[kindOrder]); err != nil {
			c.fail = err
			continue
		}
		if c.row.status != OrderPending {
			continue // answered as it stands
		}
		pay, ok := c.known[kindPayment].(Payment)
		if !ok {
			if err := jsonUnmarshal(c.row.bodies[kindPayment], &pay); err != nil {
				c.fail = err
				continue
			}
		}
		wb, ok := c.known[kindWaybill].(Waybill)
		if !ok {
			if err := jsonUnmarshal(c.row.bodies[kindWaybill], &wb); err != nil {
				c.fail = err
				continue
			}
		}
		if c.early = s.matchDocs(c.order, pay, wb); c.early != nil {
			continue
		}
		ch, lines, err := s.resolveLines(ctx, c.order, books)
		if err != nil {
			if isDomain(err) {
				c.early = err
			} else {
				c.fail = err
			}
			continue
		}
		c.draft, c.taxReq, c.early = s.draftList(c.order, ch, lines)
	}
	return cands
}

// draftList builds the list of a matched order, short of the buyer's
// year: lines on the warehouse book, positive list, the tax request.
func (s *Service) draftList(o Order, ch Channel, lines []zone.BookLine) (*InventoryList, tax.Request, error) {
	l := InventoryList{No: "QL" + o.OrderNo, OrderNo: o.OrderNo, Enterprise: o.Enterprise, Platform: ch.Platform, Book: ch.Book, Guarantor: ch.Guarantor,
		BuyerID: o.Buyer.IDNumber, CreatedAt: s.clock()}
	// The list's number is derived from the order's, unique in the zone, so
	// concurrent releases share no counter.
	l.DutiableValue = o.GoodsValue.Add(o.Freight).Add(o.Insurance)
	totals := make([]decimal.Decimal, len(o.Lines))
	for i, ol := range o.Lines {
		totals[i] = ol.Total
	}
	values := tax.LineValues(l.DutiableValue, totals)
	req := tax.Request{Regime: tax.CrossBorderRetail, Date: s.today()}
	for i, ol := range o.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		bl := lines[i]
		if _, ok := s.set.positive(bl.HSCode); !ok {
			return nil, req, ledger.Precondition(ReasonNotOnPositiveList, f+".item_no", "SKU %s (HS %s) is not on the cross-border positive list", ol.ItemNo, bl.HSCode)
		}
		legal := ol.Quantity.Mul(bl.Legal.Factor)
		pieces := 0
		if ol.Quantity.IsInteger() && ol.Quantity.LessThan(decimal.NewFromInt(1<<30)) {
			pieces = int(ol.Quantity.IntPart())
		}
		req.Lines = append(req.Lines, tax.Line{Goods: tax.Goods{HSCode: bl.HSCode, DutiableValue: values[i], Quantity: legal, Unit: bl.Legal.Unit}, Pieces: pieces})
		l.Lines = append(l.Lines, ListLine{Seq: i + 1, ItemNo: ol.ItemNo, BookSeq: bl.Seq, HSCode: bl.HSCode, Name: bl.Name, Quantity: ol.Quantity, Unit: bl.DeclaredUnit,
			LegalQuantity: legal, LegalUnit: bl.Legal.Unit, Price: ol.Price, Total: ol.Total})
	}
	return &l, req, nil
}

// totalKey is one of a buyer's yearly totals (see counted).
type totalKey struct {
	id   string
	year int
	key  string
}

// decide is a batch's one transaction, a ledger ReadWriteTx: it locks the
// orders, and of those still PENDING, in arrival order, checks each
// against its buyer's year as the earlier ones of the batch left it (caps,
// the single and annual limits, the tax withheld), deducts the accepted
// lists' stock through the ledger in the same transaction, and stores each
// list RELEASED (counted in the buyer's totals) or REFUSED for stock, or
// rejects the order. All of it commits, or none of it.
func (s *Service) decide(ctx context.Context, cands []*candidate) error {
	var nos []string
	for _, c := range cands {
		if c.fail == nil {
			nos = append(nos, c.row.no)
		}
	}
	if len(nos) == 0 {
		return nil
	}
	slices.Sort(nos)
	year := s.year()
	return s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		state, err := lockOrderStates(ctx, tx, nos)
		if err != nil {
			return err
		}
		var live []*candidate
		var keys []totalKey
		for _, c := range cands {
			c.rejected, c.list, c.final = nil, nil, c.order
			if c.fail != nil {
				continue
			}
			st := state[c.row.no]
			c.final.Status, c.final.Reason, c.final.ListNo = st.status, st.reason, st.listNo
			switch st.status {
			case OrderPending:
				live = append(live, c)
				if c.early == nil {
					count, _ := s.counted(*c.draft)
					for k := range count {
						keys = append(keys, totalKey{c.draft.BuyerID, year, k})
					}
				}
			}
		}
		totals, err := lockTotals(ctx, tx, keys)
		if err != nil {
			return err
		}
		changed := map[totalKey]bool{}
		var accepted []*candidate
		for _, c := range live {
			refusal := c.early
			var l *InventoryList
			if refusal == nil {
				l, refusal = s.assess(c, year, totals)
			}
			if refusal != nil {
				c.rejected = refusal
				continue
			}
			s.count(l, year, totals, changed, 1)
			c.list = l
			accepted = append(accepted, c)
		}
		// The stock is deducted in this transaction: the lists are final
		// when it commits. (An order of the batch refused for stock was
		// counted when a later order of its buyer was checked: the limits
		// then err on the safe side.)
		if len(accepted) > 0 {
			reqs := make([]ledger.JournalRequest, len(accepted))
			for i, c := range accepted {
				reqs[i] = releaseJournal(*c.list, s.today())
			}
			res, err := j.PostMany(ctx, reqs)
			if err != nil {
				return err
			}
			for i, c := range accepted {
				if perr := res[i].Err; perr != nil {
					if !isDomain(perr) {
						return perr
					}
					c.list.Status, c.list.Reason = ListRefused, ledger.AsError(perr).Message
					s.count(c.list, year, totals, changed, -1)
					c.rejected = stockError(perr)
					continue
				}
				c.list.Status, c.list.ReleasedOn, c.list.JournalID = ListReleased, res[i].Journal.EffectiveDate, res[i].Journal.ID
			}
		}
		var oNo, oStatus, oReason, oList []string
		var lNo, lOrder, lEnt, lGuar, lBuyer, lStatus, lReleased, lBody, lBook []string
		for _, c := range live {
			if l := c.list; l != nil {
				lNo, lOrder, lEnt, lGuar = append(lNo, l.No), append(lOrder, l.OrderNo), append(lEnt, l.Enterprise), append(lGuar, l.Guarantor)
				lBuyer, lStatus, lReleased, lBody = append(lBuyer, l.BuyerID), append(lStatus, string(l.Status)), append(lReleased, releasedText(*l)), append(lBody, mustJSON(l))
				lBook = append(lBook, l.Book)
			}
			status, reason, list := OrderReleased, "", ""
			if c.list != nil {
				list = c.list.No
			}
			if c.rejected != nil {
				status, reason = OrderRejected, reasonText(c.rejected)
			}
			oNo, oStatus, oReason, oList = append(oNo, c.row.no), append(oStatus, status), append(oReason, reason), append(oList, list)
		}
		if len(oNo) == 0 {
			return nil
		}
		b := &pgx.Batch{}
		if len(lNo) > 0 {
			// The lists take the next change number of their book, one per
			// book for the batch (see nextChange), the books in order.
			books := slices.Compact(slices.Sorted(slices.Values(lBook)))
			b.Queue(`WITH ch AS (INSERT INTO ecom_list_seqs AS q (book, seq) SELECT bk, 1 FROM unnest($9::text[]) AS u(bk) ORDER BY bk
					ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1 RETURNING book, seq)
				INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, released_on, body, book, change_seq)
				SELECT no, o, e, g, b, st, NULLIF(r, '')::date, body, v.bk, ch.seq
				FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $10::text[]) AS v(no, o, e, g, b, st, r, body, bk)
				JOIN ch ON ch.book = v.bk`,
				lNo, lOrder, lEnt, lGuar, lBuyer, lStatus, lReleased, lBody, books, lBook)
		}
		if len(changed) > 0 {
			var ids, ks, vs []string
			var ys []int32
			for _, tk := range sortedTotalKeys(changed) {
				ids, ys, ks, vs = append(ids, tk.id), append(ys, int32(tk.year)), append(ks, tk.key), append(vs, totals[tk].String())
			}
			// The rows exist (lockTotals made and locked them): written as
			// an upsert so that each is found through the primary key, where
			// an UPDATE ... FROM unnest(...) may be planned as a scan of
			// every buyer's totals.
			b.Queue(`INSERT INTO ecom_buyer_totals AS t (id_number, year, key, total)
				SELECT id, year, key, total::numeric FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[]) AS v(id, year, key, total)
				ON CONFLICT (id_number, year, key) DO UPDATE SET total = excluded.total`, ids, ys, ks, vs)
		}
		b.Queue(`UPDATE ecom_orders AS o SET status = v.status, reason = v.reason, list_no = v.list
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(no, status, reason, list)
			WHERE o.order_no = v.no`, oNo, oStatus, oReason, oList)
		return tx.SendBatch(ctx, b).Close()
	})
}

// count adds (sign 1) or takes back (−1) what a list counts in its buyer's
// year to the locked totals, marking them changed.
func (s *Service) count(l *InventoryList, year int, totals map[totalKey]decimal.Decimal, changed map[totalKey]bool, sign int64) {
	add, _ := s.counted(*l)
	for k, v := range add {
		tk := totalKey{l.BuyerID, year, k}
		totals[tk] = totals[tk].Add(v.Mul(decimal.NewFromInt(sign)))
		changed[tk] = true
	}
}

// releasedText is a list's release date for the released_on column
// ("" for none, stored NULL).
func releasedText(l InventoryList) string {
	if l.ReleasedOn.IsZero() {
		return ""
	}
	return ledger.FormatDate(l.ReleasedOn)
}

// stockError is the refusal of a list whose stock was short.
func stockError(perr error) error {
	le := *ledger.AsError(perr)
	if le.Reason == ledger.ReasonInsufficient {
		le.Reason = ReasonInsufficientStock
	}
	return &le
}

// assess checks a drafted list against its buyer's year (caps, limits)
// and the tax withheld, and returns it with the tax, or the refusal.
func (s *Service) assess(c *candidate, year int, totals map[totalKey]decimal.Decimal) (*InventoryList, error) {
	l, o := *c.draft, c.order
	count, caps := s.counted(l)
	for k, entry := range caps {
		had := totals[totalKey{l.BuyerID, year, k}]
		if had.Add(count[k]).GreaterThan(entry.AnnualCap) {
			return nil, ledger.Precondition(ReasonPersonalCapExceeded, "lines", "buyer %s has bought %s of %s (%s) this year; %s more exceeds the cap of %s", mask(l.BuyerID), had, entry.HSPrefix, entry.Note, count[k], entry.AnnualCap)
		}
	}
	req := c.taxReq
	used := totals[totalKey{l.BuyerID, year, ""}]
	req.AnnualUsed = used
	q, err := s.tax.Quote(req)
	if err != nil {
		return nil, err
	}
	switch q.Rule {
	case tax.RuleCrossBorderOverSingleLimit:
		return nil, ledger.Precondition(ReasonOverSingleLimit, "goods_value", "order %s is worth %s, over the single-transaction limit; declare it as general trade", o.OrderNo, l.DutiableValue)
	case tax.RuleCrossBorderOverAnnualLimit:
		return nil, ledger.Precondition(ReasonOverAnnualLimit, "buyer.id_number", "buyer %s has %s counted this year; %s more exceeds the annual limit; declare it as general trade", mask(l.BuyerID), used, l.DutiableValue)
	}
	if q.Total.Sub(o.TaxTotal).Abs().GreaterThan(s.set.TaxTolerance) {
		return nil, ledger.Precondition(ReasonTaxMismatch, "tax_total", "order %s withheld %s tax; the tax is %s (duty %s, consumption tax %s, VAT %s, %s; each tax of each line rounded half-up to the fen), and the zone allows %s CNY difference",
			o.OrderNo, o.TaxTotal, q.Total, q.Duty, q.ConsumptionTax, q.VAT, q.Rule, s.set.TaxTolerance.StringFixed(2))
	}
	l.Duty, l.ConsumptionTax, l.VAT, l.Tax, l.ReleasedTax, l.Rule = q.Duty, q.ConsumptionTax, q.VAT, q.Total, q.Total, string(q.Rule)
	l.Tariff = q.Tariff
	return &l, nil
}

func sortedTotalKeys(m map[totalKey]bool) []totalKey {
	out := make([]totalKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, compareTotalKeys)
	return out
}

func compareTotalKeys(a, b totalKey) int {
	if a.id != b.id {
		if a.id < b.id {
			return -1
		}
		return 1
	}
	if a.year != b.year {
		return a.year - b.year
	}
	if a.key < b.key {
		return -1
	}
	if a.key > b.key {
		return 1
	}
	return 0
}

// lockTotals creates the missing totals rows and locks them all, in key
// order, in one statement.
func lockTotals(ctx context.Context, tx pgx.Tx, keys []totalKey) (map[totalKey]decimal.Decimal, error) {
	out := map[totalKey]decimal.Decimal{}
	if len(keys) == 0 {
		return out, nil
	}
	uniq := map[totalKey]bool{}
	for _, k := range keys {
		uniq[k] = true
	}
	var ids, ks []string
	var ys []int32
	for _, k := range sortedTotalKeys(uniq) {
		ids, ys, ks = append(ids, k.id), append(ys, int32(k.year)), append(ks, k.key)
	}
	rows, err := tx.Query(ctx, `INSERT INTO ecom_buyer_totals (id_number, year, key, total)
		SELECT id, year, key, 0 FROM unnest($1::text[], $2::int4[], $3::text[]) AS v(id, year, key) ORDER BY id, year, key
		ON CONFLICT (id_number, year, key) DO UPDATE SET total = ecom_buyer_totals.total
		RETURNING id_number, year, key, total::text`, ids, ys, ks)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k totalKey
		var t string
		if err := rows.Scan(&k.id, &k.year, &k.key, &t); err != nil {
			return nil, err
		}
		if out[k], err = decimal.NewFromString(t); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// addTotals adds (sign 1) or takes back (sign −1) what lists counted in
// their buyers' years, one statement for all of them.
func (s *Service) addTotals(ctx context.Context, tx pgx.Tx, sign int64, lists ...InventoryList) error {
	sum := map[totalKey]decimal.Decimal{}
	keys := map[totalKey]bool{}
	for _, l := range lists {
		s.count(&l, l.CreatedAt.In(s.set.Location).Year(), sum, keys, sign)
	}
	if len(keys) == 0 {
		return nil
	}
	var ids, ks, vs []string
	var ys []int32
	for _, tk := range sortedTotalKeys(keys) {
		ids, ys, ks, vs = append(ids, tk.id), append(ys, int32(tk.year)), append(ks, tk.key), append(vs, sum[tk].String())
	}
	_, err := tx.Exec(ctx, `UPDATE ecom_buyer_totals AS t SET total = t.total + v.delta::numeric
		FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[]) AS v(id, year, key, delta)
		WHERE t.id_number = v.id AND t.year = v.year AND t.key = v.key`, ids, ys, ks, vs)
	return err
}

// releaseJournal is the stock deduction of a list (二线出区核减): its goods
// from the warehouse's bonded bucket to the domestic market.
func releaseJournal(l InventoryList, day time.Time) ledger.JournalRequest {
	req := ledger.JournalRequest{Book: l.Book, IdempotencyKey: l.No + ":release", EffectiveDate: day,
		Document: ledger.Document{Type: "CEB621", Number: l.No, TradeMode: "1210"}, Principal: "ecommerce",
		Metadata: map[string]string{"order_no": l.OrderNo, "guarantor": l.Guarantor}}
	for _, ln := range l.Lines {
		req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: l.Book, Code: strconv.Itoa(ln.BookSeq)},
			From: ledger.In(l.Book, zone.AccountBonded), To: ledger.World(zone.WorldDomestic), Quantity: ln.Quantity, Unit: ln.Unit})
	}
	return req
}
