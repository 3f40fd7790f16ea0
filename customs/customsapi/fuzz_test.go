package customsapi

import (
	"testing"

	"google.golang.org/protobuf/proto"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// FuzzRequestConversion decodes arbitrary bytes as each customs request a
// zone enterprise files and converts it as the handlers do (decimals,
// dates, enums, codes): a request is refused or converted, never panics.
// The seeds are the requests of the conversion tests.
func FuzzRequestConversion(f *testing.F) {
	for _, m := range []proto.Message{listRequest(), displayRequest(), orderRequest(), paymentRequest(), waybillRequest(),
		&customsv1.CreatePassRequest{InnerNo: "P-1", BookNo: "H31050000001", PassType: "2", BindType: "1", Io: "I", RelatedType: "1", RelatedNos: []string{"QD310526I000000001"},
			Vehicle: "沪A12345", VehicleWeight: "10000", GrossWeight: "12.5", NetWeight: "11", Lines: []*customsv1.PassLine{{BookSeq: 1, Quantity: "2", Value: "100.00", Country: "502"}}},
		&customsv1.CreateSlipRequest{InnerNo: "S-1", BookNo: "H31050000001", ApplyNo: "YA310526000000001", Io: "E", Lines: []*customsv1.SlipLine{{BookSeq: 1, Quantity: "1"}}},
		&customsv1.ReportConsumptionRequest{InnerNo: "C-1", BookNo: "H31050000001", Purpose: "研发耗用", Date: "2026-03-01",
			Consumed: []*customsv1.ConsumedLine{{BookSeq: 1, Quantity: "1"}}},
		&customsv1.CreateFormRequest{InnerNo: "F-1", BookNo: "H31050000001", FormType: "A", ValidFrom: "2026-03-01", ValidUntil: "2026-04-01", Guarantee: "2000.00"},
		&customsv1.CreateBookRequest{BookNo: "H31050000001", Kind: customsv1.BookKind_BOOK_KIND_ZONE, Enterprise: "91310000MA1FL0XX0X", CustomsOffice: "3105"},
		&customsv1.AddBookLinesRequest{BookNo: "H31050000001", Lines: []*customsv1.BookLine{{Seq: 1, HsCode: "8471300000", Name: "笔记本电脑", DeclaredUnit: "001",
			Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}}}},
		&customsv1.RecordGateEventRequest{PassNo: "HF310526I000000001", EventId: "e1", Vehicle: "沪A12345", ScaleGross: "8000"},
		&customsv1.MoveDisplayRequest{InnerNo: "D-1", ApplyNo: "YC310526000000001", Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT, Lines: []*customsv1.DisplayLine{{BookSeq: 1, Quantity: "1"}}},
	} {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var l customsv1.CreateListRequest
		if proto.Unmarshal(b, &l) == nil {
			_, _ = listIn(&l)
		}
		var p customsv1.CreatePassRequest
		if proto.Unmarshal(b, &p) == nil {
			_, _ = passIn(&p)
		}
		var s customsv1.CreateSlipRequest
		if proto.Unmarshal(b, &s) == nil {
			_, _ = slipIn(&s)
		}
		var r customsv1.ReportConsumptionRequest
		if proto.Unmarshal(b, &r) == nil {
			_, _ = reportIn(&r)
		}
		var fm customsv1.CreateFormRequest
		if proto.Unmarshal(b, &fm) == nil {
			_, _ = formIn(&fm)
		}
		var bk customsv1.CreateBookRequest
		if proto.Unmarshal(b, &bk) == nil {
			_, _ = bookIn(&bk)
		}
		var bl customsv1.AddBookLinesRequest
		if proto.Unmarshal(b, &bl) == nil {
			_, _ = bookLinesIn(bl.GetBookNo(), bl.GetLines())
		}
		var ev customsv1.RecordGateEventRequest
		if proto.Unmarshal(b, &ev) == nil {
			_, _ = gateEventIn(&ev)
		}
		var dm customsv1.MoveDisplayRequest
		if proto.Unmarshal(b, &dm) == nil {
			_, _ = displayMoveIn(&dm)
		}
		var o customsv1.SubmitOrderRequest
		if proto.Unmarshal(b, &o) == nil {
			_, _ = orderIn(&o)
		}
		var pay customsv1.SubmitPaymentRequest
		if proto.Unmarshal(b, &pay) == nil {
			_, _, _ = paymentIn(&pay)
		}
		var wb customsv1.SubmitWaybillRequest
		if proto.Unmarshal(b, &wb) == nil {
			_, _ = waybillIn(&wb)
		}
		var re customsv1.RegisterEnterpriseRequest
		if proto.Unmarshal(b, &re) == nil {
			_, _ = enterpriseIn(&re)
		}
	})
}
