package match

import (
	"math"
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

// TestStableRoundsEqualDA runs the rounds with tiny pools, so that every
// path is taken (thresholds from samples, growing pools, buckets swept,
// mentor cuts down to one pair with rounds stopped at a cut mentor, the
// hand-over to the heap greedy after the last round or on a too large
// pool), and checks the result against deferred acceptance.
func TestStableRoundsEqualDA(t *testing.T) {
	defer func(f, cs, fill float64, r, mp, sp, cseats, cs2, cm int) {
		stablePoolFactor, stableColShare, stableCapFill = f, cs, fill
		stableMaxRounds, stableMaxPool, stableSmallPool = r, mp, sp
		stableColSeats, stableCutSample, stableCutMax = cseats, cs2, cm
	}(stablePoolFactor, stableColShare, stableCapFill, stableMaxRounds, stableMaxPool, stableSmallPool, stableColSeats, stableCutSample, stableCutMax)
	r := rand.New(rand.NewPCG(7, 8))
	for iter := range 1500 {
		stableSmallPool = r.IntN(3) * r.IntN(50)
		stablePoolFactor = []float64{0.05, 0.3, 1, 4}[r.IntN(4)]
		stableCapFill = []float64{0, 0.5, 1}[r.IntN(3)]
		stableMaxRounds = []int{0, 1, 3, 5, 48}[r.IntN(5)]
		stableMaxPool = []int{1, 20, 1 << 20, 1 << 20}[r.IntN(4)]
		stableColSeats = r.IntN(3)
		stableColShare = []float64{0, 0.1, 1, 2}[r.IntN(4)]
		stableCutSample = []int{0, 1, 2, 8}[r.IntN(4)]
		stableCutMax = []int{1, 2, 32}[r.IntN(3)]
		n, m := 1+r.IntN(300), 1+r.IntN(15)
		a := NewMatrix(n, m)
		levels := 1 + r.IntN(6)
		if r.IntN(3) == 0 {
			levels = 1000
		}
		for x := range a.Data {
			a.Data[x] = float32(r.IntN(levels)) - 2
			if r.IntN(10) == 0 {
				a.Data[x] = Forbidden
			}
			if r.IntN(20) == 0 {
				a.Data[x] = float32(math.Copysign(0, -1))
			}
		}
		capacity := make([]int, m)
		for j := range capacity {
			capacity[j] = r.IntN(6)
		}
		k := 1 + r.IntN(4)
		got, err := Stable(a, capacity, Options{Candidates: k, Workers: 1 + r.IntN(2)})
		if err != nil {
			t.Fatal(err)
		}
		want := stableDA(a, capacity, k)
		if !slices.Equal(got.Mentor, want.Mentor) {
			t.Fatalf("#%d: rounds %v, deferred acceptance %v", iter, got.Mentor, want.Mentor)
		}
		if got.Matched != want.Matched || got.Score != want.Score {
			t.Fatalf("#%d: matched %d score %g, want %d %g", iter, got.Matched, got.Score, want.Matched, want.Score)
		}
	}
}

func TestSortPool(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 50 {
		var a []pairItem
		for x := range 1 + r.IntN(3000) {
			v := float32(r.NormFloat64() * 1e3)
			if r.IntN(3) == 0 {
				v = float32(r.IntN(5))
			}
			a = append(a, pairItem{v, int32(x), int32(r.IntN(9))})
		}
		want := slices.Clone(a)
		slices.SortStableFunc(want, func(x, y pairItem) int {
			switch {
			case x.v > y.v:
				return -1
			case x.v < y.v:
				return 1
			}
			return 0
		})
		got, _ := sortPool(a, nil)
		if !slices.Equal(got, want) {
			t.Fatal("sortPool differs from a stable sort")
		}
	}
}

// TestStableHeapEqualsDA keeps the heap greedy alone (the baseline of the
// benchmarks) checked against deferred acceptance.
func TestStableHeapEqualsDA(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for iter := range 200 {
		n, m := 1+r.IntN(60), 1+r.IntN(12)
		a := NewMatrix(n, m)
		for x := range a.Data {
			a.Data[x] = float32(r.IntN(4))
			if r.IntN(10) == 0 {
				a.Data[x] = Forbidden
			}
		}
		capacity := make([]int, m)
		for j := range capacity {
			capacity[j] = r.IntN(6)
		}
		k := 1 + r.IntN(4)
		got, want := StableHeap(a, capacity, k), stableDA(a, capacity, k)
		if !slices.Equal(got.Mentor, want.Mentor) {
			t.Fatalf("#%d: heap greedy %v, deferred acceptance %v", iter, got.Mentor, want.Mentor)
		}
	}
}
