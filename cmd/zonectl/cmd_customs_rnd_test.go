package main

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestRndUseFileSendsTheUse: the flags become the request — materials with
// their lot, outputs with their kind and value — and the answer one row per
// material and output.
func TestRndUseFileSendsTheUse(t *testing.T) {
	var got *customsv1.FileRndUseRequest
	h := newHarness(t)
	h.calls[customsv1.RndService_FileRndUse_FullMethodName] = func(r *customsv1.FileRndUseRequest) (*customsv1.FileRndUseResponse, error) {
		got = r
		u := &customsv1.RndUse{UseNo: "YF1", InnerNo: r.GetInnerNo(), BookNo: r.GetBookNo(), Project: r.GetProject(), Date: "2026-12-01", Materials: r.GetMaterials()}
		for i, o := range r.GetOutputs() {
			o.Lot = "YF1-" + string(rune('1'+i))
			u.Outputs = append(u.Outputs, o)
		}
		return &customsv1.FileRndUseResponse{Use: u}, nil
	}
	code, out, errOut := h.output("customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U-1", "--project", "P1",
		"--material", "1:2.125:LOT-A", "--material", "2:0.3", "--made", "4:1:Prototype:1200.50", "--made", "5:0.00125:scrap", "-o", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got.GetProject() != "P1" || len(got.GetMaterials()) != 2 || got.GetMaterials()[0].GetLot() != "LOT-A" || got.GetMaterials()[0].GetQuantity() != "2.125" ||
		len(got.GetOutputs()) != 2 || got.GetOutputs()[0].GetKind() != customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE || got.GetOutputs()[0].GetValue() != "1200.50" ||
		got.GetOutputs()[1].GetKind() != customsv1.RndOutputKind_RND_OUTPUT_KIND_SCRAP {
		t.Fatalf("request %v", got)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 5 || !strings.Contains(lines[3], ",made,4,PROTOTYPE,1,YF1-1") {
		t.Fatalf("output:\n%s", out)
	}
	h.calls[customsv1.RndService_FileRndUse_FullMethodName] = func(*customsv1.FileRndUseRequest) (*customsv1.FileRndUseResponse, error) {
		return nil, refusal(codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "materials[0].quantity", "not enough")
	}
	code, _, errOut = h.output("customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U-2", "--project", "P1", "--material", "1:99")
	if code == exitOK || !strings.Contains(errOut, "materials[0].quantity") {
		t.Fatalf("refusal: exit %d, %s", code, errOut)
	}
}

// TestRndUsageErrorsExit2WithoutDialing: malformed flags never reach the
// server.
func TestRndUsageErrorsExit2WithoutDialing(t *testing.T) {
	expectUsage(t, [][]string{
		{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P"}, // no --material
		{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1"},
		{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1", "--made", "4:1:finished"},
		{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1", "--date", "today"},
		{"customs", "rnd", "project", "file", "P1", "--book", "H3"}, // no --name
		{"customs", "rnd", "project", "file", "P1", "--book", "H3", "--name", "n", "--end", "soon"},
		{"customs", "rnd", "project", "get", "P1"}, // no --book
	})
}

// TestRndProjectGetShowsTotals: a project's totals, one row per line
// consumed and per line and kind made.
func TestRndProjectGetShowsTotals(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.RndService_GetRndProject_FullMethodName] = func(r *customsv1.GetRndProjectRequest) (*customsv1.GetRndProjectResponse, error) {
		return &customsv1.GetRndProjectResponse{Project: &customsv1.RndProject{BookNo: r.GetBookNo(), Code: r.GetCode(), Name: "cell", Status: customsv1.RndProjectStatus_RND_PROJECT_STATUS_OPEN},
			Uses: 2, Consumed: []*customsv1.RndLineTotal{{BookSeq: 1, Quantity: "3"}},
			Made: []*customsv1.RndLineTotal{{BookSeq: 4, Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_SAMPLE, Quantity: "2"}}}, nil
	}
	code, out, errOut := h.output("customs", "rnd", "project", "get", "P1", "--book", "H3", "-o", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "H3,P1,cell,OPEN,,,consumed,1,,3\nH3,P1,cell,OPEN,,,made,4,SAMPLE,2"
	if !strings.Contains(out, want) {
		t.Fatalf("output:\n%s\nwant rows:\n%s", out, want)
	}
}
