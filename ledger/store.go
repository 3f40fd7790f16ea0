package ledger

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Store persists the ledger. Implementations enforce every invariant of the
// package inside their write transactions by running a WorkingSet over the
// locked holdings; see ledger/pgstore.
type Store interface {
	// CreateBook creates a book with its accounts. A book that already
	// exists is refused with ReasonBookExists unless it is identical.
	CreateBook(ctx context.Context, b Book) (Book, error)
	// GetBook returns one book.
	GetBook(ctx context.Context, id string) (Book, error)
	// ListBooks returns books in ID order.
	ListBooks(ctx context.Context, f BookFilter) ([]Book, error)
	// AddBookAccounts adds buckets to a book; existing names are kept.
	AddBookAccounts(ctx context.Context, book string, names []string) (Book, error)
	// EnsureWorldAccounts creates the named world accounts if missing.
	EnsureWorldAccounts(ctx context.Context, names []string) error
	// WorldAccounts lists the world accounts.
	WorldAccounts(ctx context.Context) ([]string, error)

	// RegisterItems creates items; registering an identical item again is a
	// no-op, a different unit or scale for an existing code is refused with
	// ReasonItemConflict. All or nothing.
	RegisterItems(ctx context.Context, items []Item) ([]Item, error)
	// GetItem returns one item.
	GetItem(ctx context.Context, ref ItemRef) (Item, error)
	// ListItems returns a book's items in code order.
	ListItems(ctx context.Context, f ItemFilter) ([]Item, error)

	// Post records one journal, or returns the original one when the
	// idempotency key was used before with the same request.
	Post(ctx context.Context, req JournalRequest) (Journal, error)
	// PostMany records several journals, each on its own: the result at
	// index i answers reqs[i].
	PostMany(ctx context.Context, reqs []JournalRequest) []PostResult
	// Reverse records a journal that undoes another one exactly, lot by lot.
	Reverse(ctx context.Context, req ReverseRequest) (Journal, error)
	// GetJournal returns one journal with its postings and legs.
	GetJournal(ctx context.Context, id int64) (Journal, error)
	// ListJournals returns journals touching a book, in ID order.
	ListJournals(ctx context.Context, f JournalFilter) ([]Journal, error)

	// Balances returns holdings, current or as of a date.
	Balances(ctx context.Context, q BalanceQuery) ([]Holding, error)
	// DayTotals returns per-day in and out totals.
	DayTotals(ctx context.Context, q TotalsQuery) ([]DayTotal, error)
	// Lots returns the lots of an item, oldest first.
	Lots(ctx context.Context, item ItemRef) ([]Lot, error)
	// PeriodTotals returns a book's balances at the start of a period and
	// its movements during the period summed by flow, from per-day totals
	// (never a scan of postings).
	PeriodTotals(ctx context.Context, q PeriodQuery) (PeriodTotals, error)

	// ClosePeriod closes a book's period through the given day and seals it.
	// A replayed idempotency key returns the period it closed; the same key
	// for another day is refused with ReasonIdempotencyMismatch. The digest
	// is taken with NewPeriodDigest, the hashes streamed into it: memory
	// does not grow with the period.
	ClosePeriod(ctx context.Context, req ClosePeriodRequest) (Period, error)
	// Periods lists a book's closed periods, oldest first.
	Periods(ctx context.Context, book string) ([]Period, error)
	// VerifyPeriods recomputes every sealed period's digest from the stored
	// journals and reports what it checked and the discrepancies found
	// (none means intact; no period checked means nothing is sealed yet).
	// It reads a period a page of journals at a time, never whole.
	VerifyPeriods(ctx context.Context, book string) (Verification, error)

	// Close releases the store's resources after finishing in-flight writes.
	Close()
}

// Verification is the outcome of VerifyPeriods.
type Verification struct {
	// Periods is how many sealed periods were checked: 0 when none was
	// ever closed, so there was nothing to verify.
	Periods int
	// Journals is how many journals those periods hold.
	Journals int64
	// Problems has one line per discrepancy; empty when intact.
	Problems []string
}

// ClosePeriodRequest asks for a book's period to be closed through a day.
type ClosePeriodRequest struct {
	Book           string
	Through        time.Time
	IdempotencyKey string
}

// PostResult answers one request of PostMany.
type PostResult struct {
	Journal Journal
	Err     error
}

// BookFilter selects books. Zero fields match everything.
type BookFilter struct {
	Owner string
	// After returns books with IDs greater than it (paging).
	After string
	// Limit caps the result; 0 means the store's default.
	Limit int
}

// ItemFilter selects a book's items.
type ItemFilter struct {
	Book  string
	After string
	Limit int
}

// JournalFilter selects journals touching a book.
type JournalFilter struct {
	Book string
	// From and To bound the effective date, inclusive; zero is open.
	From, To time.Time
	// AfterID returns journals with IDs greater than it (paging).
	AfterID int64
	Limit   int
}

// BalanceQuery selects holdings of a book.
type BalanceQuery struct {
	Book string
	// Account restricts to one of the book's accounts.
	Account string
	// Item restricts to one item code of the book.
	Item string
	// AsOf, when not nil, returns balances at the end of that day, computed
	// from the per-day totals; nil returns current balances. Any date counts,
	// 0001-01-01 too (nothing was held then). Lots are not available as of a
	// date.
	AsOf *time.Time
	// ByLot splits current balances by lot.
	ByLot bool
	// IncludeZero keeps holdings whose quantity and value are zero.
	IncludeZero bool
}

// TotalsQuery selects per-day totals of a book.
type TotalsQuery struct {
	Book     string
	Account  string
	Item     string
	From, To time.Time
}

// PeriodQuery selects a book's period for PeriodTotals: the days From
// through To, both included.
type PeriodQuery struct {
	Book     string
	From, To time.Time
}

// PeriodTotals is a book's period: what its accounts held at the end of
// the day before From, and what moved in and out of them from From
// through To, by flow. For every book account and item, Opening plus the
// flows' QuantityIn less their QuantityOut is the balance at the end of To
// (the same for values).
type PeriodTotals struct {
	// Opening has a row per book account and item that held anything or
	// moved in the period, zero ones too.
	Opening []Holding
	// Flows are the period's movements of the book's accounts.
	Flows []FlowTotal
}

// FlowTotal is the movement of one item through one book account over a
// period, for one flow: the counterpart account of the postings (the
// account the goods came from or went to), the document type and trade
// mode of their journals, and whether those journals were reversals.
type FlowTotal struct {
	Account     AccountRef
	Item        ItemRef
	Counterpart AccountRef
	Document    Document // Type and TradeMode; Number is empty
	Reversal    bool
	QuantityIn  decimal.Decimal
	QuantityOut decimal.Decimal
	ValueIn     decimal.Decimal
	ValueOut    decimal.Decimal
}

// Journals posts and reverses journals inside a ReadWriter's ReadWriteTx:
// they commit with the caller's own writes in that transaction, or not at
// all. Each request is checked as Store.PostMany and Store.Reverse check
// it; a refused journal writes nothing and is answered on its own.
type Journals interface {
	// PostMany records journals: the result at index i answers reqs[i]
	// (a refusal is that result's Err). The error is the transaction's:
	// return it from the ReadWriteTx function, which is then run again or
	// fails as a whole.
	PostMany(ctx context.Context, reqs []JournalRequest) ([]PostResult, error)
	// Reverse records a journal that undoes another one exactly. A refusal
	// is a *Error of a domain kind; any other error is the transaction's.
	Reverse(ctx context.Context, req ReverseRequest) (Journal, error)
}

// ReadWriter is a Store whose journals can commit in one transaction with
// a consumer's own writes: the one way a change that writes documents and
// posts journals is committed. Tx is the store's transaction type (pgx.Tx
// for ledger/pgstore); the ledger never looks inside it, and a consumer
// that keeps its own tables in the same database writes them through it.
type ReadWriter[Tx any] interface {
	Store
	// ReadWriteTx runs fn in one SERIALIZABLE transaction and commits it
	// if fn returns nil; if fn returns an error, nothing fn wrote and no
	// journal it posted is kept, and the error is returned as fn gave it.
	// The transaction is retried as a whole on conflicts, so fn may run
	// several times: it must have no effect outside tx and must start
	// from scratch each time. What the store locks to write fn's journals
	// (ledger/pgstore: the ordering rows of the books they name and the
	// holdings they take from, never a row shared by all books) stays
	// locked until the transaction ends: keep fn short, and lock nothing
	// of the consumer's own that all books share.
	ReadWriteTx(ctx context.Context, fn func(ctx context.Context, tx Tx, j Journals) error) error
}
