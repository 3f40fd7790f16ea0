package repair

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestConcurrentOrdersNeverOverdraw: ten orders and one order sent five
// times at once race for the 6 units of a list: exactly 6 units go into
// repair, each winning order once, every loser refused with
// INSUFFICIENT_STOCK, and the order sent five times is at most one order,
// which every retry that succeeded answers.
func TestConcurrentOrdersNeverOverdraw(t *testing.T) {
	w := newWorld(t)
	in := w.receive(w.book, 1, "6", false, false)
	var mu sync.Mutex
	won, refused := 0, 0
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: fmt.Sprintf("R-%d", i), Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case ledger.AsError(err).Reason == zone.ReasonInsufficientStock:
				refused++
			default:
				t.Errorf("order %d: %v", i, err)
			}
		}()
	}
	nos := make([]string, 5)
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "SAME", Book: w.book, List: in, BookSeq: 1, Quantity: d("1")})
			if err != nil && ledger.AsError(err).Reason != zone.ReasonInsufficientStock {
				t.Errorf("retry %d: %v", i, err)
			}
			nos[i] = o.No
		}()
	}
	wg.Wait()
	got := w.stock(nil)["1 awaiting/abroad"]
	same, err := w.svc.ListOverdue(w.ctx, w.customs, w.book, time.Now().AddDate(2, 0, 0))
	w.must(err)
	sameCount := 0
	for _, o := range same {
		if o.InnerNo == "SAME" {
			sameCount++
			for _, n := range nos {
				if n != "" && n != o.No {
					t.Errorf("a retry answered order %s, the order is %s", n, o.No)
				}
			}
		}
	}
	if got != "6" || won+sameCount != 6 || refused != 10-won || sameCount > 1 || len(same) != 6 {
		t.Fatalf("in repair %s; %d won, %d refused, %d SAME orders, %d orders in all", got, won, refused, sameCount, len(same))
	}
}
