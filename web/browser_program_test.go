package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserProgramMatching runs a cohort program end to end in a real
// browser at 1280 px: the administrator creates a program with two
// questions and opens enrollment; three mentees and two mentors apply (as
// themselves, through the API); the administrator approves them on the
// applications page, moves the program to matching, runs the matching,
// pins a pair from the preview, runs again, looks at the preview (also at
// 390 px), publishes with the confirmation, and a mentee signs in to find
// the proposed partnership with its draft agreement.
func TestBrowserProgramMatching(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	tokens := map[string]string{}
	for _, n := range []string{"Mia", "Noa", "Uri", "Olga", "Pete"} {
		tokens[n] = ada.invite(strings.ToLower(n)+"@acme.test", n, "member").token(n)
	}
	ctx := chrome(t)
	signInAs(t, ctx, e.srv.URL, "ada@acme.test", "correct horse battery")
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	flash := func(what, want string) {
		t.Helper()
		// The page before had a flash too: wait for the new one's words.
		// The navigation may end the document the poll started in:
		// acrossNavigation polls the new one.
		err := chromedp.Do(ctx, acrossNavigation(chromedp.Poll[chromedp.Void](
			fmt.Sprintf(`document.readyState === "complete" && (document.querySelector(".flash") || {textContent: ""}).textContent.includes(%q)`, want),
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))))
		if err != nil {
			t.Fatalf("%s: no %q on the page (%v); the page says %q", what, want, err, text(t, ctx, "main"))
		}
	}

	// The program and its questionnaire.
	step("new program",
		chromedp.Navigate(e.srv.URL+"/programs/new"),
		chromedp.WaitVisible(`input[name=name]`),
		chromedp.SendKeys(`input[name=name]`, "Spring cohort"),
		chromedp.SendKeys(`#f-description`, "Six months with a mentor from another team"),
		chromedp.Click(`form[action="/programs"] button[type=submit]`),
	)
	flash("create", "Program created")
	page := location(t, ctx)
	m := regexp.MustCompile(`/programs/(\d+)$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("after creating, at %s", page)
	}
	id := m[1]
	for _, q := range []struct{ typ, label, options, rule, weight string }{
		{"single", "Track", "Build\nSell", "same", "3"},
		{"multiple", "Topics", "Design\nHiring\nSpeaking", "overlap", "2"},
	} {
		step("question "+q.label,
			chromedp.Navigate(page+"/questions"),
			chromedp.WaitVisible(`#f-label-0`),
			chromedp.SetValue(`#f-type-0`, q.typ),
			chromedp.SendKeys(`#f-label-0`, q.label),
			chromedp.SendKeys(`#f-options-0`, q.options),
			chromedp.SetValue(`#f-rule-0`, q.rule),
			chromedp.SetValue(`#f-weight-0`, q.weight),
			chromedp.Click(`form[action="/programs/`+id+`/questions"] button[type=submit]`),
		)
		flash("add "+q.label, "Question added")
	}
	moveTo := func(state string) {
		t.Helper()
		step("move to "+state,
			chromedp.Navigate(page),
			chromedp.WaitVisible(`#f-state`),
			chromedp.SetValue(`#f-state`, state),
			chromedp.Click(`form[action$="/state"] button[type=submit]`),
		)
		flash("move to "+state, "moved on")
	}
	moveTo("enrolling")

	// The applications, each person with their own token.
	base := "/api/v1/programs/" + id
	_, qs, _ := e.api("GET", base+"/questions", tokens["Mia"], "")
	var qids []string
	for _, q := range qs["questions"].([]any) {
		qids = append(qids, ftoa(q.(map[string]any)["id"].(float64)))
	}
	if len(qids) != 2 {
		t.Fatalf("questions: %v", qs)
	}
	for _, a := range []struct{ who, role, capacity, track, topics string }{
		{"Mia", "mentee", "", "Build", `"Design","Hiring"`}, {"Noa", "mentee", "", "Sell", `"Design"`}, {"Uri", "mentee", "", "Build", `"Speaking"`},
		{"Olga", "mentor", `"capacity":1,`, "Build", `"Design"`}, {"Pete", "mentor", `"capacity":2,`, "Sell", `"Design","Speaking"`},
	} {
		body := fmt.Sprintf(`{"role":%q,%s"answers":{%q:{"choices":[%q]},%q:{"choices":[%s]}}}`, a.role, a.capacity, qids[0], a.track, qids[1], a.topics)
		if st, out, _ := e.api("POST", base+"/application", tokens[a.who], body); st != http.StatusCreated {
			t.Fatalf("%s applies: %d %v", a.who, st, out)
		}
	}
	for k := range 5 {
		step(fmt.Sprintf("approve %d", k+1),
			chromedp.Navigate(page+"/applications?status=submitted"),
			chromedp.WaitVisible(`button[name=decision][value=approve]`),
			chromedp.Click(`button[name=decision][value=approve]`),
		)
		flash("approved", "approved")
	}
	moveTo("matching")

	// Matching: run, pin the first pair, run again.
	step("matching page",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`a[href$="/matching"]`),
		chromedp.Click(`a[href$="/matching"]`),
		pageLoaded(),
		chromedp.WaitVisible(`form[action$="/runs"]`),
	)
	screenshot(t, ctx, "program-matching-1280")
	step("run", chromedp.Click(`form[action$="/runs"] button[type=submit]`))
	flash("run 1", "3 of 3 mentees matched")
	pinned := text(t, ctx, `#pairs tbody tr td`)
	step("pin", chromedp.Click(`#pairs button[name=kind][value=pin]`))
	flash("pin", "Pinned")
	step("run again",
		chromedp.Navigate(page+"/matching"),
		chromedp.WaitVisible(`form[action$="/runs"]`),
		chromedp.Click(`input[name=mode][value=stable]`),
		chromedp.Click(`form[action$="/runs"] button[type=submit]`),
	)
	flash("run 2", "3 of 3 mentees matched")
	if cert := text(t, ctx, "#certificate"); !strings.Contains(cert, "stable") {
		t.Errorf("the certificate of the stable run: %q", cert)
	}
	if rows := text(t, ctx, "#pairs tbody"); !strings.Contains(rows, "pinned") || !strings.Contains(rows, strings.Fields(pinned)[0]) {
		t.Errorf("the second run does not keep the pin of %q:\n%s", pinned, rows)
	}
	screenshot(t, ctx, "program-preview-1280")
	step("390 px", chromedp.EmulateViewport(390, 844), chromedp.Reload(), pageLoaded(), chromedp.WaitVisible(`#pairs`))
	scrollW, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if scrollW > 390 {
		t.Errorf("the preview is %d px wide on a 390 px screen", scrollW)
	}
	screenshot(t, ctx, "program-preview-390")
	step("1280 px", chromedp.EmulateViewport(1280, 900), chromedp.Reload(), pageLoaded(), chromedp.WaitVisible(`#pairs`))

	// Publish, with its confirmation.
	step("publish",
		chromedp.Click(`a[href$="/publish"]`),
		pageLoaded(),
		chromedp.WaitVisible(`form[action$="/publish"] button`),
	)
	screenshot(t, ctx, "program-publish-1280")
	step("confirm", chromedp.Click(`form[action$="/publish"] button`))
	flash("published", "Published: 3 proposed partnerships")

	// A mentee finds the proposed partnership and its draft agreement.
	signInAs(t, ctx, e.srv.URL, "mia@acme.test", "another good password")
	step("mentee home", chromedp.WaitVisible(`a[href$="#h-agreement"]`), chromedp.Click(`a[href$="#h-agreement"]`),
		// The home's link opens the agreement tab itself (clicking the tab
		// again reloaded the same address, and the page was read while it
		// unloaded: an empty main, now and then).
		chromedp.Poll[chromedp.Void](`location.pathname.startsWith("/engagements/") && location.search.includes("tab=agreement") && document.readyState === "complete"`,
			chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.WaitVisible(`#h-agreement`))
	all := text(t, ctx, "main")
	for _, want := range []string{"Mia", "Spring cohort", "Every two weeks"} {
		if !strings.Contains(all, want) {
			t.Errorf("the mentee's partnership page lacks %q:\n%s", want, all)
		}
	}
	screenshot(t, ctx, "program-mentee-partnership-1280")
}
