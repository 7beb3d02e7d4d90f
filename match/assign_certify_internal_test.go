package match

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCertifyFusedRejects checks that Assign's own check (certifyFused)
// fails where Certify fails: a lowered price (an unlisted or listed pair
// becomes infeasible), a raised mentee dual (slackness), a moved mentee
// (capacity).
func TestCertifyFusedRejects(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, family := range []string{"tight", "slack"} {
		n, m := 300, 60
		a := NewMatrix(n, m)
		for k := range a.Data {
			a.Data[k] = r.Float32()
			if r.IntN(50) == 0 {
				a.Data[k] = Forbidden
			}
		}
		capacity := make([]int, m)
		for j := range capacity {
			capacity[j] = 5
			if family == "slack" {
				capacity[j] = 8
			}
		}
		got, err := Assign(a, capacity, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Certificate == nil {
			t.Fatalf("%s: no fused certificate", family)
		}
		check := func(what string, b *Assignment) {
			t.Helper()
			// Rebuild the solver's read state: solve again, then swap in b.
			s := newSolver(a, capacity, Options{})
			if err := s.readCandidates(); err != nil {
				t.Fatal(err)
			}
			_, errC := Certify(a, capacity, b, 0)
			_, errF := s.certifyFused(b)
			if errC == nil || errF == nil {
				t.Errorf("%s %s: Certify %v, fused %v", family, what, errC, errF)
			}
		}
		cp := func() *Assignment {
			b := *got
			b.Mentor = append([]int(nil), got.Mentor...)
			b.U = append([]float64(nil), got.U...)
			b.V = append([]float64(nil), got.V...)
			return &b
		}
		// Lower the price of the busiest mentor well below its level:
		// someone who did not get it now wants it more than their own.
		b := cp()
		top := 0
		for j := range b.V {
			if b.V[j] > b.V[top] {
				top = j
			}
		}
		if b.V[top] > 0 {
			b.V[top] = 0
			check("price cut", b)
		}
		b = cp()
		for i, j := range b.Mentor {
			if j >= 0 {
				b.U[i] += 0.5
				break
			}
		}
		check("slack", b)
		b = cp()
		b.U[0] = math.Inf(-1)
		check("dual", b)
	}
}
