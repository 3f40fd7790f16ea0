package evidence

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the evidence tables
// (component "evidence").
func Migrations() migrate.Set {
	return migrate.MustLoad("evidence", migrationFiles, "migrations")
}

// Stable reasons of the evidence refusals. Clients match on them; never
// change one once released.
const (
	// ReasonPeriodNotClosed: no ledger period of the book ends on the day
	// given; close it first (LedgerService.ClosePeriod).
	ReasonPeriodNotClosed = "EVIDENCE_PERIOD_NOT_CLOSED"
	// ReasonPreviousNotSealed: the book's previous period has no sealed
	// evidence, and each period's evidence chains onto the one before.
	ReasonPreviousNotSealed = "EVIDENCE_PREVIOUS_NOT_SEALED"
	// ReasonNotSealed: the period's evidence was never sealed.
	ReasonNotSealed = "EVIDENCE_NOT_SEALED"
	// ReasonLedgerMismatch: the ledger's journals of the period no longer
	// reproduce the digest the ledger sealed, so no evidence is sealed over
	// them.
	ReasonLedgerMismatch = "EVIDENCE_LEDGER_MISMATCH"
)

// Ledger is what evidence reads of the ledger: its sealed periods and
// their journals.
type Ledger interface {
	Periods(ctx context.Context, book string) ([]ledger.Period, error)
	ListJournals(ctx context.Context, f ledger.JournalFilter) ([]ledger.Journal, error)
}

// Source is a centre that keeps documents of books (processing, repair
// and write-off are sources; the zone is one too), read through its own
// read function: the documents of book whose last change took a change
// number (zone.TakeChange) after since and up to upTo, as
// zone.Service.BookDocumentsChanged reads the zone's.
type Source interface {
	BookDocumentsChanged(ctx context.Context, p access.Principal, book string, since, upTo zone.DocMark, fn func(zone.StoredDocument) error) error
}

// Options configure a Service.
type Options struct {
	// Engine is the database engine; empty detects it.
	Engine pgtx.Engine
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
	// Ecommerce, when set, adds the e-commerce inventory lists released
	// from the book (kind evfile.KindEcommerceList) to its evidence: each
	// seal those changed since the previous period's seal.
	Ecommerce EcommerceLists
}

// Service seals and exports the evidence of books' periods. It is safe for
// concurrent use.
type Service struct {
	pool    *pgxpool.Pool
	ledger  Ledger
	zone    *zone.Service
	sources []Source
	tx      *pgtx.Lazy
	now     func() time.Time
	ecom    EcommerceLists
}

// New returns a Service storing sealed evidence in pool (migrated with
// Migrations), reading periods and journals from led, books from z, and
// documents from z and each of sources.
func New(pool *pgxpool.Pool, led Ledger, z *zone.Service, sources []Source, opts Options) (*Service, error) {
	if pool == nil || led == nil || z == nil {
		return nil, errors.New("evidence needs a pool, the ledger and the zone service")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Service{pool: pool, ledger: led, zone: z, sources: append([]Source{z}, sources...),
		tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: 20}), now: now, ecom: opts.Ecommerce}, nil
}

// Sealed describes a period's sealed evidence.
type Sealed struct {
	Book string
	// From is the period's first day (zero for the book's first period);
	// Through its last.
	From, Through time.Time
	// LedgerDigest is the ledger's own digest of the period (journals only).
	LedgerDigest []byte
	// PreviousDigest is the evidence digest of the period before (empty for
	// the first); Digest this period's evidence digest.
	PreviousDigest, Digest []byte
	Journals               int64
	Documents              int64
	SealedAt               time.Time
	SealedBy               string

	// ecom is how far the seal read the book's e-commerce lists: the
	// next period's seal records those changed since.
	ecom ecommerce.ListMark
	// zone is how far the seal read the book's documents of the zone and
	// of the sources (zone.Service.ChangeMark): the next period's seal
	// records those changed since.
	zone zone.DocMark
}

func dbError(err error) error {
	return ledger.DatabaseError(err, "the evidence tables", pgtx.Retryable, pgtx.StatementRefused)
}

// Seal seals the evidence of the book's period that the ledger closed
// through the given day: the period's journals and the book's documents as
// they stand now (those changed since the previous period's seal; every
// one at the book's first seal), each canonically encoded and chained onto the evidence
// digest of the period before (package proto/zoneledger/evidence). The
// records are stored as sealed, so an export later reproduces the digest
// even after documents change. Sealing a sealed period returns it: the
// book and day are the request's idempotency key. Customs or the book's
// enterprise may seal.
func (s *Service) Seal(ctx context.Context, p access.Principal, book string, through time.Time) (Sealed, error) {
	through = ledger.Day(through)
	b, err := s.zone.GetBook(ctx, p, book)
	if err != nil {
		return Sealed{}, err
	}
	if !(p.Role == access.RoleCustoms && !p.Disabled) && !(p.Role == access.RoleEnterprise && p.CanWrite(b.Enterprise)) {
		return Sealed{}, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "",
			"principal %q (%s) may not seal book %s; customs or the book's enterprise seals", p.ID, p.Role, book)
	}
	if got, err := s.load(ctx, book, through); err != nil || got != nil {
		if got != nil {
			return *got, nil
		}
		return Sealed{}, err
	}
	periods, err := s.ledger.Periods(ctx, book)
	if err != nil {
		return Sealed{}, err
	}
	i := slices.IndexFunc(periods, func(q ledger.Period) bool { return q.Through.Equal(through) })
	if i < 0 {
		return Sealed{}, ledger.Precondition(ReasonPeriodNotClosed, "through",
			"book %s has no period closed through %s; close it first (zonectl periods close), then seal its evidence", book, ledger.FormatDate(through))
	}
	period := periods[i]
	out := Sealed{Book: book, From: period.From, Through: through, LedgerDigest: period.Digest, PreviousDigest: []byte{}, SealedBy: p.ID}
	var (
		since     ecommerce.ListMark
		zoneSince zone.DocMark
	)
	if !period.From.IsZero() {
		prevDay := period.From.AddDate(0, 0, -1)
		prev, err := s.load(ctx, book, prevDay)
		if err != nil {
			return Sealed{}, err
		}
		if prev == nil {
			return Sealed{}, ledger.Precondition(ReasonPreviousNotSealed, "through",
				"the evidence of book %s through %s is not sealed; seal the periods in order, that one first", book, ledger.FormatDate(prevDay))
		}
		out.PreviousDigest, since, zoneSince = prev.Digest, prev.ecom, prev.zone
	}
	journals, err := s.journals(ctx, period)
	if err != nil {
		return Sealed{}, err
	}
	var docs []zone.StoredDocument
	keep := func(d zone.StoredDocument) error { docs = append(docs, d); return nil }
	// Every change numbered up to the mark has committed: the sources'
	// reads, one statement each, find all of them.
	if out.zone, err = s.zone.ChangeMark(ctx, book); err != nil {
		return Sealed{}, err
	}
	for _, src := range s.sources {
		if err := src.BookDocumentsChanged(ctx, p, book, zoneSince, out.zone, keep); err != nil {
			return Sealed{}, err
		}
	}
	if out.ecom, err = s.ecommerceDocuments(ctx, p, book, since, keep); err != nil {
		return Sealed{}, err
	}
	slices.SortFunc(docs, func(a, b zone.StoredDocument) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.No, b.No))
	})
	out.Journals, out.Documents = int64(len(journals)), int64(len(docs))
	lines, digest, err := chain(out, journals, docs)
	if err != nil {
		return Sealed{}, err
	}
	out.Digest = digest
	out.SealedAt = s.now().UTC().Truncate(time.Microsecond)
	err = dbError(s.tx.Run(ctx, func(tx pgx.Tx) error {
		if got, err := loadSealed(ctx, tx, book, through); err != nil || got != nil {
			if got != nil {
				out = *got
			}
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO evid_periods (book, through, from_date, ledger_digest, previous_digest, digest, journals, documents, sealed_at, sealed_by,
				ecommerce_seq, ecommerce_day, zone_seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, book, through, nullDate(out.From), out.LedgerDigest, out.PreviousDigest,
			out.Digest, out.Journals, out.Documents, out.SealedAt, out.SealedBy, out.ecom.Seq, nullDate(out.ecom.Day), out.zone.Seq); err != nil {
			return err
		}
		// Multi-row inserts (unnest: the SQL both engines share), a chunk at
		// a time.
		const chunk = 1000
		for start := 0; start < len(lines); start += chunk {
			part := lines[start:min(start+chunk, len(lines))]
			seqs := make([]int64, len(part))
			kinds, keys, records, chains := make([]string, len(part)), make([]string, len(part)), make([]string, len(part)), make([]string, len(part))
			for i, l := range part {
				seqs[i], kinds[i], keys[i], records[i], chains[i] = l.Seq, l.Kind, l.Key, string(l.Record), l.Chain
			}
			if _, err := tx.Exec(ctx, `INSERT INTO evid_records (book, through, seq, kind, key, record, chain)
				SELECT $1, $2, k.seq, k.kind, k.key, k.record, k.chain
				FROM unnest($3::int8[], $4::text[], $5::text[], $6::text[], $7::text[]) AS k(seq, kind, key, record, chain)`,
				book, through, seqs, kinds, keys, records, chains); err != nil {
				return err
			}
		}
		return nil
	}))
	return out, err
}

// SealThrough seals, oldest first, the evidence of each period of the book
// the ledger closed up to and including the first one that covers day (its
// last day on or after day), and returns that period's evidence. Periods
// already sealed are left as they are, so calling it again, or after a
// crash part way, finishes the work and changes nothing sealed. It is
// what closing a write-off calls (customs/writeoff): the evidence then
// covers the stocktake date. A period the ledger closed past day without
// one ending on it is the covering period; no period covering day is
// refused with ReasonPeriodNotClosed.
func (s *Service) SealThrough(ctx context.Context, p access.Principal, book string, day time.Time) (Sealed, error) {
	day = ledger.Day(day)
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return Sealed{}, err
	}
	periods, err := s.ledger.Periods(ctx, book)
	if err != nil {
		return Sealed{}, err
	}
	i := slices.IndexFunc(periods, func(q ledger.Period) bool { return !q.Through.Before(day) })
	if i < 0 {
		return Sealed{}, ledger.Precondition(ReasonPeriodNotClosed, "through",
			"book %s has no period closed through %s or later; close it first (zonectl periods close), then seal its evidence", book, ledger.FormatDate(day))
	}
	var out Sealed
	for _, q := range periods[:i+1] {
		if out, err = s.Seal(ctx, p, book, q.Through); err != nil {
			return Sealed{}, err
		}
	}
	return out, nil
}

// chain encodes and chains a period's records: the header, the journals,
// the documents.
func chain(h Sealed, journals []ledger.Journal, docs []zone.StoredDocument) ([]evfile.Line, []byte, error) {
	c := evfile.NewChain()
	lines := make([]evfile.Line, 0, 1+len(journals)+len(docs))
	add := func(kind, key string, rec any) error {
		l, err := c.Add(kind, key, rec)
		if err != nil {
			return fmt.Errorf("sealing evidence of book %s: %w", h.Book, err)
		}
		lines = append(lines, l)
		return nil
	}
	from := ""
	if !h.From.IsZero() {
		from = ledger.FormatDate(h.From)
	}
	if err := add(evfile.KindPeriod, h.Book+"/"+ledger.FormatDate(h.Through), evfile.Header{
		Encoding: evfile.Version, Book: h.Book, From: from, Through: ledger.FormatDate(h.Through),
		PreviousDigest: hex.EncodeToString(h.PreviousDigest), LedgerDigest: hex.EncodeToString(h.LedgerDigest),
		Journals: h.Journals, Documents: h.Documents,
	}); err != nil {
		return nil, nil, err
	}
	for _, j := range journals {
		if err := add(evfile.KindJournal, strconv.FormatInt(j.ID, 10), journalRecord(j)); err != nil {
			return nil, nil, err
		}
	}
	for _, d := range docs {
		rec := evfile.Document{Book: h.Book, Enterprise: d.Enterprise, Status: d.Status, Body: json.RawMessage(d.Body)}
		if err := add(d.Kind, d.No, rec); err != nil {
			return nil, nil, err
		}
	}
	return lines, c.Digest(), nil
}

// journals reads the period's journals in the ledger's period order
// (effective date, ID) and checks them against the digest the ledger
// sealed.
func (s *Service) journals(ctx context.Context, p ledger.Period) ([]ledger.Journal, error) {
	var out []ledger.Journal
	var after int64
	for {
		page, err := s.ledger.ListJournals(ctx, ledger.JournalFilter{Book: p.Book, From: p.From, To: p.Through, AfterID: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
	slices.SortFunc(out, func(a, b ledger.Journal) int {
		return cmp.Or(a.EffectiveDate.Compare(b.EffectiveDate), cmp.Compare(a.ID, b.ID))
	})
	hashes := make([][]byte, len(out))
	for i, j := range out {
		hashes[i] = j.ComputeHash()
	}
	if int64(len(out)) != p.JournalCount || !bytes.Equal(ledger.PeriodDigest(p.PreviousDigest, p.Book, p.From, p.Through, hashes), p.Digest) {
		return nil, ledger.Precondition(ReasonLedgerMismatch, "through",
			"the journals of book %s through %s no longer reproduce the digest the ledger sealed; run 'zonectl periods verify --book %s' and report it", p.Book, ledger.FormatDate(p.Through), p.Book)
	}
	return out, nil
}

func journalRecord(j ledger.Journal) evfile.Journal {
	r := evfile.Journal{ID: j.ID, Book: j.Book, IdempotencyKey: j.IdempotencyKey, EffectiveDate: ledger.FormatDate(j.EffectiveDate),
		DocumentType: j.Document.Type, DocumentNumber: j.Document.Number, TradeMode: j.Document.TradeMode,
		Principal: j.Principal, Metadata: nonNil(j.Metadata), ReversalOf: j.ReversalOf, Hash: hex.EncodeToString(j.Hash),
		Postings: make([]evfile.Posting, len(j.Postings))}
	for i, p := range j.Postings {
		ep := evfile.Posting{ItemBook: p.Item.Book, Item: p.Item.Code, FromBook: p.From.Book, From: p.From.Name, ToBook: p.To.Book, To: p.To.Name,
			Quantity: p.Quantity.String(), Unit: p.Unit, Value: p.Value.String(), Lot: p.Lot, LotAttributes: nonNil(p.LotAttributes),
			Legs: make([]evfile.Leg, len(p.Legs))}
		for k, l := range p.Legs {
			ep.Legs[k] = evfile.Leg{Lot: l.Lot, Quantity: l.Quantity.String(), Value: l.Value.String()}
		}
		r.Postings[i] = ep
	}
	return r
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (s *Service) load(ctx context.Context, book string, through time.Time) (*Sealed, error) {
	got, err := loadSealed(ctx, s.pool, book, through)
	return got, dbError(err)
}

// loadSealed returns the sealed evidence of (book, through), or nil.
func loadSealed(ctx context.Context, q querier, book string, through time.Time) (*Sealed, error) {
	all, err := querySealed(ctx, q, `WHERE book = $1 AND through = $2`, book, through)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[0], nil
}

func querySealed(ctx context.Context, q querier, where string, args ...any) ([]Sealed, error) {
	rows, err := q.Query(ctx, `SELECT book, from_date, through, ledger_digest, previous_digest, digest, journals, documents, sealed_at, sealed_by,
		ecommerce_seq, ecommerce_day, zone_seq FROM evid_periods `+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Sealed, error) {
		var x Sealed
		var from, ecomDay *time.Time
		err := r.Scan(&x.Book, &from, &x.Through, &x.LedgerDigest, &x.PreviousDigest, &x.Digest, &x.Journals, &x.Documents, &x.SealedAt, &x.SealedBy,
			&x.ecom.Seq, &ecomDay, &x.zone.Seq)
		if from != nil {
			x.From = *from
		}
		if ecomDay != nil {
			x.ecom.Day = *ecomDay
		}
		return x, err
	})
}

// List returns the sealed evidence of a book, oldest first. p must be able
// to read the book.
func (s *Service) List(ctx context.Context, p access.Principal, book string) ([]Sealed, error) {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return nil, err
	}
	all, err := querySealed(ctx, s.pool, `WHERE book = $1 ORDER BY through`, book)
	return all, dbError(err)
}

// Export calls head with the sealed period, then line with each line of
// its evidence, in chain order, as it was sealed. p must be able to read
// the book: customs any book, an enterprise its own.
func (s *Service) Export(ctx context.Context, p access.Principal, book string, through time.Time, head func(Sealed) error, line func(evfile.Line) error) error {
	through = ledger.Day(through)
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	got, err := s.load(ctx, book, through)
	if err != nil {
		return err
	}
	if got == nil {
		return ledger.NotFound(ReasonNotSealed, "through",
			"the evidence of book %s through %s is not sealed; seal it first (zonectl evidence seal)", book, ledger.FormatDate(through))
	}
	if err := head(*got); err != nil {
		return err
	}
	const page = 1000
	for after := int64(-1); ; {
		rows, err := s.pool.Query(ctx, `SELECT seq, kind, key, record, chain FROM evid_records
			WHERE book = $1 AND through = $2 AND seq > $3 ORDER BY seq LIMIT $4`, book, through, after, page)
		if err != nil {
			return dbError(err)
		}
		lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (evfile.Line, error) {
			var l evfile.Line
			var rec string
			err := r.Scan(&l.Seq, &l.Kind, &l.Key, &rec, &l.Chain)
			l.Record = json.RawMessage(rec)
			return l, err
		})
		if err != nil {
			return dbError(err)
		}
		for _, l := range lines {
			if err := line(l); err != nil {
				return err
			}
		}
		if len(lines) < page {
			return nil
		}
		after = lines[len(lines)-1].Seq
	}
}
