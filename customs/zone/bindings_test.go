package zone_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// TestBoundGoodsAreToldToTheirKeeper: a list line carrying goods bound
// for a document is not deleted while no keeper of that document's type
// can take them back; with one, the deletion tells it, in the same
// transaction, which line of which list will not take the goods out. A
// filer cannot name a source on a list or a registration line.
func TestBoundGoodsAreToldToTheirKeeper(t *testing.T) {
	w := newWorld(t, zone.DefaultSettings())
	l, err := w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-B", Book: w.h1, IO: codes.Out, TradeMode: "5034", Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("3")}}})
	w.must(err)
	w.must(w.store.ReadWriteTx(w.ctx, func(ctx context.Context, tx pgx.Tx, _ ledger.Journals) error {
		_, err := w.svc.BindListLine(ctx, tx, l.No, w.h1, 1, d("3"), zone.AccountBonded, "TEST_ORDER", "T-1")
		return err
	}))
	got, err := w.svc.GetList(w.ctx, w.e1, l.No)
	w.must(err)
	if ln := got.Lines[0]; ln.Source != zone.AccountBonded || ln.SourceDocType != "TEST_ORDER" || ln.SourceDocNo != "T-1" {
		t.Fatalf("bound line %+v", ln)
	}
	_, err = w.svc.DeleteList(w.ctx, w.e1, l.No)
	wantRefusal(t, err, ledger.KindFailedPrecondition, zone.ReasonWrongStatus, "lines[0]", "TEST_ORDER T-1")

	var told []zone.LineRelease
	w.svc.SetLineReleaser("TEST_ORDER", func(_ context.Context, _ pgx.Tx, r zone.LineRelease) error {
		told = append(told, r)
		return nil
	})
	del, err := w.svc.DeleteList(w.ctx, w.e1, l.No)
	w.must(err)
	if del.Status != zone.ListDeleted || len(told) != 1 {
		t.Fatalf("list %s, told %+v", del.Status, told)
	}
	if r := told[0]; r.Kind != zone.BoundOnList || r.No != l.No || r.Seq != 1 || !r.Quantity.Equal(d("3")) || r.Status != string(zone.ListDeleted) || r.DocNo != "T-1" || r.By != w.e1.ID {
		t.Fatalf("told %+v", r)
	}

	_, err = w.svc.CreateList(w.ctx, w.e1, zone.List{InnerNo: "OUT-S", Book: w.h1, IO: codes.Out, TradeMode: "5034",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("1"), SourceDocNo: "T-1"}}})
	wantRefusal(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument, "lines[0].source")
	_, err = w.svc.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "K-S", Book: w.h1, Type: codes.PassGateRegistration, IO: codes.Out, Vehicle: "沪A12345",
		VehicleWeight: d("10000"), GrossWeight: d("5"), Lines: []zone.PassLine{{BookSeq: 1, Description: "旧件", Quantity: d("1"), Source: zone.AccountBonded}}})
	wantRefusal(t, err, ledger.KindInvalid, ledger.ReasonInvalidArgument, "lines[0].source")
}
