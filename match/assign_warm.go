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
// of the rescans that lists by raw score would need.
func (s *solver) readCandidatesPriced() error {
	s.cand = newCandidates(s.n, s.opt.Candidates)
	w := s.opt.Workers
	los := make([]float32, w)
	his := make([]float32, w)
	for t := range w {
		los[t], his[t] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	parallelRows(s.n, w, func(worker, from, to int) {
		buf := make([]float32, s.m)
		keys := make([]float64, s.cand.k+1)
		cols := make([]int32, s.cand.k+1)
		vals := make([]float32, s.cand.k+1)
		lo, hi := los[worker], his[worker]
		for i := from; i < to; i++ {
			row := s.src.Row(i, buf)
			lo, hi = s.scanPriced(i, row, keys, cols, vals, lo, hi)
		}
		los[worker], his[worker] = lo, hi
		if s.opt.Progress != nil && worker == 0 {
			s.opt.Progress("read", int(min(int64(to), int64(s.n))), s.n)
		}
	})
	return s.setRange(los, his)
}

// scanPriced fills row i's list with its best k mentors by a - p (ties by
// index from rowOffset) and its bound thr, and widens [lo, hi] by the row's
// allowed scores. keys, cols and vals are scratch of length k+1.
func (s *solver) scanPriced(i int, row []float32, keys []float64, cols []int32, vals []float32, lo, hi float32) (float32, float32) {
	k := s.cand.k
	m := len(row)
	o := rowOffset(i, m)
	p := s.p[:m]
	n := 0
	kth := math.Inf(-1) // (k+1)-th best key once n == k+1
	for seg := range 2 {
		from, to := o, m
		if seg == 1 {
			from, to = 0, o
		}
		for j := from; j < to; j++ {
			a := row[j]
			if a < lo {
				lo = a
			}
			if a > hi {
				hi = a
			}
			key := float64(a) - p[j]
			if !(key > kth) && n > k {
				continue // also skips NaN
			}
			if key != key {
				continue
			}
			pos := n
			if n > k {
				pos = k
			} else {
				n++
			}
			for pos > 0 && keys[pos-1] < key {
				keys[pos], cols[pos], vals[pos] = keys[pos-1], cols[pos-1], vals[pos-1]
				pos--
			}
			keys[pos], cols[pos], vals[pos] = key, int32(j), a
			if n > k {
				kth = keys[k]
			}
		}
	}
	c := s.cand
	cnt := min(n, k)
	copy(c.col[i*k:i*k+cnt], cols[:cnt])
	copy(c.val[i*k:i*k+cnt], vals[:cnt])
	c.cnt[i] = int32(cnt)
	c.thr[i] = math.Inf(-1)
	if n > k {
		c.thr[i] = keys[k]
	}
	return lo, hi
}
