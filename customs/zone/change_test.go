package zone_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// flaky makes the ledger's transactions fail or lose their answers.
type flaky struct {
	*pgstore.Store
	// rollback makes every ReadWriteTx run its function and then roll
	// back, as when PostgreSQL refuses the COMMIT.
	rollback atomic.Bool
	// lose makes ReadWriteTx commit and then lose the answer, as a crash
	// or a lost connection right after the commit would.
	lose atomic.Bool
}

var errRolledBack = errors.New("injected: the COMMIT was refused")

func (f *flaky) ReadWriteTx(ctx context.Context, fn func(context.Context, pgx.Tx, ledger.Journals) error) error {
	if f.rollback.Load() {
		err := f.Store.ReadWriteTx(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
			if err := fn(ctx, tx, j); err != nil {
				return err
			}
			return errRolledBack
		})
		if errors.Is(err, errRolledBack) {
			return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "%v", err)
		}
		return err
	}
	err := f.Store.ReadWriteTx(ctx, fn)
	if err == nil && f.lose.Load() {
		return ledger.Errorf(ledger.KindUnavailable, ledger.ReasonUnavailable, "", "injected: connection lost after the commit")
	}
	return err
}

// journals counts the book's journals.
func (w *world) journals(book string) int {
	w.t.Helper()
	js, err := w.store.ListJournals(w.ctx, ledger.JournalFilter{Book: book, Limit: 1000})
	w.must(err)
	return len(js)
}

// A change and its journal are one transaction: one that does not commit
// leaves neither (the list stays a draft, nothing is reserved) and the
// client's retry applies it once; one whose answer is lost after the
// commit has both, and the client's retry finds them and applies nothing
// again.
func TestChangeIsOneTransactionWithItsJournal(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	f := &flaky{Store: w.store}
	svc, err := zone.New(w.store.Pool(), f, zone.Options{})
	w.must(err)
	before := w.journals(w.h1)

	l, err := svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-1", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3")}}})
	w.must(err)
	f.rollback.Store(true)
	_, err = svc.DeclareList(w.ctx, w.e1, l.No)
	wantReason(t, err, ledger.ReasonUnavailable)
	f.rollback.Store(false)
	got, err := svc.GetList(w.ctx, w.e1, l.No)
	w.must(err)
	if got.Status != zone.ListDraft || len(got.JournalIDs) != 0 {
		t.Fatalf("after a change that did not commit: %s, journals %v", got.Status, got.JournalIDs)
	}
	w.wantStock(w.h1, 1, "10", "0", "0")
	if n := w.journals(w.h1); n != before {
		t.Fatalf("%d journals after a change that did not commit, want %d", n, before)
	}
	_, err = svc.DeclareList(w.ctx, w.e1, l.No) // the client's retry
	w.must(err)
	w.wantStock(w.h1, 1, "10", "3", "0")

	l, err = svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-2", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3")}}})
	w.must(err)
	f.lose.Store(true)
	_, err = svc.DeclareList(w.ctx, w.e1, l.No)
	wantReason(t, err, ledger.ReasonUnavailable)
	f.lose.Store(false)
	got, err = svc.DeclareList(w.ctx, w.e1, l.No) // the client's retry
	w.must(err)
	if got.Status != zone.ListDeclared || len(got.JournalIDs) != 1 || len(got.Lines[0].Lots) != 1 {
		t.Fatalf("after a lost answer and a retry: %s, journals %v, lots %v", got.Status, got.JournalIDs, got.Lines[0].Lots)
	}
	w.wantStock(w.h1, 1, "10", "6", "0")
	if n := w.journals(w.h1); n != before+2 {
		t.Fatalf("%d journals, want %d: each declaration once", n, before+2)
	}
}

// A journal the ledger refuses refuses the whole change: the documents are
// as they were, to the byte (a selective-duty list writes its materials'
// first imports and the write-off date while it is prepared).
func TestRefusedJournalLeavesNoDocumentChange(t *testing.T) {
	c := &clock{t: at("2026-03-02")}
	w := newWorldAt(t, zone.DefaultSettings(), c.now)
	dutiableGoods(w)
	_, err := w.svc.SetLastWriteOffDate(w.ctx, w.e1, w.h1, date("2026-01-01"))
	w.must(err)
	c.set(at("2026-03-10"))
	sale := selectiveSale("SEL-BIG")
	sale.Lines[0].Quantity = d("500") // the book holds 10
	l, err := w.svc.CreateList(w.ctx, w.e1, sale)
	w.must(err)
	row := func() (status, body, failure string) {
		w.must(w.store.Pool().QueryRow(w.ctx, `SELECT status, body, failure FROM zone_documents WHERE kind = 'list' AND no = $1`, l.No).Scan(&status, &body, &failure))
		return
	}
	st0, body0, fail0 := row()
	before := w.journals(w.h1)

	_, err = w.svc.DeclareList(w.ctx, w.e1, l.No)
	le := wantReason(t, err, zone.ReasonInsufficientBonded)
	if le.Field != "lines[0].quantity" {
		t.Errorf("refusal names field %q, want lines[0].quantity", le.Field)
	}
	if st, body, fail := row(); st != st0 || body != body0 || fail != fail0 {
		t.Fatalf("the refused declaration changed the list:\n%s %s %q\nwas\n%s %s %q", st, body, fail, st0, body0, fail0)
	}
	if n := w.journals(w.h1); n != before {
		t.Fatalf("%d journals after a refused change, want %d", n, before)
	}
	w.wantStock(w.h1, 3, "10", "0", "0")
}

// TestUnstorableTextChangesNothing: a journal PostgreSQL refuses for good
// (a lot with U+0000, which the edge refuses before it gets here) fails the
// call and leaves the list a draft its owner can delete.
func TestUnstorableTextChangesNothing(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	in := w.file(w.e1, entry(w.h1, "IN-1", 1, "10", "50000"))
	w.drive(w.e1, in, codes.PassFirstLine, "P-IN-1")
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-NUL", Book: w.h1, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Lot: "L\x00"}}})
	w.must(err)
	if _, err := w.svc.DeclareList(w.ctx, w.e1, l.No); err == nil {
		t.Fatal("PostgreSQL stored a NUL")
	}
	got, err := w.svc.GetList(w.ctx, w.e1, l.No)
	w.must(err)
	if got.Status != zone.ListDraft {
		t.Fatalf("list %s, want draft", got.Status)
	}
	w.wantStock(w.h1, 1, "10", "0", "0")
	if _, err := w.svc.DeleteList(w.ctx, w.e1, l.No); err != nil {
		t.Fatalf("deleting the list: %v", err)
	}
}

// TestLegacyIntentsStopTheStart: a change an earlier zoneledger left in
// flight in zone_intents stops the start with what to do; one it marked
// failed for good does not.
func TestLegacyIntentsStopTheStart(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	_, err := w.store.Pool().Exec(w.ctx, `INSERT INTO zone_intents (id, kind, body, created_at, failed_at, failure) VALUES ('OLD:gone', 'reserve', '{}', now(), now(), 'gave up')`)
	w.must(err)
	w.must(w.svc.Start(w.ctx))
	_, err = w.store.Pool().Exec(w.ctx, `INSERT INTO zone_intents (id, kind, body, created_at) VALUES ('OLD:reserve', 'reserve', '{}', now())`)
	w.must(err)
	if err := w.svc.Start(w.ctx); !errors.Is(err, zone.ErrLegacyIntents) {
		t.Fatalf("Start with a change in flight: %v, want ErrLegacyIntents", err)
	}
}
