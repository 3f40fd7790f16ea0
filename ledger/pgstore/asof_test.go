package pgstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// asOf returns the quantity of an item in bonded at the end of a day ("0"
// when nothing is held).
func asOf(t *testing.T, s *pgstore.Store, item ledger.ItemRef, day time.Time) string {
	t.Helper()
	hs, err := s.Balances(context.Background(), ledger.BalanceQuery{Book: book, Account: "bonded", Item: item.Code, AsOf: &day})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) == 0 {
		return "0"
	}
	return hs[0].Quantity.String()
}

// A journal dated the 1st cannot take goods that arrived on the 3rd: it
// would show the account holding -3 kg at the end of the 1st.
func TestBackDatedOutboundOfGoodsThatArrivedLaterIsRefused(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	mustPost(t, s, req(day3, in(itemA, "KGM", "10", "100")))
	n := journalCount(t, s)
	_, err := s.Post(context.Background(), req(day1, move(itemA, "KGM", bonded, dom, "3")))
	wantReason(t, err, ledger.ReasonInsufficient)
	le := ledger.AsError(err)
	if le.Kind != ledger.KindFailedPrecondition || le.Field != "postings[0].quantity" || !strings.Contains(le.Message, "-3") || !strings.Contains(le.Message, "end of 2026-03-01") {
		t.Fatalf("refusal %v: want FAILED_PRECONDITION on postings[0].quantity naming -3 at the end of 2026-03-01", err)
	}
	if journalCount(t, s) != n || asOf(t, s, itemA, day1) != "0" || asOf(t, s, itemA, day2) != "0" {
		t.Fatalf("the refused journal left a trace: %d journals, as of day 1 %s", journalCount(t, s), asOf(t, s, itemA, day1))
	}
	mustPost(t, s, req(day3, move(itemA, "KGM", bonded, dom, "3"))) // dated on the arrival day
	checkInvariants(t, s)
}

// A back-dated outbound of goods held on every day from its date on
// passes, with later movements stored.
func TestBackDatedOutboundOfStockHeldEveryDayIsAccepted(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	mustPost(t, s, req(day3, move(itemA, "KGM", bonded, dom, "4")))
	mustPost(t, s, req(day3, in(itemA, "KGM", "5", "50")))
	// end of day 1: 10, day 3: 11. Taking 6 on day 2 leaves 4 and 5.
	mustPost(t, s, req(day2, move(itemA, "KGM", bonded, dom, "6")))
	for day, want := range map[time.Time]string{day1: "10", day2: "4", day3: "5"} {
		if got := asOf(t, s, itemA, day); got != want {
			t.Errorf("as of %s: %s, want %s", ledger.FormatDate(day), got, want)
		}
	}
	// 5 kg more on day 2 would leave day 2 at -1.
	_, err := s.Post(context.Background(), req(day2, move(itemA, "KGM", bonded, dom, "5")))
	wantReason(t, err, ledger.ReasonInsufficient)
	checkInvariants(t, s)
}

// The journals of one batch are checked as of their dates against each
// other: an inbound dated day 3 earlier in the batch does not cover an
// outbound dated day 1 later in it.
func TestJournalsOfOneBatchAreCheckedAsOfTogether(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	mustPost(t, s, req(day1, in(itemA, "KGM", "2", "20")))
	res := s.PostMany(context.Background(), []ledger.JournalRequest{
		req(day3, in(itemA, "KGM", "10", "100")),
		req(day1, move(itemA, "KGM", bonded, dom, "3")), // only 2 held on day 1
		req(day1, move(itemA, "KGM", bonded, dom, "2")),
		req(day2, move(itemA, "KGM", bonded, dom, "1")), // day 2 holds 0 after the one above
		req(day3, move(itemA, "KGM", bonded, dom, "10")),
	})
	for i, want := range []string{"", ledger.ReasonInsufficient, "", ledger.ReasonInsufficient, ""} {
		if got := ledger.ReasonOf(res[i].Err); got != want {
			t.Errorf("journal %d: %q (%v), want %q", i, got, res[i].Err, want)
		}
	}
	for day, want := range map[time.Time]string{day1: "0", day2: "0", day3: "0"} {
		if got := asOf(t, s, itemA, day); got != want {
			t.Errorf("as of %s: %s, want %s", ledger.FormatDate(day), got, want)
		}
	}
	checkInvariants(t, s)
}

// Reversing an inbound that a later outbound depended on is refused when
// the reversal is dated before that outbound: the inbound's own lot is
// still whole (the outbound named another), but the account would hold
// less than nothing on the outbound's day.
func TestReversalThatMakesAPastDayNegativeIsRefused(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	first := mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	later := in(itemA, "KGM", "10", "100")
	later.Lot = "LATER"
	mustPost(t, s, req(day3, later))
	out := move(itemA, "KGM", bonded, dom, "10")
	out.Lot = "LATER" // taken on day 2: day 2 held the first 10 kg
	mustPost(t, s, req(day2, out))
	_, err := s.Reverse(context.Background(), ledger.ReverseRequest{Book: book, JournalID: first.ID, IdempotencyKey: key(), EffectiveDate: day1, Principal: "tester"})
	wantReason(t, err, ledger.ReasonInsufficient)
	if !strings.Contains(err.Error(), "end of 2026-03-02") {
		t.Fatalf("refusal %v: want the first negative day, 2026-03-02", err)
	}
	mustPost(t, s, req(day3, in(itemA, "KGM", "1", "1")))
	if _, err := s.Reverse(context.Background(), ledger.ReverseRequest{Book: book, JournalID: first.ID, IdempotencyKey: key(), EffectiveDate: day3, Principal: "tester"}); err != nil {
		t.Fatalf("reversal dated day 3, when nothing later depends on it: %v", err)
	}
	checkInvariants(t, s)
}

// Effective dates after the zone's today plus the horizon are refused;
// today is the zone's (Asia/Shanghai) day, not UTC's.
func TestEffectiveDatesPastTheHorizonAreRefused(t *testing.T) {
	now := time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC) // 01:00 on the 4th in Shanghai
	for _, c := range []struct {
		days     int
		ok, late string
	}{{0, "2026-03-04", "2026-03-05"}, {2, "2026-03-06", "2026-03-07"}} {
		s := newStore(t, pgstore.Options{Now: func() time.Time { return now }, FutureDays: c.days})
		mustPost(t, s, req(date(c.ok), in(itemA, "KGM", "1", "1")))
		for _, late := range []string{c.late, "9999-12-31"} {
			_, err := s.Post(context.Background(), req(date(late), in(itemA, "KGM", "1", "1")))
			wantReason(t, err, ledger.ReasonDateOutOfRange)
			if le := ledger.AsError(err); le.Kind != ledger.KindInvalid || le.Field != "effective_date" {
				t.Fatalf("dated %s: %v, want INVALID on effective_date", late, err)
			}
		}
		_, err := s.Post(context.Background(), req(date("1900-01-01"), in(itemA, "KGM", "1", "1")))
		wantReason(t, err, ledger.ReasonDateOutOfRange)
	}
}

// An as-of date of 0001-01-01 is that day (nothing held), not "now".
func TestBalancesAsOfTheFirstDayOfYearOneAreEmpty(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	mustPost(t, s, req(day1, in(itemA, "KGM", "10", "100")))
	var first time.Time
	hs, err := s.Balances(context.Background(), ledger.BalanceQuery{Book: book, AsOf: &first})
	if err != nil || len(hs) != 0 {
		t.Fatalf("as of 0001-01-01: %+v, %v; want nothing", hs, err)
	}
	if got := asOf(t, s, itemA, day1); got != "10" {
		t.Fatalf("as of day 1: %s, want 10", got)
	}
}
