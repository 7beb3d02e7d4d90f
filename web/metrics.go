package web

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// metrics counts requests and their latencies by route pattern and writes
// them in the Prometheus text format. A hand-written collector keeps the
// dependency list short; the format is small and stable.
type metrics struct {
	mu     sync.Mutex
	routes map[routeKey]*histogram
}

type routeKey struct {
	pattern string
	status  int
}

// Latency buckets in seconds.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, cumulative when written
	count  uint64
	sum    float64
}

func newMetrics() *metrics { return &metrics{routes: map[routeKey]*histogram{}} }

func (m *metrics) observe(pattern string, status int, d time.Duration) {
	if pattern == "" {
		pattern = "unmatched"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := routeKey{pattern, status}
	h := m.routes[k]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.routes[k] = h
	}
	sec := d.Seconds()
	for i, b := range buckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.count++
	h.sum += sec
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]routeKey, 0, len(m.routes))
	for k := range m.routes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pattern != keys[j].pattern {
			return keys[i].pattern < keys[j].pattern
		}
		return keys[i].status < keys[j].status
	})
	fmt.Fprintln(w, "# HELP tandem_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE tandem_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "tandem_http_requests_total{route=%q,status=\"%d\"} %d\n", k.pattern, k.status, m.routes[k].count)
	}
	fmt.Fprintln(w, "# HELP tandem_http_request_duration_seconds HTTP request latency by route.")
	fmt.Fprintln(w, "# TYPE tandem_http_request_duration_seconds histogram")
	for _, k := range keys {
		h := m.routes[k]
		var cum uint64
		labels := fmt.Sprintf("route=%q,status=\"%d\"", k.pattern, k.status)
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "tandem_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", labels, strconv.FormatFloat(b, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "tandem_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, h.count)
		fmt.Fprintf(w, "tandem_http_request_duration_seconds_sum{%s} %g\n", labels, h.sum)
		fmt.Fprintf(w, "tandem_http_request_duration_seconds_count{%s} %d\n", labels, h.count)
	}
}

// handleMetrics serves /metrics: request metrics and the database pool.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w)
	st := s.app.DB.Stats()
	for _, g := range []struct {
		name, help string
		v          int64
	}{
		{"tandem_db_open_connections", "Open database connections.", int64(st.OpenConnections)},
		{"tandem_db_in_use_connections", "Database connections in use.", int64(st.InUse)},
		{"tandem_db_idle_connections", "Idle database connections.", int64(st.Idle)},
		{"tandem_db_max_open_connections", "Maximum open database connections.", int64(st.MaxOpenConnections)},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", g.name, g.help, g.name, g.name, g.v)
	}
	fmt.Fprintf(w, "# HELP tandem_db_wait_total Times a request waited for a database connection.\n# TYPE tandem_db_wait_total counter\ntandem_db_wait_total %d\n", st.WaitCount)
	fmt.Fprintf(w, "# HELP tandem_db_wait_seconds_total Time spent waiting for a database connection.\n# TYPE tandem_db_wait_seconds_total counter\ntandem_db_wait_seconds_total %g\n", st.WaitDuration.Seconds())
	fmt.Fprintf(w, "# HELP tandem_build_info Tandem's version.\n# TYPE tandem_build_info gauge\ntandem_build_info{version=%q} 1\n", s.cfg.Version)
}
