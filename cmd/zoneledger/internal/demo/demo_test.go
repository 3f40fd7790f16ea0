package demo

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgstore/pgtest"
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

	// The report has every section.
	for _, s := range []string{"1. Set-up", "2. Filing", "3. Summary", "4. Balances", "5. Per-day totals", "6. Write-off period", "PERIOD_CLOSED",
		"7. Logistics centre", "8. Stock report", "9. Taxable events", "10. Pending", "HELD", reasonInsufficientBonded, "Done:", "Logistics centre:"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("report lacks %q", s)
		}
	}
}

// checkLogistics checks the logistics centre's month (sections 7 to 10)
// through the API, against numbers worked out by hand from the script
// (lcplan.go), which do not depend on the month's length.
func checkLogistics(t *testing.T, res *Result, days int, conn *grpc.ClientConn, customs context.Context) {
	t.Helper()
	lr := res.Logistics
	if lr == nil {
		t.Fatal("the logistics centre did not run")
	}
	if len(lr.Mismatches) != 0 {
		t.Fatalf("logistics centre mismatches: %v", lr.Mismatches)
	}
	if len(lr.Steps) != 24 {
		t.Errorf("%d steps, want 24", len(lr.Steps))
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
			1: {"613.5", "613.5", "0", "0", "0"}, // 2400 in; 6 trips 1386.5 and a sale of 400 out
			2: {"1900", "1900", "0", "200", "0"}, // 3000 in; sales 600 + 300, 200 switched to non-bonded
			3: {"1200", "720", "480", "0", "0"},  // 1800 in; sales 360 + 240 out, 480 declared at month end
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
	now["T4601W000293"][1] = [5]string{"2213.5", "2213.5", "0", "0", "0"} // and the held 1600
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
	if lists != 21 {
		t.Errorf("%d lists, want 21", lists)
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

	// Seven taxable events, each assessed: five sale lines at the gate, one
	// switch to non-bonded, one collective list.
	modes := map[string]int{}
	for _, ev := range lr.Taxable {
		modes[ev.GetTradeMode()]++
		if ev.GetAssessError() != "" || !d(ev.GetTotal()).IsPositive() {
			t.Errorf("taxable event %d not assessed: %v", ev.GetId(), ev)
		}
	}
	if len(lr.Taxable) != 7 || modes["0110"] != 6 || modes["5034"] != 1 {
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
