package zone

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/ledger"
)

// Reasons of gate pass messages and receipts (SAS121 out, SAS221 and SAS251
// in).
const (
	// ReasonPassMessageInvalid: a receipt does not parse or breaks its
	// field rules; the field is the element path.
	ReasonPassMessageInvalid = "PASS_MESSAGE_INVALID"
	// ReasonPassReceiptUnknownPass: a receipt names a pass the zone does
	// not have (by customs number, or enterprise and inner number).
	ReasonPassReceiptUnknownPass = "PASS_RECEIPT_UNKNOWN_PASS"
	// ReasonPassCustomsNoTaken: the customs number of a receipt is already
	// another pass's, or the pass already carries another one.
	ReasonPassCustomsNoTaken = "PASS_CUSTOMS_NUMBER_TAKEN"
	// ReasonPassReceiptCode: a receipt carries a code zoneledger does not
	// know (message_type, manageResult, stucd).
	ReasonPassReceiptCode = "PASS_RECEIPT_CODE"
	// ReasonPassReceiptState: a receipt contradicts where the pass is (a
	// return after the vehicle passed, a gate status of the other gate
	// mode, a passage of a deleted pass).
	ReasonPassReceiptState = "PASS_RECEIPT_STATE"
	// ReasonPassMessageUnrepresentable: a pass cannot be written as an
	// SAS121 message that keeps the message's own field rules.
	ReasonPassMessageUnrepresentable = "PASS_MESSAGE_UNREPRESENTABLE"
)

// MessageFormat is how a message is written: the single window's XML or
// the zone systems' JSON.
type MessageFormat int

// Message formats.
const (
	FormatXML MessageFormat = iota
	FormatJSON
)

// PassReceiverID is the receiver_id of an exported SAS121's envelope: the
// id customs' receipts are sent from (CUS0000 in the public samples).
// UNCONFIRMED: the enterprise's single-window client may rewrite it.
const PassReceiverID = "CUS0000"

// Message is an exported message: its bytes and the file name to save
// them under.
type Message struct {
	Data     []byte
	FileName string
}

// ExportPassMessage writes pass no (the zone's number or customs') as the
// SAS121 message in format: the signed envelope's XML, or the zone
// systems' JSON {"head":{...},"list":[...],"rlt":[...]}. Whoever may
// read the pass may export it. The same pass exports the same bytes.
func (s *Service) ExportPassMessage(ctx context.Context, p access.Principal, no string, format MessageFormat) (Message, error) {
	ps, err := s.GetPass(ctx, p, no)
	if err != nil {
		return Message{}, err
	}
	m, err := s.sas121(ctx, ps)
	if err != nil {
		return Message{}, dbError(err)
	}
	out, err := sas.EncodeSAS121(m)
	if err != nil {
		var fe *singlewindow.FieldError
		if errors.As(err, &fe) {
			return Message{}, precondition(ReasonPassMessageUnrepresentable, "pass_no", "pass %s cannot be written as an SAS121 message: %s; correct the book, enterprise or pass", ps.No, fe.Error())
		}
		return Message{}, err
	}
	name := ps.No + ".SAS121.xml"
	if format == FormatJSON {
		if out, err = sas.MarshalPassportJSON(m.Object.Package.Data.Business.Message); err != nil {
			return Message{}, err
		}
		name = ps.No + ".SAS121.json"
	}
	return Message{Data: out, FileName: name}, nil
}

// sas121 builds the SAS121 message of a pass.
func (s *Service) sas121(ctx context.Context, ps Pass) (*sas.SignedSAS121, error) {
	e, err := loadEnterprise(ctx, s.pool, ps.Enterprise)
	if err != nil {
		return nil, err
	}
	b, err := loadBook(ctx, s.pool, ps.Book)
	if err != nil {
		return nil, err
	}
	var m sas.SignedSAS121
	m.Object.Package.Envelope = sas.EnvelopInfo{Version: "1.0", MessageID: "SAS121-" + ps.No, FileName: ps.No + ".SAS121.xml",
		MessageType: sas.MessageSAS121, SenderID: e.CustomsCode, ReceiverID: PassReceiverID,
		SendTime: ps.CreatedAt.In(chinaTime).Format("2006-01-02T15:04:05")}
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
			var l List
			if _, err := getDoc(ctx, s.pool, kindList, no, false, &l); err != nil {
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
			bl, err := loadLine(ctx, s.pool, ps.Book, ln.BookSeq)
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
func rltListNo(l List) string {
	if l.CustomsNo != "" {
		return l.CustomsNo
	}
	return l.No
}

// chinaTime is UTC+8, the single window's clock.
var chinaTime = time.FixedZone("CST", 8*3600)

// PassReceiptResult is what importing one receipt did.
type PassReceiptResult struct {
	// MessageType is SAS221 or SAS251; MessageID the envelope's message_id.
	MessageType string
	MessageID   string
	// PassNo, CustomsNo and Status are the pass's after the receipt.
	PassNo    string
	CustomsNo string
	Status    PassStatus
	// Changed is false when the receipt changed nothing (it was imported
	// before, or it reports a state the pass is already past).
	Changed bool
}

// ImportPassReceipt applies one of customs' receipts of a gate pass,
// routed by its envelope's message_type. Customs or an admin only.
//
// SAS221 (审核回执) stores customs' pass number (businessId) on the pass
// and approves it (manageResult 1 通过: APPLIED → APPROVED) or returns it
// (3 退单: → RETURNED with rmk as the note; what it bound is free again).
// SAS251 (gate status, stucd) moves it at the gate through the path
// RecordGateEvent takes, without the scale's checks (customs' gate
// released the vehicle): 2 已过卡 in a single-gate zone, 3 已过一卡 and 4
// 已过二卡 in a two-gate zone (4 alone takes both gates); the goods are
// booked when the vehicle passes the last gate, dated by passTime; 5 已删除
// deletes the pass as DeletePass does; 0 and 1 change nothing but the
// number, and approve.
//
// The pass is found by customs' number once known, else by the
// enterprise (areainEtpsSccd) and its own number (etpsPreentNo). The same
// receipt twice changes nothing, and a receipt of a state the pass is past
// does not move it back.
func (s *Service) ImportPassReceipt(ctx context.Context, p access.Principal, data []byte) (PassReceiptResult, error) {
	if p.Disabled || (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) {
		return PassReceiptResult{}, denied("only customs or an admin may import customs' receipts; principal %q is %s", p.ID, p.Role)
	}
	env, err := sas.ReceiptType(data)
	if err != nil {
		return PassReceiptResult{}, messageRefusal(err)
	}
	res := PassReceiptResult{MessageType: env.MessageType, MessageID: env.MessageID}
	var apply func(tx pgx.Tx, ps *Pass) (*intent, error)
	var customsNo, inner, uscc, numberField string
	var base string
	switch env.MessageType {
	case sas.MessageSAS221:
		_, r, err := sas.DecodeReceipt[sas.SAS221Data](data, sas.MessageSAS221)
		if err != nil {
			return res, messageRefusal(err)
		}
		base = "Package/DataInfo/BussinessData/SAS221/"
		customsNo, inner, uscc = r.Receipt.Result.BusinessID, r.Receipt.Result.EtpsPreentNo, r.Receipt.Head.AreainEtpsSccd
		numberField = base + "HdeApprResult/businessId"
		if customsNo == "" && r.Receipt.Result.ManageResult == sas.PassApproved {
			return res, invalid(ReasonPassMessageInvalid, numberField, "is required when ManageResult is %s (通过): it is customs' pass number", sas.PassApproved)
		}
		apply = func(tx pgx.Tx, ps *Pass) (*intent, error) { return s.applySAS221(ctx, tx, p, ps, r.Receipt, base) }
	case sas.MessageSAS251:
		_, r, err := sas.DecodeReceipt[sas.SAS251Data](data, sas.MessageSAS251)
		if err != nil {
			return res, messageRefusal(err)
		}
		base = "Package/DataInfo/BussinessData/SAS251/"
		customsNo, inner, uscc = r.Receipt.Head.PassportNo, r.Receipt.Result.EtpsPreentNo, r.Receipt.Head.AreainEtpsSccd
		numberField = base + "Sas2stepPassportBsc/passportNo"
		if customsNo == "" {
			customsNo, numberField = r.Receipt.Result.BusinessID, base+"HdeApprResult/businessId"
		}
		apply = func(tx pgx.Tx, ps *Pass) (*intent, error) {
			return s.applySAS251(ctx, tx, p, ps, r.Receipt, env.MessageID, base)
		}
	default:
		return res, invalid(ReasonPassReceiptCode, "Package/EnvelopInfo/message_type", "%q is not a gate pass receipt; import SAS221 or SAS251 here", env.MessageType)
	}
	var before Pass
	err = s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := receiptPass(ctx, tx, customsNo, inner, uscc, base, numberField)
		if err != nil {
			return nil, err
		}
		before = ps
		return apply(tx, &ps)
	})
	if err != nil {
		return res, err
	}
	var after Pass
	if _, err := getDoc(ctx, s.pool, kindPass, before.No, false, &after); err != nil {
		return res, dbError(err)
	}
	res.PassNo, res.CustomsNo, res.Status = after.No, after.CustomsNo, after.Status
	res.Changed = after.Status != before.Status || after.CustomsNo != before.CustomsNo || len(after.Events) != len(before.Events)
	return res, nil
}

// messageRefusal turns a message the decoder or the field rules refused
// into the zone's error naming the element path.
func messageRefusal(err error) error {
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		path := fe.Path
		if path == "" {
			path = "message"
		}
		return invalid(ReasonPassMessageInvalid, path, "%s", fe.Message)
	}
	return err
}

// receiptPass finds and locks the pass a receipt answers: by customs'
// number once a pass carries it (the receipt's enterprise and inner
// number must then be that pass's), else by the enterprise and its inner
// number.
func receiptPass(ctx context.Context, tx pgx.Tx, customsNo, inner, uscc, base, numberField string) (Pass, error) {
	var no string
	if customsNo != "" {
		err := tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND customs_no = $2`, kindPass, customsNo).Scan(&no)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return Pass{}, err
		}
		if no != "" {
			ps, err := lockPass(ctx, tx, no)
			if err != nil {
				return ps, err
			}
			if ps.InnerNo != inner || ps.Enterprise != uscc {
				return ps, conflict(ReasonPassCustomsNoTaken, numberField, "customs number %s is already another pass's (enterprise %s, inner number %s), not the pass of enterprise %s numbered %q; check the receipt",
					customsNo, ps.Enterprise, ps.InnerNo, uscc, inner)
			}
			return ps, nil
		}
	}
	if no == "" {
		err := tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND enterprise = $2 AND inner_no = $3`, kindPass, uscc, inner).Scan(&no)
		if errors.Is(err, pgx.ErrNoRows) {
			return Pass{}, notFound(ReasonPassReceiptUnknownPass, base+"HdeApprResult/etpsPreentNo",
				"no gate pass of enterprise %s has the inner number %q or the customs number %q; check that the pass was filed here (CreatePass) under that number", uscc, inner, customsNo)
		}
		if err != nil {
			return Pass{}, err
		}
	}
	return lockPass(ctx, tx, no)
}

// assignCustomsNo stores customs' number on a locked pass (column and
// body) unless it carries it already.
func assignCustomsNo(ctx context.Context, tx pgx.Tx, ps *Pass, no, field string) error {
	if no == "" || ps.CustomsNo == no {
		return nil
	}
	if ps.CustomsNo != "" {
		return conflict(ReasonPassCustomsNoTaken, field, "pass %s already carries customs number %s, not %s; check the receipt", ps.No, ps.CustomsNo, no)
	}
	var other string
	err := tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND customs_no = $2`, kindPass, no).Scan(&other)
	if err == nil {
		return conflict(ReasonPassCustomsNoTaken, field, "customs number %s is already pass %s's; check the receipt", no, other)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE zone_documents SET customs_no = $3 WHERE kind = $1 AND no = $2`, kindPass, ps.No, no); err != nil {
		return err
	}
	ps.CustomsNo = no
	return updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
}

// applySAS221 applies customs' approval receipt to a locked pass.
func (s *Service) applySAS221(ctx context.Context, tx pgx.Tx, p access.Principal, ps *Pass, r sas.SAS221, base string) (*intent, error) {
	result := base + "HdeApprResult/manageResult"
	switch r.Result.ManageResult {
	case sas.PassApproved:
		if err := assignCustomsNo(ctx, tx, ps, r.Result.BusinessID, base+"HdeApprResult/businessId"); err != nil {
			return nil, err
		}
		if ps.Status != PassApplied {
			return nil, nil // approved already, or past it
		}
		ps.Status = PassApproved
		if r.Result.Rmk != "" {
			ps.Note = r.Result.Rmk
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
	case sas.PassReturned:
		if err := assignCustomsNo(ctx, tx, ps, r.Result.BusinessID, base+"HdeApprResult/businessId"); err != nil {
			return nil, err
		}
		switch ps.Status {
		case PassReturned:
			return nil, nil
		case PassApplied, PassApproved:
		default:
			return nil, precondition(ReasonPassReceiptState, result, "pass %s is %s; customs' return (退单) cannot undo it", ps.No, lower(ps.Status))
		}
		note := r.Result.Rmk
		if note == "" {
			note = "returned by customs (SAS221 退单) without a remark"
		}
		ps.Status, ps.Note = PassReturned, note
		if err := s.releasePass(ctx, tx, *ps, PassReturned, p.ID, note); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
	}
	return nil, invalid(ReasonPassReceiptCode, result, "%q is not an SAS221 result; expected %s (通过) or %s (退单)", r.Result.ManageResult, sas.PassApproved, sas.PassReturned)
}

// applySAS251 applies customs' gate status receipt to a locked pass.
func (s *Service) applySAS251(ctx context.Context, tx pgx.Tx, p access.Principal, ps *Pass, r sas.SAS251, messageID, base string) (*intent, error) {
	head := base + "Sas2stepPassportBsc/"
	if err := assignCustomsNo(ctx, tx, ps, firstOf(r.Head.PassportNo, r.Result.BusinessID), head+"passportNo"); err != nil {
		return nil, err
	}
	stucd := head + "stucd"
	atGate := ps.Status == PassApplied || ps.Status == PassApproved || ps.Status == PassHeld
	late := func() error {
		return precondition(ReasonPassReceiptState, stucd, "pass %s is %s; customs reports gate status %s", ps.No, lower(ps.Status), r.Head.Stucd)
	}
	mode := func(two bool) error {
		if s.set.TwoGates == two {
			return nil
		}
		if s.set.TwoGates {
			return precondition(ReasonPassReceiptState, stucd, "gate status %s is for single-gate zones; this zone has two gates (3 已过一卡, 4 已过二卡)", r.Head.Stucd)
		}
		return precondition(ReasonPassReceiptState, stucd, "gate status %s is for two-gate zones; this zone has one gate (2 已过卡)", r.Head.Stucd)
	}
	event := func(gate int, at, atField string) (GateEvent, error) {
		e := GateEvent{ID: "SAS251:" + r.Head.Stucd + ":" + firstOf(r.Head.PassID, messageID), Gate: gate, Vehicle: ps.Vehicle, Container: ps.Container}
		t, field := at, atField
		if t == "" {
			t, field = r.Result.ManageDate, base+"HdeApprResult/manageDate"
		}
		if t == "" {
			e.At = s.clock()
			return e, nil
		}
		when, err := sas.ParsePassReceiptTime(t)
		if err != nil {
			return e, invalid(ReasonPassMessageInvalid, field, "%q is not a time yyyy-MM-dd HH:mm:ss", t)
		}
		if when.Before(EarliestBusinessDate) || when.After(s.now().Add(maxClockSkew)) {
			return e, invalid(ReasonPassMessageInvalid, field, "%s is before %s or in the future", t, ledger.FormatDate(EarliestBusinessDate))
		}
		e.At = when.UTC().Truncate(time.Microsecond)
		return e, nil
	}
	// throughGate runs the gate's path from where the pass is up to gate.
	throughGate := func(gate int) (*intent, error) {
		if ps.Status == PassHeld {
			// Customs' gate released a vehicle the zone's gate held.
			ps.Status, ps.HoldReasons = PassApproved, nil
		}
		if ps.Status != PassFirstGate {
			e, err := event(1, r.Head.PassTime, head+"passTime")
			if err != nil {
				return nil, err
			}
			in, err := s.gateStep(ctx, tx, p, *ps, e, false)
			if err != nil || gate == 1 || in != nil {
				return in, err
			}
			if *ps, err = lockPass(ctx, tx, ps.No); err != nil {
				return nil, err
			}
		}
		e, err := event(2, firstOf(r.Head.SecdPassTime, r.Head.PassTime), head+"secdPassTime")
		if err != nil {
			return nil, err
		}
		return s.gateStep(ctx, tx, p, *ps, e, false)
	}
	switch r.Head.Stucd {
	case sas.GateApplied:
		return nil, nil
	case sas.GateApproved:
		if ps.Status != PassApplied {
			return nil, nil
		}
		ps.Status = PassApproved
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
	case sas.GatePassed:
		if err := mode(false); err != nil {
			return nil, err
		}
		if ps.Status == PassPassed {
			return nil, nil
		}
		if !atGate {
			return nil, late()
		}
		return throughGate(1)
	case sas.GateFirstGate:
		if err := mode(true); err != nil {
			return nil, err
		}
		if ps.Status == PassFirstGate || ps.Status == PassPassed {
			return nil, nil
		}
		if !atGate {
			return nil, late()
		}
		return throughGate(1)
	case sas.GateSecondGate:
		if err := mode(true); err != nil {
			return nil, err
		}
		if ps.Status == PassPassed {
			return nil, nil
		}
		if !atGate && ps.Status != PassFirstGate {
			return nil, late()
		}
		return throughGate(2)
	case sas.GateDeleted:
		switch ps.Status {
		case PassDeletedStat:
			return nil, nil
		case PassApplied, PassApproved:
		default:
			return nil, late()
		}
		ps.Status = PassDeletedStat
		if err := s.releasePass(ctx, tx, *ps, PassDeletedStat, p.ID, "deleted by customs (SAS251 已删除)"); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
	}
	return nil, invalid(ReasonPassReceiptCode, stucd, "%q is not a gate status; expected 0 to 5 (0 已申请, 1 已审批, 2 已过卡, 3 已过一卡, 4 已过二卡, 5 已删除)", r.Head.Stucd)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func lower(st PassStatus) string { return strings.ToLower(string(st)) }

// passByCustomsNo is the zone number of the pass customs numbered no.
func passByCustomsNo(ctx context.Context, q querier, no string) (string, bool, error) {
	var zno string
	err := q.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND customs_no = $2`, kindPass, no).Scan(&zno)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return zno, err == nil, err
}
