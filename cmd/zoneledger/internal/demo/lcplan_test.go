package demo

import (
	"strings"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
)

// TestPlanLogisticsEveryMonthLength: the script plans for every month
// length, with every kind of step, in date order, and its end state does not
// depend on the length (only the dates move).
func TestPlanLogisticsEveryMonthLength(t *testing.T) {
	_, full, err := planLogistics(newLCCast(), 31)
	if err != nil {
		t.Fatal(err)
	}
	for days := 1; days <= 31; days++ {
		steps, m, err := planLogistics(newLCCast(), days)
		if err != nil {
			t.Fatalf("%d days: %v", days, err)
		}
		kinds := map[lcKind]int{}
		for i, s := range steps {
			kinds[s.Kind]++
			if s.Day < 1 || s.Day > days || i > 0 && s.Day < steps[i-1].Day {
				t.Fatalf("%d days: step %d on day %d", days, s.N, s.Day)
			}
		}
		if len(kinds) != len(lcFlowNames) {
			t.Errorf("%d days: %d kinds of step, want %d", days, len(kinds), len(lcFlowNames))
		}
		for book, lines := range full.stock {
			for seq, st := range lines {
				if got := *m.stock[book][seq]; !got.Bonded().Equal(st.Bonded()) || !got.Reserved.Equal(st.Reserved) ||
					!got.NonBonded().Equal(st.NonBonded()) || !got.Inspection.Equal(st.Inspection) {
					t.Errorf("%d days: %s line %d ends %+v, a full month %+v", days, book, seq, got, *st)
				}
			}
		}
		if len(m.taxes) != len(full.taxes) || len(m.pendingTrips()) != 2 {
			t.Errorf("%d days: %d taxable events, %d pending trips", days, len(m.taxes), len(m.pendingTrips()))
		}
	}
}

// TestLCModel: the model books each kind of step as the README says, and
// refuses a plan that would take more than a bucket holds.
func TestLCModel(t *testing.T) {
	c := newLCCast()
	m := newLCModel(c)
	q := func(seq int32, s string) [][]lcQty { return [][]lcQty{{{Seq: seq, Qty: d(s)}}} }
	steps := []lcStep{
		{N: 1, Day: 1, Kind: lcFirstIn, Lists: q(3, "100")},
		{N: 2, Day: 2, Kind: lcSale, Gate: false, Lists: q(3, "30")},
		{N: 3, Day: 2, Kind: lcSale, Gate: true, Lists: q(3, "20")},
		{N: 4, Day: 3, Kind: lcSwitchToNonbond, Clear: false, Lists: q(3, "10")},
		{N: 5, Day: 3, Kind: lcSaleRefused, Lists: q(3, "41")},
		{N: 6, Day: 4, Kind: lcNonDeclIn, Lists: q(5, "9")},
		{N: 7, Day: 4, Kind: lcSwitchToBonded, Clear: true, Lists: q(5, "4")},
	}
	for _, s := range steps {
		if err := m.apply(s); err != nil {
			t.Fatalf("step %d: %v", s.N, err)
		}
	}
	wine, oven := m.stock[c.T.No][3], m.stock[c.T.No][5]
	if !wine.Available.Equal(d("40")) || !wine.Reserved.Equal(d("30")) || !wine.Inspection.Equal(d("10")) || !wine.Bonded().Equal(d("70")) {
		t.Errorf("whisky %+v", *wine)
	}
	if !oven.Available.Equal(d("4")) || !oven.NonBonded().Equal(d("5")) {
		t.Errorf("ovens %+v", *oven)
	}
	// Only the sale that passed the gate is taxable so far (the switch is not cleared).
	if len(m.taxes) != 1 || m.taxes[0].Step != 3 || !m.taxes[0].Value.Equal(d("5960.00")) {
		t.Errorf("taxes %+v", m.taxes)
	}
	// A refusal that would not happen, and a sale beyond the stock, are plan errors.
	if err := m.apply(lcStep{N: 8, Kind: lcSaleRefused, Lists: q(3, "40")}); err == nil {
		t.Error("a refusal of 40 with 40 available was planned")
	}
	if err := m.apply(lcStep{N: 9, Kind: lcSale, Gate: true, Lists: q(3, "41")}); err == nil || !strings.Contains(err.Error(), "would go to -1") {
		t.Errorf("an over-sale: %v", err)
	}
}

func TestContainerNumber(t *testing.T) {
	// The standard's own example.
	if got := containerNo("CSQ", 305438); got != "CSQU3054383" {
		t.Errorf("containerNo = %s, want CSQU3054383", got)
	}
}

// The logistics centre's codes are valid by customs/codes (the server's
// validator) and by the demo's own check, organisation code included.
func TestLCCodes(t *testing.T) {
	c := newLCCast()
	for _, e := range []*lcEnterprise{c.Yecheng, c.Nandu} {
		if err := codes.CheckUSCC(e.USCC); err != nil || !validUSCC(e.USCC) {
			t.Errorf("%s: %s: %v", e.Name, e.USCC, err)
		}
		if err := codes.CheckCustomsCode(e.CustomsNo); err != nil {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
	for _, b := range c.Books {
		kind := map[string]codes.BookKind{"BOOK_KIND_LOGISTICS": codes.BookLogistics, "BOOK_KIND_ZONE": codes.BookZone}[b.Kind.String()]
		if err := codes.CheckBookNumber(kind, b.No); err != nil {
			t.Errorf("%s: %v", b.No, err)
		}
		for _, l := range b.Lines {
			if err := codes.CheckHSCode(l.HS); err != nil {
				t.Errorf("%s line %d: %v", b.No, l.Seq, err)
			}
		}
	}
}
