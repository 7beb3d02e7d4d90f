package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// engagementOrg is acmeCSV's organization with accounts for the people the
// engagement tests act as: Dev (reports to the VP), the VP, Ops (the VP's
// other report) and Chidi (the CEO).
func engagementOrg(t *testing.T) (*env, map[string]*browser) {
	t.Helper()
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", acmeCSV)
	b := map[string]*browser{"admin": admin}
	for _, p := range []struct{ key, email, name string }{{"dev", "dev@acme.test", "Dev One"}, {"vp", "vp@acme.test", "Zoë Ångström"},
		{"ops", "ops@acme.test", "Ops Two"}, {"ceo", "ceo@acme.test", "Chidi Okafor"}} {
		b[p.key] = admin.invite(p.email, p.name, "member")
	}
	return e, b
}

var idFromLocation = regexp.MustCompile(`/engagements/(\d+)$`)

func proposalForm(kind, learner, guide string) url.Values {
	return url.Values{"kind": {kind}, "learner_email": {learner}, "guide_email": {guide}, "areas_sent": {"1"},
		"areas": {"career", "purpose"}, "outcomes": {"Grow into a staff role\nFind my voice in design reviews"},
		"cadence": {"Monthly"}, "confidentiality": {"Between us"}, "exit_terms": {"Either of us, after a talk"}}
}

func TestEngagementPages(t *testing.T) {
	e, b := engagementOrg(t)
	r := b["dev"].post("/engagements", proposalForm("mentoring", "dev@acme.test", "ceo@acme.test"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "outside the supervisory hierarchy") {
		t.Fatalf("mentor in the chain: %d\n%s", r.status, r.body)
	}
	r = b["dev"].post("/engagements", proposalForm("mentoring", "dev@acme.test", "ops@acme.test"))
	m := idFromLocation.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("propose: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	page := "/engagements/" + m[1]
	r = b["dev"].engagement(page)
	if !strings.Contains(r.body, "Proposed, and agreed by you") || strings.Contains(r.body, "Read version 1 of the agreement") {
		t.Errorf("the proposer is not told their proposal is their agreement, or is asked to answer it")
	}
	r = b["dev"].engagement(page)
	if !strings.Contains(r.body, "Waiting for: Ops Two, Zoë Ångström (manager).") || !strings.Contains(r.body, "Dev One (protégé): proposed and agreed") ||
		!strings.Contains(r.body, "Purpose") || strings.Contains(r.body, "Ethics") {
		t.Fatalf("draft page:\n%s", r.body)
	}
	if r := b["ops"].get(page + "?tab=timeline"); !strings.Contains(r.body, "<strong>Proposed and agreed</strong>: Mentoring partnership") {
		t.Errorf("the timeline does not show the proposal as agreed:\n%s", r.body)
	}
	if r := b["dev"].get("/"); strings.Contains(r.body, page+"?tab=agreement") {
		t.Errorf("the proposer's home asks them to answer their own proposal")
	}
	if r := b["ops"].get("/"); !strings.Contains(r.body, "Read and answer the agreement") || !strings.Contains(r.body, page) {
		t.Errorf("the mentor's home does not ask for an answer")
	}
	for _, who := range []string{"ops"} {
		if r := b[who].post(page+"/respond", url.Values{"version": {"1"}, "answer": {"agree"}}); r.status != http.StatusSeeOther {
			t.Fatalf("%s agrees: %d\n%s", who, r.status, r.body)
		}
	}
	if r := b["vp"].post(page+"/respond", url.Values{"version": {"1"}, "answer": {"changes"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Say what you would like changed") {
		t.Errorf("changes without a comment: %d", r.status)
	}
	b["vp"].post(page+"/respond", url.Values{"version": {"1"}, "answer": {"agree"}})
	if r := b["ops"].get("/"); strings.Contains(r.body, "Waiting for your answer") {
		t.Errorf("the home page still asks for an answer once given")
	}
	r = b["dev"].get(page + "?tab=agreement")
	if !strings.Contains(r.body, "in effect") || !strings.Contains(r.body, "status-active") || !strings.Contains(r.body, "initiation") {
		t.Fatalf("not active after all three agreed:\n%s", r.body)
	}
	// The manager sees the agreement, not the agenda, learnings or phases.
	b["dev"].post(page+"/items", url.Values{"kind": {"agenda"}, "body": {"Private worry about my team"}})
	b["ops"].post(page+"/phase", url.Values{"phase": {"cultivation"}, "note": {"We trust each other now"}})
	vp := b["vp"].engagement(page)
	// Zoë's profile says Europe/Stockholm: the timeline is on her clock.
	if !strings.Contains(vp.body, "2 Mar 2026 10:00 CET") {
		t.Errorf("times are not in the viewer's time zone")
	}
	if !strings.Contains(vp.body, "Grow into a staff role") || strings.Contains(vp.body, "Private worry") || strings.Contains(vp.body, "We trust each other") {
		t.Errorf("the manager's view is wrong")
	}
	if r := b["dev"].engagement(page); !strings.Contains(r.body, "Private worry") || !strings.Contains(r.body, "initiation → cultivation") {
		t.Errorf("the partner does not see the agenda and phase history")
	}
	if r := b["ceo"].get(page); r.status != http.StatusNotFound {
		t.Errorf("someone outside sees the partnership: %d", r.status)
	}
	if r := b["ceo"].post(page+"/end", url.Values{"reason": {"x"}}); r.status != http.StatusNotFound {
		t.Errorf("someone outside ends it: %d", r.status)
	}
	if r := b["admin"].engagement(page); r.status != http.StatusOK || strings.Contains(r.body, "Grow into a staff role") || strings.Contains(r.body, "Private worry") {
		t.Errorf("the administrator sees more than status and dates: %d", r.status)
	}
	list := b["dev"].get("/engagements")
	if !strings.Contains(list.body, "Dev One</strong> mentored by <strong>Ops Two") {
		t.Errorf("my engagements lacks the partnership:\n%s", list.body)
	}

	t.Run("ReorgInsideTheChain", func(t *testing.T) {
		// Dev now reports to Ops, the mentor: the page says so, and new work waits.
		dev := e.personIDs(b["admin"].token("reorg"))["dev@acme.test"]
		if r := b["admin"].post(fmt.Sprintf("/people/%d/manager", dev), url.Values{"manager_email": {"ops@acme.test"}}); r.status != http.StatusSeeOther {
			t.Fatalf("reorg: %d\n%s", r.status, r.body)
		}
		if r := b["dev"].get(page); !strings.Contains(r.body, "Now inside the management chain") {
			t.Errorf("the partnership page does not say it is inside the chain")
		}
		if r := b["dev"].get("/engagements"); !strings.Contains(r.body, "inside the chain") {
			t.Errorf("the list does not mark it")
		}
		if r := b["dev"].post(page+"/items", url.Values{"kind": {"agenda"}, "body": {"After the reorg"}}); r.status != http.StatusConflict ||
			!strings.Contains(r.body, "outside the supervisory hierarchy") {
			t.Errorf("work inside the chain: %d", r.status)
		}
	})

	t.Run("CoachingForm", func(t *testing.T) {
		f := url.Values{"kind": {"coaching"}, "learner_email": {"dev@acme.test"}, "guide_email": {"vp@acme.test"}, "setting": {"Online"},
			"outcomes": {"Ship the service"}, "cadence": {"Weekly"}, "confidentiality": {"Between us"}, "exit_terms": {"Either"},
			"evaluation_method": {"Rubric"}, "start": {"2026-03-02"}, "end": {"2026-02-01"}}
		r := b["dev"].post("/engagements", f)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-skill"`) || !strings.Contains(r.body, `id="e-end"`) {
			t.Fatalf("bad coaching: %d\n%s", r.status, r.body)
		}
		_, out, _ := e.api("GET", "/api/v1/skills", b["admin"].token("s"), "")
		var goID string
		for _, s := range out["skills"].([]any) {
			if s.(map[string]any)["name"] == "Go" {
				goID = fmt.Sprint(int64(s.(map[string]any)["id"].(float64)))
			}
		}
		f.Set("skill", goID)
		f.Set("end", "2026-05-29")
		r = b["dev"].post("/engagements", f)
		if r.status != http.StatusSeeOther {
			t.Fatalf("coaching: %d\n%s", r.status, r.body)
		}
		r = b["dev"].post("/engagements", f)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "already has an open coaching engagement for Go") {
			t.Errorf("second Go coaching: %d", r.status)
		}
	})
}

// TestGuestCoach invites an external coach as a guest: they coach one
// engagement and see nothing else of the organization.
func TestGuestCoach(t *testing.T) {
	e, b := engagementOrg(t)
	r := b["dev"].post("/admin/invitations", url.Values{"email": {"kim@practice.test"}, "name": {"Kim Coach"}, "guest": {"1"}})
	if r.status != http.StatusForbidden {
		t.Errorf("a member invited a guest: %d", r.status)
	}
	r = b["admin"].post("/admin/invitations", url.Values{"email": {"kim@practice.test"}, "name": {"Kim Coach"}, "role": {"admin"}, "guest": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("invite guest: %d\n%s", r.status, r.body)
	}
	guest := e.browser()
	if r := guest.post(e.mail.MustLastLink(t, "kim@practice.test"), url.Values{"name": {"Kim Coach"}, "password": {"another good password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", r.status)
	}
	tok := b["admin"].token("t")
	_, out, _ := e.api("GET", "/api/v1/skills", tok, "")
	var goID string
	for _, s := range out["skills"].([]any) {
		if s.(map[string]any)["name"] == "Go" {
			goID = fmt.Sprint(int64(s.(map[string]any)["id"].(float64)))
		}
	}
	f := url.Values{"kind": {"coaching"}, "learner_email": {"dev@acme.test"}, "guide_email": {"kim@practice.test"}, "setting": {"Online"},
		"skill": {goID}, "outcomes": {"Ship the service"}, "cadence": {"Weekly"}, "confidentiality": {"Between us"}, "exit_terms": {"Either"},
		"evaluation_method": {"Rubric"}, "start": {"2026-03-02"}, "end": {"2026-05-29"}}
	r = b["dev"].post("/engagements", f)
	if r.status != http.StatusSeeOther {
		t.Fatalf("coaching with a guest coach: %d\n%s", r.status, r.body)
	}
	page := r.header.Get("Location")
	if r := guest.get(page + "?tab=agreement"); r.status != http.StatusOK || !strings.Contains(r.body, "Ship the service") {
		t.Errorf("the guest coach cannot see their engagement: %d", r.status)
	}
	// What the page offers a guest coach opens: changing the agreement, and
	// their own profile.
	if r := guest.get(page + "/agreement/edit"); r.status != http.StatusOK {
		t.Errorf("the guest coach opens the agreement form: %d", r.status)
	}
	kim := e.personIDs(tok)["kim@practice.test"]
	if r := guest.get(fmt.Sprintf("/people/%d/edit", kim)); r.status != http.StatusOK || !strings.Contains(r.body, "<option") {
		t.Errorf("the guest coach opens their profile form: %d", r.status)
	}
	if r := guest.get("/"); r.status != http.StatusOK || !strings.Contains(r.body, "Guest") || strings.Contains(r.body, `href="/people"`) {
		t.Errorf("guest home: %d", r.status)
	}
	for _, path := range []string{"/people", "/skills", "/engagements/new?kind=coaching"} {
		if r := guest.get(path); r.status != http.StatusForbidden && path != "/engagements/new?kind=coaching" {
			t.Errorf("guest GET %s: %d", path, r.status)
		}
	}
	// Someone else's page answers as a page that does not exist.
	if r := guest.get("/people/2"); r.status != http.StatusNotFound {
		t.Errorf("guest GET /people/2: %d", r.status)
	}
	if r := guest.post("/engagements", proposalForm("mentoring", "kim@practice.test", "dev@acme.test")); r.status != http.StatusForbidden && r.status != http.StatusUnprocessableEntity {
		t.Errorf("guest proposes: %d", r.status)
	}
	other := b["ops"].post("/engagements", proposalForm("mentoring", "ops@acme.test", "dev@acme.test"))
	if other.status != http.StatusSeeOther {
		t.Fatalf("propose: %d", other.status)
	}
	if r := guest.get(other.header.Get("Location")); r.status != http.StatusNotFound {
		t.Errorf("the guest sees someone else's engagement: %d", r.status)
	}
}
