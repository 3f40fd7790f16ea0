package main

import (
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestTaxableRowShowsWaived(t *testing.T) {
	row := taxableView.rows(&customsv1.TaxableEvent{Id: 1, Duty: "0.00", Rule: "DOMESTIC_SALE", Waived: []string{"DUTY", "VAT"}})[0]
	if len(row) != len(taxableView.header) {
		t.Fatalf("%d cells for %d columns", len(row), len(taxableView.header))
	}
	for i, h := range taxableView.header {
		if h == "waived" {
			if row[i] != "DUTY;VAT" {
				t.Errorf("waived cell %q, want %q", row[i], "DUTY;VAT")
			}
			return
		}
	}
	t.Errorf("no waived column in %q", taxableView.header)
}

func TestTaxableRowShowsInterest(t *testing.T) {
	row := taxableView.rows(&customsv1.TaxableEvent{Id: 1, TaxDate: "2026-06-10", DutyBasis: "MATERIALS", InterestFrom: "2026-03-02", InterestDays: 100,
		Interest: "0.50", InterestRate: "0.0035"})[0]
	want := map[string]string{"tax_date": "2026-06-10", "duty_basis": "MATERIALS", "interest_from": "2026-03-02", "interest_days": "100",
		"interest": "0.50", "interest_rate": "0.0035"}
	for i, h := range taxableView.header {
		if w, ok := want[h]; ok {
			if row[i] != w {
				t.Errorf("%s cell %q, want %q", h, row[i], w)
			}
			delete(want, h)
		}
	}
	if len(want) != 0 {
		t.Errorf("no columns %v in %q", want, taxableView.header)
	}
}
