package sas

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// sampleINV101 is a list with every field the exporter fills.
func sampleINV101() (EnvelopInfo, INV101) {
	env := EnvelopInfo{Version: "1.0", MessageID: "INV101QD460126I00000000120261206091500", FileName: "QD460126I000000001.INV101.xml",
		SenderID: "4601360068", ReceiverID: "CUS0000", SendTime: "2026-12-06T09:15:00"}
	m := INV101{DeclareFlag: "1", Message: INV101Message{SysID: "Z8", OperCusRegCode: "4601360068",
		Head: INV101Head{PutrecNo: "T4601W000001", EtpsInnerInvtNo: "ERP-IN-2026-0001",
			BizopEtpsSccd: "91460100MA5TYC6800", BizopEtpsno: "4601360068", BizopEtpsNm: "海口椰城物流有限公司",
			RvsngdEtpsSccd: "91460100MA5TYC6800", RcvgdEtpsno: "4601360068", RcvgdEtpsNm: "海口椰城物流有限公司",
			DclEtpsSccd: "91460100MA5TYC6800", DclEtpsno: "4601360068", DclEtpsNm: "海口椰城物流有限公司",
			DclPlcCuscd: "4601", ImpexpMarkcd: "E", MtpckEndprdMarkcd: "E", SupvModecd: "5034", DclcusFlag: "1", DclcusTypecd: "2",
			StshipTrsarvNatcd: "502", InvtType: "0", EntryNo: "460120261000000002", DclTypecd: "1", InputTime: "20261206"},
		Lines: []INV101Line{
			{GdsSeqno: "1", PutrecSeqno: "2", GdsMtno: "FG-9", Gdecd: "8471300000", GdsNm: "笔记本电脑", GdsSpcfModelDesc: "1|0|便携|无品牌",
				DclUnitcd: "001", DclQty: "40", LawfUnitcd: "001", LawfQty: "40", SecdLawfUnitcd: "035", SecdLawfQty: "88.4",
				DclCurrcd: "142", DclUprcAmt: "3500.5", DclTotalAmt: "140020", DestinationNatcd: "502", GrossWt: "100", NetWt: "88.4", ModfMarkcd: "3"},
		}}}
	return env, m
}

func TestINV101IsProducedAsTheGoldenFiles(t *testing.T) {
	env, m := sampleINV101()
	x, err := EncodeINV101(env, m)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, string(x), "inv101_golden.xml")
	j, err := EncodeINV101JSON(m)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, string(j), "inv101_golden.json")

	env2, back, err := DecodeINV101(x)
	if err != nil {
		t.Fatal(err)
	}
	env.MessageType = MessageINV101
	if env2 != env || back.Message.Head != m.Message.Head || back.Message.Lines[0] != m.Message.Lines[0] || back.DeclareFlag != "1" {
		t.Fatalf("XML round trip changed the message: %+v", back)
	}
	backJ, err := DecodeINV101JSON(j)
	if err != nil {
		t.Fatal(err)
	}
	if backJ.Message.Head != m.Message.Head || backJ.Message.Lines[0] != m.Message.Lines[0] || backJ.DeclareFlag != "1" {
		t.Fatalf("JSON round trip changed the message: %+v", backJ)
	}
}

func TestINV101FixtureFromTheFieldListDecodes(t *testing.T) {
	data, err := os.ReadFile("testdata/inv101_fixture.xml")
	if err != nil {
		t.Fatal(err)
	}
	env, m, err := DecodeINV101(data)
	if err != nil {
		t.Fatal(err)
	}
	h, l := m.Message.Head, m.Message.Lines[0]
	if env.SenderID != "4601360068" || m.DeclareFlag != "1" || h.EtpsInnerInvtNo != "ERP-IN-2026-0001" || h.PutrecNo != "T4601W000001" ||
		h.SupvModecd != "5034" || h.ImpexpMarkcd != "I" || l.PutrecSeqno != "1" || l.DclQty != "1200.5" || l.DclUprcAmt != "12.3456" {
		t.Fatalf("decoded %+v", m)
	}
}

func TestINV101BrokenRulesNameTheElementPath(t *testing.T) {
	data, err := os.ReadFile("testdata/inv101_fixture.xml")
	if err != nil {
		t.Fatal(err)
	}
	const head = "Signature/Object/Package/DataInfo/BussinessData/InvtMessage/InvtHeadType/"
	const line = "Signature/Object/Package/DataInfo/BussinessData/InvtMessage/InvtListType[0]/"
	for _, tc := range []struct{ name, from, to, path, rule string }{
		{"no inner number", "<EtpsInnerInvtNo>ERP-IN-2026-0001</EtpsInnerInvtNo>", "", head + "EtpsInnerInvtNo", "required"},
		{"io flag", "<ImpexpMarkcd>I</ImpexpMarkcd>", "<ImpexpMarkcd>X</ImpexpMarkcd>", head + "ImpexpMarkcd", "oneof"},
		{"trade mode", "<SupvModecd>5034</SupvModecd>", "<SupvModecd>50a4</SupvModecd>", head + "SupvModecd", "numeric"},
		{"declare flag", "<DelcareFlag>1</DelcareFlag>", "<DelcareFlag>2</DelcareFlag>", "Signature/Object/Package/DataInfo/BussinessData/DelcareFlag", "oneof"},
		{"quantity", "<DclQty>1200.5</DclQty>", "<DclQty>-1</DclQty>", line + "DclQty", "amount"},
		{"unit price scale", "<DclUprcAmt>12.3456</DclUprcAmt>", "<DclUprcAmt>12.34567</DclUprcAmt>", line + "DclUprcAmt", "amount"},
		{"no book line", "<PutrecSeqno>1</PutrecSeqno>\n              <GdsMtno>MAT-001</GdsMtno>", "", line + "PutrecSeqno", "required_without"},
		{"date", "<InputTime>20261206</InputTime>", "<InputTime>2026-12-06</InputTime>", head + "InputTime", "swdate"},
		{"message type", "<message_type>INV101</message_type>", "<message_type>SAS121</message_type>", "Signature/Object/Package/EnvelopInfo/message_type", "oneof"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(string(data), tc.from, tc.to, 1)
			if in == string(data) {
				t.Fatalf("fixture has no %q", tc.from)
			}
			_, _, err := DecodeINV101([]byte(in))
			var fe *singlewindow.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Rule != tc.rule {
				t.Fatalf("got %#v, want %s on %s", err, tc.rule, tc.path)
			}
		})
	}
}

func TestINV101JSONErrorsNameTheJSONPath(t *testing.T) {
	_, m := sampleINV101()
	j, err := EncodeINV101JSON(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, from, to, path, rule string }{
		{"quantity", `"dclQty": "40"`, `"dclQty": "4e1"`, "list[0]/dclQty", ""},
		{"number not string", `"dclQty": "40"`, `"dclQty": 40`, "list/dclQty", ""},
		{"io", `"impexpMarkcd": "E"`, `"impexpMarkcd": "e"`, "head/impexpMarkcd", ""},
		{"unknown name", `"gdsSeqno"`, `"colour": "red", "gdsSeqno"`, "", ""},
		{"a right-to-left override, escaped", `"gdsNm": "笔记本电脑"`, `"gdsNm": "笔记本\u202e电脑"`, "list[0]/gdsNm", "character"},
		{"an escape character", `"impexpMarkcd": "E"`, `"impexpMarkcd": "E\u001b[2J"`, "head/impexpMarkcd", "character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := strings.Replace(string(j), tc.from, tc.to, 1)
			if in == string(j) {
				t.Fatalf("no %q in %s", tc.from, j)
			}
			_, err := DecodeINV101JSON([]byte(in))
			var fe *singlewindow.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || tc.rule != "" && fe.Rule != tc.rule {
				t.Fatalf("got %#v, want a field error on %q (rule %q)", err, tc.path, tc.rule)
			}
		})
	}
}

func TestINV101HostileInputIsRefused(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Signature>&b;</Signature>`
	if _, _, err := DecodeINV101([]byte(laughs)); !errors.Is(err, singlewindow.ErrDoctype) {
		t.Fatalf("billion laughs: %v", err)
	}
	big := append([]byte(`{"head":{"rmk":"`), bytes.Repeat([]byte("x"), singlewindow.MaxMessageBytes)...)
	if _, err := DecodeINV101JSON(big); !errors.Is(err, singlewindow.ErrTooLarge) {
		t.Fatalf("too large JSON: %v", err)
	}
}

func TestINV201FixtureDecodes(t *testing.T) {
	data, err := os.ReadFile("testdata/inv201_fixture.xml")
	if err != nil {
		t.Fatal(err)
	}
	env, r, err := DecodeINV201(data)
	if err != nil {
		t.Fatal(err)
	}
	if env.MessageType != "INV201" || r.Result.BusinessID != "QD460126I000000001" || r.Result.ManageResult != "4" ||
		r.Head == nil || r.Head.EtpsInnerInvtNo != "ERP-IN-2026-0001" || r.Head.VrfdedMarkcd != "1" || len(r.Lines) != 1 {
		t.Fatalf("decoded %+v %+v", env, r)
	}
	short := strings.Replace(string(data), "<businessId>QD460126I000000001</businessId>", "<businessId>QD46</businessId>", 1)
	_, _, err = DecodeINV201([]byte(short))
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) || fe.Path != INV201Path("HdeApprResult/businessId") {
		t.Fatalf("short number: %v", err)
	}

	// What EncodeINV201 writes decodes to the same receipt.
	out, err := EncodeINV201(env, PocketInfo{PocketID: "P1", TotalPocketQty: "1", CurPocketNo: "1"}, r)
	if err != nil {
		t.Fatal(err)
	}
	_, back, err := DecodeINV201(out)
	if err != nil || back.Result != r.Result || *back.Head != *r.Head {
		t.Fatalf("re-read: %v %+v", err, back)
	}
}
