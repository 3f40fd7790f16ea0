package zone

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
)

// Lot flows that count as entered from abroad for a certificate of
// non-manipulation.
var fromAbroad = map[string]bool{string(FlowFirstLineIn): true, string(FlowEnterFirst): true}

// Lot marks.
const markConsumed = "consumed"

// ReportConsumption books goods consumed in the zone — simple processing,
// R&D use (研发耗用, written off by actual use), production — and what was
// produced from them. Consumed goods leave the bonded stock (FIFO unless a
// lot is named) and their lots are marked: goods of a marked lot can no
// longer get a certificate of non-manipulation. Produced goods form new lots
// that did not enter from abroad. InnerNo is the idempotency key.
func (s *Service) ReportConsumption(ctx context.Context, p access.Principal, r ConsumptionReport) (ConsumptionReport, error) {
	r.InnerNo, r.Book = strings.TrimSpace(r.InnerNo), strings.TrimSpace(r.Book)
	if r.InnerNo == "" || len(r.InnerNo) > 64 {
		return r, ledger.BadArgument("inner_no", "the enterprise's own report number is required, at most 64 characters")
	}
	if len(r.Consumed) == 0 || len(r.Consumed)+len(r.Produced) > MaxLinesPerDoc {
		return r, ledger.BadArgument("consumed", "a report consumes 1 to %d lines", MaxLinesPerDoc)
	}
	if r.Date.IsZero() {
		r.Date = s.today()
	}
	if err := s.checkBusinessDate("date", r.Date, 0); err != nil {
		return r, err
	}
	for i, c := range r.Consumed {
		if !c.Quantity.IsPositive() {
			return r, ledger.Invalid(ledger.ReasonNonPositiveQuantity, fmt.Sprintf("consumed[%d].quantity", i), "must be > 0")
		}
	}
	for i, c := range r.Produced {
		if !c.Quantity.IsPositive() {
			return r, ledger.Invalid(ledger.ReasonNonPositiveQuantity, fmt.Sprintf("produced[%d].quantity", i), "must be > 0")
		}
		if c.Value.IsNegative() || ledger.Places(c.Value) > 2 {
			return r, ledger.BadArgument(fmt.Sprintf("produced[%d].value", i), "must be >= 0 CNY to the fen")
		}
	}
	h := r
	h.No, h.Enterprise, h.FiledBy, h.CreatedAt, h.JournalID, h.InputHash = "", "", "", time.Time{}, 0, ""
	r.InputHash = digest(h)
	var no string
	err := s.change(ctx, func(tx pgx.Tx) (*intent, error) {
		b, err := filingBook(ctx, tx, p, r.Book)
		if err != nil {
			return nil, err
		}
		c := r
		old, found, err := refiled[ConsumptionReport](ctx, tx, kindReport, b.Enterprise, r.InnerNo, r.InputHash, "consumption report")
		if err != nil {
			return nil, err
		}
		if found {
			no = old.No
			if old.JournalID != 0 {
				return nil, nil
			}
			c = old // booked before and refused: try again
		} else {
			c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
			if c.No, err = documentNumber(ctx, tx, "HX", b.CustomsOffice, s.today(), "C"); err != nil {
				return nil, err
			}
			no = c.No
			if err := insertDoc(ctx, tx, docRow{kind: kindReport, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: "FILED"}, c, c.CreatedAt); err != nil {
				return nil, err
			}
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: c.No + ":book", EffectiveDate: c.Date,
			Document: ledger.Document{Type: "CONSUMPTION", Number: c.No}, Principal: p.ID, Metadata: map[string]string{"purpose": c.Purpose}}
		in := &intent{ID: req.IdempotencyKey, Kind: intentConsumption, Docs: []string{kindReport + ":" + c.No}, Actor: p.ID, Date: c.Date}
		for i, cl := range c.Consumed {
			f := fmt.Sprintf("consumed[%d]", i)
			bl, err := loadLine(ctx, tx, c.Book, cl.BookSeq)
			if err != nil {
				return nil, withField(err, f+".book_seq")
			}
			q, err := bl.toDeclared(cl.Quantity, cl.Unit, f)
			if err != nil {
				return nil, err
			}
			req.Postings = append(req.Postings, posting(c.Book, cl.BookSeq, AccountBonded, WorldConsumed, q, cl.Lot, bl.DeclaredUnit))
			in.Fields = append(in.Fields, f+".quantity")
		}
		for i, pl := range c.Produced {
			f := fmt.Sprintf("produced[%d]", i)
			bl, err := loadLine(ctx, tx, c.Book, pl.BookSeq)
			if err != nil {
				return nil, withField(err, f+".book_seq")
			}
			q, err := bl.toDeclared(pl.Quantity, pl.Unit, f)
			if err != nil {
				return nil, err
			}
			pst := posting(c.Book, pl.BookSeq, WorldProduction, AccountBonded, q, c.No+"-"+strconv.Itoa(i+1), bl.DeclaredUnit)
			pst.Value = pl.Value
			pst.LotAttributes = map[string]string{"flow": "PRODUCED", "source_report": c.No, "entry_date": ledger.FormatDate(c.Date), "enterprise": c.Enterprise}
			req.Postings = append(req.Postings, pst)
			in.Fields = append(in.Fields, f+".quantity")
		}
		in.Post = &req
		return in, nil
	})
	if err != nil {
		return r, err
	}
	var out ConsumptionReport
	if _, err := getDoc(ctx, s.pool, kindReport, no, false, &out); err != nil {
		return out, dbError(err)
	}
	return out, nil
}

func (s *Service) finishConsumption(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	_, no, _ := strings.Cut(in.Docs[0], ":")
	var r ConsumptionReport
	if _, err := getDoc(ctx, tx, kindReport, no, true, &r); err != nil {
		return err
	}
	for i := range r.Consumed {
		r.Consumed[i].Lots = legsOf(j.Postings[i])
		for _, lot := range r.Consumed[i].Lots {
			if _, err := tx.Exec(ctx, `INSERT INTO zone_lot_marks (book, seq, lot, mark, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
				r.Book, r.Consumed[i].BookSeq, lot.Lot, markConsumed, r.No); err != nil {
				return err
			}
		}
	}
	r.JournalID = j.ID
	return updateDoc(ctx, tx, kindReport, r.No, "BOOKED", r)
}

// RequestCertificate issues a certificate of non-manipulation (未再加工证明)
// for the goods a cleared first-line exit list shipped abroad. It is issued
// only when every lot shipped entered the zone from abroad (一线入区 or
// 先入区后报关) and none of its goods was consumed, processed or mixed into
// production (see ReportConsumption); it lists the entry documents. The
// enterprise that filed the list or customs may ask; asking again returns
// the certificate issued.
func (s *Service) RequestCertificate(ctx context.Context, p access.Principal, listNo string) (Certificate, error) {
	var l List
	if _, err := getDoc(ctx, s.pool, kindList, listNo, false, &l); err != nil {
		return Certificate{}, dbError(listNotFound(err, listNo))
	}
	if p.Role != access.RoleCustoms {
		if err := canFileHidden(p, l.Enterprise, listNotFound(docNotFound(kindList, listNo), listNo)); err != nil {
			return Certificate{}, err
		}
	}
	var old Certificate
	if found, err := getDocByInner(ctx, s.pool, kindCert, l.Enterprise, l.No, &old); err != nil {
		return old, dbError(err)
	} else if found {
		return old, nil
	}
	if l.Flow != FlowFirstLineOut {
		return Certificate{}, ledger.Precondition(ReasonCertificateRefused, "list_no", "list %s is %s; a certificate covers goods leaving abroad (一线出区)", l.No, l.Flow)
	}
	if l.Status != ListCleared {
		return Certificate{}, ledger.Precondition(ReasonWrongStatus, "list_no", "list %s is %s; the certificate is issued once the goods have left", l.No, strings.ToLower(string(l.Status)))
	}
	cert := Certificate{ListNo: l.No, Enterprise: l.Enterprise, Book: l.Book}
	for _, ln := range l.Lines {
		lots, err := s.ledger.Lots(ctx, ledger.ItemRef{Book: l.Book, Code: strconv.Itoa(ln.BookSeq)})
		if err != nil {
			return Certificate{}, err
		}
		meta := map[string]ledger.Lot{}
		for _, lot := range lots {
			meta[lot.Key] = lot
		}
		for _, lq := range ln.Lots {
			lot, ok := meta[lq.Lot]
			if !ok {
				return Certificate{}, ledger.Precondition(ReasonCertificateRefused, "list_no", "lot %s of line %d has no entry record", lq.Lot, ln.Seq)
			}
			flow := lot.Attributes["flow"]
			if !fromAbroad[flow] {
				return Certificate{}, ledger.Precondition(ReasonCertificateRefused, "list_no", "lot %s of book line %d entered the zone as %s, not from abroad; a certificate needs goods that entered from abroad and only passed through", lq.Lot, ln.BookSeq, describeFlow(flow))
			}
			var source string
			err := s.pool.QueryRow(ctx, `SELECT source FROM zone_lot_marks WHERE book = $1 AND seq = $2 AND lot = $3 ORDER BY source LIMIT 1`, l.Book, ln.BookSeq, lq.Lot).Scan(&source)
			if err == nil {
				return Certificate{}, ledger.Precondition(ReasonCertificateRefused, "list_no", "goods of lot %s (book line %d) were consumed or processed in the zone (report %s); a certificate covers goods that only passed through", lq.Lot, ln.BookSeq, source)
			}
			if err != pgx.ErrNoRows {
				return Certificate{}, dbError(err)
			}
			entry := lot.Attributes["source_list"]
			if entry == "" {
				entry = lot.Attributes["source_pass"]
			}
			cert.Lots = append(cert.Lots, CertifiedLot{BookSeq: ln.BookSeq, Lot: lq.Lot, Quantity: lq.Quantity, EntryListNo: entry, EntryDate: lot.EntryDate, Country: lot.Attributes["country"]})
		}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var again Certificate
		if found, err := getDocByInner(ctx, tx, kindCert, l.Enterprise, l.No, &again); err != nil || found {
			cert = again
			return err
		}
		b, err := loadBook(ctx, tx, l.Book)
		if err != nil {
			return err
		}
		c := cert
		c.IssuedAt = s.clock()
		if c.No, err = documentNumber(ctx, tx, "WZ", b.CustomsOffice, s.today(), "E"); err != nil {
			return err
		}
		cert = c
		return insertDoc(ctx, tx, docRow{kind: kindCert, no: c.No, enterprise: c.Enterprise, innerNo: l.No, book: c.Book, status: "ISSUED"}, c, c.IssuedAt)
	})
	return cert, err
}

func describeFlow(flow string) string {
	switch flow {
	case "PRODUCED":
		return "goods produced in the zone"
	case "":
		return "an unrecorded flow"
	}
	return flow
}

// StockReport shows a book's quantities per line and status — bonded
// (available and reserved), non-bonded, in the 待检区, entered and not yet
// declared — as of the end of a day, or now when asOf is nil.
func (s *Service) StockReport(ctx context.Context, p access.Principal, book string, asOf *time.Time) ([]StockLine, error) {
	b, err := loadBook(ctx, s.pool, book)
	if err != nil {
		return nil, dbError(err)
	}
	if err := HideFrom(p, b.Enterprise, bookNotFound(book)); err != nil {
		return nil, err
	}
	hs, err := s.ledger.Balances(ctx, ledger.BalanceQuery{Book: book, AsOf: asOf})
	if err != nil {
		return nil, err
	}
	lines := map[int]*StockLine{}
	var order []int
	after := 0
	for {
		page, err := s.ListBookLines(ctx, p, book, after, MaxPage)
		if err != nil {
			return nil, err
		}
		for _, l := range page {
			lines[l.Seq] = &StockLine{BookSeq: l.Seq, Name: l.Name, Unit: l.DeclaredUnit}
			order = append(order, l.Seq)
			after = l.Seq
		}
		if len(page) < MaxPage {
			break
		}
	}
	for _, h := range hs {
		seq, err := strconv.Atoi(h.Item.Code)
		if err != nil || lines[seq] == nil {
			continue
		}
		sl := lines[seq]
		switch h.Account.Name {
		case AccountBonded:
			sl.Available = sl.Available.Add(h.Quantity)
		case AccountReserved:
			sl.Reserved = sl.Reserved.Add(h.Quantity)
		case AccountNonBonded:
			sl.NonBonded = sl.NonBonded.Add(h.Quantity)
		case AccountNonBondedReserved:
			sl.NonBonded = sl.NonBonded.Add(h.Quantity)
			sl.NonBondedReserved = sl.NonBondedReserved.Add(h.Quantity)
		case AccountInspection:
			sl.Inspection = sl.Inspection.Add(h.Quantity)
		case AccountEntered:
			sl.Undeclared = sl.Undeclared.Add(h.Quantity)
		case AccountDisplay:
			sl.Display = sl.Display.Add(h.Quantity)
		case AccountOutZone:
			sl.OutZone = sl.OutZone.Add(h.Quantity)
		}
	}
	out := make([]StockLine, 0, len(order))
	for _, seq := range order {
		sl := lines[seq]
		sl.Bonded = sl.Available.Add(sl.Reserved).Add(sl.Display).Add(sl.OutZone)
		out = append(out, *sl)
	}
	return out, nil
}

// MarkLotsConsumed marks lots of a book line whose goods were consumed or
// processed in the zone by document source (a production report): goods
// of a marked lot get no certificate of non-manipulation. It writes in
// tx, the caller's transaction of the ledger's seam, so the marks commit
// with the journal that consumed the goods.
func (s *Service) MarkLotsConsumed(ctx context.Context, tx pgx.Tx, book string, seq int, lots []string, source string) error {
	for _, lot := range lots {
		if _, err := tx.Exec(ctx, `INSERT INTO zone_lot_marks (book, seq, lot, mark, source) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			book, seq, lot, markConsumed, source); err != nil {
			return err
		}
	}
	return nil
}
