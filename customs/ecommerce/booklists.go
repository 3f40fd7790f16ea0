package ecommerce

import (
	"context"

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

// BookLists calls fn with every inventory list whose goods left book (the
// zone warehouse's book, 二线出区核减) — released, returned in whole or in
// part, a return pending or lapsed; refused lists moved nothing and are
// left out — in list number order, for a sealed period's evidence
// (customs/evidence). p must be able to read the book: customs, or the
// warehouse enterprise that owns it.
func (s *Service) BookLists(ctx context.Context, p access.Principal, book string, fn func(BookList) error) error {
	if _, err := s.zone.GetBook(ctx, p, book); err != nil {
		return err
	}
	// The book is in the list's body only (lists are keyed by enterprise
	// and platform); JSONB reads it on both engines.
	lists, err := loadLists(ctx, s.pool, `WHERE (body::JSONB)->>'Book' = $1 AND status NOT IN ($2, $3) ORDER BY no`,
		book, string(ListRefused), string(ListReleasing))
	if err != nil {
		return dbError(err)
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
			return dbError(err)
		}
		defer rows.Close()
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				return dbError(err)
			}
			var pay TaxPayment
			if err := jsonUnmarshal(body, &pay); err != nil {
				return err
			}
			pays[pay.No] = &pay
		}
		if err := rows.Err(); err != nil {
			return dbError(err)
		}
	}
	for _, l := range lists {
		l = s.view(l)
		l.BuyerID = mask(l.BuyerID)
		if err := fn(BookList{List: l, Payment: pays[l.TaxPaymentNo]}); err != nil {
			return err
		}
	}
	return nil
}
