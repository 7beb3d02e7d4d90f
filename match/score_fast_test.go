package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randomProfiles builds people with every feature the model reads, drawn
// from small vocabularies (so pairs share things) or, with wide, from
// large ones (so bit sets span several words).
//
// questions is how many questionnaire columns there are (at most 3);
// fineYears draws years from a continuum (many distinct values).
func randomProfiles(r *rand.Rand, n, m int, wide bool, questions int, fineYears bool) (mentees, mentors []Profile) {
	voc := 8
	if wide {
		voc = 150
	}
	word := func(kind string) string {
		if r.IntN(8) == 0 {
			return fmt.Sprintf(" %s%d ", kind, r.IntN(voc)) // spaces and case must not matter
		}
		return fmt.Sprintf("%s%d", kind, r.IntN(voc))
	}
	words := func(kind string, max int) []string {
		var out []string
		for range r.IntN(max + 1) {
			out = append(out, word(kind))
		}
		return out
	}
	skills := func(max int) []Skill {
		var out []Skill
		for range r.IntN(max + 1) {
			out = append(out, Skill{Name: fmt.Sprintf("Skill%d", r.IntN(voc)), Level: r.IntN(6)})
		}
		return out
	}
	person := func(kind string, i int) Profile {
		p := Profile{
			Email:     fmt.Sprintf("%s%d@x", kind, i),
			Languages: words("lang", 2),
			Skills:    skills(4),
			Interests: words("int", 5),
			Years:     float64(r.IntN(30)) - 3,
			TZOffset:  30 * (r.IntN(56) - 24),
			HasTZ:     r.IntN(5) > 0,
			Answers:   map[string][]string{},
		}
		if fineYears && p.Years >= 0 {
			p.Years += r.Float64()
		}
		if r.IntN(4) > 0 {
			p.Department = fmt.Sprintf("D%d", r.IntN(4))
		}
		for _, q := range []string{"q_a", "q_b", "q_c"}[:questions] {
			if a := words("ans", 3); len(a) > 0 {
				p.Answers[q] = a
			}
		}
		return p
	}
	for i := range n {
		p := person("mentee", i)
		p.Wants = skills(5) // more than 3 wanted skills takes the per-skill passes
		mentees = append(mentees, p)
	}
	for j := range m {
		p := person("mentor", j)
		p.Capacity = 1 + r.IntN(3)
		mentors = append(mentors, p)
	}
	if wide {
		// One mentor answers a question many times: the row divides
		// instead of using its table.
		for x := range maxQTab + 5 {
			mentors[0].Answers["q_c"] = append(mentors[0].Answers["q_c"], fmt.Sprintf("many%d", x))
		}
		mentors[0].Answers["q_c"] = append(mentors[0].Answers["q_c"], "ans1", "ans2")
	}
	for i := range mentees {
		if r.IntN(3) == 0 {
			mentees[i].ManagerEmail = mentors[r.IntN(m)].Email
		}
	}
	for j := range mentors {
		if r.IntN(3) == 0 {
			mentors[j].ManagerEmail = mentors[r.IntN(m)].Email
		}
	}
	return mentees, mentors
}

func randomWeights(r *rand.Rand) Weights {
	w := DefaultWeights()
	if r.IntN(2) == 0 {
		return w
	}
	f := func() float64 { return float64(r.IntN(8)) / 3 }
	w = Weights{Skills: f(), Interests: f(), Languages: f(), TimeZone: f(), Department: f(), Experience: f(), DefaultQuestion: f()}
	if r.IntN(3) == 0 {
		w.MaxTimeZoneHours = float64(r.IntN(10))
	}
	for _, name := range []string{"skills", "interests", "department", "time_zone", "experience"} {
		if r.IntN(6) == 0 {
			w.Must = append(w.Must, name)
		}
	}
	w.Questions = map[string]QuestionRule{}
	if r.IntN(2) == 0 {
		w.Questions["q_a"] = QuestionRule{Weight: f(), MustMatch: r.IntN(3) == 0}
	}
	if r.IntN(2) == 0 {
		w.Questions["q_b"] = QuestionRule{Weight: f()}
	}
	return w
}

// TestFastScorerEqualsReference checks the fast scorer against the
// reference (every pair through eval), bit for bit, on random profiles.
func TestFastScorerEqualsReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	paths := map[bool]int{} // rowOne or rowGeneric
	defer func() {
		if paths[true] == 0 || paths[false] == 0 {
			t.Errorf("row loops covered: %v", paths)
		}
	}()
	for iter := range 200 {
		n, m := 1+r.IntN(30), 1+r.IntN(30)
		mentees, mentors := randomProfiles(r, n, m, iter%4 == 3, iter%4, iter%5 == 4)
		var forbid [][2]int
		for range r.IntN(5) {
			forbid = append(forbid, [2]int{r.IntN(n), r.IntN(m)})
		}
		w := randomWeights(r)
		model, err := NewModel(mentees, mentors, w, forbid)
		if err != nil {
			t.Fatal(err)
		}
		f := &model.fast
		paths[f.one && f.yID != nil && len(model.questions) <= 1]++
		got, want := make([]float32, m), make([]float32, m)
		forbidden := 0
		for i := range n {
			model.Row(i, got)
			model.rowRef(i, want)
			for j := range m {
				if math.Float32bits(got[j]) != math.Float32bits(want[j]) && !(got[j] != got[j] && want[j] != want[j]) {
					t.Fatalf("#%d: pair (%d, %d): fast %v, reference %v (weights %+v)", iter, i, j, got[j], want[j], w)
				}
				if IsForbidden(want[j]) {
					forbidden++
					if model.ForbiddenReason(i, j) == "" {
						t.Fatalf("#%d: pair (%d, %d) forbidden without a reason", iter, i, j)
					}
				} else if why := model.ForbiddenReason(i, j); why != "" {
					t.Fatalf("#%d: pair (%d, %d) allowed but ForbiddenReason says %q", iter, i, j, why)
				}
			}
		}
		_ = forbidden
	}
}

// TestFastScorerAllocs checks that a row allocates nothing once warm.
func TestFastScorerAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	mentees, mentors := randomProfiles(r, 50, 200, false, 1, false)
	model, err := NewModel(mentees, mentors, DefaultWeights(), nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, len(mentors))
	model.Row(0, dst)
	if a := testing.AllocsPerRun(100, func() { model.Row(7, dst) }); a > 0 {
		t.Errorf("Row allocates %v times", a)
	}
}
