package match

import (
	"math"
	"slices"
)

// Rounds of the greedy over pools of pairs.
//
// The stable matching is the greedy one over all pairs in the global order
// (higher score, then lower mentee, then lower mentor). A round takes the
// pairs of the free mentees and open mentors that score at least a
// threshold tv, sorts them in that order and runs the greedy over them.
// They are a prefix of what remains of the order, so the round leaves the
// state the full greedy has after that prefix.
//
// Mentor cuts: when many mentees want the same mentors (popular mentors),
// most pairs above any useful threshold belong to a few mentors that fill
// with their best few mentees. A round therefore gives each such mentor a
// cut of its own, cut[j] > tv: an estimate, from a sample of the free
// rows, of the score of its q-th best pair (q = max(stableColSeats × free
// seats, stableColShare × its share of the pool)). The pool holds the
// pairs at or above cut[j]. A pair left out comes after every pair scoring
// cut[j] or more and matters only if its mentor still has a seat when the
// greedy gets there: so the greedy runs the pool until the first pair
// scoring under the cut of a mentor that is still open, and stops right
// there. Everything scoring cut[j] or more is then done. A cut that is too
// high only stops a round early; it never changes the result, and a
// mentor is cut only when the sample shows it clearly over its quota
// (twice the sampled pairs), since every needless cut risks a stop.
//
// Buckets: with integer scores one score can hold millions of pairs. When
// the round's threshold falls in such a bucket, the pool takes the pairs
// above it and the bucket itself is swept: each free mentee, in order,
// takes the first open mentor (in index order) with that score, found in
// the same parallel read as the pool and a sequential pass that skips
// mentors that filled since.
//
// After a round every pair of a free mentee and an open mentor scores
// under its boundary, so the next round needs no lower bound (the rows
// are read whole again: the next threshold, taken from a sample of them,
// is always under the boundary). A round whose threshold is -Inf and that
// does not stop early finishes.
//
// The sample keeps each open mentor's best few sampled scores; tv is the
// highest score at which those lists, each counted up to its mentor's
// cut and scaled, reach poolFactor times the matches still possible. If a
// round matches few mentees the factor grows for the next round. After
// stableMaxRounds, or when the pool would be too large, the rest goes to
// the heap greedy (stableGreedy).

// Tunables (tests change them to reach every path).
var (
	stablePoolFactor = 8.0
	stableMaxRounds  = 48
	stableMaxPool    = 1 << 23
	stableSmallPool  = 1 << 15 // collect everything when free × open is under this
	stableColSeats   = 16      // a mentor's cut keeps at least this many pairs per free seat
	stableColShare   = 2.0     // and at least this many times the median mentor's pairs
	stableCapFill    = 1.0     // lower the threshold until the pool with cuts fills this share of the target
	stableCutSample  = 4       // sampled pairs above a mentor's cut: more is a truer cut and a longer sample
	stableCutMax     = 16      // mentors whose cut would need more sampled pairs are not cut
)

// poolRounds is the state of the rounds.
type poolRounds struct {
	src     Scores
	n, m    int
	workers int
	left    []int32
	free    []int32     // free mentees, in increasing order
	open    []int32     // open mentors, in increasing order
	cut     []float32   // per mentor: the least score of its pairs in the pool (+Inf when full)
	cuts    []int32     // mentors cut above the threshold, by decreasing cut
	rank    []int32     // per open mentor: the sampled pairs its cut keeps
	top     [][]float32 // per worker: per open mentor its best sampled scores
	mins    [][]float32 // per worker: per open mentor the least of them
	merged  []float32   // per open mentor: its best sampled scores
	mcnt    []int32     // per open mentor: how many
	sample  []pairItem  // the sampled scores, sorted, with open positions in j
	stmp    []pairItem  // the sample's spare buffer for sortPool
	tmp     []pairItem  // the pool's
	cnt     []int32
	bufs    [][]float32 // per worker: a row
	parts   [][]pairItem
	nparts  int
	pool    []pairItem
	first   []int32 // sweep: per free mentee its first open mentor at the bucket's score
	next    []int32 // sweep: the next open mentor at or after each mentor
}

// stableRounds runs the rounds on res (res.Mentor all -1 on entry) and
// left (free seats). It returns the mentees still free that may have an
// acceptable open mentor, for the heap greedy; nil when done.
func stableRounds(src Scores, left []int32, res *StableMatching, workers int) []int32 {
	n, m := src.Dims()
	s := &poolRounds{src: src, n: n, m: m, workers: workers, left: left,
		free: make([]int32, n), cut: make([]float32, m),
		top: make([][]float32, workers), mins: make([][]float32, workers), bufs: make([][]float32, workers)}
	for w := range s.bufs {
		s.bufs[w] = make([]float32, m)
	}
	inf := float32(math.Inf(1))
	for i := range s.free {
		s.free[i] = int32(i)
	}
	factor := stablePoolFactor
	for round := 0; ; round++ {
		s.open = s.open[:0]
		seats := 0
		for j, l := range left {
			s.cut[j] = inf
			if l > 0 {
				s.open = append(s.open, int32(j))
				s.cut[j] = float32(math.Inf(-1)) // until threshold cuts it
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
		tv, bucket := float32(math.Inf(-1)), false
		s.cuts = s.cuts[:0]
		est := len(s.free) * len(s.open)
		if est > max(target, stableSmallPool) {
			tv, bucket, est = s.threshold(target)
			if est > stableMaxPool {
				return s.free
			}
		}
		lo := tv
		if bucket {
			lo = math.Nextafter32(tv, inf) // the pool is what scores above the bucket
		}
		for _, j := range s.open {
			s.cut[j] = max(s.cut[j], lo)
		}
		s.collect(tv, bucket, est)
		s.build()
		res.Pooled += len(s.pool)

		matched, c, stopped := 0, 0, false
		for x, p := range s.pool {
			// A cut mentor's missing pairs score under its cut: past it,
			// they could come first, so an open one ends the round.
			for c < len(s.cuts) && s.cut[s.cuts[c]] > p.v {
				if left[s.cuts[c]] > 0 {
					stopped = true
					break
				}
				c++
			}
			if stopped {
				res.Proposals += x
				break
			}
			if res.Mentor[p.i] < 0 && left[p.j] > 0 {
				left[p.j]--
				res.Mentor[p.i] = int(p.j)
				res.Matched++
				res.Score += float64(p.v)
				matched++
			}
		}
		if !stopped {
			res.Proposals += len(s.pool)
			for ; c < len(s.cuts) && !stopped; c++ {
				stopped = left[s.cuts[c]] > 0
			}
			if stopped {
				c--
			}
		}
		// Every pair scoring at least the stopping cut, or tv, is done.
		switch {
		case stopped:
		case bucket:
			matched += s.sweep(tv, res)
		case math.IsInf(float64(tv), -1):
			return nil // every acceptable open pair was in the pool
		}
		w := 0
		for _, i := range s.free {
			if res.Mentor[i] < 0 {
				s.free[w] = i
				w++
			}
		}
		s.free = s.free[:w]
		if !stopped && 2*matched < want {
			factor *= 4
		}
	}
}

// threshold chooses the round's threshold tv and the mentors' cuts from
// a sample of the free rows, so that the pool holds about target pairs.
// bucket reports that tv's bucket of equal scores is too large to pool;
// est is the estimated pool.
//
// The sample keeps each open mentor's best depth scores. A mentor's cut is
// its r-th best, r its quota over the sample's scale; the pool at a
// threshold t is estimated as each mentor's sampled scores at or above t,
// at most r of them, scaled.
func (s *poolRounds) threshold(target int) (tv float32, bucket bool, est int) {
	free, open := s.free, s.open
	share := int(stableColShare * float64(target) / float64(len(open)))
	s.rank = slices.Grow(s.rank[:0], len(open))[:len(open)]
	quota := func(j int32) int { return max(stableColSeats*int(s.left[j]), share, 1) }
	// The sample's scale puts the median quota stableCutSample pairs deep.
	qs := s.cnt[:0]
	for _, j := range open {
		qs = append(qs, int32(quota(j)))
	}
	s.cnt = qs
	qmed := int(qs[len(qs)/2])
	if len(qs) > 2 {
		qmed = int(kthSmallest(qs, len(qs)/2))
	}
	rows := min(len(free), max(1, (stableCutSample*len(free)+qmed-1)/qmed))
	scale := float64(len(free)) / float64(rows)
	depth := 1
	for o, j := range open {
		r := max(1, int(math.Round(float64(quota(j))/scale)))
		s.rank[o] = int32(min(r, stableCutMax+1)) // over stableCutMax: never cut
		depth = max(depth, 2*min(r, stableCutMax))
	}
	s.sampleTops(rows, depth)

	// The sampled scores in decreasing order, each counting for its
	// mentor until the mentor reaches its cut.
	s.sample = s.sample[:0]
	for o := range open {
		for _, v := range s.merged[o*depth : o*depth+int(s.mcnt[o])] {
			s.sample = append(s.sample, pairItem{v, 0, int32(o)})
		}
	}
	s.sample, s.stmp = sortPool(s.sample, s.stmp)
	cnt := slices.Grow(s.cnt[:0], len(open))[:len(open)]
	clear(cnt)
	s.cnt = cnt
	tv = float32(math.Inf(-1))
	pairs, above := 0.0, 0.0 // estimated pool at tv, and above tv
	for x, p := range s.sample {
		if c := cnt[p.j]; c < s.rank[p.j] || s.rank[p.j] > int32(stableCutMax) {
			cnt[p.j] = c + 1
			pairs += scale
		}
		if x+1 < len(s.sample) && s.sample[x+1].v == p.v {
			continue // the whole bucket of p.v first
		}
		if pairs >= stableCapFill*float64(target) {
			tv = p.v
			break
		}
		above = pairs
	}
	if math.IsInf(float64(tv), -1) {
		above = pairs
	} else {
		bucket = s.bigBucket(tv, target)
	}
	// A mentor is cut only when the sample holds twice its cut's pairs at
	// or above tv: a cut mentor that does not fill stops the round, and
	// one scaled-up sampled pair too many says little.
	for o, j := range open {
		r := int(s.rank[o])
		if r <= stableCutMax && int(s.mcnt[o]) >= 2*r && s.merged[o*depth+2*r-1] >= tv {
			if c := s.merged[o*depth+r-1]; c > tv {
				s.cut[j] = c
				s.cuts = append(s.cuts, j)
			}
		}
	}
	slices.SortFunc(s.cuts, func(a, b int32) int {
		if x, y := s.cut[a], s.cut[b]; x != y {
			if x > y {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	if bucket {
		return tv, true, int(above + 0.5)
	}
	return tv, false, int(pairs + 0.5)
}

// sampleTops reads rows free rows, evenly spaced, and keeps each open
// mentor's best depth scores in s.merged (s.mcnt of them), in decreasing
// order.
func (s *poolRounds) sampleTops(rows, depth int) {
	free, open := s.free, s.open
	ninf := float32(math.Inf(-1))
	for w := range s.top {
		t := slices.Grow(s.top[w][:0], len(open)*depth)[:len(open)*depth]
		for x := range t {
			t[x] = ninf
		}
		s.top[w] = t
		mins := slices.Grow(s.mins[w][:0], len(open))[:len(open)]
		for x := range mins {
			mins[x] = ninf
		}
		s.mins[w] = mins
	}
	full := len(open) == s.m // open positions are mentors
	parallelRows(rows, s.workers, func(w, from, to int) {
		top, mins, buf := s.top[w], s.mins[w], s.bufs[w]
		for r := from; r < to; r++ {
			row := s.src.Row(int(free[r*len(free)/rows]), buf)
			if full {
				row = row[:len(mins)]
				for o, v := range row {
					if v > mins[o] { // false for NaN, a forbidden pair
						mins[o] = insertTop(top[o*depth:(o+1)*depth], v)
					}
				}
				continue
			}
			for o, j := range open {
				if v := row[j]; v > mins[o] {
					mins[o] = insertTop(top[o*depth:(o+1)*depth], v)
				}
			}
		}
	})
	s.merged = slices.Grow(s.merged[:0], len(open)*depth)[:len(open)*depth]
	s.mcnt = slices.Grow(s.mcnt[:0], len(open))[:len(open)]
	pos := make([]int, len(s.top))
	for o := range open {
		clear(pos)
		c := 0
		for ; c < depth; c++ {
			best := -1
			for w, t := range s.top {
				if p := pos[w]; p < depth && t[o*depth+p] > ninf && (best < 0 || t[o*depth+p] > s.top[best][o*depth+pos[best]]) {
					best = w
				}
			}
			if best < 0 {
				break
			}
			s.merged[o*depth+c] = s.top[best][o*depth+pos[best]]
			pos[best]++
		}
		s.mcnt[o] = int32(c)
	}
}

// kthSmallest returns the k-th smallest of a (0-based), reordering a.
func kthSmallest(a []int32, k int) int32 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		p := a[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for a[i] < p {
				i++
			}
			for a[j] > p {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}

// insertTop inserts v into t, sorted in decreasing order, dropping the
// last score, and returns the new last score.
func insertTop(t []float32, v float32) float32 {
	x := len(t) - 1
	for x > 0 && t[x-1] < v {
		t[x] = t[x-1]
		x--
	}
	t[x] = v
	return t[len(t)-1]
}

// bigBucket reports whether the pairs scoring exactly tv are too many to
// pool: fewer than target pairs score above it, more than twice that many
// at or above. A small sample of whole rows counts them (the mentors'
// sampled lists stop at their depth).
func (s *poolRounds) bigBucket(tv float32, target int) bool {
	free, open := s.free, s.open
	rows := min(len(free), max(16, (1<<17)/len(open)))
	gt, eq := 0, 0
	for r := range rows {
		row := s.src.Row(int(free[r*len(free)/rows]), s.bufs[0])
		for _, j := range open {
			if v := row[j]; v > tv {
				gt++
			} else if v == tv {
				eq++
			}
		}
	}
	scale := float64(len(free)) / float64(rows)
	return float64(gt)*scale < float64(target) && float64(gt+eq)*scale > 2*float64(target)
}

// collect reads the free rows and keeps each pair at or above its
// mentor's cut, in row order, in per-chunk lists (est is the estimated
// pool). With bucket it also finds, for the sweep of the scores equal to
// x, each free mentee's first open mentor at x.
func (s *poolRounds) collect(x float32, bucket bool, est int) {
	const chunk = 128
	nparts := (len(s.free) + chunk - 1) / chunk
	for len(s.parts) < nparts {
		s.parts = append(s.parts, nil)
	}
	// Room for the estimated pool and a quarter more, so that the lists
	// rarely grow while the rows are read.
	room := (est+est/4)/nparts + 16
	for x := range s.parts[:nparts] {
		if cap(s.parts[x]) < room {
			s.parts[x] = make([]pairItem, 0, room)
		}
	}
	if bucket {
		s.first = slices.Grow(s.first[:0], len(s.free))[:len(s.free)]
	}
	full := 2*len(s.open) >= s.m // read whole rows: closed mentors' cut is +Inf
	parallelRows(len(s.free), s.workers, func(w, from, to int) {
		buf, cut := s.bufs[w], s.cut
		for c := from; c < to; c += chunk {
			out := s.parts[c/chunk][:0]
			for k := c; k < min(to, c+chunk); k++ {
				i := s.free[k]
				row := s.src.Row(int(i), buf)
				if bucket {
					s.first[k] = -1
				}
				if bucket {
					for _, j := range s.open {
						if row[j] == x {
							s.first[k] = j
							break
						}
					}
				}
				if full {
					row = row[:len(cut)]
					for j, v := range row {
						if v >= cut[j] {
							out = append(out, pairItem{v, i, int32(j)})
						}
					}
					continue
				}
				for _, j := range s.open {
					if v := row[j]; v >= cut[j] {
						out = append(out, pairItem{v, i, j})
					}
				}
			}
			s.parts[c/chunk] = out
		}
	})
	s.nparts = nparts
}

// build sorts the collected pairs into the pool, in the global order (the
// lists are in row order and the sort by score is stable).
func (s *poolRounds) build() {
	total := 0
	for _, p := range s.parts[:s.nparts] {
		total += len(p)
	}
	pool := slices.Grow(s.pool[:0], total)
	for _, p := range s.parts[:s.nparts] {
		pool = append(pool, p...)
	}
	s.pool, s.tmp = sortPool(pool, s.tmp)
}

// sweep runs the greedy over the bucket of pairs scoring exactly x, which
// comes next in the global order: each free mentee in order takes the
// first open mentor with that score. collect found each mentee's first
// such mentor among those open at the start of the round (s.first); this
// pass skips the ones that filled since with a next-open-mentor forest.
// It returns the mentees matched.
func (s *poolRounds) sweep(x float32, res *StableMatching) int {
	m := int32(s.m)
	next := slices.Grow(s.next[:0], s.m+1)[:s.m+1]
	for j, l := range s.left {
		next[j] = int32(j)
		if l == 0 {
			next[j]++
		}
	}
	next[m] = m
	s.next = next
	find := func(j int32) int32 {
		for next[j] != j {
			next[j] = next[next[j]]
			j = next[j]
		}
		return j
	}
	matched := 0
	for k, i := range s.free {
		j := s.first[k]
		if j < 0 || res.Mentor[i] >= 0 {
			continue
		}
		res.Proposals++
		if f := find(j); f != j {
			// j filled since the read: the mentors between were full or
			// not at x, so go on from the next open one.
			row := s.src.Row(int(i), s.bufs[0])
			for j = f; j < m && row[j] != x; j = find(j + 1) {
				res.Proposals++
			}
			if j == m {
				continue
			}
		}
		s.left[j]--
		if s.left[j] == 0 {
			next[j] = j + 1
		}
		res.Mentor[i] = int(j)
		res.Matched++
		res.Score += float64(x)
		matched++
	}
	return matched
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
