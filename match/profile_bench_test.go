package match_test

import (
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tandemhq/tandem/match"
	"github.com/tandemhq/tandem/match/internal/gen"
)

var (
	peopleOnce                 sync.Once
	benchMentees, benchMentors []match.Profile
)

// people10k returns the 10,000 mentee + 2,000 mentor profiles of the
// profile benchmarks, generated once per process.
func people10k() ([]match.Profile, []match.Profile) {
	peopleOnce.Do(func() { benchMentees, benchMentors = gen.People(10000, 2000, 5, 1) })
	return benchMentees, benchMentors
}

// BenchmarkScore scores every pair of 10,000 × 2,000 profiles into a dense
// matrix (Materialize, one worker per CPU). The reference scorer (every
// pair through eval) is the in-process baseline; it scores 1,000 rows
// (one tenth) to keep the run short, so multiply its time by 10.
func BenchmarkScore(b *testing.B) {
	mentees, mentors := people10k()
	model, err := match.NewModel(mentees, mentors, match.DefaultWeights(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		c := startCPU()
		for b.Loop() {
			match.Materialize(model, 0)
		}
		b.ReportMetric(float64(c.since().Nanoseconds())/float64(b.N)/float64(len(mentees)*len(mentors)), "cpu-ns/pair")
	})
	b.Run("reference-1k", func(b *testing.B) {
		b.ReportAllocs()
		ref := &refRows{model, 1000}
		c := startCPU()
		for b.Loop() {
			match.Materialize(ref, 0)
		}
		b.ReportMetric(float64(c.since().Nanoseconds())/float64(b.N)/float64(1000*len(mentors)), "cpu-ns/pair")
	})
}

// refRows serves the first n rows of a model through the reference scorer.
type refRows struct {
	m *match.Model
	n int
}

func (r *refRows) Dims() (int, int) { _, m := r.m.Dims(); return r.n, m }
func (r *refRows) Row(i int, dst []float32) []float32 {
	return r.m.RowReference(i, dst)
}

// BenchmarkNewModel compiles 10,000 + 2,000 profiles.
func BenchmarkNewModel(b *testing.B) {
	mentees, mentors := people10k()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := match.NewModel(mentees, mentors, match.DefaultWeights(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuClock measures the CPU time (user + system) of the process, a steadier
// figure than wall time on a shared machine.
type cpuClock time.Duration

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock(cpuNow()) }

func (c cpuClock) since() time.Duration { return cpuNow() - time.Duration(c) }

// BenchmarkRunProfiles10k goes from 10,000 + 2,000 profiles to matches with
// explanations: compile the model, score every pair, solve, explain the
// matched pairs. optimal is Assign, stable is Stable; reference-scorer
// does the optimal run with every pair through the reference scorer (the
// in-process baseline, as before the fast scorer).
func BenchmarkRunProfiles10k(b *testing.B) {
	mentees, mentors := people10k()
	capacity := make([]int, len(mentors))
	for j, p := range mentors {
		capacity[j] = p.Capacity
	}
	for _, mode := range []string{"optimal", "stable", "reference-scorer"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			var score, solve, explain time.Duration
			c := startCPU()
			for b.Loop() {
				t0 := time.Now()
				model, err := match.NewModel(mentees, mentors, match.DefaultWeights(), nil)
				if err != nil {
					b.Fatal(err)
				}
				var src match.Scores = model
				if mode == "reference-scorer" {
					src = &refRows{model, len(mentees)}
				}
				a := match.Materialize(src, 0)
				t1 := time.Now()
				var mentor []int
				if mode == "stable" {
					s, err := match.Stable(a, capacity, match.Options{})
					if err != nil {
						b.Fatal(err)
					}
					mentor = s.Mentor
				} else {
					s, err := match.Assign(a, capacity, match.Options{})
					if err != nil {
						b.Fatal(err)
					}
					mentor = s.Mentor
				}
				t2 := time.Now()
				for i, j := range mentor {
					if j >= 0 {
						_ = match.Reasons(model.Explain(i, j, 3))
					}
				}
				score += t1.Sub(t0)
				solve += t2.Sub(t1)
				explain += time.Since(t2)
			}
			b.ReportMetric(float64(score.Milliseconds())/float64(b.N), "score-ms")
			b.ReportMetric(float64(solve.Milliseconds())/float64(b.N), "solve-ms")
			b.ReportMetric(float64(explain.Milliseconds())/float64(b.N), "explain-ms")
			b.ReportMetric(float64(c.since().Milliseconds())/float64(b.N), "cpu-ms")
		})
	}
}
