package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// countTo counts the messages sent to each address so far.
func (e *env) countTo() map[string]int {
	n := map[string]int{}
	for _, m := range e.mail.Messages() {
		n[m.To]++
	}
	return n
}

// TestBulkInvite: the invitations page invites a department, everyone not
// yet invited and a ticked selection, each person emailed once; inviting
// again sends nothing, Resend sends again; the page and the API show who
// was invited, when, and who accepted.
func TestBulkInvite(t *testing.T) {
	e := newEnv(t)
	admin := e.setup("Acme", "Ada", "ada@acme.test")
	admin.upload("/admin/import", "people.csv", acmeCSV)

	r := admin.get("/admin/invitations")
	if r.status != http.StatusOK || strings.Count(r.body, "Not invited yet</td>") != 4 || !strings.Contains(r.body, "Has an account") {
		t.Fatalf("invitations page: %d\n%s", r.status, r.body)
	}
	// Nothing ticked: the form says so, inline.
	r = admin.post("/admin/invitations/bulk", url.Values{"scope": {"selected"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Tick at least one person.") {
		t.Fatalf("nothing ticked: %d\n%s", r.status, r.body)
	}
	// A department: everyone matching the filter.
	r = admin.post("/admin/invitations/bulk", url.Values{"scope": {"matching"}, "department": {"Engineering"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/invitations?department=Engineering" {
		t.Fatalf("department: %d %s", r.status, r.header.Get("Location"))
	}
	if r := admin.get(r.header.Get("Location")); !strings.Contains(r.body, "Invited 2 people.") {
		t.Errorf("no summary after inviting a department:\n%s", r.body)
	}
	if got := e.countTo(); got["vp@acme.test"] != 1 || got["dev@acme.test"] != 1 || got["ops@acme.test"] != 0 {
		t.Fatalf("after the department: %v", got)
	}
	// Everyone not invited yet: the two others; then no one.
	admin.post("/admin/invitations/bulk", url.Values{"scope": {"uninvited"}})
	admin.post("/admin/invitations/bulk", url.Values{"scope": {"uninvited"}})
	admin.post("/admin/invitations/bulk", url.Values{"scope": {"matching"}})
	want := map[string]int{"ada@acme.test": 0, "ceo@acme.test": 1, "vp@acme.test": 1, "dev@acme.test": 1, "ops@acme.test": 1}
	got := e.countTo()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s got %d invitations, want %d", k, got[k], v)
		}
	}
	// The API: the same, with a dry run and a resend.
	tok := admin.token("invite")
	code, out, _ := e.api("POST", "/api/v1/invitations/bulk", tok, `{"all_uninvited": true, "dry_run": true}`)
	if code != http.StatusOK || fmt.Sprint(out["counts"]) != "map[already_invited:0 invited:0 members:0 resent:0 unknown:0]" {
		t.Fatalf("dry run: %d %v", code, out)
	}
	code, out, _ = e.api("POST", "/api/v1/invitations/bulk", tok, `{"emails": ["dev@acme.test", "ada@acme.test", "nobody@acme.test"]}`)
	if code != http.StatusOK || fmt.Sprint(out["counts"]) != "map[already_invited:1 invited:0 members:1 resent:0 unknown:1]" {
		t.Fatalf("again by email: %d %v", code, out)
	}
	code, out, _ = e.api("POST", "/api/v1/invitations/bulk", tok, `{"emails": ["dev@acme.test"], "resend": true}`)
	if code != http.StatusOK || fmt.Sprint(out["counts"]) != "map[already_invited:0 invited:0 members:0 resent:1 unknown:0]" {
		t.Fatalf("resend: %d %v", code, out)
	}
	if got := e.countTo()["dev@acme.test"]; got != 2 {
		t.Errorf("dev got %d invitations after a resend, want 2", got)
	}
	code, out, _ = e.api("POST", "/api/v1/invitations/bulk", tok, `{"department": "Nowhere"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out["errors"]), "department") {
		t.Errorf("unknown department: %d %v", code, out)
	}
	// Dev accepts; the list says so.
	link := e.mail.MustLastLink(t, "dev@acme.test")
	if r := e.browser().post(link, url.Values{"name": {"Dev One"}, "password": {"another good password"}}); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", r.status, r.body)
	}
	code, out, _ = e.api("GET", "/api/v1/invitees?status=member", tok, "")
	people, _ := out["people"].([]any)
	if code != http.StatusOK || out["total"] != 2.0 || len(people) != 2 {
		t.Fatalf("members: %d %v", code, out)
	}
	for _, p := range people {
		p := p.(map[string]any)
		if p["email"] == "dev@acme.test" && (p["accepted_at"] == nil || p["invited_at"] == nil) {
			t.Errorf("dev after accepting: %v", p)
		}
	}
	if code, out, _ = e.api("GET", "/api/v1/invitees?status=invited", tok, ""); out["total"] != 3.0 {
		t.Errorf("still invited: %d %v", code, out)
	}
	if code, _, _ = e.api("GET", "/api/v1/invitees?status=maybe", tok, ""); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown status: %d", code)
	}
	// A member may not.
	dev := e.signIn("dev@acme.test", "another good password")
	if r := dev.post("/admin/invitations/bulk", url.Values{"scope": {"uninvited"}}); r.status != http.StatusForbidden {
		t.Errorf("a member invites: %d", r.status)
	}
}
