package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestEcommerceXMLAgainstServer runs the ecommerce-xml workload for about a
// second against an in-process server: every order, sent as its CEB311,
// CEB411 and CEB511 messages in SubmitMessages, is released and the
// verification inside Run passes.
func TestEcommerceXMLAgainstServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, tok, _ := startServer(ctx, t)
	res, err := Run(ctx, Config{Workload: EcommerceXML, Clients: 2, Batch: 30, SKUs: 20,
		Duration: 800 * time.Millisecond, Warmup: 200 * time.Millisecond,
		Addr: s.Addr, Token: tok, ServerPID: os.Getpid()})
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
