package match

import (
	"math/rand/v2"
	"os"
	"strconv"
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
	keys := newScanBuf(24)
	b.SetBytes(int64(len(data) * 4))
	for b.Loop() {
		for i := range n {
			c.scanZero(i, data[i*m:(i+1)*m], keys)
		}
	}
}

var sink float32

func BenchmarkSumOnly(b *testing.B) {
	n, m := 2000, 2000
	data := make([]float32, n*m)
	for t := range data {
		data[t] = float32(t % 1000)
	}
	b.SetBytes(int64(len(data) * 4))
	for b.Loop() {
		var s float32
		for _, a := range data {
			if a < s {
				s = a
			}
		}
		sink = s
	}
}

func init() {
	if v := os.Getenv("EPSF"); v != "" {
		auctionEpsFactor, _ = strconv.ParseFloat(v, 64)
	}
}

func init() {
	if v := os.Getenv("KCAND"); v != "" {
		defaultK, _ = strconv.Atoi(v)
	}
}
