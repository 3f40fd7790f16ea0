package sas

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// samplePass is a filled SAS121 of a type-2 pass on one list.
func samplePass() *SignedSAS121 {
	var m SignedSAS121
	m.Object.Package.Envelope = EnvelopInfo{Version: "1.0", MessageID: "SAS121-HF3105I26000000001", FileName: "HF3105I26000000001.SAS121.xml",
		MessageType: MessageSAS121, SenderID: "3105940001", ReceiverID: "CUS0000", SendTime: "2026-12-06T08:59:00"}
	m.Object.Package.Data.Business = SAS121{DeclareFlag: "1", Message: PassportMessage{
		OperCusRegCode: "3105940001",
		Head: PassportHead{EtpsPreentNo: "P-1", RltTbTypecd: "1", RltNo: "QD3105I26000000001", DclTypecd: "1", IoTypecd: "I",
			PassportTypecd: "2", BindTypecd: "2", MasterCuscd: "3105", AreainOriactNo: "T3105W000001",
			AreainEtpsSccd: "91310000MA1FL0XX0X", AreainEtpsno: "3105940001", AreainEtpsNm: "上海综保物流有限公司",
			VehicleNo: "沪A12345", VehicleWt: "8000", VehicleFrameWt: "0", ContainerWt: "0", TotalWt: "8105.5", TotalGrossWt: "105.5", TotalNetWt: "100"},
		List: []PassportLine{{PassportSeqno: "1", RltGdsSeqno: "1", GdsMtno: "PN-1", Gdecd: "8471300000", GdsNm: "笔记本电脑", DclUnitcd: "011", DclQty: "10.5", GrossWt: "105.5", NetWt: "100"}},
		Rlt:  []PassportRlt{{RltTbTypecd: "1", RltNo: "QD3105I26000000001"}},
	}}
	return &m
}

func TestSAS121RoundTripsThroughXMLAndJSON(t *testing.T) {
	m := samplePass()
	out, err := EncodeSAS121(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeSAS121(out)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back.Object.Package, m.Object.Package) {
		t.Fatalf("XML round trip:\n got %+v\nwant %+v", back.Object.Package, m.Object.Package)
	}
	for _, el := range []string{"<DelcareFlag>1</DelcareFlag>", "<PassPortMessage>", "<etpsPreentNo>P-1</etpsPreentNo>", "<passportSeqno>1</passportSeqno>", "<SasPassportRlt>"} {
		if !strings.Contains(string(out), el) {
			t.Errorf("the message lacks %s:\n%s", el, out)
		}
	}
	js, err := MarshalPassportJSON(m.Object.Package.Data.Business.Message)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"head": {`, `"list": [`, `"rlt": [`, `"etpsPreentNo": "P-1"`, `"dclQty": "10.5"`} {
		if !strings.Contains(string(js), k) {
			t.Errorf("the JSON lacks %s:\n%s", k, js)
		}
	}
	jback, err := UnmarshalPassportJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	want := m.Object.Package.Data.Business.Message
	want.OperCusRegCode = ""
	if !reflect.DeepEqual(jback, want) {
		t.Fatalf("JSON round trip:\n got %+v\nwant %+v", jback, want)
	}
}

// The reference's rule: 核放单类型为5或6时：绑定类型、关联单证类型、关联单证编号应为空.
func TestSAS121TypesFiveAndSixTakeNoBindingNorRelatedDocuments(t *testing.T) {
	const head = "Signature/Object/Package/DataInfo/BussinessData/PassPortMessage/PassportHead/"
	for name, tc := range map[string]struct {
		edit func(*PassportMessage)
		path string
	}{
		"type 5 with a binding": {func(m *PassportMessage) {
			m.Head.PassportTypecd, m.Head.RltTbTypecd, m.Head.RltNo, m.Rlt = "5", "", "", nil
		}, head + "bindTypecd"},
		"type 6 with a related type": {func(m *PassportMessage) {
			m.Head.PassportTypecd, m.Head.BindTypecd, m.Head.RltNo, m.Rlt = "6", "", "", nil
		}, head + "rltTbTypecd"},
		"type 5 with a related no": {func(m *PassportMessage) {
			m.Head.PassportTypecd, m.Head.BindTypecd, m.Head.RltTbTypecd, m.Rlt = "5", "", "", nil
		}, head + "rltNo"},
		"type 6 with related entries": {func(m *PassportMessage) {
			m.Head.PassportTypecd, m.Head.BindTypecd, m.Head.RltTbTypecd, m.Head.RltNo = "6", "", "", ""
		}, "Signature/Object/Package/DataInfo/BussinessData/PassPortMessage/SasPassportRlt[0]"},
		"unknown pass type":       {func(m *PassportMessage) { m.Head.PassportTypecd = "7" }, head + "passportTypecd"},
		"weight with a sign":      {func(m *PassportMessage) { m.Head.TotalGrossWt = "-1" }, head + "totalGrossWt"},
		"line without a quantity": {func(m *PassportMessage) { m.List[0].DclQty = "" }, "Signature/Object/Package/DataInfo/BussinessData/PassPortMessage/PassportList[0]/dclQty"},
	} {
		m := samplePass()
		tc.edit(&m.Object.Package.Data.Business.Message)
		_, err := EncodeSAS121(m)
		var fe *singlewindow.FieldError
		if !errors.As(err, &fe) || fe.Path != tc.path {
			t.Errorf("%s: got %v, want a field error on %s", name, err, tc.path)
		}
	}
	m := samplePass()
	h := &m.Object.Package.Data.Business.Message
	h.Head.PassportTypecd, h.Head.BindTypecd, h.Head.RltTbTypecd, h.Head.RltNo, h.Rlt = "6", "", "", "", nil
	h.List = nil
	if _, err := EncodeSAS121(m); err != nil {
		t.Errorf("an empty vehicle (type 6) with nothing related: %v", err)
	}
}

func TestSAS121RefusesHostileInput(t *testing.T) {
	bomb := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Signature>&lol2;</Signature>`
	_, err := DecodeSAS121([]byte(bomb))
	if !errors.Is(err, singlewindow.ErrDoctype) {
		t.Fatalf("billion laughs: %v", err)
	}
	deep := strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)
	if _, err := DecodeSAS121([]byte("<Signature>" + deep + "</Signature>")); !errors.Is(err, singlewindow.ErrTooDeep) {
		t.Fatalf("deep nesting: %v", err)
	}
	if _, err := UnmarshalPassportJSON([]byte(`{"head":{},"bogus":1}`)); !errors.Is(err, singlewindow.ErrMalformed) {
		t.Fatalf("unknown JSON field: %v", err)
	}
}

// fixture reads a receipt fixture and fills its placeholders.
func fixture(t *testing.T, name string, kv ...string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer(kv...).Replace(string(b)))
}

func TestPassReceiptFixturesDecode(t *testing.T) {
	in := fixture(t, "SAS221_approved.xml", "{{INNER}}", "P-1", "{{CUSTOMS_NO}}", "Z3105I261206000000000001", "{{RESULT}}", "1", "{{RMK}}", "",
		"{{LIST_NO}}", "QD3105I26000000001", "{{USCC}}", "91310000MA1FL0XX0X")
	env, err := ReceiptType(in)
	if err != nil || env.MessageType != MessageSAS221 {
		t.Fatalf("SAS221 envelope: %+v %v", env, err)
	}
	_, r, err := DecodeReceipt[SAS221Data](in, MessageSAS221)
	if err != nil {
		t.Fatal(err)
	}
	if r.Receipt.Result.BusinessID != "Z3105I261206000000000001" || r.Receipt.Result.ManageResult != PassApproved || r.Receipt.Head.AreainEtpsSccd != "91310000MA1FL0XX0X" || len(r.Receipt.Rlt) != 1 {
		t.Fatalf("SAS221: %+v", r.Receipt)
	}
	g := fixture(t, "SAS251_gate.xml", "{{MESSAGE_ID}}", "M1", "{{INNER}}", "P-1", "{{CUSTOMS_NO}}", "Z3105I261206000000000001", "{{USCC}}", "91310000MA1FL0XX0X",
		"{{VEHICLE}}", "沪A12345", "{{PASS_ID}}", "G1-0001", "{{PASS_TIME}}", "2026-12-06 09:30:00", "{{STUCD}}", GatePassed)
	_, s, err := DecodeReceipt[SAS251Data](g, MessageSAS251)
	if err != nil {
		t.Fatal(err)
	}
	if s.Receipt.Head.Stucd != GatePassed || s.Receipt.Head.PassID != "G1-0001" {
		t.Fatalf("SAS251: %+v", s.Receipt)
	}
	at, err := ParsePassReceiptTime(s.Receipt.Head.PassTime)
	if err != nil || at.UTC().Format("2006-01-02T15:04:05") != "2026-12-06T01:30:00" {
		t.Fatalf("passTime: %v %v", at, err)
	}
}
