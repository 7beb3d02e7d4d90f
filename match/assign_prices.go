package match

import (
	"math"
	"sort"
)

// priceIndex is the candidate lists turned around: for every mentor, the
// mentees that list it and their scores (compressed rows).
type priceIndex struct {
	start []int32 // m+1 offsets
	row   []int32
	val   []float32
}

func (s *solver) buildPriceIndex() *priceIndex {
	x := &priceIndex{start: make([]int32, s.m+1)}
	for i := range s.n {
		cols, _ := s.cand.list(i)
		for _, l := range cols {
			x.start[l+1]++
		}
	}
	for j := range s.m {
		x.start[j+1] += x.start[j]
	}
	total := x.start[s.m]
	x.row = make([]int32, total)
	x.val = make([]float32, total)
	pos := append([]int32(nil), x.start[:s.m]...)
	for i := range s.n {
		cols, vals := s.cand.list(i)
		for t, l := range cols {
			x.row[pos[l]], x.val[pos[l]] = int32(i), vals[t]
			pos[l]++
		}
	}
	return x
}

// adjustPrices moves the prices of a tight problem toward a market
// equilibrium on the candidate lists, in a few Jacobi passes: every mentee
// picks its best listed mentor (gap to its second choice, the list bound
// counting as one); a mentor wanted by more mentees than it has seats
// rises until only cap of them still want it (by its (cap+1)-th largest
// gap), a mentor with free seats falls until the missing mentees would
// come (by the matching smallest attraction gap). Steps are damped since
// every mentor moves at once. Any prices are valid in a tight problem;
// these only shorten the exact phases. Prices may fall, so the caller must
// read the lists again.
func (s *solver) adjustPrices(passes int, damp float64) {
	x := s.buildPriceIndex()
	bidJ := make([]int32, s.n)
	w1s := make([]float64, s.n)
	gaps := make([]float64, s.n)
	np := make([]float64, s.m)
	w := s.opt.Workers
	scratchB := make([][]float64, w)
	scratchA := make([][]float64, w)
	for range passes {
		parallelRows(s.n, w, func(_, from, to int) {
			for i := from; i < to; i++ {
				cols, vals := s.cand.list(i)
				j1, w1, w2 := int32(-1), math.Inf(-1), s.cand.thr[i]
				for t, l := range cols {
					v := float64(vals[t]) - s.p[l]
					if v > w1 {
						w2 = math.Max(w2, w1)
						w1, j1 = v, l
					} else if v > w2 {
						w2 = v
					}
				}
				// A row with one allowed mentor has no second best: its
				// gap is bounded by the score range (prices stay within
				// it), not infinite.
				gap := 0.0
				if j1 >= 0 {
					gap = math.Min(math.Max(0, w1-w2), s.hi-s.lo)
				}
				bidJ[i], w1s[i], gaps[i] = j1, w1, gap
			}
		})
		var sum float64
		cnt := 0
		for i := range s.n {
			if t := s.cand.thr[i]; t > math.Inf(-1) && w1s[i] > t {
				sum += w1s[i] - t
				cnt++
			}
		}
		reach := 0.0
		if cnt > 0 {
			reach = sum / float64(cnt)
		}
		parallelRows(s.m, w, func(worker, from, to int) {
			bs, as := scratchB[worker], scratchA[worker]
			for j := from; j < to; j++ {
				pj := s.p[j]
				c := int(s.cap[j])
				// bs: the c+1 largest bidder gaps, descending; as: the c
				// smallest attraction gaps, ascending.
				bs, as = bs[:0], as[:0]
				d := 0
				for t := x.start[j]; t < x.start[j+1]; t++ {
					r := x.row[t]
					if bidJ[r] == int32(j) {
						d++
						bs = insertLargest(bs, gaps[r], c+1)
					} else if c > 0 {
						as = insertSmallest(as, w1s[r]-(float64(x.val[t])-pj), c)
					}
				}
				np[j] = pj
				switch {
				case d > c:
					np[j] = pj + damp*bs[c]
				case d < c && len(as) >= c-d:
					np[j] = pj - damp*as[c-d-1]
				case d < c:
					// Too few mentees list j: fall at least to the
					// typical list bound.
					g := reach
					if len(as) > 0 {
						g = math.Max(g, as[len(as)-1])
					}
					np[j] = pj - damp*g
				}
			}
			scratchB[worker], scratchA[worker] = bs, as
		})
		copy(s.p, np)
	}
	// Keep the prices in [0, score range], as warmPrices does: the exact
	// phases only raise them from there, and a mentee's dual stays above
	// -bonus.
	lo := math.Inf(1)
	for j := range s.m {
		if s.cap[j] > 0 {
			lo = math.Min(lo, s.p[j])
		}
	}
	for j := range s.m {
		s.p[j] = math.Max(0, math.Min(s.p[j]-lo, s.hi-s.lo))
	}
}

// insertLargest inserts v into top, which holds at most size values in
// descending order, dropping the smallest when full.
func insertLargest(top []float64, v float64, size int) []float64 {
	n := len(top)
	if n == size {
		if !(v > top[n-1]) {
			return top
		}
		n--
	} else {
		top = append(top, 0)
	}
	for n > 0 && v > top[n-1] {
		top[n] = top[n-1]
		n--
	}
	top[n] = v
	return top
}

// insertSmallest inserts v into top, which holds at most size values in
// ascending order, dropping the largest when full.
func insertSmallest(top []float64, v float64, size int) []float64 {
	n := len(top)
	if n == size {
		if !(v < top[n-1]) {
			return top
		}
		n--
	} else {
		top = append(top, 0)
	}
	for n > 0 && v < top[n-1] {
		top[n] = top[n-1]
		n--
	}
	top[n] = v
	return top
}

// longK is the length of the lists of the first priced read when price
// passes follow (narrowLists cuts them to K).
func (s *solver) longK() int {
	if adjPasses <= 0 || longFactor <= 1 {
		return s.opt.Candidates
	}
	return min(s.m, longFactor*s.opt.Candidates)
}

// longFactor sets longK; outShare is the share of the mentors whose price
// fell the most that narrowLists reads exactly.
var longFactor, outShare = 2, 0.02

// narrowLists turns the long lists read at prices pold into lists of K at
// the current prices without reading the rows again, and reports whether
// it did (false leaves the lists alone: the caller reads again).
//
// For a mentor j off row i's list, a - p[j] = (a - pold[j]) + fall[j] with
// fall = pold - p, at most thr[i] + fall[j]. The few mentors whose price
// fell the most (outShare, at most 2K) are read exactly in every row
// (one score each); the others are bounded by thr[i] + tau, tau the largest
// fall among them. The new list is the best K of the long list and those
// scores at the current prices; the new bound is the larger of thr[i] + tau
// and the best key left out. The bounds hold at the current prices, which
// become the read's prices for certifyFused.
func (s *solver) narrowLists(pold []float64) bool {
	k := s.opt.Candidates
	old := s.cand
	if old.k <= k {
		return false
	}
	fall := make([]float64, s.m)
	for j := range s.m {
		fall[j] = pold[j] - s.p[j]
	}
	sorted := append([]float64(nil), fall...)
	sort.Float64s(sorted)
	nout := min(int(outShare*float64(s.m)), 2*k, s.m-1)
	tau := sorted[s.m-1-nout]
	var outs []int32
	for j, f := range fall {
		if f > tau {
			outs = append(outs, int32(j))
		}
	}
	nc := newCandidates(s.n, k)
	w := s.opt.Workers
	pairs, _ := s.src.(PairScorer)
	bufs := newPerWorker(w, func() *pricedBuf { return newPricedBuf(old.k + len(outs)) })
	marks := newPerWorker(w, func() []int32 { return make([]int32, s.m) })
	rows := newPerWorker(w, func() []float32 { return make([]float32, s.m) })
	parallelRows(s.n, w, func(worker, from, to int) {
		b, mark, buf := bufs.get(worker), marks.get(worker), rows.get(worker)
		for i := from; i < to; i++ {
			cols, vals := old.list(i)
			cnt := 0
			stamp := int32(i + 1)
			for t, j := range cols {
				mark[j] = stamp
				b.key[cnt], b.col[cnt], b.val[cnt] = float64(vals[t])-s.p[j], j, vals[t]
				cnt++
			}
			bound := old.thr[i]
			if bound > math.Inf(-1) {
				// Some mentors are off the list: read the outliers, one
				// score each when the source computes single pairs for
				// less than a row (profiles), else from the row.
				var row []float32
				for _, j := range outs {
					if mark[j] == stamp {
						continue
					}
					var a float32
					if pairs != nil {
						a = pairs.Score(i, int(j))
					} else {
						if row == nil {
							row = s.src.Row(i, buf)
						}
						a = row[j]
					}
					if a == a {
						b.key[cnt], b.col[cnt], b.val[cnt] = float64(a)-s.p[j], j, a
						cnt++
					}
				}
				// Rounding margin: a few ulps above the exact bound.
				bound += tau
				bound += 4 * math.Abs(bound) * 0x1p-52
			}
			o := rowOffset(i, s.m)
			if cnt > k {
				b.sel(cnt, k, o, s.m)
			}
			n := min(cnt, k)
			copy(nc.col[i*k:i*k+n], b.col[:n])
			copy(nc.val[i*k:i*k+n], b.val[:n])
			nc.cnt[i] = int32(n)
			if cnt > k {
				bound = math.Max(bound, b.key[k])
			}
			nc.thr[i] = bound
		}
	})
	s.cand = nc
	return true
}
