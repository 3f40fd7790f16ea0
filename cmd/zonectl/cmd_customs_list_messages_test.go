package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestListMessageCommands(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	var gotFormat customsv1.ListMessageFormat
	h.calls[customsv1.DeclarationService_ExportListMessage_FullMethodName] = func(r *customsv1.ExportListMessageRequest) (*customsv1.ExportListMessageResponse, error) {
		gotFormat = r.GetFormat()
		return &customsv1.ExportListMessageResponse{Message: []byte("<Signature/>\n"), FileName: r.GetListNo() + ".INV101.xml"}, nil
	}
	h.calls[customsv1.DeclarationService_FileListMessage_FullMethodName] = func(r *customsv1.FileListMessageRequest) (*customsv1.FileListMessageResponse, error) {
		gotFormat = r.GetFormat()
		if string(r.GetMessage()) != "{}" {
			return nil, refusal(codes.InvalidArgument, "LIST_MESSAGE_INVALID", "head/supvModecd", "head/supvModecd: is required")
		}
		return &customsv1.FileListMessageResponse{List: &customsv1.List{ListNo: "QD310526I000000009", InnerNo: "ERP-1", Status: customsv1.ListStatus_LIST_STATUS_DECLARED}}, nil
	}
	var gotMsgs int
	h.calls[customsv1.DeclarationService_ImportListReceipts_FullMethodName] = func(r *customsv1.ImportListReceiptsRequest) (*customsv1.ImportListReceiptsResponse, error) {
		gotMsgs = len(r.GetMessages())
		return &customsv1.ImportListReceiptsResponse{Outcomes: []*customsv1.ListReceiptOutcome{{MessageId: "M1", Changed: true,
			List: &customsv1.List{ListNo: "QD310526I000000009", CustomsNo: "QD310526I000000777", CustomsStage: "APPROVED", Status: customsv1.ListStatus_LIST_STATUS_APPROVED}}}}, nil
	}
	run := h.run

	if rc := run("customs", "list", "message", "QD310526I000000009"); rc != 0 || h.stdout.String() != "<Signature/>\n" {
		t.Fatalf("message to stdout: rc %d %q %s", rc, h.stdout.String(), h.stderr.String())
	}
	if rc := run("customs", "list", "message", "QD310526I000000009", "--format", "json", "--out", dir); rc != 0 || gotFormat != customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_JSON {
		t.Fatalf("message --out DIR: rc %d %s", rc, h.stderr.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "QD310526I000000009.INV101.xml")); err != nil || string(b) != "<Signature/>\n" {
		t.Fatalf("written file: %v %q", err, b)
	}

	in := filepath.Join(dir, "order.json")
	if err := os.WriteFile(in, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc := run("customs", "list", "file-message", in); rc != 0 || gotFormat != customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_JSON || !strings.Contains(h.stdout.String(), "QD310526I000000009") {
		t.Fatalf("file-message: rc %d %q %s", rc, h.stdout.String(), h.stderr.String())
	}
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, []byte("<x/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rc := run("customs", "list", "file-message", bad); rc == 0 || gotFormat != customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_XML || !strings.Contains(h.stderr.String(), "head/supvModecd") {
		t.Fatalf("a refused message: rc %d %s", rc, h.stderr.String())
	}

	if rc := run("customs", "list", "receipts", in, bad); rc != 0 || gotMsgs != 2 || !strings.Contains(h.stdout.String(), "QD310526I000000777") {
		t.Fatalf("receipts: rc %d %q %s", rc, h.stdout.String(), h.stderr.String())
	}
	if rc := run("customs", "list", "receipts", filepath.Join(dir, "missing.INV")); rc == 0 {
		t.Fatal("a missing file was not refused")
	}
}
