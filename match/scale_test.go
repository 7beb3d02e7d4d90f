package match_test

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// TestScale runs 100,000 mentees × 20,000 mentors × capacity 5 from
// profiles, scoring rows on demand (the dense matrix would take 8 GB in
// float32): the model computes each row when the engine reads it, and the
// engine keeps only candidate lists. It runs only with
// TANDEM_MATCH_SCALE=1, and logs each phase: compile, stable matching
// (one parallel pass for the candidate lists, then the greedy with its
// refills), and the optimal assignment unless TANDEM_MATCH_SCALE_ASSIGN=0.
// Measure peak memory with /usr/bin/time -v.
func TestScale(t *testing.T) {
	if os.Getenv("TANDEM_MATCH_SCALE") != "1" {
		t.Skip("set TANDEM_MATCH_SCALE=1 to run the 100k × 20k case")
	}
	mentees, mentors := gen.People(100000, 20000, 5, 2)
	capacity := make([]int, len(mentors))
	for j, p := range mentors {
		capacity[j] = p.Capacity
	}
	start := time.Now()
	model, err := match.NewModel(mentees, mentors, match.DefaultWeights(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compile: %v", time.Since(start))

	t0 := time.Now()
	s, err := match.Stable(model, capacity, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stable: matched %d of %d, score %.6g in %v (candidates %v, greedy %v, %d refills)",
		s.Matched, len(mentees), s.Score, time.Since(t0), s.Build, s.Propose, s.Refills)
	explain(t, model, s.Mentor)
	t.Logf("stable end to end (compile, match, explain): %v", time.Since(start))
	if d := time.Since(start); d > time.Minute {
		t.Errorf("stable took %v, want under a minute", d)
	}

	if os.Getenv("TANDEM_MATCH_SCALE_ASSIGN") != "0" {
		t0 = time.Now()
		a, err := match.Assign(model, capacity, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("optimal: matched %d of %d, score %.6g in %v (%+v)", a.Matched, len(mentees), a.Score, time.Since(t0), a.Stats)
		if d := time.Since(t0); d > time.Minute {
			t.Errorf("optimal took %v, want under a minute", d)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("Go memory obtained from the OS: %d MiB", ms.Sys>>20)
}

// explain computes the reasons of every matched pair, as matches.csv has.
func explain(t *testing.T, model *match.Model, mentor []int) {
	t0 := time.Now()
	n := 0
	for i, j := range mentor {
		if j >= 0 {
			n += len(match.Reasons(model.Explain(i, j, 3)))
		}
	}
	t.Logf("explain: %v", time.Since(t0))
}
