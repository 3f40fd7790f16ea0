package ecommerce_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// cartLine is one line of a multi-line order: a SKU, its HS code and legal
// unit factor, quantity and price.
type cartLine struct {
	sku, hs, factor, unit, qty, price string
}

// cart makes a multi-line order with freight and insurance, withholding the
// tax the engine charges when each line carries its pro-rata share of
// freight and insurance (rounded half-up to the fen, the last line taking
// the rest), and its payment and waybill.
func (w *world) cart(no, buyer string, freight, insurance string, lines ...cartLine) (ecommerce.Order, ecommerce.Payment, ecommerce.Waybill) {
	w.t.Helper()
	goods := decimal.Zero
	var ols []ecommerce.OrderLine
	for _, l := range lines {
		total := d(l.price).Mul(d(l.qty)).Round(2)
		goods = goods.Add(total)
		ols = append(ols, ecommerce.OrderLine{ItemNo: l.sku, Quantity: d(l.qty), Price: d(l.price), Total: total})
	}
	extra := d(freight).Add(d(insurance))
	req := tax.Request{Regime: tax.CrossBorderRetail, Date: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)}
	allocated := decimal.Zero
	for i, l := range lines {
		share := extra.Mul(ols[i].Total).Div(goods).Round(2)
		if i == len(lines)-1 {
			share = extra.Sub(allocated)
		}
		allocated = allocated.Add(share)
		req.Lines = append(req.Lines, tax.Line{Goods: tax.Goods{HSCode: l.hs, DutiableValue: ols[i].Total.Add(share), Quantity: d(l.qty).Mul(d(l.factor)), Unit: l.unit},
			Pieces: int(d(l.qty).IntPart())})
	}
	q, err := w.tax.Quote(req)
	must(w.t, err)
	buyerP := ecommerce.Person{Name: "王五" + buyer, IDNumber: idNumber("1101011990010" + buyer), Phone: "13800000000"}
	cons := ecommerce.Person{Name: "王五" + buyer, Phone: "13800000000", Address: "北京市朝阳区2号"}
	o := ecommerce.Order{OrderNo: no, Enterprise: w.ebc, Buyer: buyerP, Consignee: cons, GoodsValue: goods, Freight: d(freight), Insurance: d(insurance),
		TaxTotal: q.Total, ActualPaid: goods.Add(d(freight)).Add(q.Total), Lines: ols}
	p := ecommerce.Payment{OrderNo: no, PayCode: "ALIPAY", TransactionID: "T" + no, Payer: buyerP, Amount: o.ActualPaid}
	wb := ecommerce.Waybill{OrderNo: no, LogisticsNo: "SF" + no, LogisticsCode: "SF", Consignee: cons}
	return o, p, wb
}

var (
	cream  = cartLine{sku: "SKU-CREAM", hs: "3304990099", factor: "0.05", unit: "035"}
	laptop = cartLine{sku: "SKU-LAPTOP", hs: "8471300000", factor: "1", unit: "001"}
)

func (c cartLine) of(qty, price string) cartLine { c.qty, c.price = qty, price; return c }

// lots returns the bonded holdings of a book line by lot.
func (w *world) lots(seq int) map[string]ledger.Holding {
	w.t.Helper()
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, Account: zone.AccountBonded, Item: fmt.Sprint(seq), ByLot: true})
	must(w.t, err)
	out := map[string]ledger.Holding{}
	for _, h := range hs {
		out[h.Lot] = h
	}
	return out
}

func wantKind(t *testing.T, err error, kind ledger.Kind, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Kind != kind || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v, want %s %s on %q", err, kind, reason, field)
	}
}

// A return of part of a list — one line, part of its quantity — books that
// part back, taxes the goods kept, and an over-return is refused.
func TestPartialReturnOfOneLineAndQuantity(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	o, p, wb := w.cart("PR1", "0101", "10", "0", cream.of("4", "100"), laptop.of("2", "1500"))
	got, err := w.submit(o, p, wb)
	must(t, err)
	if got.Status != ecommerce.OrderReleased {
		t.Fatalf("order %s %s", got.Status, got.Reason)
	}
	// Asking for more laptops than the list released changes nothing.
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 2, Quantity: d("3")}})
	wantKind(t, err, ledger.KindInvalid, ecommerce.ReasonReturnExceedsList, "lines[0].quantity")
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 3, Quantity: d("1")}})
	wantKind(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument, "lines[0].seq")
	if l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo); err != nil || l.Status != ecommerce.ListReleased || len(l.ReturnLines) != 0 {
		t.Fatalf("after refused returns: %+v, %v", l, err)
	}
	// One laptop of two comes back.
	w.clock.Add(5 * 24 * time.Hour)
	l, err := w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 2, Quantity: d("1")}})
	must(t, err)
	if l.Status != ecommerce.ListReturnRequested || len(l.ReturnLines) != 1 || l.ReturnLines[0].Seq != 2 || !l.ReturnLines[0].Quantity.Equal(d("1")) {
		t.Fatalf("requested: %+v", l)
	}
	// Applying again for other goods is refused; for the same goods, answered.
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	wantKind(t, err, ledger.KindFailedPrecondition, ecommerce.ReasonWrongStatus, "lines")
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 2, Quantity: d("1")}})
	must(t, err)
	l, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	must(t, err)
	if l.Status != ecommerce.ListPartlyReturned || !w.stock(4).Equal(d("9")) || !w.stock(1).Equal(d("96")) {
		t.Fatalf("after partial return: %s, laptops %s, cream %s", l.Status, w.stock(4), w.stock(1))
	}
	// The tax due is the tax of what was kept: 4 creams and 1 laptop with
	// their shares of the freight (the cream line's share unchanged, the
	// laptop line's halved).
	kept, err := w.tax.Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: l.ReleasedOn, Lines: []tax.Line{
		{Goods: tax.Goods{HSCode: cream.hs, DutiableValue: d("401.18"), Quantity: d("0.2"), Unit: "035"}, Pieces: 4},
		{Goods: tax.Goods{HSCode: laptop.hs, DutiableValue: d("1504.41"), Quantity: d("1"), Unit: "001"}, Pieces: 1},
	}})
	must(t, err)
	if !l.Tax.Equal(kept.Total) || !l.ReleasedTax.Equal(o.TaxTotal) || l.Tax.GreaterThanOrEqual(o.TaxTotal) {
		t.Fatalf("tax due %s (released %s), want %s of the goods kept (released %s)", l.Tax, l.ReleasedTax, kept.Total, o.TaxTotal)
	}
	st, err := w.svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if len(st.Lists) != 1 || !st.Tax.Equal(kept.Total) {
		t.Fatalf("settlement %+v, want the kept tax %s", st, kept.Total)
	}
}

// A return whose goods were not received by day 45 lapses: the goods can
// no longer be booked back and the settlement treats the list as final.
func TestUnreceivedReturnLapsesAndTheListIsFinal(t *testing.T) {
	w := newWorld(t, map[int]string{3: "5"})
	o, p, wb := w.order("LP1", "0102", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submit(o, p, wb)
	must(t, err)
	w.clock.Add(10 * 24 * time.Hour)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	must(t, err)
	period := func() ecommerce.Settlement {
		st, err := w.svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
		must(t, err)
		if len(st.Lists) != 1 || !st.Tax.Equal(o.TaxTotal) {
			t.Fatalf("settlement %+v, want list %s with tax %s", st, got.ListNo, o.TaxTotal)
		}
		return st
	}
	// Day 45 (released 11-11, so through 12-26): still pending, not final.
	w.clock.Add(35 * 24 * time.Hour)
	if st := period(); st.Lists[0].Final {
		t.Fatalf("final on day 45: %+v", st.Lists[0])
	}
	if l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo); err != nil || l.Status != ecommerce.ListReturnRequested {
		t.Fatalf("day 45: %s, %v", l.Status, err)
	}
	// Day 46: the return lapsed.
	w.clock.Add(24 * time.Hour)
	if st := period(); !st.Lists[0].Final {
		t.Fatalf("not final after day 45: %+v", st.Lists[0])
	}
	if l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo); err != nil || l.Status != ecommerce.ListReturnLapsed {
		t.Fatalf("day 46: %s, %v; want RETURN_LAPSED", l.Status, err)
	}
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	wantReason(t, err, ecommerce.ReasonReturnWindowClosed)
	if !w.stock(3).Equal(d("4")) {
		t.Fatalf("stock %s after a lapsed return", w.stock(3))
	}
}

// The warehouse keeping the book confirms that returned goods arrived; the
// platform that asked for the return may not.
func TestOnlyTheWarehouseConfirmsArrival(t *testing.T) {
	w := newWorld(t, map[int]string{3: "5"})
	o, p, wb := w.order("AR1", "0103", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submit(o, p, wb)
	must(t, err)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.platform, got.ListNo)
	wantKind(t, err, ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "list_no")
	// Another platform learns nothing of the list.
	_, err = w.svc.ReceiveReturn(w.ctx, w.other, got.ListNo)
	wantReason(t, err, ecommerce.ReasonUnknownList)
	if l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo); err != nil || l.Status != ecommerce.ListReturnRequested || !w.stock(3).Equal(d("4")) {
		t.Fatalf("after refused confirmations: %s, stock %s, %v", l.Status, w.stock(3), err)
	}
	l, err := w.svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	must(t, err)
	if l.Status != ecommerce.ListReturned || !w.stock(3).Equal(d("5")) {
		t.Fatalf("after the warehouse confirmed: %s, stock %s", l.Status, w.stock(3))
	}
}

// Returned goods rejoin the lots they left, with those lots' origin and
// carrying value; no new lot appears.
func TestReturnedGoodsRejoinTheirLot(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	before1, before4 := w.lots(1), w.lots(4)
	if len(before1) != 1 || len(before4) != 1 {
		t.Fatalf("lots before %v %v", before1, before4)
	}
	o, p, wb := w.cart("LT1", "0104", "10", "0", cream.of("4", "100"), laptop.of("3", "1500"))
	got, err := w.submit(o, p, wb)
	must(t, err)
	l, err := w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 1, Quantity: d("4")}, {Seq: 2, Quantity: d("2")}})
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, l.No)
	must(t, err)
	after1, after4 := w.lots(1), w.lots(4)
	for lot, h := range before1 {
		a, ok := after1[lot]
		if len(after1) != 1 || !ok || !a.Quantity.Equal(h.Quantity) || !a.Value.Equal(h.Value) {
			t.Fatalf("cream lots after the whole line came back: %v, want %v", after1, before1)
		}
	}
	for lot, h := range before4 {
		// 10 laptops worth 1000.00 entered; 3 left, 2 came back: 9 worth
		// 1000.00 × 9/10.
		a, ok := after4[lot]
		if len(after4) != 1 || !ok || !a.Quantity.Equal(d("9")) || !a.Value.Equal(h.Value.Mul(d("0.9"))) {
			t.Fatalf("laptop lots after 2 of 3 came back: %v, want lot %s with 9 worth %s", after4, lot, h.Value.Mul(d("0.9")))
		}
		lots, err := w.store.Lots(w.ctx, ledger.ItemRef{Book: w.book, Code: "4"})
		must(t, err)
		if len(lots) != 1 || lots[0].Key != lot || lots[0].Attributes["country"] != "JPN" {
			t.Fatalf("laptop lots %+v, want only %s from JPN", lots, lot)
		}
	}
}

// The tax a platform withheld may differ from the engine's by the zone's
// tolerance: none by default, a fen when the zone allows it.
func TestTaxWithheldWithinTheTolerance(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	off := func(no string) (ecommerce.Order, ecommerce.Payment, ecommerce.Waybill) {
		o, p, wb := w.order(no, "0105", "SKU-CREAM", "1", "100", "3304990099")
		o.TaxTotal, o.ActualPaid = o.TaxTotal.Add(d("0.01")), o.ActualPaid.Add(d("0.01"))
		p.Amount = o.ActualPaid
		return o, p, wb
	}
	o, p, wb := off("TL0")
	_, err := w.submit(o, p, wb)
	wantReason(t, err, ecommerce.ReasonTaxMismatch)

	set := ecommerce.DefaultSettings()
	set.PositiveList = ecommerce.SamplePositiveList()
	set.TaxTolerance = d("0.01")
	lenient, err := ecommerce.New(w.store.Pool(), w.store, w.zone, w.tax, ecommerce.Options{Settings: &set, Now: w.clock.Now})
	must(t, err)
	t.Cleanup(lenient.Close)
	o, p, wb = off("TL1")
	got, err := w.submitTo(lenient, o, p, wb)
	must(t, err)
	l, err := lenient.GetList(w.ctx, w.customs, got.ListNo)
	must(t, err)
	if got.Status != ecommerce.OrderReleased || !l.Tax.Equal(o.TaxTotal.Sub(d("0.01"))) {
		t.Fatalf("order %s, list tax %s: want released with the engine's tax %s", got.Status, l.Tax, o.TaxTotal.Sub(d("0.01")))
	}
	// Two fen off is still refused.
	o, p, wb = off("TL2")
	o.TaxTotal, o.ActualPaid = o.TaxTotal.Add(d("0.01")), o.ActualPaid.Add(d("0.01"))
	p.Amount = o.ActualPaid
	_, err = w.submitTo(lenient, o, p, wb)
	wantReason(t, err, ecommerce.ReasonTaxMismatch)
	bad := ecommerce.DefaultSettings()
	bad.TaxTolerance = d("0.001")
	if _, err := ecommerce.New(w.store.Pool(), w.store, w.zone, w.tax, ecommerce.Options{Settings: &bad}); err == nil {
		t.Fatal("a tolerance below the fen was accepted")
	}
}

// buyerTotal is a buyer's counted cross-border value this year.
func (w *world) buyerTotal(id string) decimal.Decimal {
	w.t.Helper()
	var s string
	must(w.t, w.store.Pool().QueryRow(w.ctx, `SELECT total::text FROM ecom_buyer_totals WHERE id_number = $1 AND year = 2026 AND key = ''`, id).Scan(&s))
	return d(s)
}

// Insurance enters the dutiable value once: shared over the lines with the
// freight for the tax, counted once in the buyer's annual total, and split
// between the goods kept and the goods returned without being counted
// again or lost.
func TestInsuranceCountedOnce(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	o, p, wb := w.cart("IN1", "0106", "10", "5", cream.of("3", "100"), laptop.of("2", "1500"))
	got, err := w.submit(o, p, wb)
	must(t, err)
	l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo)
	must(t, err)
	// 3300 of goods, 10 freight, 5 insurance: 3315, the tax the engine
	// gives with 15 shared over the lines (cart), and 3315 counted.
	if !l.DutiableValue.Equal(d("3315")) || !l.Tax.Equal(o.TaxTotal) || !w.buyerTotal(o.Buyer.IDNumber).Equal(d("3315")) {
		t.Fatalf("list value %s tax %s, buyer total %s; want 3315, %s, 3315", l.DutiableValue, l.Tax, w.buyerTotal(o.Buyer.IDNumber), o.TaxTotal)
	}
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, []ecommerce.ReturnLine{{Seq: 2, Quantity: d("1")}})
	must(t, err)
	l, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	must(t, err)
	// Lines: cream 300 + 1.36 (15 × 300/3300, rounded) = 301.36; laptops
	// 3000 + 13.64 = 3013.64, half of it kept: 1506.82. Kept 1808.18; the
	// buyer's total keeps exactly that, the rest (1506.82) given back.
	if !w.buyerTotal(o.Buyer.IDNumber).Equal(d("1808.18")) {
		t.Fatalf("buyer total %s after returning one laptop; want 1808.18", w.buyerTotal(o.Buyer.IDNumber))
	}
	kept, err := w.tax.Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: l.ReleasedOn, Lines: []tax.Line{
		{Goods: tax.Goods{HSCode: cream.hs, DutiableValue: d("301.36"), Quantity: d("0.15"), Unit: "035"}, Pieces: 3},
		{Goods: tax.Goods{HSCode: laptop.hs, DutiableValue: d("1506.82"), Quantity: d("1"), Unit: "001"}, Pieces: 1},
	}})
	must(t, err)
	if !l.Tax.Equal(kept.Total) {
		t.Fatalf("kept tax %s, want %s", l.Tax, kept.Total)
	}
}

// Goods returned into a lot the release emptied revive that lot.
func TestReturnIntoAnEmptiedLot(t *testing.T) {
	w := newWorld(t, map[int]string{3: "1"})
	before := w.lots(3)
	o, p, wb := w.order("EL1", "0107", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submit(o, p, wb)
	must(t, err)
	if len(w.lots(3)) != 0 && !w.stock(3).IsZero() {
		t.Fatalf("lots after selling the last unit: %v", w.lots(3))
	}
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	must(t, err)
	after := w.lots(3)
	for lot, h := range before {
		if a, ok := after[lot]; len(after) != 1 || !ok || !a.Quantity.Equal(h.Quantity) || !a.Value.Equal(h.Value) {
			t.Fatalf("lots after the return: %v, want %v", after, before)
		}
	}
}

// A return whose transaction committed but whose answer was lost is
// booked once: the warehouse's retry a day later finds the list returned,
// dated the day it confirmed the arrival.
func TestReturnWithALostAnswerIsBookedOnce(t *testing.T) {
	w := newWorld(t, map[int]string{3: "5"})
	svc, flaky := w.flakyService()
	o, p, wb := w.order("IR1", "0108", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submitTo(svc, o, p, wb)
	must(t, err)
	w.clock.Add(3 * 24 * time.Hour)
	_, err = svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	must(t, err)
	confirmed := w.clock.Now()
	flaky.loseAfterCommit.Store(true)
	_, err = svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	wantReason(t, err, ledger.ReasonUnavailable)
	flaky.loseAfterCommit.Store(false)
	w.clock.Add(24 * time.Hour)
	l, err := svc.ReceiveReturn(w.ctx, w.warehouse, got.ListNo)
	must(t, err)
	if l.Status != ecommerce.ListReturned || ledger.FormatDate(l.ReturnedOn) != ledger.FormatDate(ledger.DayIn(confirmed, time.FixedZone("CST", 8*3600))) || !w.stock(3).Equal(d("5")) {
		t.Fatalf("after the retry a day later: %s returned on %s, stock %s", l.Status, ledger.FormatDate(l.ReturnedOn), w.stock(3))
	}
}

// A return an earlier zoneledger left RETURN_RECEIVING (it posted the
// journal, then finished the list in a second transaction) is finished by
// Recover, once, with the journal dated the day the warehouse confirmed.
func TestReturnLeftReceivingIsFinishedByRecover(t *testing.T) {
	w := newWorld(t, map[int]string{3: "5"})
	o, p, wb := w.order("IR2", "0108", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submit(o, p, wb)
	must(t, err)
	w.clock.Add(3 * 24 * time.Hour)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, got.ListNo, nil)
	must(t, err)
	confirmed := ledger.DayIn(w.clock.Now(), time.FixedZone("CST", 8*3600))
	// What the earlier version stored before posting the journal.
	var body string
	must(t, w.store.Pool().QueryRow(w.ctx, `SELECT body FROM ecom_lists WHERE no = $1`, got.ListNo).Scan(&body))
	var m map[string]any
	must(t, json.Unmarshal([]byte(body), &m))
	m["Status"], m["ReturnedOn"] = "RETURN_RECEIVING", confirmed.Format(time.RFC3339)
	b, err := json.Marshal(m)
	must(t, err)
	_, err = w.store.Pool().Exec(w.ctx, `UPDATE ecom_lists SET status = 'RETURN_RECEIVING', body = $2 WHERE no = $1`, got.ListNo, string(b))
	must(t, err)
	w.clock.Add(24 * time.Hour)
	for range 2 {
		must(t, w.svc.Recover(w.ctx))
		l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo)
		must(t, err)
		if l.Status != ecommerce.ListReturned || ledger.FormatDate(l.ReturnedOn) != ledger.FormatDate(confirmed) || !w.stock(3).Equal(d("5")) {
			t.Fatalf("after Recover a day later: %s returned on %s, stock %s", l.Status, ledger.FormatDate(l.ReturnedOn), w.stock(3))
		}
	}
}
