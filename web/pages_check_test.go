package web_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// checkedPage is one page the standards checks cover: its path, read as
// who (a key of nextFixture.b, or "" for someone not signed in), and the
// status it answers with.
type checkedPage struct {
	who, path string
	status    int
}

// checkFixture is nextFixture's organization with what the pages need
// beyond it: evaluations (the progress chart), a mentoring theme and a
// program run by Pam.
type checkFixture struct {
	*nextFixture
	program int64
	// cohort is a second program of Pam's, in matching with two runs
	// (optimal, then stable): Dev and Ops applied as mentees, the CEO and
	// Mia as mentors.
	cohort     int64
	runA, runB int64
}

func newCheckFixture(t *testing.T) *checkFixture {
	t.Helper()
	f := &checkFixture{nextFixture: newNextFixture(t)}
	evaluations := fmt.Sprintf("/api/v1/engagements/%d/evaluations", f.coaching)
	var out map[string]any
	for _, c := range []struct{ who, path, body string }{
		{"ceo", evaluations, `{"level":1,"evidence":"Seen in a review"}`},
		{"ceo", evaluations, `{"level":2,"evidence":"Led one alone"}`},
		{"admin", "/api/v1/programs", `{"name":"Spring mentoring","admin_emails":["pam@acme.test"]}`},
	} {
		var st int
		if st, out, _ = f.e.api("POST", c.path, f.tok[c.who], c.body); st != http.StatusCreated {
			t.Fatalf("%s POST %s: %d %v", c.who, c.path, st, out)
		}
	}
	f.program = int64(out["id"].(float64)) // the last answer: the program
	f.cohort, f.runA, f.runB = f.cohortInMatching(t)
	return f
}

// cohortInMatching makes, through the API as each person, a program in
// matching with one question and two runs, and returns their ids.
func (f *checkFixture) cohortInMatching(t *testing.T) (program, runA, runB int64) {
	t.Helper()
	call := func(who, method, path, body string, want int) map[string]any {
		st, out, _ := f.e.api(method, path, f.tok[who], body)
		if st != want {
			t.Fatalf("%s %s %s: %d %v", who, method, path, st, out)
		}
		return out
	}
	out := call("admin", "POST", "/api/v1/programs", `{"name":"Autumn cohort","admin_emails":["pam@acme.test"],"areas":["career"]}`, http.StatusCreated)
	program = int64(out["id"].(float64))
	base := fmt.Sprintf("/api/v1/programs/%d", program)
	out = call("pam", "POST", base+"/questions", `{"type":"single","label":"Track","options":["Build","Sell"],"required":true,"rule":"same","weight":3}`, http.StatusCreated)
	track := fmt.Sprint(out["id"].(float64))
	call("pam", "POST", base+"/state", `{"state":"enrolling"}`, http.StatusOK)
	for _, a := range []struct{ who, role, capacity, track string }{
		{"dev", "mentee", "", "Build"}, {"ops", "mentee", "", "Sell"}, {"ceo", "mentor", `"capacity":1,`, "Build"}, {"mia", "mentor", `"capacity":2,`, "Sell"},
	} {
		call(a.who, "POST", base+"/application", fmt.Sprintf(`{"role":%q,%s"answers":{%q:{"choices":[%q]}}}`, a.role, a.capacity, track, a.track), http.StatusCreated)
	}
	out = call("pam", "GET", base+"/applications", "", http.StatusOK)
	for _, ap := range out["applications"].([]any) {
		call("pam", "POST", fmt.Sprintf("%s/applications/%v/decision", base, ap.(map[string]any)["id"]), `{"decision":"approve"}`, http.StatusOK)
	}
	call("pam", "POST", base+"/state", `{"state":"matching"}`, http.StatusOK)
	runID := func(out map[string]any) int64 { return int64(out["run"].(map[string]any)["id"].(float64)) }
	runA = runID(call("pam", "POST", base+"/runs", `{"mode":"optimal"}`, http.StatusCreated))
	runB = runID(call("pam", "POST", base+"/runs", `{"mode":"stable"}`, http.StatusCreated))
	return program, runA, runB
}

// checkedPages lists the pages that the Nu HTML Checker (in .ci/run) and
// the checks here go over: every role's home page, engagement pages of
// both kinds with each tab, programs, the directory, skills, the
// administration, the account, sign-in and errors. Add a new page here
// and both checks cover it.
func (f *checkFixture) checkedPages() []checkedPage {
	coaching, mentoring := fmt.Sprintf("/engagements/%d", f.coaching), fmt.Sprintf("/engagements/%d", f.mentor)
	program, cohort := fmt.Sprintf("/programs/%d", f.program), fmt.Sprintf("/programs/%d", f.cohort)
	dev := f.ids["dev@acme.test"]
	pages := []checkedPage{
		// Not signed in, and errors.
		{"", "/signin", 200}, {"", "/forgot", 200}, {"", "/reset/no-such-token", 200}, {"", "/invitations/no-such-token", 200},
		{"", "/no-such-page", 404}, {"dev", "/admin/members", 403}, {"dev", "/engagements/999999", 404},
		// Every role's home.
		{"admin", "/", 200}, {"pam", "/", 200}, {"ceo", "/", 200}, {"mia", "/", 200}, {"dev", "/", 200}, {"vp", "/", 200}, {"ops", "/", 200},
		// Engagements, the proposal form and the picker.
		{"dev", "/engagements", 200}, {"admin", "/engagements?all=1", 200},
		{"dev", "/engagements/new?kind=coaching", 200}, {"dev", "/engagements/new?kind=mentoring", 200},
		{"dev", "/engagements/candidates?kind=mentoring&role=guide&q=mi", 200},
		{"ceo", fmt.Sprintf("%s/sessions/%d", coaching, f.session), 200},
		{"vp", coaching, 200}, {"vp", mentoring, 200},
		// Programs.
		{"dev", "/programs", 200}, {"admin", "/programs/new", 200}, {"pam", program, 200},
		{"pam", program + "/edit", 200}, {"pam", program + "/questions", 200}, {"pam", program + "/applications", 200},
		{"pam", program + "/invitations", 200}, {"pam", cohort, 200}, {"dev", cohort, 200}, {"mia", cohort, 200},
		{"pam", cohort + "/matching", 200}, {"pam", fmt.Sprintf("%s/runs/%d", cohort, f.runA), 200},
		{"pam", fmt.Sprintf("%s/runs/%d?sort=mentee&q=dev", cohort, f.runB), 200},
		{"pam", fmt.Sprintf("%s/compare?a=%d&b=%d", cohort, f.runA, f.runB), 200},
		{"pam", fmt.Sprintf("%s/runs/%d/publish", cohort, f.runA), 200}, {"pam", cohort + "/applications", 200},
		{"pam", program + "/partnerships", 200},
		// People and skills.
		{"dev", "/people", 200}, {"dev", fmt.Sprintf("/people/%d", dev), 200}, {"dev", fmt.Sprintf("/people/%d/chart", dev), 200},
		{"admin", fmt.Sprintf("/people/%d/edit", dev), 200}, {"admin", fmt.Sprintf("/people/%d/deactivate", dev), 200},
		{"dev", "/skills", 200}, {"admin", "/skills", 200},
		// The account.
		{"dev", "/account", 200}, {"dev", "/account/password", 200}, {"dev", "/account/tokens", 200},
		{"dev", "/account/notifications", 200}, {"dev", "/account/calendar", 200}, {"dev", "/notifications", 200}, {"dev", "/actions", 200},
		{"dev", "/articles", 200}, {"ceo", "/articles/new", 200},
		// Administration.
		{"admin", "/admin/members", 200}, {"admin", "/admin/import", 200}, {"admin", "/admin/invitations", 200},
		{"admin", "/admin/mail", 200}, {"admin", "/admin/jobs", 200}, {"admin", "/admin/settings", 200}, {"admin", "/admin/rubric", 200},
		{"admin", "/admin/subscribers", 200}, {"", "/signin", 200}, {"", "/no-such-page", 404}, {"dev", "/admin/members", 403}, {"admin", "/admin/digest", 200},
	}
	// Every tab of an engagement of each kind, as each party sees it.
	for _, tab := range []string{"", "?tab=sessions", "?tab=goals", "?tab=agreement", "?tab=timeline", "?tab=end"} {
		pages = append(pages, checkedPage{"dev", coaching + tab, 200}, checkedPage{"ceo", coaching + tab, 200},
			checkedPage{"dev", mentoring + tab, 200}, checkedPage{"mia", mentoring + tab, 200})
	}
	return pages
}

// accessiblePages lists the pages the browser checks with axe-core, at
// 1280 and 390 px (TestBrowserAccessibility): every role's home page, an
// engagement of each kind as its learner sees it, the proposal form, the
// picker, the pages with the widest tables, sign-in and errors. Add a page here and it is checked at both widths.
func (f *checkFixture) accessiblePages() []checkedPage {
	coaching, mentoring := fmt.Sprintf("/engagements/%d", f.coaching), fmt.Sprintf("/engagements/%d", f.mentor)
	cohort := fmt.Sprintf("/programs/%d", f.cohort)
	return []checkedPage{
		{"pam", cohort + "/matching", 200}, {"pam", fmt.Sprintf("%s/runs/%d", cohort, f.runA), 200},
		{"pam", fmt.Sprintf("%s/compare?a=%d&b=%d", cohort, f.runA, f.runB), 200}, {"pam", cohort + "/invitations", 200},
		{"admin", "/", 200}, {"admin", "/engagements?all=1", 200}, {"admin", "/admin/members", 200}, {"admin", "/admin/invitations", 200},
		{"admin", "/admin/subscribers", 200}, {"", "/signin", 200}, {"", "/no-such-page", 404}, {"dev", "/admin/members", 403},
		{"pam", "/", 200}, {"ceo", "/", 200}, {"mia", "/", 200}, {"vp", "/", 200},
		{"dev", "/", 200}, {"dev", "/people", 200}, {"dev", "/skills", 200}, {"dev", coaching, 200}, {"dev", coaching + "?tab=goals", 200},
		{"dev", mentoring, 200}, {"dev", mentoring + "?tab=goals", 200},
		{"dev", "/engagements/new?kind=mentoring", 200}, {"dev", "/engagements/candidates?kind=mentoring&role=guide&q=mi", 200},
		{"pam", fmt.Sprintf("/programs/%d/partnerships", f.program), 200},
	}
}

// pageFileName turns who and a path into a file name.
var notInName = regexp.MustCompile(`[^A-Za-z0-9]+`)

func pageFileName(p checkedPage) string {
	who := p.who
	if who == "" {
		who = "anonymous"
	}
	return who + "-" + pageName(p.path) + ".html"
}

// pageName turns a path into a name for a file: /engagements/3?tab=goals
// becomes engagements-3-tab-goals, / becomes home.
func pageName(path string) string {
	if name := strings.Trim(notInName.ReplaceAllString(path, "-"), "-"); name != "" {
		return name
	}
	return "home"
}

// TestRenderedPages reads every checked page as its viewer and writes the
// HTML among the test's artifacts, where .ci/run has the Nu HTML Checker
// go over all of them (go test -artifacts -outputdir keeps them). Here it
// checks what needs no validator: the status, and no id used twice.
func TestRenderedPages(t *testing.T) {
	f := newCheckFixture(t)
	anonymous := f.e.browser()
	dir := t.ArtifactDir()
	for _, p := range f.checkedPages() {
		b := anonymous
		if p.who != "" {
			b = f.b[p.who]
		}
		r := b.get(p.path)
		if r.status != p.status {
			t.Errorf("%s as %q: status %d, want %d", p.path, p.who, r.status, p.status)
			continue
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s as %q: Content-Type %q", p.path, p.who, r.header.Get("Content-Type"))
			continue
		}
		if ids := duplicateIDs(r.body); len(ids) > 0 {
			t.Errorf("%s as %q: ids used twice: %v", p.path, p.who, ids)
		}
		if err := os.WriteFile(filepath.Join(dir, pageFileName(p)), []byte(r.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
