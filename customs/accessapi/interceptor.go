// Package accessapi puts zoneledger's access control on the gRPC edge: the
// interceptors that authenticate every call with a bearer token, the
// RequireRole helper handlers use to authorize, and the AdminService
// (principals and tokens) over an access.Store.
package accessapi

import (
	"context"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
)

// exemptPrefixes are the methods callable without a token: the gRPC health
// service and server reflection. Health answers only SERVING or not, and
// reflection describes the API's schema, which is public in the proto
// files; neither reveals any principal's or enterprise's data, and load
// balancers, grpcurl and ghz need them before they hold a token.
var exemptPrefixes = []string{
	"/grpc.health.v1.Health/",
	"/grpc.reflection.",
}

// Exempt reports whether fullMethod ("/package.Service/Method") may be
// called without credentials: only the gRPC health service and server
// reflection.
func Exempt(fullMethod string) bool {
	for _, p := range exemptPrefixes {
		if strings.HasPrefix(fullMethod, p) {
			return true
		}
	}
	return false
}

// Interceptors authenticate every call but the Exempt ones: they read the
// metadata "authorization: Bearer <token>", check the token with
// a.Authenticate and put the caller's access.Principal into the context
// (access.FromContext). A call without a valid token is answered with
// UNAUTHENTICATED (reason UNAUTHENTICATED) and a message saying how to pass
// one. Install them before grpcedge.ValidationInterceptors, so that
// unauthenticated callers learn nothing from validation errors.
func Interceptors(a *access.Store) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		if Exempt(info.FullMethod) {
			return h(ctx, req)
		}
		ctx, err := authenticate(ctx, a)
		if err != nil {
			return nil, err
		}
		return h(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		if Exempt(info.FullMethod) {
			return h(srv, ss)
		}
		ctx, err := authenticate(ss.Context(), a)
		if err != nil {
			return err
		}
		return h(srv, &authedStream{ServerStream: ss, ctx: ctx})
	}
	return unary, stream
}

// authedStream is a server stream whose context carries the principal.
type authedStream struct {
	grpc.ServerStream
	ctx context.Context
}

// Context returns the authenticated context.
func (s *authedStream) Context() context.Context { return s.ctx }

const howToAuthenticate = "send the metadata 'authorization: Bearer <token>' (grpcurl: -H 'authorization: Bearer zl_...'); an admin issues tokens with AdminService.IssueToken"

// authenticate returns ctx with the caller's principal, or a gRPC status
// error.
func authenticate(ctx context.Context, a *access.Store) (context.Context, error) {
	tok, err := bearerToken(ctx)
	if err != nil {
		return ctx, grpcedge.Status(err)
	}
	p, err := a.Authenticate(ctx, tok)
	if err != nil {
		return ctx, grpcedge.Status(err)
	}
	return access.WithPrincipal(ctx, p), nil
}

// bearerToken extracts the token from the authorization metadata.
func bearerToken(ctx context.Context) (string, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get("authorization")
	switch len(vals) {
	case 0:
		return "", unauthenticated("no credentials: " + howToAuthenticate)
	case 1:
	default:
		return "", unauthenticated("more than one authorization header: " + howToAuthenticate)
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(vals[0]), " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", unauthenticated("the authorization header is not a bearer token: " + howToAuthenticate)
	}
	return tok, nil
}

func unauthenticated(msg string) error {
	return ledger.Errorf(ledger.KindUnauthenticated, ledger.ReasonUnauthenticated, "", "%s", msg)
}

// RequireRole returns the authenticated caller when it has one of roles. It
// returns a KindUnauthenticated error when the context carries no principal
// and a KindPermissionDenied error (reason PERMISSION_DENIED) naming the
// roles needed when the caller has another role. Handlers return the error
// through grpcedge.Status.
func RequireRole(ctx context.Context, roles ...access.Role) (access.Principal, error) {
	p, ok := access.FromContext(ctx)
	if !ok {
		return p, unauthenticated("no authenticated principal: " + howToAuthenticate)
	}
	if slices.Contains(roles, p.Role) && !p.Disabled {
		return p, nil
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return p, ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "",
		"principal %q has role %s; this call needs role %s: use a token of such a principal", p.ID, p.Role, strings.Join(names, " or "))
}
