package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// backSpec exercises the bind forms the repair, out-of-zone and display
// commands use: a fixed field (kind:=back), a flag required though the
// protos are not (out-no!), a field of each element the flag adds
// (+lines.value=0.00), a bool part written as its name (scrap), a default
// (date?...) and a check.
var backSpec = rpcSpec{use: "back", method: customsv1.OutZoneService_MoveOutZone_FullMethodName, short: "Bring goods back",
	bind: "kind:=back form=apply_no inner-no=inner_no out-no=out_no! made=products(book_seq:quantity:scrap) " +
		"sent=lines(book_seq:quantity)+lines.value=0.00 date=date?2026-12-01 -due_back -counterparty -contract -consumed",
	check: func(req proto.Message, _ []string) error {
		if req.(*customsv1.MoveOutZoneRequest).GetInnerNo() == "REFUSED" {
			return usagef("--inner-no: refused by the check")
		}
		return nil
	}}

var outzoneTestView = cols[*customsv1.OutZoneMove]("move_no", "kind", "len:lines", "len:products")

// TestRPCBindFormsSetTheRequest: the fixed field, the fixed part, the bool
// part written as its name and the default reach the request; a flag
// given replaces the default.
func TestRPCBindFormsSetTheRequest(t *testing.T) {
	for _, c := range []struct {
		date []string
		want string
	}{{nil, "2026-12-01"}, {[]string{"--date", "2026-11-30"}, "2026-11-30"}} {
		h := newHarness(t)
		var got *customsv1.MoveOutZoneRequest
		h.calls[customsv1.OutZoneService_MoveOutZone_FullMethodName] = func(r *customsv1.MoveOutZoneRequest) (*customsv1.MoveOutZoneResponse, error) {
			got = r
			return &customsv1.MoveOutZoneResponse{Move: &customsv1.OutZoneMove{MoveNo: "WF1", Kind: r.GetKind(), Lines: r.GetLines(), Products: r.GetProducts()}}, nil
		}
		args := append([]string{"back", "--form", "F", "--inner-no", "B-1", "--out-no", "WF0", "--made", "1:2:scrap", "--made", "3:4",
			"--sent", "2:5", "-o", "csv"}, c.date...)
		runSpec(h, backSpec, outzoneTestView, args...)
		h.expect(exitOK)
		want := &customsv1.MoveOutZoneRequest{InnerNo: "B-1", ApplyNo: "F", Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, Date: c.want, OutNo: "WF0",
			Lines:    []*customsv1.OutZoneLine{{BookSeq: 2, Quantity: "5", Value: "0.00"}},
			Products: []*customsv1.OutZoneLine{{BookSeq: 1, Quantity: "2", Scrap: true}, {BookSeq: 3, Quantity: "4"}}}
		if !proto.Equal(got, want) {
			t.Fatalf("request\n%v\nwant\n%v", got, want)
		}
		if out := h.stdout.String(); out != "move_no,kind,lines,products\nWF1,BACK,1,2\n" {
			t.Fatalf("output:\n%s", out)
		}
	}
}

// TestRPCBindFormsRefuseBeforeSending: a flag marked required, a bool part
// that is not its name and what the check refuses are usage errors, and
// nothing is sent; the help says which flag is required and the default.
func TestRPCBindFormsRefuseBeforeSending(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"back", "--form", "F", "--inner-no", "B-1", "--sent", "2:5"}, `"out-no"`},
		{[]string{"back", "--form", "F", "--inner-no", "B-1", "--out-no", "WF0", "--made", "1:2:waste"}, "scrap: write scrap or leave it out"},
		{[]string{"back", "--form", "F", "--inner-no", "REFUSED", "--out-no", "WF0", "--sent", "2:5"}, "refused by the check"},
		{[]string{"back", "--form", "F", "--inner-no", "B-1", "--out-no", "WF0", "--sent", "2:5", "--made", "3:x"}, "--made: products[0].quantity: \"x\""},
	} {
		h := newHarness(t)
		h.nodial = true
		if code := runSpec(h, backSpec, outzoneTestView, c.args...); code != exitUsage || !strings.Contains(h.stderr.String(), c.says) {
			t.Errorf("zonectl %s: exit %d, want 2 with %q; stderr: %s", strings.Join(c.args, " "), code, c.says, h.stderr.String())
		}
	}
	h := newHarness(t)
	h.nodial = true
	runSpec(h, backSpec, outzoneTestView, "back", "--help")
	h.expect(exitOK)
	help := h.stdout.String()
	for _, want := range []string{"back --inner-no INNER_NO --form FORM --out-no OUT_NO [flags]", "2026-12-01", "--made BOOK_SEQ:QUANTITY:SCRAP",
		"--sent BOOK_SEQ:QUANTITY "} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "--kind") || strings.Contains(help, "VALUE") {
		t.Errorf("help shows a fixed field:\n%s", help)
	}
}
