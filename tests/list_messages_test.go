package tests

// Verification-list messages over gRPC (DeclarationService
// ExportListMessage, FileListMessage, ImportListReceipts): a list's trip
// INV101 out → filed on another enterprise's fresh book → INV201 in; the
// authorization cases TestAuthorizationEveryMethod runs for them.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func init() {
	customsOnly[declSvc+"ImportListReceipts"] = true
	customsAdminMay[declSvc+"ImportListReceipts"] = true
	customsByNumber[declSvc+"ExportListMessage"] = true
	customsByNumber[declSvc+"FileListMessage"] = true
	customsFilesNot[declSvc+"FileListMessage"] = true
}

// listMessagesAuth holds the messages the authorization cases send.
type listMessagesAuth struct {
	inv101 []byte // a new list on E1's book, XML
	inv201 []byte // customs' approval of E1's declared list
}

// inv201 writes customs' receipt for a list as customs sends it.
func inv201(customsNo, book, inner, uscc, manageResult, invtStucd, vrfdedMarkcd, rmk string) []byte {
	return []byte(fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.w3.org/2000/09/xmldsig#">
  <EnvelopInfo><version>1.0</version><message_id>CUS-%[1]s-%[5]s</message_id><file_name>CUS-%[1]s.INV</file_name><message_type>INV201</message_type>
    <sender_id>CUS0000</sender_id><receiver_id>E010000</receiver_id><send_time>2026-12-06T11:48:03</send_time></EnvelopInfo>
  <DataInfo>
    <PocketInfo><pocket_id>%[1]s-1</pocket_id><total_pocket_qty>1</total_pocket_qty><cur_pocket_no>1</cur_pocket_no><is_unstructured></is_unstructured></PocketInfo>
    <BussinessData><INV201>
      <HdeApprResult><etpsPreentNo></etpsPreentNo><businessId>%[1]s</businessId><tmsCnt>0</tmsCnt><typecd>1</typecd>
        <manageResult>%[5]s</manageResult><manageDate>2026-12-06 11:48:02</manageDate><rmk>%[8]s</rmk></HdeApprResult>
      <BondInvtBsc><bondInvtNo>%[1]s</bondInvtNo><putrecNo>%[2]s</putrecNo><etpsInnerInvtNo>%[3]s</etpsInnerInvtNo>
        <bizopEtpsSccd>%[4]s</bizopEtpsSccd><invtStucd>%[6]s</invtStucd><vrfdedMarkcd>%[7]s</vrfdedMarkcd></BondInvtBsc>
    </INV201></BussinessData>
  </DataInfo>
</Package>
`, customsNo, book, inner, uscc, manageResult, invtStucd, vrfdedMarkcd, rmk))
}

// setUpListMessages exports E1's declared list and renumbers it as a new
// list, and writes a receipt for it.
func (w *customsAuthWorld) setUpListMessages(t *testing.T) {
	t.Helper()
	r, err := w.z.decl.ExportListMessage(ctxAs(t, w.e1.tok), &customsv1.ExportListMessageRequest{ListNo: w.declared})
	if err != nil {
		t.Fatalf("ExportListMessage: %v", err)
	}
	l := w.z.getList(t, w.declared)
	msg := bytes.Replace(r.GetMessage(), []byte("<EtpsInnerInvtNo>"+l.GetInnerNo()+"<"), []byte("<EtpsInnerInvtNo>AZ-MSG-NEW<"), 1)
	w.listMsg = &listMessagesAuth{inv101: msg, inv201: inv201("QD310526I000000777", w.book, l.GetInnerNo(), w.e1.uscc, "1", "0", "0", "")}
}

// listMessageMethodCases has one case per list-message RPC, each a valid
// request on E1's documents.
func listMessageMethodCases() map[string]methodCase {
	d := func(w *authWorld) customsv1.DeclarationServiceClient { return w.z.z.decl }
	return map[string]methodCase{
		declSvc + "ExportListMessage": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ExportListMessage(ctx, &customsv1.ExportListMessageRequest{ListNo: w.z.declared})
			return err
		},
		declSvc + "FileListMessage": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).FileListMessage(ctx, &customsv1.FileListMessageRequest{Message: w.z.listMsg.inv101})
			return err
		},
		declSvc + "ImportListReceipts": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ImportListReceipts(ctx, &customsv1.ImportListReceiptsRequest{Messages: [][]byte{w.z.listMsg.inv201}})
			return err
		},
	}
}

func TestListTripINV101OutFiledElsewhereThenINV201In(t *testing.T) {
	z := newZoneEnv(t)
	e1 := z.enterprise(t, "Msg One")
	h1 := z.hBook(t, e1)
	l := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "ERP-0001", BookNo: h1, Io: "I", TradeMode: "5034", Country: "502",
		Lines: []*customsv1.ListLine{line(lineNotebook, "12", "36000.5", "130", "120"), line(linePE, "250.125", "3001.5", "260", "250.125")}})
	z.declare(t, e1.tok, l.GetListNo())
	l = z.getList(t, l.GetListNo())

	for _, f := range []customsv1.ListMessageFormat{customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_XML, customsv1.ListMessageFormat_LIST_MESSAGE_FORMAT_JSON} {
		out, err := z.decl.ExportListMessage(ctxAs(t, e1.tok), &customsv1.ExportListMessageRequest{ListNo: l.GetListNo(), Format: f})
		if err != nil {
			t.Fatalf("export %s: %v", f, err)
		}
		// The same message, filed by another enterprise on its fresh book
		// with the same lines, gives the same list there.
		e2 := z.enterprise(t, "Msg Two "+f.String())
		h2 := z.hBook(t, e2)
		msg := bytes.ReplaceAll(bytes.ReplaceAll(out.GetMessage(), []byte(h1), []byte(h2)), []byte(e1.uscc), []byte(e2.uscc))
		filed, err := z.decl.FileListMessage(ctxAs(t, e2.tok), &customsv1.FileListMessageRequest{Message: msg, Format: f})
		if err != nil {
			t.Fatalf("file %s: %v", f, err)
		}
		got := filed.GetList()
		wantListStatus(t, got, customsv1.ListStatus_LIST_STATUS_DECLARED)
		if got.GetInnerNo() != "ERP-0001" || got.GetFlow() != l.GetFlow() || got.GetTradeMode() != "5034" || len(got.GetLines()) != 2 || got.GetGrossWeight() != l.GetGrossWeight() {
			t.Fatalf("%s: filed %v\nfrom %v", f, got, l)
		}
		for i, ln := range got.GetLines() {
			want := l.GetLines()[i]
			if ln.GetBookSeq() != want.GetBookSeq() || ln.GetDeclaredQuantity() != want.GetDeclaredQuantity() || ln.GetTotal() != want.GetTotal() || ln.GetDeclaredUnit() != want.GetDeclaredUnit() {
				t.Fatalf("%s: line %d %v, want %v", f, i+1, ln, want)
			}
		}
	}

	// Customs' receipt: the customs number is stored, the list approved
	// and found by either number; the same receipt again changes nothing.
	const cno = "QD310526I000000001"
	rc := inv201(cno, h1, "ERP-0001", e1.uscc, "4", "0", "1", "")
	r, err := z.decl.ImportListReceipts(ctxAs(t, z.customs), &customsv1.ImportListReceiptsRequest{Messages: [][]byte{rc}})
	if err != nil {
		t.Fatal(err)
	}
	o := r.GetOutcomes()[0]
	if !o.GetChanged() || o.GetList().GetCustomsNo() != cno || o.GetList().GetCustomsStage() != "PRE_DEDUCTED" {
		t.Fatalf("outcome %v", o)
	}
	wantListStatus(t, o.GetList(), customsv1.ListStatus_LIST_STATUS_APPROVED)
	byCustoms, err := z.decl.GetList(ctxAs(t, e1.tok), &customsv1.GetListRequest{ListNo: cno})
	if err != nil || byCustoms.GetList().GetListNo() != l.GetListNo() {
		t.Fatalf("GetList by the customs number: %v %v", err, byCustoms.GetList())
	}
	ls, err := z.decl.ListLists(ctxAs(t, z.customs), &customsv1.ListListsRequest{CustomsNo: cno})
	if err != nil || len(ls.GetLists()) != 1 || ls.GetLists()[0].GetListNo() != l.GetListNo() {
		t.Fatalf("ListLists by the customs number: %v %v", err, ls.GetLists())
	}
	r, err = z.decl.ImportListReceipts(ctxAs(t, z.admin), &customsv1.ImportListReceiptsRequest{Messages: [][]byte{rc}})
	if err != nil || r.GetOutcomes()[0].GetChanged() {
		t.Fatalf("the same receipt again: %v %v", err, r)
	}

	// Refusals name the element path with their own reasons.
	_, err = z.decl.ImportListReceipts(ctxAs(t, z.customs), &customsv1.ImportListReceiptsRequest{Messages: [][]byte{rc, inv201(cno, h1, "ERP-0001", e1.uscc, "9", "0", "1", "")}})
	wantRefused(t, err, codes.InvalidArgument, "LIST_RECEIPT_UNKNOWN_CODE", "messages[1]/Package/DataInfo/BussinessData/INV201/HdeApprResult/manageResult", "an unknown result code")
	_, err = z.decl.ImportListReceipts(ctxAs(t, z.customs), &customsv1.ImportListReceiptsRequest{Messages: [][]byte{inv201("QD310526I000000002", h1, "NOPE", e1.uscc, "1", "0", "0", "")}})
	wantRefused(t, err, codes.NotFound, "LIST_RECEIPT_UNKNOWN_LIST", "messages[0]/Package/DataInfo/BussinessData/INV201/BondInvtBsc/etpsInnerInvtNo", "a receipt for no list")
	laughs := `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>` +
		`<Signature><Object><Package><DataInfo><BussinessData><DelcareFlag>&c;</DelcareFlag></BussinessData></DataInfo></Package></Object></Signature>`
	_, err = z.decl.FileListMessage(ctxAs(t, e1.tok), &customsv1.FileListMessageRequest{Message: []byte(laughs)})
	wantRefused(t, err, codes.InvalidArgument, "LIST_MESSAGE_INVALID", "-", "billion laughs", "DOCTYPE")
	if got := z.getList(t, l.GetListNo()); got.GetStatus() != customsv1.ListStatus_LIST_STATUS_APPROVED || !strings.HasPrefix(got.GetCustomsNo(), "QD3105") {
		t.Fatalf("after the refusals: %v", got)
	}
}

// TestZonectlListMessages drives the three list-message commands with the
// built zonectl: a list out to a directory, the file renumbered and filed
// back (declared), customs' receipt in, the list found by its customs
// number.
func TestZonectlListMessages(t *testing.T) {
	z := startZonectlZone(t)
	c, e, cu, ex := z.c, z.e, z.cu, z.ex
	const (
		uscc = "91310000MA1K000019"
		book = "H31050000001"
	)
	list := strings.TrimSpace(c.must(e, "customs", "list", "create", "--file", ex("list-in.json"), "-q"))

	outbox := filepath.Join(c.dir, "outbox")
	if err := os.Mkdir(outbox, 0o755); err != nil {
		t.Fatal(err)
	}
	c.must(e, "customs", "list", "message", list, "--out", outbox)
	msg, err := os.ReadFile(filepath.Join(outbox, list+".INV101.xml"))
	if err != nil || !bytes.Contains(msg, []byte("<EtpsInnerInvtNo>IN-0001</EtpsInnerInvtNo>")) || !bytes.Contains(msg, []byte("<DelcareFlag>0</DelcareFlag>")) {
		t.Fatalf("the exported draft: %v\n%s", err, msg)
	}
	again := bytes.Replace(bytes.Replace(msg, []byte(">IN-0001<"), []byte(">ERP-0002<"), 1), []byte("<DelcareFlag>0<"), []byte("<DelcareFlag>1<"), 1)
	in := filepath.Join(c.dir, "ERP-0002.xml")
	if err := os.WriteFile(in, again, 0o600); err != nil {
		t.Fatal(err)
	}
	out := c.must(e, "-o", "json", "customs", "list", "file-message", in)
	var filed customsv1.List
	if err := protojson.Unmarshal([]byte(out), &filed); err != nil || filed.GetInnerNo() != "ERP-0002" || filed.GetStatus() != customsv1.ListStatus_LIST_STATUS_DECLARED || len(filed.GetLines()) != 2 {
		t.Fatalf("file-message printed %q (%v)", out, err)
	}

	const cno = "QD310526I000000042"
	rc := filepath.Join(c.dir, "receipt.INV")
	if err := os.WriteFile(rc, inv201(cno, book, "ERP-0002", uscc, "1", "0", "0", ""), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := c.run(e, "customs", "list", "receipts", rc); code != 1 || !strings.Contains(errOut, "PERMISSION_DENIED") {
		t.Errorf("the enterprise importing receipts: exit %d, %q", code, errOut)
	}
	out = c.must(cu, "-o", "csv", "customs", "list", "receipts", rc)
	if r := csvRecords(t, out); len(r) != 2 || r[1][1] != filed.GetListNo() || r[1][2] != cno || r[1][4] != "APPROVED" || r[1][5] != "true" {
		t.Fatalf("receipts: %v", r)
	}
	out = c.must(e, "-o", "json", "customs", "list", "get", cno)
	var got customsv1.List
	if err := protojson.Unmarshal([]byte(out), &got); err != nil || got.GetListNo() != filed.GetListNo() || got.GetCustomsNo() != cno {
		t.Fatalf("list get by the customs number printed %q (%v)", out, err)
	}
}
