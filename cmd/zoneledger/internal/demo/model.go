package demo

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// model is the demo's own copy of the quantities it filed: what a careful
// enterprise keeps on its side. Goods entering a book account from a world
// account form a lot; goods leaving a book account are taken from the named
// lot (a reversal) or the oldest lots first. The scenario plans every
// movement against it, so it knows which filings must be refused, and the
// final quantities are compared with the server's balances. Carrying values
// are the server's to compute (FIFO, pro rata to the fen, ledger/doc.go);
// the demo prints them as GetBalances answers.
type model struct {
	// holdings per book account: account → item → lots.
	hold map[acctKey]map[itemKey][]*mlot
	// lots created by each journal (by idempotency key), for reversals.
	created map[string][]createdLot
}

type acctKey struct{ Book, Name string }

func (a acctKey) world() bool { return a.Book == "" }

func (a acctKey) String() string {
	if a.world() {
		return "world:" + a.Name
	}
	return a.Book + ":" + a.Name
}

type itemKey struct{ Book, Code string }

// lotID orders lots oldest first, as the ledger does: entry date, then the
// creating journal, then the posting that created it.
type lotID struct {
	Day     int // day of month
	Journal int // order in which the creating journal was filed
	Posting int
}

func (a lotID) less(b lotID) bool {
	return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Journal, b.Journal), cmp.Compare(a.Posting, b.Posting)) < 0
}

type mlot struct {
	ID  lotID
	Qty decimal.Decimal
}

type createdLot struct {
	Acct acctKey
	Item itemKey
	ID   lotID
	Qty  decimal.Decimal
}

// move is one posting as the model sees it.
type move struct {
	Item     itemKey
	From, To acctKey
	Qty      decimal.Decimal
	Val      decimal.Decimal // stated value; only for goods entering from a world account
	Lot      *lotID          // take from this lot only (reversals)
	// Unit is the unit the posting declares when it is not the item's (a
	// deliberate mismatch the ledger refuses).
	Unit string
}

// insufficientError is what the model predicts the ledger says.
type insufficientError struct {
	Acct      acctKey
	Item      itemKey
	Have, Got decimal.Decimal
}

func (e *insufficientError) Error() string {
	return fmt.Sprintf("%s holds %s of %s/%s, the posting needs %s", e.Acct, e.Have, e.Item.Book, e.Item.Code, e.Got)
}

func newModel() *model {
	return &model{hold: map[acctKey]map[itemKey][]*mlot{}, created: map[string][]createdLot{}}
}

// qty is the quantity of an item in a book account.
func (m *model) qty(a acctKey, it itemKey) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range m.hold[a][it] {
		sum = sum.Add(l.Qty)
	}
	return sum
}

// apply books a journal of moves, all or nothing; journal is its filing
// order, day its effective day, key its idempotency key.
func (m *model) apply(key string, journal, day int, moves []move) error {
	// Work on copies of the touched holdings; commit only when every move passed.
	scratch := map[acctKey]map[itemKey][]*mlot{}
	get := func(a acctKey, it itemKey) []*mlot {
		if byItem, ok := scratch[a]; ok {
			if ls, ok := byItem[it]; ok {
				return ls
			}
		}
		var cp []*mlot
		for _, l := range m.hold[a][it] {
			c := *l
			cp = append(cp, &c)
		}
		if scratch[a] == nil {
			scratch[a] = map[itemKey][]*mlot{}
		}
		scratch[a][it] = cp
		return cp
	}
	put := func(a acctKey, it itemKey, ls []*mlot) { scratch[a][it] = ls }
	addLot := func(a acctKey, it itemKey, id lotID, q decimal.Decimal) {
		ls := get(a, it)
		for _, l := range ls {
			if l.ID == id {
				l.Qty = l.Qty.Add(q)
				return
			}
		}
		ls = append(ls, &mlot{ID: id, Qty: q})
		sort.SliceStable(ls, func(i, j int) bool { return ls[i].ID.less(ls[j].ID) })
		put(a, it, ls)
	}

	var created []createdLot
	for i, mv := range moves {
		if mv.From.world() {
			id := lotID{Day: day, Journal: journal, Posting: i}
			if mv.Lot != nil {
				id = *mv.Lot
			}
			addLot(mv.To, mv.Item, id, mv.Qty)
			created = append(created, createdLot{Acct: mv.To, Item: mv.Item, ID: id, Qty: mv.Qty})
			continue
		}
		ls := get(mv.From, mv.Item)
		remaining := mv.Qty
		available := decimal.Zero
		type leg struct {
			id lotID
			q  decimal.Decimal
		}
		var legs []leg
		for _, l := range ls {
			if remaining.IsZero() {
				break
			}
			if mv.Lot != nil && l.ID != *mv.Lot {
				continue
			}
			if l.Qty.Sign() <= 0 {
				continue
			}
			available = available.Add(l.Qty)
			q := decimal.Min(l.Qty, remaining)
			l.Qty = l.Qty.Sub(q)
			remaining = remaining.Sub(q)
			legs = append(legs, leg{l.ID, q})
		}
		if remaining.Sign() > 0 {
			return &insufficientError{Acct: mv.From, Item: mv.Item, Have: available, Got: mv.Qty}
		}
		// Drop emptied lots (the ledger keeps them at zero; they hold nothing).
		kept := ls[:0]
		for _, l := range ls {
			if l.Qty.Sign() > 0 {
				kept = append(kept, l)
			}
		}
		put(mv.From, mv.Item, kept)
		if !mv.To.world() {
			for _, lg := range legs {
				addLot(mv.To, mv.Item, lg.id, lg.q)
			}
		}
	}
	for a, byItem := range scratch {
		if m.hold[a] == nil {
			m.hold[a] = map[itemKey][]*mlot{}
		}
		for it, ls := range byItem {
			m.hold[a][it] = ls
		}
	}
	m.created[key] = created
	return nil
}

// holding is one (account, item) quantity.
type holding struct {
	Account string
	Item    string
	Qty     decimal.Decimal
}

// balances returns the non-zero holdings of a book, ordered by account and item.
func (m *model) balances(book string) []holding {
	var out []holding
	for a, byItem := range m.hold {
		if a.Book != book {
			continue
		}
		for it, ls := range byItem {
			q := decimal.Zero
			for _, l := range ls {
				q = q.Add(l.Qty)
			}
			if !q.IsZero() {
				out = append(out, holding{Account: a.Name, Item: it.Code, Qty: q})
			}
		}
	}
	slices.SortFunc(out, func(a, b holding) int { return cmp.Or(cmp.Compare(a.Account, b.Account), cmp.Compare(a.Item, b.Item)) })
	return out
}
