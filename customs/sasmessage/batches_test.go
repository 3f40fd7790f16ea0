package sasmessage_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/customsapi"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestPassReceiptBatchWithABadMessageAppliesNothing: GateService's
// ImportPassReceipts reads every message before it applies any, like
// ImportListReceipts: a batch whose last message is malformed is refused
// naming it and leaves the pass as it was; the batch sent again with the
// message put right applies each receipt once, and a third time nothing.
func TestPassReceiptBatchWithABadMessageAppliesNothing(t *testing.T) {
	w, _, ps := passWorld(t, false)
	gate := customsapi.NewGateServer(w.svc)
	ctx := access.WithPrincipal(w.ctx, w.customs)
	const cno = "Z3105I250610000000000001"
	approve := sas221(t, w, ps, cno, sas.PassApproved, "")
	passed := sas251(t, w, ps, "M-BATCH", cno, sas.GatePassed, "G1-BATCH", "2025-06-10 09:30:00")
	bad := bytes.Replace(passed, []byte("<stucd>"), []byte("<stucd>9"), 1)
	journals := w.journals(w.h1)
	before, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)

	_, err = gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{approve, passed, bad}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a batch with a bad message: %v, want INVALID_ARGUMENT", err)
	}
	got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	if got.Status != before.Status || got.CustomsNo != "" || w.journals(w.h1) != journals {
		t.Fatalf("the refused batch changed the pass: %s %q, %d journals (was %s, %d)", got.Status, got.CustomsNo, w.journals(w.h1), before.Status, journals)
	}

	fixed := [][]byte{approve, passed, sas251(t, w, ps, "M-BATCH-2", cno, sas.GateApproved, "", "")}
	for round, wantChanged := range []bool{true, false} {
		out, err := gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: fixed})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(out.Results) != 3 || out.Results[0].Changed != wantChanged || out.Results[1].Changed != wantChanged || out.Results[2].Changed {
			t.Fatalf("round %d: %+v", round, out.Results)
		}
		got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
		w.must(err)
		if got.Status != zone.PassPassed || got.CustomsNo != cno || w.journals(w.h1) != journals+1 {
			t.Fatalf("round %d: pass %s %q, %d journals, want PASSED %s, %d", round, got.Status, got.CustomsNo, w.journals(w.h1), cno, journals+1)
		}
	}
}

// TestListReceiptBatchRetriedAppliesNothingTwice: an INV201 batch whose
// second receipt names no list applies the first and stops; the batch
// sent again with the second put right applies only the second, and a
// third time nothing.
func TestListReceiptBatchRetriedAppliesNothingTwice(t *testing.T) {
	w := newWorld(t)
	a, b := w.declared("ERP-BATCH-A"), w.declared("ERP-BATCH-B")
	ra := receipt(t, w, "QD460126I000000031", "ERP-BATCH-A", "1", "0", "", "")
	rb := receipt(t, w, "QD460126I000000032", "ERP-BATCH-B", "1", "0", "", "")
	wrong := receipt(t, w, "QD460126I000000032", "ERP-BATCH-X", "1", "0", "", "")
	_, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{ra, wrong})
	wantReason(t, err, zone.ReasonReceiptUnknownList, "messages[1]/"+sas.INV201Path("BondInvtBsc/etpsInnerInvtNo"))
	for round, want := range [][2]bool{{false, true}, {false, false}} {
		out, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{ra, rb})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if out[0].Changed != want[0] || out[1].Changed != want[1] {
			t.Fatalf("round %d: changed %t %t, want %v", round, out[0].Changed, out[1].Changed, want)
		}
		for _, l := range []zone.List{a, b} {
			got, err := w.zone.GetList(w.ctx, w.ent, l.No)
			if err != nil || got.Status != zone.ListApproved || got.CustomsNo == "" {
				t.Fatalf("round %d: list %s %v %s %q", round, l.No, err, got.Status, got.CustomsNo)
			}
		}
	}
}

// TestListReceiptBatchNamesTheMessageAtFault pins how ImportReceipts
// answers a batch of five whose third message is at fault: one that does
// not decode, is not XML at all or carries a code zoneledger does not read
// refuses the call naming messages[2], answers no outcome and applies
// nothing; one that names no list stops the call after the first two,
// which stay applied and are the outcomes answered.
func TestListReceiptBatchNamesTheMessageAtFault(t *testing.T) {
	w := newWorld(t)
	var lists []zone.List
	var good [][]byte
	for i := range 5 {
		inner := fmt.Sprintf("ERP-FIVE-%d", i)
		lists = append(lists, w.declared(inner))
		good = append(good, receipt(t, w, fmt.Sprintf("QD460126I0000000%d", 41+i), inner, "1", "0", "", ""))
	}
	third := func(m []byte) [][]byte {
		b := slices.Clone(good)
		b[2] = m
		return b
	}
	wantLists := func(approved int) {
		t.Helper()
		for i, l := range lists {
			got, err := w.zone.GetList(w.ctx, w.ent, l.No)
			if err != nil {
				t.Fatal(err)
			}
			if applied := got.CustomsNo != ""; applied != (i < approved) || applied != (got.Status == zone.ListApproved) {
				t.Fatalf("list %d: %s %q; want the first %d approved, the others as declared", i, got.Status, got.CustomsNo, approved)
			}
		}
	}
	for _, tc := range []struct {
		name, reason, field string
		msg                 []byte
	}{
		{"malformed", zone.ReasonListMessageInvalid, "messages[2]/" + sas.INV201Path("HdeApprResult"), bytes.Replace(good[2], []byte("</HdeApprResult>"), nil, 1)},
		{"not XML", zone.ReasonListMessageInvalid, "messages[2]/", []byte("not a message")},
		{"unknown code", zone.ReasonReceiptUnknownCode, "messages[2]/" + sas.INV201Path("HdeApprResult/manageResult"), receipt(t, w, "QD460126I000000043", "ERP-FIVE-2", "9", "0", "", "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := w.msg.ImportReceipts(w.ctx, w.customs, third(tc.msg))
			wantReason(t, err, tc.reason, tc.field)
			if out != nil {
				t.Fatalf("a batch refused before any receipt was applied answered %+v", out)
			}
			wantLists(0)
		})
	}

	out, err := w.msg.ImportReceipts(w.ctx, w.customs, third(receipt(t, w, "QD460126I000000043", "ERP-NOPE", "1", "0", "", "")))
	wantReason(t, err, zone.ReasonReceiptUnknownList, "messages[2]/"+sas.INV201Path("BondInvtBsc/etpsInnerInvtNo"))
	if len(out) != 2 {
		t.Fatalf("refused at the third: %d outcomes %+v, want the two applied", len(out), out)
	}
	for i, o := range out {
		if !o.Changed || o.List.No != lists[i].No || o.List.Status != zone.ListApproved || o.MessageID != fmt.Sprintf("CUS-QD460126I0000000%d-1", 41+i) {
			t.Fatalf("outcome %d: %+v", i, o)
		}
	}
	wantLists(2)
}

// TestPassReceiptBatchNamesTheMessageAtFault pins the same for
// ImportPassReceipts and GateService's ImportPassReceipts: a third message
// that does not decode, is not XML or is no pass receipt refuses the call
// at index 2 ("messages[2]" before the element path, with a dot) and
// applies nothing; a third that names no pass stops the call after the
// first two, which stay applied and are the outcomes answered.
func TestPassReceiptBatchNamesTheMessageAtFault(t *testing.T) {
	w, _, ps := passWorld(t, false)
	gate := customsapi.NewGateServer(w.svc)
	ctx := access.WithPrincipal(w.ctx, w.customs)
	const cno = "Z3105I250610000000000005"
	good := [][]byte{
		sas221(t, w, ps, cno, sas.PassApproved, ""),
		sas251(t, w, ps, "M-FIVE-1", cno, sas.GatePassed, "G1-FIVE", "2025-06-10 09:30:00"),
		sas251(t, w, ps, "M-FIVE-2", cno, sas.GateApproved, "", ""),
		sas251(t, w, ps, "M-FIVE-3", cno, sas.GatePassed, "G1-FIVE", "2025-06-10 09:30:00"),
		sas221(t, w, ps, cno, sas.PassApproved, ""),
	}
	third := func(m []byte) [][]byte {
		b := slices.Clone(good)
		b[2] = m
		return b
	}
	before, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	journals := w.journals(w.h1)
	wantPass := func(status zone.PassStatus, customsNo string, journals int) {
		t.Helper()
		got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
		w.must(err)
		if got.Status != status || got.CustomsNo != customsNo || w.journals(w.h1) != journals {
			t.Fatalf("pass %s %q, %d journals; want %s %q, %d", got.Status, got.CustomsNo, w.journals(w.h1), status, customsNo, journals)
		}
	}
	inv201, err := sas.EncodeINV201(sas.EnvelopInfo{Version: "1.0", MessageID: "CUS-INV", SenderID: "CUS0000", ReceiverID: "E010000", SendTime: "2025-06-10T09:30:00"},
		sas.PocketInfo{PocketID: "P", TotalPocketQty: "1", CurPocketNo: "1"},
		sas.INV201Body{Result: sas.INV201Result{BusinessID: "QD310526I000000001", ManageResult: "1", ManageDate: "2025-06-10 09:30:00"}})
	w.must(err)
	for _, tc := range []struct {
		name, reason, field, apiField string
		msg                           []byte
	}{
		{"malformed", zone.ReasonPassMessageInvalid, "Package/DataInfo/BussinessData/SAS251/HdeApprResult", "messages[2].Package/DataInfo/BussinessData/SAS251/HdeApprResult",
			bytes.Replace(good[2], []byte("</HdeApprResult>"), nil, 1)},
		{"not XML", zone.ReasonPassMessageInvalid, "message", "messages[2]", []byte("not a message")},
		{"no pass receipt", zone.ReasonPassReceiptCode, "Package/EnvelopInfo/message_type", "messages[2].Package/EnvelopInfo/message_type", inv201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, i, err := w.msg.ImportPassReceipts(w.ctx, w.customs, third(tc.msg))
			if le := wantPassReason(t, err, tc.reason); le.Field != tc.field || i != 2 || out != nil {
				t.Fatalf("refused %q at %d with %+v; want %q at 2, no outcome", le.Field, i, out, tc.field)
			}
			_, err = gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: third(tc.msg)})
			wantAPIRefusal(t, err, codes.InvalidArgument, tc.reason, tc.apiField)
			wantPass(before.Status, "", journals)
		})
	}

	unknown := sas221(t, w, zone.Pass{InnerNo: "P-NOPE", RelatedNos: ps.RelatedNos}, "Z3105I250610000000000009", sas.PassApproved, "")
	const unknownField = "Package/DataInfo/BussinessData/SAS221/HdeApprResult/etpsPreentNo"
	out, i, err := w.msg.ImportPassReceipts(w.ctx, w.customs, third(unknown))
	if le := wantPassReason(t, err, zone.ReasonPassReceiptUnknownPass); le.Field != unknownField || i != 2 || len(out) != 2 {
		t.Fatalf("refused %q at %d with %d outcomes; want %q at 2 and the two applied", le.Field, i, len(out), unknownField)
	}
	for i, want := range []struct{ typ, id string }{{sas.MessageSAS221, "CUS0000E0100002026120609000000000000001"}, {sas.MessageSAS251, "M-FIVE-1"}} {
		if o := out[i]; !o.Changed || o.MessageType != want.typ || o.MessageID != want.id || o.Pass.No != ps.No {
			t.Fatalf("outcome %d: %+v", i, o)
		}
	}
	wantPass(zone.PassPassed, cno, journals+1)
	_, err = gate.ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: third(unknown)})
	wantAPIRefusal(t, err, codes.NotFound, zone.ReasonPassReceiptUnknownPass, "messages[2]."+unknownField)
	wantPass(zone.PassPassed, cno, journals+1)
}

// wantAPIRefusal fails unless err is a gRPC status of code c whose
// ErrorInfo has the reason and names the field.
func wantAPIRefusal(t *testing.T, err error, c codes.Code, reason, field string) {
	t.Helper()
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && st.Code() == c && info.GetReason() == reason && info.GetMetadata()["field"] == field {
			return
		}
	}
	t.Fatalf("got %v %v, want %s %s on %q", st.Code(), st.Details(), c, reason, field)
}
