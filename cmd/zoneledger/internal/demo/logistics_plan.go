package demo

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// The logistics centre's month is a fixed script (the seed varies the
// ledger part of the demo, not this one): about two dozen business steps,
// each on a day given as a fraction of the month so that a shorter month
// (--days) still has every kind of step. The script is planned against
// logisticsModel, the demo's own stock book of the customs books, which predicts
// the stock report (as of the month's last day, and now), the taxable
// events and the pending trips the server must show at the end. Each step's
// lists are dated on its day, so all their journals fall in the month.

type stepKind int

const (
	stepFirstIn         stepKind = iota // 一线入区: list I 5034, type-2 pass, gate
	stepFirstOut                        // 一线出区: list E 5034 (reserved), type-2 pass, gate
	stepNonDeclIn                       // 非报关入区: 是否报关 2, type-4 pass
	stepNonDeclOut                      // 非报关出区: 是否报关 2 (non-bonded reserved), type-4 pass
	stepSwitchToBonded                  // 区内直转 non-bonded → bonded: 清单类型 Z, ClearList
	stepSwitchToNonbond                 // 区内直转 bonded → non-bonded: 清单类型 Z, ClearList, taxable
	stepTransfer                        // 区内流转: paired 清单类型 6 lists, one journal across both books
	stepTrip                            // 分送集报 trip: slip, type-3 pass, gate
	stepCollective                      // 分送集报 collective list (清单类型 1) over trips
	stepSale                            // 二线出区 内销: E 0110 lists, type-3 pass, taxable at the gate
	stepSaleRefused                     // 内销 declared beyond the available stock: refused, draft deleted
	stepEcomExitRefused                 // 1210 goods out on an ordinary list: refused (they leave on inventory lists)
)

var stepNames = map[stepKind]string{
	stepFirstIn:         "一线入区 entry from abroad",
	stepFirstOut:        "一线出区 export",
	stepNonDeclIn:       "非报关入区 non-bonded in",
	stepNonDeclOut:      "非报关出区 non-bonded out",
	stepSwitchToBonded:  "区内直转 → bonded",
	stepSwitchToNonbond: "区内直转 → non-bonded",
	stepTransfer:        "区内流转 transfer",
	stepTrip:            "分送集报 trip",
	stepCollective:      "分送集报 collective list",
	stepSale:            "二线出区 内销 domestic sale",
	stepSaleRefused:     "内销 beyond stock",
	stepEcomExitRefused: "1210 exit on a 核注清单",
}

// lineQty is a quantity of a book line, in its declared unit.
type lineQty struct {
	Seq int32
	Qty decimal.Decimal
}

// plannedStep is one business step of the month.
type plannedStep struct {
	N    int // 1, 2, ... in script order
	Day  int // day of the month; the date of its gate event, if any
	Kind stepKind
	// Lists are the goods, one element per verification list (a sale may
	// put several lists on one vehicle); trips and transfers have one.
	Lists [][]lineQty
	// Into are the receiving book's lines of a transfer, paired one to one
	// with Lists[0].
	Into []lineQty
	// Trip numbers a trip (1, 2, ...); Trips are the trips a collective
	// list declares.
	Trip  int
	Trips []int
	// Consignment: the sale shows the 50-CNY duty de-minimis judged on the
	// consignment (一票), not per line: each line owes less, the list more.
	Consignment bool
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

// lineStock is one book line's stock as the server's stock report shows it,
// kept by the demo: Available (the bonded account), Reserved, NonBondedFree
// (the nonbonded account) and NBReserved, Inspection.
type lineStock struct {
	Available, Reserved, NonBondedFree, NBReserved, Inspection decimal.Decimal
}

func (s lineStock) Bonded() decimal.Decimal    { return s.Available.Add(s.Reserved) }
func (s lineStock) NonBonded() decimal.Decimal { return s.NonBondedFree.Add(s.NBReserved) }

// columns are the stock report's quantities of the line, by column name.
func (s lineStock) columns() map[string]decimal.Decimal {
	return map[string]decimal.Decimal{"bonded": s.Bonded(), "available": s.Available, "reserved": s.Reserved,
		"non-bonded": s.NonBonded(), "non-bonded reserved": s.NBReserved, "inspection": s.Inspection}
}

// stockBucket is where a quantity of a book line is: one of the stock
// report's buckets, or off the book (abroad, domestic, outside, or the
// other book of a transfer).
type stockBucket int

const (
	bucketOff stockBucket = iota
	bucketAvailable
	bucketReserved
	bucketNonBondedFree
	bucketNBReserved
	bucketInspection
)

var bucketNames = map[stockBucket]string{bucketAvailable: "available", bucketReserved: "reserved", bucketNonBondedFree: "non-bonded",
	bucketNBReserved: "non-bonded reserved", bucketInspection: "inspection"}

func (s *lineStock) bucket(b stockBucket) *decimal.Decimal {
	return [...]*decimal.Decimal{bucketOff: nil, bucketAvailable: &s.Available, bucketReserved: &s.Reserved,
		bucketNonBondedFree: &s.NonBondedFree, bucketNBReserved: &s.NBReserved, bucketInspection: &s.Inspection}[b]
}

// bucketMove is what one journal does to one book line, as the demo models it.
type bucketMove struct {
	Book     string
	Seq      int32
	From, To stockBucket
	Qty      decimal.Decimal
	// Reserve: a list's reservation on declaration (预核扣).
	Reserve bool
	// Late: booked on the server's today, after the month (the release of
	// a held vehicle); every other move is booked on its step's day.
	Late bool
}

// stockBooks is the demo's stock of both customs books, per book and line.
type stockBooks map[string]map[int32]*lineStock

func newStockBooks(c *logisticsCast) stockBooks {
	b := stockBooks{}
	for _, bk := range c.Books {
		b[bk.No] = map[int32]*lineStock{}
		for _, l := range bk.Lines {
			b[bk.No][l.Seq] = &lineStock{}
		}
	}
	return b
}

// book applies a move; no bucket may go below zero.
func (b stockBooks) book(mv bucketMove, what string) error {
	x := b[mv.Book][mv.Seq]
	if x == nil {
		return fmt.Errorf("%s: no line %d on %s", what, mv.Seq, mv.Book)
	}
	if from := x.bucket(mv.From); from != nil {
		n := from.Sub(mv.Qty)
		if n.IsNegative() {
			return fmt.Errorf("%s: %s of line %d of %s would go to %s", what, bucketNames[mv.From], mv.Seq, mv.Book, n)
		}
		*from = n
	}
	if to := x.bucket(mv.To); to != nil {
		*to = to.Add(mv.Qty)
	}
	return nil
}

// expectedTax is a taxable event the demo expects.
type expectedTax struct {
	Step    int // step number
	List    int // index of the list in the step (0 for a single list)
	ListSeq int32
	Seq     int32
	Qty     decimal.Decimal
	Value   decimal.Decimal
	Mode    string
	Day     int  // the event's date is this day of the month ...
	Late    bool // ... or the server's today (see logisticsModel.apply)
}

// logisticsModel is the demo's own book of the customs books, in two views: now
// (every journal) and as of the month's last day (every journal but those
// booked on the server's today).
type logisticsModel struct {
	cast            *logisticsCast
	stock, monthEnd stockBooks
	// lateIn: buckets that received goods on the server's today. A list
	// dated in the month cannot reserve from them any more: the server
	// refuses a back-dated list whose goods came into their bucket after
	// its date, lest the stock as of its date show the reservation before
	// the goods.
	lateIn map[lateKey]bool
	trips  map[int][]lineQty // goods of each trip
	tday   map[int]int       // day each trip passed the gate
	decl   map[int]bool      // trips declared on a collective list
	taxes  []expectedTax
}

func newLogisticsModel(c *logisticsCast) *logisticsModel {
	return &logisticsModel{cast: c, stock: newStockBooks(c), monthEnd: newStockBooks(c), lateIn: map[lateKey]bool{},
		trips: map[int][]lineQty{}, tday: map[int]int{}, decl: map[int]bool{}}
}

// lateKey is a bucket of a book line.
type lateKey struct {
	Book   string
	Seq    int32
	Bucket stockBucket
}

// moves are what a step books, in order: the lists' own journals
// (reservation on declaration, status switch, transfer) on the step's day,
// which is the lists' business date; the gate's journal on the gate
// event's day, the same day, unless the vehicle is held: then customs
// releases it, and it is booked, on the server's today.
func (m *logisticsModel) moves(s plannedStep) ([]bucketMove, error) {
	t, h := m.cast.T.No, m.cast.H.No
	held := s.HoldKg.IsPositive()
	var out []bucketMove
	mv := func(book string, seq int32, from, to stockBucket, q decimal.Decimal, late bool) {
		out = append(out, bucketMove{Book: book, Seq: seq, From: from, To: to, Qty: q, Late: late})
	}
	reserve := func(seq int32, from, to stockBucket, q decimal.Decimal) {
		out = append(out, bucketMove{Book: t, Seq: seq, From: from, To: to, Qty: q, Reserve: true})
	}
	for _, list := range s.Lists {
		for i, q := range list {
			switch s.Kind {
			case stepFirstIn, stepTrip:
				from, to := bucketOff, bucketAvailable
				if s.Kind == stepTrip {
					from, to = bucketAvailable, bucketOff
				}
				mv(t, q.Seq, from, to, q.Qty, held)
			case stepNonDeclIn:
				mv(t, q.Seq, bucketOff, bucketNonBondedFree, q.Qty, held)
			case stepFirstOut, stepSale:
				reserve(q.Seq, bucketAvailable, bucketReserved, q.Qty)
				if s.Kind == stepFirstOut || s.Gate {
					mv(t, q.Seq, bucketReserved, bucketOff, q.Qty, held)
				}
			case stepNonDeclOut:
				reserve(q.Seq, bucketNonBondedFree, bucketNBReserved, q.Qty)
				mv(t, q.Seq, bucketNBReserved, bucketOff, q.Qty, held)
			case stepSwitchToBonded, stepSwitchToNonbond:
				from, to := bucketNonBondedFree, bucketAvailable
				if s.Kind == stepSwitchToNonbond {
					from, to = bucketAvailable, bucketNonBondedFree
				}
				reserve(q.Seq, from, bucketInspection, q.Qty)
				if s.Clear {
					mv(t, q.Seq, bucketInspection, to, q.Qty, false)
				}
			case stepTransfer:
				if len(s.Into) != len(list) {
					return nil, fmt.Errorf("%d lines out, %d in", len(list), len(s.Into))
				}
				in := s.Into[i]
				if !q.Qty.Mul(m.cast.T.line(q.Seq).Factor).Equal(in.Qty.Mul(m.cast.H.line(in.Seq).Factor)) {
					return nil, fmt.Errorf("line %d does not pair in legal units", i+1)
				}
				reserve(q.Seq, bucketAvailable, bucketReserved, q.Qty)
				mv(t, q.Seq, bucketReserved, bucketOff, q.Qty, false)
				mv(h, in.Seq, bucketOff, bucketAvailable, in.Qty, false)
			}
		}
	}
	return out, nil
}

// apply books a whole step as the server will, in both views, and records
// the taxable events it raises.
func (m *logisticsModel) apply(s plannedStep) error {
	t := m.cast.T.No
	what := fmt.Sprintf("step %d (%s)", s.N, stepNames[s.Kind])
	for _, list := range s.Lists {
		for _, q := range list {
			if m.stock[t][q.Seq] == nil {
				return fmt.Errorf("%s: no line %d on %s", what, q.Seq, t)
			}
		}
	}
	if s.Kind == stepSaleRefused {
		// The server refuses against the stock it holds at the time.
		for _, q := range s.Lists[0] {
			if x := m.stock[t][q.Seq]; !q.Qty.GreaterThan(x.Available) {
				return fmt.Errorf("%s: %s of line %d is available, the refusal would not happen", what, x.Available, q.Seq)
			}
			if m.lateIn[lateKey{t, q.Seq, bucketAvailable}] {
				return fmt.Errorf("%s: line %d received goods on the server's today; the list would be refused for its date, not its quantity", what, q.Seq)
			}
		}
	}
	moves, err := m.moves(s)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, mv := range moves {
		if mv.Reserve && m.lateIn[lateKey{mv.Book, mv.Seq, mv.From}] {
			return fmt.Errorf("%s: line %d of %s received goods on the server's today (a held vehicle's release); a list dated in the month cannot reserve from it",
				what, mv.Seq, mv.Book)
		}
		if mv.Late && mv.To != bucketOff {
			m.lateIn[lateKey{mv.Book, mv.Seq, mv.To}] = true
		}
		if err := m.stock.book(mv, what); err != nil {
			return err
		}
		if mv.Late {
			continue
		}
		if err := m.monthEnd.book(mv, what+", as of the month's end"); err != nil {
			return err
		}
	}
	for li, list := range s.Lists {
		for i, q := range list {
			l := m.cast.T.line(q.Seq)
			tax := expectedTax{Step: s.N, List: li, ListSeq: int32(i + 1), Seq: q.Seq, Qty: q.Qty, Value: amount(q.Qty, l.Sale), Day: s.Day}
			switch {
			case s.Kind == stepSwitchToNonbond && s.Clear:
				tax.Mode = "5034"
			case s.Kind == stepSale && s.Gate:
				tax.Mode, tax.Late = "0110", s.HoldKg.IsPositive()
			default:
				continue
			}
			m.taxes = append(m.taxes, tax)
		}
	}
	switch s.Kind {
	case stepTrip:
		if _, dup := m.trips[s.Trip]; dup || s.Trip < 1 {
			return fmt.Errorf("%s: trip number %d", what, s.Trip)
		}
		if s.HoldKg.IsPositive() {
			return fmt.Errorf("%s: a held trip would pass on the server's today, after the month", what)
		}
		m.trips[s.Trip], m.tday[s.Trip] = s.Lists[0], s.Day
	case stepCollective:
		goods := m.collectiveLines(s.Trips)
		for _, n := range s.Trips {
			if _, ok := m.trips[n]; !ok || m.decl[n] || m.tday[n] > s.Day {
				return fmt.Errorf("%s: trip %d has not passed or was declared", what, n)
			}
			m.decl[n] = true
		}
		// A collective list's taxable events are dated on its business date.
		for i, g := range goods {
			m.taxes = append(m.taxes, expectedTax{Step: s.N, ListSeq: int32(i + 1), Seq: g.Seq, Qty: g.Qty, Value: g.Value, Mode: "0110", Day: s.Day})
		}
	}
	return nil
}

// valuedQty is goods with their value.
type valuedQty struct {
	Seq        int32
	Qty, Value decimal.Decimal
}

// collectiveLines are the lines of a collective list over trips: per book
// line, the trips' quantities and values (each trip valued to the fen).
func (m *logisticsModel) collectiveLines(trips []int) []valuedQty {
	sum := map[int32]*valuedQty{}
	for _, n := range trips {
		for _, q := range m.trips[n] {
			v := sum[q.Seq]
			if v == nil {
				v = &valuedQty{Seq: q.Seq}
				sum[q.Seq] = v
			}
			v.Qty = v.Qty.Add(q.Qty)
			v.Value = v.Value.Add(amount(q.Qty, m.cast.T.line(q.Seq).Sale))
		}
	}
	out := make([]valuedQty, 0, len(sum))
	for _, v := range sum {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// pendingTrips are the trips not declared on a collective list, in order.
func (m *logisticsModel) pendingTrips() []int {
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
func planLogistics(c *logisticsCast, days int) ([]plannedStep, *logisticsModel, error) {
	day := func(pct int) int { return monthDay(pct, days) }
	q := func(seq int32, s string) lineQty { return lineQty{Seq: seq, Qty: d(s)} }
	one := func(qs ...lineQty) [][]lineQty { return [][]lineQty{qs} }
	boxed := func(s plannedStep, plate string) plannedStep { // a box truck
		s.Vehicle, s.VehicleKg = plate, d("9800")
		return s
	}
	container := func(s plannedStep, plate, owner string, serial int, tare string) plannedStep {
		s.Vehicle, s.VehicleKg, s.FrameKg = plate, d("8600"), d("4200")
		s.Container, s.ContainerTare = containerNo(owner, serial), d(tare)
		return s
	}
	steps := []plannedStep{
		container(plannedStep{Day: day(3), Kind: stepFirstIn, Lists: one(q(1, "2400.000"), q(3, "1800"))}, "琼A5K721", "TGH", 305438, "3900"),
		container(plannedStep{Day: day(10), Kind: stepFirstIn, Lists: one(q(2, "3000"), q(4, "5000"))}, "琼A7M230", "MSK", 481207, "2250"),
		boxed(plannedStep{Day: day(13), Kind: stepNonDeclIn, Lists: one(q(5, "240"))}, "琼A2D865"),
		boxed(plannedStep{Day: day(20), Kind: stepTrip, Trip: 1, Lists: one(q(1, "180.500"))}, "琼A6F112"),
		boxed(plannedStep{Day: day(25), Kind: stepSale, Gate: true, Lists: one(q(3, "360"))}, "琼A3H508"),
		{Day: day(30), Kind: stepTransfer, Lists: one(q(4, "1200")), Into: []lineQty{q(1, "1200")}},
		boxed(plannedStep{Day: day(35), Kind: stepTrip, Trip: 2, Lists: one(q(1, "240.000"))}, "琼A6F112"),
		{Day: day(40), Kind: stepSwitchToBonded, Clear: true, Lists: one(q(5, "60"))},
		boxed(plannedStep{Day: day(45), Kind: stepSale, Gate: true, Lists: one(q(2, "600"))}, "琼A3H508"),
		boxed(plannedStep{Day: day(50), Kind: stepTrip, Trip: 3, Lists: one(q(1, "210.250"))}, "琼A6F112"),
		{Day: day(55), Kind: stepSwitchToNonbond, Clear: true, Lists: one(q(2, "200"))},
		boxed(plannedStep{Day: day(60), Kind: stepSale, Gate: true, Lists: [][]lineQty{{q(3, "240")}, {q(2, "300")}}}, "琼A3H508"),
		// 1210 (保税电商) goods cannot leave on an ordinary list: the server
		// refuses, they leave only on EcommerceService inventory lists.
		{Day: day(62), Kind: stepEcomExitRefused, Lists: one(q(1, "12.000"))},
		// One list of three lines, each owing under 50 CNY duty (sample
		// tariff): the consignment owes more, so duty is charged.
		boxed(plannedStep{Day: day(62), Kind: stepSale, Gate: true, Consignment: true, Lists: one(q(1, "1.000"), q(2, "2"), q(3, "3"))}, "琼A3H508"),
		boxed(plannedStep{Day: day(65), Kind: stepTrip, Trip: 4, Lists: one(q(1, "300.000"))}, "琼A8B093"),
		{Day: day(70), Kind: stepTransfer, Lists: one(q(4, "1500")), Into: []lineQty{q(1, "1500")}},
		{Day: day(72), Kind: stepCollective, Trips: []int{1, 2, 3, 4}},
		boxed(plannedStep{Day: day(75), Kind: stepNonDeclOut, Lists: one(q(5, "120"))}, "琼A2D865"),
		boxed(plannedStep{Day: day(80), Kind: stepSale, Gate: true, Lists: one(q(1, "400.000"))}, "琼A3H508"),
		boxed(plannedStep{Day: day(85), Kind: stepTrip, Trip: 5, Lists: one(q(1, "195.750"))}, "琼A6F112"),
		container(plannedStep{Day: day(90), Kind: stepFirstOut, Country: "VNM", Lists: one(q(5, "60"))}, "琼A7M230", "MSK", 602311, "2250"),
		boxed(plannedStep{Day: day(95), Kind: stepTrip, Trip: 6, Lists: one(q(1, "260.000"))}, "琼A8B093"),
		// Held at the gate and released by customs on the server's today, so
		// booked after the month: it comes after the month's last 奶粉 list,
		// which could not reserve, on an earlier date, goods of a line that
		// received goods later (see logisticsModel.lateIn).
		container(plannedStep{Day: day(97), Kind: stepFirstIn, HoldKg: d("640"), Lists: one(q(1, "1600.000"))}, "琼A9C417", "TGH", 517926, "2250"),
		{Day: day(100), Kind: stepSale, Gate: false, Lists: one(q(3, "480"))},
		{Day: day(100), Kind: stepSaleRefused, Lists: one(q(3, "1000"))},
		{Day: day(100), Kind: stepSwitchToBonded, Clear: false, Lists: one(q(5, "40"))},
	}
	m := newLogisticsModel(c)
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
