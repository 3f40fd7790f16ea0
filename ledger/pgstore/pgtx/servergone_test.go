package pgtx_test

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/pgstore/pgtx"
)

// TestDescribeErrorServerGone: a session PostgreSQL ended because it is
// shutting down, crashed or is still recovering is UNAVAILABLE (retry), not
// INTERNAL; a statement the database refused stays INTERNAL.
func TestDescribeErrorServerGone(t *testing.T) {
	for _, c := range []struct {
		code string
		want ledger.Kind
	}{
		{"57P01", ledger.KindUnavailable}, // terminating connection due to unexpected postmaster exit
		{"57P02", ledger.KindUnavailable}, // crash shutdown
		{"57P03", ledger.KindUnavailable}, // the database system is not yet accepting connections
		{"08006", ledger.KindUnavailable}, // connection failure
		{"42P01", ledger.KindInternal},    // undefined table
		{"23502", ledger.KindInternal},    // not null violation
	} {
		err := pgtx.DescribeError(&pgconn.PgError{Code: c.code, Message: "from the server"}, "books")
		if got := ledger.AsError(err).Kind; got != c.want {
			t.Errorf("SQLSTATE %s: kind %v, want %v (%v)", c.code, got, c.want, err)
		}
	}
}
