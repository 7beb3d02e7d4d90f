package match

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStableGreedyEqualsDA checks the greedy stable matching against
// deferred acceptance on random instances with many ties.
func TestStableGreedyEqualsDA(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 300 {
		n, m := 1+r.IntN(60), 1+r.IntN(12)
		a := NewMatrix(n, m)
		levels := 1 + r.IntN(5)
		for x := range a.Data {
			a.Data[x] = float32(r.IntN(levels))
			if r.IntN(10) == 0 {
				a.Data[x] = Forbidden
			}
		}
		capacity := make([]int, m)
		for j := range capacity {
			capacity[j] = r.IntN(6)
		}
		k := 1 + r.IntN(4)
		got, err := Stable(a, capacity, Options{Candidates: k})
		if err != nil {
			t.Fatal(err)
		}
		want := stableDA(a, capacity, k)
		if !slices.Equal(got.Mentor, want.Mentor) {
			t.Fatalf("#%d: greedy %v, deferred acceptance %v", iter, got.Mentor, want.Mentor)
		}
	}
}
