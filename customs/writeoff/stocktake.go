package writeoff

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// The world accounts a stocktake posts to: a shortage's goods leave the
// book to WorldShortage, an approved surplus's enter it from WorldSurplus.
const (
	WorldShortage = "stocktake-shortage"
	WorldSurplus  = "stocktake-surplus"
)

// DocumentStocktake is the ledger document type of a stocktake's journals.
const DocumentStocktake = "STOCKTAKE"

// ShortageTradeMode is the trade mode a shortage's taxable event carries:
// goods lost in the zone are taxed as general-trade imports (一般贸易,
// Order 256, customs-reference §0).
const ShortageTradeMode = "0110"

// StocktakeStatus is where a stocktake is.
type StocktakeStatus string

// The stocktake statuses.
const (
	// StocktakeNotified: customs was told of the stocktake; nothing counted.
	StocktakeNotified StocktakeStatus = "NOTIFIED"
	// StocktakeCounted: the count is in, the differences are out, the
	// shortages left the book and were taxed.
	StocktakeCounted StocktakeStatus = "COUNTED"
	// StocktakeClosed: the write-off closed: the period and its evidence
	// are sealed through the stocktake date, which is the book's last
	// write-off date.
	StocktakeClosed StocktakeStatus = "CLOSED"
)

// CountStatus is the status goods are counted in.
type CountStatus string

// The count statuses: goods physically in the zone, bonded or not.
const (
	// CountBonded compares with the book's bonded goods in the zone
	// (available and reserved: the accounts bonded and reserved).
	CountBonded CountStatus = "BONDED"
	// CountNonBonded compares with the co-stored non-bonded goods
	// (nonbonded and nonbonded-reserved).
	CountNonBonded CountStatus = "NONBONDED"
)

// countAccounts are the book accounts a count status compares with; the first
// is the one a shortage leaves from and a surplus enters.
var countAccounts = map[CountStatus][]string{
	CountBonded:    {zone.AccountBonded, zone.AccountReserved},
	CountNonBonded: {zone.AccountNonBonded, zone.AccountNonBondedReserved},
}

// Decision is customs' decision on a surplus.
type Decision string

// The decisions.
const (
	DecisionApproved Decision = "APPROVED"
	DecisionRejected Decision = "REJECTED"
)

// Stocktake is a write-off stocktake (核销盘点) of a book: the notice, the
// count, the differences and the close.
type Stocktake struct {
	// No is the zone's number: "PD" + book + 3 digits.
	No string
	// InnerNo is the enterprise's own number of the notice: the
	// idempotency key of NotifyStocktake.
	InnerNo    string
	Book       string
	Enterprise string
	// Date is the stocktake date: the book's balances as of its end are
	// what the count is compared with, and the write-off closes through it.
	Date time.Time
	// NotifiedOn is the zone's business date the notice was given.
	NotifiedOn time.Time
	Status     StocktakeStatus
	// CountKey is the idempotency key the count was imported with.
	CountKey string `json:",omitempty"`
	// Counts are the rows counted, as imported.
	Counts []Count `json:",omitempty"`
	// Differences are the (line, status) pairs whose count differs from
	// the book, by line then status.
	Differences []Difference `json:",omitempty"`
	// ShortageJournals are the journals that took the shortages off the
	// book, in line order, at most ledger.MaxPostings shortages each.
	ShortageJournals []int64 `json:",omitempty"`
	// Digest is the ledger's digest (hex) of the sealed period that covers
	// the stocktake date, once closed.
	Digest string `json:",omitempty"`
	// EvidenceDigest is the evidence digest (hex, customs/evidence) of
	// that period, once closed: what `zonectl verify` recomputes from the
	// period's export. EvidenceThrough is the period's last day: the
	// stocktake date, or a later day when the book was sealed past it
	// before the write-off closed.
	EvidenceDigest  string    `json:",omitempty"`
	EvidenceThrough time.Time `json:",omitzero"`
	ClosedBy        string    `json:",omitempty"`
	FiledBy         string
	// CountedBy is who imported the count.
	CountedBy string `json:",omitempty"`
}

// Count is one row of a count: the goods of a book line in a status.
type Count struct {
	// Row is the row of the count file it came from (the header is row 1),
	// or its position from 1 when counts are sent as rows.
	Row      int
	BookSeq  int
	Status   CountStatus
	Quantity decimal.Decimal
}

// Difference is a (line, status) whose count differs from the book as of
// the stocktake date: Counted − Booked; below zero a shortage (盘亏),
// above a surplus (盘盈).
type Difference struct {
	BookSeq    int
	Status     CountStatus
	Name       string
	Unit       string
	Booked     decimal.Decimal
	Counted    decimal.Decimal
	Difference decimal.Decimal
	// Value is the carrying value of a shortage's goods, as they left the
	// book, or the value an approved surplus entered with.
	Value decimal.Decimal
	// TaxEvent is the taxable event of a bonded shortage (zero for a
	// non-bonded one, which is not taxed), Tax its total to the fen,
	// Duty, VAT, ConsumptionTax and Interest its parts; DutyBasis is
	// MATERIALS when its duty was computed on the good's materials.
	TaxEvent       int64           `json:",omitempty"`
	Tax            decimal.Decimal `json:",omitempty"`
	Duty           decimal.Decimal `json:",omitempty"`
	VAT            decimal.Decimal `json:",omitempty"`
	ConsumptionTax decimal.Decimal `json:",omitempty"`
	Interest       decimal.Decimal `json:",omitempty"`
	DutyBasis      string          `json:",omitempty"`
	// AssessError says why the engine could not tax the shortage.
	AssessError string `json:",omitempty"`
	// Payment is the self-payment (自报自缴) customs recorded.
	Payment *Payment `json:",omitempty"`
	// Explanation is the enterprise's explanation of a surplus; Decision,
	// DecidedBy and Note customs' decision; Journal the surplus's
	// adjustment journal once approved.
	Explanation string   `json:",omitempty"`
	Decision    Decision `json:",omitempty"`
	DecidedBy   string   `json:",omitempty"`
	Note        string   `json:",omitempty"`
	Journal     int64    `json:",omitempty"`
}

// Shortage reports whether the difference is a shortage (盘亏).
func (d Difference) Shortage() bool { return d.Difference.IsNegative() }

// Surplus reports whether the difference is a surplus (盘盈).
func (d Difference) Surplus() bool { return d.Difference.IsPositive() }

// Settled reports whether nothing more is owed on the difference: a
// shortage taxed and paid (or a non-bonded one), a surplus decided.
func (d Difference) Settled() bool {
	switch {
	case d.Shortage():
		return d.TaxEvent == 0 || d.Payment != nil
	case d.Surplus():
		return d.Decision != ""
	}
	return true
}

// Payment is a shortage's tax self-payment (自报自缴), as customs records it.
type Payment struct {
	// No is the payment number (税款缴款书号 / 支付单号).
	No     string
	Amount decimal.Decimal
	Date   time.Time
	// RecordedBy is the customs principal who recorded it.
	RecordedBy string
}

// NotifyStocktake gives customs notice of a stocktake of a book on date
// (核销盘点前告知海关). The book's owner enterprise notifies, at least
// NoticeLeadDays before the date, once the book has a cycle with a start;
// the date lies after the book's last write-off date and no other
// stocktake of the book is open. innerNo is the enterprise's own number:
// notifying again with it returns the same stocktake.
func (c *Cycles) NotifyStocktake(ctx context.Context, p access.Principal, book, innerNo string, date time.Time) (Stocktake, error) {
	b, err := c.ownerBook(ctx, p, book, "notify a stocktake")
	if err != nil {
		return Stocktake{}, err
	}
	if innerNo == "" || len(innerNo) > 64 {
		return Stocktake{}, ledger.BadArgument("inner_no", "give the notice's own number, 1 to 64 characters: it makes a retry safe")
	}
	if date.IsZero() {
		return Stocktake{}, ledger.BadArgument("date", "give the stocktake date, YYYY-MM-DD")
	}
	date = ledger.Day(date)
	today := c.today()
	var out Stocktake
	err = c.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		if st, found, err := stocktakeBy(ctx, tx, `book = $1 AND inner_no = $2`, book, innerNo); err != nil || found {
			if found && !st.Date.Equal(date) {
				return ledger.Conflict(ledger.ReasonIdempotencyMismatch, "inner_no",
					"notice %s already notified stocktake %s for %s; give a new number for another date", innerNo, st.No, ledger.FormatDate(st.Date))
			}
			out = st
			return err
		}
		cy, found, err := loadCycle(ctx, tx, book)
		if err != nil {
			return err
		}
		if !found || cy.Start.IsZero() || cy.Months == 0 {
			return ledger.Precondition(ReasonCycleNotSet, "book_no", "book %s has no write-off cycle with a start; its enterprise sets the months (SetCycle) and customs the start (SetCycleStart) before a stocktake", book)
		}
		if lead := date.AddDate(0, 0, -c.set.NoticeLeadDays); today.After(lead) {
			return ledger.Invalid(ReasonNoNotice, "date", "a stocktake on %s must be notified by %s (%d day(s) before, writeoff.notice_lead_days); today is %s: notify a later date",
				ledger.FormatDate(date), ledger.FormatDate(lead), c.set.NoticeLeadDays, ledger.FormatDate(today))
		}
		if date.Before(cy.Start) {
			return ledger.BadArgument("date", "%s is before the cycle's start, %s", ledger.FormatDate(date), ledger.FormatDate(cy.Start))
		}
		if w := b.LastWriteOffDate; !w.IsZero() && !date.After(w) {
			return ledger.BadArgument("date", "%s is not after the book's last write-off date, %s", ledger.FormatDate(date), ledger.FormatDate(w))
		}
		var open string
		err = tx.QueryRow(ctx, `SELECT no FROM writeoff_stocktakes WHERE book = $1 AND status <> $2 LIMIT 1`, book, string(StocktakeClosed)).Scan(&open)
		if err == nil {
			return ledger.Precondition(ReasonStocktakeState, "book_no", "stocktake %s of book %s is still open; close its write-off before notifying another", open, book)
		}
		if err != pgx.ErrNoRows {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM writeoff_stocktakes WHERE book = $1`, book).Scan(&n); err != nil {
			return err
		}
		st := Stocktake{No: fmt.Sprintf("PD%s%03d", book, n+1), InnerNo: innerNo, Book: book, Enterprise: b.Enterprise,
			Date: date, NotifiedOn: today, Status: StocktakeNotified, FiledBy: p.ID}
		seq, err := zone.TakeChange(ctx, tx, st.Book)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO writeoff_stocktakes (no, book, enterprise, inner_no, status, stocktake_date, body, change_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			st.No, st.Book, st.Enterprise, st.InnerNo, string(st.Status), st.Date, cycleJSON(st), seq); err != nil {
			return err
		}
		out = st
		return nil
	})
	return out, err
}

// GetStocktake returns a stocktake with its counts and differences; the
// book's owner and customs read it.
func (c *Cycles) GetStocktake(ctx context.Context, p access.Principal, no string) (Stocktake, error) {
	st, found, err := stocktakeBy(ctx, c.pool, `no = $1`, no)
	if err != nil {
		return Stocktake{}, cycleDBError(err)
	}
	missing := ledger.NotFound(zone.ReasonUnknownDocument, "stocktake_no", "there is no stocktake %q", no)
	if !found {
		return Stocktake{}, missing
	}
	if err := zone.HideFrom(p, st.Enterprise, missing); err != nil {
		return Stocktake{}, err
	}
	return st, nil
}

// ListStocktakes pages a book's stocktakes in number order (oldest
// first), after the number after, at most limit (1 to zone.MaxPage); the
// book's owner and customs read them.
func (c *Cycles) ListStocktakes(ctx context.Context, p access.Principal, book, after string, limit int) ([]Stocktake, error) {
	if _, err := c.readBook(ctx, p, book); err != nil {
		return nil, err
	}
	if limit < 1 || limit > zone.MaxPage {
		limit = zone.MaxPage
	}
	rows, err := c.pool.Query(ctx, `SELECT body FROM writeoff_stocktakes WHERE book = $1 AND no > $2 ORDER BY no LIMIT $3`, book, after, limit)
	if err != nil {
		return nil, cycleDBError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Stocktake, error) {
		var body string
		if err := r.Scan(&body); err != nil {
			return Stocktake{}, err
		}
		var st Stocktake
		return st, json.Unmarshal([]byte(body), &st)
	})
	return out, cycleDBError(err)
}

// ListDifferences returns a stocktake's differences, by line then status.
func (c *Cycles) ListDifferences(ctx context.Context, p access.Principal, no string) ([]Difference, error) {
	st, err := c.GetStocktake(ctx, p, no)
	if err != nil {
		return nil, err
	}
	if st.Status == StocktakeNotified {
		return nil, ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s is not counted yet; its enterprise imports the count (ImportStocktake)", no)
	}
	return st.Differences, nil
}

func stocktakeBy(ctx context.Context, q cycleQuerier, where string, args ...any) (Stocktake, bool, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM writeoff_stocktakes WHERE `+where+` FOR UPDATE`, args...).Scan(&body)
	if err == pgx.ErrNoRows {
		return Stocktake{}, false, nil
	}
	if err != nil {
		return Stocktake{}, false, err
	}
	var st Stocktake
	return st, true, json.Unmarshal([]byte(body), &st)
}

func saveStocktake(ctx context.Context, tx pgx.Tx, st Stocktake) error {
	seq, err := zone.TakeChange(ctx, tx, st.Book)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE writeoff_stocktakes SET status = $2, body = $3, change_seq = $4 WHERE no = $1`, st.No, string(st.Status), cycleJSON(st), seq)
	return err
}

// ImportStocktake stores the physical count of a notified stocktake and
// works out the differences per line and status against the book's
// balances as of the stocktake date; a (line, status) the count leaves
// out counts zero. In the same transaction every shortage leaves the book
// (journals of at most ledger.MaxPostings postings, from bonded or nonbonded to the world account
// stocktake-shortage, on the stocktake date) and each bonded shortage is
// taxed through the tax engine as a taxable event of the zone: by
// materials with 缓税利息 when the book's enterprise processed the good
// (CycleSettings.ShortageByMaterials), else on its actual state. The
// book's owner imports, on or after the stocktake date; key makes a retry
// safe (the same key with the same rows returns the stocktake). A bad row
// is refused with reason ReasonCountFile naming its row and column, and
// nothing is stored.
func (c *Cycles) ImportStocktake(ctx context.Context, p access.Principal, no, key string, counts []Count) (Stocktake, error) {
	st, err := c.GetStocktake(ctx, p, no)
	if err != nil {
		return st, err
	}
	b, err := c.ownerBook(ctx, p, st.Book, "import a count")
	if err != nil {
		return Stocktake{}, cycleWithField(err, "stocktake_no")
	}
	if key == "" || len(key) > ledger.MaxKeyLength {
		return Stocktake{}, ledger.BadArgument("idempotency_key", "is required, at most %d bytes", ledger.MaxKeyLength)
	}
	if st.Status != StocktakeNotified {
		if st.CountKey == key && sameCounts(st.Counts, counts) {
			return st, nil
		}
		return Stocktake{}, ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s is %s; its count was imported already (key %q)", no, st.Status, st.CountKey)
	}
	if today := c.today(); today.Before(st.Date) {
		return Stocktake{}, ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s is on %s; import its count on or after that day (today is %s)", no, ledger.FormatDate(st.Date), ledger.FormatDate(today))
	}
	if len(counts) == 0 {
		return Stocktake{}, ledger.Invalid(ReasonCountFile, "rows", "the count has no rows; give one row per book line and status counted")
	}
	lines, err := c.allLines(ctx, p, st.Book)
	if err != nil {
		return Stocktake{}, err
	}
	if err := checkCounts(counts, lines); err != nil {
		return Stocktake{}, err
	}
	asOf := st.Date
	hs, err := c.ledger.Balances(ctx, ledger.BalanceQuery{Book: st.Book, AsOf: &asOf})
	if err != nil {
		return Stocktake{}, cycleDBError(err)
	}
	diffs := countDifferences(counts, hs, lines)
	taxed, err := c.shortageEvents(ctx, p, b, st, diffs, lines)
	if err != nil {
		return Stocktake{}, err
	}
	var out Stocktake
	err = c.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		cur, _, err := stocktakeBy(ctx, tx, `no = $1`, no)
		if err != nil {
			return err
		}
		if cur.Status != StocktakeNotified {
			if cur.CountKey == key && sameCounts(cur.Counts, counts) {
				out = cur // the same import, committed meanwhile by a retry
				return nil
			}
			return ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s was counted meanwhile (key %q)", no, cur.CountKey)
		}
		cur.Counts, cur.CountKey, cur.CountedBy, cur.Status = counts, key, p.ID, StocktakeCounted
		cur.Differences = append([]Difference(nil), diffs...)
		// The shortages leave in journals of at most ledger.MaxPostings
		// postings; at[r][k] is the difference posting k of journal r moves.
		var reqs []ledger.JournalRequest
		var at [][]int
		for i, d := range cur.Differences {
			if !d.Shortage() {
				continue
			}
			if len(reqs) == 0 || len(reqs[len(reqs)-1].Postings) == ledger.MaxPostings {
				reqs = append(reqs, ledger.JournalRequest{Book: cur.Book, IdempotencyKey: fmt.Sprintf("stocktake-shortage:%s:%d", cur.No, len(reqs)+1),
					EffectiveDate: cur.Date, Document: ledger.Document{Type: DocumentStocktake, Number: cur.No}, Principal: p.ID,
					Metadata: map[string]string{"step": "shortage"}})
				at = append(at, nil)
			}
			r := &reqs[len(reqs)-1]
			r.Postings = append(r.Postings, ledger.Posting{Item: ledger.ItemRef{Book: cur.Book, Code: strconv.Itoa(d.BookSeq)},
				From: ledger.In(cur.Book, countAccounts[d.Status][0]), To: ledger.World(WorldShortage), Quantity: d.Difference.Neg(), Unit: d.Unit})
			at[len(at)-1] = append(at[len(at)-1], i)
		}
		var res []ledger.PostResult
		if len(reqs) > 0 {
			if res, err = j.PostMany(ctx, reqs); err != nil {
				return err
			}
		}
		for r := range res {
			if res[r].Err != nil {
				return shortageRefused(res[r].Err, cur, at[r])
			}
			cur.ShortageJournals = append(cur.ShortageJournals, res[r].Journal.ID)
		}
		for r := range res {
			for k, i := range at[r] {
				d := &cur.Differences[i]
				d.Value = res[r].Journal.Postings[k].Value
				ev, ok := taxed[i]
				if !ok {
					continue
				}
				ev.DutiableValue = d.Value
				ev, err := c.zone.RecordTaxableEvent(ctx, tx, ev, fmt.Sprintf("stocktake-shortage:%s:%d", cur.No, d.BookSeq))
				if err != nil {
					return err
				}
				d.TaxEvent, d.Tax, d.Duty, d.VAT, d.ConsumptionTax, d.Interest = ev.ID, ev.Total, ev.Duty, ev.VAT, ev.ConsumptionTax, ev.Interest
				d.DutyBasis, d.AssessError = ev.DutyBasis, ev.AssessError
			}
		}
		out = cur
		return saveStocktake(ctx, tx, cur)
	})
	return out, err
}

// shortageRefused names, in the ledger's refusal of a shortage journal,
// the count row of the shortage whose posting it blames ("rows[R].quantity"
// and the line in the message), or the line when the count left it out.
func shortageRefused(err error, st Stocktake, at []int) error {
	le := ledger.AsError(err)
	var k int
	if _, serr := fmt.Sscanf(le.Field, "postings[%d]", &k); serr != nil || k < 0 || k >= len(at) {
		return cycleWithField(err, "rows")
	}
	d := st.Differences[at[k]]
	out := *le
	out.Field = "rows"
	for _, ct := range st.Counts {
		if ct.BookSeq == d.BookSeq && ct.Status == d.Status {
			out.Field = fmt.Sprintf("rows[%d].quantity", ct.Row)
		}
	}
	out.Message = fmt.Sprintf("the shortage of line %d %s (%s) cannot leave the book: %s; goods reserved by declared lists are counted but cannot leave as a shortage: clear or return those lists, then import the count again",
		d.BookSeq, d.Status, d.Difference.Neg(), le.Message)
	return &out
}

func sameCounts(a, b []Count) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].BookSeq != b[i].BookSeq || a[i].Status != b[i].Status || !a[i].Quantity.Equal(b[i].Quantity) {
			return false
		}
	}
	return true
}

// countRowError is the refusal of one row of a count: its row and column named
// in the field ("rows[7].quantity") and in the message.
func countRowError(row int, column, format string, args ...any) error {
	return ledger.Invalid(ReasonCountFile, fmt.Sprintf("rows[%d].%s", row, column), "row %d, column %s: %s", row, column, fmt.Sprintf(format, args...))
}

// checkCounts checks every row: a line of the book, a status, a quantity
// at or above zero at the line's scale, each (line, status) once.
func checkCounts(counts []Count, lines map[int]zone.BookLine) error {
	seen := map[[2]string]int{}
	for _, ct := range counts {
		ln, ok := lines[ct.BookSeq]
		if !ok {
			return countRowError(ct.Row, "book_seq", "book line %d is not a line of the book", ct.BookSeq)
		}
		if _, ok := countAccounts[ct.Status]; !ok {
			return countRowError(ct.Row, "status", "status %q is neither %s nor %s", ct.Status, CountBonded, CountNonBonded)
		}
		if ct.Quantity.IsNegative() {
			return countRowError(ct.Row, "quantity", "quantity %s is below zero", ct.Quantity)
		}
		if !ct.Quantity.Equal(ct.Quantity.Truncate(ln.Scale)) {
			return countRowError(ct.Row, "quantity", "quantity %s has more than %d decimal places, line %d's scale", ct.Quantity, ln.Scale, ct.BookSeq)
		}
		k := [2]string{strconv.Itoa(ct.BookSeq), string(ct.Status)}
		if first, dup := seen[k]; dup {
			return countRowError(ct.Row, "book_seq", "line %d %s was counted already on row %d", ct.BookSeq, ct.Status, first)
		}
		seen[k] = ct.Row
	}
	return nil
}

// countDifferences compares the counts with the book's holdings as of the
// stocktake date, per line and status; only the pairs that differ are
// kept, by line then status.
func countDifferences(counts []Count, hs []ledger.Holding, lines map[int]zone.BookLine) []Difference {
	type key struct {
		seq int
		st  CountStatus
	}
	booked := map[key]decimal.Decimal{}
	of := map[string]CountStatus{}
	for st, accs := range countAccounts {
		for _, a := range accs {
			of[a] = st
		}
	}
	for _, h := range hs {
		st, ok := of[h.Account.Name]
		seq, err := strconv.Atoi(h.Item.Code)
		if !ok || err != nil {
			continue
		}
		k := key{seq, st}
		booked[k] = booked[k].Add(h.Quantity)
	}
	counted := map[key]decimal.Decimal{}
	for _, ct := range counts {
		counted[key{ct.BookSeq, ct.Status}] = ct.Quantity
	}
	keys := map[key]bool{}
	for k := range booked {
		keys[k] = true
	}
	for k := range counted {
		keys[k] = true
	}
	var out []Difference
	for k := range keys {
		diff := counted[k].Sub(booked[k])
		if diff.IsZero() {
			continue
		}
		ln := lines[k.seq]
		out = append(out, Difference{BookSeq: k.seq, Status: k.st, Name: ln.Name, Unit: ln.DeclaredUnit, Booked: booked[k], Counted: counted[k], Difference: diff})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].BookSeq != out[j].BookSeq {
			return out[i].BookSeq < out[j].BookSeq
		}
		return out[i].Status < out[j].Status
	})
	return out
}

// shortageEvents builds the (unassessed) taxable event of each bonded
// shortage, by its index in diffs; the dutiable value is the carrying
// value the shortage journal moves, filled in when it is posted. A
// finished good with a 单耗 version in force on the stocktake date is
// taxed on its bonded materials (when ShortageByMaterials) with 缓税利息
// from the book's last write-off date, or from the materials' first import
// from abroad when the book was never written off or that is later.
func (c *Cycles) shortageEvents(ctx context.Context, p access.Principal, b zone.Book, st Stocktake, diffs []Difference, lines map[int]zone.BookLine) (map[int]zone.TaxableEvent, error) {
	out := map[int]zone.TaxableEvent{}
	for i, d := range diffs {
		if !d.Shortage() || d.Status != CountBonded {
			continue
		}
		ln := lines[d.BookSeq]
		q := d.Difference.Neg()
		cat := codes.CategorySurplus
		if ln.Type == codes.GoodsFinished {
			cat = codes.CategoryFinished
		}
		ev := zone.TaxableEvent{Book: st.Book, Enterprise: st.Enterprise, ListNo: st.No, ListSeq: i + 1, BookSeq: d.BookSeq, HSCode: ln.HSCode,
			Quantity: q, Unit: ln.DeclaredUnit, LegalQuantity: q.Mul(ln.Legal.Factor), LegalUnit: ln.Legal.Unit,
			TradeMode: ShortageTradeMode, Date: st.Date, TaxDate: st.Date, GoodsCategory: cat}
		if c.set.ShortageByMaterials && c.proc != nil && ln.Type == codes.GoodsFinished {
			if err := c.byMaterials(ctx, p, b, st, &ev, lines); err != nil {
				return nil, err
			}
		}
		out[i] = ev
	}
	return out, nil
}

// byMaterials gives ev the bonded materials its goods consumed by the
// 单耗 version in force on the stocktake date, each valued at the
// material's average bonded value in through that day, and the 缓税利息
// period; a good with no version in force stays taxed on its state.
func (c *Cycles) byMaterials(ctx context.Context, p access.Principal, b zone.Book, st Stocktake, ev *zone.TaxableEvent, lines map[int]zone.BookLine) error {
	v, err := c.proc.VersionInForce(ctx, p, st.Book, ev.BookSeq, st.Date)
	if err != nil {
		if k := ledger.AsError(err).Kind; k == ledger.KindNotFound || k == ledger.KindFailedPrecondition {
			return nil
		}
		return err
	}
	ev.DutyBasis = string(tax.BasisMaterials)
	for _, n := range v.Norms {
		ml, ok := lines[n.MaterialSeq]
		if !ok {
			continue
		}
		mq := n.Consume(ev.Quantity, ml.Scale).Bonded
		if !mq.IsPositive() {
			continue
		}
		unit, first, err := c.materialFacts(ctx, st.Book, n.MaterialSeq, st.Date)
		if err != nil {
			return err
		}
		ev.Materials = append(ev.Materials, zone.EventMaterial{BookSeq: n.MaterialSeq, HSCode: ml.HSCode, LegalQuantity: mq.Mul(ml.Legal.Factor).Round(5),
			LegalUnit: ml.Legal.Unit, DutiableValue: unit.Mul(mq).Round(2), FirstImport: first})
		if !first.IsZero() && (ev.InterestFrom.IsZero() || first.Before(ev.InterestFrom)) {
			ev.InterestFrom = first
		}
	}
	if len(ev.Materials) == 0 {
		ev.DutyBasis = ""
		return nil
	}
	if w := b.LastWriteOffDate; !w.IsZero() && (ev.InterestFrom.IsZero() || w.After(ev.InterestFrom)) && !w.After(ev.TaxDate) {
		ev.InterestFrom = w
	}
	if !ev.InterestFrom.IsZero() {
		ev.InterestDays = max(0, int(ledger.Day(ev.TaxDate).Sub(ledger.Day(ev.InterestFrom)).Hours()/24))
	}
	return nil
}

// materialFacts returns a material's average bonded value per unit in
// through day (all the value that entered bonded over all the quantity)
// and the day its first lot entered from abroad (zero if none did).
func (c *Cycles) materialFacts(ctx context.Context, book string, seq int, day time.Time) (decimal.Decimal, time.Time, error) {
	code := strconv.Itoa(seq)
	ts, err := c.ledger.DayTotals(ctx, ledger.TotalsQuery{Book: book, Account: zone.AccountBonded, Item: code, To: day})
	if err != nil {
		return decimal.Zero, time.Time{}, cycleDBError(err)
	}
	var qty, val decimal.Decimal
	for _, t := range ts {
		qty, val = qty.Add(t.QuantityIn), val.Add(t.ValueIn)
	}
	unit := decimal.Zero
	if qty.IsPositive() {
		unit = val.Div(qty)
	}
	lots, err := c.ledger.Lots(ctx, ledger.ItemRef{Book: book, Code: code})
	if err != nil {
		return decimal.Zero, time.Time{}, cycleDBError(err)
	}
	var first time.Time
	for _, l := range lots {
		if f := l.Attributes["flow"]; (f == string(zone.FlowFirstLineIn) || f == string(zone.FlowEnterFirst)) && (first.IsZero() || l.EntryDate.Before(first)) {
			first = l.EntryDate
		}
	}
	return unit, first, nil
}

// allLines returns every line of a book by number, read through the zone
// as p.
func (c *Cycles) allLines(ctx context.Context, p access.Principal, book string) (map[int]zone.BookLine, error) {
	out := map[int]zone.BookLine{}
	after := 0
	for {
		page, err := c.zone.ListBookLines(ctx, p, book, after, zone.MaxPage)
		if err != nil {
			return nil, err
		}
		for _, l := range page {
			out[l.Seq] = l
		}
		if len(page) < zone.MaxPage {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}
