package repair

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BookDocuments calls fn with every document the repair centre keeps for
// book — repair and remanufacture orders ("repair-order") and parts
// records ("repair-parts") — in kind order, then number order. p must be
// able to read the book.
func (s *Service) BookDocuments(ctx context.Context, p access.Principal, book string, fn func(zone.StoredDocument) error) error {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT 'repair-order', no, enterprise, status, body FROM rep_orders WHERE book = $1
		UNION ALL SELECT 'repair-parts', no, enterprise, '', body FROM rep_parts WHERE book = $1
		ORDER BY 1, 2`, book)
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
