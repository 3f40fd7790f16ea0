package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

func (a *app) booksCmd() *cobra.Command {
	return group("books", "Create, show and list account books",
		a.booksCreateCmd(), a.booksGetCmd(), a.booksListCmd(), a.booksAddAccountsCmd())
}

func (a *app) booksCreateCmd() *cobra.Command {
	req := &ledgerv1.CreateBookRequest{}
	var attrFlags []string
	c := &cobra.Command{
		Use:   "create BOOK",
		Short: "Create a book with its initial accounts",
		Long: `Create a book owned by an enterprise, with its initial accounts (buckets).
Repeating the same command is safe: the existing book is returned; the same
BOOK with a different body is refused (ALREADY_EXISTS).`,
		Example: `  zonectl books create H12345678901 --owner 3201234567 --name "Bonded stock" \
      --account bonded --account nonbonded --attr kind=processing`,
		Args: exactArgs(1, "BOOK"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			var err error
			if req.Attributes, err = parseAttrs("attr", attrFlags); err != nil {
				return err
			}
			req.BookId = args[0]
			return sendShow(a, cmd, bookView, ledgerv1.LedgerServiceClient.CreateBook, req)
		}),
	}
	c.Flags().StringVar(&req.Owner, "owner", "", "enterprise id the book belongs to (required)")
	c.Flags().StringVar(&req.Name, "name", "", "human-readable name")
	c.Flags().StringSliceVar(&req.Accounts, "account", nil, "initial account name; repeat or separate with commas")
	c.Flags().StringArrayVar(&attrFlags, "attr", nil, "attribute KEY=VALUE; repeatable")
	required(c, "owner")
	return c
}

func (a *app) booksGetCmd() *cobra.Command {
	req := &ledgerv1.GetBookRequest{}
	return &cobra.Command{
		Use:     "get BOOK",
		Short:   "Show one book",
		Example: "  zonectl books get H12345678901 -o json",
		Args:    exactArgs(1, "BOOK"),
		RunE:    runShow(a, bookView, sendArg(ledgerv1.LedgerServiceClient.GetBook, req, &req.BookId)),
	}
}

func (a *app) booksListCmd() *cobra.Command {
	req := &ledgerv1.ListBooksRequest{}
	return leaf(&cobra.Command{
		Use:     "list",
		Short:   "List the books you may read (all pages)",
		Example: "  zonectl books list --owner 3201234567 -o csv",
		RunE:    runPages(a, bookView, sendPages(ledgerv1.LedgerServiceClient.ListBooks, req)),
	}, flagSpec{&req.Owner, "owner", "only books of this enterprise"})
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
	return &cobra.Command{
		Use:   "add-accounts BOOK ACCOUNT...",
		Short: "Add accounts (buckets) to a book",
		Long: `Add accounts (buckets) to a book. Accounts that already exist are kept as they
are, so repeating the command is safe.`,
		Example: "  zonectl books add-accounts H12345678901 awaiting-repair repaired",
		Args:    minArgs(2, "BOOK and at least one ACCOUNT"),
		RunE: runShow(a, bookView, func(ctx context.Context, c *clients, args []string) (*ledgerv1.AddBookAccountsResponse, error) {
			return c.ledger.AddBookAccounts(ctx, &ledgerv1.AddBookAccountsRequest{BookId: args[0], Accounts: args[1:]})
		}),
	}
}

func (a *app) worldCmd() *cobra.Command {
	return group("world", "Manage world accounts (outside every book)", &cobra.Command{
		Use:   "ensure NAME...",
		Short: "Create world accounts if they do not exist (admin and customs)",
		Long: `Create the named world accounts (abroad, domestic, consumed, destroyed, ...)
if they do not exist yet. Idempotent. Admin and customs only.`,
		Example: "  zonectl world ensure abroad domestic consumed destroyed",
		Args:    minArgs(1, "at least one NAME"),
		RunE: a.act(func(cmd *cobra.Command, args []string) error {
			resp, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (*ledgerv1.EnsureWorldAccountsResponse, error) {
				return c.ledger.EnsureWorldAccounts(ctx, &ledgerv1.EnsureWorldAccountsRequest{Names: args})
			})
			if err != nil {
				return err
			}
			if a.format == output.JSON {
				return output.One(a.stdout, a.format, resp, nil)
			}
			rows := make([][]string, len(resp.GetNames()))
			for i, n := range resp.GetNames() {
				rows[i] = []string{n}
			}
			return output.Rows(a.stdout, a.format, []string{"world_account"}, rows)
		}),
	})
}
