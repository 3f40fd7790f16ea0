package repair

import (
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestOverdueRepairOrdersInTheZonesOneListing: a repair order past its
// period is a row of zone.Service.ListOverdue once the repair centre is
// its source; customs and the owner see it, another enterprise does not.
func TestOverdueRepairOrdersInTheZonesOneListing(t *testing.T) {
	set := DefaultSettings()
	set.RepairPeriodDays = 30
	w := newWorldWith(t, set)
	in := w.receive(w.book, 2, "2", true, false)
	o, err := w.svc.OpenOrder(w.ctx, w.e1, Order{InnerNo: "R-1", Book: w.book, List: in, BookSeq: 2, Quantity: d("2")})
	w.must(err)
	w.zone.SetOverdueSource(w.svc)
	day := o.Date // the zone's business date the order was opened on
	for _, c := range []struct {
		p    access.Principal
		asOf time.Time
		want int
	}{{w.customs, day.AddDate(0, 0, 31), 1}, {w.e1, day.AddDate(0, 0, 31), 1}, {w.e2, day.AddDate(0, 0, 31), 0}, {w.customs, day.AddDate(0, 0, 30), 0}} {
		page, err := w.zone.ListOverdue(w.ctx, c.p, zone.OverdueQuery{AsOf: c.asOf})
		w.must(err)
		if len(page.Items) != c.want {
			t.Fatalf("%s as of %s: %+v", c.p.ID, ledger.FormatDate(c.asOf), page.Items)
		}
		if c.want == 1 {
			it := page.Items[0]
			if it.Kind != zone.OverdueRepairOrder || it.Documents[0] != o.No || it.DaysOverdue != 1 || !it.Due.Equal(o.Due) || !it.Quantity.Equal(d("2")) {
				t.Fatalf("row %+v", it)
			}
		}
	}
}
