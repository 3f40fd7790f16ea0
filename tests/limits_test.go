package tests

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// peakRSSMiB is the server process's peak resident memory so far (VmHWM).
func (s *Server) peakRSSMiB(t testing.TB) int64 {
	t.Helper()
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("reading the server's memory: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb >> 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}

// bigJournals is a PostJournals request of journals x postings postings,
// each bringing one unit of one of ten items from abroad into book's bonded
// account.
func bigJournals(book, prefix string, journals, postings int) *ledgerv1.PostJournalsRequest {
	r := &ledgerv1.PostJournalsRequest{}
	for j := range journals {
		ps := make([]*ledgerv1.Posting, postings)
		for p := range ps {
			ps[p] = move(strconv.Itoa(p%10), "PCE", "1", "1.00", world("abroad"), acct(book, "bonded"))
		}
		r.Journals = append(r.Journals, journal(book, fmt.Sprintf("%s-%d", prefix, j), day(0), ps...))
	}
	return r
}

// largeWorld is a server with a book of ten items that big requests post to.
func largeWorld(t *testing.T, extra ...string) (*Server, *Actors, string) {
	s := StartServer(t, extra...)
	a := NewActors(t, s)
	const book = "H-LARGE"
	EnsureWorld(t, s, a.C, "abroad")
	CreateBook(t, s, a.E1, book, ent1, "bonded")
	for i := range 10 {
		RegisterItems(t, s, a.E1, book, item(strconv.Itoa(i), "PCE", 0))
	}
	return s, a, book
}

// postConcurrently sends reqs at once as tok and returns each call's error.
func postConcurrently(t *testing.T, s *Server, tok string, reqs []*ledgerv1.PostJournalsRequest) []error {
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			resp, err := s.Ledger().PostJournals(ctxAs(t, tok), r)
			if err == nil {
				for k, res := range resp.GetResults() {
					if res.GetError() != nil {
						err = fmt.Errorf("journal %d refused: %v", k, res.GetError())
						break
					}
				}
			}
			errs[i] = err
		})
	}
	wg.Wait()
	return errs
}

// TestLargeRequestsRefused: four concurrent PostJournals of 100 journals
// x 1000 postings (4.8 MB each) are each
// refused with RESOURCE_EXHAUSTED before being read (larger than a
// principal's in-flight budget, the largest message the server reads), and
// change nothing; a call small enough to read but past the postings limit
// is refused with reason REQUEST_TOO_LARGE and a message saying to split
// it; a call within the limits is booked.
func TestLargeRequestsRefused(t *testing.T) {
	s, a, book := largeWorld(t)
	var reqs []*ledgerv1.PostJournalsRequest
	for c := range 4 {
		reqs = append(reqs, bigJournals(book, fmt.Sprintf("big%d", c), 100, 1000))
	}
	for i, err := range postConcurrently(t, s, a.E1, reqs) {
		if status.Code(err) != codes.ResourceExhausted || !strings.Contains(status.Convert(err).Message(), "2097152") {
			t.Errorf("call %d of 100 x 1000 postings: %v, want RESOURCE_EXHAUSTED naming the limit 2097152", i, err)
		}
	}
	errs := postConcurrently(t, s, a.E1, []*ledgerv1.PostJournalsRequest{bigJournals(book, "over", 30, 1000)})
	if err := errs[0]; status.Code(err) != codes.ResourceExhausted || errorsv1.ReasonOf(err) != "REQUEST_TOO_LARGE" ||
		!strings.Contains(status.Convert(err).Message(), "at most 20000") || !strings.Contains(status.Convert(err).Message(), "split") {
		t.Errorf("a call of 30 x 1000 postings: %v (reason %q), want RESOURCE_EXHAUSTED, REQUEST_TOO_LARGE, saying at most 20000 and to split it", err, errorsv1.ReasonOf(err))
	}
	if b := balanceMap(t, s, a.E1, book); len(b) != 0 {
		t.Errorf("refused calls booked %v", b)
	}
	ok := bigJournals(book, "ok", 10, 1000) // 10000 postings, 480 kB
	if errs := postConcurrently(t, s, a.E1, []*ledgerv1.PostJournalsRequest{ok}); errs[0] != nil {
		t.Fatalf("a call within the limits: %v", errs[0])
	}
	t.Logf("server peak RSS: %d MiB", s.peakRSSMiB(t))
}

// TestLargeRequestsMeasure is the load command behind the memory figures
// in cmd/zoneledger/README.md: four concurrent PostJournals of 100
// journals x 1000 postings, then rounds of four concurrent calls of
// ZONELEDGER_LOAD_JOURNALS (default 20) x 1000 postings; it logs how the
// calls were answered and the server's peak RSS. It asserts nothing about
// memory. Run it with ZONELEDGER_LOAD=1 (ZONELEDGER_LOAD_FLAGS: extra serve
// flags).
func TestLargeRequestsMeasure(t *testing.T) {
	if os.Getenv("ZONELEDGER_LOAD") == "" {
		t.Skip("load command: set ZONELEDGER_LOAD=1")
	}
	s, a, book := largeWorld(t, strings.Fields(os.Getenv("ZONELEDGER_LOAD_FLAGS"))...)
	t.Logf("server peak RSS at start: %d MiB", s.peakRSSMiB(t))
	tally := func(errs []error) map[string]int {
		m := map[string]int{}
		for _, err := range errs {
			m[status.Code(err).String()+" "+errorsv1.ReasonOf(err)]++
		}
		return m
	}
	var reqs []*ledgerv1.PostJournalsRequest
	for c := range 4 {
		reqs = append(reqs, bigJournals(book, fmt.Sprintf("load%d", c), 100, 1000))
	}
	t.Logf("4 x (100 x 1000): %v; server peak RSS %d MiB", tally(postConcurrently(t, s, a.E1, reqs)), s.peakRSSMiB(t))
	n := 20
	if v, err := strconv.Atoi(os.Getenv("ZONELEDGER_LOAD_JOURNALS")); err == nil {
		n = v
	}
	all := map[string]int{}
	for round := range 5 {
		reqs = reqs[:0]
		for c := range 4 {
			reqs = append(reqs, bigJournals(book, fmt.Sprintf("r%d-%d", round, c), n, 1000))
		}
		for k, v := range tally(postConcurrently(t, s, a.E1, reqs)) {
			all[k] += v
		}
		t.Logf("after round %d: server peak RSS %d MiB", round+1, s.peakRSSMiB(t))
	}
	t.Logf("5 rounds of 4 x (%d x 1000): %v; server peak RSS %d MiB", n, all, s.peakRSSMiB(t))
}
