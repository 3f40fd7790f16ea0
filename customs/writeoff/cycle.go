// Package writeoff keeps a zone book's write-off (核销): the cycle the
// enterprise sets under 四自一简 (GACC 公告2019年第26号, ≤ 1 year) from the
// start customs sets, the notice of the stocktake (核销盘点) the enterprise
// gives customs before it counts, the physical count per book line and
// status, the differences against the book as of the stocktake date, the
// tax on each shortage (盘亏) and its self-payment (自报自缴), customs'
// decision on each explained surplus (盘盈), and the close that seals the
// period and its evidence (customs/evidence) and sets the book's last
// write-off date.
//
// The cycle part's entry point is Cycles; see README.md beside this file.
package writeoff

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
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/evidence"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/cycle/*.sql
var cycleMigrationFiles embed.FS

// CycleMigrations returns the schema migrations of the write-off cycle and
// stocktake tables (component "writeoff-cycle").
func CycleMigrations() migrate.Set {
	return migrate.MustLoad("writeoff-cycle", cycleMigrationFiles, "migrations/cycle")
}

// Stable reasons of the write-off cycle's refusals, in addition to the
// ledger's and the zone's. Clients match on them; never change one once
// released.
const (
	// ReasonCycleNotSet: the book has no write-off cycle with a start yet;
	// the enterprise sets its months (SetCycle) and customs its start
	// (SetCycleStart) before a stocktake is notified.
	ReasonCycleNotSet = "WRITE_OFF_CYCLE_NOT_SET"
	// ReasonNoNotice: a stocktake without a notice given to customs early
	// enough before it (GACC 公告2019年第26号: 核销盘点前告知海关).
	ReasonNoNotice = "STOCKTAKE_NOT_NOTIFIED"
	// ReasonCountFile: a row of a count file is wrong; the error names its
	// row and column, and nothing of the file is stored.
	ReasonCountFile = "STOCKTAKE_COUNT_ROW"
	// ReasonStocktakeState: the stocktake, or the difference named, is not
	// at the step the call needs (already counted, already paid, already
	// decided, closed, not a shortage, not a surplus, ...).
	ReasonStocktakeState = "STOCKTAKE_STATE"
	// ReasonPaymentAmount: a self-payment's amount is not the tax assessed
	// on the shortage, to the fen.
	ReasonPaymentAmount = "SHORTAGE_PAYMENT_AMOUNT"
	// ReasonUnsettled: the write-off cannot close while a shortage is
	// unpaid or a surplus undecided.
	ReasonUnsettled = "WRITE_OFF_UNSETTLED"
)

// CycleSettings are the write-off rules the sources leave open
// (customs-reference §4.1, §4.2: treatment details UNCONFIRMED).
type CycleSettings struct {
	// NoticeLeadDays is how many days before the stocktake date its notice
	// must be given. Default 0: on the stocktake date at the latest, and in
	// any case before the count, which is imported only for a notified
	// stocktake. The announcement says only "before the stocktake"
	// (UNCONFIRMED); a zone that wants the notice days ahead sets them.
	NoticeLeadDays int
	// ShortageByMaterials taxes the shortage of a finished good the book's
	// enterprise processed (a 单耗 version in force on the stocktake date)
	// on its bonded materials with 缓税利息, as the zone's selective duty by
	// materials does; false taxes it on its actual state. Default true
	// (UNCONFIRMED: the sources do not say how a stocktake shortage of a
	// processed good is taxed).
	ShortageByMaterials bool
	// AttentionCycleDays is how many days before a write-off cycle's end
	// the book appears in ListAttention as about to end. Default 30
	// (UNCONFIRMED: the sources set no warning period).
	AttentionCycleDays int
	// AttentionListDays is how many days a list may stay declared (its
	// outbound goods reserved) and not cleared before it appears in
	// ListAttention. Default 7 (UNCONFIRMED: the sources set no limit).
	AttentionListDays int
}

// DefaultCycleSettings returns the documented defaults.
func DefaultCycleSettings() CycleSettings {
	return CycleSettings{NoticeLeadDays: 0, ShortageByMaterials: true, AttentionCycleDays: 30, AttentionListDays: 7}
}

// Validate checks the settings; its error names the setting's key in the
// zoneledger config file.
func (s CycleSettings) Validate() error {
	if s.NoticeLeadDays < 0 || s.NoticeLeadDays > 90 {
		return fmt.Errorf("writeoff.notice_lead_days: %d is not between 0 and 90", s.NoticeLeadDays)
	}
	if s.AttentionCycleDays < 0 || s.AttentionCycleDays > 366 {
		return fmt.Errorf("writeoff.attention_cycle_days: %d is not between 0 and 366", s.AttentionCycleDays)
	}
	if s.AttentionListDays < 0 || s.AttentionListDays > 366 {
		return fmt.Errorf("writeoff.attention_list_days: %d is not between 0 and 366", s.AttentionListDays)
	}
	return nil
}

// CycleOptions configure Cycles.
type CycleOptions struct {
	// Settings are the write-off rules; nil means DefaultCycleSettings.
	Settings *CycleSettings
	// Processing, when set, finds the 单耗 a shortage of a processed good
	// is taxed by; nil taxes every shortage on its actual state.
	Processing *processing.Service
	// Ecommerce, when set, adds e-commerce tax past its due date to
	// ListAttention.
	Ecommerce *ecommerce.Service
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Cycles keeps books' write-off cycles and stocktakes. It is safe for
// concurrent use.
type Cycles struct {
	pool   *pgxpool.Pool
	ledger ledger.ReadWriter[pgx.Tx]
	zone   *zone.Service
	proc   *processing.Service
	ecom   *ecommerce.Service
	set    CycleSettings
	now    func() time.Time
	ev     Evidence
}

// Evidence seals a book's evidence (customs/evidence.Service): closing a
// write-off seals it through the stocktake date.
type Evidence interface {
	SealThrough(ctx context.Context, p access.Principal, book string, day time.Time) (evidence.Sealed, error)
}

// SetEvidence gives the write-off the evidence service its close seals
// with (call it while wiring, before serving: the evidence service reads
// the write-off's documents, so it is built after Cycles). Without one,
// CloseWriteOff refuses.
func (c *Cycles) SetEvidence(e Evidence) { c.ev = e }

// NewCycles returns Cycles storing its documents in pool (migrated with
// CycleMigrations), books kept by z, goods in store. A change that writes
// documents and posts journals runs in store's ReadWriteTx, so pool and
// store must be on the same database.
func NewCycles(pool *pgxpool.Pool, store ledger.ReadWriter[pgx.Tx], z *zone.Service, opts CycleOptions) (*Cycles, error) {
	if z == nil {
		return nil, errors.New("write-off needs the zone service")
	}
	set := DefaultCycleSettings()
	if opts.Settings != nil {
		set = *opts.Settings
	}
	if err := set.Validate(); err != nil {
		return nil, fmt.Errorf("write-off settings: %w", err)
	}
	c := &Cycles{pool: pool, ledger: store, zone: z, proc: opts.Processing, ecom: opts.Ecommerce, set: set, now: opts.Now}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Settings returns the settings in force.
func (c *Cycles) Settings() CycleSettings { return c.set }

// Start makes sure the world accounts the stocktake posts to exist.
func (c *Cycles) Start(ctx context.Context) error {
	return c.ledger.EnsureWorldAccounts(ctx, []string{WorldShortage, WorldSurplus})
}

// Cycle is a book's write-off cycle (核销周期).
type Cycle struct {
	Book       string
	Enterprise string
	// Months is the cycle's length the enterprise set, 1 to 12; until it
	// sets one, the book's WriteOffCycleMonths when it was registered.
	Months int
	// Start is the first day of the first cycle, set by customs; zero
	// until it does.
	Start time.Time
	// SetBy and StartSetBy are the principals who set Months and Start.
	SetBy      string
	StartSetBy string
}

// End is the last day of the cycle running on day: cycles follow one
// another from Start, each Months long. Zero when Start is not set.
func (c Cycle) End(day time.Time) time.Time {
	if c.Start.IsZero() || c.Months == 0 {
		return time.Time{}
	}
	from := c.Start
	for {
		next := from.AddDate(0, c.Months, 0)
		if next.After(day) {
			return next.AddDate(0, 0, -1)
		}
		from = next
	}
}

// Today is the zone's business date now.
func (c *Cycles) Today() time.Time { return c.today() }

func (c *Cycles) today() time.Time { return ledger.DayIn(c.now(), c.zone.Settings().Location) }

// readWrite runs fn in one transaction of the ledger's seam.
func (c *Cycles) readWrite(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error) error {
	return cycleDBError(c.ledger.ReadWriteTx(ctx, fn))
}

func cycleDBError(err error) error {
	return ledger.DatabaseError(err, "the write-off tables", pgtx.Retryable, pgtx.StatementRefused)
}

func cycleJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// cycleWithField names field in a ledger error that names none.
func cycleWithField(err error, field string) error {
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
func (c *Cycles) readBook(ctx context.Context, p access.Principal, no string) (zone.Book, error) {
	b, err := c.zone.GetBook(ctx, p, no)
	if err != nil {
		return b, cycleWithField(err, "book_no")
	}
	return b, nil
}

// ownerBook returns a book its owner enterprise files on: executing, the
// enterprise not suspended. Customs reads but files nothing of the
// enterprise's part.
func (c *Cycles) ownerBook(ctx context.Context, p access.Principal, no, what string) (zone.Book, error) {
	b, err := c.readBook(ctx, p, no)
	if err != nil {
		return b, err
	}
	if p.Role != access.RoleEnterprise || p.Enterprise != b.Enterprise || p.Disabled {
		return b, ledger.Denied("principal %q (%s) may not %s on book %s; its owner enterprise %s does", p.ID, p.Role, what, no, b.Enterprise)
	}
	if err := c.zone.CheckOpen(ctx, b, "book_no"); err != nil {
		return b, err
	}
	return b, nil
}

// cycleCustomsOnly refuses every principal but an enabled customs one.
func cycleCustomsOnly(p access.Principal, what string) error {
	if p.Role != access.RoleCustoms || p.Disabled {
		return ledger.Denied("principal %q (%s) may not %s; customs does", p.ID, p.Role, what)
	}
	return nil
}

// SetCycle sets a book's write-off cycle to months (1 to 12: 核销周期原则上
// 不超过一年). The book's owner enterprise sets it; setting the same months
// again returns the cycle unchanged.
func (c *Cycles) SetCycle(ctx context.Context, p access.Principal, book string, months int) (Cycle, error) {
	b, err := c.ownerBook(ctx, p, book, "set the write-off cycle")
	if err != nil {
		return Cycle{}, err
	}
	if months < 1 || months > 12 {
		return Cycle{}, ledger.BadArgument("months", "is %d; a write-off cycle is 1 to 12 months (核销周期原则上不超过一年)", months)
	}
	return c.putCycle(ctx, b, func(cy *Cycle) { cy.Months, cy.SetBy = months, p.ID })
}

// SetCycleStart sets the first day of a book's write-off cycle. Customs
// sets it; the day lies between 2000-01-01 and the zone's today.
func (c *Cycles) SetCycleStart(ctx context.Context, p access.Principal, book string, start time.Time) (Cycle, error) {
	if err := cycleCustomsOnly(p, "set the start of a write-off cycle"); err != nil {
		return Cycle{}, err
	}
	b, err := c.readBook(ctx, p, book)
	if err != nil {
		return Cycle{}, err
	}
	if start.IsZero() {
		return Cycle{}, ledger.BadArgument("start", "give the cycle's first day, YYYY-MM-DD")
	}
	start = ledger.Day(start)
	if start.Year() < 2000 || start.After(c.today()) {
		return Cycle{}, ledger.BadArgument("start", "%s is not between 2000-01-01 and today, %s", ledger.FormatDate(start), ledger.FormatDate(c.today()))
	}
	return c.putCycle(ctx, b, func(cy *Cycle) { cy.Start, cy.StartSetBy = start, p.ID })
}

func (c *Cycles) putCycle(ctx context.Context, b zone.Book, change func(*Cycle)) (Cycle, error) {
	var out Cycle
	err := c.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		cy, found, err := loadCycle(ctx, tx, b.No)
		if err != nil {
			return err
		}
		if !found {
			// Until the enterprise sets it here, the cycle's length is the
			// one the book was registered with.
			cy = Cycle{Book: b.No, Enterprise: b.Enterprise, Months: b.WriteOffCycleMonths}
		}
		change(&cy)
		out = cy
		seq, err := zone.TakeChange(ctx, tx, b.No)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO writeoff_cycles (book, enterprise, body, change_seq) VALUES ($1, $2, $3, $4)
			ON CONFLICT (book) DO UPDATE SET body = excluded.body, change_seq = excluded.change_seq`, b.No, b.Enterprise, cycleJSON(cy), seq)
		return err
	})
	return out, err
}

// GetCycle returns a book's write-off cycle; its owner and customs read
// it. A book with none is refused with ReasonCycleNotSet.
func (c *Cycles) GetCycle(ctx context.Context, p access.Principal, book string) (Cycle, error) {
	if _, err := c.readBook(ctx, p, book); err != nil {
		return Cycle{}, err
	}
	cy, found, err := loadCycle(ctx, c.pool, book)
	if err != nil {
		return Cycle{}, cycleDBError(err)
	}
	if !found {
		return Cycle{}, ledger.Precondition(ReasonCycleNotSet, "book_no", "book %s has no write-off cycle; its enterprise sets one (SetCycle)", book)
	}
	return cy, nil
}

type cycleQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func loadCycle(ctx context.Context, q cycleQuerier, book string) (Cycle, bool, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM writeoff_cycles WHERE book = $1`, book).Scan(&body)
	if err == pgx.ErrNoRows {
		return Cycle{}, false, nil
	}
	if err != nil {
		return Cycle{}, false, err
	}
	var cy Cycle
	return cy, true, json.Unmarshal([]byte(body), &cy)
}
