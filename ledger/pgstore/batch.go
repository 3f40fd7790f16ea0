package pgstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// op is one queued write: a journal to post or one to reverse.
type op struct {
	ctx  context.Context
	post *ledger.JournalRequest
	hash []byte // post's RequestHash, computed by the caller's goroutine
	rev  *ledger.ReverseRequest
	res  ledger.PostResult
	done chan struct{}
}

func (o *op) book() string {
	if o.post != nil {
		return o.post.Book
	}
	return o.rev.Book
}

func (o *op) key() string {
	if o.post != nil {
		return o.post.IdempotencyKey
	}
	return o.rev.IdempotencyKey
}

// batchTimeout bounds one write transaction including its retries.
const batchTimeout = 60 * time.Second

// Post implements ledger.Store.
func (s *Store) Post(ctx context.Context, req ledger.JournalRequest) (ledger.Journal, error) {
	r := s.PostMany(ctx, []ledger.JournalRequest{req})[0]
	return r.Journal, r.Err
}

// PostMany implements ledger.Store.
func (s *Store) PostMany(ctx context.Context, reqs []ledger.JournalRequest) []ledger.PostResult {
	ops := make([]*op, len(reqs))
	for i := range reqs {
		ops[i] = &op{ctx: ctx, post: &reqs[i], done: make(chan struct{})}
		if err := ledger.ValidateShape(reqs[i]); err != nil {
			ops[i].res.Err = err
			close(ops[i].done)
			continue
		}
		ops[i].hash = ledger.RequestHash(reqs[i])
	}
	return s.submit(ctx, ops)
}

// jitOff runs fn, the ledger's statements in a caller's transaction, with
// PostgreSQL's JIT compilation off, and then gives the transaction back
// the setting it had: compiling a plan costs more than any of the write
// path's statements runs, and the caller's own statements keep theirs.
func (s *Store) jitOff(ctx context.Context, tx pgx.Tx, fn func() error) error {
	if s.engine != PostgreSQL {
		return fn()
	}
	var was string
	if err := tx.QueryRow(ctx, `SELECT current_setting('jit'), set_config('jit', 'off', true)`).Scan(&was, new(string)); err != nil {
		return err
	}
	if err := fn(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SELECT set_config('jit', $1, true)`, was)
	return err
}

// Reverse implements ledger.Store.
func (s *Store) Reverse(ctx context.Context, req ledger.ReverseRequest) (ledger.Journal, error) {
	o := &op{ctx: ctx, rev: &req, done: make(chan struct{})}
	if err := ledger.ValidateReverse(req); err != nil {
		o.res.Err = err
		close(o.done)
	}
	r := s.submit(ctx, []*op{o})[0]
	return r.Journal, r.Err
}

// submit queues the ops that are not answered yet and waits for all answers.
// A caller that gives up waiting gets its context's error; its write may
// still commit, and retrying with the same idempotency key returns it.
func (s *Store) submit(ctx context.Context, ops []*op) []ledger.PostResult {
	var pending []*op
	for _, o := range ops {
		select {
		case <-o.done:
		default:
			pending = append(pending, o)
		}
	}
	// Each writer gets its share in one call, so that a PostMany's journals
	// stay together in its queue.
	shares := make([][]*op, len(s.writes))
	for _, o := range pending {
		w := s.writerOf(o.book())
		shares[w] = append(shares[w], o)
	}
	for w, share := range shares {
		if len(share) > 0 && !s.writes[w].Submit(share...) {
			for _, o := range share {
				o.res.Err = errClosed
				close(o.done)
			}
		}
	}
	out := make([]ledger.PostResult, len(ops))
	for i, o := range ops {
		select {
		case <-o.done:
			out[i] = o.res
		case <-ctx.Done():
			out[i] = ledger.PostResult{Err: &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
				Message: "gave up waiting for the ledger; the journal may still be recorded: retry with the same idempotency key", Err: ctx.Err()}}
		}
	}
	return out
}

// execute runs one batch and answers its ops. When the transaction fails as
// a whole for a reason no single journal explains, each op is run alone so
// that only the culprit gets the error.
func (s *Store) execute(batch []*op) {
	live := batch[:0:0]
	for _, o := range batch {
		if err := o.ctx.Err(); err != nil {
			o.res.Err = &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable, Message: "request cancelled before it was written", Err: err}
			close(o.done)
			continue
		}
		live = append(live, o)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	var results []ledger.PostResult
	start := time.Now()
	var attempts int
	var err error
	if s.engine == PostgreSQL {
		attempts, err = s.runner.RunPipelined(ctx, booksOf(live), func(p *pgtx.Pipe) error {
			var err error
			results, err = s.writeBatch(ctx, p.Conn(), live, p)
			return err
		})
	} else {
		attempts, err = s.runner.Run(ctx, func(tx pgx.Tx) error {
			var err error
			results, err = s.writeBatch(ctx, tx, live, nil)
			return err
		})
	}
	if s.opts.Metrics != nil {
		s.opts.Metrics.BatchCommitted(len(live), attempts, time.Since(start), err)
	}
	if err != nil && len(live) > 1 && !retryable(err) {
		for _, o := range live {
			s.execute([]*op{o})
		}
		return
	}
	for i, o := range live {
		if err != nil {
			o.res = ledger.PostResult{Err: storeError(err)}
		} else {
			o.res = results[i]
		}
		close(o.done)
	}
}

// storeError turns a database error into a ledger error.
func storeError(err error) error {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le
	}
	switch pgtx.Classify(err) {
	case pgtx.Busy:
		return &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
			Message: "the ledger is busy and gave up after repeated conflicts; retry with the same idempotency key", Err: err}
	case pgtx.Refused:
		return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "database refused the write", Err: err}
	}
	return &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
		Message: "could not reach the database; the journal may or may not be recorded: retry with the same idempotency key", Err: err}
}

// batchQuerier runs a write transaction's statements: a pgx.Tx, or the
// connection of a pipelined transaction.
type batchQuerier interface {
	querier
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// writeBatch is the body of one write transaction. It has no effect outside
// the transaction and may run several times. pipe is the ledger's own
// pipelined transaction on PostgreSQL, whose BEGIN rides with the loading
// statements and COMMIT with the writing ones; nil for a transaction already
// begun (CockroachDB's, or a ReadWriteTx caller's).
func (s *Store) writeBatch(ctx context.Context, tx batchQuerier, ops []*op, pipe *pgtx.Pipe) ([]ledger.PostResult, error) {
	// Originals of reversals, and whether they were reversed already.
	var revIDs []int64
	for _, o := range ops {
		if o.rev != nil {
			revIDs = append(revIDs, o.rev.JournalID)
		}
	}
	originals := map[int64]ledger.Journal{}
	if len(revIDs) > 0 {
		if pipe != nil { // the originals are read inside the transaction
			b := &pgx.Batch{}
			pipe.Begin(b)
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return nil, err
			}
		}
		js, err := loadJournals(ctx, tx, revIDs)
		if err != nil {
			return nil, err
		}
		for _, j := range js {
			originals[j.ID] = j
		}
	}
	ld, err := s.load(ctx, tx, needsOf(ops, originals), pipe)
	if err != nil {
		return nil, err
	}
	for {
		ws := ld.workingSet(originals)
		results, now := check(ws, ops, originals)
		short := ws.Short()
		if len(short) == 0 {
			if len(ws.Accepted()) == 0 {
				return results, nil
			}
			return results, s.write(ctx, tx, ws, ops, results, now, ld.seqs, pipe)
		}
		// A take ran past the lots loaded of a pair: load more of each
		// such pair and check the whole batch again.
		if err := s.loadMore(ctx, tx, ld, short); err != nil {
			return nil, err
		}
	}
}

// booksOf returns the books a batch of ops names: each journal's book and
// the books of its postings' accounts and items (a reversal's are its
// original's, read inside the transaction; its own book stands for them).
func booksOf(ops []*op) []string {
	seen := map[string]bool{}
	for _, o := range ops {
		seen[o.book()] = true
		if o.post != nil {
			for _, p := range o.post.Postings {
				for _, b := range [3]string{p.Item.Book, p.From.Book, p.To.Book} {
					if b != "" {
						seen[b] = true
					}
				}
			}
		}
	}
	return sortedKeys(seen)
}

// needsOf collects what a batch of ops must load; originals are the
// journals its reversals reverse.
func needsOf(ops []*op, originals map[int64]ledger.Journal) *needs {
	need := newNeeds()
	need.ops = len(ops)
	for _, o := range ops {
		need.book(o.book())
		need.key(o.book(), o.key())
		if o.post != nil {
			day := ledger.Day(o.post.EffectiveDate)
			for _, p := range o.post.Postings {
				need.posting(p)
				need.dated(p, day)
			}
		} else if j, ok := originals[o.rev.JournalID]; ok {
			day := ledger.Day(o.rev.EffectiveDate)
			for _, p := range j.Postings {
				for _, l := range p.Legs {
					need.posting(ledger.Posting{Item: p.Item, From: p.To, To: p.From, Lot: l.Lot})
					need.dated(ledger.Posting{Item: p.Item, From: p.To, To: p.From}, day)
				}
			}
		}
	}
	return need
}

// check applies ops in order to ws and returns their answers, the accepted
// ones stamped with the commit time now (which it returns).
func check(ws *ledger.WorkingSet, ops []*op, originals map[int64]ledger.Journal) ([]ledger.PostResult, time.Time) {
	results := make([]ledger.PostResult, len(ops))
	for i, o := range ops {
		if o.post != nil {
			results[i].Journal, results[i].Err = ws.ApplyChecked(*o.post, o.hash)
			continue
		}
		orig, ok := originals[o.rev.JournalID]
		if !ok {
			results[i].Err = ledger.NotFound(ledger.ReasonUnknownJournal, "journal_id", "journal %d does not exist", o.rev.JournalID)
			continue
		}
		results[i].Journal, results[i].Err = ws.Reverse(*o.rev, orig)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i := range results {
		if results[i].Err == nil && !results[i].Journal.Replayed {
			results[i].Journal.CommittedAt = now
		}
	}
	return results, now
}

// needs collects what a batch must load.
type needs struct {
	ops      int // how many journals the batch may write: the IDs it draws
	books    map[string]bool
	items    map[ledger.ItemRef]bool
	fifo     map[ledger.PairKey]int // pairs taken from oldest lot first: how many postings do
	held     map[ledger.HoldingKey]bool
	lots     map[ledger.ItemRef]map[string]bool
	keys     map[[2]string]bool
	hasWorld bool
	// for the as-of check: the earliest date each book pair is taken from,
	// and the latest date any journal touches it
	takenFrom map[ledger.PairKey]time.Time
	touchedTo map[ledger.PairKey]time.Time
}

func newNeeds() *needs {
	return &needs{books: map[string]bool{}, items: map[ledger.ItemRef]bool{}, fifo: map[ledger.PairKey]int{},
		held: map[ledger.HoldingKey]bool{}, lots: map[ledger.ItemRef]map[string]bool{}, keys: map[[2]string]bool{},
		takenFrom: map[ledger.PairKey]time.Time{}, touchedTo: map[ledger.PairKey]time.Time{}}
}

// dated records the effective date of a journal with posting p.
func (n *needs) dated(p ledger.Posting, day time.Time) {
	if !p.From.IsWorld() {
		k := ledger.PairKey{Account: p.From, Item: p.Item}
		if d, ok := n.takenFrom[k]; !ok || day.Before(d) {
			n.takenFrom[k] = day
		}
	}
	for _, a := range [2]ledger.AccountRef{p.From, p.To} {
		if !a.IsWorld() {
			k := ledger.PairKey{Account: a, Item: p.Item}
			if d, ok := n.touchedTo[k]; !ok || day.After(d) {
				n.touchedTo[k] = day
			}
		}
	}
}

func (n *needs) book(b string) {
	if b != "" {
		n.books[b] = true
	}
}

func (n *needs) key(book, key string) { n.keys[[2]string{book, key}] = true }

func (n *needs) posting(p ledger.Posting) {
	n.items[p.Item] = true
	n.book(p.Item.Book)
	for _, a := range []ledger.AccountRef{p.From, p.To} {
		if a.IsWorld() {
			n.hasWorld = true
			continue
		}
		n.book(a.Book)
		switch {
		case p.Lot != "": // the named lot's holding, at either end
			n.held[ledger.HoldingKey{Account: a, Item: p.Item, Lot: p.Lot}] = true
		case a == p.From: // the oldest lots
			n.fifo[ledger.PairKey{Account: a, Item: p.Item}]++
		}
		// Lots added to a pair by first-in first-out takes from another
		// are added to what is stored, unread (WorkingSet.Stored).
	}
	if p.Lot != "" {
		m := n.lots[p.Item]
		if m == nil {
			m = map[string]bool{}
			n.lots[p.Item] = m
		}
		m[p.Lot] = true
	}
}

// loaded is what a write transaction has read and locked: enough to build a
// working set, and again with more lots once a check came up short.
type loaded struct {
	ids      []int64          // journal IDs drawn for the batch, one per op
	seqs     map[string]int64 // each book's last book_seq, locked
	books    []ledger.Book
	worlds   []string
	items    []ledger.Item
	lots     []ledger.Lot // named lots' details
	existing []ledger.Journal
	hashes   map[int64][]byte
	pages    map[ledger.PairKey]*page
	held     map[ledger.HoldingKey]ledger.Amount // named lots' holdings that have rows
	probed   []ledger.HoldingKey                 // every named lot's holding looked up
	keys     int
	// the as-of check's reads (queueDaysAfter) and the latest effective
	// date accepted (the zone's today plus the horizon)
	after  map[ledger.PairKey]*ledger.DaysAfter
	latest time.Time
}

// page is the oldest open lots of a pair loaded so far, in first-in
// first-out order; whole when the pair has no more.
type page struct {
	lots    []ledger.Lot
	amounts []ledger.Amount
	whole   bool
}

// firstPage is how many of a pair's oldest open lots a batch locks at
// first, at the least: a pair that has more, with the batch taking
// further, is read on a page at a time (loadMore).
const firstPage = 16

// workingSet builds a working set from what was loaded; originals are the
// journals the batch's reversals reverse.
func (ld *loaded) workingSet(originals map[int64]ledger.Journal) *ledger.WorkingSet {
	ws := ledger.NewWorkingSet(1, ld.keys)
	ws.UseIDs(ld.ids)
	ws.SetLatestDate(ld.latest)
	for p, d := range ld.after {
		ws.LoadDaysAfter(p, *d)
	}
	for _, bk := range ld.books {
		ws.AddBook(bk)
	}
	for _, w := range ld.worlds {
		ws.AddWorldAccount(w)
	}
	for _, it := range ld.items {
		ws.AddItem(it)
	}
	for _, lot := range ld.lots {
		ws.AddLot(lot)
	}
	for p, pg := range ld.pages {
		m := make(map[string]ledger.Amount, len(pg.lots))
		for i, lot := range pg.lots {
			ws.AddLot(lot)
			m[lot.Key] = pg.amounts[i]
		}
		if pg.whole {
			ws.LoadPair(p, m)
		} else {
			ws.LoadPairPart(p, m, pg.lots[len(pg.lots)-1])
		}
	}
	for _, k := range ld.probed {
		a, ok := ld.held[k]
		ws.LoadHolding(k, a, ok)
	}
	for _, j := range originals {
		if j.ReversedBy != 0 {
			ws.MarkReversed(j.ID, j.ReversedBy)
		}
	}
	for _, j := range ld.existing {
		ws.AddExisting(j, ld.hashes[j.ID])
	}
	return ws
}

// load reads what a batch needs in one round trip: BEGIN when pipe is the
// ledger's own pipelined transaction, the sequence rows of every book the
// batch names (locked, in book order), a journal ID per op drawn after those
// locks, the books and their accounts, world accounts, items, the journals
// already stored under the batch's keys, the oldest open lots of each pair
// the batch takes from oldest first (a page each, locked, pairs in sorted
// order), and the holdings of named lots (locked, in key order).
//
// Every write transaction locks its books' sequence rows first, all in one
// statement in book order, and only then any holding. Two transactions that
// would lock the same holding have its account's book in common, so the
// second waits at that book's row before it locks anything else: holdings,
// a page more of a pair at a time, cannot deadlock. Transactions on disjoint
// books share no row and commit in parallel. Since a book's row stays locked
// until commit and IDs are drawn after it, a book's journals get increasing
// IDs in the order they commit (ListJournals pages by ID); across books IDs
// are unique but neither gap-free nor in commit order.
func (s *Store) load(ctx context.Context, tx batchQuerier, n *needs, pipe *pgtx.Pipe) (*loaded, error) {
	ld := &loaded{hashes: map[int64][]byte{}, pages: map[ledger.PairKey]*page{}, held: map[ledger.HoldingKey]ledger.Amount{}, keys: len(n.keys),
		seqs: make(map[string]int64, len(n.books))}
	var existing []int64

	b := &pgx.Batch{}
	if pipe != nil {
		pipe.Begin(b)
	}
	if s.engine == PostgreSQL && pipe != nil {
		// The write path's statements take arrays and always touch a few
		// rows by key; planning them afresh each time cost more than running
		// them. Their generic plans (index lookups per array element) are
		// right for every batch. Not in a caller's transaction: the setting
		// would outlast our statements and force generic plans on the
		// caller's, whose UPDATE ... FROM unnest(...) then scanned whole
		// tables (the e-commerce release: half of its database time). JIT
		// compiling costs more than any of these statements runs (ReadWriteTx
		// turns it off for its own statements only).
		b.Queue(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('jit', 'off', true)`)
	}
	books := sortedKeys(n.books)
	if pipe == nil {
		// A caller's transaction (ReadWriteTx): take the books' shared
		// name locks, as the ledger's own first attempts do in Pipe.Begin,
		// so that a retried batch on them waits for this one rather than
		// failing on it again.
		s.runner.QueueSharedLocks(b, books)
	}
	lockBooks := lockBooksPostgres
	if s.engine == CockroachDB {
		lockBooks = lockBooksCockroach
	}
	b.Queue(lockBooks, books).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var bk string
			var v int64
			if err := rows.Scan(&bk, &v); err != nil {
				return err
			}
			ld.seqs[bk] = v
		}
		return rows.Err()
	})
	b.Queue(`SELECT nextval('ledger_journal_ids') FROM generate_series(1, $1::int8)`, int64(n.ops)).Query(func(rows pgx.Rows) error {
		var err error
		ld.ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		slices.Sort(ld.ids)
		return err
	})
	queueBooks(b, &ld.books, `WHERE b.id = ANY($1)`, books)
	if n.hasWorld {
		b.Queue(`SELECT name FROM ledger_accounts WHERE book = ''`).Query(func(rows pgx.Rows) error {
			var err error
			ld.worlds, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
	}
	var ib, ic []string
	for it := range n.items {
		ib, ic = append(ib, it.Book), append(ic, it.Code)
	}
	b.Queue(selectItemsByKey, ib, ic).Query(func(rows pgx.Rows) error {
		var err error
		ld.items, err = collectItems(rows)
		return err
	})
	var kb, kk []string
	for k := range n.keys {
		kb, kk = append(kb, k[0]), append(kk, k[1])
	}
	// A lookup per key through the (book, idem_key) index, whatever the
	// table's statistics say: the generic plan of the IN (...) form, made
	// while the table was small, scanned every journal on every batch.
	b.Queue(`SELECT j.id, j.request_hash FROM unnest($1::text[], $2::text[]) AS k(book, idem_key)
		CROSS JOIN LATERAL (SELECT id, request_hash FROM ledger_journals
			WHERE book = k.book AND idem_key = k.idem_key LIMIT 1) AS j`, kb, kk).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			var h []byte
			if err := rows.Scan(&id, &h); err != nil {
				return err
			}
			ld.hashes[id] = h
			existing = append(existing, id)
		}
		return rows.Err()
	})

	pairs := make([]ledger.PairKey, 0, len(n.fifo))
	for p := range n.fifo {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, comparePairs)
	limits := make([]int32, len(pairs))
	for i, p := range pairs {
		// Enough for each of the batch's takes to find a lot of its own.
		limits[i] = int32(max(firstPage, 2*n.fifo[p]))
	}
	s.queuePages(b, ld, pairs, limits)

	if len(n.held) > 0 {
		keys := make([]ledger.HoldingKey, 0, len(n.held))
		for k := range n.held {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareHoldings)
		ld.probed = keys
		var hib, hic, hab, han, hl []string
		for _, k := range keys {
			hib, hic, hab, han, hl = append(hib, k.Item.Book), append(hic, k.Item.Code), append(hab, k.Account.Book), append(han, k.Account.Name), append(hl, k.Lot)
		}
		lockHeld := lockHeldPostgres
		if s.engine == CockroachDB {
			lockHeld = lockHeldCockroach
		}
		b.Queue(lockHeld, hib, hic, hab, han, hl).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var k ledger.HoldingKey
				var q, v string
				if err := rows.Scan(&k.Item.Book, &k.Item.Code, &k.Account.Book, &k.Account.Name, &k.Lot, &q, &v); err != nil {
					return err
				}
				ld.held[k] = ledger.Amount{Quantity: dec(q), Value: dec(v)}
			}
			return rows.Err()
		})
	}
	var lb, lc, lk []string
	for it, m := range n.lots {
		for k := range m {
			lb, lc, lk = append(lb, it.Book), append(lc, it.Code), append(lk, k)
		}
	}
	if len(lk) > 0 {
		b.Queue(`SELECT l.item_book, l.item_code, l.lot, l.entry_date, l.journal_id, l.attributes
			FROM unnest($1::text[], $2::text[], $3::text[]) AS k(item_book, item_code, lot)
			CROSS JOIN LATERAL (SELECT * FROM ledger_lots
				WHERE item_book = k.item_book AND item_code = k.item_code AND lot = k.lot LIMIT 1) AS l`, lb, lc, lk).Query(func(rows pgx.Rows) error {
			var err error
			ld.lots, err = collectLots(rows)
			return err
		})
	}
	ld.after = queueDaysAfter(b, n)
	ld.latest = s.latestDate()
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	if len(existing) > 0 { // replays: rare, only after a lost answer
		js, err := loadJournals(ctx, tx, existing)
		if err != nil {
			return nil, err
		}
		ld.existing = js
	}
	return ld, nil
}

// loadMore locks the next page of each short pair: after the lots loaded,
// four times as many again as the pair has loaded, so that a take of many
// lots needs few round trips.
func (s *Store) loadMore(ctx context.Context, tx batchQuerier, ld *loaded, short []ledger.PairKey) error {
	limits := make([]int32, len(short))
	for i, p := range short {
		pg := ld.pages[p]
		if pg == nil || pg.whole {
			// The working set reports only pairs it holds in part.
			return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the write path asked for more lots of a holding it loaded whole"}
		}
		limits[i] = int32(min(4*len(pg.lots), 1<<20))
	}
	b := &pgx.Batch{}
	s.queuePages(b, ld, short, limits)
	return tx.SendBatch(ctx, b).Close()
}

// queuePages queues the lookup of the next page of each pair, sorted, with
// at most limits[i] lots of pairs[i], and adds the pages to ld. On
// CockroachDB it reads every open lot of each pair, whatever the limit
// (see lockPagesCockroach).
func (s *Store) queuePages(b *pgx.Batch, ld *loaded, pairs []ledger.PairKey, limits []int32) {
	if len(pairs) == 0 {
		return
	}
	var pib, pic, pab, pan, ad, al []string
	var aj []int64
	for _, p := range pairs {
		pib, pic = append(pib, p.Item.Book), append(pic, p.Item.Code)
		pab, pan = append(pab, p.Account.Book), append(pan, p.Account.Name)
		pg := ld.pages[p]
		if pg == nil {
			pg = &page{}
			ld.pages[p] = pg
		}
		if n := len(pg.lots); n > 0 {
			last := pg.lots[n-1]
			ad, aj, al = append(ad, last.EntryDate.Format(time.DateOnly)), append(aj, last.JournalID), append(al, last.Key)
		} else {
			ad, aj, al = append(ad, "-infinity"), append(aj, 0), append(al, "")
		}
	}
	sql, args := lockPagesPostgres, []any{pib, pic, pab, pan, ad, aj, al, limits}
	if s.engine == CockroachDB {
		sql, args = lockPagesCockroach, []any{pib, pic, pab, pan}
	}
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		got := make(map[ledger.PairKey]int32, len(pairs))
		for rows.Next() {
			var p ledger.PairKey
			var lot ledger.Lot
			var q, v string
			if err := rows.Scan(&p.Item.Book, &p.Item.Code, &p.Account.Book, &p.Account.Name, &lot.Key, &q, &v,
				&lot.EntryDate, &lot.JournalID); err != nil {
				return err
			}
			lot.Item = p.Item
			pg := ld.pages[p]
			pg.lots, pg.amounts = append(pg.lots, lot), append(pg.amounts, ledger.Amount{Quantity: dec(q), Value: dec(v)})
			got[p]++
		}
		for i, p := range pairs {
			// Fewer lots than asked for: the pair has no more.
			if got[p] < limits[i] || s.engine == CockroachDB {
				ld.pages[p].whole = true
			}
		}
		return rows.Err()
	})
}

// queueDaysAfter queues the read the as-of check needs (ledger.DaysAfter):
// for each book pair the batch takes from, the per-day totals after the
// earliest date it is taken on, and, only when there are some or the batch
// itself moves the pair on a later day, the pair's balance. Usually no
// journal is dated before another of its pair and the read returns no row:
// one index range lookup per pair.
func queueDaysAfter(b *pgx.Batch, n *needs) map[ledger.PairKey]*ledger.DaysAfter {
	out := make(map[ledger.PairKey]*ledger.DaysAfter, len(n.takenFrom))
	if len(n.takenFrom) == 0 {
		return out
	}
	var ab, an, ib, ic []string
	var from []time.Time
	var later []bool
	for p, d := range n.takenFrom {
		ab, an, ib, ic = append(ab, p.Account.Book), append(an, p.Account.Name), append(ib, p.Item.Book), append(ic, p.Item.Code)
		l := n.touchedTo[p].After(d)
		from, later = append(from, d), append(later, l)
		out[p] = &ledger.DaysAfter{After: d, HasBalance: l}
	}
	b.Queue(selectDaysAfter, ab, an, ib, ic, from, later).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var p ledger.PairKey
			var day *time.Time
			var q, v *string
			if err := rows.Scan(&p.Account.Book, &p.Account.Name, &p.Item.Book, &p.Item.Code, &day, &q, &v); err != nil {
				return err
			}
			d := out[p]
			if d == nil {
				continue
			}
			a := ledger.Amount{Quantity: dec(deref(q)), Value: dec(deref(v))}
			if day == nil { // the balance
				d.Balance = a
				continue
			}
			d.HasBalance = true
			d.Days = append(d.Days, ledger.DayTotal{Account: p.Account, Item: p.Item, Day: *day,
				QuantityIn: a.Quantity, ValueIn: a.Value, QuantityOut: decimal.Zero, ValueOut: decimal.Zero})
		}
		return rows.Err()
	})
	return out
}

func deref(s *string) string {
	if s == nil {
		return "0"
	}
	return *s
}

// selectDaysAfter reads, per (account, item, after, later) given, the net
// movement of each day after "after", and the pair's balance when there
// is such a day or "later" is set (no balance row: nothing held). The
// balance's condition refers only to the given values, so the holdings are
// not read at all when it is false.
const selectDaysAfter = `SELECT k.account_book, k.account_name, k.item_book, k.item_code, d.day, d.quantity::text, d.value::text
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::bool[]) AS k(account_book, account_name, item_book, item_code, after, later)
	CROSS JOIN LATERAL (
		SELECT t.day, t.quantity_in - t.quantity_out AS quantity, t.value_in - t.value_out AS value
		FROM ledger_day_totals t
		WHERE t.account_book = k.account_book AND t.account_name = k.account_name AND t.item_book = k.item_book AND t.item_code = k.item_code
		  AND t.day > k.after
		UNION ALL
		SELECT NULL, sum(h.quantity), sum(h.value)
		FROM ledger_holdings h
		WHERE h.item_book = k.item_book AND h.item_code = k.item_code AND h.account_book = k.account_book AND h.account_name = k.account_name
		  AND (k.later OR EXISTS (SELECT 1 FROM ledger_day_totals t
			WHERE t.account_book = k.account_book AND t.account_name = k.account_name AND t.item_book = k.item_book AND t.item_code = k.item_code
			  AND t.day > k.after))
		HAVING count(*) > 0) AS d`

// singleLeg reports whether p moved exactly one lot, all of its quantity and
// value, and which: such a leg is stored on the posting's row (leg_lot)
// instead of in ledger_legs.
func singleLeg(p ledger.Posting) (string, bool) {
	if len(p.Legs) != 1 || !p.Legs[0].Quantity.Equal(p.Quantity) || !p.Legs[0].Value.Equal(p.Value) {
		return "", false
	}
	return p.Legs[0].Lot, true
}

// The write path looks rows up by key with one lookup per key (a LATERAL
// subquery per array element): the generic plan of a "(...) IN (SELECT *
// FROM unnest(...))" lookup is made once per connection, and when it was
// made while a table was small (a fresh database) it scans the whole table
// on every batch until statistics catch up, a cost that grows with the
// table (README.md, Performance, has the figure).

// lockPagesPostgres locks the next page of open lots of each (item,
// account) pair, given sorted, oldest lot first (the order of
// ledger.LotLess, through the ledger_holdings_fifo index): the lots after
// ($5, $6, $7) — from the first with -infinity — and at most $8 of them.
// The lot details a take needs are on the holding's row, so the plan is an
// index range per pair whatever the size of ledger_lots or of the pair.
const lockPagesPostgres = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text,
		h.entry_date, h.lot_journal
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::int8[], $7::text[], $8::int4[])
		WITH ORDINALITY AS k(item_book, item_code, account_book, account_name, after_date, after_journal, after_lot, lim, i)
	CROSS JOIN LATERAL (SELECT * FROM ledger_holdings
		WHERE item_book = k.item_book AND item_code = k.item_code AND account_book = k.account_book AND account_name = k.account_name
		  AND (entry_date, lot_journal, lot) > (k.after_date, k.after_journal, k.after_lot)
		  AND quantity > 0
		ORDER BY entry_date, lot_journal, lot
		LIMIT k.lim
		FOR UPDATE) AS h
	ORDER BY k.i, h.entry_date, h.lot_journal, h.lot`

// lockPagesCockroach is lockPagesPostgres for CockroachDB, whose support for
// locking inside a LATERAL subquery is not something we can test here: it
// locks every open lot of each pair (a whole page), oldest first.
const lockPagesCockroach = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text,
		h.entry_date, h.lot_journal
	FROM ledger_holdings h
	WHERE (h.item_book, h.item_code, h.account_book, h.account_name) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
	  AND h.quantity > 0
	ORDER BY h.item_book, h.item_code, h.account_book, h.account_name, h.entry_date, h.lot_journal, h.lot
	FOR UPDATE`

// lockBooksPostgres locks the sequence rows of the books given, sorted, in
// that order (one lookup per key, locked as it is read).
const lockBooksPostgres = `SELECT s.book, s.value
	FROM unnest($1::text[]) WITH ORDINALITY AS k(book, i)
	CROSS JOIN LATERAL (SELECT book, value FROM ledger_book_seqs WHERE book = k.book FOR UPDATE) AS s
	ORDER BY k.i`

// lockBooksCockroach is lockBooksPostgres for CockroachDB.
const lockBooksCockroach = `SELECT book, value FROM ledger_book_seqs WHERE book = ANY($1) ORDER BY book FOR UPDATE`

// lockHeldPostgres locks the holdings of named lots by key, given sorted.
const lockHeldPostgres = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS k(item_book, item_code, account_book, account_name, lot, i)
	CROSS JOIN LATERAL (SELECT * FROM ledger_holdings
		WHERE item_book = k.item_book AND item_code = k.item_code AND account_book = k.account_book AND account_name = k.account_name AND lot = k.lot
		FOR UPDATE) AS h
	ORDER BY k.i`

// lockHeldCockroach is lockHeldPostgres for CockroachDB.
const lockHeldCockroach = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text
	FROM ledger_holdings h
	WHERE (h.item_book, h.item_code, h.account_book, h.account_name, h.lot) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]))
	ORDER BY h.item_book, h.item_code, h.account_book, h.account_name, h.lot
	FOR UPDATE`

// comparePairs orders (item, account) pairs as the holdings' primary key
// does: the order writers lock them in.
func comparePairs(a, b ledger.PairKey) int {
	return cmp.Or(cmp.Compare(a.Item.Book, b.Item.Book), cmp.Compare(a.Item.Code, b.Item.Code),
		cmp.Compare(a.Account.Book, b.Account.Book), cmp.Compare(a.Account.Name, b.Account.Name))
}

// compareHoldings orders holdings as their primary key does.
func compareHoldings(a, b ledger.HoldingKey) int {
	return cmp.Or(comparePairs(ledger.PairKey{Account: a.Account, Item: a.Item}, ledger.PairKey{Account: b.Account, Item: b.Item}),
		cmp.Compare(a.Lot, b.Lot))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// write stores the accepted journals and the holding, lot and day-total
// changes, each table with one multi-row statement, in one round trip,
// with COMMIT when pipe is the ledger's own pipelined transaction. seqs are
// the locked books' last book_seq, which it leaves as it found them.
func (s *Store) write(ctx context.Context, tx batchQuerier, ws *ledger.WorkingSet, ops []*op, results []ledger.PostResult, now time.Time, seqs map[string]int64, pipe *pgtx.Pipe) error {
	flows, err := s.flowNumbers(ctx, results)
	if err != nil {
		return err
	}
	next := maps.Clone(seqs) // each book's last book_seq as journals are added
	// The columns, made at their final size: growing some forty slices
	// showed in the serial section.
	nj, np := 0, 0
	for _, r := range results {
		if r.Err == nil && !r.Journal.Replayed {
			nj, np = nj+1, np+len(r.Journal.Postings)
		}
	}
	strs := func(n int) []string { return make([]string, 0, n) }
	var (
		jID                                               = make([]int64, 0, nj)
		jBook, jKey, jDocT, jDocN, jMode, jPrin, jMeta    = strs(nj), strs(nj), strs(nj), strs(nj), strs(nj), strs(nj), strs(nj)
		jHash, jReqHash                                   = make([][]byte, 0, nj), make([][]byte, 0, nj)
		jDate                                             = make([]time.Time, 0, nj)
		jRev                                              = make([]int64, 0, nj)
		jAt                                               = make([]time.Time, 0, nj)
		pJ                                                = make([]int64, 0, np)
		pIdx                                              = make([]int32, 0, np)
		pIB, pIC, pFB, pFN, pTB, pTN, pQ, pU, pV, pL, pLA = strs(np), strs(np), strs(np), strs(np), strs(np), strs(np), strs(np), strs(np), strs(np), strs(np), strs(np)
		pLeg                                              = make([]*string, 0, np)
		lJ                                                []int64
		lP, lI                                            []int32
		lLot, lQ, lV                                      []string
		bBook                                             = strs(nj)
		bJ                                                = make([]int64, 0, nj)
		bSeq                                              = make([]int64, 0, nj)
		bDate                                             = make([]time.Time, 0, nj)
		rOrig, rRev                                       []int64
	)
	for i, r := range results {
		if r.Err != nil || r.Journal.Replayed {
			continue
		}
		j := r.Journal
		reqHash := ws.RequestHash(j.Book, j.IdempotencyKey)
		if ops[i].rev != nil {
			rOrig, rRev = append(rOrig, j.ReversalOf), append(rRev, j.ID)
		}
		jID, jBook, jKey, jReqHash = append(jID, j.ID), append(jBook, j.Book), append(jKey, j.IdempotencyKey), append(jReqHash, reqHash)
		jDate, jDocT, jDocN, jMode = append(jDate, j.EffectiveDate), append(jDocT, j.Document.Type), append(jDocN, j.Document.Number), append(jMode, j.Document.TradeMode)
		jPrin, jMeta, jRev, jAt, jHash = append(jPrin, j.Principal), append(jMeta, encodeMap(j.Metadata)), append(jRev, j.ReversalOf), append(jAt, now), append(jHash, j.Hash)
		books := append(make([]string, 0, 4), j.Book)
		for pi, p := range j.Postings {
			pJ, pIdx = append(pJ, j.ID), append(pIdx, int32(pi))
			pIB, pIC = append(pIB, p.Item.Book), append(pIC, p.Item.Code)
			pFB, pFN, pTB, pTN = append(pFB, p.From.Book), append(pFN, p.From.Name), append(pTB, p.To.Book), append(pTN, p.To.Name)
			pQ, pU, pV, pL, pLA = append(pQ, p.Quantity.String()), append(pU, p.Unit), append(pV, p.Value.String()), append(pL, p.Lot), append(pLA, encodeMap(p.LotAttributes))
			if lot, ok := singleLeg(p); ok {
				pLeg = append(pLeg, &lot)
			} else {
				pLeg = append(pLeg, nil)
				for li, l := range p.Legs {
					lJ, lP, lI = append(lJ, j.ID), append(lP, int32(pi)), append(lI, int32(li))
					lLot, lQ, lV = append(lLot, l.Lot), append(lQ, l.Quantity.String()), append(lV, l.Value.String())
				}
			}
			for _, b := range [3]string{p.From.Book, p.To.Book, p.Item.Book} {
				if b != "" && !slices.Contains(books, b) { // "": a world account
					books = append(books, b)
				}
			}
		}
		for _, b := range books {
			last, ok := next[b]
			if !ok {
				return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "book " + b + " has no row in ledger_book_seqs; run the ledger's migrations"}
			}
			next[b] = last + 1
			bBook, bJ, bDate, bSeq = append(bBook, b), append(bJ, j.ID), append(bDate, j.EffectiveDate), append(bSeq, last+1)
		}
	}

	b := &pgx.Batch{}
	b.Queue(`INSERT INTO ledger_journals (id, book, idem_key, request_hash, effective_date, doc_type, doc_number, trade_mode, principal, metadata, reversal_of, committed_at, hash)
		SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::bytea[], $5::date[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::timestamptz[], $13::bytea[])`,
		jID, jBook, jKey, jReqHash, jDate, jDocT, jDocN, jMode, jPrin, jMeta, jRev, jAt, jHash)
	b.Queue(`INSERT INTO ledger_postings (journal_id, idx, item_book, item_code, from_book, from_name, to_book, to_name, quantity, unit, value, lot, lot_attributes, leg_lot)
		SELECT * FROM unnest($1::int8[], $2::int4[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]::numeric[], $10::text[], $11::text[]::numeric[], $12::text[], $13::text[], $14::text[])`,
		pJ, pIdx, pIB, pIC, pFB, pFN, pTB, pTN, pQ, pU, pV, pL, pLA, pLeg)
	if len(lJ) > 0 {
		b.Queue(`INSERT INTO ledger_legs (journal_id, posting, idx, lot, quantity, value)
			SELECT * FROM unnest($1::int8[], $2::int4[], $3::int4[], $4::text[], $5::text[]::numeric[], $6::text[]::numeric[])`,
			lJ, lP, lI, lLot, lQ, lV)
	}
	b.Queue(`INSERT INTO ledger_journal_books (book, journal_id, effective_date, book_seq)
		SELECT * FROM unnest($1::text[], $2::int8[], $3::date[], $4::int8[])`, bBook, bJ, bDate, bSeq)
	var sBook []string
	var sVal []int64
	for _, bk := range slices.Sorted(maps.Keys(next)) {
		if next[bk] != seqs[bk] {
			sBook, sVal = append(sBook, bk), append(sVal, next[bk])
		}
	}
	if len(sBook) > 0 { // rows this transaction locked: an upsert finds each by its key
		b.Queue(`INSERT INTO ledger_book_seqs (book, value) SELECT * FROM unnest($1::text[], $2::int8[])
			ON CONFLICT (book) DO UPDATE SET value = excluded.value`, sBook, sVal)
	}
	if len(rOrig) > 0 {
		b.Queue(`INSERT INTO ledger_reversals (original_id, reversal_id) SELECT * FROM unnest($1::int8[], $2::int8[])`, rOrig, rRev)
	}
	if lots := ws.NewLots(); len(lots) > 0 {
		var ib, ic, lk, la []string
		var ed []time.Time
		var jj []int64
		for _, l := range lots {
			ib, ic, lk, la = append(ib, l.Item.Book), append(ic, l.Item.Code), append(lk, l.Key), append(la, encodeMap(l.Attributes))
			ed, jj = append(ed, l.EntryDate), append(jj, l.JournalID)
		}
		b.Queue(`INSERT INTO ledger_lots (item_book, item_code, lot, entry_date, journal_id, attributes)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int8[], $6::text[])`, ib, ic, lk, ed, jj, la)
	}
	keys := make([]ledger.HoldingKey, 0, len(ws.Deltas()))
	for k := range ws.Deltas() {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareHoldings)
	// A holding the batch loaded (Stored) is written as the absolute balance
	// the working set computed from its locked row, so a row is never
	// proposed negative (PostgreSQL checks constraints on the proposed row
	// before it sees the conflict), and an emptied one is deleted. Any other
	// was only added to (a new lot, or lots moved in from another pair by
	// first-in first-out takes): its net change is added to its row, if it
	// has one. World accounts keep no holding rows: their balances are the
	// sums of their per-day totals, so a hot world account ("abroad" for a
	// best-selling SKU) is not one row that every journal must update. A
	// holding carries its lot's first-in first-out key (entry date and
	// creating journal).
	nk := len(keys)
	bIB, bIC, bAB, bAN, bL, bQ, bV := strs(nk), strs(nk), strs(nk), strs(nk), strs(nk), strs(nk), strs(nk)
	bD, bJ2 := make([]time.Time, 0, nk), make([]int64, 0, nk)
	var aIB, aIC, aAB, aAN, aL, aQ, aV []string
	var aD []time.Time
	var aJ []int64
	var zIB, zIC, zAB, zAN, zL []string
	for _, k := range keys {
		if k.Account.IsWorld() {
			continue
		}
		lot, ok := ws.Lot(k.Item, k.Lot)
		if !ok {
			return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the write path lost the details of lot " + k.Lot + " of item " + k.Item.String()}
		}
		if !ws.Stored(k) {
			a := ws.Deltas()[k]
			if a.Quantity.IsZero() && a.Value.IsZero() {
				continue // made and emptied in this batch (goods in and out at once): it never had a row
			}
			if a.Quantity.Sign() < 0 || a.Value.Sign() < 0 {
				return &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "the write path took from holding " + k.Account.String() + " " + k.Item.String() + " lot " + k.Lot + " without loading it"}
			}
			aIB, aIC, aAB, aAN, aL = append(aIB, k.Item.Book), append(aIC, k.Item.Code), append(aAB, k.Account.Book), append(aAN, k.Account.Name), append(aL, k.Lot)
			aQ, aV, aD, aJ = append(aQ, a.Quantity.String()), append(aV, a.Value.String()), append(aD, lot.EntryDate), append(aJ, lot.JournalID)
			continue
		}
		a := ws.Balance(k)
		if a.Quantity.IsZero() && a.Value.IsZero() {
			// An emptied lot leaves the table, so that locking a pair's
			// oldest lots reads only open ones, however many it ever had.
			zIB, zIC, zAB, zAN, zL = append(zIB, k.Item.Book), append(zIC, k.Item.Code), append(zAB, k.Account.Book), append(zAN, k.Account.Name), append(zL, k.Lot)
			continue
		}
		bIB, bIC, bAB, bAN, bL = append(bIB, k.Item.Book), append(bIC, k.Item.Code), append(bAB, k.Account.Book), append(bAN, k.Account.Name), append(bL, k.Lot)
		bQ, bV, bD, bJ2 = append(bQ, a.Quantity.String()), append(bV, a.Value.String()), append(bD, lot.EntryDate), append(bJ2, lot.JournalID)
	}
	if len(zIB) > 0 {
		b.Queue(`DELETE FROM ledger_holdings
			WHERE (item_book, item_code, account_book, account_name, lot) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]))`,
			zIB, zIC, zAB, zAN, zL)
	}
	if len(bIB) > 0 {
		b.Queue(`INSERT INTO ledger_holdings (item_book, item_code, account_book, account_name, lot, quantity, value, entry_date, lot_journal)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]::numeric[], $7::text[]::numeric[], $8::date[], $9::int8[])
			ON CONFLICT (item_book, item_code, account_book, account_name, lot)
			DO UPDATE SET quantity = excluded.quantity, value = excluded.value`,
			bIB, bIC, bAB, bAN, bL, bQ, bV, bD, bJ2)
	}
	if len(aIB) > 0 {
		b.Queue(`INSERT INTO ledger_holdings AS h (item_book, item_code, account_book, account_name, lot, quantity, value, entry_date, lot_journal)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]::numeric[], $7::text[]::numeric[], $8::date[], $9::int8[])
			ON CONFLICT (item_book, item_code, account_book, account_name, lot)
			DO UPDATE SET quantity = h.quantity + excluded.quantity, value = h.value + excluded.value`,
			aIB, aIC, aAB, aAN, aL, aQ, aV, aD, aJ)
	}
	days := ws.DayDeltas()
	nd := len(days)
	dAB, dAN, dIB, dIC, dQI, dQO, dVI, dVO := strs(nd), strs(nd), strs(nd), strs(nd), strs(nd), strs(nd), strs(nd), strs(nd)
	dDay := make([]time.Time, 0, nd)
	for _, d := range days {
		dAB, dAN, dIB, dIC = append(dAB, d.Account.Book), append(dAN, d.Account.Name), append(dIB, d.Item.Book), append(dIC, d.Item.Code)
		dDay = append(dDay, d.Day)
		dQI, dQO, dVI, dVO = append(dQI, d.QuantityIn.String()), append(dQO, d.QuantityOut.String()), append(dVI, d.ValueIn.String()), append(dVO, d.ValueOut.String())
	}
	b.Queue(`INSERT INTO ledger_day_totals AS t (account_book, account_name, item_book, item_code, day, quantity_in, quantity_out, value_in, value_out)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[]::numeric[], $7::text[]::numeric[], $8::text[]::numeric[], $9::text[]::numeric[])
		ON CONFLICT (account_book, account_name, item_book, item_code, day)
		DO UPDATE SET quantity_in = t.quantity_in + excluded.quantity_in, quantity_out = t.quantity_out + excluded.quantity_out,
		              value_in = t.value_in + excluded.value_in, value_out = t.value_out + excluded.value_out`,
		dAB, dAN, dIB, dIC, dDay, dQI, dQO, dVI, dVO)
	queueFlowTotals(b, results, flows)
	if pipe != nil {
		pipe.Commit(b)
	}
	return tx.SendBatch(ctx, b).Close()
}

// flowKey is a row of ledger_flow_days (or, with the first day of its
// month, of ledger_flow_months), its flow spelled out.
type flowKey struct {
	account, counter ledger.AccountRef
	item             ledger.ItemRef
	day              time.Time
	docType, mode    string
	reversal         bool
}

// queueFlowTotals adds the accepted journals' postings to the per-day
// totals by flow of the book accounts they touch, and to their monthly and
// quarterly sums: a posting counts out of its From account and into its
// To account, each with the other as its counterpart. A posting's quantity
// and value are the sums of its legs, so these rows add up to
// ledger_day_totals of the book accounts. ids numbers every flow of the
// results (flowNumbers).
func queueFlowTotals(b *pgx.Batch, results []ledger.PostResult, ids map[flowOfKey]int64) {
	days := map[flowKey]*[4]decimal.Decimal{}
	months := map[flowKey]*[4]decimal.Decimal{}
	quarters := map[flowKey]*[4]decimal.Decimal{}
	add := func(k flowKey, i int, q, v decimal.Decimal) {
		for _, m := range []struct {
			sums map[flowKey]*[4]decimal.Decimal
			day  time.Time
		}{{days, k.day}, {months, firstOfMonth(k.day)}, {quarters, firstOfQuarter(k.day)}} {
			k.day = m.day
			t, ok := m.sums[k]
			if !ok {
				t = &[4]decimal.Decimal{}
				m.sums[k] = t
			}
			t[i], t[i+2] = t[i].Add(q), t[i+2].Add(v)
		}
	}
	forEachFlow(results, func(k flowKey, in bool, p ledger.Posting) {
		if in {
			add(k, 0, p.Quantity, p.Value)
		} else {
			add(k, 1, p.Quantity, p.Value)
		}
	})
	if len(days) == 0 {
		return
	}
	queueFlowRows(b, "ledger_flow_days", "day", days, ids)
	queueFlowRows(b, "ledger_flow_months", "month", months, ids)
	queueFlowRows(b, "ledger_flow_quarters", "quarter", quarters, ids)
}

// forEachFlow calls fn for each side of each posting of the accepted
// journals that is a book account: in for the To side, with the From
// account as the counterpart, and out for the From side.
func forEachFlow(results []ledger.PostResult, fn func(k flowKey, in bool, p ledger.Posting)) {
	for _, r := range results {
		if r.Err != nil || r.Journal.Replayed {
			continue
		}
		j := r.Journal
		for _, p := range j.Postings {
			k := flowKey{item: p.Item, day: j.EffectiveDate, docType: j.Document.Type, mode: j.Document.TradeMode, reversal: j.ReversalOf != 0}
			if p.To.Book != "" {
				k.account, k.counter = p.To, p.From
				fn(k, true, p)
			}
			if p.From.Book != "" {
				k.account, k.counter = p.From, p.To
				fn(k, false, p)
			}
		}
	}
}

// flowOfKey is the flow a flowKey moves by (a row of ledger_flows).
type flowOfKey struct {
	counter       ledger.AccountRef
	docType, mode string
	reversal      bool
}

func (k flowKey) flow() flowOfKey { return flowOfKey{k.counter, k.docType, k.mode, k.reversal} }

func compareFlows(a, b flowOfKey) int {
	return cmp.Or(cmp.Compare(a.counter.Book, b.counter.Book), cmp.Compare(a.counter.Name, b.counter.Name),
		cmp.Compare(a.docType, b.docType), cmp.Compare(a.mode, b.mode), cmpBool(a.reversal, b.reversal))
}

// flowNumbers returns the number (ledger_flows) of every flow of the
// accepted journals of results. Numbers are kept in s.flowIDs once known;
// a flow not seen before is numbered in a short transaction of its own
// (s.flowPool), committed before the write transaction uses it: a write
// never waits for another book's transaction that numbers the same flow,
// and a number is never taken back. A flow numbered for a write that then
// rolls back stays numbered, unused.
func (s *Store) flowNumbers(ctx context.Context, results []ledger.PostResult) (map[flowOfKey]int64, error) {
	out := map[flowOfKey]int64{}
	var missing []flowOfKey
	forEachFlow(results, func(k flowKey, _ bool, _ ledger.Posting) {
		f := k.flow()
		if _, ok := out[f]; ok {
			return
		}
		if id, ok := s.flowIDs.Load(f); ok {
			out[f] = id.(int64)
			return
		}
		out[f] = 0
		missing = append(missing, f)
	})
	if len(missing) == 0 {
		return out, nil
	}
	slices.SortFunc(missing, compareFlows)
	var cb, cn, dt, tm []string
	var rev []bool
	for _, f := range missing {
		cb, cn, dt, tm, rev = append(cb, f.counter.Book), append(cn, f.counter.Name), append(dt, f.docType), append(tm, f.mode), append(rev, f.reversal)
	}
	if _, err := s.flowPool.Exec(ctx, `INSERT INTO ledger_flows (id, counter_book, counter_name, doc_type, trade_mode, reversal)
		SELECT nextval('ledger_flow_ids'), u.cb, u.cn, u.dt, u.tm, u.rev
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS u(cb, cn, dt, tm, rev)
		WHERE NOT EXISTS (SELECT 1 FROM ledger_flows f
			WHERE f.counter_book = u.cb AND f.counter_name = u.cn AND f.doc_type = u.dt AND f.trade_mode = u.tm AND f.reversal = u.rev)
		ON CONFLICT (counter_book, counter_name, doc_type, trade_mode, reversal) DO NOTHING`, cb, cn, dt, tm, rev); err != nil {
		return nil, fmt.Errorf("numbering flows: %w", err)
	}
	rows, err := s.flowPool.Query(ctx, `SELECT id, counter_book, counter_name, doc_type, trade_mode, reversal FROM ledger_flows
		WHERE (counter_book, counter_name, doc_type, trade_mode, reversal) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]))`,
		cb, cn, dt, tm, rev)
	if err != nil {
		return nil, fmt.Errorf("reading flow numbers: %w", err)
	}
	var id int64
	var f flowOfKey
	if _, err := pgx.ForEachRow(rows, []any{&id, &f.counter.Book, &f.counter.Name, &f.docType, &f.mode, &f.reversal}, func() error {
		out[f] = id
		s.flowIDs.Store(f, id)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("reading flow numbers: %w", err)
	}
	for _, f := range missing {
		if out[f] == 0 {
			return nil, fmt.Errorf("flow %+v was not numbered", f)
		}
	}
	return out, nil
}

// firstOfMonth is the first day of t's month.
func firstOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// queueFlowRows upserts flow totals into table, whose date column is col,
// each under its flow's number in ids.
func queueFlowRows(b *pgx.Batch, table, col string, sums map[flowKey]*[4]decimal.Decimal, ids map[flowOfKey]int64) {
	type row struct {
		k    flowKey
		flow int64
		t    *[4]decimal.Decimal
	}
	rows := make([]row, 0, len(sums))
	for k, t := range sums {
		rows = append(rows, row{k, ids[k.flow()], t})
	}
	// Sorted, so that concurrent transactions upsert shared rows in one
	// order.
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.k.account.Book, b.k.account.Book), a.k.day.Compare(b.k.day), cmp.Compare(a.k.account.Name, b.k.account.Name),
			cmp.Compare(a.k.item.Book, b.k.item.Book), cmp.Compare(a.k.item.Code, b.k.item.Code), cmp.Compare(a.flow, b.flow))
	})
	n := len(rows)
	var (
		ab, an, ib, ic = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		qi, qo, vi, vo = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
		day            = make([]time.Time, 0, n)
		flow           = make([]int64, 0, n)
	)
	for _, r := range rows {
		k, t := r.k, r.t
		ab, an, ib, ic = append(ab, k.account.Book), append(an, k.account.Name), append(ib, k.item.Book), append(ic, k.item.Code)
		day, flow = append(day, k.day), append(flow, r.flow)
		qi, qo, vi, vo = append(qi, t[0].String()), append(qo, t[1].String()), append(vi, t[2].String()), append(vo, t[3].String())
	}
	b.Queue(`INSERT INTO `+table+` AS t (account_book, `+col+`, account_name, item_book, item_code, flow, quantity_in, quantity_out, value_in, value_out)
		SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::int8[],
			$7::text[]::numeric[], $8::text[]::numeric[], $9::text[]::numeric[], $10::text[]::numeric[])
		ON CONFLICT (account_book, `+col+`, account_name, item_book, item_code, flow)
		DO UPDATE SET quantity_in = t.quantity_in + excluded.quantity_in, quantity_out = t.quantity_out + excluded.quantity_out,
		              value_in = t.value_in + excluded.value_in, value_out = t.value_out + excluded.value_out`,
		ab, day, an, ib, ic, flow, qi, qo, vi, vo)
}

// firstOfQuarter is the first day of t's quarter.
func firstOfQuarter(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, t.Location())
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
