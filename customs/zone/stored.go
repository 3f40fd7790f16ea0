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

// DocMark is how far a book's documents had changed (ChangeMark): the
// documents changed up to one mark and after another are read with
// BookDocumentsChanged. The zero DocMark is before every change.
type DocMark struct {
	// Seq is the book's document change number read through: every write
	// of a document of the book (filed, declared, approved, returned,
	// passed, moved by a receipt, …) and every taxable event recorded on
	// it takes the next number of its book, in the transaction of the
	// change.
	Seq int64
}

// bookDocumentsChangedSQL reads the documents and taxable events of book
// $1 last changed after change number $2, up to $3. Each
// branch is one range of an index (zone_documents_book_changes,
// zone_taxable_events_book_changes), so neither reads the book's unchanged
// documents nor another book's.
const bookDocumentsChangedSQL = `SELECT 0 AS src, kind, no, 0::BIGINT AS id, enterprise, status, body
	FROM zone_documents WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
	UNION ALL
	SELECT 1, '` + KindTaxableEvent + `', '', id, enterprise, '', body
	FROM zone_taxable_events WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
	ORDER BY 1, 2, 3, 4`

// ChangeMark is how far book's documents have changed: the last change
// number a committed change of the book took (the zero DocMark for a book
// nothing changed yet). Every change numbered up to it has committed, since
// a book's numbers are given in commit order, so a read of the changes up
// to the mark (BookDocumentsChanged, and the other centres' reads of their
// documents by the same numbers) misses none of them, however many
// statements it takes.
func (s *Service) ChangeMark(ctx context.Context, book string) (DocMark, error) {
	var m DocMark
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM zone_doc_seqs WHERE book = $1`, book).Scan(&m.Seq)
	return m, dbError(err)
}

// TakeChange takes, in tx, the next change number of book, for a centre
// that keeps documents of the book and records their changes by it (the
// column change_seq of its rows; see BookDocumentsChanged): every write of
// such a document stores the number it took in the write's transaction.
// The book's number stays locked until tx ends, so numbers are given in
// commit order. A transaction that changes documents of more than one book
// takes their numbers in book order.
func TakeChange(ctx context.Context, tx pgx.Tx, book string) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, nextChange+`SELECT seq FROM ch`, book).Scan(&seq)
	return seq, err
}

// BookDocumentsChanged calls fn with every document this package keeps for
// book — verification lists with their lines, gate passes, business forms,
// slips, consumption reports, certificates, display movements, out-of-zone
// movements, then taxable events — whose last change is numbered after
// since and up to upTo (ChangeMark, read before), in kind order, then
// number order (taxable events by ID). With the zero since it calls fn
// with every such document of the book. It is what a sealed period's
// evidence records of the zone's documents (customs/evidence): each seal
// records the documents changed since the one before (from the previous
// seal's upTo to its own), so the seals in order hold every document in
// its latest state as of the last of them. A document changed again after
// upTo is left to the next read, which finds it in its newer state. p must
// be able to read the book.
func (s *Service) BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since, upTo DocMark, fn func(StoredDocument) error) error {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, bookDocumentsChangedSQL, book, since.Seq, upTo.Seq)
	if err != nil {
		return dbError(err)
	}
	var (
		docs []StoredDocument
		d    StoredDocument
		src  int
		id   int64
	)
	_, err = pgx.ForEachRow(rows, []any{&src, &d.Kind, &d.No, &id, &d.Enterprise, &d.Status, &d.Body}, func() error {
		if src == 1 {
			d.No = strconv.FormatInt(id, 10)
		}
		docs = append(docs, d)
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
