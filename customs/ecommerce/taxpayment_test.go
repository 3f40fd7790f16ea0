package ecommerce_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
)

// paidWorld releases n lists and returns their numbers, their tax in
// total, and the first day their tax is overdue.
func paidWorld(t *testing.T, n int) (*world, []string, decimal.Decimal, time.Time) {
	t.Helper()
	w := newWorld(t, map[int]string{3: "10"})
	var lists []string
	total := decimal.Zero
	for i := 0; i < n; i++ {
		o, p, wb := w.order(fmt.Sprintf("P%d", i), "0077", "SKU-MW", "1", "2400", "8516500000")
		got, err := w.submit(o, p, wb)
		must(t, err)
		l, err := w.svc.GetList(w.ctx, w.customs, got.ListNo)
		must(t, err)
		lists, total = append(lists, l.No), total.Add(l.Tax)
	}
	released := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	return w, lists, total, released.AddDate(0, 0, ecommerce.DefaultSettings().PaymentDays+1)
}

func (w *world) overdueNos(asOf time.Time) []string {
	w.t.Helper()
	got, err := w.svc.OverdueTax(w.ctx, w.customs, "", asOf)
	must(w.t, err)
	var out []string
	for _, o := range got {
		out = append(out, o.ListNo)
	}
	return out
}

// TestRecordTaxPaymentClearsOverdueTax: a payment of the tax due of the
// lists named, to the fen, marks them paid (GetInventoryList shows it) and
// they leave OverdueTax; the list not paid stays. The same payment again
// is a no-op.
func TestRecordTaxPaymentClearsOverdueTax(t *testing.T) {
	w, lists, _, overdue := paidWorld(t, 3)
	paid := decimal.Zero
	for _, no := range lists[:2] {
		l, err := w.svc.GetList(w.ctx, w.customs, no)
		must(t, err)
		paid = paid.Add(l.Tax)
	}
	w.clock.Add(10 * 24 * time.Hour)
	pay := ecommerce.TaxPayment{No: "TP-1", Amount: paid, PaidOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), ListNos: []string{lists[1], lists[0]}}
	got, err := w.svc.RecordTaxPayment(w.ctx, w.customs, pay)
	must(t, err)
	if got.Guarantor != "TMALL" || !got.Amount.Equal(paid) || len(got.ListNos) != 2 || got.RecordedBy != w.customs.ID {
		t.Fatalf("payment %+v", got)
	}
	for _, no := range lists[:2] {
		l, err := w.svc.GetList(w.ctx, w.platform, no)
		must(t, err)
		if l.TaxPaymentNo != "TP-1" || ledger.FormatDate(l.TaxPaidOn) != "2026-11-20" {
			t.Fatalf("list %s: paid by %q on %v", no, l.TaxPaymentNo, l.TaxPaidOn)
		}
	}
	if nos := w.overdueNos(overdue); len(nos) != 1 || nos[0] != lists[2] {
		t.Fatalf("overdue after payment: %v, want only %s", nos, lists[2])
	}
	// A retry with the same content (lists in another order) answers the payment as recorded.
	pay.ListNos = []string{lists[0], lists[1]}
	again, err := w.svc.RecordTaxPayment(w.ctx, w.customs, pay)
	must(t, err)
	if !again.RecordedAt.Equal(got.RecordedAt) {
		t.Fatalf("retry recorded again: %v, first %v", again.RecordedAt, got.RecordedAt)
	}
	// The same number with other content is refused.
	pay.ListNos = []string{lists[0]}
	_, err = w.svc.RecordTaxPayment(w.ctx, w.customs, pay)
	wantField(t, err, ecommerce.ReasonTaxPaymentReused, "payment_no")
}

func wantField(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v, want reason %s on field %s", err, reason, field)
	}
}

// TestRecordTaxPaymentRefusals: a wrong amount (a fen off), a list paid
// twice, a list of no tax, and a principal other than customs are refused
// with their reasons and fields, and nothing is stored.
func TestRecordTaxPaymentRefusals(t *testing.T) {
	w, lists, total, overdue := paidWorld(t, 2)
	w.clock.Add(10 * 24 * time.Hour)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	pay := func(p access.Principal, no string, amount decimal.Decimal, nos ...string) error {
		_, err := w.svc.RecordTaxPayment(w.ctx, p, ecommerce.TaxPayment{No: no, Amount: amount, PaidOn: day, ListNos: nos})
		return err
	}
	fen := decimal.New(1, -2)
	wantField(t, pay(w.customs, "TP-1", total.Sub(fen), lists...), ecommerce.ReasonTaxPaymentAmount, "amount")
	wantField(t, pay(w.customs, "TP-1", total.Add(fen), lists...), ecommerce.ReasonTaxPaymentAmount, "amount")
	wantField(t, pay(w.customs, "TP-1", total, lists[0], "QLNONE"), ecommerce.ReasonUnknownList, "list_nos[1]")
	wantField(t, pay(w.customs, "TP-1", total, lists[0], lists[0]), ledger.ReasonInvalidArgument, "list_nos[1]")
	_, err := w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-1", Amount: total, PaidOn: day.AddDate(0, 0, 30), ListNos: lists})
	wantField(t, err, ledger.ReasonInvalidArgument, "paid_on")
	for _, p := range []access.Principal{w.warehouse, w.platform, {ID: "root", Role: access.RoleAdmin}, {ID: "off", Role: access.RoleCustoms, Disabled: true}} {
		wantReason(t, pay(p, "TP-1", total, lists...), ledger.ReasonPermissionDenied)
	}
	// Nothing was stored: both lists are unpaid and overdue, and TP-1 is free.
	if nos := w.overdueNos(overdue); len(nos) != 2 {
		t.Fatalf("overdue after refusals: %v", nos)
	}
	for _, no := range lists {
		l, err := w.svc.GetList(w.ctx, w.customs, no)
		must(t, err)
		if l.TaxPaymentNo != "" {
			t.Fatalf("list %s paid by %s after refusals", no, l.TaxPaymentNo)
		}
	}
	l0, err := w.svc.GetList(w.ctx, w.customs, lists[0])
	must(t, err)
	must(t, pay(w.customs, "TP-1", l0.Tax, lists[0]))
	// List 0 again, alone or with list 1, under another number: already paid.
	wantField(t, pay(w.customs, "TP-2", l0.Tax, lists[0]), ecommerce.ReasonTaxAlreadyPaid, "list_nos[0]")
	wantField(t, pay(w.customs, "TP-2", total, lists[1], lists[0]), ecommerce.ReasonTaxAlreadyPaid, "list_nos[1]")
	l1, err := w.svc.GetList(w.ctx, w.customs, lists[1])
	must(t, err)
	if l1.TaxPaymentNo != "" {
		t.Fatalf("list %s paid by %s after a refused payment", l1.No, l1.TaxPaymentNo)
	}
	// A wholly returned list has no tax to pay.
	_, err = w.svc.RequestReturn(w.ctx, w.platform, lists[1], nil)
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, lists[1])
	must(t, err)
	wantField(t, pay(w.customs, "TP-3", l1.Tax, lists[1]), ecommerce.ReasonWrongStatus, "list_nos[0]")
}

// TestRecordTaxPaymentOneGuarantorAndDay: lists of two guarantors in one
// payment are refused naming the list of the other guarantor, and so is a
// payment day before a list's release.
func TestRecordTaxPaymentOneGuarantorAndDay(t *testing.T) {
	w, lists, _, _ := paidWorld(t, 1)
	// The channel's guarantor changes: the next list is guaranteed by JD.
	_, err := w.svc.RegisterChannel(w.ctx, w.customs, ecommerce.Channel{Enterprise: w.ebc, Name: "Shop", Platform: "TMALL", Book: w.book, Guarantor: "JD"})
	must(t, err)
	o, p, wb := w.order("G1", "0078", "SKU-MW", "1", "2400", "8516500000")
	got, err := w.submit(o, p, wb)
	must(t, err)
	l0, err := w.svc.GetList(w.ctx, w.customs, lists[0])
	must(t, err)
	l1, err := w.svc.GetList(w.ctx, w.customs, got.ListNo)
	must(t, err)
	if l0.Guarantor != "TMALL" || l1.Guarantor != "JD" {
		t.Fatalf("guarantors %s, %s", l0.Guarantor, l1.Guarantor)
	}
	day := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	_, err = w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-G", Amount: l0.Tax.Add(l1.Tax), PaidOn: day, ListNos: []string{l1.No, l0.No}})
	wantField(t, err, ecommerce.ReasonTaxPaymentGuarantors, "list_nos[1]") // lists are taken in ascending order: QLG1 first
	_, err = w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-G", Amount: l0.Tax, PaidOn: day.AddDate(0, 0, -1), ListNos: []string{l0.No}})
	wantField(t, err, ledger.ReasonInvalidArgument, "paid_on")
	for _, l := range []ecommerce.InventoryList{l0, l1} {
		_, err = w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-" + l.Guarantor, Amount: l.Tax, PaidOn: day, ListNos: []string{l.No}})
		must(t, err)
	}
}

// TestRecordTaxPaymentConcurrentPaysOnce: payments under different numbers
// racing for the same list: exactly one is recorded, the others are
// refused as already paid.
func TestRecordTaxPaymentConcurrentPaysOnce(t *testing.T) {
	w, lists, total, _ := paidWorld(t, 1)
	const n = 6
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: fmt.Sprintf("TP-RACE-%d", i), Amount: total,
				PaidOn: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC), ListNos: lists})
			errs <- err
		}()
	}
	ok := 0
	for i := 0; i < n; i++ {
		err := <-errs
		if err == nil {
			ok++
			continue
		}
		wantField(t, err, ecommerce.ReasonTaxAlreadyPaid, "list_nos[0]")
	}
	if ok != 1 {
		t.Fatalf("%d payments recorded for one list, want 1", ok)
	}
	var payments int
	must(t, w.store.Pool().QueryRow(w.ctx, `SELECT count(*) FROM ecom_tax_payments`).Scan(&payments))
	if payments != 1 {
		t.Fatalf("%d payments stored, want 1", payments)
	}
}

// TestSettlementShowsWhatIsPaid: after a payment of two of three lists,
// the settlement shows each paid list's payment number and day, and the
// totals due, paid and unpaid — in the settlement, its CSV and its XLSX.
func TestSettlementShowsWhatIsPaid(t *testing.T) {
	w, lists, total, _ := paidWorld(t, 3)
	paid := decimal.Zero
	for _, no := range lists[:2] {
		l, err := w.svc.GetList(w.ctx, w.customs, no)
		must(t, err)
		paid = paid.Add(l.Tax)
	}
	w.clock.Add(10 * 24 * time.Hour)
	_, err := w.svc.RecordTaxPayment(w.ctx, w.customs, ecommerce.TaxPayment{No: "TP-9", Amount: paid, PaidOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), ListNos: lists[:2]})
	must(t, err)
	st, err := w.svc.Settle(w.ctx, w.customs, "TMALL", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	must(t, err)
	if !st.Tax.Equal(total) || !st.Paid.Equal(paid) || !st.Unpaid.Equal(total.Sub(paid)) || st.Unpaid.IsZero() {
		t.Fatalf("settlement totals due %s paid %s unpaid %s, want %s %s %s", st.Tax, st.Paid, st.Unpaid, total, paid, total.Sub(paid))
	}
	byNo := map[string]ecommerce.SettlementLine{}
	for _, l := range st.Lists {
		byNo[l.ListNo] = l
	}
	for i, no := range lists {
		l := byNo[no]
		wantNo, wantOn := "TP-9", "2026-11-20"
		if i == 2 {
			wantNo, wantOn = "", "0001-01-01"
		}
		if l.TaxPaymentNo != wantNo || ledger.FormatDate(l.TaxPaidOn) != wantOn {
			t.Fatalf("list %s in the settlement: paid by %q on %s, want %q on %s", no, l.TaxPaymentNo, ledger.FormatDate(l.TaxPaidOn), wantNo, wantOn)
		}
	}
	var buf bytes.Buffer
	must(t, st.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	must(t, err)
	head, last := recs[0], recs[len(recs)-1]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, r := range recs[1 : len(recs)-1] {
		wantPaid, wantUnpaid := "0.00", byNo[r[0]].Tax.StringFixed(2)
		if r[col["tax_payment_no"]] == "TP-9" && r[col["tax_paid_on"]] == "2026-11-20" {
			wantPaid, wantUnpaid = wantUnpaid, "0.00"
		} else if r[0] != lists[2] || r[col["tax_payment_no"]] != "" {
			t.Fatalf("csv row %v", r)
		}
		if r[col["paid"]] != wantPaid || r[col["unpaid"]] != wantUnpaid {
			t.Fatalf("csv row %v: paid %s unpaid %s, want %s %s", r, r[col["paid"]], r[col["unpaid"]], wantPaid, wantUnpaid)
		}
	}
	if last[0] != "TOTAL" || last[8] != total.StringFixed(2) || last[col["paid"]] != paid.StringFixed(2) || last[col["unpaid"]] != total.Sub(paid).StringFixed(2) {
		t.Fatalf("csv total %v", last)
	}
	buf.Reset()
	must(t, st.WriteXLSX(&buf))
	f, err := excelize.OpenReader(&buf)
	must(t, err)
	rows, err := f.GetRows("Settlement")
	must(t, err)
	if len(rows) != len(recs) || fmt.Sprint(rows[len(rows)-1]) != fmt.Sprint(last) || fmt.Sprint(rows[0]) != fmt.Sprint(head) {
		t.Fatalf("xlsx rows %v, want the csv's %v", rows, recs)
	}
}
