package main

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The client-side order checks judge only what the protos' rules cannot
// state (places, sums, 身份证 numbers); what the rules state (required
// fields, decimal syntax, 1 to 100 lines) is left to input.Validate, so a
// document's refusal before sending is the rules' own.
func TestEcomChecksLeaveTheRulesToValidate(t *testing.T) {
	ok := &customsv1.SubmitOrderRequest{OrderNo: "EC-1", Enterprise: "E1",
		Buyer: &customsv1.Person{Name: "王小明", IdNumber: "310115199003070017"}, Consignee: &customsv1.Person{Name: "王小明"},
		GoodsValue: "3000.00", Freight: "10.00", TaxTotal: "273.91", ActualPaid: "3283.91",
		Lines: []*customsv1.OrderLine{{ItemNo: "NB", Quantity: "1", Price: "3000.00", Total: "3000.00"}}}
	if f, m := checkEcomOrder(ok); m != "" {
		t.Fatalf("a good order: %s: %s", f, m)
	}
	for _, c := range []struct {
		name string
		edit func(o *customsv1.SubmitOrderRequest)
	}{
		{"no lines", func(o *customsv1.SubmitOrderRequest) { o.Lines = nil }},
		{"no goods value", func(o *customsv1.SubmitOrderRequest) { o.GoodsValue = "" }},
		{"no tax total", func(o *customsv1.SubmitOrderRequest) { o.TaxTotal = "" }},
		{"a malformed freight", func(o *customsv1.SubmitOrderRequest) { o.Freight = "1e1" }},
		{"a malformed quantity", func(o *customsv1.SubmitOrderRequest) { o.Lines[0].Quantity = "1,0" }},
		{"a malformed price", func(o *customsv1.SubmitOrderRequest) { o.Lines[0].Price = "-3000" }},
		{"no line total", func(o *customsv1.SubmitOrderRequest) { o.Lines[0].Total = "" }},
	} {
		o := proto.Clone(ok).(*customsv1.SubmitOrderRequest)
		c.edit(o)
		if f, m := checkEcomOrder(o); m != "" {
			t.Errorf("%s: checkEcomOrder says %s: %s; that is the rules' to say", c.name, f, m)
		}
		doc := &customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Order{Order: o}}
		wf, wm := input.Validate(o)
		if f, m := checkEcomDoc(doc); wm == "" || f != wf || m != wm {
			t.Errorf("%s: checkEcomDoc says %s: %s, want the rules' %s: %s", c.name, f, m, wf, wm)
		}
	}
	pay := &customsv1.SubmitPaymentRequest{OrderNo: "EC-1", Enterprise: "E1", Payer: &customsv1.Person{Name: "王小明", IdNumber: "310115199003070017"}}
	if f, m := checkEcomPayment(pay); m != "" {
		t.Errorf("a payment without an amount: checkEcomPayment says %s: %s; that is the rules' to say", f, m)
	}
}

// TestEcomPaidAtOutOfRangeSaysTheRange: a paid_at Go can parse but a
// protobuf timestamp cannot hold (year 0000, or past 9999) is refused with
// the range a user can write, not protobuf's internal wording.
func TestEcomPaidAtOutOfRangeSaysTheRange(t *testing.T) {
	for _, at := range []time.Time{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		pay := &customsv1.SubmitPaymentRequest{OrderNo: "EC-1", Enterprise: "E1", Amount: "10.00",
			Payer: &customsv1.Person{Name: "王小明", IdNumber: "310115199003070017"}, PaidAt: timestamppb.New(at)}
		f, m := checkEcomPayment(pay)
		if f != "paid_at" || !strings.Contains(m, "0001-01-01") || !strings.Contains(m, "9999-12-31") || strings.Contains(m, "proto:") {
			t.Errorf("paid_at %v: %s: %s", at, f, m)
		}
	}
}
