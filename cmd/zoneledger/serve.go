package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
)

// serverFlags binds the flags of a server Config.
func serverFlags(cmd *cobra.Command, cfg *server.Config, logLevel *string) {
	f := cmd.Flags()
	f.StringVar(&cfg.DataDir, "data-dir", "zoneledger-data", "directory of the embedded PostgreSQL and the first admin token (used without --database-url)")
	f.StringVar(&cfg.DatabaseURL, "database-url", "", "use an existing PostgreSQL (postgres://...) or CockroachDB (postgresql://...) instead of the embedded one")
	f.StringVar(&cfg.Engine, "engine", "", "database engine: postgresql or cockroachdb (default: detected)")
	f.StringVar(&cfg.Listen, "listen", "127.0.0.1:7420", "gRPC listen address")
	f.StringVar(&cfg.MetricsListen, "metrics-listen", "127.0.0.1:7421", "Prometheus metrics address (empty to disable)")
	f.StringVar(&cfg.TLSCert, "tls-cert", "", "TLS certificate file (PEM)")
	f.StringVar(&cfg.TLSKey, "tls-key", "", "TLS private key file (PEM)")
	f.StringVar(&cfg.ClientCA, "client-ca", "", "require client certificates signed by this CA (mTLS)")
	f.IntVar(&cfg.MaxBatch, "max-batch", 256, "most journals in one write transaction")
	f.DurationVar(&cfg.MaxWait, "max-wait", pgstore.DefaultMaxWait, "how long a write batch lingers for more journals while the ledger is busy (negative: never)")
	f.DurationVar(&cfg.AuthCacheTTL, "auth-cache-ttl", 0, "how long an authenticated token is trusted before it is checked again (default 5s)")
	f.StringVar(&cfg.AdminTokenFile, "admin-token-file", "", "write the first admin token here when the database has no admin yet (default <data-dir>/admin.token with the embedded database)")
	f.StringVar(&cfg.TariffFile, "tariff", "", "tariff table, CSV (format: customs/tax/README.md); default: the illustrative sample tariff")
	f.StringVar(&cfg.PositiveListFile, "positive-list", "", "cross-border positive list, CSV hs_prefix,annual_cap,note; default: the illustrative sample list")
	f.StringVar(&cfg.TimeZone, "time-zone", ledger.DefaultTimeZone, "the zone's time zone (IANA name): today, for effective dates and business dates, is the day there")
	f.IntVar(&cfg.FutureDays, "future-days", 0, "how many days after the zone's today a journal may be dated (0: today at the latest)")
	f.IntVar(&cfg.MaxPostingsPerCall, "max-postings-per-call", server.DefaultMaxPostingsPerCall, "most postings one PostJournal or PostJournals call may carry (more: RESOURCE_EXHAUSTED, split the call)")
	f.Int64Var(&cfg.MaxInFlightBytes, "max-in-flight-bytes", server.DefaultMaxInFlightBytes, "most request bytes (protobuf size) all calls in flight may hold (more: RESOURCE_EXHAUSTED, retry later)")
	f.Int64Var(&cfg.MaxPrincipalInFlightBytes, "max-principal-in-flight-bytes", server.DefaultMaxPrincipalInFlightBytes, "most request bytes one principal's calls in flight may hold; also the largest message the server reads (more: RESOURCE_EXHAUSTED)")
	f.StringVar(logLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// gcFlags are the Go runtime's memory settings for serving.
type gcFlags struct {
	percent  int
	limitMiB int64
}

// apply sets the collector's target and soft memory limit, unless the
// operator set GOGC or GOMEMLIMIT in the environment. A server that keeps
// little live data can afford a rarer collection: the default trades memory
// (bounded by the limit) for CPU, which the journals need.
func (g gcFlags) apply() {
	if _, set := os.LookupEnv("GOGC"); !set && g.percent != 0 {
		debug.SetGCPercent(g.percent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && g.limitMiB > 0 {
		debug.SetMemoryLimit(g.limitMiB << 20)
	}
}

// serveOptions are what serve's command line and config file give.
type serveOptions struct {
	cfg        server.Config
	logLevel   string
	configFile string
	gc         gcFlags
}

// applyConfig reads --config (if given) and puts its settings into o.cfg.
// The flags --tariff, --positive-list and --time-zone, when given on the
// command line, win over the file's tax.tariff_file,
// ecommerce.positive_list_file and time_zone (a --tariff given drops the
// file's tax.tariff_name too).
func (o *serveOptions) applyConfig(cmd *cobra.Command) error {
	file := DefaultConfig()
	if o.configFile != "" {
		var err error
		if file, err = LoadConfig(o.configFile); err != nil {
			return err
		}
	}
	f := cmd.Flags()
	if !f.Changed("tariff") {
		o.cfg.TariffFile, o.cfg.TariffName = file.TariffFile, file.TariffName
	}
	if !f.Changed("positive-list") {
		o.cfg.PositiveListFile = file.PositiveListFile
	}
	if !f.Changed("time-zone") {
		o.cfg.TimeZone = file.TimeZone
	}
	o.cfg.Zone, o.cfg.Tax, o.cfg.Ecommerce, o.cfg.Processing = &file.Zone, &file.Tax, &file.Ecommerce, &file.Processing
	o.cfg.Repair = &file.Repair
	o.cfg.WriteOff = &file.WriteOff
	return nil
}

func serveCmd() *cobra.Command { return newServeCmd(&serveOptions{}) }

func newServeCmd(o *serveOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the gRPC server",
		Long: `Run the gRPC server. Without --database-url it starts a private PostgreSQL
from the machine's PostgreSQL binaries, with its data under --data-dir, applies
migrations, and writes the first admin token to <data-dir>/admin.token (mode 0600).
SIGINT or SIGTERM stops it gracefully: in-flight calls and write batches finish,
then PostgreSQL stops. --config FILE sets the zone's customs rules (zoneledger
config print shows them); an unknown key or a bad value stops the start.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.applyConfig(cmd); err != nil {
				return err
			}
			cfg := o.cfg
			cfg.Logger = newLogger(o.logLevel)
			o.gc.apply()
			ctx := cmd.Context()
			s, err := server.Start(ctx, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "zoneledger listening on %s\n", s.Addr)
			if s.AdminTokenFile != "" {
				fmt.Fprintf(os.Stderr, "admin token: %s\n", s.AdminTokenFile)
			}
			select {
			case <-ctx.Done():
				cfg.Logger.Info("shutting down")
			case err := <-s.Done():
				cfg.Logger.Error("gRPC server stopped", "err", err)
			}
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
			defer cancel()
			return s.Stop(sctx)
		},
	}
	serverFlags(cmd, &o.cfg, &o.logLevel)
	cmd.Flags().StringVar(&o.configFile, "config", "", "the zone's settings file (TOML; keys: cmd/zoneledger/README.md); --tariff, --positive-list and --time-zone, when given, win over it")
	cmd.Flags().IntVar(&o.gc.percent, "gc-percent", 400, "Go garbage collector target (GOGC; the environment variable wins)")
	cmd.Flags().Int64Var(&o.gc.limitMiB, "memory-limit-mib", 256, "soft memory limit of the Go heap in MiB (GOMEMLIMIT; the environment variable wins; 0: none)")
	return cmd
}
