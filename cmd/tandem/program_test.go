package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProgramCommands(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	for _, u := range []string{"bob", "cy", "dee"} {
		if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--org", "Acme", "--email", u+"@acme.test", "--name", strings.ToUpper(u[:1])+u[1:]); err != nil {
			t.Fatalf("create %s: %v\n%s", u, err, out)
		}
	}

	out, errOut, err := cliSplit(t, data, "", "program", "create", "--org", "Acme", "--name", "Spring cohort")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	id := strings.TrimSpace(out)
	if id == "" || strings.ContainsAny(id, " \n") {
		t.Fatalf("create prints %q, want the id alone", out)
	}
	out, _, err = cliSplit(t, data, "", "program", "create", "--org", "Acme", "--name", "Coaching pool", "--kind", "coaching", "--admin", "bob@acme.test", "--json")
	var created struct {
		ID    int64  `json:"id"`
		Kind  string `json:"kind"`
		State string `json:"state"`
	}
	if err != nil || json.Unmarshal([]byte(out), &created) != nil || created.ID == 0 || created.Kind != "coaching" || created.State != "draft" {
		t.Fatalf("create --json: %v\n%s", err, out)
	}
	if _, err := cli(t, data, "", "program", "create", "--org", "Acme", "--name", ""); err == nil || !strings.Contains(userMessage(err), "Enter the program's name.") {
		t.Errorf("create without a name: %v", err)
	}
	if _, err := cli(t, data, "", "program", "create", "--org", "Acme", "--name", "X", "--kind", "sponsorship"); err == nil || !strings.Contains(userMessage(err), "mentoring or coaching") {
		t.Errorf("create with a bad kind: %v", err)
	}

	// States, with the web's rules.
	if _, err := cli(t, data, "", "program", "state", "--program", id, "running"); err == nil || !strings.Contains(userMessage(err), "moves to enrolling or closed, not to running") {
		t.Errorf("draft → running: %v", err)
	}
	if _, err := cli(t, data, "", "program", "state", "--program", "987654", "enrolling"); err == nil || !strings.Contains(userMessage(err), "No program 987654") {
		t.Errorf("a program that does not exist: %v", err)
	}

	// Import before enrollment opens: refused whole.
	csvPath := filepath.Join(data, "apps.csv")
	os.WriteFile(csvPath, []byte("email,role,capacity\nbob@acme.test,mentor,2\n"), 0o600)
	if _, err := cli(t, data, "", "program", "import-applications", "--program", id, csvPath); err == nil || !strings.Contains(userMessage(err), "Enrollment has not opened yet.") {
		t.Errorf("import into a draft: %v", err)
	}
	out, _, err = cliSplit(t, data, "", "program", "state", "--program", id, "enrolling", "--json")
	if err != nil || !strings.Contains(out, `"state": "enrolling"`) || !strings.Contains(out, `"matching"`) {
		t.Fatalf("state --json: %v\n%s", err, out)
	}

	// All or nothing, every bad line named.
	os.WriteFile(csvPath, []byte("email,role,capacity\nbob@acme.test,mentor,0\nnobody@acme.test,mentee,\ncy@acme.test,mentee,\ncy@acme.test,mentor,500\ndee@acme.test,sponsor,\n"), 0o600)
	out, errOut, err = cliSplit(t, data, "", "program", "import-applications", "--program", id, csvPath)
	if err == nil {
		t.Fatalf("a bad file was imported:\n%s", out)
	}
	for _, want := range []string{"line 2, capacity", "line 3, email: No one in the organization", "line 5, email: Also on line 4", "line 6, role"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the report does not say %q:\n%s", want, errOut)
		}
	}
	os.WriteFile(csvPath, []byte("email,role,capacity\nbob@acme.test,mentor,2\ncy@acme.test,mentee,\n"), 0o600)
	out, errOut, err = cliSplit(t, data, "", "program", "import-applications", "--program", id, csvPath, "--json")
	if err != nil || !strings.Contains(out, `"created": 2`) {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	if out, err := cli(t, data, "", "program", "import-applications", "--program", id, csvPath); err == nil || !strings.Contains(out, "line 2, email: Bob has already applied, as a mentor.") {
		t.Errorf("importing twice: %v\n%s", err, out)
	}
	for _, s := range []string{"matching", "running", "closed"} {
		if out, err := cli(t, data, "", "program", "state", "--program", id, s); err != nil || !strings.Contains(out, "program "+id+": "+s) {
			t.Fatalf("→ %s: %v\n%s", s, err, out)
		}
	}
	if _, err := cli(t, data, "", "program", "state", "--program", id, "enrolling"); err == nil || !strings.Contains(userMessage(err), "closed") {
		t.Errorf("a closed program moves: %v", err)
	}
}
