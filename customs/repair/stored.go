package repair

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// BookDocumentsChanged calls fn with each document the repair centre keeps
// for book — repair and remanufacture orders ("repair-order") and parts
// records ("repair-parts"), in kind order, then number order, then the
// rectifications (整改) customs set on or lifted from the book's
// enterprise (KindRectification) — whose last change took a change number
// (zone.TakeChange) after since and up to upTo, for a sealed period's
// evidence (customs/evidence; see zone.Service.BookDocumentsChanged). p
// must be able to read the book.
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
	recs, err := s.rectificationsChanged(ctx, book, since, upTo)
	if err != nil {
		return err
	}
	for _, d := range append(docs, recs...) {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// rectificationsChanged reads the book's rectification records
// (KindRectification) changed after since and up to upTo, through the
// index on (book, change number), in number order.
func (s *Service) rectificationsChanged(ctx context.Context, book string, since, upTo zone.DocMark) ([]zone.StoredDocument, error) {
	rows, err := s.pool.Query(ctx, `SELECT enterprise, since, note, by_principal, lifted_at, lifted_by FROM rep_rectification_records
		WHERE book = $1 AND change_seq > $2 AND change_seq <= $3 ORDER BY enterprise, since`, book, since.Seq, upTo.Seq)
	if err != nil {
		return nil, dbError(err)
	}
	var (
		out    []zone.StoredDocument
		r      Rectification
		lifted *time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&r.Enterprise, &r.Since, &r.Note, &r.By, &lifted, &r.LiftedBy}, func() error {
		rec, status := r, RectificationInForce
		rec.Since, rec.LiftedAt = rec.Since.UTC(), time.Time{}
		if lifted != nil {
			rec.LiftedAt, status = lifted.UTC(), RectificationLifted
		}
		body, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		out = append(out, zone.StoredDocument{Kind: KindRectification, No: rec.Enterprise + "/" + rec.Since.Format(time.RFC3339Nano),
			Enterprise: rec.Enterprise, Status: status, Body: string(body)})
		return nil
	})
	if err != nil {
		return nil, dbError(err)
	}
	return out, nil
}
