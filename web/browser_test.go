package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserRequiredEnv makes a missing Chromium fail the browser tests
// instead of skipping them; .ci/run sets it.
const browserRequiredEnv = "TANDEM_BROWSER_REQUIRED"

// chrome starts headless Chromium for one test and returns its context.
// The flags keep it off the network (this machine has none) and let it run
// as root in a container.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv(browserRequiredEnv) != "" {
			t.Fatal("Chromium is not installed (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed; skipping the browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// The first run starts the browser, which lives as long as that run's
	// context: so start it without a deadline, then bound the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// pageLoaded waits until the document a click navigated to has loaded.
// WaitVisible alone can match the new page's nodes before chromedp has
// taken in the new document, and the next action then fails with "Could
// not find node with given id" (seen on a loaded machine).
func pageLoaded() chromedp.Action[chromedp.Void] {
	return acrossNavigation(chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingInterval(20*time.Millisecond)))
}

// acrossNavigation runs a polling action again when a navigation that a
// click started destroys the page it was evaluating in ("Inspected
// target navigated or closed"): the poll then goes on in the new page,
// until it holds or the context ends.
func acrossNavigation(a chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for {
			v, err := a(ctx, t)
			if err == nil || ctx.Err() != nil || !pageGone(err) {
				return v, err
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// pageGone tells the errors of an evaluation cut short by a navigation.
func pageGone(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Cannot find context with specified id")
}

// screenshot saves a full-page PNG among the test's artifacts
// (go test -artifacts keeps them under -outputdir).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// text returns the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// location returns the page's URL.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return s
}

// TestBrowserFirstRun drives the real pages: an empty install leads to
// setup, the new administrator signs out, signs in again and sees home.
func TestBrowserFirstRun(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(`input[name=org_name]`),
	)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/setup") {
		t.Errorf("empty install led to %s, want /setup", loc)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=org_name]`, "Acme Learning"),
		chromedp.Click(`input[value=company]`),
		chromedp.SendKeys(`input[name=name]`, "Ada Lovelace"),
		chromedp.SendKeys(`input[name=email]`, "ada@acme.test"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Click(`form[action="/setup"] button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
	)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Ada Lovelace") {
		t.Fatalf("after setup the heading is %q", h)
	}
	screenshot(t, ctx, "home-after-setup")

	err = chromedp.Do(ctx,
		chromedp.Click(`details.menu summary`),
		chromedp.WaitVisible(`form[action="/signout"] button`),
		chromedp.Click(`form[action="/signout"] button`),
		chromedp.WaitVisible(`form[action="/signin"]`),
		pageLoaded(),
	)
	if err != nil {
		t.Fatalf("sign out: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "/signin") {
		t.Errorf("after sign-out at %s", loc)
	}

	err = chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=email]`, "ada@acme.test"),
		chromedp.SendKeys(`input[name=password]`, "not the password"),
		chromedp.Click(`form[action="/signin"] button[type=submit]`),
		chromedp.WaitVisible(`.alert`),
	)
	if err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	if a := text(t, ctx, ".alert"); !strings.Contains(a, "not right") {
		t.Errorf("wrong password alert %q", a)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(`input[name=email]`, "ada@acme.test"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Click(`form[action="/signin"] button[type=submit]`),
		chromedp.WaitVisible(`details.menu`),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Good to see you, Ada Lovelace") {
		t.Errorf("after sign-in the heading is %q", h)
	}
	screenshot(t, ctx, "home-after-sign-in")

	// Import a small HR file through the upload page, then walk the org chart.
	csvPath := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(csvPath, []byte(acmeCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/admin/import"),
		chromedp.WaitVisible(`input[type=file]`),
		chromedp.SetUploadFiles(`input[type=file]`, []string{csvPath}),
		chromedp.Click(`form[action="/admin/import"] button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
	)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if f := text(t, ctx, ".flash"); !strings.Contains(f, "4 added") {
		t.Fatalf("import report %q", f)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/people?q=dev+one"),
		chromedp.WaitVisible(`table`),
		chromedp.Click(`//a[text()="Dev One"]`),
		chromedp.WaitVisible(`a[href$="/chart"]`),
		chromedp.Click(`a[href$="/chart"]`),
		chromedp.WaitVisible(`ol.chart`),
	)
	if err != nil {
		t.Fatalf("org chart: %v", err)
	}
	chart := text(t, ctx, "ol.chart")
	ceo, vp, dev := strings.Index(chart, "Chidi Okafor"), strings.Index(chart, "Zoë Ångström"), strings.Index(chart, "Dev One")
	if ceo < 0 || vp < ceo || dev < vp {
		t.Errorf("the chart does not run from the CEO through the VP to Dev One:\n%s", chart)
	}
	screenshot(t, ctx, "org-chart")
}

// signInAs signs the browser out (if signed in) and in as someone else.
func signInAs(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(`form[action="/signin"], details.menu`),
		pageLoaded(),
	)
	if err != nil {
		t.Fatalf("open sign-in: %v", err)
	}
	if loc := location(t, ctx); !strings.Contains(loc, "/signin") {
		// Signed in already: sign out first.
		if err := chromedp.Do(ctx,
			chromedp.Click(`details.menu summary`),
			chromedp.Click(`form[action="/signout"] button`),
			chromedp.WaitVisible(`form[action="/signin"]`),
			pageLoaded(),
		); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Click(`form[action="/signin"] button[type=submit]`),
		chromedp.WaitVisible(`details.menu`),
	); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}

// TestBrowserMentoringAgreement proposes a mentoring partnership in the
// browser, has the protégé, the mentor and the protégé's manager agree,
// and sees it become active.
func TestBrowserMentoringAgreement(t *testing.T) {
	e, _ := engagementOrg(t)
	ctx := chrome(t)
	const pw = "another good password" // what engagementOrg's invitees chose
	signInAs(t, ctx, e.srv.URL, "dev@acme.test", pw)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/engagements/new?kind=mentoring"),
		chromedp.WaitVisible(`textarea[name=outcomes]`),
		chromedp.SetValue(`input[name=guide_email]`, "ops@acme.test"),
		chromedp.SendKeys(`textarea[name=outcomes]`, "Grow into a staff role"),
		chromedp.Click(`form[action="/engagements"] button[type=submit]`),
		chromedp.WaitVisible(`#h-overview`),
	)
	if err != nil {
		t.Fatalf("propose: %v", err)
	}
	page := location(t, ctx) + "?tab=agreement"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(`#h-agreement`)); err != nil {
		t.Fatalf("the agreement tab: %v", err)
	}
	// Proposing is agreeing: the page waits for the two others only.
	if a := text(t, ctx, "#h-agreement + p"); !strings.Contains(a, "Waiting for: Ops Two, Zoë Ångström (manager).") {
		t.Fatalf("after proposing: %q", a)
	}
	for _, who := range []string{"ops@acme.test", "vp@acme.test"} {
		signInAs(t, ctx, e.srv.URL, who, pw)
		err := chromedp.Do(ctx,
			chromedp.Navigate(page),
			chromedp.WaitVisible(`button[value=agree]`),
			chromedp.Click(`button[value=agree]`),
			chromedp.WaitVisible(`.flash`),
		)
		if err != nil {
			t.Fatalf("%s agrees: %v", who, err)
		}
	}
	if st := text(t, ctx, ".kindline .status"); !strings.EqualFold(st, "active") {
		t.Fatalf("status after the proposal and two agreements: %q", st)
	}
	screenshot(t, ctx, "mentoring-active")
}

// TestBrowserSessionNotes schedules a session in the browser, records it
// as held, writes a shared and a private note, and signs in as the other
// partner, who reads the shared note and not the private one.
func TestBrowserSessionNotes(t *testing.T) {
	e, b := engagementOrg(t)
	const seeOther = 303 // the redirect after a form, without importing net/http here
	r := b["dev"].post("/engagements", proposalForm("mentoring", "dev@acme.test", "ops@acme.test"))
	page := r.header.Get("Location")
	if r.status != seeOther || page == "" {
		t.Fatalf("propose: %d\n%s", r.status, r.body)
	}
	for _, who := range []string{"dev", "ops", "vp"} {
		if r := b[who].post(page+"/respond", formOf("version", "1", "answer", "agree")); r.status != seeOther {
			t.Fatalf("%s agrees: %d", who, r.status)
		}
	}
	ctx := chrome(t)
	const pw = "another good password"
	signInAs(t, ctx, e.srv.URL, "dev@acme.test", pw)
	// Dev is in Stockholm: 08:00 there is 07:00 UTC, before the test clock's
	// 09:00 UTC, so the session can be recorded as held at once.
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+page+"?tab=sessions"),
		chromedp.WaitVisible(`#h-sessions`),
		chromedp.SetValue(`input[name=start]`, "2026-03-02T08:00"),
		chromedp.SendKeys(`input[name=minutes]`, "60"),
		chromedp.SendKeys(`input[name=place]`, "Room 1"),
		chromedp.Click(`form[action$="/sessions"] button[type=submit]`),
		chromedp.WaitVisible(`#session-when`),
		chromedp.Click(`#record-held`),
		chromedp.WaitNotPresent(`#record-held`), // a recorded session is not recorded again
	)
	if err != nil {
		t.Fatalf("schedule and record: %v", err)
	}
	if st := text(t, ctx, "#session-status"); !strings.EqualFold(st, "held") {
		t.Fatalf("status after recording: %q", st)
	}
	session := location(t, ctx)
	for _, n := range []struct {
		body    string
		private bool
		saved   string // what shows once the note is saved
	}{{"Shared from Dev", false, `li.note.shared`}, {"Private from Dev", true, `li.note.private`}} {
		acts := []chromedp.Action[chromedp.Void]{chromedp.Navigate(session), chromedp.WaitVisible(`#f-note`), chromedp.SendKeys(`#f-note`, n.body)}
		if n.private {
			acts = append(acts, chromedp.Click(`#f-private`))
		}
		acts = append(acts, chromedp.Click(`#save-note`), chromedp.WaitVisible(n.saved))
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("note %q: %v", n.body, err)
		}
	}
	if notes := text(t, ctx, "#notes"); !strings.Contains(notes, "Shared from Dev") || !strings.Contains(notes, "Private from Dev") {
		t.Fatalf("the author's notes: %q", notes)
	}
	signInAs(t, ctx, e.srv.URL, "ops@acme.test", pw)
	if err := chromedp.Do(ctx, chromedp.Navigate(session), chromedp.WaitVisible(`#notes`)); err != nil {
		t.Fatalf("partner opens the session: %v", err)
	}
	if notes := text(t, ctx, "#notes"); !strings.Contains(notes, "Shared from Dev") || strings.Contains(notes, "Private from Dev") {
		t.Fatalf("the partner's notes: %q", notes)
	}
	screenshot(t, ctx, "session-partner")
}
