package match

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// StableMatching is the result of Stable.
type StableMatching struct {
	// Mentor holds, for each mentee, the index of its mentor or -1.
	Mentor []int
	// Matched is the number of matched mentees.
	Matched int
	// Score is the sum of the scores of the matched pairs.
	Score float64
	// Proposals counts the proposals made.
	Proposals int
	// Refills counts the rows read again by the heap greedy (after the
	// rounds, if they did not finish).
	Refills int
	// Rounds counts the rounds over pools of pairs above a threshold, and
	// Pooled the pairs they collected in all.
	Rounds, Pooled int
	// Build is the time spent in the pool rounds and reading the heap
	// greedy's lists; Propose the time spent in the heap greedy.
	Build   time.Duration
	Propose time.Duration
}

// Preferences are derived from the scores, with deterministic tie-breaks:
// a mentee prefers a higher score, then the mentor with the lower index; a
// mentor prefers a higher score, then the mentee with the lower index.
// Forbidden pairs are unacceptable to both sides.
//
// prefers reports whether mentee a (score sa) ranks above mentee b (score
// sb) for a mentor.
func prefers(sa float32, a int32, sb float32, b int32) bool {
	return sa > sb || sa == sb && a < b
}

// Stable computes the mentee-optimal stable matching with capacities: no
// mentee and mentor both prefer each other to what they got (a mentor with
// a free seat prefers any acceptable mentee to the empty seat), the result
// mentee-proposing deferred acceptance (Gale and Shapley) gives.
//
// When both sides rank by the same scores, as here, the stable matching is
// unique: it is what a greedy pass over all pairs in the global order
// (score desc, mentee asc, mentor asc) gives, and that is what Stable runs.
// On a matrix in memory it runs it in rounds over pools of pairs
// (stable_pool.go); on rows computed from profiles, and for whatever the
// rounds leave, with a heap of each free mentee's best remaining pair from
// lists of its best Options.Candidates mentors (stable_greedy.go), rows
// read again only when a list runs out.
func Stable(src Scores, capacity []int, opt Options) (*StableMatching, error) {
	n, m := src.Dims()
	if len(capacity) != m {
		return nil, fmt.Errorf("%w: %d capacities for %d mentors", ErrCapacity, len(capacity), m)
	}
	for j, c := range capacity {
		if c < 0 {
			return nil, fmt.Errorf("%w: mentor %d has capacity %d", ErrCapacity, j, c)
		}
	}
	if opt.Candidates <= 0 {
		opt.Candidates = 24
	}
	k := max(1, min(opt.Candidates, m))
	workers := defaultWorkers(opt.Workers)
	res := &StableMatching{Mentor: make([]int, n)}

	start := time.Now()
	left := make([]int32, m)
	for j, c := range capacity {
		left[j] = int32(min(c, n))
	}
	for i := range res.Mentor {
		res.Mentor[i] = -1
	}
	// The rounds read a free mentee's row again in every round it stays
	// free: cheap for a matrix in memory, where they beat the heap greedy,
	// but rows computed from profiles cost a scoring pass each, so those
	// are read once, for the heap greedy's lists.
	rest := make([]int32, n)
	for i := range rest {
		rest[i] = int32(i)
	}
	if _, dense := src.(*Matrix); dense {
		rest = stableRounds(src, left, res, workers)
	}
	res.Build = time.Since(start)
	if len(rest) == 0 {
		return res, nil
	}

	// The rest by the heap greedy: lists of the open mentors only.
	start = time.Now()
	cand := newCandidates(n, k)
	for i := range cand.thr {
		cand.thr[i] = math.Inf(-1)
	}
	type scratch struct {
		buf, masked []float32
		sb          *scanBuf
	}
	scratches := newPerWorker(workers, func() scratch {
		return scratch{make([]float32, m), make([]float32, m), newScanBuf(k)}
	})
	parallelRows(len(rest), workers, func(w, from, to int) {
		sc := scratches.get(w)
		buf, masked, sb := sc.buf, sc.masked, sc.sb
		for _, i := range rest[from:to] {
			row := src.Row(int(i), buf)
			for j, v := range row {
				if left[j] == 0 {
					v = Forbidden
				}
				masked[j] = v
			}
			cand.scanZero(int(i), masked, sb)
		}
	})
	res.Build += time.Since(start)
	start = time.Now()
	stableGreedy(src, cand, left, res, k)
	res.Propose = time.Since(start)
	return res, nil
}

// pairItem is a free mentee's best remaining pair.
type pairItem struct {
	v    float32
	i, j int32
}

// pairHeap is a max-heap of pairs in the global greedy order.
type pairHeap []pairItem

func (h pairHeap) before(a, b int) bool {
	x, y := h[a], h[b]
	if x.v != y.v {
		return x.v > y.v
	}
	if x.i != y.i {
		return x.i < y.i
	}
	return x.j < y.j
}

func (h pairHeap) init() {
	for x := len(h)/2 - 1; x >= 0; x-- {
		h.down(x)
	}
}

func (h pairHeap) down(x int) {
	n := len(h)
	for {
		c := 2*x + 1
		if c >= n {
			return
		}
		if c+1 < n && h.before(c+1, c) {
			c++
		}
		if !h.before(c, x) {
			return
		}
		h[x], h[c] = h[c], h[x]
		x = c
	}
}

func (h *pairHeap) pop() {
	a := *h
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	a.down(0)
	*h = a
}

// stableDA is mentee-proposing deferred acceptance with capacities, kept
// to cross-check stableGreedy in tests; it works for any preferences but
// is slower when many mentees want the same mentors.
func stableDA(src Scores, capacity []int, k int) *StableMatching {
	n, m := src.Dims()
	res := &StableMatching{Mentor: make([]int, n)}
	cand := newCandidates(n, k)
	sb := newScanBuf(k)
	buf := make([]float32, m)
	for i := range n {
		cand.scanZero(i, src.Row(i, buf), sb)
	}
	colStart := make([]int32, m+1)
	total := 0
	for j, c := range capacity {
		colStart[j] = int32(total)
		total += min(c, n)
	}
	colStart[m] = int32(total)
	heldRow := make([]int32, total) // each mentor's heap of mentees
	heldVal := make([]float32, total)
	load := make([]int32, m)
	next := make([]int32, n)       // next position in the mentee's list
	more := make([][]prefEntry, n) // the rest of the list, once needed
	rowBuf := make([]float32, m)

	free := make([]int32, 0, n)
	for i := n - 1; i >= 0; i-- {
		free = append(free, int32(i))
	}
	for len(free) > 0 {
		i := free[len(free)-1]
		free = free[:len(free)-1]
		for {
			j, v, ok := nextChoice(src, cand, more, next, int(i), rowBuf)
			if !ok {
				break // i has proposed to every acceptable mentor
			}
			res.Proposals++
			base, c := int(colStart[j]), int(colStart[j+1]-colStart[j])
			h := mentorHeap{row: heldRow[base : base+c], val: heldVal[base : base+c]}
			if l := int(load[j]); l < c {
				h.push(l, i, v)
				load[j]++
				break
			}
			if c == 0 || !prefers(v, i, h.val[0], h.row[0]) {
				continue // rejected: propose to the next mentor
			}
			out := h.row[0]
			h.replaceTop(i, v)
			i = out // the rejected mentee proposes next
		}
	}
	for i := range res.Mentor {
		res.Mentor[i] = -1
	}
	for j := range m {
		for t := colStart[j]; t < colStart[j]+load[j]; t++ {
			res.Mentor[heldRow[t]] = j
			res.Matched++
			res.Score += float64(heldVal[t])
		}
	}
	return res
}

// prefEntry is one mentor in a mentee's sorted preference list.
type prefEntry struct {
	val float32
	col int32
}

// nextChoice returns the next mentor on mentee i's preference list and
// advances past it. The first part of the list is the candidate list; the
// rest is built, sorted, the first time the candidate list runs out.
func nextChoice(src Scores, cand *candidates, more [][]prefEntry, next []int32, i int, buf []float32) (int, float32, bool) {
	cols, vals := cand.list(i)
	t := int(next[i])
	next[i]++
	if t < len(cols) {
		return int(cols[t]), vals[t], true
	}
	if t == len(cols) && more[i] == nil && cand.thr[i] > math.Inf(-1) {
		// Everything not on the list comes after its last entry in
		// preference order: collect it and sort.
		lastV, lastJ := vals[len(vals)-1], cols[len(cols)-1]
		var rest []prefEntry
		for j, v := range src.Row(i, buf) {
			if v != v {
				continue
			}
			if v < lastV || v == lastV && int32(j) > lastJ {
				rest = append(rest, prefEntry{v, int32(j)})
			}
		}
		slices.SortFunc(rest, func(a, b prefEntry) int {
			if a.val != b.val {
				if a.val > b.val {
					return -1
				}
				return 1
			}
			return int(a.col - b.col)
		})
		more[i] = rest
	}
	t -= len(cols)
	if t < len(more[i]) {
		e := more[i][t]
		return int(e.col), e.val, true
	}
	return 0, 0, false
}

// mentorHeap is a mentor's accepted mentees, the least preferred on top.
type mentorHeap struct {
	row []int32
	val []float32
}

// worse reports whether the mentee in slot a is less preferred than the
// one in slot b.
func (h mentorHeap) worse(a, b int) bool {
	return prefers(h.val[b], h.row[b], h.val[a], h.row[a])
}

func (h mentorHeap) swap(a, b int) {
	h.row[a], h.row[b] = h.row[b], h.row[a]
	h.val[a], h.val[b] = h.val[b], h.val[a]
}

// push adds a mentee into slot l (the heap holds l mentees before).
func (h mentorHeap) push(l int, i int32, v float32) {
	h.row[l], h.val[l] = i, v
	for l > 0 {
		p := (l - 1) / 2
		if !h.worse(l, p) {
			break
		}
		h.swap(l, p)
		l = p
	}
}

// replaceTop replaces the least preferred mentee of a full heap.
func (h mentorHeap) replaceTop(i int32, v float32) {
	h.row[0], h.val[0] = i, v
	n := len(h.row)
	for l := 0; ; {
		c := 2*l + 1
		if c >= n {
			return
		}
		if c+1 < n && h.worse(c+1, c) {
			c++
		}
		if !h.worse(c, l) {
			return
		}
		h.swap(l, c)
		l = c
	}
}

// BlockingPair searches a matching for a blocking pair: an allowed
// mentee-mentor pair who both prefer each other to what they have, with the
// preferences Stable uses. It returns ok = false when the matching is
// stable. It reads every score once.
func BlockingPair(src Scores, capacity []int, mentor []int) (i, j int, ok bool) {
	n, m := src.Dims()
	buf := make([]float32, m)
	load := make([]int, m)
	worstV := make([]float32, m)
	worstI := make([]int32, m)
	cur := make([]float32, n)
	for i, j := range mentor {
		if j < 0 {
			continue
		}
		v := src.Row(i, buf)[j]
		cur[i] = v
		if load[j] == 0 || prefers(worstV[j], worstI[j], v, int32(i)) {
			worstV[j], worstI[j] = v, int32(i)
		}
		load[j]++
	}
	for i := range n {
		for j, v := range src.Row(i, buf) {
			if v != v || j == mentor[i] || capacity[j] == 0 {
				continue
			}
			// Does mentee i prefer j to its mentor?
			if mj := mentor[i]; mj >= 0 && !(v > cur[i] || v == cur[i] && j < mj) {
				continue
			}
			// Does mentor j prefer i to its least preferred mentee?
			if load[j] < capacity[j] || prefers(v, int32(i), worstV[j], worstI[j]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}
