package repair

import (
	"context"
	"errors"

	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// DocumentOrder is the ledger document type of a repair order's journals.
const DocumentOrder = "REPAIR_ORDER"

// OrderStatus is where a repair order is.
type OrderStatus string

// The repair order statuses.
const (
	// OrderOpen: goods of the order are still in the zone.
	OrderOpen OrderStatus = "OPEN"
	// OrderClosed: every good, old part and scrap of the order left the
	// zone (or was destroyed).
	OrderClosed OrderStatus = "CLOSED"
)

// Order is a repair order (维修单): the goods of one line of an inbound
// list, taken from the bonded bucket into the 待维修 section of their
// origin on a repair book.
type Order struct {
	// No is the zone's number: "WX" + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	// List is the inbound verification list the goods entered on: a
	// first-line list from abroad or a second-line list from the domestic
	// area, through the gate (cleared).
	List string
	// BookSeq is the book line of the goods on that list.
	BookSeq int
	// Quantity in the line's declared unit; at most what the list brought.
	Quantity decimal.Decimal
	// Group says the goods are the group's own products sold in the
	// domestic area (only for goods from the domestic area).
	Group bool
	// Origin is derived from the list: OriginAbroad for a first-line list,
	// OriginDomestic (or OriginGroup) for a second-line one.
	Origin Origin
	// Remanufacture makes the order a remanufacture (再制造) order: cores
	// from abroad in bonded (胚料), remanufactured goods out by re-export.
	Remanufacture bool
	// NoDomestic is set from the repair catalogue when the order opens:
	// the goods may not circulate in the domestic area after repair.
	NoDomestic bool
	// Lot is the lot the goods came in as.
	Lot string
	// Date is the business date the order opens; zero means today.
	Date time.Time
	// Due is the day the order shows as overdue after: Date plus the
	// setting RepairPeriodDays.
	Due    time.Time
	Status OrderStatus
	// Findings are the testing results (检测), latest last.
	Findings []string
	// Held is what of the order is in each section now, by
	// "section/book line" (e.g. "awaiting/1", "old-parts/7"): what its
	// steps may still move.
	Held map[string]decimal.Decimal
	// Bindings are the order's goods bound to zone exit lists, one per
	// exit step that named a list, in order.
	Bindings []Binding `json:",omitempty"`
	// Steps are the order's steps after it opened, in order: its trail.
	Steps      []Step
	JournalIDs []int64
	FiledBy    string
	CreatedAt  time.Time
	InputHash  string
}

// OpenOrder opens a repair order: the goods of one line of an inbound
// list that passed the gate move, by their lot, from the bonded bucket
// into the 待维修 section of the list's origin, in one transaction with
// the order. The book's owner enterprise files; InnerNo is the
// idempotency key: the same order again returns it, another under the
// number is refused (DUPLICATE_DOCUMENT_NUMBER).
func (s *Service) OpenOrder(ctx context.Context, p access.Principal, o Order) (Order, error) {
	o.InnerNo, o.Book, o.List = strings.TrimSpace(o.InnerNo), strings.TrimSpace(o.Book), strings.TrimSpace(o.List)
	if o.InnerNo == "" || len(o.InnerNo) > 64 {
		return o, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if !o.Quantity.IsPositive() {
		return o, ledger.BadArgument("quantity", "must be > 0, got %s", o.Quantity)
	}
	var err error
	if o.Date, err = ledger.BusinessDate(o.Date, s.today(), "a repair order"); err != nil {
		return o, err
	}
	b, err := s.writeBook(ctx, p, o.Book)
	if err != nil {
		return o, err
	}
	if b.Kind != codes.BookRepair {
		return o, notRepairBook(b.No, "book_no")
	}
	if err := s.mayOpen(ctx, p, b.Enterprise); err != nil {
		return o, err
	}
	l, err := s.zone.GetList(ctx, p, o.List)
	if err != nil {
		return o, withField(err, "list_no")
	}
	if err := intake(&o, l); err != nil {
		return o, err
	}
	if o.Remanufacture && o.Origin != OriginAbroad {
		return o, ledger.Precondition(ReasonRepairIntake, "list_no", "cores for remanufacture enter bonded from abroad on a first-line list; list %s came from the domestic area", l.No)
	}
	var unit string
	lines, err := s.allLines(ctx, p, o.Book)
	if err != nil {
		return o, err
	}
	for _, bl := range lines {
		if bl.Seq == o.BookSeq {
			unit = bl.DeclaredUnit
			if err := s.checkCatalogue(&o, bl); err != nil && !o.Remanufacture {
				return o, err
			}
			if ledger.Places(o.Quantity) > bl.Scale {
				return o, ledger.Invalid(ledger.ReasonTooManyDecimals, "quantity", "line %d takes at most %d decimal places", bl.Seq, bl.Scale)
			}
		}
	}
	if _, err := s.ledger.AddBookAccounts(ctx, o.Book, Accounts()); err != nil {
		return o, err
	}
	h := o
	h.No, h.Enterprise, h.Status, h.JournalIDs, h.FiledBy, h.CreatedAt, h.InputHash, h.Due, h.Held, h.Steps, h.Findings, h.Bindings = "", "", "", nil, "", time.Time{}, "", time.Time{}, nil, nil, nil, nil
	o.InputHash = digest(h)
	var out Order
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		old, found, err := orderBy(ctx, tx, `enterprise = $1 AND inner_no = $2`, b.Enterprise, o.InnerNo)
		if err != nil || found {
			if err == nil && old.InputHash != o.InputHash {
				err = ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for repair order %s; use a new number", o.InnerNo, old.No)
			}
			out = old
			return err
		}
		c := o
		c.Enterprise, c.FiledBy, c.CreatedAt, c.Status = b.Enterprise, p.ID, s.clock(), OrderOpen
		c.Due = c.Date.AddDate(0, 0, s.set.RepairPeriodDays)
		c.Held = map[string]decimal.Decimal{heldKey(c.inSection(), c.BookSeq): c.Quantity}
		if c.No, err = nextNumber(ctx, tx, "WX", c.Book, c.Date); err != nil {
			return err
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: "repair:" + c.No + ":open", EffectiveDate: c.Date,
			Document: ledger.Document{Type: DocumentOrder, Number: c.No}, Principal: p.ID,
			Metadata: map[string]string{"list": c.List, "origin": string(c.Origin)},
			Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: c.Book, Code: strconv.Itoa(c.BookSeq)},
				From: ledger.In(c.Book, zone.AccountBonded), To: ledger.In(c.Book, Account(c.inSection(), c.Origin)),
				Quantity: c.Quantity, Unit: unit, Lot: c.Lot}}}
		res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
		if err != nil {
			return err
		}
		if res[0].Err != nil {
			return refusal(res[0].Err, "quantity")
		}
		c.JournalIDs = []int64{res[0].Journal.ID}
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rep_orders (no, enterprise, inner_no, book, status, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, string(c.Status), mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// inSection is the section the order's goods enter: 待维修, or cores
// for remanufacture.
func (o *Order) inSection() Section {
	if o.Remanufacture {
		return SectionCores
	}
	return SectionAwaiting
}

// doneSection is the section goods repaired or remanufactured go to.
func (o *Order) doneSection() Section {
	if o.Remanufacture {
		return SectionRemanufactured
	}
	return SectionRepaired
}

// intake checks that list l brought the order's goods in and sets the
// order's origin and lot from it.
func intake(o *Order, l zone.List) error {
	if l.Book != o.Book || l.IO != codes.In {
		return ledger.Precondition(ReasonRepairIntake, "list_no", "list %s is not an inbound list of book %s; name the list the goods entered the zone on", l.No, o.Book)
	}
	if l.Status != zone.ListCleared {
		return ledger.Precondition(ReasonRepairIntake, "list_no", "list %s is %s; the goods are taken into repair once they passed the gate (cleared)", l.No, strings.ToLower(string(l.Status)))
	}
	m, _ := codes.LookupTradeMode(l.TradeMode)
	switch m.Line {
	case codes.LineFirst:
		if o.Group {
			return ledger.Precondition(ReasonRepairIntake, "group", "goods from abroad (list %s, first line) are not the group's domestically sold products", l.No)
		}
		o.Origin = OriginAbroad
	case codes.LineSecond:
		o.Origin = OriginDomestic
		if o.Group {
			o.Origin = OriginGroup
		}
	default:
		return ledger.Precondition(ReasonRepairIntake, "list_no", "list %s (trade mode %s) crosses neither the first nor the second line; repair goods come from abroad or the domestic area", l.No, l.TradeMode)
	}
	for _, ll := range l.Lines {
		if ll.BookSeq == o.BookSeq && len(ll.Lots) > 0 {
			o.Lot = ll.Lots[0].Lot
			return nil
		}
	}
	return ledger.Precondition(ReasonRepairIntake, "book_seq", "list %s brought no goods of line %d", l.No, o.BookSeq)
}

// refusal turns the ledger's refusal of an order's journal into the
// order's: the field, and the zone's reason for stock that would go below
// zero.
func refusal(err error, field string) error {
	le := ledger.AsError(err)
	if le.Kind == ledger.KindInternal || le.Kind == ledger.KindUnavailable {
		return err
	}
	out := *le
	out.Field = field
	if le.Reason == ledger.ReasonInsufficient {
		out.Reason = zone.ReasonInsufficientStock
	}
	return &out
}

// GetOrder returns a repair order. Its owner and customs read it.
func (s *Service) GetOrder(ctx context.Context, p access.Principal, no string) (Order, error) {
	o, found, err := orderBy(ctx, s.pool, `no = $1`, no)
	if err != nil {
		return o, dbError(err)
	}
	missing := ledger.NotFound(zone.ReasonUnknownDocument, "order_no", "there is no repair order %q", no)
	if !found {
		return Order{}, missing
	}
	if err := zone.HideFrom(p, o.Enterprise, missing); err != nil {
		return Order{}, err
	}
	return o, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func orderBy(ctx context.Context, q querier, where string, args ...any) (Order, bool, error) {
	rows, err := q.Query(ctx, `SELECT body FROM rep_orders WHERE `+where, args...)
	if err != nil {
		return Order{}, false, err
	}
	o, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (Order, error) {
		var body string
		var o Order
		if err := row.Scan(&body); err != nil {
			return o, err
		}
		return o, jsonUnmarshal(body, &o)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return o, false, nil
	}
	return o, err == nil, err
}
