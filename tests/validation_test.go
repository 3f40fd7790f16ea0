package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

const bookV = "H-VALID-E1"

// badCase is one malformed request and the field its error must name.
type badCase struct {
	name  string
	field string
	call  func(ctx context.Context) error
}

// TestBadInputOverTheWire sends malformed requests the way a buggy client
// would. Each gets INVALID_ARGUMENT naming the field at fault, never
// INTERNAL, and the server survives all of them.
func TestBadInputOverTheWire(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	EnsureWorld(t, s, a.C, "abroad", "domestic")
	CreateBook(t, s, a.E1, bookV, ent1, "bonded")
	RegisterItems(t, s, a.E1, bookV, item("PCS", "PCE", 0), item("KG3", "KGM", 3))
	Post(t, s, a.E1, journal(bookV, "seed", day(0), move("KG3", "KGM", "10", "100.00", world("abroad"), acct(bookV, "bonded"))))
	lc := s.Ledger()

	// good is a valid journal request; each case breaks one thing.
	good := func() *ledgerv1.PostJournalRequest {
		return journal(bookV, "v-key", day(0), move("KG3", "KGM", "1.5", "15.00", world("abroad"), acct(bookV, "bonded")))
	}
	post := func(mutate func(r *ledgerv1.PostJournalRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := good()
			mutate(r)
			_, err := lc.PostJournal(ctx, r)
			return err
		}
	}
	var cases []badCase
	for _, q := range []string{"1e3", "1,5", "abc", "--1", "-1", "+1", "1.", ".5", " 1", "1 ", "0x10", "1_000", "NaN", "Infinity", "１",
		"99999999999999999999999999999", "0", "0.000", ""} {
		cases = append(cases, badCase{"quantity " + fmt.Sprintf("%q", q), "postings[0].quantity", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Quantity = q })})
	}
	for _, v := range []string{"1e3", "1,5", "abc", "--1", "-1", "1.005"} {
		cases = append(cases, badCase{"value " + fmt.Sprintf("%q", v), "postings[0].value", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Value = v })})
	}
	cases = append(cases,
		badCase{"no idempotency key", "idempotency_key", post(func(r *ledgerv1.PostJournalRequest) { r.IdempotencyKey = "" })},
		badCase{"idempotency key of 129 bytes", "idempotency_key", post(func(r *ledgerv1.PostJournalRequest) { r.IdempotencyKey = strings.Repeat("k", 129) })},
		badCase{"no postings", "postings", post(func(r *ledgerv1.PostJournalRequest) { r.Postings = nil })},
		badCase{"no effective date", "effective_date", post(func(r *ledgerv1.PostJournalRequest) { r.EffectiveDate = "" })},
		badCase{"effective date 2026-02-30", "effective_date", post(func(r *ledgerv1.PostJournalRequest) { r.EffectiveDate = "2026-02-30" })},
		badCase{"effective date 2026-13-01", "effective_date", post(func(r *ledgerv1.PostJournalRequest) { r.EffectiveDate = "2026-13-01" })},
		badCase{"effective date 15/03/2026", "effective_date", post(func(r *ledgerv1.PostJournalRequest) { r.EffectiveDate = "15/03/2026" })},
		badCase{"no document", "document", post(func(r *ledgerv1.PostJournalRequest) { r.Document = nil })},
		badCase{"no book", "book_id", post(func(r *ledgerv1.PostJournalRequest) { r.BookId = "" })},
		badCase{"book id ../etc", "book_id", post(func(r *ledgerv1.PostJournalRequest) { r.BookId = "../etc" })},
		badCase{"trade mode 12", "document.trade_mode", post(func(r *ledgerv1.PostJournalRequest) { r.Document.TradeMode = "12" })},
		badCase{"no from account", "postings[0].from", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].From = nil })},
		badCase{"no unit", "postings[0].unit", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Unit = "" })},
		badCase{"no item code", "postings[0].item_code", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].ItemCode = "" })},
		badCase{"wrong unit", "postings[0].unit", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Unit = "PCE" })},
		badCase{"legs in a request", "postings[0].legs|postings[0]|postings", post(func(r *ledgerv1.PostJournalRequest) {
			r.Postings[0].Legs = []*ledgerv1.Leg{{Lot: "x", Quantity: "1", Value: "1"}}
		})},
		badCase{"from and to the same account", "postings[0].to|postings[0]", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].From = acct(bookV, "bonded") })},
		badCase{"value on goods leaving a book account", "postings[0].value", post(func(r *ledgerv1.PostJournalRequest) {
			r.Postings[0] = move("KG3", "KGM", "1", "5.00", acct(bookV, "bonded"), world("domestic"))
		})},
		badCase{"quantity 1.5 of an item without decimals", "postings[0].quantity", post(func(r *ledgerv1.PostJournalRequest) {
			r.Postings[0] = move("PCS", "PCE", "1.5", "1.00", world("abroad"), acct(bookV, "bonded"))
		})},
		badCase{"quantity 1.2345 of an item with 3 decimals", "postings[0].quantity", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Quantity = "1.2345" })},
		badCase{"quantity with 12 decimals", "postings[0].quantity", post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].Quantity = "0.000000000001" })},
		badCase{"1001 postings", "postings", post(func(r *ledgerv1.PostJournalRequest) {
			p := r.Postings[0]
			r.Postings = nil
			for range 1001 {
				r.Postings = append(r.Postings, proto.Clone(p).(*ledgerv1.Posting))
			}
		})},
		badCase{"65 metadata entries", "metadata", post(func(r *ledgerv1.PostJournalRequest) {
			r.Metadata = map[string]string{}
			for i := range 65 {
				r.Metadata[fmt.Sprint("k", i)] = "v"
			}
		})},
		badCase{"an idempotency key of 1.5 MiB", "idempotency_key", post(func(r *ledgerv1.PostJournalRequest) { r.IdempotencyKey = strings.Repeat("k", 3<<19) })},
	)

	batchOf := func(n int, mutate func(i int, r *ledgerv1.PostJournalRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			req := &ledgerv1.PostJournalsRequest{}
			for i := range n {
				r := good()
				r.IdempotencyKey = fmt.Sprint("batch-", i)
				if mutate != nil {
					mutate(i, r)
				}
				req.Journals = append(req.Journals, r)
			}
			_, err := lc.PostJournals(ctx, req)
			return err
		}
	}
	cases = append(cases,
		badCase{"PostJournals with 101 journals", "journals", batchOf(101, nil)},
		badCase{"PostJournals with none", "journals", batchOf(0, nil)},
		badCase{"PostJournals with a bad decimal in journal 3", "journals[3].postings[0].quantity", batchOf(5, func(i int, r *ledgerv1.PostJournalRequest) {
			if i == 3 {
				r.Postings[0].Quantity = "1e3"
			}
		})},
		badCase{"PostJournals with a bad date in journal 1", "journals[1].effective_date", batchOf(2, func(i int, r *ledgerv1.PostJournalRequest) {
			if i == 1 {
				r.EffectiveDate = "2026-02-30"
			}
		})},
	)

	register := func(items []*ledgerv1.Item) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := lc.RegisterItems(ctx, &ledgerv1.RegisterItemsRequest{BookId: bookV, Items: items})
			return err
		}
	}
	var many []*ledgerv1.Item
	for i := range 10001 {
		many = append(many, item(fmt.Sprint("M", i), "PCE", 0))
	}
	cases = append(cases,
		badCase{"RegisterItems with 10001 items", "items", register(many)},
		badCase{"RegisterItems with none", "items", register(nil)},
		badCase{"item scale 6", "items[0].scale", register([]*ledgerv1.Item{item("S6", "PCE", 6)})},
		badCase{"item without a unit", "items[0].unit", register([]*ledgerv1.Item{{Code: "NU"}})},
		badCase{"item code with a control character", "items[0].code", register([]*ledgerv1.Item{item("bad\x01code", "PCE", 0)})},
		badCase{"item code listed twice", "items[1].code", register([]*ledgerv1.Item{item("D", "PCE", 0), item("D", "PCE", 0)})},
		badCase{"item of another book", "items[0].book_id|items", register([]*ledgerv1.Item{{BookId: "H-OTHER", Code: "X", Unit: "PCE"}})},
	)

	cases = append(cases,
		badCase{"CreateBook with book id ' x'", "book_id", func(ctx context.Context) error {
			_, err := lc.CreateBook(ctx, &ledgerv1.CreateBookRequest{BookId: " x", Owner: ent1})
			return err
		}},
		badCase{"CreateBook with an account listed twice", "accounts", func(ctx context.Context) error {
			_, err := lc.CreateBook(ctx, &ledgerv1.CreateBookRequest{BookId: "H-DUP", Owner: ent1, Accounts: []string{"a", "a"}})
			return err
		}},
		badCase{"GetJournal with id -1", "journal_id", func(ctx context.Context) error {
			_, err := lc.GetJournal(ctx, &ledgerv1.GetJournalRequest{JournalId: -1})
			return err
		}},
		badCase{"ListJournals with a garbage page token", "page_token", func(ctx context.Context) error {
			_, err := lc.ListJournals(ctx, &ledgerv1.ListJournalsRequest{BookId: bookV, PageToken: "!!not-a-token!!"})
			return err
		}},
		badCase{"ListJournals with page size -1", "page_size", func(ctx context.Context) error {
			_, err := lc.ListJournals(ctx, &ledgerv1.ListJournalsRequest{BookId: bookV, PageSize: -1})
			return err
		}},
		badCase{"ListJournals from after to", "from_date|to_date", func(ctx context.Context) error {
			_, err := lc.ListJournals(ctx, &ledgerv1.ListJournalsRequest{BookId: bookV, FromDate: day(0), ToDate: day(-1)})
			return err
		}},
		badCase{"GetDayTotals without dates", "from_date", func(ctx context.Context) error {
			_, err := lc.GetDayTotals(ctx, &ledgerv1.GetDayTotalsRequest{BookId: bookV})
			return err
		}},
		badCase{"GetBalances as of 2026-02-30", "as_of", func(ctx context.Context) error {
			_, err := lc.GetBalances(ctx, &ledgerv1.GetBalancesRequest{BookId: bookV, AsOf: "2026-02-30"})
			return err
		}},
		badCase{"StreamJournals with from after to", "from_date|to_date", func(ctx context.Context) error {
			st, err := lc.StreamJournals(ctx, &ledgerv1.StreamJournalsRequest{BookId: bookV, FromDate: day(0), ToDate: day(-1)})
			if err != nil {
				return err
			}
			_, err = st.Recv()
			return err
		}},
		badCase{"ClosePeriod through tomorrow", "through", func(ctx context.Context) error {
			_, err := lc.ClosePeriod(ctx, &ledgerv1.ClosePeriodRequest{BookId: bookV, Through: day(1), IdempotencyKey: "c"})
			return err
		}},
		badCase{"ReverseJournal without a reason", "reason", func(ctx context.Context) error {
			_, err := lc.ReverseJournal(ctx, &ledgerv1.ReverseJournalRequest{BookId: bookV, JournalId: 1, IdempotencyKey: "r", EffectiveDate: day(0)})
			return err
		}},
	)

	// Admin requests, sent as the admin.
	adminCases := []badCase{
		{"CreatePrincipal with role 99", "role", func(ctx context.Context) error {
			_, err := s.Admin().CreatePrincipal(ctx, &adminv1.CreatePrincipalRequest{PrincipalId: "r99", Role: adminv1.Role(99)})
			return err
		}},
		{"CreatePrincipal without a role", "role", func(ctx context.Context) error {
			_, err := s.Admin().CreatePrincipal(ctx, &adminv1.CreatePrincipalRequest{PrincipalId: "r0"})
			return err
		}},
		{"CreatePrincipal enterprise without enterprise_id", "enterprise_id", func(ctx context.Context) error {
			_, err := s.Admin().CreatePrincipal(ctx, &adminv1.CreatePrincipalRequest{PrincipalId: "ne", Role: adminv1.Role_ROLE_ENTERPRISE})
			return err
		}},
		{"CreatePrincipal with principal id 'a b'", "principal_id", func(ctx context.Context) error {
			_, err := s.Admin().CreatePrincipal(ctx, &adminv1.CreatePrincipalRequest{PrincipalId: "a b", Role: adminv1.Role_ROLE_CUSTOMS})
			return err
		}},
		{"IssueToken expiring in the past", "expires_at", func(ctx context.Context) error {
			_, err := s.Admin().IssueToken(ctx, &adminv1.IssueTokenRequest{PrincipalId: "e1", ExpiresAt: timestampDaysAgo(1)})
			return err
		}},
		{"ListPrincipals with a garbage page token", "page_token", func(ctx context.Context) error {
			_, err := s.Admin().ListPrincipals(ctx, &adminv1.ListPrincipalsRequest{PageToken: "!!"})
			return err
		}},
		// Valid base64 whose bytes are not UTF-8 (0xd3 0x1d) or hold NUL:
		// once answered INTERNAL, PostgreSQL refusing the key.
		{"ListPrincipals with a page token that is not text", "page_token", func(ctx context.Context) error {
			_, err := s.Admin().ListPrincipals(ctx, &adminv1.ListPrincipalsRequest{PageToken: "0x0"})
			return err
		}},
		{"ListTokens with a page token holding NUL", "page_token", func(ctx context.Context) error {
			_, err := s.Admin().ListTokens(ctx, &adminv1.ListTokensRequest{PrincipalId: "e1", PageToken: "YQBi"})
			return err
		}},
	}

	// Customs services' requests, sent as customs (who may make every one of
	// them, so that only the input is at fault).
	bs := customsv1.NewBookServiceClient(s.Conn())
	ds := customsv1.NewDeclarationServiceClient(s.Conn())
	gs := customsv1.NewGateServiceClient(s.Conn())
	goodList := func() *customsv1.CreateListRequest {
		return &customsv1.CreateListRequest{InnerNo: "V-1", BookNo: "H31050000001", Io: "I", TradeMode: "5034",
			Lines: []*customsv1.ListLine{{BookSeq: 1, Quantity: "1"}}}
	}
	createList := func(mutate func(r *customsv1.CreateListRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := goodList()
			mutate(r)
			_, err := ds.CreateList(ctx, r)
			return err
		}
	}
	customsCases := []badCase{
		{"CreateList quantity 1e3", "lines[0].quantity", createList(func(r *customsv1.CreateListRequest) { r.Lines[0].Quantity = "1e3" })},
		{"CreateList quantity -1", "lines[0].quantity", createList(func(r *customsv1.CreateListRequest) { r.Lines[0].Quantity = "-1" })},
		{"CreateList total 1,5", "lines[0].total", createList(func(r *customsv1.CreateListRequest) { r.Lines[0].Total = "1,5" })},
		{"CreateList without inner_no", "inner_no", createList(func(r *customsv1.CreateListRequest) { r.InnerNo = "" })},
		{"CreateList io X", "io", createList(func(r *customsv1.CreateListRequest) { r.Io = "X" })},
		{"RegisterEnterprise USCC with a wrong check character", "uscc", func(ctx context.Context) error {
			_, err := bs.RegisterEnterprise(ctx, &customsv1.RegisterEnterpriseRequest{Uscc: "91350100M000100Y44", CustomsCode: "3105960001", Name: "X"})
			return err
		}},
		{"AddBookLines hs_code 12345", "lines[0].hs_code", func(ctx context.Context) error {
			_, err := bs.AddBookLines(ctx, &customsv1.AddBookLinesRequest{BookNo: "H31050000001", Lines: []*customsv1.BookLine{{Seq: 1, HsCode: "12345",
				Name: "x", DeclaredUnit: "001", Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}}}})
			return err
		}},
		{"GetStockReport as of 2026-02-30", "as_of", func(ctx context.Context) error {
			_, err := bs.GetStockReport(ctx, &customsv1.GetStockReportRequest{BookNo: "H31050000001", AsOf: "2026-02-30"})
			return err
		}},
		{"ListLists page size 1001", "page_size", func(ctx context.Context) error {
			_, err := ds.ListLists(ctx, &customsv1.ListListsRequest{PageSize: 1001})
			return err
		}},
		{"ReportConsumption quantity abc", "consumed[0].quantity", func(ctx context.Context) error {
			_, err := ds.ReportConsumption(ctx, &customsv1.ReportConsumptionRequest{InnerNo: "C", BookNo: "H31050000001",
				Consumed: []*customsv1.ConsumedLine{{BookSeq: 1, Quantity: "abc"}}})
			return err
		}},
		{"CreatePass vehicle weight -1", "vehicle_weight", func(ctx context.Context) error {
			_, err := gs.CreatePass(ctx, &customsv1.CreatePassRequest{InnerNo: "P", BookNo: "H31050000001", PassType: "6", Io: "I", Vehicle: "V", VehicleWeight: "-1"})
			return err
		}},
		{"RecordGateEvent scale 1,5", "scale_gross", func(ctx context.Context) error {
			_, err := gs.RecordGateEvent(ctx, &customsv1.RecordGateEventRequest{PassNo: "HF0", EventId: "e", Vehicle: "V", ScaleGross: "1,5"})
			return err
		}},
		{"RecordGateEvent at gate 3", "gate", func(ctx context.Context) error {
			_, err := gs.RecordGateEvent(ctx, &customsv1.RecordGateEventRequest{PassNo: "HF0", EventId: "e", Gate: 3, Vehicle: "V", ScaleGross: "1"})
			return err
		}},
		{"RejectHold without a note", "note", func(ctx context.Context) error {
			_, err := gs.RejectHold(ctx, &customsv1.RejectHoldRequest{PassNo: "HF0"})
			return err
		}},
	}

	// DisplayService and EcommerceService requests. Filings go as platform P
	// (linked to ent1, for whom it may file: a good request would get as far
	// as the unknown form or channel), the rest as customs.
	dsp := customsv1.NewDisplayServiceClient(s.Conn())
	ecs := customsv1.NewEcommerceServiceClient(s.Conn())
	goodMove := func() *customsv1.MoveDisplayRequest {
		return &customsv1.MoveDisplayRequest{InnerNo: "VD-1", ApplyNo: "SQC-NONE", Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
			Lines: []*customsv1.DisplayLine{{BookSeq: 1, Quantity: "1", Value: "100.00"}}}
	}
	moveDisplay := func(mutate func(r *customsv1.MoveDisplayRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := goodMove()
			mutate(r)
			_, err := dsp.MoveDisplay(ctx, r)
			return err
		}
	}
	person := func() *customsv1.Person {
		return &customsv1.Person{Name: "王五", IdNumber: "110101199001010007", Phone: "13900000001", Address: "天津市滨海新区1号"}
	}
	goodOrder := func() *customsv1.SubmitOrderRequest {
		return &customsv1.SubmitOrderRequest{OrderNo: "VO-1", Enterprise: ent1, Buyer: person(), Consignee: person(),
			GoodsValue: "100.00", TaxTotal: "0.00", ActualPaid: "100.00",
			Lines: []*customsv1.OrderLine{{ItemNo: "SKU-1", Quantity: "1", Price: "100", Total: "100.00"}}}
	}
	submitOrder := func(mutate func(r *customsv1.SubmitOrderRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := goodOrder()
			mutate(r)
			_, err := ecs.SubmitOrder(ctx, r)
			return err
		}
	}
	goodPayment := func() *customsv1.SubmitPaymentRequest {
		return &customsv1.SubmitPaymentRequest{Enterprise: ent1, OrderNo: "VO-1", PayCode: "ALIPAY", TransactionId: "PAY-VO-1", Payer: person(), Amount: "100.00"}
	}
	submitPayment := func(mutate func(r *customsv1.SubmitPaymentRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := goodPayment()
			mutate(r)
			_, err := ecs.SubmitPayment(ctx, r)
			return err
		}
	}
	settlement := func(from, to string, export customsv1.SettlementExport) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := ecs.GetSettlement(ctx, &customsv1.GetSettlementRequest{Guarantor: ent1, FromDate: from, ToDate: to, Export: export})
			return err
		}
	}
	filingCases := []badCase{
		{"MoveDisplay quantity 1,5", "lines[0].quantity", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.Lines[0].Quantity = "1,5" })},
		{"MoveDisplay value 1e2", "lines[0].value", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.Lines[0].Value = "1e2" })},
		{"MoveDisplay date 2026-02-30", "date", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.Date = "2026-02-30" })},
		{"MoveDisplay without apply_no", "apply_no", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.ApplyNo = "" })},
		{"MoveDisplay without a kind", "kind", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.Kind = customsv1.DisplayKind_DISPLAY_KIND_UNSPECIFIED })},
		{"MoveDisplay without lines", "lines", moveDisplay(func(r *customsv1.MoveDisplayRequest) { r.Lines = nil })},
		{"SubmitOrder goods value 1,000.00", "goods_value", submitOrder(func(r *customsv1.SubmitOrderRequest) { r.GoodsValue = "1,000.00" })},
		{"SubmitOrder line quantity -1", "lines[0].quantity", submitOrder(func(r *customsv1.SubmitOrderRequest) { r.Lines[0].Quantity = "-1" })},
		{"SubmitOrder without a buyer", "buyer", submitOrder(func(r *customsv1.SubmitOrderRequest) { r.Buyer = nil })},
		{"SubmitOrder without order_no", "order_no", submitOrder(func(r *customsv1.SubmitOrderRequest) { r.OrderNo = "" })},
		{"SubmitPayment amount 100.00.0", "amount", submitPayment(func(r *customsv1.SubmitPaymentRequest) { r.Amount = "100.00.0" })},
		{"SubmitPayment paid at year 300000", "paid_at", submitPayment(func(r *customsv1.SubmitPaymentRequest) {
			r.PaidAt = &timestamppb.Timestamp{Seconds: 1 << 43}
		})},
		{"SubmitWaybill without logistics_no", "logistics_no", func(ctx context.Context) error {
			_, err := ecs.SubmitWaybill(ctx, &customsv1.SubmitWaybillRequest{Enterprise: ent1, OrderNo: "VO-1", Consignee: person()})
			return err
		}},
		{"SubmitDocuments with a bad decimal in document 1", "documents[1].order.lines[0].price", func(ctx context.Context) error {
			bad := goodOrder()
			bad.OrderNo, bad.Lines[0].Price = "VO-2", "1.0e2"
			_, err := ecs.SubmitDocuments(ctx, &customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
				{Document: &customsv1.EcommerceDocument_Order{Order: goodOrder()}}, {Document: &customsv1.EcommerceDocument_Order{Order: bad}}}})
			return err
		}},
	}
	// taxPayment is a well-formed RecordTaxPayment (of a list that does not
	// exist) with one thing broken by mutate.
	taxPayment := func(mutate func(r *customsv1.RecordTaxPaymentRequest)) func(context.Context) error {
		return func(ctx context.Context) error {
			r := &customsv1.RecordTaxPaymentRequest{PaymentNo: "TP-V", Amount: "10.00", PaidOn: "2026-03-01", ListNos: []string{"QL-NONE"}}
			mutate(r)
			_, err := ecs.RecordTaxPayment(ctx, r)
			return err
		}
	}
	displayEcomCases := []badCase{
		{"PayDisplayTax amount -5", "amount", func(ctx context.Context) error {
			_, err := dsp.PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: "SQC-NONE", Amount: "-5", PaymentNo: "VP-1"})
			return err
		}},
		{"PayDisplayTax without payment_no", "payment_no", func(ctx context.Context) error {
			_, err := dsp.PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: "SQC-NONE", Amount: "5.00"})
			return err
		}},
		{"GetDisplayStatus as of 2026-13-01", "as_of", func(ctx context.Context) error {
			_, err := dsp.GetDisplayStatus(ctx, &customsv1.GetDisplayStatusRequest{ApplyNo: "SQC-NONE", AsOf: "2026-13-01"})
			return err
		}},
		{"RegisterChannel without a guarantor", "guarantor", func(ctx context.Context) error {
			_, err := ecs.RegisterChannel(ctx, &customsv1.RegisterChannelRequest{Enterprise: ent1, Platform: "TMALL", BookNo: "T3105W000001"})
			return err
		}},
		{"GetOrder without order_no", "order_no", func(ctx context.Context) error {
			_, err := ecs.GetOrder(ctx, &customsv1.GetOrderRequest{})
			return err
		}},
		{"GetSettlement from 2026-02-30", "from_date", settlement("2026-02-30", "2026-03-31", customsv1.SettlementExport_SETTLEMENT_EXPORT_UNSPECIFIED)},
		{"GetSettlement to 2026-3-31", "to_date", settlement("2026-03-01", "2026-3-31", customsv1.SettlementExport_SETTLEMENT_EXPORT_UNSPECIFIED)},
		{"GetSettlement from after to", "to_date|from_date", settlement("2026-03-02", "2026-03-01", customsv1.SettlementExport_SETTLEMENT_EXPORT_UNSPECIFIED)},
		{"GetSettlement without dates", "from_date|to_date", settlement("", "", customsv1.SettlementExport_SETTLEMENT_EXPORT_UNSPECIFIED)},
		{"GetSettlement export 9", "export", settlement("2026-03-01", "2026-03-31", customsv1.SettlementExport(9))},
		{"RecordTaxPayment amount 1.005", "amount", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.Amount = "1.005" })},
		{"RecordTaxPayment amount -1", "amount", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.Amount = "-1" })},
		{"RecordTaxPayment amount 0", "amount", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.Amount = "0" })},
		{"RecordTaxPayment paid on 2026-02-30", "paid_on", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.PaidOn = "2026-02-30" })},
		{"RecordTaxPayment without payment_no", "payment_no", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.PaymentNo = "" })},
		{"RecordTaxPayment without lists", "list_nos", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.ListNos = nil })},
		{"RecordTaxPayment a list twice", "list_nos", taxPayment(func(r *customsv1.RecordTaxPaymentRequest) { r.ListNos = []string{"QL-1", "QL-1"} })},
	}

	before := balanceMap(t, s, a.E1, bookV)
	run := func(cs []badCase, tok string) {
		for _, c := range cs {
			t.Run(c.name, func(t *testing.T) {
				err := c.call(ctxAs(t, tok))
				if code := codeOf(err); code == codes.Internal || code == codes.Unknown || code == codes.Unavailable {
					t.Fatalf("got %v: %v (the server must answer bad input with INVALID_ARGUMENT)", code, err)
				}
				wantInvalid(t, err, c.field, c.name)
			})
		}
	}
	run(cases, a.E1)
	run(adminCases, a.Admin)
	run(customsCases, a.C)
	run(filingCases, a.P)
	run(displayEcomCases, a.C)

	// Larger than a principal may have in flight (2 MiB): refused before it is read.
	t.Run("message over 2 MiB", func(t *testing.T) {
		r := good()
		r.IdempotencyKey = strings.Repeat("k", 3<<20)
		_, err := lc.PostJournal(ctxAs(t, a.E1), r)
		if code := codeOf(err); code != codes.ResourceExhausted {
			t.Errorf("a 3 MiB request: %v; want RESOURCE_EXHAUSTED", err)
		}
	})

	// Control, bidirectional-control and zero-width characters in text:
	// INVALID_ARGUMENT, reason INVISIBLE_CHARACTER, the field named, and
	// nothing written, even where the request is otherwise one the server
	// takes (the journal and the list below are then filed clean).
	z := zoneOn(s, a)
	te := z.enterprise(t, "Text Check One")
	tb := z.hBook(t, te)
	invisible := []struct {
		badCase
		tok, char string
	}{
		{badCase{"PostJournal with ESC in a posting's item code", "postings[0].item_code",
			post(func(r *ledgerv1.PostJournalRequest) { r.Postings[0].ItemCode = "KG3\x1b[8m" })}, a.E1, "U+001B"},
		{badCase{"PostJournal with ESC in the document number", "document.number",
			post(func(r *ledgerv1.PostJournalRequest) { r.Document.Number = "\x1b[2JD-1" })}, a.E1, "U+001B"},
		{badCase{"PostJournals with a zero-width space in a metadata value", `journals[1].metadata["ref"]`, batchOf(2, func(i int, r *ledgerv1.PostJournalRequest) {
			r.Metadata = map[string]string{"ref": fmt.Sprint("R", i)}
			if i == 1 {
				r.Metadata["ref"] = "R\u200b1"
			}
		})}, a.E1, "U+200B"},
		{badCase{"RegisterItems with U+202E in an item code", "items[0].code", register([]*ledgerv1.Item{item("PCS\u202e", "PCE", 0)})}, a.E1, "U+202E"},
		{badCase{"CreateList with U+202E in inner_no", "inner_no", func(ctx context.Context) error {
			_, err := z.decl.CreateList(ctx, entryReq(tb, "TXT-\u202e1", lineNotebook, "1", "5000"))
			return err
		}}, te.tok, "U+202E"},
		{badCase{"CreateList with a BOM in a line's part number", "lines[0].part_number", func(ctx context.Context) error {
			r := entryReq(tb, "TXT-2", lineNotebook, "1", "5000")
			r.Lines[0].PartNumber = "\ufeffNB-01"
			_, err := z.decl.CreateList(ctx, r)
			return err
		}}, te.tok, "U+FEFF"},
	}
	for _, c := range invisible {
		t.Run(c.name, func(t *testing.T) {
			err := c.call(ctxAs(t, c.tok))
			wantInvalid(t, err, c.field, c.name)
			if got := errorsv1.ReasonOf(err); got != errorsv1.Reason_INVISIBLE_CHARACTER.String() {
				t.Errorf("reason %q, want INVISIBLE_CHARACTER: %v", got, err)
			}
			if msg := status.Convert(err).Message(); !strings.Contains(msg, c.char) || !strings.Contains(msg, "remove it") {
				t.Errorf("message %q does not name %s and say to remove it", msg, c.char)
			}
		})
	}
	if r, err := z.decl.ListLists(ctxAs(t, te.tok), &customsv1.ListListsRequest{BookNo: tb}); err != nil || len(r.GetLists()) != 0 {
		t.Errorf("after the refused lists the book has lists %v (%v), want none", r.GetLists(), err)
	}
	if r, err := lc.ListItems(ctxAs(t, a.E1), &ledgerv1.ListItemsRequest{BookId: bookV}); err != nil || len(r.GetItems()) != 2 {
		t.Errorf("after the refused item the book has items %v (%v), want the 2 registered", r.GetItems(), err)
	}
	// The same list, clean, is filed: the refusal was the character's.
	z.createList(t, te.tok, entryReq(tb, "TXT-1", lineNotebook, "1", "5000"))

	if !s.Alive() {
		t.Fatalf("the server died during the bad-input tests")
	}
	if after := balanceMap(t, s, a.E1, bookV); !mapsEqual(before, after) {
		t.Errorf("bad requests changed the balances: %v -> %v", before, after)
	}
	if n := len(streamAll(t, s, a.E1, bookV)); n != 1 {
		t.Errorf("the book has %d journals after the bad requests, want 1", n)
	}
	// And it still takes good ones.
	if j := Post(t, s, a.E1, good()); j.GetJournalId() == 0 {
		t.Errorf("a good journal after the bad ones: %v", j)
	}
}

func timestampDaysAgo(n int) *timestamppb.Timestamp {
	return timestamppb.New(time.Now().Add(-time.Duration(n) * 24 * time.Hour))
}
