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
	srv, err := web.New(a, log, web.Config{BaseURL: cfg.BaseURL, TrustProxy: cfg.TrustProxy, TrustedProxies: proxies, DevMail: cfg.SMTPURL == "", Version: buildVersion()})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	// Jobs keep working while requests in flight finish, so the work those
	// requests enqueue starts at once; they stop after the HTTP server.
	runner, err := jobs.Start(context.WithoutCancel(ctx), a, log, jobs.Config{})
	if err != nil {
		ln.Close()
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := runner.Stop(stopCtx); err != nil {
			log.Error("stop jobs", "err", err)
		}
	}()
	return serve(ctx, srv, a, ln, log, db.Dialect())
}

// serve runs the HTTP server until ctx ends (SIGTERM or interrupt), then
// stops accepting connections and waits up to 30 seconds for requests in
// flight to finish, and for the App's background work (emails the requests
// started).
func serve(ctx context.Context, srv *web.Server, a *app.App, ln net.Listener, log *slog.Logger, dialect sqldb.Dialect) error {
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("tandem is listening", "url", "http://"+ln.Addr().String(), "database", dialect, "version", buildVersion())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	// No request is left to start more: wait for the work they started.
	if err := a.Wait(shutCtx); err != nil {
		log.Warn("stopped before background work finished", "err", err)
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
