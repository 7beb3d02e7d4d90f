package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// invitationJobs counts the invitation email jobs queued so far.
func invitationJobs(t *testing.T, data string) int {
	t.Helper()
	out, _, err := cliSplit(t, data, "", "jobs", "list", "--limit", "500")
	if err != nil {
		t.Fatalf("jobs list: %v", err)
	}
	return strings.Count(out, " invitation_email ")
}

// inviteJSON runs tandem people invite --json and decodes its output.
func inviteJSON(t *testing.T, data string, args ...string) map[string]any {
	t.Helper()
	out, errOut, err := cliSplit(t, data, "", append([]string{"people", "invite", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("people invite %v: %v\n%s", args, err, errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("people invite --json is not one JSON object: %v\n%s", err, out)
	}
	return v
}

func emailsIn(v map[string]any, key string) []string {
	var out []string
	list, _ := v[key].([]any)
	for _, p := range list {
		out = append(out, p.(map[string]any)["email"].(string))
	}
	slices.Sort(out)
	return out
}

// TestPeopleInvite: tandem people invite by department, email and
// everyone not invited, with a stable --json output; a dry run queues
// nothing, a second run queues nothing, --resend queues again.
func TestPeopleInvite(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte("email,name,department\nann@acme.test,Ann,Sales\nbob@acme.test,Bob,Sales\ncy@acme.test,Cy,Support\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, err := cliSplit(t, data, "", "import", "people", file); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}

	if _, errOut, err := cliSplit(t, data, "", "people", "invite", "--org", "acme"); err == nil || !strings.Contains(errOut, "--all-uninvited") {
		t.Errorf("no choice: %v\n%s", err, errOut)
	}
	if _, errOut, _ := cliSplit(t, data, "", "people", "--help"); !strings.Contains(errOut, `"already_invited": [PERSON…]`) {
		t.Errorf("--help does not document --json:\n%s", errOut)
	}

	v := inviteJSON(t, data, "--department", "Sales", "--dry-run")
	if v["dry_run"] != true || !slices.Equal(emailsIn(v, "invited"), []string{"ann@acme.test", "bob@acme.test"}) || invitationJobs(t, data) != 0 {
		t.Fatalf("dry run: %v", v)
	}
	v = inviteJSON(t, data, "--org", "acme", "--department", "Sales")
	if !slices.Equal(emailsIn(v, "invited"), []string{"ann@acme.test", "bob@acme.test"}) || invitationJobs(t, data) != 2 {
		t.Fatalf("department: %v", v)
	}
	// Every key, every list present, in the documented shape.
	for _, k := range []string{"dry_run", "invited", "resent", "already_invited", "members", "unknown", "counts"} {
		if _, ok := v[k]; !ok {
			t.Errorf("--json lacks %q: %v", k, v)
		}
	}
	ann := v["invited"].([]any)[0].(map[string]any)
	for _, k := range []string{"person_id", "name", "email", "department", "role", "guest", "status", "invitation_id", "invited_at", "expires_at"} {
		if _, ok := ann[k]; !ok {
			t.Errorf("a person in --json lacks %q: %v", k, ann)
		}
	}
	if ann["status"] != "invited" {
		t.Errorf("status %v", ann["status"])
	}

	v = inviteJSON(t, data, "--all-uninvited", "--email", "ann@acme.test,ada@acme.test", "--email", "zed@acme.test")
	counts, _ := json.Marshal(v["counts"])
	if string(counts) != `{"already_invited":1,"invited":1,"members":1,"resent":0,"unknown":1}` || !slices.Equal(emailsIn(v, "invited"), []string{"cy@acme.test"}) {
		t.Fatalf("all uninvited: %s %v", counts, v)
	}
	if n := invitationJobs(t, data); n != 3 {
		t.Errorf("%d invitation jobs, want 3", n)
	}
	// Again: nothing new; a resend queues one more.
	if v = inviteJSON(t, data, "--all-uninvited"); len(v["invited"].([]any)) != 0 || invitationJobs(t, data) != 3 {
		t.Errorf("again: %v", v)
	}
	out, _, err := cliSplit(t, data, "", "people", "invite", "--email", "bob@acme.test", "--resend")
	if err != nil || !strings.Contains(out, "resent           Bob <bob@acme.test>") || !strings.Contains(out, "Acme: 0 invited, 1 resent") {
		t.Errorf("resend: %v\n%s", err, out)
	}
	if n := invitationJobs(t, data); n != 4 {
		t.Errorf("%d invitation jobs after a resend, want 4", n)
	}
}
