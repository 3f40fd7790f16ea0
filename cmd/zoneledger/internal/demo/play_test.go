package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// TestScenesStopAtTheFirstFailure: with a server that answers no call,
// the demo and every scene stop at their first call, which the error
// names with its principal (and the centres with the part that failed,
// their set-up), and read nothing out of the answers they did not get.
func TestScenesStopAtTheFirstFailure(t *testing.T) {
	conn, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, z, now := newClient(conn, "none"), newZone(), time.Now().In(zoneLocation)
	last := "2026-10-31"
	scenes := map[string]func() error{
		"the demo": func() error { _, err := Run(ctx, Options{Addr: "127.0.0.1:1"}); return err },
		"logistics": func() error {
			_, err := runLogistics(ctx, c, z.LC, 2026, time.October, 31, last)
			return err
		},
		"sales":         func() error { _, err := runSales(ctx, c, z.SC, 2026, time.October, 31, last); return err },
		"selective":     func() error { _, err := runSelective(ctx, c, z.LC, 2026, time.October, 31); return err },
		"manufacturing": func() error { _, err := runManufacturing(ctx, c, z.LC, 2026, time.October, 31); return err },
		"R&D lab":       func() error { _, err := runRndLab(ctx, c, z.LC, 2026, time.October, 31); return err },
		"repair":        func() error { _, err := runRepair(ctx, c, z.RC, 2026, time.October, 31); return err },
		"out of zone":   func() error { _, err := runOutZone(ctx, c, z.LC, now); return err },
		"evidence":      func() error { _, err := runEvidence(ctx, c, selectiveBook, last); return err },
		"stocktake":     func() error { _, err := runStocktake(ctx, c, z.LC, now); return err },
		"single window": func() error { _, err := runSingleWindow(ctx, c, z.LC, now); return err },
	}
	for name, run := range scenes {
		err := run()
		centre := name == "logistics" || name == "sales"
		if err == nil || !strings.Contains(err.Error(), " as ") || !strings.Contains(err.Error(), "Unavailable") ||
			centre && !strings.Contains(err.Error(), "set-up: RegisterEnterprise as customs-4601") {
			t.Errorf("%s: %v; want the first call's failure, named with its principal", name, err)
		}
	}
}
