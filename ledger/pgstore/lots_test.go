package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// afterLots is a day after every lot fillLots makes (at most 300), for
// takes that the as-of rule lets take any of them.
var afterLots = date("2026-11-01")

// fillLots posts n inbound journals of itemP into bonded, lot i dated
// 2026-01-01 + i days with quantity i%3+1 and value 10 a piece, in one
// PostMany, and returns the lots' keys and quantities, oldest first.
func fillLots(t *testing.T, s *pgstore.Store, n int) ([]string, []int64) {
	t.Helper()
	start := date("2026-01-01")
	reqs := make([]ledger.JournalRequest, n)
	qty := make([]int64, n)
	for i := range reqs {
		qty[i] = int64(i%3 + 1)
		p := in(itemP, "PCE", fmt.Sprint(qty[i]), fmt.Sprint(10*qty[i]))
		reqs[i] = req(start.AddDate(0, 0, i), p)
	}
	keys := make([]string, n)
	for i, r := range s.PostMany(context.Background(), reqs) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		keys[i] = r.Journal.Postings[0].Legs[0].Lot
	}
	return keys, qty
}

// A first-in first-out take that needs more lots than the first page the
// write path locks goes on to the next pages, in order, and a lot filed
// later but dated between pages is taken in its turn: never before older
// lots that were not loaded yet.
func TestFIFOTakesOldestAcrossPages(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	keys, qty := fillLots(t, s, 40)
	// Lots 0..20 are dated up to 2026-01-21; the new lot is dated that day
	// too, by a later journal, so it comes right after lot 20.
	var want []ledger.Leg
	take := int64(0)
	for i := 0; i <= 20; i++ {
		want = append(want, ledger.Leg{Lot: keys[i], Quantity: d(fmt.Sprint(qty[i])), Value: d(fmt.Sprint(10 * qty[i]))})
		take += qty[i]
	}
	want = append(want, ledger.Leg{Lot: "NEW", Quantity: d("1"), Value: d("7")})
	take++
	for i := 21; i <= 30; i++ {
		want = append(want, ledger.Leg{Lot: keys[i], Quantity: d(fmt.Sprint(qty[i])), Value: d(fmt.Sprint(10 * qty[i]))})
		take += qty[i]
	}
	// and one piece of lot 31, worth 10.
	want = append(want, ledger.Leg{Lot: keys[31], Quantity: d("1"), Value: d("10")})
	take++
	newLot := in(itemP, "PCE", "1", "7")
	newLot.Lot = "NEW"
	mustPost(t, s, req(date("2026-01-21"), newLot))
	// The take is dated on lot 31's day, so that the goods it takes were
	// all there by then (the as-of rule).
	j := mustPost(t, s, req(date("2026-02-01"), move(itemP, "PCE", bonded, dom, fmt.Sprint(take))))
	got := j.Postings[0].Legs
	if len(got) != len(want) {
		t.Fatalf("took %d lots, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Lot != want[i].Lot || !got[i].Quantity.Equal(want[i].Quantity) || !got[i].Value.Equal(want[i].Value) {
			t.Fatalf("leg %d is %+v, want %+v", i, got[i], want[i])
		}
	}
	checkInvariants(t, s)
}

// Insufficient stock is refused exactly when the pair's lots span many
// pages: one piece more than the account holds is refused, naming what it
// holds, and writes nothing; exactly what it holds is taken.
func TestInsufficientIsExactOverManyPages(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	_, qty := fillLots(t, s, 100)
	total := int64(0)
	for _, q := range qty {
		total += q
	}
	_, err := s.Post(context.Background(), req(afterLots, move(itemP, "PCE", bonded, dom, fmt.Sprint(total+1))))
	wantReason(t, err, ledger.ReasonInsufficient)
	if !strings.Contains(err.Error(), fmt.Sprintf("holds %d of item", total)) {
		t.Fatalf("error %q does not say the account holds %d", err, total)
	}
	wantQty(t, s, bonded, itemP, fmt.Sprint(total))
	// A batch of journals that each fit but not all together: the ones in
	// arrival order that fit are taken, the rest refused.
	res := s.PostMany(context.Background(), []ledger.JournalRequest{
		req(afterLots, move(itemP, "PCE", bonded, dom, fmt.Sprint(total-5))),
		req(afterLots, move(itemP, "PCE", bonded, dom, "6")),
		req(afterLots, move(itemP, "PCE", bonded, dom, "5")),
	})
	if res[0].Err != nil || res[2].Err != nil {
		t.Fatalf("journals that fit were refused: %v, %v", res[0].Err, res[2].Err)
	}
	wantReason(t, res[1].Err, ledger.ReasonInsufficient)
	wantQty(t, s, bonded, itemP, "0")
	var rows int
	if err := s.Pool().QueryRow(context.Background(), `SELECT count(*) FROM ledger_holdings`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d holding rows left (%v), want 0: emptied lots leave the table", rows, err)
	}
	checkInvariants(t, s)
}

// A journal locks the lots it takes (the first page of the pair's oldest)
// and the holdings of lots it names, not every open lot of the pair: the
// newest lot of a pair of many stays free while a journal that takes the
// oldest one, or only adds a lot, is uncommitted.
func TestJournalLocksOnlyTheLotsItTakes(t *testing.T) {
	skipOnCockroach(t) // CockroachDB locks every open lot of a pair it takes from
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	keys, _ := fillLots(t, s, 60)
	oldest, newest := keys[0], keys[len(keys)-1]
	locked := func(lot string) bool {
		t.Helper()
		tx, err := s.Pool().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		_, err = tx.Exec(ctx, `SELECT 1 FROM ledger_holdings WHERE lot = $1 FOR UPDATE NOWAIT`, lot)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" {
			return true
		}
		if err != nil {
			t.Fatal(err)
		}
		return false
	}
	for _, tc := range []struct {
		name       string
		postings   []ledger.Posting
		wantLocked bool // the oldest lot
	}{
		{"take one piece", []ledger.Posting{move(itemP, "PCE", bonded, dom, "1")}, true},
		{"add a lot", []ledger.Posting{in(itemP, "PCE", "1", "1")}, false},
	} {
		err := s.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
			res, err := j.PostMany(ctx, []ledger.JournalRequest{req(day3, tc.postings...)})
			if err != nil {
				return err
			}
			if res[0].Err != nil {
				return res[0].Err
			}
			if got := locked(oldest); got != tc.wantLocked {
				t.Errorf("%s: oldest lot locked %v, want %v", tc.name, got, tc.wantLocked)
			}
			if locked(newest) {
				t.Errorf("%s: the newest of %d lots is locked by a journal that does not take it", tc.name, len(keys))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checkInvariants(t, s)
}

// Many posters on one pair of many lots, each journal adding a lot and
// taking two pieces oldest first, in batches whose takes run over many
// pages: every journal is accepted, the balance is exact, and the lots
// left are the newest ones (every emptied lot is older than every lot
// still held).
func TestHotPairWithManyLots(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	ctx := context.Background()
	_, qty := fillLots(t, s, 300)
	total := int64(0)
	for _, q := range qty {
		total += q
	}
	const posters, each = 16, 30
	var wg sync.WaitGroup
	errs := make(chan error, posters*each)
	for p := 0; p < posters; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				r := req(afterLots, in(itemP, "PCE", "1", "10"), move(itemP, "PCE", bonded, dom, "2"))
				if _, err := s.Post(ctx, r); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	wantQty(t, s, bonded, itemP, fmt.Sprint(total-posters*each))
	var older int
	if err := s.Pool().QueryRow(ctx, `
		WITH held AS (SELECT l.entry_date, l.journal_id, l.lot FROM ledger_lots l JOIN ledger_holdings h USING (item_book, item_code, lot)),
		     emptied AS (SELECT entry_date, journal_id, lot FROM ledger_lots l
		         WHERE NOT EXISTS (SELECT 1 FROM ledger_holdings h WHERE h.item_book = l.item_book AND h.item_code = l.item_code AND h.lot = l.lot))
		SELECT count(*) FROM emptied e, held h WHERE (e.entry_date, e.journal_id, e.lot) > (h.entry_date, h.journal_id, h.lot)`).Scan(&older); err != nil {
		t.Fatal(err)
	}
	if older != 0 {
		t.Fatalf("%d (emptied, held) pairs of lots where the emptied lot is newer: first in was not first out", older)
	}
	checkInvariants(t, s)
}

// A database written before holdings carried their lot's first-in
// first-out key gets it from ledger_lots when migrated, and takes from it
// oldest first.
func TestMigrationGivesHoldingsTheirLotKeys(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	all := pgstore.Migrations()
	old := all
	old.Steps = nil
	for _, st := range all.Steps {
		if st.Version <= 17 {
			old.Steps = append(old.Steps, st)
		}
	}
	if _, err := old.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	// Two open lots as the engine wrote them then; the one with the later
	// key is the older.
	for _, q := range []string{
		`INSERT INTO ledger_books (id, name, owner) VALUES ('` + book + `', 'old', 'E1')`,
		`INSERT INTO ledger_accounts VALUES ('` + book + `', 'bonded'), ('', 'abroad'), ('', 'domestic')`,
		`INSERT INTO ledger_items (book, code, unit, scale) VALUES ('` + book + `', 'P', 'PCE', 0)`,
		`INSERT INTO ledger_lots (item_book, item_code, lot, entry_date, journal_id) VALUES
			('` + book + `', 'P', 'A-NEW', '2026-02-02', 2), ('` + book + `', 'P', 'Z-OLD', '2026-02-01', 1)`,
		`INSERT INTO ledger_holdings (item_book, item_code, account_book, account_name, lot, quantity, value) VALUES
			('` + book + `', 'P', '` + book + `', 'bonded', 'A-NEW', 1, 10), ('` + book + `', 'P', '` + book + `', 'bonded', 'Z-OLD', 1, 20)`,
		`INSERT INTO ledger_day_totals VALUES ('` + book + `', 'bonded', '` + book + `', 'P', '2026-02-01', 2, 0, 30, 0),
			('', 'abroad', '` + book + `', 'P', '2026-02-01', 0, 2, 0, 30)`,
		`UPDATE ledger_counters SET value = 2 WHERE name = 'journal'`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	if _, err := all.Up(ctx, pool); err != nil {
		t.Fatal(err)
	}
	s, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j := mustPost(t, s, req(day3, move(itemP, "PCE", bonded, dom, "1")))
	if legs := j.Postings[0].Legs; len(legs) != 1 || legs[0].Lot != "Z-OLD" || !legs[0].Value.Equal(d("20")) {
		t.Fatalf("took %+v, want the older lot Z-OLD (20.00)", legs)
	}
}
