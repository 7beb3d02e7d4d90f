package match

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// defaultWorkers returns the number of goroutines to use when the caller
// did not say: one per available CPU.
func defaultWorkers(w int) int {
	if w > 0 {
		return w
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// parallelRows calls fn on consecutive chunks of the rows [0, n) from
// workers goroutines. Chunks are handed out dynamically so that uneven rows
// (profile rows differ in cost) still balance. fn receives its worker
// number, so it can keep per-worker scratch space without locking.
func parallelRows(n, workers int, fn func(worker, from, to int)) {
	const chunk = 128
	if workers <= 1 || n <= chunk {
		fn(0, 0, n)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= n {
					return
				}
				fn(w, from, min(n, from+chunk))
			}
		}()
	}
	wg.Wait()
}

// perWorker holds one value per worker of parallelRows, made on the
// worker's first chunk, so that scratch space is allocated once per worker
// rather than once per chunk of rows.
type perWorker[T any] struct {
	vals []T
	made []bool
	mk   func() T
}

func newPerWorker[T any](workers int, mk func() T) *perWorker[T] {
	workers = max(1, workers)
	return &perWorker[T]{vals: make([]T, workers), made: make([]bool, workers), mk: mk}
}

// get returns worker w's value; only worker w may call it.
func (p *perWorker[T]) get(w int) T {
	if !p.made[w] {
		p.vals[w], p.made[w] = p.mk(), true
	}
	return p.vals[w]
}
