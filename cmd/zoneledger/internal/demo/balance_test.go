package demo

import (
	"context"
	"errors"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/grpc"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// nonBondedAccounts are the book buckets of the balance's NON_BONDED
// status; every other bucket of a book is BONDED (customs/writeoff
// README, "Statuses").
var nonBondedAccounts = map[string]bool{"nonbonded": true, "nonbonded-reserved": true}

// checkEveryBalance: for every book of the demo, the bonded inventory
// balance from before its first movement to a day after its last
// (GetInventoryBalance) opens at zero and closes, on every line and
// status, at exactly what the ledger holds then (GetBalances): the
// movements classed by flow reproduce the book.
func checkEveryBalance(t *testing.T, conn *grpc.ClientConn, customs context.Context) {
	t.Helper()
	books := customsv1.NewBookServiceClient(conn)
	wo := customsv1.NewWriteOffServiceClient(conn)
	led := ledgerv1.NewLedgerServiceClient(conn)
	from, to := "2000-01-01", time.Now().AddDate(0, 0, 400).Format(time.DateOnly)
	var all []*customsv1.Book
	for token := ""; ; {
		page, err := books.ListBooks(customs, &customsv1.ListBooksRequest{PageSize: 1000, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.GetBooks()...)
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(all) < 3 {
		t.Fatalf("the demo has %d books", len(all))
	}
	checked := 0
	for _, b := range all {
		no := b.GetBookNo()
		held := map[string]decimal.Decimal{} // seq/status → quantity
		hs, err := led.GetBalances(customs, &ledgerv1.GetBalancesRequest{BookId: no, AsOf: to})
		if err != nil {
			t.Fatalf("GetBalances %s: %v", no, err)
		}
		for _, h := range hs.GetBalances() {
			if h.GetItemBookId() != no || h.GetAccount().GetBookId() != no {
				continue
			}
			st := customsv1.BalanceStatus_BALANCE_STATUS_BONDED
			if nonBondedAccounts[h.GetAccount().GetName()] {
				st = customsv1.BalanceStatus_BALANCE_STATUS_NON_BONDED
			}
			k := h.GetItemCode() + "/" + st.String()
			held[k] = held[k].Add(d(h.GetQuantity()))
		}
		stream, err := wo.GetInventoryBalance(customs, &customsv1.GetInventoryBalanceRequest{BookNo: no, From: from, To: to})
		if err != nil {
			t.Fatalf("GetInventoryBalance %s: %v", no, err)
		}
		seen := map[string]bool{}
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("GetInventoryBalance %s: %v", no, err)
			}
			for _, l := range m.GetLines() {
				k := strconv.Itoa(int(l.GetBookSeq())) + "/" + l.GetStatus().String()
				seen[k] = true
				q := func(a *customsv1.BalanceAmount) decimal.Decimal { return stockQty(a.GetQuantity()) }
				if !q(l.GetOpening()).IsZero() {
					t.Errorf("book %s line %s opens at %s on %s, before any movement", no, k, q(l.GetOpening()), from)
				}
				if !q(l.GetClosing()).Equal(held[k]) {
					t.Errorf("book %s line %s: the balance closes at %s, the ledger holds %s", no, k, q(l.GetClosing()), held[k])
				}
				if !q(l.GetOpening()).Add(q(l.GetIn())).Sub(q(l.GetOut())).Sub(q(l.GetConsumed())).Equal(q(l.GetClosing())) {
					t.Errorf("book %s line %s does not add up: %v", no, k, l)
				}
				checked++
			}
		}
		for k, v := range held {
			if !seen[k] && !v.IsZero() {
				t.Errorf("book %s holds %s of %s, which its balance has no row for", no, v, k)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no balance row checked")
	}
	if !t.Failed() {
		t.Logf("the balance of %d books, %d rows, reproduces the ledger", len(all), checked)
	}
}
