package evidence

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
	evfile "github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// world is a zone with enterprise e1's book H31050000001 (one line) and
// enterprise e2, which has no book.
type world struct {
	t             testing.TB
	ctx           context.Context
	pool          *pgxpool.Pool
	store         *pgstore.Store
	zone          *zone.Service
	svc           *Service
	e1, e2        access.Principal
	customs, plat access.Principal
	book          string
	today         time.Time
	n             int
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func errOf[T any](_ T, err error) error { return err }

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &world{t: t, ctx: ctx, pool: store.Pool(), store: store, book: "H31050000001",
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	for _, m := range []migrate.Set{pgstore.Migrations(), zone.Migrations(), repair.Migrations(), Migrations()} {
		w.must(errOf(m.Up(ctx, store.Pool())))
	}
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	w.must(err)
	z, err := zone.New(store.Pool(), store, zone.Options{Tax: eng})
	w.must(err)
	w.must(z.Start(ctx))
	w.zone = z
	rep, err := repair.New(store.Pool(), store, z, repair.Options{})
	w.must(err)
	w.must(rep.Start(ctx))
	w.svc, err = New(store.Pool(), store, z, []Source{rep}, Options{})
	w.must(err)
	w.today = ledger.DayIn(time.Now(), z.Settings().Location)
	u1, u2 := uscc(t, "91310000MA1K00001"), uscc(t, "91310000MA1K00002")
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: u2}
	w.plat = access.Principal{ID: "shop", Role: access.RolePlatform, LinkedEnterprises: []string{u2}}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{u1, u2} {
		_, err := z.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("310596000%d", i+1), Name: "Enterprise " + u})
		w.must(err)
	}
	_, err = z.CreateBook(ctx, w.e1, zone.Book{No: w.book, Kind: codes.BookZone, Enterprise: u1, CustomsOffice: "3105", Usage: "1"})
	w.must(err)
	_, err = z.AddBookLines(ctx, w.e1, w.book, []zone.BookLine{{Seq: 1, HSCode: "8411910000", Name: "engine part", DeclaredUnit: "007",
		Scale: 3, Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: codes.GoodsMaterial}})
	w.must(err)
	return w
}

// receive brings qty of line 1 onto the book through the gate: a
// first-line list, declared, approved, its pass through the gate.
func (w *world) receive(qty string) string {
	w.t.Helper()
	w.n++
	inner := fmt.Sprintf("IN-%d", w.n)
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d(qty), Total: d("1000.50"), GrossWeight: d("100"), NetWeight: d("90")}}})
	w.must(err)
	_, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return l.No
}

func (w *world) close(through time.Time) ledger.Period {
	w.t.Helper()
	p, err := w.store.ClosePeriod(w.ctx, ledger.ClosePeriodRequest{Book: w.book, Through: through, IdempotencyKey: "close:" + ledger.FormatDate(through)})
	w.must(err)
	return p
}

// export writes the sealed period's lines as an export file.
func (w *world) export(p access.Principal, through time.Time) ([]byte, Sealed, error) {
	var buf bytes.Buffer
	var s Sealed
	err := w.svc.Export(w.ctx, p, w.book, through, func(h Sealed) error { s = h; return nil }, func(l evfile.Line) error { return evfile.Write(&buf, l) })
	return buf.Bytes(), s, err
}

func wantRefusal(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v, want reason %s on field %q", err, reason, field)
	}
}

// The sealed digest covers the period's journals and the book's documents,
// chains onto the previous period's, and the export reproduces it offline.
func TestSealedDigestIsRecomputedFromTheExportAlone(t *testing.T) {
	w := newWorld(t)
	yesterday := w.today.AddDate(0, 0, -1)
	w.close(yesterday)
	first, err := w.svc.Seal(w.ctx, w.customs, w.book, yesterday)
	w.must(err)
	if first.Journals != 0 || first.Documents != 3 || len(first.PreviousDigest) != 0 { // the book, its line and its enterprise
		t.Fatalf("first period %+v", first)
	}
	list := w.receive("12.5")
	draft, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: "DRAFT-1", Book: w.book, IO: codes.In, TradeMode: "5034", Country: "USA",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3"), Total: d("30"), GrossWeight: d("10"), NetWeight: d("9")}}})
	w.must(err)
	// A taxable event another centre's document made (as a destruction's
	// residue sale does), recorded through the ledger's seam.
	w.must(w.store.ReadWriteTx(w.ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		_, err := w.zone.RecordTaxableEvent(ctx, tx, zone.TaxableEvent{Book: w.book, Enterprise: w.e1.Enterprise, ListNo: "XH-1", ListSeq: 1,
			HSCode: "7204490000", Quantity: d("0"), LegalQuantity: d("0"), DutiableValue: d("120.00"), TradeMode: "0400", Date: w.today, TaxDate: w.today}, "evidence-test:1")
		return err
	}))
	ledgerPeriod := w.close(w.today)
	second, err := w.svc.Seal(w.ctx, w.e1, w.book, w.today)
	w.must(err)
	if !bytes.Equal(second.PreviousDigest, first.Digest) || !bytes.Equal(second.LedgerDigest, ledgerPeriod.Digest) {
		t.Fatalf("second period does not chain: %+v", second)
	}
	if second.Journals != ledgerPeriod.JournalCount || second.Journals == 0 || second.Documents != 4 { // two lists, one pass, one taxable event
		t.Fatalf("second period holds %d journals (ledger %d), %d documents", second.Journals, ledgerPeriod.JournalCount, second.Documents)
	}
	// Sealing again returns the sealed period.
	again, err := w.svc.Seal(w.ctx, w.customs, w.book, w.today)
	w.must(err)
	if !bytes.Equal(again.Digest, second.Digest) || !again.SealedAt.Equal(second.SealedAt) {
		t.Fatalf("resealing changed the seal: %+v, was %+v", again, second)
	}
	// A document that changes after the seal leaves the sealed evidence as
	// it was: the export still reproduces the digest.
	_, err = w.zone.DeclareList(w.ctx, w.e1, draft.No)
	w.must(err)

	file, sealed, err := w.export(w.e1, w.today)
	w.must(err)
	if !bytes.Equal(sealed.Digest, second.Digest) {
		t.Fatalf("export's period %x, sealed %x", sealed.Digest, second.Digest)
	}
	rep, err := evfile.Verify(bytes.NewReader(file), second.Digest)
	w.must(err)
	if !rep.Match || !bytes.Equal(rep.Digest, second.Digest) {
		t.Fatalf("the export does not reproduce the sealed digest: %v", rep.Problems)
	}
	if rep.Header.PreviousDigest != hex.EncodeToString(first.Digest) || rep.Header.LedgerDigest != hex.EncodeToString(ledgerPeriod.Digest) {
		t.Fatalf("header %+v", rep.Header)
	}
	text := string(file)
	for _, want := range []string{`"kind":"list","key":"` + list + `"`, `"kind":"list","key":"` + draft.No + `"`, `"Status":"DRAFT"`, `"kind":"pass"`, `"kind":"taxable-event"`, `"DutiableValue":"120"`, `"quantity":"12.5"`, `"Total":"1000.5"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the export lacks %s:\n%s", want, text)
		}
	}
	// One changed amount in the file is named by its line.
	bad := strings.Replace(text, `"quantity":"12.5"`, `"quantity":"12.6"`, 1)
	rep, err = evfile.Verify(strings.NewReader(bad), second.Digest)
	w.must(err)
	if rep.Match || rep.Problems[0].Line < 2 || !strings.HasPrefix(rep.Problems[0].Record, "journal ") {
		t.Fatalf("changed quantity: %v", rep.Problems)
	}
	// The first period's export verifies against the first digest.
	file, _, err = w.export(w.customs, yesterday)
	w.must(err)
	if rep, _ := evfile.Verify(bytes.NewReader(file), first.Digest); !rep.Match {
		t.Fatalf("first period: %v", rep.Problems)
	}
}

func TestSealRefusals(t *testing.T) {
	w := newWorld(t)
	yesterday := w.today.AddDate(0, 0, -1)
	_, err := w.svc.Seal(w.ctx, w.customs, w.book, yesterday)
	wantRefusal(t, err, ReasonPeriodNotClosed, "through")
	w.close(yesterday)
	w.receive("1")
	w.close(w.today)
	_, err = w.svc.Seal(w.ctx, w.customs, w.book, w.today)
	wantRefusal(t, err, ReasonPreviousNotSealed, "through")
	_, _, err = w.export(w.customs, yesterday)
	wantRefusal(t, err, ReasonNotSealed, "through")
	// Another enterprise and a platform neither seal nor export the book:
	// to them it does not exist. An admin reads no enterprise's books.
	for _, p := range []access.Principal{w.e2, w.plat} {
		_, err = w.svc.Seal(w.ctx, p, w.book, yesterday)
		wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
	}
	_, err = w.svc.Seal(w.ctx, access.Principal{ID: "root", Role: access.RoleAdmin}, w.book, yesterday)
	wantRefusal(t, err, ledger.ReasonPermissionDenied, "")
	_, err = w.svc.Seal(w.ctx, w.customs, w.book, yesterday)
	w.must(err)
	for _, p := range []access.Principal{w.e2, w.plat} {
		_, _, err = w.export(p, yesterday)
		wantRefusal(t, err, zone.ReasonUnknownBook, "book_no")
	}
	if _, _, err := w.export(w.e1, yesterday); err != nil {
		t.Fatalf("the book's enterprise exports its book: %v", err)
	}
	// A ledger whose journals no longer reproduce its sealed digest gets
	// no evidence sealed over them.
	_, err = w.pool.Exec(w.ctx, `UPDATE ledger_postings SET value = value + 1 WHERE journal_id = (SELECT min(journal_id) FROM ledger_postings)`)
	w.must(err)
	_, err = w.svc.Seal(w.ctx, w.customs, w.book, w.today)
	wantRefusal(t, err, ReasonLedgerMismatch, "through")
	if got, err := w.svc.List(w.ctx, w.customs, w.book); err != nil || len(got) != 1 {
		t.Fatalf("sealed after refusals: %v %v", got, err)
	}
}
