package processing

import (
	"context"
	"fmt"
	"testing"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// BenchmarkFileReport1000Lines files production reports of 1,000 output
// lines (1,000 finished goods, each consuming 3 of 10 materials by its
// version) against PostgreSQL: the server's work for one report, without
// the transport. The README gives the figures.
func BenchmarkFileReport1000Lines(b *testing.B) {
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(b), pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(store.Close)
	for _, m := range []func() error{
		func() error { _, err := pgstore.Migrations().Up(ctx, store.Pool()); return err },
		func() error { _, err := zone.Migrations().Up(ctx, store.Pool()); return err },
		func() error { _, err := Migrations().Up(ctx, store.Pool()); return err },
	} {
		if err := m(); err != nil {
			b.Fatal(err)
		}
	}
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	if err != nil {
		b.Fatal(err)
	}
	z, err := zone.New(store.Pool(), store, zone.Options{Tax: eng})
	if err != nil {
		b.Fatal(err)
	}
	if err := z.Start(ctx); err != nil {
		b.Fatal(err)
	}
	svc, err := New(store.Pool(), store, z, Options{})
	if err != nil {
		b.Fatal(err)
	}
	u := uscc(b, "91310000MA1K00001")
	e := access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u}
	if _, err := z.RegisterEnterprise(ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, zone.Enterprise{USCC: u, CustomsCode: "3105960001", Name: "Bench"}); err != nil {
		b.Fatal(err)
	}
	book := "H31050000001"
	if _, err := z.CreateBook(ctx, e, zone.Book{No: book, Kind: codes.BookZone, Enterprise: u, CustomsOffice: "3105", Usage: "1"}); err != nil {
		b.Fatal(err)
	}
	const materials, goods = 10, 1000
	var lines []zone.BookLine
	for seq := 1; seq <= materials+goods; seq++ {
		l := zone.BookLine{Seq: seq, HSCode: "3901100000", Name: fmt.Sprintf("line %d", seq), DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Type: codes.GoodsMaterial}
		if seq > materials {
			l.Type, l.DeclaredUnit, l.Scale, l.Legal = codes.GoodsFinished, "007", 0, zone.LegalUnit{Unit: "007", Factor: d("1")}
		}
		lines = append(lines, l)
	}
	for i := 0; i < len(lines); i += zone.MaxLinesPerDoc {
		if _, err := z.AddBookLines(ctx, e, book, lines[i:min(i+zone.MaxLinesPerDoc, len(lines))]); err != nil {
			b.Fatal(err)
		}
	}
	w := &world{ctx: ctx, zone: z, e1: e, customs: access.Principal{ID: "officer", Role: access.RoleCustoms}, book: book}
	for m := 1; m <= materials; m++ {
		w.receiveB(b, m, "1000000000")
	}
	for g := materials + 1; g <= materials+goods; g++ {
		v := Version{Book: book, FinishedSeq: g, Version: "1", EffectiveDate: day("2026-01-01")}
		for k := range 3 {
			v.Norms = append(v.Norms, Norm{MaterialSeq: (g+k)%materials + 1, Net: d("0.95"), LossPercent: d("3")})
		}
		if _, err := svc.PutVersion(ctx, e, v); err != nil {
			b.Fatal(err)
		}
	}
	report := func(n int) Report {
		r := Report{InnerNo: fmt.Sprintf("B-%d", n), Book: book}
		for g := materials + 1; g <= materials+goods; g++ {
			r.Outputs = append(r.Outputs, Output{BookSeq: g, Quantity: d("1")})
		}
		return r
	}
	if _, err := svc.FileReport(ctx, e, report(0)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := svc.FileReport(ctx, e, report(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}
