package tests

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestZonectlEcommerce drives cross-border e-commerce bonded import (1210)
// through the built zonectl, on the README's e-commerce example: the zone
// warehouse book H31050000001 with notebooks in bonded stock (parts
// NB-14-SILVER and NB-14-GREY on line 1) and the channel of the shop
// 91310115MA1K000029 are set up over gRPC; the test generates the file of
// three orders from cmd/zonectl/examples/ecommerce-docs.jsonl with the tax
// withheld as a platform computes it (TaxService/Quote), shuffled, and the
// platform submits it: every order is released. The CSV example (the same
// documents) is then sent again and changes nothing; the guarantor's
// settlement is exported as CSV and its total checked; one list is returned.
func TestZonectlEcommerce(t *testing.T) {
	needZonectl(t)
	const (
		whUSCC = "91310000MA1K000019" // the warehouse: the customs worked example's enterprise
		book   = "H31050000001"
		shop   = "91310115MA1K000029" // the e-commerce enterprise, its own tax guarantor
	)
	z := newZoneEnv(t)
	if _, err := z.books.RegisterEnterprise(ctxAs(t, z.admin), &customsv1.RegisterEnterpriseRequest{Uscc: whUSCC, CustomsCode: "3105960001",
		Name: "Pudong Precision Parts Co., Ltd."}); err != nil {
		t.Fatalf("RegisterEnterprise: %v", err)
	}
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: "acme", DisplayName: "Warehouse", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: whUSCC})
	wh := zEnt{uscc: whUSCC, principal: "acme", tok: z.a.Issue(t, z.s, "acme")}
	z.newBook(t, wh, book, customsv1.BookKind_BOOK_KIND_ZONE)
	if _, err := z.books.MapPartNumbers(ctxAs(t, wh.tok), &customsv1.MapPartNumbersRequest{BookNo: book,
		Parts: map[string]int32{"NB-14-SILVER": lineNotebook, "NB-14-GREY": lineNotebook}}); err != nil {
		t.Fatalf("MapPartNumbers: %v", err)
	}
	z.stockIn(t, wh, book, lineNotebook, "10", "50000.00")
	z.wantStock(t, book, lineNotebook, st{bonded: "10"})
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: "tmall", DisplayName: "Platform", Role: adminv1.Role_ROLE_PLATFORM,
		LinkedEnterpriseIds: []string{shop}})
	platform := z.a.Issue(t, z.s, "tmall")
	ecom := customsv1.NewEcommerceServiceClient(z.s.Conn())
	if _, err := ecom.RegisterChannel(ctxAs(t, z.customs), &customsv1.RegisterChannelRequest{Enterprise: shop, Name: "Cross-border Shop",
		Platform: "TMALL", BookNo: book, Guarantor: shop}); err != nil {
		t.Fatalf("RegisterChannel: %v", err)
	}

	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	// The same channel registered again with zonectl changes nothing; the platform reads it.
	want := "enterprise,name,platform,book_no,guarantor\n" + shop + ",Cross-border Shop,TMALL," + book + "," + shop + "\n"
	if out := c.must(z.customs, "-o", "csv", "customs", "ecommerce", "channel", "register", "--enterprise", shop, "--platform", "TMALL",
		"--book", book, "--guarantor", shop, "--name", "Cross-border Shop"); out != want {
		t.Errorf("channel register printed %q, want %q", out, want)
	}
	if out := c.must(platform, "-o", "csv", "customs", "ecommerce", "channel", "get", shop); out != want {
		t.Errorf("channel get printed %q, want %q", out, want)
	}

	// The file: the example's documents with the tax quoted today, shuffled.
	date := time.Now().In(zoneLoc)
	docs, taxes, same := ecomExampleWithQuotedTax(t, customsv1.NewTaxServiceClient(z.s.Conn()), platform, date.Format("2006-01-02"))
	rand.New(rand.NewPCG(12, 10)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	file := c.file("docs.jsonl", strings.Join(docs, "\n")+"\n")
	if len(docs) != 9 || len(taxes) != 3 {
		t.Fatalf("%d documents, %d orders; want 9 and 3", len(docs), len(taxes))
	}

	out := c.must(platform, "-o", "csv", "customs", "ecommerce", "submit", "--file", file, "--batch", "4")
	rows := ecomCSVMaps(t, out)
	if len(rows) != 9 {
		t.Fatalf("submit printed %d rows, want 9:\n%s", len(rows), out)
	}
	last := map[string]map[string]string{}
	for _, r := range rows {
		if r["status"] == "REFUSED" || r["status"] == "UNANSWERED" {
			t.Errorf("document refused: %v", r)
		}
		last[r["order_no"]] = r
	}
	for no := range taxes {
		if r := last[no]; r["status"] != "RELEASED" || r["list_no"] != "QL"+no {
			t.Errorf("order %s: its last document answered %v, want RELEASED with list QL%s", no, r, no)
		}
	}
	for _, r := range ecomCSVMaps(t, c.must(platform, "-o", "csv", "customs", "ecommerce", "order", "get", "EC-0001", "EC-0002", "EC-0003")) {
		if r["status"] != "RELEASED" || r["list_no"] != "QL"+r["order_no"] || r["tax_total"] != taxes[r["order_no"]].StringFixed(2) {
			t.Errorf("order get: %v", r)
		}
	}
	z.wantStock(t, book, lineNotebook, st{bonded: "6"})

	// The CSV example holds the same documents: sending them again is safe.
	if same {
		out := c.must(platform, "-o", "csv", "customs", "ecommerce", "submit", "--file", filepath.Join(bins.root, "cmd", "zonectl", "examples", "ecommerce-docs.csv"))
		for _, r := range ecomCSVMaps(t, out) {
			if r["kind"] == "order" && r["status"] != "RELEASED" || r["status"] == "REFUSED" {
				t.Errorf("the CSV example sent again: %v", r)
			}
		}
		z.wantStock(t, book, lineNotebook, st{bonded: "6"})
	}

	// The inventory list of the two-line order.
	lines := ecomCSVMaps(t, c.must(platform, "-o", "csv", "customs", "ecommerce", "inventory", "get", "QLEC-0002"))
	if len(lines) != 2 || lines[0]["status"] != "RELEASED" || lines[0]["tax"] != taxes["EC-0002"].StringFixed(2) || lines[0]["book_no"] != book ||
		lines[0]["guarantor"] != shop || lines[1]["item_no"] != "NB-14-GREY" || lines[1]["book_seq"] != "1" || lines[1]["hs_code"] != hsNotebook {
		t.Errorf("inventory get QLEC-0002: %v", lines)
	}
	// A released order is returned, not cancelled.
	if _, errOut, code := c.run(platform, "customs", "ecommerce", "order", "cancel", "EC-0002"); code != 1 || !strings.Contains(errOut, "reason=WRONG_STATUS") {
		t.Errorf("cancelling a released order: exit %d, stderr %q", code, errOut)
	}

	// The guarantor's settlement, exported as CSV.
	from, to := date.AddDate(0, 0, -1).Format("2006-01-02"), date.AddDate(0, 0, 1).Format("2006-01-02")
	total := decimal.Zero
	for _, tax := range taxes {
		total = total.Add(tax)
	}
	settle := func(want decimal.Decimal, lists int) {
		t.Helper()
		path := filepath.Join(c.dir, "settlement.csv")
		if out := c.must(z.customs, "customs", "ecommerce", "settle", "--guarantor", shop, "--from", from, "--to", to, "--export", "csv", "--out", path); out != "" {
			t.Errorf("settle --out printed %q on stdout", out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(recs) != lists+2 || recs[0][8] != "tax" {
			t.Fatalf("settlement file (%v):\n%s", err, b)
		}
		sum := decimal.Zero
		for _, r := range recs[1 : len(recs)-1] {
			sum = sum.Add(dec(t, r[8]))
		}
		tot := recs[len(recs)-1]
		if tot[0] != "TOTAL" || tot[1] != shop || tot[8] != want.StringFixed(2) || !sum.Equal(want) {
			t.Errorf("settlement file: total row %v, rows sum to %s; want %s\n%s", tot, sum, want.StringFixed(2), b)
		}
		table := ecomCSVMaps(t, c.must(z.customs, "-o", "csv", "customs", "ecommerce", "settle", "--guarantor", shop, "--from", from, "--to", to))
		if len(table) != lists+1 || table[lists]["list_no"] != "TOTAL" || table[lists]["tax"] != want.StringFixed(2) {
			t.Errorf("settle -o csv: %v", table)
		}
	}
	settle(total, 3)

	// A return: applied for, the goods received back; the tax leaves the settlement.
	r := ecomCSVMaps(t, c.must(platform, "-o", "csv", "customs", "ecommerce", "return", "request", "QLEC-0001"))
	if len(r) != 1 || r[0]["status"] != "RETURN_REQUESTED" || r[0]["return_applied_on"] != date.Format("2006-01-02") {
		t.Errorf("return request: %v", r)
	}
	// The warehouse keeping the book confirms the goods arrived, not the platform.
	_, err := ecom.ReceiveReturn(ctxAs(t, platform), &customsv1.ReceiveReturnRequest{ListNo: "QLEC-0001"})
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "list_no", "the platform confirming arrival")
	r = ecomCSVMaps(t, c.must(wh.tok, "-o", "csv", "customs", "ecommerce", "return", "receive", "QLEC-0001"))
	if len(r) != 1 || r[0]["status"] != "RETURNED" || r[0]["return_journal_id"] == "" {
		t.Errorf("return receive: %v", r)
	}
	z.wantStock(t, book, lineNotebook, st{bonded: "7"})
	settle(total.Sub(taxes["EC-0001"]), 2)

	// Customs records the guarantor's payment of the two lists' tax: a fen
	// off is refused; the platform may not record; the same command again
	// answers the same payment; the lists show it.
	paid := taxes["EC-0002"].Add(taxes["EC-0003"])
	day := date.Format("2006-01-02")
	payTax := []string{"customs", "ecommerce", "pay-tax", "QLEC-0002", "QLEC-0003", "--payment-no", "TAX-EC-1", "--paid-on", day, "--amount"}
	if _, errOut, code := c.run(z.customs, append(payTax, paid.Add(decimal.New(1, -2)).StringFixed(2))...); code != 1 || !strings.Contains(errOut, "reason=ECOMMERCE_TAX_PAYMENT_AMOUNT") {
		t.Errorf("pay-tax a fen too much: exit %d, stderr %q", code, errOut)
	}
	if _, errOut, code := c.run(platform, append(payTax, paid.StringFixed(2))...); code != 1 || !strings.Contains(errOut, "reason=PERMISSION_DENIED") {
		t.Errorf("pay-tax by the platform: exit %d, stderr %q", code, errOut)
	}
	first := c.must(z.customs, append([]string{"-o", "csv"}, append(payTax, paid.StringFixed(2))...)...)
	p := ecomCSVMaps(t, first)
	if len(p) != 1 || p[0]["payment_no"] != "TAX-EC-1" || p[0]["amount"] != paid.StringFixed(2) || p[0]["lists"] != "QLEC-0002;QLEC-0003" || p[0]["guarantor"] != shop {
		t.Errorf("pay-tax: %v", p)
	}
	if again := c.must(z.customs, append([]string{"-o", "csv"}, append(payTax, paid.StringFixed(2))...)...); again != first {
		t.Errorf("pay-tax again printed %q, first %q", again, first)
	}
	for _, r := range ecomCSVMaps(t, c.must(platform, "-o", "csv", "customs", "ecommerce", "inventory", "get", "QLEC-0002", "QLEC-0003")) {
		if r["tax_payment_no"] != "TAX-EC-1" || r["tax_paid_on"] != day {
			t.Errorf("inventory get after payment: %v", r)
		}
	}
}

// ecomExampleWithQuotedTax reads the example file's documents and returns
// them as JSON lines with each order's tax as TaxService/Quote gives it on
// date (and actual paid and the payment to match), the taxes by order, and
// whether the example's own figures agree.
func ecomExampleWithQuotedTax(t *testing.T, taxc customsv1.TaxServiceClient, tok, date string) ([]string, map[string]decimal.Decimal, bool) {
	t.Helper()
	f, err := os.Open(filepath.Join(bins.root, "cmd", "zonectl", "examples", "ecommerce-docs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type doc struct {
		kind string
		req  proto.Message
	}
	var all []doc
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("example line %q: %v", sc.Text(), err)
		}
		var kind string
		_ = json.Unmarshal(obj["kind"], &kind)
		delete(obj, "kind")
		body, _ := json.Marshal(obj)
		var req proto.Message
		switch kind {
		case "order":
			req = &customsv1.SubmitOrderRequest{}
		case "payment":
			req = &customsv1.SubmitPaymentRequest{}
		case "waybill":
			req = &customsv1.SubmitWaybillRequest{}
		default:
			t.Fatalf("example line %q: kind %q", sc.Text(), kind)
		}
		if err := protojson.Unmarshal(body, req); err != nil {
			t.Fatalf("example line %q: %v", sc.Text(), err)
		}
		all = append(all, doc{kind, req})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	amount := func(s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		return dec(t, s)
	}
	taxes, paid := map[string]decimal.Decimal{}, map[string]string{}
	same := true
	for _, d := range all {
		o, ok := d.req.(*customsv1.SubmitOrderRequest)
		if !ok {
			continue
		}
		// The dutiable value of each line: its total and its share of freight
		// and insurance, the last line taking what rounding leaves.
		goods := amount(o.GetGoodsValue())
		extra := amount(o.GetFreight()).Add(amount(o.GetInsurance()))
		q := &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_CROSS_BORDER_RETAIL, Date: date}
		allocated := decimal.Zero
		for i, l := range o.GetLines() {
			share := extra.Mul(dec(t, l.GetTotal())).Div(goods).Round(2)
			if i == len(o.GetLines())-1 {
				share = extra.Sub(allocated)
			}
			allocated = allocated.Add(share)
			q.Lines = append(q.Lines, &customsv1.QuoteLine{HsCode: hsNotebook, DutiableValue: dec(t, l.GetTotal()).Add(share).StringFixed(2),
				Quantity: l.GetQuantity(), Unit: "001", Pieces: int32(dec(t, l.GetQuantity()).IntPart())})
		}
		resp, err := taxc.Quote(ctxAs(t, tok), q)
		if err != nil || resp.GetRule() != "CROSS_BORDER_WITHIN_LIMITS" {
			t.Fatalf("Quote for %s: %v, %v", o.GetOrderNo(), resp, err)
		}
		tax := dec(t, resp.GetTotal())
		p := goods.Add(amount(o.GetFreight())).Add(tax).Sub(amount(o.GetDiscount())).StringFixed(2)
		if o.GetTaxTotal() != tax.StringFixed(2) || o.GetActualPaid() != p {
			same = false
			t.Errorf("examples/ecommerce-docs.jsonl: order %s withholds %s tax (actual paid %s); TaxService/Quote gives %s (%s): update the examples",
				o.GetOrderNo(), o.GetTaxTotal(), o.GetActualPaid(), tax.StringFixed(2), p)
		}
		o.TaxTotal, o.ActualPaid = tax.StringFixed(2), p
		taxes[o.GetOrderNo()], paid[o.GetOrderNo()] = tax, p
	}
	var lines []string
	for _, d := range all {
		if p, ok := d.req.(*customsv1.SubmitPaymentRequest); ok {
			if p.GetAmount() != paid[p.GetOrderNo()] {
				same = false
				t.Errorf("examples/ecommerce-docs.jsonl: the payment of %s is %s; the order's actual paid %s", p.GetOrderNo(), p.GetAmount(), paid[p.GetOrderNo()])
			}
			p.Amount = paid[p.GetOrderNo()]
		}
		b, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(d.req)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Fatal(err)
		}
		obj["kind"] = json.RawMessage(`"` + d.kind + `"`)
		line, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	return lines, taxes, same
}

// ecomCSVMaps reads zonectl's CSV output as one map per row.
func ecomCSVMaps(t *testing.T, out string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 1 {
		t.Fatalf("not CSV: %q: %v", out, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		rows = append(rows, m)
	}
	return rows
}
