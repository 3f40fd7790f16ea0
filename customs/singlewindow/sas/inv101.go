package sas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// MessageINV101 is the envelope message_type of a verification list.
const MessageINV101 = "INV101"

// INV101 is the bonded verification list (保税核注清单) an enterprise sends:
// the BussinessData of a Signed envelope. DeclareFlag (the single window's
// spelling DelcareFlag) is "0" 暂存 (store only) or "1" 申报 (declare).
type INV101 struct {
	DeclareFlag string        `xml:"DelcareFlag" validate:"required,oneof=0 1"`
	Message     INV101Message `xml:"InvtMessage"`
}

// INV101Message carries the list: its head (InvtHeadType) and lines
// (InvtListType).
type INV101Message struct {
	// SysId is the customs system the list goes to ("Z8" 特殊区域; UNCONFIRMED,
	// see README.md).
	SysID string `xml:"SysId" validate:"max=4"`
	// OperCusRegCode is the customs code of the enterprise that operates
	// the message.
	OperCusRegCode string       `xml:"OperCusRegCode" validate:"max=10"`
	Head           INV101Head   `xml:"InvtHeadType"`
	Lines          []INV101Line `xml:"InvtListType" validate:"max=1000,dive"`
}

// INV101Head is the list head (InvtHeadType), customs-reference §2.1. The
// element names are the 金二 specification's; the JSON form uses the same
// names with a lower-case first letter (EtpsInnerInvtNo → etpsInnerInvtNo).
// Dates are yyyyMMdd.
type INV101Head struct {
	SeqNo           string `xml:"SeqNo" json:"seqNo,omitempty" validate:"omitempty,len=18"`
	BondInvtNo      string `xml:"BondInvtNo" json:"bondInvtNo,omitempty" validate:"omitempty,len=18"`
	ChgTmsCnt       string `xml:"ChgTmsCnt" json:"chgTmsCnt,omitempty" validate:"omitempty,numeric,max=4"`
	PutrecNo        string `xml:"PutrecNo" json:"putrecNo" validate:"required,max=12"`
	EtpsInnerInvtNo string `xml:"EtpsInnerInvtNo" json:"etpsInnerInvtNo" validate:"required,max=64"`
	// 经营企业 (the book's enterprise).
	BizopEtpsSccd string `xml:"BizopEtpsSccd" json:"bizopEtpsSccd" validate:"required,len=18"`
	BizopEtpsno   string `xml:"BizopEtpsno" json:"bizopEtpsno" validate:"omitempty,len=10"`
	BizopEtpsNm   string `xml:"BizopEtpsNm" json:"bizopEtpsNm" validate:"max=512"`
	// 收发货企业.
	RvsngdEtpsSccd string `xml:"RvsngdEtpsSccd" json:"rvsngdEtpsSccd" validate:"omitempty,len=18"`
	RcvgdEtpsno    string `xml:"RcvgdEtpsno" json:"rcvgdEtpsno" validate:"omitempty,len=10"`
	RcvgdEtpsNm    string `xml:"RcvgdEtpsNm" json:"rcvgdEtpsNm" validate:"max=512"`
	// 申报企业.
	DclEtpsSccd string `xml:"DclEtpsSccd" json:"dclEtpsSccd" validate:"omitempty,len=18"`
	DclEtpsno   string `xml:"DclEtpsno" json:"dclEtpsno" validate:"omitempty,len=10"`
	DclEtpsNm   string `xml:"DclEtpsNm" json:"dclEtpsNm" validate:"max=512"`
	// 录入单位.
	InputCreditCode string `xml:"InputCreditCode" json:"inputCreditCode" validate:"omitempty,len=18"`
	InputCode       string `xml:"InputCode" json:"inputCode" validate:"omitempty,len=10"`
	InputName       string `xml:"InputName" json:"inputName" validate:"max=512"`
	// 进出境关别, 主管海关 (4 digits).
	ImpexpPortcd string `xml:"ImpexpPortcd" json:"impexpPortcd,omitempty" validate:"omitempty,len=4,numeric"`
	DclPlcCuscd  string `xml:"DclPlcCuscd" json:"dclPlcCuscd" validate:"omitempty,len=4,numeric"`
	// 进出口标记 I / E; 料件成品标记 I 料件 / E 成品.
	ImpexpMarkcd      string `xml:"ImpexpMarkcd" json:"impexpMarkcd" validate:"required,oneof=I E"`
	MtpckEndprdMarkcd string `xml:"MtpckEndprdMarkcd" json:"mtpckEndprdMarkcd" validate:"omitempty,oneof=I E"`
	// 监管方式 (4 digits), 运输方式 (1).
	SupvModecd string `xml:"SupvModecd" json:"supvModecd" validate:"required,len=4,numeric"`
	TrspModecd string `xml:"TrspModecd" json:"trspModecd,omitempty" validate:"omitempty,len=1"`
	// ApplyNo is the business form (申请编号).
	ApplyNo string `xml:"ApplyNo" json:"applyNo,omitempty" validate:"max=64"`
	// ListType is the 流转类型 of transfers (A to E).
	ListType string `xml:"ListType" json:"listType,omitempty" validate:"omitempty,oneof=A B C D E"`
	// DclcusFlag 是否报关 1 / 2; DclcusTypecd 报关类型 1 关联 / 2 对应; DecType 报关单类型.
	DclcusFlag   string `xml:"DclcusFlag" json:"dclcusFlag" validate:"required,oneof=1 2"`
	DclcusTypecd string `xml:"DclcusTypecd" json:"dclcusTypecd,omitempty" validate:"omitempty,oneof=1 2,excluded_if=DclcusFlag 2"`
	DecType      string `xml:"DecType" json:"decType,omitempty" validate:"omitempty,max=1"`
	GenDecFlag   string `xml:"GenDecFlag" json:"genDecFlag,omitempty" validate:"omitempty,oneof=1 2"`
	// 起运/运抵国 (3 characters).
	StshipTrsarvNatcd string `xml:"StshipTrsarvNatcd" json:"stshipTrsarvNatcd,omitempty" validate:"omitempty,len=3"`
	// 清单类型 (InvtType): 0 to 9, A, and the zone's 区内直转 letter.
	InvtType string `xml:"InvtType" json:"invtType" validate:"required,len=1"`
	// EntryNo is the corresponding declaration (对应报关, DclcusTypecd 2);
	// RltEntryNo the related one (关联报关, DclcusTypecd 1).
	EntryNo    string `xml:"EntryNo" json:"entryNo,omitempty" validate:"max=64"`
	RltEntryNo string `xml:"RltEntryNo" json:"rltEntryNo,omitempty" validate:"max=64"`
	// RltInvtNo and RltPutrecNo: the counterpart's list and book of a transfer.
	RltInvtNo   string `xml:"RltInvtNo" json:"rltInvtNo,omitempty" validate:"max=64"`
	RltPutrecNo string `xml:"RltPutrecNo" json:"rltPutrecNo,omitempty" validate:"max=12"`
	// DclTypecd 申报类型: 1 备案, 2 变更, 3 删除.
	DclTypecd string `xml:"DclTypecd" json:"dclTypecd" validate:"required,oneof=1 2 3"`
	// InputTime 录入日期 and InvtDclTime 清单申报日期, yyyyMMdd.
	InputTime   string `xml:"InputTime" json:"inputTime,omitempty" validate:"swdate"`
	InvtDclTime string `xml:"InvtDclTime" json:"invtDclTime,omitempty" validate:"swdate"`
	Rmk         string `xml:"Rmk" json:"rmk,omitempty" validate:"max=512"`
}

// INV101Line is a list line (InvtListType), customs-reference §1.3.
// Quantities and amounts are decimal strings, never numbers.
type INV101Line struct {
	GdsSeqno string `xml:"GdsSeqno" json:"gdsSeqno" validate:"required,numeric,max=5"`
	// PutrecSeqno is the book line (备案序号); GdsMtno the part number (料号).
	// One of them names the book line.
	PutrecSeqno string `xml:"PutrecSeqno" json:"putrecSeqno,omitempty" validate:"required_without=GdsMtno,omitempty,numeric,max=9"`
	GdsMtno     string `xml:"GdsMtno" json:"gdsMtno,omitempty" validate:"max=64"`
	// Gdecd is the 10-digit commodity code; GdsNm the name; GdsSpcfModelDesc
	// the declaration elements (规格型号).
	Gdecd            string `xml:"Gdecd" json:"gdecd,omitempty" validate:"omitempty,len=10,numeric"`
	GdsNm            string `xml:"GdsNm" json:"gdsNm,omitempty" validate:"max=512"`
	GdsSpcfModelDesc string `xml:"GdsSpcfModelDesc" json:"gdsSpcfModelDesc,omitempty" validate:"max=512"`
	// DclUnitcd and DclQty: the declared unit and quantity.
	DclUnitcd string `xml:"DclUnitcd" json:"dclUnitcd" validate:"required,max=3"`
	DclQty    string `xml:"DclQty" json:"dclQty" validate:"required,amount=19_5"`
	// LawfUnitcd / LawfQty: first legal unit; SecdLawfUnitcd / SecdLawfQty:
	// second, given together.
	LawfUnitcd     string `xml:"LawfUnitcd" json:"lawfUnitcd,omitempty" validate:"max=3"`
	LawfQty        string `xml:"LawfQty" json:"lawfQty,omitempty" validate:"amount=19_5"`
	SecdLawfUnitcd string `xml:"SecdLawfUnitcd" json:"secdLawfUnitcd,omitempty" validate:"max=3,required_with=SecdLawfQty"`
	SecdLawfQty    string `xml:"SecdLawfQty" json:"secdLawfQty,omitempty" validate:"amount=19_5,required_with=SecdLawfUnitcd"`
	// DclCurrcd 币制 (3 digits, 142 CNY); DclUprcAmt unit price (≤ 4
	// decimals); DclTotalAmt total (≤ 2 decimals).
	DclCurrcd   string `xml:"DclCurrcd" json:"dclCurrcd,omitempty" validate:"omitempty,len=3,numeric"`
	DclUprcAmt  string `xml:"DclUprcAmt" json:"dclUprcAmt,omitempty" validate:"amount=18_4"`
	DclTotalAmt string `xml:"DclTotalAmt" json:"dclTotalAmt,omitempty" validate:"amount=17_2"`
	// Natcd origin country, DestinationNatcd final destination (3).
	Natcd            string `xml:"Natcd" json:"natcd,omitempty" validate:"omitempty,len=3"`
	DestinationNatcd string `xml:"DestinationNatcd" json:"destinationNatcd,omitempty" validate:"omitempty,len=3"`
	// LvyrlfModecd 征免方式 1 to 9.
	LvyrlfModecd string `xml:"LvyrlfModecd" json:"lvyrlfModecd,omitempty" validate:"omitempty,oneof=1 2 3 4 5 6 7 8 9"`
	// GrossWt and NetWt in kg.
	GrossWt string `xml:"GrossWt" json:"grossWt,omitempty" validate:"amount=19_5"`
	NetWt   string `xml:"NetWt" json:"netWt,omitempty" validate:"amount=19_5"`
	// UcnsVerno is the unit consumption version (单耗版本号).
	UcnsVerno string `xml:"UcnsVerno" json:"ucnsVerno,omitempty" validate:"omitempty,numeric,max=8"`
	// ModfMarkcd 修改标志: 0 未修改, 1 修改, 2 删除, 3 增加.
	ModfMarkcd string `xml:"ModfMarkcd" json:"modfMarkcd,omitempty" validate:"omitempty,oneof=0 1 2 3"`
	Rmk        string `xml:"Rmk" json:"rmk,omitempty" validate:"max=512"`
}

// INV101JSON is the JSON form the zone systems exchange: the same head and
// lines as the XML, {"head":{...},"list":[...]}, plus the declare flag.
type INV101JSON struct {
	DeclareFlag string       `json:"delcareFlag,omitempty"`
	Head        INV101Head   `json:"head"`
	List        []INV101Line `json:"list"`
}

// EncodeINV101 writes a signed INV101 message with its envelope.
func EncodeINV101(env EnvelopInfo, m INV101) ([]byte, error) {
	var s Signed[INV101]
	env.MessageType = MessageINV101
	s.Object.Package.Envelope = env
	s.Object.Package.Data.Business = m
	return singlewindow.Encode(&s)
}

// DecodeINV101 reads a signed INV101 message and checks its field rules.
// A broken rule is a *singlewindow.FieldError naming the element path.
func DecodeINV101(data []byte) (EnvelopInfo, INV101, error) {
	var s Signed[INV101]
	if err := singlewindow.Decode(data, &s); err != nil {
		return EnvelopInfo{}, INV101{}, err
	}
	env, m := s.Object.Package.Envelope, s.Object.Package.Data.Business
	if env.MessageType != MessageINV101 {
		return env, m, &singlewindow.FieldError{Path: "Signature/Object/Package/EnvelopInfo/message_type", Rule: "oneof",
			Message: fmt.Sprintf("is %q where an INV101 verification list was expected", env.MessageType)}
	}
	if err := singlewindow.Validate(&s); err != nil {
		return env, m, err
	}
	return env, m, nil
}

// EncodeINV101JSON writes the JSON form of m, indented by two spaces and
// ending with a newline.
func EncodeINV101JSON(m INV101) ([]byte, error) {
	out, err := json.MarshalIndent(INV101JSON{DeclareFlag: m.DeclareFlag, Head: m.Message.Head, List: m.Message.Lines}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// DecodeINV101JSON reads the JSON form (at most
// singlewindow.MaxMessageBytes, unknown names refused) and checks the same
// field rules as the XML; a broken rule names the JSON path
// ("list[0]/dclQty"). A missing delcareFlag is "0" (store only).
func DecodeINV101JSON(data []byte) (INV101, error) {
	if len(data) > singlewindow.MaxMessageBytes {
		return INV101{}, &singlewindow.FieldError{Rule: "size", Err: singlewindow.ErrTooLarge,
			Message: fmt.Sprintf("the message is %d bytes; send at most %d bytes per message", len(data), singlewindow.MaxMessageBytes)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j INV101JSON
	if err := dec.Decode(&j); err != nil {
		return INV101{}, jsonError(err)
	}
	if dec.More() {
		return INV101{}, &singlewindow.FieldError{Rule: "json", Err: singlewindow.ErrMalformed, Message: "text after the message: send one message per document"}
	}
	if j.DeclareFlag == "" {
		j.DeclareFlag = "0"
	}
	m := INV101{DeclareFlag: j.DeclareFlag, Message: INV101Message{Head: j.Head, Lines: j.List}}
	var s Signed[INV101]
	s.Object.Package.Envelope = EnvelopInfo{Version: "1.0", MessageID: "json", MessageType: MessageINV101, SenderID: "json", ReceiverID: "json"}
	s.Object.Package.Data.Business = m
	if err := singlewindow.Validate(&s); err != nil {
		var fe *singlewindow.FieldError
		if errors.As(err, &fe) {
			fe.Path = jsonPath(fe.Path)
		}
		return m, err
	}
	return m, nil
}

// jsonError names where a JSON message broke.
func jsonError(err error) error {
	fe := &singlewindow.FieldError{Rule: "json", Err: singlewindow.ErrMalformed, Message: err.Error()}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		fe.Path = strings.ReplaceAll(te.Field, ".", "/")
		fe.Message = fmt.Sprintf("must be a %s (quantities and amounts are strings: \"10.5\")", te.Type)
	}
	return fe
}

// jsonPath turns an XML element path of a Signed INV101 into the JSON
// form's: "Signature/.../InvtMessage/InvtListType[0]/DclQty" → "list[0]/dclQty".
func jsonPath(p string) string {
	const msg = "Signature/Object/Package/DataInfo/BussinessData/"
	p = strings.TrimPrefix(p, msg)
	if p == "DelcareFlag" {
		return "delcareFlag"
	}
	p = strings.TrimPrefix(p, "InvtMessage/")
	parts := strings.Split(p, "/")
	for i, s := range parts {
		switch {
		case s == "InvtHeadType":
			parts[i] = "head"
		case strings.HasPrefix(s, "InvtListType"):
			parts[i] = "list" + strings.TrimPrefix(s, "InvtListType")
		case s != "":
			parts[i] = strings.ToLower(s[:1]) + s[1:]
		}
	}
	return strings.Join(parts, "/")
}
