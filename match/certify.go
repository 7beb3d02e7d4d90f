package match

import (
	"fmt"
	"math"
)

// Certificate is the result of checking an Assignment's optimality proof.
type Certificate struct {
	// Primal is the objective of the assignment: the total score plus
	// Bonus per match.
	Primal float64
	// Dual is the objective of the duals: the sum of (U[i] + Bonus) plus
	// the sum of capacity[j] * V[j]. By weak duality it bounds every
	// assignment's objective from above.
	Dual float64
	// Gap is Dual - Primal, which is zero up to rounding for an optimum.
	Gap float64
	// MaxViolation is the largest violation of dual feasibility or
	// complementary slackness found, in score units.
	MaxViolation float64
	// Tolerance is the violation that was allowed per constraint.
	Tolerance float64
}

// Tolerance returns the violation Certify allows per constraint for an
// assignment whose scores are at most maxAbs in absolute value: a few
// hundred float64 rounding steps of the largest number the duals hold
// (scores and the bonus), which is far below the float32 resolution of
// the scores themselves.
func Tolerance(maxAbs, bonus float64) float64 {
	return 1e-9*math.Max(1, maxAbs) + 1e-12*bonus
}

// Certify checks that a is an optimal solution for src and capacity. It
// checks, reading every score once (in parallel):
//
//   - primal feasibility: each mentee has at most one mentor, never a
//     forbidden one, and no mentor exceeds its capacity;
//   - dual feasibility: U[i] + V[j] >= score[i][j] for every allowed pair,
//     V[j] >= 0 and U[i] >= -Bonus;
//   - complementary slackness: U[i] + V[j] = score[i][j] on matched pairs,
//     U[i] = -Bonus for unmatched mentees, V[j] = 0 for mentors with a
//     free seat.
//
// Each with tolerance tol (Tolerance if tol <= 0). Together they prove that
// no assignment has more matches, or as many matches and a higher total
// score (up to tol per pair), because Bonus is at least the value given by
// the Bonus function for the score range. Certify returns an error naming
// the first violated condition.
func Certify(src Scores, capacity []int, a *Assignment, tol float64) (*Certificate, error) {
	n, m := src.Dims()
	if len(a.Mentor) != n || len(a.U) != n || len(a.V) != m || len(capacity) != m {
		return nil, fmt.Errorf("match: certify: sizes do not fit a %d×%d problem", n, m)
	}
	workers := defaultWorkers(0)
	type part struct {
		viol   float64
		lo, hi float64
		bi, bj int
	}
	parts := make([]part, workers)
	for w := range parts {
		parts[w].lo, parts[w].hi = math.Inf(1), math.Inf(-1)
	}
	bufs := newPerWorker(workers, func() []float32 { return make([]float32, m) })
	parallelRows(n, workers, func(w, from, to int) {
		buf := bufs.get(w)
		// Accumulate in locals: writing parts[w] per score would bounce its
		// cache line between cores.
		pt := parts[w]
		V := a.V[:m]
		for i := from; i < to; i++ {
			row := src.Row(i, buf)[:m]
			lo, hi := float32(pt.lo), float32(pt.hi)
			// max_j s - V[j] in four independent chains; NaN (forbidden)
			// fails every comparison, so it needs no test of its own.
			x0, x1, x2, x3 := math.Inf(-1), math.Inf(-1), math.Inf(-1), math.Inf(-1)
			j := 0
			for ; j+4 <= m; j += 4 {
				s0, s1, s2, s3 := row[j], row[j+1], row[j+2], row[j+3]
				lo = min32(lo, s0, s1, s2, s3)
				hi = max32(hi, s0, s1, s2, s3)
				if v := float64(s0) - V[j]; v > x0 {
					x0 = v
				}
				if v := float64(s1) - V[j+1]; v > x1 {
					x1 = v
				}
				if v := float64(s2) - V[j+2]; v > x2 {
					x2 = v
				}
				if v := float64(s3) - V[j+3]; v > x3 {
					x3 = v
				}
			}
			for ; j < m; j++ {
				s := row[j]
				lo = min32(lo, s, s, s, s)
				hi = max32(hi, s, s, s, s)
				if v := float64(s) - V[j]; v > x0 {
					x0 = v
				}
			}
			pt.lo, pt.hi = float64(lo), float64(hi)
			if math.Max(math.Max(x0, x1), math.Max(x2, x3))-a.U[i] <= pt.viol {
				continue
			}
			// A violation: find where, in the same arithmetic as before.
			ui := a.U[i]
			for j, s := range row {
				if v := float64(s) - ui - V[j]; v > pt.viol {
					pt.viol, pt.bi, pt.bj = v, i, j
				}
			}
		}
		parts[w] = pt
	})
	lo, hi := math.Inf(1), math.Inf(-1)
	viol, bi, bj := 0.0, -1, -1
	for _, pt := range parts {
		lo, hi = math.Min(lo, pt.lo), math.Max(pt.hi, hi)
		if pt.viol > viol {
			viol, bi, bj = pt.viol, pt.bi, pt.bj
		}
	}
	buf := make([]float32, m)
	return certifyRest(capacity, a, tol, lo, hi, viol, bi, bj, func(i, j int) float32 { return src.Row(i, buf)[j] })
}

// certifyRest finishes a check once the pass over the scores is done: lo
// and hi are the range of the allowed scores, viol the largest violation
// of U[i] + V[j] >= s[i][j] found (at mentee bi, mentor bj), score(i, j)
// the score of a matched pair. It checks the bonus, primal feasibility,
// U >= -Bonus, V >= 0 and complementary slackness in O(n + m), and sums the
// objectives. Certify and Assign's own check (certifyFused) share it.
func certifyRest(capacity []int, a *Assignment, tol, lo, hi, viol float64, bi, bj int, score func(i, j int) float32) (*Certificate, error) {
	n, m := len(a.Mentor), len(a.V)
	c := &Certificate{}
	bad := ""
	if viol > 0 {
		c.MaxViolation = viol
		bad = fmt.Sprintf("dual infeasible at mentee %d, mentor %d by %g", bi, bj, viol)
	}
	if lo > hi {
		lo, hi = 0, 0
	}
	if need := Bonus(lo, hi, n, m); a.Bonus < need {
		return c, fmt.Errorf("match: certify: bonus %g is below %g for scores in [%g, %g]", a.Bonus, need, lo, hi)
	}
	if tol <= 0 {
		tol = Tolerance(math.Max(math.Abs(lo), math.Abs(hi)), a.Bonus)
	}
	c.Tolerance = tol
	// worse records a violation larger than any so far; the message is
	// formatted only then, so the loops below allocate nothing per mentee.
	worse := func(v float64) bool {
		if v > c.MaxViolation {
			c.MaxViolation = v
			return true
		}
		return false
	}
	load := make([]int, m)
	for i, j := range a.Mentor {
		c.Dual += a.U[i] + a.Bonus
		if worse(-a.Bonus - a.U[i]) {
			bad = fmt.Sprintf("mentee %d dual %g is below -bonus", i, a.U[i])
		}
		if j < 0 {
			if worse(math.Abs(a.U[i] + a.Bonus)) {
				bad = fmt.Sprintf("unmatched mentee %d has dual %g, not -bonus", i, a.U[i])
			}
			continue
		}
		if j >= m {
			return c, fmt.Errorf("match: certify: mentee %d has mentor %d of %d", i, j, m)
		}
		s := score(i, j)
		if s != s {
			return c, fmt.Errorf("match: certify: mentee %d is matched to forbidden mentor %d", i, j)
		}
		load[j]++
		c.Primal += float64(s) + a.Bonus
		if worse(math.Abs(a.U[i] + a.V[j] - float64(s))) {
			bad = fmt.Sprintf("matched pair (%d, %d) is not tight", i, j)
		}
	}
	for j := range m {
		if load[j] > capacity[j] {
			return c, fmt.Errorf("match: certify: mentor %d has %d mentees, capacity %d", j, load[j], capacity[j])
		}
		c.Dual += float64(capacity[j]) * a.V[j]
		if worse(-a.V[j]) {
			bad = fmt.Sprintf("mentor %d has negative price %g", j, a.V[j])
		}
		if load[j] < capacity[j] {
			if worse(a.V[j]) {
				bad = fmt.Sprintf("mentor %d has a free seat but price %g", j, a.V[j])
			}
		}
	}
	c.Gap = c.Dual - c.Primal
	if c.MaxViolation > tol {
		return c, fmt.Errorf("match: certify: %s (tolerance %g)", bad, tol)
	}
	return c, nil
}

// min32 returns the least of lo and the four scores, ignoring NaN ones.
func min32(lo, a, b, c, d float32) float32 {
	if a < lo {
		lo = a
	}
	if b < lo {
		lo = b
	}
	if c < lo {
		lo = c
	}
	if d < lo {
		lo = d
	}
	return lo
}

// max32 returns the largest of hi and the four scores, ignoring NaN ones.
func max32(hi, a, b, c, d float32) float32 {
	if a > hi {
		hi = a
	}
	if b > hi {
		hi = b
	}
	if c > hi {
		hi = c
	}
	if d > hi {
		hi = d
	}
	return hi
}
