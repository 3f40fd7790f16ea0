// Package sas holds the special customs supervision areas' messages of the
// single window (金关二期 特殊区域): the bonded verification list INV101 and
// its receipt INV201, the gate pass SAS121 and its receipts SAS221 and
// SAS251. Each message is a struct with encoding/xml and validate tags;
// this file holds the envelopes they travel in.
//
// An enterprise's message leaves signed (Signed): the XML elements
// signature, object and package, the last holding the EnvelopInfo and the
// message's business data. Customs' receipts arrive as a bare package whose
// data carries a PocketInfo and the receipt (Receipt, ReceiptType,
// DecodeReceipt).
package sas

import (
	"encoding/xml"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// EnvelopInfo heads every package (the single window's spelling).
type EnvelopInfo struct {
	Version     string `xml:"version" validate:"required,max=10"`
	MessageID   string `xml:"message_id" validate:"required,max=64"`
	FileName    string `xml:"file_name" validate:"max=128"`
	MessageType string `xml:"message_type" validate:"required,max=10"`
	SenderID    string `xml:"sender_id" validate:"required,max=32"`
	ReceiverID  string `xml:"receiver_id" validate:"required,max=32"`
	// SendTime is "yyyy-MM-ddTHH:mm:ss" in China Standard Time.
	SendTime string `xml:"send_time" validate:"max=19"`
}

// PocketInfo says which part of a split receipt this package is.
type PocketInfo struct {
	PocketID       string `xml:"pocket_id"`
	TotalPocketQty string `xml:"total_pocket_qty"`
	CurPocketNo    string `xml:"cur_pocket_no"`
	IsUnstructured string `xml:"is_unstructured"`
}

// Receipt is the envelope customs' receipts (INV201, SAS221, SAS251) arrive
// in; Business is the receipt's BussinessData.
type Receipt[T any] struct {
	XMLName  xml.Name    `xml:"Package"`
	Envelope EnvelopInfo `xml:"EnvelopInfo"`
	Data     struct {
		Pocket   PocketInfo `xml:"PocketInfo"`
		Business T          `xml:"BussinessData"`
	} `xml:"DataInfo"`
}

// ReceiptType reads only a receipt's envelope, to learn which receipt it
// is (its MessageType) before decoding it with DecodeReceipt.
func ReceiptType(data []byte) (EnvelopInfo, error) {
	var r struct {
		XMLName  xml.Name    `xml:"Package"`
		Envelope EnvelopInfo `xml:"EnvelopInfo"`
	}
	if err := singlewindow.Decode(data, &r); err != nil {
		return EnvelopInfo{}, err
	}
	if err := singlewindow.Validate(&r); err != nil {
		return EnvelopInfo{}, err
	}
	return r.Envelope, nil
}

// DecodeReceipt decodes a receipt of type want (for example "INV201") into
// its envelope and its BussinessData, and checks the field rules of both.
func DecodeReceipt[T any](data []byte, want string) (EnvelopInfo, T, error) {
	var r Receipt[T]
	if err := singlewindow.Decode(data, &r); err != nil {
		return EnvelopInfo{}, r.Data.Business, err
	}
	if r.Envelope.MessageType != want {
		return r.Envelope, r.Data.Business, &singlewindow.FieldError{Path: "Package/EnvelopInfo/message_type", Rule: "oneof",
			Message: fmt.Sprintf("is %q where a %s receipt was expected", r.Envelope.MessageType, want)}
	}
	if err := singlewindow.Validate(&r); err != nil {
		return r.Envelope, r.Data.Business, err
	}
	return r.Envelope, r.Data.Business, nil
}

// Signed is the envelope an enterprise's message (INV101, SAS121) leaves
// in; Business is the message's BussinessData.
type Signed[T any] struct {
	XMLName xml.Name `xml:"Signature"`
	Object  struct {
		Package struct {
			Envelope EnvelopInfo `xml:"EnvelopInfo"`
			Data     struct {
				Business T `xml:"BussinessData"`
			} `xml:"DataInfo"`
		} `xml:"Package"`
	} `xml:"Object"`
}
