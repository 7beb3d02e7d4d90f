package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// hstsValue asks browsers to use https only, for two years, subdomains
// included. It is sent only when the base URL is https: over plain http
// browsers ignore it, and it would pin a development host to https.
const hstsValue = "max-age=63072000; includeSubDomains"

// strictTransport sets Strict-Transport-Security on every response,
// whatever answers it (errors, redirects and refusals included), so it
// wraps the whole handler.
func strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", hstsValue)
		next.ServeHTTP(w, r)
	})
}

// httpsBase reports whether the configured base URL is https, meaning a
// proxy in front of Tandem terminates TLS.
func httpsBase(baseURL string) bool {
	return strings.HasPrefix(strings.ToLower(baseURL), "https://")
}

// MetricsHandler serves /metrics alone, for the listener of its own that
// --metrics-addr opens (an address only Prometheus reaches); with a
// metrics token it asks for the token there too.
func (s *Server) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		s.guardMetrics(w, r)
	})
}

// metricsRoute answers GET /metrics on the main listener when a metrics
// token is configured, before sign-in runs (which would take the bearer
// token for an API token). Without a token /metrics goes on to the routes,
// where no route has it: it answers as a page that does not exist, since
// route counts and pool sizes are for the operator, not the internet.
func (s *Server) metricsRoute(next http.Handler) http.Handler {
	if s.cfg.MetricsToken == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			s.guardMetrics(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// guardMetrics serves the metrics, asking for "Authorization: Bearer
// <metrics token>" when a token is configured; the comparison takes the
// same time whichever byte differs.
func (s *Server) guardMetrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsToken != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(s.cfg.MetricsToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tandem metrics"`)
			http.Error(w, "Metrics need the metrics token: Authorization: Bearer <token>.", http.StatusUnauthorized)
			return
		}
	}
	s.handleMetrics(w, r)
}
