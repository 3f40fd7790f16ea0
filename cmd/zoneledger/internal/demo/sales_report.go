package demo

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// printSales writes sections 11 to 14.
func printSales(w io.Writer, cast *salesCast, sr *SalesResult, monthName, lastDay string) {
	fmt.Fprintf(w, "11. Sales and service centre (销售服务中心) through the customs services, %s and today %s\n\n", monthName, sr.Today)
	fmt.Fprintf(w, "  Registered by customs-4601 (RegisterEnterprise); principals created by the admin like the others:\n\n")
	et := newTable("PRINCIPAL", "ROLE", "ENTERPRISE (USCC)", "CUSTOMS NO", "NAME", "DOES")
	et.add(cast.Yuncang.Principal, "enterprise", cast.Yuncang.USCC, cast.Yuncang.CustomsNo, cast.Yuncang.Name, cast.Yuncang.Centre)
	et.add(cast.Yefeng.Principal, "enterprise", cast.Yefeng.USCC, cast.Yefeng.CustomsNo, cast.Yefeng.Name, cast.Yefeng.Centre)
	et.add(cast.Platform.Principal, "platform", "linked to "+cast.Yefeng.ShortLabel, cast.Platform.Code, cast.Platform.Name, "sends the 三单 and applies for returns")
	et.render(w, "  ")
	fmt.Fprintf(w, "\n  %s registers its TW book %s and lines (CreateBook, AddBookLines) and the shop's part numbers (料号, MapPartNumbers):\n\n", cast.Yuncang.ShortLabel, cast.W.No)
	lt := newTable("SEQ", "HS CODE", "NAME", "DECLARED UNIT", "LEGAL UNIT", "PART NUMBERS (PRICE)").alignRight(0)
	for _, l := range cast.W.Lines {
		var parts []string
		for _, s := range cast.SKUs {
			if s.Line == l {
				parts = append(parts, s.Part+" ("+s.Price.StringFixed(2)+")")
			}
		}
		if len(parts) == 0 {
			parts = []string{"- (display trading)"}
		}
		lt.add(fmt.Sprint(l.Seq), l.HS, l.Name, l.Unit+" "+l.UnitName, l.legalUnit(), strings.Join(parts, ", "))
	}
	lt.render(w, "  ")
	e := sr.Entry
	fmt.Fprintf(w, "\n  %s  %s: %s\n", e.Day, e.Kind, e.Goods)
	fmt.Fprintf(w, "         list %s (5034, declared and approved), pass %s: %s, booked at the gate on %s\n", strings.Join(e.Lists, " "), e.Pass, e.Gate, e.GateDate)
	fmt.Fprintf(w, "  Channel (RegisterChannel, by customs-4601): %s sells through platform %s from book %s; guarantor (担保扣税企业) %s, itself.\n\n",
		cast.Yefeng.ShortLabel, cast.Platform.Code, cast.W.No, cast.Yefeng.USCC)

	// 12. Display trading.
	f := sr.Form
	fmt.Fprintf(w, "12. Bonded display trading (保税展示交易, DisplayService) under type-C form %s\n\n", f.GetFormNo())
	fmt.Fprintf(w, "  Form (DeclarationService.CreateForm, type C): %s .. %s, guarantee %s. Goods out on display stay on the book (bucket\n", f.GetValidFrom(), f.GetValidUntil(), f.GetGuarantee())
	fmt.Fprintf(w, "  display, still bonded); a sale is taxed at once (先销后税, DOMESTIC_SALE on its date) and its tax must fit in what the\n")
	fmt.Fprintf(w, "  guarantee still covers: the guarantee less the tax assessed and not paid. Each movement is dated in the month (业务日期).\n\n")
	mt := newTable("DATE", "MOVE", "GOODS", "MOVE NO", "QUOTED TAX", "ASSESSED", "COVERED BEFORE", "OUTCOME").alignRight(4, 5, 6)
	for _, m := range sr.Moves {
		quoted, assessed := "-", "-"
		if m.Kind == "SALE" {
			quoted = m.Quoted.StringFixed(2)
			assessed = m.Tax
		}
		outcome := fmt.Sprintf("booked, journal %d; %s", m.Journal, m.Note)
		if m.Refusal != "" {
			outcome, assessed = m.Refusal+": "+m.Note, "-"
		}
		mt.add(m.Date[5:], m.Kind, m.Goods, cmp.Or(m.MoveNo, "-"), quoted, cmp.Or(assessed, "-"), m.Covered.StringFixed(2), outcome)
	}
	mt.render(w, "  ")
	for _, m := range sr.Moves {
		if m.Refusal != "" {
			fmt.Fprintf(w, "\n  Refused sale: %s: %s\n", m.Refusal, m.Message)
		}
	}
	status := func(label string, st *customsv1.GetDisplayStatusResponse) {
		var held []string
		for _, h := range st.GetOnDisplay() {
			l := cast.W.line(h.GetBookSeq())
			held = append(held, fmt.Sprintf("%s %s", l.Short, fmtLineQty(l, d(h.GetQuantity()))))
		}
		fmt.Fprintf(w, "  %-26s guarantee %s, tax assessed %s, paid %s, covered %s; on display: %s; overdue: %t\n", label,
			st.GetGuarantee(), st.GetTaxAssessed(), st.GetTaxPaid(), st.GetAvailable(), cmp.Or(strings.Join(held, ", "), "nothing"), st.GetOverdue())
	}
	fmt.Fprintf(w, "\n  GetDisplayStatus (read as customs-4601):\n")
	status("as of "+lastDay+":", sr.StatusMonthEnd)
	fmt.Fprintf(w, "  PayDisplayTax: customs-4601 records the month's collective payment, 税款缴款书号 %s, %s. The call takes no date:\n",
		sr.PaymentNo, sr.Payment.GetForm().GetTaxPaid())
	fmt.Fprintf(w, "  it is recorded now (today %s). Sent twice, recorded once (payment_no is the idempotency key).\n", sr.Today)
	status("now:", sr.StatusNow)
	fmt.Fprintf(w, "\n  Taxable events of %s (ListTaxableEvents), the sales' lines, each equal to TaxService/Quote of the same goods:\n\n", cast.W.No)
	tt := newTable("ID", "DATE", "MOVE NO", "SEQ", "LINE", "QUANTITY", "LEGAL QTY", "DUTIABLE", "DUTY", "CONS. TAX", "VAT", "TOTAL").alignRight(0, 3, 5, 6, 7, 8, 9, 10, 11)
	for _, ev := range sr.DisplayTaxable {
		l := cast.W.line(ev.GetBookSeq())
		tt.add(fmt.Sprint(ev.GetId()), ev.GetDate(), ev.GetListNo(), fmt.Sprint(ev.GetListSeq()), l.Short, fmtLineQty(l, d(ev.GetQuantity())),
			d(ev.GetLegalQuantity()).String()+" "+l.LegalName, ev.GetDutiableValue(), ev.GetDuty(), ev.GetConsumptionTax(), ev.GetVat(), ev.GetTotal())
	}
	tt.render(w, "  ")
	fmt.Fprintln(w)

	// 13. E-commerce.
	fmt.Fprintf(w, "13. Cross-border e-commerce (1210 网购保税进口, EcommerceService) on the server's today, %s\n\n", sr.Today)
	fmt.Fprintf(w, "  EcommerceService takes no business date: lists are released, returns booked and settlements dated on the server's\n")
	fmt.Fprintf(w, "  clock, so this part is a day of orders today, after the month (the goods it sells entered in %s). Each order's\n", monthName)
	fmt.Fprintf(w, "  withheld tax is TaxService/Quote (CROSS_BORDER_RETAIL, today) of its lines at their totals and its freight, which\n")
	fmt.Fprintf(w, "  the server shares over the lines as customs does; the platform states no annual_used (it cannot know the buyer's other platforms).\n")
	fmt.Fprintf(w, "  The documents are the single window's messages from the platform's outbox (ecommerce_day/: one CEB311, CEB411 or CEB511 XML file\n")
	fmt.Fprintf(w, "  per document, as the platform, the payment and the logistics enterprise wrote them on %s, the tax withheld as quoted).\n", ecomOutboxDay)
	fmt.Fprintf(w, "  %s sends %d of them one per call, in each order's arrival order, then %d batches of %v (SubmitMessages, shuffled);\n",
		cast.Platform.Principal, sr.Singles, len(sr.Batches), sr.Batches)
	for _, o := range sr.Orders {
		if o.API {
			fmt.Fprintf(w, "  order %s, whose payer differs from its buyer with an identity proof, goes by SubmitOrder: CEB311 has no element for the proof.\n", o.No)
		}
	}
	fmt.Fprintln(w)
	ot := newTable("ORDER", "BUYER", "GOODS", "DUTIABLE", "TAX", "QUOTE RULE", "SENT", "OUTCOME", "NOTE").alignRight(3, 4)
	released, refused := 0, map[string]int{}
	for _, o := range sr.Orders {
		outcome := strings.TrimPrefix(o.Status.String(), "ORDER_STATUS_")
		switch {
		case o.Reason != "":
			outcome += " " + o.Reason
			refused[o.Reason]++
		case o.List != nil:
			released++
			if o.List.GetStatus() == customsv1.InventoryListStatus_INVENTORY_LIST_STATUS_RETURNED {
				outcome += " → RETURNED"
			}
		}
		ot.add(o.No, o.Buyer, o.Goods, o.Dutiable.StringFixed(2), o.Quote.GetTotal(), strings.TrimPrefix(o.Quote.GetRule(), "CROSS_BORDER_"), o.Sent, outcome, o.Note)
	}
	ot.render(w, "  ")
	var rs []string
	for r, n := range refused {
		rs = append(rs, fmt.Sprintf("%s %d", r, n))
	}
	slices.Sort(rs)
	fmt.Fprintf(w, "\n  %d orders: %d released (list QL + order number, goods off %s today), %d refused: %s.\n", len(sr.Orders), released, cast.W.No, len(sr.Orders)-released, strings.Join(rs, ", "))
	fmt.Fprintf(w, "  Each refusal answers the document that completed the order (the single call's FAILED_PRECONDITION, or its DocumentError\n")
	fmt.Fprintf(w, "  in a batch); the others answer the order as it stands (none before the order arrives, PENDING after):\n\n")
	for _, o := range sr.Orders {
		if o.Reason != "" {
			fmt.Fprintf(w, "    %s  %s: %s\n", o.No, o.Reason, o.Message)
		}
	}
	if l := sr.Returned; l != nil {
		fmt.Fprintf(w, "\n  Return: list %s applied for (RequestReturn, the platform) and received back (ReceiveReturn, the warehouse) on %s: %s, journal %d; its tax %s is\n",
			l.GetListNo(), l.GetReturnedOn(), strings.TrimPrefix(l.GetStatus().String(), "INVENTORY_LIST_STATUS_"), l.GetReturnJournalId(), l.GetTax())
		fmt.Fprintf(w, "  cancelled and the buyer's annual total restored.\n")
	}
	if st := sr.Settlement; st != nil {
		fmt.Fprintf(w, "\n  Settlement of guarantor %s, %s .. %s (GetSettlement, read as %s, the guarantor itself): %d lists, tax %s,\n",
			st.GetGuarantor(), st.GetFromDate(), st.GetToDate(), cast.Yefeng.Principal, len(st.GetLines()), st.GetTax())
		due := "-"
		if ls := st.GetLines(); len(ls) > 0 {
			due = ls[0].GetDueOn()
		}
		fmt.Fprintf(w, "  due %s (the server's settlement term); none final while the return window is open. %s (%d bytes):\n\n", due, sr.SettlementFile, len(sr.SettlementCSV))
		rows := strings.Split(strings.TrimRight(string(sr.SettlementCSV), "\r\n"), "\n")
		for i, row := range rows {
			if i <= 3 || i == len(rows)-1 {
				fmt.Fprintf(w, "    %s\n", strings.TrimRight(row, "\r"))
			} else if i == 4 {
				fmt.Fprintf(w, "    ... %d more rows ...\n", len(rows)-5)
			}
		}
	}
	fmt.Fprintln(w)

	// 14. Stock.
	fmt.Fprintf(w, "14. Stock report of %s (GetStockReport as of %s, the month's last day, read as customs-4601)\n\n", cast.W.No, lastDay)
	printStock(w, cast.W, sr.MonthEnd, colBonded, colAvailable, colDisplay)
	fmt.Fprintf(w, "\n  As of now (%s) it differs by today's e-commerce releases, less the return:\n", sr.Today)
	printStockChanges(w, cast.W, sr.MonthEnd, sr.Stock, colAvailable)
	printCheck(w, "\n  ", sr.Mismatches, "differences from the demo's own model", fmt.Sprintf("both reports (%d lines × 8 quantities), every document's answer, "+
		"every order's status and reason, every list's tax\n  (= TaxService/Quote), the settlement and its CSV, the display taxes, status and guarantee "+
		"equal the demo's own model.", len(sr.MonthEnd)))
}
