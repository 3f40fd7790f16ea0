// Package ledger is zoneledger's double-entry quantity-and-value ledger: the
// vocabulary (books, items, accounts, lots, journals), the rules every journal
// must satisfy, and the Store interface that persists them.
//
// The ledger knows nothing of customs or of gRPC. A Book is a set of accounts
// (buckets such as "bonded" or "awaiting-repair") and items (book lines with a
// unit). World accounts ("abroad", "domestic", "consumed", ...) sit outside
// every book and carry the other side of every movement, so each item sums to
// zero across all accounts.
//
// A Journal is an atomic, immutable set of Postings. A Posting moves a positive
// quantity of one item, with its value in CNY, from one account to another.
// Book accounts never go below zero, now or at the end of any day: a journal
// dated D may only take goods the account held on D and on every later day.
// Effective dates run from EarliestEffectiveDate to the zone's today plus the
// store's horizon; DayIn gives the zone's day. Holdings in book accounts are
// split into lots, and a posting out of a book account takes the lot it names
// or the oldest lots first (FIFO). The value of goods leaving a book account is their
// carrying value in the lots they are taken from; a caller states a value only
// for goods entering from a world account.
//
// Corrections are reversing journals; nothing is updated or deleted. Every
// journal carries an idempotency key unique within its book: replaying the
// same request returns the original journal, and the same key with a
// different body is refused.
//
// The invariants are enforced by a WorkingSet, which a Store fills with the
// holdings it has loaded and locked inside its write transaction and then
// runs each journal of the batch through, in arrival order; callers never
// enforce them.
//
// # One seam for documents and journals
//
// A consumer whose own writes must commit with its journals (customs: a
// list declared and its goods reserved; an e-commerce release and its
// stock deduction) uses the one seam declared beside Store: ReadWriter's
// ReadWriteTx(ctx, func(ctx, tx, journals) error), the shape of spicedb's
// datastore ReadWriteTx. The store owns BEGIN, COMMIT, ROLLBACK and the
// retries; fn writes the consumer's tables through tx and posts or
// reverses through Journals, checked exactly as Store.PostMany and
// Store.Reverse check them; everything commits together or nothing does.
// fn may run several times and has no effect outside tx. Tx is the
// store's transaction type (pgx.Tx for ledger/pgstore), so a consumer gets
// it with its type checked at compile time, and this package never names a
// driver. Consumers take a ReadWriter and never type-assert a Store.
package ledger
