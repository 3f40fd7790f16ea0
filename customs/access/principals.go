package access

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
)

// Limits on principal fields and list pages, the same as the API's.
const (
	// MaxIDLength is the longest principal or enterprise ID, in bytes.
	MaxIDLength = 64
	// MaxDisplayNameLength is the longest display name, in characters.
	MaxDisplayNameLength = 128
	// MaxLinkedEnterprises is the most enterprises a platform may be linked to.
	MaxLinkedEnterprises = 1000
	// DefaultPageSize is the page size of list calls given no limit.
	DefaultPageSize = 100
	// MaxPageSize is the largest page size of list calls.
	MaxPageSize = 1000
)

// idPattern is the form of principal and enterprise IDs.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)

// Error fields name the API's request fields, so that a client sees the same
// field whichever layer refused the request.

func checkID(field, id string) error {
	switch {
	case id == "":
		return ledger.BadArgument(field, "is required")
	case len(id) > MaxIDLength:
		return ledger.BadArgument(field, "%q is longer than %d bytes", id, MaxIDLength)
	case !idPattern.MatchString(id):
		return ledger.BadArgument(field,
			"%q must start with a letter or digit and contain only letters, digits, '.', '_', ':' and '-'", id)
	}
	return nil
}

// normalize validates the fields of a principal to create and returns it with
// its linked enterprises sorted and deduplicated.
func normalize(p Principal) (Principal, error) {
	if err := checkID("principal_id", p.ID); err != nil {
		return p, err
	}
	if n := utf8.RuneCountInString(p.DisplayName); n > MaxDisplayNameLength {
		return p, ledger.BadArgument("display_name", "has %d characters; at most %d are allowed", n, MaxDisplayNameLength)
	}
	if !p.Role.Valid() {
		return p, ledger.BadArgument("role",
			"%q is not a role; use one of admin, customs, enterprise, platform", p.Role)
	}
	if p.Role == RoleEnterprise {
		if p.Enterprise == "" {
			return p, ledger.BadArgument("enterprise_id", "is required for the enterprise role: name the enterprise the principal acts as")
		}
		if err := checkID("enterprise_id", p.Enterprise); err != nil {
			return p, err
		}
	} else if p.Enterprise != "" {
		return p, ledger.BadArgument("enterprise_id", "is only allowed for the enterprise role; leave it empty for role %s", p.Role)
	}
	if p.Role != RolePlatform && len(p.LinkedEnterprises) > 0 {
		return p, ledger.BadArgument("linked_enterprise_ids", "is only allowed for the platform role; leave it empty for role %s", p.Role)
	}
	if len(p.LinkedEnterprises) > MaxLinkedEnterprises {
		return p, ledger.BadArgument("linked_enterprise_ids", "has %d entries; at most %d are allowed", len(p.LinkedEnterprises), MaxLinkedEnterprises)
	}
	for i, e := range p.LinkedEnterprises {
		if err := checkID("linked_enterprise_ids["+strconv.Itoa(i)+"]", e); err != nil {
			return p, err
		}
	}
	links := slices.Clone(p.LinkedEnterprises)
	slices.Sort(links)
	p.LinkedEnterprises = slices.Compact(links)
	if len(p.LinkedEnterprises) == 0 {
		p.LinkedEnterprises = nil
	}
	return p, nil
}

// difference names the first field in which an existing principal differs
// from a request to create it, or "" when they match.
func difference(have, want Principal) string {
	switch {
	case have.Role != want.Role:
		return "role"
	case have.Enterprise != want.Enterprise:
		return "enterprise_id"
	case !slices.Equal(have.LinkedEnterprises, want.LinkedEnterprises):
		return "linked_enterprise_ids"
	case have.DisplayName != want.DisplayName:
		return "display_name"
	}
	return ""
}

// CreatePrincipal creates a principal from p's ID, DisplayName, Role,
// Enterprise and LinkedEnterprises (Disabled and CreatedAt are ignored) and
// returns it as stored. Repeating the call with the same fields returns the
// existing principal; an existing ID with different fields is refused with
// KindConflict (ReasonPrincipalExists).
func (s *Store) CreatePrincipal(ctx context.Context, p Principal) (Principal, error) {
	want, err := normalize(p)
	if err != nil {
		return Principal{}, err
	}
	var out Principal
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		have, err := getPrincipal(ctx, tx, want.ID)
		if err == nil {
			if field := difference(have, want); field != "" {
				return ledger.Conflict(ReasonPrincipalExists, field,
					"principal %q already exists with a different %s; choose another principal_id, or repeat the request with the existing principal's exact fields (see GetPrincipal)", want.ID, field)
			}
			out = have
			return nil
		}
		if !errors.Is(err, errNoPrincipal) {
			return err
		}
		out = want
		out.Disabled = false
		out.CreatedAt = s.clock()
		return insertPrincipal(ctx, tx, out)
	})
	if err != nil {
		return Principal{}, dbError(err)
	}
	return out, nil
}

func insertPrincipal(ctx context.Context, tx pgx.Tx, p Principal) error {
	if _, err := tx.Exec(ctx, `INSERT INTO access_principals (id, display_name, role, enterprise, created_at) VALUES ($1, $2, $3, $4, $5)`,
		p.ID, p.DisplayName, string(p.Role), p.Enterprise, p.CreatedAt); err != nil {
		return err
	}
	if len(p.LinkedEnterprises) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO access_principal_links (principal_id, enterprise) SELECT $1, e FROM unnest($2::TEXT[]) AS e`,
			p.ID, p.LinkedEnterprises); err != nil {
			return err
		}
	}
	return nil
}

// GetPrincipal returns the principal with the given ID, or a KindNotFound
// error (ReasonUnknownPrincipal).
func (s *Store) GetPrincipal(ctx context.Context, id string) (Principal, error) {
	if err := checkID("principal_id", id); err != nil {
		return Principal{}, err
	}
	p, err := getPrincipal(ctx, s.pool, id)
	if err != nil {
		return Principal{}, dbError(err)
	}
	return p, nil
}

// ListPrincipals returns up to limit principals with IDs after after, in ID
// order. A limit of 0 or less means DefaultPageSize; it is capped at
// MaxPageSize. Pass the last ID of a page as after to get the next one.
func (s *Store) ListPrincipals(ctx context.Context, after string, limit int) ([]Principal, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	ps, err := queryPrincipals(ctx, s.pool, `SELECT `+principalColumns+` FROM access_principals WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, dbError(err)
	}
	return ps, nil
}

// DisablePrincipal disables a principal: its tokens stop authenticating at
// once in this process and within the cache TTL in others. It is
// idempotent and returns the principal. Disabling the last enabled admin is
// refused with KindFailedPrecondition (ReasonLastAdmin), so the zone is
// never left without anyone who can manage principals.
func (s *Store) DisablePrincipal(ctx context.Context, id string) (Principal, error) {
	if err := checkID("principal_id", id); err != nil {
		return Principal{}, err
	}
	var out Principal
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		p, err := getPrincipal(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.Disabled {
			out = p
			return nil
		}
		if p.Role == RoleAdmin {
			var others int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM access_principals WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1`, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return ledger.Precondition(ReasonLastAdmin, "principal_id",
					"%q is the last enabled admin; create and test another admin principal first", id)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE access_principals SET disabled_at = $2 WHERE id = $1`, id, s.clock()); err != nil {
			return err
		}
		p.Disabled = true
		out = p
		return nil
	})
	// Invalidate even after an error: the change may have committed.
	s.invalidate(func(e cacheEntry) bool { return e.principal.ID == id })
	if err != nil {
		return Principal{}, dbError(err)
	}
	return out, nil
}

// errNoPrincipal is getPrincipal's not-found error.
var errNoPrincipal = &ledger.Error{Kind: ledger.KindNotFound, Reason: ReasonUnknownPrincipal}

const principalColumns = `id, display_name, role, enterprise, created_at, disabled_at`

func getPrincipal(ctx context.Context, q querier, id string) (Principal, error) {
	ps, err := queryPrincipals(ctx, q, `SELECT `+principalColumns+` FROM access_principals WHERE id = $1`, id)
	if err != nil {
		return Principal{}, err
	}
	if len(ps) == 0 {
		return Principal{}, ledger.NotFound(ReasonUnknownPrincipal, "principal_id",
			"there is no principal %q; check the ID with ListPrincipals", id)
	}
	return ps[0], nil
}

// queryPrincipals runs a query selecting principalColumns and fills in the
// platform principals' links.
func queryPrincipals(ctx context.Context, q querier, sql string, args ...any) ([]Principal, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	var ps []Principal
	var platforms []string
	for rows.Next() {
		var p Principal
		var role string
		var disabled *time.Time
		if err := rows.Scan(&p.ID, &p.DisplayName, &role, &p.Enterprise, &p.CreatedAt, &disabled); err != nil {
			rows.Close()
			return nil, err
		}
		p.Role = Role(role)
		p.CreatedAt = p.CreatedAt.UTC()
		p.Disabled = disabled != nil
		if p.Role == RolePlatform {
			platforms = append(platforms, p.ID)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(platforms) == 0 {
		return ps, nil
	}
	links := map[string][]string{}
	rows, err = q.Query(ctx, `SELECT principal_id, enterprise FROM access_principal_links WHERE principal_id = ANY($1) ORDER BY principal_id, enterprise`, platforms)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, e string
		if err := rows.Scan(&id, &e); err != nil {
			rows.Close()
			return nil, err
		}
		links[id] = append(links[id], e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].LinkedEnterprises = links[ps[i].ID]
	}
	return ps, nil
}
