package zone

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/zoneledger/zoneledger/ledger"
)

// VersionChecker checks the unit consumption versions (单耗版本) a list's
// lines name before the list is declared. Package customs/processing keeps
// the versions and implements it.
type VersionChecker interface {
	// CheckListVersions refuses a list naming a version of a line that
	// does not exist or is not declared. Versions are never removed nor
	// taken back to draft, so a version it accepts stays acceptable.
	CheckListVersions(ctx context.Context, l List) error
}

// SetVersionChecker installs the keeper of unit consumption versions. Call
// it before the service takes requests; without one, a list naming a
// version is refused when declared.
func (s *Service) SetVersionChecker(c VersionChecker) { s.versions = c }

// checkVersions has the versions a draft list names checked.
func (s *Service) checkVersions(ctx context.Context, l List) error {
	for i, ln := range l.Lines {
		if ln.ConsumptionVersion == "" {
			continue
		}
		if s.versions == nil {
			return ledger.Precondition(ReasonWrongStatus, fmt.Sprintf("lines[%d].consumption_version", i), "this server keeps no unit consumption versions; leave consumption_version empty")
		}
		return s.versions.CheckListVersions(ctx, l)
	}
	return nil
}

// ListNamingVersion returns the number of a declared, approved or cleared
// list of book whose line for good seq names version (empty when none):
// such a version is locked against change. It reads in tx, the caller's
// transaction, so that a list declared at the same time is seen or
// ordered after the caller's change.
func (s *Service) ListNamingVersion(ctx context.Context, tx pgx.Tx, book string, seq int, version string) (string, error) {
	probe := mustJSON(map[string]any{"Lines": []map[string]any{{"BookSeq": seq, "ConsumptionVersion": version}}})
	var no string
	err := tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND book = $2 AND status = ANY($3) AND body::JSONB @> $4::JSONB ORDER BY no LIMIT 1`,
		kindList, book, []string{string(ListDeclared), string(ListApproved), string(ListCleared)}, probe).Scan(&no)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return no, err
}

// BindListLine binds goods held in bucket source of book (a repair
// centre's section), serving document docNo of type docType (a repair
// order), to a line of the draft outbound list no: the first line for
// book line seq of exactly quantity q with nothing bound yet. Declared,
// that line reserves from source instead of bonded, so the goods leave
// on the list and its gate pass; returned (or deleted while a draft),
// they go back to source and the keeper of docType documents
// (SetLineReleaser) takes them back. It writes in tx, the caller's
// transaction of the ledger's seam, so the binding commits with the
// caller's record of the exit, and it returns the line as bound.
func (s *Service) BindListLine(ctx context.Context, tx pgx.Tx, no, book string, seq int, q decimal.Decimal, source, docType, docNo string) (ListLine, error) {
	l, _, err := lockList(ctx, tx, no)
	if err != nil {
		return ListLine{}, withField(err, "reference")
	}
	if l.Book != book {
		return ListLine{}, ledger.Precondition(ReasonWrongStatus, "reference", "list %s is of book %s, not %s; name a list of the book the goods are on", l.No, l.Book, book)
	}
	if l.Status != ListDraft {
		return ListLine{}, ledger.Precondition(ReasonWrongStatus, "reference", "list %s is %s; bind goods to a draft list, then declare it", l.No, strings.ToLower(string(l.Status)))
	}
	if l.Flow != FlowFirstLineOut && l.Flow != FlowSecondLineOut {
		return ListLine{}, ledger.Precondition(ReasonWrongStatus, "reference", "list %s is %s; goods leave the zone on a first-line or second-line exit list", l.No, l.Flow)
	}
	for i := range l.Lines {
		ln := &l.Lines[i]
		if ln.BookSeq != seq || ln.Source != "" || !ln.DeclaredQuantity.Equal(q) {
			continue
		}
		ln.Source, ln.SourceDocType, ln.SourceDocNo = source, docType, docNo
		return *ln, updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
	}
	return ListLine{}, ledger.Precondition(ReasonWrongStatus, "reference", "list %s has no line for book line %d of quantity %s (declared unit) not bound yet; file the list with one line per exit", l.No, seq, q)
}
