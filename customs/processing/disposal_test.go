package processing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
)

// TestScrapSoldDomesticallyCarriesItsCategory: scrap made by production
// leaves on a 0844 list (边角料内销) as a taxable event of category SCRAP;
// the scrap trade modes move only scrap, scrap sells domestically only
// under them, and other domestic-sale lines carry FINISHED or
// SURPLUS_MATERIAL by their line.
func TestScrapSoldDomesticallyCarriesItsCategory(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	_, err = w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "10"), {BookSeq: 5, Quantity: d("0.5"), Category: CategoryScrap}}})
	w.must(err)
	list := func(inner, mode string, seq int, qty string, cat codes.GoodsCategory) (zone.List, error) {
		return w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: inner, Book: w.book, IO: codes.Out, TradeMode: mode, DeclarationKind: codes.DeclarationCorresponding,
			Lines: []zone.ListLine{{BookSeq: seq, Quantity: d(qty), Total: d("10"), GrossWeight: d("1"), NetWeight: d("0.5"), GoodsCategory: cat}}})
	}
	_, err = list("S-0", "0844", 5, "0.5", codes.CategoryFinished)
	wantRefusal(t, err, zone.ReasonGoodsCategory, "lines[0].goods_category")
	_, err = list("S-1", "0110", 5, "0.5", codes.CategoryScrap)
	wantRefusal(t, err, zone.ReasonGoodsCategory, "lines[0].goods_category")
	_, err = list("S-2", "0864", 4, "1", codes.CategoryDefect)
	wantRefusal(t, err, zone.ReasonGoodsCategory, "lines[0].goods_category")
	for _, c := range []struct {
		mode string
		seq  int
		want codes.GoodsCategory
	}{{"0110", 4, codes.CategoryFinished}, {"0644", 1, codes.CategorySurplus}, {"0864", 5, codes.CategoryScrap}} {
		l, err := list("C-"+c.mode, c.mode, c.seq, "0.1", "")
		if c.seq == 4 {
			l, err = list("C-"+c.mode, c.mode, c.seq, "1", "")
		}
		w.must(err)
		if l.Lines[0].GoodsCategory != c.want {
			t.Errorf("a %s line of line %d: category %q, want %s", c.mode, c.seq, l.Lines[0].GoodsCategory, c.want)
		}
	}

	sale, err := list("S-3", "0844", 5, "0.5", "")
	w.must(err)
	sale, err = w.zone.DeclareList(w.ctx, w.e1, sale.No)
	w.must(err)
	sale, err = w.zone.ApproveList(w.ctx, w.customs, sale.No, "ok")
	w.must(err)
	ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-S-3", Book: w.book, Type: codes.PassSecondLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
		RelatedType: codes.RelatedList, RelatedNos: []string{sale.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: sale.GrossWeight, NetWeight: sale.NetWeight})
	w.must(err)
	_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: "S-3-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(sale.GrossWeight)})
	w.must(err)
	w.wantBonded(map[int]string{5: "0"})
	evs, err := w.zone.ListTaxableEvents(w.ctx, w.customs, w.book, time.Time{}, time.Time{}, 0, 0)
	w.must(err)
	if len(evs) != 1 || evs[0].GoodsCategory != codes.CategoryScrap || evs[0].TradeMode != "0844" {
		t.Fatalf("taxable events %s", fmt.Sprintf("%+v", evs))
	}
}

// TestNoCertificateForLotsProductionUsed: goods left of a lot production
// consumed from were mixed into production, so they get no certificate of
// non-manipulation when they leave; the goods made never do (they did not
// enter from abroad).
func TestNoCertificateForLotsProductionUsed(t *testing.T) {
	w := newWorld(t, DefaultSettings())
	w.receive(1, "100")
	w.receive(2, "100")
	_, err := w.svc.PutVersion(w.ctx, w.e1, hx("1", "2026-01-01"))
	w.must(err)
	rep, err := w.svc.FileReport(w.ctx, w.e1, Report{InnerNo: "P-1", Book: w.book, Outputs: []Output{out(4, "10")}})
	w.must(err)
	for _, c := range []struct {
		seq int
		qty string
	}{{1, "5"}, {4, "2"}} {
		l, err := w.zone.CreateList(w.ctx, w.e1, zone.List{InnerNo: fmt.Sprintf("X-%d", c.seq), Book: w.book, IO: codes.Out, TradeMode: "5034", Country: "JPN",
			Lines: []zone.ListLine{{BookSeq: c.seq, Quantity: d(c.qty), Total: d("100"), GrossWeight: d("10"), NetWeight: d("9")}}})
		w.must(err)
		l, err = w.zone.DeclareList(w.ctx, w.e1, l.No)
		w.must(err)
		l, err = w.zone.ApproveList(w.ctx, w.customs, l.No, "ok")
		w.must(err)
		ps, err := w.zone.CreatePass(w.ctx, w.e1, zone.Pass{InnerNo: "P-" + l.InnerNo, Book: w.book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: codes.Out,
			RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"), GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
		w.must(err)
		_, err = w.zone.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: l.InnerNo + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
		w.must(err)
		_, err = w.zone.RequestCertificate(w.ctx, w.e1, l.No)
		wantRefusal(t, err, zone.ReasonCertificateRefused, "list_no")
		if c.seq == 1 && !strings.Contains(err.Error(), rep.No) {
			t.Errorf("the refusal does not name report %s: %v", rep.No, err)
		}
	}
}
