package writeoff

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// benchCountLines is the size of the benchmarks' count: a book of 10,000 lines.
const benchCountLines = 10_000

func countFileCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("book_seq,status,quantity\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,BONDED,%d\n", i, 100)
	}
	return []byte(b.String())
}

// BenchmarkParseCountsCSV reads a 10,000-row CSV count file.
func BenchmarkParseCountsCSV(b *testing.B) {
	file := countFileCSV(benchCountLines)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := ParseCounts(bytes.NewReader(file), FormatCSV); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCountsXLSX reads a 10,000-row XLSX count file.
func BenchmarkParseCountsXLSX(b *testing.B) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"book_seq", "status", "quantity"}); err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= benchCountLines; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, []any{i, "BONDED", "100"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := ParseCounts(bytes.NewReader(buf.Bytes()), FormatXLSX); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportStocktake imports the count of a book of 10,000 lines, 100
// of them short (one journal, 100 taxable events), each iteration on a
// fresh book: the time is the import alone.
func BenchmarkImportStocktake(b *testing.B) {
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(b), pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(store.Close)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(cycleErrOf(pgstore.Migrations().Up(ctx, store.Pool())))
	must(cycleErrOf(zone.Migrations().Up(ctx, store.Pool())))
	must(cycleErrOf(processing.Migrations().Up(ctx, store.Pool())))
	must(cycleErrOf(CycleMigrations().Up(ctx, store.Pool())))
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	must(err)
	z, err := zone.New(store.Pool(), store, zone.Options{Tax: eng})
	must(err)
	must(z.Start(ctx))
	clock := time.Now()
	cy, err := NewCycles(store.Pool(), store, z, CycleOptions{Now: func() time.Time { return clock }})
	must(err)
	must(cy.Start(ctx))
	u := cycleUSCC(b, "91310000MA1K00001")
	e := access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u}
	officer := access.Principal{ID: "officer", Role: access.RoleCustoms}
	must(cycleErrOf(z.RegisterEnterprise(ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, zone.Enterprise{USCC: u, CustomsCode: "3105960001", Name: "bench"})))
	today := ledger.DayIn(time.Now(), z.Settings().Location)
	counts := make([]Count, benchCountLines)
	for i := range counts {
		q := "100"
		if i%100 == 0 {
			q = "99"
		}
		counts[i] = Count{Row: i + 2, BookSeq: i + 1, Status: CountBonded, Quantity: num(q)}
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		book := fmt.Sprintf("H3105%07d", n)
		must(cycleErrOf(z.CreateBook(ctx, e, zone.Book{No: book, Kind: codes.BookZone, Enterprise: u, CustomsOffice: "3105", Usage: "1"})))
		lines := make([]zone.BookLine, benchCountLines)
		for i := range lines {
			lines[i] = zone.BookLine{Seq: i + 1, HSCode: "8504409999", Name: "part", DeclaredUnit: "007", Legal: zone.LegalUnit{Unit: "007", Factor: num("1")}, Type: codes.GoodsMaterial}
		}
		for from := 0; from < benchCountLines; from += zone.MaxLinesPerDoc {
			must(cycleErrOf(z.AddBookLines(ctx, e, book, lines[from:from+zone.MaxLinesPerDoc])))
		}
		for from := 0; from < benchCountLines; from += ledger.MaxPostings {
			req := ledger.JournalRequest{Book: book, IdempotencyKey: fmt.Sprintf("in-%d", from), EffectiveDate: today,
				Document: ledger.Document{Type: "BENCH", Number: "IN"}, Principal: "bench"}
			for seq := from + 1; seq <= from+ledger.MaxPostings; seq++ {
				req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: book, Code: fmt.Sprint(seq)}, From: ledger.World(zone.WorldAbroad),
					To: ledger.In(book, zone.AccountBonded), Quantity: num("100"), Unit: "007", Value: num("20000")})
			}
			must(cycleErrOf(store.Post(ctx, req)))
		}
		must(cycleErrOf(cy.SetCycleStart(ctx, officer, book, today.AddDate(0, 0, -30))))
		st, err := cy.NotifyStocktake(ctx, e, book, "N", today)
		must(err)
		b.StartTimer()
		st, err = cy.ImportStocktake(ctx, e, st.No, "C", counts)
		must(err)
		if len(st.Differences) != benchCountLines/100 {
			b.Fatalf("%d differences", len(st.Differences))
		}
	}
}
