package ecommerce

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
)

// Stable reasons of tax payment refusals.
const (
	// ReasonTaxPaymentAmount: the amount is not the tax due of exactly the
	// lists paid, to the fen.
	ReasonTaxPaymentAmount = "ECOMMERCE_TAX_PAYMENT_AMOUNT"
	// ReasonTaxAlreadyPaid: a list's tax was paid by another payment.
	ReasonTaxAlreadyPaid = "ECOMMERCE_TAX_ALREADY_PAID"
	// ReasonTaxPaymentReused: the payment number was recorded with other
	// content.
	ReasonTaxPaymentReused = "ECOMMERCE_TAX_PAYMENT_REUSED"
	// ReasonTaxPaymentGuarantors: the lists of one payment have different
	// guarantors.
	ReasonTaxPaymentGuarantors = "ECOMMERCE_TAX_PAYMENT_GUARANTORS"
)

// MaxTaxPaymentLists bounds the lists one payment may name.
const MaxTaxPaymentLists = 10000

// TaxPayment is the payment to customs of the e-commerce tax of some
// released inventory lists, made by their guarantor (担保企业) and
// recorded by customs.
type TaxPayment struct {
	// No is the payment number (e.g. the tax payment form's); it is the
	// idempotency key.
	No string
	// Amount is the amount paid in CNY: the tax due of exactly ListNos, to
	// the fen.
	Amount decimal.Decimal
	// PaidOn is the day it was paid.
	PaidOn time.Time
	// ListNos are the inventory lists it pays, in ascending order.
	ListNos []string
	// Guarantor is the lists' guarantor.
	Guarantor string
	// RecordedBy is the customs principal that recorded it.
	RecordedBy string
	// RecordedAt is when it was recorded.
	RecordedAt time.Time
	InputHash  string
}

// payable reports whether a list's tax is due: released and not (wholly)
// returned.
func payable(st ListStatus) bool {
	return st == ListReleased || st == ListReturnRequested || st == ListPartlyReturned
}

// RecordTaxPayment records that the guarantor paid customs the tax of the
// lists pay.ListNos (customs only). The amount must equal their tax due
// (InventoryList.Tax, the tax of the goods kept after a partial return) to
// the fen, the lists must be released and not wholly returned, share one
// guarantor and be unpaid, and the payment day may be neither before a
// list's release nor after today. Each paid list then carries the payment
// (TaxPaymentNo, TaxPaidOn) and leaves OverdueTax. The same payment number
// with the same content returns the payment as recorded; with other content
// it is refused (ECOMMERCE_TAX_PAYMENT_REUSED). A refusal stores nothing.
//
// A return received after payment changes the list's tax but not the
// payment: the refund of what was overpaid is not recorded here.
func (s *Service) RecordTaxPayment(ctx context.Context, p access.Principal, pay TaxPayment) (TaxPayment, error) {
	if p.Role != access.RoleCustoms || p.Disabled {
		return TaxPayment{}, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "",
			"principal %q (%s) may not record e-commerce tax payments; customs records them", p.ID, p.Role)
	}
	pay.No = strings.TrimSpace(pay.No)
	if pay.No == "" || len(pay.No) > 64 {
		return TaxPayment{}, ledger.BadArgument("payment_no", "is required, at most 64 characters")
	}
	if !pay.Amount.IsPositive() || ledger.Places(pay.Amount) > 2 {
		return TaxPayment{}, ledger.BadArgument("amount", "must be > 0 CNY to the fen")
	}
	if pay.PaidOn.IsZero() {
		return TaxPayment{}, ledger.BadArgument("paid_on", "give the day the tax was paid")
	}
	pay.PaidOn = ledger.Day(pay.PaidOn)
	if pay.PaidOn.After(s.today()) {
		return TaxPayment{}, ledger.BadArgument("paid_on", "is %s, after today (%s); record a payment once it is made", ledger.FormatDate(pay.PaidOn), ledger.FormatDate(s.today()))
	}
	if len(pay.ListNos) == 0 || len(pay.ListNos) > MaxTaxPaymentLists {
		return TaxPayment{}, ledger.BadArgument("list_nos", "name the 1 to %d inventory lists the payment pays", MaxTaxPaymentLists)
	}
	at := map[string]int{} // list number → its index in the request, for the field at fault
	for i, no := range pay.ListNos {
		no = strings.TrimSpace(no)
		if no == "" {
			return TaxPayment{}, ledger.BadArgument(fmt.Sprintf("list_nos[%d]", i), "is empty; name an inventory list")
		}
		if j, dup := at[no]; dup {
			return TaxPayment{}, ledger.BadArgument(fmt.Sprintf("list_nos[%d]", i), "repeats list_nos[%d] (%s); name each list once", j, no)
		}
		at[no] = i
	}
	pay.ListNos = make([]string, 0, len(at))
	for no := range at {
		pay.ListNos = append(pay.ListNos, no)
	}
	sort.Strings(pay.ListNos)
	pay.Guarantor, pay.RecordedBy, pay.RecordedAt, pay.InputHash = "", "", time.Time{}, ""
	pay.InputHash = hashOf(struct {
		No, Amount, PaidOn string
		ListNos            []string
	}{pay.No, pay.Amount.StringFixed(2), ledger.FormatDate(pay.PaidOn), pay.ListNos})
	var out TaxPayment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		pay.Guarantor = "" // a retried transaction starts afresh
		var hash, body string
		err := tx.QueryRow(ctx, `SELECT input_hash, body FROM ecom_tax_payments WHERE no = $1`, pay.No).Scan(&hash, &body)
		switch {
		case err == nil:
			if hash != pay.InputHash {
				return ledger.Conflict(ReasonTaxPaymentReused, "payment_no",
					"payment %s was recorded with another amount, date or lists; give a new payment number, or the same content to retry", pay.No)
			}
			return jsonUnmarshal(body, &out)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		due := decimal.Zero
		lists := make([]InventoryList, 0, len(pay.ListNos))
		for _, no := range pay.ListNos { // ascending: concurrent payments lock in one order
			f := fmt.Sprintf("list_nos[%d]", at[no])
			l, err := loadList(ctx, tx, no, true)
			var le *ledger.Error
			if errors.As(err, &le) && le.Reason == ReasonUnknownList {
				return ledger.NotFound(ReasonUnknownList, f, "there is no inventory list %q", no)
			}
			if err != nil {
				return err
			}
			switch {
			case l.TaxPaymentNo != "":
				return ledger.Precondition(ReasonTaxAlreadyPaid, f, "list %s was paid by payment %s on %s; leave it out", no, l.TaxPaymentNo, ledger.FormatDate(l.TaxPaidOn))
			case !payable(l.Status):
				return ledger.Precondition(ReasonWrongStatus, f, "list %s is %s; only released lists not wholly returned have tax to pay", no, l.Status)
			case pay.PaidOn.Before(l.ReleasedOn):
				return ledger.BadArgument("paid_on", "is %s, before list %s was released (%s)", ledger.FormatDate(pay.PaidOn), no, ledger.FormatDate(l.ReleasedOn))
			case pay.Guarantor == "":
				pay.Guarantor = l.Guarantor
			case l.Guarantor != pay.Guarantor:
				return ledger.Invalid(ReasonTaxPaymentGuarantors, f,
					"list %s is guaranteed by %s, the others by %s; record one payment per guarantor", no, l.Guarantor, pay.Guarantor)
			}
			due = due.Add(l.Tax)
			lists = append(lists, l)
		}
		if !due.Equal(pay.Amount) {
			return ledger.Invalid(ReasonTaxPaymentAmount, "amount",
				"is %s; the tax due of the %d lists named is %s (GetSettlement shows each list's tax)", pay.Amount.StringFixed(2), len(lists), due.StringFixed(2))
		}
		pay.RecordedBy, pay.RecordedAt = p.ID, s.clock()
		if _, err := tx.Exec(ctx, `INSERT INTO ecom_tax_payments (no, guarantor, input_hash, body) VALUES ($1, $2, $3, $4)`,
			pay.No, pay.Guarantor, pay.InputHash, mustJSON(pay)); err != nil {
			return err
		}
		for _, l := range lists {
			l.TaxPaymentNo, l.TaxPaidOn = pay.No, pay.PaidOn
			if err := saveListPaid(ctx, tx, l); err != nil {
				return err
			}
		}
		out = pay
		return nil
	})
	return out, err
}
