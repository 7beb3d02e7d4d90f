package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignInStaysOnSite follows the link from issue 11 in a real
// browser: /signin?next=%2F%09%2Fevil.test. Chromium strips the tab from a
// Location header, so a server that sent "/\t/evil.test" back would send
// the person to evil.test. Signing in through the form, and opening the
// link once signed in, must both end on this site.
func TestBrowserSignInStaysOnSite(t *testing.T) {
	e := newEnv(t)
	e.setup("Acme", "Ada", "ada@acme.test")
	ctx := chrome(t)
	const link = "/signin?next=%2F%09%2Fevil.test"
	onSite := func(step string) {
		t.Helper()
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		loc, err := chromedp.Run(lctx, chromedp.Location())
		if err != nil { // still loading another site
			t.Fatalf("%s: the browser did not stay on this site: %v", step, err)
		}
		if !strings.HasPrefix(loc, e.srv.URL+"/") || strings.Contains(loc, "evil.test") {
			t.Fatalf("%s: the browser is at %s", step, loc)
		}
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+link),
		chromedp.WaitVisible(`form[action="/signin"]`),
		chromedp.SendKeys(`input[name=email]`, "ada@acme.test"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Click(`form[action="/signin"] button[type=submit]`),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	// Wait for the signed-in home page; off-site there is none, so bound
	// the wait and then look at where the browser is.
	wctx, cancelWait := context.WithTimeout(ctx, 20*time.Second)
	defer cancelWait()
	waitErr := chromedp.Do(wctx, chromedp.WaitVisible(`details.menu`))
	onSite("signing in")
	if waitErr != nil {
		t.Fatalf("signing in: the home page did not show: %v", waitErr)
	}

	// Signed in, the link redirects at once: a plain navigation, which
	// follows the Location header the way a mail client's link would.
	// Off-site the navigation fails (this machine has no network), so its
	// error says nothing; where the browser ends up does.
	nctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_ = chromedp.Do(nctx, chromedp.Navigate(e.srv.URL+link))
	onSite("opening the link signed in")
}
