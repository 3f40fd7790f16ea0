package demo

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

var updateDay = flag.Bool("update-ecommerce-day", false, "rewrite the outbox's message files (ecommerce_day/) from the script, with the tax a server quotes")

// TestEcommerceDayFiles: the outbox's message files are the script's
// documents, each as its sender writes it: written again from the script
// with the tax the files withhold, they are the same bytes, and they are
// the documents the demo sends, in its order. That the tax withheld is
// TaxService/Quote's, TestDemo checks (the demo compares every order's tax
// with its quote). go test -run TestEcommerceDayFiles -update-ecommerce-day
// rewrites the files, quoting the tax on an in-process server.
func TestEcommerceDayFiles(t *testing.T) {
	cast := newSalesCast()
	s, _, err := predictSales(cast, 2026, 10, 31, ecomOutboxDay)
	if err != nil {
		t.Fatal(err)
	}
	var taxes map[string]decimal.Decimal
	if *updateDay {
		taxes = quoteDay(t, s)
	} else {
		taxes = withheldInFiles(t, s)
	}
	want := map[string][]byte{}
	put := func(dir string, n int, kind byte, o *shopOrder) {
		tax, ok := taxes[o.No]
		if !ok {
			t.Fatalf("no tax for order %s", o.No)
		}
		want[filepath.Join(dir, fmt.Sprintf("%03d-%c-%s.xml", n, kind, o.No))] = dayMessage(t, cast, o, kind, tax)
	}
	n := 0
	for _, dc := range s.Singles {
		o := s.Orders[dc.Order]
		if dc.Kind == 'O' && o.Proof != "" {
			continue
		}
		n++
		put("single", n, dc.Kind, o)
	}
	for bi, docs := range s.Batches {
		for i, dc := range docs {
			put(fmt.Sprintf("batch%d", bi+1), i+1, dc.Kind, s.Orders[dc.Order])
		}
	}
	if *updateDay {
		if err := os.RemoveAll("ecommerce_day"); err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			p := filepath.Join("ecommerce_day", name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := 0
	err = filepath.WalkDir("ecommerce_day", func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		got++
		name, _ := filepath.Rel("ecommerce_day", p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if w, ok := want[name]; !ok || !bytes.Equal(b, w) {
			t.Errorf("ecommerce_day/%s is not the script's document (-update-ecommerce-day rewrites it)", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Errorf("ecommerce_day has %d files; the script sends %d", got, len(want))
	}
	// The embedded outbox is what the demo sends, in its order.
	if _, _, err := dayFiles(s); err != nil {
		t.Fatal(err)
	}
}

// withheldInFiles reads each order's withheld tax from its CEB311 file, or
// for the order without one from its payment (amountPaid + what the script
// pays short − goods − freight + discount).
func withheldInFiles(t *testing.T, s *salesScript) map[string]decimal.Decimal {
	t.Helper()
	out := map[string]decimal.Decimal{}
	byNo := map[string]*shopOrder{}
	for _, o := range s.Orders {
		byNo[o.No] = o
	}
	err := filepath.WalkDir("ecommerce_day", func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var m struct {
			Tax     string `xml:"Order>OrderHead>taxTotal"`
			OrderNo string `xml:"Payment>PaymentHead>orderNo"`
			Paid    string `xml:"Payment>PaymentHead>amountPaid"`
		}
		if err := xml.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		switch {
		case m.Tax != "":
			no := strings.TrimSuffix(filepath.Base(p), ".xml")[6:]
			out[no] = d(m.Tax)
		case m.Paid != "":
			o := byNo[m.OrderNo]
			if _, ok := out[o.No]; !ok && o.Proof != "" {
				out[o.No] = d(m.Paid).Add(o.PayShort).Sub(o.goods()).Sub(o.Freight).Add(o.Discount)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// quoteDay asks an in-process server's TaxService/Quote for each order's
// tax on ecomOutboxDay, as the platform did when it wrote the outbox.
func quoteDay(t *testing.T, s *salesScript) map[string]decimal.Decimal {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := server.Start(ctx, server.Config{DataDir: pgtest.TempDir(t), Listen: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Stop(context.Background()) }()
	tok, err := os.ReadFile(srv.AdminTokenFile)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := grpc.NewClient(srv.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tc := customsv1.NewTaxServiceClient(conn)
	actx := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+strings.TrimSpace(string(tok)))
	out := map[string]decimal.Decimal{}
	for _, o := range s.Orders {
		q, err := tc.Quote(actx, quoteRequest(o, ecomOutboxDay))
		if err != nil {
			t.Fatalf("Quote %s: %v", o.No, err)
		}
		out[o.No] = d(q.GetTotal())
	}
	return out
}

// The messages as their senders write them: encoding/xml with the ceb:
// prefix written into the element names.
type (
	xTransfer struct {
		CopCode string `xml:"ceb:copCode"`
		CopName string `xml:"ceb:copName"`
		DxpMode string `xml:"ceb:dxpMode"`
		DxpID   string `xml:"ceb:dxpId"`
	}
	xRoot struct {
		NS      string `xml:"xmlns:ceb,attr"`
		GUID    string `xml:"guid,attr"`
		Version string `xml:"version,attr"`
	}
	xApp struct {
		GUID      string `xml:"ceb:guid"`
		AppType   string `xml:"ceb:appType"`
		AppTime   string `xml:"ceb:appTime"`
		AppStatus string `xml:"ceb:appStatus"`
	}
	xOrderHead struct {
		xApp
		OrderType          string `xml:"ceb:orderType"`
		OrderNo            string `xml:"ceb:orderNo"`
		EbpCode            string `xml:"ceb:ebpCode"`
		EbpName            string `xml:"ceb:ebpName"`
		EbcCode            string `xml:"ceb:ebcCode"`
		EbcName            string `xml:"ceb:ebcName"`
		GoodsValue         string `xml:"ceb:goodsValue"`
		Freight            string `xml:"ceb:freight"`
		Discount           string `xml:"ceb:discount"`
		TaxTotal           string `xml:"ceb:taxTotal"`
		ActuralPaid        string `xml:"ceb:acturalPaid"`
		Currency           string `xml:"ceb:currency"`
		BuyerRegNo         string `xml:"ceb:buyerRegNo"`
		BuyerName          string `xml:"ceb:buyerName"`
		BuyerTelephone     string `xml:"ceb:buyerTelephone"`
		BuyerIDType        string `xml:"ceb:buyerIdType"`
		BuyerIDNumber      string `xml:"ceb:buyerIdNumber"`
		Consignee          string `xml:"ceb:consignee"`
		ConsigneeTelephone string `xml:"ceb:consigneeTelephone"`
		ConsigneeAddress   string `xml:"ceb:consigneeAddress"`
	}
	xOrderLine struct {
		Gnum       int    `xml:"ceb:gnum"`
		ItemNo     string `xml:"ceb:itemNo"`
		ItemName   string `xml:"ceb:itemName"`
		Gmodel     string `xml:"ceb:gmodel"`
		Unit       string `xml:"ceb:unit"`
		Qty        string `xml:"ceb:qty"`
		Price      string `xml:"ceb:price"`
		TotalPrice string `xml:"ceb:totalPrice"`
		Currency   string `xml:"ceb:currency"`
		Country    string `xml:"ceb:country"`
	}
	xCEB311 struct {
		XMLName xml.Name `xml:"ceb:CEB311Message"`
		xRoot
		Head     xOrderHead   `xml:"ceb:Order>ceb:OrderHead"`
		Lines    []xOrderLine `xml:"ceb:Order>ceb:OrderList"`
		Transfer xTransfer    `xml:"ceb:BaseTransfer"`
	}
	xPaymentHead struct {
		xApp
		PayCode          string `xml:"ceb:payCode"`
		PayName          string `xml:"ceb:payName"`
		PayTransactionID string `xml:"ceb:payTransactionId"`
		OrderNo          string `xml:"ceb:orderNo"`
		EbpCode          string `xml:"ceb:ebpCode"`
		EbpName          string `xml:"ceb:ebpName"`
		PayerIDType      string `xml:"ceb:payerIdType"`
		PayerIDNumber    string `xml:"ceb:payerIdNumber"`
		PayerName        string `xml:"ceb:payerName"`
		Telephone        string `xml:"ceb:telephone"`
		AmountPaid       string `xml:"ceb:amountPaid"`
		Currency         string `xml:"ceb:currency"`
		PayTime          string `xml:"ceb:payTime"`
	}
	xCEB411 struct {
		XMLName xml.Name `xml:"ceb:CEB411Message"`
		xRoot
		Head     xPaymentHead `xml:"ceb:Payment>ceb:PaymentHead"`
		Transfer xTransfer    `xml:"ceb:BaseTransfer"`
	}
	xWaybillHead struct {
		xApp
		LogisticsCode      string `xml:"ceb:logisticsCode"`
		LogisticsName      string `xml:"ceb:logisticsName"`
		LogisticsNo        string `xml:"ceb:logisticsNo"`
		OrderNo            string `xml:"ceb:orderNo"`
		Freight            string `xml:"ceb:freight"`
		InsuredFee         string `xml:"ceb:insuredFee"`
		Currency           string `xml:"ceb:currency"`
		Weight             string `xml:"ceb:weight"`
		PackNo             string `xml:"ceb:packNo"`
		GoodsInfo          string `xml:"ceb:goodsInfo"`
		Consignee          string `xml:"ceb:consignee"`
		ConsigneeAddress   string `xml:"ceb:consigneeAddress"`
		ConsigneeTelephone string `xml:"ceb:consigneeTelephone"`
	}
	xCEB511 struct {
		XMLName xml.Name `xml:"ceb:CEB511Message"`
		xRoot
		Head     xWaybillHead `xml:"ceb:Logistics>ceb:LogisticsHead"`
		Transfer xTransfer    `xml:"ceb:BaseTransfer"`
	}
)

// cebCountries are the customs country codes of the goods' origins.
var cebCountries = map[string]string{"FRA": "305", "GBR": "303", "JPN": "116", "KOR": "133", "NLD": "309", "THA": "136"}

// dayMessage writes the document of kind O, P or W of an order as its
// sender's message, withholding tax.
func dayMessage(t *testing.T, c *salesCast, o *shopOrder, kind byte, tax decimal.Decimal) []byte {
	t.Helper()
	day := strings.ReplaceAll(ecomOutboxDay, "-", "")
	at := fmt.Sprintf("%s%02d%02d00", day, 9+o.N/20, (o.N*7)%60)
	guid := fmt.Sprintf("6F1E%04X-%c%03d-4A10-9C20-%012s", o.N, kind, o.N, o.No[2:])
	root := xRoot{NS: "http://www.chinaport.gov.cn/ceb", GUID: guid, Version: "1.0"}
	app := xApp{GUID: guid, AppType: "1", AppTime: at, AppStatus: "2"}
	transfer := func(code, name, dxp string) xTransfer {
		return xTransfer{CopCode: code, CopName: name, DxpMode: "DXP", DxpID: dxp}
	}
	paid := o.goods().Add(o.Freight).Add(tax).Sub(o.Discount)
	b := o.Buyer
	var v any
	switch kind {
	case 'O':
		m := &xCEB311{xRoot: root, Transfer: transfer(c.Platform.Code, "椰风海淘", "DXPENT0000460105"),
			Head: xOrderHead{xApp: app, OrderType: "I", OrderNo: o.No, EbpCode: c.Platform.Code, EbpName: "椰风海淘", EbcCode: c.Yefeng.USCC, EbcName: c.Yefeng.Name,
				GoodsValue: o.goods().StringFixed(2), Freight: o.Freight.StringFixed(2), Discount: o.Discount.StringFixed(2), TaxTotal: tax.StringFixed(2),
				ActuralPaid: paid.StringFixed(2), Currency: "142", BuyerRegNo: "yf-" + strings.ToLower(b.Key), BuyerName: b.Name, BuyerTelephone: b.Phone,
				BuyerIDType: "1", BuyerIDNumber: b.ID, Consignee: b.Name, ConsigneeTelephone: b.Phone, ConsigneeAddress: b.Address}}
		for i, it := range o.Items {
			l := it.SKU.Line
			country, ok := cebCountries[l.Country]
			if !ok {
				t.Fatalf("no customs code for country %s", l.Country)
			}
			m.Lines = append(m.Lines, xOrderLine{Gnum: i + 1, ItemNo: it.SKU.Part, ItemName: it.SKU.Name, Gmodel: l.Spec, Unit: l.Unit,
				Qty: it.Qty.String(), Price: it.SKU.Price.StringFixed(2), TotalPrice: it.total().StringFixed(2), Currency: "142", Country: country})
		}
		v = m
	case 'P':
		payer := b
		if o.Payer != nil {
			payer = o.Payer
		}
		v = &xCEB411{xRoot: root, Transfer: transfer(c.PayCode, "海南椰风支付有限公司", "DXPENT0000461208"),
			Head: xPaymentHead{xApp: app, PayCode: c.PayCode, PayName: "海南椰风支付有限公司",
				PayTransactionID: fmt.Sprintf("4200%s%06d", day, o.N*7919%1000000), OrderNo: o.No, EbpCode: c.Platform.Code, EbpName: "椰风海淘",
				PayerIDType: "1", PayerIDNumber: payer.ID, PayerName: payer.Name, Telephone: payer.Phone,
				AmountPaid: paid.Sub(o.PayShort).StringFixed(2), Currency: "142", PayTime: at}}
	default:
		phone := b.Phone
		if o.WrongPhone != "" {
			phone = o.WrongPhone
		}
		v = &xCEB511{xRoot: root, Transfer: transfer(c.LogisticsCode, "海南椰风速运有限公司", "DXPENT0000980033"),
			Head: xWaybillHead{xApp: app, LogisticsCode: c.LogisticsCode, LogisticsName: "海南椰风速运有限公司",
				LogisticsNo: fmt.Sprintf("YT%s%05d", day[2:], 30000+o.N), OrderNo: o.No, Freight: o.Freight.StringFixed(2), InsuredFee: "0", Currency: "142",
				Weight: "1.2", PackNo: "1", GoodsInfo: o.describe(), Consignee: b.Name, ConsigneeAddress: b.Address, ConsigneeTelephone: phone}}
	}
	var out bytes.Buffer
	out.WriteString(xml.Header)
	enc := xml.NewEncoder(&out)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}
