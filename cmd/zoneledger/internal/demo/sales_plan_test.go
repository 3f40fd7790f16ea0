package demo

import (
	"slices"
	"strings"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// TestIDNumber: the 身份证 check character is GB 11643's (the standard's
// own example ends in X), and every buyer's number is well-formed.
func TestIDNumber(t *testing.T) {
	if got := idNumber("110105", "19491231", "002"); got != "11010519491231002X" {
		t.Errorf("idNumber = %s, want 11010519491231002X", got)
	}
	ids := map[string]bool{}
	for k, b := range newSalesCast().Buyers {
		if len(b.ID) != 18 || idCheck(b.ID[:17]) != b.ID[17] || ids[b.ID] {
			t.Errorf("buyer %s: ID %s", k, b.ID)
		}
		ids[b.ID] = true
	}
}

// TestPlanSalesEveryMonthLength: the centre plans for every month length,
// in date order, with the same outcomes and the same end state (only the
// dates move); the model's outcomes are the script's.
func TestPlanSalesEveryMonthLength(t *testing.T) {
	_, full, err := predictSales(newSalesCast(), 2026, 10, 31, "2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	for days := 1; days <= 31; days++ {
		s, m, err := predictSales(newSalesCast(), 2026, 10, days, "2026-11-28")
		if err != nil {
			t.Fatalf("%d days: %v", days, err)
		}
		prev := s.Entry.Day
		for _, mv := range s.Display {
			if mv.Day < prev || mv.Day > days {
				t.Fatalf("%d days: movement %d on day %d", days, mv.N, mv.Day)
			}
			prev = mv.Day
		}
		for seq, st := range full.stock {
			if !m.stock[seq].equal(*st) || !m.monthEnd[seq].equal(*full.monthEnd[seq]) {
				t.Errorf("%d days: line %d ends %+v / %+v, a full month %+v / %+v", days, seq, *m.monthEnd[seq], *m.stock[seq], *full.monthEnd[seq], *st)
			}
		}
		if s.FormFrom != "2026-10-01" || s.FormUntil != "2026-12-31" {
			t.Errorf("%d days: form %s .. %s", days, s.FormFrom, s.FormUntil)
		}
	}
}

// TestSalesScript: the script has what the demo promises — tens of
// orders, one per call in every arrival order and in batches of at most
// 100, each intended refusal once or twice, a buyer at exactly the annual
// limit, the stock worked out by hand.
func TestSalesScript(t *testing.T) {
	s, m, err := predictSales(newSalesCast(), 2026, 10, 31, "2026-11-28")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Orders) < 30 || len(s.Orders) > 100 {
		t.Errorf("%d orders", len(s.Orders))
	}
	arrivals := map[string]bool{}
	reasons := map[string]int{}
	for _, o := range s.Orders {
		if o.Batch == 0 {
			arrivals[o.Arrival] = true
		}
		reasons[o.Expect]++
		if !strings.HasPrefix(o.No, "YF261128") {
			t.Errorf("order number %s", o.No)
		}
	}
	if len(arrivals) != 6 {
		t.Errorf("singles arrive in %d orders of the three documents, want all 6", len(arrivals))
	}
	for _, r := range []string{errorsv1.Reason_PAYMENT_AMOUNT_MISMATCH.String(), errorsv1.Reason_BUYER_PAYER_MISMATCH.String(), errorsv1.Reason_CONSIGNEE_MISMATCH.String(), errorsv1.Reason_OVER_SINGLE_LIMIT.String(),
		errorsv1.Reason_OVER_ANNUAL_LIMIT.String(), errorsv1.Reason_PERSONAL_CAP_EXCEEDED.String(), errorsv1.Reason_NOT_ON_POSITIVE_LIST.String()} {
		if reasons[r] == 0 {
			t.Errorf("no order refused %s", r)
		}
	}
	if len(s.Batches) != 2 || len(s.Singles)%3 != 0 {
		t.Errorf("%d batches, %d single documents", len(s.Batches), len(s.Singles))
	}
	for _, b := range s.Batches {
		if len(b) > 100 {
			t.Errorf("a batch of %d documents", len(b))
		}
	}
	// Buyer M (马骁) reaches exactly 26,000.00, then is refused.
	id := newSalesCast().Buyers["M"].ID
	if got := m.annual[id]; !got.Equal(d("26000")) {
		t.Errorf("buyer M's year: %s", got)
	}
	// Worked out by hand: entry 1200 / 800 / 2000 / 120 / 40 / 300; display
	// out 24 cameras and 180 bottles, sold 14 and 108, back 8 and 72; today
	// the releases take 56 tins, 27 jars (3 returned), 55 kg of rice and
	// 12 laptops.
	type av struct{ avail, display string }
	monthEnd := map[int32]av{1: {"1200", "0"}, 2: {"800", "0"}, 3: {"2000", "0"}, 4: {"120", "0"}, 5: {"24", "2"}, 6: {"192", "0"}}
	now := map[int32]av{1: {"1144", "0"}, 2: {"773", "0"}, 3: {"1945", "0"}, 4: {"108", "0"}, 5: {"24", "2"}, 6: {"192", "0"}}
	for seq, w := range monthEnd {
		if st := m.monthEnd[seq]; !st.Available.Equal(d(w.avail)) || !st.Display.Equal(d(w.display)) {
			t.Errorf("line %d at the month's end: %+v, want %v", seq, *st, w)
		}
		if st, w := m.stock[seq], now[seq]; !st.Available.Equal(d(w.avail)) || !st.Display.Equal(d(w.display)) {
			t.Errorf("line %d now: %+v, want %v", seq, *st, w)
		}
	}
	// The documents' answers: one refusal or release per order, on its
	// last document.
	final := 0
	for _, as := range append([][]docAnswer{s.SingleAnswers}, s.BatchAnswers...) {
		for _, a := range as {
			if a.Reason != "" || a.Status == customsv1.OrderStatus_ORDER_STATUS_RELEASED {
				final++
			}
		}
	}
	if final != len(s.Orders) {
		t.Errorf("%d final answers for %d orders", final, len(s.Orders))
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for _, mv := range s.Display {
			if !yield(mv.Kind.String() + "/" + mv.Expect) {
				return
			}
		}
	})
	want := []string{"DISPLAY_KIND_BACK/", "DISPLAY_KIND_OUT/", "DISPLAY_KIND_SALE/", "DISPLAY_KIND_SALE/", "DISPLAY_KIND_SALE/GUARANTEE_EXCEEDED"}
	if !slices.Equal(got, want) {
		t.Errorf("display movements %v, want %v", got, want)
	}
}

func (s shelfStock) equal(o shelfStock) bool {
	return s.Available.Equal(o.Available) && s.Display.Equal(o.Display)
}
