package bench

// The ecommerce workload (issue #5): cross-border e-commerce bonded import
// (1210) from a zone warehouse, measured as orders per second from the
// arrival of an order's three documents (订单, 支付单, 运单) to its released,
// taxed, stock-deducted inventory list.
//
// Set-up, all over gRPC as the zone's actors would do it: the admin registers
// a warehouse enterprise and an e-commerce enterprise and creates a warehouse
// principal, a customs principal and a platform principal linked to the
// e-commerce enterprise; the warehouse registers a logistics (T…W) book with
// one line per SKU (five HS codes of the sample positive list and tariff,
// none with a per-person cap) and maps a part number onto each; the goods
// come in from abroad on one first-line entry list (5034, declared, approved
// by customs) on a type-2 pass whose vehicle customs weighs at the gate;
// customs registers the channel; the platform asks TaxService/Quote
// (CROSS_BORDER_RETAIL) for the tax of every SKU and quantity an order may
// have, since prices are fixed.
//
// Load: every order has one line of 1 to 3 pieces; 20 % of the orders take
// one of 5 hot SKUs, the rest one of the other SKUs. Buyers are distinct
// 身份证 numbers of the run; each buyer orders at most ecomOrdersPerBuyer times,
// so no buyer nears the 26,000 CNY annual limit. The three documents of an
// order arrive in random order, either one per call (--batch 1) or, with
// --batch N, the documents of N/3 orders shuffled together in one
// SubmitDocuments call.
//
// Verification after the load: the guarantor's settlement (GetSettlement)
// lists exactly the orders the bench saw RELEASED, with the tax the bench
// withheld, and the warehouse's stock (GetStockReport) went down, line by
// line, by exactly the quantities of those orders, with nothing reserved.

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/codes"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// Shape of the ecommerce workload.
const (
	ecomDefaultSKUs = 200
	ecomHotSKUs     = 5    // the first SKUs of the catalogue
	ecomHotShare    = 0.20 // share of the orders on a hot SKU
	ecomMaxQty      = 3    // pieces per order: 1 to ecomMaxQty
	ecomFreightFen  = 1000 // 10.00 CNY freight on every order
	ecomDiscountFen = 500  // 5.00 CNY coupon on one order in four
	// ecomOrdersPerBuyer bounds how often one buyer orders: the dearest
	// order is 3 × 1,499.00 + 10.00 = 4,507 CNY (under the 5,000 single
	// limit), so a buyer's year stays under 26,000 CNY.
	ecomOrdersPerBuyer = 5
	// ecomBuyerWindow is how many buyers take turns before one orders
	// again: the orders of one buyer are never in flight together.
	ecomBuyerWindow = 10000
	// ecomMaxRate sizes the warehouse's stock: every line holds enough for
	// ecomMaxRate orders a second, all of a hot SKU's share, over the run
	// plus half a minute. A server faster than that would run a hot SKU
	// out and see INSUFFICIENT_STOCK refusals, counted as errors.
	ecomMaxRate = 20000
)

// ecomCategory is a kind of goods on the sample positive list and tariff.
type ecomCategory struct {
	hs, name, unit, legalUnit, factor string
	minFen, spanFen                   int64 // prices: minFen + (i·7919 mod spanFen), fen
}

var ecomCategories = []ecomCategory{
	{"3304990099", "面霜", "007", "035", "0.05", 8900, 51000},      // cosmetics: consumption tax
	{"8471300000", "笔记本电脑", "001", "001", "1", 99900, 50000},     // portable computers
	{"8525890000", "运动相机", "001", "001", "1", 59900, 90000},      // cameras
	{"1901101000", "婴幼儿配方奶粉", "122", "035", "0.8", 19900, 30000}, // infant formula, 800 g a tin
	{"8516500000", "微波炉", "001", "001", "1", 39900, 60000},       // microwave ovens
}

// ecomSKU is one SKU: a line of the warehouse book and its part number.
type ecomSKU struct {
	seq        int32
	part, name string
	cat        *ecomCategory
	priceFen   int64
	taxFen     [ecomMaxQty]int64 // tax withheld on an order of q+1 pieces
}

// ecomTarget is what the set-up made.
type ecomTarget struct {
	run      string
	tag      int    // 5 digits of the run in the buyers' ID numbers
	date     string // the zone's business date, YYYY-MM-DD (UTC+8)
	ebc      string // the e-commerce enterprise's USCC, also the guarantor
	book     string // the warehouse's book
	platform string // token of the platform linked to ebc
	customs  string // token of the bench's customs principal
	skus     []ecomSKU
	stock    int64           // pieces per line brought in
	before   map[int32]int64 // bonded pieces per line before the load
	seq      atomic.Int64    // orders generated
}

// EcomDetails are the ecommerce workload's figures beyond the common ones.
type EcomDetails struct {
	DocumentsPerCall int
	Calls            int64 // calls completed in the window
	SKUs             int
	Stock            int64 // pieces per SKU brought in
	// Released is every order answered RELEASED, the warm-up's and the
	// ones completed after the window included: what the verification
	// compares with the server.
	Released int64
	Tail     int64 // orders completed after the window
	Verified bool

	tally  *ecomTally
	target *ecomTarget
}

// ecomTally is what the clients saw released.
type ecomTally struct {
	orders map[string]int64 // order no -> tax withheld, fen
	qty    map[int32]int64  // book line -> pieces released
}

// ecomOrder is one generated order and its three documents.
type ecomOrder struct {
	no      string
	sku     *ecomSKU
	qty     int
	taxFen  int64
	order   *customsv1.SubmitOrderRequest
	payment *customsv1.SubmitPaymentRequest
	waybill *customsv1.SubmitWaybillRequest
}

func fen(f int64) string { return fmt.Sprintf("%d.%02d", f/100, f%100) }

func parseFen(s string) (int64, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return 0, err
	}
	if !d.Mul(decimal.NewFromInt(100)).IsInteger() {
		return 0, fmt.Errorf("%q is not to the fen", s)
	}
	return d.Mul(decimal.NewFromInt(100)).IntPart(), nil
}

// idNumber makes an 18-character 身份证 number from its first 17 digits and
// their check character (codes.IDCheckChar); first17 is always 17 digits.
func idNumber(first17 string) string {
	c, err := codes.IDCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func uscc(first17 string) (string, error) {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		return "", err
	}
	return first17 + string(c), nil
}

// ecomStock is how many pieces of each SKU the warehouse brings in.
func ecomStock(cfg *Config) int64 {
	secs := (cfg.Warmup + cfg.Duration).Seconds() + 30
	return max(1000, int64(math.Ceil(ecomMaxRate*secs*ecomHotShare/ecomHotSKUs*ecomMaxQty)))
}

func setupEcom(ctx context.Context, conn *grpc.ClientConn, adminToken string, cfg *Config) (*ecomTarget, error) {
	now := time.Now()
	rng := rand.New(rand.NewPCG(uint64(now.UnixNano()), 0x5eed))
	run := strconv.FormatInt(now.UnixNano(), 36)
	t := &ecomTarget{run: run, tag: rng.IntN(100000), stock: ecomStock(cfg),
		date: cfg.today()}
	admin := adminv1.NewAdminServiceClient(conn)
	books := customsv1.NewBookServiceClient(conn)
	decl := customsv1.NewDeclarationServiceClient(conn)
	gate := customsv1.NewGateServiceClient(conn)
	ecom := customsv1.NewEcommerceServiceClient(conn)
	taxc := customsv1.NewTaxServiceClient(conn)

	// Enterprises (Haikou, 460100) and principals.
	org := rng.IntN(100000000)
	wh, err := uscc(fmt.Sprintf("91460100%08d0", org))
	if err != nil {
		return nil, err
	}
	if t.ebc, err = uscc(fmt.Sprintf("91460100%08d1", org)); err != nil {
		return nil, err
	}
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	code := make([]byte, 5)
	for i := range code {
		code[i] = alnum[rng.IntN(len(alnum))]
	}
	t.book = fmt.Sprintf("T4601W%06d", rng.IntN(1000000))
	c, cancel := as(ctx, adminToken)
	defer cancel()
	for i, e := range []struct{ uscc, name string }{{wh, "bench bonded warehouse " + run}, {t.ebc, "bench cross-border shop " + run}} {
		if _, err := books.RegisterEnterprise(c, &customsv1.RegisterEnterpriseRequest{Uscc: e.uscc, CustomsCode: fmt.Sprintf("4601%s%d", code, i), Name: e.name}); err != nil {
			return nil, fmt.Errorf("registering enterprise %s (is --token an admin token?): %w", e.uscc, err)
		}
	}
	principal := func(req *adminv1.CreatePrincipalRequest) (string, error) { return newPrincipal(c, admin, req) }
	whTok, err := principal(&adminv1.CreatePrincipalRequest{PrincipalId: "bench-warehouse-" + run, DisplayName: "bench warehouse",
		Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: wh})
	if err != nil {
		return nil, err
	}
	if t.customs, err = principal(&adminv1.CreatePrincipalRequest{PrincipalId: "bench-customs-" + run, DisplayName: "bench customs",
		Role: adminv1.Role_ROLE_CUSTOMS}); err != nil {
		return nil, err
	}
	if t.platform, err = principal(&adminv1.CreatePrincipalRequest{PrincipalId: "bench-platform-" + run, DisplayName: "bench platform",
		Role: adminv1.Role_ROLE_PLATFORM, LinkedEnterpriseIds: []string{t.ebc}}); err != nil {
		return nil, err
	}

	// The warehouse's book: one line per SKU, a part number on each.
	t.skus = make([]ecomSKU, cfg.SKUs)
	lines := make([]*customsv1.BookLine, cfg.SKUs)
	parts := map[string]int32{}
	for i := range t.skus {
		cat := &ecomCategories[i%len(ecomCategories)]
		s := &t.skus[i]
		*s = ecomSKU{seq: int32(i + 1), part: fmt.Sprintf("SKU-%04d", i+1), name: fmt.Sprintf("%s %d", cat.name, i+1), cat: cat,
			priceFen: cat.minFen + int64(i)*7919%cat.spanFen}
		lines[i] = &customsv1.BookLine{Seq: s.seq, HsCode: cat.hs, Name: s.name, DeclaredUnit: cat.unit,
			Legal: &customsv1.LegalUnit{Unit: cat.legalUnit, Factor: cat.factor}, Type: customsv1.GoodsType_GOODS_TYPE_FINISHED}
		parts[s.part] = s.seq
	}
	wc, wcancel := as(ctx, whTok)
	defer wcancel()
	if _, err := books.CreateBook(wc, &customsv1.CreateBookRequest{BookNo: t.book, Kind: customsv1.BookKind_BOOK_KIND_LOGISTICS,
		Enterprise: wh, Usage: "1", CustomsOffice: "4601"}); err != nil {
		return nil, fmt.Errorf("creating the warehouse book %s: %w", t.book, err)
	}
	if _, err := books.AddBookLines(wc, &customsv1.AddBookLinesRequest{BookNo: t.book, Lines: lines}); err != nil {
		return nil, fmt.Errorf("adding the SKUs' book lines: %w", err)
	}
	if _, err := books.MapPartNumbers(wc, &customsv1.MapPartNumbersRequest{BookNo: t.book, Parts: parts}); err != nil {
		return nil, fmt.Errorf("mapping the SKUs' part numbers: %w", err)
	}

	// 一线入区: the stock comes in from abroad through the gate.
	entry := &customsv1.CreateListRequest{InnerNo: "BENCH-IN-" + run, BookNo: t.book, Io: "I", TradeMode: "5034", Country: "USA"}
	for _, s := range t.skus {
		entry.Lines = append(entry.Lines, &customsv1.ListLine{BookSeq: s.seq, Quantity: strconv.FormatInt(t.stock, 10),
			Total: fen(t.stock * s.priceFen / 2), GrossWeight: "100", NetWeight: "90"})
	}
	lr, err := decl.CreateList(wc, entry)
	if err != nil {
		return nil, fmt.Errorf("filing the entry list: %w", err)
	}
	listNo := lr.GetList().GetListNo()
	if _, err := decl.DeclareList(wc, &customsv1.DeclareListRequest{ListNo: listNo}); err != nil {
		return nil, fmt.Errorf("declaring entry list %s: %w", listNo, err)
	}
	cc, ccancel := as(ctx, t.customs)
	defer ccancel()
	al, err := decl.ApproveList(cc, &customsv1.ApproveListRequest{ListNo: listNo, Note: "bench"})
	if err != nil {
		return nil, fmt.Errorf("approving entry list %s: %w", listNo, err)
	}
	const tare = 15000
	vehicle := fmt.Sprintf("琼A%05d", rng.IntN(100000))
	pr, err := gate.CreatePass(wc, &customsv1.CreatePassRequest{InnerNo: "BENCH-PASS-" + run, BookNo: t.book, PassType: "2", BindType: "2", Io: "I",
		RelatedType: "1", RelatedNos: []string{listNo}, Vehicle: vehicle, VehicleWeight: strconv.Itoa(tare),
		GrossWeight: al.GetList().GetGrossWeight(), NetWeight: al.GetList().GetNetWeight()})
	if err != nil {
		return nil, fmt.Errorf("applying for the entry pass: %w", err)
	}
	gross, err := decimal.NewFromString(al.GetList().GetGrossWeight())
	if err != nil {
		return nil, fmt.Errorf("the entry list's gross weight %q: %w", al.GetList().GetGrossWeight(), err)
	}
	ge, err := gate.RecordGateEvent(cc, &customsv1.RecordGateEventRequest{PassNo: pr.GetPass().GetPassNo(), EventId: "BENCH-GATE-" + run,
		Vehicle: vehicle, ScaleGross: gross.Add(decimal.NewFromInt(tare)).String()})
	if err != nil {
		return nil, fmt.Errorf("recording the entry vehicle at the gate: %w", err)
	}
	if st := ge.GetPass().GetStatus(); st != customsv1.PassStatus_PASS_STATUS_PASSED {
		return nil, fmt.Errorf("the entry vehicle did not pass the gate: pass %s is %s (%v)", ge.GetPass().GetPassNo(), st, ge.GetPass().GetHoldReasons())
	}
	if t.before, err = ecomStockReport(ctx, books, t); err != nil {
		return nil, err
	}
	for _, s := range t.skus {
		if t.before[s.seq] != t.stock {
			return nil, fmt.Errorf("after the entry, line %d holds %d bonded pieces, want %d", s.seq, t.before[s.seq], t.stock)
		}
	}

	// The channel, registered by customs.
	if _, err := ecom.RegisterChannel(cc, &customsv1.RegisterChannelRequest{Enterprise: t.ebc, Name: "bench cross-border shop",
		Platform: "BENCHMALL", BookNo: t.book, Guarantor: t.ebc}); err != nil {
		return nil, fmt.Errorf("registering the e-commerce channel: %w", err)
	}

	// The tax the platform withholds, per SKU and quantity (prices are fixed).
	pc, pcancel := as(ctx, t.platform)
	defer pcancel()
	type job struct{ sku, q int }
	jobs := make(chan job)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s := &t.skus[j.sku]
				qty := decimal.NewFromInt(int64(j.q))
				legal := qty.Mul(decimal.RequireFromString(s.cat.factor))
				r, err := taxc.Quote(pc, &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: t.date,
					Lines: []*customsv1.QuoteLine{{HsCode: s.cat.hs, DutiableValue: fen(s.priceFen*int64(j.q) + ecomFreightFen),
						Quantity: legal.String(), Unit: s.cat.legalUnit, Pieces: int32(j.q)}}})
				if err == nil && r.GetRule() != "CROSS_BORDER_WITHIN_LIMITS" {
					err = fmt.Errorf("rule %s, want CROSS_BORDER_WITHIN_LIMITS", r.GetRule())
				}
				if err == nil {
					s.taxFen[j.q-1], err = parseFen(r.GetTotal())
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("quoting the tax of %d × %s: %w", j.q, s.part, err):
					default:
					}
				}
			}
		}()
	}
	for i := range t.skus {
		for q := 1; q <= ecomMaxQty; q++ {
			jobs <- job{i, q}
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	return t, nil
}

// ecomStockReport returns the bonded pieces per line of the warehouse book,
// read as customs; it fails when anything is reserved or elsewhere.
func ecomStockReport(ctx context.Context, books customsv1.BookServiceClient, t *ecomTarget) (map[int32]int64, error) {
	c, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c = metadata.AppendToOutgoingContext(c, "authorization", "Bearer "+t.customs)
	r, err := books.GetStockReport(c, &customsv1.GetStockReportRequest{BookNo: t.book})
	if err != nil {
		return nil, fmt.Errorf("reading the stock report of %s: %w", t.book, err)
	}
	out := map[int32]int64{}
	for _, l := range r.GetLines() {
		b, err := strconv.ParseInt(l.GetBonded(), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: bonded %q: %w", l.GetBookSeq(), l.GetBonded(), err)
		}
		if l.GetAvailable() != l.GetBonded() || !isZero(l.GetReserved()) || !isZero(l.GetNonBonded()) || !isZero(l.GetInspection()) || !isZero(l.GetUndeclared()) || !isZero(l.GetDisplay()) {
			return nil, fmt.Errorf("line %d of %s: bonded %s, available %s, reserved %s, non-bonded %s, inspection %s, undeclared %s, display %s; want only bonded, all available",
				l.GetBookSeq(), t.book, l.GetBonded(), l.GetAvailable(), l.GetReserved(), l.GetNonBonded(), l.GetInspection(), l.GetUndeclared(), l.GetDisplay())
		}
		out[l.GetBookSeq()] = b
	}
	return out, nil
}

func isZero(s string) bool {
	d, err := decimal.NewFromString(s)
	return s == "" || (err == nil && d.IsZero())
}

var (
	ecomSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"}
	ecomGiven    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "艳", "杰", "娟", "涛"}
)

// next generates an order: its SKU, quantity, buyer and three documents.
func (t *ecomTarget) next(rng *rand.Rand) *ecomOrder {
	g := t.seq.Add(1) - 1
	var s *ecomSKU
	if rng.Float64() < ecomHotShare {
		s = &t.skus[rng.IntN(ecomHotSKUs)]
	} else {
		s = &t.skus[ecomHotSKUs+rng.IntN(len(t.skus)-ecomHotSKUs)]
	}
	q := 1 + rng.IntN(ecomMaxQty)
	o := &ecomOrder{no: fmt.Sprintf("BO%s%08d", strings.ToUpper(t.run), g), sku: s, qty: q, taxFen: s.taxFen[q-1]}

	// Buyers take turns in windows of ecomBuyerWindow; each buys at most
	// ecomOrdersPerBuyer times. Their ID numbers are spread over the key
	// space as real ones are (a bijection of b modulo 10^8 leads), not
	// consecutive.
	b := g%ecomBuyerWindow + ecomBuyerWindow*(g/(ecomBuyerWindow*ecomOrdersPerBuyer))
	spread := (b*48271 + int64(t.tag)) % 100000000
	name := ecomSurnames[b%int64(len(ecomSurnames))] + ecomGiven[(b/7)%int64(len(ecomGiven))] + strconv.FormatInt(b, 10)
	buyer := &customsv1.Person{Name: name, IdNumber: idNumber(fmt.Sprintf("%08d%05d%04d", spread, t.tag, 1960+b%45)), Phone: fmt.Sprintf("139%08d", b%100000000),
		Address: fmt.Sprintf("海南省海口市龙华区滨海大道%d号%d室", b%800+1, b%2800+101)}
	consignee := &customsv1.Person{Name: buyer.GetName(), Phone: buyer.GetPhone(), Address: buyer.GetAddress()}
	goods := s.priceFen * int64(q)
	discount := int64(0)
	if rng.IntN(4) == 0 {
		discount = ecomDiscountFen
	}
	paid := goods + ecomFreightFen + o.taxFen - discount
	ent := t.ebc
	o.order = &customsv1.SubmitOrderRequest{OrderNo: o.no, Enterprise: ent, Buyer: buyer, Consignee: consignee,
		GoodsValue: fen(goods), Freight: fen(ecomFreightFen), Discount: fen(discount), TaxTotal: fen(o.taxFen), ActualPaid: fen(paid),
		Lines: []*customsv1.OrderLine{{ItemNo: s.part, Name: s.name, Quantity: strconv.Itoa(q), Price: fen(s.priceFen), Total: fen(goods)}}}
	if discount == 0 {
		o.order.Discount = ""
	}
	o.payment = &customsv1.SubmitPaymentRequest{Enterprise: ent, OrderNo: o.no, PayCode: "BENCHPAY", TransactionId: "TX" + o.no,
		Payer: buyer, Amount: fen(paid), PaidAt: timestamppb.Now()}
	o.waybill = &customsv1.SubmitWaybillRequest{Enterprise: ent, OrderNo: o.no, LogisticsNo: "YT" + o.no, LogisticsCode: "BENCHEXP", Consignee: consignee}
	return o
}

func released(o *customsv1.Order) bool {
	return o.GetStatus() == customsv1.OrderStatus_ORDER_STATUS_RELEASED && o.GetListNo() != ""
}

// ecomWorker is one client's tally.
type ecomWorker struct {
	window
	tally ecomTally
}

// loadEcom runs the clients: a warm-up, then the measured window. An order
// counts in the window when it completes inside it.
func loadEcom(ctx context.Context, cfg *Config, conns []*grpc.ClientConn, t *ecomTarget, res *Result) {
	workers := runClients(cfg, conns, "orders",
		func() *ecomWorker {
			return &ecomWorker{window: newWindow(), tally: ecomTally{orders: map[string]int64{}, qty: map[int32]int64{}}}
		},
		func(w *ecomWorker, conn *grpc.ClientConn, id int, from, end time.Time, done *atomic.Int64) {
			w.run(ctx, cfg, customsv1.NewEcommerceServiceClient(conn), t, id, from, end, done)
		})

	d := &EcomDetails{DocumentsPerCall: 1, SKUs: len(t.skus), Stock: t.stock, target: t,
		tally: &ecomTally{orders: map[string]int64{}, qty: map[int32]int64{}}}
	if cfg.Batch > 1 {
		d.DocumentsPerCall = cfg.Batch / 3 * 3
	}
	ws := make([]window, len(workers))
	for i, w := range workers {
		ws[i] = w.window
		for no, tax := range w.tally.orders {
			d.tally.orders[no] = tax
		}
		for seq, q := range w.tally.qty {
			d.tally.qty[seq] += q
		}
	}
	d.Released = int64(len(d.tally.orders))
	res.Ecom = d
	res.Orders, d.Tail, res.OrdersPerSecond = res.add(cfg, ws)
	d.Calls = res.Calls
}

func (w *ecomWorker) run(ctx context.Context, cfg *Config, ec customsv1.EcommerceServiceClient, t *ecomTarget, id int, from, end time.Time, done *atomic.Int64) {
	rng := rand.New(rand.NewPCG(uint64(id)+1, uint64(time.Now().UnixNano())))
	base := metadata.NewOutgoingContext(ctx, metadata.Pairs("authorization", "Bearer "+t.platform))
	perCall := max(1, cfg.Batch/3)
	orders := make([]*ecomOrder, perCall)
	ok := make([]bool, perCall)
	for ctx.Err() == nil && time.Now().Before(end) {
		for i := range orders {
			orders[i], ok[i] = t.next(rng), false
		}
		c, cancel := context.WithTimeout(base, 30*time.Second)
		var calls int64
		t0 := time.Now()
		if cfg.Workload == EcommerceXML {
			calls = 1
			w.sendMessages(c, ec, rng, orders, ok, &t0)
		} else if cfg.Batch == 1 {
			o := orders[0]
			var last *customsv1.Order
			var err error
			for _, k := range rng.Perm(3) {
				calls++
				switch k {
				case 0:
					var r *customsv1.SubmitOrderResponse
					r, err = ec.SubmitOrder(c, o.order)
					last = r.GetOrder()
				case 1:
					var r *customsv1.SubmitPaymentResponse
					r, err = ec.SubmitPayment(c, o.payment)
					last = r.GetOrder()
				case 2:
					var r *customsv1.SubmitWaybillResponse
					r, err = ec.SubmitWaybill(c, o.waybill)
					last = r.GetOrder()
				}
				if err != nil {
					break
				}
			}
			switch {
			case err != nil:
				w.fail("order %s: %v", o.no, err)
			case !released(last):
				w.fail("order %s: the third document answered %s %s", o.no, last.GetStatus(), last.GetReason())
			default:
				ok[0] = true
			}
		} else {
			docs := make([]*customsv1.EcommerceDocument, 0, 3*perCall)
			owner := make([]int, 0, 3*perCall)
			for i, o := range orders {
				docs = append(docs,
					&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Order{Order: o.order}},
					&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Payment{Payment: o.payment}},
					&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Waybill{Waybill: o.waybill}})
				owner = append(owner, i, i, i)
			}
			rng.Shuffle(len(docs), func(i, j int) {
				docs[i], docs[j] = docs[j], docs[i]
				owner[i], owner[j] = owner[j], owner[i]
			})
			calls = 1
			r, err := ec.SubmitDocuments(c, &customsv1.SubmitDocumentsRequest{Documents: docs})
			switch {
			case err != nil:
				w.fail("SubmitDocuments: %v", err)
			case len(r.GetResults()) != len(docs):
				w.fail("SubmitDocuments answered %d results for %d documents", len(r.GetResults()), len(docs))
			default:
				bad := make([]bool, perCall)
				for i, x := range r.GetResults() {
					if e := x.GetError(); e != nil {
						bad[owner[i]] = true
						w.fail("order %s: %s %s: %s", orders[owner[i]].no, e.GetCode(), e.GetReason(), e.GetMessage())
					} else if released(x.GetOrder()) {
						ok[owner[i]] = true
					}
				}
				for i := range ok {
					if ok[i] && bad[i] {
						ok[i] = false
					} else if !ok[i] && !bad[i] {
						w.fail("order %s: none of its documents answered RELEASED", orders[i].no)
					}
				}
			}
		}
		t1 := time.Now()
		cancel()
		var good, bad int64
		for i, o := range orders {
			if !ok[i] {
				bad++
				continue
			}
			good++
			w.tally.orders[o.no] = o.taxFen
			w.tally.qty[o.sku.seq] += int64(o.qty)
		}
		done.Add(good)
		w.record(t0, t1, from, end, good, bad, calls, true)
	}
}

// verifyEcom checks the server against what the clients saw: the
// guarantor's settlement lists exactly the orders answered RELEASED, each
// with the tax withheld, and the warehouse's stock went down by exactly
// their quantities, line by line, with nothing left reserved.
func verifyEcom(ctx context.Context, conn *grpc.ClientConn, t *ecomTarget, tally *ecomTally) error {
	c, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cc := metadata.AppendToOutgoingContext(c, "authorization", "Bearer "+t.customs)
	// The zone's dates around the run's, should it have crossed midnight.
	day, err := time.Parse("2006-01-02", t.date)
	if err != nil {
		return err
	}
	r, err := customsv1.NewEcommerceServiceClient(conn).GetSettlement(cc, &customsv1.GetSettlementRequest{Guarantor: t.ebc,
		FromDate: day.AddDate(0, 0, -1).Format("2006-01-02"), ToDate: day.AddDate(0, 0, 2).Format("2006-01-02")},
		grpc.MaxCallRecvMsgSize(math.MaxInt32))
	if err != nil {
		return fmt.Errorf("verification: reading the guarantor's settlement: %w", err)
	}
	var problems []string
	problem := func(format string, args ...any) {
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	lines := r.GetSettlement().GetLines()
	if len(lines) != len(tally.orders) {
		problem("the server released %d lists; the clients counted %d orders answered RELEASED", len(lines), len(tally.orders))
	}
	var wantTax, gotTax int64
	listed := make(map[string]bool, len(lines))
	for _, l := range lines {
		no := l.GetOrderNo()
		if listed[no] {
			problem("order %s has two released lists", no)
		}
		listed[no] = true
		tax, err := parseFen(l.GetTax())
		if err != nil {
			return fmt.Errorf("verification: list %s: tax %q: %w", l.GetListNo(), l.GetTax(), err)
		}
		gotTax += tax
		want, ok := tally.orders[no]
		switch {
		case !ok:
			problem("list %s released order %s, which no client saw released", l.GetListNo(), no)
		case tax != want:
			problem("list %s of order %s: tax %s, the platform withheld %s", l.GetListNo(), no, l.GetTax(), fen(want))
		}
	}
	for no, tax := range tally.orders {
		wantTax += tax
		if !listed[no] {
			problem("order %s was answered RELEASED but the settlement has no list of it", no)
		}
	}
	if got, err := parseFen(r.GetSettlement().GetTax()); err != nil || got != gotTax || gotTax != wantTax {
		problem("the settlement's total tax is %s (its lines sum to %s); the platform withheld %s", r.GetSettlement().GetTax(), fen(gotTax), fen(wantTax))
	}
	after, err := ecomStockReport(ctx, customsv1.NewBookServiceClient(conn), t)
	if err != nil {
		return fmt.Errorf("verification: %w", err)
	}
	seqs := make([]int32, 0, len(t.before))
	for seq := range t.before {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	for _, seq := range seqs {
		if got, want := t.before[seq]-after[seq], tally.qty[seq]; got != want {
			problem("book line %d: the stock went down by %d pieces (%d -> %d); the released orders took %d", seq, got, t.before[seq], after[seq], want)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("verification failed:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// ecomResult is the --json object of the ecommerce workload.
type ecomResult struct {
	Workload         string   `json:"workload"`
	Clients          int      `json:"clients"`
	Batch            int      `json:"batch"`
	DocumentsPerCall int      `json:"documents_per_call"`
	DurationS        float64  `json:"duration_s"`
	Orders           int64    `json:"orders"`
	OrdersPerSecond  float64  `json:"orders_per_second"`
	P50Ms            float64  `json:"p50_ms"`
	P99Ms            float64  `json:"p99_ms"`
	Errors           int64    `json:"errors"`
	Released         int64    `json:"released_lists"`
	Verified         bool     `json:"verified"`
	ServerPeakRSSMB  *float64 `json:"server_peak_rss_mb"`
	PgbenchTPS       *float64 `json:"pgbench_tps,omitempty"`
}

func ecomJSON(r *Result) ecomResult {
	out := ecomResult{Workload: r.Workload, Clients: r.Clients, Batch: r.Batch, DurationS: r.DurationS, Orders: r.Orders,
		OrdersPerSecond: r.OrdersPerSecond, P50Ms: r.P50Ms, P99Ms: r.P99Ms, Errors: r.Errors, ServerPeakRSSMB: r.ServerPeakRSSMB, PgbenchTPS: r.PgbenchTPS}
	if r.Ecom != nil {
		out.DocumentsPerCall, out.Released, out.Verified = r.Ecom.DocumentsPerCall, r.Ecom.Released, r.Ecom.Verified
	}
	return out
}

func writeEcomReport(w io.Writer, r *Result) {
	d := r.Ecom
	if d == nil {
		d = &EcomDetails{}
	}
	mode := "one document per call (SubmitOrder, SubmitPayment, SubmitWaybill in random order)"
	if r.Workload == EcommerceXML {
		mode = fmt.Sprintf("SubmitMessages, %d messages (%d orders, each its CEB311, CEB411 and CEB511 XML message) per call, shuffled", d.DocumentsPerCall, d.DocumentsPerCall/3)
	} else if r.Batch > 1 {
		mode = fmt.Sprintf("SubmitDocuments, %d documents (%d orders) per call, shuffled", d.DocumentsPerCall, d.DocumentsPerCall/3)
	}
	fmt.Fprintf(w, "zoneledger bench\n\n")
	fmt.Fprintf(w, "  server       %s\n", r.Server)
	fmt.Fprintf(w, "  workload     ecommerce: cross-border orders (1210) from warehouse book %s, %d SKUs (%d hot: %.0f %% of the orders), %d pieces of each brought in\n",
		r.Book, d.SKUs, ecomHotSKUs, ecomHotShare*100, d.Stock)
	fmt.Fprintf(w, "               each order: 1 line of 1-%d pieces, its order, payment and waybill; done when answered RELEASED\n", ecomMaxQty)
	fmt.Fprintf(w, "  clients      %d over %d gRPC connections; %s\n", r.Clients, r.Conns, mode)
	fmt.Fprintf(w, "  measured     %s after the warm-up (warm-up: %d orders, %d errors; %d more completed after the window)\n",
		r.Measured, r.WarmupJournals, r.WarmupErrors, d.Tail)
	fmt.Fprintf(w, "  orders       %d released  (%.1f orders/s)\n", r.Orders, r.OrdersPerSecond)
	fmt.Fprintf(w, "  calls        %d  (%.1f calls/s)\n", d.Calls, float64(d.Calls)/r.DurationS)
	l := r.Latency
	fmt.Fprintf(w, "  latency      per order, first document sent to RELEASED answer: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, mean %.2f ms\n",
		Millis(l.P50), Millis(l.P90), Millis(l.P99), Millis(l.P999), Millis(l.Max), Millis(l.Mean))
	writeErrors(w, r, " (orders not RELEASED)")
	if d.Verified {
		fmt.Fprintf(w, "  verified     %d released lists in the guarantor's settlement = the orders answered RELEASED (tax included); the stock of every line went down by exactly their pieces\n", d.Released)
	} else {
		fmt.Fprintf(w, "  verified     NO\n")
	}
	writeServer(w, r)
}
