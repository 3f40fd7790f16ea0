package server

import (
	"context"

	"github.com/zoneledger/zoneledger/customs/access"
	"github.com/zoneledger/zoneledger/ledger"
)

// guard answers the ledger service's access questions from the
// authenticated principal in the context.
type guard struct{}

func principal(ctx context.Context) (access.Principal, error) {
	p, ok := access.FromContext(ctx)
	if !ok {
		return p, ledger.Errorf(ledger.KindUnauthenticated, ledger.ReasonUnauthenticated, "", "no credentials; send 'authorization: Bearer <token>'")
	}
	return p, nil
}

func denied(p access.Principal, what, owner string) error {
	return ledger.Errorf(ledger.KindPermissionDenied, ledger.ReasonPermissionDenied, "",
		"principal %q (%s) may not %s books of %q", p.ID, p.Role, what, owner)
}

func (guard) Principal(ctx context.Context) (string, error) {
	p, err := principal(ctx)
	return p.ID, err
}

func (guard) CanRead(ctx context.Context, owner string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.CanRead(owner) {
		return denied(p, "read", owner)
	}
	return nil
}

func (guard) CanWrite(ctx context.Context, owner string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.CanWrite(owner) {
		return denied(p, "write", owner)
	}
	return nil
}

// CanClose lets customs close any book's period, and an enterprise close its
// own (四自一简: enterprises set their own write-off cycle).
func (guard) CanClose(ctx context.Context, owner string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.Role == access.RoleCustoms || (p.Role == access.RoleEnterprise && p.CanWrite(owner)) {
		return nil
	}
	return denied(p, "close periods of", owner)
}

func (guard) CanAdminister(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.Role == access.RoleAdmin || p.Role == access.RoleCustoms {
		return nil
	}
	return ledger.Denied("principal %q (%s) may not change zone-wide accounts; ask customs or an admin", p.ID, p.Role)
}

func (guard) ReadScope(ctx context.Context) ([]string, bool, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, false, err
	}
	switch p.Role {
	case access.RoleCustoms:
		return nil, true, nil
	case access.RoleEnterprise:
		return []string{p.Enterprise}, false, nil
	case access.RolePlatform:
		return p.LinkedEnterprises, false, nil
	}
	return nil, false, nil
}
