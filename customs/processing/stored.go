package processing

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BookDocumentsChanged calls fn with each document the processing and R&D
// centres keep for book — unit consumption versions ("consumption-version",
// numbered FINISHED_SEQ/VERSION), destructions ("destruction"), production
// reports ("production-report"), R&D projects ("rnd-project", by code) and
// R&D uses ("rnd-use"), entrustments of 委托加工 ("entrustment") and their
// moves ("entrusted-move", receipts and returns) — in kind order, then
// number order —
// whose last change took a change number (zone.TakeChange) after since
// and up to upTo, for a sealed period's evidence (customs/evidence; see
// zone.Service.BookDocumentsChanged). p must be able to read the book.
func (s *Service) BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since, upTo zone.DocMark, fn func(zone.StoredDocument) error) error {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT 'consumption-version', finished_seq::TEXT || '/' || version, enterprise, status, body FROM proc_versions WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'destruction', no, enterprise, status, body FROM proc_destructions WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'production-report', no, enterprise, '', body FROM proc_reports WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'rnd-project', code, enterprise, '', body FROM proc_rnd_projects WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'rnd-use', no, enterprise, '', body FROM proc_rnd_uses WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'entrustment', no, enterprise, '', body FROM proc_entrustments WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
		UNION ALL SELECT 'entrusted-move', no, enterprise, '', body FROM proc_entrusted_moves WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
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
