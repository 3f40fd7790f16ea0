package access

import (
	"context"
	"embed"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema migrations of the access tables (component
// "access").
func Migrations() migrate.Set {
	return migrate.MustLoad("access", migrationFiles, "migrations")
}

// DefaultCacheTTL is how long a successful Authenticate is remembered when
// Options.CacheTTL is zero.
const DefaultCacheTTL = 5 * time.Second

// maxTxAttempts bounds the attempts of one write transaction.
const maxTxAttempts = 10

// maxCacheEntries bounds the authentication cache; beyond it, expired
// entries are swept and, if that is not enough, the cache is emptied.
const maxCacheEntries = 10000

// Options configure a Store.
type Options struct {
	// CacheTTL is how long a successful Authenticate is cached in memory.
	// Zero means DefaultCacheTTL; a negative value disables the cache. Other
	// server processes on the same database see a revocation or a disabled
	// principal only once their cached entry is older than CacheTTL.
	CacheTTL time.Duration
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
	// Engine is the database engine; empty detects it on first use.
	Engine pgtx.Engine
}

// Store keeps principals and tokens in PostgreSQL or CockroachDB. It is safe
// for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	tx   *pgtx.Lazy
	ttl  time.Duration
	now  func() time.Time

	mu    sync.RWMutex
	cache map[[32]byte]cacheEntry // SHA-256 of a token -> what it authenticated
	gen   uint64                  // bumped on every invalidation
}

// cacheEntry is a successful authentication.
type cacheEntry struct {
	principal    Principal
	tokenID      string
	tokenExpires time.Time // zero: never
	until        time.Time // end of the entry's TTL
}

// NewStore returns a Store on pool. Call Migrate (or apply Migrations)
// before using it.
func NewStore(pool *pgxpool.Pool, opts Options) *Store {
	s := &Store{pool: pool, tx: pgtx.NewLazy(pool, opts.Engine, pgtx.Options{MaxAttempts: maxTxAttempts}),
		ttl: opts.CacheTTL, now: opts.Now, cache: map[[32]byte]cacheEntry{}}
	if s.ttl == 0 {
		s.ttl = DefaultCacheTTL
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Migrate applies the access migrations not yet applied.
func (s *Store) Migrate(ctx context.Context) error {
	_, err := Migrations().Up(ctx, s.pool)
	return err
}

// clock returns the current time as the database stores it (UTC,
// microseconds), so that values written and read back compare equal.
func (s *Store) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a SERIALIZABLE transaction with the retries the engine
// needs (package pgtx: a new BEGIN per attempt on PostgreSQL with the COMMIT
// error checked, crdbpgx.ExecuteTx on CockroachDB). fn must have no effects
// outside the transaction: it may run several times.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return dbError(s.tx.Run(ctx, fn))
}

// dbError passes ledger and context errors through and turns database
// failures into ledger errors that say what to do.
func dbError(err error) error {
	return ledger.DatabaseError(err, "the access tables", pgtx.Retryable, pgtx.StatementRefused)
}
