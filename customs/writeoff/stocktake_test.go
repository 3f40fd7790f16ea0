package writeoff

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestCycleIsAtMostOneYearAndCustomsSetsItsStart: the enterprise sets 1 to
// 12 months, customs the start; neither sets the other's part.
func TestCycleIsAtMostOneYearAndCustomsSetsItsStart(t *testing.T) {
	w := newCycleWorld(t)
	_, err := w.cy.SetCycle(w.ctx, w.e1, w.book, 13)
	wantCycleRefusal(t, err, ledger.ReasonInvalidArgument, "months")
	_, err = w.cy.SetCycle(w.ctx, w.customs, w.book, 6)
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.cy.SetCycleStart(w.ctx, w.e1, w.book, w.today())
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "")
	cy, err := w.cy.SetCycleStart(w.ctx, w.customs, w.book, w.today().AddDate(0, 0, -100))
	w.must(err)
	if cy.Months != 12 {
		t.Fatalf("before the enterprise sets it, the cycle is %d months, not the book's 12", cy.Months)
	}
	w.cycle()
	cy, err = w.cy.GetCycle(w.ctx, w.customs, w.book)
	w.must(err)
	if cy.Months != 12 || !cy.Start.Equal(w.today().AddDate(0, 0, -100)) || !cy.End(w.today()).Equal(cy.Start.AddDate(1, 0, -1)) {
		t.Fatalf("cycle %+v", cy)
	}
}

// TestStocktakeNeedsANoticeBeforeIt: no cycle, no notice; a notice after
// the stocktake date is refused, and with writeoff.notice_lead_days 1 one
// on the day itself; a count before the stocktake date is refused.
func TestStocktakeNeedsANoticeBeforeIt(t *testing.T) {
	w := newCycleWorld(t)
	_, err := w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-0", w.today().AddDate(0, 0, 5))
	wantCycleRefusal(t, err, ReasonCycleNotSet, "book_no")
	w.cycle()
	_, err = w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-0", w.today().AddDate(0, 0, -1))
	wantCycleRefusal(t, err, ReasonNoNotice, "date")
	w.cy.set.NoticeLeadDays = 1
	_, err = w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-0", w.today())
	wantCycleRefusal(t, err, ReasonNoNotice, "date")
	w.cy.set.NoticeLeadDays = 0
	st, err := w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-1", w.today().AddDate(0, 0, 2))
	w.must(err)
	_, err = w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("1")}})
	wantCycleRefusal(t, err, ReasonStocktakeState, "stocktake_no")
	again, err := w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-1", w.today().AddDate(0, 0, 2))
	w.must(err)
	if again.No != st.No {
		t.Fatalf("a retried notice made %s, not %s", again.No, st.No)
	}
}

// TestBadCountFileNamesRowAndColumnAndStoresNothing: a CSV and an XLSX
// with a bad cell, and a well-formed file naming a line the book lacks,
// are refused with the row and column; the stocktake stays notified and
// no goods move.
func TestBadCountFileNamesRowAndColumnAndStoresNothing(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today())
	w.cycle()
	st := w.notified()

	_, err := ParseCounts(strings.NewReader("book_seq,status,quantity\n1,BONDED,97\n3,BONDED,1.5x\n"), FormatCSV)
	wantCycleRefusal(t, err, ReasonCountFile, "rows[3].quantity")
	if !strings.Contains(err.Error(), "row 3, column quantity") || !strings.Contains(err.Error(), "(C)") {
		t.Fatalf("the message does not name row 3, column C: %v", err)
	}
	_, err = ParseCounts(strings.NewReader("book_seq,quantity\n1,97\n"), FormatCSV)
	wantCycleRefusal(t, err, ReasonCountFile, "rows[1]")

	f := excelize.NewFile()
	for i, row := range [][]any{{"quantity", "book_seq", "status"}, {"97", 1, "BONDED"}, {"1", 3, "LOST"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		w.must(f.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	w.must(f.Write(&buf))
	_, err = ParseCounts(bytes.NewReader(buf.Bytes()), FormatXLSX)
	wantCycleRefusal(t, err, ReasonCountFile, "rows[3].status")
	if !strings.Contains(err.Error(), "(C)") {
		t.Fatalf("the message does not name column C: %v", err)
	}

	counts, err := ParseCounts(strings.NewReader("book_seq,status,quantity\n1,BONDED,97\n\n9,BONDED,1\n"), FormatCSV)
	w.must(err)
	_, err = w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", counts)
	wantCycleRefusal(t, err, ReasonCountFile, "rows[4].book_seq")
	counts, err = ParseCounts(strings.NewReader("book_seq,status,quantity\n1,BONDED,97.0001\n"), FormatCSV)
	w.must(err)
	_, err = w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", counts)
	wantCycleRefusal(t, err, ReasonCountFile, "rows[2].quantity")

	got, err := w.cy.GetStocktake(w.ctx, w.e1, st.No)
	w.must(err)
	if got.Status != StocktakeNotified || len(got.Counts) != 0 || !w.balance(1, "bonded").Equal(num("100")) {
		t.Fatalf("a refused count left %s with %d rows, bonded %s", got.Status, len(got.Counts), w.balance(1, "bonded"))
	}
}

// TestShortageTaxedToTheFenAndPaid: 3 kg of aluminium sheet (1,000.00 CNY
// a kg) short: they leave the book, duty 6 % = 180.00, VAT 13 % of
// 3,180.00 = 413.40, 593.40 in all, recorded as a taxable event; customs
// records the self-payment of exactly that amount.
func TestShortageTaxedToTheFenAndPaid(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today())
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("97")}})
	w.must(err)
	if len(st.Differences) != 1 {
		t.Fatalf("differences %+v", st.Differences)
	}
	df := st.Differences[0]
	if !df.Difference.Equal(num("-3")) || !df.Value.Equal(num("3000")) || !df.Duty.Equal(num("180")) || !df.VAT.Equal(num("413.40")) || !df.Tax.Equal(num("593.40")) || df.TaxEvent == 0 {
		t.Fatalf("shortage %+v", df)
	}
	if !w.balance(1, "bonded").Equal(num("97")) {
		t.Fatalf("bonded %s after the shortage, want 97", w.balance(1, "bonded"))
	}
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, w.today(), w.today(), 0, 10)
	w.must(err)
	if len(evs) != 1 || evs[0].ID != df.TaxEvent || !evs[0].Total.Equal(num("593.40")) || evs[0].ListNo != st.No {
		t.Fatalf("taxable events %+v", evs)
	}
	again, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("97")}})
	w.must(err)
	if len(again.ShortageJournals) != 1 || again.ShortageJournals[0] != st.ShortageJournals[0] || !w.balance(1, "bonded").Equal(num("97")) {
		t.Fatalf("a retried import moved goods again")
	}

	_, err = w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	wantCycleRefusal(t, err, ReasonUnsettled, "stocktake_no")
	_, err = w.cy.RecordShortagePayment(w.ctx, w.e1, st.No, 1, "PAY-1", num("593.40"), w.today())
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.cy.RecordShortagePayment(w.ctx, w.customs, st.No, 1, "PAY-1", num("593.39"), w.today())
	wantCycleRefusal(t, err, ReasonPaymentAmount, "amount")
	st, err = w.cy.RecordShortagePayment(w.ctx, w.customs, st.No, 1, "PAY-1", num("593.40"), w.today())
	w.must(err)
	if p := st.Differences[0].Payment; p == nil || p.No != "PAY-1" || !p.Amount.Equal(num("593.40")) || p.RecordedBy != "officer" {
		t.Fatalf("payment %+v", p)
	}
	_, err = w.cy.RecordShortagePayment(w.ctx, w.customs, st.No, 1, "PAY-2", num("593.40"), w.today())
	wantCycleRefusal(t, err, ReasonStocktakeState, "payment_no")
}

// TestShortageOfProcessedGoodTaxedByMaterialsWithInterest: 2 microwave
// ovens short, made of 2 kg aluminium each (单耗 version in force): duty
// on 4 kg of aluminium at 1,000.00 = 4,000.00 × 6 % = 240.00; VAT on the
// ovens' 10,000.00 plus that duty = 1,331.20; 缓税利息 on 1,571.20 for the
// 60 days since the last write-off at 0.35 % a year = 0.92.
func TestShortageOfProcessedGoodTaxedByMaterialsWithInterest(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today().AddDate(0, 0, -150))
	w.bring(2, "10", "50000", w.today().AddDate(0, 0, -150))
	w.must(cycleErrOf(w.proc.PutVersion(w.ctx, w.e1, ovenVersion(w.book, w.today().AddDate(0, 0, -200)))))
	w.must(cycleErrOf(w.proc.DeclareVersion(w.ctx, w.e1, w.book, 2, "1")))
	w.must(cycleErrOf(w.zone.SetLastWriteOffDate(w.ctx, w.customs, w.book, w.today().AddDate(0, 0, -60))))
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{
		{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("100")},
		{Row: 3, BookSeq: 2, Status: CountBonded, Quantity: num("8")},
	})
	w.must(err)
	if len(st.Differences) != 1 {
		t.Fatalf("differences %+v", st.Differences)
	}
	df := st.Differences[0]
	if df.DutyBasis != "MATERIALS" || !df.Value.Equal(num("10000")) || !df.Duty.Equal(num("240")) || !df.VAT.Equal(num("1331.20")) || !df.Interest.Equal(num("0.92")) || df.AssessError != "" {
		t.Fatalf("shortage %+v", df)
	}
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, w.today(), w.today(), 0, 10)
	w.must(err)
	if len(evs) != 1 || evs[0].InterestDays != 60 || len(evs[0].Materials) != 1 || !evs[0].Materials[0].DutiableValue.Equal(num("4000")) {
		t.Fatalf("taxable events %+v", evs)
	}
}

// TestSurplusApprovedPostsItsJournalRejectedPostsNothing: a bonded surplus
// approved enters the book; a non-bonded one rejected leaves it as it
// was; only customs decides, only once it is explained.
func TestSurplusApprovedPostsItsJournalRejectedPostsNothing(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(3, "10", "2000", w.today())
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{
		{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("12")},
		{Row: 3, BookSeq: 1, Status: CountNonBonded, Quantity: num("5")},
	})
	w.must(err)
	if len(st.Differences) != 2 || !st.Differences[0].Surplus() || !st.Differences[1].Surplus() {
		t.Fatalf("differences %+v", st.Differences)
	}
	_, err = w.cy.DecideSurplus(w.ctx, w.customs, st.No, 3, CountBonded, true, "ok")
	wantCycleRefusal(t, err, ReasonStocktakeState, "book_seq")
	_, err = w.cy.ExplainSurplus(w.ctx, w.customs, st.No, 3, CountBonded, "found", num("400"))
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "stocktake_no")
	w.must(cycleErrOf(w.cy.ExplainSurplus(w.ctx, w.e1, st.No, 3, CountBonded, "two units booked out twice", num("400"))))
	w.must(cycleErrOf(w.cy.ExplainSurplus(w.ctx, w.e1, st.No, 1, CountNonBonded, "a customer's goods", num("0"))))
	_, err = w.cy.DecideSurplus(w.ctx, w.e1, st.No, 3, CountBonded, true, "ok")
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "")
	st, err = w.cy.DecideSurplus(w.ctx, w.customs, st.No, 3, CountBonded, true, "ok")
	w.must(err)
	st, err = w.cy.DecideSurplus(w.ctx, w.customs, st.No, 1, CountNonBonded, false, "not ours to book")
	w.must(err)
	if !w.balance(3, "bonded").Equal(num("12")) || !w.balance(1, "nonbonded").IsZero() {
		t.Fatalf("bonded line 3 %s (want 12), nonbonded line 1 %s (want 0)", w.balance(3, "bonded"), w.balance(1, "nonbonded"))
	}
	if st.Differences[1].Journal == 0 || st.Differences[0].Journal != 0 || st.Differences[0].Decision != DecisionRejected {
		t.Fatalf("decisions %+v", st.Differences)
	}
	_, err = w.cy.DecideSurplus(w.ctx, w.customs, st.No, 1, CountNonBonded, true, "changed my mind")
	wantCycleRefusal(t, err, ReasonStocktakeState, "approve")
}

// TestCloseSetsTheDateAndSeals: closing seals the period through the
// stocktake date and sets the book's last write-off date; a posting dated
// in the closed period is refused.
func TestCloseSetsTheDateAndSeals(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(3, "10", "2000", w.today())
	w.cycle()
	st := w.notified()
	_, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	wantCycleRefusal(t, err, ReasonStocktakeState, "stocktake_no")
	w.must(cycleErrOf(w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("10")}})))
	_, err = w.cy.CloseWriteOff(w.ctx, w.customs, st.No)
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "stocktake_no")
	st, err = w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if st.Status != StocktakeClosed || st.Digest == "" {
		t.Fatalf("closed stocktake %+v", st)
	}
	b, err := w.zone.GetBook(w.ctx, w.customs, w.book)
	w.must(err)
	if !b.LastWriteOffDate.Equal(w.today()) {
		t.Fatalf("last write-off date %s, want %s", b.LastWriteOffDate, w.today())
	}
	ps, err := w.store.Periods(w.ctx, w.book)
	w.must(err)
	if len(ps) != 1 || !ps[0].Through.Equal(w.today()) {
		t.Fatalf("periods %+v", ps)
	}
	_, err = w.store.Post(w.ctx, ledger.JournalRequest{Book: w.book, IdempotencyKey: "late", EffectiveDate: w.today(),
		Document: ledger.Document{Type: "TEST", Number: "LATE"}, Principal: "test",
		Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: w.book, Code: "3"}, From: ledger.World("abroad"), To: ledger.In(w.book, "bonded"), Quantity: num("1"), Unit: "007", Value: num("1")}}})
	if ledger.ReasonOf(err) != ledger.ReasonPeriodClosed {
		t.Fatalf("a posting in the closed period: %v", err)
	}
	again, err := w.cy.CloseWriteOff(w.ctx, w.e1, st.No)
	w.must(err)
	if again.Digest != st.Digest {
		t.Fatalf("closing again changed the digest")
	}
}

// TestOnlyTheBooksEnterpriseFilesCounts: another enterprise does not see
// the stocktake; customs may not file the count.
func TestOnlyTheBooksEnterpriseFilesCounts(t *testing.T) {
	w := newCycleWorld(t)
	w.cycle()
	_, err := w.cy.NotifyStocktake(w.ctx, w.e2, w.book, "N-1", w.today().AddDate(0, 0, 3))
	wantCycleRefusal(t, err, "UNKNOWN_BOOK", "book_no")
	st := w.notified()
	rows := []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("0")}}
	_, err = w.cy.ImportStocktake(w.ctx, w.e2, st.No, "C-1", rows)
	wantCycleRefusal(t, err, "UNKNOWN_DOCUMENT", "stocktake_no")
	_, err = w.cy.ImportStocktake(w.ctx, w.customs, st.No, "C-1", rows)
	wantCycleRefusal(t, err, ledger.ReasonPermissionDenied, "stocktake_no")
	_, err = w.cy.ListDifferences(w.ctx, w.e2, st.No)
	wantCycleRefusal(t, err, "UNKNOWN_DOCUMENT", "stocktake_no")
	_, err = w.cy.ListStocktakes(w.ctx, w.e2, w.book, "", 10)
	wantCycleRefusal(t, err, "UNKNOWN_BOOK", "book_no")
	sts, err := w.cy.ListStocktakes(w.ctx, w.customs, w.book, "", 10)
	w.must(err)
	if len(sts) != 1 || sts[0].No != st.No {
		t.Fatalf("customs lists %+v", sts)
	}
}

// TestMoreShortagesThanAJournalHolds: 1,001 lines short leave the book in
// two journals (a journal holds at most ledger.MaxPostings postings), all
// in the count's transaction, each line taxed.
func TestMoreShortagesThanAJournalHolds(t *testing.T) {
	w := newCycleWorld(t)
	const n = ledger.MaxPostings + 1
	var lines []zone.BookLine
	for seq := 4; seq < 4+n; seq++ {
		lines = append(lines, zone.BookLine{Seq: seq, HSCode: "8504409999", Name: fmt.Sprintf("part %d", seq), DeclaredUnit: "007", Scale: 0,
			Legal: zone.LegalUnit{Unit: "007", Factor: num("1")}, Type: codes.GoodsMaterial})
	}
	for from := 0; from < len(lines); from += zone.MaxLinesPerDoc {
		w.must(cycleErrOf(w.zone.AddBookLines(w.ctx, w.e1, w.book, lines[from:min(from+zone.MaxLinesPerDoc, len(lines))])))
	}
	for from := 0; from < len(lines); from += ledger.MaxPostings {
		req := ledger.JournalRequest{Book: w.book, IdempotencyKey: fmt.Sprintf("bring-many-%d", from), EffectiveDate: w.today(),
			Document: ledger.Document{Type: "TEST", Number: "MANY"}, Principal: "test"}
		for _, l := range lines[from:min(from+ledger.MaxPostings, len(lines))] {
			req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: w.book, Code: fmt.Sprint(l.Seq)}, From: ledger.World(zone.WorldAbroad),
				To: ledger.In(w.book, zone.AccountBonded), Quantity: num("1"), Unit: "007", Value: num("2000")})
		}
		w.must(cycleErrOf(w.store.Post(w.ctx, req)))
	}
	w.cycle()
	st := w.notified()
	st, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 4, Status: CountBonded, Quantity: num("0")}})
	w.must(err)
	if len(st.Differences) != n || len(st.ShortageJournals) != 2 {
		t.Fatalf("%d differences in %d journals", len(st.Differences), len(st.ShortageJournals))
	}
	for _, df := range st.Differences {
		if df.TaxEvent == 0 || !df.Value.Equal(num("2000")) || !df.Tax.Equal(num("373.00")) {
			t.Fatalf("shortage %+v", df)
		}
	}
	if b := w.balance(4+n-1, "bonded"); !b.IsZero() {
		t.Fatalf("the last line still holds %s", b)
	}
}

// TestShortageOfReservedGoodsNamesItsRow: goods reserved by a declared
// list are counted as the book's, but cannot leave as a shortage: the
// refusal names the row of the count and nothing is stored.
func TestShortageOfReservedGoodsNamesItsRow(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "10", "10000", w.today())
	w.must(cycleErrOf(w.store.Post(w.ctx, ledger.JournalRequest{Book: w.book, IdempotencyKey: "reserve", EffectiveDate: w.today(),
		Document: ledger.Document{Type: "TEST", Number: "RES"}, Principal: "test",
		Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: w.book, Code: "1"}, From: ledger.In(w.book, zone.AccountBonded),
			To: ledger.In(w.book, zone.AccountReserved), Quantity: num("6"), Unit: "035"}}})))
	w.cycle()
	st := w.notified()
	_, err := w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", []Count{{Row: 2, BookSeq: 3, Status: CountBonded, Quantity: num("0")},
		{Row: 3, BookSeq: 1, Status: CountBonded, Quantity: num("2")}})
	wantCycleRefusal(t, err, ledger.ReasonInsufficient, "rows[3].quantity")
	got, err := w.cy.GetStocktake(w.ctx, w.e1, st.No)
	w.must(err)
	if got.Status != StocktakeNotified || !w.balance(1, "bonded").Equal(num("4")) {
		t.Fatalf("a refused count left %s, bonded %s", got.Status, w.balance(1, "bonded"))
	}
}

// TestConcurrentRetriesOfACountApplyItOnce: the same import sent four
// times at once (a client retrying) takes the shortage off the book once
// and answers every caller with the same stocktake.
func TestConcurrentRetriesOfACountApplyItOnce(t *testing.T) {
	w := newCycleWorld(t)
	w.bring(1, "100", "100000", w.today())
	w.cycle()
	st := w.notified()
	rows := []Count{{Row: 2, BookSeq: 1, Status: CountBonded, Quantity: num("97")}}
	var wg sync.WaitGroup
	got := make([]Stocktake, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = w.cy.ImportStocktake(w.ctx, w.e1, st.No, "C-1", rows)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || len(got[i].ShortageJournals) != 1 || got[i].ShortageJournals[0] != got[0].ShortageJournals[0] {
			t.Fatalf("import %d: %v, journals %v (first %v)", i, errs[i], got[i].ShortageJournals, got[0].ShortageJournals)
		}
	}
	if !w.balance(1, "bonded").Equal(num("97")) {
		t.Fatalf("bonded %s after four retries of one count, want 97", w.balance(1, "bonded"))
	}
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, w.today(), w.today(), 0, 10)
	w.must(err)
	if len(evs) != 1 {
		t.Fatalf("%d taxable events, want 1", len(evs))
	}
}
