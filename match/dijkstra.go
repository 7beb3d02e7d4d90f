package match

import "math"

// dijkstra is the scratch space of the shortest augmenting path search,
// kept between searches so that a search allocates nothing. Entries are
// valid only when their mark equals the current epoch, which saves clearing
// arrays of size m before every search.
type dijkstra struct {
	epoch   uint32
	mark    []uint32  // per mentor: epoch in which dist was set
	done    []uint32  // per mentor: epoch in which it was settled
	dist    []float64 // per mentor: tentative distance
	pred    []int32   // per mentor: mentee whose edge set dist
	predA   []float32 // per mentor: score of that edge
	rowDist []float64 // per mentee: distance at which it was reached
	rowU    []float64 // per mentee: its dual when reached
	settled []int32
	heap    minHeap
	root    []int32  // per mentee: source of its search tree (batchAugment)
	rootHit []uint32 // per mentee: epoch in which its tree reached a sink
	sinks   []int32
	rowEp   []uint32 // per mentee: epoch in which it was reached
	rowVis  []uint32 // per mentee: visit mark of batchDFS
	vis     uint32
}

func (d *dijkstra) init(n, m int) {
	d.mark = make([]uint32, m)
	d.done = make([]uint32, m)
	d.dist = make([]float64, m)
	d.pred = make([]int32, m)
	d.predA = make([]float32, m)
	d.rowDist = make([]float64, n)
	d.rowU = make([]float64, n)
}

// augment adds free mentee i0 to the assignment along a shortest
// augmenting path in reduced costs, or leaves it (or, if that is cheaper,
// another mentee) unmatched, and updates the prices so that dual
// feasibility and complementary slackness keep holding.
//
// Nodes are mentors; from a full mentor the path continues through any of
// its mentees at no cost (their edges are tight), and from mentee r to
// mentor l it costs u[r] - (a[r][l] - p[l]) >= 0. Ending at a mentor with a
// free seat completes the path; ending "unmatched" from mentee r costs
// u[r] + bonus. Each reached mentee relaxes only its listed mentors at
// first; a heap entry keyed by the list bound (distance + u - thr) stands
// for all the others and triggers a full row scan only if the search gets
// that far.
func (s *solver) augment(i0 int) {
	s.stats.Augmentations++
	d := &s.dij
	d.epoch++
	d.settled = d.settled[:0]
	d.heap = d.heap[:0]
	ep := d.epoch

	_, u0, _ := s.best(i0)
	dummyD, dummyRow := math.Inf(1), -1
	reach := func(r int, dr, ur float64) {
		if x := dr + ur + s.bonus; x < dummyD {
			dummyD, dummyRow = x, r
		}
		s.reachRow(r, dr, ur, ep)
	}
	reach(i0, 0, u0)

	end, dEnd := -1, 0.0
	for {
		l, key, ok := s.settleNext(ep, dummyD)
		if !ok {
			break
		}
		if s.load[l] < s.cap[l] {
			end, dEnd = l, key
			break
		}
		base := int(s.colStart[l])
		for k := range int(s.cap[l]) {
			r := int(s.seats[base+k])
			reach(r, key, s.rowA[r]-s.p[l])
		}
	}
	if end < 0 {
		dEnd = dummyD
	}

	// Dual update: raise the price of every settled mentor by how much
	// shorter its distance was than the path's. Mentee duals follow, since
	// they are derived from their mentor's price.
	for _, l := range d.settled {
		if dl := d.dist[l]; dl < dEnd {
			s.p[l] += dEnd - dl
		}
	}

	// Walk the path back, moving each mentee into the seat the next one
	// left (or the new seat at the end).
	var c, seat, r int
	if end >= 0 {
		c, seat = end, int(s.load[end])
		s.load[end]++
	} else {
		if dummyRow == i0 {
			return // i0 stays unmatched, u = -bonus
		}
		c, seat = int(s.rowCol[dummyRow]), int(s.rowSeat[dummyRow])
		s.rowCol[dummyRow] = -1
	}
	for {
		r = int(d.pred[c])
		oc, os := int(s.rowCol[r]), int(s.rowSeat[r])
		s.seat(r, c, seat, float64(d.predA[c]))
		if r == i0 {
			return
		}
		c, seat = oc, os
	}
}

// reachRow records that mentee r is reached at distance dr with dual ur in
// search ep, and relaxes its listed mentors; a heap entry keyed by its list
// bound stands for all the others (relaxRescan, if the search gets there).
func (s *solver) reachRow(r int, dr, ur float64, ep uint32) {
	d := &s.dij
	d.rowDist[r], d.rowU[r] = dr, ur
	cols, vals := s.cand.list(r)
	for t, l := range cols {
		if d.done[l] == ep {
			continue
		}
		nd := dr + ur - (float64(vals[t]) - s.p[l])
		if d.mark[l] != ep || nd < d.dist[l] {
			d.mark[l], d.dist[l], d.pred[l], d.predA[l] = ep, nd, int32(r), vals[t]
			d.heap.push(nd, l)
		}
	}
	if t := s.cand.thr[r]; t > math.Inf(-1) {
		d.heap.push(dr+ur-t, int32(s.m+r))
	}
}

// relaxRescan handles the heap entry of mentee r's list bound: the search
// got that far, so the row is read again and every mentor relaxed.
func (s *solver) relaxRescan(r int, ep uint32) {
	d := &s.dij
	dr, ur := d.rowDist[r], d.rowU[r]
	for l, a := range s.rescan(r) {
		if a != a || d.done[l] == ep {
			continue
		}
		nd := dr + ur - (float64(a) - s.p[l])
		if d.mark[l] != ep || nd < d.dist[l] {
			d.mark[l], d.dist[l], d.pred[l], d.predA[l] = ep, nd, int32(r), a
			d.heap.push(nd, int32(l))
		}
	}
}

// settleNext pops the search's heap until it settles a mentor, rescanning
// rows whose list bound comes up and skipping stale entries on the way. It
// returns false when the heap is empty or its next key is over limit.
func (s *solver) settleNext(ep uint32, limit float64) (int, float64, bool) {
	d := &s.dij
	for len(d.heap) > 0 {
		key, node := d.heap.pop()
		if key > limit {
			return 0, 0, false
		}
		if int(node) >= s.m {
			s.relaxRescan(int(node)-s.m, ep)
			continue
		}
		l := int(node)
		if d.done[l] == ep || key > d.dist[l] {
			continue
		}
		d.done[l] = ep
		d.settled = append(d.settled, int32(l))
		return l, key, true
	}
	return 0, 0, false
}

// minHeap is a binary heap of (key, node) pairs with lazy deletion: stale
// entries are skipped when popped.
type minHeap []heapItem

type heapItem struct {
	key  float64
	node int32
}

// less orders by key, then node: at equal keys mentors (nodes below m)
// come before the list bounds of mentees, whose rescans are costly.
func (a heapItem) less(b heapItem) bool {
	return a.key < b.key || a.key == b.key && a.node < b.node
}

func (h *minHeap) push(key float64, node int32) {
	a := append(*h, heapItem{key, node})
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].key < key || a[p].key == key && a[p].node <= node {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = heapItem{key, node}
	*h = a
}

func (h *minHeap) pop() (float64, int32) {
	a := *h
	top := a[0]
	last := a[len(a)-1]
	a = a[:len(a)-1]
	n := len(a)
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1].less(a[c]) {
			c++
		}
		if !a[c].less(last) {
			break
		}
		a[i] = a[c]
		i = c
	}
	if n > 0 {
		a[i] = last
	}
	*h = a
	return top.key, top.node
}
