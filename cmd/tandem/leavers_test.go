package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPeopleDeactivate(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	write := func(lines ...string) {
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("email,name", "ada@acme.test,Ada", "lee@acme.test,Lee", "kim@acme.test,Kim")
	if out, errOut, err := cliSplit(t, data, "", "import", "people", file); err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}

	// --help documents the flags and the JSON, and succeeds.
	_, errOut, err := cliSplit(t, data, "", "people", "deactivate", "--help")
	if err != nil || !strings.Contains(errOut, "--json") || !strings.Contains(errOut, "-reason") || !strings.Contains(errOut, "ended_engagements") {
		t.Errorf("people deactivate --help: %v\n%s", err, errOut)
	}

	out, errOut, err := cliSplit(t, data, "", "people", "deactivate", "--org", "acme", "--email", "LEE@acme.test", "--reason", "Moved on", "--json")
	if err != nil {
		t.Fatalf("deactivate: %v\n%s", err, errOut)
	}
	var got struct {
		Email            string  `json:"email"`
		DeactivatedAt    *string `json:"deactivated_at"`
		Reason           string  `json:"deactivation_reason"`
		EndedEngagements []int64 `json:"ended_engagements"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Email != "lee@acme.test" || got.DeactivatedAt == nil || got.Reason != "Moved on" || got.EndedEngagements == nil {
		t.Errorf("deactivate --json: %v\n%s", err, out)
	}
	if out, _, err := cliSplit(t, data, "", "user", "list"); err != nil || !strings.Contains(out, "lee@acme.test") || !strings.Contains(out, "no (left ") {
		t.Errorf("user list after deactivation: %v\n%s", err, out)
	}
	if _, _, err := cliSplit(t, data, "", "people", "deactivate", "--email", "lee@acme.test"); err == nil || !strings.Contains(userMessage(err), "already") {
		t.Errorf("deactivating twice: %v", err)
	}
	if _, _, err := cliSplit(t, data, "", "people", "deactivate", "--email", "ada@acme.test"); err == nil || !strings.Contains(userMessage(err), "last administrator") {
		t.Errorf("deactivating the last administrator: %v", err)
	}
	if _, _, err := cliSplit(t, data, "", "people", "deactivate", "--email", "nobody@acme.test"); err == nil || !strings.Contains(userMessage(err), "No one") {
		t.Errorf("deactivating someone unknown: %v", err)
	}
	out, _, err = cliSplit(t, data, "", "people", "reactivate", "--email", "lee@acme.test")
	if err != nil || !strings.Contains(out, "reactivated Lee <lee@acme.test>") {
		t.Errorf("reactivate: %v\n%s", err, out)
	}

	// import --deactivate-missing --dry-run shows who, then does it.
	write("email,name", "ada@acme.test,Ada", "lee@acme.test,Lee")
	out, errOut, err = cliSplit(t, data, "", "import", "people", file, "--deactivate-missing", "--dry-run")
	if err != nil || !strings.Contains(out, "dry run, nothing changed") || !strings.Contains(out, "would deactivate 1 people") || !strings.Contains(out, "Kim <kim@acme.test>") {
		t.Fatalf("dry run: %v\n%s%s", err, out, errOut)
	}
	out, errOut, err = cliSplit(t, data, "", "import", "people", file, "--deactivate-missing")
	if err != nil || !strings.Contains(out, "deactivated 1 people") || !strings.Contains(out, "Kim <kim@acme.test>") {
		t.Fatalf("import --deactivate-missing: %v\n%s%s", err, out, errOut)
	}
	if _, _, err := cliSplit(t, data, "", "people", "reactivate", "--email", "kim@acme.test"); err != nil {
		t.Errorf("reactivating kim after the import: %v", err)
	}
	write("email,name", "lee@acme.test,Lee")
	if _, _, err := cliSplit(t, data, "", "import", "people", file, "--deactivate-missing"); err == nil || !strings.Contains(userMessage(err), "every administrator") {
		t.Errorf("a file without any administrator: %v", err)
	}
}
