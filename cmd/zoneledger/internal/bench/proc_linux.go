package bench

import "syscall"

// childAttr makes the kernel stop the server (SIGTERM) if the bench dies.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
