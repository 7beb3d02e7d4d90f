package match

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Options tunes Assign and Stable. The zero value is good.
type Options struct {
	// Candidates is how many best mentors the solver keeps per mentee
	// between full row scans. Zero means 24.
	Candidates int
	// Workers is how many goroutines read rows in parallel. Zero means one
	// per CPU.
	Workers int
	// Progress, when set, is called now and then with the name of the
	// phase and how far along it is.
	Progress func(phase string, done, total int)
	// Method selects the algorithm of Assign: MethodAuto (the zero value,
	// currently exact-slackness bidding plus successive shortest paths)
	// or MethodAuction, an experimental ε-scaling auction (see auction.go)
	// that is certified only up to Certify's tolerance and is not faster
	// yet on every family.
	Method string
}

// Assign methods.
const (
	MethodAuto    = ""
	MethodAuction = "auction"
	// MethodDijkstra is the previous exact method (bidding, then one
	// shortest-path search per remaining mentee), kept as the in-process
	// baseline of the benchmarks.
	MethodDijkstra = "dijkstra"
)

var auctionEpsFactor = 1.0

// bidBudget is the bidding phase's budget of evictions per mentee.
var bidBudget = 4

// warmCols turns on warmPrices for tight problems.
var warmCols = true

// adjPasses and adjDamp set adjustPrices for tight problems with warm
// prices.
var adjPasses, adjDamp = 6, 0.7

// defaultK is the default of Options.Candidates for Assign.
var defaultK = 24

// auctionEps returns the last ε of the auction for scores in [lo, hi] and
// n mentees: 2^-32 of the score scale divided by n+1, so that for scores
// on a grid of 2^-32 (every float32 score of magnitude at least 2^-9 times
// the scale) ε-complementary slackness already implies an exact optimum,
// and far below Certify's tolerance; but at least a few float64 rounding
// steps of the scale, so that every bid raises a price.
func auctionEps(lo, hi float64, n int) float64 {
	scale := math.Max(1, math.Max(math.Abs(lo), math.Abs(hi)))
	return math.Max(scale*0x1p-32/float64(n+1), scale*0x1p-48) * auctionEpsFactor
}

// Assignment is an optimal capacitated assignment together with the dual
// values that prove it optimal (see Certify).
type Assignment struct {
	// Mentor holds, for each mentee, the index of its mentor or -1.
	Mentor []int
	// Matched is the number of matched mentees.
	Matched int
	// Score is the sum of the scores of the matched pairs.
	Score float64
	// U holds the mentee duals: U[i] + V[j] >= score[i][j] for every
	// allowed pair, with equality on matched pairs, and U[i] = -Bonus for
	// unmatched mentees.
	U []float64
	// V holds the mentor duals (prices): V[j] >= 0, and V[j] > 0 only for
	// mentors filled to capacity.
	V []float64
	// Bonus is the value added to every match so that the optimum matches
	// as many mentees as possible before it looks at scores.
	Bonus float64
	// Stats tells where the time went.
	Stats Stats
	// Certificate is set when Assign has verified its own result for
	// every condition Certify checks, reusing its last full read of the
	// scores instead of a new one (see certifyFused in assign_certify.go).
	// It is nil when that check was not made (MethodAuction) or failed;
	// Certify is the independent check in every case.
	Certificate *Certificate
}

// Stats describes the work a solve did.
type Stats struct {
	// Candidates is the time spent reading every row once to find each
	// mentee's best mentors.
	Candidates time.Duration
	// Bidding is the time spent in the bidding phase that assigns most
	// mentees cheaply.
	Bidding time.Duration
	// Augment is the time spent on shortest augmenting paths.
	Augment time.Duration
	// Bids counts bids in the bidding phase.
	Bids int
	// Augmentations counts shortest-path searches.
	Augmentations int
	// Rescans counts full row scans after the first reading.
	Rescans int
	// Certify is the time spent on Assign's own check (Certificate).
	Certify time.Duration
	// Fallback is true when the auction could not certify its result and
	// the exact successive-shortest-path method ran instead.
	Fallback bool
}

// ErrCapacity is returned for a negative capacity or a capacity vector
// whose length differs from the number of mentors.
var ErrCapacity = errors.New("match: bad capacity")

// Assign computes a capacitated assignment of mentees to mentors that
// first matches as many mentees as capacities and forbidden pairs allow,
// and among those maximizes the total score. Mentor j takes at most
// capacity[j] mentees. Rows of src must not hold infinities.
//
// The method is a primal-dual one on the compact problem (one node per
// mentor, never one per seat): a bidding phase in the manner of the auction
// algorithm, with exact complementary slackness kept at every step, assigns
// most mentees; successive shortest augmenting paths (Dijkstra on reduced
// costs) then finish the job. Both phases look only at each mentee's few
// best mentors, with a bound that says when a full row rescan is needed, so
// the answer is exact. The returned duals certify optimality.
func Assign(src Scores, capacity []int, opt Options) (*Assignment, error) {
	_, m := src.Dims()
	if len(capacity) != m {
		return nil, fmt.Errorf("%w: %d capacities for %d mentors", ErrCapacity, len(capacity), m)
	}
	for j, c := range capacity {
		if c < 0 {
			return nil, fmt.Errorf("%w: mentor %d has capacity %d", ErrCapacity, j, c)
		}
	}
	s := newSolver(src, capacity, opt)
	seats := 0
	for _, c := range capacity {
		seats += c
	}
	tight := seats == s.n && opt.Method != MethodDijkstra && opt.Method != MethodAuction
	start := time.Now()
	read := s.readCandidates
	warm := tight && warmCols && s.warmPrices()
	if warm {
		// Longer lists for the price passes, cut to K by narrowLists.
		read = func() error { return s.readCandidatesPriced(true, s.longK()) }
	}
	if err := read(); err != nil {
		return nil, err
	}
	if warm && adjPasses > 0 {
		// Better prices from the lists, then lists at those prices: cut
		// from the long lists where the falls allow, else read again.
		pold := append([]float64(nil), s.p...)
		s.adjustPrices(adjPasses, adjDamp)
		if !s.narrowLists(pold) {
			if err := s.readCandidatesPriced(false, s.opt.Candidates); err != nil {
				return nil, err
			}
		}
	}
	s.stats.Candidates = time.Since(start)

	if opt.Method == MethodAuction {
		// Seats at most mentees: ε-scaling pays. More seats than mentees:
		// one phase from zero prices keeps unused seats at price zero.
		seats := 0
		for _, c := range capacity {
			seats += min(c, s.n+1)
		}
		start = time.Now()
		ok := s.auction(auctionEps(s.lo, s.hi, s.n), seats <= s.n)
		s.stats.Bidding = time.Since(start)
		if ok {
			return s.result(), nil // certified up to ε: no fused check
		}
		// Rare: fall back to the exact method from scratch.
		st := s.stats
		s = newSolver(src, capacity, opt)
		s.stats = st
		s.stats.Fallback = true
		if err := s.readCandidates(); err != nil {
			return nil, err
		}
	}

	if tight {
		s.standIn()
	}
	start = time.Now()
	free := s.bid()
	s.stats.Bidding = time.Since(start)

	start = time.Now()
	if tight {
		// Tight: every seat will be filled, batch rounds apply.
		free = free[:0]
		for i, j := range s.rowCol {
			if j < 0 {
				free = append(free, int32(i))
			}
		}
		stranded, ok := s.batchAugment(free)
		if !ok && stranded != nil && s.finishStranded(stranded) {
			ok = true
		}
		if ok {
			s.stats.Augment = time.Since(start)
			s.src = src // stand-ins go: their seats are the free ones
			if a := s.finish(); a.Certificate != nil {
				return a, nil
			}
			// Not certified, which would be a bug: solve again the
			// general way below, and let its check decide.
		}
		// Some mentee cannot be matched: solve from scratch.
		st := s.stats
		s = newSolver(src, capacity, opt)
		s.stats = st
		s.stats.Fallback = true
		if err := s.readCandidates(); err != nil {
			return nil, err
		}
		free = s.bid()
	}
	for t, i := range free {
		s.augment(int(i))
		if s.opt.Progress != nil && t%1024 == 0 {
			s.opt.Progress("augment", t, len(free))
		}
	}
	s.stats.Augment = time.Since(start)
	return s.finish(), nil
}

// finish packs the result and checks it (certifyFused). Should that check
// fail, which would be a bug, Certify decides, reading the scores again.
func (s *solver) finish() *Assignment {
	start := time.Now()
	a := s.result()
	c, err := s.certifyFused(a)
	if err != nil {
		c, err = Certify(s.src, s.capOrig, a, 0)
	}
	if err == nil {
		a.Certificate = c
	}
	a.Stats.Certify = time.Since(start)
	return a
}

// solver holds the state of one Assign call. Row duals are not stored for
// assigned rows: u[i] = rowA[i] - p[rowCol[i]] always, so raising a
// mentor's price needs no pass over its mentees.
type solver struct {
	src   Scores
	n, m  int
	opt   Options
	bonus float64
	lo    float64 // smallest allowed score
	hi    float64 // largest allowed score
	cand  *candidates

	cap      []int32
	capOrig  []int
	load     []int32
	colStart []int32 // start of each mentor's seats in seats
	seats    []int32 // mentee in each seat, mentor j's seats at colStart[j]...
	p        []float64

	rowCol  []int32   // mentor of each mentee, or -1
	rowSeat []int32   // seat index within the mentor
	rowA    []float64 // score of each mentee with its mentor
	second  []float64 // upper bound on the second-best value when assigned

	rowBuf []float32
	keys   []float64
	dij    dijkstra
	stats  Stats

	standIns *standIns // rows with no allowed mentor, in a tight problem
}

func newSolver(src Scores, capacity []int, opt Options) *solver {
	n, m := src.Dims()
	if opt.Candidates <= 0 {
		opt.Candidates = defaultK
	}
	opt.Candidates = max(2, min(opt.Candidates, m)) // two, to prove a second best
	opt.Workers = defaultWorkers(opt.Workers)
	s := &solver{
		src: src, n: n, m: m, opt: opt,
		cap:      make([]int32, m),
		capOrig:  capacity,
		load:     make([]int32, m),
		colStart: make([]int32, m+1),
		p:        make([]float64, m),
		rowCol:   make([]int32, n),
		rowSeat:  make([]int32, n),
		rowA:     make([]float64, n),
		second:   make([]float64, n),
		rowBuf:   make([]float32, m),
		keys:     make([]float64, opt.Candidates),
	}
	total := 0
	for j, c := range capacity {
		c = min(c, n) // more seats than mentees is never used
		s.cap[j] = int32(c)
		s.colStart[j] = int32(total)
		total += c
	}
	s.colStart[m] = int32(total)
	s.seats = make([]int32, total)
	for i := range s.rowCol {
		s.rowCol[i] = -1
	}
	s.dij.init(n, m)
	return s
}

// readCandidates reads every row once, in parallel, to fill the candidate
// lists at zero prices and to find the score range that sets the bonus.
func (s *solver) readCandidates() error {
	s.newRead(s.opt.Candidates)
	w := s.opt.Workers
	los := make([]float32, w)
	his := make([]float32, w)
	for t := range w {
		los[t], his[t] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	bufs := make([][]float32, w)
	sbs := make([]*scanBuf, w)
	for t := range w {
		bufs[t] = make([]float32, s.m)
		sbs[t] = newScanBuf(s.cand.k)
	}
	parallelRows(s.n, w, func(worker, from, to int) {
		buf := bufs[worker]
		sb := sbs[worker]
		for i := from; i < to; i++ {
			lo, hi := s.cand.scanZeroRot(i, s.src.Row(i, buf), sb, rowOffset(i, s.m))
			los[worker] = min(los[worker], lo)
			his[worker] = max(his[worker], hi)
		}
		if s.opt.Progress != nil && worker == 0 {
			s.opt.Progress("read", int(min(int64(to), int64(s.n))), s.n)
		}
	})
	return s.setRange(los, his)
}

// newRead starts a full read of the rows: fresh lists of k mentors.
func (s *solver) newRead(k int) {
	s.cand = newCandidates(s.n, k)
}

// setRange sets the score range and the bonus from per-worker extremes.
func (s *solver) setRange(los, his []float32) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	for t := range los {
		lo = math.Min(lo, float64(los[t]))
		hi = math.Max(hi, float64(his[t]))
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		if lo <= hi {
			return errors.New("match: scores hold an infinity")
		}
		lo, hi = 0, 0 // nothing allowed at all
	}
	s.lo, s.hi = lo, hi
	s.bonus = Bonus(lo, hi, s.n, s.m)
	return nil
}

// Bonus returns the per-match bonus that makes a maximum-score assignment
// also a maximum-cardinality one, for scores in [lo, hi] and an n×m
// problem. An augmenting path visits each mentor at most once, so it adds
// one match and swaps at most min(n, m) others; a bonus above that many
// score ranges (after shifting scores to be non-negative) always pays for it.
func Bonus(lo, hi float64, n, m int) float64 {
	l := float64(min(n, m) + 1)
	return (hi-lo)*l + math.Max(0, -lo) + 1
}

// rescan reads row i again and refreshes its list at current prices.
func (s *solver) rescan(i int) []float32 {
	s.stats.Rescans++
	row := s.src.Row(i, s.rowBuf)
	s.cand.scan(i, row, s.p, s.keys)
	return row
}

// best returns row i's exact top two values (see candidates.top2),
// rescanning the row when its list cannot prove them.
func (s *solver) best(i int) (j1 int, w1, w2 float64) {
	j1, w1, w2, ok := s.cand.top2(i, s.p, s.bonus, s.open)
	if !ok {
		s.rescan(i)
		j1, w1, w2, _ = s.cand.top2(i, s.p, s.bonus, s.open)
	}
	return j1, w1, w2
}

// open reports whether mentor j has a free seat.
func (s *solver) open(j int32) bool { return s.load[j] < s.cap[j] }

// scoreOf returns the listed score of row i with mentor j. j must be on
// row i's list, which holds after best returned it.
func (s *solver) scoreOf(i, j int) float64 {
	cols, vals := s.cand.list(i)
	for t, c := range cols {
		if int(c) == j {
			return float64(vals[t])
		}
	}
	return float64(s.src.Row(i, s.rowBuf)[j])
}

// seat puts row i in seat k of mentor j with score a.
func (s *solver) seat(i, j, k int, a float64) {
	s.seats[int(s.colStart[j])+k] = int32(i)
	s.rowCol[i], s.rowSeat[i], s.rowA[i] = int32(j), int32(k), a
}

// bid runs the bidding phase and returns the mentees it left free.
//
// A free mentee i bids for its best mentor j1 (value w1, second best w2).
// If j1 has a free seat it takes it. Otherwise j1's price rises by
// delta = min(w1-w2, the second smallest slack among j1's mentees), the
// mentee with the smallest slack is evicted and i takes its seat. The price
// rise never exceeds what i or the remaining mentees would tolerate, so
// every assigned mentee stays at one of its best mentors: complementary
// slackness holds exactly throughout, and the augmenting phase can start
// from this state. Ties can make delta zero and bidding cycle, so the phase
// stops after a fixed budget of evictions and leaves the rest to the exact
// phase.
func (s *solver) bid() []int32 {
	queue := make([]int32, 0, s.n)
	for i := range s.n {
		queue = append(queue, int32(i))
	}
	var free []int32
	budget := bidBudget*s.n + 1000
	for h := 0; h < len(queue); h++ {
		i := int(queue[h])
		if budget <= 0 {
			free = append(free, int32(i))
			continue
		}
		s.stats.Bids++
		j1, w1, w2 := s.best(i)
		if j1 < 0 {
			continue // nothing beats staying unmatched: u = -bonus
		}
		if l := s.load[j1]; l < s.cap[j1] {
			s.load[j1]++
			s.seat(i, j1, int(l), s.scoreOf(i, j1))
			s.second[i] = w2
			continue
		}
		// Find the mentees of j1 with the smallest and second smallest slack.
		base := int(s.colStart[j1])
		kmin, s1, s2 := -1, math.Inf(1), math.Inf(1)
		for k := range int(s.cap[j1]) {
			r := s.seats[base+k]
			sl := s.rowA[r] - s.p[j1] - s.second[r]
			if sl < s1 {
				s2, s1, kmin = s1, sl, k
			} else if sl < s2 {
				s2 = sl
			}
		}
		if kmin < 0 {
			free = append(free, int32(i)) // capacity zero: leave it to Dijkstra
			continue
		}
		delta := max(0, min(w1-w2, s2))
		budget--
		s.p[j1] += delta
		out := int(s.seats[base+kmin])
		s.rowCol[out] = -1
		queue = append(queue, int32(out))
		s.seat(i, j1, kmin, s.scoreOf(i, j1))
		s.second[i] = w2
	}
	return free
}

// result packs the solver state into an Assignment.
func (s *solver) result() *Assignment {
	a := &Assignment{
		Mentor: make([]int, s.n),
		U:      make([]float64, s.n),
		V:      append([]float64(nil), s.p...),
		Bonus:  s.bonus,
		Stats:  s.stats,
	}
	for i, j := range s.rowCol {
		if s.standIns != nil && s.standIns.row[i] {
			j = -1
		}
		a.Mentor[i] = int(j)
		if j < 0 {
			a.U[i] = -s.bonus
			continue
		}
		a.Matched++
		a.Score += s.rowA[i]
		a.U[i] = s.rowA[i] - s.p[j]
	}
	return a
}

// standIns replaces, in a tight problem (as many seats as mentees), the
// rows that allow no mentor at all: they would leave seats free, and
// batchAugment needs every seat filled. A stand-in takes any mentor at the
// same score, so where stand-ins sit does not change what the real
// mentees get; each sits at a cheapest mentor (its dual is feasible with
// every mentor and tight with its own), so once batchAugment shifts the
// cheapest price to zero, the seats the stand-ins leave are free at price
// zero, as the certificate wants. result reports them unmatched.
type standIns struct {
	Scores
	row []bool
	v   float32
}

func (d *standIns) Row(i int, dst []float32) []float32 {
	if !d.row[i] {
		return d.Scores.Row(i, dst)
	}
	for j := range dst {
		dst[j] = d.v
	}
	return dst
}

// standIn puts stand-ins in the rows with no allowed mentor, after the
// first read found them, and lists their mentors.
func (s *solver) standIn() {
	var rows []int
	for i := range s.n {
		if cols, _ := s.cand.list(i); len(cols) == 0 && math.IsInf(s.cand.thr[i], -1) {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 || len(rows) == s.n {
		return
	}
	d := &standIns{Scores: s.src, row: make([]bool, s.n), v: float32(s.lo)}
	for _, i := range rows {
		d.row[i] = true
	}
	s.src, s.standIns = d, d
	for _, i := range rows {
		s.rescan(i)
	}
}
