package repair

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BookDocumentsChanged calls fn with each document the repair centre keeps for
// book — repair and remanufacture orders ("repair-order") and parts
// records ("repair-parts") — in kind order, then number order — whose last
// change took a change number (zone.TakeChange) after since and up to
// upTo, for a sealed period's evidence (customs/evidence; see
// zone.Service.BookDocumentsChanged). p must be able to read the book.
func (s *Service) BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since, upTo zone.DocMark, fn func(zone.StoredDocument) error) error {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT 'repair-order', no, enterprise, status, body FROM rep_orders WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'repair-parts', no, enterprise, '', body FROM rep_parts WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		ORDER BY 1, 2`, book, since.Seq, upTo.Seq)
	if err != nil {
		return dbError(err)
	}
	docs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[zone.StoredDocument])
	if err != nil {
		return dbError(err)
	}
	for _, d := range docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}
