package embedpg

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// setParentDeathSignal asks the kernel to send sig to the child when our
// process dies (PR_SET_PDEATHSIG). Go sets it after switching credentials,
// so it holds for a child that runs as another user.
func setParentDeathSignal(attr *syscall.SysProcAttr, sig syscall.Signal) {
	attr.Pdeathsig = sig
}

// processName returns the command name of a running process, and false when
// it cannot be read.
func processName(pid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

// processDir returns the working directory of a running process (a
// postmaster's is its data directory), and false when it cannot be read.
func processDir(pid int) (string, bool) {
	dir, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd")
	return dir, err == nil
}
