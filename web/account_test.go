package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSetup(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		anon := e.browser()
		if r := anon.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/setup" {
			t.Fatalf("empty install home: %d %s, want redirect to /setup", r.status, r.header.Get("Location"))
		}
		b := e.setup("Acme Corp", "Ada Admin", "Ada@Acme.test")
		r := b.get("/")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Good to see you, Ada Admin") || !strings.Contains(r.body, "Acme Corp") {
			t.Fatalf("home after setup: %d\n%s", r.status, r.body)
		}
		// The email was normalized.
		e.signIn("ada@acme.test", "correct horse battery")
	})
	t.Run("ErrAlreadySetUp", func(t *testing.T) {
		e := newEnv(t)
		e.setup("Acme", "Ada", "ada@acme.test")
		b := e.browser()
		r := b.post("/setup", url.Values{"org_name": {"Evil"}, "name": {"Eve"}, "email": {"eve@evil.test"}, "password": {"correct horse battery"}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, "already set up") {
			t.Fatalf("second setup: %d\n%s", r.status, r.body)
		}
		if b.get("/setup").status != http.StatusSeeOther {
			t.Error("setup form still shown after setup")
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		e := newEnv(t)
		r := e.browser().post("/setup", url.Values{"org_name": {""}, "name": {"Ada"}, "email": {"not-an-email"}, "password": {"short"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", r.status)
		}
		for _, want := range []string{`id="e-org_name"`, `id="e-email"`, `id="e-password"`, `value="Ada"`, `aria-invalid="true"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("form lacks %s", want)
			}
		}
		if n, _ := e.db.CountOrgs(t.Context()); n != 0 {
			t.Errorf("orgs = %d after a refused setup", n)
		}
	})
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.post("/signout", nil)

	t.Run("OK", func(t *testing.T) {
		b := e.browser()
		if r := b.get("/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
			t.Fatalf("anonymous home: %d %s", r.status, r.header.Get("Location"))
		}
		r := b.post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}, "next": {"/account"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
			t.Fatalf("sign in: %d %s", r.status, r.header.Get("Location"))
		}
		if r := b.get("/"); r.status != http.StatusOK {
			t.Fatalf("home: %d", r.status)
		}
	})
	t.Run("ErrOpenRedirect", func(t *testing.T) {
		// Each of these is read by a browser as a link to evil.test: it
		// strips tab, LF and CR and reads a backslash as a slash.
		for _, next := range []string{"//evil.test/x", "/\t/evil.test", "/\n/evil.test", "/\r\n/evil.test", "/\\evil.test", "\\/evil.test", " //evil.test", "https://evil.test/"} {
			r := e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}, "next": {next}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
				t.Errorf("next=%q: %d, redirected to %q", next, r.status, r.header.Get("Location"))
			}
		}
		// The link from the issue: the form's hidden field already holds the
		// safe path, and a signed-in visitor is sent home.
		b := e.browser()
		if r := b.get("/signin?next=%2F%09%2Fevil.test"); strings.Contains(r.body, "evil.test") {
			t.Errorf("the sign-in form carries the target on:\n%s", r.body)
		}
		b = e.signIn("ada@acme.test", "correct horse battery")
		if r := b.get("/signin?next=%2F%09%2Fevil.test"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Errorf("signed in, next=/%%09/evil.test: %d, redirected to %q", r.status, r.header.Get("Location"))
		}
		// A path on this site with a query and fragment is kept.
		r := e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}, "next": {"/people?q=a+b#top"}})
		if r.header.Get("Location") != "/people?q=a+b#top" {
			t.Errorf("next=/people?q=a+b#top redirected to %q", r.header.Get("Location"))
		}
	})
	t.Run("SessionRotates", func(t *testing.T) {
		b := e.signIn("ada@acme.test", "correct horse battery")
		first := b.cookie("tandem_session")
		b.post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}})
		second := b.cookie("tandem_session")
		if first == "" || first == second {
			t.Fatalf("session id did not rotate: %q then %q", first, second)
		}
		stale := e.browser()
		u, _ := url.Parse(e.srv.URL)
		stale.jar.SetCookies(u, []*http.Cookie{{Name: "tandem_session", Value: first}})
		if r := stale.get("/account"); r.status != http.StatusSeeOther {
			t.Errorf("old session still works: %d", r.status)
		}
	})
	t.Run("SignOut", func(t *testing.T) {
		b := e.signIn("ada@acme.test", "correct horse battery")
		old := b.cookie("tandem_session")
		b.post("/signout", nil)
		stale := e.browser()
		u, _ := url.Parse(e.srv.URL)
		stale.jar.SetCookies(u, []*http.Cookie{{Name: "tandem_session", Value: old}})
		if r := stale.get("/account"); r.status != http.StatusSeeOther {
			t.Errorf("signed-out session still works: %d", r.status)
		}
	})
	t.Run("ErrSameMessage", func(t *testing.T) {
		wrong := e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"wrong password!"}})
		unknown := e.browser().post("/signin", url.Values{"email": {"nobody@acme.test"}, "password": {"wrong password!"}})
		if wrong.status != http.StatusUnauthorized || unknown.status != http.StatusUnauthorized {
			t.Fatalf("statuses %d, %d", wrong.status, unknown.status)
		}
		msg := "The email or password is not right."
		if !strings.Contains(wrong.body, msg) || !strings.Contains(unknown.body, msg) {
			t.Errorf("messages differ or are missing")
		}
	})
}

func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.post("/signout", nil)
	for _, email := range []string{"ada@acme.test", "nobody@acme.test"} {
		for i := 0; i < 5; i++ {
			e.browser().post("/signin", url.Values{"email": {email}, "password": {"wrong password!"}})
		}
		// Even the right password is refused while locked out, and an
		// unknown email is locked out the same way: no hint which exists.
		r := e.browser().post("/signin", url.Values{"email": {email}, "password": {"correct horse battery"}})
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many failed sign-ins") {
			t.Errorf("%s after 5 failures: %d", email, r.status)
		}
	}
	e.clock.Add(16 * time.Minute)
	e.signIn("ada@acme.test", "correct horse battery")
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	e.clock.Add(6 * 24 * time.Hour)
	if r := b.get("/account"); r.status != http.StatusOK {
		t.Fatalf("after 6 idle days: %d", r.status)
	}
	e.clock.Add(7*24*time.Hour + time.Minute)
	if r := b.get("/account"); r.status != http.StatusSeeOther {
		t.Fatalf("after 7 idle days: %d, want redirect to sign in", r.status)
	}
}

func TestInvitation(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")

	t.Run("OK", func(t *testing.T) {
		bob := admin.invite("bob@acme.test", "Bob", "program_admin")
		r := bob.get("/")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Bob") || !strings.Contains(r.body, "Program admin") {
			t.Fatalf("invitee home: %d", r.status)
		}
		if bob.get("/admin/members").status != http.StatusForbidden {
			t.Error("a program admin reached the administration page")
		}
	})
	t.Run("ErrReused", func(t *testing.T) {
		link := e.mail.MustLastLink(t, "bob@acme.test")
		r := e.browser().post(link, url.Values{"name": {"Mallory"}, "password": {"another good password"}})
		if !strings.Contains(r.body, "already been used") {
			t.Fatalf("reused invitation: %d\n%s", r.status, r.body)
		}
		if r := e.browser().get(link); !strings.Contains(r.body, "already been used") {
			t.Errorf("reused invitation page does not say so")
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		admin.post("/admin/invitations", url.Values{"email": {"carol@acme.test"}, "name": {"Carol"}, "role": {"member"}})
		link := e.mail.MustLastLink(t, "carol@acme.test")
		e.clock.Add(8 * 24 * time.Hour)
		defer e.clock.Add(-8 * 24 * time.Hour)
		r := e.browser().post(link, url.Values{"name": {"Carol"}, "password": {"another good password"}})
		if !strings.Contains(r.body, "expired") {
			t.Fatalf("expired invitation: %d\n%s", r.status, r.body)
		}
		if _, err := e.db.AccountByEmail(t.Context(), "carol@acme.test"); err == nil {
			t.Error("an account was created through an expired invitation")
		}
	})
	t.Run("ErrTaken", func(t *testing.T) {
		r := admin.post("/admin/invitations", url.Values{"email": {"ada@acme.test"}, "name": {"Ada again"}, "role": {"member"}})
		if r.status != http.StatusConflict || !strings.Contains(r.body, `id="e-email"`) {
			t.Fatalf("inviting a member: %d\n%s", r.status, r.body)
		}
	})
	t.Run("ErrNotAdmin", func(t *testing.T) {
		dan := admin.invite("dan@acme.test", "Dan", "member")
		r := dan.post("/admin/invitations", url.Values{"email": {"x@acme.test"}, "name": {"X"}, "role": {"admin"}})
		if r.status != http.StatusForbidden {
			t.Fatalf("member inviting: %d", r.status)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test")
	b := e.browser()
	r := b.post("/forgot", url.Values{"email": {"ada@acme.test"}})
	r2 := b.post("/forgot", url.Values{"email": {"nobody@acme.test"}})
	if r.status != http.StatusOK || r2.status != http.StatusOK || !strings.Contains(r2.body, "If <strong>nobody@acme.test</strong> has a Tandem account") {
		t.Fatalf("forgot: %d %d", r.status, r2.status)
	}
	e.workJobs() // the email is sent by a job
	if n := len(e.mail.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1 (none to the unknown address)", n)
	}
	link := e.mail.MustLastLink(t, "ada@acme.test")
	if r := b.post(link, url.Values{"password": {"short"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-password"`) {
		t.Fatalf("short password: %d", r.status)
	}
	if r := b.post(link, url.Values{"password": {"a brand new password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.status, r.body)
	}
	if r := e.browser().post(link, url.Values{"password": {"yet another password"}}); !strings.Contains(r.body, "already been used") {
		t.Errorf("reused reset link: %d\n%s", r.status, r.body)
	}
	e.signIn("ada@acme.test", "a brand new password")

	b.post("/forgot", url.Values{"email": {"ada@acme.test"}})
	e.workJobs() // the email is sent by a job
	link = e.mail.MustLastLink(t, "ada@acme.test")
	e.clock.Add(61 * time.Minute)
	if r := e.browser().get(link); !strings.Contains(r.body, "expired") {
		t.Errorf("expired reset link: %d", r.status)
	}
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	other := e.signIn("ada@acme.test", "correct horse battery")
	r := b.post("/account/password", url.Values{"current_password": {"wrong one!!"}, "new_password": {"the next password"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-current_password"`) {
		t.Fatalf("wrong current password: %d", r.status)
	}
	r = b.post("/account/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"the next password"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, r.body)
	}
	if b.get("/account").status != http.StatusOK {
		t.Error("the session that changed the password was signed out")
	}
	if other.get("/account").status != http.StatusSeeOther {
		t.Error("another session survived the password change")
	}
	e.signIn("ada@acme.test", "the next password")
}

func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	req, _ := http.NewRequest("POST", e.srv.URL+"/account/tokens", strings.NewReader("name=evil"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := b.do(req); r.status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", r.status)
	}
	if r := b.get("/account/tokens"); strings.Contains(r.body, "evil") {
		t.Error("the cross-site request created a token")
	}
}

// TestPagesRender visits every page as an administrator, so every template
// is executed against real data.
func TestPagesRender(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	b.invite("bob@acme.test", "Bob", "member")
	b.token("script")
	b.upload("/admin/import", "people.csv", acmeCSV)
	for _, path := range []string{"/", "/account", "/account/password", "/account/tokens", "/people", "/admin/members", "/admin/invitations", "/admin/invitations?status=not_invited&department=Engineering", "/admin/mail", "/admin/jobs",
		"/me", "/people/1", "/people/1/chart", "/people/1/edit", "/people/1/deactivate", "/skills", "/admin/import", "/admin/settings",
		"/engagements", "/engagements?all=1", "/engagements/new?kind=coaching", "/engagements/new?kind=mentoring", "/no-such-page-at-all"} {
		r := b.get(path)
		if r.status == http.StatusSeeOther {
			r = b.get(r.header.Get("Location"))
		}
		if r.status != http.StatusOK && path != "/no-such-page-at-all" {
			t.Errorf("%s: %d", path, r.status)
		}
		if !strings.Contains(r.body, "</html>") && r.status == http.StatusOK {
			t.Errorf("%s: no full page", path)
		}
	}
	anon := e.browser()
	for _, path := range []string{"/signin", "/forgot", "/reset/nope", "/invitations/nope"} {
		if r := anon.get(path); r.status != http.StatusOK || !strings.Contains(r.body, "</html>") {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	if r := anon.get(b.url("/static/style.css")); r.status != http.StatusOK {
		t.Errorf("stylesheet: %d", r.status)
	}
}

func TestSetupWithDemo(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	r := b.post("/setup", url.Values{"org_name": {"Northwind"}, "name": {"Ada"}, "email": {"ada@northwind.test"},
		"password": {"correct horse battery"}, "demo": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("demo setup: %d\n%s", r.status, r.body)
	}
	home := b.get("/")
	if !strings.Contains(home.body, "Demo data") {
		t.Error("the home page does not mark the organization as demo data")
	}
	tok := b.token("t")
	_, out, _ := e.api("GET", "/api/v1/people?mentor=1", tok, "")
	if out["total"].(float64) == 0 {
		t.Error("the demo has no mentors")
	}
	_, out, _ = e.api("GET", "/api/v1/people", tok, "")
	if n := out["total"].(float64); n < 300 {
		t.Errorf("the demo has %v people", n)
	}
	// A page larger than the largest, or a limit that is not a number, is
	// refused naming the parameter, not quietly shortened.
	for _, q := range []string{"limit=1000", "limit=ten", "limit=0", "offset=-1"} {
		code, out, _ := e.api("GET", "/api/v1/people?"+q, tok, "")
		field := strings.SplitN(q, "=", 2)[0]
		if errs, _ := out["errors"].(map[string]any); code != http.StatusUnprocessableEntity || errs[field] == nil {
			t.Errorf("people?%s: %d %v", q, code, out)
		}
	}
	if code, out, _ := e.api("GET", "/api/v1/people?limit=200", tok, ""); code != http.StatusOK || len(out["people"].([]any)) != 200 {
		t.Errorf("people?limit=200: %d", code)
	}
	if r := e.browser().post("/setup", url.Values{"org_name": {"Again"}, "name": {"Eve"}, "email": {"eve@x.test"},
		"password": {"correct horse battery"}, "demo": {"1"}}); r.status != http.StatusConflict {
		t.Errorf("a second demo setup: %d", r.status)
	}
}

// TestChangePasswordGuessesLimited: the current password on the change
// form is checked like a sign-in, so a stolen session or token cannot
// guess it without limit (a sibling of issue 11, item 9).
func TestChangePasswordGuessesLimited(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme", "Ada", "ada@acme.test")
	for i := 0; i < 5; i++ {
		r := b.post("/account/password", url.Values{"current_password": {"a wrong guess!"}, "new_password": {"the next password"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, r.status)
		}
	}
	r := b.post("/account/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"the next password"}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("the sixth try, with the right password: %d, Retry-After %q; want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
	}
	e.signIn("ada@acme.test", "correct horse battery") // the password did not change
}
