package main

import (
	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func (a *app) booksCmd() *cobra.Command {
	return group("books", "Create, show and list account books",
		a.booksCreateCmd(), a.booksGetCmd(), a.booksListCmd(), a.booksAddAccountsCmd())
}

func (a *app) booksCreateCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "create", method: ledgerv1.LedgerService_CreateBook_FullMethodName,
		short: "Create a book with its initial accounts",
		example: `  zonectl books create H12345678901 --owner 3201234567 --name "Bonded stock" \
      --account bonded --account nonbonded --attr kind=processing`,
		bind: "BOOK=book_id account=accounts, attr=attributes"}, bookView)
}

func (a *app) booksGetCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "get", method: ledgerv1.LedgerService_GetBook_FullMethodName,
		short: "Show one book", example: "  zonectl books get H12345678901 -o json", bind: "BOOK=book_id"}, bookView)
}

func (a *app) booksListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: ledgerv1.LedgerService_ListBooks_FullMethodName,
		short: "List the books you may read (all pages)", example: "  zonectl books list --owner 3201234567 -o csv"}, bookView)
}

// closeList finishes a list even when fetching failed half way, so that what
// was printed is well-formed, and returns the first error. When nothing was
// received, it prints nothing (not even the header).
func closeList(l *output.List, err error) error {
	if err != nil && l.Len() == 0 {
		return err
	}
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	return err
}

func (a *app) booksAddAccountsCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "add-accounts", method: ledgerv1.LedgerService_AddBookAccounts_FullMethodName,
		short:   "Add accounts (buckets) to a book",
		example: "  zonectl books add-accounts H12345678901 awaiting-repair repaired", bind: "BOOK=book_id ACCOUNT...=accounts"}, bookView)
}

// worldAccountView prints the world accounts that now exist, one a row.
var worldAccountView = view[*ledgerv1.EnsureWorldAccountsResponse]{header: []string{"world_account"},
	rows: func(r *ledgerv1.EnsureWorldAccountsResponse) [][]string {
		rows := make([][]string, len(r.GetNames()))
		for i, n := range r.GetNames() {
			rows[i] = []string{n}
		}
		return rows
	}}

func (a *app) worldCmd() *cobra.Command {
	return group("world", "Manage world accounts (outside every book)",
		rpcCmd(a, rpcSpec{use: "ensure", method: ledgerv1.LedgerService_EnsureWorldAccounts_FullMethodName,
			short:   "Create world accounts if they do not exist (admin and customs)",
			example: "  zonectl world ensure abroad domestic consumed destroyed", bind: "NAME...=names"}, worldAccountView))
}
