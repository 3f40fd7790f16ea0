package zone

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LineRelease is a list line carrying bound goods (BindListLine) whose
// list will take them out no more: customs returned it (退单; the
// reservation was reversed and the goods are back in the line's Source
// bucket), or its filer deleted it while a draft.
type LineRelease struct {
	// List is the list's number, Book its book.
	List string
	Book string
	// Line is the list line as it was bound: Seq, BookSeq,
	// DeclaredQuantity, Source and the document it served.
	Line ListLine
	// Status is ListReturned or ListDeleted.
	Status ListStatus
	// JournalID is the journal that gave the goods back to Source (a
	// returned list's release); 0 when nothing was reserved yet.
	JournalID int64
	// Date is the business date, By the principal who returned or
	// deleted the list, Note customs' reason for a return.
	Date time.Time
	By   string
	Note string
}

// LineReleaser takes back the goods of a bound line for the document
// that bound them. It runs in tx, the transaction of the ledger's seam
// that returns or deletes the list, so the document it updates commits
// with the list's new status or not at all; it may run several times and
// must have no effect outside tx. An error refuses the return or deletion.
type LineReleaser func(ctx context.Context, tx pgx.Tx, r LineRelease) error

// SetLineReleaser installs the keeper of documents of type docType that
// bind goods to list lines (BindListLine): it is told of each such line
// whose list is returned or deleted. Call it before the service takes
// requests.
func (s *Service) SetLineReleaser(docType string, fn LineReleaser) {
	if s.releasers == nil {
		s.releasers = map[string]LineReleaser{}
	}
	s.releasers[docType] = fn
}

// releaseBound tells the keepers of the documents l's bound lines serve
// that l, now status, takes their goods out no more.
func (s *Service) releaseBound(ctx context.Context, tx pgx.Tx, l List, status ListStatus, journalID int64, by, note string) error {
	for i, ln := range l.Lines {
		if ln.Source == "" || ln.SourceDocType == "" {
			continue
		}
		fn := s.releasers[ln.SourceDocType]
		if fn == nil {
			return precondition(ReasonWrongStatus, fmt.Sprintf("lines[%d]", i), "line %d carries goods bound by %s %s, and this server keeps no %s documents to give them back to; run the server with the centre that bound them", ln.Seq, ln.SourceDocType, ln.SourceDocNo, ln.SourceDocType)
		}
		r := LineRelease{List: l.No, Book: l.Book, Line: ln, Status: status, JournalID: journalID, Date: s.today(), By: by, Note: note}
		if err := fn(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}
