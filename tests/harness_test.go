// Package tests drives the built zoneledger binaries from outside, the way
// users do: it starts `zoneledger serve` on loopback with a fresh data
// directory (embedded PostgreSQL), talks to it over gRPC with bearer tokens,
// kills and restarts it, and checks what the API reports.
//
// TestMain builds the binaries once, with -race when the tests run with
// -race (as `make test` and CI do) or ZONELEDGER_TEST_RACE_BINARIES=1 is
// set: the harness then fails a test whose server printed a data race.
package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// bins are the binaries TestMain built.
var bins struct {
	root       string // module root
	zoneledger string
	zonectl    string // "" when it did not build
	zonectlErr string // why zonectl did not build
}

// needZonectl fails the test when TestMain could not build zonectl: a
// client that does not build is a broken product, never a reason to skip.
func needZonectl(t testing.TB) {
	t.Helper()
	if bins.zonectl == "" {
		t.Fatalf("zonectl did not build, so this test cannot drive it; fix the build:\n%s", bins.zonectlErr)
	}
}

func TestMain(m *testing.M) {
	code, err := buildAndRun(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func buildAndRun(m *testing.M) (int, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return 0, fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return 0, errors.New("not inside a Go module: run the tests from the zoneledger module")
	}
	bins.root = filepath.Dir(gomod)
	dir, err := os.MkdirTemp("", "zoneledger-tests-bin-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)

	bins.zoneledger = filepath.Join(dir, "zoneledger")
	if err := goBuild(bins.zoneledger, "./cmd/zoneledger"); err != nil {
		return 0, err
	}
	if err := goBuild(filepath.Join(dir, "zonectl"), "./cmd/zonectl"); err != nil {
		bins.zonectlErr = err.Error()
	} else {
		bins.zonectl = filepath.Join(dir, "zonectl")
	}
	return m.Run(), nil
}

// goBuild builds pkg (relative to the module root) into out.
func goBuild(out, pkg string) error {
	args := []string{"build", "-o", out}
	if raceEnabled || os.Getenv("ZONELEDGER_TEST_RACE_BINARIES") != "" {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = bins.root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// Timeouts of the harness. Every wait is bounded.
const (
	startTimeout  = 3 * time.Minute  // a start may include initdb or crash recovery
	healthTimeout = 60 * time.Second // from "listening" to SERVING
	stopTimeout   = 90 * time.Second // graceful stop (the server allows itself 30 s)
	killTimeout   = 30 * time.Second
	callTimeout   = 60 * time.Second // default deadline of one test RPC
)

// Server is a running `zoneledger serve` process on a data directory of its
// own. Addr, MetricsAddr, AdminToken and TokenFile describe the current
// start; they change on Restart and must be read from the test goroutine
// only. Conn may be called from any goroutine.
type Server struct {
	t           testing.TB
	DataDir     string
	Addr        string
	MetricsAddr string
	AdminToken  string
	TokenFile   string
	args        []string
	log         *serverLog
	creds       credentials.TransportCredentials // nil: plaintext

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
	running bool
	conn    *grpc.ClientConn
	starts  int
	// tap, when set, sees every request message the harness's connection
	// sends (hostile_sweep_test.go records requests with it).
	tap requestTap
}

// StartServer starts zoneledger on a fresh data directory on 127.0.0.1:0,
// waits until its health service reports SERVING and stops it (SIGTERM)
// when the test ends. extra flags are appended to `serve`.
func StartServer(t testing.TB, extra ...string) *Server {
	t.Helper()
	return StartServerWithCreds(t, nil, extra...)
}

// StartServerWithCreds is StartServer for a server that needs transport
// credentials (TLS flags in extra); the harness connects with creds.
func StartServerWithCreds(t testing.TB, creds credentials.TransportCredentials, extra ...string) *Server {
	t.Helper()
	s := &Server{t: t, DataDir: pgtest.TempDir(t), args: extra, log: &serverLog{}, creds: creds}
	t.Cleanup(s.cleanup)
	s.start()
	return s
}

func (s *Server) cleanup() {
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running {
		if err := s.stop(); err != nil {
			s.t.Errorf("stopping the server at the end of the test: %v", err)
		}
	}
	s.closeConn()
	logs := s.log.String()
	for _, bad := range []string{"WARNING: DATA RACE", "panic:", "fatal error:"} {
		if strings.Contains(logs, bad) {
			s.t.Errorf("the server's output contains %q (see its log below)", bad)
		}
	}
	if s.t.Failed() {
		s.t.Logf("server log (last lines):\n%s", s.log.Tail(150))
	}
}

// start runs a new server process on the data directory and waits until it
// serves.
func (s *Server) start() {
	t := s.t
	t.Helper()
	s.mu.Lock()
	s.starts++
	gen := s.starts
	s.mu.Unlock()

	important := make(chan string, 8)
	w := &lineWriter{prefix: fmt.Sprintf("[start %d] ", gen), log: s.log, notify: func(line string) {
		if strings.HasPrefix(line, "zoneledger listening on ") || strings.HasPrefix(line, "admin token: ") {
			select {
			case important <- line:
			default:
			}
		}
	}}
	args := append([]string{"serve", "--data-dir", s.DataDir, "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"}, s.args...)
	cmd := exec.Command(bins.zoneledger, args...)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.WaitDelay = 10 * time.Second
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting zoneledger: %v", err)
	}
	exited := make(chan struct{})
	s.mu.Lock()
	s.cmd, s.exited, s.exitErr, s.running = cmd, exited, nil, true
	s.mu.Unlock()
	go func() {
		err := cmd.Wait()
		w.flush()
		s.mu.Lock()
		s.exitErr = err
		s.mu.Unlock()
		close(exited)
	}()

	var addr, tokenFile string
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	for addr == "" || tokenFile == "" {
		select {
		case line := <-important:
			if a, ok := strings.CutPrefix(line, "zoneledger listening on "); ok {
				addr = strings.TrimSpace(a)
			}
			if f, ok := strings.CutPrefix(line, "admin token: "); ok {
				tokenFile = strings.TrimSpace(f)
			}
		case <-exited:
			s.mu.Lock()
			s.running = false
			err := s.exitErr
			s.mu.Unlock()
			t.Fatalf("zoneledger exited before it listened (%v); log:\n%s", err, s.log.Tail(60))
		case <-deadline.C:
			t.Fatalf("zoneledger did not print its address within %v; log:\n%s", startTimeout, s.log.Tail(60))
		}
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("zoneledger listens on %q, want an address on 127.0.0.1", addr)
	}
	tok, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatalf("reading the admin token file: %v", err)
	}
	if fi, err := os.Stat(tokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("admin token file %s: mode %v, %v; want 0600", tokenFile, fi.Mode().Perm(), err)
	}
	s.Addr, s.TokenFile, s.AdminToken = addr, tokenFile, strings.TrimSpace(string(tok))
	s.MetricsAddr = s.log.metricsAddr(gen)

	creds := s.creds
	if creds == nil {
		creds = insecure.NewCredentials()
	}
	conn, err := grpc.NewClient(addr,
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)),
		grpc.WithChainUnaryInterceptor(s.tapUnary),
		grpc.WithChainStreamInterceptor(s.tapStream))
	if err != nil {
		t.Fatalf("grpc.NewClient(%s): %v", addr, err)
	}
	s.waitServing(conn, exited)
	s.mu.Lock()
	old := s.conn
	s.conn = conn
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
	t.Logf("zoneledger start %d serving on %s after %v", gen, addr, time.Since(began).Round(time.Millisecond))
}

// waitServing polls the health service until it reports SERVING.
func (s *Server) waitServing(conn *grpc.ClientConn, exited <-chan struct{}) {
	s.t.Helper()
	hc := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(healthTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			s.t.Fatalf("zoneledger exited while starting; log:\n%s", s.log.Tail(60))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		last = err
		if err == nil {
			last = fmt.Errorf("status %v", resp.GetStatus())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("zoneledger never reported SERVING within %v: %v", healthTimeout, last)
}

// Conn is the client connection to the current start, or nil while the
// server is down.
func (s *Server) Conn() *grpc.ClientConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

func (s *Server) closeConn() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Ledger is a LedgerService client on the current start.
func (s *Server) Ledger() ledgerv1.LedgerServiceClient {
	return ledgerv1.NewLedgerServiceClient(s.Conn())
}

// Admin is an AdminService client on the current start.
func (s *Server) Admin() adminv1.AdminServiceClient { return adminv1.NewAdminServiceClient(s.Conn()) }

// Alive reports whether the server process is running.
func (s *Server) Alive() bool {
	s.mu.Lock()
	exited := s.exited
	s.mu.Unlock()
	select {
	case <-exited:
		return false
	default:
		return true
	}
}

// Kill ends the server with SIGKILL (no chance to clean up) and waits for
// the process to be gone. The connection is closed afterwards, so that
// calls in flight fail the way they do when a server dies.
func (s *Server) Kill() {
	s.t.Helper()
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.t.Fatalf("SIGKILL: %v", err)
	}
	select {
	case <-exited:
	case <-time.After(killTimeout):
		s.t.Fatalf("zoneledger did not die within %v of SIGKILL", killTimeout)
	}
	s.mu.Lock()
	s.running = false
	s.mu.Unlock()
	s.closeConn()
}

// Stop asks the server to shut down gracefully (SIGTERM) and waits for it.
// It fails the test unless the server exits with status 0 in time.
func (s *Server) Stop() {
	s.t.Helper()
	if err := s.stop(); err != nil {
		s.t.Fatalf("graceful stop: %v", err)
	}
}

func (s *Server) stop() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	defer s.closeConn()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-exited:
	case <-time.After(stopTimeout):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
		return fmt.Errorf("zoneledger did not stop within %v of SIGTERM; killed it", stopTimeout)
	}
	s.mu.Lock()
	s.running = false
	err := s.exitErr
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("zoneledger exited with %v after SIGTERM; log:\n%s", err, s.log.Tail(30))
	}
	return nil
}

// Restart starts the server again on the same data directory (stopping it
// gracefully first if it runs). The address changes.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running {
		s.Stop()
	}
	s.start()
}

// serverLog keeps every line the server printed, over all its starts.
type serverLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *serverLog) add(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// Tail returns the last n lines.
func (l *serverLog) Tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := l.lines
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// metricsAddr finds the metrics address in start gen's "zoneledger serving"
// log record.
func (l *serverLog) metricsAddr(gen int) string {
	prefix := fmt.Sprintf("[start %d] ", gen)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok || !strings.HasPrefix(rest, "{") {
			continue
		}
		var rec struct {
			Msg     string `json:"msg"`
			Metrics string `json:"metrics"`
		}
		if json.Unmarshal([]byte(rest), &rec) == nil && rec.Msg == "zoneledger serving" {
			return rec.Metrics
		}
	}
	return ""
}

// lineWriter splits the server's output into lines for a serverLog.
type lineWriter struct {
	prefix  string
	log     *serverLog
	notify  func(string)
	mu      sync.Mutex
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := string(w.partial[:i])
		w.partial = w.partial[i+1:]
		w.log.add(w.prefix + line)
		w.notify(line)
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.log.add(w.prefix + string(w.partial))
		w.notify(string(w.partial))
		w.partial = nil
	}
}

// --- calling the API -------------------------------------------------------

// withToken adds "authorization: Bearer tok" to ctx; tok "" adds nothing.
func withToken(ctx context.Context, tok string) context.Context {
	if tok == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
}

// ctxAs is a context for one or a few calls as the holder of tok, bounded
// by callTimeout.
func ctxAs(t testing.TB, tok string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return withToken(ctx, tok)
}

// Enterprise ids of the standard actors.
const (
	ent1 = "ENT0000001"
	ent2 = "ENT0000002"
	ent3 = "ENT0000003"
)

// Actors are the standard principals of a test and their tokens:
// enterprises E1 and E2, customs C, platform P (linked to E1) and the
// admin.
type Actors struct {
	Admin, E1, E2, C, P string
	// TokenIDs by principal id.
	TokenIDs map[string]string
}

// NewActors creates principals e1, e2, customs and platform as the admin
// and issues each a token.
func NewActors(t testing.TB, s *Server) *Actors {
	t.Helper()
	a := &Actors{Admin: s.AdminToken, TokenIDs: map[string]string{}}
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "e1", DisplayName: "Enterprise One", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: ent1})
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "e2", DisplayName: "Enterprise Two", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: ent2})
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "customs", DisplayName: "Zone customs", Role: adminv1.Role_ROLE_CUSTOMS})
	CreatePrincipal(t, s, &adminv1.CreatePrincipalRequest{PrincipalId: "platform", DisplayName: "E-commerce platform", Role: adminv1.Role_ROLE_PLATFORM, LinkedEnterpriseIds: []string{ent1}})
	a.E1 = a.Issue(t, s, "e1")
	a.E2 = a.Issue(t, s, "e2")
	a.C = a.Issue(t, s, "customs")
	a.P = a.Issue(t, s, "platform")
	return a
}

// CreatePrincipal creates a principal as the admin.
func CreatePrincipal(t testing.TB, s *Server, req *adminv1.CreatePrincipalRequest) *adminv1.Principal {
	t.Helper()
	resp, err := s.Admin().CreatePrincipal(ctxAs(t, s.AdminToken), req)
	if err != nil {
		t.Fatalf("CreatePrincipal %s: %v", req.GetPrincipalId(), err)
	}
	return resp.GetPrincipal()
}

// Issue issues a token for principal as the admin and remembers its id.
func (a *Actors) Issue(t testing.TB, s *Server, principal string) string {
	t.Helper()
	resp, err := s.Admin().IssueToken(ctxAs(t, s.AdminToken), &adminv1.IssueTokenRequest{PrincipalId: principal, Description: "tests"})
	if err != nil {
		t.Fatalf("IssueToken %s: %v", principal, err)
	}
	if resp.GetToken() == "" || resp.GetTokenId() == "" {
		t.Fatalf("IssueToken %s: empty token or id: %v", principal, resp)
	}
	a.TokenIDs[principal] = resp.GetTokenId()
	return resp.GetToken()
}

// EnsureWorld creates world accounts as tok (customs or admin).
func EnsureWorld(t testing.TB, s *Server, tok string, names ...string) {
	t.Helper()
	if _, err := s.Ledger().EnsureWorldAccounts(ctxAs(t, tok), &ledgerv1.EnsureWorldAccountsRequest{Names: names}); err != nil {
		t.Fatalf("EnsureWorldAccounts %v: %v", names, err)
	}
}

// CreateBook creates a book as tok.
func CreateBook(t testing.TB, s *Server, tok, book, owner string, accounts ...string) *ledgerv1.Book {
	t.Helper()
	resp, err := s.Ledger().CreateBook(ctxAs(t, tok), &ledgerv1.CreateBookRequest{BookId: book, Name: "book " + book, Owner: owner, Accounts: accounts})
	if err != nil {
		t.Fatalf("CreateBook %s: %v", book, err)
	}
	return resp.GetBook()
}

// RegisterItems registers items of book as tok.
func RegisterItems(t testing.TB, s *Server, tok, book string, items ...*ledgerv1.Item) {
	t.Helper()
	if _, err := s.Ledger().RegisterItems(ctxAs(t, tok), &ledgerv1.RegisterItemsRequest{BookId: book, Items: items}); err != nil {
		t.Fatalf("RegisterItems %s: %v", book, err)
	}
}

// Post posts a journal as tok and fails the test on error.
func Post(t testing.TB, s *Server, tok string, req *ledgerv1.PostJournalRequest) *ledgerv1.Journal {
	t.Helper()
	resp, err := s.Ledger().PostJournal(ctxAs(t, tok), req)
	if err != nil {
		t.Fatalf("PostJournal %s: %v", req.GetIdempotencyKey(), err)
	}
	return resp.GetJournal()
}

// item is an Item of unit and scale.
func item(code, unit string, scale uint32) *ledgerv1.Item {
	return &ledgerv1.Item{Code: code, Unit: unit, Scale: scale, Name: "goods " + code}
}

func world(name string) *ledgerv1.AccountRef { return &ledgerv1.AccountRef{Name: name} }

func acct(book, name string) *ledgerv1.AccountRef {
	return &ledgerv1.AccountRef{BookId: book, Name: name}
}

// move is a posting of qty (and value, "" for none) of item from -> to.
func move(itemCode, unit, qty, value string, from, to *ledgerv1.AccountRef) *ledgerv1.Posting {
	return &ledgerv1.Posting{ItemCode: itemCode, Unit: unit, Quantity: qty, Value: value, From: from, To: to}
}

// journal is a journal request of book dated date.
func journal(book, key, date string, postings ...*ledgerv1.Posting) *ledgerv1.PostJournalRequest {
	num := key
	if len(num) > 64 {
		num = num[:64]
	}
	return &ledgerv1.PostJournalRequest{BookId: book, IdempotencyKey: key, EffectiveDate: date,
		Document: &ledgerv1.Document{Type: "INVT", Number: num, TradeMode: "5034"}, Postings: postings}
}

// day returns the UTC date n days from today, "YYYY-MM-DD".
// day is the zone's today plus n days, as a date string (zoneLoc: the
// servers the tests start keep the default zone time zone).
func day(n int) string { return time.Now().In(zoneLoc).AddDate(0, 0, n).Format("2006-01-02") }

// --- checking errors -------------------------------------------------------

// wantCode fails the test unless err is a gRPC status with code.
func wantCode(t testing.TB, err error, code codes.Code, what string) bool {
	t.Helper()
	if got := status.Code(err); got != code {
		t.Errorf("%s: got %v (%v), want %v", what, got, err, code)
		return false
	}
	return true
}

// wantInvalid fails the test unless err is INVALID_ARGUMENT carrying
// ErrorInfo (domain zoneledger) that names field ("a|b": either).
func wantInvalid(t testing.TB, err error, field, what string) {
	t.Helper()
	if !wantCode(t, err, codes.InvalidArgument, what) {
		return
	}
	info := errorInfo(err)
	if info == nil {
		t.Errorf("%s: no google.rpc.ErrorInfo in %v", what, err)
		return
	}
	if info.GetDomain() != errorsv1.Domain || info.GetReason() == "" {
		t.Errorf("%s: ErrorInfo domain %q reason %q, want domain %q and a reason", what, info.GetDomain(), info.GetReason(), errorsv1.Domain)
	}
	got := errorsv1.FieldOf(err)
	if got == "" {
		t.Errorf("%s: the error names no field (ErrorInfo.metadata[field] empty), want %q; error: %v", what, field, err)
	} else if !slices.Contains(strings.Split(field, "|"), got) {
		t.Errorf("%s: the error names field %q, want %q; error: %v", what, got, field, err)
	}
}

func errorInfo(err error) *errdetails.ErrorInfo {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info
		}
	}
	return nil
}

// dec parses a decimal from the API, failing the test on garbage.
func dec(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("the server returned %q, not a decimal: %v", s, err)
	}
	return d
}

// balanceMap reads the current holdings of book (summed over lots) as
// "account/item" -> quantity|value.
func balanceMap(t testing.TB, s *Server, tok, book string) map[string]string {
	t.Helper()
	resp, err := s.Ledger().GetBalances(ctxAs(t, tok), &ledgerv1.GetBalancesRequest{BookId: book})
	if err != nil {
		t.Fatalf("GetBalances %s: %v", book, err)
	}
	out := map[string]string{}
	for _, b := range resp.GetBalances() {
		k := b.GetAccount().GetName() + "/" + b.GetItemCode()
		out[k] = dec(t, b.GetQuantity()).String() + "|" + dec(t, b.GetValue()).StringFixed(2)
	}
	return out
}

// streamAll reads every journal of book through StreamJournals.
func streamAll(t testing.TB, s *Server, tok, book string) []*ledgerv1.Journal {
	t.Helper()
	ctx, cancel := context.WithTimeout(withToken(context.Background(), tok), 3*time.Minute)
	defer cancel()
	st, err := s.Ledger().StreamJournals(ctx, &ledgerv1.StreamJournalsRequest{BookId: book})
	if err != nil {
		t.Fatalf("StreamJournals %s: %v", book, err)
	}
	var out []*ledgerv1.Journal
	for {
		resp, err := st.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out
			}
			t.Fatalf("StreamJournals %s after %d journals: %v", book, len(out), err)
		}
		out = append(out, resp.GetJournal())
	}
}
