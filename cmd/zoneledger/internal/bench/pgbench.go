package bench

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/zoneledger/zoneledger/ledger/pgshared/embedpg"
)

// Pgbench settings: the reference load is pgbench's TPC-B-like script at
// scale 10 with 8 clients on 2 threads.
const (
	pgbenchScale   = 10
	pgbenchClients = 8
	pgbenchThreads = 2
)

// pgbenchBinary finds pgbench beside the PostgreSQL server binaries, or on
// PATH.
func pgbenchBinary() (string, error) {
	if dir, err := embedpg.FindBinaries(); err == nil {
		dirs := []string{dir}
		// FindBinaries may name a directory of links (/usr/local/bin/postgres
		// -> /usr/lib/postgresql/15/bin/postgres): look beside the target too.
		if real, err := filepath.EvalSymlinks(filepath.Join(dir, "postgres")); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		for _, d := range dirs {
			p := filepath.Join(d, "pgbench")
			if _, err := exec.LookPath(p); err == nil {
				return p, nil
			}
		}
	}
	p, err := exec.LookPath("pgbench")
	if err != nil {
		return "", fmt.Errorf("pgbench not found beside the PostgreSQL binaries or on PATH: install Debian's postgresql-contrib or postgresql-client package")
	}
	return p, nil
}

var tpsLine = regexp.MustCompile(`(?m)^tps = ([0-9]+(?:\.[0-9]+)?) \((?:without|excluding) initial connection`)
var tpsAny = regexp.MustCompile(`(?m)^tps = ([0-9]+(?:\.[0-9]+)?)`)

// parseTPS reads pgbench's "tps = N (without initial connection time)".
func parseTPS(out string) (float64, error) {
	m := tpsLine.FindStringSubmatch(out)
	if m == nil {
		m = tpsAny.FindStringSubmatch(out)
	}
	if m == nil {
		return 0, fmt.Errorf("no tps line in pgbench's output:\n%s", out)
	}
	return strconv.ParseFloat(m[1], 64)
}

// runPgbench initializes the pgbench tables in the database at url (which
// it owns) and runs pgbench for d, returning transactions per second.
func runPgbench(ctx context.Context, url string, d time.Duration) (tps float64, command string, err error) {
	bin, err := pgbenchBinary()
	if err != nil {
		return 0, "", err
	}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, bin, append(args, url)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("pgbench %v: %w\n%s", args, err, out.String())
		}
		return out.String(), nil
	}
	if _, err := run("-i", "-q", "-s", strconv.Itoa(pgbenchScale)); err != nil {
		return 0, "", err
	}
	secs := strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
	args := []string{"-c", strconv.Itoa(pgbenchClients), "-j", strconv.Itoa(pgbenchThreads), "-T", secs}
	out, err := run(args...)
	if err != nil {
		return 0, "", err
	}
	tps, err = parseTPS(out)
	return tps, fmt.Sprintf("pgbench -i -s %d; pgbench -c %d -j %d -T %s", pgbenchScale, pgbenchClients, pgbenchThreads, secs), err
}
