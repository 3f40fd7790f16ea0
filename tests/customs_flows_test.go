package tests

// The flows of customs/zone/README.md's flow table, end to end over gRPC:
// every step is a call of the generated BookService, DeclarationService and
// GateService clients against the built server, and the book's quantities
// (GetStockReport) are checked after each step.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// zoneLoc is the zone's default time zone (Settings.Location: UTC+8).
var zoneLoc = time.FixedZone("CST", 8*3600)

// businessDate is the zone's business date of a gate event's instant.
func businessDate(p *customsv1.Pass, i int) string {
	return p.GetEvents()[i].GetAt().AsTime().In(zoneLoc).Format("2006-01-02")
}

// wantLots fails unless lots are exactly want ("lot=qty").
func wantLots(t *testing.T, what string, lots []*customsv1.LotQuantity, want ...string) {
	t.Helper()
	var got []string
	for _, l := range lots {
		got = append(got, l.GetLot()+"="+dec(t, l.GetQuantity()).String())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: lots %v, want %v", what, got, want)
	}
}

func wantFlow(t *testing.T, l *customsv1.List, flow string) {
	t.Helper()
	if l.GetFlow() != flow {
		t.Fatalf("list %s has flow %q, want %q", l.GetInnerNo(), l.GetFlow(), flow)
	}
}

// wantTaxable checks a taxable event's fields (money as the wire writes
// it, to the fen).
func wantTaxable(t *testing.T, ev *customsv1.TaxableEvent, l *customsv1.List, seq int32, hs, qty, unit, value, mode, date string) {
	t.Helper()
	got := fmt.Sprintf("list %s line %d book line %d hs %s qty %s %s legal %s %s value %s mode %s date %s enterprise %s book %s",
		ev.GetListNo(), ev.GetListSeq(), ev.GetBookSeq(), ev.GetHsCode(), dec(t, ev.GetQuantity()), ev.GetUnit(),
		dec(t, ev.GetLegalQuantity()), ev.GetLegalUnit(), ev.GetDutiableValue(), ev.GetTradeMode(), ev.GetDate(), ev.GetEnterprise(), ev.GetBookNo())
	want := fmt.Sprintf("list %s line 1 book line %d hs %s qty %s %s legal %s %s value %s mode %s date %s enterprise %s book %s",
		l.GetListNo(), seq, hs, qty, unit, qty, unit, value, mode, date, l.GetEnterprise(), l.GetBookNo())
	if got != want {
		t.Errorf("taxable event:\n got %s\nwant %s", got, want)
	}
}

// wantNotebookTax checks the engine's assessment of a domestic sale of
// notebook computers (sample tariff: duty 0, no consumption tax, VAT 13 %).
func wantNotebookTax(t *testing.T, ev *customsv1.TaxableEvent, vat string) {
	t.Helper()
	if ev.GetAssessError() != "" || ev.GetRule() != "DOMESTIC_SALE" || ev.GetDuty() != "0.00" || ev.GetConsumptionTax() != "0.00" ||
		ev.GetVat() != vat || ev.GetTotal() != vat {
		t.Errorf("assessment: rule %q duty %s ct %s vat %s total %s error %q; want DOMESTIC_SALE 0.00 0.00 %s %s",
			ev.GetRule(), ev.GetDuty(), ev.GetConsumptionTax(), ev.GetVat(), ev.GetTotal(), ev.GetAssessError(), vat, vat)
	}
}

func TestCustomsFlows(t *testing.T) {
	z := newZoneEnv(t)
	e1 := z.enterprise(t, "Processing One")
	e2 := z.enterprise(t, "Logistics Two")
	d, g := z.decl, z.gate

	t.Run("first-line entry and exit: reserved at declaration, deducted at the gate", func(t *testing.T) {
		h := z.hBook(t, e1)
		in := z.createList(t, e1.tok, entryReq(h, "FL-IN", lineNotebook, "100", "500000"))
		wantFlow(t, in, "FIRST_LINE_IN")
		z.wantStock(t, h, lineNotebook, st{})
		z.declare(t, e1.tok, in.GetListNo())
		z.wantStock(t, h, lineNotebook, st{}) // goods coming in reserve nothing
		in = z.approve(t, in.GetListNo())
		wantListStatus(t, in, customsv1.ListStatus_LIST_STATUS_APPROVED)
		z.wantStock(t, h, lineNotebook, st{})
		p := z.listPass(t, e1, in, "2", "FL-P-IN", "沪A10001")
		z.wantStock(t, h, lineNotebook, st{})
		p = z.gateEvent(t, p.GetPassNo(), "fl-ev-in", "沪A10001", "11000") // tare 10000 + 1000 kg of goods
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
		z.wantStock(t, h, lineNotebook, st{bonded: "100"})
		in = z.getList(t, in.GetListNo())
		wantListStatus(t, in, customsv1.ListStatus_LIST_STATUS_CLEARED)
		if got := dec(t, in.GetLines()[0].GetPassed()); got.String() != "100" {
			t.Errorf("entry line passed %s, want 100", got)
		}
		wantLots(t, "entry line", in.GetLines()[0].GetLots(), in.GetListNo()+"-1=100")

		out := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "FL-OUT", BookNo: h, Io: "E", TradeMode: "5034", Country: "JPN",
			Lines: []*customsv1.ListLine{line(lineNotebook, "40", "200000", "400", "360")}})
		wantFlow(t, out, "FIRST_LINE_OUT")
		z.wantStock(t, h, lineNotebook, st{bonded: "100"}) // a draft reserves nothing
		out = z.declare(t, e1.tok, out.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "100", reserved: "40"})
		wantLots(t, "exit line reservation", out.GetLines()[0].GetLots(), in.GetListNo()+"-1=40")
		out = z.approve(t, out.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "100", reserved: "40"})
		p2 := z.listPass(t, e1, out, "2", "FL-P-OUT", "沪A10002")
		z.wantStock(t, h, lineNotebook, st{bonded: "100", reserved: "40"})
		p2 = z.gateEvent(t, p2.GetPassNo(), "fl-ev-out", "沪A10002", "10400")
		wantPassStatus(t, p2, customsv1.PassStatus_PASS_STATUS_PASSED)
		z.wantStock(t, h, lineNotebook, st{bonded: "60"})
		wantListStatus(t, z.getList(t, out.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, h, linePE, st{})
		if evs := z.taxableEvents(t, z.customs, h); len(evs) != 0 {
			t.Errorf("a first-line exit recorded taxable events: %v", evs)
		}
		// As of two days ago the book was empty.
		old, err := z.books.GetStockReport(ctxAs(t, e1.tok), &customsv1.GetStockReportRequest{BookNo: h, AsOf: day(-2)})
		if err != nil || old.GetAsOf() != day(-2) || len(old.GetLines()) != 2 {
			t.Fatalf("GetStockReport as of %s: %v, %v", day(-2), old, err)
		}
		for _, l := range old.GetLines() {
			if !dec(t, l.GetBonded()).IsZero() || !dec(t, l.GetReserved()).IsZero() {
				t.Errorf("as of %s line %d: bonded %s reserved %s, want 0", day(-2), l.GetBookSeq(), l.GetBonded(), l.GetReserved())
			}
		}
	})

	t.Run("second-line domestic sale is a taxable event", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		sale := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "DS-1", BookNo: h, Io: "E", TradeMode: "0110", DeclarationKind: "2",
			Lines: []*customsv1.ListLine{line(lineNotebook, "3", "18000", "30", "27")}})
		wantFlow(t, sale, "SECOND_LINE_OUT")
		z.declare(t, e1.tok, sale.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "3"})
		sale = z.approve(t, sale.GetListNo())
		// A domestic sale leaves on a type-3 pass, not a first-line one.
		_, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "DS-P-wrong", BookNo: h, PassType: "2", BindType: "2", Io: "E",
			RelatedType: "1", RelatedNos: []string{sale.GetListNo()}, Vehicle: "沪D00001", GrossWeight: "30"})
		wantRefused(t, err, codes.InvalidArgument, "PASS_LIST_MISMATCH", "pass_type", "a type-2 pass for a domestic sale")
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "3"})
		if evs := z.taxableEvents(t, e1.tok, h); len(evs) != 0 {
			t.Fatalf("taxable events before the goods left: %v", evs)
		}
		p := z.drive(t, e1, sale, "3", "DS-P")
		z.wantStock(t, h, lineNotebook, st{bonded: "7"})
		wantListStatus(t, z.getList(t, sale.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
		for _, tok := range []string{e1.tok, z.customs} {
			evs := z.taxableEvents(t, tok, h)
			if len(evs) != 1 {
				t.Fatalf("taxable events: %v, want 1", evs)
			}
			wantTaxable(t, evs[0], sale, lineNotebook, hsNotebook, "3", "001", "18000.00", "0110", businessDate(p, 0))
			wantNotebookTax(t, evs[0], "2340.00") // 18000 × 13 %
		}
	})

	t.Run("intra-zone transfer books both books in one journal", func(t *testing.T) {
		h := z.hBook(t, e1)
		tb := z.tBook(t, e2)
		z.stockIn(t, e1, h, linePE, "1000", "16000")
		out := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "TR-OUT", BookNo: h, ListType: "6", Io: "E", TradeMode: "5034", RelatedBookNo: tb,
			Lines: []*customsv1.ListLine{line(linePE, "400", "6400", "", "")}})
		wantFlow(t, out, "INTRA_ZONE_OUT")
		z.declare(t, e1.tok, out.GetListNo())
		z.wantStock(t, h, linePE, st{bonded: "1000", reserved: "400"})
		z.wantStock(t, tb, linePE, st{})
		// The receiving list pairs line by line with equal legal quantities.
		_, err := d.CreateList(ctxAs(t, e2.tok), &customsv1.CreateListRequest{InnerNo: "TR-IN-bad", BookNo: tb, ListType: "6", Io: "I", TradeMode: "5034",
			RelatedListNo: out.GetListNo(), Lines: []*customsv1.ListLine{line(linePE, "300", "4800", "", "")}})
		wantRefused(t, err, codes.InvalidArgument, "TRANSFER_PAIR_MISMATCH", "lines[0].quantity", "a receiving list of 300 kg for 400 kg sent")
		// 0.4 t in the second legal unit is 400 kg.
		rcv := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "TR-IN", BookNo: tb, ListType: "6", Io: "I", TradeMode: "5034",
			RelatedListNo: out.GetListNo(), Lines: []*customsv1.ListLine{{BookSeq: linePE, Quantity: "0.4", Unit: "070", Total: "6400"}}})
		wantFlow(t, rcv, "INTRA_ZONE_IN")
		if rcv.GetRelatedBookNo() != h || dec(t, rcv.GetLines()[0].GetDeclaredQuantity()).String() != "400" {
			t.Fatalf("receiving list: related book %q, declared quantity %s; want %s, 400", rcv.GetRelatedBookNo(), rcv.GetLines()[0].GetDeclaredQuantity(), h)
		}
		z.declare(t, e2.tok, rcv.GetListNo())
		z.wantStock(t, h, linePE, st{bonded: "1000", reserved: "400"})
		z.wantStock(t, tb, linePE, st{})
		out = z.approve(t, out.GetListNo())
		wantListStatus(t, out, customsv1.ListStatus_LIST_STATUS_APPROVED) // waits for its pair
		z.wantStock(t, h, linePE, st{bonded: "1000", reserved: "400"})
		z.wantStock(t, tb, linePE, st{})
		rcv = z.approve(t, rcv.GetListNo())
		wantListStatus(t, rcv, customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, h, linePE, st{bonded: "600"})
		z.wantStock(t, tb, linePE, st{bonded: "400"})
		out = z.getList(t, out.GetListNo())
		wantListStatus(t, out, customsv1.ListStatus_LIST_STATUS_CLEARED)
		oj, rj := out.GetJournalIds(), rcv.GetJournalIds()
		if len(oj) == 0 || len(rj) == 0 || oj[len(oj)-1] != rj[len(rj)-1] {
			t.Fatalf("sender's journals %v, receiver's %v: want the same last journal", oj, rj)
		}
		j, err := z.s.Ledger().GetJournal(ctxAs(t, z.customs), &ledgerv1.GetJournalRequest{JournalId: oj[len(oj)-1]})
		if err != nil {
			t.Fatalf("GetJournal %d: %v", oj[len(oj)-1], err)
		}
		var offSender, ontoReceiver string
		for _, p := range j.GetJournal().GetPostings() {
			if p.GetFrom().GetBookId() == h && p.GetFrom().GetName() == "reserved" {
				offSender = dec(t, p.GetQuantity()).String()
			}
			if p.GetTo().GetBookId() == tb && p.GetTo().GetName() == "bonded" {
				ontoReceiver = dec(t, p.GetQuantity()).String()
			}
		}
		if offSender != "400" || ontoReceiver != "400" {
			t.Errorf("journal %d: %s off %s reserved, %s onto %s bonded; want 400 and 400 in the one journal:\n%v", j.GetJournal().GetJournalId(), offSender, h, ontoReceiver, tb, j.GetJournal())
		}

		// Approved the other way round: the receiver's list waits for the sender's.
		out2 := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "TR-OUT-2", BookNo: h, ListType: "6", Io: "E", TradeMode: "5034", RelatedBookNo: tb,
			Lines: []*customsv1.ListLine{line(linePE, "100", "1600", "", "")}})
		z.declare(t, e1.tok, out2.GetListNo())
		rcv2 := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "TR-IN-2", BookNo: tb, ListType: "6", Io: "I", TradeMode: "5034",
			RelatedListNo: out2.GetListNo(), Lines: []*customsv1.ListLine{line(linePE, "100", "1600", "", "")}})
		z.declare(t, e2.tok, rcv2.GetListNo())
		wantListStatus(t, z.approve(t, rcv2.GetListNo()), customsv1.ListStatus_LIST_STATUS_APPROVED)
		z.wantStock(t, h, linePE, st{bonded: "600", reserved: "100"})
		z.wantStock(t, tb, linePE, st{bonded: "400"})
		wantListStatus(t, z.approve(t, out2.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
		wantListStatus(t, z.getList(t, rcv2.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, h, linePE, st{bonded: "500"})
		z.wantStock(t, tb, linePE, st{bonded: "500"})
	})

	t.Run("inter-zone transfers (1200) name the other zone's book", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		_, err := d.CreateList(ctxAs(t, e1.tok), &customsv1.CreateListRequest{InnerNo: "IZ-0", BookNo: h, Io: "E", TradeMode: "1200", TransferType: "E",
			Lines: []*customsv1.ListLine{line(lineNotebook, "4", "", "40", "")}})
		wantRefused(t, err, codes.InvalidArgument, "INVALID_ARGUMENT", "related_book_no", "1200 without the other zone's book")
		iz := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "IZ-1", BookNo: h, Io: "E", TradeMode: "1200", TransferType: "E",
			RelatedBookNo: "H22010000009", Lines: []*customsv1.ListLine{line(lineNotebook, "4", "20000", "40", "")}})
		wantFlow(t, iz, "INTER_ZONE_OUT")
		z.declare(t, e1.tok, iz.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "4"})
		iz = z.approve(t, iz.GetListNo())
		z.drive(t, e1, iz, "3", "IZ-P1")
		z.wantStock(t, h, lineNotebook, st{bonded: "6"})
		wantListStatus(t, z.getList(t, iz.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)

		back := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "IZ-2", BookNo: h, Io: "I", TradeMode: "1200", TransferType: "D",
			RelatedBookNo: "H22010000009", Lines: []*customsv1.ListLine{line(lineNotebook, "3", "15000", "30", "")}})
		wantFlow(t, back, "INTER_ZONE_IN")
		z.wantStock(t, h, lineNotebook, st{bonded: "6"})
		z.drive(t, e1, back, "3", "IZ-P2")
		z.wantStock(t, h, lineNotebook, st{bonded: "9"})
		if evs := z.taxableEvents(t, z.customs, h); len(evs) != 0 {
			t.Errorf("inter-zone transfers recorded taxable events: %v", evs)
		}
	})

	t.Run("enter first on a type-1 pass, declare later on a type-3 list", func(t *testing.T) {
		h := z.hBook(t, e1)
		resp, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "EF-P1", BookNo: h, PassType: "1", Io: "I", RelatedType: "3",
			RelatedNos: []string{"MSKU1234567"}, Vehicle: "沪E00001", GrossWeight: "100",
			Lines: []*customsv1.PassLine{{BookSeq: lineNotebook, Quantity: "6", Value: "30000", Country: "DEU"}}})
		if err != nil {
			t.Fatalf("CreatePass type 1: %v", err)
		}
		p := resp.GetPass()
		z.wantStock(t, h, lineNotebook, st{})
		p = z.gateEvent(t, p.GetPassNo(), "ef-ev", "沪E00001", "100")
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
		z.wantStock(t, h, lineNotebook, st{undeclared: "6"})
		_, err = d.CreateList(ctxAs(t, e1.tok), &customsv1.CreateListRequest{InnerNo: "EF-L0", BookNo: h, ListType: "3", Io: "I", TradeMode: "5034",
			EntryPassNos: []string{p.GetPassNo()}, Lines: []*customsv1.ListLine{line(lineNotebook, "7", "35000", "", "")}})
		wantRefused(t, err, codes.InvalidArgument, "PASS_EXCEEDS_LIST", "lines[0].quantity", "declaring 7 of 6 entered")
		l := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "EF-L1", BookNo: h, ListType: "3", Io: "I", TradeMode: "5034",
			EntryPassNos: []string{p.GetPassNo()}, Lines: []*customsv1.ListLine{line(lineNotebook, "6", "30000", "", "")}})
		wantFlow(t, l, "ENTER_FIRST")
		z.wantStock(t, h, lineNotebook, st{undeclared: "6"})
		z.declare(t, e1.tok, l.GetListNo())
		z.wantStock(t, h, lineNotebook, st{undeclared: "6"})
		l = z.approve(t, l.GetListNo())
		wantListStatus(t, l, customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, h, lineNotebook, st{bonded: "6"})
		wantLots(t, "先入区后报关 line", l.GetLines()[0].GetLots(), p.GetPassNo()+"-1=6")
	})

	t.Run("分送集报: trips on slips, then one collective list", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		fr, err := d.CreateForm(ctxAs(t, e1.tok), &customsv1.CreateFormRequest{InnerNo: "FA-1", BookNo: h, FormType: "A", ValidFrom: day(-1), ValidUntil: day(90)})
		if err != nil {
			t.Fatalf("CreateForm: %v", err)
		}
		form := fr.GetForm().GetFormNo()
		var slips []string
		var passedOn, deadline string
		left := 10
		for _, q := range []int{2, 3} {
			sr, err := d.CreateSlip(ctxAs(t, e1.tok), &customsv1.CreateSlipRequest{InnerNo: fmt.Sprint("S-", q), BookNo: h, ApplyNo: form, Io: "E",
				Lines: []*customsv1.SlipLine{{BookSeq: lineNotebook, Quantity: fmt.Sprint(q), Value: "5000", GrossWeight: "20"}}})
			if err != nil {
				t.Fatalf("CreateSlip %d: %v", q, err)
			}
			sl := sr.GetSlip()
			if sl.GetStatus() != customsv1.SlipStatus_SLIP_STATUS_FILED {
				t.Fatalf("slip %s is %s", sl.GetSlipNo(), sl.GetStatus())
			}
			z.wantStock(t, h, lineNotebook, st{bonded: fmt.Sprint(left)})
			vehicle := fmt.Sprint("沪J0000", q)
			pr, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: fmt.Sprint("PS-", q), BookNo: h, PassType: "3", Io: "E",
				RelatedType: "2", RelatedNos: []string{sl.GetSlipNo()}, Vehicle: vehicle, GrossWeight: "20"})
			if err != nil {
				t.Fatalf("CreatePass for slip %s: %v", sl.GetSlipNo(), err)
			}
			p := z.gateEvent(t, pr.GetPass().GetPassNo(), fmt.Sprint("jb-ev-", q), vehicle, "25")
			wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
			left -= q
			z.wantStock(t, h, lineNotebook, st{bonded: fmt.Sprint(left)})
			gs, err := d.GetSlip(ctxAs(t, e1.tok), &customsv1.GetSlipRequest{SlipNo: sl.GetSlipNo()})
			if err != nil {
				t.Fatalf("GetSlip: %v", err)
			}
			sl = gs.GetSlip()
			passedOn = businessDate(p, 0)
			on, _ := time.Parse("2006-01-02", passedOn)
			deadline = time.Date(on.Year(), on.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02") // end of the trip's month
			if sl.GetStatus() != customsv1.SlipStatus_SLIP_STATUS_PASSED || sl.GetPassNo() != p.GetPassNo() || sl.GetPassedOn() != passedOn || sl.GetDeadline() != deadline {
				t.Fatalf("slip after its trip: %s pass %s passed on %s deadline %s; want PASSED %s %s %s", sl.GetStatus(), sl.GetPassNo(), sl.GetPassedOn(), sl.GetDeadline(),
					p.GetPassNo(), passedOn, deadline)
			}
			slips = append(slips, sl.GetSlipNo())
		}
		if evs := z.taxableEvents(t, e1.tok, h); len(evs) != 0 {
			t.Fatalf("taxable events before the collective declaration: %v", evs)
		}
		tr, err := d.ListPendingTrips(ctxAs(t, e1.tok), &customsv1.ListPendingTripsRequest{BookNo: h, AsOf: passedOn})
		if err != nil {
			t.Fatalf("ListPendingTrips: %v", err)
		}
		on, _ := time.Parse("2006-01-02", passedOn)
		dl, _ := time.Parse("2006-01-02", deadline)
		days := int32(dl.Sub(on).Hours() / 24)
		if len(tr.GetTrips()) != 2 {
			t.Fatalf("pending trips: %v, want 2", tr.GetTrips())
		}
		for i, trip := range tr.GetTrips() {
			if trip.GetSlip().GetSlipNo() != slips[i] || trip.GetDaysLeft() != days || trip.GetNearing() != (days <= 5) || trip.GetOverdue() {
				t.Errorf("pending trip %d: slip %s days left %d nearing %v overdue %v; want %s %d %v false", i, trip.GetSlip().GetSlipNo(),
					trip.GetDaysLeft(), trip.GetNearing(), trip.GetOverdue(), slips[i], days, days <= 5)
			}
		}
		collective := func(inner, qty, total string) *customsv1.CreateListRequest {
			return &customsv1.CreateListRequest{InnerNo: inner, BookNo: h, ListType: "1", Io: "E", TradeMode: "0110", ApplyNo: form, SlipNos: slips,
				Lines: []*customsv1.ListLine{line(lineNotebook, qty, total, "", "")}}
		}
		before := z.bookState(t, h)
		_, err = d.CreateList(ctxAs(t, e1.tok), collective("JB-bad", "4", "20000"))
		wantRefused(t, err, codes.InvalidArgument, "COLLECTIVE_SLIP_MISMATCH", "lines", "a collective list of 4 for trips of 5")
		z.wantBookState(t, h, before, "the refused collective list")
		jb := z.createList(t, e1.tok, collective("JB-1", "5", "25000"))
		wantFlow(t, jb, "COLLECTIVE_OUT")
		z.declare(t, e1.tok, jb.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "5"}) // the goods are out already: nothing to reserve
		jb = z.approve(t, jb.GetListNo())
		wantListStatus(t, jb, customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, h, lineNotebook, st{bonded: "5"}) // and nothing more to book
		for _, no := range slips {
			gs, err := d.GetSlip(ctxAs(t, e1.tok), &customsv1.GetSlipRequest{SlipNo: no})
			if err != nil || gs.GetSlip().GetStatus() != customsv1.SlipStatus_SLIP_STATUS_DECLARED || gs.GetSlip().GetListNo() != jb.GetListNo() {
				t.Errorf("slip %s after the collective list: %v, %v; want DECLARED by %s", no, gs.GetSlip(), err, jb.GetListNo())
			}
		}
		tr, err = d.ListPendingTrips(ctxAs(t, e1.tok), &customsv1.ListPendingTripsRequest{BookNo: h})
		if err != nil || len(tr.GetTrips()) != 0 {
			t.Errorf("pending trips after the collective list: %v, %v; want none", tr.GetTrips(), err)
		}
		evs := z.taxableEvents(t, e1.tok, h)
		if len(evs) != 1 {
			t.Fatalf("taxable events: %v, want 1", evs)
		}
		wantTaxable(t, evs[0], jb, lineNotebook, hsNotebook, "5", "001", "25000.00", "0110", evs[0].GetDate())
		if evs[0].GetDate() == "" {
			t.Errorf("taxable event without a date")
		}
		wantNotebookTax(t, evs[0], "3250.00") // 25000 × 13 %
	})

	t.Run("non-declared goods on type-4 passes and 区内直转 each way", func(t *testing.T) {
		tb := z.tBook(t, e2)
		nb := z.file(t, e2, &customsv1.CreateListRequest{InnerNo: "NB-IN", BookNo: tb, Io: "I", TradeMode: "5034", DeclareFlag: "2",
			Lines: []*customsv1.ListLine{line(lineNotebook, "50", "100000", "500", "450")}})
		wantFlow(t, nb, "NON_DECLARED_IN")
		z.wantStock(t, tb, lineNotebook, st{})
		z.drive(t, e2, nb, "4", "NB-P1")
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "50"})

		nbOut := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "NB-OUT", BookNo: tb, Io: "E", TradeMode: "5034", DeclareFlag: "2",
			Lines: []*customsv1.ListLine{line(lineNotebook, "10", "20000", "100", "90")}})
		wantFlow(t, nbOut, "NON_DECLARED_OUT")
		z.declare(t, e2.tok, nbOut.GetListNo())
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "50", nbReserved: "10"})
		nbOut = z.approve(t, nbOut.GetListNo())
		z.drive(t, e2, nbOut, "4", "NB-P2")
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "40"})

		// 区内直转 to bonded: through the 待检区, booked on the declaration's release.
		sw := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "SW-IN", BookNo: tb, ListType: "Z", Io: "I", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(lineNotebook, "20", "40000", "", "")}})
		wantFlow(t, sw, "SWITCH_TO_BONDED")
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "40"})
		z.declare(t, e2.tok, sw.GetListNo())
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "20", inspection: "20"})
		_, err := d.ClearList(ctxAs(t, e2.tok), &customsv1.ClearListRequest{ListNo: sw.GetListNo(), DeclarationNo: "310520261000000001"})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "list_no", "clearing a 区内直转 list before approval")
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "20", inspection: "20"})
		sw = z.approve(t, sw.GetListNo())
		wantListStatus(t, sw, customsv1.ListStatus_LIST_STATUS_APPROVED)
		z.wantStock(t, tb, lineNotebook, st{nonBonded: "20", inspection: "20"})
		cr, err := d.ClearList(ctxAs(t, e2.tok), &customsv1.ClearListRequest{ListNo: sw.GetListNo(), DeclarationNo: "310520261000000001"})
		if err != nil {
			t.Fatalf("ClearList: %v", err)
		}
		wantListStatus(t, cr.GetList(), customsv1.ListStatus_LIST_STATUS_CLEARED)
		if cr.GetList().GetDeclarationNo() != "310520261000000001" {
			t.Errorf("cleared list declaration %q", cr.GetList().GetDeclarationNo())
		}
		z.wantStock(t, tb, lineNotebook, st{bonded: "20", nonBonded: "20"})
		if evs := z.taxableEvents(t, e2.tok, tb); len(evs) != 0 {
			t.Fatalf("a switch to bonded recorded taxable events: %v", evs)
		}

		// And back to non-bonded: a taxable event.
		back := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "SW-OUT", BookNo: tb, ListType: "Z", Io: "E", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(lineNotebook, "5", "10000", "", "")}})
		wantFlow(t, back, "SWITCH_TO_NONBOND")
		z.declare(t, e2.tok, back.GetListNo())
		z.wantStock(t, tb, lineNotebook, st{bonded: "15", nonBonded: "20", inspection: "5"})
		z.approve(t, back.GetListNo())
		z.wantStock(t, tb, lineNotebook, st{bonded: "15", nonBonded: "20", inspection: "5"})
		cr, err = d.ClearList(ctxAs(t, e2.tok), &customsv1.ClearListRequest{ListNo: back.GetListNo(), DeclarationNo: "310520261000000002"})
		if err != nil {
			t.Fatalf("ClearList back: %v", err)
		}
		wantListStatus(t, cr.GetList(), customsv1.ListStatus_LIST_STATUS_CLEARED)
		z.wantStock(t, tb, lineNotebook, st{bonded: "15", nonBonded: "25"})
		evs := z.taxableEvents(t, z.customs, tb)
		if len(evs) != 1 {
			t.Fatalf("taxable events: %v, want 1", evs)
		}
		wantTaxable(t, evs[0], back, lineNotebook, hsNotebook, "5", "001", "10000.00", "5034", evs[0].GetDate())
		wantNotebookTax(t, evs[0], "1300.00")
	})

	t.Run("gate registration and empty vehicles book nothing", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		stockBefore := fmt.Sprint(z.stockReport(t, z.customs, h).GetLines())
		journals := len(streamAll(t, z.s, z.customs, h))
		reg, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "REG", BookNo: h, PassType: "5", Io: "I", Vehicle: "沪R00001",
			GrossWeight: "300", Lines: []*customsv1.PassLine{{Description: "办公用品", Quantity: "20"}}})
		if err != nil {
			t.Fatalf("CreatePass type 5: %v", err)
		}
		p := z.gateEvent(t, reg.GetPass().GetPassNo(), "reg-ev", "沪R00001", "310")
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
		if p.GetJournalId() != 0 {
			t.Errorf("a gate-registration pass booked journal %d", p.GetJournalId())
		}
		empty, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "EMPTY", BookNo: h, PassType: "6", Io: "E", Vehicle: "沪R00002", VehicleWeight: "8000"})
		if err != nil {
			t.Fatalf("CreatePass type 6: %v", err)
		}
		p = z.gateEvent(t, empty.GetPass().GetPassNo(), "empty-ev", "沪R00002", "8005")
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
		if p.GetJournalId() != 0 {
			t.Errorf("an empty vehicle booked journal %d", p.GetJournalId())
		}
		// A registration pass binds no documents (金二 SAS121, gx-customs-bridge).
		in := z.file(t, e1, entryReq(h, "REG-L", lineNotebook, "1", "5000"))
		_, err = g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "REG-BAD", BookNo: h, PassType: "5", BindType: "1", Io: "I",
			RelatedType: "1", RelatedNos: []string{in.GetListNo()}, Vehicle: "沪R00003", GrossWeight: "1"})
		wantRefused(t, err, codes.InvalidArgument, "PASS_SHAPE", "pass_type", "a type-5 pass bound to a list")
		if got := fmt.Sprint(z.stockReport(t, z.customs, h).GetLines()); got != stockBefore {
			t.Errorf("stock changed:\nbefore %s\nafter  %s", stockBefore, got)
		}
		z.wantStock(t, h, lineNotebook, st{bonded: "10"})
		if n := len(streamAll(t, z.s, z.customs, h)); n != journals {
			t.Errorf("the book has %d journals after registration and empty passes, want %d", n, journals)
		}
	})

	t.Run("weight mismatch is held and booked only when customs releases it", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, linePE, "5000", "80000")
		out := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "HOLD-OUT", BookNo: h, Io: "E", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(linePE, "2000", "32000", "2100", "2000")}})
		pr, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "HOLD-P", BookNo: h, PassType: "2", BindType: "2", Io: "E",
			RelatedType: "1", RelatedNos: []string{out.GetListNo()}, Vehicle: "沪B00001", VehicleWeight: "9000", GrossWeight: "2100", NetWeight: "2000"})
		if err != nil {
			t.Fatalf("CreatePass: %v", err)
		}
		pno := pr.GetPass().GetPassNo()
		// The scale reads 500 kg more goods than declared: 9000 + 2600.
		p := z.gateEvent(t, pno, "hold-ev1", "沪B00001", "11600")
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_HELD)
		if len(p.GetHoldReasons()) != 1 || !strings.Contains(p.GetHoldReasons()[0], "2600") || !strings.Contains(p.GetHoldReasons()[0], "2100") {
			t.Errorf("hold reasons %q; want one naming the weighed 2600 kg and the declared 2100 kg", p.GetHoldReasons())
		}
		if len(p.GetEvents()) != 1 || p.GetEvents()[0].GetOutcome() != "HELD" || len(p.GetEvents()[0].GetReasons()) != 1 {
			t.Errorf("events %v; want one HELD event with its reason", p.GetEvents())
		}
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "2000"})
		// The same event again changes nothing; another reading under its id is refused.
		p = z.gateEvent(t, pno, "hold-ev1", "沪B00001", "11600")
		if p.GetStatus() != customsv1.PassStatus_PASS_STATUS_HELD || len(p.GetEvents()) != 1 {
			t.Errorf("replayed event: %s with %d events; want HELD with 1", p.GetStatus(), len(p.GetEvents()))
		}
		_, err = g.RecordGateEvent(ctxAs(t, z.customs), &customsv1.RecordGateEventRequest{PassNo: pno, EventId: "hold-ev1", Vehicle: "沪B00001", ScaleGross: "11100"})
		wantRefused(t, err, codes.AlreadyExists, "GATE_EVENT_REUSED", "event_id", "a reused event id with another reading")
		// A new reading does not release a held vehicle: customs does.
		_, err = g.RecordGateEvent(ctxAs(t, z.customs), &customsv1.RecordGateEventRequest{PassNo: pno, EventId: "hold-ev2", Vehicle: "沪B00001", ScaleGross: "11100"})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "pass_no", "a new gate event on a held pass")
		_, err = g.ReleaseHold(ctxAs(t, e1.tok), &customsv1.ReleaseHoldRequest{PassNo: pno, Note: "mine"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "the enterprise releasing its own vehicle")
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "2000"})
		wantListStatus(t, z.getList(t, out.GetListNo()), customsv1.ListStatus_LIST_STATUS_APPROVED)

		rr, err := g.ReleaseHold(ctxAs(t, z.customs), &customsv1.ReleaseHoldRequest{PassNo: pno, Note: "inspected: packing heavier than declared"})
		if err != nil {
			t.Fatalf("ReleaseHold: %v", err)
		}
		p = rr.GetPass()
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
		if p.GetJournalId() == 0 {
			t.Errorf("released pass booked no journal")
		}
		if len(p.GetHoldReasons()) != 0 {
			t.Errorf("released pass still has hold reasons %q (hold_reasons: empty unless HELD)", p.GetHoldReasons())
		}
		if n := len(p.GetEvents()); n != 2 || p.GetEvents()[1].GetOutcome() != "PASSED" {
			t.Errorf("events after the release: %v; want the HELD event and a PASSED one", p.GetEvents())
		}
		// GateService.ReleaseHold: "note: Customs remark, kept as the pass's note".
		if p.GetNote() != "inspected: packing heavier than declared" {
			t.Errorf("ReleaseHold answered a pass with note %q, want customs' remark %q (the release that books goods drops the note)", p.GetNote(), "inspected: packing heavier than declared")
		}
		if gp, err := g.GetPass(ctxAs(t, e1.tok), &customsv1.GetPassRequest{PassNo: pno}); err != nil || gp.GetPass().GetNote() != "inspected: packing heavier than declared" {
			t.Errorf("GetPass after the release: note %q (%v), want customs' remark", gp.GetPass().GetNote(), err)
		}
		z.wantStock(t, h, linePE, st{bonded: "3000"})
		wantListStatus(t, z.getList(t, out.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
		rr, err = g.ReleaseHold(ctxAs(t, z.customs), &customsv1.ReleaseHoldRequest{PassNo: pno, Note: "again"})
		if err != nil || rr.GetPass().GetJournalId() != p.GetJournalId() || rr.GetPass().GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED {
			t.Errorf("releasing again: %v, %v; want the released pass", rr.GetPass(), err)
		}
		z.wantStock(t, h, linePE, st{bonded: "3000"})
	})

	t.Run("a rejected hold keeps the goods reserved for another pass", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, linePE, "5000", "80000")
		out := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "REJ-OUT", BookNo: h, Io: "E", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(linePE, "1000", "16000", "1050", "1000")}})
		p := z.listPass(t, e1, out, "2", "REJ-P1", "沪C00001")
		p = z.gateEvent(t, p.GetPassNo(), "rej-ev1", "沪C99999", "11050") // another vehicle shows the pass
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_HELD)
		if len(p.GetHoldReasons()) != 1 || !strings.Contains(p.GetHoldReasons()[0], "沪C99999") {
			t.Errorf("hold reasons %q; want one naming the vehicle seen", p.GetHoldReasons())
		}
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "1000"})
		// While the vehicle is held, its list is on its pass and on no other.
		_, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "REJ-P1b", BookNo: h, PassType: "2", BindType: "2", Io: "E",
			RelatedType: "1", RelatedNos: []string{out.GetListNo()}, Vehicle: "沪C00002", GrossWeight: "1050", NetWeight: "1000"})
		wantRefused(t, err, codes.FailedPrecondition, "PASS_LIST_MISMATCH", "related_nos[0]", "a second pass for a list on a held pass", p.GetPassNo())
		_, err = g.RejectHold(ctxAs(t, z.customs), &customsv1.RejectHoldRequest{PassNo: p.GetPassNo()})
		wantRefused(t, err, codes.InvalidArgument, "-", "note", "rejecting without a reason")
		_, err = g.RejectHold(ctxAs(t, e1.tok), &customsv1.RejectHoldRequest{PassNo: p.GetPassNo(), Note: "mine"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "the enterprise rejecting its own hold")
		rr, err := g.RejectHold(ctxAs(t, z.customs), &customsv1.RejectHoldRequest{PassNo: p.GetPassNo(), Note: "plate does not match the pass"})
		if err != nil {
			t.Fatalf("RejectHold: %v", err)
		}
		wantPassStatus(t, rr.GetPass(), customsv1.PassStatus_PASS_STATUS_REJECTED)
		if rr.GetPass().GetJournalId() != 0 || rr.GetPass().GetNote() != "plate does not match the pass" {
			t.Errorf("rejected pass: journal %d note %q", rr.GetPass().GetJournalId(), rr.GetPass().GetNote())
		}
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "1000"})
		l := z.getList(t, out.GetListNo())
		wantListStatus(t, l, customsv1.ListStatus_LIST_STATUS_APPROVED)
		if !dec(t, l.GetLines()[0].GetPassed()).IsZero() {
			t.Errorf("list line passed %s after a rejected vehicle, want 0", l.GetLines()[0].GetPassed())
		}
		_, err = g.ReleaseHold(ctxAs(t, z.customs), &customsv1.ReleaseHoldRequest{PassNo: p.GetPassNo(), Note: "changed my mind"})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "pass_no", "releasing a rejected pass")
		_, err = g.RecordGateEvent(ctxAs(t, z.customs), &customsv1.RecordGateEventRequest{PassNo: p.GetPassNo(), EventId: "rej-ev2", Vehicle: "沪C00001", ScaleGross: "11050"})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "pass_no", "a gate event on a rejected pass")
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "1000"})
		// The list goes out on another pass.
		z.drive(t, e1, out, "2", "REJ-P2")
		z.wantStock(t, h, linePE, st{bonded: "4000"})
		wantListStatus(t, z.getList(t, out.GetListNo()), customsv1.ListStatus_LIST_STATUS_CLEARED)
	})

	t.Run("certificate of non-manipulation: granted for a pass-through lot, refused once consumed", func(t *testing.T) {
		h := z.hBook(t, e1)
		in := z.stockIn(t, e1, h, linePE, "100", "1600")
		lot := in.GetListNo() + "-1"
		x1 := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "CERT-X1", BookNo: h, Io: "E", TradeMode: "5034", Country: "JPN",
			Lines: []*customsv1.ListLine{line(linePE, "30", "480", "33", "30")}})
		_, err := d.RequestCertificate(ctxAs(t, e1.tok), &customsv1.RequestCertificateRequest{ListNo: x1.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "list_no", "a certificate before the goods left")
		z.drive(t, e1, x1, "2", "CERT-P1")
		z.wantStock(t, h, linePE, st{bonded: "70"})
		cr, err := d.RequestCertificate(ctxAs(t, e1.tok), &customsv1.RequestCertificateRequest{ListNo: x1.GetListNo()})
		if err != nil {
			t.Fatalf("RequestCertificate for a pass-through lot: %v", err)
		}
		c := cr.GetCertificate()
		if c.GetCertificateNo() == "" || c.GetListNo() != x1.GetListNo() || len(c.GetLots()) != 1 {
			t.Fatalf("certificate %v", c)
		}
		cl := c.GetLots()[0]
		if cl.GetBookSeq() != linePE || cl.GetLot() != lot || dec(t, cl.GetQuantity()).String() != "30" || cl.GetEntryListNo() != in.GetListNo() ||
			cl.GetCountry() != "USA" || cl.GetEntryDate() == "" {
			t.Errorf("certified lot %v; want line 2, lot %s, 30, entry list %s from USA", cl, lot, in.GetListNo())
		}
		again, err := d.RequestCertificate(ctxAs(t, z.customs), &customsv1.RequestCertificateRequest{ListNo: x1.GetListNo()})
		if err != nil || again.GetCertificate().GetCertificateNo() != c.GetCertificateNo() {
			t.Errorf("asking again: %v, %v; want certificate %s", again.GetCertificate(), err, c.GetCertificateNo())
		}

		rr, err := d.ReportConsumption(ctxAs(t, e1.tok), &customsv1.ReportConsumptionRequest{InnerNo: "CONS-1", BookNo: h, Purpose: "简单加工",
			Consumed: []*customsv1.ConsumedLine{{BookSeq: linePE, Quantity: "10"}}})
		if err != nil {
			t.Fatalf("ReportConsumption: %v", err)
		}
		rep := rr.GetReport()
		if rep.GetJournalId() == 0 || len(rep.GetConsumed()) != 1 {
			t.Fatalf("consumption report %v", rep)
		}
		wantLots(t, "consumed", rep.GetConsumed()[0].GetLots(), lot+"=10")
		z.wantStock(t, h, linePE, st{bonded: "60"})

		x2 := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "CERT-X2", BookNo: h, Io: "E", TradeMode: "5034", Country: "JPN",
			Lines: []*customsv1.ListLine{line(linePE, "20", "320", "22", "20")}})
		z.drive(t, e1, x2, "2", "CERT-P2")
		z.wantStock(t, h, linePE, st{bonded: "40"})
		wantLots(t, "second exit", z.getList(t, x2.GetListNo()).GetLines()[0].GetLots(), lot+"=20")
		_, err = d.RequestCertificate(ctxAs(t, e1.tok), &customsv1.RequestCertificateRequest{ListNo: x2.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "CERTIFICATE_REFUSED", "list_no", "a certificate for goods of a consumed lot", lot, rep.GetReportNo())
	})
}
