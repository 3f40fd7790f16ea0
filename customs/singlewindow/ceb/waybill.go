package ceb

import "encoding/xml"

// WaybillMessage is a waybill message (物流运单, CEB511Message): one or more
// waybills and the BaseTransfer of their sender, the logistics
// enterprise.
type WaybillMessage struct {
	XMLName xml.Name `xml:"http://www.chinaport.gov.cn/ceb CEB511Message"`
	// GUID identifies the message (36 characters, e.g. a UUID).
	GUID string `xml:"guid,attr" validate:"required,max=36"`
	// Version is the message version, "1.0".
	Version string `xml:"version,attr" validate:"required,oneof=1.0"`
	// Waybills are the message's waybills (<ceb:Logistics>), 1 to
	// MaxDocuments.
	Waybills     []Waybill    `xml:"Logistics" validate:"min=1,max=1000,dive"`
	BaseTransfer BaseTransfer `xml:"BaseTransfer"`
}

// Waybill is one waybill of a CEB511 message.
type Waybill struct {
	Head WaybillHead `xml:"LogisticsHead"`
}

// WaybillHead is a waybill (<ceb:LogisticsHead>).
type WaybillHead struct {
	// GUID identifies the document (36 characters).
	GUID string `xml:"guid" validate:"required,max=36"`
	// AppType: 1 new (新增), 2 change (变更), 3 delete (删除).
	AppType string `xml:"appType" validate:"required,oneof=1 2 3"`
	// AppTime is when the document was made, yyyyMMddHHmmss.
	AppTime string `xml:"appTime" validate:"required,swtime"`
	// AppStatus: 1 saved (暂存, not declared), 2 declared (申报).
	AppStatus string `xml:"appStatus" validate:"required,oneof=1 2"`
	// LogisticsCode and LogisticsName are the logistics enterprise's
	// customs code and name.
	LogisticsCode string `xml:"logisticsCode" validate:"required,max=18"`
	LogisticsName string `xml:"logisticsName" validate:"required,max=100"`
	// LogisticsNo is the waybill number (物流运单编号).
	LogisticsNo string `xml:"logisticsNo" validate:"required,max=60"`
	// BillNo is the bill of lading of direct-purchase imports; empty for
	// bonded (1210) goods.
	BillNo string `xml:"billNo" validate:"max=37"`
	// OrderNo is the order shipped. Logistics systems send it beside the
	// waybill number; zoneledger matches the three documents by it, so it
	// is required here.
	OrderNo string `xml:"orderNo" validate:"required,max=60"`
	// Freight and InsuredFee (保价费) are what the logistics enterprise
	// charges.
	Freight    string `xml:"freight" validate:"required,amount=19_5"`
	InsuredFee string `xml:"insuredFee" validate:"required,amount=19_5"`
	// Currency is 142 (CNY).
	Currency string `xml:"currency" validate:"required,oneof=142"`
	// Weight is the gross weight in kg.
	Weight string `xml:"weight" validate:"required,amount=19_5"`
	// PackNo is the number of parcels; 1 for a retail order.
	PackNo string `xml:"packNo" validate:"required,numeric,max=9"`
	// GoodsInfo describes the goods.
	GoodsInfo string `xml:"goodsInfo" validate:"max=200"`
	// Consignee, ConsigneeAddress and ConsigneeTelephone must equal the
	// order's (CONSIGNEE_MISMATCH otherwise).
	Consignee          string `xml:"consignee" validate:"required,max=100"`
	ConsigneeAddress   string `xml:"consigneeAddress" validate:"required,max=200"`
	ConsigneeTelephone string `xml:"consigneeTelephone" validate:"required,max=50"`
	Note               string `xml:"note" validate:"max=1000"`
}
