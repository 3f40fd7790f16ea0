package repair

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// Binding is goods of an order bound to a line of a zone exit list by an
// exit step (ExitGoods, re-export or back to the domestic customer).
type Binding struct {
	// List and ListSeq name the list line.
	List    string
	ListSeq int
	Section Section
	BookSeq int
	// Quantity is in the book line's declared unit.
	Quantity decimal.Decimal
	// Step is the key of the exit step that bound them.
	Step string
	// Released is the list's status when it took the goods out no more
	// (RETURNED or DELETED); the goods are then held by the order again.
	Released zone.ListStatus `json:",omitempty"`
}

// releaseLine is the zone's LineReleaser for repair orders: a list that
// goods of an order were bound to was returned by customs (退单) or
// deleted by its filer, so the goods (back in their section) are held by
// the order again, which reopens to send them out on another list. It
// runs in the zone's transaction of the ledger's seam and records a
// step, with the zone's release journal when there is one.
func (s *Service) releaseLine(ctx context.Context, tx pgx.Tx, r zone.LineRelease) error {
	o, found, err := orderBy(ctx, tx, `no = $1 FOR UPDATE`, r.Line.SourceDocNo)
	if err != nil {
		return err
	}
	if !found {
		return notFound(zone.ReasonUnknownDocument, "list_no", "list %s line %d carries goods of repair order %s, which does not exist", r.List, r.Line.Seq, r.Line.SourceDocNo)
	}
	for i := range o.Bindings {
		b := &o.Bindings[i]
		if b.List != r.List || b.ListSeq != r.Line.Seq || b.Released != "" {
			continue
		}
		b.Released = r.Status
		k := heldKey(b.Section, b.BookSeq)
		o.Held[k] = o.Held[k].Add(b.Quantity)
		o.Status = OrderOpen
		kind := StepListReturned
		if r.Status == zone.ListDeleted {
			kind = StepListDeleted
		}
		o.Steps = append(o.Steps, Step{Kind: kind, Date: r.Date, JournalID: r.JournalID, FiledBy: r.By, At: s.clock(),
			Detail: mustJSON(map[string]any{"list": r.List, "line": r.Line.Seq, "section": b.Section, "book_seq": b.BookSeq, "quantity": b.Quantity, "exit": b.Step, "note": r.Note})})
		_, err := tx.Exec(ctx, `UPDATE rep_orders SET status = $2, body = $3 WHERE no = $1`, o.No, string(o.Status), mustJSON(o))
		return err
	}
	// Nothing of the order is on that line any more: told before.
	return nil
}
