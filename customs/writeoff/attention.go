package writeoff

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// AttentionKind is a kind of row in the list of what needs customs'
// attention.
type AttentionKind string

// The kinds of attention rows. A zone overdue row's kind is
// AttentionOverduePrefix + its zone.OverdueKind (OVERDUE_DISPLAY,
// OVERDUE_OUTSOURCING, OVERDUE_REPAIR_ORDER, OVERDUE_COLLECTIVE_TRIP,
// OVERDUE_ENTER_FIRST, ...).
const (
	// AttentionCycleEnding: the book's write-off cycle ends within
	// CycleSettings.AttentionCycleDays and the book is not written off for
	// it yet.
	AttentionCycleEnding AttentionKind = "WRITE_OFF_CYCLE_ENDING"
	// AttentionCycleOverdue: the book's write-off cycle has ended and the
	// book is not written off for it.
	AttentionCycleOverdue AttentionKind = "WRITE_OFF_CYCLE_OVERDUE"
	// AttentionShortageUnpaid: a stocktake shortage taxed and its
	// self-payment not recorded.
	AttentionShortageUnpaid AttentionKind = "SHORTAGE_UNPAID"
	// AttentionListDeclared: a list declared (its outbound goods reserved)
	// and not cleared or returned for more than
	// CycleSettings.AttentionListDays.
	AttentionListDeclared AttentionKind = "LIST_DECLARED"
	// AttentionGateHold: a vehicle held at the gate that customs has
	// neither released nor rejected.
	AttentionGateHold AttentionKind = "GATE_HOLD"
	// AttentionEcommerceTax: the tax of a released cross-border inventory
	// list past its due date (customs/ecommerce).
	AttentionEcommerceTax AttentionKind = "ECOMMERCE_TAX_OVERDUE"
	// AttentionOverduePrefix prefixes the kinds of zone.ListOverdue's rows.
	AttentionOverduePrefix = "OVERDUE_"
)

// AttentionItem is one row of the list of what needs customs' attention.
type AttentionItem struct {
	Kind       AttentionKind
	Enterprise string
	Book       string
	// Documents are the documents to act on, the first one first (the
	// stocktake, list, pass, movement, form or order).
	Documents []string
	// Since is the day the row began to need attention: the due date of
	// something overdue, the day a list was declared or a vehicle held, the
	// stocktake date of an unpaid shortage, and for a cycle about to end
	// its end less CycleSettings.AttentionCycleDays. Days is the days from
	// Since to the listing's date.
	Since time.Time
	Days  int
	// Due is the last day something was due (a cycle's end, a due-back
	// date, a tax due date); zero when the row has none.
	Due time.Time
	// Quantity is the goods concerned, when the row has one quantity;
	// Amount the tax in CNY, for tax rows. Zero otherwise.
	Quantity decimal.Decimal
	Amount   decimal.Decimal
	// Note says what needs attention, in words.
	Note string
}

// AttentionQuery selects a page of the attention list.
type AttentionQuery struct {
	// Book restricts to one book; empty: every book the caller may read.
	Book string
	// AsOf is the day the list is drawn up for; zero: today.
	AsOf time.Time
	// After is the token of the previous page's last row (AttentionPage.Next).
	After string
	// Limit is the page size (default and most zone.MaxPage).
	Limit int
}

// AttentionPage is a page of the attention list.
type AttentionPage struct {
	Items []AttentionItem
	// Next is the token of the next page; empty on the last page.
	Next string
}

// token orders the rows: oldest first, then kind, book and document.
func (it AttentionItem) token() string {
	doc := ""
	if len(it.Documents) > 0 {
		doc = it.Documents[0]
	}
	return ledger.FormatDate(it.Since) + "|" + string(it.Kind) + "|" + it.Book + "|" + doc
}

// ListAttention lists what needs customs' attention on the books p may
// read (customs: every book; an enterprise: its own; a platform: its
// linked enterprises'; an admin is refused): write-off cycles about to end or ended without a
// write-off, stocktake shortages taxed and unpaid, lists declared and not
// cleared for more than CycleSettings.AttentionListDays, vehicles held at
// the gate, goods past their due dates and goods not declared in time
// (zone.Service.ListOverdue), and, for customs and enterprises,
// e-commerce tax past its due date (when CycleOptions.Ecommerce is set). Rows are ordered oldest first and paged.
func (c *Cycles) ListAttention(ctx context.Context, p access.Principal, q AttentionQuery) (AttentionPage, error) {
	if p.Role == access.RoleAdmin && !p.Disabled {
		return AttentionPage{}, ledger.Denied("principal %q is an admin; admins read no enterprise's books or documents", p.ID)
	}
	q.Book = strings.TrimSpace(q.Book)
	if q.Book != "" {
		if _, err := c.readBook(ctx, p, q.Book); err != nil {
			return AttentionPage{}, err
		}
	}
	asOf := c.today()
	if !q.AsOf.IsZero() {
		asOf = ledger.Day(q.AsOf)
	}
	days := func(since time.Time) int { return int(asOf.Sub(ledger.Day(since)).Hours() / 24) }
	var all []AttentionItem
	add := func(it AttentionItem) {
		it.Days = days(it.Since)
		all = append(all, it)
	}

	cycles, err := c.attentionCycles(ctx, p, q.Book, asOf)
	if err != nil {
		return AttentionPage{}, err
	}
	for _, it := range cycles {
		add(it)
	}
	shortages, err := c.unpaidShortages(ctx, p, q.Book)
	if err != nil {
		return AttentionPage{}, err
	}
	for _, it := range shortages {
		add(it)
	}

	lists, err := c.zone.DeclaredLists(ctx, p, q.Book, asOf.AddDate(0, 0, -c.set.AttentionListDays))
	if err != nil {
		return AttentionPage{}, err
	}
	for _, dl := range lists {
		l := dl.List
		t := decimal.Zero
		for _, ln := range l.Lines {
			t = t.Add(ln.DeclaredQuantity)
		}
		what := "inbound goods awaited"
		if l.IO == codes.Out {
			what = "outbound goods reserved"
		}
		add(AttentionItem{Kind: AttentionListDeclared, Enterprise: l.Enterprise, Book: l.Book, Documents: []string{l.No}, Since: dl.DeclaredOn, Quantity: t,
			Note: fmt.Sprintf("list %s since its declaration (%s): %s", l.Status, ledger.FormatDate(dl.DeclaredOn), what)})
	}

	holds, err := c.zone.HeldPasses(ctx, p, q.Book)
	if err != nil {
		return AttentionPage{}, err
	}
	for _, h := range holds {
		add(AttentionItem{Kind: AttentionGateHold, Enterprise: h.Pass.Enterprise, Book: h.Pass.Book, Documents: append([]string{h.Pass.No}, h.Pass.RelatedNos...),
			Since: h.HeldOn, Note: "vehicle " + h.Pass.Vehicle + " held at the gate: " + strings.Join(h.Pass.HoldReasons, "; ")})
	}

	oq := zone.OverdueQuery{Book: q.Book, AsOf: asOf, Limit: zone.MaxPage}
	for {
		page, err := c.zone.ListOverdue(ctx, p, oq)
		if err != nil {
			return AttentionPage{}, err
		}
		for _, o := range page.Items {
			add(AttentionItem{Kind: AttentionKind(AttentionOverduePrefix + string(o.Kind)), Enterprise: o.Enterprise, Book: o.Book, Documents: o.Documents,
				Since: o.Due, Due: o.Due, Quantity: o.Quantity, Note: o.Note})
		}
		if page.Next == "" {
			break
		}
		oq.After = page.Next
	}

	if c.ecom != nil && (p.Role == access.RoleCustoms || p.Role == access.RoleEnterprise) && !p.Disabled {
		taxes, err := c.ecom.OverdueTax(ctx, p, q.Book, asOf)
		if err != nil {
			return AttentionPage{}, err
		}
		for _, tx := range taxes {
			add(AttentionItem{Kind: AttentionEcommerceTax, Enterprise: tx.Enterprise, Book: tx.Book, Documents: []string{tx.ListNo, tx.OrderNo},
				Since: tx.DueOn, Due: tx.DueOn, Amount: tx.Tax, Note: "cross-border tax of a list released " + ledger.FormatDate(tx.ReleasedOn) + ", guarantor " + tx.Guarantor + ", not paid by its due date"})
		}
	}

	slices.SortFunc(all, func(a, b AttentionItem) int { return cmp.Compare(a.token(), b.token()) })
	start := 0
	if q.After != "" {
		start, _ = slices.BinarySearchFunc(all, q.After, func(it AttentionItem, t string) int {
			if c := cmp.Compare(it.token(), t); c != 0 {
				return c
			}
			return -1 // the row of the token itself was on the previous page
		})
	}
	limit := q.Limit
	if limit < 1 || limit > zone.MaxPage {
		limit = zone.MaxPage
	}
	end := min(start+limit, len(all))
	out := AttentionPage{Items: all[start:end]}
	if end < len(all) && end > start {
		out.Next = out.Items[len(out.Items)-1].token()
	}
	return out, nil
}

// attentionCycles are the books whose write-off cycle ends within
// AttentionCycleDays of asOf, or has ended, with no write-off for it: the
// cycle due is the first one after the book's last write-off date (or the
// first cycle when the book was never written off).
func (c *Cycles) attentionCycles(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]AttentionItem, error) {
	books := map[string]zone.Book{}
	if book != "" {
		b, err := c.readBook(ctx, p, book)
		if err != nil {
			return nil, err
		}
		books[b.No] = b
	} else {
		after := ""
		for {
			bs, err := c.zone.ListBooks(ctx, p, "", after, zone.MaxPage)
			if err != nil {
				return nil, err
			}
			for _, b := range bs {
				books[b.No] = b
			}
			if len(bs) < zone.MaxPage {
				break
			}
			after = bs[len(bs)-1].No
		}
	}
	rows, err := c.pool.Query(ctx, `SELECT body FROM writeoff_cycles WHERE $1 = '' OR book = $1 ORDER BY book`, book)
	if err != nil {
		return nil, cycleDBError(err)
	}
	cys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Cycle, error) {
		var body string
		if err := r.Scan(&body); err != nil {
			return Cycle{}, err
		}
		var cy Cycle
		return cy, json.Unmarshal([]byte(body), &cy)
	})
	if err != nil {
		return nil, cycleDBError(err)
	}
	var out []AttentionItem
	for _, cy := range cys {
		b, ok := books[cy.Book]
		if !ok || b.Status == codes.BookClosed || cy.Start.IsZero() || cy.Months == 0 {
			continue
		}
		from := cy.Start
		if !b.LastWriteOffDate.IsZero() && !b.LastWriteOffDate.Before(cy.Start) {
			from = cy.End(b.LastWriteOffDate).AddDate(0, 0, 1)
		}
		due := cy.End(from)
		it := AttentionItem{Enterprise: b.Enterprise, Book: b.No, Documents: []string{b.No}, Due: due}
		last := "never written off"
		if !b.LastWriteOffDate.IsZero() {
			last = "last written off " + ledger.FormatDate(b.LastWriteOffDate)
		}
		switch {
		case asOf.After(due):
			it.Kind, it.Since = AttentionCycleOverdue, due
			it.Note = fmt.Sprintf("the %d-month write-off cycle %s–%s has ended without a write-off (%s)", cy.Months, ledger.FormatDate(from), ledger.FormatDate(due), last)
		case !asOf.Before(due.AddDate(0, 0, -c.set.AttentionCycleDays)):
			it.Kind, it.Since = AttentionCycleEnding, due.AddDate(0, 0, -c.set.AttentionCycleDays)
			it.Note = fmt.Sprintf("the %d-month write-off cycle %s–%s ends in %d days (%s)", cy.Months, ledger.FormatDate(from), ledger.FormatDate(due), int(due.Sub(asOf).Hours()/24), last)
		default:
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

// unpaidShortages are the taxed shortages of counted stocktakes whose
// self-payment is not recorded.
func (c *Cycles) unpaidShortages(ctx context.Context, p access.Principal, book string) ([]AttentionItem, error) {
	rows, err := c.pool.Query(ctx, `SELECT body FROM writeoff_stocktakes WHERE status = $1 AND ($2 = '' OR book = $2) ORDER BY no`,
		string(StocktakeCounted), book)
	if err != nil {
		return nil, cycleDBError(err)
	}
	sts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Stocktake, error) {
		var body string
		if err := r.Scan(&body); err != nil {
			return Stocktake{}, err
		}
		var st Stocktake
		return st, json.Unmarshal([]byte(body), &st)
	})
	if err != nil {
		return nil, cycleDBError(err)
	}
	var out []AttentionItem
	for _, st := range sts {
		if !p.CanRead(st.Enterprise) {
			continue
		}
		for _, d := range st.Differences {
			if !d.Shortage() || d.Settled() {
				continue
			}
			note := fmt.Sprintf("line %d %s: %s short, tax %s assessed and not paid (自报自缴)", d.BookSeq, d.Name, d.Difference.Neg(), d.Tax.StringFixed(2))
			if d.AssessError != "" {
				note = fmt.Sprintf("line %d %s: %s short, not taxed: %s", d.BookSeq, d.Name, d.Difference.Neg(), d.AssessError)
			}
			out = append(out, AttentionItem{Kind: AttentionShortageUnpaid, Enterprise: st.Enterprise, Book: st.Book, Documents: []string{st.No},
				Since: st.Date, Quantity: d.Difference.Neg(), Amount: d.Tax, Note: note})
		}
	}
	return out, nil
}
