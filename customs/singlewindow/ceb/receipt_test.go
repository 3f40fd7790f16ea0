package ceb_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
)

// TestReceiptFixturesDecode: the receipts written for the tests (testdata,
// the ceb: prefix as customs sends them, and a default namespace as some
// platforms' gateways forward them) decode with every field.
func TestReceiptFixturesDecode(t *testing.T) {
	for _, name := range []string{"ceb622-released.xml", "ceb622-default-namespace.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := ceb.DecodeReceipt(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(m.Returns) != 2 {
			t.Fatalf("%s: %d receipts, want 2", name, len(m.Returns))
		}
		r := m.Returns[1]
		if r.CopNo != "QLT2026111100001" || r.ReturnStatus != "800" || r.ReturnTime != "20261111093000123" || r.InvtNo != "02012026I000000001" || r.ReturnInfo != "放行" {
			t.Fatalf("%s: receipt %+v", name, r)
		}
	}
}

// TestReceiptRoundTrip: a receipt written with EncodeReceipt decodes to the
// same receipt.
func TestReceiptRoundTrip(t *testing.T) {
	in := ceb.CEB622Message{GUID: "c988cb9e-ea4b-463a-87c4-36e3d24aa7d9", Version: "1.0", Returns: []ceb.InventoryReturn{{
		GUID: "f5885dd5-b765-41de-8f0f-e5a30592885c", CustomsCode: "0201", EbpCode: "TMALL", EbcCode: "1205960001", AgentCode: "1205960000",
		CopNo: "QLT1", PreNo: "B2026111100001", InvtNo: "02012026I000000001", ReturnStatus: "100", ReturnTime: "20261111093000", ReturnInfo: "退单: 订购人身份信息不符"}}}
	out, err := ceb.EncodeReceipt(in)
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, string(out), "ceb622.golden.xml")
	got, err := ceb.DecodeReceipt(out)
	if err != nil {
		t.Fatal(err)
	}
	got.XMLName = in.XMLName
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("decoded %+v, want %+v", got, in)
	}
}

// TestBrokenReceiptNamesTheElement: a receipt that breaks a field rule is
// refused naming the element path; hostile input is refused by the base
// decoder.
func TestBrokenReceiptNamesTheElement(t *testing.T) {
	bad := []byte(`<ceb:CEB622Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="g" version="1.0"><ceb:InventoryReturn>
<ceb:guid>g1</ceb:guid><ceb:ebpCode>TMALL</ceb:ebpCode><ceb:ebcCode>E</ceb:ebcCode><ceb:copNo>QL1</ceb:copNo>
<ceb:returnStatus>800</ceb:returnStatus><ceb:returnTime>2026-11-11</ceb:returnTime></ceb:InventoryReturn></ceb:CEB622Message>`)
	_, err := ceb.DecodeReceipt(bad)
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) || fe.Path != "CEB622Message/InventoryReturn[0]/returnTime" {
		t.Fatalf("got %v, want a field error at CEB622Message/InventoryReturn[0]/returnTime", err)
	}
	laughs := []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CEB622Message/>`)
	if _, err := ceb.DecodeReceipt(laughs); !errors.Is(err, singlewindow.ErrDoctype) {
		t.Fatalf("got %v, want ErrDoctype", err)
	}
}
