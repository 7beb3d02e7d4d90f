package match

// SetBatchTrace lets external tests watch batchAugment's rounds.
func SetBatchTrace(f func(free, settled, sinks, trees int, radius float64, rescans int)) {
	batchTrace = f
}

// SetBatchReach sets the search bound of batchAugment's rounds.
func SetBatchReach(f, slack float64) { batchReach, batchSlack = f, slack }
