package ceb

import (
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// OrderMessage is an e-commerce order message (电子订单, CEB311Message):
// one or more orders and the BaseTransfer of their sender, the platform or
// the e-commerce enterprise.
type OrderMessage struct {
	XMLName xml.Name `xml:"http://www.chinaport.gov.cn/ceb CEB311Message"`
	// GUID identifies the message (36 characters, e.g. a UUID).
	GUID string `xml:"guid,attr" validate:"required,max=36"`
	// Version is the message version, "1.0".
	Version string `xml:"version,attr" validate:"required,oneof=1.0"`
	// Orders are the message's orders, 1 to MaxDocuments.
	Orders       []Order      `xml:"Order" validate:"min=1,max=1000,dive"`
	BaseTransfer BaseTransfer `xml:"BaseTransfer"`
}

// MaxDocuments is the most documents (orders, payments or waybills) one
// message may carry.
const MaxDocuments = 1000

// Order is one order of a CEB311 message: its head and its lines.
type Order struct {
	Head OrderHead `xml:"OrderHead"`
	// Lines are the goods (<ceb:OrderList>), 1 to 100, gnum 1, 2, … in
	// order.
	Lines []OrderLine `xml:"OrderList" validate:"min=1,max=100,dive"`
}

// OrderHead is an order's head (<ceb:OrderHead>). Amounts are in CNY
// (currency 142), as the message writes them.
type OrderHead struct {
	// GUID identifies the document (36 characters).
	GUID string `xml:"guid" validate:"required,max=36"`
	// AppType: 1 new (新增), 2 change (变更), 3 delete (删除).
	AppType string `xml:"appType" validate:"required,oneof=1 2 3"`
	// AppTime is when the document was made, yyyyMMddHHmmss.
	AppTime string `xml:"appTime" validate:"required,swtime"`
	// AppStatus: 1 saved (暂存, not declared), 2 declared (申报).
	AppStatus string `xml:"appStatus" validate:"required,oneof=1 2"`
	// OrderType is I (import); the only kind a zone receives.
	OrderType string `xml:"orderType" validate:"required,oneof=I"`
	// OrderNo is the order number (订单编号), unique per platform.
	OrderNo string `xml:"orderNo" validate:"required,max=60"`
	// EbpCode and EbpName are the platform's (电商平台) customs code and
	// name.
	EbpCode string `xml:"ebpCode" validate:"required,max=18"`
	EbpName string `xml:"ebpName" validate:"required,max=100"`
	// EbcCode and EbcName are the e-commerce enterprise's (电商企业): the
	// enterprise whose channel the order is sold through.
	EbcCode string `xml:"ebcCode" validate:"required,max=18"`
	EbcName string `xml:"ebcName" validate:"required,max=100"`
	// GoodsValue is the goods' actual price incl. non-cash deductions.
	GoodsValue string `xml:"goodsValue" validate:"required,amount=19_5"`
	// Freight is charged beside the goods (运杂费).
	Freight string `xml:"freight" validate:"required,amount=19_5"`
	// Discount is the non-cash part (积分、虚拟货币、代金券).
	Discount string `xml:"discount" validate:"required,amount=19_5"`
	// TaxTotal is the tax the platform withheld (代扣税款).
	TaxTotal string `xml:"taxTotal" validate:"required,amount=19_5"`
	// ActuralPaid [sic] is goodsValue + freight + taxTotal − discount,
	// equal to the payment's amountPaid.
	ActuralPaid string `xml:"acturalPaid" validate:"required,amount=19_5"`
	// Currency is 142 (CNY), the only one allowed.
	Currency string `xml:"currency" validate:"required,oneof=142"`
	// BuyerRegNo is the buyer's account on the platform.
	BuyerRegNo     string `xml:"buyerRegNo" validate:"required,max=60"`
	BuyerName      string `xml:"buyerName" validate:"required,max=60"`
	BuyerTelephone string `xml:"buyerTelephone" validate:"required,max=30"`
	// BuyerIDType is 1 (身份证), the only one allowed.
	BuyerIDType   string `xml:"buyerIdType" validate:"required,oneof=1"`
	BuyerIDNumber string `xml:"buyerIdNumber" validate:"required,max=60"`
	// PayCode, PayName and PayTransactionID name the payment, when the
	// platform states it: a transaction id needs the payment enterprise's
	// code, and a code its name.
	PayCode          string `xml:"payCode" validate:"required_with=PayTransactionID,max=18"`
	PayName          string `xml:"payName" validate:"required_with=PayCode,max=100"`
	PayTransactionID string `xml:"payTransactionId" validate:"max=60"`
	// BatchNumbers are the goods' batch numbers, if any.
	BatchNumbers string `xml:"batchNumbers" validate:"max=100"`
	// Consignee, ConsigneeTelephone and ConsigneeAddress must equal the
	// waybill's (CONSIGNEE_MISMATCH otherwise).
	Consignee          string `xml:"consignee" validate:"required,max=100"`
	ConsigneeTelephone string `xml:"consigneeTelephone" validate:"required,max=50"`
	ConsigneeAddress   string `xml:"consigneeAddress" validate:"required,max=200"`
	// ConsigneeDistrict [sic: consigneeDitrict] is the district code of
	// the address.
	ConsigneeDistrict string `xml:"consigneeDitrict" validate:"max=6"`
	Note              string `xml:"note" validate:"max=1000"`
}

// OrderLine is one line of an order (<ceb:OrderList>).
type OrderLine struct {
	// Gnum is the line's number, 1, 2, … in the order's line order.
	Gnum string `xml:"gnum" validate:"required,numeric,max=4"`
	// ItemNo is the SKU's part number (料号) on the zone warehouse's book;
	// zoneledger needs it to deduct the goods, so it is required here.
	ItemNo       string `xml:"itemNo" validate:"required,max=30"`
	ItemName     string `xml:"itemName" validate:"required,max=250"`
	Gmodel       string `xml:"gmodel" validate:"required,max=250"`
	ItemDescribe string `xml:"itemDescribe" validate:"max=1000"`
	BarCode      string `xml:"barCode" validate:"max=50"`
	// Unit is the customs unit code (e.g. 011 件).
	Unit string `xml:"unit" validate:"required,max=3"`
	// Qty, Price and TotalPrice: totalPrice = price × qty.
	Qty        string `xml:"qty" validate:"required,amount=19_5"`
	Price      string `xml:"price" validate:"required,amount=19_5"`
	TotalPrice string `xml:"totalPrice" validate:"required,amount=19_5"`
	// Currency is 142 (CNY).
	Currency string `xml:"currency" validate:"required,oneof=142"`
	// Country is the origin country code (e.g. 116 Japan).
	Country string `xml:"country" validate:"required,len=3,numeric"`
	Note    string `xml:"note" validate:"max=1000"`
}

// check is the message's rules beyond its tags: each order's lines are
// numbered 1, 2, … in order.
func (m *OrderMessage) check() error {
	for i, o := range m.Orders {
		for j, l := range o.Lines {
			if n, err := strconv.Atoi(l.Gnum); err != nil || n != j+1 {
				return &singlewindow.FieldError{Path: fmt.Sprintf("%s/Order[%d]/OrderList[%d]/gnum", RootOrder, i, j), Rule: "gnum",
					Message: fmt.Sprintf("is %q; the lines are numbered 1, 2, … in order, so this one is %d", l.Gnum, j+1)}
			}
		}
	}
	return nil
}
