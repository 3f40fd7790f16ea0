package accessapi

import (
	"context"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	adminv1 "github.com/zoneledger/zoneledger/proto/zoneledger/admin/v1"
)

// Server implements adminv1.AdminServiceServer over an access.Store. Every
// method requires the admin role except WhoAmI, which any authenticated
// principal may call. It expects the Interceptors in front of it.
type Server struct {
	adminv1.UnimplementedAdminServiceServer
	store *access.Store
}

// NewServer returns an AdminService over store.
func NewServer(store *access.Store) *Server {
	return &Server{store: store}
}

var _ adminv1.AdminServiceServer = (*Server)(nil)

func requireAdmin(ctx context.Context) error {
	_, err := RequireRole(ctx, access.RoleAdmin)
	return err
}

// CreatePrincipal implements adminv1.AdminServiceServer.
func (s *Server) CreatePrincipal(ctx context.Context, r *adminv1.CreatePrincipalRequest) (*adminv1.CreatePrincipalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	role, err := roleFromProto(r.GetRole())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	p, err := s.store.CreatePrincipal(ctx, access.Principal{ID: r.GetPrincipalId(), DisplayName: r.GetDisplayName(), Role: role,
		Enterprise: r.GetEnterpriseId(), LinkedEnterprises: r.GetLinkedEnterpriseIds()})
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &adminv1.CreatePrincipalResponse{Principal: PrincipalToProto(p)}, nil
}

// GetPrincipal implements adminv1.AdminServiceServer.
func (s *Server) GetPrincipal(ctx context.Context, r *adminv1.GetPrincipalRequest) (*adminv1.GetPrincipalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	p, err := s.store.GetPrincipal(ctx, r.GetPrincipalId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &adminv1.GetPrincipalResponse{Principal: PrincipalToProto(p)}, nil
}

// ListPrincipals implements adminv1.AdminServiceServer.
func (s *Server) ListPrincipals(ctx context.Context, r *adminv1.ListPrincipalsRequest) (*adminv1.ListPrincipalsResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	after, err := grpcedge.DecodePageToken(r.GetPageToken())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	n := pageSize(r.GetPageSize())
	ps, err := s.store.ListPrincipals(ctx, after, n)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &adminv1.ListPrincipalsResponse{}
	for _, p := range ps {
		out.Principals = append(out.Principals, PrincipalToProto(p))
	}
	if len(ps) == n {
		out.NextPageToken = grpcedge.EncodePageToken(ps[len(ps)-1].ID)
	}
	return out, nil
}

// DisablePrincipal implements adminv1.AdminServiceServer.
func (s *Server) DisablePrincipal(ctx context.Context, r *adminv1.DisablePrincipalRequest) (*adminv1.DisablePrincipalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	p, err := s.store.DisablePrincipal(ctx, r.GetPrincipalId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &adminv1.DisablePrincipalResponse{Principal: PrincipalToProto(p)}, nil
}

// IssueToken implements adminv1.AdminServiceServer.
func (s *Server) IssueToken(ctx context.Context, r *adminv1.IssueTokenRequest) (*adminv1.IssueTokenResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	var expires time.Time
	if r.GetExpiresAt() != nil {
		if err := r.GetExpiresAt().CheckValid(); err != nil {
			return nil, grpcedge.Status(ledger.BadArgument("expires_at", "is not a valid timestamp: %v", err))
		}
		expires = r.GetExpiresAt().AsTime()
	}
	t, err := s.store.IssueTokenAs(ctx, r.GetRequestId(), r.GetPrincipalId(), r.GetDescription(), expires)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &adminv1.IssueTokenResponse{TokenId: t.Info.ID, Token: t.Token, Principal: PrincipalToProto(t.Principal), Info: TokenInfoToProto(t.Info),
		ReplacedTokenId: t.Replaced}, nil
}

// ListTokens implements adminv1.AdminServiceServer.
func (s *Server) ListTokens(ctx context.Context, r *adminv1.ListTokensRequest) (*adminv1.ListTokensResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	after, err := grpcedge.DecodePageToken(r.GetPageToken())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	n := pageSize(r.GetPageSize())
	ts, err := s.store.ListTokens(ctx, r.GetPrincipalId(), after, n)
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	out := &adminv1.ListTokensResponse{}
	for _, t := range ts {
		out.Tokens = append(out.Tokens, TokenInfoToProto(t))
	}
	if len(ts) == n {
		out.NextPageToken = grpcedge.EncodePageToken(ts[len(ts)-1].ID)
	}
	return out, nil
}

// RevokeToken implements adminv1.AdminServiceServer.
func (s *Server) RevokeToken(ctx context.Context, r *adminv1.RevokeTokenRequest) (*adminv1.RevokeTokenResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, grpcedge.Status(err)
	}
	t, err := s.store.RevokeToken(ctx, r.GetTokenId())
	if err != nil {
		return nil, grpcedge.Status(err)
	}
	return &adminv1.RevokeTokenResponse{Token: TokenInfoToProto(t)}, nil
}

// WhoAmI implements adminv1.AdminServiceServer. Any authenticated principal
// may call it.
func (s *Server) WhoAmI(ctx context.Context, _ *adminv1.WhoAmIRequest) (*adminv1.WhoAmIResponse, error) {
	p, ok := access.FromContext(ctx)
	if !ok {
		return nil, grpcedge.Status(unauthenticated("no authenticated principal: " + howToAuthenticate))
	}
	return &adminv1.WhoAmIResponse{Principal: PrincipalToProto(p)}, nil
}

// roleFromProto maps an API role to a domain role.
func roleFromProto(r adminv1.Role) (access.Role, error) {
	switch r {
	case adminv1.Role_ROLE_ADMIN:
		return access.RoleAdmin, nil
	case adminv1.Role_ROLE_CUSTOMS:
		return access.RoleCustoms, nil
	case adminv1.Role_ROLE_ENTERPRISE:
		return access.RoleEnterprise, nil
	case adminv1.Role_ROLE_PLATFORM:
		return access.RolePlatform, nil
	}
	return "", ledger.BadArgument("role",
		"%v is not a role; use ROLE_ADMIN, ROLE_CUSTOMS, ROLE_ENTERPRISE or ROLE_PLATFORM", r)
}

// RoleToProto maps a domain role to the API's; unknown roles become
// ROLE_UNSPECIFIED.
func RoleToProto(r access.Role) adminv1.Role {
	switch r {
	case access.RoleAdmin:
		return adminv1.Role_ROLE_ADMIN
	case access.RoleCustoms:
		return adminv1.Role_ROLE_CUSTOMS
	case access.RoleEnterprise:
		return adminv1.Role_ROLE_ENTERPRISE
	case access.RolePlatform:
		return adminv1.Role_ROLE_PLATFORM
	}
	return adminv1.Role_ROLE_UNSPECIFIED
}

// PrincipalToProto converts a principal to its API form.
func PrincipalToProto(p access.Principal) *adminv1.Principal {
	return &adminv1.Principal{PrincipalId: p.ID, DisplayName: p.DisplayName, Role: RoleToProto(p.Role), EnterpriseId: p.Enterprise,
		LinkedEnterpriseIds: p.LinkedEnterprises, Disabled: p.Disabled, CreatedAt: timestamp(p.CreatedAt)}
}

// TokenInfoToProto converts token metadata to its API form.
func TokenInfoToProto(t access.TokenInfo) *adminv1.TokenInfo {
	return &adminv1.TokenInfo{TokenId: t.ID, PrincipalId: t.PrincipalID, Description: t.Description,
		CreatedAt: timestamp(t.CreatedAt), ExpiresAt: timestamp(t.ExpiresAt), RevokedAt: timestamp(t.RevokedAt)}
}

func timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// Page tokens are opaque to clients: base64url of the last key returned.

// pageSize is the page size of a list request: the server default for 0.
func pageSize(n int32) int {
	if n <= 0 {
		return access.DefaultPageSize
	}
	return min(int(n), access.MaxPageSize)
}
