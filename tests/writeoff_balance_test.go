package tests

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestZonectlWriteoffBalance drives the balance table through zonectl: the
// table, the server's CSV and XLSX files (exact text), and the refusals
// (another enterprise's book, a period that ends before it starts).
func TestZonectlWriteoffBalance(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e1, e2 := z.enterprise(t, "Balance One"), z.enterprise(t, "Balance Two")
	book := z.hBook(t, e1)
	z.stockIn(t, e1, book, lineNotebook, "12", "60000")
	z.stockIn(t, e1, book, linePE, "250.125", "4000")
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	from, to := day(-1), day(0)
	args := []string{"customs", "writeoff", "balance", "--book", book, "--from", from, "--to", to}

	rows := csvRecords(t, c.must(e1.tok, append([]string{"-o", "csv"}, args...)...))
	if len(rows) != 5 || !slices.Equal(rows[0][:10], []string{"book_seq", "name", "unit", "status", "opening", "in", "out", "consumed", "scrap_made", "closing"}) {
		t.Fatalf("balance table: %v", rows)
	}
	if r := rows[3]; r[0] != "2" || r[3] != "BONDED" || r[5] != "250.125" || r[9] != "250.125" || r[10] != "4000.00" || r[11] != "first_line_in 250.125" {
		t.Errorf("line 2 bonded: %v; want 250.125 in first line, closing 250.125 worth 4000.00", r)
	}
	if r := rows[4]; r[3] != "NON_BONDED" || r[9] != "0" {
		t.Errorf("line 2 non-bonded: %v; want a zero row", r)
	}

	// The server's CSV file, and the XLSX with the same text.
	csvOut := c.must(z.customs, append(args, "--format", "csv", "--out", "-")...)
	file := csvRecords(t, csvOut)
	col := slices.Index(file[0], "first_line_in_quantity")
	if len(file) != 5 || col < 0 || file[3][col] != "250.125" || file[3][slices.Index(file[0], "first_line_in_value")] != "4000.00" {
		t.Fatalf("CSV file: %v", file)
	}
	c.must(e1.tok, append(args, "--out", "balance.xlsx")...)
	f, err := excelize.OpenFile(filepath.Join(c.dir, "balance.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := f.GetRows("Balance", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != len(file) {
		t.Fatalf("XLSX has %d rows, CSV %d", len(x), len(file))
	}
	for i := range x {
		if !slices.Equal(x[i], file[i]) {
			t.Fatalf("XLSX row %d %v, CSV %v", i+1, x[i], file[i])
		}
	}
	if _, err := os.Stat(filepath.Join(c.dir, "balance.csv")); err == nil {
		t.Error("a file was written that was not asked for")
	}

	// Another enterprise's book is one that does not exist.
	if _, errOut, code := c.run(e2.tok, args...); code != 1 || !strings.Contains(errOut, "UNKNOWN_BOOK") {
		t.Errorf("E2 on E1's book: exit %d, stderr %q; want 1 and UNKNOWN_BOOK", code, errOut)
	}
	// The API refuses a period that ends before it starts, with its reason.
	wo := customsv1.NewWriteOffServiceClient(z.s.Conn())
	err = drain(wo.GetInventoryBalance(ctxAs(t, e1.tok), &customsv1.GetInventoryBalanceRequest{BookNo: book, From: to, To: from}))
	wantRefused(t, err, codes.InvalidArgument, "BALANCE_PERIOD", "to", "a period ending before it starts")
	err = drain(wo.ExportInventoryBalance(ctxAs(t, z.customs), &customsv1.ExportInventoryBalanceRequest{BookNo: book, From: from, To: to}))
	wantRefused(t, err, codes.InvalidArgument, "-", "format", "an export without a format")
	// zonectl refuses it before calling.
	if _, errOut, code := c.run(e1.tok, "customs", "writeoff", "balance", "--book", book, "--from", to, "--to", from); code != 2 || !strings.Contains(errOut, "after --to") {
		t.Errorf("--from after --to: exit %d, stderr %q; want a usage error", code, errOut)
	}
}
