package repair

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// Binding is goods of an order bound by an exit step (ExitGoods) to a
// line of the zone document they leave on: a verification list
// (re-export, back to the domestic customer) or a gate registration
// (卡口登记).
type Binding struct {
	// Kind is zone.BoundOnList or zone.BoundOnPass; No the list's or
	// pass's number, Seq the line's number in it (from 1).
	Kind    string
	No      string
	Seq     int
	Section Section
	BookSeq int
	// Quantity is in the book line's declared unit.
	Quantity decimal.Decimal
	// Step is the key of the exit step that bound them.
	Step string
	// Released is the document's status when it took the goods out no
	// more (a list RETURNED or DELETED, a pass DELETED or REJECTED); the
	// goods are then held by the order again.
	Released string `json:",omitempty"`
}

// releaseLine is the zone's LineReleaser for repair orders: a list or
// gate registration that goods of an order were bound to will not take
// them out (customs returned the list (退单) or turned the vehicle back,
// or the enterprise deleted the draft list or withdrew the pass), so the
// goods, back in their section, are held by the order again, which
// reopens to send them out on another document. It runs in the zone's
// transaction of the ledger's seam and records a step, with the zone's
// release journal when there is one.
func (s *Service) releaseLine(ctx context.Context, tx pgx.Tx, r zone.LineRelease) error {
	o, found, err := orderBy(ctx, tx, `no = $1 FOR UPDATE`, r.DocNo)
	if err != nil {
		return err
	}
	if !found {
		return ledger.NotFound(zone.ReasonUnknownDocument, "", "%s %s line %d carries goods of repair order %s, which does not exist", strings.ToLower(r.Kind), r.No, r.Seq, r.DocNo)
	}
	for i := range o.Bindings {
		b := &o.Bindings[i]
		if b.Kind != r.Kind || b.No != r.No || b.Seq != r.Seq || b.Released != "" {
			continue
		}
		b.Released = r.Status
		k := heldKey(b.Section, b.BookSeq)
		o.Held[k] = o.Held[k].Add(b.Quantity)
		o.Status = OrderOpen
		kind := StepListReturned
		switch {
		case r.Kind == zone.BoundOnPass:
			kind = StepPassWithdrawn
		case r.Status == string(zone.ListDeleted):
			kind = StepListDeleted
		}
		o.Steps = append(o.Steps, Step{Kind: kind, Date: r.Date, JournalID: r.JournalID, FiledBy: r.By, At: s.clock(),
			Detail: mustJSON(map[string]any{"document": r.Kind, "no": r.No, "line": r.Seq, "status": r.Status, "section": b.Section,
				"book_seq": b.BookSeq, "quantity": b.Quantity, "exit": b.Step, "note": r.Note})})
		seq, err := zone.TakeChange(ctx, tx, o.Book)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE rep_orders SET status = $2, body = $3, change_seq = $4 WHERE no = $1`, o.No, string(o.Status), mustJSON(o), seq)
		return err
	}
	// Nothing of the order is on that line any more: told before.
	return nil
}
