package match

import (
	"math"
	"slices"
)

// Rounds of the greedy over pools of pairs.
//
// The stable matching is the greedy one over all pairs in the global order
// (higher score, then lower mentee, then lower mentor). A round ends at a
// position T of that order: a score tv and a mentee ti, T = the last pair
// scoring tv of mentee ti (ti = +Inf: all of tv's bucket). The pairs at or
// before T form a prefix of the order, so the greedy over them, sorted,
// leaves the state the full greedy has after that prefix. Cutting a
// bucket of equal scores at a mentee keeps the pool small when one score
// holds millions of pairs (integer scores).
//
// Per-mentor caps: a round keeps only each capped mentor's best q pairs
// (q = max(stableColSeats × free seats, stableColShare × its share of the
// pool)), collected in per-worker heaps while the rows are read; a mentor
// is capped when the sample shows it over q (see over), and the others'
// pairs are kept in row order. A pair
// left out of a capped ("truncated") mentor's list comes after that
// list's last pair, and matters only if the mentor still has a seat
// there; so the sorted pool is run until the first truncated mentor that
// is still open after its last pair, and the round stops right there
// (that pair is the new boundary). On popular, where most pairs above any
// useful threshold belong to a few mentors that fill with five mentees,
// this bounds the pool by the mentors' caps instead of by their columns.
//
// After a round every pair of a free mentee and an open mentor comes
// after its boundary, so the next round needs no lower bound, and each
// free mentee keeps an upper bound hi on its remaining scores: rows that
// cannot reach the next boundary are not read (within a cut bucket only
// the next mentees' rows are). A round whose boundary is the end of the
// order (tv = -Inf) and that does not stop early finishes.
//
// tv is a quantile of a sample of the free rows chosen so that the pool
// holds about poolFactor times the matches still possible, counting the
// caps. If a round matches few mentees the factor grows for the next
// round. After stableMaxRounds, or when the pool would be too large, the
// rest goes to the heap greedy (stableGreedy).

// Tunables (tests change them to reach every path).
var (
	stablePoolFactor = 4.0
	stableMaxRounds  = 48
	stableMaxPool    = 1 << 23
	stableSmallPool  = 1 << 15 // collect everything when free × open is under this
	stableBucketPool = 1 << 18 // pool of a round cut inside one score's bucket
	stableColSeats   = 8       // a mentor keeps at least this many pairs per free seat
	stableColShare   = 2.0     // and at least this many times the median mentor's pairs
	stableCapFill    = 1.0     // lower the threshold until the capped pool fills this share of the target
	stableCapAll     = false   // cap every open mentor, not only those the sample shows over their cap
)

// poolRounds is the state of the rounds.
type poolRounds struct {
	src     Scores
	n, m    int
	workers int
	left    []int32
	hi      []float32 // per mentee: bound on the scores of its remaining pairs
	free    []int32
	open    []int32
	off     []int32     // per open mentor: start of its heap, len(open)+1
	heaps   []*colHeaps // per worker
	sample  []float32
	sampleJ []int32 // open position of each sampled score
	rowEnd  []int32 // end of each sampled row in sample
	colCnt  []int32
	scratch []float32
	pool    []pairItem
	tmp     []pairItem
	cntI    []int32
	rem     []int32      // per mentor: pairs of a truncated list not yet run
	capd    []bool       // per open mentor: its pairs go to the heaps
	ncap    int          // capped open mentors
	scale   float64      // free rows per sampled row, 0 without a sample
	parts   [][]pairItem // per chunk of free rows: the uncapped mentors' pairs, in row order
	nparts  int
	share   int // cap of every open mentor, seats aside
	medBuf  []int32
}

// colHeaps is one worker's capped lists: per open mentor a heap of its
// best pairs, the least preferred on top, and the score a pair needs to
// enter (ct).
type colHeaps struct {
	v   []float32
	i   []int32
	cnt []int32
	ct  []float32
}

// stableRounds runs the rounds on res (res.Mentor all -1 on entry) and
// left (free seats). It returns the mentees still free that may have an
// acceptable open mentor, for the heap greedy; nil when done.
func stableRounds(src Scores, left []int32, res *StableMatching, workers int) []int32 {
	n, m := src.Dims()
	s := &poolRounds{src: src, n: n, m: m, workers: workers, left: left,
		hi: make([]float32, n), free: make([]int32, n), rem: make([]int32, m)}
	for i := range s.free {
		s.free[i] = int32(i)
		s.hi[i] = float32(math.Inf(1))
	}
	factor := stablePoolFactor
	buf := make([]float32, m)
	for round := 0; ; round++ {
		s.open = s.open[:0]
		seats := 0
		for j, l := range left {
			if l > 0 {
				s.open = append(s.open, int32(j))
				seats += int(l)
			}
		}
		if len(s.free) == 0 || len(s.open) == 0 {
			return nil
		}
		if round == stableMaxRounds {
			return s.free
		}
		res.Rounds++
		want := min(len(s.free), seats)
		target := int(factor * float64(want))
		tv, ti := float32(math.Inf(-1)), int32(math.MaxInt32)
		s.share = math.MaxInt32 // no caps unless the sample sets them
		s.scale = 0
		if len(s.free)*len(s.open) > max(target, stableSmallPool) {
			var est int
			tv, ti, target, est = s.threshold(target, buf)
			if est > stableMaxPool {
				return s.free
			}
		}
		s.setCaps()
		s.collect(tv, ti)
		s.build()
		res.Pooled += len(s.pool)
		stop, matched := -1, 0
		for x, p := range s.pool {
			if res.Mentor[p.i] < 0 && left[p.j] > 0 {
				left[p.j]--
				res.Mentor[p.i] = int(p.j)
				res.Matched++
				res.Score += float64(p.v)
				matched++
			}
			if r := s.rem[p.j]; r > 0 {
				s.rem[p.j] = r - 1
				if r == 1 && left[p.j] > 0 {
					stop = x
					break
				}
			}
		}
		if stop >= 0 {
			res.Proposals += stop + 1
			p := s.pool[stop]
			tv, ti = p.v, p.i-1
		} else {
			res.Proposals += len(s.pool)
			if math.IsInf(float64(tv), -1) {
				return nil // every acceptable open pair was in the pool
			}
		}
		for _, j := range s.open {
			s.rem[j] = 0
		}
		// Every remaining pair of a free mentee comes after the boundary:
		// under tv, or at tv for mentees after ti.
		below := math.Nextafter32(tv, float32(math.Inf(-1)))
		w := 0
		for _, i := range s.free {
			if res.Mentor[i] < 0 {
				b := tv
				if i <= ti {
					b = below
				}
				s.hi[i] = min(s.hi[i], b)
				s.free[w] = i
				w++
			}
		}
		s.free = s.free[:w]
		if stop < 0 && ti == math.MaxInt32 && 2*matched < want {
			factor *= 4
		}
	}
}

// capOf returns open mentor o's cap for the round.
func (s *poolRounds) capOf(o int) int {
	q := max(stableColSeats*int(s.left[s.open[o]]), s.share, 1)
	return min(q, len(s.free)+1) // a list of every free mentee is never truncated
}

// stableCapSample is the fewest sampled pairs over its cap that make a
// mentor capped: with ~1 sampled pair per mentor (uniform) one hit scaled
// up says nothing about the column.
var stableCapSample int32 = 3

// over reports whether the sample shows open mentor o over its cap.
func (s *poolRounds) over(o int) bool {
	if s.scale == 0 {
		return false
	}
	c := s.colCnt[o]
	return c >= stableCapSample && float64(c)*s.scale > float64(s.capOf(o))
}

// threshold chooses the round's boundary (tv, ti) from a sample of the
// free rows, so that the capped pool holds about target pairs; it returns
// the target the caps should use (larger when a bucket is cut) and the
// estimated pool.
func (s *poolRounds) threshold(target int, buf []float32) (float32, int32, int, int) {
	free, open := s.free, s.open
	rows := min(len(free), max(16, (1<<17)/len(open)))
	s.sample, s.sampleJ, s.rowEnd = s.sample[:0], s.sampleJ[:0], s.rowEnd[:0]
	for r := range rows {
		row := s.src.Row(int(free[r*len(free)/rows]), buf)
		for o, j := range open {
			if v := row[j]; v == v {
				s.sample = append(s.sample, v)
				s.sampleJ = append(s.sampleJ, int32(o))
			}
		}
		s.rowEnd = append(s.rowEnd, int32(len(s.sample)))
	}
	scale := float64(len(free)) / float64(rows)
	s.scale = scale
	inf := float32(math.Inf(-1))
	// capped sets the caps for a pool of target pairs and estimates the
	// pool at threshold t.
	capped := func(t float32, target int) int {
		s.share = int(stableColShare * float64(target) / float64(len(open)))
		s.colCnt = slices.Grow(s.colCnt[:0], len(open))[:len(open)]
		clear(s.colCnt)
		for x, v := range s.sample {
			if v >= t {
				s.colCnt[s.sampleJ[x]]++
			}
		}
		est := 0
		for o, c := range s.colCnt {
			if e := int(float64(c)*scale + 0.5); s.over(o) {
				est += min(s.capOf(o), e)
			} else {
				est += e
			}
		}
		return est
	}
	k := max(1, int(float64(target)/scale))
	tv := inf
	for k < len(s.sample) {
		s.scratch = append(s.scratch[:0], s.sample...)
		tv = kthLargest(s.scratch, k)
		if float64(capped(tv, target)) >= stableCapFill*float64(target) {
			break
		}
		k *= 2 // the caps cut most of the pool: lower the threshold
		tv = inf
	}
	if tv == inf {
		return inf, math.MaxInt32, target, capped(inf, target)
	}
	// A large bucket of one score (integer scores): the caps must not cut
	// it (its pairs spread over the mentors), and past stableBucketPool
	// pairs it is cut at a mentee.
	gt, eq := 0, 0
	for _, v := range s.sample {
		if v > tv {
			gt++
		} else if v == tv {
			eq++
		}
	}
	ti := int32(math.MaxInt32)
	if bucket := float64(gt+eq) * scale; float64(gt)*scale < float64(target) && bucket > 2*float64(target) {
		big := max(target, stableBucketPool)
		target = max(target, min(int(bucket), big))
		if bucket > 2*float64(big) && !math.IsInf(float64(tv), 1) {
			need := max(1, int(float64(big)/scale)-gt)
			cum, start := 0, 0
			for r, end := range s.rowEnd {
				for _, v := range s.sample[start:end] {
					if v == tv {
						cum++
					}
				}
				start = int(end)
				if cum >= need {
					ti = free[r*len(free)/rows]
					break
				}
			}
		}
	}
	return tv, ti, target, capped(tv, target)
}

// setCaps lays out the per-worker heaps for the caps of target.
//
// Only the mentors whose sampled pairs exceed their cap (all of them with
// stableCapAll) are capped; the others keep every pair, appended in row
// order, which needs no heap and no sort by mentee.
func (s *poolRounds) setCaps() {
	s.off = slices.Grow(s.off[:0], len(s.open)+1)[:len(s.open)+1]
	s.capd = slices.Grow(s.capd[:0], len(s.open))[:len(s.open)]
	total := 0
	s.ncap = 0
	for o := range s.open {
		s.off[o] = int32(total)
		q := s.capOf(o)
		c := stableCapAll || s.over(o)
		s.capd[o] = c
		if c {
			total += q
			s.ncap++
		}
	}
	s.off[len(s.open)] = int32(total)
	for len(s.heaps) < s.workers {
		s.heaps = append(s.heaps, &colHeaps{})
	}
	for _, h := range s.heaps[:s.workers] {
		h.v = slices.Grow(h.v[:0], total)[:total]
		h.i = slices.Grow(h.i[:0], total)[:total]
		h.cnt = slices.Grow(h.cnt[:0], len(s.open))[:len(s.open)]
		h.ct = slices.Grow(h.ct[:0], len(s.open))[:len(s.open)]
		clear(h.cnt)
	}
}

// collect reads the free rows that may hold pairs at or before (tv, ti):
// the capped mentors' best pairs go to the workers' heaps, the other
// mentors' pairs to per-chunk lists in row order.
func (s *poolRounds) collect(tv float32, ti int32) {
	full := len(s.open) == s.m
	none := s.ncap == 0
	after := math.Nextafter32(tv, float32(math.Inf(1)))
	for _, h := range s.heaps[:s.workers] {
		for o := range h.ct {
			h.ct[o] = tv
		}
	}
	const chunk = 128
	nparts := (len(s.free) + chunk - 1) / chunk
	for len(s.parts) < nparts {
		s.parts = append(s.parts, nil)
	}
	parallelRows(len(s.free), s.workers, func(w, from, to int) {
		h := s.heaps[w]
		buf := make([]float32, s.m)
		ct, capd := h.ct, s.capd
		for c := from; c < to; c += chunk {
			out := s.parts[c/chunk][:0]
			for _, i := range s.free[c:min(to, c+chunk)] {
				thr := tv
				if i > ti {
					thr = after
				}
				if s.hi[i] < thr {
					continue // nothing left at or before the boundary
				}
				row := s.src.Row(int(i), buf)
				if i > ti {
					// Past the cut only scores above tv count, and most
					// rows of a cut bucket have none: one predictable pass
					// for the row's best open score, kept as its bound.
					best := float32(math.Inf(-1))
					for _, j := range s.open {
						if v := row[j]; v > best {
							best = v
						}
					}
					s.hi[i] = min(s.hi[i], best)
					if best < thr {
						continue
					}
				}
				switch {
				case none && full:
					for j, v := range row {
						if v >= thr {
							out = append(out, pairItem{v, i, int32(j)})
						}
					}
				case none:
					for _, j := range s.open {
						if v := row[j]; v >= thr {
							out = append(out, pairItem{v, i, j})
						}
					}
				case full:
					row = row[:len(ct)]
					for j, v := range row {
						if v >= ct[j] && v >= thr {
							if capd[j] {
								h.add(s.off, j, v, i)
							} else {
								out = append(out, pairItem{v, i, int32(j)})
							}
						}
					}
				default:
					for o, j := range s.open {
						if v := row[j]; v >= ct[o] && v >= thr {
							if capd[o] {
								h.add(s.off, o, v, i)
							} else {
								out = append(out, pairItem{v, i, j})
							}
						}
					}
				}
			}
			s.parts[c/chunk] = out
		}
	})
	s.nparts = nparts
}

// worse reports whether pair (va, ia) comes after (vb, ib) in a mentor's
// order.
func worse(va float32, ia int32, vb float32, ib int32) bool {
	return va < vb || va == vb && ia > ib
}

// add offers pair (v, i) to open mentor o's heap. Rows come in increasing
// order within a worker.
func (h *colHeaps) add(off []int32, o int, v float32, i int32) {
	base, q := int(off[o]), int(off[o+1]-off[o])
	hv, hi := h.v[base:base+q], h.i[base:base+q]
	c := int(h.cnt[o])
	if c < q {
		// Not full: append; the heap is built when the list fills.
		hv[c], hi[c] = v, i
		h.cnt[o]++
		if c+1 == q {
			for x := q/2 - 1; x >= 0; x-- {
				siftWorst(hv, hi, x)
			}
			h.ct[o] = max(h.ct[o], math.Nextafter32(hv[0], float32(math.Inf(1))))
		}
		return
	}
	if !worse(hv[0], hi[0], v, i) {
		return
	}
	hv[0], hi[0] = v, i
	siftWorst(hv, hi, 0)
	h.ct[o] = max(h.ct[o], math.Nextafter32(hv[0], float32(math.Inf(1))))
}

// siftWorst moves entry x down a heap whose top is the least preferred
// pair.
func siftWorst(hv []float32, hi []int32, x int) {
	q := len(hv)
	for {
		c := 2*x + 1
		if c >= q {
			return
		}
		if c+1 < q && worse(hv[c+1], hi[c+1], hv[c], hi[c]) {
			c++
		}
		if !worse(hv[c], hi[c], hv[x], hi[x]) {
			return
		}
		hv[c], hv[x] = hv[x], hv[c]
		hi[c], hi[x] = hi[x], hi[c]
		x = c
	}
}

// build merges the workers' heaps and the row-order lists into the pool,
// sorted in the global order, and sets rem for the truncated mentors.
func (s *poolRounds) build() {
	rows := 0
	for _, p := range s.parts[:s.nparts] {
		rows += len(p)
	}
	var col []pairItem
	if s.ncap > 0 {
		total := 0
		for _, h := range s.heaps[:s.workers] {
			for _, c := range h.cnt {
				total += int(c)
			}
		}
		col = slices.Grow(s.tmp[:0], total+rows)
		for o, j := range s.open {
			if !s.capd[o] {
				continue
			}
			base, q := int(s.off[o]), int(s.off[o+1]-s.off[o])
			start, got := len(col), 0
			for _, h := range s.heaps[:s.workers] {
				c := int(h.cnt[o])
				got += c
				for x := base; x < base+c; x++ {
					col = append(col, pairItem{h.v[x], h.i[x], j})
				}
			}
			if got < q {
				continue
			}
			if got > q {
				merge := col[start:]
				slices.SortFunc(merge, func(a, b pairItem) int {
					if worse(b.v, b.i, a.v, a.i) {
						return -1
					}
					return 1
				})
				col = col[:start+q]
			}
			s.rem[j] = int32(q) // truncated: run until its last pair
		}
	}
	pool := slices.Grow(s.pool[:0], len(col)+rows)
	if len(col) == 0 {
		for _, p := range s.parts[:s.nparts] {
			pool = append(pool, p...)
		}
		s.pool, s.tmp = sortPool(pool, s.tmp)
		return
	}
	// Counting sort of the capped pairs by mentee (mentors stay in order),
	// a merge with the row-order pairs, then the stable radix sort by
	// score.
	s.cntI = slices.Grow(s.cntI[:0], s.n+1)[:s.n+1]
	clear(s.cntI)
	for _, p := range col {
		s.cntI[p.i+1]++
	}
	for x := 1; x <= s.n; x++ {
		s.cntI[x] += s.cntI[x-1]
	}
	byI := pool[len(pool) : len(pool)+len(col)]
	if rows > 0 {
		byI = pool[rows : rows+len(col)] // past the row-order pairs' room
	}
	for _, p := range col {
		byI[s.cntI[p.i]] = p
		s.cntI[p.i]++
	}
	if rows == 0 {
		s.pool, s.tmp = sortPool(byI, col)
		return
	}
	col = col[:0]
	x := 0
	for _, part := range s.parts[:s.nparts] {
		for _, p := range part {
			for x < len(byI) && (byI[x].i < p.i || byI[x].i == p.i && byI[x].j < p.j) {
				col = append(col, byI[x])
				x++
			}
			col = append(col, p)
		}
	}
	col = append(col, byI[x:]...)
	s.pool, s.tmp = sortPool(col, pool)
}

// kthLargest returns the k-th largest value of s (1 ≤ k ≤ len(s)),
// reordering s.
func kthLargest(s []float32, k int) float32 {
	lo, hi := 0, len(s)
	k-- // index in descending order
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		a, b, c := s[lo], s[mid], s[hi-1]
		p := max(min(a, b), min(max(a, b), c))
		// Three-way partition: > p, == p, < p.
		lt, x, gt := lo, lo, hi
		for x < gt {
			switch v := s[x]; {
			case v > p:
				s[lt], s[x] = s[x], s[lt]
				lt++
				x++
			case v < p:
				gt--
				s[gt], s[x] = s[x], s[gt]
			default:
				x++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k < gt:
			return p
		default:
			lo = gt
		}
	}
	return s[lo]
}

// poolKey maps a score to a key whose ascending order is the descending
// order of scores; -0 and +0 share a key.
func poolKey(v float32) uint32 {
	if v == 0 {
		v = 0
	}
	b := math.Float32bits(v)
	if b&0x80000000 != 0 {
		b = ^b
	} else {
		b |= 0x80000000
	}
	return ^b
}

// sortPool sorts the pool by score, descending, keeping the order of
// equal scores: an LSD radix sort, 11 bits per pass, skipping passes in
// which every key has the same digit. It returns the sorted pool and the
// spare buffer.
func sortPool(a, tmp []pairItem) ([]pairItem, []pairItem) {
	if len(a) < 2 {
		return a, tmp
	}
	tmp = slices.Grow(tmp[:0], len(a))[:len(a)]
	var cnt [3][2048]int
	for _, p := range a {
		k := poolKey(p.v)
		cnt[0][k&2047]++
		cnt[1][k>>11&2047]++
		cnt[2][k>>22]++
	}
	for pass := range 3 {
		c := &cnt[pass]
		shift := uint(11 * pass)
		if c[poolKey(a[0].v)>>shift&2047] == len(a) {
			continue // one digit: the pass changes nothing
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, p := range a {
			d := poolKey(p.v) >> shift & 2047
			tmp[c[d]] = p
			c[d]++
		}
		a, tmp = tmp, a
	}
	return a, tmp
}
