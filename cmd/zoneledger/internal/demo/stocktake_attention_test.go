package demo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// checkStocktake: the month-end stocktake has one shortage, taxed and
// paid to the fen, and one surplus, approved; it is closed and the book's
// last write-off date is its date; before the payment the book's attention
// list showed the shortage unpaid with its tax; the attention list printed
// is the server's (asked again here) and the report prints its figures.
func checkStocktake(t *testing.T, res *Result, out string, conn *grpc.ClientConn, customs context.Context) {
	t.Helper()
	sr := res.Stocktake
	if sr == nil || sr.Stocktake == nil {
		t.Fatal("no stocktake scene")
	}
	st := sr.Stocktake
	if st.GetStatus() != "CLOSED" || st.GetShortages() != 1 || st.GetSurpluses() != 1 || st.GetUnsettled() != 0 || st.GetDigest() == "" {
		t.Errorf("stocktake %v", st)
	}
	if len(st.GetEvidenceDigest()) != 64 || st.GetEvidenceThrough() != st.GetDate() || !sr.Evidence.Match || sr.Evidence.Records < 2 ||
		!strings.Contains(out, "digest "+st.GetEvidenceDigest()+"; its export") {
		t.Errorf("the close's evidence: digest %q through %q, check %+v", st.GetEvidenceDigest(), st.GetEvidenceThrough(), sr.Evidence)
	}
	var shortage, surplus *customsv1.Difference
	for _, d := range sr.Differences {
		switch {
		case d.GetDifference() == "-1" || d.GetDifference() == "-1.000":
			shortage = d
		case d.GetDifference() == "1":
			surplus = d
		}
	}
	if len(sr.Differences) != 2 || shortage == nil || surplus == nil {
		t.Fatalf("differences %v", sr.Differences)
	}
	if shortage.GetBookSeq() != stocktakeShortSeq || shortage.GetTaxableEventId() == 0 || shortage.GetTax() == "" || shortage.GetTax() == "0.00" ||
		shortage.GetPayment().GetAmount() != shortage.GetTax() || !shortage.GetSettled() {
		t.Errorf("shortage %v", shortage)
	}
	if surplus.GetBookSeq() != stocktakeSurplusSeq || surplus.GetDecision() != "APPROVED" || surplus.GetJournalId() == 0 || !surplus.GetSettled() {
		t.Errorf("surplus %v", surplus)
	}
	if len(sr.Unpaid) != 1 || sr.Unpaid[0].GetKind() != "SHORTAGE_UNPAID" || sr.Unpaid[0].GetAmount() != shortage.GetTax() || sr.Unpaid[0].GetDocuments()[0] != st.GetStocktakeNo() {
		t.Errorf("the book's attention list before the payment: %v", sr.Unpaid)
	}
	b, err := customsv1.NewBookServiceClient(conn).GetBook(customs, &customsv1.GetBookRequest{BookNo: sr.Book})
	if err != nil || b.GetBook().GetLastWriteOffDate() != st.GetDate() {
		t.Errorf("the book after the close: %v %v", b, err)
	}
	// The balance: opening + in − out − consumed = closing on every row,
	// and the book's aluminium sheet closes at what was counted.
	counted := false
	for _, l := range sr.Balance {
		q := func(a *customsv1.BalanceAmount) decimal.Decimal { return stockQty(a.GetQuantity()) }
		if !q(l.GetOpening()).Add(q(l.GetIn())).Sub(q(l.GetOut())).Sub(q(l.GetConsumed())).Equal(q(l.GetClosing())) {
			t.Errorf("balance row %d %s does not add up: %v", l.GetBookSeq(), l.GetStatus(), l)
		}
		if l.GetBookSeq() == stocktakeShortSeq && l.GetStatus() == customsv1.BalanceStatus_BALANCE_STATUS_BONDED {
			counted = q(l.GetClosing()).Equal(stockQty(shortage.GetCounted()))
		}
	}
	if !counted {
		t.Errorf("the balance's bonded aluminium sheet does not close at the %s counted: %v", shortage.GetCounted(), sr.Balance)
	}
	wo := customsv1.NewWriteOffServiceClient(conn)
	var again []*customsv1.AttentionItem
	token := ""
	for {
		page, err := wo.ListAttention(customs, &customsv1.ListAttentionRequest{AsOf: sr.AsOf, PageSize: 1000, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		again = append(again, page.GetItems()...)
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(again) != len(sr.Attention) || len(again) == 0 {
		t.Fatalf("the attention list has %d rows now, the demo printed %d", len(again), len(sr.Attention))
	}
	for i := range again {
		if again[i].GetKind() != sr.Attention[i].GetKind() || strings.Join(again[i].GetDocuments(), " ") != strings.Join(sr.Attention[i].GetDocuments(), " ") {
			t.Errorf("attention row %d: %v now, %v printed", i, again[i], sr.Attention[i])
		}
	}
	kinds, n := attentionKinds(again)
	for _, k := range kinds {
		if k == "SHORTAGE_UNPAID" || !strings.Contains(out, fmt.Sprintf("%s %d", k, n[k])) {
			t.Errorf("the report's tally lacks %s %d (or lists an unpaid shortage after the payment)", k, n[k])
		}
	}
	for _, s := range []string{"21. The month ends", "GetInventoryBalance", st.GetStocktakeNo(), shortage.GetTax(), "APPROVED", fmt.Sprintf("%d rows (", len(again))} {
		if !strings.Contains(out, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
}
