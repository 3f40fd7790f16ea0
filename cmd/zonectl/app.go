package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/grpc"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Exit codes.
const (
	exitOK      = 0
	exitRefused = 1
	exitUsage   = 2
)

// usageError is a mistake in how zonectl was called; nothing was sent.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

func asUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// errReported ends a command with exit code 1 after it has already told the
// user why (refused journals, periods that do not verify).
var errReported = errors.New("reported")

// globals are the persistent flags.
type globals struct {
	addr, token, tokenFile    string
	tls                       bool
	caFile, certFile, keyFile string
	timeout                   time.Duration
	output                    string
}

// clients are the service stubs of one connection.
type clients struct {
	ledger ledgerv1.LedgerServiceClient
	admin  adminv1.AdminServiceClient
	// The customs services (zonectl customs ...).
	books   customsv1.BookServiceClient
	decls   customsv1.DeclarationServiceClient
	gate    customsv1.GateServiceClient
	display customsv1.DisplayServiceClient
	// ecommerce is EcommerceService (zonectl customs ecommerce ...).
	ecommerce customsv1.EcommerceServiceClient
	// processing is ProcessingService (zonectl customs processing ...).
	processing customsv1.ProcessingServiceClient
	// rnd is RndService (zonectl customs rnd ...).
	rnd customsv1.RndServiceClient
	// outzone is OutZoneService (zonectl customs outzone ..., customs overdue).
	outzone customsv1.OutZoneServiceClient
	// repair is RepairService (zonectl customs repair ...).
	repair customsv1.RepairServiceClient
	// writeoff is WriteOffService (zonectl customs writeoff ..., zonectl evidence ...).
	writeoff customsv1.WriteOffServiceClient
	// cc is the connection under them, for the commands built from the
	// protos' descriptors (rpcCmd).
	cc    grpc.ClientConnInterface
	close func() error
}

// app is one zonectl invocation.
type app struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
	readFile       func(string) ([]byte, error)
	// dial connects to the server; tests replace it with fakes.
	dial func(conn.Config) (*clients, error)

	g       globals
	format  output.Format
	ran     bool // a command's RunE started: later errors are not usage errors
	clients *clients
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{
		stdout: stdout, stderr: stderr, stdin: os.Stdin,
		getenv: os.Getenv, readFile: os.ReadFile,
		dial: dialServer,
	}
}

// dialServer is the real dial.
func dialServer(cfg conn.Config) (*clients, error) {
	cc, err := conn.Dial(cfg)
	if err != nil {
		return nil, err
	}
	return &clients{ledger: ledgerv1.NewLedgerServiceClient(cc), admin: adminv1.NewAdminServiceClient(cc),
		books: customsv1.NewBookServiceClient(cc), decls: customsv1.NewDeclarationServiceClient(cc),
		gate: customsv1.NewGateServiceClient(cc), display: customsv1.NewDisplayServiceClient(cc),
		ecommerce: customsv1.NewEcommerceServiceClient(cc), processing: customsv1.NewProcessingServiceClient(cc),
		rnd: customsv1.NewRndServiceClient(cc), repair: customsv1.NewRepairServiceClient(cc),
		writeoff: customsv1.NewWriteOffServiceClient(cc), outzone: customsv1.NewOutZoneServiceClient(cc), cc: cc, close: cc.Close}, nil
}

// execute runs the command line and returns the exit code.
func (a *app) execute(ctx context.Context, args []string) int {
	root := a.rootCmd()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if a.clients != nil && a.clients.close != nil {
		_ = a.clients.close()
	}
	return a.exitCode(cmd, err)
}

func (a *app) exitCode(cmd *cobra.Command, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errReported):
		return exitRefused
	case errors.As(err, &ue) || !a.ran:
		fmt.Fprintf(a.stderr, "error: %s\n", err)
		if !a.ran { // a command-line mistake, rather than a bad input file
			path := "zonectl"
			if cmd != nil {
				path = cmd.CommandPath()
			}
			fmt.Fprintf(a.stderr, "see '%s --help'\n", path)
		}
		return exitUsage
	default:
		fmt.Fprint(a.stderr, output.FormatError(err))
		return exitRefused
	}
}

// act wraps a command's work: from here on, errors are the server's (exit 1)
// unless they are usageErrors. The flags it gives and its date flags are
// checked first.
func (a *app) act(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		a.ran = true
		if err := checkGives(cmd); err != nil {
			return err
		}
		if err := checkDates(cmd.Flags()); err != nil {
			return err
		}
		return f(cmd, args)
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "zonectl",
		Short: "Command-line client of the zoneledger bonded-zone account books",
		Long: `zonectl talks to a zoneledger server over gRPC: books, items, journals, balances,
day totals, sealed periods, principals and tokens; and, under 'zonectl customs',
the zone's enterprises, customs books, verification lists, gate passes and
stock reports.

Every call carries a bearer token. Give it in a file (--token-file or
ZONELEDGER_TOKEN_FILE) rather than on the command line, where other users of
the machine can see it in the process list. zonectl never prints the token,
except once when 'admin tokens issue' creates one.

Quantities and values are decimal strings end to end; zonectl never turns them
into binary floating point.

Exit codes: 0 success; 1 the server refused or failed (including refused
journals and periods that do not verify); 2 usage error (bad flags or
arguments, no token, unreadable or malformed input file; nothing was sent).`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.resolveGlobals(cmd.Flags())
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetIn(a.stdin)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asUsage(err) })
	root.CompletionOptions.HiddenDefaultCmd = true
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		documented(c)
		help(c, args)
	})

	f := root.PersistentFlags()
	f.StringVar(&a.g.addr, "addr", conn.DefaultAddr, "server address host:port (env "+conn.EnvAddr+")")
	f.StringVar(&a.g.token, "token", "", "bearer token (env "+conn.EnvToken+"); prefer --token-file: arguments are visible to other users")
	f.StringVar(&a.g.tokenFile, "token-file", "", "file holding the bearer token, trimmed (env "+conn.EnvTokenFile+")")
	f.BoolVar(&a.g.tls, "tls", false, "connect with TLS (implied by --ca-file, --cert-file, --key-file)")
	f.StringVar(&a.g.caFile, "ca-file", "", "PEM CA bundle to verify the server with (default: the system roots)")
	f.StringVar(&a.g.certFile, "cert-file", "", "PEM client certificate for mTLS (with --key-file)")
	f.StringVar(&a.g.keyFile, "key-file", "", "PEM client key for mTLS (with --cert-file)")
	f.DurationVar(&a.g.timeout, "timeout", 30*time.Second, "deadline of each call (a list stream: the longest wait for the next journal); 0 for none")
	f.StringVarP(&a.g.output, "output", "o", string(output.Table), "output format: table, json or csv")

	root.AddCommand(a.booksCmd(), a.worldCmd(), a.itemsCmd(), a.journalsCmd(),
		a.balancesCmd(), a.totalsCmd(), a.periodsCmd(), a.adminCmd(), a.whoamiCmd(), a.customsCmd(),
		a.evidenceCmd(), a.verifyCmd())
	return root
}

func (a *app) resolveGlobals(flags *pflag.FlagSet) error {
	if !flags.Changed("addr") {
		if v := a.getenv(conn.EnvAddr); v != "" {
			a.g.addr = v
		}
	}
	f, err := output.ParseFormat(a.g.output)
	if err != nil {
		return asUsage(err)
	}
	a.format = f
	if a.g.timeout < 0 {
		return usagef("--timeout must not be negative")
	}
	return nil
}

// group makes a command that only holds subcommands: without one it shows
// its help; an unknown one is a usage error.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
		},
	}
	c.AddCommand(subs...)
	return c
}

// args checks positional arguments, as a usage error.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d argument(s)", names, len(args))
		}
		return nil
	}
}

func minArgs(n int, names string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("expected %s", names)
		}
		return nil
	}
}

// required marks flags required; cobra refuses the call before it runs.
func required(c *cobra.Command, names ...string) {
	for _, n := range names {
		if err := c.MarkFlagRequired(n); err != nil {
			panic(err) // a programming error: no such flag
		}
	}
}

// connect dials on first use.
func (a *app) connect() (*clients, error) {
	if a.clients != nil {
		return a.clients, nil
	}
	tok, err := conn.ResolveToken(a.g.token, a.g.tokenFile, a.getenv, a.readFile)
	if err != nil {
		return nil, asUsage(err)
	}
	cfg := conn.Config{
		Addr: a.g.addr, Token: tok, TLS: a.g.tls,
		CAFile: a.g.caFile, CertFile: a.g.certFile, KeyFile: a.g.keyFile,
		UserAgent: "zonectl",
	}
	if !cfg.UsesTLS() && !conn.IsLoopback(cfg.Addr) {
		fmt.Fprintf(a.stderr, "warning: sending the token to %s without TLS; use --tls\n", cfg.Addr)
	}
	c, err := a.dial(cfg)
	if err != nil {
		return nil, asUsage(err)
	}
	a.clients = c
	return c, nil
}

// callCtx bounds one call by --timeout.
func (a *app) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if a.g.timeout > 0 {
		return context.WithTimeout(ctx, a.g.timeout)
	}
	return context.WithCancel(ctx)
}

// pages calls fetch with each page token until the server returns an empty
// next page token.
func (a *app) pages(ctx context.Context, fetch func(ctx context.Context, token string) (next string, err error)) error {
	token := ""
	for {
		cctx, cancel := a.callCtx(ctx)
		next, err := fetch(cctx, token)
		cancel()
		if err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if next == token {
			return fmt.Errorf("the server returned the same page token twice")
		}
		token = next
	}
}

// pageSize is what zonectl asks for per page (the API's maximum).
const pageSize = 1000

// progress shows a bar on stderr when show is set; the returned functions
// advance it to done and end it (leaving it where it is if the work stopped
// early).
func (a *app) progress(show bool, total int, what string) (set func(done int), end func()) {
	if !show {
		return func(int) {}, func() {}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(a.stderr) }),
	)
	done, ended := 0, false
	return func(n int) {
			done = n
			_ = bar.Set(n)
		}, func() {
			if !ended && done < total {
				_ = bar.Exit()
			}
			ended = true
		}
}

// note writes an informational line to stderr.
func (a *app) note(format string, args ...any) {
	fmt.Fprintf(a.stderr, format+"\n", args...)
}
