// Package web serves Tandem over HTTP: the server-rendered pages (ui_*.go),
// the JSON API under /api/v1 (api_*.go), and the operational endpoints.
// routes.go lists every route; one table maps error codes to statuses.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/tandemhq/tandem/app"
)

// Config holds the web server's settings.
type Config struct {
	// BaseURL is the public URL of the site, used for links in email and to
	// decide whether cookies are Secure and Strict-Transport-Security is
	// sent (an https base URL means a proxy terminates TLS in front of us).
	BaseURL string
	// TrustProxy takes the client address from X-Forwarded-For, for sign-in
	// rate limits behind a load balancer: the connection's peer is trusted
	// to have appended the address it saw.
	TrustProxy bool
	// TrustedProxies are further proxy hops (with TrustProxy) whose entries
	// in X-Forwarded-For are skipped to find the client.
	TrustedProxies []netip.Prefix
	// DevMail is true when the development mailer is in use, so the
	// administrators' "Sent email" page is shown.
	DevMail bool
	// Version is shown in the footer and /metrics.
	Version string
	// MetricsToken, when set, serves /metrics on the main listener to
	// requests with "Authorization: Bearer <token>" (and asks for it on
	// MetricsHandler too). When empty, /metrics is not found here.
	MetricsToken string
}

// Server is Tandem's HTTP handler; handlers are its methods and their
// dependencies its fields.
type Server struct {
	app     *app.App
	log     *slog.Logger
	cfg     Config
	pages   map[string]*template.Template
	static  *staticFiles
	metrics *metrics
	handler http.Handler
}

// New parses the templates (a broken template fails here, at start-up)
// and builds the routes.
func New(a *app.App, log *slog.Logger, cfg Config) (*Server, error) {
	s := &Server{app: a, log: log, cfg: cfg, metrics: newMetrics()}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.handler, err = s.routes(); err != nil {
		return nil, err
	}
	s.handler = s.metricsRoute(s.handler)
	if httpsBase(cfg.BaseURL) {
		s.handler = strictTransport(s.handler)
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }
