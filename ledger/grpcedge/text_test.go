package grpcedge

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
	"github.com/zoneledger/zoneledger/proto/zoneledger/wiretext"
)

// refusedSample is every character class the rule refuses, with examples.
var refusedSample = []struct {
	class string
	runes []rune
}{
	{"C0 controls but TAB, LF, CR", []rune{0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x1f}},
	{"DEL", []rune{0x7f}},
	{"C1 controls", []rune{0x80, 0x85, 0x9b, 0x9f}},
	{"bidirectional controls", []rune{0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069}},
	{"zero-width space and BOM", []rune{0x200b, 0xfeff}},
}

// allowedText is text the edge must let through: the rule's own sample of
// allowed text, each with why, is wiretext's (wiretext_test.go); here one
// of each kind goes through the interceptor in every kind of field.
var allowedText = []struct{ name, s string }{
	{"TAB, LF, CR", "line 1\tA\r\nline 2\n"},
	{"CJK, emoji with ZWJ, Persian with ZWNJ", "电子账册 👨\u200d👩\u200d👧 می\u200cخواهم"},
	{"lead bytes of refused characters in allowed ones", "é\u00a0\u061b\u2060\uff01"},
}

// TestInvisibleCharactersAreRefusedAtTheEdge: a refused character in any
// string of a request, at any depth, is answered INVALID_ARGUMENT, reason
// INVISIBLE_CHARACTER, naming the field as protovalidate does, the
// character and its position; the handler never runs; unary calls and
// every message of a stream alike.
func TestInvisibleCharactersAreRefusedAtTheEdge(t *testing.T) {
	unary, stream := ValidationInterceptors()
	journals := func(mut func(r *ledgerv1.PostJournalsRequest)) proto.Message {
		r := &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{validJournal(), validJournal()}}
		r.Journals[1].IdempotencyKey = "k2"
		mut(r)
		return r
	}
	list := func(mut func(r *customsv1.CreateListRequest)) proto.Message {
		r := &customsv1.CreateListRequest{InnerNo: "V-1", BookNo: "H31050000001", Io: "I", TradeMode: "5034",
			Lines: []*customsv1.ListLine{{BookSeq: 1, Quantity: "1"}, {BookSeq: 2, Quantity: "2", Lots: []*customsv1.LotQuantity{{Lot: "L1", Quantity: "2"}}}}}
		mut(r)
		return r
	}
	type tc struct {
		name, field, char string
		pos               int
		req               proto.Message
	}
	var cases []tc
	for _, c := range refusedSample {
		for _, r := range c.runes {
			cases = append(cases, tc{fmt.Sprintf("%s U+%04X in inner_no", c.class, r), "inner_no", fmt.Sprintf("U+%04X", r), 3,
				list(func(l *customsv1.CreateListRequest) { l.InnerNo = "V-" + string(r) + "1" })})
		}
	}
	cases = append(cases,
		tc{"ESC in a journal's item code", "journals[1].postings[0].item_code", "U+001B", 4,
			journals(func(r *ledgerv1.PostJournalsRequest) { r.Journals[1].Postings[0].ItemCode = "电子账\x1b[31m" })},
		tc{"RLO in a list line's lot", "lines[1].lots[0].lot", "U+202E", 2,
			list(func(l *customsv1.CreateListRequest) { l.Lines[1].Lots[0].Lot = "L\u202e1" })},
		tc{"a repeated string", "slip_nos[1]", "U+200B", 1,
			list(func(l *customsv1.CreateListRequest) { l.SlipNos = []string{"S1", "\u200bS2"} })},
		tc{"a map value", `journals[0].metadata["note"]`, "U+0085", 6,
			journals(func(r *ledgerv1.PostJournalsRequest) {
				r.Journals[0].Metadata = map[string]string{"note": "line1\u0085"}
			})},
		tc{"a map key", `journals[0].metadata["no\u202ete"]`, "U+202E", 3,
			journals(func(r *ledgerv1.PostJournalsRequest) { r.Journals[0].Metadata = map[string]string{"no\u202ete": "x"} })},
		tc{"a map value in a repeated message", `journals[1].postings[0].lot_attributes["origin"]`, "U+FEFF", 1,
			journals(func(r *ledgerv1.PostJournalsRequest) {
				r.Journals[1].Postings[0].LotAttributes = map[string]string{"origin": "\ufeffCN"}
			})},
		tc{"a nested message", "journals[0].document.number", "U+007F", 3,
			journals(func(r *ledgerv1.PostJournalsRequest) {
				r.Journals[0].Document = &ledgerv1.Document{Type: "T", Number: "N1\x7f"}
			})},
		tc{"a oneof", "documents[1].order.buyer.name", "U+2066", 2, &customsv1.SubmitDocumentsRequest{Documents: []*customsv1.EcommerceDocument{
			{Document: &customsv1.EcommerceDocument_Order{Order: &customsv1.SubmitOrderRequest{OrderNo: "O1"}}},
			{Document: &customsv1.EcommerceDocument_Order{Order: &customsv1.SubmitOrderRequest{OrderNo: "O2", Buyer: &customsv1.Person{Name: "王\u2066五"}}}},
		}}},
		tc{"a map of messages", `fields["a"].struct_value.fields["b"].string_value`, "U+001B", 1,
			&structpb.Struct{Fields: map[string]*structpb.Value{"a": structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{
				"b": structpb.NewStringValue("\x1b]0;title\x07")}})}}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			called := false
			_, err := unary(context.Background(), c.req, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) {
				called = true
				return nil, nil
			})
			wantInvisible(t, err, c.field, c.char, c.pos)
			if called {
				t.Error("the handler ran")
			}
			err = stream(nil, &oneMsgStream{msg: c.req}, &grpc.StreamServerInfo{}, func(_ any, s grpc.ServerStream) error {
				return s.RecvMsg(c.req.ProtoReflect().New().Interface())
			})
			wantInvisible(t, err, c.field, c.char, c.pos)
		})
	}
}

// wantInvisible checks a refusal of a refused character at field: the
// code, the reason, the field in ErrorInfo and BadRequest, and a message
// naming the character and its (1-based) position and saying to remove it.
func wantInvisible(t *testing.T, err error, field, char string, pos int) {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument || errorsv1.ReasonOf(err) != errorsv1.Reason_INVISIBLE_CHARACTER.String() || errorsv1.FieldOf(err) != field {
		t.Fatalf("got %v (reason %q, field %q), want INVALID_ARGUMENT, reason INVISIBLE_CHARACTER, field %q",
			err, errorsv1.ReasonOf(err), errorsv1.FieldOf(err), field)
	}
	for _, want := range []string{char, fmt.Sprintf("at character %d:", pos), "remove it"} {
		if !strings.Contains(st.Message(), want) {
			t.Errorf("message %q does not say %q", st.Message(), want)
		}
	}
	var br *errdetails.BadRequest
	for _, d := range st.Details() {
		if b, ok := d.(*errdetails.BadRequest); ok {
			br = b
		}
	}
	if br == nil || len(br.GetFieldViolations()) != 1 || br.GetFieldViolations()[0].GetField() != field ||
		br.GetFieldViolations()[0].GetReason() != errorsv1.Reason_INVISIBLE_CHARACTER.String() {
		t.Errorf("BadRequest detail = %v, want one violation of %q with the reason", br, field)
	}
}

// TestLegitimateTextPassesTheCharacterRule: TAB, LF, CR, ZWJ and ZWNJ, CJK,
// emoji and the other allowed text pass the edge in every kind of field,
// and bytes fields (XML messages, checked by their own parsers) are not
// looked at.
func TestLegitimateTextPassesTheCharacterRule(t *testing.T) {
	unary, _ := ValidationInterceptors()
	for _, c := range allowedText {
		t.Run(c.name, func(t *testing.T) {
			r := validJournal()
			r.Postings[0].ItemCode = strings.TrimSpace(c.s)
			r.Postings[0].LotAttributes = map[string]string{c.s: c.s}
			r.Metadata = map[string]string{"note": c.s}
			r.Document = &ledgerv1.Document{Type: "T", Number: strings.TrimSpace(c.s)}
			called := false
			_, err := unary(context.Background(), r, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) {
				called = true
				return nil, nil
			})
			if err != nil || !called {
				t.Fatalf("%q: got %v, handler ran %v; want it accepted", c.s, err, called)
			}
		})
	}
	t.Run("bytes fields", func(t *testing.T) {
		for _, m := range []proto.Message{
			&customsv1.FileListMessageRequest{Message: []byte("<a>\x1b[2J\u202e\ufeff</a>")},
			&customsv1.ImportListReceiptsRequest{Messages: [][]byte{[]byte("<a/>"), []byte("\x1b\u200b")}},
		} {
			if f := wiretext.Check(m); f != nil {
				t.Errorf("%T: a bytes field was checked as text: %+v", m, f)
			}
		}
	})
}

// TestCharacterCheckAllocatesNothingPerString: walking a valid request
// allocates nothing per string or message, only the views protoreflect
// makes of repeated fields (one per list) and, when its pool is empty (the
// race detector empties it at random), a walker (at most walkerAllocs).
func TestCharacterCheckAllocatesNothingPerString(t *testing.T) {
	const walkerAllocs = 3 // the walker and its two callbacks
	flat := &ledgerv1.PostJournalRequest{BookId: "B1", IdempotencyKey: "k1", EffectiveDate: "2026-01-02",
		Document: &ledgerv1.Document{Type: "核注清单", Number: "QD311124E000098849", TradeMode: "5034"}}
	if n := testing.AllocsPerRun(100, func() { _ = wiretext.Check(flat) }); n > walkerAllocs {
		t.Errorf("checking a valid request without lists allocated %v times, want at most %d", n, walkerAllocs)
	}
	lines := largeList(1000)
	for _, l := range lines.Lines {
		l.Lots = nil
	}
	if n := testing.AllocsPerRun(20, func() { _ = wiretext.Check(lines) }); n > 1+walkerAllocs {
		t.Errorf("checking a valid 1,000-line list allocated %v times, want at most %d (one view of its lines)", n, 1+walkerAllocs)
	}
	withLots := largeList(1000)
	if n := testing.AllocsPerRun(20, func() { _ = wiretext.Check(withLots) }); n > 1001+walkerAllocs {
		t.Errorf("checking a valid 1,000-line list with a lot each allocated %v times, want at most %d (one view per list)", n, 1001+walkerAllocs)
	}
}

// largeList is a valid CreateListRequest of n lines with Chinese text and a
// lot each: the benchmark's request.
func largeList(n int) *customsv1.CreateListRequest {
	r := &customsv1.CreateListRequest{InnerNo: "BENCH-0001", BookNo: "H31050000001", Io: "I", TradeMode: "5034",
		DeclarationNo: "310120260000000001", Country: "CHN", ExchangeRate: "7.1234"}
	for i := range n {
		r.Lines = append(r.Lines, &customsv1.ListLine{Seq: int32(i + 1), BookSeq: int32(i%50 + 1),
			PartNumber: fmt.Sprintf("PN-%06d-电子元件", i), Quantity: "12.345", Unit: "035", UnitPrice: "1.2345",
			Total: "15.24", Currency: "USD", Country: "JPN", GrossWeight: "13.1", NetWeight: "12.345",
			Lot: fmt.Sprintf("LOT-%d", i), Lots: []*customsv1.LotQuantity{{Lot: fmt.Sprintf("LOT-%d", i), Quantity: "12.345"}}})
	}
	return r
}

// largeJournals is a valid PostJournalsRequest of 100 journals of 10
// postings each (1,000 postings) with metadata.
func largeJournals() *ledgerv1.PostJournalsRequest {
	r := &ledgerv1.PostJournalsRequest{}
	for j := range 100 {
		pj := &ledgerv1.PostJournalRequest{BookId: "H31050000001", IdempotencyKey: fmt.Sprintf("batch-%03d", j), EffectiveDate: "2026-03-01",
			Document: &ledgerv1.Document{Type: "INV", Number: fmt.Sprintf("QD3111%012d", j), TradeMode: "5034"},
			Metadata: map[string]string{"source": "ERP 导入", "operator": "张三"}}
		for p := range 10 {
			pj.Postings = append(pj.Postings, &ledgerv1.Posting{ItemCode: fmt.Sprintf("%d", p+1),
				From: &ledgerv1.AccountRef{BookId: "H31050000001", Name: "bonded"}, To: &ledgerv1.AccountRef{Name: "abroad"},
				Quantity: "10.5", Value: "1050.00", Unit: "KGM", Lot: fmt.Sprintf("L-%d-%d", j, p)})
		}
		r.Journals = append(r.Journals, pj)
	}
	return r
}

// BenchmarkCharacterCheck is the cost of the character rule on large valid
// requests (figures in README.md).
func BenchmarkCharacterCheck(b *testing.B) {
	for _, c := range []struct {
		name string
		m    proto.Message
	}{{"list_1000_lines", largeList(1000)}, {"journals_100x10_postings", largeJournals()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(proto.Size(c.m)))
			b.ReportAllocs()
			for b.Loop() {
				if f := wiretext.Check(c.m); f != nil {
					b.Fatal(f)
				}
			}
		})
	}
}

// BenchmarkValidationEdge is, for comparison, the whole validation edge on
// the same requests: the storable-text check, the character rule and
// protovalidate.
func BenchmarkValidationEdge(b *testing.B) {
	unary, _ := ValidationInterceptors()
	ok := func(context.Context, any) (any, error) { return nil, nil }
	for _, c := range []struct {
		name string
		m    proto.Message
	}{{"list_1000_lines", largeList(1000)}, {"journals_100x10_postings", largeJournals()}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := unary(context.Background(), c.m, &grpc.UnaryServerInfo{}, ok); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("text_only_"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := checkText(c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
