package match

import "math"

// candidates keeps, for every mentee, a short list of its best mentors
// together with a bound on every mentor left off the list. This is what
// lets the solver work on about k mentors per mentee instead of all of them
// while staying exact:
//
// When row i was last scanned with prices p, every mentor l not on its list
// had a[i][l] - p[l] <= thr[i]. Prices only ever rise during a solve, so the
// bound stays true afterwards. Whenever the solver needs a value that the
// list cannot prove to be the best (the list's best falls under thr), it
// rescans the whole row with the current prices.
type candidates struct {
	k   int
	col []int32   // n*k mentor indexes, row i at [i*k, i*k+cnt[i])
	val []float32 // n*k raw scores matching col
	cnt []int32   // number of listed mentors per row
	thr []float64 // per row: upper bound on a - p of unlisted mentors
}

func newCandidates(n, k int) *candidates {
	return &candidates{
		k:   k,
		col: make([]int32, n*k),
		val: make([]float32, n*k),
		cnt: make([]int32, n),
		thr: make([]float64, n),
	}
}

// list returns row i's listed mentors and their scores.
func (c *candidates) list(i int) ([]int32, []float32) {
	lo := i * c.k
	hi := lo + int(c.cnt[i])
	return c.col[lo:hi:hi], c.val[lo:hi:hi]
}

// scanZero fills row i's list from its scores at zero prices and returns
// the smallest and largest allowed score in the row (lo > hi when the row
// has no allowed mentor). keys is scratch space of length k.
//
// This is the hottest loop of a solve (it reads every score once), so the
// common case costs three predictable comparisons per score and no NaN
// test: every comparison with NaN is false, so forbidden scores fall
// through all of them.
func (c *candidates) scanZero(i int, row []float32, keys []float32) (lo, hi float32) {
	k := c.k
	cols := c.col[i*k : (i+1)*k : (i+1)*k]
	vals := c.val[i*k : (i+1)*k : (i+1)*k]
	keys = keys[:k:k]
	inf := float32(math.Inf(1))
	lo, hi = inf, -inf
	thr := -inf
	n := 0
	j := 0
	// Fill the list with the first k allowed scores.
	for ; j < len(row) && n < k; j++ {
		a := row[j]
		if a != a {
			continue
		}
		if a < lo {
			lo = a
		}
		pos := n
		n++
		for pos > 0 && keys[pos-1] < a {
			keys[pos], cols[pos], vals[pos] = keys[pos-1], cols[pos-1], vals[pos-1]
			pos--
		}
		keys[pos], cols[pos], vals[pos] = a, int32(j), a
	}
	if n == k {
		// kth is the smallest listed key; thr the largest unlisted one.
		kth := keys[k-1]
		for ; j < len(row); j++ {
			a := row[j]
			if a < lo {
				lo = a
			}
			if a <= kth {
				if a > thr {
					thr = a
				}
				continue
			}
			if a != a {
				continue
			}
			thr = max(thr, kth)
			pos := k - 1
			for pos > 0 && keys[pos-1] < a {
				keys[pos], cols[pos], vals[pos] = keys[pos-1], cols[pos-1], vals[pos-1]
				pos--
			}
			keys[pos], cols[pos], vals[pos] = a, int32(j), a
			kth = keys[k-1]
		}
	}
	if n > 0 {
		hi = keys[0]
	}
	c.cnt[i] = int32(n)
	c.thr[i] = float64(thr)
	return lo, hi
}

// scan refills row i's list from its scores at prices p. keys is scratch
// space of length k.
func (c *candidates) scan(i int, row []float32, p []float64, keys []float64) {
	k := c.k
	cols := c.col[i*k : (i+1)*k]
	vals := c.val[i*k : (i+1)*k]
	thr := math.Inf(-1)
	kth := math.Inf(-1)
	n := 0
	for j, a := range row {
		if a != a {
			continue
		}
		key := float64(a) - p[j]
		if n == k && key <= kth {
			thr = max(thr, key)
			continue
		}
		pos := n
		if n == k {
			thr = max(thr, kth)
			pos = k - 1
		} else {
			n++
		}
		for pos > 0 && keys[pos-1] < key {
			keys[pos], cols[pos], vals[pos] = keys[pos-1], cols[pos-1], vals[pos-1]
			pos--
		}
		keys[pos], cols[pos], vals[pos] = key, int32(j), a
		if n == k {
			kth = keys[k-1]
		}
	}
	c.cnt[i] = int32(n)
	c.thr[i] = thr
}

// top2 returns row i's best mentor by a - p with its value w1 and the
// second-best value w2, counting "unmatched" as a choice of value -bonus
// (j1 = -1 when that is the best). It trusts the list only when the list
// provably holds the top two, that is when every unlisted mentor (worth at
// most thr) is no better than w2; otherwise ok is false and the caller must
// rescan the row first.
//
// Among equal best values it prefers a mentor with a free seat (open
// reports that), which settles most ties without any bidding.
func (c *candidates) top2(i int, p []float64, bonus float64, open func(j int32) bool) (j1 int, w1, w2 float64, ok bool) {
	cols, vals := c.list(i)
	j1 = -1
	w1, w2 = -bonus, math.Inf(-1)
	j1open := false
	for t, j := range cols {
		v := float64(vals[t]) - p[j]
		if v > w1 {
			w2 = w1
			w1, j1 = v, int(j)
			j1open = open(j)
		} else {
			if v == w1 && !j1open && open(j) {
				j1, j1open = int(j), true
			}
			w2 = max(w2, v)
		}
	}
	if c.thr[i] > w2 {
		return 0, 0, 0, false
	}
	return j1, w1, w2, true
}
