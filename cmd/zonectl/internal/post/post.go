// Package post sends journals in bulk with PostJournals, in file order, in
// chunks of at most 100, and accounts for every journal: accepted, replayed
// (its idempotency key was booked before), refused (with the server's reason
// and field) or unanswered (the run stopped early).
//
// PostJournals answers each journal on its own, but refuses a whole chunk
// when one journal is malformed or the caller may not write one of the
// books. Then post sets the named journal aside as refused and resends the
// rest, or, when the culprit is not named, sends the chunk one journal at a
// time, so that one bad journal never blocks the others. A transport failure
// (UNAVAILABLE, DEADLINE_EXCEEDED, ...) stops the run: resending is safe
// because the server books each idempotency key at most once. Batch holds
// that sending and isolating for any bulk call, and Batch.Refusal words a
// whole-call refusal as the refused item's own error; zonectl's e-commerce
// submit uses both for SubmitDocuments.
package post

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// MaxChunk is the most journals PostJournals takes in one call.
const MaxChunk = 100

// Client is the part of ledgerv1.LedgerServiceClient that post uses.
type Client interface {
	PostJournals(ctx context.Context, in *ledgerv1.PostJournalsRequest, opts ...grpc.CallOption) (*ledgerv1.PostJournalsResponse, error)
}

// Status is what became of one journal.
type Status int

// The outcomes of a journal.
const (
	// Unanswered: the run stopped before the journal was answered: it was not
	// sent, or it was in the call that failed and may or may not be booked.
	// Re-running the file settles it.
	Unanswered Status = iota
	// Accepted: booked now.
	Accepted
	// Replayed: its idempotency key had been booked before; the original
	// journal is returned and nothing new is booked.
	Replayed
	// Refused: the server refused it; Error says why.
	Refused
)

// String returns the status name used in output.
func (s Status) String() string {
	switch s {
	case Accepted:
		return "accepted"
	case Replayed:
		return "replayed"
	case Refused:
		return "refused"
	default:
		return "unanswered"
	}
}

// Outcome is the answer for one journal.
type Outcome struct {
	Status Status
	// Journal is the booked (or original, if replayed) journal.
	Journal *ledgerv1.Journal
	// Error is why the journal was refused.
	Error *ledgerv1.JournalError
}

// Options tune Send.
type Options struct {
	// Chunk is the number of journals per call, 1..MaxChunk; 0 means MaxChunk.
	Chunk int
	// Timeout bounds each call; 0 means no per-call deadline.
	Timeout time.Duration
	// Progress, if set, is called with the number of journals answered so far.
	Progress func(done int)
}

// Report accounts for every journal of a Send, in input order.
type Report struct {
	Outcomes []Outcome
	// Err is the error that stopped the run early; nil if every journal was answered.
	Err error
}

// Count returns how many journals have status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Status == s {
			n++
		}
	}
	return n
}

// RefusedByReason counts the refused journals per reason.
func (r Report) RefusedByReason() map[string]int {
	m := map[string]int{}
	for _, o := range r.Outcomes {
		if o.Status == Refused {
			m[o.Error.GetReason()]++
		}
	}
	return m
}

// Send posts the journals in order and returns an outcome for each.
func Send(ctx context.Context, c Client, reqs []*ledgerv1.PostJournalRequest, opt Options) Report {
	chunk := opt.Chunk
	if chunk <= 0 || chunk > MaxChunk {
		chunk = MaxChunk
	}
	s := &sender{c: c, reqs: reqs, opt: opt, out: make([]Outcome, len(reqs))}
	b := Batch{List: "journals", Send: s.send, Refuse: s.refuse}
	if err := b.Chunks(ctx, len(reqs), chunk, opt.Progress); err != nil {
		return Report{Outcomes: s.out, Err: err}
	}
	return Report{Outcomes: s.out}
}

type sender struct {
	c    Client
	reqs []*ledgerv1.PostJournalRequest
	opt  Options
	out  []Outcome
}

func (s *sender) call(ctx context.Context, idx []int) (*ledgerv1.PostJournalsResponse, error) {
	if s.opt.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opt.Timeout)
		defer cancel()
	}
	req := &ledgerv1.PostJournalsRequest{Journals: make([]*ledgerv1.PostJournalRequest, len(idx))}
	for k, i := range idx {
		req.Journals[k] = s.reqs[i]
	}
	resp, err := s.c.PostJournals(ctx, req)
	if err == nil && len(resp.GetResults()) != len(idx) {
		err = fmt.Errorf("the server answered %d results for %d journals; rerun the same file to learn what was booked", len(resp.GetResults()), len(idx))
	}
	return resp, err
}

// send sends the journals idx (file positions) in one call and records
// their answers; the error is the call's.
func (s *sender) send(ctx context.Context, idx []int) error {
	resp, err := s.call(ctx, idx)
	if err != nil {
		return err
	}
	for k, res := range resp.GetResults() {
		s.record(idx[k], res)
	}
	return nil
}

func (s *sender) record(i int, res *ledgerv1.PostJournalResult) {
	switch {
	case res.GetError() != nil:
		s.out[i] = Outcome{Status: Refused, Error: res.GetError()}
	case res.GetReplayed():
		s.out[i] = Outcome{Status: Replayed, Journal: res.GetJournal()}
	default:
		s.out[i] = Outcome{Status: Accepted, Journal: res.GetJournal()}
	}
}

// refuse records a whole-call error as journal i's refusal; k is its
// place in the call (Batch.Refusal).
func (s *sender) refuse(i int, err error, k int) {
	e := &ledgerv1.JournalError{}
	e.Code, e.Reason, e.Field, e.Message = Batch{List: "journals"}.Refusal(err, k)
	s.out[i] = Outcome{Status: Refused, Error: e}
}
