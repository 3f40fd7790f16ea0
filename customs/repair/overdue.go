package repair

import (
	"context"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// OverdueItems implements zone.OverdueSource: the open repair orders past
// their due day as of asOf, as rows of the zone's one overdue listing
// (zone.Service.ListOverdue), for the book given or, with book empty,
// every book p reads. A platform reads no repair orders: it gets none.
func (s *Service) OverdueItems(ctx context.Context, p access.Principal, book string, asOf time.Time) ([]zone.OverdueItem, error) {
	if book == "" && p.Role == access.RolePlatform {
		return nil, nil
	}
	orders, err := s.ListOverdue(ctx, p, book, asOf)
	if err != nil {
		return nil, err
	}
	out := make([]zone.OverdueItem, 0, len(orders))
	for _, o := range orders {
		docs := []string{o.No}
		if o.List != "" {
			docs = append(docs, o.List)
		}
		out = append(out, zone.OverdueItem{Kind: zone.OverdueRepairOrder, Enterprise: o.Enterprise, Book: o.Book, Documents: docs,
			Due: o.Due, Quantity: o.Quantity, Note: "repair order open in the zone after its period (setting repair_period_days)"})
	}
	return out, nil
}
