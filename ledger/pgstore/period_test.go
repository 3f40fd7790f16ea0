package pgstore_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// pagedPeriods seals two periods that VerifyPeriods reads in pages of 3:
// the first through day1, 9 journals posted over three days in an order
// that is not the digest's (pages: the three of 2026-02-27, of 2026-02-28,
// of day1), the second through day2, 5 journals (pages of 3 and 2); then
// posts one journal on day3, in the open period. It returns the store, the
// journals of the first period by day and the open journal.
func pagedPeriods(t *testing.T) (s *pgstore.Store, first map[string][]ledger.Journal, open ledger.Journal) {
	t.Helper()
	ctx := context.Background()
	s = newStore(t, pgstore.Options{})
	pgstore.SetVerifyPageSize(t, 3)
	first = map[string][]ledger.Journal{}
	days := []time.Time{day1, date("2026-02-27"), date("2026-02-28")}
	for i := 0; i < 9; i++ {
		day := days[i%3]
		first[ledger.FormatDate(day)] = append(first[ledger.FormatDate(day)], mustPost(t, s, req(day, in(itemP, "PCE", "1", "10"))))
	}
	for i := 0; i < 5; i++ {
		mustPost(t, s, req(day2, move(itemP, "PCE", bonded, dom, "1")))
	}
	for _, through := range []time.Time{day1, day2} {
		if _, err := s.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: book, Through: through, IdempotencyKey: key()}); err != nil {
			t.Fatal(err)
		}
	}
	open = mustPost(t, s, req(day3, in(itemP, "PCE", "1", "10")))
	return s, first, open
}

func TestVerifyPeriodsOverManyPagesReportsWhatChanged(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		change   func(s *pgstore.Store, first map[string][]ledger.Journal, open ledger.Journal) []string
		journals int64
		problems []string
	}{
		{"intact", nil, 14, nil},
		{"a journal on the second page rewritten", func(s *pgstore.Store, first map[string][]ledger.Journal, _ ledger.Journal) []string {
			id := first["2026-02-28"][1].ID
			return []string{fmt.Sprintf(`UPDATE ledger_postings SET quantity = 2 WHERE journal_id = %d`, id)}
		}, 14, []string{
			"journal {rewritten}: content does not match its recorded hash",
			"period through 2026-03-01: digest does not match the journals",
		}},
		{"a journal on the second page gone from the book", func(s *pgstore.Store, first map[string][]ledger.Journal, _ ledger.Journal) []string {
			id := first["2026-02-28"][1].ID
			return []string{fmt.Sprintf(`DELETE FROM ledger_journal_books WHERE journal_id = %d`, id)}
		}, 13, []string{
			"period through 2026-03-01: sealed 9 journals, found 8",
			"period through 2026-03-01: digest does not match the journals",
		}},
		{"a journal on the last page deleted", func(s *pgstore.Store, first map[string][]ledger.Journal, _ ledger.Journal) []string {
			id := first["2026-03-01"][2].ID
			return []string{
				fmt.Sprintf(`DELETE FROM ledger_legs WHERE journal_id = %d`, id),
				fmt.Sprintf(`DELETE FROM ledger_postings WHERE journal_id = %d`, id),
				fmt.Sprintf(`DELETE FROM ledger_journals WHERE id = %d`, id),
			}
		}, 13, []string{
			"period through 2026-03-01: sealed 9 journals, found 8",
			"period through 2026-03-01: digest does not match the journals",
		}},
		{"an open journal moved into the second page", func(s *pgstore.Store, _ map[string][]ledger.Journal, open ledger.Journal) []string {
			return []string{fmt.Sprintf(`UPDATE ledger_journal_books SET effective_date = '2026-02-28' WHERE journal_id = %d`, open.ID)}
		}, 15, []string{
			"period through 2026-03-01: sealed 9 journals, found 10",
			"period through 2026-03-01: digest does not match the journals",
		}},
		{"the second period's previous digest broken", func(*pgstore.Store, map[string][]ledger.Journal, ledger.Journal) []string {
			return []string{`UPDATE ledger_periods SET previous_digest = '\x00' WHERE through = '2026-03-02'`}
		}, 14, []string{
			"period through 2026-03-02: previous digest does not match the period before it",
			"period through 2026-03-02: digest does not match the journals",
		}},
		{"the first period's digest replaced", func(*pgstore.Store, map[string][]ledger.Journal, ledger.Journal) []string {
			return []string{`UPDATE ledger_periods SET digest = '\x00' WHERE through = '2026-03-01'`}
		}, 14, []string{
			"period through 2026-03-01: digest does not match the journals",
			"period through 2026-03-02: previous digest does not match the period before it",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, first, open := pagedPeriods(t)
			var want []string
			if c.change != nil {
				for _, q := range c.change(s, first, open) {
					if _, err := s.Pool().Exec(ctx, q); err != nil {
						t.Fatalf("%v\n%s", err, q)
					}
				}
				id := first["2026-02-28"][1].ID
				for _, p := range c.problems {
					want = append(want, strings.ReplaceAll(p, "{rewritten}", fmt.Sprint(id)))
				}
			}
			v, err := s.VerifyPeriods(ctx, book)
			if err != nil {
				t.Fatal(err)
			}
			if v.Periods != 2 || v.Journals != c.journals || !slices.Equal(v.Problems, want) {
				t.Fatalf("verified %d periods, %d journals, problems %q;\nwant 2 periods, %d journals, problems %q",
					v.Periods, v.Journals, v.Problems, c.journals, want)
			}
		})
	}
}

// periodDigestOfStoredHashes is the digest as ClosePeriod computed it
// before it streamed: every stored journal hash of the period collected in
// (effective date, ID) order, then PeriodDigest over the slice.
func periodDigestOfStoredHashes(t *testing.T, s *pgstore.Store, p ledger.Period) []byte {
	t.Helper()
	var js []ledger.Journal
	for after := int64(0); ; {
		page, err := s.ListJournals(context.Background(), ledger.JournalFilter{Book: p.Book, From: p.From, To: p.Through, AfterID: after, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		js = append(js, page...)
		after = page[len(page)-1].ID
	}
	slices.SortFunc(js, func(a, b ledger.Journal) int {
		if c := a.EffectiveDate.Compare(b.EffectiveDate); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	hashes := make([][]byte, len(js))
	for i, j := range js {
		hashes[i] = j.Hash
	}
	if int64(len(hashes)) != p.JournalCount {
		t.Fatalf("period through %s sealed %d journals, the book has %d in it", ledger.FormatDate(p.Through), p.JournalCount, len(hashes))
	}
	return ledger.PeriodDigest(p.PreviousDigest, p.Book, p.From, p.Through, hashes)
}

func TestClosePeriodOfManyJournalsSealsTheSameDigest(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, pgstore.Options{})
	pgstore.SetVerifyPageSize(t, 7)
	// 2,500 journals over 10 days, their IDs in another order than their
	// dates, in two periods of 5 days.
	bulkJournals(t, s, 2500, date("2026-01-01"), 10)
	var periods []ledger.Period
	for _, through := range []time.Time{date("2026-01-05"), date("2026-01-10")} {
		p, err := s.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: book, Through: through, IdempotencyKey: key()})
		if err != nil {
			t.Fatal(err)
		}
		if p.JournalCount != 1250 {
			t.Fatalf("period through %s sealed %d journals, want 1250", ledger.FormatDate(through), p.JournalCount)
		}
		if want := periodDigestOfStoredHashes(t, s, p); !bytes.Equal(p.Digest, want) {
			t.Fatalf("period through %s sealed digest %x, the collected hashes give %x", ledger.FormatDate(through), p.Digest, want)
		}
		periods = append(periods, p)
	}
	if !bytes.Equal(periods[1].PreviousDigest, periods[0].Digest) {
		t.Fatalf("the second period does not chain onto the first")
	}
	v, err := s.VerifyPeriods(ctx, book)
	if err != nil || v.Periods != 2 || v.Journals != 2500 || len(v.Problems) != 0 {
		t.Fatalf("verify: %+v, %v; want 2 periods, 2,500 journals, no problem", v, err)
	}
}
