package processing

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the processing tables
// (component "processing").
func Migrations() migrate.Set {
	return migrate.MustLoad("processing", migrationFiles, "migrations")
}

// Stable reasons of the processing centre's refusals, in addition to the
// ledger's and the zone's. Clients match on them; never change one once
// released.
const (
	// ReasonInvalidNorm: a norm's 净耗 or 保税料件比例 is out of range.
	ReasonInvalidNorm = "INVALID_NORM"
	// ReasonLossRateOutOfRange: a 工艺损耗率 below 0 or at 100 % or more.
	ReasonLossRateOutOfRange = "LOSS_RATE_OUT_OF_RANGE"
	// ReasonInvalidVersion: a 单耗版本号 that is not 1 to 8 digits.
	ReasonInvalidVersion = "INVALID_VERSION_NUMBER"
	// ReasonUnknownVersion: no such version of the good.
	ReasonUnknownVersion = "UNKNOWN_VERSION"
	// ReasonVersionLocked: the version was used and cannot be changed;
	// supersede it with a new version.
	ReasonVersionLocked = "VERSION_LOCKED"
	// ReasonVersionDate: a version's effective date does not fit between
	// the good's other versions or falls on or before a day the version
	// it supersedes was used.
	ReasonVersionDate = "VERSION_EFFECTIVE_DATE"
	// ReasonNoVersionInForce: no version of the good is in force on the
	// report's date, or the one named is not the one in force.
	ReasonNoVersionInForce = "NO_VERSION_IN_FORCE"
	// ReasonWrongLineType: a line of the wrong goods type (a norm's
	// material that is not a 料件 line, an output that is equipment).
	ReasonWrongLineType = "WRONG_LINE_TYPE"
	// ReasonVersionNotDeclared: a list names a version that is not
	// declared; a version is declared before the goods leave.
	ReasonVersionNotDeclared = "VERSION_NOT_DECLARED"
	// ReasonWrongBasis: a report's materials do not fit its basis (given
	// by version yet listing actual quantities, or the reverse).
	ReasonWrongBasis = "WRONG_CONSUMPTION_BASIS"
)

// Options configure a Service.
type Options struct {
	// Settings are the processing rules; nil means DefaultSettings.
	Settings *Settings
	// Now is the clock, for tests; nil means time.Now.
	Now    func() time.Time
	Engine pgtx.Engine
}

// Service keeps unit consumption versions and books production reports.
// It is safe for concurrent use.
type Service struct {
	pool   *pgxpool.Pool
	ledger ledger.ReadWriter[pgx.Tx]
	zone   *zone.Service
	set    Settings
	now    func() time.Time
	tx     *pgtx.Lazy
}

// New returns a Service storing its documents in pool (migrated with
// Migrations), books and lines kept by z, goods in store. A change that
// writes documents and posts journals runs in store's ReadWriteTx (the
// ledger's seam), so pool and store must be on the same database. It becomes z's
// keeper of the versions lists name (zone.Service.SetVersionChecker), so
// build it before z takes requests.
func New(pool *pgxpool.Pool, store ledger.ReadWriter[pgx.Tx], z *zone.Service, opts Options) (*Service, error) {
	set := DefaultSettings()
	if opts.Settings != nil {
		set = *opts.Settings
	}
	if err := set.Check(); err != nil {
		return nil, fmt.Errorf("processing settings: %w", err)
	}
	if z == nil {
		return nil, errors.New("processing needs the zone service")
	}
	s := &Service{pool: pool, ledger: store, zone: z, set: set, now: opts.Now,
		tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: 20})}
	if s.now == nil {
		s.now = time.Now
	}
	z.SetVersionChecker(s)
	return s, nil
}

// Settings returns the settings in force.
func (s *Service) Settings() Settings { return s.set }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// inTx runs fn in a SERIALIZABLE transaction with the engine's retries; fn
// may run several times and must have no effect outside the transaction.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return dbError(s.tx.Run(ctx, fn))
}

// dbError passes ledger and context errors through and turns database
// failures into ledger errors that say what to do.
func dbError(err error) error {
	return ledger.DatabaseError(err, "the processing tables", pgtx.Retryable, pgtx.StatementRefused)
}

func jsonUnmarshal(body string, into any) error { return json.Unmarshal([]byte(body), into) }

// Start makes sure the world accounts processing posts to exist.
func (s *Service) Start(ctx context.Context) error {
	return s.ledger.EnsureWorldAccounts(ctx, []string{WorldDestroyed})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// readBook returns a book p may read; another enterprise's book is
// answered as unknown, as the zone does.
func (s *Service) readBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := s.zone.GetBook(ctx, p, no)
	if err != nil {
		return b, withField(err, "book_no")
	}
	return b, nil
}

// writeBook returns a book its owner enterprise files on: executing, the
// enterprise not suspended. Customs reads but files nothing.
func (s *Service) writeBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := s.readBook(ctx, p, no)
	if err != nil {
		return b, err
	}
	if p.Role != access.RoleEnterprise || p.Enterprise != b.Enterprise || p.Disabled {
		return b, ledger.Denied("principal %q (%s) may not file on book %s; its owner enterprise %s files, customs reads", p.ID, p.Role, no, b.Enterprise)
	}
	return b, s.zone.CheckOpen(ctx, b, "book_no")
}

// withField names field in a ledger error that names none.
func withField(err error, field string) error {
	var le *ledger.Error
	if errors.As(err, &le) && le.Field == "" {
		out := *le
		out.Field = field
		return &out
	}
	return err
}

// lines returns the book lines seqs name, read through the zone as p.
func (s *Service) lines(ctx context.Context, p access.Principal, book string, seqs []int) (map[int]zone.BookLine, error) {
	want := map[int]bool{}
	lo, hi := 0, 0
	for _, q := range seqs {
		want[q] = true
		if lo == 0 || q < lo {
			lo = q
		}
		hi = max(hi, q)
	}
	out := make(map[int]zone.BookLine, len(want))
	after := max(lo-1, 0)
	for after < hi {
		page, err := s.zone.ListBookLines(ctx, p, book, after, zone.MaxPage)
		if err != nil {
			return nil, err
		}
		for _, l := range page {
			if want[l.Seq] {
				out[l.Seq] = l
			}
			after = l.Seq
		}
		if len(page) < zone.MaxPage {
			break
		}
	}
	return out, nil
}

// goodsLine returns line seq of lines, the book lines read for a request,
// refusing one the book does not have and an equipment line; field names
// the request's book_seq, and why ends the refusal of equipment ("production
// makes finished or semi-finished goods").
func goodsLine(lines map[int]zone.BookLine, book string, seq int, field, why string) (zone.BookLine, error) {
	l, ok := lines[seq]
	if !ok {
		return l, lineNotOnBook(book, seq, field)
	}
	if l.Type == codes.GoodsEquipment {
		return l, ledger.Invalid(ReasonWrongLineType, field, "line %d is equipment; %s", seq, why)
	}
	return l, nil
}

// lineNotOnBook refuses a line number the book does not have.
func lineNotOnBook(book string, seq int, field string) error {
	return ledger.NotFound(zone.ReasonLineNotOnBook, field, "book %s has no line %d; register the line first", book, seq)
}

// documentDate is a document's business date (ledger.BusinessDate against
// the zone's today); what names the document ("report").
func (s *Service) documentDate(d time.Time, what string) (time.Time, error) {
	return ledger.BusinessDate(d, s.today(), "a "+what)
}
