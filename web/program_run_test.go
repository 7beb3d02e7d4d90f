package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// cohortFixture is a program in the matching state with two questions,
// three approved mentees and two approved mentors, made through the API
// as each person: Ada (administrator) creates it and names Pat its
// program admin; Mia, Noa and Uri apply as mentees, Olga (one seat) and
// Pete (two) as mentors.
type cohortFixture struct {
	e                *env
	ada, pat         *browser
	adaT, patT       string
	tokens           map[string]string // by first name, lower case
	ids              map[string]int64  // person ids by first name
	id               int64
	base, page       string // the API's and the pages' address of the program
	track, topics    string // question ids
	menteeT, mentorT string
}

func newCohortFixture(t *testing.T) *cohortFixture {
	t.Helper()
	e := newEnv(t)
	f := &cohortFixture{e: e, tokens: map[string]string{}, ids: map[string]int64{}}
	f.ada = e.setup("Acme", "Ada", "ada@acme.test")
	f.pat = f.ada.invite("pat@acme.test", "Pat", "member")
	f.adaT, f.patT = f.ada.token("a"), f.pat.token("p")
	for _, n := range []string{"Mia", "Noa", "Uri", "Olga", "Pete"} {
		b := f.ada.invite(strings.ToLower(n)+"@acme.test", n, "member")
		f.tokens[strings.ToLower(n)] = b.token(n)
		_, me, _ := e.api("GET", "/api/v1/me", f.tokens[strings.ToLower(n)], "")
		f.ids[strings.ToLower(n)] = int64(me["person"].(map[string]any)["id"].(float64))
	}
	st, body, _ := e.api("POST", "/api/v1/programs", f.adaT, `{"name":"Spring cohort","admin_emails":["pat@acme.test"],"areas":["career"]}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, body)
	}
	f.id = int64(body["id"].(float64))
	f.base = fmt.Sprintf("/api/v1/programs/%d", f.id)
	f.page = fmt.Sprintf("/programs/%d", f.id)
	st, body, _ = e.api("POST", f.base+"/questions", f.patT, `{"type":"single","label":"Track","options":["Build","Sell"],"required":true,"rule":"same","weight":3}`)
	if st != http.StatusCreated {
		t.Fatalf("question: %d %v", st, body)
	}
	f.track = ftoa(body["id"].(float64))
	st, body, _ = e.api("POST", f.base+"/questions", f.patT, `{"type":"multiple","label":"Topics","options":["Design","Hiring","Speaking"],"rule":"overlap","weight":2}`)
	if st != http.StatusCreated {
		t.Fatalf("question: %d %v", st, body)
	}
	f.topics = ftoa(body["id"].(float64))
	f.move(t, "enrolling")
	for _, a := range []struct {
		who, role, track, topics string
		capacity                 int
	}{
		{"mia", "mentee", "Build", `"Design","Hiring"`, 0}, {"noa", "mentee", "Sell", `"Design"`, 0}, {"uri", "mentee", "Build", `"Speaking"`, 0},
		{"olga", "mentor", "Build", `"Design"`, 1}, {"pete", "mentor", "Sell", `"Design","Speaking"`, 2},
	} {
		capacity := ""
		if a.capacity > 0 {
			capacity = fmt.Sprintf(`"capacity":%d,`, a.capacity)
		}
		body := fmt.Sprintf(`{"role":%q,%s"answers":{%q:{"choices":[%q]},%q:{"choices":[%s]}}}`, a.role, capacity, f.track, a.track, f.topics, a.topics)
		if st, out, _ := e.api("POST", f.base+"/application", f.tokens[a.who], body); st != http.StatusCreated {
			t.Fatalf("%s applies: %d %v", a.who, st, out)
		}
	}
	_, body, _ = e.api("GET", f.base+"/applications", f.patT, "")
	for _, ap := range body["applications"].([]any) {
		aid := ftoa(ap.(map[string]any)["id"].(float64))
		if st, out, _ := e.api("POST", f.base+"/applications/"+aid+"/decision", f.patT, `{"decision":"approve"}`); st != http.StatusOK {
			t.Fatalf("approve: %d %v", st, out)
		}
	}
	f.move(t, "matching")
	return f
}

func (f *cohortFixture) move(t *testing.T, state string) {
	t.Helper()
	if st, out, _ := f.e.api("POST", f.base+"/state", f.patT, `{"state":"`+state+`"}`); st != http.StatusOK {
		t.Fatalf("move to %s: %d %v", state, st, out)
	}
}

// pairsOf maps mentee emails to mentor emails in a run's JSON.
func pairsOf(body map[string]any) map[string]string {
	out := map[string]string{}
	for _, p := range body["pairs"].([]any) {
		pm := p.(map[string]any)
		out[pm["mentee"].(map[string]any)["email"].(string)] = pm["mentor"].(map[string]any)["email"].(string)
	}
	return out
}

// TestMatchingAPI: runs, a page of one, pins and forbids, comparison and
// publication through /api/v1/programs/{id}, with who may do what.
func TestMatchingAPI(t *testing.T) {
	f := newCohortFixture(t)
	e := f.e
	sctx := tandemtest.MustOrg(t, e.db, "Elsewhere")
	strangerT, _, err := e.app.CreateAPIToken(sctx, "s")
	if err != nil {
		t.Fatal(err)
	}

	st, body, _ := e.api("POST", f.base+"/runs", f.patT, `{"mode":"optimal","weights":{"q`+f.track+`":11}}`)
	if st != http.StatusUnprocessableEntity || body["errors"].(map[string]any)["weights"] == nil {
		t.Errorf("a weight of 11: %d %v", st, body)
	}
	st, body, _ = e.api("POST", f.base+"/runs", f.patT, `{"mode":"optimal","weights":{"q`+f.track+`":0,"q`+f.topics+`":0,"profile_department":0,"profile_location":0,"profile_languages":0,"profile_skills":0,"profile_time_zone":0}}`)
	if st != http.StatusUnprocessableEntity || body["errors"].(map[string]any)["weights"] == nil {
		t.Errorf("every weight 0: %d %v", st, body)
	}
	st, body, hdr := e.api("POST", f.base+"/runs", f.patT, `{"mode":"optimal"}`)
	if st != http.StatusCreated {
		t.Fatalf("run: %d %v", st, body)
	}
	run1 := body["run"].(map[string]any)
	r1 := ftoa(run1["id"].(float64))
	if hdr.Get("Location") != f.base+"/runs/"+r1 || run1["matched"] != float64(3) || !strings.HasPrefix(run1["certificate"].(map[string]any)["claim"].(string), "optimal") {
		t.Errorf("run 1: %v %v", hdr.Get("Location"), run1)
	}
	first := pairsOf(body)
	if first["mia@acme.test"] != "olga@acme.test" || first["noa@acme.test"] != "pete@acme.test" {
		t.Errorf("pairs of run 1: %v", first)
	}
	for _, p := range body["pairs"].([]any) {
		if len(p.(map[string]any)["reasons"].([]any)) == 0 {
			t.Errorf("a pair without reasons: %v", p)
		}
	}

	// Who may: the program admin and an administrator; an applicant is
	// forbidden; a stranger finds nothing.
	for _, who := range []struct {
		name, token string
		want        int
	}{{"applicant", f.tokens["mia"], http.StatusForbidden}, {"stranger", strangerT, http.StatusNotFound}, {"administrator", f.adaT, http.StatusOK}, {"program admin", f.patT, http.StatusOK}} {
		for _, path := range []string{f.base + "/runs", f.base + "/runs/" + r1, f.base + "/rules"} {
			if st, _, _ := e.api("GET", path, who.token, ""); st != who.want {
				t.Errorf("GET %s as the %s: %d, want %d", path, who.name, st, who.want)
			}
		}
		if who.want != http.StatusOK {
			if st, _, _ := e.api("POST", f.base+"/runs/"+r1+"/publish", who.token, ""); st != who.want {
				t.Errorf("publish as the %s: %d, want %d", who.name, st, who.want)
			}
			if st, _, _ := e.api("POST", f.base+"/rules", who.token, fmt.Sprintf(`{"kind":"pin","mentee_id":%d,"mentor_id":%d}`, f.ids["mia"], f.ids["pete"])); st != who.want {
				t.Errorf("pin as the %s: %d, want %d", who.name, st, who.want)
			}
		}
	}

	// A page: sorted, filtered, limited.
	st, body, _ = e.api("GET", f.base+"/runs/"+r1+"?sort=mentee&limit=1&offset=1", f.patT, "")
	if st != http.StatusOK || body["pairs_total"] != float64(3) || len(body["pairs"].([]any)) != 1 {
		t.Fatalf("page: %d %v", st, body)
	}
	if m := body["pairs"].([]any)[0].(map[string]any)["mentee"].(map[string]any)["name"]; m != "Noa" {
		t.Errorf("second by mentee name: %v", m)
	}
	st, body, _ = e.api("GET", f.base+"/runs/"+r1+"?q=olga", f.patT, "")
	if st != http.StatusOK || body["pairs_total"] != float64(1) {
		t.Errorf("filter: %d %v", st, body)
	}
	st, body, _ = e.api("GET", f.base+"/runs/"+r1+"?sort=score&order=asc", f.patT, "")
	ps := body["pairs"].([]any)
	if st != http.StatusOK || ps[0].(map[string]any)["score"].(float64) > ps[len(ps)-1].(map[string]any)["score"].(float64) {
		t.Errorf("lowest score first: %d %v", st, body)
	}
	for _, q := range []struct{ query, field string }{{"limit=500", "limit"}, {"sort=age", "sort"}, {"order=up", "order"}, {"unmatched_offset=-1", "unmatched_offset"}} {
		st, body, _ := e.api("GET", f.base+"/runs/"+r1+"?"+q.query, f.patT, "")
		if errs, _ := body["errors"].(map[string]any); st != http.StatusUnprocessableEntity || errs[q.field] == nil {
			t.Errorf("%s: %d %v", q.query, st, body)
		}
	}

	// Pin Mia with Pete, forbid Noa with Pete; pinning a forbidden pair is
	// refused; run again and compare.
	pin := func(kind, mentee, mentor string) (int, map[string]any) {
		st, out, _ := e.api("POST", f.base+"/rules", f.patT, fmt.Sprintf(`{"kind":%q,"mentee_id":%d,"mentor_id":%d}`, kind, f.ids[mentee], f.ids[mentor]))
		return st, out
	}
	if st, out := pin("pin", "mia", "pete"); st != http.StatusOK || len(out["rules"].([]any)) != 1 {
		t.Fatalf("pin: %d %v", st, out)
	}
	if st, out := pin("forbid", "noa", "pete"); st != http.StatusOK {
		t.Fatalf("forbid: %d %v", st, out)
	}
	if st, out := pin("pin", "noa", "pete"); st != http.StatusConflict || !strings.Contains(out["detail"].(string), "forbidden") {
		t.Errorf("pin a forbidden pair: %d %v", st, out)
	}
	if st, out := pin("pin", "mia", "mia"); st != http.StatusUnprocessableEntity || out["errors"].(map[string]any)["mentor_id"] == nil {
		t.Errorf("pin a mentee as a mentor: %d %v", st, out)
	}
	st, body, _ = e.api("POST", f.base+"/runs", f.patT, `{"mode":"stable"}`)
	if st != http.StatusCreated {
		t.Fatalf("run 2: %d %v", st, body)
	}
	r2 := ftoa(body["run"].(map[string]any)["id"].(float64))
	second := pairsOf(body)
	if second["mia@acme.test"] != "pete@acme.test" || second["noa@acme.test"] == "pete@acme.test" {
		t.Errorf("pairs of run 2 ignore the rules: %v", second)
	}
	st, body, _ = e.api("GET", f.base+"/runs/"+r1+"/compare?with="+r2, f.patT, "")
	if st != http.StatusOK || len(body["moves"].([]any)) == 0 || body["b"].(map[string]any)["mode"] != "stable" {
		t.Errorf("compare: %d %v", st, body)
	}
	if st, body, _ := e.api("GET", f.base+"/runs/"+r1+"/compare", f.patT, ""); st != http.StatusUnprocessableEntity || body["errors"].(map[string]any)["with"] == nil {
		t.Errorf("compare with nothing: %d %v", st, body)
	}
	st, body, _ = e.api("GET", f.base+"/runs", f.patT, "")
	if st != http.StatusOK || len(body["runs"].([]any)) != 2 || len(body["criteria"].([]any)) < 2 {
		t.Errorf("runs: %d %v", st, body)
	}
	if st, _, _ := e.api("DELETE", fmt.Sprintf("%s/rules/%d/%d", f.base, f.ids["noa"], f.ids["pete"]), f.patT, ""); st != http.StatusNoContent {
		t.Errorf("remove the forbid: %d", st)
	}
	if st, _, _ := e.api("DELETE", fmt.Sprintf("%s/rules/%d/%d", f.base, f.ids["noa"], f.ids["pete"]), f.patT, ""); st != http.StatusNotFound {
		t.Errorf("remove it again: %d", st)
	}

	// Publish: a stale run is refused with what changed; then once, and
	// again changes nothing.
	if st, out, _ := e.api("DELETE", f.base+"/application", f.tokens["uri"], ""); st != http.StatusNoContent {
		t.Fatalf("Uri withdraws: %d %v", st, out)
	}
	st, body, _ = e.api("POST", f.base+"/runs/"+r2+"/publish", f.patT, "")
	if st != http.StatusConflict || !strings.Contains(body["detail"].(string), "Uri") {
		t.Errorf("publish a stale run: %d %v", st, body)
	}
	st, body, _ = e.api("POST", f.base+"/runs", f.patT, `{"mode":"optimal"}`)
	if st != http.StatusCreated {
		t.Fatalf("run 3: %d %v", st, body)
	}
	r3 := ftoa(body["run"].(map[string]any)["id"].(float64))
	st, body, _ = e.api("POST", f.base+"/runs/"+r3+"/publish", f.patT, "")
	if st != http.StatusOK || body["engagements"] != float64(2) || body["already"] != false {
		t.Fatalf("publish: %d %v", st, body)
	}
	st, body, _ = e.api("POST", f.base+"/runs/"+r3+"/publish", f.patT, "")
	if st != http.StatusOK || body["engagements"] != float64(0) || body["already"] != true || !strings.Contains(body["message"].(string), "nothing changed") {
		t.Errorf("publish again: %d %v", st, body)
	}
	st, body, _ = e.api("GET", f.base+"/runs/"+r3, f.patT, "")
	if st != http.StatusOK || body["run"].(map[string]any)["published_at"] == nil {
		t.Errorf("the published run: %d %v", st, body)
	}
}

// TestMatchingPages: the same through the pages, without JavaScript: the
// matching page with its run form, bad weights named inline, the preview
// with its table, pin and forbid forms, the comparison and publishing
// with its confirmation.
func TestMatchingPages(t *testing.T) {
	f := newCohortFixture(t)
	pat := f.pat
	if r := pat.get(f.page); !strings.Contains(r.body, `href="`+f.page+`/matching"`) {
		t.Errorf("the program page does not lead to matching")
	}
	mia := f.e.signIn("mia@acme.test", "another good password")
	if r := mia.get(f.page + "/matching"); r.status != http.StatusForbidden {
		t.Errorf("an applicant opens the matching page: %d", r.status)
	}
	r := pat.get(f.page + "/matching")
	if r.status != http.StatusOK || !strings.Contains(r.body, `name="weight_q`+f.track+`"`) || !strings.Contains(r.body, `value="3"`) {
		t.Fatalf("matching page: %d\n%s", r.status, r.body)
	}
	r = pat.post(f.page+"/runs", url.Values{"mode": {"optimal"}, "weight_q" + f.track: {"many"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-weights"`) || !strings.Contains(r.body, "Give Track a weight from 0 to 10") {
		t.Errorf("a weight that is no number: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `value="many"`) {
		t.Errorf("the refused form does not keep what was typed")
	}
	r = pat.post(f.page+"/runs", url.Values{"mode": {"optimal"}, "weight_q" + f.track: {"5"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("run: %d\n%s", r.status, r.body)
	}
	preview := r.header.Get("Location")
	if r := pat.get(f.page + "/matching"); !strings.Contains(r.body, `name="weight_q`+f.track+`" type="number" min="0" max="10" inputmode="numeric" value="5"`) {
		t.Errorf("the run form does not start from the last run's weights")
	}
	r = pat.get(preview)
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"optimal: no other matching", "Mia", "Olga", `id="distribution"`, "<meter", "Pairs 1–3 of 3", `value="pin"`, `value="forbid"`, "Publish this run"} {
		if !strings.Contains(html.UnescapeString(r.body), want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if r := pat.get(preview + "?q=noa"); !strings.Contains(r.body, "Pairs 1–1 of 1") {
		t.Errorf("filter by name")
	}
	if r := pat.get(preview + "?sort=mentor&order=desc"); r.status != http.StatusOK || strings.Index(r.body, "pete@acme.test") > strings.Index(r.body, "olga@acme.test") {
		t.Errorf("sort by mentor, Z to A: %d", r.status)
	}
	// Forbid Noa with Pete from the row, then try to pin it: refused on the row.
	back := preview + "?sort=mentee"
	rule := url.Values{"mentee_id": {fmt.Sprint(f.ids["noa"])}, "mentor_id": {fmt.Sprint(f.ids["pete"])}, "run": {runNum(preview)}, "back": {back}}
	rule.Set("kind", "forbid")
	if r := pat.post(f.page+"/rules", rule); r.status != http.StatusSeeOther || r.header.Get("Location") != back {
		t.Fatalf("forbid: %d %s", r.status, r.header.Get("Location"))
	}
	rule.Set("kind", "pin")
	r = pat.post(f.page+"/rules", rule)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "This pair is forbidden") || !strings.Contains(r.body, "Allow") {
		t.Errorf("pin a forbidden pair: %d\n%s", r.status, r.body)
	}
	r = pat.post(f.page+"/rules/delete", rule)
	if r.status != http.StatusSeeOther {
		t.Errorf("allow again: %d", r.status)
	}
	rule.Set("mentee_id", fmt.Sprint(f.ids["mia"]))
	if r := pat.post(f.page+"/rules", rule); r.status != http.StatusSeeOther {
		t.Fatalf("pin Mia with Pete: %d\n%s", r.status, r.body)
	}
	r = pat.post(f.page+"/runs", url.Values{"mode": {"stable"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("run 2: %d\n%s", r.status, r.body)
	}
	preview2 := r.header.Get("Location")
	r = pat.get(f.page + "/matching")
	if !strings.Contains(r.body, "Run "+runNum(preview2)) || !strings.Contains(r.body, "pinned") {
		t.Errorf("the matching page does not list the runs and the pin:\n%s", r.body)
	}
	r = pat.get(f.page + "/compare?a=" + runNum(preview) + "&b=" + runNum(preview2))
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="moved"`) || !strings.Contains(r.body, "changed") {
		t.Errorf("compare: %d\n%s", r.status, r.body)
	}
	r = pat.get(f.page + "/compare?a=" + runNum(preview))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-b"`) {
		t.Errorf("compare with nothing: %d", r.status)
	}
	// Publish with a confirmation, then again: nothing changes.
	r = pat.get(preview2 + "/publish")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Publish 3 partnerships") {
		t.Fatalf("confirmation: %d\n%s", r.status, r.body)
	}
	r = pat.post(preview2+"/publish", url.Values{"confirm": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, r.body)
	}
	if r := pat.get(r.header.Get("Location")); !strings.Contains(r.body, "Published: 3 proposed partnerships") || !strings.Contains(r.body, "published") {
		t.Errorf("after publishing:\n%s", r.body)
	}
	r = pat.post(preview2+"/publish", url.Values{"confirm": {"1"}})
	if r := pat.get(r.header.Get("Location")); !strings.Contains(r.body, "published already: nothing changed") {
		t.Errorf("publishing again does not say so")
	}
	r = pat.post(preview+"/publish", url.Values{"confirm": {"1"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "was published already") {
		t.Errorf("publish another run: %d", r.status)
	}
}

var lastNumber = regexp.MustCompile(`(\d+)$`)

// runNum returns the last number of an address: a run's id.
func runNum(u string) string { return lastNumber.FindString(u) }
