package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

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

// TestProcessingAndRndCommandsSendTheirFlags: every processing and R&D
// command sends the request its flags and arguments say, and prints the
// answer in its columns.
func TestProcessingAndRndCommandsSendTheirFlags(t *testing.T) {
	type P = customsv1.ProductionOutput
	version := &customsv1.Version{BookNo: "B1", FinishedSeq: 4, Version: "1", EffectiveDate: "2026-11-01", Status: customsv1.VersionStatus_VERSION_STATUS_DRAFT,
		Norms: []*customsv1.Norm{{MaterialSeq: 1, Net: "0.95", LossPercent: "5", BondedPercent: "100", UnitConsumption: "1", UnitConsumptionExact: true},
			{MaterialSeq: 2, Net: "2", UnitConsumption: "2.5"}}, UsedBy: "SC1", SupersededBy: "2"}
	versionCSV := "book_no,good,version,effective,status,material,net,loss_%,bonded_%,单耗,exact,used_by,superseded_by\n" +
		"B1,4,1,2026-11-01,DRAFT,1,0.95,5,100,1,true,SC1,2\nB1,4,1,2026-11-01,DRAFT,2,2,,,2.5,false,SC1,2\n"
	report := &customsv1.ProductionReport{ReportNo: "SC1", InnerNo: "I1", BookNo: "B1", Date: "2026-11-02", Basis: customsv1.ConsumptionBasis_CONSUMPTION_BASIS_ACTUAL,
		Outputs:  []*P{{BookSeq: 4, Quantity: "10", Version: "1", Lot: "SC1-1", Category: customsv1.ProductionCategory_PRODUCTION_CATEGORY_DEFECT}},
		Consumed: []*customsv1.ProductionConsumed{{BookSeq: 1, Bonded: "9.5", NonBonded: "0.5", Loss: "0.1", Lots: []*customsv1.LotQuantity{{Lot: "L1", Quantity: "9"}, {Lot: "L2", Quantity: "0.5"}}}}}
	reportCSV := "report_no,inner_no,book_no,date,basis,kind,line,quantity,bonded,non_bonded,loss,version,lot,category\n" +
		"SC1,I1,B1,2026-11-02,ACTUAL,made,4,10,,,,1,SC1-1,DEFECT\nSC1,I1,B1,2026-11-02,ACTUAL,consumed,1,,9.5,0.5,0.1,,L1=9 L2=0.5,\n"
	destruction := &customsv1.Destruction{DestructionNo: "XH1", InnerNo: "X1", BookNo: "B1", Date: "2026-11-03", Reason: "no value", Status: customsv1.DestructionStatus_DESTRUCTION_STATUS_APPROVED,
		Lines: []*customsv1.DestroyLine{{BookSeq: 5, Quantity: "0.5", Lots: []*customsv1.LotQuantity{{Lot: "L5", Quantity: "0.25"}, {Lot: "L6", Quantity: "0.25"}}}, {BookSeq: 6, Quantity: "1"}}}
	destructionCSV := "destruction_no,inner_no,book_no,date,status,line,quantity,lots,reason\n" +
		"XH1,X1,B1,2026-11-03,APPROVED,5,0.5,L5=0.25 L6=0.25,no value\nXH1,X1,B1,2026-11-03,APPROVED,6,1,,no value\n"
	entrustment := &customsv1.Entrustment{EntrustmentNo: "WT1", InnerNo: "W1", BookNo: "B1", Client: "91320000MA1K000097", ClientName: "苏州", Date: "2026-11-04",
		BondedValue: "80.00", BondedTaxed: "40.00", ReportNos: []string{"SC1", "SC2"}, Held: []*customsv1.EntrustedHolding{{BookSeq: 2, Quantity: "15", Value: "30"}}}
	entrustmentCSV := "entrustment_no,inner_no,book_no,client,client_name,date,bonded_value,bonded_taxed,reports,held\n" +
		"WT1,W1,B1,91320000MA1K000097,苏州,2026-11-04,80.00,40.00,SC1 SC2,2=15\n"
	move := &customsv1.EntrustedMove{MoveNo: "WF1", Kind: "RETURN", EntrustmentNo: "WT1", BookNo: "B1", Date: "2026-11-05", Via: customsv1.EntrustedVia_ENTRUSTED_VIA_GATE_REGISTRATION,
		Reference: "HP1", EventIds: []int64{7}, Lines: []*customsv1.EntrustedLine{{BookSeq: 4, Quantity: "30", Value: "600", BondedValue: "40.00", Lots: []*customsv1.LotQuantity{{Lot: "SC1-1", Quantity: "30"}}}, {BookSeq: 5, Quantity: "1"}}}
	moveCSV := "move_no,kind,entrustment_no,book_no,date,via,reference,line,quantity,value,bonded_value,lots,events\n" +
		"WF1,RETURN,WT1,B1,2026-11-05,GATE_REGISTRATION,HP1,4,30,600,40.00,SC1-1=30,7\nWF1,RETURN,WT1,B1,2026-11-05,GATE_REGISTRATION,HP1,5,1,,,,\n"
	project := &customsv1.RndProject{BookNo: "B3", Code: "P1", Name: "cell", Start: "2026-11-01", Status: customsv1.RndProjectStatus_RND_PROJECT_STATUS_OPEN}
	projectCSV := "book_no,code,name,status,start,end,what,line,kind,quantity\nB3,P1,cell,OPEN,2026-11-01,,,,,\n"
	use := &customsv1.RndUse{UseNo: "YF1", InnerNo: "U1", BookNo: "B3", Project: "P1", Date: "2026-11-06",
		Materials: []*customsv1.RndMaterial{{BookSeq: 1, Quantity: "2.5", Lots: []*customsv1.LotQuantity{{Lot: "L1", Quantity: "2.5"}}}},
		Outputs:   []*customsv1.RndOutput{{BookSeq: 4, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_SAMPLE, Lot: "YF1-1"}}}
	useCSV := "use_no,inner_no,book_no,project,date,what,line,kind,quantity,lots\nYF1,U1,B3,P1,2026-11-06,consumed,1,,2.5,L1=2.5\nYF1,U1,B3,P1,2026-11-06,made,4,SAMPLE,1,YF1-1\n"

	for _, c := range []struct {
		args      []string
		method    string
		want      proto.Message // the request
		answer    proto.Message
		printsCSV string // "": a table
	}{
		{[]string{"processing", "version", "put", "--book", "B1", "--good", "4", "--version", "1", "--effective", "2026-11-01", "--norm", "1:0.95:5", "--norm", "2:2.0:20:80"},
			customsv1.ProcessingService_PutVersion_FullMethodName,
			&customsv1.PutVersionRequest{BookNo: "B1", FinishedSeq: 4, Version: "1", EffectiveDate: "2026-11-01",
				Norms: []*customsv1.Norm{{MaterialSeq: 1, Net: "0.95", LossPercent: "5"}, {MaterialSeq: 2, Net: "2.0", LossPercent: "20", BondedPercent: "80"}}},
			&customsv1.PutVersionResponse{Version: version}, versionCSV},
		{[]string{"processing", "version", "declare", "--book", "B1", "--good", "4", "--version", "1"}, customsv1.ProcessingService_DeclareVersion_FullMethodName,
			&customsv1.DeclareVersionRequest{BookNo: "B1", FinishedSeq: 4, Version: "1"}, &customsv1.DeclareVersionResponse{Version: version}, versionCSV},
		{[]string{"processing", "version", "get", "--book", "B1", "--good", "4", "--date", "2026-11-20"}, customsv1.ProcessingService_GetVersion_FullMethodName,
			&customsv1.GetVersionRequest{BookNo: "B1", FinishedSeq: 4, Date: "2026-11-20"}, &customsv1.GetVersionResponse{Version: version}, versionCSV},
		{[]string{"processing", "version", "list", "--book", "B1", "--good", "4", "--used-not-declared"}, customsv1.ProcessingService_ListVersions_FullMethodName,
			&customsv1.ListVersionsRequest{BookNo: "B1", FinishedSeq: 4, UsedNotDeclared: true, PageSize: pageSize},
			&customsv1.ListVersionsResponse{Versions: []*customsv1.Version{version}}, versionCSV},
		{[]string{"processing", "report", "file", "--book", "B1", "--inner-no", "I1", "--made", "4:1000", "--made", "5:2:30.5:1:scrap", "--material", "1:LOT:A"},
			customsv1.ProcessingService_FileProductionReport_FullMethodName,
			&customsv1.FileProductionReportRequest{InnerNo: "I1", BookNo: "B1", Outputs: []*P{{BookSeq: 4, Quantity: "1000"},
				{BookSeq: 5, Quantity: "2", Value: "30.5", Version: "1", Category: customsv1.ProductionCategory_PRODUCTION_CATEGORY_SCRAP}},
				Materials: []*customsv1.ProductionMaterial{{BookSeq: 1, Lot: "LOT:A"}}},
			&customsv1.FileProductionReportResponse{Report: report}, reportCSV},
		{[]string{"processing", "report", "file", "--book", "B1", "--inner-no", "I2", "--date", "2026-11-02", "--entrustment", "WT1", "--made", "4:10",
			"--actual", "1:10.5:0.5", "--actual", "2:3:0:L2"},
			customsv1.ProcessingService_FileProductionReport_FullMethodName,
			&customsv1.FileProductionReportRequest{InnerNo: "I2", BookNo: "B1", Date: "2026-11-02", EntrustmentNo: "WT1", Basis: customsv1.ConsumptionBasis_CONSUMPTION_BASIS_ACTUAL,
				Outputs:   []*P{{BookSeq: 4, Quantity: "10"}},
				Materials: []*customsv1.ProductionMaterial{{BookSeq: 1, Quantity: "10.5", Loss: "0.5"}, {BookSeq: 2, Quantity: "3", Loss: "0", Lot: "L2"}}},
			&customsv1.FileProductionReportResponse{Report: report}, reportCSV},
		{[]string{"processing", "report", "get", "SC1"}, customsv1.ProcessingService_GetProductionReport_FullMethodName,
			&customsv1.GetProductionReportRequest{ReportNo: "SC1"}, &customsv1.GetProductionReportResponse{Report: report}, reportCSV},
		{[]string{"processing", "report", "list", "--book", "B1"}, customsv1.ProcessingService_ListProductionReports_FullMethodName,
			&customsv1.ListProductionReportsRequest{BookNo: "B1", PageSize: pageSize},
			&customsv1.ListProductionReportsResponse{Reports: []*customsv1.ProductionReport{report}}, reportCSV},
		{[]string{"processing", "destruction", "request", "--book", "B1", "--inner-no", "X1", "--reason", "no value", "--date", "2026-11-03",
			"--line", "5:0.5", "--line", "6:1:L6", "--residue-value", "12.50", "--residue-hs-code", "7204490090"},
			customsv1.ProcessingService_RequestDestruction_FullMethodName,
			&customsv1.RequestDestructionRequest{InnerNo: "X1", BookNo: "B1", Date: "2026-11-03", Reason: "no value", ResidueValue: "12.50", ResidueHsCode: "7204490090",
				Lines: []*customsv1.DestroyLine{{BookSeq: 5, Quantity: "0.5"}, {BookSeq: 6, Quantity: "1", Lot: "L6"}}},
			&customsv1.RequestDestructionResponse{Destruction: destruction}, destructionCSV},
		{[]string{"processing", "destruction", "approve", "XH1", "--note", "witnessed"}, customsv1.ProcessingService_ApproveDestruction_FullMethodName,
			&customsv1.ApproveDestructionRequest{DestructionNo: "XH1", Note: "witnessed"}, &customsv1.ApproveDestructionResponse{Destruction: destruction}, destructionCSV},
		{[]string{"processing", "destruction", "reject", "XH1"}, customsv1.ProcessingService_RejectDestruction_FullMethodName,
			&customsv1.RejectDestructionRequest{DestructionNo: "XH1"}, &customsv1.RejectDestructionResponse{Destruction: destruction}, destructionCSV},
		{[]string{"processing", "destruction", "get", "XH1"}, customsv1.ProcessingService_GetDestruction_FullMethodName,
			&customsv1.GetDestructionRequest{DestructionNo: "XH1"}, &customsv1.GetDestructionResponse{Destruction: destruction}, destructionCSV},
		{[]string{"processing", "entrust", "file", "--book", "B1", "--inner-no", "W1", "--client", "91320000MA1K000097", "--client-name", "苏州", "--date", "2026-11-04"},
			customsv1.ProcessingService_FileEntrustment_FullMethodName,
			&customsv1.FileEntrustmentRequest{InnerNo: "W1", BookNo: "B1", Client: "91320000MA1K000097", ClientName: "苏州", Date: "2026-11-04"},
			&customsv1.FileEntrustmentResponse{Entrustment: entrustment}, entrustmentCSV},
		{[]string{"processing", "entrust", "get", "WT1"}, customsv1.ProcessingService_GetEntrustment_FullMethodName,
			&customsv1.GetEntrustmentRequest{EntrustmentNo: "WT1"}, &customsv1.GetEntrustmentResponse{Entrustment: entrustment}, entrustmentCSV},
		{[]string{"processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1", "--gate-registration", "HP0", "--line", "1:40:200", "--line", "2:5"},
			customsv1.ProcessingService_ReceiveEntrusted_FullMethodName,
			&customsv1.ReceiveEntrustedRequest{InnerNo: "R1", EntrustmentNo: "WT1", Reference: "HP0", Via: customsv1.EntrustedVia_ENTRUSTED_VIA_GATE_REGISTRATION,
				Lines: []*customsv1.EntrustedLine{{BookSeq: 1, Quantity: "40", Value: "200"}, {BookSeq: 2, Quantity: "5"}}},
			&customsv1.ReceiveEntrustedResponse{Move: move}, moveCSV},
		{[]string{"processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R2", "--list", "QD1", "--date", "2026-11-05"},
			customsv1.ProcessingService_ReceiveEntrusted_FullMethodName,
			&customsv1.ReceiveEntrustedRequest{InnerNo: "R2", EntrustmentNo: "WT1", Reference: "QD1", Via: customsv1.EntrustedVia_ENTRUSTED_VIA_LIST, Date: "2026-11-05"},
			&customsv1.ReceiveEntrustedResponse{Move: move}, moveCSV},
		{[]string{"processing", "entrust", "return", "--entrustment", "WT1", "--inner-no", "F1", "--gate-registration", "HP1", "--line", "4:30:600", "--line", "5:1::L5"},
			customsv1.ProcessingService_ReturnEntrusted_FullMethodName,
			&customsv1.ReturnEntrustedRequest{InnerNo: "F1", EntrustmentNo: "WT1", Reference: "HP1",
				Lines: []*customsv1.EntrustedLine{{BookSeq: 4, Quantity: "30", Value: "600"}, {BookSeq: 5, Quantity: "1", Lot: "L5"}}},
			&customsv1.ReturnEntrustedResponse{Move: move}, moveCSV},
		{[]string{"processing", "entrust", "move", "WF1"}, customsv1.ProcessingService_GetEntrustedMove_FullMethodName,
			&customsv1.GetEntrustedMoveRequest{MoveNo: "WF1"}, &customsv1.GetEntrustedMoveResponse{Move: move}, moveCSV},
		{[]string{"rnd", "project", "file", "P1", "--book", "B3", "--name", "cell", "--start", "2026-11-01", "--end", "2027-10-31"}, customsv1.RndService_FileRndProject_FullMethodName,
			&customsv1.FileRndProjectRequest{BookNo: "B3", Code: "P1", Name: "cell", Start: "2026-11-01", End: "2027-10-31"},
			&customsv1.FileRndProjectResponse{Project: project}, projectCSV},
		{[]string{"rnd", "project", "close", "P1", "--book", "B3"}, customsv1.RndService_CloseRndProject_FullMethodName,
			&customsv1.CloseRndProjectRequest{BookNo: "B3", Code: "P1"}, &customsv1.CloseRndProjectResponse{Project: project}, projectCSV},
		{[]string{"rnd", "project", "get", "P1", "--book", "B3"}, customsv1.RndService_GetRndProject_FullMethodName,
			&customsv1.GetRndProjectRequest{BookNo: "B3", Code: "P1"}, &customsv1.GetRndProjectResponse{Project: project}, projectCSV},
		{[]string{"rnd", "use", "file", "--book", "B3", "--inner-no", "U1", "--project", "P1", "--date", "2026-11-06", "--material", "1:2.5", "--made", "4:1:SAMPLE"},
			customsv1.RndService_FileRndUse_FullMethodName,
			&customsv1.FileRndUseRequest{InnerNo: "U1", BookNo: "B3", Project: "P1", Date: "2026-11-06", Materials: []*customsv1.RndMaterial{{BookSeq: 1, Quantity: "2.5"}},
				Outputs: []*customsv1.RndOutput{{BookSeq: 4, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_SAMPLE}}},
			&customsv1.FileRndUseResponse{Use: use}, useCSV},
		{[]string{"rnd", "use", "get", "YF1"}, customsv1.RndService_GetRndUse_FullMethodName,
			&customsv1.GetRndUseRequest{UseNo: "YF1"}, &customsv1.GetRndUseResponse{Use: use}, useCSV},
	} {
		h := newHarness(t)
		var got proto.Message
		answerRecording(h, c.method, c.want, c.answer, &got)
		args := append([]string{"-o", "csv", "customs"}, c.args...)
		if c.printsCSV == "" {
			args = append([]string{"customs"}, c.args...)
		}
		code, out, errOut := h.output(args...)
		if code != exitOK || !proto.Equal(got, c.want) || c.printsCSV != "" && out != c.printsCSV {
			t.Errorf("zonectl %s: exit %d, stderr %q\nrequest %v\nwant    %v\noutput:\n%s\nwant:\n%s", strings.Join(args, " "), code, errOut, got, c.want, out, c.printsCSV)
		}
	}
}

// TestProcessingAndRndRefuseBeforeSending: what the commands refused
// before they were built from the protos they still refuse, without
// dialing.
func TestProcessingAndRndRefuseBeforeSending(t *testing.T) {
	report := []string{"customs", "processing", "report", "file", "--book", "B1", "--inner-no", "I1", "--made", "4:1"}
	receive := []string{"customs", "processing", "entrust", "receive", "--entrustment", "WT1", "--inner-no", "R1"}
	use := []string{"customs", "rnd", "use", "file", "--book", "H3", "--inner-no", "U", "--project", "P", "--material", "1:1"}
	expectUsage(t, [][]string{
		{"customs", "processing", "version", "get", "--book", "B1", "--good", "4", "--version", "1", "--date", "2026-11-20"},
		{"customs", "processing", "version", "put", "--book", "B1", "--good", "4", "--version", "1", "--effective", "2026-11-01", "--norm", "1"},
		append(report, "--material", "1:L1", "--actual", "1:2"),
		append(report, "--material", "1"),
		append(report, "--actual", "1"),
		append(report, "--made", "5:1:0:1:finishing"),
		append(report, "--basis", "actual"),
		append(receive, "--gate-registration", "HP1"),
		append(receive, "--list", "QD1", "--line", "1:2"),
		append(receive, "--line", "1:2"),
		append(use, "--made", "4:1"),
		{"customs", "processing", "destruction", "request", "--book", "B1", "--inner-no", "X1", "--reason", "r", "--line", "5"},
		{"customs", "processing", "destruction", "approve"},
		{"customs", "rnd", "project", "close", "P1"},
	})
}
