package evidence

import (
	"bytes"
	"strconv"
	"testing"
)

// BenchmarkVerify checks an export of 10,000 journals of three postings
// each, as zonectl verify does: rehash every record, check every chain
// value.
func BenchmarkVerify(b *testing.B) {
	const n = 10_000
	c := NewChain()
	var buf bytes.Buffer
	add := func(kind, key string, rec any) {
		l, err := c.Add(kind, key, rec)
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(&buf, l); err != nil {
			b.Fatal(err)
		}
	}
	add(KindPeriod, "H1/2026-03-31", Header{Encoding: Version, Book: "H1", Through: "2026-03-31", Journals: n})
	for i := range n {
		p := Posting{ItemBook: "H1", Item: strconv.Itoa(i%500 + 1), FromBook: "H1", From: "bonded", To: "domestic", Quantity: "12.50000", Unit: "035", Value: "1234.56",
			Legs: []Leg{{Lot: "QD1/1", Quantity: "12.50000", Value: "1234.56"}}}
		add(KindJournal, strconv.Itoa(i+1), Journal{ID: int64(i + 1), Book: "H1", IdempotencyKey: "k" + strconv.Itoa(i), EffectiveDate: "2026-03-01",
			DocumentType: "list", DocumentNumber: "QD" + strconv.Itoa(i), Metadata: map[string]string{}, Postings: []Posting{p, p, p}})
	}
	file, digest := buf.Bytes(), c.Digest()
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for b.Loop() {
		rep, err := Verify(bytes.NewReader(file), digest)
		if err != nil || !rep.Match {
			b.Fatalf("verify: %v %v", err, rep.Problems)
		}
	}
}
