package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	customsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/customs/v1"
)

// TestEcommerceAgainstServer runs the ecommerce workload for about a second
// per call style against an in-process server (the --addr path): every order
// is released and the verification (settlement = orders answered RELEASED,
// stock down by their pieces) passes inside Run. Then one order released
// behind the bench's back must make the verification fail.
func TestEcommerceAgainstServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s, tok, _ := startServer(ctx, t)
	var last *Result
	for _, batch := range []int{1, 10} {
		res, err := Run(ctx, Config{Workload: Ecommerce, Clients: 4, Batch: batch, SKUs: 20,
			Duration: 800 * time.Millisecond, Warmup: 200 * time.Millisecond,
			Addr: s.Addr, Token: tok, ServerPID: os.Getpid()})
		if err != nil {
			t.Fatalf("batch %d: %v", batch, err)
		}
		d := res.Ecom
		if res.Orders == 0 || res.Errors != 0 || res.WarmupErrors != 0 || d == nil || !d.Verified {
			t.Fatalf("batch %d: %+v %+v", batch, res, d)
		}
		if d.Released != res.Orders+res.WarmupJournals+d.Tail {
			t.Errorf("batch %d: %d released, %d + %d warm-up + %d after the window counted", batch, d.Released, res.Orders, res.WarmupJournals, d.Tail)
		}
		if want := max(1, batch/3*3); d.DocumentsPerCall != want {
			t.Errorf("batch %d: %d documents per call, want %d", batch, d.DocumentsPerCall, want)
		}
		calls := res.Orders * 3
		if batch > 1 {
			calls = (res.Orders + int64(batch/3) - 1) / int64(batch/3)
		}
		if d.Calls != calls {
			t.Errorf("batch %d: %d calls for %d orders", batch, d.Calls, res.Orders)
		}
		if res.OrdersPerSecond <= 0 || res.P50Ms <= 0 || res.P99Ms < res.P50Ms || res.ServerPeakRSSMB == nil {
			t.Errorf("batch %d: statistics %+v", batch, res)
		}
		var js bytes.Buffer
		if err := WriteJSON(&js, res); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(js.Bytes(), &m); err != nil || strings.Count(js.String(), "\n") != 1 {
			t.Fatalf("--json output %q: %v", js.String(), err)
		}
		for _, k := range []string{"orders_per_second", "p50_ms", "p99_ms", "errors", "server_peak_rss_mb", "orders", "verified"} {
			if _, ok := m[k]; !ok {
				t.Errorf("--json output lacks %q: %s", k, js.String())
			}
		}
		if _, ok := m["journals_per_second"]; ok || m["verified"] != true {
			t.Errorf("--json output %s", js.String())
		}
		var rep bytes.Buffer
		WriteReport(&rep, res)
		if !strings.Contains(rep.String(), "orders/s") || !strings.Contains(rep.String(), "verified     ") {
			t.Errorf("report:\n%s", rep.String())
		}
		last = res
	}

	// An order released behind the bench's back: the settlement has one
	// list more and the stock one to three pieces less than the tally.
	et := last.Ecom.target
	conn, err := grpc.NewClient(s.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ec := customsv1.NewEcommerceServiceClient(conn)
	pctx := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+et.platform)
	o := et.next(rand.New(rand.NewPCG(1, 2)))
	if _, err := ec.SubmitOrder(pctx, o.order); err != nil {
		t.Fatal(err)
	}
	if _, err := ec.SubmitPayment(pctx, o.payment); err != nil {
		t.Fatal(err)
	}
	r, err := ec.SubmitWaybill(pctx, o.waybill)
	if err != nil || !released(r.GetOrder()) {
		t.Fatalf("the extra order: %v, %v", r, err)
	}
	err = verifyEcom(ctx, conn, et, last.Ecom.tally)
	if err == nil || !strings.Contains(err.Error(), "which no client saw released") || !strings.Contains(err.Error(), "the stock went down by") {
		t.Fatalf("verification after an order the bench did not count: %v", err)
	}
	// Counted, it verifies again.
	last.Ecom.tally.orders[o.no] = o.taxFen
	last.Ecom.tally.qty[o.sku.seq] += int64(o.qty)
	if err := verifyEcom(ctx, conn, et, last.Ecom.tally); err != nil {
		t.Fatal(err)
	}
}

func TestEcommerceDefaults(t *testing.T) {
	for _, c := range []struct {
		batch, skus int
		ok          bool
	}{{1, 0, true}, {2, 0, false}, {3, 0, true}, {100, 0, true}, {101, 0, false}, {1, 5, false}, {1, 6, true}, {1, 1001, false}} {
		cfg := Config{Workload: Ecommerce, Clients: 1, Batch: c.batch, SKUs: c.skus, Duration: time.Second}
		if err := cfg.defaults(); (err == nil) != c.ok {
			t.Errorf("batch %d, %d SKUs: %v", c.batch, c.skus, err)
		}
	}
}

func TestIDNumber(t *testing.T) {
	// GB 11643 example: 11010519491231002X.
	if got := idNumber("11010519491231002"); got != "11010519491231002X" {
		t.Errorf("idNumber = %s", got)
	}
	if got, err := parseFen("1234.5"); err != nil || got != 123450 {
		t.Errorf("parseFen = %d, %v", got, err)
	}
	if _, err := parseFen("1.234"); err == nil {
		t.Error("parseFen accepted a third decimal")
	}
}
