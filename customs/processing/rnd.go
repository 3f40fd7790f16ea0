package processing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Stable reasons of bonded R&D's refusals.
const (
	// ReasonNotRndBook: R&D projects and uses are kept on a bonded R&D
	// book (setting RndBooks).
	ReasonNotRndBook = "NOT_AN_RND_BOOK"
	// ReasonUnknownProject: the book has no such R&D project.
	ReasonUnknownProject = "UNKNOWN_RND_PROJECT"
	// ReasonProjectClosed: the R&D project is closed; it takes no more
	// uses.
	ReasonProjectClosed = "RND_PROJECT_CLOSED"
	// ReasonOutsideProjectTerm: a use dated before the project's start or
	// after its end.
	ReasonOutsideProjectTerm = "OUTSIDE_RND_PROJECT_TERM"
)

// Which books keep bonded R&D (setting RndBooks).
const (
	// RndBooksRnd: only bonded R&D books (codes.BookRND).
	RndBooksRnd = "rnd"
	// RndBooksAny: bonded R&D books and zone (H) books.
	RndBooksAny = "any"
)

// DocumentRndUse is the ledger document type of an R&D use's journal.
const DocumentRndUse = "RND_USE"

// ProjectStatus is whether an R&D project takes uses.
type ProjectStatus string

// The project statuses.
const (
	// ProjectOpen takes uses.
	ProjectOpen ProjectStatus = "OPEN"
	// ProjectClosed takes no more uses; its figures stay readable.
	ProjectClosed ProjectStatus = "CLOSED"
)

// Project is an R&D project (研发项目) of a bonded R&D book: the unit the
// enterprise reports its actual R&D use (研发耗用) against.
type Project struct {
	Book string
	// Code is the enterprise's project code, unique on the book: 1 to 32
	// letters, digits, '-' or '_'.
	Code       string
	Name       string
	Enterprise string
	// Start is the project's first day; zero when filing means today.
	Start time.Time
	// End is its last day; zero means open-ended.
	End       time.Time
	Status    ProjectStatus
	FiledBy   string
	CreatedAt time.Time
}

// RndOutputKind is what an R&D use made.
type RndOutputKind string

// The kinds of R&D outputs, kept on their lot (attribute "category").
const (
	// RndPrototype is a prototype (样机).
	RndPrototype RndOutputKind = "PROTOTYPE"
	// RndSample is a sample (样品).
	RndSample RndOutputKind = "SAMPLE"
	// RndScrap is R&D scrap (研发边角料), which follows the 边角料 rules.
	RndScrap RndOutputKind = "SCRAP"
)

// Valid reports whether k is one of the output kinds.
func (k RndOutputKind) Valid() bool {
	return k == RndPrototype || k == RndSample || k == RndScrap
}

// RndUse is an R&D use (研发耗用) the enterprise reports for one project
// under 四自一简 (自主核定耗用): the bonded materials actually used — no
// unit consumption applies — and the prototypes, samples and scrap made.
type RndUse struct {
	// No is the zone's number: "YF" + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	Project    string
	// Date is the business date; zero when filing means today.
	Date time.Time
	// Materials are the bonded materials used (料件 lines only: the
	// book's equipment is held apart and never consumed).
	Materials []RndMaterial
	// Outputs are the prototypes, samples and scrap made, as new lots.
	Outputs    []RndOutput
	JournalIDs []int64
	FiledBy    string
	CreatedAt  time.Time
	InputHash  string
}

// RndMaterial is a bonded material an R&D use consumed.
type RndMaterial struct {
	BookSeq int
	// Quantity in the line's declared unit, at its scale, > 0.
	Quantity decimal.Decimal
	// Lot names the lot to take; empty: oldest first.
	Lot string
	// Lots are the lots taken. Derived.
	Lots []zone.LotQuantity
}

// RndOutput is goods an R&D use made.
type RndOutput struct {
	BookSeq  int
	Quantity decimal.Decimal
	// Value is the lot's carrying value in CNY (>= 0, to the fen).
	Value decimal.Decimal
	Kind  RndOutputKind
	// Lot is the lot formed: the use's number + "-" + its position.
	// Derived.
	Lot string
}

// ProjectUsage is what a project's uses consumed and made so far, per
// book line.
type ProjectUsage struct {
	Project  Project
	Uses     int
	Consumed []LineTotal
	Made     []LineTotal
}

// LineTotal is a quantity of one book line (and, for outputs, one kind).
type LineTotal struct {
	BookSeq  int
	Kind     RndOutputKind `json:",omitempty"`
	Quantity decimal.Decimal
}

// rndBook returns a book p files R&D on: its owner's, open, and of a kind
// the settings keep R&D on.
func (s *Service) rndBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := s.writeBook(ctx, p, no)
	if err != nil {
		return b, err
	}
	if b.Kind != codes.BookRND && !(s.set.RndBooks == RndBooksAny && b.Kind == codes.BookZone) {
		return b, ledger.Precondition(ReasonNotRndBook, "book_no", "book %s is a %s book; bonded R&D is kept on a bonded R&D book (kind RND) in this zone (setting processing.rnd_books = %q)", no, strings.ToLower(string(b.Kind)), s.set.RndBooks)
	}
	return b, nil
}

func checkProjectCode(code string) error {
	if code == "" || len(code) > 32 {
		return ledger.BadArgument("project", "a project code is 1 to 32 letters, digits, '-' or '_'")
	}
	for _, c := range code {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return ledger.BadArgument("project", "a project code is 1 to 32 letters, digits, '-' or '_', got %q", code)
		}
	}
	return nil
}

// FileProject files an R&D project on a bonded R&D book. The book's owner
// enterprise files; filing the same project again returns it, another
// project under the code is refused (DUPLICATE_DOCUMENT_NUMBER).
func (s *Service) FileProject(ctx context.Context, p access.Principal, pr Project) (Project, error) {
	pr.Book, pr.Code, pr.Name = strings.TrimSpace(pr.Book), strings.TrimSpace(pr.Code), strings.TrimSpace(pr.Name)
	if err := checkProjectCode(pr.Code); err != nil {
		return pr, err
	}
	if pr.Name == "" || len(pr.Name) > 200 {
		return pr, ledger.BadArgument("name", "a project has a name of at most 200 bytes")
	}
	if pr.Start.IsZero() {
		pr.Start = s.today()
	}
	pr.Start = ledger.Day(pr.Start)
	if pr.Start.Before(ledger.EarliestEffectiveDate) {
		return pr, ledger.Invalid(ledger.ReasonDateOutOfRange, "start", "a project starts on or after %s", ledger.FormatDate(ledger.EarliestEffectiveDate))
	}
	if !pr.End.IsZero() {
		pr.End = ledger.Day(pr.End)
		if pr.End.Before(pr.Start) {
			return pr, ledger.Invalid(ledger.ReasonDateOutOfRange, "end", "the project ends (%s) before it starts (%s)", ledger.FormatDate(pr.End), ledger.FormatDate(pr.Start))
		}
	}
	b, err := s.rndBook(ctx, p, pr.Book)
	if err != nil {
		return pr, err
	}
	pr.Enterprise, pr.Status = b.Enterprise, ProjectOpen
	var out Project
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, found, err := projectOf(ctx, tx, pr.Book, pr.Code, false)
		if err != nil {
			return err
		}
		if found {
			out = old
			if old.Name != pr.Name || !old.Start.Equal(pr.Start) || !old.End.Equal(pr.End) {
				return ledger.Conflict(zone.ReasonDuplicateDocument, "project", "book %s already has project %s (%s); use a new code", pr.Book, pr.Code, old.Name)
			}
			return nil
		}
		c := pr
		c.FiledBy, c.CreatedAt = p.ID, s.clock()
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_rnd_projects (book, code, enterprise, body, change_seq) VALUES ($1, $2, $3, $4, $5)`, c.Book, c.Code, c.Enterprise, mustJSON(c), seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// CloseProject closes an R&D project: it takes no more uses. Closing a
// closed project returns it.
func (s *Service) CloseProject(ctx context.Context, p access.Principal, book, code string) (Project, error) {
	if _, err := s.rndBook(ctx, p, book); err != nil {
		return Project{}, err
	}
	var out Project
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		pr, found, err := projectOf(ctx, tx, book, code, true)
		if err != nil {
			return err
		}
		if !found {
			return ledger.NotFound(ReasonUnknownProject, "project", "book %s has no R&D project %q; file it first", book, code)
		}
		out = pr
		if pr.Status == ProjectClosed {
			return nil
		}
		out.Status = ProjectClosed
		seq, err := zone.TakeChange(ctx, tx, book)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE proc_rnd_projects SET body = $3, change_seq = $4 WHERE book = $1 AND code = $2`, book, code, mustJSON(out), seq)
		return err
	})
	return out, err
}

// GetProject returns an R&D project with what its uses consumed and made.
// The owner enterprise and customs read it.
func (s *Service) GetProject(ctx context.Context, p access.Principal, book, code string) (ProjectUsage, error) {
	if _, err := s.readBook(ctx, p, book); err != nil {
		return ProjectUsage{}, err
	}
	pr, found, err := projectOf(ctx, s.pool, book, code, false)
	if err != nil {
		return ProjectUsage{}, dbError(err)
	}
	if !found {
		return ProjectUsage{}, ledger.NotFound(ReasonUnknownProject, "project", "book %s has no R&D project %q", book, code)
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM proc_rnd_uses WHERE book = $1 AND project = $2 ORDER BY no`, book, code)
	if err != nil {
		return ProjectUsage{}, dbError(err)
	}
	uses, err := pgx.CollectRows(rows, scanJSON[RndUse])
	if err != nil {
		return ProjectUsage{}, dbError(err)
	}
	return usageOf(pr, uses), nil
}

// usageOf sums a project's uses per material line and per output line and
// kind.
func usageOf(pr Project, uses []RndUse) ProjectUsage {
	out := ProjectUsage{Project: pr, Uses: len(uses)}
	consumed := map[int]decimal.Decimal{}
	type lk struct {
		seq  int
		kind RndOutputKind
	}
	made := map[lk]decimal.Decimal{}
	for _, u := range uses {
		for _, m := range u.Materials {
			consumed[m.BookSeq] = consumed[m.BookSeq].Add(m.Quantity)
		}
		for _, o := range u.Outputs {
			k := lk{o.BookSeq, o.Kind}
			made[k] = made[k].Add(o.Quantity)
		}
	}
	for seq, q := range consumed {
		out.Consumed = append(out.Consumed, LineTotal{BookSeq: seq, Quantity: q})
	}
	for k, q := range made {
		out.Made = append(out.Made, LineTotal{BookSeq: k.seq, Kind: k.kind, Quantity: q})
	}
	byLine := func(a, b LineTotal) int {
		if a.BookSeq != b.BookSeq {
			return a.BookSeq - b.BookSeq
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	}
	slices.SortFunc(out.Consumed, byLine)
	slices.SortFunc(out.Made, byLine)
	return out
}

// projectOf reads a project, locked when lock is set.
func projectOf(ctx context.Context, q querier, book, code string, lock bool) (Project, bool, error) {
	sql := `SELECT body FROM proc_rnd_projects WHERE book = $1 AND code = $2`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, book, code)
	if err != nil {
		return Project{}, false, err
	}
	pr, err := pgx.CollectExactlyOneRow(rows, scanJSON[Project])
	if errors.Is(err, pgx.ErrNoRows) {
		return pr, false, nil
	}
	return pr, err == nil, err
}

// checkUse validates a use's lines against the book's: materials are 料件
// lines (equipment is held apart), outputs are not equipment, quantities
// at each line's scale.
func checkUse(u *RndUse, lines map[int]zone.BookLine) error {
	seen := map[int]bool{}
	for i, m := range u.Materials {
		f := fmt.Sprintf("materials[%d]", i)
		l, ok := lines[m.BookSeq]
		if !ok {
			return lineNotOnBook(u.Book, m.BookSeq, f+".book_seq")
		}
		if l.Type != codes.GoodsMaterial {
			return ledger.Invalid(ReasonWrongLineType, f+".book_seq", "line %d is %s, not an R&D material (料件) line; R&D equipment is held apart and never consumed", m.BookSeq, strings.ToLower(string(l.Type)))
		}
		if seen[m.BookSeq] {
			return ledger.BadArgument(f+".book_seq", "material line %d is named twice", m.BookSeq)
		}
		seen[m.BookSeq] = true
		if err := checkQuantity(m.Quantity, l, f+".quantity", false); err != nil {
			return err
		}
		if len(m.Lot) > 64 {
			return ledger.BadArgument(f+".lot", "a lot name has at most 64 characters")
		}
	}
	for i, o := range u.Outputs {
		f := fmt.Sprintf("outputs[%d]", i)
		l, err := goodsLine(lines, u.Book, o.BookSeq, f+".book_seq", "R&D makes prototypes, samples and scrap on finished or material lines")
		if err != nil {
			return err
		}
		if !o.Kind.Valid() {
			return ledger.BadArgument(f+".kind", "%q is not an R&D output; use PROTOTYPE, SAMPLE or SCRAP", o.Kind)
		}
		if err := checkQuantity(o.Quantity, l, f+".quantity", false); err != nil {
			return err
		}
		if o.Value.IsNegative() || ledger.Places(o.Value) > ledger.ValueScale {
			return ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen, got %s", o.Value)
		}
	}
	return nil
}

// FileRndUse books an R&D use for a project: the bonded materials the
// enterprise reports it actually used leave the book to the world account
// consumed (the named lot, else oldest first; their lots are marked
// consumed), and the prototypes, samples and scrap made enter it as new
// lots produced in the zone (flow PRODUCED, category = the kind, project),
// in one transaction with the use. InnerNo is the idempotency key. A
// material that would go below zero is refused
// (INSUFFICIENT_BONDED_STOCK, materials[i].quantity) and nothing is
// booked.
func (s *Service) FileRndUse(ctx context.Context, p access.Principal, u RndUse) (RndUse, error) {
	u.InnerNo, u.Book, u.Project = strings.TrimSpace(u.InnerNo), strings.TrimSpace(u.Book), strings.TrimSpace(u.Project)
	if u.InnerNo == "" || len(u.InnerNo) > 64 {
		return u, ledger.BadArgument("inner_no", "the enterprise's own use number is required, at most 64 characters")
	}
	if err := checkProjectCode(u.Project); err != nil {
		return u, err
	}
	if len(u.Materials) == 0 || len(u.Materials) > MaxReportLines {
		return u, ledger.BadArgument("materials", "an R&D use consumes 1 to %d materials", MaxReportLines)
	}
	if len(u.Outputs) > MaxReportLines {
		return u, ledger.BadArgument("outputs", "an R&D use makes at most %d outputs", MaxReportLines)
	}
	var err error
	if u.Date, err = s.documentDate(u.Date, "use"); err != nil {
		return u, err
	}
	b, err := s.rndBook(ctx, p, u.Book)
	if err != nil {
		return u, err
	}
	var seqs []int
	for _, m := range u.Materials {
		seqs = append(seqs, m.BookSeq)
	}
	for _, o := range u.Outputs {
		seqs = append(seqs, o.BookSeq)
	}
	lines, err := s.lines(ctx, p, u.Book, seqs)
	if err != nil {
		return u, err
	}
	if err := checkUse(&u, lines); err != nil {
		return u, err
	}
	h := u
	h.No, h.Enterprise, h.FiledBy, h.CreatedAt, h.JournalIDs, h.InputHash = "", "", "", time.Time{}, nil, ""
	u.InputHash = digest(h)
	var out RndUse
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j journals) error {
		rows, err := tx.Query(ctx, `SELECT body FROM proc_rnd_uses WHERE enterprise = $1 AND inner_no = $2`, b.Enterprise, u.InnerNo)
		if err != nil {
			return err
		}
		old, err := pgx.CollectExactlyOneRow(rows, scanJSON[RndUse])
		if err == nil {
			out = old
			if old.InputHash != u.InputHash {
				return ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for R&D use %s; use a new number", u.InnerNo, old.No)
			}
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		pr, found, err := projectOf(ctx, tx, u.Book, u.Project, false)
		if err != nil {
			return err
		}
		if !found {
			return ledger.NotFound(ReasonUnknownProject, "project", "book %s has no R&D project %q; file it first", u.Book, u.Project)
		}
		if pr.Status != ProjectOpen {
			return ledger.Precondition(ReasonProjectClosed, "project", "R&D project %s is closed and takes no more uses", u.Project)
		}
		if !s.set.RndUseOutsideTerm && (u.Date.Before(pr.Start) || !pr.End.IsZero() && u.Date.After(pr.End)) {
			end := "open-ended"
			if !pr.End.IsZero() {
				end = ledger.FormatDate(pr.End)
			}
			return ledger.Precondition(ReasonOutsideProjectTerm, "date", "R&D project %s runs from %s to %s; date the use within it (setting processing.rnd_use_outside_term)", u.Project, ledger.FormatDate(pr.Start), end)
		}
		c := u
		c.Materials, c.Outputs = slices.Clone(u.Materials), slices.Clone(u.Outputs)
		c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
		if c.No, err = nextNumber(ctx, tx, "YF", c.Book, c.Date); err != nil {
			return err
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: "rnd-use:" + c.Enterprise + ":" + c.InnerNo, EffectiveDate: c.Date,
			Document: ledger.Document{Type: DocumentRndUse, Number: c.No}, Principal: c.FiledBy, Metadata: map[string]string{"project": c.Project}}
		var fields []string
		for i, m := range c.Materials {
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: c.Book, Code: strconv.Itoa(m.BookSeq)},
				From: ledger.In(c.Book, zone.AccountBonded), To: ledger.World(zone.WorldConsumed), Quantity: m.Quantity, Unit: lines[m.BookSeq].DeclaredUnit, Lot: m.Lot})
			fields = append(fields, fmt.Sprintf("materials[%d].quantity", i))
		}
		for i, o := range c.Outputs {
			c.Outputs[i].Lot = c.No + "-" + strconv.Itoa(i+1)
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: c.Book, Code: strconv.Itoa(o.BookSeq)},
				From: ledger.World(zone.WorldProduction), To: ledger.In(c.Book, zone.AccountBonded), Quantity: o.Quantity, Unit: lines[o.BookSeq].DeclaredUnit,
				Value: o.Value, Lot: c.Outputs[i].Lot, LotAttributes: map[string]string{"flow": FlowProduced, "source_report": c.No,
					"entry_date": ledger.FormatDate(c.Date), "enterprise": c.Enterprise, "category": string(o.Kind), "project": c.Project}})
			fields = append(fields, fmt.Sprintf("outputs[%d].quantity", i))
		}
		results, err := j.PostMany(ctx, split(req))
		if err != nil {
			return err
		}
		var postings []ledger.Posting
		for k, res := range results {
			if res.Err != nil {
				return refusal(res.Err, k*ledger.MaxPostings, req, fields)
			}
			c.JournalIDs = append(c.JournalIDs, res.Journal.ID)
			postings = append(postings, res.Journal.Postings...)
		}
		for i := range c.Materials {
			var lots []string
			for _, g := range postings[i].Legs {
				c.Materials[i].Lots = append(c.Materials[i].Lots, zone.LotQuantity{Lot: g.Lot, Quantity: g.Quantity})
				lots = append(lots, g.Lot)
			}
			if err := s.zone.MarkLotsConsumed(ctx, tx, c.Book, c.Materials[i].BookSeq, lots, c.No); err != nil {
				return err
			}
		}
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_rnd_uses (no, enterprise, inner_no, book, project, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, c.Project, mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// GetRndUse returns an R&D use. Its owner and customs read it.
func (s *Service) GetRndUse(ctx context.Context, p access.Principal, no string) (RndUse, error) {
	return readable(ctx, s.pool, p, "proc_rnd_uses", no, func(u RndUse) string { return u.Enterprise },
		ledger.NotFound(zone.ReasonUnknownDocument, "use_no", "there is no R&D use %q", no))
}
