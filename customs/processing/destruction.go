package processing

import (
	"context"
	"fmt"
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

// WorldDestroyed is the world account goods destroyed (销毁) go to.
const WorldDestroyed = "destroyed"

// DocumentDestruction is the ledger document type of a destruction.
const DocumentDestruction = "DESTRUCTION"

// DestructionStatus is where a destruction is.
type DestructionStatus string

// The destruction statuses.
const (
	// DestructionRequested: asked by the enterprise; nothing has moved.
	DestructionRequested DestructionStatus = "REQUESTED"
	// DestructionApproved: approved by customs; the goods left the book.
	DestructionApproved DestructionStatus = "APPROVED"
	// DestructionRejected: refused by customs; nothing moved.
	DestructionRejected DestructionStatus = "REJECTED"
)

// Destruction is a customs-approved destruction (销毁) of bonded goods on
// a book — scrap, defects, by-products or any other goods: the enterprise
// asks, customs approves, and the goods leave the book to the world
// account destroyed.
type Destruction struct {
	// No is the zone's number: "XH" + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	// Date is the business date the goods are destroyed on; zero when
	// asking means today.
	Date   time.Time
	Reason string
	Lines  []DestroyLine
	// ResidueValue is what the valuable residue (有价值残余物) was sold
	// for, CNY to the fen. A residue sold is taxed on approval as a
	// domestic sale (a taxable event of the zone, TradeMode 0844,
	// category SCRAP).
	ResidueValue decimal.Decimal
	// ResidueHSCode is the 10-digit HS code of the residue sold, required
	// when ResidueValue is above zero: the tax engine taxes the residue
	// in its own state.
	ResidueHSCode string `json:",omitempty"`
	// ResidueEvent is the ID of the taxable event of the residue's sale,
	// on approval. Derived.
	ResidueEvent int64 `json:",omitempty"`
	Status       DestructionStatus
	// Note is customs' remark on approval or rejection.
	Note       string
	ApprovedBy string
	JournalIDs []int64
	FiledBy    string
	CreatedAt  time.Time
	InputHash  string
}

// DestroyLine is goods of one book line to destroy.
type DestroyLine struct {
	BookSeq int
	// Quantity in the line's declared unit, at its scale.
	Quantity decimal.Decimal
	// Lot names the lot to take; empty: oldest first.
	Lot string
	// Lots are the lots the goods were taken from. Derived on approval.
	Lots []zone.LotQuantity
}

// RequestDestruction files a destruction. The book's owner enterprise
// asks; nothing moves until customs approves. Asking again under the same
// number returns it; other goods under the number are refused
// (DUPLICATE_DOCUMENT_NUMBER).
func (s *Service) RequestDestruction(ctx context.Context, p access.Principal, d Destruction) (Destruction, error) {
	d.InnerNo, d.Book, d.Reason = strings.TrimSpace(d.InnerNo), strings.TrimSpace(d.Book), strings.TrimSpace(d.Reason)
	if d.InnerNo == "" || len(d.InnerNo) > 64 {
		return d, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if d.Reason == "" || len(d.Reason) > 500 {
		return d, ledger.BadArgument("reason", "say why the goods are destroyed, at most 500 characters")
	}
	if len(d.Lines) == 0 || len(d.Lines) > MaxReportLines {
		return d, ledger.BadArgument("lines", "a destruction names 1 to %d lines", MaxReportLines)
	}
	if d.ResidueValue.IsNegative() || ledger.Places(d.ResidueValue) > ledger.ValueScale {
		return d, ledger.BadArgument("residue_value", "must be >= 0 CNY to the fen, got %s", d.ResidueValue)
	}
	d.ResidueHSCode = strings.TrimSpace(d.ResidueHSCode)
	switch {
	case d.ResidueValue.IsPositive() && d.ResidueHSCode == "":
		return d, ledger.BadArgument("residue_hs_code", "a residue sold for %s CNY is taxed in its own state: give its 10-digit HS code", d.ResidueValue)
	case d.ResidueValue.IsZero() && d.ResidueHSCode != "":
		return d, ledger.BadArgument("residue_hs_code", "no residue was sold (residue_value is 0); leave the HS code empty or give what it was sold for")
	case d.ResidueHSCode != "":
		if err := codes.CheckHSCode(d.ResidueHSCode); err != nil {
			return d, ledger.BadArgument("residue_hs_code", "%v", err)
		}
	}
	d.ResidueEvent = 0
	var err error
	if d.Date, err = s.documentDate(d.Date, "destruction"); err != nil {
		return d, err
	}
	b, err := s.writeBook(ctx, p, d.Book)
	if err != nil {
		return d, err
	}
	var seqs []int
	for _, l := range d.Lines {
		seqs = append(seqs, l.BookSeq)
	}
	lines, err := s.lines(ctx, p, d.Book, seqs)
	if err != nil {
		return d, err
	}
	for i, l := range d.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		bl, err := goodsLine(lines, d.Book, l.BookSeq, f+".book_seq", "equipment is not destroyed through this record")
		if err != nil {
			return d, err
		}
		if err := checkQuantity(l.Quantity, bl, f+".quantity", false); err != nil {
			return d, err
		}
		if len(l.Lot) > 64 {
			return d, ledger.BadArgument(f+".lot", "a lot name has at most 64 characters")
		}
		d.Lines[i].Lots = nil
	}
	h := d
	h.No, h.Enterprise, h.Status, h.Note, h.ApprovedBy, h.JournalIDs, h.FiledBy, h.CreatedAt, h.InputHash, h.ResidueEvent = "", "", "", "", "", nil, "", time.Time{}, "", 0
	d.InputHash = digest(h)
	var out Destruction
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, found, err := destructionBy(ctx, tx, `enterprise = $1 AND inner_no = $2`, b.Enterprise, d.InnerNo)
		if err != nil || found {
			if err == nil && old.InputHash != d.InputHash {
				err = ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for destruction %s; use a new number", d.InnerNo, old.No)
			}
			out = old
			return err
		}
		c := d
		c.Enterprise, c.FiledBy, c.CreatedAt, c.Status = b.Enterprise, p.ID, s.clock(), DestructionRequested
		if c.No, err = nextNumber(ctx, tx, "XH", c.Book, c.Date); err != nil {
			return err
		}
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_destructions (no, enterprise, inner_no, book, status, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, string(c.Status), mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// ApproveDestruction approves a requested destruction: its goods leave
// the bonded stock (the named lot, else oldest first) to the world account
// destroyed, in one transaction with the record. Customs only. Goods that
// are no longer there refuse the approval (INSUFFICIENT_BONDED_STOCK) and
// the record stays requested. Approving again returns it.
func (s *Service) ApproveDestruction(ctx context.Context, p access.Principal, no, note string) (Destruction, error) {
	return s.decideDestruction(ctx, p, no, note, true)
}

// RejectDestruction rejects a requested destruction; nothing moves.
// Customs only. Rejecting again returns it.
func (s *Service) RejectDestruction(ctx context.Context, p access.Principal, no, note string) (Destruction, error) {
	return s.decideDestruction(ctx, p, no, note, false)
}

func (s *Service) decideDestruction(ctx context.Context, p access.Principal, no, note string, approve bool) (Destruction, error) {
	if p.Role != access.RoleCustoms || p.Disabled {
		return Destruction{}, ledger.Denied("principal %q (%s) may not decide destructions; customs approves or rejects them", p.ID, p.Role)
	}
	if len(note) > 500 {
		return Destruction{}, ledger.BadArgument("note", "at most 500 characters")
	}
	// Its lines are read before the transaction (they never change), so
	// that the transaction reads nothing through the pool.
	pre, found, err := destructionBy(ctx, s.pool, `no = $1`, no)
	if err != nil {
		return Destruction{}, dbError(err)
	}
	if !found {
		return Destruction{}, ledger.NotFound(zone.ReasonUnknownDocument, "destruction_no", "there is no destruction %q", no)
	}
	var seqs []int
	for _, l := range pre.Lines {
		seqs = append(seqs, l.BookSeq)
	}
	lines, err := s.lines(ctx, p, pre.Book, seqs)
	if err != nil {
		return Destruction{}, err
	}
	var out Destruction
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j journals) error {
		d, found, err := destructionBy(ctx, tx, `no = $1 FOR UPDATE`, no)
		if err != nil {
			return err
		}
		if !found {
			return ledger.NotFound(zone.ReasonUnknownDocument, "destruction_no", "there is no destruction %q", no)
		}
		want := DestructionRejected
		if approve {
			want = DestructionApproved
		}
		if d.Status == want {
			out = d
			return nil
		}
		if d.Status != DestructionRequested {
			return ledger.Precondition(zone.ReasonWrongStatus, "destruction_no", "destruction %s is %s; only a requested destruction is decided", no, strings.ToLower(string(d.Status)))
		}
		d.Status, d.Note = want, note
		if approve {
			req := ledger.JournalRequest{Book: d.Book, IdempotencyKey: "destruction:" + d.No, EffectiveDate: d.Date,
				Document: ledger.Document{Type: DocumentDestruction, Number: d.No}, Principal: p.ID, Metadata: map[string]string{"reason": d.Reason}}
			var fields []string
			for i, l := range d.Lines {
				req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: d.Book, Code: strconv.Itoa(l.BookSeq)},
					From: ledger.In(d.Book, zone.AccountBonded), To: ledger.World(WorldDestroyed), Quantity: l.Quantity, Unit: lines[l.BookSeq].DeclaredUnit, Lot: l.Lot})
				fields = append(fields, fmt.Sprintf("lines[%d].quantity", i))
			}
			res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
			if err != nil {
				return err
			}
			if res[0].Err != nil {
				return refusal(res[0].Err, 0, req, fields)
			}
			d.JournalIDs = []int64{res[0].Journal.ID}
			for i, pst := range res[0].Journal.Postings {
				for _, g := range pst.Legs {
					d.Lines[i].Lots = append(d.Lines[i].Lots, zone.LotQuantity{Lot: g.Lot, Quantity: g.Quantity})
				}
			}
			d.ApprovedBy = p.ID
			if d.ResidueValue.IsPositive() {
				ev, err := s.zone.RecordTaxableEvent(ctx, tx, residueEvent(d), "destruction-residue:"+d.No)
				if err != nil {
					return err
				}
				d.ResidueEvent = ev.ID
			}
		}
		seq, err := zone.TakeChange(ctx, tx, d.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE proc_destructions SET status = $2, body = $3, change_seq = $4 WHERE no = $1`, d.No, string(d.Status), mustJSON(d), seq); err != nil {
			return err
		}
		out = d
		return nil
	})
	return out, dbError(err)
}

// GetDestruction returns a destruction. Its owner and customs read it.
func (s *Service) GetDestruction(ctx context.Context, p access.Principal, no string) (Destruction, error) {
	return readable(ctx, s.pool, p, "proc_destructions", no, func(d Destruction) string { return d.Enterprise },
		ledger.NotFound(zone.ReasonUnknownDocument, "destruction_no", "there is no destruction %q", no))
}

func destructionBy(ctx context.Context, q querier, where string, args ...any) (Destruction, bool, error) {
	return documentBy[Destruction](ctx, q, "proc_destructions", where, args...)
}

// Residue sales: the trade mode and goods category of the taxable event a
// destruction's valuable residue makes when sold. [UNCONFIRMED]: the
// reference names no rule for the residue's sale; it is taken as scrap
// sold domestically (边角料内销).
const (
	// ResidueTradeMode is the trade mode of a residue sale's event.
	ResidueTradeMode = "0844"
	// ResidueCategory is the goods category of a residue sale's event.
	ResidueCategory = codes.CategoryScrap
)

// residueEvent is the taxable event of a destruction's residue sold: a
// domestic sale of the residue in its own state (its HS code), on what it
// was sold for, dated the destruction's day.
func residueEvent(d Destruction) zone.TaxableEvent {
	return zone.TaxableEvent{Book: d.Book, Enterprise: d.Enterprise, ListNo: d.No, ListSeq: 1, HSCode: d.ResidueHSCode, Quantity: decimal.Zero,
		LegalQuantity: decimal.Zero, DutiableValue: d.ResidueValue, TradeMode: ResidueTradeMode, GoodsCategory: ResidueCategory, Date: d.Date, TaxDate: d.Date}
}
