package tests

// The sale of a destruction's valuable residue over gRPC: taxed on
// approval as a taxable event of the book.

import (
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestDestructionResidueOverTheWire: a residue sold without its HS code is
// refused on residue_hs_code; with it, customs' approval records one
// taxable event of the book (0844, SCRAP, the residue's HS code and value),
// and approving again records no second.
func TestDestructionResidueOverTheWire(t *testing.T) {
	z := newZoneEnv(t)
	e := z.enterprise(t, "Residue One")
	book := z.hBook(t, e)
	z.stockIn(t, e, book, linePE, "100", "1600")
	pc := customsv1.NewProcessingServiceClient(z.s.Conn())
	req := &customsv1.RequestDestructionRequest{InnerNo: "XR-1", BookNo: book, Reason: "contaminated", ResidueValue: "1000",
		Lines: []*customsv1.DestroyLine{{BookSeq: linePE, Quantity: "10"}}}
	_, err := pc.RequestDestruction(ctxAs(t, e.tok), req)
	wantRefused(t, err, codes.InvalidArgument, "INVALID_ARGUMENT", "residue_hs_code", "a residue sold without its HS code")
	req.ResidueHsCode = "7606125000"
	d, err := pc.RequestDestruction(ctxAs(t, e.tok), req)
	if err != nil {
		t.Fatalf("RequestDestruction: %v", err)
	}
	if n := len(z.taxableEvents(t, z.customs, book)); n != 0 {
		t.Fatalf("%d taxable events before the approval", n)
	}
	var a *customsv1.ApproveDestructionResponse
	for range 2 {
		if a, err = pc.ApproveDestruction(ctxAs(t, z.customs), &customsv1.ApproveDestructionRequest{DestructionNo: d.GetDestruction().GetDestructionNo()}); err != nil {
			t.Fatalf("ApproveDestruction: %v", err)
		}
	}
	evs := z.taxableEvents(t, z.customs, book)
	if len(evs) != 1 || evs[0].GetTradeMode() != "0844" || evs[0].GetGoodsCategory() != customsv1.GoodsCategory_GOODS_CATEGORY_SCRAP ||
		evs[0].GetHsCode() != "7606125000" || evs[0].GetDutiableValue() != "1000.00" || evs[0].GetDuty() != "60.00" ||
		evs[0].GetId() != a.GetDestruction().GetResidueEventId() {
		t.Fatalf("taxable events %v after approving %v", evs, a.GetDestruction())
	}
	z.wantStock(t, book, linePE, st{bonded: "90"})
}
