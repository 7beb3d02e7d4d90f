package match

import "math"

// certifyFused checks a, the solver's result, for exactly the conditions
// Certify checks, mostly without reading the scores again: the pass over
// every score that Certify makes was already made by the solver's reads of
// the rows, which keep for every row its listed mentors with their exact
// scores and the bound thr on s[i][j] - p[j] over all its other allowed
// mentors, and the range of the allowed scores.
//
// The bound holds for the current prices at all times: prices only rise
// during a solve, and the two places that lower them (the shifts that make
// the cheapest price zero) raise every bound by as much (lowerPrices). So
// for an unlisted mentor j, s[i][j] - V[j] <= thr[i] - delta, delta =
// min over mentors of V[j] - p[j] (zero when a's duals are the solver's
// prices, as they are), and for a listed one
// the score is on the list; a row is read again only when its bound cannot
// rule out a violation, or when it held a stand-in (its list is the
// stand-in's). Matched scores come from the lists (the row is read when
// the mentor is not listed). The bonus, primal feasibility and
// complementary slackness are checked by certifyRest, the code Certify
// itself ends with.
//
// The bound and a direct check differ only by float64 rounding of the
// duals (a few ulps), far below the tolerance. It returns Certify's
// certificate and error for the same tolerance. match.Certify stays the
// independent check (tests, tandem --certify), which assumes nothing about
// how the duals were found.
func (s *solver) certifyFused(a *Assignment) (*Certificate, error) {
	n, m := s.n, s.m
	V := a.V[:m]
	// The bounds are on the solver's prices; a's duals are a copy of them,
	// but the check does not take that on trust.
	delta := math.Inf(1)
	for j, v := range V {
		delta = math.Min(delta, v-s.p[j])
	}
	c := s.cand
	viol, bi, bj := 0.0, -1, -1
	buf := s.rowBuf
	readRow := func(i int, ui float64) {
		for j, x := range s.src.Row(i, buf)[:m] {
			if v := float64(x) - ui - V[j]; v > viol {
				viol, bi, bj = v, i, j
			}
		}
	}
	for i := range n {
		ui := a.U[i]
		if s.standIns != nil && s.standIns.row[i] {
			readRow(i, ui) // every score is forbidden
			continue
		}
		cols, vals := c.list(i)
		for t, j := range cols {
			if v := float64(vals[t]) - ui - V[j]; v > viol {
				viol, bi, bj = v, i, int(j)
			}
		}
		if t := c.thr[i]; t > math.Inf(-1) && t-delta-ui > viol {
			readRow(i, ui) // the bound cannot rule out a violation
		}
	}
	score := func(i, j int) float32 {
		cols, vals := c.list(i)
		for t, l := range cols {
			if int(l) == j {
				return vals[t]
			}
		}
		return s.src.Row(i, buf)[j]
	}
	return certifyRest(s.capOrig, a, 0, s.lo, s.hi, viol, bi, bj, score)
}
