package ecommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// listReturnReceiving: the returned goods' journal was being posted, by a
// version that booked a return in two steps; nothing is stored in it any
// more, and Recover finishes such lists.
const listReturnReceiving ListStatus = "RETURN_RECEIVING"

func jsonUnmarshal(body string, into any) error { return json.Unmarshal([]byte(body), into) }

// GetList returns an inventory list; a principal that may read its
// enterprise, or customs, may read it.
func (s *Service) GetList(ctx context.Context, p access.Principal, no string) (InventoryList, error) {
	l, err := loadList(ctx, s.pool, no, false)
	if err != nil {
		return l, dbError(err)
	}
	if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
		return InventoryList{}, err
	}
	return s.view(l), nil
}

// CancelOrder cancels an order whose list has not been released (its
// documents are not all in). A released order is returned instead.
func (s *Service) CancelOrder(ctx context.Context, p access.Principal, orderNo string) (Order, error) {
	var out Order
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		r, ok, err := loadOrder(ctx, tx, orderNo, true)
		if err != nil {
			return err
		}
		if !ok || r.bodies[kindOrder] == "" {
			return orderNotFound(orderNo)
		}
		if err := hideFrom(p, r.enterprise, orderNotFound(orderNo)); err != nil {
			return err
		}
		if err := canSubmit(p, r.enterprise); err != nil {
			return err
		}
		switch r.status {
		case OrderCancelled:
		case OrderPending, OrderRejected:
			r.status = OrderCancelled
			if err := setOrderStatus(ctx, tx, r); err != nil {
				return err
			}
		default:
			return ledger.Precondition(ReasonWrongStatus, "order_no", "order %s is %s; a released order is returned, not cancelled", orderNo, r.status)
		}
		out, err = r.order()
		return err
	})
	return out, err
}

// RequestReturn applies for the return (退货) of a released list's goods,
// within Settings.ReturnApplyDays of its release: all of them (lines
// empty), or part (per line and quantity). A list takes one return;
// applying again for the same goods returns the list, for other goods is
// refused. Asking for more than a line holds is refused with
// RETURN_EXCEEDS_LIST.
func (s *Service) RequestReturn(ctx context.Context, p access.Principal, no string, lines []ReturnLine) (InventoryList, error) {
	var out InventoryList
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := loadList(ctx, tx, no, true)
		if err != nil {
			return err
		}
		if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
			return err
		}
		if err := canSubmit(p, l.Enterprise); err != nil {
			return err
		}
		want, err := returnLines(l, lines)
		if err != nil {
			return err
		}
		switch l.Status {
		case ListReturnRequested, listReturnReceiving, ListReturned, ListPartlyReturned:
			if !sameReturn(l.ReturnLines, want) {
				return ledger.Precondition(ReasonWrongStatus, "lines", "list %s already has a return of other goods applied for on %s; a list takes one return", no, ledger.FormatDate(l.ReturnAppliedOn))
			}
			out = s.view(l)
			return nil
		case ListReleased:
		default:
			return ledger.Precondition(ReasonWrongStatus, "list_no", "list %s is %s; only a released list can be returned", no, l.Status)
		}
		last := l.ReleasedOn.AddDate(0, 0, s.set.ReturnApplyDays)
		if s.today().After(last) {
			return ledger.Precondition(ReasonReturnWindowClosed, "list_no", "list %s was released on %s; returns had to be applied for by %s", no, ledger.FormatDate(l.ReleasedOn), ledger.FormatDate(last))
		}
		l.Status, l.ReturnAppliedOn, l.ReturnLines = ListReturnRequested, s.today(), want
		out = l
		return saveList(ctx, tx, l)
	})
	return out, err
}

// returnLines checks the goods a return asks for against the list and
// returns them in line order, every line in full when none are named.
func returnLines(l InventoryList, lines []ReturnLine) ([]ReturnLine, error) {
	if len(lines) == 0 {
		out := make([]ReturnLine, len(l.Lines))
		for i, ln := range l.Lines {
			out[i] = ReturnLine{Seq: ln.Seq, Quantity: ln.Quantity}
		}
		return out, nil
	}
	asked := map[int]decimal.Decimal{}
	for i, rl := range lines {
		f := fmt.Sprintf("lines[%d]", i)
		if !rl.Quantity.IsPositive() || ledger.Places(rl.Quantity) > 5 {
			return nil, ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0 with at most 5 decimal places")
		}
		ln, ok := listLine(l, rl.Seq)
		if !ok {
			return nil, ledger.BadArgument(f+".seq", "list %s has no line %d; name a line from 1 to %d", l.No, rl.Seq, len(l.Lines))
		}
		if _, dup := asked[rl.Seq]; dup {
			return nil, ledger.BadArgument(f+".seq", "line %d is named twice; give each line once with its whole quantity", rl.Seq)
		}
		if rl.Quantity.GreaterThan(ln.Quantity) {
			return nil, ledger.Invalid(ReasonReturnExceedsList, f+".quantity", "line %d of list %s released %s %s; %s cannot be returned", rl.Seq, l.No, ln.Quantity, ln.Unit, rl.Quantity)
		}
		asked[rl.Seq] = rl.Quantity
	}
	var out []ReturnLine
	for _, ln := range l.Lines {
		if q, ok := asked[ln.Seq]; ok {
			out = append(out, ReturnLine{Seq: ln.Seq, Quantity: q})
		}
	}
	return out, nil
}

func listLine(l InventoryList, seq int) (ListLine, bool) {
	for _, ln := range l.Lines {
		if ln.Seq == seq {
			return ln, true
		}
	}
	return ListLine{}, false
}

func sameReturn(a, b []ReturnLine) bool {
	return slices.EqualFunc(a, b, func(x, y ReturnLine) bool { return x.Seq == y.Seq && x.Quantity.Equal(y.Quantity) })
}

// whole reports whether a return covers every line of its list in full.
func whole(l InventoryList) bool {
	if len(l.ReturnLines) != len(l.Lines) {
		return false
	}
	for i, rl := range l.ReturnLines {
		if rl.Seq != l.Lines[i].Seq || !rl.Quantity.Equal(l.Lines[i].Quantity) {
			return false
		}
	}
	return true
}

// view is a list as it reads today: a return applied for whose goods were
// not received by the end of the arrival window has lapsed.
func (s *Service) view(l InventoryList) InventoryList { return s.viewOn(l, s.today()) }

// viewOn is a list as it reads on day.
func (s *Service) viewOn(l InventoryList, day time.Time) InventoryList {
	if l.Status == ListReturnRequested && day.After(l.ReleasedOn.AddDate(0, 0, s.set.ReturnArriveDays)) {
		l.Status = ListReturnLapsed
	}
	return l
}

// ReceiveReturn books the returned goods back into bonded stock, within
// Settings.ReturnArriveDays of release, into the lots they left with those
// lots' origin and carrying value: the returned goods' tax is cancelled
// and the buyer's annual total restored by their value. Only the zone
// warehouse that keeps the list's book (its owner enterprise) confirms the
// goods arrived; the platform that asked for the return may not.
func (s *Service) ReceiveReturn(ctx context.Context, p access.Principal, no string) (InventoryList, error) {
	l, err := loadList(ctx, s.pool, no, false)
	if err != nil {
		return l, dbError(err)
	}
	b, err := s.zone.BookByNo(ctx, l.Book)
	if err != nil {
		return InventoryList{}, err
	}
	if p.Role != access.RoleEnterprise || !p.CanWrite(b.Enterprise) {
		if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
			return InventoryList{}, err
		}
		return InventoryList{}, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "list_no",
			"principal %q may not confirm that the goods of list %s arrived: the warehouse keeping book %s (enterprise %s) confirms it once the goods are in", p.ID, no, l.Book, b.Enterprise)
	}
	rel, err := s.releaseJournal(ctx, l)
	if err != nil {
		return InventoryList{}, dbError(err)
	}
	// One transaction of the ledger's seam: the goods booked back and the
	// list finished, or neither.
	err = s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		l, err := loadList(ctx, tx, no, true)
		if err != nil {
			return err
		}
		switch l.Status {
		case ListReturned, ListPartlyReturned:
			return nil
		case ListReturnRequested, listReturnReceiving:
		default:
			return ledger.Precondition(ReasonWrongStatus, "list_no", "list %s is %s; apply for the return first", no, l.Status)
		}
		if l.Status == ListReturnRequested {
			last := l.ReleasedOn.AddDate(0, 0, s.set.ReturnArriveDays)
			if s.today().After(last) {
				return ledger.Precondition(ReasonReturnWindowClosed, "list_no", "list %s was released on %s; returned goods had to be back by %s: the return lapsed and the list's tax is final", no, ledger.FormatDate(l.ReleasedOn), ledger.FormatDate(last))
			}
			l.ReturnedOn = s.today()
		}
		return s.receive(ctx, tx, j, l, rel)
	})
	if err != nil {
		return InventoryList{}, dbError(err)
	}
	out, err := loadList(ctx, s.pool, no, false)
	if err == nil && !p.CanRead(out.Enterprise) {
		// The warehouse sees the list it received goods for, not the buyer.
		out.BuyerID = mask(out.BuyerID)
	}
	return out, dbError(err)
}

// returnJournal books a return's goods back into the lots the release
// took them from, each with its carrying value: the whole leg's value for
// a whole leg, a part's value pro rata, rounded half-up to the fen.
func (s *Service) returnJournal(l InventoryList, rel ledger.Journal) (ledger.JournalRequest, error) {
	day := l.ReturnedOn
	if day.IsZero() { // stored RETURN_RECEIVING before the day was kept
		day = s.today()
	}
	req := ledger.JournalRequest{Book: l.Book, IdempotencyKey: l.No + ":return", EffectiveDate: day,
		Document: ledger.Document{Type: "CEB621-RETURN", Number: l.No, TradeMode: "1210"}, Principal: "ecommerce",
		Metadata: map[string]string{"order_no": l.OrderNo}}
	if rel.ID != l.JournalID {
		return req, ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "list %s was being written while its return was prepared; send the request again", l.No)
	}
	for _, rl := range l.ReturnLines {
		k := slices.IndexFunc(l.Lines, func(ln ListLine) bool { return ln.Seq == rl.Seq })
		if k < 0 || k >= len(rel.Postings) {
			return req, fmt.Errorf("list %s: line %d is not in release journal %d", l.No, rl.Seq, rel.ID)
		}
		ln, out := l.Lines[k], rel.Postings[k]
		left := rl.Quantity
		for _, leg := range out.Legs {
			if !left.IsPositive() {
				break
			}
			q, v := leg.Quantity, leg.Value
			if left.LessThan(q) {
				q, v = left, leg.Value.Mul(left).Div(leg.Quantity).Round(2)
			}
			left = left.Sub(q)
			req.Postings = append(req.Postings, ledger.Posting{Item: out.Item, From: ledger.World(zone.WorldDomestic), To: ledger.In(l.Book, zone.AccountBonded),
				Quantity: q, Unit: ln.Unit, Value: v, Lot: leg.Lot})
		}
		if left.IsPositive() {
			return req, fmt.Errorf("list %s: line %d returns %s, more than release journal %d took", l.No, rl.Seq, rl.Quantity, rel.ID)
		}
	}
	return req, nil
}

// receive posts a return's journal through j and finishes the list, in
// the caller's ReadWriteTx. The journal is dated the day the warehouse
// confirmed (l.ReturnedOn) and keyed by the list, so a list an earlier
// version left RETURN_RECEIVING, its journal perhaps posted, is finished
// with the very same journal.
//
// rel is the list's release journal, read before the transaction
// (releaseJournal): reading it on the pool from inside the transaction
// would wait for a second connection while holding one, and enough
// concurrent returns would hold them all.
func (s *Service) receive(ctx context.Context, tx pgx.Tx, j ledger.Journals, l InventoryList, rel ledger.Journal) error {
	req, err := s.returnJournal(l, rel)
	if err != nil {
		return err
	}
	res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
	if err != nil {
		return err
	}
	if err := res[0].Err; err != nil {
		return err
	}
	jn := res[0].Journal
	c := l
	back, kept, err := s.splitReturn(c)
	if err != nil {
		return err
	}
	c.ReturnedOn, c.ReturnJournalID = jn.EffectiveDate, jn.ID
	if c.ReleasedTax.IsZero() {
		c.ReleasedTax = c.Tax
	}
	if kept == nil {
		c.Status = ListReturned
	} else {
		c.Status = ListPartlyReturned
		c.Duty, c.ConsumptionTax, c.VAT, c.Tax = kept.Duty, kept.ConsumptionTax, kept.VAT, kept.Total
	}
	if err := s.addTotals(ctx, tx, -1, back); err != nil {
		return err
	}
	return saveList(ctx, tx, c)
}

// splitReturn parts a list into the goods returned, as a list to take off
// the buyer's totals, and the quote of the goods kept (nil for a whole
// return). Each line's dutiable value (tax.LineValues) is split pro rata to
// quantity, the kept part rounded half-up to the fen; the kept goods are
// taxed at the release date and the returned part's value is what is left
// of the list's, so the two sum exactly to the list's dutiable value.
func (s *Service) splitReturn(l InventoryList) (InventoryList, *tax.Quote, error) {
	back := l
	if whole(l) {
		return back, nil, nil
	}
	totals := make([]decimal.Decimal, len(l.Lines))
	for i, ln := range l.Lines {
		totals[i] = ln.Total
	}
	values := tax.LineValues(l.DutiableValue, totals)
	returned := map[int]decimal.Decimal{}
	for _, rl := range l.ReturnLines {
		returned[rl.Seq] = rl.Quantity
	}
	req := tax.Request{Regime: tax.CrossBorderRetail, Date: l.ReleasedOn}
	keptValue := decimal.Zero
	back.Lines = nil
	for i, ln := range l.Lines {
		r := returned[ln.Seq]
		if r.IsPositive() {
			rb := ln
			rb.Quantity, rb.LegalQuantity = r, ln.LegalQuantity.Mul(r).Div(ln.Quantity)
			back.Lines = append(back.Lines, rb)
		}
		k := ln.Quantity.Sub(r)
		if !k.IsPositive() {
			continue
		}
		v := values[i].Mul(k).Div(ln.Quantity).Round(2)
		keptValue = keptValue.Add(v)
		pieces := 0
		if k.IsInteger() && k.LessThan(decimal.NewFromInt(1<<30)) {
			pieces = int(k.IntPart())
		}
		req.Lines = append(req.Lines, tax.Line{Goods: tax.Goods{HSCode: ln.HSCode, DutiableValue: v, Quantity: ln.LegalQuantity.Mul(k).Div(ln.Quantity), Unit: ln.LegalUnit}, Pieces: pieces})
	}
	back.DutiableValue = l.DutiableValue.Sub(keptValue)
	q, err := s.tax.Quote(req)
	if err != nil {
		return back, nil, err
	}
	return back, &q, nil
}

// releaseJournal is the journal that released list l (an empty journal
// when it has none yet), read outside any transaction for receive.
func (s *Service) releaseJournal(ctx context.Context, l InventoryList) (ledger.Journal, error) {
	if l.JournalID == 0 {
		return ledger.Journal{}, nil
	}
	return s.ledger.GetJournal(ctx, l.JournalID)
}
