package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// TestProgramInvitationsWebAndAPI: a program admin invites a department
// through the API and the form, a CSV with bad lines is refused with each
// line named, the Invited view lists who has not answered, reminding is
// refused within the day, an invitee says no from the program's page;
// applicants and strangers may not see the list.
func TestProgramInvitationsWebAndAPI(t *testing.T) {
	e := newEnv(t)
	ada := e.setup("Acme", "Ada", "ada@acme.test")
	ada.upload("/admin/import", "people.csv", acmeCSV)
	vp := ada.invite("vp@acme.test", "Zoë Ångström", "member")
	dev := ada.invite("dev@acme.test", "Dev One", "member")
	pat := ada.invite("pat@acme.test", "Pat", "member")
	adaT, vpT, patT, devT := ada.token("a"), vp.token("v"), pat.token("p"), dev.token("d")
	sctx := tandemtest.MustOrg(t, e.db, "Elsewhere")
	strangerT, _, err := e.app.CreateAPIToken(sctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	st, body, _ := e.api("POST", "/api/v1/programs", adaT, `{"name":"Engineering mentoring","eligibility":"departments","eligible":["Engineering"],"admin_emails":["pat@acme.test"]}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, body)
	}
	id := ftoa(body["id"].(float64))
	base := "/api/v1/programs/" + id
	if st, body, _ := e.api("POST", base+"/invitations", patT, `{"department":"Engineering"}`); st != http.StatusConflict {
		t.Errorf("inviting to a draft: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", base+"/state", patT, `{"state":"enrolling"}`); st != http.StatusOK {
		t.Fatalf("open: %d %v", st, body)
	}
	st, body, _ = e.api("POST", base+"/invitations", patT, `{"emails":["ops@acme.test","bogus"]}`)
	if errs, _ := body["errors"].(map[string]any); st != http.StatusUnprocessableEntity || errs["emails"] == nil {
		t.Errorf("a bad address: %d %v", st, body)
	}
	st, body, _ = e.api("POST", base+"/invitations", patT, `{"emails":["ops@acme.test"]}`)
	if errs, _ := body["errors"].(map[string]any); st != http.StatusUnprocessableEntity || !strings.Contains(errs["emails"].(string), "Ops Two may not enroll") {
		t.Errorf("someone outside Engineering: %d %v", st, body)
	}
	for _, who := range []struct {
		name, token string
		want        int
	}{{"an eligible member", devT, http.StatusForbidden}, {"a stranger", strangerT, http.StatusNotFound}} {
		if st, _, _ := e.api("POST", base+"/invitations", who.token, `{"department":"Engineering"}`); st != who.want {
			t.Errorf("%s invites: %d, want %d", who.name, st, who.want)
		}
		if st, _, _ := e.api("GET", base+"/invitations", who.token, ""); st != who.want {
			t.Errorf("%s lists: %d, want %d", who.name, st, who.want)
		}
	}
	st, body, _ = e.api("POST", base+"/invitations", patT, `{"department":"Engineering"}`)
	if st != http.StatusOK || len(body["invited"].([]any)) != 2 || body["not_eligible"] != float64(0) {
		t.Fatalf("invite Engineering: %d %v", st, body)
	}
	e.workJobs()
	found := 0
	for _, m := range e.mail.Messages() {
		if m.Subject == "Pat invites you to apply to Engineering mentoring" && (m.To == "vp@acme.test" || m.To == "dev@acme.test") {
			found++
		}
	}
	if found != 2 {
		t.Errorf("invitation emails: %d", found)
	}
	if st, body, _ := e.api("POST", base+"/invitations/remind", patT, `{}`); st != http.StatusOK || body["reminded"] != float64(0) || body["too_soon"] != float64(2) {
		t.Errorf("remind at once: %d %v", st, body)
	}
	// Dev says no from the program's page; Zoë applies.
	page := dev.get("/programs/" + id)
	if !strings.Contains(page.body, "You are invited") || !strings.Contains(page.body, "Not for me") {
		t.Errorf("the invitee's page:\n%s", page.body)
	}
	if r := dev.post("/programs/"+id+"/invitation/decline", nil); r.status != http.StatusSeeOther {
		t.Errorf("decline: %d\n%s", r.status, r.body)
	}
	if st, body, _ := e.api("POST", base+"/application", vpT, `{"role":"mentor","capacity":2}`); st != http.StatusCreated {
		t.Fatalf("apply: %d %v", st, body)
	}
	if st, body, _ := e.api("POST", base+"/invitation/decline", vpT, `{}`); st != http.StatusConflict {
		t.Errorf("decline after applying: %d %v", st, body)
	}
	st, body, _ = e.api("GET", base+"/invitations", adaT, "")
	counts, _ := body["counts"].(map[string]any)
	if st != http.StatusOK || counts["applied"] != float64(1) || counts["declined"] != float64(1) || counts["not_answered"] != float64(0) || body["total"] != float64(2) {
		t.Errorf("the list: %d %v", st, body)
	}
	st, body, _ = e.api("GET", base+"/invitations?status=applied", patT, "")
	if list, _ := body["invitations"].([]any); st != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["role"] != "mentor" {
		t.Errorf("applied: %d %v", st, body)
	}
	if st, body, _ := e.api("GET", base+"/invitations?limit=1000", patT, ""); st != http.StatusUnprocessableEntity {
		t.Errorf("a page too large: %d %v", st, body)
	}

	// The web: the Invited view, a CSV refused with its lines named.
	r := pat.get("/programs/" + id + "/invitations")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Dev One") || !strings.Contains(r.body, "as a mentor") {
		t.Errorf("the Invited view: %d\n%s", r.status, r.body)
	}
	r = pat.upload("/programs/"+id+"/invitations/csv", "invite.csv", "name,email\nOps,ops@acme.test\nX,nobody@acme.test\n")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Ops Two may not enroll") || !strings.Contains(r.body, "<td>3</td>") {
		t.Errorf("a bad CSV: %d\n%s", r.status, r.body)
	}
	r = pat.post("/programs/"+id+"/invitations", formOf("scope", "department", "department", "Operations"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "No one in the department Operations may enroll") {
		t.Errorf("a department outside the program: %d\n%s", r.status, r.body)
	}
	r = pat.post("/programs/"+id+"/invitations", formOf("scope", "department", "department", "Engineering"))
	if r.status != http.StatusSeeOther {
		t.Errorf("invite Engineering again: %d\n%s", r.status, r.body)
	}
	if r := pat.post("/programs/"+id+"/invitations/remind", nil); r.status != http.StatusSeeOther {
		t.Errorf("remind: %d\n%s", r.status, r.body)
	}
	if r := dev.get("/programs/" + id + "/invitations"); r.status != http.StatusForbidden {
		t.Errorf("the Invited view as a member: %d", r.status)
	}
}
