package match_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// TestBatchTrace prints batchAugment's rounds on a benchmark instance
// (TRACEFAM=family go test -run TestBatchTrace ./match/).
func TestBatchTrace(t *testing.T) {
	fam := os.Getenv("TRACEFAM")
	if fam == "" {
		t.Skip("TRACEFAM not set")
	}
	in, _ := gen.New(fam, 10000, 2000, 5, 42)
	a := &match.Matrix{N: in.N, M: in.M, Data: in.Scores}
	match.SetBatchTrace(func(free, settled, sinks, trees int, radius float64, rescans int) {
		fmt.Println("round free", free, "settled", settled, "sinks", sinks, "trees", trees, "radius", radius, "rescans", rescans)
	})
	defer match.SetBatchTrace(nil)
	if v := os.Getenv("REACH"); v != "" {
		var f float64
		fmt.Sscan(v, &f)
		match.SetBatchReach(f)
	}
	match.SetWarmCols(os.Getenv("NOCOLS") == "")
	if v := os.Getenv("BUDGET"); v != "" {
		b := 4
		fmt.Sscan(v, &b)
		match.SetBidBudget(b)
	}
	if v := os.Getenv("ADJ"); v != "" {
		var p int
		var d float64
		fmt.Sscan(v, &p, &d)
		match.SetAdjust(p, d)
		defer match.SetAdjust(6, 0.7)
	}
	st := time.Now()
	got, err := match.Assign(a, in.Capacity, match.Options{})
	fmt.Println(time.Since(st), err, got.Stats)
}
