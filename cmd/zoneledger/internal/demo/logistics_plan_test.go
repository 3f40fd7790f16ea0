package demo

import (
	"strings"
	"testing"
)

// TestPlanLogisticsEveryMonthLength: the script plans for every month
// length, with every kind of step, in date order, and its end state does not
// depend on the length (only the dates move).
func TestPlanLogisticsEveryMonthLength(t *testing.T) {
	_, full, err := planLogistics(newLogisticsCast(), 31)
	if err != nil {
		t.Fatal(err)
	}
	for days := 1; days <= 31; days++ {
		steps, m, err := planLogistics(newLogisticsCast(), days)
		if err != nil {
			t.Fatalf("%d days: %v", days, err)
		}
		kinds := map[stepKind]int{}
		for i, s := range steps {
			kinds[s.Kind]++
			if s.Day < 1 || s.Day > days || i > 0 && s.Day < steps[i-1].Day {
				t.Fatalf("%d days: step %d on day %d", days, s.N, s.Day)
			}
		}
		if len(kinds) != len(stepNames) {
			t.Errorf("%d days: %d kinds of step, want %d", days, len(kinds), len(stepNames))
		}
		for _, v := range []struct {
			name       string
			got, month stockBooks
		}{{"now", m.stock, full.stock}, {"at the month's end", m.monthEnd, full.monthEnd}} {
			for book, lines := range v.month {
				for seq, st := range lines {
					if got := *v.got[book][seq]; !got.equal(*st) {
						t.Errorf("%d days: %s line %d ends %+v %s, a full month %+v", days, book, seq, got, v.name, *st)
					}
				}
			}
		}
		if len(m.taxes) != len(full.taxes) || len(m.pendingTrips()) != 2 {
			t.Errorf("%d days: %d taxable events, %d pending trips", days, len(m.taxes), len(m.pendingTrips()))
		}
	}
}

// TestLogisticsModel: the model books each kind of step as the README says, and
// refuses a plan that would take more than a bucket holds.
func TestLogisticsModel(t *testing.T) {
	c := newLogisticsCast()
	m := newLogisticsModel(c)
	q := func(seq int32, s string) [][]lineQty { return [][]lineQty{{{Seq: seq, Qty: d(s)}}} }
	steps := []plannedStep{
		{N: 1, Day: 1, Kind: stepFirstIn, Lists: q(3, "100")},
		{N: 2, Day: 2, Kind: stepSale, Gate: false, Lists: q(3, "30")},
		{N: 3, Day: 2, Kind: stepSale, Gate: true, Lists: q(3, "20")},
		{N: 4, Day: 3, Kind: stepSwitchToNonbond, Clear: false, Lists: q(3, "10")},
		{N: 5, Day: 3, Kind: stepSaleRefused, Lists: q(3, "41")},
		{N: 6, Day: 4, Kind: stepNonDeclIn, Lists: q(5, "9")},
		{N: 7, Day: 4, Kind: stepSwitchToBonded, Clear: true, Lists: q(5, "4")},
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
	if err := m.apply(plannedStep{N: 8, Kind: stepSaleRefused, Lists: q(3, "40")}); err == nil {
		t.Error("a refusal of 40 with 40 available was planned")
	}
	if err := m.apply(plannedStep{N: 9, Kind: stepSale, Gate: true, Lists: q(3, "41")}); err == nil || !strings.Contains(err.Error(), "would go to -1") {
		t.Errorf("an over-sale: %v", err)
	}
}

// TestLogisticsModelMonthEnd: the month-end view leaves out what is booked on the
// server's today (a held vehicle released by customs), and the model
// refuses a plan that reserves, on a list dated in the month, goods of a
// line that received goods today, as the server does.
func TestLogisticsModelMonthEnd(t *testing.T) {
	c := newLogisticsCast()
	m := newLogisticsModel(c)
	q := func(seq int32, s string) [][]lineQty { return [][]lineQty{{{Seq: seq, Qty: d(s)}}} }
	for _, s := range []plannedStep{
		{N: 1, Day: 1, Kind: stepFirstIn, Lists: q(1, "100")},
		{N: 2, Day: 2, Kind: stepSale, Gate: true, HoldKg: d("50"), Lists: q(1, "30")},
		{N: 3, Day: 3, Kind: stepFirstIn, HoldKg: d("50"), Lists: q(3, "70")},
	} {
		if err := m.apply(s); err != nil {
			t.Fatalf("step %d: %v", s.N, err)
		}
	}
	milk, wine := m.stock[c.T.No][1], m.stock[c.T.No][3]
	milkEnd, wineEnd := m.monthEnd[c.T.No][1], m.monthEnd[c.T.No][3]
	// The held sale is reserved in the month and leaves on its release.
	if !milk.Available.Equal(d("70")) || !milk.Reserved.IsZero() || !milkEnd.Available.Equal(d("70")) || !milkEnd.Reserved.Equal(d("30")) {
		t.Errorf("milk now %+v, at the month's end %+v", *milk, *milkEnd)
	}
	if !wine.Available.Equal(d("70")) || !wineEnd.Available.IsZero() {
		t.Errorf("whisky now %+v, at the month's end %+v", *wine, *wineEnd)
	}
	if len(m.taxes) != 1 || !m.taxes[0].Late {
		t.Errorf("the held sale's taxable event: %+v", m.taxes)
	}
	// Milk may still be sold (its goods came in in the month); whisky not.
	if err := m.apply(plannedStep{N: 4, Day: 4, Kind: stepSale, Lists: q(1, "10")}); err != nil {
		t.Errorf("a sale of milk: %v", err)
	}
	if err := m.apply(plannedStep{N: 5, Day: 4, Kind: stepSale, Lists: q(3, "10")}); err == nil || !strings.Contains(err.Error(), "server's today") {
		t.Errorf("a sale of whisky that came in today: %v", err)
	}
}

func TestContainerNumber(t *testing.T) {
	// The standard's own example.
	if got := containerNo("CSQ", 305438); got != "CSQU3054383" {
		t.Errorf("containerNo = %s, want CSQU3054383", got)
	}
}

// The logistics centre's credit codes pass the demo's own check,
// organisation code included. (The server checks every code when the demo
// registers it: TestDemo runs the month against a server.)
func TestLogisticsCodes(t *testing.T) {
	c := newLogisticsCast()
	for _, e := range []*customsEnterprise{c.Yecheng, c.Nandu} {
		if !validUSCC(e.USCC) {
			t.Errorf("%s: %s is not a valid credit code", e.Name, e.USCC)
		}
	}
}

func (s lineStock) equal(o lineStock) bool {
	return s.Available.Equal(o.Available) && s.Reserved.Equal(o.Reserved) && s.NonBondedFree.Equal(o.NonBondedFree) &&
		s.NBReserved.Equal(o.NBReserved) && s.Inspection.Equal(o.Inspection)
}
