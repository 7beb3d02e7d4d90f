package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The goal routes are engagement actions too: the engagement tests'
// "other member gets 404 for every action" tries them with these bodies
// ({goal} stays unreadable: the engagement's 404 must come first).
func init() {
	for route, body := range map[string]any{
		"POST /api/v1/engagements/{id}/goals":                map[string]any{"title": "x", "measure": "m", "baseline": "0", "target": "1", "due": "2026-05-01"},
		"POST /api/v1/engagements/{id}/goals/{goal}/updates": map[string]any{"value": "1"},
		"POST /api/v1/engagements/{id}/evaluations":          map[string]any{"level": 2, "evidence": "x"},
		"POST /api/v1/engagements/{id}/themes":               map[string]any{"area": "career", "title": "x"},
		"POST /api/v1/engagements/{id}/reflections":          map[string]any{"body": "x"},
	} {
		actionBodies[route] = body
	}
}

func goalBody(title string) map[string]any {
	return map[string]any{"title": title, "measure": "incident reviews led alone", "baseline": "0", "target": "3", "due": "2026-05-01"}
}

// keysOf lists the members of an answer, sorted.
func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestGoalsMatrixAPI tries every viewer of the visibility matrix on the
// goals section of both kinds: coaching goals and evaluations for the
// partners, the manager and a successor coach; mentoring themes,
// reflections and learnings for the partners only; program admins and
// administrators never; anyone else 404.
func TestGoalsMatrixAPI(t *testing.T) {
	o := newEngOrg(t)
	c1 := o.propose("lee", o.coachingBody("lee", "coach", "Go"))
	o.agree(c1, "lee", "coach", "boss")
	v := o.must(http.StatusCreated, "coach", "POST", engPath(c1, "/goals"), goalBody("Lead a review"))
	g1 := int64(v["current_goal_id"].(float64))
	o.must(http.StatusCreated, "lee", "POST", engPath(c1, fmt.Sprintf("/goals/%d/updates", g1)), map[string]any{"value": "1", "note": "Led Tuesday's"})
	v = o.must(http.StatusCreated, "coach", "POST", engPath(c1, fmt.Sprintf("/goals/%d/updates", g1)), map[string]any{"value": "3", "reached": true})
	if v["current_goal_id"] != nil || v["needs_next_goal"] != true {
		t.Fatalf("after the goal is reached: %v", v)
	}
	v = o.must(http.StatusCreated, "coach", "POST", engPath(c1, "/goals"), goalBody("Lead two reviews"))
	goals := v["goals"].([]any)
	if len(goals) != 2 || goals[1].(map[string]any)["previous_goal_id"] != float64(g1) || v["needs_next_goal"] != false {
		t.Fatalf("the chain: %v", v)
	}
	o.must(http.StatusCreated, "coach", "POST", engPath(c1, "/evaluations"), map[string]any{"level": 2, "evidence": "Ran the review with help"})
	o.must(http.StatusOK, "lee", "POST", engPath(c1, "/end"), map[string]any{"reason": "Moving on"})
	c2 := o.propose("lee", o.coachingBody("lee", "next", "Go"))
	o.must(http.StatusOK, "lee", "PUT", engPath(c2, "/share-history"), map[string]any{"share": true})

	m1 := o.propose("lee", o.mentoringBody("lee", "mentor"))
	o.agree(m1, "lee", "mentor", "boss")
	v = o.must(http.StatusCreated, "mentor", "POST", engPath(m1, "/themes"), map[string]any{"area": "career", "title": "Speaking up"})
	theme := v["themes"].([]any)[0].(map[string]any)["id"]
	o.must(http.StatusCreated, "lee", "POST", engPath(m1, "/reflections"), map[string]any{"theme_id": theme, "body": "I spoke first today"})
	o.must(http.StatusCreated, "mentor", "POST", engPath(m1, "/reflections"), map[string]any{"body": "Lee asks sharper questions"})
	o.must(http.StatusCreated, "mentor", "POST", engPath(m1, "/items"), map[string]any{"kind": "learned", "body": "How Lee runs retros"})

	base := []string{"engagement_id", "kind", "viewer"}
	coaching := append([]string{"current_goal_id", "evaluations", "goals", "needs_next_goal", "rubric"}, base...)
	mentoring := append([]string{"learnings", "reflections", "themes"}, base...)
	sort.Strings(coaching)
	sort.Strings(mentoring)
	for _, tc := range []struct {
		id    int64
		who   string
		want  []string // nil: 404
		timel []string // goal events the timeline shows
	}{
		{c1, "lee", coaching, []string{"evaluated", "goal_reached", "goal_set"}},
		{c1, "coach", coaching, []string{"evaluated", "goal_reached", "goal_set"}},
		{c1, "boss", coaching, []string{"evaluated", "goal_reached", "goal_set"}},
		{c1, "next", coaching, []string{"evaluated", "goal_reached", "goal_set"}},
		{c1, "prog", base, nil},
		{c1, "ada", base, nil},
		{c1, "other", nil, nil},
		{c1, "mentor", nil, nil},
		{m1, "lee", mentoring, []string{"reflected", "theme_added"}},
		{m1, "mentor", mentoring, []string{"reflected", "theme_added"}},
		{m1, "boss", base, nil},
		{m1, "prog", base, nil},
		{m1, "ada", base, nil},
		{m1, "other", nil, nil},
		{m1, "next", nil, nil},
	} {
		t.Run(fmt.Sprintf("%d/%s", tc.id, tc.who), func(t *testing.T) {
			st, out := o.call(tc.who, "GET", engPath(tc.id, "/goals"), nil)
			if tc.want == nil {
				_, missing := o.call(tc.who, "GET", engPath(999999, "/goals"), nil)
				if st != http.StatusNotFound || out["detail"] != missing["detail"] {
					t.Fatalf("%d %v; want the 404 of a missing engagement %v", st, out, missing)
				}
				return
			}
			if st != http.StatusOK {
				t.Fatalf("%d %v", st, out)
			}
			if got := keysOf(out); !slices.Equal(got, tc.want) {
				t.Errorf("members %v, want %v", got, tc.want)
			}
			if tc.id == c1 && out["goals"] != nil {
				if gs := out["goals"].([]any); len(gs) != 2 || len(gs[0].(map[string]any)["updates"].([]any)) != 2 {
					t.Errorf("goals %v", gs)
				}
				if evs := out["evaluations"].([]any); len(evs) != 1 || evs[0].(map[string]any)["level_name"] != "Beginner" {
					t.Errorf("evaluations %v", evs)
				}
			}
			if tc.id == m1 && out["themes"] != nil {
				th := out["themes"].([]any)[0].(map[string]any)
				if th["reflections"] != float64(1) || th["last_revisited"] == nil || len(out["reflections"].([]any)) != 2 || len(out["learnings"].([]any)) != 1 {
					t.Errorf("mentoring section %v", out)
				}
			}
			// The timeline follows the same matrix.
			view := o.must(http.StatusOK, tc.who, "GET", engPath(tc.id, ""), nil)
			var seen []string
			for _, ev := range view["timeline"].([]any) {
				typ := ev.(map[string]any)["type"].(string)
				switch typ {
				case "goal_set", "goal_reached", "evaluated", "theme_added", "reflected":
					if !slices.Contains(seen, typ) {
						seen = append(seen, typ)
					}
				}
			}
			sort.Strings(seen)
			if !slices.Equal(seen, tc.timel) {
				t.Errorf("timeline goal events %v, want %v", seen, tc.timel)
			}
		})
	}
}

// TestGoalRulesAPI tries the rules and the bad input: each refusal is a
// clear field error and changes nothing.
func TestGoalRulesAPI(t *testing.T) {
	o := newEngOrg(t)
	c := o.propose("lee", o.coachingBody("lee", "coach", "Go"))
	o.agree(c, "lee", "coach", "boss")
	m := o.propose("lee", o.mentoringBody("lee", "mentor"))
	o.agree(m, "lee", "mentor", "boss")
	before := o.must(http.StatusOK, "coach", "GET", engPath(c, "/goals"), nil)

	refuse := func(who, method, path string, body any, status int, field string) {
		t.Helper()
		st, p := o.call(who, method, path, body)
		if st != status {
			t.Errorf("%s %s as %s: %d %v, want %d", method, path, who, st, p, status)
			return
		}
		if field != "" {
			errs, _ := p["errors"].(map[string]any)
			if errs[field] == nil {
				t.Errorf("%s %s as %s: no field error on %s: %v", method, path, who, field, p)
			}
		}
	}
	noMeasure := goalBody("x")
	delete(noMeasure, "measure")
	refuse("coach", "POST", engPath(c, "/goals"), noMeasure, http.StatusUnprocessableEntity, "measure")
	badDue := goalBody("x")
	badDue["due"] = "next Friday"
	refuse("coach", "POST", engPath(c, "/goals"), badDue, http.StatusUnprocessableEntity, "due")
	refuse("lee", "POST", engPath(c, "/goals"), goalBody("x"), http.StatusForbidden, "")
	refuse("boss", "POST", engPath(c, "/goals"), goalBody("x"), http.StatusForbidden, "")
	refuse("mentor", "POST", engPath(m, "/goals"), goalBody("x"), http.StatusUnprocessableEntity, "")
	refuse("coach", "POST", engPath(c, "/evaluations"), map[string]any{"level": 9, "evidence": "x"}, http.StatusUnprocessableEntity, "level")
	refuse("coach", "POST", engPath(c, "/evaluations"), map[string]any{"evidence": "x"}, http.StatusUnprocessableEntity, "level")
	refuse("lee", "POST", engPath(c, "/evaluations"), map[string]any{"level": 2, "evidence": "x"}, http.StatusForbidden, "")
	refuse("lee", "POST", engPath(m, "/themes"), map[string]any{"area": "nowhere", "title": "x"}, http.StatusUnprocessableEntity, "area")
	refuse("lee", "POST", engPath(m, "/reflections"), map[string]any{"body": " "}, http.StatusUnprocessableEntity, "body")
	refuse("boss", "POST", engPath(m, "/reflections"), map[string]any{"body": "x"}, http.StatusForbidden, "")
	if after := o.must(http.StatusOK, "coach", "GET", engPath(c, "/goals"), nil); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refusals changed the goals:\n%v\n%v", before, after)
	}

	v := o.must(http.StatusCreated, "coach", "POST", engPath(c, "/goals"), goalBody("Lead a review"))
	g := int64(v["current_goal_id"].(float64))
	refuse("coach", "POST", engPath(c, "/goals"), goalBody("Another"), http.StatusConflict, "")
	refuse("lee", "POST", engPath(c, fmt.Sprintf("/goals/%d/updates", g)), map[string]any{"value": "3", "reached": true}, http.StatusForbidden, "")
	refuse("boss", "POST", engPath(c, fmt.Sprintf("/goals/%d/updates", g)), map[string]any{"value": "1"}, http.StatusForbidden, "")
	refuse("lee", "POST", engPath(c, "/goals/999999/updates"), map[string]any{"value": "1"}, http.StatusNotFound, "")
	o.must(http.StatusCreated, "coach", "POST", engPath(c, fmt.Sprintf("/goals/%d/updates", g)), map[string]any{"value": "3", "reached": true})
	refuse("lee", "POST", engPath(c, fmt.Sprintf("/goals/%d/updates", g)), map[string]any{"value": "4"}, http.StatusUnprocessableEntity, "goal")

	// An ended engagement is read-only.
	o.must(http.StatusOK, "lee", "POST", engPath(c, "/end"), map[string]any{"reason": "Done"})
	before = o.must(http.StatusOK, "coach", "GET", engPath(c, "/goals"), nil)
	refuse("coach", "POST", engPath(c, "/goals"), goalBody("Late"), http.StatusUnprocessableEntity, "")
	refuse("coach", "POST", engPath(c, "/evaluations"), map[string]any{"level": 2, "evidence": "x"}, http.StatusUnprocessableEntity, "")
	if after := o.must(http.StatusOK, "coach", "GET", engPath(c, "/goals"), nil); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("an ended engagement changed")
	}

	t.Run("Rubric", func(t *testing.T) {
		own := map[string]any{"levels": []map[string]any{{"name": "Learning", "description": "With help"}, {"name": "Doing", "description": "Alone"},
			{"name": "Teaching", "description": "Shows others"}}}
		refuse("coach", "PUT", "/api/v1/rubric", own, http.StatusForbidden, "")
		refuse("ada", "PUT", "/api/v1/rubric", map[string]any{"levels": []map[string]any{{"name": "Only", "description": "x"}}}, http.StatusUnprocessableEntity, "levels")
		if r := o.must(http.StatusOK, "ada", "PUT", "/api/v1/rubric", own); r["custom"] != true || len(r["levels"].([]any)) != 3 {
			t.Errorf("rubric %v", r)
		}
		if r := o.must(http.StatusOK, "lee", "GET", "/api/v1/rubric", nil); len(r["levels"].([]any)) != 3 {
			t.Errorf("the rubric as a member reads it: %v", r)
		}
		c2 := o.propose("lee", o.coachingBody("lee", "coach", "Facilitation"))
		o.agree(c2, "lee", "coach", "boss")
		refuse("coach", "POST", engPath(c2, "/evaluations"), map[string]any{"level": 4, "evidence": "x"}, http.StatusUnprocessableEntity, "level")
		o.must(http.StatusCreated, "coach", "POST", engPath(c2, "/evaluations"), map[string]any{"level": 3, "evidence": "Taught Sam"})
		if r := o.must(http.StatusOK, "ada", "PUT", "/api/v1/rubric", map[string]any{"levels": []any{}}); r["custom"] != false || len(r["levels"].([]any)) != 5 {
			t.Errorf("reset rubric %v", r)
		}
	})
}

// TestGoalsPage drives the section of the engagement page: the goal form
// with its errors, the "no current goal" notice, the chart with its table,
// both sides of a partnership, and the rubric page.
func TestGoalsPage(t *testing.T) {
	o := newEngOrg(t)
	coach := o.e.signIn("coach@acme.test", "another good password")
	lee := o.e.signIn("lee@acme.test", "another good password")
	prog := o.e.signIn("prog@acme.test", "another good password")
	c := o.propose("lee", o.coachingBody("lee", "coach", "Go"))
	o.agree(c, "lee", "coach", "boss")
	page := fmt.Sprintf("/engagements/%d", c)

	r := coach.post(page+"/goals", formOf("title", "Lead a review", "measure", "", "baseline", "0", "target", "3", "due", "soon"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "a goal without a measure cannot be reached") || !strings.Contains(r.body, "YYYY-MM-DD") {
		t.Fatalf("bad goal: %d\n%s", r.status, r.body)
	}
	if r := coach.post(page+"/goals", formOf("title", "Lead a review", "measure", "reviews led", "baseline", "0", "target", "3", "due", "2026-05-01")); r.status != http.StatusSeeOther {
		t.Fatalf("set goal: %d\n%s", r.status, r.body)
	}
	if r := lee.get(page + "?tab=goals"); !strings.Contains(r.body, "Current goal: Lead a review") || strings.Contains(r.body, "The goal is reached") {
		t.Errorf("the coachee's page: current goal shown, no 'reached' box:\n%s", r.body)
	}
	v := o.must(http.StatusOK, "coach", "GET", engPath(c, "/goals"), nil)
	g := int64(v["current_goal_id"].(float64))
	if r := coach.post(fmt.Sprintf("%s/goals/%d/updates", page, g), formOf("value", "3", "reached", "1")); r.status != http.StatusSeeOther {
		t.Fatalf("reached: %d\n%s", r.status, r.body)
	}
	if r := coach.get(page + "?tab=goals"); !strings.Contains(r.body, "No current goal.") || !strings.Contains(r.body, "Set the next goal") {
		t.Errorf("after reaching the goal the page does not ask for the next")
	}
	if r := coach.post(page+"/evaluations", formOf("level", "7", "evidence", "x")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose a level of the rubric") {
		t.Errorf("level outside the rubric: %d", r.status)
	}
	for _, lvl := range []string{"1", "3"} {
		if r := coach.post(page+"/evaluations", formOf("level", lvl, "evidence", "Seen in the review")); r.status != http.StatusSeeOther {
			t.Fatalf("evaluate: %d\n%s", r.status, r.body)
		}
	}
	r = lee.get(page + "?tab=goals")
	for _, want := range []string{`role="img"`, "<title id=\"progress-", "<desc id=\"progress-", "<caption>Evaluations of Lee Learner in Go</caption>", "Intermediate (3 of 5)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the coachee's page lacks %s", want)
		}
	}
	if r := prog.get(page + "?tab=goals"); r.status != http.StatusOK || strings.Contains(r.body, "Lead a review") || strings.Contains(r.body, "h-evaluations") {
		t.Errorf("the program admin sees goals or evaluations: %d", r.status)
	}

	m := o.propose("lee", o.mentoringBody("lee", "mentor"))
	o.agree(m, "lee", "mentor", "boss")
	mentor := o.e.signIn("mentor@acme.test", "another good password")
	mpage := fmt.Sprintf("/engagements/%d", m)
	if r := mentor.post(mpage+"/themes", formOf("area", "career", "title", "Speaking up")); r.status != http.StatusSeeOther {
		t.Fatalf("theme: %d\n%s", r.status, r.body)
	}
	lee.post(mpage+"/reflections", formOf("body", "I spoke first today"))
	mentor.post(mpage+"/items", formOf("kind", "learned", "body", "How Lee runs retros"))
	r = lee.get(mpage + "?tab=goals")
	for _, want := range []string{"Development themes", "Speaking up", "revisited", "Reflections and learning: both sides", "I spoke first today", "Learned from Lee Learner"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the partnership page lacks %q", want)
		}
	}

	admin := o.e.signIn("ada@acme.test", "correct horse battery")
	if r := admin.get("/admin/members"); !strings.Contains(r.body, `href="/admin/rubric"`) {
		t.Error("no link to the rubric from the members page")
	}
	if r := admin.get("/admin/rubric"); r.status != http.StatusOK || !strings.Contains(r.body, "Novice") {
		t.Errorf("rubric page: %d", r.status)
	}
	if r := admin.post("/admin/rubric", formOf("name", "Only one", "description", "x")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at least two levels") {
		t.Errorf("a one-level rubric: %d", r.status)
	}
	if r := lee.get("/admin/rubric"); r.status != http.StatusForbidden {
		t.Errorf("a member on the rubric page: %d", r.status)
	}
}
