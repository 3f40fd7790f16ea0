package sasmessage_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"gotest.tools/v3/golden"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/sasmessage"
	"github.com/zoneledger/zoneledger/customs/singlewindow/sas"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var clock = func() time.Time { return time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC) }

type world struct {
	t       *testing.T
	ctx     context.Context
	zone    *zone.Service
	msg     *sasmessage.Service
	ent     access.Principal
	customs access.Principal
	uscc    string
	book    string
}

// openZone starts the zone's service with o on a fresh database.
func openZone(t *testing.T, o zone.Options) (*zone.Service, *pgstore.Store) {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	if _, err := pgstore.Migrations().Up(ctx, store.Pool()); err != nil {
		t.Fatal(err)
	}
	if _, err := zone.Migrations().Up(ctx, store.Pool()); err != nil {
		t.Fatal(err)
	}
	z, err := zone.New(store.Pool(), store, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return z, store
}

// newWorld is a fresh database with one enterprise, its T book and two
// book lines: the same numbers in every world.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	set := zone.DefaultSettings()
	z, _ := openZone(t, zone.Options{Settings: &set, Now: clock})
	c, err := codes.USCCCheckChar("91460100MA5TYC680")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, zone: z, msg: sasmessage.New(z, clock), uscc: "91460100MA5TYC680" + string(c), book: "T4601W000001",
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	w.ent = access.Principal{ID: "yecheng", Role: access.RoleEnterprise, Enterprise: w.uscc}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	w.must(z.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: w.uscc, CustomsCode: "4601360068", Name: "海口椰城物流有限公司"}))
	w.must(z.CreateBook(ctx, w.ent, zone.Book{No: w.book, Kind: codes.BookLogistics, Enterprise: w.uscc, CustomsOffice: "4601"}))
	w.must(z.AddBookLines(ctx, w.ent, w.book, []zone.BookLine{
		{Seq: 1, HSCode: "8542399000", Name: "集成电路", Spec: "4|3|存储器|无品牌", DeclaredUnit: "007", Scale: 0, Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: codes.GoodsMaterial},
		{Seq: 2, HSCode: "3901100000", Name: "聚乙烯", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Second: &zone.LegalUnit{Unit: "070", Factor: d("0.001")}, Type: codes.GoodsMaterial},
	}))
	if err := z.MapPartNumbers(ctx, w.ent, w.book, map[string]int{"MAT-001": 1}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) must(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// entryList is an inbound first-line list of two lines, one by part number.
func (w *world) entryList(inner string) zone.List {
	return zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "502", DeclarationKind: "2", DeclarationNo: "460120261000000001",
		Lines: []zone.ListLine{
			{PartNumber: "MAT-001", Quantity: d("1200"), UnitPrice: d("12.3456"), Total: d("14814.72"), Country: "502", GrossWeight: d("10.5"), NetWeight: d("9.25")},
			{BookSeq: 2, Quantity: d("250.125"), Total: d("3001.5"), Country: "116", GrossWeight: d("260"), NetWeight: d("250.125")},
		}}
}

func wantReason(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v (field %q), want %s on %q", err, fieldOf(err), reason, field)
	}
}

func fieldOf(err error) string {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le.Field
	}
	return ""
}

// sameList fails unless b files the same goods as a.
func sameList(t *testing.T, a, b zone.List) {
	t.Helper()
	if a.InnerNo != b.InnerNo || a.Book != b.Book || a.Type != b.Type || a.IO != b.IO || a.TradeMode != b.TradeMode || a.DeclareFlag != b.DeclareFlag ||
		a.DeclarationKind != b.DeclarationKind || a.DeclarationNo != b.DeclarationNo || a.Country != b.Country || !a.Date.Equal(b.Date) ||
		a.Flow != b.Flow || a.Status != b.Status || len(a.Lines) != len(b.Lines) || !a.GrossWeight.Equal(b.GrossWeight) {
		t.Fatalf("lists differ:\n%+v\n%+v", a, b)
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.Seq != y.Seq || x.BookSeq != y.BookSeq || x.PartNumber != y.PartNumber || !x.DeclaredQuantity.Equal(y.DeclaredQuantity) || x.DeclaredUnit != y.DeclaredUnit ||
			!x.LegalQuantity.Equal(y.LegalQuantity) || !x.UnitPrice.Equal(y.UnitPrice) || !x.Total.Equal(y.Total) || x.Currency != y.Currency ||
			!x.CNYValue.Equal(y.CNYValue) || x.Country != y.Country || !x.GrossWeight.Equal(y.GrossWeight) || !x.NetWeight.Equal(y.NetWeight) {
			t.Fatalf("line %d differs:\n%+v\n%+v", i+1, x, y)
		}
	}
}

func TestExportThenFileOnAFreshBookGivesTheSameList(t *testing.T) {
	a := newWorld(t)
	l, err := a.zone.CreateList(a.ctx, a.ent, a.entryList("ERP-IN-2026-0001"))
	if err != nil {
		t.Fatal(err)
	}
	l, err = a.zone.DeclareList(a.ctx, a.ent, l.No)
	if err != nil {
		t.Fatal(err)
	}
	x, name, err := a.msg.Export(a.ctx, a.customs, l.No, sasmessage.XML)
	if err != nil || name != l.No+".INV101.xml" {
		t.Fatalf("export: %v %s", err, name)
	}
	golden.Assert(t, string(x), "list_golden.xml")
	j, name, err := a.msg.Export(a.ctx, a.ent, l.No, sasmessage.JSON)
	if err != nil || name != l.No+".INV101.json" {
		t.Fatalf("export: %v %s", err, name)
	}
	golden.Assert(t, string(j), "list_golden.json")

	for _, f := range []struct {
		format sasmessage.Format
		data   []byte
	}{{sasmessage.XML, x}, {sasmessage.JSON, j}} {
		b := newWorld(t)
		filed, err := b.msg.File(b.ctx, b.ent, f.data, f.format)
		if err != nil {
			t.Fatalf("%s: %v", f.format, err)
		}
		sameList(t, l, filed)
		// The same message again is the same filing.
		again, err := b.msg.File(b.ctx, b.ent, f.data, f.format)
		if err != nil || again.No != filed.No {
			t.Fatalf("%s again: %v %s %s", f.format, err, again.No, filed.No)
		}
	}
}

func TestFilingAMessageFollowsCreateListsRules(t *testing.T) {
	w := newWorld(t)
	l, err := w.zone.CreateList(w.ctx, w.ent, w.entryList("DRAFT-1"))
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := w.msg.Export(w.ctx, w.ent, l.No, sasmessage.XML)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(x, []byte("<DelcareFlag>0</DelcareFlag>")) {
		t.Fatalf("a draft leaves as 暂存:\n%s", x)
	}
	fresh := newWorld(t)
	filed, err := fresh.msg.File(fresh.ctx, fresh.ent, x, sasmessage.XML)
	if err != nil || filed.Status != zone.ListDraft {
		t.Fatalf("DelcareFlag 0 files a draft: %v %s", err, filed.Status)
	}
	other := func(from, to string, inner ...string) []byte {
		out := bytes.Replace(x, []byte(from), []byte(to), 1)
		if bytes.Equal(out, x) {
			t.Fatalf("no %q", from)
		}
		for _, n := range inner {
			out = bytes.Replace(out, []byte("DRAFT-1"), []byte(n), 1)
		}
		return out
	}
	const head = "Signature/Object/Package/DataInfo/BussinessData/InvtMessage/InvtHeadType/"
	for _, tc := range []struct {
		name, reason, field string
		data                []byte
		p                   access.Principal
	}{
		{"same inner number, other goods", zone.ReasonDuplicateListNumber, "inner_no", other("<DclQty>1200</DclQty>", "<DclQty>1300</DclQty>"), fresh.ent},
		{"trade mode of an H book", zone.ReasonTradeModeBook, "trade_mode", other("<SupvModecd>5034</SupvModecd>", "<SupvModecd>5100</SupvModecd>", "DRAFT-3"), fresh.ent},
		{"no such book line", zone.ReasonLineNotOnBook, "lines[1].book_seq", other("<PutrecSeqno>2</PutrecSeqno>", "<PutrecSeqno>9</PutrecSeqno>", "DRAFT-4"), fresh.ent},
		{"broken field rule", zone.ReasonListMessageInvalid, head + "ImpexpMarkcd", other("<ImpexpMarkcd>I</ImpexpMarkcd>", "<ImpexpMarkcd>Q</ImpexpMarkcd>"), fresh.ent},
		{"a change (申报类型 2)", zone.ReasonListMessageInvalid, head + "DclTypecd", other("<DclTypecd>1</DclTypecd>", "<DclTypecd>2</DclTypecd>", "DRAFT-5"), fresh.ent},
		{"another enterprise", zone.ReasonListMessageInvalid, head + "BizopEtpsSccd", other("<BizopEtpsSccd>"+w.uscc, "<BizopEtpsSccd>91310000MA1K00001X"), fresh.ent},
		{"customs files nothing", ledger.ReasonPermissionDenied, "", other("DRAFT-1", "DRAFT-2"), fresh.customs},
		{"billion laughs", zone.ReasonListMessageInvalid, "", append([]byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`), x[bytes.Index(x, []byte("<Signature")):]...), fresh.ent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fresh.msg.File(fresh.ctx, tc.p, tc.data, sasmessage.XML)
			wantReason(t, err, tc.reason, tc.field)
		})
	}
	ls, err := fresh.zone.ListLists(fresh.ctx, fresh.customs, zone.ListFilter{})
	if err != nil || len(ls) != 1 {
		t.Fatalf("refused messages filed lists: %v %d", err, len(ls))
	}
}

// receipt is customs' INV201 for a list: result code, the echoed head's
// states.
func receipt(t *testing.T, w *world, customsNo, inner, result, invtStucd, vrfded, rmk string) []byte {
	t.Helper()
	out, err := sas.EncodeINV201(sas.EnvelopInfo{Version: "1.0", MessageID: "CUS-" + customsNo + "-" + result + vrfded, SenderID: "CUS0000", ReceiverID: "E010000", SendTime: "2026-12-06T11:48:03"},
		sas.PocketInfo{PocketID: customsNo, TotalPocketQty: "1", CurPocketNo: "1"},
		sas.INV201Body{Result: sas.INV201Result{BusinessID: customsNo, ManageResult: result, ManageDate: "2026-12-06 11:48:02", Rmk: rmk},
			Head: &sas.INV201Head{BondInvtNo: customsNo, PutrecNo: w.book, EtpsInnerInvtNo: inner, BizopEtpsSccd: w.uscc, InvtStucd: invtStucd, VrfdedMarkcd: vrfded}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReceiptsStoreTheCustomsNumberAndMoveTheList(t *testing.T) {
	w := newWorld(t)
	l, err := w.zone.CreateList(w.ctx, w.ent, w.entryList("ERP-IN-2026-0001"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.zone.DeclareList(w.ctx, w.ent, l.No); err != nil {
		t.Fatal(err)
	}
	const cno = "QD460126I000000001"
	pre := receipt(t, w, cno, "ERP-IN-2026-0001", "4", "0", "1", "")
	out, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{pre})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || !out[0].Changed || out[0].List.CustomsNo != cno || out[0].List.Status != zone.ListApproved || out[0].List.CustomsStage != zone.CustomsPreDeducted {
		t.Fatalf("outcome %+v", out)
	}
	got, err := w.zone.GetList(w.ctx, w.ent, cno)
	if err != nil || got.No != l.No {
		t.Fatalf("by customs number: %v %s", err, got.No)
	}
	x, _, err := w.msg.Export(w.ctx, w.ent, cno, sasmessage.XML)
	if err != nil || !bytes.Contains(x, []byte("<BondInvtNo>"+cno+"</BondInvtNo>")) {
		t.Fatalf("the export names the customs number: %v\n%s", err, x)
	}
	// The same receipt again and an earlier stage after it change nothing.
	out, err = w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{pre, receipt(t, w, cno, "", "1", "0", "", "")})
	if err != nil || out[0].Changed || out[1].Changed || out[1].List.CustomsStage != zone.CustomsPreDeducted {
		t.Fatalf("again: %v %+v", err, out)
	}

	for _, tc := range []struct {
		name, reason, field string
		msg                 []byte
	}{
		{"unknown result code", zone.ReasonReceiptUnknownCode, "messages[1]/" + sas.INV201Path("HdeApprResult/manageResult"), receipt(t, w, cno, "ERP-IN-2026-0001", "9", "0", "1", "")},
		{"unknown verification mark", zone.ReasonReceiptUnknownCode, "messages[1]/" + sas.INV201Path("BondInvtBsc/vrfdedMarkcd"), receipt(t, w, cno, "ERP-IN-2026-0001", "1", "0", "7", "")},
		{"unknown list", zone.ReasonReceiptUnknownList, "messages[1]/" + sas.INV201Path("BondInvtBsc/etpsInnerInvtNo"), receipt(t, w, "QD460126I000000002", "NOPE", "1", "0", "", "")},
		{"malformed", zone.ReasonListMessageInvalid, "messages[1]/Package/DataInfo/BussinessData/INV201/HdeApprResult", []byte(strings.Replace(string(pre), "</HdeApprResult>", "", 1))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{pre, tc.msg})
			wantReason(t, err, tc.reason, tc.field)
		})
	}
	_, err = w.msg.ImportReceipts(w.ctx, w.ent, [][]byte{pre})
	wantReason(t, err, ledger.ReasonPermissionDenied, "")
}

func TestReceiptOfAReturnReturnsTheList(t *testing.T) {
	w := newWorld(t)
	l, err := w.zone.CreateList(w.ctx, w.ent, w.entryList("ERP-IN-2026-0002"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.zone.DeclareList(w.ctx, w.ent, l.No); err != nil {
		t.Fatal(err)
	}
	out, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{receipt(t, w, "QD460126I000000003", "ERP-IN-2026-0002", "3", "2", "0", "商品编码与备案不符")})
	if err != nil {
		t.Fatal(err)
	}
	if got := out[0].List; got.Status != zone.ListReturned || got.Note != "商品编码与备案不符" || got.CustomsStage != zone.CustomsReturned {
		t.Fatalf("returned: %+v", got)
	}
}
