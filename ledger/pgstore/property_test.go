package pgstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// TestPropertyRandomStreams posts random streams of valid and invalid
// journals and checks every outcome against a plain model of quantities:
// a journal is accepted exactly when applying its postings in order keeps
// every book account at or above zero, now and at the end of every day from
// the journal's effective date on, and is otherwise refused with the reason
// the model expects. Afterwards every holding equals the sum of its
// postings and every item sums to zero.
func TestPropertyRandomStreams(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			s := newStore(t, pgstore.Options{MaxBatch: 16})
			rng := rand.New(rand.NewPCG(seed, 99))
			accounts := []ledger.AccountRef{bonded, inspect, abroad, dom}
			items := []struct {
				ref   ledger.ItemRef
				unit  string
				scale int32
			}{{itemA, "KGM", 3}, {itemP, "PCE", 0}}
			model := map[ledger.PairKey]decimal.Decimal{}
			const days = 20
			daily := map[ledger.PairKey]*[days]decimal.Decimal{} // net movement per day

			var reqs []ledger.JournalRequest
			var want []string // expected reason, "" for accepted
			for n := 0; n < 240; n++ {
				day := rng.IntN(days)
				r := req(day1.AddDate(0, 0, day))
				next := map[ledger.PairKey]decimal.Decimal{}
				get := func(k ledger.PairKey) decimal.Decimal {
					if v, ok := next[k]; ok {
						return v
					}
					return model[k]
				}
				reason, shape := "", "" // shape errors (checked first, over all postings) win
				for p := 0; p < 1+rng.IntN(3); p++ {
					it := items[rng.IntN(len(items))]
					from := accounts[rng.IntN(len(accounts))]
					to := accounts[rng.IntN(len(accounts))]
					for to == from || (from.IsWorld() && to.IsWorld()) {
						to = accounts[rng.IntN(len(accounts))]
					}
					q := decimal.New(int64(1+rng.IntN(400)), -it.scale).Round(it.scale)
					if it.scale == 0 {
						q = decimal.NewFromInt(int64(1 + rng.IntN(40)))
					}
					post := ledger.Posting{Item: it.ref, From: from, To: to, Quantity: q, Unit: it.unit}
					if from.IsWorld() {
						post.Value = decimal.New(int64(rng.IntN(100000)), -2)
					}
					switch rng.IntN(14) { // sometimes make it invalid
					case 0:
						post.Quantity = decimal.Zero
						shape = ledger.ReasonNonPositiveQuantity
					case 1:
						post.Unit = "XXX"
						reason = firstReason(reason, ledger.ReasonUnitMismatch)
					case 2:
						post.Quantity = q.Add(decimal.New(1, -(it.scale + 1)))
						reason = firstReason(reason, ledger.ReasonTooManyDecimals)
					}
					r.Postings = append(r.Postings, post)
					if reason != "" || shape != "" {
						continue
					}
					fk, tk := ledger.PairKey{Account: from, Item: it.ref}, ledger.PairKey{Account: to, Item: it.ref}
					next[fk] = get(fk).Sub(q)
					next[tk] = get(tk).Add(q)
					if !from.IsWorld() && next[fk].Sign() < 0 {
						reason = ledger.ReasonInsufficient
					}
				}
				if shape != "" {
					reason = shape
				}
				if reason == "" { // as of every day from the journal's on
					for k, v := range next {
						if k.Account.IsWorld() || !v.LessThan(model[k]) {
							continue
						}
						bal := decimal.Zero
						for d := 0; d < days && reason == ""; d++ {
							if a := daily[k]; a != nil {
								bal = bal.Add(a[d])
							}
							if d == day {
								bal = bal.Add(v.Sub(model[k]))
							}
							if d >= day && bal.Sign() < 0 {
								reason = ledger.ReasonInsufficient
							}
						}
					}
				}
				if reason == "" {
					for k, v := range next {
						if daily[k] == nil {
							daily[k] = new([days]decimal.Decimal)
						}
						daily[k][day] = daily[k][day].Add(v.Sub(model[k]))
						model[k] = v
					}
				}
				reqs = append(reqs, r)
				want = append(want, reason)
			}
			for start := 0; start < len(reqs); start += 60 {
				end := min(start+60, len(reqs))
				for i, res := range s.PostMany(context.Background(), reqs[start:end]) {
					if got := ledger.ReasonOf(res.Err); got != want[start+i] {
						t.Fatalf("journal %d: got %q (%v), model expects %q", start+i, got, res.Err, want[start+i])
					}
				}
			}
			for k, q := range model {
				if k.Account.IsWorld() {
					continue
				}
				if got, _ := balance(t, s, k.Account, k.Item); !got.Equal(q) {
					t.Fatalf("%s %s: store %s, model %s", k.Account, k.Item, got, q)
				}
			}
			checkInvariants(t, s)
		})
	}
}

// firstReason keeps the reason of the first invalid posting: postings are
// checked in order.
func firstReason(have, r string) string {
	if have != "" {
		return have
	}
	return r
}
