package repair

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// world is a zone with one repair centre's repair book H31050000003
// (line 1 an aircraft-engine part, line 2 a machine, line 3 spare parts,
// line 4 old parts, all pieces; line 5 scrap, kg) and
// another enterprise's zone book H31050000001.
type world struct {
	t       *testing.T
	ctx     context.Context
	svc     *Service
	zone    *zone.Service
	e1, e2  access.Principal
	customs access.Principal
	book    string
	zoneBk  string
	n       int
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func newWorld(t *testing.T) *world { return newWorldWith(t, DefaultSettings()) }

func newWorldWith(t *testing.T, set Settings) *world {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &world{t: t, ctx: ctx, book: "H31050000003", zoneBk: "H31050000001",
		customs: access.Principal{ID: "officer", Role: access.RoleCustoms}}
	w.must(errOf(pgstore.Migrations().Up(ctx, store.Pool())))
	w.must(errOf(zone.Migrations().Up(ctx, store.Pool())))
	w.must(errOf(Migrations().Up(ctx, store.Pool())))
	eng, err := tax.NewEngine(tax.DefaultSettings(), tax.SampleTariff())
	w.must(err)
	z, err := zone.New(store.Pool(), store, zone.Options{Tax: eng})
	w.must(err)
	w.must(z.Start(ctx))
	w.zone = z
	w.svc, err = New(store.Pool(), store, z, Options{Settings: &set})
	w.must(err)
	w.must(w.svc.Start(ctx))
	u1, u2 := uscc(t, "91310000MA1K00001"), uscc(t, "91310000MA1K00002")
	w.e1 = access.Principal{ID: "e1", Role: access.RoleEnterprise, Enterprise: u1}
	w.e2 = access.Principal{ID: "e2", Role: access.RoleEnterprise, Enterprise: u2}
	admin := access.Principal{ID: "root", Role: access.RoleAdmin}
	for i, u := range []string{u1, u2} {
		_, err := z.RegisterEnterprise(ctx, admin, zone.Enterprise{USCC: u, CustomsCode: fmt.Sprintf("310596000%d", i+1), Name: "Enterprise " + u})
		w.must(err)
	}
	pcs := func(seq int, hs string) zone.BookLine {
		return zone.BookLine{Seq: seq, HSCode: hs, Name: fmt.Sprintf("line %d", seq), DeclaredUnit: "007", Scale: 0, Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: codes.GoodsMaterial}
	}
	scrap := zone.BookLine{Seq: 5, HSCode: "7204490000", Name: "repair scrap", DeclaredUnit: "035", Scale: 3, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Type: codes.GoodsMaterial}
	lines := []zone.BookLine{pcs(1, "8411910000"), pcs(2, "8457101000"), pcs(3, "8411990000"), pcs(4, "8411990000"), scrap}
	for _, b := range []struct {
		p    access.Principal
		no   string
		kind codes.BookKind
		u    string
	}{{w.e1, w.book, codes.BookRepair, u1}, {w.e1, w.zoneBk, codes.BookZone, u1}} {
		_, err := z.CreateBook(ctx, b.p, zone.Book{No: b.no, Kind: b.kind, Enterprise: b.u, CustomsOffice: "3105", Usage: "3"})
		w.must(err)
		_, err = z.AddBookLines(ctx, b.p, b.no, lines)
		w.must(err)
	}
	return w
}

func errOf[T any](_ T, err error) error { return err }

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// wantRefusal fails unless err is a ledger error with the reason and field.
func wantRefusal(t *testing.T, err error, reason, field string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) || le.Reason != reason || le.Field != field {
		t.Fatalf("got %v, want reason %s on field %q", err, reason, field)
	}
}

// receive brings goods of a line onto book through the gate: a
// first-line list (5034) or, when domestic, a second-line list (5000).
// It returns the list number; the list is cleared unless stop is true.
func (w *world) receive(book string, seq int, qty string, domestic, stop bool) string {
	w.t.Helper()
	w.n++
	inner := fmt.Sprintf("IN-%d", w.n)
	mode, pass, country := "5034", codes.PassFirstLine, "USA"
	if domestic {
		mode, pass, country = "5000", codes.PassSecondLine, "CHN"
	}
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: book, IO: codes.In, TradeMode: mode, Country: country,
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("1000"), GrossWeight: d("100"), NetWeight: d("90")}}})
	w.must(err)
	l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
	w.must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	if stop {
		return l.No
	}
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + inner, Book: book, Type: pass, Bind: codes.BindOneListOneVehicle, IO: codes.In,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return l.No
}

// stock returns a line's quantity per "section/origin", non-zero ones.
func (w *world) stock(asOf *time.Time) map[string]string {
	w.t.Helper()
	r, err := w.svc.StockReport(w.ctx, w.customs, w.book, asOf)
	w.must(err)
	out := map[string]string{}
	for _, l := range r {
		for _, h := range l.Holdings {
			if !h.Quantity.IsZero() {
				out[fmt.Sprintf("%d %s/%s", l.BookSeq, h.Section, h.Origin)] = h.Quantity.String()
			}
		}
	}
	return out
}

// exitList files a draft exit list of the repair book with one line: a
// first-line list under mode, or a second-line one (5000) when domestic.
func (w *world) exitList(seq int, qty, mode string, domestic bool) string {
	w.t.Helper()
	w.n++
	country := "USA"
	if domestic {
		mode, country = "5000", "CHN"
	}
	l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: fmt.Sprintf("OUT-%d", w.n), Book: w.book, IO: codes.Out, TradeMode: mode, Country: country,
		Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("1000"), GrossWeight: d("100"), NetWeight: d("90")}}})
	w.must(err)
	return l.No
}

// leave declares, approves and drives out through the gate the exit list
// no (first line, or second line when domestic).
func (w *world) leave(no string, domestic bool) {
	w.t.Helper()
	pass := codes.PassFirstLine
	if domestic {
		pass = codes.PassSecondLine
	}
	l, err := w.zone.DeclareList(w.ctx, w.e1, no)
	w.must(err)
	l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + l.InnerNo, Book: w.book, Type: pass, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	w.must(err)
	ps, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: l.InnerNo + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	w.must(err)
	if ps.Status != zone.PassPassed {
		w.t.Fatalf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
}
