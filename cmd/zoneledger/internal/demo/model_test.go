package demo

import "testing"

// The model takes the oldest lots first, a reversal only from its own lot,
// and books a journal all or nothing.
func TestModelFIFO(t *testing.T) {
	m := newModel()
	it := itemKey{Book: "B", Code: "1"}
	bonded, abroad, domestic := acctKey{Book: "B", Name: "bonded"}, acctKey{Name: "abroad"}, acctKey{Name: "domestic"}
	in := func(key string, seq, day int, q, v string) {
		if err := m.apply(key, seq, day, []move{{Item: it, From: abroad, To: bonded, Qty: d(q), Val: d(v)}}); err != nil {
			t.Fatal(err)
		}
	}
	in("a", 1, 2, "3", "10.00") // 3.333.. each
	in("b", 2, 1, "5", "50.00") // older by date: taken first
	if err := m.apply("c", 3, 3, []move{{Item: it, From: bonded, To: domestic, Qty: d("6")}}); err != nil {
		t.Fatal(err)
	}
	// 5 of lot b, 1 of lot a: 2 of lot a are left, and a reversal of lot b
	// (the oldest) finds nothing in it.
	if q := m.qty(bonded, it); !q.Equal(d("2")) {
		t.Errorf("left %s, want 2", q)
	}
	b := m.created["b"][0]
	if err := m.apply("rev-b", 4, 3, []move{{Item: it, From: bonded, To: abroad, Qty: d("1"), Lot: &b.ID}}); err == nil {
		t.Error("reversed 1 of lot b, which is empty")
	}
	// All or nothing: the second posting fails, the first is not kept.
	err := m.apply("d", 4, 3, []move{
		{Item: it, From: bonded, To: domestic, Qty: d("1")},
		{Item: it, From: bonded, To: domestic, Qty: d("5")},
	})
	if _, ok := err.(*insufficientError); !ok {
		t.Fatalf("err %v, want insufficient", err)
	}
	if q := m.qty(bonded, it); !q.Equal(d("2")) {
		t.Errorf("a refused journal changed the stock to %s", q)
	}
}
