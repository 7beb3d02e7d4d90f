// Package gen generates score matrices for tests, benchmarks and the scipy
// comparison, in the instance families that real cohorts resemble.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Families lists the instance families, in the order benchmarks use.
var Families = []string{"uniform", "popular", "ties", "slack"}

// Instance is a generated problem.
type Instance struct {
	N, M     int
	Scores   []float32 // N*M, row-major, NaN = forbidden
	Capacity []int
}

// New generates an instance of the named family with n mentees, m mentors
// and per-mentor capacity cap, deterministically from seed.
//
//   - uniform: scores uniform in [0, 1);
//   - popular: a mentor popularity (heavy-tailed) shared by every mentee
//     plus personal taste, so that many mentees want the same few mentors;
//   - ties: integer scores 0..9, so that many optima tie;
//   - slack: uniform scores with 1.5 times the seats needed.
//
// Every family forbids the pairs in the same org-chart team: mentees and
// mentors are spread over teams of about 2% of the mentors, so about 2% of
// the pairs are forbidden, in blocks as a management chain makes them.
// Capacities total n (tight) unless the family is slack; when cap*m
// differs from n the capacities are spread to reach that total.
func New(family string, n, m, cap int, seed uint64) (*Instance, error) {
	r := rand.New(rand.NewPCG(seed, 0x7a4d))
	in := &Instance{N: n, M: m, Scores: make([]float32, n*m), Capacity: make([]int, m)}
	teams := 50
	mentorTeam := make([]int, m)
	for j := range mentorTeam {
		mentorTeam[j] = r.IntN(teams)
	}
	pop := make([]float64, m)
	for j := range pop {
		pop[j] = math.Pow(r.Float64(), 3)
	}
	for i := range n {
		team := r.IntN(teams)
		row := in.Scores[i*m : (i+1)*m]
		for j := range row {
			if mentorTeam[j] == team {
				row[j] = float32(math.NaN())
				continue
			}
			switch family {
			case "uniform", "slack":
				row[j] = r.Float32()
			case "popular":
				row[j] = float32(0.7*pop[j] + 0.3*r.Float64())
			case "ties":
				row[j] = float32(r.IntN(10))
			default:
				return nil, fmt.Errorf("gen: unknown family %q", family)
			}
		}
	}
	total := n
	if family == "slack" {
		total = n * 3 / 2
	}
	if cap*m == total {
		for j := range in.Capacity {
			in.Capacity[j] = cap
		}
	} else {
		for j := range in.Capacity {
			in.Capacity[j] = total / m
		}
		for j := range total % m {
			in.Capacity[j]++
		}
	}
	return in, nil
}
