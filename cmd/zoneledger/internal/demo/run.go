// Package demo runs a month of a comprehensive bonded zone (综合保税区)
// against a zoneledger server, over gRPC, the way real clients would: an
// admin creates the principals, enterprises create their books and register
// their lines, customs ensures the world accounts, then a month of filings
// goes in through PostJournals (imports, production, exports, domestic
// sales, co-stored non-bonded goods, an intra-zone transfer as one journal,
// R&D usage, deliberate refusals and a correction by reversal). Then
// customs seals one book's period and verifies it, and the report shows the
// balances, one item's day totals and the period digest.
//
// Last, a logistics centre runs the month through the customs services
// (BookService, DeclarationService, GateService; logistics*.go): customs
// registers two more enterprises, which register their own books and lines;
// the logistics enterprise files verification lists, gate passes, a 分送集报
// form, slips and a collective list, customs approves and records every
// vehicle at the gate (one is held for its weight and released). Every list
// carries its step's day as its business date (业务日期). The report shows the
// stock report as of the month's last day, the taxable events with their
// assessed tax and the pending trips.
//
// Then a sales and service centre (sales*.go, display.go, ecommerce.go): a
// bonded warehouse whose goods enter on a first-line list through the gate
// trades some of them on bonded display under a type-C form with a guarantee
// (DisplayService: goods out, sales taxed against the guarantee, one
// refused, unsold goods back; customs records the tax paid), and stores the
// goods a cross-border e-commerce shop sells under 1210 (EcommerceService):
// a day of orders, their tax quoted by TaxService, sent by a platform one
// document per call and in batches, some refused on purpose, one returned,
// and the guarantor's settlement exported as CSV. EcommerceService dates by
// the server's clock, so that day is today.
//
// Last, the testing, repair and remanufacture centre (repair_*.go): a
// bonded repair book and three orders through RepairService, the zone's
// lists and passes: an aircraft-engine part repaired for a foreign
// airline (its old part re-exported, its domestic sale refused, a list
// customs returns giving the part back to the order), a domestic
// customer's machine repaired and returned (its old part out by gate
// registration), gearboxes remanufactured.
//
// The ledger part's content is deterministic for a seed; the customs
// centres' scripts are fixed. The demo keeps its own copy of the
// quantities it filed (model.go, logisticsModel and salesModel for the customs
// books) and checks that what the server reports equals it. It copies no
// server rule: every tax, rule, carrying value, deadline, guarantee
// balance and order outcome it prints is the server's answer (TaxService
// Quote, GetBalances, ListPendingTrips, GetDisplayStatus, ...), and the
// script states the outcome it intends, which the answer must equal. The
// calls go through a play (play.go), which keeps a scene's first failure.
package demo

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// DefaultSeed makes the month reproducible.
const DefaultSeed = 20261001

// Options configure a run.
type Options struct {
	// Addr is the server's gRPC address; AdminToken an admin bearer token.
	Addr       string
	AdminToken string
	// Year and Month of the simulated month; zero means October 2026.
	Year  int
	Month time.Month
	// Days simulates only the first Days days of the month (1..31); zero
	// means the whole month. Tests use a short month.
	Days int
	// Seed of the month's content; zero means DefaultSeed.
	Seed uint64
	// Out receives the report; nil discards it.
	Out io.Writer
	// Progress receives the progress bar; nil shows none.
	Progress io.Writer
	// TokenDir, when set, receives one 0600 file per principal with its
	// bearer token (for exploring the books afterwards).
	TokenDir string
}

// Tally counts filings: filed, accepted, refused, and refused as planned.
type Tally struct{ Filed, Accepted, Refused, Expected int }

// Result is what happened, for callers and tests.
type Result struct {
	Filed, Accepted, Refused int
	// Month is the month's filings as the summary table prints them; the
	// late filing into the sealed period comes after it (Filed - Month.Filed).
	Month     Tally
	Reversals int
	Calls     int
	// Unexpected lists outcomes that differ from the plan; empty on success.
	Unexpected []string
	Refusals   []Refusal
	Transfers  []Transfer
	Correction *Correction
	// Balances are the server's balances per book at the end (as customs).
	Balances map[string][]*ledgerv1.Balance
	// Expected are the demo's own balances per book.
	Expected map[string][]holding
	// Mismatches lists holdings where server and demo disagree.
	Mismatches []string
	// ClosedBook's period, and its verification.
	ClosedBook string
	Period     *ledgerv1.Period
	VerifyOK   bool
	Problems   []string
	// DayTotals of the busiest line (TW book, bonded, line 1).
	DayTotals []*ledgerv1.DayTotal
	// JournalIDs maps idempotency keys of accepted journals to journal IDs.
	JournalIDs map[string]int64
	// Tokens are the principals' bearer tokens (plaintext: keep them private).
	Tokens     map[string]string
	TokenFiles map[string]string
	// Logistics is the logistics centre's month (sections 7 to 10).
	Logistics *LogisticsResult
	// Sales is the sales and service centre (sections 11 to 14).
	Sales *SalesResult
	// Selective is the selective-duty scene (section 15).
	Selective *SelectiveResult
	// Manufacturing is the manufacturer's month (section 16); RndLab the
	// R&D lab (section 17); Repair the repair centre (section 18).
	Manufacturing *ManufacturingResult
	RndLab        *RndLabResult
	Repair        *RepairResult
	// OutZone is the out-of-zone scene (section 19); Evidence the evidence
	// scene (section 20).
	OutZone  *OutZoneResult
	Evidence *EvidenceResult
	// Stocktake is the month-end scene (section 21): a stocktake written
	// off and customs' attention list.
	Stocktake *StocktakeResult
	// SingleWindow is a list's trip through the single window's messages
	// (section 22).
	SingleWindow *SingleWindowResult
	PostingTime  time.Duration
	Elapsed      time.Duration
	FirstDay     string
	LastDay      string
}

// Refusal is a filing the server refused.
type Refusal struct {
	Date, Book, Document, What string
	Reason, Message            string
	Expected                   bool
}

// Transfer is an intra-zone transfer journal.
type Transfer struct {
	Date      string
	JournalID int64
	Document  string
	Info      *transferInfo
}

// Correction is the reversal and re-filing of a mis-keyed journal.
type Correction struct {
	Date            string
	Original        int64
	OriginalDoc     string
	OriginalWhat    string
	Reversal        int64
	Reason          string
	Refiled         int64
	RefiledWhat     string
	ReversalReplays bool
}

// client talks to the server as the demo's principals.
type client struct {
	conn   *grpc.ClientConn
	ledger ledgerv1.LedgerServiceClient
	admin  adminv1.AdminServiceClient
	// The customs services the logistics centre uses.
	books customsv1.BookServiceClient
	decl  customsv1.DeclarationServiceClient
	gate  customsv1.GateServiceClient
	tax   customsv1.TaxServiceClient
	// The sales and service centre's.
	display customsv1.DisplayServiceClient
	ecom    customsv1.EcommerceServiceClient
	tokens  map[string]string
	// outzone is goods out of the zone and back (mould_outsourcing.go).
	outzone customsv1.OutZoneServiceClient
	// writeOff is WriteOffService (the evidence scene).
	writeOff customsv1.WriteOffServiceClient
}

// newClient is the demo's client of the server on conn, with the admin's
// token.
func newClient(conn *grpc.ClientConn, adminToken string) *client {
	return &client{conn: conn, ledger: ledgerv1.NewLedgerServiceClient(conn), admin: adminv1.NewAdminServiceClient(conn),
		books: customsv1.NewBookServiceClient(conn), decl: customsv1.NewDeclarationServiceClient(conn),
		gate: customsv1.NewGateServiceClient(conn), tax: customsv1.NewTaxServiceClient(conn),
		display: customsv1.NewDisplayServiceClient(conn), ecom: customsv1.NewEcommerceServiceClient(conn), outzone: customsv1.NewOutZoneServiceClient(conn),
		writeOff: customsv1.NewWriteOffServiceClient(conn),
		tokens:   map[string]string{"admin": adminToken}}
}

// Run runs the demo against the server at opts.Addr.
func Run(ctx context.Context, opts Options) (*Result, error) {
	began := time.Now()
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Year == 0 {
		opts.Year, opts.Month = 2026, time.October
	}
	last := time.Date(opts.Year, opts.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if opts.Days <= 0 || opts.Days > last {
		opts.Days = last
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	conn, err := grpc.NewClient(opts.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", opts.Addr, err)
	}
	defer conn.Close()
	c := newClient(conn, opts.AdminToken)

	z := newZone()
	res := &Result{JournalIDs: map[string]int64{}, Balances: map[string][]*ledgerv1.Balance{}, Expected: map[string][]holding{},
		FirstDay: time.Date(opts.Year, opts.Month, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"),
		LastDay:  time.Date(opts.Year, opts.Month, opts.Days, 0, 0, 0, 0, time.UTC).Format("2006-01-02")}
	w := opts.Out
	monthName := time.Date(opts.Year, opts.Month, 1, 0, 0, 0, 0, time.UTC).Format("January 2006")

	// 1. Set-up.
	fmt.Fprintf(w, "1. Set-up: principals, books, lines and world accounts (over gRPC, as admin, then as each principal)\n\n")
	p := &play{ctx: ctx, c: c}
	if setup(p, z, opts, res); p.err != nil {
		return res, p.err
	}

	// 2. The month.
	m := newModel()
	events, err := planMonth(z, m, opts.Seed, opts.Year, opts.Month, opts.Days)
	if err != nil {
		return res, err
	}
	journals := len(slices.DeleteFunc(slices.Clone(events), func(ev event) bool { return ev.Journal == nil }))
	fmt.Fprintf(w, "2. Filing %s (%s .. %s, seed %d): %d journals in PostJournals batches, 1 reversal\n\n",
		monthName, res.FirstDay, res.LastDay, opts.Seed, journals)
	postStart := time.Now()
	counted := &play{ctx: ctx, c: c, calls: &res.Calls}
	if post(counted, events, journals, opts.Progress, res); counted.err != nil {
		return res, counted.err
	}
	res.PostingTime = time.Since(postStart)

	// 3. Summary of the filings.
	printSummary(w, events, res)

	// 4. Balances, checked against the demo's own books.
	if balances(p, z, m, res); p.err != nil {
		return res, p.err
	}
	printBalances(w, z, res)

	// 5. Day totals of the busiest line.
	if dayTotals(p, w, z, res); p.err != nil {
		return res, p.err
	}

	// 6. Seal and verify the logistics book's period; a late filing bounces.
	if seal(p, w, z, res); p.err != nil {
		return res, p.err
	}

	// 7-10. The logistics centre through the customs services.
	logisticsStart := time.Now()
	lr, err := runLogistics(ctx, c, z.LC, opts.Year, opts.Month, opts.Days, res.LastDay)
	res.Logistics = lr
	if err != nil {
		return res, err
	}
	lr.Elapsed = time.Since(logisticsStart)
	printLogistics(w, z.LC, lr, monthName, res.LastDay)

	// 11-14. The sales and service centre: display trading in the month,
	// a day of 1210 e-commerce today.
	salesStart := time.Now()
	sr, err := runSales(ctx, c, z.SC, opts.Year, opts.Month, opts.Days, res.LastDay)
	res.Sales = sr
	if err != nil {
		return res, err
	}
	sr.Elapsed = time.Since(salesStart)
	printSales(w, z.SC, sr, monthName, res.LastDay)

	// 15. Selective duty: a 清单类型 A list taxed on its materials, with
	// 缓税利息.
	y, mo, days := opts.Year, opts.Month, opts.Days
	if err := scene(w, &res.Selective, "selective duty", func() (*SelectiveResult, error) { return runSelective(ctx, c, z.LC, y, mo, days) }, printSelective); err != nil {
		return res, err
	}

	// 16. A manufacturer: two 单耗 versions, production, exports, scrap.
	if err := scene(w, &res.Manufacturing, "manufacturer", func() (*ManufacturingResult, error) { return runManufacturing(ctx, c, z.LC, y, mo, days) }, printManufacturing); err != nil {
		return res, err
	}

	// 17. An R&D lab with two projects.
	if err := scene(w, &res.RndLab, "R&D lab", func() (*RndLabResult, error) { return runRndLab(ctx, c, z.LC, y, mo, days) }, printRndLab); err != nil {
		return res, err
	}

	// 18. The testing, repair and remanufacture centre.
	printRep := func(w io.Writer, rr *RepairResult) { printRepair(w, z.RC, rr) }
	if err := scene(w, &res.Repair, "repair centre", func() (*RepairResult, error) { return runRepair(ctx, c, z.RC, y, mo, days) }, printRep); err != nil {
		return res, err
	}

	// 19. Out of the zone and back: a mould sent out and overdue, a 外发加工
	// round trip.
	if err := scene(w, &res.OutZone, "goods out of the zone", func() (*OutZoneResult, error) { return runOutZone(ctx, c, z.LC, time.Now().In(zoneLocation)) }, printOutZone); err != nil {
		return res, err
	}

	// 20. Evidence: the selective-duty book's period sealed with its
	// documents, exported and checked from the file alone.
	if err := scene(w, &res.Evidence, "evidence", func() (*EvidenceResult, error) { return runEvidence(ctx, c, res.Selective.Book, lr.Today) }, printEvidence); err != nil {
		return res, err
	}

	// 21. The month ends: the manufacturer's book written off after a
	// stocktake (one shortage taxed and paid, one surplus approved), and
	// what needs customs' attention on every book.
	if err := scene(w, &res.Stocktake, "stocktake", func() (*StocktakeResult, error) { return runStocktake(ctx, c, z.LC, time.Now().In(zoneLocation)) }, printStocktake); err != nil {
		return res, err
	}

	// 22. The single window: a list's trip INV101 out → INV201 in →
	// SAS121 out → SAS221 in → SAS251 in, customs' receipts from the
	// demo's templates.
	if err := scene(w, &res.SingleWindow, "single window", func() (*SingleWindowResult, error) { return runSingleWindow(ctx, c, z.LC, time.Now().In(zoneLocation)) }, printSingleWindow); err != nil {
		return res, err
	}

	res.Elapsed = time.Since(began)
	fmt.Fprintf(w, "Done: %d journals filed in the month (%d accepted, %d refused, %d of them on purpose) and %d reversal; %d filed after the close (%d refused); %d holdings match the demo's own books; period verified: %t.\n",
		res.Month.Filed, res.Month.Accepted, res.Month.Refused, res.Month.Expected, res.Reversals,
		res.Filed-res.Month.Filed, res.Refused-res.Month.Refused, len(flatten(res.Expected)), res.VerifyOK)
	fmt.Fprintf(w, "Logistics centre: %d steps in %d customs calls (%s); stock reports as of %s and now, %d taxable events, %d pending trips and every journal's date as the demo predicts: %t.\n",
		len(lr.Steps), lr.Calls, lr.Elapsed.Round(time.Millisecond), res.LastDay, len(lr.Taxable), len(lr.Pending), len(lr.Mismatches) == 0)
	fmt.Fprintf(w, "Sales and service centre: %d display movements and %d e-commerce orders in %d customs calls (%s); stock, display status, every order's outcome, tax and the settlement as the demo predicts: %t. Took %s.\n",
		len(sr.Moves), len(sr.Orders), sr.Calls, sr.Elapsed.Round(time.Millisecond), len(sr.Mismatches) == 0, res.Elapsed.Round(time.Millisecond))
	var problems []string
	problems = append(problems, res.Unexpected...)
	problems = append(problems, res.Mismatches...)
	for _, mm := range lr.Mismatches {
		problems = append(problems, "logistics centre: "+mm)
	}
	for _, mm := range sr.Mismatches {
		problems = append(problems, "sales and service centre: "+mm)
	}
	for _, mm := range res.Repair.Mismatches {
		problems = append(problems, "repair centre: "+mm)
	}
	if !res.VerifyOK {
		problems = append(problems, "VerifyPeriods reported problems: "+strings.Join(res.Problems, "; "))
	}
	if ev := res.Evidence; !ev.Report.Match || ev.Tampered.Match {
		problems = append(problems, fmt.Sprintf("evidence: the export reproduces the sealed digest: %t; a changed copy is caught: %t", ev.Report.Match, !ev.Tampered.Match))
	}
	if len(problems) > 0 {
		return res, fmt.Errorf("the demo did not go as planned:\n  %s", strings.Join(problems, "\n  "))
	}
	return res, nil
}

// scene plays one scene (run), keeps its result in *into even when it
// fails (what names it in the error), and prints it to w when it does not.
func scene[R any](w io.Writer, into *R, what string, run func() (R, error), print func(io.Writer, R)) error {
	r, err := run()
	*into = r
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	print(w, r)
	return nil
}

func countExpected(rs []Refusal) int {
	n := 0
	for _, r := range rs {
		if r.Expected {
			n++
		}
	}
	return n
}

func flatten(m map[string][]holding) []holding {
	var out []holding
	for _, hs := range m {
		out = append(out, hs...)
	}
	return out
}

var roles = map[string]adminv1.Role{
	"customs": adminv1.Role_ROLE_CUSTOMS, "enterprise": adminv1.Role_ROLE_ENTERPRISE, "platform": adminv1.Role_ROLE_PLATFORM,
}

func setup(pl *play, z *zone, opts Options, res *Result) {
	w := opts.Out
	res.Tokens = map[string]string{}
	res.TokenFiles = map[string]string{}
	pt := newTable("PRINCIPAL", "ROLE", "ENTERPRISE ID (USCC)", "CUSTOMS NO", "NAME", "DOES")
	for _, p := range z.Principals {
		req := &adminv1.CreatePrincipalRequest{PrincipalId: p.ID, DisplayName: p.Name, Role: roles[p.Role]}
		uscc, customsNo := "-", "-"
		if p.Ent != nil {
			req.EnterpriseId = p.Ent.USCC
			uscc, customsNo = p.Ent.USCC, p.Ent.CustomsNo
		}
		for _, e := range p.Linked {
			req.LinkedEnterpriseIds = append(req.LinkedEnterpriseIds, e.USCC)
		}
		if p.Role == "platform" {
			uscc = fmt.Sprintf("acts for %d", len(p.Linked))
		}
		do(pl, "admin", pl.c.admin.CreatePrincipal, req)
		tok := do(pl, "admin", pl.c.admin.IssueToken, &adminv1.IssueTokenRequest{PrincipalId: p.ID, Description: "zoneledger demo"})
		if pl.err != nil {
			return
		}
		pl.c.tokens[p.ID] = tok.GetToken()
		res.Tokens[p.ID] = tok.GetToken()
		if opts.TokenDir != "" {
			f := filepath.Join(opts.TokenDir, p.ID+".token")
			if err := errors.Join(os.MkdirAll(opts.TokenDir, 0o700), os.WriteFile(f, []byte(tok.GetToken()+"\n"), 0o600)); err != nil {
				pl.fail("writing the token of %s: %w", p.ID, err)
				return
			}
			res.TokenFiles[p.ID] = f
		}
		pt.add(p.ID, p.Role, uscc, customsNo, p.Name, p.Purpose)
	}
	pt.render(w, "  ")
	fmt.Fprintln(w)

	do(pl, "customs-4601", pl.c.ledger.EnsureWorldAccounts, &ledgerv1.EnsureWorldAccountsRequest{Names: worldAccounts})

	bt := newTable("BOOK", "KIND", "OWNER", "ACCOUNTS", "LINES", "CENTRE")
	it := newTable("BOOK", "LINE", "KIND", "HS CODE", "NAME", "UNIT", "SCALE", "REF. PRICE (CNY)").alignRight(6, 7)
	for _, b := range z.Books {
		do(pl, b.Owner.Principal, pl.c.ledger.CreateBook, &ledgerv1.CreateBookRequest{BookId: b.ID, Name: b.Name, Owner: b.Owner.USCC, Accounts: b.Accounts, Attributes: b.Attrs})
		var items []*ledgerv1.Item
		for _, i := range b.Items {
			items = append(items, &ledgerv1.Item{Code: i.Code, Unit: i.Unit, Scale: uint32(i.Scale), Name: i.Name,
				Attributes: map[string]string{"hs_code": i.HS, "kind": i.Kind, "unit_name": i.UnitName, "reference_price": i.Price.String()}})
			it.add(b.ID, i.Code, i.Kind, i.HS, i.Name, i.Unit+" "+i.UnitName, fmt.Sprint(i.Scale), i.Price.StringFixed(2))
		}
		do(pl, b.Owner.Principal, pl.c.ledger.RegisterItems, &ledgerv1.RegisterItemsRequest{BookId: b.ID, Items: items})
		bt.add(b.ID, b.Kind, b.Owner.Name, strings.Join(b.Accounts, ", "), fmt.Sprint(len(b.Items)), b.Owner.Centre)
	}
	bt.render(w, "  ")
	fmt.Fprintln(w)
	it.render(w, "  ")
	fmt.Fprintf(w, "\n  World accounts (ensured by customs-4601): %s\n\n", strings.Join(worldAccounts, ", "))
}

// post sends the month's events, total journals and the reversals:
// consecutive journals of one principal go in one PostJournals call (at
// most 100), reversals on their own.
func post(p *play, events []event, total int, progress io.Writer, res *Result) {
	var bar *progressbar.ProgressBar
	if progress != nil {
		bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("filing"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("journals"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(65*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(progress) }),
		)
	}
	var batch []event
	flush := func() {
		if len(batch) == 0 {
			return
		}
		req := &ledgerv1.PostJournalsRequest{}
		for _, ev := range batch {
			req.Journals = append(req.Journals, ev.Journal)
		}
		resp := do(p, batch[0].Who, p.c.ledger.PostJournals, req)
		if len(resp.GetResults()) != len(batch) {
			p.fail("PostJournals answered %d results for %d journals from %s", len(resp.GetResults()), len(batch), batch[0].Journal.GetEffectiveDate())
			return
		}
		for i, r := range resp.GetResults() {
			ev := batch[i]
			res.Filed++
			record(res, ev, r)
		}
		if bar != nil {
			_ = bar.Add(len(batch))
		}
		batch = batch[:0]
	}
	for _, ev := range events {
		if ev.Reverse != nil {
			flush()
			reverse(p, ev, res)
			continue
		}
		if len(batch) > 0 && (batch[0].Who != ev.Who || len(batch) == 100) {
			flush()
		}
		batch = append(batch, ev)
	}
	if flush(); bar != nil && p.err == nil {
		_ = bar.Finish()
	}
}

// record books one PostJournals result against the plan.
func record(res *Result, ev event, r *ledgerv1.PostJournalResult) {
	j := ev.Journal
	if e := r.GetError(); e != nil {
		res.Refused++
		res.Refusals = append(res.Refusals, Refusal{Date: j.GetEffectiveDate(), Book: j.GetBookId(), Document: j.GetDocument().GetNumber(),
			What: ev.What, Reason: e.GetReason(), Message: e.GetMessage(), Expected: e.GetReason() == ev.Expect})
		if e.GetReason() != ev.Expect {
			res.Unexpected = append(res.Unexpected, fmt.Sprintf("%s %s (%s): refused %s: %s (expected %s)",
				j.GetEffectiveDate(), j.GetDocument().GetNumber(), ev.What, e.GetReason(), e.GetMessage(), cmp.Or(ev.Expect, "acceptance")))
		}
		return
	}
	res.Accepted++
	res.JournalIDs[j.GetIdempotencyKey()] = r.GetJournal().GetJournalId()
	if ev.Expect != "" {
		res.Unexpected = append(res.Unexpected, fmt.Sprintf("%s %s (%s): accepted, expected refusal %s",
			j.GetEffectiveDate(), j.GetDocument().GetNumber(), ev.What, ev.Expect))
	}
	if r.GetReplayed() {
		res.Unexpected = append(res.Unexpected, fmt.Sprintf("%s %s: answered as a replay of journal %d (is the data directory fresh?)",
			j.GetEffectiveDate(), j.GetIdempotencyKey(), r.GetJournal().GetJournalId()))
	}
	if ev.Transfer != nil {
		res.Transfers = append(res.Transfers, Transfer{Date: j.GetEffectiveDate(), JournalID: r.GetJournal().GetJournalId(),
			Document: j.GetDocument().GetNumber(), Info: ev.Transfer})
	}
	if res.Correction != nil && res.Correction.Refiled == 0 && j.GetMetadata()["corrects"] == res.Correction.OriginalDoc {
		res.Correction.Refiled = r.GetJournal().GetJournalId()
		res.Correction.RefiledWhat = ev.What
	}
}

func reverse(p *play, ev event, res *Result) {
	rs := ev.Reverse
	orig, ok := res.JournalIDs[rs.OfKey]
	if !ok {
		p.fail("cannot reverse %s: it was not accepted", rs.OfKey)
		return
	}
	resp := do(p, ev.Who, p.c.ledger.ReverseJournal, &ledgerv1.ReverseJournalRequest{BookId: rs.Book, JournalId: orig,
		IdempotencyKey: rs.Key, EffectiveDate: rs.Date, Reason: rs.Reason})
	if p.err != nil {
		return
	}
	res.Reversals++
	res.JournalIDs[rs.Key] = resp.GetJournal().GetJournalId()
	res.Correction = &Correction{Date: rs.Date, Original: orig, OriginalDoc: rs.OfKey, OriginalWhat: ev.What,
		Reversal: resp.GetJournal().GetJournalId(), Reason: rs.Reason, ReversalReplays: resp.GetReplayed()}
}

func printSummary(w io.Writer, events []event, res *Result) {
	type counts struct{ filed, accepted, refused int }
	byFlow := map[string]*counts{}
	var order []string
	refusedKeys := map[string]bool{}
	for _, r := range res.Refusals {
		refusedKeys[r.Book+"/"+r.Document] = true
	}
	for _, ev := range events {
		if ev.Journal == nil {
			continue
		}
		cnt, ok := byFlow[ev.Flow]
		if !ok {
			cnt = &counts{}
			byFlow[ev.Flow] = cnt
			order = append(order, ev.Flow)
		}
		cnt.filed++
		if refusedKeys[ev.Journal.GetBookId()+"/"+ev.Journal.GetDocument().GetNumber()] {
			cnt.refused++
		} else {
			cnt.accepted++
		}
	}
	fmt.Fprintf(w, "3. Summary\n\n")
	t := newTable("FLOW", "FILED", "ACCEPTED", "REFUSED").alignRight(1, 2, 3)
	for _, f := range order {
		cnt := byFlow[f]
		t.add(f, fmt.Sprint(cnt.filed), fmt.Sprint(cnt.accepted), fmt.Sprint(cnt.refused))
	}
	t.add("total", fmt.Sprint(res.Filed), fmt.Sprint(res.Accepted), fmt.Sprint(res.Refused))
	t.render(w, "  ")
	res.Month = Tally{Filed: res.Filed, Accepted: res.Accepted, Refused: res.Refused, Expected: countExpected(res.Refusals)}
	// Journals a second, rounded half up, in integers.
	perSec := (2*int64(res.Filed)*int64(time.Second) + int64(res.PostingTime)) / max(1, 2*int64(res.PostingTime))
	fmt.Fprintf(w, "\n  Journals accepted %d, refused %d (%d expected), plus %d reversal; %d calls; filing took %s (%d journals/s).\n\n",
		res.Accepted, res.Refused, countExpected(res.Refusals), res.Reversals, res.Calls, res.PostingTime.Round(time.Millisecond), perSec)

	fmt.Fprintf(w, "  Refused filings (each answered on its own inside its PostJournals batch; nothing of them was booked):\n\n")
	for _, r := range res.Refusals {
		mark := ""
		if !r.Expected {
			mark = "  [UNEXPECTED]"
		}
		fmt.Fprintf(w, "  %s  %s  %s  %s%s\n", r.Date, r.Book, r.Document, r.What, mark)
		fmt.Fprintf(w, "      refused: %s: %s\n", r.Reason, r.Message)
	}
	fmt.Fprintln(w)

	if cr := res.Correction; cr != nil {
		fmt.Fprintf(w, "  Correction by ReverseJournal (nothing is updated or deleted):\n\n")
		fmt.Fprintf(w, "  %s  journal %d  %s: %s\n", cr.Date, cr.Original, cr.OriginalDoc, cr.OriginalWhat)
		fmt.Fprintf(w, "              reversed by journal %d, reason: %s\n", cr.Reversal, cr.Reason)
		if cr.Refiled != 0 {
			fmt.Fprintf(w, "              re-filed as journal %d: %s\n", cr.Refiled, cr.RefiledWhat)
		}
		fmt.Fprintln(w)
	}

	if len(res.Transfers) > 0 {
		fmt.Fprintf(w, "  Intra-zone transfers (区内流转): one journal each, filed by zone-platform, out of one book and into the other:\n\n")
		t := newTable("DATE", "JOURNAL", "DOCUMENT", "OUT OF (seller)", "INTO (buyer)", "QUANTITY", "CONTRACT VALUE").alignRight(1, 5, 6)
		for _, tr := range res.Transfers {
			i := tr.Info
			t.add(tr.Date, fmt.Sprint(tr.JournalID), tr.Document,
				fmt.Sprintf("%s bonded line %s", i.From.Book.ID, i.From.Code),
				fmt.Sprintf("%s bonded line %s", i.To.Book.ID, i.To.Code),
				fmtQty(i.From, i.Qty), i.TransferValue.StringFixed(2))
		}
		t.render(w, "  ")
		fmt.Fprintf(w, "\n  (the world account zone-transfer carries the other side of both postings)\n\n")
	}
}

func balances(p *play, z *zone, m *model, res *Result) {
	for _, b := range z.Books {
		resp := do(p, "customs-4601", p.c.ledger.GetBalances, &ledgerv1.GetBalancesRequest{BookId: b.ID})
		res.Balances[b.ID] = resp.GetBalances()
		want := m.balances(b.ID)
		res.Expected[b.ID] = want
		got := map[string]*ledgerv1.Balance{}
		for _, bal := range resp.GetBalances() {
			got[bal.GetAccount().GetName()+"/"+bal.GetItemCode()] = bal
		}
		for _, h := range want {
			k := h.Account + "/" + h.Item
			bal, ok := got[k]
			delete(got, k)
			if !ok {
				res.Mismatches = append(res.Mismatches, fmt.Sprintf("%s %s: server has nothing, demo expects %s", b.ID, k, h.Qty))
				continue
			}
			if q, err := decimal.NewFromString(bal.GetQuantity()); err != nil || !q.Equal(h.Qty) {
				res.Mismatches = append(res.Mismatches, fmt.Sprintf("%s %s: server %s, demo expects %s", b.ID, k, bal.GetQuantity(), h.Qty))
			}
		}
		for k, bal := range got {
			res.Mismatches = append(res.Mismatches, fmt.Sprintf("%s %s: server has %s (CNY %s), demo expects nothing", b.ID, k, bal.GetQuantity(), bal.GetValue()))
		}
	}
	slices.Sort(res.Mismatches)
}

func printBalances(w io.Writer, z *zone, res *Result) {
	fmt.Fprintf(w, "4. Balances at the end of %s (GetBalances, read as customs-4601)\n\n", res.LastDay)
	for _, b := range z.Books {
		fmt.Fprintf(w, "  %s  %s, %s\n\n", b.ID, b.Owner.Name, b.Name)
		t := newTable("ACCOUNT", "LINE", "NAME", "UNIT", "QUANTITY", "VALUE (CNY)").alignRight(4, 5)
		val := decimal.Zero
		for _, bal := range res.Balances[b.ID] {
			it := itemOf(b, bal.GetItemCode())
			name, unit, scale := bal.GetItemCode(), bal.GetUnit(), int32(0)
			if it != nil {
				name, unit, scale = it.Name, it.Unit+" "+it.UnitName, it.Scale
			}
			q, _ := decimal.NewFromString(bal.GetQuantity())
			v, _ := decimal.NewFromString(bal.GetValue())
			val = val.Add(v)
			t.add(bal.GetAccount().GetName(), bal.GetItemCode(), name, unit, q.StringFixed(scale), v.StringFixed(2))
		}
		t.add("", "", "total carrying value", "", "", val.StringFixed(2))
		t.render(w, "  ")
		fmt.Fprintln(w)
	}
	printCheck(w, "  ", res.Mismatches, "holdings differ from the demo's own books",
		fmt.Sprintf("all %d holdings' quantities equal the demo's own books (the values are the server's FIFO carrying values).", len(flatten(res.Expected))))
}

// printCheck ends a scene with its check: ok when nothing differs, else
// how many things differ (what) and each of them.
func printCheck(w io.Writer, indent string, mismatches []string, what, ok string) {
	if len(mismatches) == 0 {
		fmt.Fprintf(w, "%sCheck: %s\n\n", indent, ok)
		return
	}
	fmt.Fprintf(w, "%sCheck: %d %s:\n", indent, len(mismatches), what)
	for _, mm := range mismatches {
		fmt.Fprintf(w, "    %s\n", mm)
	}
	fmt.Fprintln(w)
}

func itemOf(b *bookDef, code string) *itemDef {
	for _, it := range b.Items {
		if it.Code == code {
			return it
		}
	}
	return nil
}

func dayTotals(p *play, w io.Writer, z *zone, res *Result) {
	b, it := z.T, z.T.item("1")
	resp := do(p, "customs-4601", p.c.ledger.GetDayTotals, &ledgerv1.GetDayTotalsRequest{BookId: b.ID, Account: "bonded", ItemCode: it.Code,
		FromDate: res.FirstDay, ToDate: res.LastDay})
	if p.err != nil {
		return
	}
	res.DayTotals = resp.GetDayTotals()
	fmt.Fprintf(w, "5. Per-day totals of the busiest line: %s bonded, line %s %s (%s %s), GetDayTotals %s .. %s\n\n",
		b.ID, it.Code, it.Name, it.Unit, it.UnitName, res.FirstDay, res.LastDay)
	t := newTable("DAY", "IN", "OUT", "VALUE IN (CNY)", "VALUE OUT (CNY)", "CLOSING QTY", "CLOSING VALUE").alignRight(1, 2, 3, 4, 5, 6)
	sumIn, sumOut, sumVin, sumVout := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for _, dt := range resp.GetDayTotals() {
		qi, _ := decimal.NewFromString(dt.GetQuantityIn())
		qo, _ := decimal.NewFromString(dt.GetQuantityOut())
		vi, _ := decimal.NewFromString(dt.GetValueIn())
		vo, _ := decimal.NewFromString(dt.GetValueOut())
		sumIn, sumOut, sumVin, sumVout = sumIn.Add(qi), sumOut.Add(qo), sumVin.Add(vi), sumVout.Add(vo)
		// The day's closing holding is the server's: GetBalances as of the day.
		bal := do(p, "customs-4601", p.c.ledger.GetBalances, &ledgerv1.GetBalancesRequest{BookId: b.ID, Account: "bonded",
			ItemCode: it.Code, AsOf: dt.GetDay()})
		closeQ, closeV := decimal.Zero, decimal.Zero
		for _, h := range bal.GetBalances() {
			q, _ := decimal.NewFromString(h.GetQuantity())
			v, _ := decimal.NewFromString(h.GetValue())
			closeQ, closeV = closeQ.Add(q), closeV.Add(v)
		}
		t.add(dt.GetDay(), qi.StringFixed(it.Scale), qo.StringFixed(it.Scale), vi.StringFixed(2), vo.StringFixed(2),
			closeQ.StringFixed(it.Scale), closeV.StringFixed(2))
	}
	t.add("month", sumIn.StringFixed(it.Scale), sumOut.StringFixed(it.Scale), sumVin.StringFixed(2), sumVout.StringFixed(2), "", "")
	t.render(w, "  ")
	fmt.Fprintf(w, "\n  (days without movement are omitted; the closing holding is GetBalances as of the day)\n\n")
}

// seal closes the logistics book's period through the last day as customs,
// verifies the seal, and shows that a late filing into it is refused.
func seal(p *play, w io.Writer, z *zone, res *Result) {
	b := z.T
	res.ClosedBook = b.ID
	res.Period = do(p, "customs-4601", p.c.ledger.ClosePeriod, &ledgerv1.ClosePeriodRequest{BookId: b.ID, Through: res.LastDay,
		IdempotencyKey: "close-" + b.ID + "-" + res.LastDay}).GetPeriod()
	vr := do(p, "customs-4601", p.c.ledger.VerifyPeriods, &ledgerv1.VerifyPeriodsRequest{BookId: b.ID})
	if p.err != nil {
		return
	}
	res.VerifyOK, res.Problems = vr.GetOk(), vr.GetProblems()

	per := res.Period
	from := cmp.Or(per.GetFrom(), "(start of the book)")
	fmt.Fprintf(w, "6. Write-off period sealed by customs-4601 (ClosePeriod, then VerifyPeriods)\n\n")
	fmt.Fprintf(w, "  book        %s (%s)\n", b.ID, b.Owner.Name)
	fmt.Fprintf(w, "  period      %s .. %s, %d journals\n", from, per.GetThrough(), per.GetJournalCount())
	fmt.Fprintf(w, "  digest      %s\n", hex.EncodeToString(per.GetDigest()))
	if len(per.GetPreviousDigest()) == 0 {
		fmt.Fprintf(w, "  previous    (none: the book's first period)\n")
	} else {
		fmt.Fprintf(w, "  previous    %s\n", hex.EncodeToString(per.GetPreviousDigest()))
	}
	if per.GetClosedAt() != nil {
		fmt.Fprintf(w, "  closed at   %s\n", per.GetClosedAt().AsTime().UTC().Format(time.RFC3339))
	}
	if res.VerifyOK {
		fmt.Fprintf(w, "  verified    OK: every sealed journal rehashed, the digest and its chain match\n")
	} else {
		fmt.Fprintf(w, "  verified    FAILED: %s\n", strings.Join(res.Problems, "; "))
	}

	// A late filing dated inside the sealed period.
	lastDay, _ := time.Parse("2006-01-02", res.LastDay)
	day := lastDay
	if day.Day() > 1 {
		day = day.AddDate(0, 0, -1)
	}
	wine := b.item("1")
	no := fmt.Sprintf("QD%s%sE%09d", customsOffice, lastDay.Format("06"), 299001)
	late := &ledgerv1.PostJournalRequest{BookId: b.ID, IdempotencyKey: no, EffectiveDate: day.Format("2006-01-02"),
		Document: &ledgerv1.Document{Type: "inventory-list", Number: no, TradeMode: "0110"},
		Metadata: map[string]string{"dec_type": "1 进口报关单 (对应报关)", "note": "filed after the write-off"},
		Postings: []*ledgerv1.Posting{{ItemCode: wine.Code, From: &ledgerv1.AccountRef{BookId: b.ID, Name: "bonded"},
			To: &ledgerv1.AccountRef{Name: "domestic"}, Quantity: "12", Unit: wine.Unit}}}
	ev := event{Who: b.Owner.Principal, Flow: flowDomSale, What: fmt.Sprintf("内销 %s 12 %s dated %s, filed after the close", wine.Name, wine.UnitName, late.GetEffectiveDate()),
		Journal: late, Expect: reasonClosed}
	counted := &play{ctx: p.ctx, c: p.c, calls: &res.Calls}
	pr := do(counted, ev.Who, p.c.ledger.PostJournals, &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{late}})
	if p.err = counted.err; p.err != nil || len(pr.GetResults()) != 1 {
		p.fail("PostJournals answered %d results for the late filing", len(pr.GetResults()))
		return
	}
	res.Filed++
	record(res, ev, pr.GetResults()[0])
	if e := pr.GetResults()[0].GetError(); e != nil {
		fmt.Fprintf(w, "  late filing %s dated %s: refused: %s: %s\n\n", no, late.GetEffectiveDate(), e.GetReason(), e.GetMessage())
	} else {
		fmt.Fprintf(w, "  late filing %s dated %s: ACCEPTED (expected %s)\n\n", no, late.GetEffectiveDate(), reasonClosed)
	}
}
