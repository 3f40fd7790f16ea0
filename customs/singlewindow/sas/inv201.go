package sas

import "github.com/zoneledger/zoneledger/customs/singlewindow"

// MessageINV201 is the envelope message_type of customs' receipt of a
// verification list.
const MessageINV201 = "INV201"

// INV201 is customs' receipt of a verification list (核注清单审批回执), the
// BussinessData of a Receipt: the result (HdeApprResult) and, usually, the
// list's head as customs holds it (BondInvtBsc) and its lines (BondInvtDtl).
type INV201 struct {
	Body INV201Body `xml:"INV201"`
}

// INV201Body is the receipt inside its INV201 element.
type INV201Body struct {
	Result INV201Result `xml:"HdeApprResult"`
	Head   *INV201Head  `xml:"BondInvtBsc"`
	Lines  []INV201Line `xml:"BondInvtDtl" validate:"max=1000,dive"`
}

// INV201Result is the result of customs' handling (HdeApprResult).
type INV201Result struct {
	// EtpsPreentNo is the list's pre-entry number (预录入编号).
	EtpsPreentNo string `xml:"etpsPreentNo" validate:"max=64"`
	// BusinessID is the list's customs number (保税清单编号), 18 characters:
	// "QD" + customs office + 2-digit year + I/E + 9-digit sequence.
	BusinessID string `xml:"businessId" validate:"required,len=18"`
	TmsCnt     string `xml:"tmsCnt" validate:"max=4"`
	Typecd     string `xml:"typecd" validate:"max=4"`
	// ManageResult is the result code; the codes zoneledger reads and their
	// sources are in README.md. An unknown code is refused by the importer,
	// not here, so that it gets its own reason.
	ManageResult string `xml:"manageResult" validate:"required,max=2"`
	// ManageDate is "yyyy-MM-dd HH:mm:ss" (China Standard Time).
	ManageDate string `xml:"manageDate" validate:"max=19"`
	// Rmk is customs' remark: the reason of a return.
	Rmk string `xml:"rmk" validate:"max=1024"`
}

// INV201Head is the list head customs echoes (BondInvtBsc), with the
// states customs keeps: invtStucd 清单状态 (0 审核通过, 1 申报, 2 退单, 3 删单)
// and vrfdedMarkcd 核扣标记 (0 未核扣, 1 预核扣, 2 已核扣, 3 已核销).
type INV201Head struct {
	BondInvtNo        string `xml:"bondInvtNo" validate:"omitempty,len=18"`
	ChgTmsCnt         string `xml:"chgTmsCnt" validate:"max=4"`
	InvtPreentNo      string `xml:"invtPreentNo" validate:"max=64"`
	PutrecNo          string `xml:"putrecNo" validate:"max=12"`
	EtpsInnerInvtNo   string `xml:"etpsInnerInvtNo" validate:"max=64"`
	BizopEtpsSccd     string `xml:"bizopEtpsSccd" validate:"omitempty,len=18"`
	BizopEtpsno       string `xml:"bizopEtpsno" validate:"max=10"`
	BizopEtpsNm       string `xml:"bizopEtpsNm" validate:"max=512"`
	RvsngdEtpsSccd    string `xml:"rvsngdEtpsSccd" validate:"max=18"`
	RcvgdEtpsno       string `xml:"rcvgdEtpsno" validate:"max=10"`
	RcvgdEtpsNm       string `xml:"rcvgdEtpsNm" validate:"max=512"`
	DclEtpsSccd       string `xml:"dclEtpsSccd" validate:"max=18"`
	DclEtpsno         string `xml:"dclEtpsno" validate:"max=10"`
	DclEtpsNm         string `xml:"dclEtpsNm" validate:"max=512"`
	InvtDclTime       string `xml:"invtDclTime" validate:"max=19"`
	EntryDclTime      string `xml:"entryDclTime" validate:"max=19"`
	EntryNo           string `xml:"entryNo" validate:"max=64"`
	RltInvtNo         string `xml:"rltInvtNo" validate:"max=64"`
	RltPutrecNo       string `xml:"rltPutrecNo" validate:"max=12"`
	RltEntryNo        string `xml:"rltEntryNo" validate:"max=64"`
	ImpexpPortcd      string `xml:"impexpPortcd" validate:"max=4"`
	DclPlcCuscd       string `xml:"dclPlcCuscd" validate:"max=4"`
	ImpexpMarkcd      string `xml:"impexpMarkcd" validate:"omitempty,oneof=I E"`
	MtpckEndprdMarkcd string `xml:"mtpckEndprdMarkcd" validate:"max=1"`
	SupvModecd        string `xml:"supvModecd" validate:"max=4"`
	TrspModecd        string `xml:"trspModecd" validate:"max=1"`
	StshipTrsarvNatcd string `xml:"stshipTrsarvNatcd" validate:"max=3"`
	ApplyNo           string `xml:"applyNo" validate:"max=64"`
	DclcusFlag        string `xml:"dclcusFlag" validate:"max=1"`
	DclcusTypecd      string `xml:"dclcusTypecd" validate:"max=1"`
	// PrevdTime 预核扣时间 and FormalVrfdedTime 正式核扣时间,
	// "yyyy-MM-dd HH:mm:ss".
	PrevdTime          string `xml:"prevdTime" validate:"max=19"`
	FormalVrfdedTime   string `xml:"formalVrfdedTime" validate:"max=19"`
	InvtIochkptStucd   string `xml:"invtIochkptStucd" validate:"max=1"`
	VrfdedMarkcd       string `xml:"vrfdedMarkcd" validate:"max=1"`
	InvtStucd          string `xml:"invtStucd" validate:"max=1"`
	VrfdedModecd       string `xml:"vrfdedModecd" validate:"max=2"`
	DuCode             string `xml:"duCode" validate:"max=2"`
	Rmk                string `xml:"rmk" validate:"max=1024"`
	BondInvtTypecd     string `xml:"bondInvtTypecd" validate:"max=1"`
	EntryStucd         string `xml:"entryStucd" validate:"max=1"`
	PassportUsedTypecd string `xml:"passportUsedTypecd" validate:"max=1"`
	LevyBlAmt          string `xml:"levyBlAmt" validate:"amount=19_2"`
	DclTypecd          string `xml:"dclTypecd" validate:"max=1"`
}

// INV201Line is a list line as customs holds it (BondInvtDtl); zoneledger
// reads only the numbers that tie it to the list.
type INV201Line struct {
	BondInvtNo  string `xml:"bondInvtNo" validate:"max=18"`
	GdsSeqno    string `xml:"gdsSeqno" validate:"omitempty,numeric,max=5"`
	PutrecSeqno string `xml:"putrecSeqno" validate:"omitempty,numeric,max=9"`
	GdsMtno     string `xml:"gdsMtno" validate:"max=64"`
	Gdecd       string `xml:"gdecd" validate:"max=10"`
	DclQty      string `xml:"dclQty" validate:"amount=19_5"`
	ActlPassQty string `xml:"actlPassQty" validate:"amount=19_5"`
}

// DecodeINV201 reads one INV201 receipt and checks its field rules; a
// broken rule is a *singlewindow.FieldError naming the element path.
func DecodeINV201(data []byte) (EnvelopInfo, INV201Body, error) {
	env, r, err := DecodeReceipt[INV201](data, MessageINV201)
	return env, r.Body, err
}

// INV201Path is the element path of a receipt element, for refusals:
// INV201Path("HdeApprResult/manageResult").
func INV201Path(rest string) string {
	return "Package/DataInfo/BussinessData/INV201/" + rest
}

// EncodeINV201 writes a receipt in its envelope (for tests and for the
// demo's customs, which answers the lists it receives).
func EncodeINV201(env EnvelopInfo, pocket PocketInfo, b INV201Body) ([]byte, error) {
	var r Receipt[INV201]
	env.MessageType = MessageINV201
	r.Envelope = env
	r.Data.Pocket = pocket
	r.Data.Business.Body = b
	return singlewindow.Encode(&r)
}
