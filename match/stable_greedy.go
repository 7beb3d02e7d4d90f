package match

import (
	"math"
	"slices"
)

// stableGreedy fills res with the greedy matching: pairs taken in the one
// global order (higher score, then lower mentee, then lower mentor), each
// kept when the mentee is free and the mentor has a seat. Both sides'
// preferences agree with that order, so this is the unique stable
// matching, the one deferred acceptance finds.
//
// A heap holds every free mentee's best remaining pair; popping gives the
// next pair in global order, and a mentee whose mentor is full moves down
// its list. Mentors never reopen, so when a list runs out the mentee's row
// is read again for its next mentors among the open ones only: the open
// mentors are kept in a compacted list (so a refill skips full mentors
// without reading them) and each refill of a mentee is twice as long as
// its previous one, so that a mentee chasing popular mentors that keep
// filling up refills O(log m) times, not once per k full mentors. The loop
// allocates nothing per pair; lists beyond the first k live in one arena.
//
// It continues from the state in res.Mentor and left (free seats per
// mentor, updated): only mentees with a non-empty list take part.
func stableGreedy(src Scores, cand *candidates, left []int32, res *StableMatching, k int) {
	n, m := src.Dims()
	g := &greedy{
		src:  src,
		cand: cand,
		left: left,
		next: make([]int32, n),
		ext:  make([]int32, n),
		size: make([]int32, n),
		k:    k,
		row:  make([]float32, m),
	}
	for j, l := range left {
		if l > 0 {
			g.open = append(g.open, int32(j))
		}
	}
	h := make(pairHeap, 0, n)
	for i := range n {
		g.ext[i] = -1
		if cols, vals := cand.list(i); len(cols) > 0 && res.Mentor[i] < 0 {
			h = append(h, pairItem{vals[0], int32(i), cols[0]})
			g.next[i] = 1
		}
	}
	h.init()
	for len(h) > 0 {
		top := h[0]
		res.Proposals++
		if g.left[top.j] > 0 {
			g.left[top.j]--
			if g.left[top.j] == 0 {
				g.stale++
			}
			res.Mentor[top.i] = int(top.j)
			res.Matched++
			res.Score += float64(top.v)
			h.pop()
			continue
		}
		// Mentor full: move to the mentee's next mentor with a seat.
		if v, j, ok := g.advance(int(top.i)); ok {
			h[0] = pairItem{v, top.i, j}
			h.down(0)
		} else {
			h.pop()
		}
	}
	res.Refills += g.refills
}

// greedy is the state of stableGreedy.
type greedy struct {
	src     Scores
	cand    *candidates
	left    []int32 // free seats per mentor
	open    []int32 // mentors with a seat, and stale ones filled since
	stale   int     // filled mentors still in open
	next    []int32 // per mentee: position in its current list
	ext     []int32 // per mentee: start of its list in the arena, -1 for cand's
	size    []int32 // per mentee: length of its arena list
	k       int
	row     []float32
	buf     []pairItem // refill scratch
	arenaV  []float32
	arenaJ  []int32
	refills int
}

// list returns mentee i's current list.
func (g *greedy) list(i int) ([]int32, []float32) {
	if e := g.ext[i]; e >= 0 {
		s := g.size[i]
		return g.arenaJ[e : e+s], g.arenaV[e : e+s]
	}
	return g.cand.list(i)
}

// advance returns mentee i's next pair with an open mentor, refilling its
// list from its row when the list runs out; ok is false when no open
// mentor is acceptable to it.
func (g *greedy) advance(i int) (float32, int32, bool) {
	for {
		cols, vals := g.list(i)
		t := int(g.next[i])
		for t < len(cols) && g.left[cols[t]] == 0 {
			t++
		}
		if t < len(cols) {
			g.next[i] = int32(t + 1)
			return vals[t], cols[t], true
		}
		g.next[i] = int32(t)
		if g.cand.thr[i] == math.Inf(-1) || !g.refill(i) {
			return 0, 0, false
		}
	}
}

// refill replaces mentee i's list by its best open mentors in the global
// order, twice as many as its previous list held, and sets thr to tell
// whether more open mentors remain. It returns false when none is left.
func (g *greedy) refill(i int) bool {
	g.refills++
	if g.stale > len(g.open)/4 {
		w := 0
		for _, j := range g.open {
			if g.left[j] > 0 {
				g.open[w] = j
				w++
			}
		}
		g.open, g.stale = g.open[:w], 0
	}
	want := g.k
	if g.ext[i] >= 0 {
		want = int(g.size[i])
	}
	want = min(want*stableGrow/2, stableMaxList)
	// One pass over the open mentors keeps the pairs before a threshold in
	// a buffer; when it fills, the best want+1 are selected and the
	// threshold rises to the worst of them. Most pairs cost one test.
	row := g.src.Row(i, g.row)
	b := g.buf[:0]
	full := 4 * (want + 1)
	if cap(b) < full {
		b = make([]pairItem, 0, full)
	}
	tv, tj := float32(math.Inf(-1)), int32(math.MaxInt32)
	for _, j := range g.open {
		v := row[j]
		if !(v > tv || v == tv && j < tj) || g.left[j] == 0 {
			continue // also skips NaN
		}
		b = append(b, pairItem{v, int32(i), j})
		if len(b) == full {
			selectBest(b, want+1)
			b = b[:want+1]
			w := b[0]
			for _, p := range b[1:] {
				if rowBefore(w, p) {
					w = p
				}
			}
			tv, tj = w.v, w.j
		}
	}
	g.buf = b
	if len(b) == 0 {
		return false
	}
	if len(b) > want+1 {
		selectBest(b, want+1)
		b = b[:want+1]
	}
	slices.SortFunc(b, func(x, y pairItem) int {
		if x.v != y.v {
			if x.v > y.v {
				return -1
			}
			return 1
		}
		return int(x.j - y.j)
	})
	cnt := min(len(b), want)
	g.ext[i], g.size[i], g.next[i] = int32(len(g.arenaJ)), int32(cnt), 0
	for _, p := range b[:cnt] {
		g.arenaJ = append(g.arenaJ, p.j)
		g.arenaV = append(g.arenaV, p.v)
	}
	g.cand.thr[i] = math.Inf(-1)
	if len(b) > want {
		g.cand.thr[i] = float64(b[want].v) // more open mentors remain
	}
	return true
}

// Refill growth (in halves) and cap of the list length.
var stableGrow, stableMaxList = 3, 1 << 20

// rowBefore reports whether pair x comes before pair y of the same mentee
// in the global order.
func rowBefore(x, y pairItem) bool {
	return x.v > y.v || x.v == y.v && x.j < y.j
}

// selectBest reorders b (one mentee's pairs, distinct mentors) so that its
// first c entries are its best c, in any order: quickselect with a
// median-of-three pivot.
func selectBest(b []pairItem, c int) {
	lo, hi := 0, len(b) // the cut lies in [lo, hi)
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		// Median of three to b[mid].
		if rowBefore(b[mid], b[lo]) {
			b[mid], b[lo] = b[lo], b[mid]
		}
		if rowBefore(b[hi-1], b[mid]) {
			b[hi-1], b[mid] = b[mid], b[hi-1]
			if rowBefore(b[mid], b[lo]) {
				b[mid], b[lo] = b[lo], b[mid]
			}
		}
		p := b[mid]
		b[mid], b[hi-1] = b[hi-1], b[mid]
		w := lo
		for x := lo; x < hi-1; x++ {
			if rowBefore(b[x], p) {
				b[x], b[w] = b[w], b[x]
				w++
			}
		}
		b[w], b[hi-1] = b[hi-1], b[w]
		// b[lo:w] before p, b[w] = p, b[w+1:hi] after.
		switch {
		case w == c || w+1 == c:
			return
		case w > c:
			hi = w
		default:
			lo = w + 1
		}
	}
	// Small range: insertion sort settles it.
	for x := lo + 1; x < hi; x++ {
		for y := x; y > lo && rowBefore(b[y], b[y-1]); y-- {
			b[y], b[y-1] = b[y-1], b[y]
		}
	}
}
