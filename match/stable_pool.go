package match

import (
	"math"
	"slices"
)

// Rounds of the greedy over pools of pairs above a threshold.
//
// The stable matching is the greedy one over all pairs in the global order
// (higher score, then lower mentee, then lower mentor). All pairs with a
// score at least t form a prefix of that order, so the greedy over just
// them, sorted, leaves exactly the state the full greedy has after that
// prefix. A round collects the pairs at or above a threshold t among the
// free mentees and the open mentors (in parallel, row by row), sorts them
// by a stable radix sort on the score (rows are collected in order, so
// equal scores stay in mentee then mentor order) and runs the greedy with
// O(1) checks. After a round every pair of a free mentee and an open
// mentor scores under t (it would have been taken otherwise), so the next
// round only lowers the threshold; a round with t = -Inf finishes.
//
// t is a quantile of a sample of the free rows, chosen so that the pool
// holds about poolFactor times the number of matches still possible. If
// a round matches few mentees (many pairs go to mentors that fill early,
// as on popular), the factor grows for the next round. After
// stableMaxRounds, or when a single score would make the pool too large,
// the rest goes to the heap greedy (stableGreedy).

// Tunables (tests change them to reach every path).
var (
	stablePoolFactor = 4.0
	stableMaxRounds  = 6
	stableMaxPool    = 1 << 23
	stableSmallPool  = 1 << 18 // collect everything when free × open is under this
)

// stableRounds runs the rounds on res (res.Mentor all -1 on entry) and
// left (free seats). It returns the mentees still free that may have an
// acceptable open mentor, for the heap greedy; nil when done.
func stableRounds(src Scores, left []int32, res *StableMatching, workers int) []int32 {
	n, m := src.Dims()
	free := make([]int32, n)
	for i := range free {
		free[i] = int32(i)
	}
	open := make([]int32, 0, m)
	factor := stablePoolFactor
	var pool, tmp []pairItem
	var sample []float32
	buf := make([]float32, m)
	for round := 0; ; round++ {
		open = open[:0]
		seats := 0
		for j, l := range left {
			if l > 0 {
				open = append(open, int32(j))
				seats += int(l)
			}
		}
		if len(free) == 0 || len(open) == 0 {
			return nil
		}
		if round == stableMaxRounds {
			return free
		}
		res.Rounds++
		want := min(len(free), seats)
		target := int(factor * float64(want))
		t := float32(math.Inf(-1))
		if len(free)*len(open) > max(target, stableSmallPool) {
			var est int
			t, est, sample = poolThreshold(src, free, open, target, buf, sample)
			if est > stableMaxPool {
				return free
			}
		}
		pool = collectPool(src, free, open, t, workers, pool)
		res.Pooled += len(pool)
		pool, tmp = sortPool(pool, tmp)
		matched := 0
		for _, p := range pool {
			if res.Mentor[p.i] < 0 && left[p.j] > 0 {
				left[p.j]--
				res.Mentor[p.i] = int(p.j)
				res.Matched++
				res.Score += float64(p.v)
				matched++
			}
		}
		res.Proposals += len(pool)
		if math.IsInf(float64(t), -1) {
			return nil // every acceptable open pair was in the pool
		}
		w := 0
		for _, i := range free {
			if res.Mentor[i] < 0 {
				free[w] = i
				w++
			}
		}
		free = free[:w]
		if 2*matched < want {
			factor *= 4
		}
	}
}

// poolThreshold returns the score t such that about target pairs of the
// free rows with the open mentors score at least t, estimated from a
// sample of the rows, and that estimate.
func poolThreshold(src Scores, free, open []int32, target int, buf, sample []float32) (float32, int, []float32) {
	_, m := src.Dims()
	rows := min(len(free), max(16, (1<<17)/len(open)))
	sample = sample[:0]
	full := len(open) == m
	for s := range rows {
		i := free[s*len(free)/rows]
		row := src.Row(int(i), buf)
		if full {
			for _, v := range row {
				if v == v {
					sample = append(sample, v)
				}
			}
		} else {
			for _, j := range open {
				if v := row[j]; v == v {
					sample = append(sample, v)
				}
			}
		}
	}
	scale := float64(len(free)) / float64(rows)
	k := int(float64(target) / scale)
	if k >= len(sample) {
		return float32(math.Inf(-1)), int(float64(len(sample)) * scale), sample
	}
	k = max(k, 1)
	t := kthLargest(sample, k)
	// The estimate counts every sampled pair scoring at least t, ties
	// included.
	cnt := 0
	for _, v := range sample {
		if v >= t {
			cnt++
		}
	}
	return t, int(float64(cnt) * scale), sample
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

// collectPool returns the pairs of the free rows (in order) with the open
// mentors (in order) that score at least t, in mentee then mentor order.
func collectPool(src Scores, free, open []int32, t float32, workers int, pool []pairItem) []pairItem {
	_, m := src.Dims()
	full := len(open) == m
	const chunk = 128
	parts := make([][]pairItem, (len(free)+chunk-1)/chunk)
	parallelRows(len(free), workers, func(_, from, to int) {
		buf := make([]float32, m)
		for c := from; c < to; c += chunk {
			var out []pairItem
			for _, i := range free[c:min(to, c+chunk)] {
				row := src.Row(int(i), buf)
				if full {
					for j, v := range row {
						if v >= t {
							out = append(out, pairItem{v, i, int32(j)})
						}
					}
				} else {
					for _, j := range open {
						if v := row[j]; v >= t {
							out = append(out, pairItem{v, i, j})
						}
					}
				}
			}
			parts[c/chunk] = out
		}
	})
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	pool = slices.Grow(pool[:0], total)
	for _, p := range parts {
		pool = append(pool, p...)
	}
	return pool
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
