package match

import "math"

// warmPrices sets starting prices for a tight problem from the column
// means of a sample of rows: when mentors differ in how much every mentee
// likes them (popular mentors), the equilibrium price of a mentor follows
// that shared part of its scores, and starting there saves the long price
// war that bidding from zero prices would fight. The mean of each column is
// shrunk toward the grand mean by how much of its spread across mentors
// the sampling noise explains (James–Stein), so that on instances without
// a shared part (uniform scores, ties) the prices stay near zero.
//
// Any starting prices are valid in a tight problem (see batchAugment); these
// only make the exact phases shorter. It reports whether it set any.
func (s *solver) warmPrices() bool {
	step := max(1, s.n/2500)
	rows := (s.n + step - 1) / step
	w := s.opt.Workers
	sums := make([][]float64, w)
	sqs := make([][]float64, w)
	cnts := make([][]int32, w)
	for t := range w {
		sums[t] = make([]float64, s.m)
		sqs[t] = make([]float64, s.m)
		cnts[t] = make([]int32, s.m)
	}
	// Sample rows x*step: first every warmFirst-th of them (stage 0), then
	// the others (stage 1), unless the first share already shows no
	// shared part.
	bufs := newPerWorker(w, func() []float32 { return make([]float32, s.m) })
	add := func(stage int) {
		sel := func(x int) bool { return (x%warmFirst == 0) == (stage == 0) }
		parallelRows(rows, w, func(worker, from, to int) {
			buf := bufs.get(worker)
			sum, sq, cnt := sums[worker], sqs[worker], cnts[worker]
			for x := from; x < to; x++ {
				if !sel(x) {
					continue
				}
				for j, a := range s.src.Row(x*step, buf) {
					if a == a {
						v := float64(a)
						sum[j] += v
						sq[j] += v * v
						cnt[j]++
					}
				}
			}
		})
	}
	mean := make([]float64, s.m)
	// stats returns the shrink factor f = 1 - noise/spread for the rows
	// read so far and the noise it would have with scale times as many.
	stats := func(scale float64) (f, fFull float64, g float64, ok bool) {
		var noise float64
		g = 0
		k := 0
		for j := range s.m {
			var sm, sv float64
			var c int32
			for t := range w {
				sm += sums[t][j]
				sv += sqs[t][j]
				c += cnts[t][j]
			}
			if c < 2 || s.cap[j] == 0 {
				mean[j] = math.NaN()
				continue
			}
			mu := sm / float64(c)
			mean[j] = mu
			g += mu
			noise += math.Max(0, sv/float64(c)-mu*mu) / float64(c)
			k++
		}
		if k < 2 {
			return 0, 0, 0, false
		}
		g /= float64(k)
		noise /= float64(k)
		var spread float64
		for _, mu := range mean {
			if mu == mu {
				spread += (mu - g) * (mu - g)
			}
		}
		spread /= float64(k - 1)
		if spread <= 0 {
			return 0, 0, 0, false
		}
		// Spread = shared part + noise; the noise falls as 1/rows.
		nf := noise / scale
		shared := math.Max(0, spread-noise)
		return 1 - noise/spread, 1 - nf/(shared+nf), g, true
	}
	add(0)
	if warmFirst > 1 {
		if rows >= 4*warmFirst {
			_, fFull, _, ok := stats(float64(warmFirst))
			if !ok || fFull < 0.25 {
				return false // not even the whole sample would show a shared part
			}
		}
		add(1)
	}
	f, _, g, ok := stats(1)
	if !ok || f < 0.5 {
		return false // no shared part worth the noise
	}
	lo := math.Inf(1)
	for _, mu := range mean {
		if mu == mu {
			lo = math.Min(lo, f*(mu-g))
		}
	}
	for j, mu := range mean {
		if mu == mu {
			s.p[j] = f*(mu-g) - lo
		}
	}
	return true
}

// warmFirst: warmPrices first reads every warmFirst-th sample row and
// stops there when even the whole sample would be too noisy (about half
// the threshold f = 0.5), as on uniform scores and ties.
var warmFirst = 5

// readCandidatesPriced is readCandidates at the current prices: each list
// holds the row's best mentors by a - p, which after warmPrices saves most
// of the rescans that lists by raw score would need. With withRange it also
// finds the score range and sets the bonus (the first read of a solve).
// k is the length of the lists.
func (s *solver) readCandidatesPriced(withRange bool, k int) error {
	s.newRead(k)
	w := s.opt.Workers
	los := make([]float32, w)
	his := make([]float32, w)
	for t := range w {
		los[t], his[t] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	bufs := newPerWorker(w, func() []float32 { return make([]float32, s.m) })
	pbufs := newPerWorker(w, func() *pricedBuf { return newPricedBuf(s.cand.k) })
	parallelRows(s.n, w, func(worker, from, to int) {
		buf, b := bufs.get(worker), pbufs.get(worker)
		b.lo, b.hi = los[worker], his[worker]
		for i := from; i < to; i++ {
			s.scanPriced(i, s.src.Row(i, buf)[:s.m], b, withRange)
		}
		los[worker], his[worker] = b.lo, b.hi
		if s.opt.Progress != nil && worker == 0 {
			s.opt.Progress("read", int(min(int64(to), int64(s.n))), s.n)
		}
	})
	if !withRange {
		return nil
	}
	return s.setRange(los, his)
}

// pricedBuf is per-worker scratch space of scanPriced; t0 carries a guess
// of the row threshold (about the 2k-th best key of the previous row).
type pricedBuf struct {
	key  []float64
	col  []int32
	val  []float32
	t0   float64
	k    int
	full int
	lo   float32 // range of the allowed scores read so far (with rng)
	hi   float32
}

func newPricedBuf(k int) *pricedBuf {
	n := 4*k + 4
	return &pricedBuf{key: make([]float64, n), col: make([]int32, n), val: make([]float32, n), t0: math.Inf(-1), k: k, full: n}
}

// sel reorders the first cnt entries so that entry nth is the one a sort
// best first (higher key, then earlier in the row's tie order: rotated
// index) would put there, the better ones before it and the others after
// (quickselect; the order within each side is arbitrary).
func (b *pricedBuf) sel(cnt, nth, o, m int) {
	key, col, val := b.key[:cnt], b.col[:cnt], b.val[:cnt]
	rot := func(j int32) int32 {
		r := j - int32(o)
		if r < 0 {
			r += int32(m)
		}
		return r
	}
	better := func(x, y int) bool {
		return key[x] > key[y] || key[x] == key[y] && rot(col[x]) < rot(col[y])
	}
	swap := func(x, y int) {
		key[x], key[y] = key[y], key[x]
		col[x], col[y] = col[y], col[x]
		val[x], val[y] = val[y], val[x]
	}
	lo, hi := 0, cnt-1
	for hi-lo >= 12 {
		mid := lo + (hi-lo)/2
		if better(mid, lo) {
			swap(mid, lo)
		}
		if better(hi, lo) {
			swap(hi, lo)
		}
		if better(hi, mid) {
			swap(hi, mid)
		}
		swap(mid, hi) // the median of three is the pivot, at hi
		st := lo
		for x := lo; x < hi; x++ {
			if better(x, hi) {
				swap(x, st)
				st++
			}
		}
		swap(st, hi)
		switch {
		case st == nth:
			return
		case nth < st:
			hi = st - 1
		default:
			lo = st + 1
		}
	}
	for x := lo + 1; x <= hi; x++ {
		for y := x; y > lo && better(y, y-1); y-- {
			swap(y, y-1)
		}
	}
}

// scanPriced fills row i's list with its best k mentors by a - p (ties by
// index from rowOffset) and its bound thr. Like scanZero it skips every
// key under a guessed threshold with one comparison and collects the rest
// in a buffer that is cut to its best 2k when full (sel); a row whose guess was too
// high is read again without it. With rng it also widens [b.lo, b.hi] by
// the row's allowed scores, in the same loop (the first read of a solve
// sets the bonus this way instead of in a pass of its own).
func (s *solver) scanPriced(i int, row []float32, b *pricedBuf, rng bool) {
	k := s.cand.k
	m := len(row)
	o := rowOffset(i, m)
	p := s.p[:m]
	t0 := b.t0
	var cnt int
	// push buffers a key at least t and returns the new threshold.
	push := func(key float64, j int, a float32, t float64) float64 {
		b.key[cnt], b.col[cnt], b.val[cnt] = key, int32(j), a
		cnt++
		if cnt == b.full {
			// Keep the best 2k; dropped keys are at most the 2k-th, the
			// new t.
			b.sel(cnt, 2*k-1, o, m)
			cnt = 2 * k
			t = b.key[cnt-1]
		}
		return t
	}
	lo0, hi0 := b.lo, b.hi
	lo1, hi1 := lo0, hi0
	for {
		cnt = 0
		t := t0
		for seg := range 2 {
			from, to := o, m
			if seg == 1 {
				from, to = 0, o
			}
			rs := row[from:to]
			ps := p[from:to]
			ps = ps[:len(rs)]
			x := 0
			if rng {
				for ; x+2 <= len(rs); x += 2 {
					a0, a1 := rs[x], rs[x+1]
					// NaN fails every comparison: forbidden pairs are
					// neither in the range nor buffered.
					if a0 < lo0 {
						lo0 = a0
					}
					if a1 < lo1 {
						lo1 = a1
					}
					if a0 > hi0 {
						hi0 = a0
					}
					if a1 > hi1 {
						hi1 = a1
					}
					k0 := float64(a0) - ps[x]
					k1 := float64(a1) - ps[x+1]
					if !(k0 >= t) && !(k1 >= t) {
						continue
					}
					if k0 >= t {
						t = push(k0, from+x, a0, t)
					}
					if k1 >= t {
						t = push(k1, from+x+1, a1, t)
					}
				}
			} else {
				for ; x+2 <= len(rs); x += 2 {
					k0 := float64(rs[x]) - ps[x]
					k1 := float64(rs[x+1]) - ps[x+1]
					if !(k0 >= t) && !(k1 >= t) {
						continue // also NaN
					}
					if k0 >= t {
						t = push(k0, from+x, rs[x], t)
					}
					if k1 >= t {
						t = push(k1, from+x+1, rs[x+1], t)
					}
				}
			}
			for ; x < len(rs); x++ {
				a := rs[x]
				if a < lo0 {
					lo0 = a
				}
				if a > hi0 {
					hi0 = a
				}
				if key := float64(a) - ps[x]; key >= t {
					t = push(key, from+x, a, t)
				}
			}
		}
		if cnt > k || t0 == math.Inf(-1) {
			break
		}
		t0 = math.Inf(-1) // fewer than k+1 keys reached the guess: read again
	}
	if rng {
		b.lo, b.hi = min(lo0, lo1), max(hi0, hi1)
	}
	// Every buffered key is at least t, every other one at most t: the
	// (k+1)-th buffered key bounds the unlisted mentors. The list itself
	// is the best k, in no particular order.
	if cnt >= 2*k {
		b.sel(cnt, 2*k-1, o, m)
		b.t0 = b.key[2*k-1]
	}
	if cnt > k {
		b.sel(min(cnt, 2*k), k, o, m)
	}
	n := min(cnt, k)
	c := s.cand
	copy(c.col[i*k:i*k+n], b.col[:n])
	copy(c.val[i*k:i*k+n], b.val[:n])
	c.cnt[i] = int32(n)
	c.thr[i] = math.Inf(-1)
	if cnt > k {
		c.thr[i] = b.key[k]
	}
}
