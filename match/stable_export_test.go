package match

// StableDA exposes deferred acceptance, the in-process baseline of the
// stable benchmarks.
func StableDA(src Scores, capacity []int, k int) *StableMatching { return stableDA(src, capacity, k) }
