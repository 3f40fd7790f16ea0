package accessapi_test

import (
	"context"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/customs/accessapi"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// env is an in-process server on loopback with principals of every role.
type env struct {
	store  *access.Store
	conn   *grpc.ClientConn
	client adminv1.AdminServiceClient
	tokens map[string]string // principal ID -> token
}

func newEnv(t *testing.T) *env { return newEnvWith(t, true) }

// newEnvWith builds the env, with or without grpcedge's validation
// interceptors behind the authentication ones.
func newEnvWith(t *testing.T, validate bool) *env {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	store := access.NewStore(pool, access.Options{})
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := &env{store: store, tokens: map[string]string{}}
	for _, p := range []access.Principal{
		{ID: "root", Role: access.RoleAdmin},
		{ID: "cus", Role: access.RoleCustoms},
		{ID: "e1", Role: access.RoleEnterprise, Enterprise: "ENT1"},
		{ID: "shop", Role: access.RolePlatform, LinkedEnterprises: []string{"ENT1"}},
	} {
		if _, err := store.CreatePrincipal(ctx, p); err != nil {
			t.Fatal(err)
		}
		tok, err := store.IssueToken(ctx, p.ID, "test", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[p.ID] = tok.Token
	}

	authU, authS := accessapi.Interceptors(store)
	unary, stream := []grpc.UnaryServerInterceptor{authU}, []grpc.StreamServerInterceptor{authS}
	if validate {
		valU, valS := grpcedge.ValidationInterceptors()
		unary, stream = append(unary, valU), append(stream, valS)
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(unary...), grpc.ChainStreamInterceptor(stream...))
	adminv1.RegisterAdminServiceServer(srv, accessapi.NewServer(store))
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(lis) }()
	t.Cleanup(func() { srv.Stop(); <-done })

	e.conn, err = grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.conn.Close() })
	e.client = adminv1.NewAdminServiceClient(e.conn)
	return e
}

// as returns a context calling as the principal with the given ID.
func (e *env) as(t *testing.T, id string) context.Context {
	t.Helper()
	tok, ok := e.tokens[id]
	if !ok {
		t.Fatalf("no token for %s", id)
	}
	return withAuth(tok)
}

func withAuth(header string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+header)
}

// call is one AdminService method with a well-formed request.
type call struct {
	req, resp proto.Message
}

// calls has a valid request for every AdminService method; the test fails
// when the service gains a method this table lacks.
func calls(t *testing.T) map[string]call {
	t.Helper()
	m := map[string]call{
		"CreatePrincipal":  {&adminv1.CreatePrincipalRequest{PrincipalId: "new1", Role: adminv1.Role_ROLE_CUSTOMS}, &adminv1.CreatePrincipalResponse{}},
		"GetPrincipal":     {&adminv1.GetPrincipalRequest{PrincipalId: "e1"}, &adminv1.GetPrincipalResponse{}},
		"ListPrincipals":   {&adminv1.ListPrincipalsRequest{}, &adminv1.ListPrincipalsResponse{}},
		"DisablePrincipal": {&adminv1.DisablePrincipalRequest{PrincipalId: "e1"}, &adminv1.DisablePrincipalResponse{}},
		"IssueToken":       {&adminv1.IssueTokenRequest{PrincipalId: "e1"}, &adminv1.IssueTokenResponse{}},
		"ListTokens":       {&adminv1.ListTokensRequest{PrincipalId: "e1"}, &adminv1.ListTokensResponse{}},
		"RevokeToken":      {&adminv1.RevokeTokenRequest{TokenId: "tok_0000000000000000"}, &adminv1.RevokeTokenResponse{}},
		"WhoAmI":           {&adminv1.WhoAmIRequest{}, &adminv1.WhoAmIResponse{}},
	}
	desc := adminv1.AdminService_ServiceDesc
	if len(desc.Streams) != 0 {
		t.Fatalf("AdminService has streaming methods %v; add them to this test", desc.Streams)
	}
	for _, md := range desc.Methods {
		if _, ok := m[md.MethodName]; !ok {
			t.Fatalf("AdminService.%s has no request in this test's table; add one", md.MethodName)
		}
	}
	if len(m) != len(desc.Methods) {
		t.Fatalf("the test table has %d methods, the service %d", len(m), len(desc.Methods))
	}
	return m
}

func invoke(ctx context.Context, conn *grpc.ClientConn, method string, c call) error {
	return conn.Invoke(ctx, "/"+adminv1.AdminService_ServiceDesc.ServiceName+"/"+method, c.req, c.resp)
}

func wantStatus(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	if got := status.Code(err); got != code {
		t.Fatalf("got %v (%v), want code %v", got, err, code)
	}
	if got := errorsv1.ReasonOf(err); got != reason {
		t.Fatalf("got reason %q (%v), want %q", got, err, reason)
	}
}

func TestUnauthenticatedEveryMethod(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	revoked, err := e.store.IssueToken(ctx, "e1", "to revoke", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.RevokeToken(ctx, revoked.Info.ID); err != nil {
		t.Fatal(err)
	}
	unknown := "zl_" + strings.Repeat("A", 43)
	creds := map[string]context.Context{
		"no metadata":   ctx,
		"empty bearer":  metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "),
		"basic auth":    metadata.AppendToOutgoingContext(ctx, "authorization", "Basic "+e.tokens["root"]),
		"bare token":    metadata.AppendToOutgoingContext(ctx, "authorization", e.tokens["root"]),
		"garbage":       withAuth("not-a-token"),
		"unknown token": withAuth(unknown),
		"revoked token": withAuth(revoked.Token),
		"two headers":   metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+e.tokens["root"], "authorization", "Bearer "+e.tokens["root"]),
	}
	for method, c := range calls(t) {
		for name, cctx := range creds {
			t.Run(method+"/"+name, func(t *testing.T) {
				err := invoke(cctx, e.conn, method, c)
				wantStatus(t, err, codes.Unauthenticated, ledger.ReasonUnauthenticated)
				if name == "no metadata" && !strings.Contains(status.Convert(err).Message(), "authorization: Bearer") {
					t.Errorf("message %q does not say how to pass a token", status.Convert(err).Message())
				}
			})
		}
		// Authentication comes before validation: an invalid request
		// without credentials learns nothing about its fields.
		t.Run(method+"/invalid body", func(t *testing.T) {
			empty := call{req: c.req.ProtoReflect().New().Interface(), resp: c.resp}
			wantStatus(t, invoke(ctx, e.conn, method, empty), codes.Unauthenticated, ledger.ReasonUnauthenticated)
		})
	}
	// A disabled principal's token is refused too.
	if _, err := e.store.DisablePrincipal(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.WhoAmI(e.as(t, "shop"), &adminv1.WhoAmIRequest{})
	wantStatus(t, err, codes.Unauthenticated, ledger.ReasonUnauthenticated)
}

func TestNonAdminDeniedEveryAdminMethod(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"cus", "e1", "shop"} {
		for method, c := range calls(t) {
			t.Run(who+"/"+method, func(t *testing.T) {
				err := invoke(e.as(t, who), e.conn, method, c)
				if method == "WhoAmI" {
					if err != nil {
						t.Fatalf("WhoAmI as %s: %v", who, err)
					}
					if got := c.resp.(*adminv1.WhoAmIResponse).GetPrincipal().GetPrincipalId(); got != who {
						t.Fatalf("WhoAmI as %s says %s", who, got)
					}
					return
				}
				wantStatus(t, err, codes.PermissionDenied, ledger.ReasonPermissionDenied)
			})
		}
	}
	// Nothing was changed by the refused calls.
	if p, err := e.store.GetPrincipal(context.Background(), "e1"); err != nil || p.Disabled {
		t.Fatalf("e1 after refused calls: %+v, %v", p, err)
	}
	if _, err := e.store.GetPrincipal(context.Background(), "new1"); err == nil {
		t.Fatal("a refused CreatePrincipal created a principal")
	}
}

func TestHealthAndReflectionWithoutToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	resp, err := healthpb.NewHealthClient(e.conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health check without a token: %v, %v", resp, err)
	}
	stream, err := reflectionpb.NewServerReflectionClient(e.conn).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	r, err := stream.Recv()
	if err != nil {
		t.Fatalf("reflection without a token: %v", err)
	}
	var names []string
	for _, s := range r.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	if !slices.Contains(names, adminv1.AdminService_ServiceDesc.ServiceName) {
		t.Fatalf("reflection lists %v", names)
	}
	_ = stream.CloseSend()
}

func TestExempt(t *testing.T) {
	for m, want := range map[string]bool{
		"/grpc.health.v1.Health/Check":                                   true,
		"/grpc.health.v1.Health/Watch":                                   true,
		"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo":      true,
		"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": true,
		"/zoneledger.admin.v1.AdminService/WhoAmI":                       false,
		"/grpc.health.v1.HealthX/Check":                                  false,
		"/zoneledger.ledger.v1.LedgerService/ListBooks":                  false,
	} {
		if got := accessapi.Exempt(m); got != want {
			t.Errorf("Exempt(%s) = %t, want %t", m, got, want)
		}
	}
}

func TestAdminFlow(t *testing.T) {
	e := newEnv(t)
	admin := e.as(t, "root")

	created, err := e.client.CreatePrincipal(admin, &adminv1.CreatePrincipalRequest{PrincipalId: "e2", DisplayName: "企业二", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: "ENT2"})
	if err != nil {
		t.Fatal(err)
	}
	p := created.GetPrincipal()
	if p.GetRole() != adminv1.Role_ROLE_ENTERPRISE || p.GetEnterpriseId() != "ENT2" || p.GetDisplayName() != "企业二" || p.GetCreatedAt() == nil {
		t.Fatalf("created %v", p)
	}
	again, err := e.client.CreatePrincipal(admin, &adminv1.CreatePrincipalRequest{PrincipalId: "e2", DisplayName: "企业二", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: "ENT2"})
	if err != nil || !proto.Equal(again.GetPrincipal(), p) {
		t.Fatalf("repeated CreatePrincipal = %v, %v", again, err)
	}
	_, err = e.client.CreatePrincipal(admin, &adminv1.CreatePrincipalRequest{PrincipalId: "e2", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: "ENT3"})
	wantStatus(t, err, codes.AlreadyExists, access.ReasonPrincipalExists)

	got, err := e.client.GetPrincipal(admin, &adminv1.GetPrincipalRequest{PrincipalId: "shop"})
	if err != nil || !slices.Equal(got.GetPrincipal().GetLinkedEnterpriseIds(), []string{"ENT1"}) || got.GetPrincipal().GetRole() != adminv1.Role_ROLE_PLATFORM {
		t.Fatalf("GetPrincipal(shop) = %v, %v", got, err)
	}
	_, err = e.client.GetPrincipal(admin, &adminv1.GetPrincipalRequest{PrincipalId: "nobody"})
	wantStatus(t, err, codes.NotFound, access.ReasonUnknownPrincipal)

	var ids []string
	req := &adminv1.ListPrincipalsRequest{PageSize: 2}
	for {
		page, err := e.client.ListPrincipals(admin, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.GetPrincipals() {
			ids = append(ids, p.GetPrincipalId())
		}
		if page.GetNextPageToken() == "" {
			break
		}
		req.PageToken = page.GetNextPageToken()
	}
	if !slices.Equal(ids, []string{"cus", "e1", "e2", "root", "shop"}) {
		t.Fatalf("listed %v", ids)
	}

	expires := time.Now().Add(time.Hour)
	issued, err := e.client.IssueToken(admin, &adminv1.IssueTokenRequest{PrincipalId: "e2", Description: "ERP", ExpiresAt: timestamppb.New(expires)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(issued.GetToken(), access.TokenPrefix) || issued.GetTokenId() != issued.GetInfo().GetTokenId() ||
		issued.GetPrincipal().GetPrincipalId() != "e2" || !issued.GetInfo().GetExpiresAt().AsTime().Equal(expires.Truncate(time.Microsecond)) {
		t.Fatalf("issued %v", issued)
	}
	who, err := e.client.WhoAmI(withAuth(issued.GetToken()), &adminv1.WhoAmIRequest{})
	if err != nil || who.GetPrincipal().GetPrincipalId() != "e2" || who.GetPrincipal().GetEnterpriseId() != "ENT2" {
		t.Fatalf("WhoAmI with the new token = %v, %v", who, err)
	}
	list, err := e.client.ListTokens(admin, &adminv1.ListTokensRequest{PrincipalId: "e2"})
	if err != nil || len(list.GetTokens()) != 1 || list.GetTokens()[0].GetDescription() != "ERP" || list.GetTokens()[0].GetRevokedAt() != nil {
		t.Fatalf("ListTokens = %v, %v", list, err)
	}
	rev, err := e.client.RevokeToken(admin, &adminv1.RevokeTokenRequest{TokenId: issued.GetTokenId()})
	if err != nil || rev.GetToken().GetRevokedAt() == nil {
		t.Fatalf("RevokeToken = %v, %v", rev, err)
	}
	_, err = e.client.WhoAmI(withAuth(issued.GetToken()), &adminv1.WhoAmIRequest{})
	wantStatus(t, err, codes.Unauthenticated, ledger.ReasonUnauthenticated)
	_, err = e.client.RevokeToken(admin, &adminv1.RevokeTokenRequest{TokenId: "tok_nope"})
	wantStatus(t, err, codes.NotFound, access.ReasonUnknownToken)

	dis, err := e.client.DisablePrincipal(admin, &adminv1.DisablePrincipalRequest{PrincipalId: "e1"})
	if err != nil || !dis.GetPrincipal().GetDisabled() {
		t.Fatalf("DisablePrincipal = %v, %v", dis, err)
	}
	_, err = e.client.WhoAmI(e.as(t, "e1"), &adminv1.WhoAmIRequest{})
	wantStatus(t, err, codes.Unauthenticated, ledger.ReasonUnauthenticated)
	_, err = e.client.IssueToken(admin, &adminv1.IssueTokenRequest{PrincipalId: "e1"})
	wantStatus(t, err, codes.FailedPrecondition, access.ReasonPrincipalDisabled)
	_, err = e.client.DisablePrincipal(admin, &adminv1.DisablePrincipalRequest{PrincipalId: "root"})
	wantStatus(t, err, codes.FailedPrecondition, access.ReasonLastAdmin)

	who, err = e.client.WhoAmI(admin, &adminv1.WhoAmIRequest{})
	if err != nil || who.GetPrincipal().GetRole() != adminv1.Role_ROLE_ADMIN {
		t.Fatalf("WhoAmI as admin = %v, %v", who, err)
	}
}

func TestInvalidArgument(t *testing.T) {
	e := newEnv(t)
	admin := e.as(t, "root")
	tests := []struct {
		name   string
		method string
		req    proto.Message
		resp   proto.Message
		field  string
		// messageRule marks a cross-field rule of the proto (see below).
		messageRule bool
	}{
		{"enterprise without enterprise_id", "CreatePrincipal",
			&adminv1.CreatePrincipalRequest{PrincipalId: "e9", Role: adminv1.Role_ROLE_ENTERPRISE}, &adminv1.CreatePrincipalResponse{}, "enterprise_id", true},
		{"customs with enterprise_id", "CreatePrincipal",
			&adminv1.CreatePrincipalRequest{PrincipalId: "c9", Role: adminv1.Role_ROLE_CUSTOMS, EnterpriseId: "ENT9"}, &adminv1.CreatePrincipalResponse{}, "enterprise_id", true},
		{"links for enterprise", "CreatePrincipal",
			&adminv1.CreatePrincipalRequest{PrincipalId: "e9", Role: adminv1.Role_ROLE_ENTERPRISE, EnterpriseId: "ENT9", LinkedEnterpriseIds: []string{"ENT1"}}, &adminv1.CreatePrincipalResponse{}, "linked_enterprise_ids", true},
		{"no role", "CreatePrincipal",
			&adminv1.CreatePrincipalRequest{PrincipalId: "x9"}, &adminv1.CreatePrincipalResponse{}, "role", false},
		{"bad principal_id", "CreatePrincipal",
			&adminv1.CreatePrincipalRequest{PrincipalId: "-bad", Role: adminv1.Role_ROLE_CUSTOMS}, &adminv1.CreatePrincipalResponse{}, "principal_id", false},
		{"bad page token", "ListPrincipals",
			&adminv1.ListPrincipalsRequest{PageToken: "%%%"}, &adminv1.ListPrincipalsResponse{}, "page_token", false},
		{"expiry in the past", "IssueToken",
			&adminv1.IssueTokenRequest{PrincipalId: "e1", ExpiresAt: timestamppb.New(time.Now().Add(-time.Minute))}, &adminv1.IssueTokenResponse{}, "expires_at", false},
		{"empty token_id", "RevokeToken",
			&adminv1.RevokeTokenRequest{}, &adminv1.RevokeTokenResponse{}, "token_id", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := invoke(admin, e.conn, tt.method, call{tt.req, tt.resp})
			wantStatus(t, err, codes.InvalidArgument, ledger.ReasonInvalidArgument)
			got := errorsv1.FieldOf(err)
			if got == "" && tt.messageRule {
				// Message-level (cross-field) protovalidate rules carry no
				// field path, and grpcedge.ValidationInterceptors passes
				// that on; the message must then at least name the field.
				if !strings.Contains(status.Convert(err).Message(), tt.field) {
					t.Errorf("message %q does not name %s", status.Convert(err).Message(), tt.field)
				}
				return
			}
			if got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
		})
	}
}

// Without the validation interceptors, the domain's own checks answer with
// the field, cross-field rules included.
func TestInvalidArgumentFromDomain(t *testing.T) {
	e := newEnvWith(t, false)
	admin := e.as(t, "root")
	for _, tt := range []struct {
		req   *adminv1.CreatePrincipalRequest
		field string
	}{
		{&adminv1.CreatePrincipalRequest{PrincipalId: "e9", Role: adminv1.Role_ROLE_ENTERPRISE}, "enterprise_id"},
		{&adminv1.CreatePrincipalRequest{PrincipalId: "c9", Role: adminv1.Role_ROLE_CUSTOMS, EnterpriseId: "ENT9"}, "enterprise_id"},
		{&adminv1.CreatePrincipalRequest{PrincipalId: "c9", Role: adminv1.Role_ROLE_CUSTOMS, LinkedEnterpriseIds: []string{"ENT1"}}, "linked_enterprise_ids"},
		{&adminv1.CreatePrincipalRequest{PrincipalId: "x9"}, "role"},
		{&adminv1.CreatePrincipalRequest{PrincipalId: "-bad", Role: adminv1.Role_ROLE_CUSTOMS}, "principal_id"},
	} {
		_, err := e.client.CreatePrincipal(admin, tt.req)
		wantStatus(t, err, codes.InvalidArgument, ledger.ReasonInvalidArgument)
		if got := errorsv1.FieldOf(err); got != tt.field {
			t.Errorf("CreatePrincipal(%v): field %q, want %q (%v)", tt.req, got, tt.field, err)
		}
	}
	_, err := e.client.IssueToken(admin, &adminv1.IssueTokenRequest{PrincipalId: "e1", ExpiresAt: timestamppb.New(time.Now().Add(-time.Minute))})
	wantStatus(t, err, codes.InvalidArgument, ledger.ReasonInvalidArgument)
	if got := errorsv1.FieldOf(err); got != "expires_at" {
		t.Errorf("IssueToken in the past: field %q", got)
	}
}
