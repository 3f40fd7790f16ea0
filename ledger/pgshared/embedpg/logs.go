package embedpg

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// logTailLines is how many of the server's last log lines are kept for error
// messages.
const logTailLines = 60

// serverLog collects the server's stderr: it forwards each line to a logger
// and keeps the last lines for error messages.
type serverLog struct {
	logger *slog.Logger
	done   chan struct{} // closed when the output ended

	mu   sync.Mutex
	tail []string
}

// newServerLog starts reading r until EOF.
func newServerLog(r io.ReadCloser, logger *slog.Logger) *serverLog {
	l := &serverLog{logger: logger, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		defer r.Close()
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if line = strings.TrimRight(line, "\r\n"); line != "" {
				l.add(line)
			}
			if err != nil {
				return
			}
		}
	}()
	return l
}

func (l *serverLog) add(line string) {
	l.mu.Lock()
	if len(l.tail) == logTailLines {
		copy(l.tail, l.tail[1:])
		l.tail = l.tail[:logTailLines-1]
	}
	l.tail = append(l.tail, line)
	l.mu.Unlock()
	level := slog.LevelDebug
	if strings.Contains(line, "PANIC:  ") {
		level = slog.LevelError
	}
	l.logger.Log(context.Background(), level, line, "source", "postgres")
}

// Tail returns the last lines the server wrote, oldest first, joined by
// newlines.
func (l *serverLog) Tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.tail, "\n")
}

// contains reports whether any kept line contains s.
func (l *serverLog) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.tail {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}
