package ledger

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// HoldingKey identifies one holding: an item in an account, in one lot. World
// accounts hold every item in the lot "".
type HoldingKey struct {
	Account AccountRef
	Item    ItemRef
	Lot     string
}

// PairKey identifies an item in an account, over all lots.
type PairKey struct {
	Account AccountRef
	Item    ItemRef
}

// Amount is a quantity with its value.
type Amount struct {
	Quantity decimal.Decimal
	Value    decimal.Decimal
}

// DayKey identifies a per-day total.
type DayKey struct {
	Account AccountRef
	Item    ItemRef
	Day     time.Time
}

// WorkingSet checks and applies a batch of journals in memory against the
// holdings a Store has loaded and locked. It is the one place the ledger's
// invariants are enforced: each journal is applied all-or-nothing in arrival
// order, book holdings never go below zero, lots are taken as named or
// oldest first, and idempotency keys are honoured within the batch.
//
// Book holdings never go below zero as of any day either: a journal that
// takes goods out of a book account on day D is refused when the account
// would hold less than nothing of the item at the end of D or of any later
// day, which happens when the goods it takes arrived after D (a back-dated
// outbound, or the reversal of an inbound that later movements used).
//
// A Store loads every book, item and account the batch names, the lots it
// names, the journals already stored under its idempotency keys, the later
// per-day totals of the pairs the batch takes from (LoadDaysAfter), the
// holdings of the named lots it takes from or adds to (LoadHolding), and,
// for each book (account, item) pair that a posting takes from oldest lot
// first, its lots of positive quantity: all of them (LoadPair) or the
// oldest ones, a page in first-in first-out order (LoadPairPart). It sets
// the latest effective date it takes (SetLatestDate). Then it calls Apply or
// Reverse for each request. A take that would need lots past
// a page is refused with an internal error and its pair reported by Short:
// the store then loads more of that pair and checks the batch again in a
// new working set, so a partial view never makes a journal look short of
// stock. Otherwise the store writes Accepted, Deltas, NewLots and
// DayDeltas: the balance of each Stored holding, and the net change added to
// any other (a holding only credited here, whose stored row, if any, was
// not loaded).
type WorkingSet struct {
	nextID int64
	ids    []int64   // when set (UseIDs), the IDs accepted journals take, in order
	latest time.Time // the latest effective date taken; zero: any

	books    map[string]Book
	items    map[ItemRef]Item
	accounts map[AccountRef]bool
	lots     map[lotRef]Lot
	loaded   map[PairKey]bool
	pairLots map[PairKey][]string // open lots (quantity above zero) of each loaded pair
	bal      map[HoldingKey]Amount
	stored   map[HoldingKey]bool // rows given to LoadPair, LoadPairPart or LoadHolding
	probed   map[HoldingKey]bool // holdings given to LoadHolding, stored or not
	through  map[PairKey]Lot     // pairs loaded in part: the newest lot loaded
	short    map[PairKey]bool    // pairs a take needed more of than was loaded
	made     map[lotRef]bool     // lots created by accepted journals

	deltas   map[HoldingKey]Amount
	days     map[DayKey]DayTotal
	newLots  []Lot
	accepted []Journal
	keys     map[keyRef]keyed
	reversed map[int64]int64

	// the as-of check: what the store read of each pair taken from, and
	// the latest day each book pair moved on in the accepted journals
	after     map[PairKey]DaysAfter
	latestDay map[PairKey]time.Time

	// per-journal overlay, merged on success
	ov ovl
}

type keyRef struct{ book, key string }

type lotRef struct {
	item ItemRef
	key  string
}

type keyed struct {
	hash    []byte
	journal Journal
}

type ovl struct {
	bal      map[HoldingKey]Amount
	deltas   map[HoldingKey]Amount
	days     map[PairKey]DayTotal
	pairLots map[PairKey][]string
	lots     []Lot
}

// begin readies the overlay for a journal. Its maps are made once per
// working set and reused: a batch applies many journals one after another
// in the store's serial section, where making four maps a journal showed.
func (o *ovl) begin() {
	if o.bal == nil {
		*o = ovl{bal: map[HoldingKey]Amount{}, deltas: map[HoldingKey]Amount{}, days: map[PairKey]DayTotal{}, pairLots: map[PairKey][]string{}}
	}
}

// reset empties the overlay, keeping its maps for the next journal.
func (o *ovl) reset() {
	clear(o.bal)
	clear(o.deltas)
	clear(o.days)
	clear(o.pairLots)
	clear(o.lots) // drop the references the lots hold
	o.lots = o.lots[:0]
}

// NewWorkingSet returns an empty working set that numbers accepted journals
// from firstID on. journals is how many the caller expects to apply (0 when
// unknown): the working set sizes its tables for that many two-posting
// journals, since growing them showed in the store's serial section.
func NewWorkingSet(firstID int64, journals int) *WorkingSet {
	n := max(journals, 0)
	return &WorkingSet{
		nextID:   firstID,
		books:    map[string]Book{},
		items:    make(map[ItemRef]Item, n),
		accounts: map[AccountRef]bool{},
		lots:     make(map[lotRef]Lot, n),
		loaded:   make(map[PairKey]bool, n),
		pairLots: make(map[PairKey][]string, n),
		bal:      make(map[HoldingKey]Amount, 2*n),
		stored:   make(map[HoldingKey]bool, n),
		probed:   map[HoldingKey]bool{},
		through:  map[PairKey]Lot{},
		short:    map[PairKey]bool{},
		made:     map[lotRef]bool{},
		deltas:   make(map[HoldingKey]Amount, 3*n),
		days:     make(map[DayKey]DayTotal, 3*n),
		keys:     make(map[keyRef]keyed, n),
		reversed: map[int64]int64{},
		accepted: make([]Journal, 0, n),

		after:     make(map[PairKey]DaysAfter, n),
		latestDay: make(map[PairKey]time.Time, n),
	}
}

// SetLatestDate sets the latest effective date the working set accepts: the
// zone's today plus the store's horizon. Zero (the default) accepts any.
func (w *WorkingSet) SetLatestDate(d time.Time) { w.latest = d }

// DaysAfter is what a Store reads of one book (account, item) pair for the
// as-of check of the journals that take from it.
type DaysAfter struct {
	// After is the day the totals start after: no later than the earliest
	// effective date of the batch's journals that take from the pair.
	After time.Time
	// Days are the pair's stored per-day totals of the days after After,
	// in any order; usually none (nothing is dated later).
	Days []DayTotal
	// Balance is the pair's stored current balance over all its lots;
	// HasBalance says it was read. It is needed, and a Store reads it,
	// when Days is not empty or a journal of the batch that touches the
	// pair is dated after After.
	Balance    Amount
	HasBalance bool
}

// LoadDaysAfter records the later per-day totals of a book pair the batch
// takes from. A journal that takes from a pair without them is refused as
// an internal error.
func (w *WorkingSet) LoadDaysAfter(p PairKey, d DaysAfter) { w.after[p] = d }

// NextID is the ID the next accepted journal will get; after UseIDs, 0
// once its IDs are all taken.
func (w *WorkingSet) NextID() int64 {
	if w.ids != nil {
		if len(w.ids) == 0 {
			return 0
		}
		return w.ids[0]
	}
	return w.nextID
}

// UseIDs makes accepted journals take their IDs from ids, in order, instead
// of counting from the first ID given to NewWorkingSet: a store that draws
// IDs from a database sequence gives one per request it will apply (IDs of
// refused requests stay unused). A journal applied once they are all taken
// is refused with an internal error.
func (w *WorkingSet) UseIDs(ids []int64) { w.ids = slices.Clip(ids) }

// AddBook makes a book and its accounts known.
func (w *WorkingSet) AddBook(b Book) {
	w.books[b.ID] = b
	for _, a := range b.Accounts {
		w.accounts[In(b.ID, a)] = true
	}
}

// AddWorldAccount makes a world account known.
func (w *WorkingSet) AddWorldAccount(name string) { w.accounts[World(name)] = true }

// AddItem makes an item known.
func (w *WorkingSet) AddItem(it Item) { w.items[it.Ref()] = it }

// AddLot makes a lot's metadata known.
func (w *WorkingSet) AddLot(l Lot) { w.lots[lotRef{l.Item, l.Key}] = l }

// LoadPair records that all lots of positive quantity of an item in a book
// account were loaded; balances are given by lot. Call AddLot for each lot too.
func (w *WorkingSet) LoadPair(p PairKey, lots map[string]Amount) {
	w.loaded[p] = true
	keys := make([]string, 0, len(lots))
	for k, a := range lots {
		hk := HoldingKey{p.Account, p.Item, k}
		w.bal[hk] = a
		w.stored[hk] = true
		if a.Quantity.Sign() > 0 {
			keys = append(keys, k)
		}
	}
	w.pairLots[p] = keys
}

// LoadPairPart is LoadPair for the oldest lots of positive quantity of a
// pair, in first-in first-out order (LotLess), up to and including the lot
// through: every stored lot of the pair that sorts before through is among
// lots, and those after it were not loaded. Call AddLot for each lot too.
func (w *WorkingSet) LoadPairPart(p PairKey, lots map[string]Amount, through Lot) {
	w.LoadPair(p, lots)
	w.through[p] = through
}

// LoadHolding records one holding loaded by key (a named lot a posting takes
// from or adds to): its balance, or !ok when it has no stored row.
func (w *WorkingSet) LoadHolding(k HoldingKey, a Amount, ok bool) {
	w.probed[k] = true
	if ok {
		w.bal[k] = a
		w.stored[k] = true
	}
}

// Short returns the pairs, sorted, that a take needed more lots of than
// LoadPairPart gave: the journals that took from them were refused with an
// internal error, and the batch must be checked again, with more of each
// pair loaded, in a new working set.
func (w *WorkingSet) Short() []PairKey {
	out := make([]PairKey, 0, len(w.short))
	for p := range w.short {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b PairKey) int {
		return cmp.Or(cmp.Compare(a.Item.Book, b.Item.Book), cmp.Compare(a.Item.Code, b.Item.Code),
			cmp.Compare(a.Account.Book, b.Account.Book), cmp.Compare(a.Account.Name, b.Account.Name))
	})
	return out
}

// Lot returns a lot's details: loaded by AddLot or created by an accepted
// journal.
func (w *WorkingSet) Lot(item ItemRef, key string) (Lot, bool) {
	l, ok := w.lots[lotRef{item, key}]
	return l, ok
}

// known reports whether the working set knows a holding's stored balance:
// its row was loaded, or the store has no row for it (looked up and absent,
// in a pair loaded whole or before the end of its page, or a lot made in
// this batch).
func (w *WorkingSet) known(k HoldingKey) bool {
	if w.stored[k] || w.probed[k] {
		return true
	}
	pair := PairKey{k.Account, k.Item}
	if w.loaded[pair] {
		t, part := w.through[pair]
		if !part {
			return true
		}
		if m, ok := w.lotMeta(k.Item, k.Lot); ok && !LotLess(t, m) {
			return true
		}
	}
	if w.made[lotRef{k.Item, k.Lot}] {
		return true
	}
	for _, l := range w.ov.lots {
		if l.Item == k.Item && l.Key == k.Lot {
			return true
		}
	}
	return false
}

// AddExisting records a journal already stored under an idempotency key, with
// the hash of the request that created it.
func (w *WorkingSet) AddExisting(j Journal, requestHash []byte) {
	w.keys[keyRef{j.Book, j.IdempotencyKey}] = keyed{hash: requestHash, journal: j}
}

// RequestHash returns the request hash recorded under a book's idempotency
// key by Apply, Reverse or AddExisting, for the store to persist.
func (w *WorkingSet) RequestHash(book, key string) []byte { return w.keys[keyRef{book, key}].hash }

// MarkReversed records that journal id was already reversed by another.
func (w *WorkingSet) MarkReversed(id, by int64) { w.reversed[id] = by }

// Accepted returns the journals accepted so far, in order.
func (w *WorkingSet) Accepted() []Journal { return w.accepted }

// Deltas returns the net change of every holding the accepted journals touched.
func (w *WorkingSet) Deltas() map[HoldingKey]Amount { return w.deltas }

// NewLots returns the lots the accepted journals created.
func (w *WorkingSet) NewLots() []Lot { return w.newLots }

// DayDeltas returns the per-day totals to add, per (account, item, day).
func (w *WorkingSet) DayDeltas() []DayTotal {
	out := make([]DayTotal, 0, len(w.days))
	for _, d := range w.days {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DayTotal) int {
		return cmp.Or(cmp.Compare(a.Account.Book, b.Account.Book), cmp.Compare(a.Account.Name, b.Account.Name),
			cmp.Compare(a.Item.Book, b.Item.Book), cmp.Compare(a.Item.Code, b.Item.Code), a.Day.Compare(b.Day))
	})
	return out
}

// Stored reports whether a holding's row was loaded (LoadPair, LoadPairPart,
// LoadHolding): its Balance is then what the store keeps. Any other holding
// in Deltas was only added to, onto a row that was not loaded or does not
// exist: the store adds its net change (a lot made and emptied within the
// batch has none, and needs no row).
func (w *WorkingSet) Stored(k HoldingKey) bool { return w.stored[k] }

// Balance returns the current balance of a holding as the working set sees it.
func (w *WorkingSet) Balance(k HoldingKey) Amount { return w.get(k) }

// Apply checks req against the working set and, when it passes, records it as
// an accepted journal and returns it. A replayed idempotency key returns the
// original journal with Replayed set. On error nothing changes.
func (w *WorkingSet) Apply(req JournalRequest) (Journal, error) {
	if err := ValidateShape(req); err != nil {
		return Journal{}, err
	}
	return w.ApplyChecked(req, RequestHash(req))
}

// ApplyChecked is Apply for a request that already passed ValidateShape and
// whose RequestHash is hash: a store that applies journals one after another
// in a serial section checks and hashes each request beforehand, in its
// caller's goroutine, and keeps only the rest in that section.
func (w *WorkingSet) ApplyChecked(req JournalRequest, hash []byte) (Journal, error) {
	if j, done, err := w.replay(req.Book, req.IdempotencyKey, hash); done {
		return j, err
	}
	return w.apply(req, hash, 0)
}

// Reverse checks a reversal of the stored journal orig and records it.
func (w *WorkingSet) Reverse(req ReverseRequest, orig Journal) (Journal, error) {
	if err := ValidateReverse(req); err != nil {
		return Journal{}, err
	}
	hash := ReverseRequestHash(req)
	if j, done, err := w.replay(req.Book, req.IdempotencyKey, hash); done {
		return j, err
	}
	if orig.Book != req.Book {
		return Journal{}, BadArgument("book_id",
			"journal %d was filed on book %q; file its reversal there", orig.ID, orig.Book)
	}
	if orig.ReversalOf != 0 {
		return Journal{}, Precondition(ReasonInvalidArgument, "journal_id",
			"journal %d is itself a reversal; post a new journal instead", orig.ID)
	}
	if by, ok := w.reversed[orig.ID]; ok {
		return Journal{}, Precondition(ReasonAlreadyReversed, "journal_id",
			"journal %d was already reversed by journal %d", orig.ID, by)
	}
	jr := JournalRequest{
		Book:           req.Book,
		IdempotencyKey: req.IdempotencyKey,
		EffectiveDate:  req.EffectiveDate,
		Document:       orig.Document,
		Principal:      req.Principal,
		Metadata:       map[string]string{"reversal_of": fmt.Sprint(orig.ID)},
	}
	if req.Reason != "" {
		jr.Metadata["reason"] = req.Reason
	}
	for _, p := range orig.Postings {
		for _, l := range p.Legs {
			rp := Posting{Item: p.Item, From: p.To, To: p.From, Quantity: l.Quantity, Unit: p.Unit}
			if p.To.IsWorld() {
				// Goods come back from the world into the lot they left.
				rp.Lot, rp.Value = l.Lot, l.Value
			} else {
				rp.Lot = l.Lot
			}
			jr.Postings = append(jr.Postings, rp)
		}
	}
	if err := ValidateShape(jr); err != nil {
		return Journal{}, err
	}
	j, err := w.apply(jr, hash, orig.ID)
	if err != nil {
		return Journal{}, err
	}
	w.reversed[orig.ID] = j.ID
	return j, nil
}

func (w *WorkingSet) replay(book, key string, hash []byte) (Journal, bool, error) {
	k, ok := w.keys[keyRef{book, key}]
	if !ok {
		return Journal{}, false, nil
	}
	if !bytes.Equal(k.hash, hash) {
		return Journal{}, true, Conflict(ReasonIdempotencyMismatch, "idempotency_key",
			"key %q was already used in book %q for a different request (journal %d); use a new key for a new journal", key, book, k.journal.ID)
	}
	j := k.journal
	j.Replayed = true
	return j, true, nil
}

func (w *WorkingSet) apply(req JournalRequest, hash []byte, reversalOf int64) (Journal, error) {
	if _, ok := w.books[req.Book]; !ok {
		return Journal{}, NotFound(ReasonUnknownBook, "book_id", "book %q does not exist", req.Book)
	}
	day := Day(req.EffectiveDate)
	if !w.latest.IsZero() && day.After(w.latest) {
		return Journal{}, Invalid(ReasonDateOutOfRange, "effective_date",
			"%s is after %s, the latest effective date the ledger takes today; date a movement on the day it happens, not ahead", FormatDate(day), FormatDate(w.latest))
	}
	id := w.NextID()
	if w.ids != nil && len(w.ids) == 0 {
		return Journal{}, &Error{Kind: KindInternal, Reason: ReasonInternal, Message: "the write path gave the working set fewer journal IDs than requests"}
	}
	touched := append(make([]string, 0, 4), req.Book) // the books the journal touches
	w.ov.begin()
	defer w.ov.reset()

	postings := make([]Posting, len(req.Postings))
	var takes []int // the postings that take from a book account
	for i, p := range req.Postings {
		it, ok := w.items[p.Item]
		if !ok {
			return Journal{}, NotFound(ReasonUnknownItem, postingField(i, "item_code"), "item %s is not registered; register it first", p.Item)
		}
		if p.Unit != it.Unit {
			return Journal{}, Invalid(ReasonUnitMismatch, postingField(i, "unit"), "item %s is counted in %q, not %q", p.Item, it.Unit, p.Unit)
		}
		if Places(p.Quantity) > it.Scale {
			return Journal{}, Invalid(ReasonTooManyDecimals, postingField(i, "quantity"), "item %s takes at most %d decimal places, got %s", p.Item, it.Scale, p.Quantity)
		}
		for _, end := range [2]struct {
			a     AccountRef
			field string
		}{{p.From, "from"}, {p.To, "to"}} {
			if !w.accounts[end.a] {
				return Journal{}, NotFound(ReasonUnknownAccount, postingField(i, end.field), "account %s does not exist", end.a)
			}
			if !end.a.IsWorld() {
				if end.a.Book != it.Book {
					return Journal{}, BadArgument(postingField(i, end.field), "account %s is not in book %q of item %s", end.a, it.Book, p.Item)
				}
				if !slices.Contains(touched, end.a.Book) {
					touched = append(touched, end.a.Book)
				}
			}
		}
		out := p
		out.LotAttributes = copyMap(p.LotAttributes)
		if p.From.IsWorld() {
			lot := p.Lot
			if lot == "" {
				lot = "J" + strconv.FormatInt(id, 10) + "-" + strconv.Itoa(i+1)
			}
			if err := w.inbound(req, id, p, lot); err != nil {
				return Journal{}, err
			}
			out.Legs = []Leg{{Lot: lot, Quantity: p.Quantity, Value: p.Value}}
		} else {
			legs, err := w.take(p, i)
			if err != nil {
				return Journal{}, err
			}
			takes = append(takes, i)
			out.Legs = legs
			out.Value = decimal.Zero
			for _, l := range legs {
				out.Value = out.Value.Add(l.Value)
				w.addTo(p.To, p.Item, l.Lot, l.Quantity, l.Value)
			}
		}
		postings[i] = out
	}
	for _, b := range touched {
		book, ok := w.books[b]
		if !ok {
			return Journal{}, NotFound(ReasonUnknownBook, "book_id", "book %q does not exist", b)
		}
		if !book.ClosedThrough.IsZero() && !req.EffectiveDate.After(book.ClosedThrough) {
			return Journal{}, Precondition(ReasonPeriodClosed, "effective_date",
				"book %q is closed through %s; date the movement after that, or record a correction in the open period", b, FormatDate(book.ClosedThrough))
		}
	}
	if err := w.checkAsOf(req.Postings, takes, day); err != nil {
		return Journal{}, err
	}

	j := Journal{
		ID:             id,
		Book:           req.Book,
		IdempotencyKey: req.IdempotencyKey,
		EffectiveDate:  Day(req.EffectiveDate),
		Document:       req.Document,
		Principal:      req.Principal,
		Metadata:       copyMap(req.Metadata),
		Postings:       postings,
		ReversalOf:     reversalOf,
	}
	j.Hash = j.ComputeHash()
	w.commit(j)
	w.keys[keyRef{req.Book, req.IdempotencyKey}] = keyed{hash: hash, journal: j}
	w.accepted = append(w.accepted, j)
	if w.ids != nil {
		w.ids = w.ids[1:]
	} else {
		w.nextID++
	}
	return j, nil
}

// inbound adds goods entering a book account from a world account.
func (w *WorkingSet) inbound(req JournalRequest, id int64, p Posting, lot string) error {
	if _, ok := w.lotMeta(p.Item, lot); !ok {
		w.ov.lots = append(w.ov.lots, Lot{
			Item:       p.Item,
			Key:        lot,
			EntryDate:  Day(req.EffectiveDate),
			JournalID:  id,
			Attributes: copyMap(p.LotAttributes),
		})
	}
	w.addTo(p.To, p.Item, lot, p.Quantity, p.Value)
	w.addTo(p.From, p.Item, "", p.Quantity.Neg(), p.Value.Neg())
	return nil
}

// take removes a posting's quantity from its book source account, from the
// named lot or oldest lots first, and returns the legs with carrying values.
func (w *WorkingSet) take(p Posting, i int) ([]Leg, error) {
	pair := PairKey{p.From, p.Item}
	var lots []string
	through, part := w.through[pair]
	if p.Lot != "" {
		if _, ok := w.lotMeta(p.Item, p.Lot); !ok {
			return nil, NotFound(ReasonUnknownLot, postingField(i, "lot"), "item %s has no lot %q", p.Item, p.Lot)
		}
		if !w.known(HoldingKey{p.From, p.Item, p.Lot}) {
			return nil, &Error{Kind: KindInternal, Reason: ReasonInternal, Message: fmt.Sprintf("store did not load holding %s %s lot %s", p.From, p.Item, p.Lot)}
		}
		lots, part = []string{p.Lot}, false
	} else {
		if !w.loaded[pair] {
			return nil, &Error{Kind: KindInternal, Reason: ReasonInternal, Message: fmt.Sprintf("store did not load holding %s %s", p.From, p.Item)}
		}
		lots = w.fifo(pair)
	}
	partial := func() error { // the take runs past the lots loaded
		w.short[pair] = true
		return &Error{Kind: KindInternal, Reason: ReasonInternal, Message: fmt.Sprintf("store loaded only part of holding %s %s", p.From, p.Item)}
	}
	remaining := p.Quantity
	available := decimal.Zero
	var legs []Leg
	for _, lot := range lots {
		if remaining.IsZero() {
			break
		}
		if part {
			if m, _ := w.lotMeta(p.Item, lot); LotLess(through, m) {
				return nil, partial() // unloaded lots may come first
			}
		}
		k := HoldingKey{p.From, p.Item, lot}
		have := w.get(k)
		if have.Quantity.Sign() <= 0 {
			continue
		}
		available = available.Add(have.Quantity)
		q := decimal.Min(have.Quantity, remaining)
		v := have.Value
		if q.LessThan(have.Quantity) {
			v = RoundValue(have.Value.Mul(q).Div(have.Quantity))
		}
		legs = append(legs, Leg{Lot: lot, Quantity: q, Value: v})
		left := Amount{have.Quantity.Sub(q), have.Value.Sub(v)}
		w.set(k, left)
		if left.Quantity.Sign() == 0 {
			w.closeLot(pair, lot)
		}
		w.delta(k, q.Neg(), v.Neg())
		remaining = remaining.Sub(q)
	}
	if remaining.Sign() > 0 {
		if part {
			return nil, partial()
		}
		where := p.From.String()
		if p.Lot != "" {
			where += " lot " + p.Lot
		}
		return nil, Precondition(ReasonInsufficient, postingField(i, "quantity"),
			"%s holds %s of item %s, the posting needs %s (unit %s)", where, available, p.Item, p.Quantity, p.Unit)
	}
	return legs, nil
}

// addTo credits a holding (debits when q is negative) and records the
// movement in the holding's net change and its day's gross in/out totals.
func (w *WorkingSet) addTo(a AccountRef, item ItemRef, lot string, q, v decimal.Decimal) {
	if a.IsWorld() {
		lot = ""
	}
	k := HoldingKey{a, item, lot}
	if !a.IsWorld() {
		pair := PairKey{a, item}
		have := w.get(k)
		if have.Quantity.Sign() <= 0 { // the lot opens (again)
			w.ov.pairLots[pair] = append(w.pairLotsOf(pair), lot)
		}
		w.set(k, Amount{add(have.Quantity, q), add(have.Value, v)})
	}
	w.delta(k, q, v)
}

// delta records a signed movement of one holding in the journal's overlay.
func (w *WorkingSet) delta(k HoldingKey, q, v decimal.Decimal) {
	d := w.ov.deltas[k]
	w.ov.deltas[k] = Amount{add(d.Quantity, q), add(d.Value, v)}
	pk := PairKey{k.Account, k.Item}
	t := w.ov.days[pk]
	if q.Sign() > 0 {
		t.QuantityIn = add(t.QuantityIn, q)
		t.ValueIn = add(t.ValueIn, v)
	} else {
		t.QuantityOut = add(t.QuantityOut, q.Neg())
		t.ValueOut = add(t.ValueOut, v.Neg())
	}
	w.ov.days[pk] = t
}

// get returns a holding's balance, the journal's overlay first.
func (w *WorkingSet) get(k HoldingKey) Amount {
	if a, ok := w.ov.bal[k]; ok {
		return a
	}
	return w.bal[k]
}

func (w *WorkingSet) set(k HoldingKey, a Amount) { w.ov.bal[k] = a }

// closeLot drops an emptied lot from its pair's open lots, so that taking
// from a busy holding does not sort through every lot it ever emptied.
func (w *WorkingSet) closeLot(p PairKey, lot string) {
	l := w.pairLotsOf(p)
	if i := slices.Index(l, lot); i >= 0 {
		l = slices.Delete(l, i, i+1)
	}
	w.ov.pairLots[p] = l
}

// pairLotsOf returns a pair's open lots (quantity above zero), in no order:
// the overlay's own list, or a copy of the working set's.
func (w *WorkingSet) pairLotsOf(p PairKey) []string {
	if l, ok := w.ov.pairLots[p]; ok {
		return l
	}
	return append([]string(nil), w.pairLots[p]...)
}

func (w *WorkingSet) lotMeta(item ItemRef, key string) (Lot, bool) {
	if l, ok := w.lots[lotRef{item, key}]; ok {
		return l, true
	}
	for _, l := range w.ov.lots {
		if l.Item == item && l.Key == key {
			return l, true
		}
	}
	return Lot{}, false
}

// fifo orders a pair's lots oldest first: by entry date, then creating
// journal, then key.
func (w *WorkingSet) fifo(p PairKey) []string {
	keys := w.pairLotsOf(p)
	metas := make([]Lot, len(keys))
	for i, k := range keys {
		m, _ := w.lotMeta(p.Item, k)
		m.Key = k
		metas[i] = m
	}
	sort.SliceStable(metas, func(i, j int) bool { return LotLess(metas[i], metas[j]) })
	out := make([]string, len(metas))
	for i, m := range metas {
		out[i] = m.Key
	}
	return out
}

// LotLess orders lots oldest first: entry date, creating journal, key.
func LotLess(a, b Lot) bool {
	if !a.EntryDate.Equal(b.EntryDate) {
		return a.EntryDate.Before(b.EntryDate)
	}
	if a.JournalID != b.JournalID {
		return a.JournalID < b.JournalID
	}
	return a.Key < b.Key
}

// commit merges the overlay of an accepted journal into the working set.
func (w *WorkingSet) commit(j Journal) {
	for k, a := range w.ov.bal {
		w.bal[k] = a
	}
	for k, a := range w.ov.deltas {
		if d, ok := w.deltas[k]; ok {
			a = Amount{add(d.Quantity, a.Quantity), add(d.Value, a.Value)}
		}
		w.deltas[k] = a
	}
	for pk, a := range w.ov.days {
		dk := DayKey{pk.Account, pk.Item, j.EffectiveDate}
		t, ok := w.days[dk]
		if !ok {
			t = DayTotal{Account: pk.Account, Item: pk.Item, Day: j.EffectiveDate}
		}
		t.QuantityIn = add(t.QuantityIn, a.QuantityIn)
		t.QuantityOut = add(t.QuantityOut, a.QuantityOut)
		t.ValueIn = add(t.ValueIn, a.ValueIn)
		t.ValueOut = add(t.ValueOut, a.ValueOut)
		w.days[dk] = t
		if !pk.Account.IsWorld() {
			if l, ok := w.latestDay[pk]; !ok || j.EffectiveDate.After(l) {
				w.latestDay[pk] = j.EffectiveDate
			}
		}
	}
	for p, l := range w.ov.pairLots {
		w.pairLots[p] = l
	}
	for _, l := range w.ov.lots {
		w.AddLot(l)
		w.made[lotRef{l.Item, l.Key}] = true
		w.newLots = append(w.newLots, l)
	}
}

// checkAsOf refuses a journal dated day whose postings at the indexes takes
// (those taking from book accounts) would leave one of those accounts
// holding less than nothing at the end of day or of any later day. It
// checks quantities only: lots are taken oldest first by the day they
// entered the books, not the account, so a back-dated journal may take a
// lot that reached the account later, at another carrying value, and the
// account's value as of a past day can show below zero while its quantity
// does not; refusing that would refuse a journal for the ledger's own
// choice of lots. The balance at the end of a day d is the current balance
// (after the journal) less the net movement of the days after d, stored and
// in the batch. Run after the journal's postings are in the overlay.
func (w *WorkingSet) checkAsOf(ps []Posting, takes []int, day time.Time) error {
	for n, i := range takes {
		p := ps[i]
		pair := PairKey{p.From, p.Item}
		if slices.ContainsFunc(takes[:n], func(k int) bool { return ps[k].From == p.From && ps[k].Item == p.Item }) {
			continue // checked with an earlier posting
		}
		after, ok := w.after[pair]
		if !ok || day.Before(after.After) {
			return &Error{Kind: KindInternal, Reason: ReasonInternal, Message: fmt.Sprintf("store did not load the per-day totals of %s %s after %s", p.From, p.Item, FormatDate(day))}
		}
		later := false
		for _, d := range after.Days {
			later = later || d.Day.After(day)
		}
		if l, ok := w.latestDay[pair]; ok && l.After(day) {
			later = true
		}
		if !later {
			continue // nothing dated after the journal: its day's balance is the current one
		}
		if !after.HasBalance {
			return &Error{Kind: KindInternal, Reason: ReasonInternal, Message: fmt.Sprintf("store did not load the balance of %s %s", p.From, p.Item)}
		}
		// The net movement of each later day, and the current balance.
		net := map[time.Time]Amount{} // values are summed too, unused
		for _, d := range after.Days {
			if d.Day.After(day) {
				net[d.Day] = addNet(net[d.Day], d)
			}
		}
		bal := after.Balance
		for k, d := range w.days {
			if k.Account == pair.Account && k.Item == pair.Item {
				bal = addNet(bal, d)
				if k.Day.After(day) {
					net[k.Day] = addNet(net[k.Day], d)
				}
			}
		}
		bal = addNet(bal, w.ov.days[pair])
		days := make([]time.Time, 0, len(net))
		for d, a := range net {
			days = append(days, d)
			bal = Amount{bal.Quantity.Sub(a.Quantity), bal.Value.Sub(a.Value)} // back to the end of day
		}
		slices.SortFunc(days, time.Time.Compare)
		at := day
		for k := -1; k < len(days); k++ {
			if k >= 0 {
				at = days[k]
				bal = Amount{bal.Quantity.Add(net[at].Quantity), bal.Value.Add(net[at].Value)}
			}
			if bal.Quantity.Sign() < 0 {
				return Precondition(ReasonInsufficient, postingField(i, "quantity"),
					"%s would hold %s of item %s (unit %s) at the end of %s: goods this journal dated %s takes arrived after that date; date it on the day the goods were there, or take goods held by then",
					p.From, bal.Quantity, p.Item, p.Unit, FormatDate(at), FormatDate(day))
			}
		}
	}
	return nil
}

// addNet adds a day total's net movement (in less out) to a.
func addNet(a Amount, t DayTotal) Amount {
	return Amount{a.Quantity.Add(t.QuantityIn).Sub(t.QuantityOut), a.Value.Add(t.ValueIn).Sub(t.ValueOut)}
}

// postingField names a field of the request's i-th posting, for errors.
func postingField(i int, field string) string {
	return "postings[" + strconv.Itoa(i) + "]." + field
}

// add is a.Add(b) without the arithmetic (and its allocations) when either
// is zero, the common case of a first movement.
func add(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return a
	}
	if a.IsZero() {
		return b
	}
	return a.Add(b)
}

func copyMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
