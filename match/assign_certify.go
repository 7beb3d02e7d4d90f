package match

import "math"

// certifyFused checks a, the solver's result, for exactly the conditions
// Certify checks, without reading the matrix again: the pass over every
// score that Certify makes was already made by the solver's last full read
// of the rows (readCandidates or readCandidatesPriced), which kept for every
// row its listed mentors with their exact scores and the bound thr on
// s[i][j] - p0[j] over all its other allowed mentors, p0 being the prices
// during that read, as well as the range of the allowed scores.
//
// Dual feasibility of row i then follows from those numbers alone: for an
// unlisted mentor j, s[i][j] - V[j] = (s[i][j] - p0[j]) - (V[j] - p0[j]) is
// at most thr[i] - delta with delta = min over all mentors of V[j] - p0[j]
// (computed here, not assumed: prices only rise during a solve, and the
// final shift lowers them all by the same amount), and for a listed mentor
// the score is on the list. Rows rescanned after the read (their lists come
// from other prices), and rows whose bound does not rule out a violation,
// are read again and checked as Certify does. Matched scores come from
// the lists (the row is read when the mentor is not listed). The bonus, primal feasibility and complementary slackness are
// checked by certifyRest, the code Certify itself ends with.
//
// The bound and a direct check differ only by float64 rounding of the
// duals (a few ulps), far below the tolerance. It returns Certify's
// certificate and error for the same tolerance.
// match.Certify stays the independent check (tests, tandem --certify).
func (s *solver) certifyFused(a *Assignment) (*Certificate, error) {
	n, m := s.n, s.m
	V := a.V[:m]
	delta := math.Inf(1)
	for j, v := range V {
		delta = math.Min(delta, v-s.p0[j])
	}
	c := s.cand
	viol, bi, bj := 0.0, -1, -1
	buf := s.rowBuf
	for i := range n {
		ui := a.U[i]
		if s.dirty[i] {
			row := s.src.Row(i, buf)[:m]
			for j, x := range row {
				if v := float64(x) - ui - V[j]; v > viol {
					viol, bi, bj = v, i, j
				}
			}
			continue
		}
		cols, vals := c.list(i)
		for t, j := range cols {
			if v := float64(vals[t]) - ui - V[j]; v > viol {
				viol, bi, bj = v, i, int(j)
			}
		}
		if t := c.thr[i]; t > math.Inf(-1) && t-delta-ui > viol {
			// The bound cannot rule out a violation: check the row itself.
			row := s.src.Row(i, buf)[:m]
			for j, x := range row {
				if v := float64(x) - ui - V[j]; v > viol {
					viol, bi, bj = v, i, j
				}
			}
		}
	}
	score := func(i, j int) float32 {
		if !s.dirty[i] {
			cols, vals := c.list(i)
			for t, l := range cols {
				if int(l) == j {
					return vals[t]
				}
			}
		}
		return s.src.Row(i, buf)[j]
	}
	return certifyRest(s.capOrig, a, 0, s.lo, s.hi, viol, bi, bj, score)
}
