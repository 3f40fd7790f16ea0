package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const defaultLimit = 1000

func limitOf(n int) int {
	if n <= 0 || n > defaultLimit {
		return defaultLimit
	}
	return n
}

func encodeMap(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // maps of strings always marshal; keys come out sorted
	return string(b)
}

func decodeMap(s string) map[string]string {
	if s == "" || s == "{}" {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return map[string]string{"_undecodable": s}
	}
	return m
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

const selectBooks = `SELECT b.id, b.name, b.owner, b.attributes, b.closed_through, b.created_at,
	COALESCE((SELECT array_agg(a.name ORDER BY a.name) FROM ledger_accounts a WHERE a.book = b.id), ARRAY[]::text[])
	FROM ledger_books b `

func queryBooks(ctx context.Context, q querier, where string, args ...any) ([]ledger.Book, error) {
	rows, err := q.Query(ctx, selectBooks+where, args...)
	if err != nil {
		return nil, err
	}
	return collectBooks(rows)
}

// queueBooks queues a books query on a batch, collecting into out.
func queueBooks(b *pgx.Batch, out *[]ledger.Book, where string, args ...any) {
	b.Queue(selectBooks+where, args...).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = collectBooks(rows)
		return err
	})
}

func collectBooks(rows pgx.Rows) ([]ledger.Book, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Book, error) {
		var b ledger.Book
		var attrs string
		var closed *time.Time
		if err := r.Scan(&b.ID, &b.Name, &b.Owner, &attrs, &closed, &b.CreatedAt, &b.Accounts); err != nil {
			return b, err
		}
		b.Attributes = decodeMap(attrs)
		if closed != nil {
			b.ClosedThrough = *closed
		}
		return b, nil
	})
}

const selectItems = `SELECT book, code, unit, scale, name, attributes FROM ledger_items `

func queryItems(ctx context.Context, q querier, where string, args ...any) ([]ledger.Item, error) {
	rows, err := q.Query(ctx, selectItems+where, args...)
	if err != nil {
		return nil, err
	}
	return collectItems(rows)
}

// selectItemsByKey selects the items whose books and codes are the arrays
// $1 and $2, one index lookup per key whatever the table's statistics (see
// lockHoldingsPostgres).
const selectItemsByKey = `SELECT i.book, i.code, i.unit, i.scale, i.name, i.attributes FROM unnest($1::text[], $2::text[]) AS k(book, code)
	CROSS JOIN LATERAL (SELECT * FROM ledger_items WHERE book = k.book AND code = k.code LIMIT 1) AS i`

// itemsByKey reads the items of the given books and codes (pairwise);
// keys with no item are left out.
func itemsByKey(ctx context.Context, q querier, books, codes []string) ([]ledger.Item, error) {
	rows, err := q.Query(ctx, selectItemsByKey, books, codes)
	if err != nil {
		return nil, err
	}
	return collectItems(rows)
}

func collectItems(rows pgx.Rows) ([]ledger.Item, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Item, error) {
		var it ledger.Item
		var attrs string
		err := r.Scan(&it.Book, &it.Code, &it.Unit, &it.Scale, &it.Name, &attrs)
		it.Attributes = decodeMap(attrs)
		return it, err
	})
}

const selectLots = `SELECT item_book, item_code, lot, entry_date, journal_id, attributes FROM ledger_lots `

func queryLots(ctx context.Context, q querier, where string, args ...any) ([]ledger.Lot, error) {
	rows, err := q.Query(ctx, selectLots+where, args...)
	if err != nil {
		return nil, err
	}
	return collectLots(rows)
}

func collectLots(rows pgx.Rows) ([]ledger.Lot, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Lot, error) {
		var l ledger.Lot
		var attrs string
		err := r.Scan(&l.Item.Book, &l.Item.Code, &l.Key, &l.EntryDate, &l.JournalID, &attrs)
		l.Attributes = decodeMap(attrs)
		return l, err
	})
}

// loadJournals reads journals with their postings, legs and reversal links,
// in the order of ids.
func loadJournals(ctx context.Context, q querier, ids []int64) ([]ledger.Journal, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := q.Query(ctx, `SELECT j.id, j.book, j.idem_key, j.effective_date, j.doc_type, j.doc_number, j.trade_mode,
		j.principal, j.metadata, j.reversal_of, j.committed_at, j.hash, COALESCE(r.reversal_id, 0)
		FROM ledger_journals j LEFT JOIN ledger_reversals r ON r.original_id = j.id
		WHERE j.id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*ledger.Journal{}
	for rows.Next() {
		var j ledger.Journal
		var meta string
		if err := rows.Scan(&j.ID, &j.Book, &j.IdempotencyKey, &j.EffectiveDate, &j.Document.Type, &j.Document.Number,
			&j.Document.TradeMode, &j.Principal, &meta, &j.ReversalOf, &j.CommittedAt, &j.Hash, &j.ReversedBy); err != nil {
			rows.Close()
			return nil, err
		}
		j.Metadata = decodeMap(meta)
		byID[j.ID] = &j
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name,
		quantity::text, unit, value::text, lot, lot_attributes, leg_lot
		FROM ledger_postings WHERE journal_id = ANY($1) ORDER BY journal_id, idx`, ids)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var jid int64
		var idx int
		var p ledger.Posting
		var q, v, la string
		var legLot *string
		if err := rows.Scan(&jid, &idx, &p.Item.Book, &p.Item.Code, &p.From.Book, &p.From.Name, &p.To.Book, &p.To.Name,
			&q, &p.Unit, &v, &p.Lot, &la, &legLot); err != nil {
			rows.Close()
			return nil, err
		}
		p.Quantity, p.Value, p.LotAttributes = dec(q), dec(v), decodeMap(la)
		if legLot != nil { // one lot moved whole; otherwise its legs follow from ledger_legs
			p.Legs = []ledger.Leg{{Lot: *legLot, Quantity: p.Quantity, Value: p.Value}}
		}
		if j := byID[jid]; j != nil {
			j.Postings = append(j.Postings, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT journal_id, posting, lot, quantity::text, value::text
		FROM ledger_legs WHERE journal_id = ANY($1) ORDER BY journal_id, posting, idx`, ids)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var jid int64
		var pi int
		var l ledger.Leg
		var q, v string
		if err := rows.Scan(&jid, &pi, &l.Lot, &q, &v); err != nil {
			rows.Close()
			return nil, err
		}
		l.Quantity, l.Value = dec(q), dec(v)
		if j := byID[jid]; j != nil && pi < len(j.Postings) {
			j.Postings[pi].Legs = append(j.Postings[pi].Legs, l)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]ledger.Journal, 0, len(ids))
	for _, id := range ids {
		if j := byID[id]; j != nil {
			out = append(out, *j)
		}
	}
	return out, nil
}

// GetBook implements ledger.Store.
func (s *Store) GetBook(ctx context.Context, id string) (ledger.Book, error) {
	bs, err := queryBooks(ctx, s.pool, `WHERE b.id = $1`, id)
	if err != nil {
		return ledger.Book{}, storeError(err)
	}
	if len(bs) == 0 {
		return ledger.Book{}, ledger.NotFound(ledger.ReasonUnknownBook, "book_id", "book %q does not exist", id)
	}
	return bs[0], nil
}

// ListBooks implements ledger.Store.
func (s *Store) ListBooks(ctx context.Context, f ledger.BookFilter) ([]ledger.Book, error) {
	bs, err := queryBooks(ctx, s.pool, `WHERE ($1 = '' OR b.owner = $1) AND b.id > $2 ORDER BY b.id LIMIT $3`, f.Owner, f.After, limitOf(f.Limit))
	return bs, wrapRead(err)
}

// GetItem implements ledger.Store.
func (s *Store) GetItem(ctx context.Context, ref ledger.ItemRef) (ledger.Item, error) {
	items, err := queryItems(ctx, s.pool, `WHERE book = $1 AND code = $2`, ref.Book, ref.Code)
	if err != nil {
		return ledger.Item{}, storeError(err)
	}
	if len(items) == 0 {
		return ledger.Item{}, ledger.NotFound(ledger.ReasonUnknownItem, "item_code", "item %s is not registered", ref)
	}
	return items[0], nil
}

// ListItems implements ledger.Store.
func (s *Store) ListItems(ctx context.Context, f ledger.ItemFilter) ([]ledger.Item, error) {
	items, err := queryItems(ctx, s.pool, `WHERE book = $1 AND code > $2 ORDER BY code LIMIT $3`, f.Book, f.After, limitOf(f.Limit))
	return items, wrapRead(err)
}

// WorldAccounts implements ledger.Store.
func (s *Store) WorldAccounts(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT name FROM ledger_accounts WHERE book = '' ORDER BY name`)
	if err != nil {
		return nil, storeError(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return names, wrapRead(err)
}

// GetJournal implements ledger.Store.
func (s *Store) GetJournal(ctx context.Context, id int64) (ledger.Journal, error) {
	js, err := loadJournals(ctx, s.pool, []int64{id})
	if err != nil {
		return ledger.Journal{}, storeError(err)
	}
	if len(js) == 0 {
		return ledger.Journal{}, ledger.NotFound(ledger.ReasonUnknownJournal, "journal_id", "journal %d does not exist", id)
	}
	return js[0], nil
}

// ListJournals implements ledger.Store.
func (s *Store) ListJournals(ctx context.Context, f ledger.JournalFilter) ([]ledger.Journal, error) {
	rows, err := s.pool.Query(ctx, `SELECT journal_id FROM ledger_journal_books
		WHERE book = $1 AND journal_id > $2
		  AND ($3::date IS NULL OR effective_date >= $3) AND ($4::date IS NULL OR effective_date <= $4)
		ORDER BY journal_id LIMIT $5`, f.Book, f.AfterID, nullDate(f.From), nullDate(f.To), limitOf(f.Limit))
	if err != nil {
		return nil, storeError(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, storeError(err)
	}
	js, err := loadJournals(ctx, s.pool, ids)
	return js, wrapRead(err)
}

func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Balances implements ledger.Store.
func (s *Store) Balances(ctx context.Context, q ledger.BalanceQuery) ([]ledger.Holding, error) {
	if q.Book == "" {
		return nil, ledger.BadArgument("book_id", "is required")
	}
	var sql string
	args := []any{q.Book, q.Account, q.Item}
	zero := ` HAVING sum(quantity) <> 0 OR sum(value) <> 0`
	if q.IncludeZero {
		zero = ""
	}
	switch {
	case q.AsOf != nil:
		if q.ByLot {
			return nil, ledger.BadArgument("by_lot", "lots are only available for current balances; leave as_of empty")
		}
		sql = `SELECT account_book, account_name, item_book, item_code, '' AS lot,
			sum(quantity_in - quantity_out)::text, sum(value_in - value_out)::text
			FROM ledger_day_totals
			WHERE account_book = $1 AND ($2 = '' OR account_name = $2) AND ($3 = '' OR item_code = $3) AND day <= $4
			GROUP BY account_book, account_name, item_book, item_code`
		if !q.IncludeZero {
			sql += ` HAVING sum(quantity_in - quantity_out) <> 0 OR sum(value_in - value_out) <> 0`
		}
		sql += ` ORDER BY account_name, item_book, item_code`
		args = append(args, *q.AsOf)
	case q.ByLot:
		sql = `SELECT account_book, account_name, item_book, item_code, lot, quantity::text, value::text
			FROM ledger_holdings
			WHERE account_book = $1 AND ($2 = '' OR account_name = $2) AND ($3 = '' OR item_code = $3)`
		if !q.IncludeZero {
			sql += ` AND (quantity <> 0 OR value <> 0)`
		}
		sql += ` ORDER BY account_name, item_book, item_code, lot`
	default:
		sql = `SELECT account_book, account_name, item_book, item_code, '' AS lot, sum(quantity)::text, sum(value)::text
			FROM ledger_holdings
			WHERE account_book = $1 AND ($2 = '' OR account_name = $2) AND ($3 = '' OR item_code = $3)
			GROUP BY account_book, account_name, item_book, item_code` + zero + `
			ORDER BY account_name, item_book, item_code`
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, storeError(err)
	}
	hs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Holding, error) {
		var h ledger.Holding
		var qs, vs string
		err := r.Scan(&h.Account.Book, &h.Account.Name, &h.Item.Book, &h.Item.Code, &h.Lot, &qs, &vs)
		h.Quantity, h.Value = dec(qs), dec(vs)
		return h, err
	})
	if err != nil {
		return nil, storeError(err)
	}
	return s.withUnits(ctx, hs)
}

// withUnits fills in each holding's unit from its item.
func (s *Store) withUnits(ctx context.Context, hs []ledger.Holding) ([]ledger.Holding, error) {
	if len(hs) == 0 {
		return hs, nil
	}
	units := map[ledger.ItemRef]string{}
	for _, h := range hs {
		units[h.Item] = ""
	}
	var ib, ic []string
	for it := range units {
		ib, ic = append(ib, it.Book), append(ic, it.Code)
	}
	items, err := itemsByKey(ctx, s.pool, ib, ic)
	if err != nil {
		return nil, storeError(err)
	}
	for _, it := range items {
		units[it.Ref()] = it.Unit
	}
	for i := range hs {
		hs[i].Unit = units[hs[i].Item]
	}
	return hs, nil
}

// DayTotals implements ledger.Store.
func (s *Store) DayTotals(ctx context.Context, q ledger.TotalsQuery) ([]ledger.DayTotal, error) {
	if q.Book == "" {
		return nil, ledger.BadArgument("book_id", "is required")
	}
	rows, err := s.pool.Query(ctx, `SELECT account_book, account_name, item_book, item_code, day,
		quantity_in::text, quantity_out::text, value_in::text, value_out::text
		FROM ledger_day_totals
		WHERE account_book = $1 AND ($2 = '' OR account_name = $2) AND ($3 = '' OR item_code = $3)
		  AND ($4::date IS NULL OR day >= $4) AND ($5::date IS NULL OR day <= $5)
		ORDER BY account_name, item_book, item_code, day`, q.Book, q.Account, q.Item, nullDate(q.From), nullDate(q.To))
	if err != nil {
		return nil, storeError(err)
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.DayTotal, error) {
		var t ledger.DayTotal
		var qi, qo, vi, vo string
		err := r.Scan(&t.Account.Book, &t.Account.Name, &t.Item.Book, &t.Item.Code, &t.Day, &qi, &qo, &vi, &vo)
		t.QuantityIn, t.QuantityOut, t.ValueIn, t.ValueOut = dec(qi), dec(qo), dec(vi), dec(vo)
		return t, err
	})
	return ts, wrapRead(err)
}

// Lots implements ledger.Store.
func (s *Store) Lots(ctx context.Context, item ledger.ItemRef) ([]ledger.Lot, error) {
	lots, err := queryLots(ctx, s.pool, `WHERE item_book = $1 AND item_code = $2 ORDER BY entry_date, journal_id, lot`, item.Book, item.Code)
	return lots, wrapRead(err)
}

func wrapRead(err error) error {
	if err == nil {
		return nil
	}
	return storeError(fmt.Errorf("reading the ledger: %w", err))
}

// PeriodTotals implements ledger.Store. The opening balances are the net
// sums of the book accounts' totals by flow of the quarters
// (ledger_flow_quarters) and then months (ledger_flow_months) before the
// period's first month, and of the per-day totals by flow (ledger_flow_days,
// keyed by book and day, where ledger_day_totals would be scanned whole)
// of that month's days before the period. The flows are the sums of their
// totals by flow, grouped by the number of their flow (ledger_flows): whole
// quarters from their quarterly sums (ledger_flow_quarters), the other
// whole months from their monthly sums (ledger_flow_months), and a month
// the period covers in part from the per-day rows (ledger_flow_days) of
// its days in the period, or, when those are more than half of it, from
// its monthly sums less the per-day rows of its days outside the period
// (splitPeriod); the opening likewise. All are read in one
// snapshot, so they agree with each other however journals are written
// meanwhile.
func (s *Store) PeriodTotals(ctx context.Context, q ledger.PeriodQuery) (ledger.PeriodTotals, error) {
	if q.Book == "" {
		return ledger.PeriodTotals{}, ledger.BadArgument("book_id", "is required")
	}
	if q.From.IsZero() || q.To.IsZero() {
		return ledger.PeriodTotals{}, ledger.BadArgument("from", "a period needs its first and last day")
	}
	if q.To.Before(q.From) {
		return ledger.PeriodTotals{}, ledger.BadArgument("to", "the period ends on %s, before it starts on %s; give a last day on or after the first", ledger.FormatDate(q.To), ledger.FormatDate(q.From))
	}
	sp := splitPeriod(q.From, q.To)
	var out ledger.PeriodTotals
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if s.engine == pgtx.PostgreSQL {
			// Room to hash the groups in memory rather than sort them on disk.
			if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '128MB'`); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT account_name, item_book, item_code, sum(quantity)::text, sum(value)::text
			FROM (SELECT account_name, item_book, item_code, quantity_in - quantity_out AS quantity, value_in - value_out AS value
				FROM ledger_flow_quarters WHERE account_book = $1 AND quarter < $2
				UNION ALL
				SELECT account_name, item_book, item_code, quantity_in - quantity_out, value_in - value_out
				FROM ledger_flow_months WHERE account_book = $1 AND month >= $2 AND month < $3
				UNION ALL
				SELECT account_name, item_book, item_code, quantity_in - quantity_out, value_in - value_out
				FROM ledger_flow_days WHERE account_book = $1 AND day = ANY($4)
				UNION ALL
				SELECT account_name, item_book, item_code, quantity_out - quantity_in, value_out - value_in
				FROM ledger_flow_days WHERE account_book = $1 AND day = ANY($5)) o
			GROUP BY account_name, item_book, item_code`, q.Book, firstOfQuarter(sp.openingMonths), sp.openingMonths, sp.openingPlus, sp.openingMinus)
		if err != nil {
			return err
		}
		out.Opening, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Holding, error) {
			h := ledger.Holding{Account: ledger.AccountRef{Book: q.Book}}
			var qs, vs string
			err := r.Scan(&h.Account.Name, &h.Item.Book, &h.Item.Code, &qs, &vs)
			h.Quantity, h.Value = dec(qs), dec(vs)
			return h, err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT account_name, item_book, item_code, flow,
				sum(quantity_in)::text, sum(quantity_out)::text, sum(value_in)::text, sum(value_out)::text
			FROM (SELECT account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out
				FROM ledger_flow_quarters WHERE account_book = $1 AND quarter >= $2 AND quarter <= $3
				UNION ALL
				SELECT account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out
				FROM ledger_flow_months WHERE account_book = $1 AND month = ANY($4)
				UNION ALL
				SELECT account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out
				FROM ledger_flow_days WHERE account_book = $1 AND day = ANY($5)
				UNION ALL
				SELECT account_name, item_book, item_code, flow, -quantity_in, -quantity_out, -value_in, -value_out
				FROM ledger_flow_days WHERE account_book = $1 AND day = ANY($6)) f
			GROUP BY account_name, item_book, item_code, flow
			HAVING sum(quantity_in) <> 0 OR sum(quantity_out) <> 0 OR sum(value_in) <> 0 OR sum(value_out) <> 0`,
			q.Book, sp.quarters[0], sp.quarters[1], sp.months, sp.plusDays, sp.minusDays)
		if err != nil {
			return err
		}
		var ids []int64
		out.Flows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.FlowTotal, error) {
			f := ledger.FlowTotal{Account: ledger.AccountRef{Book: q.Book}}
			var id int64
			var qi, qo, vi, vo string
			err := r.Scan(&f.Account.Name, &f.Item.Book, &f.Item.Code, &id, &qi, &qo, &vi, &vo)
			f.QuantityIn, f.QuantityOut, f.ValueIn, f.ValueOut = dec(qi), dec(qo), dec(vi), dec(vo)
			ids = append(ids, id)
			return f, err
		})
		if err != nil {
			return err
		}
		return spellFlows(ctx, tx, out.Flows, ids)
	})
	if err != nil {
		return ledger.PeriodTotals{}, wrapRead(err)
	}
	seen := make(map[ledger.PairKey]bool, len(out.Opening))
	for _, h := range out.Opening {
		seen[ledger.PairKey{Account: h.Account, Item: h.Item}] = true
	}
	for _, f := range out.Flows {
		if k := (ledger.PairKey{Account: f.Account, Item: f.Item}); !seen[k] {
			seen[k] = true
			out.Opening = append(out.Opening, ledger.Holding{Account: f.Account, Item: f.Item})
		}
	}
	slices.SortFunc(out.Opening, func(a, b ledger.Holding) int {
		return cmp.Or(cmp.Compare(a.Account.Name, b.Account.Name), cmp.Compare(a.Item.Book, b.Item.Book), cmp.Compare(a.Item.Code, b.Item.Code))
	})
	out.Opening, err = s.withUnits(ctx, out.Opening)
	return out, err
}

// spellFlows fills in the counterpart, document and reversal of each flow
// total from the number of its flow (ids[i] is that of flows[i]).
func spellFlows(ctx context.Context, q querier, flows []ledger.FlowTotal, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	distinct := slices.Clone(ids)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	rows, err := q.Query(ctx, `SELECT id, counter_book, counter_name, doc_type, trade_mode, reversal FROM ledger_flows WHERE id = ANY($1)`, distinct)
	if err != nil {
		return err
	}
	type spelt struct {
		counter  ledger.AccountRef
		doc      ledger.Document
		reversal bool
	}
	byID := make(map[int64]spelt, len(distinct))
	var id int64
	var f spelt
	if _, err := pgx.ForEachRow(rows, []any{&id, &f.counter.Book, &f.counter.Name, &f.doc.Type, &f.doc.TradeMode, &f.reversal}, func() error {
		byID[id] = f
		return nil
	}); err != nil {
		return err
	}
	for i := range flows {
		f, ok := byID[ids[i]]
		if !ok {
			return fmt.Errorf("flow %d of the totals by flow is not in ledger_flows", ids[i])
		}
		flows[i].Counterpart, flows[i].Document, flows[i].Reversal = f.counter, f.doc, f.reversal
	}
	return nil
}

// period is what PeriodTotals reads of a period: its flows are the sums
// of the whole quarters [quarters[0], quarters[1]] (empty when the first
// is after the last; each named by its first day), of the months, and of
// plusDays, less those of minusDays; its opening is the net sum of the
// totals by flow before the month openingMonths and of the days
// openingPlus, less those of openingMinus.
type period struct {
	quarters                  [2]time.Time
	months, plusDays          []time.Time
	minusDays                 []time.Time
	openingMonths             time.Time
	openingPlus, openingMinus []time.Time
}

// splitPeriod splits the days from through to into the fewest rows to
// read: as many whole quarters as fit, then whole months. A month the
// period covers only in part is read day by day, or, when the period
// covers more than half of it, whole less the days outside the period.
func splitPeriod(from, to time.Time) period {
	p := period{quarters: [2]time.Time{to.AddDate(0, 0, 1), to}, months: []time.Time{}, plusDays: []time.Time{}, minusDays: []time.Time{}}
	for at := from; !at.After(to); {
		month := firstOfMonth(at)
		next := month.AddDate(0, 1, 0)
		if q := firstOfQuarter(at); q.Equal(at) && !q.AddDate(0, 3, 0).After(to.AddDate(0, 0, 1)) {
			if p.quarters[0].After(p.quarters[1]) {
				p.quarters[0] = q
			}
			p.quarters[1] = q
			at = q.AddDate(0, 3, 0)
			continue
		}
		last := next.AddDate(0, 0, -1)
		if last.After(to) {
			last = to
		}
		in := days(at, last)
		if month.Equal(at) && last.Equal(next.AddDate(0, 0, -1)) {
			p.months = append(p.months, month)
		} else if 2*len(in) > len(days(month, next.AddDate(0, 0, -1))) {
			p.months = append(p.months, month)
			p.minusDays = append(p.minusDays, days(month, at.AddDate(0, 0, -1))...)
			p.minusDays = append(p.minusDays, days(last.AddDate(0, 0, 1), next.AddDate(0, 0, -1))...)
		} else {
			p.plusDays = append(p.plusDays, in...)
		}
		at = last.AddDate(0, 0, 1)
	}
	// The opening: the months before from's, and the days of from's month
	// before from, or that whole month less the days from on.
	month := firstOfMonth(from)
	next := month.AddDate(0, 1, 0)
	before, rest := days(month, from.AddDate(0, 0, -1)), days(from, next.AddDate(0, 0, -1))
	p.openingMonths, p.openingPlus, p.openingMinus = month, before, []time.Time{}
	if len(before) > len(rest) {
		p.openingMonths, p.openingPlus, p.openingMinus = next, []time.Time{}, rest
	}
	return p
}

// days lists the days first through last (none when last is before first).
func days(first, last time.Time) []time.Time {
	out := []time.Time{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}
