package ecommerce

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/zoneledger/zoneledger/ledger"
)

// docKind indexes an order's three documents.
type docKind int

const (
	kindOrder docKind = iota
	kindPayment
	kindWaybill
)

var kindNames = [3]string{"order", "payment", "waybill"}

// orderRow is an order's row: its documents as received (JSON bodies, ""
// while missing) and where it is.
type orderRow struct {
	no, enterprise, status, reason, listNo string
	bodies                                 [3]string
}

func (r orderRow) complete() bool {
	return r.bodies[kindOrder] != "" && r.bodies[kindPayment] != "" && r.bodies[kindWaybill] != ""
}

// order is the order as it stands: its document with the row's status, or,
// before the order itself is in, just its number, enterprise and status.
func (r orderRow) order() (Order, error) { return r.orderWith(nil) }

// orderWith is order with the order document given when known (an Order,
// or nil to decode the row's).
func (r orderRow) orderWith(known any) (Order, error) {
	o := Order{OrderNo: r.no, Enterprise: r.enterprise}
	if k, ok := known.(Order); ok {
		o = k
	} else if b := r.bodies[kindOrder]; b != "" {
		if err := jsonUnmarshal(b, &o); err != nil {
			return Order{}, err
		}
	}
	o.Status, o.Reason, o.ListNo = r.status, r.reason, r.listNo
	return o, nil
}

// docWrite is one received document on its way to its order's row.
type docWrite struct {
	kind                            docKind
	orderNo, enterprise, hash, body string
	// doc is the document itself (an Order, a Payment or a Waybill), so
	// that the body need not be decoded again once stored.
	doc  any
	row  orderRow
	err  error
	done chan struct{}
}

func newDocWrite(kind docKind, orderNo, enterprise, hash string, doc any) *docWrite {
	return &docWrite{kind: kind, orderNo: orderNo, enterprise: enterprise, hash: hash, body: mustJSON(doc), doc: doc, done: make(chan struct{})}
}

// store writes documents to their orders' rows through the intake batcher
// and waits for them. A document's err says why it was not stored; its row
// is the order's row after the write.
func (s *Service) store(ctx context.Context, ws []*docWrite) error {
	if !s.intake.Submit(ws...) {
		return errStopped
	}
	for _, w := range ws {
		select {
		case <-w.done:
		case <-ctx.Done():
			return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "",
				"gave up waiting for the document to be stored; it may be: send it again (the same document again is a no-op)")
		}
	}
	return nil
}

// writeDocs is the intake batcher's body: the documents of concurrent
// calls are stored with one statement, which also returns their orders'
// rows, so each call learns at once whether its order is complete.
func (s *Service) writeDocs(ws []*docWrite) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	rows, err := s.upsertDocs(ctx, ws)
	for _, w := range ws {
		if err != nil {
			w.err = dbError(err)
		} else {
			w.row, w.err = rows[w.orderNo], checkStored(w, rows[w.orderNo])
		}
		close(w.done)
	}
}

// upsertDocs proposes, per order, the documents not yet on its row (the
// first of each kind in the batch); a row that already has them is read.
func (s *Service) upsertDocs(ctx context.Context, ws []*docWrite) (map[string]orderRow, error) {
	prop := map[string]*orderRow{}
	for _, w := range ws {
		r := prop[w.orderNo]
		if r == nil {
			r = &orderRow{no: w.orderNo, enterprise: w.enterprise}
			prop[w.orderNo] = r
		}
		if r.enterprise == w.enterprise && r.bodies[w.kind] == "" {
			r.bodies[w.kind] = w.body
		}
	}
	nos := make([]string, 0, len(prop))
	for no := range prop {
		nos = append(nos, no)
	}
	slices.Sort(nos) // rows are locked in key order: concurrent writers never deadlock
	var ents, ob, pb, wb []string
	for _, no := range nos {
		r := prop[no]
		ents, ob, pb, wb = append(ents, r.enterprise), append(ob, r.bodies[kindOrder]), append(pb, r.bodies[kindPayment]), append(wb, r.bodies[kindWaybill])
	}
	out := make(map[string]orderRow, len(nos))
	// One statement, no transaction: a document is written once and never
	// changed, so there is nothing to isolate. A row that gains nothing is
	// not updated (and not returned).
	if err := queryOrderRows(ctx, s.pool, out, `INSERT INTO ecom_orders AS t (order_no, enterprise, status, order_body, payment_body, waybill_body)
		SELECT n, e, 'PENDING', NULLIF(o, ''), NULLIF(p, ''), NULLIF(w, '')
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(n, e, o, p, w) ORDER BY n
		ON CONFLICT (order_no) DO UPDATE SET
			order_body = COALESCE(t.order_body, excluded.order_body),
			payment_body = COALESCE(t.payment_body, excluded.payment_body),
			waybill_body = COALESCE(t.waybill_body, excluded.waybill_body)
		WHERE t.enterprise = excluded.enterprise
		  AND ((t.order_body IS NULL AND excluded.order_body IS NOT NULL)
		    OR (t.payment_body IS NULL AND excluded.payment_body IS NOT NULL)
		    OR (t.waybill_body IS NULL AND excluded.waybill_body IS NOT NULL))
		RETURNING `+orderCols, nos, ents, ob, pb, wb); err != nil {
		return nil, err
	}
	var rest []string
	for _, no := range nos {
		if _, ok := out[no]; !ok {
			rest = append(rest, no)
		}
	}
	if len(rest) > 0 {
		if err := queryOrderRows(ctx, s.pool, out, `SELECT `+orderCols+` FROM ecom_orders WHERE order_no = ANY($1)`, rest); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkStored says whether w is on its order's row: the same document
// again is, another one under the order's number is refused.
func checkStored(w *docWrite, r orderRow) error {
	if r.enterprise != w.enterprise {
		return ledger.Conflict(ReasonDuplicateDocument, "order_no", "order %s was received from another enterprise; order numbers are unique in the zone", w.orderNo)
	}
	stored := r.bodies[w.kind]
	if stored == w.body {
		return nil
	}
	var old struct{ InputHash string }
	_ = json.Unmarshal([]byte(stored), &old)
	if old.InputHash == w.hash {
		return nil
	}
	return ledger.Conflict(ReasonDuplicateDocument, "order_no", "a different %s for order %s was already received", kindNames[w.kind], w.orderNo)
}

// submitDocs stores one call's documents and answers each as if they had
// come one after another in the call's order: a document that leaves its
// order incomplete answers it PENDING; the one that completes it (the
// first, when the order was complete already) answers the outcome of the
// match and release, error included; later ones answer the order as it
// then stands.
func (s *Service) submitDocs(ctx context.Context, ws []*docWrite) []DocumentResult {
	out := make([]DocumentResult, len(ws))
	if err := s.store(ctx, ws); err != nil {
		for i := range out {
			out[i].Err = err
		}
		return out
	}
	// Which kinds each order had before this call's documents; the
	// documents this call stored, decoded.
	mine := map[string]*[3]bool{}
	known := map[string]*[3]any{}
	for _, w := range ws {
		if w.err != nil {
			continue
		}
		m := mine[w.orderNo]
		if m == nil {
			m, known[w.orderNo] = new([3]bool), new([3]any)
			mine[w.orderNo] = m
		}
		if w.row.bodies[w.kind] == w.body {
			m[w.kind], known[w.orderNo][w.kind] = true, w.doc
		}
	}
	have := map[string]*[3]bool{}
	for no, m := range mine {
		var h [3]bool
		for _, w := range ws {
			if w.orderNo == no && w.err == nil {
				for k := range h {
					h[k] = w.row.bodies[k] != "" && !m[k]
				}
				break
			}
		}
		have[no] = &h
	}
	completer := map[string]int{}
	var reqs []*releaseReq
	byNo := map[string]*releaseReq{}
	for i, w := range ws {
		if w.err != nil {
			out[i].Err = w.err
			continue
		}
		if _, ok := completer[w.orderNo]; ok {
			continue // answered from the completer's outcome below
		}
		h := have[w.orderNo]
		h[w.kind] = true
		if !(h[0] && h[1] && h[2]) {
			out[i].Order, out[i].Err = pendingView(w.row, h, known[w.orderNo])
			continue
		}
		completer[w.orderNo] = i
		// The call's documents may have been stored by more than one
		// write: what each found on the row was there, so the order's row
		// has at least all of it.
		r := w.row
		for _, x := range ws {
			if x.orderNo == w.orderNo && x.err == nil {
				for k, b := range x.row.bodies {
					if r.bodies[k] == "" {
						r.bodies[k] = b
					}
				}
			}
		}
		if r.complete() && r.status == OrderPending {
			req := &releaseReq{row: r, known: *known[w.orderNo], done: make(chan struct{})}
			reqs = append(reqs, req)
			byNo[w.orderNo] = req
		} else {
			out[i].Order, out[i].Err = r.order()
		}
	}
	if len(reqs) > 0 {
		if err := s.release(ctx, reqs); err != nil {
			for _, r := range reqs {
				r.out, r.err = Order{}, err
			}
		}
	}
	for i, w := range ws {
		if w.err != nil {
			continue
		}
		c, ok := completer[w.orderNo]
		if !ok || i < c {
			continue
		}
		req := byNo[w.orderNo]
		switch {
		case req == nil && i > c:
			out[i] = out[c]
			out[i].Err = nil
		case req == nil:
		case i == c:
			out[i].Order, out[i].Err = req.out, req.err
		case req.err != nil && !isDomain(req.err):
			out[i].Err = req.err
		default:
			out[i].Order = req.out
		}
	}
	return out
}

// pendingView is an incomplete order as a document answers it: the order,
// PENDING, once it is in; nothing before.
func pendingView(r orderRow, have *[3]bool, known *[3]any) (Order, error) {
	if !have[kindOrder] {
		return Order{}, nil
	}
	o, err := r.orderWith(known[kindOrder])
	o.Status, o.Reason, o.ListNo = OrderPending, "", ""
	return o, err
}
