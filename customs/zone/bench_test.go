package zone_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// BenchmarkListThroughGate runs the zone's whole path that posts journals,
// one round per iteration: an entry list filed (created, declared,
// approved) and its goods driven in through the first-line gate (a
// journal), then an exit list of part of them declared (the reservation, a
// journal), approved and driven out (the deduction, a journal).
// Figures: customs/zone/README.md.
func BenchmarkListThroughGate(b *testing.B) {
	w := newWorld(b, zone.DefaultSettings())
	i := 0
	for b.Loop() {
		i++
		if err := round(w, w.e1, w.h1, "B", i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "journals/s")
}

// BenchmarkListThroughGateTwoBooks runs the rounds of
// BenchmarkListThroughGate from two goroutines at once, each on its own
// enterprise's book: changes on different books must not wait for each
// other.
func BenchmarkListThroughGateTwoBooks(b *testing.B) {
	w := newWorld(b, zone.DefaultSettings())
	b.ResetTimer()
	var wg sync.WaitGroup
	for k, side := range []struct {
		p    access.Principal
		book string
	}{{w.e1, w.h1}, {w.e2, w.t2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= (b.N+1-k)/2; i++ {
				if err := round(w, side.p, side.book, fmt.Sprintf("B%d", k), i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(3*b.N)/b.Elapsed().Seconds(), "journals/s")
}

// round is one round of BenchmarkListThroughGate on a book.
func round(w *world, p access.Principal, book, tag string, i int) error {
	in, err := w.svc.CreateList(w.ctx, p, entry(book, fmt.Sprintf("%sIN-%d", tag, i), 1, "10", "5000"))
	if err == nil {
		in, err = w.svc.DeclareList(w.ctx, p, in.No)
	}
	if err == nil {
		in, err = w.svc.ApproveList(w.ctx, w.customs, in.No, "")
	}
	if err == nil {
		err = pass(w, p, in, fmt.Sprintf("%sPI-%d", tag, i))
	}
	if err != nil {
		return err
	}
	out, err := w.svc.CreateList(w.ctx, p, zone.List{InnerNo: fmt.Sprintf("%sOUT-%d", tag, i), Book: book, IO: codes.Out, TradeMode: "5034", Country: "JPN",
		Lines: []zone.ListLine{{BookSeq: 1, Quantity: d("4"), Total: d("2000"), GrossWeight: d("40"), NetWeight: d("36")}}})
	if err == nil {
		out, err = w.svc.DeclareList(w.ctx, p, out.No)
	}
	if err == nil {
		out, err = w.svc.ApproveList(w.ctx, w.customs, out.No, "")
	}
	if err == nil {
		err = pass(w, p, out, fmt.Sprintf("%sPO-%d", tag, i))
	}
	return err
}

// pass sends a list's goods through the gate on a one-vehicle pass.
func pass(w *world, p access.Principal, l zone.List, inner string) error {
	ps, err := w.svc.CreatePass(w.ctx, p, zone.Pass{InnerNo: inner, Book: l.Book, Type: codes.PassFirstLine, Bind: codes.BindOneListOneVehicle, IO: l.IO,
		RelatedType: codes.RelatedList, RelatedNos: []string{l.No}, Vehicle: "沪A12345", VehicleWeight: d("10000"),
		GrossWeight: l.GrossWeight, NetWeight: l.NetWeight})
	if err != nil {
		return err
	}
	ps, err = w.svc.RecordGateEvent(w.ctx, w.customs, ps.No, zone.GateEvent{ID: inner + "-ev", Vehicle: "沪A12345", ScaleGross: d("10000").Add(l.GrossWeight)})
	if err != nil {
		return err
	}
	if ps.Status != zone.PassPassed {
		return fmt.Errorf("pass %s is %s: %v", ps.No, ps.Status, ps.HoldReasons)
	}
	return nil
}

// BenchmarkListBookLinesManyParts lists a book of 200 lines mapping
// 20,000 part numbers (100 a line) page by page, one whole listing per
// iteration, at page sizes 10 and 100 (the API's default). Figures:
// customs/zone/README.md.
func BenchmarkListBookLinesManyParts(b *testing.B) {
	w := newWorld(b, zone.DefaultSettings())
	manyParts(b, w, w.h1, 200, 20000)
	if !pgtest.IsCockroachDB() {
		vacuum(b, w)
	}
	for _, size := range []int{10, 100} {
		b.Run(fmt.Sprintf("page=%d", size), func(b *testing.B) {
			for b.Loop() {
				n, after := 0, 0
				for {
					page, err := w.svc.ListBookLines(w.ctx, w.customs, w.h1, after, size)
					if err != nil {
						b.Fatal(err)
					}
					for _, l := range page {
						n += len(l.PartNumbers)
					}
					if len(page) < size {
						break
					}
					after = page[len(page)-1].Seq
				}
				if n != 20000 {
					b.Fatalf("listed %d part numbers, want 20000", n)
				}
			}
		})
	}
}
