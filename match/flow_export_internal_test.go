package match

// SetBatchTrace lets external tests watch batchAugment's rounds.
func SetBatchTrace(f func(free, settled, sinks, trees int, radius float64, rescans int)) {
	batchTrace = f
}

// SetBatchReach sets the search bound of batchAugment's rounds.
func SetBatchReach(f, slack float64) { batchReach, batchSlack = f, slack }

// SetWarmEps sets the relative ε of the warm-start auction.
func SetWarmEps(e, f float64) { warmEps, warmEps0 = e, f }

// SetWarmCols turns warmPrices on or off.
func SetWarmCols(on bool) { warmCols = on }

// SetTightBid turns the whole-gap bidding of tight problems on or off.
func SetTightBid(on bool) { tightBid = on }

// SetBidBudget sets the bidding phase's evictions per mentee.
func SetBidBudget(b int) { bidBudget = b }
