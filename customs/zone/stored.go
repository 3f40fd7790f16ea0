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

// DocMark is how far BookDocumentsChanged read a book's documents: pass
// the mark it returned to the next call to read only what changed since.
// The zero DocMark reads every document of the book.
type DocMark struct {
	// Seq is the book's document change number read through: every write
	// of a document of the book (filed, declared, approved, returned,
	// passed, moved by a receipt, …) and every taxable event recorded on
	// it takes the next number of its book, in the transaction of the
	// change.
	Seq int64
}

// bookDocumentsChangedSQL reads the documents and taxable events of book
// $1 changed after change number $2. One statement, so one snapshot; each
// branch is one range of an index (zone_documents_book_changes,
// zone_taxable_events_book_changes), so neither reads the book's unchanged
// documents nor another book's.
const bookDocumentsChangedSQL = `SELECT 0 AS src, kind, no, 0::BIGINT AS id, enterprise, status, body, change_seq
	FROM zone_documents WHERE book = $1 AND change_seq > $2
	UNION ALL
	SELECT 1, '` + KindTaxableEvent + `', '', id, enterprise, '', body, change_seq
	FROM zone_taxable_events WHERE book = $1 AND change_seq > $2
	ORDER BY 1, 2, 3, 4`

// BookDocumentsChanged calls fn with every document this package keeps for
// book — verification lists with their lines, gate passes, business forms,
// slips, consumption reports, certificates, display movements, out-of-zone
// movements, then taxable events — that changed after since, in kind
// order, then number order (taxable events by ID), and returns the mark to
// pass next time. With the zero mark it calls fn with every document of
// the book. It is what a sealed period's evidence records of the zone's
// documents (customs/evidence): each seal records the documents changed
// since the one before, so the seals in order hold every document in its
// latest state as of the last of them. p must be able to read the book.
//
// The mark is safe to store and use later: a book's change numbers are
// given in commit order, so a document whose change had not committed
// when fn was called has a number above the returned mark.
func (s *Service) BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since DocMark, fn func(StoredDocument) error) (DocMark, error) {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return since, dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return since, err
	}
	rows, err := s.pool.Query(ctx, bookDocumentsChangedSQL, book, since.Seq)
	if err != nil {
		return since, dbError(err)
	}
	next := since
	var (
		docs []StoredDocument
		d    StoredDocument
		src  int
		id   int64
		seq  int64
	)
	_, err = pgx.ForEachRow(rows, []any{&src, &d.Kind, &d.No, &id, &d.Enterprise, &d.Status, &d.Body, &seq}, func() error {
		if src == 1 {
			d.No = strconv.FormatInt(id, 10)
		}
		docs, next.Seq = append(docs, d), max(next.Seq, seq)
		return nil
	})
	if err != nil {
		return since, dbError(err)
	}
	for _, d := range docs {
		if err := fn(d); err != nil {
			return since, err
		}
	}
	return next, nil
}
