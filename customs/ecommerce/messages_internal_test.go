package ecommerce

import (
	"os"
	"reflect"
	"testing"

	"github.com/zoneledger/zoneledger/customs/singlewindow/ceb"
)

// documentsOf decodes a message and turns it into the documents
// SubmitMessages enters into the match.
func documentsOf(t *testing.T, data []byte) []Document {
	t.Helper()
	v, err := ceb.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var docs []Document
	switch m := v.(type) {
	case *ceb.OrderMessage:
		for _, o := range m.Orders {
			docs = append(docs, orderDocument(o))
		}
	case *ceb.PaymentMessage:
		for _, p := range m.Payments {
			docs = append(docs, paymentDocument(p.Head))
		}
	case *ceb.WaybillMessage:
		for _, w := range m.Waybills {
			docs = append(docs, waybillDocument(w.Head))
		}
	}
	return docs
}

// TestMessageDocumentsRoundTrip: a fixture's documents are the documents
// of the fixture encoded and decoded again, and carry its figures.
func TestMessageDocumentsRoundTrip(t *testing.T) {
	for _, f := range []string{"ceb311.xml", "ceb411.xml", "ceb511.xml"} {
		data, err := os.ReadFile("../singlewindow/ceb/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		docs := documentsOf(t, data)
		v, _ := ceb.Decode(data)
		again, err := ceb.Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		if back := documentsOf(t, again); !reflect.DeepEqual(back, docs) {
			t.Fatalf("%s: round trip changed the documents:\n got %+v\nwant %+v", f, back, docs)
		}
		if len(docs) != 2 {
			t.Fatalf("%s: %d documents", f, len(docs))
		}
		switch f {
		case "ceb311.xml":
			o := docs[0].Order
			if docs[0].Enterprise != "91310000MA1K000011" || o.OrderNo != "SO202612060001" || o.ActualPaid.String() != "224.11" ||
				o.Lines[1].ItemNo != "SKU-MASK-10" || !o.Lines[0].Quantity.Equal(o.Lines[0].Quantity.Round(0)) || o.Consignee.Address != "北京市朝阳区建国路 88 号 & 1 单元" {
				t.Fatalf("order %+v", o)
			}
		case "ceb411.xml":
			p := docs[1].Payment
			if p.OrderNo != "SO202612060002" || p.Amount.String() != "108.99" || p.PaidAt.Format("2006-01-02 15:04:05") != "2026-12-06 01:35:12" {
				t.Fatalf("payment %+v", p)
			}
		case "ceb511.xml":
			w := docs[0].Waybill
			if w.LogisticsNo != "YT2612060000001" || w.Consignee.Phone != "13800138000" {
				t.Fatalf("waybill %+v", w)
			}
		}
	}
}
