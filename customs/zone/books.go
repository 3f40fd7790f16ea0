package zone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// Limits on registry fields.
const (
	MaxNameLength  = 200
	MaxLinesPerDoc = 1000
	DefaultPage    = 100
	MaxPage        = 1000
)

// RegisterEnterprise records a zone enterprise. Admin or customs only. A
// retry with the same fields returns the enterprise; different fields for a
// registered USCC or customs code are refused with ENTERPRISE_EXISTS.
func (s *Service) RegisterEnterprise(ctx context.Context, p access.Principal, e Enterprise) (Enterprise, error) {
	if p.Role != access.RoleAdmin && p.Role != access.RoleCustoms {
		return Enterprise{}, ledger.Denied("only an admin or customs registers enterprises; principal %q is %s", p.ID, p.Role)
	}
	e.USCC, e.CustomsCode, e.Name = strings.TrimSpace(e.USCC), strings.TrimSpace(e.CustomsCode), strings.TrimSpace(e.Name)
	if err := codes.CheckUSCC(e.USCC); err != nil {
		return Enterprise{}, ledger.Invalid(ReasonInvalidUSCC, "uscc", "%v", err)
	}
	if err := codes.CheckCustomsCode(e.CustomsCode); err != nil {
		return Enterprise{}, ledger.BadArgument("customs_code", "%v", err)
	}
	if e.Name == "" || utf8.RuneCountInString(e.Name) > MaxNameLength {
		return Enterprise{}, ledger.BadArgument("name", "is required, at most %d characters", MaxNameLength)
	}
	if e.Credit == "" {
		e.Credit = codes.CreditGeneral
	}
	if !e.Credit.Valid() {
		return Enterprise{}, ledger.BadArgument("credit_rating", "%q is not a credit rating; use ADVANCED, GENERAL or DISCREDITED", e.Credit)
	}
	e.Suspended = false
	e.CreatedAt = s.clock()
	var out Enterprise
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := loadEnterprise(ctx, tx, e.USCC)
		if err == nil {
			if old.CustomsCode == e.CustomsCode && old.Name == e.Name && old.Credit == e.Credit {
				out = old
				return nil
			}
			return ledger.Conflict(ReasonEnterpriseExists, "uscc", "enterprise %s is already registered with other details; change it instead", e.USCC)
		}
		if !isReason(err, ReasonUnknownEnterprise) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM zone_enterprises WHERE customs_code = $1`, e.CustomsCode).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ledger.Conflict(ReasonEnterpriseExists, "customs_code", "customs code %s belongs to another enterprise", e.CustomsCode)
		}
		b, _ := json.Marshal(e)
		if _, err := tx.Exec(ctx, `INSERT INTO zone_enterprises (uscc, customs_code, body, created_at) VALUES ($1, $2, $3, $4)`, e.USCC, e.CustomsCode, string(b), e.CreatedAt); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// SetEnterpriseSuspended suspends an enterprise or lifts the suspension.
// Customs only. While suspended its books take no filings and nothing is
// transferred to them.
func (s *Service) SetEnterpriseSuspended(ctx context.Context, p access.Principal, uscc string, suspended bool) (Enterprise, error) {
	if err := mustBeCustoms(p, "suspend enterprises"); err != nil {
		return Enterprise{}, err
	}
	var out Enterprise
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := loadEnterprise(ctx, tx, uscc)
		if err != nil {
			return err
		}
		e.Suspended = suspended
		if err := saveEnterprise(ctx, tx, e); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// saveEnterprise writes an enterprise's changed record: the one place an
// enterprise is updated (TestOnlySaveEnterpriseUpdatesAnEnterprise). The
// enterprise is a record of each of its books' evidence, so each of its
// books takes a change number, in book order, in the same transaction, or
// the books' next seals would miss the change.
func saveEnterprise(ctx context.Context, tx pgx.Tx, e Enterprise) error {
	b, _ := json.Marshal(e)
	if _, err := tx.Exec(ctx, `UPDATE zone_enterprises SET body = $2 WHERE uscc = $1`, e.USCC, string(b)); err != nil {
		return err
	}
	books, err := EnterpriseBooks(ctx, tx, e.USCC)
	if err != nil {
		return err
	}
	for _, no := range books {
		if _, err := tx.Exec(ctx, nextChange+`UPDATE zone_books SET enterprise_change_seq = (SELECT seq FROM ch) WHERE no = $1`, no); err != nil {
			return err
		}
	}
	return nil
}

// GetEnterprise returns one enterprise. Anyone who may read its books may
// read it.
func (s *Service) GetEnterprise(ctx context.Context, p access.Principal, uscc string) (Enterprise, error) {
	if p.Role != access.RoleAdmin {
		if err := canRead(p, uscc); err != nil {
			return Enterprise{}, err
		}
	}
	return loadEnterprise(ctx, s.pool, uscc)
}

// ListEnterprises pages the enterprises a principal may see, in USCC order.
func (s *Service) ListEnterprises(ctx context.Context, p access.Principal, after string, limit int) ([]Enterprise, error) {
	all, scope := readScope(p)
	if p.Role == access.RoleAdmin {
		all = true
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM zone_enterprises WHERE uscc > $1 AND ($3 OR uscc = ANY($4)) ORDER BY uscc LIMIT $2`, after, pageSize(limit), all, scope)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []Enterprise
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, dbError(err)
		}
		var e Enterprise
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, dbError(rows.Err())
}

func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPage
	}
	return min(limit, MaxPage)
}

func isReason(err error, reason string) bool {
	var le *ledger.Error
	return errors.As(err, &le) && le.Reason == reason
}

func loadEnterprise(ctx context.Context, q querier, uscc string) (Enterprise, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM zone_enterprises WHERE uscc = $1`, uscc).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return Enterprise{}, ledger.NotFound(ReasonUnknownEnterprise, "uscc", "enterprise %q is not registered in the zone; customs registers it first", uscc)
	}
	if err != nil {
		return Enterprise{}, err
	}
	var e Enterprise
	return e, json.Unmarshal([]byte(body), &e)
}

// CreateBook registers an account book and creates its ledger book. The
// enterprise itself (自主备案, 四自一简) or customs may; an enterprise rated
// 失信 may not register a new book itself (ENTERPRISE_DISCREDITED), only
// customs may for it. A retry with the same fields returns the book.
func (s *Service) CreateBook(ctx context.Context, p access.Principal, b Book) (Book, error) {
	b.No, b.Enterprise = strings.TrimSpace(b.No), strings.TrimSpace(b.Enterprise)
	if p.Role != access.RoleCustoms && !(p.Role == access.RoleEnterprise && p.Enterprise == b.Enterprise) {
		return Book{}, ledger.Denied("principal %q (%s) may not register books of enterprise %s", p.ID, p.Role, b.Enterprise)
	}
	if !b.Kind.Valid() {
		return Book{}, ledger.BadArgument("kind", "%q is not a book kind; use ZONE, LOGISTICS, RND or REPAIR", b.Kind)
	}
	if err := codes.CheckBookNumber(b.Kind, b.No); err != nil {
		return Book{}, ledger.Invalid(ReasonInvalidBookNumber, "book_no", "%v", err)
	}
	if err := codes.CheckCustomsOffice(b.CustomsOffice); err != nil {
		return Book{}, ledger.BadArgument("customs_office", "%v", err)
	}
	if b.WriteOffCycleMonths == 0 {
		b.WriteOffCycleMonths = 12
	}
	if b.WriteOffCycleMonths < 1 || b.WriteOffCycleMonths > 12 {
		return Book{}, ledger.BadArgument("write_off_cycle_months", "is %d; a write-off cycle is 1 to 12 months (核销周期原则上不超过一年)", b.WriteOffCycleMonths)
	}
	if len(b.Usage) > 8 {
		return Book{}, ledger.BadArgument("usage", "is a short usage code such as 1, 3 or 4")
	}
	b.Status = codes.BookExecuting
	b.CreatedAt = s.clock()
	var out Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		e, err := loadEnterprise(ctx, tx, b.Enterprise)
		if err != nil {
			return withField(err, "enterprise")
		}
		if e.Suspended {
			return ledger.Precondition(ReasonEnterpriseSuspended, "enterprise", "enterprise %s is suspended; it can register no books until customs lifts the suspension", e.USCC)
		}
		old, err := loadBook(ctx, tx, b.No)
		if err == nil {
			if old.Enterprise == b.Enterprise && old.Kind == b.Kind && old.CustomsOffice == b.CustomsOffice && old.Usage == b.Usage && old.WriteOffCycleMonths == b.WriteOffCycleMonths {
				out = old
				return nil
			}
			return ledger.Conflict(ReasonBookExists, "book_no", "book %s is already registered with other details", b.No)
		}
		if !isReason(err, ReasonUnknownBook) {
			return err
		}
		if p.Role != access.RoleCustoms {
			if err := selfFiling(e, "enterprise", "register book "+b.No); err != nil {
				return err
			}
		}
		body, _ := json.Marshal(b)
		if _, err := tx.Exec(ctx, nextChange+`INSERT INTO zone_books (no, enterprise, body, change_seq, enterprise_change_seq) VALUES ($1, $2, $3, (SELECT seq FROM ch), (SELECT seq FROM ch))`, b.No, b.Enterprise, string(body)); err != nil {
			return err
		}
		out = b
		return nil
	})
	if err != nil {
		return Book{}, err
	}
	// The ledger book is created after the row; CreateBook of an identical
	// ledger book is a no-op, so a retry after a crash in between completes it.
	_, err = s.ledger.CreateBook(ctx, ledger.Book{ID: out.No, Name: string(out.Kind) + " book of " + out.Enterprise, Owner: out.Enterprise, Accounts: Accounts(),
		Attributes: map[string]string{"kind": string(out.Kind), "customs_office": out.CustomsOffice, ledger.AttributeManagedBy: "customs/zone"}})
	if err != nil {
		return Book{}, err
	}
	return out, nil
}

// SetBookStatus suspends, resumes or closes a book. Customs only.
func (s *Service) SetBookStatus(ctx context.Context, p access.Principal, no string, status codes.BookStatus) (Book, error) {
	if err := mustBeCustoms(p, "change a book's status"); err != nil {
		return Book{}, err
	}
	if !status.Valid() {
		return Book{}, ledger.BadArgument("status", "%q is not a book status; use EXECUTING, SUSPENDED or CLOSED", status)
	}
	var out Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := loadBook(ctx, tx, no)
		if err != nil {
			return err
		}
		if b.Status == codes.BookClosed && status != codes.BookClosed {
			return ledger.Precondition(ReasonWrongStatus, "status", "book %s is closed; a closed book cannot be reopened", no)
		}
		b.Status = status
		body, _ := json.Marshal(b)
		if _, err := tx.Exec(ctx, nextChange+`UPDATE zone_books SET body = $2, change_seq = (SELECT seq FROM ch) WHERE no = $1`, no, string(body)); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// SetGeneralTaxpayer records whether a book's enterprise is a VAT
// general-taxpayer pilot enterprise (一纳企业, customs-reference §5.7) for
// the book: only then may it sell finished goods to the domestic market on
// 清单类型 9 lists. Customs only (the enterprise opts in with the tax and
// customs offices); setting the same value again returns the book.
func (s *Service) SetGeneralTaxpayer(ctx context.Context, p access.Principal, no string, on bool) (Book, error) {
	if err := mustBeCustoms(p, "set a book's 一纳 (VAT general-taxpayer) status"); err != nil {
		return Book{}, err
	}
	var out Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := loadBook(ctx, tx, no)
		if err != nil {
			return err
		}
		out = b
		if b.GeneralTaxpayer == on {
			return nil
		}
		b.GeneralTaxpayer = on
		body, _ := json.Marshal(b)
		if _, err := tx.Exec(ctx, nextChange+`UPDATE zone_books SET body = $2, change_seq = (SELECT seq FROM ch) WHERE no = $1`, no, string(body)); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, dbError(err)
}

// GetBook returns one book.
func (s *Service) GetBook(ctx context.Context, p access.Principal, no string) (Book, error) {
	b, err := loadBook(ctx, s.pool, no)
	if err != nil {
		return Book{}, dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(no)); err != nil {
		return Book{}, err
	}
	return b, nil
}

// ListBooks pages the books a principal may read, optionally of one
// enterprise, in number order.
func (s *Service) ListBooks(ctx context.Context, p access.Principal, enterprise, after string, limit int) ([]Book, error) {
	if enterprise != "" {
		if err := canRead(p, enterprise); err != nil {
			return nil, err
		}
	}
	all, scope := readScope(p)
	rows, err := s.pool.Query(ctx, `SELECT body, last_write_off_date FROM zone_books WHERE ($1 = '' OR enterprise = $1) AND no > $2 AND ($4 OR enterprise = ANY($5)) ORDER BY no LIMIT $3`, enterprise, after, pageSize(limit), all, scope)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []Book
	for rows.Next() {
		var body string
		var lwo *time.Time
		if err := rows.Scan(&body, &lwo); err != nil {
			return nil, dbError(err)
		}
		var b Book
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, err
		}
		if lwo != nil {
			b.LastWriteOffDate = *lwo
		}
		out = append(out, b)
	}
	return out, dbError(rows.Err())
}

func loadBook(ctx context.Context, q querier, no string) (Book, error) {
	var body string
	var lwo *time.Time
	err := q.QueryRow(ctx, `SELECT body, last_write_off_date FROM zone_books WHERE no = $1`, no).Scan(&body, &lwo)
	if errors.Is(err, pgx.ErrNoRows) {
		return Book{}, bookNotFound(no)
	}
	if err != nil {
		return Book{}, err
	}
	var b Book
	if lwo != nil {
		b.LastWriteOffDate = *lwo
	}
	return b, json.Unmarshal([]byte(body), &b)
}

// SetLastWriteOffDate records a book's most recent write-off date (最近核销
// 日期), from which 缓税利息 on goods taxed on their materials runs when it is
// later than their first import. The book's owner (under 四自一简 it sets
// its own write-off cycle and reports its write-off) or customs may set it;
// the date lies between 2000-01-01 and the zone's today. Setting the same
// date again returns the book.
func (s *Service) SetLastWriteOffDate(ctx context.Context, p access.Principal, no string, date time.Time) (Book, error) {
	if date.IsZero() {
		return Book{}, ledger.BadArgument("date", "give the write-off date, YYYY-MM-DD")
	}
	date = time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	if err := s.checkBusinessDate("date", date, 0); err != nil {
		return Book{}, err
	}
	var out Book
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := loadBook(ctx, tx, no)
		if err != nil {
			return err
		}
		if p.Role != access.RoleCustoms {
			if err := HideFrom(p, b.Enterprise, bookNotFound(no)); err != nil {
				return err
			}
			if p.Role != access.RoleEnterprise || p.Enterprise != b.Enterprise {
				return ledger.Denied("principal %q (%s) may not set the write-off date of book %s; its owner or customs does", p.ID, p.Role, no)
			}
		}
		if _, err := tx.Exec(ctx, nextChange+`UPDATE zone_books SET last_write_off_date = $2, change_seq = (SELECT seq FROM ch) WHERE no = $1`, no, date); err != nil {
			return err
		}
		b.LastWriteOffDate = date
		out = b
		return nil
	})
	return out, dbError(err)
}

// bookNotFound is the refusal of an unregistered book number.
func bookNotFound(no string) error {
	return ledger.NotFound(ReasonUnknownBook, "book_no", "book %q is not registered", no)
}

// filingBook loads a book for a filing: the principal must file for its
// enterprise, the book must be executing and the enterprise not suspended.
func filingBook(ctx context.Context, q querier, p access.Principal, no string) (Book, error) {
	b, err := loadBook(ctx, q, no)
	if err != nil {
		return b, err
	}
	if err := canFileHidden(p, b.Enterprise, bookNotFound(no)); err != nil {
		return b, err
	}
	return b, checkOpen(ctx, q, b, "book_no")
}

// registryBook loads a book for registering its lines or part numbers: the
// enterprise itself (自主备案, not when rated 失信) or customs; the book must
// be open.
func registryBook(ctx context.Context, q querier, p access.Principal, no string) (Book, error) {
	b, err := loadBook(ctx, q, no)
	if err != nil {
		return b, err
	}
	if p.Role != access.RoleCustoms || p.Disabled {
		if err := canFileHidden(p, b.Enterprise, bookNotFound(no)); err != nil {
			return b, err
		}
		e, err := loadEnterprise(ctx, q, b.Enterprise)
		if err != nil {
			return b, err
		}
		if err := selfFiling(e, "book_no", "file the lines of book "+no); err != nil {
			return b, err
		}
	}
	return b, checkOpen(ctx, q, b, "book_no")
}

// selfFiling refuses 自主备案 (self-filing a book or its lines) by an
// enterprise rated 失信: 四自一简 is open only to enterprises rated 一般信用
// or better (GACC 公告2019年第26号). Customs may still file for it.
func selfFiling(e Enterprise, field, what string) error {
	if e.Credit == codes.CreditDiscredited {
		return ledger.Precondition(ReasonDiscredited, field, "enterprise %s is rated 失信 (discredited) and may not %s itself: 自主备案 (四自一简, GACC 公告2019年第26号) is open only to enterprises rated 一般信用 or better; ask the competent customs to file it", e.USCC, what)
	}
	return nil
}

// checkOpen refuses a book that is not executing or whose enterprise is
// suspended.
func checkOpen(ctx context.Context, q querier, b Book, field string) error {
	if b.Status != codes.BookExecuting {
		return ledger.Precondition(ReasonBookNotExecuting, field, "book %s is %s; only an executing book accepts filings", b.No, strings.ToLower(string(b.Status)))
	}
	e, err := loadEnterprise(ctx, q, b.Enterprise)
	if err != nil {
		return err
	}
	if e.Suspended {
		return ledger.Precondition(ReasonEnterpriseSuspended, field, "enterprise %s, holder of book %s, is suspended by customs", e.USCC, b.No)
	}
	return nil
}

func withField(err error, field string) error {
	var le *ledger.Error
	if errors.As(err, &le) && le.Field == "" || errors.As(err, &le) && le.Field == "uscc" {
		c := *le
		c.Field = field
		return &c
	}
	return err
}

// AddBookLines registers lines (备案序号) on a book and their ledger items.
// Re-registering an identical line is a no-op; a different line under a
// used number is refused with BOOK_LINE_CONFLICT. All or nothing.
func (s *Service) AddBookLines(ctx context.Context, p access.Principal, book string, lines []BookLine) ([]BookLine, error) {
	if len(lines) == 0 || len(lines) > MaxLinesPerDoc {
		return nil, ledger.BadArgument("lines", "give 1 to %d lines", MaxLinesPerDoc)
	}
	seen := map[int]bool{}
	for i := range lines {
		l := &lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		l.Book = book
		if err := normalizeLine(l, f); err != nil {
			return nil, err
		}
		if seen[l.Seq] {
			return nil, ledger.BadArgument(f+".seq", "line %d is given twice", l.Seq)
		}
		seen[l.Seq] = true
	}
	var out []BookLine
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		out = out[:0]
		if _, err := registryBook(ctx, tx, p, book); err != nil {
			return err
		}
		for i, l := range lines {
			old, err := loadLine(ctx, tx, book, l.Seq)
			if err == nil {
				o, n := old, l
				o.PartNumbers, n.PartNumbers = nil, nil
				if !reflect.DeepEqual(mustJSON(o), mustJSON(n)) {
					return ledger.Conflict(ReasonLineConflict, fmt.Sprintf("lines[%d].seq", i), "book %s already has a different line %d; book lines are never changed in place", book, l.Seq)
				}
				out = append(out, old)
				continue
			}
			if !isReason(err, ReasonLineNotOnBook) {
				return err
			}
			l.PartNumbers = nil
			if _, err := tx.Exec(ctx, nextChange+`INSERT INTO zone_book_lines (book, seq, body, change_seq) VALUES ($1, $2, $3, (SELECT seq FROM ch))`, book, l.Seq, mustJSON(l)); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	items := make([]ledger.Item, len(out))
	for i, l := range out {
		items[i] = ledger.Item{Book: book, Code: strconv.Itoa(l.Seq), Unit: l.DeclaredUnit, Scale: l.Scale, Name: l.Name,
			Attributes: map[string]string{"hs_code": l.HSCode, "type": string(l.Type)}}
	}
	if _, err := s.ledger.RegisterItems(ctx, items); err != nil {
		return nil, err
	}
	return out, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func normalizeLine(l *BookLine, f string) error {
	if l.Seq < 1 {
		return ledger.BadArgument(f+".seq", "is %d; book line numbers start at 1", l.Seq)
	}
	if err := codes.CheckHSCode(l.HSCode); err != nil {
		return ledger.BadArgument(f+".hs_code", "%v", err)
	}
	l.Name = strings.TrimSpace(l.Name)
	if l.Name == "" || utf8.RuneCountInString(l.Name) > MaxNameLength {
		return ledger.BadArgument(f+".name", "is required, at most %d characters", MaxNameLength)
	}
	if utf8.RuneCountInString(l.Spec) > 1000 {
		return ledger.BadArgument(f+".spec", "is longer than 1000 characters")
	}
	if err := codes.CheckUnit(l.DeclaredUnit); err != nil {
		return ledger.BadArgument(f+".declared_unit", "%v", err)
	}
	if l.Scale < 0 || l.Scale > 5 {
		return ledger.BadArgument(f+".scale", "is %d; quantities take 0 to 5 decimal places", l.Scale)
	}
	if err := checkLegal(l.Legal, f+".legal"); err != nil {
		return err
	}
	if l.Second != nil {
		if err := checkLegal(*l.Second, f+".second"); err != nil {
			return err
		}
	}
	if l.Type == "" {
		l.Type = codes.GoodsMaterial
	}
	if !l.Type.Valid() {
		return ledger.BadArgument(f+".type", "%q is not a goods type; use MATERIAL, FINISHED or EQUIPMENT", l.Type)
	}
	return nil
}

func checkLegal(u LegalUnit, f string) error {
	if err := codes.CheckUnit(u.Unit); err != nil {
		return ledger.BadArgument(f+".unit", "%v", err)
	}
	if !u.Factor.IsPositive() {
		return ledger.BadArgument(f+".factor", "must be > 0: legal quantity = declared quantity × factor")
	}
	if ledger.Places(u.Factor) > 9 {
		return ledger.BadArgument(f+".factor", "takes at most 9 decimal places")
	}
	return nil
}

func loadLine(ctx context.Context, q querier, book string, seq int) (BookLine, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM zone_book_lines WHERE book = $1 AND seq = $2`, book, seq).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return BookLine{}, ledger.NotFound(ReasonLineNotOnBook, "", "line %d is not on book %s; register it on the book first", seq, book)
	}
	if err != nil {
		return BookLine{}, err
	}
	var l BookLine
	return l, json.Unmarshal([]byte(body), &l)
}

// MapPartNumbers maps enterprise part numbers (料号) onto book lines, many
// to one. Part numbers are trimmed of surrounding white space. Mapping a
// part again to the same line is a no-op; to another line it is refused
// with PART_NUMBER_CONFLICT, and one request giving a part for two lines
// with INVALID_ARGUMENT on that part.
func (s *Service) MapPartNumbers(ctx context.Context, p access.Principal, book string, parts map[string]int) error {
	if len(parts) == 0 || len(parts) > MaxLinesPerDoc {
		return ledger.BadArgument("parts", "give 1 to %d part numbers", MaxLinesPerDoc)
	}
	// Part numbers are kept trimmed: " A" and "A" are one part.
	trimmed := make(map[string]int, len(parts))
	for k, seq := range parts {
		t := strings.TrimSpace(k)
		if t == "" || len(t) > 64 {
			return ledger.BadArgument("parts", "part numbers are 1 to 64 characters")
		}
		if other, ok := trimmed[t]; ok && other != seq {
			return ledger.BadArgument("parts["+t+"]", "part %s is given twice, for lines %d and %d; give it once", t, min(seq, other), max(seq, other))
		}
		trimmed[t] = seq
	}
	parts = trimmed
	keys := slices.Sorted(maps.Keys(parts))
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := registryBook(ctx, tx, p, book); err != nil {
			return err
		}
		for _, k := range keys {
			seq := parts[k]
			if _, err := loadLine(ctx, tx, book, seq); err != nil {
				return withField(err, "parts["+k+"]")
			}
			var old int
			err := tx.QueryRow(ctx, `SELECT seq FROM zone_part_numbers WHERE book = $1 AND part = $2`, book, k).Scan(&old)
			switch {
			case err == nil && old == seq:
				continue
			case err == nil:
				return ledger.Conflict(ReasonPartNumberConflict, "parts["+k+"]", "part %s is already mapped to line %d of book %s", k, old, book)
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
			if _, err := tx.Exec(ctx, nextChange+`INSERT INTO zone_part_numbers (book, part, seq, change_seq) VALUES ($1, $2, $3, (SELECT seq FROM ch))`, book, k, seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// bookLinePartsSQL reads the part numbers of book $1 mapped onto its lines
// numbered after $2 up to $3 (a page of ListBookLines), in line order,
// then part order: one range of the index zone_part_numbers_book_lines, so
// a page reads its own lines' part numbers, however many the book maps.
const bookLinePartsSQL = `SELECT part, seq FROM zone_part_numbers WHERE book = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, part`

// ListBookLines pages a book's lines with their part numbers: up to limit
// lines (DefaultPage for 0, at most MaxPage) numbered after afterSeq, in
// line order, each with its part numbers in part order. A page reads only
// its own lines' part numbers.
func (s *Service) ListBookLines(ctx context.Context, p access.Principal, book string, afterSeq, limit int) ([]BookLine, error) {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return nil, dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM zone_book_lines WHERE book = $1 AND seq > $2 ORDER BY seq LIMIT $3`, book, afterSeq, pageSize(limit))
	if err != nil {
		return nil, dbError(err)
	}
	var out []BookLine
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return nil, dbError(err)
		}
		var l BookLine
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	// The page holds every line numbered after afterSeq up to its last.
	prow, err := s.pool.Query(ctx, bookLinePartsSQL, book, afterSeq, out[len(out)-1].Seq)
	if err != nil {
		return nil, dbError(err)
	}
	defer prow.Close()
	idx := make(map[int]int, len(out))
	for i, l := range out {
		idx[l.Seq] = i
	}
	for prow.Next() {
		var part string
		var seq int
		if err := prow.Scan(&part, &seq); err != nil {
			return nil, dbError(err)
		}
		// A line registered between the two reads is not on the page.
		if i, ok := idx[seq]; ok {
			out[i].PartNumbers = append(out[i].PartNumbers, part)
		}
	}
	return out, dbError(prow.Err())
}

// inDeclaredUnit checks a quantity of a book line given in the line's
// declared unit; an empty unit means that unit and is filled in. f is the
// request field of the line.
func inDeclaredUnit(ctx context.Context, q querier, book string, seq int, qty decimal.Decimal, unit *string, f string) error {
	bl, err := loadLine(ctx, q, book, seq)
	if err != nil {
		return withField(err, f+".book_seq")
	}
	if *unit == "" {
		*unit = bl.DeclaredUnit
	}
	if *unit != bl.DeclaredUnit {
		return ledger.Invalid(ReasonUnitNotOnLine, f+".unit", "give the quantity in the line's declared unit %s", bl.DeclaredUnit)
	}
	_, err = bl.toDeclared(qty, *unit, f)
	return err
}

// toDeclared converts a quantity in unit into the line's declared unit:
// the declared unit as is, a legal unit divided by its factor. The result
// must be exact at the line's scale.
func (l BookLine) toDeclared(q decimal.Decimal, unit, f string) (decimal.Decimal, error) {
	var factor decimal.Decimal
	switch {
	case unit == "" || unit == l.DeclaredUnit:
		factor = decimal.NewFromInt(1)
	case unit == l.Legal.Unit:
		factor = l.Legal.Factor
	case l.Second != nil && unit == l.Second.Unit:
		factor = l.Second.Factor
	default:
		units := l.DeclaredUnit + " (declared), " + l.Legal.Unit + " (legal)"
		if l.Second != nil {
			units += ", " + l.Second.Unit + " (second legal)"
		}
		return q, ledger.Invalid(ReasonUnitNotOnLine, f+".unit", "unit %q is neither the declared nor a legal unit of line %d of book %s; use %s", unit, l.Seq, l.Book, units)
	}
	d := q.DivRound(factor, l.Scale)
	if !d.Mul(factor).Equal(q) {
		if factor.Equal(decimal.NewFromInt(1)) {
			return q, ledger.Invalid(ledger.ReasonTooManyDecimals, f+".quantity", "line %d of book %s takes at most %d decimal places, got %s", l.Seq, l.Book, l.Scale, q)
		}
		return q, ledger.Invalid(ReasonInexactConversion, f+".quantity", "%s %s is not a whole number of %s at %d decimal places (factor %s); give the quantity in %s",
			q, unit, l.DeclaredUnit, l.Scale, factor, l.DeclaredUnit)
	}
	if ledger.Places(d) > l.Scale {
		return q, ledger.Invalid(ledger.ReasonTooManyDecimals, f+".quantity", "line %d takes at most %d decimal places", l.Seq, l.Scale)
	}
	return d, nil
}

// BookByNo returns a book without an access check, for other customs
// services that have checked access their own way.
func (s *Service) BookByNo(ctx context.Context, no string) (Book, error) {
	b, err := loadBook(ctx, s.pool, no)
	return b, dbError(err)
}

// EnterpriseByUSCC returns an enterprise without an access check, for
// other customs services that have checked access their own way (e.g. the
// zone warehouse named in an e-commerce message).
func (s *Service) EnterpriseByUSCC(ctx context.Context, uscc string) (Enterprise, error) {
	e, err := loadEnterprise(ctx, s.pool, uscc)
	return e, dbError(err)
}

// LineByPart returns the line of a book a part number (料号) maps to,
// without an access check, for other customs services.
func (s *Service) LineByPart(ctx context.Context, book, part, field string) (BookLine, error) {
	l, err := s.bookLine(ctx, s.pool, book, 0, part, field)
	return l, dbError(err)
}

// CheckOpen refuses a book that is not executing or whose enterprise is
// suspended.
func (s *Service) CheckOpen(ctx context.Context, b Book, field string) error {
	return dbError(checkOpen(ctx, s.pool, b, field))
}
