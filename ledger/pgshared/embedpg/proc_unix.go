//go:build unix

package embedpg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"
)

// serverUser is the system user PostgreSQL runs as when we are root.
const serverUser = "postgres"

// identity is the user the PostgreSQL processes run as when it differs from
// our own (we are root); nil means our own identity.
type identity struct {
	uid, gid uint32
	groups   []uint32
}

// serverIdentity returns nil when we are not root, else the identity of the
// postgres system user.
func serverIdentity() (*identity, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(serverUser)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the %q system user, but looking it up failed (%v): "+
			"install Debian's postgresql package, which creates it, or create it (adduser --system --group %s), or run as a non-root user",
			serverUser, err, serverUser)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("user %q has a non-numeric uid or gid (%s/%s): %w", serverUser, u.Uid, u.Gid, err)
	}
	if uid == 0 {
		return nil, fmt.Errorf("user %q has uid 0, and PostgreSQL refuses to run as root: give it its own uid", serverUser)
	}
	id := &identity{uid: uint32(uid), gid: uint32(gid)}
	if gids, err := u.GroupIds(); err == nil {
		for _, g := range gids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				id.groups = append(id.groups, uint32(n))
			}
		}
	}
	return id, nil
}

// sysProcAttr gives a child its own process group (so a terminal's Ctrl-C
// reaches only us and we stop PostgreSQL in order), the identity it runs as,
// and the signal it gets when our process dies.
func sysProcAttr(id *identity, parentDeath syscall.Signal) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if id != nil {
		attr.Credential = &syscall.Credential{Uid: id.uid, Gid: id.gid, Groups: id.groups}
	}
	setParentDeathSignal(attr, parentDeath)
	return attr
}

// startChild starts cmd from a goroutine locked to its OS thread until the
// child exits, and returns a channel that receives cmd.Wait's result. Linux
// sends the parent-death signal when the thread that forked the child ends,
// not the process; a thread held this way cannot end before the child does.
func startChild(cmd *exec.Cmd) (<-chan error, error) {
	started := make(chan error, 1)
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		done <- cmd.Wait()
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return done, nil
}

// chown gives path to id; a no-op when id is nil.
func chown(path string, id *identity) error {
	if id == nil {
		return nil
	}
	if err := os.Lchown(path, int(id.uid), int(id.gid)); err != nil {
		return fmt.Errorf("giving %s to the %s user: %w", path, serverUser, err)
	}
	return nil
}

// chownTree gives dir and everything under it to id unless dir already
// belongs to it; a no-op when id is nil.
func chownTree(dir string, id *identity) error {
	if id == nil {
		return nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == id.uid {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return chown(p, id)
	})
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// accessProblem explains why id cannot reach path (a directory above it is
// not searchable by id), or returns "" when the mode bits allow it. It is a
// diagnosis for error messages only: ACLs are not consulted.
func accessProblem(path string, id *identity) string {
	if id == nil {
		return ""
	}
	var dirs []string
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	slices.Reverse(dirs)
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil {
			continue
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return ""
		}
		perm := fi.Mode().Perm()
		var bit fs.FileMode
		switch {
		case st.Uid == id.uid:
			bit = 0o100
		case st.Gid == id.gid || slices.Contains(id.groups, st.Gid):
			bit = 0o010
		default:
			bit = 0o001
		}
		if perm&bit == 0 {
			return fmt.Sprintf("the %s user (uid %d), which PostgreSQL runs as because we run as root, cannot enter %s "+
				"(mode %s, owner uid %d): choose a data directory outside it, or make it searchable (chmod o+x %s)",
				serverUser, id.uid, d, fi.Mode(), st.Uid, d)
		}
	}
	return ""
}
