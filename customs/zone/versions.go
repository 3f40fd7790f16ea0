package zone

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// VersionUser checks and locks the unit consumption versions (单耗版本) a
// list's lines name, in the transaction that declares the list. Package
// customs/processing keeps the versions and implements it.
type VersionUser interface {
	// UseListVersions refuses the declaration unless every version the
	// lines of l name exists and is declared, and locks each against
	// change. It writes through tx only.
	UseListVersions(ctx context.Context, tx pgx.Tx, l List) error
}

// SetVersionUser installs the keeper of unit consumption versions. Call it
// before the service takes requests; without one, a list naming a version
// is refused when declared.
func (s *Service) SetVersionUser(u VersionUser) { s.versions = u }

// useVersions has the versions l names checked and locked.
func (s *Service) useVersions(ctx context.Context, tx pgx.Tx, l List) error {
	for i, ln := range l.Lines {
		if ln.ConsumptionVersion == "" {
			continue
		}
		if s.versions == nil {
			return precondition(ReasonWrongStatus, fmt.Sprintf("lines[%d].consumption_version", i), "this server keeps no unit consumption versions; leave consumption_version empty")
		}
		return s.versions.UseListVersions(ctx, tx, l)
	}
	return nil
}
