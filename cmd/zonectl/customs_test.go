package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestCustomsCommandsLiveUnderCustoms(t *testing.T) {
	h := newHarness(t)
	h.run("--help")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "customs ") || !strings.Contains(h.stdout.String(), "books ") {
		t.Errorf("root help lacks books or customs:\n%s", h.stdout.String())
	}
	h.run("customs", "--help")
	for _, noun := range []string{"enterprise", "book", "stock", "list", "pass", "form", "slip", "trips", "consumption", "certificate", "taxable"} {
		if !strings.Contains(h.stdout.String(), "\n  "+noun+" ") {
			t.Errorf("customs help lacks %q:\n%s", noun, h.stdout.String())
		}
	}
	// The generic ledger books are untouched.
	h.run("books", "--help")
	if !strings.Contains(h.stdout.String(), "add-accounts") {
		t.Errorf("books help: %s", h.stdout.String())
	}
}

func TestCustomsUsageErrorsExit2WithoutDialing(t *testing.T) {
	badLines := writeFile(t, "lines.csv", "seq,hs_code,name,declared_unit,scale,legal_unit,legal_factor\n1,847130,X,001,0,001,1\n")
	twoPasses := writeFile(t, "passes.json", `[{"inner_no":"P1","book_no":"H1","pass_type":"2","io":"I","vehicle":"A"},
 {"inner_no":"P2","book_no":"H1","pass_type":"2","io":"I","vehicle":"B"}]`)
	slip := writeFile(t, "slip.json", `{"inner_no":"T1","book_no":"H1","io":"E","lines":[{"book_seq":1,"quantity":"1"}]}`)
	badList := writeFile(t, "list.csv", "inner_no,book_no,io,trade_mode,book_seq,quantity\nA,H1,I,5034,1,1e3\n")
	cases := [][]string{
		{"customs", "frob"},
		{"customs", "book", "create", "H1", "--kind", "warehouse", "--enterprise", "E", "--customs-office", "3105"},
		{"customs", "book", "create", "H1", "--kind", "zone", "--enterprise", "E", "--customs-office", "3105", "--cycle", "13"},
		{"customs", "book", "create", "H1", "--kind", "zone"}, // required flags
		{"customs", "book", "status", "H1", "frozen"},
		{"customs", "book", "lines", "add", "H1", "--file", badLines},
		{"customs", "book", "lines", "add", "H1", "--file", badLines, "--format", "xml"},
		{"customs", "book", "lines", "add", "--file", badLines}, // no BOOK
		{"customs", "enterprise", "register", "U1", "--customs-code", "C", "--name", "N", "--credit", "gold"},
		{"customs", "stock"},
		{"customs", "list", "create", "--file", badList},
		{"customs", "list", "ls", "--status", "lost"},
		{"customs", "list", "return", "QD1"}, // --note required
		{"customs", "pass", "create", "--file", twoPasses, "--related", "QD1"},
		{"customs", "pass", "event", "HF1", "--event-id", "e", "--vehicle", "v", "--scale-gross", "1", "--gate", "3"},
		{"customs", "pass", "event", "HF1", "--event-id", "e", "--vehicle", "v", "--scale-gross", "1", "--at", "yesterday"},
		{"customs", "slip", "create", "--file", slip}, // no apply_no
		{"customs", "trips", "H1", "H2"},
		{"customs", "pass", "message", "HF1", "--format", "edi"},
		{"customs", "pass", "message"}, // no PASS
		{"customs", "pass", "receipts"},
		{"customs", "pass", "receipts", filepath.Join(t.TempDir(), "missing.xml")},
	}
	expectUsage(t, cases)
}

func TestBookLinesAddNamesRowAndColumnOfMalformedCell(t *testing.T) {
	h := newHarness(t)
	h.nodial = true
	file := writeFile(t, "lines.csv", "seq,hs_code,name,declared_unit,scale,legal_unit,legal_factor\n"+
		"1,8471300000,Notebook,001,0,001,1\n2,3901100000,PE,035,3,035,0.5e1\n")
	h.run("customs", "book", "lines", "add", "H1", "--file", file)
	h.expect(exitUsage)
	if want := `lines.csv: row 3, column "legal_factor": conversion factor: "0.5e1" is not a decimal number`; !strings.Contains(h.stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", h.stderr.String(), want)
	}
}

func TestBookLinesAddChunksOf1000AndBlamesTheRow(t *testing.T) {
	var b strings.Builder
	b.WriteString("seq,hs_code,name,spec,declared_unit,scale,legal_unit,legal_factor,second_unit,second_factor,type\n")
	for i := 1; i <= 2500; i++ {
		fmt.Fprintf(&b, "%d,3901100000,Polyethylene %d,,035,3,035,1,070,0.001,MATERIAL\n", i, i)
	}
	file := writeFile(t, "lines.csv", b.String())
	h := newHarness(t)
	var sizes []int
	h.calls[customsv1.BookService_AddBookLines_FullMethodName] = func(r *customsv1.AddBookLinesRequest) (*customsv1.AddBookLinesResponse, error) {
		sizes = append(sizes, len(r.GetLines()))
		if r.GetBookNo() != "H1" || r.GetLines()[0].GetSecond().GetFactor() != "0.001" {
			t.Errorf("request: book %q, first line %v", r.GetBookNo(), r.GetLines()[0])
		}
		if len(sizes) == 3 {
			return nil, refusal(codes.AlreadyExists, "BOOK_LINE_CONFLICT", "lines[10].hs_code", "book H1 already has a different line 2011")
		}
		return &customsv1.AddBookLinesResponse{Lines: r.GetLines()}, nil
	}
	h.run("customs", "book", "lines", "add", "H1", "--file", file)
	h.expect(exitRefused)
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Errorf("chunks %v", sizes)
	}
	stderr := h.stderr.String()
	for _, want := range []string{"2000 book lines registered before", `row 2012, column "hs_code"`,
		"(reason=BOOK_LINE_CONFLICT, field=lines[10].hs_code)", "/2500)", "re-running the file is safe"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestBookLinesAddDryRunNeedsNoServer(t *testing.T) {
	h := newHarness(t)
	h.env = map[string]string{}
	h.nodial = true
	file := writeFile(t, "lines.json", `{"seq": 1, "hs_code": "8471300000", "name": "Notebook", "declared_unit": "001",
  "legal": {"unit": "001", "factor": "1"}}`)
	h.run("customs", "book", "lines", "add", "H1", "--file", file, "--dry-run")
	h.expect(exitOK)
	if !strings.Contains(h.stderr.String(), "1 book lines, well-formed; nothing sent") {
		t.Errorf("stderr %q", h.stderr.String())
	}
}

func TestPartsMap(t *testing.T) {
	h := newHarness(t)
	var got map[string]int32
	h.calls[customsv1.BookService_MapPartNumbers_FullMethodName] = func(r *customsv1.MapPartNumbersRequest) (*customsv1.MapPartNumbersResponse, error) {
		got = r.GetParts()
		return &customsv1.MapPartNumbersResponse{}, nil
	}
	h.run("customs", "book", "parts", "map", "H1", "--file", writeFile(t, "parts.csv", "part_number,seq\nNB-1,1\nNB-2,1\nPE,2\n"))
	h.expect(exitOK)
	if fmt.Sprint(got) != "map[NB-1:1 NB-2:1 PE:2]" || !strings.Contains(h.stderr.String(), "3 part numbers mapped on book H1") {
		t.Errorf("parts %v, stderr %q", got, h.stderr.String())
	}
}

func TestEnumsFromFlagsAndArguments(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.BookService_CreateBook_FullMethodName] = func(r *customsv1.CreateBookRequest) (*customsv1.CreateBookResponse, error) {
		if r.GetKind() != customsv1.BookKind_BOOK_KIND_LOGISTICS || r.GetWriteOffCycleMonths() != 6 || r.GetCustomsOffice() != "3105" {
			t.Errorf("request %v", r)
		}
		return &customsv1.CreateBookResponse{Book: &customsv1.Book{BookNo: r.GetBookNo(), Kind: r.GetKind(), Status: customsv1.BookStatus_BOOK_STATUS_EXECUTING}}, nil
	}
	h.run("customs", "book", "create", "T3105W000293", "--kind", "Logistics", "--enterprise", "U1", "--customs-office", "3105", "--cycle", "6", "-o", "csv")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "T3105W000293,LOGISTICS,,,,EXECUTING,0,,\n") {
		t.Errorf("stdout %q", h.stdout.String())
	}
	h.calls[customsv1.BookService_SetLastWriteOffDate_FullMethodName] = func(r *customsv1.SetLastWriteOffDateRequest) (*customsv1.SetLastWriteOffDateResponse, error) {
		return &customsv1.SetLastWriteOffDateResponse{Book: &customsv1.Book{BookNo: r.GetBookNo(), LastWriteOffDate: r.GetDate()}}, nil
	}
	h.run("customs", "book", "write-off", "T3105W000293", "2026-06-30", "-o", "csv")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "last_write_off_date\nT3105W000293,,,,,,0,,2026-06-30\n") {
		t.Errorf("stdout %q", h.stdout.String())
	}
	h.calls[customsv1.BookService_SetBookStatus_FullMethodName] = func(r *customsv1.SetBookStatusRequest) (*customsv1.SetBookStatusResponse, error) {
		if r.GetStatus() != customsv1.BookStatus_BOOK_STATUS_CLOSED {
			t.Errorf("status %v", r.GetStatus())
		}
		return &customsv1.SetBookStatusResponse{Book: &customsv1.Book{BookNo: r.GetBookNo(), Status: r.GetStatus()}}, nil
	}
	h.run("customs", "book", "status", "T3105W000293", "BOOK_STATUS_CLOSED")
	h.expect(exitOK)
	h.calls[customsv1.BookService_RegisterEnterprise_FullMethodName] = func(r *customsv1.RegisterEnterpriseRequest) (*customsv1.RegisterEnterpriseResponse, error) {
		if r.GetCreditRating() != customsv1.CreditRating_CREDIT_RATING_ADVANCED {
			t.Errorf("credit %v", r.GetCreditRating())
		}
		return &customsv1.RegisterEnterpriseResponse{Enterprise: &customsv1.Enterprise{Uscc: r.GetUscc(), CreditRating: r.GetCreditRating()}}, nil
	}
	h.run("customs", "enterprise", "register", "U1", "--customs-code", "3105960001", "--name", "N", "--credit", "advanced")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "ADVANCED") {
		t.Errorf("stdout %q", h.stdout.String())
	}
	var pages []string
	h.calls[customsv1.DeclarationService_ListLists_FullMethodName] = func(r *customsv1.ListListsRequest) (*customsv1.ListListsResponse, error) {
		pages = append(pages, r.GetPageToken())
		if r.GetStatus() != customsv1.ListStatus_LIST_STATUS_DECLARED || r.GetBookNo() != "H1" {
			t.Errorf("filter %v", r)
		}
		if r.GetPageToken() == "" {
			return &customsv1.ListListsResponse{Lists: []*customsv1.List{{ListNo: "QD1"}}, NextPageToken: "p2"}, nil
		}
		return &customsv1.ListListsResponse{Lists: []*customsv1.List{{ListNo: "QD2"}}}, nil
	}
	h.run("customs", "list", "ls", "--book", "H1", "--status", "declared", "-o", "json")
	h.expect(exitOK)
	var arr []map[string]any
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 2 || strings.Join(pages, "|") != "|p2" {
		t.Errorf("list ls: %v %v pages %q", err, h.stdout.String(), pages)
	}
}

// answerList files a list the way the server does: it numbers it and keeps
// the decimal strings it was sent.
func answerList(n *int) func(*customsv1.CreateListRequest) (*customsv1.CreateListResponse, error) {
	return func(r *customsv1.CreateListRequest) (*customsv1.CreateListResponse, error) {
		*n++
		l := &customsv1.List{ListNo: fmt.Sprintf("QD310526%s%09d", r.GetIo(), *n), InnerNo: r.GetInnerNo(), BookNo: r.GetBookNo(),
			Io: r.GetIo(), TradeMode: r.GetTradeMode(), Status: customsv1.ListStatus_LIST_STATUS_DRAFT, Lines: r.GetLines()}
		return &customsv1.CreateListResponse{List: l}, nil
	}
}

func TestListCreateFromCSVQuietKeepsDecimalStrings(t *testing.T) {
	h := newHarness(t)
	n := 0
	var sent []*customsv1.CreateListRequest
	inner := answerList(&n)
	h.calls[customsv1.DeclarationService_CreateList_FullMethodName] = func(r *customsv1.CreateListRequest) (*customsv1.CreateListResponse, error) {
		sent = append(sent, r)
		return inner(r)
	}
	file := writeFile(t, "lists.csv", "inner_no,book_no,io,trade_mode,book_seq,part_number,quantity,total,gross_weight\n"+
		"IN-1,H1,I,5034,1,,100.000,500000.00,1000\n"+
		"IN-2,H1,E,5034,1,,0.00001,1.10,1\n"+
		"IN-1,H1,I,5034,,PE,2500.50,40008.00,2600\n")
	h.run("customs", "list", "create", "--file", file, "-q")
	h.expect(exitOK)
	if h.stdout.String() != "QD310526I000000001\nQD310526E000000002\n" {
		t.Errorf("-q printed %q", h.stdout.String())
	}
	if len(sent) != 2 || len(sent[0].GetLines()) != 2 {
		t.Fatalf("sent %v", sent)
	}
	l := sent[0].GetLines()
	if l[0].GetQuantity() != "100.000" || l[1].GetQuantity() != "2500.50" || l[1].GetPartNumber() != "PE" || sent[1].GetLines()[0].GetQuantity() != "0.00001" {
		t.Errorf("decimals not sent as written: %v", sent)
	}

	// One list in the file: one object in JSON, with the strings as sent.
	h.run("customs", "list", "create", "--file", writeFile(t, "one.json",
		`{"inner_no": "IN-3", "book_no": "H1", "io": "I", "trade_mode": "5034", "lines": [{"book_seq": 1, "quantity": "12.50"}]}`), "-o", "json")
	h.expect(exitOK)
	var obj struct {
		ListNo string `json:"list_no"`
		Lines  []struct {
			Quantity string `json:"quantity"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(h.stdout.Bytes(), &obj); err != nil || obj.ListNo != "QD310526I000000003" || obj.Lines[0].Quantity != "12.50" {
		t.Errorf("json %v: %s", err, h.stdout.String())
	}
}

func TestListCreateRefusalNamesTheRowAndStops(t *testing.T) {
	h := newHarness(t)
	n := 0
	ok := answerList(&n)
	h.calls[customsv1.DeclarationService_CreateList_FullMethodName] = func(r *customsv1.CreateListRequest) (*customsv1.CreateListResponse, error) {
		if r.GetInnerNo() == "IN-2" {
			return nil, refusal(codes.NotFound, "LINE_NOT_ON_BOOK", "lines[1].book_seq", "lines[1].book_seq: line 9 is not on book H1")
		}
		return ok(r)
	}
	file := writeFile(t, "lists.csv", "inner_no,book_no,io,trade_mode,book_seq,quantity\n"+
		"IN-1,H1,I,5034,1,5\nIN-2,H1,I,5034,1,2\nIN-2,H1,I,5034,9,2\nIN-3,H1,I,5034,1,1\n")
	h.run("customs", "list", "create", "--file", file, "-o", "csv")
	h.expect(exitRefused)
	recs, err := csv.NewReader(strings.NewReader(h.stdout.String())).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != "QD310526I000000001" || strings.Join(recs[0], ",") != strings.Join(listView.header, ",") {
		t.Errorf("stdout (the list filed before) %v %v", recs, err)
	}
	stderr := h.stderr.String()
	for _, want := range []string{`1 of 3 lists filed before; the one at row 4, column "book_seq" (inner_no "IN-2") was refused`,
		"re-running the file is safe", "error: lines[1].book_seq: line 9 is not on book H1 (reason=LINE_NOT_ON_BOOK, field=lines[1].book_seq)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if n != 1 {
		t.Errorf("%d lists filed; the run must stop at the refusal", n)
	}
}

func TestListDeclareManyStopsAtTheFirstRefusal(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.DeclarationService_DeclareList_FullMethodName] = func(r *customsv1.DeclareListRequest) (*customsv1.DeclareListResponse, error) {
		if r.GetListNo() == "QD2" {
			return nil, refusal(codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity", "only 60 of line 1 are available")
		}
		return &customsv1.DeclareListResponse{List: &customsv1.List{ListNo: r.GetListNo(), Status: customsv1.ListStatus_LIST_STATUS_DECLARED}}, nil
	}
	h.run("customs", "list", "declare", "QD1", "QD2", "QD3", "-o", "json")
	h.expect(exitRefused)
	var arr []map[string]any
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 1 || arr[0]["status"] != "LIST_STATUS_DECLARED" {
		t.Errorf("stdout is not the one declared list: %v\n%s", err, h.stdout.String())
	}
	if want := "error: QD2: only 60 of line 1 are available (reason=INSUFFICIENT_BONDED_STOCK, field=lines[0].quantity)\n"; h.stderr.String() != want {
		t.Errorf("stderr %q, want %q", h.stderr.String(), want)
	}
}

func TestStockTableCSVAndJSON(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.BookService_GetStockReport_FullMethodName] = func(r *customsv1.GetStockReportRequest) (*customsv1.GetStockReportResponse, error) {
		if r.GetBookNo() != "H1" || r.GetAsOf() != "2026-03-31" {
			t.Errorf("request %v", r)
		}
		return &customsv1.GetStockReportResponse{AsOf: r.GetAsOf(), Lines: []*customsv1.StockLine{
			{BookSeq: 1, Name: "Notebook computer", Unit: "001", Bonded: "100", Available: "60", Reserved: "40", NonBonded: "0",
				NonBondedReserved: "0", Inspection: "0", Undeclared: "0", Display: "0", OutZone: "0"},
			{BookSeq: 2, Name: "Polyethylene", Unit: "035", Bonded: "2510.500", Available: "2500.500", Reserved: "0", NonBonded: "12.25",
				NonBondedReserved: "0", Inspection: "0", Undeclared: "0.00001", Display: "0", OutZone: "10"},
		}}, nil
	}
	h.run("customs", "stock", "H1", "--as-of", "2026-03-31")
	h.expect(exitOK)
	want := "BOOK_SEQ  NAME               UNIT  BONDED    AVAILABLE  RESERVED  NON_BONDED  NON_BONDED_RESERVED  INSPECTION  UNDECLARED  DISPLAY  OUT_ZONE\n" +
		"1         Notebook computer  001   100       60         40        0           0                    0           0           0        0\n" +
		"2         Polyethylene       035   2510.500  2500.500   0         12.25       0                    0           0.00001     0        10\n"
	if h.stdout.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", h.stdout.String(), want)
	}
	h.run("customs", "stock", "H1", "--as-of", "2026-03-31", "-o", "csv")
	if got := strings.SplitN(h.stdout.String(), "\n", 2)[0]; got != strings.Join(stockView.header, ",") {
		t.Errorf("csv header %q", got)
	}
	if !strings.Contains(h.stdout.String(), "2,Polyethylene,035,2510.500,2500.500,0,12.25,0,0,0.00001,0,10\n") {
		t.Errorf("csv:\n%s", h.stdout.String())
	}
	h.run("customs", "stock", "H1", "--as-of", "2026-03-31", "-o", "json")
	var arr []map[string]any
	if err := json.Unmarshal(h.stdout.Bytes(), &arr); err != nil || len(arr) != 2 || arr[1]["bonded"] != "2510.500" || arr[1]["undeclared"] != "0.00001" {
		t.Errorf("json: %v\n%s", err, h.stdout.String())
	}
}

func TestPassCreateRelatedAndHeldEvent(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.GateService_CreatePass_FullMethodName] = func(r *customsv1.CreatePassRequest) (*customsv1.CreatePassResponse, error) {
		if strings.Join(r.GetRelatedNos(), ",") != "QD1,QD2" || r.GetGrossWeight() != "3600.0" {
			t.Errorf("request %v", r)
		}
		return &customsv1.CreatePassResponse{Pass: &customsv1.Pass{PassNo: "HF1", RelatedNos: r.GetRelatedNos(), Status: customsv1.PassStatus_PASS_STATUS_APPLIED}}, nil
	}
	file := writeFile(t, "pass.json", `{"inner_no": "P-1", "book_no": "H1", "pass_type": "2", "bind_type": "1", "io": "I",
  "related_type": "1", "vehicle": "沪A12345", "vehicle_weight": "10000", "gross_weight": "3600.0"}`)
	h.run("customs", "pass", "create", "--file", file, "--related", "QD1", "--related", "QD2", "-q")
	h.expect(exitOK)
	if h.stdout.String() != "HF1\n" {
		t.Errorf("stdout %q", h.stdout.String())
	}

	h.calls[customsv1.GateService_RecordGateEvent_FullMethodName] = func(r *customsv1.RecordGateEventRequest) (*customsv1.RecordGateEventResponse, error) {
		if r.GetScaleGross() != "13600.50" || r.GetGate() != 2 || r.GetEventId() != "G-1" || r.GetAt().AsTime().UTC().Format("15:04") != "01:15" {
			t.Errorf("request %v", r)
		}
		return &customsv1.RecordGateEventResponse{Pass: &customsv1.Pass{PassNo: r.GetPassNo(), Status: customsv1.PassStatus_PASS_STATUS_HELD,
			HoldReasons: []string{"weighed goods 900 kg differ from the declared 400 kg"}}}, nil
	}
	h.run("customs", "pass", "event", "HF1", "--event-id", "G-1", "--vehicle", "沪A12345", "--scale-gross", "13600.50",
		"--gate", "2", "--at", "2026-03-02T09:15:00+08:00")
	h.expect(exitOK)
	if !strings.Contains(h.stdout.String(), "HELD") || !strings.Contains(h.stderr.String(), "pass HF1 is HELD: weighed goods 900 kg") ||
		!strings.Contains(h.stderr.String(), "zonectl customs pass release HF1") {
		t.Errorf("stdout %q\nstderr %q", h.stdout.String(), h.stderr.String())
	}
}

func TestSlipCreateApplyFromTheCommandLine(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.DeclarationService_CreateSlip_FullMethodName] = func(r *customsv1.CreateSlipRequest) (*customsv1.CreateSlipResponse, error) {
		if r.GetApplyNo() != "SQA1" || r.GetLines()[0].GetValue() != "1600.00" {
			t.Errorf("request %v", r)
		}
		return &customsv1.CreateSlipResponse{Slip: &customsv1.Slip{SlipNo: "CRK1", ApplyNo: r.GetApplyNo()}}, nil
	}
	file := writeFile(t, "slip.csv", "inner_no,book_no,io,book_seq,quantity,value\nT-1,H1,E,2,100,1600.00\n")
	h.run("customs", "slip", "create", "--file", file, "--apply", "SQA1", "-q")
	h.expect(exitOK)
	if h.stdout.String() != "CRK1\n" {
		t.Errorf("stdout %q", h.stdout.String())
	}
}

func TestBookLinesListShowsPartNumbers(t *testing.T) {
	h := newHarness(t)
	h.calls[customsv1.BookService_ListBookLines_FullMethodName] = func(*customsv1.ListBookLinesRequest) (*customsv1.ListBookLinesResponse, error) {
		return &customsv1.ListBookLinesResponse{Lines: []*customsv1.BookLine{{BookNo: "H1", Seq: 2, HsCode: "3901100000", Name: "PE",
			DeclaredUnit: "035", Scale: 3, Legal: &customsv1.LegalUnit{Unit: "035", Factor: "1"}, Second: &customsv1.LegalUnit{Unit: "070", Factor: "0.001"},
			Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL, PartNumbers: []string{"PE-1", "PE-2"}}}}, nil
	}
	h.run("customs", "book", "lines", "list", "H1", "-o", "csv")
	h.expect(exitOK)
	if want := "H1,2,3901100000,PE,,035,3,035,1,070,0.001,MATERIAL,PE-1;PE-2\n"; !strings.HasSuffix(h.stdout.String(), want) {
		t.Errorf("csv %q", h.stdout.String())
	}
}

// TestStockHelpNamesWhatItShows: the stock command is the book's stock
// report; its help names every column it prints, and says what bonded
// adds up (display included, as the server computes it).
func TestStockHelpNamesWhatItShows(t *testing.T) {
	c := newApp(io.Discard, io.Discard).stockCmd()
	if !strings.Contains(c.Short, "stock report") || !slices.Contains(c.Aliases, "stock-report") {
		t.Errorf("stock: short %q, aliases %v; want it called the stock report", c.Short, c.Aliases)
	}
	for _, col := range stockView.header[3:] {
		if !strings.Contains(c.Long, "\n  "+col+" ") {
			t.Errorf("stock's help does not explain column %s", col)
		}
	}
	if !strings.Contains(c.Long, "available + reserved + display + out_zone") {
		t.Errorf("stock's help does not say bonded = available + reserved + display + out_zone")
	}
}

// Every rule the protos state is checked before anything is sent (exit 2,
// no dial), with the file position and the field, not only the rules a
// hand-written check happened to copy: a list line's currency longer than
// the proto's 8 characters, a pass line's description over 512, a movement
// on display with no type-C form.
func TestFilesAreCheckedAgainstTheProtoRulesBeforeSending(t *testing.T) {
	long := strings.Repeat("x", 513)
	list := writeFile(t, "list.json", `{"inner_no":"IN-1","book_no":"H1","io":"I","trade_mode":"5034",
 "lines":[{"book_seq":1,"quantity":"1","currency":"RENMINBI-YUAN"}]}`)
	listCSV := writeFile(t, "list.csv", "inner_no,book_no,io,trade_mode,book_seq,quantity,currency\nA,H1,I,5034,1,1,\nA,H1,I,5034,2,1,RENMINBI-YUAN\n")
	pass := writeFile(t, "pass.json", `{"inner_no":"P1","book_no":"H1","pass_type":"2","io":"I","vehicle":"A",
 "lines":[{"book_seq":1,"quantity":"1","description":"`+long+`"}]}`)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"customs", "list", "create", "--file", list}, []string{"list.json: line 1: lines[0].currency:", `"RENMINBI-YUAN"`, "at most 8"}},
		{[]string{"customs", "list", "create", "--file", listCSV}, []string{`list.csv: row 3, column "currency":`, "at most 8"}},
		{[]string{"customs", "pass", "create", "--file", pass, "--related", "QD1"}, []string{"lines[0].description:", "at most 512"}},
	} {
		h := newHarness(t)
		h.nodial = true
		code := h.run(c.args...)
		msg := h.stderr.String()
		if code != exitUsage {
			t.Errorf("zonectl %s: exit %d, want 2; stderr: %s", strings.Join(c.args, " "), code, msg)
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("zonectl %s: stderr %q does not say %q", strings.Join(c.args, " "), msg, w)
			}
		}
	}
}
