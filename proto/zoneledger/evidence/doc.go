// Package evidence holds the encoding of a sealed period's evidence — the
// journals and the customs documents of one book for one period — and the
// hash chain over it, so that customs can check an export file against a
// digest it kept, with no server and no database (zonectl verify).
//
// Hand-written (not generated), in the API module because the server, which
// seals and exports evidence, and zonectl, which verifies it, must share one
// rule and no client imports a server package. It imports only the
// standard library.
//
// # The export file (encoding zoneledger-evidence/v1)
//
// JSON lines, one record per line, each line an object
//
//	{"seq": N, "kind": K, "key": KEY, "record": {...}, "chain": HEX}
//
// in this order: the period header (seq 0, kind "period", a Header), the
// book's journals of the period in (effective date, journal ID) order (kind
// "journal", key the journal ID, a Journal), then the book's documents
// (kind "list", "pass", "form", ..., "ecommerce-list", a Document) in kind
// order, then number order within a kind. Verify treats every kind but
// "period" and "journal" as a document, so a document kind added later
// (KindEcommerceList was) keeps the encoding's version and older exports
// verify as they did.
//
// # Canonical JSON
//
// A record is hashed in its canonical form (Canonical): objects with keys
// sorted by their UTF-8 bytes; no whitespace between tokens; strings
// escaped as Go's encoding/json escapes them without HTML escaping (", \,
// control characters, U+2028 and U+2029); numbers are integers only —
// every quantity, amount and rate is a string holding its exact decimal
// text ("12.50000", never 12.5); a date is "YYYY-MM-DD" (a timestamp at
// midnight UTC is written as its date; other timestamps stay RFC 3339).
//
// # The chain
//
//	c(-1) = SHA-256("zoneledger-evidence/v1")
//	h(n)  = SHA-256(canonical({"kind","key","record","seq"} of record n))
//	c(n)  = SHA-256(c(n-1) || h(n))
//
// Each line carries its c(n) as "chain"; the period's evidence digest is
// the chain value after the last record. The header holds the previous
// period's evidence digest, so each period's digest covers every earlier
// one; it also holds the ledger's own period digest (journals only).
// Changing, adding, removing or moving any record changes the digest.
package evidence
