package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestResetLinkReadableByRecipientOnly: a password reset asked for while
// signed in is not filed under the signed-in person's organization. An
// administrator of Acme who asks a reset for Globex's administrator, and a
// member of Acme who asks one for themselves, leave the link on neither
// organization's "Sent email" page; the development mailer writes it to
// the server log only.
func TestResetLinkReadableByRecipientOnly(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Globex", "Gus", "gus@globex.test")); err != nil {
		t.Fatal(err)
	}
	gus := e.signIn("gus@globex.test", "correct horse battery")
	bob := ada.invite("bob@acme.test", "Bob", "member")

	cases := []struct {
		name  string
		asker *browser
		email string
	}{
		{"Acme's administrator asks for Globex's", ada, "gus@globex.test"},
		{"a member asks for themselves", bob, "bob@acme.test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r := c.asker.post("/forgot", url.Values{"email": {c.email}}); r.status != http.StatusOK {
				t.Fatalf("forgot: %d", r.status)
			}
			e.workJobs() // the email is sent by a job
			link := e.mail.MustLastLink(t, c.email)
			secret := link[strings.LastIndex(link, "/")+1:]
			for name, admin := range map[string]*browser{"Acme": ada, "Globex": gus} {
				r := admin.get("/admin/mail")
				if r.status != http.StatusOK {
					t.Fatalf("%s's Sent email: %d", name, r.status)
				}
				if strings.Contains(r.body, secret) || strings.Contains(r.body, "Reset your Tandem password") {
					t.Errorf("%s's administrator reads the reset for %s", name, c.email)
				}
			}
			if !strings.Contains(e.devLog.String(), secret) {
				t.Error("the reset link is not in the server log")
			}
		})
	}
}

// TestInvitationNotOnSentEmailPage: an invitation's link is a one-time
// credential for joining; the inviting administrator does not read it on
// the "Sent email" page, which says why.
func TestInvitationNotOnSentEmailPage(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	if r := ada.post("/admin/invitations", url.Values{"email": {"carol@acme.test"}, "name": {"Carol"}, "role": {"admin"}}); r.status != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", r.status, r.body)
	}
	link := e.mail.MustLastLink(t, "carol@acme.test")
	secret := link[strings.LastIndex(link, "/")+1:]
	r := ada.get("/admin/mail")
	if strings.Contains(r.body, secret) || strings.Contains(r.body, "invited you") {
		t.Errorf("the inviter reads the invitation:\n%s", r.body)
	}
	if !strings.Contains(r.body, "Messages with sign-in links") {
		t.Error("the page does not say that messages with sign-in links are not shown")
	}
	if !strings.Contains(e.devLog.String(), secret) {
		t.Error("the invitation link is not in the server log")
	}
}

// resetLinks returns the links of every message to the address, oldest
// first.
func (e *env) resetLinks(to string) []string {
	var links []string
	for _, m := range e.mail.Messages() {
		if m.To != to {
			continue
		}
		if i := strings.Index(m.Text, "http"); i >= 0 {
			links = append(links, strings.Fields(m.Text[i:])[0])
		}
	}
	return links
}

// TestResetEndsEveryAccess: a password reset ends every session of the
// account (browsers elsewhere too), revokes its API tokens in every
// organization it belongs to, and expires its other reset links; whoever
// had the old password, a session or a token keeps nothing.
func TestResetEndsEveryAccess(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	elsewhere := e.signIn("ada@acme.test", "correct horse battery")
	acmeToken := ada.token("acme script")
	// Ada is also a member of Globex, with a token there.
	gus, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Globex", "Gus", "gus@globex.test"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.db.AddMember(t.Context(), gus.OrgID, sqldb.NewMember{Email: "ada@acme.test", Name: "Ada", Role: tandem.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	globexToken, _, err := e.app.CreateAPIToken(tandemtest.MustActorContext(t, e.db, p.AccountID, gus.OrgID), "globex script")
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{acmeToken, globexToken} {
		if st, _, _ := e.api("GET", "/api/v1/me", tok, ""); st != http.StatusOK {
			t.Fatalf("token before the reset: %d", st)
		}
	}

	b := e.browser()
	b.post("/forgot", url.Values{"email": {"ada@acme.test"}})
	b.post("/forgot", url.Values{"email": {"ada@acme.test"}})
	e.workJobs() // the email is sent by a job
	links := e.resetLinks("ada@acme.test")
	if len(links) != 2 {
		t.Fatalf("%d reset links, want 2", len(links))
	}
	if r := b.post(links[0], url.Values{"password": {"a brand new password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.status, r.body)
	}

	for name, s := range map[string]*browser{"the first browser": ada, "a browser elsewhere": elsewhere} {
		if r := s.get("/account"); r.status != http.StatusSeeOther {
			t.Errorf("%s is still signed in: %d", name, r.status)
		}
	}
	for name, tok := range map[string]string{"Acme": acmeToken, "Globex": globexToken} {
		if st, _, _ := e.api("GET", "/api/v1/me", tok, ""); st != http.StatusUnauthorized {
			t.Errorf("%s token after the reset: %d", name, st)
		}
	}
	r := e.browser().post(links[1], url.Values{"password": {"the thief's password"}})
	if r.status == http.StatusSeeOther || !strings.Contains(r.body, "expired") {
		t.Errorf("the second reset link after the first was used: %d\n%s", r.status, r.body)
	}
	if r := e.browser().get(links[1]); !strings.Contains(r.body, "expired") {
		t.Errorf("the second reset link's page: %d", r.status)
	}
	e.signIn("ada@acme.test", "a brand new password")
	// The browser that reset the password is signed in with it.
	if r := b.get("/account"); r.status != http.StatusOK {
		t.Errorf("the browser that reset the password: %d", r.status)
	}
}

// TestPasswordChangeRevokesTokens: changing the password, on the web page
// or through the API, revokes the account's API tokens (the one making the
// change included) and ends the other sessions.
func TestPasswordChangeRevokesTokens(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	tok := ada.token("script")
	r := ada.post("/account/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"the next password"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, r.body)
	}
	if st, _, _ := e.api("GET", "/api/v1/me", tok, ""); st != http.StatusUnauthorized {
		t.Errorf("token after a change on the web page: %d", st)
	}
	if ada.get("/account").status != http.StatusOK {
		t.Error("the session that changed the password was signed out")
	}

	tok = ada.token("another script")
	other := ada.token("a third script")
	st, _, _ := e.api("POST", "/api/v1/me/password", tok, `{"current_password":"the next password","new_password":"and the one after"}`)
	if st != http.StatusNoContent {
		t.Fatalf("change through the API: %d", st)
	}
	for _, tk := range []string{tok, other} {
		if st, _, _ := e.api("GET", "/api/v1/me", tk, ""); st != http.StatusUnauthorized {
			t.Errorf("token after a change through the API: %d", st)
		}
	}
	if ada.get("/account").status != http.StatusSeeOther {
		t.Error("a browser session survived a change through the API")
	}
	e.signIn("ada@acme.test", "and the one after")
}

// TestTokenCannotCreateToken: only a browser session creates API tokens, so
// a stolen token cannot mint tokens that outlive its revocation.
func TestTokenCannotCreateToken(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	tok := ada.token("script")
	st, body, h := e.api("POST", "/api/v1/tokens", tok, `{"name":"child"}`)
	if st != http.StatusForbidden || h.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(body["detail"].(string), "API tokens page") {
		t.Errorf("token creating a token through the API: %d %s %v", st, h.Get("Content-Type"), body)
	}
	// Nor through the web page's route, which also accepts a bearer token.
	req, _ := http.NewRequest("POST", e.srv.URL+"/account/tokens", strings.NewReader("name=child"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := e.browser().do(req); r.status != http.StatusForbidden {
		t.Errorf("token creating a token through the web route: %d", r.status)
	}
	_, list, _ := e.api("GET", "/api/v1/tokens", tok, "")
	if n := len(list["tokens"].([]any)); n != 1 {
		t.Fatalf("%d tokens, want only the one made in the browser", n)
	}
	// With no child, revoking the token leaves nothing that works.
	id := ftoa(list["tokens"].([]any)[0].(map[string]any)["id"].(float64))
	if st, _, _ := e.api("DELETE", "/api/v1/tokens/"+id, tok, ""); st != http.StatusNoContent {
		t.Fatalf("revoke: %d", st)
	}
	if st, _, _ := e.api("GET", "/api/v1/me", tok, ""); st != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", st)
	}
}
