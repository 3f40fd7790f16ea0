package main

import (
	"slices"
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The bind forms and the check of rpcSpec that the e-commerce commands use:
// ARG... on a singular field (one call per value, every value checked
// before the first is sent), ARG... on a repeated field (one call with
// them all), flag=path(a=b) and check; and checkFlags naming the flag or
// argument at fault.

// TestRPCArgEachIsOneCallPerValueAllCheckedFirst: `order get A B` asks for
// A then B; a value the protos refuse anywhere in the list is a usage
// error naming the argument, and nothing is sent.
func TestRPCArgEachIsOneCallPerValueAllCheckedFirst(t *testing.T) {
	h := newHarness(t)
	var asked []string
	h.calls[customsv1.EcommerceService_GetOrder_FullMethodName] = func(r *customsv1.GetOrderRequest) (*customsv1.GetOrderResponse, error) {
		asked = append(asked, r.GetOrderNo())
		return &customsv1.GetOrderResponse{Order: &customsv1.Order{OrderNo: r.GetOrderNo()}}, nil
	}
	h.run("-o", "csv", "customs", "ecommerce", "order", "get", "EC-1", "EC-2")
	h.expect(exitOK)
	if !slices.Equal(asked, []string{"EC-1", "EC-2"}) || strings.Count(h.stdout.String(), "\nEC-") != 2 {
		t.Errorf("order get EC-1 EC-2 asked for %v and printed\n%s", asked, h.stdout.String())
	}

	h.nodial = true
	h.run("customs", "ecommerce", "order", "get", "EC-1", strings.Repeat("9", 61))
	h.expect(exitUsage)
	if e := h.stderr.String(); !strings.Contains(e, "ORDER: ") || strings.Contains(e, "--ORDER") {
		t.Errorf("an order number too long: stderr %q, want it to name ORDER", e)
	}
	h.run("customs", "ecommerce", "order", "cancel")
	h.expect(exitUsage)
	if e := h.stderr.String(); !strings.Contains(e, "expected ORDER...") {
		t.Errorf("order cancel without an order: stderr %q", e)
	}
}

// TestRPCArgAllFillsARepeatedField: `pay-tax A B` sends one call with both
// lists; a list named twice (the protos' unique rule) and an amount the
// protos allow but check refuses are usage errors, and nothing is sent.
func TestRPCArgAllFillsARepeatedField(t *testing.T) {
	h := newHarness(t)
	var sent []*customsv1.RecordTaxPaymentRequest
	h.calls[customsv1.EcommerceService_RecordTaxPayment_FullMethodName] = func(r *customsv1.RecordTaxPaymentRequest) (*customsv1.RecordTaxPaymentResponse, error) {
		sent = append(sent, r)
		return &customsv1.RecordTaxPaymentResponse{Payment: &customsv1.TaxPayment{PaymentNo: r.GetPaymentNo(), Amount: r.GetAmount(),
			PaidOn: r.GetPaidOn(), ListNos: r.GetListNos(), Guarantor: "G1", RecordedBy: "customs"}}, nil
	}
	pay := []string{"-o", "csv", "customs", "ecommerce", "pay-tax", "--payment-no", "P-1", "--paid-on", "2026-12-20"}
	h.run(append(pay, "QLEC-1", "QLEC-2", "--amount", "12.50")...)
	h.expect(exitOK)
	if len(sent) != 1 || !slices.Equal(sent[0].GetListNos(), []string{"QLEC-1", "QLEC-2"}) || sent[0].GetAmount() != "12.50" ||
		h.stdout.String() != "payment_no,amount,paid_on,guarantor,lists,recorded_by,recorded_at\nP-1,12.50,2026-12-20,G1,QLEC-1;QLEC-2,customs,\n" {
		t.Errorf("pay-tax sent %v, printed %q", sent, h.stdout.String())
	}

	h.nodial = true
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"QLEC-1", "QLEC-1", "--amount", "12.50"}, "LIST: "},
		{[]string{"QLEC-1", "--amount", "0"}, `--amount "0"`},
		{[]string{"QLEC-1", "--amount", "1.234"}, `--amount "1.234"`},
		{[]string{"QLEC-1", "--amount", "-1"}, "--amount: "},
	} {
		h.run(append(pay, c.args...)...)
		h.expect(exitUsage)
		if e := h.stderr.String(); !strings.Contains(e, c.want) || strings.Contains(e, "----") || strings.Contains(e, "--LIST") {
			t.Errorf("pay-tax %v: stderr %q, want %q", c.args, e, c.want)
		}
	}
}

// TestRPCFlagPartsWithEquals: --line SEQ=QUANTITY fills a repeated message
// field; a part the protos refuse names --line and the element's field.
func TestRPCFlagPartsWithEquals(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	h.run("customs", "ecommerce", "return", "request", "--help")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "--line SEQ=QUANTITY") {
		t.Errorf("return request --help:\n%s", h.stdout.String())
	}
	for _, c := range []struct{ line, want string }{
		{"1", "--line: lines[0].quantity: "},
		{"0=1", "--line: lines[0].seq: "},
	} {
		h.run("customs", "ecommerce", "return", "request", "QLEC-1", "--line", c.line)
		h.expect(exitUsage)
		if e := h.stderr.String(); !strings.Contains(e, c.want) {
			t.Errorf("--line %s: stderr %q, want %q", c.line, e, c.want)
		}
	}
}

// TestRPCRequiredFlagsAndFlagNames: the protos' required fields are
// required flags, and a refused flag value is named once with its dashes.
func TestRPCRequiredFlagsAndFlagNames(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	h.run("customs", "ecommerce", "channel", "register", "--enterprise", "E1", "--book", "H1", "--guarantor", "G1")
	h.expect(exitUsage)
	if e := h.stderr.String(); !strings.Contains(e, `required flag(s) "platform" not set`) {
		t.Errorf("channel register without --platform: stderr %q", e)
	}
	h.run("customs", "ecommerce", "pay-tax", "QLEC-1", "--payment-no", "P-1", "--amount", "1", "--paid-on", "2026-1-20")
	h.expect(exitUsage)
	if e := h.stderr.String(); !strings.Contains(e, "error: --paid-on: ") {
		t.Errorf("pay-tax --paid-on 2026-1-20: stderr %q", e)
	}
}
