package main

import (
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestEntrustFlags: a receipt names a gate registration and lines, or a
// list and none; a return needs each line's fee; the flags become the
// request.
func TestEntrustFlags(t *testing.T) {
	var rec *customsv1.ReceiveEntrustedRequest
	var ret *customsv1.ReturnEntrustedRequest
	h := newHarness(t)
	h.calls[customsv1.ProcessingService_ReceiveEntrusted_FullMethodName] = func(r *customsv1.ReceiveEntrustedRequest) (*customsv1.ReceiveEntrustedResponse, error) {
		rec = r
		// The server takes a list's lines.
		lines := []*customsv1.EntrustedLine{{BookSeq: 1, Quantity: "5"}}
		return &customsv1.ReceiveEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WR1", Kind: "RECEIPT", Lines: lines}}, nil
	}
	h.calls[customsv1.ProcessingService_ReturnEntrusted_FullMethodName] = func(r *customsv1.ReturnEntrustedRequest) (*customsv1.ReturnEntrustedResponse, error) {
		ret = r
		return &customsv1.ReturnEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WF1", Kind: "RETURN", Lines: r.GetLines()}}, nil
	}
	expectUsage(t, [][]string{
		{"customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1"},
		{"customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1", "--list", "QD1", "--line", "1:2"},
		{"customs", "processing", "entrust", "return", "--entrustment", "WT1", "--inner-no", "F1", "--gate-registration", "HP1", "--line", "4:30"},
	})
	if code, out, errOut := h.output("customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1", "--list", "QD1"); code != 0 ||
		rec.GetVia() != customsv1.EntrustedVia_ENTRUSTED_VIA_LIST || rec.GetReference() != "QD1" || !strings.Contains(out, "WR1") {
		t.Fatalf("receive --list: exit %d, %q %q, request %v", code, out, errOut, rec)
	}
	if code, out, errOut := h.output("customs", "processing", "entrust", "return", "--entrustment", "WT1", "--inner-no", "F1",
		"--gate-registration", "HP1", "--line", "4:30:600:LOT-1"); code != 0 || len(ret.GetLines()) != 1 || ret.GetLines()[0].GetValue() != "600" ||
		ret.GetLines()[0].GetLot() != "LOT-1" || ret.GetReference() != "HP1" || !strings.Contains(out, "WF1") {
		t.Fatalf("return: exit %d, %q %q, request %v", code, out, errOut, ret)
	}
}
