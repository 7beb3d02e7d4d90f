package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/mail"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/web"
)

func withoutBaseURL(c *web.Config) { c.BaseURL = "" }

var (
	// Links in a text part: absolute URLs, and paths standing alone (a
	// bare "/invitations/…" is what this test exists to catch).
	textURL  = regexp.MustCompile(`https?://[^\s<>"]+`)
	textPath = regexp.MustCompile(`(?m)(?:^|[\s(<"])(/[A-Za-z0-9_][^\s<>")]*)`)
	// Link attributes in an HTML part (html/template always quotes).
	htmlAttr = regexp.MustCompile(`(?i)\s(?:href|src|action)\s*=\s*"([^"]*)"`)
	icsURL   = regexp.MustCompile(`(?m)^(?:URL|DESCRIPTION)[;:].*?(https?://\S+|/\S+)`)
)

// emailLinks returns every link in a message: its text and HTML parts,
// its headers (List-Unsubscribe) and its calendar attachments.
func emailLinks(m tandem.Message) []string {
	var links []string
	links = append(links, textURL.FindAllString(m.Text, -1)...)
	for _, sm := range textPath.FindAllStringSubmatch(m.Text, -1) {
		links = append(links, sm[1])
	}
	for _, sm := range htmlAttr.FindAllStringSubmatch(m.HTML, -1) {
		links = append(links, sm[1])
	}
	for _, v := range m.Headers {
		for _, part := range strings.Split(v, ",") {
			if p := strings.TrimSpace(part); strings.HasPrefix(p, "<") && !strings.Contains(p, "@") {
				links = append(links, strings.Trim(p, "<>"))
			}
		}
	}
	for _, at := range m.Attachments {
		unfolded := strings.ReplaceAll(string(at.Data), "\r\n ", "")
		for _, sm := range icsURL.FindAllStringSubmatch(unfolded, -1) {
			links = append(links, sm[1])
		}
	}
	return links
}

// TestEmailLinksAbsolute sends every email template through the path that
// really sends it, with no base URL configured, and checks that every
// link in the text part, the HTML part, the headers and the calendar file
// is absolute and on the site the requests were made to: mail caused by
// a request (invitation, reset, notification, confirmation) takes that
// request's URL through its job; mail no request causes (the daily
// summary, the Coach Notes digest) takes the URL last seen by a signed-in
// request in its organization.
func TestEmailLinksAbsolute(t *testing.T) {
	e := newEnv(t, withoutBaseURL)
	site := e.srv.URL
	ctx := context.Background()
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", acmeCSV)
	b := map[string]*browser{}
	for _, p := range []struct{ key, email, name string }{{"dev", "dev@acme.test", "Dev One"}, {"vp", "vp@acme.test", "Zoë Ångström"},
		{"ops", "ops@acme.test", "Ops Two"}} {
		b[p.key] = admin.invite(p.email, p.name, "member") // invitation
	}
	org := orgOf(t, e, "acme")
	if got, _ := e.db.OrgBaseURL(ctx, org.ID); got != site {
		t.Fatalf("base URL recorded for the organization: %q, want %q", got, site)
	}

	// The manager takes agreements daily; the others at once.
	if r := b["vp"].post("/account/notifications", url.Values{"agreements": {"daily"}, "engagements": {"daily"}}); r.status != http.StatusSeeOther {
		t.Fatalf("settings: %d\n%s", r.status, r.body)
	}
	r := b["dev"].post("/engagements", proposalForm("mentoring", "dev@acme.test", "ops@acme.test")) // notification
	m := idFromLocation.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("propose: %d\n%s", r.status, r.body)
	}
	page := "/engagements/" + m[1]
	for _, who := range []string{"dev", "ops", "vp"} {
		if r := b[who].post(page+"/respond", url.Values{"version": {"1"}, "answer": {"agree"}}); r.status != http.StatusSeeOther {
			t.Fatalf("%s agrees: %d\n%s", who, r.status, r.body)
		}
	}
	// A session, whose email carries an .ics.
	tok := b["dev"].token("links")
	start := e.clock.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	if code, out, _ := e.api("POST", "/api/v1"+page+"/sessions", tok, fmt.Sprintf(`{"start": %q, "minutes": 60, "place": "Room 1"}`, start)); code != http.StatusCreated {
		t.Fatalf("schedule: %d %v", code, out)
	}
	e.workJobs()
	// The daily summary is periodic work: no request, no context.
	e.clock.Add(26 * time.Hour)
	if n, err := e.app.QueueDailySummaries(ctx); err != nil || n == 0 {
		t.Fatalf("daily summaries: %d %v", n, err)
	}

	// A password reset, asked for by someone signed out.
	anon := e.browser()
	if r := anon.post("/forgot", url.Values{"email": {"dev@acme.test"}}); r.status >= 400 {
		t.Fatalf("forgot: %d", r.status)
	}
	// Coach Notes: a subscription's confirmation, then the digest.
	if r := admin.post("/articles", formOf("title", "First", "body", "Hello", "status", "published")); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.status)
	}
	anon.post("/o/acme/notes/subscribe", formOf("email", "reader@example.com"))
	link := e.mail.MustLastLink(t, "reader@example.com")
	if r := anon.post("/o/acme/notes/confirm", formOf("token", link[strings.LastIndex(link, "/")+1:])); r.status >= 400 {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	e.clock.Add(time.Hour)
	plan, err := e.app.SendDigestNow(ctx, org.ID, false)
	if err != nil || plan.DigestID == 0 {
		t.Fatalf("digest: %+v %v", plan, err)
	}
	if _, err := e.app.SendDigestBatch(ctx, app.DigestBatchArgs{DigestID: plan.DigestID, After: 0, UpTo: 1 << 40}); err != nil {
		t.Fatal(err)
	}
	// A program opened for enrollment (everyone may enroll: the three
	// are told, by a job), then an application its admin hears of.
	r = admin.post("/programs", formOf("name", "Pilot cohort", "kind", "mentoring", "eligibility", "everyone", "admins", "ada@acme.test"))
	pm := regexp.MustCompile(`/programs/(\d+)$`).FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || pm == nil {
		t.Fatalf("create a program: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if r := admin.post("/programs/"+pm[1]+"/state", formOf("state", "enrolling")); r.status != http.StatusSeeOther {
		t.Fatalf("open the program: %d\n%s", r.status, r.body)
	}
	e.workJobs()
	if r := b["dev"].post("/programs/"+pm[1]+"/apply", formOf("role", "mentee")); r.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", r.status, r.body)
	}
	// An invitation to apply to it, from a CSV, told by its job.
	if r := admin.upload("/programs/"+pm[1]+"/invitations/csv", "invite.csv", "email\nops@acme.test\n"); r.status != http.StatusSeeOther {
		t.Fatalf("invite to the program: %d\n%s", r.status, r.body)
	}
	e.workJobs()
	// A notice, whose link the code that queues it gives as a path.
	if err := e.db.Write(ctx, func(tx *sqldb.Tx) error {
		return app.EnqueueEmail(ctx, tx, app.EmailArgs{OrgID: org.ID, To: "dev@acme.test", Template: "notice",
			Data: map[string]string{"Subject": "Your export is ready", "Name": "Dev One", "Body": "It is ready.", "Link": "/admin/export", "LinkText": "Download it"}})
	}); err != nil {
		t.Fatal(err)
	}

	// Which template each message came from, by its subject; the first
	// that matches (a notification's subject is its headline).
	subjects := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"invitation", regexp.MustCompile(`^Ada invited you to Acme on Tandem$`)},
		{"password_reset", regexp.MustCompile(`^Reset your Tandem password$`)},
		{"digest", regexp.MustCompile(`^Your Tandem summary: \d+ updates?$`)},
		{"subscribe_confirm", regexp.MustCompile(`^Confirm your subscription to Acme's Coach Notes$`)},
		{"notes_digest", regexp.MustCompile(`^Coach Notes from Acme: `)},
		{"notice", regexp.MustCompile(`^Your export is ready$`)},
		{"program_notification", regexp.MustCompile(`(^Pilot cohort is open for enrollment|applied to Pilot cohort as a mentee|^Ada invites you to apply to Pilot cohort)$`)},
		{"notification", regexp.MustCompile(`.`)},
	}
	seen := map[string]int{}
	var ics int
	for _, msg := range e.mail.Messages() {
		tpl := ""
		for _, sub := range subjects {
			if sub.re.MatchString(msg.Subject) {
				tpl = sub.name
				break
			}
		}
		if tpl == "" {
			t.Errorf("message %q: from which template?", msg.Subject)
			continue
		}
		links := emailLinks(msg)
		if len(links) == 0 {
			t.Errorf("%s %q has no link", tpl, msg.Subject)
		}
		seen[tpl] += len(links)
		ics += len(msg.Attachments)
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil || !u.IsAbs() || u.Scheme+"://"+u.Host != site {
				t.Errorf("%s %q to %s: link %q is not on %s", tpl, msg.Subject, msg.To, l, site)
			}
		}
		id := msg.MessageID
		if h, ok := msg.Headers["Message-ID"]; ok {
			id = strings.Trim(h, "<>")
		}
		if host := site[strings.Index(site, "//")+2:]; !strings.HasSuffix(id, "@"+strings.Split(host, ":")[0]) {
			t.Errorf("%s: Message-ID %q has not the site's host", tpl, id)
		}
	}
	for _, name := range mail.Templates() {
		if seen[name] == 0 {
			t.Errorf("template %s was not sent (or had no link): add it to this test", name)
		}
	}
	if ics == 0 {
		t.Error("no session email carried its .ics")
	}
	if got := slices.Sorted(maps.Keys(seen)); len(got) != len(subjects) {
		t.Errorf("templates seen: %v", got)
	}
}

// TestBaseURLFromProxy: with --trust-proxy the scheme and host the proxy
// forwards make the links; without it, the same headers are ignored (a
// client could send them), and a forged Host that is not a host name is
// not used.
func TestBaseURLFromProxy(t *testing.T) {
	for _, trust := range []bool{false, true} {
		t.Run(fmt.Sprint("trust=", trust), func(t *testing.T) {
			e := newEnv(t, withoutBaseURL, func(c *web.Config) { c.TrustProxy = trust })
			admin := e.setup("Acme", "Ada", "ada@acme.test")
			req, _ := http.NewRequest("POST", e.srv.URL+"/forgot", strings.NewReader("email=ada%40acme.test"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-Host", "evil.test, tandem.acme.test")
			if r := admin.do(req); r.status >= 400 {
				t.Fatalf("forgot: %d", r.status)
			}
			link := e.mail.MustLastLink(t, "ada@acme.test")
			want := e.srv.URL + "/reset/"
			if trust {
				want = "https://tandem.acme.test/reset/"
			}
			if !strings.HasPrefix(link, want) {
				t.Errorf("reset link %s, want %s…", link, want)
			}
			// A forwarded host that is not a host name is not used.
			req, _ = http.NewRequest("POST", e.srv.URL+"/forgot", strings.NewReader("email=ada%40acme.test"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-Host", "evil.test/steal?x=")
			req.Header.Set("X-Forwarded-Proto", "javascript")
			if r := admin.do(req); r.status >= 400 {
				t.Fatalf("forgot: %d", r.status)
			}
			if link := e.mail.MustLastLink(t, "ada@acme.test"); !strings.HasPrefix(link, e.srv.URL+"/reset/") {
				t.Errorf("reset link %s after a forged forwarded host, want %s/reset/…", link, e.srv.URL)
			}
		})
	}
}

// TestAnonymousRequestCannotChooseLinks: without a configured base URL, a
// signed-out request (a password reset, a Coach Notes subscription) made
// to a host the site is not known by does not put that host in the email:
// else anyone could have a victim's reset link point at their own server.
func TestAnonymousRequestCannotChooseLinks(t *testing.T) {
	e := newEnv(t, withoutBaseURL)
	site := e.srv.URL
	admin := e.setup("Acme", "Ada", "ada@acme.test") // records the site for Acme
	admin.get("/")
	forged := func(path string, form url.Values) {
		t.Helper()
		req, _ := http.NewRequest("POST", site+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Host = "evil.test"
		if r := e.browser().do(req); r.status >= 400 {
			t.Fatalf("%s: %d\n%s", path, r.status, r.body)
		}
	}
	forged("/forgot", url.Values{"email": {"ada@acme.test"}})
	forged("/o/acme/notes/subscribe", url.Values{"email": {"reader@example.com"}})
	e.workJobs()
	for _, to := range []string{"ada@acme.test", "reader@example.com"} {
		link := e.mail.MustLastLink(t, to)
		if strings.Contains(link, "evil.test") || !strings.HasPrefix(link, "http") {
			t.Errorf("link to %s: %s", to, link)
		}
	}
	// The same requests to the host the site is known by keep it.
	anon := e.browser()
	anon.post("/forgot", url.Values{"email": {"ada@acme.test"}})
	e.workJobs()
	if link := e.mail.MustLastLink(t, "ada@acme.test"); !strings.HasPrefix(link, site+"/") {
		t.Errorf("reset link %s, want on %s", link, site)
	}
}
