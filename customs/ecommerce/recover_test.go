package ecommerce_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/ledger"
)

// poisonLedger refuses the release journal of one list as PostgreSQL
// refuses text it cannot store (SQLSTATE 22021), for good.
type poisonLedger struct {
	ledger.Store
	list string
}

func (p *poisonLedger) PostMany(ctx context.Context, reqs []ledger.JournalRequest) []ledger.PostResult {
	out := make([]ledger.PostResult, len(reqs))
	var rest []ledger.JournalRequest
	var at []int
	for i, r := range reqs {
		if r.Document.Number == p.list {
			out[i].Err = &ledger.Error{Kind: ledger.KindInternal, Reason: ledger.ReasonInternal, Message: "database refused the write",
				Err: &pgconn.PgError{Severity: "ERROR", Code: "22021", Message: `invalid byte sequence for encoding "UTF8": 0x00`}}
			continue
		}
		rest, at = append(rest, r), append(at, i)
	}
	for k, r := range p.Store.PostMany(ctx, rest) {
		out[at[k]] = r
	}
	return out
}

// TestRecoverStartsPastAReleaseThatFailsForGood: a release left in flight
// whose journal the database refuses for good no longer stops Recover (the
// start): it is logged and left, and the other releases are finished.
func TestRecoverStartsPastAReleaseThatFailsForGood(t *testing.T) {
	w := newWorld(t, map[int]string{1: "10"})
	svc, flaky := w.flakyService()
	flaky.fail.Store(true)
	for _, no := range []string{"BAD-1", "OK-1"} {
		o, p, wb := w.order(no, "0021", "SKU-CREAM", "1", "100", "3304990099")
		_, err := w.submitTo(svc, o, p, wb)
		wantReason(t, err, ledger.ReasonUnavailable)
	}
	flaky.fail.Store(false)

	set := ecommerce.DefaultSettings()
	set.PositiveList = ecommerce.SamplePositiveList()
	next, err := ecommerce.New(w.store.Pool(), &poisonLedger{Store: w.store, list: "QLBAD-1"}, w.zone, w.tax, ecommerce.Options{Settings: &set, Now: w.clock.Now})
	must(t, err)
	t.Cleanup(next.Close)
	if err := next.Recover(w.ctx); err != nil {
		t.Fatalf("the start failed on one list: %v", err)
	}
	got, err := next.GetOrder(w.ctx, w.platform, "OK-1")
	must(t, err)
	if got.Status != ecommerce.OrderReleased {
		t.Errorf("the other order is %s after Recover, want released", got.Status)
	}
	if got := w.stock(1); !got.Equal(d("9")) {
		t.Errorf("stock %s, want 9", got)
	}
}
