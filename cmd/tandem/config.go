package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// Config is every setting of the tandem command, filled from defaults, then
// TANDEM_* environment variables (and TANDEM_*_FILE for secrets), then
// flags. A flag given on the command line wins over the environment.
type Config struct {
	Addr        string // TANDEM_ADDR
	Data        string // TANDEM_DATA: directory of the embedded SQLite database
	DatabaseURL string // TANDEM_DATABASE_URL: postgres://… selects PostgreSQL
	BaseURL     string // TANDEM_BASE_URL: public URL, for links in email
	SMTPURL     string // TANDEM_SMTP_URL: smtp://user:pass@host:port?from=…
	LogFormat   string // TANDEM_LOG_FORMAT: text or json
	LogLevel    string // TANDEM_LOG_LEVEL: debug, info, warn, error
	TrustProxy  bool   // TANDEM_TRUST_PROXY: take the client address from X-Forwarded-For
	// TANDEM_TRUSTED_PROXIES: comma-separated CIDRs of further proxy hops
	// behind the one that connects to us (with TrustProxy).
	TrustedProxies string
	// MetricsAddr (TANDEM_METRICS_ADDR) serves /metrics on a listener of
	// its own, such as 127.0.0.1:9090, that only Prometheus reaches.
	MetricsAddr string
	// MetricsToken (TANDEM_METRICS_TOKEN, or _FILE) serves /metrics on the
	// main listener too, to requests with "Authorization: Bearer <token>";
	// it is asked for on the metrics listener as well. With neither set,
	// /metrics is not served.
	MetricsToken string
	// PublicOrg (TANDEM_PUBLIC_ORG) is the slug of the organization whose
	// Coach Notes the short addresses /notes… lead to; empty means the
	// only organization, when there is one.
	PublicOrg string
}

// defaultConfig returns the settings of a fresh install: SQLite in
// ./tandem-data, listening on loopback only.
func defaultConfig() Config {
	return Config{Addr: "127.0.0.1:8080", Data: "tandem-data", LogFormat: "text", LogLevel: "info"}
}

// register adds the flags shared by every subcommand that opens the
// database, with the environment already applied as defaults.
func (c *Config) register(fs *flag.FlagSet, serve bool) {
	fs.StringVar(&c.Data, "data", c.Data, "data directory for the embedded SQLite database (TANDEM_DATA)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "PostgreSQL URL, postgres://…; empty uses SQLite in the data directory (TANDEM_DATABASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (TANDEM_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (TANDEM_LOG_LEVEL)")
	if serve {
		fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (TANDEM_ADDR)")
		fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL of the site, for links in email (TANDEM_BASE_URL)")
		fs.StringVar(&c.SMTPURL, "smtp", c.SMTPURL, "SMTP server, smtp://user:pass@host:port?from=addr; empty writes mail to the log (and, unless it holds a sign-in link, the admin's Sent email page) (TANDEM_SMTP_URL)")
		fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "the connecting peer is a proxy: take the client address from X-Forwarded-For, read from the right (TANDEM_TRUST_PROXY)")
		fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "with --trust-proxy, comma-separated CIDRs of further proxies whose X-Forwarded-For entries are skipped, e.g. 10.0.0.0/8 (TANDEM_TRUSTED_PROXIES)")
		fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve /metrics on this address of its own, e.g. 127.0.0.1:9090 (TANDEM_METRICS_ADDR)")
		fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "serve /metrics on the main address to requests with Authorization: Bearer <token>; prefer TANDEM_METRICS_TOKEN_FILE")
		fs.StringVar(&c.PublicOrg, "public-org", c.PublicOrg, "slug of the organization whose Coach Notes /notes, /notes/{slug} and /notes/feed.atom redirect to (its /o/SLUG/notes…); empty: the only organization, if there is one, else /notes lists those that publish (TANDEM_PUBLIC_ORG)")
	}
}

// fromEnv applies TANDEM_* variables. For secrets, TANDEM_X_FILE names a
// file whose content is the value (Docker and Kubernetes secrets).
func (c *Config) fromEnv(getenv func(string) string) error {
	str := func(name string, dst *string) error {
		if v := getenv(name); v != "" {
			*dst = v
		}
		if f := getenv(name + "_FILE"); f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("%s_FILE: %w", name, err)
			}
			*dst = strings.TrimSpace(string(b))
		}
		return nil
	}
	for _, v := range []struct {
		name string
		dst  *string
	}{
		{"TANDEM_ADDR", &c.Addr}, {"TANDEM_DATA", &c.Data}, {"TANDEM_DATABASE_URL", &c.DatabaseURL},
		{"TANDEM_BASE_URL", &c.BaseURL}, {"TANDEM_SMTP_URL", &c.SMTPURL},
		{"TANDEM_LOG_FORMAT", &c.LogFormat}, {"TANDEM_LOG_LEVEL", &c.LogLevel},
		{"TANDEM_TRUSTED_PROXIES", &c.TrustedProxies},
		{"TANDEM_METRICS_ADDR", &c.MetricsAddr}, {"TANDEM_METRICS_TOKEN", &c.MetricsToken}, {"TANDEM_PUBLIC_ORG", &c.PublicOrg},
	} {
		if err := str(v.name, v.dst); err != nil {
			return err
		}
	}
	switch strings.ToLower(getenv("TANDEM_TRUST_PROXY")) {
	case "1", "true", "yes":
		c.TrustProxy = true
	}
	return nil
}

// trustedProxies parses TrustedProxies: CIDRs, or single addresses, which
// stand for themselves.
func (c *Config) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not a CIDR such as 10.0.0.0/8 or an IP address", f)
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// databaseURL returns the PostgreSQL URL when one is given, else the path
// of the SQLite file in the data directory.
func (c *Config) databaseURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.Data, "tandem.db")
}

// logger builds the slog logger the configuration asks for.
func (c *Config) logger(w *os.File, wrap func(slog.Handler) slog.Handler) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch c.LogFormat {
	case "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: use text or json", c.LogFormat)
	}
	return slog.New(wrap(h)), nil
}
