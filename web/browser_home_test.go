package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// viewport sets the browser's width (a phone's is 390 px) and reloads.
func viewport(t *testing.T, ctx context.Context, width int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Reload()); err != nil {
		t.Fatalf("viewport %d: %v", width, err)
	}
}

// noSideways fails when the page scrolls sideways at the current width.
func noSideways(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Errorf("%s scrolls sideways", what)
	}
}

// TestBrowserHome loads the learner's and the administrator's home pages
// at 1280 and 390 px, and picks a mentor with the search-as-you-type
// picker of the proposal form.
func TestBrowserHome(t *testing.T) {
	f := newNextFixture(t)
	ctx := chrome(t)
	base := f.e.srv.URL
	const pw = "another good password" // what the fixture's invitees chose

	signInAs(t, ctx, base, "dev@acme.test", pw)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#h-sessions`)); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		viewport(t, ctx, width)
		for sel, want := range map[string]string{"#waiting": "Nothing waits on you", "#sessions": "with Chidi Okafor",
			"#actions": "Draft the review template", "#goals": "Lead two incident reviews"} {
			if got := text(t, ctx, sel); !strings.Contains(got, want) {
				t.Errorf("%d px: %s reads %q, want %q", width, sel, got, want)
			}
		}
		noSideways(t, ctx, fmt.Sprintf("learner's home at %d px", width))
		screenshot(t, ctx, fmt.Sprintf("home-learner-%d", width))
	}

	signInAs(t, ctx, base, "ada@acme.test", "correct horse battery")
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#numbers`)); err != nil {
			t.Fatal(err)
		}
		if got := text(t, ctx, "#numbers"); !strings.Contains(got, "waiting for a manager") {
			t.Errorf("%d px: numbers read %q", width, got)
		}
		noSideways(t, ctx, fmt.Sprintf("administrator's home at %d px", width))
		screenshot(t, ctx, fmt.Sprintf("home-admin-%d", width))
	}

	// The picker: typing searches, a choice fills the form in.
	signInAs(t, ctx, base, "ops@acme.test", pw)
	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(base+"/engagements/new?kind=mentoring"),
			chromedp.WaitVisible(`#f-guide_email`),
			chromedp.SendKeys(`#f-guide_email`, "mi"),
			chromedp.WaitVisible(`#r-guide_email .candidates a`),
		)
		if err != nil {
			t.Fatalf("%d px: search: %v", width, err)
		}
		noSideways(t, ctx, fmt.Sprintf("picker at %d px", width))
		screenshot(t, ctx, fmt.Sprintf("picker-%d", width))
		err = chromedp.Do(ctx,
			chromedp.Click(`#r-guide_email .candidates a`),
			// The form comes back with the choice in the field's value.
			chromedp.WaitVisible(`input#f-guide_email[value="mia@acme.test"]`),
		)
		if err != nil {
			t.Fatalf("%d px: choose: %v", width, err)
		}
		value, err := chromedp.Run(ctx, chromedp.Value(`#f-guide_email`))
		if err != nil {
			t.Fatalf("%d px: choose: %v", width, err)
		}
		if value != "mia@acme.test" {
			t.Errorf("%d px: the chosen mentor is %q", width, value)
		}
	}
}
