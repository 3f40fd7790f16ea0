package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// TestDemo runs the whole demo against a real server (embedded PostgreSQL)
// and checks the books it leaves behind. With -short it simulates only the
// first 12 days of the month (still with every kind of filing).
func TestDemo(t *testing.T) {
	days := 31
	if testing.Short() {
		days = 12
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	dir := pgtest.TempDir(t)
	s, err := server.Start(ctx, server.Config{DataDir: dir, Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Stop(sctx); err != nil {
			t.Errorf("stopping the server: %v", err)
		}
	})
	tok, err := os.ReadFile(s.AdminTokenFile)
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	tokenDir := filepath.Join(t.TempDir(), "tokens")
	res, err := Run(ctx, Options{Addr: s.Addr, AdminToken: strings.TrimSpace(string(tok)), Days: days, Out: &out, TokenDir: tokenDir})
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if testing.Verbose() {
		t.Logf("report:\n%s", out.String())
	}

	// The plan held: every outcome as expected, every holding equal to the
	// demo's own FIFO books (quantity and value).
	if len(res.Unexpected) != 0 || len(res.Mismatches) != 0 {
		t.Fatalf("unexpected outcomes %v, mismatches %v", res.Unexpected, res.Mismatches)
	}
	if res.Accepted+res.Refused != res.Filed || res.Accepted < 100 {
		t.Errorf("filed %d, accepted %d, refused %d", res.Filed, res.Accepted, res.Refused)
	}
	for _, b := range []string{"H4601A000045", "T4601W000123", "H4601A000102"} {
		if len(res.Balances[b]) == 0 {
			t.Errorf("book %s has no balances", b)
		}
	}

	// Exactly the deliberate refusals, each with its reason.
	var reasons []string
	for _, r := range res.Refusals {
		if !r.Expected {
			t.Errorf("refusal %+v was not planned", r)
		}
		reasons = append(reasons, r.Reason)
	}
	slices.Sort(reasons)
	want := []string{reasonInsufficient, reasonInsufficient, reasonInsufficient, reasonClosed, reasonUnit}
	if !slices.Equal(reasons, want) {
		t.Errorf("refusal reasons %v, want %v", reasons, want)
	}

	conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	lc := ledgerv1.NewLedgerServiceClient(conn)
	customs := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+res.Tokens["customs-4601"])

	journals := func(book string) []*ledgerv1.Journal {
		var all []*ledgerv1.Journal
		tok := ""
		for {
			r, err := lc.ListJournals(customs, &ledgerv1.ListJournalsRequest{BookId: book, PageSize: 1000, PageToken: tok})
			if err != nil {
				t.Fatalf("ListJournals %s: %v", book, err)
			}
			all = append(all, r.GetJournals()...)
			if tok = r.GetNextPageToken(); tok == "" {
				return all
			}
		}
	}
	byBook := map[string][]*ledgerv1.Journal{}
	keys := map[string]bool{}
	for _, b := range []string{"H4601A000045", "T4601W000123", "H4601A000102"} {
		byBook[b] = journals(b)
		for _, j := range byBook[b] {
			keys[j.GetBookId()+"/"+j.GetIdempotencyKey()] = true
		}
	}

	// Refused filings left nothing behind.
	for _, r := range res.Refusals {
		if keys[r.Book+"/"+r.Document] {
			t.Errorf("refused filing %s of %s was booked", r.Document, r.Book)
		}
	}

	// Each transfer is one journal, filed on the seller's book, that takes
	// the chips out of 环岛's bonded stock and puts them into 琼芯's; both
	// books list it.
	if len(res.Transfers) == 0 {
		t.Fatal("no intra-zone transfer")
	}
	for _, tr := range res.Transfers {
		gj, err := lc.GetJournal(customs, &ledgerv1.GetJournalRequest{JournalId: tr.JournalID})
		if err != nil {
			t.Fatal(err)
		}
		j := gj.GetJournal()
		ps := j.GetPostings()
		if j.GetBookId() != "T4601W000123" || len(ps) != 2 {
			t.Fatalf("transfer journal %d: book %s, %d postings", tr.JournalID, j.GetBookId(), len(ps))
		}
		out, in := ps[0], ps[1]
		if out.GetFrom().GetBookId() != "T4601W000123" || out.GetFrom().GetName() != "bonded" || out.GetTo().GetName() != "zone-transfer" ||
			in.GetFrom().GetName() != "zone-transfer" || in.GetTo().GetBookId() != "H4601A000045" || in.GetTo().GetName() != "bonded" ||
			in.GetItemBookId() != "H4601A000045" || in.GetItemCode() != "I1" {
			t.Errorf("transfer journal %d postings: %v", tr.JournalID, ps)
		}
		if out.GetQuantity() != tr.Info.Qty.String() || in.GetQuantity() != tr.Info.Qty.String() {
			t.Errorf("transfer journal %d moved %s / %s, want %s", tr.JournalID, out.GetQuantity(), in.GetQuantity(), tr.Info.Qty)
		}
		for _, b := range []string{"H4601A000045", "T4601W000123"} {
			if !slices.ContainsFunc(byBook[b], func(x *ledgerv1.Journal) bool { return x.GetJournalId() == tr.JournalID }) {
				t.Errorf("book %s does not list transfer journal %d", b, tr.JournalID)
			}
		}
		// The buyer's day totals show the chips arriving that day.
		dt, err := lc.GetDayTotals(customs, &ledgerv1.GetDayTotalsRequest{BookId: "H4601A000045", Account: "bonded", ItemCode: "I1", FromDate: tr.Date, ToDate: tr.Date})
		if err != nil {
			t.Fatal(err)
		}
		if len(dt.GetDayTotals()) != 1 {
			t.Fatalf("day totals of H4601A000045 bonded I1 on %s: %v", tr.Date, dt.GetDayTotals())
		}
		if in, _ := decimal.NewFromString(dt.GetDayTotals()[0].GetQuantityIn()); in.LessThan(tr.Info.Qty) {
			t.Errorf("H4601A000045 bonded I1 received %s on %s, less than the transfer's %s", in, tr.Date, tr.Info.Qty)
		}
	}

	// The correction: the original is marked reversed, the reversal undoes
	// exactly its quantity, and the re-filed list is booked.
	cr := res.Correction
	if cr == nil || cr.Refiled == 0 {
		t.Fatalf("correction: %+v", cr)
	}
	orig, err := lc.GetJournal(customs, &ledgerv1.GetJournalRequest{JournalId: cr.Original})
	if err != nil {
		t.Fatal(err)
	}
	rev, err := lc.GetJournal(customs, &ledgerv1.GetJournalRequest{JournalId: cr.Reversal})
	if err != nil {
		t.Fatal(err)
	}
	if orig.GetJournal().GetReversedBy() != cr.Reversal || rev.GetJournal().GetReversalOf() != cr.Original {
		t.Errorf("reversal links: original reversed_by %d, reversal reversal_of %d", orig.GetJournal().GetReversedBy(), rev.GetJournal().GetReversalOf())
	}
	op, rp := orig.GetJournal().GetPostings()[0], rev.GetJournal().GetPostings()[0]
	if op.GetQuantity() != rp.GetQuantity() || op.GetValue() != rp.GetValue() || rp.GetFrom().GetName() != "bonded" || rp.GetTo().GetName() != "abroad" {
		t.Errorf("reversal posting %v does not undo %v", rp, op)
	}

	// The sealed period covers every journal of the book through the last
	// day, and verifies.
	if !res.VerifyOK || len(res.Problems) != 0 {
		t.Errorf("VerifyPeriods: ok %t, problems %v", res.VerifyOK, res.Problems)
	}
	if got, want := res.Period.GetJournalCount(), int64(len(byBook["T4601W000123"])); got != want {
		t.Errorf("sealed period holds %d journals, the book lists %d", got, want)
	}
	if res.Period.GetThrough() != res.LastDay || len(res.Period.GetDigest()) == 0 {
		t.Errorf("period %v", res.Period)
	}
	vr, err := lc.VerifyPeriods(customs, &ledgerv1.VerifyPeriodsRequest{BookId: "T4601W000123"})
	if err != nil || !vr.GetOk() {
		t.Errorf("VerifyPeriods again: %v %v", vr, err)
	}

	// Tokens were written for exploring.
	if fi, err := os.Stat(filepath.Join(tokenDir, "huandao.token")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v %v", fi, err)
	}
	checkLogistics(t, res, days, conn, customs)
	checkSales(t, res, conn, customs)
	checkCountsAgreeWithTables(t, out.String())
	checkSelective(t, res, out.String())
	checkManufacturing(t, res, out.String())
	checkRndLab(t, res)
	checkRepair(t, res, out.String())
	checkOutZone(t, res, out.String())
	checkEvidence(t, res, out.String())
	checkStocktake(t, res, out.String(), conn, customs)
	checkSingleWindow(t, res, out.String())
	checkEveryBalance(t, conn, customs)

	// The report has every section.
	for _, s := range []string{"1. Set-up", "2. Filing", "3. Summary", "4. Balances", "5. Per-day totals", "6. Write-off period", "PERIOD_CLOSED",
		"7. Logistics centre", "8. Stock report", "9. Taxable events", "10. Pending", "Refused exit", reasonEcomExit, "One consignment (一票)", "HELD", reasonInsufficientBonded, "Done:", "Logistics centre:",
		"11. Sales and service centre", "12. Bonded display trading", "13. Cross-border e-commerce", "14. Stock report of T4601W000318",
		reasonGuaranteeExceeded, "OVER_ANNUAL_LIMIT", "TOTAL,", "Sales and service centre:", "15. Selective duty",
		"16. A manufacturer's month", "17. An R&D lab",
		"18. Testing, repair and remanufacture centre", "LIST_RETURNED", "公告2023年第105号", "20. Evidence", "21. The month ends", "22. A list's trip through the single window"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

// checkLogistics checks the logistics centre's month (sections 7 to 10)
// through the API, against numbers worked out by hand from the script
// (logistics_plan.go), which do not depend on the month's length.
func checkLogistics(t *testing.T, res *Result, days int, conn *grpc.ClientConn, customs context.Context) {
	t.Helper()
	lr := res.Logistics
	if lr == nil {
		t.Fatal("the logistics centre did not run")
	}
	if len(lr.Mismatches) != 0 {
		t.Fatalf("logistics centre mismatches: %v", lr.Mismatches)
	}
	if len(lr.Steps) != 26 {
		t.Errorf("%d steps, want 26", len(lr.Steps))
	}
	books := customsv1.NewBookServiceClient(conn)
	decl := customsv1.NewDeclarationServiceClient(conn)
	gate := customsv1.NewGateServiceClient(conn)
	lc := ledgerv1.NewLedgerServiceClient(conn)

	// The stock report, by hand, as of the month's last day and now:
	// bonded, available, reserved, non-bonded, inspection. Now differs by
	// the 1600 kg of 奶粉 on the vehicle held on the month's last day and
	// released by customs today (booked on release).
	monthEnd := map[string]map[int32][5]string{
		"T4601W000293": {
			1: {"612.5", "612.5", "0", "0", "0"}, // 2400 in; 6 trips 1386.5 and sales of 1 + 400 out
			2: {"1898", "1898", "0", "200", "0"}, // 3000 in; sales 600 + 300 + 2, 200 switched to non-bonded
			3: {"1197", "717", "480", "0", "0"},  // 1800 in; sales 360 + 240 + 3 out, 480 declared at month end
			4: {"2300", "2300", "0", "0", "0"},   // 5000 in; transfers 1200 + 1500 out
			5: {"0", "0", "0", "20", "40"},       // 240 non-bonded in; 60 switched and exported, 120 out, 40 switching
		},
		"H4601A000088": {1: {"2700", "2700", "0", "0", "0"}},
	}
	now := map[string]map[int32][5]string{"T4601W000293": {}, "H4601A000088": {}}
	for book, lines := range monthEnd {
		for seq, w := range lines {
			now[book][seq] = w
		}
	}
	now["T4601W000293"][1] = [5]string{"2212.5", "2212.5", "0", "0", "0"} // and the held 1600
	for _, view := range []struct {
		asOf string
		want map[string]map[int32][5]string
	}{{res.LastDay, monthEnd}, {"", now}} {
		for book, lines := range view.want {
			r, err := books.GetStockReport(customs, &customsv1.GetStockReportRequest{BookNo: book, AsOf: view.asOf})
			if err != nil {
				t.Fatal(err)
			}
			if r.GetAsOf() != view.asOf || len(r.GetLines()) != len(lines) {
				t.Errorf("%s as of %q: %d lines in the stock report as of %q, want %d", book, view.asOf, len(r.GetLines()), r.GetAsOf(), len(lines))
			}
			for _, l := range r.GetLines() {
				w := lines[l.GetBookSeq()]
				got := []string{l.GetBonded(), l.GetAvailable(), l.GetReserved(), l.GetNonBonded(), l.GetInspection()}
				for i := range got {
					if !d(got[i]).Equal(d(w[i])) {
						t.Errorf("%s line %d as of %q: %v, want %v", book, l.GetBookSeq(), view.asOf, got, w)
						break
					}
				}
			}
		}
	}

	// Every list is dated on its step's day (业务日期).
	lists := 0
	for _, s := range lr.Steps {
		for _, no := range s.Lists {
			if !strings.HasPrefix(no, "QD") {
				continue // a trip's slip
			}
			l, err := decl.GetList(customs, &customsv1.GetListRequest{ListNo: no})
			if err != nil {
				t.Fatal(err)
			}
			lists++
			if l.GetList().GetDate() != s.Date || s.Date[:7] != res.LastDay[:7] || s.Date > res.LastDay {
				t.Errorf("step %d: list %s is dated %s, the step's day %s (month ending %s)", s.N, no, l.GetList().GetDate(), s.Date, res.LastDay)
			}
		}
	}
	if lists != 22 {
		t.Errorf("%d lists, want 22", lists)
	}

	// The held vehicle: held at the gate on its day, released by customs
	// (the note kept on the pass, the hold reasons cleared), booked on release.
	h := lr.Held
	if h == nil {
		t.Fatal("no vehicle was held")
	}
	hp, err := gate.GetPass(customs, &customsv1.GetPassRequest{PassNo: h.GetPassNo()})
	if err != nil {
		t.Fatal(err)
	}
	evs := hp.GetPass().GetEvents()
	if hp.GetPass().GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED || len(evs) != 2 || evs[0].GetOutcome() != "HELD" ||
		!strings.Contains(strings.Join(evs[0].GetReasons(), " "), "declared gross weight") || evs[1].GetOutcome() != "PASSED" ||
		!strings.Contains(strings.Join(evs[1].GetReasons(), " "), "released by customs: 开箱查验") ||
		!strings.HasPrefix(hp.GetPass().GetNote(), "开箱查验") || len(hp.GetPass().GetHoldReasons()) != 0 {
		t.Errorf("held pass: %v", hp.GetPass())
	}
	if got := lr.Journals[hp.GetPass().GetJournalId()].GetEffectiveDate(); got != businessDate(evs[1].GetAt().AsTime()) || got <= res.LastDay {
		t.Errorf("the released pass was booked on %s, released at %s", got, evs[1].GetAt().AsTime())
	}

	// Each transfer is one journal across the two books.
	if len(lr.Transfers) != 2 {
		t.Fatalf("%d transfers", len(lr.Transfers))
	}
	for _, tr := range lr.Transfers {
		gj, err := lc.GetJournal(customs, &ledgerv1.GetJournalRequest{JournalId: tr.Journal})
		if err != nil {
			t.Fatal(err)
		}
		var out, in bool
		for _, p := range gj.GetJournal().GetPostings() {
			out = out || p.GetFrom().GetBookId() == "T4601W000293" && p.GetFrom().GetName() == "reserved" && p.GetTo().GetName() == "zone-transfer"
			in = in || p.GetFrom().GetName() == "zone-transfer" && p.GetTo().GetBookId() == "H4601A000088" && p.GetTo().GetName() == "bonded"
		}
		if !out || !in {
			t.Errorf("transfer journal %d: %v", tr.Journal, gj.GetJournal().GetPostings())
		}
		for _, no := range []string{tr.SellerList, tr.BuyerList} {
			l, err := decl.GetList(customs, &customsv1.GetListRequest{ListNo: no})
			if err != nil {
				t.Fatal(err)
			}
			if l.GetList().GetStatus() != customsv1.ListStatus_LIST_STATUS_CLEARED || l.GetList().GetListType() != "6" || !slices.Contains(l.GetList().GetJournalIds(), tr.Journal) {
				t.Errorf("transfer list %s: %v", no, l.GetList())
			}
		}
	}

	// The refused declaration left a deleted draft and nothing reserved (line 3 above).
	if lr.Refusal != reasonInsufficientBonded {
		t.Errorf("refusal %q, want %s", lr.Refusal, reasonInsufficientBonded)
	}

	// The 1210 exit on an ordinary list was refused by the rule, with
	// nothing filed (the list count above).
	if e := lr.EcomExit; e.Code != "InvalidArgument" || e.Reason != reasonEcomExit || !strings.Contains(e.Message, "inventory lists") {
		t.Errorf("the 1210 exit: %+v", e)
	}

	// The multi-line sale, by hand (sample tariff): 奶粉 1 kg × 268.00 at
	// 15 % = 40.20, 面霜 2 × 395.00 at 5 % = 39.50, 威士忌 3 × 298.00 at 5 % =
	// 44.70; each under 50.00, the consignment's 124.40 is charged.
	c := lr.Consignment
	var duties []string
	for _, ev := range c.Events {
		duties = append(duties, ev.GetDuty())
		if len(ev.GetWaived()) != 0 {
			t.Errorf("consignment event %d waives %v", ev.GetId(), ev.GetWaived())
		}
	}
	if c.Quote == nil || !slices.Equal(duties, []string{"40.20", "39.50", "44.70"}) || c.Quote.GetDuty() != "124.40" || len(c.Quote.GetWaived()) != 0 {
		t.Errorf("the multi-line sale %s: duties %v, quote %v", c.ListNo, duties, c.Quote)
	}

	// Ten taxable events, each assessed: eight sale lines at the gate, one
	// switch to non-bonded, one collective list.
	modes := map[string]int{}
	for _, ev := range lr.Taxable {
		modes[ev.GetTradeMode()]++
		if ev.GetAssessError() != "" || !d(ev.GetTotal()).IsPositive() {
			t.Errorf("taxable event %d not assessed: %v", ev.GetId(), ev)
		}
	}
	if len(lr.Taxable) != 10 || modes["0110"] != 9 || modes["5034"] != 1 {
		t.Errorf("taxable events by trade mode %v", modes)
	}

	// Two trips pending at the month's end, due on the month's last day.
	if len(lr.Pending) != 2 {
		t.Fatalf("%d pending trips", len(lr.Pending))
	}
	for _, p := range lr.Pending {
		if p.GetSlip().GetDeadline() != "2026-10-31" || p.GetDaysLeft() != int32(31-days) || p.GetSlip().GetPassNo() == "" {
			t.Errorf("pending trip %v", p)
		}
	}
}

// TestPlanDeterministic: the same seed plans the same month; another seed
// another one.
func TestPlanDeterministic(t *testing.T) {
	plan := func(seed uint64) []string {
		evs, err := planMonth(newZone(), newModel(), seed, 2026, time.October, 31)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ev := range evs {
			if ev.Journal != nil {
				out = append(out, ev.Journal.String())
			} else {
				out = append(out, ev.What)
			}
		}
		return out
	}
	a, b, c := plan(DefaultSeed), plan(DefaultSeed), plan(7)
	if !slices.Equal(a, b) {
		t.Error("the same seed planned different months")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds planned the same month")
	}
	if len(a) < 300 || len(a) > 2000 {
		t.Errorf("planned %d filings, want a few hundred to 2000", len(a))
	}
}

// TestPlanEveryMonthLength: every month length still plans (the special
// filings are scheduled by fraction of the month).
func TestPlanEveryMonthLength(t *testing.T) {
	for days := 1; days <= 31; days++ {
		for _, seed := range []uint64{1, 2, DefaultSeed} {
			if _, err := planMonth(newZone(), newModel(), seed, 2026, time.October, days); err != nil {
				t.Fatalf("%d days, seed %d: %v", days, seed, err)
			}
		}
	}
}

// checkSales checks the sales and service centre (sections 11 to 14)
// through the API, against numbers worked out by hand from the script
// (sales_plan.go), which do not depend on the month's length.
func checkSales(t *testing.T, res *Result, conn *grpc.ClientConn, customs context.Context) {
	t.Helper()
	sr := res.Sales
	if sr == nil {
		t.Fatal("the sales and service centre did not run")
	}
	if len(sr.Mismatches) != 0 {
		t.Fatalf("sales and service centre mismatches: %v", sr.Mismatches)
	}
	books := customsv1.NewBookServiceClient(conn)
	display := customsv1.NewDisplayServiceClient(conn)
	ecom := customsv1.NewEcommerceServiceClient(conn)

	// The warehouse book, by hand: bonded, available, display. In the
	// month: entry 1200 tins / 800 jars / 2000 kg / 120 laptops / 40
	// cameras / 300 bottles; 24 cameras and 180 bottles out on display, 14
	// and 108 sold, 8 and 72 back. Today the 1210 releases take 56 tins, 27
	// jars (the 3 returned are back), 55 kg of rice and 12 laptops.
	monthEnd := map[int32][3]string{1: {"1200", "1200", "0"}, 2: {"800", "800", "0"}, 3: {"2000", "2000", "0"}, 4: {"120", "120", "0"}, 5: {"26", "24", "2"}, 6: {"192", "192", "0"}}
	now := map[int32][3]string{1: {"1144", "1144", "0"}, 2: {"773", "773", "0"}, 3: {"1945", "1945", "0"}, 4: {"108", "108", "0"}, 5: {"26", "24", "2"}, 6: {"192", "192", "0"}}
	for _, view := range []struct {
		asOf string
		want map[int32][3]string
	}{{res.LastDay, monthEnd}, {"", now}} {
		r, err := books.GetStockReport(customs, &customsv1.GetStockReportRequest{BookNo: "T4601W000318", AsOf: view.asOf})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.GetLines()) != len(view.want) {
			t.Errorf("T4601W000318 as of %q: %d lines", view.asOf, len(r.GetLines()))
		}
		for _, l := range r.GetLines() {
			w := view.want[l.GetBookSeq()]
			if !d(l.GetBonded()).Equal(d(w[0])) || !d(l.GetAvailable()).Equal(d(w[1])) || !d(l.GetDisplay()).Equal(d(w[2])) {
				t.Errorf("T4601W000318 line %d as of %q: bonded %s, available %s, display %s; want %v", l.GetBookSeq(), view.asOf, l.GetBonded(), l.GetAvailable(), l.GetDisplay(), w)
			}
		}
	}

	// Display trading, by hand (sample tariff, DOMESTIC_SALE): a camera at
	// 6,800 pays duty 3 % + 100 and VAT 13 %, 1,227.52; a bottle of whisky
	// at 298 pays duty 5 %, consumption tax 20 % + 1 a litre and VAT 13 %,
	// 144.96. The sales of 6 + 48 and 8 + 60 are taxed 14,323.20 and
	// 18,517.76; the third, 4 + 30, would need 9,258.88 of the 7,159.04 the
	// guarantee of 40,000 still covers. Customs then records the payment.
	var taxes, refused []string
	for _, m := range sr.Moves {
		switch {
		case m.Refusal != "":
			refused = append(refused, m.Refusal+" "+m.Quoted.StringFixed(2)+" of "+m.Covered.StringFixed(2))
		case m.Kind == "SALE":
			taxes = append(taxes, m.Tax)
		}
	}
	if !slices.Equal(taxes, []string{"14323.20", "18517.76"}) || !slices.Equal(refused, []string{reasonGuaranteeExceeded + " 9258.88 of 7159.04"}) {
		t.Errorf("display sales taxed %v, refused %v", taxes, refused)
	}
	st, err := display.GetDisplayStatus(customs, &customsv1.GetDisplayStatusRequest{ApplyNo: sr.Form.GetFormNo()})
	if err != nil {
		t.Fatal(err)
	}
	overdue := businessDate(time.Now()) > "2026-12-31"
	if st.GetGuarantee() != "40000.00" || st.GetTaxAssessed() != "32840.96" || st.GetTaxPaid() != "32840.96" || st.GetAvailable() != "40000.00" ||
		len(st.GetOnDisplay()) != 1 || st.GetOnDisplay()[0].GetBookSeq() != 5 || !d(st.GetOnDisplay()[0].GetQuantity()).Equal(d("2")) || st.GetOverdue() != overdue {
		t.Errorf("display status %v", st)
	}
	if sr.StatusMonthEnd.GetAvailable() != "7159.04" || sr.StatusMonthEnd.GetTaxPaid() != "0.00" || len(sr.DisplayTaxable) != 4 {
		t.Errorf("display status at the month's end %v, %d taxable events", sr.StatusMonthEnd, len(sr.DisplayTaxable))
	}

	// The orders: the planned refusals, the rest released with the tax the
	// platform quoted; a few taxes by hand (CROSS_BORDER_RETAIL within the
	// limits: 70 % of consumption tax and VAT, no duty).
	reasons := map[string]int{}
	released, settledTax := 0, decimal.Zero
	byNo := map[string]*EcommerceOrder{}
	for _, o := range sr.Orders {
		byNo[o.No] = o
		if o.Reason != "" {
			reasons[o.Reason]++
			if o.Status != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.List != nil {
				t.Errorf("order %s: %s, list %v", o.No, o.Status, o.List)
			}
			continue
		}
		released++
		if o.Status != customsv1.OrderStatus_ORDER_STATUS_RELEASED || o.List.GetTax() != o.Quote.GetTotal() || o.List.GetTax() != o.Withheld {
			t.Errorf("order %s: %s, list tax %s, quoted %s, withheld %s", o.No, o.Status, o.List.GetTax(), o.Quote.GetTotal(), o.Withheld)
		}
		if o.List.GetStatus() == customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RELEASED {
			settledTax = settledTax.Add(d(o.List.GetTax()))
		}
	}
	wantReasons := map[string]int{"PAYMENT_AMOUNT_MISMATCH": 1, "BUYER_PAYER_MISMATCH": 2, "CONSIGNEE_MISMATCH": 1, "OVER_SINGLE_LIMIT": 1,
		"NOT_ON_POSITIVE_LIST": 1, "PERSONAL_CAP_EXCEEDED": 1, "OVER_ANNUAL_LIMIT": 1}
	if len(sr.Orders) != 51 || released != 43 || fmt.Sprint(reasons) != fmt.Sprint(wantReasons) {
		t.Errorf("%d orders, %d released, refusals %v; want 51, 43, %v", len(sr.Orders), released, reasons, wantReasons)
	}
	for _, c := range []struct{ no, tax, rule string }{
		{"0001", "49.69", "CROSS_BORDER_WITHIN_LIMITS"},     // 2 tins 536 + freight 10: VAT 13 % × 70 % of 546
		{"0002", "273.24", "CROSS_BORDER_WITHIN_LIMITS"},    // 3 jars 1185: CT 15 %/(1−15 %) and VAT on it, × 70 %
		{"0010", "701.87", "CROSS_BORDER_SINGLE_ITEM_FULL"}, // one laptop 5399 over the single limit: VAT 13 % in full
		{"0013", "455.00", "CROSS_BORDER_WITHIN_LIMITS"},    // 4990 + 10 at the limit: 9.1 %
	} {
		var o *EcommerceOrder
		for no, x := range byNo {
			if strings.HasSuffix(no, c.no) {
				o = x
			}
		}
		if o == nil || o.List.GetTax() != c.tax || o.List.GetRule() != c.rule {
			t.Errorf("order …%s: list %v; want tax %s, rule %s", c.no, o.List, c.tax, c.rule)
		}
	}

	// The return, read back: RETURNED, its tax not in the settlement.
	ret, err := ecom.GetInventoryList(customs, &customsv1.GetInventoryListRequest{ListNo: sr.Returned.GetListNo()})
	if err != nil {
		t.Fatal(err)
	}
	if ret.GetList().GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED || ret.GetList().GetReturnJournalId() == 0 {
		t.Errorf("returned list %v", ret.GetList())
	}

	// The settlement, read as customs this time: 42 lists (43 released, one
	// returned), the tax of their lists; the CSV the guarantor got agrees.
	gs, err := ecom.GetSettlement(customs, &customsv1.GetSettlementRequest{Guarantor: sr.Settlement.GetGuarantor(), FromDate: sr.Today, ToDate: businessDate(time.Now())})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.GetSettlement().GetLines()) != 42 || gs.GetSettlement().GetTax() != settledTax.StringFixed(2) || sr.Settlement.GetTax() != settledTax.StringFixed(2) {
		t.Errorf("settlement: %d lists, tax %s (the guarantor's %s); want 42, %s", len(gs.GetSettlement().GetLines()), gs.GetSettlement().GetTax(), sr.Settlement.GetTax(), settledTax.StringFixed(2))
	}
	if !strings.Contains(string(sr.SettlementCSV), "TOTAL,"+sr.Settlement.GetGuarantor()) || strings.Count(string(sr.SettlementCSV), "\n") != 44 {
		t.Errorf("settlement CSV:\n%s", sr.SettlementCSV)
	}
}

// checkCountsAgreeWithTables reads the printed report as a user does: each
// count a sentence or footnote states must be what the table it speaks of
// shows.
func checkCountsAgreeWithTables(t *testing.T, report string) {
	t.Helper()
	lines := strings.Split(report, "\n")
	find := func(re string) []string {
		t.Helper()
		rx := regexp.MustCompile(re)
		for _, l := range lines {
			if m := rx.FindStringSubmatch(l); m != nil {
				return m
			}
		}
		t.Errorf("the report has no line matching %s", re)
		return nil
	}
	// The summary's total row and the closing line.
	total := find(`^  total\s+(\d+)\s+(\d+)\s+(\d+)$`)
	done := find(`^Done: (\d+) journals filed in the month \((\d+) accepted, (\d+) refused, (\d+) of them on purpose\) and (\d+) reversal; (\d+) filed after the close \((\d+) refused\); (\d+) holdings`)
	if total != nil && done != nil && (total[1] != done[1] || total[2] != done[2] || total[3] != done[3]) {
		t.Errorf("the closing line says %s filed, %s accepted, %s refused; the summary's total row %s, %s, %s", done[1], done[2], done[3], total[1], total[2], total[3])
	}
	if done != nil && (done[6] != "1" || done[7] != "1") {
		t.Errorf("the closing line counts %s late filings, %s refused; section 6 shows one, refused", done[6], done[7])
	}
	// The holdings: the rows of section 4's tables.
	holdings := 0
	in4 := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "4. Balances"):
			in4 = true
		case strings.HasPrefix(l, "5. "):
			in4 = false
		case in4 && regexp.MustCompile(`^  (bonded|nonbonded|wip|in-lab|awaiting-inspection|[a-z-]+)\s+\S+\s`).MatchString(l) && !strings.HasPrefix(l, "  ACCOUNT"):
			holdings++
		}
	}
	if done != nil && fmt.Sprint(holdings) != done[8] {
		t.Errorf("the closing line says %s holdings match; section 4 shows %d", done[8], holdings)
	}
	if chk := find(`Check: all (\d+) holdings`); chk != nil && fmt.Sprint(holdings) != chk[1] {
		t.Errorf("section 4's check says %s holdings; it shows %d", chk[1], holdings)
	}
	// The e-commerce orders: the sentence under the order table.
	released, refused, orders := 0, 0, 0
	for _, l := range lines {
		if regexp.MustCompile(`^  YF\d{10}  `).MatchString(l) && (strings.Contains(l, " RELEASED") || strings.Contains(l, " REJECTED ")) {
			orders++
			if strings.Contains(l, " RELEASED") {
				released++
			} else {
				refused++
			}
		}
	}
	if m := find(`^  (\d+) orders: (\d+) released .*, (\d+) refused:`); m != nil && (m[1] != fmt.Sprint(orders) || m[2] != fmt.Sprint(released) || m[3] != fmt.Sprint(refused)) {
		t.Errorf("the sentence says %s orders, %s released, %s refused; the table shows %d, %d, %d", m[1], m[2], m[3], orders, released, refused)
	}
	// The settlement: its list count against the CSV rows shown and elided.
	if m := find(`\): (\d+) lists, tax `); m != nil {
		rows := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "    QLYF") {
				rows++
			}
			if mm := regexp.MustCompile(`^    \.\.\. (\d+) more rows`).FindStringSubmatch(l); mm != nil {
				n, _ := strconv.Atoi(mm[1])
				rows += n
			}
		}
		if m[1] != fmt.Sprint(rows) {
			t.Errorf("the settlement says %s lists; its CSV has %d rows", m[1], rows)
		}
	}
}

// checkSelective checks section 15 against its own tables: the sale is
// taxed on its materials (the event's duty is the sum of the materials'
// exact duties rounded once), its tax date is the list's declaration day,
// not the gate day, and its interest runs from the materials' first import
// or the book's last write-off date, whichever is later, for as many days
// as the table says; its total adds up.
func checkSelective(t *testing.T, res *Result, report string) {
	t.Helper()
	sr := res.Selective
	if sr == nil || len(sr.Events) != 1 {
		t.Fatalf("the selective-duty scene: %+v", sr)
	}
	_, sec, ok := strings.Cut(report, "15. Selective duty")
	if !ok {
		t.Fatal("no section 15")
	}
	listNo := sr.Sale.GetListNo()
	var ev, mats [][]string
	lastWriteOff := ""
	for _, line := range strings.Split(sec, "\n") {
		f := strings.Fields(line)
		if m := regexp.MustCompile(`last write-off (\S+);`).FindStringSubmatch(line); m != nil {
			lastWriteOff = m[1]
		}
		if len(f) == 0 || f[0] != listNo {
			continue
		}
		// Event rows: list line hs × qty value gate tax basis duty VAT from days rate interest total.
		if len(f) == 16 {
			ev = append(ev, f)
		} else if len(f) == 9 {
			mats = append(mats, f)
		} else {
			t.Errorf("section 15: unexpected row %q", line)
		}
	}
	if len(ev) != 1 || len(mats) != 2 {
		t.Fatalf("section 15: %d event rows and %d material rows, want 1 and 2:\n%s", len(ev), len(mats), sec)
	}
	e := ev[0]
	gateDay, taxDate, basis, duty, vat, from, days, interest, total := e[6], e[7], e[8], d(e[9]), d(e[10]), e[11], e[12], d(e[14]), d(e[15])
	if basis != "MATERIALS" {
		t.Errorf("basis %s, want MATERIALS", basis)
	}
	if want := businessDateOf(t, sr.Sale.GetDeclaredAt().AsTime()); taxDate != want {
		t.Errorf("tax date %s, want the list's declaration day %s (gate day %s)", taxDate, want, gateDay)
	}
	if gateDay != sr.Sale.GetDate() {
		t.Errorf("gate day %s, want the sale's day %s", gateDay, sr.Sale.GetDate())
	}
	sum := decimal.Zero
	first := ""
	for _, m := range mats {
		sum = sum.Add(d(m[8]))
		if first == "" || m[7] < first {
			first = m[7]
		}
	}
	if !sum.Round(2).Equal(duty) || !duty.IsPositive() {
		t.Errorf("duty %s, the materials' duties sum to %s", duty, sum)
	}
	wantFrom := first
	if lastWriteOff > wantFrom && lastWriteOff <= taxDate {
		wantFrom = lastWriteOff
	}
	if from != wantFrom {
		t.Errorf("interest from %s, want %s (first import %s, last write-off %s)", from, wantFrom, first, lastWriteOff)
	}
	f, _ := time.Parse(time.DateOnly, from)
	td, _ := time.Parse(time.DateOnly, taxDate)
	if n, _ := strconv.Atoi(days); n != int(td.Sub(f).Hours()/24) || n <= 0 {
		t.Errorf("%s interest days from %s to %s", days, from, taxDate)
	}
	if !interest.IsPositive() || !duty.Add(vat).Add(interest).Equal(total) {
		t.Errorf("duty %s + VAT %s + interest %s != total %s", duty, vat, interest, total)
	}
}

func businessDateOf(t *testing.T, at time.Time) string {
	t.Helper()
	return businessDate(at)
}

// checkRepair checks section 18: three orders closed, each refusal the one
// the scene meant, every exit's list or registration line naming its
// order, and the order the list was returned to holding the goods again.
func checkRepair(t *testing.T, res *Result, report string) {
	t.Helper()
	rr := res.Repair
	if rr == nil || len(rr.Scenes) != 3 {
		t.Fatalf("the repair centre: %+v", rr)
	}
	var reasons []string
	for _, f := range rr.Refusals {
		reasons = append(reasons, f.Reason)
	}
	if want := []string{"REPAIR_PARTS_RE_EXPORT_ONLY", "UNKNOWN_PASS", "REMANUFACTURED_DOMESTIC_SALE"}; !slices.Equal(reasons, want) {
		t.Errorf("repair refusals %v, want %v", reasons, want)
	}
	for _, s := range rr.Scenes {
		o := s.Order
		if o.GetStatus() != "CLOSED" {
			t.Errorf("order %s (%s) is %s", o.GetOrderNo(), s.Title, o.GetStatus())
		}
		for _, n := range s.Notes {
			if strings.Contains(n, "line") && strings.Contains(n, "source") && !strings.Contains(n, "serves REPAIR_ORDER "+o.GetOrderNo()) {
				t.Errorf("%s: %s does not name the order", s.Title, n)
			}
		}
	}
	if !strings.Contains(report, "the order is OPEN again") {
		t.Error("the returned list did not give the engine part back to its order")
	}
	if len(rr.Mismatches) != 0 {
		t.Errorf("repair centre: %v", rr.Mismatches)
	}
}

// checkManufacturing checks section 16: each report consumed by the version
// in force on its day (the first by version 1, the second by version 2,
// which superseded it), exactly its quantity times the server's 单耗, the
// first version names the report that locked it, the exported ovens and
// the scrap left the book, and the scrap sold and the residue are taxed
// as scrap; the printed tables show the server's figures.
func checkManufacturing(t *testing.T, res *Result, report string) {
	t.Helper()
	mr := res.Manufacturing
	if mr == nil || len(mr.Reports) != 2 || len(mr.Versions) != 2 || len(mr.Events) != 2 {
		t.Fatalf("the manufacturer's scene: %+v", mr)
	}
	_, sec, ok := strings.Cut(report, "16. A manufacturer's month")
	if !ok {
		t.Fatal("no section 16")
	}
	sec, _, _ = strings.Cut(sec, "17. An R&D lab")
	unit := map[string]map[int32]decimal.Decimal{}
	for _, v := range mr.Versions {
		unit[v.GetVersion()] = map[int32]decimal.Decimal{}
		for _, n := range v.GetNorms() {
			unit[v.GetVersion()][n.GetMaterialSeq()] = d(n.GetUnitConsumption())
		}
	}
	if mr.Versions[0].GetSupersededBy() != "2" || mr.Versions[0].GetUsedBy() != mr.Reports[0].GetReportNo() {
		t.Errorf("version 1: %v", mr.Versions[0])
	}
	for i, rep := range mr.Reports {
		o := rep.GetOutputs()[0]
		if want := fmt.Sprint(i + 1); o.GetVersion() != want {
			t.Errorf("report %s consumed by version %s, want %s", rep.GetReportNo(), o.GetVersion(), want)
		}
		for _, c := range rep.GetConsumed() {
			want := d(o.GetQuantity()).Mul(unit[o.GetVersion()][c.GetBookSeq()])
			if !d(c.GetBonded()).Equal(want) {
				t.Errorf("report %s consumed %s of line %d; %s × 单耗 is %s", rep.GetReportNo(), c.GetBonded(), c.GetBookSeq(), o.GetQuantity(), want)
			}
			if !strings.Contains(sec, fmt.Sprintf("line %d: %s (loss %s)", c.GetBookSeq(), c.GetBonded(), c.GetLoss())) {
				t.Errorf("section 16 does not print report %s's consumption of line %d", rep.GetReportNo(), c.GetBookSeq())
			}
		}
	}
	for _, ev := range mr.Events {
		if ev.GetGoodsCategory() != customsv1.GoodsCategory_GOODS_CATEGORY_SCRAP || ev.GetAssessError() != "" || !d(ev.GetTotal()).IsPositive() {
			t.Errorf("event %v", ev)
		}
		if !strings.Contains(sec, ev.GetDutiableValue()) || !strings.Contains(sec, ev.GetTotal()) {
			t.Errorf("section 16 does not print event %d's value %s and total %s", ev.GetId(), ev.GetDutiableValue(), ev.GetTotal())
		}
	}
	stock := map[int32]string{}
	for _, l := range mr.Stock {
		stock[l.GetBookSeq()] = l.GetBonded()
	}
	// 1,000 kg of sheet less 300 and 250; 600 power supplies less 400;
	// 400 ovens less 300 exported; the 25 kg of scrap sold or destroyed.
	for seq, want := range map[int32]string{1: "450", 2: "200", 3: "100", 4: "0"} {
		if !d(stock[seq]).Equal(d(want)) {
			t.Errorf("line %d ends with %s bonded, want %s", seq, stock[seq], want)
		}
	}
}

// checkRndLab checks section 17: each project's totals are the sums of
// its uses, and the equipment line is untouched.
func checkRndLab(t *testing.T, res *Result) {
	t.Helper()
	rr := res.RndLab
	if rr == nil || len(rr.Uses) != 3 || len(rr.Projects) != 2 {
		t.Fatalf("the R&D lab's scene: %+v", rr)
	}
	for _, p := range rr.Projects {
		sum := map[int32]decimal.Decimal{}
		n := 0
		for _, u := range rr.Uses {
			if u.GetProject() != p.GetProject().GetCode() {
				continue
			}
			n++
			for _, m := range u.GetMaterials() {
				sum[m.GetBookSeq()] = sum[m.GetBookSeq()].Add(d(m.GetQuantity()))
			}
		}
		if int(p.GetUses()) != n || len(p.GetConsumed()) != len(sum) {
			t.Errorf("project %s: %d uses, %v consumed; its uses sum to %v", p.GetProject().GetCode(), p.GetUses(), p.GetConsumed(), sum)
		}
		for _, c := range p.GetConsumed() {
			if !d(c.GetQuantity()).Equal(sum[c.GetBookSeq()]) {
				t.Errorf("project %s consumed %s of line %d; its uses sum to %s", p.GetProject().GetCode(), c.GetQuantity(), c.GetBookSeq(), sum[c.GetBookSeq()])
			}
		}
	}
	for _, l := range rr.Stock {
		if l.GetBookSeq() == 4 && !d(l.GetBonded()).Equal(d("1")) {
			t.Errorf("the test bench (equipment) shows %s, want 1", l.GetBonded())
		}
	}
}
