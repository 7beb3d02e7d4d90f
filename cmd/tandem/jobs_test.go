package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/sqldb"
)

// TestJobsCommands: the operator lists every job, an organization's and
// one with no organization, as a table or JSON, never with a job's
// arguments; bad input is named; a waiting job is not retried.
func TestJobsCommands(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
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
	ctx := context.Background()
	for _, org := range []int64{1, 0} {
		if err := db.Write(ctx, func(tx *sqldb.Tx) error {
			return app.EnqueueEmail(ctx, tx, app.EmailArgs{OrgID: org, To: "secret-recipient@acme.test", Template: "notice"})
		}); err != nil {
			t.Fatal(err)
		}
	}

	out, errOut, err := cliSplit(t, data, "", "jobs", "list")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "available 2") || !strings.HasPrefix(lines[1], "ID ") ||
		!strings.Contains(lines[2], "email") || !strings.Contains(lines[3], "email") || strings.Contains(out, "secret-recipient") {
		t.Fatalf("list:\n%s", out)
	}
	out, _, err = cliSplit(t, data, "", "jobs", "list", "--json", "--state", "available")
	var q app.JobQueue
	if err != nil || json.Unmarshal([]byte(out), &q) != nil || len(q.Jobs) != 2 || q.Jobs[1].OrgID != 1 || q.Jobs[0].OrgID != 0 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if _, _, err := cliSplit(t, data, "", "jobs", "list", "--state", "lost"); err == nil || !strings.Contains(err.Error(), "job state") {
		t.Errorf("a made-up state: %v", err)
	}
	if _, _, err := cliSplit(t, data, "", "jobs", "retry", "abc"); err == nil || !strings.Contains(err.Error(), "give a number") {
		t.Errorf("retry abc: %v", err)
	}
	if _, _, err := cliSplit(t, data, "", "jobs", "retry", "1"); err == nil || !strings.Contains(err.Error(), "only a job that failed for good") {
		t.Errorf("retry of a waiting job: %v", err)
	}
}
