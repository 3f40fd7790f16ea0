package grpcedge_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/zoneledger/zoneledger/ledger"
	"github.com/zoneledger/zoneledger/ledger/grpcedge"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtx"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// TestUnavailableHidesDatabase turns a real connection failure into the
// answer a caller gets, and checks that it says to retry without naming the
// database's user, host, port or database.
func TestUnavailableHidesDatabase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 on loopback: nothing listens there.
	_, err := pgx.Connect(ctx, "postgres://secretuser@127.0.0.1:1/secretdb?sslmode=disable&connect_timeout=5")
	if err == nil {
		t.Fatal("connected to 127.0.0.1:1")
	}
	if !strings.Contains(err.Error(), "secretuser") {
		t.Fatalf("the driver's error no longer names the user (%v): the test proves nothing", err)
	}
	if c := pgtx.Classify(err); c != pgtx.Unreachable {
		t.Fatalf("a refused connection is classified %v, want unreachable", c)
	}
	got := grpcedge.Status(&ledger.Error{Kind: ledger.KindUnavailable, Reason: ledger.ReasonUnavailable,
		Message: "could not reach the database; check, then retry", Err: err})
	if status.Code(got) != codes.Unavailable {
		t.Fatalf("code %v, want UNAVAILABLE: %v", status.Code(got), got)
	}
	msg := status.Convert(got).Message()
	for _, secret := range []string{"secretuser", "secretdb", "127.0.0.1", ":1"} {
		if strings.Contains(msg, secret) {
			t.Errorf("the caller is told %q, which names %q", msg, secret)
		}
	}
	if !strings.Contains(msg, "retry") {
		t.Errorf("the caller is told %q, which does not say to retry", msg)
	}
	if errorsv1.ReasonOf(got) != "UNAVAILABLE" {
		t.Errorf("reason %q, want UNAVAILABLE", errorsv1.ReasonOf(got))
	}
}
