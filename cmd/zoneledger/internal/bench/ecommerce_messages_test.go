package bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/cmd/zoneledger/internal/server"
	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// TestEcommerceXMLAgainstServer runs the ecommerce-xml workload for about a
// second against an in-process server: every order, sent as its CEB311,
// CEB411 and CEB511 messages in SubmitMessages, is released and the
// verification inside Run passes.
func TestEcommerceXMLAgainstServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, err := server.Start(ctx, server.Config{DataDir: pgtest.TempDir(t), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = s.Stop(sctx)
	})
	tok, err := os.ReadFile(s.AdminTokenFile)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, Config{Workload: EcommerceXML, Clients: 2, Batch: 30, SKUs: 20,
		Duration: 800 * time.Millisecond, Warmup: 200 * time.Millisecond,
		Addr: s.Addr, Token: strings.TrimSpace(string(tok)), ServerPID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Ecom
	if res.Orders == 0 || res.Errors != 0 || res.WarmupErrors != 0 || d == nil || !d.Verified || d.DocumentsPerCall != 30 {
		t.Fatalf("%+v %+v (errors: %v)", res, d, res.ErrorSamples)
	}
	if d.Calls != (res.Orders+9)/10 {
		t.Errorf("%d calls for %d orders", d.Calls, res.Orders)
	}
	var rep bytes.Buffer
	WriteReport(&rep, res)
	if !strings.Contains(rep.String(), "SubmitMessages, 30 messages (10 orders") {
		t.Errorf("report:\n%s", rep.String())
	}
	if _, err := Run(ctx, Config{Workload: EcommerceXML, Clients: 1, Batch: 101, Duration: time.Second, Addr: s.Addr, Token: "x"}); err == nil {
		t.Error("--batch 101 accepted")
	}
}
