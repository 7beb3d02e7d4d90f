package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/jobs"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
	"github.com/tandemhq/tandem/web"
)

// env is a running server on a fresh database, with a mailbox and clock.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	db    *sqldb.DB
	clock *tandemtest.Clock
	// mail is what the app sent; reading it first works the jobs that
	// are waiting (every email is a job), see envMail.
	mail *envMail
	app  *app.App
	jobs *jobs.Runner
	// devLog is what the development mailer wrote to the server log.
	devLog *syncBuffer
}

// syncBuffer is a bytes.Buffer that the server's goroutines may write to
// while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// teeMailer gives each message to the test mailbox, where tests read
// links, and to the real development mailer, so the "Sent email" page
// shows what it would show in development (and must not show).
type teeMailer struct {
	box *tandemtest.Mailbox
	dev *mail.DevMailer
}

func (t teeMailer) Send(ctx context.Context, m *tandem.Message) error {
	if err := t.box.Send(ctx, m); err != nil {
		return err
	}
	return t.dev.Send(ctx, m)
}

// startJobs runs a job Runner for the env's app (without the periodic
// jobs, which tests run themselves when they need them) until the test
// ends. Inserts go through it, so a job starts as soon as it commits.
func (e *env) startJobs() {
	e.t.Helper()
	r, err := jobs.Start(context.Background(), e.app, slog.New(slog.NewTextHandler(io.Discard, nil)),
		jobs.Config{PollInterval: 100 * time.Millisecond, NoPeriodic: true})
	if err != nil {
		e.t.Fatal(err)
	}
	e.jobs = r
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Stop(ctx)
	})
}

// workJobs waits until the jobs inserted so far are done (completed, or
// failed and waiting for a retry), and fails the test on a job that
// failed: call it before looking at what a job does. Reading e.mail calls
// it.
func (e *env) workJobs() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.jobs.WaitIdle(ctx); err != nil {
		e.t.Fatal(err)
	}
	failed, err := e.db.ListJobs(ctx, 20, rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, j := range failed {
		msg := ""
		if n := len(j.Errors); n > 0 {
			msg = j.Errors[n-1].Error
		}
		e.t.Errorf("job %d (%s) %s: %s", j.ID, j.Kind, j.State, msg)
	}
}

// envMail is the test mailbox, read after the waiting jobs are worked, so
// a test reads the mail a request caused right after the request.
type envMail struct {
	*tandemtest.Mailbox
	e *env
}

// Messages works the waiting jobs and returns the messages sent so far.
func (m *envMail) Messages() []tandem.Message {
	m.e.t.Helper()
	m.e.workJobs()
	return m.Mailbox.Messages()
}

// MustLastLink works the waiting jobs and returns the first link in the
// newest message to the address.
func (m *envMail) MustLastLink(tb testing.TB, to string) string {
	tb.Helper()
	m.e.workJobs()
	return m.Mailbox.MustLastLink(tb, to)
}

// newEnv starts a server; configure adjusts its web.Config.
func newEnv(t *testing.T, configure ...func(*web.Config)) *env {
	t.Helper()
	db, clock := tandemtest.MustOpenDB(t)
	mb := &tandemtest.Mailbox{}
	log := slog.New(web.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	devLog := &syncBuffer{}
	dev := &mail.DevMailer{Log: slog.New(slog.NewTextHandler(devLog, nil)), Store: db}
	a := app.New(db, teeMailer{box: mb, dev: dev}, log, "")
	// Cheap hashing keeps the suite fast; the format and checks are the same.
	a.Password = app.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	e := &env{t: t, db: db, clock: clock, app: a, devLog: devLog}
	e.mail = &envMail{Mailbox: mb, e: e}
	e.startJobs()
	e.srv = httptest.NewUnstartedServer(nil)
	e.srv.Start()
	a.BaseURL = e.srv.URL
	cfg := web.Config{BaseURL: e.srv.URL, DevMail: true, Version: "test"}
	for _, f := range configure {
		f(&cfg)
	}
	if cfg.BaseURL == "" {
		a.BaseURL = "" // none configured: links come from requests
	}
	s, err := web.New(a, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Config.Handler = checkingAPI(t, s)
	t.Cleanup(e.srv.Close)
	return e
}

// browser is a client with its own cookie jar that does not follow
// redirects, so tests see each step.
type browser struct {
	e   *env
	c   *http.Client
	jar *cookiejar.Jar
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is a read response.
type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) response {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.url(path), nil)
	return b.do(req)
}

// engagement reads every tab of an engagement page as one response (the
// overview's status), so a test can ask what a viewer sees anywhere on it.
func (b *browser) engagement(page string) response {
	b.e.t.Helper()
	all := b.get(page)
	for _, tab := range []string{"sessions", "goals", "agreement", "timeline"} {
		all.body += b.get(page + "?tab=" + tab).body
	}
	return all
}

func (b *browser) post(path string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// What a browser sends for a form on the same site.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.e.srv.URL + path
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// api calls the JSON API with a bearer token (or none) and decodes the answer.
func (e *env) api(method, path, token, body string) (int, map[string]any, http.Header) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			e.t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, b)
		}
	}
	return resp.StatusCode, out, resp.Header
}

// setup creates the first organization through the setup page and returns
// the signed-in administrator's browser.
func (e *env) setup(org, name, email string) *browser {
	e.t.Helper()
	b := e.browser()
	r := b.post("/setup", url.Values{"org_name": {org}, "org_kind": {"company"}, "name": {name}, "email": {email}, "password": {"correct horse battery"}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("setup: status %d\n%s", r.status, r.body)
	}
	return b
}

// signIn signs a new browser in.
func (e *env) signIn(email, password string) *browser {
	e.t.Helper()
	b := e.browser()
	r := b.post("/signin", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: status %d\n%s", email, r.status, r.body)
	}
	return b
}

// token creates an API token through the UI and returns the secret.
func (b *browser) token(name string) string {
	b.e.t.Helper()
	r := b.post("/account/tokens", url.Values{"name": {name}})
	if r.status != http.StatusCreated {
		b.e.t.Fatalf("create token: %d\n%s", r.status, r.body)
	}
	i := strings.Index(r.body, `id="new-token">`)
	if i < 0 {
		b.e.t.Fatalf("no token on the page:\n%s", r.body)
	}
	rest := r.body[i+len(`id="new-token">`):]
	return rest[:strings.Index(rest, "<")]
}

// invite invites someone as the browser's admin and has them accept,
// returning their signed-in browser.
func (b *browser) invite(email, name, role string) *browser {
	b.e.t.Helper()
	r := b.post("/admin/invitations", url.Values{"email": {email}, "name": {name}, "role": {role}})
	if r.status != http.StatusSeeOther {
		b.e.t.Fatalf("invite: %d\n%s", r.status, r.body)
	}
	link := b.e.mail.MustLastLink(b.e.t, email)
	nb := b.e.browser()
	r = nb.post(link, url.Values{"name": {name}, "password": {"another good password"}})
	if r.status != http.StatusSeeOther {
		b.e.t.Fatalf("accept invitation: %d\n%s", r.status, r.body)
	}
	return nb
}

func ftoa(f float64) string { return strconv.FormatInt(int64(f), 10) }

func appSetup(org, name, email string) app.SetupInput {
	return app.SetupInput{OrgName: org, Name: name, Email: email, Password: "correct horse battery"}
}

func formOf(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
