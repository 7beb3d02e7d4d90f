package app_test

import (
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/tandemhq/tandem"
	"github.com/tandemhq/tandem/app"
	"github.com/tandemhq/tandem/demo"
	"github.com/tandemhq/tandem/tandemtest"
)

// BenchmarkMatchProgram10k: from the database to a certified stored
// preview, 10,000 mentees and 2,000 mentors (capacity 4 or 5), 8
// questions, then the publication of the last run as proposed
// partnerships (publish-ms). Run on PostgreSQL with TANDEM_TEST_POSTGRES set. Reports the
// phases and the heap in use after the run. `tandem bench program` gives
// the same figures as medians, with the bare solve as baseline.
//
//	go test -run XXX -bench MatchProgram10k -benchtime 5x ./app/
func BenchmarkMatchProgram10k(b *testing.B) {
	for _, mode := range []tandem.MatchMode{tandem.ModeOptimal, tandem.ModeStable} {
		b.Run(string(mode), func(b *testing.B) {
			db, _ := tandemtest.MustOpenDB(b)
			a := app.New(db, &tandemtest.Mailbox{}, testLog(), "http://tandem.test")
			admin := tandemtest.MustOrg(b, db, "Big")
			id, err := demo.BigCohort(admin, a, 10000, 2000, 8)
			if err != nil {
				b.Fatal(err)
			}
			var walls, loads, scores, solves, explains, stores []time.Duration
			var peak uint64
			var last int64
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				run, err := a.MatchProgram(admin, id, mode, nil)
				if err != nil {
					b.Fatal(err)
				}
				walls = append(walls, time.Since(t0))
				loads, scores, solves = append(loads, run.Stats.Load), append(scores, run.Stats.Score), append(solves, run.Stats.Solve)
				explains, stores = append(explains, run.Stats.Explain), append(stores, run.Stats.Store)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapSys)
				last = run.ID
				if run.Matched < 8000 {
					b.Fatalf("only %d matched", run.Matched)
				}
			}
			med := func(d []time.Duration) float64 {
				sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
				return float64(d[len(d)/2].Microseconds()) / 1000
			}
			b.ReportMetric(med(walls), "median-ms")
			b.ReportMetric(med(loads), "load-ms")
			b.ReportMetric(med(scores), "score-ms")
			b.ReportMetric(med(solves), "solve-ms")
			b.ReportMetric(med(explains), "explain-ms")
			b.ReportMetric(med(stores), "store-ms")
			b.StopTimer()
			// Publish the last run once (a program publishes one run).
			t0 := time.Now()
			res, err := a.PublishRun(admin, id, last)
			if err != nil || res.Engagements < 8000 {
				b.Fatalf("publish: %v", err)
			}
			b.ReportMetric(float64(time.Since(t0).Milliseconds()), "publish-ms")
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapSys)
			b.ReportMetric(float64(peak)/(1<<20), "heap-sys-MiB")
		})
	}
}
