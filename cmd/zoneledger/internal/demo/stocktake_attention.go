package demo

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	"github.com/zoneledger/zoneledger/proto/zoneledger/evidence"
)

// The month-end scene (section 21): the manufacturer's book is written
// off. The enterprise sets its cycle, customs its start; the enterprise
// notifies a stocktake today and imports its count — the book as the
// server reports it, but 1 kg of aluminium sheet short and one power
// supply found over. The shortage is taxed by the server and its
// self-payment recorded by customs; the surplus is explained and
// approved; the write-off closes, sealing the book's evidence, whose export
// is checked against the digest the stocktake shows. Then customs'
// attention list for every book. Every figure printed is the server's.

// StocktakeResult is the month-end scene as the server answered it.
type StocktakeResult struct {
	Book      string
	Cycle     *customsv1.WriteOffCycle
	Stocktake *customsv1.Stocktake
	// Count is the count file sent.
	Count string
	// Differences are the stocktake's differences once settled.
	Differences []*customsv1.Difference
	// Unpaid is the book's attention list after the count, before the
	// payment.
	Unpaid []*customsv1.AttentionItem
	// Balance is the book's bonded inventory balance (GetInventoryBalance)
	// from the cycle's start to the stocktake date, after the close.
	Balance []*customsv1.BalanceLine
	// Attention is customs' attention list for every book at the end;
	// AsOf its date.
	Attention []*customsv1.AttentionItem
	AsOf      string
	// Evidence is the check of the export of the evidence the close
	// sealed against the stocktake's evidence digest.
	Evidence evidence.Report
}

// Which lines the count differs on.
const (
	stocktakeShortSeq   = 1 // aluminium sheet: 1 kg short
	stocktakeSurplusSeq = 2 // power supply: one found over
)

func runStocktake(ctx context.Context, c *client, cast *logisticsCast, today time.Time) (*StocktakeResult, error) {
	nd, cu := cast.Nandu.Principal, "customs-4601"
	p := &play{ctx: ctx, c: c}
	book := manufacturingBook
	day := today.Format(time.DateOnly)
	res := &StocktakeResult{Book: book, AsOf: day}
	do(p, nd, c.writeOff.SetCycle, &customsv1.SetCycleRequest{BookNo: book, Months: 12})
	start := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -2, 0).Format(time.DateOnly)
	res.Cycle = do(p, cu, c.writeOff.SetCycleStart, &customsv1.SetCycleStartRequest{BookNo: book, Start: start}).GetCycle()
	no := do(p, nd, c.writeOff.NotifyStocktake, &customsv1.NotifyStocktakeRequest{InnerNo: "NDPD-" + day, BookNo: book, Date: day}).GetStocktake().GetStocktakeNo()

	// The count: what the server says the book holds, with the two
	// differences.
	var count strings.Builder
	count.WriteString("book_seq,status,quantity\n")
	for _, l := range stockReport(p, nd, book) {
		bonded := stockQty(l.GetBonded()).Add(stockQty(l.GetReserved()))
		switch l.GetBookSeq() {
		case stocktakeShortSeq:
			bonded = bonded.Sub(decimal.NewFromInt(1))
		case stocktakeSurplusSeq:
			bonded = bonded.Add(decimal.NewFromInt(1))
		}
		fmt.Fprintf(&count, "%d,BONDED,%s\n", l.GetBookSeq(), bonded)
		if nb := stockQty(l.GetNonBonded()).Add(stockQty(l.GetNonBondedReserved())); nb.IsPositive() {
			fmt.Fprintf(&count, "%d,NONBONDED,%s\n", l.GetBookSeq(), nb)
		}
	}
	res.Count = count.String()
	if p.err != nil {
		return res, p.err
	}
	sctx, cancel := p.as(nd)
	defer cancel()
	stream, err := c.writeOff.ImportStocktake(sctx)
	if err == nil {
		err = stream.Send(&customsv1.ImportStocktakeRequest{StocktakeNo: no, IdempotencyKey: "NDPD-count-" + day, Format: customsv1.CountFileFormat_COUNT_FILE_FORMAT_CSV, Chunk: []byte(res.Count)})
	}
	if err == nil {
		_, err = stream.CloseAndRecv()
	}
	if err != nil {
		return res, fmt.Errorf("ImportStocktake %s: %w", no, err)
	}
	res.Unpaid = do(p, cu, c.writeOff.ListAttention, &customsv1.ListAttentionRequest{BookNo: book, AsOf: day}).GetItems()

	for _, d := range do(p, cu, c.writeOff.ListDifferences, &customsv1.ListDifferencesRequest{StocktakeNo: no}).GetDifferences() {
		switch {
		case strings.HasPrefix(d.GetDifference(), "-") && d.GetTaxableEventId() != 0:
			do(p, cu, c.writeOff.RecordShortagePayment, &customsv1.RecordShortagePaymentRequest{StocktakeNo: no, BookSeq: d.GetBookSeq(),
				PaymentNo: fmt.Sprintf("4601%s%04d", strings.ReplaceAll(day, "-", ""), d.GetBookSeq()), Amount: d.GetTax(), Date: day})
		case !strings.HasPrefix(d.GetDifference(), "-"):
			do(p, nd, c.writeOff.ExplainSurplus, &customsv1.ExplainSurplusRequest{StocktakeNo: no, BookSeq: d.GetBookSeq(), Status: d.GetStatus(),
				Explanation: "a power supply returned by the line as faulty was booked out twice", Value: "120.00"})
			do(p, cu, c.writeOff.DecideSurplus, &customsv1.DecideSurplusRequest{StocktakeNo: no, BookSeq: d.GetBookSeq(), Status: d.GetStatus(),
				Approve: true, Note: "checked against the line's repair log"})
		}
	}
	res.Differences = do(p, cu, c.writeOff.ListDifferences, &customsv1.ListDifferencesRequest{StocktakeNo: no}).GetDifferences()
	res.Stocktake = do(p, nd, c.writeOff.CloseWriteOff, &customsv1.CloseWriteOffRequest{StocktakeNo: no}).GetStocktake()
	if p.err != nil {
		return res, p.err
	}
	// The close sealed the book's evidence: check its export against the
	// digest the stocktake shows, as 'zonectl verify' does.
	verifyEvidence(p, cu, book, res.Stocktake.GetEvidenceThrough(), res.Stocktake.GetEvidenceDigest(), &res.Evidence)

	for _, m := range receive(p, cu, c.writeOff.GetInventoryBalance, &customsv1.GetInventoryBalanceRequest{BookNo: book, From: res.Cycle.GetStart(), To: day}) {
		res.Balance = append(res.Balance, m.GetLines()...)
	}

	res.Attention = pages(p, cu, c.writeOff.ListAttention, func(tok string) *customsv1.ListAttentionRequest {
		return &customsv1.ListAttentionRequest{AsOf: day, PageSize: 1000, PageToken: tok}
	}, (*customsv1.ListAttentionResponse).GetItems)
	return res, p.err
}

// attentionKinds counts rows by kind, in kind order.
func attentionKinds(items []*customsv1.AttentionItem) ([]string, map[string]int) {
	n := map[string]int{}
	for _, it := range items {
		n[it.GetKind()]++
	}
	return slices.Sorted(maps.Keys(n)), n
}

func printStocktake(w io.Writer, sr *StocktakeResult) {
	st := sr.Stocktake
	fmt.Fprintf(w, "21. The month ends: a stocktake written off on %s, and what needs customs' attention (WriteOffService)\n\n", sr.Book)
	fmt.Fprintf(w, "  cycle           %d months from %s, this one ends %s\n", sr.Cycle.GetMonths(), sr.Cycle.GetStart(), sr.Cycle.GetCurrentEnd())
	fmt.Fprintf(w, "  stocktake       %s on %s: %d rows counted, %d shortage(s), %d surplus(es); %s, period sealed, digest %s\n",
		st.GetStocktakeNo(), st.GetDate(), st.GetRows(), st.GetShortages(), st.GetSurpluses(), st.GetStatus(), st.GetDigest())
	verdict := "matches"
	if !sr.Evidence.Match {
		verdict = fmt.Sprintf("DOES NOT match: %v", sr.Evidence.Problems)
	}
	fmt.Fprintf(w, "  evidence        sealed by the close through %s, digest %s; its export (%d records) recomputed from the file alone %s\n\n",
		st.GetEvidenceThrough(), st.GetEvidenceDigest(), sr.Evidence.Records, verdict)
	t := newTable("line", "status", "name", "booked", "counted", "difference", "value", "duty", "vat", "interest", "tax", "settled by")
	for _, d := range sr.Differences {
		by := ""
		if p := d.GetPayment(); p != nil {
			by = "paid " + p.GetAmount() + " (" + p.GetPaymentNo() + ")"
		} else if d.GetDecision() != "" {
			by = d.GetDecision() + ": " + d.GetExplanation()
		}
		t.add(fmt.Sprint(d.GetBookSeq()), strings.TrimPrefix(d.GetStatus().String(), "COUNT_STATUS_"), d.GetName(), d.GetBooked(), d.GetCounted(), d.GetDifference(),
			d.GetValue(), d.GetDuty(), d.GetVat(), d.GetInterest(), d.GetTax(), by)
	}
	t.render(w, "    ")
	fmt.Fprintf(w, "\n  The book's bonded inventory balance from %s to %s after the write-off (GetInventoryBalance):\n\n", sr.Cycle.GetStart(), sr.AsOf)
	b := newTable("line", "name", "status", "opening", "in", "out", "consumed", "scrap made", "closing", "closing value")
	for _, l := range sr.Balance {
		if l.GetOpening().GetQuantity() == "0" && l.GetIn().GetQuantity() == "0" && l.GetOut().GetQuantity() == "0" && l.GetConsumed().GetQuantity() == "0" {
			continue
		}
		b.add(fmt.Sprint(l.GetBookSeq()), l.GetName(), strings.TrimPrefix(l.GetStatus().String(), "BALANCE_STATUS_"), l.GetOpening().GetQuantity(),
			l.GetIn().GetQuantity(), l.GetOut().GetQuantity(), l.GetConsumed().GetQuantity(), l.GetScrapMade().GetQuantity(),
			l.GetClosing().GetQuantity(), l.GetClosing().GetValue())
	}
	b.render(w, "    ")
	fmt.Fprintf(w, "\n  Before the payment, the book's attention list (ListAttention):\n\n")
	writeAttention(w, sr.Unpaid)
	kinds, n := attentionKinds(sr.Attention)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
	}
	fmt.Fprintf(w, "\n  What needs customs' attention on every book as of %s: %d rows (%s). The oldest:\n\n", sr.AsOf, len(sr.Attention), strings.Join(parts, ", "))
	writeAttention(w, sr.Attention[:min(len(sr.Attention), 8)])
	fmt.Fprintln(w)
}

func writeAttention(w io.Writer, items []*customsv1.AttentionItem) {
	t := newTable("since", "days", "kind", "book", "documents", "quantity", "amount", "note")
	for _, it := range items {
		t.add(it.GetSince(), fmt.Sprint(it.GetDays()), it.GetKind(), it.GetBookNo(), strings.Join(it.GetDocuments(), " "), it.GetQuantity(), it.GetAmount(), it.GetNote())
	}
	t.render(w, "    ")
}

// stockQty reads a quantity of the stock report ("" is zero).
func stockQty(s string) decimal.Decimal {
	if s == "" {
		return decimal.Zero
	}
	return d(s)
}
