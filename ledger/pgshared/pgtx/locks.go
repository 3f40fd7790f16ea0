package pgtx

import (
	"context"
	"hash/fnv"
	"maps"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Name locks keep transactions that write the same names (the ledger's
// books) from failing each other over and over. Under SERIALIZABLE, two
// transactions that update the same row cannot both commit: the one that
// loses is retried, and under steady load from several writers (two
// processes on one database) it can lose every time until its attempts run
// out. Row locks cannot help, because a SERIALIZABLE transaction's snapshot
// is taken by its first statement, before any lock it waits for.
//
// So a pipelined transaction names what it writes and, on PostgreSQL:
//
//   - its first attempt takes a shared transaction-level advisory lock per
//     name in its first batch, after BEGIN: optimistic writers never wait
//     for each other;
//   - every later attempt first takes an exclusive session-level advisory
//     lock per name, before BEGIN, on its own round trip, so that its
//     snapshot is taken after every transaction holding one of its names
//     has ended and no new one can start on them (a shared request queues
//     behind the waiting exclusive one) until it has committed; then it
//     unlocks.
//
// A retried transaction therefore fails again only on a conflict with a
// transaction that names none of its names. Those conflicts are real under
// SERIALIZABLE: PostgreSQL records what a transaction read by index page,
// so writers of different books whose rows share a page (a young database,
// a busy index's last page) can fail each other. So the last attempt of a
// transaction that has lost at least twice runs alone: it takes the
// exclusive lock of one more key, EveryName, which every named transaction
// holds shared for its whole life (after its names' keys). It waits for
// every named transaction in flight to end, and new ones queue behind it
// until it commits; it can then fail only on a transaction that names
// nothing. This is the one place where books wait for each other, and only
// for a transaction that has already failed MaxAttempts-1 times.
//
// Locks are taken in one order (sorted keys, EveryName last), so they
// cannot deadlock among themselves; a cycle through row locks of
// transactions that name nothing is broken by PostgreSQL's deadlock
// detector (40P01, retried). Names are hashed into LockSlots keys of one
// advisory-lock class, which bounds the locks a transaction holds however
// many names it writes: two names in one slot only make their retries wait
// for each other.
//
// CockroachDB has its own retry protocol and no advisory locks; there names
// are ignored.

// LockClass is the first key of every name lock (pg_advisory_lock(int4,
// int4)): it keeps them apart from other advisory locks in the database.
const LockClass int32 = 0x7a6c0001

// LockSlots is how many second keys names are hashed into.
const LockSlots = 128

// EveryName is the second key that stands for every name: held shared by
// every named transaction, exclusive by a last attempt (see above).
const EveryName int32 = LockSlots

// escalateFrom is the first attempt that may run alone: only a last
// attempt, and only after two lost ones.
const escalateFrom = 3

// lockKeys hashes names into sorted, distinct second keys.
func lockKeys(names []string) []int32 {
	keys := make([]int32, 0, len(names))
	for _, n := range names {
		h := fnv.New32a()
		_, _ = h.Write([]byte(n))
		keys = append(keys, int32(h.Sum32()%LockSlots))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Names is what a transaction run by RunNamed writes, learned as it runs
// and kept across its attempts. Its zero value is empty and ready; it is
// safe for concurrent use.
type Names struct {
	mu  sync.Mutex
	set map[string]bool
}

// Add records names the transaction writes. On a nil Names it does
// nothing.
func (n *Names) Add(names ...string) {
	if n == nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.set == nil {
		n.set = map[string]bool{}
	}
	for _, name := range names {
		n.set[name] = true
	}
}

// keys returns the lock keys of the names added so far; none for nil.
func (n *Names) keys() []int32 {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return lockKeys(slices.Collect(maps.Keys(n.set)))
}

// lockShared takes a shared transaction-level lock per key, in key order.
const lockShared = `SELECT count(pg_advisory_xact_lock_shared($1::int4, k)) FROM unnest($2::int4[]) WITH ORDINALITY AS u(k, i)`

// lockExclusive takes an exclusive session-level lock per key, in key order.
const lockExclusive = `SELECT count(pg_advisory_lock($1::int4, k)) FROM unnest($2::int4[]) WITH ORDINALITY AS u(k, i)`

// QueueSharedLocks queues, on b, the shared locks of a transaction that
// writes names: the transaction must already have begun. A transaction not
// run by RunPipelined (a caller's own) uses it so that a retried pipelined
// transaction on the same names is not made to fail by it. On CockroachDB
// it queues nothing.
func (r *Runner) QueueSharedLocks(b *pgx.Batch, names []string) {
	if r.engine != PostgreSQL || len(names) == 0 {
		return
	}
	b.Queue(lockShared, LockClass, append(lockKeys(names), EveryName))
}

// retryLocks returns the keys an attempt locks exclusively before it
// begins, given the keys of its names: none on a first attempt or without
// names, EveryName alone on a last attempt from escalateFrom on (which it
// reports to Options.OnAlone, the one place that decides it), else its
// names' keys.
func (r *Runner) retryLocks(attempt int, keys []int32) []int32 {
	switch {
	case attempt == 1 || len(keys) == 0:
		return nil
	case attempt >= escalateFrom && attempt >= r.opts.MaxAttempts:
		if r.opts.OnAlone != nil {
			r.opts.OnAlone()
		}
		return []int32{EveryName}
	}
	return keys
}

// lockSession takes the exclusive session-level locks of keys on conn, in
// their own round trip before the transaction begins. It returns the
// function that releases them, which closes the connection when it cannot
// (a session lock must never go back to the pool with the connection).
func lockSession(ctx context.Context, conn *pgxpool.Conn, keys []int32) (unlock func(), err error) {
	unlock = func() {
		uctx := context.WithoutCancel(ctx)
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock_all()`); err != nil {
			_ = conn.Conn().Close(uctx)
		}
	}
	if _, err := conn.Exec(ctx, lockExclusive, LockClass, keys); err != nil {
		unlock() // a lock granted as the wait was cancelled
		return nil, err
	}
	return unlock, nil
}
