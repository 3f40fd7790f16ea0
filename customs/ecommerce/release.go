package ecommerce

import (
	"context"
	"fmt"
	"maps"
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
	list     *InventoryList // the list stored RELEASING
	resume   string         // an interrupted release's list to finish
	final    Order          // the order as it stands, when neither
}

// releaseBatch is the releaser's body: the orders of concurrent calls are
// matched, and their lists stored, in one transaction (decide); then their
// stock is deducted with one call to the ledger and the lists finished in a
// second transaction (finishBatch). (Finishing one batch while deciding the
// next made the batches smaller and cost more CPU per order for no more
// orders per second on two cores; cmd/zoneledger/README.md has the figures.)
func (s *Service) releaseBatch(reqs []*releaseReq) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	cands := s.candidates(ctx, reqs)
	resumed := map[string]InventoryList{}
	if err := s.decide(ctx, cands); err != nil {
		for _, c := range cands {
			if c.fail == nil {
				c.fail = dbError(err)
			}
		}
	} else {
		for _, l := range s.resumed(ctx, cands) {
			resumed[l.No] = l
		}
	}
	var next []*finishReq
	for _, c := range cands {
		l, ok := resumed[c.resume]
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
		case c.list != nil && c.list.Status == ListReleased:
			out := c.order
			out.Status, out.Reason, out.ListNo = OrderReleased, "", c.list.No
			answer(c.waiters, out, nil)
		case c.list != nil:
			next = append(next, &finishReq{list: *c.list, order: c.order, waiters: c.waiters})
		case c.resume != "" && ok:
			next = append(next, &finishReq{list: l, order: c.order, waiters: c.waiters})
		default:
			answer(c.waiters, c.final, nil)
		}
	}
	if len(next) > 0 {
		s.finishBatch(ctx, next)
	}
}

func answer(waiters []*releaseReq, out Order, err error) {
	for _, w := range waiters {
		w.out, w.err = out, err
		close(w.done)
	}
}

// finishReq is a stored list whose stock is to be deducted, with its
// order's documents and the calls waiting for it.
type finishReq struct {
	list    InventoryList
	order   Order
	waiters []*releaseReq
}

// finishBatch finishes the lists of a decided batch together (see finish)
// and answers their callers.
func (s *Service) finishBatch(ctx context.Context, reqs []*finishReq) {
	byNo := map[string]*finishReq{}
	var uniq []*finishReq
	var lists []InventoryList
	known := map[string]Order{}
	for _, r := range reqs {
		if first := byNo[r.list.No]; first != nil {
			first.waiters = append(first.waiters, r.waiters...)
			continue
		}
		byNo[r.list.No] = r
		uniq, lists = append(uniq, r), append(lists, r.list)
		known[r.list.OrderNo] = r.order
	}
	outcomes := s.finish(ctx, lists, known)
	for _, r := range uniq {
		o := outcomes[r.list.No]
		answer(r.waiters, o.order, o.err)
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
			continue // an interrupted release: finished below
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
		BuyerID: o.Buyer.IDNumber, Status: ListReleasing, CreatedAt: s.clock()}
	// The list's number is derived from the order's, unique in the zone, so
	// concurrent releases share no counter.
	l.DutiableValue = o.GoodsValue.Add(o.Freight).Add(o.Insurance)
	totals := make([]decimal.Decimal, len(o.Lines))
	for i, ol := range o.Lines {
		totals[i] = ol.Total
	}
	values := lineValues(l.DutiableValue, totals)
	req := tax.Request{Regime: tax.CrossBorderRetail, Date: s.today()}
	for i, ol := range o.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		bl := lines[i]
		if _, ok := s.set.positive(bl.HSCode); !ok {
			return nil, req, refuse(ReasonNotOnPositiveList, f+".item_no", "SKU %s (HS %s) is not on the cross-border positive list", ol.ItemNo, bl.HSCode)
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

// lineValues splits a list's dutiable value over its lines: each line's
// total plus its share of the rest (freight and insurance), pro rata to
// the line totals and rounded half-up to the fen, the last line taking
// what rounding leaves, so the lines sum exactly to the list's value.
func lineValues(dutiable decimal.Decimal, totals []decimal.Decimal) []decimal.Decimal {
	goods := decimal.Zero
	for _, t := range totals {
		goods = goods.Add(t)
	}
	extra := dutiable.Sub(goods)
	out := make([]decimal.Decimal, len(totals))
	allocated := decimal.Zero
	for i, t := range totals {
		share := decimal.Zero
		if goods.IsPositive() {
			share = extra.Mul(t).Div(goods).Round(2)
		}
		if i == len(totals)-1 {
			share = extra.Sub(allocated)
		}
		allocated = allocated.Add(share)
		out[i] = t.Add(share)
	}
	return out
}

// totalKey is one of a buyer's yearly totals (see counted).
type totalKey struct {
	id   string
	year int
	key  string
}

// decide is the first transaction of a batch: it locks the orders, and of
// those still PENDING, in arrival order, checks each against its buyer's
// year as the earlier ones of the batch left it (caps, the single and
// annual limits, the tax withheld) and either stores its list RELEASING,
// counted in the buyer's totals, or rejects it.
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
	return s.inTx(ctx, func(tx pgx.Tx) error {
		state, err := lockOrderStates(ctx, tx, nos)
		if err != nil {
			return err
		}
		var live []*candidate
		var keys []totalKey
		for _, c := range cands {
			c.rejected, c.list, c.resume, c.final = nil, nil, "", c.order
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
			case OrderReleasing:
				c.resume = st.listNo
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
		// With a ledger that posts in this transaction, the stock is
		// deducted here and the lists are final when it commits. (An order
		// of the batch refused for stock was counted when a later order of
		// its buyer was checked: the limits then err on the safe side.)
		if tp, ok := s.ledger.(txPoster); ok && len(accepted) > 0 {
			reqs := make([]ledger.JournalRequest, len(accepted))
			for i, c := range accepted {
				reqs[i] = releaseJournal(*c.list, s.today())
			}
			res, err := tp.PostInTx(ctx, tx, reqs)
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
		var lNo, lOrder, lEnt, lGuar, lBuyer, lStatus, lReleased, lBody []string
		for _, c := range live {
			if l := c.list; l != nil {
				lNo, lOrder, lEnt, lGuar = append(lNo, l.No), append(lOrder, l.OrderNo), append(lEnt, l.Enterprise), append(lGuar, l.Guarantor)
				lBuyer, lStatus, lReleased, lBody = append(lBuyer, l.BuyerID), append(lStatus, string(l.Status)), append(lReleased, releasedText(*l)), append(lBody, mustJSON(l))
			}
			status, reason, list := OrderReleasing, "", ""
			switch {
			case c.rejected != nil:
				status, reason = OrderRejected, reasonText(c.rejected)
				if c.list != nil { // refused for stock
					list = c.list.No
				}
			case c.list.Status == ListReleased:
				status, list = OrderReleased, c.list.No
			default:
				list = c.list.No
			}
			oNo, oStatus, oReason, oList = append(oNo, c.row.no), append(oStatus, status), append(oReason, reason), append(oList, list)
		}
		if len(oNo) == 0 {
			return nil
		}
		b := &pgx.Batch{}
		if len(lNo) > 0 {
			b.Queue(`INSERT INTO ecom_lists (no, order_no, enterprise, guarantor, buyer, status, released_on, body)
				SELECT no, o, e, g, b, st, NULLIF(r, '')::date, body
				FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS v(no, o, e, g, b, st, r, body)`,
				lNo, lOrder, lEnt, lGuar, lBuyer, lStatus, lReleased, lBody)
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

// txPoster is a ledger that can post journals inside the caller's
// transaction (ledger/pgstore's Store): a release is then one transaction.
type txPoster interface {
	PostInTx(ctx context.Context, tx pgx.Tx, reqs []ledger.JournalRequest) ([]ledger.PostResult, error)
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
			return nil, refuse(ReasonPersonalCapExceeded, "lines", "buyer %s has bought %s of %s (%s) this year; %s more exceeds the cap of %s", mask(l.BuyerID), had, entry.HSPrefix, entry.Note, count[k], entry.AnnualCap)
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
		return nil, refuse(ReasonOverSingleLimit, "goods_value", "order %s is worth %s, over the single-transaction limit; declare it as general trade", o.OrderNo, l.DutiableValue)
	case tax.RuleCrossBorderOverAnnualLimit:
		return nil, refuse(ReasonOverAnnualLimit, "buyer.id_number", "buyer %s has %s counted this year; %s more exceeds the annual limit; declare it as general trade", mask(l.BuyerID), used, l.DutiableValue)
	}
	if q.Total.Sub(o.TaxTotal).Abs().GreaterThan(s.set.TaxTolerance) {
		return nil, refuse(ReasonTaxMismatch, "tax_total", "order %s withheld %s tax; the tax is %s (duty %s, consumption tax %s, VAT %s, %s; each tax of each line rounded half-up to the fen), and the zone allows %s CNY difference",
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

// resumed returns the lists of interrupted releases among the batch that
// are still RELEASING; an order whose list was finished meanwhile is
// answered as it now stands.
func (s *Service) resumed(ctx context.Context, cands []*candidate) []InventoryList {
	var nos []string
	for _, c := range cands {
		if c.resume != "" {
			nos = append(nos, c.resume)
		}
	}
	if len(nos) == 0 {
		return nil
	}
	lists, err := loadLists(ctx, s.pool, `WHERE no = ANY($1)`, nos)
	byNo := map[string]InventoryList{}
	for _, l := range lists {
		byNo[l.No] = l
	}
	var out []InventoryList
	var reread []string
	for _, c := range cands {
		if c.resume == "" {
			continue
		}
		l, ok := byNo[c.resume]
		switch {
		case err != nil:
			c.fail = dbError(err)
		case ok && l.Status == ListReleasing:
			out = append(out, l)
		default:
			reread = append(reread, c.row.no)
		}
	}
	if len(reread) > 0 {
		orders, err := s.readOrders(ctx, reread)
		for _, c := range cands {
			if slices.Contains(reread, c.row.no) {
				c.resume = ""
				if err != nil {
					c.fail = dbError(err)
				} else {
					c.final = orders[c.row.no]
				}
			}
		}
	}
	return out
}

// readOrders reads orders as they stand.
func (s *Service) readOrders(ctx context.Context, nos []string) (map[string]Order, error) {
	rows := map[string]orderRow{}
	if err := queryOrderRows(ctx, s.pool, rows, `SELECT `+orderCols+` FROM ecom_orders WHERE order_no = ANY($1)`, nos); err != nil {
		return nil, err
	}
	out := make(map[string]Order, len(rows))
	for no, r := range rows {
		o, err := r.order()
		if err != nil {
			return nil, err
		}
		out[no] = o
	}
	return out, nil
}

// outcome is how a list's release ended for its order.
type outcome struct {
	order Order
	err   error
}

// finish deducts the lists' goods from the warehouse book (one PostMany)
// and finishes them in one transaction: RELEASED, or, where the stock was
// short, REFUSED with the buyer's totals restored and the order rejected.
// A list another call finished meanwhile is left as that call decided.
// Outcomes are keyed by list number; a list whose journal could not be
// posted for a transient reason stays RELEASING (Recover, or the order's
// next document, finishes it) and its outcome is that error.
//
// known holds the orders' documents when the caller has them; the others
// are read.
func (s *Service) finish(ctx context.Context, lists []InventoryList, known map[string]Order) map[string]outcome {
	out := map[string]outcome{}
	if len(lists) == 0 {
		return out
	}
	reqs := make([]ledger.JournalRequest, len(lists))
	for i, l := range lists {
		reqs[i] = releaseJournal(l, s.today())
	}
	res := s.ledger.PostMany(ctx, reqs)
	var done []int
	for i, r := range res {
		if r.Err != nil && !isDomain(r.Err) {
			out[lists[i].No] = outcome{err: r.Err}
			continue
		}
		done = append(done, i)
	}
	if len(done) == 0 {
		return out
	}
	var undo []int // posted, but another call had refused the list
	var orders map[string]orderRow
	finished := map[string]bool{}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		clear(finished)
		undo = undo[:0]
		var nos []string
		for _, i := range done {
			nos = append(nos, lists[i].OrderNo)
		}
		slices.Sort(nos)
		var err error
		if orders, err = lockOrderStates(ctx, tx, nos); err != nil {
			return err
		}
		var lNo, lStatus, lReleased, lBody []string
		for _, i := range done {
			c, perr := lists[i], res[i].Err
			if perr != nil {
				c.Status, c.Reason = ListRefused, ledger.AsError(perr).Message
			} else {
				c.Status, c.ReleasedOn, c.JournalID = ListReleased, res[i].Journal.EffectiveDate, res[i].Journal.ID
			}
			lNo, lStatus, lReleased, lBody = append(lNo, c.No), append(lStatus, string(c.Status)), append(lReleased, releasedText(c)), append(lBody, mustJSON(c))
		}
		// Finish a list only if it is still releasing: another call may
		// have finished it.
		rows, err := tx.Query(ctx, `UPDATE ecom_lists AS l SET status = v.status, released_on = NULLIF(v.released, '')::date, body = v.body
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(no, status, released, body)
			WHERE l.no = v.no AND l.status = 'RELEASING'
			RETURNING l.no`, lNo, lStatus, lReleased, lBody)
		if err != nil {
			return err
		}
		for rows.Next() {
			var no string
			if err := rows.Scan(&no); err != nil {
				rows.Close()
				return err
			}
			finished[no] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var refused []InventoryList
		var oNo, oStatus, oReason []string
		for _, i := range done {
			l, perr := lists[i], res[i].Err
			o := orders[l.OrderNo]
			if !finished[l.No] {
				if perr == nil && o.status != OrderReleased && o.status != OrderReleasing {
					undo = append(undo, i)
				}
				continue
			}
			if perr != nil {
				refused = append(refused, l)
				o.status, o.reason = OrderRejected, ReasonInsufficientStock+": "+ledger.AsError(perr).Message
			} else {
				o.status, o.reason = OrderReleased, ""
			}
			orders[l.OrderNo] = o
			oNo, oStatus, oReason = append(oNo, o.no), append(oStatus, o.status), append(oReason, o.reason)
		}
		if err := s.addTotals(ctx, tx, -1, refused...); err != nil {
			return err
		}
		if len(oNo) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE ecom_orders AS o SET status = v.status, reason = v.reason
			FROM unnest($1::text[], $2::text[], $3::text[]) AS v(no, status, reason)
			WHERE o.order_no = v.no`, oNo, oStatus, oReason)
		return err
	})
	if err != nil {
		for _, i := range done {
			out[lists[i].No] = outcome{err: dbError(err)}
		}
		return out
	}
	s.undo(ctx, lists, undo)
	// The answers: the documents with the status the transaction left.
	var unknown []string
	for _, i := range done {
		if _, ok := known[lists[i].OrderNo]; !ok {
			unknown = append(unknown, lists[i].OrderNo)
		}
	}
	if len(unknown) > 0 {
		read, err := s.readOrders(ctx, unknown)
		if err != nil {
			read = nil // the lists are finished; only the answer lacks the order's documents
		}
		known = maps.Clone(known)
		if known == nil {
			known = map[string]Order{}
		}
		maps.Copy(known, read)
	}
	for _, i := range done {
		l, perr := lists[i], res[i].Err
		st := orders[l.OrderNo]
		o := known[l.OrderNo]
		o.Status, o.Reason, o.ListNo = st.status, st.reason, st.listNo
		if finished[l.No] && perr != nil {
			out[l.No] = outcome{order: o, err: stockError(perr)}
			continue
		}
		out[l.No] = outcome{order: o}
	}
	return out
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

// undo reverses journals posted for lists another call had meanwhile
// refused (a release resumed by two processes while the stock changed),
// so the book never shows goods out for a refused list. A failure is left
// for the next attempt: the reversal's key makes it happen once.
func (s *Service) undo(ctx context.Context, lists []InventoryList, idx []int) {
	for _, i := range idx {
		l := lists[i]
		j, err := s.ledger.Post(ctx, releaseJournal(l, s.today()))
		if err != nil {
			continue
		}
		_, _ = s.ledger.Reverse(ctx, ledger.ReverseRequest{Book: l.Book, JournalID: j.ID, IdempotencyKey: l.No + ":release:undo", EffectiveDate: s.today(), Principal: "ecommerce", Reason: "the list was refused by another call"})
	}
}
