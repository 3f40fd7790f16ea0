package tests

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/pgtest"
)

// demoTimeout bounds `zoneledger demo`, which starts its own embedded
// PostgreSQL.
const demoTimeout = 4 * time.Minute

// TestReadmeFirstCommandDemo keeps the README's first command true: the
// demo (`go run ./cmd/zoneledger demo`, here the built binary) exits 0 and
// shows balances.
func TestReadmeFirstCommandDemo(t *testing.T) {
	first := readmeFirstCommand(t)
	t.Logf("README's first command: %s", first)
	if !strings.Contains(first, "zoneledger demo") && !strings.Contains(first, "make demo") {
		t.Errorf("README's first command is %q; this test runs `zoneledger demo`: update one or the other", first)
	}
	help, err := exec.Command(bins.zoneledger, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("zoneledger --help: %v\n%s", err, help)
	}
	if !regexp.MustCompile(`(?m)^\s+demo\s`).Match(help) {
		t.Fatalf("zoneledger --help lists no `demo` subcommand, so the README's first command "+
			"`go run ./cmd/zoneledger demo` cannot run; restore the subcommand or change the README. --help said:\n%s", help)
	}

	dir := pgtest.TempDir(t) // the demo's embedded PostgreSQL runs as postgres when we are root
	ctx, cancel := context.WithTimeout(context.Background(), demoTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bins.zoneledger, "demo")
	cmd.Dir = dir
	cmd.WaitDelay = 10 * time.Second
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("zoneledger demo did not finish within %v; output:\n%s", demoTimeout, tail(string(out), 60))
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) || err != nil {
		t.Fatalf("zoneledger demo: %v; output:\n%s", err, tail(string(out), 60))
	}
	if !strings.Contains(strings.ToLower(string(out)), "balance") {
		t.Errorf("zoneledger demo exited 0 but its output does not mention balances:\n%s", tail(string(out), 60))
	}
}

// readmeFirstCommand returns the first line of the README's first sh code
// block. A missing README or one without such a block fails the test.
func readmeFirstCommand(t *testing.T) string {
	t.Helper()
	f, err := os.Open(filepath.Join(bins.root, "README.md"))
	if err != nil {
		t.Fatalf("the README whose first command this test keeps true: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inBlock := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case !inBlock && (line == "```sh" || line == "```bash" || line == "```shell" || line == "```console"):
			inBlock = true
		case inBlock && line == "```":
			inBlock = false
		case inBlock && line != "" && !strings.HasPrefix(line, "#"):
			cmd, _, _ := strings.Cut(line, " #")
			return strings.TrimPrefix(strings.TrimSpace(cmd), "$ ")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading README.md: %v", err)
	}
	t.Fatal("README.md has no sh code block, so it shows no first command; put `go run ./cmd/zoneledger demo` first")
	return ""
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
