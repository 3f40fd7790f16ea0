package ledger

import (
	"time"

	"github.com/shopspring/decimal"
)

// Book is one set of account books of a holder, e.g. an enterprise's H book.
// Its accounts are the buckets goods can sit in; its items are the lines
// being counted.
type Book struct {
	// ID is the book's identifier, unique in the ledger (e.g. "H4601A000001").
	ID string
	// Name is a human-readable name.
	Name string
	// Owner identifies who the book belongs to (an enterprise). The ledger
	// stores it; access control is the caller's business.
	Owner string
	// Accounts are the names of the book's buckets, e.g. "bonded".
	Accounts []string
	// Attributes are free-form labels kept with the book.
	Attributes map[string]string
	// ClosedThrough is the last day of the last closed period; zero when no
	// period was ever closed. Journals dated on or before it are refused.
	ClosedThrough time.Time
	// CreatedAt is when the book was created.
	CreatedAt time.Time
}

// AttributeManagedBy is the book attribute naming the service that keeps a
// book's movements (e.g. "customs/zone"). Such a book is written only by
// that service: the generic API refuses postings, reversals, new items and
// new accounts on it, so its movements always go with their documents.
const AttributeManagedBy = "managed_by"

// ReasonBookManaged refuses a generic write to a managed book.
const ReasonBookManaged = "BOOK_MANAGED"

// Item is a line being counted in one book (a 备案序号), in one unit.
type Item struct {
	// Book is the book the item belongs to.
	Book string
	// Code identifies the item within its book.
	Code string
	// Unit is the unit every quantity of this item is in ("KGM", "PCE", "007").
	Unit string
	// Scale is the number of decimal places a quantity may have, 0 to 5.
	Scale int32
	// Name is a human-readable name.
	Name string
	// Attributes are free-form labels kept with the item.
	Attributes map[string]string
}

// Ref returns the item's reference.
func (it Item) Ref() ItemRef { return ItemRef{Book: it.Book, Code: it.Code} }

// ItemRef names an item.
type ItemRef struct {
	Book string
	Code string
}

// String renders the reference as "book/code".
func (r ItemRef) String() string { return r.Book + "/" + r.Code }

// AccountRef names an account: a bucket of a book, or, when Book is empty, a
// world account outside every book.
type AccountRef struct {
	Book string
	Name string
}

// World returns the reference of the world account name.
func World(name string) AccountRef { return AccountRef{Name: name} }

// In returns the reference of the bucket name of book.
func In(book, name string) AccountRef { return AccountRef{Book: book, Name: name} }

// IsWorld reports whether the account is a world account. World accounts may
// go below zero: they carry the other side of every movement into and out
// of the books.
func (a AccountRef) IsWorld() bool { return a.Book == "" }

// String renders the reference as "book:name", or "world:name".
func (a AccountRef) String() string {
	if a.IsWorld() {
		return "world:" + a.Name
	}
	return a.Book + ":" + a.Name
}

// Document is the customs or business document a journal books.
type Document struct {
	// Type is the kind of document, e.g. "INVT" for a 核注清单.
	Type string
	// Number is the document's number.
	Number string
	// TradeMode is the 监管方式 code, e.g. "5034".
	TradeMode string
}

// Posting moves a quantity of one item, and its value, between two accounts.
type Posting struct {
	Item ItemRef
	From AccountRef
	To   AccountRef
	// Quantity is the amount moved, > 0, in Unit.
	Quantity decimal.Decimal
	// Unit must equal the item's unit.
	Unit string
	// Value is the value moved in CNY. For goods entering the books from a
	// world account the caller states it (>= 0, to the fen). For goods taken
	// out of a book account the ledger derives it from the lots' carrying
	// value; leave it zero in the request.
	Value decimal.Decimal
	// Lot, when taking out of a book account, names the lot to take from
	// (empty: oldest lots first). When goods enter from a world account, it
	// names the lot they form (empty: the ledger names it "<journal>.<n>").
	Lot string
	// LotAttributes are recorded with a lot when this posting creates it
	// (origin country, source document, ...).
	LotAttributes map[string]string
	// Legs are filled in by the ledger: the lots the posting actually moved.
	Legs []Leg
}

// Leg is the part of a posting that moved one lot.
type Leg struct {
	Lot      string
	Quantity decimal.Decimal
	Value    decimal.Decimal
}

// JournalRequest asks the ledger to record one journal.
type JournalRequest struct {
	// Book is the book the journal is filed on; its idempotency keys are
	// unique within it. Postings may also touch other books.
	Book string
	// IdempotencyKey makes retries safe; required.
	IdempotencyKey string
	// EffectiveDate is the business date (业务日期) the movement counts on.
	EffectiveDate time.Time
	Document      Document
	// Principal is who filed it.
	Principal string
	Metadata  map[string]string
	Postings  []Posting
}

// Journal is a recorded, immutable journal.
type Journal struct {
	// ID is unique across the ledger. Within each book the journal touches,
	// IDs increase in the order journals commit, so paging a book by ID
	// never skips a later commit; across books they may have gaps and need
	// not follow commit order.
	ID             int64
	Book           string
	IdempotencyKey string
	EffectiveDate  time.Time
	Document       Document
	Principal      string
	Metadata       map[string]string
	// Postings carry their Legs and derived Values.
	Postings []Posting
	// ReversalOf is the journal this one reverses, or 0.
	ReversalOf int64
	// ReversedBy is the journal that reversed this one, or 0.
	ReversedBy  int64
	CommittedAt time.Time
	// Hash is the journal's content digest (see Journal.ComputeHash).
	Hash []byte
	// Replayed is true when this result answers a replayed idempotency key.
	Replayed bool
}

// ReverseRequest asks for a journal to be reversed by a new journal.
type ReverseRequest struct {
	// Book is the book the reversal is filed on (its idempotency key scope).
	Book           string
	JournalID      int64
	IdempotencyKey string
	EffectiveDate  time.Time
	Principal      string
	Reason         string
}

// Holding is a quantity and value of one item held in one account, in one
// lot or summed over lots.
type Holding struct {
	Account  AccountRef
	Item     ItemRef
	Unit     string
	Lot      string
	Quantity decimal.Decimal
	Value    decimal.Decimal
}

// Lot describes a lot of an item: goods that entered the books together.
type Lot struct {
	Item ItemRef
	Key  string
	// EntryDate is the effective date of the journal that created the lot.
	EntryDate time.Time
	// JournalID is the journal that created it.
	JournalID  int64
	Attributes map[string]string
}

// DayTotal is the movement of one item through one account on one day.
type DayTotal struct {
	Account     AccountRef
	Item        ItemRef
	Day         time.Time
	QuantityIn  decimal.Decimal
	QuantityOut decimal.Decimal
	ValueIn     decimal.Decimal
	ValueOut    decimal.Decimal
}

// Period is a closed, sealed period of a book.
type Period struct {
	Book string
	// From is the first day of the period, or zero for the first period.
	From time.Time
	// Through is its last day.
	Through        time.Time
	JournalCount   int64
	Digest         []byte
	PreviousDigest []byte
	ClosedAt       time.Time
}
