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

// TestRepairStepsSendTheirFlags: the repair steps send what their flags
// say: --old and --scrap add to one list (scrap set on --scrap's, old
// parts first whatever the order of the flags, as always), finish
// sends 0 for a quantity not given, exit takes section and way with -
// for _, and each prints the order.
func TestRepairStepsSendTheirFlags(t *testing.T) {
	step := func(key string) *customsv1.RepairStepHeader {
		return &customsv1.RepairStepHeader{OrderNo: "WX1", Key: key}
	}
	order := &customsv1.RepairOrder{OrderNo: "WX1", Status: "OPEN"}
	for _, c := range []struct {
		args   []string
		method string
		want   proto.Message
	}{
		{[]string{"remove", "WX1", "--key", "x1", "--scrap", "5:0.25", "--old", "4:1:1200.00"}, customsv1.RepairService_RemoveRepairParts_FullMethodName,
			&customsv1.RemoveRepairPartsRequest{Step: step("x1"), Removed: []*customsv1.RepairRemoved{{BookSeq: 4, Quantity: "1", Value: "1200.00"}, {BookSeq: 5, Quantity: "0.25", Scrap: true}}}},
		{[]string{"finish", "WX1", "--key", "f1", "--repaired", "1"}, customsv1.RepairService_FinishRepair_FullMethodName,
			&customsv1.FinishRepairRequest{Step: step("f1"), Repaired: "1", Unrepairable: "0"}},
		{[]string{"exit", "WX1", "--key", "e1", "--section", "old-parts", "--line", "4", "--quantity", "1", "--way", "re-export", "--reference", "QD9", "--trade-mode", "0864"},
			customsv1.RepairService_ExitRepairGoods_FullMethodName,
			&customsv1.ExitRepairGoodsRequest{Step: step("e1"), Section: customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, BookSeq: 4, Quantity: "1",
				Way: customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, TradeMode: "0864", Reference: "QD9"}},
		{[]string{"consume", "WX1", "--key", "c1", "--part", "3:2:abroad", "--part", "3:1:domestic", "--date", "2026-12-01"},
			customsv1.RepairService_ConsumeRepairParts_FullMethodName,
			&customsv1.ConsumeRepairPartsRequest{Step: &customsv1.RepairStepHeader{OrderNo: "WX1", Key: "c1", Date: "2026-12-01"}, Uses: []*customsv1.RepairPartUse{
				{BookSeq: 3, Quantity: "2", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD}, {BookSeq: 3, Quantity: "1", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_DOMESTIC}}}},
		{[]string{"test", "WX1", "--key", "t1", "--findings", "blade 3 cracked"}, customsv1.RepairService_RecordRepairTest_FullMethodName,
			&customsv1.RecordRepairTestRequest{Step: step("t1"), Findings: "blade 3 cracked"}},
	} {
		h := newHarness(t)
		var got proto.Message
		h.calls[c.method] = answerWith(c.method, &got, order)
		h.run(append([]string{"customs", "repair"}, append(c.args, "-o", "csv")...)...)
		h.expect(exitOK)
		if !proto.Equal(got, c.want) {
			t.Errorf("%s: request\n%v\nwant\n%v", c.args[0], got, c.want)
		}
		if out := h.stdout.String(); out != "order_no,inner_no,book_no,list_no,line,quantity,origin,remanufacture,date,due,status,section,held_line,held\n"+
			"WX1,,,,0,,,false,,,OPEN,,,\n" {
			t.Errorf("%s: output:\n%s", c.args[0], out)
		}
	}
}

// answerWith is a fake handler of a repair step's method that records the
// request in got and answers order.
func answerWith(method string, got *proto.Message, order *customsv1.RepairOrder) any {
	switch method {
	case customsv1.RepairService_RemoveRepairParts_FullMethodName:
		return func(r *customsv1.RemoveRepairPartsRequest) (*customsv1.RemoveRepairPartsResponse, error) {
			*got = r
			return &customsv1.RemoveRepairPartsResponse{Order: order}, nil
		}
	case customsv1.RepairService_FinishRepair_FullMethodName:
		return func(r *customsv1.FinishRepairRequest) (*customsv1.FinishRepairResponse, error) {
			*got = r
			return &customsv1.FinishRepairResponse{Order: order}, nil
		}
	case customsv1.RepairService_ExitRepairGoods_FullMethodName:
		return func(r *customsv1.ExitRepairGoodsRequest) (*customsv1.ExitRepairGoodsResponse, error) {
			*got = r
			return &customsv1.ExitRepairGoodsResponse{Order: order}, nil
		}
	case customsv1.RepairService_ConsumeRepairParts_FullMethodName:
		return func(r *customsv1.ConsumeRepairPartsRequest) (*customsv1.ConsumeRepairPartsResponse, error) {
			*got = r
			return &customsv1.ConsumeRepairPartsResponse{Order: order}, nil
		}
	}
	return func(r *customsv1.RecordRepairTestRequest) (*customsv1.RecordRepairTestResponse, error) {
		*got = r
		return &customsv1.RecordRepairTestResponse{Order: order}, nil
	}
}

// TestRepairStepsRefuseBeforeSending: what the old hand-written flags
// refused is still a usage error, found without dialing: no --old nor
// --scrap, no --section, a part without its origin or of the group's
// origin, a section that does not exist, a bad quantity; get with both
// --trail and --bindings (which used to ask the server first).
func TestRepairStepsRefuseBeforeSending(t *testing.T) {
	r := func(args ...string) []string { return append([]string{"customs", "repair"}, args...) }
	expectUsage(t, [][]string{
		r("remove", "WX1", "--key", "x1"),
		r("exit", "WX1", "--key", "e1", "--line", "4", "--quantity", "1", "--way", "re-export", "--reference", "QD9"),
		r("exit", "WX1", "--key", "e1", "--section", "old-partz", "--line", "4", "--quantity", "1", "--way", "re-export", "--reference", "QD9"),
		r("consume", "WX1", "--key", "c1", "--part", "3:2"),
		r("consume", "WX1", "--key", "c1", "--part", "3:2:group"),
		r("consume", "WX1", "--part", "3:2:abroad"),
		r("finish", "WX1", "--key", "f1", "--repaired", "one"),
		r("parts", "--inner", "LJ-1", "--book", "H3", "--list", "QD1", "--line", "0", "--quantity", "1"),
		r("stock"),
		r("get", "WX1", "--trail", "--bindings"),
		{"customs", "outzone", "convert", "--form", "F", "--inner-no", "C-1", "--out-no", "WF0", "--line", "1:2"},
		{"customs", "outzone", "out", "--form", "F", "--inner-no", "O-1", "--due-back", "2026-12-31", "--counterparty", "C", "--line", "1:0"},
		{"customs", "outzone", "back", "--form", "F", "--inner-no", "B-1", "--out-no", "WF0"},
		{"customs", "display", "pay", "F", "1.234", "--payment-no", "P1"},
		{"customs", "display", "overdue", "--as-of", "2026-1-1"},
	})
}

// TestRepairGetPrintsItsThreeViews: get prints the order's holdings, its
// trail with --trail and its bindings with --bindings.
func TestRepairGetPrintsItsThreeViews(t *testing.T) {
	order := &customsv1.RepairOrder{OrderNo: "WX1", InnerNo: "I1", ListNo: "QD1", Date: "2026-12-01", JournalIds: []int64{7}, FiledBy: "E1",
		Held:     []*customsv1.RepairOrderHolding{{Section: customsv1.RepairSection_REPAIR_SECTION_AWAITING, BookSeq: 1, Quantity: "1"}},
		Steps:    []*customsv1.RepairStep{{Key: "t1", Kind: "TEST", Date: "2026-12-02", FiledBy: "E1", Detail: "{}"}},
		Bindings: []*customsv1.RepairBinding{{Document: "LIST", DocumentNo: "QD9", Line: 1, Section: customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, BookSeq: 2, Quantity: "1", Step: "e0", Released: "RETURNED"}}}
	for _, c := range []struct {
		flag, want string
	}{
		{"", "WX1,I1,,QD1,0,,,false,2026-12-01,,,AWAITING,1,1\n"},
		{"--trail", "order_no,key,kind,date,journal_id,filed_by,detail\nWX1,I1,OPEN,2026-12-01,7,E1,QD1\nWX1,t1,TEST,2026-12-02,0,E1,{}\n"},
		{"--bindings", "order_no,document,document_no,line,section,book_seq,quantity,step,released\nWX1,LIST,QD9,1,OLD_PARTS,2,1,e0,RETURNED\n"},
	} {
		h := newHarness(t)
		h.calls[customsv1.RepairService_GetRepairOrder_FullMethodName] = &customsv1.GetRepairOrderResponse{Order: order}
		args := []string{"customs", "repair", "get", "WX1", "-o", "csv"}
		if c.flag != "" {
			args = append(args, c.flag)
		}
		h.run(args...)
		h.expect(exitOK)
		if out := h.stdout.String(); !strings.HasSuffix(out, c.want) {
			t.Errorf("get %s printed:\n%s\nwant it to end with\n%s", c.flag, out, c.want)
		}
	}
}

// TestDisplayMoveFlagsAreTheRequest: display out|sale|back send the
// movement their flags give, and refuse before sending what the protos'
// rules or the display checks refuse.
func TestDisplayMoveFlagsAreTheRequest(t *testing.T) {
	h := newHarness(t)
	var got *customsv1.MoveDisplayRequest
	h.calls[customsv1.DisplayService_MoveDisplay_FullMethodName] = func(r *customsv1.MoveDisplayRequest) (*customsv1.MoveDisplayResponse, error) {
		got = r
		return &customsv1.MoveDisplayResponse{Move: &customsv1.DisplayMove{MoveNo: "ZS1", Kind: r.GetKind(), Lines: r.GetLines(), Tax: "520.00"}}, nil
	}
	h.run("customs", "display", "sale", "--form", "SQC1", "--inner-no", "DS-1", "--line", "1:1:4000.00", "--line", "2:0.5:10", "--date", "2026-12-01", "-q")
	h.expect(exitOK)
	want := &customsv1.MoveDisplayRequest{InnerNo: "DS-1", ApplyNo: "SQC1", Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE, Date: "2026-12-01",
		Lines: []*customsv1.DisplayLine{{BookSeq: 1, Quantity: "1", Value: "4000.00"}, {BookSeq: 2, Quantity: "0.5", Value: "10"}}}
	if !proto.Equal(got, want) || h.stdout.String() != "ZS1\n" {
		t.Fatalf("request\n%v\nwant\n%v\noutput %q", got, want, h.stdout.String())
	}
	d := func(args ...string) []string { return append([]string{"customs", "display"}, args...) }
	expectUsage(t, [][]string{
		d("sale", "--form", "SQC1", "--inner-no", "DS-1", "--line", "1:1"),
		d("out", "--form", "SQC1", "--inner-no", "DO-1", "--line", "1:0"),
		d("out", "--form", "SQC1", "--inner-no", "DO-1", "--line", "0:1"),
		d("out", "--form", "SQC1", "--inner-no", "DO-1", "--line", "1:1:1.005"),
		d("out", "--form", "SQC1", "--line", "1:1"),
		d("out", "--form", "SQC1", "--inner-no", "DO-1"),
		d("back", "--file", "back.csv", "--line", "1:1"),
	})
}

// TestRepairRectificationPrintsWhatWasSet: --on and --off send the
// enterprise's rectification, the row says what was set (the answer is
// empty), and one of them, not both, is required.
func TestRepairRectificationPrintsWhatWasSet(t *testing.T) {
	for _, c := range []struct {
		args []string
		want *customsv1.SetRectificationRequest
		out  string
	}{
		{[]string{"91310000MA1K000019", "--on", "--note", "premises not separated"},
			&customsv1.SetRectificationRequest{Enterprise: "91310000MA1K000019", UnderRectification: true, Note: "premises not separated"}, "91310000MA1K000019,true"},
		{[]string{"91310000MA1K000019", "--off"}, &customsv1.SetRectificationRequest{Enterprise: "91310000MA1K000019"}, "91310000MA1K000019,false"},
	} {
		h := newHarness(t)
		var got *customsv1.SetRectificationRequest
		h.calls[customsv1.RepairService_SetRectification_FullMethodName] = func(r *customsv1.SetRectificationRequest) (*customsv1.SetRectificationResponse, error) {
			got = r
			return &customsv1.SetRectificationResponse{}, nil
		}
		h.run(append([]string{"customs", "repair", "rectification", "-o", "csv"}, c.args...)...)
		h.expect(exitOK)
		if !proto.Equal(got, c.want) || h.stdout.String() != "enterprise,under_rectification\n"+c.out+"\n" {
			t.Errorf("%v: request %v, output:\n%s", c.args, got, h.stdout.String())
		}
	}
	r := func(args ...string) []string {
		return append([]string{"customs", "repair", "rectification", "91310000MA1K000019"}, args...)
	}
	expectUsage(t, [][]string{r(), r("--on", "--off"), {"customs", "repair", "rectification", "--off"}})
}
