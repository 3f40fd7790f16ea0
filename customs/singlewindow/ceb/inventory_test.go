package ceb_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
)

// sampleInventory is a bonded (1210) list of two lines, written from the
// field list of customs-reference §5.6.
func sampleInventory() ceb.CEB621Message {
	return ceb.CEB621Message{
		GUID: "6a1c1c8e-2f39-4b7c-9d7e-0c1f5b2a9e01", Version: "1.0",
		Inventories: []ceb.Inventory{{
			Head: ceb.InventoryHead{
				GUID: "1f0e6d3c-5b4a-4938-8271-605f4e3d2c1b", AppType: "1", AppTime: "20261111083000", AppStatus: "2",
				OrderNo: "T2026111100001", EbpCode: "TMALL", EbpName: "TMALL", EbcCode: "1205960001", EbcName: "Shop",
				LogisticsNo: "SF2026111100001", LogisticsCode: "SF", LogisticsName: "SF",
				CopNo: "QLT2026111100001", AssureCode: "TMALL", EmsNo: "T0201W000001", IEFlag: "I", DeclTime: "20261111",
				CustomsCode: "0201", PortCode: "0201", IEDate: "20261111", BuyerIDType: "1", BuyerIDNumber: "110101199001100113",
				BuyerName: "张三", BuyerTelephone: "13800000000", ConsigneeAddress: "北京市朝阳区1号",
				AgentCode: "1205960000", AgentName: "Warehouse", AreaCode: "1205960000", AreaName: "Warehouse",
				TradeMode: "1210", TrafMode: "Y", Country: "142", Freight: "10.00", InsuredFee: "0.00", Currency: "142",
				WrapType: "2", PackNo: "1", GrossWeight: "0.1", NetWeight: "0.1",
			},
			Lines: []ceb.InventoryLine{
				{Gnum: "1", ItemRecordNo: "SKU-CREAM", ItemNo: "SKU-CREAM", ItemName: "face cream", Gcode: "3304990099", Gname: "face cream",
					Country: "116", Currency: "142", Qty: "2", Qty1: "0.1", Unit: "011", Unit1: "035", Price: "150", TotalPrice: "300.00"},
				{Gnum: "2", ItemRecordNo: "SKU-MW", ItemNo: "SKU-MW", ItemName: "microwave", Gcode: "8516500000", Gname: "microwave",
					Country: "116", Currency: "142", Qty: "1", Qty1: "1", Unit: "001", Unit1: "001", Price: "1200.5", TotalPrice: "1200.50"},
			},
		}},
		Transfer: ceb.BaseTransfer{CopCode: "1205960000", CopName: "Warehouse", DxpMode: "DXP", DxpID: "DXPENT0000000001"},
	}
}

// TestInventoryIsWrittenInTheCebPrefix: the produced CEB621 has the shape
// of the single window's own messages and equals its golden file.
func TestInventoryIsWrittenInTheCebPrefix(t *testing.T) {
	out, err := ceb.EncodeInventory(sampleInventory())
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, string(out), "ceb621.golden.xml")
	for _, want := range []string{
		`<ceb:CEB621Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="6a1c1c8e-2f39-4b7c-9d7e-0c1f5b2a9e01" version="1.0">`,
		"<ceb:Inventory>\n    <ceb:InventoryHead>", "<ceb:InventoryList>", "<ceb:itemRecordNo>SKU-CREAM</ceb:itemRecordNo>",
		"</ceb:Inventory>\n  <ceb:BaseTransfer>",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	again, _ := ceb.EncodeInventory(sampleInventory())
	if !bytes.Equal(out, again) {
		t.Fatal("two encodings of one message differ")
	}
}

// TestInventoryRoundTrip: what is written decodes to the same message.
func TestInventoryRoundTrip(t *testing.T) {
	in := sampleInventory()
	out, err := ceb.EncodeInventory(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ceb.DecodeInventory(out)
	if err != nil {
		t.Fatal(err)
	}
	got.XMLName = in.XMLName
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("decoded %+v\nwant %+v", got, in)
	}
}

// TestInventoryRulesNameTheElement: a broken field rule is refused naming
// the element path, before anything is written.
func TestInventoryRulesNameTheElement(t *testing.T) {
	m := sampleInventory()
	m.Inventories[0].Lines[1].Gcode = "85165"
	_, err := ceb.EncodeInventory(m)
	var fe *singlewindow.FieldError
	if !errors.As(err, &fe) || fe.Path != "CEB621Message/Inventory[0]/InventoryList[1]/gcode" {
		t.Fatalf("got %v, want a field error at CEB621Message/Inventory[0]/InventoryList[1]/gcode", err)
	}
	m = sampleInventory()
	m.Inventories[0].Head.EmsNo = ""
	_, err = ceb.EncodeInventory(m)
	if !errors.As(err, &fe) || fe.Path != "CEB621Message/Inventory[0]/InventoryHead/emsNo" {
		t.Fatalf("got %v, want a field error at .../InventoryHead/emsNo (required for 1210)", err)
	}
}
