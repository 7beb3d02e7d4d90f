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
// float32). It runs only with TANDEM_MATCH_SCALE=1.
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
	a, err := match.Assign(model, capacity, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("matched %d of %d in %v (%+v); heap peak about %d MiB", a.Matched, len(mentees), time.Since(start), a.Stats, ms.Sys>>20)
	if d := time.Since(start); d > time.Minute {
		t.Errorf("took %v, want under a minute", d)
	}
}
