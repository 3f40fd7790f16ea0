package ecommerce

import (
	"context"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TaxOverdue is a released inventory list whose tax is past its due date
// (release + Settings.PaymentDays).
type TaxOverdue struct {
	ListNo     string
	OrderNo    string
	Enterprise string
	Book       string
	Guarantor  string
	ReleasedOn time.Time
	// DueOn is the last day to pay.
	DueOn time.Time
	// Tax is the tax due (of the goods kept, after a partial return).
	Tax decimal.Decimal
}

// OverdueTax lists, oldest due date first, the released inventory lists
// on the books p may read (customs: every book; an enterprise: the
// warehouse books it keeps; book, when not empty, restricts to one) whose tax is still due and whose
// due date (release + Settings.PaymentDays) is before asOf: every list
// released, not wholly returned, with tax above zero and no payment
// recorded (RecordTaxPayment) counts once its due date has passed.
func (s *Service) OverdueTax(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]TaxOverdue, error) {
	all := p.Role == access.RoleCustoms && !p.Disabled
	if !all && (p.Role != access.RoleEnterprise || p.Disabled) {
		return nil, ledger.Denied("principal %q (%s) may not read overdue e-commerce tax; customs and the warehouse's enterprise do", p.ID, p.Role)
	}
	var own map[string]bool // an enterprise's books: the warehouse books it keeps
	if !all {
		own = map[string]bool{}
		after := ""
		for {
			bs, err := s.zone.ListBooks(ctx, p, p.Enterprise, after, zone.MaxPage)
			if err != nil {
				return nil, err
			}
			for _, b := range bs {
				own[b.No] = true
			}
			if len(bs) < zone.MaxPage {
				break
			}
			after = bs[len(bs)-1].No
		}
	}
	cutoff := ledger.Day(asOf).AddDate(0, 0, -s.set.PaymentDays)
	rows, err := s.pool.Query(ctx, `SELECT body FROM ecom_lists WHERE status IN ($1, $2, $3) AND released_on < $4 AND tax_payment_no = '' ORDER BY released_on, no`,
		string(ListReleased), string(ListReturnRequested), string(ListPartlyReturned), cutoff)
	if err != nil {
		return nil, dbError(err)
	}
	defer rows.Close()
	var out []TaxOverdue
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, dbError(err)
		}
		var l InventoryList
		if err := jsonUnmarshal(body, &l); err != nil {
			return nil, err
		}
		if (book != "" && l.Book != book) || (!all && !own[l.Book]) || !l.Tax.IsPositive() {
			continue
		}
		out = append(out, TaxOverdue{ListNo: l.No, OrderNo: l.OrderNo, Enterprise: l.Enterprise, Book: l.Book, Guarantor: l.Guarantor,
			ReleasedOn: l.ReleasedOn, DueOn: l.ReleasedOn.AddDate(0, 0, s.set.PaymentDays), Tax: l.Tax})
	}
	return out, dbError(rows.Err())
}
