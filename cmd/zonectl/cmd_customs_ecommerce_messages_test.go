package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestEcommerceMessageWritesTheServersBytes: "message" writes the CEB621
// exactly as the server sent it, to stdout or --out.
func TestEcommerceMessageWritesTheServersBytes(t *testing.T) {
	h := newHarness(t)
	xml := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB621Message/>\n"
	h.calls[customsv1.EcommerceService_GetInventoryMessage_FullMethodName] = func(r *customsv1.GetInventoryMessageRequest) (*customsv1.GetInventoryMessageResponse, error) {
		return &customsv1.GetInventoryMessageResponse{Message: []byte(xml), FileName: "CEB621_" + r.GetListNo() + ".xml"}, nil
	}
	h.run("customs", "ecommerce", "message", "QLEC-1")
	h.expect(exitOK)
	if h.stdout.String() != xml {
		t.Fatalf("stdout %q", h.stdout.String())
	}
	out := filepath.Join(t.TempDir(), "l.xml")
	h.run("customs", "ecommerce", "message", "QLEC-1", "--out", out)
	h.expect(exitOK)
	if b, err := os.ReadFile(out); err != nil || string(b) != xml || !strings.Contains(h.stderr.String(), "CEB621_QLEC-1.xml") {
		t.Fatalf("file %q (%v), stderr %q", b, err, h.stderr.String())
	}
}

// TestEcommerceReceiptsSendsEveryFileAndReportsEachReceipt: "receipts"
// sends the files' bytes as they are, prints one row per receipt and exits
// 1 when one was refused.
func TestEcommerceReceiptsSendsEveryFileAndReportsEachReceipt(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.xml"), filepath.Join(dir, "b.xml")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(a, []byte("<CEB622Message>a</CEB622Message>"), 0o600))
	must(os.WriteFile(b, []byte("<CEB622Message>b</CEB622Message>"), 0o600))
	var sent [][]byte
	h.calls[customsv1.EcommerceService_ImportReceipts_FullMethodName] = func(r *customsv1.ImportReceiptsRequest) (*customsv1.ImportReceiptsResponse, error) {
		sent = append(sent, r.GetMessages()...)
		return &customsv1.ImportReceiptsResponse{Results: []*customsv1.ReceiptResult{
			{Message: 0, Receipt: 0, ListNo: "QL1", StatusCode: "100", Applied: true, List: &customsv1.InventoryList{
				Status: customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED, CustomsStatus: customsv1.InventoryListCustomsStatus_INVENTORY_LIST_CUSTOMS_STATUS_RETURNED}},
			{Message: 1, Receipt: 0, ListNo: "QL9", StatusCode: "800", Error: &customsv1.DocumentError{Code: "NOT_FOUND", Reason: "ECOMMERCE_RECEIPT_UNKNOWN_LIST",
				Field: "CEB622Message/InventoryReturn[0]/copNo", Message: "there is no inventory list"}},
		}}, nil
	}
	h.run("-o", "csv", "customs", "ecommerce", "receipts", a, b)
	h.expect(exitRefused)
	if len(sent) != 2 || string(sent[1]) != "<CEB622Message>b</CEB622Message>" {
		t.Fatalf("sent %q", sent)
	}
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	must(err)
	if len(recs) != 3 || recs[1][0] != a || recs[1][6] != "RETURNED" || recs[1][7] != "RETURNED" || recs[2][0] != b ||
		!strings.HasPrefix(recs[2][8], "ECOMMERCE_RECEIPT_UNKNOWN_LIST CEB622Message/InventoryReturn[0]/copNo") {
		t.Fatalf("printed %v", recs)
	}
}

// TestEcommerceReceiptsSurviveAResultForNoFileSent: a result naming a
// message the call did not hold (a faulty server) prints as that message
// of the call; zonectl does not crash.
func TestEcommerceReceiptsSurviveAResultForNoFileSent(t *testing.T) {
	h := newHarness(t)
	a := filepath.Join(t.TempDir(), "a.xml")
	if err := os.WriteFile(a, []byte("<CEB622Message>a</CEB622Message>"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.calls[customsv1.EcommerceService_ImportReceipts_FullMethodName] = &customsv1.ImportReceiptsResponse{Results: []*customsv1.ReceiptResult{
		{Message: 0, ListNo: "QL1", StatusCode: "800", Applied: true}, {Message: 7, ListNo: "QL2", StatusCode: "800"}, {Message: -1, ListNo: "QL3"}}}
	h.run("-o", "csv", "customs", "ecommerce", "receipts", a)
	h.expect(exitOK)
	if out := h.stdout.String(); !strings.Contains(out, a+",0,QL1") || !strings.Contains(out, "message 7 of the call,0,QL2") ||
		!strings.Contains(out, "message -1 of the call,0,QL3") {
		t.Fatalf("printed:\n%s", out)
	}
}

// TestEcomCallsSplitByCountAndBytes: calls of messages (import, receipts)
// hold at most n messages and ecomCallBytes bytes, in order; a message
// larger than that goes alone.
func TestEcomCallsSplitByCountAndBytes(t *testing.T) {
	size := func(n int) int { return n }
	half, big := ecomCallBytes/2, ecomCallBytes+1
	for _, c := range []struct {
		sizes []int
		n     int
		want  [][]int
	}{
		{[]int{1, 2, 3, 4, 5}, 2, [][]int{{1, 2}, {3, 4}, {5}}},
		{[]int{half, half, 1, half}, 10, [][]int{{half, half}, {1, half}}},
		{[]int{1, big, 2}, 10, [][]int{{1}, {big}, {2}}},
		{nil, 10, nil},
	} {
		if got := ecomCalls(c.sizes, size, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ecomCalls(%v, %d) = %v, want %v", c.sizes, c.n, got, c.want)
		}
	}
}
