package zone

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/codes"
	"github.com/zoneledger/zoneledger/ledger"
)

// 一纳成品内销 (清单类型 9): a VAT general-taxpayer pilot enterprise
// (一纳企业, customs-reference §5.7) keeps bonded goods and goods bought in
// the domestic area (non-bonded, duty-paid) on one book. A 清单类型 9 line
// takes the lots it names, else the oldest lots first, from the bonded and
// the nonbonded buckets alike; the bonded lots taken are taxed (duty, VAT,
// consumption tax and 缓税利息), the non-bonded leave untaxed.

// gtChunk is a part of a 清单类型 9 line reserved from one lot of one
// bucket; the reservation journal has one posting per chunk, in order.
type gtChunk struct {
	Line   int
	Bucket string
	Lot    string
	Qty    decimal.Decimal
}

// planGeneralTaxpayer plans, from the book's current lots, which lots of
// the bonded and nonbonded buckets each line of a 清单类型 9 list takes:
// the lot the line names, else the oldest lots first (entry date, then lot
// name; bonded before non-bonded on a tie). What the buckets do not hold
// is asked of the bonded bucket, so the ledger refuses the declaration
// (INSUFFICIENT_BONDED_STOCK) and nothing is reserved. The ledger checks
// every chunk again inside the declaration's transaction.
func (s *Service) planGeneralTaxpayer(ctx context.Context, l List) ([]gtChunk, error) {
	type avail struct {
		bucket, lot string
		qty         decimal.Decimal
		entered     time.Time
	}
	byItem := map[int][]*avail{}
	var chunks []gtChunk
	for i, ln := range l.Lines {
		lots, ok := byItem[ln.BookSeq]
		if !ok {
			item := strconv.Itoa(ln.BookSeq)
			hs, err := s.ledger.Balances(ctx, ledger.BalanceQuery{Book: l.Book, Item: item, ByLot: true})
			if err != nil {
				return nil, err
			}
			info, err := s.ledger.Lots(ctx, ledger.ItemRef{Book: l.Book, Code: item})
			if err != nil {
				return nil, err
			}
			entered := map[string]time.Time{}
			for _, lt := range info {
				entered[lt.Key] = lt.EntryDate
			}
			for _, h := range hs {
				if (h.Account.Name == AccountBonded || h.Account.Name == AccountNonBonded) && h.Quantity.IsPositive() {
					lots = append(lots, &avail{bucket: h.Account.Name, lot: h.Lot, qty: h.Quantity, entered: entered[h.Lot]})
				}
			}
			slices.SortFunc(lots, func(a, b *avail) int {
				return cmp.Or(a.entered.Compare(b.entered), cmp.Compare(a.lot, b.lot), cmp.Compare(a.bucket, b.bucket))
			})
			byItem[ln.BookSeq] = lots
		}
		left := ln.DeclaredQuantity
		for _, a := range lots {
			if !left.IsPositive() {
				break
			}
			if (ln.Lot != "" && a.lot != ln.Lot) || !a.qty.IsPositive() {
				continue
			}
			take := decimal.Min(a.qty, left)
			chunks = append(chunks, gtChunk{Line: i, Bucket: a.bucket, Lot: a.lot, Qty: take})
			a.qty, left = a.qty.Sub(take), left.Sub(take)
		}
		if left.IsPositive() {
			chunks = append(chunks, gtChunk{Line: i, Bucket: AccountBonded, Lot: ln.Lot, Qty: left})
		}
	}
	return chunks, nil
}

// gtReserve adds a 清单类型 9 list's reservation postings to req, one per
// planned chunk (bonded to reserved, non-bonded to nonbonded-reserved),
// and keeps the plan on the intent for finishReserve.
func gtReserve(l List, chunks []gtChunk, req *ledger.JournalRequest, in *intent) {
	for _, c := range chunks {
		ln := l.Lines[c.Line]
		to := AccountReserved
		if c.Bucket == AccountNonBonded {
			to = AccountNonBondedReserved
		}
		req.Postings = append(req.Postings, posting(l.Book, ln.BookSeq, c.Bucket, to, c.Qty, c.Lot, ln.DeclaredUnit))
		in.Fields = append(in.Fields, fmt.Sprintf("lines[%d].quantity", c.Line))
	}
	in.Extra = mustJSON(chunks)
}

// gtLots fills in the lots each line of a 清单类型 9 list reserved, from
// the reservation journal's postings and the plan kept on the intent.
func gtLots(l *List, extra string, j ledger.Journal) error {
	var chunks []gtChunk
	if err := json.Unmarshal([]byte(extra), &chunks); err != nil {
		return err
	}
	for i := range l.Lines {
		l.Lines[i].Lots = nil
	}
	for k, c := range chunks {
		bucket := ""
		if c.Bucket == AccountNonBonded {
			bucket = AccountNonBondedReserved
		}
		for _, g := range j.Postings[k].Legs {
			l.Lines[c.Line].Lots = append(l.Lines[c.Line].Lots, LotQuantity{Lot: g.Lot, Quantity: g.Quantity, Bucket: bucket})
		}
	}
	return nil
}

// bookFirstImport finds the day a book's first goods from abroad entered
// it: the entry date of the lot the earliest list from abroad with goods
// passed formed. Zero when none did.
func (s *Service) bookFirstImport(ctx context.Context, q querier, book string) (time.Time, error) {
	rows, err := q.Query(ctx, `SELECT body FROM zone_documents WHERE kind = $1 AND book = $2 AND status IN ($3, $4) ORDER BY created_at, no`,
		kindList, book, string(ListApproved), string(ListCleared))
	if err != nil {
		return time.Time{}, err
	}
	var bodies []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return time.Time{}, err
		}
		bodies = append(bodies, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return time.Time{}, err
	}
	for _, b := range bodies {
		var l List
		if err := jsonUnmarshal(b, &l); err != nil {
			return time.Time{}, err
		}
		if !fromAbroad[string(l.Flow)] {
			continue
		}
		var first time.Time
		for _, ln := range l.Lines {
			if len(ln.Lots) == 0 {
				continue
			}
			lots, err := s.ledger.Lots(ctx, ledger.ItemRef{Book: book, Code: strconv.Itoa(ln.BookSeq)})
			if err != nil {
				return time.Time{}, err
			}
			for _, lt := range lots {
				if lt.Key == ln.Lots[0].Lot && (first.IsZero() || lt.EntryDate.Before(first)) {
					first = lt.EntryDate
				}
			}
		}
		if !first.IsZero() {
			return first, nil
		}
	}
	return time.Time{}, nil
}

// gtBondedPart is the bonded part of qty of a 清单类型 9 line passing the
// gate after done units passed, and the bonded units passed before it.
func gtBondedPart(ln ListLine, done, qty decimal.Decimal) (before, part decimal.Decimal) {
	sum := func(lots []LotQuantity) decimal.Decimal {
		t := decimal.Zero
		for _, l := range lots {
			if l.Bucket == "" {
				t = t.Add(l.Quantity)
			}
		}
		return t
	}
	return sum(takeLots(ln.Lots, decimal.Zero, done)), sum(takeLots(ln.Lots, done, qty))
}

// generalTaxpayerSale reports whether l is a 清单类型 9 list.
func generalTaxpayerSale(l *List) bool { return l.Type == codes.ListGeneralTaxpayerSale }
