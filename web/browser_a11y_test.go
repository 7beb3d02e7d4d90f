package web_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored from npm into testdata (see its
// README.md): the tests inject it into the pages they check, and the
// server never serves it.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	return string(b), err
})

// axeViolation is one rule that axe-core finds broken on a page.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core over the page the browser shows and fails the
// test on each serious or critical violation.
func axeCheck(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", name, err)
	}
	for _, v := range found {
		t.Errorf("%s: %s (%s): %s\n\t%s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// menuOnScreen opens the user menu and fails when any of it lies outside
// the viewport (at 390 px it once sat 174 px off the left edge).
func menuOnScreen(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(`details.menu summary`), chromedp.WaitVisible(`.menu-list`)); err != nil {
		t.Fatalf("%s: open the menu: %v", name, err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(() => {
		const r = document.querySelector(".menu-list").getBoundingClientRect();
		return {left: r.left, right: r.right, width: window.innerWidth};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if box["left"] < 0 || box["right"] > box["width"] {
		t.Errorf("%s: the open menu spans %.0f to %.0f px on a %.0f px screen", name, box["left"], box["right"], box["width"])
	}
	screenshot(t, ctx, name+"-menu")
	if err := chromedp.Do(ctx, chromedp.Click(`details.menu summary`)); err != nil {
		t.Fatalf("%s: close the menu: %v", name, err)
	}
}

// TestBrowserAccessibility checks each page of accessiblePages with
// axe-core at 1280 and 390 px, as the person it lists, saving a
// screenshot of each; on home pages it also opens the user menu and
// checks that it stays on the screen.
func TestBrowserAccessibility(t *testing.T) {
	f := newCheckFixture(t)
	base := f.e.srv.URL
	byWho := map[string][]string{}
	var order []string
	for _, p := range f.accessiblePages() {
		if byWho[p.who] == nil {
			order = append(order, p.who)
		}
		byWho[p.who] = append(byWho[p.who], p.path)
	}
	emails := map[string]string{"admin": "ada@acme.test", "pam": "pam@acme.test", "ceo": "ceo@acme.test",
		"mia": "mia@acme.test", "vp": "vp@acme.test", "dev": "dev@acme.test", "ops": "ops@acme.test"}
	for _, who := range order {
		name := who
		if name == "" {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			// A browser for each person keeps each within chrome's time limit.
			ctx := chrome(t)
			password := "another good password" // what the fixture's invitees chose
			if who == "admin" {
				password = "correct horse battery"
			}
			if who != "" {
				signInAs(t, ctx, base, emails[who], password)
			}
			for _, path := range byWho[who] {
				for _, width := range []int64{1280, 390} {
					name := fmt.Sprintf("a11y-%s-%s-%d", name, pageName(path), width)
					// CSS: a plain string is a DOM search, which also matches
					// text ("main" in "remain") that never becomes visible.
					if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path),
						chromedp.WaitVisible(chromedp.CSS(`main`)), pageLoaded()); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					axeCheck(t, ctx, name)
					screenshot(t, ctx, name)
					if path == "/" {
						menuOnScreen(t, ctx, name)
					}
				}
			}
		})
	}
}
