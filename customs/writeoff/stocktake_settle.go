package writeoff

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
)

// change runs fn on stocktake no, locked, in one transaction of the
// ledger's seam, and saves what fn leaves in it.
func (c *Cycles) change(ctx context.Context, no string, fn func(ctx context.Context, tx pgx.Tx, j ledger.Journals, st *Stocktake) error) (Stocktake, error) {
	var out Stocktake
	err := c.readWrite(ctx, func(ctx context.Context, tx pgx.Tx, j ledger.Journals) error {
		st, found, err := stocktakeBy(ctx, tx, `no = $1`, no)
		if err != nil {
			return err
		}
		if !found {
			return ledger.NotFound(zone.ReasonUnknownDocument, "stocktake_no", "there is no stocktake %q", no)
		}
		if err := fn(ctx, tx, j, &st); err != nil {
			return err
		}
		out = st
		return saveStocktake(ctx, tx, st)
	})
	return out, err
}

// findDifference finds the difference of (seq, status) of a counted, open
// stocktake.
func findDifference(st *Stocktake, seq int, status CountStatus) (*Difference, error) {
	if st.Status != StocktakeCounted {
		return nil, ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s is %s; differences are settled between the count and the close", st.No, st.Status)
	}
	for i := range st.Differences {
		if d := &st.Differences[i]; d.BookSeq == seq && d.Status == status {
			return d, nil
		}
	}
	return nil, ledger.NotFound(ReasonStocktakeState, "book_seq", "stocktake %s has no difference on line %d %s", st.No, seq, status)
}

// RecordShortagePayment records the self-payment (自报自缴) of the tax on a
// bonded shortage of line seq: payment number, amount and date. Customs
// records it; the amount is the tax assessed, to the fen, and the date
// lies between the stocktake date and today. Recording the same payment
// again returns the stocktake unchanged; another one is refused.
func (c *Cycles) RecordShortagePayment(ctx context.Context, p access.Principal, no string, seq int, paymentNo string, amount decimal.Decimal, date time.Time) (Stocktake, error) {
	if err := cycleCustomsOnly(p, "record a shortage's tax payment"); err != nil {
		return Stocktake{}, err
	}
	if paymentNo == "" || len(paymentNo) > 64 {
		return Stocktake{}, ledger.BadArgument("payment_no", "give the payment number, 1 to 64 characters")
	}
	if !amount.Equal(amount.Round(2)) || amount.IsNegative() {
		return Stocktake{}, ledger.BadArgument("amount", "%s is not an amount in CNY to the fen", amount)
	}
	if date.IsZero() {
		return Stocktake{}, ledger.BadArgument("date", "give the payment date, YYYY-MM-DD")
	}
	date = ledger.Day(date)
	if _, err := c.GetStocktake(ctx, p, no); err != nil {
		return Stocktake{}, err
	}
	today := c.today()
	return c.change(ctx, no, func(ctx context.Context, _ pgx.Tx, _ ledger.Journals, st *Stocktake) error {
		if st.Status == StocktakeClosed {
			for _, d := range st.Differences {
				if d.BookSeq == seq && d.Status == CountBonded && d.Payment != nil && d.Payment.No == paymentNo && d.Payment.Amount.Equal(amount) && d.Payment.Date.Equal(date) {
					return nil
				}
			}
		}
		d, err := findDifference(st, seq, CountBonded)
		if err != nil {
			return err
		}
		if !d.Shortage() || d.TaxEvent == 0 {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "line %d of stocktake %s is not a taxed bonded shortage", seq, no)
		}
		if d.AssessError != "" {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "the shortage of line %d could not be taxed (%s); fix the tariff and assess it again", seq, d.AssessError)
		}
		if d.Payment != nil {
			if d.Payment.No == paymentNo && d.Payment.Amount.Equal(amount) && d.Payment.Date.Equal(date) {
				return nil
			}
			return ledger.Precondition(ReasonStocktakeState, "payment_no", "the shortage of line %d was paid already by %s (%s CNY on %s)", seq, d.Payment.No, d.Payment.Amount.StringFixed(2), ledger.FormatDate(d.Payment.Date))
		}
		if !amount.Equal(d.Tax) {
			return ledger.Invalid(ReasonPaymentAmount, "amount", "%s CNY is not the tax assessed on the shortage of line %d, %s CNY", amount.StringFixed(2), seq, d.Tax.StringFixed(2))
		}
		if date.Before(st.Date) || date.After(today) {
			return ledger.BadArgument("date", "%s is not between the stocktake date %s and today %s", ledger.FormatDate(date), ledger.FormatDate(st.Date), ledger.FormatDate(today))
		}
		d.Payment = &Payment{No: paymentNo, Amount: amount, Date: date, RecordedBy: p.ID}
		return nil
	})
}

// ExplainSurplus files the enterprise's explanation of a surplus (盘盈) of
// line seq in status and the value (CNY, to the fen, ≥ 0) its goods would
// enter the book with. The book's owner explains, until customs decides;
// explaining again replaces the explanation.
func (c *Cycles) ExplainSurplus(ctx context.Context, p access.Principal, no string, seq int, status CountStatus, explanation string, value decimal.Decimal) (Stocktake, error) {
	st, err := c.GetStocktake(ctx, p, no)
	if err != nil {
		return st, err
	}
	if _, err := c.ownerBook(ctx, p, st.Book, "explain a surplus"); err != nil {
		return Stocktake{}, cycleWithField(err, "stocktake_no")
	}
	if explanation == "" || len(explanation) > 2000 {
		return Stocktake{}, ledger.BadArgument("explanation", "explain the surplus, 1 to 2000 bytes")
	}
	if value.IsNegative() || !value.Equal(value.Round(2)) {
		return Stocktake{}, ledger.BadArgument("value", "%s is not a value in CNY to the fen, at or above zero", value)
	}
	return c.change(ctx, no, func(ctx context.Context, _ pgx.Tx, _ ledger.Journals, st *Stocktake) error {
		d, err := findDifference(st, seq, status)
		if err != nil {
			return err
		}
		if !d.Surplus() {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "line %d %s of stocktake %s is not a surplus", seq, status, no)
		}
		if d.Decision != "" {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "customs decided the surplus of line %d %s already (%s)", seq, status, d.Decision)
		}
		d.Explanation, d.Value = explanation, value
		return nil
	})
}

// DecideSurplus is customs' decision on an explained surplus of line seq
// in status: approved, its adjustment journal (from the world account
// stocktake-surplus into the status's account, at the value explained, on
// the stocktake date) is posted in the same transaction; rejected, nothing
// is posted. Customs decides once; the same decision again returns the
// stocktake unchanged.
func (c *Cycles) DecideSurplus(ctx context.Context, p access.Principal, no string, seq int, status CountStatus, approve bool, note string) (Stocktake, error) {
	if err := cycleCustomsOnly(p, "decide a surplus"); err != nil {
		return Stocktake{}, err
	}
	if _, err := c.GetStocktake(ctx, p, no); err != nil {
		return Stocktake{}, err
	}
	want := DecisionRejected
	if approve {
		want = DecisionApproved
	}
	return c.change(ctx, no, func(ctx context.Context, _ pgx.Tx, j ledger.Journals, st *Stocktake) error {
		if st.Status == StocktakeClosed {
			for _, d := range st.Differences {
				if d.BookSeq == seq && d.Status == status && d.Decision == want {
					return nil
				}
			}
		}
		d, err := findDifference(st, seq, status)
		if err != nil {
			return err
		}
		if !d.Surplus() {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "line %d %s of stocktake %s is not a surplus", seq, status, no)
		}
		if d.Decision != "" {
			if d.Decision == want {
				return nil
			}
			return ledger.Precondition(ReasonStocktakeState, "approve", "the surplus of line %d %s was %s already", seq, status, d.Decision)
		}
		if d.Explanation == "" {
			return ledger.Precondition(ReasonStocktakeState, "book_seq", "the surplus of line %d %s is not explained yet; its enterprise explains it (ExplainSurplus) first", seq, status)
		}
		d.Decision, d.DecidedBy, d.Note = want, p.ID, note
		if !approve {
			return nil
		}
		req := ledger.JournalRequest{Book: st.Book, IdempotencyKey: fmt.Sprintf("stocktake-surplus:%s:%d:%s", st.No, seq, status), EffectiveDate: st.Date,
			Document: ledger.Document{Type: DocumentStocktake, Number: st.No}, Principal: p.ID, Metadata: map[string]string{"step": "surplus", "explanation": d.Explanation},
			Postings: []ledger.Posting{{Item: ledger.ItemRef{Book: st.Book, Code: strconv.Itoa(seq)}, From: ledger.World(WorldSurplus),
				To: ledger.In(st.Book, countAccounts[status][0]), Quantity: d.Difference, Unit: d.Unit, Value: d.Value,
				LotAttributes: map[string]string{"source": st.No, "flow": "STOCKTAKE_SURPLUS"}}}}
		res, err := j.PostMany(ctx, []ledger.JournalRequest{req})
		if err != nil {
			return err
		}
		if res[0].Err != nil {
			return cycleWithField(res[0].Err, "book_seq")
		}
		d.Journal = res[0].Journal.ID
		return nil
	})
}

// CloseWriteOff closes the write-off of a counted stocktake once every
// shortage is paid and every surplus decided, in steps each safe to repeat
// (calling again after a failure or a crash finishes it):
//
//  1. the ledger's period through the stocktake date is sealed (the
//     digest chain; later postings dated in it are refused) — or, when the
//     ledger was closed through that date or past it already, the first
//     sealed period covering the date is the write-off's;
//  2. the book's last write-off date becomes the stocktake date;
//  3. the book's evidence (customs/evidence: journals, documents, taxable
//     events, e-commerce lists) is sealed, period by period in order,
//     through that period; periods sealed already are kept as they are;
//  4. the stocktake is CLOSED with the period's ledger digest, its evidence
//     digest and its last day.
//
// The evidence sealed in step 3 records the stocktake as it stands then:
// COUNTED, every difference settled. The book's owner enterprise closes it
// (自主核报). A stocktake closed before its close sealed evidence gets it
// sealed when closed again.
func (c *Cycles) CloseWriteOff(ctx context.Context, p access.Principal, no string) (Stocktake, error) {
	st, err := c.GetStocktake(ctx, p, no)
	if err != nil {
		return st, err
	}
	if _, err := c.ownerBook(ctx, p, st.Book, "close a write-off"); err != nil {
		return Stocktake{}, cycleWithField(err, "stocktake_no")
	}
	if st.Status == StocktakeClosed && st.EvidenceDigest != "" {
		return st, nil
	}
	if st.Status != StocktakeCounted && st.Status != StocktakeClosed {
		return Stocktake{}, ledger.Precondition(ReasonStocktakeState, "stocktake_no", "stocktake %s is %s; import its count first", no, st.Status)
	}
	for _, d := range st.Differences {
		if !d.Settled() {
			what := "its tax is unpaid (customs records the payment)"
			if d.Surplus() {
				what = "customs has not decided it"
			}
			return Stocktake{}, ledger.Precondition(ReasonUnsettled, "stocktake_no", "line %d %s of stocktake %s: %s; the write-off closes once every difference is settled", d.BookSeq, d.Status, no, what)
		}
	}
	if c.ev == nil {
		return Stocktake{}, errors.New("the write-off has no evidence service to seal with (Cycles.SetEvidence); the server wires one")
	}
	period, err := c.closePeriod(ctx, st)
	if err != nil {
		return Stocktake{}, cycleWithField(err, "stocktake_no")
	}
	if st.Status != StocktakeClosed {
		if _, err := c.zone.SetLastWriteOffDate(ctx, p, st.Book, st.Date); err != nil {
			return Stocktake{}, cycleWithField(err, "stocktake_no")
		}
	}
	sealed, err := c.ev.SealThrough(ctx, p, st.Book, st.Date)
	if err != nil {
		return Stocktake{}, cycleWithField(err, "stocktake_no")
	}
	return c.change(ctx, no, func(ctx context.Context, _ pgx.Tx, _ ledger.Journals, st *Stocktake) error {
		if st.Status == StocktakeClosed && st.EvidenceDigest != "" {
			return nil
		}
		if st.Status != StocktakeClosed {
			st.Status, st.ClosedBy, st.Digest = StocktakeClosed, p.ID, hex.EncodeToString(period.Digest)
		}
		st.EvidenceDigest, st.EvidenceThrough = hex.EncodeToString(sealed.Digest), sealed.Through
		return nil
	})
}

// closePeriod returns the ledger's sealed period covering the stocktake
// date: the first one ending on or after it, or, when there is none, the
// period it closes through the date (key "writeoff:" + the stocktake's
// number, so a retry finds it).
func (c *Cycles) closePeriod(ctx context.Context, st Stocktake) (ledger.Period, error) {
	covering := func() (ledger.Period, bool, error) {
		ps, err := c.ledger.Periods(ctx, st.Book)
		if err != nil {
			return ledger.Period{}, false, err
		}
		for _, q := range ps {
			if !q.Through.Before(st.Date) {
				return q, true, nil
			}
		}
		return ledger.Period{}, false, nil
	}
	if q, ok, err := covering(); err != nil || ok {
		return q, err
	}
	q, err := c.ledger.ClosePeriod(ctx, ledger.ClosePeriodRequest{Book: st.Book, Through: st.Date, IdempotencyKey: "writeoff:" + st.No})
	if ledger.ReasonOf(err) == ledger.ReasonBadPeriod {
		// Closed meanwhile by another caller.
		if q, ok, cerr := covering(); cerr == nil && ok {
			return q, nil
		}
	}
	return q, err
}
