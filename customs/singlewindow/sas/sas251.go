package sas

import (
	"time"

	"github.com/zoneledger/zoneledger/customs/singlewindow"
)

// MessageSAS251 is the message type of customs' gate status receipt of a
// gate pass.
const MessageSAS251 = "SAS251"

// Gate status codes of a pass at customs (stucd of SAS251 and SAS221,
// customs-reference §2.2): 2 is for single-gate zones, 3 and 4 for
// two-gate zones.
const (
	GateApplied    = "0" // 已申请
	GateApproved   = "1" // 已审批
	GatePassed     = "2" // 已过卡
	GateFirstGate  = "3" // 已过一卡
	GateSecondGate = "4" // 已过二卡
	GateDeleted    = "5" // 已删除
)

// SAS251 is customs' gate status receipt of a pass: where the pass is at
// the gate. Element names follow the public gx-customs-bridge model
// (sas251_models.go): HdeApprResult, Sas2stepPassportBsc,
// Sas2stepPassportRlt.
type SAS251 struct {
	Result    PassApproval      `xml:"HdeApprResult"`
	CheckNote string            `xml:"CheckInfo>note" validate:"max=1024"`
	Head      GateStatusHead    `xml:"Sas2stepPassportBsc"`
	Rlt       []GateStatusEntry `xml:"Sas2stepPassportRlt" validate:"max=1000,dive"`
}

// SAS251Data is the BussinessData of an SAS251 receipt; decode it with
// DecodeReceipt[SAS251Data](data, MessageSAS251).
type SAS251Data struct {
	Receipt SAS251 `xml:"SAS251"`
}

// GateStatusHead is the pass's head in an SAS251 receipt.
type GateStatusHead struct {
	SasPassportPreentNo string `xml:"sasPassportPreentNo" validate:"max=18"`
	// PassportNo is customs' pass number.
	PassportNo  string `xml:"passportNo" validate:"max=64"`
	ChgTmsCnt   string `xml:"chgTmsCnt" validate:"max=10"`
	DclTypecd   string `xml:"dclTypecd" validate:"max=1"`
	MasterCuscd string `xml:"masterCuscd" validate:"max=4"`
	EmapvMarkcd string `xml:"emapvMarkcd" validate:"max=1"`
	// AreainEtpsSccd is the zone enterprise's USCC.
	AreainEtpsSccd string `xml:"areainEtpsSccd" validate:"required,len=18"`
	AreainEtpsNo   string `xml:"areainEtpsNo" validate:"max=10"`
	AreainEtpsNm   string `xml:"areainEtpsNm" validate:"max=512"`
	VehicleNo      string `xml:"vehicleNo" validate:"max=32"`
	VehicleIcNo    string `xml:"vehicleIcNo" validate:"max=32"`
	ContainerNo    string `xml:"containerNo" validate:"max=32"`
	LogisticsStucd string `xml:"logisticsStucd" validate:"max=1"`
	// PassID and SecdPassID are the gates' own IDs of the passage;
	// PassTime and SecdPassTime when the barrier rose ("yyyy-MM-dd
	// HH:mm:ss" or yyyyMMddHHmmss, China Standard Time).
	PassID       string `xml:"passId" validate:"max=64"`
	SecdPassID   string `xml:"secdPassId" validate:"max=64"`
	PassTime     string `xml:"passTime" validate:"max=19"`
	SecdPassTime string `xml:"secdPassTime" validate:"max=19"`
	// Stucd is the gate status (Gate* constants).
	Stucd       string `xml:"stucd" validate:"required,max=1"`
	DclErConc   string `xml:"dclErConc" validate:"max=512"`
	DclTime     string `xml:"dclTime" validate:"max=19"`
	OwnerSystem string `xml:"ownerSystem" validate:"max=1"`
	Rmk         string `xml:"rmk" validate:"max=1024"`
}

// GateStatusEntry is a declaration related to the pass in SAS251.
type GateStatusEntry struct {
	PassportNo string `xml:"passportNo" validate:"max=64"`
	EntryID    string `xml:"entryId" validate:"max=18"`
}

// ParsePassReceiptTime reads a time of a pass receipt (manageDate,
// passTime, secdPassTime): "yyyy-MM-dd HH:mm:ss" as customs writes it, or
// the single window's yyyyMMddHHmmss, in China Standard Time.
func ParsePassReceiptTime(s string) (time.Time, error) {
	if len(s) == len("2006-01-02 15:04:05") {
		return time.ParseInLocation("2006-01-02 15:04:05", s, singlewindow.ChinaTime)
	}
	return singlewindow.ParseTime(s)
}
