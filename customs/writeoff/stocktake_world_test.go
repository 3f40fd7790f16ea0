package writeoff

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/evidence"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// cycleWorld is a zone with enterprise e1's zone book H31050000001: line 1
// aluminium sheet (material, kg, 3 places), line 2 microwave ovens
// (finished good, pieces), line 3 power supplies (material, pieces); and
// enterprise e2, who owns no book of it.
type cycleWorld struct {
	t       *testing.T
	ctx     context.Context
	store   *pgstore.Store
	zone    *zone.Service
	proc    *processing.Service
	cy      *Cycles
	ev      *evidence.Service
	clock   time.Time
	e1, e2  access.Principal
	customs access.Principal
	book    string
	n       int
}

func num(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func cycleUSCC(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func cycleErrOf[T any](_ T, err error) error { return err }

func (w *cycleWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func newCycleWorld(t *testing.T) *cycleWorld {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &cycleWorld{t: t, ctx: ctx, store: store, book: "H31050000001", customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	w.clock = time.Now()
	w.must(cycleErrOf(pgstore.Migrations().Up(ctx, store.Pool())))
	w.must(cycleErrOf(zone.Migrations().Up(ctx, store.Pool())))
	w.must(cycleErrOf(processing.Migrations().Up(ctx, store.Pool())))
	w.must(cycleErrOf(CycleMigrations().Up(ctx, store.Pool())))
	w.must(cycleErrOf(evidence.Migrations().Up(ctx, store.Pool())))
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	w.must(err)
	w.zone, err = zone.New(store.Pool(), store, zone.Options{Tax: eng})
	w.must(err)
	w.must(w.zone.Start(ctx))
	w.proc, err = processing.New(store.Pool(), store, w.zone, processing.Options{})
	w.must(err)
	w.must(w.proc.Start(ctx))
	w.cy, err = NewCycles(store.Pool(), store, w.zone, CycleOptions{Processing: w.proc, Now: func() time.Time { return w.clock }})
	w.must(err)
	w.must(w.cy.Start(ctx))
	w.ev, err = evidence.New(store.Pool(), store, w.zone, []evidence.Source{w.proc, w.cy}, evidence.Options{})
	w.must(err)
	w.cy.SetEvidence(w.ev)
	u1, u2 := cycleUSCC(t, "91310000MA1K00001"), cycleUSCC(t, "91310000MA1K00002")
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: u2}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{u1, u2} {
		w.must(cycleErrOf(w.zone.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("310596000%d", i+1), Name: "Enterprise " + u})))
	}
	w.must(cycleErrOf(w.zone.CreateBook(ctx, w.e1, zone.Book{No: w.book, Kind: codes.BookZone, Enterprise: u1, CustomsOffice: "3105", Usage: "1"})))
	w.must(cycleErrOf(w.zone.AddBookLines(ctx, w.e1, w.book, []zone.BookLine{
		{Seq: 1, HSCode: "7606125000", Name: "aluminium sheet", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: num("1")}, Type: codes.GoodsMaterial},
		{Seq: 2, HSCode: "8516500000", Name: "microwave oven", DeclaredUnit: "001", Scale: 0, Legal: zone.LegalUnit{Unit: "001", Factor: num("1")}, Type: codes.GoodsFinished},
		{Seq: 3, HSCode: "8504409999", Name: "power supply", DeclaredUnit: "007", Scale: 0, Legal: zone.LegalUnit{Unit: "007", Factor: num("1")}, Type: codes.GoodsMaterial},
	})))
	return w
}

// today is the zone's business date.
func (w *cycleWorld) today() time.Time { return ledger.DayIn(time.Now(), w.zone.Settings().Location) }

// bring puts qty of a line on the book's bonded account from abroad at
// value, effective on day, as a first-line entry (lot flow FIRST_LINE_IN).
func (w *cycleWorld) bring(seq int, qty, value string, day time.Time) {
	w.t.Helper()
	w.n++
	unit := map[int]string{1: "035", 2: "001", 3: "007"}[seq]
	_, err := w.store.Post(w.ctx, ledger.JournalRequest{Book: w.book, IdempotencyKey: fmt.Sprintf("bring-%d", w.n), EffectiveDate: day,
		Document: ledger.Document{Type: "TEST", Number: fmt.Sprintf("T%d", w.n)}, Principal: "test",
		Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: w.book, Code: fmt.Sprint(seq)}, From: ledger.World(zone.WorldAbroad),
			To: ledger.In(w.book, zone.AccountBonded), Quantity: num(qty), Unit: unit, Value: num(value), LotAttributes: map[string]string{"flow": string(zone.FlowFirstLineIn)}}}})
	w.must(err)
}

// cycle sets a 12-month cycle from 100 days ago.
func (w *cycleWorld) cycle() {
	w.t.Helper()
	w.must(cycleErrOf(w.cy.SetCycle(w.ctx, w.e1, w.book, 12)))
	w.must(cycleErrOf(w.cy.SetCycleStart(w.ctx, w.customs, w.book, w.today().AddDate(0, 0, -100))))
}

// notified gives notice yesterday of a stocktake today and returns it.
func (w *cycleWorld) notified() Stocktake {
	w.t.Helper()
	w.clock = time.Now().AddDate(0, 0, -1)
	defer func() { w.clock = time.Now() }()
	st, err := w.cy.NotifyStocktake(w.ctx, w.e1, w.book, "N-1", w.today())
	w.must(err)
	return st
}

// balance is a line's quantity in an account now.
func (w *cycleWorld) balance(seq int, account string) decimal.Decimal {
	w.t.Helper()
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, Account: account, Item: fmt.Sprint(seq)})
	w.must(err)
	sum := decimal.Zero
	for _, h := range hs {
		sum = sum.Add(h.Quantity)
	}
	return sum
}

// wantCycleRefusal fails unless err is a ledger error with the reason and field.
func wantCycleRefusal(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v, want reason %s on field %q", err, reason, field)
	}
}

// ovenVersion is 单耗 version 1 of the microwave oven (line 2): 2 kg
// of aluminium sheet (line 1) each, no loss, effective from eff.
func ovenVersion(book string, eff time.Time) processing.Version {
	return processing.Version{Book: book, FinishedSeq: 2, Version: "1", EffectiveDate: eff,
		Norms: []processing.Norm{{MaterialSeq: 1, Net: num("2"), LossPercent: num("0")}}}
}
