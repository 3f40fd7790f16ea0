package zone

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
)

// StoredDocument is a document as the centre that keeps it stores it: what
// a sealed period's evidence (customs/evidence) records of it. Body is the
// document's JSON as stored.
type StoredDocument struct {
	// Kind is the kind of document ("list", "pass", "form", "slip",
	// "consumption", "certificate", "display", "taxable-event"; the other
	// centres add theirs).
	Kind string
	// No is its number within the kind.
	No         string
	Enterprise string
	// Status is its state ("" for kinds without one).
	Status string
	Body   string
}

// KindTaxableEvent is the kind of a taxable event among StoredDocuments.
const KindTaxableEvent = "taxable-event"

// BookDocuments calls fn with every document this package keeps for book —
// verification lists with their lines, gate passes, business forms, slips,
// consumption reports, certificates, display movements, then taxable
// events — in kind order, then number order (taxable events by ID). p must
// be able to read the book.
func (s *Service) BookDocuments(ctx context.Context, p access.Principal, book string, fn func(StoredDocument) error) error {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT kind, no, enterprise, status, body FROM zone_documents WHERE book = $1 ORDER BY kind, no`, book)
	if err != nil {
		return dbError(err)
	}
	docs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[StoredDocument])
	if err != nil {
		return dbError(err)
	}
	rows, err = s.pool.Query(ctx, `SELECT id, enterprise, body FROM zone_taxable_events WHERE book = $1 ORDER BY id`, book)
	if err != nil {
		return dbError(err)
	}
	var (
		id               int64
		enterprise, body string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &enterprise, &body}, func() error {
		docs = append(docs, StoredDocument{Kind: KindTaxableEvent, No: strconv.FormatInt(id, 10), Enterprise: enterprise, Body: body})
		return nil
	})
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
