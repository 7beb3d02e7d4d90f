package web

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "tandem_session"

// maxBody is the default request body limit; routes that take uploads
// raise it themselves.
const maxBody = 1 << 20

// statusWriter records the status a handler wrote, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives every request an id, logs it, counts it by route, and turns
// a panic into a 500 so one bad request does not stop the server.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		// The site's URL as this request sees it, for the jobs whose
		// email it causes (see baseURL and authenticate).
		ctx := tandem.WithBaseURL(tandem.WithRequestID(r.Context(), id), s.baseURL(r))
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(ctx, "panic", "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "Internal server error", http.StatusInternalServerError)
				}
			}
			d := time.Since(start)
			s.metrics.observe(r.Pattern, sw.status, d)
			if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
				s.log.InfoContext(ctx, "request", "method", r.Method, "path", r.URL.Path, "route", r.Pattern,
					"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// secureHeaders sets headers that make the pages harder to abuse.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		next.ServeHTTP(w, r)
	})
}

// uploadPaths take people and subscriber CSV files, up to
// app.MaxImportBytes plus room for the multipart envelope.
var uploadPaths = map[string]bool{"/admin/import": true, "/api/v1/people/import": true,
	"/admin/subscribers/import": true, "/api/v1/subscribers/import": true}

// limitBody caps request bodies; a handler that reads past the limit gets
// an error that the error table turns into 413.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(maxBody)
			if uploadPaths[r.URL.Path] {
				limit = app.MaxImportBytes + 1<<20
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate puts the actor in the context: from a Bearer API token, or
// else from the session cookie. A bad token is refused at once; a dead
// session cookie is cleared and the request goes on anonymously.
//
// An administrator's browser request records the site's URL it was made
// to (put in the context by observe) for its organization
// (app.NoteBaseURL), for the email no request causes.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); auth != "" {
			secret, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				s.apiError(w, r, tandem.Errorf(tandem.EUNAUTHORIZED, "Use the Authorization header as: Bearer <token>."))
				return
			}
			a, err := s.app.ActorByToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(tandem.WithActor(ctx, a)))
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			a, err := s.app.ActorBySession(ctx, c.Value)
			switch {
			case err == nil:
				r = r.WithContext(tandem.WithActor(ctx, a))
				if a.Person.IsAdmin() {
					s.app.NoteBaseURL(ctx, a.Org.ID, tandem.BaseURLFrom(ctx))
				}
			case tandem.ErrorCode(err) == tandem.ENOTFOUND:
				s.clearSessionCookie(w, r)
			default:
				s.serverError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// setSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, and
// Secure when the site is served over TLS.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(tandem.SessionAbsolute / time.Second),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

// clientAddress returns the client's address, for rate limits and the
// sessions list. Without TrustProxy it is the peer of the connection. With
// it, the peer is a proxy we trust, and X-Forwarded-For is read from the
// right, where the hops closest to us are: each proxy appends the address
// it saw, so only the entries our own proxies wrote can be believed, and
// everything left of them is whatever the client chose to send. The first
// entry from the right that is not one of TrustedProxies is the client.
// An entry that is not an IP address ends the walk at the last address
// known good (the right-most hop reached), rather than reading further
// left into what the client wrote.
func (s *Server) clientAddress(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		peer = host
	}
	if !s.cfg.TrustProxy {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		ip, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = ip.String()
		if !s.trustedProxy(ip) {
			break
		}
	}
	return addr
}

// parseHop reads one X-Forwarded-For entry: an IP address, perhaps with a
// port (some proxies write one), IPv4-mapped IPv6 read as IPv4.
func parseHop(h string) (netip.Addr, bool) {
	h = strings.TrimSpace(h)
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// trustedProxy reports whether ip is one of the configured proxy hops.
func (s *Server) trustedProxy(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// baseURL returns the configured public URL, or else the one the request
// was made to: its scheme and Host. With TrustProxy the connecting peer is
// our proxy, and the X-Forwarded-Proto and X-Forwarded-Host it sets say
// what the client asked for; they are read only then (anyone else could
// send them), and of several values the right-most, which our proxy
// wrote. A host that is not a plain host[:port] is not used.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.cfg.TrustProxy {
		if p := strings.ToLower(lastValue(r.Header.Values("X-Forwarded-Proto"))); p == "http" || p == "https" {
			scheme = p
		}
		if h := lastValue(r.Header.Values("X-Forwarded-Host")); validHost(h) {
			host = h
		}
	}
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + strings.ToLower(host)
}

// lastValue is the right-most of a header's comma-separated values.
func lastValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	v := values[len(values)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// validHost reports whether h is a host name or IP address with an
// optional port, and nothing else (no user, path or space to smuggle
// into a link).
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	name, port := h, ""
	if strings.HasPrefix(h, "[") { // [IPv6]:port
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		if _, err := netip.ParseAddr(h[1:end]); err != nil {
			return false
		}
		name, port = "", strings.TrimPrefix(h[end+1:], ":")
		if h[end+1:] != "" && !strings.HasPrefix(h[end+1:], ":") {
			return false
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		name, port = h[:i], h[i+1:]
		if name == "" {
			return false
		}
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
