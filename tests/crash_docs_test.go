package tests

// Crash tests of what users lose beyond journals: customs documents
// (declared lists, gate passes), e-commerce orders and their releases, and
// sealed periods, each under SIGKILL of the server. Clients retry every
// unanswered call with the same request, as the API asks; afterwards every
// acknowledged change is there exactly once and no document is left stuck
// half-way.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Bounds of the document crash tests.
const (
	docCrashLimit    = 3 * time.Minute  // the whole run of a test's workers
	docCallLimit     = 20 * time.Second // one attempt
	docKillAfterDone = 6                // kill once this many flows are complete
)

// docRetries counts the attempts retryCall made that got no answer: calls
// the SIGKILL cut off, or sent while the server was down.
var docRetries atomic.Int64

// retryCall sends a call until the server answers it, on the server's
// current connection (a new one after a restart), with the same request
// every time. Transport failures, UNAVAILABLE, deadlines and cancellations
// are no answer. It returns the answer's error (nil for success), or the
// last failure when ctx ends first.
func retryCall(ctx context.Context, s *Server, tok string, call func(ctx context.Context, conn *grpc.ClientConn) error) error {
	backoff := 10 * time.Millisecond
	var err error
	for ctx.Err() == nil {
		if conn := s.Conn(); conn != nil {
			cctx, cancel := context.WithTimeout(withToken(ctx, tok), docCallLimit)
			err = call(cctx, conn)
			cancel()
			switch status.Code(err) {
			case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
			default:
				return err
			}
		}
		docRetries.Add(1)
		select {
		case <-ctx.Done():
		case <-time.After(backoff + rand.N(backoff)):
		}
		backoff = min(2*backoff, 250*time.Millisecond)
	}
	if err == nil {
		err = ctx.Err()
	}
	return err
}

// killMidway SIGKILLs the server once docKillAfterDone of the workers'
// flows are done, restarts it, waits for the workers (wg), fails the test
// with every error they sent on errs (which it closes), and returns how
// many flows were done at the kill.
func killMidway(t *testing.T, s *Server, wg *sync.WaitGroup, done *atomic.Int64, errs chan error) int64 {
	t.Helper()
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	deadline := time.After(docCrashLimit)
	for done.Load() < docKillAfterDone {
		select {
		case <-finished:
			t.Fatalf("the workers finished before %d flows were done", docKillAfterDone)
		case <-deadline:
			t.Fatalf("only %d flows done within %v", done.Load(), docCrashLimit)
		case <-time.After(5 * time.Millisecond):
		}
	}
	at := done.Load()
	retriesBefore := docRetries.Load()
	s.Kill()
	s.Restart()
	t.Cleanup(func() {
		t.Logf("%d attempts got no answer around the SIGKILL and were sent again", docRetries.Load()-retriesBefore)
	})
	<-finished
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return at
}

// TestCustomsKilledMidFlow files entry lists from six workers through their
// whole flow (create, declare, approve, pass, gate event) and SIGKILLs the
// server in the middle. After the restart every list is CLEARED, every pass
// PASSED with a journal, and the book's bonded stock is the sum of the
// lists: none booked twice, none lost, none stuck.
func TestCustomsKilledMidFlow(t *testing.T) {
	z := newZoneEnv(t)
	wh := z.enterprise(t, "Crash Test Warehouse")
	book := z.hBook(t, wh)
	s := z.s

	const workers, flows = 6, 6
	type flow struct {
		inner, vehicle string
		qty            int64
		listNo, passNo string
		passed         bool
	}
	all := make([][]*flow, workers)
	for w := range workers {
		for i := range flows {
			all[w] = append(all[w], &flow{inner: fmt.Sprintf("KL-%d-%d", w, i), vehicle: fmt.Sprintf("沪K%02d%03d", w, i), qty: int64(w*10 + i + 1)})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), docCrashLimit)
	defer cancel()
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers*flows)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range all[w] {
				if err := customsFlow(ctx, s, wh.tok, z.customs, book, f.inner, f.vehicle, f.qty, &f.listNo, &f.passNo); err != nil {
					errs <- err
					return
				}
				f.passed = true
				done.Add(1)
			}
		}()
	}
	at := killMidway(t, s, &wg, &done, errs)
	t.Logf("SIGKILL after %d of %d flows were complete", at, workers*flows)
	if t.Failed() {
		t.FailNow()
	}

	z = zoneOn(s, z.a)
	var want int64
	for _, fs := range all {
		for _, f := range fs {
			want += f.qty
			l := z.getList(t, f.listNo)
			if l.GetStatus() != customsv1.ListStatus_LIST_STATUS_CLEARED {
				t.Errorf("list %s (%s) is %s after the crash, want CLEARED", f.listNo, f.inner, l.GetStatus())
			}
			resp, err := z.gate.GetPass(ctxAs(t, z.customs), &customsv1.GetPassRequest{PassNo: f.passNo})
			if err != nil {
				t.Fatalf("GetPass %s: %v", f.passNo, err)
			}
			if p := resp.GetPass(); p.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED || p.GetJournalId() == 0 {
				t.Errorf("pass %s is %s with journal %d, want PASSED with a journal", f.passNo, p.GetStatus(), p.GetJournalId())
			}
		}
	}
	z.wantStock(t, book, lineNotebook, st{bonded: decimal.NewFromInt(want).String()})
}

// customsFlow drives one entry list through its whole flow, each step sent
// until answered.
func customsFlow(ctx context.Context, s *Server, tok, customs, book, inner, vehicle string, qty int64, listNo, passNo *string) error {
	var l *customsv1.List
	req := entryReq(book, inner, lineNotebook, fmt.Sprint(qty), fmt.Sprint(qty*3000))
	if err := retryCall(ctx, s, tok, func(ctx context.Context, c *grpc.ClientConn) error {
		r, err := customsv1.NewDeclarationServiceClient(c).CreateList(ctx, req)
		l = r.GetList()
		return err
	}); err != nil {
		return fmt.Errorf("CreateList %s: %w", inner, err)
	}
	*listNo = l.GetListNo()
	if err := retryCall(ctx, s, tok, func(ctx context.Context, c *grpc.ClientConn) error {
		_, err := customsv1.NewDeclarationServiceClient(c).DeclareList(ctx, &customsv1.DeclareListRequest{ListNo: *listNo})
		return err
	}); err != nil {
		return fmt.Errorf("DeclareList %s: %w", *listNo, err)
	}
	if err := retryCall(ctx, s, customs, func(ctx context.Context, c *grpc.ClientConn) error {
		r, err := customsv1.NewDeclarationServiceClient(c).ApproveList(ctx, &customsv1.ApproveListRequest{ListNo: *listNo, Note: "ok"})
		l = r.GetList()
		return err
	}); err != nil {
		return fmt.Errorf("ApproveList %s: %w", *listNo, err)
	}
	var p *customsv1.Pass
	preq := &customsv1.CreatePassRequest{InnerNo: "P" + inner, BookNo: book, PassType: "2", BindType: "2", Io: "I", RelatedType: "1",
		RelatedNos: []string{*listNo}, Vehicle: vehicle, VehicleWeight: tare, GrossWeight: l.GetGrossWeight(), NetWeight: l.GetNetWeight()}
	if err := retryCall(ctx, s, tok, func(ctx context.Context, c *grpc.ClientConn) error {
		r, err := customsv1.NewGateServiceClient(c).CreatePass(ctx, preq)
		p = r.GetPass()
		return err
	}); err != nil {
		return fmt.Errorf("CreatePass P%s: %w", inner, err)
	}
	*passNo = p.GetPassNo()
	gross, err := decimal.NewFromString(l.GetGrossWeight())
	if err != nil {
		return fmt.Errorf("list %s: gross weight %q: %w", *listNo, l.GetGrossWeight(), err)
	}
	ev := &customsv1.RecordGateEventRequest{PassNo: *passNo, EventId: "E" + inner, Vehicle: vehicle,
		ScaleGross: decimal.RequireFromString(tare).Add(gross).String()}
	if err := retryCall(ctx, s, customs, func(ctx context.Context, c *grpc.ClientConn) error {
		r, err := customsv1.NewGateServiceClient(c).RecordGateEvent(ctx, ev)
		p = r.GetPass()
		return err
	}); err != nil {
		return fmt.Errorf("RecordGateEvent on pass %s: %w", *passNo, err)
	}
	if p.GetStatus() != customsv1.PassStatus_PASS_STATUS_PASSED {
		return fmt.Errorf("pass %s is %s after its gate event, want PASSED", *passNo, p.GetStatus())
	}
	return nil
}

// TestEcommerceKilledMidRelease submits the three documents of 24 orders
// from four platforms' workers and SIGKILLs the server in the middle. After
// the restart every order is RELEASED with its own released list, and the
// warehouse's bonded stock went down by exactly the orders' quantity.
func TestEcommerceKilledMidRelease(t *testing.T) {
	e := newEcomEnv(t) // 100 notebooks in bonded stock
	s := e.s
	const workers, orders = 4, 6
	all := make([][]docs, workers)
	for w := range workers {
		for i := range orders {
			all[w] = append(all[w], e.order(t, fmt.Sprintf("KO-%d-%d", w, i), fmt.Sprintf("7%d%02d", w, i), "1", "3000"))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), docCrashLimit)
	defer cancel()
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers*orders)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range all[w] {
				var o *customsv1.Order
				for _, doc := range []any{d.order, d.payment, d.waybill} {
					err := retryCall(ctx, s, e.platform, func(ctx context.Context, c *grpc.ClientConn) error {
						var err error
						o, err = submitDoc(ctx, customsv1.NewEcommerceServiceClient(c), doc)
						return err
					})
					if err != nil {
						errs <- fmt.Errorf("order %s: %T: %w", d.order.GetOrderNo(), doc, err)
						return
					}
				}
				if o.GetStatus() != customsv1.OrderStatus_ORDER_STATUS_RELEASED {
					errs <- fmt.Errorf("order %s is %s after its three documents (%s), want RELEASED", d.order.GetOrderNo(), o.GetStatus(), o.GetReasonMessage())
					return
				}
				done.Add(1)
			}
		}()
	}
	at := killMidway(t, s, &wg, &done, errs)
	t.Logf("SIGKILL after %d of %d orders were released", at, workers*orders)
	if t.Failed() {
		t.FailNow()
	}

	e.zoneEnv = zoneOn(s, e.a)
	e.ecom = customsv1.NewEcommerceServiceClient(s.Conn())
	lists := map[string]string{}
	for _, ds := range all {
		for _, d := range ds {
			o := e.getOrder(t, e.platform, d.order.GetOrderNo())
			l := e.wantReleased(t, o, d)
			if prev, dup := lists[l.GetListNo()]; dup {
				t.Errorf("orders %s and %s share list %s", prev, d.order.GetOrderNo(), l.GetListNo())
			}
			lists[l.GetListNo()] = d.order.GetOrderNo()
		}
	}
	e.wantStock(t, e.book, lineNotebook, st{bonded: fmt.Sprint(100 - workers*orders)})
}

// submitDoc sends one of an order's documents.
func submitDoc(ctx context.Context, c customsv1.EcommerceServiceClient, doc any) (*customsv1.Order, error) {
	switch d := doc.(type) {
	case *customsv1.SubmitOrderRequest:
		r, err := c.SubmitOrder(ctx, d)
		return r.GetOrder(), err
	case *customsv1.SubmitPaymentRequest:
		r, err := c.SubmitPayment(ctx, d)
		return r.GetOrder(), err
	case *customsv1.SubmitWaybillRequest:
		r, err := c.SubmitWaybill(ctx, d)
		return r.GetOrder(), err
	}
	return nil, fmt.Errorf("not a document: %T", doc)
}

// TestPeriodCloseKilled seals a period, SIGKILLs the server with a second
// close in flight, restarts it, retries the second close with its key, and
// checks that the book has both periods once each, the first unchanged, and
// that VerifyPeriods finds the seals intact.
func TestPeriodCloseKilled(t *testing.T) {
	s := StartServer(t)
	a := NewActors(t, s)
	const book = "H-PERIODS"
	EnsureWorld(t, s, a.C, "abroad")
	CreateBook(t, s, a.E1, book, ent1, "bonded")
	RegisterItems(t, s, a.E1, book, item("1", "PCE", 0))
	for d := -4; d <= 0; d++ {
		for i := range 20 {
			Post(t, s, a.E1, journal(book, fmt.Sprintf("p%d-%02d", -d, i), day(d), move("1", "PCE", fmt.Sprint(i+1), "1.00", world("abroad"), acct(book, "bonded"))))
		}
	}
	first, err := s.Ledger().ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: book, Through: day(-3), IdempotencyKey: "close-1"})
	if err != nil {
		t.Fatalf("ClosePeriod through %s: %v", day(-3), err)
	}

	second := &ledgerv1.ClosePeriodRequest{BookId: book, Through: day(-1), IdempotencyKey: "close-2"}
	sent := make(chan struct{})
	answered := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(withToken(context.Background(), a.C), callTimeout)
		defer cancel()
		c := ledgerv1.NewLedgerServiceClient(s.Conn())
		close(sent)
		_, err := c.ClosePeriod(ctx, second)
		answered <- err
	}()
	<-sent
	s.Kill()
	t.Logf("the close in flight at the SIGKILL was answered with: %v", <-answered)
	s.Restart()

	ctx, cancel := context.WithTimeout(context.Background(), docCrashLimit)
	defer cancel()
	var closed *ledgerv1.ClosePeriodResponse
	if err := retryCall(ctx, s, a.C, func(ctx context.Context, c *grpc.ClientConn) error {
		var err error
		closed, err = ledgerv1.NewLedgerServiceClient(c).ClosePeriod(ctx, second)
		return err
	}); err != nil {
		t.Fatalf("retrying ClosePeriod close-2 after the restart: %v", err)
	}
	if closed.GetPeriod().GetThrough() != day(-1) || string(closed.GetPeriod().GetPreviousDigest()) != string(first.GetPeriod().GetDigest()) {
		t.Errorf("close-2 after the restart: %v; want through %s chained to the first period", closed.GetPeriod(), day(-1))
	}
	// A replay of the first close returns it unchanged.
	replay, err := s.Ledger().ClosePeriod(ctxAs(t, a.C), &ledgerv1.ClosePeriodRequest{BookId: book, Through: day(-3), IdempotencyKey: "close-1"})
	if err != nil || string(replay.GetPeriod().GetDigest()) != string(first.GetPeriod().GetDigest()) {
		t.Errorf("replaying close-1 after the restart: %v, %v; want the original period", replay.GetPeriod(), err)
	}
	ps, err := s.Ledger().ListPeriods(ctxAs(t, a.C), &ledgerv1.ListPeriodsRequest{BookId: book})
	if err != nil {
		t.Fatalf("ListPeriods: %v", err)
	}
	if n := len(ps.GetPeriods()); n != 2 {
		t.Fatalf("the book has %d periods after the crash, want 2: %v", n, ps.GetPeriods())
	}
	if p := ps.GetPeriods()[0]; string(p.GetDigest()) != string(first.GetPeriod().GetDigest()) || p.GetThrough() != day(-3) {
		t.Errorf("the first period changed: %v, was %v", p, first.GetPeriod())
	}
	v, err := s.Ledger().VerifyPeriods(ctxAs(t, a.C), &ledgerv1.VerifyPeriodsRequest{BookId: book})
	if err != nil {
		t.Fatalf("VerifyPeriods: %v", err)
	}
	if !v.GetOk() || len(v.GetProblems()) > 0 {
		t.Errorf("VerifyPeriods after the crash: ok %v, problems %q", v.GetOk(), v.GetProblems())
	}
	// The sealed days refuse new journals; today still takes them.
	_, err = s.Ledger().PostJournal(ctxAs(t, a.E1), journal(book, "late", day(-2), move("1", "PCE", "1", "1.00", world("abroad"), acct(book, "bonded"))))
	if status.Code(err) == codes.OK {
		t.Errorf("a journal dated %s, inside the sealed period, was accepted after the crash", day(-2))
	}
	Post(t, s, a.E1, journal(book, "today", day(0), move("1", "PCE", "1", "1.00", world("abroad"), acct(book, "bonded"))))
}
