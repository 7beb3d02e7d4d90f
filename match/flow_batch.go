package match

import "math"

// batchAugment finishes a tight problem (as many seats as mentees) by
// rounds of multi-source shortest paths, each round augmenting along many
// paths at once. It returns ok = false when not every mentee can be
// matched: with stranded, the free mentees from which no augmenting path
// is left (finishStranded completes the solve from there); without, a free
// mentee that allows no mentor at all (the caller starts over with the
// general method).
//
// When every seat ends up filled, the term sum(cap[j]·V[j]) of the dual
// objective is the same for every complete assignment, so mentor prices
// need not be zero at free seats until the end, when they are shifted so
// that the cheapest is zero. The only invariants are then dual feasibility
// (u[i] + p[j] >= a[i][j]) and tight matched pairs. A round runs one
// Dijkstra from all free mentees at once (each at distance 0 with u its
// best value), stops at a radius C once enough search trees have reached a
// mentor with a free seat, and raises every settled mentor's price by
// C - dist. Every arc of the shortest-path forest is then tight, so
// augmenting along the tree path of one sink per tree (trees are disjoint)
// keeps both invariants, however far the sinks are from each other.
func (s *solver) batchAugment(free []int32) (stranded []int32, ok bool) {
	d := &s.dij
	if d.root == nil {
		d.root = make([]int32, s.n)
		d.rootHit = make([]uint32, s.n)
		d.rowEp = make([]uint32, s.n)
		d.rowVis = make([]uint32, s.n)
	}
	for len(free) > 0 {
		s.stats.Augmentations++
		d.epoch++
		ep := d.epoch
		d.settled = d.settled[:0]
		d.heap = d.heap[:0]
		sinks := d.sinks[:0]

		reach := func(r int, dr, ur float64, root int32) {
			d.root[r], d.rowEp[r] = root, ep
			s.reachRow(r, dr, ur, ep)
		}
		for _, i := range free {
			j1, w1 := s.best1(int(i))
			if j1 < 0 {
				return nil, false // no allowed mentor
			}
			reach(int(i), 0, w1, i)
		}
		open := 0
		for j := range s.m {
			if s.load[j] < s.cap[j] {
				open++
			}
		}
		share := batchReach
		if !s.denseRows() {
			share = batchReachComputed
		}
		want := max(1, int(math.Ceil(float64(open)*share)))
		hits, seatsFound := 0, 0
		radius := 0.0
		for {
			l, key, ok := s.settleNext(ep, math.Inf(1))
			if !ok {
				break
			}
			radius = key
			root := d.root[d.pred[l]]
			if s.load[l] < s.cap[l] {
				sinks = append(sinks, int32(l))
				if d.rootHit[root] != ep {
					d.rootHit[root] = ep
					hits++
				}
				seatsFound++
				if seatsFound >= want {
					break // radius = dist[l]: its mentees keep their duals
				}
			}
			// A sink's mentees too: its price may still rise this round.
			base := int(s.colStart[l])
			for k := range int(s.load[l]) {
				r := int(s.seats[base+k])
				reach(r, key, s.rowA[r]-s.p[l], root)
			}
		}
		d.sinks = sinks
		if len(sinks) == 0 {
			return free, false // no augmenting path from any of them
		}
		// Augment along vertex-disjoint tight paths (depth-first, as in
		// Hopcroft–Karp), before the prices move: an arc is tight when it
		// gives its mentor its final distance.
		d.vis++
		got := 0
		for _, i := range free {
			if s.batchDFS(int(i), ep) {
				got++
			}
		}
		if got == 0 {
			// The tree path of the first sink is tight by construction.
			t := sinks[0]
			c, seat := int(t), int(s.load[t])
			s.load[t]++
			for {
				r := int(d.pred[c])
				oc, os := int(s.rowCol[r]), int(s.rowSeat[r])
				s.seat(r, c, seat, float64(d.predA[c]))
				if oc < 0 {
					break
				}
				c, seat = oc, os
			}
		}
		for _, l := range d.settled {
			if dl := d.dist[l]; dl < radius {
				s.p[l] += radius - dl
			}
		}
		if batchTrace != nil {
			batchTrace(len(free), len(d.settled), len(sinks), hits, radius, s.stats.Rescans)
		}
		k := 0
		for _, i := range free {
			if s.rowCol[i] < 0 {
				free[k] = i
				k++
			}
		}
		free = free[:k]
		if s.opt.Progress != nil {
			s.opt.Progress("augment", s.n-len(free), s.n)
		}
	}
	// Every seat is filled: shift prices so that the cheapest is zero.
	lam := math.Inf(1)
	for j := range s.m {
		lam = math.Min(lam, s.p[j])
	}
	s.lowerPrices(lam)
	return nil, true
}

// best1 returns row i's best mentor by a - p and its value, rescanning the
// row when the list cannot prove it; "unmatched" is not a choice here.
func (s *solver) best1(i int) (int, float64) {
	for pass := 0; ; pass++ {
		cols, vals := s.cand.list(i)
		j1, w1 := -1, math.Inf(-1)
		for t, j := range cols {
			if v := float64(vals[t]) - s.p[j]; v > w1 {
				w1, j1 = v, int(j)
			}
		}
		if s.cand.thr[i] <= w1 || pass > 0 {
			return j1, w1
		}
		s.rescan(i)
	}
}

// batchTrace, when set (by tests), is called after every round.
var batchTrace func(free, settled, sinks, trees int, radius float64, rescans int)

// denseRows reports whether the scores are a matrix in memory, under the
// stand-ins if any: rereading a row costs a copy, not a scoring pass.
func (s *solver) denseRows() bool {
	src := s.src
	if d, ok := src.(*standIns); ok {
		src = d.Scores
	}
	_, dense := src.(*Matrix)
	return dense
}

// batchReach bounds a round's search: it stops once it has settled this
// share of the mentors with a free seat. Longer searches rescan more rows:
// cheap in a matrix, where 0.8 beat 0.5 by 10–20% on uniform, ties and
// popular in interleaved runs (1.0 was no better), but a scoring pass per
// row on profiles, where 0.8 took the 100k × 20k solve from 40 s to 51 s
// (60k rescans instead of 44k): batchReachComputed there.
var batchReach, batchReachComputed = 0.8, 0.5

// batchDFS looks for a tight path from mentee r (reached in round ep) to a
// mentor with a free seat, moving the mentees along it when found. Every
// mentee is visited at most once per round.
func (s *solver) batchDFS(r int, ep uint32) bool {
	d := &s.dij
	d.rowVis[r] = d.vis
	dr, ur := d.rowDist[r], d.rowU[r]
	cols, vals := s.cand.list(r)
	for t, l := range cols {
		if d.done[l] != ep {
			continue
		}
		a := vals[t]
		if dr+ur-(float64(a)-s.p[l]) != d.dist[l] {
			continue
		}
		if s.load[l] < s.cap[l] {
			s.seat(r, int(l), int(s.load[l]), float64(a))
			s.load[l]++
			return true
		}
		base := int(s.colStart[l])
		for k := range int(s.cap[l]) {
			r2 := int(s.seats[base+k])
			if d.rowEp[r2] != ep || d.rowVis[r2] == d.vis {
				continue
			}
			if s.batchDFS(r2, ep) {
				s.seat(r, int(l), k, float64(a))
				return true
			}
		}
	}
	return false
}
