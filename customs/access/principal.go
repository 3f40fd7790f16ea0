package access

import (
	"context"
	"slices"
	"time"
)

// Role is what a principal may do. See the package documentation for the
// permission matrix.
type Role string

// The roles.
const (
	// RoleAdmin manages principals and tokens; it reads no enterprise data.
	RoleAdmin Role = "admin"
	// RoleCustoms is the customs liaison: it reads every enterprise's data
	// and reconciles and approves.
	RoleCustoms Role = "customs"
	// RoleEnterprise is a zone enterprise: it reads and writes its own data.
	RoleEnterprise Role = "enterprise"
	// RolePlatform is a cross-border e-commerce platform or zone warehouse:
	// it reads and writes the data of the enterprises it is linked to.
	RolePlatform Role = "platform"
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleCustoms, RoleEnterprise, RolePlatform:
		return true
	}
	return false
}

// String returns the role's name.
func (r Role) String() string { return string(r) }

// Principal is an identity that calls the API.
type Principal struct {
	// ID identifies the principal; it is chosen by whoever creates it.
	ID string
	// DisplayName is a human-readable name.
	DisplayName string
	// Role is what the principal may do.
	Role Role
	// Enterprise is the enterprise an enterprise-role principal acts as;
	// empty for every other role.
	Enterprise string
	// LinkedEnterprises are the enterprises a platform-role principal may
	// act for, sorted; empty for every other role.
	LinkedEnterprises []string
	// Disabled is true once the principal was disabled; its tokens no
	// longer authenticate.
	Disabled bool
	// CreatedAt is when the principal was created.
	CreatedAt time.Time
}

// Is reports whether p has role r.
func (p Principal) Is(r Role) bool { return p.Role == r }

// CanRead reports whether p may read the data of enterprise owner: customs
// reads everything, an enterprise its own, a platform its linked
// enterprises'; admin reads nothing.
func (p Principal) CanRead(owner string) bool {
	if p.Disabled || owner == "" {
		return false
	}
	switch p.Role {
	case RoleCustoms:
		return true
	case RoleEnterprise:
		return owner == p.Enterprise
	case RolePlatform:
		return slices.Contains(p.LinkedEnterprises, owner)
	}
	return false
}

// CanWrite reports whether p may write (create books, file movements) for
// enterprise owner: an enterprise its own, a platform its linked
// enterprises'. Customs and admin write no enterprise filings.
func (p Principal) CanWrite(owner string) bool {
	if p.Disabled || owner == "" {
		return false
	}
	switch p.Role {
	case RoleEnterprise:
		return owner == p.Enterprise
	case RolePlatform:
		return slices.Contains(p.LinkedEnterprises, owner)
	}
	return false
}

type principalKey struct{}

// WithPrincipal returns a context carrying p as the authenticated caller.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the authenticated caller stored by WithPrincipal, and
// false when there is none.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
