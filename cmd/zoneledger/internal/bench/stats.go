package bench

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the q-quantile (0 < q <= 1) of durations sorted in
// ascending order, by the nearest-rank method: the smallest value such that
// at least q of all values are less than or equal to it. It returns 0 for no
// values.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	rank = max(1, min(n, rank))
	return sorted[rank-1]
}

// Summary describes a set of latencies.
type Summary struct {
	Count               int
	Min, Mean, Max      time.Duration
	P50, P90, P99, P999 time.Duration
}

// Summarize computes a Summary; it sorts a copy, leaving d as it was.
func Summarize(d []time.Duration) Summary {
	if len(d) == 0 {
		return Summary{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	var sum time.Duration
	for _, x := range s {
		sum += x
	}
	return Summary{
		Count: len(s), Min: s[0], Max: s[len(s)-1], Mean: sum / time.Duration(len(s)),
		P50: Percentile(s, 0.50), P90: Percentile(s, 0.90), P99: Percentile(s, 0.99), P999: Percentile(s, 0.999),
	}
}

// Millis renders a duration in milliseconds, rounded to the microsecond.
func Millis(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
