package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// The sales and service centre's script is fixed, like the logistics
// centre's. In the month: the warehouse's goods enter on a first-line list
// through the gate, and a bonded display-trading cycle runs under a type-C
// form (goods out, sales taxed against the guarantee, one refused, unsold
// goods back), each movement dated on a day given as a fraction of the
// month. After it, on the server's today (EcommerceService has no business
// date): customs records the display tax paid, and a day of 1210 orders
// goes through the platform. salesModel predicts every outcome: the stock of
// the book, each order's status and reason, each document's answer, the
// settlement and the display form's guarantee.

// orderItem is goods of an order line: a SKU and its quantity.
type orderItem struct {
	SKU *shopSKU
	Qty decimal.Decimal
}

func (i orderItem) total() decimal.Decimal { return amount(i.Qty, i.SKU.Price) }

// shopOrder is one planned order with its three documents.
type shopOrder struct {
	N     int
	No    string
	Buyer *shopBuyer
	// Payer pays instead of the buyer; Proof is the authentication proof
	// that allows it (empty: none).
	Payer *shopBuyer
	Proof string
	Items []orderItem
	// Freight and Discount in CNY (insurance is 0).
	Freight, Discount decimal.Decimal
	// PayShort: the payment slip is this much short of the order's
	// actual paid. WrongPhone: the waybill's consignee has this phone.
	PayShort   decimal.Decimal
	WrongPhone string
	// Batch is 0 for an order sent one document per call, in the arrival
	// order Arrival ("OPW" = order, payment, waybill); else the
	// SubmitDocuments batch it goes in.
	Batch   int
	Arrival string
	// Expect is the stable reason customs answers ("" for a release).
	Expect string
	// Return: the buyer returns the goods (RequestReturn, ReceiveReturn).
	Return bool
	// Note says what the order shows.
	Note string
}

// goods is the order's goods value.
func (o *shopOrder) goods() decimal.Decimal {
	s := decimal.Zero
	for _, it := range o.Items {
		s = s.Add(it.total())
	}
	return s
}

// dutiable is the order's value for the limits and the tax: goods, freight
// and insurance.
func (o *shopOrder) dutiable() decimal.Decimal { return o.goods().Add(o.Freight) }

// pieces is what a quote line states as 件数: the quantity when whole.
func pieces(q decimal.Decimal) int32 {
	if q.IsInteger() && q.LessThan(decimal.NewFromInt(1<<30)) {
		return int32(q.IntPart())
	}
	return 0
}

func (o *shopOrder) describe() string {
	parts := make([]string, len(o.Items))
	for i, it := range o.Items {
		l := it.SKU.Line
		parts[i] = l.Short + " " + fmtLineQty(l, it.Qty)
		if l.Seq == 4 {
			parts[i] = it.SKU.Part[3:] + " " + fmtLineQty(l, it.Qty)
		}
	}
	return strings.Join(parts, ", ")
}

// shopDoc is one document as sent: the order's index and its kind (O, P, W).
type shopDoc struct {
	Order int
	Kind  byte
}

// docAnswer is what the demo expects a document's call to answer.
type docAnswer struct {
	// Order: whether the answer carries the order (unset while the order
	// itself has not arrived); Status its status; Reason the refusal.
	Order  bool
	Status customsv1.OrderStatus
	Reason string
}

// salesScript is the centre's plan.
type salesScript struct {
	Entry   plannedStep
	Display []plannedMove
	// Guarantee of the type-C form; FormFrom/FormUntil its period.
	Guarantee           decimal.Decimal
	FormFrom, FormUntil string
	Orders              []*shopOrder
	// Singles are the documents sent one per call, in order; Batches the
	// SubmitDocuments calls, each a list of documents.
	Singles []shopDoc
	Batches [][]shopDoc
	// SingleAnswers and BatchAnswers are what the model expects each
	// document's call to answer.
	SingleAnswers []docAnswer
	BatchAnswers  [][]docAnswer
}

// plannedMove is a planned display movement.
type plannedMove struct {
	N      int
	Day    int
	Kind   customsv1.DisplayKind
	Lines  []lineQty
	Expect string // "GUARANTEE_EXCEEDED" or ""
	Note   string
}

var reasonGuaranteeExceeded = errorsv1.Reason_GUARANTEE_EXCEEDED.String()

// planSales plans the centre for a month of days days ending on its last
// day; today (the server's, "YYYY-MM-DD") numbers the orders.
func planSales(c *salesCast, year int, month int, days int, today string) (*salesScript, error) {
	day := func(pct int) int { return monthDay(pct, days) }
	q := func(seq int32, s string) lineQty { return lineQty{Seq: seq, Qty: d(s)} }
	s := &salesScript{Guarantee: d("40000.00")}
	s.Entry = plannedStep{N: 101, Day: day(6), Kind: stepFirstIn,
		Lists:   [][]lineQty{{q(1, "1200"), q(2, "800"), q(3, "2000.000"), q(4, "120"), q(5, "40"), q(6, "300")}},
		Vehicle: "琼A8W316", VehicleKg: d("8600"), FrameKg: d("4200"), Container: containerNo("OOL", 720518), ContainerTare: d("3800")}
	// The form runs the quarter from the month's first day: goods still on
	// display after the month are not overdue.
	from := fmt.Sprintf("%04d-%02d-01", year, month)
	s.FormFrom = from
	s.FormUntil = addMonths(from, 3)
	s.Display = []plannedMove{
		{Day: day(8), Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT, Lines: []lineQty{q(5, "24"), q(6, "180")}, Note: "to the showroom (展示厅)"},
		{Day: day(22), Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE, Lines: []lineQty{q(5, "6"), q(6, "48")}, Note: "sold on display"},
		{Day: day(40), Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE, Lines: []lineQty{q(5, "8"), q(6, "60")}, Note: "sold on display"},
		{Day: day(55), Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE, Lines: []lineQty{q(5, "4"), q(6, "30")}, Expect: reasonGuaranteeExceeded,
			Note: "its tax exceeds what the guarantee still covers"},
		{Day: day(90), Kind: customsv1.DisplayKind_DISPLAY_KIND_BACK, Lines: []lineQty{q(5, "8"), q(6, "72")}, Note: "unsold goods back; 2 cameras stay as samples"},
	}
	for i := range s.Display {
		s.Display[i].N = i + 1
	}

	// The orders.
	b := c.Buyers
	item := func(part, qty string) orderItem { return orderItem{SKU: c.sku(part), Qty: d(qty)} }
	items := func(xs ...orderItem) []orderItem { return xs }
	var orders []*shopOrder
	add := func(o *shopOrder) {
		o.N = len(orders) + 1
		o.No = fmt.Sprintf("YF%s%04d", strings.ReplaceAll(today, "-", "")[2:], o.N)
		orders = append(orders, o)
	}
	ten := d("10.00")
	perms := []string{"OPW", "OWP", "POW", "PWO", "WOP", "WPO"}
	single := func(o *shopOrder) {
		o.Arrival = perms[len(orders)%len(perms)]
		add(o)
	}
	single(&shopOrder{Buyer: b["A"], Items: items(item("YF-MILK-800", "2")), Freight: ten})
	single(&shopOrder{Buyer: b["B"], Items: items(item("YF-CREAM-50", "3")), Return: true, Note: "returned later the same day"})
	single(&shopOrder{Buyer: b["C"], Items: items(item("YF-RICE-KG", "15")), Freight: d("12.00"), Note: "rice: 15 of the 20 kg a year"})
	single(&shopOrder{Buyer: b["D"], Items: items(item("YF-MILK-800", "4"), item("YF-CREAM-50", "1")), Freight: d("15.00"), Discount: d("20.00"),
		Note: "two lines share the freight; a 20.00 coupon"})
	single(&shopOrder{Buyer: b["E"], Items: items(item("YF-CREAM-50", "2")), Freight: ten, PayShort: d("1.00"), Expect: errorsv1.Reason_PAYMENT_AMOUNT_MISMATCH.String(),
		Note: "the payment is 1.00 short"})
	single(&shopOrder{Buyer: b["F"], Payer: b["F2"], Items: items(item("YF-MILK-800", "1")), Freight: ten, Expect: errorsv1.Reason_BUYER_PAYER_MISMATCH.String(),
		Note: "paid by the spouse, no proof"})
	single(&shopOrder{Buyer: b["G"], Payer: b["G2"], Proof: "RZ" + strings.ReplaceAll(today, "-", "") + "0731", Items: items(item("YF-MILK-800", "3")), Freight: ten,
		Note: "paid by the spouse, with an identity proof"})
	single(&shopOrder{Buyer: b["H"], Items: items(item("YF-CREAM-50", "1")), Freight: d("8.00"), WrongPhone: "13907141866", Expect: errorsv1.Reason_CONSIGNEE_MISMATCH.String(),
		Note: "the waybill's consignee phone differs"})
	single(&shopOrder{Buyer: b["I"], Items: items(item("YF-NB-14", "2")), Expect: errorsv1.Reason_OVER_SINGLE_LIMIT.String(),
		Note: "two laptops, 5,598.00: over the single limit"})
	single(&shopOrder{Buyer: b["J"], Items: items(item("YF-NB-16X", "1")), Note: "one item over 5,000: full tax, stays in the channel"})
	single(&shopOrder{Buyer: b["K"], Items: items(item("YF-WHISKY-700", "2")), Freight: ten, Expect: errorsv1.Reason_NOT_ON_POSITIVE_LIST.String(),
		Note: "whisky is not on the positive list"})
	single(&shopOrder{Buyer: b["C"], Items: items(item("YF-RICE-KG", "10")), Freight: ten, Expect: errorsv1.Reason_PERSONAL_CAP_EXCEEDED.String(),
		Note: "rice: 15 + 10 kg over the 20 kg cap"})

	// Regular orders of ten buyers, in the two batches.
	combos := [][]orderItem{
		items(item("YF-MILK-800", "2")),
		items(item("YF-CREAM-50", "1"), item("YF-MILK-800", "1")),
		items(item("YF-NB-14", "1")),
		items(item("YF-MILK-800", "3"), item("YF-RICE-KG", "5")),
		items(item("YF-CREAM-50", "2")),
		items(item("YF-MILK-800", "6")),
		items(item("YF-CREAM-50", "4")),
		items(item("YF-NB-14", "1"), item("YF-CREAM-50", "1")),
		items(item("YF-RICE-KG", "5"), item("YF-MILK-800", "2")),
		items(item("YF-MILK-800", "1")),
	}
	pool := []*shopBuyer{b["N"], b["P"], b["Q"], b["R"], b["S"], b["T"], b["A"], b["D"]}
	freights := []decimal.Decimal{ten, decimal.Zero, d("12.50"), d("15.00")}
	regular := 0
	regulars := func(batch, n int) {
		for range n {
			i := regular
			regular++
			o := &shopOrder{Buyer: pool[i%len(pool)], Items: combos[i%len(combos)], Freight: freights[i%len(freights)], Batch: batch}
			if i%7 == 6 {
				o.Discount = d("20.00")
			}
			add(o)
		}
	}
	// Batch 1: buyer M reaches the annual limit exactly (five orders of
	// 5,000.00 and one of 1,000.00, limits inclusive), among regular orders.
	for range 5 {
		add(&shopOrder{Buyer: b["M"], Items: items(item("YF-NB-16P", "1")), Freight: ten, Batch: 1, Note: "5,000.00, at the single limit"})
	}
	regulars(1, 12)
	add(&shopOrder{Buyer: b["M"], Items: items(item("YF-CREAM-50", "2"), item("YF-RICE-KG", "10")), Freight: ten, Batch: 1,
		Note: "1,000.00: the buyer's year reaches 26,000.00"})
	regulars(1, 12)
	// Batch 2: M's next order is over the annual limit; a payer who is not
	// the buyer is refused inside the batch.
	regulars(2, 4)
	add(&shopOrder{Buyer: b["M"], Items: items(item("YF-MILK-800", "1")), Freight: ten, Batch: 2, Expect: errorsv1.Reason_OVER_ANNUAL_LIMIT.String(),
		Note: "over the annual limit (the platform's quote cannot know)"})
	add(&shopOrder{Buyer: b["N"], Payer: b["P"], Items: items(item("YF-CREAM-50", "1")), Freight: ten, Batch: 2, Expect: errorsv1.Reason_BUYER_PAYER_MISMATCH.String(),
		Note: "paid by a friend, no proof"})
	regulars(2, 3)
	s.Orders = orders

	// The documents: singles in their arrival orders; each batch shuffled
	// (platforms send documents as they come), at most 100 a call.
	rng := rand.New(rand.NewPCG(1210, 20261128))
	batches := map[int][]shopDoc{}
	for i, o := range orders {
		if o.Batch == 0 {
			for k := 0; k < 3; k++ {
				s.Singles = append(s.Singles, shopDoc{Order: i, Kind: o.Arrival[k]})
			}
			continue
		}
		batches[o.Batch] = append(batches[o.Batch], shopDoc{Order: i, Kind: 'O'}, shopDoc{Order: i, Kind: 'P'}, shopDoc{Order: i, Kind: 'W'})
	}
	for n := 1; n <= len(batches); n++ {
		docs := batches[n]
		rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		if len(docs) > 100 {
			return nil, fmt.Errorf("batch %d has %d documents; a call takes at most 100", n, len(docs))
		}
		s.Batches = append(s.Batches, docs)
	}
	return s, nil
}

// addMonths is the day before the same day n months later: the last day of
// a period of n months starting on date.
func addMonths(date string, n int) string {
	var y, m, dd int
	fmt.Sscanf(date, "%d-%d-%d", &y, &m, &dd)
	t := time.Date(y, time.Month(m+n), dd, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return t.Format("2006-01-02")
}

// salesModel is the demo's own book of what it filed for the centre: the
// warehouse book's stock per line (available and on display) as of the
// month's end and now, and each buyer's released orders. It copies no
// customs rule: an order's outcome is the one the script intends
// (shopOrder.Expect), which the server's answer must equal.
type salesModel struct {
	cast            *salesCast
	monthEnd, stock map[int32]*shelfStock
	annual          map[string]decimal.Decimal // buyer ID → dutiable value of the released orders
	done            map[int]bool               // orders completed
	onDisplay       map[int32]decimal.Decimal
}

// shelfStock is a line's stock: the bonded account (available) and the
// display bucket.
type shelfStock struct {
	Available, Display decimal.Decimal
}

func newSalesModel(c *salesCast) *salesModel {
	m := &salesModel{cast: c, monthEnd: map[int32]*shelfStock{}, stock: map[int32]*shelfStock{},
		annual: map[string]decimal.Decimal{}, done: map[int]bool{}, onDisplay: map[int32]decimal.Decimal{}}
	for _, l := range c.W.Lines {
		m.monthEnd[l.Seq], m.stock[l.Seq] = &shelfStock{}, &shelfStock{}
	}
	return m
}

// move books qty of a line from one bucket to another ("" is off the book)
// in the views given; no bucket may go below zero.
func (m *salesModel) move(seq int32, from, to string, qty decimal.Decimal, views ...map[int32]*shelfStock) error {
	for _, v := range views {
		st := v[seq]
		if st == nil {
			return fmt.Errorf("no line %d on %s", seq, m.cast.W.No)
		}
		pick := map[string]*decimal.Decimal{"available": &st.Available, "display": &st.Display}
		if f := pick[from]; f != nil {
			if f.LessThan(qty) {
				return fmt.Errorf("line %d: %s %s of %s", seq, qty, from, *f)
			}
			*f = f.Sub(qty)
		}
		if t := pick[to]; t != nil {
			*t = t.Add(qty)
		}
	}
	return nil
}

// entry books the first-line entry (in the month).
func (m *salesModel) entry(s plannedStep) error {
	for _, q := range s.Lists[0] {
		if err := m.move(q.Seq, "", "available", q.Qty, m.monthEnd, m.stock); err != nil {
			return err
		}
	}
	return nil
}

// display books a display movement (in the month) the server accepts.
func (m *salesModel) display(mv plannedMove) error {
	from, to := "available", "display"
	switch mv.Kind {
	case customsv1.DisplayKind_DISPLAY_KIND_SALE:
		from, to = "display", ""
	case customsv1.DisplayKind_DISPLAY_KIND_BACK:
		from, to = "display", "available"
	}
	for _, q := range mv.Lines {
		if mv.Kind != customsv1.DisplayKind_DISPLAY_KIND_OUT && q.Qty.GreaterThan(m.onDisplay[q.Seq]) {
			return fmt.Errorf("movement %d: %s of line %d, %s on display", mv.N, q.Qty, q.Seq, m.onDisplay[q.Seq])
		}
		if err := m.move(q.Seq, from, to, q.Qty, m.monthEnd, m.stock); err != nil {
			return fmt.Errorf("movement %d: %w", mv.N, err)
		}
		if mv.Kind == customsv1.DisplayKind_DISPLAY_KIND_OUT {
			m.onDisplay[q.Seq] = m.onDisplay[q.Seq].Add(q.Qty)
		} else {
			m.onDisplay[q.Seq] = m.onDisplay[q.Seq].Sub(q.Qty)
		}
	}
	return nil
}

// complete books an order whose three documents have arrived: a release
// takes its goods from the available stock.
func (m *salesModel) complete(o *shopOrder) error {
	m.done[o.N] = true
	if o.Expect != "" {
		return nil
	}
	for _, it := range o.Items {
		if err := m.move(it.SKU.Line.Seq, "available", "", it.Qty, m.stock); err != nil {
			return fmt.Errorf("order %s: %w", o.No, err)
		}
	}
	m.annual[o.Buyer.ID] = m.annual[o.Buyer.ID].Add(o.dutiable())
	return nil
}

// giveBack books a return received: the goods back in bonded stock.
func (m *salesModel) giveBack(o *shopOrder) {
	for _, it := range o.Items {
		_ = m.move(it.SKU.Line.Seq, "", "available", it.Qty, m.stock)
	}
	m.annual[o.Buyer.ID] = m.annual[o.Buyer.ID].Sub(o.dutiable())
}

// answers predicts what each document's call answers, in sending order:
// no order while the order has not arrived, PENDING while a document is
// missing, and the outcome (RELEASED, or the refusal) on the document that
// completes the order (the script's intended outcome).
func (m *salesModel) answers(orders []*shopOrder, docs []shopDoc) ([]docAnswer, error) {
	seen := map[int]string{}
	out := make([]docAnswer, len(docs))
	for i, dc := range docs {
		seen[dc.Order] += string(dc.Kind)
		o := orders[dc.Order]
		switch {
		case len(seen[dc.Order]) == 3:
			if err := m.complete(o); err != nil {
				return nil, err
			}
			if o.Expect != "" {
				out[i] = docAnswer{Reason: o.Expect}
			} else {
				out[i] = docAnswer{Order: true, Status: customsv1.OrderStatus_ORDER_STATUS_RELEASED}
			}
		case strings.ContainsRune(seen[dc.Order], 'O'):
			out[i] = docAnswer{Order: true, Status: customsv1.OrderStatus_ORDER_STATUS_PENDING}
		}
	}
	return out, nil
}

// check fails unless every order is completed, and a batch's outcomes do
// not depend on the order in which customs takes its orders (it may take
// them concurrently).
func (s *salesScript) check(m *salesModel) error {
	for _, o := range s.Orders {
		if !m.done[o.N] {
			return fmt.Errorf("order %s was never completed", o.No)
		}
	}
	for bi, docs := range s.Batches {
		byBuyer := map[string]int{}
		for _, dc := range docs {
			if dc.Kind == 'O' {
				byBuyer[s.Orders[dc.Order].Buyer.ID]++
			}
		}
		orderDependent := map[string]bool{errorsv1.Reason_PERSONAL_CAP_EXCEEDED.String(): true, errorsv1.Reason_OVER_ANNUAL_LIMIT.String(): true, errorsv1.Reason_INSUFFICIENT_STOCK.String(): true}
		for _, dc := range docs {
			o := s.Orders[dc.Order]
			if dc.Kind == 'O' && byBuyer[o.Buyer.ID] > 1 && orderDependent[o.Expect] {
				return fmt.Errorf("batch %d: order %s is refused while its buyer has other orders in the batch: the outcome would depend on customs' order", bi+1, o.No)
			}
		}
	}
	return nil
}

// predictSales plans the centre and runs the model over the whole script.
func predictSales(c *salesCast, year, month, days int, today string) (*salesScript, *salesModel, error) {
	s, err := planSales(c, year, month, days, today)
	if err != nil {
		return nil, nil, err
	}
	m := newSalesModel(c)
	if err := m.entry(s.Entry); err != nil {
		return nil, nil, err
	}
	for _, mv := range s.Display {
		if mv.Expect != "" {
			continue
		}
		if err := m.display(mv); err != nil {
			return nil, nil, err
		}
	}
	if s.SingleAnswers, err = m.answers(s.Orders, s.Singles); err != nil {
		return nil, nil, err
	}
	for _, b := range s.Batches {
		as, err := m.answers(s.Orders, b)
		if err != nil {
			return nil, nil, err
		}
		s.BatchAnswers = append(s.BatchAnswers, as)
	}
	for _, o := range s.Orders {
		if o.Return {
			if o.Expect != "" {
				return nil, nil, fmt.Errorf("order %s is returned but not released", o.No)
			}
			m.giveBack(o)
		}
	}
	if err := s.check(m); err != nil {
		return nil, nil, err
	}
	return s, m, nil
}
