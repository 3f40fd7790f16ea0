package pgstore

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zoneledger/zoneledger/ledger"
)

// verifyPageSize is how many journals VerifyPeriods loads at a time (tests
// lower it; see export_test.go).
var verifyPageSize = 1000

// ClosePeriod implements ledger.Store. The period runs from the day after the
// previous close (or the beginning) through the given day; its digest chains
// the hashes of the book's journals in (effective date, ID) order onto the
// previous period's digest. A period may not end in the future.
func (s *Store) ClosePeriod(ctx context.Context, req ledger.ClosePeriodRequest) (ledger.Period, error) {
	book, through := req.Book, ledger.Day(req.Through)
	if req.IdempotencyKey == "" || len(req.IdempotencyKey) > ledger.MaxKeyLength {
		return ledger.Period{}, ledger.BadArgument("idempotency_key", "is required, at most %d bytes", ledger.MaxKeyLength)
	}
	if through.After(ledger.DayIn(s.opts.Now(), s.opts.TimeZone)) { // the zone's today
		return ledger.Period{}, ledger.Invalid(ledger.ReasonBadPeriod, "through",
			"%s is in the future; a period can be closed only once it has ended", ledger.FormatDate(through))
	}
	var out ledger.Period
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		prior, err := queryPeriods(ctx, tx, `WHERE book = $1 AND idem_key = $2`, book, req.IdempotencyKey)
		if err != nil {
			return err
		}
		if len(prior) == 1 {
			if !prior[0].Through.Equal(through) {
				return ledger.Conflict(ledger.ReasonIdempotencyMismatch, "idempotency_key",
					"key %q already closed book %q through %s; use a new key for another period", req.IdempotencyKey, book, ledger.FormatDate(prior[0].Through))
			}
			out = prior[0]
			return nil
		}
		var closed *time.Time
		err = tx.QueryRow(ctx, `SELECT closed_through FROM ledger_books WHERE id = $1 FOR UPDATE`, book).Scan(&closed)
		if err == pgx.ErrNoRows {
			return ledger.NotFound(ledger.ReasonUnknownBook, "book_id", "book %q does not exist", book)
		}
		if err != nil {
			return err
		}
		p := ledger.Period{Book: book, Through: through, PreviousDigest: []byte{}}
		if closed != nil {
			if !through.After(*closed) {
				return ledger.Precondition(ledger.ReasonBadPeriod, "through",
					"book %q is already closed through %s", book, ledger.FormatDate(*closed))
			}
			p.From = closed.AddDate(0, 0, 1)
			if err := tx.QueryRow(ctx, `SELECT digest FROM ledger_periods WHERE book = $1 AND through = $2`, book, *closed).Scan(&p.PreviousDigest); err != nil {
				return fmt.Errorf("reading the previous period's digest: %w", err)
			}
		}
		digest, err := periodDigest(ctx, tx, p)
		if err != nil {
			return err
		}
		p.JournalCount, p.Digest = digest.Count(), digest.Sum()
		p.ClosedAt = time.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.Exec(ctx, `INSERT INTO ledger_periods (book, through, from_date, journal_count, digest, previous_digest, closed_at, idem_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, book, through, nullDate(p.From), p.JournalCount, p.Digest, p.PreviousDigest, p.ClosedAt, req.IdempotencyKey); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE ledger_books SET closed_through = $2 WHERE id = $1`, book, through); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// periodJournals is the condition on ledger_journal_books that selects a
// book's journals dated within [$2, $3] ($2 NULL: from the beginning).
const periodJournals = `b.book = $1 AND ($2::date IS NULL OR b.effective_date >= $2) AND b.effective_date <= $3`

// periodDigest digests the stored hashes of p.Book's journals dated within
// [p.From, p.Through], in (effective date, ID) order, onto p.PreviousDigest.
// It counts them first (the count comes before the hashes in the digest),
// then streams the hashes into the digest: memory does not grow with the
// period. Run in a SERIALIZABLE transaction, the count and the hashes read
// the same state.
func periodDigest(ctx context.Context, tx pgx.Tx, p ledger.Period) (*ledger.PeriodDigester, error) {
	const journals = `ledger_journal_books b JOIN ledger_journals j ON j.id = b.journal_id WHERE ` + periodJournals
	var count int64
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+journals, p.Book, nullDate(p.From), p.Through).Scan(&count); err != nil {
		return nil, err
	}
	digest := ledger.NewPeriodDigest(p.PreviousDigest, p.Book, p.From, p.Through, count)
	rows, err := tx.Query(ctx, `SELECT j.hash FROM `+journals+` ORDER BY b.effective_date, b.journal_id`, p.Book, nullDate(p.From), p.Through)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hash pgtype.DriverBytes // the driver's bytes, valid until Next: the digest copies them
	dst := []any{&hash}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		digest.Add(hash)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if digest.Added() != count {
		return nil, fmt.Errorf("book %q: counted %d journals in the period, read %d hashes; the transaction should have prevented this, try again", p.Book, count, digest.Added())
	}
	return digest, nil
}

// Periods implements ledger.Store.
func (s *Store) Periods(ctx context.Context, book string) ([]ledger.Period, error) {
	ps, err := queryPeriods(ctx, s.pool, `WHERE book = $1 ORDER BY through`, book)
	return ps, wrapRead(err)
}

func queryPeriods(ctx context.Context, q querier, where string, args ...any) ([]ledger.Period, error) {
	rows, err := q.Query(ctx, `SELECT book, from_date, through, journal_count, digest, previous_digest, closed_at
		FROM ledger_periods `+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Period, error) {
		var p ledger.Period
		var from *time.Time
		err := r.Scan(&p.Book, &from, &p.Through, &p.JournalCount, &p.Digest, &p.PreviousDigest, &p.ClosedAt)
		if from != nil {
			p.From = *from
		}
		return p, err
	})
}

// VerifyPeriods implements ledger.Store: every journal in a sealed period is
// rehashed from its stored content, and every period digest recomputed and
// checked against its chain. A period is read a page of journals at a time
// (verifyPageSize, keyset pagination in the digest's order), so memory does
// not grow with the period.
func (s *Store) VerifyPeriods(ctx context.Context, book string) (ledger.Verification, error) {
	periods, err := s.Periods(ctx, book)
	if err != nil {
		return ledger.Verification{}, err
	}
	out := ledger.Verification{Periods: len(periods)}
	var problems []string
	prev := []byte{}
	for _, p := range periods {
		if !bytes.Equal(p.PreviousDigest, prev) {
			problems = append(problems, fmt.Sprintf("period through %s: previous digest does not match the period before it", ledger.FormatDate(p.Through)))
		}
		// The digest was sealed with the period's count: a verifier that
		// finds another number of journals gets a digest that does not match.
		digest := ledger.NewPeriodDigest(p.PreviousDigest, book, p.From, p.Through, p.JournalCount)
		var found int64
		var page []periodJournal
		for {
			if page, err = nextPeriodPage(ctx, s.pool, book, p, page); err != nil {
				return ledger.Verification{}, storeError(err)
			}
			if len(page) == 0 {
				break
			}
			ids := make([]int64, len(page))
			for i, pj := range page {
				ids[i] = pj.id
			}
			js, err := loadJournals(ctx, s.pool, ids)
			if err != nil {
				return ledger.Verification{}, storeError(err)
			}
			found += int64(len(js))
			for _, j := range js {
				h := j.ComputeHash()
				if !bytes.Equal(h, j.Hash) {
					problems = append(problems, fmt.Sprintf("journal %d: content does not match its recorded hash", j.ID))
				}
				digest.Add(h)
			}
			if len(page) < verifyPageSize {
				break
			}
		}
		out.Journals += found
		if found != p.JournalCount {
			problems = append(problems, fmt.Sprintf("period through %s: sealed %d journals, found %d", ledger.FormatDate(p.Through), p.JournalCount, found))
		}
		if !bytes.Equal(digest.Sum(), p.Digest) {
			problems = append(problems, fmt.Sprintf("period through %s: digest does not match the journals", ledger.FormatDate(p.Through)))
		}
		prev = p.Digest
	}
	out.Problems = problems
	return out, nil
}

// periodJournal is a journal of a period, where keyset pagination resumes.
type periodJournal struct {
	date time.Time
	id   int64
}

// nextPeriodPage returns the next verifyPageSize journals of book dated
// within period p, in (effective date, ID) order, after the last of the
// previous page (the first page when previous is empty). It reuses
// previous's memory.
func nextPeriodPage(ctx context.Context, q querier, book string, p ledger.Period, previous []periodJournal) ([]periodJournal, error) {
	var rows pgx.Rows
	var err error
	if len(previous) == 0 {
		rows, err = q.Query(ctx, `SELECT b.effective_date, b.journal_id FROM ledger_journal_books b
			WHERE `+periodJournals+` ORDER BY b.effective_date, b.journal_id LIMIT $4`,
			book, nullDate(p.From), p.Through, verifyPageSize)
	} else {
		last := previous[len(previous)-1]
		rows, err = q.Query(ctx, `SELECT b.effective_date, b.journal_id FROM ledger_journal_books b
			WHERE b.book = $1 AND (b.effective_date, b.journal_id) > ($2::date, $3::bigint) AND b.effective_date <= $4
			ORDER BY b.effective_date, b.journal_id LIMIT $5`,
			book, last.date, last.id, p.Through, verifyPageSize)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := previous[:0]
	for rows.Next() {
		var pj periodJournal
		if err := rows.Scan(&pj.date, &pj.id); err != nil {
			return nil, err
		}
		page = append(page, pj)
	}
	return page, rows.Err()
}
