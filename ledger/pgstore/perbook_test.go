package pgstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// bookB is a second book, whose writer (with two writers) is not book's.
const bookB = "H4601B000003"

var (
	itemB   = ledger.ItemRef{Book: bookB, Code: "X"}
	bondedB = ledger.In(bookB, "bonded")
)

// addBookB creates bookB with one account and one item.
func addBookB(t *testing.T, s *pgstore.Store) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBook(ctx, ledger.Book{ID: bookB, Name: "second book", Owner: "E2", Accounts: []string{"bonded"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterItems(ctx, []ledger.Item{{Book: bookB, Code: "X", Unit: "PCE", Name: "switch"}}); err != nil {
		t.Fatal(err)
	}
}

func reqB(day time.Time, qty, value string) ledger.JournalRequest {
	return ledger.JournalRequest{Book: bookB, IdempotencyKey: key(), EffectiveDate: day, Principal: "tester",
		Postings: []ledger.Posting{{Item: itemB, From: abroad, To: bondedB, Quantity: d(qty), Unit: "PCE", Value: d(value)}}}
}

// A write on one book, held open inside its transaction (a ReadWriteTx,
// the customs seam), does not hold up a journal on another book: the
// batch of book B commits while book A's transaction still holds its
// locks. (Before, every write locked one
// counter row, and B waited for A's transaction to end.)
func TestWriteOnOneBookDoesNotWaitForAnother(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	addBookB(t, s)
	ctx := context.Background()
	reqA, reqb := req(day1, in(itemP, "PCE", "5", "500")), reqB(day1, "3", "30")
	var res []ledger.PostResult
	var jb ledger.Journal
	err := s.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		var err error
		if res, err = j.PostMany(ctx, []ledger.JournalRequest{reqA}); err != nil {
			return err
		}
		if res[0].Err != nil {
			return res[0].Err
		}
		if jb.ID != 0 {
			return nil // a retry: B's journal is in
		}
		// A's transaction is open. B must commit now; the deadline only
		// turns a wait that would last until A ends into a failure.
		bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if jb, err = s.Post(bctx, reqb); err != nil {
			t.Errorf("a journal on book B waited for book A's open transaction: %v", err)
		}
		return err
	})
	if err != nil {
		t.Fatalf("book A's transaction: %v", err)
	}
	wantQty(t, s, bonded, itemP, "5")
	wantQty(t, s, bondedB, itemB, "3")
	if jb.ID == res[0].Journal.ID {
		t.Fatalf("books A and B's journals share ID %d", jb.ID)
	}
	wantBookSeqs(t, s, book, 1)
	wantBookSeqs(t, s, bookB, 1)
	checkInvariants(t, s)
}

// holdFirst blocks the first write transaction once armed at its commit,
// with its locks held, until released.
type holdFirst struct {
	armed   atomic.Bool   // set: the next transaction at StageApply is held
	held    chan struct{} // closed once the first transaction is held
	release chan struct{}
}

func (h *holdFirst) Fault(stage pgstore.Stage, attempt int) error {
	if stage == pgstore.StageApply && h.armed.CompareAndSwap(true, false) {
		close(h.held)
		<-h.release
	}
	return nil
}

// In one process, batches on disjoint books commit in parallel: while the
// batch of book A is held at its commit, a journal on book B commits.
// (Before, one batcher ran one transaction at a time.)
func TestBatchesOnDisjointBooksCommitInParallel(t *testing.T) {
	skipOnCockroach(t)
	h := &holdFirst{held: make(chan struct{}), release: make(chan struct{})}
	s := newStore(t, pgstore.Options{Faults: h, Writers: 2})
	addBookB(t, s)
	if s.WriterOf(book) == s.WriterOf(bookB) {
		t.Fatalf("books %s and %s share a writer; pick another name for bookB", book, bookB)
	}
	ctx := context.Background()
	h.armed.Store(true)
	errA := make(chan error, 1)
	go func() {
		_, err := s.Post(ctx, req(day1, in(itemP, "PCE", "5", "500")))
		errA <- err
	}()
	<-h.held
	bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, errB := s.Post(bctx, reqB(day1, "3", "30"))
	close(h.release)
	if errB != nil {
		t.Fatalf("a journal on book B waited for book A's batch: %v", errB)
	}
	if err := <-errA; err != nil {
		t.Fatalf("book A's journal: %v", err)
	}
	wantQty(t, s, bonded, itemP, "5")
	wantQty(t, s, bondedB, itemB, "3")
	checkInvariants(t, s)
}

// A journal filed in one book that moves another book's goods (区内流转:
// the journal names both) is numbered in both books, and the books' IDs
// increase in the order their journals commit.
func TestCrossBookJournalIsNumberedInBothBooks(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	addBookB(t, s)
	mustPost(t, s, req(day1, in(itemP, "PCE", "5", "500")))
	mustPost(t, s, reqB(day1, "3", "30"))
	cross := req(day1, move(itemP, "PCE", bonded, dom, "2"))
	cross.Book = bookB
	j := mustPost(t, s, cross)
	mustPost(t, s, req(day1, move(itemP, "PCE", bonded, dom, "1")))
	wantBookSeqs(t, s, book, 3)
	wantBookSeqs(t, s, bookB, 2)
	var seqA, seqB int64
	if err := s.Pool().QueryRow(context.Background(), `SELECT
		(SELECT book_seq FROM ledger_journal_books WHERE book = $1 AND journal_id = $3),
		(SELECT book_seq FROM ledger_journal_books WHERE book = $2 AND journal_id = $3)`, book, bookB, j.ID).Scan(&seqA, &seqB); err != nil {
		t.Fatal(err)
	}
	if seqA != 2 || seqB != 2 {
		t.Fatalf("the cross-book journal is number %d in %s and %d in %s, want 2 and 2", seqA, book, seqB, bookB)
	}
	for _, b := range []string{book, bookB} {
		js, err := s.ListJournals(context.Background(), ledger.JournalFilter{Book: b})
		if err != nil {
			t.Fatal(err)
		}
		if !containsID(js, j.ID) {
			t.Fatalf("ListJournals of %s misses the cross-book journal %d", b, j.ID)
		}
	}
	checkInvariants(t, s)
}

func containsID(js []ledger.Journal, id int64) bool {
	for _, j := range js {
		if j.ID == id {
			return true
		}
	}
	return false
}

// A database written before journals were numbered per book (one counter
// row, no ledger_book_seqs, no book_seq) migrates: its journals are
// numbered in each book in ID order, its sealed periods still verify, and
// new journals continue after the counter and the books' numbers.
func TestMigrationNumbersExistingJournalsAndKeepsSeals(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBook(ctx, ledger.Book{ID: book, Name: "test book", Owner: "E1", Accounts: []string{"bonded", "inspect"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureWorldAccounts(ctx, []string{"abroad", "domestic"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterItems(ctx, []ledger.Item{{Book: book, Code: "P", Unit: "PCE", Scale: 0, Name: "router"}}); err != nil {
		t.Fatal(err)
	}
	addBookB(t, s)
	// Interleaved books, a cross-book journal, and dates out of ID order.
	mustPost(t, s, req(day2, in(itemP, "PCE", "5", "500")))
	mustPost(t, s, reqB(day1, "3", "30"))
	mustPost(t, s, req(day1, in(itemP, "PCE", "2", "200")))
	cross := req(day2, move(itemP, "PCE", bonded, dom, "1"))
	cross.Book = bookB
	last := mustPost(t, s, cross)
	mustPost(t, s, reqB(day3, "1", "10"))
	for _, b := range []string{book, bookB} {
		if _, err := s.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: b, Through: day2, IdempotencyKey: key()}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	// Back to the schema and state of before (migration 0023), as an
	// older server left it.
	old, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP INDEX ledger_journal_books_seq`,
		`ALTER TABLE ledger_journal_books DROP COLUMN book_seq`,
		`DROP TABLE ledger_book_seqs`,
		`DROP SEQUENCE ledger_journal_ids`,
		`UPDATE ledger_counters SET value = (SELECT max(id) FROM ledger_journals) WHERE name = 'journal'`,
		`DROP TABLE ledger_flow_days`,
		`DROP TABLE ledger_flow_months`,
		`DROP TABLE ledger_flow_quarters`,
		`DROP TABLE ledger_flows`,
		`DROP SEQUENCE ledger_flow_ids`,
		`DELETE FROM schema_migrations WHERE component = 'ledger' AND version > 23`,
	} {
		if _, err := old.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	old.Close(ctx)

	s, err = pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	wantBookSeqs(t, s, book, 3)
	wantBookSeqs(t, s, bookB, 3)
	for _, b := range []string{book, bookB} {
		v, err := s.VerifyPeriods(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if v.Periods != 1 || len(v.Problems) > 0 {
			t.Fatalf("book %s after the migration: %d periods, problems %v", b, v.Periods, v.Problems)
		}
	}
	j := mustPost(t, s, req(day3, move(itemP, "PCE", bonded, dom, "1")))
	if j.ID <= last.ID+1 {
		t.Fatalf("the first journal after the migration is %d, want one after the counter's %d", j.ID, last.ID+1)
	}
	wantBookSeqs(t, s, book, 4)
	checkInvariants(t, s)
}
