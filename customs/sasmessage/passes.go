package sasmessage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// ExportPass writes pass no (the zone's number or customs') as the SAS121
// message in format f — the signed envelope's XML, or the zone systems'
// JSON {"head":{...},"list":[...],"rlt":[...]} — with the file name to
// keep it under. Whoever may read the pass may export it. The same pass
// exports the same bytes.
func (s *Service) ExportPass(ctx context.Context, p access.Principal, no string, f Format) ([]byte, string, error) {
	if f != XML && f != JSON && f != "" {
		return nil, "", badFormat(f)
	}
	ps, err := s.zone.GetPass(ctx, p, no)
	if err != nil {
		return nil, "", err
	}
	m, err := s.sas121(ctx, p, ps)
	if err != nil {
		return nil, "", err
	}
	out, err := sas.EncodeSAS121(m)
	if err != nil {
		var fe *singlewindow.FieldError
		if errors.As(err, &fe) {
			return nil, "", ledger.Precondition(zone.ReasonPassMessageUnrepresentable, "pass_no",
				"pass %s cannot be written as an SAS121 message: %s; correct the book, enterprise or pass", ps.No, fe.Error())
		}
		return nil, "", err
	}
	if f == JSON {
		out, err = sas.MarshalPassportJSON(m.Object.Package.Data.Business.Message)
		return out, ps.No + ".SAS121.json", err
	}
	return out, ps.No + ".SAS121.xml", nil
}

// sas121 builds the SAS121 message of a pass (README.md of package sas,
// "Passes").
func (s *Service) sas121(ctx context.Context, p access.Principal, ps zone.Pass) (*sas.SignedSAS121, error) {
	e, err := s.zone.GetEnterprise(ctx, p, ps.Enterprise)
	if err != nil {
		return nil, err
	}
	b, err := s.zone.GetBook(ctx, p, ps.Book)
	if err != nil {
		return nil, err
	}
	var m sas.SignedSAS121
	m.Object.Package.Envelope = sas.EnvelopInfo{Version: "1.0", MessageID: "SAS121-" + ps.No, FileName: ps.No + ".SAS121.xml",
		MessageType: sas.MessageSAS121, SenderID: e.CustomsCode, ReceiverID: ReceiverID,
		SendTime: ps.CreatedAt.In(singlewindow.ChinaTime).Format("2006-01-02T15:04:05")}
	tare := ps.VehicleWeight.Add(ps.FrameWeight).Add(ps.ContainerWeight)
	h := sas.PassportHead{EtpsPreentNo: ps.InnerNo, PassportNo: ps.CustomsNo, DclTypecd: "1", IoTypecd: string(ps.IO),
		PassportTypecd: string(ps.Type), BindTypecd: string(ps.Bind), RltTbTypecd: string(ps.RelatedType), MasterCuscd: b.CustomsOffice,
		AreainOriactNo: ps.Book, AreainEtpsSccd: e.USCC, AreainEtpsno: e.CustomsCode, AreainEtpsNm: e.Name,
		DclEtpsSccd: e.USCC, DclEtpsno: e.CustomsCode, DclEtpsNm: e.Name, InputSccd: e.USCC, InputCode: e.CustomsCode, InputName: e.Name,
		VehicleNo: ps.Vehicle, VehicleWt: ps.VehicleWeight.String(), VehicleFrameWt: ps.FrameWeight.String(),
		ContainerNo: ps.Container, ContainerWt: ps.ContainerWeight.String(),
		TotalWt: tare.Add(ps.GrossWeight).String(), TotalGrossWt: ps.GrossWeight.String(), TotalNetWt: ps.NetWeight.String()}
	msg := sas.PassportMessage{OperCusRegCode: e.CustomsCode, Head: h}
	for _, no := range ps.RelatedNos {
		if ps.RelatedType == codes.RelatedList {
			l, err := s.zone.GetList(ctx, p, no)
			if err != nil {
				return nil, err
			}
			no = rltListNo(l)
		}
		msg.Rlt = append(msg.Rlt, sas.PassportRlt{PassportNo: ps.CustomsNo, RltTbTypecd: string(ps.RelatedType), RltNo: no})
	}
	if len(msg.Rlt) > 0 {
		msg.Head.RltNo = msg.Rlt[0].RltNo
	}
	for i, ln := range ps.Lines {
		pl := sas.PassportLine{PassportSeqno: strconv.Itoa(i + 1), GdsNm: ln.Description, DclUnitcd: ln.Unit,
			DclQty: ln.Quantity.String(), GrossWt: ln.GrossWeight.String(), NetWt: ln.NetWeight.String()}
		if ln.ListSeq > 0 {
			pl.RltGdsSeqno = strconv.Itoa(ln.ListSeq)
		}
		if ln.BookSeq > 0 {
			bl, err := s.bookLine(ctx, p, ps.Book, ln.BookSeq)
			if err != nil {
				return nil, err
			}
			pl.Gdecd = bl.HSCode
			if pl.GdsNm == "" {
				pl.GdsNm = bl.Name
			}
			if len(bl.PartNumbers) > 0 {
				pl.GdsMtno = bl.PartNumbers[0]
			}
		}
		msg.List = append(msg.List, pl)
	}
	m.Object.Package.Data.Business = sas.SAS121{DeclareFlag: "1", Message: msg}
	return &m, nil
}

// rltListNo is the number an SAS121 message gives a verification list it
// is related to (rltNo): customs' number (保税清单编号, from the list's
// INV201 receipt) once the list has one, else the zone's list number.
func rltListNo(l zone.List) string {
	if l.CustomsNo != "" {
		return l.CustomsNo
	}
	return l.No
}

// PassOutcome is what importing one pass receipt did.
type PassOutcome struct {
	// MessageType is SAS221 or SAS251; MessageID the envelope's message_id.
	MessageType string
	MessageID   string
	// Pass is the pass after the receipt.
	Pass zone.Pass
	// Changed is false when the receipt changed nothing (it was imported
	// before, or it reports a state the pass is already past).
	Changed bool
}

// ImportPassReceipt applies one of customs' receipts of a gate pass,
// routed by its envelope's message_type, through
// zone.Service.ApplyPassReceipt. Customs or an admin only.
//
// SAS221 (审核回执) stores customs' pass number (businessId) on the pass
// and approves it (manageResult 1 通过) or returns it (3 退单, rmk the
// note). SAS251 (gate status, stucd) moves it at the gate: 2 已过卡 in a
// single-gate zone, 3 已过一卡 and 4 已过二卡 in a two-gate zone, dated by
// passTime / secdPassTime (else manageDate, else the server's clock); 5
// 已删除 deletes it; 0 and 1 change nothing but the number, and approve.
// A message that does not decode or breaks its field rules is refused with
// PASS_MESSAGE_INVALID naming the element path; an unknown code with
// PASS_RECEIPT_CODE. The same receipt twice changes nothing.
func (s *Service) ImportPassReceipt(ctx context.Context, p access.Principal, data []byte) (PassOutcome, error) {
	outs, _, err := s.ImportPassReceipts(ctx, p, [][]byte{data})
	if err != nil {
		return PassOutcome{}, err
	}
	return outs[0], nil
}

// ImportPassReceipts imports customs' pass receipts in order, the way
// ImportReceipts imports list receipts: every message is decoded and read
// first, so a message that does not decode, breaks its field rules or
// carries an unknown code refuses the call before any receipt is applied;
// then each is applied in its own transaction and the first refusal stops
// the call. On a refusal, the int is the index of the refused message.
// Receipts applied before it stay applied; sending the whole batch again
// (once the refused message is put right) applies nothing twice, since
// the same receipt twice changes nothing.
func (s *Service) ImportPassReceipts(ctx context.Context, p access.Principal, msgs [][]byte) ([]PassOutcome, int, error) {
	if p.Disabled || (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) {
		return nil, 0, ledger.Denied("only customs or an admin may import customs' receipts; principal %q is %s", p.ID, p.Role)
	}
	return importAll(ctx, msgs, readPassReceipt, func(ctx context.Context, r zone.PassReceipt, o *PassOutcome) (err error) {
		o.Pass, o.Changed, err = s.zone.ApplyPassReceipt(ctx, p, r)
		return err
	})
}

// readPassReceipt decodes one pass receipt, routed by its envelope's
// message_type, into what it says of its pass.
func readPassReceipt(data []byte) (PassOutcome, zone.PassReceipt, error) {
	env, err := sas.ReceiptType(data)
	if err != nil {
		return PassOutcome{}, zone.PassReceipt{}, passRefusal(err)
	}
	out := PassOutcome{MessageType: env.MessageType, MessageID: env.MessageID}
	var r zone.PassReceipt
	switch env.MessageType {
	case sas.MessageSAS221:
		_, m, err := sas.DecodeReceipt[sas.SAS221Data](data, sas.MessageSAS221)
		if err != nil {
			return out, r, passRefusal(err)
		}
		r, err = fromSAS221(m.Receipt)
		return out, r, err
	case sas.MessageSAS251:
		_, m, err := sas.DecodeReceipt[sas.SAS251Data](data, sas.MessageSAS251)
		if err != nil {
			return out, r, passRefusal(err)
		}
		r, err = fromSAS251(m.Receipt, env.MessageID)
		return out, r, err
	default:
		return out, r, ledger.Invalid(zone.ReasonPassReceiptCode, "Package/EnvelopInfo/message_type", "%q is not a gate pass receipt; import SAS221 or SAS251 here", env.MessageType)
	}
}

// The element paths of pass receipts.
const (
	sas221Path = "Package/DataInfo/BussinessData/SAS221/"
	sas251Path = "Package/DataInfo/BussinessData/SAS251/"
)

// fromSAS221 reads what an SAS221 says of its pass.
func fromSAS221(m sas.SAS221) (zone.PassReceipt, error) {
	r := zone.PassReceipt{CustomsNo: m.Result.BusinessID, CustomsNoField: sas221Path + "HdeApprResult/businessId",
		Enterprise: m.Head.AreainEtpsSccd, InnerNo: m.Result.EtpsPreentNo, InnerNoField: sas221Path + "HdeApprResult/etpsPreentNo",
		ActionField: sas221Path + "HdeApprResult/manageResult", Said: "SAS221 manageResult " + m.Result.ManageResult, Note: m.Result.Rmk}
	switch m.Result.ManageResult {
	case sas.PassApproved:
		if r.CustomsNo == "" {
			return r, ledger.Invalid(zone.ReasonPassMessageInvalid, r.CustomsNoField, "is required when ManageResult is %s (通过): it is customs' pass number", sas.PassApproved)
		}
		r.Action = zone.PassActionApprove
	case sas.PassReturned:
		r.Action = zone.PassActionReturn
	default:
		return r, ledger.Invalid(zone.ReasonPassReceiptCode, r.ActionField, "%q is not an SAS221 result; expected %s (通过) or %s (退单)", m.Result.ManageResult, sas.PassApproved, sas.PassReturned)
	}
	return r, nil
}

// fromSAS251 reads what an SAS251 says of its pass; messageID names the
// gate passage when the receipt gives no passID.
func fromSAS251(m sas.SAS251, messageID string) (zone.PassReceipt, error) {
	head := sas251Path + "Sas2stepPassportBsc/"
	r := zone.PassReceipt{CustomsNo: m.Head.PassportNo, CustomsNoField: head + "passportNo",
		Enterprise: m.Head.AreainEtpsSccd, InnerNo: m.Result.EtpsPreentNo, InnerNoField: sas251Path + "HdeApprResult/etpsPreentNo",
		ActionField: head + "stucd", Said: "gate status " + m.Head.Stucd}
	if r.CustomsNo == "" {
		r.CustomsNo, r.CustomsNoField = m.Result.BusinessID, sas251Path+"HdeApprResult/businessId"
	}
	switch m.Head.Stucd {
	case sas.GateApplied:
		r.Action = zone.PassActionNone
	case sas.GateApproved:
		r.Action = zone.PassActionApprove
	case sas.GatePassed:
		r.Action = zone.PassActionPassed
	case sas.GateFirstGate:
		r.Action = zone.PassActionFirstGate
	case sas.GateSecondGate:
		r.Action = zone.PassActionSecondGate
	case sas.GateDeleted:
		r.Action = zone.PassActionDelete
	default:
		return r, ledger.Invalid(zone.ReasonPassReceiptCode, r.ActionField, "%q is not a gate status; expected 0 to 5 (0 已申请, 1 已审批, 2 已过卡, 3 已过一卡, 4 已过二卡, 5 已删除)", m.Head.Stucd)
	}
	if r.Action != zone.PassActionPassed && r.Action != zone.PassActionFirstGate && r.Action != zone.PassActionSecondGate {
		return r, nil
	}
	r.EventID = "SAS251:" + m.Head.Stucd + ":" + firstOf(m.Head.PassID, messageID)
	var err error
	if r.FirstGateAt, r.FirstGateAtField, err = gateTime(m, m.Head.PassTime, head+"passTime"); err != nil {
		return r, err
	}
	r.SecondGateAt, r.SecondGateAtField, err = gateTime(m, firstOf(m.Head.SecdPassTime, m.Head.PassTime), head+"secdPassTime")
	return r, err
}

// gateTime reads when a vehicle passed a gate: at (element field), else
// the receipt's manageDate, else zero (the server's clock).
func gateTime(m sas.SAS251, at, field string) (time.Time, string, error) {
	if at == "" {
		at, field = m.Result.ManageDate, sas251Path+"HdeApprResult/manageDate"
	}
	if at == "" {
		return time.Time{}, field, nil
	}
	t, err := sas.ParsePassReceiptTime(at)
	if err != nil {
		return t, field, ledger.Invalid(zone.ReasonPassMessageInvalid, field, "%q is not a time yyyy-MM-dd HH:mm:ss", at)
	}
	return t, field, nil
}

// passRefusal turns a pass receipt the decoder or the field rules refused
// into PASS_MESSAGE_INVALID naming the element path ("message" when the
// message as a whole is refused).
func passRefusal(err error) error {
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		path := fe.Path
		if path == "" {
			path = "message"
		}
		return ledger.Invalid(zone.ReasonPassMessageInvalid, path, "%s", fe.Message)
	}
	return err
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
