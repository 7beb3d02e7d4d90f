package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestProgramPartnerships: once a mentor accepts a request, the
// partnership names its program in the API and links to it on its page;
// the program's admin and the organization's administrator list the
// program's partnerships and requests (status only, never the message)
// on the Partnerships page and in the API, paginated; an applicant is
// forbidden, a stranger finds nothing.
func TestProgramPartnerships(t *testing.T) {
	f := newSelfServeFixture(t)
	e, ada, mona, mike := f.e, f.ada, f.mona, f.mike
	base, page := f.base, f.page
	pat := ada.invite("pat@acme.test", "Pat Programs", "member")
	patT := pat.token("t")
	if st, body, _ := e.api("PUT", base+"/admins", f.adaT, `{"admin_emails":["pat@acme.test"]}`); st >= 300 {
		t.Fatalf("name pat: %d %v", st, body)
	}
	if r := ada.post(page+"/matching", map[string][]string{"mode": {"self_serve"}}); r.status != http.StatusSeeOther {
		t.Fatalf("self-serve: %d", r.status)
	}
	mikeID := fmt.Sprint(e.personIDs(f.adaT)["mike@acme.test"])
	st, body, _ := e.api("POST", base+"/requests", f.monaT, `{"mentor_id":`+mikeID+`,"message":"A secret hello"}`)
	if st != http.StatusCreated {
		t.Fatalf("mona asks: %d %v", st, body)
	}
	st, body, _ = e.api("POST", fmt.Sprintf("%s/requests/%v/accept", base, body["id"]), f.mikeT, "")
	if st != http.StatusOK {
		t.Fatalf("mike accepts: %d %v", st, body)
	}
	engID := fmt.Sprint(body["engagement_id"])
	programID := strings.TrimPrefix(base, "/api/v1/programs/")

	// The partnership names its program.
	st, body, _ = e.api("GET", "/api/v1/engagements/"+engID, f.monaT, "")
	if st != http.StatusOK || fmt.Sprint(body["program_id"]) != programID {
		t.Errorf("the engagement's program: %d %v", st, body)
	}
	if r := mona.get("/engagements/" + engID); !strings.Contains(r.body, `href="`+page+`">Self serve</a>`) {
		t.Errorf("the engagement page does not link to the program:\n%s", r.body)
	}

	// The program's admin and the administrator: page and API.
	for name, x := range map[string]struct {
		b   *browser
		tok string
	}{"pat": {pat, patT}, "ada": {ada, f.adaT}} {
		r := x.b.get(page + "/partnerships")
		if r.status != http.StatusOK || !strings.Contains(r.body, `role="region" aria-label="Partnerships"`) ||
			!strings.Contains(r.body, "Mona Mentee") || !strings.Contains(r.body, "Waiting for an answer") && !strings.Contains(r.body, "Accepted") ||
			strings.Contains(r.body, "A secret hello") || strings.Contains(r.body, " hx-boost") {
			t.Errorf("%s's Partnerships page: %d\n%s", name, r.status, r.body)
		}
		if r := x.b.get(page); !strings.Contains(r.body, page+"/partnerships") {
			t.Errorf("%s's program page does not link to the partnerships", name)
		}
		st, body, _ := e.api("GET", base+"/partnerships", x.tok, "")
		list, _ := body["partnerships"].([]any)
		if st != http.StatusOK || len(list) != 1 || body["total"] != float64(1) {
			t.Fatalf("%s lists partnerships: %d %v", name, st, body)
		}
		row := list[0].(map[string]any)
		if fmt.Sprint(row["engagement_id"]) != engID || row["status"] != "draft" || row["phase"] != nil ||
			row["started_at"] != nil || row["last_session"] != nil || strings.Contains(fmt.Sprint(row), "outcomes") {
			t.Errorf("%s's partnership row: %v", name, row)
		}
		st, body, _ = e.api("GET", base+"/request-statuses?limit=1", x.tok, "")
		if list, _ := body["requests"].([]any); st != http.StatusOK || len(list) != 1 || strings.Contains(fmt.Sprint(body), "secret") || strings.Contains(fmt.Sprint(body), "message") {
			t.Errorf("%s lists requests: %d %v", name, st, body)
		}
		for _, q := range []string{"?limit=0", "?limit=201", "?offset=-1", "?limit=x"} {
			if st, body, _ := e.api("GET", base+"/partnerships"+q, x.tok, ""); st != http.StatusUnprocessableEntity || body["errors"] == nil {
				t.Errorf("%s: partnerships%s: %d %v", name, q, st, body)
			}
		}
	}
	if st, body, _ := e.api("GET", base+"/partnerships?offset=1", f.adaT, ""); st != http.StatusOK || len(body["partnerships"].([]any)) != 0 || body["total"] != float64(1) {
		t.Errorf("the second page: %d %v", st, body)
	}

	// An applicant may not; a stranger finds nothing.
	for _, path := range []string{base + "/partnerships", base + "/request-statuses"} {
		if st, _, _ := e.api("GET", path, f.monaT, ""); st != http.StatusForbidden {
			t.Errorf("the mentee gets %s: %d", path, st)
		}
	}
	if r := mike.get(page + "/partnerships"); r.status != http.StatusForbidden {
		t.Errorf("the mentor gets the Partnerships page: %d", r.status)
	}
	if _, err := e.app.CreateOrgWithAdmin(t.Context(), appSetup("Beta", "Bo", "bo@beta.test")); err != nil {
		t.Fatal(err)
	}
	bo := e.signIn("bo@beta.test", "correct horse battery")
	zed := bo.token("bo")
	for _, path := range []string{base + "/partnerships", base + "/request-statuses"} {
		if st, _, _ := e.api("GET", path, zed, ""); st != http.StatusNotFound {
			t.Errorf("a stranger gets %s: %d", path, st)
		}
	}
	if r := bo.get(page + "/partnerships"); r.status != http.StatusNotFound {
		t.Errorf("a stranger gets the Partnerships page: %d", r.status)
	}
}
