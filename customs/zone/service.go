package zone

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the zone's tables (component
// "zone").
func Migrations() migrate.Set {
	return migrate.MustLoad("zone", migrationFiles, "migrations")
}

// The buckets of every book (ledger accounts).
const (
	AccountBonded            = "bonded"
	AccountReserved          = "reserved"
	AccountNonBonded         = "nonbonded"
	AccountNonBondedReserved = "nonbonded-reserved"
	AccountInspection        = "inspection"
	AccountEntered           = "entered"
)

// The world accounts the zone's movements use.
const (
	WorldAbroad       = "abroad"
	WorldDomestic     = "domestic"
	WorldOtherZone    = "other-zone"
	WorldOutside      = "outside"
	WorldZoneTransfer = "zone-transfer"
	WorldConsumed     = "consumed"
	WorldProduction   = "production"
)

// Accounts returns the buckets every book has.
func Accounts() []string {
	return []string{AccountBonded, AccountReserved, AccountNonBonded, AccountNonBondedReserved, AccountInspection, AccountEntered, AccountDisplay, AccountOutZone}
}

func worldAccounts() []string {
	return []string{WorldAbroad, WorldDomestic, WorldOtherZone, WorldOutside, WorldZoneTransfer, WorldConsumed, WorldProduction}
}

// Options configure a Service.
type Options struct {
	// Settings are the zone's rules; nil means DefaultSettings.
	Settings *Settings
	// Tax assesses taxable events; nil leaves them unassessed.
	Tax *tax.Engine
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
	// Engine, when set, is the database engine of pool (else detected).
	Engine pgtx.Engine
}

// Service runs the zone's rules over its tables and the ledger. It is safe
// for concurrent use.
type Service struct {
	pool   *pgxpool.Pool
	ledger ledger.ReadWriter[pgx.Tx]
	set    Settings
	tax    *tax.Engine
	now    func() time.Time
	tx     *pgtx.Lazy
	// bookAccounts are the (book, bucket) pairs known to exist: buckets
	// added after books were created (display, out-zone).
	bookAccounts sync.Map
	// versions checks the unit consumption versions lists name
	// (SetVersionChecker); nil when none.
	versions VersionChecker
	// releasers take back goods bound to list lines, by the type of the
	// document that bound them (SetLineReleaser).
	releasers map[string]LineReleaser
	// overdue are the other packages' overdue goods ListOverdue adds
	// (SetOverdueSource).
	overdue []OverdueSource
}

// New returns a Service storing documents in pool (migrated with
// Migrations) and goods in store. A change that writes documents and posts
// journals runs in store's ReadWriteTx, so pool and store must be on the
// same database.
func New(pool *pgxpool.Pool, store ledger.ReadWriter[pgx.Tx], opts Options) (*Service, error) {
	given := DefaultSettings()
	if opts.Settings != nil {
		given = *opts.Settings
	}
	set, err := given.normalize()
	if err != nil {
		return nil, fmt.Errorf("zone settings: %w", err)
	}
	s := &Service{pool: pool, ledger: store, set: set, tax: opts.Tax, now: opts.Now,
		tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: 20})}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Settings returns the settings in force.
func (s *Service) Settings() Settings { return s.set }

// Start makes sure the world accounts exist. It refuses a database where
// an earlier zoneledger left changes in flight (ErrLegacyIntents).
func (s *Service) Start(ctx context.Context) error {
	if err := s.ledger.EnsureWorldAccounts(ctx, worldAccounts()); err != nil {
		return err
	}
	return s.checkLegacyIntents(ctx)
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// today is the zone's business date now.
func (s *Service) today() time.Time { return ledger.DayIn(s.now(), s.set.Location) }

// dateOf is the zone's business date of an instant.
func (s *Service) dateOf(t time.Time) time.Time { return ledger.DayIn(t, s.set.Location) }

// inTx runs fn in a SERIALIZABLE transaction with the engine's retries; fn
// may run several times and must have no effect outside the transaction.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return dbError(s.tx.Run(ctx, fn))
}

// dbError passes ledger and context errors through and turns database
// failures into ledger errors that say what to do.
func dbError(err error) error {
	return ledger.DatabaseError(err, "the zone's tables", pgtx.Retryable, pgtx.StatementRefused)
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Document kinds in zone_documents.
const (
	kindList   = "list"
	kindPass   = "pass"
	kindForm   = "form"
	kindSlip   = "slip"
	kindReport = "consumption"
	kindCert   = "certificate"
)

// docRow is a stored document's row.
type docRow struct {
	kind, no, enterprise, innerNo, book, status, link string
	// failure is why the document's last change failed for good, set only
	// by zoneledger versions that committed a change in steps (see List.Failure).
	failure string
}

// failureSetter is a document that shows why its last change failed for
// good (List).
type failureSetter interface{ setFailure(string) }

func (l *List) setFailure(f string) { l.Failure = f }

// showFailure gives doc the failure its row holds, if doc shows one.
func showFailure(doc any, failure string) {
	if f, ok := doc.(failureSetter); ok {
		f.setFailure(failure)
	}
}

func getDoc(ctx context.Context, q querier, kind, no string, forUpdate bool, into any) (docRow, error) {
	sql := `SELECT no, enterprise, inner_no, book, status, failure, body FROM zone_documents WHERE kind = $1 AND no = $2`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	r := docRow{kind: kind}
	var body string
	err := q.QueryRow(ctx, sql, kind, no).Scan(&r.no, &r.enterprise, &r.innerNo, &r.book, &r.status, &r.failure, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, docNotFound(kind, no)
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		return r, err
	}
	showFailure(into, r.failure)
	return r, nil
}

// readDoc returns a document p may read. missing, when set, turns the
// refusal of an unknown number into the document kind's own.
func readDoc[T any](ctx context.Context, s *Service, p access.Principal, kind, no string, missing func(err error, no string) error) (T, error) {
	var v T
	r, err := getDoc(ctx, s.pool, kind, no, false, &v)
	if err == nil {
		err = HideFrom(p, r.enterprise, docNotFound(kind, no))
	}
	if err != nil {
		if missing != nil {
			err = missing(err, no)
		}
		var zero T
		return zero, dbError(err)
	}
	return v, nil
}

func getDocByInner(ctx context.Context, q querier, kind, enterprise, innerNo string, into any) (bool, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM zone_documents WHERE kind = $1 AND enterprise = $2 AND inner_no = $3`, kind, enterprise, innerNo).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(body), into)
}

// filing is a document filed under its enterprise's own number whose
// journal may have been refused, so that filing it again retries it.
type filing interface {
	number() string
	inputHash() string
}

func (m DisplayMove) number() string          { return m.No }
func (m DisplayMove) inputHash() string       { return m.InputHash }
func (r ConsumptionReport) number() string    { return r.No }
func (r ConsumptionReport) inputHash() string { return r.InputHash }
func (l List) number() string                 { return l.No }
func (l List) inputHash() string              { return l.InputHash }
func (ps Pass) number() string                { return ps.No }
func (ps Pass) inputHash() string             { return ps.InputHash() }
func (f Form) number() string                 { return f.No }
func (f Form) inputHash() string              { return f.InputHash }
func (sl Slip) number() string                { return sl.No }
func (sl Slip) inputHash() string             { return sl.InputHash }

// filedBefore looks a new filing up by its enterprise's own number (its
// idempotency key): found, with the earlier document, when the same filing
// was made before; refused with reason when the number was used for
// another filing (what names the kind of document).
func filedBefore[T filing](ctx context.Context, tx pgx.Tx, kind, enterprise, innerNo, hash, reason, what string) (old T, found bool, err error) {
	if found, err = getDocByInner(ctx, tx, kind, enterprise, innerNo, &old); err != nil || !found {
		return old, false, err
	}
	if old.inputHash() != hash {
		return old, true, ledger.Conflict(reason, "inner_no", "%s number %s was already used by enterprise %s for %s %s; use a new number", what, innerNo, enterprise, what, old.number())
	}
	return old, true, nil
}

// refiled looks a filing up by its enterprise's own number: found is false
// for a new number; otherwise the earlier filing comes back locked, with no
// change in flight, and another filing under the number is refused (what
// names the document in the refusal).
func refiled[T filing](ctx context.Context, tx pgx.Tx, kind, enterprise, innerNo, hash, what string) (old T, found bool, err error) {
	if found, err = getDocByInner(ctx, tx, kind, enterprise, innerNo, &old); err != nil || !found {
		return old, false, err
	}
	if old.inputHash() != hash {
		return old, true, ledger.Conflict(ReasonDuplicateDocument, "inner_no", "number %s was already used for %s %s; use a new number", innerNo, what, old.number())
	}
	_, err = getDoc(ctx, tx, kind, old.number(), true, &old)
	if err != nil {
		return old, true, err
	}
	return old, true, nil
}

func insertDoc(ctx context.Context, q querier, r docRow, body any, at time.Time) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, nextChange+`INSERT INTO zone_documents (book, kind, no, enterprise, inner_no, status, body, created_at, link, change_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT seq FROM ch))`,
		r.book, r.kind, r.no, r.enterprise, r.innerNo, r.status, string(b), at, r.link)
	return err
}

// docByCustomsNo is the zone number of the document of kind that customs
// numbered customsNo (from its receipt), if any holds it.
func docByCustomsNo(ctx context.Context, q querier, kind, customsNo string) (string, bool, error) {
	var no string
	err := q.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND customs_no = $2`, kind, customsNo).Scan(&no)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return no, err == nil, err
}

// setCustomsNo stores on document no of kind the number customs assigned
// it; the caller has checked that no other document holds it.
func setCustomsNo(ctx context.Context, q querier, kind, no, customsNo string) error {
	tag, err := q.Exec(ctx, docChange+`UPDATE zone_documents SET customs_no = $3, change_seq = (SELECT seq FROM ch) WHERE kind = $1 AND no = $2`, kind, no, customsNo)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("storing customs number %s on %s %s: %d rows", customsNo, kind, no, tag.RowsAffected())
	}
	return nil
}

func updateDoc(ctx context.Context, q querier, kind, no, status string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, docChange+`UPDATE zone_documents SET status = $3, body = $4, failure = '', change_seq = (SELECT seq FROM ch) WHERE kind = $1 AND no = $2`,
		kind, no, status, string(b))
	return err
}

// nextChange is a WITH clause taking the next document change number of
// the book named by parameter $1 (row ch, column seq): the book's row of
// zone_doc_seqs stays locked until the transaction commits, so a book's
// numbers are given in commit order (see BookDocumentsChanged). Every
// write of zone_documents and zone_taxable_events takes one, through
// nextChange or docChange.
const nextChange = `WITH ch AS (INSERT INTO zone_doc_seqs AS q (book, seq) VALUES ($1, 1)
	ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1 RETURNING seq) `

// docChange is nextChange for the book of the stored document of kind $1
// and number $2.
const docChange = `WITH ch AS (INSERT INTO zone_doc_seqs AS q (book, seq) SELECT book, 1 FROM zone_documents WHERE kind = $1 AND no = $2
	ON CONFLICT (book) DO UPDATE SET seq = q.seq + 1 RETURNING seq) `

// takeChanges takes the next document change number of each of books, in
// book order, before a change that writes the documents of more than one
// book (an intra-zone transfer's two lists): each book's number stays
// locked until the transaction commits, so two such changes lock the
// books' counters in the same order and never wait on each other in a
// circle. The documents' own writes then take further numbers of the
// books they already hold.
func takeChanges(ctx context.Context, q querier, books ...string) error {
	for _, b := range slices.Compact(slices.Sorted(slices.Values(books))) {
		if b == "" {
			continue
		}
		if _, err := q.Exec(ctx, nextChange+`SELECT seq FROM ch`, b); err != nil {
			return err
		}
	}
	return nil
}

func kindName(kind string) string {
	switch kind {
	case kindList:
		return "verification list"
	case kindPass:
		return "gate pass"
	case kindForm:
		return "business form"
	case kindSlip:
		return "in/out slip"
	case kindReport:
		return "consumption report"
	case kindCert:
		return "certificate"
	case kindDisplay:
		return "display movement"
	case kindOutZone:
		return "out-of-zone movement"
	}
	return kind
}

// documentNumber builds a zone number: prefix + customs office + 2-digit
// year + I/E + 9-digit sequence (the form of 保税清单编号, 金二 INV101, gx-customs-bridge inv101_models.go).
// The 9 digits come from one sequence for every kind (migration 0030): no
// lock is held until commit, so documents created on different books never
// queue on a counter; numbers are unique but do not restart each year and
// may have gaps.
func documentNumber(ctx context.Context, q querier, prefix, office string, day time.Time, io string) (string, error) {
	yy := fmt.Sprintf("%02d", day.Year()%100)
	var n int64
	if err := q.QueryRow(ctx, `SELECT nextval('zone_document_numbers')`).Scan(&n); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%s%s%s%09d", prefix, office, yy, io, n), nil
}

// Permission helpers. The roles are access's: customs reads everything and
// approves; an enterprise reads and files on its own books; a platform on
// its linked enterprises'.

func canRead(p access.Principal, enterprise string) error {
	if p.CanRead(enterprise) {
		return nil
	}
	return ledger.Denied("principal %q (%s) may not read the documents of enterprise %s", p.ID, p.Role, enterprise)
}

// HideFrom answers missing — the very refusal an unknown number gets — when
// p may not read enterprise's documents: a principal never learns that
// another enterprise's book or document exists, nor whose it is. Customs
// reads everything; an admin reads no enterprise's documents and is told so
// without their owner.
func HideFrom(p access.Principal, enterprise string, missing error) error {
	if p.CanRead(enterprise) {
		return nil
	}
	if p.Role == access.RoleAdmin && !p.Disabled {
		return ledger.Denied("principal %q is an admin; admins read no enterprise's books or documents", p.ID)
	}
	return missing
}

// docNotFound is the refusal of an unknown document number of a kind.
func docNotFound(kind, no string) error {
	return ledger.NotFound(ReasonUnknownDocument, "", "there is no %s %q", kindName(kind), no)
}

// canFileHidden is canFile for a document or book found by its number:
// one p may not read answers missing (see HideFrom).
func canFileHidden(p access.Principal, enterprise string, missing error) error {
	if err := HideFrom(p, enterprise, missing); err != nil {
		return err
	}
	return canFile(p, enterprise)
}

func canFile(p access.Principal, enterprise string) error {
	if p.Role != access.RoleCustoms && p.CanWrite(enterprise) {
		return nil
	}
	if p.Role == access.RoleCustoms {
		return ledger.Denied("customs principal %q files nothing on an enterprise's book; the enterprise files, customs approves", p.ID)
	}
	return ledger.Denied("principal %q (%s) may not file on the books of enterprise %s", p.ID, p.Role, enterprise)
}

func mustBeCustoms(p access.Principal, what string) error {
	if p.Role == access.RoleCustoms && !p.Disabled {
		return nil
	}
	return ledger.Denied("only customs may %s; principal %q is %s", what, p.ID, p.Role)
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func jsonUnmarshal(body string, into any) error { return json.Unmarshal([]byte(body), into) }

// digest is the SHA-256 of a filing's JSON, hex: the InputHash that tells a
// retry of a filing from another filing under the same number.
func digest(filing any) string {
	sum := sha256.Sum256([]byte(mustJSON(filing)))
	return hex.EncodeToString(sum[:])
}

// listDocs pages the documents of a kind a principal may read, in number
// order.
func listDocs[T any](ctx context.Context, s *Service, p access.Principal, kind string, f ListFilter) ([]T, error) {
	if f.Enterprise != "" {
		if err := canRead(p, f.Enterprise); err != nil {
			return nil, err
		}
	}
	if f.Book != "" {
		b, err := loadBook(ctx, s.pool, f.Book)
		if err != nil {
			return nil, dbError(err)
		}
		if err := HideFrom(p, b.Enterprise, bookNotFound(f.Book)); err != nil {
			return nil, err
		}
	}
	all, scope := readScope(p)
	if !all && len(scope) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT body, failure FROM zone_documents
		WHERE kind = $1 AND ($2 = '' OR book = $2) AND ($3 = '' OR enterprise = $3) AND ($4 = '' OR status = $4) AND no > $5
		  AND ($6 OR enterprise = ANY($7)) AND ($9 = '' OR customs_no = $9)
		ORDER BY no LIMIT $8`, kind, f.Book, f.Enterprise, f.Status, f.After, all, scope, pageSize(f.Limit), f.CustomsNo)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body, failure string
		if err := rows.Scan(&body, &failure); err != nil {
			return nil, dbError(err)
		}
		var d T
		if err := jsonUnmarshal(body, &d); err != nil {
			return nil, err
		}
		showFailure(&d, failure)
		out = append(out, d)
	}
	return out, dbError(rows.Err())
}

// readScope is what a principal may read: everything (customs) or the
// enterprises listed.
func readScope(p access.Principal) (all bool, scope []string) {
	if p.Disabled {
		return false, []string{}
	}
	switch p.Role {
	case access.RoleCustoms:
		return true, []string{}
	case access.RoleEnterprise:
		return false, []string{p.Enterprise}
	case access.RolePlatform:
		return false, append([]string{}, p.LinkedEnterprises...)
	}
	return false, []string{}
}
