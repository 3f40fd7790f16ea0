package ceb

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFixturesRoundTrip decodes each fixture as sent (ceb: prefix,
// xmlns:xsi, CDATA), encodes it, compares the output with its golden file
// and decodes the output to the same message.
func TestFixturesRoundTrip(t *testing.T) {
	for _, c := range []struct {
		file string
		want any
	}{
		{"ceb311.xml", &OrderMessage{}},
		{"ceb411.xml", &PaymentMessage{}},
		{"ceb511.xml", &WaybillMessage{}},
	} {
		t.Run(c.file, func(t *testing.T) {
			v, err := Decode(fixture(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if reflect.TypeOf(v) != reflect.TypeOf(c.want) {
				t.Fatalf("decoded %T, want %T", v, c.want)
			}
			out, err := Encode(v)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, string(out), strings.TrimSuffix(c.file, ".xml")+".golden.xml")
			back, err := Decode(out)
			if err != nil {
				t.Fatalf("decoding our own output: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(back, v) {
				t.Fatalf("round trip changed the message:\n got %+v\nwant %+v", back, v)
			}
		})
	}
}

func TestFixtureFieldsAreRead(t *testing.T) {
	v, err := Decode(fixture(t, "ceb311.xml"))
	if err != nil {
		t.Fatal(err)
	}
	m := v.(*OrderMessage)
	if m.GUID != "5B1F3C0A-7E2D-4C59-9A61-0F2E8D4B7C11" || len(m.Orders) != 2 || m.BaseTransfer.DxpID != "DXPENT0000012345" {
		t.Fatalf("message %+v", m)
	}
	h := m.Orders[0].Head
	if h.OrderNo != "SO202612060001" || h.ActuralPaid != "224.11" || h.ConsigneeAddress != "北京市朝阳区建国路 88 号 & 1 单元" || h.EbcCode != "91310000MA1K000011" {
		t.Fatalf("head %+v", h)
	}
	if l := m.Orders[0].Lines[1]; l.ItemNo != "SKU-MASK-10" || l.TotalPrice != "80.00" {
		t.Fatalf("line %+v", l)
	}
	p := mustDecode[*PaymentMessage](t, "ceb411.xml").Payments[1].Head
	if p.OrderNo != "SO202612060002" || p.AmountPaid != "108.99" || p.PayerIDNumber != "310115198805142348" {
		t.Fatalf("payment %+v", p)
	}
	w := mustDecode[*WaybillMessage](t, "ceb511.xml").Waybills[0].Head
	if w.OrderNo != "SO202612060001" || w.LogisticsNo != "YT2612060000001" || w.Weight != "0.85" {
		t.Fatalf("waybill %+v", w)
	}
}

func mustDecode[T any](t *testing.T, file string) T {
	t.Helper()
	v, err := Decode(fixture(t, file))
	if err != nil {
		t.Fatal(err)
	}
	return v.(T)
}

// TestEncodeWritesTheCebPrefix: the output has the shape real senders
// send, <ceb:CEB311Message ... xmlns:ceb="…"> with ceb: on every element.
func TestEncodeWritesTheCebPrefix(t *testing.T) {
	out, err := Encode(mustDecode[*OrderMessage](t, "ceb311.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="5B1F3C0A-7E2D-4C59-9A61-0F2E8D4B7C11" version="1.0">`,
		"<ceb:OrderHead>", "<ceb:acturalPaid>224.11</ceb:acturalPaid>", "</ceb:CEB311Message>"} {
		if !strings.Contains(s, want) {
			t.Fatalf("output lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, `xmlns="`) {
		t.Fatalf("output declares a default namespace:\n%s", s)
	}
}

// edit returns the fixture with old replaced by new once.
func edit(t *testing.T, file, old, new string) []byte {
	t.Helper()
	s := string(fixture(t, file))
	if !strings.Contains(s, old) {
		t.Fatalf("%s lacks %q", file, old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

// TestFieldRulesNameTheElementPath: each broken rule of the messages is
// refused with the element path from the root.
func TestFieldRulesNameTheElementPath(t *testing.T) {
	for _, c := range []struct {
		name, file, old, new, path, rule string
	}{
		{"appType code list", "ceb311.xml", "<ceb:appType>1</ceb:appType>", "<ceb:appType>4</ceb:appType>", "CEB311Message/Order[0]/OrderHead/appType", "oneof"},
		{"appStatus code list", "ceb411.xml", "<ceb:appStatus>2</ceb:appStatus>", "<ceb:appStatus>3</ceb:appStatus>", "CEB411Message/Payment[0]/PaymentHead/appStatus", "oneof"},
		{"payerIdType 1 only", "ceb411.xml", "<ceb:payerIdType>1</ceb:payerIdType>", "<ceb:payerIdType>2</ceb:payerIdType>", "CEB411Message/Payment[0]/PaymentHead/payerIdType", "oneof"},
		{"currency 142 only", "ceb311.xml", "<ceb:currency>142</ceb:currency>\n            <ceb:buyerRegNo>buyer-li", "<ceb:currency>502</ceb:currency>\n            <ceb:buyerRegNo>buyer-li", "CEB311Message/Order[1]/OrderHead/currency", "oneof"},
		{"line currency", "ceb311.xml", "<ceb:currency>142</ceb:currency>\n            <ceb:country>133", "<ceb:currency>110</ceb:currency>\n            <ceb:country>133", "CEB311Message/Order[0]/OrderList[1]/currency", "oneof"},
		{"orderNo length", "ceb311.xml", "<ceb:orderNo>SO202612060002</ceb:orderNo>", "<ceb:orderNo>" + strings.Repeat("9", 61) + "</ceb:orderNo>", "CEB311Message/Order[1]/OrderHead/orderNo", "max"},
		{"required orderNo", "ceb511.xml", "<ceb:orderNo>SO202612060002</ceb:orderNo>", "", "CEB511Message/Logistics[1]/LogisticsHead/orderNo", "required"},
		{"payName required with payCode", "ceb311.xml", "<ceb:payName>示例支付有限公司</ceb:payName>", "", "CEB311Message/Order[0]/OrderHead/payName", "required_with"},
		{"amount", "ceb311.xml", "<ceb:goodsValue>99.90</ceb:goodsValue>", "<ceb:goodsValue>-99.90</ceb:goodsValue>", "CEB311Message/Order[1]/OrderHead/goodsValue", "amount"},
		{"amount scale", "ceb411.xml", "<ceb:amountPaid>108.99</ceb:amountPaid>", "<ceb:amountPaid>108.990001</ceb:amountPaid>", "CEB411Message/Payment[1]/PaymentHead/amountPaid", "amount"},
		{"time", "ceb411.xml", "<ceb:payTime>20261206093512</ceb:payTime>", "<ceb:payTime>2026-12-06</ceb:payTime>", "CEB411Message/Payment[1]/PaymentHead/payTime", "swtime"},
		{"gnum in order", "ceb311.xml", "<ceb:gnum>2</ceb:gnum>", "<ceb:gnum>3</ceb:gnum>", "CEB311Message/Order[0]/OrderList[1]/gnum", "gnum"},
		{"dxpMode", "ceb511.xml", "<ceb:dxpMode>DXP</ceb:dxpMode>", "<ceb:dxpMode>FTP</ceb:dxpMode>", "CEB511Message/BaseTransfer/dxpMode", "oneof"},
		{"guid attribute", "ceb311.xml", `guid="5B1F3C0A-7E2D-4C59-9A61-0F2E8D4B7C11" `, "", "CEB311Message/guid", "required"},
		{"no orders", "ceb511.xml", "<ceb:Logistics>", "<ceb:Ignored>", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := edit(t, c.file, c.old, c.new)
			if c.name == "no orders" {
				// Replace every waybill: the message then carries none.
				data = []byte(strings.NewReplacer("<ceb:Logistics>", "<ceb:Other>", "</ceb:Logistics>", "</ceb:Other>").Replace(string(fixture(t, c.file))))
				c.path, c.rule = "CEB511Message/Logistics", "min"
			}
			_, err := Decode(data)
			var fe *singlewindow.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FieldError", err)
			}
			if fe.Path != c.path || fe.Rule != c.rule || fe.Err != nil {
				t.Fatalf("got path %q rule %q err %v (%v); want %q %q", fe.Path, fe.Rule, fe.Err, fe, c.path, c.rule)
			}
		})
	}
}

// TestRefusesWhatIsNotAMessage: input that does not parse or is not one of
// the three messages is refused as malformed, naming where.
func TestRefusesWhatIsNotAMessage(t *testing.T) {
	for name, data := range map[string]string{
		"empty":          "",
		"not xml":        "orderNo=1",
		"other root":     `<ceb:CEB621Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>`,
		"no namespace":   `<CEB311Message guid="x" version="1.0"><Order/></CEB311Message>`,
		"unclosed":       string(fixture(t, "ceb311.xml"))[:900],
		"two roots":      string(fixture(t, "ceb411.xml")) + string(fixture(t, "ceb411.xml")),
		"gbk":            `<?xml version="1.0" encoding="GBK"?><ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>`,
		"billion laughs": `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">&lol2;</ceb:CEB311Message>`,
		"deep":           `<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</ceb:CEB311Message>`,
		"too large":      `<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:note>` + strings.Repeat("x", singlewindow.MaxMessageBytes) + `</ceb:note></ceb:CEB311Message>`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(data))
			var fe *singlewindow.FieldError
			if !errors.As(err, &fe) || fe.Err == nil {
				t.Fatalf("err = %v, want a FieldError with a sentinel", err)
			}
		})
	}
}
