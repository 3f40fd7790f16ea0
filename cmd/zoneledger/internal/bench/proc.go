package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// listenPrefix is what `zoneledger serve` prints on stderr once it accepts
// calls.
const listenPrefix = "zoneledger listening on "

// child is a `zoneledger serve` process started by the bench, so that its
// memory can be measured apart from the bench's own.
type child struct {
	cmd    *exec.Cmd
	Addr   string
	exited chan struct{}
	err    error // cmd.Wait's result, set before exited is closed

	mu   sync.Mutex
	tail []string // last lines of its stderr
}

// startServe runs exe with args and waits until it prints its listen address.
func startServe(ctx context.Context, exe string, args []string) (*child, error) {
	cmd := exec.Command(exe, args...)
	cmd.SysProcAttr = childAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("running %s: %w", exe, err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{})}
	addr := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.tail = append(c.tail, line)
			if len(c.tail) > 40 {
				c.tail = c.tail[len(c.tail)-40:]
			}
			c.mu.Unlock()
			if a, ok := strings.CutPrefix(line, listenPrefix); ok {
				select {
				case addr <- strings.TrimSpace(a):
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	go func() {
		<-scanned // Wait closes the pipe; read it to the end first
		c.err = cmd.Wait()
		close(c.exited)
	}()
	timer := time.NewTimer(3 * time.Minute)
	defer timer.Stop()
	select {
	case c.Addr = <-addr:
		return c, nil
	case <-c.exited:
		return nil, fmt.Errorf("zoneledger serve exited before listening (%v); its output:\n%s", c.err, c.Tail())
	case <-ctx.Done():
		c.Stop()
		return nil, ctx.Err()
	case <-timer.C:
		c.Stop()
		return nil, fmt.Errorf("zoneledger serve did not print %q within 3 minutes; its output:\n%s", listenPrefix+"ADDR", c.Tail())
	}
}

// PID is the server's process id.
func (c *child) PID() int { return c.cmd.Process.Pid }

// Tail returns the last lines the server printed.
func (c *child) Tail() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.tail, "\n")
}

// Stop asks the server to shut down gracefully (SIGTERM) and kills it after
// 45 seconds.
func (c *child) Stop() error {
	select {
	case <-c.exited:
		return c.err
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		var ee *exec.ExitError
		if errors.As(c.err, &ee) {
			return fmt.Errorf("zoneledger serve exited with %v; its output:\n%s", c.err, c.Tail())
		}
		return c.err
	case <-time.After(45 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
		return errors.New("zoneledger serve did not stop within 45s of SIGTERM and was killed")
	}
}

// memory is a process's resident set: now and its peak (high-water mark),
// in kB, from /proc/<pid>/status.
type memory struct{ RSS, HWM int64 }

func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	return parseStatus(string(b))
}

func parseStatus(s string) (memory, error) {
	var m memory
	found := 0
	for _, line := range strings.Split(s, "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("unexpected %s line %q", name, line)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return m, err
		}
		if name == "VmRSS" {
			m.RSS = n
		} else {
			m.HWM = n
		}
		found++
	}
	if found != 2 {
		return m, errors.New("no VmRSS/VmHWM in /proc/<pid>/status")
	}
	return m, nil
}

// sampler follows a process's memory while the load runs.
type sampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}

	mu   sync.Mutex
	peak int64 // kB: the highest VmHWM or VmRSS seen
	err  error
}

func startSampler(pid int, every time.Duration) *sampler {
	s := &sampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	s.sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				s.sample()
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *sampler) sample() {
	m, err := readMemory(s.pid)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return
	}
	s.peak = max(s.peak, m.HWM, m.RSS)
}

// Stop takes a last sample and returns the peak in kB.
func (s *sampler) Stop() (int64, error) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.peak == 0 {
		return 0, s.err
	}
	return s.peak, nil
}
