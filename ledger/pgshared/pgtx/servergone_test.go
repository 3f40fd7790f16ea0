package pgtx_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
)

// TestClassifyServerGone: a session PostgreSQL ended because it is
// shutting down, crashed or is still recovering is Unreachable, not
// Refused; a statement the database refused stays Refused.
func TestClassifyServerGone(t *testing.T) {
	for _, c := range []struct {
		code string
		want pgtx.Failure
	}{
		{"40001", pgtx.Busy},        // serialization failure outlasting the retries
		{"57P01", pgtx.Unreachable}, // terminating connection due to unexpected postmaster exit
		{"57P02", pgtx.Unreachable}, // crash shutdown
		{"57P03", pgtx.Unreachable}, // the database system is not yet accepting connections
		{"08006", pgtx.Unreachable}, // connection failure
		{"42P01", pgtx.Refused},     // undefined table
		{"23502", pgtx.Refused},     // not null violation
	} {
		if got := pgtx.Classify(&pgconn.PgError{Code: c.code, Message: "from the server"}); got != c.want {
			t.Errorf("SQLSTATE %s: %v, want %v", c.code, got, c.want)
		}
	}
}
