package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// goSkillID returns the catalogue id of Go, as an administrator reads it.
func goSkillID(e *env, adminToken string) string {
	e.t.Helper()
	_, out, _ := e.api("GET", "/api/v1/skills", adminToken, "")
	for _, s := range out["skills"].([]any) {
		if s.(map[string]any)["name"] == "Go" {
			return fmt.Sprint(int64(s.(map[string]any)["id"].(float64)))
		}
	}
	e.t.Fatal("no Go in the catalogue")
	return ""
}

func coachingForm(learner, guide, skill string) url.Values {
	return url.Values{"kind": {"coaching"}, "learner_email": {learner}, "guide_email": {guide}, "setting": {"Online"},
		"skill": {skill}, "outcomes": {"Ship the service"}, "cadence": {"Weekly"}, "confidentiality": {"Between us"}, "exit_terms": {"Either"},
		"evaluation_method": {"Rubric"}, "start": {"2026-03-02"}, "end": {"2026-05-29"}}
}

// TestOpenCoachingConflictLeak: proposing coaching for a learner who has
// an open coaching engagement in the skill is refused, on the page and in
// the API, but only names that engagement (its coach, its number) to
// someone who may see it.
func TestOpenCoachingConflictLeak(t *testing.T) {
	e, b := engagementOrg(t)
	adminTok := b["admin"].token("a")
	goID := goSkillID(e, adminTok)
	r := b["dev"].post("/engagements", coachingForm("dev@acme.test", "vp@acme.test", goID))
	m := idFromLocation.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("coaching: %d\n%s", r.status, r.body)
	}
	number := "#" + m[1]
	const generic = "There is already an open coaching engagement for this person and skill"

	// Ops, the proposed new coach, is no party to Dev's coaching with Zoë.
	r = b["ops"].post("/engagements", coachingForm("dev@acme.test", "ops@acme.test", goID))
	if r.status != http.StatusConflict || !strings.Contains(r.body, generic) || strings.Contains(r.body, "Zoë") || strings.Contains(r.body, number) {
		t.Errorf("a second Go coaching proposed by someone who may not see the first: %d\n%s", r.status, r.body)
	}
	ids := e.personIDs(adminTok)
	body := fmt.Sprintf(`{"kind":"coaching","learner_id":%d,"guide_id":%d,"skill_id":%s,"setting":"Online","agreement":{"outcomes":["Ship it"],
		"cadence":"Weekly","confidentiality":"Between us","exit_terms":"Either","evaluation_method":"Rubric","start":"2026-03-02","end":"2026-05-29"}}`,
		ids["dev@acme.test"], ids["ops@acme.test"], goID)
	st, out, _ := e.api("POST", "/api/v1/engagements", b["ops"].token("o"), body)
	if detail := fmt.Sprint(out["detail"], out["errors"]); st != http.StatusConflict || !strings.Contains(detail, generic) ||
		strings.Contains(detail, "Zoë") || strings.Contains(detail, number) {
		t.Errorf("API, someone who may not see the first: %d %v", st, out)
	}
	// Dev, the learner, may: the answer says which engagement it is.
	r = b["dev"].post("/engagements", coachingForm("dev@acme.test", "ops@acme.test", goID))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "with Zoë Ångström ("+number) {
		t.Errorf("the learner's second Go coaching: %d\n%s", r.status, r.body)
	}
	st, out, _ = e.api("POST", "/api/v1/engagements", b["dev"].token("d"), body)
	if st != http.StatusConflict || !strings.Contains(fmt.Sprint(out["detail"]), "with Zoë Ångström ("+number) {
		t.Errorf("API, the learner: %d %v", st, out)
	}
}

// guestCoach invites Kim as a guest coach of Dev's Go coaching and returns
// Kim's browser and API token, an administrator's token and Go's id.
func guestCoach(t *testing.T, e *env, b map[string]*browser) (*browser, string, string, string) {
	t.Helper()
	r := b["admin"].post("/admin/invitations", url.Values{"email": {"kim@practice.test"}, "name": {"Kim Coach"}, "guest": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("invite guest: %d\n%s", r.status, r.body)
	}
	guest := e.browser()
	if r := guest.post(e.mail.MustLastLink(t, "kim@practice.test"), url.Values{"name": {"Kim Coach"}, "password": {"another good password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.status)
	}
	adminTok := b["admin"].token("a")
	goID := goSkillID(e, adminTok)
	if r := b["dev"].post("/engagements", coachingForm("dev@acme.test", "kim@practice.test", goID)); r.status != http.StatusSeeOther {
		t.Fatalf("coaching with a guest coach: %d\n%s", r.status, r.body)
	}
	return guest, guest.token("g"), adminTok, goID
}

// TestGuestPersonNotFound: to a guest, every person but themself answers
// exactly as an id that does not exist, on pages and in the API.
func TestGuestPersonNotFound(t *testing.T) {
	e, b := engagementOrg(t)
	guest, tok, adminTok, _ := guestCoach(t, e, b)
	vp := e.personIDs(adminTok)["vp@acme.test"]
	const missing = 999999
	profile := `{"name":"Renamed","time_zone":"UTC"}`
	for _, id := range []int64{vp, missing} {
		for _, path := range []string{"/people/%d", "/people/%d/edit", "/people/%d/chart"} {
			p := fmt.Sprintf(path, id)
			if r := guest.get(p); r.status != http.StatusNotFound || !strings.Contains(r.body, "No such person.") {
				t.Errorf("guest GET %s: %d", p, r.status)
			}
		}
		p := fmt.Sprintf("/people/%d/edit", id)
		if r := guest.post(p, url.Values{"name": {"Renamed"}, "time_zone": {"UTC"}}); r.status != http.StatusNotFound || !strings.Contains(r.body, "No such person.") {
			t.Errorf("guest POST %s: %d", p, r.status)
		}
		for _, c := range []struct{ method, path, body string }{{"GET", "/api/v1/people/%d", ""}, {"GET", "/api/v1/people/%d/chain", ""},
			{"PUT", "/api/v1/people/%d/profile", profile}} {
			p := fmt.Sprintf(c.path, id)
			st, out, _ := e.api(c.method, p, tok, c.body)
			if st != http.StatusNotFound || out["code"] != "not_found" || out["detail"] != "No such person." {
				t.Errorf("guest API %s %s: %d %v", c.method, p, st, out)
			}
		}
	}
}

// TestGuestSkillsOnForms: the forms a guest coach opens offer only the
// skills they know of (Go, which they coach), never the members'
// catalogue, and naming another skill of the catalogue answers as a skill
// that does not exist.
func TestGuestSkillsOnForms(t *testing.T) {
	e, b := engagementOrg(t)
	guest, tok, adminTok, _ := guestCoach(t, e, b)
	kim := e.personIDs(adminTok)["kim@practice.test"]
	for _, path := range []string{fmt.Sprintf("/people/%d/edit", kim), "/engagements/new?kind=coaching"} {
		r := guest.get(path)
		if r.status == http.StatusOK && !strings.Contains(r.body, ">Go</option>") {
			t.Errorf("guest GET %s does not offer Go", path)
		}
		for _, hidden := range []string{"Leadership", "Facilitation"} {
			if strings.Contains(r.body, hidden) {
				t.Errorf("guest GET %s (%d) shows %s from the catalogue", path, r.status, hidden)
			}
		}
	}
	put := func(skill string) (int, map[string]any) {
		st, out, _ := e.api("PUT", fmt.Sprintf("/api/v1/people/%d/profile", kim), tok,
			fmt.Sprintf(`{"name":"Kim Coach","time_zone":"UTC","skills":[{"name":%q,"level":"expert","coaches":true}]}`, skill))
		return st, out
	}
	if st, out := put("Go"); st != http.StatusOK {
		t.Errorf("the guest lists Go: %d %v", st, out)
	}
	hst, hidden := put("Leadership")
	mst, missing := put("Underwater basket weaving")
	same := func(m map[string]any, name string) string {
		return strings.ReplaceAll(fmt.Sprint(m["detail"], m["errors"]), name, "X")
	}
	if hst != mst || same(hidden, "Leadership") != same(missing, "Underwater basket weaving") {
		t.Errorf("a catalogue skill the guest does not know: %d %v; one that does not exist: %d %v", hst, hidden, mst, missing)
	}
	r := guest.post(fmt.Sprintf("/people/%d/edit", kim), url.Values{"name": {"Kim Coach"}, "time_zone": {"UTC"},
		"skill_0": {"Leadership"}, "level_0": {"expert"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "is not in the skill catalogue") || strings.Contains(r.body, "Facilitation") {
		t.Errorf("the guest's profile form with a hidden skill: %d\n%s", r.status, r.body)
	}
}
