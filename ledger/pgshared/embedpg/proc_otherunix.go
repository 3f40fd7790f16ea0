//go:build unix && !linux

package embedpg

import "syscall"

// setParentDeathSignal is a no-op where the kernel has no parent-death
// signal: there a PostgreSQL whose parent died keeps running until stopped.
func setParentDeathSignal(*syscall.SysProcAttr, syscall.Signal) {}

// processName cannot read other processes' names on this system.
func processName(int) (string, bool) { return "", false }

// processDir cannot read other processes' directories on this system.
func processDir(int) (string, bool) { return "", false }
