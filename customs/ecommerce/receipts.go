package ecommerce

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/singlewindow"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/ledger"
)

// CustomsStatus is where customs has an inventory list, as its CEB622
// receipts say.
type CustomsStatus string

// The customs statuses, each a group of CEB622 returnStatus codes
// (ReceiptStatuses).
const (
	// CustomsDeclared: with the electronic port or sent to customs
	// (1, 2, 3).
	CustomsDeclared CustomsStatus = "DECLARED"
	// CustomsSendFailed: the electronic port could not send it to customs
	// (4); the declarant sends it again.
	CustomsSendFailed CustomsStatus = "SEND_FAILED"
	// CustomsAccepted: customs took the list in and is examining it (120
	// 海关入库, 300 人工审核, 399 海关审结).
	CustomsAccepted CustomsStatus = "ACCEPTED"
	// CustomsInspected: customs inspects the goods (500 查验).
	CustomsInspected CustomsStatus = "INSPECTED"
	// CustomsDetained: customs holds the goods (501, 502, 503, 599 扣留).
	CustomsDetained CustomsStatus = "DETAINED"
	// CustomsReleased: released (800 放行) or closed (899 结关). Final.
	CustomsReleased CustomsStatus = "RELEASED"
	// CustomsReturned: customs returned the list (100 海关退单). Final: the
	// goods are booked back into the lots they left, the tax is cancelled
	// and the buyer's annual total restored.
	CustomsReturned CustomsStatus = "RETURNED"
)

// ReceiptStatus is one CEB622 returnStatus code: what it means here and
// its rank among the codes (ReceiptStatuses).
type ReceiptStatus struct {
	Code string
	// Text is the code's name in the source.
	Text   string
	Status CustomsStatus
	// Rank orders codes of one returnTime: the later stage has the
	// higher rank.
	Rank int
}

// Final reports whether a status is final: once there, receipts of other
// statuses no longer move the list.
func (s CustomsStatus) Final() bool { return s == CustomsReleased || s == CustomsReturned }

// ReceiptStatuses is the table of CEB622 returnStatus codes taken, from
// the status enumeration of the public zhengjin-me/common-customs-beans
// (CustomsResultStatus.kt; the reference gives none: UNCONFIRMED against
// the customs' own specification). 700 (退运, shipped back) is not taken:
// goods leaving for abroad need a journal this flow does not book.
var ReceiptStatuses = []ReceiptStatus{
	{"1", "电子口岸已暂存", CustomsDeclared, 10},
	{"2", "电子口岸申报中", CustomsDeclared, 20},
	{"3", "发送海关成功", CustomsDeclared, 30},
	{"4", "发送海关失败", CustomsSendFailed, 30},
	{"120", "海关入库", CustomsAccepted, 40},
	{"300", "人工审核", CustomsAccepted, 50},
	{"399", "海关审结", CustomsAccepted, 60},
	{"500", "查验", CustomsInspected, 70},
	{"501", "扣留移送通关", CustomsDetained, 80},
	{"502", "扣留移送缉私", CustomsDetained, 80},
	{"503", "扣留移送法规", CustomsDetained, 80},
	{"599", "其他扣留", CustomsDetained, 80},
	{"100", "海关退单", CustomsReturned, 90},
	{"800", "放行", CustomsReleased, 90},
	{"899", "结关", CustomsReleased, 95},
}

func receiptStatus(code string) (ReceiptStatus, bool) {
	for _, r := range ReceiptStatuses {
		if r.Code == code {
			return r, true
		}
	}
	return ReceiptStatus{}, false
}

// ReceiptResult answers one receipt of ImportReceipts: the list as the
// receipt left it, whether the receipt moved its customs status
// (Applied), or why it was refused (Err, whose field is the receipt's
// element path).
type ReceiptResult struct {
	// Message and Index locate the receipt: messages[Message], its
	// InventoryReturn[Index] (Index -1: the message itself was refused).
	Message, Index int
	ListNo         string
	Code           string
	Applied        bool
	// Duplicate is true when the very receipt (list, code, returnTime)
	// was imported before: it changed nothing.
	Duplicate bool
	List      InventoryList
	Err       error
}

// ImportReceipts imports customs' CEB622 receipts for inventory lists,
// one or more messages of one or more receipts each, customs or an admin
// only (they come from customs). Each receipt is taken on its own, in one
// transaction of the ledger's seam, and answered in order:
//
//   - a message that does not parse or breaks its field rules is refused
//     (ECOMMERCE_RECEIPT_MALFORMED, the element path as the field); a
//     receipt naming no list (copNo) is refused with
//     ECOMMERCE_RECEIPT_UNKNOWN_LIST, one whose returnStatus is not in
//     ReceiptStatuses with ECOMMERCE_RECEIPT_UNKNOWN_STATUS, one whose
//     ebpCode or ebcCode is not the list's with
//     ECOMMERCE_RECEIPT_LIST_MISMATCH; a refused receipt changes nothing;
//   - the same receipt again (list, code and returnTime) changes nothing;
//   - a receipt moves the list's customs status when it is later than the
//     one in force: a later returnTime, or the same returnTime and a
//     higher rank. A final status (RELEASED, RETURNED) is left only for a
//     later code of the same status (899 after 800). An earlier-stage
//     receipt arriving after a final one is stored, not applied;
//   - a 退单 (100, RETURNED) books the list's goods back into the lots
//     they left (the return machinery of ReceiveReturn, with the whole
//     list), cancels its tax and restores the buyer's annual total, in
//     the same transaction. A list whose goods came partly back through a
//     buyer's return is refused (ECOMMERCE_RECEIPT_WRONG_STATUS).
func (s *Service) ImportReceipts(ctx context.Context, p access.Principal, messages [][]byte) ([]ReceiptResult, error) {
	if (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) || p.Disabled {
		return nil, ledger.Denied("principal %q (%s) may not import customs receipts; they come from customs (customs or an admin imports them)", p.ID, p.Role)
	}
	var out []ReceiptResult
	for k, data := range messages {
		m, err := ceb.DecodeReceipt(data)
		if err != nil {
			out = append(out, ReceiptResult{Message: k, Index: -1, Err: malformed(err)})
			continue
		}
		for i, r := range m.Returns {
			res := ReceiptResult{Message: k, Index: i, ListNo: r.CopNo, Code: r.ReturnStatus}
			path := fmt.Sprintf("CEB622Message/InventoryReturn[%d]/", i)
			res.List, res.Applied, res.Duplicate, res.Err = s.importReceipt(ctx, r, path)
			out = append(out, res)
		}
	}
	return out, nil
}

// malformed is the refusal of a message Decode or Validate refused.
func malformed(err error) error {
	var fe *singlewindow.FieldError
	if errors.As(err, &fe) {
		return ledger.Invalid(ReasonReceiptMalformed, fe.Path, "%s; send the receipt as customs wrote it", fe.Message)
	}
	return ledger.Invalid(ReasonReceiptMalformed, "", "%v", err)
}

// newer reports whether a receipt (st at t) is later than the status in
// force on l.
func newer(l InventoryList, st ReceiptStatus, t time.Time) bool {
	if l.CustomsStatusCode == "" {
		return true
	}
	cur, _ := receiptStatus(l.CustomsStatusCode)
	if cur.Status.Final() && st.Status != cur.Status {
		return false
	}
	if !t.Equal(l.CustomsStatusAt) {
		return t.After(l.CustomsStatusAt)
	}
	return st.Rank > cur.Rank
}

// importReceipt takes one receipt in one ReadWriteTx.
func (s *Service) importReceipt(ctx context.Context, r ceb.InventoryReturn, path string) (InventoryList, bool, bool, error) {
	st, ok := receiptStatus(r.ReturnStatus)
	if !ok {
		return InventoryList{}, false, false, ledger.Invalid(ReasonReceiptUnknownStatus, path+"returnStatus",
			"status %q is not in the table of CEB622 codes this zone takes (customs/ecommerce README); nothing was changed", r.ReturnStatus)
	}
	at, err := singlewindow.ParseTime(r.ReturnTime)
	if err != nil {
		return InventoryList{}, false, false, ledger.Invalid(ReasonReceiptMalformed, path+"returnTime", "%v", err)
	}
	at = at.UTC()
	// The e-commerce enterprise's customs code is read before the
	// transaction: a read on the pool from inside it would wait for a
	// second connection while holding one, and enough concurrent receipts
	// would hold them all (a deadlock). A list's enterprise never changes.
	pre, ebc, err := s.listEbcCode(ctx, r.CopNo)
	if err != nil {
		return InventoryList{}, false, false, dbError(err)
	}
	rel, err := s.releaseJournal(ctx, pre)
	if err != nil {
		return InventoryList{}, false, false, dbError(err)
	}
	var out InventoryList
	var applied, dup bool
	err = s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		applied, dup = false, false
		l, err := loadList(ctx, tx, r.CopNo, true)
		if err != nil {
			if le := ledger.AsError(err); le.Reason == ReasonUnknownList {
				return ledger.NotFound(ReasonReceiptUnknownList, path+"copNo", "there is no inventory list %q (copNo is the list number the CEB621 gave); nothing was changed", r.CopNo)
			}
			return err
		}
		out = l
		if r.EbpCode != l.Platform {
			return ledger.Invalid(ReasonReceiptListMismatch, path+"ebpCode", "list %s is the platform %s's, not %s's", l.No, l.Platform, r.EbpCode)
		}
		if l.Enterprise != pre.Enterprise {
			return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "list %s was being written while its receipt was read; send the receipt again", l.No)
		}
		if r.EbcCode != ebc && r.EbcCode != l.Enterprise {
			return ledger.Invalid(ReasonReceiptListMismatch, path+"ebcCode", "list %s is the e-commerce enterprise %s's, not %s's", l.No, ebc, r.EbcCode)
		}
		if l.Status == ListRefused || l.ReleasedOn.IsZero() {
			return ledger.Precondition(ReasonListNotReleased, path+"copNo", "list %s is %s: it was never released nor declared", l.No, l.Status)
		}
		if err := claimInvtNo(ctx, tx, l, r.InvtNo, path+"invtNo"); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO ecom_list_receipts (list_no, status_code, return_time, info, guid, applied, imported_at)
			VALUES ($1, $2, $3, $4, $5, false, $6) ON CONFLICT (list_no, status_code, return_time) DO NOTHING`,
			l.No, st.Code, at, r.ReturnInfo, r.GUID, s.clock())
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			dup = true
			return nil
		}
		if !newer(l, st, at) {
			return nil
		}
		if st.Status == CustomsReturned && l.CustomsStatus != CustomsReturned {
			switch l.Status {
			case ListPartlyReturned:
				return ledger.Precondition(ReasonReceiptWrongStatus, path+"returnStatus", "list %s is PARTLY_RETURNED: part of its goods came back through a buyer's return on %s; a 退单 cannot be booked on it, ask customs", l.No, ledger.FormatDate(l.ReturnedOn))
			case ListReleased, ListReturnRequested:
				// The whole list comes back, whatever return was asked.
				l.ReturnLines, _ = returnLines(l, nil)
				if l.ReturnAppliedOn.IsZero() {
					l.ReturnAppliedOn = s.today()
				}
				l.ReturnedOn = s.today()
			}
		}
		l.CustomsStatus, l.CustomsStatusCode, l.CustomsStatusAt, l.CustomsNote = st.Status, st.Code, at, r.ReturnInfo
		if r.PreNo != "" {
			l.CustomsPreNo = r.PreNo
		}
		if r.InvtNo != "" {
			l.CustomsInvtNo = r.InvtNo
		}
		if _, err := tx.Exec(ctx, `UPDATE ecom_list_receipts SET applied = true WHERE list_no = $1 AND status_code = $2 AND return_time = $3`, l.No, st.Code, at); err != nil {
			return err
		}
		applied = true
		if st.Status == CustomsReturned && (l.Status == ListReleased || l.Status == ListReturnRequested) {
			if err := s.receive(ctx, tx, j, l, rel); err != nil {
				return err
			}
			out, err = loadList(ctx, tx, l.No, false)
			return err
		}
		out = l
		return saveList(ctx, tx, l)
	})
	if err != nil {
		return InventoryList{}, false, false, dbError(err)
	}
	return s.view(out), applied, dup, nil
}

// claimInvtNo makes customs' list number invtNo list l's, in tx: a number
// belongs to one list and a list has one number. A receipt naming another
// list's number, or another number than the list's, is refused with
// ECOMMERCE_RECEIPT_INVT_NO_TAKEN. The claim is a row keyed by the number,
// so two receipts giving one number to two lists cannot both commit.
func claimInvtNo(ctx context.Context, tx pgx.Tx, l InventoryList, invtNo, field string) error {
	if invtNo == "" {
		return nil
	}
	if l.CustomsInvtNo != "" && l.CustomsInvtNo != invtNo {
		return ledger.Conflict(ReasonReceiptInvtNoTaken, field, "list %s already has customs number %s, not %s; nothing was changed, check the receipt with customs", l.No, l.CustomsInvtNo, invtNo)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO ecom_list_invt_nos (invt_no, list_no) VALUES ($1, $2) ON CONFLICT (invt_no) DO NOTHING`, invtNo, l.No); err != nil {
		return err
	}
	var holder string
	if err := tx.QueryRow(ctx, `SELECT list_no FROM ecom_list_invt_nos WHERE invt_no = $1`, invtNo).Scan(&holder); err != nil {
		return err
	}
	if holder != l.No {
		return ledger.Conflict(ReasonReceiptInvtNoTaken, field, "customs number %s is list %s's, not list %s's; nothing was changed, check the receipt with customs", invtNo, holder, l.No)
	}
	return nil
}

// listEbcCode is list no as stored and its e-commerce enterprise's
// customs code, read outside any transaction; a list that does not exist
// gives an empty list and is refused inside the transaction.
func (s *Service) listEbcCode(ctx context.Context, no string) (InventoryList, string, error) {
	l, err := loadList(ctx, s.pool, no, false)
	if err != nil {
		if le := ledger.AsError(err); le.Reason == ReasonUnknownList {
			return InventoryList{}, "", nil
		}
		return InventoryList{}, "", err
	}
	code, _, err := s.ebcCode(ctx, l.Enterprise)
	return l, code, err
}
