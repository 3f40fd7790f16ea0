package zone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// An intent is a change that moves goods: the journal to post (or the
// journal to reverse) and what to do to the documents once it is posted.
// See the package documentation.
type intent struct {
	ID   string
	Kind string
	// Post or Reverse is the ledger request; its idempotency key is the
	// intent's ID, so posting it twice records one journal.
	Post    *ledger.JournalRequest `json:",omitempty"`
	Reverse *ledger.ReverseRequest `json:",omitempty"`
	// Fields map posting i to the request field it came from, so a refusal
	// names the field the user gave.
	Fields []string `json:",omitempty"`
	// Docs are the documents (kind + ":" + no) marked pending by the intent.
	Docs []string
	// The payload the finishing step needs.
	Actor  string     `json:",omitempty"`
	Note   string     `json:",omitempty"`
	Event  *GateEvent `json:",omitempty"`
	Extra  string     `json:",omitempty"`
	At     time.Time
	Date   time.Time
	Status string `json:",omitempty"`
}

// Intent kinds.
const (
	intentReserve     = "reserve"     // a list is declared: outbound goods reserved
	intentRelease     = "release"     // a list is returned: the reservation reversed
	intentClear       = "clear"       // a list that passes no gate is cleared
	intentPass        = "pass"        // a vehicle passed the gate: its goods booked
	intentConsumption = "consumption" // a consumption report is booked
)

// errPending says a document has a change in flight; the caller finishes it
// and tries again.
type errPending struct{ id string }

func (e errPending) Error() string { return "change " + e.id + " is in flight" }

// change runs a document change: prepare, in a transaction, checks it and
// either applies it (returning nil) or returns the intent whose journal
// must be posted first. It returns the finished change's error, if any.
func (s *Service) change(ctx context.Context, prepare func(tx pgx.Tx) (*intent, error)) error {
	for attempt := 0; attempt < 5; attempt++ {
		var in *intent
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			var err error
			in, err = prepare(tx)
			if err != nil || in == nil {
				return err
			}
			in.At = s.clock()
			if _, err := tx.Exec(ctx, `INSERT INTO zone_intents (id, kind, body, created_at) VALUES ($1, $2, $3, $4)`, in.ID, in.Kind, mustJSON(in), in.At); err != nil {
				return err
			}
			for _, d := range in.Docs {
				kind, no, _ := strings.Cut(d, ":")
				if _, err := tx.Exec(ctx, `UPDATE zone_documents SET pending = $3 WHERE kind = $1 AND no = $2`, kind, no, in.ID); err != nil {
					return err
				}
			}
			return nil
		})
		var pe errPending
		if errors.As(err, &pe) {
			if err := s.drive(ctx, pe.id); err != nil && !permanent(err) {
				return err
			}
			continue // finished, abandoned or failed: the document is free
		}
		if err != nil || in == nil {
			return err
		}
		return s.run(ctx, in)
	}
	return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "the document kept changing under this request; retry")
}

// checkPending refuses a document with a change in flight.
func checkPending(r docRow) error {
	if r.pending != "" {
		return errPending{r.pending}
	}
	return nil
}

func isDomain(err error) bool {
	var le *ledger.Error
	if !errors.As(err, &le) {
		return false
	}
	return le.Kind != ledger.KindInternal && le.Kind != ledger.KindUnavailable
}

// drive finishes a stored intent: posts its journal and finishes or
// abandons the change.
func (s *Service) drive(ctx context.Context, id string) error {
	var body string
	err := s.pool.QueryRow(ctx, `SELECT body FROM zone_intents WHERE id = $1 AND failed_at IS NULL`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // finished (or failed) meanwhile
	}
	if err != nil {
		return dbError(err)
	}
	var in intent
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		return s.fail(ctx, id, "reading the stored change", errUnreadable{err})
	}
	return s.run(ctx, &in)
}

// run posts an intent's journal and finishes the change; if the ledger
// refuses the journal, the change is abandoned and the refusal returned.
func (s *Service) run(ctx context.Context, in *intent) error {
	var j ledger.Journal
	var err error
	switch {
	case in.Post != nil:
		j, err = s.ledger.Post(ctx, *in.Post)
	case in.Reverse != nil:
		j, err = s.ledger.Reverse(ctx, *in.Reverse)
	}
	if err != nil {
		if !isDomain(err) {
			if permanent(err) {
				return s.fail(ctx, in.ID, "posting its journal", err)
			}
			return err // transient: the intent stays; a retry or Recover finishes it
		}
		if aerr := s.inTx(ctx, func(tx pgx.Tx) error { return s.abandon(ctx, tx, in) }); aerr != nil {
			return aerr
		}
		return s.refusal(in, err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM zone_intents WHERE id = $1 AND failed_at IS NULL`, in.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil // someone else finished it
		}
		if err := s.finish(ctx, tx, in, j); err != nil {
			return err
		}
		return clearPending(ctx, tx, in)
	})
	if err != nil && permanent(err) {
		return s.fail(ctx, in.ID, fmt.Sprintf("finishing the documents after journal %d was posted (the ledger holds it; the documents do not show it)", j.ID), err)
	}
	return err
}

// errUnreadable is a stored intent whose body cannot be read.
type errUnreadable struct{ err error }

func (e errUnreadable) Error() string { return "the stored change cannot be read: " + e.err.Error() }
func (e errUnreadable) Unwrap() error { return e.err }

// permanent reports whether err is a failure no retry can change: a
// domain refusal, an unreadable stored intent, or a permanent database
// error (pgtx.Permanent: e.g. text PostgreSQL cannot store).
func permanent(err error) bool {
	return isDomain(err) || errors.As(err, new(errUnreadable)) || pgtx.Permanent(err)
}

// fail marks the intent id failed for good with its reason (what it was
// doing and cause), releases the documents it had marked pending so their
// owners can act on them again (each keeps the reason in its failure
// column, shown as List.Failure, until its next change), logs it, and
// returns cause. If the marking
// itself fails, that error is returned instead, and the intent stays as it
// was.
func (s *Service) fail(ctx context.Context, id, doing string, cause error) error {
	reason := strings.ToValidUTF8(strings.ReplaceAll(doing+": "+cause.Error(), "\x00", ""), "?")
	var docs []string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		docs = docs[:0]
		tag, err := tx.Exec(ctx, `UPDATE zone_intents SET failed_at = $2, failure = $3 WHERE id = $1 AND failed_at IS NULL`, id, s.clock(), reason)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE zone_documents SET pending = '', failure = $2 WHERE pending = $1 RETURNING kind, no`, id, reason)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, no string
			if err := rows.Scan(&kind, &no); err != nil {
				return err
			}
			docs = append(docs, kind+":"+no)
		}
		return rows.Err()
	})
	if err != nil {
		return dbError(err)
	}
	s.log.Error("a change failed for good: marked failed, its documents released (see zone_intents.failure)",
		"intent", id, "documents", docs, "failure", reason)
	return cause
}

func (s *Service) abandon(ctx context.Context, tx pgx.Tx, in *intent) error {
	tag, err := tx.Exec(ctx, `DELETE FROM zone_intents WHERE id = $1`, in.ID)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	return clearPending(ctx, tx, in)
}

func clearPending(ctx context.Context, tx pgx.Tx, in *intent) error {
	for _, d := range in.Docs {
		kind, no, _ := strings.Cut(d, ":")
		if _, err := tx.Exec(ctx, `UPDATE zone_documents SET pending = '' WHERE kind = $1 AND no = $2 AND pending = $3`, kind, no, in.ID); err != nil {
			return err
		}
	}
	return nil
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
	}
	return fmt.Errorf("unknown intent kind %q", in.Kind)
}

// Recover finishes every change a crash left in flight. A change that fails
// for a permanent reason (see permanent) is marked failed with its reason,
// its documents are released and it is logged; it does not stop the start.
// A transient failure (the database unreachable, conflicts) is returned.
func (s *Service) Recover(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT id FROM zone_intents WHERE failed_at IS NULL ORDER BY created_at, id`)
	if err != nil {
		return dbError(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return dbError(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := s.drive(ctx, id); err != nil && !permanent(err) {
			return err
		}
	}
	return nil
}
