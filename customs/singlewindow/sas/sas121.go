package sas

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// MessageSAS121 is the message type of a gate pass (核放单) in its
// envelope's message_type.
const MessageSAS121 = "SAS121"

// SAS121 is the BussinessData of a gate pass message (核放单申报): the
// declare flag and the pass. Element names follow the single window's
// SAS121 as the public gx-customs-bridge models (sas121_models.go) and
// customs' SAS221 echo of it (SasPassportBsc, SasPassportDt,
// SasPassportRlt) spell them.
type SAS121 struct {
	// DeclareFlag is 0 暂存 (store) or 1 申报 (declare); the single
	// window spells the element DelcareFlag.
	DeclareFlag string          `xml:"DelcareFlag" validate:"required,oneof=0 1"`
	Message     PassportMessage `xml:"PassPortMessage"`
}

// PassportMessage is a gate pass: its head, its lines and the documents
// it is related to. Marshalled as JSON it is the form the zone systems
// use, {"head":{...},"list":[...],"rlt":[...]}, with the same camelCase
// names as the XML elements.
type PassportMessage struct {
	// OperCusRegCode is the customs code (海关编码) of the enterprise
	// operating the message; not part of the JSON form.
	OperCusRegCode string         `xml:"OperCusRegCode" json:"-" validate:"max=10"`
	Head           PassportHead   `xml:"PassportHead" json:"head"`
	List           []PassportLine `xml:"PassportList" json:"list" validate:"max=1000,dive"`
	Rlt            []PassportRlt  `xml:"SasPassportRlt" json:"rlt" validate:"max=1000,dive"`
}

// PassportHead is the head of a gate pass (核放单表头), customs-reference
// §2.2. Weights are kg as decimal strings, never floats.
type PassportHead struct {
	// SeqNo is the single window's 预录入统一编号; empty until it assigns one.
	SeqNo string `xml:"seqNo" json:"seqNo" validate:"max=18"`
	// PassportNo is customs' 核放单编号; empty when the pass is first filed.
	PassportNo string `xml:"passportNo" json:"passportNo" validate:"max=64"`
	// EtpsPreentNo is the enterprise's own number (企业内部编号).
	EtpsPreentNo string `xml:"etpsPreentNo" json:"etpsPreentNo" validate:"required,max=64"`
	// RltTbTypecd is 关联单证类型: 1 核注清单, 2 出入库单, 3 提运单; empty for
	// pass types 5 and 6.
	RltTbTypecd string `xml:"rltTbTypecd" json:"rltTbTypecd" validate:"excluded_if=PassportTypecd 5,excluded_if=PassportTypecd 6,omitempty,oneof=1 2 3"`
	// RltNo is the (first) related document's number; empty for pass
	// types 5 and 6.
	RltNo string `xml:"rltNo" json:"rltNo" validate:"excluded_if=PassportTypecd 5,excluded_if=PassportTypecd 6,max=64"`
	// DclTypecd is 申报类型: 1 备案, 2 变更, 3 作废.
	DclTypecd string `xml:"dclTypecd" json:"dclTypecd" validate:"required,oneof=1 2 3"`
	// IoTypecd is 进出标志: I into the zone, E out of it.
	IoTypecd string `xml:"ioTypecd" json:"ioTypecd" validate:"required,oneof=I E"`
	// PassportTypecd is 核放单类型, 1 to 6.
	PassportTypecd string `xml:"passportTypecd" json:"passportTypecd" validate:"required,oneof=1 2 3 4 5 6"`
	// BindTypecd is 绑定类型: 1 一车多票, 2 一票一车, 3 一票多车; empty for pass
	// types 5 and 6.
	BindTypecd string `xml:"bindTypecd" json:"bindTypecd" validate:"excluded_if=PassportTypecd 5,excluded_if=PassportTypecd 6,omitempty,oneof=1 2 3"`
	// MasterCuscd is the competent customs office (主管关区), 4 digits.
	MasterCuscd string `xml:"masterCuscd" json:"masterCuscd" validate:"required,len=4,numeric"`
	// AreainOriactNo is the zone book (区内账册号).
	AreainOriactNo string `xml:"areainOriactNo" json:"areainOriactNo" validate:"max=64"`
	// The zone enterprise (区内企业): USCC, customs code, name.
	AreainEtpsSccd string `xml:"areainEtpsSccd" json:"areainEtpsSccd" validate:"required,len=18"`
	AreainEtpsno   string `xml:"areainEtpsno" json:"areainEtpsno" validate:"required,max=10"`
	AreainEtpsNm   string `xml:"areainEtpsNm" json:"areainEtpsNm" validate:"required,max=512"`
	// The declaring enterprise (申报企业) and the input unit (录入单位).
	DclEtpsSccd string `xml:"dclEtpsSccd" json:"dclEtpsSccd" validate:"max=18"`
	DclEtpsno   string `xml:"dclEtpsno" json:"dclEtpsno" validate:"max=10"`
	DclEtpsNm   string `xml:"dclEtpsNm" json:"dclEtpsNm" validate:"max=512"`
	InputSccd   string `xml:"inputSccd" json:"inputSccd" validate:"max=18"`
	InputCode   string `xml:"inputCode" json:"inputCode" validate:"max=10"`
	InputName   string `xml:"inputName" json:"inputName" validate:"max=512"`
	// VehicleNo is the vehicle's plate (承运车牌号); VehicleIcNo its IC card
	// (电子车牌).
	VehicleNo   string `xml:"vehicleNo" json:"vehicleNo" validate:"required,max=32"`
	VehicleIcNo string `xml:"vehicleIcNo" json:"vehicleIcNo" validate:"max=32"`
	// VehicleWt, VehicleFrameWt and ContainerWt are tare weights (车自重,
	// 车架重, 集装箱自重), kg.
	VehicleWt      string `xml:"vehicleWt" json:"vehicleWt" validate:"amount=19_5"`
	VehicleFrameWt string `xml:"vehicleFrameWt" json:"vehicleFrameWt" validate:"amount=19_5"`
	VehicleFrameNo string `xml:"vehicleFrameNo" json:"vehicleFrameNo" validate:"max=32"`
	ContainerNo    string `xml:"containerNo" json:"containerNo" validate:"max=32"`
	ContainerWt    string `xml:"containerWt" json:"containerWt" validate:"amount=19_5"`
	ContainerType  string `xml:"containerType" json:"containerType" validate:"max=32"`
	// TotalWt is everything on the scale (总重量: goods and tares);
	// TotalGrossWt and TotalNetWt are the goods' (货物总毛重, 总净重), kg.
	TotalWt      string `xml:"totalWt" json:"totalWt" validate:"amount=19_5"`
	TotalGrossWt string `xml:"totalGrossWt" json:"totalGrossWt" validate:"amount=19_5"`
	TotalNetWt   string `xml:"totalNetWt" json:"totalNetWt" validate:"amount=19_5"`
	// DclErConc is the applicant and contact (申请人及联系方式).
	DclErConc string `xml:"dclErConc" json:"dclErConc" validate:"max=512"`
	Rmk       string `xml:"rmk" json:"rmk" validate:"max=512"`
	// Col1 is 到货确认标志 (1 yes, 0 no).
	Col1 string `xml:"col1" json:"col1" validate:"max=32"`
}

// PassportLine is a line of a gate pass (核放单表体).
type PassportLine struct {
	// PassportSeqno is the line's number, from 1.
	PassportSeqno string `xml:"passportSeqno" json:"passportSeqno" validate:"required,numeric,max=9"`
	// RltGdsSeqno is the related list's line (关联商品序号), when the pass
	// carries part of a list line.
	RltGdsSeqno string `xml:"rltGdsSeqno" json:"rltGdsSeqno" validate:"omitempty,numeric,max=9"`
	// GdsMtno is the part number (料号), Gdecd the HS code, GdsNm the name.
	GdsMtno string `xml:"gdsMtno" json:"gdsMtno" validate:"max=64"`
	Gdecd   string `xml:"gdecd" json:"gdecd" validate:"omitempty,numeric,max=10"`
	GdsNm   string `xml:"gdsNm" json:"gdsNm" validate:"required,max=512"`
	// DclUnitcd is the declared unit (3 digits) and DclQty the quantity in it.
	DclUnitcd string `xml:"dclUnitcd" json:"dclUnitcd" validate:"max=3"`
	DclQty    string `xml:"dclQty" json:"dclQty" validate:"required,amount=19_5"`
	GrossWt   string `xml:"grossWt" json:"grossWt" validate:"amount=19_5"`
	NetWt     string `xml:"netWt" json:"netWt" validate:"amount=19_5"`
	Rmk       string `xml:"rmk" json:"rmk" validate:"max=512"`
}

// PassportRlt is a document a pass is related to (关联单证).
type PassportRlt struct {
	PassportNo  string `xml:"passportNo" json:"passportNo" validate:"max=64"`
	RltTbTypecd string `xml:"rltTbTypecd" json:"rltTbTypecd" validate:"required,oneof=1 2 3"`
	RltNo       string `xml:"rltNo" json:"rltNo" validate:"required,max=64"`
}

// SignedSAS121 is a gate pass message in its outgoing envelope.
type SignedSAS121 = Signed[SAS121]

// EncodeSAS121 validates m and encodes it as the XML message.
func EncodeSAS121(m *SignedSAS121) ([]byte, error) {
	if err := ValidateSAS121(m); err != nil {
		return nil, err
	}
	return singlewindow.Encode(m)
}

// DecodeSAS121 decodes an SAS121 XML message and checks its field rules.
func DecodeSAS121(data []byte) (*SignedSAS121, error) {
	var m SignedSAS121
	if err := singlewindow.Decode(data, &m); err != nil {
		return nil, err
	}
	if err := ValidateSAS121(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// ValidateSAS121 checks a gate pass message's field rules: the
// envelope's, the message's own, and that customs' rule for pass types 5
// and 6 holds ("核放单类型为5或6时：绑定类型、关联单证类型、关联单证编号应为空";
// the related documents too).
func ValidateSAS121(m *SignedSAS121) error {
	if err := singlewindow.Validate(m); err != nil {
		return err
	}
	pkg := &m.Object.Package
	if pkg.Envelope.MessageType != MessageSAS121 {
		return &singlewindow.FieldError{Path: "Signature/Object/Package/EnvelopInfo/message_type", Rule: "oneof",
			Message: fmt.Sprintf("is %q where an %s message was expected", pkg.Envelope.MessageType, MessageSAS121)}
	}
	msg := &pkg.Data.Business.Message
	if t := msg.Head.PassportTypecd; (t == "5" || t == "6") && len(msg.Rlt) > 0 {
		return &singlewindow.FieldError{Path: "Signature/Object/Package/DataInfo/BussinessData/PassPortMessage/SasPassportRlt[0]", Rule: "excluded_if",
			Message: "must be empty when PassportTypecd is " + t + " (核放单类型为5或6时：关联单证应为空)"}
	}
	return nil
}

// MarshalPassportJSON writes the pass as the zone systems' JSON,
// {"head":{...},"list":[...],"rlt":[...]}, indented by two spaces and
// ending in a newline; empty lists are written as [].
func MarshalPassportJSON(m PassportMessage) ([]byte, error) {
	if m.List == nil {
		m.List = []PassportLine{}
	}
	if m.Rlt == nil {
		m.Rlt = []PassportRlt{}
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// UnmarshalPassportJSON reads the zone systems' JSON form of a pass and
// checks its field rules; a broken rule's path starts at PassportMessage
// and names the elements (PassportMessage/PassportHead/vehicleNo).
func UnmarshalPassportJSON(data []byte) (PassportMessage, error) {
	var m PassportMessage
	if len(data) > singlewindow.MaxMessageBytes {
		return m, &singlewindow.FieldError{Rule: "size", Err: singlewindow.ErrTooLarge,
			Message: fmt.Sprintf("the message is %d bytes; send at most %d bytes", len(data), singlewindow.MaxMessageBytes)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, &singlewindow.FieldError{Rule: "json", Err: singlewindow.ErrMalformed, Message: err.Error()}
	}
	if err := singlewindow.Validate(&m); err != nil {
		return m, err
	}
	return m, nil
}
