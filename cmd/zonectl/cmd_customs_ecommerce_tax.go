package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Payment of cross-border e-commerce tax: customs records that a guarantor
// paid the tax of some inventory lists (EcommerceService.RecordTaxPayment).

var ecomPayTaxView = cols[*customsv1.RecordTaxPaymentResponse]("payment_no=payment.payment_no", "amount=payment.amount",
	"paid_on=payment.paid_on", "guarantor=payment.guarantor", "lists=payment.list_nos/;", "recorded_by=payment.recorded_by",
	"recorded_at=payment.recorded_at")

func (a *app) ecomPayTaxCmd() *cobra.Command {
	var paymentNo, amount, paidOn string
	return leaf(&cobra.Command{
		Use:   "pay-tax LIST... --payment-no NO --amount AMOUNT --paid-on DATE",
		Short: "Record a guarantor's payment of the tax of inventory lists (customs)",
		Long: `Record that a guarantor paid customs the cross-border tax of the inventory
lists named (customs only). --amount, in CNY to the fen, must be the lists'
tax due exactly (the tax column of "settle"; after a partial return, the tax
of the goods kept); the lists must be released, not wholly returned, of one
guarantor and not paid before; --paid-on is the day it was paid, neither
before a list's release nor after today. Paid lists show the payment in
"inventory get" and leave the overdue tax of "writeoff attention"
(ECOMMERCE_TAX_OVERDUE).

--payment-no is the payment's number (税款缴款书号) and the idempotency key:
after a timeout or an UNAVAILABLE server, run the same command again; the
payment is recorded once. The same number with another amount, date or
lists is refused (ECOMMERCE_TAX_PAYMENT_REUSED).`,
		Example: `  zonectl customs ecommerce pay-tax QLEC-0001 QLEC-0002 --payment-no 310520261000012399 \
      --amount 1234.56 --paid-on 2026-12-20`,
		Args: minArgs(1, "at least one LIST"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			amount = strings.TrimSpace(amount)
			if d, msg := input.Decimal(amount); msg != "" {
				return usagef("--amount: %s", msg)
			} else if !d.IsPositive() || -d.Exponent() > 2 {
				return usagef("--amount %q: write an amount > 0 in CNY, to the fen", amount)
			}
			if paymentNo == "" {
				return usagef("--payment-no is required: the payment's number (税款缴款书号) makes a retried payment harmless")
			}
			if !isoDate.MatchString(paidOn) {
				return usagef("--paid-on %q: write the day it was paid, YYYY-MM-DD", paidOn)
			}
			seen := map[string]bool{}
			for _, no := range args {
				if seen[no] {
					return usagef("list %s is named twice; name each list once", no)
				}
				seen[no] = true
			}
			return sendShow(a, cmd, ecomPayTaxView, customsv1.EcommerceServiceClient.RecordTaxPayment,
				&customsv1.RecordTaxPaymentRequest{PaymentNo: paymentNo, Amount: amount, PaidOn: paidOn, ListNos: args})
		}),
	}, flagSpec{&paymentNo, "payment-no", "the payment's number (税款缴款书号); required, the idempotency key"},
		flagSpec{&amount, "amount", "the amount paid in CNY, to the fen: the lists' tax due (required)"},
		flagSpec{&paidOn, "paid-on", "the day it was paid, YYYY-MM-DD (required)"})
}
