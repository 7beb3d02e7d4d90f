package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// TestProgramPages runs a program through its pages: an administrator
// creates it and names a program admin, who builds the questionnaire and
// opens enrollment; a member enrolls and edits, the program admin
// approves; bad input is answered inline.
func TestProgramPages(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	pat := ada.invite("pat@acme.test", "Pat", "member")
	bob := ada.invite("bob@acme.test", "Bob", "member")

	if r := ada.get("/programs/new"); r.status != http.StatusOK {
		t.Fatalf("new program form: %d", r.status)
	}
	if r := pat.get("/programs/new"); r.status != http.StatusForbidden {
		t.Errorf("a member opens the new program form: %d", r.status)
	}
	r := ada.post("/programs", url.Values{"name": {""}, "mentor_capacity": {"500"}, "eligibility": {"everyone"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter the program&#39;s name.") || !strings.Contains(r.body, "from 1 to 20") {
		t.Fatalf("an empty name and a capacity of 500: %d\n%s", r.status, r.body)
	}
	r = ada.post("/programs", url.Values{"name": {"Spring mentoring"}, "description": {"Six months, one mentor"}, "kind": {"mentoring"},
		"eligibility": {"everyone"}, "mentor_capacity": {"2"}, "areas": {"career", "skills"}, "admins": {"pat@acme.test"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	page := r.header.Get("Location")
	if r := bob.get(page); r.status != http.StatusNotFound {
		t.Errorf("a member sees a draft: %d", r.status)
	}
	if r := pat.get(page); r.status != http.StatusOK || !strings.Contains(r.body, "Run the program") {
		t.Fatalf("the program admin's page: %d", r.status)
	}

	// The questionnaire.
	r = pat.post(page+"/questions", url.Values{"type": {"text"}, "label": {"Anything else?"}, "rule": {"same"}, "weight": {"2"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Free text is not a matching criterion.") {
		t.Errorf("free text as a criterion: %d", r.status)
	}
	r = pat.post(page+"/questions", url.Values{"type": {"single"}, "label": {"Track"}, "options": {"Engineering\nSales"}, "required": {"1"}, "rule": {"same"}, "weight": {"3"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("add a question: %d\n%s", r.status, r.body)
	}
	m := regexp.MustCompile(`/questions/(\d+)"`).FindStringSubmatch(pat.get(page + "/questions").body)
	if m == nil {
		t.Fatal("no question on the builder page")
	}
	field := "q" + m[1]

	// States: a wrong move is explained beside the form.
	r = pat.post(page+"/state", url.Values{"state": {"running"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "moves to enrolling or closed, not to running") {
		t.Errorf("draft → running: %d", r.status)
	}
	if r := pat.post(page+"/state", url.Values{"state": {"enrolling"}}); r.status != http.StatusSeeOther {
		t.Fatalf("open enrollment: %d", r.status)
	}

	// Enrollment.
	if r := bob.get("/programs"); !strings.Contains(r.body, "Spring mentoring") {
		t.Errorf("the list does not show the open program to a member")
	}
	if r := bob.get(page + "/apply"); r.status != http.StatusOK || !strings.Contains(r.body, "Track") {
		t.Fatalf("enrollment form: %d", r.status)
	}
	r = bob.post(page+"/apply", url.Values{"role": {"mentor"}, "capacity": {"0"}, field: {"Sales"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "from 1 to 20") {
		t.Errorf("capacity 0: %d", r.status)
	}
	r = bob.post(page+"/apply", url.Values{"role": {"mentor"}, "capacity": {"2"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Answer this question.") {
		t.Errorf("a required question left out: %d", r.status)
	}
	if r := bob.post(page+"/apply", url.Values{"role": {"mentor"}, "capacity": {"2"}, field: {"Sales"}}); r.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", r.status, r.body)
	}
	if r := bob.get(page + "/apply"); !strings.Contains(r.body, `value="Sales" checked`) || !strings.Contains(r.body, "Save my application") {
		t.Errorf("the form does not show the application to edit")
	}
	if r := bob.post(page+"/apply", url.Values{"role": {"mentor"}, "capacity": {"3"}, field: {"Engineering"}}); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}
	if r := bob.get(page + "/applications"); r.status != http.StatusForbidden {
		t.Errorf("an applicant opens the applications: %d", r.status)
	}
	r = pat.get(page + "/applications")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Bob") || !strings.Contains(r.body, "Engineering") {
		t.Fatalf("applications table: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, "mentor (3)") {
		t.Errorf("the edited capacity is not in the table")
	}
	a := regexp.MustCompile(`/applications/(\d+)/decision`).FindStringSubmatch(r.body)
	if a == nil {
		t.Fatal("no decision form")
	}
	if r := pat.post(page+"/applications/"+a[1]+"/decision", url.Values{"decision": {"approve"}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve: %d", r.status)
	}
	if r := bob.get(page); !strings.Contains(r.body, "Approved") {
		t.Errorf("the applicant does not see the approval")
	}
	// An answered question keeps its options.
	r = pat.post(page+"/questions/"+m[1], url.Values{"type": {"single"}, "label": {"Track"}, "options": {"Engineering\nSupport"}, "rule": {"same"}, "weight": {"3"}})
	if r.status != http.StatusConflict || !strings.Contains(html.UnescapeString(r.body), `the option "Sales" cannot change`) {
		t.Errorf("an answered option removed: %d", r.status)
	}
	if r := bob.post(page+"/withdraw", nil); r.status != http.StatusSeeOther {
		t.Errorf("withdraw: %d", r.status)
	}
	if r := bob.get(page); !strings.Contains(r.body, "Withdrawn") || !strings.Contains(r.body, "Apply again") {
		t.Errorf("after withdrawing")
	}
	// An answer the form cannot read saves nothing.
	if r := pat.post(page+"/questions", url.Values{"type": {"skills"}, "label": {"Skills"}, "rule": {"mentor_above"}, "weight": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add a skills question: %d", r.status)
	}
	sk := regexp.MustCompile(`/questions/(\d+)"`).FindAllStringSubmatch(pat.get(page+"/questions").body, -1)
	r = bob.post(page+"/apply", url.Values{"role": {"mentee"}, field: {"Sales"}, "q" + sk[len(sk)-1][1]: {"Negotiation"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Write each skill as name:level") {
		t.Errorf("a skill without its level: %d", r.status)
	}
	if r := bob.get(page); !strings.Contains(r.body, "Withdrawn") {
		t.Errorf("an unreadable answer applied anyway")
	}
}

// TestProgramAPI: the same through /api/v1/programs, with who may do
// what: the program admin, an administrator, an applicant and a stranger
// from another organization (404).
func TestProgramAPI(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	pat := ada.invite("pat@acme.test", "Pat", "member")
	bob := ada.invite("bob@acme.test", "Bob", "member")
	adaT, patT, bobT := ada.token("a"), pat.token("p"), bob.token("b")
	sctx := tandemtest.MustOrg(t, e.db, "Elsewhere")
	strangerT, _, err := e.app.CreateAPIToken(sctx, "s")
	if err != nil {
		t.Fatal(err)
	}

	st, body, _ := e.api("POST", "/api/v1/programs", adaT, `{"name":"","mentor_capacity":500,"admin_emails":["nobody@acme.test"]}`)
	if errs, _ := body["errors"].(map[string]any); st != http.StatusUnprocessableEntity || errs["name"] == nil || errs["mentor_capacity"] == nil || errs["admins"] == nil {
		t.Errorf("bad program: %d %v", st, body)
	}
	if st, _, _ := e.api("POST", "/api/v1/programs", patT, `{"name":"Mine"}`); st != http.StatusForbidden {
		t.Errorf("a member creates a program: %d", st)
	}
	st, body, _ = e.api("POST", "/api/v1/programs", adaT, `{"name":"API cohort","admin_emails":["pat@acme.test"]}`)
	if st != http.StatusCreated || body["state"] != "draft" {
		t.Fatalf("create: %d %v", st, body)
	}
	base := "/api/v1/programs/" + ftoa(body["id"].(float64))
	st, body, _ = e.api("POST", base+"/questions", patT, `{"type":"scale","label":"Experience","required":true,"rule":"mentor_above","weight":4}`)
	if st != http.StatusCreated {
		t.Fatalf("question: %d %v", st, body)
	}
	qid := ftoa(body["id"].(float64))
	if st, body, _ := e.api("POST", base+"/state", patT, `{"state":"matching"}`); st != http.StatusUnprocessableEntity || body["errors"].(map[string]any)["state"] == nil {
		t.Errorf("draft → matching: %d %v", st, body)
	}
	if st, _, _ := e.api("POST", base+"/application", bobT, `{"role":"mentee"}`); st != http.StatusNotFound {
		t.Errorf("apply to a draft (not visible yet): %d", st)
	}
	if st, body, _ := e.api("POST", base+"/state", patT, `{"state":"enrolling"}`); st != http.StatusOK || body["state"] != "enrolling" {
		t.Fatalf("open: %d %v", st, body)
	}
	app := `{"role":"mentee","answers":{"` + qid + `":{"scale":2}}}`
	if st, body, _ := e.api("POST", base+"/application", bobT, app); st != http.StatusCreated || body["status"] != "submitted" {
		t.Fatalf("apply: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", base+"/application", bobT, app); st != http.StatusConflict {
		t.Errorf("apply twice: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", base+"/application", patT, `{"role":"mentor","capacity":500,"answers":{"`+qid+`":{"scale":5}}}`); st != http.StatusUnprocessableEntity || body["errors"].(map[string]any)["capacity"] == nil {
		t.Errorf("capacity 500: %d %v", st, body)
	}
	st, body, _ = e.api("GET", base, bobT, "")
	if st != http.StatusOK || body["viewer"] != "applicant" || body["applications"] != nil || body["next_states"] != nil || body["my_application"] == nil {
		t.Errorf("the program as the applicant sees it: %d %v", st, body)
	}
	for _, who := range []struct {
		name, token string
		want        int
	}{{"applicant", bobT, http.StatusForbidden}, {"stranger", strangerT, http.StatusNotFound}, {"program admin", patT, http.StatusOK}, {"administrator", adaT, http.StatusOK}} {
		if st, _, _ := e.api("GET", base+"/applications", who.token, ""); st != who.want {
			t.Errorf("applications as the %s: %d, want %d", who.name, st, who.want)
		}
	}
	if st, _, _ := e.api("GET", base, strangerT, ""); st != http.StatusNotFound {
		t.Errorf("the program as a stranger: %d", st)
	}
	if st, _, _ := e.api("PUT", base+"/admins", patT, `{"admin_emails":["bob@acme.test"]}`); st != http.StatusForbidden {
		t.Errorf("a program admin names admins: %d", st)
	}
	_, body, _ = e.api("GET", base+"/applications", patT, "")
	list := body["applications"].([]any)
	first := list[0].(map[string]any)
	if first["answers"].(map[string]any)[qid].(map[string]any)["scale"] != float64(2) {
		t.Errorf("answers: %v", first)
	}
	aid := ftoa(first["id"].(float64))
	if st, body, _ := e.api("POST", base+"/applications/"+aid+"/decision", patT, `{"decision":"approve"}`); st != http.StatusOK || body["status"] != "approved" {
		t.Errorf("approve: %d %v", st, body)
	}
	if st, body, _ := e.api("PUT", base+"/questions/"+qid, patT, `{"type":"text","label":"Experience"}`); st != http.StatusConflict {
		t.Errorf("an answered question changes type: %d %v", st, body)
	}
	if st, _, _ := e.api("DELETE", base+"/questions/"+qid, patT, ""); st != http.StatusConflict {
		t.Errorf("an answered question deleted: %d", st)
	}
	e.api("POST", base+"/state", patT, `{"state":"matching"}`)
	if st, _, _ := e.api("PUT", base+"/application", bobT, app); st != http.StatusConflict {
		t.Errorf("edit after enrollment closed: %d", st)
	}
	if st, _, _ := e.api("DELETE", base+"/application", bobT, ""); st != http.StatusNoContent {
		t.Errorf("withdraw while matching: %d", st)
	}
}

// TestEnrollmentFormEveryType: the form made from a questionnaire with
// every type of question reads each answer back as it was given.
func TestEnrollmentFormEveryType(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	if r := ada.post("/skills", url.Values{"name": {"Negotiation"}}); r.status != http.StatusSeeOther {
		t.Fatalf("skill: %d", r.status)
	}
	r := ada.post("/programs", url.Values{"name": {"All types"}, "eligibility": {"everyone"}, "mentor_capacity": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	page := r.header.Get("Location")
	for _, q := range []url.Values{
		{"type": {"single"}, "label": {"One"}, "options": {"Red\nBlue"}},
		{"type": {"multiple"}, "label": {"Many"}, "options": {"Mon\nTue\nWed"}, "rule": {"overlap"}, "weight": {"2"}},
		{"type": {"skills"}, "label": {"Skills wanted"}, "rule": {"mentor_above"}, "weight": {"5"}},
		{"type": {"languages"}, "label": {"Languages"}, "rule": {"must_share"}},
		{"type": {"time_zone"}, "label": {"Zone"}, "rule": {"within_hours"}, "weight": {"1"}, "hours": {"3"}},
		{"type": {"text"}, "label": {"Why"}},
		{"type": {"scale"}, "label": {"Seniority"}, "rule": {"mentor_above"}, "weight": {"3"}},
	} {
		if r := ada.post(page+"/questions", q); r.status != http.StatusSeeOther {
			t.Fatalf("question %s: %d\n%s", q.Get("label"), r.status, r.body)
		}
	}
	if r := ada.post(page+"/state", url.Values{"state": {"enrolling"}}); r.status != http.StatusSeeOther {
		t.Fatalf("open: %d", r.status)
	}
	ids := regexp.MustCompile(`name="(q\d+)"`).FindAllStringSubmatch(ada.get(page+"/apply").body, -1)
	var fields []string
	for _, m := range ids {
		if len(fields) == 0 || fields[len(fields)-1] != m[1] {
			fields = append(fields, m[1])
		}
	}
	if len(fields) != 7 {
		t.Fatalf("the form has %d questions: %v", len(fields), fields)
	}
	form := url.Values{"role": {"mentor"}, "capacity": {"4"}, fields[0]: {"Blue"}, fields[1]: {"Mon", "Wed"},
		fields[2]: {"negotiation:advanced"}, fields[3]: {"French; English"}, fields[4]: {"Europe/Paris"}, fields[5]: {"To give back"}, fields[6]: {"4"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set(fields[4], "Mars/Olympus")
	bad.Set(fields[6], "9")
	r = ada.post(page+"/apply", bad)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "is not a time zone") || !strings.Contains(r.body, "Choose from 1 to 5.") {
		t.Errorf("a bad zone and scale: %d", r.status)
	}
	if r := ada.post(page+"/apply", form); r.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", r.status, r.body)
	}
	body := ada.get(page + "/apply").body
	for _, want := range []string{`value="Blue" checked`, `value="Mon" checked`, `value="Wed" checked`, `value="Negotiation:advanced"`,
		`value="French;English"`, `value="Europe/Paris"`, "To give back", `value="4"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form read back lacks %s", want)
		}
	}
	if strings.Contains(body, `value="Tue" checked`) {
		t.Error("an option not chosen is checked")
	}
}
