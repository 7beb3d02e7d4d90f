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
	parallelRows(rows, w, func(worker, from, to int) {
		buf := make([]float32, s.m)
		sum, sq, cnt := sums[worker], sqs[worker], cnts[worker]
		for x := from; x < to; x++ {
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
	mean := make([]float64, s.m)
	var g, noise float64
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
		return false
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
		return false
	}
	f := 1 - noise/spread
	if f < 0.5 {
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

// readCandidatesPriced is readCandidates at the current prices: each list
// holds the row's best mentors by a - p, which after warmPrices saves most
// of the rescans that lists by raw score would need. With withRange it also
// finds the score range and sets the bonus (the first read of a solve).
func (s *solver) readCandidatesPriced(withRange bool) error {
	s.newRead()
	w := s.opt.Workers
	los := make([]float32, w)
	his := make([]float32, w)
	for t := range w {
		los[t], his[t] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	parallelRows(s.n, w, func(worker, from, to int) {
		buf := make([]float32, s.m)
		b := newPricedBuf(s.cand.k)
		lo, hi := los[worker], his[worker]
		for i := from; i < to; i++ {
			row := s.src.Row(i, buf)[:s.m]
			if withRange {
				lo, hi = rowRange(row, lo, hi)
			}
			s.scanPriced(i, row, b)
		}
		los[worker], his[worker] = lo, hi
		if s.opt.Progress != nil && worker == 0 {
			s.opt.Progress("read", int(min(int64(to), int64(s.n))), s.n)
		}
	})
	if !withRange {
		return nil
	}
	return s.setRange(los, his)
}

// rowRange widens [lo, hi] by the allowed scores of row (four independent
// chains; NaN fails every comparison).
func rowRange(row []float32, lo, hi float32) (float32, float32) {
	j := 0
	for ; j+4 <= len(row); j += 4 {
		s0, s1, s2, s3 := row[j], row[j+1], row[j+2], row[j+3]
		lo = min32(lo, s0, s1, s2, s3)
		hi = max32(hi, s0, s1, s2, s3)
	}
	for ; j < len(row); j++ {
		a := row[j]
		lo = min32(lo, a, a, a, a)
		hi = max32(hi, a, a, a, a)
	}
	return lo, hi
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
}

func newPricedBuf(k int) *pricedBuf {
	n := 4*k + 4
	return &pricedBuf{key: make([]float64, n), col: make([]int32, n), val: make([]float32, n), t0: math.Inf(-1), k: k, full: n}
}

// keep sorts the first cnt entries best first (higher key, then earlier in
// the row's tie order: rotated index r) and keeps the first keep of them.
func (b *pricedBuf) keep(cnt, keep, o, m int) int {
	key, col, val := b.key[:cnt], b.col[:cnt], b.val[:cnt]
	rot := func(j int32) int32 {
		r := j - int32(o)
		if r < 0 {
			r += int32(m)
		}
		return r
	}
	for x := 1; x < len(key); x++ {
		a, c, v := key[x], col[x], val[x]
		rc := rot(c)
		y := x
		for y > 0 && (key[y-1] < a || key[y-1] == a && rot(col[y-1]) > rc) {
			key[y], col[y], val[y] = key[y-1], col[y-1], val[y-1]
			y--
		}
		key[y], col[y], val[y] = a, c, v
	}
	return min(cnt, keep)
}

// scanPriced fills row i's list with its best k mentors by a - p (ties by
// index from rowOffset) and its bound thr. Like scanZero it skips every
// key under a guessed threshold with one comparison and collects the rest
// in a buffer that is sorted and cut when full; a row whose guess was too
// high is read again without it.
func (s *solver) scanPriced(i int, row []float32, b *pricedBuf) {
	k := s.cand.k
	m := len(row)
	o := rowOffset(i, m)
	p := s.p[:m]
	t0 := b.t0
	var cnt int
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
			for ; x+2 <= len(rs); x += 2 {
				k0 := float64(rs[x]) - ps[x]
				k1 := float64(rs[x+1]) - ps[x+1]
				if !(k0 >= t) && !(k1 >= t) {
					continue // also NaN
				}
				for y, key := range [2]float64{k0, k1} {
					if !(key >= t) {
						continue
					}
					b.key[cnt], b.col[cnt], b.val[cnt] = key, int32(from+x+y), rs[x+y]
					cnt++
					if cnt == b.full {
						// Dropped keys are at most the last kept one, t.
						cnt = b.keep(cnt, 2*k, o, m)
						t = b.key[cnt-1]
					}
				}
			}
			for ; x < len(rs); x++ {
				key := float64(rs[x]) - ps[x]
				if !(key >= t) {
					continue
				}
				b.key[cnt], b.col[cnt], b.val[cnt] = key, int32(from+x), rs[x]
				cnt++
				if cnt == b.full {
					cnt = b.keep(cnt, 2*k, o, m)
					t = b.key[cnt-1]
				}
			}
		}
		if cnt > k || t0 == math.Inf(-1) {
			break
		}
		t0 = math.Inf(-1) // fewer than k+1 keys reached the guess: read again
	}
	// Every buffered key is at least t, every other one at most t: the
	// (k+1)-th buffered key bounds the unlisted mentors.
	cnt = b.keep(cnt, cnt, o, m)
	n := min(cnt, k)
	c := s.cand
	copy(c.col[i*k:i*k+n], b.col[:n])
	copy(c.val[i*k:i*k+n], b.val[:n])
	c.cnt[i] = int32(n)
	c.thr[i] = math.Inf(-1)
	if cnt > k {
		c.thr[i] = b.key[k]
	}
	if cnt >= 2*k {
		b.t0 = b.key[2*k-1]
	}
}
