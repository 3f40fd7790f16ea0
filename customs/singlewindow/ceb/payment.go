package ceb

import "encoding/xml"

// PaymentMessage is a payment message (支付凭证, CEB411Message): one or
// more payment slips and the BaseTransfer of their sender, the payment
// enterprise.
type PaymentMessage struct {
	XMLName xml.Name `xml:"http://www.chinaport.gov.cn/ceb CEB411Message"`
	// GUID identifies the message (36 characters, e.g. a UUID).
	GUID string `xml:"guid,attr" validate:"required,max=36"`
	// Version is the message version, "1.0".
	Version string `xml:"version,attr" validate:"required,oneof=1.0"`
	// Payments are the message's payment slips, 1 to MaxDocuments.
	Payments     []Payment    `xml:"Payment" validate:"min=1,max=1000,dive"`
	BaseTransfer BaseTransfer `xml:"BaseTransfer"`
}

// Payment is one payment slip of a CEB411 message.
type Payment struct {
	Head PaymentHead `xml:"PaymentHead"`
}

// PaymentHead is a payment slip (<ceb:PaymentHead>).
type PaymentHead struct {
	// GUID identifies the document (36 characters).
	GUID string `xml:"guid" validate:"required,max=36"`
	// AppType: 1 new (新增), 2 change (变更), 3 delete (删除).
	AppType string `xml:"appType" validate:"required,oneof=1 2 3"`
	// AppTime is when the document was made, yyyyMMddHHmmss.
	AppTime string `xml:"appTime" validate:"required,swtime"`
	// AppStatus: 1 saved (暂存, not declared), 2 declared (申报).
	AppStatus string `xml:"appStatus" validate:"required,oneof=1 2"`
	// PayCode and PayName are the payment enterprise's customs code and
	// name.
	PayCode string `xml:"payCode" validate:"required,max=18"`
	PayName string `xml:"payName" validate:"required,max=100"`
	// PayTransactionID is the payment enterprise's transaction number.
	PayTransactionID string `xml:"payTransactionId" validate:"required,max=60"`
	// OrderNo is the order paid.
	OrderNo string `xml:"orderNo" validate:"required,max=60"`
	// EbpCode and EbpName are the platform's.
	EbpCode string `xml:"ebpCode" validate:"required,max=18"`
	EbpName string `xml:"ebpName" validate:"required,max=100"`
	// PayerIDType is 1 (身份证), the only one allowed.
	PayerIDType   string `xml:"payerIdType" validate:"required,oneof=1"`
	PayerIDNumber string `xml:"payerIdNumber" validate:"required,max=60"`
	PayerName     string `xml:"payerName" validate:"required,max=60"`
	Telephone     string `xml:"telephone" validate:"required,max=50"`
	// AmountPaid must equal the order's acturalPaid.
	AmountPaid string `xml:"amountPaid" validate:"required,amount=19_5"`
	// Currency is 142 (CNY).
	Currency string `xml:"currency" validate:"required,oneof=142"`
	// PayTime is when the payment was made, yyyyMMddHHmmss.
	PayTime string `xml:"payTime" validate:"required,swtime"`
	Note    string `xml:"note" validate:"max=1000"`
}
