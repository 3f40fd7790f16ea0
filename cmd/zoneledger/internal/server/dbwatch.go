package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// The database watch: how often the database is pinged, and how the
// embedded PostgreSQL is brought back when its postmaster dies.
const (
	// pingEvery is how often the watch checks that the database answers.
	pingEvery = time.Second
	// pingTimeout bounds one check, connecting included.
	pingTimeout = 3 * time.Second
	// restartTries is how many times in a row the watch tries to start a
	// dead embedded PostgreSQL again before the server gives up and exits.
	restartTries = 5
	// restartTimeout bounds one restart, crash recovery included.
	restartTimeout = 2 * time.Minute
	// crashLoopWindow and crashLoopDeaths: when the embedded PostgreSQL
	// dies this many times within the window, the server exits rather than
	// restart it once more.
	crashLoopWindow = 10 * time.Minute
	crashLoopDeaths = 5
)

// startWatch starts the database watch: it reports the database's state in
// the health service (SERVING / NOT_SERVING for "" and every zoneledger
// service), logs each change, and restarts the embedded PostgreSQL when its
// postmaster dies. When the embedded PostgreSQL cannot be brought back, the
// server stops serving (Done yields the error and Stop returns it, so the
// process exits non-zero for its supervisor).
func (s *Server) startWatch(url string) {
	ctx, cancel := context.WithCancel(context.Background())
	s.watchCancel = cancel
	s.watchDone = make(chan struct{})
	go func() {
		defer close(s.watchDone)
		s.watch(ctx, url)
	}()
}

// stopWatch ends the watch and waits for it, so that no restart of the
// embedded PostgreSQL races with its Stop.
func (s *Server) stopWatch() {
	if s.watchCancel == nil {
		return
	}
	s.watchCancel()
	<-s.watchDone
	s.watchCancel = nil
}

func (s *Server) watch(ctx context.Context, url string) {
	var pgDone <-chan struct{}
	if s.pg != nil {
		pgDone = s.pg.Done()
	}
	p := &pinger{url: url}
	defer p.close()
	tick := time.NewTicker(pingEvery)
	defer tick.Stop()
	var deaths []time.Time
	up := true
	for {
		select {
		case <-ctx.Done():
			return
		case <-pgDone:
			if ctx.Err() != nil {
				return
			}
			s.setServing(false)
			up = false
			now := time.Now()
			deaths = append(deaths, now)
			for len(deaths) > 0 && now.Sub(deaths[0]) > crashLoopWindow {
				deaths = deaths[1:]
			}
			s.log.Error("the embedded PostgreSQL exited unexpectedly: not serving; restarting it (PostgreSQL recovers every committed transaction)",
				"pid", s.pg.PID(), "exit", fmt.Sprint(s.pg.Err()), "deaths_in_window", len(deaths),
				"postgres_log", lastLines(s.pg.LogTail(), 10))
			if len(deaths) >= crashLoopDeaths {
				s.fail(fmt.Errorf("the embedded PostgreSQL died %d times within %v: giving up; its log:\n%s",
					len(deaths), crashLoopWindow, s.pg.LogTail()))
				return
			}
			if err := s.restartEmbedded(ctx); err != nil {
				if ctx.Err() == nil {
					s.fail(err)
				}
				return
			}
			pgDone = s.pg.Done()
			p.close()
		case <-tick.C:
		}
		err := p.ping(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil && up:
			s.log.Error("the database does not answer: not serving until it does", "err", err)
			s.setServing(false)
			up = false
		case err == nil && !up:
			// Connections made before the database went away are
			// broken: start afresh before calls come back.
			s.store.Pool().Reset()
			s.log.Info("the database answers again: serving")
			s.setServing(true)
			up = true
		}
	}
}

// restartEmbedded starts the dead embedded PostgreSQL again, trying up to
// restartTries times.
func (s *Server) restartEmbedded(ctx context.Context) error {
	var err error
	for attempt := 1; attempt <= restartTries; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, restartTimeout)
		err = s.pg.Restart(rctx)
		cancel()
		if err == nil {
			s.log.Info("the embedded PostgreSQL is running again", "pid", s.pg.PID(), "attempt", attempt)
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		s.log.Error("restarting the embedded PostgreSQL failed", "attempt", attempt, "of", restartTries, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
	return fmt.Errorf("the embedded PostgreSQL died and could not be restarted (%d attempts): %w", restartTries, err)
}

// fail stops serving because the database cannot be brought back: Done
// yields err, and Stop returns it.
func (s *Server) fail(err error) {
	s.log.Error("stopping: the database cannot be brought back; a supervisor should restart zoneledger", "err", err)
	s.fatalMu.Lock()
	s.fatal = err
	s.fatalMu.Unlock()
	select {
	case s.done <- err:
	default:
	}
}

// setServing sets the health of the server ("") and of every zoneledger
// service.
func (s *Server) setServing(ok bool) {
	st := healthpb.HealthCheckResponse_NOT_SERVING
	if ok {
		st = healthpb.HealthCheckResponse_SERVING
	}
	s.health.SetServingStatus("", st)
	for name := range s.grpc.GetServiceInfo() {
		if strings.HasPrefix(name, "zoneledger.") {
			s.health.SetServingStatus(name, st)
		}
	}
}

// pinger checks the database over a connection of its own, so that a busy
// pool never makes a healthy database look dead.
type pinger struct {
	url  string
	conn *pgx.Conn
}

func (p *pinger) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if p.conn == nil {
		conn, err := pgx.Connect(ctx, p.url)
		if err != nil {
			return err
		}
		p.conn = conn
	}
	if err := p.conn.Ping(ctx); err != nil {
		p.close()
		return err
	}
	return nil
}

func (p *pinger) close() {
	if p.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = p.conn.Close(ctx)
		p.conn = nil
	}
}

// lastLines returns the last n lines of text.
func lastLines(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// healthService is the standard health service whose Watch streams end
// when the server stops: a graceful stop waits for every open stream, and
// a client watching health would otherwise hold it until its timeout.
type healthService struct {
	*health.Server
	stopping <-chan struct{}
}

// Watch streams the serving status of a service until the client goes
// away or the server stops.
func (h healthService) Watch(req *healthpb.HealthCheckRequest, stream healthpb.Health_WatchServer) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	go func() {
		select {
		case <-h.stopping:
			cancel()
		case <-ctx.Done():
		}
	}()
	return h.Server.Watch(req, watchStream{Health_WatchServer: stream, ctx: ctx})
}

// watchStream is a Watch stream with a context that also ends when the
// server stops.
type watchStream struct {
	healthpb.Health_WatchServer
	ctx context.Context
}

func (w watchStream) Context() context.Context { return w.ctx }
