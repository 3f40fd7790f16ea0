// Command zoneledger is the zoneledger server and its operator tools:
//
//	zoneledger serve     run the gRPC server (embedded PostgreSQL by default)
//	zoneledger migrate   apply or list schema migrations
//	zoneledger demo      run a zone's month against an embedded server
//	zoneledger bench     load-test a server over gRPC
//	zoneledger config    print the zone's effective settings
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the zone's time zone works on a machine without tzdata

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := &cobra.Command{
		Use:           "zoneledger",
		Short:         "The electronic account books of a bonded zone, served over gRPC",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCmd(), migrateCmd(), demoCmd(), benchCmd(), configCmd())
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "zoneledger:", err)
		os.Exit(1)
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// shutdownTimeout bounds a graceful stop.
const shutdownTimeout = 30 * time.Second
