package tests

// Bonded display trading (保税展示交易) end to end: a type-C form with a
// guarantee, goods out on display (still bonded on the book), sales taxed
// against the guarantee, customs' payments restoring it, goods back; the
// refusals change nothing; another enterprise cannot touch the form. Then
// the same through the built zonectl.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/prototext"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// displayEnv is a zone with a display-trading client.
type displayEnv struct {
	*zoneEnv
	display customsv1.DisplayServiceClient
}

func newDisplayEnv(t *testing.T) *displayEnv {
	t.Helper()
	z := newZoneEnv(t)
	return &displayEnv{zoneEnv: z, display: customsv1.NewDisplayServiceClient(z.s.Conn())}
}

// displayForm files a form of formType on book as e, valid from 10 days ago
// for 40 days, with guarantee ("" for none).
func (d *displayEnv) displayForm(t *testing.T, e zEnt, book, inner, formType, guarantee string) *customsv1.Form {
	t.Helper()
	resp, err := d.decl.CreateForm(ctxAs(t, e.tok), &customsv1.CreateFormRequest{InnerNo: inner, BookNo: book, FormType: formType,
		ValidFrom: day(-10), ValidUntil: day(30), Guarantee: guarantee})
	if err != nil {
		t.Fatalf("CreateForm %s (type %s): %v", inner, formType, err)
	}
	return resp.GetForm()
}

func (d *displayEnv) move(t *testing.T, tok string, req *customsv1.MoveDisplayRequest) (*customsv1.DisplayMove, error) {
	t.Helper()
	resp, err := d.display.MoveDisplay(ctxAs(t, tok), req)
	return resp.GetMove(), err
}

func (d *displayEnv) mustMove(t *testing.T, tok string, req *customsv1.MoveDisplayRequest) *customsv1.DisplayMove {
	t.Helper()
	m, err := d.move(t, tok, req)
	if err != nil {
		t.Fatalf("MoveDisplay %s (%s): %v", req.GetInnerNo(), req.GetKind(), err)
	}
	if m.GetMoveNo() == "" || m.GetJournalId() == 0 || m.GetKind() != req.GetKind() || m.GetApplyNo() != req.GetApplyNo() {
		t.Fatalf("MoveDisplay %s returned %v", req.GetInnerNo(), m)
	}
	return m
}

func (d *displayEnv) status(t *testing.T, tok, form, asOf string) *customsv1.GetDisplayStatusResponse {
	t.Helper()
	resp, err := d.display.GetDisplayStatus(ctxAs(t, tok), &customsv1.GetDisplayStatusRequest{ApplyNo: form, AsOf: asOf})
	if err != nil {
		t.Fatalf("GetDisplayStatus %s: %v", form, err)
	}
	return resp
}

// wantDisplayStatus checks a form's amounts and what it has on display
// ("seq=qty" per book line, in order).
func wantDisplayStatus(t *testing.T, r *customsv1.GetDisplayStatusResponse, assessed, paid, available string, overdue bool, onDisplay ...string) {
	t.Helper()
	var got []string
	for _, h := range r.GetOnDisplay() {
		got = append(got, fmt.Sprintf("%d=%s", h.GetBookSeq(), h.GetQuantity()))
	}
	f := r.GetForm()
	if r.GetGuarantee() != f.GetGuarantee() || r.GetTaxAssessed() != assessed || r.GetTaxPaid() != paid || r.GetAvailable() != available ||
		f.GetTaxAssessed() != assessed || f.GetTaxPaid() != paid || r.GetOverdue() != overdue || strings.Join(got, ",") != strings.Join(onDisplay, ",") {
		t.Fatalf("display status of %s: guarantee %s assessed %s paid %s available %s overdue %v on display %v (form: assessed %s paid %s);\n"+
			"want assessed %s paid %s available %s overdue %v on display %v",
			f.GetFormNo(), r.GetGuarantee(), r.GetTaxAssessed(), r.GetTaxPaid(), r.GetAvailable(), r.GetOverdue(), got, f.GetTaxAssessed(), f.GetTaxPaid(),
			assessed, paid, available, overdue, onDisplay)
	}
}

// wantDisplayStock checks a book line's bonded, available and display
// quantities (goods on display are bonded, not available).
func (d *displayEnv) wantDisplayStock(t *testing.T, book string, seq int32, bonded, available, display string) {
	t.Helper()
	l := d.stockLine(t, book, seq)
	if !dec(t, l.GetBonded()).Equal(dec(t, bonded)) || !dec(t, l.GetAvailable()).Equal(dec(t, available)) ||
		!dec(t, l.GetDisplay()).Equal(dec(t, display)) || !dec(t, l.GetReserved()).IsZero() || !dec(t, l.GetNonBonded()).IsZero() {
		t.Fatalf("stock of %s line %d: bonded %s available %s display %s reserved %s nonbonded %s; want bonded %s available %s display %s",
			book, seq, l.GetBonded(), l.GetAvailable(), l.GetDisplay(), l.GetReserved(), l.GetNonBonded(), bonded, available, display)
	}
}

// displayState is what a refused call must leave as it was: the book, the
// form's display status and the book's taxable events.
func (d *displayEnv) displayState(t *testing.T, book, form string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(d.bookState(t, book))
	b.WriteString(prototext.Format(d.status(t, d.customs, form, "")))
	for _, ev := range d.taxableEvents(t, d.customs, book) {
		b.WriteString(prototext.Format(ev))
	}
	return b.String()
}

func TestDisplayTradingUnderAGuarantee(t *testing.T) {
	d := newDisplayEnv(t)
	e1 := d.enterprise(t, "Display One Co., Ltd.")
	e2 := d.enterprise(t, "Display Two Co., Ltd.")
	book := d.hBook(t, e1)
	d.stockIn(t, e1, book, lineNotebook, "20", "100000.00")

	// A type-C form with a guarantee of 2,000 CNY. Notebooks (8471300000):
	// duty 0, VAT 13 %.
	f := d.displayForm(t, e1, book, "FC-1", "C", "2000")
	form := f.GetFormNo()
	if f.GetFormType() != "C" || f.GetGuarantee() != "2000.00" || f.GetTaxAssessed() != "0.00" || f.GetTaxPaid() != "0.00" {
		t.Fatalf("CreateForm returned %v", f)
	}
	wantDisplayStatus(t, d.status(t, e1.tok, form, ""), "0.00", "0.00", "2000.00", false)

	// Goods out on display: still bonded on the book, no longer available.
	out := &customsv1.MoveDisplayRequest{InnerNo: "DO-1", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "6"}}}
	mo := d.mustMove(t, e1.tok, out)
	if mo.GetBookNo() != book || mo.GetEnterprise() != e1.uscc || mo.GetTax() != "0.00" || mo.GetDate() == "" || !strings.HasPrefix(mo.GetMoveNo(), "ZS") {
		t.Fatalf("display out: %v", mo)
	}
	d.wantDisplayStock(t, book, lineNotebook, "20", "14", "6")
	// The same movement again is the same movement; another under its number is refused.
	if again := d.mustMove(t, e1.tok, out); again.GetMoveNo() != mo.GetMoveNo() || again.GetJournalId() != mo.GetJournalId() {
		t.Fatalf("replayed display out %v, first %v", again, mo)
	}
	d.wantDisplayStock(t, book, lineNotebook, "20", "14", "6")
	_, err := d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DO-1", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "7"}}})
	wantRefused(t, err, codes.AlreadyExists, "DUPLICATE_DOCUMENT_NUMBER", "inner_no", "another movement under DO-1")
	wantDisplayStatus(t, d.status(t, d.customs, form, ""), "0.00", "0.00", "2000.00", false, "1=6")
	// After the form's last day with goods still out: overdue.
	wantDisplayStatus(t, d.status(t, d.customs, form, day(31)), "0.00", "0.00", "2000.00", true, "1=6")

	// A sale: 2 at 5,000 each, VAT 1,300.00, covered by the guarantee.
	sale := d.mustMove(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DS-1", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "2", Value: "10000"}}})
	if sale.GetTax() != "1300.00" || sale.GetLines()[0].GetValue() != "10000.00" {
		t.Fatalf("sale: %v", sale)
	}
	d.wantDisplayStock(t, book, lineNotebook, "18", "14", "4")
	wantDisplayStatus(t, d.status(t, e1.tok, form, ""), "1300.00", "0.00", "700.00", false, "1=4")
	evs := d.taxableEvents(t, e1.tok, book)
	if len(evs) != 1 || evs[0].GetListNo() != sale.GetMoveNo() || evs[0].GetVat() != "1300.00" || evs[0].GetTotal() != "1300.00" ||
		evs[0].GetDutiableValue() != "10000.00" || evs[0].GetQuantity() != "2" {
		t.Fatalf("taxable events after the sale: %v", evs)
	}

	// One more at 6,000: VAT 780.00 > 700.00 left: refused, nothing moves.
	sale2 := &customsv1.MoveDisplayRequest{InnerNo: "DS-2", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1", Value: "6000.00"}}}
	before := d.displayState(t, book, form)
	_, err = d.move(t, e1.tok, sale2)
	wantRefused(t, err, codes.FailedPrecondition, "GUARANTEE_EXCEEDED", "lines", "a sale beyond the guarantee", "780.00", "700.00")
	if after := d.displayState(t, book, form); after != before {
		t.Fatalf("the refused sale changed the form or the taxable events:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Only customs records payments; another enterprise cannot touch the form.
	_, err = d.display.PayDisplayTax(ctxAs(t, e1.tok), &customsv1.PayDisplayTaxRequest{ApplyNo: form, Amount: "1300.00", PaymentNo: "PAY-1"})
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "the enterprise records its own payment")
	_, err = d.display.PayDisplayTax(ctxAs(t, e2.tok), &customsv1.PayDisplayTaxRequest{ApplyNo: form, Amount: "1300.00", PaymentNo: "PAY-1"})
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "another enterprise pays")
	_, err = d.display.GetDisplayStatus(ctxAs(t, e2.tok), &customsv1.GetDisplayStatusRequest{ApplyNo: form})
	// Another enterprise's form is not there for it: NotFound, as an unknown number.
	wantRefused(t, err, codes.NotFound, "UNKNOWN_DOCUMENT", "apply_no", "another enterprise reads the form")
	for _, k := range []customsv1.DisplayKind{customsv1.DisplayKind_DISPLAY_KIND_OUT, customsv1.DisplayKind_DISPLAY_KIND_SALE, customsv1.DisplayKind_DISPLAY_KIND_BACK} {
		_, err = d.move(t, e2.tok, &customsv1.MoveDisplayRequest{InnerNo: "E2-" + k.String(), ApplyNo: form, Kind: k,
			Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1", Value: "1.00"}}})
		wantRefused(t, err, codes.NotFound, "UNKNOWN_DOCUMENT", "apply_no", "another enterprise moves goods on the form ("+k.String()+")")
	}
	_, err = d.move(t, d.customs, &customsv1.MoveDisplayRequest{InnerNo: "C-1", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_BACK,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	wantRefused(t, err, codes.PermissionDenied, "PERMISSION_DENIED", "-", "customs files a movement")
	_, err = d.display.GetDisplayStatus(ctxAs(t, ""), &customsv1.GetDisplayStatusRequest{ApplyNo: form})
	wantCode(t, err, codes.Unauthenticated, "no token")
	// More than the unpaid tax is refused.
	_, err = d.display.PayDisplayTax(ctxAs(t, d.customs), &customsv1.PayDisplayTaxRequest{ApplyNo: form, Amount: "1300.01", PaymentNo: "PAY-1"})
	wantRefused(t, err, codes.FailedPrecondition, "PAYMENT_EXCEEDS_TAX", "amount", "paying more than the unpaid tax")
	if after := d.displayState(t, book, form); after != before {
		t.Fatalf("the refused calls changed the form or the taxable events:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Customs records the period's payment: the guarantee covers it all again.
	pay, err := d.display.PayDisplayTax(ctxAs(t, d.customs), &customsv1.PayDisplayTaxRequest{ApplyNo: form, Amount: "1300", PaymentNo: "PAY-1"})
	if err != nil {
		t.Fatalf("PayDisplayTax: %v", err)
	}
	if pay.GetAvailable() != "2000.00" || pay.GetForm().GetTaxPaid() != "1300.00" || pay.GetForm().GetTaxAssessed() != "1300.00" {
		t.Fatalf("PayDisplayTax returned %v", pay)
	}
	wantDisplayStatus(t, d.status(t, e1.tok, form, ""), "1300.00", "1300.00", "2000.00", false, "1=4")

	// The refused sale, filed again under its number, goes through now.
	s2 := d.mustMove(t, e1.tok, sale2)
	if s2.GetTax() != "780.00" {
		t.Fatalf("second sale: %v", s2)
	}
	d.wantDisplayStock(t, book, lineNotebook, "17", "14", "3")
	wantDisplayStatus(t, d.status(t, e1.tok, form, ""), "2080.00", "1300.00", "1220.00", false, "1=3")

	// Unsold goods back; more than is on display is refused.
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DB-X", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_BACK,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "4"}}})
	wantRefused(t, err, codes.FailedPrecondition, "INSUFFICIENT_STOCK", "lines[0].quantity", "more back than is on display")
	d.mustMove(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DB-1", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_BACK,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "3"}}})
	d.wantDisplayStock(t, book, lineNotebook, "17", "17", "0")
	// Nothing out: not overdue, even after the form's last day.
	wantDisplayStatus(t, d.status(t, d.customs, form, ""), "2080.00", "1300.00", "1220.00", false)
	wantDisplayStatus(t, d.status(t, d.customs, form, day(60)), "2080.00", "1300.00", "1220.00", false)
	if evs := d.taxableEvents(t, d.customs, book); len(evs) != 2 || evs[1].GetTotal() != "780.00" {
		t.Fatalf("taxable events: %v", evs)
	}

	// Forms that are not for display trading, forms that do not exist, and
	// malformed requests are refused naming the field.
	fa := d.displayForm(t, e1, book, "FA-1", "A", "")
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DO-A", ApplyNo: fa.GetFormNo(), Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	wantRefused(t, err, codes.InvalidArgument, "NOT_A_DISPLAY_FORM", "apply_no", "a type-A form")
	_, err = d.display.GetDisplayStatus(ctxAs(t, e1.tok), &customsv1.GetDisplayStatusRequest{ApplyNo: fa.GetFormNo()})
	wantRefused(t, err, codes.InvalidArgument, "NOT_A_DISPLAY_FORM", "apply_no", "the status of a type-A form")
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DO-N", ApplyNo: "SQC-NO-SUCH-FORM", Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	wantRefused(t, err, codes.NotFound, "UNKNOWN_DOCUMENT", "apply_no", "an unknown form")
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DO-K", ApplyNo: form,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	wantInvalid(t, err, "kind", "no kind")
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DS-V", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_SALE,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1"}}})
	wantInvalid(t, err, "lines[0].value", "a sale without a price")
	_, err = d.move(t, e1.tok, &customsv1.MoveDisplayRequest{InnerNo: "DO-Q", ApplyNo: form, Kind: customsv1.DisplayKind_DISPLAY_KIND_OUT,
		Lines: []*customsv1.DisplayLine{{BookSeq: lineNotebook, Quantity: "1e3"}}})
	wantInvalid(t, err, "lines[0].quantity", "a quantity with an exponent")
	_, err = d.display.PayDisplayTax(ctxAs(t, d.customs), &customsv1.PayDisplayTaxRequest{ApplyNo: form, Amount: "10.001", PaymentNo: "PAY-1"})
	wantInvalid(t, err, "amount", "an amount below the fen")
	d.wantDisplayStock(t, book, lineNotebook, "17", "17", "0")
}

// TestZonectlDisplay drives display trading through the built zonectl:
// out and sale with --line, a sale from a CSV file, the refusals' exit
// codes and reasons, customs' payment and the status.
func TestZonectlDisplay(t *testing.T) {
	needZonectl(t)
	d := newDisplayEnv(t)
	e1 := d.enterprise(t, "Display Three Co., Ltd.")
	e2 := d.enterprise(t, "Display Four Co., Ltd.")
	book := d.hBook(t, e1)
	d.stockIn(t, e1, book, lineNotebook, "10", "50000.00")
	c := &ctl{t: t, addr: d.s.Addr, dir: t.TempDir()}

	form := strings.TrimSpace(c.must(e1.tok, "customs", "form", "create", "--inner-no", "FC-Z", "--book", book, "--type", "C",
		"--from", day(-1), "--until", day(20), "--guarantee", "1000.00", "-q"))
	moveNo := strings.TrimSpace(c.must(e1.tok, "customs", "display", "out", "--form", form, "--inner-no", "ZO-1", "--line", "1:5", "-q"))
	if !strings.HasPrefix(moveNo, "ZS") {
		t.Fatalf("display out -q printed %q", moveNo)
	}
	// The same command again prints the same movement.
	if again := strings.TrimSpace(c.must(e1.tok, "customs", "display", "out", "--form", form, "--inner-no", "ZO-1", "--line", "1:5", "-q")); again != moveNo {
		t.Fatalf("display out again printed %q, first %q", again, moveNo)
	}
	d.wantDisplayStock(t, book, lineNotebook, "10", "5", "5")

	// A sale from a CSV file: VAT 13 % of 4,000.00 is 520.00.
	sales := c.file("sales.csv", "inner_no,book_seq,quantity,value\nZS-1,1,1,4000.00\n")
	var sold struct {
		MoveNo string `json:"move_no"`
		Tax    string `json:"tax"`
		Kind   string `json:"kind"`
	}
	out := c.must(e1.tok, "-o", "json", "customs", "display", "sale", "--file", sales, "--form", form)
	if err := json.Unmarshal([]byte(out), &sold); err != nil || sold.Tax != "520.00" || sold.Kind != "DISPLAY_KIND_SALE" || sold.MoveNo == "" {
		t.Fatalf("display sale -o json printed %s (%v)", out, err)
	}

	// 2 more at 4,000.00 each: 1,040.00 > 480.00 left.
	_, errOut, code := c.run(e1.tok, "customs", "display", "sale", "--form", form, "--inner-no", "ZS-2", "--line", "1:2:8000.00")
	if code != 1 || !strings.Contains(errOut, "reason=GUARANTEE_EXCEEDED") {
		t.Fatalf("a sale beyond the guarantee: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = c.run(e1.tok, "customs", "display", "pay", form, "520.00", "--payment-no", "PAY-9")
	if code != 1 || !strings.Contains(errOut, "reason=PERMISSION_DENIED") {
		t.Fatalf("the enterprise pays: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = c.run(e2.tok, "customs", "display", "status", form)
	if code != 1 || !strings.Contains(errOut, "reason=UNKNOWN_DOCUMENT") {
		t.Fatalf("another enterprise reads the status: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = c.run(e1.tok, "customs", "display", "sale", "--form", form, "--inner-no", "ZS-3", "--line", "1:1")
	if code != 2 || !strings.Contains(errOut, "is required on a sale") {
		t.Fatalf("a sale without a price: exit %d, stderr %s", code, errOut)
	}
	pay := c.must(d.customs, "-o", "csv", "customs", "display", "pay", form, "520.00", "--payment-no", "PAY-9")
	if rec := displayCSV(t, pay); len(rec) != 1 || rec[0]["tax_paid"] != "520.00" || rec[0]["available"] != "1000.00" {
		t.Fatalf("display pay printed %s", pay)
	}
	c.must(e1.tok, "customs", "display", "back", "--form", form, "--inner-no", "ZB-1", "--line", "1:2")
	st := displayCSV(t, c.must(e1.tok, "-o", "csv", "customs", "display", "status", form))
	if len(st) != 1 || st[0]["book_seq"] != "1" || st[0]["on_display"] != "2" || st[0]["tax_assessed"] != "520.00" ||
		st[0]["available"] != "1000.00" || st[0]["overdue"] != "false" {
		t.Fatalf("display status printed %v", st)
	}
	d.wantDisplayStock(t, book, lineNotebook, "9", "7", "2")
	// Goods still out after the form's last day are reported; today nothing is overdue.
	if over := displayCSV(t, c.must(d.customs, "-o", "csv", "customs", "display", "overdue")); len(over) != 0 {
		t.Fatalf("overdue today: %v", over)
	}
	over := displayCSV(t, c.must(d.customs, "-o", "csv", "customs", "display", "overdue", "--as-of", "2099-01-01"))
	if len(over) != 1 || over[0]["form_no"] != form || over[0]["on_display"] != "2" || over[0]["overdue"] != "true" {
		t.Fatalf("overdue in 2099: %v", over)
	}
}

// displayCSV reads zonectl's CSV output as one map per row.
func displayCSV(t *testing.T, out string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) < 1 {
		t.Fatalf("not CSV: %q: %v", out, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		rows = append(rows, m)
	}
	return rows
}
