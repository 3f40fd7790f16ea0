package repair

import (
	"context"
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

// DocumentParts is the ledger document type of repair parts taken in.
const DocumentParts = "REPAIR_PARTS"

// PartsIntake is repair parts (维修用料件) of one line of an inbound list
// taken from the bonded bucket into the parts section: bonded parts
// (OriginAbroad) from a first-line list, domestic parts (OriginDomestic)
// from a second-line list.
type PartsIntake struct {
	// No is the zone's number: "LJ" + book + 2-digit year + 7 digits.
	No string
	// InnerNo is the enterprise's own number: the idempotency key.
	InnerNo    string
	Enterprise string
	Book       string
	List       string
	BookSeq    int
	Quantity   decimal.Decimal
	// Origin and Lot are derived from the list.
	Origin    Origin
	Lot       string
	Date      time.Time
	JournalID int64
	FiledBy   string
	CreatedAt time.Time
	InputHash string
}

// ReceiveParts takes repair parts into the parts section of their origin,
// in one transaction with the record. The book's owner enterprise files;
// InnerNo is the idempotency key.
func (s *Service) ReceiveParts(ctx context.Context, p access.Principal, in PartsIntake) (PartsIntake, error) {
	in.InnerNo, in.Book, in.List = strings.TrimSpace(in.InnerNo), strings.TrimSpace(in.Book), strings.TrimSpace(in.List)
	if in.InnerNo == "" || len(in.InnerNo) > 64 {
		return in, ledger.BadArgument("inner_no", "the enterprise's own number is required, at most 64 characters")
	}
	if !in.Quantity.IsPositive() {
		return in, ledger.BadArgument("quantity", "must be > 0, got %s", in.Quantity)
	}
	var err error
	if in.Date, err = ledger.BusinessDate(in.Date, s.today(), "a parts intake"); err != nil {
		return in, err
	}
	b, err := s.writeBook(ctx, p, in.Book)
	if err != nil {
		return in, err
	}
	if b.Kind != codes.BookRepair {
		return in, notRepairBook(b.No, "book_no")
	}
	l, err := s.zone.GetList(ctx, p, in.List)
	if err != nil {
		return in, withField(err, "list_no")
	}
	o := Order{Book: in.Book, BookSeq: in.BookSeq}
	if err := intake(&o, l); err != nil {
		return in, err
	}
	in.Origin, in.Lot = o.Origin, o.Lot
	lines, err := s.allLines(ctx, p, in.Book)
	if err != nil {
		return in, err
	}
	var unit string
	for _, bl := range lines {
		if bl.Seq == in.BookSeq {
			unit = bl.DeclaredUnit
			if ledger.Places(in.Quantity) > bl.Scale {
				return in, ledger.Invalid(ledger.ReasonTooManyDecimals, "quantity", "line %d takes at most %d decimal places", bl.Seq, bl.Scale)
			}
		}
	}
	if _, err := s.ledger.AddBookAccounts(ctx, in.Book, Accounts()); err != nil {
		return in, err
	}
	h := in
	h.No, h.Enterprise, h.JournalID, h.FiledBy, h.CreatedAt, h.InputHash = "", "", 0, "", time.Time{}, ""
	in.InputHash = digest(h)
	var out PartsIntake
	err = s.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		var body string
		err := tx.QueryRow(ctx, `SELECT body FROM rep_parts WHERE enterprise = $1 AND inner_no = $2`, b.Enterprise, in.InnerNo).Scan(&body)
		if err == nil {
			if err := jsonUnmarshal(body, &out); err != nil {
				return err
			}
			if out.InputHash != in.InputHash {
				return ledger.Conflict(zone.ReasonDuplicateDocument, "inner_no", "number %s was already used for parts intake %s; use a new number", in.InnerNo, out.No)
			}
			return nil
		}
		if !isNoRows(err) {
			return err
		}
		c := in
		c.Enterprise, c.FiledBy, c.CreatedAt = b.Enterprise, p.ID, s.clock()
		if c.No, err = nextNumber(ctx, tx, "LJ", c.Book, c.Date); err != nil {
			return err
		}
		req := ledger.JournalRequest{Book: c.Book, IdempotencyKey: "repair-parts:" + c.No, EffectiveDate: c.Date,
			Document: ledger.Document{Type: DocumentParts, Number: c.No}, Principal: p.ID,
			Metadata: map[string]string{"list": c.List, "origin": string(c.Origin)},
			Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: c.Book, Code: strconv.Itoa(c.BookSeq)},
				From: ledger.In(c.Book, zone.AccountBonded), To: ledger.In(c.Book, Account(SectionParts, c.Origin)), Quantity: c.Quantity, Unit: unit, Lot: c.Lot}}}
		res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
		if err != nil {
			return err
		}
		if res[0].Err != nil {
			return refusal(res[0].Err, "quantity")
		}
		c.JournalID = res[0].Journal.ID
		seq, err := zone.TakeChange(ctx, tx, c.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rep_parts (no, enterprise, inner_no, book, body, created_at, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			c.No, c.Enterprise, c.InnerNo, c.Book, mustJSON(c), c.CreatedAt, seq); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}
