package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/tandemtest"
)

// engOrg is the organization of the engagement API tests, built the way
// an administrator would: setup, a CSV import with reporting lines, then
// invitations so each person can sign in and make an API token.
//
//	Ada (administrator)
//	  └ Bo Boss ─ Lee Learner
//	Cat Coach, Max Mentor, Sam Next (a later coach), Oz Other: members
//	outside Lee's chain; Pat Prog: a program admin.
type engOrg struct {
	t     *testing.T
	e     *env
	tok   map[string]string // API token by short name
	id    map[string]int64  // person id by short name
	skill map[string]int64  // catalogue skill id by name
}

var engCSV = tandemtest.CSV(
	"email,name,title,manager_email,skills,coach_skills",
	"boss@acme.test,Bo Boss,Head of Platform,ada@acme.test,Leadership:advanced,",
	"lee@acme.test,Lee Learner,Engineer,boss@acme.test,Go:novice;Facilitation:novice,",
	"coach@acme.test,Cat Coach,Staff Engineer,,Go:expert;Facilitation:expert,Go;Facilitation",
	"mentor@acme.test,Max Mentor,Principal Engineer,,Leadership:expert,",
	"next@acme.test,Sam Next,Staff Engineer,,Go:expert,Go",
	"other@acme.test,Oz Other,Engineer,,Go:beginner,",
	"prog@acme.test,Pat Prog,People Partner,,,",
)

func newEngOrg(t *testing.T) *engOrg {
	t.Helper()
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	if r := admin.upload("/admin/import", "people.csv", engCSV); r.status != http.StatusOK {
		t.Fatalf("import: %d\n%s", r.status, r.body)
	}
	o := &engOrg{t: t, e: e, tok: map[string]string{"ada": admin.token("ada")}, id: map[string]int64{}, skill: map[string]int64{}}
	for _, p := range []struct{ short, name, role string }{{"boss", "Bo Boss", "member"}, {"lee", "Lee Learner", "member"},
		{"coach", "Cat Coach", "member"}, {"mentor", "Max Mentor", "member"}, {"next", "Sam Next", "member"},
		{"other", "Oz Other", "member"}, {"prog", "Pat Prog", "program_admin"}} {
		o.tok[p.short] = admin.invite(p.short+"@acme.test", p.name, p.role).token(p.short)
	}
	for email, id := range e.personIDs(o.tok["ada"]) {
		o.id[strings.TrimSuffix(email, "@acme.test")] = id
	}
	_, sk, _ := e.api("GET", "/api/v1/skills", o.tok["ada"], "")
	for _, s := range sk["skills"].([]any) {
		m := s.(map[string]any)
		o.skill[m["name"].(string)] = int64(m["id"].(float64))
	}
	if o.skill["Go"] == 0 || o.id["lee"] == 0 || o.id["prog"] == 0 {
		t.Fatalf("org: people %v skills %v", o.id, o.skill)
	}
	return o
}

// call sends a JSON body (a string, or anything json.Marshal takes) as the
// named person.
func (o *engOrg) call(who, method, path string, body any) (int, map[string]any) {
	o.t.Helper()
	var s string
	switch b := body.(type) {
	case nil:
	case string:
		s = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			o.t.Fatal(err)
		}
		s = string(j)
	}
	st, out, _ := o.e.api(method, path, o.tok[who], s)
	return st, out
}

// must is call for a step that has to succeed with the status.
func (o *engOrg) must(want int, who, method, path string, body any) map[string]any {
	o.t.Helper()
	st, out := o.call(who, method, path, body)
	if st != want {
		o.t.Fatalf("%s %s as %s: %d, want %d: %v", method, path, who, st, want, out)
	}
	return out
}

func engPath(id int64, rest string) string { return fmt.Sprintf("/api/v1/engagements/%d%s", id, rest) }

func agreementBody() map[string]any {
	return map[string]any{"outcomes": []string{"Lead an incident review calmly"}, "cadence": "Every two weeks", "channels": "Video",
		"confidentiality": "What we discuss stays between us", "review_method": "Monthly check",
		"exit_terms": "Either may end it after a talk", "start": "2026-03-02", "end": "2026-06-01", "evaluation_method": "Rubric with examples"}
}

func (o *engOrg) coachingBody(learner, guide, skill string) map[string]any {
	return map[string]any{"kind": "coaching", "learner_id": o.id[learner], "guide_id": o.id[guide], "skill_id": o.skill[skill],
		"setting": "Online", "agreement": agreementBody()}
}

func (o *engOrg) mentoringBody(learner, guide string) map[string]any {
	return map[string]any{"kind": "mentoring", "learner_id": o.id[learner], "guide_id": o.id[guide], "agreement": agreementBody()}
}

// propose proposes as who and returns the new engagement's id.
func (o *engOrg) propose(who string, body map[string]any) int64 {
	o.t.Helper()
	out := o.must(http.StatusCreated, who, "POST", "/api/v1/engagements", body)
	return int64(out["id"].(float64))
}

// agree has each named party agree to the current version.
func (o *engOrg) agree(id int64, who ...string) map[string]any {
	o.t.Helper()
	var out map[string]any
	for _, w := range who {
		v := o.must(http.StatusOK, w, "GET", engPath(id, ""), nil)
		out = o.must(http.StatusOK, w, "POST", engPath(id, "/responses"), map[string]any{"version": v["current_version"], "agreed": true})
	}
	return out
}

// facetsOf returns the facets of the events in a view's timeline.
func facetsOf(v map[string]any) []string {
	seen := map[string]bool{}
	for _, ev := range v["timeline"].([]any) {
		seen[ev.(map[string]any)["facet"].(string)] = true
	}
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// cell is one row of the visibility matrix for one engagement: what one
// viewer gets from GET /api/v1/engagements/{id}. Shared notes, private
// notes, evaluations and reflections are built in a later issue; when they
// are, they become fields here (sharedNotes, privateNotes, evaluations,
// reflections) and every row below states them, so no cell goes untried.
type cell struct {
	who       string
	viewer    tandem.Viewer // ViewerNone: not part of it, 404
	agreement bool          // "agreement" and "waiting_for"
	timeline  []string      // the facets of the timeline's events, exactly
	phase     bool          // phase history: "phase" and phase events
	agenda    bool          // agenda items and learnings
}

// checkCell GETs the engagement as the cell's viewer and checks that
// exactly the cell's members are present, and that the table agrees with
// the domain's matrix (tandem.Can).
func (o *engOrg) checkCell(t *testing.T, kind tandem.Kind, id int64, c cell) {
	t.Helper()
	st, v := o.call(c.who, "GET", engPath(id, ""), nil)
	if c.viewer == tandem.ViewerNone {
		_, missing := o.call(c.who, "GET", engPath(999999, ""), nil)
		if st != http.StatusNotFound || v["detail"] != missing["detail"] {
			t.Fatalf("%s: %d %v; want the same 404 as a missing engagement: %v", c.who, st, v, missing)
		}
		return
	}
	if st != http.StatusOK {
		t.Fatalf("%s: %d %v", c.who, st, v)
	}
	for f, want := range map[tandem.Facet]bool{tandem.FacetStatus: true, tandem.FacetAgreement: c.agreement,
		tandem.FacetPhaseHistory: c.phase && kind == tandem.Mentoring, tandem.FacetAgenda: c.agenda} {
		if got := tandem.Can(kind, c.viewer, f); got != want {
			t.Errorf("the test table says %s sees %s of %s: %v; tandem.Can says %v", c.viewer, f, kind, want, got)
		}
	}
	if v["viewer"] != string(c.viewer) {
		t.Errorf("%s: viewer %v, want %s", c.who, v["viewer"], c.viewer)
	}
	if v["status"] == nil || v["status"] == "" || v["learner"] == nil || v["guide"] == nil || v["created_at"] == nil {
		t.Errorf("%s does not see status and parties: %v", c.who, v)
	}
	if kind == tandem.Coaching && (v["start"] != "2026-03-02" || v["end"] != "2026-06-01") {
		t.Errorf("%s does not see the dates: %v %v", c.who, v["start"], v["end"])
	}
	_, hasAgreement := v["agreement"]
	_, hasWaiting := v["waiting_for"]
	if hasAgreement != c.agreement || hasWaiting != c.agreement {
		t.Errorf("%s: agreement present %v, waiting_for present %v; want %v", c.who, hasAgreement, hasWaiting, c.agreement)
	}
	if c.agreement {
		ag := v["agreement"].(map[string]any)
		if len(ag["versions"].([]any)) == 0 || len(ag["responses"].([]any)) == 0 {
			t.Errorf("%s sees an empty agreement: %v", c.who, ag)
		}
	}
	if got := facetsOf(v); !slices.Equal(got, c.timeline) {
		t.Errorf("%s: timeline facets %v, want %v", c.who, got, c.timeline)
	}
	for _, ev := range v["timeline"].([]any) {
		if typ := ev.(map[string]any)["type"]; !c.phase && (typ == "phase" || typ == "reversal_proposed" || typ == "review") {
			t.Errorf("%s sees the phase history: %v", c.who, ev)
		}
	}
	// The current phase is status (dashboards count partnerships by phase);
	// the history of phases and a pending reversal are not.
	if _, has := v["phase"]; has != (kind == tandem.Mentoring) {
		t.Errorf("%s: phase present %v", c.who, has)
	}
	if _, has := v["end_reason"]; has && !c.agreement {
		t.Errorf("%s sees the end reason", c.who)
	}
	agenda, hasAgenda := v["agenda"]
	if hasAgenda != c.agenda {
		t.Errorf("%s: agenda present %v, want %v", c.who, hasAgenda, c.agenda)
	}
	if c.agenda && len(agenda.([]any)) != 2 {
		t.Errorf("%s: agenda %v, want an item and a learning", c.who, agenda)
	}
}

// engagementActionRoutes lists the action routes of one engagement in
// routes.go, so the "other member" check cannot miss one added later.
func engagementActionRoutes(t *testing.T) []string {
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`"((?:POST|PUT|PATCH|DELETE) /api/v1/engagements/\{id\}[^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

// actionBodies is a valid request for every action on an engagement; {item}
// is replaced by a real agenda item.
var actionBodies = map[string]any{
	"PUT /api/v1/engagements/{id}/agreement":          agreementBody(),
	"POST /api/v1/engagements/{id}/responses":         map[string]any{"version": 1, "agreed": true},
	"POST /api/v1/engagements/{id}/phase":             map[string]any{"phase": "separation", "note": "ready"},
	"POST /api/v1/engagements/{id}/reversal":          map[string]any{"note": "swap?"},
	"POST /api/v1/engagements/{id}/reversal/answer":   map[string]any{"accept": true},
	"POST /api/v1/engagements/{id}/end":               map[string]any{"reason": "done"},
	"POST /api/v1/engagements/{id}/reviews":           map[string]any{"decision": "continue"},
	"POST /api/v1/engagements/{id}/exception":         map[string]any{"reason": "small team"},
	"PUT /api/v1/engagements/{id}/share-history":      map[string]any{"share": true},
	"POST /api/v1/engagements/{id}/items":             map[string]any{"kind": "agenda", "body": "my item"},
	"POST /api/v1/engagements/{id}/items/{item}/done": nil,
}

// TestEngagementMatrixAPI tries every cell of the visibility matrix that
// has an endpoint today, for both kinds, through the API.
func TestEngagementMatrixAPI(t *testing.T) {
	o := newEngOrg(t)
	all := []string{"agreement", "status"}
	withPhases := []string{"agreement", "phase_history", "status"}
	statusOnly := []string{"status"}

	// Coaching: Lee with Cat for Go, agreed by Lee, Cat and Lee's manager,
	// then ended; Lee moves on to Sam for Go and shares the history.
	c1 := o.propose("lee", o.coachingBody("lee", "coach", "Go"))
	if v := o.agree(c1, "lee", "coach", "boss"); v["status"] != "active" {
		t.Fatalf("coaching after three agreements: %v", v["status"])
	}
	o.must(http.StatusOK, "lee", "POST", engPath(c1, "/end"), map[string]any{"reason": "Moving on to another coach"})
	c2 := o.propose("lee", o.coachingBody("lee", "next", "Go"))
	// Before Lee shares, the new coach may not know c1 exists: neither its
	// id nor its content, on the engagement or in the list (issue 11, item 6).
	if v := o.must(http.StatusOK, "next", "GET", engPath(c2, ""), nil); v["previous_id"] != nil || v["previous"] != nil {
		t.Fatalf("the new coach's view links the unshared history: %v %v", v["previous_id"], v["previous"])
	}
	if list := o.must(http.StatusOK, "next", "GET", "/api/v1/engagements", nil); strings.Contains(fmt.Sprint(list), "previous_id") {
		t.Fatalf("the new coach's list links the unshared history: %v", list)
	}
	if v := o.must(http.StatusOK, "lee", "GET", engPath(c2, ""), nil); v["previous_id"] != float64(c1) {
		t.Fatalf("the coachee's view lost the link to c1: %v", v["previous_id"])
	}

	// Mentoring: Lee with Max, agreed by all three, moved to cultivation,
	// with an agenda item and a learning.
	m1 := o.propose("lee", o.mentoringBody("lee", "mentor"))
	if v := o.agree(m1, "lee", "mentor", "boss"); v["status"] != "active" || v["phase"] != "initiation" {
		t.Fatalf("mentoring after agreements, as the manager sees it: %v phase %v", v["status"], v["phase"])
	}
	if v := o.must(http.StatusOK, "lee", "GET", engPath(m1, ""), nil); v["phase"] != "initiation" {
		t.Fatalf("phase after activation: %v", v["phase"])
	}
	o.must(http.StatusOK, "mentor", "POST", engPath(m1, "/phase"), map[string]any{"phase": "cultivation", "note": "We trust each other"})
	o.must(http.StatusCreated, "lee", "POST", engPath(m1, "/items"), map[string]any{"kind": "agenda", "body": "Talk about the reorg"})
	v := o.must(http.StatusCreated, "mentor", "POST", engPath(m1, "/items"), map[string]any{"kind": "learned", "body": "How Lee runs retros"})
	item := int64(v["agenda"].([]any)[0].(map[string]any)["id"].(float64))

	t.Run("CoachingBeforeSharing", func(t *testing.T) {
		o.checkCell(t, tandem.Coaching, c1, cell{who: "next", viewer: tandem.ViewerNone})
	})
	// Only the coachee shares history; then Sam is c1's successor.
	for _, who := range []string{"next", "boss", "coach"} {
		if st, p := o.call(who, "PUT", engPath(c2, "/share-history"), map[string]any{"share": true}); st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("%s shared Lee's history: %d %v", who, st, p)
		}
	}
	o.must(http.StatusOK, "lee", "PUT", engPath(c2, "/share-history"), map[string]any{"share": true})

	for _, tc := range []struct {
		kind  tandem.Kind
		id    int64
		cells []cell
	}{
		{tandem.Coaching, c1, []cell{
			{who: "lee", viewer: tandem.ViewerLearner, agreement: true, timeline: all},
			{who: "coach", viewer: tandem.ViewerGuide, agreement: true, timeline: all},
			{who: "boss", viewer: tandem.ViewerManager, agreement: true, timeline: all},
			{who: "next", viewer: tandem.ViewerSuccessor, agreement: true, timeline: all},
			{who: "prog", viewer: tandem.ViewerProgramAdmin, timeline: statusOnly},
			{who: "ada", viewer: tandem.ViewerAdmin, timeline: statusOnly},
			{who: "other", viewer: tandem.ViewerNone},
			{who: "mentor", viewer: tandem.ViewerNone},
		}},
		{tandem.Mentoring, m1, []cell{
			{who: "lee", viewer: tandem.ViewerLearner, agreement: true, timeline: withPhases, phase: true, agenda: true},
			{who: "mentor", viewer: tandem.ViewerGuide, agreement: true, timeline: withPhases, phase: true, agenda: true},
			{who: "boss", viewer: tandem.ViewerManager, agreement: true, timeline: all},
			{who: "prog", viewer: tandem.ViewerProgramAdmin, timeline: statusOnly},
			{who: "ada", viewer: tandem.ViewerAdmin, timeline: statusOnly},
			{who: "other", viewer: tandem.ViewerNone},
			// No successors in mentoring: another engagement's coach is
			// nobody here.
			{who: "next", viewer: tandem.ViewerNone},
		}},
	} {
		for _, c := range tc.cells {
			t.Run(fmt.Sprintf("%s/%s", tc.kind, c.who), func(t *testing.T) { o.checkCell(t, tc.kind, tc.id, c) })
		}
	}

	t.Run("SuccessorLink", func(t *testing.T) {
		v := o.must(http.StatusOK, "next", "GET", engPath(c2, ""), nil)
		prev, _ := v["previous"].(map[string]any)
		if prev["id"] != float64(c1) || prev["agreement"] != nil || prev["status"] != "ended" {
			t.Errorf("previous for the successor: %v", prev)
		}
	})

	t.Run("OtherMemberGets404ForEveryAction", func(t *testing.T) {
		routes := engagementActionRoutes(t)
		var listed []string
		for r := range actionBodies {
			listed = append(listed, r)
		}
		sort.Strings(listed)
		if !slices.Equal(routes, listed) {
			t.Fatalf("engagement action routes %v; the test tries %v", routes, listed)
		}
		before := o.must(http.StatusOK, "lee", "GET", engPath(m1, ""), nil)
		for _, id := range []int64{c1, c2, m1} {
			for _, route := range routes {
				method, path, _ := strings.Cut(route, " ")
				path = strings.ReplaceAll(strings.ReplaceAll(path, "{id}", fmt.Sprint(id)), "{item}", fmt.Sprint(item))
				st, p := o.call("other", method, path, actionBodies[route])
				if st != http.StatusNotFound || p["code"] != "not_found" {
					t.Errorf("other: %s %s: %d %v, want 404", method, path, st, p)
				}
			}
		}
		after := o.must(http.StatusOK, "lee", "GET", engPath(m1, ""), nil)
		if len(after["timeline"].([]any)) != len(before["timeline"].([]any)) || len(after["agenda"].([]any)) != 2 || after["status"] != "active" {
			t.Errorf("refused actions changed the partnership: %v", after)
		}
	})

	t.Run("Lists", func(t *testing.T) {
		for who, want := range map[string]int{"lee": 3, "boss": 3, "coach": 1, "next": 1, "mentor": 1, "other": 0, "prog": 0} {
			out := o.must(http.StatusOK, who, "GET", "/api/v1/engagements", nil)
			if n := len(out["engagements"].([]any)); n != want {
				t.Errorf("%s lists %d engagements, want %d", who, n, want)
			}
		}
		for _, who := range []string{"prog", "ada"} {
			out := o.must(http.StatusOK, who, "GET", "/api/v1/engagements?all=1", nil)
			list := out["engagements"].([]any)
			if len(list) != 3 {
				t.Errorf("%s sees %d of 3 engagements", who, len(list))
			}
			for _, e := range list {
				m := e.(map[string]any)
				if m["status"] == nil || m["learner"] == nil || m["created_at"] == nil {
					t.Errorf("%s's list lacks status, dates or parties: %v", who, m)
				}
				for _, hidden := range []string{"agreement", "timeline", "agenda", "reversal_by", "end_reason", "waiting_for"} {
					if _, ok := m[hidden]; ok {
						t.Errorf("%s's list carries %s: %v", who, hidden, m)
					}
				}
			}
		}
		out := o.must(http.StatusOK, "prog", "GET", "/api/v1/engagements?all=1&kind=mentoring&status=active", nil)
		if list := out["engagements"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != float64(m1) {
			t.Errorf("filtered list: %v", list)
		}
		if st, _ := o.call("other", "GET", "/api/v1/engagements?all=1", nil); st != http.StatusForbidden {
			t.Errorf("a member lists every engagement: %d", st)
		}
		if st, p := o.call("prog", "GET", "/api/v1/engagements?all=1&kind=pairing", nil); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["kind"] == nil {
			t.Errorf("unknown kind filter: %d %v", st, p)
		}
		// The page size is from 1 to 500: anything else is refused naming
		// the parameter (it was quietly cut to 200), after the permission.
		for q, field := range map[string]string{"limit=501": "limit", "limit=0": "limit", "limit=ten": "limit", "offset=-1": "offset"} {
			if st, p := o.call("prog", "GET", "/api/v1/engagements?all=1&"+q, nil); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)[field] == nil {
				t.Errorf("%s: %d %v", q, st, p)
			}
		}
		if st, _ := o.call("other", "GET", "/api/v1/engagements?all=1&limit=501", nil); st != http.StatusForbidden {
			t.Errorf("a member's list with a wrong limit: %d, want 403", st)
		}
		if out := o.must(http.StatusOK, "prog", "GET", "/api/v1/engagements?all=1&limit=500&offset=1", nil); len(out["engagements"].([]any)) == 0 {
			t.Error("limit=500&offset=1: no engagements")
		}
		// The current phase is status: every list that shows the
		// partnership shows where it is.
		phaseOf := func(who string) any {
			for _, e := range o.must(http.StatusOK, who, "GET", "/api/v1/engagements", nil)["engagements"].([]any) {
				if m := e.(map[string]any); m["id"] == float64(m1) {
					return m["phase"]
				}
			}
			return "missing"
		}
		if phaseOf("lee") != "cultivation" || phaseOf("boss") != "cultivation" {
			t.Errorf("phase in lists: Lee %v, manager %v", phaseOf("lee"), phaseOf("boss"))
		}
	})
}

// TestEngagementActionsAPI checks who may do what, beyond seeing.
func TestEngagementActionsAPI(t *testing.T) {
	o := newEngOrg(t)
	m := o.propose("lee", o.mentoringBody("lee", "mentor"))
	c := o.propose("lee", o.coachingBody("lee", "coach", "Facilitation"))

	forbidden := func(who, method, path string, body any) {
		t.Helper()
		if st, p := o.call(who, method, path, body); st != http.StatusForbidden || p["code"] != "forbidden" || p["detail"] == "" {
			t.Errorf("%s: %s %s: %d %v, want 403", who, method, path, st, p)
		}
	}
	t.Run("ProgramAdminCannotAnswer", func(t *testing.T) {
		forbidden("prog", "POST", engPath(c, "/responses"), map[string]any{"version": 1, "agreed": true})
		forbidden("ada", "POST", engPath(m, "/responses"), map[string]any{"version": 1, "agreed": true})
		v := o.must(http.StatusOK, "prog", "GET", engPath(c, ""), nil)
		if a := v["actions"].(map[string]any); a["respond"] != false || a["revise"] != false || a["end"] != false {
			t.Errorf("program admin actions: %v", a)
		}
	})
	o.agree(m, "lee", "mentor", "boss")
	o.agree(c, "lee", "coach", "boss")

	t.Run("ManagerCannotReviseOrMovePhase", func(t *testing.T) {
		v := o.must(http.StatusOK, "boss", "GET", engPath(m, ""), nil)
		if a := v["actions"].(map[string]any); a["revise"] != false || a["move_phase"] != false || a["add_items"] != false {
			t.Errorf("manager actions: %v", a)
		}
		forbidden("boss", "PUT", engPath(m, "/agreement"), agreementBody())
		forbidden("boss", "PUT", engPath(c, "/agreement"), agreementBody())
		forbidden("boss", "POST", engPath(m, "/phase"), map[string]any{"phase": "separation"})
		forbidden("boss", "POST", engPath(m, "/end"), map[string]any{"reason": "I decide"})
		forbidden("boss", "POST", engPath(m, "/items"), map[string]any{"kind": "agenda", "body": "Manager's topic"})
		forbidden("prog", "POST", engPath(m, "/phase"), map[string]any{"phase": "separation"})
		if v := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil); v["phase"] != "initiation" || v["current_version"] != float64(1) {
			t.Errorf("refused changes changed it: %v %v", v["phase"], v["current_version"])
		}
		v = o.must(http.StatusOK, "mentor", "POST", engPath(m, "/phase"), map[string]any{"phase": "cultivation"})
		if v["phase"] != "cultivation" {
			t.Errorf("mentor moves the phase: %v", v["phase"])
		}
	})
	t.Run("OnlyAdminsAllowExceptions", func(t *testing.T) {
		inChain := o.mentoringBody("lee", "boss")
		inChain["exception"] = "Small team, nobody else knows the craft"
		forbidden("prog", "POST", "/api/v1/engagements", inChain)
		forbidden("boss", "POST", "/api/v1/engagements", inChain)
		for _, who := range []string{"lee", "mentor", "boss", "prog"} {
			forbidden(who, "POST", engPath(m, "/exception"), map[string]any{"reason": "because"})
		}
		if v := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil); v["exception"] != nil {
			t.Errorf("a refused exception was recorded: %v", v["exception"])
		}
		v := o.must(http.StatusCreated, "ada", "POST", "/api/v1/engagements", inChain)
		if v["exception"] != inChain["exception"] || v["exception_by"].(map[string]any)["id"] != float64(o.id["ada"]) {
			t.Errorf("admin exception: %v %v", v["exception"], v["exception_by"])
		}
	})
	t.Run("OnlyTheCoacheeSharesHistory", func(t *testing.T) {
		o.must(http.StatusOK, "lee", "POST", engPath(c, "/end"), map[string]any{"reason": "Next coach"})
		c2 := o.propose("lee", o.coachingBody("lee", "next", "Facilitation"))
		for _, who := range []string{"next", "boss", "ada", "prog"} {
			forbidden(who, "PUT", engPath(c2, "/share-history"), map[string]any{"share": true})
		}
		if v := o.must(http.StatusOK, "next", "GET", engPath(c2, ""), nil); v["share_history"] != false {
			t.Errorf("shared without the coachee: %v", v["share_history"])
		}
		if v := o.must(http.StatusOK, "lee", "PUT", engPath(c2, "/share-history"), map[string]any{"share": true}); v["share_history"] != true {
			t.Errorf("the coachee's choice: %v", v["share_history"])
		}
	})
	t.Run("Reversal", func(t *testing.T) {
		o.must(http.StatusOK, "mentor", "POST", engPath(m, "/reversal"), map[string]any{"note": "Lee knows Go better now"})
		forbidden("mentor", "POST", engPath(m, "/reversal/answer"), map[string]any{"accept": true})
		forbidden("boss", "POST", engPath(m, "/reversal/answer"), map[string]any{"accept": true})
		v := o.must(http.StatusOK, "lee", "POST", engPath(m, "/reversal/answer"), map[string]any{"accept": true})
		if v["learner"].(map[string]any)["id"] != float64(o.id["mentor"]) || v["manager"] != nil {
			t.Errorf("after reversal: learner %v manager %v", v["learner"], v["manager"])
		}
		// The old protégé's manager is no longer a party: not found.
		if st, _ := o.call("boss", "GET", engPath(m, ""), nil); st != http.StatusNotFound {
			t.Errorf("the former manager still sees it: %d", st)
		}
	})
	t.Run("ItemsAndReviews", func(t *testing.T) {
		v := o.must(http.StatusCreated, "lee", "POST", engPath(m, "/items"), map[string]any{"kind": "agenda", "body": "Plan the talk"})
		it := v["agenda"].([]any)[0].(map[string]any)
		if it["kind"] != "agenda" || it["author"].(map[string]any)["name"] != "Lee Learner" || it["done_at"] != nil {
			t.Fatalf("item %v", it)
		}
		v = o.must(http.StatusOK, "mentor", "POST", engPath(m, fmt.Sprintf("/items/%v/done", it["id"])), nil)
		if v["agenda"].([]any)[0].(map[string]any)["done_at"] == nil {
			t.Error("the item is not done")
		}
		if st, _ := o.call("mentor", "POST", engPath(m, fmt.Sprintf("/items/%v/done", it["id"])), nil); st != http.StatusNotFound {
			t.Errorf("ticking a done item again: %d", st)
		}
		if st, p := o.call("lee", "POST", engPath(m, "/items"), map[string]any{"kind": "gossip", "body": "x"}); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["kind"] == nil {
			t.Errorf("unknown item kind: %d %v", st, p)
		}
		forbidden("prog", "POST", engPath(m, "/reviews"), map[string]any{"decision": "continue"})
		if v := o.must(http.StatusOK, "lee", "POST", engPath(m, "/reviews"), map[string]any{"decision": "continue"}); v["status"] != "active" || v["next_review"] == nil {
			t.Errorf("after a review: %v %v", v["status"], v["next_review"])
		}
	})
	t.Run("ReorgPutsThePartnersInOneChain", func(t *testing.T) {
		if v := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil); v["in_chain"] != false {
			t.Fatalf("in_chain before the reorg: %v", v["in_chain"])
		}
		o.must(http.StatusOK, "ada", "PUT", fmt.Sprintf("/api/v1/people/%d/manager", o.id["lee"]), map[string]any{"manager_email": "mentor@acme.test"})
		if v := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil); v["in_chain"] != true {
			t.Errorf("in_chain after the reorg: %v", v["in_chain"])
		}
		if st, p := o.call("lee", "POST", engPath(m, "/items"), map[string]any{"kind": "agenda", "body": "Next steps"}); st != http.StatusConflict || p["code"] != "conflict" {
			t.Errorf("work inside the chain: %d %v, want 409", st, p)
		}
		if v := o.must(http.StatusOK, "ada", "GET", engPath(m, ""), nil); v["actions"].(map[string]any)["allow_exception"] != true {
			t.Errorf("the administrator is not offered the exception: %v", v["actions"])
		}
	})
}

// TestEngagementBadInputAPI checks that each bad request gets a clear
// field error and changes nothing.
func TestEngagementBadInputAPI(t *testing.T) {
	o := newEngOrg(t)
	count := func() int {
		return len(o.must(http.StatusOK, "lee", "GET", "/api/v1/engagements", nil)["engagements"].([]any))
	}
	for _, tc := range []struct {
		name   string
		edit   func(b map[string]any)
		status int
		field  string
		detail string // in the field's message, when it must explain why
	}{
		{"CoachingWithoutSkill", func(b map[string]any) { delete(b, "skill_id") }, 422, "skill", ""},
		{"CoachingWithoutEnd", func(b map[string]any) { delete(b["agreement"].(map[string]any), "end") }, 422, "end", "bounded"},
		{"EndBeforeStart", func(b map[string]any) { b["agreement"].(map[string]any)["end"] = "2026-02-01" }, 422, "end", "after the start"},
		{"BadDate", func(b map[string]any) { b["agreement"].(map[string]any)["start"] = "2 March" }, 422, "start", "YYYY-MM-DD"},
		{"SkillNotInCatalogue", func(b map[string]any) { b["skill_id"] = 999999 }, 422, "skill", "catalogue"},
		{"TooLong", func(b map[string]any) { b["agreement"].(map[string]any)["end"] = "2026-12-01" }, 422, "end", "at most 6 months"},
		{"NoOutcome", func(b map[string]any) { b["agreement"].(map[string]any)["outcomes"] = []string{" "} }, 422, "outcomes", ""},
		{"MentorInChain", func(b map[string]any) {
			b["kind"], b["guide_id"] = "mentoring", o.id["ada"]
			delete(b, "skill_id")
		}, 422, "guide", "outside the supervisory hierarchy"},
		{"UnknownKind", func(b map[string]any) { b["kind"] = "pairing" }, 422, "kind", ""},
		{"UnknownField", func(b map[string]any) { b["priority"] = "high" }, 400, "priority", ""},
		{"UnknownAgreementField", func(b map[string]any) { b["agreement"].(map[string]any)["budget"] = 5 }, 400, "budget", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := o.coachingBody("lee", "coach", "Go")
			tc.edit(b)
			st, p := o.call("lee", "POST", "/api/v1/engagements", b)
			errs, _ := p["errors"].(map[string]any)
			if st != tc.status || errs[tc.field] == nil || p["detail"] == "" {
				t.Fatalf("%d %v; want %d with an error for %s", st, p, tc.status, tc.field)
			}
			if msg := fmt.Sprint(errs[tc.field]); tc.detail != "" && !strings.Contains(msg, tc.detail) {
				t.Errorf("the error for %s does not say why (%q): %s", tc.field, tc.detail, msg)
			}
			if tc.name == "MentorInChain" && !strings.Contains(p["detail"].(string), tc.detail) {
				t.Errorf("the message does not say why: %v", p["detail"])
			}
			if n := count(); n != 0 {
				t.Errorf("a refused proposal left %d engagements", n)
			}
		})
	}

	c := o.propose("lee", o.coachingBody("lee", "coach", "Go"))
	t.Run("SupersededVersion", func(t *testing.T) {
		o.must(http.StatusOK, "coach", "PUT", engPath(c, "/agreement"), agreementBody())
		st, p := o.call("boss", "POST", engPath(c, "/responses"), map[string]any{"version": 1, "agreed": true})
		if st != http.StatusConflict || p["errors"].(map[string]any)["version"] == nil {
			t.Fatalf("agreeing to version 1 of 2: %d %v", st, p)
		}
		// Only the authors' own agreements: lee proposed version 1, the
		// coach wrote version 2.
		v := o.must(http.StatusOK, "boss", "GET", engPath(c, ""), nil)
		rs := v["agreement"].(map[string]any)["responses"].([]any)
		if len(rs) != 2 || v["my_response"] != nil {
			t.Fatalf("a stale answer was recorded: %v", v["agreement"])
		}
		for i, want := range []string{"learner", "guide"} {
			r := rs[i].(map[string]any)
			if r["version"] != float64(i+1) || r["party"] != want || r["agreed"] != true {
				t.Errorf("answer %d: %v, want the %s's agreement to version %d", i, r, want, i+1)
			}
		}
	})
	t.Run("ResponseFields", func(t *testing.T) {
		for body, field := range map[string]string{`{"agreed":true}`: "version", `{"version":2}`: "agreed", `{"version":2,"agreed":false}`: "comment"} {
			if st, p := o.call("lee", "POST", engPath(c, "/responses"), body); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)[field] == nil {
				t.Errorf("%s: %d %v, want an error for %s", body, st, p, field)
			}
		}
	})
	t.Run("ReviseWithEndBeforeStart", func(t *testing.T) {
		a := agreementBody()
		a["end"] = "2026-01-01"
		if st, p := o.call("lee", "PUT", engPath(c, "/agreement"), a); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["end"] == nil {
			t.Errorf("revise: %d %v", st, p)
		}
		if v := o.must(http.StatusOK, "lee", "GET", engPath(c, ""), nil); v["current_version"] != float64(2) {
			t.Errorf("a refused revision made version %v", v["current_version"])
		}
	})

	m := o.propose("lee", o.mentoringBody("lee", "mentor"))
	o.agree(m, "lee", "mentor", "boss")
	t.Run("PhaseAndReversalWhenEnded", func(t *testing.T) {
		if st, p := o.call("lee", "POST", engPath(m, "/phase"), map[string]any{"phase": "graduation"}); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["phase"] == nil {
			t.Errorf("unknown phase: %d %v", st, p)
		}
		o.must(http.StatusOK, "mentor", "POST", engPath(m, "/end"), map[string]any{"reason": "Relocating"})
		before := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil)
		for path, body := range map[string]any{"/phase": map[string]any{"phase": "separation"}, "/reversal": map[string]any{"note": "swap"}} {
			st, p := o.call("lee", "POST", engPath(m, path), body)
			if st != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(p["detail"]), "ended: it is read-only") {
				t.Errorf("%s on an ended partnership: %d %v", path, st, p)
			}
		}
		after := o.must(http.StatusOK, "lee", "GET", engPath(m, ""), nil)
		if after["phase"] != "initiation" || after["reversal_by"] != nil || len(after["timeline"].([]any)) != len(before["timeline"].([]any)) {
			t.Errorf("refused changes changed the partnership: %v", after)
		}
	})
	t.Run("UnknownFieldOnAction", func(t *testing.T) {
		st, p := o.call("lee", "POST", engPath(c, "/end"), `{"reason":"x","force":true}`)
		if st != http.StatusBadRequest || p["errors"].(map[string]any)["force"] == nil {
			t.Errorf("unknown field: %d %v", st, p)
		}
		if v := o.must(http.StatusOK, "lee", "GET", engPath(c, ""), nil); v["status"] != "draft" {
			t.Errorf("a refused end ended it: %v", v["status"])
		}
	})
	t.Run("MalformedID", func(t *testing.T) {
		for _, path := range []string{"/api/v1/engagements/abc", "/api/v1/engagements/0", "/api/v1/engagements/-1", "/api/v1/engagements/1e3"} {
			if st, p := o.call("lee", "GET", path, nil); st != http.StatusNotFound || p["code"] != "not_found" {
				t.Errorf("GET %s: %d %v", path, st, p)
			}
			if st, p := o.call("lee", "POST", path+"/end", map[string]any{"reason": "x"}); st != http.StatusNotFound || p["code"] != "not_found" {
				t.Errorf("POST %s/end: %d %v", path, st, p)
			}
		}
		if st, _ := o.call("lee", "POST", engPath(m, "/items/xyz/done"), nil); st != http.StatusNotFound {
			t.Errorf("malformed item id: %d", st)
		}
	})
}

func TestEngagementSettingsAPI(t *testing.T) {
	o := newEngOrg(t)
	v := o.must(http.StatusOK, "lee", "GET", "/api/v1/settings", nil)
	if v["coaching_max_months"] != float64(6) || v["review_months"] != float64(3) || v["stalled_days"] != float64(30) || v["mentoring_manager_optional"] != false {
		t.Fatalf("default settings %v", v)
	}
	if st, p := o.call("prog", "PUT", "/api/v1/settings", map[string]any{"coaching_max_months": 12}); st != http.StatusForbidden {
		t.Errorf("program admin changed settings: %d %v", st, p)
	}
	if st, p := o.call("ada", "PUT", "/api/v1/settings", map[string]any{"stalled_days": 2}); st != http.StatusUnprocessableEntity || p["errors"].(map[string]any)["stalled_days"] == nil {
		t.Errorf("bad settings: %d %v", st, p)
	}
	if st, p := o.call("ada", "PUT", "/api/v1/settings", `{"stalled":10}`); st != http.StatusBadRequest {
		t.Errorf("unknown setting: %d %v", st, p)
	}
	if v := o.must(http.StatusOK, "lee", "GET", "/api/v1/settings", nil); v["coaching_max_months"] != float64(6) || v["stalled_days"] != float64(30) {
		t.Errorf("refused changes changed settings: %v", v)
	}
	v = o.must(http.StatusOK, "ada", "PUT", "/api/v1/settings", map[string]any{"coaching_max_months": 12, "mentoring_manager_optional": true})
	if v["coaching_max_months"] != float64(12) || v["mentoring_manager_optional"] != true || v["review_months"] != float64(3) {
		t.Errorf("after PUT: %v", v)
	}
	// The new rules apply: a nine-month coaching engagement is allowed and
	// mentoring starts without the manager.
	b := o.coachingBody("lee", "coach", "Go")
	b["agreement"].(map[string]any)["end"] = "2026-12-01"
	o.propose("lee", b)
	m := o.propose("lee", o.mentoringBody("lee", "mentor"))
	if v := o.agree(m, "lee", "mentor"); v["status"] != "active" || v["manager_required"] != false {
		t.Errorf("mentoring with the manager optional: %v %v", v["status"], v["manager_required"])
	}
}
