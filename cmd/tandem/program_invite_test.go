package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgramInviteCommand: a CSV with bad lines is refused with each
// named; everyone eligible is invited once; --remind waits a day; the
// JSON is the API's.
func TestProgramInviteCommand(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	for _, u := range []string{"bob", "cy"} {
		if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--org", "Acme", "--email", u+"@acme.test", "--name", strings.ToUpper(u[:1])+u[1:]); err != nil {
			t.Fatalf("create %s: %v\n%s", u, err, out)
		}
	}
	out, errOut, err := cliSplit(t, data, "", "program", "create", "--org", "Acme", "--name", "Spring cohort")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	id := strings.TrimSpace(out)
	if _, err := cli(t, data, "", "program", "invite", "--program", id, "--all-eligible"); err == nil || !strings.Contains(userMessage(err), "Invitations go out while people may apply") {
		t.Errorf("invite to a draft: %v", err)
	}
	if _, err := cli(t, data, "", "program", "invite", "--program", id, "--all-eligible", "--remind"); err == nil {
		t.Errorf("two choices at once were taken")
	}
	if _, err := cli(t, data, "", "program", "state", "--program", id, "enrolling"); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(data, "invite.csv")
	os.WriteFile(csvPath, []byte("email,name\nbob@acme.test,Bob\nnobody@acme.test,X\nnot an address,Y\n"), 0o600)
	_, errOut, err = cliSplit(t, data, "", "program", "invite", "--program", id, csvPath)
	if err == nil {
		t.Fatal("a bad file was taken")
	}
	for _, want := range []string{"line 3, email: No one in the organization", "line 4, email"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the report does not say %q:\n%s", want, errOut)
		}
	}
	os.WriteFile(csvPath, []byte("email\nbob@acme.test\n"), 0o600)
	out, _, err = cliSplit(t, data, "", "program", "invite", "--program", id, csvPath, "--json")
	var res struct {
		Invited        []struct{ Email string } `json:"invited"`
		AlreadyInvited []struct{ Email string } `json:"already_invited"`
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || len(res.Invited) != 1 || res.Invited[0].Email != "bob@acme.test" {
		t.Fatalf("invite from a CSV: %v\n%s", err, out)
	}
	out, _, err = cliSplit(t, data, "", "program", "invite", "--program", id, "--all-eligible", "--json")
	res.Invited, res.AlreadyInvited = nil, nil
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || len(res.Invited) != 2 || len(res.AlreadyInvited) != 1 {
		t.Fatalf("invite everyone eligible: %v\n%s", err, out)
	}
	out, _, err = cliSplit(t, data, "", "program", "invite", "--program", id, "--remind", "--json")
	if err != nil || !strings.Contains(out, `"reminded": 0`) || !strings.Contains(out, `"too_soon": 3`) {
		t.Errorf("remind at once: %v\n%s", err, out)
	}
	if _, err := cli(t, data, "", "program", "invite", "--program", id, "--department", "Nowhere"); err == nil || !strings.Contains(userMessage(err), "No one in the department Nowhere") {
		t.Errorf("a department with no one: %v", err)
	}
}
