package match_test

import (
	"testing"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

// BenchmarkStableCPU is BenchmarkStable with the process CPU time and the
// refill count reported, steadier figures than wall time on a shared
// machine (the benchmark itself is unchanged: preferences included).
func BenchmarkStableCPU(b *testing.B) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			var s *match.StableMatching
			c := startCPU()
			for b.Loop() {
				var err error
				if s, err = match.Stable(a, capacity, match.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.since().Microseconds())/1000/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(s.Build.Microseconds())/1000, "build-ms")
			b.ReportMetric(float64(s.Propose.Microseconds())/1000, "greedy-ms")
			b.ReportMetric(float64(s.Refills), "refills")
			b.ReportMetric(float64(s.Rounds), "rounds")
			b.ReportMetric(float64(s.Pooled), "pooled")
		})
	}
}

// BenchmarkStableDA is the in-process baseline: mentee-proposing deferred
// acceptance on the same instances (same matching, preferences included).
func BenchmarkStableDA(b *testing.B) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			c := startCPU()
			for b.Loop() {
				match.StableDA(a, capacity, 24)
			}
			b.ReportMetric(float64(c.since().Microseconds())/1000/float64(b.N), "cpu-ms")
		})
	}
}

// BenchmarkStableHeap is the previous Stable (top-k lists, heap greedy
// with refills), the in-process baseline of the pool rounds.
func BenchmarkStableHeap(b *testing.B) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			var s *match.StableMatching
			c := startCPU()
			for b.Loop() {
				s = match.StableHeap(a, capacity, 24)
			}
			b.ReportMetric(float64(c.since().Microseconds())/1000/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(s.Refills), "refills")
		})
	}
}
