package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// fakeEcomMessages answers GetInventoryMessage and ImportReceipts; any
// other call panics.
type fakeEcomMessages struct {
	customsv1.EcommerceServiceClient
	message  func(*customsv1.GetInventoryMessageRequest) (*customsv1.GetInventoryMessageResponse, error)
	receipts func(*customsv1.ImportReceiptsRequest) (*customsv1.ImportReceiptsResponse, error)
}

func (f *fakeEcomMessages) GetInventoryMessage(_ context.Context, r *customsv1.GetInventoryMessageRequest, _ ...grpc.CallOption) (*customsv1.GetInventoryMessageResponse, error) {
	return f.message(r)
}

func (f *fakeEcomMessages) ImportReceipts(_ context.Context, r *customsv1.ImportReceiptsRequest, _ ...grpc.CallOption) (*customsv1.ImportReceiptsResponse, error) {
	return f.receipts(r)
}

func runEcomMessages(h *harness, f customsv1.EcommerceServiceClient, args ...string) {
	h.t.Helper()
	h.stdout.Reset()
	h.stderr.Reset()
	a := newApp(&h.stdout, &h.stderr)
	a.getenv = func(k string) string { return h.env[k] }
	a.dial = func(conn.Config) (*clients, error) {
		return &clients{ledger: h.ledger, admin: h.admin, ecommerce: f}, nil
	}
	h.lastRun = a.execute(h.t.Context(), args)
}

// TestEcommerceMessageWritesTheServersBytes: "message" writes the CEB621
// exactly as the server sent it, to stdout or --out.
func TestEcommerceMessageWritesTheServersBytes(t *testing.T) {
	h := newHarness(t)
	xml := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB621Message/>\n"
	f := &fakeEcomMessages{message: func(r *customsv1.GetInventoryMessageRequest) (*customsv1.GetInventoryMessageResponse, error) {
		return &customsv1.GetInventoryMessageResponse{Message: []byte(xml), FileName: "CEB621_" + r.GetListNo() + ".xml"}, nil
	}}
	runEcomMessages(h, f, "customs", "ecommerce", "message", "QLEC-1")
	h.expect(exitOK)
	if h.stdout.String() != xml {
		t.Fatalf("stdout %q", h.stdout.String())
	}
	out := filepath.Join(t.TempDir(), "l.xml")
	runEcomMessages(h, f, "customs", "ecommerce", "message", "QLEC-1", "--out", out)
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
	f := &fakeEcomMessages{receipts: func(r *customsv1.ImportReceiptsRequest) (*customsv1.ImportReceiptsResponse, error) {
		sent = append(sent, r.GetMessages()...)
		return &customsv1.ImportReceiptsResponse{Results: []*customsv1.ReceiptResult{
			{Message: 0, Receipt: 0, ListNo: "QL1", StatusCode: "100", Applied: true, List: &customsv1.InventoryList{
				Status: customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED, CustomsStatus: customsv1.InventoryListCustomsStatus_INVENTORY_LIST_CUSTOMS_STATUS_RETURNED}},
			{Message: 1, Receipt: 0, ListNo: "QL9", StatusCode: "800", Error: &customsv1.DocumentError{Code: "NOT_FOUND", Reason: "ECOMMERCE_RECEIPT_UNKNOWN_LIST",
				Field: "CEB622Message/InventoryReturn[0]/copNo", Message: "there is no inventory list"}},
		}}, nil
	}}
	runEcomMessages(h, f, "-o", "csv", "customs", "ecommerce", "receipts", a, b)
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
