package match

import (
	"math"
)

// auction runs an ε-scaling forward auction (Bertsekas) on the compact
// problem: mentor j has cap[j] seats, each with its own price; a mentor's
// price p[j] is the price of its cheapest seat. A free mentee i bids for its
// best mentor j1 by a - p (value w1, "unmatched" counting as -bonus), takes
// j1's cheapest seat and raises that seat's price by w1 - w2 + ε, where w2
// is its next best choice: another mentor, or j1's second cheapest seat. The
// previous holder of the seat becomes free. Every phase keeps ε-complementary
// slackness: each matched mentee is within ε of its best choice at the
// current prices. Phases divide ε by the scaling factor and re-bid from the
// previous phase's prices, which are then nearly right, so ties and popular
// mentors cost a few bids per mentee instead of long price wars.
//
// The last ε is below the resolution the certificate needs (see
// auctionEps), so the duals returned (u[i] = a - p[mentor], p) satisfy
// every constraint of Certify up to ε. ok is false when the state cannot be
// turned into a certificate: a mentor left with a free seat at a positive
// price (possible when seats outnumber mentees and ε was scaled), or when a
// phase ran out of its bid budget. The caller then runs the exact
// successive-shortest-path method instead.
func (s *solver) auction(epsFinal float64, scaled bool) bool {
	total := int(s.colStart[s.m])
	seatP := make([]float64, total) // seat prices, each mentor's a min-heap
	seatR := make([]int32, total)   // mentee in each seat, or -1
	bigP := s.bonus + math.Max(0, s.hi) + 1
	for j := range s.m {
		if s.cap[j] == 0 {
			s.p[j] = bigP // never bid for: worth less than staying unmatched
		}
	}
	hi := s.hi - s.lo
	eps := epsFinal
	if scaled {
		eps = math.Max(hi/theta, epsFinal)
	}
	queue := make([]int32, 0, s.n)
	open := func(j int32) bool { return seatR[s.colStart[j]] < 0 }
	for {
		for t := range seatR {
			seatR[t] = -1
		}
		for i := range s.rowCol {
			s.rowCol[i] = -1
		}
		queue = queue[:0]
		for i := range s.n {
			queue = append(queue, int32(i))
		}
		budget := 64*s.n + 100000
		for h := 0; h < len(queue); h++ {
			i := int(queue[h])
			s.stats.Bids++
			if budget--; budget < 0 {
				return false
			}
			j1, w1, w2 := s.top2Loose(i, open)
			if j1 < 0 {
				continue // staying unmatched is best: u = -bonus
			}
			base, c := int(s.colStart[j1]), int(s.colStart[j1+1]-s.colStart[j1])
			a := s.scoreOf(i, j1)
			if c >= 2 {
				p2 := seatP[base+1]
				if c >= 3 {
					p2 = math.Min(p2, seatP[base+2])
				}
				w2 = math.Max(w2, a-p2)
			}
			out := seatR[base]
			np := seatP[base] + (w1 - w2) + eps
			// Sift the new price down the mentor's seat heap.
			hp, hr := seatP[base:base+c], seatR[base:base+c]
			x := 0
			for {
				y := 2*x + 1
				if y >= c {
					break
				}
				if y+1 < c && hp[y+1] < hp[y] {
					y++
				}
				if hp[y] >= np {
					break
				}
				hp[x], hr[x] = hp[y], hr[y]
				if hr[x] >= 0 {
					s.rowSeat[hr[x]] = int32(x)
				}
				x = y
			}
			hp[x], hr[x] = np, int32(i)
			s.rowCol[i], s.rowSeat[i], s.rowA[i] = int32(j1), int32(x), a
			s.p[j1] = hp[0]
			if out >= 0 {
				s.rowCol[out] = -1
				queue = append(queue, out)
			}
		}
		if auctionTrace != nil {
			auctionTrace(eps, s.stats.Bids, s.stats.Rescans)
		}
		if eps <= epsFinal {
			break
		}
		eps = math.Max(eps/theta, epsFinal)
	}
	// Turn the seats into the compact state: a mentor's price is its
	// cheapest seat's, its mentees fill seats 0..load-1.
	for j := range s.m {
		base, c := int(s.colStart[j]), int(s.cap[j])
		l := 0
		for k := range c {
			if r := seatR[base+k]; r >= 0 {
				s.seats[base+l] = r
				s.rowSeat[r] = int32(l)
				l++
			}
		}
		s.load[j] = int32(l)
		if l < s.capOrig[j] && s.p[j] > 0 {
			return false // a free seat at a positive price
		}
	}
	return true
}

// theta is the factor by which the auction divides ε between phases.
const theta = 16

// top2Loose returns row i's best mentor by a - p and its value w1, and an
// upper bound w2 on the value of every other choice. Only the best must be
// proven: the list's best is exact when no unlisted mentor can beat it
// (thr <= w1), otherwise the row is rescanned. Bidding with an upper bound
// on the second best raises the price less, which keeps ε-complementary
// slackness, and saves the rescans that a proven second best would need
// on rows with many near-equal mentors.
func (s *solver) top2Loose(i int, open func(j int32) bool) (j1 int, w1, w2 float64) {
	for pass := 0; ; pass++ {
		cols, vals := s.cand.list(i)
		j1 = -1
		w1, w2 = -s.bonus, math.Inf(-1)
		j1open := false
		for t, j := range cols {
			v := float64(vals[t]) - s.p[j]
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
		thr := s.cand.thr[i]
		if thr <= w1 || pass > 0 {
			return j1, w1, max(w2, thr)
		}
		s.rescan(i)
	}
}

// auctionTrace, when set (by tests), is called after every phase.
var auctionTrace func(eps float64, bids, rescans int)
