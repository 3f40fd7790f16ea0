package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

var header = []string{"account", "item_code", "quantity", "value"}

func balances() []*ledgerv1.Balance {
	return []*ledgerv1.Balance{
		{Account: &ledgerv1.AccountRef{BookId: "H1", Name: "bonded"}, ItemCode: "1", Quantity: "1200.50000", Value: "86436.00"},
		{Account: &ledgerv1.AccountRef{BookId: "H1", Name: "nonbonded"}, ItemCode: "22", Quantity: "0.00001", Value: "0"},
	}
}

func printList(t *testing.T, f Format) string {
	t.Helper()
	var buf bytes.Buffer
	l := NewList(&buf, f, header)
	for _, b := range balances() {
		if err := l.Add(b, []string{b.GetAccount().GetName(), b.GetItemCode(), b.GetQuantity(), b.GetValue()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTable(t *testing.T) {
	got := printList(t, Table)
	want := "" +
		"ACCOUNT    ITEM_CODE  QUANTITY    VALUE\n" +
		"bonded     1          1200.50000  86436.00\n" +
		"nonbonded  22         0.00001     0\n"
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestCSV(t *testing.T) {
	got := printList(t, CSV)
	want := "account,item_code,quantity,value\nbonded,1,1200.50000,86436.00\nnonbonded,22,0.00001,0\n"
	if got != want {
		t.Errorf("csv:\n%s\nwant:\n%s", got, want)
	}
}

func TestCSVQuotes(t *testing.T) {
	var buf bytes.Buffer
	if err := Rows(&buf, CSV, []string{"name"}, [][]string{{`Board, "printed"`}}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "name\n\"Board, \"\"printed\"\"\"\n" {
		t.Errorf("csv quoting: %q", got)
	}
}

func TestTableCellsWithTabsAndNewlines(t *testing.T) {
	var buf bytes.Buffer
	if err := Rows(&buf, Table, []string{"a", "b"}, [][]string{{"x\ty", "line1\nline2"}}); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "A    B\nx y  line1 line2\n" {
		t.Errorf("table: %q", got)
	}
}

func TestJSONList(t *testing.T) {
	got := printList(t, JSON)
	var arr []map[string]any
	d := json.NewDecoder(strings.NewReader(got))
	d.UseNumber()
	if err := d.Decode(&arr); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, got)
	}
	if len(arr) != 2 {
		t.Fatalf("%d elements", len(arr))
	}
	// Proto field names, decimals as the exact strings.
	if arr[0]["quantity"] != "1200.50000" || arr[0]["item_code"] != "1" || arr[1]["value"] != "0" {
		t.Errorf("element: %v", arr[0])
	}
	if _, ok := arr[0]["lot"]; !ok {
		t.Errorf("unpopulated fields are printed too: %v", arr[0])
	}
	if !strings.HasPrefix(got, "[\n  {\n    \"account\": {") || !strings.HasSuffix(got, "}\n]\n") {
		t.Errorf("layout:\n%s", got)
	}
}

func TestJSONEmptyList(t *testing.T) {
	var buf bytes.Buffer
	l := NewList(&buf, JSON, header)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "[]\n" {
		t.Errorf("empty list: %q", buf.String())
	}
}

func TestOne(t *testing.T) {
	b := balances()[0]
	row := []string{"bonded", "1", "1200.50000", "86436.00"}
	var buf bytes.Buffer
	if err := One(&buf, JSON, b, header, row); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(buf.Bytes(), &obj); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, buf.String())
	}
	if obj["quantity"] != "1200.50000" {
		t.Errorf("object: %v", obj)
	}
	buf.Reset()
	if err := One(&buf, CSV, b, header, row); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "account,item_code,quantity,value\nbonded,1,1200.50000,86436.00\n" {
		t.Errorf("csv: %q", buf.String())
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"table": Table, "JSON": JSON, " csv ": CSV} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("yaml accepted")
	}
}

func withDetails(t *testing.T, c codes.Code, msg string, details ...*errdetails.ErrorInfo) error {
	t.Helper()
	st := status.New(c, msg)
	for _, d := range details {
		var err error
		if st, err = st.WithDetails(d); err != nil {
			t.Fatal(err)
		}
	}
	return st.Err()
}

func TestFormatErrorWithErrorInfo(t *testing.T) {
	err := withDetails(t, codes.FailedPrecondition, "postings[0].quantity: only 3 KGM of item 1 in bonded",
		&errdetails.ErrorInfo{Reason: "INSUFFICIENT_QUANTITY", Domain: "zoneledger", Metadata: map[string]string{"field": "postings[0].quantity"}})
	got := FormatError(err)
	want := "error: postings[0].quantity: only 3 KGM of item 1 in bonded (reason=INSUFFICIENT_QUANTITY, field=postings[0].quantity)\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Wrapped status errors keep their details.
	got = FormatError(fmt.Errorf("posting: %w", err))
	if !strings.HasPrefix(got, "error: posting: postings[0].quantity: only 3") || !strings.Contains(got, "reason=INSUFFICIENT_QUANTITY, field=postings[0].quantity") {
		t.Errorf("wrapped: %q", got)
	}
}

func TestFormatErrorWithoutField(t *testing.T) {
	err := withDetails(t, codes.NotFound, "book H9 does not exist",
		&errdetails.ErrorInfo{Reason: "UNKNOWN_BOOK", Domain: "zoneledger"})
	if got, want := FormatError(err), "error: book H9 does not exist (reason=UNKNOWN_BOOK)\n"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestFormatErrorBadRequestField(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "book_id: value does not match regex").WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "zoneledger"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "book_id", Description: "bad"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := Explain(st.Err())
	if p.Reason != "INVALID_ARGUMENT" || p.Field != "book_id" || p.Code != "INVALID_ARGUMENT" {
		t.Errorf("parts: %+v", p)
	}
}

func TestFormatErrorUnavailableSaysRetry(t *testing.T) {
	got := FormatError(status.Error(codes.Unavailable, "connection refused"))
	if !strings.HasPrefix(got, "error: connection refused (code=UNAVAILABLE)\nhint: ") {
		t.Errorf("got %q", got)
	}
	if !strings.Contains(got, "retry") || !strings.Contains(got, "same idempotency keys") {
		t.Errorf("no retry advice: %q", got)
	}
	if got := FormatError(status.Error(codes.DeadlineExceeded, "deadline exceeded")); !strings.Contains(got, "retry") {
		t.Errorf("deadline: %q", got)
	}
}

func TestFormatErrorPlain(t *testing.T) {
	if got := FormatError(errors.New("boom")); got != "error: boom\n" {
		t.Errorf("got %q", got)
	}
}

func TestCodeName(t *testing.T) {
	if CodeName(codes.FailedPrecondition) != "FAILED_PRECONDITION" || CodeName(codes.Unauthenticated) != "UNAUTHENTICATED" {
		t.Error("code names")
	}
}

func TestTidyMessage(t *testing.T) {
	if got := TidyMessage("book_id: book_id: does not match", "book_id"); got != "book_id: does not match" {
		t.Errorf("got %q", got)
	}
	if got := TidyMessage("x: y", ""); got != "x: y" {
		t.Errorf("got %q", got)
	}
}

// TestTableAlignsChineseNamesByDisplayWidth: a Chinese name takes two
// terminal columns a character, so the columns after it line up only when
// the padding counts display width, not runes or bytes.
func TestTableAlignsChineseNamesByDisplayWidth(t *testing.T) {
	var buf bytes.Buffer
	err := Rows(&buf, Table, []string{"seq", "name", "hs_code", "unit"}, [][]string{
		{"1", "笔记本电脑", "8471300000", "台"},
		{"2", "Notebook PC", "8471300000", "001"},
		{"3", "聚乙烯颗粒 (LDPE)", "3901100000", "千克"},
		{"4", "é", "0000000000", "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"SEQ  NAME               HS_CODE     UNIT\n" +
		"1    笔记本电脑         8471300000  台\n" +
		"2    Notebook PC        8471300000  001\n" +
		"3    聚乙烯颗粒 (LDPE)  3901100000  千克\n" +
		"4    é                  0000000000  x\n"
	if got := buf.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	// Every HS code starts in the same terminal column.
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")[1:] {
		i := strings.Index(line, "0000")
		for i > 0 && line[i-1] != ' ' {
			i--
		}
		if w := uniseg.StringWidth(line[:i]); w != 24 {
			t.Errorf("%q: the HS code starts at column %d, want 24", line, w)
		}
	}
}
