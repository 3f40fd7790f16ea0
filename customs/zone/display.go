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

// AccountDisplay holds bonded goods out of the zone on display: still on
// the book (保税展示交易) until sold or back.
const AccountDisplay = "display"

// Reasons of display trading.
const (
	ReasonGuaranteeExceeded = "GUARANTEE_EXCEEDED"
	ReasonNotDisplayForm    = "NOT_A_DISPLAY_FORM"
	ReasonOverPayment       = "PAYMENT_EXCEEDS_TAX"
)

const kindDisplay = "display"

// intentDisplay books a display movement.
const intentDisplay = "display"

// MoveDisplay books a movement of bonded display trading under a type-C
// form: goods out for display, goods sold on display (taxed by the engine;
// the tax must fit in what the guarantee still covers, else
// GUARANTEE_EXCEEDED), unsold goods back. InnerNo is the idempotency key.
func (s *Service) MoveDisplay(ctx context.Context, p access.Principal, m DisplayMove) (DisplayMove, error) {
	m.InnerNo, m.Book, m.ApplyNo = strings.TrimSpace(m.InnerNo), strings.TrimSpace(m.Book), strings.TrimSpace(m.ApplyNo)
	if m.InnerNo == "" || len(m.InnerNo) > 64 {
		return m, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if m.Kind != DisplayOut && m.Kind != DisplaySale && m.Kind != DisplayBack {
		return m, ledger.BadArgument("kind", "%q is not a display movement; use OUT, SALE or BACK", m.Kind)
	}
	if len(m.Lines) == 0 || len(m.Lines) > MaxLinesPerDoc {
		return m, ledger.BadArgument("lines", "give 1 to %d lines", MaxLinesPerDoc)
	}
	for i, ln := range m.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		if !ln.Quantity.IsPositive() {
			return m, ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0")
		}
		if ln.Value.IsNegative() || ledger.Places(ln.Value) > 2 {
			return m, ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen")
		}
		if m.Kind == DisplaySale && !ln.Value.IsPositive() {
			return m, ledger.BadArgument(f+".value", "a sale states its price in CNY: the dutiable value")
		}
	}
	h := m
	h.No, h.Enterprise, h.Tax, h.JournalID, h.FiledBy, h.CreatedAt, h.InputHash = "", "", decimal.Zero, 0, "", time.Time{}, ""
	m.InputHash = digest(h)
	if err := s.ensureDisplayAccount(ctx, m.Book); err != nil {
		return m, err
	}
	var no string
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		b, err := filingBook(ctx, tx, p, m.Book)
		if err != nil {
			return nil, err
		}
		old, found, err := refiled[DisplayMove](ctx, tx, kindDisplay, b.Enterprise, m.InnerNo, m.InputHash, "display movement")
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
		if f.Type != codes.FormDisplay || f.Book != c.Book {
			return nil, ledger.Invalid(ReasonNotDisplayForm, "apply_no", "form %s is not a 保税展示交易 (type C) form of book %s", c.ApplyNo, c.Book)
		}
		if fr.status == FormClosed {
			return nil, ledger.Precondition(ReasonFormClosed, "apply_no", "form %s is closed (结案); file a new form to display goods", f.No)
		}
		if c.Date.IsZero() {
			c.Date = s.today()
		}
		if err := s.checkBusinessDate("date", c.Date, 0); err != nil {
			return nil, err
		}
		if c.Kind == DisplayOut && (c.Date.Before(f.ValidFrom) || c.Date.After(f.ValidUntil)) {
			return nil, ledger.Precondition(ReasonFormExpired, "date", "form %s runs %s to %s; goods go out for display within it", f.No, ledger.FormatDate(f.ValidFrom), ledger.FormatDate(f.ValidUntil))
		}
		if !found {
			c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
			if c.No, err = documentNumber(ctx, tx, "ZS", b.CustomsOffice, c.Date, string(c.Kind[0])); err != nil {
				return nil, err
			}
			no = c.No
		}
		from, to := AccountBonded, AccountDisplay
		switch c.Kind {
		case DisplaySale:
			from, to = AccountDisplay, WorldDomestic
		case DisplayBack:
			from, to = AccountDisplay, AccountBonded
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: c.No + ":book", EffectiveDate: c.Date,
			Document: ledger.Document{Type: "DISPLAY-" + string(c.Kind), Number: c.No}, Principal: p.ID, Metadata: map[string]string{"apply_no": c.ApplyNo}}
		in := &intent{ID: req.IdempotencyKey, Kind: intentDisplay, Docs: []string{kindDisplay + ":" + c.No, kindForm + ":" + f.No}, Actor: p.ID, Date: c.Date}
		c.Tax = decimal.Zero
		var sold []BookLine
		for i, ln := range c.Lines {
			fl := fmt.Sprintf("lines[%d]", i)
			bl, err := loadLine(ctx, tx, c.Book, ln.BookSeq)
			if err != nil {
				return nil, withField(err, fl+".book_seq")
			}
			q, err := bl.toDeclared(ln.Quantity, bl.DeclaredUnit, fl)
			if err != nil {
				return nil, err
			}
			if c.Kind != DisplayOut && q.GreaterThan(f.OnDisplay[ln.BookSeq]) {
				return nil, ledger.Precondition(ReasonInsufficientStock, fl+".quantity", "form %s has %s of line %d on display, not %s", f.No, f.OnDisplay[ln.BookSeq], ln.BookSeq, q)
			}
			sold = append(sold, bl)
			req.Postings = append(req.Postings, posting(c.Book, ln.BookSeq, from, to, q, "", bl.DeclaredUnit))
			in.Fields = append(in.Fields, fl+".quantity")
		}
		if c.Kind == DisplaySale {
			// The sale is one consignment: its lines are taxed together.
			evs, at := s.displayEvents(c, sold)
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
		if c.Kind == DisplaySale && c.Tax.GreaterThan(f.GuaranteeAvailable()) {
			return nil, ledger.Precondition(ReasonGuaranteeExceeded, "lines", "the sale's tax %s exceeds what guarantee %s of form %s still covers (%s: %s assessed, %s paid)",
				c.Tax.StringFixed(2), f.Guarantee.StringFixed(2), f.No, f.GuaranteeAvailable().StringFixed(2), f.TaxAssessed.StringFixed(2), f.TaxPaid.StringFixed(2))
		}
		if found {
			if err := updateDoc(ctx, tx, kindDisplay, c.No, "FILED", c); err != nil {
				return nil, err
			}
		} else if err := insertDoc(ctx, tx, docRow{kind: kindDisplay, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: "FILED"}, c, c.CreatedAt); err != nil {
			return nil, err
		}
		in.Post = &req
		return in, nil
	})
	if err != nil {
		return m, err
	}
	var out DisplayMove
	if _, err := getDoc(ctx, s.pool, kindDisplay, no, false, &out); err != nil {
		return out, dbError(err)
	}
	return out, nil
}

// displayEvents are the taxable events of a display sale's lines (bls are
// their book lines), assessed together as one consignment, and the index
// of the line the engine refused (-1 if none).
func (s *Service) displayEvents(m DisplayMove, bls []BookLine) ([]TaxableEvent, int) {
	sale := make([]saleLine, len(m.Lines))
	for i, ln := range m.Lines {
		sale[i] = saleLine(ln)
	}
	return s.saleEvents(m.Book, m.Enterprise, m.No, m.Date, sale, bls)
}

// saleLine is goods sold from outside the zone under a form: display
// goods sold, goods out of the zone converted to a sale.
type saleLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	Value    decimal.Decimal
}

// saleEvents are the taxable events of goods of a book sold to the
// domestic market from outside the zone under document docNo (bls are the
// lines' book lines), assessed together as one consignment (一票) at the
// sale's date, and the index of the line the engine refused (-1 if none).
func (s *Service) saleEvents(book, enterprise, docNo string, date time.Time, lines []saleLine, bls []BookLine) ([]TaxableEvent, int) {
	evs := make([]TaxableEvent, len(lines))
	for i, ln := range lines {
		bl := bls[i]
		evs[i] = TaxableEvent{Book: book, Enterprise: enterprise, ListNo: docNo, ListSeq: i + 1, BookSeq: ln.BookSeq, HSCode: bl.HSCode, Quantity: ln.Quantity, Unit: bl.DeclaredUnit,
			LegalQuantity: ln.Quantity.Mul(bl.Legal.Factor), LegalUnit: bl.Legal.Unit, DutiableValue: ln.Value, TradeMode: "0110", Date: date, TaxDate: date}
	}
	return evs, s.assess(evs)
}

func (s *Service) finishDisplay(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, no, _ := strings.Cut(in.Docs[0], ":")
	_, fno, _ := strings.Cut(in.Docs[1], ":")
	var m DisplayMove
	if _, err := getDoc(ctx, tx, kindDisplay, no, true, &m); err != nil {
		return err
	}
	var f Form
	if _, err := getDoc(ctx, tx, kindForm, fno, true, &f); err != nil {
		return err
	}
	if f.OnDisplay == nil {
		f.OnDisplay = map[int]decimal.Decimal{}
	}
	for i, ln := range m.Lines {
		q := j.Postings[i].Quantity
		switch m.Kind {
		case DisplayOut:
			f.OnDisplay[ln.BookSeq] = f.OnDisplay[ln.BookSeq].Add(q)
		default:
			f.OnDisplay[ln.BookSeq] = f.OnDisplay[ln.BookSeq].Sub(q)
		}
	}
	if m.Kind == DisplaySale {
		bls := make([]BookLine, len(m.Lines))
		for i, ln := range m.Lines {
			bl, err := loadLine(ctx, tx, m.Book, ln.BookSeq)
			if err != nil {
				return err
			}
			bls[i] = bl
		}
		evs, _ := s.displayEvents(m, bls)
		for i, ev := range evs {
			if err := s.storeTaxable(ctx, tx, ev, m.No+":"+strconv.Itoa(i+1)); err != nil {
				return err
			}
		}
		f.TaxAssessed = f.TaxAssessed.Add(m.Tax)
	}
	m.JournalID = j.ID
	if err := updateDoc(ctx, tx, kindDisplay, m.No, "BOOKED", m); err != nil {
		return err
	}
	return updateDoc(ctx, tx, kindForm, f.No, "FILED", f)
}

// PayDisplayTax records the collective payment of display-trading tax for a
// period (taxes are paid collectively per period): the guarantee covers
// that much more again. Customs records it under the payment's number (the
// tax payment notice, 税款缴款书号), which is the idempotency key: the same
// payment again changes nothing, another amount under the number is
// refused. More than the unpaid tax is refused.
func (s *Service) PayDisplayTax(ctx context.Context, p access.Principal, applyNo, paymentNo string, amount decimal.Decimal) (Form, error) {
	if err := mustBeCustoms(p, "record tax payments"); err != nil {
		return Form{}, err
	}
	paymentNo = strings.TrimSpace(paymentNo)
	if paymentNo == "" || len(paymentNo) > 64 {
		return Form{}, ledger.BadArgument("payment_no", "the payment's number (税款缴款书号) is required, at most 64 characters: it makes a retried payment harmless")
	}
	if !amount.IsPositive() || ledger.Places(amount) > 2 {
		return Form{}, ledger.BadArgument("amount", "must be > 0 CNY to the fen")
	}
	var out Form
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		var f Form
		_, err := getDoc(ctx, tx, kindForm, applyNo, true, &f)
		if err != nil {
			return nil, withField(err, "apply_no")
		}
		if f.Type != codes.FormDisplay {
			return nil, ledger.Invalid(ReasonNotDisplayForm, "apply_no", "form %s is not a display-trading form", applyNo)
		}
		if old, ok := f.Payments[paymentNo]; ok {
			if !old.Equal(amount) {
				return nil, ledger.Conflict(ReasonDuplicateDocument, "payment_no", "payment %s of %s was already recorded on form %s", paymentNo, old.StringFixed(2), applyNo)
			}
			out = f
			return nil, nil
		}
		if unpaid := f.TaxAssessed.Sub(f.TaxPaid); amount.GreaterThan(unpaid) {
			return nil, ledger.Precondition(ReasonOverPayment, "amount", "form %s has %s of tax unpaid, not %s", applyNo, unpaid.StringFixed(2), amount.StringFixed(2))
		}
		f.TaxPaid = f.TaxPaid.Add(amount)
		if f.Payments == nil {
			f.Payments = map[string]decimal.Decimal{}
		}
		f.Payments[paymentNo] = amount
		out = f
		return nil, updateDoc(ctx, tx, kindForm, f.No, "FILED", f)
	})
	return out, err
}

// DisplayStatus reports a display-trading form: the guarantee still
// available, what is on display per book line, and whether goods are out
// after the form's last day (as of asOf; zero: today).
func (s *Service) DisplayStatus(ctx context.Context, p access.Principal, applyNo string, asOf time.Time) (DisplayReport, error) {
	f, err := s.GetForm(ctx, p, applyNo)
	if err != nil {
		return DisplayReport{}, err
	}
	if f.Type != codes.FormDisplay {
		return DisplayReport{}, ledger.Invalid(ReasonNotDisplayForm, "apply_no", "form %s is not a display-trading form", applyNo)
	}
	if asOf.IsZero() {
		asOf = s.today()
	}
	r := DisplayReport{Form: f, Available: f.GuaranteeAvailable()}
	seqs := make([]int, 0, len(f.OnDisplay))
	for seq, q := range f.OnDisplay {
		if q.IsPositive() {
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	for _, seq := range seqs {
		r.OnDisplay = append(r.OnDisplay, LotQuantity{Lot: strconv.Itoa(seq), Quantity: f.OnDisplay[seq]})
	}
	r.Overdue = len(r.OnDisplay) > 0 && asOf.After(f.ValidUntil)
	return r, nil
}

// ensureDisplayAccount adds the display bucket to a book created before
// books had one (once per book and process).
func (s *Service) ensureDisplayAccount(ctx context.Context, book string) error {
	return s.ensureAccount(ctx, book, AccountDisplay)
}

// OverdueDisplays reports the display-trading forms a principal may read
// whose goods are still out after the form's last day, as of asOf (zero:
// today): the goods not back by the deadline. Customs sees every form.
func (s *Service) OverdueDisplays(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]DisplayReport, error) {
	if asOf.IsZero() {
		asOf = s.today()
	}
	var out []DisplayReport
	f := ListFilter{Book: book, Limit: MaxPage}
	for {
		page, err := listDocs[Form](ctx, s, p, kindForm, f)
		if err != nil {
			return nil, err
		}
		for _, fm := range page {
			if fm.Type != codes.FormDisplay || !asOf.After(fm.ValidUntil) {
				continue
			}
			r, err := s.DisplayStatus(ctx, p, fm.No, asOf)
			if err != nil {
				return nil, err
			}
			if r.Overdue {
				out = append(out, r)
			}
		}
		if len(page) < MaxPage {
			return out, nil
		}
		f.After = page[len(page)-1].No
	}
}
