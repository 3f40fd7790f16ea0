package main

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func example(name string) string { return filepath.Join("examples", name) }

func readExample(t *testing.T, name string) []ecomDoc {
	t.Helper()
	data, err := os.ReadFile(example(name))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := readEcomDocs(data, name, input.Auto)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return docs
}

// The two example files are the same nine documents (3 orders, their
// payments and waybills), in different orders: the CSV form is a faithful
// spelling of the JSON Lines form.
func TestEcomExamplesAreTheSameDocuments(t *testing.T) {
	jl, cv := readExample(t, "ecommerce-docs.jsonl"), readExample(t, "ecommerce-docs.csv")
	if len(jl) != 9 || len(cv) != 9 {
		t.Fatalf("%d JSON documents, %d CSV documents; want 9 each", len(jl), len(cv))
	}
	byKey := map[string]ecomDoc{}
	kinds := map[string]int{}
	for _, d := range jl {
		byKey[d.kind()+" "+d.orderNo()] = d
		kinds[d.kind()]++
	}
	if kinds["order"] != 3 || kinds["payment"] != 3 || kinds["waybill"] != 3 {
		t.Fatalf("kinds %v", kinds)
	}
	for _, d := range cv {
		j, ok := byKey[d.kind()+" "+d.orderNo()]
		if !ok {
			t.Fatalf("CSV %s %s (%s) is not in the JSON Lines file", d.kind(), d.orderNo(), d.source())
		}
		if !proto.Equal(j.doc, d.doc) {
			t.Errorf("%s %s differs:\nJSON (%s): %v\nCSV  (%s): %v", d.kind(), d.orderNo(), j.source(), j.doc, d.source(), d.doc)
		}
	}
	// EC-0002 spans two CSV rows, one per line.
	for _, d := range cv {
		if d.kind() == "order" && d.orderNo() == "EC-0002" && (d.source() != "rows 2-3" || len(d.lineRows) != 2 || len(d.doc.GetOrder().GetLines()) != 2) {
			t.Errorf("EC-0002 in the CSV: %s, line rows %v", d.source(), d.lineRows)
		}
	}
	// The proto's own form, an EcommerceDocument per object, reads the same.
	var sb strings.Builder
	for _, d := range jl {
		sb.Write(mustProtoJSON(t, d.doc))
		sb.WriteByte('\n')
	}
	again, err := readEcomDocs([]byte(sb.String()), "docs.jsonl", input.Auto)
	if err != nil || len(again) != 9 {
		t.Fatalf("EcommerceDocument form: %d documents, %v", len(again), err)
	}
	for i := range again {
		if !proto.Equal(again[i].doc, jl[i].doc) {
			t.Errorf("document %d in the EcommerceDocument form: %v, want %v", i+1, again[i].doc, jl[i].doc)
		}
	}
}

func mustProtoJSON(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	okOrder   = `{"kind": "order", "order_no": "EC-1", "enterprise": "91310115MA1K000029", "buyer": {"name": "王小明", "id_number": "310115199003070017"}, "consignee": {"name": "王小明"}, "goods_value": "3000.00", "freight": "10.00", "tax_total": "273.91", "actual_paid": "3283.91", "lines": [{"item_no": "NB-14-SILVER", "quantity": "1", "price": "3000.00", "total": "3000.00"}]}`
	okPayment = `{"kind": "payment", "order_no": "EC-1", "enterprise": "91310115MA1K000029", "payer": {"name": "王小明", "id_number": "310115199003070017"}, "amount": "3283.91"}`
	okWaybill = `{"kind": "waybill", "order_no": "EC-1", "enterprise": "91310115MA1K000029", "logistics_no": "SF1", "consignee": {"name": "王小明"}}`
	csvHeader = "kind,order_no,enterprise,buyer_name,buyer_id_number,consignee_name,goods_value,freight,tax_total,actual_paid,item_no,quantity,price,total,payer_name,payer_id_number,amount,paid_at,logistics_no\n"
	csvOrder  = "order,EC-1,E1,王小明,310115199003070017,王小明,3000.00,10.00,273.91,3283.91,NB-14-SILVER,1,3000.00,3000.00,,,,,\n"
	csvPay    = "payment,EC-1,E1,,,,,,,,,,,,王小明,310115199003070017,3283.91,,\n"
	csvWay    = "waybill,EC-1,E1,,,王小明,,,,,,,,,,,,,SF1\n"
)

// A mistake in a file is reported with its line and field (JSON) or row and
// column (CSV), exit code 2, and nothing is sent.
func TestEcomFileMistakesNameLineAndField(t *testing.T) {
	rep := strings.NewReplacer
	cases := []struct {
		name, content, want string
	}{
		{"docs.jsonl", okOrder + "\n" + strings.Replace(okPayment, `"payment"`, `"invoice"`, 1) + "\n",
			`docs.jsonl: line 2: kind: "invoice" is not a document kind; write order, payment or waybill`},
		{"docs.jsonl", strings.Replace(okPayment, `"kind": "payment", `, "", 1) + "\n", `docs.jsonl: line 1: kind: is missing`},
		{"docs.jsonl", okPayment + "\n" + okWaybill + "\n" + rep(`"quantity": "1"`, `"quantity": "1e3"`).Replace(okOrder) + "\n",
			`docs.jsonl: line 3: lines[0].quantity: "1e3" is not a decimal number`},
		{"docs.jsonl", rep(`"quantity": "1"`, `"quantity": 1`).Replace(okOrder), `write decimals as JSON strings`},
		{"docs.jsonl", rep(`"freight"`, `"fright"`).Replace(okOrder), `docs.jsonl: line 1: unknown field "fright"`},
		{"docs.jsonl", okWaybill + "\n" + rep(`"310115199003070017"}, "consignee"`, `"31011519900307001"}, "consignee"`).Replace(okOrder),
			`docs.jsonl: line 2: buyer.id_number: "31011519900307001" is not a 身份证 number`},
		{"docs.jsonl", rep(`"total": "3000.00"`, `"total": "3000.01"`).Replace(okOrder),
			`line 1: lines[0].total: is 3000.01; price 3000.00 x quantity 1 = 3000.00`},
		{"docs.jsonl", rep(`"actual_paid": "3283.91"`, `"actual_paid": "3283.90"`).Replace(okOrder),
			`line 1: actual_paid: is 3283.90; goods_value + freight + tax_total - discount = 3283.91`},
		{"docs.jsonl", rep(`"freight": "10.00"`, `"freight": "10.001"`).Replace(okOrder), `line 1: freight: "10.001" has more than 2 decimal places`},
		{"docs.jsonl", okPayment + "\n" + okOrder + "\n" + okPayment + "\n",
			`docs.jsonl: line 3: order_no: a payment for order "EC-1" is already on line 1; each document appears once in a file`},
		{"docs.jsonl", rep(`"logistics_no": "SF1", `, "").Replace(okWaybill), `line 1: logistics_no: is required`},
		{"docs.json", "[" + okOrder + ",\n" + okPayment + ",\n 7]", `docs.json: line 3: expected a JSON object`},
		{"docs.jsonl", okOrder + "\n{\"kind\": \"payment\",\n", `docs.jsonl: line 3: invalid JSON`},

		{"docs.csv", csvHeader + csvOrder + strings.Replace(csvPay, "3283.91", `"3283,91"`, 1),
			`docs.csv: row 3, column "amount": "3283,91" is not a decimal number`},
		{"docs.csv", csvHeader + "payment,EC-1,E1,,,,1.00,,,,,,,,王小明,310115199003070017,3283.91,,\n",
			`docs.csv: row 2, column "goods_value": is "1.00", but the column is for order rows; leave it empty on a payment row`},
		{"docs.csv", csvHeader + csvOrder + strings.Replace(csvOrder, ",1,3000.00,3000.00,", ",0,3000.00,0,", 1),
			`docs.csv: row 3, column "quantity": "0" must be greater than zero`},
		{"docs.csv", csvHeader + csvOrder + strings.Replace(csvOrder, "273.91,3283.91", "273.90,3283.90", 1),
			`docs.csv: row 3, column "tax_total": "273.90" differs from "273.91" on row 2`},
		{"docs.csv", csvHeader + csvWay + strings.Replace(csvOrder, "3000.00,10.00", "6000.00,10.00", 1),
			`docs.csv: row 3, column "goods_value": is 6000.00; the lines total 3000.00`},
		{"docs.csv", csvHeader + csvOrder + strings.Replace(csvPay, "310115199003070017", "3101151990030700XX", 1),
			`docs.csv: row 3, column "payer_id_number": "3101151990030700XX" is not a 身份证 number`},
		{"docs.csv", csvHeader + strings.Replace(csvPay, "3283.91,,", "3283.91,yesterday,", 1),
			`docs.csv: row 2, column "paid_at": "yesterday" is not a time`},
		{"docs.csv", csvHeader + csvPay + csvPay, `docs.csv: row 3, column "order_no": a payment for order "EC-1" is already on row 2`},
		{"docs.csv", csvHeader + strings.Replace(csvWay, "waybill", "parcel", 1), `docs.csv: row 2, column "kind": "parcel" is not a document kind`},
		{"docs.csv", strings.Replace(csvHeader, "logistics_no", "tracking_no", 1) + csvOrder, `docs.csv: row 1: unknown column "tracking_no"`},
		{"docs.csv", "kind,order_no\norder,EC-1\n", `docs.csv: row 1: the header has no "enterprise" column`},
		{"docs.csv", csvHeader + strings.Replace(csvOrder, "NB-14-SILVER,1,3000.00,3000.00", ",,,", 1), `docs.csv: row 2, column "item_no": is empty`},
	}
	for _, c := range cases {
		h := newHarness(t)
		h.nodial = true
		file := writeFile(t, c.name, c.content)
		code := h.run("customs", "ecommerce", "submit", "--file", file)
		msg := strings.ReplaceAll(h.stderr.String(), file, c.name)
		if code != exitUsage || !strings.Contains(msg, c.want) {
			t.Errorf("%s %q:\nexit %d, stderr %s\nwant exit 2 and %q", c.name, c.content, code, msg, c.want)
		}
		if h.stdout.Len() != 0 {
			t.Errorf("%s: stdout %q", c.name, h.stdout.String())
		}
	}
}

// answerLikeTheZone answers SubmitDocuments as the zone would for documents
// that match: an order is PENDING until its three documents are in, then
// RELEASED with list QL + order number; a payment or waybill before its order
// has no order.
func answerLikeTheZone(calls *[]int) func(*customsv1.SubmitDocumentsRequest) (*customsv1.SubmitDocumentsResponse, error) {
	seen := map[string]map[string]bool{}
	return func(r *customsv1.SubmitDocumentsRequest) (*customsv1.SubmitDocumentsResponse, error) {
		*calls = append(*calls, len(r.GetDocuments()))
		out := &customsv1.SubmitDocumentsResponse{}
		for _, d := range r.GetDocuments() {
			no := (ecomDoc{doc: d}).orderNo()
			if seen[no] == nil {
				seen[no] = map[string]bool{}
			}
			seen[no][ecomKind(d)] = true
			res := &customsv1.DocumentResult{}
			if seen[no]["order"] {
				res.Order = &customsv1.Order{OrderNo: no, Status: customsv1.OrderStatus_ORDER_STATUS_PENDING}
				if len(seen[no]) == 3 {
					res.Order.Status, res.Order.ListNo = customsv1.OrderStatus_ORDER_STATUS_RELEASED, "QL"+no
				}
			}
			out.Results = append(out.Results, res)
		}
		return out, nil
	}
}

func TestEcomSubmitBatchesAndPrintsOneRowPerDocument(t *testing.T) {
	h := newHarness(t)
	var calls []int
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = answerLikeTheZone(&calls)
	h.run("-o", "csv", "customs", "ecommerce", "submit", "--file", example("ecommerce-docs.jsonl"), "--batch", "4")
	h.expect(exitOK)
	if len(calls) != 3 || calls[0] != 4 || calls[1] != 4 || calls[2] != 1 {
		t.Errorf("SubmitDocuments calls of %v documents, want 4, 4, 1", calls)
	}
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if err != nil || len(recs) != 10 || strings.Join(recs[0], ",") != "kind,order_no,status,list_no,reason,field,message,source" {
		t.Fatalf("CSV %v (%v):\n%s", recs, err, h.stdout.String())
	}
	want := []string{"payment EC-0002 RECEIVED  line 1", "order EC-0001 PENDING  line 2", "waybill EC-0003 RECEIVED  line 3",
		"waybill EC-0001 PENDING  line 4", "order EC-0002 PENDING  line 5", "payment EC-0001 RELEASED QLEC-0001 line 6",
		"order EC-0003 PENDING  line 7", "waybill EC-0002 RELEASED QLEC-0002 line 8", "payment EC-0003 RELEASED QLEC-0003 line 9"}
	for i, w := range want {
		r := recs[i+1]
		if got := strings.Join([]string{r[0], r[1], r[2], r[3], r[7]}, " "); got != w {
			t.Errorf("row %d: %q, want %q", i+1, got, w)
		}
	}
	if !strings.Contains(h.stderr.String(), "9 documents: 9 accepted, 0 refused; 3 orders: 3 released") {
		t.Errorf("stderr %q", h.stderr.String())
	}

	// -q prints only the released lists; the JSON report has every result.
	calls = nil
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = answerLikeTheZone(&calls)
	h.run("customs", "ecommerce", "submit", "--file", example("ecommerce-docs.csv"), "-q")
	h.expect(exitOK)
	if h.stdout.String() != "QLEC-0001\nQLEC-0003\nQLEC-0002\n" { // in the order the CSV completes them
		t.Errorf("-q printed %q", h.stdout.String())
	}
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = answerLikeTheZone(&calls)
	h.run("-o", "json", "customs", "ecommerce", "submit", "--file", example("ecommerce-docs.jsonl"))
	h.expect(exitOK)
	var rep struct {
		Documents, Accepted int
		Orders              map[string]int
		Results             []struct {
			Source, Kind, Status string
			OrderNo              string          `json:"order_no"`
			ListNo               string          `json:"list_no"`
			Order                json.RawMessage `json:"order"`
		}
	}
	if err := json.Unmarshal(h.stdout.Bytes(), &rep); err != nil || rep.Documents != 9 || rep.Accepted != 9 || rep.Orders["released"] != 3 ||
		len(rep.Results) != 9 || rep.Results[5].ListNo != "QLEC-0001" || !strings.Contains(string(rep.Results[5].Order), `"status": "ORDER_STATUS_RELEASED"`) {
		t.Errorf("JSON report %+v (%v):\n%s", rep, err, h.stdout.String())
	}
}

// A whole call refused because of one document: that document is recorded
// as refused (its field relative to the document, its CSV row and column)
// and the others are sent again; a refused document gives exit code 1.
func TestEcomSubmitIsolatesWholeCallRefusals(t *testing.T) {
	h := newHarness(t)
	file := writeFile(t, "docs.csv", csvHeader+csvPay+csvOrder+strings.Replace(csvOrder, "EC-1", "EC-2", 1)+csvWay)
	var sent [][]string
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = func(r *customsv1.SubmitDocumentsRequest) (*customsv1.SubmitDocumentsResponse, error) {
		var names []string
		for _, d := range r.GetDocuments() {
			names = append(names, ecomKind(d)+":"+(ecomDoc{doc: d}).orderNo())
		}
		sent = append(sent, names)
		for i, d := range r.GetDocuments() {
			if (ecomDoc{doc: d}).orderNo() == "EC-2" {
				return nil, refusal(codes.InvalidArgument, "INVALID_ARGUMENT", "documents["+strconv.Itoa(i)+"].order.lines[0].price",
					"documents["+strconv.Itoa(i)+"].order.lines[0].price: too dear")
			}
		}
		res := make([]*customsv1.DocumentResult, len(r.GetDocuments()))
		for i, d := range r.GetDocuments() {
			res[i] = &customsv1.DocumentResult{Order: &customsv1.Order{OrderNo: "EC-1", Status: customsv1.OrderStatus_ORDER_STATUS_PENDING}}
			if ecomKind(d) == "waybill" {
				res[i] = &customsv1.DocumentResult{Error: &customsv1.DocumentError{Code: "FAILED_PRECONDITION", Reason: "PAYMENT_AMOUNT_MISMATCH",
					Field: "amount", Message: "the payment is 3283.91, the order's actual paid 3283.92"}}
			}
		}
		return &customsv1.SubmitDocumentsResponse{Results: res}, nil
	}
	h.run("-o", "csv", "customs", "ecommerce", "submit", "--file", file)
	h.expect(exitRefused)
	if len(sent) != 2 || len(sent[0]) != 4 || strings.Join(sent[1], " ") != "payment:EC-1 order:EC-1 waybill:EC-1" {
		t.Errorf("calls %v; want the batch, then the batch without EC-2's order", sent)
	}
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Fatalf("CSV %v (%v)", recs, err)
	}
	if r := recs[3]; strings.Join(r, "|") != `order|EC-2|REFUSED||INVALID_ARGUMENT|lines[0].price|lines[0].price: too dear|row 4, column "price"` {
		t.Errorf("the refused order: %q", strings.Join(r, "|"))
	}
	if r := recs[4]; r[2] != "REFUSED" || r[4] != "PAYMENT_AMOUNT_MISMATCH" || r[5] != "amount" || r[7] != "row 5" {
		t.Errorf("the refused waybill: %v", r)
	}
	if !strings.Contains(h.stderr.String(), "4 documents: 2 accepted, 2 refused; 2 orders: 2 pending") {
		t.Errorf("stderr %q", h.stderr.String())
	}
}

// UNAVAILABLE stops the run: what was answered is printed, the rest is
// unanswered, and the error says re-running is safe.
func TestEcomSubmitUnavailableStops(t *testing.T) {
	h := newHarness(t)
	n := 0
	var calls []int
	zone := answerLikeTheZone(&calls)
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = func(r *customsv1.SubmitDocumentsRequest) (*customsv1.SubmitDocumentsResponse, error) {
		if n++; n == 2 {
			return nil, status.Error(codes.Unavailable, "connection refused")
		}
		return zone(r)
	}
	h.run("customs", "ecommerce", "submit", "--file", example("ecommerce-docs.jsonl"), "--batch", "5")
	h.expect(exitRefused)
	out := h.stdout.String()
	if strings.Count(out, "UNANSWERED") != 4 || strings.Count(out, "RECEIVED")+strings.Count(out, "PENDING") != 5 {
		t.Errorf("stdout:\n%s", out)
	}
	if e := h.stderr.String(); !strings.Contains(e, "stopped with 5 of 9 documents answered (re-running the file is safe)") || !strings.Contains(e, "hint: ") {
		t.Errorf("stderr %q", e)
	}
}

func TestEcomSubmitDryRunAndBatchBounds(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	h.env = map[string]string{} // no token: --dry-run needs none
	h.run("customs", "ecommerce", "submit", "--file", example("ecommerce-docs.csv"), "--dry-run")
	h.expect(exitOK)
	if !strings.Contains(h.stderr.String(), "9 documents (3 orders, 3 payments, 3 waybills), well-formed; nothing sent") {
		t.Errorf("stderr %q", h.stderr.String())
	}
	for _, b := range []string{"0", "101"} {
		h.run("customs", "ecommerce", "submit", "--file", example("ecommerce-docs.csv"), "--batch", b)
		h.expect(exitUsage)
	}
}

func TestEcomSettle(t *testing.T) {
	h := newHarness(t)
	settlement := &customsv1.Settlement{Guarantor: "G1", FromDate: "2026-11-01", ToDate: "2026-11-30", Tax: "657.11", Paid: "273.54", Unpaid: "383.57",
		Lines: []*customsv1.SettlementLine{
			{ListNo: "QLEC-0002", OrderNo: "EC-0002", BuyerId: "320102********0023", ReleasedOn: "2026-11-27", DueOn: "2027-01-11", Duty: "0.00", ConsumptionTax: "0.00", Vat: "273.54", Tax: "273.54", TaxPaymentNo: "PAY-1", TaxPaidOn: "2026-11-30"},
			{ListNo: "QLEC-0003", OrderNo: "EC-0003", BuyerId: "440305********002X", ReleasedOn: "2026-11-27", DueOn: "2027-01-11", Duty: "0.00", ConsumptionTax: "0.00", Vat: "383.57", Tax: "383.57"}}}
	var got *customsv1.GetSettlementRequest
	h.calls[customsv1.EcommerceService_GetSettlement_FullMethodName] = func(r *customsv1.GetSettlementRequest) (*customsv1.GetSettlementResponse, error) {
		got = r
		resp := &customsv1.GetSettlementResponse{Settlement: settlement}
		switch r.GetExport() {
		case customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV:
			resp.File, resp.ContentType, resp.FileName = []byte("list_no,...\nTOTAL,G1,,,,,,,657.11,\n"), "text/csv", "settlement-G1.csv"
		case customsv1.SettlementExport_SETTLEMENT_EXPORT_XLSX:
			resp.File, resp.ContentType, resp.FileName = []byte("PK\x03\x04"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "settlement-G1.xlsx"
		}
		return resp, nil
	}
	h.run("-o", "csv", "customs", "ecommerce", "settle", "--guarantor", "G1", "--from", "2026-11-01", "--to", "2026-11-30")
	h.expect(exitOK)
	want := "list_no,order_no,buyer_id,released_on,due_on,duty,consumption_tax,vat,tax,final,tax_payment_no,tax_paid_on,paid,unpaid\n" +
		"QLEC-0002,EC-0002,320102********0023,2026-11-27,2027-01-11,0.00,0.00,273.54,273.54,false,PAY-1,2026-11-30,273.54,0.00\n" +
		"QLEC-0003,EC-0003,440305********002X,2026-11-27,2027-01-11,0.00,0.00,383.57,383.57,false,,,0.00,383.57\n" +
		"TOTAL,G1,,2026-11-01,2026-11-30,,,,657.11,,,,273.54,383.57\n"
	if h.stdout.String() != want || got.GetExport() != customsv1.SettlementExport_SETTLEMENT_EXPORT_UNSPECIFIED || got.GetGuarantor() != "G1" {
		t.Errorf("settle -o csv printed\n%s\nwant\n%s(request %v)", h.stdout.String(), want, got)
	}

	out := filepath.Join(t.TempDir(), "s.csv")
	h.run("customs", "ecommerce", "settle", "--guarantor", "G1", "--from", "2026-11-01", "--to", "2026-11-30", "--export", "csv", "--out", out)
	h.expect(exitOK)
	if b, err := os.ReadFile(out); err != nil || string(b) != "list_no,...\nTOTAL,G1,,,,,,,657.11,\n" || h.stdout.Len() != 0 ||
		!strings.Contains(h.stderr.String(), "2 lists released 2026-11-01 to 2026-11-30, guarantor G1, tax 657.11 CNY (paid 273.54, unpaid 383.57)") {
		t.Errorf("--export csv --out: file %q (%v), stdout %q, stderr %q", b, err, h.stdout.String(), h.stderr.String())
	}
	// The format follows --out's extension; --out - writes to stdout.
	xl := filepath.Join(t.TempDir(), "s.xlsx")
	h.run("customs", "ecommerce", "settle", "--guarantor", "G1", "--from", "2026-11-01", "--to", "2026-11-30", "--out", xl)
	h.expect(exitOK)
	if b, _ := os.ReadFile(xl); string(b) != "PK\x03\x04" || got.GetExport() != customsv1.SettlementExport_SETTLEMENT_EXPORT_XLSX {
		t.Errorf("--out s.xlsx wrote %q, asked for %v", b, got.GetExport())
	}
	h.run("customs", "ecommerce", "settle", "--guarantor", "G1", "--from", "2026-11-01", "--to", "2026-11-30", "--export", "CSV", "--out", "-")
	h.expect(exitOK)
	if !strings.HasSuffix(h.stdout.String(), "657.11,\n") {
		t.Errorf("--out - printed %q", h.stdout.String())
	}

	h.nodial = true
	for _, args := range [][]string{
		{"--from", "2026-11-01", "--to", "2026-11-30", "--export", "csv"},                   // no --out
		{"--from", "2026-11-01", "--to", "2026-11-30", "--out", "s.pdf"},                    // no format
		{"--from", "2026-11-01", "--to", "2026-11-30", "--export", "pdf", "--out", "s.pdf"}, // unknown format
		{"--from", "2026-11-31x", "--to", "2026-11-30"},                                     // bad date
		{"--from", "2026-12-01", "--to", "2026-11-30"},                                      // backwards
		{"--to", "2026-11-30"}, // required flag
	} {
		h.run(append([]string{"customs", "ecommerce", "settle", "--guarantor", "G1"}, args...)...)
		h.expect(exitUsage)
	}
}

func TestEcomChannelOrderInventoryReturn(t *testing.T) {
	h := newHarness(t)
	var reg *customsv1.RegisterChannelRequest
	order := &customsv1.Order{OrderNo: "EC-0002", Enterprise: "E1", Status: customsv1.OrderStatus_ORDER_STATUS_RELEASED, ListNo: "QLEC-0002",
		GoodsValue: "3001.00", TaxTotal: "273.54", ActualPaid: "3254.54",
		Lines: []*customsv1.OrderLine{{ItemNo: "NB-14-SILVER", Quantity: "1", Price: "1500.50", Total: "1500.50"},
			{ItemNo: "NB-14-GREY", Quantity: "1", Price: "1500.50", Total: "1500.50"}}}
	list := &customsv1.InventoryList{ListNo: "QLEC-0002", OrderNo: "EC-0002", Status: customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RELEASED,
		Tax: "273.54", Lines: []*customsv1.InventoryListLine{{Seq: 1, ItemNo: "NB-14-SILVER", BookSeq: 1, Quantity: "1", Unit: "001"},
			{Seq: 2, ItemNo: "NB-14-GREY", BookSeq: 1, Quantity: "1", Unit: "001"}}}
	maps.Copy(h.calls, map[string]any{
		customsv1.EcommerceService_RegisterChannel_FullMethodName: func(r *customsv1.RegisterChannelRequest) (*customsv1.RegisterChannelResponse, error) {
			reg = r
			return &customsv1.RegisterChannelResponse{Channel: &customsv1.Channel{Enterprise: r.GetEnterprise(), Name: r.GetName(),
				Platform: r.GetPlatform(), BookNo: r.GetBookNo(), Guarantor: r.GetGuarantor()}}, nil
		},
		customsv1.EcommerceService_GetOrder_FullMethodName: func(r *customsv1.GetOrderRequest) (*customsv1.GetOrderResponse, error) {
			if r.GetOrderNo() != "EC-0002" {
				return nil, refusal(codes.NotFound, "UNKNOWN_ORDER", "order_no", "no order \""+r.GetOrderNo()+"\" was received")
			}
			return &customsv1.GetOrderResponse{Order: order}, nil
		},
		customsv1.EcommerceService_GetInventoryList_FullMethodName: func(*customsv1.GetInventoryListRequest) (*customsv1.GetInventoryListResponse, error) {
			return &customsv1.GetInventoryListResponse{List: list}, nil
		},
		customsv1.EcommerceService_RequestReturn_FullMethodName: func(*customsv1.RequestReturnRequest) (*customsv1.RequestReturnResponse, error) {
			l := proto.Clone(list).(*customsv1.InventoryList)
			l.Status, l.ReturnAppliedOn = customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURN_REQUESTED, "2026-11-28"
			return &customsv1.RequestReturnResponse{List: l}, nil
		},
	})
	h.run("-o", "csv", "customs", "ecommerce", "channel", "register", "--enterprise", "E1", "--platform", "TMALL", "--book", "H1",
		"--guarantor", "G1", "--name", "Shop")
	h.expect(exitOK)
	if reg.GetBookNo() != "H1" || reg.GetGuarantor() != "G1" || h.stdout.String() != "enterprise,name,platform,book_no,guarantor\nE1,Shop,TMALL,H1,G1\n" {
		t.Errorf("channel register sent %v, printed %q", reg, h.stdout.String())
	}
	h.run("-o", "csv", "customs", "ecommerce", "order", "get", "EC-0002")
	h.expect(exitOK)
	recs, _ := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if len(recs) != 3 || recs[1][2] != "RELEASED" || recs[1][3] != "QLEC-0002" || recs[2][15] != "NB-14-GREY" || recs[2][19] != "1500.50" {
		t.Errorf("order get -o csv: %v", recs)
	}
	h.run("customs", "ecommerce", "order", "get", "EC-0002", "EC-9")
	h.expect(exitRefused)
	if e := h.stderr.String(); !strings.Contains(e, `EC-9: no order "EC-9" was received (reason=UNKNOWN_ORDER, field=order_no)`) {
		t.Errorf("order get of an unknown order: %q", e)
	}
	h.run("-o", "csv", "customs", "ecommerce", "inventory", "get", "QLEC-0002")
	h.expect(exitOK)
	if recs, _ := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll(); len(recs) != 3 || recs[1][7] != "RELEASED" || recs[2][21] != "NB-14-GREY" {
		t.Errorf("inventory get -o csv: %v", recs)
	}
	h.run("-o", "csv", "customs", "ecommerce", "return", "request", "QLEC-0002")
	h.expect(exitOK)
	if recs, _ := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll(); len(recs) != 2 || recs[1][7] != "RETURN_REQUESTED" || recs[1][16] != "2026-11-28" || recs[1][20] != "2" {
		t.Errorf("return request -o csv: %v", recs)
	}
}

// More than 100 documents: batches of 100 and a progress bar on stderr.
func TestEcomSubmitManyShowsProgress(t *testing.T) {
	var b strings.Builder
	for i := range 150 {
		b.WriteString(strings.Replace(okWaybill, `"EC-1"`, `"EC-`+strconv.Itoa(i)+`"`, 1) + "\n")
	}
	file := writeFile(t, "w.jsonl", b.String())
	h := newHarness(t)
	var calls []int
	h.calls[customsv1.EcommerceService_SubmitDocuments_FullMethodName] = answerLikeTheZone(&calls)
	h.run("customs", "ecommerce", "submit", "--file", file)
	h.expect(exitOK)
	if len(calls) != 2 || calls[0] != 100 || calls[1] != 50 {
		t.Errorf("calls of %v documents, want 100 and 50", calls)
	}
	if !strings.Contains(h.stderr.String(), "150/150") || strings.Contains(h.stdout.String(), "150/150") {
		t.Errorf("no progress bar on stderr: %q", h.stderr.String())
	}
	if !strings.Contains(h.stderr.String(), "150 documents: 150 accepted, 0 refused; 150 orders: 150 pending") {
		t.Errorf("summary: %q", h.stderr.String())
	}
	h.run("customs", "ecommerce", "submit", "--file", file, "--no-progress")
	if strings.Contains(h.stderr.String(), "150/150") {
		t.Errorf("--no-progress: %q", h.stderr.String())
	}
}

// TestEcomPartialReturnSendsItsLines: `return request LIST --line SEQ=QTY`
// sends the lines and quantities; a malformed --line, a line named twice,
// or --line with several lists is a usage error and nothing is sent.
func TestEcomPartialReturnSendsItsLines(t *testing.T) {
	h := newHarness(t)
	var sent *customsv1.RequestReturnRequest
	h.calls[customsv1.EcommerceService_RequestReturn_FullMethodName] = func(r *customsv1.RequestReturnRequest) (*customsv1.RequestReturnResponse, error) {
		sent = r
		return &customsv1.RequestReturnResponse{List: &customsv1.InventoryList{ListNo: r.GetListNo(),
			Status: customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURN_REQUESTED}}, nil
	}
	h.run("customs", "ecommerce", "return", "request", "QLEC-0002", "--line", "1=2", "--line", "3=0.5")
	h.expect(exitOK)
	got := sent.GetLines()
	if sent.GetListNo() != "QLEC-0002" || len(got) != 2 || got[0].GetSeq() != 1 || got[0].GetQuantity() != "2" ||
		got[1].GetSeq() != 3 || got[1].GetQuantity() != "0.5" {
		t.Fatalf("sent %v, want QLEC-0002 with lines 1=2 and 3=0.5", sent)
	}
	sent = nil
	h.run("customs", "ecommerce", "return", "request", "QLEC-0002")
	h.expect(exitOK)
	if sent == nil || len(sent.GetLines()) != 0 {
		t.Errorf("a whole return sent %v, want no lines", sent)
	}
	h.nodial = true
	for _, args := range [][]string{
		{"QLEC-0002", "--line", "x=1"},
		{"QLEC-0002", "--line", "0=1"},
		{"QLEC-0002", "--line", "1=-1"},
		{"QLEC-0002", "--line", "1"},
		{"QLEC-0002", "--line", "1=1", "--line", "1=2"},
		{"QLEC-0002", "QLEC-0003", "--line", "1=1"},
	} {
		h.run(append([]string{"customs", "ecommerce", "return", "request"}, args...)...)
		h.expect(exitUsage)
	}
}
