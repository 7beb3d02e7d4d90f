package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tandemhq/tandem/tandemtest"
)

// TestBenchProgram: tandem bench program on a small cohort prints every
// figure as JSON, on a scratch SQLite file or (when the suite runs on
// PostgreSQL) a scratch database it creates and drops; bad sizes are
// refused naming the flag.
func TestBenchProgram(t *testing.T) {
	args := []string{"bench", "program", "--mentees", "60", "--mentors", "15", "--questions", "5", "--runs", "2", "--json"}
	want := "sqlite"
	if pg := os.Getenv(tandemtest.PostgresEnv); pg != "" {
		args, want = append(args, "--postgres", pg), "postgres"
	}
	scratch := func() int { return 0 }
	if pg := os.Getenv(tandemtest.PostgresEnv); pg != "" {
		server, err := sql.Open("pgx", pg)
		if err != nil {
			t.Fatal(err)
		}
		defer server.Close()
		scratch = func() int {
			var n int
			if err := server.QueryRow(`SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'tandem_bench_%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	before := scratch()
	out, errOut, err := cliSplit(t, t.TempDir(), "", args...)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut)
	}
	var rep benchReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Database != want || rep.Mentees != 60 || rep.Mentors != 15 || rep.Questions != 5 || rep.Runs != 2 {
		t.Errorf("report: %+v", rep)
	}
	if rep.Optimal.Matched == 0 || rep.Stable.Matched == 0 || rep.Engagements != rep.Optimal.Matched {
		t.Errorf("matched %d/%d, published %d", rep.Optimal.Matched, rep.Stable.Matched, rep.Engagements)
	}
	if rep.Optimal.Total <= 0 || rep.Publish <= 0 || rep.BareSolve <= 0 || rep.PeakHeapMiB <= 0 {
		t.Errorf("missing figures: %+v", rep)
	}
	if after := scratch(); after != before {
		t.Errorf("%d scratch databases left behind", after-before)
	}
	for _, bad := range [][]string{{"--mentees", "0"}, {"--mentors", "-1"}, {"--questions", "9"}, {"--runs", "0"}} {
		_, _, err := cliSplit(t, t.TempDir(), "", append([]string{"bench", "program"}, bad...)...)
		if err == nil || !strings.Contains(err.Error(), bad[0]) {
			t.Errorf("%v: %v", bad, err)
		}
	}
}
