package embedpg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// hbaConf allows passwordless access over the private unix socket, and
// nothing else. The server listens on no TCP address; the socket's directory
// is 0700 and owned by the server's OS user, so only that user and root can
// reach the socket at all.
const hbaConf = `# Written by zoneledger's embedpg at every start: the server listens only on
# a unix socket in a directory only its OS user (and root) can enter.
# TYPE  DATABASE  USER  ADDRESS  METHOD
local   all       all            trust
host    all       all   all      reject
`

// writeHBA writes our pg_hba.conf into the cluster at dir, replacing what is
// there: a cluster made by an older zoneledger trusted 127.0.0.1.
func writeHBA(dir string, id *identity) error {
	hba := filepath.Join(dir, "pg_hba.conf")
	if b, err := os.ReadFile(hba); err == nil && string(b) == hbaConf {
		return nil
	}
	tmp := hba + ".tmp"
	if err := os.WriteFile(tmp, []byte(hbaConf), 0o600); err != nil {
		return fmt.Errorf("writing pg_hba.conf: %w", err)
	}
	if err := chown(tmp, id); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, hba); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing pg_hba.conf: %w", err)
	}
	return nil
}

// prepareDataDir makes sure dir holds a PostgreSQL cluster owned by the user
// PostgreSQL runs as, creating it with initdb when dir is missing or empty.
// A new cluster is built in a sibling directory and renamed into place, so an
// interrupted initdb never leaves a half-made cluster at dir.
func prepareDataDir(ctx context.Context, dir, binDir string, id *identity, logger *slog.Logger) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return fmt.Errorf("data directory %s is a file: point DataDir at a directory", dir)
	case err == nil:
		if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
			if err := chownTree(dir, id); err != nil {
				return err
			}
			return writeHBA(dir, id)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("reading data directory: %w", err)
		}
		if len(entries) > 0 {
			return fmt.Errorf("data directory %s is not empty and holds no PostgreSQL cluster (no PG_VERSION): "+
				"point DataDir at a new or empty directory", dir)
		}
		// An existing empty directory may be a mount point: initialize in place.
		if err := chown(dir, id); err != nil {
			return err
		}
		return initCluster(ctx, dir, binDir, id, logger)
	case !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("data directory: %w", err)
	}

	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("creating the parent of the data directory: %w", err)
	}
	tmp := dir + ".initdb-tmp"
	if err := os.RemoveAll(tmp); err != nil { // left by an interrupted start
		return fmt.Errorf("removing the leftover %s: %w", tmp, err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("creating the data directory: %w", err)
	}
	if err := chown(tmp, id); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := initCluster(ctx, tmp, binDir, id, logger); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("moving the new cluster into place: %w", err)
	}
	return nil
}

// initCluster runs initdb on dir (which exists, empty, owned by id) and
// writes our pg_hba.conf.
func initCluster(ctx context.Context, dir, binDir string, id *identity, logger *slog.Logger) error {
	began := time.Now()
	cmd := exec.Command(filepath.Join(binDir, "initdb"),
		"--pgdata="+dir,
		"--username="+Superuser,
		"--encoding=UTF8",
		"--locale=C",
		"--auth-local=trust",
		"--auth-host=reject",
	)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = "/"
	cmd.Env = childEnv()
	// initdb killed with us is fine: its half-made directory is removed on
	// the next start.
	cmd.SysProcAttr = sysProcAttr(id, syscall.SIGKILL)
	done, err := startChild(cmd)
	if err != nil {
		return fmt.Errorf("running initdb: %w", err)
	}
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("initdb did not finish in time: %w", ctx.Err())
	}
	if err != nil {
		msg := fmt.Sprintf("initdb failed (%v): %s", err, strings.TrimSpace(out.String()))
		if hint := accessProblem(dir, id); hint != "" {
			msg += "\nhint: " + hint
		}
		return errors.New(msg)
	}
	if err := writeHBA(dir, id); err != nil {
		return err
	}
	logger.Info("embedded PostgreSQL: initialized a new cluster", "dir", dir, "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// childEnv is our environment without PG* variables, which would otherwise
// steer initdb and postgres (PGDATA, PGPORT, ...).
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// staleGrace is how long waitForOldPostmaster gives a running postmaster
// that is not yet shutting down to start doing so: one orphaned by our
// previous process's death receives SIGINT at once, but may take a moment
// to mark itself as stopping.
const staleGrace = 5 * time.Second

// waitForOldPostmaster deals with a postmaster.pid left in dir. When its
// process is gone, PostgreSQL itself removes the file. When it is alive and
// shutting down (a server orphaned by our previous process, which got the
// parent-death signal), we wait until it is gone. When it is alive and
// stays up, another server uses dir and we refuse. When the pid now belongs
// to a process that is not a postmaster of dir (pid reuse after a reboot or
// in a new container), the file is stale and is removed.
func waitForOldPostmaster(ctx context.Context, dir string, logger *slog.Logger) error {
	pidFile := filepath.Join(dir, "postmaster.pid")
	first := time.Now()
	logged := false
	for {
		pid, status, ok := readPidFile(pidFile)
		if !ok || !processAlive(pid) {
			return nil
		}
		if other := otherProcess(pid, dir); other != "" {
			logger.Warn("embedded PostgreSQL: removing a stale postmaster.pid whose pid now belongs to another process",
				"pid", pid, "process", other)
			if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("removing the stale %s: %w", pidFile, err)
			}
			return nil
		}
		if status != "stopping" && time.Since(first) > staleGrace {
			return fmt.Errorf("another PostgreSQL server (pid %d, status %q) is running on data directory %s: "+
				"stop it (kill -INT %d) or use another data directory", pid, status, dir, pid)
		}
		if !logged {
			logger.Info("embedded PostgreSQL: waiting for the previous server on this data directory to exit", "pid", pid, "status", status)
			logged = true
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the previous PostgreSQL server (pid %d) on %s is still shutting down: %w; "+
				"wait for it to exit or stop it (kill -INT %d)", pid, dir, ctx.Err(), pid)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// otherProcess describes pid when it is certainly not a postmaster of
// dataDir (not named postgres, or working in another directory), and
// returns "" when it may be one.
func otherProcess(pid int, dataDir string) string {
	if name, ok := processName(pid); ok && name != "postgres" && name != "postmaster" {
		return name
	}
	cwd, ok := processDir(pid)
	if !ok {
		return ""
	}
	real, err := filepath.EvalSymlinks(dataDir)
	if err != nil || cwd == real || cwd == dataDir {
		return ""
	}
	return "postgres in " + cwd
}

// readPidFile returns the pid and the status line ("starting", "stopping",
// "ready", "standby") of a postmaster.pid file; ok is false when there is no
// readable file.
func readPidFile(path string) (pid int, status string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return 0, "", false
	}
	lines := strings.Split(string(b), "\n")
	pid, err = strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid == 0 {
		return 0, "", false
	}
	if pid < 0 { // a single-user backend writes its pid negated
		pid = -pid
	}
	if len(lines) > 7 {
		status = strings.TrimSpace(lines[7])
	}
	return pid, status, true
}
