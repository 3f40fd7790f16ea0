package ceb

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// Namespace is the XML namespace of every CEB message; real messages bind
// it to the prefix ceb: (xmlns:ceb="http://www.chinaport.gov.cn/ceb").
const Namespace = "http://www.chinaport.gov.cn/ceb"

// Prefix is the namespace prefix Encode writes, as the single window does.
const Prefix = "ceb"

// Root element names of the messages this package reads.
const (
	// RootOrder is the root of an order message (CEB311).
	RootOrder = "CEB311Message"
	// RootPayment is the root of a payment message (CEB411).
	RootPayment = "CEB411Message"
	// RootWaybill is the root of a waybill message (CEB511).
	RootWaybill = "CEB511Message"
)

// BaseTransfer names who sent a message and through which channel
// (<ceb:BaseTransfer>): the sending enterprise's code and name, the
// transfer mode (always DXP) and the sender's DXP node id.
type BaseTransfer struct {
	// CopCode is the sending enterprise's customs code (传输企业代码).
	CopCode string `xml:"copCode" validate:"required,max=18"`
	// CopName is the sending enterprise's name.
	CopName string `xml:"copName" validate:"required,max=100"`
	// DxpMode is the transfer mode; the single window knows only DXP.
	DxpMode string `xml:"dxpMode" validate:"required,oneof=DXP"`
	// DxpID is the sender's node id on the data exchange platform
	// (e.g. DXPENT0000530815).
	DxpID string `xml:"dxpId" validate:"required,max=30"`
	// Note is free text.
	Note string `xml:"note" validate:"max=1000"`
}

// Decode reads one CEB311, CEB411 or CEB511 message, whichever data holds,
// and checks its field rules: the result is an *OrderMessage, a
// *PaymentMessage or a *WaybillMessage. Input that is not such a message,
// hostile input (a DOCTYPE, deep nesting, more than
// singlewindow.MaxMessageBytes) and a broken field rule are refused with a
// *singlewindow.FieldError naming the element path; its Err is one of
// singlewindow's sentinels when the message did not parse, nil when a
// field rule failed.
func Decode(data []byte) (any, error) {
	root, err := rootOf(data)
	if err != nil {
		return nil, err
	}
	var v any
	switch root {
	case RootOrder:
		v = new(OrderMessage)
	case RootPayment:
		v = new(PaymentMessage)
	case RootWaybill:
		v = new(WaybillMessage)
	default:
		return nil, &singlewindow.FieldError{Path: root, Rule: "root", Err: singlewindow.ErrMalformed,
			Message: fmt.Sprintf("<%s> is not a message this call reads: send CEB311Message, CEB411Message or CEB511Message", root)}
	}
	if err := singlewindow.Decode(data, v); err != nil {
		return nil, err
	}
	if err := singlewindow.Validate(v); err != nil {
		return nil, err
	}
	if c, ok := v.(interface{ check() error }); ok {
		if err := c.check(); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// rootOf is the local name of data's root element. It stops at the first
// element, so it reads no more than the prologue; the full checks are
// singlewindow.Decode's.
func rootOf(data []byte) (string, error) {
	if len(data) > singlewindow.MaxMessageBytes {
		return "", singlewindow.Decode(data, new(struct{}))
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q: messages must be UTF-8", label)
	}
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("no root element")
			}
			return "", &singlewindow.FieldError{Rule: "xml", Err: singlewindow.ErrMalformed,
				Message: "the message is not well-formed XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.Directive:
			// singlewindow.Decode refuses it with its own error.
			return "", singlewindow.Decode(data, new(struct{}))
		case xml.StartElement:
			return t.Name.Local, nil
		}
	}
}

// Encode writes a message as the single window's senders do: the XML
// declaration, then the root and every element with the ceb: prefix and
// xmlns:ceb declared on the root, indented by two spaces. The output is
// stable for equal input (golden files compare it) and Decode reads it
// back.
func Encode(v any) ([]byte, error) {
	plain, err := xml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	d := xml.NewDecoder(bytes.NewReader(plain))
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("encoding %T: %w", v, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			out := xml.StartElement{Name: prefixed(t.Name)}
			if root {
				out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: "xmlns:" + Prefix}, Value: Namespace})
				root = false
			}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				out.Attr = append(out.Attr, xml.Attr{Name: xml.Name{Local: a.Name.Local}, Value: a.Value})
			}
			tok = out
		case xml.EndElement:
			tok = xml.EndElement{Name: prefixed(t.Name)}
		}
		if err := enc.EncodeToken(tok); err != nil {
			return nil, fmt.Errorf("encoding %T: %w", v, err)
		}
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// prefixed names an element as the single window writes it: every element
// of a CEB message is in its namespace, under the ceb: prefix.
func prefixed(n xml.Name) xml.Name { return xml.Name{Local: Prefix + ":" + n.Local} }
