package tests

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestTwoServersOnOneDatabase runs two `zoneledger serve` processes on one
// PostgreSQL database and writes through both at once: writers on the same
// book in different processes, and each journal sent to one process and
// then, with the same idempotency key, to the other. Nothing is lost and
// nothing doubled: every acknowledged journal is listed once with the ID
// both processes answered, IDs are unique, and the balances are exactly the
// sum of the journals.
func TestTwoServersOnOneDatabase(t *testing.T) {
	dir := pgtest.TempDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg, err := embedpg.Start(ctx, embedpg.Config{DataDir: filepath.Join(dir, "pg")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	url, tokens := pg.URL(embedpg.DefaultDatabase), filepath.Join(dir, "admin.token")
	s1 := StartServer(t, "--database-url", url, "--admin-token-file", tokens)
	s2 := StartServer(t, "--database-url", url, "--admin-token-file", tokens)
	servers := [2]*Server{s1, s2}

	a := NewActors(t, s1)
	EnsureWorld(t, s1, a.C, "abroad", "domestic")
	const books, writersPerBook, perWriter = 4, 2, 30
	for b := range books {
		id := fmt.Sprintf("H-MP%d", b)
		CreateBook(t, s1, a.E1, id, ent1, "bonded")
		RegisterItems(t, s1, a.E1, id, item("X1", "PCE", 0))
	}

	type ack struct {
		book string
		id   int64
	}
	var mu sync.Mutex
	acks := map[string]ack{} // idempotency key -> what was acknowledged
	var wg sync.WaitGroup
	errs := make(chan error, books*writersPerBook)
	for w := range books * writersPerBook {
		wg.Add(1)
		go func() {
			defer wg.Done()
			book := fmt.Sprintf("H-MP%d", w%books)
			for i := range perWriter {
				key := fmt.Sprintf("mp-%d-%d", w, i)
				// 3 in at 10.00 each, 1 out: the bonded stock grows by 2
				// (20.00) a journal.
				req := journal(book, key, day(0),
					move("X1", "PCE", "3", "30.00", world("abroad"), acct(book, "bonded")),
					move("X1", "PCE", "1", "", acct(book, "bonded"), world("domestic")))
				first, second := servers[(w+i)%2], servers[(w+i+1)%2]
				r1, err := first.Ledger().PostJournal(withToken(context.Background(), a.E1), req)
				if err != nil {
					errs <- fmt.Errorf("%s: %v", key, err)
					return
				}
				r2, err := second.Ledger().PostJournal(withToken(context.Background(), a.E1), req)
				if err != nil {
					errs <- fmt.Errorf("%s retried on the other server: %v", key, err)
					return
				}
				if !r2.GetReplayed() || r2.GetJournal().GetJournalId() != r1.GetJournal().GetJournalId() {
					errs <- fmt.Errorf("%s retried on the other server: journal %d (replayed %v), want journal %d replayed",
						key, r2.GetJournal().GetJournalId(), r2.GetReplayed(), r1.GetJournal().GetJournalId())
					return
				}
				mu.Lock()
				acks[key] = ack{book, r1.GetJournal().GetJournalId()}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	seen := map[int64]string{}
	for b := range books {
		book := fmt.Sprintf("H-MP%d", b)
		for i, s := range servers {
			js := streamAll(t, s, a.E1, book)
			if len(js) != writersPerBook*perWriter {
				t.Errorf("server %d lists %d journals of %s, want %d", i+1, len(js), book, writersPerBook*perWriter)
			}
			for k, j := range js {
				if k > 0 && j.GetJournalId() <= js[k-1].GetJournalId() {
					t.Errorf("%s lists journal %d after %d: not in ID order", book, j.GetJournalId(), js[k-1].GetJournalId())
				}
				want, ok := acks[j.GetIdempotencyKey()]
				if !ok || want.book != book || want.id != j.GetJournalId() {
					t.Errorf("%s lists journal %d (key %s), acknowledged as %+v", book, j.GetJournalId(), j.GetIdempotencyKey(), want)
				}
				if i == 0 {
					if other, dup := seen[j.GetJournalId()]; dup {
						t.Errorf("journal ID %d is in %s and %s", j.GetJournalId(), other, book)
					}
					seen[j.GetJournalId()] = book
				}
			}
		}
		want := fmt.Sprintf("%d|%d.00", 2*writersPerBook*perWriter, 20*writersPerBook*perWriter)
		for i, s := range servers {
			if got := balanceMap(t, s, a.E1, book)["bonded/X1"]; got != want {
				t.Errorf("server %d: %s bonded/X1 holds %s, want %s", i+1, book, got, want)
			}
		}
	}
	if len(seen) != len(acks) {
		t.Errorf("%d journals listed, %d acknowledged", len(seen), len(acks))
	}
}
