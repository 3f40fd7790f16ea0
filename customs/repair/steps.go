package repair

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// World accounts of the repair centre.
const (
	// WorldRemoved is where old parts and scrap come from when they are
	// taken out of goods under repair: the goods' book line stays one unit,
	// the removed part becomes goods of its own line.
	WorldRemoved = "repair-removed"
	// WorldDestroyed is the world account destroyed goods go to (shared
	// with package customs/processing).
	WorldDestroyed = "destroyed"
)

// More stable reasons of the repair centre's refusals.
const (
	// ReasonOrderQuantity: a step moves more of a book line than the order
	// holds in that section.
	ReasonOrderQuantity = "REPAIR_ORDER_QUANTITY"
	// ReasonPartsReExportOnly: old/bad parts and scrap of goods from
	// abroad leave only by re-export (0864/0865) or destruction, never to
	// the domestic area (GACC 公告2023年第105号).
	ReasonPartsReExportOnly = "REPAIR_PARTS_RE_EXPORT_ONLY"
	// ReasonExitWay: the goods may not leave the zone that way (e.g.
	// goods from abroad back to the domestic area).
	ReasonExitWay = "REPAIR_EXIT_WAY"
	// ReasonRemanufacturedDomestic: remanufactured goods are re-exported;
	// selling them domestically is refused unless the zone's setting
	// RemanufacturedDomesticSale allows it.
	ReasonRemanufacturedDomestic = "REMANUFACTURED_DOMESTIC_SALE"
	// ReasonNoDomesticCirculation: the catalogue says these goods may not
	// circulate in the domestic area after repair.
	ReasonNoDomesticCirculation = "REPAIR_NO_DOMESTIC_CIRCULATION"
	// ReasonExitList: the zone list named for goods leaving by re-export
	// or back to the domestic customer is not of the flow the way needs.
	ReasonExitList = "REPAIR_EXIT_LIST"
)

// Step kinds of a repair order's trail.
const (
	StepTest    = "TEST"
	StepConsume = "CONSUME_PARTS"
	StepRemove  = "REMOVE_PARTS"
	StepFinish  = "FINISH"
	StepExit    = "EXIT"
	// StepListReturned: customs returned (退单) a list goods of the order
	// were bound to; the goods are held by the order again. Its journal is
	// the zone's release of the list's reservation.
	StepListReturned = "LIST_RETURNED"
	// StepListDeleted: the enterprise deleted a draft list goods of the
	// order were bound to; the goods are held by the order again.
	StepListDeleted = "LIST_DELETED"
	// StepPassWithdrawn: a gate registration goods of the order were bound
	// to was withdrawn by the enterprise or turned back by customs; the
	// goods are held by the order again.
	StepPassWithdrawn = "PASS_WITHDRAWN"
)

// Step is one step of a repair order after it opened.
type Step struct {
	// Key is the filer's own key of the step: the idempotency key.
	Key       string
	Kind      string
	Date      time.Time
	Detail    string
	JournalID int64
	FiledBy   string
	At        time.Time
	InputHash string
}

// PartUse is repair parts of one book line consumed by actual use.
type PartUse struct {
	BookSeq  int
	Quantity decimal.Decimal
	// Origin is OriginAbroad for bonded parts, OriginDomestic for domestic.
	Origin Origin
}

// Removed is old/bad parts (Scrap false) or repair scrap (Scrap true) of
// one book line taken out of the order's goods.
type Removed struct {
	BookSeq  int
	Quantity decimal.Decimal
	Scrap    bool
	// Value is their value in CNY, to the fen (>= 0).
	Value decimal.Decimal
}

// Way is how goods leave the repair book.
type Way string

// The ways out.
const (
	// WayReExport: re-exported abroad (复运出境; old parts and scrap under
	// 0864 / 0865).
	WayReExport Way = "RE_EXPORT"
	// WayReturnDomestic: repaired or unrepairable goods back to the
	// domestic customer they came from.
	WayReturnDomestic Way = "RETURN_DOMESTIC"
	// WayGateRegistration: old parts or scrap of goods from the domestic
	// area out by 卡口登记.
	WayGateRegistration Way = "GATE_REGISTRATION"
	// WayDomesticSale: sold to the domestic area (内销): only
	// remanufactured goods, when the setting allows, and then they go back
	// to the bonded bucket to leave on a taxed domestic-sale list.
	WayDomesticSale Way = "DOMESTIC_SALE"
	// WayDestroy: destroyed (销毁); Reference names customs' approval.
	WayDestroy Way = "DESTROY"
)

// Exit is goods of an order leaving the repair book.
type Exit struct {
	Section  Section
	BookSeq  int
	Quantity decimal.Decimal
	Way      Way
	// TradeMode is the 监管方式 of the exit's customs document (0864 or
	// 0865 for old parts and scrap re-exported).
	TradeMode string
	// Reference is the customs document the goods leave on (list,
	// declaration, gate registration or destruction approval number).
	Reference string
}

func heldKey(s Section, seq int) string { return string(s) + "/" + strconv.Itoa(seq) }

// RecordTest records testing (检测) findings on an open order; nothing
// moves.
func (s *Service) RecordTest(ctx context.Context, p access.Principal, orderNo, key string, date time.Time, findings string) (Order, error) {
	findings = strings.TrimSpace(findings)
	if findings == "" || len(findings) > 1000 {
		return Order{}, ledger.BadArgument("findings", "say what testing found, at most 1000 characters")
	}
	return s.step(ctx, p, orderNo, key, StepTest, findings, date, func(o *Order, _ map[int]string) (*ledger.JournalRequest, []string, error) {
		o.Findings = append(o.Findings, findings)
		return nil, nil, nil
	})
}

// ConsumeParts books repair parts consumed by actual use on the order:
// they leave the parts section of their origin to the world account
// consumed. More than the section holds is refused
// (INSUFFICIENT_STOCK, field uses[i].quantity).
func (s *Service) ConsumeParts(ctx context.Context, p access.Principal, orderNo, key string, date time.Time, uses []PartUse) (Order, error) {
	if len(uses) == 0 || len(uses) > ledger.MaxPostings {
		return Order{}, ledger.BadArgument("uses", "name 1 to %d parts used", ledger.MaxPostings)
	}
	for i, u := range uses {
		if !u.Quantity.IsPositive() {
			return Order{}, ledger.BadArgument(fmt.Sprintf("uses[%d].quantity", i), "must be > 0, got %s", u.Quantity)
		}
		if u.Origin != OriginAbroad && u.Origin != OriginDomestic {
			return Order{}, ledger.BadArgument(fmt.Sprintf("uses[%d].origin", i), "repair parts are bonded (%s) or domestic (%s), got %q", OriginAbroad, OriginDomestic, u.Origin)
		}
	}
	return s.step(ctx, p, orderNo, key, StepConsume, uses, date, func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error) {
		req := &ledger.JournalRequest{}
		var fields []string
		for i, u := range uses {
			f := fmt.Sprintf("uses[%d]", i)
			unit, ok := units[u.BookSeq]
			if !ok {
				return nil, nil, ledger.NotFound(zone.ReasonLineNotOnBook, f+".book_seq", "book %s has no line %d; register the line first", o.Book, u.BookSeq)
			}
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: o.Book, Code: strconv.Itoa(u.BookSeq)},
				From: ledger.In(o.Book, Account(SectionParts, u.Origin)), To: ledger.World(zone.WorldConsumed), Quantity: u.Quantity, Unit: unit})
			fields = append(fields, f+".quantity")
		}
		return req, fields, nil
	})
}

// RemoveParts books old/bad parts and scrap taken out of the order's
// goods into their own sections, under the origin of the goods.
func (s *Service) RemoveParts(ctx context.Context, p access.Principal, orderNo, key string, date time.Time, removed []Removed) (Order, error) {
	if len(removed) == 0 || len(removed) > ledger.MaxPostings {
		return Order{}, ledger.BadArgument("removed", "name 1 to %d removed parts", ledger.MaxPostings)
	}
	for i, r := range removed {
		if !r.Quantity.IsPositive() {
			return Order{}, ledger.BadArgument(fmt.Sprintf("removed[%d].quantity", i), "must be > 0, got %s", r.Quantity)
		}
		if r.Value.IsNegative() || ledger.Places(r.Value) > ledger.ValueScale {
			return Order{}, ledger.BadArgument(fmt.Sprintf("removed[%d].value", i), "must be >= 0 CNY to the fen, got %s", r.Value)
		}
	}
	return s.step(ctx, p, orderNo, key, StepRemove, removed, date, func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error) {
		req := &ledger.JournalRequest{}
		var fields []string
		for i, r := range removed {
			f := fmt.Sprintf("removed[%d]", i)
			unit, ok := units[r.BookSeq]
			if !ok {
				return nil, nil, ledger.NotFound(zone.ReasonLineNotOnBook, f+".book_seq", "book %s has no line %d; register the line first", o.Book, r.BookSeq)
			}
			sec := SectionOldParts
			if r.Scrap {
				sec = SectionScrap
			}
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: o.Book, Code: strconv.Itoa(r.BookSeq)},
				From: ledger.World(WorldRemoved), To: ledger.In(o.Book, Account(sec, o.Origin)), Quantity: r.Quantity, Unit: unit, Value: r.Value,
				Lot: fmt.Sprintf("%s-%s-%d", o.No, key, i+1)})
			fields = append(fields, f+".quantity")
			o.Held[heldKey(sec, r.BookSeq)] = o.Held[heldKey(sec, r.BookSeq)].Add(r.Quantity)
		}
		return req, fields, nil
	})
}

// Finish books the order's goods repaired and unrepairable: they move
// from 待维修 to 已维修 and 无法维修 of their origin. Together at most what
// the order still has awaiting repair (REPAIR_ORDER_QUANTITY).
func (s *Service) Finish(ctx context.Context, p access.Principal, orderNo, key string, date time.Time, repaired, unrepairable decimal.Decimal) (Order, error) {
	if repaired.IsNegative() || unrepairable.IsNegative() || !repaired.Add(unrepairable).IsPositive() {
		return Order{}, ledger.BadArgument("repaired", "repaired and unrepairable are >= 0 and not both 0")
	}
	return s.step(ctx, p, orderNo, key, StepFinish, []string{repaired.String(), unrepairable.String()}, date, func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error) {
		aw := heldKey(o.inSection(), o.BookSeq)
		if repaired.Add(unrepairable).GreaterThan(o.Held[aw]) {
			return nil, nil, ledger.Precondition(ReasonOrderQuantity, "repaired", "order %s has %s awaiting repair; finish at most that", o.No, o.Held[aw])
		}
		req := &ledger.JournalRequest{}
		var fields []string
		for _, m := range []struct {
			sec Section
			q   decimal.Decimal
			f   string
		}{{o.doneSection(), repaired, "repaired"}, {SectionUnrepairable, unrepairable, "unrepairable"}} {
			if !m.q.IsPositive() {
				continue
			}
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: o.Book, Code: strconv.Itoa(o.BookSeq)},
				From: ledger.In(o.Book, Account(o.inSection(), o.Origin)), To: ledger.In(o.Book, Account(m.sec, o.Origin)), Quantity: m.q, Unit: units[o.BookSeq], Lot: o.Lot})
			fields = append(fields, m.f)
			o.Held[aw] = o.Held[aw].Sub(m.q)
			o.Held[heldKey(m.sec, o.BookSeq)] = o.Held[heldKey(m.sec, o.BookSeq)].Add(m.q)
		}
		return req, fields, nil
	})
}

// exitRule refuses a way out the rules do not allow for goods of a
// section and origin (customs-reference §6).
func exitRule(o *Order, e Exit, set Settings) error {
	switch e.Section {
	case SectionRemanufactured:
		switch {
		case e.Way == WayReExport:
			return nil
		case e.Way == WayDomesticSale && set.RemanufacturedDomesticSale:
			return nil
		}
		return ledger.Precondition(ReasonRemanufacturedDomestic, "way", "remanufactured goods leave by re-export (%s); domestic sale is not allowed in this zone (setting repair.remanufactured_domestic_sale)", WayReExport)
	case SectionOldParts, SectionScrap:
		if o.Origin == OriginAbroad {
			switch e.Way {
			case WayReExport:
				if e.TradeMode != "0864" && e.TradeMode != "0865" {
					return ledger.Invalid(ReasonPartsReExportOnly, "trade_mode", "old parts and scrap of goods from abroad are re-exported under 0864 (进料边角料复出) or 0865 (来料边角料复出), got %q (GACC 公告2023年第105号)", e.TradeMode)
				}
				return nil
			case WayDestroy:
				return nil
			}
			return ledger.Precondition(ReasonPartsReExportOnly, "way", "old/bad parts and scrap of goods from abroad leave only by re-export (0864/0865) or, if that is impossible, destruction; they may never be sold or taken to the domestic area (GACC 公告2023年第105号)")
		}
		switch e.Way {
		case WayGateRegistration, WayReExport, WayDestroy:
			return nil
		}
		return ledger.Precondition(ReasonExitWay, "way", "old/bad parts and scrap of goods from the domestic area leave by gate registration (卡口登记, %s), re-export or destruction (GACC 公告2023年第105号)", WayGateRegistration)
	case SectionRepaired, SectionUnrepairable:
		switch {
		case e.Way == WayReExport:
			return nil
		case e.Way == WayReturnDomestic && o.Origin != OriginAbroad:
			if o.NoDomestic {
				return ledger.Precondition(ReasonNoDomesticCirculation, "way", "the repair catalogue says goods of line %d may not circulate in the domestic area after repair; export them", o.BookSeq)
			}
			return nil
		}
		if o.Origin == OriginAbroad {
			return ledger.Precondition(ReasonExitWay, "way", "goods from abroad leave the repair centre by re-export (%s)", WayReExport)
		}
		return ledger.Precondition(ReasonExitWay, "way", "goods from the domestic area go back to their customer (%s) or are exported (%s)", WayReturnDomestic, WayReExport)
	}
	return ledger.BadArgument("section", "goods leave from the repaired, unrepairable, old-parts or scrap section, got %q", e.Section)
}

// onList reports whether goods leaving by way cross the zone's line on a
// verification list and gate pass: re-export (first line) and back to
// the domestic customer (second line).
func onList(way Way) bool { return way == WayReExport || way == WayReturnDomestic }

// listFlow is the flow of the zone list goods leaving by way leave on.
func listFlow(way Way) zone.Flow {
	if way == WayReturnDomestic {
		return zone.FlowSecondLineOut
	}
	return zone.FlowFirstLineOut
}

// ExitGoods books goods of the order leaving the repair book the way
// Exit says, after the rules allow it. Goods re-exported or going back
// to the domestic customer leave on a zone verification list and its
// gate pass: Reference names a draft exit list of the book (first line
// for re-export, second line back to the customer) with a line of the
// book line and exactly the quantity; the goods are bound to that line,
// the list's trade mode is the exit's and the rules apply to it.
// Declared, the list reserves them from their section; the pass takes
// them out. Goods leaving by gate registration (卡口登记) are bound the
// same way to a line of the registration Reference names (an outbound
// gate pass of type 5 of the book, not yet at the gate, with a line of
// the book line and exactly the quantity), which then names the order;
// they leave their section for the domestic area when the vehicle
// passes. Destroyed goods go to the world account destroyed (Reference:
// customs' approval),
// remanufactured goods sold domestically back to bonded. At most what
// the order holds in that section of the line (REPAIR_ORDER_QUANTITY).
// When nothing of the order is left, it closes.
func (s *Service) ExitGoods(ctx context.Context, p access.Principal, orderNo, key string, date time.Time, e Exit) (Order, error) {
	e.Reference, e.TradeMode = strings.TrimSpace(e.Reference), strings.TrimSpace(e.TradeMode)
	if !e.Quantity.IsPositive() {
		return Order{}, ledger.BadArgument("quantity", "must be > 0, got %s", e.Quantity)
	}
	if e.Reference == "" || len(e.Reference) > 64 {
		return Order{}, ledger.BadArgument("reference", "name the customs document the goods leave on, at most 64 characters")
	}
	// The list is looked up first; a list that is not there is reported
	// after the rules of the order, which say more.
	var list zone.List
	var listErr error
	if onList(e.Way) {
		var err error
		if list, err = s.zone.GetList(ctx, p, e.Reference); err != nil {
			var le *ledger.Error
			if !errors.As(err, &le) {
				return Order{}, err
			}
			out := *le
			out.Field = "reference"
			listErr = &out
		} else {
			if e.TradeMode != "" && e.TradeMode != list.TradeMode {
				return Order{}, ledger.BadArgument("trade_mode", "the goods leave on list %s under trade mode %s, not %s; leave trade_mode empty or give the list's", list.No, list.TradeMode, e.TradeMode)
			}
			e.TradeMode = list.TradeMode
		}
	}
	return s.stepBound(ctx, p, orderNo, key, StepExit, e, date, func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error) {
		if o.Remanufacture && e.Section == SectionRepaired || !o.Remanufacture && e.Section == SectionRemanufactured {
			return nil, nil, ledger.BadArgument("section", "order %s keeps its finished goods in %s", o.No, o.doneSection())
		}
		if err := exitRule(o, e, s.set); err != nil {
			return nil, nil, err
		}
		k := heldKey(e.Section, e.BookSeq)
		if e.Quantity.GreaterThan(o.Held[k]) {
			return nil, nil, ledger.Precondition(ReasonOrderQuantity, "quantity", "order %s holds %s of line %d in %s", o.No, o.Held[k], e.BookSeq, e.Section)
		}
		if listErr != nil {
			return nil, nil, listErr
		}
		if onList(e.Way) && list.Flow != listFlow(e.Way) {
			return nil, nil, ledger.Precondition(ReasonExitList, "reference", "list %s is %s; goods leaving by %s leave on a %s list", list.No, list.Flow, e.Way, listFlow(e.Way))
		}
		if onList(e.Way) || e.Way == WayGateRegistration {
			// Bound to the list or the registration below; the journal is
			// the zone's, when the goods leave.
			o.Held[k] = o.Held[k].Sub(e.Quantity)
			o.closeIfEmpty()
			return nil, nil, nil
		}
		to := ledger.World(zone.WorldAbroad)
		switch e.Way {
		case WayDestroy:
			to = ledger.World(WorldDestroyed)
		case WayDomesticSale:
			// Only remanufactured goods, when the setting allows: back to
			// the bonded bucket, for a taxed domestic-sale list of the zone.
			to = ledger.In(o.Book, zone.AccountBonded)
		}
		o.Held[k] = o.Held[k].Sub(e.Quantity)
		o.closeIfEmpty()
		return &ledger.JournalRequest{Document: ledger.Document{TradeMode: e.TradeMode},
			Metadata: map[string]string{"way": string(e.Way), "reference": e.Reference},
			Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: o.Book, Code: strconv.Itoa(e.BookSeq)},
				From: ledger.In(o.Book, Account(e.Section, o.Origin)), To: to, Quantity: e.Quantity, Unit: units[e.BookSeq]}}}, []string{"quantity"}, nil
	}, func(ctx context.Context, tx pgx.Tx, o *Order) error {
		b := Binding{No: e.Reference, Section: e.Section, BookSeq: e.BookSeq, Quantity: e.Quantity, Step: key}
		switch {
		case onList(e.Way):
			ln, err := s.zone.BindListLine(ctx, tx, e.Reference, o.Book, e.BookSeq, e.Quantity, Account(e.Section, o.Origin), DocumentOrder, o.No)
			if err != nil {
				return err
			}
			b.Kind, b.Seq = zone.BoundOnList, ln.Seq
		case e.Way == WayGateRegistration:
			i, err := s.zone.BindPassLine(ctx, tx, e.Reference, o.Book, e.BookSeq, e.Quantity, Account(e.Section, o.Origin), DocumentOrder, o.No)
			if err != nil {
				return err
			}
			b.Kind, b.Seq = zone.BoundOnPass, i+1
		default:
			return nil
		}
		o.Bindings = append(o.Bindings, b)
		return nil
	})
}

// closeIfEmpty closes the order when it holds nothing any more.
func (o *Order) closeIfEmpty() {
	for _, q := range o.Held {
		if !q.IsZero() {
			return
		}
	}
	o.Status = OrderClosed
}

// step runs one step of an order in one transaction of the ledger's seam:
// apply changes the order and returns the journal to post (nil: none);
// the journal, the step and the order commit together. The step's key is
// its idempotency key: the same step again returns the order, another
// under the key is refused (DUPLICATE_DOCUMENT_NUMBER).
func (s *Service) step(ctx context.Context, p access.Principal, orderNo, key, kind string, body any, date time.Time,
	apply func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error)) (Order, error) {
	return s.stepBound(ctx, p, orderNo, key, kind, body, date, apply, nil)
}

// stepBound is step with bind (when not nil) run in the step's
// transaction after apply, for what the step changes beside the ledger
// (a zone list the goods are bound to).
func (s *Service) stepBound(ctx context.Context, p access.Principal, orderNo, key, kind string, body any, date time.Time,
	apply func(o *Order, units map[int]string) (*ledger.JournalRequest, []string, error), bind func(ctx context.Context, tx pgx.Tx, o *Order) error) (Order, error) {
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 64 {
		return Order{}, ledger.BadArgument("key", "the step's own key is required, at most 64 characters")
	}
	today := s.today()
	if date.IsZero() {
		date = today
	}
	date = ledger.Day(date)
	if date.After(today) {
		return Order{}, ledger.Invalid(ledger.ReasonDateOutOfRange, "date", "a step is dated at the latest today (%s)", ledger.FormatDate(today))
	}
	pre, err := s.GetOrder(ctx, p, orderNo)
	if err != nil {
		return pre, err
	}
	if _, err := s.writeBook(ctx, p, pre.Book); err != nil {
		return pre, err
	}
	if date.Before(pre.Date) {
		return Order{}, ledger.Invalid(ledger.ReasonDateOutOfRange, "date", "order %s opened on %s; its steps are dated from then", pre.No, ledger.FormatDate(pre.Date))
	}
	lines, err := s.allLines(ctx, p, pre.Book)
	if err != nil {
		return pre, err
	}
	units := map[int]string{}
	for _, l := range lines {
		units[l.Seq] = l.DeclaredUnit
	}
	hash := digest(struct {
		Kind string
		Date time.Time
		Body any
	}{kind, date, body})
	var out Order
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		o, found, err := orderBy(ctx, tx, `no = $1 FOR UPDATE`, orderNo)
		if err != nil {
			return err
		}
		if !found {
			return ledger.NotFound(zone.ReasonUnknownDocument, "order_no", "there is no repair order %q", orderNo)
		}
		for _, st := range o.Steps {
			if st.Key == key {
				if st.InputHash != hash {
					return ledger.Conflict(zone.ReasonDuplicateDocument, "key", "key %s was already used for another step of order %s; use a new key", key, o.No)
				}
				out = o
				return nil
			}
		}
		if o.Status != OrderOpen {
			return ledger.Precondition(zone.ReasonWrongStatus, "order_no", "order %s is %s; only an open order takes steps", o.No, strings.ToLower(string(o.Status)))
		}
		req, fields, err := apply(&o, units)
		if err != nil {
			return err
		}
		if bind != nil {
			if err := bind(ctx, tx, &o); err != nil {
				return err
			}
		}
		st := Step{Key: key, Kind: kind, Date: date, Detail: mustJSON(body), FiledBy: p.ID, At: s.clock(), InputHash: hash}
		if req != nil {
			req.Book, req.IdempotencyKey, req.EffectiveDate, req.Principal = o.Book, "repair:"+o.No+":"+key, date, p.ID
			req.Document.Type, req.Document.Number = DocumentOrder, o.No
			res, err := j.PostMany(ctx, []ledger.JournalRequest{*req})
			if err != nil {
				return err
			}
			if res[0].Err != nil {
				le := ledger.AsError(res[0].Err)
				field := ""
				var idx int
				if _, e := fmt.Sscanf(le.Field, "postings[%d]", &idx); e == nil && idx < len(fields) {
					field = fields[idx]
				}
				return refusal(res[0].Err, field)
			}
			st.JournalID = res[0].Journal.ID
			o.JournalIDs = append(o.JournalIDs, st.JournalID)
		}
		o.Steps = append(o.Steps, st)
		seq, err := zone.TakeChange(ctx, tx, o.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rep_orders SET status = $2, body = $3, change_seq = $4 WHERE no = $1`, o.No, string(o.Status), mustJSON(o), seq); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}
