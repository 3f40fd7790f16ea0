package evidence

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// ecomWorld is a zone warehouse's book T0201W000001 (line 3, microwave
// ovens, 10 in bonded stock) that an e-commerce enterprise sells from
// through platform TMALL, on a clock at 2026-11-11.
type ecomWorld struct {
	*world
	ecom      *ecommerce.Service
	tax       *tax.Engine
	now       atomic.Pointer[time.Time]
	warehouse access.Principal
	platform  access.Principal
	ebc       string
}

func (w *ecomWorld) clock() time.Time { return *w.now.Load() }

func newEcomWorld(t testing.TB) *ecomWorld {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &ecomWorld{world: &world{t: t, ctx: ctx, pool: store.Pool(), store: store, book: "T0201W000001",
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}}
	start := time.Date(2026, 11, 11, 0, 30, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&start)
	for _, m := range []migrate.Set{pgstore.Migrations(), zone.Migrations(), ecommerce.Migrations(), Migrations()} {
		w.must(errOf(m.Up(ctx, store.Pool())))
	}
	w.tax, err = tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	w.must(err)
	w.zone, err = zone.New(store.Pool(), store, zone.Options{Now: w.clock, Tax: w.tax})
	w.must(err)
	w.must(w.zone.Start(ctx))
	set := ecommerce.DefaultSettings()
	set.PositiveList = ecommerce.SamplePositiveList()
	w.ecom, err = ecommerce.New(store.Pool(), store, w.zone, w.tax, ecommerce.Options{Settings: &set, Now: w.clock})
	w.must(err)
	t.Cleanup(w.ecom.Close)
	w.svc, err = New(store.Pool(), store, w.zone, nil, Options{Ecommerce: w.ecom})
	w.must(err)
	wh, ebc := uscc(t, "91120000MA05W0001"), uscc(t, "91120000MA05E0001")
	w.ebc = ebc
	w.warehouse = access.Principal{ID: "wh", Role: access.RoleEnterprise, Enterprise: wh}
	w.platform = access.Principal{ID: "tmall", Role: access.RolePlatform, LinkedEnterprises: []string{ebc}}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{wh, ebc} {
		w.must(errOf(w.zone.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("120596000%d", i), Name: u})))
	}
	w.must(errOf(w.zone.CreateBook(ctx, w.warehouse, zone.Book{No: w.book, Kind: codes.BookLogistics, Enterprise: wh, CustomsOffice: "0201"})))
	w.must(errOf(w.zone.AddBookLines(ctx, w.warehouse, w.book, []zone.BookLine{
		{Seq: 3, HSCode: "8516500000", Name: "microwave", DeclaredUnit: "001", Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}}})))
	w.must(w.zone.MapPartNumbers(ctx, w.warehouse, w.book, map[string]int{"SKU-MW": 3}))
	l, err := w.zone.CreateList(ctx, w.warehouse, zone.List{InnerNo: "IN-3", Book: w.book, IO: codes.In, TradeMode: "5034", Country: "JPN",
		Lines: []zone.ListLine{{BookSeq: 3, Quantity: d("10"), Total: d("1000"), GrossWeight: d("100")}}})
	w.must(err)
	w.must(errOf(w.zone.DeclareList(ctx, w.warehouse, l.No)))
	w.must(errOf(w.zone.ApproveList(ctx, w.customs, l.No, "")))
	ps, err := w.zone.CreatePass(ctx, w.warehouse, zone.Pass{InnerNo: "P-3", Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "V", GrossWeight: d("100")})
	w.must(err)
	w.must(errOf(w.zone.RecordGateEvent(ctx, w.customs, ps.No, zone.GateEvent{ID: "3", Vehicle: "V", ScaleGross: d("100")})))
	w.must(errOf(w.ecom.RegisterChannel(ctx, w.customs, ecommerce.Channel{Enterprise: ebc, Name: "Shop", Platform: "TMALL", Book: w.book, Guarantor: "TMALL"})))
	return w
}

// sell releases an order of one microwave at 2,400 CNY + 10 freight to
// buyer and returns its list.
func (w *ecomWorld) sell(no, buyer string) ecommerce.InventoryList {
	w.t.Helper()
	total, freight := d("2400"), d("10")
	q, err := w.tax.Quote(tax.Request{Regime: tax.CrossBorderRetail, Date: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC),
		Lines: []tax.Line{{Goods: tax.Goods{HSCode: "8516500000", DutiableValue: total.Add(freight), Quantity: d("1"), Unit: "035"}}}})
	w.must(err)
	idc, err := codes.IDCheckChar("1101011990010" + buyer)
	w.must(err)
	person := ecommerce.Person{Name: "张三" + buyer, IDNumber: "1101011990010" + buyer + string(idc), Phone: "13800000000"}
	cons := ecommerce.Person{Name: person.Name, Phone: person.Phone, Address: "北京市朝阳区1号"}
	o := ecommerce.Order{OrderNo: no, Enterprise: w.ebc, Buyer: person, Consignee: cons, GoodsValue: total, Freight: freight, TaxTotal: q.Total,
		ActualPaid: total.Add(freight).Add(q.Total), Lines: []ecommerce.OrderLine{{ItemNo: "SKU-MW", Quantity: d("1"), Price: total, Total: total}}}
	w.must(errOf(w.ecom.SubmitOrder(w.ctx, w.platform, o)))
	w.must(errOf(w.ecom.SubmitPayment(w.ctx, w.platform, w.ebc, ecommerce.Payment{OrderNo: no, PayCode: "ALIPAY", TransactionID: "T" + no, Payer: person, Amount: o.ActualPaid})))
	got, err := w.ecom.SubmitWaybill(w.ctx, w.platform, w.ebc, ecommerce.Waybill{OrderNo: no, LogisticsNo: "SF" + no, LogisticsCode: "SF", Consignee: cons})
	w.must(err)
	l, err := w.ecom.GetList(w.ctx, w.customs, got.ListNo)
	w.must(err)
	if l.Status != ecommerce.ListReleased {
		w.t.Fatalf("list of order %s is %s (%s)", no, l.Status, l.Reason)
	}
	return l
}

// recordOf returns the export's record of kind and key.
func recordOf(t *testing.T, export []byte, kind, key string) (int, evfile.Line) {
	t.Helper()
	for i, s := range strings.Split(strings.TrimSuffix(string(export), "\n"), "\n") {
		if strings.Contains(s, `"kind":"`+kind+`","key":"`+key+`"`) {
			var l evfile.Line
			if err := jsonUnmarshalLine(s, &l); err != nil {
				t.Fatal(err)
			}
			return i + 1, l
		}
	}
	t.Fatalf("the export holds no %s %s:\n%s", kind, key, export)
	return 0, evfile.Line{}
}

// TestEcommerceListsAreInTheEvidence: the e-commerce lists released from a
// book are records of its evidence (kind ecommerce-list) with their lines,
// tax, return and tax payment as they stood when sealed. A list changed in
// the database afterwards leaves the sealed evidence as it was; the sealed
// record changed in the database makes a new export fail verify, naming
// the list, while the export taken before still verifies.
func TestEcommerceListsAreInTheEvidence(t *testing.T) {
	w := newEcomWorld(t)
	kept, back := w.sell("EC-1", "0011"), w.sell("EC-2", "0022")
	w.must(errOf(w.ecom.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-1", Amount: kept.Tax,
		PaidOn: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), ListNos: []string{kept.No}})))
	w.must(errOf(w.ecom.RequestReturn(w.ctx, w.platform, back.No, nil)))
	w.must(errOf(w.ecom.ReceiveReturn(w.ctx, w.warehouse, back.No)))

	through := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	w.close(through)
	sealed, err := w.svc.Seal(w.ctx, w.customs, w.book, through)
	w.must(err)
	before, _, err := w.export(w.customs, through)
	w.must(err)
	if rep, err := evfile.Verify(bytes.NewReader(before), sealed.Digest); err != nil || !rep.Match {
		t.Fatalf("verify of the export: %v %v", rep.Problems, err)
	}
	_, rec := recordOf(t, before, evfile.KindEcommerceList, kept.No)
	for _, want := range []string{`"status":"RELEASED"`, `"no":"TP-1"`, `"paid_on":"2026-11-11"`, `"amount":"` + kept.Tax.StringFixed(2) + `"`,
		`"total":"` + kept.Tax.String() + `"`, `"buyer_id":"110101********`, `"item_no":"SKU-MW"`, `"quantity":"1"`, `"journal_id":` + fmt.Sprint(kept.JournalID)} {
		if !strings.Contains(string(rec.Record), want) {
			t.Errorf("the record of list %s lacks %s: %s", kept.No, want, rec.Record)
		}
	}
	if strings.Contains(string(before), "11010119900100011") {
		t.Errorf("the export holds a buyer's whole ID number")
	}
	_, rec = recordOf(t, before, evfile.KindEcommerceList, back.No)
	if !strings.Contains(string(rec.Record), `"status":"RETURNED"`) || !strings.Contains(string(rec.Record), `"received_on":"2026-11-11"`) {
		t.Errorf("the record of the returned list %s: %s", back.No, rec.Record)
	}

	// The live list changes after the seal (its tax rewritten): the sealed
	// evidence does not move, and still shows the tax as it was.
	w.must(errOf(w.pool.Exec(w.ctx, `UPDATE ecom_lists SET body = replace(body, '"Tax":"`+kept.Tax.String()+`"', '"Tax":"0"') WHERE no = $1`, kept.No)))
	if l, err := w.ecom.GetList(w.ctx, w.customs, kept.No); err != nil || !l.Tax.IsZero() {
		t.Fatalf("the list's tax was not rewritten: %v %v", l.Tax, err)
	}
	again, _, err := w.export(w.customs, through)
	w.must(err)
	if !bytes.Equal(again, before) {
		t.Fatalf("a change of the live list changed the sealed export")
	}
	// The sealed record rewritten in the database: a new export no longer
	// verifies and names the list's line; the export from before does.
	w.must(errOf(w.pool.Exec(w.ctx, `UPDATE evid_records SET record = replace(record, '"total":"`+kept.Tax.String()+`"', '"total":"0"') WHERE kind = $1 AND key = $2`,
		evfile.KindEcommerceList, kept.No)))
	after, _, err := w.export(w.customs, through)
	w.must(err)
	line, _ := recordOf(t, after, evfile.KindEcommerceList, kept.No)
	rep, err := evfile.Verify(bytes.NewReader(after), sealed.Digest)
	w.must(err)
	if rep.Match || len(rep.Problems) == 0 || rep.Problems[0].Line != line || rep.Problems[0].Record != evfile.KindEcommerceList+" "+kept.No {
		t.Fatalf("verify of the export after the change: %+v, want line %d (%s %s) named", rep.Problems, line, evfile.KindEcommerceList, kept.No)
	}
	if rep, err := evfile.Verify(bytes.NewReader(before), sealed.Digest); err != nil || !rep.Match {
		t.Fatalf("the export from before the change: %v %v", rep.Problems, err)
	}
}

// TestEcommerceListsOfAnotherBookAreNotInTheEvidence: a book's evidence
// holds the lists released from it only.
func TestEcommerceListsOfAnotherBookAreNotInTheEvidence(t *testing.T) {
	w := newEcomWorld(t)
	w.sell("EC-1", "0011")
	other := "T0201W000002"
	w.must(errOf(w.zone.CreateBook(w.ctx, w.warehouse, zone.Book{No: other, Kind: codes.BookLogistics, Enterprise: w.warehouse.Enterprise, CustomsOffice: "0201"})))
	through := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	w.must(errOf(w.store.ClosePeriod(w.ctx, ledger.ClosePeriodRequest{Book: other, Through: through, IdempotencyKey: "other"})))
	s, err := w.svc.Seal(w.ctx, w.customs, other, through)
	w.must(err)
	if s.Documents != 2 { // the book's own records (zone.KindBook, zone.KindEnterprise)
		t.Fatalf("book %s's evidence holds %d documents, want its book and enterprise records only", other, s.Documents)
	}
}

func jsonUnmarshalLine(s string, l *evfile.Line) error { return json.Unmarshal([]byte(s), l) }

// ecomRecords returns the export's e-commerce list records by list number.
func ecomRecords(t testing.TB, export []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range strings.Split(strings.TrimSuffix(string(export), "\n"), "\n") {
		var l evfile.Line
		if err := jsonUnmarshalLine(s, &l); err != nil {
			t.Fatal(err)
		}
		if l.Kind == evfile.KindEcommerceList {
			out[l.Key] = string(l.Record)
		}
	}
	return out
}

// sealNext closes the book's ledger period through day, seals its
// evidence, checks the export against the sealed digest, and returns the
// e-commerce list records the seal holds.
func (w *ecomWorld) sealNext(day time.Time) map[string]string {
	w.t.Helper()
	w.close(day)
	sealed, err := w.svc.Seal(w.ctx, w.customs, w.book, day)
	w.must(err)
	export, _, err := w.export(w.customs, day)
	w.must(err)
	if rep, err := evfile.Verify(bytes.NewReader(export), sealed.Digest); err != nil || !rep.Match {
		w.t.Fatalf("verify of the export through %s: %v %v", ledger.FormatDate(day), rep.Problems, err)
	}
	return ecomRecords(w.t, export)
}

// ceb622 imports a customs receipt (CEB622) moving list l's customs status
// to code at time at (yyyyMMddHHmmss).
func (w *ecomWorld) ceb622(l ecommerce.InventoryList, code, at string) {
	w.t.Helper()
	msg, err := ceb.EncodeReceipt(ceb.CEB622Message{GUID: "0b7f4f1e-7d3a-4c55-9f0e-2a61c3d4e5f6", Version: "1.0",
		Returns: []ceb.InventoryReturn{{GUID: "1f0e6d3c-5b4a-4938-8271-605f4e3d2c1b", CustomsCode: "0201", EbpCode: l.Platform, EbcCode: w.ebc,
			CopNo: l.No, PreNo: "B2026111100001", InvtNo: "0201I" + l.No, ReturnStatus: code, ReturnTime: at, ReturnInfo: "status " + code}}})
	w.must(err)
	res, err := w.ecom.ImportReceipts(w.ctx, w.customs, [][]byte{msg})
	w.must(err)
	if res[0].Err != nil || !res[0].Applied {
		w.t.Fatalf("receipt %s for list %s: applied %t, %v", code, l.No, res[0].Applied, res[0].Err)
	}
}

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

// TestSealRecordsOnlyTheListsChangedSinceThePreviousSeal: the first seal
// of the book records every list released from it; a seal after a seal
// with no change in between records no list; a list whose customs status
// a receipt moved, a list returned and a list whose tax was paid after a
// seal are in the next seal in their new state, and the list that did not
// change is not. Reading the seals in order finds every list in its state
// as GetList reads it now, and every export verifies.
func TestSealRecordsOnlyTheListsChangedSinceThePreviousSeal(t *testing.T) {
	w := newEcomWorld(t)
	moved, back, paid, still := w.sell("EC-1", "0011"), w.sell("EC-2", "0022"), w.sell("EC-3", "0033"), w.sell("EC-4", "0044")
	all := []string{moved.No, back.No, paid.No, still.No}
	latest := map[string]string{}
	if got := w.sealNext(day(11, 11)); len(got) != 4 {
		t.Fatalf("the book's first seal holds %d lists, want all 4", len(got))
	} else {
		maps.Copy(latest, got)
	}
	if got := w.sealNext(day(11, 12)); len(got) != 0 {
		t.Fatalf("a seal with no list changed since the one before holds %d lists: %v", len(got), slices.Collect(maps.Keys(got)))
	}

	later := time.Date(2026, 11, 13, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&later)
	w.ceb622(moved, "800", "20261113090000")
	w.must(errOf(w.ecom.RequestReturn(w.ctx, w.platform, back.No, nil)))
	w.must(errOf(w.ecom.ReceiveReturn(w.ctx, w.warehouse, back.No)))
	w.must(errOf(w.ecom.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-1", Amount: paid.Tax, PaidOn: day(11, 13), ListNos: []string{paid.No}})))
	got := w.sealNext(day(11, 13))
	if len(got) != 3 || got[still.No] != "" {
		t.Fatalf("the seal after the changes holds lists %v, want %s, %s and %s only", slices.Sorted(maps.Keys(got)), moved.No, back.No, paid.No)
	}
	for no, want := range map[string]string{moved.No: `"status":"RELEASED"`, back.No: `"received_on":"2026-11-13"`, paid.No: `"no":"TP-1"`} {
		if !strings.Contains(got[no], want) {
			t.Errorf("the record of list %s lacks %s: %s", no, want, got[no])
		}
	}
	maps.Copy(latest, got)
	if got := w.sealNext(day(11, 14)); len(got) != 0 {
		t.Fatalf("a seal with no list changed since the one before holds %d lists", len(got))
	}
	for _, no := range all {
		l, err := w.ecom.GetList(w.ctx, w.customs, no)
		w.must(err)
		if !strings.Contains(latest[no], `"status":"`+string(l.Status)+`"`) {
			t.Errorf("list %s reads %s, the seals in order hold %s", no, l.Status, latest[no])
		}
	}
}

// TestSealRecordsAReturnThatLapsedSinceThePreviousSeal: a return asked
// for and never received lapses with the days, not with a change of the
// list; the first seal after it lapsed records the list as RETURN_LAPSED,
// once.
func TestSealRecordsAReturnThatLapsedSinceThePreviousSeal(t *testing.T) {
	w := newEcomWorld(t)
	l := w.sell("EC-1", "0011")
	w.must(errOf(w.ecom.RequestReturn(w.ctx, w.platform, l.No, nil)))
	if got := w.sealNext(day(11, 11)); !strings.Contains(got[l.No], `"status":"RETURN_REQUESTED"`) {
		t.Fatalf("the first seal's record of list %s: %s", l.No, got[l.No])
	}
	if got := w.sealNext(day(11, 12)); len(got) != 0 {
		t.Fatalf("a seal with nothing changed holds lists %v", slices.Collect(maps.Keys(got)))
	}
	// ReturnArriveDays (45) after release, and one day more.
	lapsed := time.Date(2026, 12, 27, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&lapsed)
	if now, err := w.ecom.GetList(w.ctx, w.customs, l.No); err != nil || now.Status != ecommerce.ListReturnLapsed {
		t.Fatalf("list %s reads %s (%v), want RETURN_LAPSED", l.No, now.Status, err)
	}
	// (The ledger's periods are closed on its own clock, days ago.)
	if got := w.sealNext(day(11, 13)); len(got) != 1 || !strings.Contains(got[l.No], `"status":"RETURN_LAPSED"`) {
		t.Fatalf("the seal after the return lapsed holds %v, want list %s RETURN_LAPSED", got, l.No)
	}
	if got := w.sealNext(day(11, 14)); len(got) != 0 {
		t.Fatalf("the seal after that holds lists %v, want none", slices.Collect(maps.Keys(got)))
	}
}

// TestListsStoredBeforeTheMigrationAreSealed: lists stored as the schema
// before the book and change columns had them (no book column, no change
// number, no per-book counter) are found by their book once the migration
// ran: the first seal records them, the next none, and a list sold or
// paid after the migration is in the seal after it.
func TestListsStoredBeforeTheMigrationAreSealed(t *testing.T) {
	w := newEcomWorld(t)
	a, b := w.sell("EC-1", "0011"), w.sell("EC-2", "0022")
	for _, sql := range []string{
		`DROP TABLE ecom_list_seqs`,
		`ALTER TABLE ecom_lists DROP COLUMN change_seq`,
		`ALTER TABLE ecom_lists DROP COLUMN book`,
		`DELETE FROM schema_migrations WHERE component = 'ecommerce' AND version >= 10`,
	} {
		w.must(errOf(w.pool.Exec(w.ctx, sql)))
	}
	var cols []string
	w.must(w.pool.QueryRow(w.ctx, `SELECT array_agg(column_name::text ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'ecom_lists'`).Scan(&cols))
	if want := []string{"body", "buyer", "enterprise", "guarantor", "no", "order_no", "released_on", "status", "tax_payment_no"}; !slices.Equal(cols, want) {
		t.Fatalf("ecom_lists has columns %v, want the schema of before the migration %v", cols, want)
	}
	applied, err := ecommerce.Migrations().Up(w.ctx, w.pool)
	w.must(err)
	if len(applied) == 0 {
		t.Fatalf("no ecommerce migration to apply")
	}
	got := w.sealNext(day(11, 11))
	if len(got) != 2 || got[a.No] == "" || got[b.No] == "" {
		t.Fatalf("the first seal after the migration holds lists %v, want %s and %s", slices.Sorted(maps.Keys(got)), a.No, b.No)
	}
	if got := w.sealNext(day(11, 12)); len(got) != 0 {
		t.Fatalf("the seal after it holds lists %v, want none", slices.Collect(maps.Keys(got)))
	}
	later := time.Date(2026, 11, 13, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&later)
	c := w.sell("EC-3", "0033")
	w.must(errOf(w.ecom.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-1", Amount: a.Tax, PaidOn: day(11, 13), ListNos: []string{a.No}})))
	got = w.sealNext(day(11, 13))
	if len(got) != 2 || !strings.Contains(got[a.No], `"no":"TP-1"`) || got[c.No] == "" {
		t.Fatalf("the seal after a sale and a payment holds lists %v, want %s paid and %s", got, a.No, c.No)
	}
}

// TestSealRecordsWhatTheReceiptSaid: a list whose customs status only a
// CEB622 receipt moved is in the next seal with the receipt's status,
// code, time, note and customs numbers, so the record differs from the
// one sealed before; a list with no receipt has no customs object (its
// record is the bytes it was before the field was added).
func TestSealRecordsWhatTheReceiptSaid(t *testing.T) {
	w := newEcomWorld(t)
	moved, quiet := w.sell("EC-1", "0011"), w.sell("EC-2", "0022")
	first := w.sealNext(day(11, 11))
	for _, no := range []string{moved.No, quiet.No} {
		if strings.Contains(first[no], `"customs"`) {
			t.Fatalf("the record of list %s, which had no receipt, holds a customs object: %s", no, first[no])
		}
	}

	later := time.Date(2026, 11, 12, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&later)
	w.ceb622(moved, "500", "20261112090000")
	got := w.sealNext(day(11, 12))
	if len(got) != 1 || got[moved.No] == "" {
		t.Fatalf("the seal after the receipt holds lists %v, want %s only", slices.Sorted(maps.Keys(got)), moved.No)
	}
	if got[moved.No] == first[moved.No] {
		t.Fatalf("the list moved by a receipt was sealed again with the same record: %s", got[moved.No])
	}
	want := `"customs":{"at":"2026-11-12T01:00:00Z","code":"500","invt_no":"0201I` + moved.No + `","note":"status 500","pre_no":"B2026111100001","status":"INSPECTED"}`
	if !strings.Contains(got[moved.No], want) {
		t.Errorf("the record of list %s after receipt 500 lacks %s: %s", moved.No, want, got[moved.No])
	}

	last := time.Date(2026, 11, 13, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	w.now.Store(&last)
	w.ceb622(moved, "100", "20261113100000")
	got = w.sealNext(day(11, 13))
	want = `"customs":{"at":"2026-11-13T02:00:00Z","code":"100","invt_no":"0201I` + moved.No + `","note":"status 100","pre_no":"B2026111100001","status":"RETURNED"}`
	if !strings.Contains(got[moved.No], want) {
		t.Errorf("the record of list %s after receipt 100 lacks %s: %s", moved.No, want, got[moved.No])
	}
}

// TestAPeriodSealedBeforeTheCustomsStatusStillExports: a period sealed by
// the server before list records held a customs status (testdata of
// proto/zoneledger/evidence, written then: list QLEC-1 moved by receipt
// 800, its record without a customs object), stored as that server stored
// it, exports to the same bytes and verifies against the digest kept then.
func TestAPeriodSealedBeforeTheCustomsStatusStillExports(t *testing.T) {
	w := newEcomWorld(t)
	old, err := os.ReadFile("../../proto/zoneledger/evidence/testdata/v1-before-ecommerce-customs.jsonl")
	w.must(err)
	hexDigest, err := os.ReadFile("../../proto/zoneledger/evidence/testdata/v1-before-ecommerce-customs.digest")
	w.must(err)
	digest, err := hex.DecodeString(strings.TrimSpace(string(hexDigest)))
	w.must(err)
	var lines []evfile.Line
	for _, s := range strings.Split(strings.TrimSuffix(string(old), "\n"), "\n") {
		var l evfile.Line
		w.must(jsonUnmarshalLine(s, &l))
		lines = append(lines, l)
	}
	var h evfile.Header
	w.must(json.Unmarshal(lines[0].Record, &h))
	ledgerDigest, err := hex.DecodeString(h.LedgerDigest)
	w.must(err)
	through := day(11, 11)
	w.must(errOf(w.pool.Exec(w.ctx, `INSERT INTO evid_periods (book, through, ledger_digest, previous_digest, digest, journals, documents, sealed_at, sealed_by)
		VALUES ($1, $2, $3, '\x'::bytea, $4, $5, $6, now(), 'officer')`, h.Book, through, ledgerDigest, digest, h.Journals, h.Documents)))
	for _, l := range lines {
		w.must(errOf(w.pool.Exec(w.ctx, `INSERT INTO evid_records (book, through, seq, kind, key, record, chain) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			h.Book, through, l.Seq, l.Kind, l.Key, string(l.Record), l.Chain)))
	}
	export, sealed, err := w.export(w.customs, through)
	w.must(err)
	if !bytes.Equal(sealed.Digest, digest) {
		t.Fatalf("the stored period reads digest %x, want %x", sealed.Digest, digest)
	}
	if !bytes.Equal(export, old) {
		t.Fatalf("the export of the period sealed before differs from what was exported then:\n%s\nwant\n%s", export, old)
	}
	if rep, err := evfile.Verify(bytes.NewReader(export), digest); err != nil || !rep.Match {
		t.Fatalf("verify of the old period's export: %v %v", rep.Problems, err)
	}
	_, rec := recordOf(t, export, evfile.KindEcommerceList, "QLEC-1")
	if strings.Contains(string(rec.Record), `"customs"`) {
		t.Fatalf("the old record of QLEC-1 holds a customs object: %s", rec.Record)
	}
}
