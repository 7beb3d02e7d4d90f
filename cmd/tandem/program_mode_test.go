package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestProgramModeCommand: the operator sets a program's matching mode;
// the JSON says whether mentees may ask now; a bad mode is refused.
func TestProgramModeCommand(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "user", "create", "--admin", "--org", "Acme", "--email", "ada@acme.test", "--name", "Ada"); err != nil {
		t.Fatalf("create admin: %v\n%s", err, out)
	}
	out, errOut, err := cliSplit(t, data, "", "program", "create", "--org", "Acme", "--name", "Self serve")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, errOut)
	}
	id := strings.TrimSpace(out)
	if _, err := cli(t, data, "", "program", "mode", "--program", id, "bogus"); err == nil || !strings.Contains(userMessage(err), "Choose cohort, self_serve or both.") {
		t.Errorf("a bogus mode: %v", err)
	}
	if _, err := cli(t, data, "", "program", "mode", "--program", id); err == nil {
		t.Error("no mode given")
	}
	out, errOut, err = cliSplit(t, data, "", "program", "mode", "--program", id, "both", "--json")
	if err != nil {
		t.Fatalf("mode: %v\n%s", err, errOut)
	}
	var got struct {
		Mode string `json:"mode"`
		Open bool   `json:"open"`
		Why  string `json:"why"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Mode != "both" || got.Open || !strings.Contains(got.Why, "published") {
		t.Errorf("mode --json: %+v %v\n%s", got, err, out)
	}
	if out, err := cli(t, data, "", "program", "mode", "--program", id, "self_serve"); err != nil || !strings.Contains(out, "self_serve (Mentees ask mentors once the program is running.)") {
		t.Errorf("mode: %v\n%s", err, out)
	}
}
