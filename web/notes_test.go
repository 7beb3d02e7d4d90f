package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
	"github.com/tandemhq/tandem/tandemtest"
)

// TestCoachNotesArticles: an author writes, a script or a javascript:
// link is refused with the text kept, raw HTML is sanitized, drafts and
// scheduled articles stay off the public pages and the Atom feed until
// their time.
func TestCoachNotesArticles(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")

	r := b.post("/articles", formOf("title", "Bad", "body", "Hello <script>alert(1)</script>", "status", "published"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "cannot run scripts") || !strings.Contains(r.body, "Hello &lt;script&gt;") {
		t.Fatalf("script: %d\n%s", r.status, r.body)
	}
	r = b.post("/articles", formOf("title", "Bad link", "body", "[click](javascript:alert(1))", "status", "published"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "javascript:") {
		t.Fatalf("javascript link: %d\n%s", r.status, r.body)
	}
	r = b.post("/articles", formOf("title", "Mentoring vs coaching", "summary", "Two ways to grow", "topics", "mentoring, coaching",
		"body", "# Hello\n\nSome **bold** text <img src=x onerror=\"alert(1)\"> and [a link](https://example.com).", "status", "published"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, r.body)
	}
	r = b.post("/articles", formOf("title", "Still a draft", "body", "Not yet.", "status", "draft"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("draft: %d\n%s", r.status, r.body)
	}
	r = b.post("/articles", formOf("title", "Next week", "body", "Soon.", "status", "scheduled",
		"publish_at", e.clock.Now().UTC().Add(7*24*time.Hour).Format("2006-01-02T15:04")))
	if r.status != http.StatusSeeOther {
		t.Fatalf("scheduled: %d\n%s", r.status, r.body)
	}
	r = b.post("/articles", formOf("title", "Mentoring vs coaching", "body", "Again.", "status", "draft"))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Another article uses mentoring-vs-coaching") {
		t.Fatalf("same slug: %d\n%s", r.status, r.body)
	}

	anon := e.browser()
	r = anon.get("/o/acme-coaching/notes")
	if r.status != 200 || !strings.Contains(r.body, "Mentoring vs coaching") || strings.Contains(r.body, "Still a draft") || strings.Contains(r.body, "Next week") {
		t.Fatalf("public list: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `action="/o/acme-coaching/notes/subscribe"`) {
		t.Fatalf("no subscription form on /notes")
	}
	r = anon.get("/o/acme-coaching/notes/mentoring-vs-coaching")
	if r.status != 200 || !strings.Contains(r.body, "<strong>bold</strong>") || strings.Contains(r.body, "onerror") || !strings.Contains(r.body, `href="https://example.com"`) {
		t.Fatalf("public article: %d\n%s", r.status, r.body)
	}
	for _, p := range []string{"/o/acme-coaching/notes/still-a-draft", "/o/acme-coaching/notes/next-week", "/o/nobody/notes"} {
		if r := anon.get(p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}

	feed := func() atomTestFeed {
		r := anon.get("/o/acme-coaching/notes/feed.atom")
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("feed: %d %s", r.status, r.header.Get("Content-Type"))
		}
		var f atomTestFeed
		if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
			t.Fatalf("feed is not XML: %v\n%s", err, r.body)
		}
		return f
	}
	f := feed()
	if len(f.Entries) != 1 || f.Entries[0].Title != "Mentoring vs coaching" || strings.Contains(f.Entries[0].Content, "onerror") ||
		f.Entries[0].Author != "Ada Admin" || len(f.Entries[0].Categories) != 2 {
		t.Fatalf("feed entries: %+v", f.Entries)
	}
	// The API: the same rules, errors naming the field.
	tok := b.token("notes")
	st, body, _ := e.api("POST", "/api/v1/articles", tok, `{"title":"API","body":"<script>x</script>","status":"published"}`)
	if st != 422 || body["errors"].(map[string]any)["body"] == nil {
		t.Fatalf("API script: %d %v", st, body)
	}
	st, body, _ = e.api("POST", "/api/v1/articles", tok, `{"title":"From the API","body":"Hi","topics":["a"],"status":"published"}`)
	if st != 201 || body["status"] != "published" || body["slug"] != "from-the-api" {
		t.Fatalf("API create: %d %v", st, body)
	}
	e.clock.Add(8 * 24 * time.Hour)
	if f := feed(); len(f.Entries) != 3 || f.Entries[0].Title != "Next week" {
		t.Fatalf("the scheduled article is not in the feed once its time came: %+v", f.Entries)
	}

}

type atomTestFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		Title      string `xml:"title"`
		Author     string `xml:"author>name"`
		Content    string `xml:"content"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

// TestSubscription: double opt-in through the public form, confirmation
// once, forged and expired links refused, and RFC 8058 one-click
// unsubscribe from a digest's header.
func TestSubscription(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")
	if r := b.post("/articles", formOf("title", "First", "body", "Hello", "status", "published")); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.status)
	}
	anon := e.browser()
	r := anon.post("/o/acme-coaching/notes/subscribe", formOf("email", "not-an-address"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "like name@example.com") {
		t.Fatalf("invalid email: %d\n%s", r.status, r.body)
	}
	r = anon.post("/o/acme-coaching/notes/subscribe", formOf("email", "Reader@Example.com"))
	if r.status != 200 || !strings.Contains(r.body, "Check your inbox") {
		t.Fatalf("subscribe: %d\n%s", r.status, r.body)
	}
	e.workJobs() // the confirmation is sent by a job
	org := orgOf(t, e, "acme-coaching")
	if sub, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com"); sub == nil || sub.Status != tandem.SubscriberPending || sub.ConsentAt != nil {
		t.Fatalf("subscriber before confirming: %+v", sub)
	}
	// Nothing but the confirmation before confirming: a digest now
	// reaches no one.
	plan, err := e.app.SendDigestNow(context.Background(), org.ID, true)
	if err != nil || plan.Subscribers != 0 {
		t.Fatalf("dry run: %+v %v", plan, err)
	}
	link := e.mail.MustLastLink(t, "reader@example.com")
	if !strings.Contains(link, "/o/acme-coaching/notes/confirm/") {
		t.Fatalf("link %s", link)
	}
	if r := anon.get(link + "x"); r.status != http.StatusNotFound || !strings.Contains(r.body, "not valid") {
		t.Fatalf("forged link: %d\n%s", r.status, r.body)
	}
	// Following the link (as a mail scanner does) only shows a button.
	for i := 0; i < 2; i++ {
		if r := anon.get(link); r.status != 200 || !strings.Contains(r.body, "Confirm my subscription") || !strings.Contains(r.body, "reader@example.com") {
			t.Fatalf("confirmation page: %d\n%s", r.status, r.body)
		}
	}
	if sub, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com"); sub.Status != tandem.SubscriberPending {
		t.Fatalf("a GET confirmed: %+v", sub)
	}
	tok := link[strings.LastIndex(link, "/")+1:]
	confirmURL := "/o/acme-coaching/notes/confirm"
	// Forged or mangled tokens, another site's form: nothing changes.
	for _, bad := range []string{"", tok + "x", "1.0.AAAA", "not-a-token"} {
		if r := anon.post(confirmURL, formOf("token", bad)); r.status != http.StatusNotFound || !strings.Contains(r.body, "not valid") {
			t.Fatalf("POST forged token %q: %d\n%s", bad, r.status, r.body)
		}
	}
	req, _ := http.NewRequest("POST", e.srv.URL+confirmURL, strings.NewReader(formOf("token", tok).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := anon.do(req); r.status != http.StatusForbidden {
		t.Fatalf("cross-site confirmation: %d", r.status)
	}
	if sub, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com"); sub.Status != tandem.SubscriberPending {
		t.Fatalf("a refused POST confirmed: %+v", sub)
	}
	if r := anon.post(confirmURL, formOf("token", tok)); r.status != 200 || !strings.Contains(r.body, "Subscription confirmed") {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	first, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com")
	e.clock.Add(time.Minute)
	if r := anon.post(confirmURL, formOf("token", tok)); r.status != 200 || !strings.Contains(r.body, "Already confirmed") {
		t.Fatalf("confirm twice: %d\n%s", r.status, r.body)
	}
	if r := anon.get(link); r.status != 200 || !strings.Contains(r.body, "Already confirmed") || strings.Contains(r.body, "<button") {
		t.Fatalf("the link once confirmed: %d\n%s", r.status, r.body)
	}
	sub, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com")
	if sub.Status != tandem.SubscriberConfirmed || sub.ConsentAt == nil || sub.ConsentSource != tandem.ConsentConfirmedEmail || !sub.ConsentAt.Equal(*first.ConsentAt) {
		t.Fatalf("confirmed subscriber: %+v (first %+v)", sub, first)
	}
	// A token for another address: the id of one, the signature of the
	// other's.
	anon.post("/o/acme-coaching/notes/subscribe", formOf("email", "other@example.com"))
	e.workJobs()
	otherLink := e.mail.MustLastLink(t, "other@example.com")
	otherTok := otherLink[strings.LastIndex(otherLink, "/")+1:]
	mixed := strings.SplitN(otherTok, ".", 2)[0] + tok[strings.Index(tok, "."):]
	if r := anon.post(confirmURL, formOf("token", mixed)); r.status != http.StatusNotFound || !strings.Contains(r.body, "not valid") {
		t.Fatalf("a token for another address: %d\n%s", r.status, r.body)
	}
	if r := anon.get("/o/acme-coaching/notes/confirm/" + mixed); r.status != http.StatusNotFound {
		t.Fatalf("a link for another address: %d\n%s", r.status, r.body)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "other@example.com"); s.Status != tandem.SubscriberPending {
		t.Fatalf("a token for another address confirmed: %+v", s)
	}
	// An organization that does not exist.
	if r := anon.post("/o/nobody/notes/confirm", formOf("token", tok)); r.status != http.StatusNotFound {
		t.Fatalf("unknown organization: %d", r.status)
	}

	// A member subscribes with one click.
	if r := b.post("/account/notes-subscription", nil); r.status != http.StatusSeeOther {
		t.Fatalf("member subscribe: %d", r.status)
	}
	// An expired link.
	anon.post("/o/acme-coaching/notes/subscribe", formOf("email", "late@example.com"))
	e.workJobs() // the confirmation is sent by a job
	late := e.mail.MustLastLink(t, "late@example.com")
	e.clock.Add(8 * 24 * time.Hour)
	if r := anon.get(late); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "expired") {
		t.Fatalf("expired link: %d\n%s", r.status, r.body)
	}
	if r := anon.post(confirmURL, formOf("token", late[strings.LastIndex(late, "/")+1:])); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "expired") {
		t.Fatalf("expired token: %d\n%s", r.status, r.body)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "late@example.com"); s.Status != tandem.SubscriberPending {
		t.Fatalf("an expired token confirmed: %+v", s)
	}

	// A digest, sent by the batch job's code, to the two confirmed.
	plan, err = e.app.SendDigestNow(context.Background(), org.ID, false)
	if err != nil || plan.DigestID == 0 || len(plan.Articles) != 1 || plan.Subscribers != 2 {
		t.Fatalf("digest: %+v %v", plan, err)
	}
	sent, err := e.app.SendDigestBatch(context.Background(), app.DigestBatchArgs{DigestID: plan.DigestID, After: 0, UpTo: 1 << 40})
	if err != nil || sent != 2 {
		t.Fatalf("batch: %d %v", sent, err)
	}
	if again, _ := e.app.SendDigestBatch(context.Background(), app.DigestBatchArgs{DigestID: plan.DigestID, After: 0, UpTo: 1 << 40}); again != 0 {
		t.Fatalf("a retried batch sent %d again", again)
	}
	var readerMsg, adaMsg *tandem.Message
	for _, m := range e.mail.Messages() {
		if !strings.HasPrefix(m.Subject, "Coach Notes from") {
			continue
		}
		switch m.To {
		case "reader@example.com":
			readerMsg = &m
		case "ada@acme.test":
			adaMsg = &m
		}
	}
	if readerMsg == nil || adaMsg == nil {
		t.Fatalf("digest recipients: %+v", e.mail.Messages())
	}
	lu := readerMsg.Headers["List-Unsubscribe"]
	if readerMsg.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.HasPrefix(lu, "<"+e.srv.URL+"/o/acme-coaching/notes/unsubscribe/") {
		t.Fatalf("headers: %v", readerMsg.Headers)
	}
	unsub := strings.Trim(lu, "<>")
	if !strings.Contains(readerMsg.Text, unsub) || !strings.Contains(readerMsg.HTML, unsub) || strings.Contains(adaMsg.Text, unsub) {
		t.Fatalf("the footer link is not the recipient's own")
	}
	// Another address's token: the id of one, the signature of the other.
	adaLink := strings.Trim(adaMsg.Headers["List-Unsubscribe"], "<>")
	readerTok := unsub[strings.LastIndex(unsub, "/")+1:]
	adaTok := adaLink[strings.LastIndex(adaLink, "/")+1:]
	mixed = strings.SplitN(adaTok, ".", 2)[0] + readerTok[strings.Index(readerTok, "."):]
	if st := oneClick(t, e.srv.URL+"/o/acme-coaching/notes/unsubscribe/"+mixed); st != http.StatusNotFound {
		t.Fatalf("a token for another address: %d", st)
	}
	// The footer's page asks first; GET changes nothing.
	if r := anon.get(unsub); r.status != 200 || !strings.Contains(r.body, "reader@example.com") {
		t.Fatalf("unsubscribe page: %d\n%s", r.status, r.body)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com"); s.Status != tandem.SubscriberConfirmed {
		t.Fatalf("GET unsubscribed")
	}
	// RFC 8058: a POST from the mail provider, no cookie, no Origin.
	if st := oneClick(t, unsub); st != 200 {
		t.Fatalf("one-click: %d", st)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "reader@example.com"); s.Status != tandem.SubscriberUnsubscribed {
		t.Fatalf("after one-click: %+v", s)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "ada@acme.test"); s.Status != tandem.SubscriberConfirmed {
		t.Fatalf("the other subscriber changed: %+v", s)
	}
	// Nothing new since the last digest: nothing sent.
	plan, err = e.app.SendDigestNow(context.Background(), org.ID, false)
	if err != nil || plan.DigestID != 0 || len(plan.Articles) != 0 {
		t.Fatalf("empty digest: %+v %v", plan, err)
	}
}

func oneClick(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.PostForm(u, url.Values{"List-Unsubscribe": {"One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func orgOf(t *testing.T, e *env, slug string) *tandem.Org {
	t.Helper()
	o, err := e.db.OrgBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestSubscriberCSV: an import with a row lacking recorded consent is
// refused whole; a good one imports; the export carries consent; an
// address that unsubscribed is not subscribed again by an import.
func TestSubscriberCSV(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")
	tok := b.token("csv")
	post := func(body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/subscribers/import", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		r := e.browser().do(req)
		var out map[string]any
		_ = jsonUnmarshal(r.body, &out)
		return r.status, out
	}
	st, out := post("email,consent_at,consent_source\nok@example.com,2026-01-05T10:00:00Z,paper form\nnoconsent@example.com,,\nbad-address,2026-01-05,web\n")
	rep, _ := out["report"].(map[string]any)
	if st != 422 || rep == nil || !strings.Contains(out["detail"].(string), "3 problems; nothing was imported") {
		t.Fatalf("refused import: %d %v", st, out)
	}
	if probs := fmt.Sprint(rep["problems"]); !strings.Contains(probs, "column:consent_at line:3 reason:No consent time recorded.") || !strings.Contains(probs, "column:email line:4") ||
		rep["more_problems"] != float64(0) {
		t.Fatalf("report: %v", rep)
	}
	org := orgOf(t, e, "acme-coaching")
	if n, _ := e.db.CountSubscribers(context.Background(), org.ID, tandem.SubscriberConfirmed); n != 0 {
		t.Fatalf("%d subscribers stored by a refused import", n)
	}
	if st, out := post("email\nx@example.com\n"); st != 422 || !strings.Contains(out["detail"].(string), "no consent_at column") {
		t.Fatalf("no consent columns: %d %v", st, out)
	}
	// Many problems: the first 1,000 listed, the rest counted, on the page
	// and in the API.
	var many strings.Builder
	many.WriteString("email,consent_at,consent_source\n")
	for i := range 1200 {
		fmt.Fprintf(&many, "s%d@example.com,2026-01-05,\n", i)
	}
	st, out = post(many.String())
	rep, _ = out["report"].(map[string]any)
	if probs, _ := rep["problems"].([]any); st != 422 || len(probs) != 1000 || rep["more_problems"] != float64(200) {
		t.Fatalf("API, many problems: %d, %d listed, more_problems %v", st, len(probs), rep["more_problems"])
	}
	r := b.upload("/admin/subscribers/import", "subs.csv", many.String())
	if r.status != 422 || !strings.Contains(r.body, "the file has 1200 problems") || !strings.Contains(r.body, "and 200 more problems") ||
		strings.Count(r.body, "How the person agreed is not recorded.") != 1000 {
		t.Fatalf("page, many problems: %d\n%.2000s", r.status, r.body)
	}
	gone, _ := e.db.Subscribe(context.Background(), org.ID, "gone@example.com")
	e.db.ConfirmSubscriber(context.Background(), org.ID, gone.ID, "test")
	e.db.Unsubscribe(context.Background(), org.ID, gone.ID)
	st, out = post("email,consent_at,consent_source\nok@example.com,2026-01-05T10:00:00Z,paper form\nGone@example.com,2026-01-05,old list\n")
	if st != 200 || out["imported"].(float64) != 1 {
		t.Fatalf("import: %d %v", st, out)
	}
	if s, _ := e.db.SubscriberByEmail(context.Background(), org.ID, "gone@example.com"); s.Status != tandem.SubscriberUnsubscribed {
		t.Fatalf("an import resubscribed an address that unsubscribed: %+v", s)
	}
	r = b.get("/admin/subscribers.csv")
	if r.status != 200 || !strings.Contains(r.body, "ok@example.com,confirmed,2026-01-05T10:00:00Z,paper form") || !strings.Contains(r.body, "gone@example.com,unsubscribed") {
		t.Fatalf("export: %d\n%s", r.status, r.body)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// TestSubscribeFormCannotFlood: the public subscribe form sends at most
// app.SubscribeMaxPerRecipient confirmations to one address a day, and
// answers the same past the limit (the lesson of /forgot, issue 11).
func TestSubscribeFormCannotFlood(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")
	anon := e.browser()
	var first string
	for i := 0; i < 10; i++ {
		r := anon.post("/o/acme-coaching/notes/subscribe", formOf("email", "victim@example.com"))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Check your inbox") {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
		if i == 0 {
			first = r.body
		} else if r.body != first {
			t.Fatalf("request %d answered differently from the first", i+1)
		}
	}
	e.workJobs()
	n := 0
	for _, m := range e.mail.Messages() {
		if m.To == "victim@example.com" {
			n++
		}
	}
	if n == 0 || n > app.SubscribeMaxPerRecipient {
		t.Fatalf("%d confirmations to one address from 10 requests, want 1 to %d", n, app.SubscribeMaxPerRecipient)
	}
}

// TestCoachNotesAuthors: coaches and administrators write articles; a
// member who does not coach (or a guest) is refused on the pages and the
// API, sees only published articles, and writes once their profile says
// they are open to coach a skill.
func TestCoachNotesAuthors(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")
	if r := b.post("/articles", formOf("title", "Published one", "body", "Hi", "status", "published")); r.status != http.StatusSeeOther {
		t.Fatalf("admin publishes: %d\n%s", r.status, r.body)
	}
	if r := b.post("/articles", formOf("title", "Secret draft", "body", "Not yet", "status", "draft")); r.status != http.StatusSeeOther {
		t.Fatalf("admin drafts: %d\n%s", r.status, r.body)
	}
	org := orgOf(t, e, "acme-coaching")
	draft, err := e.db.Articles(context.Background(), org.ID, sqldbAll)
	if err != nil || len(draft) != 2 {
		t.Fatalf("articles: %v %v", draft, err)
	}
	draftID := draft[0].ID
	if draft[0].Title != "Secret draft" {
		draftID = draft[1].ID
	}
	m := b.invite("max@acme.test", "Max Member", tandem.RoleMember)
	tok := m.token("max")

	for _, p := range []string{"/articles/new", "/articles/" + ftoa(float64(draftID)) + "/edit"} {
		if r := m.get(p); r.status != http.StatusForbidden || !strings.Contains(r.body, "written by the coaches and administrators") {
			t.Errorf("GET %s as a member who does not coach: %d\n%s", p, r.status, r.body)
		}
	}
	if r := m.post("/articles", formOf("title", "Mine", "body", "Hi", "status", "published")); r.status != http.StatusForbidden {
		t.Fatalf("POST /articles as a member: %d", r.status)
	}
	if r := m.post("/articles/"+ftoa(float64(draftID)), formOf("title", "Changed", "body", "Hi", "status", "published")); r.status != http.StatusForbidden {
		t.Fatalf("POST /articles/{id} as a member: %d", r.status)
	}
	if st, body, _ := e.api("POST", "/api/v1/articles", tok, `{"title":"Mine","body":"Hi","status":"published"}`); st != http.StatusForbidden || body["status"] == nil {
		t.Fatalf("API create as a member: %d %v", st, body)
	}
	if st, _, _ := e.api("PUT", "/api/v1/articles/"+ftoa(float64(draftID)), tok, `{"title":"Changed","body":"Hi","status":"published"}`); st != http.StatusForbidden {
		t.Fatalf("API update as a member: %d", st)
	}
	// Reading: the published article, not the draft.
	r := m.get("/articles")
	if r.status != 200 || !strings.Contains(r.body, "Published one") || strings.Contains(r.body, "Secret draft") || strings.Contains(r.body, "Write an article") {
		t.Fatalf("/articles as a member: %d\n%s", r.status, r.body)
	}
	if st, body, _ := e.api("GET", "/api/v1/articles", tok, ""); st != 200 || len(body["articles"].([]any)) != 1 {
		t.Fatalf("API list as a member: %d %v", st, body)
	}
	if st, _, _ := e.api("GET", "/api/v1/articles/"+ftoa(float64(draftID)), tok, ""); st != http.StatusNotFound {
		t.Fatalf("API draft as a member: %d", st)
	}
	if n, _ := e.db.Articles(context.Background(), org.ID, sqldbAll); len(n) != 2 || n[0].Title == "Changed" || n[1].Title == "Changed" {
		t.Fatalf("a refused write changed the articles: %+v", n)
	}

	// Open to coach a skill: now an author.
	if r := b.post("/skills", formOf("name", "Feedback")); r.status != http.StatusSeeOther {
		t.Fatalf("skill: %d", r.status)
	}
	pid, _ := e.db.PersonIDByEmail(context.Background(), org.ID, "max@acme.test")
	if r := m.post("/people/"+ftoa(float64(pid))+"/edit", formOf("name", "Max Member", "skill_0", "Feedback", "level_0", "4", "coach_0", "1")); r.status != http.StatusSeeOther {
		t.Fatalf("profile: %d\n%s", r.status, r.body)
	}
	if r := m.get("/articles"); !strings.Contains(r.body, "Secret draft") || !strings.Contains(r.body, "Write an article") {
		t.Fatalf("/articles as a coach:\n%s", r.body)
	}
	if st, body, _ := e.api("POST", "/api/v1/articles", tok, `{"title":"By a coach","body":"Hi","status":"published"}`); st != http.StatusCreated || body["author"] != "Max Member" {
		t.Fatalf("API create as a coach: %d %v", st, body)
	}
	// Only its author or an administrator changes an article.
	if r := m.post("/articles/"+ftoa(float64(draftID)), formOf("title", "Changed", "body", "Hi", "status", "draft")); r.status != http.StatusForbidden || !strings.Contains(r.body, "Only its author") {
		t.Fatalf("a coach changes another's article: %d", r.status)
	}
}

var sqldbAll = sqldb.ArticleFilter{Limit: 100}

// TestNotesShortAddresses: /notes, /notes/{slug} and /notes/feed.atom
// lead (302) to the only organization's pages, whose subscribe form works
// without JavaScript; with several organizations /notes lists those that
// publish, an article's short address leads to the one organization that
// published the slug (404 for none or several), the feed is 404 with a
// page that says why; a named default (serve --public-org) leads to it.
func TestNotesShortAddresses(t *testing.T) {
	e := newEnv(t)
	b := e.setup("Acme Coaching", "Ada Admin", "ada@acme.test")
	for _, title := range []string{"Shared title", "Only Acme"} {
		if r := b.post("/articles", formOf("title", title, "body", "Hello", "status", "published")); r.status != http.StatusSeeOther {
			t.Fatalf("publish %s: %d", title, r.status)
		}
	}
	anon := e.browser()
	redirects := func(path, want string) {
		t.Helper()
		r := anon.get(path)
		if r.status != http.StatusFound || r.header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want 302 to %s", path, r.status, r.header.Get("Location"), want)
		}
	}
	notFound := func(path, says string) response {
		t.Helper()
		r := anon.get(path)
		if r.status != http.StatusNotFound || !strings.Contains(r.body, says) {
			t.Errorf("%s: %d, want 404 saying %q\n%.1500s", path, r.status, says, r.body)
		}
		return r
	}

	// One organization.
	redirects("/notes", "/o/acme-coaching/notes")
	redirects("/notes/feed.atom", "/o/acme-coaching/notes/feed.atom")
	redirects("/notes/only-acme", "/o/acme-coaching/notes/only-acme")
	redirects("/notes/no-such-article", "/o/acme-coaching/notes/no-such-article")
	// The page it leads to has the subscribe form, a plain HTML form.
	r := anon.get("/o/acme-coaching/notes")
	form := regexp.MustCompile(`<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>\s*(?s:.*?)name="email"`).FindStringSubmatch(r.body)
	if form == nil {
		t.Fatalf("no subscribe form on the notes page:\n%s", r.body)
	}
	if r := anon.post(form[1], formOf("email", "reader@example.com")); r.status != http.StatusOK || !strings.Contains(r.body, "Check your inbox") {
		t.Fatalf("subscribe through the form: %d\n%s", r.status, r.body)
	}

	// Several organizations: Beta publishes one slug of its own and one
	// Acme has too; Gamma only has a draft.
	ctx := context.Background()
	beta := tandemtest.MustOrg(t, e.db, "Beta Practice")
	for _, title := range []string{"Shared title", "Only Beta"} {
		if _, err := e.app.SaveArticle(beta, 0, tandem.ArticleInput{Title: title, Body: "Hi", Status: tandem.ArticlePublished}); err != nil {
			t.Fatal(err)
		}
	}
	gamma := tandemtest.MustOrg(t, e.db, "Gamma Group")
	if _, err := e.app.SaveArticle(gamma, 0, tandem.ArticleInput{Title: "Gamma draft", Body: "Hi", Status: tandem.ArticleDraft}); err != nil {
		t.Fatal(err)
	}
	r = anon.get("/notes")
	if r.status != 200 || !strings.Contains(r.body, `href="/o/acme-coaching/notes"`) || !strings.Contains(r.body, `href="/o/beta-practice/notes"`) ||
		strings.Contains(r.body, "gamma") || strings.Index(r.body, "Acme Coaching") > strings.Index(r.body, "Beta Practice") {
		t.Fatalf("/notes with several organizations: %d\n%s", r.status, r.body)
	}
	redirects("/notes/only-beta", "/o/beta-practice/notes/only-beta")
	redirects("/notes/only-acme", "/o/acme-coaching/notes/only-acme")
	notFound("/notes/shared-title", "no article at this address")
	notFound("/notes/gamma-draft", "no article at this address")
	notFound("/notes/no-such-article", "no article at this address")
	f := notFound("/notes/feed.atom", "each has its own feed")
	if !strings.Contains(f.body, `href="/o/beta-practice/notes/feed.atom"`) {
		t.Errorf("the feed's 404 page does not lead to the feeds:\n%s", f.body)
	}
	// A draft published later: Gamma is listed, its slug leads to it.
	e.clock.Add(time.Minute)
	if _, err := e.app.SaveArticle(gamma, 0, tandem.ArticleInput{Title: "Gamma now", Body: "Hi", Status: tandem.ArticlePublished}); err != nil {
		t.Fatal(err)
	}
	if r := anon.get("/notes"); !strings.Contains(r.body, `href="/o/gamma-group/notes"`) {
		t.Errorf("Gamma not listed once it published:\n%s", r.body)
	}
	redirects("/notes/gamma-now", "/o/gamma-group/notes/gamma-now")

	// The operator names a default: everything leads to it.
	e.app.PublicOrgSlug = "beta-practice"
	redirects("/notes", "/o/beta-practice/notes")
	redirects("/notes/feed.atom", "/o/beta-practice/notes/feed.atom")
	redirects("/notes/shared-title", "/o/beta-practice/notes/shared-title")
	if err := e.app.CheckPublicOrg(ctx); err != nil {
		t.Errorf("check a default that exists: %v", err)
	}
	// One that does not exist is refused at start and ignored here.
	e.app.PublicOrgSlug = "no-such-org"
	if err := e.app.CheckPublicOrg(ctx); err == nil || !strings.Contains(err.Error(), "no organization has the slug") {
		t.Errorf("check a default that does not exist: %v", err)
	}
	if r := anon.get("/notes"); r.status != 200 || !strings.Contains(r.body, `href="/o/beta-practice/notes"`) {
		t.Errorf("/notes with a default that does not exist: %d", r.status)
	}
}
