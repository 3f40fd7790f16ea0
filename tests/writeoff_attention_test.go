package tests

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestZonectlAttention: after a count with a notebook short, customs'
// attention list shows the unpaid shortage with its tax; zonectl's CSV
// parsed back equals the server's rows; another enterprise sees nothing;
// once customs records the payment the row is gone; a year on, the book's
// cycle has ended without a write-off.
func TestZonectlAttention(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e := z.enterprise(t, "Attention Ctl")
	other := z.enterprise(t, "Attention Other")
	book := z.hBook(t, e)
	z.stockIn(t, e, book, lineNotebook, "10", "50000")
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	c.must(e.tok, "customs", "writeoff", "cycle-set", "--book", book, "--months", "6")
	c.must(z.customs, "customs", "writeoff", "cycle-start", "--book", book, "--start", day(-30))
	wo := customsv1.NewWriteOffServiceClient(z.s.Conn())
	n, err := wo.NotifyStocktake(ctxAs(t, e.tok), &customsv1.NotifyStocktakeRequest{InnerNo: "PD-A", BookNo: book, Date: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	no := n.GetStocktake().GetStocktakeNo()
	if _, err := importCount(ctxAs(t, e.tok), wo, no, "count-a", "book_seq,status,quantity\n1,BONDED,9\n"); err != nil {
		t.Fatal(err)
	}

	out := c.must(z.customs, "-o", "csv", "customs", "writeoff", "attention", "--book", book)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("attention -o csv printed %q: %v", out, err)
	}
	resp, err := wo.ListAttention(ctxAs(t, z.customs), &customsv1.ListAttentionRequest{BookNo: book})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{woAttentionHeaderForTest}
	for _, it := range resp.GetItems() {
		want = append(want, []string{it.GetSince(), "0", it.GetKind(), it.GetEnterprise(), it.GetBookNo(), strings.Join(it.GetDocuments(), " "),
			it.GetDue(), it.GetQuantity(), it.GetAmount(), it.GetNote()})
	}
	if len(resp.GetItems()) != 1 || resp.GetItems()[0].GetKind() != "SHORTAGE_UNPAID" || resp.GetItems()[0].GetAmount() != "650.00" ||
		resp.GetItems()[0].GetDocuments()[0] != no || resp.GetItems()[0].GetSince() != day(0) {
		t.Fatalf("the server's rows: %v", resp.GetItems())
	}
	if !slices.EqualFunc(recs, want, slices.Equal[[]string]) {
		t.Fatalf("the CSV parsed back:\n%v\nthe server's rows:\n%v", recs, want)
	}
	// The server's report files: the CSV and the XLSX read back as the rows.
	csvFile, xlsxFile := filepath.Join(c.dir, "attention.csv"), filepath.Join(c.dir, "attention.xlsx")
	c.must(z.customs, "customs", "writeoff", "attention", "--book", book, "--out", csvFile)
	c.must(z.customs, "customs", "writeoff", "attention", "--book", book, "--format", "xlsx", "--out", xlsxFile)
	raw, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := csv.NewReader(bytes.NewReader(raw)).ReadAll(); err != nil || !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Fatalf("the CSV report read back:\n%q (%v)\nthe server's rows:\n%q", got, err, want)
	}
	x, err := excelize.OpenFile(xlsxFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.GetRows("Attention")
	if err != nil {
		t.Fatal(err)
	}
	for i := range got { // GetRows drops trailing empty cells
		got[i] = append(got[i], make([]string, len(want[0])-len(got[i]))...)
	}
	if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Fatalf("the XLSX report read back:\n%q\nthe server's rows:\n%q", got, want)
	}
	diffs, err := csv.NewReader(strings.NewReader(c.must(e.tok, "customs", "writeoff", "differences", "--stocktake", no, "--format", "csv", "--out", "-"))).ReadAll()
	if err != nil || len(diffs) != 2 || diffs[0][15] != "tax" || diffs[1][15] != "650.00" || diffs[1][9] != "-1" {
		t.Fatalf("the differences report: %q (%v)", diffs, err)
	}

	if rows := c.must(other.tok, "-o", "csv", "customs", "writeoff", "attention"); strings.Count(rows, "\n") > 1 {
		t.Fatalf("another enterprise sees %q", rows)
	}

	c.must(z.customs, "customs", "writeoff", "pay", "--stocktake", no, "--line", "1", "--payment", "PAY-A", "--amount", "650.00", "--date", day(0))
	if rows := c.must(e.tok, "-o", "csv", "customs", "writeoff", "attention", "--book", book); strings.Count(rows, "\n") > 1 {
		t.Fatalf("after the payment: %q", rows)
	}
	later := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	if rows := c.must(e.tok, "-o", "csv", "customs", "writeoff", "attention", "--book", book, "--as-of", later); !strings.Contains(rows, ",WRITE_OFF_CYCLE_OVERDUE,") {
		t.Fatalf("a year on: %q", rows)
	}
}

// woAttentionHeaderForTest is zonectl's header of the attention list.
var woAttentionHeaderForTest = []string{"since", "days", "kind", "enterprise", "book_no", "documents", "due", "quantity", "amount", "note"}

// TestAttentionEcommerceTaxOverdue: a released cross-border list's tax
// shows in the attention list from the day after its due date (release +
// ecommerce.payment_days, 45 by default) to customs and to the warehouse
// book's enterprise, not to the shop's.
func TestAttentionEcommerceTaxOverdue(t *testing.T) {
	e := newEcomEnv(t)
	a := e.order(t, "EAT-1", "0001", "1", "3000")
	var o *customsv1.Order
	for _, doc := range []any{a.order, a.payment, a.waybill} {
		var err error
		if o, err = e.submit(t, e.platform, doc); err != nil {
			t.Fatal(err)
		}
	}
	l := e.wantReleased(t, o, a)
	released, err := time.Parse(time.DateOnly, l.GetReleasedOn())
	if err != nil {
		t.Fatalf("released on %q: %v", l.GetReleasedOn(), err)
	}
	due := released.AddDate(0, 0, 45).Format(time.DateOnly)
	after := released.AddDate(0, 0, 46).Format(time.DateOnly)
	wo := customsv1.NewWriteOffServiceClient(e.s.Conn())
	rows := func(tok, asOf string) []*customsv1.AttentionItem {
		t.Helper()
		r, err := wo.ListAttention(ctxAs(t, tok), &customsv1.ListAttentionRequest{AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		var out []*customsv1.AttentionItem
		for _, it := range r.GetItems() {
			if it.GetKind() == "ECOMMERCE_TAX_OVERDUE" {
				out = append(out, it)
			}
		}
		return out
	}
	if got := rows(e.customs, due); len(got) != 0 {
		t.Fatalf("on the due date: %v", got)
	}
	got := rows(e.customs, after)
	if len(got) != 1 || got[0].GetDocuments()[0] != l.GetListNo() || got[0].GetAmount() != l.GetTax() || got[0].GetDue() != due || got[0].GetDays() != 1 || got[0].GetBookNo() != e.book {
		t.Fatalf("the day after: %v (list %v)", got, l)
	}
	if got := rows(e.wh.tok, after); len(got) != 1 {
		t.Fatalf("the warehouse sees %v", got)
	}
	if got := rows(e.ebc.tok, after); len(got) != 0 {
		t.Fatalf("the shop's enterprise sees %v", got)
	}
}

// TestAttentionEcommerceTaxPaidClears: once customs records the payment of
// a list's tax (EcommerceService.RecordTaxPayment, the amount to the fen),
// the list shows the payment and its ECOMMERCE_TAX_OVERDUE row is gone,
// while the list not paid stays; a fen off is refused and stores nothing.
func TestAttentionEcommerceTaxPaidClears(t *testing.T) {
	e := newEcomEnv(t)
	var lists []*customsv1.InventoryList
	for i, buyer := range []string{"0001", "0002"} {
		a := e.order(t, "EAP-"+string(rune('1'+i)), buyer, "1", "3000")
		var o *customsv1.Order
		for _, doc := range []any{a.order, a.payment, a.waybill} {
			var err error
			if o, err = e.submit(t, e.platform, doc); err != nil {
				t.Fatal(err)
			}
		}
		lists = append(lists, e.wantReleased(t, o, a))
	}
	released, err := time.Parse(time.DateOnly, lists[0].GetReleasedOn())
	if err != nil {
		t.Fatalf("released on %q: %v", lists[0].GetReleasedOn(), err)
	}
	after := released.AddDate(0, 0, 46).Format(time.DateOnly)
	wo := customsv1.NewWriteOffServiceClient(e.s.Conn())
	overdue := func() []string {
		t.Helper()
		r, err := wo.ListAttention(ctxAs(t, e.customs), &customsv1.ListAttentionRequest{AsOf: after})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range r.GetItems() {
			if it.GetKind() == "ECOMMERCE_TAX_OVERDUE" {
				out = append(out, it.GetDocuments()[0]) // the list, then its order
			}
		}
		return out
	}
	if got := overdue(); len(got) != 2 {
		t.Fatalf("before payment: %v", got)
	}
	req := &customsv1.RecordTaxPaymentRequest{PaymentNo: "EAP-TAX-1", Amount: decimal.RequireFromString(lists[0].GetTax()).Add(decimal.New(1, -2)).StringFixed(2), PaidOn: lists[0].GetReleasedOn(), ListNos: []string{lists[0].GetListNo()}}
	_, err = e.ecom.RecordTaxPayment(ctxAs(t, e.customs), req)
	wantRefused(t, err, codes.InvalidArgument, "ECOMMERCE_TAX_PAYMENT_AMOUNT", "amount", "a fen too much")
	if got := overdue(); len(got) != 2 {
		t.Fatalf("after a refused payment: %v", got)
	}
	req.Amount = lists[0].GetTax()
	for _, tok := range []string{e.ebc.tok, e.wh.tok, e.platform} {
		_, err = e.ecom.RecordTaxPayment(ctxAs(t, tok), req)
		wantCode(t, err, codes.PermissionDenied, "a payment recorded by a non-customs caller")
	}
	r, err := e.ecom.RecordTaxPayment(ctxAs(t, e.customs), req)
	if err != nil {
		t.Fatalf("RecordTaxPayment: %v", err)
	}
	if r.GetPayment().GetAmount() != lists[0].GetTax() || r.GetPayment().GetGuarantor() != lists[0].GetGuarantor() {
		t.Fatalf("payment %v", r.GetPayment())
	}
	l, err := e.ecom.GetInventoryList(ctxAs(t, e.customs), &customsv1.GetInventoryListRequest{ListNo: lists[0].GetListNo()})
	if err != nil {
		t.Fatal(err)
	}
	if l.GetList().GetTaxPaymentNo() != "EAP-TAX-1" || l.GetList().GetTaxPaidOn() != req.GetPaidOn() {
		t.Fatalf("paid list %v", l.GetList())
	}
	if got := overdue(); len(got) != 1 || got[0] != lists[1].GetListNo() {
		t.Fatalf("after payment: %v, want only %s", got, lists[1].GetListNo())
	}
	// The guarantor's settlement shows the payment and what is unpaid.
	st, err := e.ecom.GetSettlement(ctxAs(t, e.customs), &customsv1.GetSettlementRequest{Guarantor: lists[0].GetGuarantor(),
		FromDate: lists[0].GetReleasedOn(), ToDate: lists[1].GetReleasedOn()})
	if err != nil {
		t.Fatal(err)
	}
	s := st.GetSettlement()
	due0, due1 := decimal.RequireFromString(lists[0].GetTax()), decimal.RequireFromString(lists[1].GetTax())
	if s.GetTax() != due0.Add(due1).StringFixed(2) || s.GetPaid() != due0.StringFixed(2) || s.GetUnpaid() != due1.StringFixed(2) {
		t.Fatalf("settlement totals due %s paid %s unpaid %s, want %s %s %s", s.GetTax(), s.GetPaid(), s.GetUnpaid(), due0.Add(due1).StringFixed(2), due0.StringFixed(2), due1.StringFixed(2))
	}
	for _, l := range s.GetLines() {
		paid := l.GetListNo() == lists[0].GetListNo()
		if paid != (l.GetTaxPaymentNo() == "EAP-TAX-1" && l.GetTaxPaidOn() == req.GetPaidOn()) || !paid && (l.GetTaxPaymentNo() != "" || l.GetTaxPaidOn() != "") {
			t.Fatalf("settlement line %v", l)
		}
	}
}
