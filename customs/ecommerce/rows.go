package ecommerce

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// orderCols are the columns scanOrderRow reads.
const orderCols = `order_no, enterprise, status, reason, list_no, COALESCE(order_body, ''), COALESCE(payment_body, ''), COALESCE(waybill_body, '')`

// rowsQuerier is a pool or a transaction.
type rowsQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// queryOrderRows runs sql, which returns orderCols, and adds the rows to
// out by order number.
func queryOrderRows(ctx context.Context, q rowsQuerier, out map[string]orderRow, sql string, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanOrderRow(rows)
		if err != nil {
			return err
		}
		out[r.no] = r
	}
	return rows.Err()
}

func scanOrderRow(row pgx.Row) (orderRow, error) {
	var r orderRow
	err := row.Scan(&r.no, &r.enterprise, &r.status, &r.reason, &r.listNo, &r.bodies[kindOrder], &r.bodies[kindPayment], &r.bodies[kindWaybill])
	return r, err
}

// lockOrderStates locks the orders numbered nos, given sorted so that
// concurrent releases lock in one order, and reads their status, reason and
// list number (not their documents), by order number.
func lockOrderStates(ctx context.Context, tx pgx.Tx, nos []string) (map[string]orderRow, error) {
	rows, err := tx.Query(ctx, `SELECT order_no, status, reason, list_no FROM ecom_orders WHERE order_no = ANY($1) ORDER BY order_no FOR UPDATE`, nos)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]orderRow{}
	for rows.Next() {
		var r orderRow
		if err := rows.Scan(&r.no, &r.status, &r.reason, &r.listNo); err != nil {
			return nil, err
		}
		out[r.no] = r
	}
	return out, rows.Err()
}

// loadOrder reads an order's row, locked when forUpdate (in a transaction).
func loadOrder(ctx context.Context, q querier, orderNo string, forUpdate bool) (orderRow, bool, error) {
	sql := `SELECT ` + orderCols + ` FROM ecom_orders WHERE order_no = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	r, err := scanOrderRow(q.QueryRow(ctx, sql, orderNo))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

func setOrderStatus(ctx context.Context, tx pgx.Tx, r orderRow) error {
	_, err := tx.Exec(ctx, `UPDATE ecom_orders SET status = $2, reason = $3, list_no = $4 WHERE order_no = $1`, r.no, r.status, r.reason, r.listNo)
	return err
}

func loadList(ctx context.Context, q querier, no string, forUpdate bool) (InventoryList, error) {
	sql := `SELECT body FROM ecom_lists WHERE no = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	var body string
	err := q.QueryRow(ctx, sql, no).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return InventoryList{}, listNotFound(no)
	}
	if err != nil {
		return InventoryList{}, err
	}
	var l InventoryList
	return l, jsonUnmarshal(body, &l)
}

// loadLists reads the lists a WHERE clause selects.
func loadLists(ctx context.Context, q rowsQuerier, where string, args ...any) ([]InventoryList, error) {
	rows, err := q.Query(ctx, `SELECT body FROM ecom_lists `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InventoryList
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var l InventoryList
		if err := jsonUnmarshal(body, &l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// nextChange is a WITH clause taking the next list change sequence number
// of the book named by parameter $1 (row ch, column seq): the book's row
// of ecom_list_seqs stays locked until the transaction commits, so a
// book's numbers are given in commit order (see BookListsChanged).
const nextChange = `WITH ch AS (INSERT INTO ecom_list_seqs AS q (book, seq) VALUES ($1, 1)
	ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1 RETURNING seq) `

// saveList stores the list's new state, with the next change number of
// its book: every change of a stored list goes through here or through
// saveListPaid.
func saveList(ctx context.Context, tx pgx.Tx, l InventoryList) error {
	var released any
	if !l.ReleasedOn.IsZero() {
		released = l.ReleasedOn
	}
	_, err := tx.Exec(ctx, nextChange+`UPDATE ecom_lists SET status = $3, released_on = $4, body = $5, change_seq = (SELECT seq FROM ch) WHERE no = $2`,
		l.Book, l.No, string(l.Status), released, mustJSON(l))
	return err
}

// saveListPaid stores the list with the tax payment that paid it, with the
// next change number of its book.
func saveListPaid(ctx context.Context, tx pgx.Tx, l InventoryList) error {
	_, err := tx.Exec(ctx, nextChange+`UPDATE ecom_lists SET tax_payment_no = $3, body = $4, change_seq = (SELECT seq FROM ch) WHERE no = $2`,
		l.Book, l.No, l.TaxPaymentNo, mustJSON(l))
	return err
}

// Recover finishes the returns an earlier zoneledger, which booked a
// return in two steps, left RETURN_RECEIVING: each in one ReadWriteTx
// with the same journal that version posted or meant to post. A list that
// cannot be finished for good (a refusal, or pgtx.Permanent: e.g. text
// PostgreSQL cannot store) is logged and left as it is, and the others go
// on: one document never stops the start. Transient failures are returned.
//
// A release or a return of this version commits in one transaction with
// its journal and needs no recovery. A list left RELEASING by a version
// that released in three steps stops the start with what to do
// (ErrLegacyReleasing).
func (s *Service) Recover(ctx context.Context) error {
	log := s.opts.Logger
	if log == nil {
		log = slog.Default()
	}
	pending, err := loadLists(ctx, s.pool, `WHERE status IN ($1, $2) ORDER BY no`, string(ListReleasing), string(listReturnReceiving))
	if err != nil {
		return dbError(err)
	}
	var releasing []string
	for _, l := range pending {
		if l.Status == ListReleasing {
			releasing = append(releasing, l.No)
			continue
		}
		rel, err := s.releaseJournal(ctx, l)
		if err == nil {
			err = s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
				c, err := loadList(ctx, tx, l.No, true)
				if err != nil || c.Status != listReturnReceiving {
					return err
				}
				return s.receive(ctx, tx, j, c, rel)
			})
		}
		if err != nil && !isDomain(err) {
			if !pgtx.Permanent(err) {
				return dbError(err)
			}
			log.Error("a return cannot be finished for good and stays receiving; starting anyway", "list", l.No, "order", l.OrderNo, "err", err)
		}
	}
	if len(releasing) > 0 {
		return fmt.Errorf("%w: %d lists (first %s); start the previous zoneledger release on this database once, let it finish them, then start this one",
			ErrLegacyReleasing, len(releasing), releasing[0])
	}
	return nil
}

// ErrLegacyReleasing is Recover's error for lists left RELEASING by a
// version of zoneledger that released in three steps (lists stored, stock
// deducted, lists finished); this version cannot finish them.
var ErrLegacyReleasing = errors.New("inventory lists left RELEASING by an earlier zoneledger")
