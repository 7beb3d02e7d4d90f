package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// uploadWith posts a multipart form whose fields come before the file, as
// a browser sends them.
func (b *browser) uploadWith(path string, fields url.Values, filename, body string) response {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	io.WriteString(fw, body)
	mw.Close()
	req, _ := http.NewRequest("POST", b.url(path), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

func TestDeactivatePerson(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	lee := admin.invite("lee@acme.test", "Lee Leaver", "member")
	adminTok, leeTok := admin.token("admin"), lee.token("lee")
	ids := e.personIDs(adminTok)
	leeID, adaID := ids["lee@acme.test"], ids["ada@acme.test"]
	if _, err := e.app.CreateOrgWithAdmin(context.Background(), appSetup("Beta", "Bo", "bo@beta.test")); err != nil {
		t.Fatal(err)
	}
	boTok := e.signIn("bo@beta.test", "correct horse battery").token("bo")

	// Who may: administrators of the organization; elsewhere it is none.
	if r := lee.post(fmt.Sprintf("/people/%d/deactivate", leeID), url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("a member deactivates: %d", r.status)
	}
	if st, out, _ := e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", leeID), boTok, `{}`); st != http.StatusNotFound {
		t.Errorf("another organization's administrator: %d %v", st, out)
	}

	// The confirmation step says what will happen.
	r := admin.get(fmt.Sprintf("/people/%d/deactivate", leeID))
	if r.status != http.StatusOK || !strings.Contains(r.body, "Deactivate Lee Leaver?") || !strings.Contains(r.body, "can no longer sign in") {
		t.Fatalf("confirmation page: %d\n%s", r.status, r.body)
	}
	r = admin.post(fmt.Sprintf("/people/%d/deactivate", leeID), url.Values{"reason": {strings.Repeat("x", 501)}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Use at most 500 characters.") {
		t.Errorf("a long reason: %d", r.status)
	}
	r = admin.post(fmt.Sprintf("/people/%d/deactivate", leeID), url.Values{"reason": {"Moved on"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != fmt.Sprintf("/people/%d", leeID) {
		t.Fatalf("deactivate: %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}

	// The open session, the token and a new sign-in all stop.
	if r := lee.get("/"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
		t.Errorf("lee's session after deactivation: %d %s", r.status, r.header.Get("Location"))
	}
	if st, _, _ := e.api("GET", "/api/v1/me", leeTok, ""); st != http.StatusUnauthorized {
		t.Errorf("lee's token after deactivation: %d", st)
	}
	r = e.browser().post("/signin", url.Values{"email": {"lee@acme.test"}, "password": {"another good password"}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "not an active member") {
		t.Errorf("lee signs in: %d\n%s", r.status, r.body)
	}

	// Not in the directory; the page and the administration say so.
	if r := admin.get(fmt.Sprintf("/people/%d", leeID)); !strings.Contains(r.body, "left the organization on") || !strings.Contains(r.body, "Reactivate Lee Leaver") {
		t.Errorf("lee's page does not say they left")
	}
	if r := admin.get("/people?q=lee"); strings.Contains(r.body, "Lee Leaver") {
		t.Error("lee is in the directory")
	}
	if st, out, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d", leeID), boTok, ""); st != http.StatusNotFound {
		t.Errorf("another organization reads lee: %d %v", st, out)
	}
	if _, out, _ := e.api("GET", fmt.Sprintf("/api/v1/people/%d", leeID), adminTok, ""); out["deactivated_at"] == nil || out["deactivation_reason"] != "Moved on" {
		t.Errorf("lee's profile for an administrator: %v", out)
	}
	if _, out, _ := e.api("GET", "/api/v1/people?q=lee", adminTok, ""); out["total"].(float64) != 0 {
		t.Errorf("API directory: %v", out)
	}
	if r := admin.get("/admin/members"); !strings.Contains(r.body, "People who left") || !strings.Contains(r.body, "Moved on") {
		t.Errorf("the members page does not list lee as having left")
	}

	// Twice, and the last administrator: 409, nothing changed.
	st, out, _ := e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", leeID), adminTok, `{"reason":"again"}`)
	if st != http.StatusConflict || !strings.Contains(fmt.Sprint(out["detail"]), "already") {
		t.Errorf("twice: %d %v", st, out)
	}
	st, out, _ = e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", adaID), adminTok, `{}`)
	if st != http.StatusConflict || !strings.Contains(fmt.Sprint(out["detail"]), "last administrator") {
		t.Errorf("the last administrator: %d %v", st, out)
	}

	// Reactivation through the API, then again through the page.
	st, out, _ = e.api("POST", fmt.Sprintf("/api/v1/people/%d/reactivate", leeID), adminTok, `{}`)
	if st != http.StatusOK || out["deactivated_at"] != nil {
		t.Fatalf("reactivate: %d %v", st, out)
	}
	e.signIn("lee@acme.test", "another good password")
	st, out, _ = e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", leeID), adminTok, `{"reason":"Left again"}`)
	if st != http.StatusOK || out["person"].(map[string]any)["deactivated_at"] == nil || out["person"].(map[string]any)["deactivation_reason"] != "Left again" {
		t.Fatalf("deactivate through the API: %d %v", st, out)
	}
	if r := admin.post(fmt.Sprintf("/people/%d/reactivate", leeID), url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("reactivate page: %d", r.status)
	}
	admin.get("/") // shows the flash, which names lee
	if r := admin.get("/people?q=lee"); !strings.Contains(r.body, "Lee Leaver") {
		t.Error("lee is not back in the directory")
	}
}

func TestImportDeactivateMissingPreview(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	if r := admin.upload("/admin/import", "people.csv", acmeCSV); r.status != http.StatusOK {
		t.Fatalf("import: %d\n%s", r.status, r.body)
	}
	tok := admin.token("t")
	ids := e.personIDs(tok)
	// The next file leaves out Ops Two.
	next := tandemtest.CSV("email,name", "ada@acme.test,Ada", "ceo@acme.test,Chidi Okafor", "vp@acme.test,Zoë Ångström", "dev@acme.test,Dev One")
	opsIn := func() bool {
		_, out, _ := e.api("GET", "/api/v1/people?q=ops", tok, "")
		return out["total"].(float64) == 1
	}

	r := admin.uploadWith("/admin/import", url.Values{"deactivate_missing": {"1"}}, "people.csv", next)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Preview: nothing has changed yet") || !strings.Contains(r.body, "Ops Two") {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	confirm := fmt.Sprint(ids["ops@acme.test"])
	if !strings.Contains(r.body, `name="confirm" value="`+confirm+`"`) {
		t.Errorf("the preview's confirmation does not carry the list")
	}
	if !opsIn() {
		t.Fatal("the preview deactivated Ops Two")
	}
	// A confirmation of another list is refused.
	r = admin.uploadWith("/admin/import", url.Values{"deactivate_missing": {"1"}, "confirm": {""}}, "people.csv", next)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "changed since the preview") || !opsIn() {
		t.Errorf("a stale confirmation: %d", r.status)
	}
	// A file that leaves out the administrator importing is refused.
	r = admin.uploadWith("/admin/import", url.Values{"deactivate_missing": {"1"}}, "people.csv", tandemtest.CSV("email,name", "ceo@acme.test,Chidi Okafor"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "leaves you out") {
		t.Errorf("a file without the importer: %d", r.status)
	}
	r = admin.uploadWith("/admin/import", url.Values{"deactivate_missing": {"1"}, "confirm": {confirm}}, "people.csv", next)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Deactivated 1 person not in the file") {
		t.Fatalf("confirmed import: %d\n%s", r.status, r.body)
	}
	if opsIn() {
		t.Error("Ops Two is still in the directory")
	}

	// Someone who left but still has people reporting to them stays in the
	// org chart, marked, so their team stays reachable; a report is told.
	if st, out, _ := e.api("POST", fmt.Sprintf("/api/v1/people/%d/deactivate", ids["vp@acme.test"]), tok, `{}`); st != http.StatusOK {
		t.Fatalf("deactivate the VP: %d %v", st, out)
	}
	r = admin.get(fmt.Sprintf("/people/%d/chart", ids["ceo@acme.test"]))
	if !strings.Contains(r.body, "Zoë Ångström</strong> <span class=\"muted\">(left: their reports need a new manager)") || !strings.Contains(r.body, "1 direct report<") {
		t.Errorf("the CEO's chart does not mark the VP who left (with one active report):\n%s", r.body)
	}
	if r := admin.get(fmt.Sprintf("/people/%d", ids["dev@acme.test"])); !strings.Contains(r.body, "who has left the organization") {
		t.Errorf("dev's page does not say their manager left")
	}
	if st, out, _ := e.api("POST", fmt.Sprintf("/api/v1/people/%d/reactivate", ids["vp@acme.test"]), tok, `{}`); st != http.StatusOK {
		t.Fatalf("reactivate the VP: %d %v", st, out)
	}

	// The API: a dry run lists who, then the import does it.
	st, out, _ := e.apiCSV("/api/v1/people/import?deactivate_missing=true&dry_run=true", tok, tandemtest.CSV("email,name", "ada@acme.test,Ada", "ceo@acme.test,Chidi Okafor", "vp@acme.test,Zoë Ångström"))
	if st != http.StatusOK || out["dry_run"] != true || len(out["deactivated"].([]any)) != 1 {
		t.Fatalf("API dry run: %d %v", st, out)
	}
	if _, o, _ := e.api("GET", "/api/v1/people?q=dev", tok, ""); o["total"].(float64) != 1 {
		t.Error("the API dry run deactivated someone")
	}
	st, out, _ = e.apiCSV("/api/v1/people/import?deactivate_missing=true", tok, tandemtest.CSV("email,name", "ada@acme.test,Ada", "ceo@acme.test,Chidi Okafor", "vp@acme.test,Zoë Ångström"))
	if st != http.StatusOK || out["dry_run"] != false || out["deactivated"].([]any)[0].(map[string]any)["email"] != "dev@acme.test" {
		t.Fatalf("API import: %d %v", st, out)
	}
}

// apiCSV posts a CSV body to the API.
func (e *env) apiCSV(path, token, body string) (int, map[string]any, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		e.t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return resp.StatusCode, out, resp.Header
}

// TestManagerWhoLeftOnTheList: a draft waiting for a manager who left
// says so on the administrator's list, with the way forward (the learner's
// new manager), which hands the draft over.
func TestManagerWhoLeftOnTheList(t *testing.T) {
	e, b := engagementOrg(t)
	ids := e.personIDs(b["admin"].token("admin"))
	r := b["dev"].post("/engagements", proposalForm("mentoring", "dev@acme.test", "ops@acme.test"))
	m := idFromLocation.FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		t.Fatalf("propose: %d\n%s", r.status, r.body)
	}
	page := "/engagements/" + m[1]
	if r := b["ops"].post(page+"/respond", url.Values{"version": {"1"}, "answer": {"agree"}}); r.status != http.StatusSeeOther {
		t.Fatalf("ops agrees: %d", r.status)
	}
	if r := b["admin"].post(fmt.Sprintf("/people/%d/deactivate", ids["vp@acme.test"]), url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("deactivate the manager: %d\n%s", r.status, r.body)
	}
	r = b["admin"].get("/engagements?all=1&waiting=manager")
	link := fmt.Sprintf(`<a href="/people/%d#f-manager_email">set Dev One's new manager</a>`, ids["dev@acme.test"])
	if !strings.Contains(r.body, "Waiting for a manager who left") || !strings.Contains(r.body, link) {
		t.Fatalf("the list does not say the draft waits for a manager who left:\n%s", r.body)
	}
	if r := b["dev"].get(page + "?tab=agreement"); !strings.Contains(r.body, "Zoë Ångström (manager, who left the organization") {
		t.Errorf("the engagement page does not say the manager left")
	}
	// dev's new manager is the CEO: the draft waits for them.
	if r := b["admin"].post(fmt.Sprintf("/people/%d/manager", ids["dev@acme.test"]), url.Values{"manager_email": {"ceo@acme.test"}}); r.status != http.StatusSeeOther {
		t.Fatalf("set the new manager: %d\n%s", r.status, r.body)
	}
	if r := b["ceo"].get(page); !strings.Contains(r.body, "Read version 1 of the agreement") {
		t.Errorf("the new manager is not asked to answer")
	}
	if r := b["ceo"].get(page + "?tab=timeline"); !strings.Contains(r.body, "Manager changed</strong>: Zoë Ångström (left the organization) → Chidi Okafor") {
		t.Errorf("the timeline does not show the hand-over")
	}
	if r := b["admin"].get("/engagements?all=1&waiting=manager"); strings.Contains(r.body, "Waiting for a manager who left") {
		t.Errorf("still waiting for a manager who left after the hand-over")
	}
}
