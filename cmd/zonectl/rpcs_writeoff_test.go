package main

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The write-off and evidence commands send the request their flags say,
// field by field, and print the answer's rows: the protos build them, the
// flags and columns stay what they were.
func TestWriteOffCommandsSendTheirFlags(t *testing.T) {
	stocktake := &customsv1.Stocktake{StocktakeNo: "PD1", InnerNo: "PD-1", BookNo: "H1", Date: "2026-12-31", Status: "NOTIFIED"}
	diff := &customsv1.Difference{BookSeq: 3, Status: customsv1.CountStatus_COUNT_STATUS_NONBONDED, Booked: "0", Counted: "2", Difference: "2"}
	cycle := &customsv1.WriteOffCycle{BookNo: "H1", Months: 6, Start: "2026-01-01"}
	ev := &customsv1.Evidence{BookNo: "H1", Through: "2026-03-31", Digest: "ab12", Journals: 2, Documents: 3}
	for _, c := range []struct {
		args   []string
		method string
		req    proto.Message
		resp   proto.Message
		want   string // a line of the CSV printed
	}{
		{[]string{"customs", "writeoff", "cycle-set", "--book", "H1", "--months", "6"}, customsv1.WriteOffService_SetCycle_FullMethodName,
			&customsv1.SetCycleRequest{BookNo: "H1", Months: 6}, &customsv1.SetCycleResponse{Cycle: cycle}, "H1,6,2026-01-01,"},
		{[]string{"customs", "writeoff", "cycle-start", "--book", "H1", "--start", "2026-01-01"}, customsv1.WriteOffService_SetCycleStart_FullMethodName,
			&customsv1.SetCycleStartRequest{BookNo: "H1", Start: "2026-01-01"}, &customsv1.SetCycleStartResponse{Cycle: cycle}, "H1,6,2026-01-01,"},
		{[]string{"customs", "writeoff", "cycle", "--book", "H1"}, customsv1.WriteOffService_GetCycle_FullMethodName,
			&customsv1.GetCycleRequest{BookNo: "H1"}, &customsv1.GetCycleResponse{Cycle: cycle}, "H1,6,2026-01-01,"},
		{[]string{"customs", "writeoff", "notify", "--inner", "PD-1", "--book", "H1", "--date", "2026-12-31"}, customsv1.WriteOffService_NotifyStocktake_FullMethodName,
			&customsv1.NotifyStocktakeRequest{InnerNo: "PD-1", BookNo: "H1", Date: "2026-12-31"}, &customsv1.NotifyStocktakeResponse{Stocktake: stocktake}, "PD1,PD-1,H1,2026-12-31,"},
		{[]string{"customs", "writeoff", "stocktake", "--stocktake", "PD1"}, customsv1.WriteOffService_GetStocktake_FullMethodName,
			&customsv1.GetStocktakeRequest{StocktakeNo: "PD1"}, &customsv1.GetStocktakeResponse{Stocktake: stocktake}, "PD1,PD-1,H1,2026-12-31,"},
		{[]string{"customs", "writeoff", "stocktakes", "--book", "H1"}, customsv1.WriteOffService_ListStocktakes_FullMethodName,
			&customsv1.ListStocktakesRequest{BookNo: "H1", PageSize: pageSize}, &customsv1.ListStocktakesResponse{Stocktakes: []*customsv1.Stocktake{stocktake}}, "PD1,PD-1,H1,2026-12-31,"},
		{[]string{"customs", "writeoff", "pay", "--stocktake", "PD1", "--line", "1", "--payment", "PAY-1", "--amount", "650.00", "--date", "2026-12-31"},
			customsv1.WriteOffService_RecordShortagePayment_FullMethodName,
			&customsv1.RecordShortagePaymentRequest{StocktakeNo: "PD1", BookSeq: 1, PaymentNo: "PAY-1", Amount: "650.00", Date: "2026-12-31"},
			&customsv1.RecordShortagePaymentResponse{Difference: diff}, "3,NONBONDED,,,0,2,2,"},
		{[]string{"customs", "writeoff", "explain", "--stocktake", "PD1", "--line", "3", "--status", "nonbonded", "--explanation", "samples", "--value", "400"},
			customsv1.WriteOffService_ExplainSurplus_FullMethodName,
			&customsv1.ExplainSurplusRequest{StocktakeNo: "PD1", BookSeq: 3, Status: customsv1.CountStatus_COUNT_STATUS_NONBONDED, Explanation: "samples", Value: "400"},
			&customsv1.ExplainSurplusResponse{Difference: diff}, "3,NONBONDED,"},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "BONDED", "--approve", "--note", "ok"},
			customsv1.WriteOffService_DecideSurplus_FullMethodName,
			&customsv1.DecideSurplusRequest{StocktakeNo: "PD1", BookSeq: 3, Status: customsv1.CountStatus_COUNT_STATUS_BONDED, Approve: true, Note: "ok"},
			&customsv1.DecideSurplusResponse{Difference: diff}, "3,NONBONDED,"},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "bonded", "--reject"},
			customsv1.WriteOffService_DecideSurplus_FullMethodName,
			&customsv1.DecideSurplusRequest{StocktakeNo: "PD1", BookSeq: 3, Status: customsv1.CountStatus_COUNT_STATUS_BONDED},
			&customsv1.DecideSurplusResponse{Difference: diff}, "3,NONBONDED,"},
		{[]string{"customs", "writeoff", "close", "--stocktake", "PD1"}, customsv1.WriteOffService_CloseWriteOff_FullMethodName,
			&customsv1.CloseWriteOffRequest{StocktakeNo: "PD1"}, &customsv1.CloseWriteOffResponse{Stocktake: stocktake}, "PD1,PD-1,H1,2026-12-31,"},
		{[]string{"evidence", "seal", "--book", "H1", "--through", "2026-03-31"}, customsv1.WriteOffService_SealEvidence_FullMethodName,
			&customsv1.SealEvidenceRequest{BookNo: "H1", Through: "2026-03-31"}, &customsv1.SealEvidenceResponse{Evidence: ev}, "H1,,2026-03-31,ab12,,,2,3,"},
		{[]string{"evidence", "list", "--book", "H1"}, customsv1.WriteOffService_ListEvidence_FullMethodName,
			&customsv1.ListEvidenceRequest{BookNo: "H1"}, &customsv1.ListEvidenceResponse{Evidence: []*customsv1.Evidence{ev, ev}}, "H1,,2026-03-31,ab12,,,2,3,"},
	} {
		h := newHarness(t)
		var got proto.Message
		h.calls[c.method] = func(req proto.Message) (proto.Message, error) {
			got = req
			return c.resp, nil
		}
		code, out, errOut := h.output(append([]string{"-o", "csv"}, c.args...)...)
		if code != exitOK || !strings.Contains(out, "\n"+c.want) {
			t.Errorf("zonectl %s: exit %d, printed\n%s%s\nwant a row %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
		if !proto.Equal(c.req, got) {
			t.Errorf("zonectl %s sent %v, want %v", strings.Join(c.args, " "), got, c.req)
		}
	}
}

// A value the protos refuse is a usage error naming the flag, and nothing
// is sent: a cycle of 13 months, an amount or value that is not a decimal,
// a seal through a day not written YYYY-MM-DD; and a surplus is decided by
// exactly one of --approve and --reject.
func TestWriteOffFlagsAreCheckedBeforeSending(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"customs", "writeoff", "cycle-set", "--book", "H1", "--months", "13"}, "error: --months: "},
		{[]string{"customs", "writeoff", "pay", "--stocktake", "PD1", "--line", "1", "--payment", "P1", "--amount", "650,00", "--date", "2026-12-31"}, "error: --amount: "},
		{[]string{"customs", "writeoff", "pay", "--stocktake", "PD1", "--line", "0", "--payment", "P1", "--amount", "650.00", "--date", "2026-12-31"}, "error: --line: "},
		{[]string{"customs", "writeoff", "explain", "--stocktake", "PD1", "--line", "3", "--status", "bonded", "--explanation", "x", "--value", "1e3"}, "error: --value: "},
		{[]string{"customs", "writeoff", "explain", "--stocktake", "PD1", "--line", "3", "--status", "lost", "--explanation", "x"}, "bonded, nonbonded"},
		{[]string{"evidence", "seal", "--book", "H1", "--through", "31/03/2026"}, "error: --through: "},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "bonded"}, "approve"},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "bonded", "--approve", "--reject"}, "approve"},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "bonded", "--approve=false"}, "approve"},
		{[]string{"customs", "writeoff", "decide", "--stocktake", "PD1", "--line", "3", "--status", "bonded", "--reject=false"}, "reject"},
	} {
		h := newHarness(t)
		h.nodial = true
		if code := h.run(c.args...); code != exitUsage || !strings.Contains(h.stderr.String(), c.want) {
			t.Errorf("zonectl %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, h.stderr.String(), c.want)
		}
	}
}

// The bind form "yes|no=path" makes a bool field two flags: --yes sends
// true, --no false, one of them required and not both; the usage line
// names the pair.
func TestBindPairOfBoolFlags(t *testing.T) {
	md := (&customsv1.DecideSurplusRequest{}).ProtoReflect().Descriptor()
	flags, _ := bindFields(md, "approve|reject=approve")
	var pair *boundField
	for i := range flags {
		if flags[i].name == "approve" {
			pair = &flags[i]
		}
	}
	if pair == nil || pair.not != "reject" {
		t.Fatalf("bind approve|reject=approve: %+v", flags)
	}
	h := newHarness(t)
	h.nodial = true
	if code := h.run("customs", "writeoff", "decide", "--help"); code != exitOK ||
		!strings.Contains(h.stdout.String(), "--approve|--reject") || !strings.Contains(h.stdout.String(), "--reject ") {
		t.Fatalf("decide --help: exit %d\n%s", code, h.stdout.String())
	}
}
