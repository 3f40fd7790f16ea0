package pgstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
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

// A write on one book, held open inside its transaction, does not hold up
// a journal on another book: the batch of book B commits while book A's
// transaction still holds its locks. (Before, every write locked one
// counter row, and B waited for A's transaction to end.)
func TestWriteOnOneBookDoesNotWaitForAnother(t *testing.T) {
	s := newStore(t, pgstore.Options{})
	addBookB(t, s)
	ctx := context.Background()
	tx, err := s.Pool().BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	res, err := s.PostInTx(ctx, tx, []ledger.JournalRequest{req(day1, in(itemP, "PCE", "5", "500"))})
	if err != nil || res[0].Err != nil {
		t.Fatalf("PostInTx on book A: %v, %v", err, res[0].Err)
	}

	// A's transaction is open. B must commit now; the deadline only turns
	// a wait that would last until A ends into a failure.
	bctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	jb, err := s.Post(bctx, reqB(day1, "3", "30"))
	if err != nil {
		t.Fatalf("a journal on book B waited for book A's open transaction: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("committing book A's transaction: %v", err)
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
