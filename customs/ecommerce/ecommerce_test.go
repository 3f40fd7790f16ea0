package ecommerce_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

type clock struct{ t atomic.Pointer[time.Time] }

func (c *clock) Now() time.Time      { return *c.t.Load() }
func (c *clock) Set(t time.Time)     { c.t.Store(&t) }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

type world struct {
	t        *testing.T
	ctx      context.Context
	svc      *ecommerce.Service
	zone     *zone.Service
	store    *pgstore.Store
	clock    *clock
	customs  access.Principal
	platform access.Principal
	other    access.Principal
	// warehouse owns the book the goods are sold from.
	warehouse access.Principal
	ebc       string
	book      string
	tax       *tax.Engine
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// idNumber completes the first 17 digits of a 居民身份证号码 with its
// GB 11643 check character.
func idNumber(first17 string) string {
	c, err := codes.IDCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason {
		t.Fatalf("got %v, want reason %s", err, reason)
	}
}

// newWorld builds a warehouse (TW book, SKU lines with stock) and an
// e-commerce enterprise selling through a platform from it.
func newWorld(t *testing.T, stock map[int]string) *world {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	store, err := pgstore.Open(ctx, url, pgstore.Options{})
	must(t, err)
	t.Cleanup(store.Close)
	for _, m := range [](func() error){
		func() error { _, err := pgstore.Migrations().Up(ctx, store.Pool()); return err },
		func() error { _, err := zone.Migrations().Up(ctx, store.Pool()); return err },
		func() error { _, err := ecommerce.Migrations().Up(ctx, store.Pool()); return err },
	} {
		must(t, m())
	}
	c := &clock{}
	c.Set(time.Date(2026, 11, 11, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)))
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	must(t, err)
	z, err := zone.New(store.Pool(), store, zone.Options{Now: c.Now, Tax: eng})
	must(t, err)
	must(t, z.Start(ctx))
	set := ecommerce.DefaultSettings()
	set.PositiveList = ecommerce.SamplePositiveList()
	svc, err := ecommerce.New(store.Pool(), store, z, eng, ecommerce.Options{Settings: &set, Now: c.Now})
	must(t, err)
	t.Cleanup(svc.Close)
	mk := func(p string) string { ch, err := codes.USCCCheckChar(p); must(t, err); return p + string(ch) }
	wh, ebc := mk("91120000MA05W0001"), mk("91120000MA05E0001")
	w := &world{t: t, ctx: ctx, svc: svc, zone: z, store: store, clock: c, tax: eng, ebc: ebc, book: "T0201W000001",
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	w.platform = access.Principal{ID: "tmall", Role: access.RolePlatform, LinkedEnterprises: []string{ebc}}
	w.other = access.Principal{ID: "other", Role: access.RolePlatform, LinkedEnterprises: []string{"OTHER"}}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{wh, ebc} {
		_, err := z.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("120596000%d", i), Name: u})
		must(t, err)
	}
	whp := access.Principal{ID: "wh", Role: access.RoleEnterprise, Enterprise: wh}
	w.warehouse = whp
	_, err = z.CreateBook(ctx, whp, zone.Book{No: w.book, Kind: codes.BookLogistics, Enterprise: wh, CustomsOffice: "0201"})
	must(t, err)
	_, err = z.AddBookLines(ctx, whp, w.book, []zone.BookLine{
		{Seq: 1, HSCode: "3304990099", Name: "face cream", DeclaredUnit: "011", Legal: zone.LegalUnit{Unit: "035", Factor: d("0.05")}},
		{Seq: 2, HSCode: "1006300000", Name: "rice 5 kg bag", DeclaredUnit: "011", Legal: zone.LegalUnit{Unit: "035", Factor: d("5")}},
		{Seq: 3, HSCode: "8516500000", Name: "microwave", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}},
		{Seq: 4, HSCode: "8471300000", Name: "laptop", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}},
	})
	must(t, err)
	must(t, z.MapPartNumbers(ctx, whp, w.book, map[string]int{"SKU-CREAM": 1, "SKU-RICE": 2, "SKU-MW": 3, "SKU-LAPTOP": 4}))
	for seq, q := range stock {
		l, err := z.CreateList(ctx, whp, zone.List{InnerNo: fmt.Sprintf("IN-%d", seq), Book: w.book, Type: codes.ListEcommerce, IO: codes.In, TradeMode: "5034", Country: "JPN",
			Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(q), Total: d("1000"), GrossWeight: d("100")}}})
		if err != nil {
			// 清单类型 8 is not filed through the zone service: bring the stock in as an ordinary entry.
			l, err = z.CreateList(ctx, whp, zone.List{InnerNo: fmt.Sprintf("IN-%d", seq), Book: w.book, IO: codes.In, TradeMode: "5034", Country: "JPN",
				Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(q), Total: d("1000"), GrossWeight: d("100")}}})
			must(t, err)
		}
		l, err = z.DeclareList(ctx, whp, l.No)
		must(t, err)
		_, err = z.ApproveList(ctx, w.customs, l.No, "")
		must(t, err)
		ps, err := z.CreatePass(ctx, whp, zone.Pass{InnerNo: fmt.Sprintf("P-%d", seq), Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
			RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "V", GrossWeight: d("100")})
		must(t, err)
		_, err = z.RecordGateEvent(ctx, w.customs, ps.No, zone.GateEvent{ID: fmt.Sprint(seq), Vehicle: "V", ScaleGross: d("100")})
		must(t, err)
	}
	_, err = svc.RegisterChannel(ctx, w.customs, ecommerce.Channel{Enterprise: ebc, Name: "Shop", Platform: "TMALL", Book: w.book, Guarantor: "TMALL"})
	must(t, err)
	return w
}

// order makes an order of qty of an SKU at price for buyer, with the tax
// the engine charges, and its payment and waybill.
func (w *world) order(no, buyer, sku, qty, price string, hs string) (ecommerce.Order, ecommerce.Payment, ecommerce.Waybill) {
	w.t.Helper()
	total := d(price).Mul(d(qty)).Round(2)
	freight := d("10")
	// The tax the platform withholds: quote it as customs will.
	q, err := w.tax.Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC),
		Lines: []tax.Line{{Goods: tax.Goods{HSCode: hs, DutiableValue: total.Add(freight), Quantity: d(qty), Unit: "035"}}}})
	must(w.t, err)
	buyerP := ecommerce.Person{Name: "张三" + buyer, IDNumber: idNumber("1101011990010" + buyer), Phone: "13800000000"}
	cons := ecommerce.Person{Name: "张三" + buyer, Phone: "13800000000", Address: "北京市朝阳区1号"}
	o := ecommerce.Order{OrderNo: no, Enterprise: w.ebc, Buyer: buyerP, Consignee: cons, GoodsValue: total, Freight: freight, TaxTotal: q.Total,
		ActualPaid: total.Add(freight).Add(q.Total), Lines: []ecommerce.OrderLine{{ItemNo: sku, Quantity: d(qty), Price: d(price), Total: total}}}
	p := ecommerce.Payment{OrderNo: no, PayCode: "ALIPAY", TransactionID: "T" + no, Payer: buyerP, Amount: o.ActualPaid}
	wb := ecommerce.Waybill{OrderNo: no, LogisticsNo: "SF" + no, LogisticsCode: "SF", Consignee: cons}
	return o, p, wb
}

func (w *world) stock(seq int) decimal.Decimal {
	hs, err := w.store.Balances(w.ctx, ledger.BalanceQuery{Book: w.book, Account: zone.AccountBonded, Item: fmt.Sprint(seq)})
	must(w.t, err)
	if len(hs) == 0 {
		return decimal.Zero
	}
	return hs[0].Quantity
}

func TestDocumentsInEveryOrderReleaseOneList(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for i, perm := range orders {
		no := fmt.Sprintf("O%d", i)
		o, p, wb := w.order(no, "0011", "SKU-CREAM", "2", "150", "3304990099")
		var last ecommerce.Order
		for k, which := range perm {
			var err error
			switch which {
			case 0:
				last, err = w.svc.SubmitOrder(w.ctx, w.platform, o)
			case 1:
				last, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
			case 2:
				last, err = w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
			}
			must(t, err)
			if k < 2 && which == 0 && last.Status != ecommerce.OrderPending {
				t.Fatalf("order %s %s before its documents are in", no, last.Status)
			}
		}
		if last.Status != ecommerce.OrderReleased || last.ListNo == "" {
			t.Fatalf("perm %v: order %s %s %s", perm, no, last.Status, last.Reason)
		}
		// Sending a document again changes nothing.
		again, err := w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
		must(t, err)
		if again.ListNo != last.ListNo {
			t.Fatalf("replay gave list %s", again.ListNo)
		}
		l, err := w.svc.GetList(w.ctx, w.customs, last.ListNo)
		must(t, err)
		if l.Status != ecommerce.ListReleased || !l.Tax.Equal(o.TaxTotal) || l.Guarantor != "TMALL" {
			t.Fatalf("list %+v", l)
		}
	}
	if got := w.stock(1); !got.Equal(d("88")) {
		t.Fatalf("stock %s, want 88", got)
	}
}

// TestReleasedListRecordsItsTariff: a released list names the tariff its
// tax was computed with, so lists taxed with the illustrative sample tariff
// can be found.
func TestReleasedListRecordsItsTariff(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o, p, wb := w.order("T1", "0011", "SKU-CREAM", "2", "150", "3304990099")
	_, err := w.svc.SubmitOrder(w.ctx, w.platform, o)
	must(t, err)
	_, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
	must(t, err)
	last, err := w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
	must(t, err)
	l, err := w.svc.GetList(w.ctx, w.customs, last.ListNo)
	must(t, err)
	if l.Status != ecommerce.ListReleased || l.Tariff != tax.SampleTariffName {
		t.Fatalf("list %s %s tariff %q, want RELEASED with tariff %q", l.No, l.Status, l.Tariff, tax.SampleTariffName)
	}
}

func TestThreeDocumentMismatchesAreRefused(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	cases := []struct {
		name   string
		bend   func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill)
		reason string
	}{
		{"payment amount", func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill) { p.Amount = p.Amount.Sub(d("1")) }, ecommerce.ReasonPaymentMismatch},
		{"actual paid formula", func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill) {
			o.ActualPaid = o.ActualPaid.Add(d("5"))
			p.Amount = o.ActualPaid
		}, ecommerce.ReasonActualPaidMismatch},
		{"payer is not the buyer", func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill) {
			p.Payer.Name, p.Payer.IDNumber = "李四", idNumber("11010119900101999")
		}, ecommerce.ReasonBuyerPayerMismatch},
		{"consignee differs", func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill) {
			wb.Consignee.Address = "上海市"
		}, ecommerce.ReasonConsigneeMismatch},
		{"tax withheld wrong", func(o *ecommerce.Order, p *ecommerce.Payment, wb *ecommerce.Waybill) {
			o.TaxTotal = o.TaxTotal.Add(d("0.01"))
			o.ActualPaid = o.ActualPaid.Add(d("0.01"))
			p.Amount = o.ActualPaid
		}, ecommerce.ReasonTaxMismatch},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, p, wb := w.order(fmt.Sprintf("M%d", i), "0022", "SKU-CREAM", "1", "100", "3304990099")
			c.bend(&o, &p, &wb)
			_, err := w.svc.SubmitOrder(w.ctx, w.platform, o)
			must(t, err)
			_, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
			must(t, err)
			_, err = w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
			wantReason(t, err, c.reason)
			got, err := w.svc.GetOrder(w.ctx, w.platform, o.OrderNo)
			must(t, err)
			if got.Status != ecommerce.OrderRejected {
				t.Fatalf("order %s", got.Status)
			}
		})
	}
	// With an identity proof the payer may differ.
	o, p, wb := w.order("PROOF", "0022", "SKU-CREAM", "1", "100", "3304990099")
	p.Payer.Name, p.Payer.IDNumber = "李四", idNumber("11010119900101999")
	o.IdentityProof = "AUTH-2026-0001"
	for _, f := range []func() error{
		func() error { _, err := w.svc.SubmitOrder(w.ctx, w.platform, o); return err },
		func() error { _, err := w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p); return err },
		func() error { _, err := w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb); return err },
	} {
		must(t, f())
	}
	if got := w.stock(1); !got.Equal(d("99")) {
		t.Fatalf("stock %s: only the proved order may take goods", got)
	}
	// A platform not linked to the enterprise submits nothing.
	o2, _, _ := w.order("NOTMINE", "0022", "SKU-CREAM", "1", "100", "3304990099")
	_, err := w.svc.SubmitOrder(w.ctx, w.other, o2)
	wantReason(t, err, ledger.ReasonPermissionDenied)
}

// submit sends the three documents of an order.
func (w *world) submit(o ecommerce.Order, p ecommerce.Payment, wb ecommerce.Waybill) (ecommerce.Order, error) {
	return w.submitTo(w.svc, o, p, wb)
}

// submitTo sends the three documents of an order to svc, the waybill last.
func (w *world) submitTo(svc *ecommerce.Service, o ecommerce.Order, p ecommerce.Payment, wb ecommerce.Waybill) (ecommerce.Order, error) {
	if _, err := svc.SubmitOrder(w.ctx, w.platform, o); err != nil {
		return ecommerce.Order{}, err
	}
	if _, err := svc.SubmitPayment(w.ctx, w.platform, w.ebc, p); err != nil {
		return ecommerce.Order{}, err
	}
	return svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
}

func TestAnnualLimitHoldsUnderRacingOrders(t *testing.T) {
	w := newWorld(t, map[int]string{3: "100"})
	// 12 orders of 2,400 + 10 freight by one buyer race: at most 10 fit in 26,000.
	var ok, over atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, p, wb := w.order(fmt.Sprintf("A%02d", i), "0033", "SKU-MW", "1", "2400", "8516500000")
			_, err := w.submit(o, p, wb)
			switch {
			case err == nil:
				ok.Add(1)
			case ledger.AsError(err).Reason == ecommerce.ReasonOverAnnualLimit:
				over.Add(1)
			default:
				t.Errorf("order %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 10 || over.Load() != 2 {
		t.Fatalf("%d released, %d over the limit; want 10 and 2", ok.Load(), over.Load())
	}
	if got := w.stock(3); !got.Equal(d("90")) {
		t.Fatalf("stock %s", got)
	}
}

func TestStockNeverBelowZeroWhenOrdersRaceForTheLastUnits(t *testing.T) {
	w := newWorld(t, map[int]string{1: "5"})
	var ok, short atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, p, wb := w.order(fmt.Sprintf("S%02d", i), fmt.Sprintf("%04d", 100+i), "SKU-CREAM", "1", "100", "3304990099")
			_, err := w.submit(o, p, wb)
			switch {
			case err == nil:
				ok.Add(1)
			case ledger.AsError(err).Reason == ecommerce.ReasonInsufficientStock:
				short.Add(1)
			default:
				t.Errorf("order %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 5 || short.Load() != 11 || !w.stock(1).IsZero() {
		t.Fatalf("%d released, %d short, stock %s", ok.Load(), short.Load(), w.stock(1))
	}
}

func TestLimitsCapsAndPositiveList(t *testing.T) {
	w := newWorld(t, map[int]string{2: "20", 3: "10", 4: "10"})
	// Rice: 5 kg a bag, 20 kg a year: four bags go, the fifth is refused.
	for i := 0; i < 4; i++ {
		o, p, wb := w.order(fmt.Sprintf("R%d", i), "0044", "SKU-RICE", "1", "50", "1006300000")
		_, err := w.submit(o, p, wb)
		must(t, err)
	}
	o, p, wb := w.order("R9", "0044", "SKU-RICE", "1", "50", "1006300000")
	_, err := w.submit(o, p, wb)
	wantReason(t, err, ecommerce.ReasonPersonalCapExceeded)
	// One laptop over 5,000: taxed in full but allowed.
	o, p, wb = w.order("L1", "0055", "SKU-LAPTOP", "1", "6000", "8471300000")
	q, err := w.tax.Quote(tax.Request{Regime: tax.GeneralTrade, Date: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC),
		Lines: []tax.Line{{Goods: tax.Goods{HSCode: "8471300000", DutiableValue: d("6010"), Quantity: d("1"), Unit: "001"}}}})
	must(t, err)
	o.TaxTotal, o.ActualPaid = q.Total, d("6010").Add(q.Total)
	p.Amount = o.ActualPaid
	got, err := w.submit(o, p, wb)
	must(t, err)
	l, _ := w.svc.GetList(w.ctx, w.customs, got.ListNo)
	if l.Rule != string(tax.RuleCrossBorderSingleItemFull) {
		t.Fatalf("rule %s", l.Rule)
	}
	// Two microwaves of 2,600: over the single limit, several items.
	o, p, wb = w.order("MW2", "0066", "SKU-MW", "2", "2600", "8516500000")
	_, err = w.submit(o, p, wb)
	wantReason(t, err, ecommerce.ReasonOverSingleLimit)
}

func TestReturnsInsideAndOutsideTheWindows(t *testing.T) {
	w := newWorld(t, map[int]string{3: "10"})
	var lists []string
	for i := 0; i < 3; i++ {
		o, p, wb := w.order(fmt.Sprintf("T%d", i), "0077", "SKU-MW", "1", "2400", "8516500000")
		got, err := w.submit(o, p, wb)
		must(t, err)
		lists = append(lists, got.ListNo)
	}
	if !w.stock(3).Equal(d("7")) {
		t.Fatalf("stock %s", w.stock(3))
	}
	// Day 20: list 0 is returned and received; its tax goes, the buyer's total comes back.
	w.clock.Add(20 * 24 * time.Hour)
	_, err := w.svc.RequestReturn(w.ctx, w.platform, lists[0], nil)
	must(t, err)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, lists[1], nil)
	must(t, err)
	l, err := w.svc.ReceiveReturn(w.ctx, w.warehouse, lists[0])
	must(t, err)
	if l.Status != ecommerce.ListReturned || !w.stock(3).Equal(d("8")) {
		t.Fatalf("after return: %s, stock %s", l.Status, w.stock(3))
	}
	// Day 31: too late to apply; day 46: too late for goods to arrive.
	w.clock.Add(11 * 24 * time.Hour)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, lists[2], nil)
	wantReason(t, err, ecommerce.ReasonReturnWindowClosed)
	w.clock.Add(15 * 24 * time.Hour)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, lists[1])
	wantReason(t, err, ecommerce.ReasonReturnWindowClosed)
	// The settlement holds the two lists not returned.
	st, err := w.svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if len(st.Lists) != 2 {
		t.Fatalf("settlement lists %d", len(st.Lists))
	}
	var buf bytes.Buffer
	must(t, st.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	must(t, err)
	if len(recs) != 4 || recs[3][8] != st.Tax.StringFixed(2) || recs[1][4] != "2026-12-26" {
		t.Fatalf("csv %v", recs)
	}
	buf.Reset()
	must(t, st.WriteXLSX(&buf))
	f, err := excelize.OpenReader(&buf)
	must(t, err)
	v, err := f.GetCellValue("Settlement", "I4")
	must(t, err)
	if v != st.Tax.StringFixed(2) {
		t.Fatalf("xlsx total %q", v)
	}
}

func TestSuspendedWarehouseBookReleasesNothing(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	_, err := w.zone.SetBookStatus(w.ctx, w.customs, w.book, codes.BookSuspended)
	must(t, err)
	o, p, wb := w.order("SUSP", "0088", "SKU-CREAM", "1", "100", "3304990099")
	_, err = w.submit(o, p, wb)
	wantReason(t, err, "BOOK_NOT_EXECUTING")
	if !w.stock(1).Equal(d("10")) {
		t.Fatalf("stock %s", w.stock(1))
	}
}

func TestCancelBeforeRelease(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	o, p, wb := w.order("C1", "0099", "SKU-CREAM", "1", "100", "3304990099")
	_, err := w.svc.SubmitOrder(w.ctx, w.platform, o)
	must(t, err)
	_, err = w.svc.CancelOrder(w.ctx, w.other, o.OrderNo)
	wantReason(t, err, ecommerce.ReasonUnknownOrder) // another's order is not there for it
	got, err := w.svc.CancelOrder(w.ctx, w.platform, o.OrderNo)
	must(t, err)
	if got.Status != ecommerce.OrderCancelled {
		t.Fatalf("status %s", got.Status)
	}
	// The late documents release nothing.
	_, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
	must(t, err)
	got, err = w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
	must(t, err)
	if got.Status != ecommerce.OrderCancelled || !w.stock(1).Equal(d("10")) {
		t.Fatalf("after the late documents: %s, stock %s", got.Status, w.stock(1))
	}
	// A released order is returned, not cancelled.
	o2, p2, wb2 := w.order("C2", "0099", "SKU-CREAM", "1", "100", "3304990099")
	_, err = w.submit(o2, p2, wb2)
	must(t, err)
	_, err = w.svc.CancelOrder(w.ctx, w.platform, o2.OrderNo)
	wantReason(t, err, ecommerce.ReasonWrongStatus)
}

func TestParsePositiveList(t *testing.T) {
	l, err := ecommerce.ParsePositiveList(strings.NewReader("# a zone's list\nhs_prefix,annual_cap,note\n3304,,cosmetics\n1701, 2 ,sugar\n"))
	must(t, err)
	if len(l) != 2 || l[0].HSPrefix != "3304" || !l[0].AnnualCap.IsZero() || !l[1].AnnualCap.Equal(d("2")) {
		t.Fatalf("%+v", l)
	}
	for _, bad := range []string{"hs,cap,note\n", "hs_prefix,annual_cap,note\n33A4,,x\n", "hs_prefix,annual_cap,note\n3304,-1,x\n", "hs_prefix,annual_cap,note\n3304,1.5e3,x\n"} {
		if _, err := ecommerce.ParsePositiveList(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// flakyLedger makes the ledger's transactions fail or lose their answers.
type flakyLedger struct {
	*pgstore.Store
	// fail makes every ReadWriteTx run its function and then roll back, as
	// when PostgreSQL refuses the COMMIT.
	fail atomic.Bool
	// loseAfterCommit makes ReadWriteTx commit and then lose the answer,
	// as a crash or a lost connection after the commit would.
	loseAfterCommit atomic.Bool
}

var errRolledBack = errors.New("injected: the COMMIT was refused")

func (f *flakyLedger) ReadWriteTx(ctx context.Context, fn func(context.Context, pgx.Tx, ledger.Journals) error) error {
	if f.fail.Load() {
		err := f.Store.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
			if err := fn(ctx, tx, j); err != nil {
				return err
			}
			return errRolledBack
		})
		if errors.Is(err, errRolledBack) {
			return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "%v", err)
		}
		return err
	}
	err := f.Store.ReadWriteTx(ctx, fn)
	if err == nil && f.loseAfterCommit.Load() {
		return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "injected: the answer to a committed transaction was lost")
	}
	return err
}

// flakyService is a second e-commerce service over the world's tables whose
// ledger can be made to fail or lose its answers.
func (w *world) flakyService() (*ecommerce.Service, *flakyLedger) {
	flaky := &flakyLedger{Store: w.store}
	set := ecommerce.DefaultSettings()
	set.PositiveList = ecommerce.SamplePositiveList()
	svc, err := ecommerce.New(w.store.Pool(), flaky, w.zone, w.tax, ecommerce.Options{Settings: &set, Now: w.clock.Now})
	must(w.t, err)
	w.t.Cleanup(svc.Close)
	return svc, flaky
}

// A release is one transaction with its stock deduction: one that fails to
// commit leaves the order pending with no list and the stock as it was,
// and the order's next document releases it; one whose answer is lost
// after the commit is released once, and the next document answers it as
// it stands.
func TestReleaseIsOneTransactionWithItsDeduction(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	svc, flaky := w.flakyService()

	flaky.fail.Store(true)
	o, p, wb := w.order("INT-1", "0021", "SKU-CREAM", "1", "100", "3304990099")
	_, err := w.submitTo(svc, o, p, wb)
	wantReason(t, err, ledger.ReasonUnavailable)
	got, err := svc.GetOrder(w.ctx, w.platform, "INT-1")
	must(t, err)
	if got.Status != ecommerce.OrderPending || got.ListNo != "" {
		t.Fatalf("order after a release that did not commit: %s %q", got.Status, got.ListNo)
	}
	if _, err := svc.GetList(w.ctx, w.customs, "QLINT-1"); err == nil {
		t.Fatal("a list is stored for a release that did not commit")
	}
	if got := w.stock(1); !got.Equal(d("10")) {
		t.Fatalf("stock %s after a release that did not commit, want 10", got)
	}
	flaky.fail.Store(false)
	got, err = svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
	must(t, err)
	if got.Status != ecommerce.OrderReleased {
		t.Fatalf("INT-1 sent again: %s %s", got.Status, got.Reason)
	}

	flaky.loseAfterCommit.Store(true)
	o, p, wb = w.order("INT-2", "0021", "SKU-CREAM", "1", "100", "3304990099")
	_, err = w.submitTo(svc, o, p, wb)
	wantReason(t, err, ledger.ReasonUnavailable)
	flaky.loseAfterCommit.Store(false)
	got, err = svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
	must(t, err)
	l, err := svc.GetList(w.ctx, w.customs, "QLINT-2")
	must(t, err)
	if got.Status != ecommerce.OrderReleased || l.Status != ecommerce.ListReleased || l.JournalID == 0 {
		t.Fatalf("INT-2 sent again after a lost answer: order %s, list %s", got.Status, l.Status)
	}
	// Each deducted once, counted once in the buyer's year.
	if got := w.stock(1); !got.Equal(d("8")) {
		t.Fatalf("stock %s, want 8", got)
	}
	must(t, svc.Recover(w.ctx))
	if got := w.stock(1); !got.Equal(d("8")) {
		t.Fatalf("stock %s after Recover, want 8", got)
	}
	s, err := svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if len(s.Lists) != 2 {
		t.Fatalf("settlement lists %d, want 2", len(s.Lists))
	}
}

// Documents stored one row each (before migration 6) are moved to their
// orders' rows with the order's status.
func TestMigrationMovesDocumentsToOrderRows(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	store, err := pgstore.Open(ctx, url, pgstore.Options{})
	must(t, err)
	t.Cleanup(store.Close)
	all := ecommerce.Migrations()
	old := all
	old.Steps = all.Steps[:5]
	_, err = old.Up(ctx, store.Pool())
	must(t, err)
	_, err = store.Pool().Exec(ctx, `INSERT INTO ecom_documents (kind, order_no, enterprise, body, created_at) VALUES
		('order', 'M-1', 'E1', '{"OrderNo":"M-1","Status":"RELEASED","ListNo":"QLM-1"}', now()),
		('payment', 'M-1', 'E1', '{"OrderNo":"M-1","Amount":"1"}', now()),
		('waybill', 'M-1', 'E1', '{"OrderNo":"M-1"}', now()),
		('payment', 'M-2', 'E2', '{"OrderNo":"M-2"}', now())`)
	must(t, err)
	_, err = all.Up(ctx, store.Pool())
	must(t, err)
	type row struct{ ent, status, list, o, p, w string }
	want := map[string]row{
		"M-1": {"E1", "RELEASED", "QLM-1", `{"OrderNo":"M-1","Status":"RELEASED","ListNo":"QLM-1"}`, `{"OrderNo":"M-1","Amount":"1"}`, `{"OrderNo":"M-1"}`},
		"M-2": {"E2", "PENDING", "", "", `{"OrderNo":"M-2"}`, ""},
	}
	rows, err := store.Pool().Query(ctx, `SELECT order_no, enterprise, status, list_no, COALESCE(order_body, ''), COALESCE(payment_body, ''), COALESCE(waybill_body, '') FROM ecom_orders`)
	must(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		var no string
		var r row
		must(t, rows.Scan(&no, &r.ent, &r.status, &r.list, &r.o, &r.p, &r.w))
		if want[no] != r {
			t.Fatalf("order %s migrated to %+v, want %+v", no, r, want[no])
		}
		n++
	}
	must(t, rows.Err())
	if n != 2 {
		t.Fatalf("%d order rows, want 2", n)
	}
}

// TestAnotherEnterprisesOrdersAndListsAnswerNotFound: an order or an
// inventory list of an enterprise the caller may not read answers as a
// number never received would, naming no owner; customs reads them.
func TestAnotherEnterprisesOrdersAndListsAnswerNotFound(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	got, err := w.submit(w.order("HID-1", "0022", "SKU-CREAM", "1", "100", "3304990099"))
	must(t, err)
	if got.ListNo == "" {
		t.Fatalf("order %s has no list", got.Status)
	}
	for _, c := range []struct {
		name          string
		real, missing string
		reason        string
		call          func(no string) error
	}{
		{"GetOrder", got.OrderNo, "NOSUCH-1", ecommerce.ReasonUnknownOrder, func(no string) error { _, err := w.svc.GetOrder(w.ctx, w.other, no); return err }},
		{"CancelOrder", got.OrderNo, "NOSUCH-1", ecommerce.ReasonUnknownOrder, func(no string) error { _, err := w.svc.CancelOrder(w.ctx, w.other, no); return err }},
		{"GetList", got.ListNo, "QLNOSUCH-1", ecommerce.ReasonUnknownList, func(no string) error { _, err := w.svc.GetList(w.ctx, w.other, no); return err }},
		{"RequestReturn", got.ListNo, "QLNOSUCH-1", ecommerce.ReasonUnknownList, func(no string) error { _, err := w.svc.RequestReturn(w.ctx, w.other, no, nil); return err }},
		{"ReceiveReturn", got.ListNo, "QLNOSUCH-1", ecommerce.ReasonUnknownList, func(no string) error { _, err := w.svc.ReceiveReturn(w.ctx, w.other, no); return err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			hidden, missing := c.call(c.real), c.call(c.missing)
			wantReason(t, hidden, c.reason)
			wantReason(t, missing, c.reason)
			var h, m *ledger.Error
			errors.As(hidden, &h)
			errors.As(missing, &m)
			if h.Kind != ledger.KindNotFound || h.Field != m.Field || strings.ReplaceAll(h.Message, c.real, "#") != strings.ReplaceAll(m.Message, c.missing, "#") {
				t.Errorf("another's %s: %v; a missing one: %v", c.real, hidden, missing)
			}
		})
	}
	if _, err := w.svc.GetOrder(w.ctx, w.customs, got.OrderNo); err != nil {
		t.Errorf("customs GetOrder: %v", err)
	}
}

// TestIDNumberCheckDigit: a buyer or payer 身份证 number whose 18th
// character is not the GB 11643 check character of the first 17 is refused
// as INVALID_ARGUMENT on the field at fault, and nothing is stored.
func TestIDNumberCheckDigit(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	o, p, _ := w.order("ID1", "0011", "SKU-CREAM", "1", "100", "3304990099")
	good := o.Buyer.IDNumber
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	o.Buyer.IDNumber = bad
	_, err := w.svc.SubmitOrder(w.ctx, w.platform, o)
	var le *ledger.Error
	if !errors.As(err, &le) || le.Kind != ledger.KindInvalid || le.Field != "buyer.id_number" || !strings.Contains(le.Error(), "GB 11643") {
		t.Fatalf("order with buyer id %s: got %v, want INVALID_ARGUMENT on buyer.id_number naming GB 11643", bad, err)
	}
	if _, err := w.svc.GetOrder(w.ctx, w.platform, o.OrderNo); err == nil {
		t.Fatal("the refused order was stored")
	}
	o.Buyer.IDNumber = good
	_, err = w.svc.SubmitOrder(w.ctx, w.platform, o)
	must(t, err)
	p.Payer.IDNumber = bad
	_, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
	if !errors.As(err, &le) || le.Kind != ledger.KindInvalid || le.Field != "payer.id_number" {
		t.Fatalf("payment with payer id %s: got %v, want INVALID_ARGUMENT on payer.id_number", bad, err)
	}
}
