package tests

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// TestZonectlWriteOff drives a write-off with zonectl as its users do: the
// enterprise sets its cycle, customs its start; the enterprise notifies a
// stocktake today and imports an XLSX count with a bad cell, refused with
// its row and column while nothing is stored (the book's stock unchanged);
// the fixed file's differences: one notebook short (VAT 13 % of 5,000.00 =
// 650.00, duty 0) and 2 notebooks found in non-bonded; customs records the
// payment (a cent off is refused), the enterprise explains the surplus,
// customs approves it and its journal is posted; closing sets the book's
// last write-off date, and a list dated in the sealed period is refused.
func TestZonectlWriteOff(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e := z.enterprise(t, "Write-off Ctl")
	book := z.hBook(t, e)
	z.stockIn(t, e, book, lineNotebook, "10", "50000")
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	c.must(e.tok, "customs", "writeoff", "cycle-set", "--book", book, "--months", "6")
	c.must(z.customs, "customs", "writeoff", "cycle-start", "--book", book, "--start", day(-30))
	out := c.must(e.tok, "-o", "json", "customs", "writeoff", "notify", "--inner", "PD-1", "--book", book, "--date", day(0))
	var notice customsv1.Stocktake
	if err := protojson.Unmarshal([]byte(out), &notice); err != nil || notice.GetStocktakeNo() == "" {
		t.Fatalf("notify -o json printed %q (%v)", out, err)
	}
	no := notice.GetStocktakeNo()
	if listed := c.must(z.customs, "-o", "csv", "customs", "writeoff", "stocktakes", "--book", book); !strings.Contains(listed, no+",PD-1,"+book+","+day(0)) {
		t.Fatalf("customs lists the book's stocktakes as %q", listed)
	}

	xlsx := func(name string, rows [][]any) string {
		f := excelize.NewFile()
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return c.file(name, buf.String())
	}
	header := []any{"book_seq", "name", "status", "quantity"}
	bad := xlsx("bad.xlsx", [][]any{header, {1, "notebook", "BONDED", "9"}, {1, "notebook", "NONBONDED", "two"}})
	_, errOut, code := c.run(e.tok, "customs", "writeoff", "import", "--stocktake", no, "--key", "count-1", "--file", bad)
	if code != 1 || !strings.Contains(errOut, "STOCKTAKE_COUNT_ROW") || !strings.Contains(errOut, "row 3, column quantity") || !strings.Contains(errOut, "(D)") {
		t.Fatalf("the bad count file: exit %d, %q", code, errOut)
	}
	z.wantStock(t, book, lineNotebook, st{bonded: "10"})
	gs, err := customsv1.NewWriteOffServiceClient(z.s.Conn()).GetStocktake(ctxAs(t, e.tok), &customsv1.GetStocktakeRequest{StocktakeNo: no})
	if err != nil || gs.GetStocktake().GetStatus() != "NOTIFIED" || gs.GetStocktake().GetRows() != 0 {
		t.Fatalf("after the refused file: %v %v", gs, err)
	}

	good := xlsx("count.xlsx", [][]any{header, {1, "notebook", "BONDED", "9"}, {1, "notebook", "NONBONDED", "2"}})
	c.must(e.tok, "customs", "writeoff", "import", "--stocktake", no, "--key", "count-1", "--file", good)
	diffs := c.must(z.customs, "-o", "csv", "customs", "writeoff", "differences", "--stocktake", no)
	if !strings.Contains(diffs, "1,BONDED,notebook computer,001,10,9,-1,5000.00,650.00,0.00,650.00") || !strings.Contains(diffs, "1,NONBONDED,notebook computer,001,0,2,2,") {
		t.Fatalf("differences printed %q", diffs)
	}
	z.wantStock(t, book, lineNotebook, st{bonded: "9"})

	_, errOut, code = c.run(z.customs, "customs", "writeoff", "pay", "--stocktake", no, "--line", "1", "--payment", "PAY-1", "--amount", "649.99", "--date", day(0))
	if code != 1 || !strings.Contains(errOut, "SHORTAGE_PAYMENT_AMOUNT") {
		t.Fatalf("a payment a cent short: exit %d, %q", code, errOut)
	}
	_, errOut, code = c.run(e.tok, "customs", "writeoff", "close", "--stocktake", no)
	if code != 1 || !strings.Contains(errOut, "WRITE_OFF_UNSETTLED") {
		t.Fatalf("closing with the shortage unpaid: exit %d, %q", code, errOut)
	}
	c.must(z.customs, "customs", "writeoff", "pay", "--stocktake", no, "--line", "1", "--payment", "PAY-1", "--amount", "650.00", "--date", day(0))
	c.must(e.tok, "customs", "writeoff", "explain", "--stocktake", no, "--line", "1", "--status", "nonbonded", "--explanation", "a customer's samples", "--value", "0")
	c.must(z.customs, "customs", "writeoff", "decide", "--stocktake", no, "--line", "1", "--status", "nonbonded", "--approve", "--note", "ok")
	z.wantStock(t, book, lineNotebook, st{bonded: "9", nonBonded: "2"})
	closed := c.must(e.tok, "-o", "csv", "customs", "writeoff", "close", "--stocktake", no)
	if !strings.Contains(closed, ","+day(0)+",") || !strings.Contains(closed, "CLOSED") {
		t.Fatalf("close printed %q", closed)
	}
	// The close sealed the period's evidence: its export verifies offline
	// against the evidence digest the closed stocktake shows.
	var shown customsv1.Stocktake
	if err := protojson.Unmarshal([]byte(c.must(e.tok, "-o", "json", "customs", "writeoff", "stocktake", "--stocktake", no)), &shown); err != nil ||
		len(shown.GetEvidenceDigest()) != 64 || shown.GetEvidenceThrough() != day(0) {
		t.Fatalf("the closed stocktake shows evidence %q through %q (%v)", shown.GetEvidenceDigest(), shown.GetEvidenceThrough(), err)
	}
	evFile := filepath.Join(c.dir, "writeoff-evidence.jsonl")
	c.must(z.customs, "evidence", "export", "--book", book, "--through", shown.GetEvidenceThrough(), "--out", evFile)
	off := &ctl{t: t, addr: "127.0.0.1:1", dir: c.dir}
	if out := off.must("", "verify", "--export", evFile, "--digest", shown.GetEvidenceDigest()); !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("verify of the closed write-off's evidence printed %q", out)
	}
	b, err := z.books.GetBook(ctxAs(t, e.tok), &customsv1.GetBookRequest{BookNo: book})
	if err != nil || b.GetBook().GetLastWriteOffDate() != day(0) {
		t.Fatalf("the book after the close: %v %v", b, err)
	}
	// The period is sealed through today: goods entering today are refused
	// at the gate.
	late := z.file(t, e, entryReq(book, fmt.Sprintf("IN-LATE-%d", nextZoneSeq()), lineNotebook, "1", "5000"))
	p := z.listPass(t, e, late, "2", "P-LATE", "沪A00009")
	_, err = z.gate.RecordGateEvent(ctxAs(t, z.customs), &customsv1.RecordGateEventRequest{PassNo: p.GetPassNo(), EventId: "late-ev", Vehicle: "沪A00009",
		ScaleGross: dec(t, tare).Add(dec(t, late.GetGrossWeight())).String()})
	if errorsv1.ReasonOf(err) != errorsv1.Reason_PERIOD_CLOSED.String() {
		t.Fatalf("goods entering in the sealed period: %v", err)
	}
}
