package match

import "math"

// candidates keeps, for every mentee, a short list of its best mentors
// together with a bound on every mentor left off the list. This is what
// lets the solver work on about k mentors per mentee instead of all of them
// while staying exact:
//
// When row i was last scanned with prices p, every mentor l not on its list
// had a[i][l] - p[l] <= thr[i]. Prices rise during a solve, which keeps the
// bound true; where they are lowered (lowerPrices) every bound is raised by
// as much. Whenever the solver needs a value that the
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

// scanBuf is per-worker scratch space for scanZero. It carries a guess of
// the row threshold from one row to the next.
type scanBuf struct {
	v   []float32
	j   []int32
	t0  float32 // guess: about the 2k-th best score of the previous row
	cnt int
}

func newScanBuf(k int) *scanBuf {
	return &scanBuf{v: make([]float32, 4*k+4), j: make([]int32, 4*k+4), t0: float32(math.Inf(-1))}
}

// keep sorts the buffer best first (higher score, then lower index) and
// keeps its first keep entries.
func (b *scanBuf) keep(keep int) {
	v, j := b.v[:b.cnt], b.j[:b.cnt]
	// Insertion sort: the buffer holds at most 4k+4 entries, mostly in
	// index order already.
	for x := 1; x < len(v); x++ {
		a, c := v[x], j[x]
		y := x
		for y > 0 && (v[y-1] < a || v[y-1] == a && j[y-1] > c) {
			v[y], j[y] = v[y-1], j[y-1]
			y--
		}
		v[y], j[y] = a, c
	}
	b.cnt = min(b.cnt, keep)
}

// scanZero fills row i's list from its scores at zero prices and returns
// the smallest and largest allowed score in the row (lo > hi when the row
// has no allowed mentor). The list is ordered by higher score, then lower
// mentor index, and holds the first k allowed mentors in that order.
//
// This is the hottest loop of a solve (it reads every score once), so the
// common case costs two predictable comparisons per score and no NaN test
// (comparisons with NaN are false): scores below a threshold guessed from
// the previous row are skipped, the others collected in a buffer that is
// sorted and cut down when it fills. If the guess was too high the row is
// read again without it.
func (c *candidates) scanZero(i int, row []float32, b *scanBuf) (lo, hi float32) {
	return c.scanZeroRot(i, row, b, 0)
}

// rowOffset is where row i's tie order starts for Assign: mentors rank
// among equal scores by index counted from this offset (mod m), so that
// rows with many ties do not all list the same low-index mentors.
func rowOffset(i, m int) int {
	return int(uint64(uint32(i)*2654435761) % uint64(max(m, 1)))
}

// scanZeroRot is scanZero with ties ranked by index counted from offset o
// (mod len(row)) instead of from 0.
func (c *candidates) scanZeroRot(i int, row []float32, b *scanBuf, o int) (lo, hi float32) {
	k := c.k
	inf := float32(math.Inf(1))
	t0 := b.t0
	m := len(row)
	full0 := row
	for {
		lo = inf
		b.cnt = 0
		bv, bj := b.v, b.j
		full := len(bv)
		cnt := 0
		for seg := 0; seg < 2; seg++ {
			// Indexes in bj are rotated: r = j - o (mod m).
			row, base := full0[o:], 0
			if seg == 1 {
				row, base = full0[:o], m-o
			}
			lo1 := inf
			j := 0
			for ; j+2 <= len(row); j += 2 {
				a0, a1 := row[j], row[j+1]
				if a0 < lo {
					lo = a0
				}
				if a1 < lo1 {
					lo1 = a1
				}
				if a0 < t0 && a1 < t0 {
					continue
				}
				for x, a := range row[j : j+2] {
					if a >= t0 {
						bv[cnt], bj[cnt] = a, int32(base+j+x)
						cnt++
						if cnt == full {
							b.cnt = cnt
							b.keep(2 * k)
							cnt = b.cnt
							// Later scores equal to the last kept one rank
							// after it (higher index), so only strictly
							// better ones matter.
							t0 = math.Nextafter32(bv[cnt-1], inf)
						}
					}
				}
			}
			if lo1 < lo {
				lo = lo1
			}
			for ; j < len(row); j++ {
				a := row[j]
				if a < lo {
					lo = a
				}
				if a >= t0 {
					bv[cnt], bj[cnt] = a, int32(base+j)
					cnt++
					if cnt == full {
						b.cnt = cnt
						b.keep(2 * k)
						cnt = b.cnt
						t0 = math.Nextafter32(bv[cnt-1], inf)
					}
				}
			}
		}
		b.cnt = cnt
		if cnt > k || t0 == -inf {
			break
		}
		t0 = -inf // fewer than k+1 scores reached the guess: read again
	}
	b.keep(2 * k)
	n := min(b.cnt, k)
	cols := c.col[i*k : i*k+n]
	vals := c.val[i*k : i*k+n]
	for t, r := range b.j[:n] {
		j := int(r) + o
		if j >= m {
			j -= m
		}
		cols[t] = int32(j)
	}
	copy(vals, b.v[:n])
	c.cnt[i] = int32(n)
	c.thr[i] = math.Inf(-1)
	if b.cnt > k {
		c.thr[i] = float64(b.v[k])
	}
	hi = -inf
	if n > 0 {
		hi = vals[0]
	}
	if b.cnt >= 2*k {
		b.t0 = b.v[2*k-1]
	} // else keep the guess: this row had more than k scores above it

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
	o := rowOffset(i, len(row))
	for jj := range row {
		j := jj + o
		if j >= len(row) {
			j -= len(row)
		}
		a := row[j]
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
