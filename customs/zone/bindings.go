package zone

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// Kinds of zone documents whose lines carry bound goods (LineRelease.Kind).
const (
	// BoundOnList: a verification list line (BindListLine).
	BoundOnList = "LIST"
	// BoundOnPass: a gate registration (卡口登记, pass type 5) line
	// (BindPassLine).
	BoundOnPass = "PASS"
)

// LineRelease is a line of a zone document carrying bound goods
// (BindListLine, BindPassLine) that will take them out no more: customs
// returned the list (退单; the reservation was reversed and the goods are
// back in the line's Source bucket), its filer deleted the draft list or
// withdrew the pass, or customs turned the vehicle back.
type LineRelease struct {
	// Kind is BoundOnList or BoundOnPass; No the document's number, Book
	// its book.
	Kind string
	No   string
	Book string
	// Seq is the line's number in the document, from 1.
	Seq      int
	BookSeq  int
	Quantity decimal.Decimal
	// Source is the bucket the goods are in; DocType and DocNo the
	// document they serve.
	Source  string
	DocType string
	DocNo   string
	// Status is the document's new status: a list's RETURNED or DELETED,
	// a pass's DELETED or REJECTED.
	Status string
	// JournalID is the journal that gave the goods back to Source (a
	// returned list's release); 0 when nothing was reserved.
	JournalID int64
	// Date is the business date, By the principal who returned, deleted
	// or rejected the document, Note the reason given.
	Date time.Time
	By   string
	Note string
}

// LineReleaser takes back the goods of a bound line for the document
// that bound them. It runs in tx, the transaction of the ledger's seam
// that returns, deletes or rejects the zone document, so the document it
// updates commits with the zone's or not at all; it may run several
// times and must have no effect outside tx. An error refuses the change.
type LineReleaser func(ctx context.Context, tx pgx.Tx, r LineRelease) error

// SetLineReleaser installs the keeper of documents of type docType that
// bind goods to list or pass lines: it is told of each such line whose
// list or pass takes them out no more. Call it before the service takes
// requests.
func (s *Service) SetLineReleaser(docType string, fn LineReleaser) {
	if s.releasers == nil {
		s.releasers = map[string]LineReleaser{}
	}
	s.releasers[docType] = fn
}

// release tells the keeper of the document a bound line serves that
// the line takes its goods out no more.
func (s *Service) release(ctx context.Context, tx pgx.Tx, r LineRelease) error {
	if r.Source == "" || r.DocType == "" {
		return nil
	}
	fn := s.releasers[r.DocType]
	if fn == nil {
		return ledger.Precondition(ReasonWrongStatus, fmt.Sprintf("lines[%d]", r.Seq-1), "line %d carries goods bound by %s %s, and this server keeps no %s documents to give them back to; run the server with the centre that bound them", r.Seq, r.DocType, r.DocNo, r.DocType)
	}
	r.Date = s.today()
	return fn(ctx, tx, r)
}

// releaseBound tells the keepers of the documents l's bound lines serve
// that l, now status, takes their goods out no more.
func (s *Service) releaseBound(ctx context.Context, tx pgx.Tx, l List, status ListStatus, journalID int64, by, note string) error {
	for _, ln := range l.Lines {
		r := LineRelease{Kind: BoundOnList, No: l.No, Book: l.Book, Seq: ln.Seq, BookSeq: ln.BookSeq, Quantity: ln.DeclaredQuantity,
			Source: ln.Source, DocType: ln.SourceDocType, DocNo: ln.SourceDocNo, Status: string(status), JournalID: journalID, By: by, Note: note}
		if err := s.release(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// releasePass tells the keepers of the documents ps's bound lines serve
// that ps, now status, takes their goods out no more.
func (s *Service) releasePass(ctx context.Context, tx pgx.Tx, ps Pass, status PassStatus, by, note string) error {
	for i, ln := range ps.Lines {
		r := LineRelease{Kind: BoundOnPass, No: ps.No, Book: ps.Book, Seq: i + 1, BookSeq: ln.BookSeq, Quantity: ln.Quantity,
			Source: ln.Source, DocType: ln.SourceDocType, DocNo: ln.SourceDocNo, Status: string(status), By: by, Note: note}
		if err := s.release(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// BindPassLine binds goods held in bucket source of book (a repair
// centre's old-parts or scrap section of goods from the domestic area),
// serving document docNo of type docType (a repair order), to a line of
// the gate registration no (卡口登记, pass type 5) taking them out: an
// outbound pass of the book not yet at the gate, whose line i (from 0)
// names book line seq and exactly quantity q in its declared unit, with
// nothing bound yet. When the vehicle passes the gate, the goods leave
// source for the domestic area; withdrawn or turned back, the keeper of
// docType documents takes them back (SetLineReleaser). It writes in tx,
// the caller's transaction of the ledger's seam, and returns the line's
// index.
func (s *Service) BindPassLine(ctx context.Context, tx pgx.Tx, no, book string, seq int, q decimal.Decimal, source, docType, docNo string) (int, error) {
	ps, err := lockPass(ctx, tx, no)
	if isReason(err, ReasonUnknownPass) {
		return 0, ledger.NotFound(ReasonUnknownPass, "reference", "there is no gate registration (卡口登记, pass type %s) %q; file the pass first, one line per exit, and name its number", codes.PassGateRegistration, no)
	}
	if err != nil {
		return 0, err
	}
	if ps.Book != book {
		return 0, ledger.Precondition(ReasonWrongStatus, "reference", "pass %s is of book %s, not %s; name a gate registration of the book the goods are on", ps.No, ps.Book, book)
	}
	if ps.Type != codes.PassGateRegistration || ps.IO != codes.Out {
		return 0, ledger.Precondition(ReasonWrongStatus, "reference", "pass %s is type %s (%s), %s; goods leave by gate registration on an outbound pass of type %s (%s)", ps.No, ps.Type, ps.Type.Name(), ps.IO, codes.PassGateRegistration, codes.PassGateRegistration.Name())
	}
	if ps.Status != PassApplied {
		return 0, ledger.Precondition(ReasonWrongStatus, "reference", "pass %s is %s; bind goods to a gate registration not yet at the gate", ps.No, strings.ToLower(string(ps.Status)))
	}
	bl, err := loadLine(ctx, tx, book, seq)
	if err != nil {
		return 0, withField(err, "book_seq")
	}
	for i := range ps.Lines {
		ln := &ps.Lines[i]
		if ln.BookSeq != seq || ln.Source != "" || !ln.Quantity.Equal(q) || (ln.Unit != "" && ln.Unit != bl.DeclaredUnit) {
			continue
		}
		ln.Source, ln.SourceDocType, ln.SourceDocNo = source, docType, docNo
		return i, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
	}
	return 0, ledger.Precondition(ReasonWrongStatus, "reference", "gate registration %s has no line for book line %d of quantity %s %s not bound yet; register the goods with one line per exit, naming the book line (book_seq) and the quantity in its declared unit", ps.No, seq, q, bl.DeclaredUnit)
}
