package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSelfServePages: the program admin turns a running program
// self-serve on its page; a mentee sees ranked suggestions with reasons
// on the program page and asks a mentor with a form (no JavaScript); bad
// requests are answered inline; the mentor sees the request on the home
// page and the program page, and accepts; the mentee finds the proposed
// partnership. The API does the same: suggestions, requests, decline,
// cancel, and a stranger gets 404.
// selfServeFixture is a running mentoring program (cohort mode) of Acme
// run by Ada, with approved mentees Mona and Nina and mentors Mike and
// Mary (one seat each), and everyone's API token.
type selfServeFixture struct {
	e                     *env
	ada, mona, nina, mike *browser
	mary                  *browser
	adaT, monaT, ninaT    string
	mikeT, maryT          string
	base, page            string
}

func newSelfServeFixture(t *testing.T) *selfServeFixture {
	t.Helper()
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	mona := ada.invite("mona@acme.test", "Mona Mentee", "member")
	nina := ada.invite("nina@acme.test", "Nina Mentee", "member")
	mike := ada.invite("mike@acme.test", "Mike Mentor", "member")
	mary := ada.invite("mary@acme.test", "Mary Mentor", "member")
	adaT, monaT, ninaT, mikeT, maryT := ada.token("t"), mona.token("t"), nina.token("t"), mike.token("t"), mary.token("t")

	st, body, _ := e.api("POST", "/api/v1/programs", adaT, `{"name":"Self serve","mentor_capacity":1}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, body)
	}
	base := fmt.Sprintf("/api/v1/programs/%v", body["id"])
	page := fmt.Sprintf("/programs/%v", body["id"])
	if st, _, _ := e.api("POST", base+"/state", adaT, `{"state":"enrolling"}`); st != http.StatusOK {
		t.Fatalf("open: %d", st)
	}
	for _, x := range []struct{ tok, body string }{{monaT, `{"role":"mentee"}`}, {ninaT, `{"role":"mentee"}`},
		{mikeT, `{"role":"mentor","capacity":1}`}, {maryT, `{"role":"mentor","capacity":1}`}} {
		if st, body, _ := e.api("POST", base+"/application", x.tok, x.body); st != http.StatusCreated {
			t.Fatalf("apply: %d %v", st, body)
		}
	}
	_, body, _ = e.api("GET", base+"/applications", adaT, "")
	for _, ap := range body["applications"].([]any) {
		id := ap.(map[string]any)["id"]
		if st, _, _ := e.api("POST", fmt.Sprintf("%s/applications/%v/decision", base, id), adaT, `{"decision":"approve"}`); st != http.StatusOK {
			t.Fatalf("approve: %d", st)
		}
	}
	for _, s := range []string{"matching", "running"} {
		if st, _, _ := e.api("POST", base+"/state", adaT, `{"state":"`+s+`"}`); st != http.StatusOK {
			t.Fatalf("move to %s: %d", s, st)
		}
	}

	return &selfServeFixture{e: e, ada: ada, mona: mona, nina: nina, mike: mike, mary: mary, adaT: adaT, monaT: monaT, ninaT: ninaT,
		mikeT: mikeT, maryT: maryT, base: base, page: page}
}

func TestSelfServePages(t *testing.T) {
	f := newSelfServeFixture(t)
	e, ada, mona, mike := f.e, f.ada, f.mona, f.mike
	adaT, monaT, ninaT, mikeT, maryT := f.adaT, f.monaT, f.ninaT, f.mikeT, f.maryT
	base, page := f.base, f.page
	var st int
	var body map[string]any
	// Cohort mode: the mentee is told, the API says why.
	if r := mona.get(page); r.status != http.StatusOK || !strings.Contains(html.UnescapeString(r.body), "mentees do not ask mentors themselves") {
		t.Errorf("a cohort program's page: %d", r.status)
	}
	if st, body, _ := e.api("GET", base+"/suggestions", monaT, ""); st != http.StatusOK || body["open"] != false || body["mode"] != "cohort" {
		t.Errorf("suggestions in cohort mode: %d %v", st, body)
	}
	// The mode, on the page.
	if r := ada.post(page+"/matching", url.Values{"mode": {"bogus"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose cohort, self_serve or both.") {
		t.Errorf("a bogus mode: %d", r.status)
	}
	if r := mona.post(page+"/matching", url.Values{"mode": {"self_serve"}}); r.status != http.StatusForbidden {
		t.Errorf("a mentee sets the mode: %d", r.status)
	}
	if r := ada.post(page+"/matching", url.Values{"mode": {"self_serve"}}); r.status != http.StatusSeeOther {
		t.Fatalf("self-serve: %d %s", r.status, r.body)
	}
	if st, body, _ := e.api("GET", base+"/matching", ninaT, ""); st != http.StatusOK || body["mode"] != "self_serve" || body["open"] != true {
		t.Errorf("the mode: %d %v", st, body)
	}

	// Suggestions on the page and in the API.
	r := mona.get(page)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Find your mentor") || !strings.Contains(r.body, "Ask Mike Mentor") || !strings.Contains(r.body, "Ask Mary Mentor") {
		t.Fatalf("the mentee's page: %d\n%s", r.status, r.body)
	}
	st, body, _ = e.api("GET", base+"/suggestions?limit=1", monaT, "")
	if list, _ := body["suggestions"].([]any); st != http.StatusOK || len(list) != 1 {
		t.Errorf("one suggestion: %d %v", st, body)
	}
	if st, _, _ := e.api("GET", base+"/suggestions?limit=50", monaT, ""); st != http.StatusUnprocessableEntity {
		t.Errorf("50 suggestions: %d", st)
	}
	if st, _, _ := e.api("GET", base+"/suggestions", mikeT, ""); st != http.StatusForbidden {
		t.Errorf("a mentor's suggestions: %d", st)
	}
	ids := e.personIDs(adaT)
	mikeID, maryID := fmt.Sprint(ids["mike@acme.test"]), fmt.Sprint(ids["mary@acme.test"])

	// Ask on the page: bad input inline, then Mike.
	if r := mona.post(page+"/requests", url.Values{"mentor_id": {"x"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose one of the suggested mentors.") {
		t.Errorf("a bogus mentor: %d", r.status)
	}
	if r := mona.post(page+"/requests", url.Values{"mentor_id": {mikeID}, "message": {strings.Repeat("x", 2001)}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Use at most 2000 characters.") {
		t.Errorf("a long message: %d", r.status)
	}
	if r := mona.post(page+"/requests", url.Values{"mentor_id": {mikeID}, "message": {"Hello Mike"}}); r.status != http.StatusSeeOther {
		t.Fatalf("ask: %d %s", r.status, r.body)
	}
	if r := mona.post(page+"/requests", url.Values{"mentor_id": {mikeID}}); r.status != http.StatusConflict || !strings.Contains(r.body, "You asked Mike Mentor already") {
		t.Errorf("asking twice: %d", r.status)
	}
	if r := mona.get(page); !strings.Contains(r.body, "waiting for their answer") || !strings.Contains(r.body, "Cancel the request") {
		t.Errorf("the pending request is not shown")
	}

	// The mentor: home and program page; accept with the form.
	if r := mike.get("/"); !strings.Contains(r.body, "Answer 1 mentoring request") {
		t.Errorf("the mentor's home does not show the request")
	}
	st, body, _ = e.api("GET", "/api/v1/me/next", mikeT, "")
	if w, _ := body["waiting"].(map[string]any); st != http.StatusOK || len(w["requests"].([]any)) != 1 {
		t.Errorf("the mentor's next: %d %v", st, body)
	}
	r = mike.get(page)
	if !strings.Contains(r.body, "Hello Mike") || !strings.Contains(r.body, "Accept Mona Mentee") {
		t.Fatalf("the mentor's page:\n%s", r.body)
	}
	_, body, _ = e.api("GET", base+"/requests", mikeT, "")
	reqs := body["requests"].([]any)
	if len(reqs) != 1 {
		t.Fatalf("mike's requests: %v", body)
	}
	reqID := reqs[0].(map[string]any)["id"]
	if r := mike.post(fmt.Sprintf("%s/requests/%v/accept", page, reqID), nil); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if r := mike.post(fmt.Sprintf("%s/requests/%v/accept", page, reqID), nil); r.status != http.StatusConflict {
		t.Errorf("accepting twice: %d", r.status)
	}
	if r := mona.get(page); !strings.Contains(r.body, "Your mentor from this program: <strong>Mike Mentor</strong>") {
		t.Errorf("the mentee's page after the accept:\n%s", r.body)
	}
	st, body, _ = e.api("GET", "/api/v1/engagements", monaT, "")
	if st != http.StatusOK || !strings.Contains(fmt.Sprint(body), "Mike Mentor") {
		t.Errorf("mona's engagements: %d %v", st, body)
	}

	// Mike is full: Nina is not offered him, and asking him is refused.
	st, body, _ = e.api("GET", base+"/suggestions", ninaT, "")
	if list, _ := body["suggestions"].([]any); st != http.StatusOK || len(list) != 1 || !strings.Contains(fmt.Sprint(list[0]), "Mary Mentor") {
		t.Errorf("nina's suggestions: %d %v", st, body)
	}
	st, body, _ = e.api("POST", base+"/requests", ninaT, `{"mentor_id":`+mikeID+`}`)
	if errs, _ := body["errors"].(map[string]any); st != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(errs["mentor_id"]), "has no room") {
		t.Errorf("asking a full mentor: %d %v", st, body)
	}
	// The API: ask Mary, cancel, ask again, Mary declines.
	st, body, _ = e.api("POST", base+"/requests", ninaT, `{"mentor_id":`+maryID+`,"message":"Hi"}`)
	if st != http.StatusCreated || body["status"] != "open" {
		t.Fatalf("nina asks: %d %v", st, body)
	}
	rid := fmt.Sprint(body["id"])
	if st, _, _ := e.api("POST", base+"/requests/"+rid+"/cancel", maryT, ""); st != http.StatusForbidden {
		t.Errorf("the mentor cancels: %d", st)
	}
	if st, body, _ := e.api("POST", base+"/requests/"+rid+"/cancel", ninaT, ""); st != http.StatusOK || body["status"] != "cancelled" {
		t.Errorf("cancel: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", base+"/requests/"+rid+"/accept", maryT, ""); st != http.StatusConflict || !strings.Contains(fmt.Sprint(body["detail"]), "cancelled") {
		t.Errorf("accepting a cancelled request: %d %v", st, body)
	}
	st, body, _ = e.api("POST", base+"/requests", ninaT, `{"mentor_id":`+maryID+`}`)
	if st != http.StatusCreated {
		t.Fatalf("nina asks again: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", fmt.Sprintf("%s/requests/%v/decline", base, body["id"]), maryT, ""); st != http.StatusOK || body["status"] != "declined" {
		t.Errorf("decline: %d %v", st, body)
	}
	if st, body, _ := e.api("GET", base+"/requests", ninaT, ""); st != http.StatusOK || len(body["requests"].([]any)) != 2 {
		t.Errorf("nina's requests: %d %v", st, body)
	}

	// Strangers: another organization's member gets 404.
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Beta", "Bo", "bo@beta.test")); err != nil {
		t.Fatal(err)
	}
	zed := e.signIn("bo@beta.test", "correct horse battery").token("bo")
	for _, path := range []string{base + "/suggestions", base + "/requests", base + "/matching"} {
		if st, _, _ := e.api("GET", path, zed, ""); st != http.StatusNotFound {
			t.Errorf("a stranger gets %s: %d", path, st)
		}
	}
	if st, _, _ := e.api("POST", base+"/requests/"+rid+"/accept", zed, ""); st != http.StatusNotFound {
		t.Errorf("a stranger accepts: %d", st)
	}
	if st, _, _ := e.api("GET", base+"/suggestions", zed, ""); st != http.StatusNotFound {
		t.Errorf("a stranger's suggestions: %d", st)
	}
	// Who asks comes before what they ask: a bad limit tells a stranger
	// nothing either, and a mentor is refused whatever the limit.
	for _, q := range []string{"?limit=abc", "?limit=0", "?limit=50"} {
		if st, _, _ := e.api("GET", base+"/suggestions"+q, zed, ""); st != http.StatusNotFound {
			t.Errorf("a stranger's suggestions%s: %d", q, st)
		}
		if st, _, _ := e.api("GET", base+"/suggestions"+q, mikeT, ""); st != http.StatusForbidden {
			t.Errorf("a mentor's suggestions%s: %d", q, st)
		}
	}
}
