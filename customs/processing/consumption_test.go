package processing

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestUnitConsumptionHX: the worked examples — 净耗 0.95 kg at 5 % loss is a
// 单耗 of exactly 1 kg; 2.0 at 20 % is 2.5 — and one that does not
// terminate is shown rounded and flagged.
func TestUnitConsumptionHX(t *testing.T) {
	for _, c := range []struct {
		net, loss, want string
		exact           bool
	}{
		{"0.95", "5", "1", true},
		{"2.0", "20", "2.5", true},
		{"1", "0", "1", true},
		{"1", "3", "1.030927835", false},
		{"0.000000001", "99.999999999", "100", true},
	} {
		got, exact := UnitConsumption(d(c.net), d(c.loss))
		if !got.Equal(d(c.want)) || exact != c.exact || got.String() != c.want {
			t.Errorf("净耗 %s at %s %%: 单耗 %s (exact %v), want %s (exact %v)", c.net, c.loss, got, exact, c.want, c.exact)
		}
	}
}

// TestConsumeToTheLineScale: a finished quantity consumes 净耗 / (1 − rate)
// per unit, rounded half-up once to the material line's scale.
func TestConsumeToTheLineScale(t *testing.T) {
	n := Norm{Net: d("0.95"), LossPercent: d("5"), BondedPercent: d("100")}
	if got := n.Consume(d("1"), 1); !got.Bonded.Equal(d("1.0")) || !got.Loss.Equal(d("0.1")) || !got.NonBonded.IsZero() {
		t.Errorf("0.95 at 5 %%: %+v, want bonded 1.0, loss 0.05 → 0.1 at scale 1", got)
	}
	n = Norm{Net: d("2.0"), LossPercent: d("20"), BondedPercent: d("60")}
	got := n.Consume(d("3"), 3)
	if !got.Bonded.Equal(d("4.5")) || !got.NonBonded.Equal(d("3")) || !got.Loss.Equal(d("1.5")) {
		t.Errorf("2.0 at 20 %% for 3 units, 60 %% bonded: %+v, want bonded 4.5, non-bonded 3, loss 1.5", got)
	}
	n = Norm{Net: d("1"), LossPercent: d("3"), BondedPercent: d("100")}
	if got := n.Consume(d("1"), 5); !got.Bonded.Equal(d("1.03093")) {
		t.Errorf("1 at 3 %% for one unit at scale 5: %s, want 1.03093 (1.030927835… half-up)", got.Bonded)
	}
}

// TestNormRefusesLossOfOneOrMore: a loss rate of 100 % or more, or below
// zero, is refused with its reason and field.
func TestNormRefusesLossOfOneOrMore(t *testing.T) {
	for _, loss := range []string{"100", "100.5", "250", "-1"} {
		n := Norm{MaterialSeq: 1, Net: d("1"), LossPercent: d(loss)}
		err := checkNorm(&n, "norms[0]")
		le := ledger.AsError(err)
		if err == nil || le.Reason != ReasonLossRateOutOfRange || le.Field != "norms[0].loss_percent" {
			t.Errorf("loss %s %%: %v, want %s on norms[0].loss_percent", loss, err, ReasonLossRateOutOfRange)
		}
	}
	for _, c := range []struct{ net, bonded, field string }{{"0", "", "norms[0].net"}, {"-1", "", "norms[0].net"}, {"1", "101", "norms[0].bonded_percent"}, {"1", "-5", "norms[0].bonded_percent"}, {"0.0000000001", "", "norms[0].net"}} {
		n := Norm{MaterialSeq: 1, Net: d(c.net), LossPercent: d("1")}
		if c.bonded != "" {
			n.BondedPercent = d(c.bonded)
		}
		if err := checkNorm(&n, "norms[0]"); err == nil || ledger.AsError(err).Field != c.field {
			t.Errorf("净耗 %s, bonded %q: %v, want a refusal on %s", c.net, c.bonded, err, c.field)
		}
	}
}

// TestNoDriftOverTenThousandReports: 10,000 reports of one unit consume,
// in total, exactly what one report of 10,000 units does, for norms whose
// 单耗 does not terminate.
func TestNoDriftOverTenThousandReports(t *testing.T) {
	v := Version{Version: "1", Norms: []Norm{
		{MaterialSeq: 1, Net: d("1"), LossPercent: d("3"), BondedPercent: d("100")},
		{MaterialSeq: 2, Net: d("0.333"), LossPercent: d("7.5"), BondedPercent: d("66.6")},
		{MaterialSeq: 3, Net: d("2"), LossPercent: d("0"), BondedPercent: d("100")},
	}}
	scale := func(seq int) int32 { return int32(seq) } // scales 1, 2, 3
	out := []Output{{BookSeq: 9, Quantity: d("1")}}
	totals := map[totalKey]total{}
	sum := map[int]Consumed{}
	for range 10000 {
		pl := planByVersion(out, []Version{v}, totals, scale)
		for k, t := range pl.totals {
			totals[k] = t
		}
		for m, c := range pl.consumed {
			sum[m] = sum[m].Add(c)
			if c.Bonded.IsNegative() || c.NonBonded.IsNegative() || c.Loss.IsNegative() {
				t.Fatalf("a report consumed a negative quantity of %d: %+v", m, c)
			}
		}
	}
	one := planByVersion([]Output{{BookSeq: 9, Quantity: d("10000")}}, []Version{v}, map[totalKey]total{}, scale)
	for m, want := range one.consumed {
		got := sum[m]
		if !got.Bonded.Equal(want.Bonded) || !got.NonBonded.Equal(want.NonBonded) || !got.Loss.Equal(want.Loss) {
			t.Errorf("material %d: 10,000 reports of 1 consumed %+v, one report of 10,000 %+v", m, got, want)
		}
	}
	if want := d("10309.3"); !one.consumed[1].Bonded.Equal(want) {
		t.Errorf("10,000 × 1/0.97 at scale 1 = %s, want %s", one.consumed[1].Bonded, want)
	}
}

// TestNoDriftRandomSplits: any split of a quantity into reports, in any
// order, consumes what the whole does.
func TestNoDriftRandomSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := Norm{MaterialSeq: 1, Net: decimal.New(r.Int64N(100000)+1, -int32(r.IntN(6))), LossPercent: decimal.New(r.Int64N(9999), -2), BondedPercent: decimal.New(r.Int64N(10000)+1, -2)}
		v := Version{Version: "1", Norms: []Norm{n}}
		scale := func(int) int32 { return int32(trial % 6) }
		totals := map[totalKey]total{}
		var sum Consumed
		whole := decimal.Zero
		for range r.IntN(50) + 1 {
			q := decimal.New(r.Int64N(1000)+1, -int32(r.IntN(3)))
			whole = whole.Add(q)
			pl := planByVersion([]Output{{BookSeq: 9, Quantity: q}}, []Version{v}, totals, scale)
			for k, t := range pl.totals {
				totals[k] = t
			}
			sum = sum.Add(pl.consumed[1])
		}
		want := n.Consume(whole, scale(1))
		if !sum.Bonded.Equal(want.Bonded) || !sum.NonBonded.Equal(want.NonBonded) || !sum.Loss.Equal(want.Loss) {
			t.Fatalf("trial %d (%s): reports consumed %+v, the whole %s consumes %+v", trial, n, sum, whole, want)
		}
	}
}
