package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// fakeProcessing is ProcessingService: only ReceiveEntrusted and
// ReturnEntrusted are set.
type fakeProcessing struct {
	customsv1.ProcessingServiceClient
	receive func(*customsv1.ReceiveEntrustedRequest) (*customsv1.ReceiveEntrustedResponse, error)
	ret     func(*customsv1.ReturnEntrustedRequest) (*customsv1.ReturnEntrustedResponse, error)
}

func (f *fakeProcessing) ReceiveEntrusted(_ context.Context, r *customsv1.ReceiveEntrustedRequest, _ ...grpc.CallOption) (*customsv1.ReceiveEntrustedResponse, error) {
	return f.receive(r)
}

func (f *fakeProcessing) ReturnEntrusted(_ context.Context, r *customsv1.ReturnEntrustedRequest, _ ...grpc.CallOption) (*customsv1.ReturnEntrustedResponse, error) {
	return f.ret(r)
}

func runProcessing(t *testing.T, f *fakeProcessing, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := newApp(&stdout, &stderr)
	a.getenv = func(k string) string { return map[string]string{conn.EnvToken: "zl_test_secret"}[k] }
	a.dial = func(conn.Config) (*clients, error) { return &clients{processing: f}, nil }
	code := a.execute(t.Context(), args)
	return code, stdout.String(), stderr.String()
}

// TestEntrustFlags: a receipt names a gate registration and lines, or a
// list and none; a return needs each line's fee; the flags become the
// request.
func TestEntrustFlags(t *testing.T) {
	var rec *customsv1.ReceiveEntrustedRequest
	var ret *customsv1.ReturnEntrustedRequest
	f := &fakeProcessing{
		receive: func(r *customsv1.ReceiveEntrustedRequest) (*customsv1.ReceiveEntrustedResponse, error) {
			rec = r
			// The server takes a list's lines.
			lines := []*customsv1.EntrustedLine{{BookSeq: 1, Quantity: "5"}}
			return &customsv1.ReceiveEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WR1", Kind: "RECEIPT", Lines: lines}}, nil
		},
		ret: func(r *customsv1.ReturnEntrustedRequest) (*customsv1.ReturnEntrustedResponse, error) {
			ret = r
			return &customsv1.ReturnEntrustedResponse{Move: &customsv1.EntrustedMove{MoveNo: "WF1", Kind: "RETURN", Lines: r.GetLines()}}, nil
		},
	}
	for _, bad := range [][]string{
		{"customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1"},
		{"customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1", "--list", "QD1", "--line", "1:2"},
		{"customs", "processing", "entrust", "return", "--entrustment", "WT1", "--inner-no", "F1", "--gate-registration", "HP1", "--line", "4:30"},
	} {
		if code, _, errOut := runProcessing(t, f, bad...); code != 2 {
			t.Errorf("zonectl %s: exit %d (%s), want 2 (usage)", strings.Join(bad, " "), code, errOut)
		}
	}
	if rec != nil || ret != nil {
		t.Fatalf("a usage error reached the server: %v %v", rec, ret)
	}
	if code, out, errOut := runProcessing(t, f, "customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1", "--list", "QD1"); code != 0 ||
		rec.GetVia() != customsv1.EntrustedVia_ENTRUSTED_VIA_LIST || rec.GetReference() != "QD1" || !strings.Contains(out, "WR1") {
		t.Fatalf("receive --list: exit %d, %q %q, request %v", code, out, errOut, rec)
	}
	if code, out, errOut := runProcessing(t, f, "customs", "processing", "entrust", "return", "--entrustment", "WT1", "--inner-no", "F1",
		"--gate-registration", "HP1", "--line", "4:30:600:LOT-1"); code != 0 || len(ret.GetLines()) != 1 || ret.GetLines()[0].GetValue() != "600" ||
		ret.GetLines()[0].GetLot() != "LOT-1" || ret.GetReference() != "HP1" || !strings.Contains(out, "WF1") {
		t.Fatalf("return: exit %d, %q %q, request %v", code, out, errOut, ret)
	}
}
