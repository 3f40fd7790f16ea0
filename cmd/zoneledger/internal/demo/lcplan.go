package demo

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// The logistics centre's month is a fixed script (the seed varies the
// ledger part of the demo, not this one): about two dozen business steps,
// each on a day given as a fraction of the month so that a shorter month
// (--days) still has every kind of step. The script is planned against
// lcModel, the demo's own stock book of the customs books, which predicts
// the stock report, the taxable events and the pending trips the server
// must show at the end.

type lcKind int

const (
	lcFirstIn         lcKind = iota // 一线入区: list I 5034, type-2 pass, gate
	lcFirstOut                      // 一线出区: list E 5034 (reserved), type-2 pass, gate
	lcNonDeclIn                     // 非报关入区: 是否报关 2, type-4 pass
	lcNonDeclOut                    // 非报关出区: 是否报关 2 (non-bonded reserved), type-4 pass
	lcSwitchToBonded                // 区内直转 non-bonded → bonded: 清单类型 Z, ClearList
	lcSwitchToNonbond               // 区内直转 bonded → non-bonded: 清单类型 Z, ClearList, taxable
	lcTransfer                      // 区内流转: paired 清单类型 6 lists, one journal across both books
	lcTrip                          // 分送集报 trip: slip, type-3 pass, gate
	lcCollective                    // 分送集报 collective list (清单类型 1) over trips
	lcSale                          // 二线出区 内销: E 0110 lists, type-3 pass, taxable at the gate
	lcSaleRefused                   // 内销 declared beyond the available stock: refused, draft deleted
)

var lcFlowNames = map[lcKind]string{
	lcFirstIn:         "一线入区 entry from abroad",
	lcFirstOut:        "一线出区 export",
	lcNonDeclIn:       "非报关入区 non-bonded in",
	lcNonDeclOut:      "非报关出区 non-bonded out",
	lcSwitchToBonded:  "区内直转 → bonded",
	lcSwitchToNonbond: "区内直转 → non-bonded",
	lcTransfer:        "区内流转 transfer",
	lcTrip:            "分送集报 trip",
	lcCollective:      "分送集报 collective list",
	lcSale:            "二线出区 内销 domestic sale",
	lcSaleRefused:     "内销 beyond stock",
}

// lcQty is a quantity of a book line, in its declared unit.
type lcQty struct {
	Seq int32
	Qty decimal.Decimal
}

// lcStep is one business step of the month.
type lcStep struct {
	N    int // 1, 2, ... in script order
	Day  int // day of the month; the date of its gate event, if any
	Kind lcKind
	// Lists are the goods, one element per verification list (a sale may
	// put several lists on one vehicle); trips and transfers have one.
	Lists [][]lcQty
	// Into are the receiving book's lines of a transfer, paired one to one
	// with Lists[0].
	Into []lcQty
	// Trip numbers a trip (1, 2, ...); Trips are the trips a collective
	// list declares.
	Trip  int
	Trips []int
	// Clear: a 区内直转 declaration is released within the month.
	Clear bool
	// Gate: the vehicle of a sale passes within the month (else the list
	// stays declared, its goods reserved).
	Gate bool
	// HoldKg: the scale reads this much more than declared, so the gate
	// holds the vehicle and customs releases it after inspection.
	HoldKg decimal.Decimal
	// The vehicle: plate, tares (kg), container.
	Vehicle                           string
	VehicleKg, FrameKg, ContainerTare decimal.Decimal
	Container                         string
	Country                           string // destination of an export
}

// lcStock is one book line's stock as the server's stock report shows it,
// kept by the demo: Available (the bonded account), Reserved, NonBondedFree
// (the nonbonded account) and NBReserved, Inspection.
type lcStock struct {
	Available, Reserved, NonBondedFree, NBReserved, Inspection decimal.Decimal
}

func (s lcStock) Bonded() decimal.Decimal    { return s.Available.Add(s.Reserved) }
func (s lcStock) NonBonded() decimal.Decimal { return s.NonBondedFree.Add(s.NBReserved) }

// lcTax is a taxable event the demo expects.
type lcTax struct {
	Step     int // step number
	List     int // index of the list in the step (0 for a single list)
	ListSeq  int32
	Seq      int32
	Qty      decimal.Decimal
	Value    decimal.Decimal
	Mode     string
	GateDay  int  // the event's date is this day of the month (at the gate) ...
	OnServer bool // ... or the server's today (ClearList, a collective list)
}

// lcModel is the demo's own book of the customs books.
type lcModel struct {
	cast  *lcCast
	stock map[string]map[int32]*lcStock
	trips map[int][]lcQty // goods of each trip
	tday  map[int]int     // day each trip passed the gate
	decl  map[int]bool    // trips declared on a collective list
	taxes []lcTax
}

func newLCModel(c *lcCast) *lcModel {
	m := &lcModel{cast: c, stock: map[string]map[int32]*lcStock{}, trips: map[int][]lcQty{}, tday: map[int]int{}, decl: map[int]bool{}}
	for _, b := range c.Books {
		m.stock[b.No] = map[int32]*lcStock{}
		for _, l := range b.Lines {
			m.stock[b.No][l.Seq] = &lcStock{}
		}
	}
	return m
}

// move adds q (which may be negative) to one bucket; no bucket may go below zero.
func (m *lcModel) move(book string, seq int32, bucket *decimal.Decimal, q decimal.Decimal, what string) error {
	n := bucket.Add(q)
	if n.IsNegative() {
		return fmt.Errorf("%s: line %d of %s would go to %s", what, seq, book, n)
	}
	*bucket = n
	return nil
}

// apply books a whole step as the server will, and records the taxable
// events it raises.
func (m *lcModel) apply(s lcStep) error {
	t := m.cast.T.No
	st := func(seq int32) *lcStock { return m.stock[t][seq] }
	what := fmt.Sprintf("step %d (%s)", s.N, lcFlowNames[s.Kind])
	var err error
	for li, list := range s.Lists {
		for i, q := range list {
			x := st(q.Seq)
			if x == nil {
				return fmt.Errorf("%s: no line %d on %s", what, q.Seq, t)
			}
			seq := int32(i + 1)
			switch s.Kind {
			case lcFirstIn:
				err = m.move(t, q.Seq, &x.Available, q.Qty, what)
			case lcFirstOut:
				err = m.move(t, q.Seq, &x.Available, q.Qty.Neg(), what)
			case lcNonDeclIn:
				err = m.move(t, q.Seq, &x.NonBondedFree, q.Qty, what)
			case lcNonDeclOut:
				err = m.move(t, q.Seq, &x.NonBondedFree, q.Qty.Neg(), what)
			case lcSwitchToBonded, lcSwitchToNonbond:
				from, to := &x.NonBondedFree, &x.Available
				if s.Kind == lcSwitchToNonbond {
					from, to = &x.Available, &x.NonBondedFree
				}
				if !s.Clear {
					to = &x.Inspection
				}
				if err = m.move(t, q.Seq, from, q.Qty.Neg(), what); err == nil {
					err = m.move(t, q.Seq, to, q.Qty, what)
				}
				if err == nil && s.Kind == lcSwitchToNonbond && s.Clear {
					l := m.cast.T.line(q.Seq)
					m.taxes = append(m.taxes, lcTax{Step: s.N, List: li, ListSeq: seq, Seq: q.Seq, Qty: q.Qty, Value: amount(q.Qty, l.Sale), Mode: "5034", OnServer: true})
				}
			case lcTransfer:
				if len(s.Into) != len(list) {
					return fmt.Errorf("%s: %d lines out, %d in", what, len(list), len(s.Into))
				}
				in := s.Into[i]
				if !q.Qty.Mul(m.cast.T.line(q.Seq).Factor).Equal(in.Qty.Mul(m.cast.H.line(in.Seq).Factor)) {
					return fmt.Errorf("%s: line %d does not pair in legal units", what, i+1)
				}
				if err = m.move(t, q.Seq, &x.Available, q.Qty.Neg(), what); err == nil {
					err = m.move(m.cast.H.No, in.Seq, &m.stock[m.cast.H.No][in.Seq].Available, in.Qty, what)
				}
			case lcTrip:
				err = m.move(t, q.Seq, &x.Available, q.Qty.Neg(), what)
			case lcSale:
				if err = m.move(t, q.Seq, &x.Available, q.Qty.Neg(), what); err == nil && !s.Gate {
					err = m.move(t, q.Seq, &x.Reserved, q.Qty, what)
				}
				if err == nil && s.Gate {
					l := m.cast.T.line(q.Seq)
					m.taxes = append(m.taxes, lcTax{Step: s.N, List: li, ListSeq: seq, Seq: q.Seq, Qty: q.Qty, Value: amount(q.Qty, l.Sale), Mode: "0110", GateDay: s.Day})
				}
			case lcSaleRefused:
				if !q.Qty.GreaterThan(x.Available) {
					return fmt.Errorf("%s: %s of line %d is available, the refusal would not happen", what, x.Available, q.Seq)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	switch s.Kind {
	case lcTrip:
		if _, dup := m.trips[s.Trip]; dup || s.Trip < 1 {
			return fmt.Errorf("%s: trip number %d", what, s.Trip)
		}
		m.trips[s.Trip], m.tday[s.Trip] = s.Lists[0], s.Day
	case lcCollective:
		goods := m.collectiveLines(s.Trips)
		for _, n := range s.Trips {
			if _, ok := m.trips[n]; !ok || m.decl[n] {
				return fmt.Errorf("%s: trip %d has not passed or was declared", what, n)
			}
			m.decl[n] = true
		}
		for i, g := range goods {
			m.taxes = append(m.taxes, lcTax{Step: s.N, ListSeq: int32(i + 1), Seq: g.Seq, Qty: g.Qty, Value: g.Value, Mode: "0110", OnServer: true})
		}
	}
	return nil
}

// lcValued is goods with their value.
type lcValued struct {
	Seq        int32
	Qty, Value decimal.Decimal
}

// collectiveLines are the lines of a collective list over trips: per book
// line, the trips' quantities and values (each trip valued to the fen).
func (m *lcModel) collectiveLines(trips []int) []lcValued {
	sum := map[int32]*lcValued{}
	for _, n := range trips {
		for _, q := range m.trips[n] {
			v := sum[q.Seq]
			if v == nil {
				v = &lcValued{Seq: q.Seq}
				sum[q.Seq] = v
			}
			v.Qty = v.Qty.Add(q.Qty)
			v.Value = v.Value.Add(amount(q.Qty, m.cast.T.line(q.Seq).Sale))
		}
	}
	out := make([]lcValued, 0, len(sum))
	for _, v := range sum {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// pendingTrips are the trips not declared on a collective list, in order.
func (m *lcModel) pendingTrips() []int {
	var out []int
	for n := range m.trips {
		if !m.decl[n] {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

// planLogistics plans the logistics centre's month of days days against a
// fresh model, which it returns holding the expected end state.
func planLogistics(c *lcCast, days int) ([]lcStep, *lcModel, error) {
	day := func(f float64) int { return max(1, min(days, int(math.Ceil(f*float64(days))))) }
	q := func(seq int32, s string) lcQty { return lcQty{Seq: seq, Qty: d(s)} }
	one := func(qs ...lcQty) [][]lcQty { return [][]lcQty{qs} }
	boxed := func(s lcStep, plate string) lcStep { // a box truck
		s.Vehicle, s.VehicleKg = plate, d("9800")
		return s
	}
	container := func(s lcStep, plate, owner string, serial int, tare string) lcStep {
		s.Vehicle, s.VehicleKg, s.FrameKg = plate, d("8600"), d("4200")
		s.Container, s.ContainerTare = containerNo(owner, serial), d(tare)
		return s
	}
	steps := []lcStep{
		container(lcStep{Day: day(0.03), Kind: lcFirstIn, Lists: one(q(1, "2400.000"), q(3, "1800"))}, "琼A5K721", "TGH", 305438, "3900"),
		container(lcStep{Day: day(0.10), Kind: lcFirstIn, Lists: one(q(2, "3000"), q(4, "5000"))}, "琼A7M230", "MSK", 481207, "2250"),
		boxed(lcStep{Day: day(0.13), Kind: lcNonDeclIn, Lists: one(q(5, "240"))}, "琼A2D865"),
		boxed(lcStep{Day: day(0.20), Kind: lcTrip, Trip: 1, Lists: one(q(1, "180.500"))}, "琼A6F112"),
		boxed(lcStep{Day: day(0.25), Kind: lcSale, Gate: true, Lists: one(q(3, "360"))}, "琼A3H508"),
		{Day: day(0.30), Kind: lcTransfer, Lists: one(q(4, "1200")), Into: []lcQty{q(1, "1200")}},
		boxed(lcStep{Day: day(0.35), Kind: lcTrip, Trip: 2, Lists: one(q(1, "240.000"))}, "琼A6F112"),
		{Day: day(0.40), Kind: lcSwitchToBonded, Clear: true, Lists: one(q(5, "60"))},
		boxed(lcStep{Day: day(0.45), Kind: lcSale, Gate: true, Lists: one(q(2, "600"))}, "琼A3H508"),
		container(lcStep{Day: day(0.48), Kind: lcFirstIn, HoldKg: d("640"), Lists: one(q(1, "1600.000"))}, "琼A9C417", "TGH", 517926, "2250"),
		boxed(lcStep{Day: day(0.50), Kind: lcTrip, Trip: 3, Lists: one(q(1, "210.250"))}, "琼A6F112"),
		{Day: day(0.55), Kind: lcSwitchToNonbond, Clear: true, Lists: one(q(2, "200"))},
		boxed(lcStep{Day: day(0.60), Kind: lcSale, Gate: true, Lists: [][]lcQty{{q(3, "240")}, {q(2, "300")}}}, "琼A3H508"),
		boxed(lcStep{Day: day(0.65), Kind: lcTrip, Trip: 4, Lists: one(q(1, "300.000"))}, "琼A8B093"),
		{Day: day(0.70), Kind: lcTransfer, Lists: one(q(4, "1500")), Into: []lcQty{q(1, "1500")}},
		{Day: day(0.72), Kind: lcCollective, Trips: []int{1, 2, 3, 4}},
		boxed(lcStep{Day: day(0.75), Kind: lcNonDeclOut, Lists: one(q(5, "120"))}, "琼A2D865"),
		boxed(lcStep{Day: day(0.80), Kind: lcSale, Gate: true, Lists: one(q(1, "400.000"))}, "琼A3H508"),
		boxed(lcStep{Day: day(0.85), Kind: lcTrip, Trip: 5, Lists: one(q(1, "195.750"))}, "琼A6F112"),
		container(lcStep{Day: day(0.90), Kind: lcFirstOut, Country: "VNM", Lists: one(q(5, "60"))}, "琼A7M230", "MSK", 602311, "2250"),
		boxed(lcStep{Day: day(0.95), Kind: lcTrip, Trip: 6, Lists: one(q(1, "260.000"))}, "琼A8B093"),
		{Day: day(1), Kind: lcSale, Gate: false, Lists: one(q(3, "480"))},
		{Day: day(1), Kind: lcSaleRefused, Lists: one(q(3, "1000"))},
		{Day: day(1), Kind: lcSwitchToBonded, Clear: false, Lists: one(q(5, "40"))},
	}
	m := newLCModel(c)
	for i := range steps {
		steps[i].N = i + 1
		if i > 0 && steps[i].Day < steps[i-1].Day {
			return nil, nil, fmt.Errorf("step %d is dated before step %d", i+1, i)
		}
		if err := m.apply(steps[i]); err != nil {
			return nil, nil, err
		}
	}
	return steps, m, nil
}
