package match

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkScanZero(b *testing.B) {
	n, m := 2000, 2000
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n*m)
	for t := range data {
		data[t] = r.Float32()
	}
	c := newCandidates(n, 24)
	keys := make([]float32, 24)
	b.SetBytes(int64(len(data) * 4))
	for b.Loop() {
		for i := range n {
			c.scanZero(i, data[i*m:(i+1)*m], keys)
		}
	}
}
