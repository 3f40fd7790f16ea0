package sasmessage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Outcome is what one receipt did to its list.
type Outcome struct {
	// List is the list after the receipt.
	List zone.List
	// Changed is false when the receipt told nothing new (sent again, or
	// an earlier stage than the list's).
	Changed bool
	// MessageID is the receipt's envelope message_id.
	MessageID string
}

// MaxReceiptsPerCall bounds one ImportReceipts call.
const MaxReceiptsPerCall = 1000

// ImportReceipts imports customs' INV201 receipts, in order. Every message
// is decoded and read first, so a message that does not decode, breaks
// the receipt's field rules or carries a code zoneledger does not read
// refuses the call before any receipt is applied; then each receipt is
// applied in its own transaction (zone.Service.ApplyListReceipt), and the
// first refusal stops the call, naming the message ("messages[i]/" before
// the element path). Receipts applied before it stay applied; sending the
// call again applies nothing twice. Customs or admin only.
func (s *Service) ImportReceipts(ctx context.Context, p access.Principal, msgs [][]byte) ([]Outcome, error) {
	if (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) || p.Disabled {
		return nil, ledger.Denied("only customs or an admin may import customs receipts; principal %q is %s", p.ID, p.Role)
	}
	if len(msgs) == 0 || len(msgs) > MaxReceiptsPerCall {
		return nil, ledger.BadArgument("messages", "send 1 to %d receipts per call (got %d)", MaxReceiptsPerCall, len(msgs))
	}
	outs, i, err := importAll(ctx, msgs, readListReceipt, func(ctx context.Context, r zone.ListReceipt, o *Outcome) (err error) {
		o.List, o.Changed, err = s.zone.ApplyListReceipt(ctx, p, r)
		return err
	})
	if err != nil {
		return outs, inListMessage(err, i)
	}
	return outs, nil
}

// readListReceipt decodes one INV201 receipt into what it says of its
// list.
func readListReceipt(data []byte) (Outcome, zone.ListReceipt, error) {
	env, body, err := sas.DecodeINV201(data)
	if err != nil {
		return Outcome{}, zone.ListReceipt{}, err
	}
	r, err := ToListReceipt(body)
	return Outcome{MessageID: env.MessageID}, r, err
}

// inListMessage names message i of an ImportReceipts batch in a refusal:
// a message that broke a field rule is refused with LIST_MESSAGE_INVALID
// on "messages[i]/" and the element path; any other refusal naming an
// element of the receipt gets "messages[i]/" before it (one naming no
// field, or list_no, is left as it is).
func inListMessage(err error, i int) error {
	prefix := fmt.Sprintf("messages[%d]/", i)
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		return refusal(err, prefix)
	}
	le := ledger.AsError(err)
	if le == nil || le.Field == "" || le.Field == "list_no" {
		return err
	}
	c := *le
	c.Field = prefix + c.Field
	return &c
}

// ToListReceipt reads what a receipt says of its list (README.md of
// package sas, "Receipt states"): the customs number, the list it names,
// and the stage from HdeApprResult/manageResult, raised by the echoed
// head's states (invtStucd 2 / 3 → returned; vrfdedMarkcd 1 / 2 / 3 →
// pre-deducted, deducted, written off). A code outside the table is
// refused with LIST_RECEIPT_UNKNOWN_CODE naming its element.
func ToListReceipt(b sas.INV201Body) (zone.ListReceipt, error) {
	r := zone.ListReceipt{CustomsNo: b.Result.BusinessID, CustomsNoField: sas.INV201Path("HdeApprResult/businessId"),
		InnerNoField: sas.INV201Path("BondInvtBsc/etpsInnerInvtNo"), EnterpriseField: sas.INV201Path("BondInvtBsc/bizopEtpsSccd"),
		BookField: sas.INV201Path("BondInvtBsc/putrecNo"), Note: b.Result.Rmk}
	unknown := func(el, code string) error {
		return ledger.Invalid(zone.ReasonReceiptUnknownCode, sas.INV201Path(el), "code %q is not one zoneledger reads (see the receipt states of package sas); the receipt was not applied", code)
	}
	switch b.Result.ManageResult {
	case "1":
		r.Stage = zone.CustomsApproved
	case "3":
		r.Stage = zone.CustomsReturned
	case "4":
		r.Stage = zone.CustomsPreDeducted
	default:
		return r, unknown("HdeApprResult/manageResult", b.Result.ManageResult)
	}
	if h := b.Head; h != nil {
		r.InnerNo, r.Enterprise, r.Book = h.EtpsInnerInvtNo, h.BizopEtpsSccd, h.PutrecNo
		if h.BondInvtNo != "" && h.BondInvtNo != r.CustomsNo {
			return r, ledger.Invalid(zone.ReasonListMessageInvalid, sas.INV201Path("BondInvtBsc/bondInvtNo"), "is %s where HdeApprResult/businessId is %s; a receipt answers one list", h.BondInvtNo, r.CustomsNo)
		}
		switch h.InvtStucd {
		case "", "0", "1":
		case "2", "3":
			r.Stage = zone.CustomsReturned
		default:
			return r, unknown("BondInvtBsc/invtStucd", h.InvtStucd)
		}
		if r.Stage != zone.CustomsReturned {
			var v zone.CustomsStage
			switch h.VrfdedMarkcd {
			case "", "0":
			case "1":
				v = zone.CustomsPreDeducted
			case "2":
				v = zone.CustomsDeducted
			case "3":
				v = zone.CustomsWrittenOff
			default:
				return r, unknown("BondInvtBsc/vrfdedMarkcd", h.VrfdedMarkcd)
			}
			if later(v, r.Stage) {
				r.Stage = v
			}
		}
	}
	if b.Result.ManageDate != "" {
		at, err := time.ParseInLocation("2006-01-02 15:04:05", b.Result.ManageDate, singlewindow.ChinaTime)
		if err != nil {
			return r, ledger.Invalid(zone.ReasonListMessageInvalid, sas.INV201Path("HdeApprResult/manageDate"), "must be a time yyyy-MM-dd HH:mm:ss (got %q)", b.Result.ManageDate)
		}
		r.At = at
	}
	return r, nil
}

var stageOrder = []zone.CustomsStage{zone.CustomsApproved, zone.CustomsPreDeducted, zone.CustomsDeducted, zone.CustomsWrittenOff, zone.CustomsReturned}

// later reports whether stage a comes after b.
func later(a, b zone.CustomsStage) bool {
	ia, ib := -1, -1
	for i, s := range stageOrder {
		if s == a {
			ia = i
		}
		if s == b {
			ib = i
		}
	}
	return ia > ib
}
