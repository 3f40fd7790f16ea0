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

// Reasons of gate pass messages and receipts (SAS121 out, SAS221 and SAS251
// in; the messages are package customs/sasmessage).
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

// PassAction is what a customs receipt of a gate pass reports.
type PassAction int

// The actions customs' pass receipts report.
const (
	// PassActionNone reports nothing new (已申请): only the number is
	// stored.
	PassActionNone PassAction = iota + 1
	// PassActionApprove: customs approved the pass (审核通过, 已审批).
	PassActionApprove
	// PassActionReturn: customs returned the pass (退单); what it bound is
	// free again.
	PassActionReturn
	// PassActionPassed: the vehicle passed the gate of a single-gate zone
	// (已过卡).
	PassActionPassed
	// PassActionFirstGate: the vehicle passed the first gate of a
	// two-gate zone (已过一卡).
	PassActionFirstGate
	// PassActionSecondGate: the vehicle passed the second gate of a
	// two-gate zone (已过二卡), the first too if it was not reported.
	PassActionSecondGate
	// PassActionDelete: customs deleted the pass (已删除).
	PassActionDelete
)

// PassReceipt is what a customs receipt of a gate pass says, read from
// the message by its importer (package customs/sasmessage). The *Field
// members are the receipt's element paths, named in refusals.
type PassReceipt struct {
	// CustomsNo is customs' pass number (核放单编号), empty when the
	// receipt gives none.
	CustomsNo      string
	CustomsNoField string
	// Enterprise (USCC) and InnerNo (the enterprise's own pass number)
	// find the pass when no pass holds CustomsNo yet.
	Enterprise   string
	InnerNo      string
	InnerNoField string
	// Action is what customs did; Said how the receipt said it (e.g.
	// "gate status 2"), named in refusals; ActionField its element.
	Action      PassAction
	Said        string
	ActionField string
	// Note is customs' remark: the pass's note on approval or return.
	Note string
	// EventID identifies the gate passage the receipt reports (one event
	// per passage, however often it is sent).
	EventID string
	// FirstGateAt and SecondGateAt are when the vehicle passed each gate
	// (zero: the service's clock), read from FirstGateAtField and
	// SecondGateAtField.
	FirstGateAt       time.Time
	FirstGateAtField  string
	SecondGateAt      time.Time
	SecondGateAtField string
}

// ApplyPassReceipt applies a customs receipt to the gate pass it answers,
// in one transaction with any journal it posts. Customs or an admin only.
//
// Customs' number is stored on the pass (once: another pass's number, or
// another number for a pass that has one, is refused with
// PASS_CUSTOMS_NUMBER_TAKEN). Approve moves APPLIED to APPROVED (with the
// note); Return moves it to RETURNED (the note its reason; what it bound
// is free again). Passed, FirstGate and SecondGate move it at the gate
// through the path RecordGateEvent takes, without the scale's checks
// (customs' gate released the vehicle): Passed in a single-gate zone,
// FirstGate and SecondGate in a two-gate zone (SecondGate alone takes
// both gates); the goods are booked when the vehicle passes the last
// gate. Delete deletes the pass as DeletePass does.
//
// The pass is found by customs' number once a pass carries it, else by
// the enterprise and its own number. The same receipt twice changes
// nothing (changed is false), and a receipt of a state the pass is past
// does not move it back.
func (s *Service) ApplyPassReceipt(ctx context.Context, p access.Principal, r PassReceipt) (ps Pass, changed bool, err error) {
	if p.Disabled || (p.Role != access.RoleCustoms && p.Role != access.RoleAdmin) {
		return Pass{}, false, ledger.Denied("only customs or an admin may import customs' receipts; principal %q is %s", p.ID, p.Role)
	}
	if r.Action < PassActionNone || r.Action > PassActionDelete {
		return Pass{}, false, ledger.Invalid(ReasonPassReceiptCode, r.ActionField, "%s is not an action zoneledger reads", r.Said)
	}
	var before Pass
	err = s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := receiptPass(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		before = ps
		if r.Action == PassActionApprove || r.Action == PassActionReturn {
			return s.applyDecision(ctx, tx, p, &ps, r)
		}
		return s.applyGateStatus(ctx, tx, p, &ps, r)
	})
	if err != nil {
		return Pass{}, false, err
	}
	// An admin reads no enterprise's documents, but may see what the
	// receipt it imported did.
	var after Pass
	if _, err := getDoc(ctx, s.pool, kindPass, before.No, false, &after); err != nil {
		return Pass{}, false, dbError(err)
	}
	changed = after.Status != before.Status || after.CustomsNo != before.CustomsNo || len(after.Events) != len(before.Events)
	return after, changed, nil
}

// receiptPass finds and locks the pass a receipt answers: by customs'
// number once a pass carries it (the receipt's enterprise and inner
// number must then be that pass's), else by the enterprise and its inner
// number.
func receiptPass(ctx context.Context, tx pgx.Tx, r PassReceipt) (Pass, error) {
	var no string
	if r.CustomsNo != "" {
		no, found, err := docByCustomsNo(ctx, tx, kindPass, r.CustomsNo)
		if err != nil {
			return Pass{}, err
		}
		if found {
			ps, err := lockPass(ctx, tx, no)
			if err != nil {
				return ps, err
			}
			if ps.InnerNo != r.InnerNo || ps.Enterprise != r.Enterprise {
				return ps, ledger.Conflict(ReasonPassCustomsNoTaken, r.CustomsNoField, "customs number %s is already another pass's (enterprise %s, inner number %s), not the pass of enterprise %s numbered %q; check the receipt",
					r.CustomsNo, ps.Enterprise, ps.InnerNo, r.Enterprise, r.InnerNo)
			}
			return ps, nil
		}
	}
	err := tx.QueryRow(ctx, `SELECT no FROM zone_documents WHERE kind = $1 AND enterprise = $2 AND inner_no = $3`, kindPass, r.Enterprise, r.InnerNo).Scan(&no)
	if errors.Is(err, pgx.ErrNoRows) {
		return Pass{}, ledger.NotFound(ReasonPassReceiptUnknownPass, r.InnerNoField,
			"no gate pass of enterprise %s has the inner number %q or the customs number %q; check that the pass was filed here (CreatePass) under that number", r.Enterprise, r.InnerNo, r.CustomsNo)
	}
	if err != nil {
		return Pass{}, err
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
		return ledger.Conflict(ReasonPassCustomsNoTaken, field, "pass %s already carries customs number %s, not %s; check the receipt", ps.No, ps.CustomsNo, no)
	}
	other, taken, err := docByCustomsNo(ctx, tx, kindPass, no)
	if err != nil {
		return err
	}
	if taken {
		return ledger.Conflict(ReasonPassCustomsNoTaken, field, "customs number %s is already pass %s's; check the receipt", no, other)
	}
	if err := setCustomsNo(ctx, tx, kindPass, ps.No, no); err != nil {
		return err
	}
	ps.CustomsNo = no
	return updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
}

// applyDecision applies customs' approval or return to a locked pass.
func (s *Service) applyDecision(ctx context.Context, tx pgx.Tx, p access.Principal, ps *Pass, r PassReceipt) (*intent, error) {
	if err := assignCustomsNo(ctx, tx, ps, r.CustomsNo, r.CustomsNoField); err != nil {
		return nil, err
	}
	if r.Action == PassActionApprove {
		if ps.Status != PassApplied {
			return nil, nil // approved already, or past it
		}
		ps.Status = PassApproved
		if r.Note != "" {
			ps.Note = r.Note
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
	}
	switch ps.Status {
	case PassReturned:
		return nil, nil
	case PassApplied, PassApproved:
	default:
		return nil, ledger.Precondition(ReasonPassReceiptState, r.ActionField, "pass %s is %s; customs' return (退单) cannot undo it", ps.No, lower(ps.Status))
	}
	note := r.Note
	if note == "" {
		note = "returned by customs (SAS221 退单) without a remark"
	}
	ps.Status, ps.Note = PassReturned, note
	if err := s.releasePass(ctx, tx, *ps, PassReturned, p.ID, note); err != nil {
		return nil, err
	}
	return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), *ps)
}

// applyGateStatus applies customs' gate status to a locked pass.
func (s *Service) applyGateStatus(ctx context.Context, tx pgx.Tx, p access.Principal, ps *Pass, r PassReceipt) (*intent, error) {
	if err := assignCustomsNo(ctx, tx, ps, r.CustomsNo, r.CustomsNoField); err != nil {
		return nil, err
	}
	atGate := ps.Status == PassApplied || ps.Status == PassApproved || ps.Status == PassHeld
	late := func() error {
		return ledger.Precondition(ReasonPassReceiptState, r.ActionField, "pass %s is %s; customs reports %s", ps.No, lower(ps.Status), r.Said)
	}
	mode := func(two bool) error {
		if s.set.TwoGates == two {
			return nil
		}
		if s.set.TwoGates {
			return ledger.Precondition(ReasonPassReceiptState, r.ActionField, "%s is for single-gate zones; this zone has two gates (已过一卡, 已过二卡)", r.Said)
		}
		return ledger.Precondition(ReasonPassReceiptState, r.ActionField, "%s is for two-gate zones; this zone has one gate (已过卡)", r.Said)
	}
	event := func(gate int, at time.Time, field string) (GateEvent, error) {
		e := GateEvent{ID: r.EventID, Gate: gate, Vehicle: ps.Vehicle, Container: ps.Container}
		if at.IsZero() {
			e.At = s.clock()
			return e, nil
		}
		if at.Before(EarliestBusinessDate) || at.After(s.now().Add(maxClockSkew)) {
			return e, ledger.Invalid(ReasonPassMessageInvalid, field, "%s is before %s or in the future", at.Format(time.DateTime), ledger.FormatDate(EarliestBusinessDate))
		}
		e.At = at.UTC().Truncate(time.Microsecond)
		return e, nil
	}
	// throughGate runs the gate's path from where the pass is up to gate.
	throughGate := func(gate int) (*intent, error) {
		if ps.Status == PassHeld {
			// Customs' gate released a vehicle the zone's gate held.
			ps.Status, ps.HoldReasons = PassApproved, nil
		}
		if ps.Status != PassFirstGate {
			e, err := event(1, r.FirstGateAt, r.FirstGateAtField)
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
		e, err := event(2, r.SecondGateAt, r.SecondGateAtField)
		if err != nil {
			return nil, err
		}
		return s.gateStep(ctx, tx, p, *ps, e, false)
	}
	switch r.Action {
	case PassActionNone:
		return nil, nil
	case PassActionPassed:
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
	case PassActionFirstGate:
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
	case PassActionSecondGate:
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
	}
	// PassActionDelete
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

func lower(st PassStatus) string { return strings.ToLower(string(st)) }
