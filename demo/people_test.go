package demo

import (
	"testing"

	"github.com/tandemhq/tandem"
)

func TestPeople(t *testing.T) {
	for _, tc := range []struct{ n, levels int }{{1, 7}, {300, 5}, {5000, 7}} {
		rows := People(tc.n, tc.levels, "demo.test", 1)
		if len(rows) != tc.n {
			t.Fatalf("%d people, want %d", len(rows), tc.n)
		}
		seen := map[string]bool{}
		depth := map[string]int{}
		maxDepth := 0
		for _, r := range rows {
			if seen[r.Email] {
				t.Fatalf("duplicate email %s", r.Email)
			}
			if msg := tandem.CheckEmail(r.Email); msg != "" {
				t.Fatalf("%s: %s", r.Email, msg)
			}
			if err := r.Profile.Validate(); err != nil {
				t.Fatalf("%s: %v", r.Email, err)
			}
			if r.ManagerEmail != "" {
				if !seen[r.ManagerEmail] {
					t.Fatalf("%s's manager comes later", r.Email)
				}
				depth[r.Email] = depth[r.ManagerEmail] + 1
			}
			maxDepth = max(maxDepth, depth[r.Email])
			seen[r.Email] = true
		}
		if want := min(tc.levels, tc.n) - 1; maxDepth != want {
			t.Errorf("n=%d: depth %d, want %d", tc.n, maxDepth, want)
		}
	}
	a, b := People(200, 5, "x.test", 7), People(200, 5, "x.test", 7)
	for i := range a {
		if a[i].Email != b[i].Email || a[i].Title != b[i].Title {
			t.Fatal("the same seed gave different people")
		}
	}
}
