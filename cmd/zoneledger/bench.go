package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/bench"
	"github.com/zoneledger/zoneledger/ledger"
)

// Defaults of the bench's timing flags.
const (
	defaultBenchDuration = 20 * time.Second
	defaultBenchWarmup   = 2 * time.Second
)

func benchCmd() *cobra.Command {
	var cfg bench.Config
	var asJSON, noProgress bool
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Load-test a server over gRPC",
		Long: `File journals over gRPC from many concurrent clients and report throughput,
call latency percentiles, errors and the server's peak memory.

Each journal has two postings of one item: abroad -> bonded (with a value),
then bonded -> domestic, so stock never runs out. Workloads: uniform (each
journal one of --items items of one book) and hot (every journal the same item
and account).

Without --addr the bench starts its own server: an embedded PostgreSQL in a
temporary directory and this binary's 'serve' as a child process on it, so the
server's resident memory (VmHWM) is measured apart from the bench. With
--pgbench it then runs pgbench (-i -s 10; -c 8 -j 2 -T <duration>) on another
database of the same PostgreSQL as a reference.

With --addr it uses an existing server: --token must be an admin token (the
bench creates its own enterprise, book and items); --server-pid lets it read
the server's memory, --pgbench-url names a database for pgbench.`,
		Example: `  zoneledger bench
  zoneledger bench --workload hot --clients 64 --duration 20s
  zoneledger bench --batch 100 --json
  zoneledger bench --workload ecommerce --clients 40 --duration 20s
  zoneledger bench --workload ecommerce --clients 5 --batch 99 --json
  zoneledger bench --workload ecommerce-xml --clients 8 --batch 99 --duration 20s
  zoneledger bench --pgbench
  zoneledger bench --addr 127.0.0.1:7420 --token "$(cat zoneledger-data/admin.token)" --server-pid 12345`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Log = cmd.ErrOrStderr()
			if !noProgress && !asJSON {
				cfg.Progress = cmd.ErrOrStderr()
			}
			if asJSON {
				cfg.Log = nil
			}
			res, err := bench.Run(cmd.Context(), cfg)
			if err != nil {
				if res != nil && !asJSON {
					bench.WriteReport(cmd.ErrOrStderr(), res)
				}
				return err
			}
			if asJSON {
				return bench.WriteJSON(cmd.OutOrStdout(), res)
			}
			bench.WriteReport(cmd.OutOrStdout(), res)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Workload, "workload", bench.Uniform, "uniform (each journal one of --items items of one book), hot (every journal the same item and account), ecommerce (1210 orders: three documents each, 20% on 5 hot SKUs, released and verified) or ecommerce-xml (the same orders as CEB311/CEB411/CEB511 messages in SubmitMessages)")
	f.IntVar(&cfg.Clients, "clients", 64, "concurrent clients")
	f.StringVar(&cfg.TimeZone, "time-zone", ledger.DefaultTimeZone, "the zone's time zone (the server's --time-zone): journals are dated on the zone's today")
	f.DurationVar(&cfg.Duration, "duration", defaultBenchDuration, "measured time")
	f.DurationVar(&cfg.Warmup, "warmup", defaultBenchWarmup, "time before measuring")
	f.IntVar(&cfg.Batch, "batch", 1, "journals per call: 1 uses PostJournal, more uses PostJournals (at most 100); ecommerce: documents per call, 1 one per call, more in SubmitDocuments batches of up to 100; ecommerce-xml: messages per SubmitMessages call, the three of each of --batch/3 orders, 3 to 100")
	f.IntVar(&cfg.SKUs, "skus", 200, "SKUs of the ecommerce workload's warehouse")
	f.IntVar(&cfg.Items, "items", 1000, "items of the uniform workload")
	f.IntVar(&cfg.Conns, "connections", 0, "gRPC connections shared by the clients (default: one per 16 clients)")
	f.StringVar(&cfg.Addr, "addr", "", "use the server at this address instead of starting one")
	f.StringVar(&cfg.Token, "token", "", "admin bearer token of the --addr server")
	f.IntVar(&cfg.ServerPID, "server-pid", 0, "with --addr: the server's process id, to report its peak memory")
	f.DurationVar(&cfg.DeadAfter, "dead-after", 0, "stop with an error (exit status 1) when no call has reached the server for this long (default 10s); the bench also stops as soon as the server it started, or --server-pid, exits")
	f.StringArrayVar(&cfg.ServeArgs, "serve-flag", nil, "extra flag for the server the bench starts, e.g. --serve-flag=--max-batch=512; repeatable")
	f.BoolVar(&cfg.Pgbench, "pgbench", false, "also run pgbench on the same PostgreSQL and report its TPS")
	f.StringVar(&cfg.PgbenchURL, "pgbench-url", "", "with --addr and --pgbench: a database pgbench may fill (postgres://...)")
	f.BoolVar(&asJSON, "json", false, "print exactly one JSON object with the results (and nothing else on stdout)")
	f.BoolVar(&noProgress, "no-progress", false, "do not show the progress bar")
	return cmd
}
