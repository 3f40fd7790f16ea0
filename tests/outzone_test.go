package tests

// Goods out of the zone and back end to end, over gRPC against the built
// server: a repair form's goods out with a due-back date (still bonded on
// the book), back in part, converted to a taxed sale in part; each refusal
// with its code, reason and field, and changing nothing; another
// enterprise cannot see or move the goods; customs' one overdue listing,
// paged oldest first.

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestGoodsOutOfTheZoneAndBackOverGRPC(t *testing.T) {
	z := newZoneEnv(t)
	oz := customsv1.NewOutZoneServiceClient(z.s.Conn())
	e1 := z.enterprise(t, "Out Zone One Co., Ltd.")
	e2 := z.enterprise(t, "Out Zone Two Co., Ltd.")
	book := z.hBook(t, e1)
	z.stockIn(t, e1, book, lineNotebook, "20", "100000.00")
	form := func(inner, ft string) string {
		r, err := z.decl.CreateForm(ctxAs(t, e1.tok), &customsv1.CreateFormRequest{InnerNo: inner, BookNo: book, FormType: ft, ValidFrom: day(0), ValidUntil: day(30)})
		if err != nil {
			t.Fatalf("CreateForm %s: %v", inner, err)
		}
		return r.GetForm().GetFormNo()
	}
	fe, ff := form("FE-1", "E"), form("FF-1", "F")
	move := func(tok string, req *customsv1.MoveOutZoneRequest) (*customsv1.OutZoneMove, error) {
		r, err := oz.MoveOutZone(ctxAs(t, tok), req)
		return r.GetMove(), err
	}
	nb := func(q string) []*customsv1.OutZoneLine {
		return []*customsv1.OutZoneLine{{BookSeq: lineNotebook, Quantity: q}}
	}
	out, err := move(e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WO-1", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT,
		DueBack: day(10), Counterparty: "Repair Co.", Lines: nb("5")})
	if err != nil || out.GetStatus() != "OUT" || out.GetBookNo() != book || out.GetFormType() != "E" || len(out.GetOutstanding()) != 1 || out.GetOutstanding()[0].GetQuantity() != "5" {
		t.Fatalf("out: %v, %v", out, err)
	}
	l := z.stockLine(t, book, lineNotebook)
	if l.GetBonded() != "20" || l.GetAvailable() != "15" || l.GetOutZone() != "5" {
		t.Fatalf("stock after out: %v", l)
	}

	before := z.bookState(t, book)
	for _, c := range []struct {
		what                string
		tok                 string
		req                 *customsv1.MoveOutZoneRequest
		code                codes.Code
		reason, field, text string
	}{
		{"back more than sent", e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WB-X", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, OutNo: out.GetMoveNo(), Lines: nb("6")},
			codes.FailedPrecondition, "OUT_ZONE_EXCEEDS_SENT", "lines[0].quantity", "5"},
		{"convert goods not out on the movement", e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WC-X", ApplyNo: ff, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT, OutNo: out.GetMoveNo(),
			Lines: []*customsv1.OutZoneLine{{BookSeq: lineNotebook, Quantity: "1", Value: "5000.00"}}}, codes.InvalidArgument, "OUT_ZONE_NOT_OUT", "out_no", ""},
		{"a due date in the past", e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WO-X", ApplyNo: ff, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT, DueBack: day(-1), Counterparty: "X", Lines: nb("1")},
			codes.InvalidArgument, "OUT_ZONE_DUE_DATE", "due_back", ""},
		{"a due date after the form", e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WO-Y", ApplyNo: ff, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT, DueBack: day(31), Counterparty: "X", Lines: nb("1")},
			codes.InvalidArgument, "OUT_ZONE_DUE_DATE", "due_back", ""},
		{"products under a repair form", e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WB-Y", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, OutNo: out.GetMoveNo(), Products: nb("1"), Consumed: nb("1")},
			codes.InvalidArgument, "OUTSOURCING_ONLY", "products", ""},
		{"another enterprise brings the goods back", e2.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WB-E2", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, OutNo: out.GetMoveNo(), Lines: nb("1")},
			codes.NotFound, "UNKNOWN_DOCUMENT", "apply_no", ""},
		{"customs files a movement", z.customs, &customsv1.MoveOutZoneRequest{InnerNo: "WB-C", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, OutNo: out.GetMoveNo(), Lines: nb("1")},
			codes.PermissionDenied, "PERMISSION_DENIED", "-", ""},
	} {
		_, err := move(c.tok, c.req)
		wantRefused(t, err, c.code, c.reason, c.field, c.what, c.text)
	}
	_, err = oz.CloseForm(ctxAs(t, e1.tok), &customsv1.CloseFormRequest{ApplyNo: fe})
	wantRefused(t, err, codes.FailedPrecondition, "FORM_GOODS_OUT", "apply_no", "closing a form with goods out")
	_, err = oz.GetOutZoneMove(ctxAs(t, e2.tok), &customsv1.GetOutZoneMoveRequest{MoveNo: out.GetMoveNo()})
	wantRefused(t, err, codes.NotFound, "UNKNOWN_DOCUMENT", "-", "another enterprise reads the movement")
	if after := z.bookState(t, book); after != before {
		t.Fatalf("the refusals changed the book:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Two back, one sold (VAT 13 % of 5,000), two still out.
	if _, err := move(e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WB-1", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_BACK, OutNo: out.GetMoveNo(), Lines: nb("2")}); err != nil {
		t.Fatalf("back: %v", err)
	}
	sale, err := move(e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WC-1", ApplyNo: fe, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_CONVERT, OutNo: out.GetMoveNo(),
		Lines: []*customsv1.OutZoneLine{{BookSeq: lineNotebook, Quantity: "1", Value: "5000"}}})
	if err != nil || sale.GetTax() != "650.00" {
		t.Fatalf("convert: %v, %v", sale, err)
	}
	if evs := z.taxableEvents(t, z.customs, book); len(evs) != 1 || evs[0].GetListNo() != sale.GetMoveNo() || evs[0].GetVat() != "650.00" {
		t.Fatalf("taxable events: %v", evs)
	}
	l = z.stockLine(t, book, lineNotebook)
	if l.GetBonded() != "19" || l.GetAvailable() != "17" || l.GetOutZone() != "2" {
		t.Fatalf("stock after back and sale: %v", l)
	}
	// A mould out too, due back in 5 days.
	if _, err := move(e1.tok, &customsv1.MoveOutZoneRequest{InnerNo: "WO-2", ApplyNo: ff, Kind: customsv1.OutZoneKind_OUT_ZONE_KIND_OUT, DueBack: day(5), Counterparty: "Mould user", Lines: nb("1")}); err != nil {
		t.Fatalf("mould out: %v", err)
	}

	// The overdue listing as of day 20, one row a page: the mould (due day 5) first.
	var rows []*customsv1.OverdueItem
	token := ""
	for i := 0; ; i++ {
		r, err := oz.ListOverdue(ctxAs(t, z.customs), &customsv1.ListOverdueRequest{AsOf: day(20), PageSize: 1, PageToken: token})
		if err != nil || i > 5 {
			t.Fatalf("ListOverdue page %d: %v, %v", i, r, err)
		}
		rows = append(rows, r.GetItems()...)
		if token = r.GetNextPageToken(); token == "" {
			break
		}
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.GetKind().String()+" "+r.GetDue()+" "+r.GetQuantity()+" "+strings.Join(r.GetDocuments()[1:], ","))
	}
	if want := []string{"OVERDUE_KIND_MOULD " + day(5) + " 1 " + ff, "OVERDUE_KIND_REPAIR_OUTSIDE " + day(10) + " 2 " + fe}; strings.Join(got, "|") != strings.Join(want, "|") ||
		rows[0].GetDaysOverdue() != 15 || rows[1].GetDaysOverdue() != 10 || rows[0].GetEnterprise() != e1.uscc {
		t.Fatalf("overdue rows %v, want %v", got, want)
	}
	// The enterprise sees its own; another sees none, and not the book.
	if r, err := oz.ListOverdue(ctxAs(t, e1.tok), &customsv1.ListOverdueRequest{AsOf: day(20)}); err != nil || len(r.GetItems()) != 2 {
		t.Fatalf("e1's overdue: %v, %v", r, err)
	}
	if r, err := oz.ListOverdue(ctxAs(t, e2.tok), &customsv1.ListOverdueRequest{AsOf: day(20)}); err != nil || len(r.GetItems()) != 0 {
		t.Fatalf("e2's overdue: %v, %v", r, err)
	}
	_, err = oz.ListOverdue(ctxAs(t, e2.tok), &customsv1.ListOverdueRequest{BookNo: book})
	wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "-", "another enterprise lists the book's overdue goods")
}

// TestZonectlOutZone drives goods out of the zone through the built
// zonectl: a 外发加工 round trip with products, scrap and consumption, the
// refusals' exit codes and reasons, closing the form, and customs'
// overdue listing as CSV.
func TestZonectlOutZone(t *testing.T) {
	needZonectl(t)
	z := newZoneEnv(t)
	e1 := z.enterprise(t, "Out Zone Three Co., Ltd.")
	e2 := z.enterprise(t, "Out Zone Four Co., Ltd.")
	book := z.hBook(t, e1)
	z.stockIn(t, e1, book, linePE, "100", "1600.00")
	c := &ctl{t: t, addr: z.s.Addr, dir: t.TempDir()}

	form := strings.TrimSpace(c.must(e1.tok, "customs", "form", "create", "--inner-no", "FB-Z", "--book", book, "--type", "B",
		"--from", day(0), "--until", day(20), "-q"))
	out := displayCSV(t, c.must(e1.tok, "-o", "csv", "customs", "outzone", "out", "--form", form, "--inner-no", "ZW-1",
		"--due-back", day(7), "--counterparty", "Contractor Ltd", "--line", "2:50"))
	if len(out) != 1 || out[0]["status"] != "OUT" || out[0]["outstanding"] != "2:50" || out[0]["due_back"] != day(7) {
		t.Fatalf("outzone out printed %v", out)
	}
	moveNo := out[0]["move_no"]
	_, errOut, code := c.run(e1.tok, "customs", "outzone", "back", "--form", form, "--inner-no", "ZB-X", "--out-no", moveNo, "--consumed", "2:51")
	if code != 1 || !strings.Contains(errOut, "reason=OUT_ZONE_EXCEEDS_SENT") {
		t.Fatalf("consuming more than went out: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = c.run(e1.tok, "customs", "outzone", "back", "--form", form, "--inner-no", "ZB-Y", "--out-no", moveNo, "--product", "1:2:waste")
	if code != 2 || !strings.Contains(errOut, "write scrap or leave it out") {
		t.Fatalf("a product line that is not scrap: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = c.run(e2.tok, "customs", "outzone", "get", moveNo)
	if code != 1 || !strings.Contains(errOut, "reason=UNKNOWN_DOCUMENT") {
		t.Fatalf("another enterprise reads the movement: exit %d, stderr %s", code, errOut)
	}
	// 2 notebooks made, 0.5 kg scrap (kept on line 2 here) from 40 kg consumed; 5 kg back.
	c.must(e1.tok, "customs", "outzone", "back", "--form", form, "--inner-no", "ZB-1", "--out-no", moveNo,
		"--line", "2:5", "--consumed", "2:40", "--product", "1:2", "--product", "2:0.5:scrap")
	got := displayCSV(t, c.must(z.customs, "-o", "csv", "customs", "outzone", "get", moveNo))
	if len(got) != 1 || got[0]["outstanding"] != "2:5" || got[0]["status"] != "OUT" {
		t.Fatalf("outzone get printed %v", got)
	}
	if l := z.stockLine(t, book, linePE); !dec(t, l.GetBonded()).Equal(dec(t, "60.5")) || !dec(t, l.GetOutZone()).Equal(dec(t, "5")) {
		t.Fatalf("polyethylene after the round trip: %v", l)
	}
	_, errOut, code = c.run(e1.tok, "customs", "outzone", "close", form)
	if code != 1 || !strings.Contains(errOut, "reason=FORM_GOODS_OUT") {
		t.Fatalf("closing with goods out: exit %d, stderr %s", code, errOut)
	}
	over := displayCSV(t, c.must(z.customs, "-o", "csv", "customs", "overdue", "--as-of", day(10)))
	if len(over) != 1 || over[0]["kind"] != "OUTSOURCING" || over[0]["days_overdue"] != "3" || over[0]["quantity"] != "5" ||
		over[0]["documents"] != moveNo+" "+form || over[0]["enterprise"] != e1.uscc {
		t.Fatalf("overdue printed %v", over)
	}
	if none := displayCSV(t, c.must(e2.tok, "-o", "csv", "customs", "overdue", "--as-of", day(10))); len(none) != 0 {
		t.Fatalf("another enterprise's overdue listing: %v", none)
	}
	c.must(e1.tok, "customs", "outzone", "back", "--form", form, "--inner-no", "ZB-2", "--out-no", moveNo, "--line", "2:5")
	closed := displayCSV(t, c.must(e1.tok, "-o", "csv", "customs", "outzone", "close", form))
	if len(closed) != 1 || closed[0]["status"] != "CLOSED" {
		t.Fatalf("outzone close printed %v", closed)
	}
}
