package demo

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// logisticsStockColumns are the logistics books' stock report columns.
var logisticsStockColumns = []stockColumn{colBonded, colAvailable, colReserved, colNonBonded, colNBReserved, colInspection}

// printLogistics writes sections 7 to 10.
func printLogistics(w io.Writer, cast *logisticsCast, lr *LogisticsResult, monthName, lastDay string) {
	fmt.Fprintf(w, "7. Logistics centre through the customs services (BookService, DeclarationService, GateService), %s\n\n", monthName)
	fmt.Fprintf(w, "  Registered by customs-4601 (RegisterEnterprise); each enterprise registers its own book and lines (CreateBook, AddBookLines):\n\n")
	et := newTable("ENTERPRISE (USCC)", "CUSTOMS NO", "NAME", "PRINCIPAL", "BOOK", "KIND", "CENTRE")
	for _, b := range cast.Books {
		e := b.Owner
		et.add(e.USCC, e.CustomsNo, e.Name, e.Principal, b.No, strings.TrimPrefix(b.Kind.String(), "BOOK_KIND_"), e.Centre)
	}
	et.render(w, "  ")
	fmt.Fprintln(w)
	lt := newTable("BOOK", "SEQ", "HS CODE", "NAME", "DECLARED UNIT", "LEGAL UNIT", "SCALE").alignRight(1, 6)
	for _, b := range cast.Books {
		for _, l := range b.Lines {
			lt.add(b.No, fmt.Sprint(l.Seq), l.HS, l.Name, l.Unit+" "+l.UnitName, l.legalUnit(), fmt.Sprint(l.Scale))
		}
	}
	lt.render(w, "  ")

	fmt.Fprintf(w, "\n  Dates: every list is filed with its step's day as its business date (CreateListRequest.date, 业务日期), so its own\n")
	fmt.Fprintf(w, "  journals (reservation on declaration 预核扣, a 区内直转's ClearList, a transfer) are booked on that day of the month; a\n")
	fmt.Fprintf(w, "  gate event carries the gate's own clock (RecordGateEvent.at), so goods that pass the gate are booked on its day too.\n")
	fmt.Fprintf(w, "  The server's clock, today %s, still dates customs releasing the held vehicle (booked on release); list, pass\n", lr.Today)
	fmt.Fprintf(w, "  and slip numbers take today's year. BOOKED shows each journal's kind and date (MM-DD).\n\n")
	st := newTable("DAY", "FLOW", "GOODS", "LISTS / SLIPS", "PASS", "OUTCOME", "BOOKED")
	for _, s := range lr.Steps {
		var booked []string
		for _, id := range s.Journals {
			j := lr.Journals[id]
			if j == nil {
				continue
			}
			key := j.GetIdempotencyKey()
			kind := key[strings.LastIndexByte(key, ':')+1:]
			date := j.GetEffectiveDate()
			if len(date) == 10 {
				date = date[5:]
			}
			booked = append(booked, kind+" "+date)
		}
		st.add(s.Day, s.Kind, s.Goods, strings.Join(s.Lists, " "), cmp.Or(s.Pass, "-"), cmp.Or(s.Gate, "-"), cmp.Or(strings.Join(booked, ", "), "-"))
	}
	st.render(w, "  ")
	fmt.Fprintln(w)
	if h := lr.Held; h != nil {
		fmt.Fprintf(w, "  Held at the gate: pass %s (%s, container %s):\n", h.GetPassNo(), h.GetVehicle(), h.GetContainer())
		for _, ev := range h.GetEvents() {
			fmt.Fprintf(w, "    %s  %-6s %s\n", ev.GetAt().AsTime().In(zoneLocation).Format("2006-01-02 15:04"), ev.GetOutcome(), strings.Join(ev.GetReasons(), "; "))
		}
		fmt.Fprintf(w, "    booked by journal %d on %s\n\n", h.GetJournalId(), lr.Journals[h.GetJournalId()].GetEffectiveDate())
	}
	if lr.Refusal != "" {
		fmt.Fprintf(w, "  Refused declaration (reservations go through the ledger): %s: %s\n\n", lr.Refusal, lr.RefusalMessage)
	}
	if e := lr.EcomExit; e.Reason != "" {
		fmt.Fprintf(w, "  Refused exit (no exit to the domestic market without its tax): 1210 goods on an ordinary list, nothing filed or reserved;\n")
		fmt.Fprintf(w, "  the server answered %s, reason %s:\n    %s\n\n", e.Code, e.Reason, e.Message)
	}
	for _, tr := range lr.Transfers {
		fmt.Fprintf(w, "  Transfer %s ⇄ %s: one journal %d takes the goods off %s (reserved → zone-transfer) and puts them on %s (→ bonded)\n",
			tr.SellerList, tr.BuyerList, tr.Journal, cast.T.No, cast.H.No)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "8. Stock report (GetStockReport as of %s, the month's last day, read as customs-4601)\n\n", lastDay)
	for _, b := range cast.Books {
		fmt.Fprintf(w, "  %s  %s\n\n", b.No, b.Owner.Name)
		printStock(w, b, lr.MonthEnd[b.No], logisticsStockColumns...)
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  As of now (%s) it differs by what was booked after the month, the held vehicle released by customs today:\n", lr.Today)
	for _, b := range cast.Books {
		printStockChanges(w, b, lr.MonthEnd[b.No], lr.Stock[b.No], logisticsStockColumns...)
	}
	fmt.Fprintln(w)
	n := 0
	for _, ls := range lr.MonthEnd {
		n += len(ls)
	}
	printCheck(w, "  ", lr.Mismatches, "differences from the demo's own model",
		fmt.Sprintf("both reports, %d lines × 8 quantities each, equal the demo's own model of the script (bonded = available + reserved).", n))

	fmt.Fprintf(w, "9. Taxable events of %s (ListTaxableEvents), assessed by the tax engine as DOMESTIC_SALE\n\n", cast.T.No)
	tt := newTable("ID", "DATE", "LIST", "SEQ", "LINE", "HS CODE", "QUANTITY", "LEGAL QTY", "MODE", "DUTIABLE", "DUTY", "CONS. TAX", "VAT", "TOTAL").alignRight(0, 3, 6, 7, 9, 10, 11, 12, 13)
	sums := make([]decimal.Decimal, 5)
	for _, ev := range lr.Taxable {
		l := cast.T.line(ev.GetBookSeq())
		qty, _ := decimal.NewFromString(ev.GetQuantity())
		lq, _ := decimal.NewFromString(ev.GetLegalQuantity())
		for i, s := range []string{ev.GetDutiableValue(), ev.GetDuty(), ev.GetConsumptionTax(), ev.GetVat(), ev.GetTotal()} {
			x, _ := decimal.NewFromString(s)
			sums[i] = sums[i].Add(x)
		}
		tt.add(fmt.Sprint(ev.GetId()), ev.GetDate(), ev.GetListNo(), fmt.Sprint(ev.GetListSeq()), l.Short, ev.GetHsCode(), fmtLineQty(l, qty),
			lq.String()+" "+l.LegalName, ev.GetTradeMode(), ev.GetDutiableValue(), ev.GetDuty(), ev.GetConsumptionTax(), ev.GetVat(), ev.GetTotal())
	}
	tt.add("", "", "total", "", "", "", "", "", "", sums[0].StringFixed(2), sums[1].StringFixed(2), sums[2].StringFixed(2), sums[3].StringFixed(2), sums[4].StringFixed(2))
	tt.render(w, "  ")
	fmt.Fprintf(w, "\n  (domestic sales are dated at the gate, the 区内直转 to non-bonded on its list's business date, the collective list on\n")
	fmt.Fprintf(w, "  the day customs cleared it, the server's today. Each event is as the demo predicts and equals TaxService/Quote of\n")
	fmt.Fprintf(w, "  its list's lines quoted together, one consignment; rates are the sample tariff's.)\n\n")
	if c := lr.Consignment; c.Quote != nil {
		fmt.Fprintf(w, "  One consignment (一票), duty judged on its total: list %s, each line owing under the 50.00 de-minimis —\n", c.ListNo)
		for _, ev := range c.Events {
			l := cast.T.line(ev.GetBookSeq())
			waived := "charged"
			if len(ev.GetWaived()) > 0 {
				waived = "waived " + strings.Join(ev.GetWaived(), ", ")
			}
			fmt.Fprintf(w, "    line %d %s: dutiable %s, duty %s (%s)\n", ev.GetListSeq(), l.Short, ev.GetDutiableValue(), ev.GetDuty(), waived)
		}
		waived := cmp.Or(strings.Join(c.Quote.GetWaived(), ", "), "none")
		fmt.Fprintf(w, "    TaxService/Quote of the %d lines together: duty %s, consumption tax %s, VAT %s, total %s; waived: %s.\n\n", len(c.Events),
			c.Quote.GetDuty(), c.Quote.GetConsumptionTax(), c.Quote.GetVat(), c.Quote.GetTotal(), waived)
	}

	fmt.Fprintf(w, "10. Pending 分送集报 trips (ListPendingTrips): passed the gate, not yet on a collective list\n\n")
	today := map[string]*customsv1.PendingTrip{}
	for _, tr := range lr.PendingToday {
		today[tr.GetSlip().GetSlipNo()] = tr
	}
	pt := newTable("SLIP", "PASS", "PASSED ON", "GOODS", "DEADLINE", "DAYS LEFT ("+lastDay+")", "AS OF TODAY ("+lr.Today+")").alignRight(5)
	for _, tr := range lr.Pending {
		sl := tr.GetSlip()
		var qs []lineQty
		for _, ln := range sl.GetLines() {
			q, _ := decimal.NewFromString(ln.GetQuantity())
			qs = append(qs, lineQty{Seq: ln.GetBookSeq(), Qty: q})
		}
		state := func(p *customsv1.PendingTrip) string {
			switch {
			case p == nil:
				return "-"
			case p.GetOverdue():
				return fmt.Sprintf("overdue by %d days", -p.GetDaysLeft())
			case p.GetNearing():
				return fmt.Sprintf("%d days left, nearing", p.GetDaysLeft())
			}
			return fmt.Sprintf("%d days left", p.GetDaysLeft())
		}
		left := fmt.Sprint(tr.GetDaysLeft())
		if tr.GetNearing() {
			left += " (nearing)"
		}
		pt.add(sl.GetSlipNo(), sl.GetPassNo(), sl.GetPassedOn(), goodsOf(cast.T, qs), sl.GetDeadline(), left, state(today[sl.GetSlipNo()]))
	}
	pt.render(w, "  ")
	fmt.Fprintln(w)
}
