package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/tandemtest"
	"github.com/tandemhq/tandem/web"
)

// newEnvWith is newEnv with the web configuration changed by set; the
// server it returns is the same handler, for MetricsHandler.
func newEnvWith(t *testing.T, set func(*web.Config)) (*env, *web.Server) {
	t.Helper()
	db, clock := tandemtest.MustOpenDB(t)
	mb := &tandemtest.Mailbox{}
	log := slog.New(web.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	a := app.New(db, mb, log, "")
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	e := &env{t: t, db: db, clock: clock, app: a}
	e.mail = &envMail{Mailbox: mb, e: e}
	e.startJobs()
	e.srv = httptest.NewUnstartedServer(nil)
	e.srv.Start()
	a.BaseURL = e.srv.URL
	cfg := web.Config{BaseURL: e.srv.URL, DevMail: true, Version: "test"}
	set(&cfg)
	s, err := web.New(a, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = checkingAPI(t, s)
	t.Cleanup(e.srv.Close)
	return e, s
}

// TestStrictTransportSecurity: with an https base URL every response
// (pages, errors, refusals, operations) tells browsers to use https only;
// with an http base URL none does.
func TestStrictTransportSecurity(t *testing.T) {
	const want = "max-age=63072000; includeSubDomains"
	e, _ := newEnvWith(t, func(c *web.Config) { c.BaseURL = "https://tandem.example.com" })
	b := e.browser()
	for _, path := range []string{"/signin", "/healthz", "/no-such-page", "/api/v1/me", "/metrics"} {
		if r := b.get(path); r.header.Get("Strict-Transport-Security") != want {
			t.Errorf("https: GET %s (%d): Strict-Transport-Security %q", path, r.status, r.header.Get("Strict-Transport-Security"))
		}
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/signin", strings.NewReader("email=a"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.do(req); r.status != http.StatusForbidden || r.header.Get("Strict-Transport-Security") != want {
		t.Errorf("https: a cross-origin refusal (%d): Strict-Transport-Security %q", r.status, r.header.Get("Strict-Transport-Security"))
	}
	e = newEnv(t) // an http base URL
	for _, path := range []string{"/signin", "/healthz", "/no-such-page"} {
		if r := e.browser().get(path); r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("http: GET %s sends Strict-Transport-Security", path)
		}
	}
}

func getMetrics(t *testing.T, url, auth string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// TestMetricsAccess: /metrics is not on the public listener unless a
// metrics token is configured, and then only with the token; the metrics
// handler of its own listener serves it.
func TestMetricsAccess(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		e, s := newEnvWith(t, func(*web.Config) {})
		if r := getMetrics(t, e.srv.URL, ""); r.status != http.StatusNotFound || strings.Contains(r.body, "tandem_") {
			t.Errorf("/metrics without configuration: %d\n%s", r.status, r.body)
		}
		own := httptest.NewServer(s.MetricsHandler())
		defer own.Close()
		e.browser().get("/healthz")
		if r := getMetrics(t, own.URL, ""); r.status != http.StatusOK ||
			!strings.Contains(r.body, `tandem_http_requests_total{route="GET /healthz",status="200"} 1`) {
			t.Errorf("/metrics on its own listener: %d\n%s", r.status, r.body)
		}
	})
	t.Run("Token", func(t *testing.T) {
		e, s := newEnvWith(t, func(c *web.Config) { c.MetricsToken = "s3cret-metrics-token" })
		b := e.browser()
		b.get("/healthz")
		b.get("/signin")
		for _, auth := range []string{"", "Bearer wrong", "Bearer s3cret-metrics-tokeN", "s3cret-metrics-token", "Bearer "} {
			if r := getMetrics(t, e.srv.URL, auth); r.status != http.StatusUnauthorized || strings.Contains(r.body, "tandem_") {
				t.Errorf("/metrics with %q: %d\n%s", auth, r.status, r.body)
			}
		}
		r := getMetrics(t, e.srv.URL, "Bearer s3cret-metrics-token")
		for _, want := range []string{`tandem_http_requests_total{route="GET /healthz",status="200"} 1`, "tandem_db_open_connections",
			`tandem_http_request_duration_seconds_bucket{route="GET /signin"`} {
			if r.status != http.StatusOK || !strings.Contains(r.body, want) {
				t.Errorf("/metrics with the token: %d, lacks %s", r.status, want)
			}
		}
		own := httptest.NewServer(s.MetricsHandler())
		defer own.Close()
		if r := getMetrics(t, own.URL, ""); r.status != http.StatusUnauthorized {
			t.Errorf("/metrics on its own listener without the token: %d", r.status)
		}
		if r := getMetrics(t, own.URL, "Bearer s3cret-metrics-token"); r.status != http.StatusOK {
			t.Errorf("/metrics on its own listener with the token: %d", r.status)
		}
		// Other paths are routed as before.
		if r := b.get("/no-such-page"); r.status != http.StatusNotFound {
			t.Errorf("another page: %d", r.status)
		}
	})
}
