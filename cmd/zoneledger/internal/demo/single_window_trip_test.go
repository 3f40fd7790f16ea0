package demo

import (
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// checkSingleWindow checks section 22 as the server answered it: the
// customs numbers stored and both documents found by them, the SAS121
// naming the list by customs' number, SAS251 已过卡 moving the goods once.
func checkSingleWindow(t *testing.T, res *Result, out string) {
	t.Helper()
	r := res.SingleWindow
	if r == nil || r.List == nil || r.Pass == nil || r.ListReceipt == nil || r.ListByCustomsNo == nil || r.PassByCustomsNo == nil || r.ListAfter == nil {
		t.Fatalf("the single window scene is incomplete: %+v", r)
	}
	if r.INV101.MessageType != "INV101" || r.INV101.Head.EtpsInnerInvtNo != r.List.GetInnerNo() || r.INV101.Head.PutrecNo != singleWindowBook || len(r.INV101.Lines) != 1 {
		t.Errorf("INV101 %+v", r.INV101)
	}
	if l := r.ListReceipt.GetList(); l.GetCustomsNo() != singleWindowListNo || l.GetStatus() != customsv1.ListStatus_LIST_STATUS_APPROVED || !r.ListReceipt.GetChanged() {
		t.Errorf("INV201: %v", r.ListReceipt)
	}
	if r.ListByCustomsNo.GetListNo() != r.List.GetListNo() {
		t.Errorf("list by customs' number: %v", r.ListByCustomsNo)
	}
	if r.SAS121.MessageType != "SAS121" || r.SAS121.Head.RltNo != singleWindowListNo || r.SAS121.Head.EtpsPreentNo != r.Pass.GetInnerNo() {
		t.Errorf("SAS121 %+v", r.SAS121)
	}
	if r.PassByCustomsNo.GetPassNo() != r.Pass.GetPassNo() || r.PassByCustomsNo.GetStatus() != customsv1.PassStatus_PASS_STATUS_APPROVED {
		t.Errorf("pass by customs' number: %v", r.PassByCustomsNo)
	}
	var got []string
	for _, rc := range r.Receipts {
		if rc.GetPassNo() != r.Pass.GetPassNo() || rc.GetCustomsNo() != singleWindowPassNo {
			t.Errorf("receipt %v", rc)
		}
		got = append(got, rc.GetMessageType()+" "+rc.GetStatus().String()+" "+map[bool]string{true: "changed", false: "unchanged"}[rc.GetChanged()])
	}
	if want := "SAS221 PASS_STATUS_APPROVED changed|SAS251 PASS_STATUS_PASSED changed|SAS251 PASS_STATUS_PASSED unchanged"; strings.Join(got, "|") != want {
		t.Errorf("pass receipts %q, want %q", strings.Join(got, "|"), want)
	}
	if len(r.Before) != 1 || len(r.After) != 1 || !d(r.Before[0].GetBonded()).IsZero() || !d(r.After[0].GetBonded()).Equal(d("500")) {
		t.Errorf("stock before %v after %v; want 0 then 500 (moved once)", r.Before, r.After)
	}
	if r.ListAfter.GetStatus() != customsv1.ListStatus_LIST_STATUS_CLEARED {
		t.Errorf("the list after the gate is %s", r.ListAfter.GetStatus())
	}
	for _, s := range []string{"22. A list's trip through the single window", "rltNo " + singleWindowListNo, "customs number " + singleWindowListNo, "GetPass " + singleWindowPassNo} {
		if !strings.Contains(out, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
}
