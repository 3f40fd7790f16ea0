package tests

// RepairService over gRPC, as a repair centre and customs use it: an
// aircraft-engine part from abroad repaired with bonded parts, its old
// part's domestic sale refused with the rule, then re-exported; the stock
// report per section and origin; the order's trail read by customs.

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestRepairOverTheWire: the engine part (line 1) comes in on a 5034 list,
// bonded parts (line 2) on another; the order consumes parts, removes the
// old part, finishes; selling the old part domestically is refused
// (REPAIR_PARTS_RE_EXPORT_ONLY, field way) and nothing moves; it is
// re-exported under 0864 and the part re-exported; customs reads the
// closed order and its journals.
func TestRepairOverTheWire(t *testing.T) {
	z := newZoneEnv(t)
	e := z.enterprise(t, "Repair One")
	book := z.newBook(t, e, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_REPAIR)
	in := z.stockIn(t, e, book, lineNotebook, "1", "80000").GetListNo()
	parts := z.stockIn(t, e, book, linePE, "10", "160").GetListNo()
	rc := customsv1.NewRepairServiceClient(z.s.Conn())
	ctx := ctxAs(t, e.tok)
	if _, err := rc.ReceiveRepairParts(ctx, &customsv1.ReceiveRepairPartsRequest{InnerNo: "LJ-1", BookNo: book, ListNo: parts, BookSeq: linePE, Quantity: "10"}); err != nil {
		t.Fatalf("ReceiveRepairParts: %v", err)
	}
	_, err := rc.OpenRepairOrder(ctx, &customsv1.OpenRepairOrderRequest{InnerNo: "WX-0", BookNo: z.hBook(t, e), ListNo: in, BookSeq: lineNotebook, Quantity: "1"})
	wantRefused(t, err, codes.FailedPrecondition, "NOT_A_REPAIR_BOOK", "book_no", "an order on a zone book")
	o, err := rc.OpenRepairOrder(ctx, &customsv1.OpenRepairOrderRequest{InnerNo: "WX-1", BookNo: book, ListNo: in, BookSeq: lineNotebook, Quantity: "1"})
	if err != nil {
		t.Fatalf("OpenRepairOrder: %v", err)
	}
	no := o.GetOrder().GetOrderNo()
	if o.GetOrder().GetOrigin() != customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD {
		t.Fatalf("origin: %v", o.GetOrder())
	}
	step := func(key string) *customsv1.RepairStepHeader {
		return &customsv1.RepairStepHeader{OrderNo: no, Key: key}
	}
	if _, err := rc.ConsumeRepairParts(ctx, &customsv1.ConsumeRepairPartsRequest{Step: step("c"),
		Uses: []*customsv1.RepairPartUse{{BookSeq: linePE, Quantity: "2.5", Origin: customsv1.RepairOrigin_REPAIR_ORIGIN_ABROAD}}}); err != nil {
		t.Fatalf("ConsumeRepairParts: %v", err)
	}
	if _, err := rc.RemoveRepairParts(ctx, &customsv1.RemoveRepairPartsRequest{Step: step("x"),
		Removed: []*customsv1.RepairRemoved{{BookSeq: linePE, Quantity: "1", Value: "10.00"}}}); err != nil {
		t.Fatalf("RemoveRepairParts: %v", err)
	}
	if _, err := rc.FinishRepair(ctx, &customsv1.FinishRepairRequest{Step: step("f"), Repaired: "1", Unrepairable: "0"}); err != nil {
		t.Fatalf("FinishRepair: %v", err)
	}
	old := &customsv1.ExitRepairGoodsRequest{Step: step("sell"), Section: customsv1.RepairSection_REPAIR_SECTION_OLD_PARTS, BookSeq: linePE, Quantity: "1",
		Way: customsv1.RepairExitWay_REPAIR_EXIT_WAY_DOMESTIC_SALE, TradeMode: "0844", Reference: "QD-SALE"}
	_, err = rc.ExitRepairGoods(ctx, old)
	wantRefused(t, err, codes.FailedPrecondition, "REPAIR_PARTS_RE_EXPORT_ONLY", "way", "selling a foreign old part domestically", "公告2023年第105号")
	stock := func() map[string]string {
		r, err := rc.GetRepairStock(ctxAs(t, z.customs), &customsv1.GetRepairStockRequest{BookNo: book})
		if err != nil {
			t.Fatalf("GetRepairStock: %v", err)
		}
		out := map[string]string{}
		for _, l := range r.GetLines() {
			for _, h := range l.GetHoldings() {
				if h.GetQuantity() != "0" {
					out[pad7(int(l.GetBookSeq()))+" "+h.GetSection().String()+" "+h.GetOrigin().String()] = h.GetQuantity()
				}
			}
		}
		return out
	}
	want := map[string]string{
		pad7(lineNotebook) + " REPAIR_SECTION_REPAIRED REPAIR_ORIGIN_ABROAD": "1",
		pad7(linePE) + " REPAIR_SECTION_PARTS REPAIR_ORIGIN_ABROAD":          "7.5",
		pad7(linePE) + " REPAIR_SECTION_OLD_PARTS REPAIR_ORIGIN_ABROAD":      "1",
	}
	if got := stock(); !maps.Equal(got, want) {
		t.Fatalf("stock after the refusal: %v, want %v", got, want)
	}
	// Re-exports leave on a zone exit list and its pass.
	exitList := func(inner string, seq int32, mode string) *customsv1.List {
		return z.createList(t, e.tok, &customsv1.CreateListRequest{InnerNo: inner, BookNo: book, Io: "E", TradeMode: mode, Country: "USA",
			Lines: []*customsv1.ListLine{line(seq, "1", "1000", "100", "90")}})
	}
	out1, out2 := exitList("OUT-1", linePE, "0864"), exitList("OUT-2", lineNotebook, "1371")
	old.Step, old.Way, old.TradeMode, old.Reference = step("e1"), customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, "", out1.GetListNo()
	if _, err := rc.ExitRepairGoods(ctx, old); err != nil {
		t.Fatalf("re-exporting the old part: %v", err)
	}
	done, err := rc.ExitRepairGoods(ctx, &customsv1.ExitRepairGoodsRequest{Step: step("e2"), Section: customsv1.RepairSection_REPAIR_SECTION_REPAIRED,
		BookSeq: lineNotebook, Quantity: "1", Way: customsv1.RepairExitWay_REPAIR_EXIT_WAY_RE_EXPORT, Reference: out2.GetListNo()})
	if err != nil {
		t.Fatalf("re-exporting the part: %v", err)
	}
	if done.GetOrder().GetStatus() != "CLOSED" {
		t.Fatalf("order after the last exit: %v", done.GetOrder())
	}
	// Customs reads on the list which order's goods its line carries.
	bound, err := z.decl.GetList(ctxAs(t, z.customs), &customsv1.GetListRequest{ListNo: out2.GetListNo()})
	if err != nil {
		t.Fatalf("GetList: %v", err)
	}
	if ln := bound.GetList().GetLines()[0]; ln.GetSource() != "repair-repaired-abroad" || ln.GetSourceDocumentType() != "REPAIR_ORDER" || ln.GetSourceDocumentNo() != no {
		t.Fatalf("the bound line over the wire: source %q, document %q %q; want repair-repaired-abroad, REPAIR_ORDER %s", ln.GetSource(), ln.GetSourceDocumentType(), ln.GetSourceDocumentNo(), no)
	}
	for _, l := range []*customsv1.List{out1, out2} {
		z.declare(t, e.tok, l.GetListNo())
		z.drive(t, e, z.approve(t, l.GetListNo()), "2", "P"+l.GetInnerNo())
	}
	delete(want, pad7(lineNotebook)+" REPAIR_SECTION_REPAIRED REPAIR_ORIGIN_ABROAD")
	delete(want, pad7(linePE)+" REPAIR_SECTION_OLD_PARTS REPAIR_ORIGIN_ABROAD")
	if got := stock(); !maps.Equal(got, want) {
		t.Fatalf("stock after the passes: %v, want %v", got, want)
	}
	tr, err := rc.GetRepairOrder(ctxAs(t, z.customs), &customsv1.GetRepairOrderRequest{OrderNo: no})
	if err != nil || len(tr.GetOrder().GetJournalIds()) != 4 || len(tr.GetOrder().GetSteps()) != 5 {
		t.Fatalf("customs reads the trail: %v, %v", tr.GetOrder(), err)
	}
}

func pad7(n int) string { return fmt.Sprintf("%07d", n) }

// TestZonectlRepair drives the repair centre with the built zonectl: an
// order on goods from abroad, parts consumed, the old part removed; its
// domestic sale is refused with the rule and exit code 1 (refused); its
// first re-export list is returned by customs, which gives the part back to
// the order (--bindings, the trail), and its re-export under 0864 on a
// second list books it out; the stock per section and the trail.
func TestZonectlRepair(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e := z.enterprise(t, "Repair Ctl")
	book := z.newBook(t, e, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_REPAIR)
	in := z.stockIn(t, e, book, lineNotebook, "1", "80000").GetListNo()
	parts := z.stockIn(t, e, book, linePE, "10", "160").GetListNo()
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}
	c.must(e.tok, "customs", "repair", "parts", "--inner", "LJ-1", "--book", book, "--list", parts, "--line", "2", "--quantity", "10")
	out := c.must(e.tok, "-o", "json", "customs", "repair", "open", "--inner", "WX-1", "--book", book, "--list", in, "--line", "1", "--quantity", "1")
	var o customsv1.RepairOrder
	if err := protojson.Unmarshal([]byte(out), &o); err != nil || o.GetOrderNo() == "" {
		t.Fatalf("repair open -o json printed %q (%v)", out, err)
	}
	no := o.GetOrderNo()
	c.must(e.tok, "customs", "repair", "test", no, "--key", "t1", "--findings", "fan blade cracked")
	c.must(e.tok, "customs", "repair", "consume", no, "--key", "c1", "--part", "2:2.5:abroad")
	c.must(e.tok, "customs", "repair", "remove", no, "--key", "x1", "--old", "2:1:10.00")
	c.must(e.tok, "customs", "repair", "finish", no, "--key", "f1", "--repaired", "1")
	_, errOut, code := c.run(e.tok, "customs", "repair", "exit", no, "--key", "s1", "--section", "old-parts", "--line", "2", "--quantity", "1",
		"--way", "domestic-sale", "--trade-mode", "0844", "--reference", "QD-SALE")
	if code != 1 || !strings.Contains(errOut, "REPAIR_PARTS_RE_EXPORT_ONLY") || !strings.Contains(errOut, "公告2023年第105号") {
		t.Fatalf("selling the old part domestically: exit %d, %q", code, errOut)
	}
	// The first re-export list is returned by customs: the order holds
	// the old part again and sends it on a second list.
	out0 := z.createList(t, e.tok, &customsv1.CreateListRequest{InnerNo: "OUT-0", BookNo: book, Io: "E", TradeMode: "0864", Country: "USA",
		Lines: []*customsv1.ListLine{line(linePE, "1", "10", "100", "90")}})
	c.must(e.tok, "customs", "repair", "exit", no, "--key", "e0", "--section", "old-parts", "--line", "2", "--quantity", "1",
		"--way", "re-export", "--reference", out0.GetListNo())
	z.declare(t, e.tok, out0.GetListNo())
	if _, err := z.decl.ReturnList(ctxAs(t, z.customs), &customsv1.ReturnListRequest{ListNo: out0.GetListNo(), Note: "wrong consignee"}); err != nil {
		t.Fatalf("ReturnList: %v", err)
	}
	b := c.must(e.tok, "-o", "csv", "customs", "repair", "get", no, "--bindings")
	if !strings.Contains(b, "LIST,"+out0.GetListNo()+",1,OLD_PARTS,2,1,e0,RETURNED") {
		t.Fatalf("bindings after the return: %q", b)
	}
	out1 := z.createList(t, e.tok, &customsv1.CreateListRequest{InnerNo: "OUT-1", BookNo: book, Io: "E", TradeMode: "0864", Country: "USA",
		Lines: []*customsv1.ListLine{line(linePE, "1", "10", "100", "90")}})
	c.must(e.tok, "customs", "repair", "exit", no, "--key", "e1", "--section", "old-parts", "--line", "2", "--quantity", "1",
		"--way", "re-export", "--reference", out1.GetListNo())
	z.declare(t, e.tok, out1.GetListNo())
	z.drive(t, e, z.approve(t, out1.GetListNo()), "2", "P-OUT-1")
	st := c.must(z.customs, "-o", "csv", "customs", "repair", "stock", book)
	if !strings.Contains(st, "REPAIRED,ABROAD,1") || !strings.Contains(st, "PARTS,ABROAD,7.5") || strings.Contains(st, "OLD_PARTS") {
		t.Fatalf("repair stock printed %q", st)
	}
	trail := c.must(z.customs, "customs", "repair", "get", no, "--trail")
	for _, k := range []string{"TEST", "CONSUME_PARTS", "REMOVE_PARTS", "FINISH", "EXIT", "LIST_RETURNED"} {
		if !strings.Contains(trail, k) {
			t.Errorf("the trail lacks %s: %q", k, trail)
		}
	}
}
