package match_test

import (
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/matchfile"
)

var (
	npyPath = flag.String("npy", "", "solve this .npy file (used by scripts/scipy_compare.sh)")
	npyCap  = flag.Int("cap", 5, "capacity per mentor for -npy")
)

// TestSolveNPY solves a .npy file given with -npy and prints the time and
// result for scripts/scipy_compare.sh. It is skipped without -npy.
func TestSolveNPY(t *testing.T) {
	if *npyPath == "" {
		t.Skip("no -npy file")
	}
	f, err := os.Open(*npyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := matchfile.ReadNPY(f, *npyPath)
	if err != nil {
		t.Fatal(err)
	}
	capacity := make([]int, a.M)
	for j := range capacity {
		capacity[j] = *npyCap
	}
	start := time.Now()
	got, err := match.Assign(a, capacity, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := match.Certify(a, capacity, got, 0); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("solve_ms=%.3f score=%.6f matched=%d\n", float64(time.Since(start).Microseconds())/1000, got.Score, got.Matched)
}
