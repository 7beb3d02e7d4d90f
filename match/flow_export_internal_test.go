package match

// SetBatchTrace lets external tests watch batchAugment's rounds.
func SetBatchTrace(f func(free, settled, sinks, trees int, radius float64, rescans int)) {
	batchTrace = f
}

// SetBatchReach sets the search bound of batchAugment's rounds.
func SetBatchReach(f float64) { batchReach = f }

// SetWarmCols turns warmPrices on or off.
func SetWarmCols(on bool) { warmCols = on }

// SetBidBudget sets the bidding phase's evictions per mentee.
func SetBidBudget(b int) { bidBudget = b }

// SetAdjust sets the price adjustment passes of tight problems.
func SetAdjust(passes int, damp float64) { adjPasses, adjDamp = passes, damp }
