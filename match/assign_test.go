package match_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// tiny returns a small random instance of a family, with random
// capacities (zero included) and a random share of forbidden pairs.
func tiny(r *rand.Rand, family string) (*match.Matrix, []int) {
	n, m := 1+r.IntN(6), 1+r.IntN(4)
	a := match.NewMatrix(n, m)
	forbid := r.Float64() * 0.5
	pop := make([]float64, m)
	for j := range pop {
		pop[j] = r.Float64()
	}
	for i := range n {
		for j := range m {
			var v float32
			switch family {
			case "uniform", "slack":
				v = r.Float32()*20 - 10
			case "popular":
				v = float32(pop[j]*0.8 + 0.2*r.Float64())
			case "ties":
				v = float32(r.IntN(3))
			}
			if r.Float64() < forbid {
				v = match.Forbidden
			}
			a.Set(i, j, v)
		}
	}
	capacity := make([]int, m)
	for j := range capacity {
		capacity[j] = r.IntN(3)
		if family == "slack" {
			capacity[j] += 2
		}
	}
	return a, capacity
}

// bruteForce returns the best (matched count, total score) over all
// assignments.
func bruteForce(a *match.Matrix, capacity []int) (int, float64) {
	load := make([]int, a.M)
	bestN, bestS := -1, math.Inf(-1)
	var rec func(i, cnt int, s float64)
	rec = func(i, cnt int, s float64) {
		if i == a.N {
			if cnt > bestN || cnt == bestN && s > bestS {
				bestN, bestS = cnt, s
			}
			return
		}
		rec(i+1, cnt, s)
		for j := range a.M {
			v := a.At(i, j)
			if match.IsForbidden(v) || load[j] >= capacity[j] {
				continue
			}
			load[j]++
			rec(i+1, cnt+1, s+float64(v))
			load[j]--
		}
	}
	rec(0, 0, 0)
	return bestN, bestS
}

func TestAssignBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, family := range gen.Families {
		for iter := range 1500 {
			a, capacity := tiny(r, family)
			k := 2 + r.IntN(2) // tiny lists force rescans
			method := []string{match.MethodAuto, match.MethodAuction}[iter%2]
			got, err := match.Assign(a, capacity, match.Options{Candidates: k, Workers: 1 + iter%2, Method: method})
			if err != nil {
				t.Fatal(err)
			}
			wantN, wantS := bruteForce(a, capacity)
			if got.Matched != wantN || math.Abs(got.Score-wantS) > 1e-6 {
				t.Fatalf("%s #%d %q: got %d matched, score %g; want %d, %g\nscores %v\ncapacity %v\nmentor %v",
					family, iter, method, got.Matched, got.Score, wantN, wantS, a.Data, capacity, got.Mentor)
			}
			if _, err := match.Certify(a, capacity, got, 0); err != nil {
				t.Fatalf("%s #%d: %v\nscores %v\ncapacity %v", family, iter, err, a.Data, capacity)
			}
			if method != match.MethodAuction && got.Certificate == nil {
				t.Fatalf("%s #%d: no fused certificate", family, iter)
			}
		}
	}
}

func TestAssignLarge(t *testing.T) {
	for _, family := range gen.Families {
		t.Run(family, func(t *testing.T) {
			in, err := gen.New(family, 2000, 400, 5, 7)
			if err != nil {
				t.Fatal(err)
			}
			a := &match.Matrix{N: in.N, M: in.M, Data: in.Scores}
			got, err := match.Assign(a, in.Capacity, match.Options{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := match.Certify(a, in.Capacity, got, 0)
			if err != nil {
				t.Fatal(err)
			}
			f := got.Certificate
			if f == nil {
				t.Fatal("no fused certificate")
			}
			if f.Tolerance != c.Tolerance || math.Abs(f.Primal-c.Primal) > c.Tolerance || math.Abs(f.Dual-c.Dual) > c.Tolerance {
				t.Errorf("fused certificate %+v, Certify %+v", *f, *c)
			}
			t.Logf("matched %d score %.4f gap %g viol %g tol %g stats %+v", got.Matched, got.Score, c.Gap, c.MaxViolation, c.Tolerance, got.Stats)
		})
	}
}

func TestAssignBadCapacity(t *testing.T) {
	a := match.NewMatrix(2, 2)
	if _, err := match.Assign(a, []int{1}, match.Options{}); err == nil {
		t.Error("short capacity: no error")
	}
	if _, err := match.Assign(a, []int{1, -1}, match.Options{}); err == nil {
		t.Error("negative capacity: no error")
	}
}

func TestAssignAllForbiddenRow(t *testing.T) {
	a := match.NewMatrix(3, 2)
	for j := range 2 {
		a.Set(1, j, match.Forbidden)
	}
	got, err := match.Assign(a, []int{2, 2}, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Mentor[1] != -1 || got.Matched != 2 {
		t.Errorf("got %v", got.Mentor)
	}
}

// TestAssignBruteForceTight checks the tight path (seats = mentees: warm
// prices, batched shortest-path rounds, fallback) against brute force.
func TestAssignBruteForceTight(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	batched := 0
	for _, family := range gen.Families {
		for iter := range 1500 {
			a, capacity := tiny(r, family)
			for j := range capacity {
				capacity[j] = 0
			}
			for range a.N {
				capacity[r.IntN(a.M)]++
			}
			k := 2 + r.IntN(2)
			got, err := match.Assign(a, capacity, match.Options{Candidates: k, Workers: 1 + iter%2})
			if err != nil {
				t.Fatal(err)
			}
			if !got.Stats.Fallback {
				batched++
			}
			wantN, wantS := bruteForce(a, capacity)
			if got.Matched != wantN || math.Abs(got.Score-wantS) > 1e-6 {
				t.Fatalf("%s #%d: got %d matched, score %g; want %d, %g\nscores %v\ncapacity %v\nmentor %v",
					family, iter, got.Matched, got.Score, wantN, wantS, a.Data, capacity, got.Mentor)
			}
			if _, err := match.Certify(a, capacity, got, 0); err != nil {
				t.Fatalf("%s #%d: %v\nscores %v\ncapacity %v", family, iter, err, a.Data, capacity)
			}
			if got.Certificate == nil {
				t.Fatalf("%s #%d: no fused certificate", family, iter)
			}
		}
	}
	if batched < 1000 {
		t.Errorf("only %d instances solved without fallback", batched)
	}
}

// TestAssignStandIns covers tight problems (as many seats as mentees) in
// which not every mentee can be matched: some allow no mentor at all (as
// profiles without a shared language give: stand-ins), others compete for
// too few seats (stranded: finishStranded). Neither may send the solve to
// the general method, nor cost the certificate.
func TestAssignStandIns(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for iter := range 2000 {
		n, m := 2+r.IntN(6), 1+r.IntN(4)
		a := match.NewMatrix(n, m)
		forbid := 0.0
		if iter%2 == 1 {
			forbid = r.Float64() * 0.4
		}
		empty := map[int]bool{r.IntN(n): true, r.IntN(n): true}
		for i := range n {
			for j := range m {
				v := float32(r.IntN(4))
				if iter%3 == 0 {
					v = r.Float32()
				}
				if empty[i] || r.Float64() < forbid {
					v = match.Forbidden
				}
				a.Set(i, j, v)
			}
		}
		capacity := make([]int, m)
		for range n {
			capacity[r.IntN(m)]++
		}
		got, err := match.Assign(a, capacity, match.Options{Candidates: 2, Workers: 1 + iter%2})
		if err != nil {
			t.Fatal(err)
		}
		wantN, wantS := bruteForce(a, capacity)
		if got.Matched != wantN || math.Abs(got.Score-wantS) > 1e-6 {
			t.Fatalf("#%d: got %d matched, score %g; want %d, %g\nscores %v\ncapacity %v\nmentor %v",
				iter, got.Matched, got.Score, wantN, wantS, a.Data, capacity, got.Mentor)
		}
		if _, err := match.Certify(a, capacity, got, 0); err != nil || got.Certificate == nil {
			t.Fatalf("#%d: certify %v, fused %v\nscores %v\ncapacity %v", iter, err, got.Certificate, a.Data, capacity)
		}
		allowed := slices.ContainsFunc(a.Data, func(v float32) bool { return !match.IsForbidden(v) })
		if allowed && got.Stats.Fallback {
			t.Fatalf("#%d: the tight method fell back to the general one\nscores %v\ncapacity %v", iter, a.Data, capacity)
		}
	}
}

// TestAssignProfilesStranded solves generated profiles whose capacities
// equal the mentees but where language and must-match rules leave some
// mentees unmatchable: the tight method finishes them (finishStranded)
// instead of starting over, and the independent Certify agrees.
func TestAssignProfilesStranded(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		mentees, mentors := gen.People(2000, 400, 5, seed)
		capacity := make([]int, len(mentors))
		seats := 0
		for j, p := range mentors {
			capacity[j] = p.Capacity
			seats += p.Capacity
		}
		model, err := match.NewModel(mentees, mentors, match.DefaultWeights(), nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := match.Assign(model, capacity, match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if seats != len(mentees) || a.Matched == len(mentees) {
			t.Fatalf("seed %d: %d seats for %d mentees, %d matched: not the case this test is for", seed, seats, len(mentees), a.Matched)
		}
		if a.Stats.Fallback || a.Certificate == nil {
			t.Errorf("seed %d: fallback %v, certificate %v", seed, a.Stats.Fallback, a.Certificate)
		}
		if _, err := match.Certify(model, capacity, a, 0); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
}
