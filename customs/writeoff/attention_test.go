package writeoff

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// attention returns every row of the attention list p reads on asOf,
// paging one row at a time.
func (w *cycleWorld) attention(p access.Principal, q AttentionQuery) []AttentionItem {
	w.t.Helper()
	var out []AttentionItem
	q.Limit = 1
	for {
		page, err := w.cy.ListAttention(w.ctx, p, q)
		w.must(err)
		out = append(out, page.Items...)
		if page.Next == "" {
			return out
		}
		q.After = page.Next
	}
}

func kinds(items []AttentionItem) []AttentionKind {
	var out []AttentionKind
	for _, it := range items {
		out = append(out, it.Kind)
	}
	return out
}

// TestAttentionWriteOffCycleEndingThenOverdueUntilWrittenOff: a book shows
// from AttentionCycleDays before its cycle's end as ending, after the end
// as overdue, and leaves the list once written off for that cycle.
func TestAttentionWriteOffCycleEndingThenOverdueUntilWrittenOff(t *testing.T) {
	w := newCycleWorld(t)
	w.cycle()
	start := w.today().AddDate(0, 0, -100)
	end := start.AddDate(1, 0, -1)
	at := func(day string) []AttentionItem {
		return w.attention(w.customs, AttentionQuery{AsOf: end.AddDate(0, 0, map[string]int{"before": -31, "ending": -30, "after": 1}[day])})
	}
	if got := at("before"); len(got) != 0 {
		t.Fatalf("31 days before the end: %+v", got)
	}
	got := at("ending")
	if len(got) != 1 || got[0].Kind != AttentionCycleEnding || got[0].Book != w.book || got[0].Enterprise != w.e1.Enterprise || !got[0].Due.Equal(end) || got[0].Days != 0 {
		t.Fatalf("30 days before the end: %+v", got)
	}
	got = at("after")
	if len(got) != 1 || got[0].Kind != AttentionCycleOverdue || !got[0].Since.Equal(end) || got[0].Days != 1 {
		t.Fatalf("the day after the end: %+v", got)
	}
	// Written off within the cycle: the next cycle is a year away.
	w.must(cycleErrOf(w.zone.SetLastWriteOffDate(w.ctx, w.customs, w.book, w.today())))
	if got := at("after"); len(got) != 0 {
		t.Fatalf("after the write-off: %+v", got)
	}
}

// TestAttentionShortageUnpaidUntilPaid: a taxed shortage shows from the
// count until customs records its payment.
func TestAttentionShortageUnpaidUntilPaid(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today())
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("97")}})
	w.must(err)
	got := w.attention(w.e1, AttentionQuery{})
	if len(got) != 1 || got[0].Kind != AttentionShortageUnpaid || got[0].Documents[0] != st.No || !got[0].Amount.Equal(num("593.40")) || !got[0].Quantity.Equal(num("3")) || !got[0].Since.Equal(w.today()) {
		t.Fatalf("after the count: %+v", got)
	}
	w.must(cycleErrOf(w.cy.RecordShortagePayment(w.ctx, w.customs, st.No, 1, "P-1", num("593.40"), w.today())))
	if got := w.attention(w.e1, AttentionQuery{}); len(got) != 0 {
		t.Fatalf("after the payment: %+v", got)
	}
}

// TestAttentionListDeclaredTooLongAndGateHold: a declared list shows once
// declared more than AttentionListDays and leaves when customs returns
// it; a vehicle held at the gate shows until customs releases it.
func TestAttentionListDeclaredTooLongAndGateHold(t *testing.T) {
	w := newCycleWorld(t)
	in := func(inner string) zone.List {
		l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "JPN",
			Lines: []zone.ListLine{{BookSeq: 1, Quantity: num("10"), Total: num("1000"), GrossWeight: num("10")}}})
		w.must(err)
		l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
		w.must(err)
		return l
	}
	stale, moving := in("L-1"), in("L-2")
	days := w.cy.Settings().AttentionListDays
	if got := w.attention(w.customs, AttentionQuery{AsOf: w.today().AddDate(0, 0, days)}); len(got) != 0 {
		t.Fatalf("declared %d days: %+v", days, got)
	}
	got := w.attention(w.customs, AttentionQuery{AsOf: w.today().AddDate(0, 0, days+1)})
	if !slices.Equal(kinds(got), []AttentionKind{AttentionListDeclared, AttentionListDeclared}) || got[0].Documents[0] != stale.No || got[0].Days != days+1 || !got[0].Quantity.Equal(num("10")) {
		t.Fatalf("declared %d days: %+v", days+1, got)
	}
	w.must(cycleErrOf(w.zone.ReturnList(w.ctx, w.customs, stale.No, "wrong country")))

	w.must(cycleErrOf(w.zone.ApproveList(w.ctx, w.customs, moving.No, "")))
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-1", Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{moving.No}, Vehicle: "沪A00001", GrossWeight: num("10")})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "G-1", Vehicle: "沪B99999", ScaleGross: num("10")})
	w.must(err)
	if ps.Status != zone.PassHeld {
		t.Fatalf("pass %s, want held", ps.Status)
	}
	got = w.attention(w.customs, AttentionQuery{})
	if !slices.Equal(kinds(got), []AttentionKind{AttentionGateHold}) || got[0].Documents[0] != ps.No || got[0].Days != 0 {
		t.Fatalf("after the hold: %+v", got)
	}
	w.must(cycleErrOf(w.zone.ReleaseHold(w.ctx, w.customs, ps.No, "inspected")))
	if got := w.attention(w.customs, AttentionQuery{}); len(got) != 0 {
		t.Fatalf("after the release: %+v", got)
	}
}

// TestAttentionReadsOnlyTheCallersBooks: the owner and customs see the
// book's rows, another enterprise none (and the book as unknown), an
// admin is refused.
func TestAttentionReadsOnlyTheCallersBooks(t *testing.T) {
	w := newCycleWorld(t)
	w.cycle()
	asOf := w.today().AddDate(1, 0, 0)
	for _, p := range []access.Principal{w.customs, w.e1} {
		if got := w.attention(p, AttentionQuery{AsOf: asOf}); len(got) != 1 {
			t.Fatalf("%s sees %+v", p.ID, got)
		}
	}
	if got := w.attention(w.e2, AttentionQuery{AsOf: asOf}); len(got) != 0 {
		t.Fatalf("another enterprise sees %+v", got)
	}
	_, err := w.cy.ListAttention(w.ctx, w.e2, AttentionQuery{Book: w.book, AsOf: asOf})
	wantCycleRefusal(t, err, zone.ReasonUnknownBook, "book_no")
	_, err = w.cy.ListAttention(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, AttentionQuery{AsOf: asOf})
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "")
}

// TestAttentionAndDifferencesReportsRoundTrip: the attention list and a
// stocktake's differences written as CSV and as XLSX read back as the same
// rows, every figure exact text (the tax to the fen).
func TestAttentionAndDifferencesReportsRoundTrip(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today())
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("97")}})
	w.must(err)
	items := w.attention(w.customs, AttentionQuery{})
	want := [][]string{AttentionHeader()}
	for _, it := range items {
		want = append(want, AttentionRecord(it))
	}
	if len(want) != 2 || want[1][8] != "593.40" || want[1][7] != "3" {
		t.Fatalf("attention rows %v", want)
	}
	dwant := [][]string{DifferencesHeader()}
	for _, d := range st.Differences {
		dwant = append(dwant, DifferencesRecord(st, d))
	}
	if len(dwant) != 2 || dwant[1][15] != "593.40" || dwant[1][9] != "-3" {
		t.Fatalf("difference rows %v", dwant)
	}
	for _, f := range []BalanceReportFormat{BalanceCSV, BalanceXLSX} {
		var a, d bytes.Buffer
		w.must(WriteAttentionReport(&a, f, items))
		w.must(WriteDifferencesReport(&d, f, st))
		for _, c := range []struct {
			name, sheet string
			buf         *bytes.Buffer
			want        [][]string
		}{{"attention", "Attention", &a, want}, {"differences", "Differences", &d, dwant}} {
			var got [][]string
			if f == BalanceCSV {
				got, err = csv.NewReader(c.buf).ReadAll()
			} else {
				x, err2 := excelize.OpenReader(c.buf)
				w.must(err2)
				got, err = x.GetRows(c.sheet)
				for i := range got { // GetRows drops trailing empty cells
					got[i] = append(got[i], make([]string, len(c.want[0])-len(got[i]))...)
				}
			}
			w.must(err)
			if !slices.EqualFunc(got, c.want, slices.Equal[[]string]) {
				t.Fatalf("%s %s read back:\n%q\nwritten:\n%q", f, c.name, got, c.want)
			}
		}
	}
}

// TestAttentionCarriesTheZoneOverdueListing: goods entered on a
// 先入区后报关 pass and not declared in time are a row of zone.ListOverdue
// and so of the attention list (OVERDUE_ENTER_FIRST), until a list
// declares them.
func TestAttentionCarriesTheZoneOverdueListing(t *testing.T) {
	w := newCycleWorld(t)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-EF", Book: w.book, Type: codes.PassEnterFirst, IO: codes.In, RelatedType: codes.RelatedBill,
		RelatedNos: []string{"MSKU1234567"}, Vehicle: "V1", GrossWeight: num("100"), Lines: []zone.PassLine{{BookSeq: 1, Quantity: num("6"), Value: num("30000"), Country: "DEU"}}})
	w.must(err)
	w.must(cycleErrOf(w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "ef-1", Vehicle: "V1", ScaleGross: num("100")})))
	days := w.zone.Settings().EnterFirstDeclareDays
	late := w.today().AddDate(0, 0, days+1)
	if got := w.attention(w.customs, AttentionQuery{AsOf: w.today().AddDate(0, 0, days)}); len(got) != 0 {
		t.Fatalf("within the days: %+v", got)
	}
	got := w.attention(w.e1, AttentionQuery{AsOf: late})
	if len(got) != 1 || got[0].Kind != AttentionOverduePrefix+AttentionKind(zone.OverdueEnterFirst) || got[0].Documents[0] != ps.No || got[0].Days != 1 ||
		!got[0].Quantity.Equal(num("6")) || !got[0].Due.Equal(w.today().AddDate(0, 0, days)) {
		t.Fatalf("after the days: %+v", got)
	}
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: "L-EF", Book: w.book, Type: codes.ListEnterFirst, IO: codes.In, TradeMode: "5034", EntryPassNos: []string{ps.No},
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: num("6"), Total: num("30000")}}})
	w.must(err)
	w.must(cycleErrOf(w.zone.DeclareList(w.ctx, w.e1, l.No)))
	for _, it := range w.attention(w.customs, AttentionQuery{AsOf: late}) {
		if it.Kind == AttentionOverduePrefix+AttentionKind(zone.OverdueEnterFirst) {
			t.Fatalf("declared, still overdue: %+v", it)
		}
	}
}
