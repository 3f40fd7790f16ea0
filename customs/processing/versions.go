package processing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// VersionStatus is where a unit consumption version is.
type VersionStatus string

// The version statuses.
const (
	// VersionDraft: filed by the enterprise, not yet declared to customs.
	VersionDraft VersionStatus = "DRAFT"
	// VersionDeclared: declared to customs (单耗申报).
	VersionDeclared VersionStatus = "DECLARED"
)

// MaxNorms bounds the materials of one version.
const MaxNorms = 1000

// Version is a unit consumption version (单耗版本) of one finished (or
// semi-finished) good's book line: the materials one unit of it consumes,
// from its effective date until the good's next version takes effect.
type Version struct {
	Book string
	// FinishedSeq is the good's book line (成品序号).
	FinishedSeq int
	// Version is the 单耗版本号, 1 to 8 digits.
	Version string
	// EffectiveDate is the first day the version is in force. A good's
	// versions take effect one after another: each later version
	// supersedes the one before from its own effective date.
	EffectiveDate time.Time
	// Norms are the materials, one per material line.
	Norms []Norm
	// Status is DRAFT or DECLARED.
	Status VersionStatus
	// UsedBy is the first report that consumed by the version, UsedThrough
	// the latest day any report did; empty and zero while unused. A used
	// version cannot be changed, only superseded by a later one.
	UsedBy      string
	UsedThrough time.Time
	// SupersededBy is the next version of the good and SupersededFrom its
	// effective date; empty and zero while none.
	SupersededBy   string
	SupersededFrom time.Time
	Enterprise     string
	FiledBy        string
	CreatedAt      time.Time
	DeclaredAt     time.Time
}

// Locked reports whether the version was used and can no longer change.
func (v Version) Locked() bool { return v.UsedBy != "" }

// InForce reports whether the version is in force on day.
func (v Version) InForce(day time.Time) bool {
	return !day.Before(v.EffectiveDate) && (v.SupersededBy == "" || day.Before(v.SupersededFrom))
}

// checkVersionNo checks a 单耗版本号.
func checkVersionNo(no, field string) error {
	if no == "" || len(no) > 8 || strings.Trim(no, "0123456789") != "" {
		return ledger.Invalid(ReasonInvalidVersion, field, "单耗版本号 %q must be 1 to 8 digits", no)
	}
	return nil
}

// PutVersion files a unit consumption version, or changes one that was not
// used yet. The book's owner enterprise files (自主备案, 四自一简); the
// good must be a finished or material (semi-finished) line of the book, and
// each norm's material a material line other than the good. A version
// filed with a later effective date than the good's latest supersedes it
// from that date; it must take effect after the last day the superseded
// version was used. Filing the same version again returns it unchanged;
// changing a used version is refused with VERSION_LOCKED. The version
// keeps its status: a declared version changed before any use stays
// declared.
func (s *Service) PutVersion(ctx context.Context, p access.Principal, v Version) (Version, error) {
	v.Book, v.Version = strings.TrimSpace(v.Book), strings.TrimSpace(v.Version)
	if err := checkVersionNo(v.Version, "version"); err != nil {
		return v, err
	}
	if v.EffectiveDate.IsZero() {
		return v, ledger.BadArgument("effective_date", "give the day the version takes effect, YYYY-MM-DD")
	}
	v.EffectiveDate = ledger.Day(v.EffectiveDate)
	if v.EffectiveDate.Before(ledger.EarliestEffectiveDate) {
		return v, ledger.BadArgument("effective_date", "is before %s", ledger.FormatDate(ledger.EarliestEffectiveDate))
	}
	if len(v.Norms) == 0 || len(v.Norms) > MaxNorms {
		return v, ledger.BadArgument("norms", "a version names 1 to %d materials", MaxNorms)
	}
	b, err := s.writeBook(ctx, p, v.Book)
	if err != nil {
		return v, err
	}
	seqs := []int{v.FinishedSeq}
	seen := map[int]bool{}
	for i := range v.Norms {
		f := fmt.Sprintf("norms[%d]", i)
		if err := checkNorm(&v.Norms[i], f); err != nil {
			return v, err
		}
		m := v.Norms[i].MaterialSeq
		if seen[m] {
			return v, ledger.BadArgument(f+".material_seq", "material line %d is named twice; give one norm per material", m)
		}
		if m == v.FinishedSeq {
			return v, ledger.Invalid(ReasonWrongLineType, f+".material_seq", "line %d is the good itself; a good does not consume itself", m)
		}
		seen[m] = true
		seqs = append(seqs, m)
	}
	lines, err := s.lines(ctx, p, v.Book, seqs)
	if err != nil {
		return v, err
	}
	_, err = goodsLine(lines, v.Book, v.FinishedSeq, "finished_seq", "a version is declared for a finished or semi-finished good")
	if err != nil {
		return v, err
	}
	for i, n := range v.Norms {
		f := fmt.Sprintf("norms[%d].material_seq", i)
		ml, ok := lines[n.MaterialSeq]
		if !ok {
			return v, lineNotOnBook(v.Book, n.MaterialSeq, f)
		}
		if ml.Type != codes.GoodsMaterial {
			return v, ledger.Invalid(ReasonWrongLineType, f, "line %d is %s, not a material (料件) line", n.MaterialSeq, strings.ToLower(string(ml.Type)))
		}
	}
	slices.SortFunc(v.Norms, func(a, b Norm) int { return a.MaterialSeq - b.MaterialSeq })
	var out Version
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		all, err := loadVersions(ctx, tx, v.Book, v.FinishedSeq, true)
		if err != nil {
			return err
		}
		var old *Version
		for i := range all {
			if all[i].Version == v.Version {
				old = &all[i]
			}
		}
		if old != nil {
			if old.EffectiveDate.Equal(v.EffectiveDate) && reflect.DeepEqual(normsKey(old.Norms), normsKey(v.Norms)) {
				out = *old
				return nil
			}
			if old.Locked() {
				return ledger.Precondition(ReasonVersionLocked, "version", "version %s of line %d was used by report %s; a used version cannot change: file a new version with a later effective date to supersede it", v.Version, v.FinishedSeq, old.UsedBy)
			}
			list, err := s.zone.ListNamingVersion(ctx, tx, v.Book, v.FinishedSeq, v.Version)
			if err != nil {
				return err
			}
			if list != "" {
				return ledger.Precondition(ReasonVersionLocked, "version", "version %s of line %d is named by declared list %s; it cannot change: file a new version with a later effective date to supersede it", v.Version, v.FinishedSeq, list)
			}
		}
		// The good's versions in order of effective date, without this one.
		var others []Version
		for _, o := range all {
			if o.Version != v.Version {
				others = append(others, o)
			}
		}
		var prev, next *Version
		for i := range others {
			o := &others[i]
			switch {
			case o.EffectiveDate.Equal(v.EffectiveDate):
				return ledger.Precondition(ReasonVersionDate, "effective_date", "version %s of line %d already takes effect on %s; give each version its own effective date", o.Version, v.FinishedSeq, ledger.FormatDate(o.EffectiveDate))
			case o.EffectiveDate.Before(v.EffectiveDate):
				prev = o
			case next == nil:
				next = o
			}
		}
		if old == nil && next != nil {
			return ledger.Precondition(ReasonVersionDate, "effective_date", "version %s of line %d takes effect later (%s); a new version takes effect after the good's latest one", next.Version, v.FinishedSeq, ledger.FormatDate(next.EffectiveDate))
		}
		if old != nil && (next == nil && old.SupersededBy != "" || next != nil && next.Version != old.SupersededBy || prev != nil && prev.SupersededBy != v.Version) {
			return ledger.Precondition(ReasonVersionDate, "effective_date", "version %s of line %d would move past another version; a changed version keeps its place among the good's versions", v.Version, v.FinishedSeq)
		}
		if prev != nil && prev.Locked() && !v.EffectiveDate.After(prev.UsedThrough) {
			return ledger.Precondition(ReasonVersionDate, "effective_date", "version %s of line %d was used through %s; the version superseding it takes effect after that day", prev.Version, v.FinishedSeq, ledger.FormatDate(prev.UsedThrough))
		}
		nv := v
		nv.Enterprise, nv.FiledBy, nv.CreatedAt = b.Enterprise, p.ID, s.clock()
		nv.Status, nv.UsedBy, nv.UsedThrough, nv.DeclaredAt = VersionDraft, "", time.Time{}, time.Time{}
		nv.SupersededBy, nv.SupersededFrom = "", time.Time{}
		if old != nil {
			nv.Status, nv.DeclaredAt, nv.CreatedAt = old.Status, old.DeclaredAt, old.CreatedAt
		}
		if next != nil {
			nv.SupersededBy, nv.SupersededFrom = next.Version, next.EffectiveDate
		}
		if err := saveVersion(ctx, tx, nv, old == nil); err != nil {
			return err
		}
		if prev != nil {
			prev.SupersededBy, prev.SupersededFrom = nv.Version, nv.EffectiveDate
			if err := saveVersion(ctx, tx, *prev, false); err != nil {
				return err
			}
		}
		out = nv
		return nil
	})
	return out, err
}

// normsKey is what a retry must repeat of the norms: the figures given.
func normsKey(ns []Norm) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprintf("%d|%s|%s|%s", n.MaterialSeq, n.Net.String(), n.LossPercent.String(), n.BondedPercent.String())
	}
	return out
}

// DeclareVersion declares a version to customs (单耗申报): DRAFT becomes
// DECLARED. The book's owner enterprise declares; declaring a declared
// version again returns it.
func (s *Service) DeclareVersion(ctx context.Context, p access.Principal, book string, finishedSeq int, version string) (Version, error) {
	if _, err := s.writeBook(ctx, p, book); err != nil {
		return Version{}, err
	}
	var out Version
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		v, err := loadVersion(ctx, tx, book, finishedSeq, version, true)
		if err != nil {
			return err
		}
		if v.Status != VersionDeclared {
			v.Status, v.DeclaredAt = VersionDeclared, s.clock()
			if err := saveVersion(ctx, tx, v, false); err != nil {
				return err
			}
		}
		out = v
		return nil
	})
	return out, err
}

// GetVersion returns one version of a good. Its owner and customs read it.
func (s *Service) GetVersion(ctx context.Context, p access.Principal, book string, finishedSeq int, version string) (Version, error) {
	if _, err := s.readBook(ctx, p, book); err != nil {
		return Version{}, err
	}
	v, err := loadVersion(ctx, s.pool, book, finishedSeq, version, false)
	return v, dbError(err)
}

// VersionPage names where a page of versions starts: after the version of
// good AfterSeq that takes effect on AfterDate (zero: from the start).
type VersionPage struct {
	AfterSeq  int
	AfterDate time.Time
	// Limit is the page size; zero means zone.DefaultPage, at most
	// zone.MaxPage.
	Limit int
	// UsedNotDeclared keeps only the versions production used that are
	// still drafts: under 四自一简 they must be declared before write-off.
	UsedNotDeclared bool
}

// ListVersions pages the versions of a book, of one good when
// finishedSeq > 0, by good and effective date. Its owner and customs read
// them.
func (s *Service) ListVersions(ctx context.Context, p access.Principal, book string, finishedSeq int, pg VersionPage) ([]Version, error) {
	if _, err := s.readBook(ctx, p, book); err != nil {
		return nil, err
	}
	if pg.Limit <= 0 || pg.Limit > zone.MaxPage {
		pg.Limit = zone.DefaultPage
	}
	if pg.AfterDate.IsZero() {
		pg.AfterDate = ledger.EarliestEffectiveDate.AddDate(-1, 0, 0)
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM proc_versions WHERE book = $1 AND ($2 = 0 OR finished_seq = $2) AND (finished_seq, effective_date) > ($3, $4)
AND (NOT $6 OR (status = $7 AND used_by <> '')) ORDER BY finished_seq, effective_date LIMIT $5`, book, finishedSeq, pg.AfterSeq, ledger.Day(pg.AfterDate), pg.Limit,
		pg.UsedNotDeclared, string(VersionDraft))
	if err != nil {
		return nil, dbError(err)
	}
	out, err := pgx.CollectRows(rows, scanVersion)
	return out, dbError(err)
}

// VersionInForce returns the version of a good in force on day.
func (s *Service) VersionInForce(ctx context.Context, p access.Principal, book string, finishedSeq int, day time.Time) (Version, error) {
	if _, err := s.readBook(ctx, p, book); err != nil {
		return Version{}, err
	}
	all, err := loadVersions(ctx, s.pool, book, finishedSeq, false)
	if err != nil {
		return Version{}, dbError(err)
	}
	return inForce(all, book, finishedSeq, ledger.Day(day), "", "finished_seq")
}

// inForce picks the version of a good in force on day out of its versions;
// named, when given, must be that one.
func inForce(all []Version, book string, finishedSeq int, day time.Time, named, field string) (Version, error) {
	for _, v := range all {
		if v.InForce(day) {
			if named != "" && named != v.Version {
				return v, ledger.Precondition(ReasonNoVersionInForce, field, "version %s of line %d is in force on %s, not version %s", v.Version, finishedSeq, ledger.FormatDate(day), named)
			}
			return v, nil
		}
	}
	return Version{}, ledger.Precondition(ReasonNoVersionInForce, field, "no unit consumption version of line %d of book %s is in force on %s; file one (PutVersion) taking effect on or before that day", finishedSeq, book, ledger.FormatDate(day))
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func scanVersion(row pgx.CollectableRow) (Version, error) {
	var body string
	if err := row.Scan(&body); err != nil {
		return Version{}, err
	}
	var v Version
	return v, json.Unmarshal([]byte(body), &v)
}

// loadVersions returns a good's versions by effective date.
func loadVersions(ctx context.Context, q querier, book string, finishedSeq int, forUpdate bool) ([]Version, error) {
	sql := `SELECT body FROM proc_versions WHERE book = $1 AND finished_seq = $2 ORDER BY effective_date`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, book, finishedSeq)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanVersion)
}

func loadVersion(ctx context.Context, q querier, book string, finishedSeq int, version string, forUpdate bool) (Version, error) {
	sql := `SELECT body FROM proc_versions WHERE book = $1 AND finished_seq = $2 AND version = $3`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, book, finishedSeq, version)
	if err != nil {
		return Version{}, err
	}
	v, err := pgx.CollectExactlyOneRow(rows, scanVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, ledger.NotFound(ReasonUnknownVersion, "version", "line %d of book %s has no unit consumption version %q", finishedSeq, book, version)
	}
	return v, err
}

func saveVersion(ctx context.Context, tx pgx.Tx, v Version, insert bool) error {
	seq, err := zone.TakeChange(ctx, tx, v.Book)
	if err != nil {
		return err
	}
	sql := `UPDATE proc_versions SET effective_date = $4, status = $5, used_by = $6, body = $7, enterprise = $8, change_seq = $9 WHERE book = $1 AND finished_seq = $2 AND version = $3`
	if insert {
		sql = `INSERT INTO proc_versions (book, finished_seq, version, effective_date, status, used_by, body, enterprise, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	}
	_, err = tx.Exec(ctx, sql, v.Book, v.FinishedSeq, v.Version, v.EffectiveDate, string(v.Status), v.UsedBy, mustJSON(v), v.Enterprise, seq)
	return err
}

// CheckListVersions implements zone.VersionChecker: each version a line
// of a list about to be declared names must be a declared version of that
// line (a version is declared before the goods leave). Once the list is
// declared the version is locked: PutVersion refuses to change a version
// a declared list names.
func (s *Service) CheckListVersions(ctx context.Context, l zone.List) error {
	for i, ln := range l.Lines {
		if ln.ConsumptionVersion == "" {
			continue
		}
		f := fmt.Sprintf("lines[%d].consumption_version", i)
		v, err := loadVersion(ctx, s.pool, l.Book, ln.BookSeq, ln.ConsumptionVersion, false)
		if isReason(err, ReasonUnknownVersion) {
			return ledger.NotFound(ReasonUnknownVersion, f, "line %d of book %s has no unit consumption version %q; file and declare it first", ln.BookSeq, l.Book, ln.ConsumptionVersion)
		}
		if err != nil {
			return dbError(err)
		}
		if v.Status != VersionDeclared {
			return ledger.Precondition(ReasonVersionNotDeclared, f, "version %s of line %d is a draft; declare it (DeclareVersion) before the goods leave", v.Version, ln.BookSeq)
		}
	}
	return nil
}

func isReason(err error, reason string) bool {
	var le *ledger.Error
	return errors.As(err, &le) && le.Reason == reason
}
