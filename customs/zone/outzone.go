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
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/ledger"
)

// AccountOutZone holds zone goods temporarily out of the zone under a
// business form — out for testing (D), repair (E), as moulds (F), for
// other business (H) or to a contractor for 外发加工 (B): still on the book,
// still bonded, until they come back, are consumed by the contractor's
// processing or are converted to a domestic sale.
const AccountOutZone = "out-zone"

// Reasons of goods out of the zone and back.
const (
	// ReasonNotOutZoneForm: the form is not of a type whose goods go out
	// and come back (B, D, E, F, H), or not of the movement's book.
	ReasonNotOutZoneForm = "NOT_AN_OUT_ZONE_FORM"
	// ReasonOutZoneDueDate: the due-back date is in the past, before the
	// movement, after the form's last day or beyond the zone's longest
	// out-of-zone period (Settings.OutZoneMaxDays).
	ReasonOutZoneDueDate = "OUT_ZONE_DUE_DATE"
	// ReasonOutZoneNotOut: the goods named did not go out on the named
	// out movement (another form, not an out movement, another line).
	ReasonOutZoneNotOut = "OUT_ZONE_NOT_OUT"
	// ReasonOutZoneExceedsSent: more comes back, is consumed or is
	// converted than the out movement still has out.
	ReasonOutZoneExceedsSent = "OUT_ZONE_EXCEEDS_SENT"
	// ReasonFormClosed: the form is closed (结案); nothing moves under it.
	ReasonFormClosed = "FORM_CLOSED"
	// ReasonFormGoodsOut: a form is closed while goods are still out
	// under it.
	ReasonFormGoodsOut = "FORM_GOODS_OUT"
	// ReasonOutsourcingOnly: products, scrap and consumed goods come back
	// only under a 外发加工 (type B) form.
	ReasonOutsourcingOnly = "OUTSOURCING_ONLY"
)

// Form statuses.
const (
	// FormFiled: the form is in force.
	FormFiled = "FILED"
	// FormClosed: the form is closed (结案, 申报类型 3).
	FormClosed = "CLOSED"
)

const kindOutZone = "outzone"

const intentOutZone = "outzone"

// Out-movement document statuses.
const (
	// OutZoneOutstanding: an OUT movement with goods still out.
	OutZoneOutstanding = "OUT"
	// OutZoneSettled: an OUT movement whose goods all came back, were
	// consumed or converted.
	OutZoneSettled = "SETTLED"
	// OutZoneBooked: a BACK or CONVERT movement, booked.
	OutZoneBooked = "BOOKED"
)

// OutZoneKind is a movement of goods out of the zone and back.
type OutZoneKind string

// The out-of-zone movements.
const (
	// OutZoneOut takes goods out of the zone under the form, with a due-back
	// date and a counterparty: bonded → out-zone.
	OutZoneOut OutZoneKind = "OUT"
	// OutZoneBack brings goods of an OUT movement back: out-zone → bonded
	// (all of them or part); under a 外发加工 form also finished products
	// and scrap in (→ bonded) and the goods sent out that the contractor's
	// processing consumed (out-zone → consumed).
	OutZoneBack OutZoneKind = "BACK"
	// OutZoneConvert converts goods of an OUT movement that are out to a
	// domestic sale on request: out-zone → domestic, taxed like any
	// domestic sale (one consignment).
	OutZoneConvert OutZoneKind = "CONVERT"
)

// outZoneForms are the form types whose goods go out and come back.
var outZoneForms = []codes.FormType{codes.FormOutsourcing, codes.FormEquipmentTesting, codes.FormEquipmentRepair, codes.FormMouldOutsourcing, codes.FormOther}

// OutZoneMove is one movement of goods out of the zone and back under a
// business form (业务申报表 B, D, E, F or H).
type OutZoneMove struct {
	// No is the zone's number: "WF" + customs office + 2-digit year + O, B
	// or C + 9-digit sequence.
	No         string
	InnerNo    string
	Enterprise string
	Book       string
	// ApplyNo is the form the goods move under; FormType its type.
	ApplyNo  string
	FormType codes.FormType
	Kind     OutZoneKind
	// Date is the business date; zero means today.
	Date time.Time
	// DueBack, Counterparty and Contract are an OUT movement's: the day
	// the goods are due back (the contract's end), who holds them outside
	// (the testing or repair firm, the contractor) and the contract.
	DueBack      time.Time
	Counterparty string
	Contract     string
	// OutNo is the OUT movement a BACK or CONVERT movement settles.
	OutNo string
	// Lines are the goods: out (OUT), back as sent (BACK), sold (CONVERT,
	// with their price as Value).
	Lines []OutZoneLine
	// Products are the finished products and scrap (Scrap set) that come
	// back from 外发加工 (BACK under a type-B form): they join the bonded
	// goods. Consumed are the goods sent out that the processing used up.
	Products []OutZoneLine `json:",omitempty"`
	Consumed []OutZoneLine `json:",omitempty"`
	// Outstanding is, on an OUT movement, what of each book line is still
	// out.
	Outstanding map[int]decimal.Decimal `json:",omitempty"`
	// Tax is the tax assessed on a CONVERT movement.
	Tax       decimal.Decimal
	Status    string
	JournalID int64
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// OutZoneLine is goods of an out-of-zone movement.
type OutZoneLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	// Value is in CNY; a CONVERT line's price, its dutiable value.
	Value decimal.Decimal
	// Scrap marks a 外发加工 product line as scrap (边角料).
	Scrap bool `json:",omitempty"`
}

func (m OutZoneMove) number() string    { return m.No }
func (m OutZoneMove) inputHash() string { return m.InputHash }

// OutstandingTotal is what of the OUT movement is still out, over its lines.
func (m OutZoneMove) OutstandingTotal() decimal.Decimal {
	t := decimal.Zero
	for _, q := range m.Outstanding {
		t = t.Add(q)
	}
	return t
}

// checkMoveLines checks the lines of a form movement: field names them,
// valueRequired says each must state its price.
func checkMoveLines(field string, lines []OutZoneLine, valueRequired bool) error {
	for i, ln := range lines {
		f := fmt.Sprintf("%s[%d]", field, i)
		if ln.BookSeq < 1 {
			return ledger.BadArgument(f+".book_seq", "give the book line (备案序号), from 1")
		}
		if !ln.Quantity.IsPositive() {
			return ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0")
		}
		if ln.Value.IsNegative() || ledger.Places(ln.Value) > 2 {
			return ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen")
		}
		if valueRequired && !ln.Value.IsPositive() {
			return ledger.BadArgument(f+".value", "a sale states its price in CNY: the dutiable value")
		}
	}
	return nil
}

// MoveOutZone books a movement of zone goods out of the zone and back
// under a business form of type B (外发加工), D (设备检测), E (设备维修), F
// (模具外发) or H (其他业务); see OutZoneKind. InnerNo is the idempotency key.
// The goods stay on the book (bucket out-zone) while out; each OUT
// movement carries its due-back date and counterparty, and BACK and
// CONVERT movements settle an OUT movement, never more than it still has
// out.
func (s *Service) MoveOutZone(ctx context.Context, p access.Principal, m OutZoneMove) (OutZoneMove, error) {
	m.InnerNo, m.Book, m.ApplyNo, m.OutNo = strings.TrimSpace(m.InnerNo), strings.TrimSpace(m.Book), strings.TrimSpace(m.ApplyNo), strings.TrimSpace(m.OutNo)
	m.Counterparty, m.Contract = strings.TrimSpace(m.Counterparty), strings.TrimSpace(m.Contract)
	if m.InnerNo == "" || len(m.InnerNo) > 64 {
		return m, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if m.Kind != OutZoneOut && m.Kind != OutZoneBack && m.Kind != OutZoneConvert {
		return m, ledger.BadArgument("kind", "%q is not an out-of-zone movement; use OUT, BACK or CONVERT", m.Kind)
	}
	n := len(m.Lines) + len(m.Products) + len(m.Consumed)
	if n == 0 || n > MaxLinesPerDoc {
		return m, ledger.BadArgument("lines", "give 1 to %d lines", MaxLinesPerDoc)
	}
	if err := checkMoveLines("lines", m.Lines, m.Kind == OutZoneConvert); err != nil {
		return m, err
	}
	if err := checkMoveLines("products", m.Products, false); err != nil {
		return m, err
	}
	if err := checkMoveLines("consumed", m.Consumed, false); err != nil {
		return m, err
	}
	switch m.Kind {
	case OutZoneOut:
		if len(m.Lines) == 0 || len(m.Products)+len(m.Consumed) > 0 {
			return m, ledger.BadArgument("lines", "an OUT movement lists the goods going out in lines, and no products or consumed goods")
		}
		if m.DueBack.IsZero() {
			return m, ledger.BadArgument("due_back", "give the day the goods are due back: the contract's end date")
		}
		if m.Counterparty == "" || len(m.Counterparty) > 200 {
			return m, ledger.BadArgument("counterparty", "name who holds the goods outside (the testing or repair firm, the contractor), at most 200 characters")
		}
		if len(m.Contract) > 64 {
			return m, ledger.BadArgument("contract", "at most 64 characters")
		}
		if m.OutNo != "" {
			return m, ledger.BadArgument("out_no", "an OUT movement settles no other movement; leave out_no empty")
		}
	case OutZoneBack, OutZoneConvert:
		if m.OutNo == "" {
			return m, ledger.BadArgument("out_no", "name the OUT movement the goods went out on")
		}
		if !m.DueBack.IsZero() || m.Counterparty != "" || m.Contract != "" {
			return m, ledger.BadArgument("due_back", "due_back, counterparty and contract belong to the OUT movement; leave them empty")
		}
		if len(m.Products) > 0 && len(m.Consumed) == 0 {
			return m, ledger.BadArgument("consumed", "products and scrap come back from the goods sent out: name what the processing consumed (consumed)")
		}
		if m.Kind == OutZoneConvert && (len(m.Lines) == 0 || len(m.Products)+len(m.Consumed) > 0) {
			return m, ledger.BadArgument("lines", "a CONVERT movement lists the goods sold in lines, and no products or consumed goods")
		}
	}
	h := m
	h.No, h.Enterprise, h.FormType, h.Outstanding, h.Tax, h.Status, h.JournalID, h.FiledBy, h.CreatedAt, h.InputHash = "", "", "", nil, decimal.Zero, "", 0, "", time.Time{}, ""
	m.InputHash = digest(h)
	if err := s.ensureAccount(ctx, m.Book, AccountOutZone); err != nil {
		return m, err
	}
	var no string
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		b, err := filingBook(ctx, tx, p, m.Book)
		if err != nil {
			return nil, err
		}
		old, found, err := refiled[OutZoneMove](ctx, tx, kindOutZone, b.Enterprise, m.InnerNo, m.InputHash, "out-of-zone movement")
		if err != nil {
			return nil, err
		}
		c := m
		if found {
			no = old.No
			if old.JournalID != 0 {
				return nil, nil
			}
			c = old // refused before: try again
		}
		var f Form
		fr, err := getDoc(ctx, tx, kindForm, c.ApplyNo, true, &f)
		if err != nil {
			return nil, withField(err, "apply_no")
		}
		if !slices.Contains(outZoneForms, f.Type) || f.Book != c.Book {
			return nil, ledger.Invalid(ReasonNotOutZoneForm, "apply_no", "form %s is not a form of book %s whose goods go out of the zone and come back (types B 外发加工, D 设备检测, E 设备维修, F 模具外发, H 其他业务)", c.ApplyNo, c.Book)
		}
		if fr.status == FormClosed {
			return nil, ledger.Precondition(ReasonFormClosed, "apply_no", "form %s is closed (结案); file a new form to move goods out and back", f.No)
		}
		if (len(c.Products) > 0 || len(c.Consumed) > 0) && f.Type != codes.FormOutsourcing {
			return nil, ledger.Invalid(ReasonOutsourcingOnly, "products", "form %s is type %s (%s): products, scrap and consumed goods come back only under a 外发加工 (type B) form", f.No, f.Type, f.Type.Name())
		}
		c.FormType = f.Type
		if c.Date.IsZero() {
			c.Date = s.today()
		}
		if err := s.checkBusinessDate("date", c.Date, 0); err != nil {
			return nil, err
		}
		var out OutZoneMove
		if c.Kind == OutZoneOut {
			if c.Date.Before(f.ValidFrom) || c.Date.After(f.ValidUntil) {
				return nil, ledger.Precondition(ReasonFormExpired, "date", "form %s runs %s to %s; goods go out within it", f.No, ledger.FormatDate(f.ValidFrom), ledger.FormatDate(f.ValidUntil))
			}
			if err := s.checkDueBack(c, f, found); err != nil {
				return nil, err
			}
		} else {
			if _, err := getDoc(ctx, tx, kindOutZone, c.OutNo, true, &out); err != nil {
				return nil, withField(err, "out_no")
			}
			if out.Kind != OutZoneOut || out.ApplyNo != f.No {
				return nil, ledger.Invalid(ReasonOutZoneNotOut, "out_no", "%s is not an OUT movement under form %s", c.OutNo, f.No)
			}
			if c.Date.Before(out.Date) {
				return nil, ledger.Invalid(ReasonOutZoneNotOut, "date", "the goods went out on %s, after %s", ledger.FormatDate(out.Date), ledger.FormatDate(c.Date))
			}
			if err := settles(c, out); err != nil {
				return nil, err
			}
		}
		if !found {
			c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
			if c.No, err = documentNumber(ctx, tx, "WF", b.CustomsOffice, c.Date, string(c.Kind[0])); err != nil {
				return nil, err
			}
			no = c.No
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: c.No + ":book", EffectiveDate: c.Date,
			Document: ledger.Document{Type: "OUTZONE-" + string(c.Kind), Number: c.No}, Principal: p.ID,
			Metadata: map[string]string{"apply_no": c.ApplyNo, "form_type": string(f.Type)}}
		if c.OutNo != "" {
			req.Metadata["out_no"] = c.OutNo
		}
		docs := []string{kindOutZone + ":" + c.No}
		if c.OutNo != "" {
			docs = append(docs, kindOutZone+":"+c.OutNo)
		}
		in := &intent{ID: req.IdempotencyKey, Kind: intentOutZone, Docs: docs, Actor: p.ID, Date: c.Date}
		from, to := AccountBonded, AccountOutZone
		switch c.Kind {
		case OutZoneBack:
			from, to = AccountOutZone, AccountBonded
		case OutZoneConvert:
			from, to = AccountOutZone, WorldDomestic
		}
		var sold []BookLine
		add := func(field string, lines []OutZoneLine, from, to string, lot func(i int) string) error {
			for i, ln := range lines {
				fl := fmt.Sprintf("%s[%d]", field, i)
				bl, err := loadLine(ctx, tx, c.Book, ln.BookSeq)
				if err != nil {
					return withField(err, fl+".book_seq")
				}
				q, err := bl.toDeclared(ln.Quantity, bl.DeclaredUnit, fl)
				if err != nil {
					return err
				}
				if field == "lines" {
					sold = append(sold, bl)
				}
				req.Postings = append(req.Postings, posting(c.Book, ln.BookSeq, from, to, q, lot(i), bl.DeclaredUnit))
				in.Fields = append(in.Fields, fl+".quantity")
			}
			return nil
		}
		noLot := func(int) string { return "" }
		if err := add("lines", c.Lines, from, to, noLot); err != nil {
			return nil, err
		}
		if err := add("consumed", c.Consumed, AccountOutZone, WorldConsumed, noLot); err != nil {
			return nil, err
		}
		if err := add("products", c.Products, WorldProduction, AccountBonded, func(i int) string { return c.No + "-" + strconv.Itoa(i+1) }); err != nil {
			return nil, err
		}
		c.Tax = decimal.Zero
		if c.Kind == OutZoneConvert {
			sale := make([]saleLine, len(c.Lines))
			for i, ln := range c.Lines {
				sale[i] = saleLine{BookSeq: ln.BookSeq, Quantity: ln.Quantity, Value: ln.Value}
			}
			evs, at := s.saleEvents(c.Book, b.Enterprise, c.No, c.Date, sale, sold)
			for i, ev := range evs {
				if ev.AssessError != "" {
					if at >= 0 {
						i = at
					}
					return nil, ledger.Invalid(tax.ReasonNoTariffRow, fmt.Sprintf("lines[%d].book_seq", i), "the sale cannot be taxed: %s", evs[i].AssessError)
				}
				c.Tax = c.Tax.Add(ev.Total)
			}
		}
		c.Status = OutZoneBooked
		if c.Kind == OutZoneOut {
			c.Status = OutZoneOutstanding
		}
		if found {
			if err := updateDoc(ctx, tx, kindOutZone, c.No, c.Status, c); err != nil {
				return nil, err
			}
		} else if err := insertDoc(ctx, tx, docRow{kind: kindOutZone, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: c.Status, link: c.ApplyNo}, c, c.CreatedAt); err != nil {
			return nil, err
		}
		in.Post = &req
		return in, nil
	})
	if err != nil {
		return m, err
	}
	var out OutZoneMove
	if _, err := getDoc(ctx, s.pool, kindOutZone, no, false, &out); err != nil {
		return out, dbError(err)
	}
	return out, nil
}

// checkDueBack checks an OUT movement's due-back date: not in the past
// (unless the movement is a retry of one refused before), not before the
// movement, within the form's period and the zone's longest out-of-zone
// period.
func (s *Service) checkDueBack(c OutZoneMove, f Form, retry bool) error {
	today := s.today()
	if c.DueBack.Before(c.Date) || (!retry && c.DueBack.Before(today)) {
		return ledger.Invalid(ReasonOutZoneDueDate, "due_back", "the due-back date %s is in the past or before the goods go out (%s); give the contract's end date, today %s or later", ledger.FormatDate(c.DueBack), ledger.FormatDate(c.Date), ledger.FormatDate(today))
	}
	if c.DueBack.After(f.ValidUntil) {
		return ledger.Invalid(ReasonOutZoneDueDate, "due_back", "the due-back date %s is after form %s's last day %s; the goods come back within the form (or change the form first)", ledger.FormatDate(c.DueBack), f.No, ledger.FormatDate(f.ValidUntil))
	}
	if most := s.set.OutZoneMaxDays; most > 0 && c.DueBack.After(c.Date.AddDate(0, 0, most)) {
		return ledger.Invalid(ReasonOutZoneDueDate, "due_back", "the due-back date %s is more than %d days after the goods go out (%s), the zone's longest out-of-zone period (setting out_zone_max_days)", ledger.FormatDate(c.DueBack), most, ledger.FormatDate(c.Date))
	}
	return nil
}

// settles checks that a BACK or CONVERT movement c takes, per book line,
// no more than the OUT movement out still has out.
func settles(c OutZoneMove, out OutZoneMove) error {
	left := map[int]decimal.Decimal{}
	for seq, q := range out.Outstanding {
		left[seq] = q
	}
	take := func(field string, lines []OutZoneLine) error {
		for i, ln := range lines {
			f := fmt.Sprintf("%s[%d]", field, i)
			q, sent := left[ln.BookSeq]
			if !sent {
				return ledger.Invalid(ReasonOutZoneNotOut, f+".book_seq", "book line %d did not go out on %s", ln.BookSeq, out.No)
			}
			if ln.Quantity.GreaterThan(q) {
				return ledger.Precondition(ReasonOutZoneExceedsSent, f+".quantity", "%s has %s of book line %d still out, not %s", out.No, q, ln.BookSeq, ln.Quantity)
			}
			left[ln.BookSeq] = q.Sub(ln.Quantity)
		}
		return nil
	}
	if err := take("lines", c.Lines); err != nil {
		return err
	}
	return take("consumed", c.Consumed)
}

func (s *Service) finishOutZone(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, no, _ := strings.Cut(in.Docs[0], ":")
	var m OutZoneMove
	if _, err := getDoc(ctx, tx, kindOutZone, no, true, &m); err != nil {
		return err
	}
	m.JournalID = j.ID
	switch m.Kind {
	case OutZoneOut:
		m.Outstanding = map[int]decimal.Decimal{}
		for _, ln := range m.Lines {
			m.Outstanding[ln.BookSeq] = m.Outstanding[ln.BookSeq].Add(ln.Quantity)
		}
	default:
		_, outNo, _ := strings.Cut(in.Docs[1], ":")
		var out OutZoneMove
		if _, err := getDoc(ctx, tx, kindOutZone, outNo, true, &out); err != nil {
			return err
		}
		for _, ln := range slices.Concat(m.Lines, m.Consumed) {
			out.Outstanding[ln.BookSeq] = out.Outstanding[ln.BookSeq].Sub(ln.Quantity)
		}
		out.Status = OutZoneOutstanding
		if out.OutstandingTotal().IsZero() {
			out.Status = OutZoneSettled
		}
		if err := updateDoc(ctx, tx, kindOutZone, out.No, out.Status, out); err != nil {
			return err
		}
	}
	if m.Kind == OutZoneConvert {
		bls := make([]BookLine, len(m.Lines))
		sale := make([]saleLine, len(m.Lines))
		for i, ln := range m.Lines {
			bl, err := loadLine(ctx, tx, m.Book, ln.BookSeq)
			if err != nil {
				return err
			}
			bls[i] = bl
			sale[i] = saleLine{BookSeq: ln.BookSeq, Quantity: ln.Quantity, Value: ln.Value}
		}
		evs, _ := s.saleEvents(m.Book, m.Enterprise, m.No, m.Date, sale, bls)
		for i, ev := range evs {
			if err := s.storeTaxable(ctx, tx, ev, m.No+":"+strconv.Itoa(i+1)); err != nil {
				return err
			}
		}
	}
	return updateDoc(ctx, tx, kindOutZone, m.No, m.Status, m)
}

// GetOutZoneMove returns an out-of-zone movement.
func (s *Service) GetOutZoneMove(ctx context.Context, p access.Principal, no string) (OutZoneMove, error) {
	return readDoc[OutZoneMove](ctx, s, p, kindOutZone, no, nil)
}

// CloseForm closes a business form (结案, 申报类型 3): nothing moves under
// it afterwards. A form with goods still out of the zone under it is
// refused (FORM_GOODS_OUT): bring them back or convert them first. The
// enterprise of the form's book closes it; closing a closed form again
// returns it.
func (s *Service) CloseForm(ctx context.Context, p access.Principal, no string) (Form, error) {
	var out Form
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var f Form
		r, err := getDoc(ctx, tx, kindForm, no, true, &f)
		if err == nil {
			err = canFileHidden(p, r.enterprise, docNotFound(kindForm, no))
		}
		if err != nil {
			return withField(err, "apply_no")
		}
		out = f
		if r.status == FormClosed {
			return nil
		}
		var left string
		err = tx.QueryRow(ctx, `SELECT COALESCE(min(no), '') FROM zone_documents WHERE kind = $1 AND link = $2 AND status = $3`, kindOutZone, no, OutZoneOutstanding).Scan(&left)
		if err != nil {
			return err
		}
		if left != "" {
			return ledger.Precondition(ReasonFormGoodsOut, "apply_no", "goods of out movement %s (and maybe others) are still out under form %s; bring them back or convert them first", left, no)
		}
		for seq, q := range f.OnDisplay {
			if q.IsPositive() {
				return ledger.Precondition(ReasonFormGoodsOut, "apply_no", "%s of book line %d is still on display under form %s; bring it back or sell it first", q, seq, no)
			}
		}
		f.Status = FormClosed
		out = f
		return updateDoc(ctx, tx, kindForm, no, FormClosed, f)
	})
	return out, err
}

// ensureAccount adds a bucket to a book created before books had it (once
// per book, bucket and process).
func (s *Service) ensureAccount(ctx context.Context, book, account string) error {
	key := book + "\x00" + account
	if _, done := s.bookAccounts.Load(key); done {
		return nil
	}
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return dbError(err)
	}
	if _, err := s.ledger.AddBookAccounts(ctx, b.No, []string{account}); err != nil {
		return err
	}
	s.bookAccounts.Store(key, true)
	return nil
}
