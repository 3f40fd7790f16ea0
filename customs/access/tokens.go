package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/zoneledger/zoneledger/ledger"
)

// TokenPrefix starts every zoneledger bearer token.
const TokenPrefix = "zl_"

// tokenBytes is the entropy of a token.
const tokenBytes = 32

// tokenLength is the length of a token: the prefix and the unpadded
// base64url of tokenBytes.
var tokenLength = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

// MaxDescriptionLength is the longest token description, in characters.
const MaxDescriptionLength = 256

// TokenInfo is a token's metadata. The token itself is never stored.
type TokenInfo struct {
	// ID identifies the token; it is not secret.
	ID string
	// PrincipalID is the principal the token authenticates.
	PrincipalID string
	// Description says what the token is for.
	Description string
	// CreatedAt is when the token was issued.
	CreatedAt time.Time
	// ExpiresAt is when the token stops working; zero means never.
	ExpiresAt time.Time
	// RevokedAt is when the token was revoked; zero means not revoked.
	RevokedAt time.Time
}

// Active reports whether the token authenticates at time now (as far as
// the token itself goes: its principal may still be disabled).
func (t TokenInfo) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// IssuedToken is the result of IssueToken.
type IssuedToken struct {
	// Token is the bearer token in plaintext. It is returned only here and
	// cannot be recovered later.
	Token string
	// Info is the token's metadata.
	Info TokenInfo
	// Principal is the principal the token authenticates.
	Principal Principal
	// Replaced is the id of the token this call revoked: the one issued
	// before under the same request id (IssueTokenAs); "" for none.
	Replaced string
}

// newToken returns a fresh token and its hash. Tokens carry 256 random bits,
// so a single unsalted SHA-256 is the right way to store them: guessing or
// inverting is infeasible without a slow password hash, and the lookup by
// hash stays one index probe per request.
func newToken() (string, [32]byte) {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, sha256.Sum256([]byte(tok))
}

// newTokenID returns a random, non-secret token identifier.
func newTokenID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "tok_" + hex.EncodeToString(b)
}

// wellFormed reports whether tok has the form of a zoneledger token.
func wellFormed(tok string) bool {
	if len(tok) != tokenLength || !strings.HasPrefix(tok, TokenPrefix) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(tok[len(TokenPrefix):])
	return err == nil
}

// IssueToken issues a new bearer token for principal principalID and
// returns it, in plaintext, this one time; only its SHA-256 is stored. A
// zero expiresAt means the token never expires; otherwise it must be in the
// future. A disabled principal gets no token (ReasonPrincipalDisabled).
// Issuing is not idempotent: see IssueTokenAs for a call that can be
// retried.
func (s *Store) IssueToken(ctx context.Context, principalID, description string, expiresAt time.Time) (IssuedToken, error) {
	return s.IssueTokenAs(ctx, "", principalID, description, expiresAt)
}

// IssueTokenAs is IssueToken under the caller's request id: issuing again
// for the same principal and request id revokes the token issued under it
// before (its id is IssuedToken.Replaced) and returns a new one. The server
// keeps no secret, so it cannot show the first token again; replacing it
// means a call retried after a lost answer leaves one live token, the one
// the caller holds. An empty requestID is IssueToken.
func (s *Store) IssueTokenAs(ctx context.Context, requestID, principalID, description string, expiresAt time.Time) (IssuedToken, error) {
	if err := checkID("principal_id", principalID); err != nil {
		return IssuedToken{}, err
	}
	if requestID != "" {
		if err := checkID("request_id", requestID); err != nil {
			return IssuedToken{}, err
		}
	}
	if n := utf8.RuneCountInString(description); n > MaxDescriptionLength {
		return IssuedToken{}, ledger.BadArgument("description", "has %d characters; at most %d are allowed", n, MaxDescriptionLength)
	}
	now := s.clock()
	if !expiresAt.IsZero() {
		expiresAt = expiresAt.UTC().Truncate(time.Microsecond)
		if !expiresAt.After(now) {
			return IssuedToken{}, ledger.BadArgument("expires_at",
				"%s is not in the future; give a later time, or none for a token that never expires", expiresAt.Format(time.RFC3339))
		}
	}
	var out IssuedToken
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		p, err := getPrincipal(ctx, tx, principalID)
		if err != nil {
			return err
		}
		if p.Disabled {
			return ledger.Precondition(ReasonPrincipalDisabled, "principal_id",
				"principal %q is disabled and can have no tokens; create a new principal", principalID)
		}
		out = IssuedToken{Principal: p}
		if requestID != "" {
			err := tx.QueryRow(ctx, `UPDATE access_tokens SET revoked_at = $3 WHERE principal_id = $1 AND request_id = $2 AND revoked_at IS NULL RETURNING id`,
				principalID, requestID, now).Scan(&out.Replaced)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		tok, hash := newToken()
		out.Token = tok
		out.Info = TokenInfo{ID: newTokenID(), PrincipalID: principalID, Description: description, CreatedAt: now, ExpiresAt: expiresAt}
		_, err = tx.Exec(ctx, `INSERT INTO access_tokens (id, principal_id, token_hash, description, created_at, expires_at, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			out.Info.ID, principalID, hash[:], description, now, nullTime(expiresAt), nullString(requestID))
		return err
	})
	if out.Replaced != "" || err != nil && requestID != "" {
		// Invalidate even after an error: the revocation may have committed.
		s.invalidate(func(e cacheEntry) bool { return e.principal.ID == principalID })
	}
	if err != nil {
		return IssuedToken{}, dbError(err)
	}
	return out, nil
}

// ListTokens returns up to limit of a principal's tokens (metadata only),
// oldest first, starting after the token with ID after ("" for the first
// page). A limit of 0 or less means DefaultPageSize; it is capped at
// MaxPageSize.
func (s *Store) ListTokens(ctx context.Context, principalID, after string, limit int) ([]TokenInfo, error) {
	if err := checkID("principal_id", principalID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	if _, err := getPrincipal(ctx, s.pool, principalID); err != nil {
		return nil, dbError(err)
	}
	const cols = `SELECT id, principal_id, description, created_at, expires_at, revoked_at FROM access_tokens `
	var ts []TokenInfo
	var err error
	if after == "" {
		ts, err = queryTokens(ctx, s.pool, cols+`WHERE principal_id = $1 ORDER BY created_at, id LIMIT $2`, principalID, limit)
	} else {
		var last []TokenInfo
		last, err = queryTokens(ctx, s.pool, cols+`WHERE id = $1 AND principal_id = $2`, after, principalID)
		if err == nil && len(last) == 0 {
			return nil, ledger.BadArgument("page_token",
				"does not name a token of principal %q; pass next_page_token back unchanged", principalID)
		}
		if err == nil {
			ts, err = queryTokens(ctx, s.pool, cols+`WHERE principal_id = $1 AND (created_at > $2 OR (created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4`,
				principalID, last[0].CreatedAt, after, limit)
		}
	}
	if err != nil {
		return nil, dbError(err)
	}
	return ts, nil
}

// RevokeToken revokes the token with the given ID and returns its metadata.
// It is idempotent: revoking a revoked token changes nothing. The token
// stops authenticating at once in this process and within the cache TTL in
// others.
func (s *Store) RevokeToken(ctx context.Context, tokenID string) (TokenInfo, error) {
	if tokenID == "" {
		return TokenInfo{}, ledger.BadArgument("token_id", "is required; find it with ListTokens")
	}
	var out TokenInfo
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		ts, err := queryTokens(ctx, tx, `SELECT id, principal_id, description, created_at, expires_at, revoked_at FROM access_tokens WHERE id = $1`, tokenID)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return ledger.NotFound(ReasonUnknownToken, "token_id", "there is no token %q; find the token_id with ListTokens", tokenID)
		}
		out = ts[0]
		if !out.RevokedAt.IsZero() {
			return nil
		}
		out.RevokedAt = s.clock()
		_, err = tx.Exec(ctx, `UPDATE access_tokens SET revoked_at = $2 WHERE id = $1`, tokenID, out.RevokedAt)
		return err
	})
	// Invalidate even after an error: the change may have committed.
	s.invalidate(func(e cacheEntry) bool { return e.tokenID == tokenID })
	if err != nil {
		return TokenInfo{}, dbError(err)
	}
	return out, nil
}

func queryTokens(ctx context.Context, q querier, sql string, args ...any) ([]TokenInfo, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []TokenInfo
	for rows.Next() {
		var t TokenInfo
		var expires, revoked *time.Time
		if err := rows.Scan(&t.ID, &t.PrincipalID, &t.Description, &t.CreatedAt, &expires, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.ExpiresAt = timeOf(expires)
		t.RevokedAt = timeOf(revoked)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// unauthenticated builds the error of a refused token.
func unauthenticated(format string, args ...any) error {
	return ledger.Errorf(ledger.KindUnauthenticated, ledger.ReasonUnauthenticated, "", format, args...)
}

// Authenticate returns the principal a bearer token authenticates. Unknown,
// malformed, revoked and expired tokens and the tokens of disabled
// principals are refused with KindUnauthenticated; database failures are
// returned as such (KindUnavailable, KindInternal), never as a bad token.
//
// Successful lookups are cached for the cache TTL (see Options.CacheTTL):
// another server process sees a revocation or a disabled principal within
// that time. A token's expiry is honoured exactly, cached or not.
func (s *Store) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !wellFormed(token) {
		return Principal{}, unauthenticated("the bearer token is malformed: a zoneledger token is %q followed by %d base64url characters; check that it was copied whole",
			TokenPrefix, tokenLength-len(TokenPrefix))
	}
	hash := sha256.Sum256([]byte(token))
	now := s.now()
	s.mu.RLock()
	e, hit := s.cache[hash]
	gen := s.gen
	s.mu.RUnlock()
	if hit && now.Before(e.until) && (e.tokenExpires.IsZero() || now.Before(e.tokenExpires)) {
		p := e.principal
		p.LinkedEnterprises = slices.Clone(p.LinkedEnterprises)
		return p, nil
	}

	// The lookup is by the hash through a unique index; it leaks nothing
	// useful through timing, since a caller cannot steer the hash.
	var tokenID, principalID string
	var expires, revoked *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, principal_id, expires_at, revoked_at FROM access_tokens WHERE token_hash = $1`, hash[:]).
		Scan(&tokenID, &principalID, &expires, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, unauthenticated("the bearer token is not known to this server; ask an admin for a token (AdminService.IssueToken)")
	}
	if err != nil {
		return Principal{}, dbError(err)
	}
	if revoked != nil {
		return Principal{}, unauthenticated("the bearer token %s was revoked at %s; ask an admin for a new token", tokenID, revoked.UTC().Format(time.RFC3339))
	}
	if expires != nil && !now.Before(*expires) {
		return Principal{}, unauthenticated("the bearer token %s expired at %s; ask an admin for a new token", tokenID, expires.UTC().Format(time.RFC3339))
	}
	p, err := getPrincipal(ctx, s.pool, principalID)
	if errors.Is(err, errNoPrincipal) { // cannot happen: tokens reference their principal
		return Principal{}, unauthenticated("the bearer token's principal no longer exists; ask an admin for a new token")
	}
	if err != nil {
		return Principal{}, dbError(err)
	}
	if p.Disabled {
		return Principal{}, unauthenticated("principal %q is disabled; ask an admin for a new principal", p.ID)
	}
	if s.ttl > 0 {
		s.remember(hash, gen, cacheEntry{principal: p, tokenID: tokenID, tokenExpires: timeOf(expires), until: now.Add(s.ttl)})
	}
	p.LinkedEnterprises = slices.Clone(p.LinkedEnterprises)
	return p, nil
}

// remember caches a successful authentication unless the cache was
// invalidated since the lookup started (gen): the lookup may then have read
// a token or principal that is revoked or disabled by now.
func (s *Store) remember(hash [32]byte, gen uint64, e cacheEntry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen != gen {
		return
	}
	if len(s.cache) >= maxCacheEntries {
		now := s.now()
		for k, old := range s.cache {
			if !now.Before(old.until) {
				delete(s.cache, k)
			}
		}
		if len(s.cache) >= maxCacheEntries {
			clear(s.cache)
		}
	}
	s.cache[hash] = e
}

// invalidate drops the cached authentications that match.
func (s *Store) invalidate(match func(cacheEntry) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	for k, e := range s.cache {
		if match(e) {
			delete(s.cache, k)
		}
	}
}
