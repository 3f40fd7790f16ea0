// Package bench is zoneledger's load generator: it files journals over gRPC
// from many concurrent clients against a server (one it starts itself, as a
// separate process so that the server's memory can be measured apart, or an
// existing one), and reports throughput, call latency percentiles, errors,
// the server's peak resident memory and, optionally, pgbench's TPS on the
// same PostgreSQL as a reference. The ecommerce workload instead submits
// cross-border orders' three documents (EcommerceService) against a zone
// warehouse and measures orders released per second (ecommerce.go).
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Workloads.
const (
	Uniform   = "uniform"   // each journal one of Items items of one book
	Hot       = "hot"       // every journal the same item and account
	Ecommerce = "ecommerce" // cross-border orders (三单) released from a zone warehouse
	// EcommerceXML is the ecommerce workload with the documents sent as
	// single-window messages (CEB311, CEB411, CEB511) in SubmitMessages.
	EcommerceXML = "ecommerce-xml"
)

// ecom reports whether the workload is one of the e-commerce ones.
func (c *Config) ecom() bool { return c.Workload == Ecommerce || c.Workload == EcommerceXML }

// Config is a bench run.
type Config struct {
	Workload string
	Clients  int
	Duration time.Duration
	Warmup   time.Duration
	// Batch is the number of journals per call: 1 uses PostJournal, more
	// uses PostJournals (at most 100). For the ecommerce workload it is the
	// number of documents per call: 1 sends each document alone
	// (SubmitOrder, SubmitPayment, SubmitWaybill), 3 to 100 sends the three
	// documents of Batch/3 orders in one SubmitDocuments call.
	Batch int
	// Items is the number of items of the uniform workload.
	Items int
	// SKUs is the number of SKUs (book lines) of the ecommerce workload;
	// 0 means 200.
	SKUs int
	// Conns is the number of gRPC connections the clients share; 0 means
	// one per 16 clients.
	Conns int

	// Addr and Token (an admin token) select an existing server. Without
	// Addr the bench starts its own: an embedded PostgreSQL and this
	// binary's `serve` (Executable) as a child process.
	Addr  string
	Token string
	// ServerPID, with Addr, is the server's process to measure.
	ServerPID int
	// DeadAfter is how long every call may fail to reach the server
	// (UNAVAILABLE, or timing out) before the run stops with ErrServerGone;
	// 0 means 10s. The run also stops as soon as the server it started, or
	// the ServerPID process, exits.
	DeadAfter time.Duration
	// Executable is the zoneledger binary to run as `serve`; empty means
	// os.Executable().
	Executable string
	// ServeArgs are extra flags for the child `serve`.
	ServeArgs []string
	// TimeZone is the zone's time zone (the server's --time-zone): the
	// bench dates its journals on the zone's today. Empty means
	// ledger.DefaultTimeZone.
	TimeZone string

	// Pgbench also runs pgbench on the same PostgreSQL after the load.
	Pgbench bool
	// PgbenchURL is the database pgbench owns when Addr is given.
	PgbenchURL string

	// Progress receives a progress bar; Log status lines. nil: none.
	Progress io.Writer
	Log      io.Writer
}

func (c *Config) zoneName() string {
	if c.TimeZone == "" {
		return ledger.DefaultTimeZone
	}
	return c.TimeZone
}

// today is the zone's date now, YYYY-MM-DD; Run checked the time zone.
func (c *Config) today() string {
	loc, _ := time.LoadLocation(c.zoneName())
	return ledger.FormatDate(ledger.DayIn(time.Now(), loc))
}

// Result is what a run measured. The JSON names are the --json output.
type Result struct {
	Workload          string   `json:"workload"`
	Clients           int      `json:"clients"`
	Batch             int      `json:"batch"`
	DurationS         float64  `json:"duration_s"`
	Journals          int64    `json:"journals"`
	JournalsPerSecond float64  `json:"journals_per_second"`
	P50Ms             float64  `json:"p50_ms"`
	P99Ms             float64  `json:"p99_ms"`
	Errors            int64    `json:"errors"`
	ServerPeakRSSMB   *float64 `json:"server_peak_rss_mb"`
	PgbenchTPS        *float64 `json:"pgbench_tps,omitempty"`

	// The ecommerce workload reports orders instead of journals; its
	// --json object has its own keys (see WriteJSON).
	Orders          int64   `json:"-"`
	OrdersPerSecond float64 `json:"-"`

	// Details for the human report.
	Calls          int64         `json:"-"`
	Latency        Summary       `json:"-"`
	WarmupJournals int64         `json:"-"`
	WarmupErrors   int64         `json:"-"`
	ErrorSamples   []string      `json:"-"`
	Conns          int           `json:"-"`
	Items          int           `json:"-"`
	Server         string        `json:"-"`
	PgbenchCommand string        `json:"-"`
	Book           string        `json:"-"`
	Measured       time.Duration `json:"-"`
	// Ecom holds the ecommerce workload's own figures.
	Ecom *EcomDetails `json:"-"`

	bookToken string // the bench enterprise's token (tests read the book with it)
}

func (c *Config) defaults() error {
	if c.Workload == "" {
		c.Workload = Uniform
	}
	if c.Workload != Uniform && c.Workload != Hot && !c.ecom() {
		return fmt.Errorf("unknown workload %q: use uniform, hot, ecommerce or ecommerce-xml", c.Workload)
	}
	if _, err := time.LoadLocation(c.zoneName()); err != nil {
		return fmt.Errorf("--time-zone %q: %w; give an IANA time zone name such as Asia/Shanghai", c.TimeZone, err)
	}
	if c.Clients <= 0 {
		return errors.New("--clients must be at least 1")
	}
	if c.DeadAfter <= 0 {
		c.DeadAfter = defaultDeadAfter
	}
	if c.Workload == EcommerceXML && (c.Batch < 3 || c.Batch > 100) {
		return errors.New("--batch of the ecommerce-xml workload must be 3 to 100: the messages (CEB311, CEB411, CEB511) of --batch/3 orders per SubmitMessages call")
	}
	if c.ecom() {
		if c.Workload == Ecommerce && c.Batch != 1 && (c.Batch < 3 || c.Batch > 100) {
			return errors.New("--batch of the ecommerce workload must be 1 (one document per call) or 3 to 100 (SubmitDocuments, the three documents of --batch/3 orders per call)")
		}
		if c.SKUs == 0 {
			c.SKUs = ecomDefaultSKUs
		}
		if c.SKUs <= ecomHotSKUs || c.SKUs > 1000 {
			return fmt.Errorf("the ecommerce workload needs %d to 1000 SKUs (a book takes at most 1000 lines a call)", ecomHotSKUs+1)
		}
	} else if c.Batch < 1 || c.Batch > 100 {
		return errors.New("--batch must be between 1 and 100 (PostJournals takes at most 100 journals)")
	}
	if c.Duration <= 0 {
		return errors.New("--duration must be positive")
	}
	if c.Warmup < 0 {
		return errors.New("--warmup must not be negative")
	}
	if c.Items <= 0 {
		c.Items = 1000
	}
	if c.Items > 10000 {
		return errors.New("--items must be at most 10000 (RegisterItems takes at most 10000 items a call)")
	}
	if c.Conns <= 0 {
		c.Conns = (c.Clients + 15) / 16
	}
	c.Conns = min(c.Conns, c.Clients)
	if c.Addr != "" && c.Token == "" {
		return errors.New("--addr needs --token: an admin token (the bench creates its own enterprise, book and items)")
	}
	if c.Addr == "" && c.Token != "" {
		return errors.New("--token needs --addr")
	}
	if c.Addr != "" && c.Pgbench && c.PgbenchURL == "" {
		return errors.New("--pgbench with --addr needs --pgbench-url, a database of the server's PostgreSQL that pgbench may fill")
	}
	return nil
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// Run runs the bench.
func Run(ctx context.Context, cfg Config) (_ *Result, err error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	res := &Result{Workload: cfg.Workload, Clients: cfg.Clients, Batch: cfg.Batch, DurationS: cfg.Duration.Seconds(),
		Conns: cfg.Conns, Items: cfg.Items}
	if cfg.Workload == Hot {
		res.Items = 1
	}

	// The run stops, with an ErrServerGone cause, when the server dies or
	// stops answering (see watch).
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer func() {
		if cause := context.Cause(ctx); err != nil && errors.Is(cause, ErrServerGone) {
			err = cause // not the calls' "context canceled"
		}
	}()
	live := &liveness{}
	var exited <-chan struct{}
	var describe func() string
	addr, token, pid := cfg.Addr, cfg.Token, cfg.ServerPID
	pgbenchURL := cfg.PgbenchURL
	if addr == "" {
		env, err := startEnv(ctx, &cfg)
		if err != nil {
			return nil, err
		}
		defer func() {
			serr := env.stop()
			if errors.Is(context.Cause(ctx), ErrServerGone) {
				return // the server's exit is the error; its output is in it
			}
			if serr != nil && err == nil {
				err = serr
			}
		}()
		exited = env.server.exited
		describe = func() string {
			return fmt.Sprintf("zoneledger serve (pid %d) exited during the bench (%v); its last output:\n%s", env.server.PID(), env.server.err, env.server.Tail())
		}
		addr, token, pid = env.server.Addr, env.token, env.server.PID()
		res.Server = fmt.Sprintf("started by the bench: zoneledger serve (pid %d) on %s, embedded PostgreSQL (pid %d, unix socket in %s)",
			pid, addr, env.pg.PID(), env.pg.SocketDir())
		if cfg.Pgbench {
			if err := env.pg.CreateDatabase(ctx, "pgbench"); err != nil {
				return nil, err
			}
			pgbenchURL = env.pg.URL("pgbench")
		}
	} else {
		res.Server = "existing server at " + addr
		if pid > 0 {
			res.Server += fmt.Sprintf(" (pid %d)", pid)
		}
	}

	watchPID := pid
	if exited != nil {
		watchPID = 0 // the child's exit is seen directly
	}
	go watch(ctx, cancel, live, addr, cfg.DeadAfter, exited, describe, watchPID)

	conns := make([]*grpc.ClientConn, cfg.Conns)
	for i := range conns {
		c, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithChainUnaryInterceptor(live.intercept))
		if err != nil {
			return nil, err
		}
		defer c.Close()
		conns[i] = c
	}
	var runLoad func()
	var ecom *ecomTarget
	if cfg.ecom() {
		cfg.logf("bench: setting up the zone warehouse (%d SKUs), the channel and the platform ...", cfg.SKUs)
		if ecom, err = setupEcom(ctx, conns[0], token, &cfg); err != nil {
			return nil, err
		}
		res.Book, res.Items = ecom.book, cfg.SKUs
		runLoad = func() { loadEcom(ctx, &cfg, conns, ecom, res) }
	} else {
		tgt, err := setup(ctx, conns[0], token, &cfg)
		if err != nil {
			return nil, err
		}
		res.Book, res.bookToken = tgt.book, tgt.token
		runLoad = func() { load(ctx, &cfg, conns, tgt, res) }
	}

	cfg.logf("bench: load: %d clients on %s, %s warm-up then %s measured ...", cfg.Clients, addr, cfg.Warmup, cfg.Duration)
	var smp *sampler
	if pid > 0 {
		smp = startSampler(pid, 200*time.Millisecond)
	}
	runLoad()
	if smp != nil {
		peak, err := smp.Stop()
		if err != nil {
			cfg.logf("bench: could not read the server's memory: %v", err)
		} else {
			mb := math.Round(float64(peak)/1024*10) / 10
			res.ServerPeakRSSMB = &mb
		}
	}
	if ctx.Err() != nil {
		return res, context.Cause(ctx)
	}
	if ecom != nil {
		cfg.logf("bench: verifying the released lists and the warehouse stock ...")
		if err := verifyEcom(ctx, conns[0], ecom, res.Ecom.tally); err != nil {
			return res, err
		}
		res.Ecom.Verified = true
	}

	if cfg.Pgbench {
		cfg.logf("bench: running pgbench on the same PostgreSQL (-i -s %d, then -c %d -j %d -T %s) ...",
			pgbenchScale, pgbenchClients, pgbenchThreads, cfg.Duration)
		tps, command, err := runPgbench(ctx, pgbenchURL, cfg.Duration)
		if err != nil {
			return res, err
		}
		tps = math.Round(tps*10) / 10
		res.PgbenchTPS, res.PgbenchCommand = &tps, command
	}
	return res, nil
}

// env is what the bench started: PostgreSQL and the server.
type env struct {
	dir    string
	pg     *embedpg.Instance
	server *child
	token  string
}

func startEnv(ctx context.Context, cfg *Config) (_ *env, err error) {
	exe := cfg.Executable
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	dir, err := os.MkdirTemp("", "zoneledger-bench-")
	if err != nil {
		return nil, err
	}
	// The postgres user must be able to pass through (we may be root).
	if err := os.Chmod(dir, 0o711); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	e := &env{dir: dir}
	defer func() {
		if err != nil {
			e.stop()
		}
	}()
	cfg.logf("bench: starting PostgreSQL in %s ...", dir)
	e.pg, err = embedpg.Start(ctx, embedpg.Config{DataDir: filepath.Join(dir, "pg")})
	if err != nil {
		return nil, err
	}
	dbURL := e.pg.URL(embedpg.DefaultDatabase)
	args := append([]string{"serve", "--data-dir", filepath.Join(dir, "serve"), "--database-url", dbURL,
		"--listen", "127.0.0.1:0", "--metrics-listen=", "--log-level", "warn", "--time-zone", cfg.zoneName()}, cfg.ServeArgs...)
	cfg.logf("bench: starting %s %s", exe, strings.Join(args, " "))
	e.server, err = startServe(ctx, exe, args)
	if err != nil {
		return nil, err
	}
	// With --database-url the server writes no admin token; the operator
	// makes the first one on the (now migrated) database.
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	tokenFile := filepath.Join(dir, "admin.token")
	if _, err := access.NewStore(pool, access.Options{}).Bootstrap(ctx, tokenFile); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(tokenFile)
	if err != nil {
		return nil, err
	}
	e.token = strings.TrimSpace(string(b))
	return e, nil
}

func (e *env) stop() error {
	var errs []error
	if e.server != nil {
		errs = append(errs, e.server.Stop())
	}
	if e.pg != nil {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		errs = append(errs, e.pg.Stop(sctx))
		cancel()
	}
	errs = append(errs, os.RemoveAll(e.dir))
	return errors.Join(errs...)
}

// target is the bench's enterprise, book and items.
type target struct {
	book  string
	token string
	run   string
	date  string
}

func setup(ctx context.Context, conn *grpc.ClientConn, adminToken string, cfg *Config) (*target, error) {
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	t := &target{book: "BENCH" + strings.ToUpper(run), run: run, date: cfg.today()}
	admin := adminv1.NewAdminServiceClient(conn)
	lc := ledgerv1.NewLedgerServiceClient(conn)
	ent := "bench-" + run
	c, cancel := as(ctx, adminToken)
	defer cancel()
	tok, err := newPrincipal(c, admin, &adminv1.CreatePrincipalRequest{PrincipalId: ent, DisplayName: "zoneledger bench",
		Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: strings.ToUpper(ent)})
	if err != nil {
		return nil, err
	}
	t.token = tok
	if _, err := lc.EnsureWorldAccounts(c, &ledgerv1.EnsureWorldAccountsRequest{Names: []string{"abroad", "domestic"}}); err != nil {
		return nil, fmt.Errorf("ensuring world accounts: %w", err)
	}
	ec, ecancel := as(ctx, t.token)
	defer ecancel()
	if _, err := lc.CreateBook(ec, &ledgerv1.CreateBookRequest{BookId: t.book, Name: "bench book", Owner: strings.ToUpper(ent),
		Accounts: []string{"bonded"}, Attributes: map[string]string{"kind": "TW", "purpose": "zoneledger bench"}}); err != nil {
		return nil, fmt.Errorf("creating the bench book: %w", err)
	}
	items := make([]*ledgerv1.Item, cfg.Items)
	for i := range items {
		items[i] = &ledgerv1.Item{Code: strconv.Itoa(i + 1), Unit: "007", Name: fmt.Sprintf("bench item %d", i+1)}
	}
	if _, err := lc.RegisterItems(ec, &ledgerv1.RegisterItemsRequest{BookId: t.book, Items: items}); err != nil {
		return nil, fmt.Errorf("registering the bench items: %w", err)
	}
	return t, nil
}

// as bounds ctx by a minute and sends tok as the bearer token.
func as(ctx context.Context, tok string) (context.Context, context.CancelFunc) {
	c, cancel := context.WithTimeout(ctx, time.Minute)
	return metadata.AppendToOutgoingContext(c, "authorization", "Bearer "+tok), cancel
}

// newPrincipal creates the principal of req (ctx carries an admin token)
// and returns a token issued to it.
func newPrincipal(ctx context.Context, admin adminv1.AdminServiceClient, req *adminv1.CreatePrincipalRequest) (string, error) {
	if _, err := admin.CreatePrincipal(ctx, req); err != nil {
		return "", fmt.Errorf("creating principal %s (is --token an admin token?): %w", req.GetPrincipalId(), err)
	}
	tok, err := admin.IssueToken(ctx, &adminv1.IssueTokenRequest{PrincipalId: req.GetPrincipalId(), Description: "zoneledger bench"})
	if err != nil {
		return "", fmt.Errorf("issuing a token to %s: %w", req.GetPrincipalId(), err)
	}
	return tok.GetToken(), nil
}

// window is what one client saw, split by when each call completed: in
// the warm-up, in the measured window, or after it (tail).
type window struct {
	lat                  []time.Duration
	done, errors, calls  int64
	warmDone, warmErrors int64
	tail                 int64
	samples              []string
}

func newWindow() window { return window{lat: make([]time.Duration, 0, 4096)} }

// fail keeps the first three error samples.
func (w *window) fail(format string, args ...any) {
	if len(w.samples) < 3 {
		w.samples = append(w.samples, fmt.Sprintf(format, args...))
	}
}

// record counts one call of calls requests that started at t0, ended at
// t1 and completed good units and failed bad ones; in the window, each
// good unit's latency is the call's when perUnit, else the call's once.
func (w *window) record(t0, t1, from, end time.Time, good, bad, calls int64, perUnit bool) {
	switch {
	case t1.Before(from):
		w.warmDone += good
		w.warmErrors += bad
	case !t1.After(end):
		n := int64(1)
		if perUnit {
			n = good
		}
		for range n {
			w.lat = append(w.lat, t1.Sub(t0))
		}
		w.calls += calls
		w.done += good
		w.errors += bad
	default:
		w.tail += good
	}
}

// add sums the clients' windows into res (done, errors, calls and the
// warm-up, at most five distinct error samples, the latency figures) and
// returns the tail and the units done per second of the window.
func (res *Result) add(cfg *Config, ws []window) (done, tail int64, perSecond float64) {
	var all []time.Duration
	seen := map[string]bool{}
	for _, w := range ws {
		all = append(all, w.lat...)
		done += w.done
		tail += w.tail
		res.Errors += w.errors
		res.Calls += w.calls
		res.WarmupJournals += w.warmDone
		res.WarmupErrors += w.warmErrors
		for _, s := range w.samples {
			if !seen[s] && len(res.ErrorSamples) < 5 {
				seen[s] = true
				res.ErrorSamples = append(res.ErrorSamples, s)
			}
		}
	}
	res.Measured = cfg.Duration
	res.Latency = Summarize(all)
	res.P50Ms, res.P99Ms = Millis(res.Latency.P50), Millis(res.Latency.P99)
	return done, tail, math.Round(float64(done)/cfg.Duration.Seconds()*10) / 10
}

type worker struct{ window }

// runClients runs cfg.Clients workers, each on one of conns, through a
// warm-up and the measured window, showing progress counted in unit; run
// adds to done what the worker completed. It returns the workers once all
// are done.
func runClients[W any](cfg *Config, conns []*grpc.ClientConn, unit string, newWorker func() W,
	run func(w W, conn *grpc.ClientConn, id int, from, end time.Time, done *atomic.Int64)) []W {
	start := time.Now()
	from := start.Add(cfg.Warmup)
	end := from.Add(cfg.Duration)
	var done atomic.Int64
	stopBar := showProgress(cfg, start, from, end, &done, unit)
	workers := make([]W, cfg.Clients)
	var wg sync.WaitGroup
	for i := range workers {
		workers[i] = newWorker()
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			run(workers[id], conns[id%len(conns)], id, from, end, &done)
		}(i)
	}
	wg.Wait()
	stopBar()
	return workers
}

// load runs the clients: a warm-up, then the measured window. A call counts
// in the window when it completes inside it.
func load(ctx context.Context, cfg *Config, conns []*grpc.ClientConn, t *target, res *Result) {
	workers := runClients(cfg, conns, "journals",
		func() *worker { return &worker{newWindow()} },
		func(w *worker, conn *grpc.ClientConn, id int, from, end time.Time, done *atomic.Int64) {
			w.run(ctx, cfg, ledgerv1.NewLedgerServiceClient(conn), t, id, from, end, done)
		})
	ws := make([]window, len(workers))
	for i, w := range workers {
		ws[i] = w.window
	}
	res.Journals, _, res.JournalsPerSecond = res.add(cfg, ws)
}

func (w *worker) run(ctx context.Context, cfg *Config, lc ledgerv1.LedgerServiceClient, t *target, id int, from, end time.Time, done *atomic.Int64) {
	rng := rand.New(rand.NewPCG(uint64(id)+1, uint64(time.Now().UnixNano())))
	md := metadata.Pairs("authorization", "Bearer "+t.token)
	base := metadata.NewOutgoingContext(ctx, md)
	seq := 0
	next := func() *ledgerv1.PostJournalRequest {
		seq++
		item := "1"
		if cfg.Workload == Uniform {
			item = strconv.Itoa(1 + rng.IntN(cfg.Items))
		}
		q := 1 + rng.IntN(50)
		fen := q * 1234 // 12.34 CNY a piece
		key := fmt.Sprintf("%s-%d-%d", t.run, id, seq)
		return &ledgerv1.PostJournalRequest{
			BookId: t.book, IdempotencyKey: key, EffectiveDate: t.date,
			Document: &ledgerv1.Document{Type: "inventory-list", Number: key, TradeMode: "5034"},
			Postings: []*ledgerv1.Posting{
				{ItemCode: item, From: &ledgerv1.AccountRef{Name: "abroad"}, To: &ledgerv1.AccountRef{BookId: t.book, Name: "bonded"},
					Quantity: strconv.Itoa(q), Value: fmt.Sprintf("%d.%02d", fen/100, fen%100), Unit: "007"},
				{ItemCode: item, From: &ledgerv1.AccountRef{BookId: t.book, Name: "bonded"}, To: &ledgerv1.AccountRef{Name: "domestic"},
					Quantity: strconv.Itoa(q), Unit: "007"},
			},
		}
	}
	for ctx.Err() == nil && time.Now().Before(end) {
		var ok, bad int64
		c, cancel := context.WithTimeout(base, 30*time.Second)
		t0 := time.Now()
		if cfg.Batch == 1 {
			_, err := lc.PostJournal(c, next())
			if err != nil {
				bad = 1
				w.fail("%v", err)
			} else {
				ok = 1
			}
		} else {
			req := &ledgerv1.PostJournalsRequest{Journals: make([]*ledgerv1.PostJournalRequest, cfg.Batch)}
			for i := range req.Journals {
				req.Journals[i] = next()
			}
			resp, err := lc.PostJournals(c, req)
			if err != nil {
				bad = int64(cfg.Batch)
				w.fail("%v", err)
			} else {
				for _, r := range resp.GetResults() {
					if e := r.GetError(); e != nil {
						bad++
						w.fail("%s: %s", e.GetReason(), e.GetMessage())
					} else {
						ok++
					}
				}
			}
		}
		t1 := time.Now()
		cancel()
		done.Add(ok)
		w.record(t0, t1, from, end, ok, bad, 1, false)
	}
}

// showProgress draws a time-based bar until the returned func is called.
func showProgress(cfg *Config, start, from, end time.Time, done *atomic.Int64, unit string) func() {
	if cfg.Progress == nil {
		return func() {}
	}
	total := end.Sub(start)
	bar := progressbar.NewOptions(int(total/(100*time.Millisecond)),
		progressbar.OptionSetWriter(cfg.Progress),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetDescription("warm-up"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(cfg.Progress) }),
	)
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		var lastN int64
		lastT := start
		for {
			select {
			case <-stop:
				_ = bar.Finish()
				return
			case now := <-t.C:
				n := done.Load()
				rate := float64(n-lastN) / now.Sub(lastT).Seconds()
				lastN, lastT = n, now
				phase := "warm-up"
				if now.After(from) {
					phase = "measuring"
				}
				bar.Describe(fmt.Sprintf("%-9s %6.0f %s/s", phase, rate, unit))
				_ = bar.Set(int(min(now.Sub(start), total) / (100 * time.Millisecond)))
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// WriteJSON prints the one JSON object of --json.
func WriteJSON(w io.Writer, r *Result) error {
	var v any = r
	if r.Workload == Ecommerce || r.Workload == EcommerceXML {
		v = ecomJSON(r)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// WriteReport prints the human-readable report.
func WriteReport(w io.Writer, r *Result) {
	if r.Workload == Ecommerce || r.Workload == EcommerceXML {
		writeEcomReport(w, r)
		return
	}
	mode := "PostJournal, one journal per call"
	if r.Batch > 1 {
		mode = fmt.Sprintf("PostJournals, %d journals per call", r.Batch)
	}
	what := fmt.Sprintf("%d items of one book", r.Items)
	if r.Workload == Hot {
		what = "one item in one account"
	}
	fmt.Fprintf(w, "zoneledger bench\n\n")
	fmt.Fprintf(w, "  server       %s\n", r.Server)
	fmt.Fprintf(w, "  workload     %s (%s); each journal: abroad -> bonded with value, bonded -> domestic\n", r.Workload, what)
	fmt.Fprintf(w, "  clients      %d over %d gRPC connections; %s\n", r.Clients, r.Conns, mode)
	fmt.Fprintf(w, "  measured     %s after the warm-up (warm-up: %d journals, %d errors)\n", r.Measured, r.WarmupJournals, r.WarmupErrors)
	fmt.Fprintf(w, "  journals     %d  (%.1f journals/s)\n", r.Journals, r.JournalsPerSecond)
	fmt.Fprintf(w, "  calls        %d  (%.1f calls/s)\n", r.Calls, float64(r.Calls)/r.DurationS)
	l := r.Latency
	fmt.Fprintf(w, "  latency      per call: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, mean %.2f ms\n",
		Millis(l.P50), Millis(l.P90), Millis(l.P99), Millis(l.P999), Millis(l.Max), Millis(l.Mean))
	writeErrors(w, r, "")
	writeServer(w, r)
	if r.PgbenchTPS != nil && *r.PgbenchTPS > 0 {
		fmt.Fprintf(w, "  ratio        zoneledger journals/s / pgbench tps = %.2f\n", r.JournalsPerSecond / *r.PgbenchTPS)
	}
}

// writeErrors writes the report's errors line (what says what they are)
// and its samples.
func writeErrors(w io.Writer, r *Result, what string) {
	fmt.Fprintf(w, "  errors       %d%s\n", r.Errors, what)
	for _, s := range r.ErrorSamples {
		fmt.Fprintf(w, "               e.g. %s\n", s)
	}
}

// writeServer writes the server's peak memory and pgbench's figure on the
// same PostgreSQL, when measured.
func writeServer(w io.Writer, r *Result) {
	if r.ServerPeakRSSMB != nil {
		fmt.Fprintf(w, "  server RSS   peak %.1f MB (VmHWM of the serve process)\n", *r.ServerPeakRSSMB)
	} else {
		fmt.Fprintf(w, "  server RSS   not measured (give --server-pid with --addr)\n")
	}
	if r.PgbenchTPS != nil {
		fmt.Fprintf(w, "  pgbench      %.1f tps (%s, same PostgreSQL, its own database)\n", *r.PgbenchTPS, r.PgbenchCommand)
	}
}
