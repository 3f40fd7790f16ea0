package sas

// MessageSAS221 is the message type of customs' approval receipt of a
// gate pass (核放单审核回执).
const MessageSAS221 = "SAS221"

// Pass approval results (HdeApprResult/manageResult of SAS221): 1 通过,
// 3 退单 (customs-reference §2.2, 审批标志).
const (
	PassApproved = "1"
	PassReturned = "3"
)

// PassApproval is a receipt's HdeApprResult: which document it answers
// and customs' decision.
type PassApproval struct {
	// EtpsPreentNo is the enterprise's own number of the pass (企业内部编号).
	EtpsPreentNo string `xml:"etpsPreentNo" validate:"required,max=64"`
	// BusinessID is customs' pass number (核放单编号), e.g.
	// Z3111I240728000000000003 (an SAS221 approving the pass carries it).
	BusinessID   string `xml:"businessId" validate:"max=64"`
	TmsCnt       string `xml:"tmsCnt" validate:"max=10"`
	Typecd       string `xml:"typecd" validate:"max=10"`
	ManageResult string `xml:"manageResult" validate:"required,max=4"`
	// ManageDate is when customs decided, "yyyy-MM-dd HH:mm:ss" or
	// yyyyMMddHHmmss in China Standard Time.
	ManageDate string `xml:"manageDate" validate:"max=19"`
	// Rmk is customs' remark: the reason of a return.
	Rmk string `xml:"rmk" validate:"max=1024"`
}

// SAS221 is customs' approval receipt of a gate pass: the decision and the
// pass as customs recorded it.
type SAS221 struct {
	Result PassApproval      `xml:"HdeApprResult"`
	Head   PassportEchoHead  `xml:"SasPassportBsc"`
	Lines  []PassportEchoDt  `xml:"SasPassportDt" validate:"max=1000,dive"`
	Rlt    []PassportEchoRlt `xml:"SasPassportRlt" validate:"max=1000,dive"`
}

// SAS221Data is the BussinessData of an SAS221 receipt; decode it with
// DecodeReceipt[SAS221Data](data, MessageSAS221).
type SAS221Data struct {
	Receipt SAS221 `xml:"SAS221"`
}

// PassportEchoHead is the head of a pass as customs echoes it in SAS221
// (SasPassportBsc): the filed head plus customs' number and state. Only
// the fields zoneledger reads are checked; weights stay strings.
type PassportEchoHead struct {
	PassportNo          string `xml:"passportNo" validate:"max=64"`
	ChgTmsCnt           string `xml:"chgTmsCnt" validate:"max=10"`
	SasPassportPreentNo string `xml:"sasPassportPreentNo" validate:"max=18"`
	PassportTypecd      string `xml:"passportTypecd" validate:"max=1"`
	DclTypecd           string `xml:"dclTypecd" validate:"max=1"`
	IoTypecd            string `xml:"ioTypecd" validate:"max=1"`
	BindTypecd          string `xml:"bindTypecd" validate:"max=1"`
	MasterCuscd         string `xml:"masterCuscd" validate:"max=4"`
	RltTbTypecd         string `xml:"rltTbTypecd" validate:"max=1"`
	RltNo               string `xml:"rltNo" validate:"max=64"`
	AreainEtpsno        string `xml:"areainEtpsno" validate:"max=10"`
	AreainEtpsNm        string `xml:"areainEtpsNm" validate:"max=512"`
	// AreainEtpsSccd is the zone enterprise's USCC: with the enterprise's
	// own number it finds the pass.
	AreainEtpsSccd string `xml:"areainEtpsSccd" validate:"required,len=18"`
	VehicleNo      string `xml:"vehicleNo" validate:"max=32"`
	VehicleIcNo    string `xml:"vehicleIcNo" validate:"max=32"`
	ContainerNo    string `xml:"containerNo" validate:"max=32"`
	VehicleWt      string `xml:"vehicleWt" validate:"amount=19_5"`
	VehicleFrameNo string `xml:"vehicleFrameNo" validate:"max=32"`
	VehicleFrameWt string `xml:"vehicleFrameWt" validate:"amount=19_5"`
	ContainerType  string `xml:"containerType" validate:"max=32"`
	ContainerWt    string `xml:"containerWt" validate:"amount=19_5"`
	TotalWt        string `xml:"totalWt" validate:"amount=19_5"`
	PassCollectWt  string `xml:"passCollectWt" validate:"amount=19_5"`
	WtError        string `xml:"wtError" validate:"max=32"`
	TotalGrossWt   string `xml:"totalGrossWt" validate:"amount=19_5"`
	TotalNetWt     string `xml:"totalNetWt" validate:"amount=19_5"`
	DclErConc      string `xml:"dclErConc" validate:"max=512"`
	DclTime        string `xml:"dclTime" validate:"max=19"`
	PassID         string `xml:"passID" validate:"max=64"`
	SecdPassID     string `xml:"secdPassId" validate:"max=64"`
	PassTime       string `xml:"passTime" validate:"max=19"`
	SecdPassTime   string `xml:"secdPassTime" validate:"max=19"`
	// Stucd is the pass's state at customs (see the Gate* constants).
	Stucd          string `xml:"stucd" validate:"max=1"`
	EmapvMarkcd    string `xml:"emapvMarkcd" validate:"max=1"`
	LogisticsStucd string `xml:"logisticsStucd" validate:"max=1"`
	OwnerSystem    string `xml:"ownerSystem" validate:"max=1"`
	Rmk            string `xml:"rmk" validate:"max=1024"`
	Col1           string `xml:"col1" validate:"max=32"`
}

// PassportEchoDt is a pass line as customs echoes it (SasPassportDt).
type PassportEchoDt struct {
	PassportNo    string `xml:"passportNo" validate:"max=64"`
	ChgTmsCnt     string `xml:"chgTmsCnt" validate:"max=10"`
	PassportSeqno string `xml:"passportSeqno" validate:"max=9"`
	GdsMtno       string `xml:"gdsMtno" validate:"max=64"`
	Gdecd         string `xml:"gdecd" validate:"max=10"`
	GdsNm         string `xml:"gdsNm" validate:"max=512"`
	GrossWt       string `xml:"grossWt" validate:"amount=19_5"`
	NetWt         string `xml:"netWt" validate:"amount=19_5"`
	RltGdsSeqno   string `xml:"rltGdsSeqno" validate:"max=9"`
	DclUnitcd     string `xml:"dclUnitcd" validate:"max=3"`
	DclQty        string `xml:"dclQty" validate:"amount=19_5"`
	Rmk           string `xml:"rmk" validate:"max=1024"`
}

// PassportEchoRlt is a related document as customs echoes it
// (SasPassportRlt).
type PassportEchoRlt struct {
	PassportNo  string `xml:"passportNo" validate:"max=64"`
	RltTbTypecd string `xml:"rltTbTypecd" validate:"max=1"`
	RltNo       string `xml:"rltNo" validate:"max=64"`
}
