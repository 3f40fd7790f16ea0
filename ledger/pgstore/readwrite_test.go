package pgstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// callerRows counts the rows a ReadWriteTx caller wrote to its own table.
func callerRows(t *testing.T, s *pgstore.Store) int {
	t.Helper()
	var n int
	if err := s.Pool().QueryRow(context.Background(), `SELECT count(*) FROM caller_rows`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ReadWriteTx: the caller's own write and the journals it posts commit
// together, and roll back together when the caller returns an error; each
// journal is checked on its own.
func TestReadWriteTxCommitsAndRollsBackWithTheCaller(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemP, "PCE", "5", "500")))
	if _, err := s.Pool().Exec(ctx, `CREATE TABLE caller_rows (n INT)`); err != nil {
		t.Fatal(err)
	}
	post := func(outcome error, reqs ...ledger.JournalRequest) []ledger.PostResult {
		var res []ledger.PostResult
		err := s.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
			var err error
			if res, err = j.PostMany(ctx, reqs); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO caller_rows VALUES (1)`); err != nil {
				return err
			}
			return outcome
		})
		if !errors.Is(err, outcome) {
			t.Fatalf("transaction ended with %v, want %v", err, outcome)
		}
		return res
	}

	// Rolled back: neither the journal nor the caller's row is there.
	rollback := errors.New("caller rolls back")
	post(rollback, req(day2, move(itemP, "PCE", bonded, dom, "2")))
	wantQty(t, s, bonded, itemP, "5")
	if n := journalCount(t, s); n != 1 {
		t.Fatalf("%d journals after a rolled-back ReadWriteTx, want 1", n)
	}
	if n := callerRows(t, s); n != 0 {
		t.Fatalf("%d caller rows after a rollback, want 0", n)
	}

	// Committed: the good journals are in; the one that would go below
	// zero is refused on its own.
	first := req(day2, move(itemP, "PCE", bonded, dom, "2"))
	res := post(nil, first,
		req(day2, move(itemP, "PCE", bonded, dom, "9")),
		req(day2, move(itemP, "PCE", bonded, dom, "3")))
	if res[0].Err != nil || res[2].Err != nil {
		t.Fatalf("good journals refused: %v, %v", res[0].Err, res[2].Err)
	}
	wantReason(t, res[1].Err, ledger.ReasonInsufficient)
	wantQty(t, s, bonded, itemP, "0")
	if n := callerRows(t, s); n != 1 {
		t.Fatalf("caller rows %d, want 1", n)
	}
	// The batcher writes after it, and a replay in a later ReadWriteTx
	// returns the journal already recorded.
	mustPost(t, s, req(day2, in(itemP, "PCE", "1", "100")))
	again := post(nil, first)
	if again[0].Err != nil || again[0].Journal.ID != res[0].Journal.ID {
		t.Fatalf("replay answered %+v, want journal %d", again[0], res[0].Journal.ID)
	}
	wantQty(t, s, bonded, itemP, "1")

	// A reversal in the caller's transaction.
	var rev ledger.Journal
	err := s.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		var err error
		rev, err = j.Reverse(ctx, ledger.ReverseRequest{Book: book, JournalID: res[2].Journal.ID, IdempotencyKey: "undo-3", EffectiveDate: day3, Principal: "tester", Reason: "test"})
		return err
	})
	if err != nil || rev.ID == 0 {
		t.Fatalf("reversal: %v", err)
	}
	wantQty(t, s, bonded, itemP, "4")
	checkInvariants(t, s)
}

// A conflict on the caller's own rows runs the whole function again, in a
// new transaction: the journal of the failed attempt is not kept, the
// second attempt's is, once.
func TestReadWriteTxRetriesTheWholeFunctionOnConflict(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	mustPost(t, s, req(day1, in(itemP, "PCE", "5", "500")))
	if _, err := s.Pool().Exec(ctx, `CREATE TABLE caller_counter (id INT PRIMARY KEY, n INT); INSERT INTO caller_counter VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	runs := 0
	var res []ledger.PostResult
	err := s.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		runs++
		var n int
		if err := tx.QueryRow(ctx, `SELECT n FROM caller_counter WHERE id = 1`).Scan(&n); err != nil {
			return err
		}
		var err error
		if res, err = j.PostMany(ctx, []ledger.JournalRequest{req(day2, move(itemP, "PCE", bonded, dom, "2"))}); err != nil {
			return err
		}
		if runs == 1 {
			// Another transaction changes the row this one read.
			if _, err := s.Pool().Exec(ctx, `UPDATE caller_counter SET n = n + 10 WHERE id = 1`); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `UPDATE caller_counter SET n = $1 WHERE id = 1`, n+1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if runs != 2 {
		t.Fatalf("fn ran %d times, want 2 (one conflict, one commit)", runs)
	}
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	var n int
	if err := s.Pool().QueryRow(ctx, `SELECT n FROM caller_counter WHERE id = 1`).Scan(&n); err != nil || n != 11 {
		t.Fatalf("counter %d (%v), want 11: the retry must read the other transaction's write", n, err)
	}
	wantQty(t, s, bonded, itemP, "3")
	if c := journalCount(t, s); c != 2 {
		t.Fatalf("%d journals, want 2", c)
	}
	checkInvariants(t, s)
}
