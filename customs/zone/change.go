package zone

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
)

// An intent is the part of a change that moves goods: the journal to post
// (or the journal to reverse) in the change's transaction and what to do
// to the documents once it is posted (finish). See the package
// documentation.
type intent struct {
	ID   string
	Kind string
	// Post or Reverse is the ledger request; its idempotency key is the
	// intent's ID, so posting it twice records one journal.
	Post    *ledger.JournalRequest
	Reverse *ledger.ReverseRequest
	// Fields map posting i to the request field it came from, so a refusal
	// names the field the user gave.
	Fields []string
	// Docs are the documents (kind + ":" + no) the change finishes.
	Docs []string
	// The payload the finishing step needs.
	Actor  string
	Note   string
	Event  *GateEvent
	Extra  string
	At     time.Time
	Date   time.Time
	Status string
}

// Intent kinds.
const (
	intentReserve     = "reserve"     // a list is declared: outbound goods reserved
	intentRelease     = "release"     // a list is returned: the reservation reversed
	intentClear       = "clear"       // a list that passes no gate is cleared
	intentPass        = "pass"        // a vehicle passed the gate: its goods booked
	intentConsumption = "consumption" // a consumption report is booked
)

// change runs a document change as one transaction of the ledger's seam
// (ledger.ReadWriter.ReadWriteTx): prepare checks it and writes the
// documents, and either applies it alone (returning nil) or returns the
// intent whose journal is posted in the same transaction; the documents
// are then finished with the journal. A journal the ledger refuses refuses
// the whole change, with the reason and the request field, and nothing of
// it is written. The journal's idempotency key is derived from the
// document and the step (e.g. list no + ":reserve"), and a change already
// applied is not prepared again (its documents moved on), so a retried
// request applies nothing twice.
func (s *Service) change(ctx context.Context, prepare func(tx pgx.Tx) (*intent, error)) error {
	err := s.ledger.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, jr ledger.Journals) error {
		in, err := prepare(tx)
		if err != nil || in == nil {
			return err
		}
		in.At = s.clock()
		var j ledger.Journal
		switch {
		case in.Post != nil:
			res, err := jr.PostMany(ctx, []ledger.JournalRequest{*in.Post})
			if err != nil {
				return err
			}
			j, err = res[0].Journal, res[0].Err
			if err != nil {
				return s.ledgerRefusal(in, err)
			}
		case in.Reverse != nil:
			if j, err = jr.Reverse(ctx, *in.Reverse); err != nil {
				return s.ledgerRefusal(in, err)
			}
		}
		return s.finish(ctx, tx, in, j)
	})
	return dbError(err)
}

// ledgerRefusal is a journal's error: the zone's refusal when the ledger
// refused it for a domain reason, the transaction's error otherwise.
func (s *Service) ledgerRefusal(in *intent, err error) error {
	if isDomain(err) {
		return s.refusal(in, err)
	}
	return err
}

func isDomain(err error) bool {
	var le *ledger.Error
	if !errors.As(err, &le) {
		return false
	}
	return le.Kind != ledger.KindInternal && le.Kind != ledger.KindUnavailable
}

// refusal turns the ledger's refusal of an intent's journal into the
// zone's error, naming the request field.
func (s *Service) refusal(in *intent, err error) error {
	le := ledger.AsError(err)
	out := *le
	var idx int
	if _, e := fmt.Sscanf(le.Field, "postings[%d]", &idx); e == nil && idx < len(in.Fields) {
		out.Field = in.Fields[idx]
	}
	if le.Reason == ledger.ReasonInsufficient {
		out.Reason = ReasonInsufficientStock
		if in.Post != nil && idx < len(in.Post.Postings) {
			from := in.Post.Postings[idx].From.Name
			if from == AccountBonded || from == AccountReserved {
				out.Reason = ReasonInsufficientBonded
			}
		}
	}
	return &out
}

// finish applies a posted intent to its documents.
func (s *Service) finish(ctx context.Context, tx pgx.Tx, in *intent, j ledger.Journal) error {
	switch in.Kind {
	case intentReserve:
		return s.finishReserve(ctx, tx, in, j)
	case intentRelease:
		return s.finishRelease(ctx, tx, in, j)
	case intentClear:
		return s.finishClear(ctx, tx, in, j)
	case intentPass:
		return s.finishPass(ctx, tx, in, j)
	case intentConsumption:
		return s.finishConsumption(ctx, tx, in, j)
	case intentDisplay:
		return s.finishDisplay(ctx, tx, in, j)
	case intentOutZone:
		return s.finishOutZone(ctx, tx, in, j)
	}
	return fmt.Errorf("unknown intent kind %q", in.Kind)
}

// ErrLegacyIntents is Start's error for changes an earlier zoneledger
// left in flight in zone_intents (it recorded an intent, posted its
// journal, then finished the documents). This version commits a change in
// one transaction and cannot finish them.
var ErrLegacyIntents = errors.New("changes left in flight by an earlier zoneledger (zone_intents)")

// checkLegacyIntents refuses to start on a database where an earlier
// zoneledger left changes in flight: finishing them is that version's job
// (its start does it), and starting without them would leave documents
// waiting for a journal that this version never posts. Intents marked
// failed for good are history and do not stop the start.
func (s *Service) checkLegacyIntents(ctx context.Context) error {
	var n int
	var first string
	err := s.pool.QueryRow(ctx, `SELECT count(*), COALESCE(min(id), '') FROM zone_intents WHERE failed_at IS NULL`).Scan(&n, &first)
	if err != nil {
		return dbError(err)
	}
	if n > 0 {
		return fmt.Errorf("%w: %d (first %s); start the previous zoneledger release on this database once (its start finishes them), stop it, then start this one", ErrLegacyIntents, n, first)
	}
	return nil
}
