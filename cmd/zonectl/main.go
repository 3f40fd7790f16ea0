// Command zonectl is the command-line client of the zoneledger server: it
// creates books, registers items, posts journals in bulk, reads balances,
// day totals and journals, closes and verifies periods, and manages
// principals and tokens, over gRPC.
//
// Exit codes: 0 success, 1 the server refused or failed (including refused
// journals and periods that do not verify), 2 usage errors (bad flags or
// arguments, no token, unreadable or malformed input files; nothing was sent).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes zonectl with args (without the program name) and returns the
// exit code. An interrupt cancels the call in flight.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return newApp(stdout, stderr).execute(ctx, args)
}
