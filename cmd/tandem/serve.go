package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/web"
)

// openDB opens and migrates the configured database.
func openDB(ctx context.Context, cfg Config, log *slog.Logger) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, cfg.databaseURL())
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.InfoContext(ctx, "migrated database", "dialect", db.Dialect(), "versions", applied)
	}
	return db, nil
}

func runServe(ctx context.Context, cfg Config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("tandem serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.register(fs, true)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := cfg.logger(os.Stderr, web.NewLogHandler)
	if err != nil {
		return err
	}
	if cfg.BaseURL != "" {
		if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return fmt.Errorf("--base-url %q: give the site's public URL, such as https://tandem.example.com", cfg.BaseURL)
		}
	}
	proxies, err := cfg.trustedProxies()
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()

	var mailer tandem.Mailer = &mail.DevMailer{Log: log, Store: db}
	if cfg.SMTPURL != "" {
		if mailer, err = mail.NewSMTPMailer(cfg.SMTPURL); err != nil {
			return err
		}
	}
	a := app.New(db, mailer, log, cfg.BaseURL)
	a.PublicOrgSlug = cfg.PublicOrg
	if err := a.CheckPublicOrg(ctx); err != nil {
		return err
	}
	srv, err := web.New(a, log, web.Config{BaseURL: cfg.BaseURL, TrustProxy: cfg.TrustProxy, TrustedProxies: proxies, DevMail: cfg.SMTPURL == "",
		Version: buildVersion(), MetricsToken: cfg.MetricsToken})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	a.ListenURL = listenURL(ln.Addr())
	if cfg.BaseURL == "" {
		log.Warn("no base URL configured (--base-url, TANDEM_BASE_URL): links in email use the address each request was made to "+
			"(X-Forwarded-Proto/Host only with --trust-proxy), and email no request causes uses the last one seen in its organization, else "+a.ListenURL+
			"; set the public URL in production", "listen", a.ListenURL)
	}
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", cfg.MetricsAddr, err)
		}
	}
	// Jobs keep working while requests in flight finish, so the work those
	// requests enqueue starts at once; they stop after the HTTP server.
	runner, err := jobs.Start(context.WithoutCancel(ctx), a, log, jobs.Config{})
	if err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := runner.Stop(stopCtx); err != nil {
			log.Error("stop jobs", "err", err)
		}
	}()
	return serve(ctx, srv, ln, metricsLn, log, db.Dialect())
}

// serve runs the HTTP server, and the metrics server on metricsLn when it
// is not nil, until ctx ends (SIGTERM or interrupt) or one of them fails;
// then it stops accepting connections on both and waits up to 30 seconds
// for requests in flight to finish. The work those requests queued is the
// job runner's, which runServe stops after this returns.
func serve(ctx context.Context, srv *web.Server, ln, metricsLn net.Listener, log *slog.Logger, dialect sqldb.Dialect) error {
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       60 * time.Second,
			WriteTimeout:      120 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}
	}
	servers := []*http.Server{newServer(srv)}
	listeners := []net.Listener{ln}
	if metricsLn != nil {
		servers = append(servers, newServer(srv.MetricsHandler()))
		listeners = append(listeners, metricsLn)
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(listeners[i]) }()
	}
	log.Info("tandem is listening", "url", "http://"+ln.Addr().String(), "database", dialect, "version", buildVersion())
	if metricsLn != nil {
		log.Info("metrics are served", "url", "http://"+metricsLn.Addr().String()+"/metrics")
	}

	// A Serve that returns before shutdown has failed; the other server
	// is shut down too, and serve returns that failure.
	pending := len(servers)
	var failed error
	select {
	case failed = <-errc:
		pending--
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, hs := range servers {
		if err := hs.Shutdown(shutCtx); err != nil && failed == nil {
			failed = fmt.Errorf("shutdown: %w", err)
		}
	}
	for ; pending > 0; pending-- {
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) && failed == nil {
			failed = err
		}
	}
	if failed != nil {
		return failed
	}
	log.Info("stopped")
	return nil
}

func runMigrate(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tandem migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.register(fs, false)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, cfg.databaseURL())
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(stdout, "%s database is up to date at version %d\n", db.Dialect(), cur)
		return nil
	}
	fmt.Fprintf(stdout, "%s database migrated: applied %v, now at version %d\n", db.Dialect(), applied, cur)
	return nil
}

// listenURL is the http URL of the address the server listens on, with the
// machine's name for an unspecified address (0.0.0.0, ::): the last resort
// for links in email.
func listenURL(addr net.Addr) string {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ap.Addr().IsUnspecified() {
		return "http://" + net.JoinHostPort(mail.Hostname(), fmt.Sprint(ap.Port()))
	}
	return "http://" + ap.String()
}
