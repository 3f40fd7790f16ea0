package ceb

import (
	"encoding/xml"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// CEB621Message is the import inventory list message (进口申报清单,
// CEB621): one or more lists and the transfer block of the enterprise
// that sends them. Its element names are written with the ceb: prefix
// (<ceb:CEB621Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">), as the
// single window's own messages are; decoding accepts the prefix, a default
// namespace, or none.
type CEB621Message struct {
	XMLName xml.Name `xml:"CEB621Message"`
	// GUID identifies the message (36 characters).
	GUID    string `xml:"guid,attr" validate:"required,len=36"`
	Version string `xml:"version,attr" validate:"required,max=10"`
	// Inventories are the lists, each with its head and lines.
	Inventories []Inventory `xml:"Inventory" validate:"required,min=1,max=100,dive"`
	// Transfer is the sender's BaseTransfer block.
	Transfer BaseTransfer `xml:"BaseTransfer"`
}

// Inventory is one inventory list: its head and its lines (one line per
// order line, gnum 1..n).
type Inventory struct {
	Head  InventoryHead   `xml:"InventoryHead"`
	Lines []InventoryLine `xml:"InventoryList" validate:"required,min=1,max=100,dive"`
}

// InventoryHead is a list's head (ImpInventoryHead), its elements in the
// message's order. Amounts are decimal strings, never floats; times are
// yyyyMMddHHmmss and dates yyyyMMdd (singlewindow.FormatTime).
type InventoryHead struct {
	// GUID identifies the list (36 characters).
	GUID string `xml:"guid" validate:"required,len=36"`
	// AppType: 1 new, 2 change, 3 delete.
	AppType string `xml:"appType" validate:"required,oneof=1 2 3"`
	AppTime string `xml:"appTime" validate:"required,swtime"`
	// AppStatus: 1 stored (暂存), 2 declared (申报).
	AppStatus string `xml:"appStatus" validate:"required,oneof=1 2"`
	OrderNo   string `xml:"orderNo" validate:"required,max=60"`
	EbpCode   string `xml:"ebpCode" validate:"required,max=18"`
	EbpName   string `xml:"ebpName" validate:"required,max=100"`
	EbcCode   string `xml:"ebcCode" validate:"required,max=18"`
	EbcName   string `xml:"ebcName" validate:"required,max=100"`
	// LogisticsNo is the waybill number.
	LogisticsNo   string `xml:"logisticsNo" validate:"required,max=60"`
	LogisticsCode string `xml:"logisticsCode" validate:"required,max=18"`
	LogisticsName string `xml:"logisticsName" validate:"required,max=100"`
	// CopNo is the enterprise's own number for the list; receipts name
	// the list by it.
	CopNo string `xml:"copNo" validate:"required,max=64"`
	// PreNo is the pre-entry number the electronic port assigns; empty
	// when first declared.
	PreNo string `xml:"preNo" validate:"max=18"`
	// AssureCode is the tax guarantor (担保扣税企业).
	AssureCode string `xml:"assureCode" validate:"required,max=30"`
	// EmsNo is the zone warehouse's book the goods leave (保税模式必填).
	EmsNo string `xml:"emsNo" validate:"required_if=TradeMode 1210,max=30"`
	// InvtNo is the list number customs assigns; empty when declared.
	InvtNo string `xml:"invtNo" validate:"max=18"`
	// IEFlag is I for import.
	IEFlag   string `xml:"ieFlag" validate:"required,oneof=I"`
	DeclTime string `xml:"declTime" validate:"required,swdate"`
	// CustomsCode and PortCode are customs office codes (4 digits).
	CustomsCode string `xml:"customsCode" validate:"required,len=4,numeric"`
	PortCode    string `xml:"portCode" validate:"required,len=4,numeric"`
	IEDate      string `xml:"ieDate" validate:"required,swdate"`
	// BuyerIDType is 1 (身份证), the only type allowed.
	BuyerIDType      string `xml:"buyerIdType" validate:"required,oneof=1"`
	BuyerIDNumber    string `xml:"buyerIdNumber" validate:"required,max=60"`
	BuyerName        string `xml:"buyerName" validate:"required,max=60"`
	BuyerTelephone   string `xml:"buyerTelephone" validate:"required,max=30"`
	ConsigneeAddress string `xml:"consigneeAddress" validate:"required,max=200"`
	AgentCode        string `xml:"agentCode" validate:"required,max=18"`
	AgentName        string `xml:"agentName" validate:"required,max=100"`
	// AreaCode and AreaName are the zone warehouse enterprise (区内仓储企业,
	// 保税模式必填).
	AreaCode string `xml:"areaCode" validate:"required_if=TradeMode 1210,max=18"`
	AreaName string `xml:"areaName" validate:"required_if=TradeMode 1210,max=100"`
	// TradeMode is 1210 (保税电商) or 9610 (直购).
	TradeMode string `xml:"tradeMode" validate:"required,oneof=1210 9610"`
	TrafMode  string `xml:"trafMode" validate:"required,max=1"`
	TrafNo    string `xml:"trafNo" validate:"max=100"`
	VoyageNo  string `xml:"voyageNo" validate:"max=32"`
	BillNo    string `xml:"billNo" validate:"max=37"`
	LoctNo    string `xml:"loctNo" validate:"max=10"`
	LicenseNo string `xml:"licenseNo" validate:"max=19"`
	// Country is the country of departure: 142 (China) for bonded import.
	Country    string `xml:"country" validate:"required,len=3,numeric"`
	Freight    string `xml:"freight" validate:"required,amount=19_5"`
	InsuredFee string `xml:"insuredFee" validate:"required,amount=19_5"`
	// Currency is 142 (CNY), the only currency allowed.
	Currency    string `xml:"currency" validate:"required,oneof=142"`
	WrapType    string `xml:"wrapType" validate:"max=1"`
	PackNo      string `xml:"packNo" validate:"required,numeric"`
	GrossWeight string `xml:"grossWeight" validate:"required,amount=19_5"`
	NetWeight   string `xml:"netWeight" validate:"required,amount=19_5"`
	Note        string `xml:"note" validate:"max=1000"`
}

// InventoryLine is one line of a list's body (ImpInventoryBody), its
// elements in the message's order.
type InventoryLine struct {
	// Gnum is the line's number, 1.., one-to-one with the order's lines.
	Gnum string `xml:"gnum" validate:"required,numeric,max=4"`
	// ItemRecordNo is the part number (料号) recorded on the warehouse
	// book (账册备案料号, 保税进口必填).
	ItemRecordNo string `xml:"itemRecordNo" validate:"max=30"`
	ItemNo       string `xml:"itemNo" validate:"max=30"`
	ItemName     string `xml:"itemName" validate:"max=250"`
	// Gcode is the 10-digit HS code.
	Gcode   string `xml:"gcode" validate:"required,len=10,numeric"`
	Gname   string `xml:"gname" validate:"required,max=250"`
	Gmodel  string `xml:"gmodel" validate:"max=510"`
	BarCode string `xml:"barCode" validate:"max=50"`
	// Country is the country of origin.
	Country  string `xml:"country" validate:"max=3"`
	Currency string `xml:"currency" validate:"required,oneof=142"`
	// Qty and Unit are in the declared unit; Qty1/Unit1 the first legal
	// unit; Qty2/Unit2 the second.
	Qty   string `xml:"qty" validate:"required,amount=19_5"`
	Qty1  string `xml:"qty1" validate:"required,amount=19_5"`
	Qty2  string `xml:"qty2" validate:"amount=19_5"`
	Unit  string `xml:"unit" validate:"required,len=3,numeric"`
	Unit1 string `xml:"unit1" validate:"required,len=3,numeric"`
	Unit2 string `xml:"unit2" validate:"omitempty,len=3,numeric"`
	// Price is the unit price; TotalPrice = Price × Qty exactly.
	Price      string `xml:"price" validate:"required,amount=19_5"`
	TotalPrice string `xml:"totalPrice" validate:"required,amount=19_5"`
	Note       string `xml:"note" validate:"max=1000"`
}

// EncodeInventory checks m's field rules and writes it as a message
// (singlewindow.Encode): stable output for equal input.
func EncodeInventory(m CEB621Message) ([]byte, error) {
	if err := singlewindow.Validate(&m); err != nil {
		return nil, fmt.Errorf("CEB621 not written: %w", err)
	}
	return Encode(m)
}

// DecodeInventory reads a CEB621 message safely (singlewindow.Decode) and
// checks its field rules; a broken rule is a *singlewindow.FieldError
// naming the element path.
func DecodeInventory(data []byte) (CEB621Message, error) {
	var m CEB621Message
	if err := singlewindow.Decode(data, &m); err != nil {
		return m, err
	}
	return m, singlewindow.Validate(&m)
}
