package zone_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// down answers every Post as a lost connection without posting: the change
// stays in flight, as after a crash before the ledger answered.
type down struct{ ledger.Store }

func (down) Post(context.Context, ledger.JournalRequest) (ledger.Journal, error) {
	return ledger.Journal{}, ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "connection lost")
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPoisonedIntentIsMarkedFailedAndStartGoesOn: a change left in flight
// whose journal PostgreSQL refuses for good (a lot with U+0000, which the
// old edge let through) no longer stops the start: it is marked failed with
// its reason and logged, its list is released (the owner can delete it),
// the other changes in flight are finished, and later starts skip it.
func TestPoisonedIntentIsMarkedFailedAndStartGoesOn(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")

	crashed, err := zone.New(w.store.Pool(), down{w.store}, zone.Options{})
	w.must(err)
	var lists []zone.List
	for _, lot := range []string{"L\x00", ""} {
		l, err := crashed.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-" + string(rune('A'+len(lists))), Book: w.h1, IO: codes.Out, TradeMode: "5034",
			Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Lot: lot}}})
		w.must(err)
		_, err = crashed.DeclareList(w.ctx, w.e1, l.No)
		wantReason(t, err, ledger.ReasonUnavailable)
		lists = append(lists, l)
	}
	poisoned, good := lists[0], lists[1]

	// The next start.
	logs := &lockedBuffer{}
	svc, err := zone.New(w.store.Pool(), w.store, zone.Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	w.must(err)
	if err := svc.Start(w.ctx); err != nil {
		t.Fatalf("the start failed on one document's change: %v", err)
	}
	var failure string
	w.must(w.store.Pool().QueryRow(w.ctx, `SELECT failure FROM zone_intents WHERE failed_at IS NOT NULL`).Scan(&failure))
	if !strings.Contains(failure, "posting its journal") || !strings.Contains(failure, "UTF8") {
		t.Errorf("stored failure %q does not say what failed and why", failure)
	}
	if !strings.Contains(logs.String(), "failed for good") || !strings.Contains(logs.String(), "list:"+poisoned.No) {
		t.Errorf("the start did not report the failed change and its list:\n%s", logs)
	}
	got, err := svc.GetList(w.ctx, w.e1, good.No)
	w.must(err)
	if got.Status != zone.ListDeclared {
		t.Errorf("the other list in flight is %s, want declared", got.Status)
	}
	got, err = svc.GetList(w.ctx, w.e1, poisoned.No)
	w.must(err)
	if got.Status != zone.ListDraft {
		t.Errorf("the poisoned list is %s, want draft", got.Status)
	}
	if !strings.Contains(got.Failure, "posting its journal") || !strings.Contains(got.Failure, "UTF8") {
		t.Errorf("the owner reads failure %q on the list, want why its declaration was given up", got.Failure)
	}
	all, err := svc.ListLists(w.ctx, w.e1, zone.ListFilter{Book: w.h1})
	w.must(err)
	for _, l := range all {
		if (l.No == poisoned.No) != (l.Failure != "") {
			t.Errorf("ListLists: list %s shows failure %q", l.No, l.Failure)
		}
	}
	w.wantStock(w.h1, 1, "10", "3", "0") // only the good list's reservation
	if _, err := svc.DeleteList(w.ctx, w.e1, poisoned.No); err != nil {
		t.Fatalf("the owner cannot delete the released list: %v", err)
	}
	// Later starts do not try it again.
	if err := svc.Recover(w.ctx); err != nil {
		t.Fatalf("a second start: %v", err)
	}
	if n := strings.Count(logs.String(), "failed for good"); n != 1 {
		t.Errorf("the failed change was reported %d times, want once", n)
	}
}

// TestLiveRequestWithUnstorableTextReleasesTheDocument: the same refusal
// during the call marks the change failed at once instead of leaving the
// list pending for every later call and start.
func TestLiveRequestWithUnstorableTextReleasesTheDocument(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-NUL", Book: w.h1, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Lot: "L\x00"}}})
	w.must(err)
	if _, err := w.svc.DeclareList(w.ctx, w.e1, l.No); err == nil {
		t.Fatal("PostgreSQL stored a NUL")
	}
	var pending string
	w.must(w.store.Pool().QueryRow(w.ctx, `SELECT pending FROM zone_documents WHERE kind = 'list' AND no = $1`, l.No).Scan(&pending))
	if pending != "" {
		t.Errorf("the list stays pending on change %s", pending)
	}
	if _, err := w.svc.DeleteList(w.ctx, w.e1, l.No); err != nil {
		t.Fatalf("deleting the list: %v", err)
	}
	if err := w.svc.Recover(w.ctx); err != nil {
		t.Fatalf("the next start: %v", err)
	}
}
