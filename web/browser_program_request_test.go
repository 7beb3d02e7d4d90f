package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitText waits until the element's text contains want: a boosted form
// swaps the page in place, so the old page's nodes are no sign of the
// new one.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	return acrossNavigation(chromedp.Poll[chromedp.Void](`(document.querySelector(`+strconv.Quote(sel)+`) || {innerText: ""}).innerText.includes(`+strconv.Quote(want)+`)`,
		chromedp.WithPollingInterval(20*time.Millisecond)))
}

// TestBrowserSelfServe: in a real browser, the program admin makes a
// running program self-serve, a mentee asks the first suggested mentor
// with a message, the mentor finds the request on the home page and
// accepts it on the program's page, and the mentee sees their mentor.
func TestBrowserSelfServe(t *testing.T) {
	f := newSelfServeFixture(t)
	ctx := chrome(t)
	base := f.e.srv.URL
	const pw = "another good password" // what the invitees chose

	signInAs(t, ctx, base, "ada@acme.test", "correct horse battery")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+f.page), chromedp.WaitVisible(`#f-mode`), pageLoaded(),
		chromedp.SetValue(`#f-mode`, "self_serve"),
		chromedp.Click(`form[action$="/matching"] button[type=submit]`),
		waitText("#matching", "Mentees may ask mentors now"), pageLoaded(),
	)
	if err != nil {
		t.Fatalf("set the mode: %v", err)
	}
	if got := text(t, ctx, "#matching"); !strings.Contains(got, "Mentees may ask mentors now") {
		t.Errorf("the mode reads %q", got)
	}

	signInAs(t, ctx, base, "mona@acme.test", pw)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+f.page), chromedp.WaitVisible(`#suggestions`), pageLoaded(),
		chromedp.SendKeys(`#suggestions li:first-child textarea`, "Hello from the browser"),
		chromedp.Click(`#suggestions li:first-child form button[type=submit]`),
		waitText("#suggestions", "waiting for their answer"), pageLoaded(),
	)
	if err != nil {
		t.Fatalf("ask: %v", err)
	}
	if got := text(t, ctx, "#suggestions"); !strings.Contains(got, "waiting for their answer") {
		t.Fatalf("after asking: %q", got)
	}
	asked := "Mike Mentor"
	if strings.Contains(text(t, ctx, "#suggestions"), "Mary Mentor") {
		asked = "Mary Mentor"
	}
	email := map[string]string{"Mike Mentor": "mike@acme.test", "Mary Mentor": "mary@acme.test"}[asked]

	signInAs(t, ctx, base, email, pw)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#waiting`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#waiting"); !strings.Contains(got, "Answer 1 mentoring request") {
		t.Errorf("the mentor's home reads %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#waiting a[href$="#requests"]`), waitText("#requests", "Hello from the browser"), pageLoaded(),
	)
	if err != nil {
		t.Fatalf("open the request: %v", err)
	}
	if got := text(t, ctx, "#requests"); !strings.Contains(got, "Hello from the browser") {
		t.Errorf("the request reads %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#requests form[action$="/accept"] button`), waitText("#requests", "You mentor 1"), pageLoaded(),
	)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	if got := text(t, ctx, "#requests"); !strings.Contains(got, "You mentor 1 of up to 1 mentee") {
		t.Errorf("after accepting: %q", got)
	}

	signInAs(t, ctx, base, "mona@acme.test", pw)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+f.page), chromedp.WaitVisible(`#suggestions`), pageLoaded()); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#suggestions"); !strings.Contains(got, "Your mentor from this program: "+asked) {
		t.Errorf("the mentee's page reads %q", got)
	}
}
