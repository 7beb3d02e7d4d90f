package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDemoPersonas walks a demo as each of its personas: the demo page
// lists them with their parts, each signs in with the administrator's
// password, sees their own engagements at home and in their list, and
// finds someone else's engagement not found.
func TestDemoPersonas(t *testing.T) {
	e := newEnv(t)
	const pw = "correct horse battery"
	b := e.browser()
	r := b.post("/setup", url.Values{"org_name": {"Northwind"}, "name": {"Ada"}, "email": {"ada@northwind.test"},
		"password": {pw}, "demo": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("demo setup: %d\n%s", r.status, r.body)
	}
	if home := b.get("/"); !strings.Contains(home.body, `href="/demo"`) {
		t.Error("the demo home page does not lead to the personas")
	}
	page := b.get("/demo")
	if page.status != http.StatusOK {
		t.Fatalf("/demo: %d", page.status)
	}
	for _, state := range []string{"Enrolling", "Matching", "Running"} {
		if !strings.Contains(page.body, `">`+state+`</span></li>`) {
			t.Errorf("the demo page lists no program %s", strings.ToLower(state))
		}
	}
	rows := regexp.MustCompile(`<code>([^<]+)</code></td><td>([^<]*)</td>\s*<td>([^<]*)</td>`).FindAllStringSubmatch(page.body, -1)
	if len(rows) < 50 {
		t.Fatalf("%d personas on the demo page", len(rows))
	}
	all := engagementLinks(b.get("/engagements?all=1").body)
	for _, part := range []string{"coach in", "coachee in", "mentor in", "protégé in", "manager in", "runs 4 programs", "applied to"} {
		if !slices.ContainsFunc(rows, func(r []string) bool { return strings.Contains(r[3], part) }) {
			t.Errorf("no persona %s", part)
		}
	}
	for _, row := range rows {
		email, parts := row[1], row[3]
		if parts == "" {
			continue
		}
		pb := e.signIn(email, pw)
		home := pb.get("/")
		if home.status != http.StatusOK {
			t.Errorf("%s: home %d", email, home.status)
			continue
		}
		if strings.Contains(parts, "runs") {
			if got := pb.get("/programs"); !strings.Contains(got.body, "Mentoring for new managers") {
				t.Errorf("%s runs programs but does not see them: %d", email, got.status)
			}
		}
		if !strings.Contains(parts, " in ") {
			continue // in programs only: a program admin or an applicant
		}
		mine := engagementLinks(pb.get("/engagements").body)
		if len(mine) == 0 {
			t.Errorf("%s (%s) sees no engagements of their own", email, parts)
			continue
		}
		for _, id := range engagementLinks(home.body) {
			if !slices.Contains(mine, id) {
				t.Errorf("%s: home links to %s, not theirs", email, id)
			}
		}
		if got := pb.get("/engagements/" + mine[0]); got.status != http.StatusOK {
			t.Errorf("%s: their engagement %s: %d", email, mine[0], got.status)
		}
		// An administrator sees every engagement; anyone else only their own.
		for _, id := range all {
			if row[2] != "Administrator" && !slices.Contains(mine, id) {
				if got := pb.get("/engagements/" + id); got.status != http.StatusNotFound {
					t.Errorf("%s: someone else's engagement %s: %d, want 404", email, id, got.status)
				}
				break
			}
		}
	}
}

// engagementLinks returns the ids of the engagements a page links to, in
// order, once each.
func engagementLinks(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`href="/engagements/(\d+)"`).FindAllStringSubmatch(body, -1) {
		if !slices.Contains(ids, m[1]) {
			ids = append(ids, m[1])
		}
	}
	return ids
}
