package main

import (
	"strings"
	"testing"
)

// conversation is what the demo's partners wrote for each other: agenda
// items, learnings and the notes of phase changes and role reversals. No
// operator command may print any of it.
var conversation = []string{
	"mentoring program charter", "stakeholder maps", "write the decision down", "ask what support someone wants",
	"each other's goals", "more peers than mentor", "running a team through change", "stand on my own",
}

func TestEngagementsCommands(t *testing.T) {
	data := t.TempDir()
	usePostgres(t)
	if out, err := cli(t, data, "correct horse battery\n", "demo", "--email", "ada@demo.test", "--name", "Ada Admin", "--people", "20"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}

	list, errOut, err := cliSplit(t, data, "", "engagements", "list")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) < 12 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[0], "COACH/MENTOR") {
		t.Fatalf("list:\n%s", list)
	}
	// Rows by kind and status, with their ids.
	ids := map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		ids[f[1]+" "+f[2]] = append(ids[f[1]+" "+f[2]], f[0])
		if f[1] == "mentoring" && f[2] == "active" && strings.Contains(l, "Ada Admin") && strings.Contains(l, "cultivation") {
			ids["cultivation"] = []string{f[0]}
		}
	}
	for _, k := range []string{"coaching draft", "coaching active", "coaching ended", "coaching expired",
		"mentoring draft", "mentoring active", "mentoring ended", "cultivation"} {
		if len(ids[k]) == 0 {
			t.Errorf("list has no %s engagement:\n%s", k, list)
		}
	}

	t.Run("Filters", func(t *testing.T) {
		out, _, err := cliSplit(t, data, "", "engagements", "list", "--kind", "mentoring", "--status", "active")
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(out), "\n")[1:]
		if len(rows) != len(ids["mentoring active"]) {
			t.Errorf("%d rows, want %d:\n%s", len(rows), len(ids["mentoring active"]), out)
		}
		for _, r := range rows {
			if f := strings.Fields(r); f[1] != "mentoring" || f[2] != "active" {
				t.Errorf("filtered list has %q", r)
			}
		}
		for _, bad := range [][]string{{"--kind", "therapy"}, {"--status", "paused"}} {
			out, err := cli(t, data, "", append([]string{"engagements", "list"}, bad...)...)
			if err == nil || !strings.Contains(userMessage(err), "choose") {
				t.Errorf("list %v: %v\n%s", bad, err, out)
			}
		}
	})

	t.Run("ShowKeepsTheConversationPrivate", func(t *testing.T) {
		for _, row := range lines[1:] {
			id := strings.Fields(row)[0]
			out, errOut, err := cliSplit(t, data, "", "engagements", "show", id)
			if err != nil {
				t.Fatalf("show %s: %v\n%s", id, err, errOut)
			}
			for _, c := range conversation {
				if strings.Contains(out, c) {
					t.Errorf("show %s prints the partners' conversation (%q):\n%s", id, c, out)
				}
			}
			for _, want := range []string{"#" + id + " ", "Status:", "Agreement version 1", "Outcomes:", "Timeline", "proposed"} {
				if !strings.Contains(out, want) {
					t.Errorf("show %s lacks %q:\n%s", id, want, out)
				}
			}
			for _, hidden := range []string{"phase ", "reversal", "review  ", "history shared  "} {
				if strings.Contains(out, "UTC  "+hidden) {
					t.Errorf("show %s has a phase-history event %q:\n%s", id, hidden, out)
				}
			}
		}
	})

	t.Run("Show", func(t *testing.T) {
		out, _, err := cliSplit(t, data, "", "engagements", "show", ids["cultivation"][0])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Mentoring: Ada Admin with", "Protégé:", "ada@demo.test", "Phase:", "cultivation",
			"Grow from running programs", "agreed", "Ada Admin (protégé)", "(manager)", "activated"} {
			if !strings.Contains(out, want) {
				t.Errorf("show lacks %q:\n%s", want, out)
			}
		}
		// The draft whose manager asked for changes, among the demo's drafts.
		for _, id := range ids["coaching draft"] {
			out, _, err = cliSplit(t, data, "", "engagements", "show", "#"+id)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, "asked for changes") {
				break
			}
		}
		for _, want := range []string{"Status:", "draft", "Waiting for:", "(manager)", "asked for changes", "Agreement version 2", "revised"} {
			if !strings.Contains(out, want) {
				t.Errorf("draft lacks %q:\n%s", want, out)
			}
		}
		out, _, err = cliSplit(t, data, "", "engagements", "show", ids["coaching expired"][0])
		if err != nil || !strings.Contains(out, "expired") || !strings.Contains(out, "The end date passed.") {
			t.Errorf("expired: %v\n%s", err, out)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, args := range [][]string{{"show"}, {"show", "abc"}, {"show", "99999"}, {"show", "1", "2"}, {"list", "extra"}, {"pause"}} {
			if out, err := cli(t, data, "", append([]string{"engagements"}, args...)...); err == nil {
				t.Errorf("engagements %v succeeded:\n%s", args, out)
			}
		}
		// Another organization's engagement is not found through this one.
		if out, err := cli(t, data, "correct horse battery\n", "demo", "--org", "Sandbox", "--email", "bo@demo.test", "--name", "Bo", "--people", "20"); err != nil {
			t.Fatalf("second demo: %v\n%s", err, out)
		}
		if _, err := cli(t, data, "", "engagements", "list"); err == nil || !strings.Contains(userMessage(err), "--org") {
			t.Errorf("list with two organizations and no --org: %v", err)
		}
		if _, err := cli(t, data, "", "engagements", "show", ids["cultivation"][0], "--org", "Sandbox"); err == nil || !strings.Contains(userMessage(err), "No such engagement") {
			t.Errorf("show across organizations: %v", err)
		}
		if out, err := cli(t, data, "", "engagements", "show", ids["cultivation"][0], "--org", "Northwind Demo"); err != nil || !strings.Contains(out, "Ada Admin") {
			t.Errorf("show with --org: %v\n%s", err, out)
		}
	})
}
