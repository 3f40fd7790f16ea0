package zone

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// CreateForm files a business form (业务申报表). InnerNo is the idempotency
// key. A 分送集报 form (type A) bounds the days its trips may be made.
func (s *Service) CreateForm(ctx context.Context, p access.Principal, f Form) (Form, error) {
	f.InnerNo, f.Book = strings.TrimSpace(f.InnerNo), strings.TrimSpace(f.Book)
	if f.InnerNo == "" || len(f.InnerNo) > 64 {
		return Form{}, ledger.BadArgument("inner_no", "the enterprise's own form number is required, at most 64 characters")
	}
	if !f.Type.Valid() {
		return Form{}, ledger.BadArgument("type", "%q is not a business form type; use A to H or Y", f.Type)
	}
	if f.ValidFrom.IsZero() || f.ValidUntil.IsZero() || f.ValidUntil.Before(f.ValidFrom) {
		return Form{}, ledger.BadArgument("valid_until", "give the form's period: valid_from on or before valid_until")
	}
	if f.ValidUntil.Sub(f.ValidFrom) > 366*24*time.Hour {
		return Form{}, ledger.BadArgument("valid_until", "a form runs at most one year")
	}
	if err := s.checkBusinessDate("valid_from", f.ValidFrom, FormStartsAheadDays); err != nil {
		return Form{}, err
	}
	if f.Guarantee.IsNegative() || ledger.Places(f.Guarantee) > 2 {
		return Form{}, ledger.BadArgument("guarantee", "must be >= 0 CNY to the fen")
	}
	h := f
	h.No, h.Enterprise, h.FiledBy, h.CreatedAt, h.InputHash, h.Status = "", "", "", time.Time{}, "", ""
	f.InputHash = digest(h)
	var out Form
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := filingBook(ctx, tx, p, f.Book)
		if err != nil {
			return err
		}
		if f.Type == codes.FormCollective {
			e, err := loadEnterprise(ctx, tx, b.Enterprise)
			if err != nil {
				return err
			}
			if e.Credit == codes.CreditDiscredited {
				return ledger.Precondition(ReasonDiscredited, "type", "enterprise %s is rated 失信 (discredited); 分送集报 is open only to enterprises that are not", e.USCC)
			}
		}
		old, found, err := filedBefore[Form](ctx, tx, kindForm, b.Enterprise, f.InnerNo, f.InputHash, ReasonDuplicateDocument, "form")
		if err != nil {
			return err
		}
		if found {
			out = old
			return nil
		}
		c := f
		c.Enterprise, c.FiledBy, c.CreatedAt, c.Status = b.Enterprise, p.ID, s.clock(), FormFiled
		if c.No, err = documentNumber(ctx, tx, "SQ"+string(c.Type), b.CustomsOffice, s.today(), "X"); err != nil {
			return err
		}
		out = c
		return insertDoc(ctx, tx, docRow{kind: kindForm, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: "FILED"}, c, c.CreatedAt)
	})
	return out, err
}

// GetForm returns a business form.
func (s *Service) GetForm(ctx context.Context, p access.Principal, no string) (Form, error) {
	return readDoc[Form](ctx, s, p, kindForm, no, nil)
}

// CreateSlip files an in/out slip (出入库单) of a 分送集报 trip under a type-A
// form. InnerNo is the idempotency key. The trip goes through the gate on a
// type-3 pass bound to the slip; the goods leave (or join) the book then,
// and the collective list declares them later.
func (s *Service) CreateSlip(ctx context.Context, p access.Principal, sl Slip) (Slip, error) {
	sl.InnerNo, sl.Book, sl.ApplyNo = strings.TrimSpace(sl.InnerNo), strings.TrimSpace(sl.Book), strings.TrimSpace(sl.ApplyNo)
	if sl.InnerNo == "" || len(sl.InnerNo) > 64 {
		return Slip{}, ledger.BadArgument("inner_no", "the enterprise's own slip number is required, at most 64 characters")
	}
	if !sl.IO.Valid() {
		return Slip{}, ledger.BadArgument("io", "%q is not an in/out flag; use I or E", sl.IO)
	}
	if len(sl.Lines) == 0 || len(sl.Lines) > MaxLinesPerDoc {
		return Slip{}, ledger.BadArgument("lines", "give 1 to %d lines", MaxLinesPerDoc)
	}
	for i, ln := range sl.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		if !ln.Quantity.IsPositive() {
			return Slip{}, ledger.Invalid(ledger.ReasonNonPositiveQuantity, f+".quantity", "must be > 0")
		}
		if ln.Value.IsNegative() || ledger.Places(ln.Value) > 2 {
			return Slip{}, ledger.BadArgument(f+".value", "must be >= 0 CNY to the fen")
		}
		if err := checkWeight(ln.GrossWeight, f+".gross_weight"); err != nil {
			return Slip{}, err
		}
		if err := checkWeight(ln.NetWeight, f+".net_weight"); err != nil {
			return Slip{}, err
		}
	}
	h := sl
	h.No, h.Enterprise, h.Status, h.FiledBy, h.CreatedAt, h.InputHash = "", "", "", "", time.Time{}, ""
	sl.InputHash = digest(h)
	var out Slip
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := filingBook(ctx, tx, p, sl.Book)
		if err != nil {
			return err
		}
		old, found, err := filedBefore[Slip](ctx, tx, kindSlip, b.Enterprise, sl.InnerNo, sl.InputHash, ReasonDuplicateDocument, "slip")
		if err != nil {
			return err
		}
		if found {
			out = old
			return nil
		}
		var f Form
		if _, err := getDoc(ctx, tx, kindForm, sl.ApplyNo, false, &f); err != nil {
			return withField(err, "apply_no")
		}
		if f.Book != sl.Book || f.Type != codes.FormCollective {
			return ledger.Invalid(ReasonSlipMismatch, "apply_no", "form %s is not a 分送集报 (type A) form of book %s", sl.ApplyNo, sl.Book)
		}
		today := s.today()
		if today.Before(f.ValidFrom) || today.After(f.ValidUntil) {
			return ledger.Precondition(ReasonFormExpired, "apply_no", "form %s runs %s to %s; today is %s", f.No, ledger.FormatDate(f.ValidFrom), ledger.FormatDate(f.ValidUntil), ledger.FormatDate(today))
		}
		for i := range sl.Lines {
			ln := &sl.Lines[i]
			if err := inDeclaredUnit(ctx, tx, sl.Book, ln.BookSeq, ln.Quantity, &ln.Unit, fmt.Sprintf("lines[%d]", i)); err != nil {
				return err
			}
		}
		c := sl
		c.Enterprise, c.Status, c.FiledBy, c.CreatedAt = b.Enterprise, SlipFiled, p.ID, s.clock()
		if c.No, err = documentNumber(ctx, tx, "CRK", b.CustomsOffice, today, string(c.IO)); err != nil {
			return err
		}
		out = c
		return insertDoc(ctx, tx, docRow{kind: kindSlip, no: c.No, enterprise: c.Enterprise, innerNo: c.InnerNo, book: c.Book, status: string(c.Status)}, c, c.CreatedAt)
	})
	return out, err
}

// GetSlip returns an in/out slip.
func (s *Service) GetSlip(ctx context.Context, p access.Principal, no string) (Slip, error) {
	return readDoc[Slip](ctx, s, p, kindSlip, no, nil)
}

// collectiveDeadline is the last day to declare a trip made on day.
func (s *Service) collectiveDeadline(day time.Time) time.Time {
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, s.set.CollectiveDeadlineMonths+1, -1)
}

// checkSlips checks a collective list against its trips: every slip passed
// the gate under the list's form, none declared yet, and the list's lines
// carry exactly the slips' quantities per book line.
func (s *Service) checkSlips(ctx context.Context, q querier, l *List) error {
	if l.ApplyNo == "" || len(l.SlipNos) == 0 {
		return ledger.BadArgument("slip_nos", "a collective (集报) list names its 分送集报 form (apply_no) and the slips of the trips it declares")
	}
	want := map[int]decimal.Decimal{}
	for i, no := range l.SlipNos {
		f := fmt.Sprintf("slip_nos[%d]", i)
		var sl Slip
		if _, err := getDoc(ctx, q, kindSlip, no, false, &sl); err != nil {
			return withField(err, f)
		}
		if sl.Book != l.Book || sl.ApplyNo != l.ApplyNo || sl.IO != l.IO {
			return ledger.Invalid(ReasonSlipMismatch, f, "slip %s is not a trip %s of form %s on book %s", no, l.IO, l.ApplyNo, l.Book)
		}
		if !l.Date.IsZero() && sl.PassedOn.After(l.Date) {
			return ledger.Invalid(ReasonSlipMismatch, "date", "slip %s's trip passed the gate on %s, after the list's date %s", no, ledger.FormatDate(sl.PassedOn), ledger.FormatDate(l.Date))
		}
		if sl.Status != SlipPassed {
			return ledger.Precondition(ReasonSlipMismatch, f, "slip %s is %s; a collective list declares trips that passed the gate and were not declared", no, strings.ToLower(string(sl.Status)))
		}
		for _, ln := range sl.Lines {
			want[ln.BookSeq] = want[ln.BookSeq].Add(ln.Quantity)
		}
	}
	got := map[int]decimal.Decimal{}
	for _, ln := range l.Lines {
		got[ln.BookSeq] = got[ln.BookSeq].Add(ln.DeclaredQuantity)
	}
	for seq, q := range want {
		if !got[seq].Equal(q) {
			return ledger.Invalid(ReasonSlipMismatch, "lines", "the trips carried %s of book line %d; the list declares %s", q, seq, got[seq])
		}
	}
	for seq, q := range got {
		if _, ok := want[seq]; !ok {
			return ledger.Invalid(ReasonSlipMismatch, "lines", "the list declares %s of book line %d, which no trip carried", q, seq)
		}
	}
	return nil
}

// clearCollective closes an approved collective list: its trips are
// declared, and a domestic sale records its taxable events.
func (s *Service) clearCollective(ctx context.Context, tx pgx.Tx, l List) error {
	if err := s.checkSlips(ctx, tx, &l); err != nil {
		return err
	}
	for _, no := range l.SlipNos {
		var sl Slip
		if _, err := getDoc(ctx, tx, kindSlip, no, true, &sl); err != nil {
			return err
		}
		sl.Status, sl.ListNo = SlipDeclared, l.No
		if err := updateDoc(ctx, tx, kindSlip, no, string(sl.Status), sl); err != nil {
			return err
		}
	}
	var pending []pendingEvent
	for i := range l.Lines {
		ln := &l.Lines[i]
		ln.Passed = ln.DeclaredQuantity
		if s.taxable(&l) {
			ev, err := s.taxableEvent(ctx, tx, l, *ln, ln.DeclaredQuantity, l.businessDate(s.today()), "collective")
			if err != nil {
				return err
			}
			pending = append(pending, ev)
		}
	}
	if err := s.recordConsignment(ctx, tx, pending); err != nil {
		return err
	}
	l.Status, l.ClearedAt = ListCleared, s.clock()
	return updateDoc(ctx, tx, kindList, l.No, string(l.Status), l)
}

// PendingTrips reports the trips of a book that passed the gate under
// 分送集报 and are not declared yet, oldest first, with the days left to
// their deadline as of asOf (zero: today).
func (s *Service) PendingTrips(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]PendingTrip, error) {
	if asOf.IsZero() {
		asOf = s.today()
	}
	slips, err := listDocs[Slip](ctx, s, p, kindSlip, ListFilter{Book: book, Status: string(SlipPassed), Limit: MaxPage})
	if err != nil {
		return nil, err
	}
	out := make([]PendingTrip, 0, len(slips))
	for _, sl := range slips {
		days := int(sl.Deadline.Sub(asOf).Hours() / 24)
		out = append(out, PendingTrip{Slip: sl, DaysLeft: days, Nearing: days >= 0 && days <= s.set.CollectiveWarnDays, Overdue: days < 0})
	}
	return out, nil
}

// checkEntryPasses checks a 先入区后报关 list against the type-1 passes its
// goods entered on: passed, on its book, and carrying at least what the
// list declares of each book line once the goods other live lists (not
// deleted, not returned) claim of those passes are set aside. Run in the
// filing's serializable transaction, two lists filed or declared at once
// cannot both claim the same goods; it locks the passes, in number order,
// so the second waits instead of retrying. It records in l.EntryClaims what each
// line takes of each pass: of the passes in the order the list names them,
// the first goods no other list claims.
func (s *Service) checkEntryPasses(ctx context.Context, q querier, l *List) error {
	l.EntryClaims = nil
	if len(l.EntryPassNos) == 0 {
		return ledger.BadArgument("entry_pass_nos", "a 先入区后报关 list names the type-1 passes its goods entered on")
	}
	for i, no := range l.EntryPassNos {
		if slices.Contains(l.EntryPassNos[:i], no) {
			return ledger.BadArgument(fmt.Sprintf("entry_pass_nos[%d]", i), "pass %s is named twice; name each pass once", no)
		}
	}
	passes := map[string]Pass{}
	for _, no := range slices.Sorted(slices.Values(l.EntryPassNos)) {
		var ps Pass
		if _, err := getDoc(ctx, q, kindPass, no, true, &ps); err != nil {
			return withField(passNotFound(err, no), fmt.Sprintf("entry_pass_nos[%d]", slices.Index(l.EntryPassNos, no)))
		}
		passes[no] = ps
	}
	carried := map[int]decimal.Decimal{}
	for i, no := range l.EntryPassNos {
		f := fmt.Sprintf("entry_pass_nos[%d]", i)
		ps := passes[no]
		if ps.Book != l.Book || ps.Type != codes.PassEnterFirst {
			return ledger.Invalid(ReasonPassListMismatch, f, "pass %s is not a 先入区后报关 pass of book %s", no, l.Book)
		}
		if ps.Status != PassPassed {
			return ledger.Precondition(ReasonWrongStatus, f, "pass %s is %s; its goods have not entered", no, strings.ToLower(string(ps.Status)))
		}
		if n := len(ps.Events); n > 0 && !l.Date.IsZero() && s.dateOf(ps.Events[n-1].At).After(l.Date) {
			return ledger.Invalid(ReasonPassListMismatch, "date", "pass %s's goods entered on %s, after the list's date %s", no, ledger.FormatDate(s.dateOf(ps.Events[n-1].At)), ledger.FormatDate(l.Date))
		}
		for _, ln := range ps.Lines {
			carried[ln.BookSeq] = carried[ln.BookSeq].Add(ln.Quantity)
		}
	}
	for i, ln := range l.Lines {
		if ln.DeclaredQuantity.GreaterThan(carried[ln.BookSeq]) {
			return ledger.Invalid(ReasonPassExceedsList, fmt.Sprintf("lines[%d].quantity", i), "the passes brought %s of book line %d; the list declares %s", carried[ln.BookSeq], ln.BookSeq, ln.DeclaredQuantity)
		}
	}
	left, by, err := s.unclaimedEntries(ctx, q, l, passes)
	if err != nil {
		return err
	}
	for i, ln := range l.Lines {
		claims, short := takeEntries(left, l.EntryPassNos, ln.BookSeq, ln.DeclaredQuantity)
		if short.IsPositive() {
			others := []string{}
			for _, no := range l.EntryPassNos {
				for _, o := range by[entryKey{no, ln.BookSeq}] {
					if !slices.Contains(others, o) {
						others = append(others, o)
					}
				}
			}
			return ledger.Precondition(ReasonEntryPassClaimed, fmt.Sprintf("lines[%d].quantity", i),
				"passes %s brought %s of book line %d and lists %s already claim some of those goods; %s is left for this line, which declares %s: declare at most what is left, or delete the list that claims the goods (or have customs return it) to free them",
				strings.Join(l.EntryPassNos, ", "), carried[ln.BookSeq], ln.BookSeq, strings.Join(others, ", "), ln.DeclaredQuantity.Sub(short), ln.DeclaredQuantity)
		}
		l.EntryClaims = append(l.EntryClaims, claims...)
	}
	return nil
}

// entryKey names the goods of one book line on one type-1 pass.
type entryKey struct {
	pass string
	seq  int
}

// unclaimedEntries returns, per pass and book line, the goods the passes
// carried that no other live 先入区后报关 list of the book claims, and the
// lists that claim some. A list filed before claims were recorded is taken
// to claim the first goods of its passes in the order it names them.
func (s *Service) unclaimedEntries(ctx context.Context, q querier, l *List, passes map[string]Pass) (map[entryKey]decimal.Decimal, map[entryKey][]string, error) {
	left := map[entryKey]decimal.Decimal{}
	for no, ps := range passes {
		for _, ln := range ps.Lines {
			k := entryKey{no, ln.BookSeq}
			left[k] = left[k].Add(ln.Quantity)
		}
	}
	patterns := make([]string, len(l.EntryPassNos))
	for i, no := range l.EntryPassNos {
		patterns[i] = `%"` + no + `"%`
	}
	rows, err := q.Query(ctx, `SELECT no, body FROM zone_documents WHERE kind = $1 AND book = $2 AND no <> $3 AND status <> ALL($4) AND body LIKE ANY($5) ORDER BY no`,
		kindList, l.Book, l.No, []string{string(ListDeleted), string(ListReturned)}, patterns)
	if err != nil {
		return nil, nil, err
	}
	var others []List
	for rows.Next() {
		var no, body string
		if err := rows.Scan(&no, &body); err != nil {
			rows.Close()
			return nil, nil, err
		}
		var o List
		if err := jsonUnmarshal(body, &o); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if o.Flow == FlowEnterFirst {
			others = append(others, o)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	by := map[entryKey][]string{}
	for _, o := range others {
		claims := o.EntryClaims
		if claims == nil {
			own := map[entryKey]decimal.Decimal{}
			for _, no := range o.EntryPassNos {
				var ps Pass
				if _, err := getDoc(ctx, q, kindPass, no, false, &ps); err != nil {
					return nil, nil, err
				}
				for _, ln := range ps.Lines {
					k := entryKey{no, ln.BookSeq}
					own[k] = own[k].Add(ln.Quantity)
				}
			}
			for _, ln := range o.Lines {
				c, _ := takeEntries(own, o.EntryPassNos, ln.BookSeq, ln.DeclaredQuantity)
				claims = append(claims, c...)
			}
		}
		for _, c := range claims {
			k := entryKey{c.Pass, c.BookSeq}
			if _, ours := passes[c.Pass]; !ours {
				continue
			}
			left[k] = left[k].Sub(c.Quantity)
			by[k] = append(by[k], o.No)
		}
	}
	return left, by, nil
}

// takeEntries takes qty of book line seq from what is left on the passes,
// in their order, and returns what it took and what it could not.
func takeEntries(left map[entryKey]decimal.Decimal, passes []string, seq int, qty decimal.Decimal) ([]EntryClaim, decimal.Decimal) {
	var out []EntryClaim
	for _, no := range passes {
		if !qty.IsPositive() {
			break
		}
		k := entryKey{no, seq}
		take := decimal.Min(left[k], qty)
		if !take.IsPositive() {
			continue
		}
		left[k] = left[k].Sub(take)
		qty = qty.Sub(take)
		out = append(out, EntryClaim{Pass: no, BookSeq: seq, Quantity: take})
	}
	return out, qty
}
