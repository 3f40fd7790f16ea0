package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/demo"
	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
)

func demoCmd() *cobra.Command {
	var (
		dataDir    string
		keep       bool
		listen     string
		days       int
		seed       uint64
		noProgress bool
		logLevel   string
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a month of a bonded zone against an embedded server",
		Long: `Start the server with its embedded PostgreSQL in a fresh temporary data
directory and, over gRPC as real clients would, set up a comprehensive bonded
zone (customs, a processing manufacturer with an H book, a logistics firm with
a TW book, an R&D firm, a zone platform) and file a month of movements:
imports, production, exports, domestic sales, co-stored non-bonded goods, an
intra-zone transfer, R&D usage, a few refused filings and a correction. Then
customs seals the logistics book's period and verifies it. The report shows
the balances, one line's per-day totals and the period digest.

The temporary data directory is removed at the end. --data-dir keeps the data
in a directory of your choice (it must not hold a zoneledger yet); --keep
leaves the server running until Ctrl-C and prints how to connect.`,
		Example: `  zoneledger demo
  zoneledger demo --keep
  zoneledger demo --data-dir ./demo-data --keep --listen 127.0.0.1:7420`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			began := time.Now()
			ctx := cmd.Context()
			stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if days < 0 || days > 31 {
				return errors.New("--days must be between 1 and 31 (0: the whole month)")
			}

			dir, cleanup, err := demoDataDir(dataDir)
			if err != nil {
				return err
			}
			defer cleanup()

			logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: parseLevel(logLevel)}))
			fmt.Fprintf(stdout, "zoneledger demo: a month in a comprehensive bonded zone (综合保税区), customs office 4601\n\n")
			fmt.Fprintf(stdout, "Starting the server with an embedded PostgreSQL in %s ...\n", dir)
			s, err := server.Start(ctx, server.Config{DataDir: dir, Listen: listen, Logger: logger})
			if err != nil {
				return err
			}
			stopped := false
			stop := func() error {
				if stopped {
					return nil
				}
				stopped = true
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
				defer cancel()
				return s.Stop(sctx)
			}
			defer stop()
			fmt.Fprintf(stdout, "Server listening on %s (started in %s)\n\n", s.Addr, time.Since(began).Round(time.Millisecond))

			tok, err := os.ReadFile(s.AdminTokenFile)
			if err != nil {
				return fmt.Errorf("reading the admin token: %w", err)
			}
			opts := demo.Options{Addr: s.Addr, AdminToken: strings.TrimSpace(string(tok)), Days: days, Seed: seed, Out: stdout}
			if !noProgress {
				opts.Progress = stderr
			}
			if keep {
				opts.TokenDir = filepath.Join(dir, "tokens")
			}
			res, runErr := demo.Run(ctx, opts)
			if runErr != nil && res == nil {
				return runErr
			}
			if runErr != nil {
				fmt.Fprintln(stdout)
				return runErr
			}
			if keep {
				printConnectHelp(stdout, s.Addr, s.AdminTokenFile, res, dataDir == "")
				fmt.Fprintf(stdout, "Wall time until ready: %s. The server keeps running; press Ctrl-C to stop it.\n", time.Since(began).Round(time.Millisecond))
				select {
				case <-ctx.Done():
				case err := <-s.Done():
					return fmt.Errorf("the server stopped: %w", err)
				}
				fmt.Fprintln(stdout, "\nStopping ...")
			}
			if err := stop(); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Wall time (server start, demo, server stop): %s\n", time.Since(began).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dataDir, "data-dir", "", "keep the server's data in this directory (default: a temporary directory, removed at the end)")
	f.BoolVar(&keep, "keep", false, "leave the server running after the demo until Ctrl-C, and print how to connect")
	f.StringVar(&listen, "listen", "127.0.0.1:0", "gRPC listen address (default: a free port on 127.0.0.1)")
	f.IntVar(&days, "days", 0, "simulate only the first N days of October 2026 (default: all 31)")
	f.Uint64Var(&seed, "seed", demo.DefaultSeed, "seed of the month's content (the same seed gives the same month)")
	f.BoolVar(&noProgress, "no-progress", false, "do not show the progress bar")
	f.StringVar(&logLevel, "log-level", "warn", "server log level on stderr: debug, info, warn, error")
	return cmd
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelWarn
	}
	return l
}

// demoDataDir returns the data directory to use and how to clean it up. A
// temporary directory is made searchable by others (0711) so that the
// embedded PostgreSQL, which runs as the postgres user when we are root, can
// reach its cluster inside it; it is removed by cleanup. A given directory
// is kept, and must not hold a zoneledger already (the demo's idempotency
// keys would replay).
func demoDataDir(dataDir string) (string, func(), error) {
	if dataDir == "" {
		dir, err := os.MkdirTemp("", "zoneledger-demo-")
		if err != nil {
			return "", nil, err
		}
		if err := os.Chmod(dir, 0o711); err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return "", nil, err
	}
	for _, marker := range []string{"admin.token", "pg", "pg.location"} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return "", nil, fmt.Errorf("%s already holds a zoneledger (found %s): the demo needs a fresh data directory; choose another --data-dir or remove it", dir, marker)
		}
	}
	if err := os.MkdirAll(dir, 0o711); err != nil {
		return "", nil, err
	}
	return dir, func() {}, nil
}

func printConnectHelp(w io.Writer, addr, adminTokenFile string, res *demo.Result, temporary bool) {
	fmt.Fprintf(w, "\nThe server is still running. Connect with:\n\n")
	fmt.Fprintf(w, "  %-14s %s (plaintext gRPC, reflection on)\n", "address", addr)
	fmt.Fprintf(w, "  %-14s %s\n", "admin", adminTokenFile)
	for _, id := range []string{"customs-4601", "qiongxin", "huandao", "haiyan", "zone-platform"} {
		if f, ok := res.TokenFiles[id]; ok {
			fmt.Fprintf(w, "  %-14s %s\n", id, f)
		}
	}
	cf := res.TokenFiles["customs-4601"]
	fmt.Fprintf(w, "\nFor example:\n\n")
	fmt.Fprintf(w, "  zonectl --addr %s --token-file %s balances --book T4601W000123\n", addr, cf)
	fmt.Fprintf(w, "  grpcurl -plaintext -H \"authorization: Bearer $(cat %s)\" -d '{\"book_id\":\"H4601A000045\"}' \\\n      %s zoneledger.ledger.v1.LedgerService/GetBalances\n\n", cf, addr)
	if temporary {
		fmt.Fprintf(w, "The temporary data directory is removed when the server stops; use --data-dir to keep it.\n")
	}
}
