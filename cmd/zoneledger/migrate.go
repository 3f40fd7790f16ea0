package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
)

func migrateCmd() *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "migrate up|status",
		Short: "Apply or list schema migrations of an existing database",
		Long: `Apply (up) or list (status) the schema migrations of the database at --database-url.
The embedded default migrates itself at start; use this for an existing PostgreSQL or CockroachDB.`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"up", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				return fmt.Errorf("--database-url is required")
			}
			ctx := cmd.Context()
			pool, err := pgxpool.New(ctx, url)
			if err != nil {
				return err
			}
			defer pool.Close()
			switch args[0] {
			case "up":
				return server.Migrate(ctx, pool)
			case "status":
				return printStatus(ctx, pool)
			}
			return fmt.Errorf("unknown action %q: use up or status", args[0])
		},
	}
	cmd.Flags().StringVar(&url, "database-url", os.Getenv("ZONELEDGER_DATABASE_URL"), "database to migrate (env ZONELEDGER_DATABASE_URL)")
	return cmd
}

func printStatus(ctx context.Context, pool *pgxpool.Pool) error {
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "COMPONENT\tVERSION\tNAME\tAPPLIED")
	for _, set := range server.MigrationSets() {
		st, err := set.Status(ctx, pool)
		if err != nil {
			return err
		}
		for _, s := range st {
			at := "pending"
			if s.Applied {
				at = s.AppliedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", set.Component, s.Version, s.Name, at)
		}
	}
	return w.Flush()
}
