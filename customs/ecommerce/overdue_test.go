package ecommerce_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
)

// TestOverdueTaxListsReleasedListsPastTheirDueDate: a released list's tax
// is overdue from the day after its due date (release + PaymentDays) and
// leaves the listing when the goods come back; the warehouse enterprise
// sees its book's lists, another enterprise none, an admin is refused.
func TestOverdueTaxListsReleasedListsPastTheirDueDate(t *testing.T) {
	w := newWorld(t, map[int]string{3: "10"})
	var lists []string
	for i := 0; i < 2; i++ {
		o, p, wb := w.order(fmt.Sprintf("T%d", i), "0077", "SKU-MW", "1", "2400", "8516500000")
		got, err := w.submit(o, p, wb)
		must(t, err)
		lists = append(lists, got.ListNo)
	}
	released := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	due := released.AddDate(0, 0, ecommerce.DefaultSettings().PaymentDays)
	overdue := func(p access.Principal, asOf time.Time) []ecommerce.TaxOverdue {
		t.Helper()
		got, err := w.svc.OverdueTax(w.ctx, p, "", asOf)
		must(t, err)
		return got
	}
	if got := overdue(w.customs, due); len(got) != 0 {
		t.Fatalf("on the due date: %+v", got)
	}
	got := overdue(w.customs, due.AddDate(0, 0, 1))
	if len(got) != 2 || got[0].ListNo != lists[0] || !got[0].DueOn.Equal(due) || !got[0].Tax.IsPositive() || got[0].Book != w.book {
		t.Fatalf("the day after: %+v", got)
	}
	if own := overdue(w.warehouse, due.AddDate(0, 0, 1)); len(own) != 2 {
		t.Fatalf("the warehouse sees %d lists", len(own))
	}
	stranger := access.Principal{ID: "x", Role: access.RoleEnterprise, Enterprise: "91110000MA0000000X"}
	if other := overdue(stranger, due.AddDate(0, 0, 1)); len(other) != 0 {
		t.Fatalf("another enterprise sees %+v", other)
	}
	_, err := w.svc.OverdueTax(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, "", due)
	wantReason(t, err, "PERMISSION_DENIED")

	// List 0 comes back within the windows: its tax is cancelled, it leaves.
	w.clock.Add(5 * 24 * time.Hour)
	_, err = w.svc.RequestReturn(w.ctx, w.platform, lists[0], nil)
	must(t, err)
	_, err = w.svc.ReceiveReturn(w.ctx, w.warehouse, lists[0])
	must(t, err)
	got = overdue(w.customs, due.AddDate(0, 0, 1))
	if len(got) != 1 || got[0].ListNo != lists[1] {
		t.Fatalf("after the return: %+v", got)
	}
}
