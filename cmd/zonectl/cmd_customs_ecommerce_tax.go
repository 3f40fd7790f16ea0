package main

import (
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Payment of cross-border e-commerce tax: customs records that a guarantor
// paid the tax of some inventory lists (EcommerceService.RecordTaxPayment).

var ecomPayTaxView = cols[*customsv1.RecordTaxPaymentResponse]("payment_no=payment.payment_no", "amount=payment.amount",
	"paid_on=payment.paid_on", "guarantor=payment.guarantor", "lists=payment.list_nos/;", "recorded_by=payment.recorded_by",
	"recorded_at=payment.recorded_at")

func (a *app) ecomPayTaxCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "pay-tax", method: customsv1.EcommerceService_RecordTaxPayment_FullMethodName,
		short: "Record a guarantor's payment of the tax of inventory lists (customs)",
		more: `--amount is the tax column of 'zonectl customs ecommerce settle'. After a
timeout or an UNAVAILABLE server, run the same command again: the payment is
recorded once.`,
		example: `  zonectl customs ecommerce pay-tax QLEC-0001 QLEC-0002 --payment-no 310520261000012399 \
      --amount 1234.56 --paid-on 2026-12-20`,
		bind: "LIST...=list_nos",
		check: func(req proto.Message, _ []string) error {
			amount := req.(*customsv1.RecordTaxPaymentRequest).GetAmount()
			if d, msg := input.Decimal(amount); msg != "" || !d.IsPositive() || input.Places(d) > 2 {
				return usagef("--amount %q: write an amount > 0 in CNY, to the fen", amount)
			}
			return nil
		}}, ecomPayTaxView)
}
