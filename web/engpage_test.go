package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// duplicateIDs lists the element ids a page uses more than once.
func duplicateIDs(body string) []string {
	seen := map[string]int{}
	var dup []string
	for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
		seen[m[1]]++
		if seen[m[1]] == 2 {
			dup = append(dup, m[1])
		}
	}
	return dup
}

// TestEngagementPageStructure checks the engagement page in parts: an
// overview with what matters and the primary actions, one tab per part,
// each its own address, and ending behind a confirmation step.
func TestEngagementPageStructure(t *testing.T) {
	o := newSessionOrg(t)
	o.must(t, http.StatusCreated, "dev", "POST", o.base+"/sessions", map[string]any{"start": "2026-03-10T10:00:00Z", "minutes": 60, "place": "Room 1"})
	page := fmt.Sprintf("/engagements/%d", o.eng)

	r := o.b["dev"].get(page)
	for _, want := range []string{`id="h-overview"`, "Next session", "Tue 10 Mar 2026, 11:00–12:00", "Current goal", "version 1, in effect",
		`href="/engagements/1?tab=sessions"`, `href="/engagements/1?tab=goals"`, `href="/engagements/1?tab=agreement"`, `href="/engagements/1?tab=timeline"`,
		`aria-current="page">Overview`, "Schedule a session", "the coachee", "End early…"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the overview lacks %s", want)
		}
	}
	// The overview has no form that ends it, and no session, goal or
	// agreement form: those are on their tabs.
	for _, not := range []string{`action="/engagements/1/end"`, `id="h-sessions"`, `id="h-goals"`, `id="h-agreement"`, `id="h-timeline"`, "the coach or mentor"} {
		if strings.Contains(r.body, not) {
			t.Errorf("the overview has %s", not)
		}
	}
	for tab, want := range map[string]string{"sessions": `id="h-sessions"`, "goals": `id="h-goals"`, "agreement": `id="h-agreement"`, "timeline": `id="h-timeline"`} {
		r := o.b["dev"].get(page + "?tab=" + tab)
		if r.status != http.StatusOK || !strings.Contains(r.body, want) || !strings.Contains(r.body, `aria-current="page"`) {
			t.Errorf("tab %s: %d, lacks %s", tab, r.status, want)
		}
		if d := duplicateIDs(r.body); len(d) > 0 {
			t.Errorf("tab %s repeats ids %v", tab, d)
		}
	}
	// The agreement names parties as people say them, never "guide".
	if r := o.b["dev"].get(page + "?tab=agreement"); strings.Contains(r.body, "(guide)") || !strings.Contains(r.body, "Ops Two (coach)") {
		t.Errorf("the agreement's answers name the coach wrongly")
	}
	// The goal form's date picker has no "As YYYY-MM-DD" above it.
	if r := o.b["ops"].get(page + "?tab=goals"); strings.Contains(r.body, "As YYYY-MM-DD") || !strings.Contains(r.body, `type="date"`) {
		t.Errorf("the due date field still says As YYYY-MM-DD")
	}

	// Ending: a confirmation step first, and a problem with the reason is
	// said once, beside the field.
	end := o.b["dev"].get(page + "?tab=end")
	if !strings.Contains(end.body, "This cannot be undone") || !strings.Contains(end.body, "Yes, end it now") || !strings.Contains(end.body, "No, keep it") {
		t.Errorf("the confirmation step:\n%s", end.body)
	}
	if r := o.b["vp"].get(page + "?tab=end"); strings.Contains(r.body, `action="/engagements/1/end"`) {
		t.Errorf("the manager is offered to end it")
	}
	bad := o.b["dev"].post(page+"/end", url.Values{"reason": {""}})
	if bad.status == http.StatusSeeOther {
		t.Fatalf("ended without a reason")
	}
	if !strings.Contains(bad.body, `id="h-end"`) {
		t.Errorf("the error is not shown on the confirmation step:\n%s", bad.body)
	}
	if msg := regexp.MustCompile(`<p class="error"[^>]*>([^<]+)</p>`).FindStringSubmatch(bad.body); msg == nil || strings.Count(bad.body, msg[1]) != 1 {
		t.Errorf("the reason's problem is not said exactly once:\n%s", bad.body)
	}
	if r := o.b["dev"].post(page+"/end", url.Values{"reason": {"We are done"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != page {
		t.Errorf("end: %d %s", r.status, r.header.Get("Location"))
	}
}

// TestSkillsUniqueIDs: the catalogue repeats a rename form per skill; each
// input has its own id, so each label names its own input.
func TestSkillsUniqueIDs(t *testing.T) {
	e, b := engagementOrg(t)
	_ = e
	for _, name := range []string{"Rust", "SQL", "Design"} {
		if r := b["admin"].post("/skills", url.Values{"name": {name}}); r.status != http.StatusSeeOther {
			t.Fatalf("add %s: %d", name, r.status)
		}
	}
	r := b["admin"].get("/skills")
	if d := duplicateIDs(r.body); len(d) > 0 {
		t.Errorf("/skills repeats ids %v", d)
	}
	if strings.Count(r.body, `<label for="f-name-`) < 4 {
		t.Errorf("the rename fields have no ids of their own")
	}
}
