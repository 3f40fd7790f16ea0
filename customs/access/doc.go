// Package access decides who may call zoneledger and what they may touch:
// principals with roles, their bearer tokens, and the permission matrix.
//
// # Roles and the permission matrix
//
// Every caller is a Principal with exactly one Role. Enterprise data (books,
// items, filings) belongs to an owner, the enterprise ID; Principal.CanRead
// and Principal.CanWrite decide access to an owner's data:
//
//	role        CanRead(owner)                   CanWrite(owner)
//	admin       never (manages principals only)  never
//	customs     every owner                      never (enterprise filings are the enterprise's;
//	                                                    customs approves and reconciles through
//	                                                    its own, separate permissions)
//	enterprise  owner == its Enterprise          owner == its Enterprise
//	platform    owner in its LinkedEnterprises   owner in its LinkedEnterprises
//
// A disabled principal and an empty owner are refused by both. The
// AdminService (principals and tokens) is the admin role's alone, apart
// from WhoAmI, which any authenticated principal may call.
//
// # Tokens
//
// A token is "zl_" followed by the unpadded base64url encoding of 32 bytes
// from crypto/rand. Store.IssueToken returns the plaintext once; the
// database keeps only its SHA-256. Store.Authenticate refuses unknown,
// revoked and expired tokens and the tokens of disabled principals.
//
// Authenticate runs on every request, so successful lookups are cached in
// memory for Options.CacheTTL (default 5s). RevokeToken and DisablePrincipal
// clear the cache of the process that calls them at once; another server
// process sharing the database keeps accepting a revoked token, or a
// disabled principal's tokens, until its cache entry expires, that is for at
// most CacheTTL. Set a negative CacheTTL to look every request up in the
// database.
//
// # Storage
//
// The tables live in the "access" migrations component (Migrations), in SQL
// that runs on PostgreSQL and CockroachDB. Every write runs in a
// SERIALIZABLE transaction retried from BEGIN on serialization failures.
package access
