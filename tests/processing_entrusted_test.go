package tests

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// gateRegistration files a gate registration (核放单 type 5) of a book and
// lets it pass in direction io ("I" or "E").
func (z *zoneEnv) gateRegistration(t *testing.T, e zEnt, book, io string) string {
	t.Helper()
	inner := fmt.Sprintf("GR-%d", nextZoneSeq())
	p, err := z.gate.CreatePass(ctxAs(t, e.tok), &customsv1.CreatePassRequest{InnerNo: inner, BookNo: book, PassType: "5", Io: io, Vehicle: "沪R30001",
		VehicleWeight: tare, GrossWeight: "100", NetWeight: "90", Lines: []*customsv1.PassLine{{Description: "domestic firm's goods", Quantity: "1", Unit: "035"}}})
	if err != nil {
		t.Fatalf("CreatePass (gate registration): %v", err)
	}
	got := z.gateEvent(t, p.GetPass().GetPassNo(), inner+"-ev", "沪R30001", dec(t, tare).Add(dec(t, "100")).String())
	wantPassStatus(t, got, customsv1.PassStatus_PASS_STATUS_PASSED)
	return got.GetPassNo()
}

// TestZonectlEntrustedAndGeneralTaxpayer drives 委托加工 and an 一纳 sale
// with the built zonectl and the wire: a domestic firm's PE in under a gate
// registration, notebooks made for it (half their PE bonded), back under a
// gate registration taxed on the fee plus the bonded PE; then customs
// records the book as 一纳 and a 清单类型 9 sale of the enterprise's own
// notebooks is taxed with 缓税利息 on the bonded part.
func TestZonectlEntrustedAndGeneralTaxpayer(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e := z.enterprise(t, "Entrusted Ctl")
	book := z.newBook(t, e, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_ZONE)
	z.stockIn(t, e, book, linePE, "100", "1600") // 16 CNY a kg
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	c.must(e.tok, "customs", "processing", "version", "put", "--book", book, "--good", "1", "--version", "1", "--effective", day(-30), "--norm", "2:1:0:50")
	out := c.must(e.tok, "-o", "csv", "customs", "processing", "entrust", "file", "--book", book, "--inner-no", "WT-1", "--client", testUSCC(t, nextZoneSeq()), "--client-name", "苏州某电子有限公司")
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) != 2 {
		t.Fatalf("entrust file printed %q", out)
	}
	wt := strings.Split(rows[1], ",")[0]
	c.must(e.tok, "customs", "processing", "entrust", "receive", "--entrustment", wt, "--inner-no", "WR-1",
		"--gate-registration", z.gateRegistration(t, e, book, "I"), "--line", "2:20:100")
	c.must(e.tok, "customs", "processing", "report", "file", "--book", book, "--inner-no", "SC-WT-1", "--entrustment", wt, "--made", "1:10")
	ret := c.must(e.tok, "-o", "csv", "customs", "processing", "entrust", "return", "--entrustment", wt, "--inner-no", "WF-1",
		"--gate-registration", z.gateRegistration(t, e, book, "E"), "--line", "1:10:500")
	// 10 notebooks × 1 kg × 50 % bonded = 5 kg of bonded PE at 16 = 80.00.
	if !strings.Contains(ret, "RETURN") || !strings.Contains(ret, ",500.00,80.00,") {
		t.Fatalf("entrust return printed %q", ret)
	}
	evs, err := z.decl.ListTaxableEvents(ctxAs(t, z.customs), &customsv1.ListTaxableEventsRequest{BookNo: book})
	if err != nil || len(evs.GetEvents()) != 1 || evs.GetEvents()[0].GetDutiableValue() != "580.00" {
		t.Fatalf("taxable events %v (%v); want one on 580.00", evs.GetEvents(), err)
	}
	if got := c.must(z.customs, "-o", "csv", "customs", "processing", "entrust", "get", wt); !strings.Contains(got, ",80.00,80.00,") || !strings.Contains(got, "2=15") {
		t.Fatalf("entrust get printed %q", got)
	}

	// 一纳: the enterprise's own notebooks sold on a 清单类型 9 list.
	c.must(e.tok, "customs", "processing", "report", "file", "--book", book, "--inner-no", "SC-OWN-1", "--made", "1:2")
	sale := &customsv1.CreateListRequest{InnerNo: "S-9", BookNo: book, Io: "E", TradeMode: "0110", ListType: "9",
		Lines: []*customsv1.ListLine{line(lineNotebook, "2", "10000", "10", "9")}}
	_, err = z.decl.CreateList(ctxAs(t, e.tok), sale)
	wantRefused(t, err, codes.FailedPrecondition, "NOT_GENERAL_TAXPAYER", "list_type", "a 清单类型 9 list on a book not 一纳")
	if _, _, code := c.run(e.tok, "customs", "processing", "general-taxpayer", book); code == 0 {
		t.Fatal("the enterprise recorded itself as 一纳")
	}
	if got := c.must(z.customs, "-o", "csv", "customs", "processing", "general-taxpayer", book); !strings.Contains(got, book+","+e.uscc+",true") {
		t.Fatalf("general-taxpayer printed %q", got)
	}
	l := z.createList(t, e.tok, sale)
	z.declare(t, e.tok, l.GetListNo())
	z.drive(t, e, z.approve(t, l.GetListNo()), "3", "P-S-9")
	evs, err = z.decl.ListTaxableEvents(ctxAs(t, z.customs), &customsv1.ListTaxableEventsRequest{BookNo: book})
	if err != nil || len(evs.GetEvents()) != 2 {
		t.Fatalf("taxable events %v (%v); want two", evs.GetEvents(), err)
	}
	if ev := evs.GetEvents()[1]; !ev.GetGeneralTaxpayer() || ev.GetDutiableValue() != "10000.00" || ev.GetInterestFrom() == "" {
		t.Fatalf("the 一纳 sale's event %v", ev)
	}
}
