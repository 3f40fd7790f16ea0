package sasmessage_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/sasmessage"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// pworld is a zone of two enterprises: e1 with its H book, e2 with its T
// book, both with a line of notebook computers (1) and polyethylene (2).
type pworld struct {
	t       testing.TB
	ctx     context.Context
	svc     *zone.Service
	msg     *sasmessage.Service
	store   *pgstore.Store
	customs access.Principal
	admin   access.Principal
	e1, e2  access.Principal
	u1, u2  string // USCCs
	h1, t2  string // books: e1's H book, e2's T book
}

// uscc makes a valid USCC from 17 characters.
func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

// passWorld is a zone at a fixed time (2025-06-10 10:00 in the zone) with
// an approved entry list of 100 notebooks on E1's book and a type-2 pass
// for it, not yet at the gate.
func passWorld(t *testing.T, twoGates bool) (*pworld, zone.List, zone.Pass) {
	t.Helper()
	set := zone.DefaultSettings()
	set.TwoGates = twoGates
	now := time.Date(2025, 6, 10, 2, 0, 0, 0, time.UTC)
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	if err != nil {
		t.Fatal(err)
	}
	svc, store := openZone(t, zone.Options{Settings: &set, Tax: eng, Now: func() time.Time { return now }})
	ctx := context.Background()
	w := &pworld{t: t, ctx: ctx, svc: svc, msg: sasmessage.New(svc, nil), store: store,
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms},
		admin:   access.Principal{ID: "root", Role: access.RoleAdmin},
		u1:      uscc(t, "91310000MA1K00001"), u2: uscc(t, "91310000MA1K00002"),
		h1: "H31050000001", t2: "T3105W000293"}
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: w.u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: w.u2}
	for i, u := range []string{w.u1, w.u2} {
		_, err := svc.RegisterEnterprise(ctx, w.admin, zone.Enterprise{USCC: u, CustomsCode: "310596000" + string(rune('1'+i)), Name: "Enterprise " + u})
		w.must(err)
	}
	_, err = svc.CreateBook(ctx, w.e1, zone.Book{No: w.h1, Kind: codes.BookZone, Enterprise: w.u1, CustomsOffice: "3105", Usage: "1"})
	w.must(err)
	_, err = svc.CreateBook(ctx, w.e2, zone.Book{No: w.t2, Kind: codes.BookLogistics, Enterprise: w.u2, CustomsOffice: "3105"})
	w.must(err)
	lines := []zone.BookLine{
		{Seq: 1, HSCode: "8471300000", Name: "notebook computer", DeclaredUnit: "001", Scale: 0, Legal: zone.LegalUnit{Unit: "001", Factor: d("1")}, Type: codes.GoodsFinished},
		{Seq: 2, HSCode: "3901100000", Name: "polyethylene", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Second: &zone.LegalUnit{Unit: "070", Factor: d("0.001")}, Type: codes.GoodsMaterial},
	}
	_, err = svc.AddBookLines(ctx, w.e1, w.h1, lines)
	w.must(err)
	_, err = svc.AddBookLines(ctx, w.e2, w.t2, lines)
	w.must(err)

	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "100", "500000"))
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-1", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), FrameWeight: d("500.5"),
		GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	w.must(err)
	return w, in, ps
}

func (w *pworld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func entry(book, inner string, seq int, qty, value string) zone.List {
	return zone.List{InnerNo: inner, Book: book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d(value), GrossWeight: d("1000"), NetWeight: d("900")}}}
}

// file creates, declares and approves a list.
func (w *pworld) file(p access.Principal, l zone.List) zone.List {
	w.t.Helper()
	l, err := w.svc.CreateList(w.ctx, p, l)
	w.must(err)
	l, err = w.svc.DeclareList(w.ctx, p, l.No)
	w.must(err)
	l, err = w.svc.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	return l
}

func (w *pworld) wantStock(book string, seq int, bonded, reserved, nonbonded string) {
	w.t.Helper()
	r, err := w.svc.StockReport(w.ctx, w.customs, book, nil)
	w.must(err)
	for _, s := range r {
		if s.BookSeq == seq {
			if !s.Bonded.Equal(d(bonded)) || !s.Reserved.Equal(d(reserved)) || !s.NonBonded.Equal(d(nonbonded)) {
				w.t.Fatalf("line %d of %s: bonded %s reserved %s nonbonded %s; want %s %s %s", seq, book, s.Bonded, s.Reserved, s.NonBonded, bonded, reserved, nonbonded)
			}
			return
		}
	}
	w.t.Fatalf("no line %d", seq)
}

// journals counts the book's journals.
func (w *pworld) journals(book string) int {
	w.t.Helper()
	js, err := w.store.ListJournals(w.ctx, ledger.JournalFilter{Book: book, Limit: 1000})
	w.must(err)
	return len(js)
}

// message is an exported message.
type message struct {
	Data     []byte
	FileName string
}

func (w *pworld) export(p access.Principal, no string, f sasmessage.Format) (message, error) {
	data, name, err := w.msg.ExportPass(w.ctx, p, no, f)
	return message{data, name}, err
}

// result is what a receipt did, as the API answers it.
type result struct {
	PassNo, CustomsNo string
	Status            zone.PassStatus
	Changed           bool
}

func (w *pworld) importReceipt(p access.Principal, data []byte) (result, error) {
	o, err := w.msg.ImportPassReceipt(w.ctx, p, data)
	return result{o.Pass.No, o.Pass.CustomsNo, o.Pass.Status, o.Changed}, err
}

// wantPassReason fails unless err is a ledger error with the reason.
func wantPassReason(t *testing.T, err error, reason string) *ledger.Error {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason {
		t.Fatalf("got %v, want reason %s", err, reason)
	}
	return le
}

// receipt fills a receipt fixture of customs/singlewindow/sas/testdata.
func passReceipt(t *testing.T, name string, kv ...string) []byte {
	t.Helper()
	b, err := os.ReadFile("../singlewindow/sas/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.NewReplacer(kv...).Replace(string(b))
	if strings.Contains(out, "{{") {
		t.Fatalf("%s: a placeholder is left: %s", name, out)
	}
	return []byte(out)
}

func sas221(t *testing.T, w *pworld, ps zone.Pass, customsNo, result, rmk string) []byte {
	return passReceipt(t, "SAS221_approved.xml", "{{INNER}}", ps.InnerNo, "{{CUSTOMS_NO}}", customsNo, "{{RESULT}}", result, "{{RMK}}", rmk,
		"{{LIST_NO}}", strings.Join(ps.RelatedNos, ""), "{{USCC}}", w.u1)
}

func sas251(t *testing.T, w *pworld, ps zone.Pass, messageID, customsNo, stucd, passID, passTime string) []byte {
	return passReceipt(t, "SAS251_gate.xml", "{{MESSAGE_ID}}", messageID, "{{INNER}}", ps.InnerNo, "{{CUSTOMS_NO}}", customsNo, "{{USCC}}", w.u1,
		"{{VEHICLE}}", ps.Vehicle, "{{PASS_ID}}", passID, "{{PASS_TIME}}", passTime, "{{STUCD}}", stucd)
}

// wantPassFields fails unless a decoded SAS121 pass says what the pass does.
func wantPassFields(t *testing.T, w *pworld, m sas.PassportMessage, ps zone.Pass) {
	t.Helper()
	h := m.Head
	got := []string{h.EtpsPreentNo, h.PassportTypecd, h.BindTypecd, h.IoTypecd, h.RltTbTypecd, h.RltNo, h.VehicleNo, h.AreainOriactNo, h.AreainEtpsSccd, h.MasterCuscd}
	want := []string{ps.InnerNo, string(ps.Type), string(ps.Bind), string(ps.IO), string(ps.RelatedType), ps.RelatedNos[0], ps.Vehicle, ps.Book, w.u1, "3105"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("head fields %v, want %v", got, want)
	}
	for name, pair := range map[string][2]string{
		"vehicleWt": {h.VehicleWt, ps.VehicleWeight.String()}, "vehicleFrameWt": {h.VehicleFrameWt, ps.FrameWeight.String()},
		"totalGrossWt": {h.TotalGrossWt, ps.GrossWeight.String()}, "totalNetWt": {h.TotalNetWt, ps.NetWeight.String()},
		"totalWt": {h.TotalWt, ps.VehicleWeight.Add(ps.FrameWeight).Add(ps.ContainerWeight).Add(ps.GrossWeight).String()},
	} {
		if !d(pair[0]).Equal(d(pair[1])) {
			t.Fatalf("%s is %s, want %s", name, pair[0], pair[1])
		}
	}
	if len(m.Rlt) != len(ps.RelatedNos) || len(m.List) != len(ps.Lines) {
		t.Fatalf("related %v lines %v; want %v and %d lines", m.Rlt, m.List, ps.RelatedNos, len(ps.Lines))
	}
	for i, ln := range ps.Lines {
		if !d(m.List[i].DclQty).Equal(ln.Quantity) || m.List[i].DclUnitcd != ln.Unit {
			t.Fatalf("line %d: %+v, want %s %s", i+1, m.List[i], ln.Quantity, ln.Unit)
		}
	}
}

// A pass's trip: SAS121 out, SAS221 in (customs' number stored, the pass
// found by it), SAS251 已过卡 in (the goods booked once); the same
// receipts again change nothing.
func TestPassTripSAS121OutReceiptsIn(t *testing.T) {
	w, in, ps := passWorld(t, false)

	x, err := w.export(w.e1, ps.No, sasmessage.XML)
	w.must(err)
	golden.Assert(t, string(x.Data), "pass_sas121.xml")
	m, err := sas.DecodeSAS121(x.Data)
	w.must(err)
	wantPassFields(t, w, m.Object.Package.Data.Business.Message, ps)
	if x.FileName != ps.No+".SAS121.xml" {
		t.Fatalf("file name %s", x.FileName)
	}
	j, err := w.export(w.customs, ps.No, sasmessage.JSON)
	w.must(err)
	golden.Assert(t, string(j.Data), "pass_sas121.json")
	jm, err := sas.UnmarshalPassportJSON(j.Data)
	w.must(err)
	wantPassFields(t, w, jm, ps)
	_, err = w.export(w.e2, ps.No, sasmessage.XML)
	wantPassReason(t, err, zone.ReasonUnknownPass)

	const customsNo = "Z3105I250610000000000001"
	r, err := w.importReceipt(w.customs, sas221(t, w, ps, customsNo, sas.PassApproved, ""))
	w.must(err)
	if !r.Changed || r.Status != zone.PassApproved || r.CustomsNo != customsNo || r.PassNo != ps.No {
		t.Fatalf("SAS221: %+v", r)
	}
	got, err := w.svc.GetPass(w.ctx, w.e1, customsNo)
	w.must(err)
	if got.No != ps.No || got.CustomsNo != customsNo {
		t.Fatalf("found by the customs number: %+v", got)
	}
	_, err = w.svc.GetPass(w.ctx, w.e2, customsNo)
	if le := wantPassReason(t, err, zone.ReasonUnknownPass); strings.Contains(le.Message, ps.No) {
		t.Fatalf("another enterprise learns the zone number: %v", le)
	}
	// The exported message now carries customs' number.
	x2, err := w.export(w.e1, customsNo, sasmessage.XML)
	w.must(err)
	if !bytes.Contains(x2.Data, []byte("<passportNo>"+customsNo+"</passportNo>")) {
		t.Fatalf("the message lacks the customs number:\n%s", x2.Data)
	}

	w.wantStock(w.h1, 1, "0", "0", "0")
	journals := w.journals(w.h1)
	passed := sas251(t, w, ps, "M-251-1", customsNo, sas.GatePassed, "G1-0001", "2025-06-10 09:30:00")
	r, err = w.importReceipt(w.admin, passed) // an admin imports too
	w.must(err)
	if !r.Changed || r.Status != zone.PassPassed {
		t.Fatalf("SAS251 已过卡: %+v", r)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	if n := w.journals(w.h1); n != journals+1 {
		t.Fatalf("%d journals after the gate, want %d", n, journals+1)
	}
	l, err := w.svc.GetList(w.ctx, w.e1, in.No)
	w.must(err)
	if l.Status != zone.ListCleared {
		t.Fatalf("the list is %s after its vehicle passed", l.Status)
	}
	got, err = w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	if got.JournalID == 0 || len(got.Events) != 1 || !strings.HasPrefix(got.Events[0].ID, "SAS251:2:") || got.Events[0].At.Format("2006-01-02T15:04") != "2025-06-10T01:30" {
		t.Fatalf("the pass after the gate: %+v", got)
	}

	// Again, and earlier states after the later one: nothing moves.
	for name, again := range map[string][]byte{
		"the same SAS251":  passed,
		"SAS251 resent":    sas251(t, w, ps, "M-251-2", customsNo, sas.GatePassed, "G1-0001", "2025-06-10 09:30:00"),
		"SAS251 已审批 after": sas251(t, w, ps, "M-251-3", customsNo, sas.GateApproved, "", ""),
		"SAS251 已申请 after": sas251(t, w, ps, "M-251-4", customsNo, sas.GateApplied, "", ""),
		"the same SAS221":  sas221(t, w, ps, customsNo, sas.PassApproved, ""),
	} {
		r, err := w.importReceipt(w.admin, again)
		if err != nil || r.Changed || r.Status != zone.PassPassed {
			t.Fatalf("%s: %+v, %v; want nothing changed", name, r, err)
		}
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	if n := w.journals(w.h1); n != journals+1 {
		t.Fatalf("%d journals after the receipts again, want %d", n, journals+1)
	}
}

// Customs' return (退单) frees the pass's list for another pass; in a
// two-gate zone 已过一卡 and 已过二卡 move a pass through both gates, and
// 已过二卡 alone does too; 已删除 deletes a pass not at the gate.
func TestPassReceiptsReturnTwoGatesAndDelete(t *testing.T) {
	w, in, ps := passWorld(t, true)
	r, err := w.importReceipt(w.customs, sas221(t, w, ps, "", sas.PassReturned, "车牌号与预约不符"))
	w.must(err)
	got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	if !r.Changed || got.Status != zone.PassReturned || got.Note != "车牌号与预约不符" {
		t.Fatalf("returned: %+v %+v", r, got)
	}
	// A gate passage of a returned pass is refused.
	_, err = w.importReceipt(w.customs, sas251(t, w, ps, "M1", "", sas.GateFirstGate, "G1", "2025-06-10 09:30:00"))
	if le := wantPassReason(t, err, zone.ReasonPassReceiptState); le.Field != "Package/DataInfo/BussinessData/SAS251/Sas2stepPassportBsc/stucd" {
		t.Fatalf("field %s", le.Field)
	}

	p2, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-2", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	w.must(err) // the returned pass no longer holds the list
	r, err = w.importReceipt(w.customs, sas251(t, w, p2, "M2", "Z3105I250610000000000002", sas.GateFirstGate, "G1-2", "2025-06-10 09:30:00"))
	w.must(err)
	if r.Status != zone.PassFirstGate {
		t.Fatalf("已过一卡: %+v", r)
	}
	w.wantStock(w.h1, 1, "0", "0", "0")
	// 2 is the single-gate code.
	_, err = w.importReceipt(w.customs, sas251(t, w, p2, "M3", "Z3105I250610000000000002", sas.GatePassed, "G1-2", "2025-06-10 09:30:00"))
	wantPassReason(t, err, zone.ReasonPassReceiptState)
	r, err = w.importReceipt(w.customs, sas251(t, w, p2, "M4", "Z3105I250610000000000002", sas.GateSecondGate, "G2-2", "2025-06-10 09:35:00"))
	w.must(err)
	if r.Status != zone.PassPassed {
		t.Fatalf("已过二卡: %+v", r)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	// Deleting a passed pass is refused; 5 on a pass not at the gate deletes it.
	_, err = w.importReceipt(w.customs, sas251(t, w, p2, "M5", "Z3105I250610000000000002", sas.GateDeleted, "", ""))
	wantPassReason(t, err, zone.ReasonPassReceiptState)

	in2 := w.file(w.e1, entry(w.h1, "IN-2", 2, "5", "100"))
	p3, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-3", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in2.No}, Vehicle: "沪B1", GrossWeight: in2.GrossWeight, NetWeight: in2.NetWeight})
	w.must(err)
	r, err = w.importReceipt(w.customs, sas251(t, w, p3, "M6", "Z3105I250610000000000003", sas.GateSecondGate, "G-3", "2025-06-10 09:40:00"))
	w.must(err)
	if r.Status != zone.PassPassed {
		t.Fatalf("已过二卡 alone: %+v", r)
	}
	w.wantStock(w.h1, 2, "5", "0", "0")

	in3 := w.file(w.e1, entry(w.h1, "IN-3", 2, "5", "100"))
	p4, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-4", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in3.No}, Vehicle: "沪B2", GrossWeight: in3.GrossWeight, NetWeight: in3.NetWeight})
	w.must(err)
	for i := range 2 {
		r, err = w.importReceipt(w.customs, sas251(t, w, p4, "M7", "", sas.GateDeleted, "", ""))
		w.must(err)
		if r.Status != zone.PassDeletedStat || r.Changed != (i == 0) {
			t.Fatalf("已删除 (time %d): %+v", i+1, r)
		}
	}
}

// Receipts that cannot apply are refused with a stable reason naming the
// element at fault, and change nothing.
func TestPassReceiptRefusals(t *testing.T) {
	w, _, ps := passWorld(t, false)
	const customsNo = "Z3105I250610000000000001"
	other, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "EMPTY-1", Book: w.h1, Type: codes.PassEmptyVehicle, IO: codes.In, Vehicle: "沪C1"})
	w.must(err)
	_, err = w.importReceipt(w.customs, sas221(t, w, other, customsNo, sas.PassApproved, ""))
	w.must(err)
	const base = "Package/DataInfo/BussinessData/"
	unknown := ps
	unknown.InnerNo = "NO-SUCH-PASS"
	doctype := []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><Package>&a;</Package>`)
	for name, tc := range map[string]struct {
		in     []byte
		p      access.Principal
		kind   ledger.Kind
		reason string
		field  string
	}{
		"unknown pass":          {sas221(t, w, unknown, "Z3105I250610000000000009", sas.PassApproved, ""), w.customs, ledger.KindNotFound, zone.ReasonPassReceiptUnknownPass, base + "SAS221/HdeApprResult/etpsPreentNo"},
		"customs number taken":  {sas221(t, w, ps, customsNo, sas.PassApproved, ""), w.customs, ledger.KindConflict, zone.ReasonPassCustomsNoTaken, base + "SAS221/HdeApprResult/businessId"},
		"unknown result":        {sas221(t, w, ps, "Z3105I250610000000000002", "2", ""), w.customs, ledger.KindInvalid, zone.ReasonPassReceiptCode, base + "SAS221/HdeApprResult/manageResult"},
		"unknown gate status":   {sas251(t, w, ps, "M1", "", "9", "", ""), w.customs, ledger.KindInvalid, zone.ReasonPassReceiptCode, base + "SAS251/Sas2stepPassportBsc/stucd"},
		"two-gate status":       {sas251(t, w, ps, "M1", "", sas.GateFirstGate, "G1", "2025-06-10 09:00:00"), w.customs, ledger.KindFailedPrecondition, zone.ReasonPassReceiptState, base + "SAS251/Sas2stepPassportBsc/stucd"},
		"bad pass time":         {sas251(t, w, ps, "M1", "", sas.GatePassed, "G1", "2025-13-10 09:00:00"), w.customs, ledger.KindInvalid, zone.ReasonPassMessageInvalid, base + "SAS251/Sas2stepPassportBsc/passTime"},
		"pass time ahead":       {sas251(t, w, ps, "M1", "", sas.GatePassed, "G1", "2025-06-11 09:00:00"), w.customs, ledger.KindInvalid, zone.ReasonPassMessageInvalid, base + "SAS251/Sas2stepPassportBsc/passTime"},
		"not a pass receipt":    {bytes.Replace(sas221(t, w, ps, customsNo, "1", ""), []byte("<message_type>SAS221</message_type>"), []byte("<message_type>INV201</message_type>"), 1), w.customs, ledger.KindInvalid, zone.ReasonPassReceiptCode, "Package/EnvelopInfo/message_type"},
		"broken field":          {sas221(t, w, ps, "", sas.PassApproved, ""), w.customs, ledger.KindInvalid, zone.ReasonPassMessageInvalid, base + "SAS221/HdeApprResult/businessId"},
		"hostile XML":           {doctype, w.customs, ledger.KindInvalid, zone.ReasonPassMessageInvalid, "message"},
		"an enterprise imports": {sas221(t, w, ps, "Z3105I250610000000000002", sas.PassApproved, ""), w.e1, ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, ""},
	} {
		_, err := w.importReceipt(tc.p, tc.in)
		var le *ledger.Error
		if !asLedger(err, &le) || le.Kind != tc.kind || le.Reason != tc.reason || le.Field != tc.field {
			t.Errorf("%s: got %v (%#v), want %v %s on %s", name, err, le, tc.kind, tc.reason, tc.field)
		}
	}
	got, err := w.svc.GetPass(w.ctx, w.e1, ps.No)
	w.must(err)
	if got.Status != zone.PassApplied || got.CustomsNo != "" || len(got.Events) != 0 {
		t.Fatalf("refused receipts changed the pass: %+v", got)
	}
	w.wantStock(w.h1, 1, "0", "0", "0")
}

func asLedger(err error, le **ledger.Error) bool { return errors.As(err, le) }

// One list on many vehicles (binding 3): the pass's lines are the
// message's lines, with the list line, part of the book line and weights.
func TestPassLinesExportAsTheMessageLines(t *testing.T) {
	w, in, _ := passWorld(t, false)
	ps, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-PART", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListManyVehicles, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A54321", VehicleWeight: d("9000"), Container: "TGHU1234567", ContainerWeight: d("2200"),
		GrossWeight: d("400.25"), NetWeight: d("360"), Lines: []zone.PassLine{{ListSeq: 1, Quantity: d("40"), GrossWeight: d("400.25"), NetWeight: d("360")}}})
	w.must(err)
	x, err := w.export(w.e1, ps.No, sasmessage.XML)
	w.must(err)
	golden.Assert(t, string(x.Data), "pass_sas121_lines.xml")
	m, err := sas.DecodeSAS121(x.Data)
	w.must(err)
	wantPassFields(t, w, m.Object.Package.Data.Business.Message, ps)
	ln := m.Object.Package.Data.Business.Message.List[0]
	if ln.PassportSeqno != "1" || ln.RltGdsSeqno != "1" || ln.Gdecd != "8471300000" || ln.GdsNm != "notebook computer" || ln.DclUnitcd != "001" || ln.GrossWt != "400.25" {
		t.Fatalf("line %+v", ln)
	}
	j, err := w.export(w.e1, ps.No, sasmessage.JSON)
	w.must(err)
	golden.Assert(t, string(j.Data), "pass_sas121_lines.json")
}

// An approved pass still holds its list (no second pass may bind it), can
// be withdrawn, and goes through the zone's gate; a vehicle the zone's
// gate held passes when customs' gate reports it passed.
func TestApprovedPassHoldsItsListAndMovesOn(t *testing.T) {
	w, in, ps := passWorld(t, false)
	r, err := w.importReceipt(w.customs, sas221(t, w, ps, "Z3105I250610000000000001", sas.PassApproved, "ok"))
	w.must(err)
	if r.Status != zone.PassApproved {
		t.Fatalf("approved: %+v", r)
	}
	_, err = w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-AGAIN", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	wantPassReason(t, err, zone.ReasonPassListMismatch)
	got, err := w.svc.DeletePass(w.ctx, w.e1, ps.No)
	w.must(err)
	if got.Status != zone.PassDeletedStat {
		t.Fatalf("withdrawn: %s", got.Status)
	}

	p2, err := w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-IN-2", Book: w.h1, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{in.No}, Vehicle: "沪A12345", GrossWeight: in.GrossWeight, NetWeight: in.NetWeight})
	w.must(err)
	_, err = w.importReceipt(w.customs, sas221(t, w, p2, "Z3105I250610000000000002", sas.PassApproved, ""))
	w.must(err)
	// The zone's scale reads far too much: held.
	p2, err = w.svc.RecordGateEvent(w.ctx, w.customs, p2.No, zone.GateEvent{ID: "ev-1", Vehicle: "沪A12345", ScaleGross: d("5000")})
	w.must(err)
	if p2.Status != zone.PassHeld {
		t.Fatalf("at the zone's gate: %s", p2.Status)
	}
	r, err = w.importReceipt(w.customs, sas251(t, w, p2, "M1", "Z3105I250610000000000002", sas.GatePassed, "G1", "2025-06-10 09:30:00"))
	w.must(err)
	if r.Status != zone.PassPassed {
		t.Fatalf("customs' gate passed it: %+v", r)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
}

// The same gate receipt imported by many callers at once books the goods
// once.
func TestConcurrentReceiptsBookOnce(t *testing.T) {
	w, _, ps := passWorld(t, false)
	journals := w.journals(w.h1)
	msg := sas251(t, w, ps, "M-RACE", "Z3105I250610000000000001", sas.GatePassed, "G1-RACE", "2025-06-10 09:30:00")
	n := countChanged(t, 8, func() (bool, error) {
		r, err := w.importReceipt(w.customs, msg)
		return r.Changed, err
	})
	if n != 1 {
		t.Fatalf("%d imports changed the pass, want 1", n)
	}
	w.wantStock(w.h1, 1, "100", "0", "0")
	if got := w.journals(w.h1); got != journals+1 {
		t.Fatalf("%d journals, want %d", got, journals+1)
	}
}

// TestMessagesInAFormatOtherThanXMLOrJSONAreRefused: Export, File and
// ExportPass refuse a format that is neither XML nor JSON with
// INVALID_ARGUMENT on "format"; File files nothing.
func TestMessagesInAFormatOtherThanXMLOrJSONAreRefused(t *testing.T) {
	w, in, ps := passWorld(t, false)
	x, _, err := w.msg.Export(w.ctx, w.e1, in.No, sasmessage.XML)
	w.must(err)
	before, err := w.svc.ListLists(w.ctx, w.customs, zone.ListFilter{})
	w.must(err)
	const csv = sasmessage.Format("CSV")
	refused := func(what string, err error) {
		t.Helper()
		if le := wantPassReason(t, err, ledger.ReasonInvalidArgument); le.Kind != ledger.KindInvalid || le.Field != "format" {
			t.Fatalf("%s: %v on %q, want INVALID_ARGUMENT on format", what, le.Kind, le.Field)
		}
	}
	_, _, err = w.msg.Export(w.ctx, w.e1, in.No, csv)
	refused("Export", err)
	_, err = w.msg.File(w.ctx, w.e1, x, csv)
	refused("File", err)
	_, _, err = w.msg.ExportPass(w.ctx, w.e1, ps.No, csv)
	refused("ExportPass", err)
	after, err := w.svc.ListLists(w.ctx, w.customs, zone.ListFilter{})
	w.must(err)
	if len(after) != len(before) {
		t.Fatalf("a refused File filed a list: %d lists, were %d", len(after), len(before))
	}
}
