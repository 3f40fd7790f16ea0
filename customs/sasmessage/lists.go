// Package sasmessage speaks the single window's SAS messages (金关二期
// 特殊监管区域) for the zone's verification lists and gate passes.
//
// A list filed here leaves as the INV101 message (XML in its signed
// envelope, or the zone systems' JSON) with the enterprise's own numbers;
// an INV101 an enterprise's ERP or WMS prepared is filed as a list through
// the same path as CreateList; customs' receipts (INV201) store the
// customs number on the list and move it (zone.Service.ApplyListReceipt).
// A gate pass leaves as the SAS121 message, naming its lists by customs'
// numbers once known; customs' receipts (SAS221, SAS251) store customs'
// pass number and move the pass (zone.Service.ApplyPassReceipt).
//
// The message types are package customs/singlewindow/sas; the mapping of
// fields is in its README.md. Package zone owns the books and documents
// and knows no message: this package reads a receipt into the zone's
// domain struct and writes a document as a message.
package sasmessage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Format is the form of a message: the single window's XML or the zone
// systems' JSON.
type Format string

// The formats.
const (
	XML  Format = "XML"
	JSON Format = "JSON"
)

// SysID is the InvtMessage/SysId of exported lists: "Z8" 特殊区域
// (UNCONFIRMED; README.md of package sas).
const SysID = "Z8"

// ReceiverID is the envelope's receiver_id of exported lists and passes,
// the single window's customs side as its receipts name their sender
// (CUS0000 in the public samples; UNCONFIRMED: the enterprise's
// single-window client may rewrite it).
const ReceiverID = "CUS0000"

// Service exports, files and answers the messages of lists and passes
// over the zone's service.
type Service struct {
	zone *zone.Service
	now  func() time.Time
}

// New returns the message service over z; now is the clock of envelopes'
// send times (nil: time.Now).
func New(z *zone.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{zone: z, now: now}
}

// refusal turns a message's broken field rule into the zone's error
// (INVALID_ARGUMENT, LIST_MESSAGE_INVALID) naming the element path, with
// prefix (e.g. "messages[2]/") before it.
func refusal(err error, prefix string) error {
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		return ledger.Invalid(zone.ReasonListMessageInvalid, prefix+fe.Path, "%s", fe.Error())
	}
	return err
}

// badFormat refuses a message format that is neither XML nor JSON.
func badFormat(f Format) error {
	return ledger.BadArgument("format", "%q: use XML or JSON", f)
}

// bookLine reads line seq of a book (the zero line when it has none).
func (s *Service) bookLine(ctx context.Context, p access.Principal, book string, seq int) (zone.BookLine, error) {
	bl, err := s.zone.ListBookLines(ctx, p, book, seq-1, 1)
	if err != nil || len(bl) != 1 || bl[0].Seq != seq {
		return zone.BookLine{}, err
	}
	return bl[0], nil
}

// Export returns list no (the zone's or the customs number) as an INV101
// message in format f, with the file name to keep it under. Whoever may
// read the list may export it.
func (s *Service) Export(ctx context.Context, p access.Principal, no string, f Format) ([]byte, string, error) {
	l, err := s.zone.GetList(ctx, p, no)
	if err != nil {
		return nil, "", err
	}
	ent, err := s.zone.GetEnterprise(ctx, p, l.Enterprise)
	if err != nil {
		return nil, "", err
	}
	b, err := s.zone.GetBook(ctx, p, l.Book)
	if err != nil {
		return nil, "", err
	}
	lines := make(map[int]zone.BookLine, len(l.Lines))
	for _, ln := range l.Lines {
		if _, ok := lines[ln.BookSeq]; ok {
			continue
		}
		bl, err := s.bookLine(ctx, p, l.Book, ln.BookSeq)
		if err != nil {
			return nil, "", err
		}
		lines[ln.BookSeq] = bl
	}
	m := ToINV101(l, ent, b, lines)
	switch f {
	case JSON:
		out, err := sas.EncodeINV101JSON(m)
		return out, l.No + ".INV101.json", err
	case XML, "":
		at := s.now()
		env := sas.EnvelopInfo{Version: "1.0", MessageID: "INV101" + l.No + singlewindow.FormatTime(at), FileName: l.No + ".INV101.xml",
			SenderID: ent.CustomsCode, ReceiverID: ReceiverID, SendTime: at.In(singlewindow.ChinaTime).Format("2006-01-02T15:04:05")}
		out, err := sas.EncodeINV101(env, m)
		return out, env.FileName, err
	}
	return nil, "", badFormat(f)
}

// ToINV101 maps a list, its enterprise, its book and the book lines its
// lines name onto the INV101 message (README.md of package sas, "Field
// mapping"). A list not yet declared leaves with DelcareFlag 0 (暂存).
func ToINV101(l zone.List, e zone.Enterprise, b zone.Book, lines map[int]zone.BookLine) sas.INV101 {
	h := sas.INV101Head{
		BondInvtNo: l.CustomsNo, PutrecNo: l.Book, EtpsInnerInvtNo: l.InnerNo,
		BizopEtpsSccd: e.USCC, BizopEtpsno: e.CustomsCode, BizopEtpsNm: e.Name,
		RvsngdEtpsSccd: e.USCC, RcvgdEtpsno: e.CustomsCode, RcvgdEtpsNm: e.Name,
		DclEtpsSccd: e.USCC, DclEtpsno: e.CustomsCode, DclEtpsNm: e.Name,
		InputCreditCode: e.USCC, InputCode: e.CustomsCode, InputName: e.Name,
		DclPlcCuscd: b.CustomsOffice, ImpexpMarkcd: string(l.IO), SupvModecd: l.TradeMode, ApplyNo: l.ApplyNo,
		ListType: string(l.TransferType), DclcusFlag: string(l.DeclareFlag), DclcusTypecd: string(l.DeclarationKind),
		StshipTrsarvNatcd: l.Country, InvtType: string(l.Type), RltInvtNo: l.RelatedListNo, RltPutrecNo: l.RelatedBookNo,
		DclTypecd: "1",
	}
	if !l.Date.IsZero() {
		h.InputTime = l.Date.Format("20060102")
	}
	if !l.DeclaredAt.IsZero() {
		h.InvtDclTime = l.DeclaredAt.In(singlewindow.ChinaTime).Format("20060102")
	}
	if l.DeclarationKind == codes.DeclarationKind("1") {
		h.RltEntryNo = l.DeclarationNo
	} else {
		h.EntryNo = l.DeclarationNo
	}
	flag := "1"
	if l.Status == zone.ListDraft {
		flag = "0"
	}
	m := sas.INV101{DeclareFlag: flag, Message: sas.INV101Message{SysID: SysID, OperCusRegCode: e.CustomsCode, Head: h}}
	for i, ln := range l.Lines {
		bl := lines[ln.BookSeq]
		if i == 0 {
			m.Message.Head.MtpckEndprdMarkcd = "I"
			if bl.Type == codes.GoodsFinished {
				m.Message.Head.MtpckEndprdMarkcd = "E"
			}
		}
		out := sas.INV101Line{GdsSeqno: strconv.Itoa(ln.Seq), PutrecSeqno: strconv.Itoa(ln.BookSeq), GdsMtno: ln.PartNumber,
			Gdecd: bl.HSCode, GdsNm: bl.Name, GdsSpcfModelDesc: bl.Spec,
			DclUnitcd: ln.DeclaredUnit, DclQty: ln.DeclaredQuantity.String(),
			LawfUnitcd: bl.Legal.Unit, DclCurrcd: ln.Currency, DclTotalAmt: ln.Total.String(),
			UcnsVerno: ln.ConsumptionVersion}
		if ln.LegalQuantity.IsPositive() {
			out.LawfQty = ln.LegalQuantity.String()
		}
		if bl.Second != nil {
			if q := ln.DeclaredQuantity.Mul(bl.Second.Factor); ledger.Places(q) <= 5 {
				out.SecdLawfUnitcd, out.SecdLawfQty = bl.Second.Unit, q.String()
			}
		}
		if ln.UnitPrice.IsPositive() {
			out.DclUprcAmt = ln.UnitPrice.String()
		}
		if l.IO == codes.In {
			out.Natcd = ln.Country
		} else {
			out.DestinationNatcd = ln.Country
		}
		if ln.GrossWeight.IsPositive() {
			out.GrossWt = ln.GrossWeight.String()
		}
		if ln.NetWeight.IsPositive() {
			out.NetWt = ln.NetWeight.String()
		}
		m.Message.Lines = append(m.Message.Lines, out)
	}
	return m
}

// File files an INV101 message as a list, through the same path as
// zone.Service.CreateList — the same rules, the same refusals, idempotent
// by EtpsInnerInvtNo as CreateList is by its inner number — and, when its
// DelcareFlag is 1 (申报), declares it as DeclareList does; 0 (暂存) only
// files it. A message that does not decode or breaks the message's field
// rules is refused with LIST_MESSAGE_INVALID naming the element path.
func (s *Service) File(ctx context.Context, p access.Principal, data []byte, f Format) (zone.List, error) {
	var m sas.INV101
	var err error
	head := "Signature/Object/Package/DataInfo/BussinessData/InvtMessage/InvtHeadType/"
	switch f {
	case JSON:
		head = "head/"
		m, err = sas.DecodeINV101JSON(data)
	case XML, "":
		_, m, err = sas.DecodeINV101(data)
	default:
		return zone.List{}, badFormat(f)
	}
	if err != nil {
		return zone.List{}, refusal(err, "")
	}
	l, err := FromINV101(m)
	if err != nil {
		return zone.List{}, refusal(err, "")
	}
	if m.Message.Head.DclTypecd != "1" {
		return zone.List{}, ledger.Invalid(zone.ReasonListMessageInvalid, head+fieldName("DclTypecd", f),
			"is %s; zoneledger files new lists (1 备案): to change a draft, delete it and file the list again", m.Message.Head.DclTypecd)
	}
	b, err := s.zone.GetBook(ctx, p, l.Book)
	if err != nil {
		return zone.List{}, err
	}
	if got := m.Message.Head.BizopEtpsSccd; got != b.Enterprise {
		return zone.List{}, ledger.Invalid(zone.ReasonListMessageInvalid, head+fieldName("BizopEtpsSccd", f),
			"the enterprise %s is not book %s's (%s); file the list on the enterprise's own book", got, l.Book, b.Enterprise)
	}
	filed, err := s.zone.CreateList(ctx, p, l)
	if err != nil || m.DeclareFlag != "1" {
		return filed, err
	}
	return s.zone.DeclareList(ctx, p, filed.No)
}

func fieldName(xml string, f Format) string {
	if f == JSON {
		return strings.ToLower(xml[:1]) + xml[1:]
	}
	return xml
}

// FromINV101 maps a decoded INV101 onto the list CreateList files
// (README.md of package sas, "Field mapping"). Its numbers were checked by
// the message's field rules.
func FromINV101(m sas.INV101) (zone.List, error) {
	h := m.Message.Head
	l := zone.List{InnerNo: h.EtpsInnerInvtNo, Book: h.PutrecNo, Type: codes.ListType(h.InvtType), IO: codes.IOFlag(h.ImpexpMarkcd),
		TradeMode: h.SupvModecd, DeclareFlag: codes.DeclareFlag(h.DclcusFlag), DeclarationKind: codes.DeclarationKind(h.DclcusTypecd),
		TransferType: codes.TransferType(h.ListType), RelatedListNo: h.RltInvtNo, RelatedBookNo: h.RltPutrecNo, ApplyNo: h.ApplyNo,
		Country: h.StshipTrsarvNatcd, DeclarationNo: h.EntryNo}
	if h.DclcusTypecd == "1" {
		l.DeclarationNo = h.RltEntryNo
	}
	if h.InputTime != "" {
		d, err := time.Parse("20060102", h.InputTime)
		if err != nil {
			return l, &singlewindow.FieldError{Path: "InvtHeadType/InputTime", Rule: "swdate", Message: err.Error()}
		}
		l.Date = d
	}
	for i, in := range m.Message.Lines {
		path := fmt.Sprintf("InvtListType[%d]/", i)
		ln := zone.ListLine{PartNumber: in.GdsMtno, Unit: in.DclUnitcd, Currency: in.DclCurrcd, ConsumptionVersion: in.UcnsVerno}
		if in.PutrecSeqno != "" {
			n, err := strconv.Atoi(in.PutrecSeqno)
			if err != nil {
				return l, &singlewindow.FieldError{Path: path + "PutrecSeqno", Rule: "numeric", Message: err.Error()}
			}
			ln.BookSeq = n
		}
		for _, a := range []struct {
			s    string
			into *decimal.Decimal
			name string
		}{{in.DclQty, &ln.Quantity, "DclQty"}, {in.DclUprcAmt, &ln.UnitPrice, "DclUprcAmt"}, {in.DclTotalAmt, &ln.Total, "DclTotalAmt"},
			{in.GrossWt, &ln.GrossWeight, "GrossWt"}, {in.NetWt, &ln.NetWeight, "NetWt"}} {
			v, err := singlewindow.ParseAmount(a.s)
			if err != nil {
				return l, &singlewindow.FieldError{Path: path + a.name, Rule: "amount", Message: err.Error()}
			}
			*a.into = v
		}
		if l.IO == codes.In {
			ln.Country = in.Natcd
		} else {
			ln.Country = in.DestinationNatcd
		}
		l.Lines = append(l.Lines, ln)
	}
	return l, nil
}
