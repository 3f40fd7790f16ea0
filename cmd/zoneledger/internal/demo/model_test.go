package demo

import "testing"

// The model takes the oldest lots first and moves part of a lot at its value
// pro rata, rounded to the fen, as ledger/doc.go describes.
func TestModelFIFO(t *testing.T) {
	m := newModel()
	it := itemKey{Book: "B", Code: "1"}
	bonded, abroad, domestic := acctKey{Book: "B", Name: "bonded"}, acctKey{Name: "abroad"}, acctKey{Name: "domestic"}
	in := func(key string, seq, day int, q, v string) {
		if _, err := m.apply(key, seq, day, []move{{Item: it, From: abroad, To: bonded, Qty: d(q), Val: d(v)}}); err != nil {
			t.Fatal(err)
		}
	}
	in("a", 1, 2, "3", "10.00") // 3.333.. each
	in("b", 2, 1, "5", "50.00") // older by date: taken first
	vals, err := m.apply("c", 3, 3, []move{{Item: it, From: bonded, To: domestic, Qty: d("6")}})
	if err != nil {
		t.Fatal(err)
	}
	// 5 of lot b (50.00) + 1 of lot a (10.00 / 3 = 3.33)
	if !vals[0].Equal(d("53.33")) {
		t.Errorf("took value %s, want 53.33", vals[0])
	}
	if q, v := m.qty(bonded, it), m.value(bonded, it); !q.Equal(d("2")) || !v.Equal(d("6.67")) {
		t.Errorf("left %s (%s), want 2 (6.67)", q, v)
	}
	// All or nothing: the second posting fails, the first is not kept.
	_, err = m.apply("d", 4, 3, []move{
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
