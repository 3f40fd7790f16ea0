package processing

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
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// 委托加工: processing for a domestic (区外) firm. The firm's materials come
// onto the book under a gate registration (卡口登记, 核放单 type 5) or a
// non-declaration list, held apart as non-bonded goods it owns, in a bucket
// of their own per entrustment (EntrustedAccount). Production reports filed
// for the entrustment consume the firm's materials from that bucket and the
// bonded materials by the version's 单耗 (written off as any production),
// and make the products into the bucket. The products go back to the firm
// under a gate registration; the processing fee (and, by the setting
// EntrustedDutiable, the bonded materials used) is taxed as a taxable event
// of the book.

// ReasonEntrustedReference: the gate registration or list named does not
// carry the domestic firm's goods of this move (wrong type, direction,
// book or status).
const ReasonEntrustedReference = "ENTRUSTED_REFERENCE"

// Entrusted move kinds and how goods travel.
const (
	// DocumentEntrusted is the ledger document type of an entrusted move.
	DocumentEntrusted = "ENTRUSTED"
	// FlowEntrusted is the lot attribute "flow" of a domestic firm's goods
	// held for processing.
	FlowEntrusted = "ENTRUSTED"
	// ViaGateRegistration: the goods pass the gate on a gate registration
	// (卡口登记, 核放单 type 5) of the book's enterprise.
	ViaGateRegistration = "GATE_REGISTRATION"
	// ViaList: the goods came in on a non-declaration list (是否报关 2) into
	// the book's nonbonded bucket; receiving them moves them apart.
	ViaList = "LIST"
	// MoveReceipt brings the firm's materials in.
	MoveReceipt = "RECEIPT"
	// MoveReturn takes the products back to the firm.
	MoveReturn = "RETURN"
)

// What an entrusted return's taxable event is assessed on
// (Settings.EntrustedDutiable). [UNCONFIRMED]: the reference names no rule.
const (
	// DutiableFeeAndMaterials: the processing fee plus the carrying value
	// of the bonded materials the entrustment's production consumed.
	DutiableFeeAndMaterials = "fee_and_materials"
	// DutiableFee: the processing fee only.
	DutiableFee = "fee"
)

// EntrustedAccount is the bucket of a book holding the domestic firm's
// goods of one entrustment, apart from bonded and other firms' goods.
func EntrustedAccount(entrustment string) string { return "entrusted-" + entrustment }

// Entrustment is a 委托加工 contract: the book's enterprise processes for a
// domestic firm.
type Entrustment struct {
	// No is the zone's number: "WT" + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	// Client is the domestic firm's 18-character 统一社会信用代码.
	Client     string
	ClientName string
	Date       time.Time
	// BondedValue is the carrying value (CNY) of the bonded materials the
	// entrustment's reports consumed; BondedTaxed the part of it taxed on
	// returns so far. Derived.
	BondedValue decimal.Decimal
	BondedTaxed decimal.Decimal
	// Reports are the production reports filed for it. Derived.
	Reports []string `json:",omitempty"`
	// Held is what the entrustment's bucket holds now, by book line: the
	// firm's materials and the products made for it. Filled in by
	// GetEntrustment, not stored.
	Held      []HeldLine `json:"-"`
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// HeldLine is the quantity of one book line an entrustment's bucket holds.
type HeldLine struct {
	BookSeq  int
	Quantity decimal.Decimal
	// Value is the carrying value in CNY.
	Value decimal.Decimal
}

// EntrustedMove is the domestic firm's goods in (MoveReceipt) or back
// (MoveReturn) for an entrustment.
type EntrustedMove struct {
	// No is the zone's number: "WR" (receipt) or "WF" (return) + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo     string
	Enterprise  string
	Book        string
	Entrustment string
	Kind        string
	Date        time.Time
	// Via is how the goods pass: ViaGateRegistration or (receipts) ViaList.
	Via string
	// Reference is the gate registration's or the list's number; it
	// carries the goods of one move only.
	Reference string
	// Lines are the goods; a receipt via a list takes the list's lines.
	Lines      []EntrustedLine
	JournalIDs []int64
	// Events are the taxable events of a return, by line. Derived.
	Events    []int64 `json:",omitempty"`
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// EntrustedLine is goods of one book line in an entrusted move.
type EntrustedLine struct {
	BookSeq int
	// Quantity in the line's declared unit, at its scale.
	Quantity decimal.Decimal
	// Value is the goods' value in CNY for a receipt; for a return, the
	// processing fee (加工费) of these products, to the fen.
	Value decimal.Decimal
	// Lot names the lot a return takes; empty: oldest first.
	Lot string
	// Lots are the lots taken or formed. Derived.
	Lots []zone.LotQuantity
	// BondedValue is, for a return, the share of the entrustment's untaxed
	// bonded materials taxed with this line. Derived.
	BondedValue decimal.Decimal
}

// FileEntrustment files a 委托加工 contract with a domestic firm on a book.
// The book's owner enterprise files; filing it again returns it, another
// under the number is refused (DUPLICATE_DOCUMENT_NUMBER).
func (s *Service) FileEntrustment(ctx context.Context, p access.Principal, e Entrustment) (Entrustment, error) {
	e.InnerNo, e.Book, e.Client, e.ClientName = strings.TrimSpace(e.InnerNo), strings.TrimSpace(e.Book), strings.TrimSpace(e.Client), strings.TrimSpace(e.ClientName)
	if e.InnerNo == "" || len(e.InnerNo) > 64 {
		return e, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if err := codes.CheckUSCC(e.Client); err != nil {
		return e, ledger.BadArgument("client", "the domestic firm's 统一社会信用代码: %v", err)
	}
	if e.ClientName == "" || len(e.ClientName) > 200 {
		return e, ledger.BadArgument("client_name", "the domestic firm's name is required, at most 200 characters")
	}
	var err error
	if e.Date, err = s.documentDate(e.Date, "entrustment"); err != nil {
		return e, err
	}
	b, err := s.writeBook(ctx, p, e.Book)
	if err != nil {
		return e, err
	}
	if e.Client == b.Enterprise {
		return e, ledger.BadArgument("client", "the domestic firm is another enterprise than the book's own")
	}
	e.BondedValue, e.BondedTaxed, e.Reports = decimal.Zero, decimal.Zero, nil
	h := e
	h.No, h.Enterprise, h.FiledBy, h.CreatedAt, h.InputHash = "", "", "", time.Time{}, ""
	e.InputHash = digest(h)
	var out Entrustment
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, found, err := entrustmentBy(ctx, tx, `enterprise = $1 AND inner_no = $2`, b.Enterprise, e.InnerNo)
		if err != nil || found {
			if err == nil && old.InputHash != e.InputHash {
				err = ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for entrustment %s; use a new number", e.InnerNo, old.No)
			}
			out = old
			return err
		}
		c := e
		c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
		if c.No, err = nextNumber(ctx, tx, "WT", c.Book, c.Date); err != nil {
			return err
		}
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_entrustments (no, enterprise, inner_no, book, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return out, err
	}
	if _, err := s.ledger.AddBookAccounts(ctx, out.Book, []string{EntrustedAccount(out.No)}); err != nil {
		return out, dbError(err)
	}
	return out, nil
}

// GetEntrustment returns an entrustment; its enterprise and customs read it.
func (s *Service) GetEntrustment(ctx context.Context, p access.Principal, no string) (Entrustment, error) {
	e, err := readable(ctx, s.pool, p, "proc_entrustments", no, func(e Entrustment) string { return e.Enterprise },
		ledger.NotFound(zone.ReasonUnknownDocument, "entrustment", "there is no entrustment %q", no))
	if err != nil {
		return e, err
	}
	hs, err := s.ledger.Balances(ctx, ledger.BalanceQuery{Book: e.Book, Account: EntrustedAccount(e.No)})
	if err != nil {
		return e, dbError(err)
	}
	for _, h := range hs {
		seq, err := strconv.Atoi(h.Item.Code)
		if err != nil {
			continue
		}
		e.Held = append(e.Held, HeldLine{BookSeq: seq, Quantity: h.Quantity, Value: h.Value})
	}
	slices.SortFunc(e.Held, func(a, b HeldLine) int { return a.BookSeq - b.BookSeq })
	return e, nil
}

// GetEntrustedMove returns an entrusted move; its enterprise and customs read it.
func (s *Service) GetEntrustedMove(ctx context.Context, p access.Principal, no string) (EntrustedMove, error) {
	return readable(ctx, s.pool, p, "proc_entrusted_moves", no, func(m EntrustedMove) string { return m.Enterprise },
		ledger.NotFound(zone.ReasonUnknownDocument, "move_no", "there is no entrusted move %q", no))
}

// ReceiveEntrusted brings a domestic firm's materials onto the book for an
// entrustment, held apart in its bucket (EntrustedAccount) as non-bonded
// goods the firm owns: under a gate registration that passed into the zone
// (the move names the lines), or from a cleared non-declaration list of
// the book (the list's lines, moved out of the nonbonded bucket). A gate
// registration or list carries one move only. The book's owner files;
// InnerNo is the idempotency key.
func (s *Service) ReceiveEntrusted(ctx context.Context, p access.Principal, m EntrustedMove) (EntrustedMove, error) {
	m.Kind = MoveReceipt
	return s.move(ctx, p, m)
}

// ReturnEntrusted takes products of an entrustment back to the domestic
// firm under a gate registration that passed out of the zone: the goods
// leave the entrustment's bucket (the named lot, else oldest first) and
// each line is a taxable event of the book, on its processing fee (Value)
// and, by the setting EntrustedDutiable, its share of the bonded materials
// the entrustment consumed not taxed yet. The book's owner files; InnerNo
// is the idempotency key.
func (s *Service) ReturnEntrusted(ctx context.Context, p access.Principal, m EntrustedMove) (EntrustedMove, error) {
	m.Kind = MoveReturn
	return s.move(ctx, p, m)
}

func (s *Service) move(ctx context.Context, p access.Principal, m EntrustedMove) (EntrustedMove, error) {
	m.InnerNo, m.Entrustment, m.Reference = strings.TrimSpace(m.InnerNo), strings.TrimSpace(m.Entrustment), strings.TrimSpace(m.Reference)
	if m.InnerNo == "" || len(m.InnerNo) > 64 {
		return m, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if m.Via == "" {
		m.Via = ViaGateRegistration
	}
	switch {
	case m.Via == ViaList && m.Kind == MoveReturn:
		return m, ledger.BadArgument("via", "products go back to the domestic firm under a gate registration (GATE_REGISTRATION)")
	case m.Via != ViaGateRegistration && m.Via != ViaList:
		return m, ledger.BadArgument("via", "%q: goods pass under a GATE_REGISTRATION or a LIST", m.Via)
	}
	if m.Reference == "" || len(m.Reference) > 64 {
		return m, ledger.BadArgument("reference", "name the gate registration or list that carries the goods")
	}
	if m.Via == ViaList && len(m.Lines) > 0 {
		return m, ledger.BadArgument("lines", "goods received from a list are the list's lines; name no lines")
	}
	if m.Via == ViaGateRegistration && (len(m.Lines) == 0 || len(m.Lines) > MaxReportLines) {
		return m, ledger.BadArgument("lines", "a move names 1 to %d lines", MaxReportLines)
	}
	var err error
	if m.Date, err = s.documentDate(m.Date, "move"); err != nil {
		return m, err
	}
	e, err := s.GetEntrustment(ctx, p, m.Entrustment)
	if err != nil {
		return m, err
	}
	if _, err := s.writeBook(ctx, p, e.Book); err != nil {
		return m, err
	}
	m.Book = e.Book
	// The carrier is read and checked before the transaction; passes and
	// cleared lists do not change once passed or cleared.
	switch m.Via {
	case ViaGateRegistration:
		ps, err := s.zone.GetPass(ctx, p, m.Reference)
		if err != nil {
			return m, withField(err, "reference")
		}
		io := codes.In
		if m.Kind == MoveReturn {
			io = codes.Out
		}
		if ps.Type != codes.PassGateRegistration || ps.Book != m.Book || ps.IO != io || ps.Status != zone.PassPassed {
			return m, ledger.Precondition(ReasonEntrustedReference, "reference", "pass %s is type %s, %s, of book %s, %s; name a gate registration (核放单 type 5) of book %s that passed %s the zone",
				ps.No, ps.Type, ps.IO, ps.Book, strings.ToLower(string(ps.Status)), m.Book, map[codes.IOFlag]string{codes.In: "into", codes.Out: "out of"}[io])
		}
	case ViaList:
		l, err := s.zone.GetList(ctx, p, m.Reference)
		if err != nil {
			return m, withField(err, "reference")
		}
		if l.Flow != zone.FlowNonDeclaredIn || l.Book != m.Book || l.Status != zone.ListCleared {
			return m, ledger.Precondition(ReasonEntrustedReference, "reference", "list %s is %s of book %s, %s; name a cleared non-declaration list (是否报关 2, I) of book %s",
				l.No, l.Flow, l.Book, strings.ToLower(string(l.Status)), m.Book)
		}
		for _, ln := range l.Lines {
			m.Lines = append(m.Lines, EntrustedLine{BookSeq: ln.BookSeq, Quantity: ln.DeclaredQuantity, Value: ln.CNYValue, Lots: ln.Lots})
		}
	}
	var seqs []int
	for _, l := range m.Lines {
		seqs = append(seqs, l.BookSeq)
	}
	lines, err := s.lines(ctx, p, m.Book, seqs)
	if err != nil {
		return m, err
	}
	for i, l := range m.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		bl, err := goodsLine(lines, m.Book, l.BookSeq, f+".book_seq", "a domestic firm's materials and products are goods lines")
		if err != nil {
			return m, err
		}
		if m.Via == ViaGateRegistration {
			if err := checkQuantity(l.Quantity, bl, f+".quantity", false); err != nil {
				return m, err
			}
		}
		if l.Value.IsNegative() || ledger.Places(l.Value) > ledger.ValueScale {
			return m, ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen, got %s", l.Value)
		}
		if len(l.Lot) > 64 || (l.Lot != "" && m.Kind == MoveReceipt) {
			return m, ledger.BadArgument(f+".lot", "a return may name the lot it takes, at most 64 characters; a receipt forms its lots")
		}
		if m.Via == ViaGateRegistration {
			m.Lines[i].Lots = nil
		}
		m.Lines[i].BondedValue = decimal.Zero
	}
	h := m
	h.No, h.Enterprise, h.Book, h.FiledBy, h.CreatedAt, h.InputHash, h.JournalIDs, h.Events = "", "", "", "", time.Time{}, "", nil, nil
	m.InputHash = digest(h)
	var out EntrustedMove
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j journals) error {
		old, found, err := entrustedMoveBy(ctx, tx, `enterprise = $1 AND inner_no = $2`, e.Enterprise, m.InnerNo)
		if err != nil || found {
			if err == nil && old.InputHash != m.InputHash {
				err = ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for entrusted move %s; use a new number", m.InnerNo, old.No)
			}
			out = old
			return err
		}
		if other, found, err := entrustedMoveBy(ctx, tx, `reference = $1`, m.Reference); err != nil || found {
			if err == nil {
				err = ledger.Precondition(ReasonEntrustedReference, "reference", "%s already carried the goods of entrusted move %s", m.Reference, other.No)
			}
			return err
		}
		ent, _, err := entrustmentBy(ctx, tx, `no = $1 FOR UPDATE`, e.No)
		if err != nil {
			return err
		}
		c := m
		c.Lines = append([]EntrustedLine(nil), m.Lines...)
		c.Enterprise, c.FiledBy, c.CreatedAt = ent.Enterprise, p.ID, s.clock()
		prefix := "WR"
		if c.Kind == MoveReturn {
			prefix = "WF"
		}
		if c.No, err = nextNumber(ctx, tx, prefix, c.Book, c.Date); err != nil {
			return err
		}
		req, fields := entrustedJournal(c, ent, lines)
		res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
		if err != nil {
			return err
		}
		if res[0].Err != nil {
			return refusal(res[0].Err, 0, req, fields)
		}
		c.JournalIDs = []int64{res[0].Journal.ID}
		if c.Kind == MoveReturn || c.Via == ViaGateRegistration {
			for i, pst := range res[0].Journal.Postings {
				c.Lines[i].Lots = nil
				for _, g := range pst.Legs {
					c.Lines[i].Lots = append(c.Lines[i].Lots, zone.LotQuantity{Lot: g.Lot, Quantity: g.Quantity})
				}
			}
		}
		if c.Kind == MoveReturn {
			if err := s.taxReturn(ctx, tx, &c, &ent, lines); err != nil {
				return err
			}
		}
		// The move and its entrustment are of one book (the domestic firm
		// keeps none): one change number for both.
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if c.Kind == MoveReturn {
			if _, err := tx.Exec(ctx, `UPDATE proc_entrustments SET body = $2, change_seq = $3 WHERE no = $1`, ent.No, mustJSON(ent), seq); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO proc_entrusted_moves (no, enterprise, inner_no, book, entrustment, reference, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, c.Entrustment, c.Reference, mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, dbError(err)
}

// entrustedJournal builds a move's journal: a receipt into the
// entrustment's bucket (from outside the zone, or from the nonbonded
// bucket lot by lot of the list), a return out of it to outside.
func entrustedJournal(m EntrustedMove, e Entrustment, lines map[int]zone.BookLine) (ledger.JournalRequest, []string) {
	req := ledger.JournalRequest{Book: m.Book, IdempotencyKey: "entrusted:" + m.No, EffectiveDate: m.Date,
		Document: ledger.Document{Type: DocumentEntrusted, Number: m.No}, Principal: m.FiledBy,
		Metadata: map[string]string{"kind": m.Kind, "via": m.Via, "reference": m.Reference, "entrustment": e.No, "client": e.Client}}
	bucket := ledger.In(m.Book, EntrustedAccount(e.No))
	var fields []string
	for i, l := range m.Lines {
		item := ledger.ItemRef{Book: m.Book, Code: strconv.Itoa(l.BookSeq)}
		unit := lines[l.BookSeq].DeclaredUnit
		f := fmt.Sprintf("lines[%d].quantity", i)
		switch {
		case m.Kind == MoveReturn:
			req.Postings = append(req.Postings, ledger.Posting{Item: item, From: bucket, To: ledger.World(zone.WorldOutside), Quantity: l.Quantity, Unit: unit, Lot: l.Lot})
			fields = append(fields, f)
		case m.Via == ViaList:
			for _, lot := range l.Lots {
				req.Postings = append(req.Postings, ledger.Posting{Item: item, From: ledger.In(m.Book, zone.AccountNonBonded), To: bucket, Quantity: lot.Quantity, Unit: unit, Lot: lot.Lot})
				fields = append(fields, f)
			}
		default:
			req.Postings = append(req.Postings, ledger.Posting{Item: item, From: ledger.World(zone.WorldOutside), To: bucket, Quantity: l.Quantity, Unit: unit, Value: l.Value,
				Lot: m.No + "-" + strconv.Itoa(i+1), LotAttributes: map[string]string{"flow": FlowEntrusted, "entrustment": e.No, "owner": e.Client,
					"source_document": m.No, "entry_date": ledger.FormatDate(m.Date), "enterprise": e.Enterprise}})
			fields = append(fields, f)
		}
	}
	return req, fields
}

// taxReturn records a return's taxable events, one per line: a domestic
// sale of the products in their own state (their line's HS code), on the
// line's processing fee plus, by the setting, its share of the bonded
// materials the entrustment consumed not taxed yet. The untaxed bonded
// value is shared among the lines in proportion to their fees, each share
// rounded to the fen and the last taking the remainder (equally by line
// when every fee is zero); it is taxed once.
func (s *Service) taxReturn(ctx context.Context, tx pgx.Tx, m *EntrustedMove, e *Entrustment, lines map[int]zone.BookLine) error {
	untaxed := decimal.Zero
	if s.set.EntrustedDutiable == DutiableFeeAndMaterials {
		untaxed = e.BondedValue.Sub(e.BondedTaxed)
	}
	fees := decimal.Zero
	for _, l := range m.Lines {
		fees = fees.Add(l.Value)
	}
	weight := func(i int) decimal.Decimal {
		if fees.IsZero() {
			return decimal.NewFromInt(1)
		}
		return m.Lines[i].Value
	}
	whole := fees
	if fees.IsZero() {
		whole = decimal.NewFromInt(int64(len(m.Lines)))
	}
	upTo, prev := decimal.Zero, decimal.Zero
	m.Events = nil
	for i, l := range m.Lines {
		upTo = upTo.Add(weight(i))
		cum := untaxed
		if i < len(m.Lines)-1 {
			cum = untaxed.Mul(upTo).DivRound(whole, ledger.ValueScale)
		}
		share := cum.Sub(prev)
		prev = cum
		m.Lines[i].BondedValue = share
		bl := lines[l.BookSeq]
		ev := zone.TaxableEvent{Book: m.Book, Enterprise: m.Enterprise, ListNo: m.No, ListSeq: i + 1, BookSeq: l.BookSeq, HSCode: bl.HSCode,
			Quantity: l.Quantity, Unit: bl.DeclaredUnit, LegalQuantity: l.Quantity.Mul(bl.Legal.Factor), LegalUnit: bl.Legal.Unit,
			DutiableValue: l.Value.Add(share), GoodsCategory: codes.CategoryFinished, Date: m.Date, TaxDate: m.Date}
		got, err := s.zone.RecordTaxableEvent(ctx, tx, ev, "entrusted-return:"+m.No+":"+strconv.Itoa(i+1))
		if err != nil {
			return err
		}
		m.Events = append(m.Events, got.ID)
	}
	e.BondedTaxed = e.BondedTaxed.Add(untaxed)
	return nil
}

// entrustmentFor locks the entrustment a report is filed for and checks
// it is of the report's book.
func entrustmentFor(ctx context.Context, tx pgx.Tx, r Report) (Entrustment, error) {
	e, found, err := entrustmentBy(ctx, tx, `no = $1 FOR UPDATE`, r.Entrustment)
	if err != nil {
		return e, err
	}
	if !found || e.Enterprise != r.Enterprise {
		return e, ledger.NotFound(zone.ReasonUnknownDocument, "entrustment", "there is no entrustment %q", r.Entrustment)
	}
	if e.Book != r.Book {
		return e, ledger.BadArgument("entrustment", "entrustment %s is on book %s; file its reports on that book", e.No, e.Book)
	}
	return e, nil
}

func entrustmentBy(ctx context.Context, q querier, where string, args ...any) (Entrustment, bool, error) {
	return documentBy[Entrustment](ctx, q, "proc_entrustments", where, args...)
}

func entrustedMoveBy(ctx context.Context, q querier, where string, args ...any) (EntrustedMove, bool, error) {
	return documentBy[EntrustedMove](ctx, q, "proc_entrusted_moves", where, args...)
}

// addBondedValue adds to a report's entrustment the carrying value of the
// bonded materials the report consumed (the legs of its postings out of
// the bonded bucket) and names the report on it.
func addBondedValue(ctx context.Context, tx pgx.Tx, r Report, req ledger.JournalRequest, postings []ledger.Posting) error {
	e, err := entrustmentFor(ctx, tx, r)
	if err != nil {
		return err
	}
	for i, pst := range postings {
		if req.Postings[i].From.Name != zone.AccountBonded {
			continue
		}
		for _, g := range pst.Legs {
			e.BondedValue = e.BondedValue.Add(g.Value)
		}
	}
	e.Reports = append(e.Reports, r.No)
	seq, err := zone.TakeChange(ctx, tx, e.Book)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE proc_entrustments SET body = $2, change_seq = $3 WHERE no = $1`, e.No, mustJSON(e), seq)
	return err
}
