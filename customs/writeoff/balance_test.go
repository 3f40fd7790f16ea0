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
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := ledger.ParseDate(s, "day")
	if err != nil {
		panic(err)
	}
	return t
}

// balanceWorld is a zone with enterprise e1's book H31050000001 (three
// lines) and another enterprise e2 with a book of its own.
type balanceWorld struct {
	t        *testing.T
	ctx      context.Context
	store    *pgstore.Store
	zone     *zone.Service
	balances *Balances
	e1, e2   access.Principal
	customs  access.Principal
	book     string
	n        int
}

func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func newBalanceWorld(t *testing.T) *balanceWorld {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &balanceWorld{t: t, ctx: ctx, store: store, book: "H31050000001", customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	w.must(store.Migrate(ctx))
	_, err = zone.Migrations().Up(ctx, store.Pool())
	w.must(err)
	w.zone, err = zone.New(store.Pool(), store, zone.Options{})
	w.must(err)
	w.must(w.zone.Start(ctx))
	w.must(store.EnsureWorldAccounts(ctx, []string{processing.WorldDestroyed, repair.WorldRemoved}))
	w.balances = NewBalances(w.zone, store)
	u1, u2 := uscc(t, "91310000MA1K00001"), uscc(t, "91310000MA1K00002")
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: u2}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{u1, u2} {
		_, err := w.zone.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("310596000%d", i+1), Name: "Enterprise " + u})
		w.must(err)
	}
	line := func(seq int, unit string, scale int32) zone.BookLine {
		return zone.BookLine{Seq: seq, HSCode: "8411910000", Name: fmt.Sprintf("line %d", seq), DeclaredUnit: unit, Scale: scale,
			Legal: zone.LegalUnit{Unit: unit, Factor: d("1")}, Type: codes.GoodsMaterial}
	}
	for _, b := range []struct {
		p  access.Principal
		no string
		u  string
	}{{w.e1, w.book, u1}, {w.e2, "H31050000002", u2}} {
		_, err := w.zone.CreateBook(ctx, b.p, zone.Book{No: b.no, Kind: codes.BookZone, Enterprise: b.u, CustomsOffice: "3105", Usage: "3"})
		w.must(err)
		_, err = w.zone.AddBookLines(ctx, b.p, b.no, []zone.BookLine{line(1, "007", 0), line(2, "035", 3), line(3, "007", 0)})
		w.must(err)
	}
	_, err = store.AddBookAccounts(ctx, w.book, repair.Accounts())
	w.must(err)
	return w
}

func (w *balanceWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// move is one generated movement and the flow(s) the balance must show it
// under: in on its To bucket's status, out on its From bucket's.
type move struct {
	day            string
	seq            int
	from, to       ledger.AccountRef
	qty, value     string
	doc, mode      string
	inFlow         Flow // "" when To is no book bucket or the move stays in one status
	outFlow        Flow // "" when From is no book bucket or the move stays in one status
	fromS, toS     BalanceStatus
	reverseOnDay   string // when set, the journal is reversed on that day
	reverseIn      Flow   // the reversal's flow on the From bucket
	journal        ledger.Journal
	reverseJournal ledger.Journal
}

// everyFlow returns movements of every flow over six days, each line its
// own quantities; the period checked is days 3 to 5.
func (w *balanceWorld) everyFlow() []*move {
	in := func(n string) ledger.AccountRef { return ledger.In(w.book, n) }
	wo := ledger.World
	B, N := BalanceBonded, BalanceNonBonded
	var ms []*move
	for seq := 1; seq <= 3; seq++ {
		k := decimal.NewFromInt(int64(seq))
		q := func(s string) string { return d(s).Mul(k).String() }
		if seq == 2 { // a unit with decimals
			q = func(s string) string { return d(s).Mul(d("2.125")).String() }
		}
		ms = append(ms,
			// before the period: stock to move later
			&move{day: "2026-11-01", seq: seq, from: wo(zone.WorldAbroad), to: in(zone.AccountBonded), qty: q("1000"), value: "50000.00", doc: "PASS", inFlow: FlowFirstLineIn, toS: B},
			&move{day: "2026-11-02", seq: seq, from: wo(zone.WorldOutside), to: in(zone.AccountNonBonded), qty: q("300"), value: "900.00", doc: "PASS", inFlow: FlowNonDeclaredIn, toS: N},
			&move{day: "2026-11-02", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldDomestic), qty: q("7"), doc: "PASS", outFlow: FlowSecondLineOut, fromS: B},
			// the period
			&move{day: "2026-11-03", seq: seq, from: wo(zone.WorldAbroad), to: in(zone.AccountEntered), qty: q("40"), value: "400.00", doc: "PASS", inFlow: FlowFirstLineIn, toS: B},
			&move{day: "2026-11-03", seq: seq, from: in(zone.AccountEntered), to: in(zone.AccountBonded), qty: q("40"), doc: "INVT", mode: "5034", fromS: B, toS: B},
			&move{day: "2026-11-03", seq: seq, from: wo(zone.WorldDomestic), to: in(zone.AccountBonded), qty: q("20"), value: "200.00", doc: "PASS", inFlow: FlowSecondLineIn, toS: B},
			&move{day: "2026-11-03", seq: seq, from: wo(zone.WorldDomestic), to: in(zone.AccountBonded), qty: q("2"), value: "20.00", doc: documentEcommerceReturn, mode: "1210", inFlow: FlowReturnIn, toS: B},
			&move{day: "2026-11-03", seq: seq, from: wo(zone.WorldOtherZone), to: in(zone.AccountBonded), qty: q("11"), value: "110.00", doc: "PASS", inFlow: FlowInterZoneIn, toS: B},
			&move{day: "2026-11-03", seq: seq, from: wo(zone.WorldZoneTransfer), to: in(zone.AccountBonded), qty: q("13"), value: "130.00", doc: "INVT", inFlow: FlowIntraZoneIn, toS: B},
			&move{day: "2026-11-04", seq: seq, from: wo(zone.WorldProduction), to: in(zone.AccountBonded), qty: q("17"), value: "170.00", doc: processing.DocumentProduction, inFlow: FlowProduced, toS: B},
			&move{day: "2026-11-04", seq: seq, from: wo(repair.WorldRemoved), to: in(repair.Account(repair.SectionScrap, repair.OriginAbroad)), qty: q("3"), value: "0.30", doc: repair.DocumentOrder, inFlow: FlowScrapMade, toS: B},
			&move{day: "2026-11-04", seq: seq, from: wo(zone.WorldOutside), to: in(zone.AccountNonBonded), qty: q("19"), value: "19.00", doc: "PASS", inFlow: FlowNonDeclaredIn, toS: N},
			&move{day: "2026-11-04", seq: seq, from: in(zone.AccountNonBonded), to: in(zone.AccountInspection), qty: q("23"), doc: "INVT", inFlow: FlowStatusSwitchIn, outFlow: FlowStatusSwitchOut, fromS: N, toS: B},
			&move{day: "2026-11-04", seq: seq, from: in(zone.AccountBonded), to: in(zone.AccountReserved), qty: q("60"), doc: "INVT", mode: "5034", fromS: B, toS: B},
			&move{day: "2026-11-04", seq: seq, from: in(zone.AccountReserved), to: wo(zone.WorldAbroad), qty: q("29"), doc: "PASS", outFlow: FlowFirstLineOut, fromS: B},
			&move{day: "2026-11-04", seq: seq, from: in(zone.AccountReserved), to: wo(zone.WorldDomestic), qty: q("31"), doc: "PASS", outFlow: FlowSecondLineOut, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldOtherZone), qty: q("5"), doc: "PASS", outFlow: FlowInterZoneOut, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldZoneTransfer), qty: q("6"), doc: "INVT", outFlow: FlowIntraZoneOut, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(processing.WorldDestroyed), qty: q("4"), doc: processing.DocumentDestruction, outFlow: FlowDestroyed, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountNonBonded), to: wo(zone.WorldOutside), qty: q("8"), doc: "PASS", outFlow: FlowNonDeclaredOut, fromS: N},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("41"), doc: processing.DocumentProduction, outFlow: FlowConsumedProduction, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("9"), doc: documentConsumption, outFlow: FlowConsumedProduction, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("12"), doc: processing.DocumentRndUse, outFlow: FlowConsumedRnd, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("14"), doc: repair.DocumentOrder, outFlow: FlowConsumedRepair, fromS: B},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountNonBonded), to: wo(zone.WorldConsumed), qty: q("15"), doc: processing.DocumentProduction, outFlow: FlowConsumedProduction, fromS: N},
			&move{day: "2026-11-05", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("1"), doc: "ADJUST", outFlow: FlowConsumedOther, fromS: B},
			&move{day: "2026-11-03", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldDomestic), qty: q("10"), doc: "PASS", outFlow: FlowSecondLineOut, fromS: B,
				reverseOnDay: "2026-11-05", reverseIn: FlowCorrectionIn},
			// after the period
			&move{day: "2026-11-06", seq: seq, from: wo(zone.WorldAbroad), to: in(zone.AccountBonded), qty: q("99"), value: "990.00", doc: "PASS", inFlow: FlowFirstLineIn, toS: B},
			&move{day: "2026-11-06", seq: seq, from: in(zone.AccountBonded), to: wo(zone.WorldConsumed), qty: q("3"), doc: processing.DocumentProduction, outFlow: FlowConsumedProduction, fromS: B},
		)
	}
	return ms
}

// post posts the movements (and reverses the ones marked) in the order
// given.
func (w *balanceWorld) post(ms []*move) {
	w.t.Helper()
	for _, m := range ms {
		w.n++
		unit := "007"
		if m.seq == 2 {
			unit = "035"
		}
		p := ledger.Posting{Item: ledger.ItemRef{Book: w.book, Code: fmt.Sprint(m.seq)}, From: m.from, To: m.to, Quantity: d(m.qty), Unit: unit}
		if m.value != "" {
			p.Value = d(m.value)
		}
		j, err := w.store.Post(w.ctx, ledger.JournalRequest{Book: w.book, IdempotencyKey: fmt.Sprintf("gen-%d", w.n), EffectiveDate: day(m.day),
			Document: ledger.Document{Type: m.doc, Number: fmt.Sprintf("DOC-%d", w.n), TradeMode: m.mode}, Principal: "gen", Postings: []ledger.Posting{p}})
		w.must(err)
		m.journal = j
		if m.reverseOnDay != "" {
			m.reverseJournal, err = w.store.Reverse(w.ctx, ledger.ReverseRequest{Book: w.book, JournalID: j.ID, IdempotencyKey: fmt.Sprintf("gen-%d-rev", w.n),
				EffectiveDate: day(m.reverseOnDay), Principal: "gen"})
			w.must(err)
		}
	}
}

// asOfByStatus sums the ledger's balances as of a day by line and status.
func (w *balanceWorld) asOfByStatus(at time.Time) map[balanceKey]ledger.Amount {
	w.t.Helper()
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, AsOf: &at})
	w.must(err)
	out := map[balanceKey]ledger.Amount{}
	for _, h := range hs {
		var seq int
		fmt.Sscan(h.Item.Code, &seq)
		k := balanceKey{seq, StatusOf(h.Account.Name)}
		out[k] = addAmount(out[k], h.Quantity, h.Value)
	}
	return out
}

func TestBalanceOfEveryFlowClosesExactly(t *testing.T) {
	w := newBalanceWorld(t)
	ms := w.everyFlow()
	w.post(ms)
	from, to := day("2026-11-03"), day("2026-11-05")
	bal, err := w.balances.InventoryBalance(w.ctx, w.e1, w.book, from, to)
	w.must(err)
	if len(bal.Lines) != 6 {
		t.Fatalf("%d balance rows, want 6 (3 lines, bonded and non-bonded)", len(bal.Lines))
	}
	// What each flow must show, from the generated movements alone.
	want := map[balanceKey]map[Flow]decimal.Decimal{}
	addWant := func(seq int, st BalanceStatus, f Flow, q decimal.Decimal) {
		k := balanceKey{seq, st}
		if want[k] == nil {
			want[k] = map[Flow]decimal.Decimal{}
		}
		want[k][f] = want[k][f].Add(q)
	}
	for _, m := range ms {
		if dd := day(m.day); !dd.Before(from) && !dd.After(to) {
			if m.inFlow != "" {
				addWant(m.seq, m.toS, m.inFlow, d(m.qty))
			}
			if m.outFlow != "" {
				addWant(m.seq, m.fromS, m.outFlow, d(m.qty))
			}
		}
		if m.reverseOnDay != "" {
			addWant(m.seq, m.fromS, m.reverseIn, d(m.qty))
		}
	}
	opening, closing := w.asOfByStatus(from.AddDate(0, 0, -1)), w.asOfByStatus(to)
	for _, l := range bal.Lines {
		k := balanceKey{l.BookSeq, l.Status}
		// opening + in − out − consumed = closing, exactly
		sum := l.Opening.Quantity.Add(l.In.Quantity).Sub(l.Out.Quantity).Sub(l.Consumed.Quantity)
		sumV := l.Opening.Value.Add(l.In.Value).Sub(l.Out.Value).Sub(l.Consumed.Value)
		if !sum.Equal(l.Closing.Quantity) || !sumV.Equal(l.Closing.Value) {
			t.Errorf("line %d %s: opening %s + in %s - out %s - consumed %s = %s, closing says %s", l.BookSeq, l.Status,
				l.Opening.Quantity, l.In.Quantity, l.Out.Quantity, l.Consumed.Quantity, sum, l.Closing.Quantity)
		}
		if o := opening[k]; !o.Quantity.Equal(l.Opening.Quantity) || !o.Value.Equal(l.Opening.Value) {
			t.Errorf("line %d %s: opening %s worth %s, the ledger held %s worth %s the day before", l.BookSeq, l.Status, l.Opening.Quantity, l.Opening.Value, o.Quantity, o.Value)
		}
		if c := closing[k]; !c.Quantity.Equal(l.Closing.Quantity) || !c.Value.Equal(l.Closing.Value) {
			t.Errorf("line %d %s: closing %s worth %s, the ledger holds %s worth %s", l.BookSeq, l.Status, l.Closing.Quantity, l.Closing.Value, c.Quantity, c.Value)
		}
		if len(l.Flows) != len(want[k]) {
			t.Errorf("line %d %s: flows %v, want %v", l.BookSeq, l.Status, l.Flows, want[k])
		}
		for f, q := range want[k] {
			if got := l.Flow(f); !got.Quantity.Equal(q) {
				t.Errorf("line %d %s: flow %s moved %s, want %s", l.BookSeq, l.Status, f, got.Quantity, q)
			}
		}
		if l.Status == BalanceBonded && !l.ScrapMade.Quantity.Equal(want[k][FlowScrapMade]) {
			t.Errorf("line %d: scrap made %s, want %s", l.BookSeq, l.ScrapMade.Quantity, want[k][FlowScrapMade])
		}
	}
	// every flow appears on some row
	seen := map[Flow]bool{}
	for _, l := range bal.Lines {
		for _, f := range l.Flows {
			seen[f.Flow] = true
		}
	}
	for _, c := range Flows() {
		if !seen[c.Flow] && c.Flow != FlowOtherIn && c.Flow != FlowOtherOut && c.Flow != FlowCorrectionOut {
			t.Errorf("flow %s does not appear in the generated book's balance", c.Flow)
		}
	}
}

func TestBalanceOfGoodsThroughTheGate(t *testing.T) {
	w := newBalanceWorld(t)
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: "IN-1", Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("12"), Total: d("1200"), GrossWeight: d("100"), NetWeight: d("90")}}})
	w.must(err)
	l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-1", Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ev := zone.GateEvent{ID: "ev-1", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight), At: time.Now()}
	_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, ev)
	w.must(err)
	today := ledger.DayIn(time.Now(), w.zone.Settings().Location)
	bal, err := w.balances.InventoryBalance(w.ctx, w.customs, w.book, today.AddDate(0, 0, -1), today)
	w.must(err)
	got := bal.Lines[0]
	if got.BookSeq != 1 || got.Status != BalanceBonded || !got.Flow(FlowFirstLineIn).Quantity.Equal(d("12")) || !got.Closing.Quantity.Equal(d("12")) {
		t.Fatalf("line 1 bonded after a first-line entry of 12: %+v", got)
	}
}

func TestBalanceIsReadOnlyByTheBooksEnterpriseAndCustoms(t *testing.T) {
	w := newBalanceWorld(t)
	w.post(w.everyFlow()[:2])
	from, to := day("2026-11-01"), day("2026-11-30")
	if _, err := w.balances.InventoryBalance(w.ctx, w.customs, w.book, from, to); err != nil {
		t.Fatalf("customs reads every book: %v", err)
	}
	_, err := w.balances.InventoryBalance(w.ctx, w.e2, w.book, from, to)
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != zone.ReasonUnknownBook || le.Kind != ledger.KindNotFound {
		t.Fatalf("another enterprise's book: got %v, want NOT_FOUND %s", err, zone.ReasonUnknownBook)
	}
	_, err = w.balances.InventoryBalance(w.ctx, w.e2, "H31050000999", from, to)
	var le2 *ledger.Error
	if !errors.As(err, &le2) || le2.Reason != le.Reason || le2.Field != le.Field || le2.Kind != le.Kind {
		t.Fatalf("a book that does not exist answers %v; another's answers %v: they must look the same", err, le)
	}
	_, err = w.balances.InventoryBalance(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, w.book, from, to)
	if err == nil {
		t.Fatal("an admin read an enterprise's balance")
	}
}

func TestBalanceRefusesAPeriodEndingBeforeItStarts(t *testing.T) {
	w := newBalanceWorld(t)
	_, err := w.balances.InventoryBalance(w.ctx, w.e1, w.book, day("2026-11-05"), day("2026-11-04"))
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != ReasonBalancePeriod || le.Field != "to" || le.Kind != ledger.KindInvalid {
		t.Fatalf("got %v, want INVALID %s on to", err, ReasonBalancePeriod)
	}
	_, err = w.balances.InventoryBalance(w.ctx, w.e1, w.book, time.Time{}, day("2026-11-04"))
	if !errors.As(err, &le) || le.Reason != ReasonBalancePeriod || le.Field != "from" {
		t.Fatalf("got %v, want %s on from", err, ReasonBalancePeriod)
	}
}
