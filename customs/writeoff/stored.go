package writeoff

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BookDocumentsChanged calls fn with the write-off documents kept for book — its
// stocktakes ("stocktake", by number, with their status) and its cycle
// ("write-off-cycle", numbered by the book) — in kind order, then number
// order — whose last change took a change number (zone.TakeChange) after
// since and up to upTo, for a sealed period's evidence (customs/evidence;
// see zone.Service.BookDocumentsChanged). p must be able to read the book.
func (c *Cycles) BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since, upTo zone.DocMark, fn func(zone.StoredDocument) error) error {
	if _, err := c.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	rows, err := c.pool.Query(ctx, `
		SELECT 'stocktake', no, enterprise, status, body FROM writeoff_stocktakes WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'write-off-cycle', book, enterprise, '', body FROM writeoff_cycles WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		ORDER BY 1, 2`, book, since.Seq, upTo.Seq)
	if err != nil {
		return cycleDBError(err)
	}
	docs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[zone.StoredDocument])
	if err != nil {
		return cycleDBError(err)
	}
	for _, d := range docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}
