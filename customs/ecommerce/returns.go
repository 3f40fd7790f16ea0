package ecommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// listReturnReceiving: the returned goods' journal is being posted.
const listReturnReceiving ListStatus = "RETURN_RECEIVING"

func jsonUnmarshal(body string, into any) error { return json.Unmarshal([]byte(body), into) }

// GetList returns an inventory list; a principal that may read its
// enterprise, or customs, may read it.
func (s *Service) GetList(ctx context.Context, p access.Principal, no string) (InventoryList, error) {
	l, err := loadList(ctx, s.pool, no, false)
	if err != nil {
		return l, dbError(err)
	}
	if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
		return InventoryList{}, err
	}
	return l, nil
}

// CancelOrder cancels an order whose list has not been released (its
// documents are not all in). A released order is returned instead.
func (s *Service) CancelOrder(ctx context.Context, p access.Principal, orderNo string) (Order, error) {
	var out Order
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		r, ok, err := loadOrder(ctx, tx, orderNo, true)
		if err != nil {
			return err
		}
		if !ok || r.bodies[kindOrder] == "" {
			return orderNotFound(orderNo)
		}
		if err := hideFrom(p, r.enterprise, orderNotFound(orderNo)); err != nil {
			return err
		}
		if err := canSubmit(p, r.enterprise); err != nil {
			return err
		}
		switch r.status {
		case OrderCancelled:
		case OrderPending, OrderRejected:
			r.status = OrderCancelled
			if err := setOrderStatus(ctx, tx, r); err != nil {
				return err
			}
		default:
			return refuse(ReasonWrongStatus, "order_no", "order %s is %s; a released order is returned, not cancelled", orderNo, r.status)
		}
		out, err = r.order()
		return err
	})
	return out, err
}

// RequestReturn applies for the return of a released list's goods (退货),
// within Settings.ReturnApplyDays of its release.
func (s *Service) RequestReturn(ctx context.Context, p access.Principal, no string) (InventoryList, error) {
	var out InventoryList
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := loadList(ctx, tx, no, true)
		if err != nil {
			return err
		}
		if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
			return err
		}
		if err := canSubmit(p, l.Enterprise); err != nil {
			return err
		}
		switch l.Status {
		case ListReturnRequested, listReturnReceiving, ListReturned:
			out = l
			return nil
		case ListReleased:
		default:
			return refuse(ReasonWrongStatus, "list_no", "list %s is %s; only a released list can be returned", no, l.Status)
		}
		last := l.ReleasedOn.AddDate(0, 0, s.set.ReturnApplyDays)
		if s.today().After(last) {
			return refuse(ReasonReturnWindowClosed, "list_no", "list %s was released on %s; returns had to be applied for by %s", no, ledger.FormatDate(l.ReleasedOn), ledger.FormatDate(last))
		}
		l.Status, l.ReturnAppliedOn = ListReturnRequested, s.today()
		out = l
		return saveList(ctx, tx, l)
	})
	return out, err
}

// ReceiveReturn books the returned goods back into bonded stock, within
// Settings.ReturnArriveDays of release: the tax is cancelled and the buyer's
// annual total restored.
func (s *Service) ReceiveReturn(ctx context.Context, p access.Principal, no string) (InventoryList, error) {
	var l InventoryList
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		l, err = loadList(ctx, tx, no, true)
		if err != nil {
			return err
		}
		if err := hideFrom(p, l.Enterprise, listNotFound(no)); err != nil {
			return err
		}
		if err := canSubmit(p, l.Enterprise); err != nil {
			return err
		}
		switch l.Status {
		case ListReturned, listReturnReceiving:
			return nil
		case ListReturnRequested:
		default:
			return refuse(ReasonWrongStatus, "list_no", "list %s is %s; apply for the return first", no, l.Status)
		}
		last := l.ReleasedOn.AddDate(0, 0, s.set.ReturnArriveDays)
		if s.today().After(last) {
			return refuse(ReasonReturnWindowClosed, "list_no", "list %s was released on %s; returned goods had to be back by %s", no, ledger.FormatDate(l.ReleasedOn), ledger.FormatDate(last))
		}
		l.Status = listReturnReceiving
		return saveList(ctx, tx, l)
	})
	if err != nil {
		return l, err
	}
	if l.Status == listReturnReceiving {
		if err := s.receive(ctx, l); err != nil {
			return l, err
		}
	}
	return loadList(ctx, s.pool, no, false)
}

// receive posts a return's journal and finishes it.
func (s *Service) receive(ctx context.Context, l InventoryList) error {
	req := ledger.JournalRequest{Book: l.Book, IdempotencyKey: l.No + ":return", EffectiveDate: s.today(),
		Document: ledger.Document{Type: "CEB621-RETURN", Number: l.No, TradeMode: "1210"}, Principal: "ecommerce",
		Metadata: map[string]string{"order_no": l.OrderNo}}
	for _, ln := range l.Lines {
		req.Postings = append(req.Postings, ledger.Posting{Item: ledger.ItemRef{Book: l.Book, Code: strconv.Itoa(ln.BookSeq)},
			From: ledger.World(zone.WorldDomestic), To: ledger.In(l.Book, zone.AccountBonded), Quantity: ln.Quantity, Unit: ln.Unit,
			Lot: fmt.Sprintf("%s-R%d", l.No, ln.Seq), LotAttributes: map[string]string{"flow": "ECOMMERCE_RETURN", "source_list": l.No}})
	}
	j, err := s.ledger.Post(ctx, req)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		c, err := loadList(ctx, tx, l.No, true)
		if err != nil || c.Status != listReturnReceiving {
			return err
		}
		c.Status, c.ReturnedOn, c.ReturnJournalID = ListReturned, j.EffectiveDate, j.ID
		if err := s.addTotals(ctx, tx, -1, c); err != nil {
			return err
		}
		return saveList(ctx, tx, c)
	})
}
