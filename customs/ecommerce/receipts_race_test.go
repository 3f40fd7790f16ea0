package ecommerce_test

import (
	"bytes"
	"sync"
	"testing"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestConcurrentReturnReceiptBooksBackOnce: the same 退单 (100) receipt
// imported from 8 goroutines at once is applied by exactly one of them;
// the goods come back into their lots once, the buyer's annual total and
// the settlement lose the list once.
func TestConcurrentReturnReceiptBooksBackOnce(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100", 4: "10"})
	lots1, lots4 := w.lots(1), w.lots(4)
	o, p, wb := w.cart("RACE100", "0041", "12.50", "1.25", cream.of("3", "99.9"), laptop.of("1", "1800"))
	l := w.released(o, p, wb)
	msg := receipt(t, l, "1205960001", [2]string{"100", "20261111090000"})
	var wg sync.WaitGroup
	results := make(chan ecommerce.ReceiptResult, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{msg})
			if err != nil || len(res) != 1 {
				t.Errorf("import: %v %+v", err, res)
				return
			}
			results <- res[0]
		}()
	}
	wg.Wait()
	close(results)
	applied := 0
	for r := range results {
		if r.Err != nil {
			t.Errorf("a concurrent import was refused: %v", r.Err)
		}
		if r.Applied {
			applied++
		} else if !r.Duplicate {
			t.Errorf("an import neither applied nor recognised the receipt: %+v", r)
		}
	}
	if applied != 1 {
		t.Fatalf("%d imports applied the 退单, want 1", applied)
	}
	if !w.stock(1).Equal(d("100")) || !w.stock(4).Equal(d("10")) {
		t.Fatalf("stock %s and %s, want 100 and 10", w.stock(1), w.stock(4))
	}
	for seq, before := range map[int]map[string]ledger.Holding{1: lots1, 4: lots4} {
		for lot, h := range w.lots(seq) {
			if !h.Quantity.Equal(before[lot].Quantity) || !h.Value.Equal(before[lot].Value) {
				t.Fatalf("line %d lot %s holds %s worth %s, before the release %s worth %s", seq, lot, h.Quantity, h.Value, before[lot].Quantity, before[lot].Value)
			}
		}
	}
	if !w.buyerTotal(o.Buyer.IDNumber).IsZero() {
		t.Fatalf("buyer total %s, want 0", w.buyerTotal(o.Buyer.IDNumber))
	}
	if n, tax := settledLists(t, w); n != 0 || !tax.IsZero() {
		t.Fatalf("the settlement still counts %d lists, %s tax", n, tax)
	}
}

// TestReceiptNamingAnotherListsCustomsNumberIsRefused: customs' list
// number (invtNo) belongs to one list; a receipt giving it to another list
// is refused naming the element and changes nothing, whether the two
// receipts come one after the other or at once.
func TestReceiptNamingAnotherListsCustomsNumberIsRefused(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	oa, pa, wba := w.order("INVA", "0042", "SKU-CREAM", "1", "150", "3304990099")
	a := w.released(oa, pa, wba)
	ob, pb, wbb := w.order("INVB", "0043", "SKU-CREAM", "1", "150", "3304990099")
	b := w.released(ob, pb, wbb)
	ra := receipt(t, a, "1205960001", [2]string{"120", "20261111084500"})
	rb := bytes.Replace(receipt(t, b, "1205960001", [2]string{"120", "20261111084500"}), []byte("<ceb:invtNo>"+invtNo(b)+"<"), []byte("<ceb:invtNo>"+invtNo(a)+"<"), 1)
	res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{ra})
	must(t, err)
	must(t, res[0].Err)
	res, err = w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{rb})
	must(t, err)
	if ledger.ReasonOf(res[0].Err) != ecommerce.ReasonReceiptInvtNoTaken || ledger.AsError(res[0].Err).Field != "CEB622Message/InventoryReturn[0]/invtNo" {
		t.Fatalf("a receipt giving list %s's customs number to %s: %+v", a.No, b.No, res[0])
	}
	got, err := w.svc.GetList(w.ctx, w.customs, b.No)
	must(t, err)
	if got.CustomsInvtNo != "" || got.CustomsStatusCode != "" {
		t.Fatalf("the refused receipt changed list %s: %+v", b.No, got)
	}
	// A list that has its number keeps it: a receipt naming another is refused.
	other := bytes.Replace(ra, []byte("<ceb:invtNo>"+invtNo(a)+"<"), []byte("<ceb:invtNo>02012026I000000009<"), 1)
	other = bytes.Replace(other, []byte("<ceb:returnStatus>120<"), []byte("<ceb:returnStatus>300<"), 1)
	res, err = w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{other})
	must(t, err)
	if ledger.ReasonOf(res[0].Err) != ecommerce.ReasonReceiptInvtNoTaken {
		t.Fatalf("a second customs number for list %s: %+v", a.No, res[0])
	}

	// At once: two more lists, one number, 8 goroutines each.
	oc, pc, wbc := w.order("INVC", "0044", "SKU-CREAM", "1", "150", "3304990099")
	c := w.released(oc, pc, wbc)
	od, pd, wbd := w.order("INVD", "0045", "SKU-CREAM", "1", "150", "3304990099")
	dl := w.released(od, pd, wbd)
	withNo := func(l ecommerce.InventoryList) []byte {
		m := receipt(t, l, "1205960001", [2]string{"120", "20261111084500"})
		return bytes.Replace(m, []byte("<ceb:invtNo>"+invtNo(l)+"<"), []byte("<ceb:invtNo>02012026I000000002<"), 1)
	}
	msgs := [][]byte{withNo(c), withNo(dl)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	holders := map[string]bool{}
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{msgs[i%2]})
			if err != nil {
				t.Error(err)
				return
			}
			if r := res[0]; r.Err == nil {
				mu.Lock()
				holders[r.ListNo] = true
				mu.Unlock()
			} else if ledger.ReasonOf(r.Err) != ecommerce.ReasonReceiptInvtNoTaken {
				t.Errorf("refused with %v", r.Err)
			}
		}()
	}
	wg.Wait()
	if len(holders) != 1 {
		t.Fatalf("customs number 02012026I000000002 went to %d lists %v, want 1", len(holders), holders)
	}
	n := 0
	for _, l := range []ecommerce.InventoryList{c, dl} {
		got, err := w.svc.GetList(w.ctx, w.customs, l.No)
		must(t, err)
		if got.CustomsInvtNo == "02012026I000000002" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d lists carry the number, want 1", n)
	}
}

// TestReceiptBatchRetriedAppliesNothingTwice: a CEB622 batch whose second
// message names no list applies the first and refuses the second (each
// receipt is answered on its own); the batch sent again with the second
// put right applies only the second, a third time nothing, and the 退单
// in it books its goods back once.
func TestReceiptBatchRetriedAppliesNothingTwice(t *testing.T) {
	w := newWorld(t, map[int]string{1: "100"})
	oa, pa, wba := w.order("BATA", "0046", "SKU-CREAM", "1", "150", "3304990099")
	a := w.released(oa, pa, wba)
	ob, pb, wbb := w.order("BATB", "0047", "SKU-CREAM", "2", "150", "3304990099")
	b := w.released(ob, pb, wbb)
	ra := receipt(t, a, "1205960001", [2]string{"100", "20261111090000"})
	rb := receipt(t, b, "1205960001", [2]string{"100", "20261111090000"})
	wrong := bytes.Replace(rb, []byte("<ceb:copNo>"+b.No+"<"), []byte("<ceb:copNo>QLNOSUCH<"), 1)
	res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{ra, wrong})
	must(t, err)
	if !res[0].Applied || ledger.ReasonOf(res[1].Err) != ecommerce.ReasonReceiptUnknownList {
		t.Fatalf("first batch: %+v", res)
	}
	if !w.stock(1).Equal(d("98")) {
		t.Fatalf("stock %s after list %s came back, want 98", w.stock(1), a.No)
	}
	for round, want := range [][2]bool{{false, true}, {false, false}} {
		res, err := w.svc.ImportReceipts(w.ctx, w.customs, [][]byte{ra, rb})
		must(t, err)
		if res[0].Err != nil || res[1].Err != nil || res[0].Applied != want[0] || res[1].Applied != want[1] || !res[0].Duplicate {
			t.Fatalf("round %d: %+v", round, res)
		}
		if !w.stock(1).Equal(d("100")) {
			t.Fatalf("round %d: stock %s, want 100: each 退单 books back once", round, w.stock(1))
		}
	}
}
