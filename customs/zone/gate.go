package zone

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// CreatePass files a gate pass (核放单). InnerNo is the idempotency key.
// Passes of types 2, 3 and 4 bind verification lists of the matching flow
// (or, type 3, the slips of a 分送集报 trip); type 1 carries goods that enter
// before their list; type 5 registered goods; type 6 an empty vehicle.
func (s *Service) CreatePass(ctx context.Context, p access.Principal, ps Pass) (Pass, error) {
	if err := normalizePass(&ps); err != nil {
		return Pass{}, err
	}
	var out Pass
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := filingBook(ctx, tx, p, ps.Book)
		if err != nil {
			return err
		}
		old, found, err := filedBefore[Pass](ctx, tx, kindPass, b.Enterprise, ps.InnerNo, ps.InputHash(), ReasonDuplicateDocument, "pass")
		if err != nil {
			return err
		}
		if found {
			out = old
			return nil
		}
		c := ps
		c.Enterprise = b.Enterprise
		if err := s.checkPassDocs(ctx, tx, &c); err != nil {
			return err
		}
		c.Status, c.FiledBy, c.CreatedAt = PassApplied, p.ID, s.clock()
		if c.No, err = documentNumber(ctx, tx, "HF", b.CustomsOffice, s.today(), string(c.IO)); err != nil {
			return err
		}
		out = c
		return insertDoc(ctx, tx, docRow{kind: kindPass, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: string(c.Status)}, c, c.CreatedAt)
	})
	return out, err
}

// InputHash is a digest of a pass's filed fields.
func (ps Pass) InputHash() string {
	h := Pass{InnerNo: ps.InnerNo, Book: ps.Book, Type: ps.Type, Bind: ps.Bind, IO: ps.IO, RelatedType: ps.RelatedType, RelatedNos: ps.RelatedNos,
		Vehicle: ps.Vehicle, VehicleWeight: ps.VehicleWeight, FrameWeight: ps.FrameWeight, Container: ps.Container, ContainerWeight: ps.ContainerWeight,
		GrossWeight: ps.GrossWeight, NetWeight: ps.NetWeight}
	// The lines as filed: what a binding added is not the filer's.
	for _, ln := range ps.Lines {
		ln.Source, ln.SourceDocType, ln.SourceDocNo = "", "", ""
		h.Lines = append(h.Lines, ln)
	}
	return digest(h)
}

func checkWeight(d decimal.Decimal, f string) error {
	if d.IsNegative() || ledger.Places(d) > 5 {
		return ledger.BadArgument(f, "a weight is >= 0 kg with at most 5 decimal places")
	}
	return nil
}

func normalizePass(ps *Pass) error {
	ps.InnerNo, ps.Book, ps.Vehicle, ps.Container = strings.TrimSpace(ps.InnerNo), strings.TrimSpace(ps.Book), strings.TrimSpace(ps.Vehicle), strings.TrimSpace(ps.Container)
	if ps.InnerNo == "" || len(ps.InnerNo) > 64 {
		return ledger.BadArgument("inner_no", "the enterprise's own pass number is required, at most 64 characters")
	}
	if ps.Book == "" {
		return ledger.BadArgument("book_no", "is required")
	}
	if !ps.Type.Valid() {
		return ledger.BadArgument("type", "%q is not a 核放单类型; use 1 to 6", ps.Type)
	}
	if !ps.IO.Valid() {
		return ledger.BadArgument("io", "%q is not an in/out flag; use I or E", ps.IO)
	}
	if !ps.Bind.Valid() {
		return ledger.BadArgument("bind", "%q is not a 绑定类型; use 1, 2, 3 or leave it empty", ps.Bind)
	}
	if !ps.RelatedType.Valid() {
		return ledger.BadArgument("related_type", "%q is not a 关联单证类型; use 1, 2, 3 or leave it empty", ps.RelatedType)
	}
	ps.RelatedNos = trimAll(ps.RelatedNos)
	if err := codes.CheckPassShape(ps.Type, ps.Bind, ps.RelatedType, len(ps.RelatedNos)); err != nil {
		return ledger.Invalid(ReasonPassShape, "type", "%v", err)
	}
	if ps.Vehicle == "" || len(ps.Vehicle) > 32 {
		return ledger.BadArgument("vehicle", "the vehicle's plate (车牌号) is required, at most 32 characters")
	}
	for f, w := range map[string]decimal.Decimal{"vehicle_weight": ps.VehicleWeight, "frame_weight": ps.FrameWeight, "container_weight": ps.ContainerWeight, "gross_weight": ps.GrossWeight, "net_weight": ps.NetWeight} {
		if err := checkWeight(w, f); err != nil {
			return err
		}
	}
	if ps.NetWeight.GreaterThan(ps.GrossWeight) {
		return ledger.BadArgument("net_weight", "the net weight %s kg exceeds the gross weight %s kg", ps.NetWeight, ps.GrossWeight)
	}
	if ps.Type != codes.PassEmptyVehicle && !ps.GrossWeight.IsPositive() {
		return ledger.BadArgument("gross_weight", "declare the goods' gross weight (货物总毛重) in kg; the gate compares it with the scale")
	}
	if ps.Type == codes.PassEmptyVehicle && (len(ps.Lines) > 0 || ps.GrossWeight.IsPositive()) {
		return ledger.BadArgument("lines", "an empty vehicle (type 6) carries no goods")
	}
	if ps.Type == codes.PassEnterFirst && ps.IO != codes.In {
		return ledger.BadArgument("io", "a 先入区后报关 pass (type 1) brings goods in: its flag is I")
	}
	if len(ps.Lines) > MaxLinesPerDoc {
		return ledger.BadArgument("lines", "at most %d lines", MaxLinesPerDoc)
	}
	for i := range ps.Lines {
		ln := &ps.Lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		if !ln.Quantity.IsPositive() {
			return ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0")
		}
		if ln.Source != "" || ln.SourceDocType != "" || ln.SourceDocNo != "" {
			return ledger.BadArgument(f+".source", "a registration line's source is set by the repair centre's exit of goods (ExitRepairGoods, GATE_REGISTRATION), not by the filer; leave it empty")
		}
		if ln.Value.IsNegative() || ledger.Places(ln.Value) > 2 {
			return ledger.BadArgument(f+".value", "must be >= 0 CNY with at most 2 decimal places")
		}
		if err := checkWeight(ln.GrossWeight, f+".gross_weight"); err != nil {
			return err
		}
		if err := checkWeight(ln.NetWeight, f+".net_weight"); err != nil {
			return err
		}
		if ln.Country != "" {
			if err := codes.CheckCountry(ln.Country); err != nil {
				return ledger.BadArgument(f+".country", "%v", err)
			}
		}
	}
	return nil
}

// checkPassDocs checks the documents a pass binds and what it carries.
func (s *Service) checkPassDocs(ctx context.Context, q querier, ps *Pass) error {
	switch {
	case ps.Type == codes.PassEnterFirst:
		if len(ps.Lines) == 0 {
			return ledger.BadArgument("lines", "a 先入区后报关 pass lists the goods entering: book line and quantity")
		}
		for i := range ps.Lines {
			ln := &ps.Lines[i]
			if err := inDeclaredUnit(ctx, q, ps.Book, ln.BookSeq, ln.Quantity, &ln.Unit, fmt.Sprintf("lines[%d]", i)); err != nil {
				return err
			}
		}
	case ps.Type == codes.PassGateRegistration:
		if len(ps.Lines) == 0 {
			return ledger.BadArgument("lines", "a 卡口登记 pass lists the goods (description and quantity)")
		}
		for i, ln := range ps.Lines {
			if strings.TrimSpace(ln.Description) == "" {
				return ledger.BadArgument(fmt.Sprintf("lines[%d].description", i), "describe the registered goods (基建物资, 办公用品, ...)")
			}
		}
	case ps.Type == codes.PassEmptyVehicle:
	case ps.RelatedType == codes.RelatedSlip:
		for i, no := range ps.RelatedNos {
			var sl Slip
			if _, err := getDoc(ctx, q, kindSlip, no, false, &sl); err != nil {
				return withField(err, fmt.Sprintf("related_nos[%d]", i))
			}
			if sl.Enterprise != ps.Enterprise {
				return withField(docNotFound(kindSlip, no), fmt.Sprintf("related_nos[%d]", i))
			}
			if sl.Book != ps.Book || sl.IO != ps.IO || sl.Status != SlipFiled {
				return ledger.Invalid(ReasonPassListMismatch, fmt.Sprintf("related_nos[%d]", i), "slip %s is %s, %s on book %s: a pass carries filed slips of its own book and direction", no, sl.Status, sl.IO, sl.Book)
			}
		}
	default:
		return s.checkPassLists(ctx, q, ps)
	}
	return nil
}

// checkPassLists checks the lists a pass of type 2, 3 or 4 binds.
func (s *Service) checkPassLists(ctx context.Context, q querier, ps *Pass) error {
	bound, err := s.openPassLists(ctx, q, ps.Book, "")
	if err != nil {
		return err
	}
	for i, no := range ps.RelatedNos {
		f := fmt.Sprintf("related_nos[%d]", i)
		var l List
		if _, err := getDoc(ctx, q, kindList, no, false, &l); err != nil {
			return withField(listNotFound(err, no), f)
		}
		if l.Enterprise != ps.Enterprise { // another enterprise's list is not there for this filer
			return withField(listNotFound(docNotFound(kindList, no), no), f)
		}
		if l.Book != ps.Book {
			return ledger.Invalid(ReasonPassListMismatch, f, "list %s is on book %s, the pass on %s", no, l.Book, ps.Book)
		}
		if want := passTypeFor(l.Flow); want != ps.Type {
			if want == "" {
				return ledger.Invalid(ReasonPassListMismatch, f, "list %s (%s) passes no gate", no, l.Flow)
			}
			return ledger.Invalid(ReasonPassListMismatch, "type", "list %s (%s) goes through the gate on a type %s pass (%s), not type %s", no, l.Flow, want, want.Name(), ps.Type)
		}
		if l.IO != ps.IO {
			return ledger.Invalid(ReasonPassListMismatch, "io", "list %s is %s, the pass %s", no, l.IO, ps.IO)
		}
		if l.Status != ListDeclared && l.Status != ListApproved {
			return ledger.Precondition(ReasonWrongStatus, f, "list %s is %s; a pass binds declared or approved lists", no, strings.ToLower(string(l.Status)))
		}
		if ps.Bind != codes.BindOneListManyVehicles && bound[no] != "" {
			return ledger.Precondition(ReasonPassListMismatch, f, "list %s is already on pass %s", no, bound[no])
		}
	}
	if ps.Bind != codes.BindOneListManyVehicles {
		if len(ps.Lines) > 0 {
			return ledger.BadArgument("lines", "a pass of binding 1 or 2 carries its lists in full; lines are for one list on many vehicles (binding 3)")
		}
		return nil
	}
	var l List
	if _, err := getDoc(ctx, q, kindList, ps.RelatedNos[0], false, &l); err != nil {
		return err
	}
	if len(ps.Lines) == 0 {
		return ledger.BadArgument("lines", "one list on many vehicles (binding 3): say what this vehicle carries of each list line")
	}
	for i := range ps.Lines {
		ln := &ps.Lines[i]
		f := fmt.Sprintf("lines[%d]", i)
		if ln.ListSeq < 1 || ln.ListSeq > len(l.Lines) {
			return ledger.BadArgument(f+".list_seq", "list %s has lines 1 to %d", l.No, len(l.Lines))
		}
		ll := l.Lines[ln.ListSeq-1]
		ln.ListNo, ln.BookSeq = l.No, ll.BookSeq
		if ln.Unit == "" {
			ln.Unit = ll.DeclaredUnit
		}
		if ln.Unit != ll.DeclaredUnit {
			return ledger.Invalid(ReasonUnitNotOnLine, f+".unit", "give the quantity in the line's declared unit %s", ll.DeclaredUnit)
		}
		if ln.Quantity.GreaterThan(ll.DeclaredQuantity.Sub(ll.Passed)) {
			return ledger.Invalid(ReasonPassExceedsList, f+".quantity", "line %d of list %s has %s %s left to pass, not %s", ln.ListSeq, l.No, ll.DeclaredQuantity.Sub(ll.Passed), ll.DeclaredUnit, ln.Quantity)
		}
	}
	return nil
}

// openPassLists maps the lists bound to a book's passes still on their way
// (applied, approved, held, first gate passed) to the pass, skipping pass except.
func (s *Service) openPassLists(ctx context.Context, q querier, book, except string) (map[string]string, error) {
	rows, err := q.Query(ctx, `SELECT body FROM zone_documents WHERE kind = $1 AND book = $2 AND status IN ($3, $4, $5, $6)`,
		kindPass, book, string(PassApplied), string(PassHeld), string(PassFirstGate), string(PassApproved))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var ps Pass
		if err := jsonUnmarshal(body, &ps); err != nil {
			return nil, err
		}
		if ps.No == except || ps.RelatedType != codes.RelatedList {
			continue
		}
		for _, no := range ps.RelatedNos {
			out[no] = ps.No
		}
	}
	return out, rows.Err()
}

// GetPass returns a pass its enterprise or customs may read, by the
// zone's number or by customs' (核放单编号, stored from its receipt).
func (s *Service) GetPass(ctx context.Context, p access.Principal, no string) (Pass, error) {
	ps, err := readDoc[Pass](ctx, s, p, kindPass, no, passNotFound)
	if !isReason(err, ReasonUnknownPass) {
		return ps, err
	}
	zno, found, e := docByCustomsNo(ctx, s.pool, kindPass, no)
	if e != nil {
		return Pass{}, dbError(e)
	}
	if !found {
		return ps, err
	}
	// Refused, the customs number is answered as the unknown number it was
	// to this principal.
	return readDoc[Pass](ctx, s, p, kindPass, zno, func(err error, _ string) error { return passNotFound(err, no) })
}

func passNotFound(err error, no string) error {
	if isReason(err, ReasonUnknownDocument) {
		return ledger.NotFound(ReasonUnknownPass, "pass_no", "there is no gate pass %q", no)
	}
	return err
}

// ListPasses pages the passes a principal may read.
func (s *Service) ListPasses(ctx context.Context, p access.Principal, f ListFilter) ([]Pass, error) {
	return listDocs[Pass](ctx, s, p, kindPass, f)
}

func lockPass(ctx context.Context, tx pgx.Tx, no string) (Pass, error) {
	var ps Pass
	_, err := getDoc(ctx, tx, kindPass, no, true, &ps)
	if err != nil {
		return ps, passNotFound(err, no)
	}
	return ps, nil
}

// DeletePass withdraws a pass that has not reached the gate. Goods a
// document bound to its lines (BindPassLine) go back to that document's
// keeper, in the same transaction.
func (s *Service) DeletePass(ctx context.Context, p access.Principal, no string) (Pass, error) {
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := lockPass(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		if err := canFileHidden(p, ps.Enterprise, passNotFound(docNotFound(kindPass, no), no)); err != nil {
			return nil, err
		}
		switch ps.Status {
		case PassDeletedStat:
			return nil, nil
		case PassApplied, PassApproved:
		default:
			return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "pass %s is %s; only a pass not yet at the gate can be withdrawn", no, strings.ToLower(string(ps.Status)))
		}
		ps.Status = PassDeletedStat
		if err := s.releasePass(ctx, tx, ps, PassDeletedStat, p.ID, ""); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, p, no)
}

// RecordGateEvent records a vehicle at the gate (the gate system, acting as
// customs). At the first (or only) gate the event is compared with the
// pass: the vehicle and container, every bound list approved, the weighed
// goods (scale minus tares) against the declared gross weight, and the
// pass's declared weights against its lists', each within the tolerance of
// Settings. All good: the pass is released (in a two-gate zone, after the
// second gate) and its goods are booked. Otherwise it is held for
// inspection with the reasons, and nothing is booked until customs releases
// it. A replayed event ID returns the pass.
func (s *Service) RecordGateEvent(ctx context.Context, p access.Principal, no string, ev GateEvent) (Pass, error) {
	if err := mustBeCustoms(p, "record gate events (the gate system acts as customs)"); err != nil {
		return Pass{}, err
	}
	ev.ID, ev.Vehicle, ev.Container = strings.TrimSpace(ev.ID), strings.TrimSpace(ev.Vehicle), strings.TrimSpace(ev.Container)
	if ev.ID == "" || len(ev.ID) > 64 {
		return Pass{}, ledger.BadArgument("event_id", "the gate system's event ID is required, at most 64 characters: it makes a resent event harmless")
	}
	if ev.Gate == 0 {
		ev.Gate = 1
	}
	if ev.Gate != 1 && (ev.Gate != 2 || !s.set.TwoGates) {
		return Pass{}, ledger.BadArgument("gate", "gate %d does not exist; this zone has %s", ev.Gate, map[bool]string{false: "one gate (1)", true: "two gates (1 and 2)"}[s.set.TwoGates])
	}
	if ev.Vehicle == "" {
		return Pass{}, ledger.BadArgument("vehicle", "the plate read at the gate is required")
	}
	if err := checkWeight(ev.ScaleGross, "scale_gross"); err != nil {
		return Pass{}, err
	}
	if ev.At.IsZero() {
		ev.At = s.clock()
	}
	if ev.At.Before(EarliestBusinessDate) {
		return Pass{}, ledger.BadArgument("at", "the gate event is dated %s, before %s, the earliest business date the zone takes; send the gate's reading time", ev.At.UTC().Format(time.RFC3339), ledger.FormatDate(EarliestBusinessDate))
	}
	if ev.At.After(s.now().Add(maxClockSkew)) {
		return Pass{}, ledger.BadArgument("at", "the gate event is dated %s, in the future; send the gate's reading time", ev.At.UTC().Format(time.RFC3339))
	}
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := lockPass(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		for _, old := range ps.Events {
			if old.ID == ev.ID {
				if old.Gate != ev.Gate || old.Vehicle != ev.Vehicle || old.Container != ev.Container || !old.ScaleGross.Equal(ev.ScaleGross) {
					return nil, ledger.Conflict(ReasonGateEventReused, "event_id", "event %s was recorded at gate %d for vehicle %s weighing %s kg; a new reading needs a new event ID", ev.ID, old.Gate, old.Vehicle, old.ScaleGross)
				}
				return nil, nil
			}
		}
		return s.gateStep(ctx, tx, p, ps, ev, true)
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, p, no)
}

// gateStep moves locked pass ps by gate event e: the one path of a vehicle
// at the gate, whether the zone's gate system reports it (RecordGateEvent,
// checked: the event is compared with the pass and its lists, and a
// mismatch holds the vehicle) or customs' gate status receipt does
// (ApplyPassReceipt, not checked: customs' gate already released the
// vehicle). At the last gate the goods are booked (passIntent).
func (s *Service) gateStep(ctx context.Context, tx pgx.Tx, p access.Principal, ps Pass, e GateEvent, checked bool) (*intent, error) {
	e.Reasons = nil
	switch {
	case (ps.Status == PassApplied || ps.Status == PassApproved) && e.Gate == 1:
		if checked {
			var err error
			if e.Reasons, err = s.gateChecks(ctx, tx, ps, e); err != nil {
				return nil, err
			}
		}
		if len(e.Reasons) > 0 {
			e.Outcome = string(PassHeld)
			ps.Status, ps.HoldReasons = PassHeld, e.Reasons
			ps.Events = append(ps.Events, e)
			return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
		}
		if s.set.TwoGates {
			e.Outcome = string(PassFirstGate)
			ps.Status = PassFirstGate
			ps.Events = append(ps.Events, e)
			return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
		}
	case ps.Status == PassFirstGate && e.Gate == 2:
		if e.Vehicle != ps.Vehicle {
			return nil, ledger.Precondition(ReasonPassListMismatch, "vehicle", "vehicle %s at gate 2 is not the pass's vehicle %s", e.Vehicle, ps.Vehicle)
		}
	case ps.Status == PassHeld:
		return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "pass %s is held for inspection (%s); customs releases or rejects it", ps.No, strings.Join(ps.HoldReasons, "; "))
	default:
		return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "pass %s is %s; it cannot take an event at gate %d", ps.No, strings.ToLower(string(ps.Status)), e.Gate)
	}
	e.Outcome = string(PassPassed)
	return s.passIntent(ctx, tx, p, ps, e)
}

// gateChecks compares a gate event with its pass and lists; it returns the
// reasons to hold the vehicle.
func (s *Service) gateChecks(ctx context.Context, tx pgx.Tx, ps Pass, e GateEvent) ([]string, error) {
	var reasons []string
	if e.Vehicle != ps.Vehicle {
		reasons = append(reasons, fmt.Sprintf("vehicle %s at the gate, the pass declares %s", e.Vehicle, ps.Vehicle))
	}
	if ps.Container != "" && e.Container != ps.Container {
		reasons = append(reasons, fmt.Sprintf("container %q at the gate, the pass declares %s", e.Container, ps.Container))
	}
	tare := ps.VehicleWeight.Add(ps.FrameWeight).Add(ps.ContainerWeight)
	weighed := e.ScaleGross.Sub(tare)
	if tol := s.set.tolerance(ps.GrossWeight); weighed.Sub(ps.GrossWeight).Abs().GreaterThan(tol) {
		reasons = append(reasons, fmt.Sprintf("weighed goods %s kg (scale %s − tare %s) differ from the declared gross weight %s kg by more than %s kg",
			weighed, e.ScaleGross, tare, ps.GrossWeight, tol))
	}
	if ps.RelatedType == codes.RelatedList {
		gross, net := decimal.Zero, decimal.Zero
		for _, no := range ps.RelatedNos {
			var l List
			if _, err := getDoc(ctx, tx, kindList, no, false, &l); err != nil {
				return nil, err
			}
			if l.Status != ListApproved {
				reasons = append(reasons, fmt.Sprintf("list %s is %s, not approved", no, strings.ToLower(string(l.Status))))
			}
			gross, net = gross.Add(l.GrossWeight), net.Add(l.NetWeight)
		}
		if ps.Bind == codes.BindOneListManyVehicles {
			gross, net = decimal.Zero, decimal.Zero
			for _, ln := range ps.Lines {
				gross, net = gross.Add(ln.GrossWeight), net.Add(ln.NetWeight)
			}
		}
		if gross.IsPositive() {
			if tol := s.set.tolerance(gross); ps.GrossWeight.Sub(gross).Abs().GreaterThan(tol) {
				reasons = append(reasons, fmt.Sprintf("the pass declares %s kg gross, its lists %s kg (tolerance %s kg)", ps.GrossWeight, gross, tol))
			}
		}
		if net.IsPositive() {
			if tol := s.set.tolerance(net); ps.NetWeight.Sub(net).Abs().GreaterThan(tol) {
				reasons = append(reasons, fmt.Sprintf("the pass declares %s kg net, its lists %s kg (tolerance %s kg)", ps.NetWeight, net, tol))
			}
		}
	}
	return reasons, nil
}

// ReleaseHold releases a held vehicle after inspection. Customs only. Every
// bound list must be approved by then.
func (s *Service) ReleaseHold(ctx context.Context, p access.Principal, no, note string) (Pass, error) {
	if err := mustBeCustoms(p, "release held vehicles"); err != nil {
		return Pass{}, err
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := lockPass(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		switch ps.Status {
		case PassPassed, PassFirstGate:
			return nil, nil
		case PassHeld:
		default:
			return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "pass %s is %s, not held", no, strings.ToLower(string(ps.Status)))
		}
		if ps.RelatedType == codes.RelatedList {
			for _, ln := range ps.RelatedNos {
				var l List
				if _, err := getDoc(ctx, tx, kindList, ln, false, &l); err != nil {
					return nil, err
				}
				if l.Status != ListApproved {
					return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "list %s on the pass is %s; approve it before releasing the vehicle", ln, strings.ToLower(string(l.Status)))
				}
			}
		}
		ps.Note, ps.HoldReasons = note, nil
		e := GateEvent{ID: "release:" + p.ID, Gate: 1, Vehicle: ps.Vehicle, At: s.clock(), Outcome: string(PassPassed), Reasons: []string{"released by customs: " + note}}
		if s.set.TwoGates {
			e.Outcome = string(PassFirstGate)
			ps.Status = PassFirstGate
			ps.Events = append(ps.Events, e)
			return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
		}
		in, err := s.passIntent(ctx, tx, p, ps, e)
		if in != nil {
			in.Note = note
		}
		return in, err
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, p, no)
}

// RejectHold turns a held vehicle back. Customs only. Nothing is booked;
// the lists stay as they are and may go on another pass; goods a document
// bound to a gate registration's lines go back to that document's keeper.
func (s *Service) RejectHold(ctx context.Context, p access.Principal, no, note string) (Pass, error) {
	if err := mustBeCustoms(p, "reject held vehicles"); err != nil {
		return Pass{}, err
	}
	if strings.TrimSpace(note) == "" {
		return Pass{}, ledger.BadArgument("note", "say why the vehicle is turned back")
	}
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		ps, err := lockPass(ctx, tx, no)
		if err != nil {
			return nil, err
		}
		switch ps.Status {
		case PassRejected:
			return nil, nil
		case PassHeld:
		default:
			return nil, ledger.Precondition(ReasonWrongStatus, "pass_no", "pass %s is %s, not held", no, strings.ToLower(string(ps.Status)))
		}
		ps.Status, ps.Note = PassRejected, note
		if err := s.releasePass(ctx, tx, ps, PassRejected, p.ID, note); err != nil {
			return nil, err
		}
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
	})
	if err != nil {
		return Pass{}, err
	}
	return s.GetPass(ctx, p, no)
}

// maxClockSkew is how far ahead of the server's clock a gate's clock may
// run.
const maxClockSkew = 10 * time.Minute

// planItem is what a pass books of one list line or slip line.
type planItem struct {
	Doc  string // list or slip number
	Line int    // index in the document's lines
	Qty  decimal.Decimal
}

// passIntent builds the journal booking a released pass's goods.
func (s *Service) passIntent(ctx context.Context, tx pgx.Tx, p access.Principal, ps Pass, e GateEvent) (*intent, error) {
	day := s.dateOf(e.At)
	req := ledger.JournalRequest{Book: ps.Book, IdempotencyKey: ps.No + ":gate", EffectiveDate: day,
		Document: ledger.Document{Type: "PASS", Number: ps.No}, Principal: p.ID,
		Metadata: map[string]string{"pass_type": string(ps.Type), "vehicle": ps.Vehicle}}
	in := &intent{ID: req.IdempotencyKey, Kind: intentPass, Docs: []string{kindPass + ":" + ps.No}, Actor: p.ID, Event: &e, Date: day}
	var plan []planItem
	switch {
	case ps.Type == codes.PassEnterFirst:
		for i, ln := range ps.Lines {
			bl, err := loadLine(ctx, tx, ps.Book, ln.BookSeq)
			if err != nil {
				return nil, err
			}
			pst := posting(ps.Book, ln.BookSeq, WorldAbroad, AccountEntered, ln.Quantity, ps.No+"-"+strconv.Itoa(i+1), bl.DeclaredUnit)
			pst.Value = ln.Value
			pst.LotAttributes = map[string]string{"flow": string(FlowEnterFirst), "source_pass": ps.No, "bill_of_lading": strings.Join(ps.RelatedNos, ","),
				"entry_date": ledger.FormatDate(day), "country": ln.Country, "declared_value": ln.Value.StringFixed(2), "enterprise": ps.Enterprise}
			req.Postings = append(req.Postings, pst)
			in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
		}
	case ps.Type == codes.PassGateRegistration:
		// Registered goods are logged; goods a repair order bound to a
		// line (BindPassLine) leave their section for the domestic area.
		for i, ln := range ps.Lines {
			if ln.Source == "" {
				continue
			}
			bl, err := loadLine(ctx, tx, ps.Book, ln.BookSeq)
			if err != nil {
				return nil, err
			}
			req.Postings = append(req.Postings, posting(ps.Book, ln.BookSeq, ln.Source, WorldDomestic, ln.Quantity, "", bl.DeclaredUnit))
			req.Metadata["source_document"] = ln.SourceDocType + " " + ln.SourceDocNo
			in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", i))
		}
	case ps.RelatedType == codes.RelatedSlip:
		for _, no := range ps.RelatedNos {
			var sl Slip
			if _, err := getDoc(ctx, tx, kindSlip, no, true, &sl); err != nil {
				return nil, err
			}
			in.Docs = append(in.Docs, kindSlip+":"+no)
			for i, ln := range sl.Lines {
				bl, err := loadLine(ctx, tx, ps.Book, ln.BookSeq)
				if err != nil {
					return nil, err
				}
				var pst ledger.Posting
				if sl.IO == codes.Out {
					pst = posting(ps.Book, ln.BookSeq, AccountBonded, WorldDomestic, ln.Quantity, "", bl.DeclaredUnit)
				} else {
					pst = posting(ps.Book, ln.BookSeq, WorldDomestic, AccountBonded, ln.Quantity, no+"-"+strconv.Itoa(i+1), bl.DeclaredUnit)
					pst.Value = ln.Value
					pst.LotAttributes = map[string]string{"flow": "COLLECTIVE_IN", "source_slip": no, "entry_date": ledger.FormatDate(day), "enterprise": ps.Enterprise}
				}
				req.Postings = append(req.Postings, pst)
				in.Fields = append(in.Fields, fmt.Sprintf("related_nos[%d]", slices.Index(ps.RelatedNos, no)))
			}
		}
	case ps.RelatedType == codes.RelatedList:
		for _, no := range ps.RelatedNos {
			var l List
			_, err := getDoc(ctx, tx, kindList, no, true, &l)
			if err != nil {
				return nil, err
			}
			if d := l.businessDate(day); d.After(day) {
				return nil, ledger.BadArgument("at", "the vehicle passes on %s, before the business date %s of list %s", ledger.FormatDate(day), ledger.FormatDate(d), no)
			}
			in.Docs = append(in.Docs, kindList+":"+no)
			world, bucket := gateAccounts(l.Flow)
			for i, ln := range l.Lines {
				qty := ln.DeclaredQuantity.Sub(ln.Passed)
				if ps.Bind == codes.BindOneListManyVehicles {
					qty = decimal.Zero
					for _, pl := range ps.Lines {
						if pl.ListSeq == ln.Seq {
							qty = qty.Add(pl.Quantity)
						}
					}
					if qty.GreaterThan(ln.DeclaredQuantity.Sub(ln.Passed)) {
						return nil, ledger.Invalid(ReasonPassExceedsList, "lines", "list %s line %d has %s left to pass; the vehicle carries %s", no, ln.Seq, ln.DeclaredQuantity.Sub(ln.Passed), qty)
					}
				}
				if !qty.IsPositive() {
					continue
				}
				plan = append(plan, planItem{Doc: no, Line: i, Qty: qty})
				field := fmt.Sprintf("related_nos[%d]", slices.Index(ps.RelatedNos, no))
				if outbound(l.Flow) {
					for _, lot := range takeLots(ln.Lots, ln.Passed, qty) {
						from, to := bucket, world
						if lot.Bucket != "" {
							// Non-bonded goods of a 清单类型 9 list leave untaxed.
							from, to = lot.Bucket, WorldOutside
						}
						req.Postings = append(req.Postings, posting(l.Book, ln.BookSeq, from, to, lot.Quantity, lot.Lot, ln.DeclaredUnit))
						in.Fields = append(in.Fields, field)
					}
					continue
				}
				pst := posting(l.Book, ln.BookSeq, world, bucket, qty, l.No+"-"+strconv.Itoa(ln.Seq), ln.DeclaredUnit)
				// A line entering on several vehicles: the parts' values sum
				// exactly to the line's.
				pst.Value = partValue(ln.CNYValue, ln.DeclaredQuantity, ln.Passed, qty)
				pst.LotAttributes = lotAttributes(l, ln, l.Flow, day)
				req.Postings = append(req.Postings, pst)
				in.Fields = append(in.Fields, field)
			}
		}
	}
	in.Extra = mustJSON(plan)
	if len(req.Postings) == 0 {
		// Registered goods and empty vehicles are logged, never booked.
		ps.Status = PassPassed
		ps.Events = append(ps.Events, e)
		return nil, updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
	}
	in.Post = &req
	return in, nil
}

// takeLots returns the lots of qty taken after the first done units of
// reserved lots.
func takeLots(lots []LotQuantity, done, qty decimal.Decimal) []LotQuantity {
	var out []LotQuantity
	for _, l := range lots {
		if !qty.IsPositive() {
			break
		}
		avail := l.Quantity
		if done.IsPositive() {
			skip := decimal.Min(done, avail)
			done, avail = done.Sub(skip), avail.Sub(skip)
		}
		if !avail.IsPositive() {
			continue
		}
		take := decimal.Min(avail, qty)
		out = append(out, LotQuantity{Lot: l.Lot, Quantity: take, Bucket: l.Bucket})
		qty = qty.Sub(take)
	}
	return out
}

// finishPass records a released pass: the pass passed, its lists' passed
// quantities (cleared when complete, taxable events for domestic sales), its
// slips passed with their collective-declaration deadline.
func (s *Service) finishPass(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, passNo, _ := strings.Cut(in.Docs[0], ":")
	var ps Pass
	if _, err := getDoc(ctx, tx, kindPass, passNo, true, &ps); err != nil {
		return err
	}
	var plan []planItem
	if in.Extra != "" {
		if err := jsonUnmarshal(in.Extra, &plan); err != nil {
			return err
		}
	}
	lists := map[string]*List{}
	for _, d := range in.Docs[1:] {
		kind, no, _ := strings.Cut(d, ":")
		switch kind {
		case kindList:
			var l List
			if _, err := getDoc(ctx, tx, kindList, no, true, &l); err != nil {
				return err
			}
			lists[no] = &l
		case kindSlip:
			var sl Slip
			if _, err := getDoc(ctx, tx, kindSlip, no, true, &sl); err != nil {
				return err
			}
			sl.Status, sl.PassNo, sl.PassedOn = SlipPassed, ps.No, in.Date
			sl.Deadline = s.collectiveDeadline(in.Date)
			if err := updateDoc(ctx, tx, kindSlip, no, string(sl.Status), sl); err != nil {
				return err
			}
		}
	}
	// Inbound lines formed lots named after the list line. Each list's
	// taxable events on this pass are one consignment, taxed together.
	consignments := map[string][]pendingEvent{}
	var order []string
	for _, it := range plan {
		l := lists[it.Doc]
		ln := &l.Lines[it.Line]
		bondedBefore, bondedQty := gtBondedPart(*ln, ln.Passed, it.Qty)
		ln.Passed = ln.Passed.Add(it.Qty)
		if !outbound(l.Flow) {
			lot := l.No + "-" + strconv.Itoa(ln.Seq)
			ln.Lots = addLot(ln.Lots, lot, it.Qty)
		}
		if generalTaxpayerSale(l) {
			// Only the bonded lots taken are taxed, on their share of the
			// line's value (in bonded units passed, so the parts sum to
			// the bonded share exactly); the non-bonded leave untaxed.
			if !bondedQty.IsPositive() {
				continue
			}
			part := *ln
			part.Passed = bondedBefore.Add(bondedQty)
			ev, err := s.taxableEvent(ctx, tx, *l, part, bondedQty, in.Date, ps.No)
			if err != nil {
				return err
			}
			if consignments[l.No] == nil {
				order = append(order, l.No)
			}
			consignments[l.No] = append(consignments[l.No], ev)
		} else if s.taxable(l) {
			ev, err := s.taxableEvent(ctx, tx, *l, *ln, it.Qty, in.Date, ps.No)
			if err != nil {
				return err
			}
			if consignments[l.No] == nil {
				order = append(order, l.No)
			}
			consignments[l.No] = append(consignments[l.No], ev)
		}
	}
	for _, no := range order {
		if err := s.recordConsignment(ctx, tx, consignments[no]); err != nil {
			return err
		}
	}
	for no, l := range lists {
		done := true
		for _, ln := range l.Lines {
			if ln.Passed.LessThan(ln.DeclaredQuantity) {
				done = false
			}
		}
		if done {
			l.Status, l.ClearedAt = ListCleared, s.clock()
		}
		l.JournalIDs = append(l.JournalIDs, j.ID)
		if err := updateDoc(ctx, tx, kindList, no, string(l.Status), *l); err != nil {
			return err
		}
	}
	ps.Status, ps.JournalID, ps.HoldReasons = PassPassed, j.ID, nil
	if in.Note != "" {
		ps.Note = in.Note
	}
	if in.Event != nil {
		ps.Events = append(ps.Events, *in.Event)
	}
	return updateDoc(ctx, tx, kindPass, ps.No, string(ps.Status), ps)
}

func addLot(lots []LotQuantity, lot string, q decimal.Decimal) []LotQuantity {
	for i := range lots {
		if lots[i].Lot == lot {
			lots[i].Quantity = lots[i].Quantity.Add(q)
			return lots
		}
	}
	return append(lots, LotQuantity{Lot: lot, Quantity: q})
}
