package singlewindow

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"
)

type testHead struct {
	No     string `xml:"orderNo" validate:"required,max=10"`
	Kind   string `xml:"appType" validate:"required,oneof=1 2 3"`
	Amount string `xml:"goodsValue" validate:"required,amount=19_5"`
	Time   string `xml:"appTime" validate:"swtime"`
}

type testLine struct {
	Gnum string `xml:"gnum" validate:"required,numeric"`
	Note string `xml:"note" validate:"required_if=Gnum 2"`
}

type testOrder struct {
	Head  testHead   `xml:"OrderHead"`
	Lines []testLine `xml:"OrderList" validate:"min=1,dive"`
}

type testMessage struct {
	XMLName xml.Name    `xml:"CEB311Message"`
	Orders  []testOrder `xml:"Order" validate:"min=1,dive"`
}

const good = `<?xml version="1.0" encoding="UTF-8"?>
<CEB311Message>
  <Order>
    <OrderHead><orderNo>O1</orderNo><appType>1</appType><goodsValue>100.50</goodsValue><appTime>20261206101500</appTime></OrderHead>
    <OrderList><gnum>1</gnum></OrderList>
  </Order>
</CEB311Message>
`

func TestDecodeAndValidateAGoodMessage(t *testing.T) {
	var m testMessage
	if err := Decode([]byte(good), &m); err != nil {
		t.Fatal(err)
	}
	if err := Validate(&m); err != nil {
		t.Fatal(err)
	}
	if m.Orders[0].Head.Amount != "100.50" {
		t.Fatalf("amount %q", m.Orders[0].Head.Amount)
	}
	out, err := Encode(&m)
	if err != nil {
		t.Fatal(err)
	}
	var back testMessage
	if err := Decode(out, &back); err != nil {
		t.Fatalf("re-reading our own output: %v\n%s", err, out)
	}
	if back.Orders[0].Head != m.Orders[0].Head {
		t.Fatalf("round trip changed the head: %+v", back.Orders[0].Head)
	}
}

func TestBrokenRulesNameTheElementPath(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, path, rule string
	}{
		{"missing", "<orderNo>O1</orderNo>", "", "CEB311Message/Order[0]/OrderHead/orderNo", "required"},
		{"too long", "<orderNo>O1</orderNo>", "<orderNo>O12345678901</orderNo>", "CEB311Message/Order[0]/OrderHead/orderNo", "max"},
		{"code list", "<appType>1</appType>", "<appType>4</appType>", "CEB311Message/Order[0]/OrderHead/appType", "oneof"},
		{"scale", "100.50", "100.123456", "CEB311Message/Order[0]/OrderHead/goodsValue", "amount"},
		{"sign", "100.50", "-1", "CEB311Message/Order[0]/OrderHead/goodsValue", "amount"},
		{"exponent", "100.50", "1e3", "CEB311Message/Order[0]/OrderHead/goodsValue", "amount"},
		{"time", "20261206101500", "2026-12-06", "CEB311Message/Order[0]/OrderHead/appTime", "swtime"},
		{"required if", "<gnum>1</gnum>", "<gnum>2</gnum>", "CEB311Message/Order[0]/OrderList[0]/note", "required_if"},
		{"a right-to-left override", "<orderNo>O1</orderNo>", "<orderNo>O\u202e1</orderNo>", "CEB311Message/Order[0]/OrderHead/orderNo", "character"},
		{"a C1 control in a line", "<gnum>1</gnum>", "<gnum>1</gnum><note>a\u0085b</note>", "CEB311Message/Order[0]/OrderList[0]/note", "character"},
		{"a zero-width space before a rule breaks", "<orderNo>O1</orderNo>", "<orderNo>\u200bO12345678901</orderNo>", "CEB311Message/Order[0]/OrderHead/orderNo", "character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m testMessage
			if err := Decode([]byte(strings.Replace(good, tc.from, tc.to, 1)), &m); err != nil {
				t.Fatal(err)
			}
			err := Validate(&m)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Rule != tc.rule {
				t.Fatalf("got %#v, want %s on %s", err, tc.rule, tc.path)
			}
		})
	}
}

func TestHostileInputIsRefused(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CEB311Message><Order><OrderHead><orderNo>&lol3;</orderNo></OrderHead></Order></CEB311Message>`
	external := `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CEB311Message>&e;</CEB311Message>`
	undeclared := `<CEB311Message><Order><OrderHead><orderNo>&lol;</orderNo></OrderHead></Order></CEB311Message>`
	deep := "<CEB311Message>" + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + "</CEB311Message>"
	huge := bytes.Repeat([]byte(" "), MaxMessageBytes+1)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"billion laughs", []byte(laughs), ErrDoctype},
		{"external entity", []byte(external), ErrDoctype},
		{"undeclared entity", []byte(undeclared), ErrMalformed},
		{"deep nesting", []byte(deep), ErrTooDeep},
		{"too large", huge, ErrTooLarge},
		{"truncated", []byte(good[:len(good)-20]), ErrMalformed},
		{"two roots", []byte(good + good[strings.Index(good, "<CEB"):]), ErrMalformed},
		{"text after", []byte(good + "junk"), ErrMalformed},
		{"not xml", []byte("{\"orderNo\":\"O1\"}"), ErrMalformed},
		{"other charset", []byte(`<?xml version="1.0" encoding="GBK"?><CEB311Message/>`), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m testMessage
			err := Decode(tc.in, &m)
			var fe *FieldError
			if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.Message == "" {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestAmountRule(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "12345678901234.12345": true, "123456789012345.1": false, "1.123456": false,
		"1.": false, ".5": false, "+1": false, "1,5": false, "00012.5": true,
	} {
		if got := fitsAmount(s, 19, 5); got != want {
			t.Errorf("fitsAmount(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestParseTimeWithMilliseconds: receipts write returnTime with
// milliseconds (yyyyMMddHHmmssSSS), e.g. 20170622155349698.
func TestParseTimeWithMilliseconds(t *testing.T) {
	got, err := ParseTime("20170622155349698")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2017, 6, 22, 15, 53, 49, 698e6, time.FixedZone("CST", 8*3600))
	if !got.Equal(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := ParseTime("2017062215534969x"); err == nil {
		t.Fatal("a letter in the milliseconds was read")
	}
}
