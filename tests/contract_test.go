package tests

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// TestAPIContracts checks promises the proto documentation makes that the
// other tests do not reach: replays of ClosePeriod, the filing book of a
// reversal, the order of day totals, duplicate keys within one batch and
// token expiry. One server for all subtests.
func TestAPIContracts(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	lc := s.Ledger()
	EnsureWorld(t, s, a.C, "abroad", "domestic")
	const bx, by = "H-CONTRACT-X", "H-CONTRACT-Y"
	CreateBook(t, s, a.E1, bx, ent1, "bonded", "nonbonded")
	CreateBook(t, s, a.E1, by, ent1, "bonded")
	RegisterItems(t, s, a.E1, bx, item("1", "PCE", 0), item("2", "PCE", 0))
	RegisterItems(t, s, a.E1, by, item("1", "PCE", 0))
	d3, d2, d1 := day(-3), day(-2), day(-1)
	Post(t, s, a.E1, journal(bx, "x-in-1", d3, move("1", "PCE", "10", "100.00", world("abroad"), acct(bx, "bonded")), move("2", "PCE", "5", "5.00", world("abroad"), acct(bx, "bonded"))))
	jx := Post(t, s, a.E1, journal(bx, "x-move", d2, move("1", "PCE", "4", "", acct(bx, "bonded"), acct(bx, "nonbonded"))))
	Post(t, s, a.E1, journal(bx, "x-out", d1, move("2", "PCE", "1", "", acct(bx, "bonded"), world("domestic"))))

	t.Run("ClosePeriod replay returns the original period", func(t *testing.T) {
		// ClosePeriodRequest.idempotency_key: "a replay returns the original period".
		first, err := lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: bx, Through: d3, IdempotencyKey: "close-d3"})
		if err != nil {
			t.Fatalf("ClosePeriod through %s: %v", d3, err)
		}
		if _, err := lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: bx, Through: d2, IdempotencyKey: "close-d2"}); err != nil {
			t.Fatalf("ClosePeriod through %s: %v", d2, err)
		}
		replay, err := lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: bx, Through: d3, IdempotencyKey: "close-d3"})
		if err != nil {
			t.Errorf("replaying the close through %s (key close-d3) after a later close: %v; want the original period back", d3, err)
		} else if string(replay.GetPeriod().GetDigest()) != string(first.GetPeriod().GetDigest()) {
			t.Errorf("replaying close-d3 returned %v, want %v", replay.GetPeriod(), first.GetPeriod())
		}
		// The same key with another body is a new intent, not a replay.
		_, err = lc.ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: bx, Through: d1, IdempotencyKey: "close-d3"})
		if codeOf(err) == codes.OK {
			t.Errorf("ClosePeriod through %s with key close-d3 (used for %s) succeeded; the same key with another body must be refused", d1, d3)
		}
	})

	t.Run("ReverseJournal names the filing book", func(t *testing.T) {
		// ReverseJournalRequest.book_id: "Book that filed the journal to reverse."
		r, err := lc.ReverseJournal(ctxAs(t, a.E1), &ledgerv1.ReverseJournalRequest{BookId: by, JournalId: jx.GetJournalId(),
			IdempotencyKey: "rev-through-y", EffectiveDate: day(0), Reason: "filed through the wrong book"})
		if err == nil {
			t.Errorf("reversing journal %d of %s with book_id %s succeeded (reversal %d filed on %s); want it refused",
				jx.GetJournalId(), bx, by, r.GetJournal().GetJournalId(), r.GetJournal().GetBookId())
		} else if c := codeOf(err); c != codes.InvalidArgument && c != codes.NotFound && c != codes.FailedPrecondition {
			t.Errorf("reversing through the wrong book: %v", err)
		}
	})

	t.Run("GetDayTotals ordered by account, item, day", func(t *testing.T) {
		// GetDayTotalsResponse.day_totals: "ordered by account, item, day".
		resp, err := lc.GetDayTotals(ctxAs(t, a.E1), &ledgerv1.GetDayTotalsRequest{BookId: bx, FromDate: d3, ToDate: day(0)})
		if err != nil {
			t.Fatalf("GetDayTotals: %v", err)
		}
		var prev *ledgerv1.DayTotal
		for _, x := range resp.GetDayTotals() {
			if prev != nil {
				pk := prev.GetAccount().GetName() + "\x00" + prev.GetItemCode() + "\x00" + prev.GetDay()
				k := x.GetAccount().GetName() + "\x00" + x.GetItemCode() + "\x00" + x.GetDay()
				if k < pk {
					t.Errorf("day totals out of order: %s/%s/%s after %s/%s/%s", x.GetAccount().GetName(), x.GetItemCode(), x.GetDay(),
						prev.GetAccount().GetName(), prev.GetItemCode(), prev.GetDay())
					break
				}
			}
			prev = x
		}
	})

	t.Run("duplicate keys within one batch", func(t *testing.T) {
		j := journal(by, "dup-key", day(0), move("1", "PCE", "1", "1.00", world("abroad"), acct(by, "bonded")))
		other := journal(by, "dup-key", day(0), move("1", "PCE", "2", "1.00", world("abroad"), acct(by, "bonded")))
		resp, err := lc.PostJournals(ctxAs(t, a.E1), &ledgerv1.PostJournalsRequest{Journals: []*ledgerv1.PostJournalRequest{j, j, other}})
		if err != nil {
			t.Fatalf("PostJournals: %v", err)
		}
		rs := resp.GetResults()
		if len(rs) != 3 || rs[0].GetJournal() == nil || rs[1].GetJournal().GetJournalId() != rs[0].GetJournal().GetJournalId() || !rs[1].GetReplayed() {
			t.Errorf("the same journal twice in a batch: %v; want the second answered as a replay of the first", rs)
		}
		if len(rs) == 3 && (rs[2].GetError() == nil || rs[2].GetError().GetReason() != "IDEMPOTENCY_KEY_REUSED") {
			t.Errorf("the same key with another body in a batch: %v; want IDEMPOTENCY_KEY_REUSED", rs[2])
		}
		n := 0
		for _, x := range streamAll(t, s, a.E1, by) {
			if x.GetIdempotencyKey() == "dup-key" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("key dup-key recorded %d times", n)
		}
	})

	t.Run("expired token", func(t *testing.T) {
		resp, err := s.Admin().IssueToken(ctxAs(t, a.Admin), &adminv1.IssueTokenRequest{PrincipalId: "e1", Description: "short-lived",
			ExpiresAt: timestamppb.New(time.Now().Add(1500 * time.Millisecond))})
		if err != nil {
			t.Fatalf("IssueToken: %v", err)
		}
		if _, err := s.Admin().WhoAmI(ctxAs(t, resp.GetToken()), &adminv1.WhoAmIRequest{}); err != nil {
			t.Fatalf("WhoAmI with a fresh short-lived token: %v", err)
		}
		var last error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if _, last = s.Admin().WhoAmI(ctxAs(t, resp.GetToken()), &adminv1.WhoAmIRequest{}); codeOf(last) == codes.Unauthenticated {
				break
			}
		}
		if codeOf(last) != codes.Unauthenticated {
			t.Errorf("a token past its expiry: %v; want UNAUTHENTICATED", last)
		} else if time.Now().Before(resp.GetInfo().GetExpiresAt().AsTime()) {
			t.Errorf("the token was refused before it expired")
		}
	})

	t.Run("reason and field of a refused journal", func(t *testing.T) {
		_, err := lc.PostJournal(ctxAs(t, a.E1), journal(bx, "unknown-item", day(0), move("404", "PCE", "1", "1.00", world("abroad"), acct(bx, "bonded"))))
		if wantCode(t, err, codes.NotFound, "an unregistered item") && (errorsv1.ReasonOf(err) != "UNKNOWN_ITEM" || errorsv1.FieldOf(err) != "postings[0].item_code") {
			t.Errorf("unregistered item: reason %q field %q", errorsv1.ReasonOf(err), errorsv1.FieldOf(err))
		}
		_, err = lc.PostJournal(ctxAs(t, a.E1), journal(bx, "unknown-acct", day(0), move("1", "PCE", "1", "1.00", world("mars"), acct(bx, "bonded"))))
		if wantCode(t, err, codes.NotFound, "an unknown world account") && (errorsv1.ReasonOf(err) != "UNKNOWN_ACCOUNT" || errorsv1.FieldOf(err) != "postings[0].from") {
			t.Errorf("unknown account: reason %q field %q", errorsv1.ReasonOf(err), errorsv1.FieldOf(err))
		}
	})
}
