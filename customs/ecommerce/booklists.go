package ecommerce

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
)

// BookList is an inventory list released from a book, as it stands now,
// with the payment of its tax.
type BookList struct {
	// List is the list as GetList reads it (a return applied for and not
	// received in time reads RETURN_LAPSED), its buyer's ID number masked
	// (first 6 and last 4 characters).
	List InventoryList
	// Payment is the tax payment that paid it (RecordTaxPayment); nil
	// while unpaid.
	Payment *TaxPayment
}

// ListMark is how far BookListsChanged read a book's lists: pass the mark
// it returned to the next call to read only what changed since. The zero
// ListMark reads every list of the book.
type ListMark struct {
	// Seq is the book's list change number read through: every change
	// of a list (stored on release, returned, its tax paid, its customs
	// status moved by a receipt) takes the next number of its book, in
	// the transaction of the change.
	Seq int64
	// Day is the day (in Settings.Location) of the read: a return asked
	// for lapses with the days, not with a change, and the next read
	// finds the returns that lapsed after it.
	Day time.Time
}

// bookListsChangedSQL reads the lists of book $1 changed after change
// number $2, and those not changed since with a return asked for, released
// in [$3, $4). One statement, so one snapshot; each branch is one range of
// an index (ecom_lists_book_changes, ecom_lists_book_returns), so neither
// reads the book's unchanged lists nor another book's.
const bookListsChangedSQL = `SELECT body, change_seq, no FROM ecom_lists
	WHERE book = $1 AND change_seq > $2 AND status NOT IN ('` + string(ListRefused) + `', '` + string(ListReleasing) + `')
	UNION ALL
	SELECT body, change_seq, no FROM ecom_lists
	WHERE book = $1 AND status = '` + string(ListReturnRequested) + `' AND released_on >= $3 AND released_on < $4 AND change_seq <= $2
	ORDER BY no`

// BookListsChanged calls fn, in list number order, with every inventory
// list whose goods left book (the zone warehouse's book, 二线出区核减) —
// released, returned in whole or in part, a return pending or lapsed;
// refused lists moved nothing and are left out — that changed after since
// or reads differently since since.Day (its return lapsed), and returns
// the mark to pass next time. With the zero mark it calls fn with every
// such list of the book. It is what a sealed period's evidence records of
// the book's e-commerce lists (customs/evidence): each seal records the
// lists changed since the one before, so every seal in order holds every
// list in its latest state as of that seal. It reads the lists by their
// book and change number, never another book's lists. p must be able to
// read the book: customs, or the warehouse enterprise that owns it.
//
// The mark is safe to store and use later: a book's change numbers are
// given in commit order, so a list whose change had not committed when fn
// was called has a number above the returned mark. A return that lapses
// after since.Day is found with the Settings.ReturnArriveDays in force at
// the call.
func (s *Service) BookListsChanged(ctx context.Context, p access.Principal, book string, since ListMark, fn func(BookList) error) (ListMark, error) {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return since, err
	}
	today := s.today()
	// A return asked for reads lapsed on a day after ReleasedOn plus
	// ReturnArriveDays: those that lapsed after since.Day and by today
	// were released in [since.Day − days, today − days). The zero mark
	// reads every list anyway.
	lapseFrom, lapseTo := today, today
	if !since.Day.IsZero() && today.After(since.Day) {
		lapseFrom, lapseTo = since.Day.AddDate(0, 0, -s.set.ReturnArriveDays), today.AddDate(0, 0, -s.set.ReturnArriveDays)
	}
	rows, err := s.pool.Query(ctx, bookListsChangedSQL, book, since.Seq, lapseFrom, lapseTo)
	if err != nil {
		return since, dbError(err)
	}
	next := ListMark{Seq: since.Seq, Day: today}
	var (
		lists []InventoryList
		body  string
		seq   int64
	)
	var no string
	_, err = pgx.ForEachRow(rows, []any{&body, &seq, &no}, func() error {
		var l InventoryList
		if err := jsonUnmarshal(body, &l); err != nil {
			return err
		}
		lists, next.Seq = append(lists, l), max(next.Seq, seq)
		return nil
	})
	if err != nil {
		return since, dbError(err)
	}
	var nos []string
	seen := map[string]bool{}
	for _, l := range lists {
		if l.TaxPaymentNo != "" && !seen[l.TaxPaymentNo] {
			seen[l.TaxPaymentNo] = true
			nos = append(nos, l.TaxPaymentNo)
		}
	}
	pays := map[string]*TaxPayment{}
	if len(nos) > 0 {
		rows, err := s.pool.Query(ctx, `SELECT body FROM ecom_tax_payments WHERE no = ANY($1)`, nos)
		if err != nil {
			return since, dbError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				return since, dbError(err)
			}
			var pay TaxPayment
			if err := jsonUnmarshal(body, &pay); err != nil {
				return since, err
			}
			pays[pay.No] = &pay
		}
		if err := rows.Err(); err != nil {
			return since, dbError(err)
		}
	}
	for _, l := range lists {
		l = s.viewOn(l, today)
		l.BuyerID = mask(l.BuyerID)
		if err := fn(BookList{List: l, Payment: pays[l.TaxPaymentNo]}); err != nil {
			return since, err
		}
	}
	return next, nil
}
