package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// partnershipsAfterPublish is called once TestProgramMatchCommand has
// published its two pairs: the operator lists them, a page at a time, as
// text and JSON; a bad page is refused.
func partnershipsAfterPublish(t *testing.T, data, id string) {
	t.Helper()
	out, errOut, err := cliSplit(t, data, "", "program", "partnerships", "--program", id, "--json")
	var got struct {
		Partnerships []struct {
			EngagementID int64   `json:"engagement_id"`
			Mentee       string  `json:"mentee"`
			Mentor       string  `json:"mentor"`
			Status       string  `json:"status"`
			StartedAt    *string `json:"started_at"`
		} `json:"partnerships"`
		Total int `json:"total"`
	}
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || got.Total != 2 || len(got.Partnerships) != 2 ||
		got.Partnerships[0].Status != "draft" || !strings.Contains(got.Partnerships[0].Mentee, "@") || got.Partnerships[0].StartedAt != nil {
		t.Errorf("partnerships --json: %+v %v\n%s%s", got, err, out, errOut)
	}
	if out, err := cli(t, data, "", "program", "partnerships", "--program", id, "--limit", "1", "--offset", "1"); err != nil || !strings.Contains(out, "1 of 2 partnerships") {
		t.Errorf("partnerships (text, second page): %v\n%s", err, out)
	}
	for _, bad := range [][]string{{"--limit", "0"}, {"--limit", "201"}, {"--offset", "-1"}} {
		if _, err := cli(t, data, "", append([]string{"program", "partnerships", "--program", id}, bad...)...); err == nil || !strings.Contains(userMessage(err), "Give a whole number") {
			t.Errorf("partnerships %v: %v", bad, err)
		}
	}
	if _, err := cli(t, data, "", "program", "partnerships"); err == nil || !strings.Contains(err.Error(), "--program ID") {
		t.Errorf("partnerships without a program: %v", err)
	}
}
