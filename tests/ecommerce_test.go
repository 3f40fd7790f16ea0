package tests

// Cross-border e-commerce bonded import (1210) end to end over gRPC: a zone
// warehouse with bonded stock brought in through the gate, an e-commerce
// enterprise's channel, a platform linked to it submitting the three
// documents (三单) with the tax it withheld quoted by TaxService, lists
// released and the stock deducted (GetStockReport), refusals, a batch, a
// return and the guarantor's settlement exported as CSV.

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// ecomEnv is a zone with a warehouse book, an e-commerce enterprise's
// channel and a platform linked to the enterprise.
type ecomEnv struct {
	*zoneEnv
	ecom     customsv1.EcommerceServiceClient
	tax      customsv1.TaxServiceClient
	wh, ebc  zEnt
	book     string
	platform string // token of the platform linked to ebc
	other    string // token of a platform linked to another enterprise
	date     string // the zone's business date of the test, "YYYY-MM-DD"
}

const skuNotebook = "SKU-NB-14" // part number of lineNotebook on the warehouse book

func newEcomEnv(t *testing.T) *ecomEnv {
	t.Helper()
	z := newZoneEnv(t)
	e := &ecomEnv{zoneEnv: z, ecom: customsv1.NewEcommerceServiceClient(z.s.Conn()), tax: customsv1.NewTaxServiceClient(z.s.Conn())}
	e.wh = z.enterprise(t, "Bonded Logistics Warehouse")
	e.ebc = z.enterprise(t, "Cross-border Shop")
	e.book = z.tBook(t, e.wh)
	if _, err := z.books.MapPartNumbers(ctxAs(t, e.wh.tok), &customsv1.MapPartNumbersRequest{BookNo: e.book, Parts: map[string]int32{skuNotebook: lineNotebook}}); err != nil {
		t.Fatalf("MapPartNumbers: %v", err)
	}
	z.stockIn(t, e.wh, e.book, lineNotebook, "100", "300000")
	z.wantStock(t, e.book, lineNotebook, st{bonded: "100"})

	n := nextZoneSeq()
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: fmt.Sprintf("tmall-%d", n), DisplayName: "Platform", Role: adminv1.Role_ROLE_PLATFORM,
		LinkedEnterpriseIds: []string{e.ebc.uscc}})
	e.platform = z.a.Issue(t, z.s, fmt.Sprintf("tmall-%d", n))
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: fmt.Sprintf("other-%d", n), DisplayName: "Other platform", Role: adminv1.Role_ROLE_PLATFORM,
		LinkedEnterpriseIds: []string{testUSCC(t, nextZoneSeq())}})
	e.other = z.a.Issue(t, z.s, fmt.Sprintf("other-%d", n))

	// Only customs (or an admin) registers channels.
	ch := &customsv1.RegisterChannelRequest{Enterprise: e.ebc.uscc, Name: "Cross-border Shop", Platform: "TMALL", BookNo: e.book, Guarantor: e.ebc.uscc}
	_, err := e.ecom.RegisterChannel(ctxAs(t, e.platform), ch)
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "a platform registering a channel")
	resp, err := e.ecom.RegisterChannel(ctxAs(t, z.customs), ch)
	if err != nil {
		t.Fatalf("RegisterChannel: %v", err)
	}
	if c := resp.GetChannel(); c.GetBookNo() != e.book || c.GetGuarantor() != e.ebc.uscc || c.GetPlatform() != "TMALL" {
		t.Fatalf("RegisterChannel returned %v", c)
	}
	got, err := e.ecom.GetChannel(ctxAs(t, e.platform), &customsv1.GetChannelRequest{Enterprise: e.ebc.uscc})
	if err != nil || got.GetChannel().GetBookNo() != e.book {
		t.Fatalf("GetChannel as the platform: %v, %v", got, err)
	}
	e.date = time.Now().In(zoneLoc).Format("2006-01-02")
	return e
}

// docs are the three documents of one order.
type docs struct {
	order   *customsv1.SubmitOrderRequest
	payment *customsv1.SubmitPaymentRequest
	waybill *customsv1.SubmitWaybillRequest
}

// order makes the documents of an order of qty notebooks at price for a
// buyer, with the tax withheld as a platform computes it: TaxService/Quote
// under CROSS_BORDER_RETAIL on the zone's date, on goods + freight.
// idNumber completes the first 17 digits of a 居民身份证号码 with its
// GB 11643 check character.
func idNumber(t *testing.T, first17 string) string {
	t.Helper()
	c, err := idCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func (e *ecomEnv) order(t *testing.T, no, buyer, qty, price string) docs {
	t.Helper()
	total := dec(t, price).Mul(dec(t, qty)).Round(2)
	freight := decimal.RequireFromString("10")
	q, err := e.tax.Quote(ctxAs(t, e.platform), &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: e.date,
		Lines: []*customsv1.QuoteLine{{HsCode: hsNotebook, DutiableValue: total.Add(freight).StringFixed(2), Quantity: qty, Unit: "001", Pieces: int32(dec(t, qty).IntPart())}}})
	if err != nil {
		t.Fatalf("Quote for order %s: %v", no, err)
	}
	if q.GetRule() != "CROSS_BORDER_WITHIN_LIMITS" {
		t.Fatalf("Quote for order %s: rule %s", no, q.GetRule())
	}
	tax := dec(t, q.GetTotal())
	paid := total.Add(freight).Add(tax).StringFixed(2)
	person := &customsv1.Person{Name: "王" + buyer, IdNumber: idNumber(t, "1101011990010"+buyer), Phone: "1390000" + buyer, Address: "天津市滨海新区" + buyer + "号"}
	consignee := &customsv1.Person{Name: person.GetName(), Phone: person.GetPhone(), Address: person.GetAddress()}
	return docs{
		order: &customsv1.SubmitOrderRequest{OrderNo: no, Enterprise: e.ebc.uscc, Buyer: person, Consignee: consignee,
			GoodsValue: total.StringFixed(2), Freight: "10", TaxTotal: tax.StringFixed(2), ActualPaid: paid,
			Lines: []*customsv1.OrderLine{{ItemNo: skuNotebook, Name: "notebook", Quantity: qty, Price: price, Total: total.StringFixed(2)}}},
		payment: &customsv1.SubmitPaymentRequest{Enterprise: e.ebc.uscc, OrderNo: no, PayCode: "ALIPAY", TransactionId: "PAY-" + no, Payer: person, Amount: paid},
		waybill: &customsv1.SubmitWaybillRequest{Enterprise: e.ebc.uscc, OrderNo: no, LogisticsNo: "SF" + no, LogisticsCode: "SF", Consignee: consignee},
	}
}

// submit sends one document as tok and returns the order as it stands
// (nil before the order arrived) or the error.
func (e *ecomEnv) submit(t *testing.T, tok string, doc any) (*customsv1.Order, error) {
	t.Helper()
	ctx := ctxAs(t, tok)
	switch d := doc.(type) {
	case *customsv1.SubmitOrderRequest:
		r, err := e.ecom.SubmitOrder(ctx, d)
		return r.GetOrder(), err
	case *customsv1.SubmitPaymentRequest:
		r, err := e.ecom.SubmitPayment(ctx, d)
		return r.GetOrder(), err
	case *customsv1.SubmitWaybillRequest:
		r, err := e.ecom.SubmitWaybill(ctx, d)
		return r.GetOrder(), err
	}
	t.Fatalf("not a document: %T", doc)
	return nil, nil
}

func (e *ecomEnv) getOrder(t *testing.T, tok, no string) *customsv1.Order {
	t.Helper()
	r, err := e.ecom.GetOrder(ctxAs(t, tok), &customsv1.GetOrderRequest{OrderNo: no})
	if err != nil {
		t.Fatalf("GetOrder %s: %v", no, err)
	}
	return r.GetOrder()
}

func (e *ecomEnv) inventoryList(t *testing.T, tok, no string) *customsv1.InventoryList {
	t.Helper()
	r, err := e.ecom.GetInventoryList(ctxAs(t, tok), &customsv1.GetInventoryListRequest{ListNo: no})
	if err != nil {
		t.Fatalf("GetInventoryList %s: %v", no, err)
	}
	return r.GetList()
}

// wantReleased checks a released order and its list against its documents.
func (e *ecomEnv) wantReleased(t *testing.T, o *customsv1.Order, d docs) *customsv1.InventoryList {
	t.Helper()
	if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED || o.GetListNo() == "" || o.GetReason() != "" {
		t.Fatalf("order %s: %s %q %q, want RELEASED with a list", d.order.GetOrderNo(), o.GetStatus(), o.GetListNo(), o.GetReasonMessage())
	}
	l := e.inventoryList(t, e.customs, o.GetListNo())
	ln := l.GetLines()
	if l.GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RELEASED || l.GetOrderNo() != d.order.GetOrderNo() ||
		l.GetTax() != d.order.GetTaxTotal() || l.GetGuarantor() != e.ebc.uscc || l.GetBookNo() != e.book || l.GetPlatform() != "TMALL" ||
		l.GetRule() != "CROSS_BORDER_WITHIN_LIMITS" || l.GetReleasedOn() == "" || l.GetJournalId() == 0 ||
		len(ln) != 1 || ln[0].GetBookSeq() != lineNotebook || ln[0].GetHsCode() != hsNotebook || !dec(t, ln[0].GetQuantity()).Equal(dec(t, d.order.GetLines()[0].GetQuantity())) {
		t.Fatalf("list of order %s: %v", d.order.GetOrderNo(), l)
	}
	return l
}

func TestEcommerceBondedImport(t *testing.T) {
	e := newEcomEnv(t)
	released := map[string]docs{} // list no -> documents

	t.Run("three documents in two arrival orders release a list each and deduct the stock", func(t *testing.T) {
		a := e.order(t, "EA-1", "0001", "1", "3000")
		o, err := e.submit(t, e.platform, a.order)
		if err != nil || o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_PENDING || o.GetListNo() != "" {
			t.Fatalf("order first: %v, %v", o, err)
		}
		if o, err = e.submit(t, e.platform, a.payment); err != nil || o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_PENDING {
			t.Fatalf("payment second: %v, %v", o, err)
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: "100"})
		if o, err = e.submit(t, e.platform, a.waybill); err != nil {
			t.Fatalf("waybill last: %v", err)
		}
		la := e.wantReleased(t, o, a)
		released[la.GetListNo()] = a
		e.wantStock(t, e.book, lineNotebook, st{bonded: "99"})

		b := e.order(t, "EB-1", "0002", "2", "1500.5")
		for _, doc := range []any{b.waybill, b.payment} {
			o, err := e.submit(t, e.platform, doc)
			if err != nil || o != nil {
				t.Fatalf("%T before its order: %v, %v; want no order yet", doc, o, err)
			}
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: "99"})
		o, err = e.submit(t, e.platform, b.order)
		if err != nil {
			t.Fatalf("order last: %v", err)
		}
		lb := e.wantReleased(t, o, b)
		released[lb.GetListNo()] = b
		e.wantStock(t, e.book, lineNotebook, st{bonded: "97"})
		if la.GetListNo() == lb.GetListNo() {
			t.Fatalf("two orders share list %s", la.GetListNo())
		}

		// A document sent again changes nothing and answers the released order.
		o, err = e.submit(t, e.platform, a.payment)
		if err != nil || o.GetListNo() != la.GetListNo() || o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED {
			t.Fatalf("payment again: %v, %v", o, err)
		}
		// Another body under a used number is refused.
		other := e.order(t, "EA-1", "0001", "1", "2999")
		_, err = e.submit(t, e.platform, other.order)
		wantRefused(t, err, codes.AlreadyExists, "DUPLICATE_DOCUMENT_NUMBER", "order_no", "a different order under EA-1")
		e.wantStock(t, e.book, lineNotebook, st{bonded: "97"})
		// The warehouse's enterprise and customs see the deduction; the shop's enterprise reads its orders.
		if got := e.getOrder(t, e.ebc.tok, "EB-1"); got.GetListNo() != lb.GetListNo() {
			t.Fatalf("GetOrder as the e-commerce enterprise: %v", got)
		}
		if l := e.stockLine(t, e.book, lineNotebook); l.GetAvailable() != l.GetBonded() {
			t.Fatalf("released goods left a reservation: %v", l)
		}
	})

	t.Run("mismatches are refused with their reason and take no stock", func(t *testing.T) {
		before := e.stockLine(t, e.book, lineNotebook).GetBonded()
		c := e.order(t, "EC-1", "0003", "1", "3000")
		c.payment.Amount = dec(t, c.payment.GetAmount()).Sub(decimal.NewFromInt(1)).StringFixed(2)
		for _, doc := range []any{c.order, c.payment} {
			if _, err := e.submit(t, e.platform, doc); err != nil {
				t.Fatalf("%T: %v", doc, err)
			}
		}
		_, err := e.submit(t, e.platform, c.waybill)
		wantRefused(t, err, codes.FailedPrecondition, "PAYMENT_AMOUNT_MISMATCH", "amount", "a payment 1 CNY short")
		o := e.getOrder(t, e.platform, "EC-1")
		if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.GetReason() != "PAYMENT_AMOUNT_MISMATCH" || o.GetReasonMessage() == "" || o.GetListNo() != "" {
			t.Fatalf("rejected order: %v", o)
		}
		// The withheld tax must be customs' own.
		d := e.order(t, "ED-1", "0004", "1", "3000")
		d.order.TaxTotal = dec(t, d.order.GetTaxTotal()).Add(decimal.RequireFromString("0.01")).StringFixed(2)
		d.order.ActualPaid = dec(t, d.order.GetActualPaid()).Add(decimal.RequireFromString("0.01")).StringFixed(2)
		d.payment.Amount = d.order.GetActualPaid()
		for _, doc := range []any{d.payment, d.waybill} {
			if _, err := e.submit(t, e.platform, doc); err != nil {
				t.Fatalf("%T: %v", doc, err)
			}
		}
		_, err = e.submit(t, e.platform, d.order)
		wantRefused(t, err, codes.FailedPrecondition, "TAX_MISMATCH", "tax_total", "a tax 0.01 too high")
		if o := e.getOrder(t, e.customs, "ED-1"); o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_REJECTED || o.GetReason() != "TAX_MISMATCH" {
			t.Fatalf("rejected order: %v", o)
		}
		// A rejected order can be cancelled; a released one cannot.
		r, err := e.ecom.CancelOrder(ctxAs(t, e.platform), &customsv1.CancelOrderRequest{OrderNo: "EC-1"})
		if err != nil || r.GetOrder().GetStatus() != customsv1.OrderStatus_ORDER_STATUS_CANCELLED {
			t.Fatalf("CancelOrder EC-1: %v, %v", r, err)
		}
		_, err = e.ecom.CancelOrder(ctxAs(t, e.platform), &customsv1.CancelOrderRequest{OrderNo: "EA-1"})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "order_no", "cancelling a released order")
		if after := e.stockLine(t, e.book, lineNotebook).GetBonded(); after != before {
			t.Fatalf("refused orders moved stock: %s -> %s", before, after)
		}
	})

	t.Run("a platform not linked to the enterprise is refused", func(t *testing.T) {
		f := e.order(t, "EF-1", "0005", "1", "3000")
		for _, doc := range []any{f.order, f.payment, f.waybill} {
			_, err := e.submit(t, e.other, doc)
			wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", fmt.Sprintf("%T by an unlinked platform", doc))
		}
		_, err := e.ecom.SubmitDocuments(ctxAs(t, e.other), &customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
			{Document: &customsv1.EcommerceDocument_Order{Order: f.order}}}})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "documents[0].order.enterprise", "a batch by an unlinked platform")
		_, err = e.ecom.GetOrder(ctxAs(t, e.other), &customsv1.GetOrderRequest{OrderNo: "EA-1"})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_ORDER", "order_no", "reading another enterprise's order")
		_, err = e.ecom.GetOrder(ctxAs(t, e.platform), &customsv1.GetOrderRequest{OrderNo: "EF-1"})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_ORDER", "order_no", "the refused order was stored")
		// The warehouse (an enterprise of the zone, not the shop) submits nothing for the shop.
		_, err = e.submit(t, e.wh.tok, f.order)
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "the warehouse submitting the shop's order")
		// A bad decimal is refused before anything happens, naming the field.
		f.order.Lines[0].Price = "3,000"
		_, err = e.submit(t, e.platform, f.order)
		wantInvalid(t, err, "lines[0].price", "a price with a thousands separator")
	})

	t.Run("a batch of 50 orders' documents is released", func(t *testing.T) {
		before := dec(t, e.stockLine(t, e.book, lineNotebook).GetBonded())
		var all []*customsv1.EcommerceDocument
		orders := map[string]docs{}
		for i := range 50 {
			d := e.order(t, fmt.Sprintf("BATCH-%02d", i), fmt.Sprintf("%04d", 100+i), "1", fmt.Sprintf("%d.50", 1000+10*i))
			orders[d.order.GetOrderNo()] = d
			all = append(all,
				&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Order{Order: d.order}},
				&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Payment{Payment: d.payment}},
				&customsv1.EcommerceDocument{Document: &customsv1.EcommerceDocument_Waybill{Waybill: d.waybill}})
		}
		// Platforms send documents as they come: shuffled, in batches of at most 100.
		rand.New(rand.NewPCG(7, 11)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		_, err := e.ecom.SubmitDocuments(ctxAs(t, e.platform), &customsv1.SubmitDocumentsRequest{Documents: all})
		wantInvalid(t, err, "documents", "a batch of 150 documents")
		for start := 0; start < len(all); start += 100 {
			batch := all[start:min(start+100, len(all))]
			r, err := e.ecom.SubmitDocuments(ctxAs(t, e.platform), &customsv1.SubmitDocumentsRequest{Documents: batch})
			if err != nil {
				t.Fatalf("SubmitDocuments: %v", err)
			}
			if len(r.GetResults()) != len(batch) {
				t.Fatalf("%d results for %d documents", len(r.GetResults()), len(batch))
			}
			for i, res := range r.GetResults() {
				if res.GetError() != nil {
					t.Fatalf("document %d (%v) refused: %v", start+i, batch[i], res.GetError())
				}
				if _, isOrder := batch[i].GetDocument().(*customsv1.EcommerceDocument_Order); isOrder && res.GetOrder() == nil {
					t.Fatalf("document %d: an order answered without the order", start+i)
				}
			}
		}
		lists := map[string]bool{}
		for no, d := range orders {
			o := e.getOrder(t, e.platform, no)
			l := e.wantReleased(t, o, d)
			if lists[l.GetListNo()] {
				t.Fatalf("list %s released twice", l.GetListNo())
			}
			lists[l.GetListNo()] = true
			released[l.GetListNo()] = d
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: before.Sub(decimal.NewFromInt(50)).String()})

		// A batch answers each document on its own.
		g := e.order(t, "BATCH-G", "0200", "1", "3000")
		g.payment.Payer = &customsv1.Person{Name: "李四", IdNumber: "110101199001019992"}
		r, err := e.ecom.SubmitDocuments(ctxAs(t, e.platform), &customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
			{Document: &customsv1.EcommerceDocument_Order{Order: g.order}},
			{Document: &customsv1.EcommerceDocument_Payment{Payment: g.payment}},
			{Document: &customsv1.EcommerceDocument_Waybill{Waybill: g.waybill}},
			{Document: &customsv1.EcommerceDocument_Order{Order: orders["BATCH-07"].order}},
		}})
		if err != nil {
			t.Fatalf("SubmitDocuments: %v", err)
		}
		res := r.GetResults()
		if res[0].GetOrder().GetStatus() != customsv1.OrderStatus_ORDER_STATUS_PENDING || res[1].GetError() != nil {
			t.Fatalf("order and payment: %v", res[:2])
		}
		if de := res[2].GetError(); de.GetCode() != "FAILED_PRECONDITION" || de.GetReason() != "BUYER_PAYER_MISMATCH" || de.GetField() != "payer" || de.GetMessage() == "" {
			t.Fatalf("the waybill completing a mismatched order: %v", res[2])
		}
		if res[3].GetError() != nil || res[3].GetOrder().GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED {
			t.Fatalf("a released order sent again: %v", res[3])
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: before.Sub(decimal.NewFromInt(50)).String()})
	})

	t.Run("a return puts the goods back and leaves the settlement", func(t *testing.T) {
		before := dec(t, e.stockLine(t, e.book, lineNotebook).GetBonded())
		la := e.getOrder(t, e.platform, "EA-1").GetListNo()
		_, err := e.ecom.ReceiveReturn(ctxAs(t, e.wh.tok), &customsv1.ReceiveReturnRequest{ListNo: la})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "list_no", "receiving a return not applied for")
		_, err = e.ecom.RequestReturn(ctxAs(t, e.platform), &customsv1.RequestReturnRequest{ListNo: la,
			Lines: []*customsv1.ReturnLine{{Seq: 1, Quantity: "2"}}})
		wantRefused(t, err, codes.InvalidArgument, "RETURN_EXCEEDS_LIST", "lines[0].quantity", "returning more than the list released")
		r, err := e.ecom.RequestReturn(ctxAs(t, e.platform), &customsv1.RequestReturnRequest{ListNo: la})
		if err != nil || r.GetList().GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURN_REQUESTED || r.GetList().GetReturnAppliedOn() != e.date {
			t.Fatalf("RequestReturn: %v, %v", r, err)
		}
		// The warehouse keeping the book confirms the goods arrived, not the platform.
		_, err = e.ecom.ReceiveReturn(ctxAs(t, e.platform), &customsv1.ReceiveReturnRequest{ListNo: la})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "list_no", "the platform confirming arrival")
		rr, err := e.ecom.ReceiveReturn(ctxAs(t, e.wh.tok), &customsv1.ReceiveReturnRequest{ListNo: la})
		if err != nil || rr.GetList().GetStatus() != customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED || rr.GetList().GetReturnJournalId() == 0 {
			t.Fatalf("ReceiveReturn: %v, %v", rr, err)
		}
		e.wantStock(t, e.book, lineNotebook, st{bonded: before.Add(decimal.NewFromInt(1)).String()})
		delete(released, la)
	})

	t.Run("the guarantor's settlement exported as CSV", func(t *testing.T) {
		day := func(n int) string { return time.Now().In(zoneLoc).AddDate(0, 0, n).Format("2006-01-02") }
		req := &customsv1.GetSettlementRequest{Guarantor: e.ebc.uscc, FromDate: day(-1), ToDate: day(1), Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV}
		_, err := e.ecom.GetSettlement(ctxAs(t, e.other), req)
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "another platform reading the settlement")
		r, err := e.ecom.GetSettlement(ctxAs(t, e.customs), req)
		if err != nil {
			t.Fatalf("GetSettlement: %v", err)
		}
		s := r.GetSettlement()
		want := decimal.Zero
		for _, d := range released {
			want = want.Add(dec(t, d.order.GetTaxTotal()))
		}
		if len(s.GetLines()) != len(released) || len(released) != 51 || !want.IsPositive() || !dec(t, s.GetTax()).Equal(want) || s.GetTax() != want.StringFixed(2) {
			t.Fatalf("settlement: %d lines, tax %s; want %d lines, %s", len(s.GetLines()), s.GetTax(), len(released), want.StringFixed(2))
		}
		for _, l := range s.GetLines() {
			d, ok := released[l.GetListNo()]
			if !ok || l.GetOrderNo() != d.order.GetOrderNo() || l.GetTax() != d.order.GetTaxTotal() || l.GetReleasedOn() != e.date || l.GetFinal() ||
				l.GetBuyerId() == d.order.GetBuyer().GetIdNumber() {
				t.Fatalf("settlement line %v (documents %v)", l, d.order)
			}
		}
		if r.GetContentType() != "text/csv" || r.GetFileName() == "" {
			t.Fatalf("file %q %q", r.GetContentType(), r.GetFileName())
		}
		recs, err := csv.NewReader(bytes.NewReader(r.GetFile())).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not parse: %v\n%s", err, r.GetFile())
		}
		if len(recs) != len(released)+2 || recs[0][0] != "list_no" || recs[0][8] != "tax" {
			t.Fatalf("CSV has %d rows, header %v", len(recs), recs[0])
		}
		total := recs[len(recs)-1]
		if total[0] != "TOTAL" || total[1] != e.ebc.uscc || total[8] != want.StringFixed(2) {
			t.Fatalf("CSV total row %v, want tax %s", total, want.StringFixed(2))
		}
		sum := decimal.Zero
		for _, rec := range recs[1 : len(recs)-1] {
			if _, ok := released[rec[0]]; !ok {
				t.Fatalf("CSV row of list %s not released", rec[0])
			}
			sum = sum.Add(dec(t, rec[8]))
		}
		if !sum.Equal(want) {
			t.Fatalf("CSV rows sum to %s, want %s", sum, want)
		}
		// The guarantor's own enterprise may ask too, for a workbook.
		req.Export = customsv1.SettlementExport_SETTLEMENT_EXPORT_XLSX
		x, err := e.ecom.GetSettlement(ctxAs(t, e.ebc.tok), req)
		if err != nil || !bytes.HasPrefix(x.GetFile(), []byte("PK")) || x.GetSettlement().GetTax() != s.GetTax() {
			t.Fatalf("XLSX settlement: %v (%d bytes)", err, len(x.GetFile()))
		}
	})
}

// TestEcommerceAuthorizationEveryMethod proves for every EcommerceService
// RPC that a call without credentials is UNAUTHENTICATED, that a platform
// linked to another enterprise, another zone enterprise and the admin cannot
// touch the shop's channel, orders, lists and settlement (customs reads but
// submits nothing), and that the refused calls changed nothing.
func TestEcommerceAuthorizationEveryMethod(t *testing.T) {
	e := newEcomEnv(t)
	a := e.order(t, "AZ-1", "0001", "1", "3000")
	for _, doc := range []any{a.order, a.payment, a.waybill} {
		if _, err := e.submit(t, e.platform, doc); err != nil {
			t.Fatalf("%T: %v", doc, err)
		}
	}
	listNo := e.getOrder(t, e.platform, "AZ-1").GetListNo()
	p := e.order(t, "AZ-2", "0002", "1", "3000") // pending: its order only
	if _, err := e.submit(t, e.platform, p.order); err != nil {
		t.Fatal(err)
	}
	stranger := e.enterprise(t, "Another zone enterprise")
	day := time.Now().In(zoneLoc).Format("2006-01-02")
	c := e.ecom
	listTax := e.inventoryList(t, e.customs, listNo).GetTax() // what RecordTaxPayment pays
	svc := "/" + customsv1.EcommerceService_ServiceDesc.ServiceName + "/"
	cases := map[string]func(tok string) error{
		"RegisterChannel": func(tok string) error {
			_, err := c.RegisterChannel(ctxAs(t, tok), &customsv1.RegisterChannelRequest{Enterprise: e.ebc.uscc, Platform: "EVIL", BookNo: e.book, Guarantor: "EVIL"})
			return err
		},
		"GetChannel": func(tok string) error {
			_, err := c.GetChannel(ctxAs(t, tok), &customsv1.GetChannelRequest{Enterprise: e.ebc.uscc})
			return err
		},
		"SubmitOrder": func(tok string) error {
			_, err := c.SubmitOrder(ctxAs(t, tok), e.order(t, "AZ-X", "0003", "1", "3000").order)
			return err
		},
		"SubmitPayment": func(tok string) error {
			_, err := c.SubmitPayment(ctxAs(t, tok), p.payment)
			return err
		},
		"SubmitWaybill": func(tok string) error {
			_, err := c.SubmitWaybill(ctxAs(t, tok), p.waybill)
			return err
		},
		"SubmitDocuments": func(tok string) error {
			_, err := c.SubmitDocuments(ctxAs(t, tok), &customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
				{Document: &customsv1.EcommerceDocument_Payment{Payment: p.payment}}, {Document: &customsv1.EcommerceDocument_Waybill{Waybill: p.waybill}}}})
			return err
		},
		"SubmitMessages": func(tok string) error {
			_, err := c.SubmitMessages(ctxAs(t, tok), &customsv1.SubmitMessagesRequest{Enterprise: e.ebc.uscc, Messages: [][]byte{paymentMessage(t, p), waybillMessage(t, p)}})
			return err
		},
		"GetOrder": func(tok string) error {
			_, err := c.GetOrder(ctxAs(t, tok), &customsv1.GetOrderRequest{OrderNo: "AZ-1"})
			return err
		},
		"CancelOrder": func(tok string) error {
			_, err := c.CancelOrder(ctxAs(t, tok), &customsv1.CancelOrderRequest{OrderNo: "AZ-2"})
			return err
		},
		"GetInventoryList": func(tok string) error {
			_, err := c.GetInventoryList(ctxAs(t, tok), &customsv1.GetInventoryListRequest{ListNo: listNo})
			return err
		},
		"RequestReturn": func(tok string) error {
			_, err := c.RequestReturn(ctxAs(t, tok), &customsv1.RequestReturnRequest{ListNo: listNo})
			return err
		},
		"ReceiveReturn": func(tok string) error {
			_, err := c.ReceiveReturn(ctxAs(t, tok), &customsv1.ReceiveReturnRequest{ListNo: listNo})
			return err
		},
		"GetSettlement": func(tok string) error {
			_, err := c.GetSettlement(ctxAs(t, tok), &customsv1.GetSettlementRequest{Guarantor: e.ebc.uscc, FromDate: day, ToDate: day,
				Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV})
			return err
		},
		"GetPositiveList": func(tok string) error {
			_, err := c.GetPositiveList(ctxAs(t, tok), &customsv1.GetPositiveListRequest{})
			return err
		},
		"RecordTaxPayment": func(tok string) error {
			_, err := c.RecordTaxPayment(ctxAs(t, tok), &customsv1.RecordTaxPaymentRequest{PaymentNo: "AZ-TAX-1", Amount: listTax, PaidOn: day, ListNos: []string{listNo}})
			return err
		},
		"GetInventoryMessage": func(tok string) error {
			_, err := c.GetInventoryMessage(ctxAs(t, tok), &customsv1.GetInventoryMessageRequest{ListNo: listNo})
			return err
		},
		"ImportReceipts": func(tok string) error {
			// A 退单 of the released list: it would book the goods back.
			_, err := c.ImportReceipts(ctxAs(t, tok), &customsv1.ImportReceiptsRequest{Messages: [][]byte{customsReturnReceipt(listNo, "PLAT", e.ebc.uscc)}})
			return err
		},
	}
	var methods []string
	for _, m := range customsv1.EcommerceService_ServiceDesc.Methods {
		methods = append(methods, m.MethodName)
		if cases[m.MethodName] == nil {
			t.Errorf("no authorization case for %s%s", svc, m.MethodName)
		}
	}
	if len(cases) != len(methods) || len(customsv1.EcommerceService_ServiceDesc.Streams) != 0 {
		t.Fatalf("cases for %d methods, the service has %v", len(cases), methods)
	}
	state := func() string {
		var b bytes.Buffer
		b.WriteString(e.stockLine(t, e.book, lineNotebook).String())
		for _, no := range []string{"AZ-1", "AZ-2"} {
			o := e.getOrder(t, e.customs, no)
			fmt.Fprintf(&b, "|%s %s %s", no, o.GetStatus(), o.GetListNo())
		}
		l := e.inventoryList(t, e.customs, listNo)
		fmt.Fprintf(&b, "|%v %q", l.GetStatus(), l.GetTaxPaymentNo())
		ch, err := c.GetChannel(ctxAs(t, e.customs), &customsv1.GetChannelRequest{Enterprise: e.ebc.uscc})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "|%s %s", ch.GetChannel().GetPlatform(), ch.GetChannel().GetGuarantor())
		_, err = c.GetOrder(ctxAs(t, e.customs), &customsv1.GetOrderRequest{OrderNo: "AZ-X"})
		fmt.Fprintf(&b, "|AZ-X %v", grpcstatus.Code(err))
		return b.String()
	}
	before := state()
	// Who besides the intruders is refused: customs submits no documents,
	// the admin may register and read channels.
	byNumber := map[string]bool{"GetOrder": true, "CancelOrder": true, "GetInventoryList": true, "RequestReturn": true, "ReceiveReturn": true, "GetInventoryMessage": true}
	submits := map[string]bool{"SubmitOrder": true, "SubmitPayment": true, "SubmitWaybill": true, "SubmitDocuments": true, "SubmitMessages": true,
		"CancelOrder": true, "RequestReturn": true, "ReceiveReturn": true}
	for _, m := range methods {
		t.Run(m, func(t *testing.T) {
			wantCode(t, cases[m](""), codes.Unauthenticated, "no token")
			wantCode(t, cases[m]("zl_"+strings.Repeat("A", 43)), codes.Unauthenticated, "an unknown token")
			refused := map[string]string{"a platform linked to another enterprise": e.other, "another zone enterprise": stranger.tok,
				"the warehouse's enterprise": e.wh.tok}
			if m != "RegisterChannel" && m != "GetChannel" && m != "ImportReceipts" {
				refused["the admin"] = e.admin
			}
			if submits[m] {
				refused["customs"] = e.customs
			}
			if m == "RegisterChannel" || m == "RecordTaxPayment" || m == "ImportReceipts" {
				// Customs (or, for a channel, the admin) only.
				refused["the linked platform"] = e.platform
				refused["the e-commerce enterprise"] = e.ebc.tok
			}
			if m == "GetPositiveList" {
				// The zone's positive list is public regulation: every
				// authenticated principal reads it.
				for who, tok := range refused {
					if err := cases[m](tok); err != nil {
						t.Errorf("%s: %v", who, err)
					}
				}
				refused = nil
			}
			if m == "ReceiveReturn" {
				// The warehouse keeping the book confirms arrival; the
				// shop's side, who may read the list, is refused.
				delete(refused, "the warehouse's enterprise")
				refused["the linked platform"] = e.platform
				refused["the e-commerce enterprise"] = e.ebc.tok
			}
			for who, tok := range refused {
				// An order or list named by its number is not there for a
				// caller who may not read it: NotFound, as an unknown number
				// (the admin and customs, who are refused by role, excepted).
				if byNumber[m] && who != "the admin" && who != "customs" && (m != "ReceiveReturn" || (who != "the linked platform" && who != "the e-commerce enterprise")) {
					wantCode(t, cases[m](tok), codes.NotFound, who)
					continue
				}
				wantRefused(t, cases[m](tok), codes.PermissionDenied, "PERMISSION_DENIED", "-", who)
			}
		})
	}
	if after := state(); after != before {
		t.Fatalf("refused calls changed the state:\nbefore %s\nafter  %s", before, after)
	}
}

// customsReturnReceipt is a CEB622 message, as customs writes it, saying
// that customs returned (退单, status 100) the inventory list listNo.
func customsReturnReceipt(listNo, ebp, ebc string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB622Message guid="0b7f4f1e-7d3a-4c55-9f0e-2a61c3d4e5f6" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb">
  <ceb:InventoryReturn>
    <ceb:guid>1f0e6d3c-5b4a-4938-8271-605f4e3d2c1b</ceb:guid>
    <ceb:customsCode>0201</ceb:customsCode>
    <ceb:ebpCode>` + ebp + `</ceb:ebpCode>
    <ceb:ebcCode>` + ebc + `</ceb:ebcCode>
    <ceb:copNo>` + listNo + `</ceb:copNo>
    <ceb:returnStatus>100</ceb:returnStatus>
    <ceb:returnTime>20261111090000</ceb:returnTime>
    <ceb:returnInfo>退单: 订购人身份信息不符</ceb:returnInfo>
  </ceb:InventoryReturn>
</ceb:CEB622Message>
`)
}
