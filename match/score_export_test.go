package match

// RowReference exposes the reference scorer to the external benchmarks.
func (m *Model) RowReference(i int, dst []float32) []float32 { return m.rowRef(i, dst) }
