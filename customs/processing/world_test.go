package processing

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// world is a zone with one manufacturer's H book: materials 1 (kg, scale
// 3), 2 (kg, scale 1), 3 (pieces, scale 0), 5 (kg, scale 5); finished good
// 4 (pieces), semi-finished good 6 (a material line, kg), equipment 7.
type world struct {
	t       *testing.T
	ctx     context.Context
	svc     *Service
	zone    *zone.Service
	store   *pgstore.Store
	e1, e2  access.Principal
	customs access.Principal
	book    string
	other   string
	n       int
}

func uscc(t testing.TB, first17 string) string {
	c, err := codes.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func newWorld(t *testing.T, set Settings) *world {
	t.Helper()
	ctx := context.Background()
	store, err := pgstore.Open(ctx, pgtest.NewDatabase(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	w := &world{t: t, ctx: ctx, store: store, book: "H31050000001", other: "H31050000002",
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
	kg := func(seq int, scale int32, typ codes.GoodsType) zone.BookLine {
		return zone.BookLine{Seq: seq, HSCode: "3901100000", Name: fmt.Sprintf("line %d", seq), DeclaredUnit: "035", Scale: scale, Legal: zone.LegalUnit{Unit: "035", Factor: d("1")}, Type: typ}
	}
	pcs := func(seq int, typ codes.GoodsType) zone.BookLine {
		return zone.BookLine{Seq: seq, HSCode: "8471300000", Name: fmt.Sprintf("line %d", seq), DeclaredUnit: "007", Scale: 0, Legal: zone.LegalUnit{Unit: "007", Factor: d("1")}, Type: typ}
	}
	lines := []zone.BookLine{kg(1, 3, codes.GoodsMaterial), kg(2, 1, codes.GoodsMaterial), pcs(3, codes.GoodsMaterial), pcs(4, codes.GoodsFinished),
		kg(5, 5, codes.GoodsMaterial), kg(6, 3, codes.GoodsMaterial), pcs(7, codes.GoodsEquipment)}
	for _, b := range []struct {
		p    access.Principal
		no   string
		uscc string
	}{{w.e1, w.book, u1}, {w.e2, w.other, u2}} {
		_, err := z.CreateBook(ctx, b.p, zone.Book{No: b.no, Kind: codes.BookZone, Enterprise: b.uscc, CustomsOffice: "3105", Usage: "1"})
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

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
