package zone

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// OverdueKind is a kind of goods past its date, in the overdue listing.
type OverdueKind string

// The kinds of overdue goods.
const (
	// OverdueDisplay: goods out on display (form C) after the form's last
	// day.
	OverdueDisplay OverdueKind = "DISPLAY"
	// OverdueTesting, OverdueRepairOutside, OverdueMould, OverdueOtherOut:
	// goods out of the zone under a form D, E, F or H after their due-back
	// date.
	OverdueTesting       OverdueKind = "TESTING"
	OverdueRepairOutside OverdueKind = "REPAIR_OUTSIDE"
	OverdueMould         OverdueKind = "MOULD"
	OverdueOtherOut      OverdueKind = "OTHER_OUT"
	// OverdueOutsourcing: goods out to a contractor for 外发加工 (form B)
	// after their due-back date.
	OverdueOutsourcing OverdueKind = "OUTSOURCING"
	// OverdueRepairOrder: a repair order in the zone past its period
	// (customs/repair, read through an OverdueSource).
	OverdueRepairOrder OverdueKind = "REPAIR_ORDER"
	// OverdueCollectiveTrip: a 分送集报 trip through the gate and not
	// declared by its deadline.
	OverdueCollectiveTrip OverdueKind = "COLLECTIVE_TRIP"
	// OverdueEnterFirst: goods entered on a 先入区后报关 pass and not
	// declared within Settings.EnterFirstDeclareDays.
	OverdueEnterFirst OverdueKind = "ENTER_FIRST"
)

// outZoneKinds are the overdue kinds of OUT movements per form type.
var outZoneKinds = map[codes.FormType]OverdueKind{
	codes.FormOutsourcing:      OverdueOutsourcing,
	codes.FormEquipmentTesting: OverdueTesting,
	codes.FormEquipmentRepair:  OverdueRepairOutside,
	codes.FormMouldOutsourcing: OverdueMould,
	codes.FormOther:            OverdueOtherOut,
}

// OverdueItem is one row of the overdue listing: goods past their date.
type OverdueItem struct {
	Kind       OverdueKind
	Enterprise string
	Book       string
	// Documents are the documents the goods are under, the one to act on
	// first (the movement, slip, pass or order), then the form or list.
	Documents []string
	// Due is the last day the goods were due (back, or declared);
	// DaysOverdue the days from it to the listing's date.
	Due         time.Time
	DaysOverdue int
	// Quantity is what is still out or undeclared, over its book lines,
	// when the kind has one quantity (zero otherwise).
	Quantity decimal.Decimal
	// Note says what is overdue, in words.
	Note string
}

// OverdueSource lists overdue goods that another package keeps (the
// repair orders of customs/repair), for the book given (empty: every book
// p may read), as of a day. It reads as p and answers only what p may
// read.
type OverdueSource interface {
	OverdueItems(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]OverdueItem, error)
}

// SetOverdueSource adds a source of overdue goods to ListOverdue (call it
// while wiring, before serving).
func (s *Service) SetOverdueSource(src OverdueSource) { s.overdue = append(s.overdue, src) }

// OverdueQuery selects a page of the overdue listing.
type OverdueQuery struct {
	// Book restricts to one book; empty: every book the caller may read.
	Book string
	// AsOf is the day the listing is drawn up for; zero: today.
	AsOf time.Time
	// After is the page token of the last row of the previous page
	// (OverduePage.Next); empty: the first page.
	After string
	// Limit is the page size (default and most MaxPage).
	Limit int
}

// OverduePage is a page of the overdue listing.
type OverduePage struct {
	Items []OverdueItem
	// Next is the token of the next page; empty on the last page.
	Next string
}

// token orders the rows: oldest due day first, then kind, then document.
func (it OverdueItem) token() string {
	doc := ""
	if len(it.Documents) > 0 {
		doc = it.Documents[0]
	}
	return ledger.FormatDate(it.Due) + "|" + string(it.Kind) + "|" + doc
}

// ListOverdue lists, for customs, every kind of goods past its date on the
// books p may read (customs: all; an enterprise: its own): display goods
// out after the form's last day, goods out of the zone for testing,
// repair, as moulds or for other business, goods out for 外发加工, repair
// orders in the zone (through the sources set by SetOverdueSource),
// 分送集报 trips not declared by their deadline and 先入区后报关 goods not
// declared within Settings.EnterFirstDeclareDays. Rows are ordered oldest
// due day first and paged.
func (s *Service) ListOverdue(ctx context.Context, p access.Principal, q OverdueQuery) (OverduePage, error) {
	if p.Role == access.RoleAdmin && !p.Disabled {
		return OverduePage{}, ledger.Denied("principal %q is an admin; admins read no enterprise's books or documents", p.ID)
	}
	q.Book = strings.TrimSpace(q.Book)
	if q.AsOf.IsZero() {
		q.AsOf = s.today()
	}
	asOf := ledger.Day(q.AsOf)
	limit := pageSize(q.Limit)
	var all []OverdueItem
	days := func(due time.Time) int { return int(asOf.Sub(ledger.Day(due)).Hours() / 24) }

	displays, err := s.OverdueDisplays(ctx, p, q.Book, asOf)
	if err != nil {
		return OverduePage{}, err
	}
	for _, r := range displays {
		t := decimal.Zero
		for _, h := range r.OnDisplay {
			t = t.Add(h.Quantity)
		}
		all = append(all, OverdueItem{Kind: OverdueDisplay, Enterprise: r.Form.Enterprise, Book: r.Form.Book, Documents: []string{r.Form.No},
			Due: r.Form.ValidUntil, DaysOverdue: days(r.Form.ValidUntil), Quantity: t, Note: "goods on display after the form's last day"})
	}

	f := ListFilter{Book: q.Book, Status: OutZoneOutstanding, Limit: MaxPage}
	for {
		page, err := listDocs[OutZoneMove](ctx, s, p, kindOutZone, f)
		if err != nil {
			return OverduePage{}, err
		}
		for _, m := range page {
			if !asOf.After(m.DueBack) {
				continue
			}
			all = append(all, OverdueItem{Kind: outZoneKinds[m.FormType], Enterprise: m.Enterprise, Book: m.Book, Documents: []string{m.No, m.ApplyNo},
				Due: m.DueBack, DaysOverdue: days(m.DueBack), Quantity: m.OutstandingTotal(), Note: "out of the zone at " + m.Counterparty + " after the due-back date"})
		}
		if len(page) < MaxPage {
			break
		}
		f.After = page[len(page)-1].No
	}

	f = ListFilter{Book: q.Book, Status: string(SlipPassed), Limit: MaxPage}
	for {
		page, err := listDocs[Slip](ctx, s, p, kindSlip, f)
		if err != nil {
			return OverduePage{}, err
		}
		for _, sl := range page {
			if !asOf.After(sl.Deadline) {
				continue
			}
			t := decimal.Zero
			for _, ln := range sl.Lines {
				t = t.Add(ln.Quantity)
			}
			all = append(all, OverdueItem{Kind: OverdueCollectiveTrip, Enterprise: sl.Enterprise, Book: sl.Book, Documents: []string{sl.No, sl.PassNo, sl.ApplyNo},
				Due: sl.Deadline, DaysOverdue: days(sl.Deadline), Quantity: t, Note: "分送集报 trip through the gate and not declared by its deadline"})
		}
		if len(page) < MaxPage {
			break
		}
		f.After = page[len(page)-1].No
	}

	entered, err := s.overdueEntries(ctx, p, q.Book, asOf)
	if err != nil {
		return OverduePage{}, err
	}
	all = append(all, entered...)

	for _, src := range s.overdue {
		items, err := src.OverdueItems(ctx, p, q.Book, asOf)
		if err != nil {
			return OverduePage{}, err
		}
		for _, it := range items {
			if !asOf.After(it.Due) {
				continue
			}
			it.DaysOverdue = days(it.Due)
			all = append(all, it)
		}
	}

	slices.SortFunc(all, func(a, b OverdueItem) int { return cmp.Compare(a.token(), b.token()) })
	start := 0
	if q.After != "" {
		start, _ = slices.BinarySearchFunc(all, q.After, func(it OverdueItem, t string) int {
			if c := cmp.Compare(it.token(), t); c != 0 {
				return c
			}
			return -1 // the row of the token itself was on the previous page
		})
	}
	out := OverduePage{}
	end := min(start+limit, len(all))
	out.Items = all[start:end]
	if end < len(all) && end > start {
		out.Next = out.Items[len(out.Items)-1].token()
	}
	return out, nil
}

// overdueEntries are the 先入区后报关 passes whose goods are not all
// declared (claimed by a list declared, approved or cleared) within
// Settings.EnterFirstDeclareDays of their entry.
func (s *Service) overdueEntries(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]OverdueItem, error) {
	var out []OverdueItem
	f := ListFilter{Book: book, Status: string(PassPassed), Limit: MaxPage}
	declared := map[string]map[string]decimal.Decimal{} // per book, per pass
	for {
		page, err := listDocs[Pass](ctx, s, p, kindPass, f)
		if err != nil {
			return nil, err
		}
		for _, ps := range page {
			if ps.Type != codes.PassEnterFirst || len(ps.Events) == 0 {
				continue
			}
			entry := s.dateOf(ps.Events[len(ps.Events)-1].At)
			due := entry.AddDate(0, 0, s.set.EnterFirstDeclareDays)
			if !asOf.After(due) {
				continue
			}
			if _, ok := declared[ps.Book]; !ok {
				d, err := s.declaredEntries(ctx, ps.Book)
				if err != nil {
					return nil, err
				}
				declared[ps.Book] = d
			}
			left := decimal.Zero
			for _, ln := range ps.Lines {
				left = left.Add(ln.Quantity)
			}
			left = left.Sub(declared[ps.Book][ps.No])
			if !left.IsPositive() {
				continue
			}
			out = append(out, OverdueItem{Kind: OverdueEnterFirst, Enterprise: ps.Enterprise, Book: ps.Book, Documents: append([]string{ps.No}, ps.RelatedNos...),
				Due: due, DaysOverdue: int(asOf.Sub(due).Hours() / 24), Quantity: left, Note: "entered on a 先入区后报关 pass and not declared"})
		}
		if len(page) < MaxPage {
			break
		}
		f.After = page[len(page)-1].No
	}
	return out, nil
}

// declaredEntries is, per 先入区后报关 pass of a book, the goods that lists
// declared, approved or cleared claim of it. A list filed before claims
// were recorded claims the first goods of its passes in the order it names
// them, as checkEntryPasses takes them.
func (s *Service) declaredEntries(ctx context.Context, book string) (map[string]decimal.Decimal, error) {
	rows, err := s.pool.Query(ctx, `SELECT body FROM zone_documents WHERE kind = $1 AND book = $2 AND status = ANY($3) AND body LIKE $4`,
		kindList, book, []string{string(ListDeclared), string(ListApproved), string(ListCleared)}, `%"Flow":"`+string(FlowEnterFirst)+`"%`)
	if err != nil {
		return nil, dbError(err)
	}
	lists, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (List, error) {
		var body string
		var l List
		if err := row.Scan(&body); err != nil {
			return l, err
		}
		return l, jsonUnmarshal(body, &l)
	})
	if err != nil {
		return nil, dbError(err)
	}
	out := map[string]decimal.Decimal{}
	for _, l := range lists {
		if l.Flow != FlowEnterFirst {
			continue
		}
		claims := l.EntryClaims
		if claims == nil {
			own := map[entryKey]decimal.Decimal{}
			for _, no := range l.EntryPassNos {
				var ps Pass
				if _, err := getDoc(ctx, s.pool, kindPass, no, false, &ps); err != nil {
					return nil, dbError(err)
				}
				for _, ln := range ps.Lines {
					k := entryKey{no, ln.BookSeq}
					own[k] = own[k].Add(ln.Quantity)
				}
			}
			for _, ln := range l.Lines {
				c, _ := takeEntries(own, l.EntryPassNos, ln.BookSeq, ln.DeclaredQuantity)
				claims = append(claims, c...)
			}
		}
		for _, c := range claims {
			out[c.Pass] = out[c.Pass].Add(c.Quantity)
		}
	}
	return out, nil
}
