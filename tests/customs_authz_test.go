package tests

// Authorization of the customs services (TaxService, BookService,
// DeclarationService, GateService, DisplayService, EcommerceService,
// ProcessingService): the
// per-method cases TestAuthorizationEveryMethod (authz_test.go) runs for
// them, the snapshot of the zone's state refused calls must leave alone, and
// the role checks of TestCustomsAuthorizationRoles.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// customsAuthWorld is E1's zone documents in every state a customs method
// acts on, and E2, the zone enterprise that tries to touch them.
type customsAuthWorld struct {
	z          *zoneEnv
	e1, e2, e3 zEnt   // e3 is the enterprise whose suspension is attempted
	book       string // E1's H book, with stock on both lines
	spare      string // E1's second book, whose status change is attempted
	e2book     string
	newUSCC    string // a valid USCC nobody registered
	newBook    string // a book number nobody registered

	draftToDeclare, draftToDelete string // drafts
	declared, declaredToReturn    string // declared lists
	approvedSwitch                string // an approved 区内直转 list awaiting its release
	clearedExit                   string // a cleared 一线出区 list of pass-through goods
	form, slip                    string
	passApplied, passToDelete     string // passes not yet at the gate
	heldToRelease, heldToReject   string // held passes

	// Bonded display trading: E1's type-C form with goods out on display
	// and a sale's tax assessed and not paid.
	display     customsv1.DisplayServiceClient
	displayForm string

	// Cross-border e-commerce (1210): E1 sells through a channel from E2's
	// warehouse book (so E2 is also the warehouse that may not touch E1's
	// orders); the documents of its orders in every state a method acts on.
	ecom              *ecomEnv
	ecomBook          string // E2's T book, the channel's
	ecomListReleased  string // the released list of order ecomOrderReleased
	ecomListTax       string // its tax, which RecordTaxPayment pays
	ecomListReturning string // a released list whose return was applied for
	ecomNewOrder      *customsv1.SubmitOrderRequest
	ecomPayment       *customsv1.SubmitPaymentRequest // of a pending order
	ecomWaybill       *customsv1.SubmitWaybillRequest // of another pending order
	ecomBatch         []*customsv1.EcommerceDocument  // payment and waybill of a third
	ecomMessages      [][]byte                        // payment and waybill of a fourth, as CEB411 and CEB511 messages
	ecomOrderToCancel string                          // a pending order
	ecomOrders        []string                        // every order number above, for the snapshot
	ecomDate          string                          // the zone's business date

	// Processing: version 1 of E1's notebook line (consuming PE), used by
	// one production report.
	proc       customsv1.ProcessingServiceClient
	procReport string
	// Destructions of E1's notebooks asked for and not yet decided.
	procDestroyApprove, procDestroyReject string
	// The 委托加工 entrustment of E1's book, its receipt, and two gate
	// registrations that passed and carry no move yet: in (a receipt) and
	// out (a return of the products made for it).
	entrustment, entrustedMove, gateRegIn, gateRegOut string

	// Bonded R&D: E1's R&D book with PE on it, project AZ-P1 with one use,
	// and project AZ-P2, open, to close.
	rnd     customsv1.RndServiceClient
	rndBook string
	rndUse  string
	// Repair: E1's repair book and its orders (repair_authz_test.go).
	repair *repairAuth
	// Write-off: E1's books with cycles and stocktakes
	// (writeoff_cycle_authz_test.go).
	woCycle *writeoffCycleAuth
	// Goods out of the zone: E1's forms and moulds out (outzone_authz_test.go).
	outzone *outZoneAuth
	// listMsg is an INV101 of E1's (a new list) and an INV201 for one of
	// E1's declared lists.
	listMsg *listMessagesAuth
	// Evidence: E1's book with sealed evidence (evidence_test.go).
	evidence *evidenceAuth
}

// Order numbers of the e-commerce documents of customsAuthWorld.
const (
	ecomOrderReleased  = "AZ-EC-REL"
	ecomOrderReturning = "AZ-EC-RET"
	ecomOrderPay       = "AZ-EC-PAY"
	ecomOrderWaybill   = "AZ-EC-WB"
	ecomOrderBatch     = "AZ-EC-DOCS"
	ecomOrderCancel    = "AZ-EC-CANCEL"
	ecomOrderNew       = "AZ-EC-NEW"
	ecomOrderMessages  = "AZ-EC-XML"
)

func newCustomsAuthWorld(t *testing.T, s *Server, a *Actors) *customsAuthWorld {
	t.Helper()
	z := zoneOn(s, a)
	w := &customsAuthWorld{z: z, e1: z.enterprise(t, "Authz One"), e2: z.enterprise(t, "Authz Two"), e3: z.enterprise(t, "Authz Three")}
	w.newUSCC = testUSCC(t, nextZoneSeq())
	w.newBook = fmt.Sprintf("H3105%07d", nextZoneSeq())
	e1 := w.e1
	w.book, w.spare, w.e2book = z.hBook(t, e1), z.hBook(t, e1), z.hBook(t, w.e2)
	z.stockIn(t, e1, w.book, lineNotebook, "100", "500000")
	z.stockIn(t, e1, w.book, linePE, "1000", "16000")
	z.stockIn(t, w.e2, w.e2book, lineNotebook, "10", "50000")

	out := func(inner string, seq int32, qty, gross string) *customsv1.CreateListRequest {
		return &customsv1.CreateListRequest{InnerNo: inner, BookNo: w.book, Io: "E", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(seq, qty, "1000", gross, qty)}}
	}
	x := z.file(t, e1, out("AZ-X", lineNotebook, "10", "10"))
	z.drive(t, e1, x, "2", "AZ-PX")
	w.clearedExit = x.GetListNo()
	w.approvedSwitch = z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "AZ-SW", BookNo: w.book, ListType: "Z", Io: "E", TradeMode: "5034",
		Lines: []*customsv1.ListLine{line(lineNotebook, "5", "25000", "", "")}}).GetListNo()
	w.draftToDeclare = z.createList(t, e1.tok, entryReq(w.book, "AZ-DECL", lineNotebook, "1", "5000")).GetListNo()
	w.draftToDelete = z.createList(t, e1.tok, entryReq(w.book, "AZ-DEL", lineNotebook, "1", "5000")).GetListNo()
	w.declared = z.createList(t, e1.tok, entryReq(w.book, "AZ-APPR", lineNotebook, "1", "5000")).GetListNo()
	z.declare(t, e1.tok, w.declared)
	w.declaredToReturn = z.createList(t, e1.tok, out("AZ-RET", lineNotebook, "2", "2")).GetListNo()
	z.declare(t, e1.tok, w.declaredToReturn)
	held := func(inner string, qty string) string {
		l := z.file(t, e1, out(inner, linePE, qty, qty))
		p := z.listPass(t, e1, l, "2", inner+"-P", "沪H00001")
		p = z.gateEvent(t, p.GetPassNo(), inner+"-ev", "沪H00001", "99999") // far too heavy
		wantPassStatus(t, p, customsv1.PassStatus_PASS_STATUS_HELD)
		return p.GetPassNo()
	}
	w.heldToRelease, w.heldToReject = held("AZ-HR", "100"), held("AZ-HJ", "50")
	empty := func(inner string) string {
		r, err := z.gate.CreatePass(ctxAs(t, e1.tok), &customsv1.CreatePassRequest{InnerNo: inner, BookNo: w.book, PassType: "6", Io: "I", Vehicle: "沪E" + inner, VehicleWeight: "8000"})
		if err != nil {
			t.Fatalf("CreatePass %s: %v", inner, err)
		}
		return r.GetPass().GetPassNo()
	}
	w.passApplied, w.passToDelete = empty("AZ-PA"), empty("AZ-PD")
	fr, err := z.decl.CreateForm(ctxAs(t, e1.tok), &customsv1.CreateFormRequest{InnerNo: "AZ-FORM", BookNo: w.book, FormType: "A", ValidFrom: day(-1), ValidUntil: day(60)})
	if err != nil {
		t.Fatalf("CreateForm: %v", err)
	}
	w.form = fr.GetForm().GetFormNo()
	sr, err := z.decl.CreateSlip(ctxAs(t, e1.tok), &customsv1.CreateSlipRequest{InnerNo: "AZ-SLIP", BookNo: w.book, ApplyNo: w.form, Io: "E",
		Lines: []*customsv1.SlipLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	if err != nil {
		t.Fatalf("CreateSlip: %v", err)
	}
	w.slip = sr.GetSlip().GetSlipNo()
	w.setUpDisplay(t, s)
	w.setUpEcommerce(t, s)
	w.setUpProcessing(t, s)
	w.setUpRnd(t, s)
	w.setUpRepair(t, s)
	w.setUpWriteOffCycle(t, customsv1.NewWriteOffServiceClient(s.Conn()))
	w.setUpOutZone(t, s)
	w.setUpEvidence(t, s)
	w.setUpListMessages(t)
	return w
}

// setUpRnd registers E1's bonded R&D book with PE on it, files projects
// AZ-P1 and AZ-P2 and one use of AZ-P1.
func (w *customsAuthWorld) setUpRnd(t *testing.T, s *Server) {
	t.Helper()
	w.rnd = customsv1.NewRndServiceClient(s.Conn())
	w.rndBook = w.z.newBook(t, w.e1, fmt.Sprintf("H3105%07d", nextZoneSeq()), customsv1.BookKind_BOOK_KIND_RND)
	w.z.stockIn(t, w.e1, w.rndBook, linePE, "100", "1600")
	ctx := ctxAs(t, w.e1.tok)
	for _, code := range []string{"AZ-P1", "AZ-P2"} {
		if _, err := w.rnd.FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: w.rndBook, Code: code, Name: "project " + code, Start: day(-30)}); err != nil {
			t.Fatalf("FileRndProject %s: %v", code, err)
		}
	}
	u, err := w.rnd.FileRndUse(ctx, &customsv1.FileRndUseRequest{InnerNo: "AZ-RND-1", BookNo: w.rndBook, Project: "AZ-P1",
		Materials: []*customsv1.RndMaterial{{BookSeq: linePE, Quantity: "2"}}})
	if err != nil {
		t.Fatalf("FileRndUse: %v", err)
	}
	w.rndUse = u.GetUse().GetUseNo()
}

// setUpProcessing files version 1 of E1's notebook line, consuming PE, and
// a production report that used it.
func (w *customsAuthWorld) setUpProcessing(t *testing.T, s *Server) {
	t.Helper()
	w.proc = customsv1.NewProcessingServiceClient(s.Conn())
	ctx := ctxAs(t, w.e1.tok)
	if _, err := w.proc.PutVersion(ctx, &customsv1.PutVersionRequest{BookNo: w.book, FinishedSeq: lineNotebook, Version: "1", EffectiveDate: day(-30),
		Norms: []*customsv1.Norm{{MaterialSeq: linePE, Net: "0.95", LossPercent: "5"}}}); err != nil {
		t.Fatalf("PutVersion: %v", err)
	}
	r, err := w.proc.FileProductionReport(ctx, &customsv1.FileProductionReportRequest{InnerNo: "AZ-PROD-1", BookNo: w.book,
		Outputs: []*customsv1.ProductionOutput{{BookSeq: lineNotebook, Quantity: "2"}}})
	if err != nil {
		t.Fatalf("FileProductionReport: %v", err)
	}
	w.procReport = r.GetReport().GetReportNo()
	for _, inner := range []string{"AZ-XH-1", "AZ-XH-2"} {
		d, err := w.proc.RequestDestruction(ctx, &customsv1.RequestDestructionRequest{InnerNo: inner, BookNo: w.book, Reason: "defects",
			Lines: []*customsv1.DestroyLine{{BookSeq: lineNotebook, Quantity: "1"}}})
		if err != nil {
			t.Fatalf("RequestDestruction: %v", err)
		}
		if inner == "AZ-XH-1" {
			w.procDestroyApprove = d.GetDestruction().GetDestructionNo()
		} else {
			w.procDestroyReject = d.GetDestruction().GetDestructionNo()
		}
	}
	w.setUpEntrusted(t)
}

// setUpEntrusted files a 委托加工 entrustment of E1's book for E3 (a
// domestic firm here), receives its PE under a gate registration, makes
// notebooks of it, and leaves a gate registration in and one out unused.
func (w *customsAuthWorld) setUpEntrusted(t *testing.T) {
	t.Helper()
	ctx := ctxAs(t, w.e1.tok)
	e, err := w.proc.FileEntrustment(ctx, &customsv1.FileEntrustmentRequest{InnerNo: "AZ-WT-1", BookNo: w.book, Client: w.e3.uscc, ClientName: "domestic firm"})
	if err != nil {
		t.Fatalf("FileEntrustment: %v", err)
	}
	w.entrustment = e.GetEntrustment().GetEntrustmentNo()
	first := w.gateRegistration(t, "I", "AZ-GR-1")
	m, err := w.proc.ReceiveEntrusted(ctx, &customsv1.ReceiveEntrustedRequest{InnerNo: "AZ-WR-1", EntrustmentNo: w.entrustment, Reference: first,
		Lines: []*customsv1.EntrustedLine{{BookSeq: linePE, Quantity: "10"}}})
	if err != nil {
		t.Fatalf("ReceiveEntrusted: %v", err)
	}
	w.entrustedMove = m.GetMove().GetMoveNo()
	if _, err := w.proc.FileProductionReport(ctx, &customsv1.FileProductionReportRequest{InnerNo: "AZ-PROD-WT", BookNo: w.book, EntrustmentNo: w.entrustment,
		Outputs: []*customsv1.ProductionOutput{{BookSeq: lineNotebook, Quantity: "2"}}}); err != nil {
		t.Fatalf("FileProductionReport for the entrustment: %v", err)
	}
	w.gateRegIn = w.gateRegistration(t, "I", "AZ-GR-2")
	w.gateRegOut = w.gateRegistration(t, "E", "AZ-GR-3")
}

// gateRegistration files a gate registration (核放单 type 5) of E1's book
// and lets it pass in direction io.
func (w *customsAuthWorld) gateRegistration(t *testing.T, io, inner string) string {
	t.Helper()
	g := w.z.gate
	p, err := g.CreatePass(ctxAs(t, w.e1.tok), &customsv1.CreatePassRequest{InnerNo: inner, BookNo: w.book, PassType: "5", Io: io, Vehicle: "沪R20001",
		VehicleWeight: "10000", GrossWeight: "100", NetWeight: "90", Lines: []*customsv1.PassLine{{Description: "domestic firm's goods", Quantity: "1", Unit: "035"}}})
	if err != nil {
		t.Fatalf("CreatePass (gate registration): %v", err)
	}
	if _, err := g.RecordGateEvent(ctxAs(t, w.z.customs), &customsv1.RecordGateEventRequest{PassNo: p.GetPass().GetPassNo(), EventId: inner + "-ev",
		Vehicle: "沪R20001", ScaleGross: "10100"}); err != nil {
		t.Fatalf("RecordGateEvent (gate registration): %v", err)
	}
	return p.GetPass().GetPassNo()
}

// setUpDisplay files E1's type-C form, puts goods out on display and sells
// one, so that the form has tax assessed and not paid.
func (w *customsAuthWorld) setUpDisplay(t *testing.T, s *Server) {
	t.Helper()
	e1 := w.e1
	w.display = customsv1.NewDisplayServiceClient(s.Conn())
	fr, err := w.z.decl.CreateForm(ctxAs(t, e1.tok), &customsv1.CreateFormRequest{InnerNo: "AZ-FORM-C", BookNo: w.book, FormType: "C",
		ValidFrom: day(-1), ValidUntil: day(60), Guarantee: "100000"})
	if err != nil {
		t.Fatalf("CreateForm (type C): %v", err)
	}
	w.displayForm = fr.GetForm().GetFormNo()
	for _, m := range []*customsv1.MoveDisplayRequest{
		{InnerNo: "AZ-DO-1", ApplyNo: w.displayForm, Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
			Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "5"}}},
		{InnerNo: "AZ-DS-1", ApplyNo: w.displayForm, Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
			Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1", Value: "5000.00"}}},
	} {
		if _, err := w.display.MoveDisplay(ctxAs(t, e1.tok), m); err != nil {
			t.Fatalf("MoveDisplay %s: %v", m.GetInnerNo(), err)
		}
	}
	st, err := w.display.GetDisplayStatus(ctxAs(t, e1.tok), &customsv1.GetDisplayStatusRequest{ApplyNo: w.displayForm})
	if err != nil || !dec(t, st.GetTaxAssessed()).IsPositive() || st.GetTaxPaid() != "0.00" || len(st.GetOnDisplay()) != 1 {
		t.Fatalf("display status of %s after the setup: %v, %v", w.displayForm, st, err)
	}
}

// setUpEcommerce registers E1's channel from E2's warehouse book with stock
// and submits the documents of E1's orders: two released (one of them with
// its return applied for), four pending with one or two documents still to
// come (or to be cancelled).
func (w *customsAuthWorld) setUpEcommerce(t *testing.T, s *Server) {
	t.Helper()
	z := w.z
	w.ecomDate = time.Now().In(zoneLoc).Format("2006-01-02")
	w.ecomBook = z.tBook(t, w.e2)
	if _, err := z.books.MapPartNumbers(ctxAs(t, w.e2.tok), &customsv1.MapPartNumbersRequest{BookNo: w.ecomBook, Parts: map[string]int32{skuNotebook: lineNotebook}}); err != nil {
		t.Fatalf("MapPartNumbers: %v", err)
	}
	z.stockIn(t, w.e2, w.ecomBook, lineNotebook, "20", "60000")
	e := &ecomEnv{zoneEnv: z, ecom: customsv1.NewEcommerceServiceClient(s.Conn()), tax: customsv1.NewTaxServiceClient(s.Conn()),
		wh: w.e2, ebc: w.e1, book: w.ecomBook, platform: w.e1.tok, date: w.ecomDate}
	w.ecom = e
	if _, err := e.ecom.RegisterChannel(ctxAs(t, z.customs), &customsv1.RegisterChannelRequest{Enterprise: w.e1.uscc, Name: "Authz One shop",
		Platform: "TMALL", BookNo: w.ecomBook, Guarantor: w.e1.uscc}); err != nil {
		t.Fatalf("RegisterChannel: %v", err)
	}
	submit := func(docs ...any) {
		t.Helper()
		for _, d := range docs {
			if _, err := e.submit(t, w.e1.tok, d); err != nil {
				t.Fatalf("%T: %v", d, err)
			}
		}
	}
	released := func(no string) string {
		t.Helper()
		o := e.getOrder(t, z.customs, no)
		if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED || o.GetListNo() == "" {
			t.Fatalf("order %s after its three documents: %v", no, o)
		}
		return o.GetListNo()
	}
	rel := e.order(t, ecomOrderReleased, "0101", "1", "3000")
	submit(rel.order, rel.payment, rel.waybill)
	w.ecomListReleased = released(ecomOrderReleased)
	if l, err := e.ecom.GetInventoryList(ctxAs(t, z.customs), &customsv1.GetInventoryListRequest{ListNo: w.ecomListReleased}); err != nil {
		t.Fatalf("GetInventoryList: %v", err)
	} else {
		w.ecomListTax = l.GetList().GetTax()
	}
	ret := e.order(t, ecomOrderReturning, "0102", "1", "3000")
	submit(ret.order, ret.payment, ret.waybill)
	w.ecomListReturning = released(ecomOrderReturning)
	if _, err := e.ecom.RequestReturn(ctxAs(t, w.e1.tok), &customsv1.RequestReturnRequest{ListNo: w.ecomListReturning}); err != nil {
		t.Fatalf("RequestReturn: %v", err)
	}
	pay := e.order(t, ecomOrderPay, "0103", "1", "3000")
	submit(pay.order)
	w.ecomPayment = pay.payment
	wb := e.order(t, ecomOrderWaybill, "0104", "1", "3000")
	submit(wb.order)
	w.ecomWaybill = wb.waybill
	batch := e.order(t, ecomOrderBatch, "0105", "1", "3000")
	submit(batch.order)
	w.ecomBatch = []*customsv1.EcommerceDocument{{Document: &customsv1.EcommerceDocument_Payment{Payment: batch.payment}},
		{Document: &customsv1.EcommerceDocument_Waybill{Waybill: batch.waybill}}}
	msgs := e.order(t, ecomOrderMessages, "0108", "1", "3000")
	submit(msgs.order)
	w.ecomMessages = [][]byte{paymentMessage(t, msgs), waybillMessage(t, msgs)}
	cancel := e.order(t, ecomOrderCancel, "0106", "1", "3000")
	submit(cancel.order)
	w.ecomOrderToCancel = ecomOrderCancel
	w.ecomNewOrder = e.order(t, ecomOrderNew, "0107", "1", "3000").order
	w.ecomOrders = []string{ecomOrderReleased, ecomOrderReturning, ecomOrderPay, ecomOrderWaybill, ecomOrderBatch, ecomOrderCancel, ecomOrderNew, ecomOrderMessages}
}

const (
	bookSvc = "/zoneledger.customs.v1.BookService/"
	declSvc = "/zoneledger.customs.v1.DeclarationService/"
	gateSvc = "/zoneledger.customs.v1.GateService/"
	taxSvc  = "/zoneledger.customs.v1.TaxService/"
	dispSvc = "/zoneledger.customs.v1.DisplayService/"
	ecomSvc = "/zoneledger.customs.v1.EcommerceService/"
	procSvc = "/zoneledger.customs.v1.ProcessingService/"
	rndSvc  = "/zoneledger.customs.v1.RndService/"
)

func isCustoms(method string) bool { return strings.HasPrefix(method, "/zoneledger.customs.v1.") }

// customsOnly are the customs methods only customs may call (and, for
// RegisterEnterprise and RegisterChannel, the admin).
var customsOnly = map[string]bool{
	bookSvc + "RegisterEnterprise":     true,
	bookSvc + "SetEnterpriseSuspended": true,
	bookSvc + "SetBookStatus":          true,
	declSvc + "ApproveList":            true,
	declSvc + "ReturnList":             true,
	gateSvc + "RecordGateEvent":        true,
	gateSvc + "ReleaseHold":            true,
	gateSvc + "RejectHold":             true,
	dispSvc + "PayDisplayTax":          true,
	ecomSvc + "RegisterChannel":        true,
	ecomSvc + "RecordTaxPayment":       true,
	ecomSvc + "ImportReceipts":         true,
	procSvc + "ApproveDestruction":     true,
	procSvc + "RejectDestruction":      true,
	bookSvc + "SetGeneralTaxpayer":     true,
	gateSvc + "ImportPassReceipts":     true,
}

// customsFilesNot are the customs methods that file for an enterprise,
// which customs (who reads everything) may not do.
var customsFilesNot = map[string]bool{
	dispSvc + "MoveDisplay":          true,
	ecomSvc + "SubmitOrder":          true,
	ecomSvc + "SubmitPayment":        true,
	ecomSvc + "SubmitWaybill":        true,
	ecomSvc + "SubmitDocuments":      true,
	ecomSvc + "SubmitMessages":       true,
	ecomSvc + "CancelOrder":          true,
	ecomSvc + "RequestReturn":        true,
	ecomSvc + "ReceiveReturn":        true,
	procSvc + "PutVersion":           true,
	procSvc + "DeclareVersion":       true,
	procSvc + "FileProductionReport": true,
	procSvc + "RequestDestruction":   true,
	procSvc + "FileEntrustment":      true,
	procSvc + "ReceiveEntrusted":     true,
	procSvc + "ReturnEntrusted":      true,
	rndSvc + "FileRndProject":        true,
	rndSvc + "CloseRndProject":       true,
	rndSvc + "FileRndUse":            true,
}

// customsAdminMay are the customs methods the admin may call: it registers
// and reads enterprises and e-commerce channels.
var customsAdminMay = map[string]bool{
	bookSvc + "RegisterEnterprise": true,
	bookSvc + "GetEnterprise":      true,
	ecomSvc + "RegisterChannel":    true,
	ecomSvc + "GetChannel":         true,
	gateSvc + "ImportPassReceipts": true,
	ecomSvc + "ImportReceipts":     true,
}

// customsNotScoped are the customs methods that name no enterprise's data:
// any authenticated caller may call them (ListEnterprises shows each caller
// what it may see).
var customsNotScoped = map[string]bool{
	bookSvc + "ListEnterprises": true,
	taxSvc + "Quote":            true,
	ecomSvc + "GetPositiveList": true,
}

// customsByNumber are the customs methods whose request names E1's book or
// document by its number (not E1 itself): a caller who may not read E1's
// documents is answered NotFound, exactly as for a number that does not
// exist, so it learns neither that the book or document exists nor whose
// it is.
var customsByNumber = map[string]bool{
	bookSvc + "GetBook":               true,
	bookSvc + "SetLastWriteOffDate":   true,
	bookSvc + "AddBookLines":          true,
	bookSvc + "MapPartNumbers":        true,
	bookSvc + "ListBookLines":         true,
	bookSvc + "GetStockReport":        true,
	declSvc + "CreateList":            true,
	declSvc + "DeclareList":           true,
	declSvc + "DeleteList":            true,
	declSvc + "ClearList":             true,
	declSvc + "GetList":               true,
	declSvc + "ListLists":             true,
	declSvc + "CreateForm":            true,
	declSvc + "GetForm":               true,
	declSvc + "CreateSlip":            true,
	declSvc + "GetSlip":               true,
	declSvc + "ListPendingTrips":      true,
	declSvc + "ReportConsumption":     true,
	declSvc + "RequestCertificate":    true,
	declSvc + "ListTaxableEvents":     true,
	gateSvc + "CreatePass":            true,
	gateSvc + "DeletePass":            true,
	gateSvc + "GetPass":               true,
	gateSvc + "ListPasses":            true,
	gateSvc + "ExportPassMessage":     true,
	dispSvc + "MoveDisplay":           true,
	dispSvc + "GetDisplayStatus":      true,
	dispSvc + "ListOverdueDisplays":   true,
	ecomSvc + "GetOrder":              true,
	ecomSvc + "CancelOrder":           true,
	ecomSvc + "GetInventoryList":      true,
	ecomSvc + "GetInventoryMessage":   true,
	ecomSvc + "RequestReturn":         true,
	ecomSvc + "ReceiveReturn":         true,
	procSvc + "PutVersion":            true,
	procSvc + "DeclareVersion":        true,
	procSvc + "GetVersion":            true,
	procSvc + "ListVersions":          true,
	procSvc + "FileProductionReport":  true,
	procSvc + "GetProductionReport":   true,
	procSvc + "ListProductionReports": true,
	procSvc + "RequestDestruction":    true,
	procSvc + "GetDestruction":        true,
	procSvc + "FileEntrustment":       true,
	procSvc + "GetEntrustment":        true,
	procSvc + "ReceiveEntrusted":      true,
	procSvc + "ReturnEntrusted":       true,
	procSvc + "GetEntrustedMove":      true,
	rndSvc + "FileRndProject":         true,
	rndSvc + "CloseRndProject":        true,
	rndSvc + "GetRndProject":          true,
	rndSvc + "FileRndUse":             true,
	rndSvc + "GetRndUse":              true,
}

// customsAllowedToken is the token of a caller who may make the method's
// request of customsMethodCases.
func customsAllowedToken(w *authWorld, method string) string {
	if customsOnly[method] {
		return w.a.C
	}
	if method == ecomSvc+"ReceiveReturn" {
		// E2 keeps the warehouse book: it confirms the returned goods arrived.
		return w.z.e2.tok
	}
	return w.z.e1.tok
}

// customsMethodCases has one case per RPC of the customs services. Every
// request is valid and aims at E1's zone documents, so that a caller who
// may not make it can only be refused for that reason.
func customsMethodCases() map[string]methodCase {
	b := func(w *authWorld) customsv1.BookServiceClient { return w.z.z.books }
	d := func(w *authWorld) customsv1.DeclarationServiceClient { return w.z.z.decl }
	g := func(w *authWorld) customsv1.GateServiceClient { return w.z.z.gate }
	ds := func(w *authWorld) customsv1.DisplayServiceClient { return w.z.display }
	ec := func(w *authWorld) customsv1.EcommerceServiceClient { return w.z.ecom.ecom }
	pr := func(w *authWorld) customsv1.ProcessingServiceClient { return w.z.proc }
	rd := func(w *authWorld) customsv1.RndServiceClient { return w.z.rnd }
	return map[string]methodCase{
		rndSvc + "FileRndProject": func(ctx context.Context, w *authWorld) error {
			_, err := rd(w).FileRndProject(ctx, &customsv1.FileRndProjectRequest{BookNo: w.z.rndBook, Code: "AZ-PNEW", Name: "new project"})
			return err
		},
		rndSvc + "CloseRndProject": func(ctx context.Context, w *authWorld) error {
			_, err := rd(w).CloseRndProject(ctx, &customsv1.CloseRndProjectRequest{BookNo: w.z.rndBook, Code: "AZ-P2"})
			return err
		},
		rndSvc + "GetRndProject": func(ctx context.Context, w *authWorld) error {
			_, err := rd(w).GetRndProject(ctx, &customsv1.GetRndProjectRequest{BookNo: w.z.rndBook, Code: "AZ-P1"})
			return err
		},
		rndSvc + "FileRndUse": func(ctx context.Context, w *authWorld) error {
			_, err := rd(w).FileRndUse(ctx, &customsv1.FileRndUseRequest{InnerNo: "AZ-RND-NEW", BookNo: w.z.rndBook, Project: "AZ-P1",
				Materials: []*customsv1.RndMaterial{{BookSeq: linePE, Quantity: "1"}}, Outputs: []*customsv1.RndOutput{{BookSeq: lineNotebook, Quantity: "1", Kind: customsv1.RndOutputKind_RND_OUTPUT_KIND_PROTOTYPE}}})
			return err
		},
		rndSvc + "GetRndUse": func(ctx context.Context, w *authWorld) error {
			_, err := rd(w).GetRndUse(ctx, &customsv1.GetRndUseRequest{UseNo: w.z.rndUse})
			return err
		},
		procSvc + "PutVersion": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).PutVersion(ctx, &customsv1.PutVersionRequest{BookNo: w.z.book, FinishedSeq: lineNotebook, Version: "2", EffectiveDate: day(1),
				Norms: []*customsv1.Norm{{MaterialSeq: linePE, Net: "2", LossPercent: "20"}}})
			return err
		},
		procSvc + "DeclareVersion": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).DeclareVersion(ctx, &customsv1.DeclareVersionRequest{BookNo: w.z.book, FinishedSeq: lineNotebook, Version: "1"})
			return err
		},
		procSvc + "GetVersion": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).GetVersion(ctx, &customsv1.GetVersionRequest{BookNo: w.z.book, FinishedSeq: lineNotebook, Version: "1"})
			return err
		},
		procSvc + "ListVersions": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).ListVersions(ctx, &customsv1.ListVersionsRequest{BookNo: w.z.book})
			return err
		},
		procSvc + "FileProductionReport": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).FileProductionReport(ctx, &customsv1.FileProductionReportRequest{InnerNo: "AZ-PROD-NEW", BookNo: w.z.book,
				Outputs: []*customsv1.ProductionOutput{{BookSeq: lineNotebook, Quantity: "1"}}})
			return err
		},
		procSvc + "GetProductionReport": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).GetProductionReport(ctx, &customsv1.GetProductionReportRequest{ReportNo: w.z.procReport})
			return err
		},
		procSvc + "RequestDestruction": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).RequestDestruction(ctx, &customsv1.RequestDestructionRequest{InnerNo: "AZ-XH-NEW", BookNo: w.z.book, Reason: "scrap",
				Lines: []*customsv1.DestroyLine{{BookSeq: linePE, Quantity: "1"}}})
			return err
		},
		procSvc + "ApproveDestruction": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).ApproveDestruction(ctx, &customsv1.ApproveDestructionRequest{DestructionNo: w.z.procDestroyApprove})
			return err
		},
		procSvc + "RejectDestruction": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).RejectDestruction(ctx, &customsv1.RejectDestructionRequest{DestructionNo: w.z.procDestroyReject})
			return err
		},
		procSvc + "GetDestruction": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).GetDestruction(ctx, &customsv1.GetDestructionRequest{DestructionNo: w.z.procDestroyApprove})
			return err
		},
		procSvc + "FileEntrustment": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).FileEntrustment(ctx, &customsv1.FileEntrustmentRequest{InnerNo: "AZ-WT-NEW", BookNo: w.z.book, Client: w.z.e3.uscc, ClientName: "domestic firm"})
			return err
		},
		procSvc + "GetEntrustment": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).GetEntrustment(ctx, &customsv1.GetEntrustmentRequest{EntrustmentNo: w.z.entrustment})
			return err
		},
		procSvc + "ReceiveEntrusted": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).ReceiveEntrusted(ctx, &customsv1.ReceiveEntrustedRequest{InnerNo: "AZ-WR-NEW", EntrustmentNo: w.z.entrustment, Reference: w.z.gateRegIn,
				Lines: []*customsv1.EntrustedLine{{BookSeq: linePE, Quantity: "1"}}})
			return err
		},
		procSvc + "ReturnEntrusted": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).ReturnEntrusted(ctx, &customsv1.ReturnEntrustedRequest{InnerNo: "AZ-WF-NEW", EntrustmentNo: w.z.entrustment, Reference: w.z.gateRegOut,
				Lines: []*customsv1.EntrustedLine{{BookSeq: lineNotebook, Quantity: "1", Value: "100"}}})
			return err
		},
		procSvc + "GetEntrustedMove": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).GetEntrustedMove(ctx, &customsv1.GetEntrustedMoveRequest{MoveNo: w.z.entrustedMove})
			return err
		},
		bookSvc + "SetGeneralTaxpayer": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).SetGeneralTaxpayer(ctx, &customsv1.SetGeneralTaxpayerRequest{BookNo: w.z.book, GeneralTaxpayer: true})
			return err
		},
		procSvc + "ListProductionReports": func(ctx context.Context, w *authWorld) error {
			_, err := pr(w).ListProductionReports(ctx, &customsv1.ListProductionReportsRequest{BookNo: w.z.book})
			return err
		},
		bookSvc + "RegisterEnterprise": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).RegisterEnterprise(ctx, &customsv1.RegisterEnterpriseRequest{Uscc: w.z.newUSCC, CustomsCode: "310599999Z", Name: "Intruder Ltd"})
			return err
		},
		bookSvc + "SetEnterpriseSuspended": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).SetEnterpriseSuspended(ctx, &customsv1.SetEnterpriseSuspendedRequest{Uscc: w.z.e3.uscc, Suspended: true})
			return err
		},
		bookSvc + "GetEnterprise": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).GetEnterprise(ctx, &customsv1.GetEnterpriseRequest{Uscc: w.z.e1.uscc})
			return err
		},
		bookSvc + "ListEnterprises": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).ListEnterprises(ctx, &customsv1.ListEnterprisesRequest{})
			return err
		},
		bookSvc + "CreateBook": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).CreateBook(ctx, &customsv1.CreateBookRequest{BookNo: w.z.newBook, Kind: customsv1.BookKind_BOOK_KIND_ZONE, Enterprise: w.z.e1.uscc, CustomsOffice: "3105"})
			return err
		},
		bookSvc + "SetBookStatus": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).SetBookStatus(ctx, &customsv1.SetBookStatusRequest{BookNo: w.z.spare, Status: customsv1.BookStatus_BOOK_STATUS_SUSPENDED})
			return err
		},
		bookSvc + "SetLastWriteOffDate": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).SetLastWriteOffDate(ctx, &customsv1.SetLastWriteOffDateRequest{BookNo: w.z.book, Date: "2020-01-01"})
			return err
		},
		bookSvc + "GetBook": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).GetBook(ctx, &customsv1.GetBookRequest{BookNo: w.z.book})
			return err
		},
		bookSvc + "ListBooks": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).ListBooks(ctx, &customsv1.ListBooksRequest{Enterprise: w.z.e1.uscc})
			return err
		},
		bookSvc + "AddBookLines": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).AddBookLines(ctx, &customsv1.AddBookLinesRequest{BookNo: w.z.book, Lines: []*customsv1.BookLine{{Seq: 9, HsCode: "8516500000",
				Name: "microwave oven", DeclaredUnit: "001", Legal: &customsv1.LegalUnit{Unit: "001", Factor: "1"}}}})
			return err
		},
		bookSvc + "MapPartNumbers": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).MapPartNumbers(ctx, &customsv1.MapPartNumbersRequest{BookNo: w.z.book, Parts: map[string]int32{"AZ-PART": lineNotebook}})
			return err
		},
		bookSvc + "ListBookLines": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).ListBookLines(ctx, &customsv1.ListBookLinesRequest{BookNo: w.z.book})
			return err
		},
		bookSvc + "GetStockReport": func(ctx context.Context, w *authWorld) error {
			_, err := b(w).GetStockReport(ctx, &customsv1.GetStockReportRequest{BookNo: w.z.book})
			return err
		},

		declSvc + "CreateList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).CreateList(ctx, entryReq(w.z.book, "AZ-NEW", lineNotebook, "1", "5000"))
			return err
		},
		declSvc + "DeclareList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).DeclareList(ctx, &customsv1.DeclareListRequest{ListNo: w.z.draftToDeclare})
			return err
		},
		declSvc + "ApproveList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ApproveList(ctx, &customsv1.ApproveListRequest{ListNo: w.z.declared, Note: "ok"})
			return err
		},
		declSvc + "ReturnList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ReturnList(ctx, &customsv1.ReturnListRequest{ListNo: w.z.declaredToReturn, Note: "HS code does not match the goods"})
			return err
		},
		declSvc + "DeleteList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).DeleteList(ctx, &customsv1.DeleteListRequest{ListNo: w.z.draftToDelete})
			return err
		},
		declSvc + "ClearList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ClearList(ctx, &customsv1.ClearListRequest{ListNo: w.z.approvedSwitch, DeclarationNo: "310520261000000009"})
			return err
		},
		declSvc + "GetList": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).GetList(ctx, &customsv1.GetListRequest{ListNo: w.z.declared})
			return err
		},
		declSvc + "ListLists": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ListLists(ctx, &customsv1.ListListsRequest{BookNo: w.z.book})
			return err
		},
		declSvc + "CreateForm": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).CreateForm(ctx, &customsv1.CreateFormRequest{InnerNo: "AZ-FORM-NEW", BookNo: w.z.book, FormType: "A", ValidFrom: day(-1), ValidUntil: day(30)})
			return err
		},
		declSvc + "GetForm": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).GetForm(ctx, &customsv1.GetFormRequest{FormNo: w.z.form})
			return err
		},
		declSvc + "CreateSlip": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).CreateSlip(ctx, &customsv1.CreateSlipRequest{InnerNo: "AZ-SLIP-NEW", BookNo: w.z.book, ApplyNo: w.z.form, Io: "E",
				Lines: []*customsv1.SlipLine{{BookSeq: lineNotebook, Quantity: "1"}}})
			return err
		},
		declSvc + "GetSlip": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).GetSlip(ctx, &customsv1.GetSlipRequest{SlipNo: w.z.slip})
			return err
		},
		declSvc + "ListPendingTrips": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ListPendingTrips(ctx, &customsv1.ListPendingTripsRequest{BookNo: w.z.book})
			return err
		},
		declSvc + "ReportConsumption": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ReportConsumption(ctx, &customsv1.ReportConsumptionRequest{InnerNo: "AZ-CONS", BookNo: w.z.book, Purpose: "研发耗用",
				Consumed: []*customsv1.ConsumedLine{{BookSeq: linePE, Quantity: "1"}}})
			return err
		},
		declSvc + "RequestCertificate": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).RequestCertificate(ctx, &customsv1.RequestCertificateRequest{ListNo: w.z.clearedExit})
			return err
		},
		declSvc + "ListTaxableEvents": func(ctx context.Context, w *authWorld) error {
			_, err := d(w).ListTaxableEvents(ctx, &customsv1.ListTaxableEventsRequest{BookNo: w.z.book})
			return err
		},

		gateSvc + "CreatePass": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).CreatePass(ctx, &customsv1.CreatePassRequest{InnerNo: "AZ-PASS-NEW", BookNo: w.z.book, PassType: "6", Io: "I", Vehicle: "沪N00001"})
			return err
		},
		gateSvc + "DeletePass": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).DeletePass(ctx, &customsv1.DeletePassRequest{PassNo: w.z.passToDelete})
			return err
		},
		gateSvc + "RecordGateEvent": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).RecordGateEvent(ctx, &customsv1.RecordGateEventRequest{PassNo: w.z.passApplied, EventId: "az-ev", Vehicle: "沪EAZ-PA", ScaleGross: "8000"})
			return err
		},
		gateSvc + "ReleaseHold": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).ReleaseHold(ctx, &customsv1.ReleaseHoldRequest{PassNo: w.z.heldToRelease, Note: "inspected"})
			return err
		},
		gateSvc + "RejectHold": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).RejectHold(ctx, &customsv1.RejectHoldRequest{PassNo: w.z.heldToReject, Note: "turned back"})
			return err
		},
		gateSvc + "GetPass": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).GetPass(ctx, &customsv1.GetPassRequest{PassNo: w.z.passApplied})
			return err
		},
		gateSvc + "ListPasses": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).ListPasses(ctx, &customsv1.ListPassesRequest{BookNo: w.z.book})
			return err
		},
		gateSvc + "ExportPassMessage": func(ctx context.Context, w *authWorld) error {
			_, err := g(w).ExportPassMessage(ctx, &customsv1.ExportPassMessageRequest{PassNo: w.z.passApplied})
			return err
		},
		gateSvc + "ImportPassReceipts": func(ctx context.Context, w *authWorld) error {
			// A well-formed approval of E1's pass passApplied: only customs and the
			// admin may import it.
			inner := "AZ-PA" // w.z.passApplied
			_, err := g(w).ImportPassReceipts(ctx, &customsv1.ImportPassReceiptsRequest{Messages: [][]byte{[]byte(`<?xml version="1.0" encoding="utf-8"?>
<Package><EnvelopInfo><version>1.0</version><message_id>AZ-SAS221</message_id><message_type>SAS221</message_type><sender_id>CUS0000</sender_id><receiver_id>E010000</receiver_id></EnvelopInfo>
<DataInfo><BussinessData><SAS221><HdeApprResult><etpsPreentNo>` + inner + `</etpsPreentNo><businessId>Z3105I260101000000000099</businessId><manageResult>1</manageResult></HdeApprResult>
<SasPassportBsc><areainEtpsSccd>` + w.z.e1.uscc + `</areainEtpsSccd></SasPassportBsc></SAS221></BussinessData></DataInfo></Package>`)}})
			return err
		},

		taxSvc + "Quote": func(ctx context.Context, w *authWorld) error {
			_, err := customsv1.NewTaxServiceClient(w.s.Conn()).Quote(ctx, &customsv1.QuoteRequest{Regime: customsv1.Regime_REGIME_GENERAL_TRADE, Date: "2024-03-01",
				Lines: []*customsv1.QuoteLine{{DutiableValue: "1000.00", Quantity: "1", DutyRate: "0.10", VatRate: "0.13"}}})
			return err
		},

		dispSvc + "MoveDisplay": func(ctx context.Context, w *authWorld) error {
			_, err := ds(w).MoveDisplay(ctx, &customsv1.MoveDisplayRequest{InnerNo: "AZ-DO-NEW", ApplyNo: w.z.displayForm, Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
				Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
			return err
		},
		dispSvc + "PayDisplayTax": func(ctx context.Context, w *authWorld) error {
			_, err := ds(w).PayDisplayTax(ctx, &customsv1.PayDisplayTaxRequest{ApplyNo: w.z.displayForm, Amount: "100.00", PaymentNo: "AZ-PAY-1"})
			return err
		},
		dispSvc + "GetDisplayStatus": func(ctx context.Context, w *authWorld) error {
			_, err := ds(w).GetDisplayStatus(ctx, &customsv1.GetDisplayStatusRequest{ApplyNo: w.z.displayForm})
			return err
		},
		dispSvc + "ListOverdueDisplays": func(ctx context.Context, w *authWorld) error {
			_, err := ds(w).ListOverdueDisplays(ctx, &customsv1.ListOverdueDisplaysRequest{BookNo: w.z.book})
			return err
		},

		ecomSvc + "RegisterChannel": func(ctx context.Context, w *authWorld) error {
			// A channel for an enterprise that has none: customs-only, so
			// any target shows the refusal, and the snapshot sees a new one.
			_, err := ec(w).RegisterChannel(ctx, &customsv1.RegisterChannelRequest{Enterprise: w.z.newUSCC, Name: "Intruder shop", Platform: "EVIL",
				BookNo: w.z.ecomBook, Guarantor: w.z.newUSCC})
			return err
		},
		ecomSvc + "GetChannel": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetChannel(ctx, &customsv1.GetChannelRequest{Enterprise: w.z.e1.uscc})
			return err
		},
		ecomSvc + "SubmitOrder": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).SubmitOrder(ctx, w.z.ecomNewOrder)
			return err
		},
		ecomSvc + "SubmitPayment": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).SubmitPayment(ctx, w.z.ecomPayment)
			return err
		},
		ecomSvc + "SubmitWaybill": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).SubmitWaybill(ctx, w.z.ecomWaybill)
			return err
		},
		ecomSvc + "SubmitDocuments": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).SubmitDocuments(ctx, &customsv1.SubmitDocumentsRequest{Documents: w.z.ecomBatch})
			return err
		},
		ecomSvc + "SubmitMessages": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).SubmitMessages(ctx, &customsv1.SubmitMessagesRequest{Enterprise: w.z.ecom.ebc.uscc, Messages: w.z.ecomMessages})
			return err
		},
		ecomSvc + "GetOrder": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetOrder(ctx, &customsv1.GetOrderRequest{OrderNo: ecomOrderReleased})
			return err
		},
		ecomSvc + "CancelOrder": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).CancelOrder(ctx, &customsv1.CancelOrderRequest{OrderNo: w.z.ecomOrderToCancel})
			return err
		},
		ecomSvc + "GetInventoryList": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetInventoryList(ctx, &customsv1.GetInventoryListRequest{ListNo: w.z.ecomListReleased})
			return err
		},
		ecomSvc + "RequestReturn": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).RequestReturn(ctx, &customsv1.RequestReturnRequest{ListNo: w.z.ecomListReleased})
			return err
		},
		ecomSvc + "ReceiveReturn": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).ReceiveReturn(ctx, &customsv1.ReceiveReturnRequest{ListNo: w.z.ecomListReturning})
			return err
		},
		ecomSvc + "GetPositiveList": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetPositiveList(ctx, &customsv1.GetPositiveListRequest{})
			return err
		},
		ecomSvc + "GetSettlement": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetSettlement(ctx, &customsv1.GetSettlementRequest{Guarantor: w.z.e1.uscc, FromDate: w.z.ecomDate, ToDate: w.z.ecomDate,
				Export: customsv1.SettlementExport_SETTLEMENT_EXPORT_CSV})
			return err
		},
		ecomSvc + "GetInventoryMessage": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).GetInventoryMessage(ctx, &customsv1.GetInventoryMessageRequest{ListNo: w.z.ecomListReleased})
			return err
		},
		ecomSvc + "ImportReceipts": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).ImportReceipts(ctx, &customsv1.ImportReceiptsRequest{Messages: [][]byte{customsReturnReceipt(w.z.ecomListReleased, "PLAT", w.z.e1.uscc)}})
			return err
		},
		ecomSvc + "RecordTaxPayment": func(ctx context.Context, w *authWorld) error {
			_, err := ec(w).RecordTaxPayment(ctx, &customsv1.RecordTaxPaymentRequest{PaymentNo: "AZ-ECOM-TAX-1", Amount: w.z.ecomListTax,
				PaidOn: w.z.ecomDate, ListNos: []string{w.z.ecomListReleased}})
			return err
		},
	}
}

// checkCustomsMethod runs the refusals of one customs method: E2 (another
// zone enterprise, and E1's e-commerce warehouse), the admin and an
// unlinked platform are denied E1's documents (E1's form, orders, lists,
// settlement); E1 itself is denied what only customs does (PayDisplayTax,
// RegisterChannel, ...); customs is denied filing for E1.
func checkCustomsMethod(t *testing.T, w *authWorld, m string, call func(m, tok string) error) {
	t.Helper()
	if customsNotScoped[m] {
		return
	}
	if m == ecomSvc+"ReceiveReturn" {
		// The warehouse (E2) confirms arrival; E1, the shop that asked for
		// the return and may read the list, may not.
		wantCode(t, call(m, w.z.e1.tok), codes.PermissionDenied, "E1 confirming its own return arrived")
		wantCode(t, call(m, w.a.P), codes.NotFound, "a platform not linked to E1")
	} else if customsByNumber[m] {
		for _, c := range []struct{ tok, who string }{{w.z.e2.tok, "another zone enterprise on E1's documents"}, {w.a.P, "a platform not linked to E1"}} {
			err := call(m, c.tok)
			wantCode(t, err, codes.NotFound, c.who)
			if err != nil && strings.Contains(err.Error(), w.z.e1.uscc) {
				t.Errorf("%s: %v names E1, the owner", c.who, err)
			}
		}
	} else {
		wantCode(t, call(m, w.z.e2.tok), codes.PermissionDenied, "another zone enterprise on E1's documents")
		wantCode(t, call(m, w.a.P), codes.PermissionDenied, "a platform not linked to E1")
	}
	if !customsAdminMay[m] {
		wantCode(t, call(m, w.a.Admin), codes.PermissionDenied, "the admin on E1's documents")
	}
	if customsOnly[m] {
		wantCode(t, call(m, w.z.e1.tok), codes.PermissionDenied, "E1 on a customs-only method")
	}
	if customsFilesNot[m] {
		wantCode(t, call(m, w.a.C), codes.PermissionDenied, "customs filing for E1")
	}
}

// customsSnapshot adds the zone's state to snap: enterprises, books, lines,
// stock, lists, passes, forms, slips, trips, taxable events, the zone
// books' ledger balances (by lot) and journals, the type-C form's display
// status, and the e-commerce channels, orders, inventory lists and
// settlement.
func customsSnapshot(t *testing.T, w *authWorld, snap snapshot) {
	t.Helper()
	cw, c := w.z, w.a.C
	z := cw.z
	put := func(k string, m proto.Message, err error) {
		if err != nil {
			t.Fatalf("snapshot %s: %v", k, err)
		}
		snap[k] = prototext.Format(m)
	}
	r1, err := z.books.ListEnterprises(ctxAs(t, w.a.Admin), &customsv1.ListEnterprisesRequest{PageSize: 1000})
	put("zone enterprises", r1, err)
	r2, err := z.books.ListBooks(ctxAs(t, c), &customsv1.ListBooksRequest{PageSize: 1000})
	put("zone books", r2, err)
	r3, err := z.decl.ListLists(ctxAs(t, c), &customsv1.ListListsRequest{PageSize: 1000})
	put("zone lists", r3, err)
	r4, err := z.gate.ListPasses(ctxAs(t, c), &customsv1.ListPassesRequest{PageSize: 1000})
	put("zone passes", r4, err)
	r5, err := z.decl.ListPendingTrips(ctxAs(t, c), &customsv1.ListPendingTripsRequest{})
	put("zone trips", r5, err)
	r6, err := z.decl.GetForm(ctxAs(t, c), &customsv1.GetFormRequest{FormNo: cw.form})
	put("zone form", r6, err)
	r7, err := z.decl.GetSlip(ctxAs(t, c), &customsv1.GetSlipRequest{SlipNo: cw.slip})
	put("zone slip", r7, err)
	for _, b := range r2.GetBooks() {
		no := b.GetBookNo()
		r8, err := z.books.ListBookLines(ctxAs(t, c), &customsv1.ListBookLinesRequest{BookNo: no})
		put(no+" lines", r8, err)
		r9, err := z.books.GetStockReport(ctxAs(t, c), &customsv1.GetStockReportRequest{BookNo: no})
		put(no+" stock", r9, err)
		r10, err := z.decl.ListTaxableEvents(ctxAs(t, c), &customsv1.ListTaxableEventsRequest{BookNo: no})
		put(no+" taxable events", r10, err)
		r11, err := w.s.Ledger().GetBalances(ctxAs(t, c), &ledgerv1.GetBalancesRequest{BookId: no, ByLot: true})
		put(no+" ledger balances", r11, err)
		var ids []string
		for _, j := range streamAll(t, w.s, c, no) {
			ids = append(ids, fmt.Sprintf("%d:%s:%d", j.GetJournalId(), j.GetIdempotencyKey(), j.GetReversedBy()))
		}
		snap[no+" journals"] = strings.Join(ids, ",")
	}
	if len(r2.GetBooks()) < 3 || len(r3.GetLists()) < 8 || len(r4.GetPasses()) < 5 {
		t.Fatalf("the zone snapshot sees %d books, %d lists, %d passes: too few to show anything", len(r2.GetBooks()), len(r3.GetLists()), len(r4.GetPasses()))
	}

	// Processing: E1's versions and production reports.
	rv, err := cw.proc.ListVersions(ctxAs(t, c), &customsv1.ListVersionsRequest{BookNo: cw.book})
	put("processing versions", rv, err)
	rr, err := cw.proc.ListProductionReports(ctxAs(t, c), &customsv1.ListProductionReportsRequest{BookNo: cw.book})
	put("production reports", rr, err)
	for _, no := range []string{cw.procDestroyApprove, cw.procDestroyReject} {
		r, err := cw.proc.GetDestruction(ctxAs(t, c), &customsv1.GetDestructionRequest{DestructionNo: no})
		put("destruction "+no, r, err)
	}
	re, err := cw.proc.GetEntrustment(ctxAs(t, c), &customsv1.GetEntrustmentRequest{EntrustmentNo: cw.entrustment})
	put("entrustment", re, err)
	// Two reports: the enterprise's own and one for its entrustment.
	if len(rv.GetVersions()) != 1 || len(rr.GetReports()) != 2 {
		t.Fatalf("the processing snapshot sees %d versions and %d reports of E1; want 1 and 2", len(rv.GetVersions()), len(rr.GetReports()))
	}
	// Bonded R&D: E1's projects with their totals, and the use.
	for _, code := range []string{"AZ-P1", "AZ-P2", "AZ-PNEW"} {
		r, err := cw.rnd.GetRndProject(ctxAs(t, c), &customsv1.GetRndProjectRequest{BookNo: cw.rndBook, Code: code})
		if code == "AZ-PNEW" && status.Code(err) == codes.NotFound {
			snap["rnd project "+code] = "not found"
			continue
		}
		put("rnd project "+code, r, err)
	}
	ru, err := cw.rnd.GetRndUse(ctxAs(t, c), &customsv1.GetRndUseRequest{UseNo: cw.rndUse})
	put("rnd use", ru, err)
	if ru.GetUse().GetProject() != "AZ-P1" {
		t.Fatalf("the R&D snapshot sees use %v", ru)
	}

	// Display trading: the type-C form's guarantee, tax and goods on display.
	r12, err := cw.display.GetDisplayStatus(ctxAs(t, c), &customsv1.GetDisplayStatusRequest{ApplyNo: cw.displayForm})
	put("display form", r12, err)
	writeoffCycleSnapshot(t, w, put)
	outZoneSnapshot(t, w, snap)
	// E-commerce: the channels, every order (or that it was never received),
	// the inventory lists and the settlement. (A pending order's payment or
	// waybill shows only once the order is released.)
	ec := cw.ecom.ecom
	orNot := func(k string, m proto.Message, err error) {
		if status.Code(err) == codes.NotFound {
			snap[k] = "not found"
			return
		}
		put(k, m, err)
	}
	for _, ent := range []string{cw.e1.uscc, cw.newUSCC} {
		r, err := ec.GetChannel(ctxAs(t, c), &customsv1.GetChannelRequest{Enterprise: ent})
		orNot("channel of "+ent, r, err)
	}
	for _, no := range cw.ecomOrders {
		r, err := ec.GetOrder(ctxAs(t, c), &customsv1.GetOrderRequest{OrderNo: no})
		orNot("order "+no, r, err)
	}
	for _, no := range []string{cw.ecomListReleased, cw.ecomListReturning} {
		r, err := ec.GetInventoryList(ctxAs(t, c), &customsv1.GetInventoryListRequest{ListNo: no})
		put("inventory list "+no, r, err)
	}
	r13, err := ec.GetSettlement(ctxAs(t, c), &customsv1.GetSettlementRequest{Guarantor: cw.e1.uscc, FromDate: cw.ecomDate, ToDate: cw.ecomDate})
	put("settlement", r13, err)
	if snap["channel of "+cw.e1.uscc] == "not found" || snap["order "+ecomOrderReleased] == "not found" || len(r13.GetSettlement().GetLines()) < 2 {
		t.Fatalf("the e-commerce snapshot sees no channel of E1, or not its orders (%s), or %d settled lists: too little to show anything",
			snap["order "+ecomOrderReleased], len(r13.GetSettlement().GetLines()))
	}
}

// TestCustomsAuthorizationRoles: who may do what in the zone, beyond the
// per-method matrix — an enterprise does not approve, return, record gate
// events or release its own holds, does not read another's documents and
// sees only its own in listings; customs reads everything, files nothing
// on an enterprise's book, and alone approves and releases; a platform acts
// for its linked enterprise only.
func TestCustomsAuthorizationRoles(t *testing.T) {
	z := newZoneEnv(t)
	e1 := z.enterprise(t, "Roles One")
	e2 := z.enterprise(t, "Roles Two")
	CreatePrincipal(t, z.s, &adminv1.CreatePrincipalRequest{PrincipalId: "zone-platform", Role: adminv1.Role_ROLE_PLATFORM, LinkedEnterpriseIds: []string{e1.uscc}})
	plat := z.a.Issue(t, z.s, "zone-platform")
	d, g, bk := z.decl, z.gate, z.books

	h1, h2 := z.hBook(t, e1), z.hBook(t, e2)
	z.stockIn(t, e1, h1, linePE, "1000", "16000")
	z.stockIn(t, e2, h2, linePE, "500", "8000")
	l1 := z.createList(t, e1.tok, &customsv1.CreateListRequest{InnerNo: "R-OUT", BookNo: h1, Io: "E", TradeMode: "5034",
		Lines: []*customsv1.ListLine{line(linePE, "100", "1600", "105", "100")}})
	z.declare(t, e1.tok, l1.GetListNo())
	l2 := z.createList(t, e2.tok, entryReq(h2, "R-IN", linePE, "1", "16"))
	p1 := z.listPass(t, e1, l1, "2", "R-P1", "沪R10001") // bound to a declared, unapproved list
	z.wantStock(t, h1, linePE, st{bonded: "1000", reserved: "100"})

	t.Run("an enterprise neither approves, returns, records gate events nor releases", func(t *testing.T) {
		before := z.bookState(t, h1)
		_, err := d.ApproveList(ctxAs(t, e1.tok), &customsv1.ApproveListRequest{ListNo: l1.GetListNo()})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 approving its own list")
		_, err = d.ReturnList(ctxAs(t, e1.tok), &customsv1.ReturnListRequest{ListNo: l1.GetListNo(), Note: "never mind"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 returning its own list")
		_, err = g.RecordGateEvent(ctxAs(t, e1.tok), &customsv1.RecordGateEventRequest{PassNo: p1.GetPassNo(), EventId: "self", Vehicle: "沪R10001", ScaleGross: "10105"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 recording a gate event on its own pass")
		_, err = bk.SetBookStatus(ctxAs(t, e1.tok), &customsv1.SetBookStatusRequest{BookNo: h1, Status: customsv1.BookStatus_BOOK_STATUS_CLOSED})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 closing its own book")
		_, err = bk.SetEnterpriseSuspended(ctxAs(t, e2.tok), &customsv1.SetEnterpriseSuspendedRequest{Uscc: e1.uscc, Suspended: true})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E2 suspending E1")
		_, err = bk.RegisterEnterprise(ctxAs(t, e1.tok), &customsv1.RegisterEnterpriseRequest{Uscc: testUSCC(t, nextZoneSeq()), CustomsCode: "3105ROLES1", Name: "Shell"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 registering an enterprise")
		z.wantBookState(t, h1, before, "refused approvals, returns and gate events")
		wantListStatus(t, z.getList(t, l1.GetListNo()), customsv1.ListStatus_LIST_STATUS_DECLARED)
		if b, err := bk.GetBook(ctxAs(t, e1.tok), &customsv1.GetBookRequest{BookNo: h1}); err != nil || b.GetBook().GetStatus() != customsv1.BookStatus_BOOK_STATUS_EXECUTING {
			t.Errorf("E1's book after its refused closing: %v, %v", b.GetBook(), err)
		}
		if e, err := bk.GetEnterprise(ctxAs(t, e1.tok), &customsv1.GetEnterpriseRequest{Uscc: e1.uscc}); err != nil || e.GetEnterprise().GetSuspended() {
			t.Errorf("E1 after E2's refused suspension: %v, %v", e.GetEnterprise(), err)
		}
		// Customs approves; the gate (customs) holds the vehicle; E1 cannot
		// release or reject it, customs can.
		z.approve(t, l1.GetListNo())
		held := z.gateEvent(t, p1.GetPassNo(), "r-ev1", "沪R10001", "20000")
		wantPassStatus(t, held, customsv1.PassStatus_PASS_STATUS_HELD)
		before = z.bookState(t, h1)
		_, err = g.ReleaseHold(ctxAs(t, e1.tok), &customsv1.ReleaseHoldRequest{PassNo: p1.GetPassNo(), Note: "mine"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 releasing its own vehicle")
		_, err = g.ReleaseHold(ctxAs(t, plat), &customsv1.ReleaseHoldRequest{PassNo: p1.GetPassNo(), Note: "mine"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1's platform releasing E1's vehicle")
		_, err = g.RejectHold(ctxAs(t, e1.tok), &customsv1.RejectHoldRequest{PassNo: p1.GetPassNo(), Note: "mine"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1 rejecting its own vehicle")
		_, err = d.ApproveList(ctxAs(t, plat), &customsv1.ApproveListRequest{ListNo: l1.GetListNo()})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E1's platform approving")
		z.wantBookState(t, h1, before, "refused releases")
		z.wantStock(t, h1, linePE, st{bonded: "1000", reserved: "100"})
		rr, err := g.ReleaseHold(ctxAs(t, z.customs), &customsv1.ReleaseHoldRequest{PassNo: p1.GetPassNo(), Note: "weighed again"})
		if err != nil {
			t.Fatalf("customs ReleaseHold: %v", err)
		}
		wantPassStatus(t, rr.GetPass(), customsv1.PassStatus_PASS_STATUS_PASSED)
		z.wantStock(t, h1, linePE, st{bonded: "900"})
	})

	t.Run("an enterprise reads only its own documents", func(t *testing.T) {
		_, err := d.GetList(ctxAs(t, e2.tok), &customsv1.GetListRequest{ListNo: l1.GetListNo()})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_LIST", "list_no", "E2 reading E1's list")
		_, err = g.GetPass(ctxAs(t, e2.tok), &customsv1.GetPassRequest{PassNo: p1.GetPassNo()})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_PASS", "pass_no", "E2 reading E1's pass")
		_, err = bk.GetStockReport(ctxAs(t, e2.tok), &customsv1.GetStockReportRequest{BookNo: h1})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "book_no", "E2 reading E1's stock")
		_, err = d.ListLists(ctxAs(t, e2.tok), &customsv1.ListListsRequest{Enterprise: e1.uscc})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "E2 listing E1's lists")
		_, err = g.ListPasses(ctxAs(t, e2.tok), &customsv1.ListPassesRequest{BookNo: h1})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "book_no", "E2 listing the passes of E1's book")
		_, err = d.ListTaxableEvents(ctxAs(t, e2.tok), &customsv1.ListTaxableEventsRequest{BookNo: h1})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "book_no", "E2 listing E1's taxable events")
		_, err = bk.GetStockReport(ctxAs(t, plat), &customsv1.GetStockReportRequest{BookNo: h2})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "book_no", "E1's platform reading E2's stock")
		_, err = d.GetList(ctxAs(t, plat), &customsv1.GetListRequest{ListNo: l2.GetListNo()})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_LIST", "list_no", "E1's platform reading E2's list")
		// Unfiltered listings show each enterprise its own.
		for _, c := range []struct {
			who, tok, uscc, book, list string
		}{{"E1", e1.tok, e1.uscc, h1, l1.GetListNo()}, {"E2", e2.tok, e2.uscc, h2, l2.GetListNo()}, {"E1's platform", plat, e1.uscc, h1, l1.GetListNo()}} {
			ll, err := d.ListLists(ctxAs(t, c.tok), &customsv1.ListListsRequest{})
			if err != nil {
				t.Fatalf("ListLists as %s: %v", c.who, err)
			}
			found := false
			for _, l := range ll.GetLists() {
				if l.GetEnterprise() != c.uscc {
					t.Errorf("ListLists as %s shows list %s of %s", c.who, l.GetListNo(), l.GetEnterprise())
				}
				found = found || l.GetListNo() == c.list
			}
			if !found {
				t.Errorf("ListLists as %s misses its list %s", c.who, c.list)
			}
			lp, err := g.ListPasses(ctxAs(t, c.tok), &customsv1.ListPassesRequest{})
			if err != nil {
				t.Fatalf("ListPasses as %s: %v", c.who, err)
			}
			for _, p := range lp.GetPasses() {
				if p.GetEnterprise() != c.uscc {
					t.Errorf("ListPasses as %s shows pass %s of %s", c.who, p.GetPassNo(), p.GetEnterprise())
				}
			}
			lb, err := bk.ListBooks(ctxAs(t, c.tok), &customsv1.ListBooksRequest{})
			if err != nil || len(lb.GetBooks()) != 1 || lb.GetBooks()[0].GetBookNo() != c.book {
				t.Errorf("ListBooks as %s: %v, %v; want only %s", c.who, lb.GetBooks(), err, c.book)
			}
			le, err := bk.ListEnterprises(ctxAs(t, c.tok), &customsv1.ListEnterprisesRequest{})
			if err != nil || len(le.GetEnterprises()) != 1 || le.GetEnterprises()[0].GetUscc() != c.uscc {
				t.Errorf("ListEnterprises as %s: %v, %v; want only %s", c.who, le.GetEnterprises(), err, c.uscc)
			}
		}
		// The platform reads and files for E1.
		if _, err := bk.GetStockReport(ctxAs(t, plat), &customsv1.GetStockReportRequest{BookNo: h1}); err != nil {
			t.Errorf("E1's platform reading E1's stock: %v", err)
		}
		pl := z.createList(t, plat, entryReq(h1, "R-PLAT", linePE, "1", "16"))
		if pl.GetEnterprise() != e1.uscc || pl.GetFiledBy() != "zone-platform" {
			t.Errorf("list filed by the platform: enterprise %s filed by %s", pl.GetEnterprise(), pl.GetFiledBy())
		}
		_, err = d.CreateList(ctxAs(t, plat), entryReq(h2, "R-PLAT", linePE, "1", "16"))
		wantRefused(t, err, codes.NotFound, "UNKNOWN_BOOK", "book_no", "E1's platform filing on E2's book")
	})

	t.Run("customs reads everything and files nothing on an enterprise's book", func(t *testing.T) {
		for _, no := range []string{l1.GetListNo(), l2.GetListNo()} {
			if _, err := d.GetList(ctxAs(t, z.customs), &customsv1.GetListRequest{ListNo: no}); err != nil {
				t.Errorf("customs GetList %s: %v", no, err)
			}
		}
		if _, err := g.GetPass(ctxAs(t, z.customs), &customsv1.GetPassRequest{PassNo: p1.GetPassNo()}); err != nil {
			t.Errorf("customs GetPass: %v", err)
		}
		for _, h := range []string{h1, h2} {
			if _, err := bk.GetStockReport(ctxAs(t, z.customs), &customsv1.GetStockReportRequest{BookNo: h}); err != nil {
				t.Errorf("customs GetStockReport %s: %v", h, err)
			}
		}
		ll, err := d.ListLists(ctxAs(t, z.customs), &customsv1.ListListsRequest{PageSize: 1000})
		if err != nil {
			t.Fatalf("customs ListLists: %v", err)
		}
		seen := map[string]bool{}
		for _, l := range ll.GetLists() {
			seen[l.GetEnterprise()] = true
		}
		if !seen[e1.uscc] || !seen[e2.uscc] {
			t.Errorf("customs ListLists shows the lists of %v, want both enterprises", seen)
		}
		lb, err := bk.ListBooks(ctxAs(t, z.customs), &customsv1.ListBooksRequest{})
		if err != nil || len(lb.GetBooks()) != 2 {
			t.Errorf("customs ListBooks: %v, %v; want both books", lb.GetBooks(), err)
		}
		before1, before2 := z.bookState(t, h1), z.bookState(t, h2)
		_, err = d.CreateList(ctxAs(t, z.customs), entryReq(h1, "R-CUSTOMS", linePE, "1", "16"))
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "customs filing a list on E1's book")
		_, err = d.DeclareList(ctxAs(t, z.customs), &customsv1.DeclareListRequest{ListNo: l2.GetListNo()})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "customs declaring E2's list")
		_, err = g.CreatePass(ctxAs(t, z.customs), &customsv1.CreatePassRequest{InnerNo: "R-CP", BookNo: h2, PassType: "6", Io: "I", Vehicle: "沪R20001"})
		wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "customs filing a pass on E2's book")
		z.wantBookState(t, h1, before1, "customs' refused filings")
		z.wantBookState(t, h2, before2, "customs' refused filings")
	})

	t.Run("the ledger API does not move a zone book's goods around its documents", func(t *testing.T) {
		// README "Consistency with the ledger": goods move by the documents'
		// recipes, so documents and books always agree. The book's owner
		// must not post or reverse journals on it directly.
		h := z.hBook(t, e1)
		z.stockIn(t, e1, h, linePE, "100", "1600")
		out := z.file(t, e1, &customsv1.CreateListRequest{InnerNo: "BY-OUT", BookNo: h, Io: "E", TradeMode: "5034",
			Lines: []*customsv1.ListLine{line(linePE, "30", "480", "30", "30")}})
		gatePass := z.drive(t, e1, out, "2", "BY-P")
		z.wantStock(t, h, linePE, st{bonded: "70"})
		before := z.bookState(t, h)
		lc := z.s.Ledger()
		for _, tok := range []struct{ who, tok string }{{"E1", e1.tok}, {"E1's platform", plat}} {
			_, err := lc.PostJournal(ctxAs(t, tok.tok), journal(h, "bypass-in-"+tok.who, day(0), move(fmt.Sprint(linePE), "035", "500", "8000.00", world("abroad"), acct(h, "bonded"))))
			if err == nil {
				t.Errorf("%s posted 500 kg from abroad onto zone book %s's bonded stock with LedgerService.PostJournal, no list, no pass", tok.who, h)
			}
			_, err = lc.ReverseJournal(ctxAs(t, tok.tok), &ledgerv1.ReverseJournalRequest{BookId: h, JournalId: gatePass.GetJournalId(),
				IdempotencyKey: "bypass-rev-" + tok.who, EffectiveDate: day(0), Reason: "undo the exit"})
			if err == nil {
				t.Errorf("%s reversed the gate's journal %d of zone book %s (list %s's exit) with LedgerService.ReverseJournal", tok.who, gatePass.GetJournalId(), h, out.GetListNo())
			}
		}
		z.wantBookState(t, h, before, "journals posted on a zone book through the ledger API")
		z.wantStock(t, h, linePE, st{bonded: "70"})
	})

	t.Run("customs may register a book's lines and part numbers", func(t *testing.T) {
		// README "Who does what": register a book, its lines and part numbers —
		// the enterprise itself (自主备案) or customs.
		nb, err := bk.CreateBook(ctxAs(t, z.customs), &customsv1.CreateBookRequest{BookNo: fmt.Sprintf("H3105%07d", nextZoneSeq()), Kind: customsv1.BookKind_BOOK_KIND_ZONE,
			Enterprise: e2.uscc, CustomsOffice: "3105"})
		if err != nil {
			t.Fatalf("customs CreateBook for E2: %v", err)
		}
		_, err = bk.AddBookLines(ctxAs(t, z.customs), &customsv1.AddBookLinesRequest{BookNo: nb.GetBook().GetBookNo(), Lines: standardLines()})
		if err != nil {
			t.Errorf("customs AddBookLines on the book it registered for E2: %v", err)
		}
		_, err = bk.MapPartNumbers(ctxAs(t, z.customs), &customsv1.MapPartNumbersRequest{BookNo: h2, Parts: map[string]int32{"PE-001": linePE}})
		if err != nil {
			t.Errorf("customs MapPartNumbers on E2's book: %v", err)
		}
	})
}
