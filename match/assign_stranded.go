package match

import "math"

// finishStranded completes a tight problem that batchAugment left with
// stranded mentees: free, with no augmenting path left, so that as many
// seats as there are stranded mentees stay free. The batch duals are
// feasible and tight on every matched pair, but they let a mentor with a
// free seat keep a positive price (until the end every seat was to be
// filled), while the general method and the certificate want free seats at
// price zero and stranded mentees at the "unmatched" dual. So:
//
//  1. Each free seat is moved, by a shortest path, to a mentor of the
//     lowest price and reserved there (taken out of its capacity). This is
//     the path a stand-in mentee that takes any mentor at the same score
//     would augment along: a source at every mentor at its price, arcs
//     through each mentor's mentees at their reduced costs, a free seat as
//     the sink; settled prices rise by the radius less their distance. The
//     stand-in's mentor stays a cheapest one, so after the last seat a
//     shift that makes the cheapest price zero makes every reserved seat's
//     price zero.
//  2. The bonus is raised, if need be, so that every matched mentee's dual
//     is at least -bonus (the batch never had to keep that).
//  3. The stranded mentees go through the general method's search, which
//     ends at "unmatched" (no free seat is left to reach): one of them, or
//     a matched mentee of its component if the optimum would rather leave
//     that one out, with the prices raised by the bonus as the general
//     method's duals require.
//
// The reserved seats are then free again. It returns false if a seat
// cannot be moved, which would be a bug; Assign then starts over.
func (s *solver) finishStranded(stranded []int32) bool {
	orig := append([]int32(nil), s.cap...)
	defer copy(s.cap, orig)
	for j := range s.m {
		for s.load[j] < s.cap[j] {
			if !s.moveFreeSeat(orig) {
				return false
			}
		}
	}
	lam := math.Inf(1)
	for j := range s.m {
		if orig[j] > 0 {
			lam = math.Min(lam, s.p[j])
		}
	}
	s.lowerPrices(lam)
	// The batch duals never had to respect the unmatched option (u >=
	// -bonus): every mentee was to be matched, and bidding may have priced
	// a contested mentor above what its mentees would pay to be matched at
	// all. Any bonus from Bonus(lo, hi, n, m) up gives the same optimum and
	// a valid certificate, so raise it to cover them.
	for i, j := range s.rowCol {
		if j >= 0 && s.p[j]-s.rowA[i] > s.bonus {
			s.bonus = s.p[j] - s.rowA[i]
		}
	}
	for _, i := range stranded {
		if s.rowCol[i] < 0 {
			s.augment(int(i))
		}
	}
	return true
}

// moveFreeSeat moves one free seat to a cheapest mentor along a shortest
// path and reserves it there (see finishStranded). Every mentor with seats
// (orig, the capacities before any reservation) is a source, reserved
// ones too: they must stay among the cheapest.
func (s *solver) moveFreeSeat(orig []int32) bool {
	s.stats.Augmentations++
	d := &s.dij
	d.epoch++
	ep := d.epoch
	d.settled = d.settled[:0]
	d.heap = d.heap[:0]
	lam := math.Inf(1)
	for j := range s.m {
		if orig[j] > 0 {
			lam = math.Min(lam, s.p[j])
		}
	}
	for j := range s.m {
		if orig[j] > 0 {
			d.mark[j], d.dist[j], d.pred[j] = ep, s.p[j]-lam, -1
			d.heap.push(s.p[j]-lam, int32(j))
		}
	}
	sink, radius := -1, 0.0
	for {
		l, key, ok := s.settleNext(ep, math.Inf(1))
		if !ok {
			break
		}
		if s.load[l] < s.cap[l] {
			sink, radius = l, key
			break
		}
		base := int(s.colStart[l])
		for k := range int(s.load[l]) {
			r := int(s.seats[base+k])
			s.reachRow(r, key, s.rowA[r]-s.p[l], ep)
		}
	}
	if sink < 0 {
		return false
	}
	for _, l := range d.settled {
		if dl := d.dist[l]; dl < radius {
			s.p[l] += radius - dl
		}
	}
	// Walk back from the free seat: each mentee on the path moves into the
	// seat ahead of it; the seat left at the path's first mentor (a
	// source) is the one reserved.
	c, seat := sink, int(s.load[sink])
	if d.pred[c] >= 0 {
		s.load[sink]++
		for {
			r := int(d.pred[c])
			oc, os := int(s.rowCol[r]), int(s.rowSeat[r])
			s.seat(r, c, seat, float64(d.predA[c]))
			c, seat = oc, os
			if d.pred[c] < 0 {
				break
			}
		}
		// Close the gap at the source: its last mentee takes the seat.
		base, last := int(s.colStart[c]), int(s.load[c])-1
		if seat != last {
			r := int(s.seats[base+last])
			s.seat(r, c, seat, s.rowA[r])
		}
		s.load[c]--
	}
	s.cap[c]--
	return true
}

// lowerPrices lowers every price by lam, to no less than zero, and raises
// every list bound by as much: the bounds hold for prices that only rise,
// and every unlisted a - p rose by at most lam. So a row's bound stays
// true of the current prices throughout a solve, which certifyFused
// relies on.
func (s *solver) lowerPrices(lam float64) {
	if !(lam > 0) || math.IsInf(lam, 1) {
		return
	}
	for j := range s.m {
		s.p[j] = math.Max(0, s.p[j]-lam)
	}
	for i, t := range s.cand.thr {
		if t > math.Inf(-1) {
			s.cand.thr[i] = t + lam
		}
	}
}
