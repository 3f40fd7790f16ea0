package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// EnvCockroachBinary names the environment variable that runs the tests on
// CockroachDB instead of PostgreSQL: the path of a `cockroach` binary, which
// pgtest starts as an insecure, in-memory, single node on loopback. The
// store's code path (crdbpgx.ExecuteTx) is then the one under test.
const EnvCockroachBinary = "COCKROACH_BINARY"

// IsCockroachDB reports whether the tests run on CockroachDB, for the few
// tests of PostgreSQL-only features (fault injection into its retry loop).
func IsCockroachDB() bool { return os.Getenv(EnvCockroachBinary) != "" }

// cockroach is a CockroachDB node started for the tests.
type cockroach struct {
	cmd    *exec.Cmd
	dir    string
	setups map[string]func(url string) error
}

func startCockroach(ctx context.Context, bin string) (*server, error) {
	dir, err := makeTempDir()
	if err != nil {
		return nil, err
	}
	urlFile := filepath.Join(dir, "url")
	cmd := exec.Command(bin, "start-single-node", "--insecure",
		"--store=type=mem,size=2GiB", "--listen-addr=127.0.0.1:0", "--http-addr=127.0.0.1:0",
		"--listening-url-file="+urlFile, "--logtostderr=WARNING")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting %s (from %s): %w", bin, EnvCockroachBinary, err)
	}
	c := &cockroach{cmd: cmd, dir: dir, setups: map[string]func(string) error{}}
	var raw string
	for raw == "" {
		b, _ := os.ReadFile(urlFile)
		raw = strings.TrimSpace(string(b))
		if raw != "" {
			break
		}
		select {
		case <-ctx.Done():
			_ = c.stop()
			return nil, fmt.Errorf("CockroachDB did not report its address: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		_ = c.stop()
		return nil, fmt.Errorf("CockroachDB reported a bad URL %q: %w", raw, err)
	}
	u.Path = "/defaultdb"
	s, err := connectServer(ctx, u, nil, "")
	if err != nil {
		_ = c.stop()
		return nil, err
	}
	s.crdb = c
	return s, nil
}

func (c *cockroach) stop() error {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
	return os.RemoveAll(c.dir)
}
