package tests

// Authorization of RepairService: E1's repair book with an order in every
// state a method acts on, and the per-method cases
// TestAuthorizationEveryMethod runs for it.

import (
	"context"
	"fmt"
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

const repSvc = "/zoneledger.customs.v1.RepairService/"

// repairAuth is E1's repair book: a cleared entry list with goods left in
// bonded (for a new order), an open order with goods awaiting repair and
// parts in the parts section, and an order with repaired goods.
type repairAuth struct {
	rep      customsv1.RepairServiceClient
	book     string
	list     string // cleared 5034 entry list of lineNotebook, 10 units
	open     string // an order with 5 awaiting repair
	repaired string // an order with 1 repaired
	exit     string // a draft 1371 exit list of lineNotebook, 1 unit, for its re-export
}

func init() {
	customsOnly[repSvc+"SetRectification"] = true
	for _, m := range []string{"OpenRepairOrder", "ReceiveRepairParts", "RecordRepairTest", "ConsumeRepairParts", "RemoveRepairParts", "FinishRepair", "ExitRepairGoods"} {
		customsFilesNot[repSvc+m] = true
		customsByNumber[repSvc+m] = true
	}
	for _, m := range []string{"GetRepairOrder", "ListOverdueRepairOrders", "GetRepairStock"} {
		customsByNumber[repSvc+m] = true
	}
}

// setUpRepair registers E1's repair book and its orders.
func (w *customsAuthWorld) setUpRepair(t *testing.T, s *Server) {
	t.Helper()
	z, e1 := w.z, w.e1
	r := &repairAuth{rep: customsv1.NewRepairServiceClient(s.Conn())}
	w.repair = r
	r.book = z.newBook(t, e1, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_REPAIR)
	r.list = z.stockIn(t, e1, r.book, lineNotebook, "10", "50000").GetListNo()
	parts := z.stockIn(t, e1, r.book, linePE, "10", "160").GetListNo()
	ctx := ctxAs(t, e1.tok)
	if _, err := r.rep.ReceiveRepairParts(ctx, &customsv1.ReceiveRepairPartsRequest{InnerNo: "AZ-LJ-1", BookNo: r.book, ListNo: parts, BookSeq: linePE, Quantity: "5"}); err != nil {
		t.Fatalf("ReceiveRepairParts: %v", err)
	}
	open := func(inner, qty string) string {
		o, err := r.rep.OpenRepairOrder(ctx, &customsv1.OpenRepairOrderRequest{InnerNo: inner, BookNo: r.book, ListNo: r.list, BookSeq: lineNotebook, Quantity: qty})
		if err != nil {
			t.Fatalf("OpenRepairOrder %s: %v", inner, err)
		}
		return o.GetOrder().GetOrderNo()
	}
	r.open, r.repaired = open("AZ-WX-1", "5"), open("AZ-WX-2", "1")
	if _, err := r.rep.FinishRepair(ctx, &customsv1.FinishRepairRequest{Step: &customsv1.RepairStepHeader{OrderNo: r.repaired, Key: "f"}, Repaired: "1", Unrepairable: "0"}); err != nil {
		t.Fatalf("FinishRepair: %v", err)
	}
	r.exit = z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "AZ-QD-OUT", BookNo: r.book, Io: "E", TradeMode: "1371", Country: "USA",
		Lines: []*customsv1.ListLine{line(lineNotebook, "1", "1000", "100", "90")}}).GetListNo()
}

// repairMethodCases has one case per RPC of RepairService, each a valid
// request on E1's repair book.
func repairMethodCases() map[string]methodCase {
	rp := func(w *authWorld) customsv1.RepairServiceClient { return w.z.repair.rep }
	r := func(w *authWorld) *repairAuth { return w.z.repair }
	step := func(w *authWorld, key string) *customsv1.RepairStepHeader {
		return &customsv1.RepairStepHeader{OrderNo: r(w).open, Key: key}
	}
	return map[string]methodCase{
		repSvc + "OpenRepairOrder": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).OpenRepairOrder(ctx, &customsv1.OpenRepairOrderRequest{InnerNo: "AZ-WX-NEW", BookNo: r(w).book, ListNo: r(w).list, BookSeq: lineNotebook, Quantity: "1"})
			return err
		},
		repSvc + "ReceiveRepairParts": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).ReceiveRepairParts(ctx, &customsv1.ReceiveRepairPartsRequest{InnerNo: "AZ-LJ-NEW", BookNo: r(w).book, ListNo: r(w).list, BookSeq: lineNotebook, Quantity: "1"})
			return err
		},
		repSvc + "RecordRepairTest": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).RecordRepairTest(ctx, &customsv1.RecordRepairTestRequest{Step: step(w, "t"), Findings: "screen broken"})
			return err
		},
		repSvc + "ConsumeRepairParts": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).ConsumeRepairParts(ctx, &customsv1.ConsumeRepairPartsRequest{Step: step(w, "c"),
				Uses: []*customsv1.RepairPartUse{{BookSeq: linePE, Quantity: "1", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD}}})
			return err
		},
		repSvc + "RemoveRepairParts": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).RemoveRepairParts(ctx, &customsv1.RemoveRepairPartsRequest{Step: step(w, "x"),
				Removed: []*customsv1.RepairRemoved{{BookSeq: linePE, Quantity: "0.5", Scrap: true}}})
			return err
		},
		repSvc + "FinishRepair": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).FinishRepair(ctx, &customsv1.FinishRepairRequest{Step: step(w, "f"), Repaired: "1", Unrepairable: "0"})
			return err
		},
		repSvc + "ExitRepairGoods": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).ExitRepairGoods(ctx, &customsv1.ExitRepairGoodsRequest{Step: &customsv1.RepairStepHeader{OrderNo: r(w).repaired, Key: "e"},
				Section: customsv1.RepairSection_REPAIR_SECTION_REPAIRED, BookSeq: lineNotebook, Quantity: "1",
				Way: customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, Reference: r(w).exit})
			return err
		},
		repSvc + "GetRepairOrder": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).GetRepairOrder(ctx, &customsv1.GetRepairOrderRequest{OrderNo: r(w).open})
			return err
		},
		repSvc + "ListOverdueRepairOrders": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).ListOverdueRepairOrders(ctx, &customsv1.ListOverdueRepairOrdersRequest{BookNo: r(w).book})
			return err
		},
		repSvc + "GetRepairStock": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).GetRepairStock(ctx, &customsv1.GetRepairStockRequest{BookNo: r(w).book})
			return err
		},
		repSvc + "SetRectification": func(ctx context.Context, w *authWorld) error {
			_, err := rp(w).SetRectification(ctx, &customsv1.SetRectificationRequest{Enterprise: w.z.e1.uscc, UnderRectification: false})
			return err
		},
	}
}
