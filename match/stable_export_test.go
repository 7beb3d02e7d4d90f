package match

// StableDA exposes deferred acceptance, the in-process baseline of the
// stable benchmarks.
func StableDA(src Scores, capacity []int, k int) *StableMatching { return stableDA(src, capacity, k) }

// StableHeap is the previous Stable, kept as an in-process baseline: one
// parallel read for every mentee's top-k list, then the heap greedy with
// refills, no pool rounds.
func StableHeap(src Scores, capacity []int, k int) *StableMatching {
	n, m := src.Dims()
	res := &StableMatching{Mentor: make([]int, n)}
	left := make([]int32, m)
	for j, c := range capacity {
		left[j] = int32(min(c, n))
	}
	for i := range res.Mentor {
		res.Mentor[i] = -1
	}
	cand := newCandidates(n, k)
	parallelRows(n, defaultWorkers(0), func(_, from, to int) {
		buf := make([]float32, m)
		sb := newScanBuf(k)
		for i := from; i < to; i++ {
			cand.scanZero(i, src.Row(i, buf), sb)
		}
	})
	stableGreedy(src, cand, left, res, k)
	return res
}
