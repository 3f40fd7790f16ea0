// Package pgstore implements ledger.Store on PostgreSQL and CockroachDB.
//
// All ledger SQL lives here, in the subset both engines share. Writes go
// through batchers, one per writer (Options.Writers), each serving its
// share of the books: concurrent Post, PostMany and Reverse calls are
// coalesced into one SERIALIZABLE transaction that locks the sequence rows
// of the books its journals name (ledger_book_seqs, in book order), draws
// their journal IDs from a sequence, locks the holdings the batch takes from, checks each journal in arrival order with a
// ledger.WorkingSet, writes the accepted ones with multi-row statements and
// answers every caller after one commit. ReadWriteTx (ledger.ReadWriter)
// runs the same checks and writes inside a consumer's transaction instead,
// for a consumer whose own writes must commit with the journals.
//
// A batch locks only what its journals take, so its cost does not grow with
// history: a posting that names its lot locks that lot's holding; one that
// takes oldest lots first locks the oldest open lots of its (account, item)
// pair, a page at a time in first-in first-out order through an index on
// the holding's own lot key (entry date, creating journal, lot), and, when
// the batch takes past the page, the next page (four times as many) before
// the batch is checked again; goods coming into a pair lock nothing
// before the write. Emptied lots leave ledger_holdings, so a pair's page
// skips nothing. A pair of 400,000 open lots costs a one-lot journal what a
// one-lot pair does (BenchmarkAged). Every write transaction locks its
// books' rows first, which keeps the lock order deterministic, and holds no
// row that a transaction on other books needs: batches on disjoint books
// commit in parallel, in one process and across processes. A book's
// journals get increasing IDs in the order they commit and a gap-free
// number in the book (ledger_journal_books.book_seq); across books IDs are
// unique but neither gap-free nor in commit order (see ledger/README.md).
//
// On PostgreSQL a batch's transaction is two round trips (pgtx.Pipe): BEGIN,
// the books' locks, the IDs and every lookup in one, the writes and COMMIT
// in the other (plus one per further page, rarely). The lookups include, for
// the as-of check, each pair taken from's per-day totals after the batch's
// earliest date for it (usually none) and, only when there are some, its
// balance. Effective dates after the zone's today (Options.TimeZone) plus
// Options.FutureDays are refused. Rows are looked up by key one LATERAL
// lookup per key, so that a plan made while a table was small never scans it
// whole later, and JIT compilation is off for the ledger's statements
// (ReadWriteTx restores the caller's setting after them).
// A posting that moved one lot whole keeps that lot on its own row
// (ledger_postings.leg_lot); other postings' legs are rows of ledger_legs.
package pgstore

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/batcher"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// DefaultMaxWait is how long a busy batcher lingers for more journals unless
// Options.MaxWait says otherwise. Short on purpose: while it lingers the
// database waits too, and with a fixed number of posters a batch only
// fills when they have all come back. README.md (Performance) has the
// measurements behind the choice.
const DefaultMaxWait = 100 * time.Microsecond

// DefaultWriters is how many write transactions a Store runs at once unless
// Options.Writers says otherwise.
const DefaultWriters = 2

// Options configure a Store.
type Options struct {
	// Engine, when set, must match the engine detected from
	// SELECT version(); the retry protocol follows the detected engine.
	Engine Engine
	// MaxBatch bounds how many journals one transaction carries. Default 256.
	MaxBatch int
	// Writers is how many write transactions the store runs at once. Each
	// serves its own share of the books (a journal goes to the writer of
	// its book, so a book's journals are checked in arrival order), and a
	// batch waiting on a book locked elsewhere (another process, a ReadWriteTx
	// caller) holds up only its writer's share. Default DefaultWriters
	// (2): on the 2-core development machine more writers made smaller
	// batches and cost throughput (ledger/README.md); raise it with the
	// cores.
	Writers int
	// MaxWait bounds how long the batcher lingers for more journals once
	// the queue is empty. It lingers only while busy (the previous batch held
	// more than one journal), so an idle ledger adds no latency. Zero means
	// the default, DefaultMaxWait; a negative value never lingers.
	MaxWait time.Duration
	// MaxAttempts bounds how many times a transaction is tried. Default 10.
	MaxAttempts int
	// Faults injects failures, for tests. Nil in production.
	Faults FaultInjector
	// Metrics receives batch and retry observations. Optional.
	Metrics Metrics
	// TimeZone is the zone's time zone, whose today bounds effective dates
	// (see FutureDays). Nil means ledger.DefaultTimeZone, Asia/Shanghai.
	TimeZone *time.Location
	// FutureDays is how many days after the zone's today an effective date
	// may be. Default 0: a journal is dated today at the latest, since a
	// movement dated ahead is almost always a typing error and would show
	// in every later as-of balance. Negative values count as 0.
	FutureDays int
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Metrics receives observations of the write path.
type Metrics interface {
	// BatchCommitted is called after each write transaction.
	BatchCommitted(size int, attempts int, d time.Duration, err error)
	// Retried is called for each retried attempt.
	Retried()
	// RanAlone is called for each last attempt that ran alone among the
	// write transactions (pgtx.Options.OnAlone).
	RanAlone()
}

func (o *Options) defaults() {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 256
	}
	if o.Writers <= 0 {
		o.Writers = DefaultWriters
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.MaxWait == 0 {
		o.MaxWait = DefaultMaxWait
	}
	o.FutureDays = max(o.FutureDays, 0)
	if o.Now == nil {
		o.Now = time.Now
	}
}

// latestDate is the latest effective date the store takes now.
func (s *Store) latestDate() time.Time {
	return ledger.DayIn(s.opts.Now(), s.opts.TimeZone).AddDate(0, 0, s.opts.FutureDays)
}

// Store is a ledger.Store on PostgreSQL or CockroachDB.
type Store struct {
	pool   *pgxpool.Pool
	opts   Options
	engine Engine
	runner *pgtx.Runner

	// writes coalesce Post, PostMany and Reverse calls into batches
	// (batch.go), one batcher per writer, each for its share of the books
	// (writerOf).
	writes []*batcher.Batcher[*op]

	// flowIDs maps each flow (flowOfKey) numbered in ledger_flows to its
	// number; flowPool numbers the flows not seen before.
	flowIDs  sync.Map
	flowPool *pgxpool.Pool
}

var _ ledger.Store = (*Store)(nil)

// Open connects to the database at url, detects the engine unless set, and
// starts the batcher. It does not migrate; call Migrate or Migrations().Up.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parsing database URL: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	s, err := New(ctx, pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// New builds a Store on an existing pool, which it closes on Close.
func New(ctx context.Context, pool *pgxpool.Pool, opts Options) (*Store, error) {
	opts.defaults()
	if opts.TimeZone == nil {
		loc, err := time.LoadLocation(ledger.DefaultTimeZone)
		if err != nil {
			return nil, fmt.Errorf("loading the zone's time zone %s (import time/tzdata in the binary, or set Options.TimeZone): %w", ledger.DefaultTimeZone, err)
		}
		opts.TimeZone = loc
	}
	// The engine is always detected: running CockroachDB's retry helper on
	// PostgreSQL would report writes that failed at COMMIT as successes.
	engine, err := DetectEngine(ctx, pool)
	if err != nil {
		return nil, err
	}
	if opts.Engine != "" && opts.Engine != engine {
		return nil, fmt.Errorf("the database is %s, not %s: drop --engine or point --database-url at a %s database", engine, opts.Engine, opts.Engine)
	}
	txo := pgtx.Options{MaxAttempts: opts.MaxAttempts, Faults: opts.Faults}
	if opts.Metrics != nil {
		txo.OnRetry, txo.OnAlone = opts.Metrics.Retried, opts.Metrics.RanAlone
	}
	runner, err := pgtx.NewRunner(pool, engine, txo)
	if err != nil {
		return nil, err
	}
	// Flows are numbered on connections of their own (flowNumbers), so
	// that a write transaction never waits for a free connection of pool
	// while holding one.
	fcfg := pool.Config()
	fcfg.MaxConns, fcfg.MinConns = 2, 0
	flowPool, err := pgxpool.NewWithConfig(ctx, fcfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	s := &Store{pool: pool, flowPool: flowPool, opts: opts, engine: engine, runner: runner}
	s.writes = make([]*batcher.Batcher[*op], opts.Writers)
	for i := range s.writes {
		s.writes[i] = batcher.New(opts.MaxBatch, opts.MaxWait, s.execute)
	}
	return s, nil
}

// writerOf is the index of the writer (batcher) that serves book.
func (s *Store) writerOf(book string) int {
	h := fnv.New32a()
	h.Write([]byte(book))
	return int(h.Sum32() % uint32(len(s.writes)))
}

// Engine returns the engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Pool returns the store's connection pool, for components that keep their
// own tables in the same database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Migrate applies the ledger's pending migrations.
func (s *Store) Migrate(ctx context.Context) error {
	_, err := Migrations().Up(ctx, s.pool)
	return err
}

// Close stops accepting writes, finishes every queued and in-flight batch,
// and closes the pool.
func (s *Store) Close() {
	for _, w := range s.writes {
		w.Close()
	}
	s.flowPool.Close()
	s.pool.Close()
}

var errClosed = &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable, Message: "the ledger is shutting down; retry with the same idempotency key"}
