package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// metrics are the server's Prometheus metrics.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	batchSize prometheus.Histogram
	batchDur  prometheus.Histogram
	retries   prometheus.Counter
	alone     prometheus.Counter
	batchErrs prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zoneledger_grpc_requests_total", Help: "gRPC requests by method and status code.",
		}, []string{"method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "zoneledger_grpc_request_seconds", Help: "gRPC request latency by method.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"method"}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "zoneledger_ledger_batch_journals", Help: "Journals per ledger write transaction.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		batchDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "zoneledger_ledger_batch_seconds", Help: "Duration of ledger write transactions including retries.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zoneledger_ledger_retries_total", Help: "Write transactions retried after a serialization failure or deadlock.",
		}),
		alone: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zoneledger_ledger_alone_attempts_total",
			Help: "Last attempts of write transactions that ran alone, waiting for every other write in flight, after losing the others to conflicts.",
		}),
		batchErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zoneledger_ledger_batch_errors_total", Help: "Write transactions that failed as a whole.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.batchSize, m.batchDur, m.retries, m.alone, m.batchErrs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// BatchCommitted implements pgstore.Metrics.
func (m *metrics) BatchCommitted(size, _ int, d time.Duration, err error) {
	m.batchSize.Observe(float64(size))
	m.batchDur.Observe(d.Seconds())
	if err != nil {
		m.batchErrs.Inc()
	}
}

// Retried implements pgstore.Metrics.
func (m *metrics) Retried() { m.retries.Inc() }

// RanAlone implements pgstore.Metrics.
func (m *metrics) RanAlone() { m.alone.Inc() }

func (m *metrics) observe(method string, start time.Time, err error) {
	m.requests.WithLabelValues(method, status.Code(err).String()).Inc()
	m.latency.WithLabelValues(method).Observe(time.Since(start).Seconds())
}

func (m *metrics) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	start := time.Now()
	resp, err := h(ctx, req)
	m.observe(info.FullMethod, start, err)
	return resp, err
}

func (m *metrics) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	start := time.Now()
	err := h(srv, ss)
	m.observe(info.FullMethod, start, err)
	return err
}
