package tests

// Bad filings over gRPC are refused naming the rule (code, ErrorInfo reason
// and field) and book nothing: the book's stock report, lists and passes
// are as they were.

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestCustomsRefusals(t *testing.T) {
	z := newZoneEnv(t)
	e1 := z.enterprise(t, "Processing One")
	e2 := z.enterprise(t, "Logistics Two")
	d, g := z.decl, z.gate

	outReq := func(book, inner string, lines ...*customsv1.ListLine) *customsv1.CreateListRequest {
		return &customsv1.CreateListRequest{InnerNo: inner, BookNo: book, Io: "E", TradeMode: "5034", Lines: lines}
	}

	t.Run("trade mode on a book of the wrong prefix", func(t *testing.T) {
		tb := z.tBook(t, e2)
		before := z.bookState(t, tb)
		req := &customsv1.CreateListRequest{InnerNo: "TM-1", BookNo: tb, Io: "I", TradeMode: "5100",
			Lines: []*customsv1.ListLine{line(lineNotebook, "1", "5000", "", "")}}
		_, err := d.CreateList(ctxAs(t, e2.tok), req)
		wantRefused(t, err, codes.InvalidArgument, "TRADE_MODE_BOOK_MISMATCH", "trade_mode", "5100 on a T book", "CR000027", "5100", tb)
		z.wantBookState(t, tb, before, "5100 on a T book")
		// The same filing on an H book is accepted.
		h := z.hBook(t, e1)
		req.BookNo = h
		wantFlow(t, z.createList(t, e1.tok, req), "SECOND_LINE_IN")
	})

	t.Run("an exit to the domestic market neither taxed nor kept bonded", func(t *testing.T) {
		h, tb := z.hBook(t, e1), z.tBook(t, e2)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		recv := z.createList(t, e2.tok, &customsv1.CreateListRequest{InnerNo: "UX-R", BookNo: tb, Io: "I", TradeMode: "5000", RelatedBookNo: h,
			Lines: []*customsv1.ListLine{line(lineNotebook, "4", "20000", "40", "36")}})
		before := z.bookState(t, h)
		exit := func(inner, mode, related, qty string) *customsv1.CreateListRequest {
			return &customsv1.CreateListRequest{InnerNo: inner, BookNo: h, Io: "E", TradeMode: mode, RelatedListNo: related,
				Lines: []*customsv1.ListLine{line(lineNotebook, qty, "20000", "40", "36")}}
		}
		_, err := d.CreateList(ctxAs(t, e1.tok), exit("UX-1", "1210", "", "4"))
		wantRefused(t, err, codes.InvalidArgument, "ECOMMERCE_EXIT_BY_INVENTORY_LIST", "trade_mode", "1210 on an ordinary list", "inventory lists")
		_, err = d.CreateList(ctxAs(t, e1.tok), exit("UX-2", "9700", "", "4"))
		wantRefused(t, err, codes.InvalidArgument, "TAX_TOP_UP_NOT_A_MOVEMENT", "trade_mode", "a 9700 list", "not a movement")
		_, err = d.CreateList(ctxAs(t, e1.tok), exit("UX-3", "5000", "", "4"))
		wantRefused(t, err, codes.InvalidArgument, "UNTAXED_EXIT", "related_list_no", "5000 with nothing linked", "关联清单编号")
		_, err = d.CreateList(ctxAs(t, e1.tok), exit("UX-4", "5000", recv.GetListNo(), "3"))
		wantRefused(t, err, codes.FailedPrecondition, "EXIT_COUNTERPART_MISMATCH", "lines[0].quantity", "a counterpart receiving 4 for 3 sent", recv.GetListNo())
		z.wantBookState(t, h, before, "refused exits")
		// Receiving the same quantity: accepted, and reserved on declaration.
		ok := z.createList(t, e1.tok, exit("UX-5", "5000", recv.GetListNo(), "4"))
		if ok.GetRelatedBookNo() != tb {
			t.Errorf("the exit's related book is %q, want %s", ok.GetRelatedBookNo(), tb)
		}
		z.declare(t, e1.tok, ok.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "4"})
	})

	t.Run("a line not on the book", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		before := z.bookState(t, h)
		_, err := d.CreateList(ctxAs(t, e1.tok), outReq(h, "LN-1", line(9, "1", "", "", "")))
		wantRefused(t, err, codes.NotFound, "LINE_NOT_ON_BOOK", "lines[0].book_seq", "book line 9")
		_, err = d.CreateList(ctxAs(t, e1.tok), outReq(h, "LN-2", line(lineNotebook, "1", "", "", ""), line(3, "1", "", "", "")))
		wantRefused(t, err, codes.NotFound, "LINE_NOT_ON_BOOK", "lines[1].book_seq", "book line 3 as the second line")
		_, err = d.CreateList(ctxAs(t, e1.tok), outReq(h, "LN-3", &customsv1.ListLine{PartNumber: "NO-SUCH-PART", Quantity: "1"}))
		wantRefused(t, err, codes.NotFound, "UNKNOWN_PART_NUMBER", "lines[0].part_number", "an unmapped part number")
		z.wantBookState(t, h, before, "lists naming lines not on the book")
		z.wantStock(t, h, lineNotebook, st{bonded: "10"})
	})

	t.Run("a unit that is neither the declared nor a legal unit", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, linePE, "5000", "80000")
		before := z.bookState(t, h)
		_, err := d.CreateList(ctxAs(t, e1.tok), outReq(h, "U-1", &customsv1.ListLine{BookSeq: linePE, Quantity: "1", Unit: "007"}))
		wantRefused(t, err, codes.InvalidArgument, "UNIT_NOT_ON_LINE", "lines[0].unit", "unit 007 on a kg/t line", "035", "070")
		_, err = d.CreateList(ctxAs(t, e1.tok), outReq(h, "U-2", &customsv1.ListLine{BookSeq: linePE, Quantity: "0.0000001", Unit: "070"}))
		wantRefused(t, err, codes.InvalidArgument, "INEXACT_UNIT_CONVERSION", "lines[0].quantity", "0.0000001 t = 0.0001 kg on a line of 3 decimals")
		z.wantBookState(t, h, before, "lists in units the line does not take")
		// 2.5 t in the second legal unit is 2500 kg.
		l := z.createList(t, e1.tok, outReq(h, "U-3", &customsv1.ListLine{BookSeq: linePE, Quantity: "2.5", Unit: "070"}))
		if got := dec(t, l.GetLines()[0].GetDeclaredQuantity()).String(); got != "2500" || l.GetLines()[0].GetDeclaredUnit() != "035" {
			t.Errorf("2.5 t declared as %s %s, want 2500 035", got, l.GetLines()[0].GetDeclaredUnit())
		}
		z.declare(t, e1.tok, l.GetListNo())
		z.wantStock(t, h, linePE, st{bonded: "5000", reserved: "2500"})
	})

	t.Run("a suspended book takes no filings", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		draft := z.createList(t, e1.tok, outReq(h, "SB-1", line(lineNotebook, "4", "20000", "40", "")))
		sr, err := z.books.SetBookStatus(ctxAs(t, z.customs), &customsv1.SetBookStatusRequest{BookNo: h, Status: customsv1.BookStatus_BOOK_STATUS_SUSPENDED})
		if err != nil || sr.GetBook().GetStatus() != customsv1.BookStatus_BOOK_STATUS_SUSPENDED {
			t.Fatalf("SetBookStatus SUSPENDED: %v, %v", sr.GetBook(), err)
		}
		before := z.bookState(t, h)
		_, err = d.CreateList(ctxAs(t, e1.tok), outReq(h, "SB-2", line(lineNotebook, "1", "", "", "")))
		wantRefused(t, err, codes.FailedPrecondition, "BOOK_NOT_EXECUTING", "book_no", "a list on a suspended book")
		_, err = d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: draft.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "BOOK_NOT_EXECUTING", "book_no", "declaring a draft on a suspended book")
		_, err = g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "SB-P", BookNo: h, PassType: "6", Io: "I", Vehicle: "沪S00001"})
		wantRefused(t, err, codes.FailedPrecondition, "BOOK_NOT_EXECUTING", "book_no", "a pass on a suspended book")
		_, err = d.ReportConsumption(ctxAs(t, e1.tok), &customsv1.ReportConsumptionRequest{InnerNo: "SB-C", BookNo: h,
			Consumed: []*customsv1.ConsumedLine{{BookSeq: lineNotebook, Quantity: "1"}}})
		wantRefused(t, err, codes.FailedPrecondition, "BOOK_NOT_EXECUTING", "book_no", "consumption on a suspended book")
		z.wantBookState(t, h, before, "filings on a suspended book")
		z.wantStock(t, h, lineNotebook, st{bonded: "10"})
		wantListStatus(t, z.getList(t, draft.GetListNo()), customsv1.ListStatus_LIST_STATUS_DRAFT)
		// Resumed, the same draft is declared.
		if _, err := z.books.SetBookStatus(ctxAs(t, z.customs), &customsv1.SetBookStatusRequest{BookNo: h, Status: customsv1.BookStatus_BOOK_STATUS_EXECUTING}); err != nil {
			t.Fatalf("SetBookStatus EXECUTING: %v", err)
		}
		z.declare(t, e1.tok, draft.GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "4"})
		// A closed book is never reopened.
		if _, err := z.books.SetBookStatus(ctxAs(t, z.customs), &customsv1.SetBookStatusRequest{BookNo: h, Status: customsv1.BookStatus_BOOK_STATUS_CLOSED}); err != nil {
			t.Fatalf("SetBookStatus CLOSED: %v", err)
		}
		_, err = z.books.SetBookStatus(ctxAs(t, z.customs), &customsv1.SetBookStatusRequest{BookNo: h, Status: customsv1.BookStatus_BOOK_STATUS_EXECUTING})
		wantRefused(t, err, codes.FailedPrecondition, "WRONG_STATUS", "status", "reopening a closed book")
		_, err = d.CreateList(ctxAs(t, e1.tok), outReq(h, "SB-3", line(lineNotebook, "1", "", "", "")))
		wantRefused(t, err, codes.FailedPrecondition, "BOOK_NOT_EXECUTING", "book_no", "a list on a closed book")
	})

	t.Run("more than the bonded balance", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000")
		z.stockIn(t, e1, h, linePE, "100", "1600")
		l := z.createList(t, e1.tok, outReq(h, "OV-1", line(lineNotebook, "11", "55000", "", "")))
		two := z.createList(t, e1.tok, outReq(h, "OV-2", line(lineNotebook, "5", "25000", "", ""), line(linePE, "100.001", "1600", "", "")))
		before := z.bookState(t, h)
		_, err := d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: l.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity", "declaring 11 of 10")
		// All or nothing: the first line's 5 are not reserved either.
		_, err = d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: two.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[1].quantity", "declaring 100.001 kg of 100")
		z.wantBookState(t, h, before, "declarations beyond the bonded balance")
		z.wantStock(t, h, lineNotebook, st{bonded: "10"})
		z.wantStock(t, h, linePE, st{bonded: "100"})
		wantListStatus(t, z.getList(t, l.GetListNo()), customsv1.ListStatus_LIST_STATUS_DRAFT)
		wantListStatus(t, z.getList(t, two.GetListNo()), customsv1.ListStatus_LIST_STATUS_DRAFT)
		// Nor beyond what is available once part is reserved.
		z.declare(t, e1.tok, z.createList(t, e1.tok, outReq(h, "OV-3", line(lineNotebook, "8", "40000", "", ""))).GetListNo())
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "8"})
		three := z.createList(t, e1.tok, outReq(h, "OV-4", line(lineNotebook, "3", "15000", "", "")))
		_, err = d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: three.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity", "declaring 3 of 2 available")
		z.wantStock(t, h, lineNotebook, st{bonded: "10", reserved: "8"})
	})

	t.Run("16 lists race for the last units", func(t *testing.T) {
		const stock, each, n = 10, 3, 16
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, fmt.Sprint(stock), "50000")
		nos := make([]string, n)
		for i := range nos {
			nos[i] = z.createList(t, e1.tok, outReq(h, fmt.Sprint("RACE-", i), line(lineNotebook, fmt.Sprint(each), "15000", "", ""))).GetListNo()
		}
		ctxs := make([]context.Context, n)
		for i := range ctxs {
			ctxs[i] = ctxAs(t, e1.tok)
		}
		pollCtx := ctxAs(t, z.customs)
		errs := make([]error, n)
		start := make(chan struct{})
		done := make(chan struct{})
		var wg sync.WaitGroup
		for i := range nos {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = d.DeclareList(ctxs[i], &customsv1.DeclareListRequest{ListNo: nos[i]})
			}()
		}
		// While they race, the stock report never shows a negative or
		// over-reserved line.
		var pollErrs []string
		polls := 0
		pollDone := make(chan struct{})
		go func() {
			defer close(pollDone)
			for {
				select {
				case <-done:
					return
				default:
				}
				r, err := z.books.GetStockReport(pollCtx, &customsv1.GetStockReportRequest{BookNo: h})
				if err != nil {
					pollErrs = append(pollErrs, err.Error())
					return
				}
				polls++
				for _, l := range r.GetLines() {
					for name, v := range map[string]string{"bonded": l.GetBonded(), "available": l.GetAvailable(), "reserved": l.GetReserved()} {
						if q, err := decimal.NewFromString(v); err != nil || q.IsNegative() {
							pollErrs = append(pollErrs, fmt.Sprintf("line %d %s %q", l.GetBookSeq(), name, v))
						}
					}
					if q, err := decimal.NewFromString(l.GetBonded()); l.GetBookSeq() == lineNotebook && (err != nil || !q.Equal(decimal.NewFromInt(stock))) {
						pollErrs = append(pollErrs, fmt.Sprintf("bonded %s during the race, want %d", l.GetBonded(), stock))
					}
				}
			}
		}()
		close(start)
		wg.Wait()
		close(done)
		<-pollDone
		t.Logf("%d stock reports read during the race", polls)
		if len(pollErrs) > 0 {
			t.Errorf("stock reports during the race (%d polls): %v", polls, pollErrs)
		}
		ok := 0
		for i, err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity", fmt.Sprint("racing declaration ", i))
		}
		if want := stock / each; ok != want {
			t.Errorf("%d of %d declarations of %d went through on a stock of %d, want %d", ok, n, each, stock, want)
		}
		z.wantStock(t, h, lineNotebook, st{bonded: fmt.Sprint(stock), reserved: fmt.Sprint(stock / each * each)})
		declared := 0
		for i, no := range nos {
			l := z.getList(t, no)
			switch l.GetStatus() {
			case customsv1.ListStatus_LIST_STATUS_DECLARED:
				declared++
				if errs[i] != nil {
					t.Errorf("list %s is declared but its declaration was refused: %v", no, errs[i])
				}
			case customsv1.ListStatus_LIST_STATUS_DRAFT:
				if errs[i] == nil {
					t.Errorf("list %s is a draft but its declaration succeeded", no)
				}
			default:
				t.Errorf("list %s is %s", no, l.GetStatus())
			}
		}
		if declared != ok {
			t.Errorf("%d lists declared, %d declarations succeeded", declared, ok)
		}
	})

	t.Run("a back-dated list does not reserve goods the book did not hold on its date", func(t *testing.T) {
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, lineNotebook, "10", "50000") // entered today
		l := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "BD-1", BookNo: h, Io: "E", TradeMode: "5034", Date: day(-3),
			Lines: []*customsv1.ListLine{line(lineNotebook, "4", "20000", "40", "")}})
		if l.GetDate() != day(-3) {
			t.Fatalf("list business date %q, want %s", l.GetDate(), day(-3))
		}
		_, err := d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: l.GetListNo()})
		if err != nil {
			wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_BONDED_STOCK", "lines[0].quantity", "reserving on a day the goods were not there")
		}
		// 0001-01-01 is a day before any goods, not "now".
		if r, err := z.books.GetStockReport(ctxAs(t, e1.tok), &customsv1.GetStockReportRequest{BookNo: h, AsOf: "0001-01-01"}); err != nil {
			t.Fatalf("GetStockReport as of 0001-01-01: %v", err)
		} else if r.GetAsOf() != "0001-01-01" {
			t.Errorf("GetStockReport as of 0001-01-01 answered as of %q", r.GetAsOf())
		} else {
			for _, sl := range r.GetLines() {
				if !dec(t, sl.GetBonded()).IsZero() || !dec(t, sl.GetAvailable()).IsZero() {
					t.Errorf("as of 0001-01-01 line %d holds bonded %s, available %s: the report is of now, not of that day", sl.GetBookSeq(), sl.GetBonded(), sl.GetAvailable())
				}
			}
		}
		// Whatever the answer, no day's stock report shows a line below zero.
		for n := -4; n <= 1; n++ {
			r, err := z.books.GetStockReport(ctxAs(t, e1.tok), &customsv1.GetStockReportRequest{BookNo: h, AsOf: day(n)})
			if err != nil {
				t.Fatalf("GetStockReport as of %s: %v", day(n), err)
			}
			for _, sl := range r.GetLines() {
				if dec(t, sl.GetAvailable()).IsNegative() || dec(t, sl.GetBonded()).IsNegative() {
					t.Errorf("as of %s line %d: bonded %s available %s reserved %s (list %s dated %s, declared: %v; the goods entered on %s)",
						day(n), sl.GetBookSeq(), sl.GetBonded(), sl.GetAvailable(), sl.GetReserved(), l.GetListNo(), l.GetDate(), err == nil, "today")
				}
			}
		}
	})

	t.Run("a transfer to the book of a suspended enterprise", func(t *testing.T) {
		e3 := z.enterprise(t, "Suspended Three")
		tb3 := z.tBook(t, e3)
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, linePE, "100", "1600")
		transfer := func(inner string) *customsv1.CreateListRequest {
			return &customsv1.CreateListRequest{InnerNo: inner, BookNo: h, ListType: "6", Io: "E", TradeMode: "5034", RelatedBookNo: tb3,
				Lines: []*customsv1.ListLine{line(linePE, "10", "160", "", "")}}
		}
		draft := z.createList(t, e1.tok, transfer("TS-1"))
		er, err := z.books.SetEnterpriseSuspended(ctxAs(t, z.customs), &customsv1.SetEnterpriseSuspendedRequest{Uscc: e3.uscc, Suspended: true})
		if err != nil || !er.GetEnterprise().GetSuspended() {
			t.Fatalf("SetEnterpriseSuspended: %v, %v", er.GetEnterprise(), err)
		}
		before, before3 := z.bookState(t, h), z.bookState(t, tb3)
		_, err = d.CreateList(ctxAs(t, e1.tok), transfer("TS-2"))
		wantRefused(t, err, codes.FailedPrecondition, "ENTERPRISE_SUSPENDED", "related_book_no", "a transfer to a suspended enterprise", e3.uscc)
		_, err = d.DeclareList(ctxAs(t, e1.tok), &customsv1.DeclareListRequest{ListNo: draft.GetListNo()})
		wantRefused(t, err, codes.FailedPrecondition, "ENTERPRISE_SUSPENDED", "related_book_no", "declaring a transfer filed before the suspension")
		_, err = d.CreateList(ctxAs(t, e3.tok), entryReq(tb3, "TS-OWN", lineNotebook, "1", "5000"))
		wantRefused(t, err, codes.FailedPrecondition, "ENTERPRISE_SUSPENDED", "book_no", "the suspended enterprise filing on its own book")
		z.wantBookState(t, h, before, "transfers to a suspended enterprise")
		z.wantBookState(t, tb3, before3, "transfers to a suspended enterprise")
		z.wantStock(t, h, linePE, st{bonded: "100"})
		// The suspension lifted, the transfer goes ahead.
		if _, err := z.books.SetEnterpriseSuspended(ctxAs(t, z.customs), &customsv1.SetEnterpriseSuspendedRequest{Uscc: e3.uscc}); err != nil {
			t.Fatalf("lifting the suspension: %v", err)
		}
		z.declare(t, e1.tok, draft.GetListNo())
		z.wantStock(t, h, linePE, st{bonded: "100", reserved: "10"})
	})

	t.Run("a list number is the idempotency key", func(t *testing.T) {
		h := z.hBook(t, e1)
		req := entryReq(h, "DUP-1", lineNotebook, "5", "25000")
		l := z.createList(t, e1.tok, req)
		again := z.createList(t, e1.tok, entryReq(h, "DUP-1", lineNotebook, "5", "25000"))
		if again.GetListNo() != l.GetListNo() || again.GetInputHash() != l.GetInputHash() {
			t.Errorf("replayed filing: list %s (hash %s), want %s (%s)", again.GetListNo(), again.GetInputHash(), l.GetListNo(), l.GetInputHash())
		}
		before := z.bookState(t, h)
		_, err := d.CreateList(ctxAs(t, e1.tok), entryReq(h, "DUP-1", lineNotebook, "6", "30000"))
		wantRefused(t, err, codes.AlreadyExists, "DUPLICATE_LIST_NUMBER", "inner_no", "another filing under a used list number", l.GetListNo())
		z.wantBookState(t, h, before, "a duplicate list number")
		if q := dec(t, z.getList(t, l.GetListNo()).GetLines()[0].GetQuantity()).String(); q != "5" {
			t.Errorf("the original list now carries %s, want 5", q)
		}
		// Declared, the same filing still returns the list as it is now.
		z.declare(t, e1.tok, l.GetListNo())
		again = z.createList2(t, e1.tok, entryReq(h, "DUP-1", lineNotebook, "5", "25000"))
		if again.GetListNo() != l.GetListNo() || again.GetStatus() != customsv1.ListStatus_LIST_STATUS_DECLARED {
			t.Errorf("replay after declaring: %s %s, want %s DECLARED", again.GetListNo(), again.GetStatus(), l.GetListNo())
		}
		// Numbers are per enterprise: another enterprise may use the same one.
		tb := z.tBook(t, e2)
		other := z.createList(t, e2.tok, entryReq(tb, "DUP-1", lineNotebook, "6", "30000"))
		if other.GetListNo() == l.GetListNo() {
			t.Errorf("another enterprise's DUP-1 got the same list %s", other.GetListNo())
		}
		// Passes too.
		pr, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "DUP-P", BookNo: h, PassType: "6", Io: "I", Vehicle: "沪P00001"})
		if err != nil {
			t.Fatalf("CreatePass: %v", err)
		}
		pr2, err := g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "DUP-P", BookNo: h, PassType: "6", Io: "I", Vehicle: "沪P00001"})
		if err != nil || pr2.GetPass().GetPassNo() != pr.GetPass().GetPassNo() {
			t.Errorf("replayed pass: %v, %v; want %s", pr2.GetPass().GetPassNo(), err, pr.GetPass().GetPassNo())
		}
		_, err = g.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: "DUP-P", BookNo: h, PassType: "6", Io: "I", Vehicle: "沪P00002"})
		wantRefused(t, err, codes.AlreadyExists, "DUPLICATE_DOCUMENT_NUMBER", "inner_no", "another pass under a used number")
	})
}

// createList2 is createList for a replay that may return a list in any
// status.
func (z *zoneEnv) createList2(t *testing.T, tok string, req *customsv1.CreateListRequest) *customsv1.List {
	t.Helper()
	resp, err := z.decl.CreateList(ctxAs(t, tok), req)
	if err != nil {
		t.Fatalf("CreateList %s: %v", req.GetInnerNo(), err)
	}
	return resp.GetList()
}
