package tests

// Helpers of the customs end-to-end tests (customs_*_test.go): a zone
// on a running server, enterprises registered with real USCCs and principals
// bound to them, books with two standard lines, and the steps of the flows
// (file a list, drive it through the gate, read the stock) through the
// generated gRPC clients only.

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/prototext"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// zoneSeq makes the numbers of a test process unique: USCCs, customs codes,
// book numbers, principal ids.
var zoneSeq atomic.Int64

func nextZoneSeq() int64 { return zoneSeq.Add(1) }

// testUSCC makes a valid USCC (GB 32100-2015 check character) from a
// serial number.
func testUSCC(t testing.TB, n int64) string {
	t.Helper()
	first17 := fmt.Sprintf("91310000MA1K%05d", n)
	c, err := usccCheckChar(first17)
	if err != nil {
		t.Fatalf("USCCCheckChar(%s): %v", first17, err)
	}
	return first17 + string(c)
}

// zoneEnv is a zone on a running server: customs and admin tokens and the
// customs clients.
type zoneEnv struct {
	s       *Server
	a       *Actors
	admin   string // admin token
	customs string // customs token
	books   customsv1.BookServiceClient
	decl    customsv1.DeclarationServiceClient
	gate    customsv1.GateServiceClient
}

// newZoneEnv starts a server with the standard actors.
func newZoneEnv(t *testing.T) *zoneEnv {
	t.Helper()
	s := StartServer(t)
	a := NewActors(t, s)
	return zoneOn(s, a)
}

func zoneOn(s *Server, a *Actors) *zoneEnv {
	return &zoneEnv{s: s, a: a, admin: a.Admin, customs: a.C,
		books: customsv1.NewBookServiceClient(s.Conn()),
		decl:  customsv1.NewDeclarationServiceClient(s.Conn()),
		gate:  customsv1.NewGateServiceClient(s.Conn())}
}

// zEnt is a registered zone enterprise with a principal bound to its USCC.
type zEnt struct {
	uscc, principal, tok string
}

// enterprise registers an enterprise (as the admin), creates an enterprise
// principal whose enterprise id is the USCC and issues it a token.
func (z *zoneEnv) enterprise(t *testing.T, name string) zEnt {
	t.Helper()
	n := nextZoneSeq()
	e := zEnt{uscc: testUSCC(t, n), principal: fmt.Sprintf("zent-%d", n)}
	resp, err := z.books.RegisterEnterprise(ctxAs(t, z.admin), &customsv1.RegisterEnterpriseRequest{
		Uscc: e.uscc, CustomsCode: fmt.Sprintf("3105%06d", n), Name: name})
	if err != nil {
		t.Fatalf("RegisterEnterprise %s: %v", e.uscc, err)
	}
	if resp.GetEnterprise().GetUscc() != e.uscc || resp.GetEnterprise().GetSuspended() {
		t.Fatalf("RegisterEnterprise returned %v", resp.GetEnterprise())
	}
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: e.principal, DisplayName: name, Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: e.uscc})
	e.tok = z.a.Issue(t, z.s, e.principal)
	return e
}

// The two lines every test book has.
const (
	lineNotebook = 1 // 8471300000 notebook computers, unit 001 (台), whole numbers
	linePE       = 2 // 3901100000 polyethylene, unit 035 (kg), 3 decimals, second legal unit 070 (t) factor 0.001
)

const (
	hsNotebook = "8471300000"
	hsPE       = "3901100000"
)

func standardLines() []*customsv1.BookLine {
	return []*customsv1.BookLine{
		{Seq: lineNotebook, HsCode: hsNotebook, Name: "notebook computer", DeclaredUnit: "001", Scale: 0,
			Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}, Type: customsv1.GoodsType_GOODS_TYPE_FINISHED},
		{Seq: linePE, HsCode: hsPE, Name: "polyethylene", DeclaredUnit: "035", Scale: 3,
			Legal: &customsv1.LegalUnit{Unit: "035", Factor: "1"}, Second: &customsv1.LegalUnit{Unit: "070", Factor: "0.001"},
			Type: customsv1.GoodsType_GOODS_TYPE_MATERIAL},
	}
}

// hBook registers a fresh H (zone) book of e, as e, with the standard lines.
func (z *zoneEnv) hBook(t *testing.T, e zEnt) string {
	t.Helper()
	return z.newBook(t, e, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_ZONE)
}

// tBook registers a fresh T…W (logistics) book of e with the standard lines.
func (z *zoneEnv) tBook(t *testing.T, e zEnt) string {
	t.Helper()
	return z.newBook(t, e, fmt.Sprintf("T3105W%06d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_LOGISTICS)
}

func (z *zoneEnv) newBook(t *testing.T, e zEnt, no string, kind customsv1.BookKind) string {
	t.Helper()
	resp, err := z.books.CreateBook(ctxAs(t, e.tok), &customsv1.CreateBookRequest{BookNo: no, Kind: kind, Enterprise: e.uscc, Usage: "1", CustomsOffice: "3105"})
	if err != nil {
		t.Fatalf("CreateBook %s: %v", no, err)
	}
	if b := resp.GetBook(); b.GetBookNo() != no || b.GetStatus() != customsv1.BookStatus_BOOK_STATUS_EXECUTING || b.GetEnterprise() != e.uscc {
		t.Fatalf("CreateBook returned %v", b)
	}
	if _, err := z.books.AddBookLines(ctxAs(t, e.tok), &customsv1.AddBookLinesRequest{BookNo: no, Lines: standardLines()}); err != nil {
		t.Fatalf("AddBookLines %s: %v", no, err)
	}
	return no
}

// --- lists -------------------------------------------------------------------

// line is a list line of book line seq: quantity, total (CNY) and weights
// ("" for not given).
func line(seq int32, qty, total, gross, net string) *customsv1.ListLine {
	return &customsv1.ListLine{BookSeq: seq, Quantity: qty, Total: total, GrossWeight: gross, NetWeight: net}
}

// entryReq is a first-line entry list (5034 I) of one line from the USA.
func entryReq(book, inner string, seq int32, qty, total string) *customsv1.CreateListRequest {
	return &customsv1.CreateListRequest{InnerNo: inner, BookNo: book, Io: "I", TradeMode: "5034", Country: "USA",
		Lines: []*customsv1.ListLine{line(seq, qty, total, "1000", "900")}}
}

func (z *zoneEnv) createList(t *testing.T, tok string, req *customsv1.CreateListRequest) *customsv1.List {
	t.Helper()
	resp, err := z.decl.CreateList(ctxAs(t, tok), req)
	if err != nil {
		t.Fatalf("CreateList %s: %v", req.GetInnerNo(), err)
	}
	l := resp.GetList()
	if l.GetStatus() != customsv1.ListStatus_LIST_STATUS_DRAFT || l.GetListNo() == "" {
		t.Fatalf("CreateList %s returned %s %q", req.GetInnerNo(), l.GetStatus(), l.GetListNo())
	}
	return l
}

func (z *zoneEnv) declare(t *testing.T, tok, no string) *customsv1.List {
	t.Helper()
	resp, err := z.decl.DeclareList(ctxAs(t, tok), &customsv1.DeclareListRequest{ListNo: no})
	if err != nil {
		t.Fatalf("DeclareList %s: %v", no, err)
	}
	if st := resp.GetList().GetStatus(); st != customsv1.ListStatus_LIST_STATUS_DECLARED {
		t.Fatalf("DeclareList %s: status %s, want DECLARED", no, st)
	}
	return resp.GetList()
}

// approve approves a list as customs; it returns the list as approved (or
// cleared, for lists that pass no gate).
func (z *zoneEnv) approve(t *testing.T, no string) *customsv1.List {
	t.Helper()
	resp, err := z.decl.ApproveList(ctxAs(t, z.customs), &customsv1.ApproveListRequest{ListNo: no, Note: "ok"})
	if err != nil {
		t.Fatalf("ApproveList %s: %v", no, err)
	}
	return resp.GetList()
}

// file creates, declares and approves a list.
func (z *zoneEnv) file(t *testing.T, e zEnt, req *customsv1.CreateListRequest) *customsv1.List {
	t.Helper()
	l := z.createList(t, e.tok, req)
	z.declare(t, e.tok, l.GetListNo())
	return z.approve(t, l.GetListNo())
}

func (z *zoneEnv) getList(t *testing.T, no string) *customsv1.List {
	t.Helper()
	resp, err := z.decl.GetList(ctxAs(t, z.customs), &customsv1.GetListRequest{ListNo: no})
	if err != nil {
		t.Fatalf("GetList %s: %v", no, err)
	}
	return resp.GetList()
}

func wantListStatus(t *testing.T, l *customsv1.List, want customsv1.ListStatus) {
	t.Helper()
	if l.GetStatus() != want {
		t.Fatalf("list %s (%s) is %s, want %s", l.GetListNo(), l.GetInnerNo(), l.GetStatus(), want)
	}
}

// --- passes and the gate -----------------------------------------------------

const tare = "10000" // vehicle weight of the passes drive files

// listPass files a one-list-one-vehicle pass of passType for list l with
// the list's weights and a vehicle of tare kg.
func (z *zoneEnv) listPass(t *testing.T, e zEnt, l *customsv1.List, passType, inner, vehicle string) *customsv1.Pass {
	t.Helper()
	resp, err := z.gate.CreatePass(ctxAs(t, e.tok), &customsv1.CreatePassRequest{InnerNo: inner, BookNo: l.GetBookNo(), PassType: passType,
		BindType: "2", Io: l.GetIo(), RelatedType: "1", RelatedNos: []string{l.GetListNo()}, Vehicle: vehicle, VehicleWeight: tare,
		GrossWeight: l.GetGrossWeight(), NetWeight: l.GetNetWeight()})
	if err != nil {
		t.Fatalf("CreatePass %s (type %s) for list %s: %v", inner, passType, l.GetListNo(), err)
	}
	if p := resp.GetPass(); p.GetStatus() != customsv1.PassStatus_PASS_STATUS_APPLIED {
		t.Fatalf("CreatePass %s: status %s", inner, p.GetStatus())
	}
	return resp.GetPass()
}

// gateEvent records a vehicle at the gate as customs.
func (z *zoneEnv) gateEvent(t *testing.T, passNo, eventID, vehicle, scale string) *customsv1.Pass {
	t.Helper()
	resp, err := z.gate.RecordGateEvent(ctxAs(t, z.customs), &customsv1.RecordGateEventRequest{PassNo: passNo, EventId: eventID, Vehicle: vehicle, ScaleGross: scale})
	if err != nil {
		t.Fatalf("RecordGateEvent %s on pass %s: %v", eventID, passNo, err)
	}
	return resp.GetPass()
}

func wantPassStatus(t *testing.T, p *customsv1.Pass, want customsv1.PassStatus) {
	t.Helper()
	if p.GetStatus() != want {
		t.Fatalf("pass %s (%s) is %s (hold reasons %q), want %s", p.GetPassNo(), p.GetInnerNo(), p.GetStatus(), p.GetHoldReasons(), want)
	}
}

// drive sends an approved list through the gate on a pass of passType whose
// weights match: the vehicle passes and the list's goods are booked.
func (z *zoneEnv) drive(t *testing.T, e zEnt, l *customsv1.List, passType, inner string) *customsv1.Pass {
	t.Helper()
	vehicle := fmt.Sprintf("沪A%05d", nextZoneSeq())
	p := z.listPass(t, e, l, passType, inner, vehicle)
	scale := dec(t, tare).Add(dec(t, l.GetGrossWeight())).String()
	p = z.gateEvent(t, p.GetPassNo(), inner+"-ev", vehicle, scale)
	wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_PASSED)
	if p.GetJournalId() == 0 {
		t.Fatalf("pass %s passed without a journal", p.GetPassNo())
	}
	return p
}

// stockIn fills a line of a fresh book with qty bonded goods from abroad
// (一线入区) and returns the entry list.
func (z *zoneEnv) stockIn(t *testing.T, e zEnt, book string, seq int32, qty, total string) *customsv1.List {
	t.Helper()
	inner := fmt.Sprintf("IN-%s-%d", book, nextZoneSeq())
	l := z.file(t, e, entryReq(book, inner, seq, qty, total))
	z.drive(t, e, l, "2", "P"+inner)
	return z.getList(t, l.GetListNo())
}

// --- stock -------------------------------------------------------------------

// st is the expected stock of a book line; empty fields mean 0. available
// is always checked as bonded − reserved.
type st struct {
	bonded, reserved, nonBonded, nbReserved, inspection, undeclared string
}

func (w st) String() string {
	z := func(s string) string {
		if s == "" {
			return "0"
		}
		return s
	}
	return fmt.Sprintf("bonded %s reserved %s nonbonded %s (reserved %s) inspection %s undeclared %s",
		z(w.bonded), z(w.reserved), z(w.nonBonded), z(w.nbReserved), z(w.inspection), z(w.undeclared))
}

func (z *zoneEnv) stockReport(t *testing.T, tok, book string) *customsv1.GetStockReportResponse {
	t.Helper()
	resp, err := z.books.GetStockReport(ctxAs(t, tok), &customsv1.GetStockReportRequest{BookNo: book})
	if err != nil {
		t.Fatalf("GetStockReport %s: %v", book, err)
	}
	return resp
}

// stockLine reads a line of a book's stock report (as customs).
func (z *zoneEnv) stockLine(t *testing.T, book string, seq int32) *customsv1.StockLine {
	t.Helper()
	for _, l := range z.stockReport(t, z.customs, book).GetLines() {
		if l.GetBookSeq() == seq {
			return l
		}
	}
	t.Fatalf("the stock report of %s has no line %d", book, seq)
	return nil
}

// wantStock fails the test unless a book line's stock is exactly want.
func (z *zoneEnv) wantStock(t *testing.T, book string, seq int32, want st) {
	t.Helper()
	l := z.stockLine(t, book, seq)
	num := func(s string) decimal.Decimal {
		if s == "" {
			return decimal.Zero
		}
		return decimal.RequireFromString(s)
	}
	wb, wr := num(want.bonded), num(want.reserved)
	ok := dec(t, l.GetBonded()).Equal(wb) && dec(t, l.GetReserved()).Equal(wr) && dec(t, l.GetAvailable()).Equal(wb.Sub(wr)) &&
		dec(t, l.GetNonBonded()).Equal(num(want.nonBonded)) && dec(t, l.GetNonBondedReserved()).Equal(num(want.nbReserved)) &&
		dec(t, l.GetInspection()).Equal(num(want.inspection)) && dec(t, l.GetUndeclared()).Equal(num(want.undeclared))
	if !ok {
		t.Fatalf("stock of %s line %d: bonded %s available %s reserved %s nonbonded %s (reserved %s) inspection %s undeclared %s;\nwant %v (available %s)",
			book, seq, l.GetBonded(), l.GetAvailable(), l.GetReserved(), l.GetNonBonded(), l.GetNonBondedReserved(), l.GetInspection(), l.GetUndeclared(),
			want, wb.Sub(wr))
	}
}

// bookState is what a refused call must leave as it was: a book's stock
// report and its lists and passes (as customs reads them).
func (z *zoneEnv) bookState(t *testing.T, book string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(prototext.Format(z.stockReport(t, z.customs, book)))
	ll, err := z.decl.ListLists(ctxAs(t, z.customs), &customsv1.ListListsRequest{BookNo: book, PageSize: 1000})
	if err != nil {
		t.Fatalf("ListLists %s: %v", book, err)
	}
	for _, l := range ll.GetLists() {
		fmt.Fprintf(&b, "list %s %s %s journals %v\n", l.GetListNo(), l.GetInnerNo(), l.GetStatus(), l.GetJournalIds())
	}
	lp, err := z.gate.ListPasses(ctxAs(t, z.customs), &customsv1.ListPassesRequest{BookNo: book, PageSize: 1000})
	if err != nil {
		t.Fatalf("ListPasses %s: %v", book, err)
	}
	for _, p := range lp.GetPasses() {
		fmt.Fprintf(&b, "pass %s %s %s journal %d events %d\n", p.GetPassNo(), p.GetInnerNo(), p.GetStatus(), p.GetJournalId(), len(p.GetEvents()))
	}
	return b.String()
}

func (z *zoneEnv) wantBookState(t *testing.T, book, before, what string) {
	t.Helper()
	if after := z.bookState(t, book); after != before {
		t.Errorf("%s changed book %s:\nbefore:\n%s\nafter:\n%s", what, book, before, after)
	}
}

// taxableEvents lists a book's taxable events as tok.
func (z *zoneEnv) taxableEvents(t *testing.T, tok, book string) []*customsv1.TaxableEvent {
	t.Helper()
	resp, err := z.decl.ListTaxableEvents(ctxAs(t, tok), &customsv1.ListTaxableEventsRequest{BookNo: book})
	if err != nil {
		t.Fatalf("ListTaxableEvents %s: %v", book, err)
	}
	return resp.GetEvents()
}

// --- errors ------------------------------------------------------------------

// wantRefused fails the test unless err has the gRPC code, the ErrorInfo
// reason (unless "-") and the field (unless "-"), and its message contains every
// string of msgs.
func wantRefused(t *testing.T, err error, code codes.Code, reason, field, what string, msgs ...string) {
	t.Helper()
	if !wantCode(t, err, code, what) {
		return
	}
	info := errorInfo(err)
	if info == nil {
		t.Errorf("%s: no google.rpc.ErrorInfo in %v", what, err)
		return
	}
	if reason != "-" && info.GetReason() != reason {
		t.Errorf("%s: reason %q, want %q (%v)", what, info.GetReason(), reason, err)
	}
	if field != "-" {
		if got := info.GetMetadata()["field"]; got != field {
			t.Errorf("%s: field %q, want %q (%v)", what, got, field, err)
		}
	}
	for _, m := range msgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("%s: message %q does not contain %q", what, err.Error(), m)
		}
	}
}
