package zone

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
)

// CustomsStage is how far customs has taken a verification list, as its
// receipts (INV201) report it. The stages are ordered: a receipt of an
// earlier stage than the list's does not move it back, and nothing follows
// a return.
type CustomsStage string

// The stages, in order.
const (
	// CustomsApproved: 审核通过 — the list is approved (ApproveList).
	CustomsApproved CustomsStage = "APPROVED"
	// CustomsPreDeducted: 预核扣 — approved, its quantities pre-deducted
	// on customs' 底账.
	CustomsPreDeducted CustomsStage = "PRE_DEDUCTED"
	// CustomsDeducted: 已核扣 — formally deducted (its declaration released
	// and all its goods through the gate).
	CustomsDeducted CustomsStage = "DEDUCTED"
	// CustomsWrittenOff: 已核销 — written off with the book.
	CustomsWrittenOff CustomsStage = "WRITTEN_OFF"
	// CustomsReturned: 退单 (or 删单 by customs) — the list is returned
	// (ReturnList); the last stage.
	CustomsReturned CustomsStage = "RETURNED"
)

func (c CustomsStage) rank() int {
	switch c {
	case CustomsApproved:
		return 1
	case CustomsPreDeducted:
		return 2
	case CustomsDeducted:
		return 3
	case CustomsWrittenOff:
		return 4
	case CustomsReturned:
		return 5
	}
	return 0
}

// Valid reports whether c is one of the stages.
func (c CustomsStage) Valid() bool { return c.rank() > 0 }

// ListReceipt is what a customs receipt of a verification list says, read
// from the message by its importer. The *Field members are the receipt's
// element paths, named in refusals.
type ListReceipt struct {
	// CustomsNo is the number customs assigned (保税清单编号).
	CustomsNo      string
	CustomsNoField string
	// Enterprise (USCC) and InnerNo (企业内部清单编号) find the list when no
	// list holds CustomsNo yet.
	Enterprise      string
	InnerNo         string
	InnerNoField    string
	EnterpriseField string
	// Book, when given, must be the list's book.
	Book      string
	BookField string
	// Stage is what customs did; Note its remark (the reason of a
	// return); At when customs handled it.
	Stage CustomsStage
	Note  string
	At    time.Time
}

// ApplyListReceipt applies a customs receipt to the list it answers:
// the customs number is stored on the list (once; another list's number,
// or another number for the list, is refused with
// CUSTOMS_LIST_NUMBER_TAKEN), and the list moves to the receipt's stage —
// approved as ApproveList does, returned (with the receipt's note) as
// ReturnList does, the verification stages recorded — in one transaction
// with any journal it posts. A receipt of the list's stage or an earlier
// one changes nothing (changed is false). Customs or admin only.
func (s *Service) ApplyListReceipt(ctx context.Context, p access.Principal, r ListReceipt) (l List, changed bool, err error) {
	if (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) || p.Disabled {
		return List{}, false, ledger.Denied("only customs or an admin may import customs receipts; principal %q is %s", p.ID, p.Role)
	}
	if !r.Stage.Valid() {
		return List{}, false, ledger.Invalid(ReasonReceiptUnknownCode, r.CustomsNoField, "the receipt's stage %q is not one zoneledger reads", r.Stage)
	}
	if r.CustomsNo == "" {
		return List{}, false, ledger.Invalid(ReasonListMessageInvalid, r.CustomsNoField, "is required: the number customs assigned to the list")
	}
	var no string
	err = s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		changed = false
		l, err := s.receiptList(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		no = l.No
		// The receipt may approve an intra-zone transfer's list, writing
		// both books' lists: their change numbers first, in book order.
		if err := takeListChanges(ctx, tx, l); err != nil {
			return nil, err
		}
		if r.Book != "" && r.Book != l.Book {
			return nil, ledger.Precondition(ReasonReceiptMismatch, r.BookField, "the receipt is for book %s; list %s is on book %s", r.Book, l.No, l.Book)
		}
		if r.Enterprise != "" && r.Enterprise != l.Enterprise {
			return nil, ledger.Precondition(ReasonReceiptMismatch, r.EnterpriseField, "the receipt is for enterprise %s; list %s is enterprise %s's", r.Enterprise, l.No, l.Enterprise)
		}
		switch l.CustomsNo {
		case r.CustomsNo:
		case "":
			if err := claimCustomsNo(ctx, tx, l.No, r); err != nil {
				return nil, err
			}
			l.CustomsNo, changed = r.CustomsNo, true
		default:
			return nil, ledger.Conflict(ReasonCustomsNoTaken, r.CustomsNoField, "list %s already has customs number %s; the receipt names %s", l.No, l.CustomsNo, r.CustomsNo)
		}
		if r.Stage.rank() <= l.CustomsStage.rank() || l.CustomsStage == CustomsReturned {
			if !changed {
				return nil, nil
			}
			return nil, updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
		}
		first := l.CustomsStage == ""
		l.CustomsStage, l.CustomsStageAt, changed = r.Stage, r.At, true
		if err := updateDoc(ctx, tx, kindList, l.No, string(l.Status), l); err != nil {
			return nil, err
		}
		note := r.Note
		if r.Stage == CustomsReturned {
			if strings.TrimSpace(note) == "" {
				note = "returned by customs (receipt for " + r.CustomsNo + ")"
			}
			return s.returnLocked(ctx, tx, p, l, note)
		}
		if first && l.Status != ListApproved && l.Status != ListCleared {
			return s.approveLocked(ctx, tx, p, l, note)
		}
		return nil, nil
	})
	if err != nil {
		return List{}, false, err
	}
	// An admin reads no enterprise's documents, but may see what the
	// receipt it imported did.
	if _, err := getDoc(ctx, s.pool, kindList, no, false, &l); err != nil {
		return List{}, false, dbError(err)
	}
	return l, changed, nil
}

// receiptList finds and locks the list a receipt answers: by its customs
// number once a list holds it, else by the enterprise's own number.
func (s *Service) receiptList(ctx context.Context, tx pgx.Tx, r ListReceipt) (List, error) {
	no, found, err := docByCustomsNo(ctx, tx, kindList, r.CustomsNo)
	if err != nil {
		return List{}, err
	}
	if found {
		l, _, err := lockList(ctx, tx, no)
		if err != nil {
			return l, err
		}
		if r.InnerNo != "" && r.InnerNo != l.InnerNo {
			return l, ledger.Conflict(ReasonCustomsNoTaken, r.CustomsNoField, "customs number %s is list %s's (enterprise number %s), not the list numbered %s", r.CustomsNo, l.No, l.InnerNo, r.InnerNo)
		}
		return l, nil
	}
	if r.InnerNo == "" || r.Enterprise == "" {
		return List{}, ledger.NotFound(ReasonReceiptUnknownList, r.CustomsNoField, "no list holds customs number %s, and the receipt gives no enterprise and enterprise list number (BondInvtBsc) to find it by", r.CustomsNo)
	}
	err = tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND enterprise = $2 AND inner_no = $3`, kindList, r.Enterprise, r.InnerNo).Scan(&no)
	if errors.Is(err, pgx.ErrNoRows) {
		return List{}, ledger.NotFound(ReasonReceiptUnknownList, r.InnerNoField, "enterprise %s filed no list numbered %s here; import receipts only for lists filed in zoneledger", r.Enterprise, r.InnerNo)
	}
	if err != nil {
		return List{}, err
	}
	l, _, err := lockList(ctx, tx, no)
	return l, err
}

// claimCustomsNo stores a receipt's customs number on list no, unless
// another list holds it.
func claimCustomsNo(ctx context.Context, tx pgx.Tx, no string, r ListReceipt) error {
	other, taken, err := docByCustomsNo(ctx, tx, kindList, r.CustomsNo)
	if err != nil {
		return err
	}
	if taken {
		return ledger.Conflict(ReasonCustomsNoTaken, r.CustomsNoField, "customs number %s is already list %s's", r.CustomsNo, other)
	}
	return setCustomsNo(ctx, tx, kindList, no, r.CustomsNo)
}
