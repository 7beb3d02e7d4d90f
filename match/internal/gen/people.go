package gen

import (
	"fmt"
	"math/rand/v2"

	"github.com/tandemhq/tandem/match"
)

// People generates n mentees and m mentors with realistic profiles: a
// skewed choice of skills and interests, a few languages, time zones in
// bands, departments with managers, and one questionnaire question.
func People(n, m, cap int, seed uint64) (mentees, mentors []match.Profile) {
	r := rand.New(rand.NewPCG(seed, 0x9e37))
	skills := 200
	pick := func(k int) int { // skewed toward low ids: popular skills
		x := r.Float64()
		return int(x * x * float64(k))
	}
	person := func(kind string, i int) match.Profile {
		p := match.Profile{
			Email:      fmt.Sprintf("%s%d@example.org", kind, i),
			Department: fmt.Sprintf("dept%d", r.IntN(40)),
			Languages:  []string{"en"},
			Years:      float64(r.IntN(25)),
			TZOffset:   60 * (r.IntN(12) - 5),
			HasTZ:      true,
			Answers:    map[string][]string{"q_goal": {fmt.Sprintf("goal%d", r.IntN(6))}},
		}
		if r.IntN(5) == 0 {
			p.Languages = append(p.Languages, []string{"fr", "de", "es", "ja"}[r.IntN(4)])
		}
		if r.IntN(50) == 0 {
			p.Languages = []string{"pt"} // shares no language with most
		}
		for range 1 + r.IntN(4) {
			p.Skills = append(p.Skills, match.Skill{Name: fmt.Sprintf("skill%d", pick(skills)), Level: 1 + r.IntN(5)})
		}
		for range r.IntN(5) {
			p.Interests = append(p.Interests, fmt.Sprintf("interest%d", pick(60)))
		}
		return p
	}
	for i := range n {
		p := person("mentee", i)
		for range 1 + r.IntN(3) {
			p.Wants = append(p.Wants, match.Skill{Name: fmt.Sprintf("skill%d", pick(skills)), Level: r.IntN(6)})
		}
		mentees = append(mentees, p)
	}
	for j := range m {
		p := person("mentor", j)
		p.Capacity = cap
		mentors = append(mentors, p)
	}
	// Managers: each mentee reports to a random mentor now and then.
	for i := range mentees {
		if r.IntN(10) == 0 {
			mentees[i].ManagerEmail = mentors[r.IntN(m)].Email
		}
	}
	return mentees, mentors
}
