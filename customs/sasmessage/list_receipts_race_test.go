package sasmessage_test

import (
	"sync"
	"testing"

	"github.com/zoneledger/zoneledger/customs/zone"
)

// countChanged runs importOnce from n goroutines at once and counts the
// calls that report a change; an error fails t.
func countChanged(t *testing.T, n int, importOnce func() (bool, error)) int {
	t.Helper()
	var wg sync.WaitGroup
	changed := make(chan bool, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := importOnce()
			if err != nil {
				t.Error(err)
				return
			}
			changed <- c
		}()
	}
	wg.Wait()
	close(changed)
	count := 0
	for c := range changed {
		if c {
			count++
		}
	}
	return count
}

// declared creates and declares an entry list with inner number inner.
func (w *world) declared(inner string) zone.List {
	w.t.Helper()
	l, err := w.zone.CreateList(w.ctx, w.ent, w.entryList(inner))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.zone.DeclareList(w.ctx, w.ent, l.No); err != nil {
		w.t.Fatal(err)
	}
	return l
}

// TestConcurrentListReceiptsChangeOnce: the same INV201 approval, and the
// same return, of one list imported from 8 goroutines at once change the
// list exactly once and give it one customs number.
func TestConcurrentListReceiptsChangeOnce(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, inner, cno, result, stucd string
		want                            zone.ListStatus
	}{
		{"approval", "ERP-RACE-1", "QD460126I000000011", "1", "0", zone.ListApproved},
		{"return", "ERP-RACE-2", "QD460126I000000012", "3", "2", zone.ListReturned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := w.declared(tc.inner)
			msg := receipt(t, w, tc.cno, tc.inner, tc.result, tc.stucd, "", "")
			n := countChanged(t, 8, func() (bool, error) {
				out, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{msg})
				if err != nil {
					return false, err
				}
				return out[0].Changed, nil
			})
			if n != 1 {
				t.Fatalf("%d imports changed the list, want 1", n)
			}
			got, err := w.zone.GetList(w.ctx, w.ent, l.No)
			if err != nil || got.Status != tc.want || got.CustomsNo != tc.cno {
				t.Fatalf("list after the receipts: %v %s %q", err, got.Status, got.CustomsNo)
			}
		})
	}
}

// TestConcurrentReceiptsGiveACustomsNumberToOneList: two lists' receipts
// naming one customs number, imported at once from 8 goroutines each:
// one list gets the number, every other import is refused with
// CUSTOMS_LIST_NUMBER_TAKEN.
func TestConcurrentReceiptsGiveACustomsNumberToOneList(t *testing.T) {
	w := newWorld(t)
	a, b := w.declared("ERP-TAKEN-A"), w.declared("ERP-TAKEN-B")
	const cno = "QD460126I000000021"
	msgs := [][]byte{receipt(t, w, cno, "ERP-TAKEN-A", "1", "0", "", ""), receipt(t, w, cno, "ERP-TAKEN-B", "1", "0", "", "")}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.msg.ImportReceipts(w.ctx, w.customs, [][]byte{msgs[i%2]})
			if err != nil {
				wantReason(t, err, zone.ReasonCustomsNoTaken, "messages[0]/Package/DataInfo/BussinessData/INV201/HdeApprResult/businessId")
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, l := range []zone.List{a, b} {
		got, err := w.zone.GetList(w.ctx, w.ent, l.No)
		if err != nil {
			t.Fatal(err)
		}
		if got.CustomsNo == cno {
			n++
		} else if got.Status != zone.ListDeclared || got.CustomsNo != "" {
			t.Errorf("list %s, refused, is %s with customs number %q", l.No, got.Status, got.CustomsNo)
		}
	}
	if n != 1 {
		t.Fatalf("%d lists carry customs number %s, want 1", n, cno)
	}
}
