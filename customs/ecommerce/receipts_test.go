package ecommerce_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
	"github.com/zoneledger/zoneledger/ledger"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// released submits an order's three documents and returns its released
// list.
func (w *world) released(o ecommerce.Order, p ecommerce.Payment, wb ecommerce.Waybill) ecommerce.InventoryList {
	w.t.Helper()
	_, err := w.svc.SubmitOrder(w.ctx, w.platform, o)
	must(w.t, err)
	_, err = w.svc.SubmitPayment(w.ctx, w.platform, w.ebc, p)
	must(w.t, err)
	last, err := w.svc.SubmitWaybill(w.ctx, w.platform, w.ebc, wb)
	must(w.t, err)
	if last.Status != ecommerce.OrderReleased {
		w.t.Fatalf("order %s %s %s", o.OrderNo, last.Status, last.Reason)
	}
	l, err := w.svc.GetList(w.ctx, w.customs, last.ListNo)
	must(w.t, err)
	return l
}

// receipt writes a CEB622 message of one receipt per status, as customs
// sends them, for list l.
func receipt(t *testing.T, l ecommerce.InventoryList, ebc string, statuses ...[2]string) []byte {
	t.Helper()
	m := ceb.CEB622Message{GUID: "0b7f4f1e-7d3a-4c55-9f0e-2a61c3d4e5f6", Version: "1.0"}
	for _, st := range statuses {
		m.Returns = append(m.Returns, ceb.InventoryReturn{GUID: "1f0e6d3c-5b4a-4938-8271-605f4e3d2c1b", CustomsCode: "0201", EbpCode: l.Platform, EbcCode: ebc,
			CopNo: l.No, PreNo: "B2026111100001", InvtNo: invtNo(l), ReturnStatus: st[0], ReturnTime: st[1], ReturnInfo: "status " + st[0]})
	}
	out, err := ceb.EncodeReceipt(m)
	must(t, err)
	return out
}

// invtNo is the customs list number receipt gives list l: one per list,
// as customs numbers are.
func invtNo(l ecommerce.InventoryList) string { return "0201I" + l.No }

// TestReleasedListExportsAsItsCEB621: the CEB621 of a released list
// decodes to the list's own fields (round trip) and equals its golden file.
func TestReleasedListExportsAsItsCEB621(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	o, p, wb := w.cart("C621", "0031", "12.50", "1.25", cream.of("3", "99.9"), laptop.of("1", "1800"))
	l := w.released(o, p, wb)
	data, name, err := w.svc.InventoryMessage(w.ctx, w.platform, l.No)
	must(t, err)
	if name != "CEB621_"+l.No+".xml" {
		t.Fatalf("file name %q", name)
	}
	golden := filepath.Join("testdata", "ceb621-list.golden.xml")
	if *update {
		must(t, os.WriteFile(golden, data, 0o644))
	}
	want, err := os.ReadFile(golden)
	must(t, err)
	if !bytes.Equal(data, want) {
		t.Fatalf("the CEB621 differs from %s:\n%s", golden, data)
	}
	m, err := ceb.DecodeInventory(data)
	must(t, err)
	h := m.Inventories[0].Head
	wh, err := w.zone.EnterpriseByUSCC(w.ctx, w.warehouse.Enterprise)
	must(t, err)
	for _, c := range []struct{ got, want, what string }{
		{h.CopNo, l.No, "copNo"}, {h.OrderNo, o.OrderNo, "orderNo"}, {h.EmsNo, w.book, "emsNo"},
		{h.EbpCode, "TMALL", "ebpCode"}, {h.EbcCode, "1205960001", "ebcCode"}, {h.AssureCode, "TMALL", "assureCode"},
		{h.LogisticsNo, wb.LogisticsNo, "logisticsNo"}, {h.LogisticsCode, "SF", "logisticsCode"},
		{h.TradeMode, "1210", "tradeMode"}, {h.Currency, "142", "currency"}, {h.Country, "142", "country"},
		{h.AreaCode, wh.CustomsCode, "areaCode"}, {h.AreaName, wh.Name, "areaName"}, {h.CustomsCode, "0201", "customsCode"},
		{h.BuyerIDType, "1", "buyerIdType"}, {h.BuyerIDNumber, o.Buyer.IDNumber, "buyerIdNumber"}, {h.BuyerName, o.Buyer.Name, "buyerName"},
		{h.ConsigneeAddress, o.Consignee.Address, "consigneeAddress"}, {h.Freight, "12.50", "freight"}, {h.InsuredFee, "1.25", "insuredFee"},
		{h.DeclTime, "20261111", "declTime"}, {h.TrafMode, "Y", "trafMode"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	lines := m.Inventories[0].Lines
	if len(lines) != len(o.Lines) {
		t.Fatalf("%d lines for an order of %d", len(lines), len(o.Lines))
	}
	sum := decimal.Zero
	for i, ln := range lines {
		ol, ll := o.Lines[i], l.Lines[i]
		price, qty, total := d(ln.Price), d(ln.Qty), d(ln.TotalPrice)
		if ln.Gnum != fmt.Sprint(i+1) || ln.ItemRecordNo != ol.ItemNo || !price.Equal(ol.Price) || !qty.Equal(ol.Quantity) || ln.Gcode != ll.HSCode ||
			ln.Unit != ll.Unit || ln.Unit1 != ll.LegalUnit || !d(ln.Qty1).Equal(ll.LegalQuantity) {
			t.Errorf("line %d: %+v, want the order line %+v (list line %+v)", i, ln, ol, ll)
		}
		if !total.Equal(price.Mul(qty)) || !total.Equal(ol.Total) {
			t.Errorf("line %d: totalPrice %s, price × qty %s, order line total %s", i, total, price.Mul(qty), ol.Total)
		}
		sum = sum.Add(total)
	}
	if !sum.Equal(o.GoodsValue) {
		t.Errorf("lines total %s, goods value %s", sum, o.GoodsValue)
	}
	// Whoever may not read the list is told it does not exist.
	if _, _, err := w.svc.InventoryMessage(w.ctx, w.other, l.No); ledger.ReasonOf(err) != ecommerce.ReasonUnknownList {
		t.Fatalf("another platform: %v, want UNKNOWN_LIST", err)
	}
}

func settledLists(t *testing.T, w *world) (int, decimal.Decimal) {
	t.Helper()
	st, err := w.svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	must(t, err)
	return len(st.Lists), st.Tax
}

// TestCustomsReturnReleasesStockAndQuota: a list customs returned (退单,
// 100) gives its goods back to the lots they left, leaves the settlement
// and restores the buyer's annual total, exactly; the same receipt again
// changes nothing.
func TestCustomsReturnReleasesStockAndQuota(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	lots1, lots4 := w.lots(1), w.lots(4)
	o, p, wb := w.cart("C100", "0032", "12.50", "1.25", cream.of("3", "99.9"), laptop.of("1", "1800"))
	l := w.released(o, p, wb)
	if !w.stock(1).Equal(d("97")) || !w.stock(4).Equal(d("9")) || !w.buyerTotal(o.Buyer.IDNumber).Equal(l.DutiableValue) {
		t.Fatalf("after release: stock %s %s, buyer total %s", w.stock(1), w.stock(4), w.buyerTotal(o.Buyer.IDNumber))
	}
	if n, tax := settledLists(t, w); n != 1 || !tax.Equal(l.Tax) {
		t.Fatalf("settlement %d lists %s tax before the 退单", n, tax)
	}
	msg := receipt(t, l, "1205960001", [2]string{"120", "20261111084500"}, [2]string{"100", "20261111090000"})
	res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{msg})
	must(t, err)
	if len(res) != 2 || res[0].Err != nil || res[1].Err != nil || !res[0].Applied || !res[1].Applied {
		t.Fatalf("results %+v", res)
	}
	got := res[1].List
	if got.Status != ecommerce.ListReturned || got.CustomsStatus != ecommerce.CustomsReturned || got.CustomsStatusCode != "100" ||
		got.CustomsNote != "status 100" || got.CustomsInvtNo != invtNo(l) || got.ReturnJournalID == 0 {
		t.Fatalf("list after 退单 %+v", got)
	}
	check := func(when string) {
		t.Helper()
		if !w.stock(1).Equal(d("100")) || !w.stock(4).Equal(d("10")) {
			t.Fatalf("%s: stock %s and %s, want 100 and 10", when, w.stock(1), w.stock(4))
		}
		for seq, before := range map[int]map[string]ledger.Holding{1: lots1, 4: lots4} {
			for lot, h := range w.lots(seq) {
				if !h.Quantity.Equal(before[lot].Quantity) || !h.Value.Equal(before[lot].Value) {
					t.Fatalf("%s: line %d lot %s holds %s worth %s, before the release %s worth %s", when, seq, lot, h.Quantity, h.Value, before[lot].Quantity, before[lot].Value)
				}
			}
		}
		if !w.buyerTotal(o.Buyer.IDNumber).IsZero() {
			t.Fatalf("%s: buyer total %s, want 0", when, w.buyerTotal(o.Buyer.IDNumber))
		}
		if n, tax := settledLists(t, w); n != 0 || !tax.IsZero() {
			t.Fatalf("%s: the settlement still counts %d lists, %s tax", when, n, tax)
		}
	}
	check("after the 退单")
	// The same message again: recognised, nothing changes.
	res, err = w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{msg})
	must(t, err)
	for _, r := range res {
		if r.Err != nil || r.Applied || !r.Duplicate {
			t.Fatalf("again: %+v", r)
		}
	}
	check("after the same receipts again")
	// A 放行 dated later cannot undo a 退单: RETURNED is final.
	res, err = w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{receipt(t, l, "1205960001", [2]string{"800", "20261111100000"})})
	must(t, err)
	if res[0].Err != nil || res[0].Applied || res[0].List.CustomsStatus != ecommerce.CustomsReturned {
		t.Fatalf("800 after 100: %+v", res[0])
	}
	check("after a late 放行")
}

// TestReceiptsOutOfOrder: an earlier-stage receipt arriving after a final
// one does not move the status back; within a stage the later returnTime
// wins, and at the same time the higher rank.
func TestReceiptsOutOfOrder(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o, p, wb := w.order("OOO", "0033", "SKU-CREAM", "2", "150", "3304990099")
	l := w.released(o, p, wb)
	imp := func(statuses ...[2]string) []ecommerce.ReceiptResult {
		t.Helper()
		res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{receipt(t, l, "1205960001", statuses...)})
		must(t, err)
		for _, r := range res {
			must(t, r.Err)
		}
		return res
	}
	res := imp([2]string{"800", "20261111093000123"}, [2]string{"120", "20261111084500"}, [2]string{"399", "20261111095000"})
	if !res[0].Applied || res[1].Applied || res[2].Applied {
		t.Fatalf("applied %t %t %t, want only the 放行", res[0].Applied, res[1].Applied, res[2].Applied)
	}
	got, err := w.svc.GetList(w.ctx, w.customs, l.No)
	must(t, err)
	at := time.Date(2026, 11, 11, 9, 30, 0, 123e6, time.FixedZone("CST", 8*3600))
	if got.CustomsStatus != ecommerce.CustomsReleased || got.CustomsStatusCode != "800" || !got.CustomsStatusAt.Equal(at) || got.Status != ecommerce.ListReleased {
		t.Fatalf("list %s customs %s %s at %s, want RELEASED 800 at %s", got.Status, got.CustomsStatus, got.CustomsStatusCode, got.CustomsStatusAt, at)
	}
	// 结关 (899) after 放行 moves within the final status.
	if res := imp([2]string{"899", "20261112000000"}); !res[0].Applied || res[0].List.CustomsStatusCode != "899" {
		t.Fatalf("899 after 800: %+v", res[0])
	}
	if !w.stock(1).Equal(d("98")) {
		t.Fatalf("stock %s, want 98: no receipt but a 退单 moves goods", w.stock(1))
	}

	w2 := newWorld(t, map[int]string{1: "100"})
	o, p, wb = w2.order("SAME", "0034", "SKU-CREAM", "1", "150", "3304990099")
	l = w2.released(o, p, wb)
	res2, err := w2.svc.ImportReceipts(w2.ctx, w2.customs, [][]byte{receipt(t, l, "1205960001", [2]string{"399", "20261111090000"}, [2]string{"120", "20261111090000"}, [2]string{"500", "20261111085959"})})
	must(t, err)
	if !res2[0].Applied || res2[1].Applied || res2[2].Applied || res2[2].List.CustomsStatusCode != "399" {
		t.Fatalf("same time lower rank or earlier time applied: %+v", res2)
	}
}

// TestBadReceiptsAreRefusedNamingTheElement: a receipt for no list, with a
// status code not in the table, for another platform's list, or a message
// that breaks its rules is refused with its reason and element path, and
// changes nothing; only customs and admins import receipts.
func TestBadReceiptsAreRefusedNamingTheElement(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o, p, wb := w.order("BAD", "0035", "SKU-CREAM", "2", "150", "3304990099")
	l := w.released(o, p, wb)
	unknown := l
	unknown.No = "QLNOPE"
	other := l
	other.Platform = "JD"
	cases := []struct {
		msg    []byte
		kind   ledger.Kind
		reason string
		field  string
	}{
		{receipt(t, unknown, "1205960001", [2]string{"800", "20261111090000"}), ledger.KindNotFound, ecommerce.ReasonReceiptUnknownList, "CEB622Message/InventoryReturn[0]/copNo"},
		{receipt(t, l, "1205960001", [2]string{"120", "20261111085000"}, [2]string{"700", "20261111090000"}), ledger.KindInvalid, ecommerce.ReasonReceiptUnknownStatus, "CEB622Message/InventoryReturn[1]/returnStatus"},
		{receipt(t, other, "1205960001", [2]string{"100", "20261111090000"}), ledger.KindInvalid, ecommerce.ReasonReceiptListMismatch, "CEB622Message/InventoryReturn[0]/ebpCode"},
		{receipt(t, l, "9999999999", [2]string{"100", "20261111090000"}), ledger.KindInvalid, ecommerce.ReasonReceiptListMismatch, "CEB622Message/InventoryReturn[0]/ebcCode"},
		{[]byte(`<CEB622Message><InventoryReturn><guid>g</guid></InventoryReturn></CEB622Message>`), ledger.KindInvalid, ecommerce.ReasonReceiptMalformed, "CEB622Message/InventoryReturn[0]/ebpCode"},
	}
	for i, c := range cases {
		res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{c.msg})
		must(t, err)
		last := res[len(res)-1]
		wantKind(t, last.Err, c.kind, c.reason, c.field)
		if i == 1 && (res[0].Err != nil || !res[0].Applied) {
			t.Fatalf("the good receipt beside a bad one: %+v", res[0])
		}
	}
	got, err := w.svc.GetList(w.ctx, w.customs, l.No)
	must(t, err)
	if got.Status != ecommerce.ListReleased || got.CustomsStatusCode != "120" || !w.stock(1).Equal(d("98")) {
		t.Fatalf("after refused receipts: list %s customs %s, stock %s", got.Status, got.CustomsStatusCode, w.stock(1))
	}
	for _, pr := range []access.Principal{w.platform, w.warehouse} {
		_, err := w.svc.ImportReceipts(w.ctx, pr, [][]byte{receipt(t, l, "1205960001", [2]string{"100", "20261111090000"})})
		wantKind(t, err, ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "")
	}
}

// TestCEBSettingsAreChecked: a transport mode that is not one code, or a
// DXP id too long for the message, stops the start with the key named.
func TestCEBSettingsAreChecked(t *testing.T) {
	for key, set := range map[string]ecommerce.Settings{
		"ceb621_traf_mode": {CEB621TrafMode: "YY"},
		"ceb_dxp_id":       {CEBDxpID: "DXP" + fmt.Sprint(make([]int, 20))},
	} {
		if err := set.Validate(); err == nil || !strings.HasPrefix(err.Error(), key+":") {
			t.Errorf("%s: %v", key, err)
		}
	}
	if err := (ecommerce.Settings{CEB621TrafMode: "W", CEBDxpID: "DXPENT0000000001"}).Validate(); err != nil {
		t.Error(err)
	}
}

// TestListWithoutWhatCEB621NeedsIsRefusedNamingTheElement: an order with
// no telephone for the buyer or the consignee cannot give a CEB621 (the
// element is required): refused naming the element, the list unchanged.
func TestListWithoutWhatCEB621NeedsIsRefusedNamingTheElement(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	o, p, wb := w.order("NOPHONE", "0036", "SKU-CREAM", "1", "150", "3304990099")
	o.Buyer.Phone, o.Consignee.Phone, p.Payer.Phone, wb.Consignee.Phone = "", "", "", ""
	l := w.released(o, p, wb)
	_, _, err := w.svc.InventoryMessage(w.ctx, w.customs, l.No)
	wantKind(t, err, ledger.KindFailedPrecondition, ecommerce.ReasonCEB621Incomplete, "CEB621Message/Inventory[0]/InventoryHead/buyerTelephone")
	got, err := w.svc.GetList(w.ctx, w.customs, l.No)
	must(t, err)
	if got.Status != ecommerce.ListReleased {
		t.Fatalf("list %s", got.Status)
	}
}

// TestCustomsReturnOvertakesABuyersReturn: a 退单 for a list whose buyer
// applied for a partial return brings the whole list back; one for a list
// whose goods came partly back already is refused and changes nothing.
func TestCustomsReturnOvertakesABuyersReturn(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	o, p, wb := w.cart("OVR", "0037", "10", "0", cream.of("4", "50"), laptop.of("1", "1800"))
	l := w.released(o, p, wb)
	_, err := w.svc.RequestReturn(w.ctx, w.platform, l.No, []ecommerce.ReturnLine{{Seq: 1, Quantity: d("1")}})
	must(t, err)
	res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{receipt(t, l, "1205960001", [2]string{"100", "20261111090000"})})
	must(t, err)
	if res[0].Err != nil || res[0].List.Status != ecommerce.ListReturned || len(res[0].List.ReturnLines) != 2 {
		t.Fatalf("退单 over a partial return request: %+v", res[0])
	}
	if !w.stock(1).Equal(d("100")) || !w.stock(4).Equal(d("10")) || !w.buyerTotal(o.Buyer.IDNumber).IsZero() {
		t.Fatalf("stock %s %s, buyer total %s", w.stock(1), w.stock(4), w.buyerTotal(o.Buyer.IDNumber))
	}

	o, p, wb = w.cart("PRT", "0038", "10", "0", cream.of("4", "50"), laptop.of("1", "1800"))
	l = w.released(o, p, wb)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, l.No, []ecommerce.ReturnLine{{Seq: 1, Quantity: d("1")}})
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, l.No)
	must(t, err)
	before, total := w.stock(1), w.buyerTotal(o.Buyer.IDNumber)
	res, err = w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{receipt(t, l, "1205960001", [2]string{"100", "20261111090000"})})
	must(t, err)
	wantKind(t, res[0].Err, ledger.KindFailedPrecondition, ecommerce.ReasonReceiptWrongStatus, "CEB622Message/InventoryReturn[0]/returnStatus")
	got, err := w.svc.GetList(w.ctx, w.customs, l.No)
	must(t, err)
	if got.Status != ecommerce.ListPartlyReturned || got.CustomsStatus != "" || !w.stock(1).Equal(before) || !w.buyerTotal(o.Buyer.IDNumber).Equal(total) {
		t.Fatalf("after a refused 退单: %s customs %q, stock %s (was %s)", got.Status, got.CustomsStatus, w.stock(1), before)
	}
}
