package bench

import (
	"math/rand/v2"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, ms(i))
	}
	for _, c := range []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one value", []time.Duration{ms(7)}, 0.5, ms(7)},
		{"one value p99", []time.Duration{ms(7)}, 0.99, ms(7)},
		{"median of 1..100", hundred, 0.50, ms(50)},
		{"p90 of 1..100", hundred, 0.90, ms(90)},
		{"p99 of 1..100", hundred, 0.99, ms(99)},
		{"p100 of 1..100", hundred, 1, ms(100)},
		{"tiny q is the minimum", hundred, 0.0001, ms(1)},
		{"median of two is the lower", []time.Duration{ms(1), ms(2)}, 0.5, ms(1)},
		{"median of three", []time.Duration{ms(1), ms(2), ms(3)}, 0.5, ms(2)},
		// nearest rank: p99 of 10 values is the 10th
		{"p99 of ten", hundred[:10], 0.99, ms(10)},
		{"p50 of ten", hundred[:10], 0.50, ms(5)},
	} {
		if got := Percentile(c.sorted, c.q); got != c.want {
			t.Errorf("%s: Percentile(q=%v) = %v, want %v", c.name, c.q, got, c.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	// 1..1000 ms in random order.
	var d []time.Duration
	for i := 1; i <= 1000; i++ {
		d = append(d, ms(i))
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
	first := d[0]

	s := Summarize(d)
	if s.Count != 1000 || s.Min != ms(1) || s.Max != ms(1000) || s.P50 != ms(500) || s.P90 != ms(900) ||
		s.P99 != ms(990) || s.P999 != ms(999) || s.Mean != 500500*time.Microsecond {
		t.Errorf("Summarize = %+v", s)
	}
	if d[0] != first {
		t.Error("Summarize reordered its input")
	}
	if (Summarize(nil) != Summary{}) {
		t.Error("Summarize(nil) is not zero")
	}
}

func TestMillis(t *testing.T) {
	if got := Millis(1234567 * time.Nanosecond); got != 1.235 {
		t.Errorf("Millis = %v, want 1.235", got)
	}
}
