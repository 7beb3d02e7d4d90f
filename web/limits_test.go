package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/web"
)

// postFrom posts a form with an X-Forwarded-For header, as a proxy in
// front of the server would pass it on.
func (b *browser) postFrom(path, xff string, form url.Values) response {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return b.do(req)
}

func trustProxy(c *web.Config) { c.TrustProxy = true }

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+`)

// TestSignInConcurrentGuesses (issue 11, item 9): many guesses for one
// account at the same moment are each counted before the password is
// checked, so no more than the limit ever reach the password.
func TestSignInConcurrentGuesses(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test").post("/signout", nil)
	// Real hashing cost, so the guesses overlap while the password is
	// checked, as they do in production.
	e.app.Password = app.DefaultPasswordParams
	const guesses = 40
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < guesses; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"a wrong guess!"}})
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	// A 401 is an answer that checked the password.
	if statuses[http.StatusUnauthorized] > tandem.SignInMaxPerPair || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != guesses {
		t.Fatalf("answers to %d concurrent guesses: %v; want at most %d checked (401), the rest 429",
			guesses, statuses, tandem.SignInMaxPerPair)
	}
}

// TestSignInLockoutIsNotAWeapon (issue 11, item 7): failures from one
// address throttle that address for that account, not the owner
// elsewhere; behind a proxy the client is the right-most address the
// proxies did not write, whatever the client puts on the left.
func TestSignInLockoutIsNotAWeapon(t *testing.T) {
	e := newEnv(t, trustProxy)
	e.setup("Acme", "Ada", "ada@acme.test").post("/signout", nil)
	wrong := url.Values{"email": {"ada@acme.test"}, "password": {"a wrong guess!"}}
	right := url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}}
	for i := 0; i < tandem.SignInMaxPerPair; i++ {
		// The attacker makes up a new left-most address every time.
		e.browser().postFrom("/signin", fmt.Sprintf("10.9.9.%d, 203.0.113.66", i+1), wrong)
	}
	r := e.browser().postFrom("/signin", "192.0.2.250, 203.0.113.66", right)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("the guessing address, with a forged left-most entry: %d, want 429", r.status)
	}
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("429 without Retry-After (%q)", ra)
	}
	if r := e.browser().postFrom("/signin", "198.51.100.7", right); r.status != http.StatusSeeOther {
		t.Fatalf("the owner from another address: %d, want signed in\n%s", r.status, r.body)
	}
	var addr string
	if err := e.db.SQL().QueryRow(`SELECT address FROM sessions`).Scan(&addr); err != nil {
		t.Fatal(err)
	}
	if addr != "198.51.100.7" {
		t.Errorf("session address %q, want 198.51.100.7", addr)
	}
}

// TestClientAddressFromProxies: with --trusted-proxies, the walk from the
// right skips the listed proxies and takes the first address that is not
// one; malformed entries do not let the client choose.
func TestClientAddressFromProxies(t *testing.T) {
	e := newEnv(t, func(c *web.Config) {
		c.TrustProxy = true
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	e.setup("Acme", "Ada", "ada@acme.test").post("/signout", nil)
	right := url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}}
	for _, c := range []struct{ xff, want string }{
		{"6.6.6.6, 203.0.113.5, 10.1.2.3", "203.0.113.5"},
		{"6.6.6.6, 203.0.113.6:4711, 10.1.2.3", "203.0.113.6"},
		{"6.6.6.6, not-an-address, 10.1.2.3", "10.1.2.3"},
		{"10.2.2.2, 10.1.2.3", "10.2.2.2"},
	} {
		e.db.SQL().Exec(`DELETE FROM sessions`)
		if r := e.browser().postFrom("/signin", c.xff, right); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", c.xff, r.status)
		}
		var addr string
		if err := e.db.SQL().QueryRow(`SELECT address FROM sessions`).Scan(&addr); err != nil {
			t.Fatal(err)
		}
		if addr != c.want {
			t.Errorf("X-Forwarded-For %q: client %q, want %q", c.xff, addr, c.want)
		}
	}
}

// TestSignInBusyHashing (issue 11, item 8): when every hashing slot is
// taken, a sign-in waits briefly, then is refused with 429 and
// Retry-After, without hashing (so memory stays bounded).
func TestSignInBusyHashing(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	token := admin.token("script")
	admin.post("/signout", nil)
	e.app.HashSlots = make(chan struct{}, 1)
	e.app.HashWait = time.Millisecond
	e.app.HashSlots <- struct{}{} // another request is hashing
	before := e.app.HashCount()
	r := e.browser().post("/signin", url.Values{"email": {"nobody@acme.test"}, "password": {"a wrong guess!"}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("sign-in with every slot taken: %d, Retry-After %q; want 429 with Retry-After", r.status, r.header.Get("Retry-After"))
	}
	if n := e.app.HashCount() - before; n != 0 {
		t.Errorf("%d hashes ran with every slot taken", n)
	}
	code, body, h := e.api("POST", "/api/v1/me/password", token, `{"current_password":"correct horse battery","new_password":"a new password here"}`)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" || body["code"] != tandem.ETOOMANY {
		t.Errorf("API password change with every slot taken: %d %v, Retry-After %q", code, body, h.Get("Retry-After"))
	}
	<-e.app.HashSlots
	// A refusal for a busy server is not a failure: the owner is not
	// throttled by it.
	for i := 0; i < tandem.SignInMaxPerPair; i++ {
		e.app.HashSlots <- struct{}{}
		e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}})
		<-e.app.HashSlots
	}
	e.signIn("ada@acme.test", "correct horse battery")
}

// failingMailer fails every message, as an SMTP server that is down.
type failingMailer struct {
	mu   sync.Mutex
	sent int
	to   map[string]bool // the recipients tried
	gate chan struct{}   // when set, Send waits for it
}

func (m *failingMailer) Send(ctx context.Context, msg *tandem.Message) error {
	if m.gate != nil {
		<-m.gate
	}
	m.mu.Lock()
	m.sent++
	if m.to == nil {
		m.to = map[string]bool{}
	}
	m.to[msg.To] = true
	m.mu.Unlock()
	return errors.New("smtp: connection refused")
}

// TestForgotSaysNothing (issue 11, item 10): /forgot answers the same for
// an address with an account and one without, even while mail fails, and
// does not wait for the mail.
func TestForgotSaysNothing(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test")
	m := &failingMailer{gate: make(chan struct{})}
	e.app.Mailer = m
	type answer struct {
		r   response
		err error
	}
	answers := make(chan answer, 2)
	for _, email := range []string{"ada@acme.test", "nobody@acme.test"} {
		go func() {
			b := e.browser()
			req, _ := http.NewRequest("POST", b.url("/forgot"), strings.NewReader(url.Values{"email": {email}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := b.c.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			var sb strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			body := strings.ReplaceAll(sb.String(), email, "EMAIL")
			answers <- answer{r: response{status: resp.StatusCode, body: body}}
		}()
	}
	var got []response
	for range 2 {
		select {
		case a := <-answers:
			if a.err != nil {
				t.Fatal(a.err)
			}
			got = append(got, a.r)
		case <-time.After(30 * time.Second): // a guard against a hang, not a timing check
			close(m.gate)
			t.Fatal("/forgot waited for the mailer to send")
		}
	}
	close(m.gate) // the mail goes out (and fails) only now
	// The email is a job, tried and failing: wait for it, expecting failure.
	if err := e.jobs.WaitIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got[0].status != http.StatusOK || got[1].status != http.StatusOK {
		t.Fatalf("statuses %d and %d while mail fails, want 200 for both", got[0].status, got[1].status)
	}
	if got[0].body != got[1].body {
		t.Errorf("the answers differ between an address with an account and one without")
	}
	// The job is retried while mail fails: count recipients, not tries.
	if m.sent == 0 || len(m.to) != 1 || !m.to["ada@acme.test"] {
		t.Errorf("%d sends to %v, want sends to the account's address only", m.sent, m.to)
	}
}

// TestForgotRateLimit (issue 11, item 10): the form cannot flood one
// mailbox; past the limit the answer stays the same.
func TestForgotRateLimit(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test")
	b := e.browser()
	var first string
	for i := 0; i < 20; i++ {
		r := b.post("/forgot", url.Values{"email": {"ada@acme.test"}})
		if r.status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
		if i == 0 {
			first = r.body
		} else if r.body != first {
			t.Fatalf("answer %d differs from the first", i+1)
		}
	}
	e.workJobs() // the email is sent by a job
	if n := len(e.mail.Messages()); n > tandem.PasswordResetMaxPerRecipient {
		t.Fatalf("20 requests sent %d emails, want at most %d", n, tandem.PasswordResetMaxPerRecipient)
	}
}

// invitedToGlobex sets up Acme with Ada, and Globex whose administrator
// Gus invites Ada's existing account; it returns the invitation link,
// Gus's browser, and a function that invites more addresses.
func invitedToGlobex(t *testing.T) (e *env, link string, gus *browser, invite func(email, name string) string) {
	t.Helper()
	e = newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test").post("/signout", nil)
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Globex", "Gus", "gus@globex.test")); err != nil {
		t.Fatal(err)
	}
	gus = e.signIn("gus@globex.test", "correct horse battery")
	invite = func(email, name string) string {
		t.Helper()
		if r := gus.post("/admin/invitations", url.Values{"email": {email}, "name": {name}, "role": {"member"}}); r.status != http.StatusSeeOther {
			t.Fatalf("invite %s: %d", email, r.status)
		}
		return e.mail.MustLastLink(t, email)
	}
	return e, invite("ada@acme.test", "Ada"), gus, invite
}

// TestInvitationExistingAccount (issue 11, item 2): accepting an invitation
// with an existing account's password is counted and throttled exactly
// like a sign-in (the two share the limits), and the session starts in the
// invitation's organization, not the account's first.
func TestInvitationExistingAccount(t *testing.T) {
	t.Run("Throttled", func(t *testing.T) {
		e, link, _, _ := invitedToGlobex(t)
		for i := 0; i < tandem.SignInMaxPerPair; i++ {
			if r := e.browser().post(link, url.Values{"password": {"a wrong guess!"}}); r.status != http.StatusUnprocessableEntity {
				t.Fatalf("wrong password %d: %d", i+1, r.status)
			}
		}
		r := e.browser().post(link, url.Values{"password": {"correct horse battery"}})
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("right password after %d wrong ones: %d (Retry-After %q), want 429 like sign-in", tandem.SignInMaxPerPair, r.status, r.header.Get("Retry-After"))
		}
		// The failures are sign-in failures: the sign-in page is throttled too.
		if r := e.browser().post("/signin", url.Values{"email": {"ada@acme.test"}, "password": {"correct horse battery"}}); r.status != http.StatusTooManyRequests {
			t.Fatalf("sign-in after failures on the invitation page: %d, want 429", r.status)
		}
		e.clock.Add(tandem.SignInWindow + time.Minute)
		if r := e.browser().post(link, url.Values{"password": {"correct horse battery"}}); r.status != http.StatusSeeOther {
			t.Fatalf("right password after the window: %d", r.status)
		}
	})

	t.Run("SessionInInvitingOrg", func(t *testing.T) {
		e, link, _, _ := invitedToGlobex(t)
		b := e.browser()
		if r := b.post(link, url.Values{"password": {"correct horse battery"}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept: %d\n%s", r.status, r.body)
		}
		var org string
		if err := e.db.SQL().QueryRow(`SELECT o.name FROM sessions s JOIN orgs o ON o.id = s.org_id JOIN accounts a ON a.id = s.account_id
			WHERE a.email = 'ada@acme.test'`).Scan(&org); err != nil {
			t.Fatal(err)
		}
		if org != "Globex" {
			t.Errorf("the session after accepting Globex's invitation is in %s", org)
		}
	})

	t.Run("InviterLearnsNothing", func(t *testing.T) {
		e, _, gus, invite := invitedToGlobex(t)
		// Gus invites an address with an account and one without: every
		// answer he sees has the same shape.
		if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Initech", "Ida", "ida@initech.test")); err != nil {
			t.Fatal(err)
		}
		invite("ida@initech.test", "Ida")
		invite("nobody@globex.test", "Nobody")
		ms := e.mail.Messages()
		body := func(to, name string) string {
			for i := len(ms) - 1; i >= 0; i-- {
				if ms[i].To == to {
					s := strings.ReplaceAll(ms[i].Text+ms[i].HTML+ms[i].Subject, to, "EMAIL")
					s = strings.ReplaceAll(s, name, "NAME")
					return linkRE.ReplaceAllString(s, "LINK")
				}
			}
			t.Fatalf("no mail to %s", to)
			return ""
		}
		if body("ida@initech.test", "Ida") != body("nobody@globex.test", "Nobody") {
			t.Error("the invitation email differs for an address with an account")
		}
		tok := gus.token("script")
		_, list, _ := e.api("GET", "/api/v1/invitations", tok, "")
		var keys []string
		for _, inv := range list["invitations"].([]any) {
			m := inv.(map[string]any)
			var ks []string
			for k := range m {
				ks = append(ks, k)
			}
			slices.Sort(ks)
			keys = append(keys, strings.Join(ks, ","))
		}
		for _, k := range keys[1:] {
			if k != keys[0] {
				t.Errorf("invitations differ in fields: %q and %q", keys[0], k)
			}
		}
	})
}
