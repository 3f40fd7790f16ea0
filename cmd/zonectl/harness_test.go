package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/conn"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// fakeServer answers zonectl's calls in-process, in place of the gRPC
// connection under the generated clients, so that one fake serves every
// service. calls maps a full method name (the generated *_FullMethodName
// constants) to its answer: a handler func(*Req) (*Resp, error), or a
// *Resp sent for any request. streams maps a server-streaming method to
// what it sends. A call the test did not set fails the test.
type fakeServer struct {
	t       *testing.T
	calls   map[string]any
	streams map[string]*fakeStream
}

// Invoke answers a unary call with the handler or message the test set.
func (f *fakeServer) Invoke(_ context.Context, method string, args, reply any, _ ...grpc.CallOption) error {
	answer, ok := f.calls[method]
	if !ok {
		f.t.Errorf("zonectl called %s, which the test does not answer", method)
		return status.Errorf(codes.Unimplemented, "%s is not answered by the test", method)
	}
	resp, isMsg := answer.(proto.Message)
	if !isMsg {
		out := reflect.ValueOf(answer).Call([]reflect.Value{reflect.ValueOf(args)})
		if err, _ := out[1].Interface().(error); err != nil {
			return err
		}
		resp, _ = out[0].Interface().(proto.Message)
	}
	if resp != nil && resp.ProtoReflect().IsValid() {
		proto.Merge(reply.(proto.Message), resp)
	}
	return nil
}

// NewStream opens the server stream the test set for method.
func (f *fakeServer) NewStream(ctx context.Context, _ *grpc.StreamDesc, method string, _ ...grpc.CallOption) (grpc.ClientStream, error) {
	s, ok := f.streams[method]
	if !ok {
		f.t.Errorf("zonectl opened %s, which the test does not answer", method)
		return nil, status.Errorf(codes.Unimplemented, "%s is not answered by the test", method)
	}
	return &fakeClientStream{ctx: ctx, msgs: s.msgs, err: s.err}, nil
}

// fakeStream is what a server stream sends: msgs, then err (nil: the end).
type fakeStream struct {
	msgs []proto.Message
	err  error
}

// fakeClientStream plays one fakeStream to the client.
type fakeClientStream struct {
	grpc.ClientStream
	ctx  context.Context
	msgs []proto.Message
	err  error
}

func (s *fakeClientStream) Context() context.Context { return s.ctx }
func (s *fakeClientStream) SendMsg(any) error        { return nil }
func (s *fakeClientStream) CloseSend() error         { return nil }

func (s *fakeClientStream) RecvMsg(m any) error {
	if len(s.msgs) == 0 {
		if s.err != nil {
			return s.err
		}
		return io.EOF
	}
	proto.Merge(m.(proto.Message), s.msgs[0])
	s.msgs = s.msgs[1:]
	return nil
}

// harness runs zonectl against a fakeServer.
type harness struct {
	*fakeServer
	t       *testing.T
	env     map[string]string
	dialed  *conn.Config
	stdin   string
	stdout  bytes.Buffer
	stderr  bytes.Buffer
	nodial  bool
	lastRun int
}

func newHarness(t *testing.T) *harness {
	srv := &fakeServer{t: t, calls: map[string]any{adminv1.AdminService_WhoAmI_FullMethodName: &adminv1.WhoAmIResponse{}},
		streams: map[string]*fakeStream{}}
	return &harness{fakeServer: srv, t: t, env: map[string]string{conn.EnvToken: "zl_test_secret"}}
}

// run runs zonectl with args and returns its exit code; dialing the server
// fails the test when h.nodial is set.
func (h *harness) run(args ...string) int {
	h.t.Helper()
	h.lastRun = h.app(args).execute(h.t.Context(), args)
	return h.lastRun
}

// app is a zonectl that runs args against the fake server.
func (h *harness) app(args []string) *app {
	h.stdout.Reset()
	h.stderr.Reset()
	a := newApp(&h.stdout, &h.stderr)
	a.stdin = strings.NewReader(h.stdin)
	a.getenv = func(k string) string { return h.env[k] }
	a.dial = func(cfg conn.Config) (*clients, error) {
		if h.nodial {
			h.t.Errorf("zonectl %s dialed the server", strings.Join(args, " "))
		}
		h.dialed = &cfg
		cc := h.fakeServer
		return &clients{ledger: ledgerv1.NewLedgerServiceClient(cc), admin: adminv1.NewAdminServiceClient(cc),
			books: customsv1.NewBookServiceClient(cc), decls: customsv1.NewDeclarationServiceClient(cc),
			gate: customsv1.NewGateServiceClient(cc), display: customsv1.NewDisplayServiceClient(cc),
			ecommerce: customsv1.NewEcommerceServiceClient(cc), processing: customsv1.NewProcessingServiceClient(cc),
			rnd: customsv1.NewRndServiceClient(cc), repair: customsv1.NewRepairServiceClient(cc),
			writeoff: customsv1.NewWriteOffServiceClient(cc), outzone: customsv1.NewOutZoneServiceClient(cc), cc: cc}, nil
	}
	return a
}

// output runs zonectl with args and returns its exit code, stdout and
// stderr.
func (h *harness) output(args ...string) (int, string, string) {
	h.t.Helper()
	code := h.run(args...)
	return code, h.stdout.String(), h.stderr.String()
}

// expect fails the test unless the last run exited with code.
func (h *harness) expect(code int) {
	h.t.Helper()
	if h.lastRun != code {
		h.t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", h.lastRun, code, h.stdout.String(), h.stderr.String())
	}
}

// expectUsage runs each command line on a fresh harness and checks that
// it is a usage error (exit 2, "error: ...") found without dialing.
func expectUsage(t *testing.T, cases [][]string) {
	t.Helper()
	for _, args := range cases {
		h := newHarness(t)
		h.nodial = true
		if code := h.run(args...); code != exitUsage {
			t.Errorf("zonectl %s: exit %d, want 2; stderr: %s", strings.Join(args, " "), code, h.stderr.String())
		}
		if !strings.HasPrefix(h.stderr.String(), "error: ") {
			t.Errorf("zonectl %s: stderr %q", strings.Join(args, " "), h.stderr.String())
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// refusal is a server error with ErrorInfo reason and field.
func refusal(c codes.Code, reason, field, msg string) error {
	st, _ := status.New(c, msg).WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: "zoneledger", Metadata: map[string]string{"field": field}})
	return st.Err()
}
