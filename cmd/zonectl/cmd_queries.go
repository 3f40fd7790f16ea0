package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func (a *app) balancesCmd() *cobra.Command {
	req := &ledgerv1.GetBalancesRequest{}
	return leaf(&cobra.Command{
		Use:   "balances",
		Short: "Show the holdings of a book (quantity and value per account and item)",
		Long: `Show the holdings (account, item[, lot]) of a book with their quantity and
value, as of the end of an effective date (default: now).`,
		Example: `  zonectl balances --book H12345678901
  zonectl balances --book H12345678901 --account bonded --item 1 --as-of 2026-03-31 --by-lot -o csv`,
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			v := balanceView
			if req.ByLot {
				v = balanceLotView
			}
			return showAll(a, cmd, v, func(ctx context.Context, c *clients) ([]*ledgerv1.Balance, error) {
				resp, err := c.ledger.GetBalances(ctx, req)
				return resp.GetBalances(), err
			})
		}),
	}, flagSpec{&req.BookId, "book", "book identifier (required)"},
		flagSpec{&req.Account, "account", "only this account of the book"},
		flagSpec{&req.ItemCode, "item", "only this item code"},
		flagSpec{&req.AsOf, "as-of", "balances at the end of this effective date, YYYY-MM-DD"},
		flagSpec{&req.ByLot, "by-lot", "split holdings by lot"})
}

func (a *app) totalsCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "totals", method: ledgerv1.LedgerService_GetDayTotals_FullMethodName,
		short:   "Show per-day in/out totals of a book over a date range",
		example: "  zonectl totals --book H12345678901 --from 2026-03-01 --to 2026-03-31 --account bonded -o csv",
		bind:    "from=from_date to=to_date"}, dayTotalView)
}

func (a *app) periodsCmd() *cobra.Command {
	return group("periods", "Close, list and verify sealed write-off periods",
		a.periodsCloseCmd(), a.periodsListCmd(), a.periodsVerifyCmd())
}

func (a *app) periodsCloseCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "close", method: ledgerv1.LedgerService_ClosePeriod_FullMethodName,
		short: "Seal the open period of a book through a date",
		more: `The idempotency key defaults to "close:BOOK:THROUGH", so repeating the same
command returns the period sealed the first time.`,
		example: "  zonectl periods close --book H12345678901 --through 2026-03-31",
		bind:    "key=idempotency_key?close:{book_id}:{through}"}, periodView)
}

func (a *app) periodsListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: ledgerv1.LedgerService_ListPeriods_FullMethodName,
		short: "List the sealed periods of a book, oldest first (all pages)", example: "  zonectl periods list --book H12345678901"}, periodView)
}

func (a *app) periodsVerifyCmd() *cobra.Command {
	var book string
	return leaf(&cobra.Command{
		Use:   "verify",
		Short: "Recompute every sealed period's digest and chain (exit 1 if not ok)",
		Long: `Recompute every sealed period's digest and chain link of a book from the
stored journals and report mismatches, with how many periods and journals
were checked. A book with no sealed period yet is reported as such ("nothing
sealed yet", exit 0): there is no history to verify. The exit code is 1 when
the history does not verify.`,
		Example: "  zonectl periods verify --book H12345678901",
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*ledgerv1.VerifyPeriodsResponse, error) {
				return c.ledger.VerifyPeriods(ctx, &ledgerv1.VerifyPeriodsRequest{BookId: book})
			})
			if err != nil {
				return err
			}
			if err := a.printVerify(book, resp); err != nil {
				return err
			}
			if !resp.GetOk() {
				a.note("error: the sealed periods of book %s do not verify: %d problem(s)", book, len(resp.GetProblems()))
				return errReported
			}
			return nil
		}),
	}, flagSpec{&book, "book", "book identifier (required)"})
}

func (a *app) printVerify(book string, resp *ledgerv1.VerifyPeriodsResponse) error {
	switch a.format {
	case output.JSON:
		return output.One(a.stdout, a.format, resp, nil)
	case output.CSV:
		rows := [][]string{}
		n := strconv.Itoa(int(resp.GetPeriodsChecked()))
		for _, p := range resp.GetProblems() {
			rows = append(rows, []string{book, strconv.FormatBool(resp.GetOk()), p, n})
		}
		if len(rows) == 0 {
			rows = append(rows, []string{book, strconv.FormatBool(resp.GetOk()), "", n})
		}
		return output.Rows(a.stdout, a.format, []string{"book_id", "ok", "problem", "periods_checked"}, rows)
	}
	if resp.GetOk() && resp.GetPeriodsChecked() == 0 {
		_, err := fmt.Fprintf(a.stdout, "book %s: nothing sealed yet: no period was ever closed, so there is no history to verify (close one with 'zonectl periods close')\n", book)
		return err
	}
	if resp.GetOk() {
		_, err := fmt.Fprintf(a.stdout, "book %s: ok: %d sealed period(s), %d journal(s): every digest and chain link match\n", book, resp.GetPeriodsChecked(), resp.GetJournalsChecked())
		return err
	}
	fmt.Fprintf(a.stdout, "book %s: NOT OK\n", book)
	for _, p := range resp.GetProblems() {
		fmt.Fprintf(a.stdout, "  - %s\n", p)
	}
	return nil
}
