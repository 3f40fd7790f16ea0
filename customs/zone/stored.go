package zone

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
)

// StoredDocument is a document as the centre that keeps it stores it: what
// a sealed period's evidence (customs/evidence) records of it. Body is the
// document's JSON as stored.
type StoredDocument struct {
	// Kind is the kind of document ("book", "book-line", "part-number",
	// "list", "pass", "form", "slip", "consumption", "certificate",
	// "display", "taxable-event"; the other centres add theirs).
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

// The kinds of a book's own records (its 备案) among StoredDocuments.
const (
	// KindBook is the book itself (number: the book number; status: its
	// status), with its most recent write-off date (LastWriteOffDate,
	// YYYY-MM-DD) when one is set.
	KindBook = "book"
	// KindBookLine is a line of the book (number: its 备案序号), as
	// registered; its part numbers are records of their own.
	KindBookLine = "book-line"
	// KindPartNumber is an enterprise part number (料号) mapped onto a
	// line of the book (number: the part number; body: PartNumberRecord).
	KindPartNumber = "part-number"
	// KindEnterprise is the enterprise holding the book (number: its
	// USCC), as registered, with its credit rating and suspension:
	// recorded with the book's registration and after each change of it.
	KindEnterprise = "enterprise"
)

// PartNumberRecord is the body of a KindPartNumber record: the part
// number and the book line it is mapped onto.
type PartNumberRecord struct {
	Part    string
	BookSeq int
}

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

// bookRegistryChangedSQL reads the book $1 itself, its lines, its part
// numbers and its enterprise last changed after change number $2, up to
// $3: the book and its enterprise by their primary keys, the lines and
// part numbers each through their (book, change number) index
// (zone_book_lines_book_changes, zone_part_numbers_book_changes).
const bookRegistryChangedSQL = `SELECT 0 AS src, no AS key, 0 AS seq, body, last_write_off_date
	FROM zone_books WHERE no = $1 AND change_seq > $2 AND change_seq <= $3
	UNION ALL
	SELECT 1, '', seq, body, NULL FROM zone_book_lines WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
	UNION ALL
	SELECT 2, part, seq, '', NULL FROM zone_part_numbers WHERE book = $1 AND change_seq > $2 AND change_seq <= $3
	UNION ALL
	SELECT 3, e.uscc, 0, e.body, NULL FROM zone_books AS b JOIN zone_enterprises AS e ON e.uscc = b.enterprise
	WHERE b.no = $1 AND b.enterprise_change_seq > $2 AND b.enterprise_change_seq <= $3
	ORDER BY 1, 2, 3`

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

// BookDocumentsChanged calls fn with every record this package keeps for
// book — first the book's own (备案): the book itself (KindBook:
// registered, its status, 一纳 status or write-off date set), its lines
// (KindBookLine), part numbers (KindPartNumber) and the enterprise holding
// it (KindEnterprise: registered, suspended, resumed); then verification lists
// with their lines, gate passes, business forms, slips, consumption
// reports, certificates, display movements, out-of-zone movements, then
// taxable events — whose last change is numbered after since and up to
// upTo (ChangeMark, read before), each group in kind order, then number
// order (taxable events by ID). With the zero since it calls fn with every
// such record of the book. It is what a sealed period's evidence records
// of the zone's documents (customs/evidence): each seal records the
// documents changed since the one before (from the previous seal's upTo to
// its own), so the seals in order hold every document in its latest state
// as of the last of them. A document changed again after upTo is left to
// the next read, which finds it in its newer state. p must be able to read
// the book.
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
	reg, err := bookRegistryChanged(ctx, s.pool, b.Enterprise, book, since, upTo)
	if err != nil {
		return err
	}
	for _, d := range append(reg, docs...) {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// bookRegistryChanged reads the records of the book itself, its lines, its
// part numbers and its enterprise (KindBook, KindBookLine, KindPartNumber,
// KindEnterprise) changed after since and up to upTo, in that order, then
// by number. enterprise is the book's.
func bookRegistryChanged(ctx context.Context, q querier, enterprise, book string, since, upTo DocMark) ([]StoredDocument, error) {
	rows, err := q.Query(ctx, bookRegistryChangedSQL, book, since.Seq, upTo.Seq)
	if err != nil {
		return nil, dbError(err)
	}
	var (
		out  []StoredDocument
		src  int
		key  string
		seq  int
		body string
		lwo  *time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&src, &key, &seq, &body, &lwo}, func() error {
		d := StoredDocument{Enterprise: enterprise}
		switch src {
		case 0:
			// The book as GetBook reads it: its body, and the write-off
			// date kept in its own column. Fields are kept as stored
			// (json.RawMessage), so no number passes through a float.
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &fields); err != nil {
				return fmt.Errorf("book %s: stored body: %w", book, err)
			}
			var st codes.BookStatus
			if err := json.Unmarshal(fields["Status"], &st); err != nil {
				return fmt.Errorf("book %s: stored status: %w", book, err)
			}
			if lwo != nil {
				fields["LastWriteOffDate"] = json.RawMessage(strconv.Quote(lwo.Format(time.DateOnly)))
			}
			d.Kind, d.No, d.Status, d.Body = KindBook, key, string(st), mustJSON(fields)
		case 1:
			d.Kind, d.No, d.Body = KindBookLine, strconv.Itoa(seq), body
		case 3:
			d.Kind, d.No, d.Body = KindEnterprise, key, body
		default:
			d.Kind, d.No, d.Body = KindPartNumber, key, mustJSON(PartNumberRecord{Part: key, BookSeq: seq})
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, dbError(err)
	}
	return out, nil
}

// EnterpriseBooks returns, in tx, the numbers of the books enterprise
// holds, in book order: for a centre that records a change of the
// enterprise in each of its books' evidence (taking their change numbers
// with TakeChange in that order).
func EnterpriseBooks(ctx context.Context, tx pgx.Tx, enterprise string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT no FROM zone_books WHERE enterprise = $1 ORDER BY no`, enterprise)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
