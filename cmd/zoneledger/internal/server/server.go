// Package server assembles the zoneledger gRPC server: the database (an
// embedded PostgreSQL by default), migrations, the ledger store, the services,
// authentication, metrics, health and reflection.
package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/accessapi"
	"github.com/zoneledger/zoneledger/customs/customsapi"
	"github.com/zoneledger/zoneledger/customs/ecommerce"
	"github.com/zoneledger/zoneledger/customs/evidence"
	"github.com/zoneledger/zoneledger/customs/processing"
	"github.com/zoneledger/zoneledger/customs/repair"
	"github.com/zoneledger/zoneledger/customs/tax"
	"github.com/zoneledger/zoneledger/customs/taxapi"
	"github.com/zoneledger/zoneledger/customs/writeoff"
	"github.com/zoneledger/zoneledger/customs/zone"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	"github.com/zoneledger/zoneledger/ledger/ledgerapi"
	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
	"github.com/zoneledger/zoneledger/ledger/pgshared/migrate"
	"github.com/zoneledger/zoneledger/ledger/pgstore"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// Config is everything the server needs; cmd/zoneledger fills it from flags.
type Config struct {
	// DataDir holds the embedded PostgreSQL cluster and the first admin
	// token. Used when DatabaseURL is empty.
	DataDir string
	// DatabaseURL selects an existing PostgreSQL or CockroachDB.
	DatabaseURL string
	// Engine forces "postgresql" or "cockroachdb"; empty detects.
	Engine string
	// Listen is the gRPC address. Default 127.0.0.1:7420.
	Listen string
	// MetricsListen is the Prometheus HTTP address; empty disables it.
	MetricsListen string
	// TLSCert and TLSKey enable TLS; ClientCA additionally requires client
	// certificates signed by it (mTLS).
	TLSCert, TLSKey, ClientCA string
	// MaxBatch and MaxWait bound the ledger's write batches.
	MaxBatch int
	MaxWait  time.Duration
	// AuthCacheTTL is how long an authenticated token is trusted without a
	// database lookup.
	AuthCacheTTL time.Duration
	// AdminTokenFile is where the first admin token is written when the
	// database has no admin yet. Default: <data-dir>/admin.token with the
	// embedded database; with --database-url, none unless set.
	AdminTokenFile string
	// TariffFile is the tariff table (CSV, customs/tax/README.md); empty
	// means the illustrative sample tariff.
	TariffFile string
	// TariffName names the tariff of TariffFile and its version; every
	// Quote and taxable event records it. Empty means the file's base name.
	TariffName string
	// PositiveListFile is the cross-border positive list (CSV
	// hs_prefix,annual_cap,note); empty means the illustrative sample.
	PositiveListFile string
	// Zone, Tax and Ecommerce are the customs rules (the config file's
	// [zone], [tax] and [ecommerce] tables); nil means the libraries'
	// defaults. Their Location is the zone's TimeZone, whatever they say.
	Zone      *zone.Settings
	Tax       *tax.Settings
	Ecommerce *ecommerce.Settings
	// Processing are the rules of customs/processing (the config file's
	// [processing] table); nil means its defaults.
	Processing *processing.Settings
	// Repair are the rules of customs/repair (the config file's [repair]
	// table); nil means its defaults.
	Repair *repair.Settings
	// WriteOff are the rules of customs/writeoff's cycle and stocktake (the
	// config file's [writeoff] table); nil means its defaults.
	WriteOff *writeoff.CycleSettings
	// TimeZone is the zone's time zone (an IANA name): "today" for the
	// ledger's horizon and the customs services' business dates is the
	// day there. Empty means ledger.DefaultTimeZone, Asia/Shanghai.
	TimeZone string
	// FutureDays is how many days after the zone's today an effective date
	// may be (pgstore.Options.FutureDays); default 0.
	FutureDays int
	// MaxPostingsPerCall bounds the postings of one PostJournal or
	// PostJournals call; 0 means DefaultMaxPostingsPerCall.
	MaxPostingsPerCall int
	// MaxInFlightBytes bounds the request bytes of all calls in flight; 0
	// means DefaultMaxInFlightBytes.
	MaxInFlightBytes int64
	// MaxPrincipalInFlightBytes bounds the request bytes one principal has
	// in flight; it is also the largest message the server reads. 0 means
	// DefaultMaxPrincipalInFlightBytes.
	MaxPrincipalInFlightBytes int64
	Logger                    *slog.Logger
}

// Server is a running zoneledger server.
type Server struct {
	cfg     Config
	log     *slog.Logger
	pg      *embedpg.Instance
	store   *pgstore.Store
	ecom    *ecommerce.Service
	grpc    *grpc.Server
	metrics *http.Server
	lis     net.Listener
	health  *health.Server
	done    chan error
	served  chan struct{} // closed when the gRPC Serve goroutine has returned and reported
	// The database watch (dbwatch.go), and the error that made it give up.
	watchCancel   context.CancelFunc
	watchDone     chan struct{}
	fatalMu       sync.Mutex
	fatal         error
	stopping      chan struct{} // closed by Stop: ends health Watch streams
	closeStopping sync.Once
	stopOnce      sync.Once // Stop's work, done once whoever calls it
	stopErr       error
	// Addr is the address gRPC listens on.
	Addr string
	// MetricsAddr is the address metrics are served on, if any.
	MetricsAddr string
	// AdminTokenFile is where the first admin token was written (embedded
	// default only).
	AdminTokenFile string
	// DatabaseURL is the database in use.
	DatabaseURL string
}

// Start brings the server up and returns once it accepts calls.
func Start(ctx context.Context, cfg Config) (_ *Server, err error) {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:7420"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, log: cfg.Logger, done: make(chan error, 2)}
	grpcedge.SetErrorLogger(s.log)
	defer func() {
		if err != nil {
			s.shutdownStorage(context.WithoutCancel(ctx))
		}
	}()

	url := cfg.DatabaseURL
	if url == "" {
		if cfg.DataDir == "" {
			cfg.DataDir = "zoneledger-data"
		}
		dir, err := filepath.Abs(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		s.log.Info("starting embedded PostgreSQL", "data_dir", dir)
		s.pg, err = embedpg.Start(ctx, embedpg.Config{DataDir: clusterDir(dir), Logger: s.log})
		if err != nil {
			return nil, fmt.Errorf("starting the embedded PostgreSQL: %w", err)
		}
		url = s.pg.URL("zoneledger")
		s.AdminTokenFile = filepath.Join(dir, "admin.token")
	}
	if cfg.AdminTokenFile != "" {
		s.AdminTokenFile = cfg.AdminTokenFile
	}
	s.DatabaseURL = url

	if cfg.TimeZone == "" {
		cfg.TimeZone = ledger.DefaultTimeZone
	}
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("--time-zone %q: %w; give an IANA time zone name such as Asia/Shanghai", cfg.TimeZone, err)
	}
	if cfg.FutureDays < 0 {
		return nil, fmt.Errorf("--future-days %d: give 0 or more days", cfg.FutureDays)
	}

	m := newMetrics()
	s.store, err = pgstore.Open(ctx, url, pgstore.Options{Engine: pgstore.Engine(cfg.Engine), MaxBatch: cfg.MaxBatch, MaxWait: cfg.MaxWait, Metrics: m,
		TimeZone: loc, FutureDays: cfg.FutureDays})
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, s.store.Pool()); err != nil {
		return nil, err
	}
	accessStore := access.NewStore(s.store.Pool(), access.Options{CacheTTL: cfg.AuthCacheTTL, Engine: s.store.Engine()})
	if s.AdminTokenFile != "" {
		created, err := accessStore.Bootstrap(ctx, s.AdminTokenFile)
		if err != nil {
			return nil, fmt.Errorf("creating the first admin token: %w", err)
		}
		if created {
			s.log.Info("wrote the first admin token", "file", s.AdminTokenFile)
		}
	}

	tariff := tax.SampleTariff()
	if cfg.TariffFile != "" {
		f, err := os.Open(cfg.TariffFile)
		if err != nil {
			return nil, fmt.Errorf("reading the tariff (tax.tariff_file or --tariff): %w", err)
		}
		tariff, err = tax.ParseTariff(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the tariff %s (tax.tariff_file or --tariff): %w (format: customs/tax/README.md)", cfg.TariffFile, err)
		}
		name := cfg.TariffName
		if name == "" {
			name = filepath.Base(cfg.TariffFile)
		}
		tariff = tariff.Named(name)
	} else {
		s.log.Warn("no tariff file given (tax.tariff_file or --tariff): taxes are quoted from the illustrative sample tariff, which is not the customs tariff; every quote and taxable event records its name",
			"tariff", tariff.Name())
	}
	s.log.Info("tariff in force", "tariff", tariff.Name())
	taxSet := tax.DefaultSettings()
	if cfg.Tax != nil {
		taxSet = *cfg.Tax
	}
	taxEngine, err := tax.NewEngine(taxSet, tariff)
	if err != nil {
		return nil, fmt.Errorf("building the tax engine: %w", err)
	}
	zoneSet := zone.DefaultSettings()
	if cfg.Zone != nil {
		zoneSet = *cfg.Zone
	}
	zoneSet.Location = loc
	zoneSvc, err := zone.New(s.store.Pool(), s.store, zone.Options{Settings: &zoneSet, Tax: taxEngine, Engine: s.store.Engine()})
	if err != nil {
		return nil, fmt.Errorf("building the zone service: %w", err)
	}
	if err := zoneSvc.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the zone service: %w", err)
	}
	// Cross-border e-commerce (1210) checks orders against the positive list
	// given, or the illustrative sample one.
	ecomSet := ecommerce.DefaultSettings()
	if cfg.Ecommerce != nil {
		ecomSet = *cfg.Ecommerce
	}
	ecomSet.Location = loc
	ecomSet.PositiveList = ecommerce.SamplePositiveList()
	if cfg.PositiveListFile != "" {
		f, err := os.Open(cfg.PositiveListFile)
		if err != nil {
			return nil, fmt.Errorf("reading the positive list (ecommerce.positive_list_file or --positive-list): %w", err)
		}
		ecomSet.PositiveList, err = ecommerce.ParsePositiveList(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the positive list %s (ecommerce.positive_list_file or --positive-list): %w", cfg.PositiveListFile, err)
		}
	} else {
		s.log.Warn("no positive list file given (ecommerce.positive_list_file or --positive-list): cross-border orders are checked against the illustrative sample list, which is not the customs positive list")
	}
	ecomSvc, err := ecommerce.New(s.store.Pool(), s.store, zoneSvc, taxEngine, ecommerce.Options{Settings: &ecomSet, Engine: s.store.Engine(), Logger: s.log})
	if err != nil {
		return nil, fmt.Errorf("building the e-commerce service: %w", err)
	}
	// Finish the returns a crash interrupted (a release commits in one
	// transaction and needs no recovery).
	s.ecom = ecomSvc
	if err := ecomSvc.Recover(ctx); err != nil {
		return nil, fmt.Errorf("recovering the e-commerce service: %w", err)
	}

	procSvc, err := processing.New(s.store.Pool(), s.store, zoneSvc, processing.Options{Settings: cfg.Processing, Engine: s.store.Engine()})
	if err != nil {
		return nil, fmt.Errorf("building the processing service: %w", err)
	}
	if err := procSvc.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the processing service: %w", err)
	}
	repSvc, err := repair.New(s.store.Pool(), s.store, zoneSvc, repair.Options{Settings: cfg.Repair})
	if err != nil {
		return nil, fmt.Errorf("building the repair service: %w", err)
	}
	if err := repSvc.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the repair service: %w", err)
	}
	cycles, err := writeoff.NewCycles(s.store.Pool(), s.store, zoneSvc, writeoff.CycleOptions{Settings: cfg.WriteOff, Processing: procSvc, Ecommerce: ecomSvc})
	if err != nil {
		return nil, fmt.Errorf("building the write-off cycle service: %w", err)
	}
	if err := cycles.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the write-off cycle service: %w", err)
	}
	zoneSvc.SetOverdueSource(repSvc) // repair orders in the one overdue listing
	evSvc, err := evidence.New(s.store.Pool(), s.store, zoneSvc, []evidence.Source{procSvc, repSvc, cycles}, evidence.Options{Engine: s.store.Engine(), Ecommerce: ecomSvc})
	if err != nil {
		return nil, fmt.Errorf("building the evidence service: %w", err)
	}
	cycles.SetEvidence(evSvc) // closing a write-off seals its evidence

	opts, err := s.transportOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, interceptorChain(m, s.log, accessStore, cfg)...)
	s.grpc = grpc.NewServer(opts...)
	ledgerv1.RegisterLedgerServiceServer(s.grpc, ledgerapi.NewServer(s.store, guard{}))
	adminv1.RegisterAdminServiceServer(s.grpc, accessapi.NewServer(accessStore))
	customsv1.RegisterTaxServiceServer(s.grpc, taxapi.NewServer(taxEngine))
	customsv1.RegisterBookServiceServer(s.grpc, customsapi.NewBookServer(zoneSvc))
	customsv1.RegisterDeclarationServiceServer(s.grpc, customsapi.NewDeclarationServer(zoneSvc))
	customsv1.RegisterGateServiceServer(s.grpc, customsapi.NewGateServer(zoneSvc))
	customsv1.RegisterDisplayServiceServer(s.grpc, customsapi.NewDisplayServer(zoneSvc))
	customsv1.RegisterEcommerceServiceServer(s.grpc, customsapi.NewEcommerceServer(ecomSvc))
	customsv1.RegisterProcessingServiceServer(s.grpc, customsapi.NewProcessingServer(procSvc, func() time.Time { return ledger.DayIn(time.Now(), loc) }))
	customsv1.RegisterRndServiceServer(s.grpc, customsapi.NewRndServer(procSvc))
	customsv1.RegisterRepairServiceServer(s.grpc, customsapi.NewRepairServer(repSvc))
	customsv1.RegisterWriteOffServiceServer(s.grpc, customsapi.NewWriteOffServer(customsapi.NewWriteOffCycleServer(cycles),
		customsapi.NewBalanceServer(writeoff.NewBalances(zoneSvc, s.store)), evSvc))
	customsv1.RegisterOutZoneServiceServer(s.grpc, customsapi.NewOutZoneServer(zoneSvc))
	s.health = health.NewServer()
	s.stopping = make(chan struct{})
	healthpb.RegisterHealthServer(s.grpc, healthService{Server: s.health, stopping: s.stopping})
	reflection.Register(s.grpc)

	s.lis, err = net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w (use --listen to pick another address)", cfg.Listen, err)
	}
	s.Addr = s.lis.Addr().String()
	if cfg.MetricsListen != "" {
		ml, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			s.lis.Close()
			return nil, fmt.Errorf("listening for metrics on %s: %w", cfg.MetricsListen, err)
		}
		s.MetricsAddr = ml.Addr().String()
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
		s.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.metrics.Serve(ml) }()
	}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		err := s.grpc.Serve(s.lis)
		if errors.Is(err, grpc.ErrServerStopped) {
			// Stop came before Serve began: a stop asked for, not a failure.
			err = nil
		}
		s.done <- err
	}()
	s.setServing(true)
	s.startWatch(url)
	s.log.Info("zoneledger serving", "addr", s.Addr, "metrics", s.MetricsAddr, "engine", s.store.Engine())
	return s, nil
}

// interceptorChain is the edge every call passes, in order: metrics;
// recovery (a panic or raw error becomes INTERNAL with an error id);
// authentication; the limits on what a call and a principal hold in
// flight; validation (text PostgreSQL can store, then the protovalidate
// rules). Handlers run only after all of them. The codec (grpcedge.TextCodec) lets
// a string with invalid UTF-8 be refused there as INVALID_ARGUMENT, not by
// the decoder as INTERNAL.
func interceptorChain(m *metrics, log *slog.Logger, a *access.Store, cfg Config) []grpc.ServerOption {
	recUnary, recStream := grpcedge.RecoveryInterceptors(log)
	authUnary, authStream := accessapi.Interceptors(a)
	lim := newLimiter(cfg)
	limUnary, limStream := lim.Interceptors()
	valUnary, valStream := grpcedge.ValidationInterceptors()
	return []grpc.ServerOption{
		grpc.ChainUnaryInterceptor(m.unary, recUnary, authUnary, limUnary, valUnary),
		grpc.ChainStreamInterceptor(m.stream, recStream, authStream, limStream, valStream),
		grpc.MaxRecvMsgSize(lim.MaxRecvMsgSize()),
		grpc.ForceServerCodecV2(grpcedge.NewTextCodec()),
	}
}

// MigrationSets are the schema migrations of every component, in the order
// they are applied.
func MigrationSets() []migrate.Set {
	return []migrate.Set{pgstore.Migrations(), access.Migrations(), zone.Migrations(), ecommerce.Migrations(), processing.Migrations(), repair.Migrations(), writeoff.CycleMigrations(), evidence.Migrations()}
}

// Migrate applies every component's pending migrations.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	for _, set := range MigrationSets() {
		if _, err := set.Up(ctx, pool); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) transportOptions() ([]grpc.ServerOption, error) {
	if s.cfg.TLSCert == "" && s.cfg.TLSKey == "" {
		if s.cfg.ClientCA != "" {
			return nil, errors.New("--client-ca needs --tls-cert and --tls-key")
		}
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if s.cfg.ClientCA != "" {
		pem, err := os.ReadFile(s.cfg.ClientCA)
		if err != nil {
			return nil, fmt.Errorf("reading the client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificates found in %s", s.cfg.ClientCA)
		}
		tc.ClientCAs, tc.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return []grpc.ServerOption{grpc.Creds(credentials.NewTLS(tc))}, nil
}

// storageStopTimeout bounds the database's shutdown when Stop's context
// ended while calls were finishing.
const storageStopTimeout = 15 * time.Second

// Done yields the error that stopped serving: nil after Stop, or why the
// database could not be brought back (then Stop returns that error too).
func (s *Server) Done() <-chan error { return s.done }

// Stop shuts down gracefully: new calls are refused, in-flight calls and
// write batches finish, then the database closes and the embedded
// PostgreSQL stops. When the server stopped serving because the database
// could not be brought back, Stop returns that error. Stop may be called
// more than once and from several goroutines: the first call stops the
// server, and every call returns when it has stopped, with its error.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	s.health.Shutdown()
	s.closeStopping.Do(func() { close(s.stopping) })
	s.stopWatch()
	stopped := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-ctx.Done():
		s.grpc.Stop()
	}
	if s.served != nil {
		// Serve returns at once on a stopped server; wait so that Done
		// has its answer by the time Stop returns.
		<-s.served
	}
	if s.metrics != nil {
		_ = s.metrics.Shutdown(ctx)
	}
	if ctx.Err() != nil {
		// The calls took all of ctx: still give PostgreSQL its fast
		// shutdown rather than kill it.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), storageStopTimeout)
		defer cancel()
	}
	err := s.shutdownStorage(ctx)
	s.fatalMu.Lock()
	defer s.fatalMu.Unlock()
	if s.fatal != nil {
		return errors.Join(s.fatal, err)
	}
	return err
}

func (s *Server) shutdownStorage(ctx context.Context) error {
	if s.ecom != nil {
		s.ecom.Close()
		s.ecom = nil
	}
	if s.store != nil {
		s.store.Close()
		s.store = nil
	}
	if s.pg != nil {
		err := s.pg.Stop(ctx)
		s.pg = nil
		return err
	}
	return nil
}
