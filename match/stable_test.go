package match_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// greedy matches pairs in decreasing score order (ties: lower mentee, then
// lower mentor first). With preferences from one score matrix this is the
// unique stable matching.
func greedy(a *match.Matrix, capacity []int) []int {
	type pair struct {
		v    float32
		i, j int
	}
	var ps []pair
	for i := range a.N {
		for j := range a.M {
			if v := a.At(i, j); !match.IsForbidden(v) {
				ps = append(ps, pair{v, i, j})
			}
		}
	}
	slices.SortStableFunc(ps, func(x, y pair) int {
		switch {
		case x.v > y.v:
			return -1
		case x.v < y.v:
			return 1
		case x.i != y.i:
			return x.i - y.i
		}
		return x.j - y.j
	})
	mentor := make([]int, a.N)
	for i := range mentor {
		mentor[i] = -1
	}
	load := make([]int, a.M)
	for _, p := range ps {
		if mentor[p.i] < 0 && load[p.j] < capacity[p.j] {
			mentor[p.i] = p.j
			load[p.j]++
		}
	}
	return mentor
}

// rowsOnly hides that the scores are a matrix, as a Model's rows are.
type rowsOnly struct{ m *match.Matrix }

func (r rowsOnly) Dims() (int, int)                   { return r.m.Dims() }
func (r rowsOnly) Row(i int, dst []float32) []float32 { return r.m.Row(i, dst) }

func TestStableSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, family := range gen.Families {
		for iter := range 1500 {
			a, capacity := tiny(r, family)
			// A matrix goes through the rounds; any other source of rows
			// through the heap greedy alone.
			var src match.Scores = a
			if iter%2 == 1 {
				src = rowsOnly{a}
			}
			got, err := match.Stable(src, capacity, match.Options{Candidates: 1 + r.IntN(3)})
			if err != nil {
				t.Fatal(err)
			}
			if i, j, ok := match.BlockingPair(a, capacity, got.Mentor); ok {
				t.Fatalf("%s #%d: blocking pair (%d, %d) in %v\nscores %v capacity %v", family, iter, i, j, got.Mentor, a.Data, capacity)
			}
			if want := greedy(a, capacity); !slices.Equal(got.Mentor, want) {
				t.Fatalf("%s #%d: got %v, want %v", family, iter, got.Mentor, want)
			}
		}
	}
}

func TestStableLarge(t *testing.T) {
	for _, family := range gen.Families {
		in, err := gen.New(family, 2000, 400, 5, 9)
		if err != nil {
			t.Fatal(err)
		}
		a := &match.Matrix{N: in.N, M: in.M, Data: in.Scores}
		got, err := match.Stable(a, in.Capacity, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if i, j, ok := match.BlockingPair(a, in.Capacity, got.Mentor); ok {
			t.Errorf("%s: blocking pair (%d, %d)", family, i, j)
		}
	}
}

func TestBlockingPairFound(t *testing.T) {
	// Mentee 0 and mentor 0 like each other best but are apart.
	a := &match.Matrix{N: 2, M: 2, Data: []float32{9, 1, 1, 9}}
	if _, _, ok := match.BlockingPair(a, []int{1, 1}, []int{1, 0}); !ok {
		t.Error("no blocking pair found")
	}
	// A free seat blocks with any mentee who would rather have it.
	if _, _, ok := match.BlockingPair(a, []int{1, 1}, []int{-1, 1}); !ok {
		t.Error("no blocking pair found for an unmatched mentee")
	}
}
