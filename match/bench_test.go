package match_test

import (
	"sync"
	"testing"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

var (
	benchMu    sync.Mutex
	benchCache = map[string]*gen.Instance{}
)

// benchInstance returns the 10,000 × 2,000 × capacity 5 instance of a
// family, generated once per process.
func benchInstance(b *testing.B, family string) (*match.Matrix, []int) {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	in, ok := benchCache[family]
	if !ok {
		var err error
		in, err = gen.New(family, 10000, 2000, 5, 42)
		if err != nil {
			b.Fatal(err)
		}
		benchCache[family] = in
	}
	return &match.Matrix{N: in.N, M: in.M, Data: in.Scores}, in.Capacity
}

// BenchmarkAssign solves and certifies each family at 10,000 × 2,000:
// Assign checks its own result for every condition of Certify from its
// last full read (Assignment.Certificate, certifyFused), and the benchmark
// fails without that certificate.
func BenchmarkAssign(b *testing.B) { benchAssign(b, match.MethodAuto, false) }

// BenchmarkAssignCertify is BenchmarkAssign followed by the independent
// check, match.Certify (one more parallel read of the scores).
func BenchmarkAssignCertify(b *testing.B) { benchAssign(b, match.MethodAuto, true) }

// BenchmarkAssignBaseline is the in-process baseline of BenchmarkAssign:
// the previous exact method (bidding, then one shortest-path search per
// remaining mentee), certified by match.Certify as before. Popular and
// ties take seconds per solve: run them with -benchtime 1x.
func BenchmarkAssignBaseline(b *testing.B) { benchAssign(b, match.MethodDijkstra, true) }

// BenchmarkAssignGreedy is a floor, not a solver: one parallel read of the
// matrix in which each mentee takes its best mentor with a free seat (not
// optimal, no certificate). Assign cannot beat one read of the scores.
func BenchmarkAssignGreedy(b *testing.B) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			for b.Loop() {
				greedyFloor(a, capacity)
			}
		})
	}
}

// greedyFloor gives each mentee in turn its best mentor with a free seat.
func greedyFloor(a *match.Matrix, capacity []int) []int {
	load := make([]int, a.M)
	mentor := make([]int, a.N)
	for i := range a.N {
		best, bj := float32(0), -1
		for j, v := range a.Data[i*a.M : (i+1)*a.M] {
			if v == v && load[j] < capacity[j] && (bj < 0 || v > best) {
				best, bj = v, j
			}
		}
		mentor[i] = bj
		if bj >= 0 {
			load[bj]++
		}
	}
	return mentor
}

func benchAssign(b *testing.B, method string, certify bool) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			b.ReportAllocs()
			var st match.Stats
			c := startCPU()
			for b.Loop() {
				got, err := match.Assign(a, capacity, match.Options{Method: method})
				if err != nil {
					b.Fatal(err)
				}
				if certify {
					if _, err := match.Certify(a, capacity, got, 0); err != nil {
						b.Fatal(err)
					}
				} else if got.Certificate == nil {
					b.Fatal("no certificate")
				}
				st = got.Stats
			}
			b.ReportMetric(float64(c.since().Microseconds())/1000/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(st.Candidates.Microseconds())/1000, "read-ms")
			b.ReportMetric(float64(st.Bidding.Microseconds())/1000, "bid-ms")
			b.ReportMetric(float64(st.Augment.Microseconds())/1000, "augment-ms")
			b.ReportMetric(float64(st.Certify.Microseconds())/1000, "selfcert-ms")
			b.ReportMetric(float64(st.Rescans), "rescans")
			b.ReportMetric(float64(st.Augmentations), "augmentations")
			b.ReportMetric(float64(st.Bids), "bids")
			if st.Fallback {
				b.ReportMetric(1, "fallback")
			}
		})
	}
}

// BenchmarkStable runs deferred acceptance, preferences included.
func BenchmarkStable(b *testing.B) {
	for _, family := range gen.Families {
		b.Run(family, func(b *testing.B) {
			a, capacity := benchInstance(b, family)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := match.Stable(a, capacity, match.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
