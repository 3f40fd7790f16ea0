package repair

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the repair tables
// (component "repair").
func Migrations() migrate.Set {
	return migrate.MustLoad("repair", migrationFiles, "migrations")
}

// Stable reasons of the repair centre's refusals, in addition to the
// ledger's and the zone's. Clients match on them; never change one once
// released.
const (
	// ReasonNotRepairBook: the book is not a bonded repair book
	// (保税维修账册); repair orders and the repair stock report need one.
	ReasonNotRepairBook = "NOT_A_REPAIR_BOOK"
	// ReasonRepairIntake: the list named as the goods' way in does not
	// bring them: not an inbound list of the book, not through the gate
	// yet, not across the first or second line, or without the line.
	ReasonRepairIntake = "REPAIR_INTAKE_MISMATCH"
)

// Options configure a Service.
type Options struct {
	// Settings are the repair rules; nil means DefaultSettings.
	Settings *Settings
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Service keeps repair orders and the sections of repair books. It is
// safe for concurrent use.
type Service struct {
	pool   *pgxpool.Pool
	ledger ledger.ReadWriter[pgx.Tx]
	zone   *zone.Service
	set    Settings
	now    func() time.Time
}

// New returns a Service storing its documents in pool (migrated with
// Migrations), books and lines kept by z, goods in store. It installs
// itself in z as the keeper of repair orders' goods bound to zone lists
// (zone.Service.SetLineReleaser). A change that
// writes documents and posts journals runs in store's ReadWriteTx (the
// ledger's seam), so pool and store must be on the same database.
func New(pool *pgxpool.Pool, store ledger.ReadWriter[pgx.Tx], z *zone.Service, opts Options) (*Service, error) {
	if z == nil {
		return nil, errors.New("repair needs the zone service")
	}
	set := DefaultSettings()
	if opts.Settings != nil {
		set = *opts.Settings
	}
	if err := set.Validate(); err != nil {
		return nil, fmt.Errorf("repair settings: %w", err)
	}
	s := &Service{pool: pool, ledger: store, zone: z, set: set, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	z.SetLineReleaser(DocumentOrder, s.releaseLine)
	return s, nil
}

// Settings returns the settings in force.
func (s *Service) Settings() Settings { return s.set }

// Start makes sure the world accounts repair posts to exist.
func (s *Service) Start(ctx context.Context) error {
	return s.ledger.EnsureWorldAccounts(ctx, []string{WorldRemoved, WorldDestroyed})
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// today is the zone's business date now.
func (s *Service) today() time.Time { return ledger.DayIn(s.now(), s.zone.Settings().Location) }

// readWrite runs fn in one transaction of the ledger's seam: the
// documents fn writes through tx and the journals it posts through j
// commit together or not at all. fn may run several times.
func (s *Service) readWrite(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error) error {
	return dbError(s.ledger.ReadWriteTx(ctx, fn))
}

// dbError passes ledger and context errors through and turns database
// failures into ledger errors that say what to do.
func dbError(err error) error {
	return ledger.DatabaseError(err, "the repair tables", pgtx.Retryable, pgtx.StatementRefused)
}

func notRepairBook(no, field string) error {
	return ledger.Precondition(ReasonNotRepairBook, field, "book %s is not a bonded repair book (保税维修账册); register a REPAIR book for the repair centre", no)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func digest(v any) string {
	sum := sha256.Sum256([]byte(mustJSON(v)))
	return hex.EncodeToString(sum[:])
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

// readBook returns a book p may read; another enterprise's book is
// answered as unknown, as the zone does.
func (s *Service) readBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := s.zone.GetBook(ctx, p, no)
	if err != nil {
		return b, withField(err, "book_no")
	}
	return b, nil
}

// writeBook returns a repair book its owner enterprise files on:
// executing, the enterprise not suspended. Customs reads but files nothing.
func (s *Service) writeBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := s.readBook(ctx, p, no)
	if err != nil {
		return b, err
	}
	if p.Role != access.RoleEnterprise || p.Enterprise != b.Enterprise || p.Disabled {
		return b, ledger.Denied("principal %q (%s) may not file on book %s; its owner enterprise %s files, customs reads", p.ID, p.Role, no, b.Enterprise)
	}
	if err := s.zone.CheckOpen(ctx, b, "book_no"); err != nil {
		return b, err
	}
	return b, nil
}

// allLines returns every line of a book, read through the zone as p.
func (s *Service) allLines(ctx context.Context, p access.Principal, book string) ([]zone.BookLine, error) {
	var out []zone.BookLine
	after := 0
	for {
		page, err := s.zone.ListBookLines(ctx, p, book, after, zone.MaxPage)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < zone.MaxPage {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}

// nextNumber issues the next number of a kind of document of a book and
// year: prefix + book + 2-digit year + 7-digit sequence.
func nextNumber(ctx context.Context, tx pgx.Tx, prefix, book string, day time.Time) (string, error) {
	key := fmt.Sprintf("%s%s%02d", prefix, book, day.Year()%100)
	var n int64
	err := tx.QueryRow(ctx, `INSERT INTO rep_counters (prefix, last) VALUES ($1, 1) ON CONFLICT (prefix) DO UPDATE SET last = rep_counters.last + 1 RETURNING last`, key).Scan(&n)
	return fmt.Sprintf("%s%07d", key, n), err
}

func jsonUnmarshal(body string, into any) error { return json.Unmarshal([]byte(body), into) }

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
