package demo

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/taxapi"
)

var updateDay = flag.Bool("update-ecommerce-day", false, "rewrite the outbox's message files (ecommerce_day/) from the script")

// cebCountries are the customs country codes of the goods' origins.
var cebCountries = map[string]string{"FRA": "305", "GBR": "303", "JPN": "116", "KOR": "133", "NLD": "309", "THA": "136"}

// TestEcommerceDayFiles: the outbox's message files are the script's
// documents, each as its sender writes it, with the tax quoted on
// ecomOutboxDay; a file that drifts from the script fails here
// (go test -run TestEcommerceDayFiles -update-ecommerce-day rewrites
// them). The files decode as the server will read them.
func TestEcommerceDayFiles(t *testing.T) {
	cast := newSalesCast()
	s, _, err := predictSales(cast, 2026, 10, 31, ecomOutboxDay)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	put := func(dir string, n int, kind byte, o *shopOrder, q decimal.Decimal) {
		msg, err := dayMessage(cast, o, kind, q)
		if err != nil {
			t.Fatal(err)
		}
		want[filepath.Join(dir, fmt.Sprintf("%03d-%c-%s.xml", n, kind, o.No))] = msg
	}
	taxOf := func(o *shopOrder) decimal.Decimal {
		req, err := taxapi.RequestFromProto(quoteRequest(o, ecomOutboxDay))
		if err != nil {
			t.Fatal(err)
		}
		q, err := eng.Quote(req)
		if err != nil {
			t.Fatal(err)
		}
		return q.Total
	}
	n := 0
	for _, dc := range s.Singles {
		o := s.Orders[dc.Order]
		if dc.Kind == 'O' && o.Proof != "" {
			continue
		}
		n++
		put("single", n, dc.Kind, o, taxOf(o))
	}
	for bi, docs := range s.Batches {
		for i, dc := range docs {
			put(fmt.Sprintf("batch%d", bi+1), i+1, dc.Kind, s.Orders[dc.Order], taxOf(s.Orders[dc.Order]))
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
	err = filepath.WalkDir("ecommerce_day", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		got++
		name, _ := filepath.Rel("ecommerce_day", p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if w, ok := want[name]; !ok || !bytes.Equal(b, w) {
			t.Errorf("ecommerce_day/%s differs from the script's document (-update-ecommerce-day rewrites it)", name)
		}
		if _, err := ceb.Decode(b); err != nil {
			t.Errorf("ecommerce_day/%s: %v", name, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != len(want) {
		t.Errorf("ecommerce_day has %d files; the script sends %d", got, len(want))
	}
	// The embedded outbox matches the script as the demo sends it.
	if _, _, err := dayFiles(s); err != nil {
		t.Fatal(err)
	}
}

// dayMessage writes the document of kind O, P or W of an order as its
// sender's message, withholding tax.
func dayMessage(c *salesCast, o *shopOrder, kind byte, tax decimal.Decimal) ([]byte, error) {
	day := strings.ReplaceAll(ecomOutboxDay, "-", "")
	at := fmt.Sprintf("%s%02d%02d00", day, 9+o.N/20, (o.N*7)%60)
	guid := fmt.Sprintf("6F1E%04X-%c%03d-4A10-9C20-%s", o.N, kind, o.N, strings.Repeat("0", 12-len(o.No[2:]))+o.No[2:])
	transfer := func(code, name, dxp string) ceb.BaseTransfer {
		return ceb.BaseTransfer{CopCode: code, CopName: name, DxpMode: "DXP", DxpID: dxp}
	}
	paid := o.goods().Add(o.Freight).Add(tax).Sub(o.Discount)
	b := o.Buyer
	switch kind {
	case 'O':
		h := ceb.OrderHead{GUID: guid, AppType: "1", AppTime: at, AppStatus: "2", OrderType: "I", OrderNo: o.No,
			EbpCode: c.Platform.Code, EbpName: "椰风海淘", EbcCode: c.Yefeng.USCC, EbcName: c.Yefeng.Name,
			GoodsValue: o.goods().StringFixed(2), Freight: o.Freight.StringFixed(2), Discount: o.Discount.StringFixed(2), TaxTotal: tax.StringFixed(2),
			ActuralPaid: paid.StringFixed(2), Currency: "142", BuyerRegNo: "yf-" + strings.ToLower(b.Key), BuyerName: b.Name, BuyerTelephone: b.Phone,
			BuyerIDType: "1", BuyerIDNumber: b.ID, Consignee: b.Name, ConsigneeTelephone: b.Phone, ConsigneeAddress: b.Address}
		co := ceb.Order{Head: h}
		for i, it := range o.Items {
			l := it.SKU.Line
			country, ok := cebCountries[l.Country]
			if !ok {
				return nil, fmt.Errorf("no customs code for country %s", l.Country)
			}
			co.Lines = append(co.Lines, ceb.OrderLine{Gnum: fmt.Sprint(i + 1), ItemNo: it.SKU.Part, ItemName: it.SKU.Name, Gmodel: l.Spec, Unit: l.Unit,
				Qty: it.Qty.String(), Price: it.SKU.Price.StringFixed(2), TotalPrice: it.total().StringFixed(2), Currency: "142", Country: country})
		}
		return ceb.Encode(&ceb.OrderMessage{GUID: guid, Version: "1.0", Orders: []ceb.Order{co},
			BaseTransfer: transfer(c.Platform.Code, "椰风海淘", "DXPENT0000460105")})
	case 'P':
		payer := b
		if o.Payer != nil {
			payer = o.Payer
		}
		h := ceb.PaymentHead{GUID: guid, AppType: "1", AppTime: at, AppStatus: "2", PayCode: c.PayCode, PayName: "海南椰风支付有限公司",
			PayTransactionID: fmt.Sprintf("4200%s%06d", day, o.N*7919%1000000), OrderNo: o.No, EbpCode: c.Platform.Code, EbpName: "椰风海淘",
			PayerIDType: "1", PayerIDNumber: payer.ID, PayerName: payer.Name, Telephone: payer.Phone,
			AmountPaid: paid.Sub(o.PayShort).StringFixed(2), Currency: "142", PayTime: at}
		return ceb.Encode(&ceb.PaymentMessage{GUID: guid, Version: "1.0", Payments: []ceb.Payment{{Head: h}},
			BaseTransfer: transfer(c.PayCode, "海南椰风支付有限公司", "DXPENT0000461208")})
	}
	phone := b.Phone
	if o.WrongPhone != "" {
		phone = o.WrongPhone
	}
	h := ceb.WaybillHead{GUID: guid, AppType: "1", AppTime: at, AppStatus: "2", LogisticsCode: c.LogisticsCode, LogisticsName: "海南椰风速运有限公司",
		LogisticsNo: fmt.Sprintf("YT%s%05d", day[2:], 30000+o.N), OrderNo: o.No, Freight: o.Freight.StringFixed(2), InsuredFee: "0", Currency: "142",
		Weight: "1.2", PackNo: "1", GoodsInfo: o.describe(), Consignee: b.Name, ConsigneeAddress: b.Address, ConsigneeTelephone: phone}
	return ceb.Encode(&ceb.WaybillMessage{GUID: guid, Version: "1.0", Waybills: []ceb.Waybill{{Head: h}},
		BaseTransfer: transfer(c.LogisticsCode, "海南椰风速运有限公司", "DXPENT0000980033")})
}
