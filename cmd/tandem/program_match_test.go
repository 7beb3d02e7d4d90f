package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/sqldb"
)

// TestProgramMatchCommand: the operator runs the matching of a program's
// approved applications and reads the pairs, the unmatched with why, the
// total and the certificate as JSON.
func TestProgramMatchCommand(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	for _, u := range []string{"bob", "cy", "dee", "eve"} {
		if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--org", "Acme", "--email", u+"@acme.test", "--name", strings.ToUpper(u[:1])+u[1:]); err != nil {
			t.Fatalf("create %s: %v\n%s", u, err, out)
		}
	}
	out, errOut, err := cliSplit(t, data, "", "program", "create", "--org", "Acme", "--name", "Spring cohort")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	id := strings.TrimSpace(out)
	if _, err := cli(t, data, "", "program", "state", "--program", id, "enrolling"); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(data, "apps.csv")
	os.WriteFile(csvPath, []byte("email,role,capacity\nbob@acme.test,mentor,1\ncy@acme.test,mentee,\ndee@acme.test,mentee,\neve@acme.test,mentor,1\n"), 0o600)
	if out, err := cli(t, data, "", "program", "import-applications", "--program", id, csvPath); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if _, err := cli(t, data, "", "program", "match", "--program", id, "--json"); err == nil || !strings.Contains(userMessage(err), "move the program to matching first") {
		t.Errorf("match while enrolling: %v", err)
	}
	url := os.Getenv("TANDEM_DATABASE_URL")
	if url == "" {
		url = filepath.Join(data, "tandem.db")
	}
	db, err := sqldb.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The operator's CLI has no approve command: approve in the store.
	if err := db.Write(context.Background(), func(tx *sqldb.Tx) error {
		_, err := tx.Exec(context.Background(), `UPDATE program_applications SET status = 'approved'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, data, "", "program", "state", "--program", id, "matching"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, data, "", "program", "match", "--program", id, "--weight", "profile_shoe=2"); err == nil || !strings.Contains(userMessage(err), "not a matching criterion") {
		t.Errorf("an unknown weight: %v", err)
	}
	var lastRun int64
	for _, mode := range []string{"optimal", "stable"} {
		args := []string{"program", "match", "--program", id, "--json"}
		if mode == "stable" {
			args = append(args, "--stable")
		}
		out, errOut, err = cliSplit(t, data, "", args...)
		if err != nil {
			t.Fatalf("match %s: %v\n%s", mode, err, errOut)
		}
		var res struct {
			RunID   int64   `json:"run_id"`
			Mode    string  `json:"mode"`
			Matched int     `json:"matched"`
			Total   float64 `json:"total"`
			Pairs   []struct {
				Mentee, Mentor string
				Score          float64
				Reasons        []string
			} `json:"pairs"`
			Unmatched   []struct{ Email, Role, Why string } `json:"unmatched"`
			Certificate struct {
				Claim string  `json:"claim"`
				Gap   float64 `json:"gap"`
			} `json:"certificate"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		if res.RunID == 0 || res.Mode != mode || res.Matched != 2 || len(res.Pairs) != 2 || !strings.HasPrefix(res.Certificate.Claim, mode) {
			t.Errorf("%s: %s", mode, out)
		}
		lastRun = res.RunID
		mentors := map[string]bool{}
		for _, p := range res.Pairs {
			if !strings.HasSuffix(p.Mentee, "@acme.test") || (p.Mentee != "cy@acme.test" && p.Mentee != "dee@acme.test") || len(p.Reasons) == 0 {
				t.Errorf("%s: pair %+v", mode, p)
			}
			mentors[p.Mentor] = true
		}
		if len(mentors) != 2 || len(res.Unmatched) != 0 {
			t.Errorf("%s: each mentor takes one: %s", mode, out)
		}
	}
	out, err = cli(t, data, "", "program", "match", "--program", id)
	if err != nil || !strings.Contains(out, "2 of 2 mentees matched") || !strings.Contains(out, "optimal: ") {
		t.Errorf("match (text): %v\n%s", err, out)
	}
	publishAfterMatch(t, data, id, lastRun)
}

// publishAfterMatch is called by TestProgramMatchCommand's end: publish the
// last run, then again.
func publishAfterMatch(t *testing.T, data, id string, runID int64) {
	t.Helper()
	run := strconv.FormatInt(runID, 10)
	out, err := cli(t, data, "", "program", "publish", "--program", id, "--run", run)
	if err != nil || !strings.Contains(out, "2 partnerships proposed") {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	out, errOut, err := cliSplit(t, data, "", "program", "publish", "--program", id, "--run", run, "--json")
	var res struct {
		Engagements int  `json:"engagements"`
		Already     bool `json:"already_published"`
	}
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || !res.Already || res.Engagements != 0 {
		t.Errorf("publish again: %v\n%s%s", err, out, errOut)
	}
	if out, err := cli(t, data, "", "program", "publish", "--program", id, "--run", run); err != nil || !strings.Contains(out, "already published: nothing changed") {
		t.Errorf("publish again (text): %v\n%s", err, out)
	}
	if _, err := cli(t, data, "", "program", "publish", "--program", id); err == nil || !strings.Contains(err.Error(), "--run RUN") {
		t.Errorf("publish without a run: %v", err)
	}
	partnershipsAfterPublish(t, data, id)
}
