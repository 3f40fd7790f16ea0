package ecommerce

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
)

// Settle lists a guarantor's lists released in [from, to] and not wholly
// returned, with the tax due (of the goods kept, after a partial return)
// and its due date (release + Settings.PaymentDays), the payment that paid
// it (RecordTaxPayment) if any, and the totals due, paid and unpaid. A list
// is final once the arrival window (Settings.ReturnArriveDays) has closed,
// a return applied for but not received by then included: it lapsed. Customs, or the guarantor's own enterprise, may ask.
func (s *Service) Settle(ctx context.Context, p access.Principal, guarantor string, from, to time.Time) (Settlement, error) {
	if p.Role != access.RoleCustoms && !p.CanRead(guarantor) {
		return Settlement{}, ledger.Denied("principal %q may not read the settlement of %s", p.ID, guarantor)
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return Settlement{}, ledger.BadArgument("to", "give the period: from on or before to")
	}
	rows, err := s.pool.Query(ctx, `SELECT body FROM ecom_lists WHERE guarantor = $1 AND released_on BETWEEN $2 AND $3 AND status IN ($4, $5, $6) ORDER BY released_on, no`,
		guarantor, from, to, string(ListReleased), string(ListReturnRequested), string(ListPartlyReturned))
	if err != nil {
		return Settlement{}, dbError(err)
	}
	defer rows.Close()
	out := Settlement{Guarantor: guarantor, From: from, To: to, Tax: decimal.Zero, Paid: decimal.Zero}
	today := s.today()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return Settlement{}, dbError(err)
		}
		var l InventoryList
		if err := jsonUnmarshal(body, &l); err != nil {
			return Settlement{}, err
		}
		out.Lists = append(out.Lists, SettlementLine{ListNo: l.No, OrderNo: l.OrderNo, BuyerID: mask(l.BuyerID), ReleasedOn: l.ReleasedOn,
			DueOn: l.ReleasedOn.AddDate(0, 0, s.set.PaymentDays), Duty: l.Duty, ConsumptionTax: l.ConsumptionTax, VAT: l.VAT, Tax: l.Tax,
			Final: today.After(l.ReleasedOn.AddDate(0, 0, s.set.ReturnArriveDays)), TaxPaymentNo: l.TaxPaymentNo, TaxPaidOn: l.TaxPaidOn})
		out.Tax = out.Tax.Add(l.Tax)
		if l.TaxPaymentNo != "" {
			out.Paid = out.Paid.Add(l.Tax)
		}
	}
	out.Unpaid = out.Tax.Sub(out.Paid)
	return out, dbError(rows.Err())
}

// settlementHeader are the settlement file's columns; the payment's come
// last, so the earlier columns keep their places. paid and unpaid split a
// list's tax: all of it is paid once a payment names the list.
var settlementHeader = []string{"list_no", "order_no", "buyer_id", "released_on", "due_on", "duty", "consumption_tax", "vat", "tax", "final",
	"tax_payment_no", "tax_paid_on", "paid", "unpaid"}

func (l SettlementLine) record() []string {
	paid, unpaid, on := decimal.Zero, l.Tax, ""
	if l.TaxPaymentNo != "" {
		paid, unpaid, on = l.Tax, decimal.Zero, ledger.FormatDate(l.TaxPaidOn)
	}
	return []string{l.ListNo, l.OrderNo, l.BuyerID, ledger.FormatDate(l.ReleasedOn), ledger.FormatDate(l.DueOn),
		l.Duty.StringFixed(2), l.ConsumptionTax.StringFixed(2), l.VAT.StringFixed(2), l.Tax.StringFixed(2), fmt.Sprint(l.Final),
		l.TaxPaymentNo, on, paid.StringFixed(2), unpaid.StringFixed(2)}
}

// total is the settlement's TOTAL row: the guarantor, the period, the tax
// due, paid and unpaid.
func (st Settlement) total() []string {
	return []string{"TOTAL", st.Guarantor, "", ledger.FormatDate(st.From), ledger.FormatDate(st.To), "", "", "", st.Tax.StringFixed(2), "",
		"", "", st.Paid.StringFixed(2), st.Unpaid.StringFixed(2)}
}

// WriteCSV writes a settlement as CSV: a header, one row per list (with
// its payment, and its tax as paid or unpaid) and a TOTAL row (tax due,
// paid, unpaid). Amounts are decimal strings to the fen.
func (st Settlement) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(settlementHeader); err != nil {
		return err
	}
	for _, l := range st.Lists {
		if err := cw.Write(l.record()); err != nil {
			return err
		}
	}
	if err := cw.Write(st.total()); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a settlement as an Excel workbook with one sheet. Amounts
// are written as text so no spreadsheet float touches them.
func (st Settlement) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Settlement"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	put := func(row int, vals []string) error {
		for i, v := range vals {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(1, settlementHeader); err != nil {
		return err
	}
	for i, l := range st.Lists {
		if err := put(i+2, l.record()); err != nil {
			return err
		}
	}
	if err := put(len(st.Lists)+2, st.total()); err != nil {
		return err
	}
	return f.Write(w)
}
