package customsapi

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// The handlers parse before they touch the domain service, so these tests
// run them with a nil service: every case must fail in parsing.

func enterpriseCtx() context.Context {
	return access.WithPrincipal(context.Background(), access.Principal{ID: "ent", Role: access.RoleEnterprise, Enterprise: "91310000MA1FL0XX0X"})
}

func wantInvalid(t *testing.T, err error, reason, field string) {
	t.Helper()
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("got %v, want INVALID_ARGUMENT", err)
	}
	if got := errorsv1.ReasonOf(err); got != reason {
		t.Errorf("reason %q, want %q (%v)", got, reason, err)
	}
	if got := errorsv1.FieldOf(err); got != field {
		t.Errorf("field %q, want %q (%v)", got, field, err)
	}
}

func listRequest() *customsv1.CreateListRequest {
	return &customsv1.CreateListRequest{
		InnerNo: "QD-0001", BookNo: "H31050000001", ListType: "0", Io: "E", TradeMode: "5034",
		Lines: []*customsv1.ListLine{
			{BookSeq: 1, Quantity: "10"},
			{BookSeq: 2, Quantity: "2.5", UnitPrice: "1.2500", Total: "3.13"},
			{PartNumber: "P-3", Quantity: "7", GrossWeight: "12.5", NetWeight: "11"},
		},
	}
}

func TestCreateListBadDecimalNamesTheLine(t *testing.T) {
	for _, bad := range []string{"1e3", "1,000", " 7", "7.", "+7", "0x10"} {
		r := listRequest()
		r.Lines[2].Quantity = bad
		_, err := NewDeclarationServer(nil).CreateList(enterpriseCtx(), r)
		wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[2].quantity")
	}
	r := listRequest()
	r.Lines[1].UnitPrice = "1.2.3"
	_, err := NewDeclarationServer(nil).CreateList(enterpriseCtx(), r)
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[1].unit_price")

	r = listRequest()
	r.ExchangeRate = "7,1"
	_, err = NewDeclarationServer(nil).CreateList(enterpriseCtx(), r)
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "exchange_rate")
}

func TestListInKeepsExactValues(t *testing.T) {
	r := listRequest()
	r.ExchangeRate = "7.123456"
	l, err := listIn(r)
	if err != nil {
		t.Fatal(err)
	}
	if l.Book != "H31050000001" || l.InnerNo != "QD-0001" || string(l.IO) != "E" || l.TradeMode != "5034" || len(l.Lines) != 3 {
		t.Fatalf("header not carried over: %+v", l)
	}
	checks := []struct {
		got  decimal.Decimal
		want string
	}{
		{l.ExchangeRate, "7.123456"}, {l.Lines[1].Quantity, "2.5"}, {l.Lines[1].UnitPrice, "1.25"},
		{l.Lines[1].Total, "3.13"}, {l.Lines[2].GrossWeight, "12.5"}, {l.Lines[0].UnitPrice, "0"},
	}
	for i, c := range checks {
		if c.got.String() != c.want {
			t.Errorf("check %d: got %s, want %s", i, c.got, c.want)
		}
	}
	if l.Lines[2].PartNumber != "P-3" || l.Lines[2].BookSeq != 0 {
		t.Errorf("part number line: %+v", l.Lines[2])
	}
}

func TestOtherRequestsNameTheirFields(t *testing.T) {
	ctx := enterpriseCtx()
	_, err := NewGateServer(nil).CreatePass(ctx, &customsv1.CreatePassRequest{InnerNo: "HF1", BookNo: "H31050000001", PassType: "2",
		Io: "E", Vehicle: "沪A12345", GrossWeight: "100", Lines: []*customsv1.PassLine{{Quantity: "1"}, {Quantity: "1", NetWeight: "-"}}})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[1].net_weight")

	_, err = NewGateServer(nil).RecordGateEvent(ctx, &customsv1.RecordGateEventRequest{PassNo: "HF1", EventId: "e1", Vehicle: "沪A12345", ScaleGross: "abc"})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "scale_gross")

	_, err = NewDeclarationServer(nil).ReportConsumption(ctx, &customsv1.ReportConsumptionRequest{InnerNo: "R1", BookNo: "H31050000001",
		Date: "2025-02-30", Consumed: []*customsv1.ConsumedLine{{BookSeq: 1, Quantity: "1"}}})
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "date")

	_, err = NewDeclarationServer(nil).ReportConsumption(ctx, &customsv1.ReportConsumptionRequest{InnerNo: "R1", BookNo: "H31050000001",
		Consumed: []*customsv1.ConsumedLine{{BookSeq: 1, Quantity: "1"}}, Produced: []*customsv1.ProducedLine{{BookSeq: 2, Quantity: "1", Value: "1e2"}}})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "produced[0].value")

	_, err = NewBookServer(nil).AddBookLines(ctx, &customsv1.AddBookLinesRequest{BookNo: "H31050000001", Lines: []*customsv1.BookLine{
		{Seq: 1, HsCode: "8471300000", Name: "laptop", DeclaredUnit: "001", Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}},
		{Seq: 2, HsCode: "8471300000", Name: "laptop", DeclaredUnit: "001", Legal: &customsv1.LegalUnit{Unit: "035", Factor: "2.5kg"}},
	}})
	wantInvalid(t, err, ledger.ReasonMalformedDecimal, "lines[1].legal.factor")

	_, err = NewBookServer(nil).CreateBook(ctx, &customsv1.CreateBookRequest{BookNo: "H31050000001", Kind: customsv1.BookKind(42)})
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "kind")

	_, err = NewDeclarationServer(nil).ListTaxableEvents(ctx, &customsv1.ListTaxableEventsRequest{BookNo: "H31050000001", PageToken: "!!"})
	wantInvalid(t, err, ledger.ReasonInvalidArgument, "page_token")
}

func TestNoPrincipalIsUnauthenticated(t *testing.T) {
	_, err := NewBookServer(nil).GetBook(context.Background(), &customsv1.GetBookRequest{BookNo: "H31050000001"})
	if status.Code(err) != codes.Unauthenticated || errorsv1.ReasonOf(err) != ledger.ReasonUnauthenticated {
		t.Fatalf("got %v, want UNAUTHENTICATED", err)
	}
}

func TestDomainFieldsAreRenamedToTheWire(t *testing.T) {
	err := grpcedge.Status(wireField(ledger.Invalid("PASS_SHAPE", "type", "bad shape"), passRenames))
	wantInvalid(t, err, "PASS_SHAPE", "pass_type")
	err = grpcedge.Status(wireField(ledger.Invalid("PASS_SHAPE", "lines[0].quantity", "x"), passRenames))
	wantInvalid(t, err, "PASS_SHAPE", "lines[0].quantity")
}

func TestPaging(t *testing.T) {
	if tok := grpcedge.NextPageToken(99, 100, "QD1"); tok != "" {
		t.Errorf("short page has a next token %q", tok)
	}
	tok := grpcedge.NextPageToken(100, 100, "57")
	if n, err := grpcedge.DecodeIntPageToken(tok, 1000); err != nil || n != 57 {
		t.Errorf("grpcedge.DecodeIntPageToken(grpcedge.NextPageToken(57)) = %d, %v", n, err)
	}
	if _, err := grpcedge.DecodeIntPageToken(tok, 10); err == nil {
		t.Error("a key above the limit was accepted")
	}
}

// TestValidationCoversTheNewMessages runs the server's validation
// interceptor on the new requests: the protovalidate rules apply and name
// the wire field.
func TestValidationCoversTheNewMessages(t *testing.T) {
	unary, _ := grpcedge.ValidationInterceptors()
	call := func(req proto.Message) error {
		_, err := unary(enterpriseCtx(), req, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) { return "ok", nil })
		return err
	}
	r := listRequest()
	if err := call(r); err != nil {
		t.Fatalf("a valid request was refused: %v", err)
	}
	r.Lines[2].Quantity = "1e3"
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "lines[2].quantity")

	r = listRequest()
	r.Io = "X"
	wantInvalid(t, call(r), ledger.ReasonInvalidArgument, "io")

	wantInvalid(t, call(&customsv1.AddBookLinesRequest{BookNo: "H31050000001", Lines: []*customsv1.BookLine{{Seq: 1, HsCode: "8471300000",
		Name: "laptop", DeclaredUnit: "001", Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}, PartNumbers: []string{"P1"}}}}),
		ledger.ReasonInvalidArgument, "lines")

	wantInvalid(t, call(&customsv1.RecordGateEventRequest{PassNo: "HF1", EventId: "e1", Vehicle: "沪A12345", ScaleGross: "12.5", Gate: 3}),
		ledger.ReasonInvalidArgument, "gate")

	wantInvalid(t, call(&customsv1.ListPassesRequest{Status: customsv1.PassStatus(99)}), ledger.ReasonInvalidArgument, "status")
}

// TestCreateListTooLongQuantitySaysTheLimit: a list line's quantity of 35
// integer digits is refused naming the field and the ledger's limit.
func TestCreateListTooLongQuantitySaysTheLimit(t *testing.T) {
	r := listRequest()
	r.Lines[1].Quantity = "12345678901234567890123456789012345"
	_, err := NewDeclarationServer(nil).CreateList(enterpriseCtx(), r)
	wantInvalid(t, err, ledger.ReasonDecimalOutOfRange, "lines[1].quantity")
	if msg := status.Convert(err).Message(); !strings.Contains(msg, "35 digits before the decimal point; the ledger accepts at most 28") {
		t.Errorf("message %q does not say the limit", msg)
	}
}

func TestTaxableEventOutCarriesWaived(t *testing.T) {
	e := zone.TaxableEvent{ID: 7, Duty: decimal.Zero, VAT: decimal.RequireFromString("39.00"),
		Total: decimal.RequireFromString("39.00"), Rule: "DOMESTIC_SALE", Waived: []string{"DUTY", "CONSUMPTION_TAX"}}
	got := taxableEventOut(e)
	if w := got.GetWaived(); len(w) != 2 || w[0] != "DUTY" || w[1] != "CONSUMPTION_TAX" {
		t.Errorf("waived %q, want [DUTY CONSUMPTION_TAX]", w)
	}
	if w := taxableEventOut(zone.TaxableEvent{ID: 8}).GetWaived(); w != nil {
		t.Errorf("nothing waived: waived %q, want none", w)
	}
}

func TestSelectiveDutyOnTheWire(t *testing.T) {
	l, err := listIn(&customsv1.CreateListRequest{InnerNo: "A-1", BookNo: "H31050000001", ListType: "A", Lines: []*customsv1.ListLine{{BookSeq: 3, Quantity: "5",
		Materials: []*customsv1.ListLineMaterial{{BookSeq: 4, Quantity: "5", Value: "2000.00"}, {BookSeq: 5, Quantity: "5", Value: "1000"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if ms := l.Lines[0].Materials; len(ms) != 2 || ms[1].BookSeq != 5 || !ms[1].Value.Equal(decimal.RequireFromString("1000")) {
		t.Fatalf("materials in: %+v", ms)
	}
	_, err = listIn(&customsv1.CreateListRequest{Lines: []*customsv1.ListLine{{Quantity: "1", Materials: []*customsv1.ListLineMaterial{{BookSeq: 4, Quantity: "1", Value: "1e3"}}}}})
	if le, ok := err.(*ledger.Error); !ok || le.Field != "lines[0].materials[0].value" {
		t.Fatalf("a material value 1e3: %v, want a refusal naming lines[0].materials[0].value", err)
	}

	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	got := taxableEventOut(zone.TaxableEvent{Date: day("2026-06-12"), TaxDate: day("2026-06-10"), DutyBasis: "MATERIALS",
		InterestFrom: day("2026-03-02"), InterestDays: 100, Interest: decimal.RequireFromString("0.5"), InterestRate: decimal.RequireFromString("0.0035"),
		Materials: []zone.EventMaterial{{BookSeq: 4, Duty: decimal.RequireFromString("120"), DutiableValue: decimal.RequireFromString("2000")}}})
	if got.GetTaxDate() != "2026-06-10" || got.GetDate() != "2026-06-12" || got.GetInterestFrom() != "2026-03-02" || got.GetInterestDays() != 100 ||
		got.GetInterest() != "0.50" || got.GetInterestRate() != "0.0035" || got.GetDutyBasis() != "MATERIALS" ||
		len(got.GetMaterials()) != 1 || got.GetMaterials()[0].GetDutiableValue() != "2000.00" {
		t.Fatalf("event out: %v", got)
	}
	if b := bookOut(zone.Book{LastWriteOffDate: day("2026-05-31")}); b.GetLastWriteOffDate() != "2026-05-31" {
		t.Fatalf("book out: %v", b)
	}
}

// TestListLineShowsTheDocumentItServes: a list line carrying goods a
// repair order bound to it shows the section and the order on the wire,
// and a filer who names a source is passed on to the zone, which
// refuses it.
func TestListLineShowsTheDocumentItServes(t *testing.T) {
	l := zone.List{No: "QD1", Lines: []zone.ListLine{{Seq: 1, BookSeq: 2, Source: "repair-repaired-abroad", SourceDocType: "REPAIR_ORDER", SourceDocNo: "WXH31050000003260000001"}, {Seq: 2, BookSeq: 3}}}
	out := listOut(l).GetLines()
	if got := out[0]; got.GetSource() != "repair-repaired-abroad" || got.GetSourceDocumentType() != "REPAIR_ORDER" || got.GetSourceDocumentNo() != "WXH31050000003260000001" {
		t.Fatalf("bound line on the wire: %v", got)
	}
	if got := out[1]; got.GetSource() != "" || got.GetSourceDocumentType() != "" || got.GetSourceDocumentNo() != "" {
		t.Fatalf("unbound line on the wire: %v", got)
	}
	in, err := listIn(&customsv1.CreateListRequest{InnerNo: "X", BookNo: "H31050000003", Io: "E", TradeMode: "1371",
		Lines: []*customsv1.ListLine{{BookSeq: 1, Quantity: "1", SourceDocumentNo: "WX1"}}})
	if err != nil || in.Lines[0].SourceDocNo != "WX1" {
		t.Fatalf("a filer's source was not passed on for the zone to refuse: %+v, %v", in.Lines, err)
	}
}

// TestPassLineShowsTheOrderItServes: a gate registration's line carrying
// a repair order's old parts shows the section and the order on the
// wire.
func TestPassLineShowsTheOrderItServes(t *testing.T) {
	ps := zone.Pass{No: "HF1", Lines: []zone.PassLine{{BookSeq: 4, Source: "repair-old-parts-domestic", SourceDocType: "REPAIR_ORDER", SourceDocNo: "WX1"}}}
	if got := passOut(ps).GetLines()[0]; got.GetSource() != "repair-old-parts-domestic" || got.GetSourceDocumentType() != "REPAIR_ORDER" || got.GetSourceDocumentNo() != "WX1" {
		t.Fatalf("bound registration line on the wire: %v", got)
	}
}

// TestRepairOrderShowsItsBindings: an order read over the wire lists the
// list and registration lines its goods are bound to, and which were
// released.
func TestRepairOrderShowsItsBindings(t *testing.T) {
	o := repair.Order{No: "WX1", Bindings: []repair.Binding{
		{Kind: zone.BoundOnList, No: "QD1", Seq: 1, Section: repair.SectionRepaired, BookSeq: 1, Quantity: decimal.RequireFromString("1"), Step: "ship-1", Released: "RETURNED"},
		{Kind: zone.BoundOnPass, No: "HF2", Seq: 1, Section: repair.SectionOldParts, BookSeq: 5, Quantity: decimal.RequireFromString("1"), Step: "out"}}}
	var got []string
	for _, b := range repairOrderOut(o).GetBindings() {
		got = append(got, fmt.Sprintf("%s %s/%d %s %d×%s %s %q", b.GetDocument(), b.GetDocumentNo(), b.GetLine(), b.GetSection(), b.GetBookSeq(), b.GetQuantity(), b.GetStep(), b.GetReleased()))
	}
	want := []string{`LIST QD1/1 REPAIR_SECTION_REPAIRED 1×1 ship-1 "RETURNED"`, `PASS HF2/1 REPAIR_SECTION_OLD_PARTS 5×1 out ""`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("bindings on the wire %v, want %v", got, want)
	}
}
