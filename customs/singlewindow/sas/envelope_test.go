package sas

import (
	"bytes"
	"errors"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

const receipt = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Package xmlns="http://www.w3.org/2000/09/xmldsig#">
  <EnvelopInfo>
    <version>1.0</version>
    <message_id>CUS0000E0100002026120610000000000000001</message_id>
    <file_name>CUS0000E0100002026120610000000000000001.INV</file_name>
    <message_type>INV201</message_type>
    <sender_id>CUS0000</sender_id>
    <receiver_id>E010000</receiver_id>
    <send_time>2026-12-06T10:00:00</send_time>
  </EnvelopInfo>
  <DataInfo>
    <PocketInfo><pocket_id>P1</pocket_id><total_pocket_qty>1</total_pocket_qty><cur_pocket_no>1</cur_pocket_no></PocketInfo>
    <BussinessData><INV201><HdeApprResult><businessId>QD311126E000000001</businessId></HdeApprResult></INV201></BussinessData>
  </DataInfo>
</Package>`

type testINV201 struct {
	R struct {
		ID string `xml:"HdeApprResult>businessId" validate:"required,len=18"`
	} `xml:"INV201"`
}

func TestDecodeReceiptGivesTheEnvelopeAndTheReceipt(t *testing.T) {
	env, err := ReceiptType([]byte(receipt))
	if err != nil || env.MessageType != "INV201" || env.SenderID != "CUS0000" {
		t.Fatalf("envelope %+v, %v", env, err)
	}
	_, r, err := DecodeReceipt[testINV201]([]byte(receipt), "INV201")
	if err != nil || r.R.ID != "QD311126E000000001" {
		t.Fatalf("receipt %+v, %v", r, err)
	}
}

func TestDecodeReceiptRefusesTheWrongTypeOrABrokenField(t *testing.T) {
	short := bytes.Replace([]byte(receipt), []byte("QD311126E000000001"), []byte("QD31"), 1)
	noType := bytes.Replace([]byte(receipt), []byte("<message_type>INV201</message_type>"), nil, 1)
	for name, tc := range map[string]struct {
		in   []byte
		path string
	}{
		"wrong type":   {[]byte(receipt), "Package/EnvelopInfo/message_type"},
		"short number": {short, "Package/DataInfo/BussinessData/INV201/businessId"},
		"no type":      {noType, "Package/EnvelopInfo/message_type"},
	} {
		want := "INV201"
		if name == "wrong type" {
			want = "SAS221"
		}
		_, _, err := DecodeReceipt[testINV201](tc.in, want)
		var fe *singlewindow.FieldError
		if !errors.As(err, &fe) || fe.Path != tc.path {
			t.Errorf("%s: got %#v, want a field error on %s", name, err, tc.path)
		}
	}
}

func TestSignedEnvelopeRoundTrips(t *testing.T) {
	type body struct {
		Flag string `xml:"DelcareFlag"`
	}
	var m Signed[body]
	m.Object.Package.Envelope = EnvelopInfo{Version: "1.0", MessageID: "M1", MessageType: "INV101", SenderID: "E1", ReceiverID: "CUS"}
	m.Object.Package.Data.Business.Flag = "0"
	out, err := singlewindow.Encode(&m)
	if err != nil {
		t.Fatal(err)
	}
	var back Signed[body]
	if err := singlewindow.Decode(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Object.Package.Data.Business.Flag != "0" || back.Object.Package.Envelope != m.Object.Package.Envelope {
		t.Fatalf("round trip: %s", out)
	}
}
