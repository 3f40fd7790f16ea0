package tests

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// The single-window messages as a sender writes them, with literal ceb:
// names: the tests build their own XML, as a platform's system would.
type cebTransfer struct {
	CopCode string `xml:"ceb:copCode"`
	CopName string `xml:"ceb:copName"`
	DxpMode string `xml:"ceb:dxpMode"`
	DxpID   string `xml:"ceb:dxpId"`
}

type cebApp struct {
	GUID      string `xml:"ceb:guid"`
	AppType   string `xml:"ceb:appType"`
	AppTime   string `xml:"ceb:appTime"`
	AppStatus string `xml:"ceb:appStatus"`
}

type ceb311 struct {
	XMLName  xml.Name    `xml:"ceb:CEB311Message"`
	NS       string      `xml:"xmlns:ceb,attr"`
	GUID     string      `xml:"guid,attr"`
	Version  string      `xml:"version,attr"`
	Orders   []cebOrder  `xml:"ceb:Order"`
	Transfer cebTransfer `xml:"ceb:BaseTransfer"`
}

type cebOrder struct {
	Head struct {
		cebApp
		OrderType, OrderNo, EbpCode, EbpName, EbcCode, EbcName                     string
		GoodsValue, Freight, Discount, TaxTotal, ActuralPaid, Currency, BuyerRegNo string
		BuyerName, BuyerTelephone, BuyerIDType, BuyerIDNumber                      string
		Consignee, ConsigneeTelephone, ConsigneeAddress                            string
	} `xml:"ceb:OrderHead"`
	Lines []cebOrderLine `xml:"ceb:OrderList"`
}

type cebOrderLine struct {
	Gnum, ItemNo, ItemName, Gmodel, Unit, Qty, Price, TotalPrice, Currency, Country string
}

type ceb411 struct {
	XMLName  xml.Name    `xml:"ceb:CEB411Message"`
	NS       string      `xml:"xmlns:ceb,attr"`
	GUID     string      `xml:"guid,attr"`
	Version  string      `xml:"version,attr"`
	Payments []cebPay    `xml:"ceb:Payment>ceb:PaymentHead"`
	Transfer cebTransfer `xml:"ceb:BaseTransfer"`
}

type cebPay struct {
	cebApp
	PayCode, PayName, PayTransactionID, OrderNo, EbpCode, EbpName                   string
	PayerIDType, PayerIDNumber, PayerName, Telephone, AmountPaid, Currency, PayTime string
}

type ceb511 struct {
	XMLName  xml.Name     `xml:"ceb:CEB511Message"`
	NS       string       `xml:"xmlns:ceb,attr"`
	GUID     string       `xml:"guid,attr"`
	Version  string       `xml:"version,attr"`
	Waybills []cebWaybill `xml:"ceb:Logistics>ceb:LogisticsHead"`
	Transfer cebTransfer  `xml:"ceb:BaseTransfer"`
}

type cebWaybill struct {
	cebApp
	LogisticsCode, LogisticsName, LogisticsNo, OrderNo, Freight, InsuredFee, Currency string
	Weight, PackNo, Consignee, ConsigneeAddress, ConsigneeTelephone                   string
}

// cebXML writes a message struct as XML, renaming its untagged fields to
// the messages' element names (orderNo, ebcCode, payerIdNumber, …): Go
// field names become lowerCamel with "ID" as "Id", under the ceb: prefix.
func cebXML(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	raw, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.StartElement:
			x.Name = cebName(x.Name)
			for i, a := range x.Attr {
				if a.Name.Space != "" {
					x.Attr[i].Name = xml.Name{Local: a.Name.Space + ":" + a.Name.Local}
				}
			}
			tok = x
		case xml.EndElement:
			x.Name = cebName(x.Name)
			tok = x
		}
		if err := enc.EncodeToken(tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func cebName(n xml.Name) xml.Name {
	if n.Space != "" {
		return xml.Name{Local: n.Space + ":" + n.Local}
	}
	local := strings.ReplaceAll(n.Local, "ID", "Id")
	return xml.Name{Local: "ceb:" + strings.ToLower(local[:1]) + local[1:]}
}

var cebApp1 = cebApp{GUID: "00000000-0000-0000-0000-000000000001", AppType: "1", AppTime: "20261206093000", AppStatus: "2"}

func cebTransferOf(code string) cebTransfer {
	return cebTransfer{CopCode: code, CopName: code, DxpMode: "DXP", DxpID: "DXPENT0000000001"}
}

// orderMessage is the order of d as a CEB311 message.
func orderMessage(t *testing.T, d docs) []byte {
	t.Helper()
	o := d.order
	var co cebOrder
	h := &co.Head
	h.cebApp, h.OrderType, h.OrderNo, h.EbpCode, h.EbpName, h.EbcCode, h.EbcName = cebApp1, "I", o.GetOrderNo(), "TMALL", "Tmall", o.GetEnterprise(), "Shop"
	h.GoodsValue, h.Freight, h.Discount, h.TaxTotal, h.ActuralPaid, h.Currency = o.GetGoodsValue(), o.GetFreight(), "0", o.GetTaxTotal(), o.GetActualPaid(), "142"
	h.BuyerRegNo, h.BuyerName, h.BuyerTelephone, h.BuyerIDType, h.BuyerIDNumber = "b", o.GetBuyer().GetName(), o.GetBuyer().GetPhone(), "1", o.GetBuyer().GetIdNumber()
	h.Consignee, h.ConsigneeTelephone, h.ConsigneeAddress = o.GetConsignee().GetName(), o.GetConsignee().GetPhone(), o.GetConsignee().GetAddress()
	for i, l := range o.GetLines() {
		co.Lines = append(co.Lines, cebOrderLine{Gnum: fmt.Sprint(i + 1), ItemNo: l.GetItemNo(), ItemName: l.GetName(), Gmodel: "-", Unit: "001",
			Qty: l.GetQuantity(), Price: l.GetPrice(), TotalPrice: l.GetTotal(), Currency: "142", Country: "116"})
	}
	return cebXML(t, &ceb311{NS: "http://www.chinaport.gov.cn/ceb", GUID: "m311-" + o.GetOrderNo(), Version: "1.0", Orders: []cebOrder{co}, Transfer: cebTransferOf("TMALL")})
}

// paymentMessage is the payment of d as a CEB411 message.
func paymentMessage(t *testing.T, d docs) []byte {
	t.Helper()
	p := d.payment
	return cebXML(t, &ceb411{NS: "http://www.chinaport.gov.cn/ceb", GUID: "m411-" + p.GetOrderNo(), Version: "1.0", Transfer: cebTransferOf("ALIPAY"),
		Payments: []cebPay{{cebApp: cebApp1, PayCode: p.GetPayCode(), PayName: "Alipay", PayTransactionID: p.GetTransactionId(), OrderNo: p.GetOrderNo(),
			EbpCode: "TMALL", EbpName: "Tmall", PayerIDType: "1", PayerIDNumber: p.GetPayer().GetIdNumber(), PayerName: p.GetPayer().GetName(),
			Telephone: p.GetPayer().GetPhone(), AmountPaid: p.GetAmount(), Currency: "142", PayTime: "20261206092900"}}})
}

// waybillMessage is the waybill of d as a CEB511 message.
func waybillMessage(t *testing.T, d docs) []byte {
	t.Helper()
	w := d.waybill
	c := w.GetConsignee()
	return cebXML(t, &ceb511{NS: "http://www.chinaport.gov.cn/ceb", GUID: "m511-" + w.GetOrderNo(), Version: "1.0", Transfer: cebTransferOf("SF"),
		Waybills: []cebWaybill{{cebApp: cebApp1, LogisticsCode: w.GetLogisticsCode(), LogisticsName: "SF Express", LogisticsNo: w.GetLogisticsNo(), OrderNo: w.GetOrderNo(),
			Freight: "10", InsuredFee: "0", Currency: "142", Weight: "2.5", PackNo: "1", Consignee: c.GetName(), ConsigneeAddress: c.GetAddress(), ConsigneeTelephone: c.GetPhone()}}})
}

// TestSubmitMessagesReleasesAnOrder: an order's three messages, as files a
// platform, a payment firm and a logistics firm send, release its list
// over gRPC; a refused message names the element path in its result.
func TestSubmitMessagesReleasesAnOrder(t *testing.T) {
	e := newEcomEnv(t)
	d := e.order(t, "XML-1", "0201", "1", "3000")
	bad := bytes.Replace(orderMessage(t, e.order(t, "XML-2", "0202", "1", "3000")), []byte("<ceb:currency>142</ceb:currency>"), []byte("<ceb:currency>502</ceb:currency>"), 1)
	r, err := e.ecom.SubmitMessages(ctxAs(t, e.platform), &customsv1.SubmitMessagesRequest{Messages: [][]byte{orderMessage(t, d), paymentMessage(t, d), waybillMessage(t, d), bad}})
	if err != nil {
		t.Fatalf("SubmitMessages: %v", err)
	}
	res := r.GetResults()
	if len(res) != 4 {
		t.Fatalf("%d results: %v", len(res), res)
	}
	if w := res[2]; w.GetKind() != "waybill" || w.GetOrderNo() != "XML-1" || w.GetMessage() != 2 || w.GetDocument() != 0 ||
		w.GetOrder().GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED || w.GetOrder().GetListNo() == "" {
		t.Fatalf("waybill answered %v", w)
	}
	if b := res[3]; b.GetDocument() != -1 || b.GetError().GetReason() != "MESSAGE_FIELD" || b.GetError().GetField() != "messages[3]/CEB311Message/Order[0]/OrderHead/currency" {
		t.Fatalf("bad message answered %v", b)
	}
	e.wantStock(t, e.book, lineNotebook, st{bonded: "99"})
	if _, err := e.ecom.GetOrder(ctxAs(t, e.platform), &customsv1.GetOrderRequest{OrderNo: "XML-2"}); status.Code(err) != codes.NotFound {
		t.Fatalf("the refused message's order: %v", err)
	}
}

// TestSubmitMessagesRefusesHostileXML: billion laughs and deep nesting are
// refused as malformed messages, without expanding anything; a 100 MB
// request is refused by the server's read limit before any handler runs;
// the server goes on serving.
func TestSubmitMessagesRefusesHostileXML(t *testing.T) {
	e := newEcomEnv(t)
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol9 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>` +
		`<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0">&lol9;</ceb:CEB311Message>`
	deep := `<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0">` +
		strings.Repeat("<ceb:Order>", 10000) + strings.Repeat("</ceb:Order>", 10000) + `</ceb:CEB311Message>`
	r, err := e.ecom.SubmitMessages(ctxAs(t, e.platform), &customsv1.SubmitMessagesRequest{Messages: [][]byte{[]byte(laughs), []byte(deep)}})
	if err != nil || len(r.GetResults()) != 2 {
		t.Fatalf("hostile messages: %v %v", r, err)
	}
	for i, res := range r.GetResults() {
		if res.GetDocument() != -1 || res.GetError().GetReason() != "MESSAGE_MALFORMED" || res.GetError().GetCode() != "INVALID_ARGUMENT" {
			t.Errorf("hostile message %d answered %v", i, res)
		}
	}
	huge := bytes.Repeat([]byte("<ceb:note>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</ceb:note>"), (100<<20)/64)
	_, err = e.ecom.SubmitMessages(ctxAs(t, e.platform), &customsv1.SubmitMessagesRequest{Messages: [][]byte{huge}})
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("100 MB request: %v, want ResourceExhausted", err)
	}
	d := e.order(t, "XML-AFTER", "0203", "1", "3000")
	r, err = e.ecom.SubmitMessages(ctxAs(t, e.platform), &customsv1.SubmitMessagesRequest{Messages: [][]byte{orderMessage(t, d), paymentMessage(t, d), waybillMessage(t, d)}})
	if err != nil || r.GetResults()[2].GetOrder().GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED {
		t.Fatalf("after the 100 MB request: %v %v", r, err)
	}
}

// TestZonectlEcommerceImport: zonectl sends a folder of message files as
// they are; the orders are released, a broken file is one REFUSED row
// naming the element, the exit code is 1; the folder again changes nothing.
func TestZonectlEcommerceImport(t *testing.T) {
	needZonectl(t)
	e := newEcomEnv(t)
	c := &ctl{t: t, addr: e.s.Addr, dir: t.TempDir()}
	dir := filepath.Join(c.dir, "outbox")
	if err := os.MkdirAll(filepath.Join(dir, "payments"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, no := range []string{"CLI-1", "CLI-2"} {
		d := e.order(t, no, fmt.Sprintf("03%02d", i), "1", "3000")
		write(fmt.Sprintf("CEB311_%d.xml", i), orderMessage(t, d))
		write(fmt.Sprintf("payments/CEB411_%d.xml", i), paymentMessage(t, d))
		write(fmt.Sprintf("CEB511_%d.xml", i), waybillMessage(t, d))
	}
	write("CEB311_9.xml", []byte(`<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="x" version="1.0"><ceb:Order>`))
	write("notes.txt", []byte("not a message"))
	for round := range 2 {
		out, errOut, code := c.run(e.platform, "-o", "csv", "customs", "ecommerce", "import", "--batch", "3", dir)
		if code != 1 {
			t.Fatalf("round %d: exit %d, want 1\n%s\n%s", round, code, out, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) != 8 {
			t.Fatalf("round %d: %d rows (%v):\n%s", round, len(rows), err, out)
		}
		released, refused := 0, 0
		for _, r := range rows[1:] {
			switch r[4] {
			case "RELEASED":
				released++
			case "REFUSED":
				refused++
				if !strings.HasSuffix(r[0], "CEB311_9.xml") || r[1] != "-1" || r[6] != "MESSAGE_MALFORMED" {
					t.Fatalf("round %d: refused row %v", round, r)
				}
			}
		}
		if released < 2 || refused != 1 || !strings.Contains(errOut, "orders: 2 released, 0 pending, 0 rejected") {
			t.Fatalf("round %d: %d released, %d refused\n%s\n%s", round, released, refused, out, errOut)
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: "98"})
	}
}
