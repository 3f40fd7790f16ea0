package pgstore

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore/pgtx"
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

// PostInTx records journals inside the caller's transaction, for a caller
// whose own writes must commit or roll back with the journals (the
// e-commerce release books its lists and their stock deduction at once).
// Each request is checked on its own, as PostMany does: the result at
// index i answers reqs[i], and a refused journal writes nothing. The error
// is the transaction's (the caller retries the whole transaction, which
// may run this again). The journal counter and the touched holdings stay
// locked until the caller's transaction ends, so keep it short; the write
// batcher waits for it. tx must be on this store's database.
func (s *Store) PostInTx(ctx context.Context, tx pgx.Tx, reqs []ledger.JournalRequest) ([]ledger.PostResult, error) {
	out := make([]ledger.PostResult, len(reqs))
	var ops []*op
	var at []int
	for i := range reqs {
		if err := ledger.ValidateShape(reqs[i]); err != nil {
			out[i].Err = err
			continue
		}
		ops, at = append(ops, &op{ctx: ctx, post: &reqs[i], hash: ledger.RequestHash(reqs[i])}), append(at, i)
	}
	if len(ops) == 0 {
		return out, nil
	}
	res, err := s.writeBatch(ctx, tx, ops, nil)
	if err != nil {
		return nil, err
	}
	for k, r := range res {
		out[at[k]] = r
	}
	return out, nil
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
	if len(pending) > 0 && !s.writes.Submit(pending...) {
		for _, o := range pending {
			o.res.Err = errClosed
			close(o.done)
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
		attempts, err = s.runner.RunPipelined(ctx, func(p *pgtx.Pipe) error {
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
	if retryable(err) {
		return &ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
			Message: "the ledger is busy and gave up after repeated conflicts; retry with the same idempotency key", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !pgtx.ServerGone(err) {
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
// begun (CockroachDB's, or a PostInTx caller's).
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
	ws, err := s.load(ctx, tx, needsOf(ops, originals), originals, pipe)
	if err != nil {
		return nil, err
	}
	results, now := check(ws, ops, originals)
	if len(ws.Accepted()) == 0 {
		return results, nil
	}
	return results, s.write(ctx, tx, ws, ops, results, now, pipe)
}

// needsOf collects what a batch of ops must load; originals are the
// journals its reversals reverse.
func needsOf(ops []*op, originals map[int64]ledger.Journal) *needs {
	need := newNeeds()
	for _, o := range ops {
		need.book(o.book())
		need.key(o.book(), o.key())
		if o.post != nil {
			for _, p := range o.post.Postings {
				need.posting(p)
			}
		} else if j, ok := originals[o.rev.JournalID]; ok {
			for _, p := range j.Postings {
				for _, l := range p.Legs {
					need.posting(ledger.Posting{Item: p.Item, From: p.To, To: p.From, Lot: l.Lot})
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
			results[i].Err = ledger.Errorf(ledger.KindNotFound, ledger.ReasonUnknownJournal, "journal_id", "journal %d does not exist", o.rev.JournalID)
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
	books    map[string]bool
	items    map[ledger.ItemRef]bool
	pairs    map[ledger.PairKey]bool
	lots     map[ledger.ItemRef]map[string]bool
	keys     map[[2]string]bool
	hasWorld bool
}

func newNeeds() *needs {
	return &needs{books: map[string]bool{}, items: map[ledger.ItemRef]bool{}, pairs: map[ledger.PairKey]bool{},
		lots: map[ledger.ItemRef]map[string]bool{}, keys: map[[2]string]bool{}}
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
		n.pairs[ledger.PairKey{Account: a, Item: p.Item}] = true
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

// load builds the working set in one round trip: BEGIN when pipe is the
// ledger's own pipelined transaction, the journal counter (locked), the books
// and their accounts, world accounts, items, the journals already stored
// under the batch's keys, and the touched book holdings with their lots,
// locked in sorted order so that concurrent writers never deadlock.
func (s *Store) load(ctx context.Context, tx batchQuerier, n *needs, originals map[int64]ledger.Journal, pipe *pgtx.Pipe) (*ledger.WorkingSet, error) {
	var last int64
	var books []ledger.Book
	var worlds []string
	var items []ledger.Item
	var lots []ledger.Lot
	hashes := map[int64][]byte{}
	var existing []int64
	held := map[ledger.PairKey]map[string]ledger.Amount{}

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
		// tables (the e-commerce release: half of its database time).
		b.Queue(`SET LOCAL plan_cache_mode = force_generic_plan`)
	}
	b.Queue(`SELECT value FROM ledger_counters WHERE name = 'journal' FOR UPDATE`).QueryRow(func(r pgx.Row) error {
		return r.Scan(&last)
	})
	queueBooks(b, &books, `WHERE b.id = ANY($1)`, sortedKeys(n.books))
	if n.hasWorld {
		b.Queue(`SELECT name FROM ledger_accounts WHERE book = ''`).Query(func(rows pgx.Rows) error {
			var err error
			worlds, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
	}
	var ib, ic []string
	for it := range n.items {
		ib, ic = append(ib, it.Book), append(ic, it.Code)
	}
	b.Queue(selectItemsByKey, ib, ic).Query(func(rows pgx.Rows) error {
		var err error
		items, err = collectItems(rows)
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
			hashes[id] = h
			existing = append(existing, id)
		}
		return rows.Err()
	})

	pairs := make([]ledger.PairKey, 0, len(n.pairs))
	for p := range n.pairs {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, comparePairs)
	var pib, pic, pab, pan []string
	for _, p := range pairs {
		pib, pic = append(pib, p.Item.Book), append(pic, p.Item.Code)
		pab, pan = append(pab, p.Account.Book), append(pan, p.Account.Name)
	}
	lockHoldings := lockHoldingsPostgres
	if s.engine == CockroachDB {
		lockHoldings = lockHoldingsCockroach
	}
	b.Queue(lockHoldings, pib, pic, pab, pan).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var p ledger.PairKey
			var lot ledger.Lot
			var q, v, attrs string
			if err := rows.Scan(&p.Item.Book, &p.Item.Code, &p.Account.Book, &p.Account.Name, &lot.Key, &q, &v,
				&lot.EntryDate, &lot.JournalID, &attrs); err != nil {
				return err
			}
			lot.Item, lot.Attributes = p.Item, decodeMap(attrs)
			lots = append(lots, lot)
			m := held[p]
			if m == nil {
				m = map[string]ledger.Amount{}
				held[p] = m
			}
			m[lot.Key] = ledger.Amount{Quantity: dec(q), Value: dec(v)}
		}
		return rows.Err()
	})
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
			named, err := collectLots(rows)
			lots = append(lots, named...)
			return err
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}

	ws := ledger.NewWorkingSet(last+1, len(n.keys))
	for _, bk := range books {
		ws.AddBook(bk)
	}
	for _, w := range worlds {
		ws.AddWorldAccount(w)
	}
	for _, it := range items {
		ws.AddItem(it)
	}
	for _, lot := range lots {
		ws.AddLot(lot)
	}
	for _, p := range pairs {
		ws.LoadPair(p, held[p])
	}
	for _, j := range originals {
		if j.ReversedBy != 0 {
			ws.MarkReversed(j.ID, j.ReversedBy)
		}
	}
	if len(existing) > 0 { // replays: rare, only after a lost answer
		js, err := loadJournals(ctx, tx, existing)
		if err != nil {
			return nil, err
		}
		for _, j := range js {
			ws.AddExisting(j, hashes[j.ID])
		}
	}
	return ws, nil
}

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
// on every batch until statistics catch up — 26 ms a batch at 50,000
// holdings.

// lockHoldingsPostgres locks the open lots of the batch's (item, account)
// pairs, given sorted, in that order (so that writers never deadlock), with
// their lot details.
const lockHoldingsPostgres = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text,
		l.entry_date, l.journal_id, l.attributes
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(item_book, item_code, account_book, account_name)
	CROSS JOIN LATERAL (SELECT * FROM ledger_holdings
		WHERE item_book = k.item_book AND item_code = k.item_code AND account_book = k.account_book AND account_name = k.account_name
		  AND quantity > 0
		ORDER BY lot
		FOR UPDATE) AS h
	JOIN ledger_lots l ON l.item_book = h.item_book AND l.item_code = h.item_code AND l.lot = h.lot
	ORDER BY h.item_book, h.item_code, h.account_book, h.account_name, h.lot`

// lockHoldingsCockroach is lockHoldingsPostgres for CockroachDB, whose
// optimizer turns the IN form into lookups and whose support for locking
// inside a LATERAL subquery is not something we can test here.
const lockHoldingsCockroach = `SELECT h.item_book, h.item_code, h.account_book, h.account_name, h.lot, h.quantity::text, h.value::text,
		l.entry_date, l.journal_id, l.attributes
	FROM ledger_holdings h
	JOIN ledger_lots l ON l.item_book = h.item_book AND l.item_code = h.item_code AND l.lot = h.lot
	WHERE (h.item_book, h.item_code, h.account_book, h.account_name) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
	  AND h.quantity > 0
	ORDER BY h.item_book, h.item_code, h.account_book, h.account_name, h.lot
	FOR UPDATE OF h`

// comparePairs orders (item, account) pairs as the holdings' primary key
// does: the order writers lock them in.
func comparePairs(a, b ledger.PairKey) int {
	return cmp.Or(cmp.Compare(a.Item.Book, b.Item.Book), cmp.Compare(a.Item.Code, b.Item.Code),
		cmp.Compare(a.Account.Book, b.Account.Book), cmp.Compare(a.Account.Name, b.Account.Name))
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
// with COMMIT when pipe is the ledger's own pipelined transaction.
func (s *Store) write(ctx context.Context, tx batchQuerier, ws *ledger.WorkingSet, ops []*op, results []ledger.PostResult, now time.Time, pipe *pgtx.Pipe) error {
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
			bBook, bJ, bDate = append(bBook, b), append(bJ, j.ID), append(bDate, j.EffectiveDate)
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
	b.Queue(`INSERT INTO ledger_journal_books (book, journal_id, effective_date)
		SELECT * FROM unnest($1::text[], $2::int8[], $3::date[])`, bBook, bJ, bDate)
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
	slices.SortFunc(keys, func(a, b ledger.HoldingKey) int {
		return cmp.Or(comparePairs(ledger.PairKey{Account: a.Account, Item: a.Item}, ledger.PairKey{Account: b.Account, Item: b.Item}),
			cmp.Compare(a.Lot, b.Lot))
	})
	// Book holdings are written as the absolute balances the working set
	// computed from the locked rows, so a row is never proposed negative
	// (PostgreSQL checks constraints on the proposed row before it sees the
	// conflict), and emptied ones are deleted. World accounts keep no
	// holding rows: their balances are the sums of their per-day totals, so
	// a hot world account ("abroad" for a best-selling SKU) is not one row
	// that every journal must update.
	nk := len(keys)
	bIB, bIC, bAB, bAN, bL, bQ, bV := strs(nk), strs(nk), strs(nk), strs(nk), strs(nk), strs(nk), strs(nk)
	var zIB, zIC, zAB, zAN, zL []string
	for _, k := range keys {
		if k.Account.IsWorld() {
			continue
		}
		a := ws.Balance(k)
		if a.Quantity.IsZero() && a.Value.IsZero() {
			// An emptied lot leaves the table, so that locking a holding reads
			// only its open lots, however many lots it ever had. One made and
			// emptied in this batch (goods in and out at once) never had a row.
			if !ws.Stored(k) {
				continue
			}
			zIB, zIC, zAB, zAN, zL = append(zIB, k.Item.Book), append(zIC, k.Item.Code), append(zAB, k.Account.Book), append(zAN, k.Account.Name), append(zL, k.Lot)
			continue
		}
		bIB, bIC, bAB, bAN, bL = append(bIB, k.Item.Book), append(bIC, k.Item.Code), append(bAB, k.Account.Book), append(bAN, k.Account.Name), append(bL, k.Lot)
		bQ, bV = append(bQ, a.Quantity.String()), append(bV, a.Value.String())
	}
	if len(zIB) > 0 {
		b.Queue(`DELETE FROM ledger_holdings
			WHERE (item_book, item_code, account_book, account_name, lot) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]))`,
			zIB, zIC, zAB, zAN, zL)
	}
	if len(bIB) > 0 {
		b.Queue(`INSERT INTO ledger_holdings (item_book, item_code, account_book, account_name, lot, quantity, value)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]::numeric[], $7::text[]::numeric[])
			ON CONFLICT (item_book, item_code, account_book, account_name, lot)
			DO UPDATE SET quantity = excluded.quantity, value = excluded.value`,
			bIB, bIC, bAB, bAN, bL, bQ, bV)
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
	b.Queue(`UPDATE ledger_counters SET value = $1 WHERE name = 'journal'`, ws.NextID()-1)
	if pipe != nil {
		pipe.Commit(b)
	}
	return tx.SendBatch(ctx, b).Close()
}
