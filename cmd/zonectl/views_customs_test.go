package main

import (
	"testing"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

func TestTaxableRowShowsWaived(t *testing.T) {
	row := taxableRow(&customsv1.TaxableEvent{Id: 1, Duty: "0.00", Rule: "DOMESTIC_SALE", Waived: []string{"DUTY", "VAT"}})
	if len(row) != len(taxableHeader) {
		t.Fatalf("%d cells for %d columns", len(row), len(taxableHeader))
	}
	for i, h := range taxableHeader {
		if h == "waived" {
			if row[i] != "DUTY;VAT" {
				t.Errorf("waived cell %q, want %q", row[i], "DUTY;VAT")
			}
			return
		}
	}
	t.Errorf("no waived column in %q", taxableHeader)
}
