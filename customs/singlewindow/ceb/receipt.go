package ceb

import (
	"encoding/xml"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// CEB622Message is customs' receipt for import inventory lists (进口清单回执,
// CEB622): one InventoryReturn per list and status. It is decoded as sent:
// with the ceb: prefix, a default namespace, or none.
type CEB622Message struct {
	XMLName xml.Name `xml:"CEB622Message"`
	GUID    string   `xml:"guid,attr" validate:"max=36"`
	Version string   `xml:"version,attr" validate:"max=10"`
	// Returns are the receipts the message carries.
	Returns []InventoryReturn `xml:"InventoryReturn" validate:"required,min=1,max=1000,dive"`
}

// InventoryReturn is one receipt: where customs has a list (ReturnStatus),
// since when (ReturnTime) and why (ReturnInfo).
type InventoryReturn struct {
	// GUID is the receipt's guid (36 characters in real receipts).
	GUID        string `xml:"guid" validate:"required,max=36"`
	CustomsCode string `xml:"customsCode" validate:"max=4"`
	EbpCode     string `xml:"ebpCode" validate:"required,max=18"`
	EbcCode     string `xml:"ebcCode" validate:"required,max=18"`
	AgentCode   string `xml:"agentCode" validate:"max=18"`
	// CopNo is the enterprise's own list number, as the CEB621 gave it:
	// the receipt names the list by it.
	CopNo string `xml:"copNo" validate:"required,max=64"`
	// PreNo is the electronic port's pre-entry number, InvtNo the list
	// number customs assigned (empty until it has).
	PreNo  string `xml:"preNo" validate:"max=18"`
	InvtNo string `xml:"invtNo" validate:"max=18"`
	// ReturnStatus is the status code (回执状态).
	ReturnStatus string `xml:"returnStatus" validate:"required,max=4,numeric"`
	// ReturnTime is yyyyMMddHHmmss or yyyyMMddHHmmssSSS, China Standard
	// Time.
	ReturnTime string `xml:"returnTime" validate:"required,swtime"`
	// ReturnInfo is customs' text: the reason of a 退单, a note otherwise.
	ReturnInfo string `xml:"returnInfo" validate:"max=1000"`
}

// DecodeReceipt reads a CEB622 message safely (singlewindow.Decode) and
// checks its field rules; a broken rule is a *singlewindow.FieldError
// naming the element path, e.g. "CEB622Message/InventoryReturn[0]/returnTime".
func DecodeReceipt(data []byte) (CEB622Message, error) {
	var m CEB622Message
	if err := singlewindow.Decode(data, &m); err != nil {
		return m, err
	}
	return m, singlewindow.Validate(&m)
}

// EncodeReceipt writes a receipt as customs does, every element in the
// ceb: prefix (for fixtures and tests of receiving systems).
func EncodeReceipt(m CEB622Message) ([]byte, error) {
	if err := singlewindow.Validate(&m); err != nil {
		return nil, err
	}
	return Encode(m)
}
