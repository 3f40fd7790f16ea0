package tests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Shape of the crash test.
const (
	crashBook       = "H-CRASH"
	crashClients    = 32
	crashTarget     = 100              // acknowledged journals per client and cycle
	crashAfterStart = 5                // ... of which at least this many sent after the restart
	crashMaxPerCli  = 5000             // journals per client and cycle, at most
	crashCycleLimit = 2 * time.Minute  // a cycle's clients give up after this
	crashCallLimit  = 20 * time.Second // deadline of one attempt
	crashMaxTries   = 400              // attempts per journal, at most
	hotItem         = "HOT"
	hotSeed         = "1000"
)

// crashClient is one client goroutine's record. Only its goroutine writes
// it while a cycle runs.
type crashClient struct {
	id        int
	sent      map[string]*ledgerv1.PostJournalRequest // every key ever sent, with its body
	acked     map[string]int64                        // key -> journal id, from a success answer
	refused   map[string]error                        // definitive errors (none expected)
	abandoned map[string]bool                         // sent, never answered within the bounds
	odd       []string                                // unexpected INTERNAL/UNKNOWN answers (retried)

	n                                           int // the journal being sent
	cycleAcked, afterRestart, replayed, retried int
}

// crashRun is the state shared by the clients of all cycles.
type crashRun struct {
	s        *Server
	tok      string
	customs  string // token that may read the book
	clients  []*crashClient
	inflight atomic.Int64 // calls sent and not yet answered
	acked    atomic.Int64
	// stopAt is when SIGTERM was sent in a graceful cycle (UnixNano), 0 otherwise.
	stopAt atomic.Int64
	// cutOff counts attempts sent well before a SIGTERM that failed anyway:
	// a graceful stop lets the calls in flight finish.
	cutOff atomic.Int64
	// impatient counts first attempts sent with a deadline too short to be
	// answered, and gaveUp those the client gave up on.
	impatient, gaveUp atomic.Int64
}

// Impatient clients: every impatientEvery-th journal's first attempt has a
// deadline of up to impatientDeadline, so the client gives up while the
// server may still commit it; the retry must then get the journal back as a
// replay.
const (
	impatientEvery    = 25
	impatientDeadline = 30 * time.Millisecond
	// stopGrace: a call sent this long before SIGTERM has reached the server.
	stopGrace = 100 * time.Millisecond
)

// crashJournal is journal n of client c in cycle: goods entering from
// abroad with a value and, mostly, leaving again for the domestic market,
// so that book balances never go negative. One journal in four only adds to
// the hot item, one in four takes from it.
func crashJournal(key string, c, n int) *ledgerv1.PostJournalRequest {
	bonded, abroad, domestic := acct(crashBook, "bonded"), world("abroad"), world("domestic")
	other := fmt.Sprintf("A%d", c%4)
	var ps []*ledgerv1.Posting
	switch n % 4 {
	case 0:
		ps = []*ledgerv1.Posting{move(hotItem, "KGM", "1.25", "12.50", abroad, bonded)}
	case 1:
		ps = []*ledgerv1.Posting{move(hotItem, "KGM", "2", "20.00", abroad, bonded), move(hotItem, "KGM", "2", "", bonded, domestic)}
	case 2:
		ps = []*ledgerv1.Posting{move(other, "PCE", "3", "7.50", abroad, bonded), move(other, "PCE", "3", "", bonded, domestic)}
	case 3:
		ps = []*ledgerv1.Posting{move(other, "PCE", "1", "1.00", abroad, bonded), move(hotItem, "KGM", "0.5", "", bonded, domestic)}
	}
	return journal(crashBook, key, day(0), ps...)
}

// TestCrashSafety posts journals from 32 clients, SIGKILLs the server in
// the middle (three times, then once more with SIGTERM), restarts it on the
// same data directory, lets every client retry its unanswered call with the
// same idempotency key and body, and checks through the API that every
// acknowledged journal is there exactly once and that the balances equal
// the sum of the recorded postings.
func TestCrashSafety(t *testing.T) {
	r := newCrashRun(t)
	for cycle := 1; cycle <= 4; cycle++ {
		how := killServer
		if cycle == 4 {
			how = stopServer
		}
		r.cycle(t, cycle, how)
		if t.Failed() {
			t.FailNow()
		}
		verifyCrashBook(t, r.s, r.customs, r)
		if t.Failed() {
			t.FailNow()
		}
	}
}

// TestPostmasterKilledUnderLoad is TestCrashSafety with the embedded
// PostgreSQL's postmaster SIGKILLed under the 32 clients instead of the
// server: the server restarts PostgreSQL itself, the clients retry their
// unanswered calls on the same connection, and every acknowledged journal
// is there exactly once, none doubled, none answered INTERNAL. One cycle:
// TestPostmasterKilled covers repeated restarts.
func TestPostmasterKilledUnderLoad(t *testing.T) {
	r := newCrashRun(t)
	r.cycle(t, 1, killPostmaster)
	if t.Failed() {
		t.FailNow()
	}
	verifyCrashBook(t, r.s, r.customs, r)
}

// newCrashRun starts a server with the crash book and its clients.
func newCrashRun(t *testing.T) *crashRun {
	s := StartServer(t)
	a := NewActors(t, s)
	EnsureWorld(t, s, a.C, "abroad", "domestic")
	CreateBook(t, s, a.E1, crashBook, ent1, "bonded")
	RegisterItems(t, s, a.E1, crashBook, item(hotItem, "KGM", 2), item("A0", "PCE", 0), item("A1", "PCE", 0), item("A2", "PCE", 0), item("A3", "PCE", 0))
	Post(t, s, a.E1, journal(crashBook, "seed-hot", day(0), move(hotItem, "KGM", hotSeed, "10000.00", world("abroad"), acct(crashBook, "bonded"))))

	r := &crashRun{s: s, tok: a.E1, customs: a.C}
	for i := range crashClients {
		r.clients = append(r.clients, &crashClient{id: i, sent: map[string]*ledgerv1.PostJournalRequest{}, acked: map[string]int64{},
			refused: map[string]error{}, abandoned: map[string]bool{}})
	}
	return r
}

// How a crash cycle takes the service down.
type crashHow string

const (
	killServer     crashHow = "SIGKILL"            // of the server, then a restart
	stopServer     crashHow = "SIGTERM"            // graceful stop, then a restart
	killPostmaster crashHow = "SIGKILL postmaster" // the server restarts PostgreSQL itself
)

// cycle runs the clients, kills (or, graceful, stops) the server after 1-2
// s of load, restarts it and waits until every client is done.
func (r *crashRun) cycle(t *testing.T, cycle int, how crashHow) {
	graceful := how == stopServer
	ctx, cancel := context.WithTimeout(context.Background(), crashCycleLimit)
	var restarted atomic.Bool
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	ackedBefore := r.acked.Load()
	began := time.Now()
	for _, c := range r.clients {
		c.cycleAcked, c.afterRestart = 0, 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.runClient(ctx, c, cycle, &restarted)
		}()
	}

	time.Sleep(time.Second + rand.N(time.Second))
	inflight, ackedAtKill := r.inflight.Load(), r.acked.Load()-ackedBefore
	down := time.Now()
	switch how {
	case stopServer:
		r.stopAt.Store(down.UnixNano())
		r.s.Stop() // fails the test unless it exits 0
		r.s.Restart()
	case killServer:
		r.s.Kill()
		r.s.Restart()
	case killPostmaster:
		from := r.s.log.len()
		r.s.KillPostmaster()
		r.s.WaitLog(from, "the database answers again", dbDeathTimeout)
	}
	restarted.Store(true)
	r.stopAt.Store(0)
	downtime := time.Since(down)
	wg.Wait()
	took := time.Since(began)

	var replayed, retried, abandoned int
	for _, c := range r.clients {
		replayed += c.replayed
		retried += c.retried
		abandoned += len(c.abandoned)
		c.replayed, c.retried = 0, 0
	}
	t.Logf("cycle %d: %s with %d calls in flight after %d journals acknowledged in the cycle; down %v; cycle total %d acknowledged in %v, %d calls answered only after retries, %d of them replays of journals committed before the answer was lost; %d abandoned so far",
		cycle, how, inflight, ackedAtKill, downtime.Round(time.Millisecond), r.acked.Load()-ackedBefore, took.Round(time.Millisecond), retried, replayed, abandoned)
	t.Logf("cycle %d: so far %d first attempts were sent with a deadline of at most %v, the client gave up on %d of them",
		cycle, r.impatient.Load(), impatientDeadline, r.gaveUp.Load())
	if graceful {
		t.Logf("cycle %d: %d calls sent more than %v before the SIGTERM failed (want 0: a graceful stop finishes the calls in flight)",
			cycle, r.cutOff.Load(), stopGrace)
	}
	if inflight == 0 {
		t.Logf("cycle %d: no call was in flight at the %s; the kill hit an idle moment", cycle, how)
	}
	for _, c := range r.clients {
		if c.cycleAcked < crashTarget {
			t.Errorf("cycle %d: client %d got only %d journals acknowledged (want %d) within %v", cycle, c.id, c.cycleAcked, crashTarget, crashCycleLimit)
		}
		for _, o := range c.odd {
			t.Errorf("client %d: %s", c.id, o)
		}
		c.odd = nil
		for k, err := range c.refused {
			t.Errorf("client %d: journal %s was refused: %v", c.id, k, err)
		}
	}
}

// runClient posts journals until it has enough acknowledged (some after
// the restart), or the cycle's time is up.
func (r *crashRun) runClient(ctx context.Context, c *crashClient, cycle int, restarted *atomic.Bool) {
	for n := 0; n < crashMaxPerCli; n++ {
		if restarted.Load() && c.cycleAcked >= crashTarget && c.afterRestart >= crashAfterStart {
			return
		}
		if ctx.Err() != nil {
			return
		}
		c.n = n
		key := fmt.Sprintf("k%d-c%02d-%05d", cycle, c.id, n)
		req := crashJournal(key, c.id, n)
		c.sent[key] = req
		r.postUntilAnswered(ctx, c, key, req, restarted)
	}
}

// postUntilAnswered sends req until the server answers it, with the same
// key and body every time. Transport failures, UNAVAILABLE and deadlines
// mean "no answer": the journal may or may not be recorded.
func (r *crashRun) postUntilAnswered(ctx context.Context, c *crashClient, key string, req *ledgerv1.PostJournalRequest, restarted *atomic.Bool) {
	backoff := 10 * time.Millisecond
	for attempt := 1; attempt <= crashMaxTries; attempt++ {
		if ctx.Err() != nil {
			break
		}
		if conn := r.s.Conn(); conn != nil {
			sentAfterRestart := restarted.Load()
			limit := crashCallLimit
			impatient := attempt == 1 && c.n%impatientEvery == impatientEvery-1
			if impatient {
				limit = time.Millisecond + rand.N(impatientDeadline)
				r.impatient.Add(1)
			}
			cctx, cancel := context.WithTimeout(withToken(ctx, r.tok), limit)
			sentAt := time.Now()
			r.inflight.Add(1)
			resp, err := ledgerv1.NewLedgerServiceClient(conn).PostJournal(cctx, req)
			r.inflight.Add(-1)
			cancel()
			if err != nil && !impatient {
				if at := r.stopAt.Load(); at != 0 && sentAt.Before(time.Unix(0, at).Add(-stopGrace)) {
					r.cutOff.Add(1)
					c.odd = append(c.odd, fmt.Sprintf("journal %s: sent %v before SIGTERM, the graceful stop cut it off: %v",
						key, time.Unix(0, at).Sub(sentAt).Round(time.Millisecond), err))
				}
			}
			if impatient && status.Code(err) == codes.DeadlineExceeded {
				r.gaveUp.Add(1)
			}
			if err == nil {
				j := resp.GetJournal()
				if j.GetIdempotencyKey() != key || j.GetJournalId() <= 0 {
					c.odd = append(c.odd, fmt.Sprintf("journal %s answered with journal %d of key %q", key, j.GetJournalId(), j.GetIdempotencyKey()))
				}
				c.acked[key] = j.GetJournalId()
				c.cycleAcked++
				if sentAfterRestart {
					c.afterRestart++
				}
				if attempt > 1 {
					c.retried++
				}
				if resp.GetReplayed() {
					c.replayed++
					if attempt == 1 {
						c.odd = append(c.odd, fmt.Sprintf("journal %s: the first attempt was answered as a replay", key))
					}
				}
				r.acked.Add(1)
				return
			}
			switch status.Code(err) {
			case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
				// No answer: retry.
			case codes.Internal, codes.Unknown:
				c.odd = append(c.odd, fmt.Sprintf("journal %s attempt %d: %v", key, attempt, err))
			default:
				c.refused[key] = err
				return
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff + rand.N(backoff)):
		}
		backoff = min(2*backoff, 250*time.Millisecond)
	}
	c.abandoned[key] = true
}

// verifyCrashBook checks through the API that every acknowledged journal is
// recorded exactly once as acknowledged, that nothing else is recorded but
// journals whose answer never came, and that the balances are the sum of the
// recorded postings.
func verifyCrashBook(t *testing.T, s *Server, tok string, r *crashRun) {
	t.Helper()
	began := time.Now()
	js := streamAll(t, s, tok, crashBook)
	byKey := map[string]*ledgerv1.Journal{}
	var lastID int64
	for _, j := range js {
		if j.GetJournalId() <= lastID {
			t.Errorf("StreamJournals: journal %d after %d; want increasing ids", j.GetJournalId(), lastID)
		}
		lastID = j.GetJournalId()
		if prev, dup := byKey[j.GetIdempotencyKey()]; dup {
			t.Errorf("key %s is recorded twice: journals %d and %d", j.GetIdempotencyKey(), prev.GetJournalId(), j.GetJournalId())
		}
		byKey[j.GetIdempotencyKey()] = j
	}

	var acked, abandonedPresent, clientJournals int
	for _, c := range r.clients {
		for key, id := range c.acked {
			acked++
			j := byKey[key]
			if j == nil {
				t.Errorf("acknowledged journal %s (id %d) is missing", key, id)
				continue
			}
			if j.GetJournalId() != id {
				t.Errorf("acknowledged journal %s had id %d, the book has it as %d", key, id, j.GetJournalId())
			}
			sameBody(t, key, c.sent[key], j)
		}
		for key := range c.abandoned {
			if j := byKey[key]; j != nil {
				abandonedPresent++
				sameBody(t, key, c.sent[key], j)
			}
		}
		for key := range c.refused {
			if byKey[key] != nil {
				t.Errorf("journal %s was refused but is recorded", key)
			}
		}
	}
	for key := range byKey {
		if key == "seed-hot" {
			continue
		}
		clientJournals++
		var c *crashClient
		var id int
		if _, err := fmt.Sscanf(key[strings.Index(key, "-c")+2:], "%d", &id); err == nil && id >= 0 && id < len(r.clients) {
			c = r.clients[id]
		}
		if c == nil || c.sent[key] == nil {
			t.Errorf("the book has journal %s, which no client sent", key)
			continue
		}
		if _, ok := c.acked[key]; !ok && !c.abandoned[key] {
			t.Errorf("the book has journal %s, which was neither acknowledged nor left unanswered", key)
		}
	}
	if clientJournals != acked+abandonedPresent {
		t.Errorf("the book has %d client journals; %d were acknowledged and %d unanswered ones were recorded", clientJournals, acked, abandonedPresent)
	}

	holdings := verifyHoldings(t, s, tok, crashBook, js)
	t.Logf("verified %d journals in %v: %d acknowledged, %d unanswered but recorded, %d holdings by lot", len(js), time.Since(began).Round(time.Millisecond), acked, abandonedPresent, holdings)
}

// verifyHoldings recomputes every holding of book, by lot and summed, from
// the legs of its journals js (all of them, as StreamJournals gives them)
// and checks that GetBalances (current, by lot and as of today from the day
// totals) reports exactly those, none negative, and that every posting's
// legs sum to the posting. It returns how many holdings by lot it checked.
func verifyHoldings(t *testing.T, s *Server, tok, book string, js []*ledgerv1.Journal) int {
	t.Helper()
	// Recompute every book holding by lot from the recorded legs.
	type amt struct{ q, v decimal.Decimal }
	lots := map[string]amt{}
	add := func(a *ledgerv1.AccountRef, itemCode, lot string, q, v decimal.Decimal) {
		if a.GetBookId() == "" {
			return // world accounts are not part of the book's balances
		}
		k := a.GetName() + "/" + itemCode + "/" + lot
		x := lots[k]
		lots[k] = amt{x.q.Add(q), x.v.Add(v)}
	}
	for _, j := range js {
		for pi, p := range j.GetPostings() {
			var sq, sv decimal.Decimal
			for _, l := range p.GetLegs() {
				q, v := dec(t, l.GetQuantity()), dec(t, l.GetValue())
				sq, sv = sq.Add(q), sv.Add(v)
				add(p.GetFrom(), p.GetItemCode(), l.GetLot(), q.Neg(), v.Neg())
				add(p.GetTo(), p.GetItemCode(), l.GetLot(), q, v)
			}
			if !sq.Equal(dec(t, p.GetQuantity())) || !sv.Equal(dec(t, p.GetValue())) {
				t.Errorf("journal %d posting %d: legs sum to %s/%s, the posting says %s/%s", j.GetJournalId(), pi, sq, sv, p.GetQuantity(), p.GetValue())
			}
		}
	}
	want := map[string]string{}
	wantPairs := map[string]amt{}
	for k, x := range lots {
		if x.q.IsZero() && x.v.IsZero() {
			continue
		}
		want[k] = x.q.String() + "|" + x.v.StringFixed(2)
		pk := k[:strings.LastIndex(k, "/")]
		p := wantPairs[pk]
		wantPairs[pk] = amt{p.q.Add(x.q), p.v.Add(x.v)}
	}
	got := map[string]string{}
	resp, err := s.Ledger().GetBalances(ctxAs(t, tok), &ledgerv1.GetBalancesRequest{BookId: book, ByLot: true})
	if err != nil {
		t.Fatalf("GetBalances by lot: %v", err)
	}
	for _, b := range resp.GetBalances() {
		q, v := dec(t, b.GetQuantity()), dec(t, b.GetValue())
		if q.IsNegative() || v.IsNegative() {
			t.Errorf("negative holding %v", b)
		}
		got[b.GetAccount().GetName()+"/"+b.GetItemCode()+"/"+b.GetLot()] = q.String() + "|" + v.StringFixed(2)
	}
	diffMaps(t, "holdings by lot (recomputed vs GetBalances)", want, got)

	wantAgg := map[string]string{}
	for k, x := range wantPairs {
		wantAgg[k] = x.q.String() + "|" + x.v.StringFixed(2)
	}
	diffMaps(t, "holdings (recomputed vs GetBalances)", wantAgg, balanceMap(t, s, tok, book))
	// The day totals, kept in the same transactions, agree.
	asOf, err := s.Ledger().GetBalances(ctxAs(t, tok), &ledgerv1.GetBalancesRequest{BookId: book, AsOf: day(0)})
	if err != nil {
		t.Fatalf("GetBalances as of today: %v", err)
	}
	gotAsOf := map[string]string{}
	for _, b := range asOf.GetBalances() {
		gotAsOf[b.GetAccount().GetName()+"/"+b.GetItemCode()] = dec(t, b.GetQuantity()).String() + "|" + dec(t, b.GetValue()).StringFixed(2)
	}
	diffMaps(t, "holdings (recomputed vs GetBalances as of today, from day totals)", wantAgg, gotAsOf)
	return len(want)
}

// sameBody checks that a recorded journal is the one the client sent.
func sameBody(t *testing.T, key string, sent *ledgerv1.PostJournalRequest, j *ledgerv1.Journal) {
	t.Helper()
	if sent == nil {
		t.Errorf("journal %s: no record of what was sent", key)
		return
	}
	if len(sent.GetPostings()) != len(j.GetPostings()) || j.GetBookId() != sent.GetBookId() || j.GetEffectiveDate() != sent.GetEffectiveDate() {
		t.Errorf("journal %s: recorded %v, sent %v", key, j, sent)
		return
	}
	for i, p := range sent.GetPostings() {
		g := j.GetPostings()[i]
		if g.GetItemCode() != p.GetItemCode() || !dec(t, g.GetQuantity()).Equal(dec(t, p.GetQuantity())) ||
			g.GetFrom().GetName() != p.GetFrom().GetName() || g.GetTo().GetName() != p.GetTo().GetName() {
			t.Errorf("journal %s posting %d: recorded %v, sent %v", key, i, g, p)
		}
	}
}

func diffMaps(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	var bad []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			bad = append(bad, fmt.Sprintf("%s: want %s, got %q", k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			bad = append(bad, fmt.Sprintf("%s: want nothing, got %s", k, g))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		if len(bad) > 20 {
			bad = append(bad[:20], fmt.Sprintf("... and %d more", len(bad)-20))
		}
		t.Errorf("%s differ:\n%s", what, strings.Join(bad, "\n"))
	}
}
